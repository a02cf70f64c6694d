/* load.c - JSON reports (RFC 8259) read back with jansson; doc/json.md.
 * Owns the entry points, error messages with JSON paths, typed members. */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "load_int.h"

/*
 * Reports are untrusted input (they travel between sensors and desks), and
 * a JSON parser is easy to get subtly wrong: jansson, a small and
 * well-kept one, does the syntax (UTF-8 checked, \u0000 refused, nesting
 * capped at 2048, integers past 2^63 - 1 refused); the load files check
 * the meaning, key by key, and name the JSON path of whatever is wrong.
 */

/* ---- messages -------------------------------------------------------- */

size_t
load_push(struct lctx *c, const char *fmt, ...)
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

void
load_pop(struct lctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

/* s fit for a terminal: printable ASCII, at most 40 characters. */
const char *
load_safe(char *buf, size_t size, const char *s)
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

int
load_fail(struct lctx *c, const char *key, const char *fmt, ...)
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

int
load_fail_nomem(struct lctx *c)
{
	snprintf(c->errbuf, ERRBUF_LEN, "%s: out of memory", c->label);
	return ERR_NOMEM;
}

/* ---- typed members: required unless LOAD_OPT; null with LOAD_NUL ---- */

/* The member, or NULL when absent or null and allowed to be. */
int
load_member(struct lctx *c, json_t *o, const char *key, unsigned fl,
    json_t **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL)
		return fl & LOAD_OPT ? ERR_OK : load_fail(c, key, "missing");
	if (json_is_null(v))
		return fl & LOAD_NUL ? ERR_OK : load_fail(c, key, "null");
	*out = v;
	return ERR_OK;
}

int
load_get_u64(struct lctx *c, json_t *o, const char *key, unsigned fl,
    uint64_t *out)
{
	json_t *v;
	int r;

	*out = 0;
	if ((r = load_member(c, o, key, fl, &v)) != ERR_OK || v == NULL)
		return r;
	if (!json_is_integer(v))
		return load_fail(c, key, "not an integer");
	if (json_integer_value(v) < 0)
		return load_fail(c, key, "negative");
	*out = (uint64_t)json_integer_value(v);
	return ERR_OK;
}

int
load_get_bool(struct lctx *c, json_t *o, const char *key, unsigned fl,
    bool *out)
{
	json_t *v;
	int r;

	*out = false;
	if ((r = load_member(c, o, key, fl, &v)) != ERR_OK || v == NULL)
		return r;
	if (!json_is_boolean(v))
		return load_fail(c, key, "not true or false");
	*out = json_is_true(v);
	return ERR_OK;
}

/* *out borrowed from the tree; NULL when absent or null (if allowed). */
int
load_get_str(struct lctx *c, json_t *o, const char *key, unsigned fl,
    size_t max, const char **out)
{
	json_t *v;
	int r;

	*out = NULL;
	if ((r = load_member(c, o, key, fl, &v)) != ERR_OK || v == NULL)
		return r;
	if (!json_is_string(v))
		return load_fail(c, key, "not a string");
	/* jansson refuses \u0000 (no JSON_ALLOW_NUL): a C string is whole. */
	if (json_string_length(v) > max)
		return load_fail(c, key, "longer than %zu bytes", max);
	*out = json_string_value(v);
	return ERR_OK;
}

int
load_get_typed(struct lctx *c, json_t *o, const char *key, unsigned fl,
    bool array, json_t **out)
{
	int r;

	if ((r = load_member(c, o, key, fl, out)) != ERR_OK || *out == NULL)
		return r;
	if (array ? !json_is_array(*out) : !json_is_object(*out))
		return load_fail(c, key, array ? "not an array" :
		    "not an object");
	return ERR_OK;
}

/*
 * An object of counters named by an enum.  Members it does not have count
 * 0 (a report from before a kind or category existed); members we do not
 * know are ignored (a report from after).
 */
int
load_get_counts(struct lctx *c, json_t *o, const char *key, unsigned fl,
    uint64_t *v, size_t n, const char *(*name)(size_t))
{
	json_t *obj;
	size_t i, mark;
	int r;

	memset(v, 0, n * sizeof(*v));
	if ((r = load_get_typed(c, o, key, fl, false, &obj)) != ERR_OK ||
	    obj == NULL)
		return r;
	mark = load_push(c, "%s%s", c->plen > 0 ? "." : "", key);
	for (i = 0; i < n && r == ERR_OK; i++)
		r = load_get_u64(c, obj, name(i), LOAD_OPT, &v[i]);
	load_pop(c, mark);
	return r;
}

/* ---- times, file names ---------------------------------------------- */

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
bool
load_parse_time(const char *s, int64_t *sec, uint32_t *nsec)
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

int
load_path_cmp(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;

	return strcmp(*a, *b);
}

/* ---- the public functions -------------------------------------------- */

void
load_freport_free(struct freport *fr)
{
	size_t i;

	for (i = 0; i < fr->n_recs; i++) {
		free(fr->recs[i].names);
		free(fr->recs[i].hnames);
		free(fr->recs[i].days);
	}
	free(fr->recs);
	free(fr->where);
	free(fr->inputs);
	free(fr->paths);
	for (i = 0; fr->more_owned && i < fr->n_more; i++)
		free((char *)fr->more[i]);
	free(fr->more);
	free(fr->lts);
	free(fr->sets);
}

/* One input's identity: path, format, packets, bytes. */
static uint64_t
input_hash(const char *path, const char *format, uint64_t packets,
    uint64_t bytes)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;
	unsigned i;

	for (p = path; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ 0xff) * 0x100000001b3ULL;
	for (p = format != NULL ? format : ""; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	for (i = 0; i < 8; i++)
		h = (h ^ ((packets >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
	for (i = 0; i < 8; i++)
		h = (h ^ ((bytes >> (8 * i)) & 0xff)) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 33);
}

/*
 * Counting a capture twice doubles every count of its hosts.  A report
 * whose inputs are exactly those of a report loaded before (the same
 * report twice, or a copy) is ERR_DUP: skipped, once.  One that shares
 * some inputs (same path, format, packets and bytes) with what was loaded
 * but is not such a copy cannot be split: ERR_MALFORMED naming the input,
 * whatever the order of the reports.  *fp gets this report's hash (the
 * sum of its inputs', so their order does not matter).
 */
int
load_check_counted(struct lctx *c, const struct load_stats *st, uint64_t *fp)
{
	const struct freport *fr = c->fr;
	const struct finput *in;
	const struct report_file *rf;
	size_t i, j;

	*fp = 0;
	for (i = 0; i < fr->n_inputs; i++) {
		in = &fr->inputs[i];
		*fp += input_hash(in->path, in->format, in->packets, in->bytes);
	}
	if (fr->n_inputs == 0)
		return ERR_OK;
	*fp += fr->n_inputs;
	for (i = 0; i < st->n_fps; i++)
		if (st->fps[i] == *fp) {
			in = &fr->inputs[0];
			snprintf(c->errbuf, ERRBUF_LEN, "%s: already counted: "
			    "a report merged before has the same inputs (%s, "
			    "%" PRIu64 " packets%s); taken once", c->label,
			    in->path, in->packets, fr->n_inputs > 1 ?
			    ", and the others" : "");
			return ERR_DUP;
		}
	for (i = 0; i < fr->n_inputs; i++) {
		in = &fr->inputs[i];
		for (j = 0; j < st->sum.n_files; j++) {
			rf = &st->sum.files[j];
			if (strcmp(rf->path, in->path) == 0 &&
			    rf->packets == in->packets &&
			    rf->bytes == in->bytes &&
			    strcmp(rf->format != NULL ? rf->format : "",
			    in->format != NULL ? in->format : "") == 0)
				return load_fail(c, NULL, "inputs[%zu] %s (%"
				    PRIu64 " packets) is counted in a report "
				    "merged before, and the two reports differ in "
				    "their other inputs: "
				    "merging both would count it twice", i,
				    in->path, in->packets);
		}
	}
	return ERR_OK;
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
	uint64_t fp, *grown;
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
		    label, jerr.line, jerr.column, load_safe(sbuf, sizeof(sbuf),
		    jerr.text));
		return ERR_MALFORMED;
	}
	if (!json_is_object(root)) {
		r = load_fail(&c, NULL, "not a kasaudit report (not an "
		    "object)");
		goto out;
	}
	if ((r = load_get_version(&c, root)) != ERR_OK ||
	    (r = load_get_stats(&c, root)) != ERR_OK ||
	    (r = load_get_hosts(&c, root)) != ERR_OK ||
	    (r = load_check_dups(&c)) != ERR_OK ||
	    (r = load_check_counted(&c, st, &fp)) != ERR_OK ||
	    (r = load_sum_add(&c, st, &st->sum, &nw)) != ERR_OK)
		goto out;
	if (st->n_fps == st->cap_fps) {
		size_t cap = st->cap_fps ? st->cap_fps * 2 : 16;

		if ((grown = realloc(st->fps, cap * sizeof(*grown))) == NULL) {
			load_sum_free(&nw);
			r = load_fail_nomem(&c);
			goto out;
		}
		st->fps = grown;
		st->cap_fps = cap;
	}
	r = aggregate_merge(ag, fr.recs, fr.n_recs, fr.refused);
	if (r == ERR_OK)
		aggregate_add_no_lease(ag, fr.no_lease);
	if (r != ERR_OK) {
		load_sum_free(&nw);
		if (r == ERR_NOMEM)
			load_fail_nomem(&c);
		else if (r == ERR_FULL)
			load_fail(&c, NULL, "more hosts than the table may "
			    "hold (--max-hosts)");
		else
			load_fail(&c, NULL, "counts too large to add up (over "
			    "2^63 - 1)");
		goto out;
	}
	/* Nothing can fail from here: the sums go in whole. */
	load_sum_free(&st->sum);
	st->sum = nw;
	if (fr.n_inputs > 0)
		st->fps[st->n_fps++] = fp;
out:
	load_freport_free(&fr);
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
