/* dhcp.h - what DHCPv4 (RFC 2131, 2132, 4702) and DHCPv6 (RFC 8415, 4704)
 * messages say about a client: its names, identifiers and addresses. */
#ifndef KASAUDIT_DHCP_H
#define KASAUDIT_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define DHCP_FQDN_LEN	256		/* a decoded FQDN, NUL included */
#define DHCP6_MAX_ADDRS	8		/* IA_NA addresses kept */
#define DHCP_MAX_OPTS	256		/* options read per message */

/* Message types (RFC 2132 9.6). */
#define DHCP4_DISCOVER	1
#define DHCP4_REQUEST	3
#define DHCP4_ACK	5
#define DHCP4_INFORM	8

/*
 * A wire field: p[0..len) borrowed from the message, len 0 when absent.
 */
struct dhcp_field {
	const uint8_t	*p;
	size_t		 len;
};

struct dhcp4_msg {
	uint8_t		 op;		/* 1 BOOTREQUEST, 2 BOOTREPLY */
	uint8_t		 type;		/* option 53, 0 if none */
	bool		 has_chaddr;	/* htype 1 (Ethernet), hlen 6 */
	uint8_t		 chaddr[6];
	struct addr	 ciaddr;	/* family 0 when 0.0.0.0 */
	struct addr	 yiaddr;
	struct addr	 requested;	/* option 50 */
	struct dhcp_field hostname;	/* option 12 */
	struct dhcp_field client_id;	/* option 61 */
	struct dhcp_field vendor;	/* option 60 */
	/* option 81: the name as text (labels joined by '.'), 0 if none */
	size_t		 fqdn_len;
	char		 fqdn[DHCP_FQDN_LEN];
};

/*
 * Parses a BOOTP message with the DHCP magic cookie (RFC 2131 2, 3).
 * Options are read from the options field only (an overloaded sname or
 * file, option 52, is not read).  ERR_MALFORMED: shorter than the fixed
 * header, no cookie, an option running past the end; ERR_OK otherwise,
 * with *m filled (its fields borrow msg).
 */
int	dhcp4_parse(const uint8_t *msg, size_t len, struct dhcp4_msg *m);

/* DHCPv6 message types (RFC 8415 7.3) read here. */
#define DHCP6_SOLICIT	1
#define DHCP6_ADVERTISE	2
#define DHCP6_REQUEST	3
#define DHCP6_RENEW	5
#define DHCP6_REBIND	6
#define DHCP6_REPLY	7
#define DHCP6_INFO_REQ	11
#define DHCP6_RELAY_FORW 12
#define DHCP6_RELAY_REPL 13

struct dhcp6_msg {
	uint8_t		 type;		/* of the innermost relayed message */
	unsigned	 relays;	/* relay headers taken off */
	struct dhcp_field duid;		/* option 1 */
	struct dhcp_field vendor;	/* option 16: first vendor-class-data */
	size_t		 fqdn_len;	/* option 39 */
	char		 fqdn[DHCP_FQDN_LEN];
	struct addr	 addrs[DHCP6_MAX_ADDRS];	/* IA_NA IAADDRs */
	size_t		 n_addrs;
};

/*
 * Parses a DHCPv6 message; relay messages (at most 8 deep) are taken off
 * down to the client's or server's message.  ERR_MALFORMED: an option or
 * header running past the end, or relays nested too deep.
 */
int	dhcp6_parse(const uint8_t *msg, size_t len, struct dhcp6_msg *m);

#endif
