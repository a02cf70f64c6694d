/* hnames.c - the table of address -> owner MAC and names (bounded, no
 * allocation after hnames_new()), and what each name protocol gives it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"
#include "hnames.h"
#include "mdns.h"
#include "nbns.h"
#include "zmem.h"

struct hn_entry {
	struct addr	 addr;
	bool		 has_mac;
	uint8_t		 mac[6];
	uint8_t		 n;
	struct hname	 names[HNAME_MAX];
};

struct hnames {
	size_t			 max;
	size_t			 used;
	struct hn_entry		*ents;		/* zmem, max entries */
	uint32_t		*idx;		/* entry + 1, 0 empty; zmem */
	size_t			 idx_cap;	/* power of two, >= 2 max */
	hnames_fn		 fn;
	void			*arg;
	struct hnames_stats	*st;
	struct hnames_stats	 own_st;
	/* Scratch, sized once. */
	struct dhcp4_msg	 d4;
	struct dhcp6_msg	 d6;
	struct mdns_own		 own[8];
	char			 hex[3 * 64];
};

static uint64_t
hash_addr(const struct addr *a)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	h = (h ^ a->family) * 0x100000001b3ULL;
	for (i = 0; i < 16; i++)
		h = (h ^ a->a[i]) * 0x100000001b3ULL;
	return h ^ h >> 29;
}

struct hnames *
hnames_new(size_t max, struct hnames_stats *st, hnames_fn fn, void *arg)
{
	struct hnames *t;

	if (max == 0)
		max = HNAMES_DEFAULT;
	if (max > UINT32_MAX / 4 || (t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->max = max;
	for (t->idx_cap = 16; t->idx_cap < 2 * max; t->idx_cap *= 2)
		;
	t->st = st != NULL ? st : &t->own_st;
	t->fn = fn;
	t->arg = arg;
	return t;
}

void
hnames_free(struct hnames *t)
{
	if (t == NULL)
		return;
	zmem_free(t->ents, t->max, sizeof(*t->ents));
	zmem_free(t->idx, t->idx_cap, sizeof(*t->idx));
	free(t);
}

const struct hnames_stats *
hnames_stats(const struct hnames *t)
{
	return t->st;
}

/*
 * The tables, made at the first name learned: most captures carry none
 * (no DHCP, mDNS or NetBIOS), and each table made at start was an mmap()
 * and a munmap() more for every run.  Zero pages: nothing is touched
 * before it is used.  false without memory.
 */
static bool
tables(struct hnames *t)
{
	if (t->ents != NULL)
		return true;
	t->ents = zmem_alloc(t->max, sizeof(*t->ents));
	t->idx = zmem_alloc(t->idx_cap, sizeof(*t->idx));
	if (t->ents != NULL && t->idx != NULL)
		return true;
	zmem_free(t->ents, t->max, sizeof(*t->ents));
	zmem_free(t->idx, t->idx_cap, sizeof(*t->idx));
	t->ents = NULL;
	t->idx = NULL;
	return false;
}

/*
 * The entry of a; with add, made when missing (NULL when full, or
 * without memory for the tables: refused either way).
 */
static struct hn_entry *
entry(struct hnames *t, const struct addr *a, bool add)
{
	struct hn_entry *e;
	size_t j = hash_addr(a) & (t->idx_cap - 1);

	if (t->idx == NULL && (!add || !tables(t))) {
		if (add)
			t->st->refused++;
		return NULL;
	}
	while (t->idx[j] != 0) {
		e = &t->ents[t->idx[j] - 1];
		if (addr_eq(&e->addr, a))
			return e;
		j = (j + 1) & (t->idx_cap - 1);
	}
	if (!add)
		return NULL;
	if (t->used == t->max) {
		t->st->refused++;
		return NULL;
	}
	e = &t->ents[t->used++];
	e->addr = *a;
	t->idx[j] = (uint32_t)t->used;
	if (t->used > t->st->addrs)
		t->st->addrs = t->used;
	return e;
}

/* mac now holds e's address: another MAC's names go. */
static void
own(struct hnames *t, struct hn_entry *e, const uint8_t *mac)
{
	if (mac == NULL)
		return;
	if (e->has_mac && memcmp(e->mac, mac, 6) != 0 && e->n > 0) {
		t->st->owner_changed++;
		e->n = 0;
	}
	e->has_mac = true;
	memcpy(e->mac, mac, 6);
}

void
hnames_learn(struct hnames *t, const struct addr *a, const uint8_t *mac,
    enum hname_src src, enum hname_type type, const uint8_t *name,
    size_t len, int64_t ts)
{
	struct hn_entry *e;
	struct hname h;
	size_t n;

	if ((a->family != 4 && a->family != 6) || len == 0)
		return;
	memset(&h, 0, sizeof(h));
	if (!hname_set_wire(&h, name, len))
		return;
	h.src = (uint8_t)src;
	h.type = (uint8_t)type;
	h.last_sec = ts;
	if ((e = entry(t, a, true)) == NULL)
		return;
	t->st->learned++;
	own(t, e, mac);
	n = e->n;
	(void)hname_put(e->names, &n, &h);
	e->n = (uint8_t)n;
	if (t->fn != NULL)
		t->fn(t->arg, &e->addr, e->has_mac ? e->mac : NULL, e->names,
		    e->n);
}

size_t
hnames_of(struct hnames *t, const struct addr *a, const uint8_t *mac,
    const struct hname **list)
{
	struct hn_entry *e;

	if ((e = entry(t, a, false)) == NULL || e->n == 0)
		return 0;
	if (mac != NULL && e->has_mac && memcmp(e->mac, mac, 6) != 0) {
		own(t, e, mac);
		return 0;
	}
	*list = e->names;
	return e->n;
}

/* A binary identifier as "01:aa:bb", cut to fit the scratch. */
static const uint8_t *
hex_id(struct hnames *t, const struct dhcp_field *f, size_t *len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;

	for (i = 0; i < f->len && n + 3 <= sizeof(t->hex); i++) {
		if (i > 0)
			t->hex[n++] = ':';
		t->hex[n++] = hex[f->p[i] >> 4];
		t->hex[n++] = hex[f->p[i] & 0xf];
	}
	*len = n;
	return (const uint8_t *)t->hex;
}

/*
 * A client's DHCPREQUEST or DHCPINFORM names the address it asks for or
 * has (ciaddr, else option 50); a server's DHCPACK the one it gives
 * (yiaddr, else ciaddr).  chaddr is the owner either way.  A DISCOVER or
 * an OFFER gives no address yet.
 */
static void
dhcp4(struct hnames *t, const struct pkt *p)
{
	struct dhcp4_msg *m = &t->d4;
	const struct addr *a;
	const uint8_t *mac, *id;
	struct hn_entry *e;
	size_t n;

	if (dhcp4_parse(p->payload, p->payload_len, m) != ERR_OK) {
		t->st->dhcp_malformed++;
		return;
	}
	t->st->dhcp++;
	if (m->op == 1 && (m->type == DHCP4_REQUEST ||
	    m->type == DHCP4_INFORM))
		a = m->ciaddr.family != 0 ? &m->ciaddr : &m->requested;
	else if (m->op == 2 && m->type == DHCP4_ACK)
		a = m->yiaddr.family != 0 ? &m->yiaddr : &m->ciaddr;
	else
		return;
	if (a->family == 0)
		return;
	mac = m->has_chaddr ? m->chaddr : NULL;
	/* An ACK gives the lease to mac: another MAC's names go.  An
	 * address nobody named yet takes no room for it. */
	if (m->op == 2 && mac != NULL && (e = entry(t, a, false)) != NULL)
		own(t, e, mac);
	hnames_learn(t, a, mac, HN_DHCP, HT_HOSTNAME, m->hostname.p,
	    m->hostname.len, p->ts_sec);
	hnames_learn(t, a, mac, HN_DHCP, HT_FQDN, (const uint8_t *)m->fqdn,
	    m->fqdn_len, p->ts_sec);
	if (m->op != 1)
		return;
	id = hex_id(t, &m->client_id, &n);
	hnames_learn(t, a, mac, HN_DHCP, HT_CLIENT_ID, id, n, p->ts_sec);
	hnames_learn(t, a, mac, HN_DHCP, HT_VENDOR, m->vendor.p, m->vendor.len,
	    p->ts_sec);
}

/*
 * DHCPv6: the addresses are the IA_NA ones of a client's Request, Renew,
 * Rebind or of the server's Reply; the client's MAC is the link-layer
 * sender of a client message and the receiver of a Reply (not known
 * through a relay).
 */
static void
dhcp6(struct hnames *t, const struct pkt *p)
{
	struct dhcp6_msg *m = &t->d6;
	const uint8_t *mac = NULL, *id;
	size_t i, n;

	if (dhcp6_parse(p->payload, p->payload_len, m) != ERR_OK) {
		t->st->dhcpv6_malformed++;
		return;
	}
	t->st->dhcpv6++;
	switch (m->type) {
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_REBIND:
		if (p->has_mac && m->relays == 0)
			mac = p->mac_src;
		break;
	case DHCP6_REPLY:
		if (p->has_mac && m->relays == 0)
			mac = p->mac_dst;
		break;
	default:
		return;
	}
	id = hex_id(t, &m->duid, &n);
	for (i = 0; i < m->n_addrs; i++) {
		hnames_learn(t, &m->addrs[i], mac, HN_DHCPV6, HT_FQDN,
		    (const uint8_t *)m->fqdn, m->fqdn_len, p->ts_sec);
		hnames_learn(t, &m->addrs[i], mac, HN_DHCPV6, HT_CLIENT_ID,
		    id, n, p->ts_sec);
		if (m->type != DHCP6_REPLY)
			hnames_learn(t, &m->addrs[i], mac, HN_DHCPV6,
			    HT_VENDOR, m->vendor.p, m->vendor.len, p->ts_sec);
	}
}

/* A responder's names for its own (the source) address. */
static void
mdns(struct hnames *t, const struct pkt *p, enum hname_src src)
{
	size_t n, i;
	int r;

	r = mdns_own_names(p->payload, p->payload_len, &p->src, t->own,
	    sizeof(t->own) / sizeof(t->own[0]), &n);
	if (r == ERR_NOTFOUND)
		return;
	if (r != ERR_OK)
		t->st->mdns_malformed++;
	else if (src == HN_MDNS)
		t->st->mdns++;
	else
		t->st->llmnr++;
	for (i = 0; i < n; i++)
		hnames_learn(t, &p->src, p->has_mac ? p->mac_src : NULL, src,
		    t->own[i].ptr ? HT_PTR : HT_HOSTNAME,
		    (const uint8_t *)t->own[i].name, t->own[i].len, p->ts_sec);
}

/* A registration counts only for the sender's own address. */
static void
netbios(struct hnames *t, const struct pkt *p)
{
	struct nbns_reg r;
	enum hname_type type;
	int rc;

	if ((rc = nbns_parse_reg(p->payload, p->payload_len, &r)) ==
	    ERR_NOTFOUND)
		return;
	if (rc != ERR_OK) {
		t->st->netbios_malformed++;
		return;
	}
	t->st->netbios++;
	if (!addr_eq(&r.addr, &p->src))
		return;
	if (r.group)
		type = HT_NB_GROUP;
	else if (r.suffix == 0x00)
		type = HT_NB_WORKSTATION;
	else if (r.suffix == 0x20)
		type = HT_NB_SERVER;
	else
		type = HT_NB_OTHER;
	hnames_learn(t, &p->src, p->has_mac ? p->mac_src : NULL, HN_NETBIOS,
	    type, (const uint8_t *)r.name, r.name_len, p->ts_sec);
}

void
hnames_packet(struct hnames *t, const struct pkt *p)
{
	if (p->proto != 17)
		return;
	if ((p->sport == 67 || p->sport == 68) &&
	    (p->dport == 67 || p->dport == 68))
		dhcp4(t, p);
	else if ((p->sport == 546 || p->sport == 547) &&
	    (p->dport == 546 || p->dport == 547))
		dhcp6(t, p);
	else if (p->sport == 5353)
		mdns(t, p, HN_MDNS);
	else if (p->sport == 5355)
		mdns(t, p, HN_LLMNR);
	else if (p->sport == 137 || p->dport == 137)
		netbios(t, p);
}
