/* dns.h - DNS messages (RFC 1035 4.1): the question by cursor, answers by ldns.
 * Pure: bytes in, names and addresses out; names walked by name.h. */
#ifndef KASAUDIT_DNS_H
#define KASAUDIT_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "cursor.h"
#include "err.h"

/*
 * A name in presentation form: labels joined by '.', no trailing dot, the
 * root as ".", ASCII letters folded to lower case (RFC 4343), a '.' or '\'
 * inside a label escaped with '\', and bytes outside 0x21-0x7e written as
 * \DDD (three decimal digits, RFC 1035 5.1).  255 wire bytes at most
 * (RFC 1035 3.1), so 4 * 255 characters at most.
 */
#define DNS_NAME_LEN	1024		/* buffer size, NUL included */
#define DNS_MAX_RRS	64		/* answer records kept per message */

struct dns_question {
	uint16_t	 id;
	bool		 qr;		/* a response */
	bool		 tc;
	uint8_t		 opcode;
	uint8_t		 rcode;
	uint16_t	 qdcount;
	uint16_t	 ancount;
	bool		 has_q;		/* qdcount > 0 and the name is valid */
	uint16_t	 qtype;
	uint16_t	 qclass;
	size_t		 end;		/* offset past the first question */
	/* dns_question_lazy(): a name without compression pointers is left
	 * as written, at wire (wire_len bytes), its last two labels at
	 * lab[0] (second to last) and lab[1] when it has two or more. */
	bool		 decoded;	/* qname holds the name */
	const uint8_t	*wire;
	size_t		 wire_len;
	unsigned	 n_labels;	/* up to 2 counted */
	const uint8_t	*lab[2];
	uint8_t		 lab_len[2];
	const uint8_t	*lab3;		/* the label before lab[0], or NULL */
	uint8_t		 lab3_len;
	size_t		 qname_len;
	char		 qname[DNS_NAME_LEN];
};

struct dns_rr {
	uint16_t	 type;		/* 1 A, 5 CNAME, 28 AAAA */
	uint32_t	 ttl;
	struct addr	 addr;		/* A, AAAA */
	char		 name[DNS_NAME_LEN];	/* owner */
	char		 target[DNS_NAME_LEN];	/* CNAME */
};

/*
 * Reads the header and the first question of the message in msg.  No
 * allocation.  ERR_OK: *q is filled (has_q false when qdcount is 0).
 * ERR_MALFORMED: shorter than a header, or the question name is bad
 * (pointer loop, label type 01/10, over 255 bytes, runs off the message);
 * *q then still holds the header fields.  ERR_SHORT when msg ends inside the
 * header or question and `cut` says the rest was not captured.
 */
int	dns_question(const uint8_t *msg, size_t len, bool cut,
	    struct dns_question *q);

/*
 * dns_question() that leaves a name without compression pointers
 * undecoded (decoded false; see wire and lab), having checked it as
 * decoding would: the same results, and the caller decodes only the names
 * it needs, with dns_question_name().
 */
int	dns_question_lazy(const uint8_t *msg, size_t len, bool cut,
	    struct dns_question *q);

/* Decodes q's name into qname when dns_question_lazy() left it. */
void	dns_question_name(const uint8_t *msg, size_t len,
	    struct dns_question *q);

/*
 * Decodes the answer section of a response with ldns (A, AAAA and CNAME
 * records; others skipped) into rrs[0..max), *n_rrs set to how many.  Allocates
 * only inside ldns and frees before returning.  ERR_MALFORMED if ldns refuses
 * the message.  ancount 0 or max 0 give ERR_OK and *n_rrs 0 without calling
 * ldns.  rrs and *n_rrs are written only on ERR_OK.
 */
int	dns_answers(const uint8_t *msg, size_t len, struct dns_rr *rrs,
	    size_t max, size_t *n_rrs);

/*
 * Walks the answer section with the cursor only (no ldns, no allocation):
 * the targets of up to max (at most 16) CNAME records into names[], and
 * whether any A or AAAA record is there.  So a response whose names match
 * nothing never reaches ldns.  ERR_MALFORMED when the sections run off the
 * message.
 */
int	dns_cnames(const uint8_t *msg, size_t len, char (*names)[DNS_NAME_LEN],
	    size_t max, size_t *n_names, bool *has_addr);

/*
 * A name in a message, checked but not decoded: where it starts (a cursor
 * bounded as the record it is in) and its last two labels, compression
 * pointers followed (lab[0] the second to last; n_labels counts up to 2).
 */
struct dns_name_ref {
	struct cur	 at;
	size_t		 wire_len;	/* uncompressed, the root's byte too */
	unsigned	 n_labels;
	const uint8_t	*lab[2];
	uint8_t		 lab_len[2];
};

/*
 * dns_cnames() without decoding: the CNAME targets that decoding would
 * accept, as references, in the same order and with the same cap.  from:
 * where the first question ends when the caller has read it (struct
 * dns_question's end), so it is not walked again; 0 to start at the
 * header.
 */
int	dns_cname_refs(const uint8_t *msg, size_t len, size_t from,
	    struct dns_name_ref *refs, size_t max, size_t *n_refs,
	    bool *has_addr);

/* Decodes a reference into out (DNS_NAME_LEN bytes); *str_len its length. */
void	dns_ref_str(const uint8_t *msg, size_t len,
	    const struct dns_name_ref *r, char *out, size_t *str_len);

/*
 * Whether two names checked valid (references, or the question's name at
 * offset 12) are the same name: the same labels, ASCII letters folded.  As
 * their decoded forms would compare, without decoding them.
 */
bool	dns_name_eq(const uint8_t *msg, size_t len, struct cur x,
	    struct cur y);

/*
 * Presentation form of a wire name in buf (see above); false if invalid.
 * Also false if out_len is too small; DNS_NAME_LEN always suffices.
 */
bool	dns_name_str(const uint8_t *msg, size_t msg_len, size_t off,
	    char *out, size_t out_len, size_t *str_len);

/*
 * Frames the DNS message at the start of a TCP stream (RFC 1035 4.2.2,
 * RFC 7766 8): a 2-byte length, then the message.  ERR_OK: *msg is the
 * message and *used the bytes it took, its length included.  ERR_SHORT:
 * the stream ends first; *need more bytes are wanted (the message with its
 * length is then len + *need bytes long).  Nothing else is written.
 */
int	dns_tcp_msg(const uint8_t *buf, size_t len, struct cur *msg,
	    size_t *used, size_t *need);

#endif
