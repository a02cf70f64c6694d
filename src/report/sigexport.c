/* sigexport.c - signature names as RPZ (draft-vixie-dnsop-dns-rpz), Unbound,
 * dnsmasq, hosts, Suricata and Zeek Intel files, saying what was left out. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "match.h"
#include "sigexport.h"

/* What one pattern becomes in the chosen format. */
enum decision {
	D_WRITE,		/* as it is */
	D_WIDEN,		/* written, matching more than the pattern */
	D_PARTIAL,		/* only the name itself */
	D_COVERED,		/* a written suffix pattern covers it */
	D_LEFT			/* no form in this format */
};

struct item {
	const struct match_sig	*sg;
	size_t			 idx;		/* load order */
	char			 name[SIGEXPORT_NAME_MAX + 1];
	size_t			 len;
	const struct item	*cover;		/* a suffix item above it */
	enum decision		 d;
	uint32_t		 sid;
};

struct ctx {
	FILE				*fp;
	const struct sigexport_opts	*o;
	struct item			*it;
	size_t				 n;
	size_t				 n_addr, n_all;
	struct sigexport_stats		 st;
	const char			*cc;	/* comment start */
};

/* ---- the items ---------------------------------------------------------- */

/* Labels compared right to left (a name's domain before it), then suffix
 * before exact before wildcard, then load order. */
static int
item_cmp(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	size_t i = a->len, j = b->len, si, sj, la, lb;
	int r;

	while (i > 0 && j > 0) {
		for (si = i; si > 0 && a->name[si - 1] != '.'; si--)
			;
		for (sj = j; sj > 0 && b->name[sj - 1] != '.'; sj--)
			;
		la = i - si;
		lb = j - sj;
		if ((r = memcmp(a->name + si, b->name + sj,
		    la < lb ? la : lb)) != 0)
			return r;
		if (la != lb)
			return la < lb ? -1 : 1;
		i = si > 0 ? si - 1 : 0;
		j = sj > 0 ? sj - 1 : 0;
		if ((si == 0) != (sj == 0))
			return si == 0 ? -1 : 1;
		if (si == 0)
			break;
	}
	if (a->sg->kind != b->sg->kind)
		return a->sg->kind < b->sg->kind ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The suffix item named exactly name[0..len), or NULL (it is sorted). */
static const struct item *
find_suffix(const struct ctx *c, const char *name, size_t len)
{
	struct item key;
	struct match_sig ks;
	size_t lo = 0, hi = c->n, mid;
	int r;

	if (len > SIGEXPORT_NAME_MAX)
		return NULL;
	memset(&ks, 0, sizeof(ks));
	ks.kind = MK_SUFFIX;
	memcpy(key.name, name, len);
	key.name[len] = '\0';
	key.len = len;
	key.sg = &ks;
	key.idx = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((r = item_cmp(&key, &c->it[mid])) <= 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo < c->n && c->it[lo].sg->kind == MK_SUFFIX &&
	    c->it[lo].len == len && memcmp(c->it[lo].name, name, len) == 0)
		return &c->it[lo];
	return NULL;
}

/*
 * The nearest suffix pattern that matches every name this item matches: for
 * an exact name the name itself or a domain above it, for a suffix a domain
 * strictly above it, for a wildcard a domain above its last label holding
 * a '*'.
 */
static const struct item *
find_cover(const struct ctx *c, const struct item *t)
{
	const struct item *s;
	size_t start = 0, i;

	if (t->sg->kind == MK_WILDCARD) {
		for (i = 0; i < t->len; i++)
			if (t->name[i] == '*')
				start = i;
	}
	if (t->sg->kind == MK_EXACT &&
	    (s = find_suffix(c, t->name, t->len)) != NULL)
		return s;
	for (i = start; i < t->len; i++) {
		if (t->name[i] != '.')
			continue;
		if ((s = find_suffix(c, t->name + i + 1, t->len - i - 1)) !=
		    NULL)
			return s;
	}
	return NULL;
}

/* The canonical name of a name pattern: no '=', no trailing dot, lower
 * case (the loader accepted it, so it fits). */
static void
canon(const struct match_sig *sg, struct item *t)
{
	const char *p = sg->pattern;
	size_t n, i;

	if (*p == '=')
		p++;
	n = strlen(p);
	if (n > 0 && p[n - 1] == '.')
		n--;
	if (n > SIGEXPORT_NAME_MAX)
		n = SIGEXPORT_NAME_MAX;
	for (i = 0; i < n; i++)
		t->name[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] + 32) :
		    p[i];
	t->name[n] = '\0';
	t->len = n;
}

/* ---- what each format can say ----------------------------------------- */

static const char *
left_reason(enum sigexport_format f)
{
	switch (f) {
	case SX_RPZ:
		return "RPZ has no '*' inside a label, and its '*.' matches "
		    "every depth below a name";
	case SX_UNBOUND:
		return "unbound's local zones have no wildcards";
	case SX_DNSMASQ:
		return "dnsmasq's address= has no '*' inside a label";
	case SX_HOSTS:
		return "a hosts file lists exact names only";
	default:
		return "Zeek Intel matches exact names only";
	}
}

static enum decision
decide(const struct ctx *c, const struct item *t)
{
	enum sigexport_format f = c->o->format;
	bool subtree = f == SX_RPZ || f == SX_UNBOUND || f == SX_DNSMASQ;

	if (f == SX_SURICATA)
		return D_WRITE;
	if (subtree && t->cover != NULL)
		return D_COVERED;
	if (f == SX_RPZ && t->len + 3 + strlen(c->o->zone) >
	    SIGEXPORT_NAME_MAX)
		return D_LEFT;
	switch (t->sg->kind) {
	case MK_SUFFIX:
		return subtree ? D_WRITE : D_PARTIAL;
	case MK_EXACT:
		if ((f == SX_UNBOUND && c->o->action != SX_ADDRESS) ||
		    f == SX_DNSMASQ)
			return D_WIDEN;
		return D_WRITE;
	default:
		return D_LEFT;
	}
}

/* Options a format cannot honour: 0, or -1 with errbuf. */
static int
check_opts(const struct sigexport_opts *o, char *errbuf)
{
	const char *f = sigexport_format_name(o->format);

	switch (o->format) {
	case SX_RPZ:
	case SX_UNBOUND:
		return 0;
	case SX_DNSMASQ:
	case SX_HOSTS:
		if (o->format == SX_HOSTS && o->action_given &&
		    o->action != SX_ADDRESS) {
			snprintf(errbuf, ERRBUF_LEN, "--format hosts answers "
			    "with an address (0.0.0.0 or --redirect-ip), not "
			    "--rpz-action");
			return -1;
		}
		if (o->action == SX_NODATA || o->action == SX_CNAME) {
			snprintf(errbuf, ERRBUF_LEN, "--format %s has no form "
			    "for --rpz-action %s: use nxdomain or "
			    "--redirect-ip", f, o->action == SX_NODATA ?
			    "nodata" : "cname");
			return -1;
		}
		return 0;
	default:
		if (o->action_given) {
			snprintf(errbuf, ERRBUF_LEN, "--format %s detects; "
			    "--rpz-action and --redirect-ip are for rpz, "
			    "unbound, dnsmasq and hosts", f);
			return -1;
		}
		return 0;
	}
}

/* ---- writing ------------------------------------------------------------ */

/* s with control bytes (tab, newline) as '?': one line, one field. */
static void
put_clean(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

static const char *
kind_text(const struct match_sig *sg)
{
	return match_kind_name(sg->kind);
}

/* The sets in load order; a set's lines are loaded together. */
static void
put_sets(const struct ctx *c, const struct match *m)
{
	const struct match_sig *sg, *prev = NULL;
	size_t i, shown = 0;

	for (i = 0; i < match_count(m); i++, prev = sg) {
		sg = match_at(m, i);
		if (prev != NULL && strcmp(prev->set, sg->set) == 0)
			continue;
		fputs(shown++ == 0 ? "" : ", ", c->fp);
		put_clean(c->fp, sg->set);
	}
}

static const char *
action_text(const struct ctx *c)
{
	static char buf[SIGEXPORT_NAME_MAX + 64];
	const struct sigexport_opts *o = c->o;

	switch (o->action) {
	case SX_NXDOMAIN:
		return "NXDOMAIN";
	case SX_NODATA:
		return "NODATA (the name exists, without records)";
	case SX_CNAME:
		snprintf(buf, sizeof(buf), "CNAME %s. (walled garden)",
		    o->target);
		return buf;
	default:
		snprintf(buf, sizeof(buf), "the address%s %s%s%s (walled "
		    "garden)", o->addr4[0] && o->addr6[0] ? "es" : "",
		    o->addr4, o->addr4[0] && o->addr6[0] ? " and " : "",
		    o->addr6);
		return buf;
	}
}

static const char *const notes[SX_NFORMATS] = {
	/* rpz */
	"An exact pattern is the name; a suffix pattern the name and *.name.\n"
	"The origin (--zone) must be the name the resolver loads the zone\n"
	"under.  The SOA serial is the time of the export ($SOURCE_DATE_EPOCH\n"
	"when set).",
	/* unbound */
	"For the server: clause (include: it from unbound.conf).  A local-zone\n"
	"is a name and every name below it, so an exact (=) pattern is\n"
	"widened to its names below too (with --redirect-ip it is local-data\n"
	"only, which is the name alone).",
	/* dnsmasq */
	"address=/NAME/ is the name and every name below it, so an exact (=)\n"
	"pattern is widened to its names below too.",
	/* hosts */
	"A hosts file lists exact names: an exact pattern is written, a suffix\n"
	"pattern only as the name itself (its names below are NOT blocked),\n"
	"and wildcard patterns are left out.  Use rpz, unbound or dnsmasq to\n"
	"block whole domains.",
	/* suricata */
	"Two rules per pattern, dns.query and tls.sni (Suricata 6 and 7):\n"
	"exact: content and bsize (the whole buffer); suffix: dotprefix and\n"
	"endswith \".name\" (the name and every name below it);\n"
	"wildcard: pcre, '*' being any run of characters inside one label.\n"
	"sid = 1610000000 + 2 * (FNV-1a-32 of \"KIND NAME\" mod 5000000), +1\n"
	"for tls.sni: stable while the pattern is (a collision moves the later\n"
	"pattern to the next free pair, said above its rules).  A name can\n"
	"match several rules (an exact one and a suffix above it): kasaudit\n"
	"itself reports the most specific.",
	/* zeek */
	"Zeek Intel (Intel::DOMAIN) matches exact names only: an exact pattern\n"
	"is written, a suffix pattern only as the name itself (its names below\n"
	"do NOT match), wildcard patterns are left out.  Load with @load\n"
	"frameworks/intel/seen and redef Intel::read_files.",
};

static void
put_comment_block(const struct ctx *c, const char *text)
{
	const char *p = text, *e;

	while (*p != '\0') {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		fprintf(c->fp, "%s %.*s\n", c->cc, (int)(e - p), p);
		p = *e == '\n' ? e + 1 : e;
	}
}

static void
put_list(const struct ctx *c, enum decision d, const char *title)
{
	const struct item *t;
	size_t i, shown = 0, total = 0;

	for (i = 0; i < c->n; i++)
		total += c->it[i].d == d;
	if (total == 0)
		return;
	fprintf(c->fp, "%s %s (%zu):\n", c->cc, title, total);
	for (i = 0; i < c->n && shown < SIGEXPORT_LIST_MAX; i++) {
		t = &c->it[i];
		if (t->d != d)
			continue;
		shown++;
		fprintf(c->fp, "%s   %s%s (%s, %s)", c->cc,
		    t->sg->kind == MK_EXACT ? "=" : "", t->name,
		    kind_text(t->sg), match_cat_name(t->sg->cat));
		if (d == D_LEFT && t->sg->kind == MK_WILDCARD)
			fprintf(c->fp, ": %s", left_reason(c->o->format));
		else if (d == D_LEFT)
			fprintf(c->fp, ": too long under the zone %s",
			    c->o->zone);
		fputc('\n', c->fp);
	}
	if (shown < total)
		fprintf(c->fp, "%s   ... and %zu more\n", c->cc, total - shown);
}

/*
 * Names of a category not exported that a written suffix still matches
 * (www.kaspersky.com, web, below kaspersky.com, other): kasaudit reports
 * the most specific pattern, these files block or alert on the suffix.
 * Only where a suffix is more than its own name.
 */
static void
put_shadowed(const struct ctx *c, const struct match *m)
{
	const struct item *s;
	struct item t;
	size_t i, shown = 0, total = 0;
	int pass;

	if (c->o->format == SX_HOSTS || c->o->format == SX_ZEEK)
		return;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < match_count(m); i++) {
			memset(&t, 0, sizeof(t));
			t.sg = match_at(m, i);
			if (t.sg->kind == MK_CIDR || t.sg->kind == MK_ALL ||
			    (c->o->cats & (1u << t.sg->cat)))
				continue;
			canon(t.sg, &t);
			if ((s = find_cover(c, &t)) == NULL)
				continue;
			if (pass == 0) {
				total++;
				continue;
			}
			if (shown++ == SIGEXPORT_LIST_MAX)
				break;
			fprintf(c->fp, "%s   %s%s (%s, %s): below %s (%s)\n",
			    c->cc, t.sg->kind == MK_EXACT ? "=" : "", t.name,
			    kind_text(t.sg), match_cat_name(t.sg->cat),
			    s->name, match_cat_name(s->sg->cat));
		}
		if (total == 0)
			return;
		if (pass == 0)
			fprintf(c->fp, "%s Not exported by category, but below an "
			    "exported suffix, so still matched (%zu):\n",
			    c->cc, total);
	}
	if (shown > SIGEXPORT_LIST_MAX)
		fprintf(c->fp, "%s   ... and %zu more\n", c->cc,
		    total - SIGEXPORT_LIST_MAX);
}

static void
put_header(const struct ctx *c, const struct match *m)
{
	const struct sigexport_opts *o = c->o;
	int cat, first = 1;

	fprintf(c->fp, "%s kasaudit sigs export --format %s (kasaudit %s)\n",
	    c->cc, sigexport_format_name(o->format),
	    o->version != NULL ? o->version : "?");
	fprintf(c->fp, "%s %zu signatures from: ", c->cc, c->st.sigs);
	put_sets(c, m);
	fprintf(c->fp, "\n%s Categories: ", c->cc);
	for (cat = 0; cat < CAT_N; cat++)
		if (o->cats & (1u << cat)) {
			fprintf(c->fp, "%s%s", first ? "" : ", ",
			    match_cat_name((enum match_cat)cat));
			first = 0;
		}
	fprintf(c->fp, " (--category)\n");
	if (c->st.not_cat > 0)
		fprintf(c->fp, "%s Not exported: %zu patterns of other "
		    "categories%s\n", c->cc, c->st.not_cat,
		    !(o->cats & (1u << CAT_ENCDNS)) ? " (encrypted-dns: "
		    "public DoH/DoT services, a blind spot, not Kaspersky)" :
		    "");
	if (c->n_addr > 0)
		fprintf(c->fp, "%s Not exported: %zu address (CIDR) lines: "
		    "hints for kasaudit, which match no name\n", c->cc,
		    c->n_addr);
	if (c->n_all > 0)
		fprintf(c->fp, "%s Not exported: %zu '.' lines (every name)\n",
		    c->cc, c->n_all);
	if (o->format == SX_HOSTS && o->action != SX_ADDRESS)
		fprintf(c->fp, "%s Answer: 0.0.0.0 (no host; --redirect-ip for "
		    "another)\n", c->cc);
	else if (o->format != SX_SURICATA && o->format != SX_ZEEK)
		fprintf(c->fp, "%s Answer: %s\n", c->cc, action_text(c));
	put_comment_block(c, notes[o->format]);
	fprintf(c->fp, "%s Written: %zu patterns (%zu widened, %zu only the "
	    "name itself); %zu covered by a suffix written here; %zu left "
	    "out.\n", c->cc, c->st.written, c->st.widened, c->st.partial,
	    c->st.covered, c->st.left_out);
	put_list(c, D_LEFT, "Left out, no form in this format");
	put_list(c, D_WIDEN, "Widened to the names below too");
	put_list(c, D_PARTIAL, "Only the name itself, not the names below");
	put_shadowed(c, m);
}

/* ---- the formats -------------------------------------------------------- */

static void
rpz_rdata(const struct ctx *c, const char *owner, const char *name,
    const struct item *t)
{
	const struct sigexport_opts *o = c->o;
	FILE *fp = c->fp;
	const char *cat = match_cat_name(t->sg->cat);

	switch (o->action) {
	case SX_NXDOMAIN:
		fprintf(fp, "%s%s\tCNAME\t.\t; %s\n", owner, name, cat);
		break;
	case SX_NODATA:
		fprintf(fp, "%s%s\tCNAME\t*.\t; %s\n", owner, name, cat);
		break;
	case SX_CNAME:
		fprintf(fp, "%s%s\tCNAME\t%s.\t; %s\n", owner, name,
		    o->target, cat);
		break;
	case SX_ADDRESS:
		if (o->addr4[0] != '\0')
			fprintf(fp, "%s%s\tA\t%s\t; %s\n", owner, name,
			    o->addr4, cat);
		if (o->addr6[0] != '\0')
			fprintf(fp, "%s%s\tAAAA\t%s\t; %s\n", owner, name,
			    o->addr6, cat);
		break;
	}
}

static void
write_rpz(const struct ctx *c)
{
	const struct item *t;
	size_t i;

	fprintf(c->fp, "$ORIGIN %s.\n$TTL 300\n", c->o->zone);
	fprintf(c->fp, "@\tSOA\tlocalhost. hostmaster.localhost. %u 3600 "
	    "600 604800 300\n\tNS\tlocalhost.\n", (unsigned)c->o->serial);
	for (i = 0; i < c->n; i++) {
		t = &c->it[i];
		if (t->d != D_WRITE && t->d != D_WIDEN)
			continue;
		rpz_rdata(c, "", t->name, t);
		if (t->sg->kind == MK_SUFFIX)
			rpz_rdata(c, "*.", t->name, t);
	}
}

static void
write_unbound(const struct ctx *c)
{
	const struct sigexport_opts *o = c->o;
	const struct item *t;
	size_t i;

	fputs("server:\n", c->fp);
	for (i = 0; i < c->n; i++) {
		t = &c->it[i];
		if (t->d != D_WRITE && t->d != D_WIDEN)
			continue;
		fprintf(c->fp, "\t# %s%s %s\n", t->sg->kind == MK_EXACT ?
		    "=" : "", t->name, match_cat_name(t->sg->cat));
		switch (o->action) {
		case SX_NXDOMAIN:
		case SX_NODATA:
			fprintf(c->fp, "\tlocal-zone: \"%s.\" %s\n", t->name,
			    o->action == SX_NXDOMAIN ? "always_nxdomain" :
			    "always_nodata");
			break;
		case SX_CNAME:
			fprintf(c->fp, "\tlocal-zone: \"%s.\" redirect\n"
			    "\tlocal-data: \"%s. CNAME %s.\"\n", t->name,
			    t->name, o->target);
			break;
		case SX_ADDRESS:
			if (t->sg->kind == MK_SUFFIX)
				fprintf(c->fp, "\tlocal-zone: \"%s.\" "
				    "redirect\n", t->name);
			if (o->addr4[0] != '\0')
				fprintf(c->fp, "\tlocal-data: \"%s. A %s\"\n",
				    t->name, o->addr4);
			if (o->addr6[0] != '\0')
				fprintf(c->fp, "\tlocal-data: \"%s. AAAA "
				    "%s\"\n", t->name, o->addr6);
			break;
		}
	}
}

static void
write_dnsmasq(const struct ctx *c)
{
	const struct sigexport_opts *o = c->o;
	const struct item *t;
	size_t i;

	for (i = 0; i < c->n; i++) {
		t = &c->it[i];
		if (t->d != D_WRITE && t->d != D_WIDEN)
			continue;
		if (o->action != SX_ADDRESS) {
			fprintf(c->fp, "address=/%s/\n", t->name);
			continue;
		}
		if (o->addr4[0] != '\0')
			fprintf(c->fp, "address=/%s/%s\n", t->name, o->addr4);
		if (o->addr6[0] != '\0')
			fprintf(c->fp, "address=/%s/%s\n", t->name, o->addr6);
		/* Since 2.86 other types would go upstream: answered here. */
		fprintf(c->fp, "local=/%s/\n", t->name);
	}
}

/* hosts and Zeek: one line per name; a suffix's apex and an exact pattern
 * of the same name are one line (the suffix, sorted first, wins). */
static void
write_names(const struct ctx *c)
{
	const struct sigexport_opts *o = c->o;
	const struct item *t, *prev = NULL;
	size_t i;

	for (i = 0; i < c->n; i++) {
		t = &c->it[i];
		if (t->d != D_WRITE && t->d != D_PARTIAL)
			continue;
		if (prev != NULL && prev->len == t->len &&
		    memcmp(prev->name, t->name, t->len) == 0)
			continue;
		prev = t;
		if (o->format == SX_ZEEK) {
			fprintf(c->fp, "%s\tIntel::DOMAIN\tkasaudit:", t->name);
			put_clean(c->fp, t->sg->set);
			fprintf(c->fp, "\t%s %s%s confidence %c%s",
			    match_cat_name(t->sg->cat),
			    t->sg->kind == MK_EXACT ? "=" : "", t->name,
			    t->sg->confidence, t->d == D_PARTIAL ?
			    " (suffix: this name only)" : "");
			if (t->sg->note[0] != '\0') {
				fputs(": ", c->fp);
				put_clean(c->fp, t->sg->note);
			}
			fputc('\n', c->fp);
			continue;
		}
		if (o->action != SX_ADDRESS)
			fprintf(c->fp, "0.0.0.0\t%s\n", t->name);
		if (o->action == SX_ADDRESS && o->addr4[0] != '\0')
			fprintf(c->fp, "%s\t%s\n", o->addr4, t->name);
		if (o->action == SX_ADDRESS && o->addr6[0] != '\0')
			fprintf(c->fp, "%s\t%s\n", o->addr6, t->name);
	}
}

static uint32_t
fnv1a(const char *kind, const char *name)
{
	uint32_t h = 2166136261u;
	const char *p;

	for (p = kind; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ ' ') * 16777619u;
	for (p = name; *p != '\0'; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

/* The wildcard as a PCRE anchored on the whole buffer. */
static void
put_pcre(FILE *fp, const char *name)
{
	fputs("pcre:\"/^", fp);
	for (; *name != '\0'; name++) {
		if (*name == '.')
			fputs("\\.", fp);
		else if (*name == '*')
			fputs("[^.]*", fp);
		else
			fputc(*name, fp);
	}
	fputs("$/i\"; ", fp);
}

static void
suricata_rule(const struct ctx *c, const struct item *t, int tls)
{
	const char *name = t->name, *star, *last;
	FILE *fp = c->fp;

	fprintf(fp, "alert %s any any -> any any (msg:\"kasaudit %s %s%s "
	    "(%s, confidence %c)\"; %s; ", tls ? "tls" : "dns",
	    match_cat_name(t->sg->cat), t->sg->kind == MK_EXACT ? "=" : "",
	    name, kind_text(t->sg), t->sg->confidence,
	    tls ? "tls.sni" : "dns.query");
	switch (t->sg->kind) {
	case MK_EXACT:
		fprintf(fp, "content:\"%s\"; nocase; bsize:%zu; ", name,
		    t->len);
		break;
	case MK_SUFFIX:
		fprintf(fp, "dotprefix; content:\".%s\"; nocase; endswith; ",
		    name);
		break;
	default:
		/* A literal to prefilter on: what follows the last '*',
		 * else what precedes the first. */
		star = strchr(name, '*');
		last = strrchr(name, '*');
		if (last != NULL && last[1] != '\0')
			fprintf(fp, "content:\"%s\"; nocase; endswith; ",
			    last + 1);
		else if (star != NULL && star > name)
			fprintf(fp, "content:\"%.*s\"; nocase; startswith; ",
			    (int)(star - name), name);
		put_pcre(fp, name);
		break;
	}
	fprintf(fp, "classtype:policy-violation; metadata:kasaudit_category "
	    "%s, kasaudit_kind %s; sid:%u; rev:1;)\n",
	    match_cat_name(t->sg->cat), kind_text(t->sg), t->sid + tls);
}

static int
write_suricata(struct ctx *c, char *errbuf)
{
	uint32_t *used, pair;
	size_t cap = 16, i, j;
	struct item *t;
	bool moved;

	while (cap < 2 * c->n)
		cap *= 2;
	if ((used = calloc(cap, sizeof(*used))) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		t = &c->it[i];
		pair = fnv1a(kind_text(t->sg), t->name) % SIGEXPORT_SID_PAIRS;
		/* used[] holds pair + 1, open addressing on the pair. */
		moved = false;
		for (;;) {
			for (j = pair & (cap - 1); used[j] != 0 &&
			    used[j] != pair + 1; j = (j + 1) & (cap - 1))
				;
			if (used[j] == 0)
				break;
			pair = (pair + 1) % SIGEXPORT_SID_PAIRS;
			moved = true;
		}
		if (moved) {
			c->st.sid_moved++;
			fprintf(c->fp, "# sid moved to the next free pair: "
			    "FNV-1a of \"%s %s\" collided\n", kind_text(t->sg),
			    t->name);
		}
		used[j] = pair + 1;
		t->sid = SIGEXPORT_SID_BASE + 2 * pair;
		suricata_rule(c, t, 0);
		suricata_rule(c, t, 1);
	}
	free(used);
	return 0;
}

int
sigexport_write(FILE *fp, const struct match *m,
    const struct sigexport_opts *o, struct sigexport_stats *stp,
    char *errbuf)
{
	const struct match_sig *sg;
	struct ctx c;
	size_t i, k;
	int r = -1;

	memset(&c, 0, sizeof(c));
	c.fp = fp;
	c.o = o;
	c.cc = o->format == SX_RPZ ? ";" : "#";
	c.st.sigs = match_count(m);
	if (check_opts(o, errbuf) != 0)
		return -1;
	if ((c.it = calloc(c.st.sigs + 1, sizeof(*c.it))) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return -1;
	}
	for (i = 0; i < c.st.sigs; i++) {
		sg = match_at(m, i);
		if (sg->kind == MK_CIDR) {
			c.n_addr++;
			continue;
		}
		if (sg->kind == MK_ALL) {
			c.n_all++;
			continue;
		}
		if (!(o->cats & (1u << sg->cat))) {
			c.st.not_cat++;
			continue;
		}
		c.it[c.n].sg = sg;
		c.it[c.n].idx = i;
		canon(sg, &c.it[c.n]);
		c.n++;
	}
	qsort(c.it, c.n, sizeof(*c.it), item_cmp);
	/* The same pattern from two sets: the first loaded stays (it is the
	 * one kasaudit reports). */
	for (i = k = 0; i < c.n; i++) {
		if (k > 0 && c.it[k - 1].sg->kind == c.it[i].sg->kind &&
		    c.it[k - 1].len == c.it[i].len &&
		    memcmp(c.it[k - 1].name, c.it[i].name, c.it[i].len) == 0) {
			c.st.dup++;
			continue;
		}
		c.it[k++] = c.it[i];
	}
	c.n = k;
	for (i = 0; i < c.n; i++)
		c.it[i].cover = find_cover(&c, &c.it[i]);
	for (i = 0; i < c.n; i++) {
		c.it[i].d = decide(&c, &c.it[i]);
		switch (c.it[i].d) {
		case D_WIDEN:
			c.st.widened++;
			c.st.written++;
			break;
		case D_PARTIAL:
			c.st.partial++;
			c.st.written++;
			break;
		case D_WRITE:
			c.st.written++;
			break;
		case D_COVERED:
			c.st.covered++;
			break;
		case D_LEFT:
			c.st.left_out++;
			break;
		}
	}
	/* Zeek's reader wants its #fields line first; other '#' lines
	 * are comments to it. */
	if (o->format == SX_ZEEK)
		fputs("#fields\tindicator\tindicator_type\tmeta.source\t"
		    "meta.desc\n", fp);
	put_header(&c, m);
	switch (o->format) {
	case SX_RPZ:
		write_rpz(&c);
		break;
	case SX_UNBOUND:
		write_unbound(&c);
		break;
	case SX_DNSMASQ:
		write_dnsmasq(&c);
		break;
	case SX_SURICATA:
		if (write_suricata(&c, errbuf) != 0)
			goto out;
		break;
	default:
		write_names(&c);
		break;
	}
	if (fflush(fp) != 0 || ferror(fp)) {
		snprintf(errbuf, ERRBUF_LEN, "write error: %s",
		    strerror(errno));
		goto out;
	}
	r = 0;
out:
	c.st.not_name = c.n_addr + c.n_all;
	if (stp != NULL)
		*stp = c.st;
	free(c.it);
	return r;
}
