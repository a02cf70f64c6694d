/* audit_stream.c - TCP streams: a table row per protocol, one loop for all
 * (RFC 7766 DNS, RFC 8446 TLS, RFC 9112 HTTP, RFC 1928 SOCKS). */
#include <string.h>

#include "audit_int.h"

#define MAX_MSGS	64	/* messages parsed per segment (DNS, HTTP) */

#define TH_SYN		0x02
#define TH_END		0x05	/* FIN or RST: the sender's stream ends */

/* ---- TCP streams: one table row per protocol -------------------------- */

struct seg {
	const struct pkt	*p;
	struct flow		*f;
	struct flow_state	*fs;
	enum flow_dir		 dir;
};

static void
stream_done(struct audit *a, struct seg *s)
{
	s->fs->app[s->dir] = APP_DONE;
	flow_done(a->flows, s->f, s->dir);
}

/* What a row's parser made of the window start, for stream_run(). */
struct step {
	size_t		 used;	/* bytes the message took (a chunked body:
				   also while ERR_SHORT) */
	uint64_t	 skip;	/* ERR_OK: then bytes to drop unread */
	size_t		 need;	/* ERR_SHORT: more bytes wanted, 0 unknown */
	enum app	 next;	/* ERR_OK: the state after the message */
};

/* When a stream whose message is not whole yet is given up. */
enum give_up {
	GIVE_UP_NEVER,		/* messages are small: wait */
	GIVE_UP_FULL,		/* once the window is full */
	GIVE_UP_SIZED,		/* as soon as its length cannot fit */
};

/*
 * One row per stream protocol.  probe: do the flow's ports or the stream's
 * first bytes say it is this one (NULL: a state only another row leads
 * to).  parse: one message at the start of view (never past it), its
 * names handed on as observations (of kind, where one kind fits), *st
 * filled; it counts its own failures.  The flow bookkeeping is
 * stream_run()'s alone.
 */
struct proto {
	bool		(*probe)(const struct audit *, const struct seg *,
			    const struct cur *);
	int		(*parse)(struct audit *, struct seg *,
			    const struct proto *, const struct cur *,
			    struct step *);
	enum obs_kind	 kind;		/* of the name a message carries */
	unsigned	 max_msgs;	/* messages read per segment */
	enum give_up	 give_up;
	bool		 resync;	/* may skip a hole at a message start */
};

static bool
probe_dns(const struct audit *a, const struct seg *s, const struct cur *v)
{
	(void)v;
	return audit_is_dns_port(a, s->p->dport) ||
	    audit_is_dns_port(a, s->p->sport);
}

static bool
probe_proxy(const struct audit *a, const struct seg *s, const struct cur *v)
{
	(void)a;
	return s->dir == FLOW_C2S && proxy_is_start(v->p, cur_left(v));
}

static bool
probe_tls(const struct audit *a, const struct seg *s, const struct cur *v)
{
	(void)a;
	(void)s;
	return tls_is_handshake_record(v->p, cur_left(v));
}

static bool
probe_http(const struct audit *a, const struct seg *s, const struct cur *v)
{
	(void)a;
	(void)s;
	return http_is_request(v->p, cur_left(v));
}

/* Not inside a tunnel: a SOCKS greeting there would be the payload's. */
static bool
probe_socks(const struct audit *a, const struct seg *s, const struct cur *v)
{
	(void)a;
	return !s->fs->tunnel[s->dir] && socks_is_start(v->p, cur_left(v));
}

/* Messages with a 2-byte length prefix (RFC 1035 4.2.2, RFC 7766 8). */
static int
parse_dns(struct audit *a, struct seg *s, const struct proto *row,
    const struct cur *view, struct step *st)
{
	size_t window = a->cfg.flow.stream_bytes, have = cur_left(view);
	struct cur msg;
	int r;

	(void)row;				/* query or answer: by QR */
	r = dns_tcp_msg(view->p, have, &msg, &st->used, &st->need);
	if (r == ERR_SHORT && have >= 2 && have + st->need > window) {
		/*
		 * Larger than --stream-bytes (issue 22 item 12): the question
		 * comes first, so once the window is full what it holds is
		 * read as a message cut short, and the rest skipped unread.
		 */
		if (have < window) {
			st->need = window - have;
			return ERR_SHORT;
		}
		a->st.dns_tcp_msgs++;
		audit_dns(a, s->p, view->p + 2, have - 2, true);
		st->used = have;
		st->skip = (uint64_t)(view->p[0] << 8 | view->p[1]) + 2 - have;
		return ERR_OK;
	}
	if (r != ERR_OK)
		return r;
	a->st.dns_tcp_msgs++;
	audit_dns(a, s->p, msg.p, cur_left(&msg), false);
	return ERR_OK;
}

/*
 * A PROXY protocol header (a load balancer's, before TLS or HTTP): skipped,
 * and the client it names taken as the stream's, as X-Forwarded-For is,
 * only when its sender is in --trust-proxy.
 */
static int
parse_proxy(struct audit *a, struct seg *s, const struct proto *row,
    const struct cur *view, struct step *st)
{
	struct proxy_hdr h;
	struct obs o;
	int r;

	(void)row;
	r = proxy_header(view->p, cur_left(view), &h, &st->need);
	if (r == ERR_SHORT)
		return r;
	if (r != ERR_OK) {
		a->st.proxy_malformed++;
		return r;
	}
	a->st.proxy_headers++;
	st->used = h.len;
	st->next = APP_UNKNOWN;
	if (!h.has_addr)
		return ERR_OK;
	audit_obs(a, &o, s->p, true);
	if (!audit_trusted(a, &o.client)) {
		a->st.proxy_untrusted++;
		return ERR_OK;
	}
	s->fs->proxied = true;
	s->fs->proxy_client = h.src;
	s->fs->proxy_port = h.sport;
	return ERR_OK;
}

/* The client a trusted PROXY header named; the sender is only the way. */
static void
proxy_apply(const struct flow_state *fs, struct obs *o, unsigned *flags)
{
	if (fs == NULL || !fs->proxied)
		return;
	o->via = o->client;
	o->client = fs->proxy_client;
	o->client_port = fs->proxy_port;
	o->has_mac = false;
	*flags |= OBS_F_FORWARDED;
}

/*
 * The observations of a ClientHello, over TCP or QUIC (kind says which;
 * the tls_ counters are TCP's): its name, an ECH blind spot and, when it
 * names nothing we may report, the DNS answer that gave its address.
 */
void
audit_hello(struct audit *a, const struct pkt *p, struct flow_state *fs,
    const struct tls_hello *h, enum obs_kind kind, unsigned flags)
{
	bool tcp = kind == OBS_TLS_SNI;
	bool ech;
	struct obs o;

	/*
	 * An ECH extension alone proves nothing: Chromium sends a GREASE one
	 * on every hello, and then the server_name is the destination.  It
	 * is an outer name only on evidence: an ECH public name we know of
	 * (or no name at all).  GREASE is flagged in the events.
	 */
	ech = h->ech && (!h->has_sni ||
	    tls_ech_public_name(h->sni, h->sni_len));
	if (h->ech && !ech)
		flags |= OBS_F_ECH_GREASE;
	if (ech) {
		a->st.tls_ech += tcp;
		flags |= OBS_F_ECH;
		audit_obs(a, &o, p, true);
		proxy_apply(fs, &o, &flags);
		audit_blind(a, &o, BLIND_ECH);
	}
	/* No name we may report as the destination: the address may still
	 * tell, through the DNS answer that gave it. */
	if (!h->has_sni || h->sni_is_ip || ech)
		audit_correlate(a, p, fs, flags);
	if (!h->has_sni) {
		a->st.tls_no_sni += tcp;
		return;
	}
	/* An IP literal (against RFC 6066) still goes to the matcher: "." and
	 * a name-shaped signature treat it like any name. */
	a->st.tls_ip_sni += tcp && h->sni_is_ip;
	audit_obs(a, &o, p, true);
	proxy_apply(fs, &o, &flags);
	audit_name(a, &o, kind, h->sni, h->sni_len, flags);
}

static int
parse_tls(struct audit *a, struct seg *s, const struct proto *row,
    const struct cur *view, struct step *st)
{
	int r;

	r = tls_client_hello_stream(view->p, cur_left(view), a->tls_scratch,
	    sizeof(a->tls_scratch), &a->hello, &st->used, &st->need);
	switch (r) {
	case ERR_OK:
		break;
	case ERR_SHORT:
		return r;
	case ERR_FULL:
		a->st.tls_too_big++;
		return r;
	case ERR_NOTFOUND:
		a->st.streams_other++;
		return r;
	default:
		a->st.tls_malformed++;
		return r;
	}
	a->st.tls_hellos++;
	st->next = APP_DONE;
	audit_hello(a, s->p, s->fs, &a->hello, row->kind,
	    s->fs->tunnel[s->dir] ? OBS_F_TUNNEL : 0);
	return ERR_OK;
}

/* Observations of one request head. */
static void
http_observe(struct audit *a, struct seg *s, const struct http_req *req)
{
	const struct match_sig *sig = NULL, *s2;
	unsigned flags = 0;
	struct addr lit;
	struct obs o;
	bool fwd = req->has_forwarded;

	audit_obs(a, &o, s->p, true);
	proxy_apply(s->fs, &o, &flags);
	if (fwd && !audit_trusted(a, &o.client)) {
		/* Anyone can write the header: only a known proxy's counts. */
		a->st.http_forwarded_untrusted++;
		fwd = false;
	}
	if (fwd) {
		/* The sensor sees a proxy's upstream side: the original
		 * client is the offender, the proxy is only the way. */
		a->st.http_forwarded++;
		o.via = o.client;
		o.client = req->forwarded_for;
		o.client_port = 0;
		o.has_mac = false;
		flags |= OBS_F_FORWARDED;
	}
	if (req->host_mismatch)
		flags |= OBS_F_MISMATCH;
	if (req->has_uri_host)
		sig = audit_name(a, &o, req->target == HTTP_AUTHORITY ?
		    OBS_HTTP_CONNECT : OBS_HTTP_URI, req->uri_host,
		    strlen(req->uri_host), flags);
	if (req->has_host && (s2 = audit_name(a, &o, OBS_HTTP_HOST,
	    req->host, strlen(req->host), flags)) != NULL)
		sig = s2;
	/* A Kaspersky updater's User-Agent names the product. */
	if (sig != NULL && sig->cat != CAT_ENCDNS && req->ua_len > 0 &&
	    a->names != NULL) {
		audit_lock(a);
		hnames_learn(a->names, &o.client, o.has_mac ? o.mac : NULL,
		    HN_HTTP_UA, HT_USER_AGENT, req->ua, req->ua_len,
		    o.ts_sec);
		audit_unlock(a);
	}
	/* A request to an IP literal (or without Host) names nothing. */
	if (!fwd && !req->has_uri_host && (!req->has_host ||
	    addr_parse(&lit, req->host)))
		audit_correlate(a, s->p, s->fs, flags);
}

/* A request head (its length unknown until its empty line), then a body. */
static int
parse_http(struct audit *a, struct seg *s, const struct proto *row,
    const struct cur *view, struct step *st)
{
	struct http_req *req = &a->req;
	int r;

	(void)row;			/* Host, CONNECT or URI: by target */
	if ((r = http_request(view->p, cur_left(view), req)) != ERR_OK) {
		/* Too big, but the name came first: it is taken. */
		if (r == ERR_FULL && (req->has_host || req->has_uri_host)) {
			a->st.http_requests++;
			http_observe(a, s, req);
		} else if (r == ERR_FULL)
			a->st.http_too_big++;
		else if (r == ERR_MALFORMED)
			a->st.http_malformed++;
		return r;
	}
	a->st.http_requests++;
	http_observe(a, s, req);
	st->used = req->head_len;
	if (req->target == HTTP_AUTHORITY) {
		/* CONNECT: what follows is the tunnel. */
		s->fs->tunnel[s->dir] = true;
		st->next = APP_UNKNOWN;
	} else if (req->chunked) {
		memset(&s->fs->chunk, 0, sizeof(s->fs->chunk));
		st->next = APP_HTTP_CHUNKED;
	} else if (req->body_len >= HTTP_BODY_MAX)
		st->next = APP_DONE;		/* body to the end */
	else
		st->skip = req->body_len;
	return ERR_OK;
}

/* A chunked body, eaten as it comes. */
static int
parse_chunked(struct audit *a, struct seg *s, const struct proto *row,
    const struct cur *view, struct step *st)
{
	int r;

	(void)row;
	r = http_chunked_skip(&s->fs->chunk, view->p, cur_left(view),
	    &st->used);
	if (r == ERR_OK)
		st->next = APP_HTTP;
	else if (r != ERR_SHORT)
		a->st.http_malformed++;
	return r;
}

/* SOCKS 4/4a/5 (RFC 1928): the request names the target, then a tunnel. */
static int
parse_socks(struct audit *a, struct seg *s, const struct proto *row,
    const struct cur *view, struct step *st)
{
	struct socks_req *req = &a->socks;
	struct obs o;
	int r;

	r = socks_client_msg(view->p, cur_left(view),
	    s->fs->app[s->dir] == APP_SOCKS, req);
	if (r == ERR_SHORT)
		return r;
	if (r != ERR_OK) {
		a->st.streams_other++;
		return r;
	}
	st->used = req->len;
	st->next = APP_SOCKS;
	if (req->msg != SOCKS_REQUEST)
		return ERR_OK;
	a->st.socks_requests++;
	if (req->has_name) {
		audit_obs(a, &o, s->p, true);
		audit_name(a, &o, row->kind, req->name, strlen(req->name), 0);
	}
	s->fs->tunnel[s->dir] = true;
	st->next = APP_UNKNOWN;
	return ERR_OK;
}

/*
 * Probed in this order (DNS by port first); a row without probe is a state
 * another row leads to.  A CONNECT or SOCKS request leads back to
 * APP_UNKNOWN: the tunnel's first bytes are probed again.
 */
static const struct proto protos[APP_N] = {
	[APP_PROXY] = { probe_proxy, parse_proxy, OBS_N,
	    1, GIVE_UP_SIZED, false },
	[APP_DNS] = { probe_dns, parse_dns, OBS_DNS_QUERY,
	    MAX_MSGS, GIVE_UP_SIZED, true },
	[APP_TLS] = { probe_tls, parse_tls, OBS_TLS_SNI,
	    1, GIVE_UP_FULL, false },
	[APP_HTTP] = { probe_http, parse_http, OBS_HTTP_HOST,
	    MAX_MSGS, GIVE_UP_FULL, true },
	[APP_HTTP_CHUNKED] = { NULL, parse_chunked, OBS_N,
	    MAX_MSGS, GIVE_UP_NEVER, false },
	[APP_SOCKS_START] = { probe_socks, parse_socks, OBS_SOCKS_CONNECT,
	    4, GIVE_UP_NEVER, false },
	[APP_SOCKS] = { NULL, parse_socks, OBS_SOCKS_CONNECT,
	    4, GIVE_UP_NEVER, false },
};

/*
 * Reads messages from the window start with the row of the direction's
 * state and does the flow bookkeeping for every row: what a message used
 * (and a body it skips) is consumed, the state moves on, and a message
 * that will never be whole in the window gives the stream up.
 */
static void
stream_run(struct audit *a, struct seg *s, struct cur *view)
{
	const struct proto *row = &protos[s->fs->app[s->dir]];
	size_t window = a->cfg.flow.stream_bytes, rest;
	unsigned i, max = row->max_msgs;
	struct step st;
	int r;

	for (i = 0; i < max; i++) {
		row = &protos[s->fs->app[s->dir]];
		st.used = 0;
		st.skip = 0;
		st.need = 0;
		st.next = (enum app)s->fs->app[s->dir];
		r = row->parse(a, s, row, view, &st);
		flow_consume(a->flows, s->f, s->dir, st.used);
		if (r == ERR_SHORT) {
			rest = cur_left(view) - st.used;
			if ((row->give_up == GIVE_UP_FULL && rest >= window) ||
			    (row->give_up == GIVE_UP_SIZED &&
			    rest + st.need > window)) {
				a->st.streams_unfinished++;
				stream_done(a, s);
			}
			return;
		}
		if (r != ERR_OK) {
			stream_done(a, s);
			return;
		}
		flow_consume(a->flows, s->f, s->dir, st.skip);
		if (st.next == APP_DONE) {
			stream_done(a, s);
			return;
		}
		s->fs->app[s->dir] = (uint8_t)st.next;
		if (st.next == APP_UNKNOWN ||
		    flow_view(a->flows, s->f, s->dir, view) != ERR_OK)
			return;
	}
}

/*
 * Segments of unknown first bytes waited through while the stream's start
 * is a guess: a ClientHello in three segments delivered 1-2-0 or 2-1-0
 * learns its start at the third (issue 21, item 5); four cover five.
 */
#define GUESSED_WAIT	4

/*
 * First bytes that no parser knows.  When the capture may have met the
 * stream in its middle (no SYN seen), earlier segments can still arrive
 * (a ClientHello delivered in reverse order), so wait for a few more
 * segments before giving up; then watch each later segment for an HTTP
 * request, as a keep-alive connection met mid-body has one at a segment
 * start.
 */
static void
stream_unknown(struct audit *a, struct seg *s)
{
	if (flow_start_guessed(s->f, s->dir) &&
	    s->fs->waited[s->dir]++ < GUESSED_WAIT)
		return;
	a->st.streams_other++;
	if (s->dir == FLOW_C2S)
		audit_correlate(a, s->p, s->fs, 0);
	flow_done(a->flows, s->f, s->dir);
	s->fs->app[s->dir] = APP_RESYNC;
}

/* The first row whose probe knows the stream's first bytes, if any. */
static void
stream_probe(struct audit *a, struct seg *s, const struct cur *view)
{
	unsigned app;

	for (app = 0; app < APP_N; app++)
		if (protos[app].probe != NULL &&
		    protos[app].probe(a, s, view)) {
			s->fs->app[s->dir] = (uint8_t)app;
			return;
		}
	if (cur_left(view) >= 8)
		stream_unknown(a, s);
}

void
audit_tcp(struct audit *a, const struct pkt *p)
{
	struct seg s;
	struct cur view;
	bool is_new;
	int guard;
	uint8_t app;

	if (p->payload_len == 0 && !(p->tcp_flags & (TH_SYN | TH_END)))
		return;
	s.f = flow_get(a->flows, p, p->ts_sec, &s.dir, &is_new);
	if (s.f == NULL)
		return;
	s.fs = flow_app(s.f);
	/* A lone FIN or RST of a flow not seen: nothing to read. */
	if (is_new && p->payload_len == 0 && !(p->tcp_flags & TH_SYN)) {
		s.fs->app[0] = s.fs->app[1] = APP_DONE;
		return;
	}
	/* A connection opening: a SYN, or the first packet of a flow met in
	 * the middle, when it goes client to server. */
	if (is_new && s.dir == FLOW_C2S && !(p->tcp_flags & 0x10 &&
	    p->tcp_flags & 0x02))
		audit_new_flow(a, p);
	app = s.fs->app[s.dir];
	if (app == APP_DONE)
		return;
	/*
	 * Behind unknown bytes (resynchronising, or waiting for the start
	 * of a stream met in its middle), a segment that starts with a
	 * request line is where a keep-alive connection's next request is.
	 */
	if (app == APP_RESYNC || (app == APP_UNKNOWN &&
	    s.fs->waited[s.dir] > 0 && p->payload_len > 0 &&
	    http_is_request(p->payload, p->payload_len))) {
		if (!http_is_request(p->payload, p->payload_len) ||
		    flow_restart(a->flows, s.f, s.dir, p, &view) != ERR_OK)
			return;
		a->st.streams_resynced++;
		s.fs->app[s.dir] = APP_UNKNOWN;
	} else if (flow_tcp_segment(a->flows, s.f, s.dir, p, &view) !=
	    ERR_OK) {
		/*
		 * Nothing new at the window start.  A parser waiting at a
		 * message boundary behind a hole that later segments keep
		 * piling up behind takes the loss and reads on from there;
		 * so does one behind a single segment once the sender ends
		 * the stream (FIN or RST): nothing will fill the hole.
		 */
		if (!protos[app].resync || flow_skip_hole(a->flows, s.f,
		    s.dir, (p->tcp_flags & TH_END) ? 1 : 2, &view) != ERR_OK)
			return;
		a->st.streams_resynced++;
	}
	s.p = p;
	/* A CONNECT hands over to TLS: at most a few turns round. */
	for (guard = 0; guard < 4 && s.fs->app[s.dir] != APP_DONE; guard++) {
		if (s.fs->app[s.dir] == APP_UNKNOWN) {
			stream_probe(a, &s, &view);
			if (s.fs->app[s.dir] == APP_UNKNOWN)
				break;
		}
		if (protos[s.fs->app[s.dir]].parse != NULL)
			stream_run(a, &s, &view);
		/* Only a tunnel (CONNECT, SOCKS) turns a stream back to
		 * unknown: go round for what it carries. */
		if (s.fs->app[s.dir] != APP_UNKNOWN ||
		    flow_view(a->flows, s.f, s.dir, &view) != ERR_OK)
			break;
	}
	flow_commit(a->flows, s.f, s.dir);
}

/*
 * Rounds of reading at the end of the input per stream direction: each
 * skips one hole or reads on after MAX_MSGS messages (a window holds at
 * most MAX_RANGES pieces, so a few rounds are all there can be).
 */
#define FLUSH_ROUNDS	64

/*
 * The end of the input (issue 21, item 5): nothing will fill the holes
 * now, so a parser waiting at a message boundary behind one reads what is
 * held past it, as at a FIN.  The packet it is handed stands for the
 * flow's last one; flows are taken in table order, so the result is the
 * same run to run.
 */
void
audit_tcp_flush(struct audit *a)
{
	struct seg s;
	struct pkt p;
	struct cur view;
	size_t pos = 0, left = 0;
	unsigned d, n;
	uint8_t app;

	while ((s.f = flow_next_used(a->flows, &pos)) != NULL) {
		s.fs = flow_app(s.f);
		for (d = 0; d < 2; d++) {
			s.dir = (enum flow_dir)d;
			flow_as_pkt(s.f, s.dir, &p);
			if (p.proto != 6)
				break;
			s.p = &p;
			/* Bytes before the first hole: the parser waits on
			 * them (a message cut by the hole), so it stays. */
			if (flow_view(a->flows, s.f, s.dir, &view) == ERR_OK)
				continue;
			for (n = 0; n < FLUSH_ROUNDS; n++) {
				app = s.fs->app[s.dir];
				if (app >= APP_N || !protos[app].resync)
					break;
				if (flow_view(a->flows, s.f, s.dir, &view) !=
				    ERR_OK) {
					if (flow_skip_hole(a->flows, s.f, s.dir,
					    1, &view) != ERR_OK)
						break;
					a->st.streams_resynced++;
				}
				left = cur_left(&view);
				stream_run(a, &s, &view);
				if (flow_view(a->flows, s.f, s.dir, &view) ==
				    ERR_OK && cur_left(&view) == left)
					break;	/* nothing more it can read */
			}
		}
	}
}
