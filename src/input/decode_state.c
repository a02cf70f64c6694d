/* decode_state.c - the decoder's life and counters: decode_new(), its
 * caps, its counts and their names (decode.c walks the layers). */
#include <stdlib.h>

#include "decode.h"
#include "decode_int.h"
#include "defrag.h"

static const char *const layer_names[DL_N] = {
	[DL_LINK] = "link",
	[DL_VLAN] = "vlan",
	[DL_MPLS] = "mpls",
	[DL_PPPOE] = "pppoe",
	[DL_IPV4] = "ipv4",
	[DL_IPV6] = "ipv6",
	[DL_FRAG] = "frag",
	[DL_UDP] = "udp",
	[DL_TCP] = "tcp",
};

struct decode *
decode_new(size_t frag_mem, unsigned frag_timeout)
{
	struct decode *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->frag = defrag_new(frag_mem, frag_timeout, &d->st)) == NULL) {
		free(d);
		return NULL;
	}
	d->tun_depth = ENCAP_DEPTH;
	return d;
}

void
decode_set_tunnel_depth(struct decode *d, unsigned depth)
{
	d->tun_depth = depth > ENCAP_MAX ? ENCAP_MAX : depth;
}

void
decode_free(struct decode *d)
{
	if (d == NULL)
		return;
	defrag_free(d->frag);
	free(d);
}

const struct decode_stats *
decode_stats(const struct decode *d)
{
	return &d->st;
}

const char *
decode_layer_name(enum decode_layer l)
{
	if ((unsigned)l >= DL_N)
		return "?";
	return layer_names[l];
}

/* For a packet decode_plain() took in the decoder's stead (capture_pipe.c's
 * reader thread): what decode_pkt() would have counted for it. */
void
decode_count_plain(struct decode *d, bool v6, bool tcp, bool cut)
{
	if (cut)
		d->st.cut++;
	decode_count_fast(&d->st, v6, tcp);
}
