/* aggregate_sub.c - subscribers (--leases): who held a host's address at
 * the time of its contacts, interned once; --group-by subscriber. */
#include <stdlib.h>
#include <string.h>

#include "aggregate_int.h"
#include "leases.h"

void
aggregate_set_leases(struct aggregate *ag, const struct leases *lt)
{
	ag->leases = lt;
}

uint64_t
aggregate_no_lease(const struct aggregate *ag)
{
	return ag->no_lease;
}

bool
aggregate_has_subscribers(const struct aggregate *ag)
{
	return ag->n_subs > 0;
}

void
aggregate_add_no_lease(struct aggregate *ag, uint64_t n)
{
	ag->no_lease = n > AGG_COUNT_MAX - ag->no_lease ? AGG_COUNT_MAX :
	    ag->no_lease + n;
}

void
aggregate_group_by_subscriber(struct aggregate *ag, bool on,
    const struct leases *lt)
{
	ag->by_sub = on;
	ag->group_leases = lt;
}

static size_t
sub_slot(const char *const *t, size_t cap, const char *name)
{
	size_t j = hash_bytes(name, strlen(name)) & (cap - 1);

	while (t[j] != NULL && strcmp(t[j], name) != 0)
		j = (j + 1) & (cap - 1);
	return j;
}

const char *
agg_sub_intern(struct aggregate *ag, const char *name, int *r)
{
	const char **t;
	size_t cap, i, j;
	char *s;

	if (name == NULL)
		return NULL;
	if (too_full(ag->n_subs + 1, ag->subs_cap)) {
		cap = ag->subs_cap ? ag->subs_cap * 2 : SET_MIN;
		if ((t = calloc(cap, sizeof(*t))) == NULL)
			goto nomem;
		for (i = 0; i < ag->subs_cap; i++)
			if (ag->subs[i] != NULL)
				t[sub_slot(t, cap, ag->subs[i])] = ag->subs[i];
		free(ag->subs);
		ag->subs = t;
		ag->subs_cap = cap;
	}
	j = sub_slot(ag->subs, ag->subs_cap, name);
	if (ag->subs[j] != NULL)
		return ag->subs[j];
	if ((s = agg_arena_dup(ag, name, strlen(name))) == NULL)
		goto nomem;
	ag->subs[j] = s;
	ag->n_subs++;
	return s;
nomem:
	*r = ERR_NOMEM;
	return NULL;
}

int
agg_sub_at(struct aggregate *ag, const struct addr *a, int64_t ts,
    const char **sub)
{
	const struct lease_sub *ls;
	int r = ERR_OK;

	*sub = NULL;
	if (ag->leases == NULL ||
	    (ls = leases_find(ag->leases, a, ts)) == NULL)
		return ERR_OK;
	*sub = agg_sub_intern(ag, ls->name, &r);
	return r;
}
