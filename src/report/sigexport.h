/* sigexport.h - a signature set as what resolvers and IDSs load: an RPZ
 * zone, Unbound local-zones, dnsmasq, hosts, Suricata rules, Zeek Intel. */
#ifndef KASAUDIT_SIGEXPORT_H
#define KASAUDIT_SIGEXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "match.h"

enum sigexport_format {
	SX_RPZ,			/* RPZ zone (draft-vixie-dnsop-dns-rpz) */
	SX_UNBOUND,		/* unbound.conf(5) local-zone/local-data */
	SX_DNSMASQ,		/* dnsmasq(8) address= */
	SX_HOSTS,		/* hosts(5) */
	SX_SURICATA,		/* Suricata rules: dns.query, tls.sni */
	SX_ZEEK,		/* Zeek Intel framework file */
	SX_NFORMATS
};

/* What a resolver answers for a listed name. */
enum sigexport_action {
	SX_NXDOMAIN,
	SX_NODATA,
	SX_CNAME,		/* cname:TARGET (a walled garden by name) */
	SX_ADDRESS		/* --redirect-ip (a walled garden by address) */
};

#define SIGEXPORT_NAME_MAX	253
#define SIGEXPORT_ZONE		"rpz.kasaudit"
/* Suricata sids: SID_BASE + 2 * (FNV-1a-32("KIND NAME") % SID_PAIRS), the
 * dns.query rule even, the tls.sni rule the next odd number. */
#define SIGEXPORT_SID_BASE	1610000000u
#define SIGEXPORT_SID_PAIRS	5000000u
/* Lines the header lists of what was left out; the rest are counted. */
#define SIGEXPORT_LIST_MAX	200

struct sigexport_opts {
	enum sigexport_format	 format;
	enum sigexport_action	 action;
	bool			 action_given;	/* --rpz-action or
						   --redirect-ip given */
	char			 target[SIGEXPORT_NAME_MAX + 1];  /* cname */
	char			 addr4[16], addr6[46];	/* "" when none */
	char			 zone[SIGEXPORT_NAME_MAX + 1];
	unsigned		 cats;		/* 1u << CAT_*: exported */
	uint32_t		 serial;	/* RPZ SOA serial */
	const char		*version;	/* for the header; may be NULL */
};

/* What one export wrote and left out (also said in its header). */
struct sigexport_stats {
	size_t	sigs;		/* in the set */
	size_t	written;	/* patterns written (fully or widened) */
	size_t	widened;	/* written, but matching more than the pattern */
	size_t	partial;	/* only the name itself, not names below */
	size_t	covered;	/* not needed: a written suffix covers them */
	size_t	left_out;	/* not expressible in the format */
	size_t	not_cat;	/* in a category not exported */
	size_t	dup;		/* the same pattern from two sets */
	size_t	not_name;	/* CIDRs and '.': no name to export */
	size_t	sid_moved;	/* Suricata sid collisions resolved */
};

/* Defaults: rpz, nxdomain, zone SIGEXPORT_ZONE, every category but
 * encrypted-dns (blocking the public DoH services is another policy). */
void	sigexport_defaults(struct sigexport_opts *);

/* "rpz", "unbound", ...: 0, or -1 with errbuf. */
int	sigexport_set_format(struct sigexport_opts *, const char *,
	    char *errbuf);
/* nxdomain | nodata | cname:NAME */
int	sigexport_set_action(struct sigexport_opts *, const char *,
	    char *errbuf);
/* ADDR[,ADDR]: at most one IPv4 and one IPv6 address. */
int	sigexport_set_redirect(struct sigexport_opts *, const char *,
	    char *errbuf);
int	sigexport_set_zone(struct sigexport_opts *, const char *,
	    char *errbuf);
/* CAT[,CAT...] or "all". */
int	sigexport_set_categories(struct sigexport_opts *, const char *,
	    char *errbuf);

const char *sigexport_format_name(enum sigexport_format);

/*
 * Writes the signatures of m that are names, in o's format, sorted (labels
 * compared right to left), with a header saying what each pattern kind
 * became and listing what was left out.  0, or -1 with errbuf (an option
 * the format cannot honour, allocation, or a write error on fp).  st may
 * be NULL.
 */
int	sigexport_write(FILE *fp, const struct match *m,
	    const struct sigexport_opts *o, struct sigexport_stats *st,
	    char *errbuf);

#endif
