/* msg.c - one warning line on standard error, prefixed with the program's
 * name (msg.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"

static const char progname[] = "kasaudit";

bool
msg_to_journal(void)
{
	static int journal = -1;		/* not looked at yet */
	unsigned long long dev, ino;
	const char *e;
	struct stat st;

	if (journal < 0) {
		e = getenv("JOURNAL_STREAM");
		journal = e != NULL &&
		    sscanf(e, "%llu:%llu", &dev, &ino) == 2 &&
		    fstat(STDERR_FILENO, &st) == 0 &&
		    (unsigned long long)st.st_dev == dev &&
		    (unsigned long long)st.st_ino == ino;
	}
	return journal == 1;
}

void
warnx(const char *fmt, ...)
{
	va_list ap;

	/* Every warning is an error to the journal (LOG_ERR). */
	fprintf(stderr, "%s%s: ", msg_to_journal() ? "<3>" : "", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
