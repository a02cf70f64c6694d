/* msg.c - one warning line on standard error, prefixed with the program's
 * name (msg.h). */
#include <stdarg.h>
#include <stdio.h>

#include "msg.h"

static const char progname[] = "kasaudit";

void
warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
