/* fuzz_dhcp.c - libFuzzer: DHCPv4 (RFC 2131, 2132, 4702) and DHCPv6
 * (RFC 8415, 4704) messages as dhcp.c reads them. */

/* The first byte picks the parser (low bit: DHCPv6); the rest is the
 * message, copied into a block of its own size. */
#include <string.h>

#include "dhcp.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp4_msg d4;
	struct dhcp6_msg d6;
	uint8_t *copy;
	size_t i;
	int r;

	if (size < 1)
		return 0;
	copy = fuzz_dup(data + 1, size - 1);
	if (data[0] & 1) {
		r = dhcp6_parse(copy, size - 1, &d6);
		FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED);
		if (r == ERR_OK) {
			FUZZ_CHECK(d6.n_addrs <= DHCP6_MAX_ADDRS);
			FUZZ_CHECK(d6.fqdn_len < sizeof(d6.fqdn) &&
			    d6.fqdn[d6.fqdn_len] == '\0');
			FUZZ_CHECK(d6.relays <= 8);
			fuzz_touch(d6.duid.p, d6.duid.len);
			fuzz_touch(d6.vendor.p, d6.vendor.len);
			for (i = 0; i < d6.n_addrs; i++)
				FUZZ_CHECK(d6.addrs[i].family == 6);
		}
	} else {
		r = dhcp4_parse(copy, size - 1, &d4);
		FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED);
		if (r == ERR_OK) {
			FUZZ_CHECK(d4.fqdn_len < sizeof(d4.fqdn) &&
			    d4.fqdn[d4.fqdn_len] == '\0');
			fuzz_touch(d4.hostname.p, d4.hostname.len);
			fuzz_touch(d4.client_id.p, d4.client_id.len);
			fuzz_touch(d4.vendor.p, d4.vendor.len);
		}
	}
	free(copy);
	return 0;
}
