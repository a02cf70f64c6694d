/* fuzz_sigs.c - libFuzzer: signature files (signatures/README.md). */

/* Loaded, then asked about names and addresses. */
#include <stdbool.h>
#include <string.h>

#include "addr.h"
#include "err.h"
#include "fuzz.h"
#include "match.h"

static const char *const names[] = {
	"kaspersky.com", "dnl-01.geo.kaspersky.com", "ksn.kaspersky-labs.com",
	"a.b.c.example.org", "example.org.", ".", "", "xn--80a.com",
	"a\\.kaspersky.com", "\\000.kaspersky.com", "com",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t v4[4] = { 10, 1, 2, 3 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };
	char errbuf[ERRBUF_LEN], name[256];
	const struct match_sig *s;
	struct match *m;
	struct addr a;
	size_t i, n, before;
	int r;

	if ((m = match_new()) == NULL)
		abort();
	/* Something loaded first, which a failed load must leave alone. */
	if (match_load_buf(m, "=ds.kaspersky.com update\n", 25, "base",
	    errbuf) != ERR_OK)
		abort();
	before = match_count(m);
	errbuf[0] = '\0';
	r = match_load_buf(m, (const char *)data, size, "fuzz", errbuf);
	FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED || r == ERR_NOMEM);
	if (r != ERR_OK) {
		FUZZ_CHECK(errbuf[0] != '\0');
		FUZZ_CHECK(memchr(errbuf, '\0', ERRBUF_LEN) != NULL);
		FUZZ_CHECK(match_count(m) == before);
	}
	for (i = 0; i < match_count(m); i++) {
		s = match_at(m, i);
		FUZZ_CHECK(s != NULL && s->pattern != NULL &&
		    s->source != NULL && s->note != NULL && s->set != NULL);
		FUZZ_CHECK(s->cat < CAT_N);
		(void)match_cat_name(s->cat);
		(void)match_kind_name(s->kind);
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		(void)match_name(m, names[i], strlen(names[i]));
	/* The input's tail as a name too: lookups see the same bytes. */
	n = size < sizeof(name) - 1 ? size : sizeof(name) - 1;
	memcpy(name, data + size - n, n);
	name[n] = '\0';
	(void)match_name(m, name, strlen(name));
	addr_set4(&a, v4);
	(void)match_addr(m, &a);
	addr_set6(&a, v6);
	(void)match_addr(m, &a);
	match_free(m);
	return 0;
}
