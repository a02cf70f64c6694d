/* report.h - writers: text, JSON, JSON-lines events.
 * Every writer escapes wire strings for its format (name.h). */
#ifndef KASAUDIT_REPORT_H
#define KASAUDIT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "audit.h"
#include "decode.h"
#include "match.h"
#include "obs.h"

struct report_file {
	const char	*path;
	const char	*format;	/* "pcap", "pcapng", "" if not opened */
	uint64_t	 packets;
	uint64_t	 bytes;
	uint64_t	 filtered;
	bool		 complete;	/* read to its end */
	const char	*error;		/* "" when complete */
	uint64_t	 unsupported;	/* packets on link types we skip */
};

struct report_linktype {
	int		 linktype;
	const char	*name;		/* "EN10MB"; NULL if unknown */
	uint64_t	 packets;
	bool		 supported;
};

/* A signature set by name, for reports read back (merge): no matcher. */
struct report_sigset {
	const char	*name;
	uint64_t	 count;
};

/* live --events: what became of the event stream. */
struct report_evcount {
	uint64_t	 written;
	uint64_t	 dropped;	/* the queue was full */
	uint64_t	 failed;	/* write or send errors */
};

/* --leases: what the lease files gave, and contacts outside every lease. */
struct report_leases {
	uint64_t	 files;
	uint64_t	 leases;	/* intervals kept */
	uint64_t	 bad_lines;	/* refused as wrong (file:line warned) */
	uint64_t	 refused;	/* over --max-leases */
	uint64_t	 no_lease;	/* matched contacts no lease held then */
};

struct report_meta {
	const char			*version;
	const struct report_file	*files;
	size_t				 n_files;
	const struct report_linktype	*linktypes;	/* by link type */
	size_t				 n_linktypes;
	uint64_t			 packets;
	uint64_t			 bytes;
	bool				 have_time;
	int64_t				 first_sec, last_sec;	/* packet time */
	uint32_t			 first_nsec, last_nsec;
	const struct decode_stats	*decode;
	const struct audit_stats	*audit;
	const struct flow_stats		*flow;		/* NULL: no streams */
	const struct match		*match;
	/* Used when match is NULL (a merged report). */
	const struct report_sigset	*sigsets;
	size_t				 n_sigsets;
	const char			*filter;	/* NULL if none */
	unsigned			 v4_plen, v6_plen;
	size_t				 max_names;
	/* Addresses are pseudonyms (--anonymize). */
	bool				 anonymized;
	/* The networks the aggregate was grouped by (may be NULL): which
	 * DNS servers and blind hosts belong to a one-network report. */
	const struct netmap		*netmap;
	/*
	 * A customer's pack (report_dir_write()): one network's files show
	 * its own hosts and time span only: no inputs, file names, frames
	 * or statistics of the whole audit.
	 */
	bool				 pack;
	/* live --events: its counts in the report; NULL: no stream. */
	const struct report_evcount	*events;
	/* --leases: its totals; NULL: no lease files (nor in merged
	 * reports).  group_by_sub: --group-by subscriber. */
	const struct report_leases	*leases;
	bool				 group_by_sub;
};

/* Each returns ERR_OK or ERR_IO (ferror on the stream). */
int	report_text(FILE *, const struct aggregate *, const struct report_meta *);
int	report_json(FILE *, const struct aggregate *, const struct report_meta *);
/* The same without indentation or line breaks (live's --state: half the
 * size). */
int	report_json_compact(FILE *, const struct aggregate *,
	    const struct report_meta *);

/*
 * One network only (an outreach file: --report-dir): the same layout as the
 * whole report, with the summary, the hosts, and the DNS servers and hosts
 * with blind spots of this network only (by its CIDR).  The capture
 * statistics (inputs, decode, dns, matches ...) stay those of the whole
 * audit.
 */
int	report_text_net(FILE *, const struct aggregate *,
	    const struct report_meta *, const struct agg_net *);
int	report_json_net(FILE *, const struct aggregate *,
	    const struct report_meta *, const struct agg_net *);

/*
 * CSV (RFC 4180, CRLF line ends): a header row, then one row per offending
 * host of net, or of every network when net is NULL.  A cell a spreadsheet
 * would take for a formula (it starts with =, +, -, @, tab or CR) gets a
 * leading single quote; control bytes and bytes that are not UTF-8 are
 * written as \xHH.
 */
int	report_csv(FILE *, const struct aggregate *, const struct report_meta *,
	    const struct agg_net *net);

/*
 * One self-contained HTML page (report_html.c): no scripts, no external
 * assets, inline CSS and SVG charts.  Every string from the wire or a file
 * is escaped; bytes that are not UTF-8 are shown as \xHH.  net as above.
 */
int	report_html(FILE *, const struct aggregate *,
	    const struct report_meta *, const struct agg_net *net);

/*
 * File names for --report-dir: one base name per network, in network order,
 * made of [A-Za-z0-9._-] only (any other byte becomes _), never starting
 * with a dot, at most REPORT_BASE_MAX bytes, never "index" (the index
 * files), and distinct even on a case-insensitive file system: a name
 * already taken gets -2, -3 ... in network order.  NULL when out of memory;
 * free with report_bases_free().
 */
#define REPORT_BASE_MAX	64
char	**report_bases(const struct aggregate *);
void	  report_bases_free(char **, size_t n);

/*
 * The index of a report directory: per network its name, CIDR, contacts,
 * file names (base + ".txt", ".json" and, when extra is not NULL, base +
 * "." + extra) and hosts by verdict.
 */
int	report_index_text(FILE *, const struct aggregate *,
	    const struct report_meta *, char *const *bases, const char *extra);
int	report_index_json(FILE *, const struct aggregate *,
	    const struct report_meta *, char *const *bases, const char *extra);

/* The shapes of an event line (--events-format). */
enum events_format {
	EVENTS_JSON,		/* kasaudit's own keys (doc/json.md) */
	EVENTS_ECS,		/* Elastic Common Schema documents */
	EVENTS_EVE,		/* Suricata EVE "alert" lines */
	EVENTS_N
};

struct report_events {
	enum events_format	 format;
	uint16_t		 seed;		/* Community ID seed */
	const char		*observer;	/* ECS observer.hostname, or
						   NULL */
};

/* "json", "ecs", "eve"; false (f untouched) for another name. */
bool	report_events_format(const char *name, enum events_format *f);
const char *report_events_format_name(enum events_format);

/*
 * One JSON object and a newline per matched observation (the --events
 * file), shaped as cfg says (NULL: json, seed 0).  ERR_IO when fp failed.
 */
int	report_event_as(FILE *, const struct report_events *cfg,
	    const struct obs *, const struct match_sig *);
int	report_event(FILE *, const struct obs *, const struct match_sig *);

/*
 * The RFC 5424 (6.3) STRUCTURED-DATA of an event: one element sd_id with
 * the json format's flat fields as parameters, values escaped (6.3.3) and
 * bytes that are not UTF-8 or are control characters written as '?'.
 */
int	report_event_sd(FILE *, const char *sd_id,
	    const struct report_events *cfg, const struct obs *,
	    const struct match_sig *);

/* "2024-10-01T12:00:00.123456Z" into buf of REPORT_TIME_LEN bytes. */
#define REPORT_TIME_LEN	32
const char *report_time(char *buf, int64_t sec, uint32_t nsec);

#endif
