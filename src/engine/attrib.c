/* attrib.c - addresses from matched DNS answers (RFC 1035 3.2, RFC 2181 8).
 * Owns the fixed-size table of answered addresses, with TTL and provenance. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "attrib.h"
#include "err.h"
#include "zmem.h"

#define NIL	UINT32_MAX

/*
 * One slot of a fixed array.  The key is (key_client, answer); key_client
 * is all zero for the global entry of an address, which a per-client key
 * can never be (a client of family 0 only writes the global entry).
 */
struct entry {
	struct addr	 key_client;
	struct addr	 answer;
	struct addr	 client;	/* who received the answer */
	struct addr	 resolver;
	const struct match_sig *sig;
	struct attrib_ref ref;
	int64_t		 learned;	/* packet time of the answer */
	int64_t		 expires;	/* alive while now <= expires */
	uint32_t	 hnext;		/* hash chain; free list when unused */
	uint32_t	 prev, next;	/* LRU list, most recent at head */
	uint32_t	 name;		/* in names[] */
	bool		 used;
};

/*
 * A matched name, held once however many entries carry it (each entry
 * holds one, so there are never more names than entries).  With the name
 * inside each 400-byte entry, the first learns of dns-heavy faulted in
 * 350 pages, 3 % of reading it; a name is nearly always one of the few a
 * run matches, and an entry is now 152 bytes.
 */
struct aname {
	uint32_t	 refs;		/* entries that carry it; 0: free */
	uint32_t	 hnext;		/* hash chain; free list when unused */
	uint32_t	 hash;
	uint16_t	 len;
	char		 s[ATTRIB_NAME_LEN];
};

struct attrib {
	struct attrib_config cfg;
	struct entry	*e;
	uint32_t	*buckets;	/* chain head + 1; 0: empty */
	uint32_t	 mask;
	uint32_t	 head, tail;	/* LRU */
	uint32_t	 free_head;	/* entries dropped, for reuse */
	uint32_t	 n_fresh;	/* entries ever taken: [0, n_fresh) */
	struct aname	*names;		/* max_entries + 1 of them */
	uint32_t	*nbuckets;	/* as buckets, for names */
	uint32_t	 name_free;	/* names no entry carries, for reuse */
	uint32_t	 n_names_fresh;
	struct attrib_stats st;
};

/* What one learn writes into an entry. */
struct fill {
	const struct addr *client;
	const struct addr *resolver;
	const char	*name;
	size_t		 name_len;
	const struct match_sig *sig;
	const struct attrib_ref *ref;
	int64_t		 now;
	int64_t		 expires;
};

static const struct addr zero_addr;

static uint32_t
hash_key(const struct addr *client, const struct addr *answer)
{
	const uint8_t *b;
	uint32_t h = 2166136261u;
	size_t i;

	/*
	 * FNV-1a over both addresses.  Only answers to names that matched a
	 * signature get here, so an adversary cannot fill chains at will; a
	 * chain is never longer than the table anyway.
	 */
	b = (const uint8_t *)client;
	for (i = 0; i < sizeof(*client); i++)
		h = (h ^ b[i]) * 16777619u;
	b = (const uint8_t *)answer;
	for (i = 0; i < sizeof(*answer); i++)
		h = (h ^ b[i]) * 16777619u;
	return h ^ (h >> 16);
}

struct attrib *
attrib_new(const struct attrib_config *cfg)
{
	struct attrib *t;
	size_t nb = 1;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->cfg = *cfg;
	/* A learn needs two slots: its own and the global one. */
	if (t->cfg.max_entries < 2)
		t->cfg.max_entries = 2;
	if (t->cfg.ttl_max < t->cfg.ttl_min)
		t->cfg.ttl_max = t->cfg.ttl_min;
	if (t->cfg.max_entries >= NIL ||
	    t->cfg.max_entries > SIZE_MAX / sizeof(*t->e))
		goto fail;
	while (nb < t->cfg.max_entries)
		nb <<= 1;
	t->mask = (uint32_t)(nb - 1);
	t->free_head = NIL;
	t->head = t->tail = NIL;
	return t;
fail:
	attrib_free(t);
	return NULL;
}

void
attrib_free(struct attrib *t)
{
	if (t == NULL)
		return;
	zmem_free(t->e, t->cfg.max_entries, sizeof(*t->e));
	zmem_free(t->buckets, (size_t)t->mask + 1, sizeof(*t->buckets));
	zmem_free(t->names, t->cfg.max_entries + 1, sizeof(*t->names));
	zmem_free(t->nbuckets, (size_t)t->mask + 1, sizeof(*t->nbuckets));
	free(t);
}

/*
 * The tables, made at the first learn: most runs learn nothing (no
 * matched answer), and each table made at start was an mmap() and a
 * munmap() more for every one of them.  From zmem, nothing is written
 * before it is used, so a run that learns few answers stays small (a
 * bucket holds its chain's head + 1, 0 being empty; entries are taken in
 * order, then from the free list).  false without memory.
 */
static bool
tables(struct attrib *t)
{
	if (t->e != NULL)
		return true;
	t->e = zmem_alloc(t->cfg.max_entries, sizeof(*t->e));
	t->buckets = zmem_alloc((size_t)t->mask + 1, sizeof(*t->buckets));
	t->names = zmem_alloc(t->cfg.max_entries + 1, sizeof(*t->names));
	t->nbuckets = zmem_alloc((size_t)t->mask + 1, sizeof(*t->nbuckets));
	t->name_free = NIL;
	if (t->e != NULL && t->buckets != NULL && t->names != NULL &&
	    t->nbuckets != NULL)
		return true;
	zmem_free(t->e, t->cfg.max_entries, sizeof(*t->e));
	zmem_free(t->buckets, (size_t)t->mask + 1, sizeof(*t->buckets));
	zmem_free(t->names, t->cfg.max_entries + 1, sizeof(*t->names));
	zmem_free(t->nbuckets, (size_t)t->mask + 1, sizeof(*t->nbuckets));
	t->e = NULL;
	t->buckets = NULL;
	t->names = NULL;
	t->nbuckets = NULL;
	return false;
}

static uint32_t
hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h ^ (h >> 16);
}

/*
 * The index of name s[0..n) in names[], one more entry carrying it.
 * Never fails: each entry carries one name, and names[] has room for
 * one more than the entries (fill_entry() holds the new name before it
 * lets the old one go).
 */
static uint32_t
name_hold(struct attrib *t, const char *s, size_t n)
{
	uint32_t h = hash_name(s, n), i, *head;
	struct aname *a;

	head = &t->nbuckets[h & t->mask];
	for (i = *head - 1u; i != NIL; i = t->names[i].hnext) {
		a = &t->names[i];
		if (a->hash == h && a->len == n && memcmp(a->s, s, n) == 0) {
			a->refs++;
			return i;
		}
	}
	if (t->name_free != NIL) {
		i = t->name_free;
		t->name_free = t->names[i].hnext;
	} else
		i = t->n_names_fresh++;
	a = &t->names[i];
	a->refs = 1;
	a->hash = h;
	a->len = (uint16_t)n;
	memcpy(a->s, s, n);
	a->s[n] = '\0';
	a->hnext = *head - 1u;
	*head = i + 1u;
	return i;
}

/* One entry fewer carries name i: the last one frees it. */
static void
name_release(struct attrib *t, uint32_t i)
{
	struct aname *a = &t->names[i];
	uint32_t *head, p;

	if (--a->refs > 0)
		return;
	head = &t->nbuckets[a->hash & t->mask];
	if (*head - 1u == i)
		*head = a->hnext + 1u;		/* NIL + 1 is 0: empty */
	else {
		for (p = *head - 1u; t->names[p].hnext != i;
		    p = t->names[p].hnext)
			;
		t->names[p].hnext = a->hnext;
	}
	a->hnext = t->name_free;
	t->name_free = i;
}

const struct attrib_stats *
attrib_stats(const struct attrib *t)
{
	return &t->st;
}

static void
lru_unlink(struct attrib *t, uint32_t i)
{
	struct entry *x = &t->e[i];

	if (x->prev != NIL)
		t->e[x->prev].next = x->next;
	else
		t->head = x->next;
	if (x->next != NIL)
		t->e[x->next].prev = x->prev;
	else
		t->tail = x->prev;
	x->prev = x->next = NIL;
}

static void
lru_push(struct attrib *t, uint32_t i)
{
	struct entry *x = &t->e[i];

	x->prev = NIL;
	x->next = t->head;
	if (t->head != NIL)
		t->e[t->head].prev = i;
	else
		t->tail = i;
	t->head = i;
}

static void
lru_touch(struct attrib *t, uint32_t i)
{
	if (t->head == i)
		return;
	lru_unlink(t, i);
	lru_push(t, i);
}

static uint32_t
find(const struct attrib *t, const struct addr *client,
    const struct addr *answer)
{
	uint32_t i;

	if (t->buckets == NULL)		/* nothing learned yet */
		return NIL;
	for (i = t->buckets[hash_key(client, answer) & t->mask] - 1u; i != NIL;
	    i = t->e[i].hnext)
		if (addr_eq(&t->e[i].answer, answer) &&
		    addr_eq(&t->e[i].key_client, client))
			return i;
	return NIL;
}

/* Takes entry i out of its chain and the LRU list onto the free list. */
static void
drop(struct attrib *t, uint32_t i)
{
	struct entry *x = &t->e[i];
	uint32_t *head, p;

	head = &t->buckets[hash_key(&x->key_client, &x->answer) & t->mask];
	if (*head - 1u == i)
		*head = x->hnext + 1u;		/* NIL + 1 is 0: empty */
	else {
		for (p = *head - 1u; t->e[p].hnext != i; p = t->e[p].hnext)
			;
		t->e[p].hnext = x->hnext;
	}
	lru_unlink(t, i);
	name_release(t, x->name);
	x->used = false;
	x->hnext = t->free_head;
	t->free_head = i;
	t->st.entries--;
}

/* A free slot, dropping the least recently used entry if none is. */
static uint32_t
take(struct attrib *t, int64_t now)
{
	uint32_t i;

	if (t->free_head == NIL) {
		if (t->n_fresh < t->cfg.max_entries)
			return t->n_fresh++;
		/* Never NIL: max_entries >= 2, all in use. */
		i = t->tail;
		if (now > t->e[i].expires)
			t->st.expired++;
		else
			t->st.evicted++;
		drop(t, i);
	}
	i = t->free_head;
	t->free_head = t->e[i].hnext;
	return i;
}

/* Fills entry x; held: x carries a name already, which f's replaces. */
static void
fill_entry(struct attrib *t, struct entry *x, const struct fill *f,
    bool held)
{
	const struct attrib_ref none = { NULL, 0, 0, 0 };
	uint32_t old = x->name;

	x->client = f->client != NULL ? *f->client : zero_addr;
	x->resolver = f->resolver != NULL ? *f->resolver : zero_addr;
	x->sig = f->sig;
	x->ref = f->ref != NULL ? *f->ref : none;
	x->learned = f->now;
	x->expires = f->expires;
	x->name = name_hold(t, f->name, f->name_len);
	if (held)
		name_release(t, old);
}

static bool
same_answer(const struct attrib *t, const struct entry *x,
    const struct fill *f)
{
	const struct aname *a = &t->names[x->name];

	return x->sig == f->sig && a->len == f->name_len &&
	    memcmp(a->s, f->name, f->name_len) == 0;
}

/*
 * Writes one key.  Returns whether the key was already held and alive
 * (a refresh), with *renamed when the newer answer changed the name.
 */
static bool
put(struct attrib *t, const struct addr *key_client,
    const struct addr *answer, const struct fill *f, bool *renamed)
{
	struct entry *x;
	uint32_t i, h;

	*renamed = false;
	if ((i = find(t, key_client, answer)) != NIL) {
		x = &t->e[i];
		if (f->now <= x->expires) {
			lru_touch(t, i);
			if (f->now < x->learned) {
				/* A late, older answer: keep the newer one. */
				if (f->expires > x->expires)
					x->expires = f->expires;
				return true;
			}
			*renamed = !same_answer(t, x, f);
			fill_entry(t, x, f, true);
			return true;
		}
		/* Past its TTL: the slot starts afresh. */
		t->st.expired++;
		drop(t, i);
	}
	i = take(t, f->now);
	x = &t->e[i];
	x->key_client = *key_client;
	x->answer = *answer;
	x->used = true;
	fill_entry(t, x, f, false);
	h = hash_key(key_client, answer) & t->mask;
	x->hnext = t->buckets[h] - 1u;
	t->buckets[h] = i + 1u;
	lru_push(t, i);
	if (++t->st.entries > t->st.entries_max)
		t->st.entries_max = t->st.entries;
	return false;
}

int
attrib_learn(struct attrib *t, const struct addr *client,
    const struct addr *resolver, const struct addr *answer, const char *name,
    size_t name_len, const struct match_sig *sig, uint32_t ttl,
    const struct attrib_ref *ref, int64_t now)
{
	struct fill f;
	bool own, refreshed, renamed, g_renamed;

	if (name_len >= ATTRIB_NAME_LEN) {
		t->st.refused_long++;
		return ERR_UNSUPPORTED;
	}
	if ((answer->family != 4 && answer->family != 6) ||
	    (name_len > 0 && memchr(name, '\0', name_len) != NULL)) {
		t->st.refused_bad++;
		return ERR_MALFORMED;
	}
	if (!tables(t)) {
		t->st.refused_nomem++;
		return ERR_NOMEM;
	}
	/* RFC 2181 8: TTL is unsigned 31 bits; the clamps bound it anyway. */
	if (ttl < t->cfg.ttl_min)
		ttl = t->cfg.ttl_min;
	if (ttl > t->cfg.ttl_max)
		ttl = t->cfg.ttl_max;
	own = client != NULL && client->family != 0;
	f.client = own ? client : NULL;
	f.resolver = resolver;
	f.name = name;
	f.name_len = name_len;
	f.sig = sig;
	f.ref = ref;
	f.now = now;
	f.expires = now > INT64_MAX - (int64_t)ttl ? INT64_MAX :
	    now + (int64_t)ttl;

	/*
	 * The client's own entry first, then the global one, which is then
	 * the most recently used: the last resort outlives the specific.
	 * Neither put can evict the other: the other is at the LRU head and
	 * there are at least two slots.
	 */
	if (own) {
		refreshed = put(t, client, answer, &f, &renamed);
		(void)put(t, &zero_addr, answer, &f, &g_renamed);
	} else
		refreshed = put(t, &zero_addr, answer, &f, &renamed);
	if (refreshed) {
		t->st.refreshed++;
		if (renamed)
			t->st.renamed++;
	} else
		t->st.learned++;
	return ERR_OK;
}

/* Entry i of key (client, server) if alive at now; a dead one is dropped. */
static uint32_t
find_alive(struct attrib *t, const struct addr *client,
    const struct addr *server, int64_t now)
{
	uint32_t i;

	if ((i = find(t, client, server)) == NIL)
		return NIL;
	if (now > t->e[i].expires) {
		t->st.expired++;
		drop(t, i);
		return NIL;
	}
	return i;
}

int
attrib_lookup(struct attrib *t, const struct addr *client,
    const struct addr *server, int64_t now, struct attrib_hit *hit)
{
	const struct entry *x;
	uint32_t i = NIL;
	bool own;

	if (server->family != 4 && server->family != 6) {
		t->st.misses++;
		return ERR_NOTFOUND;
	}
	own = client != NULL && client->family != 0;
	if (own)
		i = find_alive(t, client, server, now);
	if (i == NIL)
		i = find_alive(t, &zero_addr, server, now);
	if (i == NIL) {
		t->st.misses++;
		return ERR_NOTFOUND;
	}
	lru_touch(t, i);
	x = &t->e[i];
	hit->name = t->names[x->name].s;
	hit->sig = x->sig;
	hit->answer = x->ref;
	hit->resolver = x->resolver;
	hit->client = x->client;
	hit->per_client = own && addr_eq(&x->client, client);
	t->st.hits++;
	if (!hit->per_client)
		t->st.hits_global++;
	return ERR_OK;
}

void
attrib_expire(struct attrib *t, int64_t now)
{
	size_t i;

	for (i = 0; i < t->n_fresh; i++)
		if (t->e[i].used && now > t->e[i].expires) {
			t->st.expired++;
			drop(t, (uint32_t)i);
		}
}
