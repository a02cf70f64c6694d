/* gen-dnstap.c - dnstap test inputs (dnstap.proto through protobuf-c, Frame
 * Streams through libfstrm's file writer), and the same DNS as a pcap. */

/*
 * gen-dnstap cases OUTDIR     small files for the end-to-end tests:
 *   dnstap-mixed.dnstap       client queries and responses (UDP, TCP, IPv4,
 *                             IPv6), the resolver's own lookups, an AUTH_
 *                             message; identity and version set
 *   dnstap-badproto.dnstap    a data frame that is no protobuf between two
 *                             good ones
 *   dnstap-truncated.dnstap   cut inside a data frame
 *   dnstap-wrongtype.dnstap   START names another content type
 * gen-dnstap from-pcap IN.pcap OUT.dnstap
 *                             every UDP DNS datagram of a little-endian
 *                             Ethernet pcap as CLIENT_QUERY/CLIENT_RESPONSE
 * gen-dnstap bench N OUT.pcap OUT.dnstap
 *                             N client queries (one in 1000 for a
 *                             Kaspersky name) from 10.1.0.0 up, as both
 * Every run writes the same bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fstrm.h>

#include "dnstap.pb-c.h"

#define CT	"protobuf:dnstap.Dnstap"
#define T0	1764547200u	/* 2025-12-01T00:00:00Z */

static void
die(const char *what)
{
	fprintf(stderr, "gen-dnstap: %s\n", what);
	exit(1);
}

/* ---- DNS messages (RFC 1035 4.1) ---------------------------------------- */

static size_t
dns_msg(uint8_t *b, uint16_t id, const char *name, bool response,
    const uint8_t *a4)
{
	size_t n = 12, l;
	const char *p = name, *dot;

	memset(b, 0, 12);
	b[0] = (uint8_t)(id >> 8);
	b[1] = (uint8_t)id;
	b[2] = response ? 0x81 : 0x01;
	b[3] = response ? 0x80 : 0x00;
	b[5] = 1;
	b[7] = response && a4 != NULL ? 1 : 0;
	while (*p != '\0') {
		dot = strchr(p, '.');
		l = dot != NULL ? (size_t)(dot - p) : strlen(p);
		b[n++] = (uint8_t)l;
		memcpy(b + n, p, l);
		n += l;
		p += l + (dot != NULL);
	}
	b[n++] = 0;
	memcpy(b + n, "\0\1\0\1", 4);		/* A, IN */
	n += 4;
	if (response && a4 != NULL) {
		/* 0xc00c: the question's name; TTL 300, 4 bytes. */
		memcpy(b + n, "\xc0\x0c\0\1\0\1\0\0\1\x2c\0\4", 12);
		n += 12;
		memcpy(b + n, a4, 4);
		n += 4;
	}
	return n;
}

/* ---- dnstap ------------------------------------------------------------ */

struct rec {
	int		 type;		/* Message.type */
	int		 proto;		/* SocketProtocol */
	int		 family;	/* 4 or 6 */
	uint8_t		 qa[16], ra[16];
	uint16_t	 qport, rport;
	uint64_t	 sec;
	uint32_t	 nsec;
	const uint8_t	*dns;
	size_t		 dns_len;
};

static const char *identity = "ns1.example.net", *version = "unbound 1.17.1";

static size_t
pack(const struct rec *r, uint8_t *out, size_t cap)
{
	Dnstap__Dnstap d = DNSTAP__DNSTAP__INIT;
	Dnstap__Message m = DNSTAP__MESSAGE__INIT;
	size_t alen = r->family == 4 ? 4 : 16;
	bool resp = (r->type & 1) == 0;

	d.has_identity = d.has_version = 1;
	d.identity.data = (uint8_t *)identity;
	d.identity.len = strlen(identity);
	d.version.data = (uint8_t *)version;
	d.version.len = strlen(version);
	d.type = DNSTAP__DNSTAP__TYPE__MESSAGE;
	d.message = &m;
	m.type = (Dnstap__Message__Type)r->type;
	m.has_socket_family = m.has_socket_protocol = 1;
	m.socket_family = r->family == 4 ? DNSTAP__SOCKET_FAMILY__INET :
	    DNSTAP__SOCKET_FAMILY__INET6;
	m.socket_protocol = (Dnstap__SocketProtocol)r->proto;
	m.has_query_address = m.has_response_address = 1;
	m.query_address.data = (uint8_t *)r->qa;
	m.query_address.len = alen;
	m.response_address.data = (uint8_t *)r->ra;
	m.response_address.len = alen;
	m.has_query_port = m.has_response_port = 1;
	m.query_port = r->qport;
	m.response_port = r->rport;
	m.has_query_time_sec = m.has_query_time_nsec = 1;
	m.query_time_sec = r->sec;
	m.query_time_nsec = r->nsec;
	if (resp) {
		m.has_response_time_sec = m.has_response_time_nsec = 1;
		m.response_time_sec = r->sec;
		m.response_time_nsec = r->nsec;
		m.has_response_message = 1;
		m.response_message.data = (uint8_t *)r->dns;
		m.response_message.len = r->dns_len;
	} else {
		m.has_query_message = 1;
		m.query_message.data = (uint8_t *)r->dns;
		m.query_message.len = r->dns_len;
	}
	if (dnstap__dnstap__get_packed_size(&d) > cap)
		die("record too large");
	return dnstap__dnstap__pack(&d, out);
}

static struct fstrm_writer *
writer_open(const char *path)
{
	struct fstrm_file_options *fo = fstrm_file_options_init();
	struct fstrm_writer_options *wo = fstrm_writer_options_init();
	struct fstrm_writer *w;

	fstrm_file_options_set_file_path(fo, path);
	fstrm_writer_options_add_content_type(wo, CT, strlen(CT));
	if ((w = fstrm_file_writer_init(fo, wo)) == NULL ||
	    fstrm_writer_open(w) != fstrm_res_success)
		die(path);
	fstrm_file_options_destroy(&fo);
	fstrm_writer_options_destroy(&wo);
	return w;
}

static void
writer_put(struct fstrm_writer *w, const struct rec *r)
{
	uint8_t buf[4096];
	size_t n = pack(r, buf, sizeof(buf));

	if (fstrm_writer_write(w, buf, n) != fstrm_res_success)
		die("write");
}

static void
writer_close(struct fstrm_writer *w)
{
	if (fstrm_writer_close(w) != fstrm_res_success)
		die("close");
	fstrm_writer_destroy(&w);
}

/* ---- raw Frame Streams, for the damaged files --------------------------- */

static void
put_u32(FILE *fp, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 8), (uint8_t)v };

	fwrite(b, 1, 4, fp);
}

static void
raw_start(FILE *fp, const char *ct)
{
	put_u32(fp, 0);
	put_u32(fp, (uint32_t)(12 + strlen(ct)));
	put_u32(fp, 2);				/* START */
	put_u32(fp, 1);				/* content type field */
	put_u32(fp, (uint32_t)strlen(ct));
	fputs(ct, fp);
}

static void
raw_frame(FILE *fp, const uint8_t *p, size_t n)
{
	put_u32(fp, (uint32_t)n);
	fwrite(p, 1, n, fp);
}

static void
raw_stop(FILE *fp)
{
	put_u32(fp, 0);
	put_u32(fp, 4);
	put_u32(fp, 3);				/* STOP */
}

/* ---- the cases ------------------------------------------------------------ */

static void
set4(uint8_t *a, uint8_t x, uint8_t y, uint8_t z, uint8_t w)
{
	memset(a, 0, 16);
	a[0] = x;
	a[1] = y;
	a[2] = z;
	a[3] = w;
}

static void
set6(uint8_t *a, uint16_t last)
{
	static const uint8_t pre[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x77 };

	memset(a, 0, 16);
	memcpy(a, pre, sizeof(pre));
	a[14] = (uint8_t)(last >> 8);
	a[15] = (uint8_t)last;
}

static FILE *
xopen(const char *dir, const char *name, char *path, size_t cap)
{
	FILE *fp;

	snprintf(path, cap, "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL)
		die(path);
	return fp;
}

static void
cases(const char *dir)
{
	static const uint8_t answer[4] = { 198, 51, 100, 77 };
	uint8_t q1[512], r1[512], q2[512], q3[512], q4[512], r4[512];
	uint8_t buf[4096], junk[40];
	struct fstrm_writer *w;
	struct rec r[8];
	char path[4096];
	size_t n, i, nr = 0, half;
	FILE *fp;

	memset(r, 0, sizeof(r));
	/* 10.77.0.5 asks the resolver 10.77.0.53 for an update server. */
	r[nr].type = 5; r[nr].proto = 1; r[nr].family = 4;
	set4(r[nr].qa, 10, 77, 0, 5); set4(r[nr].ra, 10, 77, 0, 53);
	r[nr].qport = 40001; r[nr].rport = 53; r[nr].sec = T0;
	r[nr].dns = q1;
	r[nr++].dns_len = dns_msg(q1, 0x1111, "s01.upd.kaspersky.com", false,
	    NULL);
	r[nr] = r[nr - 1];
	r[nr].type = 6; r[nr].nsec = 2000000; r[nr].dns = r1;
	r[nr++].dns_len = dns_msg(r1, 0x1111, "s01.upd.kaspersky.com", true,
	    answer);
	/* An IPv6 client over TCP asks for a KSN name. */
	r[nr].type = 5; r[nr].proto = 2; r[nr].family = 6;
	set6(r[nr].qa, 0x10); set6(r[nr].ra, 0x53);
	r[nr].qport = 40002; r[nr].rport = 53; r[nr].sec = T0 + 1;
	r[nr].dns = q2;
	r[nr++].dns_len = dns_msg(q2, 0x2222,
	    "ksn-file-geo.kaspersky-labs.com", false, NULL);
	/* A name of no signature. */
	r[nr] = r[0];
	r[nr].qport = 40003; r[nr].sec = T0 + 2; r[nr].dns = q3;
	r[nr++].dns_len = dns_msg(q3, 0x3333, "www.example.org", false,
	    NULL);
	/* The resolver's own lookups upstream: never a client. */
	r[nr].type = 3; r[nr].proto = 1; r[nr].family = 4;
	set4(r[nr].qa, 10, 77, 0, 53); set4(r[nr].ra, 192, 0, 2, 1);
	r[nr].qport = 33333; r[nr].rport = 53; r[nr].sec = T0 + 3;
	r[nr].dns = q4;
	r[nr++].dns_len = dns_msg(q4, 0x4444, "s02.upd.kaspersky.com", false,
	    NULL);
	r[nr] = r[nr - 1];
	r[nr].type = 4; r[nr].dns = r4;
	r[nr++].dns_len = dns_msg(r4, 0x4444, "s02.upd.kaspersky.com", true,
	    answer);
	/* An authoritative server's message: counted only. */
	r[nr] = r[4];
	r[nr++].type = 1;

	snprintf(path, sizeof(path), "%s/dnstap-mixed.dnstap", dir);
	w = writer_open(path);
	for (i = 0; i < nr; i++)
		writer_put(w, &r[i]);
	writer_close(w);

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(0xff - i);	/* no protobuf */
	fp = xopen(dir, "dnstap-badproto.dnstap", path, sizeof(path));
	raw_start(fp, CT);
	n = pack(&r[0], buf, sizeof(buf));
	raw_frame(fp, buf, n);
	raw_frame(fp, junk, sizeof(junk));
	n = pack(&r[2], buf, sizeof(buf));
	raw_frame(fp, buf, n);
	raw_stop(fp);
	fclose(fp);

	fp = xopen(dir, "dnstap-truncated.dnstap", path, sizeof(path));
	raw_start(fp, CT);
	n = pack(&r[0], buf, sizeof(buf));
	raw_frame(fp, buf, n);
	n = pack(&r[2], buf, sizeof(buf));
	half = n / 2;
	put_u32(fp, (uint32_t)n);
	fwrite(buf, 1, half, fp);
	fclose(fp);

	fp = xopen(dir, "dnstap-wrongtype.dnstap", path, sizeof(path));
	raw_start(fp, "protobuf:other.Thing");
	n = pack(&r[0], buf, sizeof(buf));
	raw_frame(fp, buf, n);
	raw_stop(fp);
	fclose(fp);
}

/* ---- from a pcap --------------------------------------------------------- */

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
from_pcap(const char *in, const char *out)
{
	uint8_t hdr[24], rh[16], pkt[65536];
	struct fstrm_writer *w;
	struct rec r;
	size_t caplen, off, l4, hl;
	uint16_t et, sp, dp;
	FILE *fp;

	if ((fp = fopen(in, "rb")) == NULL || fread(hdr, 1, 24, fp) != 24 ||
	    le32(hdr) != 0xa1b2c3d4 || le32(hdr + 20) != 1)
		die("from-pcap: a little-endian Ethernet pcap, please");
	identity = "gen-dnstap";
	version = "from-pcap";
	w = writer_open(out);
	while (fread(rh, 1, 16, fp) == 16) {
		caplen = le32(rh + 8);
		if (caplen > sizeof(pkt) || fread(pkt, 1, caplen, fp) !=
		    caplen)
			die("from-pcap: bad record");
		if (caplen < 14)
			continue;
		memset(&r, 0, sizeof(r));
		et = (uint16_t)(pkt[12] << 8 | pkt[13]);
		off = 14;
		if (et == 0x0800 && caplen >= off + 20 && pkt[off + 9] == 17) {
			hl = (size_t)(pkt[off] & 0x0f) * 4;
			r.family = 4;
			memcpy(r.qa, pkt + off + 12, 4);
			memcpy(r.ra, pkt + off + 16, 4);
			l4 = off + hl;
		} else if (et == 0x86dd && caplen >= off + 40 &&
		    pkt[off + 6] == 17) {
			r.family = 6;
			memcpy(r.qa, pkt + off + 8, 16);
			memcpy(r.ra, pkt + off + 24, 16);
			l4 = off + 40;
		} else
			continue;
		if (caplen < l4 + 8 + 12)
			continue;
		sp = (uint16_t)(pkt[l4] << 8 | pkt[l4 + 1]);
		dp = (uint16_t)(pkt[l4 + 2] << 8 | pkt[l4 + 3]);
		if (sp != 53 && dp != 53)
			continue;
		r.dns = pkt + l4 + 8;
		r.dns_len = caplen - l4 - 8;
		r.proto = 1;
		r.sec = le32(rh);
		r.nsec = le32(rh + 4) * 1000;
		r.type = (r.dns[2] & 0x80) ? 6 : 5;
		if (r.type == 6) {		/* the client is the receiver */
			uint8_t t[16];

			memcpy(t, r.qa, 16);
			memcpy(r.qa, r.ra, 16);
			memcpy(r.ra, t, 16);
			r.qport = dp;
			r.rport = sp;
		} else {
			r.qport = sp;
			r.rport = dp;
		}
		writer_put(w, &r);
	}
	fclose(fp);
	writer_close(w);
}

/* ---- the benchmark: N queries as a pcap and as dnstap --------------------- */

static void
pcap_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
bench(unsigned long n, const char *pcap, const char *dtap)
{
	static const char *const names[] = { "www.example.org",
	    "mail.example.com", "api.example.net", "cdn.example.net" };
	uint8_t dns[512], frame[600], ph[16];
	struct fstrm_writer *w;
	struct rec r;
	unsigned long i;
	size_t dl, fl;
	FILE *fp;
	uint32_t sec, usec;

	if ((fp = fopen(pcap, "wb")) == NULL)
		die(pcap);
	fwrite("\xd4\xc3\xb2\xa1\x02\0\x04\0\0\0\0\0\0\0\0\0\xff\xff\0\0"
	    "\1\0\0\0", 1, 24, fp);
	w = writer_open(dtap);
	memset(&r, 0, sizeof(r));
	r.type = 5;
	r.proto = 1;
	r.family = 4;
	r.rport = 53;
	set4(r.ra, 10, 0, 0, 53);
	for (i = 0; i < n; i++) {
		/* One in a thousand asks for an update server. */
		dl = dns_msg(dns, (uint16_t)i, i % 1000 == 0 ?
		    "s01.upd.kaspersky.com" : names[i % 4], false, NULL);
		set4(r.qa, 10, (uint8_t)(1 + (i >> 16) % 200),
		    (uint8_t)(i >> 8), (uint8_t)i);
		r.qport = (uint16_t)(1024 + i % 60000);
		sec = T0 + (uint32_t)(i / 1000);
		usec = (uint32_t)(i % 1000) * 1000;
		r.sec = sec;
		r.nsec = usec * 1000;
		r.dns = dns;
		r.dns_len = dl;
		writer_put(w, &r);
		/* The same query on the wire: Ethernet, IPv4, UDP. */
		memset(frame, 0, 42);
		memcpy(frame, "\x02\0\0\0\0\x35\x02\0\0\0\0\x01\x08\0", 14);
		frame[14] = 0x45;
		pcap_put16(frame + 16, (uint16_t)(28 + dl));
		frame[22] = 64;
		frame[23] = 17;
		memcpy(frame + 26, r.qa, 4);
		memcpy(frame + 30, r.ra, 4);
		pcap_put16(frame + 34, r.qport);
		pcap_put16(frame + 36, 53);
		pcap_put16(frame + 38, (uint16_t)(8 + dl));
		memcpy(frame + 42, dns, dl);
		fl = 42 + dl;
		memcpy(ph, &sec, 4);		/* little-endian host */
		memcpy(ph + 4, &usec, 4);
		ph[8] = (uint8_t)fl; ph[9] = (uint8_t)(fl >> 8);
		ph[10] = ph[11] = 0;
		memcpy(ph + 12, ph + 8, 4);
		fwrite(ph, 1, 16, fp);
		fwrite(frame, 1, fl, fp);
	}
	writer_close(w);
	if (fclose(fp) != 0)
		die(pcap);
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "cases") == 0)
		cases(argv[2]);
	else if (argc == 4 && strcmp(argv[1], "from-pcap") == 0)
		from_pcap(argv[2], argv[3]);
	else if (argc == 5 && strcmp(argv[1], "bench") == 0)
		bench(strtoul(argv[2], NULL, 10), argv[3], argv[4]);
	else {
		fprintf(stderr, "usage: gen-dnstap cases OUTDIR | from-pcap "
		    "IN.pcap OUT.dnstap | bench N OUT.pcap OUT.dnstap\n");
		return 2;
	}
	return 0;
}
