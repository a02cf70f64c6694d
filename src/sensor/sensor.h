/* sensor.h - the one pipeline: sources in, decode -> audit -> aggregate,
 * and the run's bookkeeping (inputs, link types, time span) out. */
#ifndef KASAUDIT_SENSOR_H
#define KASAUDIT_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "anon.h"
#include "audit.h"
#include "capture.h"
#include "decode.h"
#include "dnstap.h"
#include "err.h"
#include "report.h"

#define SENSOR_MAX_LINKTYPES	64
#define SENSOR_MAX_SKIPPED	8	/* unsupported link types per input */
#define SENSOR_MAX_WARN		20	/* bad log lines shown per input */

struct sensor;			/* opaque: defined in sensor.c */
struct sensor_input;

struct sensor_config {
	const struct match	*match;		/* borrowed; see sensor_set_match */
	size_t			 frag_mem;	/* --max-frag-mem */
	unsigned		 frag_timeout;	/* --frag-timeout */
	unsigned		 tunnel_depth;	/* --tunnel-depth, if ... */
	bool			 tunnel_depth_set;	/* else ENCAP_DEPTH */
	struct flow_config	 flow;
	struct attrib_config	 attrib;	/* max_entries 0: defaults */
	uint16_t		 dns_ports[AUDIT_MAX_DNS_PORTS];
	size_t			 n_dns_ports;
	struct audit_trust	 trust[AUDIT_MAX_TRUST];	/* --trust-proxy */
	size_t			 n_trust;
	bool			 trust_set;
	size_t			 max_names;	/* per host */
	size_t			 max_hosts;	/* 0: no cap */
	struct anon		*anon;		/* NULL: addresses as seen */
	size_t			 max_name_addrs; /* 0: the default; no machine
						   names with anon */
	/* live --workers: the tables the sensors of one run share (their
	 * aggregate, DNS answers, machine names); NULL: the sensor's own. */
	struct sensor_shared	*shared;
	size_t			 defer_max;	/* audit_config's; 0: none */
};

struct sensor_shared;		/* opaque: defined in sensor_shared.c */

/* What a way of running adds to the line; each member may be NULL. */
struct sensor_hooks {
	/*
	 * Every match, after the aggregate took it: o as every output sees
	 * it (pseudonymised with --anonymize), raw as it was on the wire.
	 * pkt is the packet the match was made in, or NULL when it was made
	 * later (a flow flushed when the input ended).  All borrowed.
	 */
	void	(*match)(void *arg, const struct obs *o, const struct obs *raw,
		    const struct match_sig *, const struct capture_pkt *pkt);
	/* Every packet that decoded, after it was audited; not a DNS
	 * message the audit would only have counted when a screen took it
	 * (sensor_packet_screened(): no match can be made in it). */
	void	(*packet)(void *arg, const struct capture_pkt *,
		    const struct pkt *);
	void	*arg;
	/* A line of a log input that did not parse: "file:line: why".  The
	 * first SENSOR_MAX_WARN of an input, then one line saying so. */
	void	(*warn)(void *arg, const char *msg);
};

/* How a source is opened; what a kind does not use it ignores. */
struct source_config {
	const char		*filter;	/* BPF; NULL: none */
	struct capture_live_config live;	/* kind "live" */
	const void		*buf;		/* kind "buf": bytes in memory */
	size_t			 buf_len;
	/* Bytes of standard input already read to tell its kind (a pipe
	 * cannot give them back): the input's first bytes.  Borrowed. */
	const uint8_t		*prefix;
	size_t			 prefix_len;
};

/*
 * A kind of input: a table row (source.c).  A source pushes what it reads
 * into the sensor with sensor_packet(); adding a kind is one file and one
 * row.
 */
struct source_ops {
	const char	*kind;		/* "file", "buf", "live", "dnstap" */
	/* Whether this kind reads an input that starts with these bytes
	 * (NULL: never chosen by content). */
	bool		(*sniff)(const uint8_t *p, size_t len);
	/* ERR_* with errbuf "spec: why"; *state freed by close. */
	int		(*open)(void **state, const char *spec,
			    const struct source_config *, char *errbuf);
	/* The -f filter, after open (NULL: open applied it, or none). */
	int		(*filter)(void *state, const char *expr, char *errbuf);
	/*
	 * Reads up to max records into the sensor.  ERR_OK: max were read;
	 * ERR_END: the input ended cleanly; ERR_NOTFOUND: nothing waits now
	 * (live); anything else: the input failed, errbuf says where.
	 */
	int		(*next)(void *state, struct sensor *,
			    struct sensor_input *, size_t max, char *errbuf);
	void		(*close)(void *state);		/* NULL-safe */
	const char	*(*format)(void *state);	/* "pcap", "live" */
	uint64_t	(*offset)(void *state);		/* bytes read so far */
	uint64_t	(*filtered)(void *state);	/* records -f refused */
	/* Live sources: a descriptor to poll, the link type, kernel drops. */
	int		(*fd)(void *state);
	int		(*linktype)(void *state);
	int		(*live_stats)(void *state, struct capture_live_stats *,
			    char *errbuf);
};

/* The kind of source by name, or NULL. */
const struct source_ops *source_find(const char *kind);

/*
 * The kind that reads what kind reads with that many threads: the "file"
 * row (pcap, pcapng, also compressed or from a pipe) on two threads
 * ("file-workers") for workers >= 2; every other kind, and workers 1,
 * as it is.
 */
const struct source_ops *source_workers(const struct source_ops *kind,
	    unsigned workers);

#define SOURCE_SNIFF_LEN	4096	/* bytes source_sniff() may look at */

/*
 * The kind of a saved input by its first bytes (pcap, pcapng: "file";
 * dnstap, Zeek and Suricata logs); "file" when none claims it, so its error says what is wrong.
 * Compressed bytes (gzip, xz, zstd, bzip2) are decompressed to be told.
 */
const struct source_ops *source_sniff(const uint8_t *p, size_t len);

/*
 * The first bytes of path ("-": standard input) into buf (cap at most
 * SOURCE_SNIFF_LEN), *len of them.  *consumed is true when they were taken
 * from a pipe: pass them on as source_config.prefix.  ERR_IO with errbuf
 * "path: why" when it cannot be read; the open would say the same.
 */
int	source_peek(const char *path, uint8_t *buf, size_t cap, size_t *len,
	    bool *consumed, char *errbuf);

/* One input of the run, as the report lists it. */
struct sensor_input {
	struct report_file	 rf;
	const struct source_ops	*ops;
	void			*state;
	bool			 open;
	struct {
		int		 linktype;
		uint64_t	 packets;
	}			 skipped[SENSOR_MAX_SKIPPED];
	size_t			 n_skipped;	/* link types not decoded */
	uint64_t		 bad_lines;	/* log lines that did not parse */
	char			 err[ERRBUF_LEN];
	/* Records that did not decode, the input read on (dnstap): how
	 * many, and the first one's "path: offset N: why". */
	uint64_t		 n_bad;
	char			 bad[ERRBUF_LEN];
	/* The time of the last record read (live --workers: how far this
	 * socket has been read). */
	int64_t			 last_sec;
	uint32_t		 last_nsec;
	/* dnstap: the resolver's identity and version, as rf.format. */
	char			 origin[2 * DNSTAP_NAME_MAX + 16];
};

/* The span of packet time seen (and restored from a state file). */
struct sensor_span {
	bool		 have;
	int64_t		 first_sec, last_sec;
	uint32_t	 first_nsec, last_nsec;
};

/* ERR_NOMEM or ERR_OK; the sensor owns its decoder, audit and aggregate. */
int	sensor_new(struct sensor **, const struct sensor_config *,
	    const struct sensor_hooks *);
void	sensor_free(struct sensor *);		/* NULL-safe */

/*
 * Opens spec as a source of the given kind into *in (rf.path is spec,
 * borrowed).  On failure in->err holds "spec: why" and the input stays in
 * the report as not opened.
 */
int	sensor_open(struct sensor *, struct sensor_input *in,
	    const struct source_ops *, const char *spec,
	    const struct source_config *);
/* Reads up to max records of in (see source_ops.next); errors in in->err,
 * and rf.complete set once the input ended cleanly. */
int	sensor_run(struct sensor *, struct sensor_input *in, size_t max);
/* Closes the source; its counts stay in in->rf. */
void	sensor_close(struct sensor_input *in);

/* One record, from a source: counted, decoded, audited.  No allocation. */
void	sensor_packet(struct sensor *, struct sensor_input *,
	    const struct capture_pkt *);

/*
 * The same for a record already decoded, in file order, with the sensor's
 * own decoder by another thread (read --workers, source_pipe.c): r is
 * decode_pkt()'s result, *p the packet when ERR_OK (frame, time set).
 */
void	sensor_packet_decoded(struct sensor *, struct sensor_input *,
	    const struct capture_pkt *, int r, const struct pkt *p);
/* The sensor's decoder, for such a thread; the sensor does not use it
 * (nor read its counters) while that thread runs. */
struct decode *sensor_decoder(struct sensor *);

/*
 * The screen of read --workers' reader thread (audit_screen()).  On that
 * thread, sensor_screen() for a record the sensor has not taken yet: p
 * the packet the sensor's decoder made of it there, or NULL when the
 * sensor is to decode it (only a packet decode_plain() takes is looked
 * at).  Not 0: the record is a DNS message the audit would only count,
 * and sensor_packet_screened() takes it in the place of sensor_packet()
 * or sensor_packet_decoded(), on the sensor's thread and in file order,
 * with the same counts.  The screen is made from the sensor's signatures
 * and settings: no sensor_set_match() while it is used.
 */
struct audit_screen *sensor_screen_new(struct sensor *);
void	sensor_screen_free(struct audit_screen *);	/* NULL-safe */
uint32_t sensor_screen(struct audit_screen *, const struct capture_pkt *,
	    const struct pkt *p);
void	sensor_packet_screened(struct sensor *, struct sensor_input *,
	    const struct capture_pkt *, uint32_t verdict);

/* ---- logs: Zeek and Suricata records (source.c rows zeek-*, eve) ---- */

/*
 * One record of a log input, already named: counted as the input's record
 * (bytes: its line's length), its time in the span, then audit_log(): the
 * same matching, attribution and aggregation as a packet's observation.
 * No allocation.
 */
void	sensor_obs(struct sensor *, struct sensor_input *,
	    const struct log_rec *, size_t bytes);
/* A line of a log input that did not parse: counted, and msg ("file:line:
 * why") to the warn hook while under SENSOR_MAX_WARN for the input. */
void	sensor_log_bad(struct sensor *, struct sensor_input *,
	    const char *msg);

/* ---- DNS messages without packets (dnstap) ---------------------------- */

/* Where a DNS message came from, when no packet carried it. */
struct sensor_dns_ctx {
	int64_t		 ts_sec;
	uint32_t	 ts_nsec;
	uint64_t	 frame;		/* the record's number in its input */
	struct addr	 client;	/* the side that asked */
	struct addr	 server;	/* the side that answered */
	uint16_t	 client_port;
	uint16_t	 server_port;
	uint8_t		 proto;		/* 6 or 17 */
};

/*
 * One DNS message, counted as a record of in and audited on the same path
 * as a datagram's (its QR bit says which way it went).  Matches reach the
 * match hook with no packet; the packet hook is not called.  No allocation.
 */
void	sensor_dns(struct sensor *, struct sensor_input *,
	    const struct sensor_dns_ctx *, const uint8_t *msg, size_t len);

/*
 * One decoded dnstap message: CLIENT_* go to sensor_dns(); RESOLVER_* are
 * the resolver's own lookups, counted apart and never a client; others
 * are counted.  The first identity and version name the input (origin).
 */
void	sensor_dnstap(struct sensor *, struct sensor_input *,
	    const struct dnstap_msg *, uint64_t frame);
/* Sets in->origin and rf.format to "dnstap (identity, version)" of m, if
 * not set yet and m has them (printable ASCII, the rest '?'). */
void	sensor_dnstap_origin(struct sensor_input *, const struct dnstap_msg *);
/* A dnstap frame that did not decode: counted; the first kept in in->bad. */
void	sensor_dnstap_bad(struct sensor *, struct sensor_input *,
	    const char *why);

/* Every input has ended: flows still open are closed and counted. */
void	sensor_finish(struct sensor *);

/* Swaps the signature set (a reload); the old one may be freed only when
 * nothing points into it any more (aggregate_own_sigs()). */
void	sensor_set_match(struct sensor *, const struct match *);
/* audit_defer_run() of the sensor's audit (live --workers). */
void	sensor_defer_run(struct sensor *, int64_t h_sec, uint32_t h_nsec,
	    int64_t stale_ns, bool all);

struct aggregate *sensor_aggregate(struct sensor *);
struct sensor_span *sensor_span(struct sensor *);
const struct decode_stats *sensor_decode_stats(const struct sensor *);
const struct audit_stats *sensor_audit_stats(const struct sensor *);
const struct flow_stats *sensor_flow_stats(const struct sensor *);
/* Matches per category (update, telemetry...), CAT_N of them. */
const uint64_t *sensor_by_cat(const struct sensor *);

/* The report's view of the run: link types, time span, statistics and
 * the signature set.  Files, packets and options are the caller's. */
void	sensor_meta(const struct sensor *, struct report_meta *);

/*
 * ---- several sensors, one run (live --workers; sensor_shared.c) --------
 *
 * Each worker thread has a sensor of its own (decoder, flows, streams,
 * counters); they share one aggregate, one table of matched DNS answers
 * (so a connection is put down to an answer another worker saw) and one
 * of machine names, behind one recursive lock.  A sensor made with
 * cfg->shared takes the lock around every call into them and around its
 * hooks, so the hooks are never called by two threads at once.  Another
 * thread that reads the aggregate holds the lock (sensor_shared_lock()).
 */
int	sensor_shared_new(struct sensor_shared **, const struct sensor_config *);
void	sensor_shared_free(struct sensor_shared *);	/* NULL-safe */
void	sensor_shared_lock(struct sensor_shared *);	/* NULL: nothing */
void	sensor_shared_unlock(struct sensor_shared *);
struct aggregate *sensor_shared_aggregate(struct sensor_shared *);

/* A sensor's counters as numbers, to be added up across sensors. */
struct sensor_sum {
	struct decode_stats	 dec;
	struct audit_stats	 aud;
	struct flow_stats	 flow;
	uint64_t		 by_cat[CAT_N];
	struct report_linktype	 lt[SENSOR_MAX_LINKTYPES];
	size_t			 n_lt;
	struct sensor_span	 span;
};
/* Adds a sensor's counters, or another sum, to *sum (memset it first):
 * counters add up (a peak too: each worker's table is its own share),
 * link types by type, the time span widens. */
void	sensor_sum_add(struct sensor_sum *, struct sensor *);
void	sensor_sum_merge(struct sensor_sum *, const struct sensor_sum *);
/* The shared machine-name table's counters (audit_stats.names), once. */
void	sensor_sum_shared(struct sensor_sum *, const struct sensor_shared *);
/* sensor_meta() of a sum (borrowed: keep it while meta is used). */
void	sensor_sum_meta(const struct sensor_sum *, const struct match *,
	    struct report_meta *);

#endif
