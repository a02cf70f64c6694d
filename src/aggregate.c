/* aggregate.c - matches -> hosts, networks, resolvers, verdicts. */
#include <stdio.h>
#include <stdlib.h>
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
};

struct aggregate {
	size_t		  max_names;
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
};

/* FNV-1a with a final mix, so the low bits used for slots depend on all. */
static uint64_t
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

static uint64_t
hash_u32(uint32_t v)
{
	return hash_bytes(&v, sizeof(v));
}

static uint64_t
hash_addr(const struct addr *a)
{
	return hash_bytes(a, sizeof(*a));
}

/* True when a table of cap slots must double before holding n entries. */
static bool
too_full(size_t n, size_t cap)
{
	return cap == 0 || n > cap / 4 * 3;
}

static char *
arena_dup(struct aggregate *ag, const char *s, size_t len)
{
	struct chunk *c = ag->arena;
	size_t need = len + 1, size;
	char *p;

	if (c == NULL || c->size - c->used < need) {
		size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->next = ag->arena;
		c->used = 0;
		c->size = size;
		ag->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += need;
	return p;
}

static struct host *
host_at(const struct aggregate *ag, size_t i)
{
	return &ag->slabs[i / HOST_SLAB][i % HOST_SLAB];
}

/* Orders references by packet time; file and frame only break ties. */
static int
ref_cmp(const struct agg_ref *x, const struct agg_ref *y)
{
	int c;

	if (x->ts_sec != y->ts_sec)
		return x->ts_sec < y->ts_sec ? -1 : 1;
	if (x->ts_nsec != y->ts_nsec)
		return x->ts_nsec < y->ts_nsec ? -1 : 1;
	if (x->file != y->file && (c = strcmp(x->file, y->file)) != 0)
		return c;
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	return 0;
}

static void
ref_widen(struct agg_ref *first, struct agg_ref *last, bool fresh,
    const struct agg_ref *r)
{
	if (fresh || ref_cmp(r, first) < 0)
		*first = *r;
	if (fresh || ref_cmp(r, last) > 0)
		*last = *r;
}

static void
finish_reset(struct aggregate *ag)
{
	size_t i;

	for (i = 0; i < ag->n_nets; i++)
		free(ag->net_strs[i]);
	free(ag->net_strs);
	free(ag->nets);
	free(ag->offenders);
	free(ag->resolvers);
	free(ag->blinds);
	ag->blinds = NULL;
	ag->n_blinds = 0;
	ag->net_strs = NULL;
	ag->nets = NULL;
	ag->n_nets = 0;
	ag->offenders = NULL;
	ag->n_offenders = 0;
	ag->resolvers = NULL;
	ag->n_resolvers = 0;
	memset(ag->by_verdict, 0, sizeof(ag->by_verdict));
}

struct aggregate *
aggregate_new(size_t max_names)
{
	struct aggregate *ag;

	if ((ag = calloc(1, sizeof(*ag))) == NULL)
		return NULL;
	/* Indexes into names[] are 32-bit. */
	ag->max_names = max_names > UINT32_MAX / 2 ? UINT32_MAX / 2 : max_names;
	return ag;
}

void
aggregate_free(struct aggregate *ag)
{
	struct chunk *c, *next;
	struct host *h;
	size_t i;

	if (ag == NULL)
		return;
	finish_reset(ag);
	for (i = 0; i < ag->n_all; i++) {
		h = host_at(ag, i);
		free(h->pub.names);
		free(h->nidx);
		free(h->dropped);
		free(h->clients);
		free(h->agents);
	}
	for (i = 0; i < ag->n_slabs; i++)
		free(ag->slabs[i]);
	free(ag->slabs);
	free(ag->htab);
	for (i = 0; i < ag->n_files; i++)
		free(ag->files[i]);
	free(ag->files);
	for (c = ag->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(ag);
}

/* The aggregate's own copy of an input name (obs->file is borrowed). */
static const char *
file_intern(struct aggregate *ag, const char *file)
{
	size_t i, cap;
	char **v, *s;

	if (file == NULL)
		file = "";
	if (ag->n_files > 0 && strcmp(ag->files[ag->last_file], file) == 0)
		return ag->files[ag->last_file];
	for (i = 0; i < ag->n_files; i++) {
		if (strcmp(ag->files[i], file) == 0) {
			ag->last_file = i;
			return ag->files[i];
		}
	}
	if (ag->n_files == ag->files_cap) {
		cap = ag->files_cap ? ag->files_cap * 2 : 8;
		if ((v = realloc(ag->files, cap * sizeof(*v))) == NULL)
			return NULL;
		ag->files = v;
		ag->files_cap = cap;
	}
	if ((s = strdup(file)) == NULL)
		return NULL;
	ag->last_file = ag->n_files;
	ag->files[ag->n_files++] = s;
	return s;
}

static int
htab_grow(struct aggregate *ag)
{
	size_t cap = ag->htab_cap ? ag->htab_cap * 2 : 64, i, j;
	uint32_t *t;

	if (cap > (size_t)UINT32_MAX || (t = calloc(cap, sizeof(*t))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < ag->n_all; i++) {
		j = hash_addr(&host_at(ag, i)->pub.addr) & (cap - 1);
		while (t[j] != 0)
			j = (j + 1) & (cap - 1);
		t[j] = (uint32_t)(i + 1);
	}
	free(ag->htab);
	ag->htab = t;
	ag->htab_cap = cap;
	return ERR_OK;
}

/* Finds the host for addr or makes an empty one; *idx is its index. */
static int
host_get(struct aggregate *ag, const struct addr *a, size_t *idx)
{
	struct host **v, *slab;
	size_t j, cap, i;

	if (ag->htab_cap > 0) {
		j = hash_addr(a) & (ag->htab_cap - 1);
		while (ag->htab[j] != 0) {
			i = ag->htab[j] - 1;
			if (addr_eq(&host_at(ag, i)->pub.addr, a)) {
				*idx = i;
				return ERR_OK;
			}
			j = (j + 1) & (ag->htab_cap - 1);
		}
	}
	if (ag->n_all >= UINT32_MAX - 1)
		return ERR_NOMEM;
	if (too_full(ag->n_all + 1, ag->htab_cap) && htab_grow(ag) != ERR_OK)
		return ERR_NOMEM;
	if (ag->n_all == ag->n_slabs * HOST_SLAB) {
		if (ag->n_slabs == ag->slabs_cap) {
			cap = ag->slabs_cap ? ag->slabs_cap * 2 : 8;
			if ((v = realloc(ag->slabs, cap * sizeof(*v))) == NULL)
				return ERR_NOMEM;
			ag->slabs = v;
			ag->slabs_cap = cap;
		}
		if ((slab = calloc(HOST_SLAB, sizeof(*slab))) == NULL)
			return ERR_NOMEM;
		ag->slabs[ag->n_slabs++] = slab;
	}
	i = ag->n_all++;
	host_at(ag, i)->pub.addr = *a;
	j = hash_addr(a) & (ag->htab_cap - 1);
	while (ag->htab[j] != 0)
		j = (j + 1) & (ag->htab_cap - 1);
	ag->htab[j] = (uint32_t)(i + 1);
	*idx = i;
	return ERR_OK;
}

/* Slot of name in h's index: the entry holding it, or the empty slot. */
static size_t
nidx_find(const struct host *h, const char *name, size_t len, uint32_t hash)
{
	size_t j = hash & (h->nidx_cap - 1);
	const struct nslot *s;
	const char *n;

	for (;;) {
		s = &h->nidx[j];
		if (s->idx1 == 0)
			return j;
		n = h->pub.names[s->idx1 - 1].name;
		/* name holds no NUL in its first len bytes: strncmp is safe. */
		if (s->hash == hash && strncmp(n, name, len) == 0 &&
		    n[len] == '\0')
			return j;
		j = (j + 1) & (h->nidx_cap - 1);
	}
}

static void
nidx_fill(struct nslot *t, size_t cap, const struct host *h)
{
	const char *n;
	size_t i, j;
	uint32_t hash;

	memset(t, 0, cap * sizeof(*t));
	for (i = 0; i < h->pub.n_names; i++) {
		n = h->pub.names[i].name;
		hash = (uint32_t)hash_bytes(n, strlen(n));
		j = hash & (cap - 1);
		while (t[j].idx1 != 0)
			j = (j + 1) & (cap - 1);
		t[j].idx1 = (uint32_t)(i + 1);
		t[j].hash = hash;
	}
}

/* Moves h's name index to a table of cap slots. */
static int
nidx_build(struct host *h, size_t cap)
{
	struct nslot *t;

	if ((t = malloc(cap * sizeof(*t))) == NULL)
		return ERR_NOMEM;
	nidx_fill(t, cap, h);
	free(h->nidx);
	h->nidx = t;
	h->nidx_cap = cap;
	return ERR_OK;
}

/* A 64-bit set with 0 as the empty mark; *slot is where v is or goes. */
static bool
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

static int
set64_grow(uint64_t **tp, size_t *capp)
{
	size_t cap = *capp ? *capp * 2 : SET_MIN, i, j;
	uint64_t *t;

	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < *capp; i++) {
		if ((*tp)[i] == 0)
			continue;
		j = (*tp)[i] & (cap - 1);
		while (t[j] != 0)
			j = (j + 1) & (cap - 1);
		t[j] = (*tp)[i];
	}
	free(*tp);
	*tp = t;
	*capp = cap;
	return ERR_OK;
}

static bool
set32_find(const uint32_t *t, size_t cap, uint32_t v, size_t *slot)
{
	size_t j;

	*slot = 0;
	if (cap == 0)
		return false;
	j = hash_u32(v) & (cap - 1);
	while (t[j] != 0 && t[j] != v)
		j = (j + 1) & (cap - 1);
	*slot = j;
	return t[j] == v;
}

static int
set32_grow(uint32_t **tp, size_t *capp)
{
	size_t cap = *capp ? *capp * 2 : SET_MIN, i, j;
	uint32_t *t;

	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < *capp; i++) {
		if ((*tp)[i] == 0)
			continue;
		j = hash_u32((*tp)[i]) & (cap - 1);
		while (t[j] != 0)
			j = (j + 1) & (cap - 1);
		t[j] = (*tp)[i];
	}
	free(*tp);
	*tp = t;
	*capp = cap;
	return ERR_OK;
}

/*
 * What an observation will do to its host's names, decided (and every
 * allocation made) before anything is counted, so that a refused
 * observation leaves no half-counted trace.
 */
struct name_plan {
	enum { NP_HIT, NP_NEW, NP_DROP_NEW, NP_DROP_OLD } what;
	size_t		 idx;		/* NP_HIT */
	char		*copy;		/* NP_NEW */
	uint32_t	 hash;
	uint64_t	 fp;		/* NP_DROP_*: fingerprint */
};

static int
name_plan(struct aggregate *ag, struct host *h, const char *name,
    size_t len, struct name_plan *np)
{
	struct agg_name *v;
	uint64_t full = hash_bytes(name, len);
	size_t j, cap;

	memset(np, 0, sizeof(*np));
	np->hash = (uint32_t)full;
	if (h->nidx_cap > 0) {
		j = nidx_find(h, name, len, np->hash);
		if (h->nidx[j].idx1 != 0) {
			np->what = NP_HIT;
			np->idx = h->nidx[j].idx1 - 1;
			return ERR_OK;
		}
	}
	if (h->pub.n_names < ag->max_names) {
		if (h->pub.n_names == h->names_cap) {
			cap = h->names_cap ? h->names_cap * 2 : NAMES_MIN;
			if (cap > ag->max_names)
				cap = ag->max_names;
			v = realloc(h->pub.names, cap * sizeof(*v));
			if (v == NULL)
				return ERR_NOMEM;
			h->pub.names = v;
			h->names_cap = cap;
		}
		if (too_full(h->pub.n_names + 1, h->nidx_cap) &&
		    nidx_build(h, h->nidx_cap ? h->nidx_cap * 2 : SET_MIN) !=
		    ERR_OK)
			return ERR_NOMEM;
		if ((np->copy = arena_dup(ag, name, len)) == NULL)
			return ERR_NOMEM;
		np->what = NP_NEW;
		return ERR_OK;
	}
	np->fp = full != 0 ? full : 1;
	if (set64_find(h->dropped, h->dropped_cap, np->fp, &j)) {
		np->what = NP_DROP_OLD;
		return ERR_OK;
	}
	if (too_full(h->pub.names_dropped + 1, h->dropped_cap) &&
	    set64_grow(&h->dropped, &h->dropped_cap) != ERR_OK)
		return ERR_NOMEM;
	np->what = NP_DROP_NEW;
	return ERR_OK;
}

static void
name_apply(struct host *h, const struct name_plan *np,
    const struct match_sig *sig, enum obs_kind kind, const struct agg_ref *r)
{
	struct agg_name *n;
	size_t j;

	switch (np->what) {
	case NP_HIT:
		n = &h->pub.names[np->idx];
		break;
	case NP_NEW:
		n = &h->pub.names[h->pub.n_names];
		memset(n, 0, sizeof(*n));
		n->name = np->copy;
		n->sig = sig;
		n->first = n->last = *r;
		j = nidx_find(h, np->copy, strlen(np->copy), np->hash);
		h->nidx[j].idx1 = (uint32_t)(h->pub.n_names + 1);
		h->nidx[j].hash = np->hash;
		h->pub.n_names++;
		break;
	case NP_DROP_NEW:
		(void)set64_find(h->dropped, h->dropped_cap, np->fp, &j);
		h->dropped[j] = np->fp;
		h->pub.names_dropped++;
		return;
	case NP_DROP_OLD:
	default:
		return;
	}
	n->count++;
	n->kinds |= 1u << kind;
	ref_widen(&n->first, &n->last, false, r);
}

static void
host_apply(struct host *h, const struct obs *o, const struct match_sig *sig,
    const struct agg_ref *r)
{
	struct agg_host *p = &h->pub;
	unsigned i;
	uint8_t nv;
	int c;

	ref_widen(&p->first, &p->last, p->n_obs == 0, r);
	p->n_obs++;
	p->by_cat[sig->cat]++;
	p->by_kind[o->kind]++;
	p->by_tier[agg_tier(o, sig)]++;
	/*
	 * MAC and VLAN as first seen in packet time, whatever the input order
	 * (the bytes themselves break a tie between equal references).
	 */
	if (o->has_mac) {
		c = p->has_mac ? ref_cmp(r, &h->mac_ref) : -1;
		if (c < 0 || (c == 0 && memcmp(o->mac, p->mac, 6) < 0)) {
			memcpy(p->mac, o->mac, 6);
			h->mac_ref = *r;
			p->has_mac = true;
		}
		for (i = 0; i < p->n_macs; i++)
			if (memcmp(h->macs[i], o->mac, 6) == 0)
				break;
		if (i == p->n_macs && p->n_macs < MAX_MACS)
			memcpy(h->macs[p->n_macs++], o->mac, 6);
	}
	if (o->n_vlan > 0) {
		nv = o->n_vlan > 3 ? 3 : o->n_vlan;
		c = p->n_vlan > 0 ? ref_cmp(r, &h->vlan_ref) : -1;
		if (c == 0 && (c = (int)nv - (int)p->n_vlan) == 0)
			c = memcmp(o->vlan, p->vlan, nv * sizeof(*o->vlan));
		if (c < 0) {
			p->n_vlan = nv;
			memset(p->vlan, 0, sizeof(p->vlan));
			memcpy(p->vlan, o->vlan, nv * sizeof(*o->vlan));
			h->vlan_ref = *r;
		}
	}
}

/*
 * The server side of a Security Center port: a likely Administration
 * Server, with the hosts (agents) that reached it.
 */
static int
ksc_agent(struct aggregate *ag, const struct obs *o, size_t ci)
{
	struct host *server;
	uint32_t cid = (uint32_t)(ci + 1);
	size_t si, slot = 0;

	if (host_get(ag, &o->server, &si) != ERR_OK)
		return ERR_NOMEM;
	server = host_at(ag, si);
	if (set32_find(server->agents, server->agents_cap, cid, &slot))
		return ERR_OK;
	if (too_full(server->pub.ksc_agents + 1, server->agents_cap)) {
		if (set32_grow(&server->agents, &server->agents_cap) != ERR_OK)
			return ERR_NOMEM;
		(void)set32_find(server->agents, server->agents_cap, cid,
		    &slot);
	}
	server->agents[slot] = cid;
	server->pub.ksc_agents++;
	return ERR_OK;
}

int
aggregate_add(struct aggregate *ag, const struct obs *o,
    const struct match_sig *sig)
{
	struct name_plan np;
	struct agg_ref r;
	struct host *client, *server = NULL;
	size_t ci, si, slot = 0, len;
	bool new_client = false;
	uint32_t cid;

	if (ag == NULL || o == NULL || sig == NULL || o->name == NULL ||
	    (unsigned)o->kind >= OBS_N || (unsigned)sig->cat >= CAT_N ||
	    (o->client.family != 4 && o->client.family != 6))
		return ERR_MALFORMED;
	len = strnlen(o->name, o->name_len);
	if ((r.file = file_intern(ag, o->file)) == NULL)
		goto refuse;
	r.frame = o->frame;
	r.ts_sec = o->ts_sec;
	r.ts_nsec = o->ts_nsec;
	/* Hosts made here stay empty on failure; finish skips empty ones. */
	if (host_get(ag, &o->client, &ci) != ERR_OK)
		goto refuse;
	if (o->kind == OBS_DNS_ANSWER &&
	    (o->server.family == 4 || o->server.family == 6)) {
		if (host_get(ag, &o->server, &si) != ERR_OK)
			goto refuse;
		server = host_at(ag, si);
		cid = (uint32_t)(ci + 1);
		if (!set32_find(server->clients, server->clients_cap, cid,
		    &slot)) {
			new_client = true;
			if (too_full(server->pub.answered_hosts + 1,
			    server->clients_cap)) {
				if (set32_grow(&server->clients,
				    &server->clients_cap) != ERR_OK)
					goto refuse;
				(void)set32_find(server->clients,
				    server->clients_cap, cid, &slot);
			}
		}
	}
	if (o->kind == OBS_KSC_PORT &&
	    (o->server.family == 4 || o->server.family == 6) &&
	    ksc_agent(ag, o, ci) != ERR_OK)
		goto refuse;
	client = host_at(ag, ci);
	if (name_plan(ag, client, o->name, len, &np) != ERR_OK)
		goto refuse;

	host_apply(client, o, sig, &r);
	name_apply(client, &np, sig, o->kind, &r);
	if (server != NULL) {
		if (server->ans_file != r.file || server->ans_frame != r.frame)
			server->pub.answered++;
		server->ans_file = r.file;
		server->ans_frame = r.frame;
		if (new_client) {
			server->clients[slot] = (uint32_t)(ci + 1);
			server->pub.answered_hosts++;
		}
	}
	return ERR_OK;
refuse:
	ag->refused++;
	return ERR_NOMEM;
}

static int
name_cmp(const void *x, const void *y)
{
	const struct agg_name *a = x, *b = y;

	return strcmp(a->name, b->name);
}

static int
hostp_cmp(const void *x, const void *y)
{
	const struct agg_host *const *a = x, *const *b = y;

	return addr_cmp(&(*a)->addr, &(*b)->addr);
}

/* Where an offender goes: a listed network or its prefix. */
struct gkey {
	struct agg_host			*h;
	const struct netmap_net		*nn;	/* NULL: not listed */
	struct addr			 prefix;
	unsigned			 plen;
};

static int
gkey_cmp(const void *x, const void *y)
{
	const struct gkey *a = x, *b = y;
	int c;

	if ((a->nn != NULL) != (b->nn != NULL))
		return a->nn != NULL ? -1 : 1;
	if ((c = addr_cmp(&a->prefix, &b->prefix)) != 0)
		return c;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	/* Within a network: the strongest verdicts first, then address. */
	if (a->h->verdict != b->h->verdict)
		return a->h->verdict < b->h->verdict ? -1 : 1;
	return addr_cmp(&a->h->addr, &b->h->addr);
}

static bool
gkey_same_net(const struct gkey *a, const struct gkey *b)
{
	return (a->nn != NULL) == (b->nn != NULL) &&
	    addr_eq(&a->prefix, &b->prefix) && a->plen == b->plen;
}

enum verdict
agg_tier(const struct obs *o, const struct match_sig *sig)
{
	bool product, direct, strong;

	product = sig->cat == CAT_UPDATE || sig->cat == CAT_TELEMETRY ||
	    sig->cat == CAT_ACTIVATION || sig->cat == CAT_MANAGEMENT;
	/* The name itself was on the wire, from or to this host. */
	direct = o->kind != OBS_DNS_CORRELATED && o->kind != OBS_IP_PREFIX &&
	    o->kind != OBS_KSC_PORT;
	strong = sig->confidence == 'A' || sig->confidence == 'B';
	if (sig->cat == CAT_WEB)
		return direct ? VERDICT_BROWSING : VERDICT_INDIRECT;
	if (product && direct && strong)
		return VERDICT_PRODUCT;
	if ((product && (direct || o->kind == OBS_DNS_CORRELATED)) ||
	    (direct && strong))
		return VERDICT_LIKELY;
	return VERDICT_INDIRECT;
}

/* The strongest tier seen; browsing only when nothing stronger was. */
static enum verdict
verdict_of(const struct agg_host *h)
{
	unsigned v;

	for (v = 0; v < VERDICT_N; v++)
		if (h->by_tier[v] > 0)
			return (enum verdict)v;
	return VERDICT_INDIRECT;
}

/* Fills net from its first key; the strings go into one owned block. */
static int
net_make(struct agg_net *net, char **blk, const struct gkey *k)
{
	char cidr[ADDR_STRLEN + 8], buf[ADDR_STRLEN];
	const char *name, *contacts;
	size_t nl, cl, tl;
	char *p;

	memset(net, 0, sizeof(*net));
	if (k->nn != NULL) {
		name = k->nn->name != NULL ? k->nn->name : "";
		contacts = k->nn->contacts != NULL ? k->nn->contacts : "";
	} else {
		name = NULL;
		contacts = "";
	}
	if (k->nn != NULL && k->nn->cidr != NULL)
		snprintf(cidr, sizeof(cidr), "%s", k->nn->cidr);
	else
		snprintf(cidr, sizeof(cidr), "%s/%u", addr_fmt(&k->prefix, buf),
		    k->plen);
	if (name == NULL)
		name = cidr;
	nl = strlen(name);
	cl = strlen(contacts);
	tl = strlen(cidr);
	if ((p = malloc(nl + cl + tl + 3)) == NULL)
		return ERR_NOMEM;
	*blk = p;
	memcpy(p, name, nl + 1);
	net->name = p;
	p += nl + 1;
	memcpy(p, contacts, cl + 1);
	net->contacts = p;
	p += cl + 1;
	memcpy(p, cidr, tl + 1);
	net->cidr = p;
	net->listed = k->nn != NULL;
	return ERR_OK;
}

static bool
host_blind(const struct agg_host *p)
{
	unsigned b;

	for (b = 0; b < BLIND_N; b++)
		if (p->blind[b] > 0)
			return true;
	return false;
}

int
aggregate_blind(struct aggregate *ag, const struct obs *o, enum obs_blind b)
{
	size_t ci;

	if (ag == NULL || o == NULL || (unsigned)b >= BLIND_N ||
	    (o->client.family != 4 && o->client.family != 6))
		return ERR_MALFORMED;
	if (host_get(ag, &o->client, &ci) != ERR_OK) {
		ag->refused++;
		return ERR_NOMEM;
	}
	host_at(ag, ci)->pub.blind[b]++;
	ag->blind_total[b]++;
	return ERR_OK;
}

size_t
aggregate_n_blind(const struct aggregate *ag)
{
	return ag->n_blinds;
}

const struct agg_host *
aggregate_blind_host(const struct aggregate *ag, size_t i)
{
	return i < ag->n_blinds ? ag->blinds[i] : NULL;
}

uint64_t
aggregate_blind_total(const struct aggregate *ag, enum obs_blind b)
{
	return (unsigned)b < BLIND_N ? ag->blind_total[b] : 0;
}

int
aggregate_finish(struct aggregate *ag, const struct netmap *nm,
    unsigned v4_plen, unsigned v6_plen)
{
	struct gkey *keys = NULL;
	struct host *h;
	struct agg_host *p;
	size_t i, k, n_off = 0, n_res = 0, n_blind = 0, n_nets;
	int r = ERR_NOMEM;

	if (ag == NULL)
		return ERR_MALFORMED;
	finish_reset(ag);
	if (v4_plen > 32)
		v4_plen = 32;
	if (v6_plen > 128)
		v6_plen = 128;
	for (i = 0; i < ag->n_all; i++) {
		h = host_at(ag, i);
		p = &h->pub;
		if (p->n_names > 1)
			qsort(p->names, p->n_names, sizeof(*p->names),
			    name_cmp);
		/* The index points into names[], which just moved. */
		if (p->n_names > 0)
			nidx_fill(h->nidx, h->nidx_cap, h);
		p->verdict = verdict_of(p);
		p->is_resolver = p->answered > 0;
		p->ksc_server = p->ksc_agents > 0 && p->n_obs > 0 &&
		    p->verdict == VERDICT_PRODUCT;
		p->net = NULL;
		if (p->is_resolver)
			n_res++;
		else if (p->n_obs > 0)
			n_off++;
		else if (host_blind(p))
			n_blind++;
	}
	ag->blinds = calloc(n_blind ? n_blind : 1, sizeof(*ag->blinds));
	if (ag->blinds == NULL)
		goto out;
	ag->offenders = calloc(n_off ? n_off : 1, sizeof(*ag->offenders));
	ag->resolvers = calloc(n_res ? n_res : 1, sizeof(*ag->resolvers));
	keys = calloc(n_off ? n_off : 1, sizeof(*keys));
	if (ag->offenders == NULL || ag->resolvers == NULL || keys == NULL)
		goto out;
	for (i = 0, k = 0; i < ag->n_all; i++) {
		p = &host_at(ag, i)->pub;
		if (p->is_resolver) {
			ag->resolvers[ag->n_resolvers++] = p;
			continue;
		}
		if (p->n_obs == 0) {
			if (host_blind(p))
				ag->blinds[ag->n_blinds++] = p;
			continue;
		}
		keys[k].h = p;
		keys[k].nn = nm != NULL ? netmap_lookup(nm, &p->addr) : NULL;
		if (keys[k].nn != NULL) {
			keys[k].prefix = keys[k].nn->prefix;
			keys[k].plen = keys[k].nn->plen;
		} else {
			keys[k].plen = p->addr.family == 4 ? v4_plen : v6_plen;
			addr_mask(&keys[k].prefix, &p->addr, keys[k].plen);
		}
		k++;
	}
	qsort(ag->resolvers, n_res, sizeof(*ag->resolvers), hostp_cmp);
	qsort(ag->blinds, ag->n_blinds, sizeof(*ag->blinds), hostp_cmp);
	qsort(keys, n_off, sizeof(*keys), gkey_cmp);
	for (i = 0, n_nets = 0; i < n_off; i++)
		if (i == 0 || !gkey_same_net(&keys[i - 1], &keys[i]))
			n_nets++;
	ag->nets = calloc(n_nets ? n_nets : 1, sizeof(*ag->nets));
	ag->net_strs = calloc(n_nets ? n_nets : 1, sizeof(*ag->net_strs));
	if (ag->nets == NULL || ag->net_strs == NULL)
		goto out;
	for (i = 0; i < n_off; i++) {
		if (i > 0 && gkey_same_net(&keys[i - 1], &keys[i]))
			continue;
		if (net_make(&ag->nets[ag->n_nets], &ag->net_strs[ag->n_nets],
		    &keys[i]) != ERR_OK)
			goto out;
		ag->nets[ag->n_nets].hosts = ag->offenders + i;
		ag->n_nets++;
	}
	for (i = 0, k = 0; i < n_off; i++) {
		if (i > 0 && !gkey_same_net(&keys[i - 1], &keys[i]))
			k++;
		p = keys[i].h;
		ag->offenders[i] = p;
		p->net = &ag->nets[k];
		ag->nets[k].n_hosts++;
		ag->nets[k].by_verdict[p->verdict]++;
		ag->by_verdict[p->verdict]++;
	}
	ag->n_offenders = n_off;
	r = ERR_OK;
out:
	free(keys);
	if (r != ERR_OK)
		finish_reset(ag);
	return r;
}

size_t
aggregate_n_nets(const struct aggregate *ag)
{
	return ag->n_nets;
}

const struct agg_net *
aggregate_net(const struct aggregate *ag, size_t i)
{
	return i < ag->n_nets ? &ag->nets[i] : NULL;
}

size_t
aggregate_n_hosts(const struct aggregate *ag)
{
	return ag->n_offenders;
}

size_t
aggregate_n_resolvers(const struct aggregate *ag)
{
	return ag->n_resolvers;
}

const struct agg_host *
aggregate_resolver(const struct aggregate *ag, size_t i)
{
	return i < ag->n_resolvers ? ag->resolvers[i] : NULL;
}

uint64_t
aggregate_refused(const struct aggregate *ag)
{
	return ag->refused;
}

size_t
aggregate_by_verdict(const struct aggregate *ag, enum verdict v)
{
	return (unsigned)v < VERDICT_N ? ag->by_verdict[v] : 0;
}

const char *
verdict_name(enum verdict v)
{
	static const char *const names[VERDICT_N] = {
		"product-active", "product-likely", "browsing-only",
		"indirect",
	};

	return (unsigned)v < VERDICT_N ? names[v] : "?";
}
