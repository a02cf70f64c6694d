/* fuzz_tls.c - libFuzzer: TLS ClientHello (RFC 8446 4.1.2, RFC 6066 3). */

/*
 * As a TCP stream (records joined in scratch) and as a bare handshake
 * message (QUIC CRYPTO data).
 */
#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "tls.h"

static uint8_t scratch[TLS_HELLO_MAX];

static void
check_hello(const struct tls_hello *h)
{
	FUZZ_CHECK(memchr(h->sni, '\0', sizeof(h->sni)) != NULL);
	FUZZ_CHECK(memchr(h->alpn, '\0', sizeof(h->alpn)) != NULL);
	if (h->has_sni)
		FUZZ_CHECK(strlen(h->sni) == h->sni_len);
}

static void
check_r(int r)
{
	FUZZ_CHECK(r == ERR_OK || r == ERR_SHORT || r == ERR_NOTFOUND ||
	    r == ERR_MALFORMED || r == ERR_FULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_hello h;
	uint8_t *small;
	size_t small_len, used = 0, need = 0;
	int r;

	(void)tls_is_handshake_record(data, size);
	check_r(r = tls_client_hello_stream(data, size, scratch,
	    sizeof(scratch), &h, &used, &need));
	/* Bytes used lie in the input; more wanted go past it. */
	FUZZ_CHECK(r != ERR_OK || (used > 0 && used <= size));
	FUZZ_CHECK(r != ERR_SHORT || need > 0);
	if (r == ERR_OK)
		check_hello(&h);
	/* A scratch smaller than the hello: ERR_FULL, never a write past
	 * it (the block is exactly small_len bytes, for ASan). */
	small_len = size / 2;
	small = fuzz_dup(data, small_len);
	check_r(r = tls_client_hello_stream(data, size, small, small_len,
	    &h, NULL, NULL));
	if (r == ERR_OK)
		check_hello(&h);
	free(small);
	check_r(r = tls_client_hello_msg(data, size, &h));
	if (r == ERR_OK)
		check_hello(&h);
	return 0;
}
