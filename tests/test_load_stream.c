/* test_load_stream.c - unit tests for load_stream.c: a report read in
 * chunks, one host record at a time, gives what load_report() gives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "load.h"
#include "load_int.h"
#include "report.h"

static const struct match_sig sig_update = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "vendor docs", "",
	"builtin", 1,
};
static const struct match_sig sig_web = {
	"kaspersky.com", MK_SUFFIX, CAT_WEB, '-', "", "", "extra.sigs", 2,
};

static const struct report_file files[] = {
	{ "a.pcap", "pcap", 40, 4000, 2, true, "", 0 },
};

static struct addr
A(const char *s)
{
	struct addr a;

	assert_true(addr_parse(&a, s));
	return a;
}

static void
add(struct aggregate *ag, uint64_t frame, const char *client,
    const char *server, enum obs_kind kind, const char *name,
    const struct match_sig *sig)
{
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = "a.pcap";
	o.frame = frame;
	o.ts_sec = 1727784000 + (int64_t)frame;
	o.client = A(client);
	o.server = A(server);
	o.kind = kind;
	o.name = name;
	o.name_len = strlen(name);
	assert_int_equal(aggregate_add(ag, &o, sig), ERR_OK);
}

static void
meta_defaults(struct report_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->version = "0.1.0";
	m->v4_plen = 24;
	m->v6_plen = 64;
	m->max_names = 64;
}

static char *
render(struct aggregate *ag, const struct report_meta *meta)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	assert_int_equal(aggregate_finish(ag, NULL, meta->v4_plen,
	    meta->v6_plen), ERR_OK);
	assert_non_null(fp = open_memstream(&buf, &len));
	assert_int_equal(report_json(fp, ag, meta), ERR_OK);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static char *
render_loaded(struct aggregate *ag, struct load_stats *st)
{
	struct report_meta m;

	meta_defaults(&m);
	load_stats_meta(st, &m);
	aggregate_trim_names(ag, m.max_names);
	return render(ag, &m);
}

/* A report of n offenders in several networks, a resolver, a blind spot. */
static char *
make_doc(size_t n)
{
	struct report_meta m;
	struct aggregate *ag;
	char client[32];
	struct obs o;
	size_t i;
	char *doc;

	assert_non_null(ag = aggregate_new(64));
	aggregate_set_days(ag, true);	/* as live's state: days too */
	for (i = 0; i < n; i++) {
		snprintf(client, sizeof(client), "10.%zu.%zu.%zu",
		    (i >> 16) & 255, (i >> 8) & 255, i & 255);
		add(ag, 2 * i + 1, client, "10.255.0.53", i % 2 ?
		    OBS_DNS_QUERY : OBS_DNS_ANSWER,
		    "dnl-01.upd.kaspersky.com", &sig_update);
		if (i % 3 == 0)
			add(ag, 2 * i + 2, client, "192.0.2.1", OBS_HTTP_HOST,
			    "q\"uote\\d]}.kaspersky.com", &sig_web);
	}
	add(ag, 1, "2001:db8::7", "2001:db8::53", OBS_DNS_QUERY,
	    "ds.kaspersky.com", &sig_web);
	memset(&o, 0, sizeof(o));
	o.client = A("10.254.0.9");
	assert_int_equal(aggregate_blind(ag, &o, BLIND_DOT), ERR_OK);
	meta_defaults(&m);
	m.files = files;
	m.n_files = 1;
	m.packets = 40;
	m.bytes = 4000;
	doc = render(ag, &m);
	aggregate_free(ag);
	return doc;
}

/* doc in a temporary file; its descriptor. */
static int
doc_fd(const char *doc, size_t len)
{
	FILE *fp;
	int fd;

	assert_non_null(fp = tmpfile());
	fd = dup(fileno(fp));
	assert_true(fd >= 0);
	fclose(fp);
	assert_int_equal(write(fd, doc, len), (ssize_t)len);
	return fd;
}

static int
load_fd(struct aggregate *ag, struct load_stats *st, const char *doc,
    char *errbuf)
{
	int fd = doc_fd(doc, strlen(doc)), r;

	errbuf[0] = '\0';
	r = load_report_fd(ag, st, fd, "t.json", errbuf);
	close(fd);
	return r;
}

/* The same report, whatever the chunk size, as load_report_buf() reads it. */
static void
test_same_as_tree(void **state)
{
	static const size_t chunks[] = { 1, 7, 4096, 1u << 20 };
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag;
	struct load_stats *st;
	char *doc = make_doc(700), *want, *got;
	size_t i;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	assert_int_equal(load_report_buf(ag, st, doc, strlen(doc), "t.json",
	    errbuf), ERR_OK);
	want = render_loaded(ag, st);
	assert_string_equal(want, doc);
	aggregate_free(ag);
	load_stats_free(st);
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		load_stream_chunk = chunks[i];
		assert_non_null(ag = aggregate_new(1));
		assert_non_null(st = load_stats_new());
		if (load_fd(ag, st, doc, errbuf) != ERR_OK)
			fail_msg("chunk %zu: %s", chunks[i], errbuf);
		got = render_loaded(ag, st);
		assert_int_equal(aggregate_n_hosts(ag), 701);
		assert_string_equal(want, got);
		free(got);
		/* The same inputs again: counted once. */
		assert_int_equal(load_fd(ag, st, doc, errbuf), ERR_DUP);
		aggregate_free(ag);
		load_stats_free(st);
	}
	load_stream_chunk = 1u << 20;
	free(want);
	free(doc);
}

/* The first `from` in doc replaced by `to`. */
static char *
str_with(const char *doc, const char *from, const char *to)
{
	const char *p = strstr(doc, from);
	size_t n = strlen(doc) - strlen(from) + strlen(to) + 1;
	char *s;

	if (p == NULL)
		fail_msg("not in the document: %s", from);
	assert_non_null(s = malloc(n));
	snprintf(s, n, "%.*s%s%s", (int)(p - doc), doc, to, p + strlen(from));
	return s;
}

static const struct bad {
	const char	*from, *to, *msg;
} bad[] = {
	/* What the scan finds: by offset. */
	{ "\"resolvers\": [", "\"resolvers\": [7,", "resolvers[0]: not an "
	    "object" },
	{ "\"hosts\": [\n", "\"hosts\": [\"x\",", "networks[0].hosts[0]: "
	    "not an object" },
	{ "\"packets\": 40,", "\"packets\": 40]", "closes nothing open" },
	{ "\"version\"", "\"version\" \"", "t.json: offset " },
	/* A record's own JSON: its path and offset. */
	{ "\"macs_seen\": 0,", "\"macs_seen\": 0,,",
	    "networks[0].hosts[0] (offset " },
	/* A record's values: its path, as load_report() says it. */
	{ "\"address\": \"10.0.0.0\"", "\"address\": \"10.0.0.256\"",
	    "networks[0].hosts[0].address: not an address" },
	{ "\"address\": \"10.0.0.1\"", "\"address\": \"10.0.0.0\"",
	    "10.0.0.0 is both networks[0].hosts[0] and networks[0].hosts[1]" },
	{ "\"address\": \"10.255.0.53\"", "\"address\": \"10.0.2.1\"",
	    "10.0.2.1 is both networks[2].hosts[1] and resolvers[0]" },
	{ "\"observations\": 1,", "\"observations\": 0,",
	    "0 for an offender" },
	/* The skeleton: as load_report() says it, offsets for syntax. */
	{ "\"version\": \"0.1.0\"", "\"version\": \"1.0.0\"",
	    "version: 1.0.0 is newer" },
	{ "\"packets\": 40,", "\"packets\": 40,\"packets\": 40,",
	    "duplicate" },
	{ "\"blind_spots\": {", "\"blind_spots\": {,",
	    "t.json: offset " },
};

static void
test_hostile(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag;
	struct load_stats *st;
	char *doc = make_doc(600), *before, *after, *d, want[64];
	size_t i, cut;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	assert_int_equal(load_fd(ag, st, doc, errbuf), ERR_OK);
	before = render_loaded(ag, st);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d = str_with(doc, bad[i].from, bad[i].to);
		if (load_fd(ag, st, d, errbuf) == ERR_OK)
			fail_msg("case %zu loaded", i);
		if (strstr(errbuf, bad[i].msg) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, errbuf,
			    bad[i].msg);
		assert_memory_equal(errbuf, "t.json: ", 8);
		free(d);
	}
	/* The skeleton's syntax error at the file's own offset. */
	d = str_with(doc, "\"blind_spots\": {", "\"blind_spots\": {,");
	assert_int_equal(load_fd(ag, st, d, errbuf), ERR_MALFORMED);
	snprintf(want, sizeof(want), "t.json: offset %zu: ",
	    (size_t)(strstr(d, "{,") + 1 - d));
	if (strncmp(errbuf, want, strlen(want)) != 0)
		fail_msg("\"%s\" is not at \"%s\"", errbuf, want);
	free(d);
	/* Cut anywhere: refused, with a message. */
	for (cut = 0; cut < strlen(doc); cut += 997) {
		d = strndup(doc, cut);
		assert_non_null(d);
		assert_int_not_equal(load_fd(ag, st, d, errbuf), ERR_OK);
		assert_memory_equal(errbuf, "t.json: ", 8);
		free(d);
	}
	/* Nested beyond reason. */
	d = calloc(1, 200);
	assert_non_null(d);
	memset(d, '[', 150);
	assert_int_equal(load_fd(ag, st, d, errbuf), ERR_MALFORMED);
	assert_non_null(strstr(errbuf, "deep"));
	free(d);
	/* All or nothing: the first report alone is still there. */
	assert_int_equal(load_stats_reports(st), 1);
	after = render_loaded(ag, st);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(doc);
	aggregate_free(ag);
	load_stats_free(st);
}

/* A file that is not a regular file, or missing. */
static void
test_not_a_file(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct aggregate *ag;
	struct load_stats *st;

	(void)state;
	assert_non_null(ag = aggregate_new(1));
	assert_non_null(st = load_stats_new());
	assert_int_equal(load_report_stream(ag, st, "/dev/null", errbuf),
	    ERR_IO);
	assert_non_null(strstr(errbuf, "not a regular file"));
	assert_int_equal(load_report_stream(ag, st, "/nonexistent/x.json",
	    errbuf), ERR_IO);
	aggregate_free(ag);
	load_stats_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_tree),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_not_a_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
