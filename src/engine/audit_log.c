/* audit_log.c - records of Zeek and Suricata logs through the packet rules:
 * names matched, DNS answers learned for attribution, nameless flows. */
#include <string.h>

#include "audit_int.h"

/*
 * The packet a record stands for, as the rules for packets read it: from
 * the client, at the record's time, its line as the frame.  Only the
 * members audit_obs(), audit_correlate() and audit_new_flow() use.
 */
static void
rec_pkt(struct pkt *p, const struct log_rec *r)
{
	memset(p, 0, sizeof(*p));
	p->src = r->client;
	p->dst = r->server;
	p->sport = r->client_port;
	p->dport = r->server_port;
	p->proto = r->proto;
	p->frame = r->line;
	p->ts_sec = r->ts_sec;
	p->ts_nsec = r->ts_nsec;
}

/*
 * A DNS record: the question's name, the names of its answers (CNAME
 * targets: a chain into a signature's zone), and, when one of them
 * matched, its addresses learned as packet DNS learns them: to this
 * client, from this resolver, citing this line.
 */
static void
log_dns(struct audit *a, const struct pkt *p, const struct log_rec *r)
{
	const struct match_sig *sig = NULL, *s;
	const char *name = NULL;
	struct attrib_ref ref;
	struct obs o;
	size_t i, j;
	bool dup;

	a->st.log_dns++;
	a->st.log_answers_dropped += r->ans_dropped;
	if (r->has_name) {
		audit_obs(a, &o, p, true);
		sig = audit_name(a, &o, r->kind == LOG_DNS_ANSWER ?
		    OBS_DNS_ANSWER : OBS_DNS_QUERY, r->name, r->name_len, 0);
		name = r->name;
		/*
		 * A Zeek record holds the query and its response: the
		 * response's question counts as packets count it, and
		 * names the resolver that answered.
		 */
		if (r->kind == LOG_DNS_QUERY && r->responded) {
			audit_obs(a, &o, p, true);
			(void)audit_name(a, &o, OBS_DNS_ANSWER, r->name,
			    r->name_len, 0);
		}
	}
	for (i = 0; i < r->n_ans; i++) {
		if (r->ans[i].is_addr || (r->has_name &&
		    strcmp(r->ans[i].name, r->name) == 0))
			continue;
		for (j = 0, dup = false; j < i && !dup; j++)
			dup = !r->ans[j].is_addr &&
			    strcmp(r->ans[j].name, r->ans[i].name) == 0;
		if (dup)
			continue;
		audit_obs(a, &o, p, true);
		s = audit_name(a, &o, OBS_DNS_ANSWER, r->ans[i].name,
		    r->ans[i].name_len, OBS_F_CNAME);
		if (s != NULL && sig == NULL) {
			sig = s;
			name = r->ans[i].name;
		}
	}
	if (sig == NULL || sig->cat == CAT_ENCDNS)
		return;
	ref.file = a->file;
	ref.frame = r->line;
	ref.ts_sec = r->ts_sec;
	ref.ts_nsec = r->ts_nsec;
	audit_lock(a);
	for (i = 0; i < r->n_ans; i++)
		if (r->ans[i].is_addr)
			(void)attrib_learn(a->attrib, &r->client, &r->server,
			    &r->ans[i].addr, name, strlen(name), sig,
			    r->ans[i].ttl, &ref, r->ts_sec);
	audit_unlock(a);
}

/*
 * A contact: its server's address and port against the signatures (as a
 * new flow's first packet), then its name, or without one the DNS answer
 * that gave the address.
 */
static void
log_contact(struct audit *a, const struct pkt *p, const struct log_rec *r)
{
	struct obs o;
	enum obs_kind kind;

	switch (r->kind) {
	case LOG_TLS:
		a->st.log_tls++;
		kind = OBS_TLS_SNI;
		break;
	case LOG_QUIC:
		a->st.log_quic++;
		kind = OBS_QUIC_SNI;
		break;
	case LOG_HTTP:
		a->st.log_http++;
		kind = OBS_HTTP_HOST;
		break;
	default:
		a->st.log_flows++;
		kind = OBS_N;
		break;
	}
	audit_new_flow(a, p);
	if (kind == OBS_N || !r->has_name) {
		audit_correlate(a, p, NULL, 0);
		return;
	}
	audit_obs(a, &o, p, true);
	(void)audit_name(a, &o, kind, r->name, r->name_len, 0);
}

/*
 * A lease from a log: the names the machine gave go to the machine-names
 * table like those heard in DHCP packets, for whoever holds the address
 * (its MAC when the log has it).
 */
static void
log_dhcp(struct audit *a, const struct log_rec *r)
{
	const uint8_t *mac = r->has_mac ? r->mac : NULL;

	if (a->names == NULL)
		return;
	audit_lock(a);
	if (r->hostname_len > 0)
		hnames_learn(a->names, &r->client, mac, HN_DHCP, HT_HOSTNAME,
		    (const uint8_t *)r->hostname, r->hostname_len, r->ts_sec);
	if (r->fqdn_len > 0)
		hnames_learn(a->names, &r->client, mac, HN_DHCP, HT_FQDN,
		    (const uint8_t *)r->fqdn, r->fqdn_len, r->ts_sec);
	audit_unlock(a);
}

void
audit_log(struct audit *a, const struct log_rec *r)
{
	struct pkt p;

	if (r->kind == LOG_NONE)
		return;
	a->st.log_records++;
	if (r->kind == LOG_DHCP) {
		log_dhcp(a, r);
		return;
	}
	rec_pkt(&p, r);
	if (r->kind == LOG_DNS_QUERY || r->kind == LOG_DNS_ANSWER)
		log_dns(a, &p, r);
	else
		log_contact(a, &p, r);
}

void
audit_log_malformed(struct audit *a)
{
	a->st.log_malformed++;
}
