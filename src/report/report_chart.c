/* report_chart.c - the HTML report's two SVG charts: offending hosts per
 * network (bars by verdict) and the timeline of contacts per host. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#define CHART_NETS	25	/* bars in the chart; the rest are counted */
#define TIMELINE_HOSTS	60	/* rows in the timeline */
#define LABEL_COLS	26	/* characters of a label in a chart */
#define SVG_W		1040

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void
html_str(FILE *fp, const char *s)
{
	if (s != NULL)
		report_html_strn(fp, s, strlen(s));
}

static void
html_addr(FILE *fp, const struct addr *a)
{
	char ab[ADDR_STRLEN];

	html_str(fp, addr_fmt(a, ab));
}

static void
html_time(FILE *fp, int64_t sec, uint32_t nsec)
{
	char tb[REPORT_TIME_LEN];

	html_str(fp, report_time(tb, sec, nsec));
}

/* Networks by offenders, most first (ties keep the report's order). */
struct bar {
	const struct agg_net	*net;
	size_t			 order;
};

static int
bar_cmp(const void *a, const void *b)
{
	const struct bar *x = a, *y = b;

	if (x->net->n_hosts != y->net->n_hosts)
		return x->net->n_hosts > y->net->n_hosts ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* The verdicts' colours; migrated (not Kaspersky) only when present. */
static void
legend(FILE *fp, double x, double y, bool migrated)
{
	unsigned v;

	for (v = 0; v < VERDICT_N; v++) {
		if (v == VERDICT_MIGRATED && !migrated)
			continue;
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" "
		    "height=\"12\" rx=\"2\" fill=\"%s\"/><text x=\"%.1f\" "
		    "y=\"%.1f\">%s</text>\n", x, y,
		    report_html_colour((enum verdict)v), x + 17.0, y + 10.5,
		    verdict_name((enum verdict)v));
		x += 130.0;
	}
}

/* Horizontal bars, one per network, split by verdict. */
void
report_html_bars(FILE *fp, const struct aggregate *ag,
    const struct agg_net *only)
{
	const double lab = 230.0, right = 60.0, row = 24.0, top = 34.0;
	size_t n = only ? 1 : aggregate_n_nets(ag), shown, i, max = 1;
	size_t by[VERDICT_N] = { 0 };
	double x, w, scale, h;
	struct bar *bars;
	unsigned v;

	fputs("<h2>Offending hosts per network</h2>\n<div class=\"box\">\n",
	    fp);
	if (n == 0) {
		fputs("<p class=\"note\">No host contacted a name in the "
		    "signature sets.</p>\n</div>\n", fp);
		return;
	}
	if ((bars = calloc(n, sizeof(*bars))) == NULL) {
		fputs("<p class=\"note\">(out of memory for the chart)</p>\n"
		    "</div>\n", fp);
		return;
	}
	for (i = 0; i < n; i++) {
		bars[i].net = only ? only : aggregate_net(ag, i);
		bars[i].order = i;
		if (bars[i].net->n_hosts > max)
			max = bars[i].net->n_hosts;
		for (v = 0; v < VERDICT_N; v++)
			by[v] += bars[i].net->by_verdict[v];
	}
	if (max == 1) {
		/* Bars of equal length would say nothing: say it in words. */
		if (n == 1)
			fputs("<p class=\"note\">One network, with one "
			    "offending host (", fp);
		else
			fprintf(fp, "<p class=\"note\">Each of the %zu "
			    "networks has one offending host, so there is no "
			    "chart (", n);
		for (v = 0, i = 0; v < VERDICT_N; v++)
			if (by[v] > 0)
				fprintf(fp, "%s%zu %s", i++ ? ", " : "", by[v],
				    verdict_name((enum verdict)v));
		fputs("); the tables below list them.</p>\n</div>\n", fp);
		free(bars);
		return;
	}
	qsort(bars, n, sizeof(*bars), bar_cmp);
	shown = n < CHART_NETS ? n : CHART_NETS;
	h = top + row * (double)shown + 8.0;
	scale = ((double)SVG_W - lab - right) / (double)max;
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\" "
	    "aria-label=\"Offending hosts per network, by verdict\">\n",
	    SVG_W, h, SVG_W, h);
	legend(fp, lab, 4.0, by[VERDICT_MIGRATED] > 0);
	for (i = 0; i < shown; i++) {
		const struct agg_net *net = bars[i].net;
		double y = top + row * (double)i;

		fputs("<g><title>", fp);
		html_str(fp, net->name);
		fprintf(fp, " (%zu %s)</title>\n<text x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"end\">", net->n_hosts,
		    plural(net->n_hosts, "host", "hosts"), lab - 8.0,
		    y + 14.0);
		report_html_cut(fp, net->name, LABEL_COLS);
		fputs("</text>\n", fp);
		x = lab;
		for (v = 0; v < VERDICT_N; v++) {
			if (net->by_verdict[v] == 0)
				continue;
			w = scale * (double)net->by_verdict[v];
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
			    x, y + 3.0, w, row - 7.0,
			    report_html_colour((enum verdict)v));
			x += w;
		}
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">%zu</text></g>\n",
		    x + 6.0, y + 14.0, net->n_hosts);
	}
	fprintf(fp, "<line class=\"ax\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\"/>\n</svg>\n", lab, top - 2.0, lab, h - 6.0);
	if (shown < n)
		fprintf(fp, "<p class=\"note\">The %zu networks with the most "
		    "offending hosts; %zu more in the tables below.</p>\n",
		    shown, n - shown);
	fputs("</div>\n", fp);
	free(bars);
}

static double
secs(const struct agg_ref *r)
{
	return (double)r->ts_sec + (double)r->ts_nsec / 1e9;
}

static int
host_first_cmp(const void *a, const void *b)
{
	const struct agg_host *x = *(const struct agg_host *const *)a;
	const struct agg_host *y = *(const struct agg_host *const *)b;

	if (x->first.ts_sec != y->first.ts_sec)
		return x->first.ts_sec < y->first.ts_sec ? -1 : 1;
	if (x->first.ts_nsec != y->first.ts_nsec)
		return x->first.ts_nsec < y->first.ts_nsec ? -1 : 1;
	return addr_cmp(&x->addr, &y->addr);
}

/* Splits t into whole seconds (clamped into int64) and a fraction. */
static int64_t
split_secs(double t, double *frac)
{
	double fl = t < 0.0 ? t - 1.0 : t;
	int64_t s;

	/* Ticks are doubles: at the ends of int64 (or NaN) they fall outside
	 * it, and converting them back would be undefined.  2^63 itself is
	 * not an int64, hence the strict bound. */
	if (!(fl > -9223372036854775808.0))
		fl = -9223372036854774784.0;	/* the least double above */
	else if (!(fl < 9223372036854775808.0))
		fl = 9223372036854774784.0;	/* the largest below 2^63 */
	s = (int64_t)fl;
	*frac = t - (double)s;
	if (!(*frac >= 0.0 && *frac < 1.0))
		*frac = 0.0;
	return s;
}

/*
 * Tick steps, seconds: 1-2-5 below a second, then whole seconds, minutes,
 * hours and days of the clock.  The axis takes the smallest step that
 * gives at most five intervals; past the table it splits the span in four.
 */
static const double steps[] = {
	1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4,
	1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2, 0.5,
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
	3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 1209600,
	2592000, 7776000, 15552000, 31536000, 63072000, 157680000, 315360000,
};

static double
tick_step(double span)
{
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] <= 5.0)
			return steps[i];
	return span / 4.0;
}

/* The first multiple of step at or after t (t itself when out of range). */
static double
tick_first(double t, double step)
{
	double q = t / step, fl;

	if (!(q > -9e15 && q < 9e15))
		return t;
	fl = (double)(int64_t)q;
	if (fl < q)
		fl += 1.0;
	return fl * step;
}

/*
 * A tick's label in the step's unit: microseconds or milliseconds under a
 * second, then seconds, minutes, days.  The date is in the caption; a tick
 * whose date is not the previous one's (day, a 10-byte "YYYY-MM-DD") says
 * it, so a span across midnight is not read as one day.
 */
static void
tick_label(FILE *fp, double t, double step, char *day)
{
	char tb[REPORT_TIME_LEN];
	unsigned dec = step < 1e-3 ? 6 : step < 1.0 ? 3 : 0;
	uint64_t v, scale = dec == 6 ? 1000000 : dec == 3 ? 1000 : 1;
	double frac;
	int64_t s;

	s = split_secs(t, &frac);
	v = (uint64_t)(frac * (double)scale + 0.5);
	if (v >= scale && s < INT64_MAX) {
		s++;
		v = 0;
	}
	report_time(tb, s, 0);
	if (tb[0] == '@') {
		report_html_strn(fp, tb, strlen(tb));
		return;
	}
	if (step >= 86400.0) {
		fprintf(fp, step >= 2592000.0 ? "%.10s" : "%.5s", step >=
		    2592000.0 ? tb : tb + 5);
		return;
	}
	if (strncmp(day, tb, 10) != 0)
		fprintf(fp, "%.5s ", tb + 5);
	memcpy(day, tb, 10);
	if (step >= 60.0)
		fprintf(fp, "%.5s", tb + 11);
	else if (dec == 0)
		fprintf(fp, "%.8s", tb + 11);
	else
		fprintf(fp, "%.8s.%0*" PRIu64, tb + 11, (int)dec, v);
}

/*
 * "Time (UTC): 2024-10-01" or "... 2024-10-01 to 2024-10-03"; day gets
 * the first date, for tick_label().
 */
static void
axis_caption(FILE *fp, double t0, double t1, double x, double y, char *day)
{
	char a[REPORT_TIME_LEN], b[REPORT_TIME_LEN];
	double frac;

	report_time(a, split_secs(t0, &frac), 0);
	report_time(b, split_secs(t1, &frac), 0);
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" class=\"cap\">Time "
	    "(UTC): ", x, y);
	if (a[0] == '@' || b[0] == '@')
		fputs("outside the calendar", fp);
	else if (strncmp(a, b, 10) != 0)
		fprintf(fp, "%.10s to %.10s", a, b);
	else
		fprintf(fp, "%.10s", a);
	fputs("</text>\n", fp);
	memcpy(day, a, 10);
}

/*
 * One row per host (the earliest contacts first): a line from its first to
 * its last matched observation over the time the capture spans.
 */
void
report_html_timeline(FILE *fp, const struct aggregate *ag,
    const struct report_meta *meta, const struct agg_net *only)
{
	const double right = 50.0, row = 16.0, top = 34.0;
	const struct agg_host **hs;
	const struct agg_net *net;
	char ab[ADDR_STRLEN], day[10];
	size_t n = 0, i, j, shown, cols = 12;
	double t0 = 0.0, t1 = 0.0, span, h, x0, x1, y, pw, lab, step, first;
	unsigned k;

	n = only ? only->n_hosts : aggregate_n_hosts(ag);
	fputs("<h2>Timeline of contacts</h2>\n<div class=\"box\">\n", fp);
	if (n == 0) {
		fputs("<p class=\"note\">No contacts.</p>\n</div>\n", fp);
		return;
	}
	if ((hs = calloc(n, sizeof(*hs))) == NULL) {
		fputs("<p class=\"note\">(out of memory for the chart)</p>\n"
		    "</div>\n", fp);
		return;
	}
	n = 0;
	for (i = 0; i < aggregate_n_nets(ag); i++) {
		net = aggregate_net(ag, i);
		if (only != NULL && net != only)
			continue;
		for (j = 0; j < net->n_hosts; j++)
			hs[n++] = net->hosts[j];
	}
	qsort(hs, n, sizeof(*hs), host_first_cmp);
	if (meta->have_time) {
		t0 = (double)meta->first_sec + (double)meta->first_nsec / 1e9;
		t1 = (double)meta->last_sec + (double)meta->last_nsec / 1e9;
	}
	/* The hosts' own times widen the span (a merged or odd report). */
	for (i = 0; i < n; i++) {
		if (!meta->have_time && i == 0) {
			t0 = secs(&hs[i]->first);
			t1 = secs(&hs[i]->last);
		}
		if (secs(&hs[i]->first) < t0)
			t0 = secs(&hs[i]->first);
		if (secs(&hs[i]->last) > t1)
			t1 = secs(&hs[i]->last);
	}
	span = t1 - t0;
	shown = n < TIMELINE_HOSTS ? n : TIMELINE_HOSTS;
	/* Room for the longest address (monospace, 7.6 px a character at
	 * 12.5 px): a full IPv6 address is 39 characters. */
	for (i = 0; i < shown; i++)
		if (strlen(addr_fmt(&hs[i]->addr, ab)) > cols)
			cols = strlen(ab);
	lab = 16.0 + 7.6 * (double)cols;
	pw = (double)SVG_W - lab - right;
	h = top + row * (double)shown + 46.0;
	fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" role=\"img\" "
	    "aria-label=\"First to last contact per host\">\n", SVG_W, h,
	    SVG_W, h);
	for (i = 0, j = 0; i < shown; i++)
		j += hs[i]->verdict == VERDICT_MIGRATED;
	legend(fp, lab, 4.0, j > 0);
	/* Axis, ticks at round times, and the date(s) under them. */
	fprintf(fp, "<line class=\"ax\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\"/>\n", lab, h - 40.0, lab + pw, h - 40.0);
	axis_caption(fp, t0, t1, lab, h - 4.0, day);
	step = tick_step(span);
	first = span > 0.0 ? tick_first(t0, step) : t0;
	for (k = 0; k < 7; k++) {
		double t = first + step * (double)k, x;

		if (k > 0 && (span <= 0.0 || t > t1 + step * 1e-6))
			break;
		x = span > 0.0 ? lab + pw * (t - t0) / span : lab + pw / 2.0;
		fprintf(fp, "<line class=\"ax\" x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\" stroke-dasharray=\"2,3\"/>\n"
		    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x,
		    top - 4.0, x, h - 36.0, x, h - 22.0);
		tick_label(fp, t, span > 0.0 ? step : 1e-3, day);
		fputs("</text>\n", fp);
	}
	for (i = 0; i < shown; i++) {
		const struct agg_host *hh = hs[i];
		const char *c = report_html_colour(hh->verdict);

		y = top + row * (double)i + row / 2.0;
		x0 = span > 0.0 ? lab + pw * (secs(&hh->first) - t0) / span :
		    lab + pw / 2.0;
		x1 = span > 0.0 ? lab + pw * (secs(&hh->last) - t0) / span :
		    lab + pw / 2.0;
		fputs("<g><title>", fp);
		html_addr(fp, &hh->addr);
		fputs(": ", fp);
		html_time(fp, hh->first.ts_sec, hh->first.ts_nsec);
		fputs(" .. ", fp);
		html_time(fp, hh->last.ts_sec, hh->last.ts_nsec);
		fprintf(fp, " (%" PRIu64 " %s)</title>\n<text x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"end\" class=\"mono\">",
		    hh->n_obs, plural(hh->n_obs, "match", "matches"),
		    lab - 8.0, y + 4.0);
		html_addr(fp, &hh->addr);
		fprintf(fp, "</text>\n<line x1=\"%.1f\" y1=\"%.1f\" "
		    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"4\" "
		    "stroke-linecap=\"round\"/>\n<circle cx=\"%.1f\" "
		    "cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n<circle cx=\"%.1f\" "
		    "cy=\"%.1f\" r=\"4\" fill=\"%s\"/></g>\n", x0, y, x1, y, c,
		    x0, y, c, x1, y, c);
	}
	fputs("</svg>\n", fp);
	if (shown < n)
		fprintf(fp, "<p class=\"note\">The %zu hosts with the earliest "
		    "contacts; %zu more in the tables below.</p>\n", shown,
		    n - shown);
	fputs("</div>\n", fp);
	free(hs);
}

