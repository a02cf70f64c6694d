/* lazy.h - shared libraries loaded at their first call (dlopen), so that a
 * run pays only for the libraries it uses; stubs in lazy_libs.c. */
#ifndef KASAUDIT_LAZY_H
#define KASAUDIT_LAZY_H

/*
 * One library opened on demand: its SONAME and what needs it (said when it
 * cannot be loaded).  h is the dlopen() handle once opened.
 */
struct lazy_lib {
	const char	*soname;
	const char	*what;
	void		*h;
};

/*
 * The address of name in lib, opening lib at the first call.  A library
 * or symbol that cannot be loaded is fatal: the stub that asked has no
 * way to say so to its caller.  lazy_fatal (set by the command) gets one
 * line, "cannot load ...", and does not return; by default it is written
 * to standard error and the process aborts.  Thread-safe.
 */
void	*lazy_sym(struct lazy_lib *lib, const char *name);

extern void (*lazy_fatal)(const char *line);

/* Whether lib can be opened (tests/test_lazy.c). */
int	 lazy_try(struct lazy_lib *lib);

#endif
