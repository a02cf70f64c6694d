/* fuzz_netmap.c - libFuzzer: the networks file (CIDR name [contact...]). */
#include <stdbool.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "fuzz.h"
#include "netmap.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t v4[][4] = {
		{ 10, 1, 2, 3 }, { 192, 168, 10, 5 }, { 0, 0, 0, 0 },
		{ 255, 255, 255, 255 },
	};
	static const uint8_t v6[][16] = {
		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 7 }, { 0 },
		{ 0xfd, 0x00, 0x00, 0x00, [15] = 0xff },
	};
	char errbuf[ERRBUF_LEN];
	const struct netmap_net *n;
	struct netmap *nm;
	struct addr a;
	size_t i;
	int r;

	if ((nm = netmap_new()) == NULL)
		abort();
	errbuf[0] = '\0';
	r = netmap_load_buf(nm, (const char *)data, size, "fuzz", errbuf);
	FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED || r == ERR_NOMEM);
	if (r != ERR_OK) {
		FUZZ_CHECK(errbuf[0] != '\0');
		FUZZ_CHECK(memchr(errbuf, '\0', ERRBUF_LEN) != NULL);
		FUZZ_CHECK(netmap_count(nm) == 0);
	}
	for (i = 0; i < sizeof(v4) / sizeof(v4[0]) + sizeof(v6) /
	    sizeof(v6[0]); i++) {
		if (i < sizeof(v4) / sizeof(v4[0]))
			addr_set4(&a, v4[i]);
		else
			addr_set6(&a, v6[i - sizeof(v4) / sizeof(v4[0])]);
		if ((n = netmap_lookup(nm, &a)) == NULL)
			continue;
		FUZZ_CHECK(n->cidr != NULL && n->name != NULL &&
		    n->contacts != NULL);
		FUZZ_CHECK(n->prefix.family == a.family);
		FUZZ_CHECK(strlen(n->cidr) > 0);
	}
	netmap_free(nm);
	return 0;
}
