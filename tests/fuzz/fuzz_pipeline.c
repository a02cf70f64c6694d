/* fuzz_pipeline.c - libFuzzer: a capture file through the whole pipeline. */

/*
 * As `kasaudit read` runs it: capture, decode, audit, aggregate, report.
 */
#include <stdbool.h>
#include <string.h>

#include "aggregate.h"
#include "audit.h"
#include "capture.h"
#include "decode.h"
#include "err.h"
#include "fuzz.h"
#include "match.h"
#include "netmap.h"
#include "report.h"

#define MAX_RECORDS	20000

/* "." makes every name an observation, so aggregate and report see all. */
static const char all_sigs[] = ". other source=fuzz\n";
static const char networks[] =
    "10.0.0.0/8 ten ops@example.com\n"
    "192.168.0.0/16 lan\n"
    "2001:db8::/32 doc\n";

static struct match *m;
static struct netmap *nm;
static FILE *devnull;

struct state {
	struct aggregate	*agg;
};

static void
on_match(void *arg, const struct obs *o, const struct match_sig *sig)
{
	struct state *st = arg;

	FUZZ_CHECK(o->name != NULL && strlen(o->name) == o->name_len);
	if (!(o->flags & OBS_F_ECH))
		(void)aggregate_add(st->agg, o, sig);
	(void)report_event(devnull, o, sig);
}

static void
setup(void)
{
	char errbuf[ERRBUF_LEN];

	if ((m = match_new()) == NULL ||
	    match_load_builtin(m, errbuf) != ERR_OK ||
	    match_load_buf(m, all_sigs, strlen(all_sigs), "fuzz", errbuf) !=
	    ERR_OK || (nm = netmap_new()) == NULL ||
	    netmap_load_buf(nm, networks, strlen(networks), "fuzz", errbuf) !=
	    ERR_OK || (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_LEN];
	struct audit_config ac;
	struct report_meta meta;
	struct report_file rf;
	struct report_linktype lt;
	struct state st;
	struct capture *cap = NULL;
	struct capture_pkt cp;
	struct decode *dec;
	struct audit *aud;
	const struct agg_net *net;
	struct pkt p;
	size_t i;
	int r = ERR_OK;

	if (m == NULL)
		setup();
	errbuf[0] = '\0';
	memset(&ac, 0, sizeof(ac));
	ac.match = m;
	ac.dns_ports[0] = 5300;
	ac.n_dns_ports = 1;
	/* Small tables, so eviction and refusal are reached too. */
	ac.flow.max_flows = 64;
	ac.flow.n_buffers = 8;
	ac.flow.stream_bytes = 2048;
	ac.flow.tcp_idle = 300;
	ac.flow.udp_idle = 60;
	/* A small attribution table: it is allocated per input. */
	ac.attrib.max_entries = 64;
	ac.attrib.ttl_min = 60;
	ac.attrib.ttl_max = 86400;
	memset(&st, 0, sizeof(st));
	if ((st.agg = aggregate_new(4)) == NULL ||
	    (dec = decode_new(64 * 1024, 30)) == NULL ||
	    (aud = audit_new(&ac, on_match, &st)) == NULL)
		abort();
	memset(&rf, 0, sizeof(rf));
	memset(&meta, 0, sizeof(meta));
	memset(&lt, 0, sizeof(lt));
	rf.path = "fuzz";
	rf.error = "";
	rf.format = "";
	if (capture_open_buf(&cap, data, size, "fuzz", errbuf) != ERR_OK)
		goto done;
	rf.format = capture_format(cap);
	audit_set_file(aud, "fuzz");
	while (rf.packets < MAX_RECORDS &&
	    (r = capture_next(cap, &cp, errbuf)) == ERR_OK) {
		rf.packets++;
		rf.bytes += cp.caplen;
		if (!meta.have_time || cp.ts_sec < meta.first_sec) {
			meta.first_sec = cp.ts_sec;
			meta.first_nsec = cp.ts_nsec;
		}
		if (!meta.have_time || cp.ts_sec > meta.last_sec) {
			meta.last_sec = cp.ts_sec;
			meta.last_nsec = cp.ts_nsec;
		}
		meta.have_time = true;
		lt.linktype = cp.linktype;
		lt.packets++;
		if (decode_pkt(dec, &p, cp.data, cp.caplen, cp.len,
		    cp.linktype, cp.ts_sec) == ERR_OK) {
			FUZZ_CHECK(p.payload_len == 0 || p.payload != NULL);
			p.frame = cp.frame;
			p.ts_sec = cp.ts_sec;
			p.ts_nsec = cp.ts_nsec;
			audit_packet(aud, &p);
		}
	}
	rf.complete = r == ERR_END;
	rf.error = rf.complete ? "" : errbuf;
	capture_close(cap);
done:
	audit_finish(aud);
	if (aggregate_finish(st.agg, size % 2 ? nm : NULL, 24, 64) ==
	    ERR_OK) {
		lt.name = capture_linktype_name(lt.linktype);
		lt.supported = decode_linktype_ok(lt.linktype);
		meta.version = "fuzz";
		meta.files = &rf;
		meta.n_files = 1;
		meta.linktypes = &lt;
		meta.n_linktypes = rf.packets > 0;
		meta.packets = rf.packets;
		meta.bytes = rf.bytes;
		meta.decode = decode_stats(dec);
		meta.audit = audit_stats(aud);
		meta.flow = audit_flow_stats(aud);
		meta.match = m;
		meta.v4_plen = 24;
		meta.v6_plen = 64;
		meta.max_names = 4;
		FUZZ_CHECK(report_json(devnull, st.agg, &meta) == ERR_OK);
		FUZZ_CHECK(report_text(devnull, st.agg, &meta) == ERR_OK);
		/* Every writer escapes wire strings its own way. */
		FUZZ_CHECK(report_csv(devnull, st.agg, &meta, NULL) == ERR_OK);
		FUZZ_CHECK(report_html(devnull, st.agg, &meta, NULL) ==
		    ERR_OK);
		for (i = 0; i < aggregate_n_nets(st.agg) && i < 4; i++) {
			net = aggregate_net(st.agg, i);
			FUZZ_CHECK(report_json_net(devnull, st.agg, &meta,
			    net) == ERR_OK);
			FUZZ_CHECK(report_text_net(devnull, st.agg, &meta,
			    net) == ERR_OK);
		}
	}
	audit_free(aud);
	decode_free(dec);
	aggregate_free(st.agg);
	return 0;
}
