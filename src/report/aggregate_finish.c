/* aggregate_finish.c - what the writers read: verdicts, resolvers, blind
 * spots and offenders grouped into networks (aggregate_finish()). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate_int.h"
#include "leases.h"

void
agg_finish_reset(struct aggregate *ag)
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

static int
name_cmp(const void *x, const void *y)
{
	const struct agg_name *a = x, *b = y;

	return strcmp(a->name, b->name);
}

/* Hosts of no subscriber before those of one, then by subscriber. */
static int
sub_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
hostp_cmp(const void *x, const void *y)
{
	const struct agg_host *const *a = x, *const *b = y;
	int c;

	if ((c = addr_cmp(&(*a)->addr, &(*b)->addr)) != 0)
		return c;
	return sub_cmp((*a)->subscriber, (*b)->subscriber);
}

/*
 * Where an offender goes: a listed network (all the lines with its name)
 * or its prefix.  A listed network sorts by its first line's prefix.
 */
struct gkey {
	struct agg_host			*h;
	const char			*sub;	/* --group-by subscriber */
	const struct netmap_group	*ng;	/* NULL: not listed */
	struct addr			 prefix;
	unsigned			 plen;
};

static int
gkey_cmp(const void *x, const void *y)
{
	const struct gkey *a = x, *b = y;
	int c;

	/* Subscribers first, by name; then listed networks, prefixes. */
	if ((a->sub != NULL) != (b->sub != NULL))
		return a->sub != NULL ? -1 : 1;
	if (a->sub != NULL && a->sub != b->sub)
		return strcmp(a->sub, b->sub);
	if ((a->ng != NULL) != (b->ng != NULL))
		return a->ng != NULL ? -1 : 1;
	if ((c = addr_cmp(&a->prefix, &b->prefix)) != 0)
		return c;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	/* Within a network: the strongest verdicts first, then address. */
	if (a->h->verdict != b->h->verdict)
		return a->h->verdict < b->h->verdict ? -1 : 1;
	if ((c = addr_cmp(&a->h->addr, &b->h->addr)) != 0)
		return c;
	return sub_cmp(a->h->subscriber, b->h->subscriber);
}

static bool
gkey_same_net(const struct gkey *a, const struct gkey *b)
{
	if (a->sub != NULL || b->sub != NULL)
		return a->sub == b->sub;
	if (a->ng != NULL || b->ng != NULL)
		return a->ng == b->ng;
	return addr_eq(&a->prefix, &b->prefix) && a->plen == b->plen;
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

/*
 * A subscriber's prefixes: its hosts' addresses, each as a CIDR of one
 * address, in address order (keys[0..n) are its keys).  NULL: no memory.
 */
static char *
sub_cidrs(const struct gkey *keys, size_t n)
{
	char buf[ADDR_STRLEN], *s, *p;
	const struct agg_host **v;
	size_t i;

	if ((v = calloc(n, sizeof(*v))) == NULL ||
	    (s = malloc(n * (ADDR_STRLEN + 5) + 1)) == NULL) {
		free(v);
		return NULL;
	}
	for (i = 0; i < n; i++)
		v[i] = keys[i].h;
	qsort(v, n, sizeof(*v), hostp_cmp);
	for (i = 0, p = s, *s = '\0'; i < n; i++)
		p += sprintf(p, "%s%s/%u", i > 0 ? " " : "",
		    addr_fmt(&v[i]->addr, buf), v[i]->addr.family == 4 ? 32 :
		    128);
	free(v);
	return s;
}

/* Fills net from its first key; the strings go into one owned block. */
static int
net_make(struct agg_net *net, char **blk, const struct gkey *k,
    const struct aggregate *ag, size_t n_keys)
{
	char cidr[ADDR_STRLEN + 8], buf[ADDR_STRLEN], *subc = NULL;
	const struct lease_sub *ls;
	const char *name, *contacts, *cidrs;
	size_t nl, cl, tl;
	char *p;

	memset(net, 0, sizeof(*net));
	if (k->sub != NULL) {
		if ((subc = sub_cidrs(k, n_keys)) == NULL)
			return ERR_NOMEM;
		name = k->sub;
		ls = leases_sub(ag->group_leases, k->sub);
		contacts = ls != NULL ? ls->contact : "";
		cidrs = subc;
	} else if (k->ng != NULL) {
		name = k->ng->name;
		contacts = k->ng->contacts;
		cidrs = k->ng->cidrs;
	} else {
		snprintf(cidr, sizeof(cidr), "%s/%u", addr_fmt(&k->prefix, buf),
		    k->plen);
		name = cidrs = cidr;
		contacts = "";
	}
	nl = strlen(name);
	cl = strlen(contacts);
	tl = strlen(cidrs);
	if ((p = malloc(nl + cl + tl + 3)) == NULL) {
		free(subc);
		return ERR_NOMEM;
	}
	*blk = p;
	memcpy(p, name, nl + 1);
	net->name = p;
	p += nl + 1;
	memcpy(p, contacts, cl + 1);
	net->contacts = p;
	p += cl + 1;
	memcpy(p, cidrs, tl + 1);
	net->cidr = p;
	net->listed = k->ng != NULL || k->sub != NULL;
	free(subc);
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
	const struct netmap_net *nn;
	struct host *h;
	struct agg_host *p;
	size_t i, j, k, n_off = 0, n_res = 0, n_blind = 0, n_nets;
	int r = ERR_NOMEM;

	if (ag == NULL)
		return ERR_MALFORMED;
	agg_finish_reset(ag);
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
			agg_nidx_fill(h->nidx, h->nidx_cap, h);
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
		keys[k].sub = ag->by_sub ? p->subscriber : NULL;
		nn = nm != NULL ? netmap_lookup(nm, &p->addr) : NULL;
		keys[k].ng = nn != NULL ? nn->group : NULL;
		if (keys[k].ng != NULL) {
			keys[k].prefix = keys[k].ng->first->prefix;
			keys[k].plen = keys[k].ng->first->plen;
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
		for (j = i + 1; j < n_off && gkey_same_net(&keys[i], &keys[j]);
		    j++)
			;
		if (net_make(&ag->nets[ag->n_nets], &ag->net_strs[ag->n_nets],
		    &keys[i], ag, j - i) != ERR_OK)
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
		agg_finish_reset(ag);
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

bool
agg_host_migrated(const struct agg_host *h)
{
	return h->by_cat[CAT_SUCCESSOR] > 0;
}

const char *
verdict_name(enum verdict v)
{
	static const char *const names[VERDICT_N] = {
		"product-active", "product-likely", "browsing-only",
		"indirect", "migrated",
	};

	return (unsigned)v < VERDICT_N ? names[v] : "?";
}
