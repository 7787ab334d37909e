/* log: one line per message, with a UTC timestamp, to a file or stderr.
 *
 * Contract: log_open(NULL) (the default) discards messages; "-" means
 * stderr (tqsim, tqtoken; never tqtop while curses is up).  An optional
 * sink also receives each formatted line (tqtop's event-log pane): the
 * sink must only copy the text, never draw or do I/O.  Callers must never
 * pass secrets (auth tokens, JWTs, signatures) to the log: log token
 * claims (channel, expiry) instead.
 */
#ifndef TQ_LOG_H
#define TQ_LOG_H

#include <stdbool.h>

enum tq_log_level {
	TQ_LOG_ERROR,
	TQ_LOG_WARN,
	TQ_LOG_INFO,
	TQ_LOG_DEBUG,
};

typedef void (*tq_log_sink)(void *ud, enum tq_log_level level, const char *line);

/* Opens path for appending (NULL: discard, "-": stderr). On failure returns
 * false and sets *err to a message the caller frees. */
bool log_open(const char *path, char **err);
void log_close(void);
void log_set_level(enum tq_log_level level);
enum tq_log_level log_get_level(void);
void log_set_sink(tq_log_sink sink, void *ud);
const char *log_level_name(enum tq_log_level level);

void log_msg(enum tq_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(TQ_LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(TQ_LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(TQ_LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(TQ_LOG_DEBUG, __VA_ARGS__)

#endif
