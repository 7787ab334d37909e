/* ui-fmt: the dashboard's number, duration and text formatting, with no
 * curses in it (unit-tested on its own).
 *
 * Contract: every function writes into the caller's struct buf (appends);
 * none fails.  Absent or null values print as "-", never as 0.  Text from
 * the network goes through ui_sanitize() before it reaches the screen:
 * control characters and invalid UTF-8 become '?', so a hostile friendly
 * name cannot move the cursor or change the terminal's state.
 */
#ifndef TQ_UI_FMT_H
#define TQ_UI_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "model.h"

/* Seconds as the dashboard shows a duration: "0s", "59s", "1m05s",
 * "59m59s", "1h00m", "23h59m", "1d00h", "999d23h".  Negative: "-". */
void fmt_duration(struct buf *b, int64_t seconds);
/* Same, without the smallest unit: "45s", "59m", "1h00m" (minutes stay
 * for an hour and more), for countdowns that need not tick every second. */
void fmt_duration_coarse(struct buf *b, int64_t seconds);
/* Same for a number of seconds that may have a fraction (averages):
 * below 10 s one decimal ("2.5s"), else as fmt_duration. */
void fmt_duration_f(struct buf *b, double seconds);
/* A count; "-" for an absent or null value. */
void fmt_opt_int(struct buf *b, const struct tq_opt_int *v);
void fmt_opt_dur(struct buf *b, const struct tq_opt_num *v);
/* A percentage of num/den with no decimals ("72%"); "-" when den is 0. */
void fmt_percent(struct buf *b, int64_t num, int64_t den);
/* "2025-01-06 09:00:00" (UTC); "-" for an absent time. */
void fmt_opt_time(struct buf *b, const struct tq_opt_time *t);
/* Milliseconds of a refresh interval: "2s", "0.5s", "1m". */
void fmt_interval(struct buf *b, int64_t ms);
/* Minutes of a statistics window: "15m", "4h", "1d". */
void fmt_window(struct buf *b, int minutes);

/* Appends text with each path under home (at the start of text or after
 * a blank or a quote) written as a user types it: "~/.config/...".  With
 * home NULL, empty or "/", text as it is. */
void fmt_tilde(struct buf *b, const char *text, const char *home);

/* Appends s with control bytes and invalid UTF-8 replaced by '?'; with
 * ascii set, every non-ASCII character becomes '?' too. */
void ui_sanitize(struct buf *b, const char *s, bool ascii);

/* The SLA share of a SplitByWaitTime threshold: tasks answered (a
 * reservation accepted) within it, over those answered plus those
 * canceled after it.  False when a count is missing or nothing counts. */
bool sla_share(const struct tq_split *sp, int64_t *num, int64_t *den);

#endif
