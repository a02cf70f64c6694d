/* audit.c - decoded packets -> observations -> signature matches. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "dns.h"

#define DNS_PORT	53
#define MAX_EMITTED	8	/* distinct names reported per DNS message */

struct audit {
	struct audit_config	 cfg;
	audit_sink_fn		 sink;
	void			*arg;
	const char		*file;
	struct audit_stats	 st;
	/* Scratch, sized once: a DNS question and up to DNS_MAX_RRS answers. */
	struct dns_question	 q;
	struct dns_rr		 rrs[DNS_MAX_RRS];
};

struct audit *
audit_new(const struct audit_config *cfg, audit_sink_fn sink, void *arg)
{
	struct audit *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->cfg = *cfg;
	if (a->cfg.n_dns_ports > AUDIT_MAX_DNS_PORTS)
		a->cfg.n_dns_ports = AUDIT_MAX_DNS_PORTS;
	a->sink = sink;
	a->arg = arg;
	a->file = "-";
	return a;
}

void
audit_free(struct audit *a)
{
	free(a);
}

void
audit_set_file(struct audit *a, const char *file)
{
	a->file = file;
}

const struct audit_stats *
audit_stats(const struct audit *a)
{
	return &a->st;
}

static bool
is_dns_port(const struct audit *a, uint16_t port)
{
	size_t i;

	if (port == DNS_PORT)
		return true;
	for (i = 0; i < a->cfg.n_dns_ports; i++)
		if (a->cfg.dns_ports[i] == port)
			return true;
	return false;
}

/*
 * Fills the parts of an observation that come from the packet.  The client
 * is the side that made the contact: the packet's source when it travels
 * client to server, else its destination (a DNS response seen alone).
 */
static void
obs_from_pkt(struct obs *o, const struct pkt *p, bool from_client)
{
	memset(o, 0, sizeof(*o));
	if (from_client) {
		o->client = p->src;
		o->server = p->dst;
		o->client_port = p->sport;
		o->server_port = p->dport;
		if (p->has_mac)
			memcpy(o->mac, p->mac_src, sizeof(o->mac));
	} else {
		o->client = p->dst;
		o->server = p->src;
		o->client_port = p->dport;
		o->server_port = p->sport;
		if (p->has_mac)
			memcpy(o->mac, p->mac_dst, sizeof(o->mac));
	}
	/* Linux cooked captures carry only the sender's address. */
	o->has_mac = p->has_mac && (o->mac[0] | o->mac[1] | o->mac[2] |
	    o->mac[3] | o->mac[4] | o->mac[5]) != 0;
	o->proto = p->proto;
	o->n_vlan = p->n_vlan;
	memcpy(o->vlan, p->vlan, sizeof(o->vlan));
}

/* Looks a name up; on a match hands the observation to the sink. */
static bool
audit_name(struct audit *a, struct obs *o, enum obs_kind kind,
    const char *name, size_t len, unsigned flags)
{
	const struct match_sig *sig;

	a->st.names_seen++;
	if ((sig = match_name(a->cfg.match, name, len)) == NULL)
		return false;
	o->kind = kind;
	o->name = name;
	o->name_len = len;
	o->flags = flags;
	a->st.matches++;
	a->st.by_kind[kind]++;
	a->sink(a->arg, o, sig);
	return true;
}

static bool
seen_before(const char *const *emitted, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(emitted[i], name) == 0)
			return true;
	return false;
}

/*
 * A response's answer records can lead to a matching name that its question
 * does not show (a CNAME chain into a signature's zone), so responses with
 * answers are decoded in full.  That goes through ldns, which allocates:
 * the one allocation per packet the design allows, paid only for responses.
 */
static void
audit_dns_answers(struct audit *a, struct obs *o, const struct pkt *p)
{
	const char *emitted[MAX_EMITTED];
	size_t n_emitted = 0, n_rrs = 0, i;
	const char *cand[2];
	size_t k;

	if (dns_answers(p->payload, p->payload_len, a->rrs, DNS_MAX_RRS,
	    &n_rrs) != ERR_OK)
		return;
	a->st.dns_answers_decoded++;
	if (a->q.has_q)
		emitted[n_emitted++] = a->q.qname;
	for (i = 0; i < n_rrs && n_emitted < MAX_EMITTED; i++) {
		if (a->rrs[i].type != 5)
			continue;
		cand[0] = a->rrs[i].name;
		cand[1] = a->rrs[i].target;
		for (k = 0; k < 2 && n_emitted < MAX_EMITTED; k++) {
			if (seen_before(emitted, n_emitted, cand[k]))
				continue;
			emitted[n_emitted++] = cand[k];
			audit_name(a, o, OBS_DNS_ANSWER, cand[k],
			    strlen(cand[k]), OBS_F_CNAME);
		}
	}
}

static void
audit_dns(struct audit *a, const struct pkt *p, uint64_t frame,
    int64_t ts_sec, uint32_t ts_nsec)
{
	struct obs o;
	int r;

	r = dns_question(p->payload, p->payload_len, p->cut, &a->q);
	if (r == ERR_SHORT) {
		a->st.dns_cut++;
		return;
	}
	if (r != ERR_OK) {
		a->st.dns_malformed++;
		return;
	}
	a->st.dns_msgs++;
	if (a->q.qr)
		a->st.dns_responses++;
	else
		a->st.dns_queries++;
	obs_from_pkt(&o, p, !a->q.qr);
	o.file = a->file;
	o.frame = frame;
	o.ts_sec = ts_sec;
	o.ts_nsec = ts_nsec;
	if (a->q.has_q)
		audit_name(a, &o, a->q.qr ? OBS_DNS_ANSWER :
		    OBS_DNS_QUERY, a->q.qname, a->q.qname_len, 0);
	if (a->q.qr && a->q.ancount > 0 && !p->cut)
		audit_dns_answers(a, &o, p);
}

void
audit_packet(struct audit *a, const struct pkt *p, uint64_t frame,
    int64_t ts_sec, uint32_t ts_nsec)
{
	if (p->proto == 17 && (is_dns_port(a, p->dport) ||
	    is_dns_port(a, p->sport)))
		audit_dns(a, p, frame, ts_sec, ts_nsec);
}
