/* isotime: ISO-8601 UTC timestamps as TaskRouter sends them.
 *
 * Contract: iso8601_parse() accepts "YYYY-MM-DDTHH:MM:SS" followed by an
 * optional fraction and "Z" or a numeric offset (+HH:MM, +HHMM); it checks
 * ranges (month, day of month incl. leap years, hour, minute, second <= 60)
 * and returns false for anything else: a space or a lower-case 't'/'z', a
 * missing zone, trailing text.  The fraction is dropped and a leap second
 * (":60") counts as the next minute's first second.  No timegm(), no TZ:
 * any year 0000..9999 works whatever the width of time_t.
 * iso8601_format() writes the "2015-08-04T01:31:41Z" form the service
 * uses, clamping to 0000-01-01T00:00:00Z..9999-12-31T23:59:59Z.
 * wall_now_ms() is the real-time clock in ms since the epoch: what
 * timers aimed at a token's whole-second exp must count from.
 */
#ifndef TQ_ISOTIME_H
#define TQ_ISOTIME_H

#include <stdbool.h>
#include <stdint.h>

#define ISO8601_LEN 21	/* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

bool iso8601_parse(const char *s, int64_t *epoch);
void iso8601_format(int64_t epoch, char out[ISO8601_LEN]);
int64_t wall_now_ms(void);

#endif
