/* netmap.h - the networks file: CIDR -> network name and contacts.
 * Loaded from a networks file (conf.c lexes it); read-only once built. */
#ifndef KASAUDIT_NETMAP_H
#define KASAUDIT_NETMAP_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

/*
 * A network (a customer): every line of the networks files with the same
 * name, in file order.  Its strings hold all its lines' prefixes and
 * contacts.
 */
struct netmap_group {
	const char	*name;
	const char	*cidrs;		/* "10.1.0.0/16 2001:db8::/56": file order */
	const char	*contacts;	/* each once, '\n' between; "" if none */
	size_t		 n_prefixes;
	const struct netmap_net *first;	/* its first line */
};

struct netmap_net {
	struct addr	 prefix;	/* masked */
	uint8_t		 plen;
	const char	*cidr;		/* canonical "10.1.0.0/16" */
	const char	*name;
	const char	*contacts;	/* this line's, '\n' between; "" if none */
	unsigned	 line;
	/* Its network; valid until the next load into the map. */
	const struct netmap_group *group;
};

struct netmap;			/* opaque */

struct netmap	*netmap_new(void);
void		 netmap_free(struct netmap *);	/* NULL-safe */

/*
 * Reads lines `CIDR name [contact...]` ('#' starts a comment; blank lines
 * skipped).  A name or contact may be written in double quotes (\" and \\
 * escaped) to hold spaces; lines with the same name are one network with
 * several prefixes.  All or nothing; on error errbuf says "file:line:
 * what", ERR_MALFORMED (or ERR_IO when the file cannot be read).  A CIDR
 * given twice is an error.
 */
int	netmap_load_file(struct netmap *, const char *path, char *errbuf);
int	netmap_load_buf(struct netmap *, const char *buf, size_t len,
	    const char *label, char *errbuf);

/* Longest-prefix match, or NULL.  No allocation. */
const struct netmap_net *netmap_lookup(const struct netmap *,
	    const struct addr *);

size_t	 netmap_count(const struct netmap *);	/* lines (prefixes) */
size_t	 netmap_n_groups(const struct netmap *);	/* networks */

#endif
