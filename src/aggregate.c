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
};

struct aggregate {
	size_t		  max_names;
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
aggregate_set_max_hosts(struct aggregate *ag, size_t max_hosts)
{
	ag->max_hosts = max_hosts;
}

uint64_t
aggregate_hosts_refused(const struct aggregate *ag)
{
	return ag->hosts_refused;
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
	/* --max-hosts: a flood of spoofed sources must not grow us. */
	if (ag->max_hosts > 0 && ag->n_all >= ag->max_hosts) {
		ag->hosts_refused++;
		return ERR_FULL;
	}
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
	if (too_full(h->dropped_used + 1, h->dropped_cap) &&
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
		h->dropped_used++;
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

/* ---- whole hosts: merged reports and restored state (load.c) ----------- */

/*
 * The signatures of loaded names have no matcher to live in: the aggregate
 * keeps its own copies in the arena, interned in ag->sigtab (itself in the
 * arena: the old tables are left behind when it doubles, a few KiB at most),
 * so that the thousands of names of one signature share one copy.
 */

/* A reference later than any packet: the MAC of a record seen at no time. */
static const struct agg_ref ref_never = { "", UINT64_MAX, INT64_MAX,
    UINT32_MAX };

static void *
arena_alloc(struct aggregate *ag, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct chunk *c = ag->arena;
	size_t pad = 0, csize;

	if (c != NULL)
		pad = (align - (uintptr_t)(c->data + c->used) % align) % align;
	if (c == NULL || c->size - c->used < pad + size) {
		csize = size + align > ARENA_CHUNK ? size + align : ARENA_CHUNK;
		if ((c = malloc(sizeof(*c) + csize)) == NULL)
			return NULL;
		c->next = ag->arena;
		c->used = 0;
		c->size = csize;
		ag->arena = c;
		pad = (align - (uintptr_t)c->data % align) % align;
	}
	c->used += pad;
	memset(c->data + c->used, 0, size);
	c->used += size;
	return c->data + c->used - size;
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

static uint64_t
sig_hash(const struct match_sig *s)
{
	const char *f[4] = { nz(s->pattern), nz(s->source), nz(s->note),
	    nz(s->set) };
	uint64_t h = hash_bytes(&s->cat, sizeof(s->cat));
	size_t i;

	for (i = 0; i < 4; i++)
		h = h * 0x100000001b3ULL ^ hash_bytes(f[i], strlen(f[i]));
	return h ^ (uint64_t)(unsigned char)s->confidence ^
	    (uint64_t)s->kind << 8 ^ (uint64_t)s->line << 16;
}

static bool
sig_eq(const struct match_sig *a, const struct match_sig *b)
{
	return a->kind == b->kind && a->cat == b->cat &&
	    a->confidence == b->confidence && a->line == b->line &&
	    strcmp(nz(a->pattern), nz(b->pattern)) == 0 &&
	    strcmp(nz(a->source), nz(b->source)) == 0 &&
	    strcmp(nz(a->note), nz(b->note)) == 0 &&
	    strcmp(nz(a->set), nz(b->set)) == 0;
}

/* A total order, for a name that two records give different signatures. */
static int
sig_cmp(const struct match_sig *a, const struct match_sig *b)
{
	int c;

	if ((c = strcmp(nz(a->pattern), nz(b->pattern))) != 0 ||
	    (c = strcmp(nz(a->set), nz(b->set))) != 0 ||
	    (c = strcmp(nz(a->source), nz(b->source))) != 0 ||
	    (c = strcmp(nz(a->note), nz(b->note))) != 0)
		return c;
	if (a->cat != b->cat)
		return a->cat < b->cat ? -1 : 1;
	if (a->confidence != b->confidence)
		return a->confidence < b->confidence ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return 0;
}

static size_t
sigtab_slot(const struct aggregate *ag, const struct match_sig *s)
{
	size_t j = sig_hash(s) & (ag->sigtab_cap - 1);

	while (ag->sigtab[j] != NULL && !sig_eq(ag->sigtab[j], s))
		j = (j + 1) & (ag->sigtab_cap - 1);
	return j;
}

static char *
arena_str(struct aggregate *ag, const char *s)
{
	return arena_dup(ag, nz(s), strlen(nz(s)));
}

/* The aggregate's copy of s, made on first sight; NULL: out of memory. */
static const struct match_sig *
sig_intern(struct aggregate *ag, const struct match_sig *s)
{
	const struct match_sig **t;
	struct match_sig *copy;
	size_t cap, i, j;

	if (ag->sigtab_cap > 0 &&
	    ag->sigtab[j = sigtab_slot(ag, s)] != NULL)
		return ag->sigtab[j];
	if (too_full(ag->n_sigs + 1, ag->sigtab_cap)) {
		cap = ag->sigtab_cap ? ag->sigtab_cap * 2 : SET_MIN;
		if ((t = arena_alloc(ag, cap * sizeof(*t))) == NULL)
			return NULL;
		for (i = 0; i < ag->sigtab_cap; i++) {
			if (ag->sigtab[i] == NULL)
				continue;
			j = sig_hash(ag->sigtab[i]) & (cap - 1);
			while (t[j] != NULL)
				j = (j + 1) & (cap - 1);
			t[j] = ag->sigtab[i];
		}
		ag->sigtab = t;
		ag->sigtab_cap = cap;
	}
	if ((copy = arena_alloc(ag, sizeof(*copy))) == NULL ||
	    (copy->pattern = arena_str(ag, s->pattern)) == NULL ||
	    (copy->source = arena_str(ag, s->source)) == NULL ||
	    (copy->note = arena_str(ag, s->note)) == NULL ||
	    (copy->set = arena_str(ag, s->set)) == NULL)
		return NULL;
	copy->kind = s->kind;
	copy->cat = s->cat;
	copy->confidence = s->confidence;
	copy->line = s->line;
	ag->sigtab[sigtab_slot(ag, copy)] = copy;
	ag->n_sigs++;
	return copy;
}

int
aggregate_own_sigs(struct aggregate *ag)
{
	struct agg_host *p;
	size_t i, k;
	int pass;

	if (ag == NULL)
		return ERR_MALFORMED;
	/* Copies first, then pointers: a failure changes nothing seen. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < ag->n_all; i++) {
			p = &host_at(ag, i)->pub;
			for (k = 0; k < p->n_names; k++) {
				const struct match_sig *s;

				if ((s = sig_intern(ag, p->names[k].sig)) ==
				    NULL)
					return ERR_NOMEM;
				if (pass == 1)
					p->names[k].sig = s;
			}
		}
	}
	return ERR_OK;
}

/*
 * The records' file names are borrowed; most refs of one record share a
 * pointer, so a small direct-mapped cache spares file_intern()'s scan.
 */
struct fcache {
	const char	*from[64];
	const char	*to[64];
};

static const char *
fcache_intern(struct aggregate *ag, struct fcache *fc, const char *file)
{
	size_t j = (size_t)(hash_bytes(&file, sizeof(file)) & 63);
	const char *s;

	if (fc->from[j] == file && file != NULL)
		return fc->to[j];
	if ((s = file_intern(ag, file)) == NULL)
		return NULL;
	fc->from[j] = file;
	fc->to[j] = s;
	return s;
}

static bool
fcache_ref(struct aggregate *ag, struct fcache *fc, struct agg_ref *dst,
    const struct agg_ref *src)
{
	*dst = *src;
	return (dst->file = fcache_intern(ag, fc, src->file)) != NULL;
}

/* What one name of a record will do, decided before anything changes. */
struct mname {
	size_t			 idx;		/* in names[] */
	bool			 fresh;		/* appended at idx */
	char			*copy;		/* fresh: the name's copy */
	uint32_t		 hash;
	const struct match_sig	*sig;		/* interned */
	struct agg_ref		 first, last;	/* files interned */
};

/* What one record will do. */
struct mrec {
	const struct agg_host	*rec;
	size_t			 hi;		/* host index */
	struct agg_ref		 first, last;	/* when rec->n_obs > 0 */
	struct mname		*names;
};

static bool
add_ok(uint64_t a, uint64_t b)
{
	return a <= AGG_COUNT_MAX && b <= AGG_COUNT_MAX - a;
}

/* Whether the table holds addr (host_get() without making it). */
static bool
host_find(const struct aggregate *ag, const struct addr *a)
{
	size_t j;

	if (ag->htab_cap == 0)
		return false;
	j = hash_addr(a) & (ag->htab_cap - 1);
	for (; ag->htab[j] != 0; j = (j + 1) & (ag->htab_cap - 1))
		if (addr_eq(&host_at(ag, ag->htab[j] - 1)->pub.addr, a))
			return true;
	return false;
}

static int
addrp_cmp(const void *x, const void *y)
{
	const struct mrec *a = x, *b = y;

	return addr_cmp(&a->rec->addr, &b->rec->addr);
}

static int
namep_cmp(const void *x, const void *y)
{
	const struct agg_name *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

/* The record's own shape: nothing here depends on the aggregate. */
static int
rec_check(const struct agg_host *r)
{
	const struct agg_name **v;
	size_t k;
	int ret = ERR_OK;

	if ((r->addr.family != 4 && r->addr.family != 6) ||
	    r->n_macs > MAX_MACS || r->has_mac != (r->n_macs > 0) ||
	    r->n_vlan > 3 || (r->n_names > 0 && r->names == NULL) ||
	    r->n_names > UINT32_MAX / 2 ||
	    (r->n_obs > 0 && (r->first.file == NULL || r->last.file == NULL)))
		return ERR_MALFORMED;
	for (k = 0; k < r->n_names; k++) {
		const struct agg_name *n = &r->names[k];

		if (n->name == NULL || n->sig == NULL ||
		    (unsigned)n->sig->cat >= CAT_N || n->first.file == NULL ||
		    n->last.file == NULL)
			return ERR_MALFORMED;
	}
	if (r->n_names < 2)
		return ERR_OK;
	/* Names are joined by name: one record may not give one twice. */
	if ((v = malloc(r->n_names * sizeof(*v))) == NULL)
		return ERR_NOMEM;
	for (k = 0; k < r->n_names; k++)
		v[k] = &r->names[k];
	qsort(v, r->n_names, sizeof(*v), namep_cmp);
	for (k = 1; k < r->n_names; k++)
		if (strcmp(v[k - 1]->name, v[k]->name) == 0)
			ret = ERR_MALFORMED;
	free(v);
	return ret;
}

/* Every sum this record makes stays within AGG_COUNT_MAX. */
static bool
rec_fits(const struct host *h, const struct mrec *m)
{
	const struct agg_host *p = &h->pub, *r = m->rec;
	size_t k;

	if (!add_ok(p->n_obs, r->n_obs) || !add_ok(p->answered, r->answered) ||
	    r->names_dropped > AGG_COUNT_MAX ||
	    r->answered_hosts > AGG_COUNT_MAX || r->ksc_agents > AGG_COUNT_MAX)
		return false;
	for (k = 0; k < CAT_N; k++)
		if (!add_ok(p->by_cat[k], r->by_cat[k]))
			return false;
	for (k = 0; k < OBS_N; k++)
		if (!add_ok(p->by_kind[k], r->by_kind[k]))
			return false;
	for (k = 0; k < VERDICT_N; k++)
		if (!add_ok(p->by_tier[k], r->by_tier[k]))
			return false;
	for (k = 0; k < BLIND_N; k++)
		if (!add_ok(p->blind[k], r->blind[k]))
			return false;
	for (k = 0; k < r->n_names; k++) {
		if (!add_ok(m->names[k].fresh ? 0 :
		    p->names[m->names[k].idx].count, r->names[k].count))
			return false;
	}
	return true;
}

/* Finds or plans every name of a record; all allocation happens here. */
static int
rec_reserve(struct aggregate *ag, struct fcache *fc, struct mrec *m)
{
	struct host *h = host_at(ag, m->hi);
	const struct agg_host *r = m->rec;
	struct agg_name *v;
	struct mname *mn;
	size_t k, j, n_new = 0, need, cap;

	if (r->n_obs > 0 && (!fcache_ref(ag, fc, &m->first, &r->first) ||
	    !fcache_ref(ag, fc, &m->last, &r->last)))
		return ERR_NOMEM;
	for (k = 0; k < r->n_names; k++) {
		const struct agg_name *n = &r->names[k];
		size_t len = strlen(n->name);

		mn = &m->names[k];
		mn->hash = (uint32_t)hash_bytes(n->name, len);
		if (!fcache_ref(ag, fc, &mn->first, &n->first) ||
		    !fcache_ref(ag, fc, &mn->last, &n->last) ||
		    (mn->sig = sig_intern(ag, n->sig)) == NULL)
			return ERR_NOMEM;
		if (h->nidx_cap > 0) {
			j = nidx_find(h, n->name, len, mn->hash);
			if (h->nidx[j].idx1 != 0) {
				mn->idx = h->nidx[j].idx1 - 1;
				continue;
			}
		}
		if ((mn->copy = arena_dup(ag, n->name, len)) == NULL)
			return ERR_NOMEM;
		mn->fresh = true;
		mn->idx = h->pub.n_names + n_new++;
	}
	if (!rec_fits(h, m))
		return ERR_MALFORMED;
	if (n_new == 0)
		return ERR_OK;
	/* No --max-names here: aggregate_trim_names() cuts once, at the end. */
	need = h->pub.n_names + n_new;
	if (need > UINT32_MAX / 2)
		return ERR_NOMEM;
	if (need > h->names_cap) {
		cap = h->names_cap * 2 > need ? h->names_cap * 2 : need;
		if ((v = realloc(h->pub.names, cap * sizeof(*v))) == NULL)
			return ERR_NOMEM;
		h->pub.names = v;
		h->names_cap = cap;
	}
	if (too_full(need, h->nidx_cap)) {
		cap = h->nidx_cap ? h->nidx_cap : SET_MIN;
		while (too_full(need, cap))
			cap *= 2;
		if (nidx_build(h, cap) != ERR_OK)
			return ERR_NOMEM;
	}
	return ERR_OK;
}

/*
 * The MAC of the earliest record wins, a record's MAC counting as seen at
 * its first_seen (reports do not say when the MAC was).  macs_seen only
 * grows to the largest count, and to 2 when two records' MACs differ: the
 * reports name one MAC each, so this is what stays the same however the
 * merge is split.  The remembered MACs (for aggregate_add() after a state
 * restore) are kept as known ones followed by copies of them.
 */
static void
mac_merge(struct host *h, const struct agg_host *r, const struct agg_ref *rr)
{
	struct agg_host *p = &h->pub;
	unsigned n, old = p->n_macs, i, j, k;
	int c;

	if (!r->has_mac)
		return;
	n = old > r->n_macs ? old : r->n_macs;
	if (p->has_mac && memcmp(p->mac, r->mac, 6) != 0 && n < 2)
		n = 2;
	if (n > MAX_MACS)
		n = MAX_MACS;
	c = p->has_mac ? ref_cmp(rr, &h->mac_ref) : -1;
	if (c < 0 || (c == 0 && memcmp(r->mac, p->mac, 6) < 0)) {
		memcpy(p->mac, r->mac, 6);
		h->mac_ref = *rr;
		p->has_mac = true;
	}
	for (i = 0; i < old && memcmp(h->macs[i], r->mac, 6) != 0; i++)
		;
	if (i == old && n > old) {
		memcpy(h->macs[old++], r->mac, 6);
	} else if (i == old) {
		/* Over a copy, if there is one. */
		for (j = 1; j < old; j++) {
			for (k = 0; k < j; k++)
				if (memcmp(h->macs[k], h->macs[j], 6) == 0)
					break;
			if (k < j) {
				memcpy(h->macs[j], r->mac, 6);
				break;
			}
		}
	}
	for (i = old; i < n; i++)
		memcpy(h->macs[i], h->macs[0], 6);
	p->n_macs = n;
}

/* As host_apply(): the VLAN of the earliest record (then the tags). */
static void
vlan_merge(struct host *h, const struct agg_host *r, const struct agg_ref *rr)
{
	struct agg_host *p = &h->pub;
	int c;

	if (r->n_vlan == 0)
		return;
	c = p->n_vlan > 0 ? ref_cmp(rr, &h->vlan_ref) : -1;
	if (c == 0 && (c = (int)r->n_vlan - (int)p->n_vlan) == 0)
		c = memcmp(r->vlan, p->vlan, r->n_vlan * sizeof(*r->vlan));
	if (c < 0) {
		p->n_vlan = r->n_vlan;
		memset(p->vlan, 0, sizeof(p->vlan));
		memcpy(p->vlan, r->vlan, r->n_vlan * sizeof(*r->vlan));
		h->vlan_ref = *rr;
	}
}

/* Cannot fail: rec_reserve() made room and checked every sum. */
static void
rec_apply(struct aggregate *ag, const struct mrec *m)
{
	struct host *h = host_at(ag, m->hi);
	struct agg_host *p = &h->pub;
	const struct agg_host *r = m->rec;
	const struct mname *mn;
	struct agg_name *n;
	size_t k, j;

	if (r->n_obs > 0) {
		ref_widen(&p->first, &p->last, p->n_obs == 0, &m->first);
		ref_widen(&p->first, &p->last, false, &m->last);
	}
	mac_merge(h, r, r->n_obs > 0 ? &m->first : &ref_never);
	vlan_merge(h, r, r->n_obs > 0 ? &m->first : &ref_never);
	p->n_obs += r->n_obs;
	for (k = 0; k < CAT_N; k++)
		p->by_cat[k] += r->by_cat[k];
	for (k = 0; k < OBS_N; k++)
		p->by_kind[k] += r->by_kind[k];
	for (k = 0; k < VERDICT_N; k++)
		p->by_tier[k] += r->by_tier[k];
	for (k = 0; k < BLIND_N; k++) {
		p->blind[k] += r->blind[k];
		ag->blind_total[k] += r->blind[k];
	}
	for (k = 0; k < r->n_names; k++) {
		mn = &m->names[k];
		n = &p->names[mn->idx];
		if (mn->fresh) {
			memset(n, 0, sizeof(*n));
			n->name = mn->copy;
			n->sig = mn->sig;
			n->first = mn->first;
			n->last = mn->last;
			j = nidx_find(h, mn->copy, strlen(mn->copy), mn->hash);
			h->nidx[j].idx1 = (uint32_t)(mn->idx + 1);
			h->nidx[j].hash = mn->hash;
			p->n_names++;
		} else {
			/* The signature of the earliest sighting names it. */
			int c = ref_cmp(&mn->first, &n->first);

			if (c < 0 || (c == 0 && sig_cmp(mn->sig, n->sig) < 0))
				n->sig = mn->sig;
			ref_widen(&n->first, &n->last, false, &mn->first);
			ref_widen(&n->first, &n->last, false, &mn->last);
		}
		n->count += r->names[k].count;
		n->kinds |= r->names[k].kinds & ((1u << OBS_N) - 1);
	}
	/*
	 * Distinct names and hosts the reports only count: the same ones met
	 * in two reports must not count twice, so the largest count is what
	 * is known for sure (a lower bound).
	 */
	if (r->names_dropped > p->names_dropped)
		p->names_dropped = r->names_dropped;
	if (r->answered_hosts > p->answered_hosts)
		p->answered_hosts = r->answered_hosts;
	if (r->ksc_agents > p->ksc_agents)
		p->ksc_agents = r->ksc_agents;
	p->answered += r->answered;
}

int
aggregate_merge(struct aggregate *ag, const struct agg_host *recs,
    size_t n_recs, uint64_t refused)
{
	struct fcache fc;
	struct mrec *m = NULL;
	struct mname *names = NULL;
	size_t i, total = 0, n_new;
	int r = ERR_NOMEM;

	if (ag == NULL || (n_recs > 0 && recs == NULL) ||
	    !add_ok(ag->refused, refused))
		return ERR_MALFORMED;
	for (i = 0; i < n_recs; i++) {
		if ((r = rec_check(&recs[i])) != ERR_OK)
			return r;
		if (recs[i].n_names > SIZE_MAX / sizeof(*names) - total)
			return ERR_NOMEM;
		total += recs[i].n_names;
	}
	r = ERR_NOMEM;
	memset(&fc, 0, sizeof(fc));
	if ((m = calloc(n_recs ? n_recs : 1, sizeof(*m))) == NULL ||
	    (names = calloc(total ? total : 1, sizeof(*names))) == NULL)
		goto out;
	for (i = 0, total = 0; i < n_recs; i++) {
		m[i].rec = &recs[i];
		m[i].names = names + total;
		total += recs[i].n_names;
	}
	/* One record per address: a second would be planned on stale room. */
	qsort(m, n_recs, sizeof(*m), addrp_cmp);
	for (i = 1; i < n_recs; i++) {
		if (addr_eq(&m[i - 1].rec->addr, &m[i].rec->addr)) {
			r = ERR_MALFORMED;
			goto out;
		}
	}
	/* Room under --max-hosts for every new address, or none taken. */
	for (i = 0, n_new = 0; i < n_recs; i++)
		n_new += !host_find(ag, &m[i].rec->addr);
	if (ag->max_hosts > 0 && n_new > 0 &&
	    (ag->n_all >= ag->max_hosts || n_new > ag->max_hosts - ag->n_all)) {
		r = ERR_FULL;
		goto out;
	}
	/*
	 * Hosts made here stay empty if a later record fails, and empty
	 * hosts are skipped by aggregate_finish(): nothing shows.
	 */
	for (i = 0; i < n_recs; i++)
		if ((r = host_get(ag, &m[i].rec->addr, &m[i].hi)) != ERR_OK ||
		    (r = rec_reserve(ag, &fc, &m[i])) != ERR_OK)
			goto out;
	for (i = 0; i < n_recs; i++)
		rec_apply(ag, &m[i]);
	ag->refused += refused;
	r = ERR_OK;
out:
	free(names);
	free(m);
	return r;
}

/* Earliest first seen first, then by name: which names stay. */
static int
keep_cmp(const void *x, const void *y)
{
	const struct agg_name *a = x, *b = y;
	int c;

	if ((c = ref_cmp(&a->first, &b->first)) != 0)
		return c;
	return strcmp(a->name, b->name);
}

void
aggregate_trim_names(struct aggregate *ag, size_t max_names)
{
	struct agg_host *p;
	struct host *h;
	uint64_t fp;
	size_t i, k, slot, used;

	if (ag == NULL)
		return;
	for (i = 0; i < ag->n_all; i++) {
		h = host_at(ag, i);
		p = &h->pub;
		if (p->n_names <= max_names)
			continue;
		qsort(p->names, p->n_names, sizeof(*p->names), keep_cmp);
		/* Loaded names_dropped has no fingerprints: count the set. */
		for (k = 0, used = 0; k < h->dropped_cap; k++)
			used += h->dropped[k] != 0;
		for (k = max_names; k < p->n_names; k++) {
			const char *s = p->names[k].name;

			if (p->names_dropped < AGG_COUNT_MAX)
				p->names_dropped++;
			/*
			 * Remembered as aggregate_add() remembers the names
			 * it drops, when there is memory for it: else a
			 * later sighting counts it once more.
			 */
			fp = hash_bytes(s, strlen(s));
			fp = fp != 0 ? fp : 1;
			if (set64_find(h->dropped, h->dropped_cap, fp, &slot))
				continue;
			if (too_full(used + 1, h->dropped_cap) &&
			    set64_grow(&h->dropped, &h->dropped_cap) != ERR_OK)
				continue;
			(void)set64_find(h->dropped, h->dropped_cap, fp, &slot);
			h->dropped[slot] = fp;
			h->dropped_used++;
			used++;
		}
		p->n_names = max_names;
		if (h->nidx_cap > 0)
			nidx_fill(h->nidx, h->nidx_cap, h);
	}
}
