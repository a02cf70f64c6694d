/* aggregate.c - matched observations -> hosts, their names and tiers.
 * Owns the host and name tables and adding observations to them. */
#include <stdlib.h>
#include <string.h>

#include "aggregate_int.h"

static uint64_t
hash_u32(uint32_t v)
{
	return hash_bytes(&v, sizeof(v));
}

char *
agg_arena_dup(struct aggregate *ag, const char *s, size_t len)
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

/* Orders references by packet time; file and frame only break ties. */
int
agg_ref_cmp(const struct agg_ref *x, const struct agg_ref *y)
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

void
agg_ref_widen(struct agg_ref *first, struct agg_ref *last, bool fresh,
    const struct agg_ref *r)
{
	if (fresh || agg_ref_cmp(r, first) < 0)
		*first = *r;
	if (fresh || agg_ref_cmp(r, last) > 0)
		*last = *r;
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
	agg_finish_reset(ag);
	for (i = 0; i < ag->n_all; i++) {
		h = host_at(ag, i);
		free(h->pub.names);
		free(h->nidx);
		free(h->dropped);
		free(h->clients);
		free(h->agents);
		free(h->pub.hnames);
		free(h->pub.days);
	}
	for (i = 0; i < ag->n_slabs; i++)
		free(ag->slabs[i]);
	free(ag->slabs);
	free(ag->htab);
	free(ag->subs);
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
const char *
agg_file_intern(struct aggregate *ag, const char *file)
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
		j = hash_host(&host_at(ag, i)->pub.addr,
		    host_at(ag, i)->pub.subscriber) & (cap - 1);
		while (t[j] != 0)
			j = (j + 1) & (cap - 1);
		t[j] = (uint32_t)(i + 1);
	}
	free(ag->htab);
	ag->htab = t;
	ag->htab_cap = cap;
	return ERR_OK;
}

/* Finds the host for addr and sub or makes an empty one; *idx is its index. */
int
agg_host_get(struct aggregate *ag, const struct addr *a, const char *sub,
    size_t *idx)
{
	struct host **v, *slab;
	size_t j, cap, i;
	uint64_t hh = hash_host(a, sub);

	if (ag->htab_cap > 0) {
		j = hh & (ag->htab_cap - 1);
		while (ag->htab[j] != 0) {
			i = ag->htab[j] - 1;
			if (addr_eq(&host_at(ag, i)->pub.addr, a) &&
			    host_at(ag, i)->pub.subscriber == sub) {
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
	host_at(ag, i)->pub.subscriber = sub;
	j = hh & (ag->htab_cap - 1);
	while (ag->htab[j] != 0)
		j = (j + 1) & (ag->htab_cap - 1);
	ag->htab[j] = (uint32_t)(i + 1);
	*idx = i;
	return ERR_OK;
}

/* Slot of name in h's index: the entry holding it, or the empty slot. */
size_t
agg_nidx_find(const struct host *h, const char *name, size_t len, uint32_t hash)
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

void
agg_nidx_fill(struct nslot *t, size_t cap, const struct host *h)
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
int
agg_nidx_build(struct host *h, size_t cap)
{
	struct nslot *t;

	if ((t = malloc(cap * sizeof(*t))) == NULL)
		return ERR_NOMEM;
	agg_nidx_fill(t, cap, h);
	free(h->nidx);
	h->nidx = t;
	h->nidx_cap = cap;
	return ERR_OK;
}

int
agg_set64_grow(uint64_t **tp, size_t *capp)
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
		j = agg_nidx_find(h, name, len, np->hash);
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
		    agg_nidx_build(h, h->nidx_cap ? h->nidx_cap * 2 :
		    SET_MIN) != ERR_OK)
			return ERR_NOMEM;
		if ((np->copy = agg_arena_dup(ag, name, len)) == NULL)
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
	    agg_set64_grow(&h->dropped, &h->dropped_cap) != ERR_OK)
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
		j = agg_nidx_find(h, np->copy, strlen(np->copy), np->hash);
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
	agg_ref_widen(&n->first, &n->last, false, r);
}

void
agg_via_add(struct agg_host *p, const struct addr *a)
{
	unsigned i, j;
	int c = 1;

	for (i = 0; i < p->n_via && (c = addr_cmp(&p->via[i], a)) < 0; i++)
		;
	if ((i < p->n_via && c == 0) || i == AGG_VIA_MAX)
		return;
	j = p->n_via < AGG_VIA_MAX ? p->n_via++ : AGG_VIA_MAX - 1;
	for (; j > i; j--)
		p->via[j] = p->via[j - 1];
	p->via[i] = *a;
}

static void
host_apply(struct host *h, const struct obs *o, const struct match_sig *sig,
    const struct agg_ref *r)
{
	struct agg_host *p = &h->pub;
	unsigned i;
	uint8_t nv;
	int c;

	agg_ref_widen(&p->first, &p->last, p->n_obs == 0, r);
	p->n_obs++;
	p->by_cat[sig->cat]++;
	p->by_kind[o->kind]++;
	p->by_tier[agg_tier(o, sig)]++;
	if (o->flags & OBS_F_FORWARDED) {
		p->forwarded++;
		agg_via_add(p, &o->via);
	}
	/*
	 * MAC and VLAN as first seen in packet time, whatever the input order
	 * (the bytes themselves break a tie between equal references).
	 */
	if (o->has_mac) {
		c = p->has_mac ? agg_ref_cmp(r, &h->mac_ref) : -1;
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
		c = p->n_vlan > 0 ? agg_ref_cmp(r, &h->vlan_ref) : -1;
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
	const char *sub;

	if (agg_sub_at(ag, &o->server, o->ts_sec, &sub) != ERR_OK ||
	    agg_host_get(ag, &o->server, sub, &si) != ERR_OK)
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
	const char *sub;
	uint32_t cid;

	if (ag == NULL || o == NULL || sig == NULL || o->name == NULL ||
	    (unsigned)o->kind >= OBS_N || (unsigned)sig->cat >= CAT_N ||
	    (o->client.family != 4 && o->client.family != 6)) {
		if (ag != NULL)
			ag->last = 0;
		return ERR_MALFORMED;
	}
	len = strnlen(o->name, o->name_len);
	if ((r.file = agg_file_intern(ag, o->file)) == NULL)
		goto refuse;
	r.frame = o->frame;
	r.ts_sec = o->ts_sec;
	r.ts_nsec = o->ts_nsec;
	/* Hosts made here stay empty on failure; finish skips empty ones. */
	if (agg_sub_at(ag, &o->client, o->ts_sec, &sub) != ERR_OK ||
	    agg_host_get(ag, &o->client, sub, &ci) != ERR_OK)
		goto refuse;
	if (o->kind == OBS_DNS_ANSWER &&
	    (o->server.family == 4 || o->server.family == 6)) {
		if (agg_sub_at(ag, &o->server, o->ts_sec, &sub) != ERR_OK ||
		    agg_host_get(ag, &o->server, sub, &si) != ERR_OK)
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
	if (ag->days && agg_host_day(client, &r) != ERR_OK)
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
	if (ag->leases != NULL && client->pub.subscriber == NULL)
		ag->no_lease++;
	ag->last = ci + 1;
	return ERR_OK;
refuse:
	ag->refused++;
	ag->last = 0;
	return ERR_NOMEM;
}

const struct agg_host *
aggregate_last(const struct aggregate *ag)
{
	return ag != NULL && ag->last > 0 ? &host_at(ag, ag->last - 1)->pub :
	    NULL;
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
	if (sig->cat == CAT_SUCCESSOR)
		return VERDICT_MIGRATED;
	if (sig->cat == CAT_WEB)
		return direct ? VERDICT_BROWSING : VERDICT_INDIRECT;
	if (product && direct && strong)
		return VERDICT_PRODUCT;
	if ((product && (direct || o->kind == OBS_DNS_CORRELATED)) ||
	    (direct && strong))
		return VERDICT_LIKELY;
	return VERDICT_INDIRECT;
}

int
aggregate_blind(struct aggregate *ag, const struct obs *o, enum obs_blind b)
{
	const char *sub;
	size_t ci;

	if (ag == NULL || o == NULL || (unsigned)b >= BLIND_N ||
	    (o->client.family != 4 && o->client.family != 6))
		return ERR_MALFORMED;
	if (agg_sub_at(ag, &o->client, o->ts_sec, &sub) != ERR_OK ||
	    agg_host_get(ag, &o->client, sub, &ci) != ERR_OK) {
		ag->refused++;
		return ERR_NOMEM;
	}
	host_at(ag, ci)->pub.blind[b]++;
	ag->blind_total[b]++;
	return ERR_OK;
}
