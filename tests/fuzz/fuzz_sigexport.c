/* fuzz_sigexport.c - libFuzzer: any loadable signature set exported in
 * every format and with every answer (sigexport.c). */

/* The input is a signature file; what loads is exported six ways.  Each
 * export must succeed (or refuse an option it was told it would) and
 * account for every signature once. */
#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "match.h"
#include "sigexport.h"

static void
one(const struct match *m, enum sigexport_format f, const char *action,
    const char *redirect)
{
	char errbuf[ERRBUF_LEN];
	struct sigexport_opts o;
	struct sigexport_stats st;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	int r;

	sigexport_defaults(&o);
	o.format = f;
	o.cats = (1u << CAT_N) - 1;
	if (action != NULL && sigexport_set_action(&o, action, errbuf) != 0)
		abort();
	if (redirect != NULL &&
	    sigexport_set_redirect(&o, redirect, errbuf) != 0)
		abort();
	if ((fp = open_memstream(&buf, &len)) == NULL)
		abort();
	r = sigexport_write(fp, m, &o, &st, errbuf);
	fclose(fp);
	if (r == 0) {
		FUZZ_CHECK(st.written + st.covered + st.left_out + st.not_cat +
		    st.dup + st.not_name == st.sigs);
		FUZZ_CHECK(strlen(buf) == len);
		fuzz_touch(buf, len);
	} else
		FUZZ_CHECK(memchr(errbuf, '\0', ERRBUF_LEN) != NULL);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_LEN];
	struct match *m;
	int f;

	if ((m = match_new()) == NULL)
		abort();
	if (match_load_buf(m, (const char *)data, size, "fuzz", errbuf) ==
	    ERR_OK) {
		for (f = 0; f < SX_NFORMATS; f++)
			one(m, (enum sigexport_format)f, NULL, NULL);
		one(m, SX_RPZ, "cname:walled.example", NULL);
		one(m, SX_UNBOUND, NULL, "192.0.2.1,2001:db8::1");
		one(m, SX_UNBOUND, "nodata", NULL);
		one(m, SX_DNSMASQ, NULL, "192.0.2.1");
	}
	match_free(m);
	return 0;
}
