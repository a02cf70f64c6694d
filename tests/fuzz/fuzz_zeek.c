/* fuzz_zeek.c - libFuzzer: Zeek logs, TSV (header state carried from line
 * to line) and JSON lines (src/input/zeek.c, logparse.c). */
#include <stdbool.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[ERRBUF_LEN];
	struct zeek_tsv z;
	const uint8_t *p = data, *nl;
	size_t left = size, len;
	char *line;

	zeek_tsv_init(&z);
	while (left > 0) {
		nl = memchr(p, '\n', left);
		len = nl != NULL ? (size_t)(nl - p) : left;
		/* Each line in a block of its own size: ASan sees overreads. */
		line = (char *)fuzz_dup(p, len);
		log_rec_reset(&rec, 1);
		check_rec(zeek_tsv_line(&z, line, len, &rec, errbuf));
		log_rec_reset(&rec, 1);
		check_rec(zeek_json_line(line, len, &rec, errbuf));
		free(line);
		p += len + (nl != NULL);
		left -= len + (nl != NULL);
	}
	(void)log_sniff_zeek_tsv(data, size);
	(void)log_sniff_zeek_json(data, size);
	return 0;
}
