/* report_text.c - the text writers: a report, one network's report and a
 * report directory's index.txt, escaped for a terminal. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "name.h"
#include "report_int.h"

#define NAME_COL_MAX	44	/* longer names push the other columns */
#define PATH_COL_MAX	32

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * " 4 product-active, 0 product-likely, ..." and a newline; migrated (not
 * Kaspersky) only when there are such hosts.
 */
static void
text_verdicts(FILE *fp, const struct agg_net *net, const struct aggregate *ag)
{
	unsigned v;
	size_t n;

	for (v = 0; v < VERDICT_N; v++) {
		n = net != NULL ? net->by_verdict[v] :
		    aggregate_by_verdict(ag, (enum verdict)v);
		if (v == VERDICT_MIGRATED && n == 0)
			continue;
		fprintf(fp, "%s %zu %s", v > 0 ? "," : "", n,
		    verdict_name((enum verdict)v));
	}
	putc('\n', fp);
}

/* "contacted Kaspersky" counts no host that only contacted UltraAV. */
static void
text_contacted(FILE *fp, size_t hosts, size_t migrated, const char *where)
{
	fprintf(fp, "  %zu %s%s contacted Kaspersky", hosts - migrated,
	    plural(hosts - migrated, "host", "hosts"), where);
	if (migrated > 0)
		fprintf(fp, "; %zu %s only its successor, UltraAV (migrated)",
		    migrated, plural(migrated, "host", "hosts"));
	fputs(":\n   ", fp);
}

/*
 * Text for a terminal: control bytes, DEL and every non-ASCII byte as
 * \xHH, so a hostile name cannot move the cursor or recolour the screen.
 * Returns the columns written.
 */
static size_t
text_strn(FILE *fp, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, w = 0;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] >= 0x7f) {
			fprintf(fp, "\\x%02x", p[i]);
			w += 4;
		} else {
			putc(p[i], fp);
			w++;
		}
	}
	return w;
}

static size_t
text_str(FILE *fp, const char *s)
{
	return s != NULL ? text_strn(fp, s, strlen(s)) : 0;
}

/* Code points that would move the cursor or reorder a line: C1 controls
 * and the bidirectional marks, overrides and isolates (Unicode UAX #9). */
static bool
cp_hidden(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The operator's own text (a network's name, prefixes or contacts): well-
 * formed UTF-8 as written, so "Bäckerei Müller GmbH" reads as such;
 * control bytes, bad sequences and cp_hidden() escaped.  A sep byte
 * (not '\0') is printed as ", " (report_int.h: lists in one string).
 */
void
report_text_own(FILE *fp, const char *s, char sep)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n, len;
	uint32_t cp;

	if (s == NULL)
		return;
	for (n = strlen(s); n > 0; p += len, n -= len) {
		if (sep != '\0' && *p == (uint8_t)sep) {
			fputs(", ", fp);
			len = 1;
			continue;
		}
		len = name_utf8_len(p, n);
		if (len <= 1) {
			len = 1;
			text_strn(fp, (const char *)p, 1);
			continue;
		}
		cp = len == 2 ? (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f) :
		    len == 3 ? (uint32_t)(p[0] & 0x0f) << 12 |
		    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f) : 0x10000;
		if (cp_hidden(cp))
			fprintf(fp, "\\u%04x", (unsigned)cp);
		else
			fwrite(p, 1, len, fp);
	}
}

static size_t
text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	for (; p != NULL && *p != '\0'; p++)
		w += *p < 0x20 || *p >= 0x7f ? 4 : 1;
	return w;
}

static void
spaces(FILE *fp, size_t n)
{
	while (n-- > 0)
		putc(' ', fp);
}

/* s padded to width columns (never cut: a long name just pushes on). */
static void
text_pad(FILE *fp, const char *s, size_t width)
{
	size_t w = text_str(fp, s);

	if (w < width)
		spaces(fp, width - w);
}


/* "update 5, web 2" over the non-zero counts; "none" if all are zero. */
static void
text_counts(FILE *fp, const uint64_t *v, size_t n,
    const char *(*name)(size_t))
{
	bool any = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] == 0)
			continue;
		fprintf(fp, "%s%s %" PRIu64, any ? ", " : "", name(i), v[i]);
		any = true;
	}
	if (!any)
		fputs("none", fp);
}

static const char *
cat_name_i(size_t i)
{
	return match_cat_name((enum match_cat)i);
}

static const char *
encap_name_i(size_t i)
{
	return encap_kind_name((enum encap_kind)i);
}

/* "Tunnels opened: 5 packets (vxlan 3, gre 2)", when there were any. */
static void
text_tunnels(FILE *fp, const struct decode_stats *ds)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < ENCAP_N; i++)
		n += ds->tunnels[i];
	if (n == 0)
		return;
	fprintf(fp, "  Tunnels opened: %" PRIu64 " %s (", n,
	    plural(n, "packet", "packets"));
	text_counts(fp, ds->tunnels, ENCAP_N, encap_name_i);
	fputs(")\n", fp);
}

static const char *
kind_name_i(size_t i)
{
	return obs_kind_name((enum obs_kind)i);
}

/* A time, and where it was seen unless files is false (a pack). */
static void
text_ref(FILE *fp, const struct agg_ref *r, bool files)
{
	char tb[REPORT_TIME_LEN];

	fputs(report_time(tb, r->ts_sec, r->ts_nsec), fp);
	if (!files)
		return;
	fputs("  (", fp);
	text_str(fp, r->file);
	fprintf(fp, ":%" PRIu64 ")", r->frame);
}

static void
text_names(FILE *fp, const struct agg_host *h, bool files)
{
	const struct agg_name *n;
	const struct match_sig *sig;
	size_t i, width = 4, w;
	char conf;

	for (i = 0; i < h->n_names; i++) {
		w = text_width(h->names[i].name);
		if (w > width)
			width = w < NAME_COL_MAX ? w : NAME_COL_MAX;
	}
	fputs("      ", fp);
	text_pad(fp, "name", width);
	fputs(files ? "  category    conf    count  first seen\n" :
	    "  category    conf    count\n", fp);
	for (i = 0; i < h->n_names; i++) {
		n = &h->names[i];
		sig = n->sig;
		conf = sig != NULL && sig->confidence != '\0' ?
		    sig->confidence : '-';
		fputs("      ", fp);
		text_pad(fp, n->name, width);
		fputs("  ", fp);
		text_pad(fp, sig ? match_cat_name(sig->cat) : "?", 10);
		fputs("  ", fp);
		text_strn(fp, &conf, 1);
		fprintf(fp, "     %7" PRIu64, n->count);
		if (files) {
			fputs("  ", fp);
			text_str(fp, n->first.file);
			fprintf(fp, ":%" PRIu64, n->first.frame);
		}
		putc('\n', fp);
	}
	if (h->names_dropped > 0)
		fprintf(fp, "      ... and %" PRIu64 " more %s\n",
		    h->names_dropped, plural(h->names_dropped, "name",
		    "names"));
}

/* "    Name      ALICE-PC  (dhcp hostname, 2024-...Z)": newest first. */
static void
text_hnames(FILE *fp, const struct agg_host *h)
{
	char tb[REPORT_TIME_LEN];
	size_t i;

	for (i = 0; i < h->n_hnames; i++) {
		fputs("    Name      ", fp);
		report_text_own(fp, h->hnames[i].name, '\0');
		fprintf(fp, "  (%s %s, %s)\n",
		    hname_src_name(h->hnames[i].src),
		    hname_type_name(h->hnames[i].type),
		    report_time(tb, h->hnames[i].last_sec, 0));
	}
}

/* "    Hidden    DoH 3, ECH 1": contacts that hid lookups or names. */
static void
text_blind(FILE *fp, const struct agg_host *h)
{
	static const char *const label[BLIND_N] = {
		"DNS over TLS/QUIC", "DNS over HTTPS", "ECH",
	};
	const char *sep = "";
	unsigned b;

	for (b = 0; b < BLIND_N; b++) {
		if (h->blind[b] == 0)
			continue;
		fprintf(fp, "%s%s %" PRIu64, *sep ? sep : "    Hidden    ",
		    label[b], h->blind[b]);
		sep = ", ";
	}
	if (*sep)
		putc('\n', fp);
}

static void
text_host(FILE *fp, const struct agg_host *h, bool resolver, bool files)
{
	char ab[ADDR_STRLEN], mb[18];
	unsigned i;

	fprintf(fp, "  %s", addr_fmt(&h->addr, ab));
	if (resolver)
		fprintf(fp, "  answered %" PRIu64 " matched %s for %zu %s\n",
		    h->answered, plural(h->answered, "query", "queries"),
		    h->answered_hosts, plural(h->answered_hosts, "host",
		    "hosts"));
	else if (h->n_obs == 0)
		fputs("  lookups hidden\n", fp);
	else if (agg_host_migrated(h) && h->verdict != VERDICT_MIGRATED)
		fprintf(fp, "  %s, also migrated (successor product seen)\n",
		    verdict_name(h->verdict));
	else
		fprintf(fp, "  %s\n", verdict_name(h->verdict));
	if (h->has_mac) {
		fprintf(fp, "    MAC       %s", report_mac(mb, h->mac));
		if (h->n_macs > 1)
			fprintf(fp, "  (%s%u MACs seen)", h->n_macs >= 8 ?
			    "at least " : "", h->n_macs);
		putc('\n', fp);
	}
	if (h->subscriber != NULL) {		/* --leases */
		fputs("    Held by   ", fp);
		report_text_own(fp, h->subscriber, '\0');
		putc('\n', fp);
	}
	if (h->n_vlan > 0) {
		fputs("    VLAN      ", fp);
		for (i = 0; i < h->n_vlan && i < 3; i++)
			fprintf(fp, "%s%u", i ? "." : "", h->vlan[i]);
		fputs(h->n_vlan > 1 ? "  (outer first)\n" : "\n", fp);
	}
	text_hnames(fp, h);
	if (h->ksc_server)
		fprintf(fp, "    Likely Kaspersky Security Center server: %zu "
		    "%s reached it on its ports\n", h->ksc_agents,
		    plural(h->ksc_agents, "agent", "agents"));
	if (h->forwarded > 0) {
		fputs("    Via       ", fp);
		for (i = 0; i < h->n_via; i++)
			fprintf(fp, "%s%s", i ? ", " : "",
			    addr_fmt(&h->via[i], ab));
		fprintf(fp, "  (%" PRIu64 " %s named by a trusted proxy's "
		    "X-Forwarded-For or Forwarded)\n", h->forwarded,
		    plural(h->forwarded, "observation", "observations"));
	}
	text_blind(fp, h);
	if (h->n_obs == 0)
		return;
	if (resolver)
		fputs("    Its own lookups:\n", fp);
	fputs("    First     ", fp);
	text_ref(fp, &h->first, files);
	fputs("\n    Last      ", fp);
	text_ref(fp, &h->last, files);
	fprintf(fp, "\n    Matches   %" PRIu64 ": ", h->n_obs);
	text_counts(fp, h->by_cat, CAT_N, cat_name_i);
	fputs("\n    Evidence  ", fp);
	text_counts(fp, h->by_kind, OBS_N, kind_name_i);
	putc('\n', fp);
	text_names(fp, h, files);
}

static void
text_inputs(FILE *fp, const struct report_meta *meta)
{
	const struct report_file *f;
	const struct report_linktype *lt;
	size_t i, width = 4, w, lw = 16;
	bool dt;

	fputs("Inputs\n", fp);
	if (meta->n_files == 0)
		fputs("  none\n", fp);
	for (i = 0; i < meta->n_files; i++) {
		w = text_width(meta->files[i].path);
		if (w > width)
			width = w < PATH_COL_MAX ? w : PATH_COL_MAX;
	}
	for (i = 0; i < meta->n_files; i++) {
		f = &meta->files[i];
		fputs("  ", fp);
		/* A long path gets a line of its own to keep the columns. */
		if (text_width(f->path) > width) {
			text_str(fp, f->path);
			putc('\n', fp);
			spaces(fp, width + 2);
		} else {
			text_pad(fp, f->path, width);
		}
		fputs("  ", fp);
		text_pad(fp, f->format != NULL && f->format[0] != '\0' ?
		    f->format : "-", 6);
		/* A resolver's log holds DNS messages, not packets. */
		dt = f->format != NULL && strncmp(f->format, "dnstap", 6) == 0;
		fprintf(fp, "  %9" PRIu64 " %s  %11" PRIu64 " bytes\n",
		    f->packets, dt ? plural(f->packets, "message ",
		    "messages") : plural(f->packets, "packet ", "packets"),
		    f->bytes);
		if (f->filtered > 0)
			fprintf(fp, "    %" PRIu64 " %s rejected by the "
			    "filter\n", f->filtered, plural(f->filtered,
			    "packet", "packets"));
		if (f->unsupported > 0)
			fprintf(fp, "    %" PRIu64 " %s skipped: link type not "
			    "supported\n", f->unsupported,
			    plural(f->unsupported, "packet", "packets"));
		if (!f->complete) {
			fputs("    INCOMPLETE: ", fp);
			text_str(fp, f->error != NULL && f->error[0] != '\0' ?
			    f->error : "not read to its end");
			putc('\n', fp);
		}
	}
	if (meta->n_linktypes == 0)
		return;
	/* The names' column is as wide as its longest (at least 16), so
	 * IEEE802_11_RADIO_AVS does not push its count out of line. */
	for (i = 0; i < meta->n_linktypes; i++)
		if (meta->linktypes[i].name != NULL &&
		    strlen(meta->linktypes[i].name) > lw)
			lw = strlen(meta->linktypes[i].name);
	fputs("Link types\n", fp);
	for (i = 0; i < meta->n_linktypes; i++) {
		lt = &meta->linktypes[i];
		fprintf(fp, "  %5d  ", lt->linktype);
		text_pad(fp, lt->name != NULL ? lt->name : "unknown", lw);
		fprintf(fp, "  %10" PRIu64 " %s%s\n", lt->packets,
		    plural(lt->packets, "packet ", "packets"),
		    lt->supported ? "" : "  NOT SUPPORTED: skipped");
	}
}

/* "Time        FIRST .. LAST", or that there were no packets. */
static void
text_time(FILE *fp, const struct report_meta *meta)
{
	char t1[REPORT_TIME_LEN], t2[REPORT_TIME_LEN];

	if (meta->have_time)
		fprintf(fp, "Time        %s .. %s\n", report_time(t1,
		    meta->first_sec, meta->first_nsec), report_time(t2,
		    meta->last_sec, meta->last_nsec));
	else
		fputs("Time        no packets\n", fp);
}

static void
text_capture(FILE *fp, const struct report_meta *meta)
{
	const char *set;
	uint64_t sn, total = report_sig_total(meta);
	size_t i;

	text_time(fp, meta);
	fprintf(fp, "Packets     %" PRIu64 " (%" PRIu64 " bytes)\n",
	    meta->packets, meta->bytes);
	if (meta->filter != NULL) {
		fputs("Filter      ", fp);
		text_str(fp, meta->filter);
		putc('\n', fp);
	}
	if (meta->events != NULL)
		fprintf(fp, "Events      %" PRIu64 " written, %" PRIu64
		    " dropped (queue full), %" PRIu64 " failed\n",
		    meta->events->written, meta->events->dropped,
		    meta->events->failed);
	fprintf(fp, "Signatures  %" PRIu64, total);
	for (i = 0; report_set_at(meta, i, &set, &sn); i++) {
		fputs(i == 0 ? " (" : ", ", fp);
		text_str(fp, set);
		fprintf(fp, " %" PRIu64, sn);
	}
	fputs(total > 0 ? ")\n" : "\n", fp);
	fprintf(fp, "Grouping    by /%u (IPv4), /%u (IPv6) outside listed "
	    "networks\n", meta->v4_plen, meta->v6_plen);
	fprintf(fp, "Names       up to %zu per host\n", meta->max_names);
	if (meta->leases != NULL && meta->leases->files > 0)
		fprintf(fp, "Leases      %" PRIu64 " from %" PRIu64 " %s; hosts "
		    "by subscriber at the time of contact\n",
		    meta->leases->leases, meta->leases->files,
		    plural(meta->leases->files, "file", "files"));
	else if (meta->leases != NULL)
		fputs("Leases      hosts by subscriber, as the merged reports "
		    "had them\n", fp);
	if (meta->group_by_sub)
		fputs("            networks: one per subscriber\n", fp);
	if (meta->anonymized)
		fputs("Addresses   pseudonyms (--anonymize: Crypto-PAn, prefix-"
		    "preserving);\n            MACs left out\n", fp);
}

/* One "N what" line under "Could not look into", if N is not zero. */
static bool
text_unseen(FILE *fp, bool any, uint64_t n, const char *what)
{
	if (n == 0)
		return any;
	if (!any)
		fputs("  Could not look into:\n", fp);
	fprintf(fp, "    %10" PRIu64 "  %s\n", n, what);
	return true;
}

/* Lines for the stream parsers, each only when it saw anything. */
static void
text_streams(FILE *fp, const struct audit_stats *as)
{
	if (as->tls_hellos > 0)
		fprintf(fp, "  TLS: %" PRIu64 " %s (%" PRIu64 " without SNI, "
		    "%" PRIu64 " with ECH)\n", as->tls_hellos,
		    plural(as->tls_hellos, "ClientHello", "ClientHellos"),
		    as->tls_no_sni, as->tls_ech);
	if (as->http_requests > 0)
		fprintf(fp, "  HTTP: %" PRIu64 " %s\n", as->http_requests,
		    plural(as->http_requests, "request", "requests"));
	if (as->socks_requests > 0)
		fprintf(fp, "  SOCKS: %" PRIu64 " %s\n", as->socks_requests,
		    plural(as->socks_requests, "request", "requests"));
	if (as->dns_tcp_msgs > 0)
		fprintf(fp, "  DNS over TCP: %" PRIu64 " %s\n",
		    as->dns_tcp_msgs, plural(as->dns_tcp_msgs, "message",
		    "messages"));
	/* gQUIC Q043/Q046 hellos come in clear, with no Initial. */
	if (as->quic_initials > 0 || as->quic_hellos > 0)
		fprintf(fp, "  QUIC: %" PRIu64 " %s (%" PRIu64 " %s)\n",
		    as->quic_initials, plural(as->quic_initials, "Initial",
		    "Initials"), as->quic_hellos, plural(as->quic_hellos,
		    "ClientHello", "ClientHellos"));
	/* Zeek and Suricata logs: records by kind, lines refused. */
	if (as->log_records > 0 || as->log_malformed > 0)
		fprintf(fp, "  Logs: %" PRIu64 " %s (%" PRIu64 " DNS, %"
		    PRIu64 " TLS, %" PRIu64 " HTTP, %" PRIu64 " QUIC, %"
		    PRIu64 " other connections), %" PRIu64 " %s that did "
		    "not parse\n", as->log_records, plural(as->log_records,
		    "record", "records"), as->log_dns, as->log_tls,
		    as->log_http, as->log_quic, as->log_flows,
		    as->log_malformed, plural(as->log_malformed, "line",
		    "lines"));
}

struct text_unseen_arg {
	FILE	*fp;
	bool	 any;
};

static void
text_unseen_line(void *arg, uint64_t n, const char *what)
{
	struct text_unseen_arg *ta = arg;

	ta->any = text_unseen(ta->fp, ta->any, n, what);
}

static bool
text_unseen_all(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	struct text_unseen_arg ta = { fp, false };

	report_unseen_each(ag, meta, text_unseen_line, &ta);
	return ta.any;
}

static void
text_summary(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	const struct audit_stats *as = meta->audit ? meta->audit :
	    &report_empty_audit;
	size_t hosts = aggregate_n_hosts(ag), res = aggregate_n_resolvers(ag);

	fputs("\nSummary\n", fp);
	if (hosts == 0)
		fputs("  No host contacted a name in the signature sets.\n",
		    fp);
	else {
		text_contacted(fp, hosts, aggregate_by_verdict(ag,
		    VERDICT_MIGRATED), "");
		text_verdicts(fp, NULL, ag);
	}
	if (res > 0)
		fprintf(fp, "  %zu DNS %s relayed matched lookups\n", res,
		    plural(res, "server", "servers"));
	fprintf(fp, "  DNS: %" PRIu64 " %s (%" PRIu64 " %s, %" PRIu64 " %s)\n",
	    as->dns_msgs, plural(as->dns_msgs, "message", "messages"),
	    as->dns_queries, plural(as->dns_queries, "query", "queries"),
	    as->dns_responses,
	    plural(as->dns_responses, "response", "responses"));
	if (as->dnstap_frames > 0 || as->dnstap_malformed > 0)
		fprintf(fp, "  dnstap: %" PRIu64 " client messages, %" PRIu64
		    " of the resolver's own lookups (%" PRIu64 " of a "
		    "signature's name; no client), %" PRIu64 " other, %"
		    PRIu64 " not decoded\n", as->dnstap_client,
		    as->dnstap_resolver, as->dnstap_resolver_matched,
		    as->dnstap_other, as->dnstap_malformed);
	text_tunnels(fp, meta->decode ? meta->decode : &report_empty_decode);
	text_streams(fp, as);
	fprintf(fp, "  Names looked up: %" PRIu64 "\n", as->names_seen);
	fprintf(fp, "  Matches: %" PRIu64, as->matches);
	if (as->matches > 0) {
		fputs(" (", fp);
		text_counts(fp, as->by_kind, OBS_N, kind_name_i);
		putc(')', fp);
	}
	putc('\n', fp);
	if (!text_unseen_all(fp, ag, meta))
		fputs("  Nothing malformed, cut, missing or refused.\n", fp);
}

/*
 * "Network NAME (CIDR)", its hosts by verdict and its contacts.  The CIDR
 * of a network not in the networks file only in the index (any_cidr).
 */
static void
text_net_head(FILE *fp, const struct agg_net *net, bool any_cidr)
{
	fputs("\nNetwork ", fp);
	report_text_own(fp, net->name, '\0');
	if ((net->listed || any_cidr) && strcmp(net->name, net->cidr) != 0) {
		fputs(" (", fp);
		report_text_own(fp, net->cidr, ' ');
		putc(')', fp);
	}
	if (!net->listed)
		fputs(" (not in the networks file)", fp);
	fprintf(fp, "\n  %zu %s:", net->n_hosts, plural(net->n_hosts, "host",
	    "hosts"));
	text_verdicts(fp, net, NULL);
	if (net->contacts != NULL && net->contacts[0] != '\0') {
		fputs("  Contacts: ", fp);
		report_text_own(fp, net->contacts, '\n');
		putc('\n', fp);
	}
}

static void
text_net(FILE *fp, const struct agg_net *net, bool files)
{
	size_t i;

	text_net_head(fp, net, false);
	for (i = 0; i < net->n_hosts; i++) {
		putc('\n', fp);
		text_host(fp, net->hosts[i], false, files);
	}
}

/* The DNS servers and the hosts with blind spots, of one network or all. */
static void
text_others(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	const struct agg_host *h;
	size_t i;

	if (report_n_in_net(ag, meta, only, true) > 0) {
		fputs("\nDNS servers that answered matched queries\n", fp);
		for (i = 0; i < aggregate_n_resolvers(ag); i++) {
			h = aggregate_resolver(ag, i);
			if (!report_owns(meta, only, &h->addr))
				continue;
			putc('\n', fp);
			text_host(fp, h, true, !meta->pack);
		}
	}
	if (report_n_in_net(ag, meta, only, false) > 0) {
		fputs("\nHosts whose lookups the audit could not see (no "
		    "Kaspersky evidence;\nthey used encrypted DNS or ECH, so "
		    "this says nothing either way)\n", fp);
		for (i = 0; i < aggregate_n_blind(ag); i++) {
			h = aggregate_blind_host(ag, i);
			if (!report_owns(meta, only, &h->addr))
				continue;
			putc('\n', fp);
			text_host(fp, h, false, !meta->pack);
		}
	}
}

int
report_text_net(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *net)
{
	size_t res = report_n_in_net(ag, meta, net, true);

	fputs("kasaudit ", fp);
	text_str(fp, meta->version != NULL ? meta->version : "?");
	fputs(" report for network ", fp);
	report_text_own(fp, net->name, '\0');
	fputs("\n\n", fp);
	if (meta->pack)
		text_time(fp, meta);
	else {
		text_inputs(fp, meta);
		putc('\n', fp);
		text_capture(fp, meta);
	}
	fputs("\nSummary\n", fp);
	if (net->n_hosts == 0)
		fputs("  No host of this network contacted a name in the "
		    "signature sets.\n", fp);
	else {
		text_contacted(fp, net->n_hosts,
		    net->by_verdict[VERDICT_MIGRATED], " of this network");
		text_verdicts(fp, net, NULL);
	}
	if (res > 0)
		fprintf(fp, "  %zu DNS %s of this network relayed matched "
		    "lookups\n", res, plural(res, "server", "servers"));
	if (!meta->pack && text_unseen_all(fp, ag, meta))
		fputs("  (counts for the whole capture, not only this "
		    "network)\n", fp);
	text_net(fp, net, !meta->pack);
	text_others(fp, ag, meta, net);
	return ferror(fp) ? ERR_IO : ERR_OK;
}

int
report_text(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta)
{
	size_t i;

	fputs("kasaudit ", fp);
	text_str(fp, meta->version != NULL ? meta->version : "?");
	fputs(" report\n\n", fp);
	text_inputs(fp, meta);
	putc('\n', fp);
	text_capture(fp, meta);
	text_summary(fp, ag, meta);
	for (i = 0; i < aggregate_n_nets(ag); i++)
		text_net(fp, aggregate_net(ag, i), true);
	text_others(fp, ag, meta, NULL);
	return ferror(fp) ? ERR_IO : ERR_OK;
}

int
report_index_text(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, char *const *bases, const char *extra)
{
	const struct agg_net *net;
	size_t i, n = aggregate_n_nets(ag);

	fputs("kasaudit ", fp);
	text_str(fp, meta->version != NULL ? meta->version : "?");
	fputs(" report directory\n\n", fp);
	text_time(fp, meta);
	fprintf(fp, "Networks    %zu with offending hosts (%zu hosts)\n", n,
	    aggregate_n_hosts(ag));
	if (meta->anonymized)
		fputs("Addresses   pseudonyms (--anonymize)\n", fp);
	for (i = 0; i < n; i++) {
		net = aggregate_net(ag, i);
		text_net_head(fp, net, true);
		fputs("  Files:    ", fp);
		text_str(fp, bases[i]);
		fputs(".txt ", fp);
		text_str(fp, bases[i]);
		fputs(".json", fp);
		if (extra != NULL) {
			putc(' ', fp);
			text_str(fp, bases[i]);
			putc('.', fp);
			text_str(fp, extra);
		}
		putc('\n', fp);
	}
	return ferror(fp) ? ERR_IO : ERR_OK;
}
