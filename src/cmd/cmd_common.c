/* cmd_common.c - helpers of main() and the subcommands: messages, output
 * files renamed into place, signature sets and networks loaded by option. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "capture.h"
#include "err.h"
#include "addr.h"
#include "anon.h"
#include "letter.h"
#include "netmap.h"

/* ---- output files (outfile.c), with the failure as a warning ----------- */

int
outfile_open(struct outfile *o)
{
	char errbuf[ERRBUF_LEN];

	if (outfile_begin(o, errbuf) != 0) {
		warnx("%s", errbuf);
		return -1;
	}
	return 0;
}

int
outfile_close(struct outfile *o, bool ok)
{
	char errbuf[ERRBUF_LEN];

	if (outfile_end(o, ok, errbuf) != 0) {
		warnx("%s", errbuf);
		return -1;
	}
	return 0;
}

/* ---- signatures and networks ------------------------------------------ */

bool
file_is_capture(const char *path)
{
	uint8_t b[4];
	struct stat st;
	size_t n;
	FILE *fp;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (fp = fopen(path, "rb")) == NULL)
		return false;
	n = fread(b, 1, sizeof(b), fp);
	fclose(fp);
	return n == sizeof(b) && capture_magic(b, n);
}

/*
 * A file an option names that could not be read at all, or that is a
 * capture (`-n x.pcap`, `-s x.pcap`: a capture put before the options'
 * end): the message names the option, as tcpdump users expect.  false
 * when path is fine to load; errbuf is then untouched.
 */
static bool
option_file_bad(const char *opt, const char *path, const char *what,
    char *errbuf)
{
	if (file_is_capture(path)) {
		snprintf(errbuf, ERRBUF_LEN, "%s %s: a capture file, not %s",
		    opt, path, what);
		return true;
	}
	if (access(path, R_OK) != 0) {
		snprintf(errbuf, ERRBUF_LEN, "%s %s: %s", opt, path,
		    strerror(errno));
		return true;
	}
	return false;
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
		if (option_file_bad("-s", so->files[i], "a signature file",
		    errbuf) || match_load_file(m, so->files[i], errbuf) !=
		    ERR_OK)
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

	if (option_file_bad("-n", path, "a networks file", errbuf))
		return NULL;
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

struct letter *
letter_open(const struct opts *o)
{
	char errbuf[ERRBUF_LEN];
	struct letter *l;

	if (o->report_dir == NULL) {
		warnx("--letter: the letters go next to the packs of "
		    "--report-dir; give one");
		return NULL;
	}
	if (strcmp(o->letter, "default") != 0 && option_file_bad("--letter",
	    o->letter, "a letter template", errbuf)) {
		warnx("%s", errbuf);
		return NULL;
	}
	if ((l = letter_load(o->letter, errbuf)) == NULL)
		warnx("--letter: %s", errbuf);
	return l;
}
