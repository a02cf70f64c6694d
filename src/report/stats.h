/* stats.h - the one table of the statistics counters: their JSON keys (doc/
 * json.md), how merged reports add them up, and what /metrics exports. */
#ifndef KASAUDIT_STATS_H
#define KASAUDIT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audit.h"
#include "decode.h"
#include "err.h"
#include "flow.h"

/* The struct a counter lives in. */
enum stats_of {
	STATS_DECODE,		/* struct decode_stats */
	STATS_AUDIT,		/* struct audit_stats */
	STATS_FLOW		/* struct flow_stats */
};

/*
 * One row: a uint64_t counter, or an array of n of them written as a JSON
 * object keyed by name(i) ("decode.malformed", "matches_by_kind").  A new
 * counter is one row: the JSON writer (report.c), the reader and merge
 * (load.c) and /metrics (cli_live.c) walk this table.  The text reports'
 * sentences are not here: they follow the order a packet meets each limit
 * and mix in counts from elsewhere (report.c, report_unseen_each()).
 */
struct stats_row {
	const char	*key;		/* JSON key; NULL: on /metrics only */
	enum stats_of	 of;
	size_t		 off;		/* offsetof the (first) uint64_t */
	size_t		 n;		/* 0: one counter; else n of them */
	const char	*(*name)(size_t i);	/* the keys of the n */
	bool		 peak;		/* merged: the largest, not the sum */
	/*
	 * /metrics (Prometheus text format 0.0.4).  Rows that share a
	 * metric name follow each other in prom_seq and differ in their
	 * label value; the first of them carries the type and help.
	 */
	unsigned	 prom_seq;	/* place on /metrics from 1; 0: none */
	const char	*prom;		/* metric name after "kasaudit_" */
	const char	*prom_type;	/* "counter" or "gauge" */
	const char	*prom_help;
	const char	*prom_label;	/* label name, or NULL */
	const char	*prom_value;	/* its value (for n: name(i)) */
};

/* A JSON object of counters; key "" is the report's top level. */
struct stats_section {
	const char		*key;
	const struct stats_row	*rows;
	size_t			 n_rows;
	bool			 flow;	/* null when there is no flow table */
};

/* The sections in the order a report has them; *n gets their number. */
const struct stats_section *stats_sections(size_t *n);

/*
 * The (first) counter of row in whichever of the three structs it lives
 * in; NULL when that struct is NULL.
 */
const uint64_t	*stats_get(const struct stats_row *,
		    const struct decode_stats *, const struct audit_stats *,
		    const struct flow_stats *);
uint64_t	*stats_at(const struct stats_row *, struct decode_stats *,
		    struct audit_stats *, struct flow_stats *);

/*
 * Adds the row's counters src into dst: the larger of the two for a peak
 * row, else the sum.  False (dst partly added) when a sum or a dst counter
 * would be over max.
 */
bool	stats_row_add(const struct stats_row *, uint64_t *dst,
	    const uint64_t *src, uint64_t max);

/*
 * Writes the exported rows in prom_seq order as Prometheus text lines
 * ("# HELP", "# TYPE", then the samples; names prefixed "kasaudit_").
 * None may be NULL.  ERR_OK, or ERR_IO (ferror on the stream).
 */
int	stats_write_prom(FILE *, const struct decode_stats *,
	    const struct audit_stats *, const struct flow_stats *);

#endif
