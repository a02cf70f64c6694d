/* obs.h - an observation: who contacted which name, how we know (header only).
 * The struct every parser result becomes before matching and reports. */
#ifndef KASAUDIT_OBS_H
#define KASAUDIT_OBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "encap.h"

enum obs_kind {
	OBS_DNS_QUERY,
	OBS_DNS_ANSWER,
	OBS_TLS_SNI,
	OBS_QUIC_SNI,
	OBS_HTTP_HOST,
	OBS_HTTP_CONNECT,
	OBS_HTTP_URI,
	OBS_DNS_CORRELATED,
	OBS_IP_PREFIX,
	OBS_SOCKS_CONNECT,	/* the name in a SOCKS 4a or 5 request */
	OBS_KSC_PORT,		/* to a Kaspersky Security Center port */
	OBS_N
};

/*
 * Blind spots: a host did something that hides names from a passive audit.
 * Counted per host; never what makes a host an offender.
 */
enum obs_blind {
	BLIND_DOT,		/* DNS over TLS / QUIC (port 853) */
	BLIND_DOH,		/* a DNS-over-HTTPS service (encrypted-dns
				   signatures) */
	BLIND_ECH,		/* a ClientHello with ECH (outer name only;
				   browsers also send it as GREASE) */
	BLIND_N
};

static inline const char *
obs_blind_name(enum obs_blind b)
{
	static const char *const names[BLIND_N] = { "dot", "doh", "ech" };

	return (unsigned)b < BLIND_N ? names[b] : "?";
}

#define OBS_F_CNAME	0x01	/* the name is a CNAME owner/target in an answer */
#define OBS_F_ECH	0x02	/* TLS with ECH: the name is only the outer,
				   public name, not where the host went */
#define OBS_F_MISMATCH	0x04	/* HTTP Host differs from the URI's host */
#define OBS_F_FORWARDED	0x08	/* client named by X-Forwarded-For or
				   Forwarded; `via` is the proxy */
#define OBS_F_TUNNEL	0x10	/* inside an HTTP CONNECT or SOCKS tunnel */
#define OBS_F_ECH_GREASE 0x20	/* an ECH extension, but the name is no ECH
				   public name we know of: GREASE (Chromium
				   sends it on every hello), and the name is
				   where the host went */

struct obs_answer;

/*
 * Everything here is borrowed from the producer (audit) for the duration of
 * the sink call; a consumer copies what it keeps.
 */
struct obs {
	const char	*file;		/* input file, "-" for stdin */
	uint64_t	 frame;		/* 1-based within file */
	int64_t		 ts_sec;
	uint32_t	 ts_nsec;
	struct addr	 client;	/* the side that made the contact */
	struct addr	 server;
	uint16_t	 client_port;
	uint16_t	 server_port;
	uint8_t		 proto;		/* 6 or 17 */
	uint8_t		 n_vlan;	/* outermost first */
	uint16_t	 vlan[3];
	bool		 has_mac;
	uint8_t		 mac[6];	/* the client's MAC */
	enum obs_kind	 kind;
	const char	*name;		/* presentation form, lower case */
	size_t		 name_len;
	unsigned	 flags;		/* OBS_F_* */
	struct addr	 via;		/* with OBS_F_FORWARDED: the proxy */
	/* dns-correlated: the DNS answer the attribution rests on. */
	const struct obs_answer	*answer;	/* NULL otherwise */
	/* Google QUIC's own handshake (CHLO): its version ("Q046" as a
	   number); 0 for every other observation, QUIC with TLS included. */
	uint32_t		 quic_version;
	/* The tunnels the packet came through, outermost first. */
	uint8_t			 n_encap;
	const struct encap	*encap;
	/*
	 * Set by the sensor for the events only, once the report took the
	 * contact: who held the client's address then (--leases) and the
	 * newest name the machine gave itself.  NULL: not known.
	 */
	const char		*subscriber;
	const char		*machine;
};

struct obs_answer {
	const char	*file;
	uint64_t	 frame;
	int64_t		 ts_sec;
	uint32_t	 ts_nsec;
	struct addr	 resolver;	/* who answered */
	bool		 own;		/* this client's own lookup (else
					   another host's: weaker) */
};

static inline const char *
obs_kind_name(enum obs_kind k)
{
	static const char *const names[OBS_N] = {
		"dns-query", "dns-answer", "tls-sni", "quic-sni", "http-host",
		"http-connect", "http-uri", "dns-correlated", "ip-prefix",
		"socks-connect", "ksc-port",
	};

	return (unsigned)k < OBS_N ? names[k] : "?";
}

#endif
