/* netmap.c - the networks file: CIDR -> name and contacts (RFC 4632).
 * Owns the prefix table and its longest-prefix lookup. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "conf.h"
#include "err.h"
#include "netmap.h"

#define FILE_MAX	(256u << 20)	/* larger: not a networks file */
#define TOKEN_MAX	1024		/* a name or one contact, unquoted */
#define LINE_MAX_	4096		/* all contacts of a line */

/* Allocated alone: netmap_net pointers stay valid across later loads. */
struct nent {
	struct netmap_net net;
	const char	*label;		/* the file it came from */
	char		 text[];
};

/* One family's networks, longest prefix first, then by address. */
struct pfx {
	uint8_t		 a[16];
	unsigned	 plen;
	uint32_t	 ref;		/* 1 + index into ents */
};

struct lpm {
	struct pfx	*v;
	size_t		 n;
	size_t		 n_runs;
	size_t		 run[130];	/* start of each prefix length's run */
};

/* Set of (family, prefix, length) for duplicate checks; ref as above. */
struct dset {
	uint32_t	*refs;
	size_t		 cap, n;
};

struct netmap {
	struct nent	**ents;
	size_t		 n, cap;
	char		**labels;
	size_t		 n_labels, cap_labels;
	struct dset	 all;
	struct lpm	 v4, v6;
	struct netmap_group *groups;	/* groups_build() */
	char		*group_text;
	size_t		 n_groups;
};

struct load {
	struct nent	**ents;
	size_t		 n, cap;
	struct dset	 seen;
	size_t		 n4, n6;
};

static uint64_t
key_hash(const struct netmap_net *x)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	h = (h ^ x->prefix.family) * 0x100000001b3ULL;
	h = (h ^ x->plen) * 0x100000001b3ULL;
	for (i = 0; i < sizeof(x->prefix.a); i++)
		h = (h ^ x->prefix.a[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

static bool
key_eq(const struct netmap_net *x, const struct netmap_net *y)
{
	return x->plen == y->plen && addr_eq(&x->prefix, &y->prefix);
}

static int
dset_reserve(struct dset *d, struct nent *const *ents, size_t want)
{
	uint32_t *refs;
	size_t cap, i, j;

	if (want < (d->cap / 4) * 3)
		return ERR_OK;
	cap = d->cap ? d->cap : 64;
	while (want >= (cap / 4) * 3)
		cap *= 2;
	if ((refs = calloc(cap, sizeof(*refs))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < d->cap; i++) {
		if (d->refs[i] == 0)
			continue;
		for (j = key_hash(&ents[d->refs[i] - 1]->net) & (cap - 1);
		    refs[j] != 0; j = (j + 1) & (cap - 1))
			;
		refs[j] = d->refs[i];
	}
	free(d->refs);
	d->refs = refs;
	d->cap = cap;
	return ERR_OK;
}

static struct nent *
dset_get(const struct dset *d, struct nent *const *ents,
    const struct netmap_net *k)
{
	size_t j;

	if (d->cap == 0)
		return NULL;
	for (j = key_hash(k) & (d->cap - 1); d->refs[j] != 0;
	    j = (j + 1) & (d->cap - 1))
		if (key_eq(&ents[d->refs[j] - 1]->net, k))
			return ents[d->refs[j] - 1];
	return NULL;
}

/* Never allocates: dset_reserve() made room. */
static void
dset_put(struct dset *d, const struct netmap_net *k, uint32_t ref)
{
	size_t j;

	for (j = key_hash(k) & (d->cap - 1); d->refs[j] != 0;
	    j = (j + 1) & (d->cap - 1))
		;
	d->refs[j] = ref;
	d->n++;
}

static int
pfx_cmp(const void *x, const void *y)
{
	const struct pfx *a = x, *b = y;

	if (a->plen != b->plen)
		return a->plen > b->plen ? -1 : 1;
	return memcmp(a->a, b->a, sizeof(a->a));
}

const struct netmap_net *
netmap_lookup(const struct netmap *nm, const struct addr *addr)
{
	const struct lpm *l;
	struct addr key;
	size_t r, lo, hi, mid;
	int cmp;

	if (nm == NULL || addr == NULL)
		return NULL;
	if (addr->family == 4)
		l = &nm->v4;
	else if (addr->family == 6)
		l = &nm->v6;
	else
		return NULL;
	for (r = 0; r < l->n_runs; r++) {
		addr_mask(&key, addr, l->v[l->run[r]].plen);
		lo = l->run[r];
		hi = l->run[r + 1];
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			cmp = memcmp(l->v[mid].a, key.a, sizeof(key.a));
			if (cmp == 0)
				return &nm->ents[l->v[mid].ref - 1]->net;
			if (cmp < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

size_t
netmap_count(const struct netmap *nm)
{
	return nm != NULL ? nm->n : 0;
}

struct netmap *
netmap_new(void)
{
	return calloc(1, sizeof(struct netmap));
}

void
netmap_free(struct netmap *nm)
{
	size_t i;

	if (nm == NULL)
		return;
	for (i = 0; i < nm->n; i++)
		free(nm->ents[i]);
	free(nm->ents);
	for (i = 0; i < nm->n_labels; i++)
		free(nm->labels[i]);
	free(nm->labels);
	free(nm->all.refs);
	free(nm->v4.v);
	free(nm->v6.v);
	free(nm->groups);
	free(nm->group_text);
	free(nm);
}

/* ---- parsing ---- */

/* conf_cidr() for the networks file: *net and its text into cidr. */
static int
parse_cidr(struct netmap_net *net, char *cidr, const char *s, size_t n,
    const char *label, unsigned line, char *errbuf)
{
	char msg[ERRBUF_LEN], fmt[ADDR_STRLEN];
	unsigned plen;

	if (conf_cidr(&net->prefix, &plen, s, n, msg, sizeof(msg)) != NULL)
		return conf_fail(errbuf, label, line, "%s", msg);
	net->plen = (uint8_t)plen;
	snprintf(cidr, ADDR_STRLEN + 8, "%s/%u", addr_fmt(&net->prefix, fmt),
	    plen);
	return ERR_OK;
}

static int
parse_line(struct netmap *nm, struct load *ld, const char *s, size_t n,
    const char *label, unsigned line, char *errbuf)
{
	struct netmap_net net;
	char cidr[ADDR_STRLEN + 8], qb[80], msg[ERRBUF_LEN];
	char name[TOKEN_MAX], contacts[LINE_MAX_];
	const char *tok;
	size_t pos = 0, tok_len, name_len, cl, ctl = 0, len;
	struct nent *e, *dup, **grown;
	char *t;
	int r, q;

	if ((r = conf_check(s, n, label, line, errbuf)) != ERR_OK)
		return r;
	if (!conf_token(s, n, &pos, &tok, &tok_len))
		return ERR_OK;		/* blank or comment */
	memset(&net, 0, sizeof(net));
	if ((r = parse_cidr(&net, cidr, tok, tok_len, label, line, errbuf)) !=
	    ERR_OK)
		return r;
	if ((q = conf_qtoken(s, n, &pos, name, sizeof(name), &name_len, msg,
	    sizeof(msg))) < 0)
		return conf_fail(errbuf, label, line, "name: %s", msg);
	if (q == 0)
		return conf_fail(errbuf, label, line, "missing name after %s",
		    conf_quote(qb, sizeof(qb), tok, tok_len));
	/* Contacts: the rest of the line, one per token, '\n' between. */
	while ((q = conf_qtoken(s, n, &pos, contacts + ctl + (ctl > 0),
	    sizeof(contacts) - ctl - 1, &len, msg, sizeof(msg))) > 0) {
		if (ctl > 0)
			contacts[ctl++] = '\n';
		ctl += len;
	}
	if (q < 0)
		return conf_fail(errbuf, label, line, "contact: %s", msg);
	contacts[ctl] = '\0';
	if ((dup = dset_get(&ld->seen, ld->ents, &net)) != NULL)
		return conf_fail(errbuf, label, line,
		    "%s: duplicate of line %u", cidr, dup->net.line);
	if ((dup = dset_get(&nm->all, nm->ents, &net)) != NULL)
		return conf_fail(errbuf, label, line, "%s: duplicate of %s:%u",
		    cidr, dup->label, dup->net.line);

	if (ld->n == ld->cap) {
		size_t cap = ld->cap ? ld->cap * 2 : 64;

		if ((grown = realloc(ld->ents, cap * sizeof(*grown))) == NULL)
			goto nomem;
		ld->ents = grown;
		ld->cap = cap;
	}
	if (dset_reserve(&ld->seen, ld->ents, ld->n + 1) != ERR_OK)
		goto nomem;
	cl = strlen(cidr);
	if ((e = calloc(1, sizeof(*e) + cl + name_len + ctl + 3)) == NULL)
		goto nomem;
	e->net = net;
	e->net.line = line;
	t = e->text;
	memcpy(t, cidr, cl);
	e->net.cidr = t;
	t += cl + 1;
	memcpy(t, name, name_len);
	e->net.name = t;
	t += name_len + 1;
	memcpy(t, contacts, ctl);
	e->net.contacts = t;
	ld->ents[ld->n++] = e;
	dset_put(&ld->seen, &e->net, (uint32_t)ld->n);
	if (net.prefix.family == 4)
		ld->n4++;
	else
		ld->n6++;
	return ERR_OK;
nomem:
	if (errbuf != NULL)
		snprintf(errbuf, ERRBUF_LEN, "%s:%u: out of memory", label,
		    line);
	return ERR_NOMEM;
}

/* ---- networks: the lines that share a name ---- */

static uint64_t
str_hash(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

/*
 * A slot of a name -> group or (group, contact) -> seen table.  s[0..len)
 * is borrowed: a contact is followed by the next one, not by a NUL.
 */
struct gslot {
	const char	*s;		/* NULL: empty */
	size_t		 len;
	size_t		 g;		/* the key's group (0 for names) */
	size_t		 val;		/* a name's group */
};

static struct gslot *
gslot_find(struct gslot *tab, size_t cap, const char *s, size_t g,
    uint64_t seed)
{
	size_t i = str_hash(seed ^ g, s) & (cap - 1), len = strlen(s);

	for (; tab[i].s != NULL; i = (i + 1) & (cap - 1))
		if (tab[i].g == g && tab[i].len == len &&
		    memcmp(tab[i].s, s, len) == 0)
			break;
	return &tab[i];
}

/* The groups a load will have, made before anything changes. */
struct groups {
	struct netmap_group *gs;
	char		*text;
	size_t		*gid;		/* per line, old lines then new */
	size_t		 n, ng;
};

/* Line i of the map as it will be: its lines, then the load's. */
static struct netmap_net *
line_at(const struct netmap *nm, const struct load *ld, size_t i)
{
	return i < nm->n ? &nm->ents[i]->net : &ld->ents[i - nm->n]->net;
}

/*
 * Groups every line by name, in the order of first appearance: one pass
 * to find each line's group and size its strings, one to fill them.
 * Nothing in the map changes: groups_apply() does that.
 */
static int
groups_build(const struct netmap *nm, const struct load *ld,
    struct groups *out)
{
	struct netmap_group *gs = NULL;
	struct gslot *names = NULL, *seen = NULL, *sl;
	size_t *gid = NULL, *cidr_len = NULL, *ct_len = NULL;
	size_t cap = 16, ccap = 16, i, ng = 0, total = 0, nc = 0, g;
	size_t n = nm->n + ld->n;
	const char *c, *nl;
	char *text = NULL, *p, one[LINE_MAX_];
	int r = ERR_NOMEM;

	while (cap < 2 * (n + 1))
		cap *= 2;
	for (i = 0; i < n; i++) {
		c = line_at(nm, ld, i)->contacts;
		nc += *c != '\0';
		for (; *c != '\0'; c++)
			nc += *c == '\n';
	}
	while (ccap < 2 * (nc + 1))
		ccap *= 2;
	if ((names = calloc(cap, sizeof(*names))) == NULL ||
	    (seen = calloc(ccap, sizeof(*seen))) == NULL ||
	    (gid = calloc(n + 1, sizeof(*gid))) == NULL ||
	    (cidr_len = calloc(n + 1, sizeof(*cidr_len))) == NULL ||
	    (ct_len = calloc(n + 1, sizeof(*ct_len))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		const struct netmap_net *x = line_at(nm, ld, i);

		sl = gslot_find(names, cap, x->name, 0, 0);
		if (sl->s == NULL) {
			sl->s = x->name;
			sl->len = strlen(x->name);
			sl->val = ng++;
		}
		g = gid[i] = sl->val;
		cidr_len[g] += strlen(x->cidr) + 1;
		ct_len[g] += strlen(x->contacts) + 1;
	}
	for (g = 0; g < ng; g++)
		total += cidr_len[g] + ct_len[g] + 1;
	if ((gs = calloc(ng ? ng : 1, sizeof(*gs))) == NULL ||
	    (text = malloc(total ? total : 1)) == NULL)
		goto out;
	/* Each group's two strings, at fixed offsets: cidrs, then contacts. */
	for (g = 0, p = text; g < ng; g++) {
		gs[g].cidrs = p;
		p[0] = '\0';
		p += cidr_len[g];
		gs[g].contacts = p;
		p[0] = '\0';
		p += ct_len[g] + 1;
		cidr_len[g] = ct_len[g] = 0;	/* now: bytes used */
	}
	for (i = 0; i < n; i++) {
		const struct netmap_net *x = line_at(nm, ld, i);
		char *cd = (char *)gs[gid[i]].cidrs;
		char *ct = (char *)gs[gid[i]].contacts;
		size_t *cu = &cidr_len[gid[i]], *tu = &ct_len[gid[i]], l;

		g = gid[i];
		if (gs[g].name == NULL) {
			gs[g].name = x->name;
			gs[g].first = x;
		}
		gs[g].n_prefixes++;
		l = strlen(x->cidr);
		if (*cu > 0)
			cd[(*cu)++] = ' ';
		memcpy(cd + *cu, x->cidr, l + 1);
		*cu += l;
		for (c = x->contacts; *c != '\0'; c = *nl ? nl + 1 : nl) {
			if ((nl = strchr(c, '\n')) == NULL)
				nl = c + strlen(c);
			l = (size_t)(nl - c);
			memcpy(one, c, l);
			one[l] = '\0';
			sl = gslot_find(seen, ccap, one, g, 1);
			if (sl->s != NULL)
				continue;
			if (*tu > 0)
				ct[(*tu)++] = '\n';
			memcpy(ct + *tu, one, l + 1);
			sl->s = ct + *tu;
			sl->len = l;
			sl->g = g;
			*tu += l;
		}
	}
	out->gs = gs;
	out->text = text;
	out->gid = gid;
	out->n = n;
	out->ng = ng;
	gs = NULL;
	text = NULL;
	gid = NULL;
	r = ERR_OK;
out:
	free(gs);
	free(text);
	free(names);
	free(seen);
	free(gid);
	free(cidr_len);
	free(ct_len);
	return r;
}

/* Cannot fail: the map's lines point at their new groups. */
static void
groups_apply(struct netmap *nm, struct groups *gr)
{
	size_t i;

	for (i = 0; i < gr->n && i < nm->n; i++)
		nm->ents[i]->net.group = &gr->gs[gr->gid[i]];
	free(nm->groups);
	free(nm->group_text);
	nm->groups = gr->gs;
	nm->group_text = gr->text;
	nm->n_groups = gr->ng;
	free(gr->gid);
	memset(gr, 0, sizeof(*gr));
}

size_t
netmap_n_groups(const struct netmap *nm)
{
	return nm != NULL ? nm->n_groups : 0;
}

static void
lpm_runs(struct lpm *l)
{
	size_t i;

	l->n_runs = 0;
	for (i = 0; i < l->n; i++)
		if (i == 0 || l->v[i].plen != l->v[i - 1].plen)
			l->run[l->n_runs++] = i;
	l->run[l->n_runs] = l->n;
}

static struct pfx *
lpm_grow(const struct lpm *l, size_t extra)
{
	struct pfx *v;

	if ((v = calloc(l->n + extra + 1, sizeof(*v))) == NULL)
		return NULL;
	if (l->n > 0)
		memcpy(v, l->v, l->n * sizeof(*v));
	return v;
}

/* Every allocation first, then changes that cannot fail. */
static int
commit(struct netmap *nm, struct load *ld, const char *label)
{
	struct pfx *v4 = NULL, *v6 = NULL;
	struct nent **ents, *e;
	struct lpm *l;
	struct groups gr;
	char **labels, *copy = NULL;
	size_t i, total = nm->n + ld->n;

	if (total >= UINT32_MAX)
		return ERR_NOMEM;
	memset(&gr, 0, sizeof(gr));
	if (total > nm->cap) {
		if ((ents = realloc(nm->ents, total * sizeof(*ents))) == NULL)
			return ERR_NOMEM;
		nm->ents = ents;
		nm->cap = total;
	}
	if (nm->n_labels == nm->cap_labels) {
		size_t cap = nm->cap_labels ? nm->cap_labels * 2 : 4;

		if ((labels = realloc(nm->labels, cap * sizeof(*labels))) ==
		    NULL)
			return ERR_NOMEM;
		nm->labels = labels;
		nm->cap_labels = cap;
	}
	/* dset_reserve rehashes through nm->ents: the new entries not yet. */
	if (dset_reserve(&nm->all, nm->ents, total) != ERR_OK)
		return ERR_NOMEM;
	if (groups_build(nm, ld, &gr) != ERR_OK ||
	    (copy = strdup(label)) == NULL ||
	    (ld->n4 > 0 && (v4 = lpm_grow(&nm->v4, ld->n4)) == NULL) ||
	    (ld->n6 > 0 && (v6 = lpm_grow(&nm->v6, ld->n6)) == NULL)) {
		free(copy);
		free(v4);
		free(gr.gs);
		free(gr.text);
		free(gr.gid);
		return ERR_NOMEM;
	}

	nm->labels[nm->n_labels++] = copy;
	if (v4 != NULL) {
		free(nm->v4.v);
		nm->v4.v = v4;
	}
	if (v6 != NULL) {
		free(nm->v6.v);
		nm->v6.v = v6;
	}
	for (i = 0; i < ld->n; i++) {
		e = ld->ents[i];
		ld->ents[i] = NULL;
		e->label = copy;
		nm->ents[nm->n++] = e;
		dset_put(&nm->all, &e->net, (uint32_t)nm->n);
		l = e->net.prefix.family == 4 ? &nm->v4 : &nm->v6;
		memcpy(l->v[l->n].a, e->net.prefix.a, sizeof(l->v[l->n].a));
		l->v[l->n].plen = e->net.plen;
		l->v[l->n].ref = (uint32_t)nm->n;
		l->n++;
	}
	if (nm->v4.n > 0)
		qsort(nm->v4.v, nm->v4.n, sizeof(*nm->v4.v), pfx_cmp);
	if (nm->v6.n > 0)
		qsort(nm->v6.v, nm->v6.n, sizeof(*nm->v6.v), pfx_cmp);
	lpm_runs(&nm->v4);
	lpm_runs(&nm->v6);
	groups_apply(nm, &gr);
	ld->n = 0;
	return ERR_OK;
}

int
netmap_load_buf(struct netmap *nm, const char *buf, size_t len,
    const char *label, char *errbuf)
{
	struct load ld;
	struct conf_lines cl;
	const char *line;
	size_t n, i;
	int r = ERR_OK;

	if (label == NULL)
		label = "-";
	if (nm == NULL || (buf == NULL && len > 0)) {
		if (errbuf != NULL)
			snprintf(errbuf, ERRBUF_LEN, "%s: no map or buffer",
			    label);
		return ERR_MALFORMED;
	}
	memset(&ld, 0, sizeof(ld));
	conf_lines_init(&cl, buf, len);
	while (conf_line(&cl, &line, &n)) {
		if ((r = parse_line(nm, &ld, line, n, label, cl.line,
		    errbuf)) != ERR_OK)
			goto out;
	}
	if ((r = commit(nm, &ld, label)) != ERR_OK && errbuf != NULL)
		snprintf(errbuf, ERRBUF_LEN, "%s: out of memory", label);
out:
	for (i = 0; i < ld.n; i++)
		free(ld.ents[i]);
	free(ld.ents);
	free(ld.seen.refs);
	return r;
}

int
netmap_load_file(struct netmap *nm, const char *path, char *errbuf)
{
	char *buf;
	size_t len;
	int r;

	if ((r = conf_read_file(path, FILE_MAX, &buf, &len, errbuf)) == ERR_OK)
		r = netmap_load_buf(nm, buf, len, path, errbuf);
	free(buf);
	return r;
}
