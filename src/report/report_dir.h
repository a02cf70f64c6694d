/* report_dir.h - --report-dir: one file set per network (an outreach
 * file per customer) and an index, each written to a temporary and renamed. */
#ifndef KASAUDIT_REPORT_DIR_H
#define KASAUDIT_REPORT_DIR_H

#include <stdbool.h>

#include "aggregate.h"
#include "report.h"
#include "writers.h"

/*
 * Per network NAME.txt and NAME.json, and NAME.<ext> when fmt is another
 * writer (csv, html); then index.txt and index.json.  dir is made if
 * missing.  false with errbuf when a file could not be written (the
 * files before it stay).
 */
bool	report_dir_write(const char *dir, const struct writer *fmt,
	    const struct aggregate *, const struct report_meta *, char *errbuf);

#endif
