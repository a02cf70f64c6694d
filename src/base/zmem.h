/* zmem.h - zeroed tables that cost no page fault until a page is used
 * (anonymous mmap: the kernel's zero pages, unlike calloc on the heap). */
#ifndef KASAUDIT_ZMEM_H
#define KASAUDIT_ZMEM_H

#include <stddef.h>

/*
 * n elements of size bytes, all zero.  calloc() clears memory it takes
 * from the heap, which faults in every page of a table at start even when
 * the run never uses it; these pages stay untouched until written.  For
 * tables made once (an index whose empty state is zero), not for anything
 * allocated per packet: each call is an mmap.  NULL on overflow or
 * failure; n == 0 is taken as 1.  Free with zmem_free() and the same n and
 * size.
 */
void	*zmem_alloc(size_t n, size_t size);
void	 zmem_free(void *, size_t n, size_t size);	/* NULL-safe */

#endif
