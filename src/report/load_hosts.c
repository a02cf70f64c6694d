/* load_hosts.c - the hosts of a report read back: offenders, DNS servers,
 * blind-spot hosts, with their names, REFs, MACs and VLANs checked. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dns.h"
#include "leases.h"
#include "load_int.h"

#define NAME_MAX_LEN	(DNS_NAME_LEN - 1)	/* as every parser keeps */
#define VLAN_MAX	4095
/*
 * REFs may name files that are not among the inputs (a live daemon's state
 * keeps hosts from interfaces it no longer listens on); each distinct name
 * costs the aggregate a linear search, so a report may have so many.
 */
#define MORE_FILES	4096

static const char *
cat_i(size_t i)
{
	return match_cat_name((enum match_cat)i);
}

static const char *
kind_i(size_t i)
{
	return obs_kind_name((enum obs_kind)i);
}

static const char *
tier_i(size_t i)
{
	return verdict_name((enum verdict)i);
}

static const char *
blind_i(size_t i)
{
	return obs_blind_name((enum obs_blind)i);
}

/* ---- references, MACs, patterns ------------------------------------- */

/* A file a REF names that is not an input: *hit in fr->more. */
static int
more_file(struct lctx *c, const char *file, const char ***hit)
{
	struct freport *fr = c->fr;
	size_t lo = 0, hi = fr->n_more, mid;
	const char **v;
	int k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((k = strcmp(file, fr->more[mid])) == 0) {
			*hit = &fr->more[mid];
			return ERR_OK;
		}
		if (k < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (fr->n_more == MORE_FILES)
		return load_fail(c, "file", "more than %d files not among the "
		    "inputs", MORE_FILES);
	if (fr->n_more % 64 == 0) {
		if ((v = realloc(fr->more, (fr->n_more + 64) *
		    sizeof(*v))) == NULL)
			return load_fail_nomem(c);
		fr->more = v;
	}
	/* Records read one at a time (load_stream.c) outlive their tree. */
	if (fr->more_owned && (file = strdup(file)) == NULL)
		return load_fail_nomem(c);
	memmove(fr->more + lo + 1, fr->more + lo, (fr->n_more - lo) *
	    sizeof(*fr->more));
	fr->more[lo] = file;
	fr->n_more++;
	*hit = &fr->more[lo];
	return ERR_OK;
}

/* A REF: file, frame, time. */
static int
get_ref(struct lctx *c, json_t *o, const char *key, unsigned fl,
    struct agg_ref *out, bool *present)
{
	const char *file, *t, **hit;
	char buf[64];
	json_t *obj;
	size_t mark;
	int r;

	memset(out, 0, sizeof(*out));
	*present = false;
	if ((r = load_get_typed(c, o, key, fl, false, &obj)) != ERR_OK ||
	    obj == NULL)
		return r;
	mark = load_push(c, ".%s", key);
	if ((r = load_get_str(c, obj, "file", 0, LOAD_STR_MAX, &file)) !=
	    ERR_OK ||
	    (r = load_get_u64(c, obj, "frame", 0, &out->frame)) != ERR_OK ||
	    (r = load_get_str(c, obj, "time", 0, 64, &t)) != ERR_OK)
		goto out;
	if (!load_parse_time(t, &out->ts_sec, &out->ts_nsec)) {
		r = load_fail(c, "time", "not a time: %s", load_safe(buf,
		    sizeof(buf), t));
		goto out;
	}
	if ((hit = bsearch(&file, c->fr->paths, c->fr->n_inputs,
	    sizeof(*c->fr->paths), load_path_cmp)) == NULL &&
	    (r = more_file(c, file, &hit)) != ERR_OK)
		goto out;
	/* One pointer per name: the aggregate's cache keys on it. */
	out->file = *hit;
	*present = true;
out:
	load_pop(c, mark);
	return r;
}

static bool
hexbyte(const char *s, uint8_t *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 2; i++) {
		v <<= 4;
		if (s[i] >= '0' && s[i] <= '9')
			v |= (unsigned)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			v |= (unsigned)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			v |= (unsigned)(s[i] - 'A' + 10);
		else
			return false;
	}
	*out = (uint8_t)v;
	return true;
}

static bool
parse_mac(const char *s, uint8_t *mac)
{
	int i;

	if (strlen(s) != 17)
		return false;
	for (i = 0; i < 6; i++)
		if (!hexbyte(s + 3 * i, &mac[i]) || (i < 5 && s[3 * i + 2] !=
		    ':'))
			return false;
	return true;
}

/* The kind a pattern has in a signature file (signatures/README.md). */
static enum match_kind
pattern_kind(const char *p)
{
	if (p[0] == '=')
		return MK_EXACT;
	if (strcmp(p, ".") == 0)
		return MK_ALL;
	if (strchr(p, ':') != NULL || strchr(p, '/') != NULL ||
	    strspn(p, "0123456789.") == strlen(p))
		return MK_CIDR;
	if (strchr(p, '*') != NULL)
		return MK_WILDCARD;
	return MK_SUFFIX;
}

/* ---- hosts ----------------------------------------------------------- */

static int
get_name(struct lctx *c, json_t *o, struct agg_name *n, struct match_sig *s)
{
	const char *cat, *conf, *src;
	char buf[64];
	json_t *kinds, *k;
	bool present;
	size_t i, j;
	int r;

	if (!json_is_object(o))
		return load_fail(c, NULL, "not an object");
	if ((r = load_get_str(c, o, "name", 0, NAME_MAX_LEN, (const char **)
	    &n->name)) != ERR_OK ||
	    (r = load_get_str(c, o, "category", 0, 64, &cat)) != ERR_OK ||
	    (r = load_get_str(c, o, "pattern", 0, LOAD_STR_MAX, &s->pattern)) !=
	    ERR_OK ||
	    (r = load_get_str(c, o, "confidence", LOAD_NUL, 1, &conf)) !=
	    ERR_OK ||
	    (r = load_get_str(c, o, "source", LOAD_NUL, LOAD_STR_MAX, &src)) !=
	    ERR_OK ||
	    (r = load_get_str(c, o, "set", 0, LOAD_STR_MAX, &s->set)) !=
	    ERR_OK ||
	    (r = load_get_u64(c, o, "count", 0, &n->count)) != ERR_OK ||
	    (r = load_get_typed(c, o, "kinds", 0, true, &kinds)) != ERR_OK ||
	    (r = get_ref(c, o, "first", 0, &n->first, &present)) != ERR_OK ||
	    (r = get_ref(c, o, "last", 0, &n->last, &present)) != ERR_OK)
		return r;
	for (i = 0; i < CAT_N && strcmp(cat, cat_i(i)) != 0; i++)
		;
	if (i == CAT_N)
		return load_fail(c, "category", "unknown category %s",
		    load_safe(buf, sizeof(buf), cat));
	s->cat = (enum match_cat)i;
	if (conf != NULL && (conf[0] < 'A' || conf[0] > 'C' || conf[1] != 0))
		return load_fail(c, "confidence", "not A, B, C or null");
	s->confidence = conf != NULL ? conf[0] : '-';
	s->source = src != NULL ? src : "";
	s->note = "";
	s->kind = pattern_kind(s->pattern);
	n->sig = s;
	if (n->count == 0)
		return load_fail(c, "count", "0");
	/* Kinds this version does not know are left out. */
	json_array_foreach(kinds, i, k) {
		if (!json_is_string(k))
			return load_fail(c, "kinds", "[%zu] not a string", i);
		for (j = 0; j < OBS_N; j++)
			if (strcmp(json_string_value(k), kind_i(j)) == 0)
				n->kinds |= 1u << j;
	}
	return ERR_OK;
}

static int
namep_cmp(const void *x, const void *y)
{
	const struct agg_name *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

static int
get_names(struct lctx *c, json_t *arr, struct agg_host *h)
{
	struct agg_name *names, **v = NULL;
	struct match_sig *sigs;
	size_t n = json_array_size(arr), i, mark;
	char buf[64];
	int r = ERR_OK;

	if (n == 0)
		return ERR_OK;
	if (n > SIZE_MAX / (sizeof(*names) + sizeof(*sigs)) ||
	    (names = calloc(n, sizeof(*names) + sizeof(*sigs))) == NULL)
		return load_fail_nomem(c);
	/* One block: names[n], then their signatures. */
	sigs = (struct match_sig *)(void *)(names + n);
	h->names = names;
	h->n_names = n;
	for (i = 0; i < n && r == ERR_OK; i++) {
		mark = load_push(c, ".names[%zu]", i);
		r = get_name(c, json_array_get(arr, i), &names[i], &sigs[i]);
		load_pop(c, mark);
	}
	if (r != ERR_OK || n < 2)
		return r;
	if ((v = malloc(n * sizeof(*v))) == NULL)
		return load_fail_nomem(c);
	for (i = 0; i < n; i++)
		v[i] = &names[i];
	qsort(v, n, sizeof(*v), namep_cmp);
	for (i = 1; i < n && r == ERR_OK; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			r = load_fail(c, "names", "%s given twice",
			    load_safe(buf, sizeof(buf), v[i]->name));
	free(v);
	return r;
}

static int
get_vlan(struct lctx *c, json_t *o, struct agg_host *h)
{
	uint64_t v;
	json_t *arr, *e;
	size_t i;
	int r;

	if ((r = load_get_u64(c, o, "vlan", LOAD_NUL, &v)) != ERR_OK)
		return r;
	if (json_is_null(json_object_get(o, "vlan")))
		return ERR_OK;
	if (v > VLAN_MAX)
		return load_fail(c, "vlan", "over %d", VLAN_MAX);
	h->n_vlan = 1;
	h->vlan[0] = (uint16_t)v;
	/* "vlans" only with two or three tags; the first is "vlan". */
	if ((r = load_get_typed(c, o, "vlans", LOAD_OPT, true, &arr)) !=
	    ERR_OK || arr == NULL)
		return r;
	if (json_array_size(arr) < 2 || json_array_size(arr) > 3)
		return load_fail(c, "vlans", "not 2 or 3 tags");
	json_array_foreach(arr, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) > VLAN_MAX)
			return load_fail(c, "vlans", "[%zu] not a VLAN tag", i);
		h->vlan[i] = (uint16_t)json_integer_value(e);
	}
	if (h->vlan[0] != v)
		return load_fail(c, "vlans", "[0] is not vlan");
	h->n_vlan = (uint8_t)json_array_size(arr);
	return ERR_OK;
}

/* "forwarded" and "via" (optional, together): proxies that named it. */
static int
get_via(struct lctx *c, json_t *o, struct agg_host *h)
{
	json_t *arr, *e;
	struct addr a;
	char buf[64];
	size_t i;
	int r;

	if ((r = load_get_u64(c, o, "forwarded", LOAD_OPT, &h->forwarded)) !=
	    ERR_OK ||
	    (r = load_get_typed(c, o, "via", LOAD_OPT, true, &arr)) != ERR_OK)
		return r;
	if ((arr != NULL) != (h->forwarded > 0))
		return load_fail(c, "via", "goes with forwarded > 0");
	if (arr == NULL)
		return ERR_OK;
	if (json_array_size(arr) > AGG_VIA_MAX || (json_array_size(arr) ==
	    0) != (h->forwarded == 0))
		return load_fail(c, "via", "1 to %d proxies", AGG_VIA_MAX);
	for (i = 0; i < json_array_size(arr); i++) {
		e = json_array_get(arr, i);
		if (!json_is_string(e) || !addr_parse(&a, json_string_value(e)))
			return load_fail(c, "via", "[%zu] not an address: %s",
			    i, json_is_string(e) ? load_safe(buf, sizeof(buf),
			    json_string_value(e)) : "(not a string)");
		agg_via_add(h, &a);
	}
	if (h->n_via != json_array_size(arr))
		return load_fail(c, "via", "an address given twice");
	return ERR_OK;
}

/*
 * names_seen (absent before machine names): the newest HNAME_MAX kept, a
 * source or type this version does not know left out.
 */
static int
get_hnames(struct lctx *c, json_t *o, struct agg_host *h)
{
	const char *name, *src, *type, *t;
	char buf[64];
	json_t *arr, *e;
	struct hname hn;
	size_t i, mark;
	int r = ERR_OK, s, ty;

	if ((r = load_get_typed(c, o, "names_seen", LOAD_OPT, true, &arr)) !=
	    ERR_OK || arr == NULL || json_array_size(arr) == 0)
		return r;
	if ((h->hnames = calloc(HNAME_MAX, sizeof(*h->hnames))) == NULL)
		return load_fail_nomem(c);
	json_array_foreach(arr, i, e) {
		mark = load_push(c, ".names_seen[%zu]", i);
		if (!json_is_object(e))
			r = load_fail(c, NULL, "not an object");
		else if ((r = load_get_str(c, e, "name", 0, LOAD_STR_MAX,
		    &name)) == ERR_OK &&
		    (r = load_get_str(c, e, "source", 0, 64, &src)) ==
		    ERR_OK &&
		    (r = load_get_str(c, e, "type", 0, 64, &type)) == ERR_OK &&
		    (r = load_get_str(c, e, "last_seen", 0, 64, &t)) ==
		    ERR_OK) {
			memset(&hn, 0, sizeof(hn));
			if (!load_parse_time(t, &hn.last_sec, &(uint32_t){0}))
				r = load_fail(c, "last_seen", "not a time: %s",
				    load_safe(buf, sizeof(buf), t));
			else if ((s = hname_src_parse(src)) >= 0 &&
			    (ty = hname_type_parse(type)) >= 0 &&
			    hname_set_text(&hn, name, strlen(name))) {
				hn.src = (uint8_t)s;
				hn.type = (uint8_t)ty;
				(void)hname_put(h->hnames, &h->n_hnames, &hn);
			}
		}
		load_pop(c, mark);
		if (r != ERR_OK)
			return r;
	}
	return ERR_OK;
}

/*
 * days and days_dropped (absent where no history was kept): UTC days oldest
 * first, each one's first and last contact on that day, at most
 * AGG_DAYS_MAX of them.
 */
static int
get_days(struct lctx *c, json_t *o, struct agg_host *h)
{
	const char *date, *f, *l;
	char buf[64], want[32];
	struct agg_day d;
	json_t *arr, *e;
	size_t i, mark, cap = 0;
	int r = ERR_OK;

	if ((r = load_get_typed(c, o, "days", LOAD_OPT, true, &arr)) !=
	    ERR_OK || (r = load_get_u64(c, o, "days_dropped",
	    arr == NULL ? LOAD_OPT : 0, &h->days_dropped)) != ERR_OK ||
	    arr == NULL)
		return r;
	if (json_array_size(arr) > AGG_DAYS_MAX)
		return load_fail(c, "days", "%zu days, more than %d",
		    json_array_size(arr), AGG_DAYS_MAX);
	json_array_foreach(arr, i, e) {
		mark = load_push(c, ".days[%zu]", i);
		memset(&d, 0, sizeof(d));
		if (!json_is_object(e))
			r = load_fail(c, NULL, "not an object");
		else if ((r = load_get_str(c, e, "date", 0, 32, &date)) ==
		    ERR_OK &&
		    (r = load_get_str(c, e, "first", 0, 64, &f)) == ERR_OK &&
		    (r = load_get_str(c, e, "last", 0, 64, &l)) == ERR_OK &&
		    (r = load_get_u64(c, e, "observations", 0, &d.n_obs)) ==
		    ERR_OK) {
			if (!load_parse_time(f, &d.first_sec, &d.first_nsec))
				r = load_fail(c, "first", "not a time: %s",
				    load_safe(buf, sizeof(buf), f));
			else if (!load_parse_time(l, &d.last_sec,
			    &d.last_nsec))
				r = load_fail(c, "last", "not a time: %s",
				    load_safe(buf, sizeof(buf), l));
			else if (d.first_sec > d.last_sec ||
			    (d.first_sec == d.last_sec &&
			    d.first_nsec > d.last_nsec))
				r = load_fail(c, "last", "before first");
			else if ((d.day = agg_day_of(d.first_sec)) !=
			    agg_day_of(d.last_sec))
				r = load_fail(c, "last", "not on the day of "
				    "first");
			else if (agg_day_format(d.day, want, sizeof(want)),
			    strcmp(date, want) != 0)
				r = load_fail(c, "date", "%s, but first is on "
				    "%s", load_safe(buf, sizeof(buf), date),
				    want);
			else if (d.n_obs == 0)
				r = load_fail(c, "observations", "0");
			else if (h->n_days > 0 &&
			    h->days[h->n_days - 1].day >= d.day)
				r = load_fail(c, "date", "not after the day "
				    "before");
			else if (agg_days_add(&h->days, &h->n_days, &cap,
			    &(uint64_t){0}, &d) != ERR_OK)
				r = load_fail_nomem(c);
		}
		load_pop(c, mark);
		if (r != ERR_OK)
			return r;
	}
	return ERR_OK;
}

static int
get_host(struct lctx *c, json_t *o, enum hlist list, struct agg_host *h)
{
	const char *addr, *mac;
	char buf[64];
	json_t *names;
	uint64_t v;
	bool first, last;
	int r;

	memset(h, 0, sizeof(*h));
	if (!json_is_object(o))
		return load_fail(c, NULL, "not an object");
	if ((r = load_get_str(c, o, "address", 0, 64, &addr)) != ERR_OK)
		return r;
	if (!addr_parse(&h->addr, addr))
		return load_fail(c, "address", "not an address: %s",
		    load_safe(buf, sizeof(buf), addr));
	if ((r = load_get_str(c, o, "mac", LOAD_NUL, 17, &mac)) != ERR_OK)
		return r;
	if (mac != NULL && !parse_mac(mac, h->mac))
		return load_fail(c, "mac", "not a MAC: %s", load_safe(buf,
		    sizeof(buf), mac));
	h->has_mac = mac != NULL;
	if ((r = load_get_u64(c, o, "macs_seen", 0, &v)) != ERR_OK)
		return r;
	if (v > 8 || (v > 0) != h->has_mac)
		return load_fail(c, "macs_seen", "does not go with mac");
	h->n_macs = (unsigned)v;
	if ((r = get_vlan(c, o, h)) != ERR_OK ||
	    (r = load_get_u64(c, o, "observations", 0, &h->n_obs)) != ERR_OK)
		return r;
	/* --leases: who held the address (absent: nobody, or no leases). */
	if ((r = load_get_str(c, o, "subscriber", LOAD_OPT, LEASES_SUB_MAX,
	    &h->subscriber)) != ERR_OK)
		return r;
	if (h->subscriber != NULL && *h->subscriber == '\0')
		return load_fail(c, "subscriber", "empty");
	if (list == L_OFFENDER && h->n_obs == 0)
		return load_fail(c, "observations", "0 for an offender");
	if ((r = get_ref(c, o, "first_seen", LOAD_NUL, &h->first, &first)) !=
	    ERR_OK ||
	    (r = get_ref(c, o, "last_seen", LOAD_NUL, &h->last, &last)) !=
	    ERR_OK)
		return r;
	if (first != (h->n_obs > 0) || last != (h->n_obs > 0))
		return load_fail(c, first != (h->n_obs > 0) ? "first_seen" :
		    "last_seen", h->n_obs > 0 ? "null with observations" :
		    "given without observations");
	if ((r = load_get_counts(c, o, "categories", 0, h->by_cat, CAT_N,
	    cat_i)) != ERR_OK ||
	    (r = load_get_counts(c, o, "kinds", 0, h->by_kind, OBS_N,
	    kind_i)) != ERR_OK ||
	    (r = load_get_counts(c, o, "tiers", 0, h->by_tier, VERDICT_N,
	    tier_i)) != ERR_OK ||
	    (r = load_get_counts(c, o, "blind", LOAD_OPT, h->blind, BLIND_N,
	    blind_i)) != ERR_OK ||
	    (r = load_get_u64(c, o, "names_dropped", 0, &h->names_dropped)) !=
	    ERR_OK ||
	    (r = load_get_u64(c, o, "ksc_agents", LOAD_OPT, &v)) != ERR_OK)
		return r;
	h->ksc_agents = (size_t)v;
	if ((r = get_via(c, o, h)) != ERR_OK)
		return r;
	if (list == L_RESOLVER) {
		if ((r = load_get_u64(c, o, "answered", 0, &h->answered)) !=
		    ERR_OK ||
		    (r = load_get_u64(c, o, "answered_hosts", 0, &v)) !=
		    ERR_OK)
			return r;
		if (h->answered == 0)
			return load_fail(c, "answered", "0 for a resolver");
		h->answered_hosts = (size_t)v;
	}
	if ((r = load_get_typed(c, o, "names", 0, true, &names)) != ERR_OK ||
	    (r = get_names(c, names, h)) != ERR_OK)
		return r;
	if ((r = get_hnames(c, o, h)) != ERR_OK)
		return r;
	return get_days(c, o, h);
}

int
load_add_host(struct lctx *c, json_t *o, enum hlist list, const struct where *w)
{
	struct freport *fr = c->fr;
	struct agg_host *v;
	struct where *wv;
	size_t cap, mark;
	int r;

	if (fr->n_recs == fr->recs_cap) {
		cap = fr->recs_cap ? fr->recs_cap * 2 : 16;
		if ((v = realloc(fr->recs, cap * sizeof(*v))) == NULL)
			return load_fail_nomem(c);
		fr->recs = v;
		if ((wv = realloc(fr->where, cap * sizeof(*wv))) == NULL)
			return load_fail_nomem(c);
		fr->where = wv;
		fr->recs_cap = cap;
	}
	if (w->nested)
		mark = load_push(c, "%s[%zu].hosts[%zu]", w->list, w->i, w->j);
	else
		mark = load_push(c, "%s[%zu]", w->list, w->i);
	/* Counted first, so that its names are freed whatever happens. */
	r = get_host(c, o, list, &fr->recs[fr->n_recs]);
	fr->where[fr->n_recs++] = *w;
	load_pop(c, mark);
	return r;
}

static int
get_host_list(struct lctx *c, json_t *arr, enum hlist list, const char *key)
{
	struct where w = { key, 0, 0, false };
	json_t *h;
	size_t i;
	int r = ERR_OK;

	json_array_foreach(arr, i, h) {
		w.i = i;
		if ((r = load_add_host(c, h, list, &w)) != ERR_OK)
			break;
	}
	return r;
}

int
load_get_hosts(struct lctx *c, json_t *root)
{
	struct where w = { "networks", 0, 0, true };
	json_t *nets, *net, *hosts, *h, *res, *bs, *bh;
	size_t i, j, mark;
	int r;

	if ((r = load_get_typed(c, root, "networks", 0, true, &nets)) !=
	    ERR_OK ||
	    (r = load_get_typed(c, root, "resolvers", 0, true, &res)) !=
	    ERR_OK ||
	    (r = load_get_typed(c, root, "blind_spots", LOAD_OPT | LOAD_NUL,
	    false, &bs)) != ERR_OK)
		return r;
	/* The networks are regrouped: only their hosts are read. */
	json_array_foreach(nets, i, net) {
		mark = load_push(c, "networks[%zu]", i);
		if (!json_is_object(net))
			r = load_fail(c, NULL, "not an object");
		else
			r = load_get_typed(c, net, "hosts", 0, true, &hosts);
		load_pop(c, mark);
		if (r != ERR_OK)
			return r;
		w.i = i;
		json_array_foreach(hosts, j, h) {
			w.j = j;
			if ((r = load_add_host(c, h, L_OFFENDER, &w)) != ERR_OK)
				return r;
		}
	}
	if ((r = get_host_list(c, res, L_RESOLVER, "resolvers")) != ERR_OK)
		return r;
	if (bs == NULL)
		return ERR_OK;
	mark = load_push(c, "blind_spots");
	r = load_get_typed(c, bs, "hosts", LOAD_OPT, true, &bh);
	load_pop(c, mark);
	if (r != ERR_OK || bh == NULL)
		return r;
	return get_host_list(c, bh, L_BLIND, "blind_spots.hosts");
}

static void
where_fmt(char *buf, size_t size, const struct where *w)
{
	if (w->nested)
		snprintf(buf, size, "%s[%zu].hosts[%zu]", w->list, w->i, w->j);
	else
		snprintf(buf, size, "%s[%zu]", w->list, w->i);
}

static int
recp_cmp(const void *x, const void *y)
{
	const struct agg_host *const *a = x, *const *b = y;
	const char *sa = (*a)->subscriber, *sb = (*b)->subscriber;
	int c;

	if ((c = addr_cmp(&(*a)->addr, &(*b)->addr)) != 0)
		return c;
	if (sa == NULL || sb == NULL)
		return (sa != NULL) - (sb != NULL);
	return strcmp(sa, sb);
}

/* One entry per address and subscriber in a report: the aggregate joins
 * by both. */
int
load_check_dups(struct lctx *c)
{
	struct freport *fr = c->fr;
	const struct agg_host **v;
	char ab[ADDR_STRLEN], w1[64], w2[64];
	size_t i;
	int r = ERR_OK;

	if (fr->n_recs < 2)
		return ERR_OK;
	if ((v = malloc(fr->n_recs * sizeof(*v))) == NULL)
		return load_fail_nomem(c);
	for (i = 0; i < fr->n_recs; i++)
		v[i] = &fr->recs[i];
	qsort(v, fr->n_recs, sizeof(*v), recp_cmp);
	for (i = 1; i < fr->n_recs && r == ERR_OK; i++) {
		if (recp_cmp(&v[i - 1], &v[i]) != 0)
			continue;
		where_fmt(w1, sizeof(w1), &fr->where[v[i - 1] - fr->recs]);
		where_fmt(w2, sizeof(w2), &fr->where[v[i] - fr->recs]);
		r = load_fail(c, NULL, "%s is both %s and %s",
		    addr_fmt(&v[i]->addr, ab), v[i - 1] < v[i] ? w1 : w2,
		    v[i - 1] < v[i] ? w2 : w1);
	}
	free(v);
	return r;
}
