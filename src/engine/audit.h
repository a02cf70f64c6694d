/* audit.h - packets in, observations matched against signatures out.
 * The per-packet entry of the engine; audit owns flows, attribution, counts. */
#ifndef KASAUDIT_AUDIT_H
#define KASAUDIT_AUDIT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "attrib.h"
#include "decode.h"
#include "err.h"
#include "flow.h"
#include "hnames.h"
#include "logrec.h"
#include "match.h"
#include "obs.h"
#include "quicver.h"

#define AUDIT_MAX_DNS_PORTS	16
/* DNS-answer attribution defaults (--max-attrib, --attrib-ttl-min/max). */
#define AUDIT_ATTRIB_ENTRIES	16384
#define AUDIT_ATTRIB_TTL_MIN	60
#define AUDIT_ATTRIB_TTL_MAX	86400

/* Called once per blind spot (DoT, DoH, ECH); the obs is borrowed. */
typedef void	(*audit_blind_fn)(void *arg, const struct obs *,
		    enum obs_blind);

#define AUDIT_MAX_TRUST	32	/* --trust-proxy prefixes */

/* A prefix whose senders' X-Forwarded-For / Forwarded are believed. */
struct audit_trust {
	struct addr	 prefix;	/* masked */
	unsigned	 plen;
};

struct audit_config {
	const struct match	*match;		/* borrowed for the audit's life */
	struct flow_config	 flow;		/* TCP streams, QUIC flows */
	struct attrib_config	 attrib;	/* max_entries 0: defaults */
	audit_blind_fn		 blind;		/* NULL: not reported; gets
						   the sink's arg */
	uint16_t		 dns_ports[AUDIT_MAX_DNS_PORTS];
	size_t			 n_dns_ports;	/* 53 is always included */
	/*
	 * Proxies whose forwarding headers name the client (--trust-proxy).
	 * trust_set false: the private, shared, loopback and link-local
	 * ranges (audit.c), where an organisation's proxies live.
	 */
	struct audit_trust	 trust[AUDIT_MAX_TRUST];
	size_t			 n_trust;
	bool			 trust_set;
	/*
	 * Machine names (hnames.h): addresses kept (--max-name-addrs, 0:
	 * the default); names_off: none learned (--anonymize).  names_fn
	 * (may be NULL) gets the sink's arg.
	 */
	size_t			 names_max;
	bool			 names_off;
	hnames_fn		 names_fn;
	/*
	 * live --workers: the DNS answers and machine names that every
	 * worker's audit shares (NULL: the audit's own), and the lock held
	 * around each call into them (NULL: no other thread).  The audit
	 * never calls its sink with the lock held by itself.
	 */
	struct attrib		*shared_attrib;
	struct hnames		*shared_names;
	pthread_mutex_t		*lock;
	/*
	 * live --workers: a contact without a name whose address no
	 * answer explains yet waits here (at most defer_max of them, 0:
	 * never) until every worker has read past its time, then is looked
	 * up again (audit_defer_run()): the answer may be on another
	 * worker's socket still.
	 */
	size_t			 defer_max;
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
	/* Streams: what each parser made of what it was given. */
	uint64_t	 dns_tcp_msgs;		/* DNS messages over TCP */
	uint64_t	 tls_hellos;		/* ClientHellos parsed */
	uint64_t	 tls_no_sni;
	uint64_t	 tls_ip_sni;		/* server_name was an IP literal */
	uint64_t	 tls_ech;		/* ClientHellos with ECH */
	uint64_t	 tls_malformed;
	uint64_t	 tls_too_big;		/* larger than the stream window */
	uint64_t	 http_requests;
	uint64_t	 http_malformed;
	uint64_t	 http_too_big;		/* head over HTTP_HEAD_MAX */
	uint64_t	 http_forwarded;	/* client named by XFF/Forwarded */
	uint64_t	 http_forwarded_untrusted; /* such headers from a sender
						   not in --trust-proxy: not
						   believed */
	uint64_t	 socks_requests;	/* SOCKS 4/4a/5 requests */
	uint64_t	 streams_other;		/* TCP streams none of them know */
	uint64_t	 streams_unfinished;	/* window full, answer not yet */
	uint64_t	 streams_resynced;	/* parsing went on past a gap */
	uint64_t	 proxy_headers;		/* PROXY protocol headers skipped */
	uint64_t	 proxy_untrusted;	/* of them naming a client, from a
						   sender not in --trust-proxy */
	uint64_t	 proxy_malformed;
	uint64_t	 quic_initials;		/* client Initial packets read */
	uint64_t	 quic_failed;		/* Initials that did not decrypt */
	uint64_t	 quic_hellos;
	uint64_t	 quic_malformed;
	uint64_t	 quic_unknown_version;	/* client flows of a QUIC version
						   not read (gQUIC Q046...) */
	uint64_t	 quic_reserved_version;	/* of a reserved one (0x?a?a?a?a),
						   forcing version negotiation */
	uint64_t	 quic_unknown_by[QV_N];	/* quic_unknown_version by
						   family (quicver.h) */
	uint64_t	 correlated;		/* contacts without a name, put
						   down to a matched DNS answer */
	uint64_t	 correlate_deferred;	/* live --workers: looked up
						   again later (defer_max) */
	uint64_t	 correlate_late;	/* of those, explained then */
	uint64_t	 correlate_refused;	/* not deferred: the queue was
						   full */
	uint64_t	 blind[BLIND_N];	/* blind spots seen */
	/* Zeek and Suricata logs (audit_log()). */
	uint64_t	 log_records;		/* records used, by kind: */
	uint64_t	 log_dns;
	uint64_t	 log_tls;
	uint64_t	 log_http;
	uint64_t	 log_quic;
	uint64_t	 log_flows;		/* nameless connections */
	uint64_t	 log_malformed;		/* lines that did not parse */
	uint64_t	 log_answers_dropped;	/* past LOG_MAX_ANS a record */
	/* dnstap: resolvers' logs of DNS messages, not packets. */
	uint64_t	 dnstap_frames;		/* data frames read */
	uint64_t	 dnstap_client;		/* CLIENT_* messages audited */
	uint64_t	 dnstap_resolver;	/* RESOLVER_*: the resolver's
						   own lookups, no client */
	uint64_t	 dnstap_resolver_matched; /* of those, a signature's */
	uint64_t	 dnstap_other;		/* other types (AUTH_...) */
	uint64_t	 dnstap_malformed;	/* frames that did not decode */
	struct hnames_stats names;		/* machine names (hnames.c) */
};

/* Called once per matched observation; both pointers borrowed for the call. */
typedef void	(*audit_sink_fn)(void *arg, const struct obs *,
		    const struct match_sig *);

struct audit;			/* opaque */

struct audit	*audit_new(const struct audit_config *, audit_sink_fn,
		    void *arg);
/* The DNS-answer table's defaults where max_entries is 0. */
void		 audit_attrib_defaults(struct attrib_config *);
void		 audit_free(struct audit *);	/* NULL-safe */

/* Swaps the signature set (a reload); the old one may be freed after. */
void		 audit_set_match(struct audit *, const struct match *);

/* Names the input that the following packets come from (borrowed). */
void		 audit_set_file(struct audit *, const char *file);

/*
 * Looks at one decoded packet, at its own time (p->ts_sec, p->ts_nsec,
 * p->frame: set them first).  No allocation (but see dns_answers()).
 */
void		 audit_packet(struct audit *, const struct pkt *);

/*
 * The screen (audit_screen.c): for a second thread, which DNS messages
 * audit_packet() would only count -- each name of them fails the match
 * gate -- and what it would count.  Made from an audit whose signatures
 * and DNS ports do not change while it is used (no reload); one thread
 * uses it, and the audit's thread may go on meanwhile.  audit_screen():
 * 0 when the packet must go to audit_packet(), else a verdict that
 * audit_screened() counts on the audit's thread instead, as
 * audit_packet() would have (the low AUDIT_SCREEN_BITS bits; the caller
 * may use the others).
 */
#define AUDIT_SCREEN_BITS	16
struct audit_screen;
struct audit_screen	*audit_screen_new(const struct audit *);
void		 audit_screen_free(struct audit_screen *);	/* NULL-safe */
uint32_t	 audit_screen(struct audit_screen *, const struct pkt *);
void		 audit_screened(struct audit *, uint32_t verdict);

/*
 * One record of a Zeek or Suricata log (audit_log.c), through the rules a
 * packet's observation meets: its name matched, a DNS answer learned for
 * attribution, a nameless contact put down to an answer (from packets,
 * dnstap or logs alike).  Its line is the frame.  No allocation.
 */
void		 audit_log(struct audit *, const struct log_rec *);
/*
 * The machine names heard for addr, given the MAC it is seen with now
 * (NULL: not known); see hnames_of().  0 when none or names_off.  With
 * a shared table (cfg.lock) the caller holds the lock while it uses list.
 */
size_t		 audit_names_of(struct audit *, const struct addr *,
		    const uint8_t *mac, const struct hname **list);
/* A log line that did not parse: counted. */
void		 audit_log_malformed(struct audit *);

/*
 * One DNS message that came without a packet (a resolver's dnstap log):
 * p gives its addresses, ports, transport, time and frame, and no payload;
 * the message takes the same path as a datagram's.
 */
void		 audit_dns_msg(struct audit *, const struct pkt *,
		    const uint8_t *msg, size_t len);

/* dnstap bookkeeping, kept with the audit's counters. */
enum audit_dnstap {
	AUDIT_DNSTAP_FRAME,
	AUDIT_DNSTAP_CLIENT,
	AUDIT_DNSTAP_OTHER,
	AUDIT_DNSTAP_MALFORMED
};
void		 audit_dnstap_count(struct audit *, enum audit_dnstap);

/*
 * A resolver's own lookup (dnstap RESOLVER_*): counted, and whether its
 * question names a signature; never an observation of a client.
 */
void		 audit_dnstap_resolver(struct audit *, const uint8_t *msg,
		    size_t len);

/*
 * The contacts deferred with a packet time up to (h_sec, h_nsec), or
 * queued at stale_ns (audit_defer_clock()) or before, looked up again (all
 * of them with all, at the end): each explained by an answer now is a
 * dns-correlated match, as it would have been at once; the others are
 * dropped.
 */
void		 audit_defer_run(struct audit *, int64_t h_sec, uint32_t h_nsec,
		    int64_t stale_ns, bool all);
int64_t		 audit_defer_clock(void);	/* CLOCK_MONOTONIC, ns */

/* The input has ended: flows still open are closed and counted. */
void		 audit_finish(struct audit *);

const struct audit_stats *audit_stats(const struct audit *);
const struct flow_stats  *audit_flow_stats(const struct audit *);
const struct attrib_stats *audit_attrib_stats(const struct audit *);

#endif
