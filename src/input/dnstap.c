/* dnstap.c - Frame Streams (fstrm 0.6 PROTOCOL: data frames, control frames
 * through libfstrm) and the dnstap protobuf (dnstap.proto, by protobuf-c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fstrm.h>

#include "cursor.h"
#include "dnstap.h"
#include "dnstap.pb-c.h"

/* Where a stream is: before its first control frame, after READY (a
 * connection), or reading data frames after START. */
enum {
	ST_OPEN,
	ST_READY,
	ST_DATA
};

struct dnstap_stream {
	bool			 bidi;
	int			 state;
	struct fstrm_control	*ctl;
};

struct dnstap_stream *
dnstap_stream_new(bool bidi)
{
	struct dnstap_stream *st;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	st->bidi = bidi;
	if ((st->ctl = fstrm_control_init()) == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

void
dnstap_stream_free(struct dnstap_stream *st)
{
	if (st == NULL)
		return;
	fstrm_control_destroy(&st->ctl);
	free(st);
}

/* A content type as the error message shows it: printable ASCII only. */
static void
show_type(char *dst, size_t cap, const uint8_t *p, size_t len)
{
	size_t i;

	if (len > cap - 1)
		len = cap - 1;
	for (i = 0; i < len; i++)
		dst[i] = p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' ?
		    (char)p[i] : '?';
	dst[len] = '\0';
}

/* READY and START name what the writer sends: dnstap, or nothing said. */
static int
check_type(struct dnstap_stream *st, const char *what, char *errbuf)
{
	const uint8_t *ct;
	size_t n = 0, ct_len;
	char shown[64];

	if (fstrm_control_get_num_field_content_type(st->ctl, &n) !=
	    fstrm_res_success || n == 0)
		return ERR_OK;
	if (fstrm_control_match_field_content_type(st->ctl,
	    (const uint8_t *)DNSTAP_CONTENT_TYPE,
	    sizeof(DNSTAP_CONTENT_TYPE) - 1) == fstrm_res_success)
		return ERR_OK;
	if (fstrm_control_get_field_content_type(st->ctl, 0, &ct, &ct_len) !=
	    fstrm_res_success)
		ct_len = 0;
	show_type(shown, sizeof(shown), ct, ct_len);
	snprintf(errbuf, ERRBUF_LEN, "%s frame has content type \"%s\", not "
	    "\"%s\"", what, shown, DNSTAP_CONTENT_TYPE);
	return ERR_MALFORMED;
}

static const char *
ctl_name(fstrm_control_type t)
{
	switch (t) {
	case FSTRM_CONTROL_ACCEPT:	return "ACCEPT";
	case FSTRM_CONTROL_START:	return "START";
	case FSTRM_CONTROL_STOP:	return "STOP";
	case FSTRM_CONTROL_READY:	return "READY";
	case FSTRM_CONTROL_FINISH:	return "FINISH";
	}
	return "unknown";
}

static int
on_control(struct dnstap_stream *st, const uint8_t *body, size_t len,
    struct dnstap_event *ev, char *errbuf)
{
	fstrm_control_type t;

	if (fstrm_control_decode(st->ctl, body, len, 0) != fstrm_res_success ||
	    fstrm_control_get_type(st->ctl, &t) != fstrm_res_success) {
		snprintf(errbuf, ERRBUF_LEN, "control frame does not decode");
		return ERR_MALFORMED;
	}
	if (t == FSTRM_CONTROL_READY && st->bidi && st->state == ST_OPEN) {
		ev->kind = DNSTAP_EV_READY;
		st->state = ST_READY;
		return check_type(st, "READY", errbuf);
	}
	if (t == FSTRM_CONTROL_START && st->state == (st->bidi ? ST_READY :
	    ST_OPEN)) {
		ev->kind = DNSTAP_EV_START;
		st->state = ST_DATA;
		return check_type(st, "START", errbuf);
	}
	if (t == FSTRM_CONTROL_STOP && st->state == ST_DATA) {
		ev->kind = DNSTAP_EV_STOP;
		st->state = ST_OPEN;
		return ERR_OK;
	}
	snprintf(errbuf, ERRBUF_LEN, "unexpected %s control frame%s",
	    ctl_name(t), st->state == ST_DATA ? "" : st->bidi ?
	    " (READY and START come first)" : " (START comes first)");
	return ERR_MALFORMED;
}

int
dnstap_stream_next(struct dnstap_stream *st, const uint8_t *p, size_t len,
    struct dnstap_event *ev, size_t *need, char *errbuf)
{
	struct cur c = cur_init(p, len);
	uint32_t flen, clen;

	flen = cur_u32(&c);
	if (!c.ok) {
		*need = 4;
		return ERR_SHORT;
	}
	if (flen != 0) {
		if (st->state != ST_DATA) {
			snprintf(errbuf, ERRBUF_LEN, "data frame before %s",
			    st->bidi ? "READY and START" : "START");
			return ERR_MALFORMED;
		}
		if (flen > DNSTAP_FRAME_MAX) {
			snprintf(errbuf, ERRBUF_LEN, "data frame of %u bytes "
			    "(at most %u)", flen, DNSTAP_FRAME_MAX);
			return ERR_MALFORMED;
		}
		if (!cur_need(&c, flen)) {
			*need = 4 + (size_t)flen;
			return ERR_SHORT;
		}
		ev->kind = DNSTAP_EV_DATA;
		ev->data = c.p;
		ev->data_len = flen;
		ev->used = 4 + (size_t)flen;
		return ERR_OK;
	}
	clen = cur_u32(&c);
	if (!c.ok) {
		*need = 8;
		return ERR_SHORT;
	}
	if (clen < 4 || clen > FSTRM_CONTROL_FRAME_LENGTH_MAX) {
		snprintf(errbuf, ERRBUF_LEN, "control frame of %u bytes (4 to "
		    "%d)", clen, FSTRM_CONTROL_FRAME_LENGTH_MAX);
		return ERR_MALFORMED;
	}
	if (!cur_need(&c, clen)) {
		*need = 8 + (size_t)clen;
		return ERR_SHORT;
	}
	ev->data = NULL;
	ev->data_len = 0;
	ev->used = 8 + (size_t)clen;
	return on_control(st, c.p, clen, ev, errbuf);
}

size_t
dnstap_control(uint8_t *buf, size_t cap, bool accept)
{
	struct fstrm_control *c;
	size_t len = cap;

	if ((c = fstrm_control_init()) == NULL)
		return 0;
	if (fstrm_control_set_type(c, accept ? FSTRM_CONTROL_ACCEPT :
	    FSTRM_CONTROL_FINISH) != fstrm_res_success ||
	    (accept && fstrm_control_add_field_content_type(c,
	    (const uint8_t *)DNSTAP_CONTENT_TYPE,
	    sizeof(DNSTAP_CONTENT_TYPE) - 1) != fstrm_res_success) ||
	    fstrm_control_encode(c, buf, &len,
	    FSTRM_CONTROL_FLAG_WITH_HEADER) != fstrm_res_success)
		len = 0;
	fstrm_control_destroy(&c);
	return len;
}

/* ---- the protobuf ------------------------------------------------------ */

/* protobuf-c copies bytes fields out of the frame: the arena holds a frame
 * and the structs around it. */
#define ARENA_LEN	(DNSTAP_FRAME_MAX + 64 * 1024)

struct dnstap_dec {
	ProtobufCAllocator	 alloc;
	uint8_t			*arena;
	size_t			 used;
};

static void *
arena_alloc(void *data, size_t n)
{
	struct dnstap_dec *d = data;
	size_t at = (d->used + 15) & ~(size_t)15;
	void *p;

	if (at > ARENA_LEN || n > ARENA_LEN - at)
		return NULL;
	p = d->arena + at;
	d->used = at + n;
	return p;
}

static void
arena_free(void *data, void *p)
{
	(void)data;
	(void)p;		/* emptied as a whole on the next decode */
}

struct dnstap_dec *
dnstap_dec_new(void)
{
	struct dnstap_dec *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->arena = malloc(ARENA_LEN)) == NULL) {
		free(d);
		return NULL;
	}
	d->alloc.alloc = arena_alloc;
	d->alloc.free = arena_free;
	d->alloc.allocator_data = d;
	return d;
}

void
dnstap_dec_free(struct dnstap_dec *d)
{
	if (d == NULL)
		return;
	free(d->arena);
	free(d);
}

static int
get_addr(struct addr *dst, protobuf_c_boolean has,
    const ProtobufCBinaryData *b, const char *what, char *errbuf)
{
	memset(dst, 0, sizeof(*dst));
	if (!has || b->len == 0)
		return ERR_OK;
	if (b->len == 4)
		addr_set4(dst, b->data);
	else if (b->len == 16)
		addr_set6(dst, b->data);
	else {
		snprintf(errbuf, ERRBUF_LEN, "%s of %zu bytes (4 or 16)",
		    what, b->len);
		return ERR_MALFORMED;
	}
	return ERR_OK;
}

static uint8_t
transport(const Dnstap__Message *m)
{
	if (!m->has_socket_protocol)
		return 17;
	switch (m->socket_protocol) {
	case DNSTAP__SOCKET_PROTOCOL__TCP:
	case DNSTAP__SOCKET_PROTOCOL__DOT:
	case DNSTAP__SOCKET_PROTOCOL__DOH:
	case DNSTAP__SOCKET_PROTOCOL__DNSCryptTCP:
		return 6;
	default:
		return 17;
	}
}

int
dnstap_decode(struct dnstap_dec *d, const uint8_t *p, size_t len,
    struct dnstap_msg *out, char *errbuf)
{
	Dnstap__Dnstap *dt;
	Dnstap__Message *m;
	bool response;

	d->used = 0;
	if ((dt = dnstap__dnstap__unpack(&d->alloc, len, p)) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "not a dnstap protobuf (%zu "
		    "bytes)", len);
		return ERR_MALFORMED;
	}
	if (dt->type != DNSTAP__DNSTAP__TYPE__MESSAGE ||
	    (m = dt->message) == NULL) {
		snprintf(errbuf, ERRBUF_LEN, "dnstap frame without a message");
		return ERR_MALFORMED;
	}
	memset(out, 0, sizeof(*out));
	out->type = (int)m->type;
	out->proto = transport(m);
	if (get_addr(&out->query_addr, m->has_query_address,
	    &m->query_address, "query_address", errbuf) != ERR_OK ||
	    get_addr(&out->response_addr, m->has_response_address,
	    &m->response_address, "response_address", errbuf) != ERR_OK)
		return ERR_MALFORMED;
	out->query_port = m->has_query_port && m->query_port <= 0xffff ?
	    (uint16_t)m->query_port : 0;
	out->response_port = m->has_response_port &&
	    m->response_port <= 0xffff ? (uint16_t)m->response_port : 0;
	/* Odd types are queries, even ones responses (dnstap.proto). */
	response = (m->type & 1) == 0;
	if (response && m->has_response_message) {
		out->dns = m->response_message.data;
		out->dns_len = m->response_message.len;
	} else if (!response && m->has_query_message) {
		out->dns = m->query_message.data;
		out->dns_len = m->query_message.len;
	}
	if (response && m->has_response_time_sec) {
		out->ts_sec = m->response_time_sec > INT64_MAX ? INT64_MAX :
		    (int64_t)m->response_time_sec;
		out->ts_nsec = m->has_response_time_nsec &&
		    m->response_time_nsec < 1000000000u ?
		    m->response_time_nsec : 0;
	} else if (m->has_query_time_sec) {
		out->ts_sec = m->query_time_sec > INT64_MAX ? INT64_MAX :
		    (int64_t)m->query_time_sec;
		out->ts_nsec = m->has_query_time_nsec &&
		    m->query_time_nsec < 1000000000u ? m->query_time_nsec : 0;
	}
	if (dt->has_identity) {
		out->identity = dt->identity.data;
		out->identity_len = dt->identity.len;
	}
	if (dt->has_version) {
		out->version = dt->version.data;
		out->version_len = dt->version.len;
	}
	return ERR_OK;
}

bool
dnstap_sniff(const uint8_t *p, size_t len)
{
	struct cur c = cur_init(p, len);
	uint32_t esc, clen, type;

	esc = cur_u32(&c);
	if (!c.ok || esc != 0)
		return false;
	clen = cur_u32(&c);
	type = cur_u32(&c);
	if (!c.ok)
		return true;		/* too short to say: dnstap says why */
	return clen >= 4 && clen <= FSTRM_CONTROL_FRAME_LENGTH_MAX &&
	    type == FSTRM_CONTROL_START;
}
