/* capture.h - saved captures (pcap, pcapng) read in place; BPF filters.
 * Saved files and live interfaces alike; records are borrowed until next. */
#ifndef KASAUDIT_CAPTURE_H
#define KASAUDIT_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Link types (LINKTYPE_* values as they appear in files). */
#define LINK_NULL	0
#define LINK_ETHERNET	1
#define LINK_RAW_OLD	12	/* DLT_RAW on most BSDs */
#define LINK_RAW_OLD2	14	/* DLT_RAW on OpenBSD */
#define LINK_RAW	101
#define LINK_LOOP	108
#define LINK_LINUX_SLL	113
#define LINK_IPV4	228
#define LINK_IPV6	229
#define LINK_LINUX_SLL2	276
/* decode_link.c */
#define LINK_PPP	9
#define LINK_PPP_HDLC	50	/* also Cisco HDLC, by its first byte */
#define LINK_C_HDLC	104
#define LINK_IEEE802_11	105
#define LINK_PRISM	119
#define LINK_RADIOTAP	127
#define LINK_AVS	163
#define LINK_PPP_WITH_DIR 204
#define LINK_NFLOG	239
#define LINK_PKTAP	258

/*
 * One packet record.  `data` points into the reader's buffer, where the
 * record lies in place: borrowed until the next capture_next() or
 * capture_close().
 */
struct capture_pkt {
	const uint8_t	*data;
	uint32_t	 caplen;	/* bytes present at data */
	uint32_t	 len;		/* length on the wire */
	int64_t		 ts_sec;	/* packet time, UTC */
	uint32_t	 ts_nsec;
	int		 linktype;
	uint32_t	 snaplen;	/* of the interface it came from */
	uint32_t	 ifindex;	/* pcapng interface id; 0 for pcap */
	uint64_t	 frame;		/* 1-based, every record counted */
	uint64_t	 offset;	/* byte offset of the record in the file */
};

struct capture_stats {
	uint64_t	 records;	/* packet records read (= last frame) */
	uint64_t	 bytes;		/* sum of caplen */
	uint64_t	 filtered;	/* records the -f filter rejected */
	uint64_t	 blocks_skipped; /* pcapng blocks we do not use */
	uint32_t	 sections;	/* pcapng sections (1 for pcap) */
	uint32_t	 interfaces;	/* pcapng interfaces, all sections */
};

struct capture;			/* opaque: defined in capture_int.h */

/*
 * Opens a saved capture ("-" is standard input).  Files and pipes are read
 * through one buffer that grows only to the largest record.  The format (pcap in either byte
 * order, micro- or nanosecond, or pcapng) is detected from the first bytes.
 * ERR_IO or ERR_MALFORMED with errbuf "path: why" (ERR_SHORT when the file
 * ends inside its header).  The caller frees the result with capture_close().
 */
int	capture_open_file(struct capture **, const char *path, char *errbuf);
/* The same, when the first prefix_len bytes of standard input were already
 * read from a pipe (to tell its kind): they are read first.  Borrowed. */
int	capture_open_file_prefix(struct capture **, const char *path,
	    const uint8_t *prefix, size_t prefix_len, char *errbuf);

/* The same over bytes in memory (borrowed until capture_close()); name is
 * used in messages.  For tests and fuzzing. */
int	capture_open_buf(struct capture **, const void *buf, size_t len,
	    const char *name, char *errbuf);

/*
 * Compiles expr with libpcap for each link type as it is first met and
 * applies it with pcap_offline_filter(); rejected records are counted in
 * stats.filtered and not returned.  An expression that does not compile for
 * a link type is ERR_MALFORMED with errbuf "filter: why (linktype N)" from
 * capture_next().  expr is copied; NULL removes the filter.  A syntax error
 * is found at once (compiled for Ethernet): ERR_MALFORMED, "filter: why".
 */
/* Compiles expr for Ethernet only to tell whether it is valid; ERR_MALFORMED
 * with errbuf "filter: why".  For checking options before any file. */
int	capture_filter_check(const char *expr, char *errbuf);

int	capture_set_filter(struct capture *, const char *expr, char *errbuf);

/*
 * Reads the next record into *pkt.  ERR_OK: a packet; ERR_END: clean end of
 * file; ERR_MALFORMED or ERR_SHORT: the file is corrupt or cut short at byte
 * capture_offset(), described in errbuf ("path: offset N: why"); records
 * before it were good and the reader cannot go further.
 */
int	capture_next(struct capture *, struct capture_pkt *pkt, char *errbuf);

/* Byte offset of the next unread record; of a compressed file, the
 * compressed bytes read so far (progress against the file's size). */
uint64_t capture_offset(const struct capture *);

const struct capture_stats *capture_stats(const struct capture *);

/* "pcap" or "pcapng". */
const char *capture_format(const struct capture *);

/* True when the n bytes at p begin (n < 4) or start with (n >= 4) the
 * magic of a format we read: pcap in either byte order, micro- or
 * nanosecond, or pcapng. */
bool	capture_magic(const uint8_t *p, size_t n);

/* Short name of a link type ("EN10MB", "LINUX_SLL2") or NULL if unknown. */
const char *capture_linktype_name(int linktype);

/* --- live captures (kasaudit live) ------------------------------------- */

struct capture_live_config {
	uint32_t	 snaplen;	/* 0: 262144, the whole frame */
	bool		 promisc;	/* promiscuous (a span port needs it) */
	size_t		 buffer_size;	/* kernel ring in bytes; 0: libpcap's */
	unsigned	 timeout_ms;	/* longest the kernel holds a packet */
	const char	*filter;	/* BPF, run in the kernel; NULL: none */
	/* live --workers: joins the socket to this PACKET_FANOUT group of
	 * the interface (flow hash, fragments whole), or with fanout_new
	 * makes a new one whose number the kernel picks
	 * (capture_fanout_group() tells it); false: alone. */
	bool		 fanout;
	bool		 fanout_new;
	uint16_t	 fanout_group;
};

/* Kernel counters since the capture was opened, widened to 64 bits. */
struct capture_live_stats {
	uint64_t	 received;	/* passed the filter (ps_recv) */
	uint64_t	 dropped;	/* kernel buffer full (ps_drop) */
	uint64_t	 if_dropped;	/* by the interface (ps_ifdrop) */
};

/*
 * Opens interface iface with libpcap (needs root or CAP_NET_RAW) in
 * non-blocking mode, with nanosecond time stamps where the kernel has them.
 * ERR_IO, ERR_MALFORMED (filter) or ERR_NOMEM with errbuf "iface: why".
 * On such a capture capture_next() never blocks: ERR_NOTFOUND when no packet
 * is waiting now, ERR_IO (errbuf "iface: why") when the capture failed (the
 * interface went away).  A packet's data is borrowed until the next
 * capture_next(); frame counts from 1.  capture_format() is "live".
 */
int	capture_open_live(struct capture **, const char *iface,
	    const struct capture_live_config *, char *errbuf);

/* The link type of a live capture (LINKTYPE_ value); -1 for a saved one. */
int	capture_linktype(const struct capture *);

/* A descriptor that poll() reports readable when packets wait (level
 * triggered), or -1: a saved capture, or an interface that has none. */
int	capture_fd(const struct capture *);
/* The PACKET_FANOUT group the capture's socket is in; -1: none. */
int	capture_fanout_group(const struct capture *);

/*
 * The kernel's counters (pcap_stats), kept monotonic across the 32-bit
 * wrap of libpcap's counters when called at least once per wrap.  ERR_IO
 * with errbuf; ERR_UNSUPPORTED for a saved capture.
 */
int	capture_live_stats(struct capture *, struct capture_live_stats *,
	    char *errbuf);

void	capture_close(struct capture *);	/* NULL-safe */

/* --- records that outlive the next capture_next() (capture_pipe.c) ----- */

/*
 * Where a reader whose records are used on another thread reads to.  When
 * the bytes at its offset and the `want` after them do not fit in the rest
 * of its buffer, the reader gives the buffer `done` up (records returned
 * so far may still point into it: the owner keeps it until they are used)
 * and takes *buf, a buffer nobody uses, of *cap >= want bytes; it copies
 * the record begun in `done` to its start and reads on there.  Anything
 * but ERR_OK fails the read (ERR_NOMEM: a record too large; ERR_IO: the
 * owner is stopping).
 */
struct capture_bufs {
	int	(*swap)(void *arg, uint8_t *done, uint8_t **buf, size_t *cap,
		    size_t want);
	void	*arg;
};

/*
 * Reads a file or pipe through bufs from now on (before the first
 * capture_next()), and no buffer is ever moved or reused by the reader
 * itself.  It reads on in the buffer it has (what the open read ahead is
 * there): *own, of *own_cap bytes, is the owner's from now on, to be freed
 * with free() (NULL for a capture over memory, which needs no buffers).
 * ERR_OK; ERR_UNSUPPORTED (nothing changed) for a live capture or a
 * window-mapped file, whose records cannot outlive the next read.
 */
int	capture_set_bufs(struct capture *, const struct capture_bufs *,
	    uint8_t **own, size_t *own_cap);

/* True when cap is a regular file (not compressed) that the open already
 * read to its end: no read() is left to do. */
bool	capture_all_read(const struct capture *);
/* True when cap reads a pipe, a FIFO or a terminal (not a regular file,
 * not memory): its records come as they are written. */
bool	capture_is_stream(const struct capture *);

#endif
