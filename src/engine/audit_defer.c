/* audit_defer.c - live --workers: a contact without a name that no DNS
 * answer explains yet, looked up again once every worker has read past it.
 *
 * The sockets of `live --workers` hand a DNS answer and the connection it
 * explains (two flows) to any two workers, and the kernel delivers each
 * socket's packets in blocks: the connection can reach its worker before
 * the answer has reached the other's (run-live-workers replays such
 * pairs; without this queue a quarter of them went unexplained).  So a
 * worker does not give up on a miss: the contact waits in a FIFO of fixed
 * size, and the worker looks it up again when the loop says that every
 * worker has read all packets up to its time (live_workers.c computes that
 * horizon).  Explained then, it is the dns-correlated match it would have
 * been at once, without its packet (as for a flow flushed at the end).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit_int.h"

struct defer_ent {
	struct obs	 o;
	struct encap	 encap[ENCAP_MAX];
	unsigned	 flags;
	int64_t		 queued_ns;	/* CLOCK_MONOTONIC */
};

int64_t
audit_defer_clock(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct defer_ent *
audit_defer_new(size_t n)
{
	return calloc(n, sizeof(struct defer_ent));
}

bool
audit_defer_put(struct audit *a, const struct obs *o, unsigned flags)
{
	struct defer_ent *e;
	size_t n;

	if (a->defer_n == a->cfg.defer_max) {
		a->st.correlate_refused++;
		return false;
	}
	e = &a->defer[(a->defer_head + a->defer_n) % a->cfg.defer_max];
	a->defer_n++;
	e->o = *o;
	n = o->n_encap < ENCAP_MAX ? o->n_encap : ENCAP_MAX;
	if (n > 0)
		memcpy(e->encap, o->encap, n * sizeof(e->encap[0]));
	e->o.n_encap = (uint8_t)n;
	e->o.encap = e->encap;
	e->flags = flags;
	e->queued_ns = audit_defer_clock();
	a->st.correlate_deferred++;
	return true;
}

void
audit_defer_run(struct audit *a, int64_t h_sec, uint32_t h_nsec,
    int64_t stale_ns, bool all)
{
	char name[DNS_NAME_LEN];
	struct attrib_hit hit;
	struct defer_ent *e;
	int r;

	while (a->defer_n > 0) {
		e = &a->defer[a->defer_head];
		/* In queue order: one that waits holds the later ones
		 * back, until it is stale. */
		if (!all && (e->o.ts_sec > h_sec || (e->o.ts_sec == h_sec &&
		    e->o.ts_nsec > h_nsec)) && e->queued_ns > stale_ns)
			break;
		a->defer_head = (a->defer_head + 1) % a->cfg.defer_max;
		a->defer_n--;
		audit_lock(a);
		if ((r = attrib_lookup(a->attrib, &e->o.client, &e->o.server,
		    e->o.ts_sec, &hit)) == ERR_OK)
			snprintf(name, sizeof(name), "%s", hit.name);
		audit_unlock(a);
		if (r != ERR_OK)
			continue;
		hit.name = name;
		a->st.correlate_late++;
		audit_correlate_emit(a, &e->o, &hit, e->flags);
	}
}
