/* fuzz_proxyhdr.c - libFuzzer: PROXY protocol headers v1 and v2 (haproxy's
 * proxy-protocol.txt). */

/* The header, then the same cut one byte short: never taken as whole. */
#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "proxyhdr.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_hdr h, p;
	size_t need = 0, pneed = 0, cut;
	uint8_t *copy;
	int r, pr;

	copy = fuzz_dup(data, size);
	(void)proxy_is_start(copy, size);
	r = proxy_header(copy, size, &h, &need);
	free(copy);
	FUZZ_CHECK(r == ERR_OK || r == ERR_SHORT || r == ERR_NOTFOUND ||
	    r == ERR_MALFORMED);
	if (r == ERR_OK) {
		FUZZ_CHECK(h.len > 0 && h.len <= size);
		FUZZ_CHECK(h.version == 1 || h.version == 2);
		FUZZ_CHECK(!h.has_addr || ((h.src.family == 4 ||
		    h.src.family == 6) && h.src.family == h.dst.family));
		/* A header read whole reads the same with more after it, and
		 * a prefix of it is never taken as a whole header. */
		cut = h.len - 1;
		copy = fuzz_dup(data, cut);
		pr = proxy_header(copy, cut, &p, &pneed);
		free(copy);
		FUZZ_CHECK(pr == ERR_SHORT);
	}
	if (r == ERR_SHORT)
		FUZZ_CHECK(need <= 65535 + 16);
	return 0;
}
