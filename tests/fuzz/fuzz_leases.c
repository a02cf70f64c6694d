/* fuzz_leases.c - libFuzzer: lease files (dhcpd.leases, Kea lease CSV, the
 * accounting TSV) and the lookup by address and time. */
#include <stdbool.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "fuzz.h"
#include "leases.h"

static void
no_warn(void *arg, const char *msg)
{
	(void)arg;
	FUZZ_CHECK(msg != NULL && memchr(msg, '\0', ERRBUF_LEN) != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const addrs[] = { "10.9.0.50", "10.9.1.10",
		"2001:db8:9::1:10", "2001:db8:77:ff::1", "0.0.0.0", "::" };
	static const int64_t times[] = { 0, 1796605200, 1796608805,
		INT64_MAX - 1, -1 };
	char errbuf[ERRBUF_LEN];
	const struct lease_sub *s;
	struct leases_stats st;
	struct leases *lt;
	struct addr a;
	size_t i, j;
	int r;

	if ((lt = leases_new(64)) == NULL)
		abort();
	leases_set_warn(lt, no_warn, NULL);
	errbuf[0] = '\0';
	r = leases_load_buf(lt, (const char *)data, size, "fuzz", errbuf);
	FUZZ_CHECK(r == ERR_OK || r == ERR_UNSUPPORTED || r == ERR_NOMEM);
	if (r != ERR_OK)
		FUZZ_CHECK(errbuf[0] != '\0');
	FUZZ_CHECK(leases_finish(lt) == ERR_OK);
	leases_stats(lt, &st);
	FUZZ_CHECK(st.leases <= 64);
	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		if (!addr_parse(&a, addrs[i]))
			abort();
		for (j = 0; j < sizeof(times) / sizeof(times[0]); j++) {
			if ((s = leases_find(lt, &a, times[j])) == NULL)
				continue;
			FUZZ_CHECK(s->name != NULL && *s->name != '\0' &&
			    s->contact != NULL);
			FUZZ_CHECK(leases_sub(lt, s->name) == s);
		}
	}
	leases_free(lt);
	return 0;
}
