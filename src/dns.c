/* dns.c - DNS messages (RFC 1035 3.1, 4.1, 4.1.4, 5.1; RFC 4343). */
#include <stdbool.h>	/* before ldns, which otherwise makes bool a char */

#include <ldns/ldns.h>

#include "cursor.h"
#include "dns.h"

/* dns.h's structures must be laid out and read as everywhere else. */
_Static_assert((bool)2 == 1, "bool is not _Bool in dns.c");

#define DNS_WIRE_MAX	255		/* octets in a name (RFC 1035 3.1) */

/*
 * A compressor that writes "a", then "a.a" as a label plus a pointer to the
 * first, then "a.a.a" and so on, legally needs one hop per label, and a
 * 255-byte name has at most 127 labels.  Loops that pass through a label
 * also end at the 255-byte limit; this cap bounds chains of pointers to
 * pointers, which only a hostile sender writes.
 */
#define DNS_PTR_HOPS	128

#define DNS_FLAG_QR	0x8000
#define DNS_FLAG_TC	0x0200

/*
 * name_plain[b]: what byte b of a label becomes in presentation form when
 * it is one character (ASCII letters folded, RFC 4343); 0 when it must be
 * escaped (space and control bytes, ".", "\\", DEL and above).  A table,
 * not comparisons: digits and hyphens in names made the branches guess
 * wrong on nearly every DNS packet.
 */
static const uint8_t name_plain[256] = {
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
	0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x00, 0x2f,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
	0x40, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
	0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
	0x78, 0x79, 0x7a, 0x5b, 0x00, 0x5d, 0x5e, 0x5f,
	0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
	0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
	0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * Writes byte b of a label in presentation form at o (room for 4 chars) and
 * returns how many chars it wrote.  Only ASCII letters fold (RFC 4343).
 */
static inline size_t
name_esc(char *o, uint8_t b)
{
	if (b >= 'A' && b <= 'Z') {
		o[0] = (char)(b | 0x20);
		return 1;
	}
	if (b > 0x20 && b < 0x7f) {
		if (b != '.' && b != '\\') {
			o[0] = (char)b;
			return 1;
		}
		o[0] = '\\';		/* or it would read as a separator */
		o[1] = (char)b;
		return 2;
	}
	o[0] = '\\';
	o[1] = (char)('0' + b / 100);
	o[2] = (char)('0' + b / 10 % 10);
	o[3] = (char)('0' + b % 10);
	return 4;
}

/*
 * Decodes the name at *c, where msg[0..msg_len) is the whole message that
 * compression pointers refer to.  On ERR_OK, out holds the NUL-terminated
 * presentation form, *str_len its length, and *c has moved past the name as
 * written (up to and including its first pointer).  ERR_SHORT: the name runs
 * off the end of msg.  ERR_MALFORMED: a label type 01 or 10 (RFC 6891
 * retired the extended type), a pointer that does not point strictly
 * backwards, too many hops, or over 255 bytes.  ERR_FULL: out is too small.
 */
static int
name_decode(struct cur *c, const uint8_t *msg, size_t msg_len, char *out,
    size_t out_len, size_t *str_len)
{
	struct cur rd = *c, lab;
	struct cur after = { NULL, NULL, false };
	char *o = out, *oend = out + out_len;
	char tmp[4];
	size_t wire = 1, at, ptr, k;
	unsigned hops = 0;
	uint8_t n, b;

	if (out_len < 2)
		return ERR_FULL;
	for (;;) {
		at = cur_off(&rd, msg);
		n = cur_u8(&rd);
		if (!rd.ok)
			return ERR_SHORT;
		if (n == 0)
			break;
		if ((n & 0xc0) == 0xc0) {
			ptr = (size_t)(n & 0x3f) << 8 | cur_u8(&rd);
			if (!rd.ok)
				return ERR_SHORT;
			if (!after.ok)		/* it ends at its first one */
				after = rd;
			/*
			 * RFC 1035 4.1.4 lets a pointer name any earlier
			 * offset; one to itself or forward is never written by
			 * a compressor and is how loops are built.
			 */
			if (ptr >= at || ++hops > DNS_PTR_HOPS)
				return ERR_MALFORMED;
			rd = cur_init(msg, msg_len);
			cur_skip(&rd, ptr);
			continue;
		}
		if (n & 0xc0)
			return ERR_MALFORMED;
		wire += 1 + (size_t)n;
		if (wire > DNS_WIRE_MAX)
			return ERR_MALFORMED;
		lab = cur_sub(&rd, n);
		if (!rd.ok)
			return ERR_SHORT;
		if (o != out) {
			if (oend - o < 2)	/* the dot and the NUL */
				return ERR_FULL;
			*o++ = '.';
		}
		/*
		 * Room for the worst case (every byte escaped to four chars,
		 * checked against the bytes cur_sub() gave us): one tight
		 * loop, the common path of every DNS packet.
		 */
		if ((size_t)(oend - o) > 4 * (size_t)n + 1) {
			for (k = 0; k < n; k++) {
				b = lab.p[k];
				if (name_plain[b] != 0)
					*o++ = (char)name_plain[b];
				else
					o += name_esc(o, b);
			}
			continue;
		}
		while (cur_left(&lab) > 0) {
			b = cur_u8(&lab);
			if ((size_t)(oend - o) > 4) {
				o += name_esc(o, b);
				continue;
			}
			k = name_esc(tmp, b);	/* near the end: exact fit */
			if (k >= (size_t)(oend - o))
				return ERR_FULL;
			memcpy(o, tmp, k);
			o += k;
		}
	}
	if (o == out)
		*o++ = '.';		/* the root */
	*o = '\0';
	*str_len = (size_t)(o - out);
	*c = after.ok ? after : rd;
	return ERR_OK;
}

/* Moves c past a name as written (labels up to the end or a pointer). */
static void
name_skip(struct cur *c)
{
	unsigned i;
	uint8_t n;

	for (i = 0; i < DNS_WIRE_MAX && c->ok; i++) {
		n = cur_u8(c);
		if (n == 0)
			return;
		if ((n & 0xc0) == 0xc0) {
			cur_skip(c, 1);
			return;
		}
		if (n & 0xc0) {
			c->ok = false;
			return;
		}
		cur_skip(c, n);
	}
	c->ok = false;
}

/*
 * Checks the name at c exactly as name_decode() would (true where it would
 * give ERR_OK), writing nothing but the last two labels into *r.
 */
static bool
name_walk(struct cur c, const uint8_t *msg, size_t msg_len,
    struct dns_name_ref *r)
{
	struct cur rd = c;
	size_t wire = 1, at, ptr;
	unsigned hops = 0;
	uint8_t n;

	r->at = c;
	r->n_labels = 0;
	for (;;) {
		at = cur_off(&rd, msg);
		n = cur_u8(&rd);
		if (!rd.ok)
			return false;
		if (n == 0) {
			r->wire_len = wire;
			return true;
		}
		if ((n & 0xc0) == 0xc0) {
			ptr = (size_t)(n & 0x3f) << 8 | cur_u8(&rd);
			if (!rd.ok || ptr >= at || ++hops > DNS_PTR_HOPS)
				return false;
			rd = cur_init(msg, msg_len);
			cur_skip(&rd, ptr);
			continue;
		}
		if (n & 0xc0)
			return false;
		wire += 1 + (size_t)n;
		if (wire > DNS_WIRE_MAX)
			return false;
		r->lab[0] = r->lab[1];
		r->lab_len[0] = r->lab_len[1];
		r->lab[1] = rd.p;
		r->lab_len[1] = n;
		if (r->n_labels < 2)
			r->n_labels++;
		cur_skip(&rd, n);
		if (!rd.ok)
			return false;
	}
}

/*
 * The next label of a valid name at *c (pointers followed): its length,
 * *p its bytes; 0 at the end.
 */
static uint8_t
name_next_label(struct cur *c, const uint8_t *msg, size_t msg_len,
    const uint8_t **p)
{
	size_t ptr;
	unsigned hops = 0;
	uint8_t n;

	for (;;) {
		n = cur_u8(c);
		if (!c->ok || n == 0)
			return 0;
		if ((n & 0xc0) != 0xc0)
			break;
		ptr = (size_t)(n & 0x3f) << 8 | cur_u8(c);
		if (!c->ok || ++hops > DNS_PTR_HOPS)
			return 0;
		*c = cur_init(msg, msg_len);
		cur_skip(c, ptr);
	}
	*p = c->p;
	cur_skip(c, n);
	return c->ok ? n : 0;
}

static inline uint8_t
fold_byte(uint8_t b)
{
	return b >= 'A' && b <= 'Z' ? (uint8_t)(b | 0x20) : b;
}

bool
dns_name_eq(const uint8_t *msg, size_t len, struct cur x, struct cur y)
{
	const uint8_t *px = NULL, *py = NULL;
	unsigned i, k;
	uint8_t nx, ny;

	for (k = 0; k <= DNS_WIRE_MAX; k++) {
		nx = name_next_label(&x, msg, len, &px);
		ny = name_next_label(&y, msg, len, &py);
		if (nx != ny)
			return false;
		if (nx == 0)
			return true;
		for (i = 0; i < nx; i++)
			if (fold_byte(px[i]) != fold_byte(py[i]))
				return false;
	}
	return false;
}

int
dns_cname_refs(const uint8_t *msg, size_t len, size_t from,
    struct dns_name_ref *refs, size_t max, size_t *n_refs, bool *has_addr)
{
	struct cur c = cur_init(msg, len), rd;
	uint16_t qd, an, type, rdlen;
	size_t i = 0, k = 0;
	bool addr = false;

	cur_skip(&c, 4);
	qd = cur_u16(&c);
	an = cur_u16(&c);
	cur_skip(&c, 4);
	if (from > 0 && qd > 0 && c.ok) {
		c = cur_init(msg, len);
		cur_skip(&c, from);
		i = 1;
	}
	for (; i < qd && c.ok; i++) {
		name_skip(&c);
		cur_skip(&c, 4);		/* QTYPE, QCLASS */
	}
	for (i = 0; i < an && c.ok; i++) {
		if (cur_left(&c) >= 12 && (c.p[0] & 0xc0) == 0xc0) {
			/* Nearly every owner is a pointer: the 12 bytes up
			 * to RDATA are in reach, read in one step. */
			type = (uint16_t)(c.p[2] << 8 | c.p[3]);
			rdlen = (uint16_t)(c.p[10] << 8 | c.p[11]);
			cur_skip(&c, 12);
		} else {
			name_skip(&c);
			type = cur_u16(&c);
			cur_skip(&c, 6);	/* CLASS, TTL */
			rdlen = cur_u16(&c);
		}
		rd = cur_sub(&c, rdlen);
		if (!c.ok)
			break;
		if (type == 1 || type == 28)
			addr = true;
		else if (type == 5 && k < max &&
		    name_walk(rd, msg, len, &refs[k]))
			k++;
	}
	if (!c.ok)
		return ERR_MALFORMED;
	*n_refs = k;
	*has_addr = addr;
	return ERR_OK;
}

void
dns_ref_str(const uint8_t *msg, size_t len, const struct dns_name_ref *r,
    char *out, size_t *str_len)
{
	struct cur c = r->at;

	/* name_walk() checked it: this cannot fail. */
	if (name_decode(&c, msg, len, out, DNS_NAME_LEN, str_len) != ERR_OK) {
		out[0] = '\0';
		*str_len = 0;
	}
}

int
dns_cnames(const uint8_t *msg, size_t len, char (*names)[DNS_NAME_LEN],
    size_t max, size_t *n_names, bool *has_addr)
{
	struct dns_name_ref refs[16];
	size_t i, n, sl;
	int r;

	if (max > 16)
		max = 16;
	if ((r = dns_cname_refs(msg, len, 0, refs, max, &n, has_addr)) !=
	    ERR_OK)
		return r;
	for (i = 0; i < n; i++)
		dns_ref_str(msg, len, &refs[i], names[i], &sl);
	*n_names = n;
	return ERR_OK;
}

bool
dns_name_str(const uint8_t *msg, size_t msg_len, size_t off, char *out,
    size_t out_len, size_t *str_len)
{
	struct cur c = cur_init(msg, msg_len);

	cur_skip(&c, off);
	if (!c.ok)
		return false;
	return name_decode(&c, msg, msg_len, out, out_len, str_len) == ERR_OK;
}

/*
 * Moves c past the question's name when it holds no compression pointer,
 * checking it the way name_decode() would, in the same order (so with the
 * same error), and noting its last two labels.  *ptr set and ERR_OK at a
 * pointer: decoding must take over.
 */
static int
name_scan(struct cur *c, struct dns_question *q, bool *ptr)
{
	size_t wire = 1;
	uint8_t n;

	*ptr = false;
	q->n_labels = 0;
	for (;;) {
		n = cur_u8(c);
		if (!c->ok)
			return ERR_SHORT;
		if (n == 0)
			return ERR_OK;
		if ((n & 0xc0) == 0xc0) {
			*ptr = true;
			return ERR_OK;
		}
		if (n & 0xc0)
			return ERR_MALFORMED;
		wire += 1 + (size_t)n;
		if (wire > DNS_WIRE_MAX)
			return ERR_MALFORMED;
		q->lab[0] = q->lab[1];
		q->lab_len[0] = q->lab_len[1];
		q->lab[1] = c->p;
		q->lab_len[1] = n;
		if (q->n_labels < 2)
			q->n_labels++;
		cur_skip(c, n);
		if (!c->ok)
			return ERR_SHORT;
	}
}

/* Called on every DNS packet: one pass over the question, no allocation. */
int
dns_question_lazy(const uint8_t *msg, size_t len, bool cut,
    struct dns_question *q)
{
	struct cur c = cur_init(msg, len), at;
	uint16_t flags;
	bool ptr;
	int r;

	q->id = cur_u16(&c);
	flags = cur_u16(&c);
	q->qdcount = cur_u16(&c);
	q->ancount = cur_u16(&c);
	cur_skip(&c, 4);			/* nscount, arcount */
	q->qr = (flags & DNS_FLAG_QR) != 0;
	q->opcode = (uint8_t)(flags >> 11 & 0xf);
	q->tc = (flags & DNS_FLAG_TC) != 0;
	q->rcode = (uint8_t)(flags & 0xf);
	q->has_q = false;
	q->qtype = 0;
	q->qclass = 0;
	q->end = 0;
	q->decoded = true;
	q->wire = NULL;
	q->wire_len = 0;
	q->n_labels = 0;
	q->qname_len = 0;
	q->qname[0] = '\0';
	if (!c.ok)
		return cut ? ERR_SHORT : ERR_MALFORMED;
	if (q->qdcount == 0)
		return ERR_OK;

	at = c;
	r = name_scan(&c, q, &ptr);
	if (r == ERR_OK && ptr) {
		q->n_labels = 0;
		c = at;
		r = name_decode(&c, msg, len, q->qname, sizeof(q->qname),
		    &q->qname_len);
	} else if (r == ERR_OK) {
		q->decoded = false;
		q->wire = at.p;
		q->wire_len = (size_t)(c.p - at.p);
	}
	if (r == ERR_OK) {
		q->qtype = cur_u16(&c);
		q->qclass = cur_u16(&c);
		if (c.ok) {
			q->has_q = true;
			q->end = cur_off(&c, msg);
			return ERR_OK;
		}
		r = ERR_SHORT;
	}
	q->qtype = 0;
	q->qclass = 0;
	q->decoded = true;
	q->wire = NULL;
	q->wire_len = 0;
	q->n_labels = 0;
	q->qname_len = 0;
	q->qname[0] = '\0';
	return r == ERR_SHORT && cut ? ERR_SHORT : ERR_MALFORMED;
}

void
dns_question_name(const uint8_t *msg, size_t len, struct dns_question *q)
{
	struct cur c;

	if (q->decoded || !q->has_q)
		return;
	c = cur_init(q->wire, q->wire_len);
	/* name_scan() checked it: this cannot fail (DNS_NAME_LEN holds any
	 * name of 255 bytes, every byte escaped). */
	if (name_decode(&c, msg, len, q->qname, sizeof(q->qname),
	    &q->qname_len) != ERR_OK) {
		q->qname_len = 0;
		q->qname[0] = '\0';
	}
	q->decoded = true;
}

int
dns_question(const uint8_t *msg, size_t len, bool cut, struct dns_question *q)
{
	int r;

	if ((r = dns_question_lazy(msg, len, cut, q)) == ERR_OK)
		dns_question_name(msg, len, q);
	return r;
}

/* Presentation form of an ldns dname (uncompressed wire bytes). */
static bool
rdf_name(const ldns_rdf *rdf, char *out)
{
	size_t n;

	if (rdf == NULL || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME)
		return false;
	return dns_name_str(ldns_rdf_data(rdf), ldns_rdf_size(rdf), 0, out,
	    DNS_NAME_LEN, &n);
}

int
dns_answers(const uint8_t *msg, size_t len, struct dns_rr *rrs, size_t max,
    size_t *n_rrs)
{
	struct cur c = cur_init(msg, len);
	ldns_pkt *pkt = NULL;
	const ldns_rr_list *an;
	const ldns_rr *rr;
	const ldns_rdf *rd;
	struct dns_rr *out;
	size_t i, n = 0, count;
	uint16_t ancount;

	cur_skip(&c, 6);			/* id, flags, qdcount */
	ancount = cur_u16(&c);
	cur_skip(&c, 4);			/* nscount, arcount */
	if (!c.ok)
		return ERR_MALFORMED;
	if (ancount == 0 || max == 0) {		/* nothing to copy out */
		*n_rrs = 0;
		return ERR_OK;
	}

	/*
	 * The one per-packet allocation of the hot path (DESIGN.md, "ldns"):
	 * ldns_wire2pkt() builds a packet on the heap.  It runs only for
	 * responses that carry answers, after the question has been read with
	 * the cursor, because full DNS decoding (every record, CNAME chains,
	 * rdata checks) is ldns's job, not a second parser's.  Everything
	 * needed is copied into rrs and the packet is freed before returning.
	 */
	if (ldns_wire2pkt(&pkt, msg, len) != LDNS_STATUS_OK)
		return ERR_MALFORMED;		/* ldns freed what it built */
	an = ldns_pkt_answer(pkt);
	count = an != NULL ? ldns_rr_list_rr_count(an) : 0;
	for (i = 0; i < count && n < max; i++) {
		rr = ldns_rr_list_rr(an, i);
		rd = ldns_rr_rdf(rr, 0);
		out = &rrs[n];
		memset(&out->addr, 0, sizeof(out->addr));
		out->target[0] = '\0';
		switch (ldns_rr_get_type(rr)) {
		case LDNS_RR_TYPE_A:
			if (rd == NULL || ldns_rdf_size(rd) != 4)
				continue;
			addr_set4(&out->addr, ldns_rdf_data(rd));
			break;
		case LDNS_RR_TYPE_AAAA:
			if (rd == NULL || ldns_rdf_size(rd) != 16)
				continue;
			addr_set6(&out->addr, ldns_rdf_data(rd));
			break;
		case LDNS_RR_TYPE_CNAME:
			if (!rdf_name(rd, out->target))
				continue;
			break;
		default:
			continue;
		}
		if (!rdf_name(ldns_rr_owner(rr), out->name))
			continue;
		out->type = (uint16_t)ldns_rr_get_type(rr);
		out->ttl = ldns_rr_ttl(rr);
		n++;
	}
	ldns_pkt_free(pkt);
	*n_rrs = n;
	return ERR_OK;
}

int
dns_tcp_msg(const uint8_t *buf, size_t len, struct cur *msg, size_t *used,
    size_t *need)
{
	struct cur c = cur_init(buf, len);
	size_t n;

	n = cur_u16(&c);
	if (!c.ok) {
		*need = 2 - len;
		return ERR_SHORT;
	}
	if (cur_left(&c) < n) {
		*need = n - cur_left(&c);
		return ERR_SHORT;
	}
	*msg = cur_sub(&c, n);
	*used = 2 + n;
	return ERR_OK;
}
