#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yajl/yajl_tree.h>

#include "buf.h"
#include "expr.h"

/* ---- worker sets --------------------------------------------------------
 * A: a typical agent (arrays, nested objects, floats, booleans).
 * B: another agent with overlapping skills.
 * C: no attributes at all and no worker fields.
 * D: the same keys with other types (strings for numbers, a scalar where
 *    the others have arrays, null), and an attribute that shadows a field.
 */
static const char *const worker_attrs[] = {
	"{\"skills\":[\"support\",\"sales\"],\"languages\":[\"english\",\"french\"],"
	"\"level\":5,\"tech_support_skill\":7,\"rating\":4.5,\"manager\":true,"
	"\"name\":\"Alice Smith\",\"english_level\":\"fluent\",\"skill_rating\":2,"
	"\"address\":{\"city\":\"Lisbon\",\"geo\":{\"lat\":38.7}},"
	"\"scores\":[10,20.5,30],\"teams\":[[\"red\",\"blue\"],[\"green\"]],"
	"\"type\":\"ticket\",\"customer_value\":\"Gold\","
	"\"motto\":\"it's \\\"fine\\\"\"}",

	"{\"skills\":[\"sales\"],\"languages\":[\"spanish\",\"english\"],\"level\":3,"
	"\"tech_support_skill\":5,\"rating\":3,\"manager\":false,\"name\":\"Bob\","
	"\"english_level\":\"basic\",\"skill_rating\":4,\"address\":{\"city\":\"Porto\"},"
	"\"scores\":[]}",

	"{}",

	"{\"skills\":\"support\",\"languages\":null,\"level\":\"5\",\"rating\":3.0,"
	"\"manager\":\"true\",\"name\":\"Dave\",\"activity_name\":\"Busy\","
	"\"big\":9007199254740993,\"neg\":-2,\"exp\":1e3,\"address\":\"Lisbon\"}",
};

static const char *const worker_fields[] = {
	"{\"sid\":\"WK0001\",\"friendly_name\":\"alice\",\"activity_sid\":\"WA0001\","
	"\"activity_name\":\"Available\"}",
	"{\"sid\":\"WK0002\",\"friendly_name\":\"bob\",\"activity_sid\":\"WA0002\","
	"\"activity_name\":\"Offline\"}",
	NULL,
	"{\"sid\":\"WK0004\",\"friendly_name\":\"dave\",\"activity_sid\":\"WA0001\","
	"\"activity_name\":\"Available\"}",
};

#define NWORKERS (sizeof worker_attrs / sizeof worker_attrs[0])

struct workers {
	yajl_val attrs[NWORKERS];
	yajl_val fields[NWORKERS];
};

static yajl_val parse_json(const char *text)
{
	char errbuf[256];
	yajl_val v;

	if (!text)
		return NULL;
	v = yajl_tree_parse(text, errbuf, sizeof errbuf);
	if (!v)
		fail_msg("fixture JSON does not parse: %s: %s", errbuf, text);
	return v;
}

static int workers_setup(void **state)
{
	struct workers *w = calloc(1, sizeof *w);

	for (size_t i = 0; i < NWORKERS; i++) {
		w->attrs[i] = parse_json(worker_attrs[i]);
		w->fields[i] = parse_json(worker_fields[i]);
	}
	*state = w;
	return 0;
}

static int workers_teardown(void **state)
{
	struct workers *w = *state;

	for (size_t i = 0; i < NWORKERS; i++) {
		yajl_tree_free(w->attrs[i]);
		yajl_tree_free(w->fields[i]);
	}
	free(w);
	return 0;
}

static struct expr *must_parse(const char *src)
{
	struct expr_error err = { 0, NULL };
	struct expr *e = expr_parse(src, &err);

	if (!e) {
		char *t = expr_error_text(&err);
		fail_msg("'%s' should parse but: %s", src, t);
	}
	assert_null(err.msg);
	return e;
}

/* ---- valid expressions ------------------------------------------------ */

/* Every example quoted by the TaskRouter docs (PROTOCOL.md 5) and the
 * forms the brief and the docs' guides use. */
static void test_doc_examples_parse(void **state)
{
	static const char *const valid[] = {
		"1==1",
		"1 == 1",
		"0 != 1",
		"\"apple\" != \"orange\"",
		"key > 1",
		"object.param != \"apple\"",
		"language IN [\"en\", \"es\"]",
		"(condition_a == true) OR (condition_b == true)",
		"(language == \"en\" OR language == \"fr\") AND skill_rating >= 5.1",
		"(skills HAS 'support') AND (languages HAS 'english')",
		"customer_value == 'Gold' AND type == 'ticket'",
		"string_const == \"foo\"",
		"object.array HAS \"a\"",
		"object.array[2] == \"c\"",
		"object.attr == \"bar\"",
		"languages HAS \"english\"",
		"tech_support_skill > 5",
		"skills HAS \"support\" AND level >= 3",
		"(skill_rating > 3 OR english_level == 'fluent')",
		"worker.activity_name in ['Available']",
		"worker.sid == 'WK0001'",
		"skills >- 'support'",
		"language <- ['en', 'es']",
		"language NOT IN ['en', 'es']",
		"name CONTAINS 'Smith'",
		"x = 1",
		"x <= 1.00",
		"x < 3.141529",
		"x > -1",
		"x >= 1e3",
		"flag == false",
		"list IN []",
		"a.b.c[0][1].d == 'x'",
		"  ( ( a == 1 ) )  ",
		"a==1 AND(b==2)OR(c==3)",
		"a\t==\n1",
		"'it\\'s' == \"say \\\"hi\\\"\"",
		"in_queue == 1",
		"and_more == 1 or notes == 'x'",
		"worker == 1",
		"task == 1",
		"task[0] == 1",
	};
	(void)state;

	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		struct expr *e = must_parse(valid[i]);

		expr_free(&e);
		assert_null(e);
	}
}

/* ---- invalid expressions: column and message ----------------------------- */

static const struct bad_case {
	const char *src;
	int col;
	const char *msg;
} bad_cases[] = {
	{ "", 1, "expected an expression" },
	{ "   ", 4, "expected an expression" },
	{ "()", 2, "expected an expression, found ')'" },
	{ "languages HAS", 14, "expected a value after HAS" },
	{ "(languages HAS )", 16, "expected a value after HAS" },
	{ "skills HAS 'a' OR skills HAS", 29, "expected a value after HAS" },
	{ "a IN", 5, "expected a value after IN" },
	{ "a NOT IN", 9, "expected a value after NOT IN" },
	{ "a contains", 11, "expected a value after CONTAINS" },
	{ "a >-", 5, "expected a value after >-" },
	{ "a <- )", 6, "expected a value after <-" },
	{ "a === 1", 3, "unknown operator '===' (use ==)" },
	{ "level => 3", 7, "unknown operator '=>' (use >=)" },
	{ "level =< 3", 7, "unknown operator '=<' (use <=)" },
	{ "level <> 3", 7, "unknown operator '<>' (use !=)" },
	{ "level >< 3", 7, "unknown operator '><'" },
	{ "level = < 3", 9, "expected a value after =" },
	{ "language IN (\"en\", \"es\")", 13, "lists use brackets: IN [\"a\", \"b\"]" },
	{ "language NOT IN ('en')", 17, "lists use brackets: NOT IN [\"a\", \"b\"]" },
	{ "level == (3)", 10, "expected a value after ==" },
	{ "a = \"x", 5, "unterminated string" },
	{ "name == 'abc\\'", 9, "unterminated string" },
	{ "name == \"abc\\", 9, "unterminated string" },
	{ "language-skill == 1", 9, "hyphens are not allowed in attribute names" },
	{ "tech-support > 5", 5, "hyphens are not allowed in attribute names" },
	{ "worker.tech-support > 5", 12, "hyphens are not allowed in attribute names" },
	{ "a == 1 AND b-c == 2", 13, "hyphens are not allowed in attribute names" },
	{ "a == true-ish", 10, "hyphens are not allowed in attribute names" },
	{ "(level > 3))", 12, "unexpected ')'" },
	{ "a == 1)", 7, "unexpected ')'" },
	{ "(a == 1", 8, "expected ')' to close the '(' at col 1" },
	{ "((a == 1) AND (b == 2)", 23, "expected ')' to close the '(' at col 1" },
	{ "languages HAS \"en\" foo", 20, "expected AND or OR, found 'foo'" },
	{ "a == 1 b == 2", 8, "expected AND or OR, found 'b'" },
	{ "a == b == c", 8, "expected AND or OR, found '=='" },
	{ "a == 1 'x'", 8, "expected AND or OR, found 'x'" },
	{ "a == 1 AND", 11, "expected a comparison after AND" },
	{ "a == 1 or", 10, "expected a comparison after OR" },
	{ "a == 1 OR OR b == 2", 11, "expected a comparison after OR, found 'OR'" },
	{ "a == 1 AND )", 12, "expected a comparison after AND, found ')'" },
	{ "AND a == 1", 1, "expected an expression, found 'AND'" },
	{ "skills", 7, "expected an operator (==, !=, <, >, HAS, IN, CONTAINS ...) after 'skills'" },
	{ "skills 'support'", 8, "expected an operator after 'skills', found 'support'" },
	{ "\"x\" y", 5, "expected an operator after \"x\", found 'y'" },
	{ "true", 5, "expected an operator (==, !=, <, >, HAS, IN, CONTAINS ...) after 'true'" },
	{ "[1, 2] 3", 8, "expected an operator after '[1, 2]', found '3'" },
	{ "== 1", 1, "expected a value before ==" },
	{ "a == 1 AND HAS 'x'", 12, "expected a value before HAS" },
	{ "NOT skills HAS 'x'", 1, "there is no NOT operator: use != or NOT IN" },
	{ "level NOT 3", 11, "expected IN after NOT" },
	{ "level NOT", 10, "expected IN after NOT" },
	{ "a && b", 3, "unexpected '&' (use AND)" },
	{ "a == 1 || b == 2", 8, "unexpected '|' (use OR)" },
	{ "a ! b", 3, "unexpected '!' (use != or NOT IN)" },
	{ "a == - 1", 6, "unexpected '-'" },
	{ "a # 1", 3, "unexpected character '#'" },
	{ "a == \xc3\xa9", 6, "unexpected character '\xc3\xa9'" },
	/* Columns count characters, not bytes. */
	{ "\"\xc3\xa9\xc3\xa9\" == x y", 11, "expected AND or OR, found 'y'" },
	{ "a IN [1, 2", 11, "expected ']' to close the list opened at col 6" },
	{ "a IN [", 7, "expected ']' to close the list opened at col 6" },
	{ "a IN [1 2]", 9, "expected ',' or ']' in the list, found '2'" },
	{ "a IN [1, ]", 10, "lists hold only strings, numbers and true/false, found ']'" },
	{ "a IN [,]", 7, "lists hold only strings, numbers and true/false, found ','" },
	{ "a IN [[1]]", 7, "lists cannot be nested" },
	{ "a IN [b]", 7, "lists hold only strings, numbers and true/false, found 'b'" },
	{ "a IN ['x' 'y']", 11, "expected ',' or ']' in the list, found 'y'" },
	{ "task.skill == 1", 1, "task attributes cannot be used in TargetWorkers, only worker attributes" },
	{ "worker.activity_name == task.activity", 25,
	  "task attributes cannot be used in TargetWorkers, only worker attributes" },
	{ "a. == 1", 3, "expected an attribute name after '.'" },
	{ "a.0 == 1", 3, "use [n] for an array element, not .n" },
	{ "a[x] == 1", 3, "expected an array index such as [0] after '['" },
	{ "a[-1] == 1", 3, "expected an array index such as [0] after '['" },
	{ "a[1 == 1", 4, "expected ']' after the array index" },
	{ "a[12345678901] == 1", 3, "array index too large" },
	{ "a == 1.", 8, "expected a digit after '.' in a number" },
	{ "a == 5abc", 6, "invalid number '5abc'" },
	{ "a == 1.2.3", 6, "invalid number '1.2.3'" },
	{ "a == .5", 6, "unexpected character '.'" },
	{ "a == 'x'\n AND\n", 15, "expected a comparison after AND" },
	{ "a == 'line\nbreak' x", 19, "expected AND or OR, found 'x'" },
	{ "a == 'line\nbreak' 'x\ny'", 19, "expected AND or OR, found 'x?y'" },
	{ "x == 1 AND averyveryverylongattributename_that_goes_on == 1 trailing_words_here", 61,
	  "expected AND or OR, found 'trailing_words_here'" },
	{ "x == 1 zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", 8,
	  "expected AND or OR, found 'zzzzzzzzzzzzzzzzzzzzzzzz...'" },
};

static void test_invalid_expressions(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct expr_error err = { 0, NULL };
		struct expr *e = expr_parse(c->src, &err);

		if (e)
			fail_msg("case %zu '%s' should not parse", i, c->src);
		if (!err.msg || strcmp(err.msg, c->msg) != 0 || err.col != c->col)
			fail_msg("case %zu '%s':\n  got      col %d: %s\n  expected col %d: %s",
				 i, c->src, err.col, err.msg ? err.msg : "(null)", c->col, c->msg);
		expr_error_clear(&err);
		assert_null(err.msg);
		assert_int_equal(err.col, 0);
	}
}

static void test_error_text(void **state)
{
	struct expr_error err = { 0, NULL };
	(void)state;

	assert_null(expr_parse("skills HAS 'x' AND languages HAS", &err));
	char *t = expr_error_text(&err);
	assert_string_equal(t, "col 33: expected a value after HAS");
	free(t);
	expr_error_clear(&err);

	err.msg = strdup("no position");
	t = expr_error_text(&err);
	assert_string_equal(t, "no position");
	free(t);
	expr_error_clear(&err);

	t = expr_error_text(&err);
	assert_string_equal(t, "");
	free(t);
	expr_error_clear(NULL);

	/* A NULL err is allowed: the caller only wants yes or no. */
	assert_null(expr_parse("a ==", NULL));
	struct expr *e = expr_parse("a == 1", NULL);
	assert_non_null(e);
	expr_free(&e);
	expr_free(&e);
	expr_free(NULL);
}

/* ---- evaluation ------------------------------------------------------- */

/* expect has one letter per worker A B C D: Y matches, N does not. */
static const struct eval_case {
	const char *src;
	const char *expect;
} eval_cases[] = {
	/* the docs' TargetWorkers examples */
	{ "languages HAS \"english\"", "YYNN" },
	{ "languages HAS 'french'", "YNNN" },
	{ "skills HAS \"support\"", "YNNN" },
	{ "skills >- \"sales\"", "YYNN" },
	{ "tech_support_skill > 5", "YNNN" },
	{ "tech_support_skill >= 5", "YYNN" },
	{ "skills HAS \"support\" AND level >= 3", "YNNN" },
	{ "skills HAS \"sales\" AND level >= 3", "YYNN" },
	{ "(skill_rating > 3 OR english_level == 'fluent')", "YYNN" },
	{ "(skills HAS 'support') AND (languages HAS 'english')", "YNNN" },
	{ "customer_value == 'Gold' AND type == 'ticket'", "YNNN" },
	{ "key > 1", "NNNN" },
	{ "object.param != \"apple\"", "YYYY" },
	{ "language IN [\"en\", \"es\"]", "NNNN" },
	{ "(condition_a == true) OR (condition_b == true)", "NNNN" },
	{ "(language == \"en\" OR language == \"fr\") AND skill_rating >= 5.1", "NNNN" },
	/* constants */
	{ "1==1", "YYYY" },
	{ "1 == 1", "YYYY" },
	{ "0 != 1", "YYYY" },
	{ "\"apple\" != \"orange\"", "YYYY" },
	{ "1 == 2", "NNNN" },
	{ "[1, 2] HAS 1", "YYYY" },
	{ "'b' IN ['a', 'b']", "YYYY" },
	/* worker fields, and an attribute shadowing a field (D) */
	{ "worker.activity_name in ['Available']", "YNNN" },
	{ "activity_name IN [\"Available\", \"Busy\"]", "YNNY" },
	{ "activity_sid == \"WA0001\"", "YNNY" },
	{ "sid == \"WK0002\"", "NYNN" },
	{ "worker.friendly_name CONTAINS \"li\"", "YNNN" },
	/* strings */
	{ "name CONTAINS \"Smith\"", "YNNN" },
	{ "name CONTAINS \"smith\"", "NNNN" },
	{ "name == 'Alice Smith'", "YNNN" },
	{ "name > 'B'", "NYNY" },
	{ "motto == 'it\\'s \"fine\"'", "YNNN" },
	{ "motto == \"it's \\\"fine\\\"\"", "YNNN" },
	/* numbers, int and float compare numerically, strings are not numbers */
	{ "level = 5", "YNNN" },
	{ "level == 5.0", "YNNN" },
	{ "level == \"5\"", "NNNY" },
	{ "level != 5", "NYYY" },
	{ "level > \"3\"", "NNNY" },
	{ "rating == 3", "NYNY" },
	{ "rating >= 4.5", "YNNN" },
	{ "rating < 4", "NYNY" },
	{ "5 > level", "NYNN" },
	{ "big == 9007199254740993", "NNNY" },
	{ "big == 9007199254740992", "NNNN" },
	{ "neg < -1", "NNNY" },
	{ "neg == -2", "NNNY" },
	{ "exp == 1000", "NNNY" },
	{ "exp == 1e3", "NNNY" },
	/* booleans */
	{ "manager == true", "YNNN" },
	{ "manager == false", "NYNN" },
	{ "manager != true", "NYYY" },
	{ "manager == \"true\"", "NNNY" },
	{ "manager > false", "NNNN" },
	/* nested paths and array indexes */
	{ "address.city == \"Lisbon\"", "YNNN" },
	{ "address.geo.lat > 38.5", "YNNN" },
	{ "address.city IN [\"Lisbon\", \"Porto\"]", "YYNN" },
	{ "address.city NOT IN [\"Lisbon\"]", "NYYY" },
	{ "scores[1] == 20.5", "YNNN" },
	{ "scores[0] < 15", "YNNN" },
	{ "scores[5] == 10", "NNNN" },
	{ "scores HAS 30", "YNNN" },
	{ "scores HAS 30.0", "YNNN" },
	{ "teams[0] HAS \"blue\"", "YNNN" },
	{ "teams[1][0] == \"green\"", "YNNN" },
	{ "teams HAS \"red\"", "NNNN" },
	{ "name[0] == 'A'", "NNNN" },
	{ "worker.skills HAS \"support\"", "YNNN" },
	{ "worker.address.city == \"Porto\"", "NYNN" },
	/* IN / NOT IN */
	{ "level IN [3, 5]", "YYNN" },
	{ "level IN [\"5\"]", "NNNY" },
	{ "level NOT IN [3]", "YNYY" },
	{ "level IN []", "NNNN" },
	{ "level NOT IN []", "YYYY" },
	{ "\"english\" IN languages", "YYNN" },
	{ "\"english\" <- languages", "YYNN" },
	{ "level <- [5]", "YNNN" },
	{ "level IN 5", "NNNN" },
	{ "level NOT IN 4", "NNNN" },
	/* array operators on scalars, scalar operators on arrays */
	{ "languages IN [\"english\"]", "NNNN" },
	{ "languages NOT IN [\"english\"]", "NNYY" },
	{ "skills == \"support\"", "NNNY" },
	{ "skills != \"support\"", "NNYN" },
	{ "skills CONTAINS \"sup\"", "NNNY" },
	{ "skills HAS [\"support\"]", "NNNN" },
	{ "address == \"Lisbon\"", "NNNY" },
	{ "address != \"Lisbon\"", "NNYN" },
	/* missing keys are NULL */
	{ "missing == missing", "NNNN" },
	{ "missing != 1", "YYYY" },
	{ "missing < 1", "NNNN" },
	{ "languages == languages", "NNNN" },
	/* AND binds tighter than OR */
	{ "manager == true OR level == 3 AND skill_rating > 10", "YNNN" },
	{ "level == 3 AND skill_rating > 10 OR manager == true", "YNNN" },
	{ "(manager == true OR level == 3) AND skill_rating > 10", "NNNN" },
	{ "level == 5 OR level == 3 AND name == 'Bob'", "YYNN" },
	/* keywords in any case */
	{ "languages has \"english\" and level >= 3", "YYNN" },
	{ "skills Has 'support' oR level == 3", "YYNN" },
	{ "level not in [5]", "NYYY" },
	{ "level Not In [5]", "NYYY" },
	{ "rating In [3]", "NYNY" },
	{ "name contains \"Bob\"", "NYNN" },
	{ "manager == TRUE", "YNNN" },
	{ "manager == False", "NYNN" },
};

static void test_eval_table(void **state)
{
	struct workers *w = *state;

	for (size_t i = 0; i < sizeof eval_cases / sizeof eval_cases[0]; i++) {
		const struct eval_case *c = &eval_cases[i];
		struct expr *e = must_parse(c->src);
		char got[NWORKERS + 1];

		for (size_t k = 0; k < NWORKERS; k++)
			got[k] = expr_eval(e, w->attrs[k], w->fields[k]) ? 'Y' : 'N';
		got[NWORKERS] = '\0';
		if (strcmp(got, c->expect) != 0)
			fail_msg("case %zu '%s': got %s, expected %s (workers A B C D)",
				 i, c->src, got, c->expect);
		expr_free(&e);
	}
}

static void test_eval_without_attributes(void **state)
{
	static const struct { const char *src; bool expect; } cases[] = {
		{ "1==1", true },
		{ "a == 1", false },
		{ "a != 1", true },
		{ "sid == 'WK0001'", false },
		{ "a NOT IN [1]", true },
	};
	yajl_val not_object = parse_json("[1, 2]");
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct expr *e = must_parse(cases[i].src);

		assert_int_equal(expr_eval(e, NULL, NULL), cases[i].expect);
		assert_int_equal(expr_eval(e, not_object, not_object), cases[i].expect);
		expr_free(&e);
	}
	assert_false(expr_eval(NULL, NULL, NULL));
	yajl_tree_free(not_object);
}

/* An expression is parsed once and evaluated for many workers. */
static void test_eval_repeatable(void **state)
{
	struct workers *w = *state;
	struct expr *e = must_parse("skills HAS 'sales' AND (level > 4 OR worker.activity_name == 'Offline')");

	for (int round = 0; round < 3; round++) {
		assert_true(expr_eval(e, w->attrs[0], w->fields[0]));
		assert_true(expr_eval(e, w->attrs[1], w->fields[1]));
		assert_false(expr_eval(e, w->attrs[2], w->fields[2]));
		assert_false(expr_eval(e, w->attrs[3], w->fields[3]));
	}
	expr_free(&e);
}

/* ---- tautologies ----------------------------------------------------------- */

static void test_tautology(void **state)
{
	static const struct { const char *src; bool taut; } cases[] = {
		{ "1==1", true },
		{ "1 == 1", true },
		{ "(1==1)", true },
		{ "true==true", true },
		{ "TRUE = true", true },
		{ "\"a\" == 'a'", true },
		{ "0 != 1", true },
		{ "1 IN [1, 2]", true },
		{ "1==1 OR level > 3", true },
		{ "level > 3 OR 1==1", true },
		{ "1==1 AND 2==2", true },
		{ "1==1 AND level > 3", false },
		{ "1==2", false },
		{ "1==2 OR 2==3", false },
		{ "level == level", false },
		{ "level > 3", false },
		{ "missing != 1", false },
	};
	(void)state;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct expr *e = must_parse(cases[i].src);

		if (expr_is_tautology(e) != cases[i].taut)
			fail_msg("'%s': expr_is_tautology should be %s", cases[i].src,
				 cases[i].taut ? "true" : "false");
		expr_free(&e);
	}
	assert_false(expr_is_tautology(NULL));
}

/* ---- hostile input ----------------------------------------------------- */

static char *nested(int depth)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < depth; i++)
		buf_putc(&b, '(');
	buf_puts(&b, "a == 1");
	for (int i = 0; i < depth; i++)
		buf_putc(&b, ')');
	return buf_steal(&b);
}

static void test_nesting_limit(void **state)
{
	struct expr_error err = { 0, NULL };
	yajl_val attrs = parse_json("{\"a\":1}");
	(void)state;

	char *ok = nested(EXPR_MAX_DEPTH);
	struct expr *e = must_parse(ok);
	assert_true(expr_eval(e, attrs, NULL));
	expr_free(&e);
	free(ok);

	char *deep = nested(EXPR_MAX_DEPTH + 1);
	assert_null(expr_parse(deep, &err));
	assert_int_equal(err.col, EXPR_MAX_DEPTH + 1);
	assert_string_equal(err.msg, "too many nested parentheses (at most 64)");
	expr_error_clear(&err);
	free(deep);

	/* A flood of '(' stops at the limit instead of recursing on. */
	char *flood = malloc(200001);
	memset(flood, '(', 200000);
	flood[200000] = '\0';
	assert_null(expr_parse(flood, &err));
	assert_int_equal(err.col, EXPR_MAX_DEPTH + 1);
	expr_error_clear(&err);
	free(flood);
	yajl_tree_free(attrs);
}

/* Long AND / OR chains are flat, so neither parse nor eval recurses on
 * their length. */
static void test_long_chains(void **state)
{
	enum { N = 100000 };
	struct buf b = BUF_INIT;
	yajl_val attrs = parse_json("{\"a\":1,\"b\":2}");
	(void)state;

	for (int i = 0; i < N; i++)
		buf_puts(&b, i ? " AND a == 1" : "a == 1");
	struct expr *e = must_parse(buf_cstr(&b));
	assert_true(expr_eval(e, attrs, NULL));
	expr_free(&e);

	buf_puts(&b, " AND b == 3");
	e = must_parse(buf_cstr(&b));
	assert_false(expr_eval(e, attrs, NULL));
	expr_free(&e);

	buf_reset(&b);
	for (int i = 0; i < N; i++)
		buf_printf(&b, "%s(a == %d AND b == 2)", i ? " OR " : "", N - i);
	e = must_parse(buf_cstr(&b));
	assert_true(expr_eval(e, attrs, NULL));
	assert_false(expr_is_tautology(e));
	expr_free(&e);

	buf_reset(&b);
	buf_puts(&b, "a IN [");
	for (int i = 0; i < N; i++)
		buf_printf(&b, "%s%d", i ? "," : "", N - i);
	buf_puts(&b, "]");
	e = must_parse(buf_cstr(&b));
	assert_true(expr_eval(e, attrs, NULL));
	expr_free(&e);
	buf_free(&b);
	yajl_tree_free(attrs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_examples_parse),
		cmocka_unit_test(test_invalid_expressions),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_eval_table),
		cmocka_unit_test(test_eval_without_attributes),
		cmocka_unit_test(test_eval_repeatable),
		cmocka_unit_test(test_tautology),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_long_chains),
	};

	return cmocka_run_group_tests(tests, workers_setup, workers_teardown);
}
