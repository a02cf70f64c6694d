/* aggregate_hnames.c - machine names on the aggregate's hosts: the newest
 * HNAME_MAX, only of the MAC that holds the address. */
#include <stdlib.h>
#include <string.h>

#include "aggregate_int.h"

int
agg_hnames_room(struct host *h)
{
	if (h->pub.hnames == NULL &&
	    (h->pub.hnames = calloc(HNAME_MAX, sizeof(*h->pub.hnames))) ==
	    NULL)
		return ERR_NOMEM;
	return ERR_OK;
}

void
agg_hnames_put(struct host *h, const struct hname *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		(void)hname_put(h->pub.hnames, &h->pub.n_hnames, &list[i]);
}

/* The host of a and sub, or NULL (agg_host_get() without making it). */
static struct host *
host_lookup(const struct aggregate *ag, const struct addr *a,
    const char *sub)
{
	struct host *h;
	size_t j;

	if (ag->htab_cap == 0)
		return NULL;
	j = hash_host(a, sub) & (ag->htab_cap - 1);
	for (; ag->htab[j] != 0; j = (j + 1) & (ag->htab_cap - 1)) {
		h = host_at(ag, ag->htab[j] - 1);
		if (addr_eq(&h->pub.addr, a) && h->pub.subscriber == sub)
			return h;
	}
	return NULL;
}

/* Whether the host was ever seen with mac (or cannot tell). */
static bool
host_had_mac(const struct host *h, const uint8_t *mac)
{
	unsigned i;

	if (mac == NULL || !h->pub.has_mac)
		return true;
	for (i = 0; i < h->pub.n_macs && i < MAX_MACS; i++)
		if (memcmp(h->macs[i], mac, 6) == 0)
			return true;
	return false;
}

int
aggregate_hnames(struct aggregate *ag, const struct addr *a,
    const uint8_t *mac, const struct hname *list, size_t n, bool create)
{
	struct host *h;
	const char *sub;
	int64_t ts;
	size_t i;
	int r;

	if (n == 0)
		return ERR_OK;
	/* With --leases a host is its address and who held it: the one
	 * who held it when the newest of these names was heard. */
	for (i = 1, ts = list[0].last_sec; i < n; i++)
		if (list[i].last_sec > ts)
			ts = list[i].last_sec;
	if ((r = agg_sub_at(ag, a, ts, &sub)) != ERR_OK)
		return r;
	if (create) {
		if ((r = agg_host_get(ag, a, sub, &i)) != ERR_OK)
			return r;
		h = host_at(ag, i);
	} else if ((h = host_lookup(ag, a, sub)) == NULL ||
	    !host_had_mac(h, mac))
		return ERR_NOTFOUND;
	if (agg_hnames_room(h) != ERR_OK)
		return ERR_NOMEM;
	if (mac != NULL) {
		/* The address changed hands: the last owner's names go. */
		if (h->hn_has_mac && memcmp(h->hn_mac, mac, 6) != 0)
			h->pub.n_hnames = 0;
		h->hn_has_mac = true;
		memcpy(h->hn_mac, mac, 6);
	}
	agg_hnames_put(h, list, n);
	return ERR_OK;
}

const char *
agg_host_machine_name(const struct agg_host *h)
{
	size_t i;

	for (i = 0; h != NULL && i < h->n_hnames; i++)
		switch (h->hnames[i].type) {
		case HT_HOSTNAME:
		case HT_FQDN:
		case HT_PTR:
		case HT_NB_WORKSTATION:
		case HT_NB_SERVER:
			return h->hnames[i].name;
		default:
			break;
		}
	return NULL;
}
