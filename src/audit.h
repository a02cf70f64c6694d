/* audit.h - packets in, observations matched against signatures out. */
#ifndef KASAUDIT_AUDIT_H
#define KASAUDIT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "err.h"
#include "match.h"
#include "obs.h"

#define AUDIT_MAX_DNS_PORTS	16

struct audit_config {
	const struct match	*match;		/* borrowed for the audit's life */
	uint16_t		 dns_ports[AUDIT_MAX_DNS_PORTS];
	size_t			 n_dns_ports;	/* 53 is always included */
};

struct audit_stats {
	uint64_t	 dns_msgs;		/* DNS messages parsed */
	uint64_t	 dns_queries;
	uint64_t	 dns_responses;
	uint64_t	 dns_malformed;
	uint64_t	 dns_cut;		/* cut by the snaplen */
	uint64_t	 dns_answers_decoded;	/* responses given to ldns */
	uint64_t	 names_seen;		/* names looked up */
	uint64_t	 matches;		/* observations that matched */
	uint64_t	 by_kind[OBS_N];	/* matches per evidence kind */
};

/* Called once per matched observation; both pointers borrowed for the call. */
typedef void	(*audit_sink_fn)(void *arg, const struct obs *,
		    const struct match_sig *);

struct audit;			/* opaque */

struct audit	*audit_new(const struct audit_config *, audit_sink_fn,
		    void *arg);
void		 audit_free(struct audit *);	/* NULL-safe */

/* Names the input that the following packets come from (borrowed). */
void		 audit_set_file(struct audit *, const char *file);

/* Looks at one decoded packet.  No allocation (but see dns_answers()). */
void		 audit_packet(struct audit *, const struct pkt *,
		    uint64_t frame, int64_t ts_sec, uint32_t ts_nsec);

const struct audit_stats *audit_stats(const struct audit *);

#endif
