/* source_pipe.h - the "file-workers" row of source.c: a saved capture read
 * on a thread of its own (capture_pipe.c), audited on the caller's. */
#ifndef KASAUDIT_SOURCE_PIPE_H
#define KASAUDIT_SOURCE_PIPE_H

#include "sensor.h"

int		 pipe_open(void **state, const char *spec,
		    const struct source_config *, char *errbuf);
int		 pipe_filter(void *state, const char *expr, char *errbuf);
int		 pipe_next(void *state, struct sensor *, struct sensor_input *,
		    size_t max, char *errbuf);
void		 pipe_close(void *state);
const char	*pipe_format(void *state);
uint64_t	 pipe_offset(void *state);
uint64_t	 pipe_filtered(void *state);

#endif
