/*
 * clock.c -- tp_now(), the one clock: the system's, moved by the offset
 * (seconds) written in [testing] clock_file when that is set, so tests can
 * move time for every process of the stack at once (late fees, hold
 * periods, SLA clocks). The file is read again at most once a second.
 * Without clock_file nothing is read: production pays one time() call.
 */
#include "config.h"
#include "lib/lib.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *clock_file;
static _Atomic int64_t clock_offset;
static _Atomic int64_t clock_read_at = INT64_MIN;
static _Atomic int64_t clock_shift;
static pthread_mutex_t clock_lock = PTHREAD_MUTEX_INITIALIZER;

void tp_clock_init(const char *file)
{
	pthread_mutex_lock(&clock_lock);
	free(clock_file);
	clock_file = file != NULL && *file != '\0' ? strdup(file) : NULL;
	atomic_store(&clock_offset, 0);
	atomic_store(&clock_read_at, INT64_MIN);
	pthread_mutex_unlock(&clock_lock);
}

/* The offset in the file: an integer, possibly negative; a missing or
 * empty file is 0; anything else is logged and taken as 0. */
static int64_t read_offset(void)
{
	FILE *f = fopen(clock_file, "r");
	if (f == NULL) {
		if (errno != ENOENT)
			tp_log(TP_LOG_WARN, "TP0811", "clock file %s: %s",
			       clock_file, strerror(errno));
		return 0;
	}
	char buf[32] = "";
	int64_t off = 0;
	if (fgets(buf, sizeof(buf), f) != NULL && buf[0] != '\n' &&
	    tp_parse_i64(strtok(buf, " \t\r\n"), &off) != TP_OK) {
		tp_log(TP_LOG_WARN, "TP0812",
		       "clock file %s: not a number of seconds", clock_file);
		off = 0;
	}
	fclose(f);
	return off;
}

void tp_clock_shift(int64_t seconds)
{
	atomic_store(&clock_shift, seconds);
}

int64_t tp_now(void)
{
	int64_t now = (int64_t)time(NULL) + atomic_load(&clock_shift);
	if (clock_file == NULL)
		return now;
	if (atomic_load(&clock_read_at) != now) {
		pthread_mutex_lock(&clock_lock);
		if (clock_file != NULL && atomic_load(&clock_read_at) != now) {
			atomic_store(&clock_offset, read_offset());
			atomic_store(&clock_read_at, now);
		}
		pthread_mutex_unlock(&clock_lock);
	}
	return now + atomic_load(&clock_offset);
}
