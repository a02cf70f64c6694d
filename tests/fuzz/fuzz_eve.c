/* fuzz_eve.c - libFuzzer: Suricata EVE JSON events, one a line
 * (src/input/eve.c, logparse.c). */
#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "logjson.h"
#include "logrec.h"

static struct log_rec rec;

/* What a parser promises of a record it returned ERR_OK for. */
static void
check_rec(int r)
{
	size_t i;

	FUZZ_CHECK(r == ERR_OK || r == ERR_MALFORMED);
	if (r != ERR_OK || rec.kind == LOG_NONE)
		return;
	FUZZ_CHECK(rec.kind < LOG_KIND_N);
	FUZZ_CHECK(rec.client.family == 4 || rec.client.family == 6);
	/* A lease has an address and a machine's names, no server. */
	FUZZ_CHECK(rec.kind == LOG_DHCP || rec.server.family == 4 ||
	    rec.server.family == 6);
	FUZZ_CHECK(rec.hostname_len < LOG_NAME_MAX &&
	    rec.fqdn_len < LOG_NAME_MAX);
	FUZZ_CHECK(rec.ts_nsec <= 999999999);
	FUZZ_CHECK(rec.n_ans <= LOG_MAX_ANS);
	if (rec.has_name) {
		FUZZ_CHECK(rec.name_len > 0 && rec.name_len < LOG_NAME_MAX);
		FUZZ_CHECK(strlen(rec.name) == rec.name_len);
	}
	for (i = 0; i < rec.n_ans; i++)
		if (!rec.ans[i].is_addr)
			FUZZ_CHECK(strlen(rec.ans[i].name) ==
			    rec.ans[i].name_len);
}

/* Every member and element of a line that passed lj_parse(), read out:
 * each span must lie inside the line. */
static void
walk(const struct lj *v, const char *line, size_t len, unsigned depth)
{
	struct cur it = LJ_ITER_INIT;
	struct lj e, k;
	char buf[64];
	double d;
	int64_t i;
	size_t n;

	FUZZ_CHECK(v->p >= line && v->p + v->len <= line + len);
	(void)lj_str(v, buf, sizeof(buf), &n);
	(void)lj_num(v, &d);
	(void)lj_int(v, &i);
	if (depth > 40)
		return;
	while (lj_next(v, &it, &e, &k))
		walk(&e, line, len, depth + 1);
}

static void
json_walk(const char *line, size_t len)
{
	struct lj_obj m;
	struct lj o, v;
	char err[ERRBUF_LEN];
	size_t i;

	if (lj_parse(&o, line, len, err) != ERR_OK)
		return;
	walk(&o, line, len, 0);
	FUZZ_CHECK(lj_index(&m, &o));
	for (i = 0; i < m.n; i++)
		FUZZ_CHECK(m.key[i].type == LJ_STRING);
	(void)lj_find(&m, "dns", &v);
	(void)lj_get(&o, "zzz", &v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_LEN];
	const uint8_t *p = data, *nl;
	size_t left = size, len;
	char *line;

	while (left > 0) {
		nl = memchr(p, '\n', left);
		len = nl != NULL ? (size_t)(nl - p) : left;
		/* Each line in a block of its own size: ASan sees overreads. */
		line = (char *)fuzz_dup(p, len);
		log_rec_reset(&rec, 1);
		check_rec(eve_line(line, len, &rec, errbuf));
		json_walk(line, len);
		free(line);
		p += len + (nl != NULL);
		left -= len + (nl != NULL);
	}
	(void)log_sniff_eve(data, size);
	return 0;
}
