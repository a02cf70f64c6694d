/* leases.c - lease files (ISC dhcpd.leases(5), Kea memfile CSV, an
 * accounting TSV) -> per-address intervals, looked up by time (RFC 3339). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "conf.h"
#include "err.h"
#include "leases.h"
#include "leases_int.h"

#define LINE_BUF	4096		/* longer lines are refused */
#define WARN_MAX	20		/* messages per file; the rest counted */
#define ARENA_CHUNK	(64 * 1024)

struct lent {
	struct addr	 prefix;	/* masked to plen */
	uint8_t		 plen;
	int64_t		 start, end;	/* [start, end) */
	uint32_t	 sub;		/* index into subs */
	uint32_t	 seq;		/* load order: the later wins a tie */
};

struct chunk {
	struct chunk	*next;
	size_t		 used, size;
	char		 data[];
};

struct leases {
	size_t		 max;
	struct lent	*v;
	size_t		 n, cap;
	struct lease_sub *subs;
	size_t		 n_subs, subs_cap;
	uint32_t	*stab;		/* sub index + 1; open addressing */
	size_t		 stab_cap;
	struct chunk	*arena;
	bool		 plens4[33], plens6[129];
	struct leases_stats st;
	leases_warn_fn	*warn;
	void		*warn_arg;
	uint32_t	 seq;
};

/* ---- the table -------------------------------------------------------- */

struct leases *
leases_new(size_t max_leases)
{
	struct leases *lt;

	if ((lt = calloc(1, sizeof(*lt))) == NULL)
		return NULL;
	lt->max = max_leases;
	return lt;
}

void
leases_free(struct leases *lt)
{
	struct chunk *c, *next;

	if (lt == NULL)
		return;
	for (c = lt->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(lt->v);
	free(lt->subs);
	free(lt->stab);
	free(lt);
}

void
leases_set_warn(struct leases *lt, leases_warn_fn *fn, void *arg)
{
	lt->warn = fn;
	lt->warn_arg = arg;
}

void
leases_stats(const struct leases *lt, struct leases_stats *st)
{
	*st = lt->st;
}

static char *
arena_dup(struct leases *lt, const char *s, size_t n)
{
	struct chunk *c = lt->arena;
	size_t size;
	char *p;

	if (c == NULL || c->size - c->used < n + 1) {
		size = n + 1 > ARENA_CHUNK ? n + 1 : ARENA_CHUNK;
		if ((c = malloc(sizeof(*c) + size)) == NULL)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = lt->arena;
		lt->arena = c;
	}
	p = c->data + c->used;
	memcpy(p, s, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

static uint32_t
str_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h ^ (h >> 15);
}

static size_t
stab_slot(const struct leases *lt, const char *name)
{
	size_t j = str_hash(name) & (lt->stab_cap - 1);

	while (lt->stab[j] != 0 &&
	    strcmp(lt->subs[lt->stab[j] - 1].name, name) != 0)
		j = (j + 1) & (lt->stab_cap - 1);
	return j;
}

const struct lease_sub *
leases_sub(const struct leases *lt, const char *name)
{
	size_t j;

	if (lt == NULL || lt->stab_cap == 0)
		return NULL;
	j = stab_slot(lt, name);
	return lt->stab[j] != 0 ? &lt->subs[lt->stab[j] - 1] : NULL;
}

static int
stab_grow(struct leases *lt)
{
	size_t cap = lt->stab_cap ? lt->stab_cap * 2 : 64, i, j;
	uint32_t *t;

	if ((t = calloc(cap, sizeof(*t))) == NULL)
		return ERR_NOMEM;
	for (i = 0; i < lt->n_subs; i++) {
		j = str_hash(lt->subs[i].name) & (cap - 1);
		while (t[j] != 0)
			j = (j + 1) & (cap - 1);
		t[j] = (uint32_t)(i + 1);
	}
	free(lt->stab);
	lt->stab = t;
	lt->stab_cap = cap;
	return ERR_OK;
}

/* The index of subscriber name; a contact given fills an empty one. */
static int
sub_get(struct leases *lt, const char *name, const char *contact,
    uint32_t *idx)
{
	struct lease_sub *v, *s;
	size_t j, cap;
	char *c;

	if (lt->n_subs + 1 > lt->stab_cap / 4 * 3 && stab_grow(lt) != ERR_OK)
		return ERR_NOMEM;
	j = stab_slot(lt, name);
	if (lt->stab[j] != 0) {
		s = &lt->subs[lt->stab[j] - 1];
		if (*s->contact == '\0' && *contact != '\0') {
			if ((c = arena_dup(lt, contact, strlen(contact))) ==
			    NULL)
				return ERR_NOMEM;
			s->contact = c;
		}
		*idx = lt->stab[j] - 1;
		return ERR_OK;
	}
	if (lt->n_subs >= UINT32_MAX - 1)
		return ERR_NOMEM;
	if (lt->n_subs == lt->subs_cap) {
		cap = lt->subs_cap ? lt->subs_cap * 2 : 64;
		if ((v = realloc(lt->subs, cap * sizeof(*v))) == NULL)
			return ERR_NOMEM;
		lt->subs = v;
		lt->subs_cap = cap;
	}
	s = &lt->subs[lt->n_subs];
	if ((s->name = arena_dup(lt, name, strlen(name))) == NULL ||
	    (s->contact = arena_dup(lt, contact, strlen(contact))) == NULL)
		return ERR_NOMEM;
	lt->stab[j] = (uint32_t)(lt->n_subs + 1);
	*idx = (uint32_t)lt->n_subs++;
	return ERR_OK;
}

void
lease_warn(struct rd *rd, const char *fmt, const char *what)
{
	char msg[ERRBUF_LEN], line[ERRBUF_LEN];

	rd->lt->st.bad_lines++;
	if (rd->lt->warn == NULL || rd->warned++ >= WARN_MAX)
		return;
	snprintf(line, sizeof(line), fmt, what);
	(void)conf_fail(msg, rd->label, rd->line, "%s", line);
	rd->lt->warn(rd->lt->warn_arg, msg);
}

void
lease_not_held(struct rd *rd)
{
	rd->lt->st.not_held++;
}

int
lease_add(struct rd *rd, const struct addr *a, unsigned plen, int64_t start,
    int64_t end, const char *name, const char *contact)
{
	struct leases *lt = rd->lt;
	struct lent *v, *e;
	uint32_t sub;
	size_t cap;

	if (end <= start) {
		lease_warn(rd, "the lease ends before it starts%s", "");
		return ERR_OK;
	}
	if (*name == '\0') {
		lease_warn(rd, "no subscriber: no host name, client id or MAC%s",
		    "");
		return ERR_OK;
	}
	if (lt->max > 0 && lt->n >= lt->max) {
		lt->st.refused++;
		return ERR_OK;
	}
	if (lt->n == lt->cap) {
		cap = lt->cap ? lt->cap * 2 : 256;
		if ((v = realloc(lt->v, cap * sizeof(*v))) == NULL)
			return ERR_NOMEM;
		lt->v = v;
		lt->cap = cap;
	}
	if (sub_get(lt, name, contact, &sub) != ERR_OK)
		return ERR_NOMEM;
	e = &lt->v[lt->n++];
	addr_mask(&e->prefix, a, plen);
	e->plen = (uint8_t)plen;
	e->start = start;
	e->end = end;
	e->sub = sub;
	e->seq = lt->seq++;
	if (a->family == 4)
		lt->plens4[plen] = true;
	else
		lt->plens6[plen] = true;
	lt->st.leases++;
	return ERR_OK;
}

/* ---- lookups ---------------------------------------------------------- */

static int
lent_cmp(const void *x, const void *y)
{
	const struct lent *a = x, *b = y;
	int c;

	if ((c = addr_cmp(&a->prefix, &b->prefix)) != 0)
		return c;
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

int
leases_finish(struct leases *lt)
{
	struct lent *a, *b;
	size_t i, o;

	if (lt->n > 0)
		qsort(lt->v, lt->n, sizeof(*lt->v), lent_cmp);
	/* The later start wins: cut each interval where the next begins. */
	for (i = 0, o = 0; i < lt->n; i++) {
		a = &lt->v[i];
		if (i + 1 < lt->n) {
			b = &lt->v[i + 1];
			if (addr_eq(&a->prefix, &b->prefix) &&
			    a->plen == b->plen && a->end > b->start)
				a->end = b->start;
		}
		if (a->end > a->start)		/* an equal start: gone */
			lt->v[o++] = *a;
	}
	lt->n = o;
	return ERR_OK;
}

const struct lease_sub *
leases_find(const struct leases *lt, const struct addr *a, int64_t ts)
{
	const bool *plens;
	const struct lent *e;
	struct addr m;
	size_t lo, hi, mid;
	int p, c;

	if (lt == NULL || lt->n == 0 || (a->family != 4 && a->family != 6))
		return NULL;
	plens = a->family == 4 ? lt->plens4 : lt->plens6;
	for (p = a->family == 4 ? 32 : 128; p >= 0; p--) {
		if (!plens[p])
			continue;
		addr_mask(&m, a, (unsigned)p);
		/* The first entry after (m, p, ts). */
		lo = 0;
		hi = lt->n;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			e = &lt->v[mid];
			if ((c = addr_cmp(&e->prefix, &m)) == 0)
				c = e->plen < p ? -1 : e->plen > p;
			if (c == 0)
				c = e->start <= ts ? -1 : 1;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			continue;
		e = &lt->v[lo - 1];
		if (addr_eq(&e->prefix, &m) && e->plen == p &&
		    e->start <= ts && ts < e->end)
			return &lt->subs[e->sub];
	}
	return NULL;
}

/* ---- times ------------------------------------------------------------ */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static unsigned
mdays(unsigned y, unsigned m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31,
		31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* n digits at s[*i] into *v; false if they are not all digits. */
static bool
digits(const char *s, size_t len, size_t *i, unsigned n, unsigned *v)
{
	unsigned k;

	*v = 0;
	if (len - *i < n)
		return false;
	for (k = 0; k < n; k++) {
		if (s[*i + k] < '0' || s[*i + k] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[*i + k] - '0');
	}
	*i += n;
	return true;
}

static bool
lit(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return false;
	(*i)++;
	return true;
}

bool
lease_epoch(const char *s, size_t n, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (n == 0 || n > 12)		/* up to the year 33658 */
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* "Y-M-D" or "Y/M/D" then sep then "H:M:S" at s[*i]. */
bool
lease_date_time(const char *s, size_t n, size_t *i, char dsep, int64_t *out)
{
	unsigned y, mo, d, h, mi, se;

	if (!digits(s, n, i, 4, &y) || !lit(s, n, i, dsep) ||
	    !digits(s, n, i, 2, &mo) || !lit(s, n, i, dsep) ||
	    !digits(s, n, i, 2, &d))
		return false;
	if (*i >= n || (s[*i] != 'T' && s[*i] != 't' && s[*i] != ' '))
		return false;
	(*i)++;
	if (!digits(s, n, i, 2, &h) || !lit(s, n, i, ':') ||
	    !digits(s, n, i, 2, &mi) || !lit(s, n, i, ':') ||
	    !digits(s, n, i, 2, &se))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) || h > 23 ||
	    mi > 59 || se > 60)
		return false;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    (se == 60 ? 59 : se);
	return true;
}

bool
leases_parse_time(const char *s, size_t n, int64_t *out)
{
	unsigned oh, om;
	size_t i = 0;
	int64_t t;
	int sign;

	if (lease_epoch(s, n, out))
		return true;
	if (!lease_date_time(s, n, &i, '-', &t))
		return false;
	if (i < n && s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
	}
	if (i < n && (s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
		*out = t;
		return true;
	}
	if (i >= n || (s[i] != '+' && s[i] != '-'))
		return false;
	sign = s[i++] == '+' ? 1 : -1;
	if (!digits(s, n, &i, 2, &oh) || !lit(s, n, &i, ':') ||
	    !digits(s, n, &i, 2, &om) || i != n || oh > 23 || om > 59)
		return false;
	*out = t - sign * (int64_t)(oh * 3600 + om * 60);
	return true;
}

const char *
leases_format_name(enum leases_format f)
{
	static const char *const names[] = { "unknown", "dhcpd", "kea4",
		"kea6", "tsv" };

	return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] :
	    "?";
}

static void
rd_init(struct rd *rd, struct leases *lt, const char *label,
    enum leases_format fmt)
{
	memset(rd, 0, sizeof(*rd));
	rd->lt = lt;
	rd->label = label;
	rd->fmt = fmt;
	rd->cltt = -1;
}

static void
rd_end(struct rd *rd)
{
	if (rd->fmt == LEASES_DHCPD && rd->depth > 0)
		lease_warn(rd, "the file ends inside a block%s", "");
	rd->lt->st.files++;
}

int
leases_load_buf(struct leases *lt, const char *buf, size_t len,
    const char *label, char *errbuf)
{
	struct conf_lines ls;
	struct rd rd;
	const char *s;
	size_t n;
	enum leases_format fmt;

	if ((fmt = leases_sniff(buf, len)) == LEASES_UNKNOWN) {
		snprintf(errbuf, ERRBUF_LEN, "%s: not a lease file (dhcpd."
		    "leases, Kea lease CSV or a TSV with a '#start' header)",
		    label);
		return ERR_UNSUPPORTED;
	}
	rd_init(&rd, lt, label, fmt);
	conf_lines_init(&ls, buf, len);
	while (conf_line(&ls, &s, &n)) {
		rd.line = ls.line;
		if (n > 0 && memchr(s, '\0', n) != NULL) {
			lease_warn(&rd, "a NUL byte%s", "");
			continue;
		}
		lease_line(&rd, s, n);
	}
	rd_end(&rd);
	return ERR_OK;
}

/*
 * Read line by line so that a lease file of any size costs only what it
 * keeps; the first 64 KiB (or less) tell the format.
 */
int
leases_load_file(struct leases *lt, const char *path, char *errbuf)
{
	char line[LINE_BUF], head[65536];
	struct rd rd;
	FILE *fp;
	size_t n, hn;
	bool longline = false;
	enum leases_format fmt;
	int c;

	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	hn = fread(head, 1, sizeof(head), fp);
	if (ferror(fp) || fseek(fp, 0, SEEK_SET) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		fclose(fp);
		return ERR_IO;
	}
	if ((fmt = leases_sniff(head, hn)) == LEASES_UNKNOWN) {
		fclose(fp);
		snprintf(errbuf, ERRBUF_LEN, "%s: not a lease file (dhcpd."
		    "leases, Kea lease CSV or a TSV with a '#start' header)",
		    path);
		return ERR_UNSUPPORTED;
	}
	rd_init(&rd, lt, path, fmt);
	while (fgets(line, sizeof(line), fp) != NULL) {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n') {
			line[--n] = '\0';
			if (longline) {		/* the tail of a long one */
				longline = false;
				continue;
			}
			rd.line++;
		} else if (!feof(fp)) {
			if (!longline) {
				rd.line++;
				lease_warn(&rd, "longer than 4095 bytes%s", "");
			}
			longline = true;
			continue;
		} else {
			rd.line++;
		}
		if (longline) {
			longline = false;
			continue;
		}
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		lease_line(&rd, line, n);
	}
	c = ferror(fp);
	fclose(fp);
	if (c) {
		snprintf(errbuf, ERRBUF_LEN, "%s: read error", path);
		return ERR_IO;
	}
	rd_end(&rd);
	return ERR_OK;
}
