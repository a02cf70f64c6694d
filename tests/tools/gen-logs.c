/* gen-logs.c - test logs in Zeek's TSV and JSON formats and Suricata's EVE
 * JSON, written from the formats' documentation, hostile lines included. */

/*
 * gen-logs OUTDIR writes the same bytes every run (fixed clock: time starts
 * 2024-10-01T08:00:00Z = 1727769600).  Field names and types follow Zeek's
 * log pages (docs.zeek.org: dns.log, ssl.log, http.log, conn.log, "Log
 * Formats" for the TSV header and JSON) and Suricata's "Eve JSON Format"
 * (docs.suricata.io: common fields, dns versions 1 to 3, tls, http, quic,
 * flow).  No Zeek or Suricata is in Debian 12 to make real ones.
 *
 * zeek-dns.log  TSV, #path dns.  10.30.0.21 asks 10.30.0.1:
 *	1 activation-v2.kaspersky.com: CNAME activation-v2.geo.kaspersky.com,
 *	  A 77.74.176.10;  2 www.example.org (noise);  3 2001:db8:30::21 asks
 *	  2001:db8:30::1 for dc1.ksn.kaspersky-labs.com AAAA 2a03:2480:68::10;
 *	4 s10.upd.kaspersky.com, no answer (answers unset).  Hostile: a
 *	  record of 5 fields; an address 10.30.0.999; ts "yesterday"; a
 *	  query with an escaped NUL (no name: nothing to match).
 * zeek-ssl.log  TSV, #path ssl.  10.30.0.21 to 77.74.176.10:443 with no
 *	server_name (put down to line 1 of zeek-dns.log); 10.30.0.22 to
 *	s10.upd.kaspersky.com; 10.30.0.29 to www.example.org (noise).
 * zeek-http.log  TSV, #path http.  10.30.0.23 GET Host
 *	dnl-03.geo.kaspersky.com:8080 (the port is not the name).
 * zeek-conn.log  TSV, #path conn.  10.30.0.24 to 77.74.176.10:443, no
 *	name (another host's lookup: weaker); 10.30.0.29 to 192.0.2.80:80.
 * zeek.json  JSON lines, all four logs in one file (kinds told by their
 *	fields).  10.31.0.5 asks for downloads.upd.kaspersky.com (A
 *	80.239.170.20); ssl to it without server_name; ts as ISO 8601 on
 *	one line; http to edge.geo.kaspersky.com.  Hostile: not JSON; an
 *	array; no id.orig_h; a port 70000.
 * eve.json  EVE.  10.32.0.7 asks 10.32.0.1 (version 1 query, and two
 *	version 1 answer events: CNAME, A 80.239.170.30) for
 *	s11.upd.kaspersky.com; version 2 answer (detailed) for
 *	dc1.ksn.kaspersky-labs.com A 79.133.169.10, logged server to client;
 *	version 2 grouped for cm.k.kaspersky-labs.com A 79.133.169.11;
 *	version 3 request and response for s12.upd.kaspersky.com
 *	(80.239.170.31); tls with sni ksn-url-geo.kaspersky-labs.com; tls
 *	without sni to 79.133.169.10 (put down to the v2 answer); http
 *	hostname dnl-04.geo.kaspersky.com:80; quic sni
 *	s13.upd.kaspersky.com; a flow to 80.239.170.31 (no name); an alert
 *	(not used).  Hostile: cut short; no event_type; timestamp "now";
 *	a dns event without its dns object.
 * zeek-dhcp.log  TSV, #path dhcp (docs.zeek.org dhcp.log).  10.30.0.22
 *	(52:54:00:30:00:22) gets its address as ALICE-PC,
 *	alice-pc.corp.example; 10.30.0.21 as BOB-PC; a DISCOVER/OFFER with
 *	no address yet (skipped).  Hostile: a MAC "52:54:00:zz:00:01".
 * zeek-dhcp.json  Zeek JSON dhcp.log: 10.31.0.5 as DAVE-PC.
 * eve-dhcp.json  EVE dhcp (extended): a request with no address yet
 *	(skipped), the reply giving 10.32.0.7 to 52:54:00:32:00:07 as
 *	carol-laptop.  Hostile: a dhcp event without its dhcp object.
 * cross-dns.log  TSV dns.log for pcaps/real-dns-nosni.pcap: 198.18.0.10
 *	asks 198.18.0.2 for ksn-file-geo.kaspersky-labs.com, answers
 *	198.18.0.2 and 2001:db8:4b::2, 0.19 s before the capture's nameless
 *	TLS: read with -f tcp, the capture's own DNS is left out and the
 *	log's answer attributes its flows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir;

static FILE *
out(const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		perror(path);
		exit(1);
	}
	return fp;
}

static void
done(FILE *fp)
{
	if (fflush(fp) != 0 || ferror(fp) || fclose(fp) != 0) {
		perror("write");
		exit(1);
	}
}

/* The ASCII writer's header: fields and types tab-separated. */
static void
zeek_head(FILE *fp, const char *path, const char *fields, const char *types)
{
	fprintf(fp, "#separator \\x09\n#set_separator\t,\n"
	    "#empty_field\t(empty)\n#unset_field\t-\n#path\t%s\n"
	    "#open\t2024-10-01-08-00-00\n#fields\t%s\n#types\t%s\n",
	    path, fields, types);
}

#define ID_F	"ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p"
#define ID_T	"time\tstring\taddr\tport\taddr\tport"

static void
zeek_dns(void)
{
	FILE *fp = out("zeek-dns.log");

	zeek_head(fp, "dns", ID_F "\tproto\ttrans_id\trtt\tquery\tqclass\t"
	    "qclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\t"
	    "RA\tZ\tanswers\tTTLs\trejected",
	    ID_T "\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\t"
	    "string\tcount\tstring\tbool\tbool\tbool\tbool\tcount\t"
	    "vector[string]\tvector[interval]\tbool");
	fputs("1727769600.100000\tCa1\t10.30.0.21\t50001\t10.30.0.1\t53\t"
	    "udp\t4660\t0.012000\tactivation-v2.kaspersky.com\t1\tC_INTERNET"
	    "\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t"
	    "activation-v2.geo.kaspersky.com,77.74.176.10\t300.000000,"
	    "60.000000\tF\n", fp);
	fputs("1727769601.000000\tCa2\t10.30.0.21\t50002\t10.30.0.1\t53\t"
	    "udp\t4661\t0.010000\twww.example.org\t1\tC_INTERNET\t1\tA\t0\t"
	    "NOERROR\tF\tF\tT\tT\t0\t93.184.216.34\t3600.000000\tF\n", fp);
	fputs("1727769602.000000\tCa3\t2001:db8:30::21\t50003\t2001:db8:30::1"
	    "\t53\tudp\t4662\t0.011000\tdc1.ksn.kaspersky-labs.com\t1\t"
	    "C_INTERNET\t28\tAAAA\t0\tNOERROR\tF\tF\tT\tT\t0\t"
	    "2a03:2480:68::10\t120.000000\tF\n", fp);
	fputs("1727769603.000000\tCa4\t10.30.0.21\t50004\t10.30.0.1\t53\t"
	    "udp\t4663\t-\ts10.upd.kaspersky.com\t1\tC_INTERNET\t1\tA\t-\t-"
	    "\tF\tF\tT\tF\t0\t-\t-\tF\n", fp);
	fputs("1727769604.000000\tCa5\t10.30.0.21\t50005\t10.30.0.1\n", fp);
	fputs("1727769605.000000\tCa6\t10.30.0.999\t50006\t10.30.0.1\t53\t"
	    "udp\t4665\t-\ts11.upd.kaspersky.com\t1\tC_INTERNET\t1\tA\t-\t-"
	    "\tF\tF\tT\tF\t0\t-\t-\tF\n", fp);
	fputs("yesterday\tCa7\t10.30.0.21\t50007\t10.30.0.1\t53\t"
	    "udp\t4666\t-\ts12.upd.kaspersky.com\t1\tC_INTERNET\t1\tA\t-\t-"
	    "\tF\tF\tT\tF\t0\t-\t-\tF\n", fp);
	fputs("1727769607.000000\tCa8\t10.30.0.21\t50008\t10.30.0.1\t53\t"
	    "udp\t4667\t-\ts13\\x00.upd.kaspersky.com\t1\tC_INTERNET\t1\tA\t"
	    "-\t-\tF\tF\tT\tF\t0\t-\t-\tF\n", fp);
	fputs("#close\t2024-10-01-09-00-00\n", fp);
	done(fp);
}

static void
zeek_ssl(void)
{
	FILE *fp = out("zeek-ssl.log");

	zeek_head(fp, "ssl", ID_F "\tversion\tcipher\tcurve\tserver_name\t"
	    "resumed\tlast_alert\tnext_protocol\testablished\tssl_history\t"
	    "cert_chain_fps\tclient_cert_chain_fps\tsni_matches_cert",
	    ID_T "\tstring\tstring\tstring\tstring\tbool\tstring\tstring\t"
	    "bool\tstring\tvector[string]\tvector[string]\tbool");
	fputs("1727769610.000000\tCb1\t10.30.0.21\t50010\t77.74.176.10\t443\t"
	    "TLSv13\tTLS_AES_128_GCM_SHA256\tx25519\t-\tF\t-\th2\tT\tCsiI\t"
	    "(empty)\t(empty)\t-\n", fp);
	fputs("1727769611.000000\tCb2\t10.30.0.22\t50011\t80.239.170.10\t443\t"
	    "TLSv12\tTLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\tsecp256r1\t"
	    "s10.upd.kaspersky.com\tF\t-\t-\tT\tCsxknGIi\t(empty)\t(empty)\tT"
	    "\n", fp);
	fputs("1727769612.000000\tCb3\t10.30.0.29\t50012\t93.184.216.34\t443\t"
	    "TLSv13\tTLS_AES_128_GCM_SHA256\tx25519\twww.example.org\tF\t-\t"
	    "h2\tT\tCsiI\t(empty)\t(empty)\t-\n", fp);
	done(fp);
}

static void
zeek_http(void)
{
	FILE *fp = out("zeek-http.log");

	zeek_head(fp, "http", ID_F "\ttrans_depth\tmethod\thost\turi\t"
	    "referrer\tversion\tuser_agent\torigin\trequest_body_len\t"
	    "response_body_len\tstatus_code\tstatus_msg\tinfo_code\tinfo_msg\t"
	    "tags\tusername\tpassword\tproxied\torig_fuids\torig_filenames\t"
	    "orig_mime_types\tresp_fuids\tresp_filenames\tresp_mime_types",
	    ID_T "\tcount\tstring\tstring\tstring\tstring\tstring\tstring\t"
	    "string\tcount\tcount\tcount\tstring\tcount\tstring\tset[enum]\t"
	    "string\tstring\tset[string]\tvector[string]\tvector[string]\t"
	    "vector[string]\tvector[string]\tvector[string]\tvector[string]");
	fputs("1727769620.000000\tCc1\t10.30.0.23\t50020\t80.239.170.11\t8080\t"
	    "1\tGET\tdnl-03.geo.kaspersky.com:8080\t/index/u0607g.xml.dif\t-\t"
	    "1.1\tKaspersky\t-\t0\t1234\t200\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t"
	    "-\t-\t-\t-\t-\n", fp);
	done(fp);
}

static void
zeek_conn(void)
{
	FILE *fp = out("zeek-conn.log");

	zeek_head(fp, "conn", ID_F "\tproto\tservice\tduration\torig_bytes\t"
	    "resp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\t"
	    "history\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\t"
	    "tunnel_parents",
	    ID_T "\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\t"
	    "bool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]");
	fputs("1727769630.000000\tCd1\t10.30.0.24\t50030\t77.74.176.10\t443\t"
	    "tcp\t-\t1.200000\t517\t4120\tSF\tT\tF\t0\tShADadFf\t8\t937\t7\t"
	    "4492\t-\n", fp);
	fputs("1727769631.000000\tCd2\t10.30.0.29\t50031\t192.0.2.80\t80\t"
	    "tcp\thttp\t0.300000\t80\t300\tSF\tT\tF\t0\tShADadFf\t5\t360\t4\t"
	    "512\t-\n", fp);
	done(fp);
}

static void
zeek_json(void)
{
	FILE *fp = out("zeek.json");

	fputs("{\"ts\":1727769640.25,\"uid\":\"Ce1\",\"id.orig_h\":"
	    "\"10.31.0.5\",\"id.orig_p\":51001,\"id.resp_h\":\"10.31.0.1\","
	    "\"id.resp_p\":53,\"proto\":\"udp\",\"trans_id\":100,\"rtt\":0.01,"
	    "\"query\":\"downloads.upd.kaspersky.com\",\"qclass\":1,"
	    "\"qclass_name\":\"C_INTERNET\",\"qtype\":1,\"qtype_name\":\"A\","
	    "\"rcode\":0,\"rcode_name\":\"NOERROR\",\"AA\":false,\"TC\":false,"
	    "\"RD\":true,\"RA\":true,\"Z\":0,\"answers\":[\"80.239.170.20\"],"
	    "\"TTLs\":[120.0],\"rejected\":false}\n", fp);
	fputs("{\"ts\":\"2024-10-01T08:00:41.500000Z\",\"uid\":\"Ce2\","
	    "\"id.orig_h\":\"10.31.0.5\",\"id.orig_p\":51002,\"id.resp_h\":"
	    "\"80.239.170.20\",\"id.resp_p\":443,\"version\":\"TLSv13\","
	    "\"cipher\":\"TLS_AES_256_GCM_SHA384\",\"resumed\":false,"
	    "\"established\":true,\"ssl_history\":\"CsiI\"}\n", fp);
	fputs("{\"ts\":1727769642.0,\"uid\":\"Ce3\",\"id.orig_h\":"
	    "\"10.31.0.6\",\"id.orig_p\":51003,\"id.resp_h\":\"79.133.169.40\","
	    "\"id.resp_p\":80,\"trans_depth\":1,\"method\":\"GET\",\"host\":"
	    "\"edge.geo.kaspersky.com\",\"uri\":\"/\",\"version\":\"1.1\","
	    "\"request_body_len\":0,\"response_body_len\":0,"
	    "\"status_code\":304}\n", fp);
	fputs("{\"ts\":1727769643.0,\"uid\":\"Ce4\",\"id.orig_h\":"
	    "\"10.31.0.7\",\"id.orig_p\":51004,\"id.resp_h\":\"192.0.2.81\","
	    "\"id.resp_p\":443,\"proto\":\"tcp\",\"duration\":0.5,"
	    "\"conn_state\":\"SF\",\"history\":\"ShADadFf\"}\n", fp);
	fputs("{\"ts\":1727769644.0,\"uid\":\"Ce5\",\"id.orig_h\":\n", fp);
	fputs("[1, 2, 3]\n", fp);
	fputs("{\"ts\":1727769645.0,\"uid\":\"Ce6\",\"id.resp_h\":"
	    "\"10.31.0.1\",\"query\":\"s14.upd.kaspersky.com\"}\n", fp);
	fputs("{\"ts\":1727769646.0,\"uid\":\"Ce7\",\"id.orig_h\":"
	    "\"10.31.0.8\",\"id.orig_p\":70000,\"id.resp_h\":\"10.31.0.1\","
	    "\"id.resp_p\":53,\"query\":\"s15.upd.kaspersky.com\"}\n", fp);
	done(fp);
}

#define EVE_T(s)	"{\"timestamp\":\"2024-10-01T08:01:" s "+0000\","
#define EVE_FLOW(src, sp, dst, dp, proto) \
	"\"flow_id\":1,\"in_iface\":\"eth0\",\"src_ip\":\"" src \
	"\",\"src_port\":" sp ",\"dest_ip\":\"" dst "\",\"dest_port\":" dp \
	",\"proto\":\"" proto "\","

static void
eve(void)
{
	FILE *fp = out("eve.json");

	fputs(EVE_T("00.100000") EVE_FLOW("10.32.0.7", "52001", "10.32.0.1",
	    "53", "UDP") "\"event_type\":\"dns\",\"dns\":{\"type\":\"query\","
	    "\"id\":1,\"rrname\":\"s11.upd.kaspersky.com\",\"rrtype\":\"A\","
	    "\"tx_id\":0}}\n", fp);
	fputs(EVE_T("00.110000") EVE_FLOW("10.32.0.1", "53", "10.32.0.7",
	    "52001", "UDP") "\"event_type\":\"dns\",\"dns\":{\"type\":"
	    "\"answer\",\"id\":1,\"rcode\":\"NOERROR\",\"rrname\":"
	    "\"s11.upd.kaspersky.com\",\"rrtype\":\"CNAME\",\"ttl\":300,"
	    "\"rdata\":\"s11.upd.geo.kaspersky.com\"}}\n", fp);
	fputs(EVE_T("00.110000") EVE_FLOW("10.32.0.1", "53", "10.32.0.7",
	    "52001", "UDP") "\"event_type\":\"dns\",\"dns\":{\"type\":"
	    "\"answer\",\"id\":1,\"rcode\":\"NOERROR\",\"rrname\":"
	    "\"s11.upd.geo.kaspersky.com\",\"rrtype\":\"A\",\"ttl\":60,"
	    "\"rdata\":\"80.239.170.30\"}}\n", fp);
	fputs(EVE_T("01.000000") EVE_FLOW("10.32.0.1", "53", "10.32.0.7",
	    "52002", "UDP") "\"event_type\":\"dns\",\"dns\":{\"version\":2,"
	    "\"type\":\"answer\",\"id\":2,\"flags\":\"8180\",\"qr\":true,"
	    "\"rd\":true,\"ra\":true,\"rrname\":\"dc1.ksn.kaspersky-labs.com\","
	    "\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":[{\"rrname\":"
	    "\"dc1.ksn.kaspersky-labs.com\",\"rrtype\":\"A\",\"ttl\":600,"
	    "\"rdata\":\"79.133.169.10\"}]}}\n", fp);
	fputs(EVE_T("02.000000") EVE_FLOW("10.32.0.8", "52003", "10.32.0.1",
	    "53", "UDP") "\"event_type\":\"dns\",\"dns\":{\"version\":2,"
	    "\"type\":\"answer\",\"id\":3,\"rrname\":\"cm.k.kaspersky-labs.com\","
	    "\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"grouped\":{\"A\":"
	    "[\"79.133.169.11\"]}}}\n", fp);
	fputs(EVE_T("03.000000") EVE_FLOW("10.32.0.9", "52004", "10.32.0.1",
	    "53", "UDP") "\"event_type\":\"dns\",\"dns\":{\"version\":3,"
	    "\"type\":\"request\",\"id\":4,\"queries\":[{\"rrname\":"
	    "\"s12.upd.kaspersky.com\",\"rrtype\":\"A\"}]}}\n", fp);
	fputs(EVE_T("03.010000") EVE_FLOW("10.32.0.9", "52004", "10.32.0.1",
	    "53", "UDP") "\"event_type\":\"dns\",\"dns\":{\"version\":3,"
	    "\"type\":\"response\",\"id\":4,\"rcode\":\"NOERROR\",\"queries\":"
	    "[{\"rrname\":\"s12.upd.kaspersky.com\",\"rrtype\":\"A\"}],"
	    "\"answers\":[{\"rrname\":\"s12.upd.kaspersky.com\",\"rrtype\":"
	    "\"A\",\"ttl\":60,\"rdata\":\"80.239.170.31\"}]}}\n", fp);
	fputs(EVE_T("04.000000") EVE_FLOW("10.32.0.10", "52005",
	    "79.133.169.20", "443", "TCP") "\"event_type\":\"tls\",\"tls\":{"
	    "\"subject\":\"CN=*.kaspersky-labs.com\",\"sni\":"
	    "\"ksn-url-geo.kaspersky-labs.com\",\"version\":\"TLS 1.3\"}}\n", fp);
	fputs(EVE_T("05.000000") EVE_FLOW("10.32.0.7", "52006",
	    "79.133.169.10", "443", "TCP") "\"event_type\":\"tls\",\"tls\":{"
	    "\"version\":\"TLS 1.3\"}}\n", fp);
	fputs(EVE_T("06.000000") EVE_FLOW("10.32.0.11", "52007",
	    "80.239.170.32", "80", "TCP") "\"event_type\":\"http\",\"tx_id\":0,"
	    "\"http\":{\"hostname\":\"dnl-04.geo.kaspersky.com:80\",\"url\":"
	    "\"/\",\"http_method\":\"GET\",\"protocol\":\"HTTP/1.1\","
	    "\"status\":200,\"length\":10}}\n", fp);
	fputs(EVE_T("07.000000") EVE_FLOW("10.32.0.12", "52008",
	    "80.239.170.33", "443", "UDP") "\"event_type\":\"quic\",\"quic\":{"
	    "\"version\":\"1\",\"sni\":\"s13.upd.kaspersky.com\"}}\n", fp);
	fputs(EVE_T("08.000000") EVE_FLOW("10.32.0.9", "52009",
	    "80.239.170.31", "443", "TCP") "\"event_type\":\"flow\",\"flow\":{"
	    "\"pkts_toserver\":8,\"pkts_toclient\":7,\"bytes_toserver\":900,"
	    "\"bytes_toclient\":4400,\"start\":\"2024-10-01T08:01:08.000000+"
	    "0000\",\"state\":\"closed\",\"reason\":\"timeout\"}}\n", fp);
	fputs(EVE_T("09.000000") EVE_FLOW("10.32.0.13", "52010", "192.0.2.82",
	    "80", "TCP") "\"event_type\":\"alert\",\"alert\":{\"action\":"
	    "\"allowed\",\"signature_id\":2000001,\"signature\":\"test\"}}\n",
	    fp);
	fputs(EVE_T("10.000000") EVE_FLOW("10.32.0.14", "52011",
	    "80.239.170.34", "443", "TCP") "\"event_type\":\"tls\",\"tls\":{"
	    "\"sni\":\"s14.upd.kasp\n", fp);
	fputs(EVE_T("11.000000") EVE_FLOW("10.32.0.15", "52012",
	    "80.239.170.35", "443", "TCP") "\"tls\":{\"sni\":"
	    "\"s15.upd.kaspersky.com\"}}\n", fp);
	fputs("{\"timestamp\":\"now\"," EVE_FLOW("10.32.0.16", "52013",
	    "80.239.170.36", "443", "TCP") "\"event_type\":\"tls\",\"tls\":{"
	    "\"sni\":\"s16.upd.kaspersky.com\"}}\n", fp);
	fputs(EVE_T("13.000000") EVE_FLOW("10.32.0.17", "52014", "10.32.0.1",
	    "53", "UDP") "\"event_type\":\"dns\"}\n", fp);
	done(fp);
}

static void
cross(void)
{
	FILE *fp = out("cross-dns.log");

	zeek_head(fp, "dns", ID_F "\tproto\tquery\tqtype_name\trcode_name\t"
	    "answers\tTTLs", ID_T "\tenum\tstring\tstring\tstring\t"
	    "vector[string]\tvector[interval]");
	fputs("1795827590.300000\tCf1\t198.18.0.10\t40056\t198.18.0.2\t53\t"
	    "udp\tksn-file-geo.kaspersky-labs.com\tA\tNOERROR\t"
	    "198.18.0.2,2001:db8:4b::2\t60.000000,60.000000\n", fp);
	done(fp);
}

static void
zeek_dhcp(void)
{
	FILE *fp = out("zeek-dhcp.log");

	zeek_head(fp, "dhcp", "ts\tuids\tclient_addr\tserver_addr\tmac\t"
	    "host_name\tclient_fqdn\tdomain\trequested_addr\tassigned_addr\t"
	    "lease_time\tclient_message\tserver_message\tmsg_types\tduration",
	    "time\tset[string]\taddr\taddr\tstring\tstring\tstring\tstring\t"
	    "addr\taddr\tinterval\tstring\tstring\tvector[string]\tinterval");
	fputs("1727769605.000000\tCd1\t10.30.0.22\t10.30.0.1\t"
	    "52:54:00:30:00:22\tALICE-PC\talice-pc.corp.example\t"
	    "corp.example\t10.30.0.22\t10.30.0.22\t86400.000000\t-\t-\t"
	    "REQUEST,ACK\t0.010000\n", fp);
	fputs("1727769606.000000\tCd2\t-\t10.30.0.1\t52:54:00:30:00:99\t"
	    "GHOST\t-\t-\t-\t-\t-\t-\t-\tDISCOVER,OFFER\t0.010000\n", fp);
	fputs("1727769607.000000\tCd3\t10.30.0.21\t10.30.0.1\t"
	    "52:54:00:zz:00:01\tMALLORY\t-\t-\t-\t10.30.0.21\t-\t-\t-\t"
	    "REQUEST,ACK\t0.010000\n", fp);
	fputs("1727769608.000000\tCd4\t10.30.0.21\t10.30.0.1\t"
	    "52:54:00:30:00:21\tBOB-PC\t-\t-\t-\t10.30.0.21\t"
	    "86400.000000\t-\t-\tREQUEST,ACK\t0.010000\n", fp);
	done(fp);

	fp = out("zeek-dhcp.json");
	fputs("{\"ts\":1727769700.5,\"uids\":[\"Ce1\"],\"client_addr\":"
	    "\"10.31.0.5\",\"server_addr\":\"10.31.0.1\",\"mac\":"
	    "\"52:54:00:31:00:05\",\"host_name\":\"DAVE-PC\","
	    "\"assigned_addr\":\"10.31.0.5\",\"lease_time\":86400.0,"
	    "\"msg_types\":[\"REQUEST\",\"ACK\"],\"duration\":0.01}\n", fp);
	done(fp);

	fp = out("eve-dhcp.json");
	fputs("{\"timestamp\":\"2024-10-01T07:59:59.000000+0000\","
	    "\"event_type\":\"dhcp\",\"src_ip\":\"0.0.0.0\",\"src_port\":68,"
	    "\"dest_ip\":\"255.255.255.255\",\"dest_port\":67,\"proto\":\"UDP\","
	    "\"dhcp\":{\"type\":\"request\",\"id\":7,\"client_mac\":"
	    "\"52:54:00:32:00:07\",\"assigned_ip\":\"0.0.0.0\",\"client_ip\":"
	    "\"0.0.0.0\",\"dhcp_type\":\"request\",\"hostname\":"
	    "\"carol-laptop\"}}\n", fp);
	fputs("{\"timestamp\":\"2024-10-01T07:59:59.100000+0000\","
	    "\"event_type\":\"dhcp\",\"src_ip\":\"10.32.0.1\",\"src_port\":67,"
	    "\"dest_ip\":\"10.32.0.7\",\"dest_port\":68,\"proto\":\"UDP\","
	    "\"dhcp\":{\"type\":\"reply\",\"id\":7,\"client_mac\":"
	    "\"52:54:00:32:00:07\",\"assigned_ip\":\"10.32.0.7\","
	    "\"dhcp_type\":\"ack\",\"lease_time\":86400,\"hostname\":"
	    "\"carol-laptop\"}}\n", fp);
	fputs("{\"timestamp\":\"2024-10-01T07:59:59.200000+0000\","
	    "\"event_type\":\"dhcp\",\"src_ip\":\"10.32.0.1\",\"src_port\":67,"
	    "\"dest_ip\":\"10.32.0.8\",\"dest_port\":68,\"proto\":\"UDP\"}\n",
	    fp);
	done(fp);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-logs OUTDIR\n");
		return 2;
	}
	dir = argv[1];
	zeek_dns();
	zeek_ssl();
	zeek_http();
	zeek_conn();
	zeek_json();
	eve();
	zeek_dhcp();
	cross();
	return 0;
}
