/* load_int.h - what load.c, load_hosts.c and load_meta.c share (not an
 * interface): one report as read, the sums, the reading helpers. */
#ifndef KASAUDIT_LOAD_INT_H
#define KASAUDIT_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "load.h"

#define LOAD_PATH_LEN	160		/* JSON path in messages */
#define LOAD_STR_MAX	4096		/* patterns, sources, file names */

struct pchunk;				/* strings, defined in load_meta.c */

/* ---- the statistics -------------------------------------------------- */

/* Everything summed so far; rebuilt whole by each load, then swapped in. */
struct lsum {
	size_t			 n_reports;
	struct report_file	*files;
	size_t			 n_files;
	struct report_linktype	*lts;
	size_t			 n_lts;
	struct load_sigset	*sets;
	size_t			 n_sets;
	uint64_t		 packets, bytes;
	bool			 have_time;
	int64_t			 first_sec, last_sec;
	uint32_t		 first_nsec, last_nsec;
	const char		*filter;	/* NULL: none */
	bool			 plen_mixed;
	bool			 anonymized;	/* addresses are pseudonyms */
	unsigned		 v4_plen, v6_plen;
	uint64_t		 max_names;
	struct decode_stats	 decode;
	struct audit_stats	 audit;
	struct flow_stats	 flow;
	bool			 have_flow;
};

struct load_stats {
	struct pchunk	*pool;
	struct lsum	 sum;
	/* Each loaded report's inputs, as one hash (load.c, check_counted). */
	uint64_t	*fps;
	size_t		 n_fps, cap_fps;
};

/* ---- one report as read: borrowed from the JSON tree ------------------ */

struct finput {
	const char	*path;
	const char	*format;	/* NULL: null */
	const char	*error;
	uint64_t	 packets, bytes, filtered, unsupported;
	bool		 complete;
};

struct flt {
	int		 linktype;
	const char	*name;
	uint64_t	 packets;
	bool		 supported;
};

struct fsig {
	const char	*name;
	uint64_t	 count;
};

/* Where a host record came from, for messages. */
struct where {
	const char	*list;		/* "networks", "resolvers", ... */
	size_t		 i, j;
	bool		 nested;	/* networks[i].hosts[j] */
};

struct freport {
	struct finput	*inputs;
	size_t		 n_inputs;
	const char	**paths;	/* input paths, sorted */
	const char	**more;		/* other files REFs name, sorted */
	size_t		 n_more;
	bool		 more_owned;	/* more[] copies: freed with fr */
	struct flt	*lts;
	size_t		 n_lts;
	struct fsig	*sets;
	size_t		 n_sets;
	struct lsum	 sum;		/* this report's scalars and counters */
	uint64_t	 refused;
	uint64_t	 no_lease;	/* leases.no_lease */
	struct agg_host	*recs;
	struct where	*where;
	size_t		 n_recs, recs_cap;
};

/* ---- messages -------------------------------------------------------- */

struct lctx {
	const char	*label;
	char		*errbuf;
	char		 path[LOAD_PATH_LEN];
	size_t		 plen;
	struct freport	*fr;
};

/* ---- load.c: messages, typed members --------------------------------- */

/* A member is required unless LOAD_OPT; it may be null with LOAD_NUL. */

#define LOAD_OPT	1u
#define LOAD_NUL	2u

/* Appends to c->path; load_pop(c, mark) with the mark it returns undoes it. */
size_t	load_push(struct lctx *c, const char *fmt, ...);
void	load_pop(struct lctx *c, size_t mark);
/* s fit for a terminal: printable ASCII, at most 40 characters. */
const char *load_safe(char *buf, size_t size, const char *s);
/* Write "label: path.key: what" to c->errbuf; return ERR_MALFORMED. */
int	load_fail(struct lctx *c, const char *key, const char *fmt, ...);
/* Write "label: out of memory"; return ERR_NOMEM. */
int	load_fail_nomem(struct lctx *c);

/* Each ERR_OK or, with c->errbuf written, ERR_MALFORMED.  *out is 0, false,
 * NULL when the member is absent or null (if allowed); strings and JSON
 * values are borrowed from the tree. */
int	load_member(struct lctx *c, json_t *o, const char *key, unsigned fl,
	    json_t **out);
int	load_get_u64(struct lctx *c, json_t *o, const char *key, unsigned fl,
	    uint64_t *out);
int	load_get_bool(struct lctx *c, json_t *o, const char *key, unsigned fl,
	    bool *out);
int	load_get_str(struct lctx *c, json_t *o, const char *key, unsigned fl,
	    size_t max, const char **out);
int	load_get_typed(struct lctx *c, json_t *o, const char *key, unsigned fl,
	    bool array, json_t **out);
int	load_get_counts(struct lctx *c, json_t *o, const char *key,
	    unsigned fl, uint64_t *v, size_t n, const char *(*name)(size_t));

/* A time as report_time() writes it; false if it is not one. */
bool	load_parse_time(const char *s, int64_t *sec, uint32_t *nsec);
/* qsort()/bsearch() order of const char * (input paths). */
int	load_path_cmp(const void *x, const void *y);

/* ---- load_hosts.c ---------------------------------------------------- */

enum hlist { L_OFFENDER, L_RESOLVER, L_BLIND };

/* One host record o of list (w: where, for messages) into c->fr->recs. */
int	load_add_host(struct lctx *c, json_t *o, enum hlist list,
	    const struct where *w);
/* Reads the offenders, resolvers and blind-spot hosts into c->fr->recs;
 * load_check_dups() then refuses an address given twice. */
int	load_get_hosts(struct lctx *c, json_t *root);
int	load_check_dups(struct lctx *c);

/* ---- load.c: what a load does around the hosts ---------------------- */

/* Frees what fr holds (not fr). */
void	load_freport_free(struct freport *fr);
/* ERR_DUP when c->fr's inputs were all counted by a report loaded into
 * st before; ERR_MALFORMED when some were; *fp: the report's hash. */
int	load_check_counted(struct lctx *c, const struct load_stats *st,
	    uint64_t *fp);

/* ---- load_stream.c --------------------------------------------------- */

/* Bytes read at a time (tests make it small to cut everything). */
extern size_t	load_stream_chunk;

/* ---- load_meta.c ----------------------------------------------------- */

/* The version (refused if of a newer major), then the statistics. */
int	load_get_version(struct lctx *c, json_t *root);
int	load_get_stats(struct lctx *c, json_t *root);
/* nw = old + c->fr's statistics, strings copied into st's pool; on error
 * nw holds nothing.  load_sum_free() frees and clears s. */
int	load_sum_add(struct lctx *c, struct load_stats *st,
	    const struct lsum *old, struct lsum *nw);
void	load_sum_free(struct lsum *s);

#endif
