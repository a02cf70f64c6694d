/* aggregate_int.h - the aggregate's tables, shared by the aggregate*.c files
 * only: struct aggregate and struct host, and the helpers they call. */
#ifndef KASAUDIT_AGGREGATE_INT_H
#define KASAUDIT_AGGREGATE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aggregate.h"

/*
 * Hosts live in slabs of fixed size so that the agg_host pointers handed to
 * the writers stay put while the table keeps growing (the live daemon will
 * go on adding after a report).
 */
#define HOST_SLAB	256
#define MAX_MACS	8		/* distinct MACs remembered per host */
#define ARENA_CHUNK	(64 * 1024)
#define NAMES_MIN	4		/* first names array of a host */
#define SET_MIN		8		/* first size of every hash set */

/* Names are copied into chunks, not malloc'd one by one. */
struct chunk {
	struct chunk	*next;
	size_t		 used;
	size_t		 size;
	char		 data[];
};

/* A slot of a host's name index: position in names[] plus 1, and hash. */
struct nslot {
	uint32_t	 idx1;		/* 0: empty */
	uint32_t	 hash;
};

struct host {
	struct agg_host	 pub;		/* first: agg_host * is a host * */
	uint8_t		 macs[MAX_MACS][6];
	struct agg_ref	 mac_ref;	/* the observation pub.mac came from */
	struct agg_ref	 vlan_ref;
	size_t		 names_cap;
	struct nslot	*nidx;		/* open addressing, power of two */
	size_t		 nidx_cap;
	/*
	 * Names over the cap are remembered by a 64-bit fingerprint only, so
	 * names_dropped counts distinct names at 8 bytes each.
	 */
	uint64_t	*dropped;
	size_t		 dropped_cap;
	size_t		 dropped_used;	/* fingerprints held (a loaded
					   names_dropped may have none) */
	/* Hosts (index + 1) this one answered as a DNS server. */
	uint32_t	*clients;
	size_t		 clients_cap;
	/* Hosts (index + 1) that reached it on Security Center ports. */
	uint32_t	*agents;
	size_t		 agents_cap;
	/*
	 * One response gives an observation per matching name in it (the
	 * question, CNAME owners and targets), one after the other: the
	 * last frame answered counts each response once.
	 */
	const char	*ans_file;
	uint64_t	 ans_frame;
	/* Whose machine names pub.hnames holds (aggregate_hnames()). */
	bool		 hn_has_mac;
	uint8_t		 hn_mac[6];
	size_t		 days_cap;	/* of pub.days */
};

struct aggregate {
	size_t		  max_names;
	bool		  days;		/* hosts keep per-day history */
	size_t		  max_hosts;	/* 0: no cap */
	uint64_t	  hosts_refused;	/* observations of hosts over it */
	struct host	**slabs;
	size_t		  n_slabs;
	size_t		  slabs_cap;
	size_t		  n_all;	/* hosts in the table */
	uint32_t	 *htab;		/* host index + 1; 0: empty */
	size_t		  htab_cap;
	char		**files;	/* interned input names */
	size_t		  n_files;
	size_t		  files_cap;
	size_t		  last_file;
	struct chunk	 *arena;
	uint64_t	  refused;
	/* Signatures of merged names (aggregate_merge()), in the arena. */
	const struct match_sig **sigtab;
	size_t		  sigtab_cap;
	size_t		  n_sigs;
	/* Built by aggregate_finish(). */
	struct agg_net	 *nets;
	char		**net_strs;	/* one block of strings per net */
	size_t		  n_nets;
	struct agg_host	**offenders;	/* grouped by net, then by address */
	size_t		  n_offenders;
	struct agg_host	**resolvers;
	size_t		  n_resolvers;
	struct agg_host	**blinds;	/* blind spots only, no match */
	size_t		  n_blinds;
	uint64_t	  blind_total[BLIND_N];
	size_t		  by_verdict[VERDICT_N];
	/* --leases (aggregate_sub.c): subscribers interned in the arena. */
	const struct leases *leases;
	const struct leases *group_leases;	/* contacts for grouping */
	bool		  by_sub;
	uint64_t	  no_lease;
	const char	**subs;		/* open addressing; NULL: empty */
	size_t		  subs_cap, n_subs;
	size_t		  last;		/* aggregate_last(): index + 1 */
};

/* FNV-1a with a final mix, so the low bits used for slots depend on all. */
static inline uint64_t
hash_bytes(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static inline uint64_t
hash_addr(const struct addr *a)
{
	return hash_bytes(a, sizeof(*a));
}

/* A host's key: its address and its subscriber (interned, or NULL). */
static inline uint64_t
hash_host(const struct addr *a, const char *sub)
{
	return hash_addr(a) ^ (sub != NULL ? hash_bytes(sub, strlen(sub)) :
	    0);
}

/* True when a table of cap slots must double before holding n entries. */
static inline bool
too_full(size_t n, size_t cap)
{
	return cap == 0 || n > cap / 4 * 3;
}

static inline struct host *
host_at(const struct aggregate *ag, size_t i)
{
	return &ag->slabs[i / HOST_SLAB][i % HOST_SLAB];
}

/* A 64-bit set with 0 as the empty mark; *slot is where v is or goes. */
static inline bool
set64_find(const uint64_t *t, size_t cap, uint64_t v, size_t *slot)
{
	size_t j;

	*slot = 0;
	if (cap == 0)
		return false;
	j = v & (cap - 1);
	while (t[j] != 0 && t[j] != v)
		j = (j + 1) & (cap - 1);
	*slot = j;
	return t[j] == v;
}

/* --- aggregate.c: the tables and adding to them ----------------------- */

/* Orders references by packet time; file and frame only break ties. */
int	agg_ref_cmp(const struct agg_ref *, const struct agg_ref *);

/* Widens [*first, *last] to take in r; fresh: they held nothing yet. */
void	agg_ref_widen(struct agg_ref *first, struct agg_ref *last, bool fresh,
	    const struct agg_ref *r);

/* A copy of the len bytes at s and a NUL, in the arena; NULL: no memory. */
char	*agg_arena_dup(struct aggregate *, const char *s, size_t len);

/* The aggregate's own copy of an input name (NULL is ""); NULL: no memory. */
const char *agg_file_intern(struct aggregate *, const char *file);

/* Finds the host for addr and subscriber sub (interned by agg_sub_intern(),
 * or NULL) or makes an empty one; *idx is its index.  ERR_FULL over
 * --max-hosts (counted), else ERR_NOMEM. */
int	agg_host_get(struct aggregate *, const struct addr *, const char *sub,
	    size_t *idx);
/* Machine names (aggregate_hnames.c): room made once, then put. */
int	agg_hnames_room(struct host *);
/* Per-day history (aggregate_days.c): a contact at r on its day. */
int	agg_host_day(struct host *, const struct agg_ref *r);
/*
 * Room for more days (up to AGG_DAYS_MAX in all), so that a merge cannot
 * fail half-way: agg_days_add() of that many allocates nothing.
 */
int	agg_days_room(struct host *, size_t more);
void	agg_hnames_put(struct host *, const struct hname *list, size_t n);

/* Slot of name in h's index: the entry holding it, or the empty slot. */
size_t	agg_nidx_find(const struct host *h, const char *name, size_t len,
	    uint32_t hash);

/* Rebuilds the cap slots at t as the index of h's names[]. */
void	agg_nidx_fill(struct nslot *t, size_t cap, const struct host *h);

/* Moves h's name index to a table of cap slots. */
int	agg_nidx_build(struct host *h, size_t cap);

/* Doubles a set64 (at least SET_MIN slots). */
int	agg_set64_grow(uint64_t **tp, size_t *capp);

/* --- aggregate_sub.c: subscribers ------------------------------------ */

/* The aggregate's own copy of subscriber name (one per name, so pointers
 * compare); NULL for NULL or when out of memory (*r ERR_NOMEM). */
const char *agg_sub_intern(struct aggregate *, const char *name, int *r);

/* The subscriber of a at ts by the leases (NULL: none, or no leases);
 * ERR_NOMEM when it could not be interned. */
int	agg_sub_at(struct aggregate *, const struct addr *a, int64_t ts,
	    const char **sub);

/* --- aggregate_finish.c ------------------------------------------------ */

/* Frees what aggregate_finish() built. */
void	agg_finish_reset(struct aggregate *);

#endif
