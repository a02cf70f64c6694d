/* cmd_common.c - helpers of main() and the subcommands: messages, output
 * files renamed into place, signature sets and networks loaded by option. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "err.h"
#include "addr.h"
#include "anon.h"
#include "netmap.h"

static const char progname[] = "kasaudit";

void
warnx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- output files: written to a temporary, renamed into place ---------- */

int
outfile_open(struct outfile *o)
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
	/*
	 * A device, FIFO or terminal (/dev/stdout, a pipe) is written in
	 * place: renaming a temporary over it would replace the node itself.
	 */
	if (stat(o->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fp = fopen(o->path, "w")) == NULL) {
			warnx("%s: %s", o->path, strerror(errno));
			return -1;
		}
		o->direct = true;
		return 0;
	}
	/*
	 * A symlink to a regular file stays a symlink: the temporary goes
	 * beside the file it points to, and is renamed over that.
	 */
	if (lstat(o->path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (realpath(o->path, o->target) == NULL) {
			warnx("%s: %s", o->path, strerror(errno));
			return -1;
		}
	} else if ((size_t)snprintf(o->target, sizeof(o->target), "%s",
	    o->path) >= sizeof(o->target)) {
		warnx("%s: path too long", o->path);
		return -1;
	}
	if ((size_t)snprintf(o->tmp, sizeof(o->tmp), "%s.tmp.XXXXXX",
	    o->target) >= sizeof(o->tmp)) {
		warnx("%s: path too long", o->path);
		return -1;
	}
	/* mkstemp() makes 0600: give the report the mode a new file would
	 * get (or the one it replaces had). */
	if (stat(o->target, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	if ((fd = mkstemp(o->tmp)) == -1 || fchmod(fd, mode) != 0 ||
	    (o->fp = fdopen(fd, "w")) == NULL) {
		warnx("%s: %s", o->path, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(o->tmp);
		}
		return -1;
	}
	return 0;
}

/* Renames into place when ok, else removes the temporary. */
int
outfile_close(struct outfile *o, bool ok)
{
	int r = 0;

	if (o->fp == NULL)
		return 0;
	if (o->direct) {
		if (fclose(o->fp) != 0) {
			warnx("%s: %s", o->path, strerror(errno));
			r = -1;
		}
		o->fp = NULL;
		return r;
	}
	if (o->fp == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			warnx("standard output: %s", strerror(errno));
			r = -1;
		}
		o->fp = NULL;
		return r;
	}
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0) {
		warnx("%s: %s", o->path, strerror(errno));
		ok = false;
		r = -1;
	}
	fclose(o->fp);
	o->fp = NULL;
	if (ok && rename(o->tmp, o->target) != 0) {
		warnx("%s: %s", o->path, strerror(errno));
		r = -1;
		ok = false;
	}
	if (!ok)
		unlink(o->tmp);
	return r;
}


/* ---- signatures and networks ------------------------------------------ */

bool
add_sigfile(struct sigopts *so, const char *path)
{
	if (so->n_files == sizeof(so->files) / sizeof(so->files[0])) {
		warnx("too many -s files (at most %zu)",
		    sizeof(so->files) / sizeof(so->files[0]));
		return false;
	}
	so->files[so->n_files++] = path;
	return true;
}

struct match *
sigs_build(const struct sigopts *so, char *errbuf)
{
	struct match *m;
	size_t i;

	if ((m = match_new()) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return NULL;
	}
	if (!so->no_default && match_load_builtin(m, errbuf) != ERR_OK)
		goto fail;
	for (i = 0; i < so->n_files; i++)
		if (match_load_file(m, so->files[i], errbuf) != ERR_OK)
			goto fail;
	if (match_count(m) == 0) {
		snprintf(errbuf, ERRBUF_LEN, "no signatures (--no-default-sigs "
		    "without -s FILE?)");
		goto fail;
	}
	return m;
fail:
	match_free(m);
	return NULL;
}

struct match *
load_sigs(const struct sigopts *so)
{
	char errbuf[ERRBUF_LEN];
	struct match *m;

	if ((m = sigs_build(so, errbuf)) == NULL)
		warnx("%s", errbuf);
	return m;
}

struct netmap *
nets_build(const char *path, char *errbuf)
{
	struct netmap *nm;

	if ((nm = netmap_new()) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return NULL;
	}
	if (netmap_load_file(nm, path, errbuf) != ERR_OK) {
		netmap_free(nm);
		return NULL;
	}
	return nm;
}

/*
 * --anonymize with -n: the same networks file with every CIDR replaced by
 * its pseudonym.  Crypto-PAn keeps prefixes, so an address is inside a
 * network exactly when its pseudonym is inside the network's pseudonym:
 * hosts land in the same networks, and no report shows a real prefix.  The
 * file has already loaded once as it is, so every first token that is not
 * a comment is a CIDR.
 */
struct netmap *
nets_build_anon(const char *path, struct anon *an)
{
	char errbuf[ERRBUF_LEN], ab[ADDR_STRLEN], tok[ADDR_STRLEN + 8];
	struct netmap *nm = NULL;
	char *text = NULL, *slash;
	size_t len = 0, i, j, t;
	unsigned long long plen;
	struct addr a, m;
	FILE *in = NULL, *out = NULL;
	char *line = NULL;
	size_t line_cap = 0;

	if ((in = fopen(path, "r")) == NULL) {
		warnx("%s: %s", path, strerror(errno));
		return NULL;
	}
	if ((out = open_memstream(&text, &len)) == NULL)
		goto nomem;
	while (getline(&line, &line_cap, in) != -1) {
		for (i = 0; line[i] == ' ' || line[i] == '\t'; i++)
			;
		for (j = i; line[j] != '\0' && line[j] != ' ' &&
		    line[j] != '\t' && line[j] != '\n' && line[j] != '\r'; j++)
			;
		t = j - i;
		if (t == 0 || line[i] == '#' || t >= sizeof(tok)) {
			fputs(line, out);
			continue;
		}
		memcpy(tok, line + i, t);
		tok[t] = '\0';
		if ((slash = strchr(tok, '/')) != NULL)
			*slash = '\0';
		if (!addr_parse(&a, tok)) {
			fputs(line, out);
			continue;
		}
		plen = a.family == 4 ? 32 : 128;
		if (slash != NULL)
			plen = strtoull(slash + 1, NULL, 10);
		anon_addr(an, &a, &a);
		addr_mask(&m, &a, (unsigned)plen);
		fprintf(out, "%.*s%s/%llu%s", (int)i, line, addr_fmt(&m, ab),
		    plen, line + j);
	}
	if (ferror(in) || fclose(out) != 0) {
		out = NULL;
		warnx("%s: cannot read it again for --anonymize", path);
		goto fail;
	}
	out = NULL;
	if ((nm = netmap_new()) == NULL)
		goto nomem;
	if (netmap_load_buf(nm, text, len, path, errbuf) != ERR_OK) {
		warnx("%s (after --anonymize)", errbuf);
		goto fail;
	}
	fclose(in);
	free(line);
	free(text);
	return nm;
nomem:
	warnx("out of memory");
fail:
	if (out != NULL)
		fclose(out);
	fclose(in);
	free(line);
	free(text);
	netmap_free(nm);
	return NULL;
}
