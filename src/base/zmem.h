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

/*
 * The same, for a table looked up at random on every packet (the flow
 * table): the kernel is asked to back it with 2 MiB pages as it is touched
 * (madvise MADV_HUGEPAGE), one page fault and one TLB entry per 2 MiB
 * instead of 512.  The size is rounded up to 2 MiB (untouched, it costs
 * nothing); a table under 1 MiB is zmem_alloc()'s.  Free with
 * zmem_free_huge().
 */
void	*zmem_alloc_huge(size_t n, size_t size);
void	 zmem_free_huge(void *, size_t n, size_t size);	/* NULL-safe */

#endif
