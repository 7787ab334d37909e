/* expr: the TaskRouter expression language (TargetWorkers,
 * EvaluateWorkerAttributes, TargetWorkersExpression), PROTOCOL.md section 5.
 *
 * Contract:
 *  - expr_parse() builds a tree or fails with the 1-based column (in
 *    characters of the source) where the problem is and a short message,
 *    formatted by expr_error_text() as "col 17: expected a value after HAS".
 *  - Keywords (AND, OR, HAS, IN, NOT IN, CONTAINS, true, false) are case
 *    insensitive; AND binds tighter than OR; "=" is "=="; ">-" is HAS and
 *    "<-" is IN.  A "worker." prefix on a reference is accepted as an alias
 *    of the bare key; a "task." prefix is refused (expressions here are
 *    TargetWorkers, where no task is bound).
 *  - expr_eval() never fails: a missing key is NULL, a scalar operator on
 *    an array or an array operator on scalars is false, and comparisons
 *    between different types are false (except != which is true).  NULL
 *    equals nothing (== false, != true, x NOT IN [...] true).  Ints and
 *    floats compare numerically; strings compare bytewise and CONTAINS is
 *    a case-sensitive substring test.  Evaluation allocates nothing.
 *  - References resolve first against attrs (the worker's attributes
 *    object) and then, for sid / friendly_name / activity_sid /
 *    activity_name, against fields (an object, may be NULL): an attribute
 *    of the same name shadows the field.
 *  - No global state; a parsed expression may be evaluated any number of
 *    times and concurrently.
 */
#ifndef TQ_EXPR_H
#define TQ_EXPR_H

#include <stdbool.h>

#include <yajl/yajl_tree.h>

struct expr;

/* Deepest nesting of parentheses expr_parse() accepts; deeper input is an
 * error ("too many nested parentheses"), so hostile input cannot exhaust
 * the stack. */
#define EXPR_MAX_DEPTH 64

struct expr_error {
	int col;	/* 1-based column, 0 when not applicable */
	char *msg;	/* "expected a value after HAS"; caller frees */
};

/* src is NUL-terminated UTF-8.  err may be NULL; it is written only on
 * failure (col >= 1, msg set). */
struct expr *expr_parse(const char *src, struct expr_error *err);
bool expr_eval(const struct expr *e, yajl_val attrs, yajl_val fields);
void expr_free(struct expr **e);

/* "col 17: expected a value after HAS"; caller frees. */
char *expr_error_text(const struct expr_error *err);
void expr_error_clear(struct expr_error *err);

/* True for an expression that every worker matches (e.g. "1==1"), so that
 * callers can skip evaluation. */
bool expr_is_tautology(const struct expr *e);

#endif
