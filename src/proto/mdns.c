/* mdns.c - a responder's own names in mDNS (RFC 6762 6) and LLMNR (RFC 4795
 * 2.1) responses: A/AAAA of its address, PTR of its reverse name. */
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "mdns.h"
#include "name.h"

/* The name at c as text (labels joined by '.'); false if it is bad. */
static bool
name_text(const uint8_t *msg, size_t len, struct cur *c, char *out,
    size_t *out_len)
{
	struct name_iter it;
	struct cur lab;
	size_t n = 0, k;
	int r;

	name_iter_init(&it, *c, msg, len);
	while ((r = name_iter_next(&it, &lab)) == NAME_NEXT) {
		k = cur_left(&lab);
		if (n + (n > 0) + k > MDNS_NAME_LEN - 1)
			return false;
		if (n > 0)
			out[n++] = '.';
		memcpy(out + n, lab.p, k);
		n += k;
	}
	if (r != NAME_END)
		return false;
	out[n] = '\0';
	*out_len = n;
	*c = name_iter_end(&it);
	return true;
}

/* The reverse name of a (RFC 1035 3.5, RFC 3596 2.5). */
static void
reverse_name(const struct addr *a, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	int i;

	out[0] = '\0';
	if (a->family == 4) {
		snprintf(out, cap, "%u.%u.%u.%u.in-addr.arpa", a->a[3],
		    a->a[2], a->a[1], a->a[0]);
		return;
	}
	if (a->family != 6 || cap < 16 * 4 + 9)
		return;
	for (i = 15; i >= 0; i--) {
		out[n++] = hex[a->a[i] & 0xf];
		out[n++] = '.';
		out[n++] = hex[a->a[i] >> 4];
		out[n++] = '.';
	}
	memcpy(out + n, "ip6.arpa", 9);
}

static bool
ascii_caseeq(const char *x, size_t xl, const char *y)
{
	size_t i;
	char a, b;

	if (xl != strlen(y))
		return false;
	for (i = 0; i < xl; i++) {
		a = x[i] >= 'A' && x[i] <= 'Z' ? (char)(x[i] + 32) : x[i];
		b = y[i] >= 'A' && y[i] <= 'Z' ? (char)(y[i] + 32) : y[i];
		if (a != b)
			return false;
	}
	return true;
}

static void
put_name(struct mdns_own *out, size_t max, size_t *n, const char *name,
    size_t len, bool ptr)
{
	size_t i;

	if (len == 0)
		return;
	for (i = 0; i < *n; i++)
		if (out[i].ptr == ptr && out[i].len == len &&
		    memcmp(out[i].name, name, len) == 0)
			return;
	if (*n == max)
		return;
	out[*n].ptr = ptr;
	out[*n].len = len;
	memcpy(out[*n].name, name, len);
	out[*n].name[len] = '\0';
	(*n)++;
}

int
mdns_own_names(const uint8_t *msg, size_t len, const struct addr *self,
    struct mdns_own *out, size_t max, size_t *n)
{
	struct cur c = cur_init(msg, len), rd, at;
	char owner[MDNS_NAME_LEN], target[MDNS_NAME_LEN];
	char rev[MDNS_NAME_LEN];
	uint16_t flags, qd, rrs, type;
	size_t owner_len, target_len, i;

	*n = 0;
	cur_skip(&c, 2);
	flags = cur_u16(&c);
	qd = cur_u16(&c);
	rrs = cur_u16(&c);
	rrs += cur_u16(&c);
	rrs += cur_u16(&c);
	if (!c.ok)
		return ERR_MALFORMED;
	if ((flags & 0x8000) == 0)
		return ERR_NOTFOUND;
	reverse_name(self, rev, sizeof(rev));
	for (i = 0; i < qd && i < MDNS_MAX_RRS; i++) {
		if (!name_text(msg, len, &c, owner, &owner_len))
			return ERR_MALFORMED;
		cur_skip(&c, 4);
	}
	for (i = 0; i < rrs && i < MDNS_MAX_RRS; i++) {
		if (!name_text(msg, len, &c, owner, &owner_len))
			return ERR_MALFORMED;
		type = cur_u16(&c);
		cur_skip(&c, 2 + 4);		/* class (cache-flush bit), TTL */
		rd = cur_sub(&c, cur_u16(&c));
		if (!c.ok)
			return ERR_MALFORMED;
		if ((type == 1 && self->family == 4 && cur_left(&rd) == 4 &&
		    memcmp(rd.p, self->a, 4) == 0) ||
		    (type == 28 && self->family == 6 && cur_left(&rd) == 16 &&
		    memcmp(rd.p, self->a, 16) == 0))
			put_name(out, max, n, owner, owner_len, false);
		else if (type == 12 && rev[0] != '\0' &&
		    ascii_caseeq(owner, owner_len, rev)) {
			at = rd;
			if (name_text(msg, len, &at, target, &target_len))
				put_name(out, max, n, target, target_len,
				    true);
		}
	}
	return c.ok ? ERR_OK : ERR_MALFORMED;
}
