/* fuzz_decode.c - libFuzzer: frames into decode and audit, no file. */

/*
 * No capture file around the frames, so the mutations go to the packets.
 * Besides: decode_plain() must agree with decode_pkt() on every packet it
 * takes, and the DNS screen (audit_screen.c) with the audit -- an audit
 * that takes the screen's verdicts counts what one that audits every
 * packet counts, under signatures with a gate ("." has none).
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "audit.h"
#include "capture.h"
#include "cursor.h"
#include "decode.h"
#include "err.h"
#include "fuzz.h"
#include "match.h"

#define MAX_FRAMES	4096

/*
 * Input: one byte choosing the link type, then frames, each a 16-bit
 * big-endian length, one flags byte (bit 0: the frame was cut, so len is
 * larger than caplen; bits 1-7: seconds to the next frame) and the bytes.
 */
static const int linktypes[] = {
	LINK_ETHERNET, LINK_RAW, LINK_IPV4, LINK_IPV6, LINK_LINUX_SLL,
	LINK_LINUX_SLL2, LINK_NULL, LINK_LOOP, LINK_RAW_OLD, LINK_RAW_OLD2,
	LINK_PPP, LINK_IEEE802_11, LINK_PPP_HDLC, LINK_C_HDLC, LINK_PRISM,
	LINK_RADIOTAP, LINK_AVS, LINK_PPP_WITH_DIR, LINK_NFLOG, LINK_PKTAP,
};

static const char all_sigs[] = ". other source=fuzz\n";
static const char gated_sigs[] =
    "kaspersky.com update source=fuzz\n"
    "kaspersky-labs.com telemetry source=fuzz\n"
    "=example.com web source=fuzz\n";
static struct match *m, *mg;

static void
on_match(void *arg, const struct obs *o, const struct match_sig *sig)
{
	if (arg != NULL)
		(*(size_t *)arg)++;
	FUZZ_CHECK(sig != NULL);
	FUZZ_CHECK(o->name != NULL && strlen(o->name) == o->name_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_LEN];
	struct audit_config ac;
	struct cur in = cur_init(data, size), frame;
	struct decode *dec;
	struct audit *aud, *whole, *screened;
	struct audit_screen *sc;
	struct pkt p, pp;
	size_t n_whole = 0, before;
	uint32_t v;
	int rp;
	const uint8_t *buf;
	uint8_t *copy;
	uint64_t n;
	int64_t ts = 1700000000;
	int linktype, r;
	unsigned flags;
	size_t len;

	if (m == NULL && ((m = match_new()) == NULL ||
	    match_load_buf(m, all_sigs, strlen(all_sigs), "fuzz", errbuf) !=
	    ERR_OK))
		abort();
	memset(&ac, 0, sizeof(ac));
	ac.match = m;
	ac.flow.max_flows = 16;
	ac.flow.n_buffers = 4;
	ac.flow.stream_bytes = 1024;
	ac.flow.tcp_idle = 300;
	ac.flow.udp_idle = 60;
	/* A small attribution table: it is allocated per input. */
	ac.attrib.max_entries = 64;
	ac.attrib.ttl_min = 60;
	ac.attrib.ttl_max = 86400;
	if (mg == NULL && ((mg = match_new()) == NULL ||
	    match_load_buf(mg, gated_sigs, strlen(gated_sigs), "fuzz",
	    errbuf) != ERR_OK))
		abort();
	if ((dec = decode_new(8 * 1024, 30)) == NULL ||
	    (aud = audit_new(&ac, on_match, NULL)) == NULL)
		abort();
	ac.match = mg;
	if ((whole = audit_new(&ac, on_match, &n_whole)) == NULL ||
	    (screened = audit_new(&ac, on_match, NULL)) == NULL ||
	    (sc = audit_screen_new(screened)) == NULL)
		abort();
	audit_set_file(aud, "fuzz");
	linktype = linktypes[cur_u8(&in) % (sizeof(linktypes) /
	    sizeof(linktypes[0]))];
	for (n = 1; n <= MAX_FRAMES && cur_left(&in) > 0; n++) {
		len = cur_u16(&in);
		flags = cur_u8(&in);
		if (len > cur_left(&in))
			len = cur_left(&in);
		frame = cur_sub(&in, len);
		if (!in.ok)
			break;
		buf = copy = fuzz_dup(frame.p, len);
		rp = decode_plain(&pp, buf, len, linktype);
		r = decode_pkt(dec, &p, buf, len, len + (flags & 1) * 100,
		    linktype, ts);
		if (rp == ERR_OK) {
			FUZZ_CHECK(r == ERR_OK);
			FUZZ_CHECK(memcmp(&p, &pp,
			    offsetof(struct pkt, payload)) == 0);
			FUZZ_CHECK(p.payload == pp.payload &&
			    p.payload_len == pp.payload_len && !p.cut);
		} else
			FUZZ_CHECK(rp == ERR_NOTFOUND);
		if (r == ERR_OK) {
			FUZZ_CHECK(p.proto != 6 || p.payload_len == 0 ||
			    p.payload != NULL);
			/* The payload is inside the frame or reassembled. */
			if (!p.reassembled)
				FUZZ_CHECK(p.payload_len <= len);
			fuzz_touch(p.payload, p.payload_len);
			p.frame = n;
			p.ts_sec = ts;
			p.ts_nsec = 0;
			audit_packet(aud, &p);
			before = n_whole;
			audit_packet(whole, &p);
			if ((v = audit_screen(sc, &p)) != 0) {
				FUZZ_CHECK(n_whole == before);
				audit_screened(screened, v);
			} else
				audit_packet(screened, &p);
			FUZZ_CHECK(memcmp(audit_stats(whole),
			    audit_stats(screened),
			    sizeof(struct audit_stats)) == 0);
		} else {
			FUZZ_CHECK(r == ERR_NOTFOUND || r == ERR_MALFORMED ||
			    r == ERR_SHORT || r == ERR_UNSUPPORTED);
		}
		free(copy);
		ts += flags >> 1;
	}
	audit_finish(aud);
	audit_free(aud);
	audit_screen_free(sc);
	audit_free(whole);
	audit_free(screened);
	decode_free(dec);
	return 0;
}
