/* sensor_int.h - what sensor.c and sensor_shared.c share: the tables the
 * sensors of one run (live --workers) hold in common. */
#ifndef KASAUDIT_SENSOR_INT_H
#define KASAUDIT_SENSOR_INT_H

#include <pthread.h>

#include "sensor.h"

struct sensor_shared {
	pthread_mutex_t		 lock;		/* recursive */
	struct aggregate	*agg;
	struct attrib		*attrib;
	struct hnames		*names;		/* NULL with --anonymize */
	struct hnames_stats	 names_st;
};

#endif
