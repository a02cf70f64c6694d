/* logrec.h - one record of a Zeek (TSV or JSON) or Suricata EVE log, as
 * an already-named contact; the line reader and the three parsers. */
#ifndef KASAUDIT_LOGREC_H
#define KASAUDIT_LOGREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "err.h"

#define LOG_LINE_MAX	65536	/* longer lines are skipped and counted */
#define LOG_NAME_MAX	256	/* presentation form with its NUL */
#define LOG_MAX_ANS	16	/* answers of one DNS record kept */
#define LOG_MAX_FIELDS	128	/* columns of a Zeek TSV header */
#define LOG_HEAD_MAX	4096	/* bytes source_sniff() is given */

enum log_fmt {
	LOG_ZEEK_TSV,
	LOG_ZEEK_JSON,
	LOG_EVE
};

/* What a record says happened. */
enum log_kind {
	LOG_NONE,		/* a record of no kind we use (counted) */
	LOG_DNS_QUERY,		/* a question (Zeek dns.log: with answers) */
	LOG_DNS_ANSWER,		/* a response (EVE "answer"/"response") */
	LOG_TLS,		/* server_name, or none */
	LOG_QUIC,
	LOG_HTTP,		/* the Host header, or none */
	LOG_FLOW,		/* a connection, no name (conn.log, EVE flow) */
	LOG_DHCP,		/* a lease: client is the address, with the
				   MAC and the names its machine gave
				   (Zeek dhcp.log, EVE dhcp) */
	LOG_KIND_N
};

/* One DNS answer: an address (A, AAAA) or a name (CNAME and others). */
struct log_answer {
	bool		 is_addr;
	struct addr	 addr;
	uint32_t	 ttl;
	char		 name[LOG_NAME_MAX];	/* "" for an address */
	size_t		 name_len;
};

/*
 * A record.  Everything lives in the struct (sized once, reused for each
 * line); the client is the side that opened the contact.
 */
struct log_rec {
	uint64_t		 line;		/* 1-based in its file */
	int64_t			 ts_sec;	/* the record's own time, UTC */
	uint32_t		 ts_nsec;
	enum log_kind		 kind;
	struct addr		 client;
	struct addr		 server;
	uint16_t		 client_port;
	uint16_t		 server_port;
	uint8_t			 proto;		/* 6, 17 or 0 unknown */
	bool			 has_name;
	char			 name[LOG_NAME_MAX];	/* lower case, no
							   final dot */
	size_t			 name_len;
	bool			 responded;	/* Zeek dns.log: an rcode or
						   answers, so a response
						   was seen */
	struct log_answer	 ans[LOG_MAX_ANS];
	size_t			 n_ans;
	size_t			 ans_dropped;	/* past LOG_MAX_ANS */
	/* LOG_DHCP: the client's MAC, its host name (option 12) and FQDN
	 * (option 81) as the log gives them: raw text, for hnames. */
	bool			 has_mac;
	uint8_t			 mac[6];
	char			 hostname[LOG_NAME_MAX];
	size_t			 hostname_len;	/* 0: none */
	char			 fqdn[LOG_NAME_MAX];
	size_t			 fqdn_len;
};

/* Per format: which format the first bytes of a file are, if any. */
bool	log_sniff_zeek_tsv(const uint8_t *head, size_t len);
bool	log_sniff_zeek_json(const uint8_t *head, size_t len);
bool	log_sniff_eve(const uint8_t *head, size_t len);

/*
 * The shared leaves, for the three parsers (logparse.c).  Each reads only
 * the len bytes given, never past them.
 *
 * log_name(): a host name into rec-sized storage dst (LOG_NAME_MAX):
 * ASCII letters folded, one final dot dropped.  false (nothing written)
 * when empty, too long, or a byte is neither a name character nor a dot.
 */
bool	log_name(char *dst, size_t *dst_len, const char *s, size_t len);
/* An HTTP Host value: log_name() of what is before a ":port" (an IPv6
 * literal, in brackets, stays whole: it matches no signature). */
bool	log_host(char *dst, size_t *dst_len, const char *s, size_t len);
/* An IPv4 or IPv6 address in text form.  false when it is not one. */
bool	log_addr(struct addr *dst, const char *s, size_t len);
/* A port, 0-65535.  false otherwise. */
bool	log_port(uint16_t *dst, const char *s, size_t len);
/* "1258531221.486539" (seconds since the epoch, up to 9 decimals). */
bool	log_epoch(int64_t *sec, uint32_t *nsec, const char *s, size_t len);
/* ISO 8601 as Zeek and Suricata write it: "2009-11-18T08:00:21.486539
 * +0100", "...Z", or no zone (taken as UTC). */
bool	log_iso8601(int64_t *sec, uint32_t *nsec, const char *s, size_t len);
/* "52:54:00:0a:0b:0c" (or with '-').  false when it is not a MAC. */
bool	log_mac(uint8_t mac[6], const char *s, size_t len);
/* A machine's name as a log gives it, kept as text (hnames escapes it):
 * cut at LOG_NAME_MAX - 1 bytes; *dst_len 0 when empty. */
void	log_text(char *dst, size_t *dst_len, const char *s, size_t len);
/* "tcp"/"TCP" 6, "udp"/"UDP" 17, else 0. */
uint8_t	log_proto(const char *s, size_t len);

/*
 * A JSON record's two ends, by the format's own keys (Zeek: id.orig_h,
 * id.resp_h, id.orig_p, id.resp_p; EVE: src_ip, dest_ip, src_port,
 * dest_port), into r->client/server and their ports.  ERR_MALFORMED with
 * errbuf naming the keys when an address is missing or bad, or a port is
 * not one.
 */
struct lj_obj;
int	log_json_ends(const struct lj_obj *, const char *client,
	    const char *server, const char *client_port,
	    const char *server_port, struct log_rec *r, char *errbuf);
/* Adds an answer: an address when s is one, else a name (bad names are
 * dropped); counted in ans_dropped past LOG_MAX_ANS. */
void	log_add_answer(struct log_rec *, const char *s, size_t len,
	    uint32_t ttl);
/* Clears a record for the next line (not its answer storage). */
void	log_rec_reset(struct log_rec *, uint64_t line);
/* A contact's client/server from a record whose direction is a response's
 * (EVE DNS answers are logged server to client): swapped in place. */
void	log_rec_swap(struct log_rec *);

/*
 * Zeek's TSV format: the header lines (#separator, #fields, #types, ...)
 * keep their state in struct zeek_tsv; data lines become records.
 */
struct zeek_tsv {
	char		 sep;		/* #separator: a tab unless told */
	char		 set_sep;	/* #set_separator, "," */
	char		 empty[16];	/* #empty_field, "(empty)" */
	char		 unset[16];	/* #unset_field, "-" */
	enum log_kind	 kind;		/* from #path (or the fields) */
	bool		 have_fields;
	size_t		 n_fields;
	/* The column of each field used, or -1. */
	int		 f_ts, f_orig_h, f_orig_p, f_resp_h, f_resp_p;
	int		 f_proto, f_query, f_answers, f_ttls, f_server_name;
	int		 f_host, f_rcode;
	/* dhcp.log: no id.* fields; the lease's own. */
	int		 f_mac, f_host_name, f_client_fqdn, f_assigned;
	int		 f_client_addr;
	char		 path[32];
};

void	zeek_tsv_init(struct zeek_tsv *);
/*
 * One line (no newline).  ERR_OK: rec filled (rec->kind LOG_NONE for a
 * header line or a record of a log we do not use); ERR_MALFORMED: why in
 * errbuf (without file and line: the caller adds them).
 */
int	zeek_tsv_line(struct zeek_tsv *, const char *line, size_t len,
	    struct log_rec *rec, char *errbuf);

/* Zeek's JSON-lines format, one object a line; the log's kind is told by
 * its fields.  Returns as zeek_tsv_line(). */
int	zeek_json_line(const char *line, size_t len, struct log_rec *rec,
	    char *errbuf);

/* Suricata EVE JSON, one event a line (event_type dns, tls, http, quic,
 * flow; others LOG_NONE).  Returns as zeek_tsv_line(). */
int	eve_line(const char *line, size_t len, struct log_rec *rec,
	    char *errbuf);

#endif
