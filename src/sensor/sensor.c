/* sensor.c - the one pipeline of read, live and the fuzzer: each record
 * counted, decoded, audited and aggregated; link types and time span kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "sensor_int.h"

struct sensor {
	struct decode		*dec;
	struct audit		*aud;
	struct aggregate	*agg;
	struct anon		*anon;
	struct sensor_shared	*sh;		/* NULL: agg is the sensor's */
	const struct match	*match;
	struct sensor_hooks	 hooks;
	struct report_linktype	 lt[SENSOR_MAX_LINKTYPES];
	size_t			 n_lt;
	struct sensor_span	 span;
	uint64_t		 by_cat[CAT_N];
	/* The record being audited and its input, for the match hook. */
	const struct capture_pkt *cur;
	const char		*cur_file;
	struct encap		 anon_encap[ENCAP_MAX];	/* anon_obs()'s */
};

/*
 * --anonymize: the observation as the outputs see it, every address a
 * pseudonym and no MAC.  Here, before the aggregate and the hooks, so that
 * no report can hold a real address.
 */
static const struct obs *
anon_obs(struct sensor *s, const struct obs *o, struct obs *copy,
    struct obs_answer *ans)
{
	size_t i;

	if (s->anon == NULL)
		return o;
	*copy = *o;
	anon_addr(s->anon, &copy->client, &o->client);
	anon_addr(s->anon, &copy->server, &o->server);
	anon_addr(s->anon, &copy->via, &o->via);
	for (i = 0; i < o->n_encap && i < ENCAP_MAX; i++) {
		s->anon_encap[i] = o->encap[i];
		anon_addr(s->anon, &s->anon_encap[i].src, &o->encap[i].src);
		anon_addr(s->anon, &s->anon_encap[i].dst, &o->encap[i].dst);
	}
	copy->encap = s->anon_encap;
	copy->has_mac = false;
	memset(copy->mac, 0, sizeof(copy->mac));
	if (o->answer != NULL) {
		*ans = *o->answer;
		anon_addr(s->anon, &ans->resolver, &o->answer->resolver);
		copy->answer = ans;
	}
	return copy;
}

/* A blind spot (DoT, DoH, ECH) of a host: counted, never an offence. */
static void
on_blind(void *arg, const struct obs *o, enum obs_blind b)
{
	struct sensor *s = arg;
	struct obs_answer ans;
	struct obs copy;

	sensor_shared_lock(s->sh);
	(void)aggregate_blind(s->agg, anon_obs(s, o, &copy, &ans), b);
	sensor_shared_unlock(s->sh);
}

/* Machine names (hnames.h) of a host, as learned: to its report. */
static void
on_names(void *arg, const struct addr *a, const uint8_t *mac,
    const struct hname *list, size_t n)
{
	struct sensor *s = arg;

	(void)aggregate_hnames(s->agg, a, mac, list, n, false);
}

/* The names the table holds for a matched client seen with its MAC. */
static void
on_names_of(struct sensor *s, const struct obs *raw)
{
	const struct hname *list;
	size_t n;

	if (s->anon != NULL || (n = audit_names_of(s->aud, &raw->client,
	    raw->has_mac ? raw->mac : NULL, &list)) == 0)
		return;
	(void)aggregate_hnames(s->agg, &raw->client, raw->has_mac ?
	    raw->mac : NULL, list, n, true);
}

static void
match_locked(struct sensor *s, const struct obs *raw,
    const struct match_sig *sig)
{
	struct obs_answer ans;
	struct obs copy, ev;
	const struct obs *o = anon_obs(s, raw, &copy, &ans);
	const struct capture_pkt *pkt = s->cur;
	const struct agg_host *h = NULL;

	if ((unsigned)sig->cat < CAT_N)
		s->by_cat[sig->cat]++;
	/*
	 * With ECH the server_name is only the public name of whoever fronts
	 * the real server: it goes to the events, never into a host's list of
	 * places it went.  A refused observation is counted by the aggregate.
	 */
	if (!(o->flags & OBS_F_ECH) && aggregate_add(s->agg, o, sig) ==
	    ERR_OK) {
		on_names_of(s, raw);
		h = aggregate_last(s->agg);
	}
	if (s->hooks.match == NULL)
		return;
	/* The events say who that host is, as the report does. */
	if (h != NULL && (h->subscriber != NULL || h->n_hnames > 0)) {
		ev = *o;
		ev.subscriber = h->subscriber;
		ev.machine = agg_host_machine_name(h);
		o = &ev;
	}
	/* Made in the record being audited (for a reassembled stream, the
	 * segment that completed it), or later, with no record. */
	if (pkt != NULL && (raw->frame != pkt->frame || raw->file == NULL ||
	    s->cur_file == NULL || strcmp(raw->file, s->cur_file) != 0))
		pkt = NULL;
	s->hooks.match(s->hooks.arg, o, raw, sig, pkt);
}

/* Every match: aggregated, then to the hook, with the shared tables'
 * lock held throughout when there are other workers. */
static void
on_match(void *arg, const struct obs *raw, const struct match_sig *sig)
{
	struct sensor *s = arg;

	sensor_shared_lock(s->sh);
	match_locked(s, raw, sig);
	sensor_shared_unlock(s->sh);
}

int
sensor_new(struct sensor **out, const struct sensor_config *cfg,
    const struct sensor_hooks *hooks)
{
	struct audit_config ac;
	struct sensor *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ERR_NOMEM;
	s->anon = cfg->anon;
	s->match = cfg->match;
	if (hooks != NULL)
		s->hooks = *hooks;
	memset(&ac, 0, sizeof(ac));
	ac.match = cfg->match;
	memcpy(ac.dns_ports, cfg->dns_ports, sizeof(ac.dns_ports));
	ac.n_dns_ports = cfg->n_dns_ports;
	memcpy(ac.trust, cfg->trust, sizeof(ac.trust));
	ac.n_trust = cfg->n_trust;
	ac.trust_set = cfg->trust_set;
	ac.flow = cfg->flow;
	ac.attrib = cfg->attrib;
	ac.blind = on_blind;
	ac.names_max = cfg->max_name_addrs;
	ac.names_off = cfg->anon != NULL;
	ac.names_fn = on_names;
	ac.defer_max = cfg->defer_max;
	if ((s->sh = cfg->shared) != NULL) {
		ac.shared_attrib = s->sh->attrib;
		ac.shared_names = s->sh->names;
		ac.lock = &s->sh->lock;
		s->agg = s->sh->agg;
	} else if ((s->agg = aggregate_new(cfg->max_names)) == NULL) {
		sensor_free(s);
		return ERR_NOMEM;
	}
	if ((s->dec = decode_new(cfg->frag_mem, cfg->frag_timeout)) == NULL ||
	    (s->aud = audit_new(&ac, on_match, s)) == NULL) {
		sensor_free(s);
		return ERR_NOMEM;
	}
	if (cfg->tunnel_depth_set)
		decode_set_tunnel_depth(s->dec, cfg->tunnel_depth);
	if (s->sh == NULL)
		aggregate_set_max_hosts(s->agg, cfg->max_hosts);
	*out = s;
	return ERR_OK;
}

void
sensor_free(struct sensor *s)
{
	if (s == NULL)
		return;
	audit_free(s->aud);
	decode_free(s->dec);
	if (s->sh == NULL)
		aggregate_free(s->agg);
	free(s);
}

int
sensor_open(struct sensor *s, struct sensor_input *in,
    const struct source_ops *ops, const char *spec,
    const struct source_config *sc)
{
	int r;

	(void)s;
	memset(in, 0, sizeof(*in));
	in->ops = ops;
	in->rf.path = spec;
	in->rf.format = "";
	in->rf.error = "";
	if ((r = ops->open(&in->state, spec, sc, in->err)) != ERR_OK) {
		in->state = NULL;
		in->rf.error = in->err;
		return r;
	}
	in->open = true;
	in->rf.format = ops->format(in->state);
	if (sc != NULL && sc->filter != NULL && ops->filter != NULL &&
	    (r = ops->filter(in->state, sc->filter, in->err)) != ERR_OK) {
		sensor_close(in);
		in->rf.error = in->err;
		return r;
	}
	return ERR_OK;
}

int
sensor_run(struct sensor *s, struct sensor_input *in, size_t max)
{
	int r;

	if (!in->open)
		return ERR_IO;
	audit_set_file(s->aud, in->rf.path);
	s->cur_file = in->rf.path;
	r = in->ops->next(in->state, s, in, max, in->err);
	if (r == ERR_END)
		in->rf.complete = true;
	else if (r != ERR_OK && r != ERR_NOTFOUND) {
		in->rf.complete = false;
		in->rf.error = in->err;
	}
	return r;
}

void
sensor_close(struct sensor_input *in)
{
	if (!in->open)
		return;
	in->rf.filtered = in->ops->filtered(in->state);
	in->ops->close(in->state);
	in->state = NULL;
	in->open = false;
}

static struct report_linktype *
linktype_slot(struct sensor *s, int linktype)
{
	struct report_linktype *lt;
	size_t i;

	for (i = 0; i < s->n_lt; i++)
		if (s->lt[i].linktype == linktype)
			return &s->lt[i];
	if (s->n_lt == SENSOR_MAX_LINKTYPES)
		return NULL;
	/* Kept sorted by link type so reports are in a stable order. */
	for (i = s->n_lt; i > 0 && s->lt[i - 1].linktype > linktype; i--)
		s->lt[i] = s->lt[i - 1];
	lt = &s->lt[i];
	s->n_lt++;
	lt->linktype = linktype;
	lt->name = capture_linktype_name(linktype);
	lt->packets = 0;
	lt->supported = decode_linktype_ok(linktype);
	return lt;
}

/* A record on a link type the decoder does not know, for the warning. */
static void
skipped(struct sensor_input *in, int linktype)
{
	size_t i;

	in->rf.unsupported++;
	for (i = 0; i < in->n_skipped &&
	    in->skipped[i].linktype != linktype; i++)
		;
	if (i == in->n_skipped && i < SENSOR_MAX_SKIPPED) {
		in->skipped[i].linktype = linktype;
		in->skipped[i].packets = 0;
		in->n_skipped++;
	}
	if (i < in->n_skipped)
		in->skipped[i].packets++;
}

/* A record's time into the span of the run. */
static inline void
span_add(struct sensor_span *sp, int64_t sec, uint32_t nsec)
{
	if (!sp->have || sec < sp->first_sec ||
	    (sec == sp->first_sec && nsec < sp->first_nsec)) {
		sp->first_sec = sec;
		sp->first_nsec = nsec;
	}
	if (!sp->have || sec > sp->last_sec ||
	    (sec == sp->last_sec && nsec > sp->last_nsec)) {
		sp->last_sec = sec;
		sp->last_nsec = nsec;
	}
	sp->have = true;
}

/* What every record of a capture counts, audited or screened. */
static inline void
sensor_count(struct sensor *s, struct sensor_input *in,
    const struct capture_pkt *cp)
{
	struct report_linktype *lt;

	in->rf.packets++;
	in->rf.bytes += cp->caplen;
	in->last_sec = cp->ts_sec;
	in->last_nsec = cp->ts_nsec;
	span_add(&s->span, cp->ts_sec, cp->ts_nsec);
	if ((lt = linktype_slot(s, cp->linktype)) != NULL)
		lt->packets++;
}

/* The steps after decoding, for sensor_packet() and
 * sensor_packet_decoded(): in line in each, a call a packet less. */
static inline void
packet_decoded(struct sensor *s, struct sensor_input *in,
    const struct capture_pkt *cp, int r, const struct pkt *p)
{
	sensor_count(s, in, cp);
	if (r == ERR_OK) {
		s->cur = cp;
		audit_packet(s->aud, p);
		s->cur = NULL;
		if (s->hooks.packet != NULL)
			s->hooks.packet(s->hooks.arg, cp, p);
	} else if (r == ERR_UNSUPPORTED)
		skipped(in, cp->linktype);
}

/*
 * A record another thread decoded (read --workers: capture_pipe.c) with
 * this sensor's decoder, in file order: r is decode_pkt()'s result, p the
 * packet on ERR_OK (frame and time set).  sensor_packet() is decode_pkt()
 * and then the same steps.
 */
void
sensor_packet_decoded(struct sensor *s, struct sensor_input *in,
    const struct capture_pkt *cp, int r, const struct pkt *p)
{
	packet_decoded(s, in, cp, r, p);
}

void
sensor_packet(struct sensor *s, struct sensor_input *in,
    const struct capture_pkt *cp)
{
	struct pkt p;
	int r;

	r = decode_pkt(s->dec, &p, cp->data, cp->caplen, cp->len,
	    cp->linktype, cp->ts_sec);
	if (r == ERR_OK) {
		p.frame = cp->frame;
		p.ts_sec = cp->ts_sec;
		p.ts_nsec = cp->ts_nsec;
	}
	packet_decoded(s, in, cp, r, &p);
}

struct decode *
sensor_decoder(struct sensor *s)
{
	return s->dec;
}

/* The verdict's bits above the audit's: the decoder's counts to make. */
#define SCR_DECODE	(1u << AUDIT_SCREEN_BITS)	/* not decoded */
#define SCR_V6		(2u << AUDIT_SCREEN_BITS)
#define SCR_CAPLEN	(4u << AUDIT_SCREEN_BITS)	/* caplen < len */

struct audit_screen *
sensor_screen_new(struct sensor *s)
{
	return audit_screen_new(s->aud);
}

void
sensor_screen_free(struct audit_screen *sc)
{
	audit_screen_free(sc);
}

uint32_t
sensor_screen(struct audit_screen *sc, const struct capture_pkt *cp,
    const struct pkt *p)
{
	struct pkt plain;
	uint32_t v;

	if (p != NULL)
		return audit_screen(sc, p);
	/* Not decoded: a packet decode_pkt() keeps no state for, whose
	 * counts sensor_packet_screened() makes. */
	if (decode_plain(&plain, cp->data, cp->caplen, cp->linktype) !=
	    ERR_OK || (v = audit_screen(sc, &plain)) == 0)
		return 0;
	return v | SCR_DECODE | (plain.src.family == 6 ? SCR_V6 : 0) |
	    (cp->caplen < cp->len ? SCR_CAPLEN : 0);
}

void
sensor_packet_screened(struct sensor *s, struct sensor_input *in,
    const struct capture_pkt *cp, uint32_t v)
{
	sensor_count(s, in, cp);
	if ((v & SCR_DECODE) != 0)
		decode_count_plain(s->dec, (v & SCR_V6) != 0, false,
		    (v & SCR_CAPLEN) != 0);
	audit_screened(s->aud, v & ((1u << AUDIT_SCREEN_BITS) - 1));
}

/* ---- logs: Zeek and Suricata records ---------------------------------- */

void
sensor_obs(struct sensor *s, struct sensor_input *in,
    const struct log_rec *rec, size_t bytes)
{
	/* Header lines, blank lines and events of no kind used are read
	 * but are no records of the input. */
	if (rec->kind == LOG_NONE)
		return;
	in->rf.packets++;
	in->rf.bytes += bytes;
	span_add(&s->span, rec->ts_sec, rec->ts_nsec);
	s->cur = NULL;
	audit_log(s->aud, rec);
}

void
sensor_log_bad(struct sensor *s, struct sensor_input *in, const char *msg)
{
	char more[ERRBUF_LEN];

	audit_log_malformed(s->aud);
	in->bad_lines++;
	if (s->hooks.warn == NULL || in->bad_lines > SENSOR_MAX_WARN + 1)
		return;
	if (in->bad_lines <= SENSOR_MAX_WARN) {
		s->hooks.warn(s->hooks.arg, msg);
		return;
	}
	snprintf(more, sizeof(more), "%s: more lines that do not parse: "
	    "not shown (counted in the report as logs.malformed)",
	    in->rf.path);
	s->hooks.warn(s->hooks.arg, more);
}

/* ---- DNS messages without packets (dnstap) ---------------------------- */

void
sensor_dns(struct sensor *s, struct sensor_input *in,
    const struct sensor_dns_ctx *x, const uint8_t *msg, size_t len)
{
	struct cur c = cur_init(msg, len);
	struct pkt p;
	bool qr;

	in->rf.packets++;
	in->rf.bytes += len;
	span_add(&s->span, x->ts_sec, x->ts_nsec);
	if (s->cur_file != in->rf.path) {
		/* A live connection is read outside sensor_run(). */
		audit_set_file(s->aud, in->rf.path);
		s->cur_file = in->rf.path;
	}
	cur_skip(&c, 2);
	qr = (cur_u8(&c) & 0x80) != 0;
	/* Only the fields audit reads for a DNS message; no link layer. */
	p.has_mac = false;
	p.n_vlan = 0;
	p.n_encap = 0;
	p.src = qr ? x->server : x->client;
	p.dst = qr ? x->client : x->server;
	p.sport = qr ? x->server_port : x->client_port;
	p.dport = qr ? x->client_port : x->server_port;
	p.proto = x->proto;
	p.reassembled = false;
	p.tcp_flags = 0;
	p.seq = p.ack = 0;
	p.payload = msg;
	p.payload_len = len;
	p.cut = false;
	p.frame = x->frame;
	p.ts_sec = x->ts_sec;
	p.ts_nsec = x->ts_nsec;
	s->cur = NULL;			/* no packet for the evidence */
	audit_dns_msg(s->aud, &p, msg, len);
}

/* Printable ASCII of a wire string, the rest as '?', into dst. */
static size_t
origin_put(char *dst, size_t cap, const uint8_t *p, size_t len)
{
	size_t i;

	if (cap == 0)
		return 0;
	if (len > cap - 1)
		len = cap - 1;
	for (i = 0; i < len; i++)
		dst[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	dst[len] = '\0';
	return len;
}

/* "dnstap (identity, version)" from the first message that has them. */
void
sensor_dnstap_origin(struct sensor_input *in, const struct dnstap_msg *m)
{
	char *o = in->origin;
	size_t cap = sizeof(in->origin), n;

	if (o[0] != '\0' || (m->identity_len == 0 && m->version_len == 0))
		return;
	n = (size_t)snprintf(o, cap, "dnstap (");
	if (m->identity_len > 0)
		n += origin_put(o + n, cap - n, m->identity,
		    m->identity_len < DNSTAP_NAME_MAX ? m->identity_len :
		    DNSTAP_NAME_MAX);
	if (m->identity_len > 0 && m->version_len > 0)
		n += (size_t)snprintf(o + n, cap - n, ", ");
	if (m->version_len > 0)
		n += origin_put(o + n, cap - n, m->version,
		    m->version_len < DNSTAP_NAME_MAX ? m->version_len :
		    DNSTAP_NAME_MAX);
	snprintf(o + n, cap - n, ")");
	in->rf.format = o;
}

void
sensor_dnstap(struct sensor *s, struct sensor_input *in,
    const struct dnstap_msg *m, uint64_t frame)
{
	struct sensor_dns_ctx x;

	audit_dnstap_count(s->aud, AUDIT_DNSTAP_FRAME);
	sensor_dnstap_origin(in, m);
	switch (m->type) {
	case DNSTAP_CLIENT_QUERY:
	case DNSTAP_CLIENT_RESPONSE:
		if (m->dns == NULL || m->query_addr.family == 0) {
			audit_dnstap_count(s->aud, AUDIT_DNSTAP_OTHER);
			return;
		}
		audit_dnstap_count(s->aud, AUDIT_DNSTAP_CLIENT);
		x.ts_sec = m->ts_sec;
		x.ts_nsec = m->ts_nsec;
		x.frame = frame;
		x.client = m->query_addr;
		x.server = m->response_addr;
		x.client_port = m->query_port;
		x.server_port = m->response_port;
		x.proto = m->proto;
		sensor_dns(s, in, &x, m->dns, m->dns_len);
		return;
	case DNSTAP_RESOLVER_QUERY:
	case DNSTAP_RESOLVER_RESPONSE:
		audit_dnstap_resolver(s->aud, m->dns, m->dns_len);
		return;
	default:
		audit_dnstap_count(s->aud, AUDIT_DNSTAP_OTHER);
		return;
	}
}

void
sensor_dnstap_bad(struct sensor *s, struct sensor_input *in,
    const char *why)
{
	audit_dnstap_count(s->aud, AUDIT_DNSTAP_MALFORMED);
	if (in->n_bad++ == 0)
		snprintf(in->bad, sizeof(in->bad), "%s", why);
}

void
sensor_finish(struct sensor *s)
{
	s->cur = NULL;
	audit_finish(s->aud);
}

void
sensor_set_match(struct sensor *s, const struct match *m)
{
	audit_set_match(s->aud, m);
	s->match = m;
}

void
sensor_defer_run(struct sensor *s, int64_t h_sec, uint32_t h_nsec,
    int64_t stale_ns, bool all)
{
	audit_defer_run(s->aud, h_sec, h_nsec, stale_ns, all);
}

struct aggregate *
sensor_aggregate(struct sensor *s)
{
	return s->agg;
}

struct sensor_span *
sensor_span(struct sensor *s)
{
	return &s->span;
}

const struct decode_stats *
sensor_decode_stats(const struct sensor *s)
{
	return decode_stats(s->dec);
}

const struct audit_stats *
sensor_audit_stats(const struct sensor *s)
{
	return audit_stats(s->aud);
}

const struct flow_stats *
sensor_flow_stats(const struct sensor *s)
{
	return audit_flow_stats(s->aud);
}

const uint64_t *
sensor_by_cat(const struct sensor *s)
{
	return s->by_cat;
}

void
sensor_meta(const struct sensor *s, struct report_meta *meta)
{
	meta->linktypes = s->lt;
	meta->n_linktypes = s->n_lt;
	meta->have_time = s->span.have;
	meta->first_sec = s->span.first_sec;
	meta->first_nsec = s->span.first_nsec;
	meta->last_sec = s->span.last_sec;
	meta->last_nsec = s->span.last_nsec;
	meta->decode = decode_stats(s->dec);
	meta->audit = audit_stats(s->aud);
	meta->flow = audit_flow_stats(s->aud);
	meta->match = s->match;
}
