/* capture_filter.c - -f filters: BPF compiled with libpcap per link type.
 * Owns compiling and freeing the programs; capture.c applies them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_int.h"

int
cap_compile(struct bpf_program *prog, const char *expr, int linktype,
    char *why, size_t why_len)
{
	pcap_t *p;
	int r = ERR_OK;

	if ((p = pcap_open_dead(cap_dlt(linktype), (int)CAP_SNAP_DEFAULT)) ==
	    NULL) {
		snprintf(why, why_len, "cannot open a pcap handle");
		return ERR_NOMEM;
	}
	if (pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(why, why_len, "%s", pcap_geterr(p));
		r = ERR_MALFORMED;
	}
	pcap_close(p);
	return r;
}

void
cap_filters_free(struct capture *c)
{
	int i;

	for (i = 0; i < c->n_filters; i++)
		pcap_freecode(&c->filters[i].prog);
	c->n_filters = 0;
	c->next_evict = 0;
}

int
capture_filter_check(const char *expr, char *errbuf)
{
	struct bpf_program prog;
	char why[256];
	int r;

	if ((r = cap_compile(&prog, expr, LINK_ETHERNET, why,
	    sizeof(why))) != ERR_OK) {
		snprintf(errbuf, ERRBUF_LEN, "filter: %s", why);
		return r;
	}
	pcap_freecode(&prog);
	return ERR_OK;
}

int
capture_set_filter(struct capture *c, const char *expr, char *errbuf)
{
	struct bpf_program prog;
	char why[256];
	char *copy = NULL;
	int r;

	if (expr != NULL) {
		/* Against Ethernet now, so a typo is reported at once. */
		if ((r = cap_compile(&prog, expr, LINK_ETHERNET, why,
		    sizeof(why))) != ERR_OK) {
			snprintf(errbuf, ERRBUF_LEN, "filter: %s", why);
			return r;
		}
		if ((copy = strdup(expr)) == NULL) {
			pcap_freecode(&prog);
			snprintf(errbuf, ERRBUF_LEN, "filter: %s",
			    strerror(ENOMEM));
			return ERR_NOMEM;
		}
	}
	cap_filters_free(c);
	free(c->expr);
	c->expr = copy;
	if (copy != NULL) {
		c->filters[0].linktype = LINK_ETHERNET;
		c->filters[0].prog = prog;
		c->n_filters = 1;
	}
	return ERR_OK;
}
