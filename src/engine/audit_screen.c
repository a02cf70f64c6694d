/* audit_screen.c - which DNS messages another thread may count for the
 * audit: those whose every name fails the match gate (struct audit_screen;
 * kasaudit read --workers: the reader thread, capture_pipe.c). */
#include <stdlib.h>

#include "audit_int.h"
#include "hnames.h"

/*
 * Nearly every message of a resolver's traffic asks and answers names that
 * are no signature's: audit_dns() walks its question and CNAME targets,
 * the gate turns each away, and what is left is counters.  That walk is a
 * function of the message and the signatures alone, so another thread can
 * make it; the audit's thread then only counts (audit_screened()).  A
 * message the screen does not turn away whole goes to audit_packet() as
 * it is, in file order: the screen never decides what the audit would
 * have done otherwise, and its counts are audit_dns()'s.
 */
struct audit_screen {
	const struct audit	*a;		/* cfg, names: read only */
	struct dns_question	 q;
	struct dns_name_ref	 cref[MAX_EMITTED];
};

/* The verdict: what audit_dns() counts for a message it only counted. */
#define SCR_ON		0x01u		/* screened */
#define SCR_RESPONSE	0x02u
#define SCR_CUT		0x04u		/* dns_cut */
#define SCR_MALFORMED	0x08u		/* dns_malformed */
#define SCR_NAMES	8		/* names_seen, bits 8-15 */

_Static_assert(MAX_EMITTED < 255 && SCR_NAMES + 8 <= AUDIT_SCREEN_BITS,
    "the names of a message fit the verdict");

struct audit_screen *
audit_screen_new(const struct audit *a)
{
	struct audit_screen *sc;

	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return NULL;
	sc->a = a;
	return sc;
}

void
audit_screen_free(struct audit_screen *sc)
{
	free(sc);
}

/* audit_packet() and audit_dns() for a datagram, but only counting. */
uint32_t
audit_screen(struct audit_screen *sc, const struct pkt *p)
{
	const struct audit *a = sc->a;
	const struct match *m = a->cfg.match;
	struct dns_question *q = &sc->q;
	bool has_addr, all, rejected[MAX_EMITTED];
	size_t n_cn = 0, names = 0;
	int r;

	/* A datagram to or from a DNS port that the machine-name table
	 * does not read too (audit_packet()). */
	if (p->proto != 17 || (a->names != NULL && hnames_port(p)) ||
	    (!audit_is_dns_port(a, p->dport) &&
	    !audit_is_dns_port(a, p->sport)))
		return 0;
	r = dns_question_lazy(p->payload, p->payload_len, p->cut, q);
	if (r == ERR_SHORT)
		return SCR_ON | SCR_CUT;
	if (r != ERR_OK)
		return SCR_ON | SCR_MALFORMED;
	if (q->has_q) {
		if (q->decoded || q->n_labels != 2 ||
		    !match_gate_wire3(m, q->lab3, q->lab3_len, q->lab[0],
		    q->lab_len[0], q->lab[1], q->lab_len[1]))
			return 0;		/* looked up: the audit's */
		names = 1;
	}
	if (q->qr && q->ancount > 0 && !p->cut &&
	    dns_cname_refs(p->payload, p->payload_len, q->has_q ? q->end : 0,
	    sc->cref, MAX_EMITTED - 1, &n_cn, &has_addr) == ERR_OK) {
		names += audit_dns_rejected(m, p->payload, p->payload_len, q,
		    sc->cref, n_cn, rejected, &all);
		if (!all)
			return 0;
	}
	return SCR_ON | (q->qr ? SCR_RESPONSE : 0) |
	    (uint32_t)names << SCR_NAMES;
}

void
audit_screened(struct audit *a, uint32_t v)
{
	if ((v & SCR_CUT) != 0)
		a->st.dns_cut++;
	else if ((v & SCR_MALFORMED) != 0)
		a->st.dns_malformed++;
	else {
		a->st.dns_msgs++;
		if ((v & SCR_RESPONSE) != 0)
			a->st.dns_responses++;
		else
			a->st.dns_queries++;
		a->st.names_seen += v >> SCR_NAMES & 0xff;
	}
}
