#include "config.h"
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "buf.h"
#include "xalloc.h"

static FILE *log_fp;
static bool log_owned;
static enum tq_log_level log_level = TQ_LOG_INFO;
static tq_log_sink log_sink;
static void *log_sink_ud;

bool log_open(const char *path, char **err)
{
	log_close();
	if (!path)
		return true;
	if (strcmp(path, "-") == 0) {
		log_fp = stderr;
		return true;
	}
	log_fp = fopen(path, "a");
	if (!log_fp) {
		if (err)
			*err = xasprintf("--log %s: %s", path, strerror(errno));
		return false;
	}
	log_owned = true;
	setvbuf(log_fp, NULL, _IOLBF, 0);
	return true;
}

void log_close(void)
{
	if (log_fp && log_owned)
		fclose(log_fp);
	log_fp = NULL;
	log_owned = false;
}

void log_set_level(enum tq_log_level level)
{
	log_level = level;
}

enum tq_log_level log_get_level(void)
{
	return log_level;
}

void log_set_sink(tq_log_sink sink, void *ud)
{
	log_sink = sink;
	log_sink_ud = ud;
}

const char *log_level_name(enum tq_log_level level)
{
	switch (level) {
	case TQ_LOG_ERROR: return "error";
	case TQ_LOG_WARN:  return "warn";
	case TQ_LOG_INFO:  return "info";
	case TQ_LOG_DEBUG: return "debug";
	}
	return "?";
}

void log_msg(enum tq_log_level level, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	struct timeval tv;
	struct tm tm;
	char stamp[32];
	va_list ap;

	if (level > log_level || (!log_fp && !log_sink))
		return;
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(&line, "%s.%03ldZ %-5s ", stamp, (long)(tv.tv_usec / 1000),
		   log_level_name(level));
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	if (log_fp) {
		fputs(buf_cstr(&line), log_fp);
		fputc('\n', log_fp);
	}
	if (log_sink)
		log_sink(log_sink_ud, level, buf_cstr(&line));
	buf_free(&line);
}
