/* load.c - JSON reports (RFC 8259) read back with jansson; doc/json.md. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "dns.h"
#include "load.h"
#include "stats.h"

/*
 * Reports are untrusted input (they travel between sensors and desks), and
 * a JSON parser is easy to get subtly wrong: jansson, a small and
 * well-kept one, does the syntax (UTF-8 checked, \u0000 refused, nesting
 * capped at 2048, integers past 2^63 - 1 refused); this file checks the
 * meaning, key by key, and names the JSON path of whatever is wrong.
 */

#define PATH_LEN	160		/* JSON path in messages */
#define STR_MAX		4096		/* patterns, sources, file names */
#define NAME_MAX_LEN	(DNS_NAME_LEN - 1)	/* as every parser keeps */
#define VLAN_MAX	4095
#define POOL_CHUNK	(16 * 1024)
/*
 * REFs may name files that are not among the inputs (a live daemon's state
 * keeps hosts from interfaces it no longer listens on); each distinct name
 * costs the aggregate a linear search, so a report may have so many.
 */
#define MORE_FILES	4096

/* ---- strings owned by load_stats ------------------------------------- */

struct pchunk {
	struct pchunk	*next;
	size_t		 used, size;
	char		 data[];
};

static const char *
pool_dup(struct pchunk **pool, const char *s)
{
	struct pchunk *c = *pool;
	size_t need = strlen(s) + 1, size;
	char *p;

	if (c == NULL || c->size - c->used < need) {
		size = need > POOL_CHUNK ? need : POOL_CHUNK;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->next = *pool;
		c->used = 0;
		c->size = size;
		*pool = c;
	}
	p = c->data + c->used;
	memcpy(p, s, need);
	c->used += need;
	return p;
}

/* ---- the statistics -------------------------------------------------- */

/* Everything summed so far; rebuilt whole by each load, then swapped in. */
struct lsum {
	size_t			 n_reports;
	struct report_file	*files;
	size_t			 n_files;
	struct report_linktype	*lts;
	size_t			 n_lts;
	struct load_sigset	*sets;
	size_t			 n_sets;
	uint64_t		 packets, bytes;
	bool			 have_time;
	int64_t			 first_sec, last_sec;
	uint32_t		 first_nsec, last_nsec;
	const char		*filter;	/* NULL: none */
	bool			 plen_mixed;
	bool			 anonymized;	/* addresses are pseudonyms */
	unsigned		 v4_plen, v6_plen;
	uint64_t		 max_names;
	struct decode_stats	 decode;
	struct audit_stats	 audit;
	struct flow_stats	 flow;
	bool			 have_flow;
};

struct load_stats {
	struct pchunk	*pool;
	struct lsum	 sum;
};

/* The counter of a stats.c row in s. */
static uint64_t *
field_at(struct lsum *s, const struct stats_row *row)
{
	return stats_at(row, &s->decode, &s->audit, &s->flow);
}

/* ---- one report as read: borrowed from the JSON tree ------------------ */

struct finput {
	const char	*path;
	const char	*format;	/* NULL: null */
	const char	*error;
	uint64_t	 packets, bytes, filtered, unsupported;
	bool		 complete;
};

struct flt {
	int		 linktype;
	const char	*name;
	uint64_t	 packets;
	bool		 supported;
};

struct fsig {
	const char	*name;
	uint64_t	 count;
};

/* Where a host record came from, for messages. */
struct where {
	const char	*list;		/* "networks", "resolvers", ... */
	size_t		 i, j;
	bool		 nested;	/* networks[i].hosts[j] */
};

struct freport {
	struct finput	*inputs;
	size_t		 n_inputs;
	const char	**paths;	/* input paths, sorted */
	const char	**more;		/* other files REFs name, sorted */
	size_t		 n_more;
	struct flt	*lts;
	size_t		 n_lts;
	struct fsig	*sets;
	size_t		 n_sets;
	struct lsum	 sum;		/* this report's scalars and counters */
	uint64_t	 refused;
	struct agg_host	*recs;
	struct where	*where;
	size_t		 n_recs, recs_cap;
};

/* ---- messages -------------------------------------------------------- */

struct lctx {
	const char	*label;
	char		*errbuf;
	char		 path[PATH_LEN];
	size_t		 plen;
	struct freport	*fr;
};

static size_t
push(struct lctx *c, const char *fmt, ...)
{
	size_t mark = c->plen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + c->plen, sizeof(c->path) - c->plen, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->plen += (size_t)n < sizeof(c->path) - c->plen ? (size_t)n :
		    sizeof(c->path) - c->plen - 1;
	return mark;
}

static void
pop(struct lctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

/* s fit for a terminal: printable ASCII, at most 40 characters. */
static const char *
safe(char *buf, size_t size, const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] != '\0' && n + 4 < size; i++) {
		if (n == 40) {
			memcpy(buf + n, "...", 3);
			n += 3;
			break;
		}
		buf[n++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	}
	buf[n] = '\0';
	return buf;
}

static int
fail(struct lctx *c, const char *key, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(c->errbuf, ERRBUF_LEN, "%s: %s%s%s%s%s", c->label, c->path,
	    key != NULL && c->plen > 0 ? "." : "", key != NULL ? key : "",
	    c->plen > 0 || key != NULL ? ": " : "", what);
	return ERR_MALFORMED;
}

static int
fail_nomem(struct lctx *c)
{
	snprintf(c->errbuf, ERRBUF_LEN, "%s: out of memory", c->label);
	return ERR_NOMEM;
}

/* ---- typed members: required unless OPT; null allowed with NUL -------- */

#define OPT	1u
#define NUL	2u

/* The member, or NULL when absent or null and allowed to be. */
static int
member(struct lctx *c, json_t *o, const char *key, unsigned fl,
    json_t **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL)
		return fl & OPT ? ERR_OK : fail(c, key, "missing");
	if (json_is_null(v))
		return fl & NUL ? ERR_OK : fail(c, key, "null");
	*out = v;
	return ERR_OK;
}

static int
get_u64(struct lctx *c, json_t *o, const char *key, unsigned fl,
    uint64_t *out)
{
	json_t *v;
	int r;

	*out = 0;
	if ((r = member(c, o, key, fl, &v)) != ERR_OK || v == NULL)
		return r;
	if (!json_is_integer(v))
		return fail(c, key, "not an integer");
	if (json_integer_value(v) < 0)
		return fail(c, key, "negative");
	*out = (uint64_t)json_integer_value(v);
	return ERR_OK;
}

static int
get_bool(struct lctx *c, json_t *o, const char *key, unsigned fl, bool *out)
{
	json_t *v;
	int r;

	*out = false;
	if ((r = member(c, o, key, fl, &v)) != ERR_OK || v == NULL)
		return r;
	if (!json_is_boolean(v))
		return fail(c, key, "not true or false");
	*out = json_is_true(v);
	return ERR_OK;
}

/* *out borrowed from the tree; NULL when absent or null (if allowed). */
static int
get_str(struct lctx *c, json_t *o, const char *key, unsigned fl, size_t max,
    const char **out)
{
	json_t *v;
	int r;

	*out = NULL;
	if ((r = member(c, o, key, fl, &v)) != ERR_OK || v == NULL)
		return r;
	if (!json_is_string(v))
		return fail(c, key, "not a string");
	/* jansson refuses \u0000 (no JSON_ALLOW_NUL): a C string is whole. */
	if (json_string_length(v) > max)
		return fail(c, key, "longer than %zu bytes", max);
	*out = json_string_value(v);
	return ERR_OK;
}

static int
get_typed(struct lctx *c, json_t *o, const char *key, unsigned fl,
    bool array, json_t **out)
{
	int r;

	if ((r = member(c, o, key, fl, out)) != ERR_OK || *out == NULL)
		return r;
	if (array ? !json_is_array(*out) : !json_is_object(*out))
		return fail(c, key, array ? "not an array" : "not an object");
	return ERR_OK;
}

/*
 * An object of counters named by an enum.  Members it does not have count
 * 0 (a report from before a kind or category existed); members we do not
 * know are ignored (a report from after).
 */
static int
get_counts(struct lctx *c, json_t *o, const char *key, unsigned fl,
    uint64_t *v, size_t n, const char *(*name)(size_t))
{
	json_t *obj;
	size_t i, mark;
	int r;

	memset(v, 0, n * sizeof(*v));
	if ((r = get_typed(c, o, key, fl, false, &obj)) != ERR_OK ||
	    obj == NULL)
		return r;
	mark = push(c, "%s%s", c->plen > 0 ? "." : "", key);
	for (i = 0; i < n && r == ERR_OK; i++)
		r = get_u64(c, obj, name(i), OPT, &v[i]);
	pop(c, mark);
	return r;
}

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

/* ---- times, addresses ------------------------------------------------ */

static bool
digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The two forms report_time() writes: "2024-10-01T12:00:00.123456Z"
 * (years 0000-9999) and "@SECONDS.MICROSECONDS".
 */
static bool
parse_time(const char *s, int64_t *sec, uint32_t *nsec)
{
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, se, us;
	uint64_t v = 0;
	size_t i = 1, n;
	bool neg;

	if (s[0] == '@') {
		neg = s[1] == '-';
		i += neg;
		for (n = 0; s[i] >= '0' && s[i] <= '9'; i++, n++) {
			if (v > ((uint64_t)INT64_MAX - 9) / 10)
				return false;
			v = v * 10 + (uint64_t)(s[i] - '0');
		}
		if (n == 0 || s[i] != '.' || strlen(s + i + 1) != 6 ||
		    !digits(s + i + 1, 6, &us))
			return false;
		*sec = neg ? -(int64_t)v : (int64_t)v;
		*nsec = us * 1000u;
		return true;
	}
	if (strlen(s) != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != '.' || s[26] != 'Z' ||
	    !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) ||
	    !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se) ||
	    !digits(s + 20, 6, &us))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || se > 59)
		return false;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return false;
	*sec = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	*nsec = us * 1000u;
	return true;
}

static int
path_cmp(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;

	return strcmp(*a, *b);
}

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
		return fail(c, "file", "more than %d files not among the "
		    "inputs", MORE_FILES);
	if (fr->n_more % 64 == 0) {
		if ((v = realloc(fr->more, (fr->n_more + 64) *
		    sizeof(*v))) == NULL)
			return fail_nomem(c);
		fr->more = v;
	}
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
	if ((r = get_typed(c, o, key, fl, false, &obj)) != ERR_OK ||
	    obj == NULL)
		return r;
	mark = push(c, ".%s", key);
	if ((r = get_str(c, obj, "file", 0, STR_MAX, &file)) != ERR_OK ||
	    (r = get_u64(c, obj, "frame", 0, &out->frame)) != ERR_OK ||
	    (r = get_str(c, obj, "time", 0, 64, &t)) != ERR_OK)
		goto out;
	if (!parse_time(t, &out->ts_sec, &out->ts_nsec)) {
		r = fail(c, "time", "not a time: %s", safe(buf, sizeof(buf),
		    t));
		goto out;
	}
	if ((hit = bsearch(&file, c->fr->paths, c->fr->n_inputs,
	    sizeof(*c->fr->paths), path_cmp)) == NULL &&
	    (r = more_file(c, file, &hit)) != ERR_OK)
		goto out;
	/* One pointer per name: the aggregate's cache keys on it. */
	out->file = *hit;
	*present = true;
out:
	pop(c, mark);
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
		return fail(c, NULL, "not an object");
	if ((r = get_str(c, o, "name", 0, NAME_MAX_LEN, (const char **)
	    &n->name)) != ERR_OK ||
	    (r = get_str(c, o, "category", 0, 64, &cat)) != ERR_OK ||
	    (r = get_str(c, o, "pattern", 0, STR_MAX, &s->pattern)) !=
	    ERR_OK ||
	    (r = get_str(c, o, "confidence", NUL, 1, &conf)) != ERR_OK ||
	    (r = get_str(c, o, "source", NUL, STR_MAX, &src)) != ERR_OK ||
	    (r = get_str(c, o, "set", 0, STR_MAX, &s->set)) != ERR_OK ||
	    (r = get_u64(c, o, "count", 0, &n->count)) != ERR_OK ||
	    (r = get_typed(c, o, "kinds", 0, true, &kinds)) != ERR_OK ||
	    (r = get_ref(c, o, "first", 0, &n->first, &present)) != ERR_OK ||
	    (r = get_ref(c, o, "last", 0, &n->last, &present)) != ERR_OK)
		return r;
	for (i = 0; i < CAT_N && strcmp(cat, cat_i(i)) != 0; i++)
		;
	if (i == CAT_N)
		return fail(c, "category", "unknown category %s",
		    safe(buf, sizeof(buf), cat));
	s->cat = (enum match_cat)i;
	if (conf != NULL && (conf[0] < 'A' || conf[0] > 'C' || conf[1] != 0))
		return fail(c, "confidence", "not A, B, C or null");
	s->confidence = conf != NULL ? conf[0] : '-';
	s->source = src != NULL ? src : "";
	s->note = "";
	s->kind = pattern_kind(s->pattern);
	n->sig = s;
	if (n->count == 0)
		return fail(c, "count", "0");
	/* Kinds this version does not know are left out. */
	json_array_foreach(kinds, i, k) {
		if (!json_is_string(k))
			return fail(c, "kinds", "[%zu] not a string", i);
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
		return fail_nomem(c);
	/* One block: names[n], then their signatures. */
	sigs = (struct match_sig *)(void *)(names + n);
	h->names = names;
	h->n_names = n;
	for (i = 0; i < n && r == ERR_OK; i++) {
		mark = push(c, ".names[%zu]", i);
		r = get_name(c, json_array_get(arr, i), &names[i], &sigs[i]);
		pop(c, mark);
	}
	if (r != ERR_OK || n < 2)
		return r;
	if ((v = malloc(n * sizeof(*v))) == NULL)
		return fail_nomem(c);
	for (i = 0; i < n; i++)
		v[i] = &names[i];
	qsort(v, n, sizeof(*v), namep_cmp);
	for (i = 1; i < n && r == ERR_OK; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			r = fail(c, "names", "%s given twice",
			    safe(buf, sizeof(buf), v[i]->name));
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

	if ((r = get_u64(c, o, "vlan", NUL, &v)) != ERR_OK)
		return r;
	if (json_is_null(json_object_get(o, "vlan")))
		return ERR_OK;
	if (v > VLAN_MAX)
		return fail(c, "vlan", "over %d", VLAN_MAX);
	h->n_vlan = 1;
	h->vlan[0] = (uint16_t)v;
	/* "vlans" only with two or three tags; the first is "vlan". */
	if ((r = get_typed(c, o, "vlans", OPT, true, &arr)) != ERR_OK ||
	    arr == NULL)
		return r;
	if (json_array_size(arr) < 2 || json_array_size(arr) > 3)
		return fail(c, "vlans", "not 2 or 3 tags");
	json_array_foreach(arr, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) > VLAN_MAX)
			return fail(c, "vlans", "[%zu] not a VLAN tag", i);
		h->vlan[i] = (uint16_t)json_integer_value(e);
	}
	if (h->vlan[0] != v)
		return fail(c, "vlans", "[0] is not vlan");
	h->n_vlan = (uint8_t)json_array_size(arr);
	return ERR_OK;
}

enum hlist { L_OFFENDER, L_RESOLVER, L_BLIND };

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
		return fail(c, NULL, "not an object");
	if ((r = get_str(c, o, "address", 0, 64, &addr)) != ERR_OK)
		return r;
	if (!addr_parse(&h->addr, addr))
		return fail(c, "address", "not an address: %s",
		    safe(buf, sizeof(buf), addr));
	if ((r = get_str(c, o, "mac", NUL, 17, &mac)) != ERR_OK)
		return r;
	if (mac != NULL && !parse_mac(mac, h->mac))
		return fail(c, "mac", "not a MAC: %s", safe(buf, sizeof(buf),
		    mac));
	h->has_mac = mac != NULL;
	if ((r = get_u64(c, o, "macs_seen", 0, &v)) != ERR_OK)
		return r;
	if (v > 8 || (v > 0) != h->has_mac)
		return fail(c, "macs_seen", "does not go with mac");
	h->n_macs = (unsigned)v;
	if ((r = get_vlan(c, o, h)) != ERR_OK ||
	    (r = get_u64(c, o, "observations", 0, &h->n_obs)) != ERR_OK)
		return r;
	if (list == L_OFFENDER && h->n_obs == 0)
		return fail(c, "observations", "0 for an offender");
	if ((r = get_ref(c, o, "first_seen", NUL, &h->first, &first)) !=
	    ERR_OK ||
	    (r = get_ref(c, o, "last_seen", NUL, &h->last, &last)) != ERR_OK)
		return r;
	if (first != (h->n_obs > 0) || last != (h->n_obs > 0))
		return fail(c, first != (h->n_obs > 0) ? "first_seen" :
		    "last_seen", h->n_obs > 0 ? "null with observations" :
		    "given without observations");
	if ((r = get_counts(c, o, "categories", 0, h->by_cat, CAT_N,
	    cat_i)) != ERR_OK ||
	    (r = get_counts(c, o, "kinds", 0, h->by_kind, OBS_N, kind_i)) !=
	    ERR_OK ||
	    (r = get_counts(c, o, "tiers", 0, h->by_tier, VERDICT_N,
	    tier_i)) != ERR_OK ||
	    (r = get_counts(c, o, "blind", OPT, h->blind, BLIND_N,
	    blind_i)) != ERR_OK ||
	    (r = get_u64(c, o, "names_dropped", 0, &h->names_dropped)) !=
	    ERR_OK ||
	    (r = get_u64(c, o, "ksc_agents", OPT, &v)) != ERR_OK)
		return r;
	h->ksc_agents = (size_t)v;
	if (list == L_RESOLVER) {
		if ((r = get_u64(c, o, "answered", 0, &h->answered)) !=
		    ERR_OK || (r = get_u64(c, o, "answered_hosts", 0, &v)) !=
		    ERR_OK)
			return r;
		if (h->answered == 0)
			return fail(c, "answered", "0 for a resolver");
		h->answered_hosts = (size_t)v;
	}
	if ((r = get_typed(c, o, "names", 0, true, &names)) != ERR_OK)
		return r;
	return get_names(c, names, h);
}

static int
add_host(struct lctx *c, json_t *o, enum hlist list, const struct where *w)
{
	struct freport *fr = c->fr;
	struct agg_host *v;
	struct where *wv;
	size_t cap, mark;
	int r;

	if (fr->n_recs == fr->recs_cap) {
		cap = fr->recs_cap ? fr->recs_cap * 2 : 16;
		if ((v = realloc(fr->recs, cap * sizeof(*v))) == NULL)
			return fail_nomem(c);
		fr->recs = v;
		if ((wv = realloc(fr->where, cap * sizeof(*wv))) == NULL)
			return fail_nomem(c);
		fr->where = wv;
		fr->recs_cap = cap;
	}
	if (w->nested)
		mark = push(c, "%s[%zu].hosts[%zu]", w->list, w->i, w->j);
	else
		mark = push(c, "%s[%zu]", w->list, w->i);
	/* Counted first, so that its names are freed whatever happens. */
	r = get_host(c, o, list, &fr->recs[fr->n_recs]);
	fr->where[fr->n_recs++] = *w;
	pop(c, mark);
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
		if ((r = add_host(c, h, list, &w)) != ERR_OK)
			break;
	}
	return r;
}

static int
get_hosts(struct lctx *c, json_t *root)
{
	struct where w = { "networks", 0, 0, true };
	json_t *nets, *net, *hosts, *h, *res, *bs, *bh;
	size_t i, j, mark;
	int r;

	if ((r = get_typed(c, root, "networks", 0, true, &nets)) != ERR_OK ||
	    (r = get_typed(c, root, "resolvers", 0, true, &res)) != ERR_OK ||
	    (r = get_typed(c, root, "blind_spots", OPT | NUL, false, &bs)) !=
	    ERR_OK)
		return r;
	/* The networks are regrouped: only their hosts are read. */
	json_array_foreach(nets, i, net) {
		mark = push(c, "networks[%zu]", i);
		if (!json_is_object(net))
			r = fail(c, NULL, "not an object");
		else
			r = get_typed(c, net, "hosts", 0, true, &hosts);
		pop(c, mark);
		if (r != ERR_OK)
			return r;
		w.i = i;
		json_array_foreach(hosts, j, h) {
			w.j = j;
			if ((r = add_host(c, h, L_OFFENDER, &w)) != ERR_OK)
				return r;
		}
	}
	if ((r = get_host_list(c, res, L_RESOLVER, "resolvers")) != ERR_OK)
		return r;
	if (bs == NULL)
		return ERR_OK;
	mark = push(c, "blind_spots");
	r = get_typed(c, bs, "hosts", OPT, true, &bh);
	pop(c, mark);
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

	return addr_cmp(&(*a)->addr, &(*b)->addr);
}

/* One entry per address in a report: the aggregate joins by address. */
static int
check_dups(struct lctx *c)
{
	struct freport *fr = c->fr;
	const struct agg_host **v;
	char ab[ADDR_STRLEN], w1[64], w2[64];
	size_t i;
	int r = ERR_OK;

	if (fr->n_recs < 2)
		return ERR_OK;
	if ((v = malloc(fr->n_recs * sizeof(*v))) == NULL)
		return fail_nomem(c);
	for (i = 0; i < fr->n_recs; i++)
		v[i] = &fr->recs[i];
	qsort(v, fr->n_recs, sizeof(*v), recp_cmp);
	for (i = 1; i < fr->n_recs && r == ERR_OK; i++) {
		if (!addr_eq(&v[i - 1]->addr, &v[i]->addr))
			continue;
		where_fmt(w1, sizeof(w1), &fr->where[v[i - 1] - fr->recs]);
		where_fmt(w2, sizeof(w2), &fr->where[v[i] - fr->recs]);
		r = fail(c, NULL, "%s is both %s and %s",
		    addr_fmt(&v[i]->addr, ab), v[i - 1] < v[i] ? w1 : w2,
		    v[i - 1] < v[i] ? w2 : w1);
	}
	free(v);
	return r;
}

/* ---- the report's statistics ----------------------------------------- */

static int
get_version(struct lctx *c, json_t *root)
{
	const char *v;
	char buf[64];
	unsigned long major = 0;
	size_t i;
	int r;

	if ((r = get_str(c, root, "version", 0, 64, &v)) != ERR_OK)
		return r;
	for (i = 0; v[i] >= '0' && v[i] <= '9' && major < 1000000; i++)
		major = major * 10 + (unsigned long)(v[i] - '0');
	if (i == 0 || v[i] != '.')
		return fail(c, "version", "not a version: %s",
		    safe(buf, sizeof(buf), v));
	if (major > LOAD_MAJOR)
		return fail(c, "version", "%s is newer than this kasaudit "
		    "reads (%d.x); use a kasaudit as new", safe(buf,
		    sizeof(buf), v), LOAD_MAJOR);
	return ERR_OK;
}

static int
get_inputs(struct lctx *c, json_t *root)
{
	struct freport *fr = c->fr;
	struct finput *in;
	json_t *arr, *o;
	size_t i, n, mark;
	int r;

	if ((r = get_typed(c, root, "inputs", 0, true, &arr)) != ERR_OK)
		return r;
	n = json_array_size(arr);
	if ((fr->inputs = calloc(n ? n : 1, sizeof(*fr->inputs))) == NULL ||
	    (fr->paths = calloc(n ? n : 1, sizeof(*fr->paths))) == NULL)
		return fail_nomem(c);
	json_array_foreach(arr, i, o) {
		in = &fr->inputs[i];
		mark = push(c, "inputs[%zu]", i);
		if (!json_is_object(o))
			r = fail(c, NULL, "not an object");
		else if ((r = get_str(c, o, "path", 0, STR_MAX, &in->path)) ==
		    ERR_OK &&
		    (r = get_str(c, o, "format", NUL | OPT, 64, &in->format)) ==
		    ERR_OK &&
		    (r = get_u64(c, o, "packets", OPT, &in->packets)) ==
		    ERR_OK &&
		    (r = get_u64(c, o, "bytes", OPT, &in->bytes)) == ERR_OK &&
		    (r = get_u64(c, o, "filtered", OPT, &in->filtered)) ==
		    ERR_OK &&
		    (r = get_bool(c, o, "complete", OPT, &in->complete)) ==
		    ERR_OK &&
		    (r = get_str(c, o, "error", NUL | OPT, STR_MAX,
		    &in->error)) == ERR_OK)
			r = get_u64(c, o, "unsupported_packets", OPT,
			    &in->unsupported);
		pop(c, mark);
		if (r != ERR_OK)
			return r;
		fr->paths[i] = in->path;
		fr->n_inputs++;
	}
	qsort(fr->paths, fr->n_inputs, sizeof(*fr->paths), path_cmp);
	return ERR_OK;
}

static int
get_linktypes(struct lctx *c, json_t *root)
{
	struct freport *fr = c->fr;
	struct flt *lt;
	json_t *arr, *o, *num = NULL;
	size_t i, j, n, mark;
	int r = ERR_OK;

	if ((r = get_typed(c, root, "linktypes", 0, true, &arr)) != ERR_OK)
		return r;
	n = json_array_size(arr);
	if ((fr->lts = calloc(n ? n : 1, sizeof(*fr->lts))) == NULL)
		return fail_nomem(c);
	json_array_foreach(arr, i, o) {
		lt = &fr->lts[i];
		mark = push(c, "linktypes[%zu]", i);
		if (!json_is_object(o))
			r = fail(c, NULL, "not an object");
		else if ((r = member(c, o, "linktype", 0, &num)) == ERR_OK &&
		    (!json_is_integer(num) || json_integer_value(num) < 0 ||
		    json_integer_value(num) > INT32_MAX))
			r = fail(c, "linktype", "not a link type");
		else if (r == ERR_OK &&
		    (r = get_str(c, o, "name", NUL | OPT, 64, &lt->name)) ==
		    ERR_OK &&
		    (r = get_u64(c, o, "packets", OPT, &lt->packets)) == ERR_OK)
			r = get_bool(c, o, "supported", OPT, &lt->supported);
		if (r == ERR_OK)
			lt->linktype = (int)json_integer_value(num);
		for (j = 0; j < i && r == ERR_OK; j++)
			if (fr->lts[j].linktype == lt->linktype)
				r = fail(c, "linktype", "given twice");
		pop(c, mark);
		if (r != ERR_OK)
			return r;
		fr->n_lts++;
	}
	return ERR_OK;
}

static int
get_time(struct lctx *c, json_t *root)
{
	struct lsum *s = &c->fr->sum;
	const char *first, *last;
	json_t *o;
	size_t mark;
	int r;

	if ((r = get_typed(c, root, "time", 0, false, &o)) != ERR_OK)
		return r;
	mark = push(c, "time");
	if ((r = get_str(c, o, "first", NUL, 64, &first)) == ERR_OK &&
	    (r = get_str(c, o, "last", NUL, 64, &last)) == ERR_OK) {
		if ((first == NULL) != (last == NULL))
			r = fail(c, NULL, "first and last not both null");
		else if (first != NULL && !parse_time(first, &s->first_sec,
		    &s->first_nsec))
			r = fail(c, "first", "not a time");
		else if (last != NULL && !parse_time(last, &s->last_sec,
		    &s->last_nsec))
			r = fail(c, "last", "not a time");
		s->have_time = first != NULL;
	}
	pop(c, mark);
	return r;
}

static int
get_options(struct lctx *c, json_t *root)
{
	struct lsum *s = &c->fr->sum;
	json_t *o, *gp;
	uint64_t v4 = 0, v6 = 0;
	size_t mark;
	int r;

	if ((r = get_typed(c, root, "options", 0, false, &o)) != ERR_OK)
		return r;
	mark = push(c, "options");
	if ((r = get_typed(c, o, "group_prefix", 0, false, &gp)) == ERR_OK &&
	    (r = get_u64(c, o, "max_names", 0, &s->max_names)) == ERR_OK &&
	    (r = get_bool(c, o, "anonymized", OPT, &s->anonymized)) ==
	    ERR_OK) {
		push(c, ".group_prefix");
		if ((r = get_u64(c, gp, "ipv4", 0, &v4)) == ERR_OK &&
		    (r = get_u64(c, gp, "ipv6", 0, &v6)) == ERR_OK &&
		    (v4 > 32 || v6 > 128))
			r = fail(c, v4 > 32 ? "ipv4" : "ipv6", "too long");
	}
	pop(c, mark);
	s->v4_plen = (unsigned)v4;
	s->v6_plen = (unsigned)v6;
	return r;
}

static int
get_sigsets(struct lctx *c, json_t *root)
{
	struct freport *fr = c->fr;
	struct fsig sig, *d;
	json_t *o, *arr, *e;
	size_t i, j, mark, mark2;
	int r;

	if ((r = get_typed(c, root, "signatures", OPT, false, &o)) != ERR_OK ||
	    o == NULL)
		return r;
	mark = push(c, "signatures");
	if ((r = get_typed(c, o, "sets", 0, true, &arr)) != ERR_OK)
		goto out;
	if ((fr->sets = calloc(json_array_size(arr) + 1,
	    sizeof(*fr->sets))) == NULL) {
		r = fail_nomem(c);
		goto out;
	}
	json_array_foreach(arr, i, e) {
		mark2 = push(c, ".sets[%zu]", i);
		if (!json_is_object(e))
			r = fail(c, NULL, "not an object");
		else if ((r = get_str(c, e, "name", 0, STR_MAX, &sig.name)) ==
		    ERR_OK)
			r = get_u64(c, e, "count", 0, &sig.count);
		if (r != ERR_OK)
			goto out;
		pop(c, mark2);
		/* A set loaded twice (-s a -s b -s a) counts twice. */
		for (j = 0; j < fr->n_sets &&
		    strcmp(fr->sets[j].name, sig.name) != 0; j++)
			;
		d = &fr->sets[j];
		if (j == fr->n_sets) {
			fr->n_sets++;
			*d = sig;
		} else if (d->count > AGG_COUNT_MAX - sig.count) {
			r = fail(c, NULL, "set counts too large");
			goto out;
		} else {
			d->count += sig.count;
		}
	}
out:
	pop(c, mark);
	return r;
}

/* The counters of the statistics objects (stats.c): absent ones count 0. */
static int
get_sections(struct lctx *c, json_t *root)
{
	struct lsum *s = &c->fr->sum;
	const struct stats_section *secs, *sec;
	const struct stats_row *row;
	json_t *o;
	size_t i, k, n, mark;
	int r = ERR_OK;

	secs = stats_sections(&n);
	for (i = 0; i < n; i++) {
		sec = &secs[i];
		if (sec->key[0] == '\0')
			o = root;
		else if ((r = get_typed(c, root, sec->key, OPT | NUL, false,
		    &o)) != ERR_OK)
			return r;
		if (o == NULL)
			continue;
		if (sec->flow)
			s->have_flow = true;
		mark = push(c, "%s", sec->key);
		for (k = 0; k < sec->n_rows && r == ERR_OK; k++) {
			row = &sec->rows[k];
			if (row->key == NULL)
				continue;
			if (row->n == 0)
				r = get_u64(c, o, row->key, OPT,
				    field_at(s, row));
			else
				r = get_counts(c, o, row->key, OPT,
				    field_at(s, row), row->n, row->name);
		}
		pop(c, mark);
		if (r != ERR_OK)
			return r;
	}
	return ERR_OK;
}

static int
get_stats(struct lctx *c, json_t *root)
{
	struct lsum *s = &c->fr->sum;
	json_t *summary;
	size_t mark;
	int r;

	if ((r = get_inputs(c, root)) != ERR_OK ||
	    (r = get_linktypes(c, root)) != ERR_OK ||
	    (r = get_time(c, root)) != ERR_OK ||
	    (r = get_u64(c, root, "packets", 0, &s->packets)) != ERR_OK ||
	    (r = get_u64(c, root, "bytes", 0, &s->bytes)) != ERR_OK ||
	    (r = get_str(c, root, "filter", NUL | OPT, STR_MAX,
	    &s->filter)) != ERR_OK ||
	    (r = get_sigsets(c, root)) != ERR_OK ||
	    (r = get_options(c, root)) != ERR_OK ||
	    (r = get_sections(c, root)) != ERR_OK ||
	    (r = get_typed(c, root, "summary", OPT, false, &summary)) !=
	    ERR_OK || summary == NULL)
		return r;
	mark = push(c, "summary");
	r = get_u64(c, summary, "refused", OPT, &c->fr->refused);
	pop(c, mark);
	return r;
}

/* ---- adding a report to the sums ------------------------------------- */

static int
str_cmp0(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* Every field, so that equal entries are equal and the order total. */
static int
file_cmp(const void *x, const void *y)
{
	const struct report_file *a = x, *b = y;
	int c;

	if ((c = strcmp(a->path, b->path)) != 0 ||
	    (c = str_cmp0(a->format, b->format)) != 0 ||
	    (c = str_cmp0(a->error, b->error)) != 0)
		return c;
	if (a->complete != b->complete)
		return a->complete ? -1 : 1;
	if (a->packets != b->packets)
		return a->packets < b->packets ? -1 : 1;
	if (a->bytes != b->bytes)
		return a->bytes < b->bytes ? -1 : 1;
	if (a->filtered != b->filtered)
		return a->filtered < b->filtered ? -1 : 1;
	if (a->unsupported != b->unsupported)
		return a->unsupported < b->unsupported ? -1 : 1;
	return 0;
}

static int
lt_cmp(const void *x, const void *y)
{
	const struct report_linktype *a = x, *b = y;

	return a->linktype < b->linktype ? -1 : a->linktype > b->linktype;
}

static int
set_cmp(const void *x, const void *y)
{
	const struct load_sigset *a = x, *b = y;

	return strcmp(a->name, b->name);
}

static bool
sum_ok(uint64_t *dst, uint64_t v)
{
	if (*dst > AGG_COUNT_MAX || v > AGG_COUNT_MAX - *dst)
		return false;
	*dst += v;
	return true;
}

static void
lsum_free(struct lsum *s)
{
	free(s->files);
	free(s->lts);
	free(s->sets);
	memset(s, 0, sizeof(*s));
}

/* A pool copy of s (NULL stays NULL); false: no memory. */
static bool
keep(struct load_stats *st, const char **dst, const char *s)
{
	*dst = NULL;
	return s == NULL || (*dst = pool_dup(&st->pool, s)) != NULL;
}

/*
 * nw = old + this report.  Every rule is commutative and associative
 * (sums, min/max, "the same or mixed"), so the order of the reports does
 * not show.
 */
static int
lsum_add(struct lctx *c, struct load_stats *st, const struct lsum *old,
    struct lsum *nw)
{
	const struct freport *fr = c->fr;
	const struct lsum *f = &fr->sum;
	const struct stats_section *secs;
	const struct stats_row *row;
	struct report_linktype *lt;
	struct load_sigset *ss;
	size_t i, k, n, n_secs;
	bool ok = true;

	*nw = *old;
	nw->files = NULL;
	nw->lts = NULL;
	nw->sets = NULL;
	nw->n_reports++;
	n = old->n_files + fr->n_inputs;
	if ((nw->files = calloc(n ? n : 1, sizeof(*nw->files))) == NULL ||
	    (nw->lts = calloc(old->n_lts + fr->n_lts + 1,
	    sizeof(*nw->lts))) == NULL ||
	    (nw->sets = calloc(old->n_sets + fr->n_sets + 1,
	    sizeof(*nw->sets))) == NULL)
		goto nomem;
	if (old->n_files > 0)
		memcpy(nw->files, old->files, old->n_files *
		    sizeof(*nw->files));
	for (i = 0; i < fr->n_inputs; i++) {
		struct report_file *rf = &nw->files[old->n_files + i];
		const struct finput *in = &fr->inputs[i];

		if (!keep(st, &rf->path, in->path) ||
		    !keep(st, &rf->format, in->format != NULL ? in->format :
		    "") || !keep(st, &rf->error, in->error != NULL ? in->error :
		    ""))
			goto nomem;
		rf->packets = in->packets;
		rf->bytes = in->bytes;
		rf->filtered = in->filtered;
		rf->complete = in->complete;
		rf->unsupported = in->unsupported;
	}
	nw->n_files = n;
	qsort(nw->files, n, sizeof(*nw->files), file_cmp);

	/* Link types by number: packets added; a name over none, else the
	 * one that sorts first; supported only if every report says so. */
	if (old->n_lts > 0)
		memcpy(nw->lts, old->lts, old->n_lts *
		    sizeof(*nw->lts));
	for (i = 0; i < fr->n_lts; i++) {
		for (k = 0; k < nw->n_lts &&
		    nw->lts[k].linktype != fr->lts[i].linktype; k++)
			;
		lt = &nw->lts[k];
		if (k == nw->n_lts) {
			nw->n_lts++;
			lt->linktype = fr->lts[i].linktype;
			lt->supported = fr->lts[i].supported;
			if (!keep(st, &lt->name, fr->lts[i].name))
				goto nomem;
		} else {
			lt->supported = lt->supported && fr->lts[i].supported;
			if (fr->lts[i].name != NULL && (lt->name == NULL ||
			    strcmp(fr->lts[i].name, lt->name) < 0) &&
			    !keep(st, &lt->name, fr->lts[i].name))
				goto nomem;
		}
		ok = ok && sum_ok(&lt->packets, fr->lts[i].packets);
	}
	qsort(nw->lts, nw->n_lts, sizeof(*nw->lts), lt_cmp);

	if (old->n_sets > 0)
		memcpy(nw->sets, old->sets, old->n_sets *
		    sizeof(*nw->sets));
	for (i = 0; i < fr->n_sets; i++) {
		for (k = 0; k < nw->n_sets &&
		    strcmp(nw->sets[k].name, fr->sets[i].name) != 0; k++)
			;
		ss = &nw->sets[k];
		if (k == nw->n_sets) {
			nw->n_sets++;
			if (!keep(st, &ss->name, fr->sets[i].name))
				goto nomem;
		}
		if (fr->sets[i].count > ss->count)
			ss->count = fr->sets[i].count;
	}
	qsort(nw->sets, nw->n_sets, sizeof(*nw->sets), set_cmp);

	ok = ok && sum_ok(&nw->packets, f->packets) &&
	    sum_ok(&nw->bytes, f->bytes);
	if (f->have_time) {
		if (!nw->have_time || f->first_sec < nw->first_sec ||
		    (f->first_sec == nw->first_sec &&
		    f->first_nsec < nw->first_nsec)) {
			nw->first_sec = f->first_sec;
			nw->first_nsec = f->first_nsec;
		}
		if (!nw->have_time || f->last_sec > nw->last_sec ||
		    (f->last_sec == nw->last_sec &&
		    f->last_nsec > nw->last_nsec)) {
			nw->last_sec = f->last_sec;
			nw->last_nsec = f->last_nsec;
		}
		nw->have_time = true;
	}
	/* The filter, group prefix: the one every report had, or mixed. */
	if (old->n_reports == 0) {
		if (!keep(st, &nw->filter, f->filter))
			goto nomem;
		nw->v4_plen = f->v4_plen;
		nw->v6_plen = f->v6_plen;
	} else {
		if (str_cmp0(old->filter, f->filter) != 0 ||
		    (old->filter == NULL) != (f->filter == NULL))
			nw->filter = LOAD_FILTER_MIXED;
		if (old->v4_plen != f->v4_plen || old->v6_plen != f->v6_plen)
			nw->plen_mixed = true;
	}
	/* Pseudonyms and addresses do not join: one kind or the other. */
	if (old->n_reports > 0 && old->anonymized != f->anonymized) {
		lsum_free(nw);
		return fail(c, "options.anonymized", f->anonymized ?
		    "anonymized, the reports before it are not" :
		    "not anonymized, the reports before it are");
	}
	nw->anonymized = f->anonymized;
	if (f->max_names > nw->max_names)
		nw->max_names = f->max_names;
	secs = stats_sections(&n_secs);
	for (i = 0; i < n_secs; i++)
		for (k = 0; k < secs[i].n_rows; k++) {
			row = &secs[i].rows[k];
			ok = ok && stats_row_add(row, field_at(nw, row),
			    field_at((struct lsum *)f, row), AGG_COUNT_MAX);
		}
	nw->have_flow = old->have_flow || f->have_flow;
	if (!ok) {
		lsum_free(nw);
		return fail(c, NULL, "statistics too large to add up (over "
		    "2^63 - 1)");
	}
	return ERR_OK;
nomem:
	lsum_free(nw);
	return fail_nomem(c);
}

/* ---- the public functions -------------------------------------------- */

struct load_stats *
load_stats_new(void)
{
	return calloc(1, sizeof(struct load_stats));
}

void
load_stats_free(struct load_stats *st)
{
	struct pchunk *c, *next;

	if (st == NULL)
		return;
	lsum_free(&st->sum);
	for (c = st->pool; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(st);
}

size_t
load_stats_reports(const struct load_stats *st)
{
	return st->sum.n_reports;
}

const struct load_sigset *
load_stats_sigsets(const struct load_stats *st, size_t *n)
{
	*n = st->sum.n_sets;
	return st->sum.sets;
}

void
load_stats_meta(const struct load_stats *st, struct report_meta *meta)
{
	const struct lsum *s = &st->sum;

	meta->files = s->files;
	meta->n_files = s->n_files;
	meta->linktypes = s->lts;
	meta->n_linktypes = s->n_lts;
	meta->packets = s->packets;
	meta->bytes = s->bytes;
	meta->have_time = s->have_time;
	meta->first_sec = s->first_sec;
	meta->first_nsec = s->first_nsec;
	meta->last_sec = s->last_sec;
	meta->last_nsec = s->last_nsec;
	meta->decode = &s->decode;
	meta->audit = &s->audit;
	meta->flow = s->have_flow ? &s->flow : NULL;
	meta->filter = s->filter;
	meta->anonymized = s->anonymized;
	if (s->n_reports > 0 && !s->plen_mixed) {
		meta->v4_plen = s->v4_plen;
		meta->v6_plen = s->v6_plen;
	}
	if (s->n_reports > 0)
		meta->max_names = (size_t)s->max_names;
}

static void
freport_free(struct freport *fr)
{
	size_t i;

	for (i = 0; i < fr->n_recs; i++)
		free(fr->recs[i].names);
	free(fr->recs);
	free(fr->where);
	free(fr->inputs);
	free(fr->paths);
	free(fr->more);
	free(fr->lts);
	free(fr->sets);
}

int
load_report_buf(struct aggregate *ag, struct load_stats *st, const char *buf,
    size_t len, const char *label, char *errbuf)
{
	struct freport fr;
	struct lsum nw;
	struct lctx c;
	json_error_t jerr;
	json_t *root = NULL;
	char sbuf[128];
	int r;

	memset(&fr, 0, sizeof(fr));
	memset(&c, 0, sizeof(c));
	c.label = label;
	c.errbuf = errbuf;
	c.fr = &fr;
	if (len > LOAD_MAX_BYTES) {
		snprintf(errbuf, ERRBUF_LEN, "%s: larger than %u MiB", label,
		    LOAD_MAX_BYTES >> 20);
		return ERR_IO;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: line %d, column %d: %s",
		    label, jerr.line, jerr.column, safe(sbuf, sizeof(sbuf),
		    jerr.text));
		return ERR_MALFORMED;
	}
	if (!json_is_object(root)) {
		r = fail(&c, NULL, "not a kasaudit report (not an object)");
		goto out;
	}
	if ((r = get_version(&c, root)) != ERR_OK ||
	    (r = get_stats(&c, root)) != ERR_OK ||
	    (r = get_hosts(&c, root)) != ERR_OK ||
	    (r = check_dups(&c)) != ERR_OK ||
	    (r = lsum_add(&c, st, &st->sum, &nw)) != ERR_OK)
		goto out;
	r = aggregate_merge(ag, fr.recs, fr.n_recs, fr.refused);
	if (r != ERR_OK) {
		lsum_free(&nw);
		if (r == ERR_NOMEM)
			fail_nomem(&c);
		else if (r == ERR_FULL)
			fail(&c, NULL, "more hosts than the table may hold "
			    "(--max-hosts)");
		else
			fail(&c, NULL, "counts too large to add up (over "
			    "2^63 - 1)");
		goto out;
	}
	/* Nothing can fail from here: the sums go in whole. */
	lsum_free(&st->sum);
	st->sum = nw;
out:
	freport_free(&fr);
	json_decref(root);
	return r;
}

int
load_report(struct aggregate *ag, struct load_stats *st, const char *path,
    char *errbuf)
{
	struct stat sb;
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, r = ERR_IO;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	if (fstat(fd, &sb) == -1 || S_ISDIR(sb.st_mode)) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path,
		    S_ISDIR(sb.st_mode) ? "is a directory" : strerror(errno));
		goto out;
	}
	if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > LOAD_MAX_BYTES) {
		snprintf(errbuf, ERRBUF_LEN, "%s: larger than %u MiB", path,
		    LOAD_MAX_BYTES >> 20);
		goto out;
	}
	/* Read to the end, not to st_size: pipes and growing files too. */
	for (;;) {
		if (len == cap) {
			if (cap > LOAD_MAX_BYTES) {
				snprintf(errbuf, ERRBUF_LEN, "%s: larger than "
				    "%u MiB", path, LOAD_MAX_BYTES >> 20);
				goto out;
			}
			cap = cap ? cap * 2 : S_ISREG(sb.st_mode) &&
			    sb.st_size > 0 ? (size_t)sb.st_size + 1 : 65536;
			if (cap > (size_t)LOAD_MAX_BYTES + 1)
				cap = (size_t)LOAD_MAX_BYTES + 1;
			if ((nb = realloc(buf, cap)) == NULL) {
				snprintf(errbuf, ERRBUF_LEN, "%s: out of "
				    "memory", path);
				r = ERR_NOMEM;
				goto out;
			}
			buf = nb;
		}
		if ((n = read(fd, buf + len, cap - len)) == 0)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			snprintf(errbuf, ERRBUF_LEN, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	r = load_report_buf(ag, st, buf, len, path, errbuf);
out:
	free(buf);
	close(fd);
	return r;
}
