/* gen-pcaps.c - test captures (pcap, pcapng; RFC 1035, 8446, 9112, 9293). */

/*
 * gen-pcaps OUTDIR writes the project's own captures into OUTDIR.  Every run
 * writes the same bytes: fixed clock (packet time starts 2024-10-01T08:00:00Z
 * = 1727769600), MACs, IP ids, ports and DNS ids; no randomness, no wall
 * clock.  IPv4 header, UDP and TCP checksums are correct.  Unless noted,
 * classic pcap files are little-endian, microsecond, snaplen 262144, and
 * Ethernet frames shorter than 60 bytes carry padding as on a mirror port.
 *
 * demo.pcap  Ethernet.  An office LAN 192.168.10.0/24, a branch
 *	10.20.0.0/24 and 2001:db8:10::/64, 10 minutes, ordinary DNS and TCP
 *	handshakes to port 443 (no payload) as noise.  Kaspersky traffic:
 *	- 192.168.10.23 (00:1b:21:3a:4f:01), a workstation running
 *	  Kaspersky, asks its resolver 192.168.10.1 (00:1b:21:3a:4f:fe) for
 *	  s10.upd.kaspersky.com A (twice, 5 min apart),
 *	  dc1.ksn.kaspersky-labs.com, ksn-url-geo.kaspersky-labs.com,
 *	  activation-v2.kaspersky.com (answer: CNAME
 *	  activation-v2.geo.kaspersky.com, A 77.74.176.10) and
 *	  touch.kaspersky.com; every query is answered (upd in
 *	  80.239.170.0/24, KSN in 79.133.169.0/24).
 *	- 192.168.10.1 forwards the first s10.upd query to 9.9.9.9 and relays
 *	  the answer: a DNS server that relays, not an offender.
 *	- 192.168.10.57 (:02) asks for www.kaspersky.com and
 *	  support.kaspersky.com only: browsing.
 *	- 10.20.0.5 (:03) asks 8.8.8.8 directly for
 *	  downloads.upd.kaspersky.com and ksn-file-geo.kaspersky-labs.com
 *	  (public-resolver fallback).
 *	- 2001:db8:10::23 (:04) asks 2001:db8:10::1 for
 *	  dc1.ksn.kaspersky-labs.com AAAA (answer 2a03:2480:68::10).
 *	- 192.168.10.1 answers 192.168.10.88 (:05) for s15.upd.kaspersky.com;
 *	  the query is not in the capture (a response seen alone).
 *	- 192.168.10.90 (:06) asks for notkaspersky-labs.com and
 *	  kaspersky.com.evil.example (NXDOMAIN): must match nothing.
 *	Noise comes from 192.168.10.31 / 2001:db8:10::31 (:07) and
 *	192.168.10.45 (:08); off-LAN addresses appear with the edge router's
 *	MAC 00:1b:21:3a:4f:fd.  61 frames; the Kaspersky ones: 3-6 s10.upd
 *	(3 query, 4 relayed to 9.9.9.9, 5 upstream answer, 6 answer), 10-11
 *	dc1.ksn, 19-20 ksn-url-geo, 21-24 www and support (.57), 30-33 the
 *	branch via 8.8.8.8, 34-35 dc1.ksn AAAA over IPv6, 36-37
 *	activation-v2, 40 s15.upd answer alone, 43-46 the two lookalikes
 *	(.90), 47-48 touch, 51-52 s10.upd again (from cache).
 *
 * Link-type and format files: each holds the same two packets, a query
 * 192.0.2.10:40000 -> 192.0.2.53:53 for s01.upd.kaspersky.com A (id 0x1111)
 * and its answer A 80.239.170.1; "IPv6" means 2001:db8::10 -> 2001:db8::53.
 * Query at 08:00:00.123456789, answer at 08:00:00.135802468 (the microsecond
 * files keep .123456 and .135802).
 *	lt-pcap-us-le.pcap	Ethernet, usec, little-endian
 *	lt-pcap-us-be.pcap	Ethernet, usec, big-endian
 *	lt-pcap-ns-le.pcap	Ethernet, nsec, little-endian
 *	lt-pcap-ns-be.pcap	Ethernet, nsec, big-endian
 *	lt-vlan.pcap		802.1Q VLAN 11
 *	lt-qinq.pcap		0x88a8 VLAN 100, then 0x8100 VLAN 200
 *	lt-qinq9100.pcap	0x9100 VLAN 300, then 0x8100 VLAN 301
 *	lt-qinqinq.pcap		0x88a8 VLAN 10, 0x8100 VLAN 20,
 *				0x8100 VLAN 30
 *	lt-mpls.pcap		MPLS labels 1000, 2000 (bottom), then IPv4
 *	lt-pppoe.pcap		PPPoE session 0x0042, PPP 0x0021 IPv4
 *	lt-pppoe6.pcap		PPPoE session 0x0042, PPP 0x0057 IPv6
 *	lt-sll.pcap		LINUX_SLL (113): query outgoing,
 *				answer to us
 *	lt-sll2.pcap		LINUX_SLL2 (276), interface index 2
 *	lt-raw101.pcap		RAW (101), IPv4
 *	lt-raw12.pcap		DLT_RAW as 12, IPv6
 *	lt-ipv4.pcap		IPV4 (228)
 *	lt-ipv6.pcap		IPV6 (229)
 *	lt-null-le.pcap		NULL (0), little-endian file,
 *				AF 2 little-endian
 *	lt-null-be6.pcap	NULL (0), big-endian file, AF 30 (Darwin
 *				AF_INET6) big-endian, IPv6
 *	lt-loop.pcap		LOOP (108), AF 2 in network order
 *	lt-ipv6-ext.pcap	Ethernet, IPv6 with hop-by-hop and destination
 *				options headers (PadN) before UDP
 *	lt-nflog.pcap		NFLOG (239), attributes little-endian:
 *				packet header, prefix, payload
 *	lt-nflog6-be.pcap	NFLOG, big-endian file and attributes, IPv6
 *	lt-ppp.pcap		PPP (9) with ff 03 (RFC 1662 framing)
 *	lt-ppp-hdlc.pcap	PPP_HDLC (50), IPv6
 *	lt-ppp-dir.pcap		PPP_WITH_DIR (204), protocol compressed
 *	lt-chdlc.pcap		C_HDLC (104)
 *	lt-chdlc50.pcap		Cisco HDLC in PPP_HDLC (50): first byte 0x0f
 *	lt-pktap.pcap		PKTAP (258), 108-byte header, Ethernet
 *	lt-wlan.pcap		IEEE802_11 (105): data to and from the DS
 *	lt-radiotap.pcap	radiotap (127), QoS data; the answer with
 *				four addresses
 *	lt-prism.pcap		Prism header (119), data frames
 *	lt-avs.pcap		AVS header (163), QoS data, IPv6
 * lt-wlan-skip.pcap  radiotap: a beacon, a protected data frame (counted
 *	in wlan_protected), a null data frame, a later fragment, and the s01
 *	query as QoS data with an HT control field: only the query is read.
 * lt-pcapng-multi.pcapng  One little-endian section, three interfaces:
 *	if0 "eth0" Ethernet snaplen 65535, if1 "any" LINUX_SLL2 snaplen
 *	262144, if2 "tun0" RAW (101) snaplen 1500 with if_tsresol 9.  Blocks:
 *	SHB (shb_userappl), IDB0, IDB1, EPB if0 s01 query, EPB if1 s01 answer
 *	(epb_flags inbound), IDB2 (after packets: legal, dumpcap does it), EPB
 *	if2 s02 query (id 0x2222, 08:00:01.234567891), EPB if2 s02 answer
 *	(A 80.239.170.2), SPB (interface 0, no timestamp) with an s03 query
 *	(id 0x3333).  IPv4 everywhere.
 * lt-pcapng-sections.pcapng  Section 1 little-endian: Ethernet, s01 query
 *	and answer.  Section 2 big-endian: RAW (101), s04 query (id 0x4444,
 *	08:00:02.123456) and answer A 80.239.170.4.
 * lt-unsupported.pcap  DOCSIS (143), 3 junk frames: must be warned
 *	about (file, link type, 3 packets skipped).
 * lt-mixed-unsupported.pcapng  if0 Ethernet with the s01 query and answer,
 *	if1 USER0 (147) with 2 junk packets, interleaved.
 *
 * dns-port.pcap  The s01 pair on UDP port 5300 (for --dns-port 5300).
 *
 * Bad inputs:
 *	bad-truncated.pcap	6 demo packets (s10.upd with forwarding,
 *				then dc1.ksn); the file ends in the middle
 *				of the 5th record's data.  Records 1-4 are
 *				whole.
 *	bad-corrupt.pcapng	SHB, IDB, 3 good EPBs (s01 query, s01
 *				answer, s02 query), then a block of type 6
 *				whose total length is 7, then a whole valid
 *				EPB (s03 query) that a reader must not
 *				reach.
 *	bad-notcapture.pcap	"this is not a capture\n".
 *	bad-empty.pcap		0 bytes.
 *	bad-hugecaplen.pcap	s01 query and answer, then a record header
 *				with caplen and len 0x7fffffff and 40 bytes.
 *
 * dns-malformed.pcap  Ethernet, 192.0.2.10 -> 192.0.2.53:53, one a second:
 *	1 query, qname "s10.upd" then a pointer to itself (a loop)
 *	2 query, a 63-byte label that runs past the end of the datagram
 *	3 query S10.UPD.Kaspersky.COM (matches once case is folded)
 *	4 query, qname label "bad\0 label" (NUL and space) under
 *	  ksn.kaspersky-labs.com: matches; reports must escape it
 *	5 response with qdcount 0 and one A for s11.upd.kaspersky.com
 *	  (owner written in full; there is no question to point to)
 *	6 query s05.upd.kaspersky.com, caplen 64 < len: the name is cut
 *	  after "\3s05\3upd\11k"
 *	7 query s06.upd.kaspersky.com, well formed: must still be found
 *
 * frags.pcap  Ethernet:
 *	1-3 a response 192.0.2.53 -> 192.0.2.10 for s07.upd.kaspersky.com
 *	  with 40 A records (80.239.170.100-139), 687 bytes of UDP in IPv4
 *	  fragments (id 0x5a5a) of 256, 256 and 175 bytes, written last,
 *	  first, middle; its query is not in the file
 *	4-5 a query 2001:db8::10 -> 2001:db8::53 for s08.upd.kaspersky.com
 *	  with an EDNS0 OPT padded (RFC 7830) to 1600 bytes of UDP, in two
 *	  IPv6 fragments (id 0x0000b008) of 1232 and 368 bytes, in order
 *	6 a plain query for s09.upd.kaspersky.com
 *
 * Stream captures.  Ethernet; client 192.0.2.10 (00:1b:21:00:00:10),
 * Internet server 198.51.100.20 (router MAC 00:1b:21:00:00:fe), resolver
 * 192.0.2.53 (:53), forward proxy 192.0.2.3 (:03).  Each connection has
 * its own client port (41001 up) and starts a second after the last.
 * SYNs offer MSS 1460, SACK and window scale 7.  Names below complete in
 * the frame given; ClientHellos carry GREASE cipher suites, extensions,
 * groups and versions, ALPN h2 and http/1.1, supported_versions 1.3 and
 * 1.2 and an x25519 key share.
 * tcp-tls-reverse.pcap  3 frames, no handshake (the capture starts
 *	mid-connection), port 443: a 1785-byte ClientHello (one record;
 *	an X25519MLKEM768 0x11ec share of 1216 bytes; key_share, padding,
 *	then server_name, so the name sits at stream offset 1450) for
 *	dc1.ksn.kaspersky-labs.com in two segments, MSS 1460, the second
 *	first: 1 bytes 1460-1784 ("spersky-labs.com..."), 2 bytes 0-1459
 *	(ending "dc1.ksn.ka"): the name completes in 2; 3 the server's ACK.
 *	tshark 4.0 finds no SNI here even with reassemble_out_of_order.
 * tcp-tls-shuffle.pcap  1-3 handshake; a 310-byte ClientHello for
 *	s10.upd.kaspersky.com in four pieces: piece 1 ends 5 bytes into the
 *	name ("s10.u").  4 piece 3, 5 piece 1, 6 piece 1 again
 *	(retransmitted), 7 piece 4, 8 piece 2 plus the first 10 bytes of
 *	piece 3 (overlap, same bytes): the name completes in 8.  9 ACK,
 *	10-12 FIN, FIN-ACK, ACK.
 * tcp-tls-records.pcap  Port 8443.  1-3 handshake; 4 one segment with
 *	a ClientHello for activation-v2.kaspersky.com fragmented over three
 *	handshake records of 40, 90 and 181 bytes: record 1 ends in the
 *	session id, record 2 eight bytes into the name ("activati").  5 ACK,
 *	6-8 close.
 * tcp-tls-ech.pcap  1-8 port 41004: 4 a ClientHello with
 *	encrypted_client_hello (0xfe0d, outer, HKDF-SHA256/AES-128-GCM,
 *	config_id 0x54, 32-byte enc, 208-byte payload) and outer
 *	server_name kaspersky.com.  kaspersky.com is no ECH public name, so
 *	this is GREASE as Chromium sends it: the name is where the host
 *	went, "ech":"grease".  9-16 port 41005: 12 a plain ClientHello for
 *	cm.k.kaspersky-labs.com.
 * tcp-dns.pcap  DNS over TCP to 192.0.2.53:53.  1-3 handshake; 4 three
 *	length-prefixed queries in one segment (ids 0x5301-0x5303):
 *	s13.upd.kaspersky.com, example.com,
 *	ksn-verdict-geo.kaspersky-labs.com; 5, 6, 7 their answers (A
 *	80.239.170.13, 203.0.113.10, 79.133.169.40), one a segment; 8 ACK,
 *	9-11 close.  12-14 handshake; a query for downloads.upd.kaspersky.com
 *	(id 0x5304): 15 the 2-byte length alone, 16 the header and
 *	"\11downloads\3u", 17 the rest (the name completes); its answer (A
 *	80.239.170.20, .21): 18 length and 30 bytes, 19 the rest; 20 ACK,
 *	21-23 close.
 * tcp-http.pcap  To 198.51.100.20.
 *	1-13 port 80, keep-alive: 4 GET / Host dnl-05.geo.kaspersky.com,
 *	5 response, 6 POST /api/stat (same Host, Content-Length 20) head,
 *	7 its 20-byte body, 8 204, 9 GET /index.html Host
 *	dnl-06.geo.kaspersky.com, 10 response, 11-13 close.
 *	14-21 port 8080: 17 two pipelined GETs in one segment, Host
 *	s14.upd.kaspersky.com then Host www.example.org; 18 both responses.
 *	22-31 port 80: a GET /api/v1/ping Host touch.kaspersky.com in three
 *	segments: 25 up to "\r\nHo", 26 "st: touch.kas", 27 the rest (the
 *	name completes); 28 response.
 *	32-42 port 80: 35 POST /upload Host upload.example.net, chunked,
 *	with the first chunk; 36 a chunk whose data is the text of a GET
 *	for decoy.example.net (body, never a request: must not be
 *	reported), then the last chunk; 37 response; 38 GET /ksca.crl Host
 *	crl.kaspersky.com; 39 response.
 * tcp-proxy.pcap  192.0.2.10 to the proxy 192.0.2.3:3128.
 *	4 GET http://s16.upd.kaspersky.com/index/u0607g.xml with Host
 *	s16.upd.kaspersky.com; 5 response (connection 1-8).
 *	12 GET http://s17.upd.kaspersky.com/x with Host www.example.org:
 *	Host and URI disagree; 13 response (9-16).
 *	20 CONNECT ksn-info-geo.kaspersky-labs.com:443 (Host the same);
 *	21 "HTTP/1.1 200 Connection established"; 22 a ClientHello for
 *	ksn-info-geo.kaspersky-labs.com inside the tunnel; 23 ACK (17-26).
 * tcp-proxy-upstream.pcap  The proxy 192.0.2.3 to 198.51.100.20:80:
 *	4 GET /bases/x Host s18.upd.kaspersky.com with Via and
 *	X-Forwarded-For: 192.0.2.44 (connection 1-8); 12 GET /bases/y Host
 *	s19.upd.kaspersky.com with Forwarded: for="[2001:db8::44]:5555";
 *	proto=http (9-16).  The offenders are 192.0.2.44 and 2001:db8::44,
 *	via 192.0.2.3.
 * tcp-gap.pcap  1-9 port 443: 1-3 handshake; a 310-byte ClientHello
 *	for s02.upd.kaspersky.com of which 4 holds bytes 0-106 and 5 bytes
 *	167-309; bytes 107-166, with the whole name, are never captured;
 *	6 the server ACKs all of it; 7-9 close.  A reader counts a stream
 *	gap and finds no name.
 *	10-17 port 80, no handshake: the capture starts inside an upload's
 *	body: 10 600 and 11 200 bytes of binary data; 12 "200 OK"; 13 GET
 *	/bases/s03.xml Host s03.upd.kaspersky.com, starting a segment: found
 *	by a reader that looks for a request line where a segment starts;
 *	14 response, 15-17 close.
 * tcp-edges.pcap  Issue 21 item 5.  1-3 port 41030, no handshake: a
 *	ClientHello for s23.upd.kaspersky.com in three segments sent as bytes
 *	100-199, 200-end, then 0-99; 4-6 port 41031 the same hello sent
 *	200-end, 100-199, 0-99.  7-9 handshake to 192.0.2.53:53; 10 a
 *	length-prefixed query for s24.upd.kaspersky.com; a query for
 *	example.com is never captured; 11 a query for
 *	ksn-url-geo.kaspersky-labs.com; 12 the client's FIN alone.  13-15
 *	the proxy 192.0.2.3 to port 443: handshake; 16 a PROXY v1 header
 *	naming 203.0.113.44:50100, then a ClientHello for
 *	ksn-file-geo.kaspersky-labs.com; 17-19 close.  20-22 the proxy to
 *	port 80: handshake; 23 a PROXY v2 header (TCP over IPv4, an ALPN TLV)
 *	naming 203.0.113.45:50200, then GET / Host s25.upd.kaspersky.com;
 *	24-26 close.  27-29 handshake to 192.0.2.53:53 from port 41035;
 *	30 a query for s26.upd.kaspersky.com; one for example.com never
 *	captured; 31 a query for ksn-stat-geo.kaspersky-labs.com; no FIN:
 *	the capture ends.  A reader finds all eight names (the last read
 *	past the hole at the end of the input); with --trust-proxy
 *	192.0.2.3/32 the PROXY ones are the named clients', via 192.0.2.3.
 * quic-versions.pcap  Issue 21 item 3.  Client first datagrams (a long
 *	header padded to 1200 bytes) to UDP port 443 of QUIC versions not
 *	read: 1-2 Q046 from port 50001 (one flow), 3 Q050, 4 T048, 5 IETF
 *	draft 18 (0xff000012), 6 0x1a2b3c4d.  quic.unknown_version 4, by
 *	family Q046 1, gquic_other 1, draft_old 1, other 1; Q050 is read
 *	now (gquic.pcap), and this one, all zeros, is an Initial that did
 *	not decrypt (quic.failed 1).
 * frag-http.pcap  Port 80.  1-3 handshake; a GET /index/u1313g.xml Host
 *	s20.upd.kaspersky.com in one TCP segment, sent as two IPv4 fragments
 *	(id 0x4e03): 4 the TCP header and the first 28 bytes of the request,
 *	5 the rest, Host included (the name completes); 6 response, 7-9
 *	close.
 */

#include <arpa/inet.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0		1727769600ULL	/* 2024-10-01T08:00:00Z */
#define NS		1000000000ULL
#define MS		1000000ULL
#define US		1000ULL
#define AT(s, ns)	((T0 + (uint64_t)(s)) * NS + (uint64_t)(ns))

#define PKT_MAX		4096
#define FILE_MAX	65536

#define LT_NULL		0
#define LT_ETHER	1
#define LT_RAW12	12
#define LT_RAW		101
#define LT_IEEE80211	105
#define LT_PPP		9
#define LT_PPP_HDLC	50
#define LT_C_HDLC	104
#define LT_PRISM	119
#define LT_RADIOTAP	127
#define LT_DOCSIS	143
#define LT_AVS		163
#define LT_PPP_DIR	204
#define LT_NFLOG	239
#define LT_PKTAP	258
#define LT_LOOP		108
#define LT_SLL		113
#define LT_USER0	147
#define LT_IPV4		228
#define LT_IPV6		229
#define LT_SLL2		276

#define T_A		1
#define T_CNAME		5
#define T_SRV		33
#define T_AAAA		28
#define T_OPT		41

#define F_QUERY		0x0100		/* RD */
#define F_ANSWER	0x8180		/* QR RD RA */
#define F_NXDOMAIN	0x8183

#define DNS_QD		0		/* count index in the header */
#define DNS_AN		1
#define DNS_AR		3

#define P_UDP		17
#define P_TCP		6

/* A byte buffer with a fixed capacity; overflowing it is a bug here. */
struct buf {
	uint8_t		*d;
	size_t		 cap;
	size_t		 len;
};
#define BUF_INIT(mem)	{ (mem), sizeof(mem), 0 }

static void
die(const char *what)
{
	fprintf(stderr, "gen-pcaps: %s\n", what);
	exit(1);
}

static void
put(struct buf *b, const void *p, size_t n)
{
	if (n > b->cap - b->len)
		die("buffer full");
	if (n > 0)
		memcpy(b->d + b->len, p, n);
	b->len += n;
}

static void
put_zero(struct buf *b, size_t n)
{
	if (n > b->cap - b->len)
		die("buffer full");
	memset(b->d + b->len, 0, n);
	b->len += n;
}

static void
put_u8(struct buf *b, unsigned v)
{
	uint8_t x = (uint8_t)v;

	put(b, &x, 1);
}

static void
put_u16(struct buf *b, unsigned v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(b, x, 2);
}

static void
put_u32(struct buf *b, uint32_t v)
{
	put_u16(b, v >> 16);
	put_u16(b, v & 0xffff);
}

static void
set_u16(struct buf *b, size_t off, unsigned v)
{
	if (off + 2 > b->len)
		die("patch outside buffer");
	b->d[off] = (uint8_t)(v >> 8);
	b->d[off + 1] = (uint8_t)v;
}

/* File fields follow the byte order of the file (pcap) or section. */
static void
put16o(struct buf *b, bool be, unsigned v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	if (be)
		put_u16(b, v);
	else
		put(b, x, 2);
}

static void
put32o(struct buf *b, bool be, uint32_t v)
{
	if (be) {
		put16o(b, be, v >> 16);
		put16o(b, be, v & 0xffff);
	} else {
		put16o(b, be, v & 0xffff);
		put16o(b, be, v >> 16);
	}
}

static void
set32o(struct buf *b, size_t off, bool be, uint32_t v)
{
	struct buf t = { b->d + off, 4, 0 };

	if (off + 4 > b->len)
		die("patch outside buffer");
	put32o(&t, be, v);
}

static void
pad4(struct buf *b)
{
	put_zero(b, (4 - b->len % 4) % 4);
}

static void
parse_ip(int af, const char *s, uint8_t *out)
{
	if (inet_pton(af, s, out) != 1)
		die("bad address in the generator");
}

/*
 * DNS messages (RFC 1035 4.1).  Answers point at the question name, as
 * servers compress; a CNAME target shares the question's longest suffix.
 */
struct rr {
	unsigned	 type;
	uint32_t	 ttl;
	const char	*data;		/* address or target name */
};

struct question {
	const char	*name;
	size_t		 off;	/* of the name in the message */
};

static void
dns_header(struct buf *m, unsigned id, unsigned flags)
{
	put_u16(m, id);
	put_u16(m, flags);
	put_zero(m, 8);
}

static void
dns_bump(struct buf *m, int section)
{
	size_t off = 4 + 2 * (size_t)section;

	set_u16(m, off, (unsigned)(m->d[off] << 8 | m->d[off + 1]) + 1);
}

/* Labels of name[0, stop) followed by a pointer to ptr, or by the root
 * when ptr is 0. */
static void
put_labels(struct buf *m, const char *name, size_t stop, size_t ptr)
{
	size_t i = 0, n;

	while (i < stop) {
		n = strcspn(name + i, ".");
		if (n == 0 || n > 63)
			die("bad label in the generator");
		put_u8(m, (unsigned)n);
		put(m, name + i, n);
		i += n + (name[i + n] == '.');
	}
	if (ptr != 0)
		put_u16(m, 0xc000 | (unsigned)ptr);
	else
		put_u8(m, 0);
}

static void
put_name(struct buf *m, const char *name)
{
	put_labels(m, name, strlen(name), 0);
}

/* A label starting at position i of a dotted name starts at offset i of its
 * uncompressed wire form, so a suffix of the question is found in place. */
static void
put_name_c(struct buf *m, const char *name, const struct question *q)
{
	size_t i, j;

	for (i = 0; name[i] != '\0'; i += strcspn(name + i, ".") + 1) {
		for (j = 0; q->name[j] != '\0';
		    j += strcspn(q->name + j, ".") + 1) {
			if (strcmp(name + i, q->name + j) == 0) {
				put_labels(m, name, i, q->off + j);
				return;
			}
			if (q->name[j + strcspn(q->name + j, ".")] == '\0')
				break;
		}
		if (name[i + strcspn(name + i, ".")] == '\0')
			break;
	}
	put_name(m, name);
}

static struct question
dns_question(struct buf *m, const char *name, unsigned qtype)
{
	struct question q = { name, m->len };

	put_name(m, name);
	put_u16(m, qtype);
	put_u16(m, 1);			/* IN */
	dns_bump(m, DNS_QD);
	return q;
}

/* Appends one answer owned by the name at offset owner; returns the offset
 * of the name owning the next one: the target after a CNAME. */
static size_t
dns_answer(struct buf *m, size_t owner, const struct question *q,
    const struct rr *rr)
{
	uint8_t a[16];
	size_t rdlen, next = owner;

	put_u16(m, 0xc000 | (unsigned)owner);
	put_u16(m, rr->type);
	put_u16(m, 1);
	put_u32(m, rr->ttl);
	rdlen = m->len;
	put_u16(m, 0);
	switch (rr->type) {
	case T_A:
		parse_ip(AF_INET, rr->data, a);
		put(m, a, 4);
		break;
	case T_AAAA:
		parse_ip(AF_INET6, rr->data, a);
		put(m, a, 16);
		break;
	case T_CNAME:
		next = m->len;
		put_name_c(m, rr->data, q);
		break;
	default:
		die("answer type not built here");
	}
	set_u16(m, rdlen, (unsigned)(m->len - rdlen - 2));
	dns_bump(m, DNS_AN);
	return next;
}

static void
dns_msg(struct buf *m, unsigned id, unsigned flags, const char *name,
    unsigned qtype, const struct rr *an, size_t n_an)
{
	struct question q;
	size_t i, owner;

	dns_header(m, id, flags);
	q = dns_question(m, name, qtype);
	owner = q.off;
	for (i = 0; i < n_an; i++)
		owner = dns_answer(m, owner, &q, &an[i]);
}

/* EDNS0 OPT (RFC 6891 6.1.2) with one Padding option (RFC 7830) whose
 * data is pad zero bytes. */
static void
dns_opt_padding(struct buf *m, unsigned udp_size, size_t pad)
{
	put_u8(m, 0);			/* root owner */
	put_u16(m, T_OPT);
	put_u16(m, udp_size);
	put_u32(m, 0);		/* extended rcode, version, flags */
	put_u16(m, (unsigned)(4 + pad));
	put_u16(m, 12);			/* Padding */
	put_u16(m, (unsigned)pad);
	put_zero(m, pad);
	dns_bump(m, DNS_AR);
}

/* Internet checksum (RFC 1071) over 16-bit big-endian words. */
static uint32_t
sum_bytes(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n % 2)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static unsigned
sum_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* Checksums the UDP or TCP segment with the pseudo-header of RFC 768 or
 * RFC 8200 8.1; addresses are 4 or 16 bytes by af. */
static void
l4_checksum(struct buf *seg, int af, const uint8_t *src, const uint8_t *dst,
    unsigned proto)
{
	size_t alen = af == AF_INET ? 4 : 16;
	size_t at = proto == P_UDP ? 6 : 16;
	uint32_t s;
	unsigned c;

	set_u16(seg, at, 0);
	s = sum_bytes(0, src, alen);
	s = sum_bytes(s, dst, alen);
	s += proto + (uint32_t)(seg->len & 0xffff) + (uint32_t)(seg->len >> 16);
	s = sum_bytes(s, seg->d, seg->len);
	c = sum_fold(s);
	if (c == 0 && proto == P_UDP)
		c = 0xffff;		/* 0 would mean "no checksum" */
	set_u16(seg, at, c);
}

static void
udp_seg(struct buf *seg, unsigned sport, unsigned dport, const uint8_t *data,
    size_t len)
{
	put_u16(seg, sport);
	put_u16(seg, dport);
	put_u16(seg, (unsigned)(8 + len));
	put_u16(seg, 0);
	put(seg, data, len);
}

#define TH_SYN		0x02
#define TH_ACK		0x10

/* A TCP segment without payload; SYNs carry an MSS option. */
static void
tcp_seg(struct buf *seg, unsigned sport, unsigned dport, uint32_t seq,
    uint32_t ack, unsigned flags)
{
	bool syn = (flags & TH_SYN) != 0;

	put_u16(seg, sport);
	put_u16(seg, dport);
	put_u32(seg, seq);
	put_u32(seg, ack);
	put_u8(seg, (syn ? 6u : 5u) << 4);
	put_u8(seg, flags);
	put_u16(seg, syn ? 64240 : 502);
	put_u16(seg, 0);
	put_u16(seg, 0);
	if (syn) {
		put_u8(seg, 2);		/* MSS */
		put_u8(seg, 4);
		put_u16(seg, 1460);
	}
}

/* frag is the flags and fragment offset field (RFC 791 3.1). */
static void
ip4_header(struct buf *o, const uint8_t *src, const uint8_t *dst,
    unsigned id, unsigned frag, unsigned ttl, unsigned proto, size_t len)
{
	size_t start = o->len;

	put_u8(o, 0x45);
	put_u8(o, 0);
	put_u16(o, (unsigned)(20 + len));
	put_u16(o, id);
	put_u16(o, frag);
	put_u8(o, ttl);
	put_u8(o, proto);
	put_u16(o, 0);
	put(o, src, 4);
	put(o, dst, 4);
	set_u16(o, start + 10, sum_fold(sum_bytes(0, o->d + start, 20)));
}

static void
ip6_header(struct buf *o, const uint8_t *src, const uint8_t *dst,
    unsigned hlim, unsigned nh, size_t len)
{
	put_u32(o, 0x60000000);
	put_u16(o, (unsigned)len);
	put_u8(o, nh);
	put_u8(o, hlim);
	put(o, src, 16);
	put(o, dst, 16);
}

/* A host as the capture sees it: off-LAN hosts carry the router's MAC. */
struct node {
	uint8_t		 mac[6];
	int		 af;
	uint8_t		 ip[16];
	unsigned	 ipid;		/* next IPv4 identification */
	unsigned	 ttl;		/* as it arrives at the capture */
};

static struct node
node(const char *mac, const char *ip, unsigned ipid, unsigned ttl)
{
	struct node n;
	unsigned m[6];
	int i;

	memset(&n, 0, sizeof(n));
	if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
	    &m[4], &m[5]) != 6)
		die("bad MAC in the generator");
	for (i = 0; i < 6; i++)
		n.mac[i] = (uint8_t)m[i];
	n.af = strchr(ip, ':') != NULL ? AF_INET6 : AF_INET;
	parse_ip(n.af, ip, n.ip);
	n.ipid = ipid;
	n.ttl = ttl;
	return n;
}

/* Wraps a finished UDP or TCP segment in IPv4 or IPv6 from s to d. */
static void
ip_packet(struct buf *o, struct node *s, const struct node *d, unsigned proto,
    struct buf *seg)
{
	l4_checksum(seg, s->af, s->ip, d->ip, proto);
	if (s->af == AF_INET) {
		ip4_header(o, s->ip, d->ip, s->ipid++, 0, s->ttl, proto,
		    seg->len);
	} else
		ip6_header(o, s->ip, d->ip, s->ttl, proto, seg->len);
	put(o, seg->d, seg->len);
}

static void
udp_packet(struct buf *o, struct node *s, unsigned sport,
    const struct node *d, unsigned dport, const struct buf *data)
{
	uint8_t mem[PKT_MAX];
	struct buf seg = BUF_INIT(mem);

	udp_seg(&seg, sport, dport, data->d, data->len);
	ip_packet(o, s, d, P_UDP, &seg);
}

static unsigned
ip_ethertype(const struct buf *ip)
{
	return ip->len > 0 && ip->d[0] >> 4 == 6 ? 0x86dd : 0x0800;
}

/* Link layers. */
struct tag {
	unsigned	 tpid;
	unsigned	 vid;
};

static void
eth_frame(struct buf *o, const uint8_t *dst, const uint8_t *src,
    const struct tag *tags, size_t n_tags, unsigned type,
    const struct buf *payload)
{
	size_t i, start = o->len;

	put(o, dst, 6);
	put(o, src, 6);
	for (i = 0; i < n_tags; i++) {
		put_u16(o, tags[i].tpid);
		put_u16(o, tags[i].vid);	/* PCP 0, DEI 0 */
	}
	put_u16(o, type);
	put(o, payload->d, payload->len);
	if (o->len - start < 60)
		put_zero(o, 60 - (o->len - start));
}

/* Classic pcap and pcapng writers.  The whole file is built in memory. */
struct capw {
	struct buf	*f;
	bool		 ng;		/* pcapng */
	bool		 be;		/* of the file or current section */
	bool		 nsec;		/* classic pcap, nanoseconds */
	unsigned	 n_if;		/* pcapng: interfaces in section */
	unsigned	 tsresol[4];	/* pcapng: 6 or 9 per interface */
	uint32_t	 snaplen[4];
};

static void
pcap_begin(struct capw *w, struct buf *f, bool be, bool nsec,
    uint32_t snaplen, uint32_t linktype)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->be = be;
	w->nsec = nsec;
	put32o(f, be, nsec ? 0xa1b23c4d : 0xa1b2c3d4);
	put16o(f, be, 2);
	put16o(f, be, 4);
	put32o(f, be, 0);		/* thiszone */
	put32o(f, be, 0);		/* sigfigs */
	put32o(f, be, snaplen);
	put32o(f, be, linktype);
}

static void
pcap_record(struct capw *w, uint64_t t, const uint8_t *p, size_t caplen,
    size_t len)
{
	uint64_t frac = t % NS;

	put32o(w->f, w->be, (uint32_t)(t / NS));
	put32o(w->f, w->be, (uint32_t)(w->nsec ? frac : frac / US));
	put32o(w->f, w->be, (uint32_t)caplen);
	put32o(w->f, w->be, (uint32_t)len);
	put(w->f, p, caplen);
}

static size_t
png_open(struct capw *w, uint32_t type)
{
	size_t start = w->f->len;

	put32o(w->f, w->be, type);
	put32o(w->f, w->be, 0);		/* total length, set on close */
	return start;
}

static void
png_close(struct capw *w, size_t start)
{
	uint32_t total;

	pad4(w->f);
	total = (uint32_t)(w->f->len - start + 4);
	put32o(w->f, w->be, total);
	set32o(w->f, start + 4, w->be, total);
}

static void
png_opt(struct capw *w, unsigned code, const void *p, size_t len)
{
	put16o(w->f, w->be, code);
	put16o(w->f, w->be, (unsigned)len);
	put(w->f, p, len);
	pad4(w->f);
}

static void
png_endopt(struct capw *w)
{
	put32o(w->f, w->be, 0);		/* opt_endofopt */
}

/* Starts a section in byte order be; its interfaces start from 0. */
static void
png_shb(struct capw *w, struct buf *f, bool be)
{
	static const char app[] = "kasaudit gen-pcaps";
	size_t b;

	memset(w, 0, sizeof(*w));
	w->f = f;
	w->ng = true;
	w->be = be;
	b = png_open(w, 0x0a0d0d0a);
	put32o(f, be, 0x1a2b3c4d);
	put16o(f, be, 1);
	put16o(f, be, 0);
	put32o(f, be, 0xffffffff);	/* section length unknown */
	put32o(f, be, 0xffffffff);
	png_opt(w, 4, app, sizeof(app) - 1);	/* shb_userappl */
	png_endopt(w);
	png_close(w, b);
}

static unsigned
png_idb(struct capw *w, unsigned linktype, uint32_t snaplen, unsigned tsresol,
    const char *name)
{
	uint8_t r = (uint8_t)tsresol;
	size_t b;

	if (w->n_if >= 4)
		die("too many interfaces");
	b = png_open(w, 1);
	put16o(w->f, w->be, linktype);
	put16o(w->f, w->be, 0);
	put32o(w->f, w->be, snaplen);
	png_opt(w, 2, name, strlen(name));	/* if_name */
	png_opt(w, 9, &r, 1);			/* if_tsresol */
	png_endopt(w);
	png_close(w, b);
	w->tsresol[w->n_if] = tsresol;
	w->snaplen[w->n_if] = snaplen;
	return w->n_if++;
}

/* flags is epb_flags (1 inbound, 2 outbound) or 0 for no option. */
static void
png_epb(struct capw *w, unsigned ifid, uint64_t t, const uint8_t *p,
    size_t caplen, size_t len, uint32_t flags)
{
	uint64_t units;
	uint8_t fl[4];
	struct buf fb = BUF_INIT(fl);
	size_t b;

	if (ifid >= w->n_if)
		die("EPB for an unknown interface");
	units = w->tsresol[ifid] == 9 ? t : t / US;
	b = png_open(w, 6);
	put32o(w->f, w->be, ifid);
	put32o(w->f, w->be, (uint32_t)(units >> 32));
	put32o(w->f, w->be, (uint32_t)units);
	put32o(w->f, w->be, (uint32_t)caplen);
	put32o(w->f, w->be, (uint32_t)len);
	put(w->f, p, caplen);
	pad4(w->f);
	if (flags != 0) {
		put32o(&fb, w->be, flags);
		png_opt(w, 2, fl, 4);
		png_endopt(w);
	}
	png_close(w, b);
}

/* Simple Packet Block: always interface 0, no timestamp. */
static void
png_spb(struct capw *w, const uint8_t *p, size_t len)
{
	size_t b, caplen = len;

	if (w->n_if == 0)
		die("SPB before any interface");
	if (w->snaplen[0] != 0 && caplen > w->snaplen[0])
		caplen = w->snaplen[0];
	b = png_open(w, 3);
	put32o(w->f, w->be, (uint32_t)len);
	put(w->f, p, caplen);
	png_close(w, b);
}

/* One whole packet: a pcap record, or an EPB on interface 0. */
static void
cap_packet(struct capw *w, uint64_t t, const struct buf *pkt)
{
	if (w->ng)
		png_epb(w, 0, t, pkt->d, pkt->len, pkt->len, 0);
	else
		pcap_record(w, t, pkt->d, pkt->len, pkt->len);
}

static const char *outdir;

static void
write_file(const char *name, const uint8_t *p, size_t len)
{
	char path[4096];
	FILE *fp;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", outdir, name) >=
	    sizeof(path))
		die("output path too long");
	if ((fp = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "gen-pcaps: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if ((len > 0 && fwrite(p, 1, len, fp) != len) || fclose(fp) != 0) {
		fprintf(stderr, "gen-pcaps: %s: write failed\n", path);
		exit(1);
	}
}

static uint8_t file_mem[FILE_MAX];

static struct buf
file_buf(void)
{
	struct buf f = BUF_INIT(file_mem);

	return f;
}

/*
 * demo.pcap
 */
static struct node n_ws, n_res, n_web, n_branch, n_ws6, n_res6, n_lone,
    n_typo, n_noise, n_noise6, n_noise2, n_quad9, n_google, n_srv1, n_srv2,
    n_srv3, n_srv4;

static void
demo_nodes(void)
{
	n_ws = node("00:1b:21:3a:4f:01", "192.168.10.23", 0x1a00, 128);
	n_res = node("00:1b:21:3a:4f:fe", "192.168.10.1", 0x0400, 64);
	n_web = node("00:1b:21:3a:4f:02", "192.168.10.57", 0x2b00, 128);
	n_branch = node("00:1b:21:3a:4f:03", "10.20.0.5", 0x3c00, 127);
	n_ws6 = node("00:1b:21:3a:4f:04", "2001:db8:10::23", 0, 64);
	n_res6 = node("00:1b:21:3a:4f:fe", "2001:db8:10::1", 0, 64);
	n_lone = node("00:1b:21:3a:4f:05", "192.168.10.88", 0x4d00, 128);
	n_typo = node("00:1b:21:3a:4f:06", "192.168.10.90", 0x5e00, 64);
	n_noise = node("00:1b:21:3a:4f:07", "192.168.10.31", 0x6f00, 64);
	n_noise6 = node("00:1b:21:3a:4f:07", "2001:db8:10::31", 0, 64);
	n_noise2 = node("00:1b:21:3a:4f:08", "192.168.10.45", 0x7100, 128);
	n_quad9 = node("00:1b:21:3a:4f:fd", "9.9.9.9", 0x8200, 57);
	n_google = node("00:1b:21:3a:4f:fd", "8.8.8.8", 0x9300, 119);
	n_srv1 = node("00:1b:21:3a:4f:fd", "203.0.113.10", 0xa400, 52);
	n_srv2 = node("00:1b:21:3a:4f:fd", "203.0.113.20", 0xb500, 49);
	n_srv3 = node("00:1b:21:3a:4f:fd", "198.51.100.30", 0xc600, 55);
	n_srv4 = node("00:1b:21:3a:4f:fd", "203.0.113.40", 0xd700, 50);
}

static void
send_udp(struct capw *w, uint64_t t, struct node *s, unsigned sport,
    const struct node *d, unsigned dport, const struct buf *data)
{
	uint8_t im[PKT_MAX], fm[PKT_MAX];
	struct buf ip = BUF_INIT(im), fr = BUF_INIT(fm);

	udp_packet(&ip, s, sport, d, dport, data);
	eth_frame(&fr, d->mac, s->mac, NULL, 0, ip_ethertype(&ip), &ip);
	cap_packet(w, t, &fr);
}

static void
send_tcp(struct capw *w, uint64_t t, struct node *s, unsigned sport,
    const struct node *d, unsigned dport, uint32_t seq, uint32_t ack,
    unsigned flags)
{
	uint8_t sm[64], im[PKT_MAX], fm[PKT_MAX];
	struct buf seg = BUF_INIT(sm), ip = BUF_INIT(im), fr = BUF_INIT(fm);

	tcp_seg(&seg, sport, dport, seq, ack, flags);
	ip_packet(&ip, s, d, P_TCP, &seg);
	eth_frame(&fr, d->mac, s->mac, NULL, 0, ip_ethertype(&ip), &ip);
	cap_packet(w, t, &fr);
}

static void
dns_query(struct capw *w, uint64_t t, struct node *c, unsigned cport,
    struct node *sv, unsigned id, const char *name, unsigned qtype)
{
	uint8_t mm[PKT_MAX];
	struct buf m = BUF_INIT(mm);

	dns_msg(&m, id, F_QUERY, name, qtype, NULL, 0);
	send_udp(w, t, c, cport, sv, 53, &m);
}

static void
dns_reply(struct capw *w, uint64_t t, struct node *sv, struct node *c,
    unsigned cport, unsigned id, unsigned flags, const char *name,
    unsigned qtype, const struct rr *an, size_t n_an)
{
	uint8_t mm[PKT_MAX];
	struct buf m = BUF_INIT(mm);

	dns_msg(&m, id, flags, name, qtype, an, n_an);
	send_udp(w, t, sv, 53, c, cport, &m);
}

/* A query and its answer delay ns later. */
static void
dns_xchg(struct capw *w, uint64_t t, uint64_t delay, struct node *c,
    unsigned cport, struct node *sv, unsigned id, const char *name,
    unsigned qtype, unsigned flags, const struct rr *an, size_t n_an)
{
	dns_query(w, t, c, cport, sv, id, name, qtype);
	dns_reply(w, t + delay, sv, c, cport, id, flags, name, qtype, an,
	    n_an);
}

#define XCHG(w, t, d, c, cp, sv, id, name, qt, an) \
	dns_xchg((w), (t), (d), (c), (cp), (sv), (id), (name), (qt), \
	    F_ANSWER, (an), sizeof(an) / sizeof((an)[0]))

/* A client's TCP handshake to port 443 that carries no data. */
static void
tcp_handshake(struct capw *w, uint64_t t, struct node *c, unsigned cport,
    struct node *sv, uint32_t iss, uint32_t irs, uint64_t rtt)
{
	send_tcp(w, t, c, cport, sv, 443, iss, 0, TH_SYN);
	send_tcp(w, t + rtt, sv, 443, c, cport, irs, iss + 1, TH_SYN | TH_ACK);
	send_tcp(w, t + rtt + 150 * US, c, cport, sv, 443, iss + 1, irs + 1,
	    TH_ACK);
}

static const struct rr an_s10[] = {
	{ T_A, 3600, "80.239.170.10" }, { T_A, 3600, "80.239.170.11" },
};
static const struct rr an_s10_cached[] = {
	{ T_A, 3298, "80.239.170.10" }, { T_A, 3298, "80.239.170.11" },
};
static const struct rr an_dc1[] = { { T_A, 300, "79.133.169.10" } };

/* The workstation's first s10.upd lookup, relayed by the resolver. */
static void
demo_s10_relayed(struct capw *w, uint64_t t)
{
	dns_query(w, t, &n_ws, 51001, &n_res, 0x2a01,
	    "s10.upd.kaspersky.com", T_A);
	dns_query(w, t + 310 * US, &n_res, 40101, &n_quad9, 0x7c01,
	    "s10.upd.kaspersky.com", T_A);
	dns_reply(w, t + 14 * MS, &n_quad9, &n_res, 40101, 0x7c01, F_ANSWER,
	    "s10.upd.kaspersky.com", T_A, an_s10, 2);
	dns_reply(w, t + 14 * MS + 120 * US, &n_res, &n_ws, 51001, 0x2a01,
	    F_ANSWER, "s10.upd.kaspersky.com", T_A, an_s10, 2);
}

static void
demo_dc1(struct capw *w, uint64_t t)
{
	XCHG(w, t, 420 * US, &n_ws, 51002, &n_res, 0x2a02,
	    "dc1.ksn.kaspersky-labs.com", T_A, an_dc1);
}

static void
gen_demo(void)
{
	static const struct rr an_example[] = {
		{ T_A, 3600, "203.0.113.10" } };
	static const struct rr an_debian[] = {
		{ T_A, 300, "203.0.113.20" }, { T_A, 300, "203.0.113.21" } };
	static const struct rr an_debian6[] = {
		{ T_AAAA, 300, "2001:db8:ffff::20" } };
	static const struct rr an_wiki[] = {
		{ T_CNAME, 600, "dyna.wikimedia.org" },
		{ T_A, 600, "198.51.100.30" } };
	static const struct rr an_wiki6[] = {
		{ T_AAAA, 600, "2001:db8:ffff::30" } };
	static const struct rr an_github[] = {
		{ T_A, 60, "203.0.113.40" } };
	static const struct rr an_time[] = {
		{ T_CNAME, 900, "time.windows.example.net" },
		{ T_A, 900, "203.0.113.50" } };
	static const struct rr an_example_org[] = {
		{ T_A, 3600, "203.0.113.11" } };
	static const struct rr an_kernel[] = {
		{ T_A, 1800, "203.0.113.60" } };
	static const struct rr an_ksnurl[] = {
		{ T_A, 300, "79.133.169.20" } };
	static const struct rr an_www[] = {
		{ T_A, 300, "203.0.113.80" } };
	static const struct rr an_support[] = {
		{ T_A, 300, "203.0.113.81" } };
	static const struct rr an_downloads[] = {
		{ T_A, 1800, "80.239.170.20" },
		{ T_A, 1800, "80.239.170.21" } };
	static const struct rr an_ksnfile[] = {
		{ T_A, 300, "79.133.169.30" } };
	static const struct rr an_dc1v6[] = {
		{ T_AAAA, 300, "2a03:2480:68::10" } };
	static const struct rr an_act[] = {
		{ T_CNAME, 600, "activation-v2.geo.kaspersky.com" },
		{ T_A, 600, "77.74.176.10" } };
	static const struct rr an_s15[] = {
		{ T_A, 3600, "80.239.170.15" } };
	static const struct rr an_touch[] = {
		{ T_A, 600, "77.74.176.20" } };
	struct buf f = file_buf();
	struct capw w;

	demo_nodes();
	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	XCHG(&w, AT(0, 0), 380 * US, &n_noise, 52001, &n_res, 0x0b01,
	    "example.com", T_A, an_example);
	demo_s10_relayed(&w, AT(1, 200 * MS));
	tcp_handshake(&w, AT(2, 400 * MS), &n_noise, 49152, &n_srv1,
	    0x1c2d3e4f, 0x6a7b8c9d, 18 * MS);
	demo_dc1(&w, AT(5, 100 * MS));
	XCHG(&w, AT(9, 800 * MS), 11 * MS, &n_noise2, 53001, &n_res, 0x0c01,
	    "debian.org", T_A, an_debian);
	XCHG(&w, AT(9, 811 * MS + 300 * US), 12 * MS, &n_noise2, 53002,
	    &n_res, 0x0c02, "debian.org", T_AAAA, an_debian6);
	tcp_handshake(&w, AT(10, 400 * MS), &n_noise2, 50211, &n_srv2,
	    0x11223344, 0x55667788, 23 * MS);
	XCHG(&w, AT(12, 300 * MS), 450 * US, &n_ws, 51003, &n_res, 0x2a03,
	    "ksn-url-geo.kaspersky-labs.com", T_A, an_ksnurl);
	XCHG(&w, AT(20, 500 * MS), 9 * MS, &n_web, 54001, &n_res, 0x3b01,
	    "www.kaspersky.com", T_A, an_www);
	XCHG(&w, AT(21, 700 * MS), 8 * MS, &n_web, 54002, &n_res, 0x3b02,
	    "support.kaspersky.com", T_A, an_support);
	XCHG(&w, AT(33, 0), 15 * MS, &n_noise, 52002, &n_res, 0x0b02,
	    "www.wikipedia.org", T_A, an_wiki);
	tcp_handshake(&w, AT(33, 40 * MS), &n_noise, 49153, &n_srv3,
	    0x2468ace0, 0x13579bdf, 12 * MS);
	XCHG(&w, AT(45, 0), 21 * MS, &n_branch, 55001, &n_google, 0x4c01,
	    "downloads.upd.kaspersky.com", T_A, an_downloads);
	XCHG(&w, AT(46, 200 * MS), 19 * MS, &n_branch, 55002, &n_google,
	    0x4c02, "ksn-file-geo.kaspersky-labs.com", T_A, an_ksnfile);
	XCHG(&w, AT(60, 0), 13 * MS, &n_ws6, 56001, &n_res6, 0x5d01,
	    "dc1.ksn.kaspersky-labs.com", T_AAAA, an_dc1v6);
	XCHG(&w, AT(75, 400 * MS), 16 * MS, &n_ws, 51004, &n_res, 0x2a04,
	    "activation-v2.kaspersky.com", T_A, an_act);
	XCHG(&w, AT(95, 0), 14 * MS, &n_noise6, 57001, &n_res6, 0x0d01,
	    "wikipedia.org", T_AAAA, an_wiki6);
	dns_reply(&w, AT(120, 0), &n_res, &n_lone, 58001, 0x6e01, F_ANSWER,
	    "s15.upd.kaspersky.com", T_A, an_s15, 1);
	dns_xchg(&w, AT(140, 0), 2 * MS, &n_noise2, 53003, &n_res, 0x0c03,
	    "_ldap._tcp.dc._msdcs.corp.example", T_SRV, F_NXDOMAIN, NULL, 0);
	dns_xchg(&w, AT(150, 0), 25 * MS, &n_typo, 59001, &n_res, 0x7f01,
	    "notkaspersky-labs.com", T_A, F_NXDOMAIN, NULL, 0);
	dns_xchg(&w, AT(151, 0), 27 * MS, &n_typo, 59002, &n_res, 0x7f02,
	    "kaspersky.com.evil.example", T_A, F_NXDOMAIN, NULL, 0);
	XCHG(&w, AT(180, 600 * MS), 17 * MS, &n_ws, 51005, &n_res, 0x2a05,
	    "touch.kaspersky.com", T_A, an_touch);
	XCHG(&w, AT(250, 0), 20 * MS, &n_ws, 51006, &n_res, 0x2a06,
	    "time.windows.com", T_A, an_time);
	XCHG(&w, AT(301, 200 * MS), 390 * US, &n_ws, 51007, &n_res, 0x2a07,
	    "s10.upd.kaspersky.com", T_A, an_s10_cached);
	XCHG(&w, AT(420, 0), 22 * MS, &n_noise2, 53004, &n_res, 0x0c04,
	    "github.com", T_A, an_github);
	tcp_handshake(&w, AT(420, 30 * MS), &n_noise2, 50212, &n_srv4,
	    0x0badcafe, 0x0ddba11, 31 * MS);
	XCHG(&w, AT(530, 0), 410 * US, &n_noise, 52003, &n_res, 0x0b03,
	    "example.org", T_A, an_example_org);
	XCHG(&w, AT(598, 0), 18 * MS, &n_noise2, 53005, &n_res, 0x0c05,
	    "kernel.org", T_A, an_kernel);
	write_file("demo.pcap", f.d, f.len);
}

/*
 * The two-packet files.
 */
enum ipkind { IP4, IP6, IP6EXT };

static const uint8_t mac_client[6] = { 0x00, 0x1b, 0x21, 0x00, 0x00, 0x10 };
static const uint8_t mac_server[6] = { 0x00, 0x1b, 0x21, 0x00, 0x00, 0x53 };

/* IPv6 hop-by-hop then destination options, each a 6-byte PadN. */
static void
ip6_ext_packet(struct buf *o, struct node *s, const struct node *d,
    struct buf *seg)
{
	static const uint8_t ext[16] = {
		60, 0, 1, 4, 0, 0, 0, 0,	/* hop-by-hop, next dstopts */
		P_UDP, 0, 1, 4, 0, 0, 0, 0,	/* dstopts, next UDP */
	};

	l4_checksum(seg, AF_INET6, s->ip, d->ip, P_UDP);
	ip6_header(o, s->ip, d->ip, s->ttl, 0, sizeof(ext) + seg->len);
	put(o, ext, sizeof(ext));
	put(o, seg->d, seg->len);
}

/*
 * The query for sNN.upd.kaspersky.com (id 0x1111 * n) and its answer
 * A 80.239.170.n, as IP packets; the client port is 40000 + n - 1.
 */
static void
pair_ip(struct buf *q, struct buf *r, enum ipkind k, unsigned dport,
    unsigned n)
{
	uint8_t mm[PKT_MAX], sm[PKT_MAX];
	struct buf m = BUF_INIT(mm), seg = BUF_INIT(sm);
	struct node c, s;
	char name[64], addr[32];
	struct rr an = { T_A, 300, addr };
	unsigned cport = 40000 + n - 1;

	snprintf(name, sizeof(name), "s%02u.upd.kaspersky.com", n);
	snprintf(addr, sizeof(addr), "80.239.170.%u", n);
	if (k == IP4) {
		c = node("00:1b:21:00:00:10", "192.0.2.10", 0x4000 + n, 64);
		s = node("00:1b:21:00:00:53", "192.0.2.53", 0x8000 + n, 64);
	} else {
		c = node("00:1b:21:00:00:10", "2001:db8::10", 0, 64);
		s = node("00:1b:21:00:00:53", "2001:db8::53", 0, 64);
	}

	dns_msg(&m, 0x1111 * n, F_QUERY, name, T_A, NULL, 0);
	udp_seg(&seg, cport, dport, m.d, m.len);
	if (k == IP6EXT)
		ip6_ext_packet(q, &c, &s, &seg);
	else
		ip_packet(q, &c, &s, P_UDP, &seg);

	m.len = seg.len = 0;
	dns_msg(&m, 0x1111 * n, F_ANSWER, name, T_A, &an, 1);
	udp_seg(&seg, dport, cport, m.d, m.len);
	if (k == IP6EXT)
		ip6_ext_packet(r, &s, &c, &seg);
	else
		ip_packet(r, &s, &c, P_UDP, &seg);
}

/* dir 0 is the query (client to server), 1 the answer. */
typedef void wrap_fn(struct buf *, const struct buf *, int, bool);

static void
eth_dir(struct buf *o, const struct buf *ip, int dir, const struct tag *tags,
    size_t n_tags, unsigned type)
{
	eth_frame(o, dir ? mac_client : mac_server, dir ? mac_server :
	    mac_client, tags, n_tags, type, ip);
}

static void
wrap_eth(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)be;
	eth_dir(o, ip, dir, NULL, 0, ip_ethertype(ip));
}

static void
wrap_vlan(struct buf *o, const struct buf *ip, int dir, bool be)
{
	static const struct tag t[] = { { 0x8100, 11 } };

	(void)be;
	eth_dir(o, ip, dir, t, 1, ip_ethertype(ip));
}

static void
wrap_qinq(struct buf *o, const struct buf *ip, int dir, bool be)
{
	static const struct tag t[] = { { 0x88a8, 100 }, { 0x8100, 200 } };

	(void)be;
	eth_dir(o, ip, dir, t, 2, ip_ethertype(ip));
}

static void
wrap_qinq9100(struct buf *o, const struct buf *ip, int dir, bool be)
{
	static const struct tag t[] = { { 0x9100, 300 }, { 0x8100, 301 } };

	(void)be;
	eth_dir(o, ip, dir, t, 2, ip_ethertype(ip));
}

static void
wrap_qinqinq(struct buf *o, const struct buf *ip, int dir, bool be)
{
	static const struct tag t[] = {
		{ 0x88a8, 10 }, { 0x8100, 20 }, { 0x8100, 30 } };

	(void)be;
	eth_dir(o, ip, dir, t, 3, ip_ethertype(ip));
}

/* RFC 3032 label stack entries: label, TC 0, S on the last, TTL 64. */
static void
wrap_mpls(struct buf *o, const struct buf *ip, int dir, bool be)
{
	uint8_t pm[PKT_MAX];
	struct buf p = BUF_INIT(pm);

	(void)be;
	put_u32(&p, 1000u << 12 | 64);
	put_u32(&p, 2000u << 12 | 1u << 8 | 64);
	put(&p, ip->d, ip->len);
	eth_dir(o, &p, dir, NULL, 0, 0x8847);
}

/* RFC 2516 session stage; the length covers the PPP protocol field. */
static void
wrap_pppoe(struct buf *o, const struct buf *ip, int dir, bool be)
{
	uint8_t pm[PKT_MAX];
	struct buf p = BUF_INIT(pm);

	(void)be;
	put_u8(&p, 0x11);		/* version 1, type 1 */
	put_u8(&p, 0x00);		/* session data */
	put_u16(&p, 0x0042);
	put_u16(&p, (unsigned)(ip->len + 2));
	put_u16(&p, ip_ethertype(ip) == 0x86dd ? 0x0057 : 0x0021);
	put(&p, ip->d, ip->len);
	eth_dir(o, &p, dir, NULL, 0, 0x8864);
}

/* Captured on the client: the query goes out (4), the answer is to us
 * (0); the address is the sender's MAC. */
static void
wrap_sll(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)be;
	put_u16(o, dir ? 0 : 4);
	put_u16(o, 1);			/* ARPHRD_ETHER */
	put_u16(o, 6);
	put(o, dir ? mac_server : mac_client, 6);
	put_zero(o, 2);
	put_u16(o, ip_ethertype(ip));
	put(o, ip->d, ip->len);
}

static void
wrap_sll2(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)be;
	put_u16(o, ip_ethertype(ip));
	put_u16(o, 0);			/* reserved */
	put_u32(o, 2);			/* interface index */
	put_u16(o, 1);			/* ARPHRD_ETHER */
	put_u8(o, dir ? 0 : 4);
	put_u8(o, 6);
	put(o, dir ? mac_server : mac_client, 6);
	put_zero(o, 2);
	put(o, ip->d, ip->len);
}

static void
wrap_raw(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)dir;
	(void)be;
	put(o, ip->d, ip->len);
}

/* NULL: the address family in the writer's byte order (the file's). */
static void
wrap_null(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)dir;
	put32o(o, be, ip_ethertype(ip) == 0x86dd ? 30 : 2);
	put(o, ip->d, ip->len);
}

/* LOOP: the address family in network byte order. */
static void
wrap_loop(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)dir;
	(void)be;
	put_u32(o, ip_ethertype(ip) == 0x86dd ? 30 : 2);
	put(o, ip->d, ip->len);
}

/* The BSSID of the access point the two talk through. */
static const uint8_t mac_ap[6] = { 0x02, 0x00, 0x5e, 0x00, 0x00, 0xa1 };

/*
 * NFLOG (iptables -j NFLOG --nflog-group 5 --nflog-prefix audit): family,
 * version 0, group 5 big-endian, then attributes whose length and type are
 * in the logging host's order (be), each padded to 4 bytes: the packet
 * header, the prefix, the payload.
 */
static void
wrap_nflog(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)dir;
	put_u8(o, ip_ethertype(ip) == 0x86dd ? 10 : 2);
	put_u8(o, 0);
	put_u16(o, 5);
	put16o(o, be, 8);		/* NFULA_PACKET_HDR */
	put16o(o, be, 1);
	put_u16(o, ip_ethertype(ip));
	put_u8(o, 3);			/* hook: NF_INET_FORWARD */
	put_u8(o, 0);
	put16o(o, be, 4 + 6);		/* NFULA_PREFIX "audit\0" */
	put16o(o, be, 10);
	put(o, "audit", 6);
	pad4(o);
	put16o(o, be, (unsigned)(4 + ip->len));	/* NFULA_PAYLOAD */
	put16o(o, be, 9);
	put(o, ip->d, ip->len);
	pad4(o);
}

/* PPP in HDLC-like framing (RFC 1662): ff 03, then the protocol. */
static void
wrap_ppp(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)dir;
	(void)be;
	put_u8(o, 0xff);
	put_u8(o, 0x03);
	put_u16(o, ip_ethertype(ip) == 0x86dd ? 0x0057 : 0x0021);
	put(o, ip->d, ip->len);
}

/* PPP_WITH_DIR: a direction byte (1: sent), no address and control,
 * the protocol field compressed to one byte (RFC 1661 6.5, 6.6). */
static void
wrap_ppp_dir(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)be;
	put_u8(o, dir ? 0 : 1);
	put_u8(o, ip_ethertype(ip) == 0x86dd ? 0x57 : 0x21);
	put(o, ip->d, ip->len);
}

/* Cisco HDLC: unicast address, control 0, an ethertype. */
static void
wrap_chdlc(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)dir;
	(void)be;
	put_u8(o, 0x0f);
	put_u8(o, 0x00);
	put_u16(o, ip_ethertype(ip));
	put(o, ip->d, ip->len);
}

/* macOS PKTAP: a 108-byte little-endian header naming the interface, the
 * process and the DLT of the frame that follows (here Ethernet). */
static void
wrap_pktap(struct buf *o, const struct buf *ip, int dir, bool be)
{
	size_t start = o->len;
	char name[24] = "en0", comm[17] = "kavfs";

	(void)be;
	put32o(o, false, 108);		/* pth_length */
	put32o(o, false, 1);		/* pth_type_next: a packet */
	put32o(o, false, LT_ETHER);	/* pth_dlt */
	put(o, name, sizeof(name));
	put32o(o, false, 0);		/* flags */
	put32o(o, false, ip_ethertype(ip) == 0x86dd ? 30 : 2);
	put32o(o, false, 0);		/* frame pre length */
	put32o(o, false, 0);		/* frame post length */
	put32o(o, false, 4242);		/* pid */
	put(o, comm, sizeof(comm));
	put_zero(o, 108 - (o->len - start));
	wrap_eth(o, ip, dir, false);
}

/*
 * An 802.11 data frame, the client (station) talking through the AP: the
 * query goes to the DS, the answer comes from it.  qos: a QoS data frame;
 * wds: four addresses (both DS bits).  LLC/SNAP then the ethertype.
 */
static void
wlan_frame(struct buf *o, const struct buf *ip, int dir, bool qos, bool wds)
{
	const uint8_t *sa = dir ? mac_server : mac_client;
	const uint8_t *da = dir ? mac_client : mac_server;

	put_u8(o, qos ? 0x88 : 0x08);
	put_u8(o, wds ? 0x03 : dir ? 0x02 : 0x01);
	put_u16(o, 0);			/* duration */
	if (wds) {
		put(o, mac_ap, 6);	/* RA, TA, DA, SA */
		put(o, mac_ap, 6);
		put(o, da, 6);
		put_u16(o, 0x1000);	/* sequence 256, fragment 0 */
		put(o, sa, 6);
	} else {
		put(o, dir ? da : mac_ap, 6);
		put(o, dir ? mac_ap : sa, 6);
		put(o, dir ? sa : da, 6);
		put_u16(o, 0x1000);
	}
	if (qos)
		put_u16(o, 0x0000);	/* TID 0 */
	put_u8(o, 0xaa);
	put_u8(o, 0xaa);
	put_u8(o, 0x03);
	put_zero(o, 3);
	put_u16(o, ip_ethertype(ip));
	put(o, ip->d, ip->len);
}

static void
wrap_wlan(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)be;
	wlan_frame(o, ip, dir, false, false);
}

/* Radiotap: flags and rate present, padded to 12 bytes; QoS data, the
 * answer with four addresses (a mesh or WDS link). */
static void
wrap_radiotap(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)be;
	put_u8(o, 0);			/* version */
	put_u8(o, 0);
	put16o(o, false, 12);
	put32o(o, false, 0x00000006);	/* flags, rate */
	put_u8(o, 0);
	put_u8(o, 0x0c);		/* 6 Mb/s */
	put_zero(o, 2);
	wlan_frame(o, ip, dir, true, dir == 1);
}

/* Prism monitor header: message code, length 144, device, items. */
static void
wrap_prism(struct buf *o, const struct buf *ip, int dir, bool be)
{
	char dev[16] = "wlan0";

	(void)be;
	put32o(o, false, 0x00000044);
	put32o(o, false, 144);
	put(o, dev, sizeof(dev));
	put_zero(o, 144 - 24);
	wlan_frame(o, ip, dir, false, false);
}

/* AVS (wlan-ng) version 1: big-endian cookie and length 64. */
static void
wrap_avs(struct buf *o, const struct buf *ip, int dir, bool be)
{
	(void)be;
	put_u32(o, 0x80211001u);
	put_u32(o, 64);
	put_zero(o, 64 - 8);
	wlan_frame(o, ip, dir, true, false);
}

struct variant {
	const char	*file;
	unsigned	 linktype;
	bool		 be;
	bool		 nsec;
	enum ipkind	 ip;
	wrap_fn		*wrap;
};

static const struct variant variants[] = {
	{ "lt-pcap-us-le.pcap", LT_ETHER, false, false, IP4, wrap_eth },
	{ "lt-pcap-us-be.pcap", LT_ETHER, true, false, IP4, wrap_eth },
	{ "lt-pcap-ns-le.pcap", LT_ETHER, false, true, IP4, wrap_eth },
	{ "lt-pcap-ns-be.pcap", LT_ETHER, true, true, IP4, wrap_eth },
	{ "lt-vlan.pcap", LT_ETHER, false, false, IP4, wrap_vlan },
	{ "lt-qinq.pcap", LT_ETHER, false, false, IP4, wrap_qinq },
	{ "lt-qinq9100.pcap", LT_ETHER, false, false, IP4, wrap_qinq9100 },
	{ "lt-qinqinq.pcap", LT_ETHER, false, false, IP4, wrap_qinqinq },
	{ "lt-mpls.pcap", LT_ETHER, false, false, IP4, wrap_mpls },
	{ "lt-pppoe.pcap", LT_ETHER, false, false, IP4, wrap_pppoe },
	{ "lt-pppoe6.pcap", LT_ETHER, false, false, IP6, wrap_pppoe },
	{ "lt-sll.pcap", LT_SLL, false, false, IP4, wrap_sll },
	{ "lt-sll2.pcap", LT_SLL2, false, false, IP4, wrap_sll2 },
	{ "lt-raw101.pcap", LT_RAW, false, false, IP4, wrap_raw },
	{ "lt-raw12.pcap", LT_RAW12, false, false, IP6, wrap_raw },
	{ "lt-ipv4.pcap", LT_IPV4, false, false, IP4, wrap_raw },
	{ "lt-ipv6.pcap", LT_IPV6, false, false, IP6, wrap_raw },
	{ "lt-null-le.pcap", LT_NULL, false, false, IP4, wrap_null },
	{ "lt-null-be6.pcap", LT_NULL, true, false, IP6, wrap_null },
	{ "lt-loop.pcap", LT_LOOP, false, false, IP4, wrap_loop },
	{ "lt-ipv6-ext.pcap", LT_ETHER, false, false, IP6EXT, wrap_eth },
	{ "lt-nflog.pcap", LT_NFLOG, false, false, IP4, wrap_nflog },
	{ "lt-nflog6-be.pcap", LT_NFLOG, true, false, IP6, wrap_nflog },
	{ "lt-ppp.pcap", LT_PPP, false, false, IP4, wrap_ppp },
	{ "lt-ppp-hdlc.pcap", LT_PPP_HDLC, false, false, IP6, wrap_ppp },
	{ "lt-ppp-dir.pcap", LT_PPP_DIR, false, false, IP4, wrap_ppp_dir },
	{ "lt-chdlc.pcap", LT_C_HDLC, false, false, IP4, wrap_chdlc },
	{ "lt-chdlc50.pcap", LT_PPP_HDLC, false, false, IP4, wrap_chdlc },
	{ "lt-pktap.pcap", LT_PKTAP, false, false, IP4, wrap_pktap },
	{ "lt-wlan.pcap", LT_IEEE80211, false, false, IP4, wrap_wlan },
	{ "lt-radiotap.pcap", LT_RADIOTAP, false, false, IP4, wrap_radiotap },
	{ "lt-prism.pcap", LT_PRISM, false, false, IP4, wrap_prism },
	{ "lt-avs.pcap", LT_AVS, false, false, IP6, wrap_avs },
};

#define PAIR_Q		AT(0, 123456789)
#define PAIR_R		AT(0, 135802468)

static void
gen_variants(void)
{
	const struct variant *v;
	size_t i;
	int dir;

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		uint8_t qm[PKT_MAX], rm[PKT_MAX], fm[PKT_MAX];
		struct buf q = BUF_INIT(qm), r = BUF_INIT(rm);
		struct buf f = file_buf();
		struct capw w;

		v = &variants[i];
		pair_ip(&q, &r, v->ip, 53, 1);
		pcap_begin(&w, &f, v->be, v->nsec, 262144, v->linktype);
		for (dir = 0; dir < 2; dir++) {
			struct buf fr = BUF_INIT(fm);

			v->wrap(&fr, dir ? &r : &q, dir, v->be);
			cap_packet(&w, dir ? PAIR_R : PAIR_Q, &fr);
		}
		write_file(v->file, f.d, f.len);
	}
}

static void
gen_wlan_skip(void)
{
	static const uint8_t beacon[] = {
		0x80, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x5e, 0x00, 0x00, 0xa1, 0x02, 0x00, 0x5e, 0x00,
		0x00, 0xa1, 0x00, 0x00,
	};
	uint8_t qm[PKT_MAX], rm[PKT_MAX], fm[PKT_MAX], wm[PKT_MAX];
	struct buf q = BUF_INIT(qm), r = BUF_INIT(rm), fr = BUF_INIT(fm);
	struct buf wf = BUF_INIT(wm);
	struct buf f = file_buf();
	struct capw w;
	unsigned i;

	pair_ip(&q, &r, IP4, 53, 1);
	pcap_begin(&w, &f, false, false, 262144, LT_RADIOTAP);
	for (i = 0; i < 5; i++) {
		fr.len = wf.len = 0;
		put_u8(&fr, 0);
		put_u8(&fr, 0);
		put16o(&fr, false, 8);
		put32o(&fr, false, 0);		/* nothing present */
		switch (i) {
		case 0:
			put(&fr, beacon, sizeof(beacon));
			break;
		case 1:				/* protected: CCMP */
			wlan_frame(&wf, &q, 0, true, false);
			wf.d[1] |= 0x40;
			put(&fr, wf.d, wf.len);
			break;
		case 2:				/* QoS null: no body */
			wlan_frame(&wf, &q, 0, true, false);
			wf.d[0] = 0xc8;
			put(&fr, wf.d, 26);
			break;
		case 3:				/* fragment 1 */
			wlan_frame(&wf, &q, 0, false, false);
			wf.d[22] |= 1;
			put(&fr, wf.d, wf.len);
			break;
		default:			/* +HTC */
			wlan_frame(&wf, &q, 0, true, false);
			wf.d[1] |= 0x80;
			put(&fr, wf.d, 26);
			put_zero(&fr, 4);
			put(&fr, wf.d + 26, wf.len - 26);
			break;
		}
		cap_packet(&w, PAIR_Q + i * MS, &fr);
	}
	write_file("lt-wlan-skip.pcap", f.d, f.len);
}

static void
gen_dns_port(void)
{
	uint8_t qm[PKT_MAX], rm[PKT_MAX], fm[PKT_MAX];
	struct buf q = BUF_INIT(qm), r = BUF_INIT(rm), fr = BUF_INIT(fm);
	struct buf f = file_buf();
	struct capw w;

	pair_ip(&q, &r, IP4, 5300, 1);
	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	wrap_eth(&fr, &q, 0, false);
	cap_packet(&w, PAIR_Q, &fr);
	fr.len = 0;
	wrap_eth(&fr, &r, 1, false);
	cap_packet(&w, PAIR_R, &fr);
	write_file("dns-port.pcap", f.d, f.len);
}

/* Appends to fr the frame of pair n's query (dir 0) or answer (dir 1). */
static void
pair_frame(struct buf *fr, wrap_fn *wrap, unsigned n, int dir, bool be)
{
	uint8_t qm[PKT_MAX], rm[PKT_MAX];
	struct buf q = BUF_INIT(qm), r = BUF_INIT(rm);

	pair_ip(&q, &r, IP4, 53, n);
	wrap(fr, dir ? &r : &q, dir, be);
}

static void
gen_pcapng_multi(void)
{
	uint8_t fm[PKT_MAX];
	struct buf f = file_buf(), fr = BUF_INIT(fm);
	struct capw w;
	unsigned eth, sll2, raw;

	png_shb(&w, &f, false);
	eth = png_idb(&w, LT_ETHER, 65535, 6, "eth0");
	sll2 = png_idb(&w, LT_SLL2, 262144, 6, "any");
	pair_frame(&fr, wrap_eth, 1, 0, false);
	png_epb(&w, eth, PAIR_Q, fr.d, fr.len, fr.len, 0);
	fr.len = 0;
	pair_frame(&fr, wrap_sll2, 1, 1, false);
	png_epb(&w, sll2, PAIR_R, fr.d, fr.len, fr.len, 1);
	raw = png_idb(&w, LT_RAW, 1500, 9, "tun0");
	fr.len = 0;
	pair_frame(&fr, wrap_raw, 2, 0, false);
	png_epb(&w, raw, AT(1, 234567891), fr.d, fr.len, fr.len, 0);
	fr.len = 0;
	pair_frame(&fr, wrap_raw, 2, 1, false);
	png_epb(&w, raw, AT(1, 246913578), fr.d, fr.len, fr.len, 0);
	fr.len = 0;
	pair_frame(&fr, wrap_eth, 3, 0, false);
	png_spb(&w, fr.d, fr.len);
	write_file("lt-pcapng-multi.pcapng", f.d, f.len);
}

static void
gen_pcapng_sections(void)
{
	uint8_t fm[PKT_MAX];
	struct buf f = file_buf(), fr = BUF_INIT(fm);
	struct capw w;
	int dir;

	png_shb(&w, &f, false);
	png_idb(&w, LT_ETHER, 262144, 6, "eth0");
	for (dir = 0; dir < 2; dir++) {
		fr.len = 0;
		pair_frame(&fr, wrap_eth, 1, dir, false);
		cap_packet(&w, dir ? PAIR_R : PAIR_Q, &fr);
	}
	png_shb(&w, &f, true);
	png_idb(&w, LT_RAW, 262144, 6, "tun0");
	for (dir = 0; dir < 2; dir++) {
		fr.len = 0;
		pair_frame(&fr, wrap_raw, 4, dir, true);
		cap_packet(&w, dir ? AT(2, 135802468) : AT(2, 123456789),
		    &fr);
	}
	write_file("lt-pcapng-sections.pcapng", f.d, f.len);
}

/* Bytes that are no protocol in particular, the same on every run. */
static void
junk(struct buf *o, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		put_u8(o, (seed + (unsigned)i * 37u) * 11u + 5u);
}

static void
gen_unsupported(void)
{
	uint8_t fm[PKT_MAX];
	struct buf f = file_buf();
	struct capw w;
	unsigned i;

	pcap_begin(&w, &f, false, false, 262144, LT_DOCSIS);
	for (i = 0; i < 3; i++) {
		struct buf fr = BUF_INIT(fm);

		junk(&fr, 40 + 8 * i, i);
		cap_packet(&w, AT(i, 0), &fr);
	}
	write_file("lt-unsupported.pcap", f.d, f.len);
}

static void
gen_mixed_unsupported(void)
{
	uint8_t fm[PKT_MAX];
	struct buf f = file_buf(), fr = BUF_INIT(fm);
	struct capw w;
	unsigned eth, user;

	png_shb(&w, &f, false);
	eth = png_idb(&w, LT_ETHER, 262144, 6, "eth0");
	user = png_idb(&w, LT_USER0, 65535, 6, "user0");
	pair_frame(&fr, wrap_eth, 1, 0, false);
	png_epb(&w, eth, PAIR_Q, fr.d, fr.len, fr.len, 0);
	fr.len = 0;
	junk(&fr, 36, 1);
	png_epb(&w, user, PAIR_Q + 5 * MS, fr.d, fr.len, fr.len, 0);
	fr.len = 0;
	pair_frame(&fr, wrap_eth, 1, 1, false);
	png_epb(&w, eth, PAIR_R, fr.d, fr.len, fr.len, 0);
	fr.len = 0;
	junk(&fr, 52, 2);
	png_epb(&w, user, PAIR_R + 5 * MS, fr.d, fr.len, fr.len, 0);
	write_file("lt-mixed-unsupported.pcapng", f.d, f.len);
}

/*
 * Bad inputs.
 */
static void
gen_bad_truncated(void)
{
	struct buf f = file_buf();
	struct capw w;
	size_t rec5;

	demo_nodes();
	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	demo_s10_relayed(&w, AT(1, 200 * MS));
	rec5 = f.len;
	demo_dc1(&w, AT(5, 100 * MS));
	/* 16-byte record header, then half of the frame. */
	write_file("bad-truncated.pcap", f.d, rec5 + 16 +
	    (f.d[rec5 + 8] | (size_t)f.d[rec5 + 9] << 8) / 2);
}

static void
gen_bad_corrupt(void)
{
	uint8_t fm[PKT_MAX];
	struct buf f = file_buf(), fr = BUF_INIT(fm);
	struct capw w;

	png_shb(&w, &f, false);
	png_idb(&w, LT_ETHER, 262144, 6, "eth0");
	pair_frame(&fr, wrap_eth, 1, 0, false);
	cap_packet(&w, PAIR_Q, &fr);
	fr.len = 0;
	pair_frame(&fr, wrap_eth, 1, 1, false);
	cap_packet(&w, PAIR_R, &fr);
	fr.len = 0;
	pair_frame(&fr, wrap_eth, 2, 0, false);
	cap_packet(&w, AT(1, 0), &fr);
	put32o(&f, false, 6);		/* EPB ... */
	put32o(&f, false, 7);		/* ... that no block can be */
	fr.len = 0;
	pair_frame(&fr, wrap_eth, 3, 0, false);
	cap_packet(&w, AT(2, 0), &fr);
	write_file("bad-corrupt.pcapng", f.d, f.len);
}

static void
gen_bad_small(void)
{
	static const char text[] = "this is not a capture\n";

	write_file("bad-notcapture.pcap", (const uint8_t *)text,
	    sizeof(text) - 1);
	write_file("bad-empty.pcap", NULL, 0);
}

static void
gen_bad_hugecaplen(void)
{
	uint8_t fm[PKT_MAX];
	struct buf f = file_buf(), fr = BUF_INIT(fm);
	struct capw w;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	pair_frame(&fr, wrap_eth, 1, 0, false);
	cap_packet(&w, PAIR_Q, &fr);
	fr.len = 0;
	pair_frame(&fr, wrap_eth, 1, 1, false);
	cap_packet(&w, PAIR_R, &fr);
	fr.len = 0;
	pair_frame(&fr, wrap_eth, 2, 0, false);
	pcap_record(&w, AT(1, 0), fr.d, 40, 40);
	set32o(&f, f.len - 40 - 8, false, 0x7fffffff);
	set32o(&f, f.len - 40 - 4, false, 0x7fffffff);
	write_file("bad-hugecaplen.pcap", f.d, f.len);
}

/*
 * dns-malformed.pcap: DNS payloads built by hand where they break rules.
 */
static void
malformed_send(struct capw *w, uint64_t t, unsigned n, const struct buf *m,
    size_t caplen)
{
	uint8_t im[PKT_MAX], fm[PKT_MAX];
	struct buf ip = BUF_INIT(im), fr = BUF_INIT(fm);
	struct node c = node("00:1b:21:00:00:10", "192.0.2.10", 0x4100 + n,
	    64);
	struct node s = node("00:1b:21:00:00:53", "192.0.2.53", 0x8100 + n,
	    64);
	bool answer = (m->d[2] & 0x80) != 0;

	if (answer)
		udp_packet(&ip, &s, 53, &c, 40010 + n, m);
	else
		udp_packet(&ip, &c, 40010 + n, &s, 53, m);
	wrap_eth(&fr, &ip, answer, false);
	if (caplen == 0 || caplen > fr.len)
		caplen = fr.len;
	pcap_record(w, t, fr.d, caplen, fr.len);
}

static void
gen_dns_malformed(void)
{
	static const uint8_t loop[] = { 3, 's', '1', '0', 3, 'u', 'p', 'd',
	    0xc0, 12 };
	static const uint8_t overrun[] = { 3, 's', '1', '0', 3, 'u', 'p', 'd',
	    63, 'k', 'a', 's', 'p' };
	static const uint8_t nul_label[] = { 10, 'b', 'a', 'd', 0, ' ', 'l',
	    'a', 'b', 'e', 'l' };
	uint8_t mm[PKT_MAX], a[4];
	struct buf f = file_buf(), m = BUF_INIT(mm);
	struct capw w;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	dns_header(&m, 0x5001, F_QUERY);
	dns_bump(&m, DNS_QD);
	put(&m, loop, sizeof(loop));
	put_u16(&m, T_A);
	put_u16(&m, 1);
	malformed_send(&w, AT(0, 0), 1, &m, 0);

	m.len = 0;
	dns_header(&m, 0x5002, F_QUERY);
	dns_bump(&m, DNS_QD);
	put(&m, overrun, sizeof(overrun));
	malformed_send(&w, AT(1, 0), 2, &m, 0);

	m.len = 0;
	dns_msg(&m, 0x5003, F_QUERY, "S10.UPD.Kaspersky.COM", T_A, NULL, 0);
	malformed_send(&w, AT(2, 0), 3, &m, 0);

	m.len = 0;
	dns_header(&m, 0x5004, F_QUERY);
	dns_bump(&m, DNS_QD);
	put(&m, nul_label, sizeof(nul_label));
	put_name(&m, "ksn.kaspersky-labs.com");
	put_u16(&m, T_A);
	put_u16(&m, 1);
	malformed_send(&w, AT(3, 0), 4, &m, 0);

	m.len = 0;
	dns_header(&m, 0x5005, F_ANSWER);
	put_name(&m, "s11.upd.kaspersky.com");
	put_u16(&m, T_A);
	put_u16(&m, 1);
	put_u32(&m, 300);
	put_u16(&m, 4);
	parse_ip(AF_INET, "80.239.170.11", a);
	put(&m, a, 4);
	dns_bump(&m, DNS_AN);
	malformed_send(&w, AT(4, 0), 5, &m, 0);

	/* 14 + 20 + 8 + 12 bytes of headers, then 10 of the name. */
	m.len = 0;
	dns_msg(&m, 0x5006, F_QUERY, "s05.upd.kaspersky.com", T_A, NULL, 0);
	malformed_send(&w, AT(5, 0), 6, &m, 64);

	m.len = 0;
	dns_msg(&m, 0x5007, F_QUERY, "s06.upd.kaspersky.com", T_A, NULL, 0);
	malformed_send(&w, AT(6, 0), 7, &m, 0);
	write_file("dns-malformed.pcap", f.d, f.len);
}

/*
 * frags.pcap
 */
static void
gen_frags(void)
{
	static const unsigned order[3] = { 2, 0, 1 };	/* last first mid */
	static const size_t v4cut[4] = { 0, 256, 512, 0 };
	uint8_t mm[PKT_MAX], sm[PKT_MAX], fm[PKT_MAX], im[PKT_MAX];
	struct buf f = file_buf(), m = BUF_INIT(mm), seg = BUF_INIT(sm);
	struct node c4 = node("00:1b:21:00:00:10", "192.0.2.10", 0x4200, 64);
	struct node s4 = node("00:1b:21:00:00:53", "192.0.2.53", 0x5a5a, 64);
	struct node c6 = node("00:1b:21:00:00:10", "2001:db8::10", 0, 64);
	struct node s6 = node("00:1b:21:00:00:53", "2001:db8::53", 0, 64);
	struct rr rrs[40];
	char addrs[40][16];
	struct capw w;
	size_t i, off, end, size;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	for (i = 0; i < 40; i++) {
		snprintf(addrs[i], sizeof(addrs[i]), "80.239.170.%zu",
		    100 + i);
		rrs[i].type = T_A;
		rrs[i].ttl = 3600;
		rrs[i].data = addrs[i];
	}
	dns_msg(&m, 0x7007, F_ANSWER, "s07.upd.kaspersky.com", T_A, rrs, 40);
	udp_seg(&seg, 53, 40020, m.d, m.len);
	l4_checksum(&seg, AF_INET, s4.ip, c4.ip, P_UDP);
	for (i = 0; i < 3; i++) {
		struct buf ip = BUF_INIT(im), fr = BUF_INIT(fm);
		size_t k = order[i];

		off = v4cut[k];
		end = k == 2 ? seg.len : v4cut[k + 1];
		ip4_header(&ip, s4.ip, c4.ip, s4.ipid, (k == 2 ? 0 : 0x2000) |
		    (unsigned)(off / 8), s4.ttl, P_UDP, end - off);
		put(&ip, seg.d + off, end - off);
		wrap_eth(&fr, &ip, 1, false);
		cap_packet(&w, AT(0, 100 * MS + i * 40 * US), &fr);
	}

	/* The query: 12 + 27 + 11 + 4 = 54 bytes before the padding data. */
	m.len = seg.len = 0;
	dns_header(&m, 0x7008, F_QUERY);
	dns_question(&m, "s08.upd.kaspersky.com", T_A);
	dns_opt_padding(&m, 1232, 1592 - 54);
	udp_seg(&seg, 40021, 53, m.d, m.len);
	l4_checksum(&seg, AF_INET6, c6.ip, s6.ip, P_UDP);
	size = seg.len;
	for (off = 0; off < size; off = end) {
		struct buf ip = BUF_INIT(im), fr = BUF_INIT(fm);

		end = off == 0 ? 1232 : size;
		ip6_header(&ip, c6.ip, s6.ip, c6.ttl, 44, 8 + end - off);
		put_u8(&ip, P_UDP);
		put_u8(&ip, 0);
		put_u16(&ip, (unsigned)off | (end < size ? 1u : 0u));
		put_u32(&ip, 0x0000b008);
		put(&ip, seg.d + off, end - off);
		wrap_eth(&fr, &ip, 0, false);
		cap_packet(&w, AT(1, off == 0 ? 0 : 30 * US), &fr);
	}

	m.len = 0;
	dns_msg(&m, 0x7009, F_QUERY, "s09.upd.kaspersky.com", T_A, NULL, 0);
	send_udp(&w, AT(2, 0), &c4, 40022, &s4, 53, &m);
	write_file("frags.pcap", f.d, f.len);
}

/*
 * Streams: TCP connections (RFC 9293), TLS ClientHellos (RFC 8446 4.1.2),
 * HTTP/1.1 requests (RFC 9112) and DNS over TCP (RFC 7766 8).
 */
#define TH_FIN		0x01
#define TH_PSH		0x08
#define MSS		1460

static void
put_str(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
set_u24(struct buf *b, size_t off, size_t v)
{
	if (v > 0xffffff || off + 3 > b->len)
		die("bad 24-bit patch");
	b->d[off] = (uint8_t)(v >> 16);
	set_u16(b, off + 1, (unsigned)(v & 0xffff));
}

/*
 * A TCP segment with data.  Unlike tcp_seg(), SYNs offer window scaling
 * (shift 7) and SACK as Linux does, so the 502 in later segments means
 * 64256 bytes and a 1460-byte segment does not fill the window.
 */
static void
stream_seg(struct buf *seg, unsigned sport, unsigned dport, uint32_t seq,
    uint32_t ack, unsigned flags, const uint8_t *p, size_t len)
{
	static const uint8_t synopt[12] = {
		2, 4, 0x05, 0xb4,	/* MSS 1460 */
		1, 1, 4, 2,		/* NOP NOP SACK permitted */
		1, 3, 3, 7,		/* NOP window scale 7 */
	};
	bool syn = (flags & TH_SYN) != 0;

	put_u16(seg, sport);
	put_u16(seg, dport);
	put_u32(seg, seq);
	put_u32(seg, ack);
	put_u8(seg, (syn ? 8u : 5u) << 4);
	put_u8(seg, flags);
	put_u16(seg, syn ? 64240 : 502);
	put_u16(seg, 0);		/* checksum: l4_checksum() */
	put_u16(seg, 0);		/* urgent pointer */
	if (syn)
		put(seg, synopt, sizeof(synopt));
	put(seg, p, len);
}

/* One TCP connection; side 0 is the client, 1 the server. */
struct conn {
	struct capw	*w;
	struct node	*n[2];
	unsigned	 port[2];
	uint32_t	 next[2];	/* next sequence number of each side */
	uint64_t	 t;		/* time of the last packet */
	uint64_t	 rtt;
};

static void
conn_init(struct conn *k, struct capw *w, struct node *c, unsigned cport,
    struct node *s, unsigned sport, uint32_t iss, uint32_t irs, uint64_t t,
    uint64_t rtt)
{
	k->w = w;
	k->n[0] = c;
	k->n[1] = s;
	k->port[0] = cport;
	k->port[1] = sport;
	k->next[0] = iss;
	k->next[1] = irs;
	k->t = t;
	k->rtt = rtt;
}

/* A segment from side dir at sequence number seq, dt after the last
 * packet; every segment but the first SYN acks all the peer has sent.
 * Leaves next[] alone: callers that send out of order set it. */
static void
conn_seg(struct conn *k, int dir, uint64_t dt, uint32_t seq, unsigned flags,
    const uint8_t *p, size_t len)
{
	uint8_t sm[PKT_MAX], im[PKT_MAX], fm[PKT_MAX];
	struct buf seg = BUF_INIT(sm), ip = BUF_INIT(im), fr = BUF_INIT(fm);
	struct node *s = k->n[dir], *d = k->n[!dir];

	if (len > MSS)
		die("segment over the MSS");
	if (flags != TH_SYN)
		flags |= TH_ACK;
	k->t += dt;
	stream_seg(&seg, k->port[dir], k->port[!dir], seq,
	    flags & TH_ACK ? k->next[!dir] : 0, flags, p, len);
	ip_packet(&ip, s, d, P_TCP, &seg);
	eth_frame(&fr, d->mac, s->mac, NULL, 0, ip_ethertype(&ip), &ip);
	cap_packet(k->w, k->t, &fr);
}

/* Bytes [from, to) of data whose first byte has sequence number base. */
static void
conn_piece(struct conn *k, int dir, uint64_t dt, uint32_t base,
    const struct buf *data, size_t from, size_t to)
{
	if (from >= to || to > data->len)
		die("bad piece");
	conn_seg(k, dir, dt, base + (uint32_t)from,
	    to == data->len ? TH_PSH : 0, data->d + from, to - from);
}

static void
conn_send(struct conn *k, int dir, uint64_t dt, const struct buf *data)
{
	conn_piece(k, dir, dt, k->next[dir], data, 0, data->len);
	k->next[dir] += (uint32_t)data->len;
}

static void
conn_ack(struct conn *k, int dir, uint64_t dt)
{
	conn_seg(k, dir, dt, k->next[dir], 0, NULL, 0);
}

/* SYN, SYN-ACK, ACK. */
static void
conn_open(struct conn *k)
{
	conn_seg(k, 0, 0, k->next[0]++, TH_SYN, NULL, 0);
	conn_seg(k, 1, k->rtt, k->next[1]++, TH_SYN | TH_ACK, NULL, 0);
	conn_ack(k, 0, 150 * US);
}

/* The client's FIN, the server's FIN-ACK, the last ACK. */
static void
conn_close(struct conn *k, uint64_t dt)
{
	conn_seg(k, 0, dt, k->next[0]++, TH_FIN, NULL, 0);
	conn_seg(k, 1, k->rtt, k->next[1]++, TH_FIN, NULL, 0);
	conn_ack(k, 0, 150 * US);
}

/*
 * TLS ClientHello.  Extensions are written in the order given; X_ECH and
 * X_PAD only when the hello asks for them.
 */
enum { X_END, X_GREASE1, X_SNI, X_EMS, X_RENEG, X_GROUPS, X_POINTS,
	X_TICKET, X_ALPN, X_STATUS, X_SIGALGS, X_SCT, X_SHARE, X_PSKM,
	X_VERSIONS, X_COMPRESS, X_ECH, X_PAD, X_GREASE2 };

static const uint8_t hello_order[] = { X_GREASE1, X_SNI, X_EMS, X_RENEG,
	X_GROUPS, X_POINTS, X_TICKET, X_ALPN, X_STATUS, X_SIGALGS, X_SCT,
	X_SHARE, X_PSKM, X_VERSIONS, X_COMPRESS, X_ECH, X_GREASE2, X_END };

struct hello {
	const char	*sni;		/* server_name, or NULL for none */
	const uint8_t	*order;		/* X_ codes to X_END; NULL: default */
	bool		 big_share;	/* X25519MLKEM768 share, 1216 bytes */
	bool		 ech;		/* outer encrypted_client_hello */
	size_t		 sni_at;	/* X_PAD (just before X_SNI) puts the
					 * name at this offset of a one-record
					 * hello */
	size_t		 ticket_len;	/* session_ticket data */
	unsigned	 seed;		/* of the random-looking bytes */
};

/* RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa. */
#define GREASE(i)	(0x0a0au + 0x1010u * ((unsigned)(i) & 15))

static size_t
ext_open(struct buf *hs, unsigned type)
{
	put_u16(hs, type);
	put_u16(hs, 0);
	return hs->len;
}

static void
ext_close(struct buf *hs, size_t body)
{
	set_u16(hs, body - 2, (unsigned)(hs->len - body));
}

/* Appends the handshake message; returns the offset in it of the
 * server_name host name (0 without one). */
static size_t
tls_hello(struct buf *hs, const struct hello *h)
{
	static const unsigned suites[] = { 0x1301, 0x1302, 0x1303, 0xc02b,
	    0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c,
	    0x009d, 0x002f, 0x0035 };
	static const unsigned sigalgs[] = { 0x0403, 0x0804, 0x0401, 0x0503,
	    0x0805, 0x0501, 0x0806, 0x0601 };
	const uint8_t *x = h->order != NULL ? h->order : hello_order;
	size_t start = hs->len, exts, e, l, i, pad, name = 0;
	unsigned g = h->seed;

	put_u8(hs, 1);			/* client_hello */
	put_u8(hs, 0);
	put_u16(hs, 0);			/* uint24 length, set below */
	put_u16(hs, 0x0303);		/* legacy_version */
	junk(hs, 32, h->seed);		/* random */
	put_u8(hs, 32);			/* session id: middlebox compat */
	junk(hs, 32, h->seed + 1);
	put_u16(hs, (unsigned)(2 + 2 * (sizeof(suites) / sizeof(suites[0]))));
	put_u16(hs, GREASE(g));
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		put_u16(hs, suites[i]);
	put_u8(hs, 1);
	put_u8(hs, 0);			/* compression: null only */
	put_u16(hs, 0);
	exts = hs->len;
	for (; *x != X_END; x++) {
		switch (*x) {
		case X_GREASE1:
			e = ext_open(hs, GREASE(g + 1));
			break;
		case X_SNI:		/* RFC 6066 3 */
			if (h->sni == NULL)
				continue;
			e = ext_open(hs, 0x0000);
			put_u16(hs, (unsigned)(3 + strlen(h->sni)));
			put_u8(hs, 0);		/* host_name */
			put_u16(hs, (unsigned)strlen(h->sni));
			name = hs->len - start;
			put_str(hs, h->sni);
			break;
		case X_EMS:
			e = ext_open(hs, 0x0017);
			break;
		case X_RENEG:
			e = ext_open(hs, 0xff01);
			put_u8(hs, 0);
			break;
		case X_GROUPS:
			e = ext_open(hs, 0x000a);
			put_u16(hs, h->big_share ? 10 : 8);
			put_u16(hs, GREASE(g + 2));
			if (h->big_share)
				put_u16(hs, 0x11ec);	/* X25519MLKEM768 */
			put_u16(hs, 0x001d);
			put_u16(hs, 0x0017);
			put_u16(hs, 0x0018);
			break;
		case X_POINTS:
			e = ext_open(hs, 0x000b);
			put_u8(hs, 1);
			put_u8(hs, 0);
			break;
		case X_TICKET:
			e = ext_open(hs, 0x0023);
			junk(hs, h->ticket_len, h->seed + 2);
			break;
		case X_ALPN:		/* RFC 7301 3.1 */
			e = ext_open(hs, 0x0010);
			put_u16(hs, 12);
			put_u8(hs, 2);
			put_str(hs, "h2");
			put_u8(hs, 8);
			put_str(hs, "http/1.1");
			break;
		case X_STATUS:
			e = ext_open(hs, 0x0005);
			put_u8(hs, 1);		/* ocsp */
			put_u32(hs, 0);
			break;
		case X_SIGALGS:
			e = ext_open(hs, 0x000d);
			put_u16(hs, (unsigned)(2 *
			    (sizeof(sigalgs) / sizeof(sigalgs[0]))));
			for (i = 0; i < sizeof(sigalgs) / sizeof(sigalgs[0]);
			    i++)
				put_u16(hs, sigalgs[i]);
			break;
		case X_SCT:
			e = ext_open(hs, 0x0012);
			break;
		case X_SHARE:		/* RFC 8446 4.2.8 */
			e = ext_open(hs, 0x0033);
			l = hs->len;
			put_u16(hs, 0);
			put_u16(hs, GREASE(g + 2));
			put_u16(hs, 1);
			put_u8(hs, 0);
			if (h->big_share) {
				put_u16(hs, 0x11ec);
				put_u16(hs, 1216);
				junk(hs, 1216, h->seed + 3);
			}
			put_u16(hs, 0x001d);	/* x25519 */
			put_u16(hs, 32);
			junk(hs, 32, h->seed + 4);
			set_u16(hs, l, (unsigned)(hs->len - l - 2));
			break;
		case X_PSKM:
			e = ext_open(hs, 0x002d);
			put_u8(hs, 1);
			put_u8(hs, 1);		/* psk_dhe_ke */
			break;
		case X_VERSIONS:	/* RFC 8446 4.2.1 */
			e = ext_open(hs, 0x002b);
			put_u8(hs, 6);
			put_u16(hs, GREASE(g + 3));
			put_u16(hs, 0x0304);
			put_u16(hs, 0x0303);
			break;
		case X_COMPRESS:	/* RFC 8879 */
			e = ext_open(hs, 0x001b);
			put_u8(hs, 2);
			put_u16(hs, 0x0002);	/* brotli */
			break;
		case X_ECH:	/* draft-ietf-tls-esni-22 5: outer hello */
			if (!h->ech)
				continue;
			e = ext_open(hs, 0xfe0d);
			put_u8(hs, 0);		/* outer */
			put_u16(hs, 0x0001);	/* HKDF-SHA256 */
			put_u16(hs, 0x0001);	/* AES-128-GCM */
			put_u8(hs, h->seed & 0xff);	/* config_id */
			put_u16(hs, 32);		/* enc */
			junk(hs, 32, h->seed + 5);
			put_u16(hs, 208);		/* sealed inner hello */
			junk(hs, 208, h->seed + 6);
			break;
		case X_PAD:		/* RFC 7685 */
			if (h->sni_at == 0)
				continue;
			/* The name follows record header (5), this
			 * extension's header (4) and the server_name
			 * header (9). */
			if (x[1] != X_SNI || h->sni_at < 18 + hs->len - start)
				die("cannot pad the name into place");
			pad = h->sni_at - 18 - (hs->len - start);
			e = ext_open(hs, 0x0015);
			put_zero(hs, pad);
			break;
		case X_GREASE2:
			e = ext_open(hs, GREASE(g + 4));
			put_u8(hs, 0);
			break;
		default:
			die("unknown extension code");
		}
		ext_close(hs, e);
	}
	set_u16(hs, exts - 2, (unsigned)(hs->len - exts));
	set_u24(hs, start + 1, hs->len - start - 4);
	return name;
}

/* Handshake records (RFC 8446 5.1): record i holds the message's bytes
 * up to cut[i]; the last cut is the message's length. */
static void
tls_records(struct buf *o, const struct buf *hs, const size_t *cut, size_t n)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		if (cut[i] <= from || cut[i] > hs->len)
			die("bad record cut");
		put_u8(o, 22);			/* handshake */
		put_u16(o, 0x0301);
		put_u16(o, (unsigned)(cut[i] - from));
		put(o, hs->d + from, cut[i] - from);
		from = cut[i];
	}
	if (from != hs->len)
		die("records do not cover the hello");
}

/* A ClientHello in one record; returns the offset in o of the name. */
static size_t
tls_client_hello(struct buf *o, const struct hello *h)
{
	uint8_t hm[PKT_MAX];
	struct buf hs = BUF_INIT(hm);
	size_t name, at = o->len;

	name = tls_hello(&hs, h);
	tls_records(o, &hs, &hs.len, 1);
	return at + 5 + name;
}

/* An HTTP/1.1 request head (RFC 9112 3, 5); extra holds whole header
 * lines (each ending in CRLF) or is NULL.  Returns the offset in o of
 * the Host header's value. */
static size_t
http_request(struct buf *o, const char *method, const char *target,
    const char *host, const char *extra)
{
	size_t at;

	put_str(o, method);
	put_str(o, " ");
	put_str(o, target);
	put_str(o, " HTTP/1.1\r\nHost: ");
	at = o->len;
	put_str(o, host);
	put_str(o, "\r\nUser-Agent: kasaudit-gen-pcaps/1.0\r\n"
	    "Accept: */*\r\n");
	if (extra != NULL)
		put_str(o, extra);
	put_str(o, "\r\n");
	return at;
}

/* A response with a body of body_len text bytes. */
static void
http_response(struct buf *o, const char *status, size_t body_len)
{
	char cl[32];
	size_t i;

	snprintf(cl, sizeof(cl), "%zu", body_len);
	put_str(o, "HTTP/1.1 ");
	put_str(o, status);
	put_str(o, "\r\nServer: gen\r\nContent-Type: text/plain\r\n"
	    "Content-Length: ");
	put_str(o, cl);
	put_str(o, "\r\n\r\n");
	for (i = 0; i < body_len; i++)
		put_u8(o, i + 1 == body_len ? '\n' : 'a' + (unsigned)i % 26);
}

/* RFC 9112 7.1: hex size, CRLF, data, CRLF. */
static void
http_chunk(struct buf *o, const char *data)
{
	char sz[32];

	snprintf(sz, sizeof(sz), "%zx\r\n", strlen(data));
	put_str(o, sz);
	put_str(o, data);
	put_str(o, "\r\n");
}

/* A DNS message behind its 2-byte length (RFC 1035 4.2.2). */
static size_t
dns_tcp_msg(struct buf *o, unsigned id, unsigned flags, const char *name,
    unsigned qtype, const struct rr *an, size_t n_an)
{
	uint8_t mm[PKT_MAX];
	struct buf m = BUF_INIT(mm);

	dns_msg(&m, id, flags, name, qtype, an, n_an);
	put_u16(o, (unsigned)m.len);
	put(o, m.d, m.len);
	return m.len;
}

static struct node
st_client(unsigned ipid)
{
	return node("00:1b:21:00:00:10", "192.0.2.10", ipid, 64);
}

/* An Internet server: its frames carry the router's MAC. */
static struct node
st_server(unsigned ipid)
{
	return node("00:1b:21:00:00:fe", "198.51.100.20", ipid, 52);
}

static struct node
st_proxy(unsigned ipid)
{
	return node("00:1b:21:00:00:03", "192.0.2.3", ipid, 64);
}

static const uint8_t order_sni_late[] = { X_GREASE1, X_SHARE, X_PAD, X_SNI,
	X_EMS, X_RENEG, X_GROUPS, X_POINTS, X_TICKET, X_ALPN, X_STATUS,
	X_SIGALGS, X_SCT, X_PSKM, X_VERSIONS, X_COMPRESS, X_GREASE2, X_END };

static void
gen_tcp_tls_reverse(void)
{
	static const struct hello h = { "dc1.ksn.kaspersky-labs.com",
	    order_sni_late, true, false, MSS - 10, 192, 0x51 };
	uint8_t hm[PKT_MAX];
	struct buf f = file_buf(), hello = BUF_INIT(hm);
	struct node c = st_client(0x4501), s = st_server(0x6501);
	struct capw w;
	struct conn k;
	uint32_t base;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	tls_client_hello(&hello, &h);
	conn_init(&k, &w, &c, 41001, &s, 443, 0x3a4b5c6d, 0x1f2e3d4c,
	    AT(0, 100 * MS), 24 * MS);
	base = k.next[0];
	conn_piece(&k, 0, 0, base, &hello, MSS, hello.len);
	conn_piece(&k, 0, 40 * US, base, &hello, 0, MSS);
	k.next[0] = base + (uint32_t)hello.len;
	conn_ack(&k, 1, k.rtt);
	write_file("tcp-tls-reverse.pcap", f.d, f.len);
}

static void
gen_tcp_tls_shuffle(void)
{
	static const struct hello h = { "s10.upd.kaspersky.com", NULL, false,
	    false, 0, 0, 0x52 };
	uint8_t hm[PKT_MAX];
	struct buf f = file_buf(), hello = BUF_INIT(hm);
	struct node c = st_client(0x4601), s = st_server(0x6601);
	struct capw w;
	struct conn k;
	size_t cut[5], name;
	uint32_t base;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	name = tls_client_hello(&hello, &h);
	/* seg1 ends inside the name, so only seg2, sent last, ends it. */
	cut[0] = 0;
	cut[1] = name + 5;
	cut[2] = cut[1] + (hello.len - cut[1]) / 3;
	cut[3] = cut[1] + 2 * (hello.len - cut[1]) / 3;
	cut[4] = hello.len;
	conn_init(&k, &w, &c, 41002, &s, 443, 0x5c6d7e8f, 0x2a3b4c5d,
	    AT(0, 100 * MS), 24 * MS);
	conn_open(&k);
	base = k.next[0];
	conn_piece(&k, 0, 200 * US, base, &hello, cut[2], cut[3]);
	conn_piece(&k, 0, 30 * US, base, &hello, cut[0], cut[1]);
	conn_piece(&k, 0, 30 * US, base, &hello, cut[0], cut[1]);
	conn_piece(&k, 0, 30 * US, base, &hello, cut[3], cut[4]);
	conn_piece(&k, 0, 30 * US, base, &hello, cut[1], cut[2] + 10);
	k.next[0] = base + (uint32_t)hello.len;
	conn_ack(&k, 1, k.rtt);
	conn_close(&k, 5 * MS);
	write_file("tcp-tls-shuffle.pcap", f.d, f.len);
}

static void
gen_tcp_tls_records(void)
{
	static const struct hello h = { "activation-v2.kaspersky.com", NULL,
	    false, false, 0, 0, 0x53 };
	uint8_t hm[PKT_MAX], rm[PKT_MAX];
	struct buf f = file_buf(), hs = BUF_INIT(hm), recs = BUF_INIT(rm);
	struct node c = st_client(0x4701), s = st_server(0x6701);
	struct capw w;
	struct conn k;
	size_t cut[3];

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	/* Record 1 ends in the session id, record 2 inside the name. */
	cut[1] = tls_hello(&hs, &h) + 8;
	cut[0] = 40;
	cut[2] = hs.len;
	tls_records(&recs, &hs, cut, 3);
	conn_init(&k, &w, &c, 41003, &s, 8443, 0x0a1b2c3d, 0x4e5f6071,
	    AT(0, 100 * MS), 24 * MS);
	conn_open(&k);
	conn_send(&k, 0, 200 * US, &recs);
	conn_ack(&k, 1, k.rtt);
	conn_close(&k, 5 * MS);
	write_file("tcp-tls-records.pcap", f.d, f.len);
}

static void
gen_tcp_tls_ech(void)
{
	static const struct hello ech = { "kaspersky.com", NULL, false, true,
	    0, 0, 0x54 };
	static const struct hello plain = { "cm.k.kaspersky-labs.com", NULL,
	    false, false, 0, 0, 0x55 };
	uint8_t hm[PKT_MAX];
	struct buf f = file_buf(), hello = BUF_INIT(hm);
	struct node c = st_client(0x4801), s = st_server(0x6801);
	struct capw w;
	struct conn k;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	tls_client_hello(&hello, &ech);
	conn_init(&k, &w, &c, 41004, &s, 443, 0x11111111, 0x22222222,
	    AT(0, 100 * MS), 24 * MS);
	conn_open(&k);
	conn_send(&k, 0, 200 * US, &hello);
	conn_ack(&k, 1, k.rtt);
	conn_close(&k, 5 * MS);

	hello.len = 0;
	tls_client_hello(&hello, &plain);
	conn_init(&k, &w, &c, 41005, &s, 443, 0x33333333, 0x44444444,
	    AT(1, 100 * MS), 24 * MS);
	conn_open(&k);
	conn_send(&k, 0, 200 * US, &hello);
	conn_ack(&k, 1, k.rtt);
	conn_close(&k, 5 * MS);
	write_file("tcp-tls-ech.pcap", f.d, f.len);
}

static void
gen_tcp_dns(void)
{
	static const struct rr an_s13[] = { { T_A, 3600, "80.239.170.13" } };
	static const struct rr an_ex[] = { { T_A, 3600, "203.0.113.10" } };
	static const struct rr an_kv[] = { { T_A, 300, "79.133.169.40" } };
	static const struct rr an_dl[] = { { T_A, 1800, "80.239.170.20" },
	    { T_A, 1800, "80.239.170.21" } };
	uint8_t qm[PKT_MAX], rm[PKT_MAX];
	struct buf f = file_buf(), q = BUF_INIT(qm), r = BUF_INIT(rm);
	struct node c = st_client(0x4901);
	struct node s = node("00:1b:21:00:00:53", "192.0.2.53", 0x6901, 64);
	struct capw w;
	struct conn k;
	uint32_t base;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	/* (a) three queries in one segment, three answers. */
	conn_init(&k, &w, &c, 41006, &s, 53, 0x5a5a0001, 0xa5a50001,
	    AT(0, 100 * MS), 400 * US);
	conn_open(&k);
	dns_tcp_msg(&q, 0x5301, F_QUERY, "s13.upd.kaspersky.com", T_A, NULL,
	    0);
	dns_tcp_msg(&q, 0x5302, F_QUERY, "example.com", T_A, NULL, 0);
	dns_tcp_msg(&q, 0x5303, F_QUERY,
	    "ksn-verdict-geo.kaspersky-labs.com", T_A, NULL, 0);
	conn_send(&k, 0, 100 * US, &q);
	dns_tcp_msg(&r, 0x5301, F_ANSWER, "s13.upd.kaspersky.com", T_A,
	    an_s13, 1);
	conn_send(&k, 1, 2 * MS, &r);
	r.len = 0;
	dns_tcp_msg(&r, 0x5302, F_ANSWER, "example.com", T_A, an_ex, 1);
	conn_send(&k, 1, 300 * US, &r);
	r.len = 0;
	dns_tcp_msg(&r, 0x5303, F_ANSWER,
	    "ksn-verdict-geo.kaspersky-labs.com", T_A, an_kv, 1);
	conn_send(&k, 1, 9 * MS, &r);
	conn_ack(&k, 0, 100 * US);
	conn_close(&k, 1 * MS);

	/* (b) the length alone, then the message in two pieces; the answer
	 * in two pieces. */
	q.len = r.len = 0;
	dns_tcp_msg(&q, 0x5304, F_QUERY, "downloads.upd.kaspersky.com", T_A,
	    NULL, 0);
	dns_tcp_msg(&r, 0x5304, F_ANSWER, "downloads.upd.kaspersky.com", T_A,
	    an_dl, 2);
	conn_init(&k, &w, &c, 41007, &s, 53, 0x5b5b0001, 0xb5b50001,
	    AT(1, 100 * MS), 400 * US);
	conn_open(&k);
	base = k.next[0];
	conn_piece(&k, 0, 100 * US, base, &q, 0, 2);
	conn_piece(&k, 0, 40 * US, base, &q, 2, 2 + 12 + 12);
	conn_piece(&k, 0, 40 * US, base, &q, 2 + 12 + 12, q.len);
	k.next[0] = base + (uint32_t)q.len;
	base = k.next[1];
	conn_piece(&k, 1, 3 * MS, base, &r, 0, 2 + 30);
	conn_piece(&k, 1, 40 * US, base, &r, 2 + 30, r.len);
	k.next[1] = base + (uint32_t)r.len;
	conn_ack(&k, 0, 100 * US);
	conn_close(&k, 1 * MS);
	write_file("tcp-dns.pcap", f.d, f.len);
}

/* Sends the literal text s from side dir. */
static void
conn_text(struct conn *k, int dir, uint64_t dt, const char *s)
{
	uint8_t m[PKT_MAX];
	struct buf b = BUF_INIT(m);

	put_str(&b, s);
	conn_send(k, dir, dt, &b);
}

static void
conn_response(struct conn *k, const char *status, size_t body_len)
{
	uint8_t m[PKT_MAX];
	struct buf b = BUF_INIT(m);

	http_response(&b, status, body_len);
	conn_send(k, 1, k->rtt, &b);
}

static void
gen_tcp_http(void)
{
	static const char form[] = "id=1234&ok=true&n=42";
	static const char decoy[] = "GET /decoy HTTP/1.1\r\n"
	    "Host: decoy.example.net\r\n\r\n";
	uint8_t m[PKT_MAX];
	struct buf f = file_buf(), b = BUF_INIT(m);
	struct node c = st_client(0x4a01), s = st_server(0x6a01);
	struct capw w;
	struct conn k;
	uint32_t base;
	size_t host;
	char extra[128];

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	/* (a) keep-alive: GET, POST (head, then body), GET. */
	conn_init(&k, &w, &c, 41008, &s, 80, 0x60000001, 0x70000001,
	    AT(0, 100 * MS), 20 * MS);
	conn_open(&k);
	http_request(&b, "GET", "/", "dnl-05.geo.kaspersky.com", NULL);
	conn_send(&k, 0, 200 * US, &b);
	conn_response(&k, "200 OK", 16);
	b.len = 0;
	snprintf(extra, sizeof(extra), "Content-Type: "
	    "application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n",
	    strlen(form));
	http_request(&b, "POST", "/api/stat", "dnl-05.geo.kaspersky.com",
	    extra);
	conn_send(&k, 0, 2 * MS, &b);
	conn_text(&k, 0, 100 * US, form);
	conn_response(&k, "204 No Content", 0);
	b.len = 0;
	http_request(&b, "GET", "/index.html", "dnl-06.geo.kaspersky.com",
	    NULL);
	conn_send(&k, 0, 2 * MS, &b);
	conn_response(&k, "200 OK", 32);
	conn_close(&k, 5 * MS);

	/* (b) two requests pipelined in one segment, on port 8080. */
	b.len = 0;
	http_request(&b, "GET", "/bases/a.xml", "s14.upd.kaspersky.com",
	    NULL);
	http_request(&b, "GET", "/", "www.example.org", NULL);
	conn_init(&k, &w, &c, 41009, &s, 8080, 0x61000001, 0x71000001,
	    AT(1, 100 * MS), 20 * MS);
	conn_open(&k);
	conn_send(&k, 0, 200 * US, &b);
	b.len = 0;
	http_response(&b, "200 OK", 10);
	http_response(&b, "200 OK", 12);
	conn_send(&k, 1, k.rtt, &b);
	conn_close(&k, 5 * MS);

	/* (c) the head in three segments: "...Ho", "st: touch.kas", the
	 * rest. */
	b.len = 0;
	host = http_request(&b, "GET", "/api/v1/ping", "touch.kaspersky.com",
	    NULL);
	conn_init(&k, &w, &c, 41010, &s, 80, 0x62000001, 0x72000001,
	    AT(2, 100 * MS), 20 * MS);
	conn_open(&k);
	base = k.next[0];
	conn_piece(&k, 0, 200 * US, base, &b, 0, host - 4);
	conn_piece(&k, 0, 40 * US, base, &b, host - 4, host + 9);
	conn_piece(&k, 0, 40 * US, base, &b, host + 9, b.len);
	k.next[0] = base + (uint32_t)b.len;
	conn_response(&k, "200 OK", 4);
	conn_close(&k, 5 * MS);

	/* (d) a chunked POST whose data looks like a request, then a GET. */
	b.len = 0;
	http_request(&b, "POST", "/upload", "upload.example.net",
	    "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n");
	http_chunk(&b, "first chunk of the upload\n");
	conn_init(&k, &w, &c, 41011, &s, 80, 0x63000001, 0x73000001,
	    AT(3, 100 * MS), 20 * MS);
	conn_open(&k);
	conn_send(&k, 0, 200 * US, &b);
	b.len = 0;
	http_chunk(&b, decoy);
	put_str(&b, "0\r\n\r\n");
	conn_send(&k, 0, 100 * US, &b);
	conn_response(&k, "200 OK", 2);
	b.len = 0;
	http_request(&b, "GET", "/ksca.crl", "crl.kaspersky.com", NULL);
	conn_send(&k, 0, 2 * MS, &b);
	conn_response(&k, "200 OK", 40);
	conn_close(&k, 5 * MS);
	write_file("tcp-http.pcap", f.d, f.len);
}

static void
gen_tcp_proxy(void)
{
	static const struct hello h = { "ksn-info-geo.kaspersky-labs.com",
	    NULL, false, false, 0, 0, 0x57 };
	uint8_t m[PKT_MAX];
	struct buf f = file_buf(), b = BUF_INIT(m);
	struct node c = st_client(0x4b01), p = st_proxy(0x6b01);
	struct capw w;
	struct conn k;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	/* (a) absolute-form, Host agrees. */
	conn_init(&k, &w, &c, 41012, &p, 3128, 0x64000001, 0x74000001,
	    AT(0, 100 * MS), 300 * US);
	conn_open(&k);
	http_request(&b, "GET", "http://s16.upd.kaspersky.com/index/"
	    "u0607g.xml", "s16.upd.kaspersky.com",
	    "Proxy-Connection: Keep-Alive\r\n");
	conn_send(&k, 0, 200 * US, &b);
	k.rtt = 30 * MS;
	conn_response(&k, "200 OK", 64);
	k.rtt = 300 * US;
	conn_close(&k, 5 * MS);

	/* (b) absolute-form, Host disagrees. */
	b.len = 0;
	conn_init(&k, &w, &c, 41013, &p, 3128, 0x65000001, 0x75000001,
	    AT(1, 100 * MS), 300 * US);
	conn_open(&k);
	http_request(&b, "GET", "http://s17.upd.kaspersky.com/x",
	    "www.example.org", "Proxy-Connection: Keep-Alive\r\n");
	conn_send(&k, 0, 200 * US, &b);
	k.rtt = 30 * MS;
	conn_response(&k, "200 OK", 8);
	k.rtt = 300 * US;
	conn_close(&k, 5 * MS);

	/* (c) CONNECT, then the ClientHello inside the tunnel. */
	b.len = 0;
	conn_init(&k, &w, &c, 41014, &p, 3128, 0x66000001, 0x76000001,
	    AT(2, 100 * MS), 300 * US);
	conn_open(&k);
	http_request(&b, "CONNECT", "ksn-info-geo.kaspersky-labs.com:443",
	    "ksn-info-geo.kaspersky-labs.com:443", NULL);
	conn_send(&k, 0, 200 * US, &b);
	conn_text(&k, 1, 25 * MS, "HTTP/1.1 200 Connection established"
	    "\r\n\r\n");
	b.len = 0;
	tls_client_hello(&b, &h);
	conn_send(&k, 0, 300 * US, &b);
	conn_ack(&k, 1, k.rtt);
	conn_close(&k, 50 * MS);
	write_file("tcp-proxy.pcap", f.d, f.len);
}

static void
gen_tcp_proxy_upstream(void)
{
	uint8_t m[PKT_MAX];
	struct buf f = file_buf(), b = BUF_INIT(m);
	struct node p = st_proxy(0x4c01), s = st_server(0x6c01);
	struct capw w;
	struct conn k;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	conn_init(&k, &w, &p, 41015, &s, 80, 0x67000001, 0x77000001,
	    AT(0, 100 * MS), 20 * MS);
	conn_open(&k);
	http_request(&b, "GET", "/bases/x", "s18.upd.kaspersky.com",
	    "Via: 1.1 proxy.example (squid)\r\n"
	    "X-Forwarded-For: 192.0.2.44\r\n"
	    "Cache-Control: max-age=259200\r\nConnection: keep-alive\r\n");
	conn_send(&k, 0, 200 * US, &b);
	conn_response(&k, "200 OK", 24);
	conn_close(&k, 5 * MS);

	b.len = 0;
	conn_init(&k, &w, &p, 41016, &s, 80, 0x68000001, 0x78000001,
	    AT(1, 100 * MS), 20 * MS);
	conn_open(&k);
	http_request(&b, "GET", "/bases/y", "s19.upd.kaspersky.com",
	    "Forwarded: for=\"[2001:db8::44]:5555\";proto=http\r\n"
	    "Connection: keep-alive\r\n");
	conn_send(&k, 0, 200 * US, &b);
	conn_response(&k, "200 OK", 24);
	conn_close(&k, 5 * MS);
	write_file("tcp-proxy-upstream.pcap", f.d, f.len);
}

static void
gen_tcp_gap(void)
{
	static const struct hello h = { "s02.upd.kaspersky.com", NULL, false,
	    false, 0, 0, 0x59 };
	uint8_t hm[PKT_MAX], m[PKT_MAX];
	struct buf f = file_buf(), hello = BUF_INIT(hm), b = BUF_INIT(m);
	struct node c = st_client(0x4d01), s = st_server(0x6d01);
	struct capw w;
	struct conn k;
	size_t name;
	uint32_t base;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	/* (a) the segment holding the name is not in the capture. */
	name = tls_client_hello(&hello, &h);
	conn_init(&k, &w, &c, 41017, &s, 443, 0x69000001, 0x79000001,
	    AT(0, 100 * MS), 24 * MS);
	conn_open(&k);
	base = k.next[0];
	conn_piece(&k, 0, 200 * US, base, &hello, 0, name - 20);
	conn_piece(&k, 0, 80 * US, base, &hello, name + 40, hello.len);
	k.next[0] = base + (uint32_t)hello.len;
	conn_ack(&k, 1, k.rtt);
	conn_close(&k, 5 * MS);

	/* (b) the capture starts in an upload's body; the next request
	 * starts a segment. */
	conn_init(&k, &w, &c, 41018, &s, 80, 0x6a000001, 0x7a000001,
	    AT(1, 100 * MS), 20 * MS);
	junk(&b, 600, 0x5a);
	conn_send(&k, 0, 0, &b);
	b.len = 0;
	junk(&b, 200, 0x5b);
	conn_send(&k, 0, 100 * US, &b);
	conn_response(&k, "200 OK", 0);
	b.len = 0;
	http_request(&b, "GET", "/bases/s03.xml", "s03.upd.kaspersky.com",
	    NULL);
	conn_send(&k, 0, 2 * MS, &b);
	conn_response(&k, "200 OK", 20);
	conn_close(&k, 5 * MS);
	write_file("tcp-gap.pcap", f.d, f.len);
}

/*
 * A client's padded first datagram (RFC 8999 5.1 long header, 1200 bytes)
 * of a QUIC version not read here.
 */
static void
quic_other_dgram(struct buf *d, uint32_t version)
{
	static const uint8_t dcid[8] = { 0x51, 0x76, 0x65, 0x72, 1, 2, 3, 4 };

	d->len = 0;
	put_u8(d, 0xc3);
	put_u32(d, version);
	put_u8(d, sizeof(dcid));
	put(d, dcid, sizeof(dcid));
	put_u8(d, 0);			/* no SCID */
	while (d->len < 1200)
		put_u8(d, 0);
}

static void
gen_quic_versions(void)
{
	static const uint32_t v[6] = {
		0x51303436, 0x51303436, 0x51303530, 0x54303438, 0xff000012,
		0x1a2b3c4d,
	};
	static const unsigned port[6] = {
		50001, 50001, 50002, 50003, 50004, 50005,
	};
	uint8_t dm[PKT_MAX];
	struct buf f = file_buf(), d = BUF_INIT(dm);
	struct node c = st_client(0x4e51), s = st_server(0x6e51);
	struct capw w;
	size_t i;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	for (i = 0; i < 6; i++) {
		quic_other_dgram(&d, v[i]);
		send_udp(&w, AT((unsigned)i, 0), &c, port[i], &s, 443, &d);
	}
	write_file("quic-versions.pcap", f.d, f.len);
}

static void
gen_tcp_edges(void)
{
	static const struct hello h = { "s23.upd.kaspersky.com", NULL, false,
	    false, 0, 0, 0x5d };
	static const struct hello hp = { "ksn-file-geo.kaspersky-labs.com",
	    NULL, false, false, 0, 0, 0x5e };
	static const char v1[] =
	    "PROXY TCP4 203.0.113.44 198.51.100.20 50100 443\r\n";
	static const uint8_t v2[] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49,
		0x54, 0x0a, 0x21, 0x11, 0x00, 0x11,
		203, 0, 113, 45, 198, 51, 100, 20, 0xc4, 0x18, 0x00, 0x50,
		0x01, 0x00, 0x02, 'h', '2',		/* PP2_TYPE_ALPN */
	};
	static const size_t cut[3] = { 0, 100, 200 };
	static const unsigned order[2][3] = { { 1, 2, 0 }, { 2, 1, 0 } };
	uint8_t hm[PKT_MAX], qm[PKT_MAX], lm[PKT_MAX];
	struct buf f = file_buf(), hello = BUF_INIT(hm), q = BUF_INIT(qm),
	    lost = BUF_INIT(lm);
	struct node c = st_client(0x4e01), s = st_server(0x6e01);
	struct node p = st_proxy(0x4e41);
	struct node ns = node("00:1b:21:00:00:53", "192.0.2.53", 0x6e21, 64);
	struct capw w;
	struct conn k;
	size_t i, j, from, to;
	uint32_t base;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);

	/* (a) a ClientHello met without its handshake, its start last. */
	tls_client_hello(&hello, &h);
	for (i = 0; i < 2; i++) {
		conn_init(&k, &w, &c, 41030 + (unsigned)i, &s, 443,
		    0x6e000001 + (uint32_t)i * 0x1000, 0x7e000001,
		    AT((unsigned)i, 100 * MS), 20 * MS);
		base = k.next[0];
		for (j = 0; j < 3; j++) {
			from = cut[order[i][j]];
			to = order[i][j] == 2 ? hello.len :
			    cut[order[i][j] + 1];
			conn_piece(&k, 0, 200 * US, base, &hello, from, to);
		}
	}

	/* (b) DNS over TCP: a hole, the last query, then only a FIN. */
	conn_init(&k, &w, &c, 41032, &ns, 53, 0x6e100001, 0x7e100001,
	    AT(2, 100 * MS), 400 * US);
	conn_open(&k);
	dns_tcp_msg(&q, 0x5e01, F_QUERY, "s24.upd.kaspersky.com", T_A, NULL,
	    0);
	conn_send(&k, 0, 100 * US, &q);
	dns_tcp_msg(&lost, 0x5e02, F_QUERY, "example.com", T_A, NULL, 0);
	k.next[0] += (uint32_t)lost.len;	/* never captured */
	q.len = 0;
	dns_tcp_msg(&q, 0x5e03, F_QUERY, "ksn-url-geo.kaspersky-labs.com",
	    T_A, NULL, 0);
	conn_send(&k, 0, 200 * US, &q);
	conn_seg(&k, 0, 1 * MS, k.next[0]++, TH_FIN, NULL, 0);

	/* (c) a load balancer's PROXY v1 header, then TLS. */
	hello.len = 0;
	put(&hello, v1, sizeof(v1) - 1);
	tls_client_hello(&hello, &hp);
	conn_init(&k, &w, &p, 41033, &s, 443, 0x6e200001, 0x7e200001,
	    AT(3, 100 * MS), 20 * MS);
	conn_open(&k);
	conn_send(&k, 0, 150 * US, &hello);
	conn_close(&k, 5 * MS);

	/* (d) a PROXY v2 header, then HTTP. */
	q.len = 0;
	put(&q, v2, sizeof(v2));
	http_request(&q, "GET", "/", "s25.upd.kaspersky.com", NULL);
	conn_init(&k, &w, &p, 41034, &s, 80, 0x6e300001, 0x7e300001,
	    AT(4, 100 * MS), 20 * MS);
	conn_open(&k);
	conn_send(&k, 0, 150 * US, &q);
	conn_close(&k, 5 * MS);

	/* (e) as (b), but the capture ends with no FIN (issue 21, item 5). */
	conn_init(&k, &w, &c, 41035, &ns, 53, 0x6e400001, 0x7e400001,
	    AT(5, 100 * MS), 400 * US);
	conn_open(&k);
	q.len = 0;
	dns_tcp_msg(&q, 0x5e11, F_QUERY, "s26.upd.kaspersky.com", T_A, NULL,
	    0);
	conn_send(&k, 0, 100 * US, &q);
	k.next[0] += (uint32_t)lost.len;	/* never captured */
	q.len = 0;
	dns_tcp_msg(&q, 0x5e13, F_QUERY, "ksn-stat-geo.kaspersky-labs.com",
	    T_A, NULL, 0);
	conn_send(&k, 0, 200 * US, &q);
	write_file("tcp-edges.pcap", f.d, f.len);
}

/* A request in one TCP segment sent as two IPv4 fragments: 48 bytes (the
 * TCP header and the first 28 bytes of the request line), then the rest. */
static void
gen_frag_http(void)
{
	uint8_t m[PKT_MAX], sm[PKT_MAX], im[PKT_MAX], fm[PKT_MAX];
	struct buf f = file_buf(), b = BUF_INIT(m), seg = BUF_INIT(sm);
	struct node c = st_client(0x4e01), s = st_server(0x6e01);
	struct capw w;
	struct conn k;
	size_t off, end;
	unsigned id;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	conn_init(&k, &w, &c, 41019, &s, 80, 0x6b000001, 0x7b000001,
	    AT(0, 100 * MS), 20 * MS);
	conn_open(&k);
	http_request(&b, "GET", "/index/u1313g.xml", "s20.upd.kaspersky.com",
	    NULL);
	stream_seg(&seg, 41019, 80, k.next[0], k.next[1], TH_PSH | TH_ACK,
	    b.d, b.len);
	l4_checksum(&seg, AF_INET, c.ip, s.ip, P_TCP);
	id = c.ipid++;
	for (off = 0; off < seg.len; off = end) {
		struct buf ip = BUF_INIT(im), fr = BUF_INIT(fm);

		end = off == 0 ? 48 : seg.len;
		ip4_header(&ip, c.ip, s.ip, id, (end < seg.len ? 0x2000u : 0) |
		    (unsigned)(off / 8), c.ttl, P_TCP, end - off);
		put(&ip, seg.d + off, end - off);
		eth_frame(&fr, s.mac, c.mac, NULL, 0, 0x0800, &ip);
		k.t += off == 0 ? 200 * US : 10 * US;
		cap_packet(&w, k.t, &fr);
	}
	k.next[0] += (uint32_t)b.len;
	conn_response(&k, "200 OK", 24);
	conn_close(&k, 5 * MS);
	write_file("frag-http.pcap", f.d, f.len);
}

/*
 * ksc.pcap: a managed estate.  Agents 10.0.5.20 and 10.0.5.21 open
 * connections to the Administration Server 10.0.5.2 on TCP 13000 (and one
 * on the KSN proxy port 13111); the server wakes an agent on UDP 15000 and
 * itself looks up s10.upd.kaspersky.com and dc1.ksn.kaspersky-labs.com
 * (a likely Security Center server).  10.0.5.30 only opens a connection to
 * 77.74.176.10:443, inside a Kaspersky prefix signature (ip-prefix, no
 * name).  10.0.5.40 connects to 203.0.113.9:13000 on the Internet: not an
 * internal Security Center port, so nothing.
 */
static void
gen_ksc(void)
{
	static const struct rr an_s10k[] = { { T_A, 3600, "80.239.170.10" } };
	static const struct rr an_dc1k[] = { { T_A, 300, "79.133.169.10" } };
	struct node srv = node("00:50:56:00:05:02", "10.0.5.2", 0x1000, 64);
	struct node ag1 = node("00:50:56:00:05:20", "10.0.5.20", 0x2000, 128);
	struct node ag2 = node("00:50:56:00:05:21", "10.0.5.21", 0x3000, 128);
	struct node h30 = node("00:50:56:00:05:30", "10.0.5.30", 0x4000, 128);
	struct node h40 = node("00:50:56:00:05:40", "10.0.5.40", 0x5000, 128);
	struct node dns = node("00:50:56:00:05:01", "10.0.5.1", 0x6000, 64);
	struct node kas = node("00:50:56:00:05:fe", "77.74.176.10", 0x7000, 50);
	struct node inet = node("00:50:56:00:05:fe", "203.0.113.9", 0x8000, 50);
	uint8_t wm[32];
	struct buf wake = BUF_INIT(wm);
	struct buf f = file_buf();
	struct capw w;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	send_tcp(&w, AT(0, 0), &ag1, 50001, &srv, 13000, 0x11110000, 0,
	    TH_SYN);
	send_tcp(&w, AT(0, 300 * US), &srv, 13000, &ag1, 50001, 0x22220000,
	    0x11110001, TH_SYN | TH_ACK);
	send_tcp(&w, AT(1, 0), &ag2, 50002, &srv, 13000, 0x33330000, 0,
	    TH_SYN);
	send_tcp(&w, AT(1, 500 * US), &ag2, 50003, &srv, 13111, 0x44440000,
	    0, TH_SYN);
	put(&wake, "\x01\x02\x03\x04", 4);
	send_udp(&w, AT(2, 0), &srv, 15000, &ag1, 15000, &wake);
	XCHG(&w, AT(3, 0), 900 * US, &srv, 41001, &dns, 0x5101,
	    "s10.upd.kaspersky.com", T_A, an_s10k);
	XCHG(&w, AT(4, 0), 900 * US, &srv, 41002, &dns, 0x5102,
	    "dc1.ksn.kaspersky-labs.com", T_A, an_dc1k);
	send_tcp(&w, AT(5, 0), &h30, 50030, &kas, 443, 0x55550000, 0, TH_SYN);
	send_tcp(&w, AT(6, 0), &h40, 50040, &inet, 13000, 0x66660000, 0,
	    TH_SYN);
	write_file("ksc.pcap", f.d, f.len);
}

/*
 * blind.pcap: hosts whose lookups a passive audit cannot see.  10.0.6.5
 * resolves dns.google and opens TLS to it (DNS over HTTPS); 10.0.6.6 opens
 * a connection to 1.1.1.1:853 (DNS over TLS); 10.0.6.7 sends a ClientHello
 * with ECH whose outer name is cloudflare-ech.com (a documented ECH public
 * name, so the real name is hidden).  No Kaspersky name: none of
 * them is an offender, all are listed as lookups hidden.
 */
static void
gen_blind(void)
{
	static const struct rr an_g[] = { { T_A, 300, "8.8.8.8" } };
	static const struct hello doh = { "dns.google", NULL, false, false,
	    0, 0, 0x61 };
	static const struct hello ech = { "cloudflare-ech.com", NULL, false,
	    true, 0, 0, 0x62 };
	struct node h5 = node("00:50:56:00:06:05", "10.0.6.5", 0x1100, 128);
	struct node h6 = node("00:50:56:00:06:06", "10.0.6.6", 0x1200, 128);
	struct node h7 = node("00:50:56:00:06:07", "10.0.6.7", 0x1300, 128);
	struct node dns = node("00:50:56:00:06:01", "10.0.6.1", 0x1400, 64);
	struct node g = node("00:50:56:00:06:fe", "8.8.8.8", 0x1500, 118);
	struct node cf = node("00:50:56:00:06:fe", "1.1.1.1", 0x1600, 57);
	struct node pub = node("00:50:56:00:06:fe", "192.0.2.80", 0x1700, 50);
	uint8_t hm[PKT_MAX];
	struct buf f = file_buf(), hello = BUF_INIT(hm);
	struct capw w;
	struct conn k;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	XCHG(&w, AT(0, 0), 700 * US, &h5, 42001, &dns, 0x6101, "dns.google",
	    T_A, an_g);
	tls_client_hello(&hello, &doh);
	conn_init(&k, &w, &h5, 42002, &g, 443, 0x01010101, 0x02020202,
	    AT(1, 0), 12 * MS);
	conn_open(&k);
	conn_send(&k, 0, 200 * US, &hello);
	conn_close(&k, 5 * MS);
	send_tcp(&w, AT(2, 0), &h6, 42003, &cf, 853, 0x03030303, 0, TH_SYN);
	hello.len = 0;
	tls_client_hello(&hello, &ech);
	conn_init(&k, &w, &h7, 42004, &pub, 443, 0x04040404, 0x05050505,
	    AT(3, 0), 12 * MS);
	conn_open(&k);
	conn_send(&k, 0, 200 * US, &hello);
	conn_close(&k, 5 * MS);
	write_file("blind.pcap", f.d, f.len);
}

/*
 * migrated.pcap: UltraAV, the product Kaspersky moved U.S. users to
 * (category successor).  10.0.7.5 looks up ultrasecureav.com and opens TLS
 * to antivirus.ultravpn.com: only UltraAV, so "migrated".  10.0.7.6 looks
 * up s10.upd.kaspersky.com and later ultrasecureav.com: a Kaspersky
 * verdict, also migrated.  10.0.7.7 looks up track.ultravpn.com (an
 * affiliate tracker, not UltraAV): nothing.
 */
static void
gen_migrated(void)
{
	static const struct rr an_u[] = { { T_A, 300, "192.0.2.90" } };
	static const struct rr an_k[] = { { T_A, 3600, "80.239.170.10" } };
	static const struct hello help = { "antivirus.ultravpn.com", NULL,
	    false, false, 0, 0, 0x71 };
	struct node h5 = node("00:50:56:00:07:05", "10.0.7.5", 0x2100, 128);
	struct node h6 = node("00:50:56:00:07:06", "10.0.7.6", 0x2200, 128);
	struct node h7 = node("00:50:56:00:07:07", "10.0.7.7", 0x2300, 128);
	struct node dns = node("00:50:56:00:07:01", "10.0.7.1", 0x2400, 64);
	struct node av = node("00:50:56:00:07:fe", "192.0.2.91", 0x2500, 50);
	uint8_t hm[PKT_MAX];
	struct buf f = file_buf(), hello = BUF_INIT(hm);
	struct capw w;
	struct conn k;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	XCHG(&w, AT(0, 0), 700 * US, &h5, 43001, &dns, 0x7101,
	    "ultrasecureav.com", T_A, an_u);
	tls_client_hello(&hello, &help);
	conn_init(&k, &w, &h5, 43002, &av, 443, 0x07070707, 0x08080808,
	    AT(1, 0), 12 * MS);
	conn_open(&k);
	conn_send(&k, 0, 200 * US, &hello);
	conn_close(&k, 5 * MS);
	XCHG(&w, AT(2, 0), 700 * US, &h6, 43003, &dns, 0x7102,
	    "s10.upd.kaspersky.com", T_A, an_k);
	XCHG(&w, AT(3, 0), 700 * US, &h6, 43004, &dns, 0x7103,
	    "ultrasecureav.com", T_A, an_u);
	XCHG(&w, AT(4, 0), 700 * US, &h7, 43005, &dns, 0x7104,
	    "track.ultravpn.com", T_A, an_u);
	write_file("migrated.pcap", f.d, f.len);
}

/*
 * For the HTML report's charts (tests/run-html).  html-subsec.pcap: three
 * hosts in three networks, one each, all within 400 ms: the timeline's
 * ticks in milliseconds, a full-length IPv6 address as a label, and no bar
 * chart (every network has one host).  html-days.pcap: two hosts whose
 * contacts span three days: ticks with dates.
 */
static void
gen_html(void)
{
	static const struct rr an_k[] = { { T_A, 3600, "80.239.170.10" } };
	static const struct rr an_k6[] = {
		{ T_AAAA, 3600, "2a03:2480:8000::10" },
	};
	struct node v6 = node("00:50:56:00:08:06",
	    "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1234", 0, 64);
	struct node v6r = node("00:50:56:00:08:01", "2001:db8:aaaa:bbbb::53",
	    0, 64);
	struct node v4 = node("00:50:56:00:08:04", "10.0.8.4", 0x3100, 128);
	struct node v4b = node("00:50:56:00:08:05", "10.0.9.5", 0x3200, 128);
	struct node r4 = node("00:50:56:00:08:02", "192.0.2.53", 0x3300, 60);
	struct buf f = file_buf();
	struct capw w;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	XCHG(&w, AT(0, 0), 300 * US, &v6, 44001, &v6r, 0x8101,
	    "s10.upd.kaspersky.com", T_AAAA, an_k6);
	XCHG(&w, AT(0, 150 * MS), 300 * US, &v4, 44002, &r4, 0x8102,
	    "dc1.ksn.kaspersky-labs.com", T_A, an_k);
	XCHG(&w, AT(0, 399 * MS), 300 * US, &v4b, 44003, &r4, 0x8103,
	    "www.kaspersky.com", T_A, an_k);
	write_file("html-subsec.pcap", f.d, f.len);

	f = file_buf();
	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	XCHG(&w, AT(0, 0), 300 * US, &v4, 44011, &r4, 0x8111,
	    "s10.upd.kaspersky.com", T_A, an_k);
	XCHG(&w, AT(2 * 86400 + 7200, 0), 300 * US, &v4, 44012, &r4, 0x8112,
	    "s10.upd.kaspersky.com", T_A, an_k);
	XCHG(&w, AT(3 * 86400, 0), 300 * US, &v4b, 44013, &r4, 0x8113,
	    "dc1.ksn.kaspersky-labs.com", T_A, an_k);
	write_file("html-days.pcap", f.d, f.len);
}

/*
 * leases.pcap  --leases (tests/leases/e2e.tsv): 10.9.0.50 looks up a
 * Kaspersky name at T0+10 s, held by Alice then, and again at T0+120 s,
 * held by Bob since T0+60 s; 10.9.0.99 at T0+30 s, held by nobody;
 * 2001:db8:77::10 at T0+40 s, inside a delegated /56.
 */
static void
gen_leases(void)
{
	struct node a = node("52:54:00:09:00:50", "10.9.0.50", 0x2100, 128);
	struct node b = node("52:54:00:09:00:51", "10.9.0.50", 0x2200, 64);
	struct node c = node("52:54:00:09:00:99", "10.9.0.99", 0x2300, 128);
	struct node d = node("52:54:00:09:00:10", "2001:db8:77::10", 0, 64);
	struct node r = node("52:54:00:09:00:01", "10.9.0.1", 0x2400, 64);
	struct node r6 = node("52:54:00:09:00:01", "2001:db8:77::1", 0, 64);
	struct buf f = file_buf();
	struct capw w;

	pcap_begin(&w, &f, false, false, 262144, LT_ETHER);
	dns_query(&w, AT(10, 0), &a, 40001, &r, 0x5001,
	    "dnl-01.geo.kaspersky.com", T_A);
	dns_query(&w, AT(30, 0), &c, 40002, &r, 0x5002,
	    "dnl-02.geo.kaspersky.com", T_A);
	dns_query(&w, AT(40, 0), &d, 40003, &r6, 0x5003,
	    "ksn-file-geo.kaspersky-labs.com", T_AAAA);
	dns_query(&w, AT(120, 0), &b, 40004, &r, 0x5004,
	    "dnl-01.geo.kaspersky.com", T_A);
	write_file("leases.pcap", f.d, f.len);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-pcaps OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	gen_demo();
	gen_variants();
	gen_wlan_skip();
	gen_pcapng_multi();
	gen_pcapng_sections();
	gen_unsupported();
	gen_mixed_unsupported();
	gen_dns_port();
	gen_bad_truncated();
	gen_bad_corrupt();
	gen_bad_small();
	gen_bad_hugecaplen();
	gen_dns_malformed();
	gen_frags();
	gen_tcp_tls_reverse();
	gen_tcp_tls_shuffle();
	gen_tcp_tls_records();
	gen_tcp_tls_ech();
	gen_tcp_dns();
	gen_tcp_http();
	gen_tcp_proxy();
	gen_tcp_proxy_upstream();
	gen_tcp_gap();
	gen_tcp_edges();
	gen_quic_versions();
	gen_frag_http();
	gen_ksc();
	gen_blind();
	gen_migrated();
	gen_html();
	gen_leases();
	return 0;
}
