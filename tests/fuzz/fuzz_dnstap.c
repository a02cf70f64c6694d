/* fuzz_dnstap.c - libFuzzer: a Frame Streams stream of dnstap (files and
 * connections) through dnstap.c, protobuf-c and the sensor. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "source_dnstap.h"

static struct sensor *sensor;
static struct match *sigs;
static struct dnstap_dec *dec;

static void
setup(void)
{
	char errbuf[ERRBUF_LEN];
	struct sensor_config cfg;

	if ((sigs = match_new()) == NULL ||
	    match_load_builtin(sigs, errbuf) != ERR_OK ||
	    (dec = dnstap_dec_new()) == NULL)
		abort();
	memset(&cfg, 0, sizeof(cfg));
	cfg.match = sigs;
	cfg.frag_mem = 1 << 16;
	cfg.frag_timeout = 30;
	cfg.flow.max_flows = 64;
	cfg.flow.n_buffers = 4;
	cfg.flow.stream_bytes = 4096;
	cfg.flow.tcp_idle = 300;
	cfg.flow.udp_idle = 60;
	cfg.max_names = 4;
	cfg.max_hosts = 256;
	if (sensor_new(&sensor, &cfg, NULL) != ERR_OK)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_LEN];
	struct sensor_input in;
	struct dtap_feed f;
	uint8_t *buf;
	size_t off = 0, used, need;
	int r, ctl;

	if (sensor == NULL)
		setup();
	if (size == 0)
		return 0;
	memset(&in, 0, sizeof(in));
	in.rf.path = "fuzz";
	in.rf.format = "dnstap";
	memset(&f, 0, sizeof(f));
	f.name = "fuzz";
	f.dec = dec;
	/* The first byte: a file, or a connection (READY first). */
	if ((f.st = dnstap_stream_new(data[0] & 1)) == NULL)
		abort();
	buf = fuzz_dup(data + 1, size - 1);
	while ((r = dtap_feed(&f, sensor, &in, buf + off, size - 1 - off,
	    &used, &need, &ctl, errbuf)) == ERR_OK) {
		FUZZ_CHECK(used > 0 && used <= size - 1 - off);
		off += used;
	}
	FUZZ_CHECK(r == ERR_SHORT || r == ERR_MALFORMED);
	if (r == ERR_SHORT)
		FUZZ_CHECK(need > size - 1 - off);
	else
		FUZZ_CHECK(memchr(errbuf, '\0', sizeof(errbuf)) != NULL);
	if (in.n_bad > 0)
		FUZZ_CHECK(strncmp(in.bad, "fuzz: offset ", 13) == 0);
	fuzz_touch(in.origin, strlen(in.origin));
	free(buf);
	dnstap_stream_free(f.st);
	return 0;
}
