/* daemon_http.c - kasaudit live's status pages: /metrics in Prometheus'
 * text format, /healthz, and the report as text or JSON. */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "aggregate.h"
#include "daemon.h"
#include "decode.h"
#include "err.h"
#include "stats.h"

/* What kasaudit_build_info says was built in: QUIC=0 leaves out libcrypto,
 * and with it the QUIC Initial decoder and --anonymize (Crypto-PAn). */
#ifdef KASAUDIT_QUIC
#define BUILD_FEATURES	"quic,anonymize"
#else
#define BUILD_FEATURES	""
#endif

static void
prom_head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP kasaudit_%s %s\n# TYPE kasaudit_%s %s\n", name,
	    help, name, type);
}

/* A label value, escaped as the text format wants. */
void
daemon_prom_label(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else
			fputc(*s, fp);
	}
}

static void
prom_iface(FILE *fp, const char *name, const char *iface, uint64_t v)
{
	fprintf(fp, "kasaudit_%s{interface=\"", name);
	daemon_prom_label(fp, iface);
	fprintf(fp, "\"} %" PRIu64 "\n", v);
}

static uint64_t
resident_bytes(void)
{
	unsigned long long size, rss;
	FILE *fp;
	int ok;

	if ((fp = fopen("/proc/self/statm", "r")) == NULL)
		return 0;
	ok = fscanf(fp, "%llu %llu", &size, &rss) == 2;
	fclose(fp);
	return ok ? (uint64_t)rss * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

/* Open descriptors: the entries of /proc/self/fd, less the one reading. */
static long
open_fds(void)
{
	struct dirent *e;
	long n = 0;
	DIR *dp;

	if ((dp = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((e = readdir(dp)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(dp);
	return n - 1;
}

/* The process_* metrics every Prometheus client library exports. */
static void
write_process(FILE *fp, const struct daemon *d)
{
	unsigned long long size = 0, rss;
	struct rusage ru;
	struct rlimit rl;
	FILE *sf;
	long fds;

	if ((sf = fopen("/proc/self/statm", "r")) != NULL) {
		if (fscanf(sf, "%llu %llu", &size, &rss) != 2)
			size = 0;
		fclose(sf);
	}
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		fputs("# HELP process_cpu_seconds_total User and system CPU "
		    "time spent in seconds.\n# TYPE process_cpu_seconds_total "
		    "counter\n", fp);
		fprintf(fp, "process_cpu_seconds_total %.3f\n",
		    (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	}
	fputs("# HELP process_resident_memory_bytes Resident memory size in "
	    "bytes.\n# TYPE process_resident_memory_bytes gauge\n", fp);
	fprintf(fp, "process_resident_memory_bytes %" PRIu64 "\n",
	    resident_bytes());
	if (size > 0) {
		fputs("# HELP process_virtual_memory_bytes Virtual memory size "
		    "in bytes.\n# TYPE process_virtual_memory_bytes gauge\n",
		    fp);
		fprintf(fp, "process_virtual_memory_bytes %llu\n",
		    size * (unsigned long long)sysconf(_SC_PAGESIZE));
	}
	fputs("# HELP process_start_time_seconds Start time of the process "
	    "since unix epoch in seconds.\n# TYPE process_start_time_seconds "
	    "gauge\n", fp);
	fprintf(fp, "process_start_time_seconds %lld\n",
	    (long long)d->started);
	if ((fds = open_fds()) >= 0) {
		fputs("# HELP process_open_fds Number of open file "
		    "descriptors.\n# TYPE process_open_fds gauge\n", fp);
		fprintf(fp, "process_open_fds %ld\n", fds);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		fputs("# HELP process_max_fds Maximum number of open file "
		    "descriptors.\n# TYPE process_max_fds gauge\n", fp);
		fprintf(fp, "process_max_fds %llu\n",
		    (unsigned long long)rl.rlim_cur);
	}
}

static void
write_metrics(struct daemon *d, FILE *fp)
{
	const struct decode_stats *ds = &d->view.dec;
	const struct audit_stats *as = &d->view.aud;
	const struct flow_stats *fs = &d->view.flow;
	const uint64_t *by_cat = d->view.by_cat;
	const struct source *s;
	size_t i;
	int v;

	daemon_view(d);

	prom_head(fp, "packets_total", "counter", "Packets captured.");
	for (i = 0; i < d->n_src; i++)
		prom_iface(fp, "packets_total", d->src[i].iface,
		    d->src[i].in.rf.packets);
	prom_head(fp, "bytes_total", "counter", "Bytes captured.");
	for (i = 0; i < d->n_src; i++)
		prom_iface(fp, "bytes_total", d->src[i].iface,
		    d->src[i].in.rf.bytes);
	prom_head(fp, "kernel_drops_total", "counter",
	    "Packets dropped for lack of kernel buffer space (pcap_stats).");
	for (i = 0; i < d->n_src; i++)
		prom_iface(fp, "kernel_drops_total", d->src[i].iface,
		    d->src[i].ks.dropped);
	prom_head(fp, "interface_drops_total", "counter",
	    "Packets dropped by the interface (pcap_stats).");
	for (i = 0; i < d->n_src; i++)
		prom_iface(fp, "interface_drops_total", d->src[i].iface,
		    d->src[i].ks.if_dropped);
	prom_head(fp, "capture_up", "gauge",
	    "1 while the capture on the interface runs.");
	for (i = 0; i < d->n_src; i++) {
		s = &d->src[i];
		prom_iface(fp, "capture_up", s->iface, s->failed ? 0 : 1);
	}
	if (d->n_wk > 0)
		daemon_workers_metrics(d, fp);

	daemon_dnstap_metrics(d, fp);
	/* Parse failures, cuts, flows, fragments: rows of stats.c. */
	stats_write_prom(fp, ds, as, fs);
	/* Entries here; the fragment memory is in bytes, a metric of its
	 * own (a metric never mixes units). */
	prom_head(fp, "table_capacity", "gauge", "Fixed table sizes (entries).");
	fprintf(fp, "kasaudit_table_capacity{table=\"flows\"} %zu\n",
	    d->o.max_flows);
	fprintf(fp, "kasaudit_table_capacity{table=\"stream_buffers\"} %zu\n",
	    d->o.stream_buffers);
	fprintf(fp, "kasaudit_table_capacity{table=\"hosts\"} %zu\n",
	    d->o.max_hosts);
	prom_head(fp, "fragment_memory_capacity_bytes", "gauge",
	    "Memory for IP fragments held (--max-frag-mem).");
	fprintf(fp, "kasaudit_fragment_memory_capacity_bytes %zu\n",
	    d->o.frag_mem);
	prom_head(fp, "resident_memory_bytes", "gauge",
	    "Resident memory of the process.");
	fprintf(fp, "kasaudit_resident_memory_bytes %" PRIu64 "\n",
	    resident_bytes());

	prom_head(fp, "matches_total", "counter",
	    "Observations that matched a signature, by category.");
	for (i = 0; i < CAT_N; i++)
		fprintf(fp, "kasaudit_matches_total{category=\"%s\"} %" PRIu64
		    "\n", match_cat_name((enum match_cat)i), by_cat[i]);
	prom_head(fp, "offenders", "gauge",
	    "Hosts that contacted Kaspersky.");
	fprintf(fp, "kasaudit_offenders %zu\n", aggregate_n_hosts(d->agg));
	prom_head(fp, "offenders_by_verdict", "gauge",
	    "Hosts that contacted Kaspersky, by verdict.");
	for (v = 0; v < VERDICT_N; v++)
		fprintf(fp, "kasaudit_offenders_by_verdict{verdict=\"%s\"} "
		    "%zu\n", verdict_name((enum verdict)v),
		    aggregate_by_verdict(d->agg, (enum verdict)v));
	prom_head(fp, "dns_servers", "gauge",
	    "DNS servers that relayed matched lookups.");
	fprintf(fp, "kasaudit_dns_servers %zu\n",
	    aggregate_n_resolvers(d->agg));
	prom_head(fp, "observations_refused_total", "counter",
	    "Matches the host tables did not take (--max-hosts, memory).");
	fprintf(fp, "kasaudit_observations_refused_total %" PRIu64 "\n",
	    aggregate_refused(d->agg));
	prom_head(fp, "hosts_refused_total", "counter",
	    "Observations refused because the host table was full.");
	fprintf(fp, "kasaudit_hosts_refused_total %" PRIu64 "\n",
	    aggregate_hosts_refused(d->agg));
	prom_head(fp, "signatures", "gauge", "Signatures in use.");
	fprintf(fp, "kasaudit_signatures %zu\n", match_count(d->m));

	if (d->o.events != NULL) {
		if (d->ev != NULL)
			evsink_stats(d->ev, &d->ev_st);
		prom_head(fp, "events_total", "counter",
		    "Events of the --events stream, by what became of them.");
		fprintf(fp, "kasaudit_events_total{result=\"written\"} %"
		    PRIu64 "\nkasaudit_events_total{result=\"dropped\"} %"
		    PRIu64 "\nkasaudit_events_total{result=\"failed\"} %"
		    PRIu64 "\n", d->ev_st.written, d->ev_st.dropped,
		    d->ev_st.failed);
		prom_head(fp, "events_queued_bytes", "gauge",
		    "Bytes of events waiting to be written.");
		fprintf(fp, "kasaudit_events_queued_bytes %zu\n",
		    d->ev_st.queued);
		prom_head(fp, "events_queue_capacity_bytes", "gauge",
		    "Size of the event queue (--events-buffer).");
		fprintf(fp, "kasaudit_events_queue_capacity_bytes %zu\n",
		    d->o.events_buffer);
		prom_head(fp, "events_reopened_total", "counter",
		    "Times the event file or socket was reopened (SIGHUP).");
		fprintf(fp, "kasaudit_events_reopened_total %" PRIu64 "\n",
		    d->ev_st.reopened);
	}
	prom_head(fp, "reports_total", "counter",
	    "Report rounds written (reports and state), by result.");
	fprintf(fp, "kasaudit_reports_total{result=\"ok\"} %" PRIu64 "\n"
	    "kasaudit_reports_total{result=\"failed\"} %" PRIu64 "\n",
	    d->reports_ok, d->reports_failed);
	prom_head(fp, "last_report_timestamp_seconds", "gauge",
	    "When the last report was written (0: none yet).");
	fprintf(fp, "kasaudit_last_report_timestamp_seconds %lld\n",
	    (long long)d->last_report);
	daemon_render_metrics(d, fp);
	prom_head(fp, "reloads_total", "counter", "SIGHUP reloads, by result.");
	fprintf(fp, "kasaudit_reloads_total{result=\"ok\"} %" PRIu64 "\n"
	    "kasaudit_reloads_total{result=\"failed\"} %" PRIu64 "\n",
	    d->reloads_ok, d->reloads_failed);
	prom_head(fp, "start_time_seconds", "gauge",
	    "When the daemon started.");
	fprintf(fp, "kasaudit_start_time_seconds %lld\n",
	    (long long)d->started);
	fputs("# HELP kasaudit_build_info The version running and the "
	    "optional features built in (value 1).\n"
	    "# TYPE kasaudit_build_info gauge\n", fp);
	fprintf(fp, "kasaudit_build_info{version=\"%s\",features=\"%s\"} 1\n",
	    KASAUDIT_VERSION, BUILD_FEATURES);
	write_process(fp, d);
	if (d->o.listen != NULL) {
		const struct live_http_stats *hs = live_http_stats(d->loop);

		prom_head(fp, "http_connections", "gauge",
		    "Open status connections.");
		fprintf(fp, "kasaudit_http_connections %zu\n", hs->conns_open);
		prom_head(fp, "http_requests_total", "counter",
		    "Status requests answered.");
		fprintf(fp, "kasaudit_http_requests_total %" PRIu64 "\n",
		    hs->requests);
		prom_head(fp, "http_connections_accepted_total", "counter",
		    "Status connections accepted.");
		fprintf(fp, "kasaudit_http_connections_accepted_total %"
		    PRIu64 "\n", hs->conns_accepted);
		prom_head(fp, "http_connections_closed_total", "counter",
		    "Status connections we closed before their request head "
		    "was complete, by reason: head_timeout (not whole within "
		    "5 s), too_big (over 8 KiB), bad_token (a wrong "
		    "Authorization line), evicted (the oldest head, at "
		    "--max-connections).");
		fprintf(fp, "kasaudit_http_connections_closed_total{reason="
		    "\"head_timeout\"} %" PRIu64 "\n"
		    "kasaudit_http_connections_closed_total{reason="
		    "\"too_big\"} %" PRIu64 "\n"
		    "kasaudit_http_connections_closed_total{reason="
		    "\"bad_token\"} %" PRIu64 "\n"
		    "kasaudit_http_connections_closed_total{reason="
		    "\"evicted\"} %" PRIu64 "\n", hs->head_timeouts,
		    hs->head_too_big, hs->bad_token, hs->evicted);
		prom_head(fp, "http_accept_pauses_total", "counter",
		    "Times accepting paused at --max-connections, every open "
		    "connection being past its head.");
		fprintf(fp, "kasaudit_http_accept_pauses_total %" PRIu64 "\n",
		    hs->conns_capped);
		prom_head(fp, "http_unauthorized_total", "counter",
		    "Status requests answered 401 (no or wrong token).");
		fprintf(fp, "kasaudit_http_unauthorized_total %" PRIu64 "\n",
		    hs->unauthorized);
	}
}

int
daemon_page(void *arg, enum live_page page, FILE *fp)
{
	struct daemon *d = arg;
	struct report_meta meta;
	int r;

	if (page == LIVE_PAGE_HEALTH) {
		if (d->n_failed == d->n_src) {
			fputs("no capture running\n", fp);
			return 503;
		}
		fputs("ok\n", fp);
		return 200;
	}
	if (aggregate_finish(d->agg, d->nm, d->o.v4_plen, d->o.v6_plen) !=
	    ERR_OK)
		return 500;
	if (page == LIVE_PAGE_METRICS) {
		write_metrics(d, fp);
		return ferror(fp) ? 500 : 200;
	}
	daemon_meta(d, &meta);
	r = page == LIVE_PAGE_REPORT_JSON ? report_json(fp, d->agg, &meta) :
	    report_text(fp, d->agg, &meta);
	return r == ERR_OK ? 200 : 500;
}

