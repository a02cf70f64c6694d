/* decode_int.h - what decode.c shares with decode_tunnel.c: the decoder's
 * state, one call's context, and the way back in for an inner packet. */
#ifndef KASAUDIT_DECODE_INT_H
#define KASAUDIT_DECODE_INT_H

#include "decode.h"

struct defrag;

struct decode {
	struct decode_stats st;
	struct defrag	*frag;		/* IP fragments held for reassembly */
	unsigned	 tun_depth;	/* --tunnel-depth */
};

/* One decode_pkt() call. */
struct ctx {
	struct decode	*d;
	struct pkt	*pkt;
	int64_t		 ts;
};

/* Ethertype of a bridged Ethernet frame (GRE, Geneve): a whole frame. */
#define ETH_BRIDGED	0x6558

/*
 * Decodes an inner packet from c: an Ethernet frame (ETH_BRIDGED), or
 * whatever decode.c follows by ethertype (IPv4, IPv6, VLAN, MPLS).
 */
int	decode_inner(struct ctx *, struct cur c, uint16_t ethertype);

/* True when decode_inner() knows the ethertype. */
bool	decode_inner_ok(uint16_t ethertype);

/*
 * decode_tunnel.c.  tunnel_ip(): IP protocols 4, 41 and 47 (c is the IP
 * payload; pkt->src and dst still the outer ones).  tunnel_udp(): the
 * payload of a UDP datagram to or from a tunnel's port.  Both return
 * ERR_NOTFOUND, with the packet untouched, when it is not opened (not a
 * tunnel, one not opened, too deep: counted), else decode_inner()'s result.
 */
bool	tunnel_ip_proto(uint8_t proto);
int	tunnel_ip(struct ctx *, struct cur c, uint8_t proto);
int	tunnel_udp(struct ctx *, struct cur c);

static inline bool
tunnel_udp_port(uint16_t sport, uint16_t dport)
{
	switch (dport) {
	case 2152:	/* GTP-U */
	case 3544:	/* Teredo */
	case 4754:	/* GRE-in-UDP */
	case 4789:	/* VXLAN */
	case 4790:	/* VXLAN-GPE */
	case 5072:	/* AYIYA */
	case 6081:	/* Geneve */
		return true;
	default:
		return sport == 3544 || sport == 5072 || sport == 2152;
	}
}

/*
 * What decode_pkt() counts for a packet its fast path (decode_fast_ip())
 * took, but the cut, counted before it: decode.c, and decode_state.c for
 * a packet decode_plain() took.
 */
static inline void
decode_count_fast(struct decode_stats *st, bool v6, bool tcp)
{
	if (v6)
		st->ipv6++;
	else
		st->ipv4++;
	if (tcp)
		st->tcp++;
	else
		st->udp++;
}

#endif
