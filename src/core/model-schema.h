/* model-schema: the table-driven engine behind model.h (internal to the
 * model; nothing outside src/core/model*.c includes this).
 *
 * Each struct of model.h is described once by a table of fields
 * {JSON name, kind, offset, ...}; parsing, clearing and deep-copying walk
 * that table, so a field's name is written in exactly one place.
 * JSON names equal the C member names (the tables stringify them).
 *
 * Contract: schema_parse() overwrites *obj (it is not freed first) and,
 * on failure, leaves it cleared and *err (if not NULL) set to
 * "<path>: <what was wrong>", where path starts at schema->what and
 * follows the JSON (".key", "[index]").  schema_clear() frees what the
 * struct owns and zeroes it.  schema_copy() makes dst a deep copy of src
 * (dst is overwritten, not freed).
 */
#ifndef TQ_MODEL_SCHEMA_H
#define TQ_MODEL_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

enum field_kind {
	FK_CSTR,	/* char *, required string */
	FK_STR,		/* struct tq_opt_str */
	FK_INT,		/* struct tq_opt_int: an integer (1.0 is one too) */
	FK_NUM,		/* struct tq_opt_num: any finite number */
	FK_BOOL,	/* struct tq_opt_bool */
	FK_TIME,	/* struct tq_opt_time: ISO-8601 string -> epoch seconds */
	FK_LINKS,	/* struct tq_links: object of name -> uri */
	FK_COUNTS,	/* struct tq_counts: object of key -> count (number or numeric string) */
	FK_OBJ,		/* a nested struct at off described by sub; presence at st_off */
	FK_INLINE,	/* a nested JSON object whose fields (sub) live in this struct */
	FK_ARRAY,	/* array of sub structs: pointer at off, count at n_off, presence at st_off */
	FK_SPLITS,	/* split_by_wait_time: map threshold -> struct tq_split, as FK_ARRAY */
};

#define NO_OFF ((size_t)-1)

struct schema;

struct field {
	const char *name;
	enum field_kind kind;
	size_t off;
	size_t st_off;			/* FK_OBJ/FK_ARRAY/FK_SPLITS presence, or NO_OFF */
	size_t n_off;			/* FK_ARRAY/FK_SPLITS element count */
	const struct schema *sub;	/* FK_OBJ/FK_INLINE/FK_ARRAY/FK_SPLITS */
	const char *sid_prefix;		/* FK_CSTR/FK_STR: must be ^PP[0-9a-fA-F]{32}$ */
	const char *const *one_of;	/* FK_CSTR/FK_STR: allowed values, NULL-ended */
	bool required;			/* FK_OBJ/FK_ARRAY: absent or null is an error */
};

struct schema {
	const char *what;		/* root of error paths: "task_queue" */
	size_t size;			/* sizeof the struct */
	const struct field *fields;
	size_t n_fields;
	bool bare;			/* member paths omit the root ("meta.key") */
};

#define SCHEMA(what_, type_, table_) \
	{ (what_), sizeof(type_), (table_), sizeof(table_) / sizeof((table_)[0]), false }
#define BARE_SCHEMA(what_, type_, table_) \
	{ (what_), sizeof(type_), (table_), sizeof(table_) / sizeof((table_)[0]), true }

bool schema_parse(const struct schema *s, yajl_val v, void *obj, char **err);
/* Parses len bytes of text with json_parse() first. */
bool schema_parse_text(const struct schema *s, const char *text, size_t len, void *obj, char **err);
void schema_clear(const struct schema *s, void *obj);
void schema_copy(const struct schema *s, void *dst, const void *src);

#endif
