/* test_http.c - unit tests for http.c (RFC 9112, RFC 9110, RFC 7239). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define LIT(s)	(const uint8_t *)(s), sizeof(s) - 1

/* Parses len bytes copied into a heap block of exactly that size. */
static int
parse(const uint8_t *src, size_t len, struct http_req *r)
{
	uint8_t *buf;
	int rc;

	assert_non_null(buf = malloc(len > 0 ? len : 1));
	memcpy(buf, src, len);
	rc = http_request(buf, len, r);
	free(buf);
	return rc;
}

static bool
is_request(const uint8_t *src, size_t len)
{
	uint8_t *buf;
	bool yes;

	assert_non_null(buf = malloc(len > 0 ? len : 1));
	memcpy(buf, src, len);
	yes = http_is_request(buf, len);
	free(buf);
	return yes;
}

static void
assert_addr(const struct addr *a, const char *text)
{
	char buf[ADDR_STRLEN];

	assert_string_equal(addr_fmt(a, buf), text);
}

/* Every strict prefix of the head is ERR_SHORT; the whole is ERR_OK. */
static void
check_prefixes(const uint8_t *src, size_t len)
{
	struct http_req r;
	size_t head_len, i;

	assert_int_equal(parse(src, len, &r), ERR_OK);
	head_len = r.head_len;
	for (i = 0; i < head_len; i++)
		assert_int_equal(parse(src, i, &r), ERR_SHORT);
	for (i = head_len; i <= len; i++) {
		assert_int_equal(parse(src, i, &r), ERR_OK);
		assert_int_equal(r.head_len, head_len);
	}
}

static void
test_is_request(void **state)
{
	(void)state;
	assert_true(is_request(LIT("GET ")));
	assert_true(is_request(LIT("GET / HTTP/1.1\r\n")));
	assert_true(is_request(LIT("CONNECT example.com:443 HTTP/1.1\r\n")));
	assert_true(is_request(LIT("CCM_POST / HTTP/1.1\r\n")));
	assert_true(is_request(LIT("M-SEARCH * HTTP/1.1\r\n")));
	/* "OPTIONS" alone on its line (zeek-http-methods frame 34). */
	assert_true(is_request(LIT("OPTIONS\nHost: www.google.com\n\n")));
	/* 20 characters is the longest method. */
	assert_true(is_request(LIT("ABCDEFGHIJKLMNOPQRST /")));
	assert_false(is_request(LIT("ABCDEFGHIJKLMNOPQRSTU /")));
	/* Fewer than 4 bytes, or the token not ended yet: unsure. */
	assert_false(is_request(LIT("GET")));
	assert_false(is_request(LIT("")));
	assert_false(is_request(LIT("OPTI")));
	/* TLS handshake record. */
	assert_false(is_request(LIT("\x16\x03\x01\x02\x00\x01\x00\x01\xfc")));
	assert_false(is_request(LIT("SSH-2.0-OpenSSH_9.6\r\n")));
	assert_false(is_request(LIT("get / HTTP/1.1\r\n")));
	assert_false(is_request(LIT("GE / HTTP/1.1\r\n")));
	assert_false(is_request(LIT("OPTIONSHTTP/1.1\n")));
	assert_false(is_request(LIT("HTTP/1.1 200 OK\r\n")));
	assert_false(is_request(LIT("\r\nGET / HTTP/1.1\r\n")));
}

static void
test_simple_get(void **state)
{
	/* GET with Host, the usual browser request. */
	static const char req[] =
	    "GET /index.html HTTP/1.1\r\n"
	    "Host: www.example.com\r\n"
	    "User-Agent: test\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_string_equal(r.method, "GET");
	assert_int_equal(r.target, HTTP_ORIGIN);
	assert_false(r.has_uri_host);
	assert_true(r.has_host);
	assert_string_equal(r.host, "www.example.com");
	assert_int_equal(r.host_port, 0);
	assert_false(r.host_mismatch);
	assert_false(r.has_forwarded);
	assert_int_equal(r.head_len, sizeof(req) - 1);
	assert_int_equal(r.body_len, 0);
	assert_false(r.chunked);
	check_prefixes(LIT(req));
}

static void
test_host_port(void **state)
{
	/* Host with a port (ndpi-http-lines-split). */
	static const char req[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: toni.lan:31337\r\n"
	    "\r\n";
	/* A port that is no port reads as 0; the name stays. */
	static const char bad[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: toni.lan:99999\r\n"
	    "\r\n";
	/* An IPv6 literal loses its brackets. */
	static const char v6[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: [2001:DB8::1]:8080\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_string_equal(r.host, "toni.lan");
	assert_int_equal(r.host_port, 31337);
	assert_int_equal(parse(LIT(bad), &r), ERR_OK);
	assert_string_equal(r.host, "toni.lan");
	assert_int_equal(r.host_port, 0);
	assert_int_equal(parse(LIT(v6), &r), ERR_OK);
	assert_string_equal(r.host, "2001:db8::1");
	assert_int_equal(r.host_port, 8080);
	check_prefixes(LIT(v6));
}

static void
test_host_case_dot(void **state)
{
	/* Upper-case name with a trailing dot; the field name in capitals. */
	static const char req[] =
	    "GET / HTTP/1.1\r\n"
	    "HOST:   WWW.Kaspersky.COM.:80  \r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_true(r.has_host);
	assert_string_equal(r.host, "www.kaspersky.com");
	assert_int_equal(r.host_port, 80);
}

static void
test_host_escapes(void **state)
{
	/* NUL, space, DEL, a high byte and a backslash inside the name. */
	static const char req[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: a\x00" "b c\x7f\xc3\\.Com\r\n"
	    "\r\n";
	/* Only one trailing dot goes. */
	static const char dots[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: example.com..\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_string_equal(r.host, "a\\000b\\032c\\127\\195\\\\.com");
	assert_int_equal(parse(LIT(dots), &r), ERR_OK);
	assert_string_equal(r.host, "example.com.");
}

static void
test_host_first_empty_long(void **state)
{
	/* A second Host: the first one counts. */
	static const char two[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: first.example\r\n"
	    "Host: second.example\r\n"
	    "\r\n";
	/* An empty Host is no Host (RFC 9110 7.2 allows it). */
	static const char empty[] =
	    "GET / HTTP/1.1\r\n"
	    "Host:\r\n"
	    "\r\n";
	struct http_req r;
	char req[600];
	size_t n;

	(void)state;
	assert_int_equal(parse(LIT(two), &r), ERR_OK);
	assert_string_equal(r.host, "first.example");
	assert_int_equal(parse(LIT(empty), &r), ERR_OK);
	assert_false(r.has_host);

	/* 255 bytes is the longest name; 256 is refused. */
	n = (size_t)snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: ");
	memset(req + n, 'a', 255);
	n += 255;
	n += (size_t)snprintf(req + n, sizeof(req) - n, "\r\n\r\n");
	assert_int_equal(parse((uint8_t *)req, n, &r), ERR_OK);
	assert_int_equal(strlen(r.host), 255);
	n = (size_t)snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: ");
	memset(req + n, 'a', 256);
	n += 256;
	n += (size_t)snprintf(req + n, sizeof(req) - n, "\r\n\r\n");
	assert_int_equal(parse((uint8_t *)req, n, &r), ERR_MALFORMED);
}

static void
test_connect(void **state)
{
	/* A proxy tunnel with a Host (zeek-http-connect-with-header). */
	static const char with_host[] =
	    "CONNECT secure.newegg.com:443 HTTP/1.1\r\n"
	    "Proxy-Connection: keep-alive\r\n"
	    "Host: secure.newegg.com:443\r\n"
	    "\r\n";
	/* Without one (suricata-verify http-connect-fragmented). */
	static const char no_host[] =
	    "CONNECT abc:443 HTTP/1.1\r\n"
	    "User-Agent: Victor/1.0\r\n"
	    "\r\n";
	/* A different Host is flagged. */
	static const char other[] =
	    "CONNECT Update.Example:443 HTTP/1.1\r\n"
	    "Host: cover.example:443\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(with_host), &r), ERR_OK);
	assert_string_equal(r.method, "CONNECT");
	assert_int_equal(r.target, HTTP_AUTHORITY);
	assert_true(r.has_uri_host);
	assert_string_equal(r.uri_host, "secure.newegg.com");
	assert_int_equal(r.uri_port, 443);
	assert_true(r.has_host);
	assert_string_equal(r.host, "secure.newegg.com");
	assert_false(r.host_mismatch);
	check_prefixes(LIT(with_host));

	assert_int_equal(parse(LIT(no_host), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_AUTHORITY);
	assert_string_equal(r.uri_host, "abc");
	assert_int_equal(r.uri_port, 443);
	assert_false(r.has_host);
	assert_false(r.host_mismatch);

	assert_int_equal(parse(LIT(other), &r), ERR_OK);
	assert_string_equal(r.uri_host, "update.example");
	assert_string_equal(r.host, "cover.example");
	assert_true(r.host_mismatch);
}

static void
test_connect_v6(void **state)
{
	/* CONNECT to an IPv6 literal. */
	static const char req[] =
	    "CONNECT [2001:db8::1]:443 HTTP/1.1\r\n"
	    "Host: [2001:db8::1]:443\r\n"
	    "\r\n";
	/* Userinfo in an authority is dropped (not allowed, but sent). */
	static const char user[] =
	    "CONNECT user@proxy.example:8443 HTTP/1.1\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_AUTHORITY);
	assert_string_equal(r.uri_host, "2001:db8::1");
	assert_int_equal(r.uri_port, 443);
	assert_string_equal(r.host, "2001:db8::1");
	assert_false(r.host_mismatch);
	check_prefixes(LIT(req));
	assert_int_equal(parse(LIT(user), &r), ERR_OK);
	assert_string_equal(r.uri_host, "proxy.example");
	assert_int_equal(r.uri_port, 8443);
}

static void
test_connect_malformed_target(void **state)
{
	/* zeek-http-methods frames 369, 379 and 409: no host:port target. */
	static const char slash[] =
	    "CONNECT / HTTP/1.\n"
	    "Host: www.google.com\n"
	    "\n";
	static const char http11[] =
	    "CONNECT /HTTP/1.1\n"
	    "Host: www.google.com\n"
	    "\n";
	static const char slash11[] =
	    "CONNECT / HTTP/1.1\n"
	    "Host: www.google.com\n"
	    "\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(slash), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_OTHER);
	assert_false(r.has_uri_host);
	assert_true(r.has_host);
	assert_string_equal(r.host, "www.google.com");
	assert_false(r.host_mismatch);
	assert_int_equal(parse(LIT(http11), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_OTHER);
	assert_false(r.has_uri_host);
	assert_string_equal(r.host, "www.google.com");
	assert_int_equal(parse(LIT(slash11), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_OTHER);
	assert_false(r.has_uri_host);
	check_prefixes(LIT(slash));
}

static void
test_methods_oddities(void **state)
{
	/* The other request lines of zeek-http-methods, all with a Host. */
	static const char asterisk[] =
	    "OPTIONS * HTTP/1.1\nHost: www.google.com\n\n";
	static const char ver_only[] =
	    "OPTIONS HTTP/1.1\nHost: www.google.com\n\n";
	static const char bare[] =
	    "OPTIONS\nHost: www.google.com\n\n";
	static const char no_ver[] =
	    "GET /HTTP/1.1\nHost: www.google.com\n\n";
	static const char half_ver[] =
	    "CCM_POST / HTTP/1.\nHost: www.google.com\n\n";
	/* Frame 24: no space after the method, not HTTP (nor for tshark). */
	static const char glued[] =
	    "OPTIONSHTTP/1.1\nHost: www.google.com\n\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(asterisk), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_ASTERISK);
	assert_string_equal(r.host, "www.google.com");
	assert_int_equal(parse(LIT(ver_only), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_OTHER);
	assert_string_equal(r.host, "www.google.com");
	assert_int_equal(parse(LIT(bare), &r), ERR_OK);
	assert_string_equal(r.method, "OPTIONS");
	assert_int_equal(r.target, HTTP_OTHER);
	assert_string_equal(r.host, "www.google.com");
	assert_int_equal(parse(LIT(no_ver), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_ORIGIN);
	assert_string_equal(r.host, "www.google.com");
	assert_int_equal(parse(LIT(half_ver), &r), ERR_OK);
	assert_string_equal(r.method, "CCM_POST");
	assert_int_equal(r.target, HTTP_ORIGIN);
	assert_int_equal(parse(LIT(glued), &r), ERR_NOTFOUND);
	check_prefixes(LIT(bare));
	check_prefixes(LIT(ver_only));
}

static void
test_absolute(void **state)
{
	/* A forward-proxy request whose Host agrees. */
	static const char match[] =
	    "GET http://Example.com:8080/path?q=1 HTTP/1.1\r\n"
	    "Host: example.com:8080\r\n"
	    "\r\n";
	/* And one whose Host names another site. */
	static const char mismatch[] =
	    "GET http://Example.com:8080/path HTTP/1.1\r\n"
	    "Host: other.example\r\n"
	    "\r\n";
	/* Port differs only: not a mismatch. */
	static const char port_only[] =
	    "GET http://example.com/ HTTP/1.1\r\n"
	    "Host: example.com:80\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(match), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_ABSOLUTE);
	assert_true(r.has_uri_host);
	assert_string_equal(r.uri_host, "example.com");
	assert_int_equal(r.uri_port, 8080);
	assert_string_equal(r.host, "example.com");
	assert_false(r.host_mismatch);
	check_prefixes(LIT(match));
	assert_int_equal(parse(LIT(mismatch), &r), ERR_OK);
	assert_string_equal(r.uri_host, "example.com");
	assert_string_equal(r.host, "other.example");
	assert_true(r.host_mismatch);
	assert_int_equal(parse(LIT(port_only), &r), ERR_OK);
	assert_int_equal(r.uri_port, 0);
	assert_int_equal(r.host_port, 80);
	assert_false(r.host_mismatch);
}

static void
test_absolute_schemes(void **state)
{
	/* https, an upper-case scheme (zeek-http-proxy), ftp. */
	static const char https[] =
	    "GET https://dnl-01.geo.kaspersky.com/ HTTP/1.1\r\n\r\n";
	static const char upper[] =
	    "GET HTTP://bro.org/ HTTP/1.1\r\n"
	    "User-Agent: curl/7.33.0\r\n"
	    "Host: bro.org\r\n"
	    "\r\n";
	static const char ftp[] =
	    "GET ftp://files.example?x HTTP/1.0\r\n\r\n";
	/* Query and fragment end the authority. */
	static const char frag[] =
	    "GET http://h.example#frag HTTP/1.1\r\n\r\n";
	/* No authority host. */
	static const char empty[] =
	    "GET http:///path HTTP/1.1\r\n\r\n";
	/* A host:port target outside CONNECT is no form we know. */
	static const char auth[] =
	    "GET example.com:80 HTTP/1.1\r\n\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(https), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_ABSOLUTE);
	assert_string_equal(r.uri_host, "dnl-01.geo.kaspersky.com");
	assert_false(r.has_host);
	assert_false(r.host_mismatch);
	assert_int_equal(parse(LIT(upper), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_ABSOLUTE);
	assert_string_equal(r.uri_host, "bro.org");
	assert_string_equal(r.host, "bro.org");
	assert_false(r.host_mismatch);
	assert_int_equal(parse(LIT(ftp), &r), ERR_OK);
	assert_string_equal(r.uri_host, "files.example");
	assert_int_equal(parse(LIT(frag), &r), ERR_OK);
	assert_string_equal(r.uri_host, "h.example");
	assert_int_equal(parse(LIT(empty), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_ABSOLUTE);
	assert_false(r.has_uri_host);
	assert_int_equal(parse(LIT(auth), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_OTHER);
	assert_false(r.has_uri_host);
}

static void
test_userinfo(void **state)
{
	/* Userinfo up to the last '@' is not the host. */
	static const char req[] =
	    "GET http://user:p@ss@Update.Example:81/x HTTP/1.1\r\n"
	    "Host: update.example:81\r\n"
	    "\r\n";
	/* An '@' after the authority belongs to the path. */
	static const char path_at[] =
	    "GET http://h.example/a@b HTTP/1.1\r\n\r\n";
	/* IPv6 literal in a URI. */
	static const char v6[] =
	    "GET http://u@[2001:db8::2]:8000/ HTTP/1.1\r\n\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_string_equal(r.uri_host, "update.example");
	assert_int_equal(r.uri_port, 81);
	assert_false(r.host_mismatch);
	assert_int_equal(parse(LIT(path_at), &r), ERR_OK);
	assert_string_equal(r.uri_host, "h.example");
	assert_int_equal(parse(LIT(v6), &r), ERR_OK);
	assert_string_equal(r.uri_host, "2001:db8::2");
	assert_int_equal(r.uri_port, 8000);
}

static void
test_pipelined(void **state)
{
	/* Three GETs in one segment (keep-alive, pipelining). */
	static const char reqs[] =
	    "GET /a HTTP/1.1\r\nHost: one.example\r\n\r\n"
	    "GET /b HTTP/1.1\r\nHost: two.example\r\n\r\n"
	    "\r\n"		/* a stray CRLF between requests */
	    "HEAD /c HTTP/1.1\r\nHost: three.example\r\n\r\n";
	static const char *const names[] = {
	    "one.example", "two.example", "three.example"
	};
	const uint8_t *p = (const uint8_t *)reqs;
	size_t left = sizeof(reqs) - 1;
	struct http_req r;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(parse(p, left, &r), ERR_OK);
		assert_string_equal(r.host, names[i]);
		assert_int_equal(r.body_len, 0);
		p += r.head_len + r.body_len;
		left -= r.head_len + r.body_len;
	}
	assert_string_equal(r.method, "HEAD");
	assert_int_equal(left, 0);
	assert_int_equal(parse(p, left, &r), ERR_SHORT);
}

static void
test_post_body(void **state)
{
	/* POST with a body, then another request. */
	static const char reqs[] =
	    "POST /ksn HTTP/1.1\r\n"
	    "Host: ksn.example\r\n"
	    "Content-Length: 11\r\n"
	    "\r\n"
	    "GET / HTTP/"		/* the 11 body bytes */
	    "GET /next HTTP/1.1\r\n"
	    "Host: next.example\r\n"
	    "\r\n";
	const uint8_t *p = (const uint8_t *)reqs;
	struct http_req r;
	size_t skip;

	(void)state;
	assert_int_equal(parse(p, sizeof(reqs) - 1, &r), ERR_OK);
	assert_string_equal(r.method, "POST");
	assert_int_equal(r.body_len, 11);
	assert_false(r.chunked);
	skip = r.head_len + (size_t)r.body_len;
	assert_int_equal(parse(p + skip, sizeof(reqs) - 1 - skip, &r),
	    ERR_OK);
	assert_string_equal(r.host, "next.example");
	assert_int_equal(r.head_len, sizeof(reqs) - 1 - skip);
}

static void
test_content_length(void **state)
{
	/* A list of equal values is one value (RFC 9110 8.6). */
	static const char list[] =
	    "POST / HTTP/1.1\r\nContent-Length: 42, 42\r\n"
	    "Content-Length: 42\r\n\r\n";
	/* Different values: request smuggling, refused. */
	static const char conflict[] =
	    "POST / HTTP/1.1\r\nContent-Length: 42\r\n"
	    "Content-Length: 43\r\n\r\n";
	static const char conflict_list[] =
	    "POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n";
	static const char not_digits[] =
	    "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n";
	static const char empty[] =
	    "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n";
	/* Huge values saturate. */
	static const char huge[] =
	    "POST / HTTP/1.1\r\n"
	    "Content-Length: 99999999999999999999999999999999\r\n\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(list), &r), ERR_OK);
	assert_int_equal(r.body_len, 42);
	assert_int_equal(parse(LIT(conflict), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(conflict_list), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(not_digits), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(empty), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(huge), &r), ERR_OK);
	assert_true(r.body_len == HTTP_BODY_MAX);
}

static void
test_transfer_encoding(void **state)
{
	/* zeek-http-261-variant-04-te_cl_desync: chunked wins over CL. */
	static const char desync[] =
	    "POST / HTTP/1.1\r\n"
	    "Host: target\r\n"
	    "Transfer-Encoding: chunked\r\n"
	    "Content-Length: 50\r\n"
	    "\r\n"
	    "0\r\n"
	    "\r\n"
	    "GET /smuggled-te-cl HTTP/1.1\r\n"
	    "Host: target\r\n"
	    "\r\n";
	/* chunked must be the last coding; case does not matter. */
	static const char last[] =
	    "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n"
	    "Transfer-Encoding: CHUNKED;x=1\r\n\r\n";
	/* Not chunked last: the body runs to the end of the connection. */
	static const char gzip[] =
	    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n"
	    "Content-Length: 5\r\n\r\n";
	/* A broken Content-Length does not matter next to chunked. */
	static const char bad_cl[] =
	    "POST / HTTP/1.1\r\nContent-Length: x\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n";
	const uint8_t *p = (const uint8_t *)desync;
	size_t left = sizeof(desync) - 1, used = 0;
	struct http_chunk_state st = { 0 };
	struct http_req r;

	(void)state;
	assert_int_equal(parse(p, left, &r), ERR_OK);
	assert_true(r.chunked);
	assert_int_equal(r.body_len, 0);
	p += r.head_len;
	left -= r.head_len;
	assert_int_equal(http_chunked_skip(&st, p, left, &used), ERR_OK);
	assert_int_equal(used, 5);
	assert_int_equal(parse(p + used, left - used, &r), ERR_OK);
	assert_string_equal(r.method, "GET");
	assert_string_equal(r.host, "target");
	assert_false(r.chunked);

	assert_int_equal(parse(LIT(last), &r), ERR_OK);
	assert_true(r.chunked);
	assert_int_equal(parse(LIT(gzip), &r), ERR_OK);
	assert_false(r.chunked);
	assert_true(r.body_len == HTTP_BODY_MAX);
	assert_int_equal(parse(LIT(bad_cl), &r), ERR_OK);
	assert_true(r.chunked);
}

/* A chunked body with an extension and a trailer, then the next request. */
static const char chunked_body[] =
    "5;name=\"va;l\"\r\n"
    "hello\r\n"
    "1A \r\n"
    "abcdefghijklmnopqrstuvwxyz\r\n"
    "000\r\n"
    "Trailer-Field: 1\r\n"
    "\r\n"
    "GET / HTTP/1.1\r\n\r\n";
#define CHUNKED_LEN	(sizeof(chunked_body) - 1 - 18)

/* Feeds body in pieces of at most step bytes, each in its own heap block. */
static size_t
skip_in_pieces(const char *body, size_t len, size_t cut, size_t step)
{
	struct http_chunk_state st;
	size_t off = 0, n, used;
	uint8_t *buf;
	int rc;

	memset(&st, 0, sizeof(st));
	for (;;) {
		n = off < cut ? cut - off : len - off;
		if (step > 0 && n > step)
			n = step;
		assert_non_null(buf = malloc(n > 0 ? n : 1));
		memcpy(buf, body + off, n);
		used = SIZE_MAX;
		rc = http_chunked_skip(&st, buf, n, &used);
		free(buf);
		if (rc == ERR_OK) {
			assert_true(used <= n);
			return off + used;
		}
		assert_int_equal(rc, ERR_SHORT);
		assert_int_equal(used, n);
		off += n;
		assert_true(off < len);
	}
}

static void
test_chunked_split(void **state)
{
	size_t len = sizeof(chunked_body) - 1, cut;

	(void)state;
	/* One piece, two pieces cut at every position, one byte at a time. */
	assert_int_equal(skip_in_pieces(chunked_body, len, 0, 0),
	    CHUNKED_LEN);
	for (cut = 0; cut <= len; cut++)
		assert_int_equal(skip_in_pieces(chunked_body, len, cut, 0),
		    CHUNKED_LEN);
	assert_int_equal(skip_in_pieces(chunked_body, len, 0, 1),
	    CHUNKED_LEN);
	assert_int_equal(skip_in_pieces(chunked_body, len, 0, 7),
	    CHUNKED_LEN);
}

static void
test_chunked_ends(void **state)
{
	/* Bare LF everywhere. */
	static const char lf[] = "3\nabc\n0\n\n";
	/* Data not followed by CRLF. */
	static const char no_crlf[] = "3\r\nabcd\r\n0\r\n\r\n";
	/* 16 hex digits are fine, 17 are not. */
	static const char d16[] = "0000000000000003\r\nabc\r\n0\r\n\r\n";
	static const char d17[] = "00000000000000003\r\nabc\r\n0\r\n\r\n";
	static const char no_digits[] = ";x\r\n";
	static const char bad_char[] = "3g\r\n";
	static const char bare_cr[] = "0\r\n\rx";
	struct http_chunk_state st;
	size_t used;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, LIT(lf), &used), ERR_OK);
	assert_int_equal(used, sizeof(lf) - 1);
	/* Done stays done. */
	assert_int_equal(http_chunked_skip(&st, LIT("xyz"), &used), ERR_OK);
	assert_int_equal(used, 0);
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, LIT(no_crlf), &used),
	    ERR_MALFORMED);
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, LIT(d16), &used), ERR_OK);
	assert_int_equal(used, sizeof(d16) - 1);
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, LIT(d17), &used),
	    ERR_MALFORMED);
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, LIT(no_digits), &used),
	    ERR_MALFORMED);
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, LIT(bad_char), &used),
	    ERR_MALFORMED);
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, LIT(bare_cr), &used),
	    ERR_MALFORMED);
	/* An empty piece changes nothing. */
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, NULL, 0, &used), ERR_SHORT);
	assert_int_equal(used, 0);
	/* A huge chunk: every piece is data. */
	memset(&st, 0, sizeof(st));
	assert_int_equal(http_chunked_skip(&st, LIT("FFFFFFFFFFFFFFFF\r\n"),
	    &used), ERR_SHORT);
	assert_int_equal(http_chunked_skip(&st, LIT("\r\n0\r\n\r\n"),
	    &used), ERR_SHORT);
	assert_true(st.left == UINT64_MAX - 7);
}

static void
test_xff(void **state)
{
	/* The leftmost element is the original client. */
	static const char v4[] =
	    "GET / HTTP/1.1\r\nHost: h\r\n"
	    "X-Forwarded-For: 203.0.113.7, 10.0.0.1\r\n\r\n";
	static const char v6[] =
	    "GET / HTTP/1.1\r\n"
	    "x-forwarded-for: 2001:DB8::7,10.0.0.1\r\n\r\n";
	static const char v6_port[] =
	    "GET / HTTP/1.1\r\n"
	    "X-Forwarded-For: [2001:db8::8]:1234, 10.0.0.1\r\n\r\n";
	static const char v4_port[] =
	    "GET / HTTP/1.1\r\n"
	    "X-Forwarded-For: 192.0.2.9:5678\r\n\r\n";
	/* Non-addresses are skipped; only the first field is read. */
	static const char unknown[] =
	    "GET / HTTP/1.1\r\n"
	    "X-Forwarded-For: unknown, \"198.51.100.1\"\r\n"
	    "X-Forwarded-For: 192.0.2.1\r\n\r\n";
	static const char none[] =
	    "GET / HTTP/1.1\r\n"
	    "X-Forwarded-For: unknown, garbage, 300.1.1.1\r\n\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(v4), &r), ERR_OK);
	assert_true(r.has_forwarded);
	assert_addr(&r.forwarded_for, "203.0.113.7");
	check_prefixes(LIT(v4));
	assert_int_equal(parse(LIT(v6), &r), ERR_OK);
	assert_addr(&r.forwarded_for, "2001:db8::7");
	assert_int_equal(parse(LIT(v6_port), &r), ERR_OK);
	assert_addr(&r.forwarded_for, "2001:db8::8");
	assert_int_equal(parse(LIT(v4_port), &r), ERR_OK);
	assert_addr(&r.forwarded_for, "192.0.2.9");
	assert_int_equal(parse(LIT(unknown), &r), ERR_OK);
	assert_addr(&r.forwarded_for, "198.51.100.1");
	assert_int_equal(parse(LIT(none), &r), ERR_OK);
	assert_false(r.has_forwarded);
}

static void
test_forwarded(void **state)
{
	/* RFC 7239 7.4 examples. */
	static const char v6[] =
	    "GET / HTTP/1.1\r\n"
	    "Forwarded: for=\"[2001:db8:cafe::17]:4711\"\r\n\r\n";
	static const char list[] =
	    "GET / HTTP/1.1\r\n"
	    "Forwarded: proto=http;by=203.0.113.43, for=unknown, "
	    "For=\"_hidden\", for=192.0.2.60;proto=http, for=192.0.2.61\r\n"
	    "\r\n";
	/* A quoted value may hold ',' ';' and quoted-pairs. */
	static const char quoted[] =
	    "GET / HTTP/1.1\r\n"
	    "Forwarded: by=\"a,b;c\\\"d\";for=\"192.0.2.43:47011\"\r\n\r\n";
	/* Forwarded wins over X-Forwarded-For. */
	static const char both[] =
	    "GET / HTTP/1.1\r\n"
	    "X-Forwarded-For: 10.1.1.1\r\n"
	    "Forwarded: for=10.2.2.2\r\n\r\n";
	/* Broken Forwarded: the X-Forwarded-For address is used. */
	static const char broken[] =
	    "GET / HTTP/1.1\r\n"
	    "Forwarded: for\r\n"
	    "X-Forwarded-For: 10.1.1.1\r\n\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(v6), &r), ERR_OK);
	assert_true(r.has_forwarded);
	assert_addr(&r.forwarded_for, "2001:db8:cafe::17");
	check_prefixes(LIT(v6));
	assert_int_equal(parse(LIT(list), &r), ERR_OK);
	assert_addr(&r.forwarded_for, "192.0.2.60");
	assert_int_equal(parse(LIT(quoted), &r), ERR_OK);
	assert_addr(&r.forwarded_for, "192.0.2.43");
	assert_int_equal(parse(LIT(both), &r), ERR_OK);
	assert_addr(&r.forwarded_for, "10.2.2.2");
	assert_int_equal(parse(LIT(broken), &r), ERR_OK);
	assert_addr(&r.forwarded_for, "10.1.1.1");
}

static void
test_obs_fold(void **state)
{
	/* Folded Host, folded Transfer-Encoding, a folded field we skip. */
	static const char req[] =
	    "POST / HTTP/1.1\r\n"
	    "X-Long: a\r\n"
	    " b\r\n"
	    "\tc\r\n"
	    "Host:\r\n"
	    "   folded.example  \r\n"
	    "Transfer-Encoding: gzip,\r\n"
	    "\tchunked\r\n"
	    "\r\n";
	/* Whitespace before the first field: ignored. */
	static const char lead[] =
	    "GET / HTTP/1.1\r\n"
	    " junk\r\n"
	    "Host: h.example\r\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_string_equal(r.host, "folded.example");
	assert_true(r.chunked);
	check_prefixes(LIT(req));
	assert_int_equal(parse(LIT(lead), &r), ERR_OK);
	assert_string_equal(r.host, "h.example");
}

static void
test_bare_lf(void **state)
{
	/* zeek-http-methods frame 44: LF line ends. */
	static const char req[] =
	    "GET / HTTP/1.1\n"
	    "Host: www.google.com\n"
	    "\n";
	/* Mixed CRLF and LF. */
	static const char mixed[] =
	    "GET / HTTP/1.1\r\n"
	    "Host: www.google.com\n"
	    "\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_string_equal(r.host, "www.google.com");
	assert_int_equal(r.head_len, sizeof(req) - 1);
	check_prefixes(LIT(req));
	assert_int_equal(parse(LIT(mixed), &r), ERR_OK);
	assert_int_equal(r.head_len, sizeof(mixed) - 1);
}

static void
test_not_http(void **state)
{
	/* A TLS ClientHello record header and the start of its body. */
	static const uint8_t tls[] = {
		0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03
	};
	static const char ssh[] = "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3\r\n";
	/* The HTTP/2 connection preface (RFC 9113 3.4). */
	static const char h2[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
	static const char lower[] = "get / HTTP/1.1\r\n\r\n";
	static const char resp[] = "HTTP/1.1 200 OK\r\n\r\n";
	/* More stray line ends than are tolerated. */
	static const char crlfs[] =
	    "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(tls, sizeof(tls), &r), ERR_NOTFOUND);
	assert_int_equal(parse(tls, 1, &r), ERR_NOTFOUND);
	assert_int_equal(parse(LIT(ssh), &r), ERR_NOTFOUND);
	assert_int_equal(parse(LIT(h2), &r), ERR_NOTFOUND);
	assert_int_equal(parse(LIT(lower), &r), ERR_NOTFOUND);
	assert_int_equal(parse(LIT(resp), &r), ERR_NOTFOUND);
	assert_int_equal(parse(LIT(crlfs), &r), ERR_NOTFOUND);
	/* Nothing yet, or only the start of a method: ask again. */
	assert_int_equal(parse(LIT(""), &r), ERR_SHORT);
	assert_int_equal(parse(LIT("CONN"), &r), ERR_SHORT);
	assert_int_equal(parse(LIT("\r\n"), &r), ERR_SHORT);
}

static void
test_malformed(void **state)
{
	/* A field line without a colon. */
	static const char no_colon[] =
	    "GET / HTTP/1.1\r\nHost www.example.com\r\n\r\n";
	/* Reported before the head is complete. */
	static const char early[] =
	    "GET / HTTP/1.1\r\nHost www.example.com\r\n";
	static const char empty_name[] =
	    "GET / HTTP/1.1\r\n: x\r\n\r\n";
	static const char one_byte[] = "GET / HTTP/1.1\r\nX\r\n\r\n";
	/* SMTP after its server's greeting. */
	static const char smtp[] =
	    "EHLO client.example\r\nMAIL FROM:<a@b.example>\r\n";
	/* A control byte in the request line. */
	static const char ctl[] = "GET /\x01 HTTP/1.1\r\n\r\n";
	/* A third word that is no version. */
	static const char words[] = "GET / FOO/1.1\r\n\r\n";
	/* Whitespace before the colon is tolerated. */
	static const char ws_colon[] =
	    "GET / HTTP/1.1\r\nHost : h.example\r\n\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(no_colon), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(early), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(empty_name), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(one_byte), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(smtp), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(ctl), &r), ERR_MALFORMED);
	assert_int_equal(parse(LIT(ws_colon), &r), ERR_OK);
	assert_string_equal(r.host, "h.example");
	/* Not a version: the target keeps its spaces (no form known). */
	assert_int_equal(parse(LIT(words), &r), ERR_OK);
	assert_int_equal(r.target, HTTP_ORIGIN);
}

static void
test_limits(void **state)
{
	static const char line[] = "GET / HTTP/1.1\r\n";
	struct http_req r;
	uint8_t *buf;
	size_t n, i, cap = 2 * HTTP_HEAD_MAX;

	(void)state;
	assert_non_null(buf = malloc(cap));

	/* 256 fields are fine, 257 are not. */
	n = 0;
	memcpy(buf, line, sizeof(line) - 1);
	n += sizeof(line) - 1;
	for (i = 0; i < HTTP_FIELDS_MAX; i++) {
		memcpy(buf + n, "A: b\r\n", 6);
		n += 6;
	}
	memcpy(buf + n, "\r\n", 2);
	assert_int_equal(parse(buf, n + 2, &r), ERR_OK);
	memcpy(buf + n, "A: b\r\n\r\n", 8);
	assert_int_equal(parse(buf, n + 8, &r), ERR_MALFORMED);

	/* A head of exactly HTTP_HEAD_MAX bytes, then one byte more. */
	n = 0;
	memcpy(buf, line, sizeof(line) - 1);
	n += sizeof(line) - 1;
	memcpy(buf + n, "X: ", 3);
	n += 3;
	memset(buf + n, 'x', HTTP_HEAD_MAX - n - 4);
	n = HTTP_HEAD_MAX - 4;
	memcpy(buf + n, "\r\n\r\n", 4);
	assert_int_equal(parse(buf, HTTP_HEAD_MAX, &r), ERR_OK);
	assert_int_equal(r.head_len, HTTP_HEAD_MAX);
	assert_int_equal(parse(buf, HTTP_HEAD_MAX - 1, &r), ERR_SHORT);
	buf[n] = 'x';
	memcpy(buf + n + 1, "\r\n\r\n", 4);
	assert_int_equal(parse(buf, HTTP_HEAD_MAX + 3, &r), ERR_FULL);
	assert_int_equal(parse(buf, HTTP_HEAD_MAX + 4, &r), ERR_FULL);
	assert_int_equal(parse(buf, HTTP_HEAD_MAX, &r), ERR_FULL);
	assert_int_equal(parse(buf, HTTP_HEAD_MAX - 1, &r), ERR_SHORT);
	free(buf);
}

/* Issue 22 item 12: a head over HTTP_HEAD_MAX with Host first. */
static void
test_too_big_host_first(void **state)
{
	static const char first[] =
	    "GET http://dl.kaspersky.com/x HTTP/1.1\r\n"
	    "Host: upd.kaspersky.com\r\nCookie: ";
	static const char plain[] = "GET /x HTTP/1.1\r\nCookie: ";
	uint8_t *buf;
	struct http_req r;
	size_t n = HTTP_HEAD_MAX + 100;

	(void)state;
	assert_non_null(buf = malloc(n));
	memset(buf, 'c', n);
	memcpy(buf, first, sizeof(first) - 1);
	memset(&r, 0, sizeof(r));
	assert_int_equal(parse(buf, n, &r), ERR_FULL);
	assert_true(r.has_host);
	assert_string_equal(r.host, "upd.kaspersky.com");
	assert_true(r.has_uri_host);
	assert_string_equal(r.uri_host, "dl.kaspersky.com");
	assert_true(r.host_mismatch);
	assert_int_equal(r.head_len, 0);
	/* Cut before the cap: wait for more, as before. */
	assert_int_equal(parse(buf, HTTP_HEAD_MAX - 1, &r), ERR_SHORT);
	/* No name before the cap: nothing, not a stale name. */
	memset(buf, 'c', n);
	memcpy(buf, plain, sizeof(plain) - 1);
	r.has_host = r.has_uri_host = true;
	assert_int_equal(parse(buf, n, &r), ERR_FULL);
	assert_false(r.has_host);
	assert_false(r.has_uri_host);
	free(buf);
}

static void
test_leading_crlf(void **state)
{
	/* A stray CRLF after a body (RFC 9112 2.2) is part of head_len. */
	static const char req[] =
	    "\r\n\nGET / HTTP/1.1\r\nHost: h.example\r\n\r\n";
	struct http_req r;

	(void)state;
	assert_int_equal(parse(LIT(req), &r), ERR_OK);
	assert_string_equal(r.host, "h.example");
	assert_int_equal(r.head_len, sizeof(req) - 1);
	check_prefixes(LIT(req));
}

static void
test_prefixes_all(void **state)
{
	/* Every strict prefix of these heads is ERR_SHORT, never ERR_OK. */
	static const char *const heads[] = {
	    "POST /x HTTP/1.1\r\nHost: a.example\r\nContent-Length: 3\r\n"
	    "\r\nabc",
	    "GET http://u@[::1]:8/ HTTP/1.0\r\nHost: [::1]\r\n"
	    "Forwarded: for=\"[::2]\"\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n",
	    "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	    "OPTIONS * HTTP/1.1\nHost:\n x.example\n\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		check_prefixes((const uint8_t *)heads[i], strlen(heads[i]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_request),
		cmocka_unit_test(test_simple_get),
		cmocka_unit_test(test_host_port),
		cmocka_unit_test(test_host_case_dot),
		cmocka_unit_test(test_host_escapes),
		cmocka_unit_test(test_host_first_empty_long),
		cmocka_unit_test(test_connect),
		cmocka_unit_test(test_connect_v6),
		cmocka_unit_test(test_connect_malformed_target),
		cmocka_unit_test(test_methods_oddities),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_absolute_schemes),
		cmocka_unit_test(test_userinfo),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_post_body),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_transfer_encoding),
		cmocka_unit_test(test_chunked_split),
		cmocka_unit_test(test_chunked_ends),
		cmocka_unit_test(test_xff),
		cmocka_unit_test(test_forwarded),
		cmocka_unit_test(test_obs_fold),
		cmocka_unit_test(test_bare_lf),
		cmocka_unit_test(test_not_http),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_leading_crlf),
		cmocka_unit_test(test_too_big_host_first),
		cmocka_unit_test(test_prefixes_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
