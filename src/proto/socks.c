/* socks.c - SOCKS 4, 4a and 5 client requests (RFC 1928, RFC 1929).
 * Owns the request parsing of the three versions; no allocation. */
#include <string.h>

#include "cursor.h"
#include "name.h"
#include "socks.h"

#define USERID_MAX	255	/* SOCKS 4 user ids and 4a names we accept */

/* Presentation form of a name of n bytes (see dns.h). */
static bool
name_str(struct cur *c, size_t n, char *out, size_t out_len)
{
	size_t o = 0;
	uint8_t b;

	while (n-- > 0) {
		b = cur_u8(c);
		if (!c->ok || o + NAME_ESC_MAX + 1 > out_len)
			return false;
		o += name_esc(out + o, b, 0);
	}
	if (o > 0 && out[o - 1] == '.')
		o--;
	out[o] = '\0';
	return o > 0;
}

/*
 * Length of the NUL-terminated string at c, NUL not counted: -1 when the
 * bytes end first, -2 when it is longer than max.
 */
static long
str_len(const struct cur *c, size_t max)
{
	size_t n = cur_left(c);
	const uint8_t *nul;

	nul = n > 0 ? memchr(c->p, 0, n < max + 1 ? n : max + 1) : NULL;
	if (nul != NULL)
		return (long)(nul - c->p);
	return n > max ? -2 : -1;
}

static int
socks4(struct cur *c, struct socks_req *req, const uint8_t *start)
{
	uint8_t ip[4];
	long n;

	req->version = cur_u8(c);
	req->cmd = cur_u8(c);
	req->port = cur_u16(c);
	if (!cur_copy(c, ip, sizeof(ip)))
		return ERR_SHORT;
	if (req->cmd != 1 && req->cmd != 2)
		return ERR_MALFORMED;
	if ((n = str_len(c, USERID_MAX)) < 0)
		return n == -1 ? ERR_SHORT : ERR_MALFORMED;
	cur_skip(c, (size_t)n + 1);		/* user id */
	/* SOCKS 4a: 0.0.0.x (x != 0) means a name follows. */
	if (ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0) {
		if ((n = str_len(c, USERID_MAX)) < 0)
			return n == -1 ? ERR_SHORT : ERR_MALFORMED;
		if (n == 0)
			return ERR_MALFORMED;
		req->has_name = name_str(c, (size_t)n, req->name,
		    sizeof(req->name));
		cur_skip(c, 1);
	} else
		addr_set4(&req->addr, ip);
	if (!c->ok)
		return ERR_MALFORMED;
	req->msg = SOCKS_REQUEST;
	req->len = cur_off(c, start);
	return ERR_OK;
}

static int
socks5_request(struct cur *c, struct socks_req *req, const uint8_t *start)
{
	uint8_t atyp, b[16];
	size_t n;

	req->version = cur_u8(c);
	req->cmd = cur_u8(c);
	if (cur_u8(c) != 0 && c->ok)
		return ERR_MALFORMED;		/* RSV */
	atyp = cur_u8(c);
	if (!c->ok)
		return ERR_SHORT;
	if (req->cmd < 1 || req->cmd > 3)
		return ERR_MALFORMED;
	switch (atyp) {
	case 1:
		if (!cur_copy(c, b, 4))
			return ERR_SHORT;
		addr_set4(&req->addr, b);
		break;
	case 3:
		n = cur_u8(c);
		if (!c->ok)
			return ERR_SHORT;
		if (n == 0)
			return ERR_MALFORMED;
		if (cur_left(c) < n)
			return ERR_SHORT;
		req->has_name = name_str(c, n, req->name, sizeof(req->name));
		break;
	case 4:
		if (!cur_copy(c, b, 16))
			return ERR_SHORT;
		addr_set6(&req->addr, b);
		break;
	default:
		return ERR_MALFORMED;
	}
	req->port = cur_u16(c);
	if (!c->ok)
		return ERR_SHORT;
	req->msg = SOCKS_REQUEST;
	req->len = cur_off(c, start);
	return ERR_OK;
}

int
socks_client_msg(const uint8_t *buf, size_t len, bool after_greeting,
    struct socks_req *out)
{
	struct cur c = cur_init(buf, len);
	struct socks_req req;
	size_t n;
	int r;

	memset(&req, 0, sizeof(req));
	if (len < 1)
		return ERR_SHORT;
	if (!after_greeting) {
		if (buf[0] == 4)
			r = socks4(&c, &req, buf);
		else if (buf[0] == 5) {
			req.version = cur_u8(&c);
			n = cur_u8(&c);
			cur_skip(&c, n);	/* methods */
			if (!c.ok)
				return ERR_SHORT;
			if (n == 0)
				return ERR_MALFORMED;
			req.msg = SOCKS_GREETING;
			req.len = cur_off(&c, buf);
			r = ERR_OK;
		} else
			r = ERR_MALFORMED;
	} else if (buf[0] == 1) {
		/* RFC 1929: VER ULEN UNAME PLEN PASSWD */
		cur_skip(&c, 1);
		cur_skip(&c, cur_u8(&c));
		cur_skip(&c, cur_u8(&c));
		if (!c.ok)
			return ERR_SHORT;
		req.version = 5;
		req.msg = SOCKS_AUTH;
		req.len = cur_off(&c, buf);
		r = ERR_OK;
	} else if (buf[0] == 5)
		r = socks5_request(&c, &req, buf);
	else
		r = ERR_MALFORMED;
	if (r == ERR_OK)
		*out = req;
	return r;
}

bool
socks_is_start(const uint8_t *buf, size_t len)
{
	struct cur c = cur_init(buf, len);
	struct socks_req req;
	uint8_t v, n, m;

	if (len < 3)
		return false;
	v = cur_u8(&c);
	if (v == 5) {
		/* A greeting: 1-9 methods, all known or private values, and
		 * nothing else in the segment. */
		n = cur_u8(&c);
		if (n == 0 || n > 9 || cur_left(&c) != n)
			return false;
		while (n-- > 0) {
			m = cur_u8(&c);
			if (m > 0x09 && m < 0x80)
				return false;
		}
		return c.ok;
	}
	return v == 4 && socks_client_msg(buf, len, false, &req) == ERR_OK &&
	    req.len == len;
}
