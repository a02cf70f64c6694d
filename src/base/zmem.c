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
