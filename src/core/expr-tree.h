/* expr-tree: the parsed form of an expression, shared by the parser
 * (expr.c) and the evaluator (expr-eval.c).  Private to the expr module.
 *
 * Contract: everything in a tree lives in the expression's arena and is
 * immutable after expr_parse() returns, so evaluation allocates nothing
 * and may run concurrently.  Paths are split, "worker." is stripped,
 * numbers are converted and strings unescaped at parse time.  AND and OR
 * nodes are n-ary and parentheses leave no node behind, so the tree's
 * depth is bounded by the parser's nesting limit, not by the input length.
 */
#ifndef TQ_EXPR_TREE_H
#define TQ_EXPR_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

enum expr_op {
	EXPR_OP_EQ,
	EXPR_OP_NE,
	EXPR_OP_GT,
	EXPR_OP_GE,
	EXPR_OP_LT,
	EXPR_OP_LE,
	EXPR_OP_CONTAINS,
	EXPR_OP_HAS,
	EXPR_OP_IN,
	EXPR_OP_NOT_IN,
};

/* An int stays exact; anything else (fractions, exponents, integers out
 * of int64 range) is compared as a double. */
struct expr_num {
	bool is_int;
	int64_t i;
	double d;
};

enum expr_lit_kind {
	EXPR_LIT_STR,
	EXPR_LIT_NUM,
	EXPR_LIT_BOOL,
};

struct expr_lit {
	enum expr_lit_kind kind;
	const char *s;	/* EXPR_LIT_STR, NUL-terminated, unescaped */
	struct expr_num n;
	bool b;
};

/* One step of a reference: an object key, or an array index when key is
 * NULL. */
struct expr_seg {
	const char *key;
	size_t index;
};

enum expr_operand_kind {
	EXPR_OPERAND_LIT,
	EXPR_OPERAND_LIST,
	EXPR_OPERAND_REF,
};

struct expr_operand {
	enum expr_operand_kind kind;
	struct expr_lit lit;		/* EXPR_OPERAND_LIT */
	const struct expr_lit *items;	/* EXPR_OPERAND_LIST */
	size_t nitems;
	const struct expr_seg *segs;	/* EXPR_OPERAND_REF */
	size_t nsegs;
	bool worker_field;		/* first key may come from the fields object */
};

enum expr_node_kind {
	EXPR_NODE_OR,
	EXPR_NODE_AND,
	EXPR_NODE_CMP,
};

struct expr_node {
	enum expr_node_kind kind;
	enum expr_op op;			/* EXPR_NODE_CMP */
	struct expr_operand lhs, rhs;		/* EXPR_NODE_CMP */
	const struct expr_node *const *kids;	/* OR / AND, nkids >= 2 */
	size_t nkids;
};

bool expr_node_eval(const struct expr_node *n, yajl_val attrs, yajl_val fields);
/* True when the node holds for every possible worker. */
bool expr_node_tautology(const struct expr_node *n);

#endif
