/* quicver.c - the QUIC versions not read here, by family: Google's own
 * versions spell "Q0nn"/"T0nn" in ASCII, IETF drafts are 0xff0000nn. */
#include "quicver.h"

static const char *const names[QV_N] = {
	[QV_Q046] = "Q046",
	[QV_Q050] = "Q050",
	[QV_GQUIC_OTHER] = "gquic_other",
	[QV_DRAFT_OLD] = "draft_old",
	[QV_OTHER] = "other",
};

static const char *const whats[QV_N] = {
	[QV_Q046] = "Q046",
	[QV_Q050] = "Q050",
	[QV_GQUIC_OTHER] = "other gQUIC (Q0nn/T0nn)",
	[QV_DRAFT_OLD] = "IETF draft < 21",
	[QV_OTHER] = "unknown",
};

static int
is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

enum quic_vclass
quic_vclass_of(uint32_t v)
{
	uint32_t c0 = v >> 24, c1 = (v >> 16) & 0xff, c2 = (v >> 8) & 0xff,
	    c3 = v & 0xff;

	if (v == 0x51303436)
		return QV_Q046;
	if (v == 0x51303530)
		return QV_Q050;
	if ((c0 == 'Q' || c0 == 'T') && c1 == '0' && is_digit(c2) &&
	    is_digit(c3))
		return QV_GQUIC_OTHER;
	if (v >= 0xff000001 && v <= 0xff000014)
		return QV_DRAFT_OLD;
	return QV_OTHER;
}

const char *
quic_vclass_name(size_t i)
{
	return i < QV_N ? names[i] : "?";
}

const char *
quic_vclass_what(size_t i)
{
	return i < QV_N ? whats[i] : "?";
}
