/* gen-state.c - a big --state file (a JSON report) for the state loader's
 * tests and the live benchmark: one report's first host, repeated. */

/*
 * gen-state TEMPLATE OUT HOSTS writes OUT: TEMPLATE (a JSON report written
 * by kasaudit, pretty or compact, with at least one offender) with its
 * first offender repeated HOSTS times, each copy with its own address
 * (10.0.0.1, 10.0.0.2, ... skipping .0 and .255: 254 hosts a /24) in place
 * of the first's.  Everything else (inputs, names, counts, the other
 * networks' hosts, resolvers) is kept as it is, so the template's
 * first offender must be alone in its network's host list.  The same
 * arguments give the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || (buf = malloc((size_t)n + 1)) ==
	    NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		perror(path);
		exit(2);
	}
	fclose(fp);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* The end of the object opening at p ('{'), strings skipped; NULL if none. */
static const char *
object_end(const char *p, const char *end)
{
	int depth = 0;
	int in_str = 0;

	for (; p < end; p++) {
		if (in_str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_str = 0;
			continue;
		}
		if (*p == '"')
			in_str = 1;
		else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *nets, *hosts, *h0, *h1, *addr, *a0, *a1, *end;
	unsigned long n, i, k;
	size_t len;
	char *buf;
	FILE *out;

	if (argc != 4 || (n = strtoul(argv[3], NULL, 10)) == 0) {
		fprintf(stderr, "usage: gen-state TEMPLATE OUT HOSTS\n");
		return 2;
	}
	buf = slurp(argv[1], &len);
	end = buf + len;
	if ((nets = strstr(buf, "\"networks\"")) == NULL ||
	    (hosts = strstr(nets, "\"hosts\"")) == NULL ||
	    (h0 = strchr(hosts, '{')) == NULL ||
	    (h1 = object_end(h0, end)) == NULL ||
	    (addr = strstr(h0, "\"address\"")) == NULL || addr > h1 ||
	    (a0 = strchr(addr + 9, '"')) == NULL ||
	    (a1 = strchr(a0 + 1, '"')) == NULL) {
		fprintf(stderr, "gen-state: %s: no offender to repeat\n",
		    argv[1]);
		return 2;
	}
	if ((out = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		return 2;
	}
	fwrite(buf, 1, (size_t)(h0 - buf), out);
	for (i = 0; i < n; i++) {
		k = i / 254;
		fwrite(h0, 1, (size_t)(a0 + 1 - h0), out);
		fprintf(out, "10.%lu.%lu.%lu", (k >> 8) & 255, k & 255,
		    i % 254 + 1);
		fwrite(a1, 1, (size_t)(h1 - a1), out);
		if (i + 1 < n)
			fputs(",", out);
	}
	fwrite(h1, 1, (size_t)(end - h1), out);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 2;
	}
	free(buf);
	return 0;
}
