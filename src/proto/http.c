/* http.c - HTTP/1.x request heads, chunked bodies (RFC 9112, 9110, 7239).
 * Owns request-head parsing and chunked-body skipping; no allocation. */
#include <string.h>

#include "cursor.h"
#include "http.h"
#include "name.h"

#define METHOD_MIN	3	/* GET, PUT: no registered method is shorter */
#define METHOD_MAX	20
#define LEAD_MAX	8	/* stray CR/LF before the request line */
#define HOST_RAW_MAX	255	/* as a DNS name: 4 * 255 < HTTP_NAME_LEN */
#define FOLD_MAX	4096	/* a folded value of a field we read */
#define NODE_MAX	64	/* one address text in a forwarding header */
#define CHUNK_DIGITS_MAX 16	/* a chunk size fits 64 bits */
#define CHUNK_LINE_MAX	4096	/* a chunk-size line with its extensions */

enum field_kind {
	F_OTHER,
	F_HOST,
	F_CLEN,
	F_TE,
	F_XFF,
	F_FWD,
	F_UA
};

static const struct {
	const char	*name;
	enum field_kind	 kind;
} field_names[] = {
	{ "host", F_HOST },
	{ "content-length", F_CLEN },
	{ "transfer-encoding", F_TE },
	{ "x-forwarded-for", F_XFF },
	{ "forwarded", F_FWD },
	{ "user-agent", F_UA },
};

/*
 * What one call of http_request() has read so far.  A field is handled only
 * when the next line shows it is not continued (obs-fold), so the field in
 * hand waits in `kind`/`value`, or in `fold` once continued.
 */
struct head {
	struct http_req	 r;
	unsigned	 n_fields;
	enum field_kind	 kind;		/* the field in hand, F_OTHER if none */
	struct cur	 value;		/* its value on its first line */
	bool		 folded;	/* value continued, joined in fold */
	size_t		 fold_len;
	uint8_t		 fold[FOLD_MAX];
	bool		 host_seen;
	bool		 clen_seen;
	bool		 clen_bad;
	uint64_t	 clen;
	bool		 te_seen;
	bool		 te_chunked;	/* the last coding so far is chunked */
	bool		 fwd_found;
	struct addr	 fwd;
	bool		 xff_found;
	struct addr	 xff;
};

enum chunk_phase {
	CH_SIZE,		/* 0, so a zeroed state starts here */
	CH_EXT,			/* after the size: extensions up to LF */
	CH_SIZE_LF,		/* after the size line's CR */
	CH_DATA,
	CH_DATA_CR,		/* after the data: CR LF or LF */
	CH_DATA_LF,
	CH_TRAILER,		/* at the start of a trailer line */
	CH_TRAILER_LINE,
	CH_TRAILER_LF,		/* CR of the empty line that ends the body */
	CH_DONE
};

/* The next byte without moving, or -1 at the end. */
static int
peek(const struct cur *c)
{
	struct cur t = *c;

	return cur_left(&t) > 0 ? cur_u8(&t) : -1;
}

/* The last byte, or -1 when c is empty. */
static int
last(const struct cur *c)
{
	struct cur t = *c;
	size_t n = cur_left(&t);

	if (n == 0)
		return -1;
	cur_skip(&t, n - 1);
	return cur_u8(&t);
}

/* Drops the last n bytes of c (n <= cur_left(c)). */
static void
chop(struct cur *c, size_t n)
{
	struct cur t = *c;

	*c = cur_sub(&t, cur_left(c) - n);
}

/* Offset of the first byte b in c, or cur_left(c) when there is none. */
static size_t
find(const struct cur *c, uint8_t b)
{
	size_t n = cur_left(c);
	const uint8_t *hit;

	/* memchr reads only the cursor's own bytes: p up to end. */
	if (n == 0 || (hit = memchr(c->p, b, n)) == NULL)
		return n;
	return (size_t)(hit - c->p);
}

/* Splits off the bytes before the first b and moves past that b. */
static struct cur
split(struct cur *c, uint8_t b)
{
	size_t n = find(c, b);
	struct cur s = cur_sub(c, n);

	if (cur_left(c) > 0)
		cur_skip(c, 1);
	return s;
}

static uint8_t
lower(uint8_t b)
{
	return b >= 'A' && b <= 'Z' ? (uint8_t)(b | 0x20) : b;
}

static bool
is_ows(int b)
{
	return b == ' ' || b == '\t';
}

static bool
is_digit(int b)
{
	return b >= '0' && b <= '9';
}

/* tchar (RFC 9110 5.6.2): the bytes of a token. */
static bool
is_tchar(int b)
{
	if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || is_digit(b))
		return true;
	return b > 0 && strchr("!#$%&'*+-.^_`|~", b) != NULL;
}

static void
trim(struct cur *c)
{
	while (is_ows(peek(c)))
		cur_skip(c, 1);
	while (is_ows(last(c)))
		chop(c, 1);
}

/* Whether c starts with lit, ASCII case ignored; moves past it if so. */
static bool
eat_nocase(struct cur *c, const char *lit)
{
	struct cur t = *c;

	for (; *lit != '\0'; lit++)
		if (cur_left(&t) == 0 || lower(cur_u8(&t)) != (uint8_t)*lit)
			return false;
	*c = t;
	return true;
}

/* Whether c holds exactly lit (lower case), ASCII case ignored. */
static bool
eq_nocase(struct cur c, const char *lit)
{
	return eat_nocase(&c, lit) && cur_left(&c) == 0;
}

/*
 * The length of the method token at c: ERR_OK, ERR_SHORT when c ends inside
 * it, ERR_NOTFOUND when it is no method.
 */
static int
method_scan(struct cur c, size_t *len)
{
	size_t n;
	int b;

	for (n = 0; (b = peek(&c)) >= 0; n++) {
		if (b == ' ' || b == '\r' || b == '\n') {
			if (n < METHOD_MIN)
				return ERR_NOTFOUND;
			*len = n;
			return ERR_OK;
		}
		if (n == METHOD_MAX)
			return ERR_NOTFOUND;
		if (!(b >= 'A' && b <= 'Z') && (n == 0 || !(is_digit(b) ||
		    b == '-' || b == '_')))
			return ERR_NOTFOUND;
		cur_skip(&c, 1);
	}
	return ERR_SHORT;
}

/*
 * Splits the next line off c, without its LF or CR LF.  False when c holds
 * no LF yet.
 */
static bool
line_next(struct cur *c, struct cur *line)
{
	size_t n = find(c, '\n');

	if (n == cur_left(c))
		return false;
	*line = cur_sub(c, n);
	cur_skip(c, 1);
	if (last(line) == '\r')
		chop(line, 1);
	return true;
}

/*
 * Writes a host name in presentation form (dns.h): lower case, one trailing
 * dot off, '\' escaped, bytes outside 0x21-0x7e as \DDD.  False when it is
 * longer than any DNS name can be.
 */
static bool
name_put(char *dst, struct cur raw)
{
	size_t i = 0;

	if (cur_left(&raw) > HOST_RAW_MAX)
		return false;
	if (cur_left(&raw) > 1 && last(&raw) == '.')
		chop(&raw, 1);
	while (cur_left(&raw) > 0)
		i += name_esc(dst + i, cur_u8(&raw), 0);
	dst[i] = '\0';
	return true;
}

/* A port of 1-5 digits up to 65535, else 0. */
static uint16_t
port_parse(struct cur c)
{
	uint32_t v = 0;
	size_t n = cur_left(&c);

	if (n == 0 || n > 5)
		return 0;
	while (cur_left(&c) > 0) {
		int b = cur_u8(&c);

		if (!is_digit(b))
			return 0;
		v = v * 10 + (uint32_t)(b - '0');
	}
	return v <= 65535 ? (uint16_t)v : 0;
}

/*
 * host [":" port] or "[" literal "]" [":" port] into name (empty if there
 * is no host) and *port.  ERR_MALFORMED when the name is too long.
 */
static int
host_port(struct cur a, char *name, uint16_t *port)
{
	struct cur host;

	*port = 0;
	if (peek(&a) == '[') {
		cur_skip(&a, 1);
		host = split(&a, ']');	/* unterminated: all of it */
		if (peek(&a) == ':') {
			cur_skip(&a, 1);
			*port = port_parse(a);
		}
	} else {
		host = split(&a, ':');
		*port = port_parse(a);
	}
	return name_put(name, host) ? ERR_OK : ERR_MALFORMED;
}

/* Drops "userinfo@" (up to the last '@', as URL parsers of clients do). */
static void
drop_userinfo(struct cur *a)
{
	size_t n;

	while ((n = find(a, '@')) < cur_left(a))
		cur_skip(a, n + 1);
}

/* Whether c holds '/', '?' or '#', which no authority contains. */
static bool
has_path_char(const struct cur *c)
{
	return find(c, '/') < cur_left(c) || find(c, '?') < cur_left(c) ||
	    find(c, '#') < cur_left(c);
}

/* Moves past scheme "://" (RFC 3986 3.1) if c starts with one. */
static bool
eat_scheme(struct cur *c)
{
	struct cur t = *c;
	int b = peek(&t);

	if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')))
		return false;
	while ((b = peek(&t)) >= 0 && ((b >= 'a' && b <= 'z') ||
	    (b >= 'A' && b <= 'Z') || is_digit(b) || b == '+' || b == '-' ||
	    b == '.'))
		cur_skip(&t, 1);
	if (!eat_nocase(&t, "://"))
		return false;
	*c = t;
	return true;
}

/* Sorts out the request target (RFC 9112 3.2) and its host. */
static int
target_parse(struct http_req *r, struct cur t, bool connect)
{
	struct cur auth;
	size_t n;
	int rc;

	r->target = HTTP_OTHER;
	if (connect) {
		if (cur_left(&t) == 0 || has_path_char(&t))
			return ERR_OK;
		auth = t;
		drop_userinfo(&auth);
		if ((rc = host_port(auth, r->uri_host, &r->uri_port)) != ERR_OK)
			return rc;
		if (r->uri_host[0] == '\0')
			return ERR_OK;
		r->target = HTTP_AUTHORITY;
		r->has_uri_host = true;
		return ERR_OK;
	}
	if (peek(&t) == '/') {
		r->target = HTTP_ORIGIN;
		return ERR_OK;
	}
	if (eq_nocase(t, "*")) {
		r->target = HTTP_ASTERISK;
		return ERR_OK;
	}
	if (!eat_scheme(&t))
		return ERR_OK;
	r->target = HTTP_ABSOLUTE;
	n = find(&t, '/');
	if (find(&t, '?') < n)
		n = find(&t, '?');
	if (find(&t, '#') < n)
		n = find(&t, '#');
	auth = cur_sub(&t, n);
	drop_userinfo(&auth);
	if ((rc = host_port(auth, r->uri_host, &r->uri_port)) != ERR_OK)
		return rc;
	r->has_uri_host = r->uri_host[0] != '\0';
	return ERR_OK;
}

/*
 * METHOD [SP target [SP version]] (RFC 9112 3), method_len long method
 * already checked.  A version is the last word, if it starts with "HTTP/".
 */
static int
request_line(struct http_req *r, struct cur line, size_t method_len)
{
	struct cur scan = line, method, target, word;
	size_t n;
	int b;

	while (cur_left(&scan) > 0) {
		b = cur_u8(&scan);
		if ((b < 0x20 && b != '\t') || b == 0x7f)
			return ERR_MALFORMED;
	}
	method = cur_sub(&line, method_len);
	if (!cur_copy(&method, r->method, method_len))
		return ERR_MALFORMED;
	r->method[method_len] = '\0';
	target = line;
	trim(&target);
	/* The last word: what follows the last space or tab. */
	word = target;
	for (n = 0; cur_left(&word) > 0 && !is_ows(last(&word)); n++)
		chop(&word, 1);
	word = target;
	cur_skip(&word, cur_left(&target) - n);
	if (n < cur_left(&target) && eat_nocase(&word, "http/")) {
		b = peek(&word);
		if (is_digit(b) && b >= '2')
			return ERR_NOTFOUND;
		chop(&target, cur_left(&word) + 5);
		trim(&target);
	}
	return target_parse(r, target, strcmp(r->method, "CONNECT") == 0);
}

/* Content-Length: 1*DIGIT, or a list of equal values (RFC 9110 8.6). */
static void
clen_field(struct head *h, struct cur v)
{
	struct cur e;
	uint64_t n;
	bool any = false;
	int b;

	while (cur_left(&v) > 0) {
		e = split(&v, ',');
		trim(&e);
		if (cur_left(&e) == 0)
			continue;	/* empty list elements are allowed */
		for (n = 0; cur_left(&e) > 0; ) {
			if (!is_digit(b = cur_u8(&e))) {
				h->clen_bad = true;
				return;
			}
			n = n * 10 + (uint64_t)(b - '0');
			if (n > HTTP_BODY_MAX)
				n = HTTP_BODY_MAX;
		}
		if (h->clen_seen && n != h->clen)
			h->clen_bad = true;
		h->clen_seen = true;
		h->clen = n;
		any = true;
	}
	if (!any)
		h->clen_bad = true;
}

/* Transfer-Encoding: only whether the last coding is chunked matters. */
static void
te_field(struct head *h, struct cur v)
{
	struct cur e, coding;
	size_t n;

	while (cur_left(&v) > 0) {
		e = split(&v, ',');
		trim(&e);
		n = find(&e, ';');	/* transfer-parameters */
		if (find(&e, ' ') < n)
			n = find(&e, ' ');
		if (find(&e, '\t') < n)
			n = find(&e, '\t');
		coding = cur_sub(&e, n);
		if (cur_left(&coding) == 0)
			continue;
		h->te_seen = true;
		h->te_chunked = eq_nocase(coding, "chunked");
	}
}

/*
 * A node of X-Forwarded-For or Forwarded: "192.0.2.1", "192.0.2.1:4711",
 * "2001:db8::1", "[2001:db8::1]" or "[2001:db8::1]:4711".  False for
 * anything else ("unknown", "_hidden").
 */
static bool
node_addr(struct cur v, struct addr *a)
{
	char text[NODE_MAX];
	size_t n;

	if (peek(&v) == '[') {
		cur_skip(&v, 1);
		n = find(&v, ']');
		if (n == cur_left(&v))
			return false;
		v = cur_sub(&v, n);
	} else if ((n = find(&v, ':')) < cur_left(&v)) {
		struct cur rest = v;

		cur_skip(&rest, n + 1);
		if (find(&rest, ':') == cur_left(&rest))
			v = cur_sub(&v, n);	/* IPv4 and a port */
	}
	n = cur_left(&v);
	if (n == 0 || n >= sizeof(text) || !cur_copy(&v, text, n))
		return false;
	text[n] = '\0';
	return addr_parse(a, text);
}

/* X-Forwarded-For: the leftmost element that is an address. */
static void
xff_field(struct head *h, struct cur v)
{
	struct cur e;

	while (!h->xff_found && cur_left(&v) > 0) {
		e = split(&v, ',');
		trim(&e);
		if (peek(&e) == '"' && last(&e) == '"' && cur_left(&e) >= 2) {
			cur_skip(&e, 1);
			chop(&e, 1);
		}
		h->xff_found = node_addr(e, &h->xff);
	}
}

/*
 * A Forwarded value (RFC 7239 4): token or quoted-string, the latter
 * unquoted into buf.  Moves c past it; false if it does not fit buf.
 */
static bool
fwd_value(struct cur *c, uint8_t *buf, size_t *len)
{
	bool fits = true;
	int b;

	*len = 0;
	if (peek(c) != '"') {
		while ((b = peek(c)) >= 0 && b != ';' && b != ',' &&
		    !is_ows(b)) {
			cur_skip(c, 1);
			if (*len < NODE_MAX)
				buf[(*len)++] = (uint8_t)b;
			else
				fits = false;
		}
		return fits;
	}
	cur_skip(c, 1);
	while (cur_left(c) > 0 && (b = cur_u8(c)) != '"') {
		if (b == '\\' && cur_left(c) > 0)
			b = cur_u8(c);	/* quoted-pair */
		if (*len < NODE_MAX)
			buf[(*len)++] = (uint8_t)b;
		else
			fits = false;
	}
	return fits;
}

/* Forwarded: the leftmost for= whose node is an address. */
static void
fwd_field(struct head *h, struct cur v)
{
	uint8_t val[NODE_MAX];
	struct cur name;
	size_t n;
	int b;

	while (!h->fwd_found && cur_left(&v) > 0) {
		while ((b = peek(&v)) == ',' || b == ';' || is_ows(b))
			cur_skip(&v, 1);
		name = v;
		for (n = 0; is_tchar(peek(&v)); n++)
			cur_skip(&v, 1);
		name = cur_sub(&name, n);
		while (is_ows(peek(&v)))
			cur_skip(&v, 1);
		if (n == 0 || peek(&v) != '=')
			return;		/* broken: the rest cannot be trusted */
		cur_skip(&v, 1);
		while (is_ows(peek(&v)))
			cur_skip(&v, 1);
		if (fwd_value(&v, val, &n) && eq_nocase(name, "for"))
			h->fwd_found = node_addr(cur_init(val, n), &h->fwd);
	}
}

/* Handles the field in hand, now that no continuation line follows. */
static int
field_done(struct head *h)
{
	struct http_req *r = &h->r;
	struct cur v = h->folded ? cur_init(h->fold, h->fold_len) : h->value;
	int rc;

	trim(&v);
	switch (h->kind) {
	case F_HOST:
		if (h->host_seen)
			break;		/* the first one counts */
		h->host_seen = true;
		if ((rc = host_port(v, r->host, &r->host_port)) != ERR_OK)
			return rc;
		r->has_host = r->host[0] != '\0';
		break;
	case F_CLEN:
		clen_field(h, v);
		break;
	case F_TE:
		te_field(h, v);
		break;
	case F_XFF:
		xff_field(h, v);
		break;
	case F_FWD:
		fwd_field(h, v);
		break;
	case F_UA:
		/* The first one, cut to fit: a hint of the product. */
		if (r->ua_len == 0) {
			r->ua_len = cur_left(&v) < sizeof(r->ua) ?
			    cur_left(&v) : sizeof(r->ua);
			(void)cur_copy(&v, r->ua, r->ua_len);
		}
		break;
	case F_OTHER:
		break;
	}
	h->kind = F_OTHER;
	h->folded = false;
	return ERR_OK;
}

/* Appends a continuation line to the field in hand (obs-fold, RFC 9112 5.2). */
static int
field_fold(struct head *h, struct cur line)
{
	size_t n;

	if (h->kind == F_OTHER)
		return ERR_OK;		/* a field we do not read */
	if (!h->folded) {
		h->fold_len = 0;
		n = cur_left(&h->value);
		if (n > sizeof(h->fold) || !cur_copy(&h->value, h->fold, n))
			return ERR_MALFORMED;
		h->fold_len = n;
		h->folded = true;
	}
	trim(&line);
	n = cur_left(&line);
	if (n + 1 > sizeof(h->fold) - h->fold_len)
		return ERR_MALFORMED;
	h->fold[h->fold_len++] = ' ';
	if (!cur_copy(&line, h->fold + h->fold_len, n))
		return ERR_MALFORMED;
	h->fold_len += n;
	return ERR_OK;
}

/* name OWS ":" value (RFC 9112 5); the field is handled later. */
static int
field_start(struct head *h, struct cur line)
{
	struct cur name = line;
	size_t n, i;

	for (n = 0; is_tchar(peek(&line)); n++)
		cur_skip(&line, 1);
	name = cur_sub(&name, n);
	while (is_ows(peek(&line)))
		cur_skip(&line, 1);	/* against RFC 9112 5.1, but harmless */
	if (n == 0 || peek(&line) != ':')
		return ERR_MALFORMED;
	cur_skip(&line, 1);
	if (++h->n_fields > HTTP_FIELDS_MAX)
		return ERR_MALFORMED;
	h->kind = F_OTHER;
	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (eq_nocase(name, field_names[i].name))
			h->kind = field_names[i].kind;
	h->value = line;
	h->folded = false;
	return ERR_OK;
}

/* The facts that need the whole head. */
static int
head_done(struct head *h)
{
	struct http_req *r = &h->r;

	if (h->te_seen) {
		r->chunked = h->te_chunked;
		r->body_len = h->te_chunked ? 0 : HTTP_BODY_MAX;
	} else if (h->clen_bad) {
		return ERR_MALFORMED;
	} else {
		r->body_len = h->clen_seen ? h->clen : 0;
	}
	if (h->fwd_found) {
		r->has_forwarded = true;
		r->forwarded_for = h->fwd;
	} else if (h->xff_found) {
		r->has_forwarded = true;
		r->forwarded_for = h->xff;
	}
	r->host_mismatch = r->has_uri_host && r->has_host &&
	    strcmp(r->uri_host, r->host) != 0;
	return ERR_OK;
}

/*
 * A head cut at HTTP_HEAD_MAX (c: the unfinished line): the names read
 * before the cap (a target's host, a Host field whose next line began
 * other than as a fold) go to *req all the same, so a name is taken as
 * soon as it is complete, whatever follows.
 */
static int
head_cut(struct head *h, const struct cur *c, int more, struct http_req *req)
{
	if (more != ERR_FULL)
		return more;
	/* A Host that does not parse leaves has_host false. */
	if (cur_left(c) > 0 && !is_ows(peek(c)))
		(void)field_done(h);
	h->r.head_len = 0;
	h->r.host_mismatch = h->r.has_uri_host && h->r.has_host &&
	    strcmp(h->r.uri_host, h->r.host) != 0;
	*req = h->r;
	return more;
}

bool
http_is_request(const uint8_t *buf, size_t len)
{
	size_t n;

	if (len < 4)
		return false;
	return method_scan(cur_init(buf, len), &n) == ERR_OK;
}

int
http_request(const uint8_t *buf, size_t len, struct http_req *req)
{
	struct cur c = cur_init(buf, len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX);
	int more = len >= HTTP_HEAD_MAX ? ERR_FULL : ERR_SHORT;
	struct head h;
	struct cur line;
	size_t n, method_len = 0;
	int rc;

	memset(&h, 0, sizeof(h));
	for (n = 0; n < LEAD_MAX && (peek(&c) == '\r' || peek(&c) == '\n'); n++)
		cur_skip(&c, 1);
	if ((rc = method_scan(c, &method_len)) != ERR_OK)
		return rc == ERR_SHORT ? more : rc;
	if (!line_next(&c, &line))
		return more;
	if ((rc = request_line(&h.r, line, method_len)) != ERR_OK)
		return rc;
	for (;;) {
		if (!line_next(&c, &line))
			return head_cut(&h, &c, more, req);
		if (cur_left(&line) == 0)
			break;
		if (is_ows(peek(&line)))
			rc = field_fold(&h, line);
		else if ((rc = field_done(&h)) == ERR_OK)
			rc = field_start(&h, line);
		if (rc != ERR_OK)
			return rc;
	}
	if ((rc = field_done(&h)) != ERR_OK || (rc = head_done(&h)) != ERR_OK)
		return rc;
	h.r.head_len = cur_off(&c, buf);
	*req = h.r;
	return ERR_OK;
}

static int
hex_value(int b)
{
	if (is_digit(b))
		return b - '0';
	if (b >= 'a' && b <= 'f')
		return b - 'a' + 10;
	if (b >= 'A' && b <= 'F')
		return b - 'A' + 10;
	return -1;
}

/* The chunk-size line has ended: data follows, or the trailers. */
static void
chunk_size_done(struct http_chunk_state *st)
{
	st->phase = st->left > 0 ? CH_DATA : CH_TRAILER;
	st->n_digits = 0;
	st->n_bytes = 0;
}

int
http_chunked_skip(struct http_chunk_state *st, const uint8_t *buf,
    size_t len, size_t *consumed)
{
	struct cur c = cur_init(buf, len);
	size_t n;
	int b, v;

	while (st->phase != CH_DONE && cur_left(&c) > 0) {
		if (st->phase == CH_DATA) {
			n = cur_left(&c);
			if (st->left < n)
				n = (size_t)st->left;
			cur_skip(&c, n);
			if ((st->left -= n) == 0)
				st->phase = CH_DATA_CR;
			continue;
		}
		b = cur_u8(&c);
		switch (st->phase) {
		case CH_SIZE:
			if ((v = hex_value(b)) >= 0) {
				if (++st->n_digits > CHUNK_DIGITS_MAX)
					return ERR_MALFORMED;
				st->left = st->left << 4 | (uint64_t)v;
				break;
			}
			if (st->n_digits == 0)
				return ERR_MALFORMED;
			if (b == '\n')
				chunk_size_done(st);
			else if (b == '\r')
				st->phase = CH_SIZE_LF;
			else if (b == ';' || is_ows(b))
				st->phase = CH_EXT;
			else
				return ERR_MALFORMED;
			break;
		case CH_EXT:
			if (b == '\n')
				chunk_size_done(st);
			else if (++st->n_bytes > CHUNK_LINE_MAX)
				return ERR_MALFORMED;
			break;
		case CH_SIZE_LF:
			if (b != '\n')
				return ERR_MALFORMED;
			chunk_size_done(st);
			break;
		case CH_DATA_CR:
			if (b == '\r')
				st->phase = CH_DATA_LF;
			else if (b == '\n')
				st->phase = CH_SIZE;
			else
				return ERR_MALFORMED;
			break;
		case CH_DATA_LF:
			if (b != '\n')
				return ERR_MALFORMED;
			st->phase = CH_SIZE;
			break;
		case CH_TRAILER:
			if (b == '\n')
				st->phase = CH_DONE;
			else if (b == '\r')
				st->phase = CH_TRAILER_LF;
			else
				st->phase = CH_TRAILER_LINE;
			break;
		case CH_TRAILER_LINE:
			/* n_bytes counts the whole trailer section. */
			if (++st->n_bytes > HTTP_HEAD_MAX)
				return ERR_MALFORMED;
			if (b == '\n')
				st->phase = CH_TRAILER;
			break;
		case CH_TRAILER_LF:
			if (b != '\n')
				return ERR_MALFORMED;
			st->phase = CH_DONE;
			break;
		default:
			return ERR_MALFORMED;	/* a state not made here */
		}
	}
	*consumed = len - cur_left(&c);
	return st->phase == CH_DONE ? ERR_OK : ERR_SHORT;
}
