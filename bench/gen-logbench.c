/* gen-logbench.c - the same DNS lookups as a Zeek dns.log (TSV), Zeek JSON,
 * Suricata EVE and a pcap, for timing log input against packets. */

/*
 * gen-logbench DIR N writes DIR/dns.log, DIR/dns.json, DIR/eve.json and
 * DIR/dns.pcap: N lookups of A records by 1000 clients of one resolver, one
 * a millisecond, 1 in 100 for a Kaspersky update name, the rest for names
 * of 200 made-up domains.  The pcap holds each query and its response (2N
 * packets, Ethernet, IPv4, UDP); the Zeek logs one record a lookup (query
 * and answer together, as Zeek logs them); EVE one query and one answer
 * event (version 2) a lookup, as Suricata logs them.  Deterministic.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *
out(const char *dir, const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	return fp;
}

static void
le32(FILE *fp, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, fp);
}

/* One DNS message in wire form at p; its length. */
static size_t
dns_msg(uint8_t *p, uint16_t id, const char *name, int answer,
    const uint8_t *addr)
{
	size_t n = 0, l;
	const char *s = name, *dot;

	p[n++] = (uint8_t)(id >> 8);
	p[n++] = (uint8_t)id;
	p[n++] = answer ? 0x81 : 0x01;
	p[n++] = answer ? 0x80 : 0x00;
	p[n++] = 0; p[n++] = 1;			/* qdcount */
	p[n++] = 0; p[n++] = answer ? 1 : 0;	/* ancount */
	memset(p + n, 0, 4);
	n += 4;
	while (*s != '\0') {
		dot = strchr(s, '.');
		l = dot != NULL ? (size_t)(dot - s) : strlen(s);
		p[n++] = (uint8_t)l;
		memcpy(p + n, s, l);
		n += l;
		s += l + (dot != NULL);
	}
	p[n++] = 0;
	p[n++] = 0; p[n++] = 1; p[n++] = 0; p[n++] = 1;	/* A IN */
	if (answer) {
		p[n++] = 0xc0; p[n++] = 12;
		p[n++] = 0; p[n++] = 1; p[n++] = 0; p[n++] = 1;
		p[n++] = 0; p[n++] = 0; p[n++] = 0x0e; p[n++] = 0x10;
		p[n++] = 0; p[n++] = 4;
		memcpy(p + n, addr, 4);
		n += 4;
	}
	return n;
}

static void
packet(FILE *fp, uint32_t sec, uint32_t usec, const uint8_t *src,
    const uint8_t *dst, uint16_t sport, uint16_t dport, const uint8_t *dns,
    size_t dlen)
{
	uint8_t f[600];
	size_t n = 0, ip_len = 20 + 8 + dlen;

	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00",
	    14);
	n = 14;
	f[n++] = 0x45; f[n++] = 0;
	f[n++] = (uint8_t)(ip_len >> 8); f[n++] = (uint8_t)ip_len;
	memset(f + n, 0, 4); n += 4;
	f[n++] = 64; f[n++] = 17; f[n++] = 0; f[n++] = 0;
	memcpy(f + n, src, 4); n += 4;
	memcpy(f + n, dst, 4); n += 4;
	f[n++] = (uint8_t)(sport >> 8); f[n++] = (uint8_t)sport;
	f[n++] = (uint8_t)(dport >> 8); f[n++] = (uint8_t)dport;
	f[n++] = (uint8_t)((8 + dlen) >> 8); f[n++] = (uint8_t)(8 + dlen);
	f[n++] = 0; f[n++] = 0;
	memcpy(f + n, dns, dlen);
	n += dlen;
	le32(fp, sec);
	le32(fp, usec);
	le32(fp, (uint32_t)n);
	le32(fp, (uint32_t)n);
	fwrite(f, 1, n, fp);
}

int
main(int argc, char **argv)
{
	static const uint8_t res[4] = { 10, 0, 0, 1 };
	FILE *tsv, *zj, *eve, *pc;
	uint8_t cl[4], an[4], msg[512];
	char name[128], cs[16], as[16], ts[32], iso[40];
	uint32_t sec, usec, x = 12345;
	unsigned long n, i;
	uint16_t port;
	size_t len;

	if (argc != 3 || (n = strtoul(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: gen-logbench DIR N\n");
		return 2;
	}
	tsv = out(argv[1], "dns.log");
	zj = out(argv[1], "dns.json");
	eve = out(argv[1], "eve.json");
	pc = out(argv[1], "dns.pcap");
	fputs("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"
	    "#unset_field\t-\n#path\tdns\n#fields\tts\tuid\tid.orig_h\t"
	    "id.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\tquery\t"
	    "qtype_name\trcode_name\tanswers\tTTLs\n#types\ttime\tstring\t"
	    "addr\tport\taddr\tport\tenum\tcount\tstring\tstring\tstring\t"
	    "vector[string]\tvector[interval]\n", tsv);
	le32(pc, 0xa1b2c3d4);
	fwrite("\x02\x00\x04\x00", 1, 4, pc);
	le32(pc, 0);
	le32(pc, 0);
	le32(pc, 262144);
	le32(pc, 1);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		sec = 1727769600u + (uint32_t)(i / 1000);
		usec = (uint32_t)(i % 1000) * 1000;
		cl[0] = 10; cl[1] = 1; cl[2] = (uint8_t)(x >> 8 & 3);
		cl[3] = (uint8_t)(x >> 16);
		an[0] = 198; an[1] = 51; an[2] = 100; an[3] = (uint8_t)(x >> 24);
		port = (uint16_t)(1024 + (x >> 4) % 60000);
		if (i % 100 == 0)
			snprintf(name, sizeof(name), "s%02lu.upd.kaspersky.com",
			    i / 100 % 20);
		else
			snprintf(name, sizeof(name), "www%u.example%u.com",
			    (x >> 10) % 50, (x >> 18) % 200);
		snprintf(cs, sizeof(cs), "%u.%u.%u.%u", cl[0], cl[1], cl[2],
		    cl[3]);
		snprintf(as, sizeof(as), "%u.%u.%u.%u", an[0], an[1], an[2],
		    an[3]);
		snprintf(ts, sizeof(ts), "%u.%06u", sec, usec);
		snprintf(iso, sizeof(iso), "2024-10-01T%02u:%02u:%02u.%06u+0000",
		    8 + (sec - 1727769600u) / 3600, (sec / 60) % 60, sec % 60,
		    usec);
		fprintf(tsv, "%s\tC%lu\t%s\t%u\t10.0.0.1\t53\tudp\t%u\t%s\tA\t"
		    "NOERROR\t%s\t3600.000000\n", ts, i, cs, port,
		    (unsigned)(i & 0xffff), name, as);
		fprintf(zj, "{\"ts\":%s,\"uid\":\"C%lu\",\"id.orig_h\":\"%s\","
		    "\"id.orig_p\":%u,\"id.resp_h\":\"10.0.0.1\",\"id.resp_p\":"
		    "53,\"proto\":\"udp\",\"trans_id\":%u,\"query\":\"%s\","
		    "\"qtype_name\":\"A\",\"rcode_name\":\"NOERROR\","
		    "\"answers\":[\"%s\"],\"TTLs\":[3600.0]}\n", ts, i, cs, port,
		    (unsigned)(i & 0xffff), name, as);
		fprintf(eve, "{\"timestamp\":\"%s\",\"flow_id\":%lu,"
		    "\"event_type\":\"dns\",\"src_ip\":\"%s\",\"src_port\":%u,"
		    "\"dest_ip\":\"10.0.0.1\",\"dest_port\":53,\"proto\":\"UDP\","
		    "\"dns\":{\"type\":\"query\",\"id\":%u,\"rrname\":\"%s\","
		    "\"rrtype\":\"A\",\"tx_id\":0}}\n", iso, i, cs, port,
		    (unsigned)(i & 0xffff), name);
		fprintf(eve, "{\"timestamp\":\"%s\",\"flow_id\":%lu,"
		    "\"event_type\":\"dns\",\"src_ip\":\"10.0.0.1\",\"src_port\":"
		    "53,\"dest_ip\":\"%s\",\"dest_port\":%u,\"proto\":\"UDP\","
		    "\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":%u,"
		    "\"rrname\":\"%s\",\"rrtype\":\"A\",\"rcode\":\"NOERROR\","
		    "\"answers\":[{\"rrname\":\"%s\",\"rrtype\":\"A\",\"ttl\":"
		    "3600,\"rdata\":\"%s\"}]}}\n", iso, i, cs, port,
		    (unsigned)(i & 0xffff), name, name, as);
		len = dns_msg(msg, (uint16_t)i, name, 0, an);
		packet(pc, sec, usec, cl, res, port, 53, msg, len);
		len = dns_msg(msg, (uint16_t)i, name, 1, an);
		packet(pc, sec, usec + 500, res, cl, 53, port, msg, len);
	}
	if (fclose(tsv) != 0 || fclose(zj) != 0 || fclose(eve) != 0 ||
	    fclose(pc) != 0) {
		perror("write");
		return 2;
	}
	return 0;
}
