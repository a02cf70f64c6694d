/* dhcp.c - client names, identifiers and addresses in DHCPv4 (RFC 2131,
 * 2132, 4702: client FQDN) and DHCPv6 (RFC 8415, 4704) messages. */
#include <string.h>

#include "cursor.h"
#include "dhcp.h"
#include "name.h"

#define BOOTP_FIXED	236		/* op .. file (RFC 2131 2) */
#define DHCP6_RELAY_MAX	8		/* RFC 8415 7.6 HOP_COUNT_LIMIT is 8 */

static void
addr4_of(struct addr *a, const uint8_t *p)
{
	memset(a, 0, sizeof(*a));
	if ((p[0] | p[1] | p[2] | p[3]) == 0)
		return;
	a->family = 4;
	memcpy(a->a, p, 4);
}

/*
 * A domain name of an FQDN option: wire form (RFC 1035 3.1, no
 * compression) when `wire`, else ASCII (the deprecated form of RFC 4702
 * 2.3.1).  Labels are joined by '.', bytes as they are; a name that does
 * not parse leaves what was read so far.
 */
static size_t
fqdn_text(char *out, size_t cap, struct cur c, bool wire)
{
	struct name_iter it;
	struct cur lab;
	size_t n = 0, k;

	if (!wire) {
		k = cur_left(&c);
		if (k > cap - 1)
			k = cap - 1;
		memcpy(out, c.p, k);
		out[k] = '\0';
		return strnlen(out, k);
	}
	name_iter_init(&it, c, NULL, 0);
	while (name_iter_next(&it, &lab) == NAME_NEXT) {
		k = cur_left(&lab);
		if (n + (n > 0) + k > cap - 1)
			break;
		if (n > 0)
			out[n++] = '.';
		memcpy(out + n, lab.p, k);
		n += k;
	}
	out[n] = '\0';
	return strnlen(out, n);
}

int
dhcp4_parse(const uint8_t *msg, size_t len, struct dhcp4_msg *m)
{
	struct cur c = cur_init(msg, len), o;
	uint8_t hdr[BOOTP_FIXED], code, flags;
	unsigned n = 0;

	memset(m, 0, sizeof(*m));
	cur_copy(&c, hdr, sizeof(hdr));
	if (cur_u32(&c) != 0x63825363 || !c.ok)
		return ERR_MALFORMED;
	m->op = hdr[0];
	m->has_chaddr = hdr[1] == 1 && hdr[2] == 6;
	if (m->has_chaddr)
		memcpy(m->chaddr, hdr + 28, 6);
	addr4_of(&m->ciaddr, hdr + 12);
	addr4_of(&m->yiaddr, hdr + 16);
	while (cur_left(&c) > 0 && n++ < DHCP_MAX_OPTS) {
		if ((code = cur_u8(&c)) == 0)		/* pad */
			continue;
		if (code == 255)			/* end */
			break;
		o = cur_sub(&c, cur_u8(&c));
		if (!c.ok)
			return ERR_MALFORMED;
		switch (code) {
		case 12:
			m->hostname.p = o.p;
			m->hostname.len = cur_left(&o);
			break;
		case 50:
			if (cur_left(&o) == 4)
				addr4_of(&m->requested, o.p);
			break;
		case 53:
			if (cur_left(&o) == 1)
				m->type = o.p[0];
			break;
		case 60:
			m->vendor.p = o.p;
			m->vendor.len = cur_left(&o);
			break;
		case 61:
			m->client_id.p = o.p;
			m->client_id.len = cur_left(&o);
			break;
		case 81:
			/* flags, RCODE1, RCODE2, domain name; E: wire form */
			flags = cur_u8(&o);
			cur_skip(&o, 2);
			if (o.ok)
				m->fqdn_len = fqdn_text(m->fqdn,
				    sizeof(m->fqdn), o, (flags & 0x04) != 0);
			break;
		}
	}
	return ERR_OK;
}

/* The addresses of an IA_NA's IAADDR options (RFC 8415 21.4, 21.6). */
static void
dhcp6_ia_na(struct cur ia, struct dhcp6_msg *m)
{
	struct cur o;
	uint16_t code;
	unsigned n = 0;

	cur_skip(&ia, 12);			/* IAID, T1, T2 */
	while (cur_left(&ia) >= 4 && n++ < DHCP_MAX_OPTS) {
		code = cur_u16(&ia);
		o = cur_sub(&ia, cur_u16(&ia));
		if (!ia.ok)
			return;
		if (code != 5 || cur_left(&o) < 24 ||
		    m->n_addrs == DHCP6_MAX_ADDRS)
			continue;
		m->addrs[m->n_addrs].family = 6;
		cur_copy(&o, m->addrs[m->n_addrs].a, 16);
		m->n_addrs++;
	}
}

int
dhcp6_parse(const uint8_t *msg, size_t len, struct dhcp6_msg *m)
{
	struct cur c = cur_init(msg, len), o, relayed;
	uint16_t code;
	unsigned n = 0;

	memset(m, 0, sizeof(*m));
	for (;;) {
		m->type = cur_u8(&c);
		if (!c.ok)
			return ERR_MALFORMED;
		if (m->type != DHCP6_RELAY_FORW && m->type != DHCP6_RELAY_REPL)
			break;
		/* hop-count, link-address, peer-address, options */
		if (++m->relays > DHCP6_RELAY_MAX)
			return ERR_MALFORMED;
		cur_skip(&c, 1 + 16 + 16);
		relayed.ok = false;
		while (cur_left(&c) >= 4 && n++ < DHCP_MAX_OPTS) {
			code = cur_u16(&c);
			o = cur_sub(&c, cur_u16(&c));
			if (code == 9)			/* Relay Message */
				relayed = o;
		}
		if (!c.ok || !relayed.ok)
			return ERR_MALFORMED;
		c = relayed;
	}
	cur_skip(&c, 3);			/* transaction-id */
	while (cur_left(&c) > 0 && n++ < DHCP_MAX_OPTS) {
		code = cur_u16(&c);
		o = cur_sub(&c, cur_u16(&c));
		if (!c.ok)
			return ERR_MALFORMED;
		switch (code) {
		case 1:
			m->duid.p = o.p;
			m->duid.len = cur_left(&o);
			break;
		case 3:
			dhcp6_ia_na(o, m);
			break;
		case 16:
			/* enterprise-number, then length-prefixed data */
			cur_skip(&o, 4);
			o = cur_sub(&o, cur_u16(&o));
			if (o.ok) {
				m->vendor.p = o.p;
				m->vendor.len = cur_left(&o);
			}
			break;
		case 39:
			cur_skip(&o, 1);	/* flags */
			if (o.ok)
				m->fqdn_len = fqdn_text(m->fqdn,
				    sizeof(m->fqdn), o, true);
			break;
		}
	}
	return c.ok ? ERR_OK : ERR_MALFORMED;
}
