/* load_stream.c - a report of any size read back in chunks (live --state):
 * one small tree per host record, never one tree of the whole file. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load_int.h"

/*
 * The scan knows just enough of JSON to find the host records: strings
 * (with their escapes), brackets, and the keys of the first three levels.
 * A host record is an element of networks[i].hosts, resolvers or
 * blind_spots.hosts.  Everything else is the skeleton: the report with
 * those arrays empty, which jansson reads and checks as load_report()
 * does; each host record is read by jansson alone.  Whatever the scan does
 * not check (a bad number, a missing comma), jansson does.
 */
#define LS_DEPTH_MAX	64		/* a report is 8 deep */
#define LS_KEY_LEN	16
#define LS_BATCH	256		/* host records added at a time */
#define LS_GAPS_MAX	1024		/* host lists mapped back to offsets */

size_t load_stream_chunk = 1u << 20;

struct lbuf {
	char	*p;
	size_t	 len, cap, max;
};

/* Where the skeleton skips a host list's contents: skeleton position
 * pos is file offset pos + skipped. */
struct lgap {
	uint64_t	 pos, skipped;
};

struct lscan;
typedef int	lhost_fn(struct lscan *, const char *, size_t);

struct lscan {
	const char	*label;
	char		*errbuf;
	uint64_t	 off;			/* of the byte scanned */
	char		 stack[LS_DEPTH_MAX + 1];
	int		 depth;
	bool		 in_str, esc;
	char		 str[LS_KEY_LEN];
	size_t		 str_len;
	char		 key[4][LS_KEY_LEN];	/* at depths 1..3 */
	size_t		 net_n;			/* networks[] elements */
	int		 host_depth;		/* 0: not in a host list */
	enum hlist	 list;
	struct where	 w;
	bool		 in_elem;
	uint64_t	 elem_off;
	struct lbuf	 elem;
	struct lbuf	*skel;			/* pass 1 only */
	struct lgap	 gaps[LS_GAPS_MAX];
	size_t		 n_gaps;
	uint64_t	 skipped;
	size_t		 n_hosts;
	lhost_fn	*host;			/* passes 2 and 3 */
	void		*arg;
};

static int
ls_fail(struct lscan *s, const char *fmt, ...)
{
	char msg[ERRBUF_LEN / 2];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(s->errbuf, ERRBUF_LEN, "%.*s: offset %" PRIu64 ": %s",
	    ERRBUF_LEN / 4, s->label, s->off, msg);
	return ERR_MALFORMED;
}

static int
lbuf_add(struct lbuf *b, const char *p, size_t n)
{
	size_t cap;
	char *np;

	if (b->len + n > b->max)
		return ERR_FULL;
	if (b->len + n + 1 > b->cap) {
		cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		if ((np = realloc(b->p, cap)) == NULL)
			return ERR_NOMEM;
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return ERR_OK;
}

/* The list a '[' opens at the current depth, if it is one of hosts. */
static bool
host_list(struct lscan *s)
{
	const char *k1 = s->key[1];

	if (s->depth == 1 && strcmp(k1, "resolvers") == 0) {
		s->list = L_RESOLVER;
		s->w.list = "resolvers";
		s->w.nested = false;
	} else if (s->depth == 3 && s->stack[2] == '[' &&
	    strcmp(k1, "networks") == 0 && strcmp(s->key[3], "hosts") == 0) {
		s->list = L_OFFENDER;
		s->w.list = "networks";
		s->w.nested = true;
		s->w.i = s->net_n - 1;
	} else if (s->depth == 2 && s->stack[2] == '{' &&
	    strcmp(k1, "blind_spots") == 0 && strcmp(s->key[2], "hosts") ==
	    0) {
		s->list = L_BLIND;
		s->w.list = "blind_spots.hosts";
		s->w.nested = false;
	} else
		return false;
	return true;
}

static const char *
ls_where(const struct lscan *s, char *buf, size_t size)
{
	if (s->w.nested)
		snprintf(buf, size, "%s[%zu].hosts[%zu]", s->w.list, s->w.i,
		    s->w.j);
	else
		snprintf(buf, size, "%s[%zu]", s->w.list, s->w.j);
	return buf;
}

/* One byte; ERR_OK or an error with errbuf written. */
static int
scan_byte(struct lscan *s, char ch)
{
	char wb[64];
	int r;
	bool at_list = s->host_depth > 0 && s->depth == s->host_depth &&
	    !s->in_elem;

	if (s->in_str) {
		if (s->esc)
			s->esc = false;
		else if (ch == '\\')
			s->esc = true;
		else if (ch == '"')
			s->in_str = false;
		if (s->in_str && s->str_len < LS_KEY_LEN)
			s->str[s->str_len++] = ch;
		goto emit;
	}
	switch (ch) {
	case ' ': case '\t': case '\n': case '\r': case ',':
		break;
	case '"':
		if (at_list)
			return ls_fail(s, "%s: not an object",
			    ls_where(s, wb, sizeof(wb)));
		s->in_str = true;
		s->str_len = 0;
		break;
	case ':':
		if (s->depth >= 1 && s->depth <= 3 &&
		    s->stack[s->depth] == '{') {
			if (s->str_len < LS_KEY_LEN) {
				memcpy(s->key[s->depth], s->str, s->str_len);
				s->key[s->depth][s->str_len] = '\0';
			} else
				s->key[s->depth][0] = '\0';
		}
		break;
	case '{':
	case '[':
		if (at_list) {
			if (ch != '{')
				return ls_fail(s, "%s: not an object",
				    ls_where(s, wb, sizeof(wb)));
			s->in_elem = true;
			s->elem.len = 0;
			s->elem_off = s->off;
		}
		if (s->depth == LS_DEPTH_MAX)
			return ls_fail(s, "nested more than %d deep",
			    LS_DEPTH_MAX);
		if (ch == '{' && s->depth == 2 && s->stack[2] == '[' &&
		    strcmp(s->key[1], "networks") == 0)
			s->net_n++;
		if (ch == '[' && s->host_depth == 0 && host_list(s)) {
			s->stack[++s->depth] = ch;
			s->host_depth = s->depth;
			s->w.j = 0;
			/* The '[' is the skeleton's; what follows is not. */
			if (s->skel != NULL && (r = lbuf_add(s->skel, &ch, 1)) !=
			    ERR_OK)
				goto full;
			return ERR_OK;
		}
		s->stack[++s->depth] = ch;
		if (s->depth <= 3)
			s->key[s->depth][0] = '\0';
		break;
	case '}':
	case ']':
		if (s->depth == 0 || s->stack[s->depth] != (ch == '}' ? '{' :
		    '['))
			return ls_fail(s, "'%c' closes nothing open", ch);
		s->depth--;
		if (s->host_depth > 0 && s->depth + 1 == s->host_depth) {
			/* The host list ends: the skeleton goes on. */
			s->host_depth = 0;
			if (s->skel != NULL && s->n_gaps < LS_GAPS_MAX) {
				s->gaps[s->n_gaps].pos = s->skel->len;
				s->gaps[s->n_gaps++].skipped = s->skipped;
			}
			goto emit;
		}
		if (s->in_elem && s->depth == s->host_depth) {
			s->in_elem = false;
			s->n_hosts++;
			if (s->skel == NULL && (r = lbuf_add(&s->elem, &ch, 1)) !=
			    ERR_OK)
				goto full;
			if (!s->w.nested)
				s->w.i = s->w.j;
			r = s->host != NULL ? s->host(s, s->elem.p,
			    s->elem.len) : ERR_OK;
			s->w.j++;
			if (s->skel != NULL)
				s->skipped++;
			return r;
		}
		break;
	default:
		if (at_list)
			return ls_fail(s, "%s: not an object",
			    ls_where(s, wb, sizeof(wb)));
		break;
	}
emit:
	if (s->host_depth > 0) {
		/* A host list's contents: the record's bytes (passes 2, 3). */
		if (s->skel != NULL)
			s->skipped++;
		else if (s->in_elem && (r = lbuf_add(&s->elem, &ch, 1)) !=
		    ERR_OK)
			goto full;
		return ERR_OK;
	}
	if (s->skel != NULL && (r = lbuf_add(s->skel, &ch, 1)) != ERR_OK)
		goto full;
	return ERR_OK;
full:
	if (r == ERR_NOMEM) {
		snprintf(s->errbuf, ERRBUF_LEN, "%s: out of memory", s->label);
		return ERR_NOMEM;
	}
	if (s->skel != NULL && s->host_depth == 0)
		return ls_fail(s, "larger than %u MiB without its host records",
		    LOAD_MAX_BYTES >> 20);
	return ls_fail(s, "%s: a host record over %u MiB (from offset %"
	    PRIu64 ")", ls_where(s, wb, sizeof(wb)), LOAD_HOST_MAX >> 20,
	    s->elem_off);
}

/* The whole file, from its start, through scan_byte(). */
static int
scan_file(struct lscan *s, int fd, char *chunk)
{
	ssize_t n, i;
	int r;

	s->off = 0;
	s->depth = 0;
	s->in_str = s->esc = s->in_elem = false;
	s->host_depth = 0;
	s->net_n = 0;
	s->n_hosts = 0;
	memset(s->key, 0, sizeof(s->key));
	if (lseek(fd, 0, SEEK_SET) != 0) {
		snprintf(s->errbuf, ERRBUF_LEN, "%s: %s", s->label,
		    strerror(errno));
		return ERR_IO;
	}
	for (;;) {
		if ((n = read(fd, chunk, load_stream_chunk)) == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(s->errbuf, ERRBUF_LEN, "%s: %s", s->label,
			    strerror(errno));
			return ERR_IO;
		}
		for (i = 0; i < n; i++, s->off++)
			if ((r = scan_byte(s, chunk[i])) != ERR_OK)
				return r;
	}
	if (s->in_str || s->depth > 0)
		return ls_fail(s, "the report ends early (%s)",
		    s->in_str ? "in a string" : "a bracket left open");
	return ERR_OK;
}

/* The skeleton's position as the file's offset. */
static uint64_t
file_offset(const struct lscan *s, uint64_t pos)
{
	uint64_t skipped = 0;
	size_t i;

	for (i = 0; i < s->n_gaps && s->gaps[i].pos <= pos; i++)
		skipped = s->gaps[i].skipped;
	return pos + skipped;
}

/* A host record's own tree; NULL with errbuf. */
static json_t *
parse_host(struct lscan *s, struct lctx *c, const char *p, size_t n)
{
	char wb[64], sbuf[128];
	json_error_t jerr;
	json_t *o;

	if ((o = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
		snprintf(c->errbuf, ERRBUF_LEN, "%s: %s (offset %" PRIu64
		    "): %s", c->label, ls_where(s, wb, sizeof(wb)),
		    s->elem_off + (uint64_t)(jerr.position > 0 ?
		    jerr.position - 1 : 0), load_safe(sbuf, sizeof(sbuf),
		    jerr.text));
	return o;
}

/* ---- pass 2: every record checked, its address kept ------------------- */

struct lkey {
	struct addr	 a;
	uint32_t	 i, j;
	uint8_t		 list;		/* enum hlist */
};

struct lcheck {
	struct lctx	*c;
	struct lkey	*keys;
	size_t		 n, cap;
};

static int
key_add(struct lcheck *k, const struct addr *a, const struct where *w,
    enum hlist list)
{
	struct lkey *v;
	size_t cap;

	if (k->n == k->cap) {
		cap = k->cap ? k->cap * 2 : 1024;
		if ((v = realloc(k->keys, cap * sizeof(*v))) == NULL)
			return load_fail_nomem(k->c);
		k->keys = v;
		k->cap = cap;
	}
	memset(&k->keys[k->n], 0, sizeof(k->keys[k->n]));
	k->keys[k->n].a = *a;
	k->keys[k->n].i = (uint32_t)w->i;
	k->keys[k->n].j = (uint32_t)w->j;
	k->keys[k->n++].list = (uint8_t)list;
	return ERR_OK;
}

static int
check_host(struct lscan *s, const char *p, size_t n)
{
	struct lcheck *k = s->arg;
	struct freport *fr = k->c->fr;
	size_t first = fr->n_recs;
	json_t *o;
	int r;

	if ((o = parse_host(s, k->c, p, n)) == NULL)
		return ERR_MALFORMED;
	r = load_add_host(k->c, o, s->list, &s->w);
	if (r == ERR_OK && fr->n_recs > first)
		r = key_add(k, &fr->recs[first].addr, &s->w, s->list);
	while (fr->n_recs > first) {
		fr->n_recs--;
		free(fr->recs[fr->n_recs].names);
		free(fr->recs[fr->n_recs].hnames);
		free(fr->recs[fr->n_recs].days);
	}
	json_decref(o);
	return r;
}

static int
lkey_cmp(const void *x, const void *y)
{
	const struct lkey *a = x, *b = y;
	int c = addr_cmp(&a->a, &b->a);

	if (c != 0)
		return c;
	if (a->list != b->list)
		return a->list < b->list ? -1 : 1;
	if (a->i != b->i)
		return a->i < b->i ? -1 : 1;
	return a->j < b->j ? -1 : a->j > b->j;
}

static void
key_where(char *buf, size_t size, const struct lkey *k)
{
	static const char *const lists[] = { "networks", "resolvers",
	    "blind_spots.hosts" };

	if (k->list == L_OFFENDER)
		snprintf(buf, size, "networks[%" PRIu32 "].hosts[%" PRIu32
		    "]", k->i, k->j);
	else
		snprintf(buf, size, "%s[%" PRIu32 "]", lists[k->list], k->i);
}

static int
check_keys(struct lcheck *k)
{
	char ab[ADDR_STRLEN], w1[64], w2[64];
	size_t i;

	if (k->n < 2)
		return ERR_OK;
	qsort(k->keys, k->n, sizeof(*k->keys), lkey_cmp);
	for (i = 1; i < k->n; i++) {
		if (!addr_eq(&k->keys[i - 1].a, &k->keys[i].a))
			continue;
		key_where(w1, sizeof(w1), &k->keys[i - 1]);
		key_where(w2, sizeof(w2), &k->keys[i]);
		return load_fail(k->c, NULL, "%s is both %s and %s",
		    addr_fmt(&k->keys[i].a, ab), w1, w2);
	}
	return ERR_OK;
}

/* ---- pass 3: added a batch at a time ---------------------------------- */

struct ladd {
	struct lctx		*c;
	struct aggregate	*ag;
	json_t			*trees[LS_BATCH];
	size_t			 n;
	uint64_t		 refused;	/* added with the first batch */
};

static int
flush(struct ladd *a)
{
	struct freport *fr = a->c->fr;
	size_t i;
	int r;

	r = aggregate_merge(a->ag, fr->recs, fr->n_recs, a->refused);
	if (r == ERR_OK)
		a->refused = 0;
	else if (r == ERR_NOMEM)
		load_fail_nomem(a->c);
	else if (r == ERR_FULL)
		load_fail(a->c, NULL, "more hosts than the table may hold "
		    "(--max-hosts)");
	else
		load_fail(a->c, NULL, "counts too large to add up (over "
		    "2^63 - 1)");
	for (i = 0; i < fr->n_recs; i++) {
		free(fr->recs[i].names);
		free(fr->recs[i].hnames);
		free(fr->recs[i].days);
	}
	fr->n_recs = 0;
	for (i = 0; i < a->n; i++)
		json_decref(a->trees[i]);
	a->n = 0;
	return r;
}

static int
add_host(struct lscan *s, const char *p, size_t n)
{
	struct ladd *a = s->arg;
	json_t *o;
	int r;

	if ((o = parse_host(s, a->c, p, n)) == NULL)
		return ERR_MALFORMED;
	a->trees[a->n++] = o;
	if ((r = load_add_host(a->c, o, s->list, &s->w)) != ERR_OK)
		return r;
	return a->n == LS_BATCH ? flush(a) : ERR_OK;
}

/* ---- the public functions --------------------------------------------- */

int
load_report_fd(struct aggregate *ag, struct load_stats *st, int fd,
    const char *label, char *errbuf)
{
	struct lbuf skel = { NULL, 0, 0, LOAD_MAX_BYTES };
	struct lcheck chk;
	struct ladd add;
	struct freport fr;
	struct lscan *s;
	struct lsum nw;
	struct lctx c;
	json_error_t jerr;
	json_t *root = NULL;
	char *chunk = NULL, sbuf[128];
	uint64_t fp, *grown;
	size_t i;
	int r = ERR_NOMEM;
	bool have_nw = false;

	memset(&fr, 0, sizeof(fr));
	memset(&c, 0, sizeof(c));
	memset(&chk, 0, sizeof(chk));
	memset(&add, 0, sizeof(add));
	c.label = label;
	c.errbuf = errbuf;
	c.fr = &fr;
	fr.more_owned = true;
	chk.c = add.c = &c;
	add.ag = ag;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (chunk = malloc(load_stream_chunk)) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: out of memory", label);
		goto out;
	}
	s->label = label;
	s->errbuf = errbuf;
	s->elem.max = LOAD_HOST_MAX;

	/* 1: the skeleton, read as load_report() reads a report. */
	s->skel = &skel;
	if ((r = scan_file(s, fd, chunk)) != ERR_OK)
		goto out;
	s->skel = NULL;
	root = json_loadb(skel.p != NULL ? skel.p : "", skel.len,
	    JSON_REJECT_DUPLICATES, &jerr);
	free(skel.p);
	skel.p = NULL;
	if (root == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%s: offset %" PRIu64 ": %s",
		    label, file_offset(s, (uint64_t)(jerr.position > 0 ?
		    jerr.position - 1 : 0)), load_safe(sbuf, sizeof(sbuf),
		    jerr.text));
		r = ERR_MALFORMED;
		goto out;
	}
	if (!json_is_object(root)) {
		r = load_fail(&c, NULL, "not a kasaudit report (not an "
		    "object)");
		goto out;
	}
	if ((r = load_get_version(&c, root)) != ERR_OK ||
	    (r = load_get_stats(&c, root)) != ERR_OK ||
	    (r = load_get_hosts(&c, root)) != ERR_OK)
		goto out;

	/* 2: every host record checked; no address twice. */
	for (i = 0; i < fr.n_recs; i++)
		if ((r = key_add(&chk, &fr.recs[i].addr, &fr.where[i],
		    fr.where[i].nested ? L_OFFENDER : strcmp(fr.where[i].list,
		    "resolvers") == 0 ? L_RESOLVER : L_BLIND)) != ERR_OK)
			goto out;
	s->host = check_host;
	s->arg = &chk;
	if ((r = scan_file(s, fd, chunk)) != ERR_OK ||
	    (r = check_keys(&chk)) != ERR_OK ||
	    (r = load_check_counted(&c, st, &fp)) != ERR_OK ||
	    (r = load_sum_add(&c, st, &st->sum, &nw)) != ERR_OK)
		goto out;
	have_nw = true;
	free(chk.keys);
	chk.keys = NULL;
	if (st->n_fps == st->cap_fps) {
		size_t cap = st->cap_fps ? st->cap_fps * 2 : 16;

		if ((grown = realloc(st->fps, cap * sizeof(*grown))) == NULL) {
			r = load_fail_nomem(&c);
			goto out;
		}
		st->fps = grown;
		st->cap_fps = cap;
	}

	/* 3: added, the skeleton's own records first. */
	add.refused = fr.refused;
	if ((r = flush(&add)) != ERR_OK)
		goto out;
	s->host = add_host;
	s->arg = &add;
	if ((r = scan_file(s, fd, chunk)) != ERR_OK ||
	    (r = flush(&add)) != ERR_OK)
		goto out;
	load_sum_free(&st->sum);
	st->sum = nw;
	have_nw = false;
	if (fr.n_inputs > 0)
		st->fps[st->n_fps++] = fp;
out:
	for (i = 0; i < add.n; i++)
		json_decref(add.trees[i]);
	if (have_nw)
		load_sum_free(&nw);
	load_freport_free(&fr);
	json_decref(root);
	free(chk.keys);
	free(skel.p);
	if (s != NULL)
		free(s->elem.p);
	free(s);
	free(chunk);
	return r;
}

int
load_report_stream(struct aggregate *ag, struct load_stats *st,
    const char *path, char *errbuf)
{
	struct stat sb;
	int fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
		return ERR_IO;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", path,
		    fstat(fd, &sb) == -1 ? strerror(errno) :
		    "not a regular file");
		close(fd);
		return ERR_IO;
	}
	r = load_report_fd(ag, st, fd, path, errbuf);
	close(fd);
	return r;
}
