/* report_json.c - the JSON writers (RFC 8259): reports, a report directory's
 * index.json (the events are report_event.c, the emitter jw.c). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "jw.h"
#include "report_int.h"
#include "stats.h"


/* JSON key of a verdict: "product_active", ... */
static const char *
verdict_key(enum verdict v)
{
	static const char *const keys[VERDICT_N] = {
		"product_active", "product_likely", "browsing_only",
		"indirect", "migrated",
	};

	return (unsigned)v < VERDICT_N ? keys[v] : "unknown";
}


static void
jw_ref(struct jw *w, const char *key, const struct agg_ref *r)
{
	jw_open(w, key, '{');
	if (!w->pack) {
		jw_str(w, "file", r->file, false);
		jw_u64(w, "frame", r->frame);
	}
	jw_time(w, "time", r->ts_sec, r->ts_nsec);
	jw_close(w, '}');
}

static void
jw_name(struct jw *w, const struct agg_name *n)
{
	const struct match_sig *sig = n->sig;
	unsigned k;

	jw_open(w, NULL, '{');
	jw_str(w, "name", n->name, false);
	jw_str(w, "category", sig ? match_cat_name(sig->cat) : NULL, false);
	jw_str(w, "pattern", sig ? sig->pattern : NULL, false);
	if (sig != NULL)
		jw_conf(w, "confidence", sig->confidence);
	else
		jw_null(w, "confidence");
	jw_str(w, "source", sig ? sig->source : NULL, true);
	jw_str(w, "set", sig ? sig->set : NULL, false);
	jw_u64(w, "count", n->count);
	jw_open(w, "kinds", '[');
	for (k = 0; k < OBS_N; k++)
		if (n->kinds & (1u << k))
			jw_str(w, NULL, obs_kind_name((enum obs_kind)k), false);
	jw_close(w, ']');
	jw_ref(w, "first", &n->first);
	jw_ref(w, "last", &n->last);
	jw_close(w, '}');
}

/* One day of a host's history: its UTC date, first/last contact, count. */
static void
jw_day(struct jw *w, const struct agg_day *d)
{
	char date[32];

	agg_day_format(d->day, date, sizeof(date));
	jw_open(w, NULL, '{');
	jw_str(w, "date", date, false);
	jw_time(w, "first", d->first_sec, d->first_nsec);
	jw_time(w, "last", d->last_sec, d->last_nsec);
	jw_u64(w, "observations", d->n_obs);
	jw_close(w, '}');
}

static void
jw_host(struct jw *w, const struct agg_host *h, bool resolver)
{
	size_t i;

	jw_open(w, NULL, '{');
	jw_addr(w, "address", &h->addr);
	if (h->has_mac)
		jw_mac(w, "mac", h->mac);
	else
		jw_null(w, "mac");
	jw_u64(w, "macs_seen", h->n_macs);
	jw_vlans(w, h->n_vlan, h->vlan);
	/* --leases: only when a lease held the address then. */
	if (h->subscriber != NULL)
		jw_str(w, "subscriber", h->subscriber, false);
	if (h->n_obs > 0) {
		jw_ref(w, "first_seen", &h->first);
		jw_ref(w, "last_seen", &h->last);
	} else {
		jw_null(w, "first_seen");
		jw_null(w, "last_seen");
	}
	jw_str(w, "verdict", verdict_name(h->verdict), false);
	jw_u64(w, "observations", h->n_obs);
	if (resolver) {
		jw_u64(w, "answered", h->answered);
		jw_u64(w, "answered_hosts", h->answered_hosts);
	}
	jw_open(w, "categories", '{');
	for (i = 0; i < CAT_N; i++)
		jw_u64(w, match_cat_name((enum match_cat)i), h->by_cat[i]);
	jw_close(w, '}');
	jw_open(w, "kinds", '{');
	for (i = 0; i < OBS_N; i++)
		jw_u64(w, obs_kind_name((enum obs_kind)i), h->by_kind[i]);
	jw_close(w, '}');
	/* Observations per verdict tier: what the verdict rests on. */
	jw_open(w, "tiers", '{');
	for (i = 0; i < VERDICT_N; i++)
		jw_u64(w, verdict_name((enum verdict)i), h->by_tier[i]);
	jw_close(w, '}');
	jw_open(w, "names", '[');
	for (i = 0; i < h->n_names; i++)
		jw_name(w, &h->names[i]);
	jw_close(w, ']');
	jw_u64(w, "names_dropped", h->names_dropped);
	jw_open(w, "blind", '{');
	for (i = 0; i < BLIND_N; i++)
		jw_u64(w, obs_blind_name((enum obs_blind)i), h->blind[i]);
	jw_close(w, '}');
	jw_u64(w, "ksc_agents", h->ksc_agents);
	jw_bool(w, "ksc_server", h->ksc_server);
	if (h->forwarded > 0) {
		jw_u64(w, "forwarded", h->forwarded);
		jw_open(w, "via", '[');
		for (i = 0; i < h->n_via; i++)
			jw_addr(w, NULL, &h->via[i]);
		jw_close(w, ']');
	}
	/* Machine names from the wire (hname.h), newest first. */
	jw_open(w, "names_seen", '[');
	for (i = 0; i < h->n_hnames; i++) {
		jw_open(w, NULL, '{');
		jw_str(w, "name", h->hnames[i].name, false);
		jw_str(w, "source", hname_src_name(h->hnames[i].src), false);
		jw_str(w, "type", hname_type_name(h->hnames[i].type), false);
		jw_time(w, "last_seen", h->hnames[i].last_sec, 0);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	/* Per-day history (live), oldest first: only where kept. */
	if (h->n_days > 0 || h->days_dropped > 0) {
		jw_open(w, "days", '[');
		for (i = 0; i < h->n_days; i++)
			jw_day(w, &h->days[i]);
		jw_close(w, ']');
		jw_u64(w, "days_dropped", h->days_dropped);
	}
	jw_close(w, '}');
}

/*
 * The statistics sections (decode, dns, streams ... matches_by_kind), row
 * by row from stats.c; "streams" is null without a flow table.
 */
static void
jw_stats(struct jw *w, const struct decode_stats *ds,
    const struct audit_stats *as, const struct flow_stats *fs)
{
	const struct stats_section *secs, *sec;
	const struct stats_row *row;
	const uint64_t *v;
	size_t i, k, j, n;

	secs = stats_sections(&n);
	for (i = 0; i < n; i++) {
		sec = &secs[i];
		if (sec->flow && fs == NULL) {
			jw_null(w, sec->key);
			continue;
		}
		if (sec->key[0] != '\0')
			jw_open(w, sec->key, '{');
		for (k = 0; k < sec->n_rows; k++) {
			row = &sec->rows[k];
			if (row->key == NULL)
				continue;
			v = stats_get(row, ds, as, fs);
			if (row->n == 0) {
				jw_u64(w, row->key, *v);
				continue;
			}
			jw_open(w, row->key, '{');
			for (j = 0; j < row->n; j++)
				jw_u64(w, row->name(j), v[j]);
			jw_close(w, '}');
		}
		if (sec->key[0] != '\0')
			jw_close(w, '}');
	}
}

/* Blind spots of one network: its offenders, DNS servers, blind hosts. */
static uint64_t
blind_in_net(const struct aggregate *ag, const struct report_meta *meta,
    const struct agg_net *only, enum obs_blind b)
{
	const struct agg_host *h;
	uint64_t n = 0;
	size_t i;

	if (only == NULL)
		return aggregate_blind_total(ag, b);
	for (i = 0; i < only->n_hosts; i++)
		n += only->hosts[i]->blind[b];
	for (i = 0; i < aggregate_n_resolvers(ag); i++)
		if (report_owns(meta, only, &(h = aggregate_resolver(ag,
		    i))->addr))
			n += h->blind[b];
	for (i = 0; i < aggregate_n_blind(ag); i++)
		if (report_owns(meta, only, &(h = aggregate_blind_host(ag,
		    i))->addr))
			n += h->blind[b];
	return n;
}

static void
jw_net(struct jw *w, const struct agg_net *net)
{
	size_t j;

	jw_open(w, NULL, '{');
	jw_str(w, "name", net->name, false);
	jw_cidrs(w, net->cidr);
	jw_bool(w, "listed", net->listed);
	jw_list(w, "contacts", net->contacts, '\n');
	for (j = 0; j < VERDICT_N; j++)
		jw_u64(w, verdict_key((enum verdict)j), net->by_verdict[j]);
	jw_open(w, "hosts", '[');
	for (j = 0; j < net->n_hosts; j++)
		jw_host(w, net->hosts[j], false);
	jw_close(w, ']');
	jw_close(w, '}');
}

static int
json_report(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only, bool pretty)
{
	const struct decode_stats *ds = meta->decode ? meta->decode :
	    &report_empty_decode;
	const struct audit_stats *as = meta->audit ? meta->audit :
	    &report_empty_audit;
	const struct report_file *f;
	const struct report_linktype *lt;
	const struct agg_host *h;
	const char *set;
	struct jw w;
	uint64_t sn;
	size_t i;

	jw_init(&w, fp, pretty);
	w.pack = meta->pack;
	jw_open(&w, NULL, '{');
	jw_str(&w, "version", meta->version, false);
	if (meta->pack) {
		/* A customer's pack: its own time span, none of the audit's
		 * inputs, link types or counts. */
		jw_bool(&w, "pack", true);
		goto pack_time;
	}
	jw_open(&w, "inputs", '[');
	for (i = 0; i < meta->n_files; i++) {
		f = &meta->files[i];
		jw_open(&w, NULL, '{');
		jw_str(&w, "path", f->path, false);
		jw_str(&w, "format", f->format, true);
		jw_u64(&w, "packets", f->packets);
		jw_u64(&w, "bytes", f->bytes);
		jw_u64(&w, "filtered", f->filtered);
		jw_bool(&w, "complete", f->complete);
		jw_str(&w, "error", f->error, true);
		jw_u64(&w, "unsupported_packets", f->unsupported);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_open(&w, "linktypes", '[');
	for (i = 0; i < meta->n_linktypes; i++) {
		lt = &meta->linktypes[i];
		jw_open(&w, NULL, '{');
		jw_int(&w, "linktype", lt->linktype);
		jw_str(&w, "name", lt->name, false);
		jw_u64(&w, "packets", lt->packets);
		jw_bool(&w, "supported", lt->supported);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
pack_time:
	jw_open(&w, "time", '{');
	if (meta->have_time) {
		jw_time(&w, "first", meta->first_sec, meta->first_nsec);
		jw_time(&w, "last", meta->last_sec, meta->last_nsec);
	} else {
		jw_null(&w, "first");
		jw_null(&w, "last");
	}
	jw_close(&w, '}');
	if (!meta->pack) {
		jw_u64(&w, "packets", meta->packets);
		jw_u64(&w, "bytes", meta->bytes);
		jw_str(&w, "filter", meta->filter, false);
	}
	if (meta->events != NULL) {
		/* live --events only: a read's events are complete or
		 * the run fails. */
		jw_open(&w, "events", '{');
		jw_u64(&w, "written", meta->events->written);
		jw_u64(&w, "dropped", meta->events->dropped);
		jw_u64(&w, "failed", meta->events->failed);
		jw_close(&w, '}');
	}
	jw_open(&w, "signatures", '{');
	jw_u64(&w, "count", report_sig_total(meta));
	jw_open(&w, "sets", '[');
	for (i = 0; report_set_at(meta, i, &set, &sn); i++) {
		jw_open(&w, NULL, '{');
		jw_str(&w, "name", set, false);
		jw_u64(&w, "count", sn);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	jw_open(&w, "options", '{');
	jw_open(&w, "group_prefix", '{');
	jw_u64(&w, "ipv4", meta->v4_plen);
	jw_u64(&w, "ipv6", meta->v6_plen);
	jw_close(&w, '}');
	jw_u64(&w, "max_names", meta->max_names);
	/* Only when set: reports without it keep their exact old form. */
	if (meta->anonymized)
		jw_bool(&w, "anonymized", true);
	if (meta->group_by_sub)
		jw_str(&w, "group_by", "subscriber", false);
	jw_close(&w, '}');
	if (meta->leases != NULL && !meta->pack) {
		jw_open(&w, "leases", '{');
		jw_u64(&w, "files", meta->leases->files);
		jw_u64(&w, "leases", meta->leases->leases);
		jw_u64(&w, "bad_lines", meta->leases->bad_lines);
		jw_u64(&w, "refused", meta->leases->refused);
		jw_u64(&w, "no_lease", meta->leases->no_lease);
		jw_close(&w, '}');
	}
	if (!meta->pack)
		jw_stats(&w, ds, as, meta->flow);
	jw_open(&w, "summary", '{');
	jw_u64(&w, "hosts", only ? only->n_hosts : aggregate_n_hosts(ag));
	for (i = 0; i < VERDICT_N; i++)
		jw_u64(&w, verdict_key((enum verdict)i), only ?
		    only->by_verdict[i] : aggregate_by_verdict(ag,
		    (enum verdict)i));
	jw_u64(&w, "resolvers", report_n_in_net(ag, meta, only, true));
	if (!meta->pack) {
		jw_u64(&w, "refused", aggregate_refused(ag));
		jw_u64(&w, "hosts_refused", aggregate_hosts_refused(ag));
	}
	jw_close(&w, '}');
	jw_open(&w, "networks", '[');
	if (only != NULL)
		jw_net(&w, only);
	for (i = 0; only == NULL && i < aggregate_n_nets(ag); i++)
		jw_net(&w, aggregate_net(ag, i));
	jw_close(&w, ']');
	jw_open(&w, "resolvers", '[');
	for (i = 0; i < aggregate_n_resolvers(ag); i++) {
		h = aggregate_resolver(ag, i);
		if (report_owns(meta, only, &h->addr))
			jw_host(&w, h, true);
	}
	jw_close(&w, ']');
	/* What the audit could not see: totals, then the hosts with blind
	 * spots and no match. */
	jw_open(&w, "blind_spots", '{');
	for (i = 0; i < BLIND_N; i++)
		jw_u64(&w, obs_blind_name((enum obs_blind)i),
		    blind_in_net(ag, meta, only, (enum obs_blind)i));
	jw_open(&w, "hosts", '[');
	for (i = 0; i < aggregate_n_blind(ag); i++) {
		h = aggregate_blind_host(ag, i);
		if (report_owns(meta, only, &h->addr))
			jw_host(&w, h, false);
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	jw_close(&w, '}');
	return jw_end(&w);
}

int
report_json(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	return json_report(fp, ag, meta, NULL, true);
}

int
report_json_compact(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	return json_report(fp, ag, meta, NULL, false);
}

int
report_json_net(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *net)
{
	return json_report(fp, ag, meta, net, true);
}

/* base + "." + ext as a JSON string. */
static void
jw_file(struct jw *w, const char *key, const char *base, const char *ext)
{
	char name[REPORT_BASE_MAX + 16];

	snprintf(name, sizeof(name), "%s.%s", base, ext);
	jw_str(w, key, name, false);
}

int
report_index_json(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, char *const *bases, const char *extra)
{
	const struct agg_net *net;
	struct jw w;
	size_t i, j;

	jw_init(&w, fp, true);
	jw_open(&w, NULL, '{');
	jw_str(&w, "version", meta->version, false);
	jw_open(&w, "time", '{');
	if (meta->have_time) {
		jw_time(&w, "first", meta->first_sec, meta->first_nsec);
		jw_time(&w, "last", meta->last_sec, meta->last_nsec);
	} else {
		jw_null(&w, "first");
		jw_null(&w, "last");
	}
	jw_close(&w, '}');
	jw_bool(&w, "anonymized", meta->anonymized);
	jw_u64(&w, "hosts", aggregate_n_hosts(ag));
	jw_open(&w, "networks", '[');
	for (i = 0; i < aggregate_n_nets(ag); i++) {
		net = aggregate_net(ag, i);
		jw_open(&w, NULL, '{');
		jw_str(&w, "name", net->name, false);
		jw_cidrs(&w, net->cidr);
		jw_bool(&w, "listed", net->listed);
		jw_list(&w, "contacts", net->contacts, '\n');
		jw_open(&w, "files", '{');
		jw_file(&w, "text", bases[i], "txt");
		jw_file(&w, "json", bases[i], "json");
		if (extra != NULL)
			jw_file(&w, extra, bases[i], extra);
		jw_close(&w, '}');
		jw_u64(&w, "hosts", net->n_hosts);
		for (j = 0; j < VERDICT_N; j++)
			jw_u64(&w, verdict_key((enum verdict)j),
			    net->by_verdict[j]);
		jw_close(&w, '}');
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	return jw_end(&w);
}
