/* report_dir.c - --report-dir: per network the text and JSON reports (and
 * the -F format's), then the index, through the writers table. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "err.h"
#include "outfile.h"
#include "report_dir.h"
#include "report_int.h"

/* linux/fs.h's RENAME_EXCHANGE, without the kernel headers. */
#define RENAME_EXCHANGE_	(1 << 1)

static bool	dir_fill(const char *, const struct writer *,
		    const struct aggregate *, const struct report_meta *,
		    const struct letter *, char *);

/* dir/name.ext, or false (with errbuf) when it does not fit. */
static bool
dir_path(char *buf, size_t len, const char *dir, const char *name,
    const char *ext, char *errbuf)
{
	if ((size_t)snprintf(buf, len, "%s/%s.%s", dir, name, ext) >= len) {
		snprintf(errbuf, ERRBUF_LEN, "%.*s: path too long",
		    ERRBUF_LEN / 2, dir);
		return false;
	}
	return true;
}

/* What one file of the directory holds: its writer and what it needs. */
struct dir_job {
	const struct writer		*w;	/* a report or index format */
	const struct aggregate		*ag;
	const struct report_meta	*meta;
	const struct agg_net		*net;	/* a network's file */
	char *const			*bases;	/* the index, outreach.csv */
	const char			*extra;	/* the index: -F's extension */
	const struct letter		*letter;
	bool				 html;	/* the letter's HTML form */
};

typedef int	dir_fn(FILE *, const struct dir_job *);

/* dir/base.ext written atomically by fn; false with errbuf. */
static bool
dir_put(const char *dir, const char *base, const char *ext, dir_fn *fn,
    const struct dir_job *j, char *errbuf)
{
	char path[PATH_MAX], scratch[ERRBUF_LEN];
	struct outfile o = { 0 };
	int r;

	if (!dir_path(path, sizeof(path), dir, base, ext, errbuf))
		return false;
	o.path = path;
	if (outfile_begin(&o, errbuf) != 0)
		return false;
	if ((r = fn(o.fp, j)) == ERR_OK && ferror(o.fp))
		r = ERR_IO;
	if (r != ERR_OK)
		snprintf(errbuf, ERRBUF_LEN, "%.*s: write failed",
		    ERRBUF_LEN - 16, path);
	return outfile_end(&o, r == ERR_OK, r == ERR_OK ? errbuf : scratch) ==
	    0 && r == ERR_OK;
}

/* A network's report in j->w's format. */
static int
put_report(FILE *fp, const struct dir_job *j)
{
	return j->w->write(fp, j->ag, j->meta, j->net);
}

/* The index, as text or JSON. */
static int
put_index(FILE *fp, const struct dir_job *j)
{
	return strcmp(j->w->name, "json") == 0 ? report_index_json(fp, j->ag,
	    j->meta, j->bases, j->extra) : report_index_text(fp, j->ag,
	    j->meta, j->bases, j->extra);
}

static int
put_letter(FILE *fp, const struct dir_job *j)
{
	return letter_write(fp, j->letter, j->net, j->meta, j->html);
}

/* outreach.csv: one row per network for a mail merge. */
static int
put_outreach(FILE *fp, const struct dir_job *j)
{
	const struct agg_net *net;
	char n[32], *l;
	size_t i;

	fputs("network,network_name,contacts,hosts,verdict,letter,"
	    "letter_html\r\n", fp);
	for (i = 0; i < aggregate_n_nets(j->ag); i++) {
		net = aggregate_net(j->ag, i);
		l = report_list(net->contacts, '\n');
		report_csv_field(fp, net->cidr, false);
		report_csv_field(fp, net->name, false);
		report_csv_field(fp, l != NULL ? l : net->contacts, false);
		free(l);
		snprintf(n, sizeof(n), "%zu", net->n_hosts);
		report_csv_field(fp, n, false);
		report_csv_field(fp, verdict_name(letter_verdict(net)),
		    false);
		if (letter_verdict(net) == VERDICT_MIGRATED)
			fputs(",\r\n", fp);	/* no letter: not Kaspersky */
		else
			fprintf(fp, "%s.letter.txt,%s.letter.html\r\n",
			    j->bases[i], j->bases[i]);
	}
	return ERR_OK;
}

/*
 * The meta of one network's pack: its own time span (its hosts' first and
 * last contact), none of the audit's inputs, packets or statistics.
 */
static void
pack_meta(struct report_meta *pm, const struct report_meta *meta,
    const struct agg_net *net)
{
	const struct agg_ref *f, *l;
	size_t i;

	*pm = *meta;
	pm->pack = true;
	pm->files = NULL;
	pm->n_files = 0;
	pm->linktypes = NULL;
	pm->n_linktypes = 0;
	pm->packets = pm->bytes = 0;
	pm->filter = NULL;
	pm->decode = NULL;
	pm->audit = NULL;
	pm->flow = NULL;
	pm->have_time = false;
	for (i = 0; i < net->n_hosts; i++) {
		f = &net->hosts[i]->first;
		l = &net->hosts[i]->last;
		if (!pm->have_time || f->ts_sec < pm->first_sec ||
		    (f->ts_sec == pm->first_sec && f->ts_nsec < pm->first_nsec)) {
			pm->first_sec = f->ts_sec;
			pm->first_nsec = f->ts_nsec;
		}
		if (!pm->have_time || l->ts_sec > pm->last_sec ||
		    (l->ts_sec == pm->last_sec && l->ts_nsec > pm->last_nsec)) {
			pm->last_sec = l->ts_sec;
			pm->last_nsec = l->ts_nsec;
		}
		pm->have_time = true;
	}
}

/* Removes what a previous run left in dir (files only; a directory
 * someone put there stays, and so does dir then). */
static void
dir_remove(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int fd;

	/* Never through a link: what was swapped out may be anyone's. */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		(void)unlinkat(fd, de->d_name, 0);
	}
	closedir(d);
	(void)rmdir(dir);
}

size_t
report_dir_clean_stale(const char *dir)
{
	static const char *const tails[] = { ".tmp-??????",
	    ".tmp-??????.old" };
	char pat[2 * PATH_MAX + 32];
	struct stat st;
	glob_t g;
	size_t i, j, k, n = 0;

	for (j = 0; j < sizeof(tails) / sizeof(tails[0]); j++) {
		for (i = k = 0; dir[i] != '\0' && k < 2 * PATH_MAX; i++) {
			if (strchr("*?[\\", dir[i]) != NULL)
				pat[k++] = '\\';	/* the path is no pattern */
			pat[k++] = dir[i];
		}
		if (dir[i] != '\0')
			return n;
		memcpy(pat + k, tails[j], strlen(tails[j]) + 1);
		if (glob(pat, 0, NULL, &g) != 0)
			continue;
		for (i = 0; i < g.gl_pathc; i++) {
			if (lstat(g.gl_pathv[i], &st) != 0 ||
			    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
				continue;
			dir_remove(g.gl_pathv[i]);
			if (lstat(g.gl_pathv[i], &st) != 0)
				n++;
		}
		globfree(&g);
	}
	return n;
}

/*
 * Puts the finished directory tmp in dir's place in one step: exchanged
 * with the old one (renameat2 RENAME_EXCHANGE), which is then removed, so
 * a reader sees the old run or the new one, never a mix, and no customer
 * of the old run survives in the new.  Without an old one, a rename.
 */
static bool
dir_swap(const char *tmp, const char *dir, char *errbuf)
{
	char old[PATH_MAX];

	if (rename(tmp, dir) == 0)
		return true;
	if (errno != EEXIST && errno != ENOTEMPTY)
		goto fail;
	if (syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, dir,
	    RENAME_EXCHANGE_) == 0) {
		dir_remove(tmp);
		return true;
	}
	/* A file system without the exchange: two renames. */
	if ((size_t)snprintf(old, sizeof(old), "%s.old", tmp) >= sizeof(old) ||
	    rename(dir, old) != 0)
		goto fail;
	if (rename(tmp, dir) != 0) {
		(void)rename(old, dir);
		goto fail;
	}
	dir_remove(old);
	return true;
fail:
	snprintf(errbuf, ERRBUF_LEN, "%.*s: cannot replace it: %s",
	    ERRBUF_LEN / 2, dir, strerror(errno));
	return false;
}

bool
report_dir_write(const char *dir, const struct writer *fmt,
    const struct aggregate *ag, const struct report_meta *meta,
    const struct letter *letter, char *errbuf)
{
	char tmp[PATH_MAX], real[PATH_MAX];
	struct stat st;
	mode_t mask;
	bool ok;

	if (outfile_link_safe(dir, errbuf) != 0 ||
	    outfile_dir_safe(dir, errbuf) != 0)
		return false;
	/* Our own link to a directory: the directory is replaced, the link
	 * stays. */
	if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (realpath(dir, real) == NULL) {
			snprintf(errbuf, ERRBUF_LEN, "%.*s: %s", ERRBUF_LEN / 2,
			    dir, strerror(errno));
			return false;
		}
		dir = real;
	}
	if (lstat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		snprintf(errbuf, ERRBUF_LEN, "%.*s: not a directory",
		    ERRBUF_LEN / 2, dir);
		return false;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", dir) >=
	    sizeof(tmp)) {
		snprintf(errbuf, ERRBUF_LEN, "%.*s: path too long",
		    ERRBUF_LEN / 2, dir);
		return false;
	}
	if (mkdtemp(tmp) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "%.*s: %s", ERRBUF_LEN / 2, tmp,
		    strerror(errno));
		return false;
	}
	/* mkdtemp makes it 0700; the directory gets what mkdir would give. */
	mask = umask(0);
	umask(mask);
	(void)chmod(tmp, 0777 & ~mask);
	ok = dir_fill(tmp, fmt, ag, meta, letter, errbuf);
	if (ok)
		ok = dir_swap(tmp, dir, errbuf);
	if (!ok)
		dir_remove(tmp);
	return ok;
}

/* The files of every network, then the index, into the new dir. */
static bool
dir_fill(const char *dir, const struct writer *fmt,
    const struct aggregate *ag, const struct report_meta *meta,
    const struct letter *letter, char *errbuf)
{
	const struct writer *text = writer_find("text");
	const struct writer *json = writer_find("json");
	const struct writer *extra = fmt != text && fmt != json ? fmt : NULL;
	size_t i, n = aggregate_n_nets(ag);
	struct report_meta pm;
	struct dir_job j;
	char **bases;
	bool ok = true;

	if ((bases = report_bases(ag)) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return false;
	}
	memset(&j, 0, sizeof(j));
	j.ag = ag;
	j.letter = letter;
	j.meta = &pm;
	for (i = 0; i < n && ok; i++) {
		j.net = aggregate_net(ag, i);
		pack_meta(&pm, meta, j.net);
		j.w = text;
		ok = dir_put(dir, bases[i], text->ext, put_report, &j, errbuf);
		j.w = json;
		ok = ok && dir_put(dir, bases[i], json->ext, put_report, &j,
		    errbuf);
		j.w = extra;
		if (ok && extra != NULL)
			ok = dir_put(dir, bases[i], extra->ext, put_report, &j,
			    errbuf);
		/* No letter saying "Kaspersky" where only UltraAV was. */
		if (letter_verdict(j.net) == VERDICT_MIGRATED)
			continue;
		j.html = false;
		if (ok && letter != NULL)
			ok = dir_put(dir, bases[i], "letter.txt", put_letter,
			    &j, errbuf);
		j.html = true;
		if (ok && letter != NULL)
			ok = dir_put(dir, bases[i], "letter.html", put_letter,
			    &j, errbuf);
	}
	j.net = NULL;
	j.meta = meta;
	j.bases = bases;
	j.extra = extra != NULL ? extra->ext : NULL;
	if (ok && letter != NULL)
		ok = dir_put(dir, "outreach", "csv", put_outreach, &j, errbuf);
	j.w = text;
	ok = ok && dir_put(dir, "index", text->ext, put_index, &j, errbuf);
	j.w = json;
	ok = ok && dir_put(dir, "index", json->ext, put_index, &j, errbuf);
	report_bases_free(bases, n);
	return ok;
}
