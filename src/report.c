/* report.c - text, JSON (RFC 8259), JSON lines; ISO 8601 UTC times. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_int.h"
#include "stats.h"

#define NAME_COL_MAX	44	/* longer names push the other columns */
#define PATH_COL_MAX	32
#define JW_DEPTH	16

/*
 * ISO 8601 needs a four-digit year.  A time outside years 0000..9999 (a
 * corrupt or hostile timestamp) is written as "@SECONDS.MICROSECONDS" since
 * the epoch, which fits the buffer and is never mistaken for a date.
 */
const char *
report_time(char *buf, int64_t sec, uint32_t nsec)
{
	struct tm tm;
	time_t t;
	bool ok = true;

	/* nsec should be below 10^9; fold the excess into seconds. */
	if (nsec >= 1000000000u) {
		if (sec > INT64_MAX - 4)
			ok = false;
		else
			sec += nsec / 1000000000u;
		nsec %= 1000000000u;
	}
	t = (time_t)sec;
	if (ok && ((int64_t)t != sec || gmtime_r(&t, &tm) == NULL ||
	    tm.tm_year < -1900 || tm.tm_year > 9999 - 1900))
		ok = false;
	if (!ok) {
		snprintf(buf, REPORT_TIME_LEN, "@%" PRId64 ".%06" PRIu32, sec,
		    nsec / 1000u);
		return buf;
	}
	/* The remainders change nothing; they show the compiler 27 bytes. */
	snprintf(buf, REPORT_TIME_LEN, "%04u-%02u-%02uT%02u:%02u:%02u.%06uZ",
	    (unsigned)(tm.tm_year + 1900) % 10000u,
	    (unsigned)tm.tm_mon % 12u + 1u, (unsigned)tm.tm_mday % 32u,
	    (unsigned)tm.tm_hour % 24u, (unsigned)tm.tm_min % 60u,
	    (unsigned)tm.tm_sec % 61u, (unsigned)(nsec / 1000u) % 1000000u);
	return buf;
}

/* JSON key of a verdict: "product_active", ... */
static const char *
verdict_key(enum verdict v)
{
	static const char *const keys[VERDICT_N] = {
		"product_active", "product_likely", "browsing_only",
		"indirect",
	};

	return (unsigned)v < VERDICT_N ? keys[v] : "unknown";
}

/* " 4 product-active, 0 product-likely, ..." and a newline. */
static void
text_verdicts(FILE *fp, const struct agg_net *net, const struct aggregate *ag)
{
	unsigned v;
	size_t n;

	for (v = 0; v < VERDICT_N; v++) {
		n = net != NULL ? net->by_verdict[v] :
		    aggregate_by_verdict(ag, (enum verdict)v);
		fprintf(fp, "%s %zu %s", v > 0 ? "," : "", n,
		    verdict_name((enum verdict)v));
	}
	putc('\n', fp);
}

const char *
report_mac(char *buf, const uint8_t *m)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
	return buf;
}

/*
 * RFC 8259 7.  Valid UTF-8 passes through; a byte that is not part of valid
 * UTF-8 becomes \u00XX with the byte's value (so a reader cannot tell it
 * from the character U+00XX: doc/json.md says so).  DEL is escaped too, so
 * that a report viewed raw cannot carry control characters.
 */
static void
json_strn(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, j, k;

	putc('"', fp);
	while (i < n) {
		switch (p[i]) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\b':
			fputs("\\b", fp);
			break;
		case '\f':
			fputs("\\f", fp);
			break;
		default:
			/* The run of bytes that go out as they are, at once. */
			for (j = i; j < n; j += k) {
				if (p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' &&
				    p[j] != '\\')
					k = 1;
				else if (p[j] < 0x80 ||
				    (k = name_utf8_len(p + j, n - j)) == 0)
					break;
			}
			if (j > i) {
				fwrite(p + i, 1, j - i, fp);
				i = j;
				continue;
			}
			fprintf(fp, "\\u%04x", p[i]);
			break;
		}
		i++;
	}
	putc('"', fp);
}

/* A small JSON emitter: pretty (2-space indent) or compact. */
struct jw {
	FILE	*fp;
	bool	 pretty;
	int	 depth;
	bool	 first[JW_DEPTH];
};

static void
jw_indent(struct jw *w, int depth)
{
	int i;

	putc('\n', w->fp);
	for (i = 0; i < depth; i++)
		fputs("  ", w->fp);
}

static void
jw_init(struct jw *w, FILE *fp, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	w->pretty = pretty;
	w->first[0] = true;
}

/* Comma, line break and key before a member or element. */
static void
jw_key(struct jw *w, const char *key)
{
	if (!w->first[w->depth])
		putc(',', w->fp);
	w->first[w->depth] = false;
	if (w->pretty && w->depth > 0)
		jw_indent(w, w->depth);
	if (key != NULL) {
		json_strn(w->fp, key, strlen(key));
		fputs(w->pretty ? ": " : ":", w->fp);
	}
}

static void
jw_open(struct jw *w, const char *key, char c)
{
	jw_key(w, key);
	putc(c, w->fp);
	/* Deeper levels are never built; the cap only guards the array. */
	if (w->depth < JW_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = true;
}

static void
jw_close(struct jw *w, char c)
{
	if (w->pretty && !w->first[w->depth])
		jw_indent(w, w->depth - 1);
	if (w->depth > 0)
		w->depth--;
	putc(c, w->fp);
}

static void
jw_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	fprintf(w->fp, "%" PRIu64, v);
}

static void
jw_int(struct jw *w, const char *key, long long v)
{
	jw_key(w, key);
	fprintf(w->fp, "%lld", v);
}

static void
jw_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	fputs(v ? "true" : "false", w->fp);
}

static void
jw_null(struct jw *w, const char *key)
{
	jw_key(w, key);
	fputs("null", w->fp);
}

static void
jw_strn(struct jw *w, const char *key, const char *s, size_t n)
{
	jw_key(w, key);
	json_strn(w->fp, s, n);
}

/* NULL becomes null; so does "" when empty_null (a field not given). */
static void
jw_str(struct jw *w, const char *key, const char *s, bool empty_null)
{
	if (s == NULL || (empty_null && s[0] == '\0'))
		jw_null(w, key);
	else
		jw_strn(w, key, s, strlen(s));
}

static void
jw_time(struct jw *w, const char *key, int64_t sec, uint32_t nsec)
{
	char buf[REPORT_TIME_LEN];

	jw_str(w, key, report_time(buf, sec, nsec), false);
}

static void
jw_conf(struct jw *w, const char *key, char c)
{
	if (c == '-' || c == '\0')
		jw_null(w, key);
	else
		jw_strn(w, key, &c, 1);
}

static void
jw_addr(struct jw *w, const char *key, const struct addr *a)
{
	char buf[ADDR_STRLEN];

	jw_str(w, key, addr_fmt(a, buf), false);
}

static void
jw_mac(struct jw *w, const char *key, const uint8_t *m)
{
	char buf[18];

	jw_str(w, key, report_mac(buf, m), false);
}

static void
jw_vlans(struct jw *w, unsigned n, const uint16_t *vlan)
{
	unsigned i;

	if (n == 0) {
		jw_null(w, "vlan");
		return;
	}
	jw_u64(w, "vlan", vlan[0]);
	if (n < 2)
		return;
	jw_open(w, "vlans", '[');
	for (i = 0; i < n && i < 3; i++)
		jw_u64(w, NULL, vlan[i]);
	jw_close(w, ']');
}

static void
jw_ref(struct jw *w, const char *key, const struct agg_ref *r)
{
	jw_open(w, key, '{');
	jw_str(w, "file", r->file, false);
	jw_u64(w, "frame", r->frame);
	jw_time(w, "time", r->ts_sec, r->ts_nsec);
	jw_close(w, '}');
}

/* "a b  c" as ["a", "b", "c"]. */
static void
jw_words(struct jw *w, const char *key, const char *s)
{
	size_t n;

	jw_open(w, key, '[');
	while (s != NULL && *s != '\0') {
		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		n = strcspn(s, " \t");
		jw_strn(w, NULL, s, n);
		s += n;
	}
	jw_close(w, ']');
}

static void
jw_name(struct jw *w, const struct agg_name *n)
{
	const struct match_sig *sig = n->sig;
	unsigned k;

	jw_open(w, NULL, '{');
	jw_str(w, "name", n->name, false);
	jw_str(w, "category", sig ? match_cat_name(sig->cat) : NULL, false);
	jw_str(w, "pattern", sig ? sig->pattern : NULL, false);
	if (sig != NULL)
		jw_conf(w, "confidence", sig->confidence);
	else
		jw_null(w, "confidence");
	jw_str(w, "source", sig ? sig->source : NULL, true);
	jw_str(w, "set", sig ? sig->set : NULL, false);
	jw_u64(w, "count", n->count);
	jw_open(w, "kinds", '[');
	for (k = 0; k < OBS_N; k++)
		if (n->kinds & (1u << k))
			jw_str(w, NULL, obs_kind_name((enum obs_kind)k), false);
	jw_close(w, ']');
	jw_ref(w, "first", &n->first);
	jw_ref(w, "last", &n->last);
	jw_close(w, '}');
}

static void
jw_host(struct jw *w, const struct agg_host *h, bool resolver)
{
	size_t i;

	jw_open(w, NULL, '{');
	jw_addr(w, "address", &h->addr);
	if (h->has_mac)
		jw_mac(w, "mac", h->mac);
	else
		jw_null(w, "mac");
	jw_u64(w, "macs_seen", h->n_macs);
	jw_vlans(w, h->n_vlan, h->vlan);
	if (h->n_obs > 0) {
		jw_ref(w, "first_seen", &h->first);
		jw_ref(w, "last_seen", &h->last);
	} else {
		jw_null(w, "first_seen");
		jw_null(w, "last_seen");
	}
	jw_str(w, "verdict", verdict_name(h->verdict), false);
	jw_u64(w, "observations", h->n_obs);
	if (resolver) {
		jw_u64(w, "answered", h->answered);
		jw_u64(w, "answered_hosts", h->answered_hosts);
	}
	jw_open(w, "categories", '{');
	for (i = 0; i < CAT_N; i++)
		jw_u64(w, match_cat_name((enum match_cat)i), h->by_cat[i]);
	jw_close(w, '}');
	jw_open(w, "kinds", '{');
	for (i = 0; i < OBS_N; i++)
		jw_u64(w, obs_kind_name((enum obs_kind)i), h->by_kind[i]);
	jw_close(w, '}');
	/* Observations per verdict tier: what the verdict rests on. */
	jw_open(w, "tiers", '{');
	for (i = 0; i < VERDICT_N; i++)
		jw_u64(w, verdict_name((enum verdict)i), h->by_tier[i]);
	jw_close(w, '}');
	jw_open(w, "names", '[');
	for (i = 0; i < h->n_names; i++)
		jw_name(w, &h->names[i]);
	jw_close(w, ']');
	jw_u64(w, "names_dropped", h->names_dropped);
	jw_open(w, "blind", '{');
	for (i = 0; i < BLIND_N; i++)
		jw_u64(w, obs_blind_name((enum obs_blind)i), h->blind[i]);
	jw_close(w, '}');
	jw_u64(w, "ksc_agents", h->ksc_agents);
	jw_bool(w, "ksc_server", h->ksc_server);
	jw_close(w, '}');
}

/* Signature sets are loaded one after the other: count them as runs. */
bool
report_set_at(const struct report_meta *meta, size_t k, const char **name,
    uint64_t *count)
{
	const char *set;
	size_t i, n, r;

	if (meta->match == NULL) {
		if (k >= meta->n_sigsets || meta->sigsets == NULL)
			return false;
		*name = meta->sigsets[k].name;
		*count = meta->sigsets[k].count;
		return true;
	}
	for (i = 0, r = 0; i < match_count(meta->match); i += n, r++) {
		n = report_set_run(meta->match, i, &set);
		if (r == k) {
			*name = set;
			*count = n;
			return true;
		}
	}
	return false;
}

uint64_t
report_sig_total(const struct report_meta *meta)
{
	const char *name;
	uint64_t n, total = 0;
	size_t k;

	for (k = 0; report_set_at(meta, k, &name, &n); k++)
		total += n;
	return total;
}

size_t
report_set_run(const struct match *m, size_t i, const char **set)
{
	const struct match_sig *s = match_at(m, i), *t;
	size_t j;

	*set = s != NULL && s->set != NULL ? s->set : "";
	for (j = i + 1; j < match_count(m); j++) {
		t = match_at(m, j);
		if (t == NULL || t->set == NULL || strcmp(t->set, *set) != 0)
			break;
	}
	return j - i;
}

const struct decode_stats report_empty_decode;
const struct audit_stats report_empty_audit;

/*
 * The statistics sections (decode, dns, streams ... matches_by_kind), row
 * by row from stats.c; "streams" is null without a flow table.
 */
static void
jw_stats(struct jw *w, const struct decode_stats *ds,
    const struct audit_stats *as, const struct flow_stats *fs)
{
	const struct stats_section *secs, *sec;
	const struct stats_row *row;
	const uint64_t *v;
	size_t i, k, j, n;

	secs = stats_sections(&n);
	for (i = 0; i < n; i++) {
		sec = &secs[i];
		if (sec->flow && fs == NULL) {
			jw_null(w, sec->key);
			continue;
		}
		if (sec->key[0] != '\0')
			jw_open(w, sec->key, '{');
		for (k = 0; k < sec->n_rows; k++) {
			row = &sec->rows[k];
			if (row->key == NULL)
				continue;
			v = stats_get(row, ds, as, fs);
			if (row->n == 0) {
				jw_u64(w, row->key, *v);
				continue;
			}
			jw_open(w, row->key, '{');
			for (j = 0; j < row->n; j++)
				jw_u64(w, row->name(j), v[j]);
			jw_close(w, '}');
		}
		if (sec->key[0] != '\0')
			jw_close(w, '}');
	}
}

/*
 * True when a is inside net's CIDR.  The CIDR is the canonical form the
 * networks file or the grouping wrote, so it always parses; if it did not,
 * nothing would be taken for inside.
 */
bool
report_in_net(const struct agg_net *net, const struct addr *a)
{
	char buf[ADDR_STRLEN + 8], *slash;
	unsigned long long plen;
	struct addr pfx, m;

	if (net == NULL)
		return true;
	if (strlen(net->cidr) >= sizeof(buf))
		return false;
	strcpy(buf, net->cidr);
	if ((slash = strchr(buf, '/')) == NULL)
		return false;
	*slash = '\0';
	plen = strtoull(slash + 1, NULL, 10);
	if (!addr_parse(&pfx, buf) || pfx.family != a->family)
		return false;
	addr_mask(&m, a, (unsigned)plen);
	return addr_eq(&m, &pfx);
}

/*
 * True when a belongs to net as the aggregate groups hosts: by the longest
 * listed prefix of the networks file, else by --group-prefix.  So a DNS
 * server of a /26 listed inside a /24 is the /26's, not the /24's.  Without
 * the networks file at hand (meta->netmap NULL), by the CIDR alone.
 */
bool
report_owns(const struct report_meta *meta, const struct agg_net *net,
    const struct addr *a)
{
	const struct netmap_net *nn;
	char buf[ADDR_STRLEN + 8], ab[ADDR_STRLEN];
	struct addr m;

	if (net == NULL)
		return true;
	if (!report_in_net(net, a))
		return false;
	if (meta->netmap == NULL)
		return true;
	if ((nn = netmap_lookup(meta->netmap, a)) != NULL)
		return net->listed && strcmp(nn->cidr, net->cidr) == 0;
	if (net->listed)
		return false;
	addr_mask(&m, a, a->family == 4 ? meta->v4_plen : meta->v6_plen);
	snprintf(buf, sizeof(buf), "%s/%u", addr_fmt(&m, ab),
	    a->family == 4 ? (meta->v4_plen > 32 ? 32 : meta->v4_plen) :
	    (meta->v6_plen > 128 ? 128 : meta->v6_plen));
	return strcmp(buf, net->cidr) == 0;
}

/* The DNS servers (resolvers) or blind hosts of one network, or all. */
static size_t
n_in_net(const struct aggregate *ag, const struct report_meta *meta,
    const struct agg_net *only, bool resolvers)
{
	size_t i, n = 0, all = resolvers ? aggregate_n_resolvers(ag) :
	    aggregate_n_blind(ag);

	if (only == NULL)
		return all;
	for (i = 0; i < all; i++)
		if (report_owns(meta, only, &(resolvers ?
		    aggregate_resolver(ag, i) :
		    aggregate_blind_host(ag, i))->addr))
			n++;
	return n;
}

/* Blind spots of one network: its offenders, DNS servers, blind hosts. */
static uint64_t
blind_in_net(const struct aggregate *ag, const struct report_meta *meta,
    const struct agg_net *only, enum obs_blind b)
{
	const struct agg_host *h;
	uint64_t n = 0;
	size_t i;

	if (only == NULL)
		return aggregate_blind_total(ag, b);
	for (i = 0; i < only->n_hosts; i++)
		n += only->hosts[i]->blind[b];
	for (i = 0; i < aggregate_n_resolvers(ag); i++)
		if (report_owns(meta, only, &(h = aggregate_resolver(ag,
		    i))->addr))
			n += h->blind[b];
	for (i = 0; i < aggregate_n_blind(ag); i++)
		if (report_owns(meta, only, &(h = aggregate_blind_host(ag,
		    i))->addr))
			n += h->blind[b];
	return n;
}

static void
jw_net(struct jw *w, const struct agg_net *net)
{
	size_t j;

	jw_open(w, NULL, '{');
	jw_str(w, "name", net->name, false);
	jw_str(w, "cidr", net->cidr, false);
	jw_bool(w, "listed", net->listed);
	jw_words(w, "contacts", net->contacts);
	for (j = 0; j < VERDICT_N; j++)
		jw_u64(w, verdict_key((enum verdict)j), net->by_verdict[j]);
	jw_open(w, "hosts", '[');
	for (j = 0; j < net->n_hosts; j++)
		jw_host(w, net->hosts[j], false);
	jw_close(w, ']');
	jw_close(w, '}');
}

static int
json_report(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	const struct decode_stats *ds = meta->decode ? meta->decode :
	    &report_empty_decode;
	const struct audit_stats *as = meta->audit ? meta->audit :
	    &report_empty_audit;
	const struct report_file *f;
	const struct report_linktype *lt;
	const struct agg_host *h;
	const char *set;
	struct jw w;
	uint64_t sn;
	size_t i;

	jw_init(&w, fp, true);
	jw_open(&w, NULL, '{');
	jw_str(&w, "version", meta->version, false);
	jw_open(&w, "inputs", '[');
	for (i = 0; i < meta->n_files; i++) {
		f = &meta->files[i];
		jw_open(&w, NULL, '{');
		jw_str(&w, "path", f->path, false);
		jw_str(&w, "format", f->format, true);
		jw_u64(&w, "packets", f->packets);
		jw_u64(&w, "bytes", f->bytes);
		jw_u64(&w, "filtered", f->filtered);
		jw_bool(&w, "complete", f->complete);
		jw_str(&w, "error", f->error, true);
		jw_u64(&w, "unsupported_packets", f->unsupported);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_open(&w, "linktypes", '[');
	for (i = 0; i < meta->n_linktypes; i++) {
		lt = &meta->linktypes[i];
		jw_open(&w, NULL, '{');
		jw_int(&w, "linktype", lt->linktype);
		jw_str(&w, "name", lt->name, false);
		jw_u64(&w, "packets", lt->packets);
		jw_bool(&w, "supported", lt->supported);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_open(&w, "time", '{');
	if (meta->have_time) {
		jw_time(&w, "first", meta->first_sec, meta->first_nsec);
		jw_time(&w, "last", meta->last_sec, meta->last_nsec);
	} else {
		jw_null(&w, "first");
		jw_null(&w, "last");
	}
	jw_close(&w, '}');
	jw_u64(&w, "packets", meta->packets);
	jw_u64(&w, "bytes", meta->bytes);
	jw_str(&w, "filter", meta->filter, false);
	jw_open(&w, "signatures", '{');
	jw_u64(&w, "count", report_sig_total(meta));
	jw_open(&w, "sets", '[');
	for (i = 0; report_set_at(meta, i, &set, &sn); i++) {
		jw_open(&w, NULL, '{');
		jw_str(&w, "name", set, false);
		jw_u64(&w, "count", sn);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	jw_open(&w, "options", '{');
	jw_open(&w, "group_prefix", '{');
	jw_u64(&w, "ipv4", meta->v4_plen);
	jw_u64(&w, "ipv6", meta->v6_plen);
	jw_close(&w, '}');
	jw_u64(&w, "max_names", meta->max_names);
	/* Only when set: reports without it keep their exact old form. */
	if (meta->anonymized)
		jw_bool(&w, "anonymized", true);
	jw_close(&w, '}');
	jw_stats(&w, ds, as, meta->flow);
	jw_open(&w, "summary", '{');
	jw_u64(&w, "hosts", only ? only->n_hosts : aggregate_n_hosts(ag));
	for (i = 0; i < VERDICT_N; i++)
		jw_u64(&w, verdict_key((enum verdict)i), only ?
		    only->by_verdict[i] : aggregate_by_verdict(ag,
		    (enum verdict)i));
	jw_u64(&w, "resolvers", n_in_net(ag, meta, only, true));
	jw_u64(&w, "refused", aggregate_refused(ag));
	jw_u64(&w, "hosts_refused", aggregate_hosts_refused(ag));
	jw_close(&w, '}');
	jw_open(&w, "networks", '[');
	if (only != NULL)
		jw_net(&w, only);
	for (i = 0; only == NULL && i < aggregate_n_nets(ag); i++)
		jw_net(&w, aggregate_net(ag, i));
	jw_close(&w, ']');
	jw_open(&w, "resolvers", '[');
	for (i = 0; i < aggregate_n_resolvers(ag); i++) {
		h = aggregate_resolver(ag, i);
		if (report_owns(meta, only, &h->addr))
			jw_host(&w, h, true);
	}
	jw_close(&w, ']');
	/* What the audit could not see: totals, then the hosts with blind
	 * spots and no match. */
	jw_open(&w, "blind_spots", '{');
	for (i = 0; i < BLIND_N; i++)
		jw_u64(&w, obs_blind_name((enum obs_blind)i),
		    blind_in_net(ag, meta, only, (enum obs_blind)i));
	jw_open(&w, "hosts", '[');
	for (i = 0; i < aggregate_n_blind(ag); i++) {
		h = aggregate_blind_host(ag, i);
		if (report_owns(meta, only, &h->addr))
			jw_host(&w, h, false);
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	jw_close(&w, '}');
	putc('\n', fp);
	return ferror(fp) ? ERR_IO : ERR_OK;
}

int
report_json(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	return json_report(fp, ag, meta, NULL);
}

int
report_json_net(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *net)
{
	return json_report(fp, ag, meta, net);
}

int
report_event(FILE *fp, const struct obs *o, const struct match_sig *sig)
{
	struct jw w;

	jw_init(&w, fp, false);
	jw_open(&w, NULL, '{');
	jw_str(&w, "file", o->file, false);
	jw_u64(&w, "frame", o->frame);
	jw_time(&w, "time", o->ts_sec, o->ts_nsec);
	jw_addr(&w, "client", &o->client);
	/* A client named by a proxy's header: its port is not known. */
	if (o->flags & OBS_F_FORWARDED)
		jw_null(&w, "client_port");
	else
		jw_u64(&w, "client_port", o->client_port);
	jw_addr(&w, "server", &o->server);
	jw_u64(&w, "server_port", o->server_port);
	jw_str(&w, "kind", obs_kind_name(o->kind), false);
	if (o->name != NULL)
		jw_strn(&w, "name", o->name, o->name_len);
	else
		jw_null(&w, "name");
	jw_str(&w, "pattern", sig ? sig->pattern : NULL, false);
	jw_str(&w, "category", sig ? match_cat_name(sig->cat) : NULL, false);
	if (sig != NULL)
		jw_conf(&w, "confidence", sig->confidence);
	else
		jw_null(&w, "confidence");
	jw_str(&w, "set", sig ? sig->set : NULL, false);
	/* Flags only when set, so that a plain DNS line stays short. */
	if (o->flags & OBS_F_CNAME)
		jw_bool(&w, "cname", true);
	if (o->flags & OBS_F_ECH)
		jw_bool(&w, "ech", true);
	if (o->flags & OBS_F_TUNNEL)
		jw_bool(&w, "tunnel", true);
	if (o->flags & OBS_F_MISMATCH)
		jw_bool(&w, "host_mismatch", true);
	if (o->flags & OBS_F_FORWARDED)
		jw_addr(&w, "via", &o->via);
	if (o->answer != NULL) {
		/* The evidence chain of a dns-correlated contact. */
		jw_open(&w, "answer", '{');
		jw_str(&w, "file", o->answer->file, false);
		jw_u64(&w, "frame", o->answer->frame);
		jw_time(&w, "time", o->answer->ts_sec, o->answer->ts_nsec);
		jw_addr(&w, "resolver", &o->answer->resolver);
		jw_bool(&w, "own", o->answer->own);
		jw_close(&w, '}');
	}
	if (o->n_vlan > 0)
		jw_vlans(&w, o->n_vlan, o->vlan);
	if (o->has_mac)
		jw_mac(&w, "mac", o->mac);
	jw_close(&w, '}');
	putc('\n', fp);
	return ferror(fp) ? ERR_IO : ERR_OK;
}

/*
 * Text for a terminal: control bytes, DEL and every non-ASCII byte as
 * \xHH, so a hostile name cannot move the cursor or recolour the screen.
 * Returns the columns written.
 */
static size_t
text_strn(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, w = 0;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] >= 0x7f) {
			fprintf(fp, "\\x%02x", p[i]);
			w += 4;
		} else {
			putc(p[i], fp);
			w++;
		}
	}
	return w;
}

static size_t
text_str(FILE *fp, const char *s)
{
	return s != NULL ? text_strn(fp, s, strlen(s)) : 0;
}

static size_t
text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	for (; p != NULL && *p != '\0'; p++)
		w += *p < 0x20 || *p >= 0x7f ? 4 : 1;
	return w;
}

static void
spaces(FILE *fp, size_t n)
{
	while (n-- > 0)
		putc(' ', fp);
}

/* s padded to width columns (never cut: a long name just pushes on). */
static void
text_pad(FILE *fp, const char *s, size_t width)
{
	size_t w = text_str(fp, s);

	if (w < width)
		spaces(fp, width - w);
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "update 5, web 2" over the non-zero counts; "none" if all are zero. */
static void
text_counts(FILE *fp, const uint64_t *v, size_t n,
    const char *(*name)(size_t))
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == 0)
			continue;
		fprintf(fp, "%s%s %" PRIu64, any ? ", " : "", name(i), v[i]);
		any = true;
	}
	if (!any)
		fputs("none", fp);
}

static const char *
cat_name_i(size_t i)
{
	return match_cat_name((enum match_cat)i);
}

static const char *
kind_name_i(size_t i)
{
	return obs_kind_name((enum obs_kind)i);
}

static void
text_ref(FILE *fp, const struct agg_ref *r)
{
	char tb[REPORT_TIME_LEN];

	fprintf(fp, "%s  (", report_time(tb, r->ts_sec, r->ts_nsec));
	text_str(fp, r->file);
	fprintf(fp, ":%" PRIu64 ")", r->frame);
}

static void
text_names(FILE *fp, const struct agg_host *h)
{
	const struct agg_name *n;
	const struct match_sig *sig;
	size_t i, width = 4, w;
	char conf;

	for (i = 0; i < h->n_names; i++) {
		w = text_width(h->names[i].name);
		if (w > width)
			width = w < NAME_COL_MAX ? w : NAME_COL_MAX;
	}
	fputs("      ", fp);
	text_pad(fp, "name", width);
	fputs("  category    conf    count  first seen\n", fp);
	for (i = 0; i < h->n_names; i++) {
		n = &h->names[i];
		sig = n->sig;
		conf = sig != NULL && sig->confidence != '\0' ?
		    sig->confidence : '-';
		fputs("      ", fp);
		text_pad(fp, n->name, width);
		fputs("  ", fp);
		text_pad(fp, sig ? match_cat_name(sig->cat) : "?", 10);
		fputs("  ", fp);
		text_strn(fp, &conf, 1);
		fprintf(fp, "     %7" PRIu64 "  ", n->count);
		text_str(fp, n->first.file);
		fprintf(fp, ":%" PRIu64 "\n", n->first.frame);
	}
	if (h->names_dropped > 0)
		fprintf(fp, "      ... and %" PRIu64 " more %s\n",
		    h->names_dropped, plural(h->names_dropped, "name",
		    "names"));
}

/* "    Hidden    DoH 3, ECH 1": contacts that hid lookups or names. */
static void
text_blind(FILE *fp, const struct agg_host *h)
{
	static const char *const label[BLIND_N] = {
		"DNS over TLS/QUIC", "DNS over HTTPS", "ECH",
	};
	const char *sep = "";
	unsigned b;

	for (b = 0; b < BLIND_N; b++) {
		if (h->blind[b] == 0)
			continue;
		fprintf(fp, "%s%s %" PRIu64, *sep ? sep : "    Hidden    ",
		    label[b], h->blind[b]);
		sep = ", ";
	}
	if (*sep)
		putc('\n', fp);
}

static void
text_host(FILE *fp, const struct agg_host *h, bool resolver)
{
	char ab[ADDR_STRLEN], mb[18];
	unsigned i;

	fprintf(fp, "  %s", addr_fmt(&h->addr, ab));
	if (resolver)
		fprintf(fp, "  answered %" PRIu64 " matched %s for %zu %s\n",
		    h->answered, plural(h->answered, "query", "queries"),
		    h->answered_hosts, plural(h->answered_hosts, "host",
		    "hosts"));
	else if (h->n_obs == 0)
		fputs("  lookups hidden\n", fp);
	else
		fprintf(fp, "  %s\n", verdict_name(h->verdict));
	if (h->has_mac) {
		fprintf(fp, "    MAC       %s", report_mac(mb, h->mac));
		if (h->n_macs > 1)
			fprintf(fp, "  (%s%u MACs seen)", h->n_macs >= 8 ?
			    "at least " : "", h->n_macs);
		putc('\n', fp);
	}
	if (h->n_vlan > 0) {
		fputs("    VLAN      ", fp);
		for (i = 0; i < h->n_vlan && i < 3; i++)
			fprintf(fp, "%s%u", i ? "." : "", h->vlan[i]);
		fputs(h->n_vlan > 1 ? "  (outer first)\n" : "\n", fp);
	}
	if (h->ksc_server)
		fprintf(fp, "    Likely Kaspersky Security Center server: %zu "
		    "%s reached it on its ports\n", h->ksc_agents,
		    plural(h->ksc_agents, "agent", "agents"));
	text_blind(fp, h);
	if (h->n_obs == 0)
		return;
	if (resolver)
		fputs("    Its own lookups:\n", fp);
	fputs("    First     ", fp);
	text_ref(fp, &h->first);
	fputs("\n    Last      ", fp);
	text_ref(fp, &h->last);
	fprintf(fp, "\n    Matches   %" PRIu64 ": ", h->n_obs);
	text_counts(fp, h->by_cat, CAT_N, cat_name_i);
	fputs("\n    Evidence  ", fp);
	text_counts(fp, h->by_kind, OBS_N, kind_name_i);
	putc('\n', fp);
	text_names(fp, h);
}

static void
text_inputs(FILE *fp, const struct report_meta *meta)
{
	const struct report_file *f;
	const struct report_linktype *lt;
	size_t i, width = 4, w;

	fputs("Inputs\n", fp);
	if (meta->n_files == 0)
		fputs("  none\n", fp);
	for (i = 0; i < meta->n_files; i++) {
		w = text_width(meta->files[i].path);
		if (w > width)
			width = w < PATH_COL_MAX ? w : PATH_COL_MAX;
	}
	for (i = 0; i < meta->n_files; i++) {
		f = &meta->files[i];
		fputs("  ", fp);
		/* A long path gets a line of its own to keep the columns. */
		if (text_width(f->path) > width) {
			text_str(fp, f->path);
			putc('\n', fp);
			spaces(fp, width + 2);
		} else {
			text_pad(fp, f->path, width);
		}
		fputs("  ", fp);
		text_pad(fp, f->format != NULL && f->format[0] != '\0' ?
		    f->format : "-", 6);
		fprintf(fp, "  %9" PRIu64 " %s  %11" PRIu64 " bytes\n",
		    f->packets, plural(f->packets, "packet ", "packets"),
		    f->bytes);
		if (f->filtered > 0)
			fprintf(fp, "    %" PRIu64 " %s rejected by the "
			    "filter\n", f->filtered, plural(f->filtered,
			    "packet", "packets"));
		if (f->unsupported > 0)
			fprintf(fp, "    %" PRIu64 " %s skipped: link type not "
			    "supported\n", f->unsupported,
			    plural(f->unsupported, "packet", "packets"));
		if (!f->complete) {
			fputs("    INCOMPLETE: ", fp);
			text_str(fp, f->error != NULL && f->error[0] != '\0' ?
			    f->error : "not read to its end");
			putc('\n', fp);
		}
	}
	if (meta->n_linktypes == 0)
		return;
	fputs("Link types\n", fp);
	for (i = 0; i < meta->n_linktypes; i++) {
		lt = &meta->linktypes[i];
		fprintf(fp, "  %5d  ", lt->linktype);
		text_pad(fp, lt->name != NULL ? lt->name : "unknown", 16);
		fprintf(fp, "  %10" PRIu64 " %s%s\n", lt->packets,
		    plural(lt->packets, "packet ", "packets"),
		    lt->supported ? "" : "  NOT SUPPORTED: skipped");
	}
}

static void
text_capture(FILE *fp, const struct report_meta *meta)
{
	char t1[REPORT_TIME_LEN], t2[REPORT_TIME_LEN];
	const char *set;
	uint64_t sn, total = report_sig_total(meta);
	size_t i;

	if (meta->have_time)
		fprintf(fp, "Time        %s .. %s\n", report_time(t1,
		    meta->first_sec, meta->first_nsec), report_time(t2,
		    meta->last_sec, meta->last_nsec));
	else
		fputs("Time        no packets\n", fp);
	fprintf(fp, "Packets     %" PRIu64 " (%" PRIu64 " bytes)\n",
	    meta->packets, meta->bytes);
	if (meta->filter != NULL) {
		fputs("Filter      ", fp);
		text_str(fp, meta->filter);
		putc('\n', fp);
	}
	fprintf(fp, "Signatures  %" PRIu64, total);
	for (i = 0; report_set_at(meta, i, &set, &sn); i++) {
		fputs(i == 0 ? " (" : ", ", fp);
		text_str(fp, set);
		fprintf(fp, " %" PRIu64, sn);
	}
	fputs(total > 0 ? ")\n" : "\n", fp);
	fprintf(fp, "Grouping    by /%u (IPv4), /%u (IPv6) outside listed "
	    "networks\n", meta->v4_plen, meta->v6_plen);
	fprintf(fp, "Names       up to %zu per host\n", meta->max_names);
	if (meta->anonymized)
		fputs("Addresses   pseudonyms (--anonymize: Crypto-PAn, prefix-"
		    "preserving);\n            MACs left out\n", fp);
}

/* One "N what" line under "Could not look into", if N is not zero. */
static bool
text_unseen(FILE *fp, bool any, uint64_t n, const char *what)
{
	if (n == 0)
		return any;
	if (!any)
		fputs("  Could not look into:\n", fp);
	fprintf(fp, "    %10" PRIu64 "  %s\n", n, what);
	return true;
}

/* Lines for the stream parsers, each only when it saw anything. */
static void
text_streams(FILE *fp, const struct audit_stats *as)
{
	if (as->tls_hellos > 0)
		fprintf(fp, "  TLS: %" PRIu64 " %s (%" PRIu64 " without SNI, "
		    "%" PRIu64 " with ECH)\n", as->tls_hellos,
		    plural(as->tls_hellos, "ClientHello", "ClientHellos"),
		    as->tls_no_sni, as->tls_ech);
	if (as->http_requests > 0)
		fprintf(fp, "  HTTP: %" PRIu64 " %s\n", as->http_requests,
		    plural(as->http_requests, "request", "requests"));
	if (as->socks_requests > 0)
		fprintf(fp, "  SOCKS: %" PRIu64 " %s\n", as->socks_requests,
		    plural(as->socks_requests, "request", "requests"));
	if (as->dns_tcp_msgs > 0)
		fprintf(fp, "  DNS over TCP: %" PRIu64 " %s\n",
		    as->dns_tcp_msgs, plural(as->dns_tcp_msgs, "message",
		    "messages"));
	if (as->quic_initials > 0)
		fprintf(fp, "  QUIC: %" PRIu64 " %s (%" PRIu64 " %s)\n",
		    as->quic_initials, plural(as->quic_initials, "Initial",
		    "Initials"), as->quic_hellos, plural(as->quic_hellos,
		    "ClientHello", "ClientHellos"));
}

/* Only counts above 0 are worth a line. */
static void
unseen(report_unseen_fn *fn, void *arg, uint64_t n, const char *what)
{
	if (n > 0)
		fn(arg, n, what);
}

/*
 * Everything that was there but could not be read, in the order a packet
 * meets it: link, IP, the parsers, then the limits of the flow table.
 */
void
report_unseen_each(const struct aggregate *ag,
    const struct report_meta *meta, report_unseen_fn *fn, void *arg)
{
	const struct decode_stats *ds = meta->decode ? meta->decode :
	    &report_empty_decode;
	const struct audit_stats *as = meta->audit ? meta->audit :
	    &report_empty_audit;
	const struct flow_stats *fs = meta->flow;
	uint64_t unsupported = 0;
	char what[64];
	size_t i;

	for (i = 0; i < meta->n_files; i++)
		unsupported += meta->files[i].unsupported;
	unseen(fn, arg, unsupported,
	    "packets on link types not supported");
	for (i = 0; i < DL_N; i++) {
		snprintf(what, sizeof(what), "packets malformed at %s",
		    decode_layer_name((enum decode_layer)i));
		unseen(fn, arg, ds->malformed[i], what);
	}
	unseen(fn, arg, ds->frag_timeouts,
	    "fragmented datagrams never completed");
	unseen(fn, arg, ds->frag_evicted,
	    "fragmented datagrams dropped (--max-frag-mem)");
	unseen(fn, arg, as->dns_malformed,
	    "DNS messages malformed");
	unseen(fn, arg, as->dns_cut,
	    "DNS messages cut by the snap length");
	unseen(fn, arg, as->tls_malformed,
	    "TLS ClientHellos malformed");
	unseen(fn, arg, as->tls_too_big,
	    "TLS ClientHellos too big (--stream-bytes)");
	unseen(fn, arg, as->tls_no_sni,
	    "TLS ClientHellos without a server name (SNI)");
	unseen(fn, arg, as->tls_ech,
	    "TLS with ECH: name hidden (outer name only in --events)");
	unseen(fn, arg, as->blind[BLIND_DOT],
	    "connections to DNS over TLS/QUIC (port 853)");
	unseen(fn, arg, as->blind[BLIND_DOH],
	    "contacts with DNS-over-HTTPS services");
	unseen(fn, arg, as->http_malformed,
	    "HTTP requests malformed");
	unseen(fn, arg, as->http_too_big,
	    "HTTP request headers too big to read");
	unseen(fn, arg, as->quic_failed,
	    "QUIC Initials that did not decrypt");
	unseen(fn, arg, as->quic_malformed,
	    "QUIC ClientHellos malformed");
	if (fs != NULL) {
		unseen(fn, arg, fs->gaps,
		    "TCP streams with gaps (bytes missing from the capture)");
		unseen(fn, arg, fs->capped,
		    "TCP streams cut at the --stream-bytes window");
	}
	unseen(fn, arg, as->streams_unfinished,
	    "TCP streams given up: no name within --stream-bytes");
	if (fs != NULL) {
		unseen(fn, arg, fs->holes_full,
		    "TCP segments dropped: too many holes in a stream");
		unseen(fn, arg, fs->evicted,
		    "flows evicted from a full table (--max-flows)");
		unseen(fn, arg, fs->stolen,
		    "TCP streams dropped for a newer one (--stream-buffers)");
		unseen(fn, arg, fs->no_buffer,
		    "TCP streams without a buffer (--stream-buffers)");
	}
	unseen(fn, arg, aggregate_hosts_refused(ag),
	    "matches of hosts over --max-hosts, refused");
	unseen(fn, arg, aggregate_refused(ag) - aggregate_hosts_refused(ag),
	    "matches refused: out of memory");
}


struct text_unseen_arg {
	FILE	*fp;
	bool	 any;
};

static void
text_unseen_line(void *arg, uint64_t n, const char *what)
{
	struct text_unseen_arg *ta = arg;

	ta->any = text_unseen(ta->fp, ta->any, n, what);
}

static bool
text_unseen_all(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	struct text_unseen_arg ta = { fp, false };

	report_unseen_each(ag, meta, text_unseen_line, &ta);
	return ta.any;
}

static void
text_summary(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	const struct audit_stats *as = meta->audit ? meta->audit :
	    &report_empty_audit;
	size_t hosts = aggregate_n_hosts(ag), res = aggregate_n_resolvers(ag);

	fputs("\nSummary\n", fp);
	if (hosts == 0)
		fputs("  No host contacted a name in the signature sets.\n",
		    fp);
	else {
		fprintf(fp, "  %zu %s contacted Kaspersky:\n   ", hosts,
		    plural(hosts, "host", "hosts"));
		text_verdicts(fp, NULL, ag);
	}
	if (res > 0)
		fprintf(fp, "  %zu DNS %s relayed matched lookups\n", res,
		    plural(res, "server", "servers"));
	fprintf(fp, "  DNS: %" PRIu64 " %s (%" PRIu64 " %s, %" PRIu64 " %s)\n",
	    as->dns_msgs, plural(as->dns_msgs, "message", "messages"),
	    as->dns_queries, plural(as->dns_queries, "query", "queries"),
	    as->dns_responses,
	    plural(as->dns_responses, "response", "responses"));
	text_streams(fp, as);
	fprintf(fp, "  Names looked up: %" PRIu64 "\n", as->names_seen);
	fprintf(fp, "  Matches: %" PRIu64, as->matches);
	if (as->matches > 0) {
		fputs(" (", fp);
		text_counts(fp, as->by_kind, OBS_N, kind_name_i);
		putc(')', fp);
	}
	putc('\n', fp);
	if (!text_unseen_all(fp, ag, meta))
		fputs("  Nothing malformed, cut, missing or refused.\n", fp);
}

static void
text_net(FILE *fp, const struct agg_net *net)
{
	size_t i;

	fputs("\nNetwork ", fp);
	text_str(fp, net->name);
	if (net->listed && strcmp(net->name, net->cidr) != 0) {
		fputs(" (", fp);
		text_str(fp, net->cidr);
		putc(')', fp);
	}
	if (!net->listed)
		fputs(" (not in the networks file)", fp);
	fprintf(fp, "\n  %zu %s:", net->n_hosts, plural(net->n_hosts, "host",
	    "hosts"));
	text_verdicts(fp, net, NULL);
	if (net->contacts != NULL && net->contacts[0] != '\0') {
		fputs("  Contacts: ", fp);
		text_str(fp, net->contacts);
		putc('\n', fp);
	}
	for (i = 0; i < net->n_hosts; i++) {
		putc('\n', fp);
		text_host(fp, net->hosts[i], false);
	}
}

/* The DNS servers and the hosts with blind spots, of one network or all. */
static void
text_others(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	const struct agg_host *h;
	size_t i;

	if (n_in_net(ag, meta, only, true) > 0) {
		fputs("\nDNS servers that answered matched queries\n", fp);
		for (i = 0; i < aggregate_n_resolvers(ag); i++) {
			h = aggregate_resolver(ag, i);
			if (!report_owns(meta, only, &h->addr))
				continue;
			putc('\n', fp);
			text_host(fp, h, true);
		}
	}
	if (n_in_net(ag, meta, only, false) > 0) {
		fputs("\nHosts whose lookups the audit could not see (no "
		    "Kaspersky evidence;\nthey used encrypted DNS or ECH, so "
		    "this says nothing either way)\n", fp);
		for (i = 0; i < aggregate_n_blind(ag); i++) {
			h = aggregate_blind_host(ag, i);
			if (!report_owns(meta, only, &h->addr))
				continue;
			putc('\n', fp);
			text_host(fp, h, false);
		}
	}
}

int
report_text_net(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *net)
{
	size_t res = n_in_net(ag, meta, net, true);

	fputs("kasaudit ", fp);
	text_str(fp, meta->version != NULL ? meta->version : "?");
	fputs(" report for network ", fp);
	text_str(fp, net->name);
	fputs("\n\n", fp);
	text_inputs(fp, meta);
	putc('\n', fp);
	text_capture(fp, meta);
	fputs("\nSummary\n", fp);
	if (net->n_hosts == 0)
		fputs("  No host of this network contacted a name in the "
		    "signature sets.\n", fp);
	else {
		fprintf(fp, "  %zu %s of this network contacted Kaspersky:\n"
		    "   ", net->n_hosts, plural(net->n_hosts, "host",
		    "hosts"));
		text_verdicts(fp, net, NULL);
	}
	if (res > 0)
		fprintf(fp, "  %zu DNS %s of this network relayed matched "
		    "lookups\n", res, plural(res, "server", "servers"));
	if (text_unseen_all(fp, ag, meta))
		fputs("  (counts for the whole capture, not only this "
		    "network)\n", fp);
	text_net(fp, net);
	text_others(fp, ag, meta, net);
	return ferror(fp) ? ERR_IO : ERR_OK;
}

int
report_text(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	size_t i;

	fputs("kasaudit ", fp);
	text_str(fp, meta->version != NULL ? meta->version : "?");
	fputs(" report\n\n", fp);
	text_inputs(fp, meta);
	putc('\n', fp);
	text_capture(fp, meta);
	text_summary(fp, ag, meta);
	for (i = 0; i < aggregate_n_nets(ag); i++)
		text_net(fp, aggregate_net(ag, i));
	text_others(fp, ag, meta, NULL);
	return ferror(fp) ? ERR_IO : ERR_OK;
}

/* ---- CSV (RFC 4180) ----------------------------------------------------- */

/* A cell being put together: grows as needed (report time, not per packet). */
struct sbuf {
	char	*p;
	size_t	 len, cap;
	bool	 nomem;
};

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
	char *np;
	size_t cap;

	if (b->nomem)
		return;
	if (n > b->cap - b->len) {
		cap = b->cap ? b->cap : 128;
		while (cap - b->len < n && cap < SIZE_MAX / 2)
			cap *= 2;
		if (cap - b->len < n || (np = realloc(b->p, cap)) == NULL) {
			b->nomem = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* Control bytes, DEL and bytes that are not UTF-8 as \xHH; the rest as is. */
static void
sb_clean(struct sbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	char hx[5];

	while (i < n) {
		k = p[i] >= 0x20 && p[i] != 0x7f ?
		    name_utf8_len(p + i, n - i) : 0;
		if (k > 0) {
			sb_put(b, s + i, k);
			i += k;
			continue;
		}
		snprintf(hx, sizeof(hx), "\\x%02x", p[i]);
		sb_put(b, hx, 4);
		i++;
	}
}

/*
 * Writes the cell in b as one field.  A cell a spreadsheet would run as a
 * formula gets a leading ' (OWASP, "CSV Injection"); a cell holding a
 * comma, quote or line break is quoted with its quotes doubled (RFC 4180 2).
 */
static void
csv_cell(FILE *fp, const struct sbuf *b, bool last)
{
	bool formula = b->len > 0 && strchr("=+-@\t\r", b->p[0]) != NULL;
	bool quote = false;
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->p[i] == '"' || b->p[i] == ',' || b->p[i] == '\r' ||
		    b->p[i] == '\n')
			quote = true;
	if (quote)
		putc('"', fp);
	if (formula)
		putc('\'', fp);
	for (i = 0; i < b->len; i++) {
		if (b->p[i] == '"')
			putc('"', fp);
		putc(b->p[i], fp);
	}
	if (quote)
		putc('"', fp);
	fputs(last ? "\r\n" : ",", fp);
}

static void
csv_str(FILE *fp, struct sbuf *b, const char *s, bool last)
{
	b->len = 0;
	if (s != NULL)
		sb_clean(b, s, strlen(s));
	csv_cell(fp, b, last);
}

static void
csv_u64(FILE *fp, uint64_t v, bool last)
{
	fprintf(fp, "%" PRIu64 "%s", v, last ? "\r\n" : ",");
}

static void
csv_host(FILE *fp, struct sbuf *b, const struct agg_net *net,
    const struct agg_host *h)
{
	char buf[ADDR_STRLEN > REPORT_TIME_LEN ? ADDR_STRLEN :
	    REPORT_TIME_LEN];
	size_t i;

	csv_str(fp, b, net->cidr, false);
	csv_str(fp, b, net->name, false);
	csv_str(fp, b, net->contacts, false);
	csv_str(fp, b, addr_fmt(&h->addr, buf), false);
	csv_str(fp, b, h->has_mac ? report_mac(buf, h->mac) : "", false);
	if (h->n_vlan > 0)
		csv_u64(fp, h->vlan[0], false);
	else
		csv_str(fp, b, "", false);
	csv_str(fp, b, verdict_name(h->verdict), false);
	csv_str(fp, b, report_time(buf, h->first.ts_sec, h->first.ts_nsec),
	    false);
	csv_str(fp, b, report_time(buf, h->last.ts_sec, h->last.ts_nsec),
	    false);
	for (i = 0; i < CAT_N; i++)
		csv_u64(fp, h->by_cat[i], false);
	b->len = 0;
	for (i = 0; i < h->n_names; i++) {
		if (i > 0)
			sb_put(b, " ", 1);
		sb_clean(b, h->names[i].name, strlen(h->names[i].name));
	}
	csv_cell(fp, b, true);
}

int
report_csv(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	struct sbuf b = { NULL, 0, 0, false };
	const struct agg_net *net;
	size_t i, j;

	(void)meta;
	fputs("network,network_name,contacts,host,mac,vlan,verdict,"
	    "first_seen,last_seen", fp);
	for (i = 0; i < CAT_N; i++)
		fprintf(fp, ",%s", match_cat_name((enum match_cat)i));
	fputs(",names\r\n", fp);
	for (i = 0; i < aggregate_n_nets(ag); i++) {
		net = aggregate_net(ag, i);
		if (only != NULL && net != only)
			continue;
		for (j = 0; j < net->n_hosts; j++)
			csv_host(fp, &b, net, net->hosts[j]);
	}
	free(b.p);
	return b.nomem ? ERR_NOMEM : ferror(fp) ? ERR_IO : ERR_OK;
}

/* ---- report directories: file names, index ------------------------------ */

static char
fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

static size_t
fold_hash(const char *s)
{
	size_t h = 5381;

	for (; *s != '\0'; s++)
		h = h * 33 + (unsigned char)fold(*s);
	return h;
}

static bool
fold_eq(const char *x, const char *y)
{
	for (; *x != '\0' && fold(*x) == fold(*y); x++, y++)
		;
	return *x == '\0' && *y == '\0';
}

/* Open addressing over names taken; false if s was already there. */
static bool
taken_add(const char **set, size_t cap, const char *s)
{
	size_t i = fold_hash(s) & (cap - 1);

	for (; set[i] != NULL; i = (i + 1) & (cap - 1))
		if (fold_eq(set[i], s))
			return false;
	set[i] = s;
	return true;
}

static bool
taken_has(const char **set, size_t cap, const char *s)
{
	size_t i = fold_hash(s) & (cap - 1);

	for (; set[i] != NULL; i = (i + 1) & (cap - 1))
		if (fold_eq(set[i], s))
			return true;
	return false;
}

/* Room for "-" and a counter after a cut name. */
#define BASE_STEM_MAX	(REPORT_BASE_MAX - 12)

static void
base_clean(char *dst, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t n = 0;

	for (; *p != '\0' && n < BASE_STEM_MAX; p++) {
		char c = (char)*p;

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-'))
			c = '_';
		/* Not hidden, not "." or "..", not an option to a command. */
		if (n == 0 && (c == '.' || c == '-'))
			c = '_';
		dst[n++] = c;
	}
	if (n == 0) {
		strcpy(dst, "network");
		return;
	}
	dst[n] = '\0';
}

void
report_bases_free(char **bases, size_t n)
{
	size_t i;

	if (bases == NULL)
		return;
	for (i = 0; i < n; i++)
		free(bases[i]);
	free(bases);
}

char **
report_bases(const struct aggregate *ag)
{
	size_t n = aggregate_n_nets(ag), cap = 16, i, k;
	/* A stem of BASE_STEM_MAX bytes, "-" and a counter below 10^11
	 * fit REPORT_BASE_MAX; the room beyond only quiets the compiler. */
	char stem[REPORT_BASE_MAX + 1], cand[REPORT_BASE_MAX + 32];
	const char **set = NULL;
	char **bases;

	while (cap < 2 * (n + 1))
		cap *= 2;
	if ((bases = calloc(n ? n : 1, sizeof(*bases))) == NULL ||
	    (set = calloc(cap, sizeof(*set))) == NULL) {
		free(bases);
		return NULL;
	}
	taken_add(set, cap, "index");
	for (i = 0; i < n; i++) {
		base_clean(stem, aggregate_net(ag, i)->name);
		snprintf(cand, sizeof(cand), "%s", stem);
		for (k = 2; taken_has(set, cap, cand); k++)
			snprintf(cand, sizeof(cand), "%.*s-%zu",
			    BASE_STEM_MAX, stem, k);
		if ((bases[i] = strdup(cand)) == NULL) {
			report_bases_free(bases, i);
			free(set);
			return NULL;
		}
		taken_add(set, cap, bases[i]);
	}
	free(set);
	return bases;
}

int
report_index_text(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, char *const *bases, const char *extra)
{
	char t1[REPORT_TIME_LEN], t2[REPORT_TIME_LEN];
	const struct agg_net *net;
	size_t i, n = aggregate_n_nets(ag);

	fputs("kasaudit ", fp);
	text_str(fp, meta->version != NULL ? meta->version : "?");
	fputs(" report directory\n\n", fp);
	if (meta->have_time)
		fprintf(fp, "Time        %s .. %s\n", report_time(t1,
		    meta->first_sec, meta->first_nsec), report_time(t2,
		    meta->last_sec, meta->last_nsec));
	else
		fputs("Time        no packets\n", fp);
	fprintf(fp, "Networks    %zu with offending hosts (%zu hosts)\n", n,
	    aggregate_n_hosts(ag));
	if (meta->anonymized)
		fputs("Addresses   pseudonyms (--anonymize)\n", fp);
	for (i = 0; i < n; i++) {
		net = aggregate_net(ag, i);
		fputs("\nNetwork ", fp);
		text_str(fp, net->name);
		if (strcmp(net->name, net->cidr) != 0) {
			fputs(" (", fp);
			text_str(fp, net->cidr);
			putc(')', fp);
		}
		if (!net->listed)
			fputs(" (not in the networks file)", fp);
		fprintf(fp, "\n  %zu %s:", net->n_hosts, plural(net->n_hosts,
		    "host", "hosts"));
		text_verdicts(fp, net, NULL);
		if (net->contacts != NULL && net->contacts[0] != '\0') {
			fputs("  Contacts: ", fp);
			text_str(fp, net->contacts);
			putc('\n', fp);
		}
		fputs("  Files:    ", fp);
		text_str(fp, bases[i]);
		fputs(".txt ", fp);
		text_str(fp, bases[i]);
		fputs(".json", fp);
		if (extra != NULL) {
			putc(' ', fp);
			text_str(fp, bases[i]);
			putc('.', fp);
			text_str(fp, extra);
		}
		putc('\n', fp);
	}
	return ferror(fp) ? ERR_IO : ERR_OK;
}

/* base + "." + ext as a JSON string. */
static void
jw_file(struct jw *w, const char *key, const char *base, const char *ext)
{
	char name[REPORT_BASE_MAX + 16];

	snprintf(name, sizeof(name), "%s.%s", base, ext);
	jw_str(w, key, name, false);
}

int
report_index_json(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, char *const *bases, const char *extra)
{
	const struct agg_net *net;
	struct jw w;
	size_t i, j;

	jw_init(&w, fp, true);
	jw_open(&w, NULL, '{');
	jw_str(&w, "version", meta->version, false);
	jw_open(&w, "time", '{');
	if (meta->have_time) {
		jw_time(&w, "first", meta->first_sec, meta->first_nsec);
		jw_time(&w, "last", meta->last_sec, meta->last_nsec);
	} else {
		jw_null(&w, "first");
		jw_null(&w, "last");
	}
	jw_close(&w, '}');
	jw_bool(&w, "anonymized", meta->anonymized);
	jw_u64(&w, "hosts", aggregate_n_hosts(ag));
	jw_open(&w, "networks", '[');
	for (i = 0; i < aggregate_n_nets(ag); i++) {
		net = aggregate_net(ag, i);
		jw_open(&w, NULL, '{');
		jw_str(&w, "name", net->name, false);
		jw_str(&w, "cidr", net->cidr, false);
		jw_bool(&w, "listed", net->listed);
		jw_words(&w, "contacts", net->contacts);
		jw_open(&w, "files", '{');
		jw_file(&w, "text", bases[i], "txt");
		jw_file(&w, "json", bases[i], "json");
		if (extra != NULL)
			jw_file(&w, extra, bases[i], extra);
		jw_close(&w, '}');
		jw_u64(&w, "hosts", net->n_hosts);
		for (j = 0; j < VERDICT_N; j++)
			jw_u64(&w, verdict_key((enum verdict)j),
			    net->by_verdict[j]);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	putc('\n', fp);
	return ferror(fp) ? ERR_IO : ERR_OK;
}
