#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "expr.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Attributes with every JSON type, nesting and the worker fields, so that
 * evaluation walks real paths. */
static const char attrs_json[] =
	"{\"skills\":[\"support\",\"sales\",1,2.5,true,null,[\"x\"],{\"a\":1}],"
	"\"languages\":[\"english\"],\"level\":5,\"rating\":4.5,\"manager\":true,"
	"\"name\":\"Alice\",\"none\":null,\"a\":{\"b\":{\"c\":[0,[1,[2]]]}},"
	"\"big\":123456789012345678901234567890,\"activity_name\":\"Busy\"}";
static const char fields_json[] =
	"{\"sid\":\"WK1\",\"friendly_name\":\"alice\",\"activity_sid\":\"WA1\","
	"\"activity_name\":\"Available\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static yajl_val attrs, fields;
	struct expr_error err = { 0, NULL };

	if (!attrs) {
		attrs = yajl_tree_parse(attrs_json, NULL, 0);
		fields = yajl_tree_parse(fields_json, NULL, 0);
		if (!attrs || !fields)
			abort();
	}

	char *src = xstrndup((const char *)data, size);
	size_t len = strlen(src);
	struct expr *e = expr_parse(src, &err);

	if (e) {
		if (err.msg)
			abort();	/* success must leave err alone */
		bool r = expr_eval(e, attrs, fields);
		/* Evaluation is pure: the same inputs give the same answer. */
		if (expr_eval(e, attrs, fields) != r)
			abort();
		if (expr_is_tautology(e) && !expr_eval(e, NULL, NULL))
			abort();
		(void)expr_eval(e, NULL, NULL);
		expr_free(&e);
	} else {
		if (err.col < 1 || (size_t)err.col > len + 1 || !err.msg || !err.msg[0])
			abort();
		if (strchr(err.msg, '\n'))
			abort();	/* messages are one line */
		char *t = expr_error_text(&err);
		free(t);
		expr_error_clear(&err);
	}
	free(src);
	return 0;
}
