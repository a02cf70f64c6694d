/* eve.c - Suricata EVE JSON events (docs.suricata.io, "Eve JSON Format"):
 * dns (versions 1, 2 and 3), tls, http, quic and flow, one a line. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "logrec.h"

static const char *
jstr(const json_t *o, const char *key, size_t *len)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

static bool
jis(const json_t *o, const char *key, const char *want)
{
	size_t len;
	const char *s = jstr(o, key, &len);

	return s != NULL && strlen(want) == len && memcmp(s, want, len) == 0;
}

/* src_port, dest_port: absent (ICMP) is 0. */
static bool
jport(const json_t *o, const char *key, uint16_t *port)
{
	const json_t *v = json_object_get(o, key);
	json_int_t i;

	*port = 0;
	if (v == NULL)
		return true;
	if (!json_is_integer(v) || (i = json_integer_value(v)) < 0 ||
	    i > 65535)
		return false;
	*port = (uint16_t)i;
	return true;
}

static uint32_t
jttl(const json_t *o)
{
	const json_t *v = json_object_get(o, "ttl");
	json_int_t i;

	if (!json_is_integer(v) || (i = json_integer_value(v)) < 0 ||
	    i > (json_int_t)UINT32_MAX)
		return 0;
	return (uint32_t)i;
}

/* Only address and CNAME answers lead anywhere; no rrtype: taken. */
static bool
answer_type(const json_t *o)
{
	size_t len;
	const char *t = jstr(o, "rrtype", &len);

	return t == NULL || jis(o, "rrtype", "A") || jis(o, "rrtype", "AAAA") ||
	    jis(o, "rrtype", "CNAME");
}

static void
answer(struct log_rec *r, const json_t *o)
{
	const char *s;
	size_t len;

	if (answer_type(o) && (s = jstr(o, "rdata", &len)) != NULL)
		log_add_answer(r, s, len, jttl(o));
}

/*
 * "dns": version 1 logs a query, and each answer record as an event of
 * its own (rrname, rrtype, rdata, ttl); version 2 one answer event with
 * "answers" (detailed) and/or "grouped" (by type, no TTLs); version 3
 * (Suricata 8) "request"/"response" with "queries" and the same answers.
 */
static void
eve_dns(const json_t *dns, struct log_rec *r)
{
	const json_t *q, *arr, *v, *grouped;
	const char *s, *type;
	size_t len, i;

	if (jis(dns, "type", "query") || jis(dns, "type", "request"))
		r->kind = LOG_DNS_QUERY;
	else if (jis(dns, "type", "answer") || jis(dns, "type", "response"))
		r->kind = LOG_DNS_ANSWER;
	else
		return;
	s = jstr(dns, "rrname", &len);
	if (s == NULL && json_is_array(q = json_object_get(dns, "queries")) &&
	    (v = json_array_get(q, 0)) != NULL)
		s = jstr(v, "rrname", &len);
	if (s != NULL)
		r->has_name = log_name(r->name, &r->name_len, s, len);
	if (r->kind != LOG_DNS_ANSWER)
		return;
	if (json_object_get(dns, "rdata") != NULL)
		answer(r, dns);		/* version 1 */
	if (json_is_array(arr = json_object_get(dns, "answers")))
		json_array_foreach(arr, i, v)
			answer(r, v);
	else if (json_is_object(grouped = json_object_get(dns, "grouped")))
		json_object_foreach((json_t *)grouped, type, arr) {
			if (strcmp(type, "A") != 0 && strcmp(type, "AAAA") !=
			    0 && strcmp(type, "CNAME") != 0)
				continue;
			if (!json_is_array(arr))
				continue;
			json_array_foreach(arr, i, v)
				if (json_is_string(v))
					log_add_answer(r, json_string_value(v),
					    json_string_length(v), 0);
		}
}

/* The name member of an event's protocol object, or none. */
static void
eve_name(struct log_rec *r, const json_t *o, const char *obj,
    const char *key, enum log_kind kind)
{
	const json_t *p = json_object_get(o, obj);
	const char *s;
	size_t len;

	r->kind = kind;
	if (json_is_object(p) && (s = jstr(p, key, &len)) != NULL)
		r->has_name = log_name(r->name, &r->name_len, s, len);
}

/* An HTTP hostname may carry a port ("host:8080"); an IPv6 literal is in
 * brackets.  The name is what is before the port. */
static void
http_host(struct log_rec *r, const json_t *o)
{
	const json_t *p = json_object_get(o, "http");
	const char *s;
	size_t len;

	r->kind = LOG_HTTP;
	if (!json_is_object(p) || (s = jstr(p, "hostname", &len)) == NULL)
		return;
	r->has_name = log_host(r->name, &r->name_len, s, len);
}

static int
eve_rec(const json_t *o, struct log_rec *r, char *errbuf)
{
	const json_t *ev;
	const char *s;
	size_t len;

	ev = json_object_get(o, "event_type");
	if (!json_is_string(ev)) {
		snprintf(errbuf, ERRBUF_LEN, "event_type: missing");
		return ERR_MALFORMED;
	}
	if (jis(o, "event_type", "dns")) {
		if (!json_is_object(json_object_get(o, "dns")))
			goto no_obj;
		eve_dns(json_object_get(o, "dns"), r);
	} else if (jis(o, "event_type", "tls"))
		eve_name(r, o, "tls", "sni", LOG_TLS);
	else if (jis(o, "event_type", "quic"))
		eve_name(r, o, "quic", "sni", LOG_QUIC);
	else if (jis(o, "event_type", "http"))
		http_host(r, o);
	else if (jis(o, "event_type", "flow"))
		r->kind = LOG_FLOW;
	if (r->kind == LOG_NONE)
		return ERR_OK;
	if ((s = jstr(o, "timestamp", &len)) == NULL ||
	    !log_iso8601(&r->ts_sec, &r->ts_nsec, s, len)) {
		snprintf(errbuf, ERRBUF_LEN, "timestamp: missing or not ISO "
		    "8601");
		return ERR_MALFORMED;
	}
	if ((s = jstr(o, "src_ip", &len)) == NULL ||
	    !log_addr(&r->client, s, len) ||
	    (s = jstr(o, "dest_ip", &len)) == NULL ||
	    !log_addr(&r->server, s, len)) {
		snprintf(errbuf, ERRBUF_LEN, "src_ip or dest_ip: missing or "
		    "not an address");
		return ERR_MALFORMED;
	}
	if (!jport(o, "src_port", &r->client_port) ||
	    !jport(o, "dest_port", &r->server_port)) {
		snprintf(errbuf, ERRBUF_LEN, "src_port or dest_port: not a "
		    "port");
		return ERR_MALFORMED;
	}
	if ((s = jstr(o, "proto", &len)) != NULL)
		r->proto = log_proto(s, len);
	/* DNS events may be written in the packet's direction: the server
	 * is the side on port 53. */
	if ((r->kind == LOG_DNS_QUERY || r->kind == LOG_DNS_ANSWER) &&
	    r->client_port == 53 && r->server_port != 53)
		log_rec_swap(r);
	return ERR_OK;
no_obj:
	snprintf(errbuf, ERRBUF_LEN, "event_type dns without a dns object");
	return ERR_MALFORMED;
}

int
eve_line(const char *line, size_t len, struct log_rec *r, char *errbuf)
{
	json_t *o;
	int ret;

	r->kind = LOG_NONE;
	if ((ret = log_json_parse(&o, line, len, errbuf)) != ERR_OK)
		return ret;
	ret = eve_rec(o, r, errbuf);
	json_decref(o);
	return ret;
}
