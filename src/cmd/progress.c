/* progress.c - the one-line progress bar: bytes, rate, time left.
 * Owns the rate and time-left estimate; the caller draws the line. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "progress.h"

#define BAR_WIDTH	20

void
progress_start(struct progress *pg, uint64_t total, double now)
{
	memset(pg, 0, sizeof(*pg));
	pg->total = total;
	pg->start = now;
	pg->last = now;
}

bool
progress_due(const struct progress *pg, double now)
{
	return now - pg->last >= PROGRESS_PERIOD;
}

/* "812 B", "12.5 KiB", "1.2 GiB": at most 10 characters. */
static void
human_bytes(char *buf, size_t len, uint64_t n)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB",
	    "PiB", "EiB" };
	double v = (double)n;
	size_t u = 0;

	if (n < 1024) {
		snprintf(buf, len, "%" PRIu64 " B", n);
		return;
	}
	v /= 1024.0;
	while (v >= 1024.0 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, len, v < 100.0 ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

/* "950", "12.3k", "4.1M" per second. */
static void
human_rate(char *buf, size_t len, double r)
{
	if (r < 1000.0)
		snprintf(buf, len, "%.0f", r);
	else if (r < 1e6)
		snprintf(buf, len, "%.1fk", r / 1e3);
	else if (r < 1e9)
		snprintf(buf, len, "%.1fM", r / 1e6);
	else
		snprintf(buf, len, "%.1fG", r / 1e9);
}

/* "0:42", "12:05", "3:07:59"; "--:--" when unknown or absurd. */
static void
human_time(char *buf, size_t len, double s)
{
	unsigned long t;

	if (!(s >= 0.0) || s > 359999.0) {
		snprintf(buf, len, "--:--");
		return;
	}
	t = (unsigned long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, len, "%u:%02u:%02u", (unsigned)(t / 3600 % 100),
		    (unsigned)(t / 60 % 60), (unsigned)(t % 60));
	else
		snprintf(buf, len, "%u:%02u", (unsigned)(t / 60 % 60),
		    (unsigned)(t % 60));
}

const char *
progress_line(struct progress *pg, char *buf, uint64_t done,
    uint64_t packets, double now)
{
	char b1[16], b2[16], rate[16], left[16], bar[BAR_WIDTH + 1];
	double el = now - pg->start, frac, bps;
	unsigned fill, pct;

	human_bytes(b1, sizeof(b1), done);
	human_rate(rate, sizeof(rate), el > 0.0 ? (double)packets / el : 0.0);
	if (pg->total == 0) {
		snprintf(buf, PROGRESS_LINE, "%.10s read  %.8s pkt/s", b1,
		    rate);
	} else {
		frac = done >= pg->total ? 1.0 : (double)done /
		    (double)pg->total;
		pct = (unsigned)(frac * 100.0);
		fill = (unsigned)(frac * BAR_WIDTH);
		memset(bar, '#', fill);
		memset(bar + fill, '.', BAR_WIDTH - fill);
		bar[BAR_WIDTH] = '\0';
		human_bytes(b2, sizeof(b2), pg->total);
		/* Time left from the byte rate so far; none in the first
		 * second, when the rate means little. */
		bps = el > 0.0 ? (double)done / el : 0.0;
		human_time(left, sizeof(left), el >= 1.0 && bps > 0.0 ?
		    (double)(pg->total - (done < pg->total ? done :
		    pg->total)) / bps : -1.0);
		snprintf(buf, PROGRESS_LINE, "[%.20s] %3u%%  %.10s of %.10s  "
		    "%.8s pkt/s  %.8s left", bar, pct % 1000u, b1, b2, rate,
		    left);
	}
	pg->last = now;
	pg->drawn = true;
	return buf;
}
