/* lazy.c - dlopen() of a library at the first call of one of its functions
 * (see lazy.h and lazy_libs.c for why). */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "lazy.h"

void (*lazy_fatal)(const char *line);

static void
lazy_die(const struct lazy_lib *lib, const char *name, const char *why)
{
	char line[512];

	snprintf(line, sizeof(line), "cannot load %s%s%s (for %s): %s",
	    lib->soname, name != NULL ? " " : "", name != NULL ? name : "",
	    lib->what, why != NULL ? why : "unknown error");
	if (lazy_fatal != NULL)
		lazy_fatal(line);
	fprintf(stderr, "kasaudit: %s\n", line);
	abort();
}

static void *
lazy_open(struct lazy_lib *lib)
{
	void *h;

	if ((h = __atomic_load_n(&lib->h, __ATOMIC_ACQUIRE)) != NULL)
		return h;
	/* Two threads may both open it: dlopen() counts, the same handle. */
	if ((h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL)) != NULL)
		__atomic_store_n(&lib->h, h, __ATOMIC_RELEASE);
	return h;
}

int
lazy_try(struct lazy_lib *lib)
{
	return lazy_open(lib) != NULL;
}

void *
lazy_sym(struct lazy_lib *lib, const char *name)
{
	void *h, *s;

	if ((h = lazy_open(lib)) == NULL)
		lazy_die(lib, NULL, dlerror());
	if ((s = dlsym(h, name)) == NULL)
		lazy_die(lib, name, dlerror());
	return s;
}
