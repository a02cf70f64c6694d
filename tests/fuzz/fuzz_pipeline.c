/* fuzz_pipeline.c - libFuzzer: a capture file through the whole pipeline. */

/*
 * As `kasaudit read` runs it: the same sensor (source "buf", the file
 * reader over memory), decode, audit, aggregate, and every report writer
 * of the writers table, per network too.
 */
#include <stdbool.h>
#include <string.h>

#include "aggregate.h"
#include "err.h"
#include "fuzz.h"
#include "match.h"
#include "netmap.h"
#include "report.h"
#include "sensor.h"
#include "writers.h"

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

static void
on_match(void *arg, const struct obs *o, const struct obs *raw,
    const struct match_sig *sig, const struct capture_pkt *pkt)
{
	static const struct report_events ecs = { EVENTS_ECS, 1, "fuzz" };
	static const struct report_events eve = { EVENTS_EVE, 0, NULL };

	(void)arg;
	FUZZ_CHECK(o->name != NULL && strlen(o->name) == o->name_len);
	FUZZ_CHECK(pkt == NULL || pkt->frame == raw->frame);
	(void)report_event(devnull, o, sig);
	(void)report_event_as(devnull, &ecs, o, sig);
	(void)report_event_as(devnull, &eve, o, sig);
	(void)report_event_sd(devnull, "kasaudit@32473", NULL, o, sig);
}

static void
on_packet(void *arg, const struct capture_pkt *cp, const struct pkt *p)
{
	(void)arg;
	(void)cp;
	FUZZ_CHECK(p->payload_len == 0 || p->payload != NULL);
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
	static const struct sensor_hooks hooks = {
		.match = on_match,
		.packet = on_packet,
	};
	struct sensor_config cfg;
	struct source_config sc;
	struct sensor_input in;
	struct report_meta meta;
	struct sensor *s;
	struct aggregate *agg;
	const struct writer *w;
	const struct agg_net *net;
	size_t i, k;

	if (m == NULL)
		setup();
	memset(&cfg, 0, sizeof(cfg));
	cfg.match = m;
	cfg.dns_ports[0] = 5300;
	cfg.n_dns_ports = 1;
	cfg.frag_mem = 64 * 1024;
	cfg.frag_timeout = 30;
	/* Small tables, so eviction and refusal are reached too. */
	cfg.flow.max_flows = 64;
	cfg.flow.n_buffers = 8;
	cfg.flow.stream_bytes = 2048;
	cfg.flow.tcp_idle = 300;
	cfg.flow.udp_idle = 60;
	/* A small attribution table: it is allocated per input. */
	cfg.attrib.max_entries = 64;
	cfg.attrib.ttl_min = 60;
	cfg.attrib.ttl_max = 86400;
	cfg.max_names = 4;
	if (sensor_new(&s, &cfg, &hooks) != ERR_OK)
		abort();
	agg = sensor_aggregate(s);
	memset(&sc, 0, sizeof(sc));
	sc.buf = data;
	sc.buf_len = size;
	if (sensor_open(s, &in, source_find("buf"), "fuzz", &sc) == ERR_OK) {
		(void)sensor_run(s, &in, MAX_RECORDS);
		sensor_close(&in);
	}
	sensor_finish(s);
	if (aggregate_finish(agg, size % 2 ? nm : NULL, 24, 64) == ERR_OK) {
		memset(&meta, 0, sizeof(meta));
		sensor_meta(s, &meta);
		meta.version = "fuzz";
		meta.files = &in.rf;
		meta.n_files = 1;
		meta.packets = in.rf.packets;
		meta.bytes = in.rf.bytes;
		meta.v4_plen = 24;
		meta.v6_plen = 64;
		meta.max_names = 4;
		/* Every writer escapes wire strings its own way. */
		for (k = 0; (w = writer_at(k)) != NULL; k++) {
			FUZZ_CHECK(w->write(devnull, agg, &meta, NULL) ==
			    ERR_OK);
			for (i = 0; i < aggregate_n_nets(agg) && i < 4; i++) {
				net = aggregate_net(agg, i);
				FUZZ_CHECK(w->write(devnull, agg, &meta, net) ==
				    ERR_OK);
			}
		}
	}
	sensor_free(s);
	return 0;
}
