/* cursor.h - bounds-checked reads of untrusted bytes (header only).
 * Every byte from the wire or a file is read through struct cur. */
#ifndef KASAUDIT_CURSOR_H
#define KASAUDIT_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Every byte from the wire or a file is read through a cursor.  A read that
 * would pass `end` clears `ok`, returns 0 and moves nothing; once `ok` is
 * false it stays false, so a parser runs its happy path straight through and
 * checks `ok` once at the end.
 */
struct cur {
	const uint8_t	*p;	/* next unread byte */
	const uint8_t	*end;	/* one past the last readable byte */
	bool		 ok;	/* false once a read overran; stays false */
};

static inline struct cur
cur_init(const void *buf, size_t len)
{
	struct cur c;

	c.p = buf;
	/* No arithmetic on NULL, not even + 0 (clang's UBSan reports it). */
	c.end = buf != NULL ? c.p + len : c.p;
	c.ok = true;
	return c;
}

static inline size_t
cur_left(const struct cur *c)
{
	return c->ok ? (size_t)(c->end - c->p) : 0;
}

static inline bool
cur_need(struct cur *c, size_t n)
{
	if (!c->ok || n > (size_t)(c->end - c->p))
		c->ok = false;
	return c->ok;
}

static inline void
cur_skip(struct cur *c, size_t n)
{
	if (cur_need(c, n))
		c->p += n;
}

static inline uint8_t
cur_u8(struct cur *c)
{
	if (!cur_need(c, 1))
		return 0;
	return *c->p++;
}

static inline uint16_t
cur_u16(struct cur *c)
{
	uint16_t v;

	if (!cur_need(c, 2))
		return 0;
	v = (uint16_t)((unsigned)c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return v;
}

static inline uint32_t
cur_u24(struct cur *c)
{
	uint32_t v;

	if (!cur_need(c, 3))
		return 0;
	v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
	c->p += 3;
	return v;
}

static inline uint32_t
cur_u32(struct cur *c)
{
	uint32_t v;

	if (!cur_need(c, 4))
		return 0;
	v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return v;
}

/* Little-endian reads, for capture file headers written by LE machines. */
static inline uint16_t
cur_u16le(struct cur *c)
{
	uint16_t v;

	if (!cur_need(c, 2))
		return 0;
	v = (uint16_t)((unsigned)c->p[1] << 8 | c->p[0]);
	c->p += 2;
	return v;
}

static inline uint32_t
cur_u32le(struct cur *c)
{
	uint32_t v;

	if (!cur_need(c, 4))
		return 0;
	v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	    (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	return v;
}

/* Copies n bytes to dst; on overrun dst is left untouched. */
static inline bool
cur_copy(struct cur *c, void *dst, size_t n)
{
	if (!cur_need(c, n))
		return false;
	memcpy(dst, c->p, n);
	c->p += n;
	return true;
}

/*
 * Splits off the next n bytes as a cursor of their own and moves past them.
 * On overrun both the parent and the returned cursor are not ok.
 */
static inline struct cur
cur_sub(struct cur *c, size_t n)
{
	struct cur s;

	s.p = c->p;
	if (cur_need(c, n)) {
		s.end = c->p + n;
		s.ok = true;
		c->p += n;
	} else {
		s.end = s.p;
		s.ok = false;
	}
	return s;
}

/*
 * The next n bytes, checked once, for a fixed-size header read with
 * ld_be16() and ld_be32() at offsets below n; c moves past them.  NULL
 * (and c not ok) on overrun.
 */
static inline const uint8_t *
cur_take(struct cur *c, size_t n)
{
	const uint8_t *p = c->p;

	if (!cur_need(c, n))
		return NULL;
	c->p += n;
	return p;
}

/* Big-endian fields of bytes cur_take() handed out. */
static inline uint16_t
ld_be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t
ld_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The rest of c as its own cursor, without moving c. */
static inline struct cur
cur_rest(const struct cur *c)
{
	struct cur s = *c;

	if (!s.ok)
		s.end = s.p;
	return s;
}

/* Offset of c's position from base (for error messages). */
static inline size_t
cur_off(const struct cur *c, const void *base)
{
	return (size_t)(c->p - (const uint8_t *)base);
}

#endif
