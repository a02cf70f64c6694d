/* report_dir.h - --report-dir: one file set per network (an outreach
 * file per customer) and an index, each written to a temporary and renamed. */
#ifndef KASAUDIT_REPORT_DIR_H
#define KASAUDIT_REPORT_DIR_H

#include <stdbool.h>

#include "aggregate.h"
#include "letter.h"
#include "report.h"
#include "writers.h"

/*
 * Per network NAME.txt and NAME.json, and NAME.<ext> when fmt is another
 * writer (csv, html): that customer's pack (report_meta.pack: its hosts
 * and time span, no inputs or totals of the audit); then index.txt and
 * index.json, the ISP's, with the totals.  Written into a new directory
 * beside dir that then takes dir's place in one step, so nothing of a
 * previous run survives.  false with errbuf when a file could not be
 * written or dir not replaced (dir then stays as it was).  With a letter
 * (not NULL), also NAME.letter.txt and NAME.letter.html per network and
 * outreach.csv (network, contacts, hosts, verdict, letter) for a mail
 * merge.
 */
bool	report_dir_write(const char *dir, const struct writer *fmt,
	    const struct aggregate *, const struct report_meta *,
	    const struct letter *, char *errbuf);

/*
 * Removes what a run killed while writing dir left beside it: directories
 * named exactly as report_dir_write() names its temporaries (dir.tmp-XXXXXX
 * and dir.tmp-XXXXXX.old), owned by the user we run as, never through a
 * link.  For a caller that owns dir (kasaudit live at start).  Returns
 * how many.
 */
size_t	report_dir_clean_stale(const char *dir);

#endif
