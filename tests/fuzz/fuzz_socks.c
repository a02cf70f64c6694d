/* fuzz_socks.c - libFuzzer: SOCKS 4, 4a and 5 (RFC 1928, RFC 1929). */

/* Client messages, walked as the audit walks a stream. */
#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "socks.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct socks_req req;
	bool after = false;
	size_t off = 0;
	uint8_t *copy;
	int i, r;

	(void)socks_is_start(data, size);
	for (i = 0; i < 4 && off < size; i++) {
		copy = fuzz_dup(data + off, size - off);
		r = socks_client_msg(copy, size - off, after, &req);
		free(copy);
		FUZZ_CHECK(r == ERR_OK || r == ERR_SHORT ||
		    r == ERR_MALFORMED);
		if (r != ERR_OK)
			break;
		FUZZ_CHECK(req.len > 0 && req.len <= size - off);
		FUZZ_CHECK(memchr(req.name, '\0', sizeof(req.name)) != NULL);
		off += req.len;
		if (req.msg == SOCKS_REQUEST)
			break;
		after = true;
	}
	/* Both readings of the first message must hold on their own. */
	(void)socks_client_msg(data, size, true, &req);
	return 0;
}
