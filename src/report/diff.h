/* diff.h - two audits compared per network: the hosts that are new, gone
 * (stopped) and still active, with their last contact in each. */
#ifndef KASAUDIT_DIFF_H
#define KASAUDIT_DIFF_H

#include <stdio.h>

#include "aggregate.h"
#include "report.h"

enum diff_format {
	DIFF_TEXT,
	DIFF_JSON,
	DIFF_CSV,
};

/* One audit: a report or state file read back and finished. */
struct diff_side {
	const char			*path;	/* as given, for the header */
	const struct aggregate		*ag;
	const struct report_meta	*meta;
};

/*
 * Writes the comparison of old and new.  A host is its address: one in
 * new only is "new", in old only "gone", in both "still".  Networks in the
 * order of the new audit, then those only the old one had; hosts by
 * address.  ERR_OK, ERR_NOMEM, or ERR_IO (ferror on fp).
 */
int	diff_write(FILE *fp, enum diff_format, const struct diff_side *old,
	    const struct diff_side *new_);

#endif
