/* name.h - names from the wire: labels (RFC 1035 3.1, 4.1.4), the
 * presentation form (RFC 1035 5.1, RFC 4343) and UTF-8 (RFC 3629). */
#ifndef KASAUDIT_NAME_H
#define KASAUDIT_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cursor.h"
#include "err.h"

#define NAME_WIRE_MAX	255		/* octets in a name (RFC 1035 3.1) */

/*
 * A compressor that writes "a", then "a.a" as a label plus a pointer to the
 * first, then "a.a.a" and so on, legally needs one hop per label, and a
 * 255-byte name has at most 127 labels.  Loops that pass through a label
 * also end at the 255-byte limit; this cap bounds chains of pointers to
 * pointers, which only a hostile sender writes.
 */
#define NAME_PTR_HOPS	128

#define NAME_ESC_MAX	4		/* chars name_esc() writes at most */
#define NAME_LABEL	0x1		/* name_esc(): b is inside a label */

/*
 * name_plain[b]: what byte b of a label becomes in presentation form when
 * it is one character (ASCII letters folded, RFC 4343); 0 when it must be
 * escaped (space and control bytes, ".", "\\", DEL and above).  A table,
 * not comparisons: digits and hyphens in names made the branches guess
 * wrong on nearly every DNS packet.
 */
extern const uint8_t name_plain[256];

/*
 * Writes byte b of a name at o (room for NAME_ESC_MAX chars) in the
 * presentation form of dns.h and returns how many chars it wrote: ASCII
 * letters folded, '\' as "\\", bytes outside 0x21-0x7e as \DDD.  '.' is
 * written as "\." with NAME_LABEL in flags (or it would read as a
 * separator), as itself otherwise (host names are text, not labels).
 * Inline: dns.c and tls.c call it for every byte of a name.
 */
static inline size_t
name_esc(char *o, uint8_t b, unsigned flags)
{
	if (name_plain[b] != 0) {
		o[0] = (char)name_plain[b];
		return 1;
	}
	if (b == '.' && (flags & NAME_LABEL) == 0) {
		o[0] = '.';
		return 1;
	}
	if (b == '.' || b == '\\') {
		o[0] = '\\';
		o[1] = (char)b;
		return 2;
	}
	o[0] = '\\';
	o[1] = (char)('0' + b / 100);
	o[2] = (char)('0' + b / 10 % 10);
	o[3] = (char)('0' + b % 10);
	return 4;
}

/*
 * name_esc() at *o, which moves on, when the chars fit before end; false
 * (and nothing written) when they do not.
 */
static inline bool
name_esc_to(char **o, const char *end, uint8_t b, unsigned flags)
{
	char tmp[NAME_ESC_MAX];
	size_t k;

	k = name_esc(tmp, b, flags);
	if ((size_t)(end - *o) < k)
		return false;
	memcpy(*o, tmp, k);
	*o += k;
	return true;
}

/*
 * Length of the well-formed UTF-8 sequence at p[0..n), n > 0 (RFC 3629 4:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or 0 if there
 * is none.
 */
size_t	name_utf8_len(const uint8_t *p, size_t n);

/*
 * The one walk over the labels of a wire name.  Static inline: it runs on
 * every DNS packet.  Set up with name_iter_init(); each name_iter_next()
 * gives one label.
 */
struct name_iter {
	struct cur	 rd;		/* at the next length byte */
	struct cur	 after;		/* past the name as written, once a
					 * pointer was followed */
	const uint8_t	*msg;		/* what pointers point into, or NULL */
	size_t		 msg_len;
	size_t		 wire;		/* octets so far, the root's included */
	size_t		 wire_max;	/* NAME_WIRE_MAX unless the caller
					 * only skips the name */
	unsigned	 hops;
};

#define NAME_END	0		/* the root label: the name is whole */
#define NAME_NEXT	1		/* one more label */
#define NAME_PTR	2		/* a pointer, and msg is NULL */

/*
 * A name starting at at.  msg[0..msg_len) is the message compression
 * pointers refer to (at lies inside it), or NULL to stop at the first
 * pointer.
 */
static inline void
name_iter_init(struct name_iter *it, struct cur at, const uint8_t *msg,
    size_t msg_len)
{
	it->rd = at;
	it->after.p = it->after.end = NULL;
	it->after.ok = false;
	it->msg = msg;
	it->msg_len = msg_len;
	it->wire = 1;
	it->wire_max = NAME_WIRE_MAX;
	it->hops = 0;
}

/*
 * NAME_NEXT: *lab holds the next label's bytes (a cursor of its own).
 * NAME_END after the root label; NAME_PTR at a pointer when msg is NULL
 * (it->rd then past its first byte).  ERR_SHORT: the name runs off the
 * bytes.  ERR_MALFORMED: a label type 01 or 10 (RFC 6891 retired the
 * extended type), a pointer that does not point strictly backwards, too many
 * hops, or over wire_max bytes (a label that would pass it is refused before
 * its bytes are looked for).  Every caller walks with this, so a name fails
 * with the same code wherever it is read.
 */
#if defined(__GNUC__)
__attribute__((always_inline))	/* out of line, DNS reads got slower */
#endif
static inline int
name_iter_next(struct name_iter *it, struct cur *lab)
{
	size_t at, ptr;
	uint8_t n;

	for (;;) {
		n = cur_u8(&it->rd);
		if (!it->rd.ok)
			return ERR_SHORT;
		if (n == 0)
			return NAME_END;
		if (n < 0x40) {			/* a label: the common case */
			it->wire += 1 + (size_t)n;
			if (it->wire > it->wire_max)
				return ERR_MALFORMED;
			*lab = cur_sub(&it->rd, n);
			return it->rd.ok ? NAME_NEXT : ERR_SHORT;
		}
		if (n < 0xc0)			/* label types 01 and 10 */
			return ERR_MALFORMED;
		if (it->msg == NULL)
			return NAME_PTR;
		at = cur_off(&it->rd, it->msg) - 1;
		ptr = (size_t)(n & 0x3f) << 8 | cur_u8(&it->rd);
		if (!it->rd.ok)
			return ERR_SHORT;
		if (!it->after.ok)		/* it ends at its first one */
			it->after = it->rd;
		/*
		 * RFC 1035 4.1.4 lets a pointer name any earlier offset; one
		 * to itself or forward is never written by a compressor and is
		 * how loops are built.
		 */
		if (ptr >= at || ++it->hops > NAME_PTR_HOPS)
			return ERR_MALFORMED;
		it->rd = cur_init(it->msg, it->msg_len);
		cur_skip(&it->rd, ptr);
	}
}

/* Where the name ends as written: past its first pointer, or its root. */
static inline struct cur
name_iter_end(const struct name_iter *it)
{
	return it->after.ok ? it->after : it->rd;
}

#endif
