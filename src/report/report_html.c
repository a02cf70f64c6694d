/* report_html.c - one self-contained HTML page (HTML5, inline CSS and SVG).
 * Owns the page layout, its charts and the HTML escaping. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* Colours per verdict: strongest evidence the most alarming. */
static const char *const vcolour[VERDICT_N] = {
	"#c0392b", "#e67e22", "#2e86c1", "#7f8c8d", "#27ae60",
};

const char *
report_html_colour(enum verdict v)
{
	return vcolour[(unsigned)v < VERDICT_N ? v : VERDICT_INDIRECT];
}

/*
 * Characters that turn text direction around (U+061C, U+200E-U+200F,
 * U+202A-U+202E, U+2066-U+2069) can make a name read as another one; they
 * are shown as \u{...}.
 */
static unsigned long
bidi_control(const unsigned char *p, size_t k)
{
	unsigned long c;

	if (k == 2)
		c = (unsigned long)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	else if (k == 3)
		c = (unsigned long)(p[0] & 0x0f) << 12 |
		    (unsigned long)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	else
		return 0;
	if (c == 0x061c || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return c;
	return 0;
}

/*
 * Text for HTML content and attribute values alike: & < > " ' as
 * references; control bytes, DEL and bytes that are not UTF-8 as the text
 * \xHH.  At most max characters (0: all), then an ellipsis.  Returns the
 * characters written.
 */
static size_t
html_strn(FILE *fp, const char *s, size_t n, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, cols = 0;
	unsigned long bidi;

	while (i < n) {
		if (max > 0 && cols == max) {
			fputs("\xe2\x80\xa6", fp);	/* U+2026 */
			break;
		}
		cols++;
		switch (p[i]) {
		case '&':
			fputs("&amp;", fp);
			i++;
			continue;
		case '<':
			fputs("&lt;", fp);
			i++;
			continue;
		case '>':
			fputs("&gt;", fp);
			i++;
			continue;
		case '"':
			fputs("&quot;", fp);
			i++;
			continue;
		case '\'':
			fputs("&#39;", fp);
			i++;
			continue;
		default:
			break;
		}
		k = p[i] >= 0x20 && p[i] != 0x7f ?
		    name_utf8_len(p + i, n - i) : 0;
		if (k == 0) {
			fprintf(fp, "\\x%02x", p[i]);
			i++;
		} else if ((bidi = bidi_control(p + i, k)) != 0) {
			fprintf(fp, "\\u{%04lx}", bidi);
			i += k;
		} else {
			fwrite(p + i, 1, k, fp);
			i += k;
		}
	}
	return cols;
}

static void
html_str(FILE *fp, const char *s)
{
	if (s != NULL)
		html_strn(fp, s, strlen(s), 0);
}

void
report_html_strn(FILE *fp, const char *s, size_t n)
{
	html_strn(fp, s, n, 0);
}

void
report_html_cut(FILE *fp, const char *s, size_t max)
{
	if (s != NULL)
		html_strn(fp, s, strlen(s), max);
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * For table cells: may break after each ':' of an IPv6 address and after
 * the date of a time, so that the tables fit a 1280 px window.  Not in SVG,
 * which has no <wbr>.
 */
static void
html_addr_wrap(FILE *fp, const struct addr *a)
{
	char ab[ADDR_STRLEN];
	const char *p, *q;

	for (p = addr_fmt(a, ab); (q = strchr(p, ':')) != NULL; p = q + 1) {
		fwrite(p, 1, (size_t)(q - p) + 1, fp);
		fputs("<wbr>", fp);
	}
	fputs(p, fp);
}

static void
html_time_wrap(FILE *fp, int64_t sec, uint32_t nsec)
{
	char tb[REPORT_TIME_LEN];

	/* RFC 3339 allows a space for the T: a place to break the line. */
	report_time(tb, sec, nsec);
	if (tb[0] != '@' && tb[10] == 'T')
		fprintf(fp, "%.10s %s", tb, tb + 11);
	else
		html_str(fp, tb);
}

static void
pill(FILE *fp, enum verdict v)
{
	fprintf(fp, "<span class=\"pill v%u\">%s</span>", (unsigned)v,
	    verdict_name(v));
}

static const char style[] =
"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,"
"Arial,sans-serif;color:#1c2833;background:#f4f6f7;margin:0}\n"
"main{max-width:1140px;margin:0 auto;padding:0 24px 32px}\n"
"header{background:#1c2833;color:#fff;padding:20px 24px}\n"
"header h1{margin:0 auto;max-width:1140px;font-size:22px;font-weight:600}\n"
"header p{margin:4px auto 0;max-width:1140px;color:#d5d8dc}\n"
"h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #d5d8dc;"
"padding-bottom:4px}\n"
"h3{font-size:15px;margin:18px 0 6px}\n"
".cards{display:flex;flex-wrap:wrap;gap:12px;margin-top:20px}\n"
".card{background:#fff;border-radius:6px;padding:12px 16px;flex:1 1 110px;"
"box-shadow:0 1px 2px rgba(0,0,0,.12);border-top:4px solid #566573}\n"
".card .num{display:block;font-size:28px;font-weight:700;"
"line-height:1.2}\n"
".card.v0{border-top-color:#c0392b}.card.v1{border-top-color:#e67e22}\n"
".card.v2{border-top-color:#2e86c1}.card.v3{border-top-color:#7f8c8d}\n"
".card.v4{border-top-color:#27ae60}\n"
".box{background:#fff;border-radius:6px;padding:12px 16px;"
"box-shadow:0 1px 2px rgba(0,0,0,.12);overflow-x:auto}\n"
"table{border-collapse:collapse;width:100%;font-size:13px}\n"
"th{text-align:left;background:#eaeded;padding:5px 8px;white-space:nowrap}\n"
"td{padding:5px 8px;border-top:1px solid #eaeded;vertical-align:top}\n"
"tr:nth-child(even) td{background:#fbfcfc}\n"
"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
".mono,td.addr{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,"
"monospace;font-size:12.5px}\n"
"td.mac{white-space:nowrap}\n"
"td.addr{min-width:17ch}\n"
"td.wrap{overflow-wrap:anywhere}\n"
".pill{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;"
"font-size:12px;white-space:nowrap}\n"
".pill.v0{background:#c0392b}.pill.v1{background:#e67e22}"
".pill.v2{background:#2e86c1}.pill.v3{background:#7f8c8d}"
".pill.v4{background:#27ae60}\n"
".cat{color:#566573;font-size:12px}\n"
".ref{color:#707b7c;font-size:12px;white-space:normal;"
"overflow-wrap:anywhere}\n"
".note{color:#566573;font-size:13px}\n"
".warn{color:#922b21;white-space:normal;font-size:12px}\n"
"ul.names{margin:0;padding:0;list-style:none;min-width:200px}\n"
"svg{display:block;width:100%;min-width:640px;height:auto}\n"
"svg text{font:12px system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,"
"Arial,sans-serif;fill:#1c2833}\n"
"svg .ax{stroke:#aab7b8;stroke-width:1}\n"
"svg text.cap{fill:#566573}\n"
"footer{color:#707b7c;font-size:12px;text-align:center;margin:24px 0}\n"
/* A phone: a host table's rows as blocks of labelled lines. */
"@media (max-width:640px){main{padding:0 10px 24px}"
"header{padding:14px 10px}"
"table.stack,table.stack tbody,table.stack tr,table.stack td"
"{display:block}"
"table.stack tr:first-child{display:none}"
"table.stack tr{border-top:1px solid #d5d8dc;padding:6px 0}"
"table.stack td{border:0;padding:1px 4px;text-align:left;min-width:0}"
"table.stack td:empty{display:none}"
"table.stack td[data-l]::before{content:attr(data-l) \": \";"
"color:#566573;font:12px system-ui,sans-serif}"
"ul.names{min-width:0}}\n";

static void
html_head(FILE *fp, const struct report_meta *meta,
    const struct agg_net *only)
{
	char t1[REPORT_TIME_LEN], t2[REPORT_TIME_LEN];

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    /* Nothing may load or run, even if an escape were missed. */
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<title>kasaudit report", fp);
	if (only != NULL) {
		fputs(": ", fp);
		html_str(fp, only->name);
	}
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	    "<header>\n<h1>kasaudit report", style);
	if (only != NULL) {
		fputs(" for network ", fp);
		html_str(fp, only->name);
	}
	fputs("</h1>\n<p>", fp);
	if (meta->have_time) {
		html_str(fp, report_time(t1, meta->first_sec,
		    meta->first_nsec));
		fputs(" .. ", fp);
		html_str(fp, report_time(t2, meta->last_sec,
		    meta->last_nsec));
	} else
		fputs("no packets", fp);
	if (!meta->pack)
		fprintf(fp, " &middot; %" PRIu64 " %s in %zu %s", meta->packets,
		    plural(meta->packets, "packet", "packets"), meta->n_files,
		    plural(meta->n_files, "file", "files"));
	fputs(" &middot; kasaudit ", fp);
	html_str(fp, meta->version != NULL ? meta->version : "?");
	if (meta->anonymized)
		fputs(" &middot; addresses pseudonymised", fp);
	fputs("</p>\n</header>\n<main>\n", fp);
}

/* The DNS servers or blind hosts of one network (or all). */
static size_t
count_in(const struct aggregate *ag, const struct report_meta *meta,
    const struct agg_net *only, bool resolvers)
{
	size_t i, n = 0, all = resolvers ? aggregate_n_resolvers(ag) :
	    aggregate_n_blind(ag);

	for (i = 0; i < all; i++)
		if (report_owns(meta, only, &(resolvers ? aggregate_resolver(ag,
		    i) : aggregate_blind_host(ag, i))->addr))
			n++;
	return n;
}

static void
html_cards(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	const struct audit_stats *as = meta->audit ? meta->audit :
	    &report_empty_audit;
	size_t hosts = only ? only->n_hosts : aggregate_n_hosts(ag), n;
	unsigned v;

	fputs("<section class=\"cards\">\n", fp);
	/* Hosts that only contacted UltraAV did not contact Kaspersky. */
	n = only ? only->by_verdict[VERDICT_MIGRATED] :
	    aggregate_by_verdict(ag, VERDICT_MIGRATED);
	fprintf(fp, "<div class=\"card\"><span class=\"num\">%zu</span>%s "
	    "contacted Kaspersky</div>\n", hosts - n, plural(hosts - n,
	    "host", "hosts"));
	for (v = 0; v < VERDICT_N; v++) {
		n = only ? only->by_verdict[v] :
		    aggregate_by_verdict(ag, (enum verdict)v);
		if (v == VERDICT_MIGRATED && n == 0)
			continue;	/* not Kaspersky: only when there */
		fprintf(fp, "<div class=\"card v%u\"><span class=\"num\">%zu"
		    "</span>%s</div>\n", v, n, verdict_name((enum verdict)v));
	}
	n = count_in(ag, meta, only, true);
	fprintf(fp, "<div class=\"card\"><span class=\"num\">%zu</span>DNS "
	    "%s relaying</div>\n", n, plural(n, "server", "servers"));
	if (only == NULL)
		fprintf(fp, "<div class=\"card\"><span class=\"num\">%" PRIu64
		    "</span>%s</div>\n", as->matches, plural(as->matches,
		    "match", "matches"));
	fputs("</section>\n", fp);
}

/* A time, and where it was seen unless files is false (a pack). */
static void
html_ref(FILE *fp, const struct agg_ref *r, bool files)
{
	html_time_wrap(fp, r->ts_sec, r->ts_nsec);
	if (!files)
		return;
	fputs("<br><span class=\"ref\">", fp);
	html_str(fp, r->file);
	fprintf(fp, ":%" PRIu64 "</span>", r->frame);
}

static void
html_mac_vlan(FILE *fp, const struct agg_host *h)
{
	char mb[18];
	unsigned i;

	fputs("<td class=\"mono mac\" data-l=\"MAC\">", fp);
	if (h->has_mac) {
		fputs(report_mac(mb, h->mac), fp);
		if (h->n_macs > 1)
			fprintf(fp, "<br><span class=\"ref\">%s%u MACs "
			    "seen</span>", h->n_macs >= 8 ? "&ge; " : "",
			    h->n_macs);
	}
	fputs("</td><td class=\"n\" data-l=\"VLAN\">", fp);
	for (i = 0; i < h->n_vlan && i < 3; i++)
		fprintf(fp, "%s%u", i ? "." : "", h->vlan[i]);
	fputs("</td>", fp);
}

static void
html_names(FILE *fp, const struct agg_host *h)
{
	const struct agg_name *nm;
	size_t i;

	fputs("<td class=\"wrap\" data-l=\"Names\"><ul class=\"names\">", fp);
	for (i = 0; i < h->n_names; i++) {
		nm = &h->names[i];
		fputs("<li><span class=\"mono\">", fp);
		html_str(fp, nm->name);
		fputs("</span> <span class=\"cat\">", fp);
		html_str(fp, nm->sig ? match_cat_name(nm->sig->cat) : "?");
		fprintf(fp, " &times;%" PRIu64 "</span></li>", nm->count);
	}
	if (h->names_dropped > 0)
		fprintf(fp, "<li class=\"note\">and %" PRIu64 " more %s</li>",
		    h->names_dropped, plural(h->names_dropped, "name",
		    "names"));
	fputs("</ul></td>", fp);
}

/* The machine's names from the wire, under its address. */
static void
html_hnames(FILE *fp, const struct agg_host *h)
{
	size_t i;

	for (i = 0; i < h->n_hnames; i++) {
		fputs("<br><span class=\"mono\">", fp);
		html_str(fp, h->hnames[i].name);
		fputs("</span> <span class=\"ref\">", fp);
		html_str(fp, hname_src_name(h->hnames[i].src));
		fputs(" ", fp);
		html_str(fp, hname_type_name(h->hnames[i].type));
		fputs("</span>", fp);
	}
}

static void
html_net(FILE *fp, const struct agg_net *net, bool files)
{
	const struct agg_host *h;
	size_t i, j;
	unsigned v;

	char *l;

	fputs("<h3>", fp);
	html_str(fp, net->name);
	if (strcmp(net->name, net->cidr) != 0) {
		fputs(" <span class=\"note\">", fp);
		l = report_list(net->cidr, ' ');
		html_str(fp, l != NULL ? l : net->cidr);
		free(l);
		fputs("</span>", fp);
	}
	if (!net->listed)
		fputs(" <span class=\"note\">(not in the networks file)"
		    "</span>", fp);
	fprintf(fp, "</h3>\n<div class=\"box\">\n<p>%zu %s:", net->n_hosts,
	    plural(net->n_hosts, "host", "hosts"));
	for (v = 0; v < VERDICT_N; v++)
		if (v != VERDICT_MIGRATED || net->by_verdict[v] > 0)
			fprintf(fp, "%s %zu %s", v ? "," : "",
			    net->by_verdict[v], verdict_name((enum verdict)v));
	fputs("</p>\n", fp);
	if (net->contacts != NULL && net->contacts[0] != '\0') {
		fputs("<p>Contacts: <span class=\"mono\">", fp);
		l = report_list(net->contacts, '\n');
		html_str(fp, l != NULL ? l : net->contacts);
		free(l);
		fputs("</span></p>\n", fp);
	}
	fputs("<table class=\"stack\">\n<tr><th>Host</th><th>MAC</th>"
	    "<th>VLAN</th><th>Verdict</th><th>First seen</th><th>Last seen</th>"
	    "<th>Names</th></tr>\n", fp);
	for (i = 0; i < net->n_hosts; i++) {
		h = net->hosts[i];
		fputs("<tr><td class=\"addr\">", fp);
		html_addr_wrap(fp, &h->addr);
		if (h->subscriber != NULL) {		/* --leases */
			fputs("<br><span class=\"ref\">held by ", fp);
			html_str(fp, h->subscriber);
			fputs("</span>", fp);
		}
		html_hnames(fp, h);
		if (h->ksc_server)
			fprintf(fp, "<br><span class=\"warn\">likely Security "
			    "Center server (%zu %s)</span>", h->ksc_agents,
			    plural(h->ksc_agents, "agent", "agents"));
		if (h->forwarded > 0) {
			fputs("<br><span class=\"note\">via proxy ", fp);
			for (j = 0; j < h->n_via; j++) {
				fputs(j ? ", " : "", fp);
				html_addr_wrap(fp, &h->via[j]);
			}
			fputs("</span>", fp);
		}
		fputs("</td>", fp);
		html_mac_vlan(fp, h);
		fputs("<td data-l=\"Verdict\">", fp);
		pill(fp, h->verdict);
		if (agg_host_migrated(h) && h->verdict != VERDICT_MIGRATED) {
			fputc(' ', fp);
			pill(fp, VERDICT_MIGRATED);
		}
		fputs("</td><td class=\"t\" data-l=\"First seen\">", fp);
		html_ref(fp, &h->first, files);
		fputs("</td><td class=\"t\" data-l=\"Last seen\">", fp);
		html_ref(fp, &h->last, files);
		fputs("</td>", fp);
		html_names(fp, h);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n</div>\n", fp);
}

static void
html_resolvers(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	const struct agg_host *h;
	size_t i;

	if (count_in(ag, meta, only, true) == 0)
		return;
	fputs("<h2>DNS servers that answered matched queries</h2>\n"
	    "<div class=\"box\">\n<p class=\"note\">They relay look-ups; "
	    "they are not counted as offenders.</p>\n<table class=\"stack\">\n"
	    "<tr>"
	    "<th>Server</th><th>MAC</th><th>VLAN</th><th>Answered</th>"
	    "<th>For hosts</th><th>Own look-ups</th></tr>\n", fp);
	for (i = 0; i < aggregate_n_resolvers(ag); i++) {
		h = aggregate_resolver(ag, i);
		if (!report_owns(meta, only, &h->addr))
			continue;
		fputs("<tr><td class=\"addr\">", fp);
		html_addr_wrap(fp, &h->addr);
		fputs("</td>", fp);
		html_mac_vlan(fp, h);
		fprintf(fp, "<td class=\"n\" data-l=\"Answered\">%" PRIu64
		    "</td><td class=\"n\" data-l=\"For hosts\">%zu</td>"
		    "<td class=\"n\" data-l=\"Own look-ups\">%" PRIu64
		    "</td></tr>\n",
		    h->answered, h->answered_hosts, h->n_obs);
	}
	fputs("</table>\n</div>\n", fp);
}

static void
html_blind(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	const struct agg_host *h;
	size_t i;
	unsigned b;

	if (count_in(ag, meta, only, false) == 0)
		return;
	fputs("<h2>Hosts whose look-ups could not be seen</h2>\n"
	    "<div class=\"box\">\n<p class=\"note\">No Kaspersky evidence: "
	    "they used encrypted DNS or ECH, so this says nothing either way."
	    "</p>\n<table class=\"stack\">\n<tr><th>Host</th><th>MAC</th>"
	    "<th>VLAN</th>", fp);
	for (b = 0; b < BLIND_N; b++) {
		fputs("<th>", fp);
		html_str(fp, obs_blind_name((enum obs_blind)b));
		fputs("</th>", fp);
	}
	fputs("</tr>\n", fp);
	for (i = 0; i < aggregate_n_blind(ag); i++) {
		h = aggregate_blind_host(ag, i);
		if (!report_owns(meta, only, &h->addr))
			continue;
		fputs("<tr><td class=\"addr\">", fp);
		html_addr_wrap(fp, &h->addr);
		fputs("</td>", fp);
		html_mac_vlan(fp, h);
		for (b = 0; b < BLIND_N; b++)
			fprintf(fp, "<td class=\"n\" data-l=\"%s\">%" PRIu64
			    "</td>", obs_blind_name((enum obs_blind)b),
			    h->blind[b]);
		fputs("</tr>\n", fp);
	}
	fputs("</table>\n</div>\n", fp);
}

struct unseen_arg {
	FILE	*fp;
	bool	 any;
};

static void
unseen_li(void *arg, uint64_t n, const char *what)
{
	struct unseen_arg *ua = arg;

	if (!ua->any)
		fputs("<p>Could not look into:</p>\n<ul>\n", ua->fp);
	ua->any = true;
	fprintf(ua->fp, "<li>%" PRIu64 " ", n);
	html_str(ua->fp, what);
	fputs("</li>\n", ua->fp);
}

static void
html_capture(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	const struct report_file *f;
	const struct report_linktype *lt;
	struct unseen_arg ua = { fp, false };
	const char *set;
	uint64_t sn, total = report_sig_total(meta);
	size_t i;

	fputs("<h2>Capture</h2>\n<div class=\"box\">\n<table>\n<tr><th>Input"
	    "</th><th>Format</th><th>Packets</th><th>Bytes</th><th>Status"
	    "</th></tr>\n", fp);
	for (i = 0; i < meta->n_files; i++) {
		f = &meta->files[i];
		fputs("<tr><td class=\"mono wrap\">", fp);
		html_str(fp, f->path);
		fputs("</td><td>", fp);
		html_str(fp, f->format != NULL && f->format[0] != '\0' ?
		    f->format : "-");
		fprintf(fp, "</td><td class=\"n\">%" PRIu64 "</td><td "
		    "class=\"n\">%" PRIu64 "</td><td>", f->packets, f->bytes);
		if (!f->complete) {
			fputs("<span class=\"warn\">incomplete: ", fp);
			html_str(fp, f->error != NULL && f->error[0] != '\0' ?
			    f->error : "not read to its end");
			fputs("</span>", fp);
		} else
			fputs("read to its end", fp);
		if (f->unsupported > 0)
			fprintf(fp, "; %" PRIu64 " %s on link types not "
			    "supported", f->unsupported,
			    plural(f->unsupported, "packet", "packets"));
		fputs("</td></tr>\n", fp);
	}
	fputs("</table>\n<p>", fp);
	if (meta->n_linktypes > 0) {
		fputs("Link types: ", fp);
		for (i = 0; i < meta->n_linktypes; i++) {
			lt = &meta->linktypes[i];
			fprintf(fp, "%s%d ", i ? ", " : "", lt->linktype);
			html_str(fp, lt->name != NULL ? lt->name : "unknown");
			fprintf(fp, " (%" PRIu64 "%s)", lt->packets,
			    lt->supported ? "" : ", not supported");
		}
		fputs("<br>\n", fp);
	}
	if (meta->filter != NULL) {
		fputs("Filter: <span class=\"mono\">", fp);
		html_str(fp, meta->filter);
		fputs("</span><br>\n", fp);
	}
	fprintf(fp, "Signatures: %" PRIu64, total);
	for (i = 0; report_set_at(meta, i, &set, &sn); i++) {
		fputs(i == 0 ? " (" : ", ", fp);
		html_str(fp, set);
		fprintf(fp, " %" PRIu64, sn);
	}
	fprintf(fp, "%s<br>\nGrouping: by /%u (IPv4), /%u (IPv6) outside "
	    "listed networks; up to %zu names per host\n", total > 0 ? ")" :
	    "", meta->v4_plen, meta->v6_plen, meta->max_names);
	if (meta->anonymized)
		fputs("<br>\nAddresses are pseudonyms (--anonymize: "
		    "Crypto-PAn, prefix-preserving); MACs are left out\n",
		    fp);
	fputs("</p>\n", fp);
	report_unseen_each(ag, meta, unseen_li, &ua);
	if (ua.any)
		fprintf(fp, "</ul>\n%s", only != NULL ? "<p class=\"note\">"
		    "Counts for the whole capture, not only this network.</p>\n"
		    : "");
	else
		fputs("<p>Nothing malformed, cut, missing or refused.</p>\n",
		    fp);
	fputs("</div>\n", fp);
}

int
report_html(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	size_t i;

	html_head(fp, meta, only);
	html_cards(fp, ag, meta, only);
	report_html_bars(fp, ag, only);
	report_html_timeline(fp, ag, meta, only);
	fputs("<h2>Networks</h2>\n", fp);
	if (only != NULL)
		html_net(fp, only, !meta->pack);
	for (i = 0; only == NULL && i < aggregate_n_nets(ag); i++)
		html_net(fp, aggregate_net(ag, i), true);
	if (aggregate_n_nets(ag) == 0)
		fputs("<p class=\"note\">None: no host contacted a name in "
		    "the signature sets.</p>\n", fp);
	html_resolvers(fp, ag, meta, only);
	html_blind(fp, ag, meta, only);
	if (!meta->pack)
		html_capture(fp, ag, meta, only);
	fputs("</main>\n<footer>kasaudit ", fp);
	html_str(fp, meta->version != NULL ? meta->version : "?");
	fputs(" &middot; passive audit of Kaspersky contacts</footer>\n"
	    "</body>\n</html>\n", fp);
	return ferror(fp) ? ERR_IO : ERR_OK;
}
