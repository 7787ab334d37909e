#include "config.h"
#include "expr.h"

#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "clocale.h"
#include "expr-tree.h"
#include "xalloc.h"

/* The tree is allocated from one arena per expression: it is freed in
 * one sweep, a failed parse cleans up without walking a half-built tree,
 * and the nodes sit close together for the evaluator. */
struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

struct expr {
	struct arena_block *blocks;
	const struct expr_node *root;
	bool tautology;
};

#define ARENA_BLOCK 4096

static void *arena_alloc(struct expr *e, size_t n)
{
	struct arena_block *b = e->blocks;
	size_t align = _Alignof(max_align_t);

	n = (n + align - 1) / align * align;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = xcalloc(1, sizeof *b + cap);
		b->cap = cap;
		b->next = e->blocks;
		e->blocks = b;
	}
	void *p = (unsigned char *)b->data + b->used;
	b->used += n;
	return p;
}

static char *arena_strndup(struct expr *e, const char *s, size_t n)
{
	char *d = arena_alloc(e, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- lexer ---------------------------------------------------------- */

enum tok_kind {
	TK_EOF,
	TK_ERROR,
	TK_STR,
	TK_NUM,
	TK_REF,
	TK_TRUE,
	TK_FALSE,
	TK_AND,
	TK_OR,
	TK_NOT,
	TK_OP,
	TK_LPAREN,
	TK_RPAREN,
	TK_LBRACK,
	TK_RBRACK,
	TK_COMMA,
};

struct tok {
	enum tok_kind kind;
	size_t off, len;	/* bytes of the source */
	enum expr_op op;	/* TK_OP */
	const char *opname;	/* TK_OP, as shown in messages */
	bool is_int;		/* TK_NUM without fraction or exponent */
};

struct parser {
	const char *src;
	size_t len;
	size_t pos;
	struct tok tok;
	bool prev_word;		/* the previous token was a name or keyword */
	size_t prev_end;
	struct expr *e;
	struct expr_error *err;
	bool failed;
};

static const struct keyword {
	const char *word;
	enum tok_kind kind;
	enum expr_op op;
} keywords[] = {
	{ "AND", TK_AND, EXPR_OP_EQ },
	{ "OR", TK_OR, EXPR_OP_EQ },
	{ "NOT", TK_NOT, EXPR_OP_EQ },
	{ "HAS", TK_OP, EXPR_OP_HAS },
	{ "IN", TK_OP, EXPR_OP_IN },
	{ "CONTAINS", TK_OP, EXPR_OP_CONTAINS },
	{ "TRUE", TK_TRUE, EXPR_OP_EQ },
	{ "FALSE", TK_FALSE, EXPR_OP_EQ },
};

/* Worker fields (not attributes) a reference may name, PROTOCOL.md 5. */
static const char *const worker_fields[] = {
	"sid", "friendly_name", "activity_sid", "activity_name",
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || is_digit(c);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int col_of(const struct parser *p, size_t off)
{
	int col = 1;

	for (size_t i = 0; i < off && i < p->len; i++)
		if (((unsigned char)p->src[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* Source text for a message: one line, at most 24 characters. */
static char *show(const struct parser *p, size_t off, size_t len)
{
	enum { MAX_CHARS = 24 };
	char *out = xmalloc(len + 4);
	size_t o = 0, chars = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p->src[off + i];

		if ((c & 0xC0) != 0x80 && chars++ == MAX_CHARS) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	out[o] = '\0';
	return out;
}

/* Source text quoted for a message: 'foo', or a string as it was typed. */
static char *quoted(const struct parser *p, size_t off, size_t len)
{
	char *s = show(p, off, len);

	if (p->src[off] == '"' || p->src[off] == '\'')
		return s;
	char *q = xasprintf("'%s'", s);
	free(s);
	return q;
}

__attribute__((format(printf, 3, 4)))
static void fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	p->tok.kind = TK_ERROR;
	if (p->failed)
		return;
	p->failed = true;
	if (!p->err)
		return;
	p->err->col = col_of(p, off);
	va_start(ap, fmt);
	p->err->msg = xvasprintf(fmt, ap);
	va_end(ap);
}

static void lex_string(struct parser *p, size_t i)
{
	char q = p->src[i];
	size_t j = i + 1;

	while (j < p->len && p->src[j] != q)
		j += (p->src[j] == '\\') ? 2 : 1;
	if (j >= p->len) {
		fail(p, i, "unterminated string");
		return;
	}
	p->tok.kind = TK_STR;
	p->tok.len = j + 1 - i;
}

static void lex_number(struct parser *p, size_t i)
{
	const char *s = p->src;
	size_t j = i;

	p->tok.is_int = true;
	if (s[j] == '-')
		j++;
	while (is_digit(s[j]))
		j++;
	if (s[j] == '.') {
		if (!is_digit(s[j + 1])) {
			fail(p, j + 1, "expected a digit after '.' in a number");
			return;
		}
		j++;
		while (is_digit(s[j]))
			j++;
		p->tok.is_int = false;
	}
	if (s[j] == 'e' || s[j] == 'E') {
		size_t k = j + 1;

		if (s[k] == '+' || s[k] == '-')
			k++;
		if (is_digit(s[k])) {
			while (is_digit(s[k]))
				k++;
			j = k;
			p->tok.is_int = false;
		}
	}
	if (is_name_char(s[j]) || s[j] == '.') {
		size_t end = j;

		while (is_name_char(s[end]) || s[end] == '.')
			end++;
		char *t = show(p, i, end - i);
		fail(p, i, "invalid number '%s'", t);
		free(t);
		return;
	}
	p->tok.kind = TK_NUM;
	p->tok.len = j - i;
}

/* A name with its ".key" and "[n]" steps is one token, so that spaces
 * cannot split a path and a hyphen is caught where it is typed. */
static void lex_word(struct parser *p, size_t i)
{
	const char *s = p->src;
	size_t j = i;

	while (is_name_char(s[j]))
		j++;
	for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
		const struct keyword *kw = &keywords[k];

		if (strlen(kw->word) == j - i && strncasecmp(kw->word, s + i, j - i) == 0) {
			p->tok.kind = kw->kind;
			p->tok.op = kw->op;
			p->tok.opname = kw->word;
			p->tok.len = j - i;
			return;
		}
	}
	for (;;) {
		if (s[j] == '.') {
			if (!is_name_start(s[j + 1])) {
				fail(p, j + 1, is_digit(s[j + 1]) ?
				     "use [n] for an array element, not .n" :
				     "expected an attribute name after '.'");
				return;
			}
			j++;
			while (is_name_char(s[j]))
				j++;
		} else if (s[j] == '[') {
			size_t k = j + 1, digits = 0;

			while (is_digit(s[k])) {
				k++;
				digits++;
			}
			if (digits == 0) {
				fail(p, j + 1, "expected an array index such as [0] after '['");
				return;
			}
			if (digits > 9) {
				fail(p, j + 1, "array index too large");
				return;
			}
			if (s[k] != ']') {
				fail(p, k, "expected ']' after the array index");
				return;
			}
			j = k + 1;
		} else {
			break;
		}
	}
	p->tok.kind = TK_REF;
	p->tok.len = j - i;
}

static void set_op(struct parser *p, enum expr_op op, const char *name)
{
	p->tok.kind = TK_OP;
	p->tok.op = op;
	p->tok.opname = name;
	p->tok.len = strlen(name);
}

static void next(struct parser *p)
{
	const char *s = p->src;
	size_t i = p->pos;

	if (p->failed)
		return;
	p->prev_word = p->tok.kind == TK_REF || p->tok.kind == TK_TRUE ||
		       p->tok.kind == TK_FALSE || p->tok.kind == TK_AND ||
		       p->tok.kind == TK_OR || p->tok.kind == TK_NOT ||
		       (p->tok.kind == TK_OP && is_name_start(s[p->tok.off]));
	p->prev_end = p->tok.off + p->tok.len;
	while (i < p->len && is_space(s[i]))
		i++;
	p->tok.off = i;
	p->tok.len = 1;
	p->tok.opname = NULL;
	if (i >= p->len) {
		p->tok.kind = TK_EOF;
		p->tok.len = 0;
		p->pos = i;
		return;
	}
	switch (s[i]) {
	case '(': p->tok.kind = TK_LPAREN; break;
	case ')': p->tok.kind = TK_RPAREN; break;
	case '[': p->tok.kind = TK_LBRACK; break;
	case ']': p->tok.kind = TK_RBRACK; break;
	case ',': p->tok.kind = TK_COMMA; break;
	case '=':
		set_op(p, EXPR_OP_EQ, s[i + 1] == '=' ? "==" : "=");
		break;
	case '!':
		if (s[i + 1] == '=')
			set_op(p, EXPR_OP_NE, "!=");
		else
			fail(p, i, "unexpected '!' (use != or NOT IN)");
		break;
	case '>':
		if (s[i + 1] == '=')
			set_op(p, EXPR_OP_GE, ">=");
		else if (s[i + 1] == '-')
			set_op(p, EXPR_OP_HAS, ">-");
		else
			set_op(p, EXPR_OP_GT, ">");
		break;
	case '<':
		if (s[i + 1] == '=')
			set_op(p, EXPR_OP_LE, "<=");
		else if (s[i + 1] == '-')
			set_op(p, EXPR_OP_IN, "<-");
		else
			set_op(p, EXPR_OP_LT, "<");
		break;
	case '"':
	case '\'':
		lex_string(p, i);
		break;
	case '-':
		if (p->prev_word && p->prev_end == i)
			fail(p, i, "hyphens are not allowed in attribute names");
		else if (is_digit(s[i + 1]))
			lex_number(p, i);
		else
			fail(p, i, "unexpected '-'");
		break;
	case '&':
		fail(p, i, "unexpected '&' (use AND)");
		break;
	case '|':
		fail(p, i, "unexpected '|' (use OR)");
		break;
	default:
		if (is_digit(s[i])) {
			lex_number(p, i);
		} else if (is_name_start(s[i])) {
			lex_word(p, i);
		} else {
			size_t n = 1;

			while (i + n < p->len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
				n++;
			char *t = show(p, i, n);
			fail(p, i, "unexpected character '%s'", t);
			free(t);
		}
		break;
	}
	if (!p->failed)
		p->pos = i + p->tok.len;
}

/* ---- constants and references ---------------------------------------- */

static char *unescape(struct expr *e, const char *s, size_t n)
{
	char *d = arena_alloc(e, n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\\' && i + 1 < n) {
			c = s[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'r')
				c = '\r';
		}
		d[o++] = c;
	}
	d[o] = '\0';
	return d;
}

/* Numbers are written with '.', whatever LC_NUMERIC the program runs in. */
static double c_strtod(const char *s)
{
	double d;

	locale_t old = uselocale(c_locale());
	d = strtod(s, NULL);
	uselocale(old);
	return d;
}

static struct expr_num number_of(struct parser *p, const struct tok *t)
{
	struct expr_num n = { .is_int = false };
	char *text = xstrndup(p->src + t->off, t->len);

	if (t->is_int) {
		errno = 0;
		long long v = strtoll(text, NULL, 10);

		/* Beyond int64 the number is still valid, as a double. */
		if (errno == 0) {
			n.is_int = true;
			n.i = v;
			n.d = (double)v;
		}
	}
	if (!n.is_int)
		n.d = c_strtod(text);
	free(text);
	return n;
}

static bool lit_of_token(struct parser *p, struct expr_lit *l)
{
	const struct tok *t = &p->tok;

	switch (t->kind) {
	case TK_STR:
		l->kind = EXPR_LIT_STR;
		l->s = unescape(p->e, p->src + t->off + 1, t->len - 2);
		return true;
	case TK_NUM:
		l->kind = EXPR_LIT_NUM;
		l->n = number_of(p, t);
		return true;
	case TK_TRUE:
	case TK_FALSE:
		l->kind = EXPR_LIT_BOOL;
		l->b = t->kind == TK_TRUE;
		return true;
	default:
		return false;
	}
}

static bool ref_of_token(struct parser *p, struct expr_operand *o)
{
	const char *s = p->src + p->tok.off;
	size_t n = p->tok.len, nsegs = 1;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '.' || s[i] == '[')
			nsegs++;

	struct expr_seg *segs = arena_alloc(p->e, nsegs * sizeof *segs);
	size_t k = 0, i = 0;

	while (i < n) {
		if (s[i] == '[') {
			size_t idx = 0;

			for (i++; s[i] != ']'; i++)
				idx = idx * 10 + (size_t)(s[i] - '0');
			segs[k++].index = idx;
			i++;
		} else {
			if (s[i] == '.')
				i++;
			size_t start = i;

			while (i < n && is_name_char(s[i]))
				i++;
			segs[k++].key = arena_strndup(p->e, s + start, i - start);
		}
	}
	if (k > 1 && segs[1].key && strcmp(segs[0].key, "task") == 0) {
		fail(p, p->tok.off, "task attributes cannot be used in TargetWorkers, "
		     "only worker attributes");
		return false;
	}
	if (k > 1 && segs[1].key && strcmp(segs[0].key, "worker") == 0) {
		segs++;
		k--;
	}
	o->kind = EXPR_OPERAND_REF;
	o->segs = segs;
	o->nsegs = k;
	for (size_t f = 0; f < sizeof worker_fields / sizeof worker_fields[0]; f++)
		if (strcmp(segs[0].key, worker_fields[f]) == 0)
			o->worker_field = true;
	return true;
}

/* ---- parser ------------------------------------------------------------ */

enum operand_result { OPERAND_OK, OPERAND_NONE, OPERAND_FAILED };

static enum operand_result parse_list(struct parser *p, struct expr_operand *o)
{
	size_t open = p->tok.off, n = 0, cap = 0;
	struct expr_lit *items = NULL;

	next(p);
	while (p->tok.kind != TK_RBRACK) {
		if (n > 0) {
			if (p->tok.kind != TK_COMMA) {
				if (p->tok.kind == TK_ERROR) {
					/* already reported */
				} else if (p->tok.kind == TK_EOF) {
					fail(p, p->tok.off, "expected ']' to close the list opened at col %d",
					     col_of(p, open));
				} else {
					char *t = quoted(p, p->tok.off, p->tok.len);
					fail(p, p->tok.off, "expected ',' or ']' in the list, found %s", t);
					free(t);
				}
				goto failed;
			}
			next(p);
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			items = xreallocarray(items, cap, sizeof *items);
		}
		memset(&items[n], 0, sizeof items[n]);
		if (!lit_of_token(p, &items[n])) {
			if (p->tok.kind == TK_ERROR) {
				/* already reported */
			} else if (p->tok.kind == TK_LBRACK) {
				fail(p, p->tok.off, "lists cannot be nested");
			} else if (p->tok.kind == TK_EOF) {
				fail(p, p->tok.off, "expected ']' to close the list opened at col %d",
				     col_of(p, open));
			} else {
				char *t = quoted(p, p->tok.off, p->tok.len);
				fail(p, p->tok.off, "lists hold only strings, numbers and true/false, found %s", t);
				free(t);
			}
			goto failed;
		}
		n++;
		next(p);
	}
	struct expr_lit *copy = arena_alloc(p->e, (n ? n : 1) * sizeof *copy);

	if (n)
		memcpy(copy, items, n * sizeof *copy);
	free(items);
	o->kind = EXPR_OPERAND_LIST;
	o->items = copy;
	o->nitems = n;
	next(p);
	return OPERAND_OK;
failed:
	free(items);
	return OPERAND_FAILED;
}

static enum operand_result parse_operand(struct parser *p, struct expr_operand *o)
{
	switch (p->tok.kind) {
	case TK_STR:
	case TK_NUM:
	case TK_TRUE:
	case TK_FALSE:
		o->kind = EXPR_OPERAND_LIT;
		lit_of_token(p, &o->lit);
		next(p);
		return OPERAND_OK;
	case TK_REF:
		if (!ref_of_token(p, o))
			return OPERAND_FAILED;
		next(p);
		return OPERAND_OK;
	case TK_LBRACK:
		return parse_list(p, o);
	case TK_ERROR:
		return OPERAND_FAILED;
	default:
		return OPERAND_NONE;
	}
}

/* The message for a missing comparison; after is "AND", "OR" or NULL. */
static void fail_no_expression(struct parser *p, const char *after)
{
	const struct tok *t = &p->tok;

	if (t->kind == TK_ERROR)
		return;
	if (t->kind == TK_NOT) {
		fail(p, t->off, "there is no NOT operator: use != or NOT IN");
		return;
	}
	if (t->kind == TK_OP) {
		fail(p, t->off, "expected a value before %s", t->opname);
		return;
	}
	char *what = after ? xasprintf("a comparison after %s", after) :
			     xstrdup("an expression");

	if (t->kind == TK_EOF) {
		fail(p, t->off, "expected %s", what);
	} else {
		char *found = quoted(p, t->off, t->len);
		fail(p, t->off, "expected %s, found %s", what, found);
		free(found);
	}
	free(what);
}

/* Spellings from other languages that a supervisor may type. */
static const struct {
	const char *typed, *use;
} misspelt_ops[] = {
	{ "=>", ">=" }, { "=<", "<=" }, { "<>", "!=" }, { "===", "==" }, { "!==", "!=" },
};

/* The message for an operator with nothing usable after it. */
static void fail_no_value(struct parser *p, size_t op_off, const char *opname, enum expr_op op)
{
	const struct tok *t = &p->tok;

	if (t->kind == TK_OP && t->off == p->prev_end && !is_name_start(p->src[t->off]) &&
	    !is_name_start(p->src[op_off])) {
		size_t n = t->off + t->len - op_off;

		for (size_t i = 0; i < sizeof misspelt_ops / sizeof misspelt_ops[0]; i++) {
			if (strlen(misspelt_ops[i].typed) == n &&
			    strncmp(misspelt_ops[i].typed, p->src + op_off, n) == 0) {
				fail(p, op_off, "unknown operator '%s' (use %s)",
				     misspelt_ops[i].typed, misspelt_ops[i].use);
				return;
			}
		}
		char *typed = show(p, op_off, n);
		fail(p, op_off, "unknown operator '%s'", typed);
		free(typed);
		return;
	}
	if (t->kind == TK_LPAREN && (op == EXPR_OP_IN || op == EXPR_OP_NOT_IN)) {
		fail(p, t->off, "lists use brackets: %s [\"a\", \"b\"]", opname);
		return;
	}
	fail(p, t->off, "expected a value after %s", opname);
}

static const struct expr_node *parse_or(struct parser *p, int depth);

static const struct expr_node *parse_cmp(struct parser *p, int depth, const char *after)
{
	if (p->tok.kind == TK_LPAREN) {
		size_t open = p->tok.off;

		if (depth >= EXPR_MAX_DEPTH) {
			fail(p, open, "too many nested parentheses (at most %d)", EXPR_MAX_DEPTH);
			return NULL;
		}
		next(p);
		const struct expr_node *inner = parse_or(p, depth + 1);

		if (!inner)
			return NULL;
		if (p->tok.kind != TK_RPAREN) {
			fail(p, p->tok.off, "expected ')' to close the '(' at col %d", col_of(p, open));
			return NULL;
		}
		next(p);
		return inner;
	}

	struct expr_node *n = arena_alloc(p->e, sizeof *n);
	size_t lhs_off = p->tok.off;

	n->kind = EXPR_NODE_CMP;
	switch (parse_operand(p, &n->lhs)) {
	case OPERAND_OK:
		break;
	case OPERAND_NONE:
		fail_no_expression(p, after);
		return NULL;
	case OPERAND_FAILED:
		return NULL;
	}

	const char *opname;
	size_t op_off = p->tok.off;

	if (p->tok.kind == TK_OP) {
		n->op = p->tok.op;
		opname = p->tok.opname;
		next(p);
	} else if (p->tok.kind == TK_NOT) {
		next(p);
		if (p->tok.kind != TK_OP || p->tok.op != EXPR_OP_IN) {
			fail(p, p->tok.off, "expected IN after NOT");
			return NULL;
		}
		n->op = EXPR_OP_NOT_IN;
		opname = "NOT IN";
		next(p);
	} else {
		if (p->tok.kind == TK_ERROR)
			return NULL;
		char *lhs = quoted(p, lhs_off, p->prev_end - lhs_off);

		if (p->tok.kind == TK_EOF) {
			fail(p, p->tok.off, "expected an operator (==, !=, <, >, HAS, IN, CONTAINS ...) after %s", lhs);
		} else {
			char *found = quoted(p, p->tok.off, p->tok.len);
			fail(p, p->tok.off, "expected an operator after %s, found %s", lhs, found);
			free(found);
		}
		free(lhs);
		return NULL;
	}

	switch (parse_operand(p, &n->rhs)) {
	case OPERAND_OK:
		return n;
	case OPERAND_NONE:
		fail_no_value(p, op_off, opname, n->op);
		return NULL;
	case OPERAND_FAILED:
	default:
		return NULL;
	}
}

/* One level of AND or OR: n-ary, so long chains add no depth.  after
 * names the keyword before the chain, for messages. */
static const struct expr_node *parse_chain(struct parser *p, int depth, enum tok_kind sep,
					   const char *after)
{
	const struct expr_node **kids = NULL, *kid;
	size_t n = 0, cap = 0;

	for (;;) {
		kid = sep == TK_OR ? parse_chain(p, depth, TK_AND, after) :
				     parse_cmp(p, depth, after);
		if (!kid)
			goto failed;
		if (sep == TK_AND && p->tok.kind != TK_AND && p->tok.kind != TK_OR &&
		    p->tok.kind != TK_RPAREN && p->tok.kind != TK_EOF) {
			if (p->tok.kind != TK_ERROR) {
				char *found = quoted(p, p->tok.off, p->tok.len);
				fail(p, p->tok.off, "expected AND or OR, found %s", found);
				free(found);
			}
			goto failed;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			kids = xreallocarray(kids, cap, sizeof *kids);
		}
		kids[n++] = kid;
		if (p->tok.kind != sep)
			break;
		after = sep == TK_AND ? "AND" : "OR";
		next(p);
	}
	if (n == 1) {
		kid = kids[0];
		free(kids);
		return kid;
	}

	struct expr_node *node = arena_alloc(p->e, sizeof *node);
	const struct expr_node **copy = arena_alloc(p->e, n * sizeof *copy);

	memcpy(copy, kids, n * sizeof *copy);
	free(kids);
	node->kind = sep == TK_OR ? EXPR_NODE_OR : EXPR_NODE_AND;
	node->kids = copy;
	node->nkids = n;
	return node;
failed:
	free(kids);
	return NULL;
}

static const struct expr_node *parse_or(struct parser *p, int depth)
{
	return parse_chain(p, depth, TK_OR, NULL);
}

/* ---- public API -------------------------------------------------------- */

struct expr *expr_parse(const char *src, struct expr_error *err)
{
	struct expr *e = xcalloc(1, sizeof *e);
	struct parser p = {
		.src = src ? src : "",
		.e = e,
		.err = err,
	};

	p.len = strlen(p.src);
	p.tok.kind = TK_EOF;
	next(&p);

	const struct expr_node *root = parse_or(&p, 0);

	if (root && p.tok.kind == TK_RPAREN)
		fail(&p, p.tok.off, "unexpected ')'");
	if (!root || p.failed) {
		expr_free(&e);
		return NULL;
	}
	e->root = root;
	e->tautology = expr_node_tautology(root);
	return e;
}

bool expr_eval(const struct expr *e, yajl_val attrs, yajl_val fields)
{
	if (!e)
		return false;
	if (e->tautology)
		return true;
	return expr_node_eval(e->root, attrs, fields);
}

bool expr_is_tautology(const struct expr *e)
{
	return e && e->tautology;
}

void expr_free(struct expr **e)
{
	if (!e || !*e)
		return;
	for (struct arena_block *b = (*e)->blocks, *nb; b; b = nb) {
		nb = b->next;
		free(b);
	}
	XFREE(*e);
}

char *expr_error_text(const struct expr_error *err)
{
	if (!err || !err->msg)
		return xstrdup("");
	if (err->col <= 0)
		return xstrdup(err->msg);
	return xasprintf("col %d: %s", err->col, err->msg);
}

void expr_error_clear(struct expr_error *err)
{
	if (!err)
		return;
	XFREE(err->msg);
	err->col = 0;
}
