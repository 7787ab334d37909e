/* sim-num: strict number parsing for tqsim's request parameters, control
 * parameters and command-line options.
 *
 * Contract: the whole string is the number, in decimal: no blank or '+'
 * in front, nothing after it; the value lies in [lo, hi] (NaN never
 * does).  On failure *out is left alone and false is returned; the
 * caller words the message, naming the parameter and its range.
 */
#ifndef TQ_SIM_NUM_H
#define TQ_SIM_NUM_H

#include <stdbool.h>
#include <stdint.h>

bool num_parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out);
bool num_parse_double(const char *s, double lo, double hi, double *out);

#endif
