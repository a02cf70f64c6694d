/* fuzz_gquic.c - libFuzzer: Google QUIC's CHLO message and its client
 * packets in clear (Q043 public header, Q046 long header): gquic.c. */

/*
 * The first byte picks the form: even, a UDP payload (its stream 1 data at
 * offset 0 then read as a CHLO); odd, a CHLO message alone.
 */
#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "gquic.h"

static void
check_chlo(const uint8_t *msg, size_t len)
{
	struct tls_hello h;
	struct gquic_chlo c;
	int r;

	r = gquic_chlo(msg, len, &h, &c);
	FUZZ_CHECK(r == ERR_OK || r == ERR_SHORT || r == ERR_NOTFOUND ||
	    r == ERR_MALFORMED || r == ERR_FULL);
	if (r != ERR_OK)
		return;
	FUZZ_CHECK(c.n_tags <= GQUIC_TAGS_MAX);
	FUZZ_CHECK(memchr(h.sni, '\0', sizeof(h.sni)) != NULL);
	if (h.has_sni)
		FUZZ_CHECK(strlen(h.sni) == h.sni_len && h.sni_len > 0);
	if (c.uaid != NULL) {
		FUZZ_CHECK(c.uaid >= msg && c.uaid + c.uaid_len <= msg + len);
		fuzz_touch(c.uaid, c.uaid_len);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gquic_packet p;
	uint8_t *d;
	uint32_t v = 0;
	size_t i;
	int r;

	if (size == 0)
		return 0;
	d = fuzz_dup(data + 1, size - 1);
	size--;
	if (data[0] & 1) {
		check_chlo(d, size);
		free(d);
		return 0;
	}
	(void)gquic_is_client(d, size, &v);
	r = gquic_client_packet(d, size, &p);
	FUZZ_CHECK(r == ERR_OK || r == ERR_NOTFOUND || r == ERR_MALFORMED);
	FUZZ_CHECK(p.n_frags <= GQUIC_MAX_FRAGS);
	FUZZ_CHECK(r != ERR_OK || (p.readable && p.n_frags > 0));
	for (i = 0; i < p.n_frags; i++) {
		FUZZ_CHECK(p.frags[i].data >= d &&
		    p.frags[i].len <= size &&
		    p.frags[i].data + p.frags[i].len <= d + size);
		fuzz_touch(p.frags[i].data, p.frags[i].len);
		if (p.frags[i].off == 0)
			check_chlo(p.frags[i].data, p.frags[i].len);
	}
	free(d);
	return 0;
}
