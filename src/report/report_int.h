/* report_int.h - what the report writers share (not an interface).
 * Only report*.c include it: shared emit helpers, network tests, names. */
#ifndef KASAUDIT_REPORT_INT_H
#define KASAUDIT_REPORT_INT_H

#include "name.h"
#include "report.h"

extern const struct decode_stats report_empty_decode;
extern const struct audit_stats report_empty_audit;

#define report_utf8_len	name_utf8_len	/* the old name, for a unit test */

/* "aa:bb:cc:dd:ee:ff" into buf of 18 bytes. */
const char *report_mac(char *buf, const uint8_t *mac);

/* Signatures in the run of one set starting at i; *set its name. */
size_t	report_set_run(const struct match *, size_t i, const char **set);
/* The k-th signature set of the report (from its matcher, or the sets a
 * merge read back); false past the last.  report_sig_total(): all sigs. */
bool	report_set_at(const struct report_meta *, size_t k, const char **name,
	    uint64_t *count);
uint64_t report_sig_total(const struct report_meta *);

/*
 * Calls fn for each thing that was there but could not be read (the
 * "Could not look into" lines), in report order, only for counts above 0.
 */
typedef void	report_unseen_fn(void *arg, uint64_t n, const char *what);
void	report_unseen_each(const struct aggregate *,
	    const struct report_meta *, report_unseen_fn *, void *arg);

/* True when a is inside one of net's prefixes (any address when net is
 * NULL). */
bool	report_in_net(const struct agg_net *net, const struct addr *a);

/*
 * The operator's own text (a network's name, prefixes, contacts) in a text
 * report: UTF-8 as written; control bytes, bad sequences and bidirectional
 * controls escaped; a sep byte (not '\0') printed as ", ".
 */
void	report_text_own(FILE *fp, const char *s, char sep);

/* s[0..n) escaped for HTML text and attributes (&, <, >, quotes; bytes
 * that are not UTF-8 and bidirectional controls shown, not obeyed). */
void	report_html_strn(FILE *fp, const char *s, size_t n);
/* HTML text cut to max characters (0: no cut) with an ellipsis. */
void	report_html_cut(FILE *fp, const char *s, size_t max);
/* The colour of a verdict in the HTML report (report_html.c). */
const char *report_html_colour(enum verdict);
/* The HTML report's charts (report_chart.c): bars per network, timeline. */
void	report_html_bars(FILE *fp, const struct aggregate *,
	    const struct agg_net *only);
void	report_html_timeline(FILE *fp, const struct aggregate *,
	    const struct report_meta *, const struct agg_net *only);

/* One CSV field (RFC 4180), cleaned and kept from running as a formula,
 * then "," or, last, "\r\n". */
void	report_csv_field(FILE *fp, const char *s, bool last);

/* A list kept in one string with sep between items (a network's
 * contacts or prefixes), as "a, b": malloc'd, NULL without memory. */
char	*report_list(const char *s, char sep);

/*
 * True when a belongs to net (any address when net is NULL): the network
 * the aggregate would have put it in, by meta->netmap and the prefix
 * lengths; by the CIDR alone when meta->netmap is NULL.
 */
bool	report_owns(const struct report_meta *, const struct agg_net *net,
	    const struct addr *a);

/* The DNS servers (or the blind hosts) report_owns() gives to only; all of
 * them when only is NULL. */
size_t	report_n_in_net(const struct aggregate *, const struct report_meta *,
	    const struct agg_net *only, bool resolvers);

#endif
