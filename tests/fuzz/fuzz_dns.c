/* fuzz_dns.c - libFuzzer: DNS messages (RFC 1035 4.1), cursor and ldns. */
#include <stdbool.h>
#include <string.h>

#include "dns.h"
#include "err.h"
#include "fuzz.h"

static struct dns_rr rrs[DNS_MAX_RRS];

static void
check_name(const char *s, size_t max)
{
	const char *nul = memchr(s, '\0', max);

	FUZZ_CHECK(nul != NULL);
	/* Presentation form: printable ASCII only, the rest escaped. */
	for (; s < nul; s++)
		FUZZ_CHECK(*s >= 0x21 && *s <= 0x7e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_question q;
	char name[DNS_NAME_LEN];
	size_t n_rrs = 0, len, i;
	int r;

	r = dns_question(data, size, size % 2 == 1, &q);
	FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED || r == ERR_SHORT);
	if (r == ERR_OK && q.has_q) {
		check_name(q.qname, sizeof(q.qname));
		FUZZ_CHECK(strlen(q.qname) == q.qname_len);
	}
	/* The question's name is checked without decoding when it has no
	 * pointer: the verdict must be decoding's. */
	if (size >= 12 && q.qdcount > 0) {
		bool ok = dns_name_str(data, size, 12, name, sizeof(name),
		    &len);

		if (r == ERR_OK)
			FUZZ_CHECK(ok && strcmp(name, q.qname) == 0);
		else if (!ok)
			FUZZ_CHECK(r != ERR_OK);
	}
	/* CNAME targets as references: comparing them without decoding
	 * must agree with comparing their text. */
	{
		static char txt[9][DNS_NAME_LEN];
		struct dns_name_ref refs[8];
		struct cur qn = cur_init(data, size);
		size_t n = 0, j, sl;
		bool addr;

		cur_skip(&qn, 12);
		struct dns_name_ref again[8];
		size_t n2 = 0;
		bool addr2;
		int r1, r2;

		r1 = dns_cname_refs(data, size, 0, refs, 8, &n, &addr);
		/* Past the question read above: the same answer. */
		if (r == ERR_OK && q.has_q) {
			r2 = dns_cname_refs(data, size, q.end, again, 8, &n2,
			    &addr2);
			FUZZ_CHECK(r1 == r2);
			if (r1 == ERR_OK) {
				FUZZ_CHECK(n == n2 && addr == addr2);
				for (i = 0; i < n; i++)
					FUZZ_CHECK(refs[i].at.p ==
					    again[i].at.p &&
					    refs[i].wire_len ==
					    again[i].wire_len);
			}
		}
		if (r1 == ERR_OK) {
			FUZZ_CHECK(n <= 8);
			for (i = 0; i < n; i++) {
				dns_ref_str(data, size, &refs[i], txt[i], &sl);
				check_name(txt[i], sizeof(txt[i]));
				FUZZ_CHECK(strlen(txt[i]) == sl);
				for (j = 0; j < i; j++) {
					FUZZ_CHECK(dns_name_eq(data, size,
					    refs[i].at, refs[j].at) ==
					    (strcmp(txt[i], txt[j]) == 0));
					/* The same name, the same length. */
					FUZZ_CHECK(strcmp(txt[i], txt[j]) !=
					    0 || refs[i].wire_len ==
					    refs[j].wire_len);
				}
				if (q.has_q)
					FUZZ_CHECK(dns_name_eq(data, size, qn,
					    refs[i].at) ==
					    (strcmp(q.qname, txt[i]) == 0));
			}
		}
	}
	r = dns_answers(data, size, rrs, DNS_MAX_RRS, &n_rrs);
	FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED || r == ERR_NOMEM);
	if (r == ERR_OK) {
		FUZZ_CHECK(n_rrs <= DNS_MAX_RRS);
		for (i = 0; i < n_rrs; i++) {
			check_name(rrs[i].name, sizeof(rrs[i].name));
			if (rrs[i].type == 5)
				check_name(rrs[i].target,
				    sizeof(rrs[i].target));
		}
	}
	/* A few records only: the cap must hold whatever ancount says. */
	r = dns_answers(data, size, rrs, 2, &n_rrs);
	if (r == ERR_OK)
		FUZZ_CHECK(n_rrs <= 2);
	if (size > 12 && dns_name_str(data, size, 12, name, sizeof(name),
	    &len)) {
		check_name(name, sizeof(name));
		FUZZ_CHECK(strlen(name) == len);
	}
	/* A buffer too small must be refused, not overrun. */
	if (size > 12)
		(void)dns_name_str(data, size, 12, name, 8, &len);
	return 0;
}
