/* zmem.c - zeroed tables from anonymous mmap, paged in only as used
 * (see zmem.h for why not calloc). */
#include <sys/mman.h>

#include <stdint.h>

#include "zmem.h"

void *
zmem_alloc(size_t n, size_t size)
{
	void *p;

	if (n == 0)
		n = 1;
	if (size == 0 || n > SIZE_MAX / size)
		return NULL;
	p = mmap(NULL, n * size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void
zmem_free(void *p, size_t n, size_t size)
{
	if (p == NULL)
		return;
	if (n == 0)
		n = 1;
	munmap(p, n * size);
}

#define ZMEM_HUGE	((size_t)2 << 20)

/*
 * Bytes of a huge table: rounded up to whole 2 MiB pages; 0 for one under
 * 1 MiB, which stays in small pages (a huge page would more than double
 * its resident size for little gain: it fits the TLB as it is).
 */
static size_t
huge_len(size_t n, size_t size)
{
	size_t len;

	if (n == 0)
		n = 1;
	if (size == 0 || n > (SIZE_MAX - 2 * ZMEM_HUGE) / size)
		return 0;
	len = n * size;
	if (len < ZMEM_HUGE / 2)
		return 0;
	return (len + ZMEM_HUGE - 1) & ~(ZMEM_HUGE - 1);
}

void *
zmem_alloc_huge(size_t n, size_t size)
{
	size_t len = huge_len(n, size), lead;
	uint8_t *p;

	if (len == 0)
		return zmem_alloc(n, size);
	/* Mapped with 2 MiB to spare, then trimmed to a 2 MiB boundary:
	 * only an aligned range can be backed by huge pages. */
	p = mmap(NULL, len + ZMEM_HUGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	lead = (ZMEM_HUGE - ((uintptr_t)p & (ZMEM_HUGE - 1))) &
	    (ZMEM_HUGE - 1);
	if (lead > 0)
		munmap(p, lead);
	if (ZMEM_HUGE - lead > 0)
		munmap(p + lead + len, ZMEM_HUGE - lead);
	p += lead;
#ifdef MADV_HUGEPAGE
	/* Advice: where huge pages are off, the table still works. */
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

void
zmem_free_huge(void *p, size_t n, size_t size)
{
	size_t len = huge_len(n, size);

	if (len == 0)
		zmem_free(p, n, size);
	else if (p != NULL)
		munmap(p, len);
}
