/* defrag.h - IPv4 and IPv6 fragment reassembly for decode.c (RFC 791, RFC
 * 8200 4.5): a store of fixed size, fed fragments (not an interface). */
#ifndef KASAUDIT_DEFRAG_H
#define KASAUDIT_DEFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "cursor.h"
#include "decode.h"

/* The datagram a fragment belongs to.  Zeroed before it is filled in. */
struct defrag_key {
	struct addr	 src;		/* family tells v4 from v6 */
	struct addr	 dst;
	uint32_t	 id;
	uint8_t		 proto;		/* v6: the fragment header's next */
};

struct defrag;			/* opaque: defined in defrag.c */

/*
 * Sizes and allocates the whole store, as decode_new() describes.  Counts
 * into *st (frags, frag_*, malformed[DL_FRAG]), which must outlive it.
 * NULL on allocation failure.
 */
struct defrag	*defrag_new(size_t frag_mem, unsigned frag_timeout,
		    struct decode_stats *st);
void		 defrag_free(struct defrag *);		/* NULL-safe */

/*
 * Stores one fragment: data holds its wire_len bytes at byte `off` of the
 * fragmentable part (callers handle fragments cut by the snaplen); `pre` is
 * the length of the headers in front of that part, for the 65535-byte
 * limit; ts is the packet time, for timeouts.
 *
 * Overlap policy: the first fragment wins.  Bytes already held are kept and
 * the overlapping bytes of a later fragment are ignored (counted once per
 * fragment in frag_overlaps; an exact duplicate counts too).  A fragment that
 * contradicts the datagram's end as already known (a second, different last
 * fragment, or data past the end) is dropped and counted malformed.  The same
 * policy is used for IPv6 rather than RFC 5722's drop-all, so that both
 * families behave alike and a retransmitted fragment cannot erase a datagram.
 *
 * ERR_OK: the datagram is complete, *out_len bytes at *out (borrowed until
 * the next defrag_add()).  ERR_NOTFOUND: held, or dropped for memory.
 * ERR_MALFORMED: counted in DL_FRAG.  No allocation.
 */
int	defrag_add(struct defrag *, const struct defrag_key *, int64_t ts,
	    size_t pre, size_t off, size_t wire_len, bool more, struct cur data,
	    const uint8_t **out, size_t *out_len);

#endif
