#include "config.h"
#include "clocale.h"

#include "xalloc.h"

locale_t c_locale(void)
{
	static locale_t loc = (locale_t)0;

	if (loc == (locale_t)0) {
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
		if (loc == (locale_t)0)
			die("cannot create the C locale for number conversion");
	}
	return loc;
}
