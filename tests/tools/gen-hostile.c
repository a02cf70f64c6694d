/* gen-hostile.c - damaged captures (draft-ietf-opsawg-pcap, -pcapng). */

/*
 * gen-hostile OUTDIR writes captures that are cut short, lie about their
 * lengths or break the pcapng block structure, and OUTDIR/MANIFEST, one
 * line per file for tests/run-hostile:
 *
 *	NAME STATUS PACKETS OFFSET
 *
 * STATUS is the exit status `kasaudit read` must give (0: the file reads to
 * its end; 3: damage), PACKETS how many records come before the damage (all
 * of them when STATUS is 0) and OFFSET the byte offset the message must
 * name ("-": none, the file was empty).  Every run writes the same bytes.
 *
 * The packets are DNS queries over Ethernet, IPv4 and UDP for
 * dnl-NN.geo.kaspersky.com from 192.0.2.10 to 192.0.2.53, one second apart
 * from 2024-10-01T08:00:00Z.  The pcap files are little-endian,
 * microsecond, version 2.4, snaplen 65535 unless noted; the pcapng files
 * have one section and one Ethernet interface unless noted.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_PKTS		12
#define CUT_STEP	7		/* a cut every 7 bytes */
#define T0		1727769600u	/* 2024-10-01T08:00:00Z */

#define NG_SHB		0x0a0d0d0au
#define NG_IDB		1u
#define NG_PB		2u
#define NG_SPB		3u
#define NG_NRB		4u
#define NG_ISB		5u
#define NG_EPB		6u

struct buf {
	uint8_t		*p;
	size_t		 len;
	size_t		 cap;
	bool		 be;		/* byte order of put16/put32 */
};

static const char *outdir;
static FILE *manifest;

static void
die(const char *what)
{
	perror(what);
	exit(1);
}

static void
put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		while (b->len + n > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			die("realloc");
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
put8(struct buf *b, unsigned v)
{
	uint8_t x = (uint8_t)v;

	put(b, &x, 1);
}

static void
put16(struct buf *b, unsigned v)
{
	uint8_t x[2];

	if (b->be) {
		x[0] = (uint8_t)(v >> 8);
		x[1] = (uint8_t)v;
	} else {
		x[0] = (uint8_t)v;
		x[1] = (uint8_t)(v >> 8);
	}
	put(b, x, 2);
}

static void
put32(struct buf *b, uint32_t v)
{
	uint8_t x[4];
	int i;

	for (i = 0; i < 4; i++)
		x[b->be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
	put(b, x, 4);
}

static void
put16n(struct buf *b, unsigned v)		/* network order */
{
	put8(b, v >> 8);
	put8(b, v);
}

/* Writes the first len bytes of b as OUTDIR/name, with its manifest line. */
static void
emit(const char *name, const struct buf *b, size_t len, int status,
    unsigned packets, long long offset)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", outdir, name);
	if ((fp = fopen(path, "wb")) == NULL ||
	    (len > 0 && fwrite(b->p, 1, len, fp) != len) || fclose(fp) != 0)
		die(path);
	if (offset < 0)
		fprintf(manifest, "%s %d %u -\n", name, status, packets);
	else
		fprintf(manifest, "%s %d %u %lld\n", name, status, packets,
		    offset);
}

/* Ethernet, IPv4, UDP and a DNS query for dnl-NN.geo.kaspersky.com. */
static void
frame(struct buf *f, unsigned i)
{
	static const uint8_t mac_dst[6] = { 0x00, 0x1b, 0x21, 0x3a, 0x4f, 0xfe };
	static const uint8_t mac_src[6] = { 0x00, 0x1b, 0x21, 0x3a, 0x4f, 0x01 };
	char label[8];
	size_t ip_len, n;
	struct buf dns = { 0 };
	uint32_t sum = 0;
	size_t ip_at, k;

	dns.be = true;
	put16n(&dns, 0x4000 + i);		/* id */
	put16n(&dns, 0x0100);			/* RD */
	put16n(&dns, 1);
	put16n(&dns, 0);
	put16n(&dns, 0);
	put16n(&dns, 0);
	n = (size_t)snprintf(label, sizeof(label), "dnl-%02u", i % 100);
	put8(&dns, (unsigned)n);
	put(&dns, label, n);
	put8(&dns, 3);
	put(&dns, "geo", 3);
	put8(&dns, 9);
	put(&dns, "kaspersky", 9);
	put8(&dns, 3);
	put(&dns, "com", 3);
	put8(&dns, 0);
	put16n(&dns, 1);			/* A */
	put16n(&dns, 1);			/* IN */

	f->len = 0;
	put(f, mac_dst, 6);
	put(f, mac_src, 6);
	put16n(f, 0x0800);
	ip_at = f->len;
	ip_len = 20 + 8 + dns.len;
	put8(f, 0x45);
	put8(f, 0);
	put16n(f, (unsigned)ip_len);
	put16n(f, 0x1000 + i);			/* id */
	put16n(f, 0);
	put8(f, 64);
	put8(f, 17);
	put16n(f, 0);				/* checksum, below */
	put8(f, 192); put8(f, 0); put8(f, 2); put8(f, 10);
	put8(f, 192); put8(f, 0); put8(f, 2); put8(f, 53);
	for (k = 0; k < 20; k += 2)
		sum += (uint32_t)f->p[ip_at + k] << 8 | f->p[ip_at + k + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	f->p[ip_at + 10] = (uint8_t)(~sum >> 8);
	f->p[ip_at + 11] = (uint8_t)~sum;
	put16n(f, 40000 + i);
	put16n(f, 53);
	put16n(f, (unsigned)(8 + dns.len));
	put16n(f, 0);				/* no UDP checksum */
	put(f, dns.p, dns.len);
	free(dns.p);
}

/* ---- classic pcap ----------------------------------------------------- */

static void
pcap_header(struct buf *b, unsigned major, unsigned minor, uint32_t snaplen)
{
	put32(b, 0xa1b2c3d4u);
	put16(b, major);
	put16(b, minor);
	put32(b, 0);
	put32(b, 0);
	put32(b, snaplen);
	put32(b, 1);				/* Ethernet */
}

static void
pcap_record(struct buf *b, unsigned i, uint32_t caplen, uint32_t len,
    const struct buf *f, size_t data_len)
{
	put32(b, T0 + i);
	put32(b, 1000u * i);
	put32(b, caplen);
	put32(b, len);
	put(b, f->p, data_len);
}

/* The good file; ends[i] is where record i ends. */
static void
pcap_good(struct buf *b, size_t *ends)
{
	struct buf f = { 0 };
	unsigned i;

	pcap_header(b, 2, 4, 65535);
	for (i = 0; i < N_PKTS; i++) {
		frame(&f, i);
		pcap_record(b, i, (uint32_t)f.len, (uint32_t)f.len, &f, f.len);
		ends[i] = b->len;
	}
	free(f.p);
}

/*
 * Cut at every CUT_STEP-th byte.  bounds[0..n) are the offsets where the
 * file's headers and records end, is_pkt[i] says which of them end a
 * packet: the packets before the cut still count, and the message names
 * the start of the record the cut fell in.
 */
static void
cuts(const char *prefix, const char *ext, const struct buf *b,
    const size_t *bounds, const bool *is_pkt, size_t n)
{
	char name[256];
	size_t cut, start, i;
	unsigned whole;
	int status;

	for (cut = 0; cut < b->len; cut += CUT_STEP) {
		whole = 0;
		start = 0;
		for (i = 0; i < n && bounds[i] <= cut; i++) {
			start = bounds[i];
			whole += is_pkt[i];
		}
		status = cut == start && start > 0 ? 0 : 3;
		snprintf(name, sizeof(name), "%s-%05zu.%s", prefix, cut, ext);
		emit(name, b, cut, status, whole, cut == 0 || status == 0 ?
		    -1 : (long long)start);
	}
}

static void
pcap_files(void)
{
	struct buf b = { 0 }, f = { 0 };
	size_t ends[N_PKTS], bounds[1 + N_PKTS], at = 0;
	bool is_pkt[1 + N_PKTS];
	unsigned i;

	pcap_good(&b, ends);
	emit("pcap-good.pcap", &b, b.len, 0, N_PKTS, -1);
	bounds[0] = 24;
	is_pkt[0] = false;
	for (i = 0; i < N_PKTS; i++) {
		bounds[1 + i] = ends[i];
		is_pkt[1 + i] = true;
	}
	cuts("cut-pcap", "pcap", &b, bounds, is_pkt, 1 + N_PKTS);

	/*
	 * caplen over the file's snaplen (but within what any tool
	 * captures): such files exist (a snaplen lowered by an editor), so
	 * they are read.
	 */
	b.len = 0;
	pcap_header(&b, 2, 4, 64);
	for (i = 0; i < N_PKTS; i++) {
		frame(&f, i);
		pcap_record(&b, i, (uint32_t)f.len, (uint32_t)f.len, &f,
		    f.len);
	}
	emit("pcap-caplen-over-snaplen.pcap", &b, b.len, 0, N_PKTS, -1);

	/* caplen over 256 KiB and the snaplen: damage at record 5. */
	b.len = 0;
	pcap_header(&b, 2, 4, 64);
	for (i = 0; i < N_PKTS; i++) {
		frame(&f, i);
		if (i == 5) {
			at = b.len;
			pcap_record(&b, i, 300000, 300000, &f, f.len);
			continue;
		}
		pcap_record(&b, i, (uint32_t)f.len, (uint32_t)f.len, &f,
		    f.len);
	}
	emit("pcap-caplen-over-max.pcap", &b, b.len, 3, 5, (long long)at);

	/* len smaller than caplen, and len 0: the bytes are there. */
	b.len = 0;
	pcap_header(&b, 2, 4, 65535);
	for (i = 0; i < N_PKTS; i++) {
		frame(&f, i);
		pcap_record(&b, i, (uint32_t)f.len, i % 2 ? 0 :
		    (uint32_t)f.len - 10, &f, f.len);
	}
	emit("pcap-len-under-caplen.pcap", &b, b.len, 0, N_PKTS, -1);

	/* caplen 0 (a header-only record) between good ones. */
	b.len = 0;
	pcap_header(&b, 2, 4, 65535);
	for (i = 0; i < N_PKTS; i++) {
		frame(&f, i);
		pcap_record(&b, i, i % 3 ? (uint32_t)f.len : 0,
		    (uint32_t)f.len, &f, i % 3 ? f.len : 0);
	}
	emit("pcap-caplen-zero.pcap", &b, b.len, 0, N_PKTS, -1);

	/* A giant caplen: refused before anything is buffered. */
	b.len = 0;
	pcap_header(&b, 2, 4, 65535);
	for (i = 0; i < 3; i++) {
		frame(&f, i);
		pcap_record(&b, i, (uint32_t)f.len, (uint32_t)f.len, &f,
		    f.len);
	}
	at = b.len;
	pcap_record(&b, 3, 0xfffffff0u, 0xfffffff0u, &f, f.len);
	emit("pcap-caplen-giant.pcap", &b, b.len, 3, 3, (long long)at);

	/*
	 * A giant snaplen lets a 48 MiB caplen through the first check: the
	 * file then ends inside the record (through a pipe, the reader must
	 * not wait for it forever nor keep the buffer it grew).
	 */
	b.len = 0;
	pcap_header(&b, 2, 4, 0xffffffffu);
	for (i = 0; i < 3; i++) {
		frame(&f, i);
		pcap_record(&b, i, (uint32_t)f.len, (uint32_t)f.len, &f,
		    f.len);
	}
	emit("pcap-snaplen-giant.pcap", &b, b.len, 0, 3, -1);
	at = b.len;
	pcap_record(&b, 3, 48u << 20, 48u << 20, &f, f.len);
	emit("pcap-snaplen-giant-caplen.pcap", &b, b.len, 3, 3,
	    (long long)at);

	/* Versions the format does not have. */
	b.len = 0;
	pcap_header(&b, 3, 0, 65535);
	emit("pcap-version-3.pcap", &b, b.len, 3, 0, 0);

	/* A header and nothing else: a clean, empty capture. */
	b.len = 0;
	pcap_header(&b, 2, 4, 65535);
	emit("pcap-no-records.pcap", &b, b.len, 0, 0, -1);

	/* Not a capture at all. */
	b.len = 0;
	put(&b, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27);
	emit("not-a-capture.pcap", &b, b.len, 3, 0, -1);
	emit("empty.pcap", &b, 0, 3, 0, -1);
	free(b.p);
	free(f.p);
}

/* ---- pcapng ----------------------------------------------------------- */

static void
ng_shb(struct buf *b, bool be, unsigned major)
{
	b->be = be;
	put32(b, NG_SHB);
	put32(b, 28);
	put32(b, 0x1a2b3c4du);
	put16(b, major);
	put16(b, 0);
	put32(b, 0xffffffffu);			/* section length: unknown */
	put32(b, 0xffffffffu);
	put32(b, 28);
}

static void
ng_idb(struct buf *b, unsigned linktype, uint32_t snaplen)
{
	put32(b, NG_IDB);
	put32(b, 20);
	put16(b, linktype);
	put16(b, 0);
	put32(b, snaplen);
	put32(b, 20);
}

/* A block of type with body (padded to 4 bytes). */
static void
ng_block(struct buf *b, uint32_t type, const void *body, size_t n)
{
	static const uint8_t zero[4];
	size_t pad = (4 - n % 4) % 4;
	uint32_t len = (uint32_t)(12 + n + pad);

	put32(b, type);
	put32(b, len);
	put(b, body, n);
	put(b, zero, pad);
	put32(b, len);
}

static void
ng_epb(struct buf *b, uint32_t ifid, unsigned i, const struct buf *f)
{
	static const uint8_t zero[4];
	size_t pad = (4 - f->len % 4) % 4;
	uint32_t len = (uint32_t)(32 + f->len + pad);
	uint64_t t = (uint64_t)(T0 + i) * 1000000u + 1000u * i;

	put32(b, NG_EPB);
	put32(b, len);
	put32(b, ifid);
	put32(b, (uint32_t)(t >> 32));
	put32(b, (uint32_t)t);
	put32(b, (uint32_t)f->len);
	put32(b, (uint32_t)f->len);
	put(b, f->p, f->len);
	put(b, zero, pad);
	put32(b, len);
}

/* SHB, IDB and N_PKTS packets; ends[i] is where packet i's block ends. */
static void
ng_good(struct buf *b, size_t *ends)
{
	struct buf f = { 0 };
	unsigned i;

	ng_shb(b, false, 1);
	ng_idb(b, 1, 0);
	for (i = 0; i < N_PKTS; i++) {
		frame(&f, i);
		ng_epb(b, 0, i, &f);
		ends[i] = b->len;
	}
	free(f.p);
}

static void
pcapng_files(void)
{
	static const uint8_t garbage[40] = {
		0xde, 0xad, 0xbe, 0xef, 0x13, 0x00, 0x00, 0x00, 0x01,
	};
	struct buf b = { 0 }, f = { 0 };
	size_t ends[N_PKTS], bounds[2 + N_PKTS], at, good_len;
	bool is_pkt[2 + N_PKTS];
	uint32_t v;
	unsigned i;

	ng_good(&b, ends);
	good_len = b.len;
	emit("ng-good.pcapng", &b, b.len, 0, N_PKTS, -1);
	/* The SHB ends at 28, the IDB at 48: a cut inside one names it. */
	bounds[0] = 28;
	bounds[1] = 48;
	is_pkt[0] = is_pkt[1] = false;
	for (i = 0; i < N_PKTS; i++) {
		bounds[2 + i] = ends[i];
		is_pkt[2 + i] = true;
	}
	cuts("cut-ng", "pcapng", &b, bounds, is_pkt, 2 + N_PKTS);

	/* Trailing garbage after the last block: 5 bytes, 40 bytes, and
	 * zeros (a block of type 0 and length 0). */
	put(&b, garbage, 5);
	emit("ng-trailing-5.pcapng", &b, b.len, 3, N_PKTS,
	    (long long)good_len);
	b.len = good_len;
	put(&b, garbage, sizeof(garbage));
	emit("ng-trailing-40.pcapng", &b, b.len, 3, N_PKTS,
	    (long long)good_len);
	b.len = good_len;
	for (i = 0; i < 16; i++)
		put32(&b, 0);
	emit("ng-trailing-zeros.pcapng", &b, b.len, 3, N_PKTS,
	    (long long)good_len);

	/* Bad lengths in the 4th packet block: odd, under 12, past the end
	 * of file, over any record, and a trailer that disagrees. */
	for (v = 0; v < 5; v++) {
		static const char *const names[] = {
			"ng-blocklen-odd.pcapng", "ng-blocklen-8.pcapng",
			"ng-blocklen-past-eof.pcapng",
			"ng-blocklen-huge.pcapng",
			"ng-blocklen-trailer.pcapng",
		};
		uint8_t *p;

		b.len = 0;
		ng_good(&b, ends);
		at = ends[2];
		p = b.p + at + 4;
		switch (v) {
		case 0: p[0] = (uint8_t)(p[0] + 2); break;
		case 1: p[0] = 8; p[1] = p[2] = p[3] = 0; break;
		case 2: p[0] = 0; p[1] = 0; p[2] = 1; p[3] = 0; break;
		case 3: p[0] = 0xfc; p[1] = p[2] = 0xff; p[3] = 0x7f; break;
		default: b.p[ends[3] - 4] ^= 0x04; break;
		}
		emit(names[v], &b, v == 2 ? ends[5] : b.len, 3, 3,
		    (long long)at);
	}

	/* Blocks nobody reads (unknown, custom, name resolution, interface
	 * statistics) between the packets: skipped. */
	b.len = 0;
	ng_shb(&b, false, 1);
	ng_block(&b, 0x00000bad, "what is this?", 13);
	ng_idb(&b, 1, 0);
	for (i = 0; i < N_PKTS; i++) {
		frame(&f, i);
		ng_epb(&b, 0, i, &f);
		if (i == 2)
			ng_block(&b, 0x40000bad, "", 0);
		if (i == 4)
			ng_block(&b, NG_NRB, "\0\0\0\0", 4);
		if (i == 6)
			ng_block(&b, NG_ISB, "\0\0\0\0\0\0\0\0\0\0\0\0", 12);
		if (i == 8)
			ng_block(&b, 0x80000bad, "\x00\x00\x7e\x6a!", 5);
	}
	emit("ng-unknown-blocks.pcapng", &b, b.len, 0, N_PKTS, -1);

	/* Sections of different byte order, one after the other. */
	b.len = 0;
	for (i = 0; i < N_PKTS; i++) {
		if (i % 4 == 0) {
			ng_shb(&b, i % 8 == 4, 1);
			ng_idb(&b, 1, 0);
		}
		frame(&f, i);
		ng_epb(&b, 0, i, &f);
	}
	emit("ng-sections-byte-order.pcapng", &b, b.len, 0, N_PKTS, -1);

	/* An interface described after packets of another one. */
	b.len = 0;
	ng_shb(&b, false, 1);
	ng_idb(&b, 1, 0);
	for (i = 0; i < N_PKTS; i++) {
		if (i == 4)
			ng_idb(&b, 1, 128);
		frame(&f, i);
		ng_epb(&b, i < 4 ? 0 : i % 2, i, &f);
	}
	emit("ng-idb-after-packets.pcapng", &b, b.len, 0, N_PKTS, -1);

	/* A packet for interface 7 of a section that has one. */
	b.len = 0;
	ng_shb(&b, false, 1);
	ng_idb(&b, 1, 0);
	for (i = 0; i < N_PKTS; i++) {
		frame(&f, i);
		if (i == 6)
			at = b.len;
		ng_epb(&b, i == 6 ? 7 : 0, i, &f);
	}
	emit("ng-epb-bad-iface.pcapng", &b, b.len, 3, 6, (long long)at);

	/* A packet before any interface. */
	b.len = 0;
	ng_shb(&b, true, 1);
	frame(&f, 0);
	ng_epb(&b, 0, 0, &f);
	emit("ng-epb-no-idb.pcapng", &b, b.len, 3, 0, 28);

	/* A new section forgets the interfaces of the one before. */
	b.len = 0;
	ng_shb(&b, false, 1);
	ng_idb(&b, 1, 0);
	frame(&f, 0);
	ng_epb(&b, 0, 0, &f);
	ng_shb(&b, true, 1);
	at = b.len;
	ng_epb(&b, 0, 1, &f);
	emit("ng-section-forgets-idb.pcapng", &b, b.len, 3, 1,
	    (long long)at);

	/* Captured length larger than the block holds. */
	b.len = 0;
	ng_good(&b, ends);
	at = ends[1];
	b.p[at + 20] = 0xff;			/* caplen, little-endian */
	b.p[at + 21] = 0x7f;
	emit("ng-caplen-past-block.pcapng", &b, b.len, 3, 2, (long long)at);

	/* Versions and byte-order marks the format does not have. */
	b.len = 0;
	ng_shb(&b, false, 2);
	ng_idb(&b, 1, 0);
	emit("ng-version-2.pcapng", &b, b.len, 3, 0, 0);
	b.len = 0;
	ng_good(&b, ends);
	b.p[8] = 0x4e;
	emit("ng-bad-bom.pcapng", &b, b.len, 3, 0, 0);
	/* The second section's byte-order mark is broken. */
	b.len = 0;
	ng_good(&b, ends);
	at = b.len;
	ng_shb(&b, false, 1);
	b.p[at + 9] = 0;
	emit("ng-bad-bom-2.pcapng", &b, b.len, 3, N_PKTS, (long long)at);

	/* An IDB with options that run past it, and a bad if_tsresol. */
	b.len = 0;
	ng_shb(&b, false, 1);
	at = b.len;
	put32(&b, NG_IDB);
	put32(&b, 28);
	put16(&b, 1);
	put16(&b, 0);
	put32(&b, 0);
	put16(&b, 2);				/* if_name */
	put16(&b, 200);
	put32(&b, 0x41414141);
	put32(&b, 28);
	emit("ng-idb-option-overrun.pcapng", &b, b.len, 3, 0, (long long)at);
	b.len = 0;
	ng_shb(&b, false, 1);
	at = b.len;
	put32(&b, NG_IDB);
	put32(&b, 28);
	put16(&b, 1);
	put16(&b, 0);
	put32(&b, 0);
	put16(&b, 9);				/* if_tsresol */
	put16(&b, 1);
	put32(&b, 0x0000007f);			/* 10^-127 */
	put32(&b, 28);
	emit("ng-idb-bad-tsresol.pcapng", &b, b.len, 3, 0, (long long)at);

	/* More interfaces than any capture has: refused, not allocated. */
	b.len = 0;
	ng_shb(&b, false, 1);
	frame(&f, 0);
	for (i = 0; i < 70000; i++) {
		if (i == 65536)
			at = b.len;
		ng_idb(&b, 1, 0);
	}
	emit("ng-many-idbs.pcapng", &b, b.len, 3, 0, (long long)at);

	/* Simple packet blocks (no interface id, no time) and an obsolete
	 * packet block. */
	b.len = 0;
	ng_shb(&b, false, 1);
	ng_idb(&b, 1, 0);
	for (i = 0; i < N_PKTS; i++) {
		struct buf body = { 0 };

		frame(&f, i);
		if (i % 2) {
			put32(&body, (uint32_t)f.len);
			put(&body, f.p, f.len);
			ng_block(&b, NG_SPB, body.p, body.len);
		} else {
			put16(&body, 0);	/* interface */
			put16(&body, 0);	/* drops */
			put32(&body, 0);
			put32(&body, T0 + i);
			put32(&body, (uint32_t)f.len);
			put32(&body, (uint32_t)f.len);
			put(&body, f.p, f.len);
			ng_block(&b, NG_PB, body.p, body.len);
		}
		free(body.p);
	}
	emit("ng-spb-pb.pcapng", &b, b.len, 0, N_PKTS, -1);
	free(b.p);
	free(f.p);
}

int
main(int argc, char **argv)
{
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: gen-hostile OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
		die(outdir);
	snprintf(path, sizeof(path), "%s/MANIFEST", outdir);
	if ((manifest = fopen(path, "w")) == NULL)
		die(path);
	pcap_files();
	pcapng_files();
	if (fclose(manifest) != 0)
		die(path);
	return 0;
}
