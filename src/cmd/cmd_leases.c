/* cmd_leases.c - --leases: every lease file loaded into one table, each
 * refused line warned about as file:line, and the totals for the report. */
#include <stdio.h>
#include <string.h>

#include "aggregate.h"
#include "cmd.h"
#include "leases.h"
#include "msg.h"
#include "opts.h"
#include "report.h"

static void
warn_line(void *arg, const char *msg)
{
	(void)arg;
	warnx("--leases: %s", msg);
}

struct leases *
leases_build(const struct opts *o, leases_warn_fn *warn, void *arg,
    char *errbuf)
{
	struct leases *lt;
	size_t i;

	if (o->n_leases == 0)
		return NULL;
	if ((lt = leases_new(o->max_leases)) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "--leases: out of memory");
		return NULL;
	}
	leases_set_warn(lt, warn != NULL ? warn : warn_line, arg);
	for (i = 0; i < o->n_leases; i++) {
		if (file_is_capture(o->leases[i])) {
			snprintf(errbuf, ERRBUF_LEN, "--leases %s: a capture "
			    "file, not a lease file", o->leases[i]);
			goto fail;
		}
		if (leases_load_file(lt, o->leases[i], errbuf) != ERR_OK)
			goto fail;
	}
	if (leases_finish(lt) != ERR_OK) {
		snprintf(errbuf, ERRBUF_LEN, "--leases: out of memory");
		goto fail;
	}
	return lt;
fail:
	leases_free(lt);
	return NULL;
}

void
leases_meta(const struct leases *lt, uint64_t no_lease,
    struct report_leases *rl)
{
	struct leases_stats st;

	memset(rl, 0, sizeof(*rl));
	rl->no_lease = no_lease;
	if (lt == NULL)
		return;
	leases_stats(lt, &st);
	rl->files = st.files;
	rl->leases = st.leases;
	rl->bad_lines = st.bad_lines;
	rl->refused = st.refused;
}

int
leases_setup(const struct opts *o, struct leases **lt)
{
	char errbuf[ERRBUF_LEN];

	*lt = NULL;
	if (o->n_leases > 0 && o->anonymize != NULL) {
		warnx("--leases and --anonymize: subscribers' names would "
		    "undo the pseudonyms");
		return -1;
	}
	if (o->group_by_sub && o->n_leases == 0 && o->cmd != CMD_MERGE) {
		warnx("--group-by subscriber: needs --leases");
		return -1;
	}
	if (o->n_leases == 0)
		return 0;
	if ((*lt = leases_build(o, NULL, NULL, errbuf)) == NULL) {
		warnx("%s", errbuf);
		return -1;
	}
	return 0;
}

void
leases_use(const struct opts *o, const struct leases *lt,
    struct aggregate *ag, bool lookups)
{
	if (lookups)
		aggregate_set_leases(ag, lt);
	aggregate_group_by_subscriber(ag, o->group_by_sub, lt);
}

void
leases_report(const struct opts *o, const struct leases *lt,
    const struct aggregate *ag, struct report_leases *rl,
    struct report_meta *meta)
{
	meta->group_by_sub = o->group_by_sub;
	/* merge: reports made with --leases keep their subscribers. */
	if (lt == NULL && !aggregate_has_subscribers(ag) &&
	    aggregate_no_lease(ag) == 0)
		return;
	leases_meta(lt, aggregate_no_lease(ag), rl);
	meta->leases = rl;
}
