/* test_live.c - the daemon's loop: status endpoint, limits, signals, timers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live.h"

struct ctx {
	struct live	*l;
	pid_t		 child;
	int		 status;	/* the child's exit status */
	unsigned	 ticks;
	unsigned	 reports;
	int		 signals[8];
	size_t		 n_signals;
	unsigned	 pages[LIVE_PAGE_N];
	int		 health;	/* status /healthz answers */
	unsigned	 done;		/* tick when the child ended */
};

static void
on_tick(void *arg)
{
	struct ctx *c = arg;
	int st;

	c->ticks++;
	/* The client runs in a child; the loop ends when it is done and
	 * every connection it made has been counted closed (or 5 s). */
	if (c->child > 0 && waitpid(c->child, &st, WNOHANG) == c->child) {
		c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 99;
		c->child = 0;
		c->done = c->ticks;
	}
	if (c->done > 0 && (live_http_stats(c->l)->conns_open == 0 ||
	    c->ticks - c->done > 250))
		live_stop(c->l);
}

static void
on_report(void *arg)
{
	((struct ctx *)arg)->reports++;
}

static void
on_signal(void *arg, int signo)
{
	struct ctx *c = arg;

	if (c->n_signals < 8)
		c->signals[c->n_signals++] = signo;
	if (signo == SIGTERM)
		live_stop(c->l);
}

static int
on_page(void *arg, enum live_page page, FILE *fp)
{
	struct ctx *c = arg;

	c->pages[page]++;
	switch (page) {
	case LIVE_PAGE_HEALTH:
		fputs(c->health == 200 ? "ok\n" : "down\n", fp);
		return c->health;
	case LIVE_PAGE_METRICS:
		fputs("kasaudit_test 1\n", fp);
		return 200;
	case LIVE_PAGE_REPORT_JSON:
		fputs("{}\n", fp);
		return 200;
	default:
		fputs("report\n", fp);
		return 200;
	}
}

static const struct live_ops ops = {
	.tick = on_tick,
	.report = on_report,
	.signal = on_signal,
	.page = on_page,
};

/* ---- the client (in the child) ---------------------------------------- */

static int
port_of(const char *bound)
{
	const char *colon = strrchr(bound, ':');

	return colon != NULL ? atoi(colon + 1) : -1;
}

static int
dial(int port, unsigned timeout_ms)
{
	struct sockaddr_in sa;
	struct timeval tv;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	tv.tv_sec = (time_t)(timeout_ms / 1000);
	tv.tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads a whole HTTP/1.0 answer; its status, or 0 on a timeout, -1 on a
 * close without one.  body gets what follows the head. */
static int
answer(int fd, char *body, size_t body_len)
{
	char buf[16384];
	size_t n = 0;
	ssize_t r;
	char *end;

	while (n < sizeof(buf) - 1 &&
	    (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	if (n == 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	buf[n] = '\0';
	if (body != NULL) {
		end = strstr(buf, "\r\n\r\n");
		snprintf(body, body_len, "%s", end != NULL ? end + 4 : "");
	}
	if (strncmp(buf, "HTTP/1.", 7) != 0 || n < 12)
		return -1;
	return atoi(buf + 9);
}

static int
request(int port, const char *req, char *body, size_t body_len)
{
	int fd, code;

	if ((fd = dial(port, 3000)) < 0)
		return -1;
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return -1;
	}
	code = answer(fd, body, body_len);
	close(fd);
	return code;
}

#define CHECK(cond, n)	do { if (!(cond)) _exit(n); } while (0)

static void
client_token(int port)
{
	char body[16384], big[12000];
	int code;

	CHECK(request(port, "GET /metrics HTTP/1.0\r\n\r\n", NULL, 0) == 401,
	    10);
	/* A wrong token closes at once, unanswered. */
	CHECK(request(port, "GET /metrics HTTP/1.0\r\nAuthorization: Bearer "
	    "wrong\r\n\r\n", NULL, 0) == -1, 11);
	/* A prefix of the token is not the token. */
	CHECK(request(port, "GET /metrics HTTP/1.0\r\nAuthorization: Bearer "
	    "s3cre\r\n\r\n", NULL, 0) == -1, 12);
	CHECK(request(port, "GET /metrics HTTP/1.0\r\nAuthorization: Bearer "
	    "s3cret\r\n\r\n", body, sizeof(body)) == 200, 13);
	CHECK(strcmp(body, "kasaudit_test 1\n") == 0, 14);
	CHECK(request(port, "GET /report.json?x=1 HTTP/1.0\r\nAuthorization: "
	    "Bearer s3cret\r\n\r\n", body, sizeof(body)) == 200, 15);
	CHECK(strcmp(body, "{}\n") == 0, 16);
	CHECK(request(port, "HEAD / HTTP/1.0\r\nAuthorization: Bearer "
	    "s3cret\r\n\r\n", body, sizeof(body)) == 200, 17);
	CHECK(body[0] == '\0', 18);
	CHECK(request(port, "POST /metrics HTTP/1.0\r\nAuthorization: Bearer "
	    "s3cret\r\nContent-Length: 2\r\n\r\nhi", NULL, 0) == 405, 19);
	CHECK(request(port, "DELETE / HTTP/1.0\r\nAuthorization: Bearer "
	    "s3cret\r\n\r\n", NULL, 0) == 405, 20);
	CHECK(request(port, "GET /etc/passwd HTTP/1.0\r\nAuthorization: "
	    "Bearer s3cret\r\n\r\n", NULL, 0) == 404, 21);
	CHECK(request(port, "GET /healthz HTTP/1.0\r\nAuthorization: Bearer "
	    "s3cret\r\n\r\n", body, sizeof(body)) == 503, 22);
	CHECK(strcmp(body, "down\n") == 0, 23);
	/* Keep-alive: two requests on one connection, the second closes. */
	CHECK(request(port, "GET /healthz HTTP/1.1\r\nHost: x\r\n"
	    "Authorization: Bearer s3cret\r\n\r\n"
	    "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
	    "Authorization: Bearer s3cret\r\n\r\n", body,
	    sizeof(body)) == 503, 25);
	CHECK(strstr(body, "HTTP/1.1 503") != NULL, 26);
	/* Headers over the limit: refused, never served. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET / HTTP/1.0\r\nX: ", 19);
	memcpy(big + sizeof(big) - 5, "\r\n\r\n", 5);
	code = request(port, big, NULL, 0);
	CHECK(code != 200 && code != 0, 24);
	_exit(0);
}

static void
client_cap(int port)
{
	const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
	struct timeval tv;
	int a, b, c;

	/* Two kept-alive connections past their heads fill the cap of
	 * two... */
	CHECK((a = dial(port, 500)) >= 0, 30);
	CHECK(write(a, req, strlen(req)) == (ssize_t)strlen(req), 37);
	CHECK(answer(a, NULL, 0) == 200, 38);
	CHECK((b = dial(port, 500)) >= 0, 31);
	CHECK(write(b, req, strlen(req)) == (ssize_t)strlen(req), 39);
	CHECK(answer(b, NULL, 0) == 200, 40);
	/* ...so a third waits in the kernel's queue, unanswered... */
	req = "GET /healthz HTTP/1.0\r\n\r\n";
	CHECK((c = dial(port, 700)) >= 0, 32);
	CHECK(write(c, req, strlen(req)) == (ssize_t)strlen(req), 33);
	CHECK(answer(c, NULL, 0) == 0, 34);
	/* ...until they go. */
	close(a);
	close(b);
	tv.tv_sec = 3;
	tv.tv_usec = 0;
	CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0,
	    35);
	CHECK(answer(c, NULL, 0) == 200, 36);
	close(c);
	_exit(0);
}

static long
ms_since(const struct timeval *t0)
{
	struct timeval t;

	gettimeofday(&t, NULL);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	    (t.tv_usec - t0->tv_usec) / 1000;
}

/* Slow heads: the oldest makes room at the cap, a head has a deadline
 * however often its lines come, and a head too big is closed. */
static void
client_slow(int port)
{
	const char *req = "GET /healthz HTTP/1.0\r\n\r\n";
	char big[300];
	struct timeval t0;
	int slow[4], fd, i, code;

	/* Four slow heads fill the cap of four; a fifth is answered at
	 * once, the oldest slow one closed for it. */
	for (i = 0; i < 4; i++) {
		CHECK((slow[i] = dial(port, 3000)) >= 0, 40);
		CHECK(write(slow[i], "GET / HTTP/1.0\r\n", 16) == 16, 41);
	}
	usleep(100000);
	gettimeofday(&t0, NULL);
	CHECK((fd = dial(port, 1000)) >= 0, 42);
	CHECK(write(fd, req, strlen(req)) == (ssize_t)strlen(req), 43);
	CHECK(answer(fd, NULL, 0) == 200, 44);
	CHECK(ms_since(&t0) < 500, 45);
	close(fd);
	errno = 0;
	code = answer(slow[0], NULL, 0);
	CHECK(code == -1, 46);
	/* A line every 300 ms: closed at the deadline (1 s) all the same. */
	gettimeofday(&t0, NULL);
	for (i = 0; i < 10; i++) {
		if (write(slow[1], "X: y\r\n", 6) != 6)
			break;
		usleep(300000);
	}
	CHECK(ms_since(&t0) < 2500, 47);
	for (i = 0; i < 4; i++)
		close(slow[i]);
	/* Over max_header_bytes (256): closed before its end. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET / HTTP/1.0\r\nX: ", 19);
	CHECK((fd = dial(port, 1000)) >= 0, 48);
	CHECK(write(fd, big, sizeof(big)) == (ssize_t)sizeof(big), 49);
	code = answer(fd, NULL, 0);
	CHECK(code == -1 || code == 400 || code == 431, 50);
	close(fd);
	_exit(0);
}

/* Runs fn(port) in a child against a loop with cfg; the child's status. */
static int
serve(struct ctx *c, struct live_http_config *cfg, void (*fn)(int))
{
	char errbuf[ERRBUF_LEN], bound[128];
	pid_t pid;

	c->l = live_new(&ops, c, 20, 0, errbuf);
	assert_non_null(c->l);
	assert_int_equal(live_listen(c->l, cfg, bound, sizeof(bound),
	    errbuf), ERR_OK);
	assert_true(port_of(bound) > 0);
	assert_int_equal(strncmp(bound, "127.0.0.1:", 10), 0);
	if ((pid = fork()) == 0)
		fn(port_of(bound));
	assert_true(pid > 0);
	c->child = pid;
	assert_int_equal(live_run(c->l), ERR_OK);
	/* Every connection was counted in and out. */
	assert_int_equal(live_http_stats(c->l)->conns_open, 0);
	live_free(c->l);
	return c->status;
}

static void
test_live_http_token(void **state)
{
	struct live_http_config cfg = {
		.listen = "127.0.0.1:0", .token = "s3cret", .max_conns = 8,
		.max_header_bytes = 4096, .max_body_bytes = 16,
		.timeout_sec = 5,
	};
	struct ctx c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.health = 503;
	assert_int_equal(serve(&c, &cfg, client_token), 0);
	/* Pages were asked for only when the token was right. */
	assert_int_equal(c.pages[LIVE_PAGE_METRICS], 1);
	assert_int_equal(c.pages[LIVE_PAGE_REPORT_JSON], 1);
	assert_int_equal(c.pages[LIVE_PAGE_INDEX], 1);
	assert_int_equal(c.pages[LIVE_PAGE_HEALTH], 3);
}

static void
test_live_http_conn_cap(void **state)
{
	struct live_http_config cfg = {
		.listen = "127.0.0.1:0", .max_conns = 2,
		.max_header_bytes = 4096, .timeout_sec = 5,
	};
	struct ctx c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.health = 200;
	assert_int_equal(serve(&c, &cfg, client_cap), 0);
	assert_int_equal(c.pages[LIVE_PAGE_HEALTH], 3);
}

static void
test_live_http_slow(void **state)
{
	struct live_http_config cfg = {
		.listen = "127.0.0.1:0", .max_conns = 4,
		.max_header_bytes = 256, .timeout_sec = 10,
		.head_timeout_sec = 1,
	};
	const struct live_http_stats *hs;
	char errbuf[ERRBUF_LEN], bound[128];
	struct ctx c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.health = 200;
	c.l = live_new(&ops, &c, 20, 0, errbuf);
	assert_non_null(c.l);
	assert_int_equal(live_listen(c.l, &cfg, bound, sizeof(bound),
	    errbuf), ERR_OK);
	if ((c.child = fork()) == 0)
		client_slow(port_of(bound));
	assert_true(c.child > 0);
	assert_int_equal(live_run(c.l), ERR_OK);
	assert_int_equal(c.status, 0);
	hs = live_http_stats(c.l);
	assert_int_equal(hs->conns_open, 0);
	assert_true(hs->evicted >= 1);
	assert_true(hs->head_timeouts >= 1);
	assert_true(hs->head_too_big + hs->requests >= 2);
	live_free(c.l);
}

static void
test_live_listen_bad(void **state)
{
	static const char *const bad[] = {
		"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "::1:80",
		"[::1]80", "[127.0.0.1]:80", "localhost:80", ":80",
		"127.0.0.1:8x", "",
	};
	struct live_http_config cfg = { .max_conns = 1 };
	char errbuf[ERRBUF_LEN], bound[128];
	struct ctx c;
	size_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.l = live_new(&ops, &c, 0, 0, errbuf);
		assert_non_null(c.l);
		cfg.listen = bad[i];
		assert_int_equal(live_listen(c.l, &cfg, bound, sizeof(bound),
		    errbuf), ERR_MALFORMED);
		assert_non_null(strstr(errbuf, "--listen"));
		live_free(c.l);
	}
	/* IPv6 in brackets works (where the loopback has ::1). */
	c.l = live_new(&ops, &c, 0, 0, errbuf);
	assert_non_null(c.l);
	cfg.listen = "[::1]:0";
	if (live_listen(c.l, &cfg, bound, sizeof(bound), errbuf) == ERR_OK)
		assert_int_equal(strncmp(bound, "[::1]:", 6), 0);
	live_free(c.l);
}

static void
test_live_signals_timers(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct ctx c;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.l = live_new(&ops, &c, 10, 1, errbuf);
	assert_non_null(c.l);
	/* Delivered from the loop, in order, after it starts. */
	raise(SIGHUP);
	raise(SIGUSR1);
	if ((c.child = fork()) == 0) {
		usleep(1300000);
		kill(getppid(), SIGTERM);
		_exit(0);
	}
	c.child = 0;
	assert_int_equal(live_run(c.l), ERR_OK);
	live_free(c.l);
	while (wait(NULL) > 0)
		;
	assert_true(c.n_signals >= 3);
	assert_int_equal(c.signals[0], SIGHUP);
	assert_int_equal(c.signals[1], SIGUSR1);
	assert_int_equal(c.signals[c.n_signals - 1], SIGTERM);
	assert_true(c.ticks >= 10);
	assert_true(c.reports >= 1);
}

static void
test_live_sources(void **state)
{
	char errbuf[ERRBUF_LEN];
	struct ctx c;
	int p[2];

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(pipe(p), 0);
	c.l = live_new(&ops, &c, 0, 0, errbuf);
	assert_non_null(c.l);
	assert_int_equal(live_add_source(c.l, p[0], 0, errbuf), ERR_OK);
	assert_int_equal(live_add_source(c.l, p[0], 0, errbuf), ERR_FULL);
	assert_int_equal(live_add_source(c.l, p[0], LIVE_MAX_SOURCES,
	    errbuf), ERR_FULL);
	live_remove_source(c.l, 0);
	live_remove_source(c.l, 0);
	live_remove_source(c.l, LIVE_MAX_SOURCES + 5);
	assert_int_equal(live_add_source(c.l, p[0], 0, errbuf), ERR_OK);
	live_free(c.l);
	close(p[0]);
	close(p[1]);
}

static void
test_live_duration(void **state)
{
	unsigned s = 7;

	(void)state;
	assert_true(live_parse_duration("30s", &s));
	assert_int_equal(s, 30);
	assert_true(live_parse_duration("5m", &s));
	assert_int_equal(s, 300);
	assert_true(live_parse_duration("1h", &s));
	assert_int_equal(s, 3600);
	assert_true(live_parse_duration("2d", &s));
	assert_int_equal(s, 172800);
	assert_true(live_parse_duration("90", &s));
	assert_int_equal(s, 90);
	assert_true(live_parse_duration("30d", &s));
	assert_int_equal(s, 2592000);
	s = 7;
	assert_false(live_parse_duration("", &s));
	assert_false(live_parse_duration("s", &s));
	assert_false(live_parse_duration("0s", &s));
	assert_false(live_parse_duration("31d", &s));
	assert_false(live_parse_duration("-5m", &s));
	assert_false(live_parse_duration("5 m", &s));
	assert_false(live_parse_duration("5ms", &s));
	assert_false(live_parse_duration("1.5h", &s));
	assert_false(live_parse_duration("99999999999999h", &s));
	assert_int_equal(s, 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_http_token),
		cmocka_unit_test(test_live_http_conn_cap),
		cmocka_unit_test(test_live_http_slow),
		cmocka_unit_test(test_live_listen_bad),
		cmocka_unit_test(test_live_signals_timers),
		cmocka_unit_test(test_live_sources),
		cmocka_unit_test(test_live_duration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
