/* cmd_read.c - kasaudit read: saved captures through the sensor into one
 * report, per-network files, events, evidence pcapng and a progress line. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "aggregate.h"
#include "anon.h"
#include "capture.h"
#include "decode.h"
#include "err.h"
#include "evidence.h"
#include "logrec.h"
#include "match.h"
#include "netmap.h"
#include "progress.h"
#include "report.h"
#include "report_dir.h"
#include "sensor.h"
#include "writers.h"

#define MAX_EVIDENCE_FLOWS	(1u << 22)	/* --write-flows: flows kept */

struct read_state {
	const struct opts	*o;
	FILE			*events;
	struct report_events	 ev_cfg;
	bool			 events_failed;
	/* --write-matches: whether the record being audited carried a
	 * matched name (which names, for its comment). */
	struct evidence		*ev;
	struct evidence_flows	*flows;		/* --write-flows */
	bool			 cur_matched;
	char			 comment[EVIDENCE_COMMENT_MAX];
	size_t			 comment_len;
	size_t			 comment_names;
	uint64_t		 ev_unplaced;	/* matches off their packet */
	bool			 cur_nopkt;	/* the input has no packets */
	uint64_t		 ev_nopkt;	/* matches in dnstap records */
	uint64_t		 ev_written;
	bool			 ev_failed;
	/* Progress line. */
	bool			 pg_on;
	struct progress		 pg;
	uint64_t		 pg_done;	/* bytes of the files before */
	uint64_t		 pg_packets;
	unsigned		 workers;	/* --workers, resolved */
};

/* Adds "kind name" to the comment of the packet being audited. */
static void
comment_add(struct read_state *rs, const struct obs *o)
{
	size_t room = sizeof(rs->comment) - rs->comment_len;
	int n;

	n = snprintf(rs->comment + rs->comment_len, room, "%s%s %.*s",
	    rs->comment_names++ > 0 ? ", " : " ", obs_kind_name(o->kind),
	    (int)(o->name_len < 512 ? o->name_len : 512),
	    o->name != NULL ? o->name : "");
	if (n > 0)
		rs->comment_len += (size_t)n < room ? (size_t)n : room - 1;
}

static void
on_match(void *arg, const struct obs *o, const struct obs *raw,
    const struct match_sig *sig, const struct capture_pkt *pkt)
{
	struct read_state *rs = arg;

	if (rs->events != NULL && !rs->events_failed &&
	    report_event_as(rs->events, &rs->ev_cfg, o, sig) != ERR_OK)
		rs->events_failed = true;
	if (rs->ev == NULL && rs->flows == NULL)
		return;
	/* The evidence is the packet the observation was made in; one made
	 * later (a flow flushed at the end) has no packet. */
	if (pkt == NULL) {
		if (rs->cur_nopkt)
			rs->ev_nopkt++;
		else
			rs->ev_unplaced++;
		return;
	}
	if (!rs->cur_matched) {
		rs->comment_len = (size_t)snprintf(rs->comment,
		    sizeof(rs->comment), "%s:%" PRIu64 ":", raw->file,
		    raw->frame);
		rs->comment_names = 0;
		if (rs->comment_len >= sizeof(rs->comment))
			rs->comment_len = sizeof(rs->comment) - 1;
		rs->cur_matched = true;
	}
	comment_add(rs, raw);
}

/*
 * The packet just audited carried a matched name: with --write-flows its
 * flow is remembered for the second pass, else it is written now.
 */
static void
on_packet(void *arg, const struct capture_pkt *cp, const struct pkt *p)
{
	struct read_state *rs = arg;

	if (!rs->cur_matched)
		return;
	rs->cur_matched = false;
	if (rs->flows != NULL) {
		(void)evidence_flows_add(rs->flows, p);	/* refusals counted */
		return;
	}
	if (rs->ev_failed)
		return;
	if (evidence_write(rs->ev, cp, rs->comment, rs->comment_len) ==
	    ERR_IO)
		rs->ev_failed = true;
	else
		rs->ev_written++;
}

/* Seconds on a clock that only goes forward, for the progress line. */
static double
now_mono(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0.0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Takes the progress line off the screen (before a warning, at the end). */
static void
progress_clear(struct read_state *rs)
{
	if (rs->pg_on && rs->pg.drawn) {
		fputs("\r\033[K", stderr);
		rs->pg.drawn = false;
	}
}

/* Between batches of PROGRESS_EVERY packets: a new line if one is due. */
static void
progress_tick(struct read_state *rs, uint64_t offset)
{
	char line[PROGRESS_LINE];
	double now;

	if (!rs->pg_on)
		return;
	now = now_mono();
	if (!progress_due(&rs->pg, now))
		return;
	progress_line(&rs->pg, line, rs->pg_done + offset, rs->pg_packets,
	    now);
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
}

/*
 * Outputs never destroy inputs: an output that is one of the inputs (the
 * same file by any path, a symbolic link too), or a report or events file
 * that would replace a capture (a shell glob after -o: `-o caps/STAR.pcap`),
 * is refused before anything is read.
 */
static int
outputs_spare_inputs(char **paths, size_t n, const struct opts *o)
{
	const struct {
		const char	*opt;
		const char	*path;
		bool		 pcap_ok;	/* it writes a capture itself */
	} outs[] = {
		{ "--output", o->output, false },
		{ "--events", o->events, false },
		{ "--write-matches", o->write_matches, true },
	};
	struct stat so, si;
	size_t k, i;

	for (k = 0; k < sizeof(outs) / sizeof(outs[0]); k++) {
		if (outs[k].path == NULL || strcmp(outs[k].path, "-") == 0 ||
		    stat(outs[k].path, &so) != 0 || !S_ISREG(so.st_mode))
			continue;
		for (i = 0; i < n; i++) {
			if (strcmp(paths[i], "-") == 0 ||
			    stat(paths[i], &si) != 0 || si.st_dev != so.st_dev ||
			    si.st_ino != so.st_ino)
				continue;
			warnx("%s %s is the input %s: refusing to write over "
			    "it", outs[k].opt, outs[k].path, paths[i]);
			return -1;
		}
		if (!outs[k].pcap_ok && file_is_capture(outs[k].path)) {
			warnx("%s %s is a capture file: refusing to write a "
			    "report over it (a shell glob after %s?)",
			    outs[k].opt, outs[k].path, outs[k].opt);
			return -1;
		}
	}
	return 0;
}

/* The options that only make sense together, or not together. */
static int
read_check(char **paths, size_t n, const struct opts *o)
{
	const char *wm = o->write_matches;
	size_t i;

	if (n == 0) {
		warnx("read: no capture files (use - for standard input)");
		fprintf(stderr, "Try 'kasaudit read --help'.\n");
		return -1;
	}
	if (o->output != NULL && o->events != NULL &&
	    strcmp(o->output, o->events) == 0 &&
	    strcmp(o->output, "-") != 0) {
		warnx("--output and --events name the same file");
		return -1;
	}
	if (o->write_flows && wm == NULL) {
		warnx("--write-flows goes with --write-matches FILE");
		return -1;
	}
	if (wm != NULL && strcmp(wm, "-") == 0 && (o->output == NULL ||
	    strcmp(o->output, "-") == 0 || (o->events != NULL &&
	    strcmp(o->events, "-") == 0))) {
		warnx("--write-matches -: the report and events must then go "
		    "to files (-o FILE)");
		return -1;
	}
	if (wm != NULL && strcmp(wm, "-") != 0 && ((o->output != NULL &&
	    strcmp(o->output, wm) == 0) || (o->events != NULL &&
	    strcmp(o->events, wm) == 0))) {
		warnx("--write-matches names the same file as --output or "
		    "--events");
		return -1;
	}
	for (i = 0; o->write_flows && i < n; i++)
		if (strcmp(paths[i], "-") == 0) {
			warnx("--write-flows reads the inputs twice: not with "
			    "standard input (-)");
			return -1;
		}
	/* The evidence file would carry the very addresses hidden. */
	if (o->anonymize != NULL && wm != NULL) {
		warnx("--anonymize: not with --write-matches (the packets hold "
		    "the real addresses)");
		return -1;
	}
	return outputs_spare_inputs(paths, n, o);
}

/* A log line that did not parse (the sensor bounds how many). */
static void
on_warn(void *arg, const char *msg)
{
	struct read_state *rs = arg;

	progress_clear(rs);
	warnx("%s", msg);
}

/*
 * Reads one input (a capture or a log) to its end (or to the first damage
 * it cannot pass) through the sensor.  Returns false when the file could not be read to
 * its end; what was read before still counts.
 */
static bool
read_one(struct sensor *s, struct sensor_input *in, const char *path,
    struct read_state *rs)
{
	const struct source_ops *kind;
	static uint8_t head[SOURCE_SNIFF_LEN];
	struct source_config sc;
	const char *name;
	uint64_t before = rs->pg_packets;
	size_t i, head_len;
	bool consumed;
	int r;

	memset(&sc, 0, sizeof(sc));
	sc.filter = rs->o->filter;
	/* The kind by content: pcap, pcapng, dnstap, a Zeek or EVE log. */
	memset(in, 0, sizeof(*in));
	in->rf.path = path;
	in->rf.format = "";
	in->rf.error = "";
	if (source_peek(path, head, sizeof(head), &head_len, &consumed,
	    in->err) != ERR_OK) {
		in->rf.error = in->err;
		goto fail;
	}
	kind = source_sniff(head, head_len);
	if (consumed) {
		sc.prefix = head;
		sc.prefix_len = head_len;
	}
	rs->cur_nopkt = strcmp(kind->kind, "file") != 0;
	kind = source_workers(kind, rs->workers);
	if (sensor_open(s, in, kind, path, &sc) != ERR_OK)
		goto fail;
	if (sc.filter != NULL && kind->filter == NULL) {
		progress_clear(rs);
		warnx("%s: -f applies to packets, not to %s: every record "
		    "is read", path, kind->kind);
	}
	do {
		r = sensor_run(s, in, PROGRESS_EVERY);
		rs->pg_packets = before + in->rf.packets;
		progress_tick(rs, in->ops->offset(in->state));
	} while (r == ERR_OK);
	rs->pg_done += in->ops->offset(in->state);
	sensor_close(in);
	if (in->n_skipped > 0)
		progress_clear(rs);	/* the warnings get whole lines */
	for (i = 0; i < in->n_skipped; i++) {
		name = capture_linktype_name(in->skipped[i].linktype);
		warnx("%s: link type %d (%s) is not supported: %" PRIu64
		    " packets skipped", path, in->skipped[i].linktype,
		    name != NULL ? name : "unknown", in->skipped[i].packets);
	}
	if (in->n_bad > 0) {
		progress_clear(rs);
		warnx("%s: %" PRIu64 " dnstap frames did not decode (read on); "
		    "the first: %s", path, in->n_bad, in->bad);
	}
	if (r == ERR_END)
		return true;
fail:
	progress_clear(rs);
	warnx("%s", in->err);
	return false;
}

/*
 * --write-flows, second pass: every packet of a flow that had a match, in
 * file order.  The inputs are read again with the same filter and a fresh
 * decoder; a packet that does not decode to IP (and an IP fragment other
 * than the one that completes its datagram) has no flow and is left out.
 */
static bool
flows_pass(const struct opts *o, char **paths, size_t n_files,
    struct read_state *rs)
{
	char errbuf[ERRBUF_LEN], comment[PATH_MAX + 32];
	struct capture *cap;
	struct capture_pkt cp;
	struct decode *dec;
	struct pkt p;
	size_t i;
	int r, c;

	if ((dec = decode_new(o->frag_mem, o->frag_timeout)) == NULL) {
		warnx("out of memory");
		return false;
	}
	decode_set_tunnel_depth(dec, o->tunnel_depth);
	for (i = 0; i < n_files && !rs->ev_failed; i++) {
		if (capture_open_file(&cap, paths[i], errbuf) != ERR_OK)
			continue;		/* warned in the first pass */
		if (o->filter != NULL &&
		    capture_set_filter(cap, o->filter, errbuf) != ERR_OK) {
			capture_close(cap);
			continue;
		}
		while ((r = capture_next(cap, &cp, errbuf)) == ERR_OK) {
			if ((++rs->pg_packets & (PROGRESS_EVERY - 1)) == 0)
				progress_tick(rs, capture_offset(cap));
			if (decode_pkt(dec, &p, cp.data, cp.caplen, cp.len,
			    cp.linktype, cp.ts_sec) != ERR_OK ||
			    !evidence_flows_has(rs->flows, &p))
				continue;
			c = snprintf(comment, sizeof(comment), "%s:%" PRIu64,
			    paths[i], cp.frame);
			if (evidence_write(rs->ev, &cp, comment, c < 0 ? 0 :
			    (size_t)c < sizeof(comment) ? (size_t)c :
			    sizeof(comment) - 1) == ERR_IO) {
				rs->ev_failed = true;
				break;
			}
			rs->ev_written++;
		}
		rs->pg_done += capture_offset(cap);
		capture_close(cap);
	}
	progress_clear(rs);
	decode_free(dec);
	return !rs->ev_failed;
}

/* Bytes of all inputs for the progress line; 0 if one is not a file. */
static uint64_t
total_bytes(char **paths, size_t n)
{
	struct stat st;
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(paths[i], "-") == 0 || stat(paths[i], &st) != 0 ||
		    !S_ISREG(st.st_mode))
			return 0;
		total += (uint64_t)st.st_size;
	}
	return total;
}

/* What went wrong with the evidence file, after the report. */
static bool
evidence_done(const struct opts *o, struct read_state *rs)
{
	bool ok = true;

	if (rs->ev_failed || evidence_finish(rs->ev) != ERR_OK) {
		warnx("%s: write failed", o->write_matches);
		ok = false;
	}
	if (evidence_stats(rs->ev)->no_iface > 0)
		warnx("%s: %" PRIu64 " packets left out: more than %d "
		    "link type and snaplen pairs", o->write_matches,
		    evidence_stats(rs->ev)->no_iface, EVIDENCE_IFACES_MAX);
	if (rs->flows != NULL && evidence_flows_refused(rs->flows) > 0)
		warnx("%s: %" PRIu64 " matched flows left out (more than %u)",
		    o->write_matches, evidence_flows_refused(rs->flows),
		    MAX_EVIDENCE_FLOWS);
	if (rs->ev_nopkt > 0)
		warnx("%s: %" PRIu64 " matches came from dnstap records, "
		    "which carry no packet: they are in the report and the "
		    "events only", o->write_matches, rs->ev_nopkt);
	if (rs->ev_unplaced > 0)
		warnx("%s: %" PRIu64 " matches were made after their packet "
		    "(when the input ended); their packets are not in it",
		    o->write_matches, rs->ev_unplaced);
	return ok;
}

int
cmd_read(int argc, char **argv)
{
	char errbuf[ERRBUF_LEN];
	struct opts o;
	struct read_state rs;
	struct sensor_config sc;
	struct sensor_hooks hooks;
	struct report_meta meta;
	struct sensor_input *in = NULL;
	struct report_file *files = NULL;
	struct outfile out = { 0 }, ev = { 0 }, wm = { 0 };
	const struct writer *fmt;
	struct match *m = NULL;
	struct netmap *nm = NULL, *anm = NULL;
	struct anon *an = NULL;
	struct letter *letter = NULL;
	struct leases *lt = NULL;
	struct report_leases rl;
	struct sensor *s = NULL;
	struct aggregate *agg;
	char **paths;
	size_t n_files, i;
	uint64_t total;
	bool input_ok = true, written = false;
	int status = EXIT_USAGE, r;

	memset(&rs, 0, sizeof(rs));
	memset(&meta, 0, sizeof(meta));
	if ((r = opts_parse(CMD_READ, argc, argv, &o)) != 0)
		return r > 0 ? EXIT_DONE : EXIT_USAGE;
	/* -r FILE (as tcpdump takes it) first, then the operands. */
	n_files = o.n_inputs + (size_t)(argc - optind);
	if ((paths = calloc(n_files + 1, sizeof(*paths))) == NULL) {
		warnx("out of memory");
		return EXIT_USAGE;
	}
	for (i = 0; i < o.n_inputs; i++)
		paths[i] = (char *)o.inputs[i];
	for (; i < n_files; i++)
		paths[i] = argv[optind + (int)(i - o.n_inputs)];
	if (read_check(paths, n_files, &o) != 0) {
		free(paths);
		return EXIT_USAGE;
	}
	rs.o = &o;
	fmt = o.n_formats > 0 ? o.formats[o.n_formats - 1] : writer_at(0);
	if (o.filter != NULL &&
	    capture_filter_check(o.filter, errbuf) != ERR_OK) {
		warnx("%s", errbuf);
		goto out;
	}
	if ((m = load_sigs(&o.sigs)) == NULL)
		goto out;
	if (o.anonymize != NULL &&
	    anon_load(&an, o.anonymize, errbuf) != ERR_OK) {
		warnx("--anonymize: %s", errbuf);
		goto out;
	}
	if (o.networks != NULL) {
		if ((nm = nets_build(o.networks, errbuf)) == NULL) {
			warnx("%s", errbuf);
			goto out;
		}
		if (an != NULL &&
		    (anm = nets_build_anon(o.networks, an)) == NULL)
			goto out;
	}
	if (o.letter != NULL && (letter = letter_open(&o)) == NULL)
		goto out;
	if (leases_setup(&o, &lt) != 0)
		goto out;
	memset(&sc, 0, sizeof(sc));
	sc.match = m;
	memcpy(sc.dns_ports, o.dns_ports, sizeof(sc.dns_ports));
	sc.n_dns_ports = o.n_dns_ports;
	memcpy(sc.trust, o.trust, sizeof(sc.trust));
	sc.n_trust = o.n_trust;
	sc.trust_set = o.trust_set;
	sc.frag_mem = o.frag_mem;
	sc.frag_timeout = o.frag_timeout;
	sc.tunnel_depth = o.tunnel_depth;
	sc.tunnel_depth_set = true;
	sc.flow.max_flows = o.max_flows;
	sc.flow.stream_bytes = o.stream_bytes;
	sc.flow.n_buffers = o.stream_buffers;
	sc.flow.tcp_idle = TCP_IDLE;
	sc.flow.udp_idle = UDP_IDLE;
	sc.attrib.max_entries = o.max_attrib;
	sc.attrib.ttl_min = o.attrib_ttl_min;
	sc.attrib.ttl_max = o.attrib_ttl_max;
	sc.max_names = o.max_names;
	sc.max_hosts = o.max_hosts;
	sc.max_name_addrs = o.max_name_addrs;
	sc.anon = an;
	memset(&hooks, 0, sizeof(hooks));
	hooks.match = on_match;
	hooks.warn = on_warn;
	hooks.arg = &rs;
	if (o.write_matches != NULL)
		hooks.packet = on_packet;
	if ((in = calloc(n_files, sizeof(*in))) == NULL ||
	    (files = calloc(n_files, sizeof(*files))) == NULL ||
	    sensor_new(&s, &sc, &hooks) != ERR_OK ||
	    (o.write_flows && (rs.flows =
	    evidence_flows_new(MAX_EVIDENCE_FLOWS)) == NULL)) {
		warnx("out of memory");
		goto out;
	}
	agg = sensor_aggregate(s);
	leases_use(&o, lt, agg, true);
	/* Standard output too goes through outfile, which checks that every
	 * byte got out (a full disk, /dev/full) before the exit status. */
	out.path = o.output != NULL ? o.output : "-";
	ev.path = o.events;
	wm.path = o.write_matches;
	if (outfile_open(&out) != 0 || outfile_open(&ev) != 0 ||
	    outfile_open(&wm) != 0)
		goto out;
	rs.events = ev.fp;
	rs.ev_cfg.format = o.events_format;
	rs.ev_cfg.seed = (uint16_t)o.community_seed;
	if (wm.fp != NULL && (r = evidence_new(&rs.ev, wm.fp, "kasaudit "
	    KASAUDIT_VERSION)) != ERR_OK) {
		warnx("%s: %s", o.write_matches, r == ERR_NOMEM ?
		    "out of memory" : "write failed");
		goto out;
	}
	rs.pg_on = o.progress == 1 || (o.progress == -1 &&
	    isatty(STDERR_FILENO));
	total = rs.pg_on ? total_bytes(paths, n_files) : 0;
	if (rs.pg_on)
		progress_start(&rs.pg, o.write_flows ? 2 * total : total,
		    now_mono());
	/* --workers: by default one a CPU, at most WORKERS_AUTO_MAX (the
	 * line has two stages today: source_pipe.c). */
	if ((rs.workers = o.workers) == 0) {
		long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

		rs.workers = ncpu < 1 ? 1 : ncpu > WORKERS_AUTO_MAX ?
		    WORKERS_AUTO_MAX : (unsigned)ncpu;
	}
	status = EXIT_DONE;
	for (i = 0; i < n_files; i++) {
		if (!read_one(s, &in[i], paths[i], &rs))
			input_ok = false;
		files[i] = in[i].rf;
		meta.packets += files[i].packets;
		meta.bytes += files[i].bytes;
	}
	sensor_finish(s);
	if (aggregate_finish(agg, anm != NULL ? anm : nm, o.v4_plen,
	    o.v6_plen) != ERR_OK) {
		warnx("out of memory while sorting the report");
		status = EXIT_INPUT;
		goto out;
	}
	if (rs.flows != NULL && !flows_pass(&o, paths, n_files, &rs))
		status = EXIT_INPUT;
	progress_clear(&rs);
	sensor_meta(s, &meta);
	meta.version = KASAUDIT_VERSION;
	meta.files = files;
	meta.n_files = n_files;
	meta.filter = o.filter;
	meta.v4_plen = o.v4_plen;
	meta.v6_plen = o.v6_plen;
	meta.max_names = o.max_names;
	meta.anonymized = an != NULL;
	meta.netmap = anm != NULL ? anm : nm;
	leases_report(&o, lt, agg, &rl, &meta);
	if (fmt->write(out.fp, agg, &meta, NULL) != ERR_OK) {
		warnx("%s: write failed", o.output != NULL &&
		    strcmp(o.output, "-") != 0 ? o.output : "standard output");
		status = EXIT_INPUT;
		goto out;
	}
	written = status == EXIT_DONE;
	if (o.report_dir != NULL && !report_dir_write(o.report_dir, fmt, agg,
	    &meta, letter, errbuf)) {
		warnx("%s", errbuf);
		written = false;
		status = EXIT_INPUT;
	}
	if (rs.events_failed) {
		warnx("%s: write failed", strcmp(o.events, "-") != 0 ?
		    o.events : "standard output");
		written = false;
		status = EXIT_INPUT;
	}
	if (rs.ev != NULL && !evidence_done(&o, &rs)) {
		written = false;
		status = EXIT_INPUT;
	}
	if (!input_ok)
		status = EXIT_INPUT;
	else if (status == EXIT_DONE && o.fail_on_match &&
	    aggregate_n_hosts(agg) > aggregate_by_verdict(agg,
	    VERDICT_MIGRATED))	/* migrated: not Kaspersky */
		status = EXIT_MATCH;
out:
	progress_clear(&rs);
	/* Each closed, whatever became of the others. */
	if (outfile_close(&out, written) != 0)
		status = status == EXIT_DONE ? EXIT_INPUT : status;
	if (outfile_close(&ev, written) != 0)
		status = status == EXIT_DONE ? EXIT_INPUT : status;
	if (outfile_close(&wm, written) != 0)
		status = status == EXIT_DONE ? EXIT_INPUT : status;
	free(files);
	free(in);
	free(paths);
	evidence_free(rs.ev);
	evidence_flows_free(rs.flows);
	sensor_free(s);
	anon_free(an);
	netmap_free(anm);
	netmap_free(nm);
	letter_free(letter);
	leases_free(lt);
	match_free(m);
	return status;
}
