/* aggregate_days.c - per-day history of a host's contacts: the newest
 * AGG_DAYS_MAX UTC days, oldest first, each with first/last contact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aggregate_int.h"

#define DAYS_MIN	4		/* first days array of a host */

int64_t
agg_day_of(int64_t sec)
{
	return sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
}

void
agg_day_format(int64_t day, char *buf, size_t size)
{
	struct tm tm;
	time_t t;

	buf[0] = '\0';
	if (day > INT64_MAX / 86400 || day < INT64_MIN / 86400)
		return;
	t = (time_t)(day * 86400);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d", &tm) == 0)
		buf[0] = '\0';
}

/* Whether time a (sec, nsec) is before b. */
static bool
t_before(int64_t as, uint32_t an, int64_t bs, uint32_t bn)
{
	return as < bs || (as == bs && an < bn);
}

int
agg_days_add(struct agg_day **days, size_t *n_days, size_t *cap,
    uint64_t *dropped, const struct agg_day *d)
{
	struct agg_day *v = *days, *e, *nv;
	size_t n = *n_days, i, ncap;

	/* Usually today, the last one. */
	i = n;
	while (i > 0 && v[i - 1].day > d->day)
		i--;
	if (i > 0 && v[i - 1].day == d->day) {
		e = &v[i - 1];
		if (t_before(d->first_sec, d->first_nsec, e->first_sec,
		    e->first_nsec)) {
			e->first_sec = d->first_sec;
			e->first_nsec = d->first_nsec;
		}
		if (t_before(e->last_sec, e->last_nsec, d->last_sec,
		    d->last_nsec)) {
			e->last_sec = d->last_sec;
			e->last_nsec = d->last_nsec;
		}
		e->n_obs = e->n_obs > UINT64_MAX - d->n_obs ? UINT64_MAX :
		    e->n_obs + d->n_obs;
		return ERR_OK;
	}
	if (n == AGG_DAYS_MAX) {
		(*dropped)++;
		if (i == 0)		/* older than every day kept */
			return ERR_OK;
		memmove(&v[0], &v[1], (i - 1) * sizeof(*v));
		v[i - 1] = *d;
		return ERR_OK;
	}
	if (n == *cap) {
		ncap = *cap == 0 ? DAYS_MIN : *cap * 2;
		if (ncap > AGG_DAYS_MAX)
			ncap = AGG_DAYS_MAX;
		if ((nv = realloc(v, ncap * sizeof(*v))) == NULL)
			return ERR_NOMEM;
		*days = v = nv;
		*cap = ncap;
	}
	memmove(&v[i + 1], &v[i], (n - i) * sizeof(*v));
	v[i] = *d;
	*n_days = n + 1;
	return ERR_OK;
}

void
aggregate_set_days(struct aggregate *ag, bool on)
{
	ag->days = on;
}

int
agg_host_day(struct host *h, const struct agg_ref *r)
{
	struct agg_day d;

	d.day = agg_day_of(r->ts_sec);
	d.first_sec = d.last_sec = r->ts_sec;
	d.first_nsec = d.last_nsec = r->ts_nsec;
	d.n_obs = 1;
	return agg_days_add(&h->pub.days, &h->pub.n_days, &h->days_cap,
	    &h->pub.days_dropped, &d);
}

int
agg_days_room(struct host *h, size_t more)
{
	struct agg_day *v;
	size_t need = h->pub.n_days + more;

	if (need > AGG_DAYS_MAX)
		need = AGG_DAYS_MAX;
	if (h->days_cap >= need)
		return ERR_OK;
	if ((v = realloc(h->pub.days, need * sizeof(*v))) == NULL)
		return ERR_NOMEM;
	h->pub.days = v;
	h->days_cap = need;
	return ERR_OK;
}
