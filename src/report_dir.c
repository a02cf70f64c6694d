/* report_dir.c - --report-dir: per network the text and JSON reports (and
 * the -F format's), then the index, through the writers table. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "err.h"
#include "report_dir.h"

/* dir/name.ext, or false (with a warning) when it does not fit. */
static bool
dir_path(char *buf, size_t len, const char *dir, const char *name,
    const char *ext)
{
	if ((size_t)snprintf(buf, len, "%s/%s.%s", dir, name, ext) >= len) {
		warnx("%s: path too long", dir);
		return false;
	}
	return true;
}

/* One file of the directory: a network's report in w's format, or (bases
 * not NULL) the index, as text or JSON. */
static bool
dir_file(const char *dir, const char *base, const struct writer *w,
    const struct aggregate *ag, const struct report_meta *meta,
    const struct agg_net *net, char *const *bases, const char *extra)
{
	char path[PATH_MAX];
	struct outfile o = { 0 };
	int r;

	if (!dir_path(path, sizeof(path), dir, base, w->ext))
		return false;
	o.path = path;
	if (outfile_open(&o) != 0)
		return false;
	if (bases != NULL)
		r = strcmp(w->name, "json") == 0 ? report_index_json(o.fp, ag,
		    meta, bases, extra) : report_index_text(o.fp, ag, meta,
		    bases, extra);
	else
		r = w->write(o.fp, ag, meta, net);
	if (r != ERR_OK)
		warnx("%s: write failed", path);
	return outfile_close(&o, r == ERR_OK) == 0 && r == ERR_OK;
}

bool
report_dir_write(const char *dir, const struct writer *fmt,
    const struct aggregate *ag, const struct report_meta *meta)
{
	const struct writer *text = writer_find("text");
	const struct writer *json = writer_find("json");
	const struct writer *extra = fmt != text && fmt != json ? fmt : NULL;
	const char *ext = extra != NULL ? extra->ext : NULL;
	size_t i, n = aggregate_n_nets(ag);
	struct stat st;
	char **bases;
	bool ok = true;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		warnx("%s: %s", dir, strerror(errno));
		return false;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		warnx("%s: not a directory", dir);
		return false;
	}
	if ((bases = report_bases(ag)) == NULL) {
		warnx("out of memory");
		return false;
	}
	for (i = 0; i < n && ok; i++) {
		const struct agg_net *net = aggregate_net(ag, i);

		ok = dir_file(dir, bases[i], text, ag, meta, net, NULL,
		    NULL) && dir_file(dir, bases[i], json, ag, meta, net,
		    NULL, NULL);
		if (ok && extra != NULL)
			ok = dir_file(dir, bases[i], extra, ag, meta, net,
			    NULL, NULL);
	}
	if (ok)
		ok = dir_file(dir, "index", text, ag, meta, NULL, bases,
		    ext) && dir_file(dir, "index", json, ag, meta, NULL,
		    bases, ext);
	report_bases_free(bases, n);
	return ok;
}
