/* eve.c - Suricata EVE JSON events (docs.suricata.io, "Eve JSON Format"):
 * dns (versions 1, 2 and 3), tls, http, quic and flow, one a line. */
#include <stdio.h>
#include <string.h>

#include "logjson.h"
#include "logrec.h"


static bool
jis(const struct lj_obj *o, const char *key, const char *want)
{
	struct lj v;

	return lj_find(o, key, &v) && lj_is(&v, want);
}


static uint32_t
jttl(const struct lj_obj *o)
{
	struct lj v;
	int64_t i;

	if (!lj_find(o, "ttl", &v) || !lj_int(&v, &i) || i < 0 ||
	    i > (int64_t)UINT32_MAX)
		return 0;
	return (uint32_t)i;
}

/* Only address and CNAME answers lead anywhere; no rrtype: taken. */
static bool
answer_type(const struct lj_obj *o)
{
	struct lj t;

	return !lj_find(o, "rrtype", &t) || lj_is(&t, "A") ||
	    lj_is(&t, "AAAA") || lj_is(&t, "CNAME");
}

static void
answer(struct log_rec *r, const struct lj_obj *o)
{
	char buf[LOG_NAME_MAX * 2];
	size_t len;

	if (answer_type(o) &&
	    lj_find_str(o, "rdata", buf, sizeof(buf), &len) != NULL)
		log_add_answer(r, buf, len, jttl(o));
}

/*
 * "dns": version 1 logs a query, and each answer record as an event of
 * its own (rrname, rrtype, rdata, ttl); version 2 one answer event with
 * "answers" (detailed) and/or "grouped" (by type, no TTLs); version 3
 * (Suricata 8) "request"/"response" with "queries" and the same answers.
 */
static void
eve_dns(const struct lj_obj *dns, struct log_rec *r)
{
	char buf[LOG_NAME_MAX * 2];
	struct lj q, arr, v, grouped, type, x;
	struct lj_obj e;
	struct cur it = LJ_ITER_INIT, it2;
	const char *s;
	size_t len;

	if (jis(dns, "type", "query") || jis(dns, "type", "request"))
		r->kind = LOG_DNS_QUERY;
	else if (jis(dns, "type", "answer") || jis(dns, "type", "response"))
		r->kind = LOG_DNS_ANSWER;
	else
		return;
	s = lj_find_str(dns, "rrname", buf, sizeof(buf), &len);
	if (s == NULL && lj_find(dns, "queries", &q) && q.type == LJ_ARRAY &&
	    lj_next(&q, &it, &v, NULL) && lj_index(&e, &v))
		s = lj_find_str(&e, "rrname", buf, sizeof(buf), &len);
	if (s != NULL)
		r->has_name = log_name(r->name, &r->name_len, s, len);
	if (r->kind != LOG_DNS_ANSWER)
		return;
	if (lj_find(dns, "rdata", &v))
		answer(r, dns);		/* version 1 */
	it = (struct cur)LJ_ITER_INIT;
	if (lj_find(dns, "answers", &arr) && arr.type == LJ_ARRAY) {
		while (lj_next(&arr, &it, &v, NULL))
			if (lj_index(&e, &v))
				answer(r, &e);
	} else if (lj_find(dns, "grouped", &grouped) &&
	    grouped.type == LJ_OBJECT) {
		while (lj_next(&grouped, &it, &arr, &type)) {
			if (!lj_is(&type, "A") && !lj_is(&type, "AAAA") &&
			    !lj_is(&type, "CNAME"))
				continue;
			it2 = (struct cur)LJ_ITER_INIT;
			while (lj_next(&arr, &it2, &x, NULL))
				if (lj_str(&x, buf, sizeof(buf), &len))
					log_add_answer(r, buf, len, 0);
		}
	}
}

/* The name member of an event's protocol object, or none. */
static void
eve_name(struct log_rec *r, const struct lj_obj *o, const char *obj,
    const char *key, enum log_kind kind, bool host)
{
	char buf[LOG_NAME_MAX * 2];
	struct lj p, v;
	size_t len;

	r->kind = kind;
	if (!lj_find(o, obj, &p) || !lj_get(&p, key, &v) ||
	    !lj_str(&v, buf, sizeof(buf), &len))
		return;
	/* An HTTP hostname may carry a port ("host:8080"). */
	r->has_name = host ? log_host(r->name, &r->name_len, buf, len) :
	    log_name(r->name, &r->name_len, buf, len);
}

/*
 * "dhcp" (Suricata's extended DHCP events): the address assigned, else
 * the client's own (0.0.0.0 is none), the client's MAC and the host name
 * it gave.  No address: nothing to name, the event is skipped.
 */
static int
eve_dhcp(const struct lj_obj *o, struct log_rec *r, char *errbuf)
{
	static struct lj_obj d;
	char buf[LOG_NAME_MAX * 2];
	struct lj v;
	size_t len;
	const char *key[] = { "assigned_ip", "client_ip" };
	size_t i;

	r->kind = LOG_NONE;
	if (!lj_find(o, "dhcp", &v) || !lj_index(&d, &v)) {
		snprintf(errbuf, ERRBUF_LEN, "event_type dhcp without a dhcp "
		    "object");
		return ERR_MALFORMED;
	}
	for (i = 0; i < 2; i++)
		if (lj_find_str(&d, key[i], buf, sizeof(buf), &len) != NULL &&
		    !(len == 7 && memcmp(buf, "0.0.0.0", 7) == 0))
			break;
	if (i == 2)
		return ERR_OK;
	if (!log_addr(&r->client, buf, len)) {
		snprintf(errbuf, ERRBUF_LEN, "dhcp.%s: not an address",
		    key[i]);
		return ERR_MALFORMED;
	}
	if (lj_find_str(&d, "client_mac", buf, sizeof(buf), &len) != NULL &&
	    !(r->has_mac = log_mac(r->mac, buf, len))) {
		snprintf(errbuf, ERRBUF_LEN, "dhcp.client_mac: not a MAC "
		    "address");
		return ERR_MALFORMED;
	}
	if (lj_find_str(&d, "hostname", buf, sizeof(buf), &len) != NULL)
		log_text(r->hostname, &r->hostname_len, buf, len);
	r->kind = LOG_DHCP;
	r->proto = 17;
	return ERR_OK;
}

static int
eve_rec(const struct lj_obj *o, struct log_rec *r, char *errbuf)
{
	static struct lj_obj d;
	char buf[64];
	struct lj ev, dns;
	size_t len;

	if (!lj_find(o, "event_type", &ev) || ev.type != LJ_STRING) {
		snprintf(errbuf, ERRBUF_LEN, "event_type: missing");
		return ERR_MALFORMED;
	}
	if (lj_is(&ev, "dns")) {
		if (!lj_find(o, "dns", &dns) || !lj_index(&d, &dns))
			goto no_obj;
		eve_dns(&d, r);
	} else if (lj_is(&ev, "tls"))
		eve_name(r, o, "tls", "sni", LOG_TLS, false);
	else if (lj_is(&ev, "quic"))
		eve_name(r, o, "quic", "sni", LOG_QUIC, false);
	else if (lj_is(&ev, "http"))
		eve_name(r, o, "http", "hostname", LOG_HTTP, true);
	else if (lj_is(&ev, "flow"))
		r->kind = LOG_FLOW;
	else if (lj_is(&ev, "dhcp"))
		r->kind = LOG_DHCP;
	if (r->kind == LOG_NONE)
		return ERR_OK;
	if (lj_find_str(o, "timestamp", buf, sizeof(buf), &len) == NULL ||
	    !log_iso8601(&r->ts_sec, &r->ts_nsec, buf, len)) {
		snprintf(errbuf, ERRBUF_LEN, "timestamp: missing or not ISO "
		    "8601");
		return ERR_MALFORMED;
	}
	if (r->kind == LOG_DHCP)
		return eve_dhcp(o, r, errbuf);
	if (log_json_ends(o, "src_ip", "dest_ip", "src_port",
	    "dest_port", r, errbuf) != ERR_OK)
		return ERR_MALFORMED;
	if (lj_find_str(o, "proto", buf, sizeof(buf), &len) != NULL)
		r->proto = log_proto(buf, len);
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
	static struct lj_obj m;
	struct lj o;
	int ret;

	r->kind = LOG_NONE;
	if ((ret = lj_parse(&o, line, len, errbuf)) != ERR_OK)
		return ret;
	(void)lj_index(&m, &o);
	return eve_rec(&m, r, errbuf);
}
