/* outfile.c - reports, events and state written atomically (outfile.h):
 * one implementation for read, merge, --report-dir and the live daemon. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "outfile.h"

static int
fail(char *errbuf, const char *path)
{
	snprintf(errbuf, ERRBUF_LEN, "%s: %s", path, strerror(errno));
	return -1;
}

int
outfile_dir_safe(const char *path, char *errbuf)
{
	char dir[PATH_MAX], *slash;
	struct stat st;

	if (strlen(path) >= sizeof(dir)) {
		snprintf(errbuf, ERRBUF_LEN, "%.*s: path too long",
		    ERRBUF_LEN / 2, path);
		return -1;
	}
	strcpy(dir, path);
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &st) != 0)
		return 0;		/* the write itself will say why */
	if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
		snprintf(errbuf, ERRBUF_LEN, "%.*s: in %.*s, which anyone may "
		    "write to (not sticky): refused", ERRBUF_LEN / 3, path,
		    ERRBUF_LEN / 3, dir);
		return -1;
	}
	return 0;
}

int
outfile_link_safe(const char *path, char *errbuf)
{
	struct stat st;

	if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
		return 0;
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%.*s: a symbolic link owned by "
		    "another user (uid %u): not followed", ERRBUF_LEN / 2,
		    path, (unsigned)st.st_uid);
		return -1;
	}
	return 0;
}

int
outfile_begin(struct outfile *o, char *errbuf)
{
	struct stat st;
	mode_t mode;
	int fd = -1;

	if (o->path == NULL)
		return 0;
	if (strcmp(o->path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	/* Someone else's link or directory must not steer where we write. */
	if (outfile_link_safe(o->path, errbuf) != 0 ||
	    outfile_dir_safe(o->path, errbuf) != 0)
		return -1;
	/*
	 * A device, FIFO or terminal (/dev/stdout, a pipe) is written in
	 * place: renaming a temporary over it would replace the node itself.
	 */
	if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fp = fopen(o->path, "w")) == NULL)
			return fail(errbuf, o->path);
		o->direct = true;
		return 0;
	}
	if ((o->tmp = malloc(2 * PATH_MAX)) == NULL)
		return fail(errbuf, o->path);
	o->target = o->tmp + PATH_MAX;
	/*
	 * A symlink to a regular file stays a symlink: the temporary goes
	 * beside the file it points to, and is renamed over that.
	 */
	if (lstat(o->path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (realpath(o->path, o->target) == NULL) {
			(void)fail(errbuf, o->path);
			goto fail;
		}
	} else if ((size_t)snprintf(o->target, PATH_MAX, "%s", o->path) >=
	    PATH_MAX) {
		snprintf(errbuf, ERRBUF_LEN, "%s: path too long", o->path);
		goto fail;
	}
	if ((size_t)snprintf(o->tmp, PATH_MAX, "%s.tmp.XXXXXX", o->target) >=
	    PATH_MAX) {
		snprintf(errbuf, ERRBUF_LEN, "%s: path too long", o->path);
		goto fail;
	}
	/* mkstemp() makes 0600: give the file the mode asked for, or the
	 * one a new file would get (or the one it replaces had). */
	if (o->mode != 0)
		mode = o->mode;
	else if (stat(o->target, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	if ((fd = mkstemp(o->tmp)) != -1)
		(void)fchmod(fd, mode);	/* some file systems refuse: not fatal */
	if (fd == -1 || (o->fp = fdopen(fd, "w")) == NULL) {
		(void)fail(errbuf, o->path);
		if (fd != -1) {
			close(fd);
			unlink(o->tmp);
		}
		goto fail;
	}
	return 0;
fail:
	free(o->tmp);
	o->tmp = o->target = NULL;
	return -1;
}

/* Makes the rename of a file in path's directory durable. */
static void
sync_dir(const char *path)
{
	char dir[PATH_MAX], *slash;
	int fd;

	if (strlen(path) >= sizeof(dir))
		return;
	strcpy(dir, path);
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int
outfile_end(struct outfile *o, bool ok, char *errbuf)
{
	int r = 0;

	if (o->fp == NULL)
		return 0;
	if (o->direct) {
		if (fclose(o->fp) != 0)
			r = fail(errbuf, o->path);
		o->fp = NULL;
		return r;
	}
	if (o->fp == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			snprintf(errbuf, ERRBUF_LEN, "standard output: %s",
			    strerror(errno));
			r = -1;
		}
		o->fp = NULL;
		return r;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0) {
		r = fail(errbuf, o->path);
		ok = false;
	}
	fclose(o->fp);
	o->fp = NULL;
	if (ok && rename(o->tmp, o->target) != 0) {
		r = fail(errbuf, o->path);
		ok = false;
	}
	if (!ok)
		unlink(o->tmp);
	else if (o->durable)
		sync_dir(o->target);
	free(o->tmp);
	o->tmp = o->target = NULL;
	return r;
}
