/* report_csv.c - the CSV writer (RFC 4180): one row per offending host,
 * cells cleaned of control bytes and kept from running as formulas. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

/* A cell being put together: grows as needed (report time, not per packet). */
struct sbuf {
	char	*p;
	size_t	 len, cap;
	bool	 nomem;
};

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
	char *np;
	size_t cap;

	if (b->nomem)
		return;
	if (n > b->cap - b->len) {
		cap = b->cap ? b->cap : 128;
		while (cap - b->len < n && cap < SIZE_MAX / 2)
			cap *= 2;
		if (cap - b->len < n || (np = realloc(b->p, cap)) == NULL) {
			b->nomem = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

/* Control bytes, DEL and bytes that are not UTF-8 as \xHH; the rest as is. */
static void
sb_clean(struct sbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	char hx[5];

	while (i < n) {
		k = p[i] >= 0x20 && p[i] != 0x7f ?
		    name_utf8_len(p + i, n - i) : 0;
		if (k > 0) {
			sb_put(b, s + i, k);
			i += k;
			continue;
		}
		snprintf(hx, sizeof(hx), "\\x%02x", p[i]);
		sb_put(b, hx, 4);
		i++;
	}
}

/*
 * Writes the cell in b as one field.  A cell a spreadsheet would run as a
 * formula gets a leading ' (OWASP, "CSV Injection"); a cell holding a
 * comma, quote or line break is quoted with its quotes doubled (RFC 4180 2).
 */
static void
csv_cell(FILE *fp, const struct sbuf *b, bool last)
{
	bool formula = b->len > 0 && strchr("=+-@\t\r", b->p[0]) != NULL;
	bool quote = false;
	size_t i;

	for (i = 0; i < b->len; i++)
		if (b->p[i] == '"' || b->p[i] == ',' || b->p[i] == '\r' ||
		    b->p[i] == '\n')
			quote = true;
	if (quote)
		putc('"', fp);
	if (formula)
		putc('\'', fp);
	for (i = 0; i < b->len; i++) {
		if (b->p[i] == '"')
			putc('"', fp);
		putc(b->p[i], fp);
	}
	if (quote)
		putc('"', fp);
	fputs(last ? "\r\n" : ",", fp);
}

static void
csv_str(FILE *fp, struct sbuf *b, const char *s, bool last)
{
	b->len = 0;
	if (s != NULL)
		sb_clean(b, s, strlen(s));
	csv_cell(fp, b, last);
}

void
report_csv_field(FILE *fp, const char *s, bool last)
{
	struct sbuf b = { NULL, 0, 0, false };

	csv_str(fp, &b, s, last);
	free(b.p);
}

static void
csv_u64(FILE *fp, uint64_t v, bool last)
{
	fprintf(fp, "%" PRIu64 "%s", v, last ? "\r\n" : ",");
}

static void
csv_host(FILE *fp, struct sbuf *b, const struct agg_net *net,
    const struct agg_host *h, bool subs)
{
	char buf[ADDR_STRLEN > REPORT_TIME_LEN ? ADDR_STRLEN :
	    REPORT_TIME_LEN];
	size_t i;
	char *l;

	l = report_list(net->contacts, '\n');
	csv_str(fp, b, net->cidr, false);
	csv_str(fp, b, net->name, false);
	csv_str(fp, b, l != NULL ? l : net->contacts, false);
	free(l);
	csv_str(fp, b, addr_fmt(&h->addr, buf), false);
	csv_str(fp, b, h->has_mac ? report_mac(buf, h->mac) : "", false);
	if (h->n_vlan > 0)
		csv_u64(fp, h->vlan[0], false);
	else
		csv_str(fp, b, "", false);
	csv_str(fp, b, verdict_name(h->verdict), false);
	csv_str(fp, b, report_time(buf, h->first.ts_sec, h->first.ts_nsec),
	    false);
	csv_str(fp, b, report_time(buf, h->last.ts_sec, h->last.ts_nsec),
	    false);
	for (i = 0; i < CAT_N; i++)
		csv_u64(fp, h->by_cat[i], false);
	b->len = 0;
	for (i = 0; i < h->n_names; i++) {
		if (i > 0)
			sb_put(b, " ", 1);
		sb_clean(b, h->names[i].name, strlen(h->names[i].name));
	}
	csv_cell(fp, b, false);
	/* Machine names: "name (source type)", newest first, "; " between. */
	b->len = 0;
	for (i = 0; i < h->n_hnames; i++) {
		if (i > 0)
			sb_put(b, "; ", 2);
		sb_clean(b, h->hnames[i].name, strlen(h->hnames[i].name));
		sb_put(b, " (", 2);
		sb_clean(b, hname_src_name(h->hnames[i].src),
		    strlen(hname_src_name(h->hnames[i].src)));
		sb_put(b, " ", 1);
		sb_clean(b, hname_type_name(h->hnames[i].type),
		    strlen(hname_type_name(h->hnames[i].type)));
		sb_put(b, ")", 1);
	}
	csv_cell(fp, b, !subs);
	if (subs)				/* --leases: the last column */
		csv_str(fp, b, h->subscriber, true);
}

int
report_csv(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	struct sbuf b = { NULL, 0, 0, false };
	const struct agg_net *net;
	size_t i, j;
	bool subs = meta->leases != NULL || aggregate_has_subscribers(ag);

	fputs("network,network_name,contacts,host,mac,vlan,verdict,"
	    "first_seen,last_seen", fp);
	for (i = 0; i < CAT_N; i++)
		fprintf(fp, ",%s", match_cat_name((enum match_cat)i));
	fputs(subs ? ",names,machine_names,subscriber\r\n" :
	    ",names,machine_names\r\n", fp);
	for (i = 0; i < aggregate_n_nets(ag); i++) {
		net = aggregate_net(ag, i);
		if (only != NULL && net != only)
			continue;
		for (j = 0; j < net->n_hosts; j++)
			csv_host(fp, &b, net, net->hosts[j], subs);
	}
	free(b.p);
	return b.nomem ? ERR_NOMEM : ferror(fp) ? ERR_IO : ERR_OK;
}
