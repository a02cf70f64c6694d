/* writers.c - the table of report formats (writers.h); adding a format is
 * one row here and its function in report*.c. */
#include <string.h>

#include "writers.h"

static int
w_text(FILE *fp, const struct aggregate *ag, const struct report_meta *meta,
    const struct agg_net *net)
{
	return net != NULL ? report_text_net(fp, ag, meta, net) :
	    report_text(fp, ag, meta);
}

static int
w_json(FILE *fp, const struct aggregate *ag, const struct report_meta *meta,
    const struct agg_net *net)
{
	return net != NULL ? report_json_net(fp, ag, meta, net) :
	    report_json(fp, ag, meta);
}

static const struct writer writers[] = {
	{ "text",	"txt",	w_text },	/* the default */
	{ "json",	"json",	w_json },
	{ "csv",	"csv",	report_csv },
	{ "html",	"html",	report_html },
};

#define N_WRITERS	(sizeof(writers) / sizeof(writers[0]))

const struct writer *
writer_find(const char *name)
{
	size_t i;

	for (i = 0; i < N_WRITERS; i++)
		if (strcmp(writers[i].name, name) == 0)
			return &writers[i];
	return NULL;
}

const struct writer *
writer_at(size_t i)
{
	return i < N_WRITERS ? &writers[i] : NULL;
}

const char *
writer_names(void)
{
	static char names[128];
	size_t i, len = 0;

	if (names[0] != '\0')
		return names;
	for (i = 0; i < N_WRITERS; i++) {
		const char *sep = i == 0 ? "" : i + 1 < N_WRITERS ? ", " :
		    " or ";

		len += (size_t)snprintf(names + len, sizeof(names) - len,
		    "%s%s", sep, writers[i].name);
	}
	return names;
}
