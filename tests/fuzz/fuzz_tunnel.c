/* fuzz_tunnel.c - libFuzzer: raw IP packets into the decoder with its
 * tunnels (decode_tunnel.c) at every depth, as a snaplen may cut them. */

/*
 * Input: one flags byte (bits 0-3: --tunnel-depth, 0-15 capped at 8; bit
 * 4: the packet was cut, its wire length larger), then a raw IP packet.
 * gen-seeds writes the packets of pcaps/tunnels*.pcap this way.
 */
#include <stdbool.h>
#include <string.h>

#include "capture.h"
#include "decode.h"
#include "err.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decode *dec;
	struct pkt p;
	uint8_t *copy;
	unsigned flags, i;
	size_t len;
	int r;

	if (size < 1)
		return 0;
	if ((dec = decode_new(8 * 1024, 30)) == NULL)
		abort();
	flags = data[0];
	len = size - 1;
	copy = fuzz_dup(data + 1, len);
	decode_set_tunnel_depth(dec, flags & 0x0f);
	r = decode_pkt(dec, &p, copy, len, len + ((flags >> 4) & 1) * 100,
	    LINK_RAW, 1700000000);
	if (r == ERR_OK) {
		FUZZ_CHECK(p.n_encap <= ENCAP_MAX);
		FUZZ_CHECK(p.n_encap <= (flags & 0x0f));
		for (i = 0; i < p.n_encap; i++) {
			FUZZ_CHECK(p.encap[i].kind < ENCAP_N);
			FUZZ_CHECK(p.encap[i].src.family == 4 ||
			    p.encap[i].src.family == 6);
		}
		FUZZ_CHECK(p.src.family == 4 || p.src.family == 6);
		if (!p.reassembled && p.payload_len > 0)
			FUZZ_CHECK(p.payload >= copy &&
			    p.payload + p.payload_len <= copy + len);
		fuzz_touch(p.payload, p.payload_len);
	} else {
		FUZZ_CHECK(r == ERR_NOTFOUND || r == ERR_MALFORMED ||
		    r == ERR_SHORT);
	}
	free(copy);
	decode_free(dec);
	return 0;
}
