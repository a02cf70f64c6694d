/* letter.h - the outreach letter: a template with {{placeholders}}, one
 * letter per network rendered as text and HTML next to its pack. */
#ifndef KASAUDIT_LETTER_H
#define KASAUDIT_LETTER_H

#include <stdio.h>

#include "aggregate.h"
#include "err.h"
#include "report.h"

#define LETTER_MAX_BYTES	(1u << 20)	/* a larger template is refused */

struct letter;			/* opaque: a parsed template */

/*
 * Parses a template: text with {{name}} placeholders (letter.c lists them;
 * kasaudit.1 documents them).  label names it in messages.  NULL with
 * errbuf "label:line: unknown placeholder {{x}}" (or an unclosed "{{", or
 * no memory).
 */
struct letter	*letter_parse(const char *text, size_t len, const char *label,
		    char *errbuf);
/* The same from a file, or the built-in English letter for "default". */
struct letter	*letter_load(const char *path, char *errbuf);
void		 letter_free(struct letter *);	/* NULL-safe */

/* The built-in template's text (for the man page's example and tests). */
extern const char letter_default[];

/*
 * One network's letter.  html: an HTML page (every value escaped, the
 * text kept as written); else plain text.  meta is the pack's
 * (report_dir.c: its own time span).  ERR_OK or ERR_IO.
 */
int	letter_write(FILE *, const struct letter *, const struct agg_net *,
	    const struct report_meta *, bool html);

/* The strongest verdict of a network's hosts (for outreach.csv). */
enum verdict	letter_verdict(const struct agg_net *);

#endif
