/* diff.c - kasaudit diff: two audits per network, host by host (new, gone,
 * still active), for the desk that wrote to the customers in between. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "jw.h"
#include "report_int.h"

enum { OLD, NEW };

/* One host of one side, and the place of its network in the output. */
struct dent {
	size_t			 order;
	int			 side;
	const struct agg_net	*net;
	const struct agg_host	*h;
};

/* A host of the output: in old, in new, or in both. */
struct drow {
	size_t			 order;
	const struct agg_net	*net;	/* new's when both have it */
	const struct agg_host	*h[2];
};

struct dstate {
	const struct diff_side	*side[2];
	struct drow		*rows;
	size_t			 n_rows;
	size_t			 total[3];	/* new, gone, still */
	int			 addr_w;
};

static const char *const status_name[3] = { "new", "gone", "still" };

static int
row_status(const struct drow *r)
{
	if (r->h[OLD] == NULL)
		return 0;
	return r->h[NEW] == NULL ? 1 : 2;
}

/* Networks are the same network when both are listed with one name, or
 * both are grouped by the same prefix (their name is the CIDR). */
static int
net_cmp(const struct agg_net *a, const struct agg_net *b)
{
	if (a->listed != b->listed)
		return a->listed ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int
netp_cmp(const void *x, const void *y)
{
	const struct agg_net *const *a = x, *const *b = y;

	return net_cmp(*a, *b);
}

/* Subscribers (--leases; NULL: none) in order, NULL first. */
static int
sub_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* A host is its address and, with --leases, who held it (aggregate.h). */
static int
dent_cmp(const void *x, const void *y)
{
	const struct dent *a = x, *b = y;
	int c;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if ((c = addr_cmp(&a->h->addr, &b->h->addr)) != 0)
		return c;
	if ((c = sub_cmp(a->h->subscriber, b->h->subscriber)) != 0)
		return c;
	return a->side - b->side;
}

/* Every host of both sides, paired by network and address. */
static int
build(struct dstate *st)
{
	const struct aggregate *ag_new = st->side[NEW]->ag;
	const struct aggregate *ag_old = st->side[OLD]->ag;
	size_t n_new = aggregate_n_nets(ag_new), n_old = aggregate_n_nets(ag_old);
	const struct agg_net **sorted = NULL, *net, **hit;
	struct dent *e = NULL;
	size_t n_e = 0, cap = 0, i, j, order;
	char ab[ADDR_STRLEN];
	int s, w, r = ERR_NOMEM;

	cap = aggregate_n_hosts(ag_new) + aggregate_n_hosts(ag_old);
	if ((sorted = calloc(n_new ? n_new : 1, sizeof(*sorted))) == NULL ||
	    (e = calloc(cap ? cap : 1, sizeof(*e))) == NULL ||
	    (st->rows = calloc(cap ? cap : 1, sizeof(*st->rows))) == NULL)
		goto out;
	for (i = 0; i < n_new; i++)
		sorted[i] = aggregate_net(ag_new, i);
	qsort(sorted, n_new, sizeof(*sorted), netp_cmp);
	for (s = OLD; s <= NEW; s++) {
		const struct aggregate *ag = s == NEW ? ag_new : ag_old;

		for (i = 0; i < aggregate_n_nets(ag); i++) {
			net = aggregate_net(ag, i);
			order = i;
			if (s == OLD) {
				hit = bsearch(&net, sorted, n_new,
				    sizeof(*sorted), netp_cmp);
				order = hit != NULL ?
				    (size_t)(*hit - aggregate_net(ag_new, 0)) :
				    n_new + i;
			}
			for (j = 0; j < net->n_hosts && n_e < cap; j++) {
				e[n_e].order = order;
				e[n_e].side = s;
				e[n_e].net = net;
				e[n_e].h = net->hosts[j];
				n_e++;
			}
		}
	}
	(void)n_old;
	qsort(e, n_e, sizeof(*e), dent_cmp);
	for (i = 0; i < n_e; i++) {
		struct drow *rw;

		if (st->n_rows > 0 && i > 0 && e[i - 1].order == e[i].order &&
		    addr_eq(&e[i - 1].h->addr, &e[i].h->addr) &&
		    sub_cmp(e[i - 1].h->subscriber, e[i].h->subscriber) == 0)
			rw = &st->rows[st->n_rows - 1];
		else {
			rw = &st->rows[st->n_rows++];
			rw->order = e[i].order;
		}
		rw->h[e[i].side] = e[i].h;
		if (rw->net == NULL || e[i].side == NEW)
			rw->net = e[i].net;
		w = (int)strlen(addr_fmt(&e[i].h->addr, ab));
		if (w > st->addr_w)
			st->addr_w = w;
	}
	for (i = 0; i < st->n_rows; i++)
		st->total[row_status(&st->rows[i])]++;
	r = ERR_OK;
out:
	free(sorted);
	free(e);
	return r;
}

/* The rows of the network starting at row i: [i, end). */
static size_t
net_end(const struct dstate *st, size_t i)
{
	size_t j;

	for (j = i; j < st->n_rows && st->rows[j].order == st->rows[i].order;
	    j++)
		;
	return j;
}

static void
net_counts(const struct dstate *st, size_t i, size_t end, size_t c[3])
{
	c[0] = c[1] = c[2] = 0;
	for (; i < end; i++)
		c[row_status(&st->rows[i])]++;
}

static const char *
side_time(char *buf, const struct report_meta *m, bool last)
{
	if (!m->have_time)
		return "-";
	return last ? report_time(buf, m->last_sec, m->last_nsec) :
	    report_time(buf, m->first_sec, m->first_nsec);
}

static const char *
host_last(char *buf, const struct agg_host *h)
{
	return report_time(buf, h->last.ts_sec, h->last.ts_nsec);
}

/* ---- text ---- */

static void
text_side(FILE *fp, const char *label, const struct diff_side *d)
{
	char t1[REPORT_TIME_LEN], t2[REPORT_TIME_LEN];

	fprintf(fp, "%s  ", label);
	report_text_own(fp, d->path, '\0');
	fprintf(fp, "\n     %s .. %s, %zu hosts\n",
	    side_time(t1, d->meta, false), side_time(t2, d->meta, true),
	    aggregate_n_hosts(d->ag));
}

static void
write_text(FILE *fp, const struct dstate *st)
{
	char ab[ADDR_STRLEN], t1[REPORT_TIME_LEN], t2[REPORT_TIME_LEN];
	const struct agg_host *h;
	const struct drow *rw;
	size_t i, end, c[3];
	int k;

	fprintf(fp, "kasaudit %s diff\n\n", KASAUDIT_VERSION);
	text_side(fp, "Old", st->side[OLD]);
	text_side(fp, "New", st->side[NEW]);
	fprintf(fp, "\nHosts       %zu new, %zu gone, %zu still active\n",
	    st->total[0], st->total[1], st->total[2]);
	for (i = 0; i < st->n_rows; i = end) {
		end = net_end(st, i);
		rw = &st->rows[i];
		net_counts(st, i, end, c);
		fputs("\nNetwork ", fp);
		report_text_own(fp, rw->net->name, '\0');
		if (strcmp(rw->net->name, rw->net->cidr) != 0) {
			fputs(" (", fp);
			report_text_own(fp, rw->net->cidr, ' ');
			putc(')', fp);
		}
		fprintf(fp, "\n  %zu new, %zu gone, %zu still active\n", c[0],
		    c[1], c[2]);
		if (rw->net->contacts[0] != '\0') {
			fputs("  Contacts: ", fp);
			report_text_own(fp, rw->net->contacts, '\n');
			putc('\n', fp);
		}
		for (; rw < st->rows + end; rw++) {
			k = row_status(rw);
			h = rw->h[k == 1 ? OLD : NEW];
			fprintf(fp, "  %-5s  %-*s  %-14s  last %s", status_name[k],
			    st->addr_w, addr_fmt(&h->addr, ab),
			    verdict_name(h->verdict), host_last(t1, h));
			if (h->n_days > 0)
				fprintf(fp, "  on %zu day%s", h->n_days,
				    h->n_days == 1 ? "" : "s");
			if (h->subscriber != NULL) {
				fputs("  held by ", fp);
				report_text_own(fp, h->subscriber, '\0');
			}
			if (k == 2)
				fprintf(fp, "  (before: %s, %s)",
				    host_last(t2, rw->h[OLD]),
				    verdict_name(rw->h[OLD]->verdict));
			putc('\n', fp);
		}
	}
}

/* ---- CSV ---- */

static void
write_csv(FILE *fp, const struct dstate *st)
{
	char ab[ADDR_STRLEN], t1[REPORT_TIME_LEN];
	const struct agg_host *h;
	const struct drow *rw;
	size_t i;
	int k;

	fputs("network,network_name,host,status,verdict,last_seen,"
	    "old_verdict,old_last_seen,days_active,subscriber\r\n", fp);
	for (i = 0; i < st->n_rows; i++) {
		rw = &st->rows[i];
		k = row_status(rw);
		h = rw->h[k == 1 ? OLD : NEW];
		report_csv_field(fp, rw->net->cidr, false);
		report_csv_field(fp, rw->net->name, false);
		report_csv_field(fp, addr_fmt(&h->addr, ab), false);
		report_csv_field(fp, status_name[k], false);
		report_csv_field(fp, k == 1 ? "" : verdict_name(h->verdict),
		    false);
		report_csv_field(fp, k == 1 ? "" : host_last(t1, h), false);
		h = rw->h[OLD];
		report_csv_field(fp, h != NULL ? verdict_name(h->verdict) : "",
		    false);
		report_csv_field(fp, h != NULL ? host_last(t1, h) : "", false);
		h = rw->h[k == 1 ? OLD : NEW];
		if (h->n_days > 0)
			snprintf(t1, sizeof(t1), "%zu", h->n_days);
		else
			t1[0] = '\0';
		report_csv_field(fp, t1, false);
		report_csv_field(fp, h->subscriber != NULL ? h->subscriber : "",
		    true);
	}
}

/* ---- JSON (jw.c, as the reports: the same escaping) ---- */

static void
jside(struct jw *w, const char *key, const struct diff_side *d)
{
	jw_open(w, key, '{');
	jw_str(w, "path", d->path, false);
	if (d->meta->have_time) {
		jw_time(w, "first", d->meta->first_sec, d->meta->first_nsec);
		jw_time(w, "last", d->meta->last_sec, d->meta->last_nsec);
	} else {
		jw_null(w, "first");
		jw_null(w, "last");
	}
	jw_u64(w, "hosts", aggregate_n_hosts(d->ag));
	jw_close(w, '}');
}

static void
jhost(struct jw *w, const struct drow *rw, int k)
{
	const struct agg_host *h = rw->h[k == 1 ? OLD : NEW];

	jw_open(w, NULL, '{');
	jw_addr(w, "address", &h->addr);
	if (h->subscriber != NULL)		/* --leases */
		jw_str(w, "subscriber", h->subscriber, false);
	jw_str(w, "verdict", verdict_name(h->verdict), false);
	if (k != 2)
		jw_time(w, "first_seen", h->first.ts_sec, h->first.ts_nsec);
	jw_time(w, "last_seen", h->last.ts_sec, h->last.ts_nsec);
	if (k == 2) {
		jw_str(w, "old_verdict", verdict_name(rw->h[OLD]->verdict),
		    false);
		jw_time(w, "old_last_seen", rw->h[OLD]->last.ts_sec,
		    rw->h[OLD]->last.ts_nsec);
	}
	/* With a per-day history (live state): the days it made contact. */
	if (h->n_days > 0)
		jw_u64(w, "days_active", h->n_days);
	jw_close(w, '}');
}

static void
jnet(struct jw *w, const struct dstate *st, size_t i, size_t end)
{
	const struct agg_net *net = st->rows[i].net;
	size_t j;
	int k;

	jw_open(w, NULL, '{');
	jw_str(w, "name", net->name, false);
	jw_cidrs(w, net->cidr);
	jw_bool(w, "listed", net->listed);
	jw_list(w, "contacts", net->contacts, '\n');
	for (k = 0; k < 3; k++) {
		jw_open(w, status_name[k], '[');
		for (j = i; j < end; j++)
			if (row_status(&st->rows[j]) == k)
				jhost(w, &st->rows[j], k);
		jw_close(w, ']');
	}
	jw_close(w, '}');
}

static void
write_json(FILE *fp, const struct dstate *st)
{
	struct jw w;
	size_t i, end;

	jw_init(&w, fp, true);
	jw_open(&w, NULL, '{');
	jw_str(&w, "version", KASAUDIT_VERSION, false);
	jside(&w, "old", st->side[OLD]);
	jside(&w, "new", st->side[NEW]);
	jw_open(&w, "hosts", '{');
	jw_u64(&w, "new", st->total[0]);
	jw_u64(&w, "gone", st->total[1]);
	jw_u64(&w, "still", st->total[2]);
	jw_close(&w, '}');
	jw_open(&w, "networks", '[');
	for (i = 0; i < st->n_rows; i = end) {
		end = net_end(st, i);
		jnet(&w, st, i, end);
	}
	jw_close(&w, ']');
	jw_close(&w, '}');
	(void)jw_end(&w);
}

int
diff_write(FILE *fp, enum diff_format fmt, const struct diff_side *old,
    const struct diff_side *new_)
{
	struct dstate st;
	int r;

	memset(&st, 0, sizeof(st));
	st.side[OLD] = old;
	st.side[NEW] = new_;
	st.addr_w = 7;
	if ((r = build(&st)) == ERR_OK) {
		switch (fmt) {
		case DIFF_JSON:
			write_json(fp, &st);
			break;
		case DIFF_CSV:
			write_csv(fp, &st);
			break;
		default:
			write_text(fp, &st);
			break;
		}
	}
	free(st.rows);
	if (r == ERR_OK && ferror(fp))
		r = ERR_IO;
	return r;
}
