/* test_names.c - the machine-name parsers: DHCPv4, DHCPv6 (dhcp.c), NetBIOS
 * registrations (nbns.c), mDNS/LLMNR own records (mdns.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"
#include "mdns.h"
#include "nbns.h"

struct b {
	uint8_t	 p[1024];
	size_t	 n;
};

static void
put(struct b *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->p));
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
u8(struct b *b, unsigned v)
{
	uint8_t c = (uint8_t)v;

	put(b, &c, 1);
}

static void
u16(struct b *b, unsigned v)
{
	u8(b, v >> 8);
	u8(b, v & 0xff);
}

static void
u32(struct b *b, uint32_t v)
{
	u16(b, v >> 16);
	u16(b, v & 0xffff);
}

static void
zeros(struct b *b, size_t n)
{
	while (n-- > 0)
		u8(b, 0);
}

static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x31 };
static const uint8_t ip31[4] = { 10, 0, 0, 31 };

static void
bootp(struct b *m, unsigned op, const uint8_t *yi)
{
	u8(m, op);
	u8(m, 1);
	u8(m, 6);
	u8(m, 0);
	zeros(m, 4 + 2 + 2 + 4);		/* xid, secs, flags, ciaddr */
	if (yi != NULL)
		put(m, yi, 4);
	else
		zeros(m, 4);
	zeros(m, 8);
	put(m, mac, 6);
	zeros(m, 10 + 64 + 128);
	u32(m, 0x63825363);
}

static void
test_dhcp4_request(void **state)
{
	static const uint8_t fq[] = { 0x05, 0, 0, 5, 'a', 'l', 'i', 'c', 'e',
	    4, 'c', 'o', 'r', 'p', 0 };
	struct dhcp4_msg d;
	struct b m = { .n = 0 };

	(void)state;
	bootp(&m, 1, NULL);
	u8(&m, 53); u8(&m, 1); u8(&m, 3);
	u8(&m, 0);				/* pad */
	u8(&m, 50); u8(&m, 4); put(&m, ip31, 4);
	u8(&m, 12); u8(&m, 8); put(&m, "ALICE-PC", 8);
	u8(&m, 81); u8(&m, sizeof(fq)); put(&m, fq, sizeof(fq));
	u8(&m, 61); u8(&m, 7); u8(&m, 1); put(&m, mac, 6);
	u8(&m, 60); u8(&m, 8); put(&m, "MSFT 5.0", 8);
	u8(&m, 255);
	assert_int_equal(dhcp4_parse(m.p, m.n, &d), ERR_OK);
	assert_int_equal(d.op, 1);
	assert_int_equal(d.type, DHCP4_REQUEST);
	assert_true(d.has_chaddr);
	assert_memory_equal(d.chaddr, mac, 6);
	assert_int_equal(d.ciaddr.family, 0);
	assert_int_equal(d.requested.family, 4);
	assert_memory_equal(d.requested.a, ip31, 4);
	assert_int_equal(d.hostname.len, 8);
	assert_memory_equal(d.hostname.p, "ALICE-PC", 8);
	assert_string_equal(d.fqdn, "alice.corp");
	assert_int_equal(d.client_id.len, 7);
	assert_int_equal(d.vendor.len, 8);
	/* Every prefix: malformed or fewer options, never a crash. */
	for (size_t n = 0; n < m.n; n++) {
		uint8_t *cp = malloc(n ? n : 1);

		memcpy(cp, m.p, n);
		(void)dhcp4_parse(cp, n, &d);
		free(cp);
	}
}

static void
test_dhcp4_ack_ascii_fqdn(void **state)
{
	static const uint8_t fq[] = { 0x01, 0, 0, 'b', '.', 'c' };
	struct dhcp4_msg d;
	struct b m = { .n = 0 };

	(void)state;
	bootp(&m, 2, ip31);
	u8(&m, 53); u8(&m, 1); u8(&m, 5);
	u8(&m, 81); u8(&m, sizeof(fq)); put(&m, fq, sizeof(fq));
	assert_int_equal(dhcp4_parse(m.p, m.n, &d), ERR_OK);	/* no end */
	assert_int_equal(d.type, DHCP4_ACK);
	assert_memory_equal(d.yiaddr.a, ip31, 4);
	assert_string_equal(d.fqdn, "b.c");
}

static void
test_dhcp4_bad(void **state)
{
	struct dhcp4_msg d;
	struct b m = { .n = 0 };

	(void)state;
	assert_int_equal(dhcp4_parse(m.p, 0, &d), ERR_MALFORMED);
	bootp(&m, 1, NULL);
	m.p[m.n - 1] = 0;			/* no cookie */
	assert_int_equal(dhcp4_parse(m.p, m.n, &d), ERR_MALFORMED);
	m.p[m.n - 1] = 0x63;
	u8(&m, 12); u8(&m, 200); put(&m, "x", 1);	/* runs past */
	assert_int_equal(dhcp4_parse(m.p, m.n, &d), ERR_MALFORMED);
}

static void
v6opt(struct b *m, unsigned code, const struct b *v)
{
	u16(m, code);
	u16(m, (unsigned)v->n);
	put(m, v->p, v->n);
}

static void
test_dhcp6(void **state)
{
	static const uint8_t a6[16] = { 0x20, 1, 0xd, 0xb8, [15] = 0x35 };
	struct b m = { .n = 0 }, duid = { .n = 0 }, ia = { .n = 0 };
	struct b fq = { .n = 0 }, vc = { .n = 0 }, rl = { .n = 0 };
	struct dhcp6_msg d;

	(void)state;
	u16(&duid, 3); u16(&duid, 1); put(&duid, mac, 6);
	u32(&ia, 1); u32(&ia, 0); u32(&ia, 0);
	u16(&ia, 5); u16(&ia, 24); put(&ia, a6, 16); zeros(&ia, 8);
	u8(&fq, 1);
	u8(&fq, 4); put(&fq, "erin", 4); u8(&fq, 0);
	u32(&vc, 311); u16(&vc, 8); put(&vc, "MSFT 5.0", 8);
	u32(&m, 7u << 24 | 1);
	v6opt(&m, 1, &duid);
	v6opt(&m, 3, &ia);
	v6opt(&m, 39, &fq);
	v6opt(&m, 16, &vc);
	assert_int_equal(dhcp6_parse(m.p, m.n, &d), ERR_OK);
	assert_int_equal(d.type, DHCP6_REPLY);
	assert_int_equal(d.duid.len, 10);
	assert_int_equal(d.n_addrs, 1);
	assert_memory_equal(d.addrs[0].a, a6, 16);
	assert_string_equal(d.fqdn, "erin");
	assert_int_equal(d.vendor.len, 8);
	/* The same, relayed once. */
	u8(&rl, DHCP6_RELAY_REPL);
	u8(&rl, 0);
	zeros(&rl, 32);
	v6opt(&rl, 9, &m);
	assert_int_equal(dhcp6_parse(rl.p, rl.n, &d), ERR_OK);
	assert_int_equal(d.relays, 1);
	assert_int_equal(d.type, DHCP6_REPLY);
	assert_int_equal(d.n_addrs, 1);
	/* Cut short. */
	assert_int_equal(dhcp6_parse(m.p, m.n - 1, &d), ERR_MALFORMED);
	assert_int_equal(dhcp6_parse(rl.p, 20, &d), ERR_MALFORMED);
}

/* A name registration of name<suffix> for addr, the record compressed. */
static void
nb_reg(struct b *m, unsigned flags, const char *name, unsigned suffix,
    unsigned nbf, const uint8_t *addr)
{
	char pad[16];
	unsigned i;

	memset(pad, ' ', sizeof(pad));
	memcpy(pad, name, strlen(name));
	pad[15] = (char)suffix;
	u16(m, 1);
	u16(m, flags);
	u16(m, 1); u16(m, 0); u16(m, 0); u16(m, 1);
	u8(m, 32);
	for (i = 0; i < 16; i++) {
		u8(m, 'A' + ((uint8_t)pad[i] >> 4));
		u8(m, 'A' + ((uint8_t)pad[i] & 0xf));
	}
	u8(m, 0);
	u16(m, 0x20); u16(m, 1);
	u16(m, 0xc00c); u16(m, 0x20); u16(m, 1); u32(m, 300000);
	u16(m, 6); u16(m, nbf); put(m, addr, 4);
}

static void
test_nbns(void **state)
{
	struct nbns_reg r;
	struct b m = { .n = 0 };

	(void)state;
	nb_reg(&m, 0x2910, "CAROL-PC", 0x20, 0, ip31);
	assert_int_equal(nbns_parse_reg(m.p, m.n, &r), ERR_OK);
	assert_string_equal(r.name, "CAROL-PC");
	assert_int_equal(r.suffix, 0x20);
	assert_false(r.group);
	assert_memory_equal(r.addr.a, ip31, 4);
	m.n = 0;
	nb_reg(&m, 0x4000, "WORKGROUP", 0, 0x8000, ip31);	/* refresh */
	assert_int_equal(nbns_parse_reg(m.p, m.n, &r), ERR_OK);
	assert_true(r.group);
	assert_int_equal(r.opcode, 8);
	m.n = 0;
	nb_reg(&m, 0x0110, "X", 0, 0, ip31);	/* a query */
	assert_int_equal(nbns_parse_reg(m.p, m.n, &r), ERR_NOTFOUND);
	m.n = 0;
	nb_reg(&m, 0xa910, "X", 0, 0, ip31);	/* a response */
	assert_int_equal(nbns_parse_reg(m.p, m.n, &r), ERR_NOTFOUND);
	m.n = 0;
	nb_reg(&m, 0x2910, "X", 0, 0, ip31);
	m.p[13] = 'Z';				/* not first-level encoded */
	assert_int_equal(nbns_parse_reg(m.p, m.n, &r), ERR_MALFORMED);
	m.p[13] = 'A';
	assert_int_equal(nbns_parse_reg(m.p, m.n - 1, &r), ERR_MALFORMED);
	m.n = 0;
	nb_reg(&m, 0x2910, "", 0x20, 0, ip31);	/* only spaces: no name */
	assert_int_equal(nbns_parse_reg(m.p, m.n, &r), ERR_MALFORMED);
}

static void
name(struct b *m, const char *dotted)
{
	const char *p = dotted, *e;

	while (*p) {
		e = strchr(p, '.');
		if (e == NULL)
			e = p + strlen(p);
		u8(m, (unsigned)(e - p));
		put(m, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
	}
	u8(m, 0);
}

static void
test_mdns(void **state)
{
	static const uint8_t other[4] = { 10, 0, 0, 99 };
	struct mdns_own own[8];
	struct addr self = { 4, { 10, 0, 0, 31 } };
	struct addr self6 = { 6, { 0xfe, 0x80, [15] = 1 } };
	struct b m = { .n = 0 };
	size_t n;

	(void)state;
	u16(&m, 0); u16(&m, 0x8400); u16(&m, 0); u16(&m, 4); u32(&m, 0);
	name(&m, "Bob\xc3\xa9s-Mac.local");		/* UTF-8 */
	u16(&m, 1); u16(&m, 0x8001); u32(&m, 120); u16(&m, 4);
	put(&m, ip31, 4);
	u16(&m, 0xc00c); u16(&m, 1); u16(&m, 1); u32(&m, 1); u16(&m, 4);
	put(&m, ip31, 4);			/* the same name again */
	name(&m, "31.0.0.10.IN-ADDR.arpa");
	u16(&m, 12); u16(&m, 1); u32(&m, 1); u16(&m, 2); u16(&m, 0xc00c);
	name(&m, "printer.local");
	u16(&m, 1); u16(&m, 1); u32(&m, 1); u16(&m, 4); put(&m, other, 4);
	assert_int_equal(mdns_own_names(m.p, m.n, &self, own, 8, &n), ERR_OK);
	assert_int_equal(n, 2);
	assert_false(own[0].ptr);
	assert_string_equal(own[0].name, "Bob\xc3\xa9s-Mac.local");
	assert_true(own[1].ptr);
	assert_string_equal(own[1].name, "Bob\xc3\xa9s-Mac.local");
	/* From another address: nothing of its own. */
	assert_int_equal(mdns_own_names(m.p, m.n, &self6, own, 8, &n), ERR_OK);
	assert_int_equal(n, 0);
	/* At most max. */
	assert_int_equal(mdns_own_names(m.p, m.n, &self, own, 1, &n), ERR_OK);
	assert_int_equal(n, 1);
	/* Cut: what came before the fault is kept. */
	assert_int_equal(mdns_own_names(m.p, m.n - 3, &self, own, 8, &n),
	    ERR_MALFORMED);
	assert_int_equal(n, 2);
	/* A query. */
	m.p[2] = 0;
	assert_int_equal(mdns_own_names(m.p, m.n, &self, own, 8, &n),
	    ERR_NOTFOUND);
	/* A pointer loop. */
	m.n = 0;
	u16(&m, 0); u16(&m, 0x8400); u16(&m, 0); u16(&m, 1); u32(&m, 0);
	u16(&m, 0xc00c);
	assert_int_equal(mdns_own_names(m.p, m.n, &self, own, 8, &n),
	    ERR_MALFORMED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dhcp4_request),
		cmocka_unit_test(test_dhcp4_ack_ascii_fqdn),
		cmocka_unit_test(test_dhcp4_bad),
		cmocka_unit_test(test_dhcp6),
		cmocka_unit_test(test_nbns),
		cmocka_unit_test(test_mdns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
