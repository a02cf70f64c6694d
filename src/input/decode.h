/* decode.h - link layers, IPv4/IPv6, UDP/TCP into a struct pkt.
 * struct pkt: what every later stage knows of a packet; no allocation. */
#ifndef KASAUDIT_DECODE_H
#define KASAUDIT_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "cursor.h"
#include "encap.h"
#include "err.h"

#define DECODE_MAX_VLAN	3		/* tags kept; deeper ones are skipped */

/* What one packet carries, as far as we look.  Filled by decode_pkt(). */
struct pkt {
	/* link */
	bool		 has_mac;
	uint8_t		 mac_src[6];
	uint8_t		 mac_dst[6];
	uint8_t		 n_vlan;	/* tags in vlan[], outermost first */
	uint16_t	 vlan[DECODE_MAX_VLAN];
	/* network */
	struct addr	 src;
	struct addr	 dst;
	uint8_t		 proto;		/* 6 TCP, 17 UDP, else other */
	bool		 reassembled;	/* built from IP fragments */
	uint8_t		 n_encap;	/* tunnel layers in encap[] */
	/* transport */
	uint16_t	 sport;
	uint16_t	 dport;
	uint8_t		 tcp_flags;
	uint32_t	 seq;
	uint32_t	 ack;
	/*
	 * The transport payload as far as it was captured.  `cut` is true when
	 * the packet was cut by the snaplen, so a parser that runs out of bytes
	 * knows the rest exists.  Borrowed like the capture record (or, for a
	 * reassembled datagram, until the next decode_pkt()).
	 */
	const uint8_t	*payload;
	size_t		 payload_len;
	bool		 cut;
	/*
	 * Where and when it was captured: set by the caller from the capture
	 * record, once per packet, before audit_packet(); decode_pkt() leaves
	 * them alone.  frame is 1-based within the input.
	 */
	uint64_t	 frame;
	int64_t		 ts_sec;
	uint32_t	 ts_nsec;
	/*
	 * The tunnels the packet came through, outermost first (n_encap of
	 * them; decode_tunnel.c).  src and dst above are the innermost.
	 */
	struct encap	 encap[ENCAP_MAX];
};

/* Where decoding gave up, counted per layer. */
enum decode_layer {
	DL_LINK,		/* link header short or unknown type */
	DL_VLAN,
	DL_MPLS,
	DL_PPPOE,
	DL_IPV4,
	DL_IPV6,
	DL_FRAG,		/* fragment bookkeeping: bad or overlapping */
	DL_UDP,
	DL_TCP,
	DL_N
};

struct decode_stats {
	uint64_t	 malformed[DL_N];
	uint64_t	 non_ip;	/* ARP, LLDP and other non-IP frames */
	uint64_t	 ipv4;
	uint64_t	 ipv6;
	uint64_t	 udp;
	uint64_t	 tcp;
	uint64_t	 other_proto;	/* ICMP, ESP, ... */
	uint64_t	 cut;		/* caplen < len */
	uint64_t	 frags;		/* fragments seen */
	uint64_t	 frag_reassembled;	/* datagrams completed */
	uint64_t	 frag_overlaps;	/* overlapping fragments resolved */
	uint64_t	 frag_timeouts;	/* datagrams dropped unfinished */
	uint64_t	 frag_evicted;	/* dropped because of --max-frag-mem */
	uint64_t	 wlan_protected; /* encrypted 802.11 data: not read */
	uint64_t	 tunnels[ENCAP_N];	/* packets decapsulated, by kind */
	/* Recognised but not opened: an unknown inner protocol, PPTP. */
	uint64_t	 tunnels_not_opened[ENCAP_N];
	uint64_t	 tunnels_too_deep;	/* past --tunnel-depth */
};

struct decode;			/* opaque: counters and the defrag store */

/*
 * Sizes the defragmentation state: at most frag_mem bytes of fragment data
 * held at once (in 1 KiB chunks, so frag_mem below 1024 disables
 * reassembly: fragments are counted in frag_evicted), unfinished datagrams
 * dropped more than frag_timeout seconds (packet time) after their first
 * fragment.  Bookkeeping adds about 360 bytes per datagram slot (one slot
 * per KiB, at most 4096).  All of it is allocated here.  NULL on allocation
 * failure.
 */
struct decode	*decode_new(size_t frag_mem, unsigned frag_timeout);
void		 decode_free(struct decode *);		/* NULL-safe */
const struct decode_stats *decode_stats(const struct decode *);

/*
 * Tunnels opened around one packet, at most ENCAP_MAX (default
 * ENCAP_DEPTH); 0 opens none.  A packet in more is counted
 * tunnels_too_deep and decoded as the outer packet it is.
 */
void		 decode_set_tunnel_depth(struct decode *, unsigned);

/* Name of a layer for reports ("ipv4", "udp"). */
const char	*decode_layer_name(enum decode_layer);

/* True if decode_pkt() understands this link type. */
bool		 decode_linktype_ok(int linktype);

/*
 * Decodes one captured frame.  ERR_OK: *pkt is filled and carries UDP or TCP
 * (or another IP protocol: proto says which, payload is empty).
 * ERR_NOTFOUND: not IP (counted non_ip), or an IP fragment that was held for
 * reassembly.  ERR_MALFORMED: counted in the layer where it failed.
 * ERR_SHORT: caplen < len and the snaplen cut a header before the transport
 * payload (counted in cut only: the bytes on the wire were fine).
 * ERR_UNSUPPORTED: unknown link type (not counted; the caller counts it).
 * *pkt is decoded in place: only on ERR_OK does it describe a packet.  A first fragment cut by the snaplen
 * cannot be reassembled and is returned as a packet of its own, with cut
 * set and reassembled false.  ts_sec is the packet time, for fragment
 * timeouts.  No allocation.
 */
int	decode_pkt(struct decode *, struct pkt *pkt, const uint8_t *data,
	    size_t caplen, size_t len, int linktype, int64_t ts_sec);

/*
 * The packets decode_pkt() takes by its fast path -- Ethernet, up to two
 * VLAN tags, IPv4 without options or fragments or IPv6 without extension
 * headers, whole, TCP or UDP to no tunnel port -- decoded without a
 * decoder: it keeps no state for them.  ERR_OK: *pkt is what decode_pkt()
 * would make of the frame (but cut: the caller's caplen < len, which
 * decode_pkt() sets and then clears for such a packet); ERR_NOTFOUND: not
 * such a packet (*pkt is then undefined).  Nothing is counted: a packet
 * taken here instead of by decode_pkt() is counted by
 * decode_count_plain() (v6: its family 6; tcp: its proto 6; cut: caplen
 * < len) as decode_pkt() would have.
 * For a second thread: capture_pipe.c's reader.
 */
int	decode_plain(struct pkt *pkt, const uint8_t *data, size_t caplen,
	    int linktype);
void	decode_count_plain(struct decode *, bool v6, bool tcp, bool cut);

#endif
