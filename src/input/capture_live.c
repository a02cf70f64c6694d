/* capture_live.c - live captures (kasaudit live) through libpcap: opening an
 * interface, its kernel filter and counters; capture.c reads the packets. */
#include <sys/socket.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#ifdef __linux__
#include <linux/if_packet.h>
#endif

#include "capture_int.h"

/* "iface: why" for a failed pcap_activate(): libpcap's message when it
 * left one, else the status in words. */
static void
cap_activate_error(pcap_t *p, int r, const char *iface, char *errbuf)
{
	const char *detail = pcap_geterr(p);

	snprintf(errbuf, ERRBUF_LEN, "%s: %s", iface, detail != NULL &&
	    detail[0] != '\0' ? detail : pcap_statustostr(r));
}

static int
cap_live_filter(pcap_t *p, const char *iface, const char *expr,
    char *errbuf)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	bpf_u_int32 net, mask;
	int r = ERR_OK;

	/* The netmask only matters for "ip broadcast". */
	if (pcap_lookupnet(iface, &net, &mask, eb) != 0)
		mask = PCAP_NETMASK_UNKNOWN;
	if (pcap_compile(p, &prog, expr, 1, mask) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "filter: %s", pcap_geterr(p));
		return ERR_MALFORMED;
	}
	if (pcap_setfilter(p, &prog) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: filter: %s", iface,
		    pcap_geterr(p));
		r = ERR_IO;
	}
	pcap_freecode(&prog);
	return r;
}

/*
 * live --workers: the socket joins the interface's fanout group, and the
 * kernel hands each packet to one socket of the group by a hash of its
 * flow that is the same both ways (__skb_get_hash_symmetric), so both
 * directions of a connection reach one worker.  FLAG_DEFRAG reassembles
 * IP fragments before the hash, so that all of a datagram goes to one
 * socket.  Tunnelled traffic (ERSPAN, VXLAN) is hashed on its outer
 * headers: a mirror session goes to one worker.  Between its activation
 * and this call a socket receives every packet, as the group does: the
 * first microseconds of a start may be seen twice.
 */
static int
cap_fanout(pcap_t *p, const char *iface, bool create, uint16_t group,
    char *errbuf)
{
#if defined(PACKET_FANOUT) && defined(PACKET_FANOUT_FLAG_UNIQUEID)
	/* The group in the low 16 bits, mode and flags above (packet(7));
	 * create: a new group whose number the kernel picks, unused by any
	 * other process (read back with getsockopt; 0 is a number too). */
	uint32_t arg = (create ? 0 : group) | (uint32_t)(PACKET_FANOUT_HASH |
	    PACKET_FANOUT_FLAG_DEFRAG |
	    (create ? PACKET_FANOUT_FLAG_UNIQUEID : 0)) << 16;

	if (setsockopt(pcap_get_selectable_fd(p), SOL_PACKET, PACKET_FANOUT,
	    &arg, sizeof(arg)) != 0) {
		if (create)
			snprintf(errbuf, ERRBUF_LEN, "%s: making a "
			    "PACKET_FANOUT group (--workers needs Linux 4.7 or "
			    "4.4.16): %s", iface, strerror(errno));
		else
			snprintf(errbuf, ERRBUF_LEN, "%s: joining PACKET_FANOUT "
			    "group %u: %s", iface, group, strerror(errno));
		return ERR_IO;
	}
	return ERR_OK;
#else
	(void)p;
	(void)create;
	(void)group;
	snprintf(errbuf, ERRBUF_LEN, "%s: PACKET_FANOUT (--workers) needs "
	    "Linux 4.7 or 4.4.16", iface);
	return ERR_UNSUPPORTED;
#endif
}

int
capture_open_live(struct capture **out, const char *iface,
    const struct capture_live_config *cfg, char *errbuf)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct capture *c = NULL;
	pcap_t *p = NULL;
	uint32_t snap;
	int r;

	eb[0] = '\0';
	if ((p = pcap_create(iface, eb)) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", iface, eb);
		r = ERR_IO;
		goto out;
	}
	snap = cfg->snaplen == 0 || cfg->snaplen > CAP_SNAP_DEFAULT ?
	    CAP_SNAP_DEFAULT : cfg->snaplen;
	(void)pcap_set_snaplen(p, (int)snap);
	(void)pcap_set_promisc(p, cfg->promisc ? 1 : 0);
	(void)pcap_set_timeout(p, cfg->timeout_ms > INT_MAX ? INT_MAX :
	    (int)cfg->timeout_ms);
	if (cfg->buffer_size > 0)
		(void)pcap_set_buffer_size(p, cfg->buffer_size > INT_MAX ?
		    INT_MAX : (int)cfg->buffer_size);
	/* Not every kernel or device has them: micro is fine then. */
	(void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	if ((r = pcap_activate(p)) < 0) {
		cap_activate_error(p, r, iface, errbuf);
		r = ERR_IO;
		goto out;
	}
	if (cfg->fanout && (r = cap_fanout(p, iface, cfg->fanout_new,
	    cfg->fanout_group, errbuf)) != ERR_OK)
		goto out;
	if (pcap_setnonblock(p, 1, eb) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", iface, eb);
		r = ERR_IO;
		goto out;
	}
	if (cfg->filter != NULL &&
	    (r = cap_live_filter(p, iface, cfg->filter, errbuf)) != ERR_OK)
		goto out;
	if ((c = cap_new(iface, errbuf)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	c->fmt = FMT_LIVE;
	c->live_lt = cap_linktype(pcap_datalink(p));
	c->live_snap = (uint32_t)pcap_snapshot(p);
	c->live_nsec = pcap_get_tstamp_precision(p) ==
	    PCAP_TSTAMP_PRECISION_NANO;
	c->stats.sections = 1;
	c->stats.interfaces = 1;
	c->live = p;			/* c owns it now */
	p = NULL;
	*out = c;
	r = ERR_OK;
out:
	if (p != NULL)
		pcap_close(p);
	return r;
}

int
capture_linktype(const struct capture *c)
{
	return c->live != NULL ? c->live_lt : -1;
}

int
capture_fd(const struct capture *c)
{
	return c->live != NULL ? pcap_get_selectable_fd(c->live) : -1;
}

int
capture_fanout_group(const struct capture *c)
{
#if defined(PACKET_FANOUT)
	uint32_t v = 0;
	socklen_t len = sizeof(v);

	/* 0 when in none; in ours the mode and flags above 16 bits are
	 * not (FLAG_DEFRAG is set). */
	if (c->live == NULL || getsockopt(pcap_get_selectable_fd(c->live),
	    SOL_PACKET, PACKET_FANOUT, &v, &len) != 0 || len != sizeof(v) ||
	    (v >> 16) == 0)
		return -1;
	return (int)(v & 0xffff);
#else
	(void)c;
	return -1;
#endif
}

int
capture_live_stats(struct capture *c, struct capture_live_stats *out,
    char *errbuf)
{
	struct pcap_stat ps;

	if (c->live == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: not a live capture",
		    c->name);
		return ERR_UNSUPPORTED;
	}
	memset(&ps, 0, sizeof(ps));
	if (pcap_stats(c->live, &ps) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", c->name,
		    pcap_geterr(c->live));
		return ERR_IO;
	}
	/* Differences of 32-bit counters stay right across one wrap. */
	c->live_stats.received += (uint32_t)(ps.ps_recv -
	    c->live_last.ps_recv);
	c->live_stats.dropped += (uint32_t)(ps.ps_drop -
	    c->live_last.ps_drop);
	c->live_stats.if_dropped += (uint32_t)(ps.ps_ifdrop -
	    c->live_last.ps_ifdrop);
	c->live_last = ps;
	*out = c->live_stats;
	return ERR_OK;
}
