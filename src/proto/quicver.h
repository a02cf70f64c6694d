/* quicver.h - the QUIC versions not read here, by family, so a report can
 * say which ones it could not look into (issue 21 item 3). */
#ifndef KASAUDIT_QUICVER_H
#define KASAUDIT_QUICVER_H

#include <stddef.h>
#include <stdint.h>

/* A fixed list, so reports merge by key: the versions seen in practice. */
enum quic_vclass {
	QV_Q046,		/* Google QUIC Q046 (0x51303436) */
	QV_Q050,		/* Q050 (0x51303530) */
	QV_GQUIC_OTHER,		/* another "Q0nn" or "T0nn" */
	QV_DRAFT_OLD,		/* IETF drafts 0xff000001..0xff000014 */
	QV_OTHER,		/* anything else */
	QV_N
};

enum quic_vclass	 quic_vclass_of(uint32_t version);
const char		*quic_vclass_name(size_t);	/* JSON key */
const char		*quic_vclass_what(size_t);	/* for people */

#endif
