/* fuzz_mdns.c - libFuzzer: a responder's own names in mDNS (RFC 6762) and
 * LLMNR (RFC 4795) responses, as mdns.c reads them. */

/* data[0] low bit: the sender is IPv6; then its address (4 or 16 bytes),
 * then the DNS message. */
#include <string.h>

#include "fuzz.h"
#include "mdns.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdns_own own[8];
	struct addr self;
	size_t alen, n, i;
	uint8_t *copy;
	int r;

	if (size < 1)
		return 0;
	memset(&self, 0, sizeof(self));
	self.family = data[0] & 1 ? 6 : 4;
	alen = self.family == 6 ? 16 : 4;
	if (size < 1 + alen)
		return 0;
	memcpy(self.a, data + 1, alen);
	copy = fuzz_dup(data + 1 + alen, size - 1 - alen);
	r = mdns_own_names(copy, size - 1 - alen, &self, own, 8, &n);
	FUZZ_CHECK(r == ERR_OK || r == ERR_NOTFOUND || r == ERR_MALFORMED);
	FUZZ_CHECK(n <= 8);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(own[i].len > 0 && own[i].len < MDNS_NAME_LEN);
		FUZZ_CHECK(own[i].name[own[i].len] == '\0');
	}
	free(copy);
	return 0;
}
