/* audit_int.h - what audit.c and audit_stream.c share (internal only).
 * The audit struct and the stream helpers, for the two files only. */
#ifndef KASAUDIT_AUDIT_INT_H
#define KASAUDIT_AUDIT_INT_H

#include "audit.h"
#include "dns.h"
#include "gquic.h"
#include "http.h"
#include "proxyhdr.h"
#include "socks.h"
#include "tls.h"
#ifdef KASAUDIT_QUIC
#include "quic.h"
#endif

#define AUDIT_DNS_PORT	53
#define MAX_EMITTED	8	/* distinct names reported per DNS message */

/* What a TCP stream direction carries, once its first bytes told us. */
enum app {
	APP_UNKNOWN,
	APP_PROXY,		/* a PROXY protocol header, then the stream
				   (probed first: "PROXY " reads as HTTP) */
	APP_DNS,
	APP_TLS,
	APP_HTTP,
	APP_HTTP_CHUNKED,	/* inside a chunked request body */
	APP_SOCKS,		/* SOCKS 5 greeting seen, request to come */
	APP_SOCKS_START,
	APP_RESYNC,		/* unknown from where the capture met it:
				   each segment is tried as an HTTP start */
	APP_DONE,
	APP_N
};

/* Per-flow state in the flow's app area. */
struct flow_state {
	uint8_t			 app[2];	/* enum app, by flow_dir */
	uint8_t			 waited[2];	/* unknown first bytes seen */
	bool			 tunnel[2];	/* after CONNECT: TLS follows */
	bool			 quic_seen;
	bool			 correlated;	/* dns-correlated said */
	uint8_t			 quic_dir;	/* the client's direction */
	bool			 proxied;	/* TCP: a trusted sender's PROXY
						   header named the client */
	union {
		struct {			/* QUIC (UDP) */
			uint8_t		 odcid_len;
			uint8_t		 odcid[20];
		};
		struct {			/* TCP, when proxied */
			struct addr	 proxy_client;
			uint16_t	 proxy_port;
		};
	};
	struct http_chunk_state	 chunk;		/* client direction only */
};

_Static_assert(sizeof(struct flow_state) <= FLOW_APP_LEN,
    "flow_state must fit the flow's app area");

struct audit {
	struct audit_config	 cfg;
	audit_sink_fn		 sink;
	void			*arg;
	const char		*file;
	struct audit_stats	 st;
	struct flow_table	*flows;
	struct attrib		*attrib;
	struct hnames		*names;		/* NULL with names_off */
#ifdef KASAUDIT_QUIC
	struct quic		*quic;
	struct quic_initial	 qi;
	uint8_t			 qscratch[65536];
#endif
	struct gquic_packet	 gq;
	uint32_t		 quic_version;	/* Google QUIC's CHLO being
						   reported, for audit_obs() */
	struct defer_ent	*defer;		/* defer_max, or NULL */
	size_t			 defer_head, defer_n;
	/* Scratch, sized once. */
	struct dns_question	 q;
	struct dns_rr		 rrs[DNS_MAX_RRS];
	char			 cn[MAX_EMITTED][DNS_NAME_LEN];
	struct dns_name_ref	 cref[MAX_EMITTED];
	struct tls_hello	 hello;
	struct http_req		 req;
	struct socks_req	 socks;
	uint8_t			 tls_scratch[TLS_HELLO_MAX];
};

/* live --workers: the lock around the shared answers and names, if any. */
static inline void
audit_lock(const struct audit *a)
{
	if (a->cfg.lock != NULL)
		(void)pthread_mutex_lock(a->cfg.lock);
}

static inline void
audit_unlock(const struct audit *a)
{
	if (a->cfg.lock != NULL)
		(void)pthread_mutex_unlock(a->cfg.lock);
}

/* 53 or one of the configured DNS ports: inline, asked of every packet. */
static inline bool
audit_is_dns_port(const struct audit *a, uint16_t port)
{
	size_t i;

	if (port == AUDIT_DNS_PORT)
		return true;
	for (i = 0; i < a->cfg.n_dns_ports; i++)
		if (a->cfg.dns_ports[i] == port)
			return true;
	return false;
}

/*
 * Fills the parts of an observation that come from the packet; from_client
 * says which way it goes.
 */
void	audit_obs(struct audit *, struct obs *, const struct pkt *,
	    bool from_client);

/* Counts a blind spot and hands it to the configured callback. */
void	audit_blind(struct audit *, const struct obs *, enum obs_blind);

/* Looks a name up; on a match hands the observation to the sink. */
const struct match_sig *audit_name(struct audit *, struct obs *,
	    enum obs_kind, const char *name, size_t len, unsigned flags);

/* A contact put down to the answer hit (its name the caller's). */
void	audit_correlate_emit(struct audit *, struct obs *,
	    const struct attrib_hit *, unsigned flags);

/* The queue of audit_defer_put(), n entries, zeroed; NULL: no memory. */
struct defer_ent *audit_defer_new(size_t n);

/* live --workers: the contact o (as audit_obs() made it) waits to be
 * looked up again; false when the queue is full (counted). */
bool	audit_defer_put(struct audit *, const struct obs *, unsigned flags);

/* A contact without a readable name, put down to a matched DNS answer. */
void	audit_correlate(struct audit *, const struct pkt *,
	    struct flow_state *, unsigned flags);

/* One DNS message, from a UDP datagram or a TCP stream. */
void	audit_dns(struct audit *, const struct pkt *, const uint8_t *msg,
	    size_t len, bool cut);

/* The first packet of a flow from its client: address and port sigs. */
void	audit_new_flow(struct audit *, const struct pkt *);

/* audit_stream.c: a ClientHello's observations (TCP or QUIC). */
void	audit_hello(struct audit *, const struct pkt *, struct flow_state *,
	    const struct tls_hello *, enum obs_kind, unsigned flags);

/* audit_stream.c: one TCP segment. */
void	audit_tcp(struct audit *, const struct pkt *);
/* audit_stream.c: the end of the input, before the flows are ended. */
void	audit_tcp_flush(struct audit *);

/*
 * audit_gquic.c: a UDP datagram that may be Google QUIC in clear (Q039 to
 * Q046).  False when it is no gQUIC client packet (the caller goes on).
 */
bool	audit_gquic(struct audit *, const struct pkt *);
/* audit_gquic.c: what gquic_chlo() returned (r) for a flow's CHLO. */
void	audit_chlo(struct audit *, const struct pkt *, struct flow_state *,
	    int r, uint32_t version);

/* The sender is a proxy whose forwarding headers are believed. */
bool	audit_trusted(const struct audit *, const struct addr *sender);

/* The CNAME targets of a response that the gate turns away (audit.c). */
size_t	audit_dns_rejected(const struct match *, const uint8_t *msg,
	    size_t len, const struct dns_question *,
	    const struct dns_name_ref *cref, size_t n, bool *rejected,
	    bool *all);

#endif
