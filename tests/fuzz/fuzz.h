/* fuzz.h - what the libFuzzer targets in tests/fuzz share (header only). */
#ifndef KASAUDIT_FUZZ_H
#define KASAUDIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * A broken promise of a header is a finding like a crash: abort() makes
 * libFuzzer keep the input.  assert() would vanish under -DNDEBUG.
 */
#define FUZZ_CHECK(x)	do {						\
	if (!(x)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #x);					\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Reads every byte of a result buffer, so that one pointing past what the
 * parser was given shows up under ASan.  The sum goes nowhere useful.
 */
static inline void
fuzz_touch(const void *p, size_t n)
{
	const volatile uint8_t *b = p;
	volatile uint8_t sink = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sink ^= b[i];
	(void)sink;
}

/* A copy of data in a heap block of exactly size bytes (ASan sees reads
 * one past it; libFuzzer's own buffer is that already, but slices of it
 * are not).  NULL when size is 0 is fine for every parser here. */
static inline uint8_t *
fuzz_dup(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	if (p == NULL)
		abort();
	for (size_t i = 0; i < size; i++)
		p[i] = data[i];
	return p;
}

#endif
