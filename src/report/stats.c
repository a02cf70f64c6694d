/* stats.c - the table of statistics counters: the JSON sections of a report
 * (RFC 8259, doc/json.md), merging, /metrics (Prometheus text 0.0.4). */
#include <inttypes.h>

#include "stats.h"

static const char *
layer_name(size_t i)
{
	return decode_layer_name((enum decode_layer)i);
}

static const char *
encap_name(size_t i)
{
	return encap_kind_name((enum encap_kind)i);
}

static const char *
vclass_name(size_t i)
{
	return quic_vclass_name(i);
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
/* The first (or only) row of a metric, then the others of its name. */
#define PROM(seq, name, type, help) \
			.prom_seq = seq, .prom = name, .prom_type = type, \
			.prom_help = help
#define PROM_MORE(seq, name, label, value) \
			.prom_seq = seq, .prom = name, .prom_label = label, \
			.prom_value = value

/* In each section the order of the report (tests/expected/); on /metrics
 * the order of prom_seq. */
static const struct stats_row decode_rows[] = {
	{ D("malformed", malformed), .n = DL_N, .name = layer_name,
	    PROM(1, "parse_failures_total", "counter",
	    "Packets or messages that failed to parse, by layer."),
	    .prom_label = "layer" },
	{ D("non_ip", non_ip) },
	{ D("ipv4", ipv4) },
	{ D("ipv6", ipv6) },
	{ D("udp", udp) },
	{ D("tcp", tcp) },
	{ D("other_proto", other_proto) },
	{ D("cut", cut), PROM(7, "packets_cut_total", "counter",
	    "Packets cut short by the snaplen.") },
	{ D("frags", frags) },
	{ D("frag_reassembled", frag_reassembled) },
	{ D("frag_overlaps", frag_overlaps) },
	{ D("frag_timeouts", frag_timeouts) },
	{ D("frag_evicted", frag_evicted), PROM(13,
	    "fragments_evicted_total", "counter",
	    "IP fragments dropped because --max-frag-mem was full.") },
	{ D("wlan_protected", wlan_protected) },
	{ D("tunnels", tunnels), .n = ENCAP_N, .name = encap_name,
	    PROM(19, "tunnel_packets_total", "counter",
	    "Packets taken out of a tunnel, by the tunnel's kind."),
	    .prom_label = "kind" },
	{ D("tunnels_not_opened", tunnels_not_opened), .n = ENCAP_N,
	    .name = encap_name, PROM(20, "tunnel_packets_not_opened_total",
	    "counter", "Tunnels recognised but not looked into, by kind."),
	    .prom_label = "kind" },
	{ D("tunnels_too_deep", tunnels_too_deep), PROM(21,
	    "tunnel_packets_too_deep_total", "counter",
	    "Packets in more tunnels than --tunnel-depth: not looked into.") },
};
static const struct stats_row dns_rows[] = {
	{ A("messages", dns_msgs) },
	{ A("queries", dns_queries) },
	{ A("responses", dns_responses) },
	{ A("malformed", dns_malformed),
	    PROM_MORE(2, "parse_failures_total", "layer", "dns") },
	{ A("cut", dns_cut) },
	{ A("answers_decoded", dns_answers_decoded) },
	{ A("tcp_messages", dns_tcp_msgs) },
	/* live --workers only (audit_defer.c): on /metrics, not in reports. */
	{ A(NULL, correlate_deferred), PROM(24,
	    "correlations_deferred_total", "counter",
	    "Contacts without a name looked up again once every worker had "
	    "read past them (--workers).") },
	{ A(NULL, correlate_late), PROM(25, "correlations_late_total",
	    "counter", "Deferred contacts put down to a DNS answer then.") },
	{ A(NULL, correlate_refused), PROM(26,
	    "correlations_refused_total", "counter",
	    "Contacts not deferred: a worker's queue was full.") },
};
static const struct stats_row streams_rows[] = {
	{ F("flows_created", created), PROM(9, "flows_created_total",
	    "counter", "Flows created.") },
	{ F("flows_evicted", evicted), PROM(10, "flow_evictions_total",
	    "counter",
	    "Flows evicted because the table was full (--max-flows).") },
	{ F("flows_expired", expired), PROM(11, "flows_expired_total",
	    "counter", "Flows ended by their idle timeout.") },
	{ F("flows_active_max", active_max), .peak = true },
	/* A gauge: what a report would show is flows_active_max. */
	{ F(NULL, active), PROM(8, "flows", "gauge",
	    "TCP and UDP flows tracked now.") },
	{ F("no_buffer", no_buffer), PROM(12, "stream_buffer_misses_total",
	    "counter", "Streams that needed a buffer when none was free.") },
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
	{ A("proxy_headers", proxy_headers) },
	{ A("proxy_untrusted", proxy_untrusted) },
	{ A("proxy_malformed", proxy_malformed) },
};
static const struct stats_row tls_rows[] = {
	{ A("hellos", tls_hellos) },
	{ A("no_sni", tls_no_sni) },
	{ A("ip_sni", tls_ip_sni) },
	{ A("ech", tls_ech) },
	{ A("malformed", tls_malformed),
	    PROM_MORE(3, "parse_failures_total", "layer", "tls") },
	{ A("too_big", tls_too_big) },
};
static const struct stats_row http_rows[] = {
	{ A("requests", http_requests) },
	{ A("malformed", http_malformed),
	    PROM_MORE(4, "parse_failures_total", "layer", "http") },
	{ A("too_big", http_too_big) },
	{ A("forwarded", http_forwarded) },
	{ A("forwarded_untrusted", http_forwarded_untrusted) },
};
static const struct stats_row socks_rows[] = {
	{ A("requests", socks_requests) },
};
static const struct stats_row quic_rows[] = {
	{ A("initials", quic_initials) },
	{ A("failed", quic_failed) },
	{ A("hellos", quic_hellos) },
	{ A("malformed", quic_malformed),
	    PROM_MORE(5, "parse_failures_total", "layer", "quic") },
	{ A("unknown_version", quic_unknown_version) },
	{ A("reserved_version", quic_reserved_version) },
	{ A("unknown_versions", quic_unknown_by), .n = QV_N,
	    .name = vclass_name },
};
/* Zeek and Suricata logs: records used, by kind, and lines refused. */
static const struct stats_row logs_rows[] = {
	{ A("records", log_records) },
	{ A("dns", log_dns) },
	{ A("tls", log_tls) },
	{ A("http", log_http) },
	{ A("quic", log_quic) },
	{ A("flows", log_flows) },
	{ A("malformed", log_malformed),
	    PROM_MORE(6, "parse_failures_total", "layer", "log") },
	{ A("answers_dropped", log_answers_dropped) },
};

/* Resolvers' logs: what kind of message each frame was. */
static const struct stats_row dnstap_rows[] = {
	{ A("frames", dnstap_frames) },
	{ A("client_messages", dnstap_client), PROM(14,
	    "dnstap_messages_total", "counter",
	    "dnstap messages read, by type: client ones are audited, the "
	    "resolver's own lookups are counted apart."),
	    .prom_label = "type", .prom_value = "client" },
	{ A("resolver_messages", dnstap_resolver),
	    PROM_MORE(15, "dnstap_messages_total", "type", "resolver") },
	{ A("resolver_matched", dnstap_resolver_matched), PROM(17,
	    "dnstap_resolver_matched_total", "counter",
	    "The resolver's own lookups of a name a signature matches.") },
	{ A("other_messages", dnstap_other),
	    PROM_MORE(16, "dnstap_messages_total", "type", "other") },
	{ A("malformed", dnstap_malformed), PROM(18,
	    "dnstap_decode_errors_total", "counter",
	    "dnstap frames that did not decode.") },
};
/* Machine names (hnames.c): what each name protocol gave, the table. */
static const struct stats_row names_rows[] = {
	{ A("dhcp", names.dhcp) },
	{ A("dhcp_malformed", names.dhcp_malformed) },
	{ A("dhcpv6", names.dhcpv6) },
	{ A("dhcpv6_malformed", names.dhcpv6_malformed) },
	{ A("mdns", names.mdns) },
	{ A("llmnr", names.llmnr) },
	{ A("mdns_malformed", names.mdns_malformed) },
	{ A("netbios", names.netbios) },
	{ A("netbios_malformed", names.netbios_malformed) },
	{ A("learned", names.learned), PROM(22,
	    "machine_names_learned_total", "counter",
	    "Machine names heard on the wire (DHCP, mDNS, LLMNR, NetBIOS, "
	    "User-Agent).") },
	{ A("owner_changed", names.owner_changed) },
	{ A("refused", names.refused), PROM(23,
	    "machine_names_refused_total", "counter",
	    "Machine names not kept: --max-name-addrs was full.") },
	{ A("addresses", names.addrs), .peak = true },
};
static const struct stats_row top_rows[] = {
	{ A("names_seen", names_seen) },
	{ A("matches", matches) },
	{ A("matches_by_kind", by_kind), .n = OBS_N, .name = kind_name },
};

#undef D
#undef A
#undef F
#undef PROM
#undef PROM_MORE

static const struct stats_section sections[] = {
#define SEC(k, rows, fl)	{ k, rows, sizeof(rows) / sizeof(rows[0]), fl }
	SEC("decode", decode_rows, false),
	SEC("dns", dns_rows, false),
	SEC("streams", streams_rows, true),
	SEC("tls", tls_rows, false),
	SEC("http", http_rows, false),
	SEC("socks", socks_rows, false),
	SEC("quic", quic_rows, false),
	SEC("logs", logs_rows, false),
	SEC("dnstap", dnstap_rows, false),
	SEC("machine_names", names_rows, false),
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

/* The row with this place on /metrics, or NULL past the last. */
static const struct stats_row *
prom_row(unsigned seq)
{
	size_t i, k;

	for (i = 0; i < N_SECTIONS; i++)
		for (k = 0; k < sections[i].n_rows; k++)
			if (sections[i].rows[k].prom_seq == seq)
				return &sections[i].rows[k];
	return NULL;
}

int
stats_write_prom(FILE *fp, const struct decode_stats *ds,
    const struct audit_stats *as, const struct flow_stats *fs)
{
	const struct stats_row *row;
	const uint64_t *v;
	unsigned seq;
	size_t i;

	for (seq = 1; (row = prom_row(seq)) != NULL; seq++) {
		if (row->prom_help != NULL)
			fprintf(fp, "# HELP kasaudit_%s %s\n"
			    "# TYPE kasaudit_%s %s\n", row->prom,
			    row->prom_help, row->prom, row->prom_type);
		v = stats_get(row, ds, as, fs);
		/* Label values are fixed names: nothing to escape. */
		if (row->n > 0)
			for (i = 0; i < row->n; i++)
				fprintf(fp, "kasaudit_%s{%s=\"%s\"} %" PRIu64
				    "\n", row->prom, row->prom_label,
				    row->name(i), v[i]);
		else if (row->prom_label != NULL)
			fprintf(fp, "kasaudit_%s{%s=\"%s\"} %" PRIu64 "\n",
			    row->prom, row->prom_label, row->prom_value,
			    *v);
		else
			fprintf(fp, "kasaudit_%s %" PRIu64 "\n", row->prom,
			    *v);
	}
	return ferror(fp) ? ERR_IO : ERR_OK;
}
