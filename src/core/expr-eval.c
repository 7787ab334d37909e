#include "config.h"
#include "expr-tree.h"

#include <string.h>

/* A resolved operand.  Built on the stack for every comparison: nothing
 * here owns memory. */
enum val_kind {
	VAL_NULL,
	VAL_STR,
	VAL_NUM,
	VAL_BOOL,
	VAL_ARRAY,	/* a JSON array from the attributes */
	VAL_LIST,	/* a list literal from the expression */
	VAL_OBJECT,
};

struct val {
	enum val_kind kind;
	const char *s;
	struct expr_num n;
	bool b;
	yajl_val json;
	const struct expr_lit *items;
	size_t nitems;
};

static struct val val_of_lit(const struct expr_lit *l)
{
	struct val v = { .kind = VAL_NULL };

	switch (l->kind) {
	case EXPR_LIT_STR:
		v.kind = VAL_STR;
		v.s = l->s;
		break;
	case EXPR_LIT_NUM:
		v.kind = VAL_NUM;
		v.n = l->n;
		break;
	case EXPR_LIT_BOOL:
		v.kind = VAL_BOOL;
		v.b = l->b;
		break;
	}
	return v;
}

static struct val val_of_json(yajl_val j)
{
	struct val v = { .kind = VAL_NULL };

	if (!j)
		return v;
	switch (j->type) {
	case yajl_t_string:
		v.kind = VAL_STR;
		v.s = j->u.string;
		break;
	case yajl_t_number:
		v.kind = VAL_NUM;
		/* yajl sets only DOUBLE_VALID for fractions and big integers;
		 * d holds strtod's best value even when neither flag is set. */
		v.n.is_int = (j->u.number.flags & YAJL_NUMBER_INT_VALID) != 0;
		v.n.i = j->u.number.i;
		v.n.d = v.n.is_int ? (double)j->u.number.i : j->u.number.d;
		break;
	case yajl_t_true:
	case yajl_t_false:
		v.kind = VAL_BOOL;
		v.b = j->type == yajl_t_true;
		break;
	case yajl_t_array:
		v.kind = VAL_ARRAY;
		v.json = j;
		break;
	case yajl_t_object:
		v.kind = VAL_OBJECT;
		v.json = j;
		break;
	default:
		break;
	}
	return v;
}

static yajl_val object_member(yajl_val obj, const char *key)
{
	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (size_t i = 0; i < obj->u.object.len; i++) {
		const char *k = obj->u.object.keys[i];

		if (k[0] == key[0] && strcmp(k, key) == 0)
			return obj->u.object.values[i];
	}
	return NULL;
}

static yajl_val walk(yajl_val j, const struct expr_seg *segs, size_t nsegs)
{
	for (size_t i = 0; i < nsegs && j; i++) {
		if (segs[i].key) {
			j = object_member(j, segs[i].key);
		} else if (YAJL_IS_ARRAY(j) && segs[i].index < j->u.array.len) {
			j = j->u.array.values[segs[i].index];
		} else {
			j = NULL;
		}
	}
	return j;
}

static struct val resolve(const struct expr_operand *o, yajl_val attrs, yajl_val fields)
{
	struct val v = { .kind = VAL_NULL };

	switch (o->kind) {
	case EXPR_OPERAND_LIT:
		return val_of_lit(&o->lit);
	case EXPR_OPERAND_LIST:
		v.kind = VAL_LIST;
		v.items = o->items;
		v.nitems = o->nitems;
		return v;
	case EXPR_OPERAND_REF:
		/* An attribute shadows the worker field of the same name. */
		if (o->worker_field && !object_member(attrs, o->segs[0].key))
			return val_of_json(walk(fields, o->segs, o->nsegs));
		return val_of_json(walk(attrs, o->segs, o->nsegs));
	}
	return v;
}

static bool is_scalar(const struct val *v)
{
	return v->kind == VAL_STR || v->kind == VAL_NUM || v->kind == VAL_BOOL;
}

static bool is_array(const struct val *v)
{
	return v->kind == VAL_ARRAY || v->kind == VAL_LIST;
}

static int num_cmp(const struct expr_num *a, const struct expr_num *b)
{
	if (a->is_int && b->is_int)
		return (a->i > b->i) - (a->i < b->i);
	return (a->d > b->d) - (a->d < b->d);
}

/* Equality of two scalars of the same type; different types never match. */
static bool scalar_eq(const struct val *a, const struct val *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case VAL_STR:
		return strcmp(a->s, b->s) == 0;
	case VAL_NUM:
		if (a->n.is_int && b->n.is_int)
			return a->n.i == b->n.i;
		return a->n.d == b->n.d;
	case VAL_BOOL:
		return a->b == b->b;
	default:
		return false;
	}
}

static struct val array_item(const struct val *arr, size_t i)
{
	if (arr->kind == VAL_LIST)
		return val_of_lit(&arr->items[i]);
	return val_of_json(arr->json->u.array.values[i]);
}

static size_t array_len(const struct val *arr)
{
	return arr->kind == VAL_LIST ? arr->nitems : arr->json->u.array.len;
}

static bool array_has(const struct val *arr, const struct val *x)
{
	size_t n = array_len(arr);

	for (size_t i = 0; i < n; i++) {
		struct val item = array_item(arr, i);

		if (scalar_eq(&item, x))
			return true;
	}
	return false;
}

static bool ordered(enum expr_op op, const struct val *l, const struct val *r)
{
	int c;

	if (l->kind == VAL_NUM && r->kind == VAL_NUM)
		c = num_cmp(&l->n, &r->n);
	else if (l->kind == VAL_STR && r->kind == VAL_STR)
		c = strcmp(l->s, r->s);
	else
		return false;
	switch (op) {
	case EXPR_OP_GT: return c > 0;
	case EXPR_OP_GE: return c >= 0;
	case EXPR_OP_LT: return c < 0;
	case EXPR_OP_LE: return c <= 0;
	default: return false;
	}
}

static bool compare(enum expr_op op, const struct val *l, const struct val *r)
{
	switch (op) {
	case EXPR_OP_EQ:
		return is_scalar(l) && is_scalar(r) && scalar_eq(l, r);
	case EXPR_OP_NE:
		/* A missing key differs from every value; arrays and objects
		 * are not scalars, so != on them is false like every scalar
		 * operator. */
		if (is_array(l) || is_array(r) || l->kind == VAL_OBJECT || r->kind == VAL_OBJECT)
			return false;
		if (l->kind == VAL_NULL || r->kind == VAL_NULL)
			return true;
		return !scalar_eq(l, r);
	case EXPR_OP_GT:
	case EXPR_OP_GE:
	case EXPR_OP_LT:
	case EXPR_OP_LE:
		return ordered(op, l, r);
	case EXPR_OP_CONTAINS:
		return l->kind == VAL_STR && r->kind == VAL_STR && strstr(l->s, r->s) != NULL;
	case EXPR_OP_HAS:
		return is_array(l) && is_scalar(r) && array_has(l, r);
	case EXPR_OP_IN:
		return is_array(r) && is_scalar(l) && array_has(r, l);
	case EXPR_OP_NOT_IN:
		if (!is_array(r))
			return false;
		if (l->kind == VAL_NULL)
			return true;
		return is_scalar(l) && !array_has(r, l);
	}
	return false;
}

bool expr_node_eval(const struct expr_node *n, yajl_val attrs, yajl_val fields)
{
	switch (n->kind) {
	case EXPR_NODE_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (expr_node_eval(n->kids[i], attrs, fields))
				return true;
		return false;
	case EXPR_NODE_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!expr_node_eval(n->kids[i], attrs, fields))
				return false;
		return true;
	case EXPR_NODE_CMP: {
		struct val l = resolve(&n->lhs, attrs, fields);
		struct val r = resolve(&n->rhs, attrs, fields);

		return compare(n->op, &l, &r);
	}
	}
	return false;
}

bool expr_node_tautology(const struct expr_node *n)
{
	switch (n->kind) {
	case EXPR_NODE_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (expr_node_tautology(n->kids[i]))
				return true;
		return false;
	case EXPR_NODE_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!expr_node_tautology(n->kids[i]))
				return false;
		return true;
	case EXPR_NODE_CMP:
		/* Only constants: the result is the same for every worker. */
		if (n->lhs.kind == EXPR_OPERAND_REF || n->rhs.kind == EXPR_OPERAND_REF)
			return false;
		return expr_node_eval(n, NULL, NULL);
	}
	return false;
}
