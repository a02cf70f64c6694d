/* encap.h - the kinds of tunnel the decoder opens, and one layer of one
 * (header only): what a packet and an observation keep of the outside. */
#ifndef KASAUDIT_ENCAP_H
#define KASAUDIT_ENCAP_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

#define ENCAP_MAX	8		/* layers kept; --tunnel-depth bound */
#define ENCAP_DEPTH	4		/* --tunnel-depth default */

enum encap_kind {
	ENCAP_GRE,		/* GRE (RFC 2784, 2890), NVGRE */
	ENCAP_ERSPAN,		/* ERSPAN types I, II and III in GRE */
	ENCAP_GRE_UDP,		/* GRE-in-UDP (RFC 8086), port 4754 */
	ENCAP_VXLAN,		/* VXLAN (RFC 7348) and VXLAN-GPE, 4789/4790 */
	ENCAP_GENEVE,		/* Geneve (RFC 8926), port 6081 */
	ENCAP_GTPU,		/* GTP-U (3GPP TS 29.281), port 2152 */
	ENCAP_IPIP,		/* IPv4 in IPv4 (RFC 2003) */
	ENCAP_6IN4,		/* IPv6 in IPv4 (RFC 4213), protocol 41 */
	ENCAP_4IN6,		/* IPv4 in IPv6 (RFC 2473) */
	ENCAP_6IN6,		/* IPv6 in IPv6 (RFC 2473) */
	ENCAP_AYIYA,		/* AYIYA, port 5072 */
	ENCAP_TEREDO,		/* Teredo (RFC 4380), port 3544 */
	ENCAP_N
};

/* The key of a layer's id in an event, by kind; NULL: it has none. */
static inline const char *
encap_id_key(enum encap_kind k)
{
	switch (k) {
	case ENCAP_GRE:
	case ENCAP_GRE_UDP:
		return "key";
	case ENCAP_ERSPAN:
		return "session";
	case ENCAP_VXLAN:
	case ENCAP_GENEVE:
		return "vni";
	case ENCAP_GTPU:
		return "teid";
	default:
		return NULL;
	}
}

static inline const char *
encap_kind_name(enum encap_kind k)
{
	static const char *const names[ENCAP_N] = {
		"gre", "erspan", "gre-udp", "vxlan", "geneve", "gtp-u",
		"ipip", "6in4", "4in6", "6in6", "ayiya", "teredo",
	};

	return (unsigned)k < ENCAP_N ? names[k] : "?";
}

/* One tunnel layer a packet came through: its outer addresses. */
struct encap {
	struct addr	 src;
	struct addr	 dst;
	uint32_t	 id;		/* GRE key, VNI, TEID, ERSPAN session */
	uint8_t		 kind;		/* enum encap_kind */
	bool		 has_id;
};

#endif
