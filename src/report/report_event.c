/* report_event.c - one event line per match: kasaudit's JSON, Elastic Common
 * Schema, Suricata EVE, and RFC 5424 structured data (6.3) for syslog. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "flowid.h"
#include "jw.h"
#include "report_int.h"

#define ECS_VERSION	"8.11.0"

static const char *const format_names[EVENTS_N] = { "json", "ecs", "eve" };

bool
report_events_format(const char *name, enum events_format *f)
{
	unsigned i;

	for (i = 0; i < EVENTS_N; i++)
		if (strcmp(name, format_names[i]) == 0) {
			*f = (enum events_format)i;
			return true;
		}
	return false;
}

const char *
report_events_format_name(enum events_format f)
{
	return (unsigned)f < EVENTS_N ? format_names[f] : "?";
}

/* "udp", "tcp", or NULL for another protocol. */
static const char *
transport(const struct obs *o)
{
	return o->proto == 17 ? "udp" : o->proto == 6 ? "tcp" : NULL;
}

/*
 * The Community ID of the flow the observation was made in, into buf;
 * NULL when there is none: a client named by a proxy's header (the flow
 * was the proxy's, and the client's port is not known) or no TCP/UDP.
 */
static const char *
community(char *buf, const struct report_events *cfg, const struct obs *o)
{
	if ((o->flags & OBS_F_FORWARDED) || transport(o) == NULL)
		return NULL;
	flowid_community(buf, cfg->seed, o->proto, &o->client, o->client_port,
	    &o->server, o->server_port);
	return buf[0] != '\0' ? buf : NULL;
}

/* The application protocol the name came from (ECS network.protocol,
 * EVE app_proto); NULL for contacts known by address only. */
static const char *
app_proto(enum obs_kind k)
{
	switch (k) {
	case OBS_DNS_QUERY:
	case OBS_DNS_ANSWER:
		return "dns";
	case OBS_TLS_SNI:
		return "tls";
	case OBS_QUIC_SNI:
		return "quic";
	case OBS_HTTP_HOST:
	case OBS_HTTP_CONNECT:
	case OBS_HTTP_URI:
		return "http";
	case OBS_SOCKS_CONNECT:
		return "socks";
	default:
		return NULL;
	}
}

/* ---- json: today's keys, then transport and community_id ------------- */

static void
json_event(struct jw *w, const struct report_events *cfg, const struct obs *o,
    const struct match_sig *sig)
{
	char cid[FLOWID_LEN];

	jw_str(w, "file", o->file, false);
	jw_u64(w, "frame", o->frame);
	jw_time(w, "time", o->ts_sec, o->ts_nsec);
	jw_addr(w, "client", &o->client);
	/* A client named by a proxy's header: its port is not known. */
	if (o->flags & OBS_F_FORWARDED)
		jw_null(w, "client_port");
	else
		jw_u64(w, "client_port", o->client_port);
	jw_addr(w, "server", &o->server);
	jw_u64(w, "server_port", o->server_port);
	jw_str(w, "transport", transport(o), false);
	jw_str(w, "community_id", community(cid, cfg, o), false);
	jw_str(w, "kind", obs_kind_name(o->kind), false);
	if (o->name != NULL)
		jw_strn(w, "name", o->name, o->name_len);
	else
		jw_null(w, "name");
	jw_str(w, "pattern", sig ? sig->pattern : NULL, false);
	jw_str(w, "category", sig ? match_cat_name(sig->cat) : NULL, false);
	if (sig != NULL)
		jw_conf(w, "confidence", sig->confidence);
	else
		jw_null(w, "confidence");
	jw_str(w, "set", sig ? sig->set : NULL, false);
}

/* The tunnels a packet came through, outermost first. */
static void
jw_encap(struct jw *w, const struct obs *o)
{
	const struct encap *e;
	const char *id;
	size_t i;

	jw_open(w, "encap", '[');
	for (i = 0; i < o->n_encap && i < ENCAP_MAX; i++) {
		e = &o->encap[i];
		jw_open(w, NULL, '{');
		jw_str(w, "kind", encap_kind_name(e->kind), false);
		jw_addr(w, "src", &e->src);
		jw_addr(w, "dst", &e->dst);
		if (e->has_id && (id = encap_id_key(e->kind)) != NULL)
			jw_u64(w, id, e->id);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* The flags and the evidence chain: the json format's last keys, the
 * "kasaudit" object of the other two. */
/* Google QUIC's versions are four ASCII characters ("Q046"). */
static void
jw_quic_version(struct jw *w, uint32_t v)
{
	char s[5];
	size_t i;

	for (i = 0; i < 4; i++) {
		s[i] = (char)(v >> (24 - 8 * i));
		if (s[i] < 0x21 || s[i] > 0x7e)
			s[i] = '?';
	}
	s[4] = '\0';
	jw_str(w, "quic_version", s, false);
}

static void
json_extra(struct jw *w, const struct obs *o)
{
	/* Flags only when set, so that a plain DNS line stays short. */
	if (o->flags & OBS_F_CNAME)
		jw_bool(w, "cname", true);
	if (o->flags & OBS_F_ECH)
		jw_bool(w, "ech", true);
	else if (o->flags & OBS_F_ECH_GREASE)
		jw_str(w, "ech", "grease", false);
	if (o->flags & OBS_F_TUNNEL)
		jw_bool(w, "tunnel", true);
	if (o->flags & OBS_F_MISMATCH)
		jw_bool(w, "host_mismatch", true);
	if (o->quic_version != 0)
		jw_quic_version(w, o->quic_version);
	if (o->flags & OBS_F_FORWARDED)
		jw_addr(w, "via", &o->via);
	if (o->answer != NULL) {
		/* The evidence chain of a dns-correlated contact. */
		jw_open(w, "answer", '{');
		jw_str(w, "file", o->answer->file, false);
		jw_u64(w, "frame", o->answer->frame);
		jw_time(w, "time", o->answer->ts_sec, o->answer->ts_nsec);
		jw_addr(w, "resolver", &o->answer->resolver);
		jw_bool(w, "own", o->answer->own);
		jw_close(w, '}');
	}
	if (o->n_encap > 0)
		jw_encap(w, o);
	/* Who the client is, when the report knows: --leases, the names
	 * the machine gave itself (doc/names.md). */
	if (o->subscriber != NULL)
		jw_str(w, "subscriber", o->subscriber, false);
	if (o->machine != NULL)
		jw_str(w, "machine_name", o->machine, false);
}

/* ---- ECS ------------------------------------------------------------- */

/* ECS writes MAC addresses as "00-00-5E-00-53-23" (upper case). */
static void
ecs_mac(struct jw *w, const char *key, const uint8_t *m)
{
	char buf[18];

	snprintf(buf, sizeof(buf), "%02X-%02X-%02X-%02X-%02X-%02X", m[0], m[1],
	    m[2], m[3], m[4], m[5]);
	jw_str(w, key, buf, false);
}

static void
ecs_event(struct jw *w, const struct report_events *cfg, const struct obs *o,
    const struct match_sig *sig)
{
	char cid[FLOWID_LEN], vlan[8];
	const char *t = transport(o), *proto = app_proto(o->kind);

	jw_time(w, "@timestamp", o->ts_sec, o->ts_nsec);
	jw_open(w, "ecs", '{');
	jw_str(w, "version", ECS_VERSION, false);
	jw_close(w, '}');
	jw_open(w, "event", '{');
	jw_str(w, "kind", "alert", false);
	jw_open(w, "category", '[');
	jw_str(w, NULL, "network", false);
	jw_close(w, ']');
	jw_open(w, "type", '[');
	jw_str(w, NULL, proto != NULL ? "protocol" : "connection", false);
	jw_close(w, ']');
	jw_str(w, "action", obs_kind_name(o->kind), false);
	jw_str(w, "module", "kasaudit", false);
	jw_str(w, "dataset", "kasaudit.events", false);
	jw_close(w, '}');
	jw_open(w, "source", '{');
	jw_addr(w, "ip", &o->client);
	if (!(o->flags & OBS_F_FORWARDED))
		jw_u64(w, "port", o->client_port);
	if (o->has_mac)
		ecs_mac(w, "mac", o->mac);
	jw_close(w, '}');
	jw_open(w, "destination", '{');
	jw_addr(w, "ip", &o->server);
	jw_u64(w, "port", o->server_port);
	if (o->name != NULL && (o->kind == OBS_SOCKS_CONNECT ||
	    o->kind == OBS_DNS_CORRELATED))
		jw_strn(w, "domain", o->name, o->name_len);
	jw_close(w, '}');
	jw_open(w, "network", '{');
	if (t != NULL)
		jw_str(w, "transport", t, false);
	if (community(cid, cfg, o) != NULL)
		jw_str(w, "community_id", cid, false);
	if (proto != NULL)
		jw_str(w, "protocol", proto, false);
	if (o->n_vlan > 0) {
		snprintf(vlan, sizeof(vlan), "%u", o->vlan[0]);
		jw_open(w, "vlan", '{');
		jw_str(w, "id", vlan, false);
		jw_close(w, '}');
	}
	jw_close(w, '}');
	if (o->name != NULL) {
		switch (o->kind) {
		case OBS_DNS_QUERY:
		case OBS_DNS_ANSWER:
			jw_open(w, "dns", '{');
			jw_str(w, "type", o->kind == OBS_DNS_QUERY ? "query" :
			    "answer", false);
			jw_open(w, "question", '{');
			jw_strn(w, "name", o->name, o->name_len);
			jw_close(w, '}');
			jw_close(w, '}');
			break;
		case OBS_TLS_SNI:
		case OBS_QUIC_SNI:
			jw_open(w, "tls", '{');
			jw_open(w, "client", '{');
			jw_strn(w, "server_name", o->name, o->name_len);
			jw_close(w, '}');
			jw_close(w, '}');
			break;
		case OBS_HTTP_HOST:
		case OBS_HTTP_CONNECT:
		case OBS_HTTP_URI:
			jw_open(w, "url", '{');
			jw_strn(w, "domain", o->name, o->name_len);
			jw_close(w, '}');
			break;
		default:
			break;
		}
	}
	if (sig != NULL) {
		jw_open(w, "rule", '{');
		jw_str(w, "name", sig->pattern, false);
		jw_str(w, "category", match_cat_name(sig->cat), false);
		jw_str(w, "ruleset", sig->set, false);
		jw_close(w, '}');
	}
	jw_open(w, "observer", '{');
	jw_str(w, "type", "sensor", false);
	jw_str(w, "product", "kasaudit", false);
	jw_str(w, "version", KASAUDIT_VERSION, false);
	if (cfg->observer != NULL)
		jw_str(w, "hostname", cfg->observer, false);
	jw_close(w, '}');
	/* What ECS has no field for, under the tool's own name. */
	jw_open(w, "kasaudit", '{');
	jw_str(w, "file", o->file, false);
	jw_u64(w, "frame", o->frame);
	jw_str(w, "kind", obs_kind_name(o->kind), false);
	if (o->name != NULL)
		jw_strn(w, "name", o->name, o->name_len);
	if (sig != NULL && sig->confidence != '-' && sig->confidence != '\0')
		jw_conf(w, "confidence", sig->confidence);
	if (o->n_vlan > 1)
		jw_vlans(w, o->n_vlan, o->vlan);
	json_extra(w, o);
	jw_close(w, '}');
}

/* ---- Suricata EVE ---------------------------------------------------- */

static void
eve_event(struct jw *w, const struct report_events *cfg, const struct obs *o,
    const struct match_sig *sig)
{
	char ts[REPORT_TIME_LEN + 8], cid[FLOWID_LEN];
	const char *proto = app_proto(o->kind);
	size_t n;

	/* EVE's timestamps end in "+0000", not "Z". */
	report_time(ts, o->ts_sec, o->ts_nsec);
	n = strlen(ts);
	if (n > 0 && ts[n - 1] == 'Z')
		memcpy(ts + n - 1, "+0000", 6);
	jw_str(w, "timestamp", ts, false);
	jw_str(w, "event_type", "alert", false);
	if (o->n_vlan > 0) {
		jw_open(w, "vlan", '[');
		for (n = 0; n < o->n_vlan && n < 3; n++)
			jw_u64(w, NULL, o->vlan[n]);
		jw_close(w, ']');
	}
	jw_addr(w, "src_ip", &o->client);
	if (!(o->flags & OBS_F_FORWARDED))
		jw_u64(w, "src_port", o->client_port);
	jw_addr(w, "dest_ip", &o->server);
	jw_u64(w, "dest_port", o->server_port);
	jw_str(w, "proto", o->proto == 17 ? "UDP" : o->proto == 6 ? "TCP" :
	    NULL, false);
	if (community(cid, cfg, o) != NULL)
		jw_str(w, "community_id", cid, false);
	if (proto != NULL)
		jw_str(w, "app_proto", proto, false);
	jw_open(w, "alert", '{');
	jw_str(w, "action", "allowed", false);
	jw_str(w, "signature", sig ? sig->pattern : NULL, false);
	jw_str(w, "category", sig ? match_cat_name(sig->cat) : NULL, false);
	/* Confidence A, B, C as Suricata's severity 1 (high) to 3. */
	if (sig != NULL && sig->confidence >= 'A' && sig->confidence <= 'C')
		jw_u64(w, "severity", (uint64_t)(sig->confidence - 'A' + 1));
	jw_close(w, '}');
	if (o->name != NULL) {
		switch (o->kind) {
		case OBS_DNS_QUERY:
		case OBS_DNS_ANSWER:
			jw_open(w, "dns", '{');
			jw_str(w, "type", o->kind == OBS_DNS_QUERY ? "query" :
			    "answer", false);
			jw_strn(w, "rrname", o->name, o->name_len);
			jw_close(w, '}');
			break;
		case OBS_TLS_SNI:
			jw_open(w, "tls", '{');
			jw_strn(w, "sni", o->name, o->name_len);
			jw_close(w, '}');
			break;
		case OBS_QUIC_SNI:
			jw_open(w, "quic", '{');
			jw_strn(w, "sni", o->name, o->name_len);
			jw_close(w, '}');
			break;
		case OBS_HTTP_HOST:
		case OBS_HTTP_CONNECT:
		case OBS_HTTP_URI:
			jw_open(w, "http", '{');
			jw_strn(w, "hostname", o->name, o->name_len);
			jw_close(w, '}');
			break;
		default:
			break;
		}
	}
	jw_open(w, "kasaudit", '{');
	jw_str(w, "file", o->file, false);
	jw_u64(w, "frame", o->frame);
	jw_str(w, "kind", obs_kind_name(o->kind), false);
	if (o->name != NULL)
		jw_strn(w, "name", o->name, o->name_len);
	jw_str(w, "set", sig ? sig->set : NULL, false);
	if (o->has_mac)
		jw_mac(w, "mac", o->mac);
	json_extra(w, o);
	jw_close(w, '}');
}

int
report_event_as(FILE *fp, const struct report_events *cfg,
    const struct obs *o, const struct match_sig *sig)
{
	static const struct report_events deflt = { EVENTS_JSON, 0, NULL };
	struct jw w;

	if (cfg == NULL)
		cfg = &deflt;
	jw_init(&w, fp, false);
	jw_open(&w, NULL, '{');
	switch (cfg->format) {
	case EVENTS_ECS:
		ecs_event(&w, cfg, o, sig);
		break;
	case EVENTS_EVE:
		eve_event(&w, cfg, o, sig);
		break;
	default:
		json_event(&w, cfg, o, sig);
		json_extra(&w, o);
		if (o->n_vlan > 0)
			jw_vlans(&w, o->n_vlan, o->vlan);
		if (o->has_mac)
			jw_mac(&w, "mac", o->mac);
		break;
	}
	jw_close(&w, '}');
	return jw_end(&w);
}

int
report_event(FILE *fp, const struct obs *o, const struct match_sig *sig)
{
	return report_event_as(fp, NULL, o, sig);
}

/* ---- RFC 5424 structured data ---------------------------------------- */

/* PARAM-VALUE (6.3.3): '"', '\' and ']' escaped; UTF-8 as it is. */
static void
sd_value(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] == '"' || p[i] == '\\' || p[i] == ']') {
			putc('\\', fp);
			putc(p[i++], fp);
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			putc(p[i++], fp);
		} else if (p[i] >= 0x80 && (k = name_utf8_len(p + i,
		    n - i)) > 0) {
			fwrite(p + i, 1, k, fp);
			i += k;
		} else {
			putc('?', fp);
			i++;
		}
	}
}

static void
sd_param(FILE *fp, const char *key, const char *s, size_t n)
{
	fprintf(fp, " %s=\"", key);
	sd_value(fp, s, n);
	putc('"', fp);
}

static void
sd_str(FILE *fp, const char *key, const char *s)
{
	if (s != NULL)
		sd_param(fp, key, s, strlen(s));
}

static void
sd_u64(FILE *fp, const char *key, uint64_t v)
{
	fprintf(fp, " %s=\"%" PRIu64 "\"", key, v);
}

int
report_event_sd(FILE *fp, const char *sd_id, const struct report_events *cfg,
    const struct obs *o, const struct match_sig *sig)
{
	static const struct report_events deflt = { EVENTS_JSON, 0, NULL };
	/* Time and addresses share buf: the longer of the two. */
	char buf[REPORT_TIME_LEN > ADDR_STRLEN ? REPORT_TIME_LEN :
	    ADDR_STRLEN], cid[FLOWID_LEN], conf[2];

	if (cfg == NULL)
		cfg = &deflt;
	fprintf(fp, "[%s", sd_id);
	sd_str(fp, "file", o->file);
	sd_u64(fp, "frame", o->frame);
	sd_str(fp, "time", report_time(buf, o->ts_sec, o->ts_nsec));
	sd_str(fp, "client", addr_fmt(&o->client, buf));
	if (!(o->flags & OBS_F_FORWARDED))
		sd_u64(fp, "client_port", o->client_port);
	sd_str(fp, "server", addr_fmt(&o->server, buf));
	sd_u64(fp, "server_port", o->server_port);
	sd_str(fp, "transport", transport(o));
	sd_str(fp, "community_id", community(cid, cfg, o));
	sd_str(fp, "kind", obs_kind_name(o->kind));
	if (o->name != NULL)
		sd_param(fp, "name", o->name, o->name_len);
	if (sig != NULL) {
		sd_str(fp, "pattern", sig->pattern);
		sd_str(fp, "category", match_cat_name(sig->cat));
		if (sig->confidence != '-' && sig->confidence != '\0') {
			conf[0] = sig->confidence;
			conf[1] = '\0';
			sd_str(fp, "confidence", conf);
		}
		sd_str(fp, "set", sig->set);
	}
	if (o->flags & OBS_F_FORWARDED)
		sd_str(fp, "via", addr_fmt(&o->via, buf));
	if (o->n_vlan > 0)
		sd_u64(fp, "vlan", o->vlan[0]);
	if (o->has_mac)
		sd_str(fp, "mac", report_mac(buf, o->mac));
	if (o->subscriber != NULL)
		sd_str(fp, "subscriber", o->subscriber);
	if (o->machine != NULL)
		sd_str(fp, "machine_name", o->machine);
	putc(']', fp);
	return ferror(fp) ? ERR_IO : ERR_OK;
}
