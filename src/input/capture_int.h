/* capture_int.h - the reader's state, shared by the capture*.c files only.
 * Owns struct capture and the helpers its files call across each other. */
#ifndef KASAUDIT_CAPTURE_INT_H
#define KASAUDIT_CAPTURE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap.h>

#include "capture.h"
#include "cursor.h"
#include "zread.h"

/*
 * No real record comes near this; it bounds what a corrupt length can make
 * us buffer from a pipe.
 */
#define CAP_RECORD_MAX	(64u * 1024 * 1024)
#define CAP_PIPE_INIT	(1024u * 1024)		/* first pipe buffer */
#define CAP_SNAP_DEFAULT 262144u		/* libpcap's largest snaplen */
#define CAP_IFACES_MAX	65536u			/* per pcapng section */
#define CAP_FILTERS_MAX	16			/* compiled programs kept */
#define CAP_OPTS_MAX	4096			/* options read per block */

#define PCAP_HDR_LEN	24
#define PCAP_REC_LEN	16

#define NG_SHB		0x0A0D0D0Au	/* reads the same in both orders */
#define NG_IDB		1u
#define NG_PB		2u		/* obsolete Packet Block */
#define NG_SPB		3u
#define NG_EPB		6u
#define NG_BOM		0x1A2B3C4Du
#define NG_BOM_SWAPPED	0x4D3C2B1Au

#define OPT_ENDOFOPT	0
#define OPT_IF_TSRESOL	9
#define OPT_IF_TSOFFSET	14

#if defined(__GNUC__)
#define CAP_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#else
#define CAP_PRINTF(f, a)
#endif

enum cap_format { FMT_PCAP, FMT_PCAPNG, FMT_LIVE };

/* pcap 2.0-2.2 wrote caplen and len the other way round; 2.3 did either. */
enum cap_swap { SWAP_NO, SWAP_YES, SWAP_MAYBE };

struct cap_iface {
	int		 linktype;
	uint32_t	 snaplen;
	uint64_t	 units;		/* timestamp units per second */
	bool		 pow2;		/* units is 2^exp, else 10^exp */
	uint8_t		 exp;
	int64_t		 tsoffset;	/* seconds added to every time */
};

struct cap_filter {
	int		 linktype;
	struct bpf_program prog;
};

struct capture {
	char		*name;
	enum cap_format	 fmt;
	int		 state;		/* ERR_OK, or the sticky error */
	char		 err[ERRBUF_LEN];

	/* Whole input in memory (the caller's buffer)... */
	const uint8_t	*base;
	size_t		 len;

	/* ...or a pipe read through buf, holding bytes [buf_off, +fill)... */
	int		 fd;		/* -1 when the input is in memory */
	bool		 own_fd;
	bool		 eof;
	bool		 reg;		/* a regular file: its end may move on */
	/* ...or a regular file mapped a window at a time: bytes [win_off,
	 * +win_len) at win; file_size as last seen by fstat(). */
	bool		 mapped;
	int		 slot;		/* in cap_maps[] */
	uint8_t		*win;
	size_t		 win_len;
	uint64_t	 win_off;
	uint64_t	 file_size;
	uint64_t	 pf;		/* prefetched up to here */
	/* ...the pipe's (or file's) bytes decompressed (zread.c): offsets
	 * are then those of the decompressed bytes. */
	struct zread	*z;
	uint8_t		*buf;
	size_t		 buf_cap;
	size_t		 fill;
	uint64_t	 buf_off;
	/* Buffers given by another owner (capture_set_bufs()); buf is
	 * then theirs, not freed here. */
	struct capture_bufs bufs;

	uint64_t	 off;		/* file offset of the next record */
	uint64_t	 frame;
	bool		 be;		/* file or section is big-endian */

	/* pcap */
	bool		 nsec;
	enum cap_swap	 swap;
	struct cap_iface pcap_if;

	/* pcapng: the current section's interfaces */
	struct cap_iface *ifs;
	size_t		 n_ifs;
	size_t		 ifs_cap;

	char		*expr;		/* -f filter, or NULL */
	struct cap_filter filters[CAP_FILTERS_MAX];
	int		 n_filters;
	int		 next_evict;

	struct capture_stats stats;

	/* live: a libpcap handle, read with pcap_next_ex() */
	pcap_t		*live;
	int		 live_lt;	/* LINKTYPE_ value */
	uint32_t	 live_snap;
	bool		 live_nsec;	/* tv_usec holds nanoseconds */
	struct pcap_stat live_last;	/* libpcap's 32-bit counters, last */
	struct capture_live_stats live_stats;
};

static inline uint32_t
rd16(const struct capture *c, struct cur *cur)
{
	return c->be ? cur_u16(cur) : cur_u16le(cur);
}

static inline uint32_t
rd32(const struct capture *c, struct cur *cur)
{
	return c->be ? cur_u32(cur) : cur_u32le(cur);
}

/* A 32-bit field of a record header at p, whose 4 bytes are known to be
 * there, in the file's byte order. */
static inline uint32_t
hdr32(const struct capture *c, const uint8_t *p)
{
	if (c->be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[1] << 8 | p[0];
}

static inline uint64_t
rd64(const struct capture *c, struct cur *cur)
{
	uint64_t a = rd32(c, cur), b = rd32(c, cur);

	return c->be ? a << 32 | b : b << 32 | a;
}

static inline void
cap_iface_init(struct cap_iface *i, int linktype, uint32_t snaplen)
{
	i->linktype = linktype;
	i->snaplen = snaplen;
	i->units = 1000000;
	i->pow2 = false;
	i->exp = 6;
	i->tsoffset = 0;
}

/* --- capture.c: the reader core ---------------------------------------- */

/* Data of an empty packet or fetch: never NULL. */
extern const uint8_t cap_empty[1];

/*
 * Records the sticky error of the reader and copies it out (errbuf may be
 * NULL).  With at_off the message names the offset of the record being
 * read.  Returns r.
 */
int	cap_fail(struct capture *, int r, char *errbuf, bool at_off,
	    const char *fmt, ...) CAP_PRINTF(5, 6);

/*
 * *out gets the next n bytes at off, or fewer when the input ends first
 * (none at a clean end).  The bytes stay valid until the next cap_fetch().
 */
int	cap_fetch(struct capture *, size_t n, struct cur *out, char *errbuf);

/* Takes a slot for a mapped file; false when none is free. */
bool	cap_map_slot(struct capture *);

/* Unmaps a mapped file and gives its slot back: it is read as a pipe. */
void	cap_unmap_all(struct capture *);

/*
 * Checks the framing of the pcapng block at off; *body gets what lies
 * between its two length fields and *blen its total length.  ERR_END at a
 * clean end.
 */
int	cap_ng_block(struct capture *, uint32_t *type, uint32_t *blen,
	    struct cur *body, char *errbuf);

/* --- capture_open.c: opening ------------------------------------------- */

/* A reader named name over nothing yet; NULL (errbuf set) without memory. */
struct capture *cap_new(const char *name, char *errbuf);

/* The input starts with the magic of a compression (zread.h): read on
 * through a decompressor from its first byte; cap_start() again. */
int	cap_decompress(struct capture *, enum zread_kind, char *errbuf);

/* --- capture_ng.c: pcapng sections and interfaces ----------------------- */

/* A Section Header Block's body: a new section, its interfaces forgotten. */
int	cap_ng_shb(struct capture *, struct cur *body, char *errbuf);

/* An Interface Description Block's body: the section's next interface. */
int	cap_ng_idb(struct capture *, struct cur *body, char *errbuf);

/* --- capture_filter.c: BPF filters ----------------------------------- */

/* Compiles expr for linktype into *prog (pcap_freecode() it); ERR_MALFORMED
 * or ERR_NOMEM with the reason in why. */
int	cap_compile(struct bpf_program *prog, const char *expr, int linktype,
	    char *why, size_t why_len);

/* Frees every compiled program; the expression stays. */
void	cap_filters_free(struct capture *);

/* --- capture_link.c: link types ---------------------------------------- */

/* The DLT_ value libpcap uses for a LINKTYPE_ value in a file. */
int	cap_dlt(int linktype);

/* The LINKTYPE_ value decode knows for a DLT_ value libpcap gives. */
int	cap_linktype(int dlt);

#endif
