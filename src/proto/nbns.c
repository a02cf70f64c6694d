/* nbns.c - NetBIOS name service registrations and refreshes (RFC 1001 14,
 * RFC 1002 4.2.1, 4.2.2, 4.2.4): the name and the address claimed. */
#include <string.h>

#include "cursor.h"
#include "name.h"
#include "nbns.h"

#define NB_OP_REGISTER	5
#define NB_OP_REFRESH	8
#define NB_OP_REFRESH2	9		/* the refresh of many implementations */
#define NB_OP_MULTIHOMED 15
#define NB_TYPE_NB	0x0020

/* Skips a (possibly compressed) name of the message. */
static bool
skip_name(struct cur *c, const uint8_t *msg, size_t len)
{
	struct name_iter it;
	struct cur lab;
	int r;

	name_iter_init(&it, *c, msg, len);
	while ((r = name_iter_next(&it, &lab)) == NAME_NEXT)
		;
	if (r != NAME_END)
		return false;
	*c = name_iter_end(&it);
	return true;
}

int
nbns_parse_reg(const uint8_t *msg, size_t len, struct nbns_reg *r)
{
	struct cur c = cur_init(msg, len), qn, lab, rd;
	uint8_t raw[16], hi, lo;
	uint16_t flags, qd, an, ns, ar, nbf;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	cur_skip(&c, 2);			/* NAME_TRN_ID */
	flags = cur_u16(&c);
	qd = cur_u16(&c);
	an = cur_u16(&c);
	ns = cur_u16(&c);
	ar = cur_u16(&c);
	if (!c.ok)
		return ERR_MALFORMED;
	r->opcode = (uint8_t)(flags >> 11 & 0x0f);
	if ((flags & 0x8000) != 0 || (r->opcode != NB_OP_REGISTER &&
	    r->opcode != NB_OP_REFRESH && r->opcode != NB_OP_REFRESH2 &&
	    r->opcode != NB_OP_MULTIHOMED))
		return ERR_NOTFOUND;
	if (qd != 1 || an != 0 || ns != 0 || ar != 1)
		return ERR_MALFORMED;
	/* The first label is the encoded name: 16 bytes, two letters each. */
	qn = c;
	if (cur_u8(&c) != 32)
		return ERR_MALFORMED;
	lab = cur_sub(&c, 32);
	for (i = 0; i < 16; i++) {
		hi = (uint8_t)(cur_u8(&lab) - 'A');
		lo = (uint8_t)(cur_u8(&lab) - 'A');
		if (hi > 15 || lo > 15)
			return ERR_MALFORMED;
		raw[i] = (uint8_t)(hi << 4 | lo);
	}
	if (!lab.ok)
		return ERR_MALFORMED;
	/* The scope, if any, then QUESTION_TYPE and QUESTION_CLASS. */
	c = qn;
	if (!skip_name(&c, msg, len) || cur_u16(&c) != NB_TYPE_NB)
		return ERR_MALFORMED;
	cur_skip(&c, 2);
	/* The additional record: name, NB, class, TTL, RDLENGTH, RDATA. */
	if (!skip_name(&c, msg, len) || cur_u16(&c) != NB_TYPE_NB)
		return ERR_MALFORMED;
	cur_skip(&c, 2 + 4);
	rd = cur_sub(&c, cur_u16(&c));
	nbf = cur_u16(&rd);
	if (!rd.ok || cur_left(&rd) < 4)
		return ERR_MALFORMED;
	addr_set4(&r->addr, rd.p);
	r->group = (nbf & 0x8000) != 0;
	r->suffix = raw[15];
	for (n = 15; n > 0 && raw[n - 1] == ' '; n--)
		;
	memcpy(r->name, raw, n);
	r->name[n] = '\0';
	r->name_len = strnlen(r->name, n);
	return r->name_len > 0 ? ERR_OK : ERR_MALFORMED;
}
