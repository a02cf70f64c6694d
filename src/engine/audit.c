/* audit.c - packets -> names (DNS, TLS, HTTP, SOCKS, QUIC) -> matches.
 * Owns struct audit: DNS messages, address and port signatures, QUIC. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_int.h"

/*
 * Where proxies that add X-Forwarded-For usually are: RFC 1918, RFC 6598
 * (shared), loopback, link-local, and IPv6 ULA (RFC 4193), loopback and
 * link-local.  A header from anywhere else is believed only with
 * --trust-proxy: anyone can write one.
 */
static const struct {
	const char	*prefix;
	unsigned	 plen;
} trust_default[] = {
	{ "10.0.0.0", 8 }, { "172.16.0.0", 12 }, { "192.168.0.0", 16 },
	{ "100.64.0.0", 10 }, { "127.0.0.0", 8 }, { "169.254.0.0", 16 },
	{ "fc00::", 7 }, { "::1", 128 }, { "fe80::", 10 },
};

bool
audit_trusted(const struct audit *a, const struct addr *sender)
{
	struct addr m;
	size_t i;

	for (i = 0; i < a->cfg.n_trust; i++) {
		if (a->cfg.trust[i].prefix.family != sender->family)
			continue;
		addr_mask(&m, sender, a->cfg.trust[i].plen);
		if (addr_eq(&m, &a->cfg.trust[i].prefix))
			return true;
	}
	return false;
}

struct audit *
audit_new(const struct audit_config *cfg, audit_sink_fn sink, void *arg)
{
	struct audit *a;
	size_t i;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->cfg = *cfg;
	if (a->cfg.n_dns_ports > AUDIT_MAX_DNS_PORTS)
		a->cfg.n_dns_ports = AUDIT_MAX_DNS_PORTS;
	a->sink = sink;
	a->arg = arg;
	a->file = "-";
	if (a->cfg.n_trust > AUDIT_MAX_TRUST)
		a->cfg.n_trust = AUDIT_MAX_TRUST;
	if (!a->cfg.trust_set) {
		a->cfg.n_trust = 0;
		for (i = 0; i < sizeof(trust_default) /
		    sizeof(trust_default[0]); i++) {
			struct audit_trust *t = &a->cfg.trust[a->cfg.n_trust];

			if (!addr_parse(&t->prefix, trust_default[i].prefix))
				continue;
			t->plen = trust_default[i].plen;
			addr_mask(&t->prefix, &t->prefix, t->plen);
			a->cfg.n_trust++;
		}
	}
	audit_attrib_defaults(&a->cfg.attrib);
	if ((a->flows = flow_new(&a->cfg.flow)) == NULL)
		goto fail;
	if (a->cfg.defer_max > 0 && (a->defer = audit_defer_new(
	    a->cfg.defer_max)) == NULL)
		goto fail;
	if ((a->attrib = a->cfg.shared_attrib) == NULL &&
	    (a->attrib = attrib_new(&a->cfg.attrib)) == NULL)
		goto fail;
	if (a->cfg.names_off)
		a->names = NULL;
	else if ((a->names = a->cfg.shared_names) == NULL &&
	    (a->names = hnames_new(a->cfg.names_max, &a->st.names,
	    a->cfg.names_fn, a->arg)) == NULL)
		goto fail;
#ifdef KASAUDIT_QUIC
	if ((a->quic = quic_new()) == NULL)
		goto fail;
#endif
	return a;
fail:
	audit_free(a);
	return NULL;
}

void
audit_attrib_defaults(struct attrib_config *c)
{
	if (c->max_entries == 0) {
		c->max_entries = AUDIT_ATTRIB_ENTRIES;
		c->ttl_min = AUDIT_ATTRIB_TTL_MIN;
		c->ttl_max = AUDIT_ATTRIB_TTL_MAX;
	}
}

void
audit_free(struct audit *a)
{
	if (a == NULL)
		return;
	flow_free(a->flows);
	free(a->defer);
	if (a->attrib != a->cfg.shared_attrib)
		attrib_free(a->attrib);
	if (a->names != a->cfg.shared_names)
		hnames_free(a->names);
#ifdef KASAUDIT_QUIC
	quic_free(a->quic);
#endif
	free(a);
}

void
audit_set_match(struct audit *a, const struct match *m)
{
	a->cfg.match = m;
}

void
audit_set_file(struct audit *a, const char *file)
{
	a->file = file;
}

void
audit_finish(struct audit *a)
{
	audit_tcp_flush(a);
	flow_flush(a->flows);
}

const struct audit_stats *
audit_stats(const struct audit *a)
{
	return &a->st;
}

const struct flow_stats *
audit_flow_stats(const struct audit *a)
{
	return flow_stats(a->flows);
}

const struct attrib_stats *
audit_attrib_stats(const struct audit *a)
{
	return attrib_stats(a->attrib);
}

/*
 * Fills the parts of an observation that come from the packet.  The client
 * is the side that made the contact: the packet's source when it travels
 * client to server, else its destination (a DNS response seen alone).
 */
void
audit_obs(struct audit *a, struct obs *o, const struct pkt *p,
    bool from_client)
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
	o->n_encap = p->n_encap;
	o->encap = p->encap;
	o->file = a->file;
	o->frame = p->frame;
	o->ts_sec = p->ts_sec;
	o->ts_nsec = p->ts_nsec;
	o->quic_version = a->quic_version;
}

void
audit_blind(struct audit *a, const struct obs *o, enum obs_blind b)
{
	a->st.blind[b]++;
	if (a->cfg.blind != NULL)
		a->cfg.blind(a->arg, o, b);
}

/*
 * Hands a matched observation to the sink; a name of an encrypted-DNS
 * service is a blind spot instead, not a contact with Kaspersky.
 */
static void
audit_emit(struct audit *a, struct obs *o, enum obs_kind kind,
    const char *name, size_t len, unsigned flags,
    const struct match_sig *sig)
{
	o->kind = kind;
	o->name = name;
	o->name_len = len;
	o->flags = flags;
	if (sig->cat == CAT_ENCDNS) {
		/* A DNS answer names the host that asked: its lookups will
		 * go where we cannot see them. */
		audit_blind(a, o, BLIND_DOH);
		return;
	}
	a->st.matches++;
	a->st.by_kind[kind]++;
	a->sink(a->arg, o, sig);
}

/* Looks a name up; on a match hands the observation to the sink. */
const struct match_sig *
audit_name(struct audit *a, struct obs *o, enum obs_kind kind,
    const char *name, size_t len, unsigned flags)
{
	const struct match_sig *sig;

	a->st.names_seen++;
	if ((sig = match_name(a->cfg.match, name, len)) != NULL)
		audit_emit(a, o, kind, name, len, flags, sig);
	return sig;
}

/*
 * A contact that carried no name we could read (no SNI, ECH, an IP
 * literal, a protocol we do not parse): if its server address came from a
 * matched DNS answer, it is put down to that name, once per flow, citing
 * the answer.  The packet goes from client to server.
 */
void
audit_correlate(struct audit *a, const struct pkt *p, struct flow_state *fs,
    unsigned flags)
{
	char name[DNS_NAME_LEN];
	struct attrib_hit hit;
	struct obs o;
	int r;

	if (fs != NULL && fs->correlated)
		return;
	/* The name is the table's until its next call: copied while the
	 * lock (live --workers) keeps the other workers out. */
	audit_lock(a);
	if ((r = attrib_lookup(a->attrib, &p->src, &p->dst, p->ts_sec,
	    &hit)) == ERR_OK)
		snprintf(name, sizeof(name), "%s", hit.name);
	audit_unlock(a);
	if (r != ERR_OK && a->defer == NULL)
		return;
	audit_obs(a, &o, p, true);
	if (r != ERR_OK) {
		/* Another worker may not have read the answer yet. */
		if (audit_defer_put(a, &o, flags) && fs != NULL)
			fs->correlated = true;
		return;
	}
	hit.name = name;
	if (fs != NULL)
		fs->correlated = true;
	audit_correlate_emit(a, &o, &hit, flags);
}

void
audit_correlate_emit(struct audit *a, struct obs *o,
    const struct attrib_hit *hit, unsigned flags)
{
	struct obs_answer ans;

	a->st.correlated++;
	ans.file = hit->answer.file;
	ans.frame = hit->answer.frame;
	ans.ts_sec = hit->answer.ts_sec;
	ans.ts_nsec = hit->answer.ts_nsec;
	ans.resolver = hit->resolver;
	ans.own = hit->per_client;
	o->answer = &ans;
	audit_emit(a, o, OBS_DNS_CORRELATED, hit->name, strlen(hit->name),
	    flags, hit->sig);
	o->answer = NULL;
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
 * The observation of one DNS message, built only when a name of it
 * matches: nearly none does, and building it for each was 7 % of a
 * resolver uplink's time.
 */
struct dns_obs {
	const struct pkt	*p;
	bool			 from_client;
	bool			 built;
	struct obs		 o;
};

static struct obs *
dns_obs(struct audit *a, struct dns_obs *d)
{
	if (!d->built) {
		audit_obs(a, &d->o, d->p, d->from_client);
		d->built = true;
	}
	return &d->o;
}

/* audit_name() for a DNS name, with the observation built on a match. */
static const struct match_sig *
audit_dns_name(struct audit *a, struct dns_obs *d, enum obs_kind kind,
    const char *name, size_t len, unsigned flags)
{
	const struct match_sig *sig;

	a->st.names_seen++;
	if ((sig = match_name(a->cfg.match, name, len)) != NULL)
		audit_emit(a, dns_obs(a, d), kind, name, len, flags, sig);
	return sig;
}

/*
 * Of a response's CNAME targets (cref[0..n)), those whose last two labels
 * are no signature's (rejected[i]): they can match nothing, and are only
 * counted (once a message, like any name), never decoded.  Such a name
 * cannot equal one that passed the gate, so the two kinds are told apart
 * among themselves: by their labels, or by their text.  Names of
 * different lengths differ: most never get to dns_name_eq().  The count
 * of different rejected names, not the question's; *all: each target was
 * rejected.  For the audit and its screen (audit_screen.c).
 */
size_t
audit_dns_rejected(const struct match *m, const uint8_t *msg, size_t len,
    const struct dns_question *q, const struct dns_name_ref *cref, size_t n,
    bool *rejected, bool *all)
{
	const struct dns_name_ref *r;
	struct cur qn = cur_init(msg, len);
	size_t i, j, count = 0;
	bool dup;

	cur_skip(&qn, 12);			/* the question's name */
	*all = true;
	for (i = 0; i < n; i++) {
		r = &cref[i];
		rejected[i] = r->n_labels == 2 && match_gate_wire(m,
		    r->lab[0], r->lab_len[0], r->lab[1], r->lab_len[1]);
		if (!rejected[i]) {
			*all = false;
			continue;
		}
		dup = q->has_q && (q->decoded || q->wire_len == r->wire_len) &&
		    dns_name_eq(msg, len, qn, r->at);
		for (j = 0; j < i && !dup; j++)
			dup = rejected[j] && cref[j].wire_len == r->wire_len &&
			    dns_name_eq(msg, len, cref[j].at, r->at);
		if (!dup)
			count++;
	}
	return count;
}

/*
 * A response's answer records can lead to a matching name that its question
 * does not show (a CNAME chain into a signature's zone): the CNAME targets
 * are read with the cursor and looked up.  Only when a name of the chain
 * matched and addresses are there does the response go to ldns, for the
 * A/AAAA records attribution needs: ldns allocates, the one allocation per
 * packet the design allows, paid only by responses that matter.
 */
static void
audit_dns_answers(struct audit *a, struct dns_obs *d, const uint8_t *msg,
    size_t len, const struct match_sig *sig)
{
	const char *emitted[MAX_EMITTED], *name = NULL;
	const struct match_sig *s;
	struct dns_name_ref *r;
	size_t n_emitted = 0, n_cn = 0, n_rrs = 0, i, sl;
	struct attrib_ref ref;
	struct obs *o;
	bool has_addr, rejected[MAX_EMITTED], all;

	if (dns_cname_refs(msg, len, a->q.has_q ? a->q.end : 0, a->cref,
	    MAX_EMITTED - 1, &n_cn, &has_addr) != ERR_OK)
		return;
	if (sig != NULL)
		name = a->q.qname;
	a->st.names_seen += audit_dns_rejected(a->cfg.match, msg, len, &a->q,
	    a->cref, n_cn, rejected, &all);
	for (i = 0; i < n_cn; i++) {
		r = &a->cref[i];
		if (rejected[i])
			continue;
		if (a->q.has_q && n_emitted == 0) {
			dns_question_name(msg, len, &a->q);
			emitted[n_emitted++] = a->q.qname;
		}
		dns_ref_str(msg, len, r, a->cn[i], &sl);
		if (seen_before(emitted, n_emitted, a->cn[i]))
			continue;
		emitted[n_emitted++] = a->cn[i];
		s = audit_dns_name(a, d, OBS_DNS_ANSWER, a->cn[i], sl,
		    OBS_F_CNAME);
		if (s != NULL && sig == NULL) {
			sig = s;
			name = a->cn[i];
		}
	}
	if (sig == NULL || !has_addr || sig->cat == CAT_ENCDNS)
		return;
	if (dns_answers(msg, len, a->rrs, DNS_MAX_RRS, &n_rrs) != ERR_OK)
		return;
	a->st.dns_answers_decoded++;
	/* Every address of a matched chain stands for the matched name. */
	o = dns_obs(a, d);
	ref.file = o->file;
	ref.frame = o->frame;
	ref.ts_sec = o->ts_sec;
	ref.ts_nsec = o->ts_nsec;
	audit_lock(a);
	for (i = 0; i < n_rrs; i++)
		if (a->rrs[i].type == 1 || a->rrs[i].type == 28)
			(void)attrib_learn(a->attrib, &o->client, &o->server,
			    &a->rrs[i].addr, name, strlen(name), sig,
			    a->rrs[i].ttl, &ref, o->ts_sec);
	audit_unlock(a);
}

/* One DNS message, from a UDP datagram or a TCP stream. */
void
audit_dns(struct audit *a, const struct pkt *p, const uint8_t *msg,
    size_t len, bool cut)
{
	const struct match_sig *sig = NULL;
	struct dns_obs d;
	int r;

	r = dns_question_lazy(msg, len, cut, &a->q);
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
	d.p = p;
	d.from_client = !a->q.qr;
	d.built = false;
	if (!a->q.has_q) {
		/* no question */
	} else if (!a->q.decoded && a->q.n_labels == 2 &&
	    match_gate_wire3(a->cfg.match, a->q.lab3, a->q.lab3_len,
	    a->q.lab[0], a->q.lab_len[0], a->q.lab[1], a->q.lab_len[1])) {
		/*
		 * Its last two labels are no signature's: nearly every name
		 * ends here, neither decoded nor looked up.
		 */
		a->st.names_seen++;
	} else {
		dns_question_name(msg, len, &a->q);
		sig = audit_dns_name(a, &d, a->q.qr ? OBS_DNS_ANSWER :
		    OBS_DNS_QUERY, a->q.qname, a->q.qname_len, 0);
	}
	if (a->q.qr && a->q.ancount > 0 && !cut)
		audit_dns_answers(a, &d, msg, len, sig);
}

/* ---- new flows: address signatures, Security Center ports ------------- */

/*
 * Kaspersky Security Center ports (research section 4.2, vendor docs): the
 * port numbers are not unique to Kaspersky, so they are weak evidence, and
 * only between internal hosts, where a managed estate talks to its server.
 */
static const struct match_sig ksc_sigs[] = {
	{ "tcp/13000", MK_EXACT, CAT_MANAGEMENT, 'A', "KSC-docs-158525",
	    "Network Agent to Administration Server", "ksc-ports", 1 },
	{ "tcp/14000", MK_EXACT, CAT_MANAGEMENT, 'A', "KSC-docs-158525",
	    "legacy Network Agent connections", "ksc-ports", 2 },
	{ "tcp/13291", MK_EXACT, CAT_MANAGEMENT, 'A', "KSC-docs-158545",
	    "Administration Console", "ksc-ports", 3 },
	{ "tcp/13299", MK_EXACT, CAT_MANAGEMENT, 'A', "KSC-docs-178949",
	    "OpenAPI (Web Console)", "ksc-ports", 4 },
	{ "tcp/13111", MK_EXACT, CAT_TELEMETRY, 'A', "KSCAPI-a00220",
	    "KSN proxy on the server", "ksc-ports", 5 },
	{ "tcp/17000", MK_EXACT, CAT_ACTIVATION, 'A', "KSCAPI-a00219",
	    "activation proxy", "ksc-ports", 6 },
	{ "tcp/17100", MK_EXACT, CAT_ACTIVATION, 'A', "KSCAPI-a00219",
	    "activation proxy (mobile)", "ksc-ports", 7 },
	{ "tcp/13292", MK_EXACT, CAT_MANAGEMENT, 'A', "KSCAPI-a00376",
	    "mobile devices", "ksc-ports", 8 },
	{ "tcp/17111", MK_EXACT, CAT_TELEMETRY, 'A', "KSCAPI-a00220",
	    "KSN proxy HTTPS", "ksc-ports", 9 },
	{ "udp/13000", MK_EXACT, CAT_MANAGEMENT, 'A', "KSC-docs-3320",
	    "device shutdown notifications", "ksc-ports", 10 },
	{ "udp/15000", MK_EXACT, CAT_MANAGEMENT, 'A', "KSC-docs-158525",
	    "server to agent wake-ups", "ksc-ports", 11 },
	{ "udp/15111", MK_EXACT, CAT_TELEMETRY, 'A', "KSCAPI-a00220",
	    "KSN proxy UDP", "ksc-ports", 12 },
};

static const struct match_sig *
ksc_sig(uint8_t proto, uint16_t port)
{
	char buf[16];
	size_t i;

	switch (port) {
	case 13000: case 14000: case 13291: case 13299: case 13111:
	case 17000: case 17100: case 13292: case 17111: case 15000:
	case 15111:
		break;
	default:
		return NULL;
	}
	snprintf(buf, sizeof(buf), "%s/%u", proto == 6 ? "tcp" : "udp", port);
	for (i = 0; i < sizeof(ksc_sigs) / sizeof(ksc_sigs[0]); i++)
		if (strcmp(ksc_sigs[i].pattern, buf) == 0)
			return &ksc_sigs[i];
	return NULL;
}

/* RFC 1918, RFC 6598 shared space, RFC 4193 ULA, link-local. */
static bool
addr_internal(const struct addr *x)
{
	if (x->family == 4)
		return x->a[0] == 10 || (x->a[0] == 172 &&
		    (x->a[1] & 0xf0) == 16) || (x->a[0] == 192 &&
		    x->a[1] == 168) || (x->a[0] == 100 &&
		    (x->a[1] & 0xc0) == 64) || (x->a[0] == 169 &&
		    x->a[1] == 254);
	return (x->a[0] & 0xfe) == 0xfc || (x->a[0] == 0xfe &&
	    (x->a[1] & 0xc0) == 0x80);
}

/*
 * The first packet of a flow seen from its client: its server address
 * against the CIDR signatures, its port against the Security Center ports.
 */
void
audit_new_flow(struct audit *a, const struct pkt *p)
{
	const struct match_sig *sig;
	char name[ADDR_STRLEN];
	struct obs o;

	if (p->dport == 853) {
		/* DNS over TLS (RFC 7858) or over QUIC (RFC 9250). */
		audit_obs(a, &o, p, true);
		audit_blind(a, &o, BLIND_DOT);
	}
	if ((sig = match_addr(a->cfg.match, &p->dst)) != NULL) {
		audit_obs(a, &o, p, true);
		addr_fmt(&p->dst, name);
		o.kind = OBS_IP_PREFIX;
		o.name = name;
		o.name_len = strlen(name);
		a->st.matches++;
		a->st.by_kind[OBS_IP_PREFIX]++;
		a->sink(a->arg, &o, sig);
	}
	if ((sig = ksc_sig(p->proto, p->dport)) != NULL &&
	    addr_internal(&p->src) && addr_internal(&p->dst)) {
		/* On 15000 the server wakes its agent: the agent is the
		 * managed host. */
		audit_obs(a, &o, p, p->dport != 15000);
		o.kind = OBS_KSC_PORT;
		o.name = sig->pattern;
		o.name_len = strlen(sig->pattern);
		a->st.matches++;
		a->st.by_kind[OBS_KSC_PORT]++;
		a->sink(a->arg, &o, sig);
	}
}

/* UDP to a Security Center port: once per flow, not per datagram. */
static void
audit_udp_flow(struct audit *a, const struct pkt *p)
{
	enum flow_dir dir;
	bool is_new;

	if (flow_get(a->flows, p, p->ts_sec, &dir, &is_new) != NULL && is_new)
		audit_new_flow(a, p);
}

/* ---- QUIC ------------------------------------------------------------- */

#ifdef KASAUDIT_QUIC
/*
 * A client's first datagram of a QUIC version not read here: a blind spot,
 * counted once per flow (its other datagrams, and the server's, are not).
 * The flow stays open to Initials: a client whose reserved version drew a
 * Version Negotiation tries again with one read here.
 */
static void
audit_quic_other(struct audit *a, const struct pkt *p)
{
	struct flow_state *fs;
	struct flow *f;
	enum flow_dir dir;
	enum quic_other what;
	uint32_t version;
	bool is_new;

	what = quic_other_version(p->payload, p->payload_len, &version);
	if (what == QUIC_OTHER_NONE ||
	    (f = flow_get(a->flows, p, p->ts_sec, &dir, &is_new)) == NULL)
		return;
	fs = flow_app(f);
	if (fs->quic_seen)
		return;
	fs->quic_seen = true;
	fs->quic_dir = (uint8_t)dir;
	if (what == QUIC_OTHER_RESERVED)
		a->st.quic_reserved_version++;
	else {
		a->st.quic_unknown_version++;
		a->st.quic_unknown_by[quic_vclass_of(version)]++;
	}
}

static void
audit_quic(struct audit *a, const struct pkt *p)
{
	struct flow_state *fs;
	struct flow *f;
	enum flow_dir dir;
	struct cur view;
	bool is_new, have = false;
	size_t i;
	int r;

	if (!quic_is_initial(p->payload, p->payload_len)) {
		if (!audit_gquic(a, p))
			audit_quic_other(a, p);
		return;
	}
	if ((f = flow_get(a->flows, p, p->ts_sec, &dir, &is_new)) == NULL)
		return;
	fs = flow_app(f);
	if (!fs->quic_seen) {
		/* The first Initial is the client's; its DCID keys them all. */
		fs->quic_seen = true;
		fs->quic_dir = (uint8_t)dir;
	}
	if (dir != fs->quic_dir || fs->app[dir] == APP_DONE)
		return;
	r = quic_client_initial(a->quic, p->payload, p->payload_len,
	    fs->odcid, fs->odcid_len, a->qscratch, sizeof(a->qscratch),
	    &a->qi);
	if (r == ERR_NOTFOUND)
		return;
	a->st.quic_initials += a->qi.n_packets;
	a->st.quic_failed += a->qi.n_failed;
	if (r != ERR_OK)
		return;
	if (fs->odcid_len == 0) {
		fs->odcid_len = a->qi.dcid_len;
		memcpy(fs->odcid, a->qi.dcid, a->qi.dcid_len);
	}
	for (i = 0; i < a->qi.n_frags; i++)
		if (flow_stream_put(a->flows, f, dir, a->qi.frags[i].off,
		    a->qi.frags[i].data, a->qi.frags[i].len, &view) == ERR_OK)
			have = true;
	if (!have && flow_view(a->flows, f, dir, &view) != ERR_OK)
		return;
	/* Q050 carries Google's own CHLO in its CRYPTO frames, not TLS. */
	if (a->qi.version == QUIC_Q050)
		r = gquic_chlo(view.p, cur_left(&view), &a->hello, NULL);
	else
		r = tls_client_hello_msg(view.p, cur_left(&view), &a->hello);
	if (r == ERR_SHORT)
		return;
	fs->app[dir] = APP_DONE;
	flow_done(a->flows, f, dir);
	if (a->qi.version == QUIC_Q050) {
		audit_chlo(a, p, fs, r, a->qi.version);
		return;
	}
	if (r != ERR_OK) {
		a->st.quic_malformed++;
		return;
	}
	a->st.quic_hellos++;
	audit_hello(a, p, fs, &a->hello, OBS_QUIC_SNI, 0);
}
#endif

void
audit_packet(struct audit *a, const struct pkt *p)
{
	if (p->proto == 17) {
		if (a->names != NULL && hnames_port(p)) {
			audit_lock(a);
			hnames_packet(a->names, p);
			audit_unlock(a);
		}
		if (audit_is_dns_port(a, p->dport) ||
		    audit_is_dns_port(a, p->sport))
			audit_dns(a, p, p->payload, p->payload_len, p->cut);
		else if (p->dport == 853 || ksc_sig(17, p->dport) != NULL)
			audit_udp_flow(a, p);
#ifdef KASAUDIT_QUIC
		else
			audit_quic(a, p);
#else
		else
			(void)audit_gquic(a, p);
#endif
	} else if (p->proto == 6)
		audit_tcp(a, p);
}

size_t
audit_names_of(struct audit *a, const struct addr *addr, const uint8_t *mac,
    const struct hname **list)
{
	/* The list is the table's: with --workers the caller (the sensor's
	 * match hook) holds the lock while it uses it. */
	return a->names != NULL ? hnames_of(a->names, addr, mac, list) : 0;
}

/* ---- dnstap: DNS messages from a resolver's log ----------------------- */

void
audit_dns_msg(struct audit *a, const struct pkt *p, const uint8_t *msg,
    size_t len)
{
	audit_dns(a, p, msg, len, false);
}

void
audit_dnstap_count(struct audit *a, enum audit_dnstap what)
{
	switch (what) {
	case AUDIT_DNSTAP_FRAME:
		a->st.dnstap_frames++;
		break;
	case AUDIT_DNSTAP_CLIENT:
		a->st.dnstap_client++;
		break;
	case AUDIT_DNSTAP_OTHER:
		a->st.dnstap_other++;
		break;
	case AUDIT_DNSTAP_MALFORMED:
		a->st.dnstap_malformed++;
		break;
	}
}

void
audit_dnstap_resolver(struct audit *a, const uint8_t *msg, size_t len)
{
	a->st.dnstap_resolver++;
	if (msg == NULL || dns_question_lazy(msg, len, false, &a->q) !=
	    ERR_OK || !a->q.has_q)
		return;
	dns_question_name(msg, len, &a->q);
	if (match_name(a->cfg.match, a->q.qname, a->q.qname_len) != NULL)
		a->st.dnstap_resolver_matched++;
}
