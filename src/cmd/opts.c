/* opts.c - the one option table of every subcommand, its parser (getopt
 * built from the rows) and the --help texts the table is tested against. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "msg.h"
#include "opts.h"

#define R	CMD_READ
#define L	CMD_LIVE
#define M	CMD_MERGE
#define S	CMD_SIGS_LIST
#define D	CMD_DIFF
#define X	CMD_SIGS_EXPORT
#define F(m)	offsetof(struct opts, m), sizeof(((struct opts *)0)->m)
#define NONE	0, 0

const struct opt_row opt_rows[] = {
	/* name, short, commands, kind, member, min, max, default, want */
	{ "help", 'h', R|L|M|S|D|X, OK_HELP, NONE, 0, 0, 0, NULL },
	/* Signatures. */
	{ "sigs", 's', R|L|S|X, OK_SIGFILE, F(sigs), 0, 0, 0, NULL },
	{ "no-default-sigs", 0, R|L|S|X, OK_TRUE, F(sigs.no_default), 0, 0, 0,
	    NULL },
	/* Capture and input. */
	{ "file", 'r', R, OK_INPUT, F(inputs), 0, 0, 0, NULL },
	{ "interface", 'i', L, OK_IFACE, F(ifaces), 0, 0, 0, NULL },
	{ "dnstap", 0, L, OK_DNSTAP, F(dnstap), 0, 0, 0, NULL },
	{ "dnstap-connections", 0, L, OK_UINT, F(dnstap_conns), 1, 1024, 64,
	    "1-1024" },
	{ "filter", 'f', R|L, OK_STR, F(filter), 0, 0, 0, NULL },
	{ "snaplen", 0, L, OK_UINT, F(snaplen), 64, 262144, 0, "64-262144" },
	{ "buffer-size", 0, L, OK_SIZE, F(buffer_size), 65536, INT_MAX, 0,
	    "64K to 2G" },
	{ "no-promisc", 0, L, OK_TRUE, F(no_promisc), 0, 0, 0, NULL },
	/* Decoding: the same bounds in every command. */
	{ "dns-port", 0, R|L, OK_DNS_PORT, F(dns_ports), 1, 65535, 0, NULL },
	{ "trust-proxy", 0, R|L, OK_TRUST, F(trust), 0, 0, 0, NULL },
	{ "max-frag-mem", 0, R|L, OK_SIZE, F(frag_mem), 0, SIZE_MAX,
	    DEFAULT_FRAG_MEM, NULL },
	{ "frag-timeout", 0, R|L, OK_UINT, F(frag_timeout), 0, 3600,
	    DEFAULT_FRAG_TIMEOUT, "0-3600 seconds" },
	{ "tunnel-depth", 0, R|L, OK_UINT, F(tunnel_depth), 0, ENCAP_MAX,
	    ENCAP_DEPTH, "0-8" },
	{ "max-flows", 0, R|L, OK_UINT, F(max_flows), 1, 1u << 28,
	    DEFAULT_MAX_FLOWS, "1-268435456" },
	{ "stream-bytes", 0, R|L, OK_SIZE, F(stream_bytes), 512, 1u << 20,
	    DEFAULT_STREAM_BYTES, "512 to 1M" },
	{ "stream-buffers", 0, R|L, OK_UINT, F(stream_buffers), 0, 1u << 24,
	    DEFAULT_STREAM_BUFFERS, "0-16777216" },
	{ "max-attrib", 0, R|L, OK_UINT, F(max_attrib), 2, 1u << 24,
	    AUDIT_ATTRIB_ENTRIES, "2-16777216" },
	{ "attrib-ttl-min", 0, R|L, OK_UINT, F(attrib_ttl_min), 0, 604800,
	    AUDIT_ATTRIB_TTL_MIN, "0-604800 seconds" },
	{ "attrib-ttl-max", 0, R|L, OK_UINT, F(attrib_ttl_max), 0, 604800,
	    AUDIT_ATTRIB_TTL_MAX, "0-604800 seconds" },
	{ "max-hosts", 0, R|L, OK_UINT, F(max_hosts), 0, 1u << 30,
	    DEFAULT_MAX_HOSTS, "0-1073741824" },
	/* Machine names from DHCP, mDNS, LLMNR, NetBIOS (doc/names.md). */
	{ "max-name-addrs", 0, R|L, OK_UINT, F(max_name_addrs), 1, 1u << 24,
	    HNAMES_DEFAULT, "1-16777216" },
	/* Reports. */
	{ "networks", 'n', R|L|M|D, OK_STR, F(networks), 0, 0, 0, NULL },
	{ "group-prefix", 0, R|L|M|D, OK_PLEN, F(v4_plen), 0, 0, 0, NULL },
	{ "format", 'F', R|L|M|D|X, OK_FORMAT, F(formats), 0, 0, 0, NULL },
	{ "output", 'o', R|L|M|D|X, OK_STR, F(output), 0, 0, 0, NULL },
	{ "report-dir", 0, R|L|M, OK_STR, F(report_dir), 0, 0, 0, NULL },
	{ "letter", 0, R|M, OK_STR, F(letter), 0, 0, 0, NULL },
	{ "leases", 0, R|L|M, OK_LEASES, F(leases), 0, 0, 0, NULL },
	{ "max-leases", 0, R|L|M, OK_UINT, F(max_leases), 0, 1u << 30,
	    DEFAULT_MAX_LEASES, "0-1073741824" },
	{ "group-by", 0, R|L|M, OK_GROUPBY, F(group_by_sub), 0, 0, 0, NULL },
	{ "max-names", 0, R|L|M, OK_UINT, F(max_names), 1, 1000000,
	    DEFAULT_MAX_NAMES, "1-1000000" },
	{ "events", 0, R|L, OK_STR, F(events), 0, 0, 0, NULL },
	{ "events-format", 0, R|L, OK_EVFMT, F(events_format), 0, 0, 0,
	    NULL },
	{ "community-id-seed", 0, R|L, OK_UINT, F(community_seed), 0, 65535,
	    0, "0-65535" },
	{ "events-buffer", 0, L, OK_SIZE, F(events_buffer), 65536, 1u << 30,
	    DEFAULT_EVENTS_BUFFER, "64K to 1G" },
	{ "write-matches", 0, R, OK_STR, F(write_matches), 0, 0, 0, NULL },
	{ "write-flows", 0, R, OK_TRUE, F(write_flows), 0, 0, 0, NULL },
	{ "anonymize", 0, R, OK_STR, F(anonymize), 0, 0, 0, NULL },
	{ "anonymise", 0, R, OK_STR, F(anonymize), 0, 0, 0, NULL },
	{ "fail-on-match", 0, R, OK_TRUE, F(fail_on_match), 0, 0, 0, NULL },
	{ "progress", 0, R, OK_PROGRESS, F(progress), 0, 0, 1, NULL },
	{ "no-progress", 0, R, OK_PROGRESS, F(progress), 0, 0, 0, NULL },
	{ "workers", 0, R|L, OK_UINT, F(workers), 1, WORKERS_MAX, 0, "1-64" },
	/* The daemon. */
	{ "report-every", 0, L, OK_DURATION, F(report_every), 1, 30 * 86400,
	    DEFAULT_REPORT_EVERY, "a duration like 30s, 5m or 1h (up to 30d)" },
	{ "state", 0, L, OK_STR, F(state), 0, 0, 0, NULL },
	{ "listen", 0, L, OK_STR, F(listen), 0, 0, 0, NULL },
	{ "listen-token", 0, L, OK_STR, F(token_file), 0, 0, 0, NULL },
	{ "max-connections", 0, L, OK_UINT, F(max_conns), 1, 4096,
	    DEFAULT_MAX_CONNS, "1-4096" },
	{ "user", 0, L, OK_STR, F(user), 0, 0, 0, NULL },
	{ "syslog", 0, L, OK_TRUE, F(syslog), 0, 0, 0, NULL },
	/* sigs export. */
	{ "rpz-action", 0, X, OK_STR, F(rpz_action), 0, 0, 0, NULL },
	{ "redirect-ip", 0, X, OK_STR, F(redirect_ip), 0, 0, 0, NULL },
	{ "zone", 0, X, OK_STR, F(zone), 0, 0, 0, NULL },
	{ "category", 0, X, OK_STR, F(category), 0, 0, 0, NULL },
};
const size_t opt_n_rows = sizeof(opt_rows) / sizeof(opt_rows[0]);

#undef R
#undef L
#undef M
#undef S
#undef D
#undef X

/* ---- --help ----------------------------------------------------------- */

static const char read_usage[] =
"Usage: kasaudit read [options] FILE...\n"
"       kasaudit read [options] -r FILE...\n"
"Audit saved captures (pcap or pcapng), resolvers' dnstap logs, Zeek logs\n"
"(TSV or JSON) and Suricata EVE JSON, told apart by content (- reads\n"
"standard input; man: LOGS), and report the hosts that contacted names in\n"
"the signature sets.\n"
"\n"
"Signatures:\n"
"  -s, --sigs FILE          add a signature set (repeatable)\n"
"      --no-default-sigs    do not load the built-in Kaspersky set\n"
"Input:\n"
"  -r, --file FILE          read FILE too, before the operands (repeatable)\n"
"  -f, --filter EXPR        only packets matching this BPF expression\n"
"      --dns-port PORT      also parse DNS on this port, UDP and TCP\n"
"                           (repeatable; 53 always)\n"
"      --trust-proxy CIDR   believe X-Forwarded-For, Forwarded and PROXY\n"
"                           protocol headers only from proxies in CIDR\n"
"                           (repeatable; none: from nobody; default:\n"
"                           private, shared, link-local ranges)\n"
"      --max-frag-mem SIZE  memory for IP fragment reassembly (default 8M)\n"
"      --frag-timeout SEC   drop unfinished fragments after SEC seconds of\n"
"                           packet time (default 30)\n"
"      --tunnel-depth N     open at most N tunnels around a packet (GRE,\n"
"                           VXLAN, GTP-U...; default 4, 0: none)\n"
"      --max-flows N        TCP/UDP flows tracked at once (default 65536;\n"
"                           the least recently used is evicted)\n"
"      --stream-bytes SIZE  bytes kept per stream direction until its names\n"
"                           are read (default 16K)\n"
"      --stream-buffers N   stream buffers held at once (default 1024;\n"
"                           the stalest is taken when none is free)\n"
"      --max-attrib N       DNS answers remembered to attribute nameless\n"
"                           connections (default 16384)\n"
"      --attrib-ttl-min SEC, --attrib-ttl-max SEC\n"
"                           clamp the answers' TTLs (default 60, 86400)\n"
"      --max-hosts N        hosts tracked in the report (default 1000000;\n"
"                           0: no cap)\n"
"      --max-name-addrs N   addresses whose machine names (DHCP, mDNS,\n"
"                           LLMNR, NetBIOS) are kept (default 16384)\n"
"Report:\n"
"  -n, --networks FILE      name networks: lines 'CIDR name [contact...]'\n"
"      --group-prefix V4,V6 group other hosts by these prefix lengths\n"
"                           (default 24,64)\n"
"      --leases FILE        who held each address when: dhcpd.leases, Kea\n"
"                           lease CSV or a TSV (repeatable; man: FILES)\n"
"      --max-leases N       lease intervals kept (default 1000000; 0: no\n"
"                           cap)\n"
"      --group-by WHAT      network (default) or subscriber: per-network\n"
"                           outputs per subscriber (--leases)\n"
"  -F, --format FMT         text (default), json, csv or html\n"
"  -o, --output FILE        write the report to FILE (default stdout)\n"
"      --report-dir DIR     also each network's pack for its customer: a\n"
"                           text and a JSON report (and the -F format if csv\n"
"                           or html), with index.txt and index.json, in DIR\n"
"      --letter TEMPLATE    also a letter per network next to its pack (text\n"
"                           and HTML) and outreach.csv; 'default' is the\n"
"                           built-in English letter (kasaudit.1: Letter)\n"
"      --events FILE        write one JSON line per match to FILE (- stdout)\n"
"      --events-format FMT  json (default), ecs (Elastic Common Schema) or\n"
"                           eve (Suricata EVE alerts)\n"
"      --community-id-seed N  seed of the events' Community ID (default 0)\n"
"      --write-matches FILE write every packet that carried a matched name\n"
"                           to FILE (pcapng; - stdout)\n"
"      --write-flows        with --write-matches: every packet of the flows\n"
"                           that had a match (reads the files twice)\n"
"      --anonymize KEYFILE  pseudonymise IP addresses in every output\n"
"                           (Crypto-PAn; KEYFILE: 32 bytes or 64 hex\n"
"                           digits) and leave MACs out\n"
"      --max-names N        distinct names kept per host (default 64)\n"
"      --fail-on-match      exit 1 when an offending host was found\n"
"      --progress, --no-progress\n"
"                           a progress line on standard error (default:\n"
"                           when it is a terminal)\n"
"      --workers N          threads: 1 reads and audits on one; 2 or more\n"
"                           read pcap and pcapng on a thread of their own\n"
"                           (two stages: more than 2 add nothing yet;\n"
"                           default: online CPUs, at most 8); the outputs\n"
"                           are the same for every N\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 done; 1 offenders found with --fail-on-match; 2 usage,\n"
"signature or networks file error; 3 an input could not be read to its end,\n"
"or an output not written.\n";

static const char live_usage[] =
"Usage: kasaudit live -i IFACE... | --dnstap unix:PATH|tcp:ADDR:PORT...\n"
"       [options]\n"
"Audit live traffic (a span port or TAP) and resolvers' dnstap for months:\n"
"report every interval, keep what was learned across restarts, serve a\n"
"status page.\n"
"\n"
"Capture (needs root or CAP_NET_RAW, dropped once the captures are open):\n"
"  -i, --interface IFACE    capture on IFACE (repeatable)\n"
"  -f, --filter EXPR        BPF filter, run in the kernel\n"
"      --snaplen BYTES      bytes kept per packet (default 262144)\n"
"      --buffer-size SIZE   kernel buffer per interface (e.g. 64M)\n"
"      --no-promisc         do not turn promiscuous mode on\n"
"      --workers N          capture threads (default 1): N sockets per\n"
"                           interface in a PACKET_FANOUT group (a flow's\n"
"                           both ways to one); one report, one state\n"
"Resolvers' dnstap (alone or with -i):\n"
"      --dnstap unix:PATH|tcp:ADDR:PORT\n"
"                           accept dnstap (Frame Streams) from resolvers\n"
"                           here (repeatable)\n"
"      --dnstap-connections N\n"
"                           connections at once per listener (default 64)\n"
"Signatures (re-read on SIGHUP):\n"
"  -s, --sigs FILE          add a signature set (repeatable)\n"
"      --no-default-sigs    do not load the built-in Kaspersky set\n"
"Decoding:\n"
"      --dns-port PORT      also parse DNS on this port, UDP and TCP\n"
"                           (repeatable)\n"
"      --trust-proxy CIDR   believe X-Forwarded-For, Forwarded and PROXY\n"
"                           protocol headers only from proxies in CIDR\n"
"                           (repeatable; none: from nobody; default:\n"
"                           private, shared, link-local ranges)\n"
"      --max-frag-mem SIZE  memory for IP fragment reassembly (default 8M)\n"
"      --frag-timeout SEC   drop unfinished fragments (default 30)\n"
"      --tunnel-depth N     tunnels opened around a packet (default 4)\n"
"      --max-flows N        TCP/UDP flows tracked at once (default 65536)\n"
"      --stream-bytes SIZE  bytes kept per stream direction (default 16K)\n"
"      --stream-buffers N   stream buffers held at once (default 1024;\n"
"                           the stalest is taken when none is free)\n"
"      --max-attrib N       DNS answers remembered to attribute nameless\n"
"                           connections (default 16384)\n"
"      --attrib-ttl-min SEC, --attrib-ttl-max SEC\n"
"                           clamp the answers' TTLs (default 60, 86400)\n"
"Reports (atomic: a temporary file, fsync, rename):\n"
"  -n, --networks FILE      name networks (re-read on SIGHUP)\n"
"      --group-prefix V4,V6 group other hosts (default 24,64)\n"
"      --leases FILE        who held each address when: dhcpd.leases, Kea\n"
"                           lease CSV or a TSV (repeatable; re-read on\n"
"                           SIGHUP; man: FILES)\n"
"      --max-leases N       lease intervals kept (default 1000000; 0: no\n"
"                           cap)\n"
"      --group-by WHAT      network (default) or subscriber: per-network\n"
"                           outputs per subscriber (--leases)\n"

"  -F, --format FMT         text (default), json, csv or html; repeat for\n"
"                           several (--report-dir)\n"
"  -o, --output FILE        write each report to FILE (one format)\n"
"      --report-dir DIR     write DIR/report.EXT for each -F format (txt,\n"
"                           json, csv, html)\n"
"      --report-every DUR   30s, 5m, 1h... (default 5m); SIGUSR1: now\n"
"      --max-names N        distinct names kept per host (default 64)\n"
"      --max-hosts N        hosts kept (default 1000000; 0: no cap)\n"
"      --max-name-addrs N   addresses whose machine names (DHCP, mDNS,\n"
"                           LLMNR, NetBIOS) are kept (default 16384)\n"
"      --state FILE         snapshot the tables to FILE every interval and\n"
"                           at exit; read back at start\n"
"Events (one line per match, as they happen):\n"
"      --events FILE        append to FILE, reopened on SIGHUP (logrotate);\n"
"                           syslog: RFC 5424 with structured data to\n"
"                           /dev/log; syslog:PATH to that socket\n"
"      --events-format FMT  json (default), ecs or eve\n"
"      --community-id-seed N  seed of the events' Community ID (default 0)\n"
"      --events-buffer SIZE events waiting for a slow disk or syslog\n"
"                           (default 1M); beyond, dropped and counted\n"
"Status endpoint (off unless --listen):\n"
"      --listen ADDR:PORT   serve /metrics, /report.json, / and /healthz\n"
"      --listen-token FILE  require 'Authorization: Bearer TOKEN'\n"
"      --max-connections N  open status connections (default 16)\n"
"Daemon:\n"
"      --user USER          run as USER once set up (default nobody as root)\n"
"      --syslog             log to syslog (daemon facility), not stderr\n"
"  -h, --help               this help\n"
"\n"
"SIGHUP reloads the signatures, networks and leases, SIGUSR1 writes the\n"
"reports, SIGTERM and SIGINT write the final reports and exit 0.  Exit\n"
"status: 2 usage or set-up error; 3 every capture failed or a final report\n"
"could not be written.\n";

static const char merge_usage[] =
"Usage: kasaudit merge [options] REPORT.json...\n"
"Combine JSON reports (kasaudit read -F json) from several sensors or runs\n"
"into one: hosts joined by address, counts added, first and last seen\n"
"widened.  The result does not depend on the order of the reports.\n"
"\n"
"  -n, --networks FILE      name networks: lines 'CIDR name [contact...]'\n"
"                           (the reports' network names are not kept)\n"
"      --group-prefix V4,V6 group other hosts by these prefix lengths\n"
"                           (default: the reports' own if they agree, else\n"
"                           24,64)\n"
"      --leases FILE        lease files: contacts of --group-by subscriber\n"
"                           (repeatable; the reports' subscribers are kept)\n"
"      --max-leases N       lease intervals kept (default 1000000; 0: no\n"
"                           cap)\n"
"      --group-by WHAT      network (default) or subscriber: per-network\n"
"                           outputs per subscriber\n"
"  -F, --format FMT         text (default), json, csv or html\n"
"  -o, --output FILE        write the report to FILE (default stdout)\n"
"      --report-dir DIR     also each network's pack (text, JSON and the -F\n"
"                           format) and an index in DIR, as read does\n"
"      --letter TEMPLATE    and a letter per network, as read does\n"
"      --max-names N        distinct names kept per host: the N seen first\n"
"                           (default: the largest of the reports')\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 done; 2 usage or networks file error; 3 a report could not\n"
"be read (nothing is written then).\n";

static const char diff_usage[] =
"Usage: kasaudit diff [options] OLD.json NEW.json\n"
"Compare two audits (JSON reports, or live state files) per network:\n"
"the hosts that are new, gone (stopped) and still active, with their\n"
"last contact in each.  A host is its address.\n"
"\n"
"  -n, --networks FILE      group both audits by these networks (the\n"
"                           reports' own network names are not kept)\n"
"      --group-prefix V4,V6 group other hosts by these prefix lengths\n"
"                           (default: the reports' own, else 24,64)\n"
"  -F, --format FMT         text (default), json or csv\n"
"  -o, --output FILE        write to FILE (default stdout)\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 done; 2 usage or networks file error; 3 a report could not\n"
"be read (nothing is written then).\n";

static const char sigs_usage[] =
"Usage: kasaudit sigs check FILE...\n"
"       kasaudit sigs list [-s FILE]... [--no-default-sigs]\n"
"       kasaudit sigs export -F FMT [options]   (sigs export --help)\n"
"check:  load each signature file on its own and report errors as\n"
"        file:line: what is wrong (exit 2 if any file is bad).\n"
"list:   print the signatures in effect: the built-in set, then -s files.\n"
"export: write them as a resolver policy or IDS rules.\n";

static const char sigs_export_usage[] =
"Usage: kasaudit sigs export -F FMT [options]\n"
"Write the name signatures in effect (the built-in set, then -s files) as\n"
"what resolvers and IDSs load.  A header in the output says what each\n"
"pattern kind became and lists what the format could not express.\n"
"\n"
"  -F, --format FMT         rpz (an RPZ zone), unbound (local-zone lines),\n"
"                           dnsmasq (address= lines), hosts (exact names\n"
"                           only), suricata (dns.query and tls.sni rules)\n"
"                           or zeek-intel (an Intel::DOMAIN file)\n"
"  -o, --output FILE        write to FILE, atomically (default stdout)\n"
"  -s, --sigs FILE          add a signature set (repeatable)\n"
"      --no-default-sigs    do not load the built-in sets\n"
"      --category LIST      categories to export, comma-separated, or all\n"
"                           (default: all but encrypted-dns and successor)\n"
"      --rpz-action ACTION  what rpz, unbound and dnsmasq answer: nxdomain\n"
"                           (default), nodata (rpz, unbound) or\n"
"                           cname:NAME (rpz, unbound: a walled garden)\n"
"      --redirect-ip ADDR[,ADDR]\n"
"                           answer with these addresses instead (one IPv4,\n"
"                           one IPv6; rpz, unbound, dnsmasq, hosts)\n"
"      --zone NAME          the RPZ zone's origin (default rpz.kasaudit)\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 done; 2 usage or signature file error; 3 the output could\n"
"not be written.\n";

const char *
opts_usage(unsigned cmd)
{
	switch (cmd) {
	case CMD_READ:
		return read_usage;
	case CMD_LIVE:
		return live_usage;
	case CMD_MERGE:
		return merge_usage;
	case CMD_DIFF:
		return diff_usage;
	case CMD_SIGS_EXPORT:
		return sigs_export_usage;
	default:
		return sigs_usage;
	}
}

static const char *
cmd_name(unsigned cmd)
{
	switch (cmd) {
	case CMD_READ:
		return "read";
	case CMD_LIVE:
		return "live";
	case CMD_MERGE:
		return "merge";
	case CMD_DIFF:
		return "diff";
	case CMD_SIGS_EXPORT:
		return "sigs export";
	default:
		return "sigs";
	}
}

/* ---- values ----------------------------------------------------------- */

bool
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return false;
	*out = v;
	return true;
}

/* "64M", "512K", "1G" or plain bytes. */
bool
parse_size(const char *s, size_t *out)
{
	unsigned long long v, mul = 1;
	char buf[32];
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n + 1);
	switch (buf[n - 1]) {
	case 'k': case 'K': mul = 1ull << 10; break;
	case 'm': case 'M': mul = 1ull << 20; break;
	case 'g': case 'G': mul = 1ull << 30; break;
	default: break;
	}
	if (mul != 1)
		buf[n - 1] = '\0';
	if (!parse_uint(buf, SIZE_MAX / mul, &v))
		return false;
	*out = (size_t)(v * mul);
	return true;
}

bool
parse_group_prefix(const char *s, unsigned *v4, unsigned *v6)
{
	unsigned long long a, b;
	char buf[32], *comma;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if ((comma = strchr(buf, ',')) == NULL)
		return false;
	*comma = '\0';
	if (!parse_uint(buf, 32, &a) || !parse_uint(comma + 1, 128, &b))
		return false;
	*v4 = (unsigned)a;
	*v6 = (unsigned)b;
	return true;
}

bool
add_sigfile(struct sigopts *so, const char *path)
{
	if (so->n_files == sizeof(so->files) / sizeof(so->files[0])) {
		warnx("too many -s files (at most %zu)",
		    sizeof(so->files) / sizeof(so->files[0]));
		return false;
	}
	so->files[so->n_files++] = path;
	return true;
}

/* v into the member at p, as wide as the member is. */
static void
store_uint(void *p, size_t size, unsigned long long v)
{
	switch (size) {
	case sizeof(uint32_t): {
		uint32_t x = (uint32_t)v;
		memcpy(p, &x, sizeof(x));
		break;
	}
	default: {
		uint64_t x = (uint64_t)v;
		memcpy(p, &x, sizeof(x));
		break;
	}
	}
}

static void
set_defaults(unsigned cmd, struct opts *o)
{
	size_t i;

	/*
	 * All but inputs[] (32 KiB, read only below n_inputs): clearing it
	 * cost 8 page faults of stack at every start.
	 */
	memset(o, 0, offsetof(struct opts, inputs));
	memset(&o->n_inputs, 0, sizeof(*o) - offsetof(struct opts, n_inputs));
	o->cmd = cmd;
	o->v4_plen = DEFAULT_V4_PLEN;
	o->v6_plen = DEFAULT_V6_PLEN;
	o->progress = -1;
	for (i = 0; i < opt_n_rows; i++) {
		const struct opt_row *r = &opt_rows[i];

		if (!(r->cmds & cmd) || r->def == 0 || (r->kind != OK_UINT &&
		    r->kind != OK_SIZE && r->kind != OK_DURATION))
			continue;
		store_uint((char *)o + r->off, r->size, r->def);
	}
	/* merge: by default the largest of the reports'. */
	if (cmd == CMD_MERGE)
		o->max_names = 0;
}

/* One option's value into o; false with a warning. */
static bool
take(const struct opt_row *r, const char *arg, struct opts *o)
{
	char *p = (char *)o + r->off;
	const struct writer *w;
	unsigned long long v;
	char msg[ERRBUF_LEN];
	unsigned sec, plen;
	size_t sz, i;

	switch (r->kind) {
	case OK_HELP:
		return true;
	case OK_TRUE:
		*(bool *)p = true;
		return true;
	case OK_STR:
		*(const char **)p = arg;
		return true;
	case OK_PROGRESS:
		o->progress = (int)r->def;
		return true;
	case OK_UINT:
		if (!parse_uint(arg, r->max, &v) || v < r->min)
			break;
		store_uint(p, r->size, v);
		return true;
	case OK_SIZE:
		if (!parse_size(arg, &sz) || sz < r->min || sz > r->max)
			break;
		store_uint(p, r->size, sz);
		return true;
	case OK_DURATION:
		if (!live_parse_duration(arg, &sec) || sec < r->min ||
		    sec > r->max)
			break;
		store_uint(p, r->size, sec);
		return true;
	case OK_SIGFILE:
		return add_sigfile(&o->sigs, arg);
	case OK_DNS_PORT:
		if (!parse_uint(arg, r->max, &v) || v < r->min) {
			warnx("--dns-port: not a port: %s", arg);
			return false;
		}
		if (o->n_dns_ports == AUDIT_MAX_DNS_PORTS) {
			warnx("--dns-port: at most %d ports",
			    AUDIT_MAX_DNS_PORTS);
			return false;
		}
		o->dns_ports[o->n_dns_ports++] = (uint16_t)v;
		return true;
	case OK_TRUST:
		o->trust_set = true;
		if (strcmp(arg, "none") == 0)
			return true;
		if (o->n_trust == AUDIT_MAX_TRUST) {
			warnx("--trust-proxy: at most %d prefixes",
			    AUDIT_MAX_TRUST);
			return false;
		}
		if (conf_cidr(&o->trust[o->n_trust].prefix, &plen, arg,
		    strlen(arg), msg, sizeof(msg)) != NULL) {
			warnx("--trust-proxy: %s", msg);
			return false;
		}
		o->trust[o->n_trust++].plen = plen;
		return true;
	case OK_PLEN:
		if (!parse_group_prefix(arg, &o->v4_plen, &o->v6_plen)) {
			warnx("--group-prefix: want V4,V6 (0-32,0-128), got %s",
			    arg);
			return false;
		}
		o->have_plen = true;
		return true;
	case OK_FORMAT:
		if (o->cmd == CMD_SIGS_EXPORT) {
			o->export_format = arg;
			return true;
		}
		if ((w = writer_find(arg)) == NULL) {
			warnx("--format: %s, not %s", writer_names(), arg);
			return false;
		}
		/* The last one, and each once: read and merge write the
		 * last, live every one given. */
		for (i = 0; i < o->n_formats && o->formats[i] != w; i++)
			;
		for (; i + 1 < o->n_formats; i++)
			o->formats[i] = o->formats[i + 1];
		o->formats[i] = w;
		o->n_formats = i + 1;
		return true;
	case OK_EVFMT:
		if (!report_events_format(arg, &o->events_format)) {
			warnx("--events-format: json, ecs or eve, not %s", arg);
			return false;
		}
		return true;
	case OK_LEASES:
		if (o->n_leases == OPTS_MAX_LEASES) {
			warnx("--leases: at most %d files", OPTS_MAX_LEASES);
			return false;
		}
		o->leases[o->n_leases++] = arg;
		return true;
	case OK_GROUPBY:
		if (strcmp(arg, "network") != 0 &&
		    strcmp(arg, "subscriber") != 0) {
			warnx("--group-by: network or subscriber, not %s", arg);
			return false;
		}
		o->group_by_sub = strcmp(arg, "subscriber") == 0;
		return true;
	case OK_INPUT:
		if (o->n_inputs == OPTS_MAX_INPUTS) {
			warnx("-r: at most %d (give the rest as operands)",
			    OPTS_MAX_INPUTS);
			return false;
		}
		o->inputs[o->n_inputs++] = arg;
		return true;
	case OK_DNSTAP:
		if (o->n_dnstap == LIVE_MAX_STREAM_LISTENERS) {
			warnx("--dnstap: at most %d listeners",
			    LIVE_MAX_STREAM_LISTENERS);
			return false;
		}
		for (i = 0; i < o->n_dnstap; i++)
			if (strcmp(o->dnstap[i], arg) == 0) {
				warnx("--dnstap %s: given twice", arg);
				return false;
			}
		o->dnstap[o->n_dnstap++] = arg;
		return true;
	case OK_IFACE:
		if (o->n_ifaces == LIVE_MAX_SOURCES) {
			warnx("-i: at most %d interfaces", LIVE_MAX_SOURCES);
			return false;
		}
		for (i = 0; i < o->n_ifaces; i++)
			if (strcmp(o->ifaces[i], arg) == 0) {
				warnx("-i %s: given twice", arg);
				return false;
			}
		o->ifaces[o->n_ifaces++] = arg;
		return true;
	}
	if (r->want != NULL)
		warnx("--%s: want %s, got %s", r->name, r->want, arg);
	else
		warnx("--%s: not a size: %s", r->name, arg);
	return false;
}

/* The first row that stores where row i does: i itself unless an alias. */
static size_t
canonical(size_t i)
{
	const struct opt_row *r = &opt_rows[i];
	size_t k;

	if (r->kind == OK_HELP || r->kind == OK_PROGRESS)
		return i;
	for (k = 0; k < i; k++)
		if (opt_rows[k].off == r->off && opt_rows[k].kind == r->kind)
			return k;
	return i;
}

static bool
takes_arg(const struct opt_row *r)
{
	return r->kind != OK_HELP && r->kind != OK_TRUE &&
	    r->kind != OK_PROGRESS;
}

int
opts_parse(unsigned cmd, int argc, char **argv, struct opts *o)
{
	struct option longopts[sizeof(opt_rows) / sizeof(opt_rows[0]) + 1];
	char shortopts[2 * (sizeof(opt_rows) / sizeof(opt_rows[0])) + 2];
	const struct opt_row *r;
	size_t i, n = 0, ns = 0, k;
	int c;

	set_defaults(cmd, o);
	for (i = 0; i < opt_n_rows; i++) {
		r = &opt_rows[i];
		if (!(r->cmds & cmd))
			continue;
		longopts[n].name = r->name;
		longopts[n].has_arg = takes_arg(r) ? required_argument :
		    no_argument;
		longopts[n].flag = NULL;
		/* Aliases (--anonymise) share a value, so that getopt takes
		 * an abbreviation of both (--anonym) as one option. */
		longopts[n].val = 256 + (int)canonical(i);
		n++;
		if (r->short_name != 0) {
			shortopts[ns++] = (char)r->short_name;
			if (takes_arg(r))
				shortopts[ns++] = ':';
		}
	}
	memset(&longopts[n], 0, sizeof(longopts[n]));
	shortopts[ns] = '\0';
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) !=
	    -1) {
		r = NULL;
		if (c >= 256 && (size_t)(c - 256) < opt_n_rows)
			r = &opt_rows[c - 256];
		else if (c != '?' && c != ':')
			for (k = 0; k < opt_n_rows && r == NULL; k++)
				if (opt_rows[k].short_name == c &&
				    (opt_rows[k].cmds & cmd))
					r = &opt_rows[k];
		if (r == NULL) {
			fprintf(stderr, "Try 'kasaudit %s --help'.\n",
			    cmd_name(cmd));
			return -1;
		}
		if (r->kind == OK_HELP) {
			fputs(opts_usage(cmd), stdout);
			return 1;
		}
		if (!take(r, optarg, o))
			return -1;
	}
	return 0;
}
