#include "config.h"
#include "sim-num.h"

#include <errno.h>
#include <stdlib.h>

/* strtoll and strtod skip leading blanks and take a '+': refuse those. */
static bool starts_right(const char *s)
{
	return s && ((*s >= '0' && *s <= '9') || *s == '-' || *s == '.');
}

bool num_parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	if (!starts_right(s))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool num_parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!starts_right(s))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v >= lo && v <= hi))
		return false;
	*out = v;
	return true;
}
