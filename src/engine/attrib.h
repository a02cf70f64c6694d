/* attrib.h - addresses from matched DNS answers (RFC 1035 3.2, RFC 2181 8).
 * Lets a later connection without a name be put down to a matched answer. */
#ifndef KASAUDIT_ATTRIB_H
#define KASAUDIT_ATTRIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

/*
 * A name kept per entry, presentation form with its NUL.  Escaped labels
 * (\DDD) can make a legal name longer than 253 characters; such names are
 * refused and counted rather than cut, since a cut name would cite a name
 * nobody looked up.
 */
#define ATTRIB_NAME_LEN	256

struct match_sig;		/* only ever pointed to: see match.h */

struct attrib_config {
	size_t		 max_entries;	/* --max-attrib; below 2 taken as 2 */
	uint32_t	 ttl_min;	/* --attrib-ttl-min, seconds */
	uint32_t	 ttl_max;	/* --attrib-ttl-max; below ttl_min taken
					   as ttl_min */
};

/* Where a DNS answer was seen. */
struct attrib_ref {
	const char	*file;		/* borrowed: the caller keeps it alive
					   as long as the attrib */
	uint64_t	 frame;
	int64_t		 ts_sec;
	uint32_t	 ts_nsec;
};

struct attrib_hit {
	const char	*name;		/* borrowed until the next attrib_
					   call */
	const struct match_sig *sig;	/* borrowed from the matcher */
	struct attrib_ref answer;	/* the DNS answer it rests on */
	struct addr	 resolver;	/* who answered */
	struct addr	 client;	/* who received that answer */
	bool		 per_client;	/* the answer went to the client looked
					   up (else another host's lookup) */
};

/*
 * learned and refreshed count attrib_learn() calls: a new (client, address)
 * pair, or one already held (its expiry moved on).  renamed counts refreshes
 * that replaced the name (or signature) with a newer answer's.  evicted and
 * expired count entries dropped: for room while still alive, or past their
 * TTL.  A learn for a known client takes two entries (its own and the
 * global one), so entries counts both kinds.
 */
struct attrib_stats {
	uint64_t	 learned;
	uint64_t	 refreshed;
	uint64_t	 renamed;
	uint64_t	 evicted;
	uint64_t	 expired;
	uint64_t	 refused_long;	/* name_len >= ATTRIB_NAME_LEN */
	uint64_t	 refused_bad;	/* answer not IPv4/IPv6, NUL in name */
	uint64_t	 refused_nomem;	/* the tables could not be made */
	uint64_t	 hits;		/* lookups answered */
	uint64_t	 hits_global;	/* of those, !per_client */
	uint64_t	 misses;
	size_t		 entries;	/* now */
	size_t		 entries_max;	/* high-water mark */
};

struct attrib;			/* opaque: defined in attrib.c */

/*
 * Allocates every entry now (about 400 bytes each); nothing later.  NULL on
 * allocation failure or when max_entries cannot be indexed (>= 2^32 - 1).
 */
struct attrib	*attrib_new(const struct attrib_config *);
void		 attrib_free(struct attrib *);		/* NULL-safe */

/*
 * Remembers that resolver told client that name (name_len bytes, no NUL
 * needed) has address answer, matched by sig, in the answer seen at *ref,
 * for ttl seconds clamped to [ttl_min, ttl_max] from packet time now (TTL 0
 * still gets ttl_min).  Two entries are written: the client's own and a
 * global one for the address, which says who last resolved it.  A NULL
 * client, or one of family 0, writes only the global entry.  ref may be
 * NULL (no provenance), so may resolver; ref->file is borrowed for the
 * life of the attrib.
 *
 * The same (client, address) learned again is refreshed: the answer with
 * the newest packet time wins, name and signature included (an address
 * serves one matched name at a time; CDNs share addresses between names
 * and the latest answer is the one the client acts on).  An older answer
 * arriving late (files out of order) only extends the expiry.
 *
 * When no entry is free the least recently used (learned or looked up) is
 * dropped, counted as expired if past its TTL, else as evicted.
 * ERR_OK; ERR_UNSUPPORTED (refused_long) for a name of ATTRIB_NAME_LEN
 * bytes or more; ERR_MALFORMED (refused_bad) when answer is neither IPv4
 * nor IPv6 or the name holds a NUL.  O(1).
 */
int	attrib_learn(struct attrib *, const struct addr *client,
	    const struct addr *resolver, const struct addr *answer,
	    const char *name, size_t name_len, const struct match_sig *sig,
	    uint32_t ttl, const struct attrib_ref *ref, int64_t now);

/*
 * Is a contact from client to server at packet time now attributed?  The
 * client's own entry is preferred; else the global one (another host, a
 * forwarder or a shared cache resolved the name: weaker, but evidence).
 * Entries live while now <= learn time + TTL: packet times come in whole
 * seconds, so the boundary second counts.  Entries found past their TTL are
 * dropped (expired).  A hit counts as a use for the LRU order.  ERR_OK and
 * *hit filled; ERR_NOTFOUND (misses), *hit untouched.  client may be NULL.
 * O(1).
 */
int	attrib_lookup(struct attrib *, const struct addr *client,
	    const struct addr *server, int64_t now, struct attrib_hit *hit);

/*
 * Drops every entry past its TTL at now (counted as expired).  Optional:
 * lookups and learns never return a stale entry.  O(max_entries), for the
 * end of an input or a status page, not per packet.
 */
void	attrib_expire(struct attrib *, int64_t now);

const struct attrib_stats *attrib_stats(const struct attrib *);

#endif
