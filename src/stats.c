/* stats.c - the table of statistics counters: the JSON sections of a report
 * (RFC 8259, doc/json.md) and how merged reports add each counter up. */
#include "stats.h"

static const char *
layer_name(size_t i)
{
	return decode_layer_name((enum decode_layer)i);
}

static const char *
kind_name(size_t i)
{
	return obs_kind_name((enum obs_kind)i);
}

#define D(k, f)		.key = k, .of = STATS_DECODE, \
			.off = offsetof(struct decode_stats, f)
#define A(k, f)		.key = k, .of = STATS_AUDIT, \
			.off = offsetof(struct audit_stats, f)
#define F(k, f)		.key = k, .of = STATS_FLOW, \
			.off = offsetof(struct flow_stats, f)
/* In each section the order of the report (tests/expected/). */
static const struct stats_row decode_rows[] = {
	{ D("malformed", malformed), .n = DL_N, .name = layer_name },
	{ D("non_ip", non_ip) },
	{ D("ipv4", ipv4) },
	{ D("ipv6", ipv6) },
	{ D("udp", udp) },
	{ D("tcp", tcp) },
	{ D("other_proto", other_proto) },
	{ D("cut", cut) },
	{ D("frags", frags) },
	{ D("frag_reassembled", frag_reassembled) },
	{ D("frag_overlaps", frag_overlaps) },
	{ D("frag_timeouts", frag_timeouts) },
	{ D("frag_evicted", frag_evicted) },
};
static const struct stats_row dns_rows[] = {
	{ A("messages", dns_msgs) },
	{ A("queries", dns_queries) },
	{ A("responses", dns_responses) },
	{ A("malformed", dns_malformed) },
	{ A("cut", dns_cut) },
	{ A("answers_decoded", dns_answers_decoded) },
	{ A("tcp_messages", dns_tcp_msgs) },
};
static const struct stats_row streams_rows[] = {
	{ F("flows_created", created) },
	{ F("flows_evicted", evicted) },
	{ F("flows_expired", expired) },
	{ F("flows_active_max", active_max), .peak = true },
	{ F("no_buffer", no_buffer) },
	{ F("stolen", stolen) },
	{ F("capped", capped) },
	{ F("gaps", gaps) },
	{ F("holes_full", holes_full) },
	{ F("out_of_order", out_of_order) },
	{ F("retransmits", retransmits) },
	{ F("overlaps", overlaps) },
	{ F("rebased", rebased) },
	{ F("holes_skipped", holes_skipped) },
	{ F("restarts", restarts) },
	{ A("other", streams_other) },
	{ A("unfinished", streams_unfinished) },
	{ A("resynced", streams_resynced) },
};
static const struct stats_row tls_rows[] = {
	{ A("hellos", tls_hellos) },
	{ A("no_sni", tls_no_sni) },
	{ A("ip_sni", tls_ip_sni) },
	{ A("ech", tls_ech) },
	{ A("malformed", tls_malformed) },
	{ A("too_big", tls_too_big) },
};
static const struct stats_row http_rows[] = {
	{ A("requests", http_requests) },
	{ A("malformed", http_malformed) },
	{ A("too_big", http_too_big) },
	{ A("forwarded", http_forwarded) },
};
static const struct stats_row socks_rows[] = {
	{ A("requests", socks_requests) },
};
static const struct stats_row quic_rows[] = {
	{ A("initials", quic_initials) },
	{ A("failed", quic_failed) },
	{ A("hellos", quic_hellos) },
	{ A("malformed", quic_malformed) },
};
static const struct stats_row top_rows[] = {
	{ A("names_seen", names_seen) },
	{ A("matches", matches) },
	{ A("matches_by_kind", by_kind), .n = OBS_N, .name = kind_name },
};

#undef D
#undef A
#undef F

static const struct stats_section sections[] = {
#define SEC(k, rows, fl)	{ k, rows, sizeof(rows) / sizeof(rows[0]), fl }
	SEC("decode", decode_rows, false),
	SEC("dns", dns_rows, false),
	SEC("streams", streams_rows, true),
	SEC("tls", tls_rows, false),
	SEC("http", http_rows, false),
	SEC("socks", socks_rows, false),
	SEC("quic", quic_rows, false),
	SEC("", top_rows, false),
#undef SEC
};
#define N_SECTIONS	(sizeof(sections) / sizeof(sections[0]))

const struct stats_section *
stats_sections(size_t *n)
{
	*n = N_SECTIONS;
	return sections;
}

const uint64_t *
stats_get(const struct stats_row *row, const struct decode_stats *ds,
    const struct audit_stats *as, const struct flow_stats *fs)
{
	const char *base = row->of == STATS_DECODE ? (const char *)ds :
	    row->of == STATS_AUDIT ? (const char *)as : (const char *)fs;

	return base == NULL ? NULL :
	    (const uint64_t *)(const void *)(base + row->off);
}

uint64_t *
stats_at(const struct stats_row *row, struct decode_stats *ds,
    struct audit_stats *as, struct flow_stats *fs)
{
	char *base = row->of == STATS_DECODE ? (char *)ds :
	    row->of == STATS_AUDIT ? (char *)as : (char *)fs;

	return base == NULL ? NULL : (uint64_t *)(void *)(base + row->off);
}

bool
stats_row_add(const struct stats_row *row, uint64_t *dst,
    const uint64_t *src, uint64_t max)
{
	size_t i, n = row->n > 0 ? row->n : 1;

	for (i = 0; i < n; i++) {
		if (row->peak) {
			if (src[i] > dst[i])
				dst[i] = src[i];
		} else if (dst[i] > max || src[i] > max - dst[i]) {
			return false;
		} else {
			dst[i] += src[i];
		}
	}
	return true;
}
