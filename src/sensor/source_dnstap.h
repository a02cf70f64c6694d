/* source_dnstap.h - the "dnstap" row of source.c: a resolver's dnstap log
 * saved as a Frame Streams file (fstrm_capture, dnstap -w), or stdin. */
#ifndef KASAUDIT_SOURCE_DNSTAP_H
#define KASAUDIT_SOURCE_DNSTAP_H

#include "sensor.h"

int		 dtap_open(void **state, const char *spec,
		    const struct source_config *, char *errbuf);
int		 dtap_next(void *state, struct sensor *, struct sensor_input *,
		    size_t max, char *errbuf);
void		 dtap_close(void *state);
const char	*dtap_format(void *state);
uint64_t	 dtap_offset(void *state);
uint64_t	 dtap_filtered(void *state);

/*
 * Feeds bytes of one Frame Streams stream into the sensor: what a file
 * reader and a live connection share.  See dnstap_stream_next(); *used
 * bytes were taken.  Data frames are decoded and handed to sensor_dnstap()
 * (or counted as bad, with name and offset).  Control frames come back in
 * *ctl (-1 none, else enum dnstap_ev) so that a connection can answer them.
 */
struct dtap_feed {
	const char		*name;
	struct dnstap_stream	*st;
	struct dnstap_dec	*dec;
	uint64_t		 off;		/* stream offset of the input */
	uint64_t		 frames;	/* data frames so far */
	/* NULL, or which input a decoded message counts in (a live
	 * connection: its resolver's, by identity). */
	struct sensor_input	*(*pick)(void *arg, const struct dnstap_msg *);
	void			*pick_arg;
};
int		 dtap_feed(struct dtap_feed *, struct sensor *,
		    struct sensor_input *, const uint8_t *p, size_t len,
		    size_t *used, size_t *need, int *ctl, char *errbuf);

#endif
