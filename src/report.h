/* report.h - writers: text, JSON, JSON-lines events. */
#ifndef KASAUDIT_REPORT_H
#define KASAUDIT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aggregate.h"
#include "audit.h"
#include "decode.h"
#include "match.h"
#include "obs.h"

struct report_file {
	const char	*path;
	const char	*format;	/* "pcap", "pcapng", "" if not opened */
	uint64_t	 packets;
	uint64_t	 bytes;
	uint64_t	 filtered;
	bool		 complete;	/* read to its end */
	const char	*error;		/* "" when complete */
	uint64_t	 unsupported;	/* packets on link types we skip */
};

struct report_linktype {
	int		 linktype;
	const char	*name;		/* "EN10MB"; NULL if unknown */
	uint64_t	 packets;
	bool		 supported;
};

struct report_meta {
	const char			*version;
	const struct report_file	*files;
	size_t				 n_files;
	const struct report_linktype	*linktypes;	/* by link type */
	size_t				 n_linktypes;
	uint64_t			 packets;
	uint64_t			 bytes;
	bool				 have_time;
	int64_t				 first_sec, last_sec;	/* packet time */
	uint32_t			 first_nsec, last_nsec;
	const struct decode_stats	*decode;
	const struct audit_stats	*audit;
	const struct flow_stats		*flow;		/* NULL: no streams */
	const struct match		*match;
	const char			*filter;	/* NULL if none */
	unsigned			 v4_plen, v6_plen;
	size_t				 max_names;
};

/* Each returns ERR_OK or ERR_IO (ferror on the stream). */
int	report_text(FILE *, const struct aggregate *, const struct report_meta *);
int	report_json(FILE *, const struct aggregate *, const struct report_meta *);

/* One JSON object and a newline per matched observation (the --events file). */
int	report_event(FILE *, const struct obs *, const struct match_sig *);

/* "2024-10-01T12:00:00.123456Z" into buf of REPORT_TIME_LEN bytes. */
#define REPORT_TIME_LEN	32
const char *report_time(char *buf, int64_t sec, uint32_t nsec);

#endif
