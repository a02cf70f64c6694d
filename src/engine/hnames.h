/* hnames.h - machines' names from the wire: a bounded table of address ->
 * MAC and names, fed by DHCP, DHCPv6, mDNS, LLMNR, NetBIOS and HTTP. */
#ifndef KASAUDIT_HNAMES_H
#define KASAUDIT_HNAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "decode.h"
#include "err.h"
#include "hname.h"

#define HNAMES_DEFAULT	16384		/* --max-name-addrs */

struct hnames_stats {
	uint64_t	 dhcp;		/* DHCPv4 messages parsed */
	uint64_t	 dhcp_malformed;
	uint64_t	 dhcpv6;
	uint64_t	 dhcpv6_malformed;
	uint64_t	 mdns;		/* mDNS responses parsed */
	uint64_t	 llmnr;		/* LLMNR responses parsed */
	uint64_t	 mdns_malformed;	/* mDNS or LLMNR */
	uint64_t	 netbios;	/* name registrations and refreshes */
	uint64_t	 netbios_malformed;
	uint64_t	 learned;	/* names heard (each time) */
	uint64_t	 owner_changed;	/* addresses whose names were dropped:
					   another MAC holds them now */
	uint64_t	 refused;	/* names of addresses over the table's
					   cap, not kept */
	uint64_t	 addrs;		/* peak: addresses in the table */
};

/*
 * Called with the address's whole list (newest first, n > 0) each time a
 * name of it is learned; mac is NULL when the owner's MAC is not known.
 * The list is borrowed for the call.
 */
typedef void (*hnames_fn)(void *arg, const struct addr *,
    const uint8_t *mac, const struct hname *list, size_t n);

struct hnames;				/* opaque: hnames.c */

/*
 * At most max_addrs addresses (0: HNAMES_DEFAULT); counts go to *st
 * (borrowed for the table's life; NULL: its own, see hnames_stats()).
 * NULL on ENOMEM.
 */
struct hnames	*hnames_new(size_t max_addrs, struct hnames_stats *st,
		    hnames_fn, void *arg);
void		 hnames_free(struct hnames *);	/* NULL-safe */
const struct hnames_stats *hnames_stats(const struct hnames *);

/* True for a UDP packet on a port whose names hnames_packet() reads. */
static inline bool
hnames_port(const struct pkt *p)
{
	switch (p->sport) {
	case 67: case 68: case 137: case 546: case 547: case 5353: case 5355:
		return true;
	}
	switch (p->dport) {
	case 67: case 68: case 137: case 546: case 547:
		return true;
	}
	return false;
}

/* Learns what a DHCP, DHCPv6, mDNS, LLMNR or NetBIOS packet names. */
void	hnames_packet(struct hnames *, const struct pkt *);

/*
 * Learns one name of addr (an HTTP User-Agent, a test); mac may be NULL.
 * A MAC other than the one the address had drops the address's names
 * first (counted in owner_changed).
 */
void	hnames_learn(struct hnames *, const struct addr *, const uint8_t *mac,
	    enum hname_src, enum hname_type, const uint8_t *name, size_t len,
	    int64_t ts_sec);

/*
 * The names of addr as seen from mac (NULL: not known), newest first, in
 * *list (borrowed until the next hnames_ call); 0 when none.  A mac other
 * than the one the names were heard from means the address changed hands:
 * its names are dropped (and counted) and none are given.
 */
size_t	hnames_of(struct hnames *, const struct addr *, const uint8_t *mac,
	    const struct hname **list);

#endif
