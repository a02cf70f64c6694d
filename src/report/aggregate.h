/* aggregate.h - matched observations -> hosts, networks, resolvers, verdicts.
 * Mergeable in any order: what read, live, merge and --state all fill. */
#ifndef KASAUDIT_AGGREGATE_H
#define KASAUDIT_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"
#include "hname.h"
#include "match.h"
#include "netmap.h"
#include "obs.h"

/*
 * A host's verdict is the strongest tier of evidence it has (README,
 * "Verdicts"): every matched observation falls in one tier by its category,
 * its signature's confidence and how it was seen (agg_tier()).
 */
enum verdict {
	VERDICT_PRODUCT,	/* product-active: a product name (update, KSN,
				   activation, management) seen directly, with
				   confidence A or B */
	VERDICT_LIKELY,		/* product-likely: a product name only with
				   confidence C or only by DNS correlation;
				   or Kaspersky PKI/other names seen directly */
	VERDICT_BROWSING,	/* browsing-only: web names and nothing
				   stronger */
	VERDICT_INDIRECT,	/* indirect: only address hints (ip-prefix,
				   ksc-port) or weak correlations */
	VERDICT_MIGRATED,	/* migrated: only names of a successor
				   product (category successor, UltraAV), no
				   Kaspersky evidence at all */
	VERDICT_N
};
#define VERDICT_OTHER	VERDICT_INDIRECT	/* former name */

/* The tier one observation counts in: the verdict it alone would give. */
enum verdict	agg_tier(const struct obs *, const struct match_sig *);

/* Where and when something was first seen: enough to find the frame. */
struct agg_ref {
	const char	*file;		/* owned by the aggregate */
	uint64_t	 frame;
	int64_t		 ts_sec;
	uint32_t	 ts_nsec;
};

/* One UTC day of a host's contacts (day: days since 1970-01-01). */
struct agg_day {
	int64_t		 day;
	int64_t		 first_sec;
	int64_t		 last_sec;
	uint32_t	 first_nsec;
	uint32_t	 last_nsec;
	uint64_t	 n_obs;
};
#define AGG_DAYS_MAX	90

/*
 * Adds contacts to a host's days (from *days/n_days/cap, grown by
 * doubling up to AGG_DAYS_MAX): n_obs of them on the day of first_sec,
 * between first and last (the same day).  Over the cap the oldest day goes
 * and *dropped counts it.  ERR_NOMEM leaves the history as it was.
 */
int	agg_days_add(struct agg_day **days, size_t *n_days, size_t *cap,
	    uint64_t *dropped, const struct agg_day *d);
/* The UTC day of a time (days since 1970-01-01, floor). */
int64_t	agg_day_of(int64_t sec);
/* Its date, YYYY-MM-DD ("" if it has none); size 32 is plenty. */
void	agg_day_format(int64_t day, char *buf, size_t size);

struct agg_name {
	char			*name;
	const struct match_sig	*sig;	/* borrowed from the matcher */
	uint64_t		 count;
	unsigned		 kinds;	/* bit per enum obs_kind */
	struct agg_ref		 first;
	struct agg_ref		 last;
};

struct agg_host {
	struct addr		 addr;
	bool			 has_mac;
	uint8_t			 mac[6];	/* first seen */
	unsigned		 n_macs;	/* distinct MACs seen, capped at 8 */
	uint8_t			 n_vlan;
	uint16_t		 vlan[3];	/* first seen, outermost first */
	struct agg_ref		 first;
	struct agg_ref		 last;
	uint64_t		 n_obs;		/* matched observations */
	uint64_t		 by_cat[CAT_N];
	uint64_t		 by_kind[OBS_N];
	uint64_t		 by_tier[VERDICT_N];	/* observations per tier */
	struct agg_name		*names;		/* sorted by name after finish */
	size_t			 n_names;
	uint64_t		 names_dropped;	/* distinct names over the cap */
	enum verdict		 verdict;
	/*
	 * As a DNS server: matched responses it sent (the observations of one
	 * frame, which arrive one after the other, count once), and to how
	 * many distinct hosts.
	 */
	uint64_t		 answered;
	size_t			 answered_hosts;
	bool			 is_resolver;
	/*
	 * Hosts that reached it on Kaspersky Security Center ports; with a
	 * product verdict of its own it is a likely Administration Server.
	 */
	size_t			 ksc_agents;
	bool			 ksc_server;
	/* Blind spots: contacts that hide lookups or names (obs_blind). */
	uint64_t		 blind[BLIND_N];
	/*
	 * Observations whose client a trusted proxy named (X-Forwarded-For,
	 * Forwarded), and the proxies: the AGG_VIA_MAX lowest addresses, so
	 * that the list does not depend on the order of the input.
	 */
	uint64_t		 forwarded;
	uint8_t			 n_via;
	struct addr		 via[4];
	const struct agg_net	*net;
	/*
	 * --leases: who held the address at the time of the contacts (owned
	 * by the aggregate; NULL: no leases, or held by nobody then).  A host
	 * is its address and its subscriber: an address two subscribers held
	 * during the audit is two hosts.
	 */
	const char		*subscriber;
	/*
	 * Machine names from the wire (hname.h), newest first; hnames is
	 * NULL until the first (HNAME_MAX of them, owned by the aggregate).
	 */
	struct hname		*hnames;
	size_t			 n_hnames;
	/*
	 * Per-day history (aggregate_set_days(); live keeps it): the UTC days
	 * with contacts, oldest first, at most AGG_DAYS_MAX (the newest);
	 * days_dropped counts older days let go.  NULL until the first.
	 */
	struct agg_day		*days;
	size_t			 n_days;
	uint64_t		 days_dropped;
};
#define AGG_VIA_MAX	4

/* Adds a proxy to a host's via list (sorted, the lowest AGG_VIA_MAX). */
void	agg_via_add(struct agg_host *, const struct addr *);

struct agg_net {
	const char		*name;		/* listed name, or the CIDR */
	/* Its prefixes, ' ' between (a listed network may have several). */
	const char		*cidr;
	const char		*contacts;	/* '\n' between; "" if none */
	bool			 listed;	/* from the networks file */
	struct agg_host		**hosts;	/* offenders, by address */
	size_t			 n_hosts;
	size_t			 by_verdict[VERDICT_N];
};

struct aggregate;		/* opaque */

/*
 * max_names: distinct names kept per host, the first ones added; the rest
 * are only counted in names_dropped (as distinct names, by a 64-bit hash).
 * Everything else is independent of the order of aggregate_add() calls:
 * first/last, MAC and VLAN follow packet time (then file name and frame).
 */
struct aggregate *aggregate_new(size_t max_names);
void		  aggregate_free(struct aggregate *);	/* NULL-safe */

/*
 * At most max_hosts hosts (offenders, resolvers, blind spots together; 0:
 * no cap).  Observations of hosts over the cap are refused and counted in
 * aggregate_refused() and aggregate_hosts_refused().
 */
void		  aggregate_set_max_hosts(struct aggregate *, size_t max_hosts);
/* Whether hosts keep a per-day history (agg_host days; default off). */
void		  aggregate_set_days(struct aggregate *, bool on);
uint64_t	  aggregate_hosts_refused(const struct aggregate *);

/*
 * --leases: each observation's client (and server) is looked up in lt at
 * the observation's time; the host is keyed by address and subscriber.
 * lt is borrowed until the next call or aggregate_free() (subscribers are
 * copied); NULL stops the lookups.  Contacts of clients that held no lease
 * then are kept (subscriber NULL) and counted in aggregate_no_lease().
 */
struct leases;
void		  aggregate_set_leases(struct aggregate *, const struct leases *);
uint64_t	  aggregate_no_lease(const struct aggregate *);
/* Matched observations of the hosts of no subscriber (for merge). */
void		  aggregate_add_no_lease(struct aggregate *, uint64_t n);
/* Whether any host has a subscriber (from leases or merged reports). */
bool		  aggregate_has_subscribers(const struct aggregate *);

/*
 * --group-by subscriber: aggregate_finish() groups the offenders that have
 * a subscriber into one network each, named by the subscriber, with its
 * contact from lt (the TSV's fifth column; lt may be NULL) and the hosts'
 * addresses as its prefixes; the others are grouped as without it.
 */
void		  aggregate_group_by_subscriber(struct aggregate *, bool on,
		    const struct leases *lt);

/*
 * Adds one matched observation: the client is the offender; for a
 * dns-answer the server is also recorded as a DNS server that answered.
 * ERR_NOMEM when a table could not grow (the observation is counted in
 * aggregate_refused() and leaves no other trace).  ERR_MALFORMED, not
 * counted, without a sig, a name or an IPv4/IPv6 client.  A NUL ends the
 * name early.
 */
int	aggregate_add(struct aggregate *, const struct obs *,
	    const struct match_sig *);

/*
 * Counts a blind spot of obs->client (DoT, DoH, ECH).  A host with blind
 * spots and no matched observation is not an offender: it is listed among
 * the hosts whose lookups the audit could not see.
 */
int	aggregate_blind(struct aggregate *, const struct obs *,
	    enum obs_blind);

/*
 * Sorts and groups everything for the writers: hosts that answered matched
 * queries go to the resolver list, the rest are offenders grouped into
 * networks by nm (may be NULL) or else by prefix (v4_plen, v6_plen).  Call
 * once, after the last aggregate_add().
 */
int	aggregate_finish(struct aggregate *, const struct netmap *nm,
	    unsigned v4_plen, unsigned v6_plen);

/*
 * Valid after aggregate_finish() until the next aggregate_add() or
 * aggregate_finish() (adding after a finish is allowed: finish again before
 * reading).  Networks sorted listed first, then by prefix; their strings
 * are copies, so nm need not outlive the finish.
 */
size_t			 aggregate_n_nets(const struct aggregate *);
const struct agg_net	*aggregate_net(const struct aggregate *, size_t i);
size_t			 aggregate_n_hosts(const struct aggregate *);
size_t			 aggregate_n_resolvers(const struct aggregate *);
const struct agg_host	*aggregate_resolver(const struct aggregate *, size_t i);
uint64_t		 aggregate_refused(const struct aggregate *);
/* Hosts with blind spots and no match, by address; totals per blind spot. */
size_t			 aggregate_n_blind(const struct aggregate *);
const struct agg_host	*aggregate_blind_host(const struct aggregate *,
			    size_t i);
uint64_t		 aggregate_blind_total(const struct aggregate *,
			    enum obs_blind);
size_t			 aggregate_by_verdict(const struct aggregate *,
			    enum verdict);

const char	*verdict_name(enum verdict);	/* "product-active", ... */

/*
 * Whether the host contacted a successor product (category successor):
 * with verdict migrated it did nothing else; with a Kaspersky verdict it
 * runs both, or is part way through the move.
 */
bool		 agg_host_migrated(const struct agg_host *);

/*
 * Puts the machine names list[0..n) (hname_put()) on the host of addr,
 * made when missing only with `create` (a matched client; else
 * ERR_NOTFOUND).  mac is whose names they are (NULL: not known): a host
 * whose names came from another MAC drops them first, the address
 * changed hands.  ERR_NOMEM leaves the host as it was.
 */
int	aggregate_hnames(struct aggregate *, const struct addr *,
	    const uint8_t *mac, const struct hname *list, size_t n,
	    bool create);

/*
 * The client host of the last aggregate_add() that took its observation
 * (NULL if the last one refused it), for the events: who held the address
 * then and what the machine is called.  Valid until the next call that
 * adds a host, or aggregate_finish().
 */
const struct agg_host	*aggregate_last(const struct aggregate *);

/*
 * The newest name a machine gave itself that a person knows it by: a host
 * name, an FQDN, a PTR of its own address, a NetBIOS workstation or server
 * name; never a client id, vendor class, workgroup or User-Agent.  NULL if
 * it gave none.
 */
const char	*agg_host_machine_name(const struct agg_host *);

/* ---- whole hosts: merged reports and restored state (load.c) ---------- */

/*
 * Counts merged from reports stay at or below this, so that what is written
 * can be read back (JSON readers, jansson among them, stop at 2^63 - 1).
 */
#define AGG_COUNT_MAX	((uint64_t)INT64_MAX)

/*
 * Adds whole host records, as a report gives them, to the hosts of the same
 * addresses.  Counts are added (observations, categories, kinds, tiers,
 * blind spots, answered); first/last are widened; names are joined by name
 * (counts added, kinds or'ed, first/last widened; the signature of the
 * earlier first sighting names it, ties by signature).  names_dropped,
 * answered_hosts and ksc_agents count distinct names or hosts that reports
 * do not list, so the same ones may be behind two records: the largest is
 * kept, a lower bound.  The MAC and VLAN of the record with the earliest
 * first_seen win (a record seen at no time loses; ties by the bytes);
 * macs_seen becomes the largest given, and at least 2 when two records'
 * MACs differ.  Every rule is commutative and associative, so the result
 * does not depend on the order of the records or of the calls.  No
 * max_names cap here (where it cut would depend on the order): call
 * aggregate_trim_names() after the last merge.
 *
 * Read from each record: addr, subscriber (hosts are keyed by both), has_mac, mac, n_macs (has_mac iff n_macs >
 * 0, at most 8), n_vlan (at most 3), vlan, first and last (only when n_obs
 * > 0), n_obs, by_cat, by_kind, by_tier, blind, names and n_names (distinct
 * names, each with a sig and first/last), names_dropped, answered,
 * answered_hosts, ksc_agents; the rest is ignored.  All of it is borrowed
 * for the call: the aggregate copies the names, file names and signatures
 * (interned: equal signatures share one copy, which the aggregate owns).
 * refused is added to aggregate_refused().
 *
 * All or nothing: ERR_MALFORMED (a bad record, an address given twice, a
 * sum over AGG_COUNT_MAX), ERR_FULL (more hosts than the max_hosts cap) or
 * ERR_NOMEM leave the aggregate as the writers see it.  What reports do not carry is not restored: aggregate_add() after
 * a merge counts again the hosts a resolver answered or a Security Center
 * reached before, and the names dropped before.
 */
int	aggregate_merge(struct aggregate *, const struct agg_host *recs,
	    size_t n_recs, uint64_t refused);

/*
 * Keeps, of every host's names, the max_names with the earliest first seen
 * (ties by name); the others are added to names_dropped and remembered, as
 * aggregate_add() remembers what it drops, when memory allows.  Call after
 * the last aggregate_merge(), before aggregate_finish().
 */
void	aggregate_trim_names(struct aggregate *, size_t max_names);

/*
 * Points every name at the aggregate's own copy of its signature, so that
 * the matcher they came from may be freed (a reload of the signature
 * files).  ERR_NOMEM changes nothing.
 */
int	aggregate_own_sigs(struct aggregate *);

#endif
