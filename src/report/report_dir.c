/* report_dir.c - --report-dir: per network the text and JSON reports (and
 * the -F format's), then the index, through the writers table. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "outfile.h"
#include "report_dir.h"

/* dir/name.ext, or false (with errbuf) when it does not fit. */
static bool
dir_path(char *buf, size_t len, const char *dir, const char *name,
    const char *ext, char *errbuf)
{
	if ((size_t)snprintf(buf, len, "%s/%s.%s", dir, name, ext) >= len) {
		snprintf(errbuf, ERRBUF_LEN, "%s: path too long", dir);
		return false;
	}
	return true;
}

/* One file of the directory: a network's report in w's format, or (bases
 * not NULL) the index, as text or JSON. */
static bool
dir_file(const char *dir, const char *base, const struct writer *w,
    const struct aggregate *ag, const struct report_meta *meta,
    const struct agg_net *net, char *const *bases, const char *extra,
    char *errbuf)
{
	char path[PATH_MAX], scratch[ERRBUF_LEN];
	struct outfile o = { 0 };
	int r;

	if (!dir_path(path, sizeof(path), dir, base, w->ext, errbuf))
		return false;
	o.path = path;
	if (outfile_begin(&o, errbuf) != 0)
		return false;
	if (bases != NULL)
		r = strcmp(w->name, "json") == 0 ? report_index_json(o.fp, ag,
		    meta, bases, extra) : report_index_text(o.fp, ag, meta,
		    bases, extra);
	else
		r = w->write(o.fp, ag, meta, net);
	if (r != ERR_OK)
		snprintf(errbuf, ERRBUF_LEN, "%.*s: write failed",
		    ERRBUF_LEN - 16, path);
	return outfile_end(&o, r == ERR_OK, r == ERR_OK ? errbuf : scratch) ==
	    0 && r == ERR_OK;
}

bool
report_dir_write(const char *dir, const struct writer *fmt,
    const struct aggregate *ag, const struct report_meta *meta, char *errbuf)
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
		snprintf(errbuf, ERRBUF_LEN, "%s: %s", dir, strerror(errno));
		return false;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(errbuf, ERRBUF_LEN, "%s: not a directory", dir);
		return false;
	}
	if ((bases = report_bases(ag)) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return false;
	}
	for (i = 0; i < n && ok; i++) {
		const struct agg_net *net = aggregate_net(ag, i);

		ok = dir_file(dir, bases[i], text, ag, meta, net, NULL,
		    NULL, errbuf) && dir_file(dir, bases[i], json, ag, meta,
		    net, NULL, NULL, errbuf);
		if (ok && extra != NULL)
			ok = dir_file(dir, bases[i], extra, ag, meta, net,
			    NULL, NULL, errbuf);
	}
	if (ok)
		ok = dir_file(dir, "index", text, ag, meta, NULL, bases,
		    ext, errbuf) && dir_file(dir, "index", json, ag, meta,
		    NULL, bases, ext, errbuf);
	report_bases_free(bases, n);
	return ok;
}
