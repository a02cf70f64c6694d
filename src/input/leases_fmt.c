/* leases_fmt.c - the lease file formats: ISC dhcpd.leases(5) (v4 and v6),
 * Kea memfile lease4/lease6 CSV, and the accounting TSV; line by line. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "conf.h"
#include "err.h"
#include "leases.h"
#include "leases_int.h"

/* Kea columns we read, by header name. */
enum { K_ADDRESS, K_HWADDR, K_CLIENT_ID, K_DUID, K_VALID, K_EXPIRE,
	K_HOSTNAME, K_STATE, K_PREFIX_LEN, K_N };
static const char *const kea_names[K_N] = { "address", "hwaddr",
	"client_id", "duid", "valid_lifetime", "expire", "hostname", "state",
	"prefix_len" };

/* ---- the accounting TSV ----------------------------------------------- */

/* The tab-separated field k of s[0..n) at *f, *fn; false if absent. */
static bool
field(const char *s, size_t n, unsigned k, char sep, const char **f,
    size_t *fn)
{
	size_t i = 0, j;

	for (; k > 0; k--) {
		while (i < n && s[i] != sep)
			i++;
		if (i == n)
			return false;
		i++;
	}
	for (j = i; j < n && s[j] != sep; j++)
		;
	*f = s + i;
	*fn = j - i;
	return true;
}

/* s[0..n) as a C string into dst; false (and a warning) if it cannot be. */
static bool
copy_str(struct rd *rd, char *dst, const char *s, size_t n, const char *what)
{
	char msg[ERRBUF_LEN];
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	if (i < n || n > LEASES_SUB_MAX) {
		snprintf(msg, sizeof(msg), "%s %s", what,
		    i < n ? "holds a control byte" :
		    "is longer than 255 bytes");
		lease_warn(rd, "%s", msg);
		return false;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

static bool
parse_addr(const char *s, size_t n, struct addr *a)
{
	char buf[ADDR_STRLEN + 1];

	if (n == 0 || n > ADDR_STRLEN)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return addr_parse(a, buf);
}

static void
tsv_line(struct rd *rd, const char *s, size_t n)
{
	const char *f[5];
	size_t fn[5];
	char msg[ERRBUF_LEN / 2], name[LEASES_SUB_MAX + 1];
	char contact[LEASES_SUB_MAX + 1], q[CONF_QUOTE_LEN];
	struct addr a;
	unsigned plen;
	int64_t start, end;
	unsigned k;
	const char *bad;

	for (k = 0; k < 5; k++)
		if (!field(s, n, k, '\t', &f[k], &fn[k]))
			break;
	if (k < 4) {
		lease_warn(rd, "expected start, end, address and subscriber, "
		    "tab-separated%s", "");
		return;
	}
	if (k < 5) {
		f[4] = "";
		fn[4] = 0;
	}
	if (!leases_parse_time(f[0], fn[0], &start)) {
		conf_quote(q, sizeof(q), f[0], fn[0]);
		lease_warn(rd, "start is no RFC 3339 time or epoch seconds: %s", q);
		return;
	}
	if (fn[1] == 0)
		end = LEASES_FOREVER;
	else if (!leases_parse_time(f[1], fn[1], &end)) {
		conf_quote(q, sizeof(q), f[1], fn[1]);
		lease_warn(rd, "end is no RFC 3339 time or epoch seconds: %s", q);
		return;
	}
	if ((bad = conf_cidr(&a, &plen, f[2], fn[2], msg, sizeof(msg))) !=
	    NULL) {
		lease_warn(rd, "address: %s", bad);
		return;
	}
	if (!copy_str(rd, name, f[3], fn[3], "subscriber") ||
	    !copy_str(rd, contact, f[4], fn[4], "contact"))
		return;
	if (*name == '\0') {
		lease_warn(rd, "empty subscriber%s", "");
		return;
	}
	if (lease_add(rd, &a, plen, start, end, name, contact) != ERR_OK)
		lease_warn(rd, "out of memory%s", "");		/* no memory: not kept */
}

/* ---- Kea memfile CSV -------------------------------------------------- */

static void
kea_header(struct rd *rd, const char *s, size_t n)
{
	const char *f;
	size_t fn;
	unsigned k, c;

	for (k = 0; k < K_N; k++)
		rd->col[k] = -1;
	for (c = 0; c < KEA_COLS && field(s, n, c, ',', &f, &fn); c++)
		for (k = 0; k < K_N; k++)
			if (strlen(kea_names[k]) == fn &&
			    memcmp(kea_names[k], f, fn) == 0)
				rd->col[k] = (int)c;
}

static bool
kea_col(struct rd *rd, const char *s, size_t n, int k, const char **f,
    size_t *fn)
{
	*f = "";
	*fn = 0;
	return rd->col[k] >= 0 && field(s, n, (unsigned)rd->col[k], ',', f,
	    fn);
}

static void
kea_line(struct rd *rd, const char *s, size_t n)
{
	const char *f;
	size_t fn;
	char name[LEASES_SUB_MAX + 1], id[LEASES_SUB_MAX + 1];
	char q[CONF_QUOTE_LEN];
	struct addr a;
	int64_t valid, expire, start, end, pl;
	unsigned plen;
	size_t i;

	if (!kea_col(rd, s, n, K_ADDRESS, &f, &fn) || !parse_addr(f, fn, &a)) {
		conf_quote(q, sizeof(q), f, fn);
		lease_warn(rd, "no IPv4 or IPv6 address: %s", q);
		return;
	}
	if (!kea_col(rd, s, n, K_VALID, &f, &fn) || !lease_epoch(f, fn, &valid) ||
	    !kea_col(rd, s, n, K_EXPIRE, &f, &fn) || !lease_epoch(f, fn, &expire)) {
		lease_warn(rd, "valid_lifetime or expire is no number%s", "");
		return;
	}
	plen = a.family == 4 ? 32 : 128;
	if (a.family == 6 && kea_col(rd, s, n, K_PREFIX_LEN, &f, &fn) &&
	    fn > 0) {
		if (!lease_epoch(f, fn, &pl) || pl > 128) {
			lease_warn(rd, "prefix_len is no number up to 128%s", "");
			return;
		}
		plen = (unsigned)pl;
	}
	if (kea_col(rd, s, n, K_STATE, &f, &fn) && !(fn == 1 && *f == '0')) {
		lease_not_held(rd);	/* declined, reclaimed, released */
		return;
	}
	/* 0xffffffff: an infinite lease (Kea's "infinity"). */
	end = valid == 0xffffffffLL ? LEASES_FOREVER : expire;
	start = expire - valid;
	(void)kea_col(rd, s, n, K_HOSTNAME, &f, &fn);
	while (fn > 0 && f[fn - 1] == '.')	/* an FQDN's root */
		fn--;
	if (!copy_str(rd, name, f, fn, "hostname"))
		return;
	if (*name == '\0') {
		if ((kea_col(rd, s, n, K_HWADDR, &f, &fn) && fn > 0) ||
		    (kea_col(rd, s, n, K_CLIENT_ID, &f, &fn) && fn > 0) ||
		    (kea_col(rd, s, n, K_DUID, &f, &fn) && fn > 0)) {
			if (!copy_str(rd, id, f, fn, "client id"))
				return;
			for (i = 0; id[i] != '\0'; i++)
				if (id[i] >= 'A' && id[i] <= 'F')
					id[i] = (char)(id[i] - 'A' + 'a');
			snprintf(name, sizeof(name), "%s", id);
		}
	}
	if (lease_add(rd, &a, plen, start, end, name, "") != ERR_OK)
		lease_warn(rd, "out of memory%s", "");
}

/* ---- ISC dhcpd.leases(5) ---------------------------------------------- */

/* s[0..n) without leading blanks and a trailing ';' and blanks. */
static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && conf_is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && (conf_is_space((*s)[*n - 1]) || (*s)[*n - 1] == ';'))
		(*n)--;
}

static bool
starts_with(const char *s, size_t n, const char *kw, const char **rest,
    size_t *rn)
{
	size_t k = strlen(kw);

	if (n < k || memcmp(s, kw, k) != 0 || (n > k && !conf_is_space(s[k])))
		return false;
	*rest = s + k;
	*rn = n - k;
	trim(rest, rn);
	return true;
}

/* "W YYYY/MM/DD HH:MM:SS" (UTC), "epoch N", or "never" (forever). */
static bool
dhcpd_time(const char *s, size_t n, int64_t *out)
{
	const char *r;
	size_t rn, i = 0;

	if (n == 5 && memcmp(s, "never", 5) == 0) {
		*out = LEASES_FOREVER;
		return true;
	}
	if (starts_with(s, n, "epoch", &r, &rn)) {
		for (i = 0; i < rn && r[i] >= '0' && r[i] <= '9'; i++)
			;
		return lease_epoch(r, i, out);
	}
	if (n < 2 || s[0] < '0' || s[0] > '6' || s[1] != ' ')
		return false;
	s += 2;
	n -= 2;
	return lease_date_time(s, n, &i, '/', out) && i == n;
}

/* A quoted string's inside, unescaped only for \" and \\ (octal stays). */
static bool
quoted(const char *s, size_t n, char *dst, size_t cap)
{
	size_t i, o = 0;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return false;
	for (i = 1; i + 1 < n; i++) {
		if (s[i] == '\\' && i + 2 < n &&
		    (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || o + 1 >= cap)
			return false;
		dst[o++] = s[i];
	}
	dst[o] = '\0';
	return true;
}

/* An ia-na/ia-ta/ia-pd string: 4 bytes of IAID, then the DUID, as hex. */
static bool
ia_duid(const char *s, size_t n, char *dst, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b;
	size_t i, k = 0, o = 0;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return false;
	for (i = 1; i + 1 < n; i++, k++) {
		b = (unsigned char)s[i];
		if (b == '\\' && i + 4 < n && s[i + 1] >= '0' &&
		    s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			b = (unsigned char)((s[i + 1] - '0') * 64 +
			    (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else if (b == '\\' && i + 2 < n) {
			b = (unsigned char)s[++i];
		}
		if (k < 4)
			continue;
		if (o + 3 > cap)
			return false;
		dst[o++] = hex[b >> 4];
		dst[o++] = hex[b & 15];
	}
	dst[o] = '\0';
	return o > 0;
}

static void
block_reset(struct rd *rd)
{
	rd->bad = false;
	rd->have_addr = false;
	rd->have_starts = rd->have_ends = false;
	rd->held = true;
	rd->host[0] = rd->mac[0] = rd->uid[0] = '\0';
}

/* The end of a lease or iaaddr/iaprefix block: one interval. */
static void
block_end(struct rd *rd)
{
	char name[LEASES_SUB_MAX + 1];
	int64_t start;

	if (rd->bad || !rd->have_addr)
		return;
	if (!rd->held) {
		lease_not_held(rd);
		return;
	}
	start = rd->have_starts ? rd->starts : rd->cltt;
	if ((!rd->have_starts && rd->cltt < 0) || !rd->have_ends) {
		lease_warn(rd, "the lease block ending here has no starts or "
		    "ends%s", "");
		return;
	}
	if (rd->host[0] != '\0')
		snprintf(name, sizeof(name), "%s", rd->host);
	else if (rd->in_v6 && rd->duid[0] != '\0')
		snprintf(name, sizeof(name), "%s", rd->duid);
	else if (rd->mac[0] != '\0')
		snprintf(name, sizeof(name), "%s", rd->mac);
	else
		snprintf(name, sizeof(name), "%s", rd->uid);
	if (lease_add(rd, &rd->addr, rd->plen, start, rd->ends, name, "") != ERR_OK)
		lease_warn(rd, "out of memory%s", "");
}

/* s[0..n) is hex digits and colons only (a uid written unquoted). */
static bool
hex_colons(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > LEASES_SUB_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F') || s[i] == ':'))
			return false;
	return true;
}

static void
dhcpd_line(struct rd *rd, const char *s, size_t n)
{
	const char *r;
	size_t rn, i;
	char msg[ERRBUF_LEN / 2], buf[LEASES_SUB_MAX + 1];
	unsigned plen;
	bool open;

	trim(&s, &n);
	if (n == 0 || s[0] == '#')
		return;
	open = s[n - 1] == '{';
	if (open) {
		n--;
		while (n > 0 && conf_is_space(s[n - 1]))
			n--;
	}
	if (rd->skip > 0) {		/* a block that holds no lease */
		if (open)
			rd->skip++;
		else if (n == 1 && s[0] == '}')
			rd->skip--;
		return;
	}
	if (!open && n == 1 && s[0] == '}') {
		if (rd->depth == 2) {
			block_end(rd);
			rd->depth = 1;
		} else if (rd->depth == 1) {
			if (!rd->in_v6)
				block_end(rd);
			rd->depth = 0;
		} else {
			lease_warn(rd, "'}' outside a block%s", "");
		}
		return;
	}
	if (open && rd->depth == 0) {
		block_reset(rd);
		rd->in_v6 = false;
		rd->cltt = -1;
		rd->duid[0] = '\0';
		if (starts_with(s, n, "lease", &r, &rn)) {
			rd->depth = 1;
			rd->plen = 32;
			if (!parse_addr(r, rn, &rd->addr) ||
			    rd->addr.family != 4) {
				conf_quote(msg, sizeof(msg), r, rn);
				lease_warn(rd, "lease: no IPv4 address: %s", msg);
				rd->bad = true;
			}
			rd->have_addr = !rd->bad;
		} else if (starts_with(s, n, "ia-na", &r, &rn) ||
		    starts_with(s, n, "ia-ta", &r, &rn) ||
		    starts_with(s, n, "ia-pd", &r, &rn)) {
			rd->depth = 1;
			rd->in_v6 = true;
			if (!ia_duid(r, rn, rd->duid, sizeof(rd->duid)))
				rd->duid[0] = '\0';
		} else {
			rd->skip = 1;		/* host, class, failover... */
		}
		return;
	}
	if (open && rd->depth == 1 && rd->in_v6 &&
	    (starts_with(s, n, "iaaddr", &r, &rn) ||
	    starts_with(s, n, "iaprefix", &r, &rn))) {
		rd->depth = 2;
		block_reset(rd);
		if (s[2] == 'a') {		/* iaaddr */
			rd->plen = 128;
			rd->have_addr = parse_addr(r, rn, &rd->addr) &&
			    rd->addr.family == 6;
		} else {
			rd->have_addr = conf_cidr(&rd->addr, &plen, r, rn,
			    msg, sizeof(msg)) == NULL && rd->addr.family == 6;
			rd->plen = (uint8_t)plen;
		}
		if (!rd->have_addr) {
			conf_quote(msg, sizeof(msg), r, rn);
			lease_warn(rd, "no IPv6 address or prefix: %s", msg);
			rd->bad = true;
		}
		return;
	}
	if (open) {		/* on expiry {...} and the like: not ours */
		rd->skip = 1;
		return;
	}
	if (rd->depth == 0 || rd->bad)
		return;		/* statements outside leases: not ours */
	if (starts_with(s, n, "cltt", &r, &rn)) {
		if (!dhcpd_time(r, rn, &rd->cltt)) {
			conf_quote(msg, sizeof(msg), r, rn);
			lease_warn(rd, "cltt is no time: %s", msg);
			rd->cltt = -1;
		}
	} else if (starts_with(s, n, "starts", &r, &rn)) {
		if (!(rd->have_starts = dhcpd_time(r, rn, &rd->starts))) {
			conf_quote(msg, sizeof(msg), r, rn);
			lease_warn(rd, "starts is no time: %s", msg);
		}
	} else if (starts_with(s, n, "ends", &r, &rn)) {
		if (!(rd->have_ends = dhcpd_time(r, rn, &rd->ends))) {
			conf_quote(msg, sizeof(msg), r, rn);
			lease_warn(rd, "ends is no time: %s", msg);
		}
	} else if (starts_with(s, n, "binding", &r, &rn)) {
		rd->held = rn == 12 && memcmp(r, "state active", 12) == 0;
	} else if (starts_with(s, n, "hardware", &r, &rn)) {
		if (starts_with(r, rn, "ethernet", &r, &rn) && rn > 0 &&
		    rn <= LEASES_SUB_MAX) {
			for (i = 0; i < rn; i++)
				buf[i] = r[i] >= 'A' && r[i] <= 'F' ?
				    (char)(r[i] - 'A' + 'a') : r[i];
			buf[rn] = '\0';
			if (strspn(buf, "0123456789abcdef:") == rn)
				memcpy(rd->mac, buf, rn + 1);
		}
	} else if (starts_with(s, n, "uid", &r, &rn)) {
		/* "..." with octal escapes, or colon-separated hex. */
		if (!quoted(r, rn, rd->uid, sizeof(rd->uid)) &&
		    (!hex_colons(r, rn) || !copy_str(rd, rd->uid, r, rn,
		    "uid")))
			rd->uid[0] = '\0';
	} else if (starts_with(s, n, "client-hostname", &r, &rn)) {
		if (!quoted(r, rn, rd->host, sizeof(rd->host)))
			lease_warn(rd, "client-hostname is no string%s", "");
	}
}

/* ---- which format ---------------------------------------------------- */

static bool
has_dhcpd(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 5 <= n; i++)
		if (memcmp(s + i, "dhcpd", 5) == 0)
			return true;
	return false;
}

enum leases_format
leases_sniff(const char *buf, size_t len)
{
	struct conf_lines ls;
	const char *s, *r;
	size_t n, rn;
	bool dhcpd_comment = false;

	conf_lines_init(&ls, buf, len);
	while (conf_line(&ls, &s, &n)) {
		if (n >= 7 && memcmp(s, "#start\t", 7) == 0)
			return LEASES_TSV;
		trim(&s, &n);
		if (n == 0)
			continue;
		if (s[0] == '#') {
			if (n >= 13 && has_dhcpd(s, n))
				dhcpd_comment = true;
			continue;
		}
		if (n >= 15 && memcmp(s, "address,hwaddr,", 15) == 0)
			return LEASES_KEA4;
		if (n >= 13 && memcmp(s, "address,duid,", 13) == 0)
			return LEASES_KEA6;
		if (starts_with(s, n, "lease", &r, &rn) ||
		    starts_with(s, n, "ia-na", &r, &rn) ||
		    starts_with(s, n, "ia-ta", &r, &rn) ||
		    starts_with(s, n, "ia-pd", &r, &rn) ||
		    starts_with(s, n, "server-duid", &r, &rn) ||
		    starts_with(s, n, "authoring-byte-order", &r, &rn) ||
		    starts_with(s, n, "failover", &r, &rn))
			return LEASES_DHCPD;
		return LEASES_UNKNOWN;
	}
	return dhcpd_comment ? LEASES_DHCPD : LEASES_UNKNOWN;
}

void
lease_line(struct rd *rd, const char *s, size_t n)
{
	if (rd->fmt == LEASES_TSV || rd->fmt == LEASES_KEA4 ||
	    rd->fmt == LEASES_KEA6) {
		if (n == 0 || (rd->fmt == LEASES_TSV && s[0] == '#'))
			return;
		if (!rd->header_done) {
			rd->header_done = true;
			if (rd->fmt != LEASES_TSV) {
				kea_header(rd, s, n);
				return;
			}
		}
		if (rd->fmt == LEASES_TSV)
			tsv_line(rd, s, n);
		else
			kea_line(rd, s, n);
		return;
	}
	dhcpd_line(rd, s, n);
}

