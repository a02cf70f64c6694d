/* logjson.c - JSON (RFC 8259) read in place for log lines: one pass checks
 * a line, then members are found by key; nothing is allocated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "logjson.h"

#define LJ_DEPTH	32	/* nesting a log line may have */

static inline void
ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
	    *c->p == '\r' || *c->p == '\n'))
		c->p++;
}

/* One byte ch next: taken. */
static inline bool
ch(struct cur *c, uint8_t b)
{
	if (c->p >= c->end || *c->p != b)
		return false;
	c->p++;
	return true;
}

static bool
lit(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if (cur_left(c) < n || memcmp(c->p, s, n) != 0)
		return false;
	cur_skip(c, n);
	return true;
}

static bool
hex4(struct cur *c, unsigned *v)
{
	unsigned i, d;
	uint8_t b;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if (cur_left(c) == 0)
			return false;
		b = cur_u8(c);
		if (b >= '0' && b <= '9')
			d = b - '0';
		else if ((b | 0x20) >= 'a' && (b | 0x20) <= 'f')
			d = (unsigned)((b | 0x20) - 'a' + 10);
		else
			return false;
		*v = *v << 4 | d;
	}
	return true;
}

/* A string after its opening quote, to past its closing one. */
static bool
string(struct cur *c)
{
	unsigned v;
	uint8_t b;

	for (;;) {
		/* Plain bytes in a tight loop: most of a log line. */
		while (c->p < c->end && *c->p != '"' && *c->p != '\\' &&
		    *c->p >= 0x20)
			c->p++;
		if (cur_left(c) == 0)
			return false;
		b = cur_u8(c);
		if (b == '"')
			return true;
		if (b < 0x20)
			return false;
		if (cur_left(c) == 0)
			return false;
		b = cur_u8(c);
		if (b == 'u') {
			if (!hex4(c, &v))
				return false;
		} else if (strchr("\"\\/bfnrt", b) == NULL || b == 0)
			return false;
	}
}

static bool
number(struct cur *c)
{
	size_t n = 0;

	if (cur_left(c) > 0 && *c->p == '-')
		cur_skip(c, 1);
	if (cur_left(c) == 0 || *c->p < '0' || *c->p > '9')
		return false;
	while (cur_left(c) > 0 && ((*c->p >= '0' && *c->p <= '9') ||
	    *c->p == '.' || *c->p == 'e' || *c->p == 'E' || *c->p == '+' ||
	    *c->p == '-')) {
		cur_skip(c, 1);
		n++;
	}
	return n > 0;
}

/* One value, checked, the cursor past it. */
static bool
value(struct cur *c, unsigned depth)
{
	bool first;

	ws(c);
	if (cur_left(c) == 0 || depth > LJ_DEPTH)
		return false;
	switch (*c->p) {
	case '"':
		cur_skip(c, 1);
		return string(c);
	case '{':
	case '[':
		first = true;
		if (cur_u8(c) == '{') {
			for (;;) {
				ws(c);
				if (first && ch(c, '}'))
					return true;
				if (!ch(c, '"') || !string(c))
					return false;
				ws(c);
				if (!ch(c, ':') || !value(c, depth + 1))
					return false;
				ws(c);
				if (ch(c, '}'))
					return true;
				if (!ch(c, ','))
					return false;
				first = false;
			}
		}
		for (;;) {
			ws(c);
			if (first && ch(c, ']'))
				return true;
			if (!value(c, depth + 1))
				return false;
			ws(c);
			if (ch(c, ']'))
				return true;
			if (!ch(c, ','))
				return false;
			first = false;
		}
	case 't':
		return lit(c, "true");
	case 'f':
		return lit(c, "false");
	case 'n':
		return lit(c, "null");
	default:
		return number(c);
	}
}

int
lj_parse(struct lj *out, const char *line, size_t len, char *errbuf)
{
	struct cur c = cur_init(line, len);
	const uint8_t *start;

	ws(&c);
	start = c.p;
	if (cur_left(&c) == 0 || *c.p != '{') {
		snprintf(errbuf, ERRBUF_LEN, "not a JSON object");
		return ERR_MALFORMED;
	}
	if (!value(&c, 0)) {
		if (cur_left(&c) == 0)
			snprintf(errbuf, ERRBUF_LEN, "not JSON: cut short "
			    "(column %zu)", cur_off(&c, line) + 1);
		else
			snprintf(errbuf, ERRBUF_LEN, "not JSON: unexpected "
			    "0x%02x (column %zu)", *c.p, cur_off(&c, line) + 1);
		return ERR_MALFORMED;
	}
	ws(&c);
	if (cur_left(&c) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "not JSON: more after the object "
		    "(column %zu)", cur_off(&c, line) + 1);
		return ERR_MALFORMED;
	}
	out->type = LJ_OBJECT;
	out->p = (const char *)start;
	out->len = (size_t)(c.p - start);
	return ERR_OK;
}

/* The value at c (checked already): its span and type. */
static void
span(struct cur *c, struct lj *v)
{
	const uint8_t *s;

	ws(c);
	s = c->p;
	switch (cur_left(c) > 0 ? *c->p : 0) {
	case '"':
		v->type = LJ_STRING;
		break;
	case '{':
		v->type = LJ_OBJECT;
		break;
	case '[':
		v->type = LJ_ARRAY;
		break;
	case 't':
	case 'f':
		v->type = LJ_BOOL;
		break;
	case 'n':
		v->type = LJ_NULL;
		break;
	default:
		v->type = LJ_NUMBER;
		break;
	}
	(void)value(c, 0);
	v->p = (const char *)s;
	v->len = (size_t)(c->p - s);
	if (v->type == LJ_STRING) {
		/* Without the quotes. */
		v->p++;
		v->len -= 2;
	}
}

bool
lj_get(const struct lj *obj, const char *key, struct lj *v)
{
	struct cur c;
	size_t kl = strlen(key);
	struct lj name;

	if (obj->type != LJ_OBJECT)
		return false;
	c = cur_init(obj->p, obj->len);
	cur_skip(&c, 1);
	for (;;) {
		ws(&c);
		if (cur_left(&c) == 0 || *c.p != '"')
			return false;
		span(&c, &name);
		ws(&c);
		cur_skip(&c, 1);			/* ':' */
		span(&c, v);
		if (name.len == kl && memcmp(name.p, key, kl) == 0)
			return true;
		ws(&c);
		if (cur_left(&c) == 0 || *c.p != ',')
			return false;
		cur_skip(&c, 1);
	}
}

bool
lj_next(const struct lj *arr, struct cur *it, struct lj *v, struct lj *key)
{
	struct lj k;

	if (arr->type != LJ_ARRAY && arr->type != LJ_OBJECT)
		return false;
	if (it->p == NULL) {
		*it = cur_init(arr->p, arr->len);
		cur_skip(it, 1);
	} else {
		ws(it);
		if (cur_left(it) == 0 || *it->p != ',')
			return false;
		cur_skip(it, 1);
	}
	ws(it);
	if (cur_left(it) == 0 || *it->p == ']' || *it->p == '}')
		return false;
	if (arr->type == LJ_OBJECT) {
		span(it, key != NULL ? key : &k);
		ws(it);
		cur_skip(it, 1);
	}
	span(it, v);
	return true;
}

bool
lj_str(const struct lj *v, char *dst, size_t size, size_t *len)
{
	struct cur c;
	size_t n = 0;
	unsigned u;
	uint8_t b;

	if (v->type != LJ_STRING || size == 0)
		return false;
	c = cur_init(v->p, v->len);
	while (cur_left(&c) > 0) {
		if (n + 1 >= size)
			return false;
		b = cur_u8(&c);
		if (b == '\\') {
			b = cur_u8(&c);
			switch (b) {
			case 'u':
				/* Only ASCII (names, addresses): others
				 * would be no host name anyway. */
				if (!hex4(&c, &u) || u == 0 || u > 0x7f)
					return false;
				b = (uint8_t)u;
				break;
			case 'b': b = '\b'; break;
			case 'f': b = '\f'; break;
			case 'n': b = '\n'; break;
			case 'r': b = '\r'; break;
			case 't': b = '\t'; break;
			default: break;		/* " \ / */
			}
		}
		dst[n++] = (char)b;
	}
	dst[n] = '\0';
	*len = n;
	return true;
}

bool
lj_is(const struct lj *v, const char *s)
{
	return v->type == LJ_STRING && v->len == strlen(s) &&
	    memcmp(v->p, s, v->len) == 0;
}

bool
lj_num(const struct lj *v, double *d)
{
	char buf[64], *end;

	if (v->type != LJ_NUMBER || v->len == 0 || v->len >= sizeof(buf))
		return false;
	memcpy(buf, v->p, v->len);
	buf[v->len] = '\0';
	*d = strtod(buf, &end);
	return *end == '\0';
}

bool
lj_int(const struct lj *v, int64_t *i)
{
	char buf[24], *end;
	long long x;

	if (v->type != LJ_NUMBER || v->len == 0 || v->len >= sizeof(buf))
		return false;
	memcpy(buf, v->p, v->len);
	buf[v->len] = '\0';
	x = strtoll(buf, &end, 10);
	if (*end != '\0')
		return false;
	*i = (int64_t)x;
	return true;
}

bool
lj_index(struct lj_obj *m, const struct lj *obj)
{
	struct cur it = LJ_ITER_INIT;
	struct lj k, v;

	m->obj = *obj;
	m->n = 0;
	m->more = false;
	if (obj->type != LJ_OBJECT)
		return false;
	while (lj_next(obj, &it, &v, &k)) {
		if (m->n == LJ_MEMBERS) {
			m->more = true;
			break;
		}
		m->key[m->n] = k;
		m->val[m->n++] = v;
	}
	return true;
}

bool
lj_find(const struct lj_obj *m, const char *key, struct lj *v)
{
	size_t kl = strlen(key), i;

	for (i = 0; i < m->n; i++)
		if (m->key[i].len == kl && memcmp(m->key[i].p, key, kl) == 0) {
			*v = m->val[i];
			return true;
		}
	return m->more && lj_get(&m->obj, key, v);
}

const char *
lj_find_str(const struct lj_obj *o, const char *key, char *buf, size_t n,
    size_t *len)
{
	struct lj v;

	if (!lj_find(o, key, &v) || !lj_str(&v, buf, n, len))
		return NULL;
	return buf;
}

bool
lj_find_port(const struct lj_obj *o, const char *key, uint16_t *port)
{
	struct lj v;
	int64_t i;

	*port = 0;
	if (!lj_find(o, key, &v))
		return true;
	if (!lj_int(&v, &i) || i < 0 || i > 65535)
		return false;
	*port = (uint16_t)i;
	return true;
}
