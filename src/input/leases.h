/* leases.h - who held an address when: ISC dhcpd and Kea lease files and an
 * accounting TSV, read into per-address intervals with a lookup by time. */
#ifndef KASAUDIT_LEASES_H
#define KASAUDIT_LEASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define LEASES_FOREVER	INT64_MAX	/* the end of a lease still held */
#define LEASES_SUB_MAX	255		/* bytes of a subscriber or contact */

/* A subscriber, as the lease files name it; owned by the table. */
struct lease_sub {
	const char	*name;
	const char	*contact;	/* "" if none (only the TSV has one) */
};

enum leases_format {
	LEASES_UNKNOWN,
	LEASES_DHCPD,		/* ISC dhcpd.leases / dhcpd6.leases */
	LEASES_KEA4,		/* Kea memfile lease4 CSV */
	LEASES_KEA6,		/* Kea memfile lease6 CSV */
	LEASES_TSV		/* #start end address subscriber [contact] */
};

/* What loading saw, summed over every file. */
struct leases_stats {
	uint64_t	 leases;	/* intervals kept */
	uint64_t	 bad_lines;	/* lines (or blocks) refused as wrong */
	uint64_t	 refused;	/* intervals over the max_leases cap */
	uint64_t	 not_held;	/* free, declined, abandoned... leases */
	size_t		 files;
};

struct leases;			/* opaque */

/*
 * max_leases: intervals kept over all files (more are counted in
 * refused); 0 means no cap.  NULL when memory runs out.
 */
struct leases	*leases_new(size_t max_leases);
void		 leases_free(struct leases *);	/* NULL-safe */

/*
 * Called once per refused line with "label:line: what" (at most the first
 * 20 per file; the rest are only counted).  msg is borrowed for the call.
 */
typedef void	 leases_warn_fn(void *arg, const char *msg);
void		 leases_set_warn(struct leases *, leases_warn_fn *, void *arg);

/*
 * Reads one lease file, its format told by content (leases_sniff()).
 * Bad lines are warned about, counted and skipped; the rest is read.
 * ERR_IO (errbuf "path: why") when it cannot be read, ERR_UNSUPPORTED
 * when it is no lease file we know, ERR_NOMEM.  Call leases_finish()
 * after the last load, before a lookup.
 */
int	leases_load_file(struct leases *, const char *path, char *errbuf);
int	leases_load_buf(struct leases *, const char *buf, size_t len,
	    const char *label, char *errbuf);

/* The format of a file that starts with buf[0..len). */
enum leases_format leases_sniff(const char *buf, size_t len);
const char	*leases_format_name(enum leases_format);

/*
 * Sorts the intervals for lookups.  Where two intervals of the same
 * address (or prefix) overlap, the one that starts later wins from its
 * start on: a lease file appends each renewal and each new holder.
 */
int	leases_finish(struct leases *);

/*
 * The subscriber who held a (an address, or one inside a delegated
 * prefix: the longest prefix wins) at time ts (seconds since the epoch):
 * start <= ts < end.  NULL when nobody did.  No allocation; valid until
 * leases_free().
 */
const struct lease_sub *leases_find(const struct leases *,
	    const struct addr *a, int64_t ts);

/* A subscriber by name (its contact), or NULL. */
const struct lease_sub *leases_sub(const struct leases *, const char *name);

void	leases_stats(const struct leases *, struct leases_stats *);

/*
 * Seconds since the epoch of an RFC 3339 date-time ("2026-12-07T02:00:00Z",
 * fraction and offset allowed, ' ' for 'T') or of plain epoch seconds.
 * false when s[0..n) is neither.
 */
bool	leases_parse_time(const char *s, size_t n, int64_t *out);

#endif
