/* test_evsink.c - the live event stream (src/cmd/evsink.c): a file, a
 * reopen after a rename, a pipe nobody reads (drops), a syslog socket. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "evsink.h"

static const struct match_sig sig = {
	"upd.kaspersky.com", MK_SUFFIX, CAT_UPDATE, 'A', "", "", "builtin", 1,
};

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_evsink.XXXXXX");
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct obs
obs_at(uint64_t frame)
{
	static const uint8_t c[4] = { 192, 168, 1, 52 };
	static const uint8_t s[4] = { 8, 8, 8, 8 };
	struct obs o;

	memset(&o, 0, sizeof(o));
	o.file = "eth0";
	o.frame = frame;
	o.ts_sec = 1727784000;
	addr_set4(&o.client, c);
	addr_set4(&o.server, s);
	o.client_port = 54585;
	o.server_port = 53;
	o.proto = 17;
	o.kind = OBS_DNS_QUERY;
	o.name = "a.upd.kaspersky.com";
	o.name_len = strlen(o.name);
	return o;
}

static size_t
count_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	size_t n = 0;
	int c;

	if (fp == NULL)
		return 0;
	while ((c = getc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

/* Waits up to 5 s for the writer to have written n. */
static void
wait_written(struct evsink *e, uint64_t n)
{
	struct evsink_stats st;
	int i;

	for (i = 0; i < 500; i++) {
		evsink_stats(e, &st);
		if (st.written >= n)
			return;
		usleep(10000);
	}
	fail_msg("only %llu of %llu written", (unsigned long long)st.written,
	    (unsigned long long)n);
}

static void
test_file_reopen(void **state)
{
	struct report_events cfg = { EVENTS_JSON, 0, NULL };
	char errbuf[ERRBUF_LEN], path[128], moved[160];
	struct evsink_stats st;
	struct evsink *e;
	struct obs o;
	uint64_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/ev.jsonl", dir);
	snprintf(moved, sizeof(moved), "%s.1", path);
	assert_non_null(e = evsink_new(path, 65536, &cfg, 0644, errbuf));
	assert_int_equal(evsink_start(e, errbuf), ERR_OK);
	for (i = 1; i <= 10; i++) {
		o = obs_at(i);
		evsink_put(e, &o, &sig);
	}
	wait_written(e, 10);
	assert_int_equal(rename(path, moved), 0);
	evsink_reopen(e);
	for (i = 11; i <= 15; i++) {
		o = obs_at(i);
		evsink_put(e, &o, &sig);
	}
	evsink_free(e, 5000, &st);
	assert_int_equal(st.written, 15);
	assert_int_equal(st.dropped + st.failed, 0);
	assert_int_equal(st.reopened, 1);
	assert_int_equal(count_lines(moved), 10);
	assert_int_equal(count_lines(path), 5);
	/* A directory that is not there fails at once. */
	snprintf(path, sizeof(path), "%s/none/ev.jsonl", dir);
	assert_null(evsink_new(path, 65536, &cfg, 0644, errbuf));
	assert_non_null(strstr(errbuf, "No such file"));
}

/* A pipe held open but never read: puts never wait, drops are counted,
 * and the end comes after the grace time. */
static void
test_blocked(void **state)
{
	struct report_events cfg = { EVENTS_ECS, 0, NULL };
	char errbuf[ERRBUF_LEN], path[128];
	struct evsink_stats st;
	struct timespec t0, t1;
	struct evsink *e;
	struct obs o;
	uint64_t i, n = 5000;
	double sec;
	int rd;

	(void)state;
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true((rd = open(path, O_RDONLY | O_NONBLOCK)) >= 0);
	assert_non_null(e = evsink_new(path, 65536, &cfg, 0644, errbuf));
	assert_int_equal(evsink_start(e, errbuf), ERR_OK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i <= n; i++) {
		o = obs_at(i);
		evsink_put(e, &o, &sig);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sec = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* Formatting only (ms here; valgrind is slower): a put that
	 * waited for the writer would never return. */
	assert_true(sec < 30.0);
	evsink_stats(e, &st);
	assert_true(st.dropped > 0);
	assert_true(st.queued <= 65536);
	evsink_free(e, 200, &st);
	/* Every event is accounted for: written (into the pipe's buffer),
	 * dropped, or left in the queue at the end (dropped too). */
	assert_int_equal(st.written + st.dropped + st.failed, n);
	assert_true(st.written > 0);
	close(rd);
}

static void
test_syslog(void **state)
{
	struct report_events cfg = { EVENTS_EVE, 0, NULL };
	char errbuf[ERRBUF_LEN], target[160], buf[EVSINK_LINE_MAX];
	struct sockaddr_un sun;
	struct evsink_stats st;
	struct evsink *e;
	struct timeval tv = { 5, 0 };
	struct obs o;
	ssize_t n;
	int fd;

	(void)state;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/log", dir);
	assert_true((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	snprintf(target, sizeof(target), "syslog:%s", sun.sun_path);
	assert_non_null(e = evsink_new(target, 65536, &cfg, 0644, errbuf));
	assert_int_equal(evsink_start(e, errbuf), ERR_OK);
	o = obs_at(3);
	evsink_put(e, &o, &sig);
	assert_true((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0);
	buf[n] = '\0';
	/* <daemon.notice>1 TIME HOST kasaudit PID match [SD] MSG, no
	 * newline at the end. */
	assert_memory_equal(buf, "<29>1 ", 6);
	assert_non_null(strstr(buf, " kasaudit "));
	assert_non_null(strstr(buf, " match [kasaudit@32473 file=\"eth0\" "
	    "frame=\"3\" "));
	assert_non_null(strstr(buf, " community_id=\"1:d/FP5EW3wiY1vCndhwleR"
	    "RKHowQ=\" "));
	assert_non_null(strstr(buf, "\"] {\"timestamp\":"));
	assert_int_not_equal(buf[n - 1], '\n');
	assert_int_equal(buf[n - 1], '}');
	evsink_free(e, 5000, &st);
	assert_int_equal(st.written, 1);
	close(fd);
	/* A socket path too long for sun_path. */
	memset(target, 'x', sizeof(target) - 1);
	memcpy(target, "syslog:", 7);
	target[sizeof(target) - 1] = '\0';
	assert_null(evsink_new(target, 65536, &cfg, 0644, errbuf));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_reopen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_blocked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syslog, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
