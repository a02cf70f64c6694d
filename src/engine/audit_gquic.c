/* audit_gquic.c - Google QUIC client flows in clear (Q039-Q046): the CHLO's
 * server name, and the gQUIC versions not read, counted by family. */
#include <string.h>

#include "audit_int.h"
#include "flow.h"
#include "gquic.h"
#include "quicver.h"

/*
 * A client's first flight is a CHLO padded to 1024 bytes at least (QUIC
 * Crypto's minimum): a smaller packet that does not read is no blind spot
 * (a server's Version Negotiation has the same public header).
 */
#define CHLO_DGRAM_MIN	1024

bool
audit_gquic(struct audit *a, const struct pkt *p)
{
	struct flow_state *fs;
	struct flow *f;
	enum flow_dir dir;
	struct cur view;
	uint32_t version;
	bool is_new, have = false;
	size_t i;
	int r;

	if (!gquic_is_client(p->payload, p->payload_len, &version))
		return false;
	if ((f = flow_get(a->flows, p, p->ts_sec, &dir, &is_new)) == NULL)
		return true;
	fs = flow_app(f);
	if (!fs->quic_seen) {
		fs->quic_seen = true;
		fs->quic_dir = (uint8_t)dir;
	}
	if (dir != fs->quic_dir || fs->app[dir] == APP_DONE)
		return true;
	r = gquic_client_packet(p->payload, p->payload_len, &a->gq);
	if (r != ERR_OK) {
		/* Encrypted, or a layout not read: a blind spot, once. */
		if (p->payload_len >= CHLO_DGRAM_MIN) {
			fs->app[dir] = APP_DONE;
			flow_done(a->flows, f, dir);
			a->st.quic_unknown_version++;
			a->st.quic_unknown_by[quic_vclass_of(version)]++;
		}
		return true;
	}
	for (i = 0; i < a->gq.n_frags; i++)
		if (flow_stream_put(a->flows, f, dir, a->gq.frags[i].off,
		    a->gq.frags[i].data, a->gq.frags[i].len, &view) == ERR_OK)
			have = true;
	if (!have && flow_view(a->flows, f, dir, &view) != ERR_OK)
		return true;
	r = gquic_chlo(view.p, cur_left(&view), &a->hello, NULL);
	if (r == ERR_SHORT)
		return true;
	fs->app[dir] = APP_DONE;
	flow_done(a->flows, f, dir);
	audit_chlo(a, p, fs, r, version);
	return true;
}

void
audit_chlo(struct audit *a, const struct pkt *p, struct flow_state *fs,
    int r, uint32_t version)
{
	if (r == ERR_NOTFOUND)
		return;			/* the stream opened with another tag */
	if (r != ERR_OK) {
		a->st.quic_malformed++;
		return;
	}
	a->st.quic_hellos++;
	a->quic_version = version;
	audit_hello(a, p, fs, &a->hello, OBS_QUIC_SNI, 0);
	a->quic_version = 0;
}
