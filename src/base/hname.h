/* hname.h - a machine's name as the wire gave it (DHCP, DHCPv6, mDNS,
 * LLMNR, NetBIOS, an updater's User-Agent): one bounded, newest-first list. */
#ifndef KASAUDIT_HNAME_H
#define KASAUDIT_HNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HNAME_MAX	8		/* names kept per address or host */
#define HNAME_LEN	128		/* bytes of a name kept, NUL included */

/* Where a name was heard. */
enum hname_src {
	HN_DHCP,		/* DHCPv4 (RFC 2131, 2132, 4702) */
	HN_DHCPV6,		/* DHCPv6 (RFC 8415, 4704) */
	HN_MDNS,		/* multicast DNS (RFC 6762) */
	HN_LLMNR,		/* LLMNR (RFC 4795) */
	HN_NETBIOS,		/* NetBIOS name service (RFC 1002) */
	HN_HTTP_UA,		/* User-Agent of a matched HTTP request */
	HN_SRC_N
};

/* What kind of name it is. */
enum hname_type {
	HT_HOSTNAME,		/* DHCP option 12, an mDNS/LLMNR owner name */
	HT_FQDN,		/* DHCP option 81, DHCPv6 option 39 */
	HT_CLIENT_ID,		/* DHCP option 61, DHCPv6 DUID: hex */
	HT_VENDOR,		/* DHCP option 60, DHCPv6 option 16 */
	HT_PTR,			/* an mDNS/LLMNR PTR of its own address */
	HT_NB_WORKSTATION,	/* NetBIOS unique name, suffix 0x00 */
	HT_NB_SERVER,		/* NetBIOS unique name, suffix 0x20 */
	HT_NB_OTHER,		/* NetBIOS unique name, another suffix */
	HT_NB_GROUP,		/* NetBIOS group name (a workgroup) */
	HT_USER_AGENT,
	HT_N
};

/*
 * The text is what the wire said, made safe to keep: printable ASCII and
 * well-formed UTF-8 as they are, '\' as "\\", any other byte as \DDD
 * (never a control byte, never a NUL inside).  Every writer still escapes
 * it for its format.
 */
struct hname {
	char		 name[HNAME_LEN];
	uint8_t		 src;		/* enum hname_src */
	uint8_t		 type;		/* enum hname_type */
	int64_t		 last_sec;	/* packet time it was last heard */
};

const char	*hname_src_name(unsigned);	/* "dhcp", ... ; "?" */
const char	*hname_type_name(unsigned);	/* "hostname", ... ; "?" */
/* The enum of a name given by the two above; -1 if none. */
int		 hname_src_parse(const char *);
int		 hname_type_parse(const char *);

/*
 * Fills h->name from wire bytes as above, cut at a whole character to fit;
 * the rest of the name is lost (no error: a name is a hint).  False when
 * nothing is left (an empty name).
 */
bool	hname_set_wire(struct hname *h, const uint8_t *p, size_t len);

/*
 * Fills h->name from text read back from a report: control bytes and bytes
 * not in well-formed UTF-8 become '?'.  False when empty.
 */
bool	hname_set_text(struct hname *h, const char *s, size_t len);

/*
 * Puts h into list[0..*n) (at most HNAME_MAX): an entry of the same name,
 * source and type takes the later time and moves to where that time puts
 * it; the list stays newest first (ties by source, type, name: no order
 * of calls shows); over HNAME_MAX the oldest goes.  True when the list
 * changed.
 */
bool	hname_put(struct hname *list, size_t *n, const struct hname *h);

#endif
