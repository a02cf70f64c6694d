/* outfile.h - an output file that a reader never sees half written: a
 * temporary beside it, renamed into place; devices, FIFOs and "-" in place. */
#ifndef KASAUDIT_OUTFILE_H
#define KASAUDIT_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct outfile {
	const char	*path;		/* NULL: not wanted; "-": stdout */
	mode_t		 mode;		/* 0: the replaced file's, or a new
					   file's (0666 less the umask) */
	bool		 durable;	/* fsync the directory after rename */
	bool		 direct;	/* not a regular file: written in place */
	FILE		*fp;		/* NULL when path is NULL */
	/*
	 * The temporary's name and path with symlinks resolved: PATH_MAX
	 * each, on the heap from outfile_begin() to outfile_end() and only
	 * for a regular file.  In the struct they were 8 KiB for every
	 * caller to clear: `= { 0 }` on three of them faulted in six pages
	 * of stack at each start of kasaudit read.
	 */
	char		*tmp;
	char		*target;
};

/*
 * Opens o->path for writing; the other fields zero (`= { 0 }`) but mode
 * and durable.  A symbolic link stays one: its target is what gets
 * replaced.  0, or -1 with errbuf "path: why"; after 0, outfile_end()
 * must follow (it frees what this took).
 */
int	outfile_begin(struct outfile *, char *errbuf);
/*
 * Flushes and fsyncs; when ok renames the temporary into place, else
 * removes it.  Standard output is flushed, not closed.  0, or -1 with
 * errbuf.
 */
int	outfile_end(struct outfile *, bool ok, char *errbuf);

/*
 * Where a run as root (or any user) must not write: 0, or -1 with errbuf.
 * outfile_dir_safe(): path's directory is writable by anyone and not
 * sticky, so another user could put anything there.
 * outfile_link_safe(): path is a symbolic link owned by someone other
 * than us or root (planted: followed, it would point our write anywhere).
 * outfile_begin() checks both.
 */
int	outfile_dir_safe(const char *path, char *errbuf);
int	outfile_link_safe(const char *path, char *errbuf);

#endif
