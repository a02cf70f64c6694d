/* zeek.c - Zeek's logs (docs.zeek.org, "Log Formats" and the dns, ssl,
 * http, quic and conn log pages): the ASCII TSV format and JSON lines. */
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "logjson.h"
#include "logrec.h"

void
zeek_tsv_init(struct zeek_tsv *z)
{
	memset(z, 0, sizeof(*z));
	z->sep = '\t';
	z->set_sep = ',';
	strcpy(z->empty, "(empty)");
	strcpy(z->unset, "-");
	z->f_ts = z->f_orig_h = z->f_orig_p = z->f_resp_h = z->f_resp_p = -1;
	z->f_proto = z->f_query = z->f_answers = z->f_ttls = -1;
	z->f_server_name = z->f_host = z->f_rcode = -1;
	z->f_mac = z->f_host_name = z->f_client_fqdn = z->f_assigned = -1;
	z->f_client_addr = -1;
}

/* A log's kind from its #path (or a JSON record's "_path"). */
static enum log_kind
path_kind(const char *p, size_t len)
{
	static const struct {
		const char	*path;
		enum log_kind	 kind;
	} rows[] = {
		{ "dns", LOG_DNS_QUERY }, { "ssl", LOG_TLS },
		{ "http", LOG_HTTP }, { "quic", LOG_QUIC },
		{ "conn", LOG_FLOW }, { "dhcp", LOG_DHCP },
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (strlen(rows[i].path) == len &&
		    memcmp(rows[i].path, p, len) == 0)
			return rows[i].kind;
	return LOG_NONE;
}

/*
 * Splits off the next field at sep: *f and *flen, the cursor moved past
 * the separator.  false when nothing is left.
 */
static bool
next_field(struct cur *c, char sep, const char **f, size_t *flen)
{
	const uint8_t *end;

	if (!c->ok)
		return false;
	*f = (const char *)c->p;
	if ((end = memchr(c->p, (uint8_t)sep, cur_left(c))) == NULL) {
		*flen = cur_left(c);
		cur_skip(c, *flen);
		c->ok = false;		/* the last one: no more after it */
		return true;
	}
	*flen = (size_t)(end - c->p);
	cur_skip(c, *flen + 1);
	return true;
}

static bool
is(const char *f, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(f, s, len) == 0;
}

/* A header value into dst (size n), "\xHH" escapes decoded. */
static bool
header_value(char *dst, size_t n, const char *s, size_t len)
{
	struct cur c = cur_init(s, len);
	size_t o = 0;
	unsigned v;
	uint8_t b;
	char hex[3];

	while (cur_left(&c) > 0) {
		if (o + 1 >= n)
			return false;
		b = cur_u8(&c);
		if (b == '\\' && cur_left(&c) >= 3 && *c.p == 'x') {
			cur_skip(&c, 1);
			if (!cur_copy(&c, hex, 2))
				return false;
			hex[2] = '\0';
			if (sscanf(hex, "%2x", &v) != 1)
				return false;
			b = (uint8_t)v;
		}
		dst[o++] = (char)b;
	}
	dst[o] = '\0';
	return true;
}

static int
tsv_fields(struct zeek_tsv *z, struct cur *c, char *errbuf)
{
	const char *f;
	size_t len, i = 0;

	z->have_fields = false;
	z->f_ts = z->f_orig_h = z->f_orig_p = z->f_resp_h = z->f_resp_p = -1;
	z->f_proto = z->f_query = z->f_answers = z->f_ttls = -1;
	z->f_server_name = z->f_host = z->f_rcode = -1;
	z->f_mac = z->f_host_name = z->f_client_fqdn = z->f_assigned = -1;
	z->f_client_addr = -1;
	while (next_field(c, z->sep, &f, &len)) {
		if (i == LOG_MAX_FIELDS) {
			snprintf(errbuf, ERRBUF_LEN, "#fields: more than %d "
			    "fields", LOG_MAX_FIELDS);
			return ERR_MALFORMED;
		}
#define F(name, m)	if (is(f, len, name)) z->m = (int)i
		F("ts", f_ts);
		F("id.orig_h", f_orig_h);
		F("id.orig_p", f_orig_p);
		F("id.resp_h", f_resp_h);
		F("id.resp_p", f_resp_p);
		F("proto", f_proto);
		F("query", f_query);
		F("answers", f_answers);
		F("TTLs", f_ttls);
		F("server_name", f_server_name);
		F("host", f_host);
		F("rcode_name", f_rcode);
		F("mac", f_mac);
		F("host_name", f_host_name);
		F("client_fqdn", f_client_fqdn);
		F("assigned_addr", f_assigned);
		F("client_addr", f_client_addr);
#undef F
		i++;
	}
	if (z->path[0] == '\0' && z->f_orig_h < 0 && z->f_assigned >= 0)
		z->kind = LOG_DHCP;	/* no #path: the fields tell */
	if (z->kind == LOG_DHCP) {
		if (z->f_ts < 0 || (z->f_assigned < 0 &&
		    z->f_client_addr < 0)) {
			snprintf(errbuf, ERRBUF_LEN, "#fields: a dhcp log "
			    "without ts, assigned_addr or client_addr");
			return ERR_MALFORMED;
		}
		z->n_fields = i;
		z->have_fields = true;
		return ERR_OK;
	}
	if (z->f_ts < 0 || z->f_orig_h < 0 || z->f_resp_h < 0) {
		snprintf(errbuf, ERRBUF_LEN, "#fields: no ts, id.orig_h or "
		    "id.resp_h field");
		return ERR_MALFORMED;
	}
	z->n_fields = i;
	z->have_fields = true;
	if (z->path[0] == '\0') {
		/* No #path: the fields tell. */
		z->kind = z->f_query >= 0 ? LOG_DNS_QUERY :
		    z->f_server_name >= 0 ? LOG_TLS : z->f_host >= 0 ?
		    LOG_HTTP : LOG_FLOW;
	}
	return ERR_OK;
}

static int
tsv_header(struct zeek_tsv *z, const char *line, size_t len, char *errbuf)
{
	struct cur c = cur_init(line, len);
	const char *key, *v;
	size_t klen, vlen;
	char tmp[32];

	/* "#separator \x09" is the one header split by a space. */
	if (len > 11 && memcmp(line, "#separator ", 11) == 0) {
		if (!header_value(tmp, sizeof(tmp), line + 11, len - 11) ||
		    strlen(tmp) != 1 || tmp[0] == '\n') {
			snprintf(errbuf, ERRBUF_LEN, "#separator: not one "
			    "character");
			return ERR_MALFORMED;
		}
		zeek_tsv_init(z);
		z->sep = tmp[0];
		return ERR_OK;
	}
	if (!next_field(&c, z->sep, &key, &klen))
		return ERR_OK;
	if (is(key, klen, "#fields"))
		return tsv_fields(z, &c, errbuf);
	if (!next_field(&c, z->sep, &v, &vlen))
		vlen = 0, v = "";
	if (is(key, klen, "#set_separator")) {
		if (!header_value(tmp, sizeof(tmp), v, vlen) ||
		    strlen(tmp) != 1) {
			snprintf(errbuf, ERRBUF_LEN, "#set_separator: not one "
			    "character");
			return ERR_MALFORMED;
		}
		z->set_sep = tmp[0];
	} else if (is(key, klen, "#empty_field")) {
		if (!header_value(z->empty, sizeof(z->empty), v, vlen))
			goto long_value;
	} else if (is(key, klen, "#unset_field")) {
		if (!header_value(z->unset, sizeof(z->unset), v, vlen))
			goto long_value;
	} else if (is(key, klen, "#path")) {
		if (!header_value(z->path, sizeof(z->path), v, vlen))
			goto long_value;
		z->kind = path_kind(z->path, strlen(z->path));
	}
	/* #open, #close, #types: nothing we need. */
	return ERR_OK;
long_value:
	snprintf(errbuf, ERRBUF_LEN, "%.*s: value too long", (int)klen, key);
	return ERR_MALFORMED;
}

/* Unset ("-") or empty ("(empty)") field. */
static bool
tsv_nothing(const struct zeek_tsv *z, const char *f, size_t len)
{
	return len == 0 || is(f, len, z->unset) || is(f, len, z->empty);
}

/* dns.log answers and TTLs: two vectors, the same length. */
static void
tsv_answers(const struct zeek_tsv *z, struct log_rec *r, const char *ans,
    size_t alen, const char *ttls, size_t tlen)
{
	struct cur a = cur_init(ans, alen), t = cur_init(ttls, tlen);
	const char *f, *tf;
	size_t flen, tflen;
	int64_t sec;
	uint32_t nsec;

	if (tsv_nothing(z, ans, alen))
		return;
	if (tsv_nothing(z, ttls, tlen))
		t.ok = false;
	while (next_field(&a, z->set_sep, &f, &flen)) {
		sec = 0;
		if (next_field(&t, z->set_sep, &tf, &tflen) &&
		    (!log_epoch(&sec, &nsec, tf, tflen) || sec > UINT32_MAX))
			sec = 0;
		log_add_answer(r, f, flen, (uint32_t)sec);
	}
}

/* The column's value, or NULL when the log has no such column or it is
 * unset or empty. */
static const char *
tsv_get(const struct zeek_tsv *z, int col, const char *const *f,
    const size_t *fl, size_t *len)
{
	if (col < 0 || tsv_nothing(z, f[col], fl[col]))
		return NULL;
	*len = fl[col];
	return f[col];
}

/*
 * A dhcp.log record: the address assigned (else the client's own), its
 * MAC and the names the client gave.  A lease without an address names
 * nothing and is skipped.
 */
static int
tsv_dhcp(const struct zeek_tsv *z, struct log_rec *r, const char *const *f,
    const size_t *fl, char *errbuf)
{
	const char *v;
	size_t vl;

	if (z->f_assigned < 0 && z->f_client_addr < 0) {
		snprintf(errbuf, ERRBUF_LEN, "#fields: a dhcp log without "
		    "assigned_addr or client_addr");
		return ERR_MALFORMED;
	}
	if ((v = tsv_get(z, z->f_assigned, f, fl, &vl)) == NULL &&
	    (v = tsv_get(z, z->f_client_addr, f, fl, &vl)) == NULL)
		return ERR_OK;
	if (!log_addr(&r->client, v, vl)) {
		snprintf(errbuf, ERRBUF_LEN, "assigned_addr or client_addr: "
		    "not an address");
		return ERR_MALFORMED;
	}
	if ((v = tsv_get(z, z->f_mac, f, fl, &vl)) != NULL &&
	    !(r->has_mac = log_mac(r->mac, v, vl))) {
		snprintf(errbuf, ERRBUF_LEN, "mac: not a MAC address");
		return ERR_MALFORMED;
	}
	if ((v = tsv_get(z, z->f_host_name, f, fl, &vl)) != NULL)
		log_text(r->hostname, &r->hostname_len, v, vl);
	if ((v = tsv_get(z, z->f_client_fqdn, f, fl, &vl)) != NULL)
		log_text(r->fqdn, &r->fqdn_len, v, vl);
	r->kind = LOG_DHCP;
	r->proto = 17;
	return ERR_OK;
}

int
zeek_tsv_line(struct zeek_tsv *z, const char *line, size_t len,
    struct log_rec *r, char *errbuf)
{
	struct cur c = cur_init(line, len);
	const char *f[LOG_MAX_FIELDS], *v;
	size_t fl[LOG_MAX_FIELDS], n = 0, vl;
	int name_f;

	r->kind = LOG_NONE;
	if (len > 0 && line[0] == '#')
		return tsv_header(z, line, len, errbuf);
	if (len == 0)
		return ERR_OK;
	if (!z->have_fields) {
		snprintf(errbuf, ERRBUF_LEN, "a record before the #fields "
		    "header");
		return ERR_MALFORMED;
	}
	while (n < LOG_MAX_FIELDS && next_field(&c, z->sep, &f[n], &fl[n]))
		n++;
	if (n != z->n_fields || c.ok) {
		snprintf(errbuf, ERRBUF_LEN, "%s%zu fields, the #fields "
		    "header has %zu", c.ok ? "more than " : "", n,
		    z->n_fields);
		return ERR_MALFORMED;
	}
	if (z->kind == LOG_NONE)
		return ERR_OK;
	if (!log_epoch(&r->ts_sec, &r->ts_nsec, f[z->f_ts], fl[z->f_ts])) {
		snprintf(errbuf, ERRBUF_LEN, "ts: not a time: \"%.*s\"",
		    (int)(fl[z->f_ts] > 40 ? 40 : fl[z->f_ts]), f[z->f_ts]);
		return ERR_MALFORMED;
	}
	/* A #path after #fields can change the kind: the columns it needs
	 * are checked here, per record. */
	if (z->kind == LOG_DHCP)
		return tsv_dhcp(z, r, f, fl, errbuf);
	if (z->f_orig_h < 0 || z->f_resp_h < 0) {
		snprintf(errbuf, ERRBUF_LEN, "#fields: no id.orig_h or "
		    "id.resp_h field");
		return ERR_MALFORMED;
	}
	if (!log_addr(&r->client, f[z->f_orig_h], fl[z->f_orig_h]) ||
	    !log_addr(&r->server, f[z->f_resp_h], fl[z->f_resp_h])) {
		snprintf(errbuf, ERRBUF_LEN, "id.orig_h or id.resp_h: not an "
		    "address");
		return ERR_MALFORMED;
	}
	if ((z->f_orig_p >= 0 && !log_port(&r->client_port, f[z->f_orig_p],
	    fl[z->f_orig_p])) || (z->f_resp_p >= 0 &&
	    !log_port(&r->server_port, f[z->f_resp_p], fl[z->f_resp_p]))) {
		snprintf(errbuf, ERRBUF_LEN, "id.orig_p or id.resp_p: not a "
		    "port");
		return ERR_MALFORMED;
	}
	if (z->f_proto >= 0)
		r->proto = log_proto(f[z->f_proto], fl[z->f_proto]);
	else if (z->kind == LOG_TLS || z->kind == LOG_HTTP)
		r->proto = 6;
	else if (z->kind == LOG_QUIC)
		r->proto = 17;
	r->kind = z->kind;
	name_f = z->kind == LOG_DNS_QUERY ? z->f_query : z->kind == LOG_HTTP ?
	    z->f_host : z->kind == LOG_FLOW ? -1 : z->f_server_name;
	if (name_f >= 0 && !tsv_nothing(z, f[name_f], fl[name_f])) {
		v = f[name_f];
		vl = fl[name_f];
		r->has_name = z->kind == LOG_HTTP ? log_host(r->name,
		    &r->name_len, v, vl) : log_name(r->name, &r->name_len, v,
		    vl);
	}
	if (z->kind == LOG_DNS_QUERY && z->f_answers >= 0)
		tsv_answers(z, r, f[z->f_answers], fl[z->f_answers],
		    z->f_ttls >= 0 ? f[z->f_ttls] : "", z->f_ttls >= 0 ?
		    fl[z->f_ttls] : 0);
	r->responded = z->kind == LOG_DNS_QUERY && (r->n_ans > 0 ||
	    (z->f_rcode >= 0 && !tsv_nothing(z, f[z->f_rcode],
	    fl[z->f_rcode])));
	return ERR_OK;
}

/* ---- JSON lines ------------------------------------------------------- */


static bool
jhas(const struct lj_obj *o, const char *key)
{
	struct lj v;

	return lj_find(o, key, &v);
}

/* "ts": seconds as a number (the default) or ISO 8601 text
 * (LogAscii::json_timestamps). */
static bool
jtime(const struct lj_obj *o, int64_t *sec, uint32_t *nsec)
{
	char buf[64];
	struct lj v;
	size_t len;
	double d;

	if (!lj_find(o, "ts", &v))
		return false;
	if (v.type == LJ_NUMBER) {
		/* The text, not the double: 1727769640.25 exactly. */
		if (lj_str(&(struct lj){ LJ_STRING, v.p, v.len }, buf,
		    sizeof(buf), &len) && log_epoch(sec, nsec, buf, len))
			return true;
		if (!lj_num(&v, &d) || !(d >= 0 && d < 1e11))
			return false;
		*sec = (int64_t)d;
		*nsec = (uint32_t)((d - (double)*sec) * 1e9);
		if (*nsec > 999999999)
			*nsec = 999999999;
		return true;
	}
	if (!lj_str(&v, buf, sizeof(buf), &len))
		return false;
	return log_iso8601(sec, nsec, buf, len) ||
	    log_epoch(sec, nsec, buf, len);
}


/* Which log a record is from, by its fields (there is no #path). */
static enum log_kind
json_kind(const struct lj_obj *o)
{
	char buf[32];
	size_t len;

	if (lj_find_str(o, "_path", buf, sizeof(buf), &len) != NULL)
		return path_kind(buf, len);
	if (jhas(o, "query") || jhas(o, "qtype_name"))
		return LOG_DNS_QUERY;
	if (jhas(o, "client_initial_dcid"))
		return LOG_QUIC;
	if (jhas(o, "server_name") || jhas(o, "ssl_history") ||
	    jhas(o, "cipher"))
		return LOG_TLS;
	if (jhas(o, "method") || jhas(o, "host") || jhas(o, "trans_depth"))
		return LOG_HTTP;
	if (jhas(o, "conn_state"))
		return LOG_FLOW;
	if (jhas(o, "assigned_addr") || jhas(o, "msg_types"))
		return LOG_DHCP;
	return LOG_NONE;
}

/* A dhcp.log record as tsv_dhcp() reads it. */
static int
json_dhcp(const struct lj_obj *o, struct log_rec *r, char *errbuf)
{
	char buf[LOG_NAME_MAX * 2];
	size_t len;

	r->kind = LOG_NONE;
	if (lj_find_str(o, "assigned_addr", buf, sizeof(buf), &len) == NULL &&
	    lj_find_str(o, "client_addr", buf, sizeof(buf), &len) == NULL)
		return ERR_OK;
	if (!log_addr(&r->client, buf, len)) {
		snprintf(errbuf, ERRBUF_LEN, "assigned_addr or client_addr: "
		    "not an address");
		return ERR_MALFORMED;
	}
	if (lj_find_str(o, "mac", buf, sizeof(buf), &len) != NULL &&
	    !(r->has_mac = log_mac(r->mac, buf, len))) {
		snprintf(errbuf, ERRBUF_LEN, "mac: not a MAC address");
		return ERR_MALFORMED;
	}
	if (lj_find_str(o, "host_name", buf, sizeof(buf), &len) != NULL)
		log_text(r->hostname, &r->hostname_len, buf, len);
	if (lj_find_str(o, "client_fqdn", buf, sizeof(buf), &len) != NULL)
		log_text(r->fqdn, &r->fqdn_len, buf, len);
	r->kind = LOG_DHCP;
	r->proto = 17;
	return ERR_OK;
}

static int
json_rec(const struct lj_obj *o, struct log_rec *r, char *errbuf)
{
	char buf[LOG_NAME_MAX * 2];
	struct lj ans, ttls, v, t;
	struct cur ia = LJ_ITER_INIT, it = LJ_ITER_INIT;
	const char *key;
	bool have_t;
	size_t len;
	double d;

	if ((r->kind = json_kind(o)) == LOG_NONE)
		return ERR_OK;
	if (!jtime(o, &r->ts_sec, &r->ts_nsec)) {
		snprintf(errbuf, ERRBUF_LEN, "ts: missing or not a time");
		return ERR_MALFORMED;
	}
	if (r->kind == LOG_DHCP)
		return json_dhcp(o, r, errbuf);
	if (log_json_ends(o, "id.orig_h", "id.resp_h", "id.orig_p",
	    "id.resp_p", r, errbuf) != ERR_OK)
		return ERR_MALFORMED;
	if (lj_find_str(o, "proto", buf, sizeof(buf), &len) != NULL)
		r->proto = log_proto(buf, len);
	else if (r->kind == LOG_TLS || r->kind == LOG_HTTP)
		r->proto = 6;
	else if (r->kind == LOG_QUIC)
		r->proto = 17;
	key = r->kind == LOG_DNS_QUERY ? "query" : r->kind == LOG_HTTP ?
	    "host" : r->kind == LOG_FLOW ? NULL : "server_name";
	if (key != NULL && lj_find_str(o, key, buf, sizeof(buf), &len) != NULL)
		r->has_name = r->kind == LOG_HTTP ? log_host(r->name,
		    &r->name_len, buf, len) : log_name(r->name, &r->name_len,
		    buf, len);
	if (r->kind == LOG_DNS_QUERY && lj_find_str(o, "rcode_name", buf,
	    sizeof(buf), &len) != NULL)
		r->responded = true;
	if (r->kind != LOG_DNS_QUERY || !lj_find(o, "answers", &ans) ||
	    ans.type != LJ_ARRAY)
		return ERR_OK;
	have_t = lj_find(o, "TTLs", &ttls) && ttls.type == LJ_ARRAY;
	while (lj_next(&ans, &ia, &v, NULL)) {
		d = 0;
		if (have_t && lj_next(&ttls, &it, &t, NULL) && !lj_num(&t, &d))
			d = 0;
		if (!lj_str(&v, buf, sizeof(buf), &len))
			continue;
		log_add_answer(r, buf, len, d > 0 && d < 4294967295.0 ?
		    (uint32_t)d : 0);
	}
	if (r->n_ans > 0)
		r->responded = true;
	return ERR_OK;
}

int
zeek_json_line(const char *line, size_t len, struct log_rec *r,
    char *errbuf)
{
	static struct lj_obj m;
	struct lj o;
	int ret;

	r->kind = LOG_NONE;
	if ((ret = lj_parse(&o, line, len, errbuf)) != ERR_OK)
		return ret;
	(void)lj_index(&m, &o);
	return json_rec(&m, r, errbuf);
}
