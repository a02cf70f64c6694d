/* proxyhdr.c - the PROXY protocol header v1 and v2 (haproxy's
 * proxy-protocol.txt, sections 2.1 and 2.2): its length and the client. */
#include <string.h>

#include "cursor.h"
#include "proxyhdr.h"

#define V1_PREFIX	"PROXY "
#define V1_PREFIX_LEN	6
#define V2_SIG_LEN	12
#define V2_PROBE_LEN	8	/* signature bytes a probe wants */

#define V2_VERSION	0x20	/* high nibble of the 13th byte */
#define V2_LOCAL	0x00
#define V2_PROXY	0x01
#define V2_INET		0x10	/* high nibble of the 14th byte */
#define V2_INET6	0x20
#define V2_STREAM	0x01	/* low nibble */
#define V2_INET_LEN	12	/* two addresses, two ports */
#define V2_INET6_LEN	36

static const uint8_t v2_sig[V2_SIG_LEN] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
};

bool
proxy_is_start(const uint8_t *buf, size_t len)
{
	if (len >= V1_PREFIX_LEN && memcmp(buf, V1_PREFIX, V1_PREFIX_LEN) == 0)
		return true;
	return len >= V2_PROBE_LEN &&
	    memcmp(buf, v2_sig, len < V2_SIG_LEN ? len : V2_SIG_LEN) == 0;
}

/* The next space-separated word of a v1 line, into w (NUL-terminated). */
static bool
v1_word(struct cur *c, char *w, size_t room)
{
	size_t n = 0;
	uint8_t b;

	while (cur_left(c) > 0) {
		b = cur_u8(c);
		if (b == ' ')
			break;
		if (b < 0x21 || b > 0x7e || n + 1 >= room)
			return false;
		w[n++] = (char)b;
	}
	w[n] = '\0';
	return n > 0;
}

/* A decimal port, 0-65535. */
static bool
v1_port(const char *w, uint16_t *port)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; w[i] != '\0'; i++) {
		if (w[i] < '0' || w[i] > '9' || i >= 5)
			return false;
		v = v * 10 + (unsigned long)(w[i] - '0');
	}
	if (i == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n" (section 2.1). */
static int
v1_header(const uint8_t *buf, size_t len, struct proxy_hdr *h, size_t *need)
{
	const uint8_t *cr;
	struct cur line;
	char proto[8], src[ADDR_STRLEN], dst[ADDR_STRLEN], sp[8], dp[8];
	size_t n = len < PROXY_V1_MAX ? len : PROXY_V1_MAX;
	uint8_t family;

	cr = memchr(buf, '\r', n);
	if (cr == NULL || (size_t)(cr - buf) + 1 >= n) {
		if (len >= PROXY_V1_MAX)
			return ERR_MALFORMED;
		*need = 0;
		return ERR_SHORT;
	}
	if (cr[1] != '\n')
		return ERR_MALFORMED;
	memset(h, 0, sizeof(*h));
	h->version = 1;
	h->len = (size_t)(cr - buf) + 2;
	line = cur_init(buf + V1_PREFIX_LEN, (size_t)(cr - buf) -
	    V1_PREFIX_LEN);
	if (!v1_word(&line, proto, sizeof(proto)))
		return ERR_MALFORMED;
	if (strcmp(proto, "UNKNOWN") == 0)
		return ERR_OK;		/* the rest is to be ignored */
	if (strcmp(proto, "TCP4") == 0)
		family = 4;
	else if (strcmp(proto, "TCP6") == 0)
		family = 6;
	else
		return ERR_MALFORMED;
	if (!v1_word(&line, src, sizeof(src)) ||
	    !v1_word(&line, dst, sizeof(dst)) ||
	    !v1_word(&line, sp, sizeof(sp)) ||
	    !v1_word(&line, dp, sizeof(dp)) || cur_left(&line) != 0 ||
	    !addr_parse(&h->src, src) || !addr_parse(&h->dst, dst) ||
	    h->src.family != family || h->dst.family != family ||
	    !v1_port(sp, &h->sport) || !v1_port(dp, &h->dport))
		return ERR_MALFORMED;
	h->has_addr = true;
	return ERR_OK;
}

/* The binary header (section 2.2). */
static int
v2_header(const uint8_t *buf, size_t len, struct proxy_hdr *h, size_t *need)
{
	struct cur c = cur_init(buf, len), blk;
	uint8_t ver_cmd, fam;
	uint16_t blen;

	if (len < PROXY_V2_MIN) {
		*need = PROXY_V2_MIN - len;
		return ERR_SHORT;
	}
	cur_skip(&c, V2_SIG_LEN);
	ver_cmd = cur_u8(&c);
	fam = cur_u8(&c);
	blen = cur_u16(&c);
	if ((ver_cmd & 0xf0) != V2_VERSION ||
	    ((ver_cmd & 0x0f) != V2_LOCAL && (ver_cmd & 0x0f) != V2_PROXY))
		return ERR_MALFORMED;
	if (cur_left(&c) < blen) {
		*need = blen - cur_left(&c);
		return ERR_SHORT;
	}
	blk = cur_sub(&c, blen);
	memset(h, 0, sizeof(*h));
	h->version = 2;
	h->len = PROXY_V2_MIN + (size_t)blen;
	if ((ver_cmd & 0x0f) == V2_LOCAL || (fam & 0x0f) != V2_STREAM)
		return ERR_OK;		/* health check, or not TCP */
	switch (fam & 0xf0) {
	case V2_INET:
		if (blen < V2_INET_LEN)
			return ERR_MALFORMED;
		addr_set4(&h->src, cur_take(&blk, 4));
		addr_set4(&h->dst, cur_take(&blk, 4));
		break;
	case V2_INET6:
		if (blen < V2_INET6_LEN)
			return ERR_MALFORMED;
		addr_set6(&h->src, cur_take(&blk, 16));
		addr_set6(&h->dst, cur_take(&blk, 16));
		break;
	default:
		return ERR_OK;		/* AF_UNSPEC, AF_UNIX */
	}
	h->sport = cur_u16(&blk);
	h->dport = cur_u16(&blk);
	h->has_addr = blk.ok;
	return blk.ok ? ERR_OK : ERR_MALFORMED;
}

int
proxy_header(const uint8_t *buf, size_t len, struct proxy_hdr *h,
    size_t *need)
{
	size_t dummy;

	if (need == NULL)
		need = &dummy;
	*need = 0;
	if (len == 0) {
		*need = V1_PREFIX_LEN;
		return ERR_SHORT;
	}
	if (len >= V1_PREFIX_LEN && memcmp(buf, V1_PREFIX, V1_PREFIX_LEN) == 0)
		return v1_header(buf, len, h, need);
	if (len >= V2_SIG_LEN && memcmp(buf, v2_sig, V2_SIG_LEN) == 0)
		return v2_header(buf, len, h, need);
	/* A prefix of either start. */
	if (len < V1_PREFIX_LEN && memcmp(buf, V1_PREFIX, len) == 0) {
		*need = V1_PREFIX_LEN - len;
		return ERR_SHORT;
	}
	if (len < V2_SIG_LEN && memcmp(buf, v2_sig, len) == 0) {
		*need = V2_SIG_LEN - len;
		return ERR_SHORT;
	}
	return ERR_NOTFOUND;
}
