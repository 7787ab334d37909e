/* clocale: the "C" locale object for number conversions.
 *
 * Contract: tqtop calls setlocale(LC_ALL, "") for ncursesw, after which
 * strtod and printf follow LC_NUMERIC ("1,5" in some locales).  JSON and
 * TaskRouter expressions always use '.', so their number conversions run
 * under uselocale(c_locale()).  The object is made once, on first use,
 * and lives for the whole process; failure to make it is fatal.
 */
#ifndef TQ_CLOCALE_H
#define TQ_CLOCALE_H

#include <locale.h>

locale_t c_locale(void);

#endif
