/* test_stats.c - unit tests for stats.c: the table itself, and reports
 * written by report_json() and read back by load.c through it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "load.h"
#include "report.h"
#include "stats.h"

static size_t
of_size(enum stats_of of)
{
	switch (of) {
	case STATS_DECODE:
		return sizeof(struct decode_stats);
	case STATS_AUDIT:
		return sizeof(struct audit_stats);
	case STATS_FLOW:
		return sizeof(struct flow_stats);
	}
	return 0;
}

static size_t
row_len(const struct stats_row *row)
{
	return row->n > 0 ? row->n : 1;
}

/* Keys unique in their section, counters inside their struct. */
static void
test_table(void **state)
{
	const struct stats_section *secs, *sec;
	const struct stats_row *row;
	size_t i, k, j, n, rows = 0;

	(void)state;
	secs = stats_sections(&n);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		sec = &secs[i];
		assert_non_null(sec->key);
		for (j = 0; j < i; j++)
			assert_string_not_equal(sec->key, secs[j].key);
		assert_true(sec->n_rows > 0);
		for (k = 0; k < sec->n_rows; k++, rows++) {
			row = &sec->rows[k];
			assert_true(row->off % sizeof(uint64_t) == 0);
			assert_true(row->off + row_len(row) *
			    sizeof(uint64_t) <= of_size(row->of));
			/* A flow counter is null with its section. */
			if (row->of == STATS_FLOW)
				assert_true(sec->flow);
			assert_true((row->n > 0) == (row->name != NULL));
			for (j = 0; j < row->n; j++)
				assert_non_null(row->name(j));
			if (row->key == NULL)
				continue;
			for (j = 0; j < k; j++)
				if (sec->rows[j].key != NULL)
					assert_string_not_equal(row->key,
					    sec->rows[j].key);
		}
	}
	assert_true(rows > 50);
}

/* Each counter of the table a value of its own. */
static void
fill(struct decode_stats *ds, struct audit_stats *as, struct flow_stats *fs)
{
	const struct stats_section *secs;
	const struct stats_row *row;
	uint64_t *v;
	size_t i, k, j, n;

	memset(ds, 0, sizeof(*ds));
	memset(as, 0, sizeof(*as));
	memset(fs, 0, sizeof(*fs));
	secs = stats_sections(&n);
	for (i = 0; i < n; i++)
		for (k = 0; k < secs[i].n_rows; k++) {
			row = &secs[i].rows[k];
			v = stats_at(row, ds, as, fs);
			for (j = 0; j < row_len(row); j++)
				v[j] = 1000 * (i + 1) + 20 * k + j + 1;
		}
}

static char *
render(const struct decode_stats *ds, const struct audit_stats *as,
    const struct flow_stats *fs)
{
	struct report_meta m;
	struct aggregate *ag;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	memset(&m, 0, sizeof(m));
	m.version = "0.1.0";
	m.v4_plen = 24;
	m.v6_plen = 64;
	m.max_names = 64;
	m.decode = ds;
	m.audit = as;
	m.flow = fs;
	assert_non_null(ag = aggregate_new(1));
	assert_int_equal(aggregate_finish(ag, NULL, 24, 64), ERR_OK);
	assert_non_null(fp = open_memstream(&buf, &len));
	assert_int_equal(report_json(fp, ag, &m), ERR_OK);
	assert_int_equal(fclose(fp), 0);
	aggregate_free(ag);
	return buf;
}

/* Loads doc n_times into a fresh load_stats, whose meta *m then shows. */
static struct load_stats *
load(const char *doc, int n_times, struct report_meta *m)
{
	char errbuf[ERRBUF_LEN] = "";
	struct aggregate *ag;
	struct load_stats *st;
	int i;

	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	for (i = 0; i < n_times; i++)
		if (load_report_buf(ag, st, doc, strlen(doc), "t.json",
		    errbuf) != ERR_OK)
			fail_msg("%s", errbuf);
	aggregate_free(ag);
	memset(m, 0, sizeof(*m));
	load_stats_meta(st, m);
	return st;
}

/*
 * report_json() then load_report_buf(): every counter of the table comes
 * back; loaded twice, sums are doubled and peaks stay.
 */
static void
test_round_trip(void **state)
{
	const struct stats_section *secs;
	const struct stats_row *row;
	struct decode_stats ds;
	struct audit_stats as;
	struct flow_stats fs;
	struct report_meta m;
	struct load_stats *st;
	const uint64_t *want, *got;
	size_t i, k, j, n;
	int times;
	char *doc;

	(void)state;
	fill(&ds, &as, &fs);
	doc = render(&ds, &as, &fs);
	secs = stats_sections(&n);
	for (times = 1; times <= 2; times++) {
		st = load(doc, times, &m);
		assert_non_null(m.flow);
		for (i = 0; i < n; i++)
			for (k = 0; k < secs[i].n_rows; k++) {
				row = &secs[i].rows[k];
				if (row->key == NULL)
					continue;
				want = stats_get(row, &ds, &as, &fs);
				got = stats_get(row, m.decode, m.audit,
				    m.flow);
				for (j = 0; j < row_len(row); j++)
					assert_int_equal(got[j], row->peak ?
					    want[j] : times * want[j]);
			}
		load_stats_free(st);
	}
	free(doc);
}

/* Without a flow table "streams" is null, and stays so when read back. */
static void
test_no_flow(void **state)
{
	struct decode_stats ds;
	struct audit_stats as;
	struct flow_stats fs;
	struct report_meta m;
	struct load_stats *st;
	char *doc;

	(void)state;
	fill(&ds, &as, &fs);
	doc = render(&ds, &as, NULL);
	assert_non_null(strstr(doc, "\"streams\": null"));
	st = load(doc, 1, &m);
	assert_null(m.flow);
	assert_int_equal(m.decode->ipv4, ds.ipv4);
	load_stats_free(st);
	free(doc);
}

static const struct stats_row *
find(const char *sec_key, const char *key)
{
	const struct stats_section *secs;
	size_t i, k, n;

	secs = stats_sections(&n);
	for (i = 0; i < n; i++)
		for (k = 0; k < secs[i].n_rows; k++)
			if (strcmp(secs[i].key, sec_key) == 0 &&
			    secs[i].rows[k].key != NULL &&
			    strcmp(secs[i].rows[k].key, key) == 0)
				return &secs[i].rows[k];
	fail_msg("no row %s.%s", sec_key, key);
	return NULL;
}

static void
test_add(void **state)
{
	const struct stats_row *sum = find("decode", "ipv4");
	const struct stats_row *peak = find("streams", "flows_active_max");
	const struct stats_row *arr = find("decode", "malformed");
	uint64_t d[DL_N], s[DL_N];
	size_t i;

	(void)state;
	assert_false(sum->peak);
	assert_true(peak->peak);
	d[0] = 5;
	s[0] = 7;
	assert_true(stats_row_add(sum, d, s, 100));
	assert_int_equal(d[0], 12);
	assert_true(stats_row_add(peak, d, s, 100));
	assert_int_equal(d[0], 12);
	s[0] = 40;
	assert_true(stats_row_add(peak, d, s, 100));
	assert_int_equal(d[0], 40);
	/* Up to max, not past it. */
	s[0] = 60;
	assert_true(stats_row_add(sum, d, s, 100));
	assert_int_equal(d[0], 100);
	s[0] = 1;
	assert_false(stats_row_add(sum, d, s, 100));
	/* A peak takes no max: what the reader reads is below it. */
	s[0] = UINT64_MAX;
	assert_true(stats_row_add(peak, d, s, 100));
	assert_int_equal(d[0], UINT64_MAX);
	/* Arrays add element by element. */
	assert_int_equal(arr->n, DL_N);
	for (i = 0; i < DL_N; i++) {
		d[i] = i;
		s[i] = 10 * i;
	}
	assert_true(stats_row_add(arr, d, s, 1000));
	for (i = 0; i < DL_N; i++)
		assert_int_equal(d[i], 11 * i);
}

/* Every place on /metrics from 1 once; a metric's rows side by side. */
static void
test_prom_table(void **state)
{
	const struct stats_section *secs;
	const struct stats_row *rows[64], *row, *first;
	size_t i, k, j, n, n_prom = 0;

	(void)state;
	memset(rows, 0, sizeof(rows));
	secs = stats_sections(&n);
	for (i = 0; i < n; i++)
		for (k = 0; k < secs[i].n_rows; k++) {
			row = &secs[i].rows[k];
			assert_true(row->key != NULL || row->prom_seq > 0);
			if (row->prom_seq == 0)
				continue;
			assert_true(row->prom_seq < 64);
			assert_null(rows[row->prom_seq]);
			rows[row->prom_seq] = row;
			n_prom++;
		}
	first = NULL;
	for (i = 1; i <= n_prom; i++) {
		row = rows[i];
		assert_non_null(row);
		assert_non_null(row->prom);
		if (first == NULL || strcmp(first->prom, row->prom) != 0) {
			/* A new metric: its name not seen before. */
			for (j = 1; j < i; j++)
				assert_string_not_equal(rows[j]->prom,
				    row->prom);
			assert_non_null(row->prom_type);
			assert_non_null(row->prom_help);
			assert_true(strcmp(row->prom_type, "counter") == 0 ||
			    strcmp(row->prom_type, "gauge") == 0);
			first = row;
			continue;
		}
		/* More of the same metric: one label, new values. */
		assert_null(row->prom_help);
		assert_null(row->prom_type);
		assert_non_null(first->prom_label);
		assert_string_equal(row->prom_label, first->prom_label);
		assert_non_null(row->prom_value);
		for (j = 0; j < first->n; j++)
			assert_string_not_equal(row->prom_value,
			    first->name(j));
		for (j = first->prom_seq; j < i; j++)
			if (rows[j]->prom_value != NULL)
				assert_string_not_equal(row->prom_value,
				    rows[j]->prom_value);
	}
}

static void
prom_head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP kasaudit_%s %s\n# TYPE kasaudit_%s %s\n", name,
	    help, name, type);
}

/* The lines cli_live.c wrote itself before stats_write_prom(). */
static void
old_metrics(FILE *fp, const struct decode_stats *ds,
    const struct audit_stats *as, const struct flow_stats *fs)
{
	size_t i;

	prom_head(fp, "parse_failures_total", "counter",
	    "Packets or messages that failed to parse, by layer.");
	for (i = 0; i < DL_N; i++)
		fprintf(fp, "kasaudit_parse_failures_total{layer=\"%s\"} %"
		    PRIu64 "\n", decode_layer_name((enum decode_layer)i),
		    ds->malformed[i]);
	fprintf(fp, "kasaudit_parse_failures_total{layer=\"dns\"} %" PRIu64
	    "\n", as->dns_malformed);
	fprintf(fp, "kasaudit_parse_failures_total{layer=\"tls\"} %" PRIu64
	    "\n", as->tls_malformed);
	fprintf(fp, "kasaudit_parse_failures_total{layer=\"http\"} %" PRIu64
	    "\n", as->http_malformed);
	fprintf(fp, "kasaudit_parse_failures_total{layer=\"quic\"} %" PRIu64
	    "\n", as->quic_malformed);
	fprintf(fp, "kasaudit_parse_failures_total{layer=\"log\"} %" PRIu64
	    "\n", as->log_malformed);
	prom_head(fp, "packets_cut_total", "counter",
	    "Packets cut short by the snaplen.");
	fprintf(fp, "kasaudit_packets_cut_total %" PRIu64 "\n", ds->cut);

	prom_head(fp, "flows", "gauge", "TCP and UDP flows tracked now.");
	fprintf(fp, "kasaudit_flows %" PRIu64 "\n", fs->active);
	prom_head(fp, "flows_created_total", "counter", "Flows created.");
	fprintf(fp, "kasaudit_flows_created_total %" PRIu64 "\n",
	    fs->created);
	prom_head(fp, "flow_evictions_total", "counter",
	    "Flows evicted because the table was full (--max-flows).");
	fprintf(fp, "kasaudit_flow_evictions_total %" PRIu64 "\n",
	    fs->evicted);
	prom_head(fp, "flows_expired_total", "counter",
	    "Flows ended by their idle timeout.");
	fprintf(fp, "kasaudit_flows_expired_total %" PRIu64 "\n",
	    fs->expired);
	prom_head(fp, "stream_buffer_misses_total", "counter",
	    "Streams that needed a buffer when none was free.");
	fprintf(fp, "kasaudit_stream_buffer_misses_total %" PRIu64 "\n",
	    fs->no_buffer);
	prom_head(fp, "fragments_evicted_total", "counter",
	    "IP fragments dropped because --max-frag-mem was full.");
	fprintf(fp, "kasaudit_fragments_evicted_total %" PRIu64 "\n",
	    ds->frag_evicted);
	/* Added with dnstap. */
	prom_head(fp, "dnstap_messages_total", "counter",
	    "dnstap messages read, by type: client ones are audited, the "
	    "resolver's own lookups are counted apart.");
	fprintf(fp, "kasaudit_dnstap_messages_total{type=\"client\"} %"
	    PRIu64 "\n", as->dnstap_client);
	fprintf(fp, "kasaudit_dnstap_messages_total{type=\"resolver\"} %"
	    PRIu64 "\n", as->dnstap_resolver);
	fprintf(fp, "kasaudit_dnstap_messages_total{type=\"other\"} %"
	    PRIu64 "\n", as->dnstap_other);
	prom_head(fp, "dnstap_resolver_matched_total", "counter",
	    "The resolver's own lookups of a name a signature matches.");
	fprintf(fp, "kasaudit_dnstap_resolver_matched_total %" PRIu64 "\n",
	    as->dnstap_resolver_matched);
	prom_head(fp, "dnstap_decode_errors_total", "counter",
	    "dnstap frames that did not decode.");
	fprintf(fp, "kasaudit_dnstap_decode_errors_total %" PRIu64 "\n",
	    as->dnstap_malformed);
	/* Added with tunnels. */
	prom_head(fp, "tunnel_packets_total", "counter",
	    "Packets taken out of a tunnel, by the tunnel's kind.");
	for (i = 0; i < ENCAP_N; i++)
		fprintf(fp, "kasaudit_tunnel_packets_total{kind=\"%s\"} %"
		    PRIu64 "\n", encap_kind_name((enum encap_kind)i),
		    ds->tunnels[i]);
	prom_head(fp, "tunnel_packets_not_opened_total", "counter",
	    "Tunnels recognised but not looked into, by kind.");
	for (i = 0; i < ENCAP_N; i++)
		fprintf(fp, "kasaudit_tunnel_packets_not_opened_total{kind="
		    "\"%s\"} %" PRIu64 "\n",
		    encap_kind_name((enum encap_kind)i),
		    ds->tunnels_not_opened[i]);
	prom_head(fp, "tunnel_packets_too_deep_total", "counter",
	    "Packets in more tunnels than --tunnel-depth: not looked into.");
	fprintf(fp, "kasaudit_tunnel_packets_too_deep_total %" PRIu64 "\n",
	    ds->tunnels_too_deep);
	/* Added with machine names. */
	prom_head(fp, "machine_names_learned_total", "counter",
	    "Machine names heard on the wire (DHCP, mDNS, LLMNR, NetBIOS, "
	    "User-Agent).");
	fprintf(fp, "kasaudit_machine_names_learned_total %" PRIu64 "\n",
	    as->names.learned);
	prom_head(fp, "machine_names_refused_total", "counter",
	    "Machine names not kept: --max-name-addrs was full.");
	fprintf(fp, "kasaudit_machine_names_refused_total %" PRIu64 "\n",
	    as->names.refused);
	prom_head(fp, "correlations_deferred_total", "counter",
	    "Contacts without a name looked up again once every worker had "
	    "read past them (--workers).");
	fprintf(fp, "kasaudit_correlations_deferred_total %" PRIu64 "\n",
	    as->correlate_deferred);
	prom_head(fp, "correlations_late_total", "counter",
	    "Deferred contacts put down to a DNS answer then.");
	fprintf(fp, "kasaudit_correlations_late_total %" PRIu64 "\n",
	    as->correlate_late);
	prom_head(fp, "correlations_refused_total", "counter",
	    "Contacts not deferred: a worker's queue was full.");
	fprintf(fp, "kasaudit_correlations_refused_total %" PRIu64 "\n",
	    as->correlate_refused);
}

/* /metrics from the table: the very bytes cli_live.c used to write. */
static void
test_prom_bytes(void **state)
{
	struct decode_stats ds;
	struct audit_stats as;
	struct flow_stats fs;
	char *want = NULL, *got = NULL;
	size_t want_len = 0, got_len = 0;
	FILE *fp;

	(void)state;
	fill(&ds, &as, &fs);
	fs.active = 4242;		/* not in a report, on /metrics */
	assert_non_null(fp = open_memstream(&want, &want_len));
	old_metrics(fp, &ds, &as, &fs);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(fp = open_memstream(&got, &got_len));
	assert_int_equal(stats_write_prom(fp, &ds, &as, &fs), ERR_OK);
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "\nkasaudit_flows 4242\n"));
	free(want);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_no_flow),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_prom_table),
		cmocka_unit_test(test_prom_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
