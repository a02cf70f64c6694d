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
	/* Last, so that outfile_init() touches one page of them. */
	char		 tmp[PATH_MAX];
	char		 target[PATH_MAX];	/* path, symlinks resolved */
};

/*
 * An outfile for path (NULL: not wanted), every field set but the two
 * PATH_MAX buffers, which outfile_begin() writes before anything reads
 * them: `= { 0 }` clears 8 KiB, two or three pages of stack to fault in.
 */
static inline void
outfile_init(struct outfile *o, const char *path)
{
	o->path = path;
	o->mode = 0;
	o->durable = false;
	o->direct = false;
	o->fp = NULL;
}

/*
 * Opens o->path for writing.  A symbolic link stays one: its target is
 * what gets replaced.  0, or -1 with errbuf "path: why".
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
