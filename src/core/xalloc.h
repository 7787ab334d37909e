/* xalloc: allocation that never returns NULL.
 *
 * Contract: every x*alloc either returns memory or calls die(), which runs
 * the registered fatal hook (tqtop restores the terminal there) and exits
 * with status 70.  Nothing in the project checks malloc's result elsewhere.
 * die() prints one line to stderr after the hook has run; it is the only
 * place in the core that writes to stderr.
 */
#ifndef TQ_XALLOC_H
#define TQ_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of nmemb items of size bytes, failing on overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Runs before die() prints; must be async-signal-tolerant enough to call
 * endwin().  NULL removes it. */
void xalloc_set_fatal_hook(void (*hook)(void));
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Frees *p and sets it to NULL. */
#define XFREE(p) do { free(p); (p) = NULL; } while (0)

#endif
