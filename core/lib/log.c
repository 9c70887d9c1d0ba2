/*
 * log.c -- one line per event: time, level, pid, request id, message id.
 * Lines are written with a single write(2) so threads and processes
 * sharing the file never interleave within a line.
 */
#include "config.h"
#include "lib/lib.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

__thread const char *tp_log_reqid;

static int log_fd = 2;
static int log_level = TP_LOG_INFO;
static char *log_path;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

int tp_log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcasecmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

void tp_log_open(const char *file, int level)
{
	log_level = level;
	if (file == NULL || *file == '\0' || strcmp(file, "-") == 0)
		return;
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		tp_log(TP_LOG_ERR, "TP0001", "cannot open log file %s: %s",
		       file, strerror(errno));
		return;
	}
	if (log_fd != 2)
		close(log_fd);
	log_fd = fd;
	free(log_path);
	log_path = strdup(file);
}

/* After logrotate moved the file (SIGHUP in the master, fresh workers). */
void tp_log_reopen(void)
{
	if (log_path != NULL) {
		char *p = strdup(log_path);
		tp_log_open(p, log_level);
		free(p);
	}
}

void tp_vlog(int level, const char *msgid, const char *fmt, va_list ap)
{
	if (level > log_level)
		return;
	char line[2048];
	struct timeval tv;
	struct tm tm;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	int n =
	    snprintf(line, sizeof(line),
	             "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ [%s] [pid %ld] "
	             "[req %s] %s: ",
	             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	             tm.tm_min, tm.tm_sec, (long)tv.tv_usec / 1000,
	             level_names[level < 0   ? 0
	                         : level > 3 ? 3
	                                     : level],
	             (long)getpid(), tp_log_reqid ? tp_log_reqid : "-", msgid);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(line) - 1) {
		int m =
		    vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
		if (m > 0)
			n += m;
		if ((size_t)n > sizeof(line) - 2)
			n = sizeof(line) - 2;
	}
	/* one line is one line: no raw newlines from user data */
	for (int i = 0; i < n; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	line[n++] = '\n';
	ssize_t w = write(log_fd, line, (size_t)n);
	(void)w;
}

void tp_log(int level, const char *msgid, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tp_vlog(level, msgid, fmt, ap);
	va_end(ap);
}
