/* leases_int.h - what leases.c and leases_fmt.c share: one file's reader,
 * the table's adder and the time helpers.  Not for other modules. */
#ifndef KASAUDIT_LEASES_INT_H
#define KASAUDIT_LEASES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "leases.h"

#define KEA_COLS	32		/* columns read of a Kea CSV line */

/* What one file's reader keeps between lines. */
struct rd {
	struct leases	*lt;
	const char	*label;
	unsigned	 line;
	unsigned	 warned;
	enum leases_format fmt;
	bool		 header_done;
	int		 col[KEA_COLS];	/* Kea: column of each field */
	/* dhcpd: the block being read. */
	int		 depth;		/* 0 outside; 1 lease or ia; 2 iaaddr */
	unsigned	 skip;		/* depth in a block of no lease */
	bool		 in_v6;
	bool		 bad;		/* the block is refused */
	bool		 have_addr;
	struct addr	 addr;
	uint8_t		 plen;
	int64_t		 cltt, starts, ends;
	bool		 have_starts, have_ends;
	bool		 held;
	char		 host[LEASES_SUB_MAX + 1];
	char		 mac[LEASES_SUB_MAX + 1];
	char		 uid[LEASES_SUB_MAX + 1];
	char		 duid[LEASES_SUB_MAX + 1];
};

/* Adds [start, end) of a/plen for subscriber name (contact: "" if none);
 * refused ones are warned about or counted.  ERR_NOMEM. */
int	lease_add(struct rd *, const struct addr *a, unsigned plen,
	    int64_t start, int64_t end, const char *name, const char *contact);

/* Counts a refused line and warns "label:line: " fmt, its one %s being
 * what (quoted by the caller if it came from the file). */
void	lease_warn(struct rd *, const char *fmt, const char *what);

/* Counts a lease that held no address (free, declined...). */
void	lease_not_held(struct rd *);

/* Plain epoch seconds (up to 12 digits). */
bool	lease_epoch(const char *s, size_t n, int64_t *out);

/* "Y-M-D" or "Y/M/D" (dsep), then 'T', 't' or ' ', then "H:M:S", at
 * s[*i] (moved past it) into seconds since the epoch, UTC. */
bool	lease_date_time(const char *s, size_t n, size_t *i, char dsep,
	    int64_t *out);

/* One line of the file rd reads (without its newline). */
void	lease_line(struct rd *, const char *s, size_t n);

#endif
