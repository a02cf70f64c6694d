/* evsink.h - kasaudit live's event stream: a bounded queue the capture
 * fills without ever waiting, drained to a file or syslog by a thread. */
#ifndef KASAUDIT_EVSINK_H
#define KASAUDIT_EVSINK_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "match.h"
#include "obs.h"
#include "report.h"

/* The SD-ID of the structured data (RFC 5424 7.2.2: name@PEN; 32473 is
 * the example PEN of RFC 5612). */
#define EVSINK_SD_ID		"kasaudit@32473"
#define EVSINK_LINE_MAX		16384	/* one formatted event, at most */
#define EVSINK_DEV_LOG		"/dev/log"
/* Sent to the writer thread to cut a blocked write short at exit. */
#define EVSINK_WAKE_SIG		SIGURG

struct evsink_stats {
	uint64_t	 written;	/* events that got out whole */
	uint64_t	 dropped;	/* the queue was full (or the stream
					   was left at exit): never written */
	uint64_t	 failed;	/* write or send errors, too long */
	uint64_t	 reopened;	/* SIGHUP reopens done */
	size_t		 queued;	/* bytes waiting now */
	size_t		 capacity;	/* the queue's bytes */
};

struct evsink;		/* opaque: defined in evsink.c */

/*
 * target is a file (appended to, created with mode), "-" (standard
 * output), "syslog" (RFC 5424 datagrams to /dev/log) or "syslog:PATH".
 * A file is opened now (so that a bad path fails the start), except a
 * FIFO nobody reads yet, which the writer thread opens when it can; a
 * syslog socket that is not there yet is retried.  cfg is copied; its
 * observer becomes this host's name.  NULL with errbuf on failure.
 */
struct evsink	*evsink_new(const char *target, size_t queue_bytes,
		    const struct report_events *cfg, unsigned mode,
		    char *errbuf);
/* Starts the writer thread.  ERR_OK, or ERR_NOMEM with errbuf. */
int		 evsink_start(struct evsink *, char *errbuf);

/*
 * Formats one event and queues it; never waits on the writer (a full
 * queue drops the event and counts it).  Called from the capture only.
 */
void	evsink_put(struct evsink *, const struct obs *,
	    const struct match_sig *);
/* SIGHUP: the file is closed and opened again by its name (logrotate's
 * create and copytruncate both work), the syslog socket reconnected. */
void	evsink_reopen(struct evsink *);
void	evsink_stats(struct evsink *, struct evsink_stats *);
/*
 * Gives the writer up to wait_ms to write what is queued, then cuts its
 * write short with EVSINK_WAKE_SIG (an event it was still writing, and
 * the rest, count as dropped) and frees everything.  A write the kernel
 * will not interrupt leaves the writer to the process's exit.  *final
 * gets the last counts when not NULL.  NULL-safe.
 */
void	evsink_free(struct evsink *, unsigned wait_ms,
	    struct evsink_stats *final);

#endif
