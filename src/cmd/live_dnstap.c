/* live_dnstap.c - kasaudit live --dnstap: resolvers' Frame Streams
 * connections (READY/ACCEPT/START/STOP/FINISH) into the sensor, per resolver. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon.h"
#include "source_dnstap.h"

struct dt_resolver {
	struct sensor_input	 in;	/* rf.path: the listener; rf.format:
					   in.origin */
	uint8_t			 ident[DNSTAP_NAME_MAX];
	size_t			 ident_len;
	uint8_t			 ver[DNSTAP_NAME_MAX];
	size_t			 ver_len;
	uint64_t		 connections;
};

struct dt_conn {
	struct dnstap_live	*dt;
	struct live_conn	*lc;
	size_t			 ln;
	struct dtap_feed	 f;
	struct dt_resolver	*res;		/* of its last message */
	char			 name[160];	/* "unix:PATH (peer)" */
};

struct dnstap_live {
	struct daemon		*d;
	struct dnstap_dec	*dec;		/* one decode at a time */
	struct dt_resolver	 res[DAEMON_DNSTAP_RESOLVERS];
	size_t			 n_res;
	/* Frames no resolver can be named for (they did not decode). */
	struct sensor_input	 unknown;
	uint64_t		 frames[LIVE_MAX_STREAM_LISTENERS];
	uint64_t		 proto_errors;	/* connections cut for that */
};

/* A previous run's line (the state file) for this resolver: its counts go
 * on in this one, so a restart shows one line. */
static void
take_prev(struct daemon *d, struct sensor_input *in)
{
	struct report_file *f;
	size_t i;

	for (i = 0; i < d->n_prev; i++) {
		f = &d->prev[i];
		if (strcmp(f->path, in->rf.path) != 0 ||
		    strcmp(f->format, in->rf.format) != 0)
			continue;
		in->rf.packets += f->packets;
		in->rf.bytes += f->bytes;
		free((char *)f->path);
		free((char *)f->format);
		free((char *)f->error);
		memmove(f, f + 1, (d->n_prev - i - 1) * sizeof(*f));
		d->n_prev--;
		return;
	}
}

/* The resolver a message is from, by identity and version. */
static struct sensor_input *
pick(void *arg, const struct dnstap_msg *m)
{
	struct dt_conn *c = arg;
	struct dnstap_live *dt = c->dt;
	struct dt_resolver *r = c->res;
	size_t il = m->identity_len < DNSTAP_NAME_MAX ? m->identity_len :
	    DNSTAP_NAME_MAX;
	size_t vl = m->version_len < DNSTAP_NAME_MAX ? m->version_len :
	    DNSTAP_NAME_MAX;
	size_t i;

	if (r != NULL && r->ident_len == il && r->ver_len == vl &&
	    memcmp(r->ident, m->identity, il) == 0 &&
	    memcmp(r->ver, m->version, vl) == 0)
		return &r->in;
	for (i = 0; i < dt->n_res; i++) {
		r = &dt->res[i];
		if (r->ident_len == il && r->ver_len == vl &&
		    memcmp(r->ident, m->identity, il) == 0 &&
		    memcmp(r->ver, m->version, vl) == 0)
			break;
	}
	if (i == dt->n_res) {
		if (dt->n_res == DAEMON_DNSTAP_RESOLVERS) {
			/* Full: the last one takes the rest. */
			r = &dt->res[DAEMON_DNSTAP_RESOLVERS - 1];
			snprintf(r->in.origin, sizeof(r->in.origin),
			    "dnstap (more resolvers)");
			c->res = r;
			return &r->in;
		}
		r = &dt->res[dt->n_res++];
		memset(r, 0, sizeof(*r));
		memcpy(r->ident, m->identity, il);
		r->ident_len = il;
		memcpy(r->ver, m->version, vl);
		r->ver_len = vl;
		r->in.rf.path = dt->d->o.dnstap[c->ln];
		r->in.rf.format = "dnstap";
		r->in.rf.error = "";
		r->in.rf.complete = true;
		sensor_dnstap_origin(&r->in, m);
		take_prev(dt->d, &r->in);
		daemon_log(LOG_INFO, "%s: resolver %s", c->name,
		    r->in.rf.format);
	}
	if (c->res != r)
		r->connections++;
	c->res = r;
	return &r->in;
}

static void *
dt_open(void *arg, size_t ln, struct live_conn *lc, const char *peer)
{
	struct dnstap_live *dt = arg;
	struct dt_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->f.st = dnstap_stream_new(true)) == NULL) {
		free(c);
		return NULL;
	}
	c->dt = dt;
	c->lc = lc;
	c->ln = ln;
	snprintf(c->name, sizeof(c->name), "%.100s (%s)",
	    dt->d->o.dnstap[ln], peer);
	c->f.name = c->name;
	c->f.dec = dt->dec;
	c->f.pick = pick;
	c->f.pick_arg = c;
	daemon_log(LOG_INFO, "%s: connected", c->name);
	return c;
}

static long
dt_data_locked(void *arg, void *conn, const uint8_t *p, size_t len,
    size_t *need)
{
	struct dnstap_live *dt = arg;
	struct dt_conn *c = conn;
	struct sensor_input *in;
	char errbuf[ERRBUF_LEN];
	uint8_t reply[128];
	size_t off = 0, used, n;
	long ret;
	int r, ctl;

	/* Frames numbered per listener, across connections. */
	c->f.frames = dt->frames[c->ln];
	for (;;) {
		in = c->res != NULL ? &c->res->in : &dt->unknown;
		r = dtap_feed(&c->f, dt->d->sen, in, p + off, len - off,
		    &used, need, &ctl, errbuf);
		if (r == ERR_SHORT) {
			ret = (long)off;
			break;
		}
		if (r != ERR_OK) {
			daemon_log(LOG_WARNING, "%s", errbuf);
			dt->proto_errors++;
			ret = -1;
			break;
		}
		off += used;
		if (ctl == DNSTAP_EV_READY || ctl == DNSTAP_EV_STOP) {
			/* ACCEPT a READY; FINISH a STOP, then hang up. */
			n = dnstap_control(reply, sizeof(reply),
			    ctl == DNSTAP_EV_READY);
			if (n == 0 || live_conn_send(c->lc, reply, n) !=
			    ERR_OK || ctl == DNSTAP_EV_STOP) {
				ret = -1;
				break;
			}
		}
	}
	dt->frames[c->ln] = c->f.frames;
	return ret;
}

/* With --workers, what a resolver says goes in under the lock the loop's
 * callbacks hold (daemon.h). */
static long
dt_data(void *arg, void *conn, const uint8_t *p, size_t len, size_t *need)
{
	struct dnstap_live *dt = arg;
	long ret;

	daemon_lock(dt->d);
	ret = dt_data_locked(arg, conn, p, len, need);
	daemon_unlock(dt->d);
	return ret;
}

static void
dt_close(void *arg, void *conn, const char *why)
{
	struct dt_conn *c = conn;

	(void)arg;
	daemon_log(LOG_INFO, "%s: %s", c->name, why);
	dnstap_stream_free(c->f.st);
	free(c);
}

int
daemon_dnstap_open(struct daemon *d, char *errbuf)
{
	static const struct live_stream_ops ops = { dt_open, dt_data,
	    dt_close };
	struct dnstap_live *dt;
	size_t i;
	int r;

	if (d->o.n_dnstap == 0)
		return ERR_OK;
	if ((dt = calloc(1, sizeof(*dt))) == NULL ||
	    (dt->dec = dnstap_dec_new()) == NULL) {
		free(dt);
		snprintf(errbuf, ERRBUF_LEN, "out of memory");
		return ERR_NOMEM;
	}
	dt->d = d;
	dt->unknown.rf.path = "dnstap";
	dt->unknown.rf.format = "dnstap (frames that did not decode)";
	dt->unknown.rf.error = "";
	dt->unknown.rf.complete = true;
	d->dt = dt;
	for (i = 0; i < d->o.n_dnstap; i++)
		if ((r = live_stream_listen(d->loop, d->o.dnstap[i], i, &ops,
		    dt, d->o.dnstap_conns, DNSTAP_BUF_MAX + 65536, errbuf)) !=
		    ERR_OK)
			return r;
	return ERR_OK;
}

void
daemon_dnstap_free(struct daemon *d)
{
	if (d->dt == NULL)
		return;
	live_stream_close_all(d->loop);
	dnstap_dec_free(d->dt->dec);
	free(d->dt);
	d->dt = NULL;
}

size_t
daemon_dnstap_inputs(struct daemon *d, struct report_file *files,
    struct report_meta *meta)
{
	struct dnstap_live *dt = d->dt;
	size_t i, n = 0;

	if (dt == NULL)
		return 0;
	for (i = 0; i < dt->n_res; i++) {
		files[n++] = dt->res[i].in.rf;
		meta->packets += dt->res[i].in.rf.packets;
		meta->bytes += dt->res[i].in.rf.bytes;
	}
	if (dt->unknown.n_bad > 0)
		files[n++] = dt->unknown.rf;
	return n;
}

/* A label value: printable ASCII already (origin), quotes escaped. */
static void
label(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', fp);
		fputc(*s, fp);
	}
}

static void
head(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP kasaudit_%s %s\n# TYPE kasaudit_%s %s\n", name,
	    help, name, type);
}

void
daemon_dnstap_metrics(struct daemon *d, FILE *fp)
{
	struct dnstap_live *dt = d->dt;
	const struct live_stream_stats *st;
	const struct dt_resolver *r;
	size_t i;

	if (dt == NULL)
		return;
#define PER_LISTENER(name, type, help, expr) do {			\
	head(fp, name, type, help);					\
	for (i = 0; i < d->o.n_dnstap; i++) {				\
		st = live_stream_stats(d->loop, i);			\
		fprintf(fp, "kasaudit_%s{listener=\"", name);		\
		label(fp, d->o.dnstap[i]);				\
		fprintf(fp, "\"} %" PRIu64 "\n", (uint64_t)(expr));	\
	}								\
} while (0)
	PER_LISTENER("dnstap_connections_total", "counter",
	    "Resolver connections accepted.", st->accepted);
	PER_LISTENER("dnstap_connections", "gauge",
	    "Resolver connections open now.", st->open);
	PER_LISTENER("dnstap_connections_refused_total", "counter",
	    "Resolver connections refused (over --dnstap-connections).",
	    st->refused);
#undef PER_LISTENER
#define PER_RESOLVER(name, help, expr) do {				\
	head(fp, name, "counter", help);				\
	for (i = 0; i < dt->n_res; i++) {				\
		r = &dt->res[i];					\
		fprintf(fp, "kasaudit_%s{resolver=\"", name);		\
		label(fp, r->in.rf.format);				\
		fprintf(fp, "\"} %" PRIu64 "\n", (uint64_t)(expr));	\
	}								\
} while (0)
	PER_RESOLVER("dnstap_resolver_messages_total",
	    "Client messages (queries and responses) audited, per resolver.",
	    r->in.rf.packets);
	PER_RESOLVER("dnstap_resolver_connections_total",
	    "Connections a resolver's messages came on.", r->connections);
#undef PER_RESOLVER
	head(fp, "dnstap_protocol_errors_total", "counter",
	    "Resolver connections cut for a Frame Streams error.");
	fprintf(fp, "kasaudit_dnstap_protocol_errors_total %" PRIu64 "\n",
	    dt->proto_errors);
}
