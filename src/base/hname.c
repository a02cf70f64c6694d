/* hname.c - machine names from the wire: made safe to keep, and the one
 * newest-first list the name table, the aggregate and merge all keep. */
#include <string.h>

#include "hname.h"
#include "name.h"

static const char *const src_names[HN_SRC_N] = {
	"dhcp", "dhcpv6", "mdns", "llmnr", "netbios", "http-ua",
};

static const char *const type_names[HT_N] = {
	"hostname", "fqdn", "client-id", "vendor-class", "ptr",
	"workstation", "server", "netbios-other", "group", "user-agent",
};

const char *
hname_src_name(unsigned s)
{
	return s < HN_SRC_N ? src_names[s] : "?";
}

const char *
hname_type_name(unsigned t)
{
	return t < HT_N ? type_names[t] : "?";
}

/* The index of s in names[0..n), or -1. */
static int
name_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

int
hname_src_parse(const char *s)
{
	return name_index(src_names, HN_SRC_N, s);
}

int
hname_type_parse(const char *s)
{
	return name_index(type_names, HT_N, s);
}

bool
hname_set_wire(struct hname *h, const uint8_t *p, size_t len)
{
	char *o = h->name, *end = h->name + sizeof(h->name) - 1;
	size_t i = 0, k;

	while (i < len) {
		if (p[i] >= 0x80 && (k = name_utf8_len(p + i, len - i)) > 0) {
			if ((size_t)(end - o) < k)
				break;
			memcpy(o, p + i, k);
			o += k;
			i += k;
			continue;
		}
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
			if (o == end)
				break;
			*o++ = (char)p[i++];
			continue;
		}
		if (p[i] == '\\') {
			if (end - o < 2)
				break;
			*o++ = '\\';
			*o++ = '\\';
			i++;
			continue;
		}
		if (end - o < 4)
			break;
		*o++ = '\\';
		*o++ = (char)('0' + p[i] / 100);
		*o++ = (char)('0' + p[i] / 10 % 10);
		*o++ = (char)('0' + p[i] % 10);
		i++;
	}
	*o = '\0';
	return o != h->name;
}

bool
hname_set_text(struct hname *h, const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s;
	char *o = h->name, *end = h->name + sizeof(h->name) - 1;
	size_t i = 0, k;

	while (i < len && o < end) {
		if (p[i] >= 0x80 && (k = name_utf8_len(p + i, len - i)) > 0) {
			if ((size_t)(end - o) < k)
				break;
			memcpy(o, p + i, k);
			o += k;
			i += k;
			continue;
		}
		*o++ = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
		i++;
	}
	*o = '\0';
	return o != h->name;
}

/* Newest first; ties by source, type and name, so no order of calls
 * shows in the list (merge is commutative). */
static int
hname_cmp(const struct hname *x, const struct hname *y)
{
	if (x->last_sec != y->last_sec)
		return x->last_sec > y->last_sec ? -1 : 1;
	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	return strcmp(x->name, y->name);
}

bool
hname_put(struct hname *list, size_t *n, const struct hname *h)
{
	struct hname e = *h;
	size_t i, at;

	for (i = 0; i < *n; i++)
		if (list[i].src == h->src && list[i].type == h->type &&
		    strcmp(list[i].name, h->name) == 0)
			break;
	if (i < *n) {
		if (list[i].last_sec >= h->last_sec)
			return false;	/* nothing newer */
		memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof(*list));
		(*n)--;
	}
	for (at = 0; at < *n && hname_cmp(&list[at], &e) < 0; at++)
		;
	if (at == HNAME_MAX)
		return false;		/* older than all of a full list */
	if (*n == HNAME_MAX)
		(*n)--;
	memmove(&list[at + 1], &list[at], (*n - at) * sizeof(*list));
	list[at] = e;
	(*n)++;
	return true;
}
