/* fuzz_letter.c - libFuzzer: --letter templates ({{placeholders}}),
 * parsed and rendered as text and HTML. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "letter.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agg_net net;
	struct report_meta meta;
	char errbuf[ERRBUF_LEN];
	struct letter *l;
	FILE *fp;

	errbuf[0] = '\0';
	l = letter_parse((const char *)data, size, "fuzz", errbuf);
	if (l == NULL) {
		FUZZ_CHECK(errbuf[0] != '\0');
		FUZZ_CHECK(memchr(errbuf, '\0', ERRBUF_LEN) != NULL);
		return 0;
	}
	memset(&net, 0, sizeof(net));
	net.name = "Acme \"Dental\", LLC <x>";
	net.cidr = "10.0.0.0/8 2001:db8::/32";
	net.contacts = "a@x.example\nB & C";
	memset(&meta, 0, sizeof(meta));
	if ((fp = fopen("/dev/null", "w")) == NULL)
		abort();
	FUZZ_CHECK(letter_write(fp, l, &net, &meta, false) == ERR_OK);
	FUZZ_CHECK(letter_write(fp, l, &net, &meta, true) == ERR_OK);
	fclose(fp);
	letter_free(l);
	return 0;
}
