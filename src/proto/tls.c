/* tls.c - ClientHello SNI, ALPN, versions (RFC 8446 4.1.2, 6066 3, 7301).
 * Owns record reassembly of a ClientHello and its extensions walk. */
#include "cursor.h"
#include "name.h"
#include "tls.h"

#define TLS_CT_HANDSHAKE	22
#define TLS_HS_CLIENT_HELLO	1
#define TLS_HS_HDR_LEN		4

/*
 * RFC 8446 5.1 limits a plaintext record to 2^14 bytes; the 2048 extra that
 * RFC 5246 6.2.3 allows a compressed record are tolerated, since only a
 * length far beyond any record shows the stream is not TLS.
 */
#define TLS_REC_MAX		(16384 + 2048)

/*
 * Records are at least one byte long (zero-length handshake fragments are
 * refused below), so a ClientHello that fits TLS_HELLO_MAX never needs more
 * records than that; the cap only bounds the loop on its own.
 */
#define TLS_RECS_MAX		TLS_HELLO_MAX

/* A 64 KiB ClientHello holds about 16000 empty extensions; real ones 20. */
#define TLS_EXTS_MAX		512
#define TLS_NAMES_MAX		64	/* entries of a server_name_list */
#define TLS_ALPN_MAX		256	/* entries of a protocol_name_list */
#define TLS_SESSION_ID_MAX	32

#define TLS_EXT_SERVER_NAME	0
#define TLS_EXT_ALPN		16
#define TLS_EXT_SUPPORTED_VERS	43
#define TLS_EXT_ECH		0xfe0d
#define TLS_NAME_HOST		0

/* What a ClientHello has already given, so that a repeated extension is
 * skipped and the first one kept. */
#define SEEN_SNI	0x01
#define SEEN_ALPN	0x02
#define SEEN_VERS	0x04

/* RFC 8701 2: 0x0A0A, 0x1A1A .. 0xFAFA. */
static inline bool
is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

bool
tls_is_handshake_record(const uint8_t *buf, size_t len)
{
	struct cur c = cur_init(buf, len);
	uint8_t type, major, minor;

	type = cur_u8(&c);
	major = cur_u8(&c);
	minor = cur_u8(&c);
	return c.ok && type == TLS_CT_HANDSHAKE && major == 3 && minor <= 4;
}

static inline bool
is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static inline bool
is_hex(char ch)
{
	return is_digit(ch) || (ch >= 'a' && ch <= 'f');
}

/* "a.b.c.d", each part 0-255 in one to three digits. */
static bool
is_ipv4(const char *s, size_t len)
{
	size_t i = 0, digits;
	unsigned part, v;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i == len || s[i] != '.')
				return false;
			i++;
		}
		for (digits = 0, v = 0; i < len && is_digit(s[i]); i++) {
			if (++digits > 3)
				return false;
			v = v * 10 + (unsigned)(s[i] - '0');
		}
		if (digits == 0 || v > 255)
			return false;
	}
	return i == len;
}

/*
 * An IPv6 literal, perhaps in brackets: hex digits, ':' and the '.' of an
 * embedded IPv4 address, with at least one ':'.  No host name has a ':', so
 * a loose test cannot take a real name for an address.  s is lower case.
 */
static bool
is_ipv6(const char *s, size_t len)
{
	size_t i;
	bool colon = false;

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	for (i = 0; i < len; i++) {
		if (s[i] == ':')
			colon = true;
		else if (!is_hex(s[i]) && s[i] != '.')
			return false;
	}
	return colon;
}

int
tls_sni_set(struct tls_hello *h, const uint8_t *name, size_t len)
{
	char *o = h->sni, *end = h->sni + sizeof(h->sni) - 1;
	size_t i;

	for (i = 0; i < len; i++)
		if (!name_esc_to(&o, end, name[i], 0))
			return ERR_FULL;
	/* RFC 6066 forbids the trailing dot; clients still send one. */
	if (o > h->sni && o[-1] == '.')
		o--;
	if (o == h->sni)
		return ERR_MALFORMED;		/* "." names nothing */
	*o = '\0';
	h->has_sni = true;
	h->sni_len = (size_t)(o - h->sni);
	h->sni_is_ip = is_ipv4(h->sni, h->sni_len) ||
	    is_ipv6(h->sni, h->sni_len);
	return ERR_OK;
}

/*
 * server_name extension (RFC 6066 3): the first host_name of the list.  Other
 * name types are skipped, as RFC 6066 leaves room for them.
 */
static int
parse_sni(struct cur ext, struct tls_hello *h)
{
	struct cur list, name, host = { 0 };
	unsigned n;
	uint8_t type;
	bool found = false;

	list = cur_sub(&ext, cur_u16(&ext));
	if (!ext.ok || cur_left(&ext) != 0 || cur_left(&list) == 0)
		return ERR_MALFORMED;
	for (n = 0; cur_left(&list) > 0; n++) {
		/* Past the cap, a name already read is still the name. */
		if (n == TLS_NAMES_MAX) {
			if (found)
				break;
			return ERR_MALFORMED;
		}
		type = cur_u8(&list);
		name = cur_sub(&list, cur_u16(&list));
		if (!list.ok || cur_left(&name) == 0)
			return ERR_MALFORMED;
		if (type != TLS_NAME_HOST || found)
			continue;
		found = true;
		host = name;
	}
	if (!found)
		return ERR_OK;
	return tls_sni_set(h, host.p, cur_left(&host));
}

/*
 * ALPN extension (RFC 7301 3.1): protocol names joined by ','.  A byte that
 * is not printable, or is ',' or '\', is written as \DDD so the list splits
 * back unambiguously.  The list is cut at the first name that does not fit
 * (names are never cut, nor later ones added); the rest is still checked.
 */
static int
parse_alpn(struct cur ext, struct tls_hello *h)
{
	struct cur list, name;
	char buf[4 * 255 + 1];
	char *o, *a = h->alpn, *aend = h->alpn + sizeof(h->alpn) - 1;
	unsigned n;
	uint8_t b;
	bool full = false;

	list = cur_sub(&ext, cur_u16(&ext));
	if (!ext.ok || cur_left(&ext) != 0 || cur_left(&list) == 0)
		return ERR_MALFORMED;
	for (n = 0; cur_left(&list) > 0; n++) {
		if (n == TLS_ALPN_MAX)
			return ERR_MALFORMED;
		name = cur_sub(&list, cur_u8(&list));
		if (!list.ok || cur_left(&name) == 0)
			return ERR_MALFORMED;
		for (o = buf; cur_left(&name) > 0; ) {
			b = cur_u8(&name);
			if (b > 0x20 && b < 0x7f && b != ',' && b != '\\') {
				*o++ = (char)b;
				continue;
			}
			*o++ = '\\';
			*o++ = (char)('0' + b / 100);
			*o++ = (char)('0' + b / 10 % 10);
			*o++ = (char)('0' + b % 10);
		}
		if (full || (size_t)(aend - a) < (size_t)(o - buf) +
		    (a > h->alpn)) {
			full = true;
			continue;
		}
		if (a > h->alpn)
			*a++ = ',';
		memcpy(a, buf, (size_t)(o - buf));
		a += o - buf;
	}
	*a = '\0';
	return ERR_OK;
}

/* supported_versions, ClientHello form (RFC 8446 4.2.1). */
static int
parse_versions(struct cur ext, struct tls_hello *h)
{
	struct cur list;
	uint16_t v, max = 0;

	list = cur_sub(&ext, cur_u8(&ext));
	if (!ext.ok || cur_left(&ext) != 0 || cur_left(&list) == 0 ||
	    cur_left(&list) % 2 != 0)
		return ERR_MALFORMED;
	while (cur_left(&list) > 0) {	/* at most 127 entries */
		v = cur_u16(&list);
		if (!is_grease(v) && v > max)
			max = v;
	}
	if (max != 0)
		h->max_version = max;
	return ERR_OK;
}

/* The ClientHello body (RFC 8446 4.1.2), complete: an overrun is malformed. */
static int
parse_hello(struct cur body, struct tls_hello *h)
{
	struct cur exts, ext;
	unsigned n, seen = 0;
	uint16_t type;
	uint8_t sid_len, cm_len;
	size_t cs_len;
	int r;

	h->legacy_version = cur_u16(&body);
	h->max_version = h->legacy_version;
	cur_skip(&body, 32);				/* random */
	sid_len = cur_u8(&body);
	cur_skip(&body, sid_len);
	cs_len = cur_u16(&body);
	cur_skip(&body, cs_len);
	cm_len = cur_u8(&body);
	cur_skip(&body, cm_len);
	if (!body.ok || sid_len > TLS_SESSION_ID_MAX || cs_len == 0 ||
	    cs_len % 2 != 0 || cm_len == 0)
		return ERR_MALFORMED;
	/* Extensions came with TLS 1.0 (RFC 3546); a hello may end here. */
	if (cur_left(&body) == 0)
		return ERR_OK;
	exts = cur_sub(&body, cur_u16(&body));
	if (!body.ok || cur_left(&body) != 0)
		return ERR_MALFORMED;
	for (n = 0; cur_left(&exts) > 0; n++) {
		/* Past the cap, a server_name already read is kept: a name
		 * is taken as soon as it is complete, whatever follows. */
		if (n == TLS_EXTS_MAX)
			return h->has_sni ? ERR_OK : ERR_MALFORMED;
		type = cur_u16(&exts);
		ext = cur_sub(&exts, cur_u16(&exts));
		if (!exts.ok)
			return ERR_MALFORMED;
		r = ERR_OK;
		/* A repeated extension is illegal (RFC 8446 4.2); the first
		 * one is what a server that tolerates it would read. */
		switch (type) {
		case TLS_EXT_SERVER_NAME:
			if (!(seen & SEEN_SNI))
				r = parse_sni(ext, h);
			seen |= SEEN_SNI;
			break;
		case TLS_EXT_ALPN:
			if (!(seen & SEEN_ALPN))
				r = parse_alpn(ext, h);
			seen |= SEEN_ALPN;
			break;
		case TLS_EXT_SUPPORTED_VERS:
			if (!(seen & SEEN_VERS))
				r = parse_versions(ext, h);
			seen |= SEEN_VERS;
			break;
		case TLS_EXT_ECH:
			/*
			 * Real and GREASE ECH (draft-ietf-tls-esni 6.2) look
			 * alike on purpose, so this only says the SNI may be
			 * a public name.
			 */
			h->ech = true;
			break;
		default:			/* GREASE and the rest */
			break;
		}
		if (r != ERR_OK)
			return r;
	}
	return ERR_OK;
}

/*
 * ECH client-facing servers' public names, as their operators document
 * them: Cloudflare publishes one ECHConfig, public name
 * cloudflare-ech.com, for every zone it fronts (Cloudflare blog,
 * "Encrypted Client Hello - the last puzzle piece to privacy",
 * 2023-09-29; developers.cloudflare.com/ssl/edge-certificates/ech/).
 */
static const char *const ech_public[] = {
	"cloudflare-ech.com",
};

bool
tls_ech_public_name(const char *name, size_t len)
{
	const char *e;
	size_t i, k;
	char c;

	for (i = 0; i < sizeof(ech_public) / sizeof(ech_public[0]); i++) {
		e = ech_public[i];
		for (k = 0; k < len && e[k] != '\0'; k++) {
			c = name[k];
			if (c >= 'A' && c <= 'Z')	/* ASCII only */
				c = (char)(c | 0x20);
			if (c != e[k])
				break;
		}
		if (k == len && e[k] == '\0')
			return true;
	}
	return false;
}

int
tls_client_hello_msg(const uint8_t *msg, size_t len, struct tls_hello *h)
{
	struct tls_hello tmp;
	struct cur c = cur_init(msg, len), body;
	uint32_t body_len;
	uint8_t type;
	int r;

	type = cur_u8(&c);
	if (!c.ok)
		return ERR_SHORT;
	if (type != TLS_HS_CLIENT_HELLO)
		return ERR_NOTFOUND;
	body_len = cur_u24(&c);
	if (!c.ok)
		return ERR_SHORT;
	if (body_len > TLS_HELLO_MAX - TLS_HS_HDR_LEN)
		return ERR_FULL;
	body = cur_sub(&c, body_len);
	if (!c.ok)
		return ERR_SHORT;
	memset(&tmp, 0, sizeof(tmp));
	if ((r = parse_hello(body, &tmp)) != ERR_OK)
		return r;
	*h = tmp;
	return ERR_OK;
}

/* ERR_SHORT, with *need the bytes still wanted when the caller asks. */
static int
stream_short(size_t *need, size_t n)
{
	if (need != NULL)
		*need = n;
	return ERR_SHORT;
}

/*
 * Joins the payloads of the handshake records at the start of the stream in
 * scratch until the first handshake message is whole.  Anything but a
 * handshake record first is not a TLS client, and that includes an SSLv2
 * CLIENT-HELLO (first byte 0x80 or more), which cannot carry a server_name.
 * Handshake records may not be interleaved with other records (RFC 8446
 * 5.1), so a later record of another type is malformed.
 */
int
tls_client_hello_stream(const uint8_t *stream, size_t len, uint8_t *scratch,
    size_t scratch_len, struct tls_hello *h, size_t *used, size_t *need)
{
	struct cur s = cur_init(stream, len), frag, hdr;
	size_t have = 0, msg_len = 0, want, take, avail, start;
	unsigned n;
	uint16_t rec_len;
	uint8_t type, major, minor;
	int r;

	for (n = 0; n < TLS_RECS_MAX; n++) {
		start = cur_off(&s, stream);
		/* Each header byte is judged as soon as it arrives, so the
		 * caller can stop buffering a stream that is not TLS. */
		type = cur_u8(&s);
		if (!s.ok)
			return stream_short(need, start + 5 - len);
		if (type != TLS_CT_HANDSHAKE)
			return n == 0 ? ERR_NOTFOUND : ERR_MALFORMED;
		major = cur_u8(&s);
		if (s.ok && major != 3)
			return n == 0 ? ERR_NOTFOUND : ERR_MALFORMED;
		minor = cur_u8(&s);
		if (s.ok && minor > 4)
			return n == 0 ? ERR_NOTFOUND : ERR_MALFORMED;
		rec_len = cur_u16(&s);
		if (!s.ok)
			return stream_short(need, start + 5 - len);
		/* RFC 8446 5.1: no zero-length handshake fragments. */
		if (rec_len == 0 || rec_len > TLS_REC_MAX)
			return ERR_MALFORMED;
		avail = cur_left(&s) < rec_len ? cur_left(&s) : rec_len;
		frag = cur_sub(&s, avail);
		while (cur_left(&frag) > 0) {
			/* The 4-byte header first, then the body it sizes;
			 * the rest of the record is not needed. */
			want = msg_len == 0 ? TLS_HS_HDR_LEN - have :
			    msg_len - have;
			take = cur_left(&frag) < want ? cur_left(&frag) : want;
			if (take > scratch_len - have)
				return ERR_FULL;
			cur_copy(&frag, scratch + have, take);
			have += take;
			hdr = cur_init(scratch, have);
			if (cur_u8(&hdr) != TLS_HS_CLIENT_HELLO)
				return ERR_NOTFOUND;
			if (msg_len == 0 && have == TLS_HS_HDR_LEN) {
				msg_len = TLS_HS_HDR_LEN + cur_u24(&hdr);
				if (msg_len > TLS_HELLO_MAX ||
				    msg_len > scratch_len)
					return ERR_FULL;
			}
			if (msg_len != 0 && have == msg_len) {
				r = tls_client_hello_msg(scratch, have, h);
				if (r == ERR_OK && used != NULL)
					*used = cur_off(&s, stream);
				return r;
			}
		}
		if (avail < rec_len) {
			/* The rest of this record, or of the message when
			 * that ends first. */
			want = (msg_len == 0 ? TLS_HS_HDR_LEN : msg_len) - have;
			return stream_short(need, rec_len - avail < want ?
			    rec_len - avail : want);
		}
	}
	return ERR_MALFORMED;
}
