/* writers.h - the report formats as one table: a name for -F, a file name
 * extension, and a function; read, live, merge and --report-dir use it. */
#ifndef KASAUDIT_WRITERS_H
#define KASAUDIT_WRITERS_H

#include <stddef.h>
#include <stdio.h>

#include "aggregate.h"
#include "report.h"

struct writer {
	const char	*name;		/* as -F takes it: "text" */
	const char	*ext;		/* of its files: "txt" */
	/* The report of one network, or of all when net is NULL; ERR_OK or
	 * ERR_IO. */
	int		(*write)(FILE *, const struct aggregate *,
			    const struct report_meta *,
			    const struct agg_net *net);
};

#define WRITERS_MAX	8

/* The writer of that -F name, or NULL. */
const struct writer *writer_find(const char *name);
/* The i-th writer in table order (text first: the default), or NULL. */
const struct writer *writer_at(size_t i);
/* "text, json, csv or html", for messages. */
const char *writer_names(void);

#endif
