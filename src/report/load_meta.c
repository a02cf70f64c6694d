/* load_meta.c - a report's statistics read back (inputs, link types, time,
 * options, counters) and added up, in any order, into struct load_stats. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "load_int.h"
#include "stats.h"

#define POOL_CHUNK	(16 * 1024)

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

/* The counter of a stats.c row in s. */
static uint64_t *
field_at(struct lsum *s, const struct stats_row *row)
{
	return stats_at(row, &s->decode, &s->audit, &s->flow);
}

/* ---- the report's statistics ----------------------------------------- */

int
load_get_version(struct lctx *c, json_t *root)
{
	const char *v;
	char buf[64];
	unsigned long major = 0;
	size_t i;
	int r;

	if ((r = load_get_str(c, root, "version", 0, 64, &v)) != ERR_OK)
		return r;
	for (i = 0; v[i] >= '0' && v[i] <= '9' && major < 1000000; i++)
		major = major * 10 + (unsigned long)(v[i] - '0');
	if (i == 0 || v[i] != '.')
		return load_fail(c, "version", "not a version: %s",
		    load_safe(buf, sizeof(buf), v));
	if (major > LOAD_MAJOR)
		return load_fail(c, "version", "%s is newer than this kasaudit "
		    "reads (%d.x); use a kasaudit as new", load_safe(buf,
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

	if ((r = load_get_typed(c, root, "inputs", 0, true, &arr)) != ERR_OK)
		return r;
	n = json_array_size(arr);
	if ((fr->inputs = calloc(n ? n : 1, sizeof(*fr->inputs))) == NULL ||
	    (fr->paths = calloc(n ? n : 1, sizeof(*fr->paths))) == NULL)
		return load_fail_nomem(c);
	json_array_foreach(arr, i, o) {
		in = &fr->inputs[i];
		mark = load_push(c, "inputs[%zu]", i);
		if (!json_is_object(o))
			r = load_fail(c, NULL, "not an object");
		else if ((r = load_get_str(c, o, "path", 0, LOAD_STR_MAX,
		    &in->path)) == ERR_OK &&
		    (r = load_get_str(c, o, "format", LOAD_NUL | LOAD_OPT, 64,
		    &in->format)) == ERR_OK &&
		    (r = load_get_u64(c, o, "packets", LOAD_OPT,
		    &in->packets)) == ERR_OK &&
		    (r = load_get_u64(c, o, "bytes", LOAD_OPT, &in->bytes)) ==
		    ERR_OK &&
		    (r = load_get_u64(c, o, "filtered", LOAD_OPT,
		    &in->filtered)) == ERR_OK &&
		    (r = load_get_bool(c, o, "complete", LOAD_OPT,
		    &in->complete)) == ERR_OK &&
		    (r = load_get_str(c, o, "error", LOAD_NUL | LOAD_OPT,
		    LOAD_STR_MAX, &in->error)) == ERR_OK)
			r = load_get_u64(c, o, "unsupported_packets", LOAD_OPT,
			    &in->unsupported);
		load_pop(c, mark);
		if (r != ERR_OK)
			return r;
		fr->paths[i] = in->path;
		fr->n_inputs++;
	}
	qsort(fr->paths, fr->n_inputs, sizeof(*fr->paths), load_path_cmp);
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

	if ((r = load_get_typed(c, root, "linktypes", 0, true, &arr)) != ERR_OK)
		return r;
	n = json_array_size(arr);
	if ((fr->lts = calloc(n ? n : 1, sizeof(*fr->lts))) == NULL)
		return load_fail_nomem(c);
	json_array_foreach(arr, i, o) {
		lt = &fr->lts[i];
		mark = load_push(c, "linktypes[%zu]", i);
		if (!json_is_object(o))
			r = load_fail(c, NULL, "not an object");
		else if ((r = load_member(c, o, "linktype", 0, &num)) ==
		    ERR_OK &&
		    (!json_is_integer(num) || json_integer_value(num) < 0 ||
		    json_integer_value(num) > INT32_MAX))
			r = load_fail(c, "linktype", "not a link type");
		else if (r == ERR_OK &&
		    (r = load_get_str(c, o, "name", LOAD_NUL | LOAD_OPT, 64,
		    &lt->name)) == ERR_OK &&
		    (r = load_get_u64(c, o, "packets", LOAD_OPT,
		    &lt->packets)) == ERR_OK)
			r = load_get_bool(c, o, "supported", LOAD_OPT,
			    &lt->supported);
		if (r == ERR_OK)
			lt->linktype = (int)json_integer_value(num);
		for (j = 0; j < i && r == ERR_OK; j++)
			if (fr->lts[j].linktype == lt->linktype)
				r = load_fail(c, "linktype", "given twice");
		load_pop(c, mark);
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

	if ((r = load_get_typed(c, root, "time", 0, false, &o)) != ERR_OK)
		return r;
	mark = load_push(c, "time");
	if ((r = load_get_str(c, o, "first", LOAD_NUL, 64, &first)) == ERR_OK &&
	    (r = load_get_str(c, o, "last", LOAD_NUL, 64, &last)) == ERR_OK) {
		if ((first == NULL) != (last == NULL))
			r = load_fail(c, NULL, "first and last not both null");
		else if (first != NULL && !load_parse_time(first, &s->first_sec,
		    &s->first_nsec))
			r = load_fail(c, "first", "not a time");
		else if (last != NULL && !load_parse_time(last, &s->last_sec,
		    &s->last_nsec))
			r = load_fail(c, "last", "not a time");
		s->have_time = first != NULL;
	}
	load_pop(c, mark);
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

	if ((r = load_get_typed(c, root, "options", 0, false, &o)) != ERR_OK)
		return r;
	mark = load_push(c, "options");
	if ((r = load_get_typed(c, o, "group_prefix", 0, false, &gp)) ==
	    ERR_OK &&
	    (r = load_get_u64(c, o, "max_names", 0, &s->max_names)) == ERR_OK &&
	    (r = load_get_bool(c, o, "anonymized", LOAD_OPT, &s->anonymized)) ==
	    ERR_OK) {
		load_push(c, ".group_prefix");
		if ((r = load_get_u64(c, gp, "ipv4", 0, &v4)) == ERR_OK &&
		    (r = load_get_u64(c, gp, "ipv6", 0, &v6)) == ERR_OK &&
		    (v4 > 32 || v6 > 128))
			r = load_fail(c, v4 > 32 ? "ipv4" : "ipv6", "too long");
	}
	load_pop(c, mark);
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

	if ((r = load_get_typed(c, root, "signatures", LOAD_OPT, false, &o)) !=
	    ERR_OK || o == NULL)
		return r;
	mark = load_push(c, "signatures");
	if ((r = load_get_typed(c, o, "sets", 0, true, &arr)) != ERR_OK)
		goto out;
	if ((fr->sets = calloc(json_array_size(arr) + 1,
	    sizeof(*fr->sets))) == NULL) {
		r = load_fail_nomem(c);
		goto out;
	}
	json_array_foreach(arr, i, e) {
		mark2 = load_push(c, ".sets[%zu]", i);
		if (!json_is_object(e))
			r = load_fail(c, NULL, "not an object");
		else if ((r = load_get_str(c, e, "name", 0, LOAD_STR_MAX,
		    &sig.name)) == ERR_OK)
			r = load_get_u64(c, e, "count", 0, &sig.count);
		if (r != ERR_OK)
			goto out;
		load_pop(c, mark2);
		/* A set loaded twice (-s a -s b -s a) counts twice. */
		for (j = 0; j < fr->n_sets &&
		    strcmp(fr->sets[j].name, sig.name) != 0; j++)
			;
		d = &fr->sets[j];
		if (j == fr->n_sets) {
			fr->n_sets++;
			*d = sig;
		} else if (d->count > AGG_COUNT_MAX - sig.count) {
			r = load_fail(c, NULL, "set counts too large");
			goto out;
		} else {
			d->count += sig.count;
		}
	}
out:
	load_pop(c, mark);
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
		else if ((r = load_get_typed(c, root, sec->key,
		    LOAD_OPT | LOAD_NUL, false, &o)) != ERR_OK)
			return r;
		if (o == NULL)
			continue;
		if (sec->flow)
			s->have_flow = true;
		mark = load_push(c, "%s", sec->key);
		for (k = 0; k < sec->n_rows && r == ERR_OK; k++) {
			row = &sec->rows[k];
			if (row->key == NULL)
				continue;
			if (row->n == 0)
				r = load_get_u64(c, o, row->key, LOAD_OPT,
				    field_at(s, row));
			else
				r = load_get_counts(c, o, row->key, LOAD_OPT,
				    field_at(s, row), row->n, row->name);
		}
		load_pop(c, mark);
		if (r != ERR_OK)
			return r;
	}
	return ERR_OK;
}

int
load_get_stats(struct lctx *c, json_t *root)
{
	struct lsum *s = &c->fr->sum;
	json_t *summary, *leases;
	size_t mark;
	int r;

	if ((r = get_inputs(c, root)) != ERR_OK ||
	    (r = get_linktypes(c, root)) != ERR_OK ||
	    (r = get_time(c, root)) != ERR_OK ||
	    (r = load_get_u64(c, root, "packets", 0, &s->packets)) != ERR_OK ||
	    (r = load_get_u64(c, root, "bytes", 0, &s->bytes)) != ERR_OK ||
	    (r = load_get_str(c, root, "filter", LOAD_NUL | LOAD_OPT,
	    LOAD_STR_MAX, &s->filter)) != ERR_OK ||
	    (r = get_sigsets(c, root)) != ERR_OK ||
	    (r = get_options(c, root)) != ERR_OK ||
	    (r = get_sections(c, root)) != ERR_OK ||
	    (r = load_get_typed(c, root, "summary", LOAD_OPT, false,
	    &summary)) != ERR_OK || summary == NULL)
		return r;
	mark = load_push(c, "summary");
	r = load_get_u64(c, summary, "refused", LOAD_OPT, &c->fr->refused);
	load_pop(c, mark);
	if (r != ERR_OK ||
	    (r = load_get_typed(c, root, "leases", LOAD_OPT, false,
	    &leases)) != ERR_OK || leases == NULL)
		return r;
	mark = load_push(c, "leases");
	r = load_get_u64(c, leases, "no_lease", 0, &c->fr->no_lease);
	load_pop(c, mark);
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

void
load_sum_free(struct lsum *s)
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
int
load_sum_add(struct lctx *c, struct load_stats *st, const struct lsum *old,
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
		load_sum_free(nw);
		return load_fail(c, "options.anonymized", f->anonymized ?
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
		load_sum_free(nw);
		return load_fail(c, NULL, "statistics too large to add up "
		    "(over 2^63 - 1)");
	}
	return ERR_OK;
nomem:
	load_sum_free(nw);
	return load_fail_nomem(c);
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
	load_sum_free(&st->sum);
	free(st->fps);
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
