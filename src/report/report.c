/* report.c - what every report writer shares: ISO 8601 UTC times, MACs,
 * signature sets, which network owns a host, the unseen, report file names. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_int.h"

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

const char *
report_mac(char *buf, const uint8_t *m)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
	return buf;
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

char *
report_list(const char *s, char sep)
{
	size_t n = 0, i;
	char *out, *o;

	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == sep ? 2 : 1;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	for (o = out, i = 0; s[i] != '\0'; i++) {
		if (s[i] == sep) {
			*o++ = ',';
			*o++ = ' ';
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

const struct decode_stats report_empty_decode;
const struct audit_stats report_empty_audit;

/*
 * True when a is inside one of net's prefixes.  They are the canonical
 * forms the networks file or the grouping wrote, ' ' between, so they
 * always parse; one that did not would hold nothing.
 */
bool
report_in_net(const struct agg_net *net, const struct addr *a)
{
	char buf[ADDR_STRLEN + 8], *slash;
	unsigned long long plen;
	struct addr pfx, m;
	const char *s;
	size_t n;

	if (net == NULL)
		return true;
	for (s = net->cidr; *s != '\0'; s += n + (s[n] == ' ')) {
		if ((n = strcspn(s, " ")) >= sizeof(buf))
			continue;
		memcpy(buf, s, n);
		buf[n] = '\0';
		if ((slash = strchr(buf, '/')) == NULL)
			continue;
		*slash = '\0';
		plen = strtoull(slash + 1, NULL, 10);
		if (!addr_parse(&pfx, buf) || pfx.family != a->family)
			continue;
		addr_mask(&m, a, (unsigned)plen);
		if (addr_eq(&m, &pfx))
			return true;
	}
	return false;
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
		return net->listed && nn->group != NULL &&
		    strcmp(nn->group->cidrs, net->cidr) == 0;
	if (net->listed)
		return false;
	addr_mask(&m, a, a->family == 4 ? meta->v4_plen : meta->v6_plen);
	snprintf(buf, sizeof(buf), "%s/%u", addr_fmt(&m, ab),
	    a->family == 4 ? (meta->v4_plen > 32 ? 32 : meta->v4_plen) :
	    (meta->v6_plen > 128 ? 128 : meta->v6_plen));
	return strcmp(buf, net->cidr) == 0;
}

/* The DNS servers (resolvers) or blind hosts of one network, or all. */
size_t
report_n_in_net(const struct aggregate *ag, const struct report_meta *meta,
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
	uint64_t unsupported = 0, n;
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
	for (i = 0; i < ENCAP_N; i++) {
		snprintf(what, sizeof(what), "packets in %s tunnels not "
		    "looked into", encap_kind_name((enum encap_kind)i));
		unseen(fn, arg, ds->tunnels_not_opened[i], what);
	}
	unseen(fn, arg, ds->tunnels_too_deep,
	    "packets in tunnels deeper than --tunnel-depth, not looked into");
	unseen(fn, arg, as->dns_malformed,
	    "DNS messages malformed");
	unseen(fn, arg, as->dns_cut,
	    "DNS messages cut by the snap length");
	unseen(fn, arg, as->dnstap_malformed,
	    "dnstap frames that did not decode");
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
	unseen(fn, arg, as->proxy_malformed,
	    "PROXY protocol headers malformed");
	unseen(fn, arg, as->http_too_big,
	    "HTTP request headers too big to read");
	unseen(fn, arg, as->quic_failed,
	    "QUIC Initials that did not decrypt");
	unseen(fn, arg, as->quic_malformed,
	    "QUIC ClientHellos malformed");
	/* Which versions (issue 21 item 3); a report merged from one older
	 * than the split has only the total: the rest is unnamed. */
	for (i = 0, n = 0; i < QV_N; i++) {
		n += as->quic_unknown_by[i];
		snprintf(what, sizeof(what), "QUIC connections, version %s "
		    "(not read)", quic_vclass_what(i));
		unseen(fn, arg, as->quic_unknown_by[i], what);
	}
	if (as->quic_unknown_version > n)
		unseen(fn, arg, as->quic_unknown_version - n,
		    "QUIC connections of a version not read");
	unseen(fn, arg, as->quic_reserved_version,
	    "QUIC connections of a reserved version (0x?a?a?a?a)");
	unseen(fn, arg, as->log_malformed,
	    "log lines that did not parse (Zeek, Suricata)");
	unseen(fn, arg, as->log_answers_dropped,
	    "DNS answers of log records past 16 a record");
	unseen(fn, arg, as->names.refused,
	    "machine names not kept (--max-name-addrs)");
	unseen(fn, arg, as->names.dhcp_malformed + as->names.dhcpv6_malformed +
	    as->names.mdns_malformed + as->names.netbios_malformed,
	    "DHCP, mDNS, LLMNR or NetBIOS messages malformed");
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
	if (meta->leases != NULL) {
		unseen(fn, arg, meta->leases->no_lease,
		    "matches of hosts that held no lease then (no lease)");
		unseen(fn, arg, meta->leases->bad_lines,
		    "lease file lines refused (--leases)");
		unseen(fn, arg, meta->leases->refused,
		    "leases over --max-leases, not read");
	}
	unseen(fn, arg, aggregate_hosts_refused(ag),
	    "matches of hosts over --max-hosts, refused");
	unseen(fn, arg, aggregate_refused(ag) - aggregate_hosts_refused(ag),
	    "matches refused: out of memory");
}

/* ---- report directories: file names -------------------------------------- */

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

/*
 * The next counter to try after a stem, so that n names cleaned to one
 * stem (16,000 Cyrillic names are all "____") cost n tries, not n^2/2.
 * Every stem-k below it is taken already: the taken set only grows.
 */
struct stem_next {
	char	*stem;
	size_t	 next;
};

static struct stem_next *
stem_slot(struct stem_next *map, size_t cap, const char *stem)
{
	size_t i = fold_hash(stem) & (cap - 1);

	for (; map[i].stem != NULL; i = (i + 1) & (cap - 1))
		if (fold_eq(map[i].stem, stem))
			break;
	return &map[i];
}

char **
report_bases(const struct aggregate *ag)
{
	size_t n = aggregate_n_nets(ag), cap = 16, i, k;
	/* A stem of BASE_STEM_MAX bytes, "-" and a counter below 10^11
	 * fit REPORT_BASE_MAX; the room beyond only quiets the compiler. */
	char stem[REPORT_BASE_MAX + 1], cand[REPORT_BASE_MAX + 32];
	struct stem_next *map = NULL, *sn;
	const char **set = NULL;
	char **bases;

	while (cap < 2 * (n + 1))
		cap *= 2;
	if ((bases = calloc(n ? n : 1, sizeof(*bases))) == NULL ||
	    (set = calloc(cap, sizeof(*set))) == NULL ||
	    (map = calloc(cap, sizeof(*map))) == NULL)
		goto fail;
	taken_add(set, cap, "index");
	for (i = 0; i < n; i++) {
		base_clean(stem, aggregate_net(ag, i)->name);
		sn = stem_slot(map, cap, stem);
		if (sn->stem == NULL) {
			if ((sn->stem = strdup(stem)) == NULL)
				goto fail;
			sn->next = 2;
		}
		snprintf(cand, sizeof(cand), "%s", stem);
		for (k = sn->next; taken_has(set, cap, cand); k++)
			snprintf(cand, sizeof(cand), "%.*s-%zu",
			    BASE_STEM_MAX, stem, k);
		if (k > sn->next)
			sn->next = k;
		if ((bases[i] = strdup(cand)) == NULL)
			goto fail;
		taken_add(set, cap, bases[i]);
	}
	for (k = 0; k < cap; k++)
		free(map[k].stem);
	free(map);
	free(set);
	return bases;
fail:
	for (k = 0; map != NULL && k < cap; k++)
		free(map[k].stem);
	free(map);
	free(set);
	report_bases_free(bases, n);
	return NULL;
}
