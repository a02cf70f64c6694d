/* fuzz_http.c - libFuzzer: HTTP/1.x heads and chunked bodies (RFC 9112). */
#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "http.h"

static void
check_req(const struct http_req *req, size_t size)
{
	FUZZ_CHECK(memchr(req->method, '\0', sizeof(req->method)) != NULL);
	FUZZ_CHECK(memchr(req->host, '\0', sizeof(req->host)) != NULL);
	FUZZ_CHECK(memchr(req->uri_host, '\0', sizeof(req->uri_host)) !=
	    NULL);
	FUZZ_CHECK(req->head_len > 0 && req->head_len <= size);
	FUZZ_CHECK(req->body_len <= HTTP_BODY_MAX);
}

/*
 * The body after a head, fed in pieces whose sizes come from the input's
 * first byte: the state kept between calls must give the same end as one
 * call with everything.
 */
static void
chunked(const uint8_t *body, size_t len, unsigned step)
{
	struct http_chunk_state whole, pieces;
	size_t used_whole = 0, used, off = 0, n;
	uint8_t *copy;
	int rw, r = ERR_SHORT;

	memset(&whole, 0, sizeof(whole));
	memset(&pieces, 0, sizeof(pieces));
	rw = http_chunked_skip(&whole, body, len, &used_whole);
	FUZZ_CHECK(rw == ERR_OK || rw == ERR_SHORT || rw == ERR_MALFORMED);
	if (rw != ERR_MALFORMED)
		FUZZ_CHECK(used_whole <= len);
	if (rw == ERR_SHORT)
		FUZZ_CHECK(used_whole == len);
	if (rw == ERR_OK) {
		/* Once ended, it stays ended and takes nothing. */
		used = 1;
		FUZZ_CHECK(http_chunked_skip(&whole, body, len, &used) ==
		    ERR_OK && used == 0);
	}
	while (off < len) {
		n = len - off < step ? len - off : step;
		copy = fuzz_dup(body + off, n);
		r = http_chunked_skip(&pieces, copy, n, &used);
		free(copy);
		if (r != ERR_SHORT)
			break;
		FUZZ_CHECK(used == n);
		off += n;
	}
	if (r == ERR_OK)
		off += used;
	if (off == len && r == ERR_SHORT)
		FUZZ_CHECK(rw == ERR_SHORT);
	else if (r == ERR_OK)
		FUZZ_CHECK(rw == ERR_OK && off == used_whole);
	else
		FUZZ_CHECK(rw == ERR_MALFORMED);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_req req;
	unsigned step;
	int r;

	if (size < 1)
		return 0;
	step = data[0] % 16 + 1;
	data++;
	size--;
	(void)http_is_request(data, size);
	r = http_request(data, size, &req);
	FUZZ_CHECK(r == ERR_OK || r == ERR_SHORT || r == ERR_NOTFOUND ||
	    r == ERR_MALFORMED || r == ERR_FULL);
	if (r == ERR_OK) {
		check_req(&req, size);
		chunked(data + req.head_len, size - req.head_len, step);
	} else {
		chunked(data, size, step);
	}
	return 0;
}
