/* fuzz_nbns.c - libFuzzer: NetBIOS name registrations (RFC 1002 4.2.2,
 * 4.2.4) as nbns.c reads them. */
#include <string.h>

#include "fuzz.h"
#include "nbns.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nbns_reg r;
	uint8_t *copy = fuzz_dup(data, size);
	int rc;

	rc = nbns_parse_reg(copy, size, &r);
	FUZZ_CHECK(rc == ERR_OK || rc == ERR_NOTFOUND || rc == ERR_MALFORMED);
	if (rc == ERR_OK) {
		FUZZ_CHECK(r.name_len > 0 && r.name_len < NBNS_NAME_LEN);
		FUZZ_CHECK(strlen(r.name) == r.name_len);
		FUZZ_CHECK(r.addr.family == 4);
	}
	free(copy);
	return 0;
}
