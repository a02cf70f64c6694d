/* capture_ng.c - pcapng section headers and interface descriptions with
 * their options (if_tsresol, if_tsoffset); capture.c reads packet blocks. */
#include <stdlib.h>

#include "capture_int.h"

int
cap_ng_shb(struct capture *c, struct cur *body, char *errbuf)
{
	uint32_t major, minor;

	cur_skip(body, 4);			/* byte-order magic */
	major = rd16(c, body);
	minor = rd16(c, body);
	cur_skip(body, 8);			/* section length: unused */
	if (!body->ok)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "section header block too short");
	if (major != 1)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "unsupported pcapng version %u.%u", major, minor);
	c->n_ifs = 0;
	c->stats.sections++;
	return ERR_OK;
}

static int
ng_idb_opts(struct capture *c, struct cap_iface *i, struct cur *opts,
    char *errbuf)
{
	struct cur val;
	uint32_t code, olen, v;
	int n;

	for (n = 0; n < CAP_OPTS_MAX && cur_left(opts) >= 4; n++) {
		code = rd16(c, opts);
		olen = rd16(c, opts);
		if (code == OPT_ENDOFOPT)
			break;
		val = cur_sub(opts, olen);
		cur_skip(opts, (4 - olen % 4) % 4);
		if (!val.ok)
			return cap_fail(c, ERR_MALFORMED, errbuf, true,
			    "interface option %u runs past its block", code);
		if (code == OPT_IF_TSRESOL) {
			v = cur_u8(&val);
			i->pow2 = (v & 0x80) != 0;
			i->exp = (uint8_t)(v & 0x7f);
			if (olen != 1 || i->exp > (i->pow2 ? 63 : 19))
				return cap_fail(c, ERR_MALFORMED, errbuf,
				    true, "unsupported if_tsresol 0x%02x "
				    "(length %u)", v, olen);
			i->units = 1;
			for (v = 0; v < i->exp; v++)
				i->units *= i->pow2 ? 2 : 10;
		} else if (code == OPT_IF_TSOFFSET) {
			if (olen != 8)
				return cap_fail(c, ERR_MALFORMED, errbuf,
				    true, "bad if_tsoffset length %u", olen);
			i->tsoffset = (int64_t)rd64(c, &val);
		}
	}
	return ERR_OK;
}

int
cap_ng_idb(struct capture *c, struct cur *body, char *errbuf)
{
	struct cap_iface i, *ni;
	uint32_t linktype, snaplen;
	size_t cap;
	int r;

	linktype = rd16(c, body);
	cur_skip(body, 2);			/* reserved */
	snaplen = rd32(c, body);
	if (!body->ok)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "interface description block too short");
	cap_iface_init(&i, (int)linktype, snaplen);
	if ((r = ng_idb_opts(c, &i, body, errbuf)) != ERR_OK)
		return r;
	if (c->n_ifs >= CAP_IFACES_MAX)
		return cap_fail(c, ERR_MALFORMED, errbuf, true,
		    "more than %u interfaces in one section",
		    CAP_IFACES_MAX);
	if (c->n_ifs == c->ifs_cap) {
		cap = c->ifs_cap ? c->ifs_cap * 2 : 8;
		if ((ni = realloc(c->ifs, cap * sizeof(*ni))) == NULL)
			return cap_fail(c, ERR_NOMEM, errbuf, false,
			    "%s: no memory for interfaces", c->name);
		c->ifs = ni;
		c->ifs_cap = cap;
	}
	c->ifs[c->n_ifs++] = i;
	c->stats.interfaces++;
	return ERR_OK;
}
