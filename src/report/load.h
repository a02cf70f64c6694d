/* load.h - kasaudit's own JSON reports read back: for merge and live state.
 * Reports are untrusted input: every field is checked before it counts. */
#ifndef KASAUDIT_LOAD_H
#define KASAUDIT_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "aggregate.h"
#include "err.h"
#include "report.h"

#define LOAD_MAX_BYTES	(1u << 30)	/* a larger report is refused */
/*
 * Reports written by a kasaudit of a newer major version are refused (their
 * keys may mean something else); a newer minor version is read, its unknown
 * keys ignored.
 */
#define LOAD_MAJOR	0
/* The filter of a merge of reports that had different ones. */
#define LOAD_FILTER_MIXED	"(different filters)"

/* The inputs' statistics, added up; opaque. */
struct load_stats;

struct load_stats	*load_stats_new(void);		/* NULL: no memory */
void			 load_stats_free(struct load_stats *);	/* NULL-safe */

/*
 * Reads a JSON report written by report_json() (doc/json.md, "Reading
 * reports back"), adds its hosts (offenders, resolvers, blind-spot hosts)
 * to ag with aggregate_merge() and its statistics to st.  Names are not cut
 * to any --max-names here: call aggregate_trim_names() after the last load.
 * The result does not depend on the order in which reports are loaded.
 *
 * All or nothing: on error ag and st are as they were (as the writers see
 * them) and errbuf says "file: what", naming the JSON path
 * ("file: networks[0].hosts[2].names[1].count: not an integer") or, for
 * bad JSON, the line and column.  ERR_IO: the file cannot be read or is
 * over LOAD_MAX_BYTES.  ERR_MALFORMED: not JSON, not a report (a required
 * key missing or of the wrong type, a value out of range, a host or name
 * given twice, REFs naming more than 4096 files that are not among the
 * inputs), a newer major version, or a count that would pass AGG_COUNT_MAX
 * once added.  ERR_FULL: more hosts than aggregate_set_max_hosts() allows.
 * ERR_NOMEM.  Unknown keys are ignored.
 */
int	load_report(struct aggregate *ag, struct load_stats *st,
	    const char *path, char *errbuf);
/* The same for a report in memory; label names it in messages. */
int	load_report_buf(struct aggregate *ag, struct load_stats *st,
	    const char *buf, size_t len, const char *label, char *errbuf);

/*
 * load_report() for a report of any size (live's --state): the file is
 * read three times in chunks (load_stream.c), never as one tree: for all
 * but the host records (the skeleton, checked as load_report() checks a
 * report), to check each host record (a tree of its own, then freed) and
 * that no address is given twice, and to add them a batch at a time.
 * Memory: the skeleton, a batch of records and 32 bytes per host, not the
 * file's size.  All or nothing as load_report(), except that ERR_NOMEM or
 * ERR_FULL while adding the records may leave some added (a daemon does
 * not start then).  Damage the scan finds is named by byte offset
 * ("file: offset 1234: ..."), a bad record by its JSON path.  A host record
 * over LOAD_HOST_MAX bytes is ERR_MALFORMED; the skeleton is held to
 * LOAD_MAX_BYTES; the file has no limit.  ERR_IO: not a regular file
 * (load_report_fd: fd must be seekable), or unreadable.
 */
#define LOAD_HOST_MAX	(16u << 20)
int	load_report_stream(struct aggregate *ag, struct load_stats *st,
	    const char *path, char *errbuf);
int	load_report_fd(struct aggregate *ag, struct load_stats *st, int fd,
	    const char *label, char *errbuf);

/*
 * Fills meta's statistics from st: files (sorted by path), linktypes,
 * packets, bytes, time, decode, audit, flow (NULL when no report had a
 * connection table), filter (NULL, the one filter every report had, or
 * LOAD_FILTER_MIXED), anonymized, v4_plen/v6_plen when every report agrees
 * on them (else left as the caller set them), and max_names, the largest
 * of the reports'.  version, match and the rest are the caller's.  Nothing
 * is changed before the first report.  Pointers into st, valid until the
 * next load_report() on st or load_stats_free().
 */
void	load_stats_meta(const struct load_stats *st, struct report_meta *meta);

/* Reports loaded into st. */
size_t	load_stats_reports(const struct load_stats *st);

/*
 * The signature sets the reports name, joined by name (the largest count
 * wins), sorted by name; *n gets their number.  (struct report_meta cannot
 * carry them yet: it takes a struct match.)
 */
struct load_sigset {
	const char	*name;
	uint64_t	 count;
};
const struct load_sigset *load_stats_sigsets(const struct load_stats *st,
	    size_t *n);

#endif
