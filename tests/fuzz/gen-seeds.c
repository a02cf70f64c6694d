/* gen-seeds.c - seed corpora for the fuzz targets, cut out of captures. */

/* gen-seeds OUTDIR CAPTURE... writes OUTDIR/<target>/<hash> files. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture.h"
#include "decode.h"
#include "err.h"
#include "http.h"
#include "gquic.h"
#include "quic.h"
#include "socks.h"
#include "tls.h"

#define SEED_MAX	16384	/* longer inputs only slow the fuzzers */

static const char *outdir;
static struct quic *q;
static unsigned n_written;

/* The link types fuzz_decode.c picks from, in its order. */
static const int decode_linktypes[] = {
	LINK_ETHERNET, LINK_RAW, LINK_IPV4, LINK_IPV6, LINK_LINUX_SLL,
	LINK_LINUX_SLL2, LINK_NULL, LINK_LOOP, LINK_RAW_OLD, LINK_RAW_OLD2,
	LINK_PPP, LINK_IEEE802_11, LINK_PPP_HDLC, LINK_C_HDLC, LINK_PRISM,
	LINK_RADIOTAP, LINK_AVS, LINK_PPP_WITH_DIR, LINK_NFLOG, LINK_PKTAP,
};

static void
put(const char *target, const void *a, size_t a_len, const void *b,
    size_t b_len)
{
	char path[4096];
	const uint8_t *p;
	uint64_t h = 0xcbf29ce484222325u;	/* FNV-1a: same bytes, same name */
	FILE *fp;
	size_t i;

	if (a_len + b_len > SEED_MAX)
		return;
	for (p = a, i = 0; i < a_len; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	for (p = b, i = 0; i < b_len; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%016llx", outdir, target,
	    (unsigned long long)h);
	if ((fp = fopen(path, "wb")) == NULL ||
	    (a_len > 0 && fwrite(a, 1, a_len, fp) != a_len) ||
	    (b_len > 0 && fwrite(b, 1, b_len, fp) != b_len) ||
	    fclose(fp) != 0) {
		perror(path);
		exit(1);
	}
	n_written++;
}

static size_t
put_varint(uint8_t *b, uint64_t v)
{
	if (v < 64) {
		b[0] = (uint8_t)v;
		return 1;
	}
	b[0] = (uint8_t)(0x40 | v >> 8);
	b[1] = (uint8_t)v;
	return 2;
}

/* A client Initial as fuzz_quic.c's sealed form: its CRYPTO frames again. */
static void
quic_seeds(const uint8_t *dgram, size_t len)
{
	static uint8_t scratch[65536], pt[SEED_MAX];
	struct quic_initial qi;
	uint8_t head[2 + QUIC_CID_MAX];
	size_t i, n = 0;

	put("quic", "", 1, dgram, len);		/* mode 0: raw, own DCID */
	if (len > sizeof(scratch) || quic_client_initial(q, dgram, len, NULL,
	    0, scratch, sizeof(scratch), &qi) != ERR_OK)
		return;
	for (i = 0; i < qi.n_frags; i++) {
		if (n + 5 + qi.frags[i].len > sizeof(pt))
			return;
		pt[n++] = 0x06;
		n += put_varint(pt + n, qi.frags[i].off);
		n += put_varint(pt + n, qi.frags[i].len);
		memcpy(pt + n, qi.frags[i].data, qi.frags[i].len);
		n += qi.frags[i].len;
		if (qi.frags[i].off == 0 && qi.version == QUIC_Q050)
			put("gquic", "\1", 1, qi.frags[i].data,
			    qi.frags[i].len);		/* odd: a CHLO */
		else if (qi.frags[i].off == 0)
			put("tls", qi.frags[i].data, qi.frags[i].len, "", 0);
	}
	head[0] = 0x01 | 1 << 1;		/* sealed, 2-byte packet number */
	head[1] = (uint8_t)(qi.dcid_len << 3 |
	    (qi.version == QUIC_V2 ? 1 : qi.version == QUIC_DRAFT29 ? 2 : 0));
	memcpy(head + 2, qi.dcid, qi.dcid_len);
	put("quic", head, 2 + (size_t)qi.dcid_len, pt, n);
}

static void
payload_seeds(const struct pkt *p)
{
	const uint8_t *b = p->payload;
	size_t n = p->payload_len;
	static const uint8_t step = 7;
	uint32_t version;

	if (n == 0)
		return;
	if (p->proto == 17) {
		if (p->sport == 53 || p->dport == 53 || p->sport == 5300 ||
		    p->dport == 5300)
			put("dns", b, n, "", 0);
		else if (p->sport == 67 || p->sport == 68 || p->sport == 546 ||
		    p->sport == 547) {
			uint8_t v6 = p->sport >= 546;

			put("dhcp", &v6, 1, b, n);
		} else if (p->sport == 137)
			put("nbns", b, n, "", 0);
		else if (p->sport == 5353 || p->sport == 5355) {
			uint8_t self[17];

			self[0] = p->src.family == 6;
			memcpy(self + 1, p->src.a, 16);
			put("mdns", self, p->src.family == 6 ? 17 : 5, b, n);
		}
		else if (quic_is_initial(b, n))
			quic_seeds(b, n);
		else if (gquic_is_client(b, n, &version))
			put("gquic", "", 1, b, n);	/* even: a packet */
		return;
	}
	if (p->proto != 6)
		return;
	if ((p->sport == 53 || p->dport == 53) && n > 2)
		put("dns", b + 2, n - 2, "", 0);
	if (tls_is_handshake_record(b, n))
		put("tls", b, n, "", 0);
	if (http_is_request(b, n))
		put("http", &step, 1, b, n);
	if (socks_is_start(b, n))
		put("socks", b, n, "", 0);
}

static void
capture_seeds(const char *path, struct decode *dec)
{
	static uint8_t frames[SEED_MAX];
	char errbuf[ERRBUF_LEN];
	struct capture *c;
	struct capture_pkt cp;
	struct pkt p;
	size_t n = 1, i;
	bool ok = true;

	if (capture_open_file(&c, path, errbuf) != ERR_OK)
		return;
	frames[0] = 0xff;
	while (capture_next(c, &cp, errbuf) == ERR_OK) {
		for (i = 0; i < sizeof(decode_linktypes) /
		    sizeof(decode_linktypes[0]); i++)
			if (decode_linktypes[i] == cp.linktype)
				break;
		if (frames[0] == 0xff)
			frames[0] = (uint8_t)i;
		if (frames[0] != i || cp.caplen > 0xffff ||
		    n + 3 + cp.caplen > sizeof(frames))
			ok = false;
		if (ok) {
			frames[n++] = (uint8_t)(cp.caplen >> 8);
			frames[n++] = (uint8_t)cp.caplen;
			frames[n++] = (uint8_t)((cp.caplen < cp.len) | 2);
			memcpy(frames + n, cp.data, cp.caplen);
			n += cp.caplen;
		}
		if (decode_pkt(dec, &p, cp.data, cp.caplen, cp.len,
		    cp.linktype, cp.ts_sec) == ERR_OK) {
			payload_seeds(&p);
			/* fuzz_tunnel.c: the default depth, the IP packet. */
			if (p.n_encap > 0 && cp.linktype == LINK_ETHERNET &&
			    cp.caplen > 14)
				put("tunnel", "\x04", 1, cp.data + 14,
				    cp.caplen - 14);
		}
	}
	if (frames[0] < sizeof(decode_linktypes) /
	    sizeof(decode_linktypes[0]) && n > 1)
		put("decode", frames, n, "", 0);
	capture_close(c);
}

/* Inputs the captures may not hold. */
static void
fixed_seeds(void)
{
	static const uint8_t socks5[] = {
		0x05, 0x01, 0x00,			/* greeting */
		0x05, 0x01, 0x00, 0x03, 0x0d,		/* CONNECT, name */
		'k', 'a', 's', 'p', 'e', 'r', 's', 'k', 'y', '.', 'c', 'o',
		'm', 0x01, 0xbb,
	};
	static const uint8_t socks4a[] = {
		0x04, 0x01, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 'u', 0x00,
		'k', 'l', '.', 'c', 'o', 'm', 0x00,
	};
	static const char chunked[] =
	    "\x07POST /x HTTP/1.1\r\nHost: a.example\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n"
	    "4;ext=1\r\nabcd\r\n0\r\nTrailer: x\r\n\r\n"
	    "GET http://upd.kaspersky.com:80/ HTTP/1.1\r\n\r\n";
	static const char connect[] =
	    "\x03""CONNECT [2001:db8::1]:443 HTTP/1.1\r\n"
	    "Host: ksn.kaspersky-labs.com\r\n"
	    "X-Forwarded-For: unknown, 192.0.2.7\r\n\r\n";

	put("socks", socks5, sizeof(socks5), "", 0);
	put("socks", socks4a, sizeof(socks4a), "", 0);
	put("http", chunked, sizeof(chunked) - 1, "", 0);
	put("http", connect, sizeof(connect) - 1, "", 0);
}

int
main(int argc, char **argv)
{
	struct decode *dec;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: gen-seeds OUTDIR CAPTURE...\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
		perror(outdir);
		return 1;
	}
	if ((q = quic_new()) == NULL ||
	    (dec = decode_new(1u << 20, 30)) == NULL) {
		fprintf(stderr, "gen-seeds: out of memory\n");
		return 1;
	}
	for (i = 2; i < argc; i++)
		capture_seeds(argv[i], dec);
	fixed_seeds();
	decode_free(dec);
	quic_free(q);
	printf("gen-seeds: %u seeds in %s\n", n_written, outdir);
	return 0;
}
