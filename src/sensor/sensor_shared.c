/* sensor_shared.c - the sensors of one run on several threads (live
 * --workers): their shared tables and lock, and their counters added up. */
#include <stdlib.h>
#include <string.h>

#include "sensor_int.h"

/* Machine names learned by any worker: to the one aggregate (the lock is
 * held: the audit takes it around every call into the table). */
static void
on_names(void *arg, const struct addr *a, const uint8_t *mac,
    const struct hname *list, size_t n)
{
	struct sensor_shared *sh = arg;

	(void)aggregate_hnames(sh->agg, a, mac, list, n, false);
}

int
sensor_shared_new(struct sensor_shared **out, const struct sensor_config *cfg)
{
	struct attrib_config ac = cfg->attrib;
	struct sensor_shared *sh;
	pthread_mutexattr_t ma;

	if ((sh = calloc(1, sizeof(*sh))) == NULL)
		return ERR_NOMEM;
	/*
	 * Recursive: a worker holds it in its match hook while the
	 * aggregate asks the name table for a host's names, and the main
	 * thread holds it in its callbacks while dnstap input goes through
	 * its own sensor.
	 */
	if (pthread_mutexattr_init(&ma) != 0) {
		free(sh);
		return ERR_NOMEM;
	}
	(void)pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	if (pthread_mutex_init(&sh->lock, &ma) != 0) {
		(void)pthread_mutexattr_destroy(&ma);
		free(sh);
		return ERR_NOMEM;
	}
	(void)pthread_mutexattr_destroy(&ma);
	audit_attrib_defaults(&ac);
	if ((sh->agg = aggregate_new(cfg->max_names)) == NULL ||
	    (sh->attrib = attrib_new(&ac)) == NULL ||
	    (cfg->anon == NULL && (sh->names = hnames_new(cfg->max_name_addrs,
	    &sh->names_st, on_names, sh)) == NULL)) {
		sensor_shared_free(sh);
		return ERR_NOMEM;
	}
	aggregate_set_max_hosts(sh->agg, cfg->max_hosts);
	*out = sh;
	return ERR_OK;
}

void
sensor_shared_free(struct sensor_shared *sh)
{
	if (sh == NULL)
		return;
	hnames_free(sh->names);
	attrib_free(sh->attrib);
	aggregate_free(sh->agg);
	(void)pthread_mutex_destroy(&sh->lock);
	free(sh);
}

void
sensor_shared_lock(struct sensor_shared *sh)
{
	if (sh != NULL)
		(void)pthread_mutex_lock(&sh->lock);
}

void
sensor_shared_unlock(struct sensor_shared *sh)
{
	if (sh != NULL)
		(void)pthread_mutex_unlock(&sh->lock);
}

struct aggregate *
sensor_shared_aggregate(struct sensor_shared *sh)
{
	return sh->agg;
}

/* ---- counters added up ------------------------------------------------ */

/* Every counter of these structs is a uint64_t (stats.c's rows say so). */
_Static_assert(sizeof(struct decode_stats) % sizeof(uint64_t) == 0 &&
    sizeof(struct audit_stats) % sizeof(uint64_t) == 0 &&
    sizeof(struct flow_stats) % sizeof(uint64_t) == 0 &&
    sizeof(struct hnames_stats) % sizeof(uint64_t) == 0,
    "counters that are not all uint64_t");

static void
add_words(void *dst, const void *src, size_t size)
{
	uint64_t *d = dst;
	const uint64_t *s = src;
	size_t i;

	for (i = 0; i < size / sizeof(uint64_t); i++)
		d[i] += s[i];
}

static void
add_linktype(struct sensor_sum *sum, const struct report_linktype *lt)
{
	size_t i;

	for (i = 0; i < sum->n_lt; i++)
		if (sum->lt[i].linktype == lt->linktype) {
			sum->lt[i].packets += lt->packets;
			return;
		}
	if (sum->n_lt == SENSOR_MAX_LINKTYPES)
		return;
	/* Sorted by link type, as each sensor keeps them. */
	for (i = sum->n_lt; i > 0 && sum->lt[i - 1].linktype > lt->linktype;
	    i--)
		sum->lt[i] = sum->lt[i - 1];
	sum->lt[i] = *lt;
	sum->n_lt++;
}

static void
add_span(struct sensor_span *dst, const struct sensor_span *src)
{
	if (!src->have)
		return;
	if (!dst->have) {
		*dst = *src;
		return;
	}
	if (src->first_sec < dst->first_sec || (src->first_sec ==
	    dst->first_sec && src->first_nsec < dst->first_nsec)) {
		dst->first_sec = src->first_sec;
		dst->first_nsec = src->first_nsec;
	}
	if (src->last_sec > dst->last_sec || (src->last_sec ==
	    dst->last_sec && src->last_nsec > dst->last_nsec)) {
		dst->last_sec = src->last_sec;
		dst->last_nsec = src->last_nsec;
	}
}

void
sensor_sum_merge(struct sensor_sum *sum, const struct sensor_sum *src)
{
	size_t i;

	add_words(&sum->dec, &src->dec, sizeof(sum->dec));
	add_words(&sum->aud, &src->aud, sizeof(sum->aud));
	add_words(&sum->flow, &src->flow, sizeof(sum->flow));
	for (i = 0; i < CAT_N; i++)
		sum->by_cat[i] += src->by_cat[i];
	for (i = 0; i < src->n_lt; i++)
		add_linktype(sum, &src->lt[i]);
	add_span(&sum->span, &src->span);
}

void
sensor_sum_add(struct sensor_sum *sum, struct sensor *s)
{
	struct report_meta meta;
	const uint64_t *by_cat = sensor_by_cat(s);
	size_t i;

	memset(&meta, 0, sizeof(meta));
	sensor_meta(s, &meta);
	add_words(&sum->dec, meta.decode, sizeof(sum->dec));
	add_words(&sum->aud, meta.audit, sizeof(sum->aud));
	add_words(&sum->flow, meta.flow, sizeof(sum->flow));
	for (i = 0; i < CAT_N; i++)
		sum->by_cat[i] += by_cat[i];
	for (i = 0; i < meta.n_linktypes; i++)
		add_linktype(sum, &meta.linktypes[i]);
	add_span(&sum->span, sensor_span(s));
}

void
sensor_sum_shared(struct sensor_sum *sum, const struct sensor_shared *sh)
{
	add_words(&sum->aud.names, &sh->names_st, sizeof(sh->names_st));
}

void
sensor_sum_meta(const struct sensor_sum *sum, const struct match *m,
    struct report_meta *meta)
{
	meta->linktypes = sum->lt;
	meta->n_linktypes = sum->n_lt;
	meta->have_time = sum->span.have;
	meta->first_sec = sum->span.first_sec;
	meta->first_nsec = sum->span.first_nsec;
	meta->last_sec = sum->span.last_sec;
	meta->last_nsec = sum->span.last_nsec;
	meta->decode = &sum->dec;
	meta->audit = &sum->aud;
	meta->flow = &sum->flow;
	meta->match = m;
}
