/* Eligibility: which workers a queue's TargetWorkers selects, the
 * per-queue worker counters, and the idle lists routing draws from.
 *
 * Evaluating every expression against every worker is Q x W work (10^9
 * for the 10,000 x 100,000 benchmark workspace), so candidates come from
 * an index of top-level string attributes ("skills" -> "sales" -> workers)
 * whenever the expression is a pure conjunction containing a test of the
 * form  key HAS "v"  or  key == "v".  The index only narrows the set:
 * every candidate is still checked with expr_eval(), so the result is the
 * evaluator's, exactly.  Keys and values are indexed lower-cased, which
 * keeps the candidates a superset whatever case rules the evaluator uses.
 */
#include "config.h"
#include "sim-engine.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expr.h"
#include "xalloc.h"

/* ---- attribute index ---------------------------------------------------- */

static void lower_append(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(b, (char)tolower((unsigned char)s[i]));
}

static void index_key(struct buf *b, const char *key, size_t klen, const char *val, size_t vlen)
{
	buf_reset(b);
	lower_append(b, key, klen);
	buf_putc(b, '\x1f');
	lower_append(b, val, vlen);
}

static void post(struct sim_engine *e, struct buf *key, uint32_t wi)
{
	int64_t slot;
	struct sim_posting *p;

	if (!sim_hash_get(&e->attr_index, buf_cstr(key), &slot)) {
		if (e->n_postings == e->cap_postings) {
			e->cap_postings = e->cap_postings ? e->cap_postings * 2 : 256;
			e->postings = xreallocarray(e->postings, e->cap_postings, sizeof *e->postings);
		}
		slot = (int64_t)e->n_postings++;
		e->postings[slot] = (struct sim_posting){ NULL, 0, 0 };
		sim_hash_put(&e->attr_index, buf_cstr(key), slot);
	}
	p = &e->postings[slot];
	if (p->n && p->v[p->n - 1] == wi)
		return;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	p->v[p->n++] = wi;
}

void elig_build_index(struct sim_engine *e)
{
	struct buf key = BUF_INIT;

	for (size_t wi = 0; wi < e->n_workers; wi++) {
		yajl_val a = e->workers[wi].attrs;
		if (!YAJL_IS_OBJECT(a))
			continue;
		for (size_t i = 0; i < a->u.object.len; i++) {
			const char *k = a->u.object.keys[i];
			yajl_val v = a->u.object.values[i];
			if (YAJL_IS_STRING(v)) {
				index_key(&key, k, strlen(k), v->u.string, strlen(v->u.string));
				post(e, &key, (uint32_t)wi);
			} else if (YAJL_IS_ARRAY(v)) {
				for (size_t j = 0; j < v->u.array.len; j++) {
					yajl_val x = v->u.array.values[j];
					if (!YAJL_IS_STRING(x))
						continue;
					index_key(&key, k, strlen(k), x->u.string, strlen(x->u.string));
					post(e, &key, (uint32_t)wi);
				}
			}
		}
	}
	buf_free(&key);
}

void elig_free_index(struct sim_engine *e)
{
	for (size_t i = 0; i < e->n_postings; i++)
		free(e->postings[i].v);
	free(e->postings);
	e->postings = NULL;
	e->n_postings = e->cap_postings = 0;
	sim_hash_free(&e->attr_index);
}

/* ---- expression scan for an indexable conjunct ---------------------------- */

enum tk { TK_WORD, TK_STRING, TK_OP, TK_OPEN, TK_CLOSE, TK_OTHER, TK_END };

struct tok {
	enum tk kind;
	const char *s;
	size_t n;		/* for strings: the contents without quotes */
};

static struct tok next_tok(const char **pp)
{
	const char *p = *pp;
	struct tok t = { TK_END, p, 0 };

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	t.s = p;
	if (!*p) {
		*pp = p;
		return t;
	}
	if (*p == '"' || *p == '\'') {
		const char *q = strchr(p + 1, *p);
		if (!q) {
			t.kind = TK_OTHER;
			*pp = p + strlen(p);
			return t;
		}
		t.kind = TK_STRING;
		t.s = p + 1;
		t.n = (size_t)(q - p - 1);
		*pp = q + 1;
		return t;
	}
	if (isalpha((unsigned char)*p) || *p == '_') {
		while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
			p++;
		t.kind = TK_WORD;
	} else if (strchr("=!<>-", *p)) {
		while (*p && strchr("=!<>-", *p))
			p++;
		t.kind = TK_OP;
	} else if (*p == '(' || *p == '[') {
		p++;
		t.kind = TK_OPEN;
	} else if (*p == ')' || *p == ']') {
		p++;
		t.kind = TK_CLOSE;
	} else {
		p++;
		t.kind = TK_OTHER;
	}
	t.n = (size_t)(p - t.s);
	*pp = p;
	return t;
}

static bool tok_is(const struct tok *t, const char *word)
{
	return t->n == strlen(word) && strncasecmp(t->s, word, t->n) == 0;
}

/* The smallest posting list of a necessary "key HAS/== string" test, or
 * NULL when the expression has no such conjunct (then every worker is a
 * candidate). */
static const struct sim_posting *candidates(const struct sim_engine *e, const char *src)
{
	static const struct sim_posting empty = { NULL, 0, 0 };
	const struct sim_posting *best = NULL;
	struct tok conj[4];
	size_t n = 0;
	int depth = 0;
	const char *p = src;
	struct buf key = BUF_INIT;

	if (strchr(src, '\\'))
		return NULL;
	for (;;) {
		struct tok t = next_tok(&p);

		if (t.kind == TK_WORD && (tok_is(&t, "OR") || tok_is(&t, "NOT")))
			return buf_free(&key), NULL;
		if (t.kind == TK_OPEN)
			depth++;
		if (t.kind == TK_CLOSE)
			depth--;
		if (t.kind == TK_END || (depth == 0 && t.kind == TK_WORD && tok_is(&t, "AND"))) {
			if (n == 3 && conj[0].kind == TK_WORD && conj[2].kind == TK_STRING &&
			    ((conj[1].kind == TK_WORD && tok_is(&conj[1], "HAS")) ||
			     (conj[1].kind == TK_OP && (tok_is(&conj[1], ">-") || tok_is(&conj[1], "==") ||
							tok_is(&conj[1], "="))))) {
				const char *k = conj[0].s;
				size_t kn = conj[0].n;
				int64_t slot;
				if (kn > 7 && strncasecmp(k, "worker.", 7) == 0) {
					k += 7;
					kn -= 7;
				}
				if (!memchr(k, '.', kn)) {
					index_key(&key, k, kn, conj[2].s, conj[2].n);
					const struct sim_posting *pl = sim_hash_get(&e->attr_index, buf_cstr(&key), &slot)
									       ? &e->postings[slot] : &empty;
					if (!best || pl->n < best->n)
						best = pl;
				}
			}
			n = 0;
			if (t.kind == TK_END)
				break;
			continue;
		}
		if (n < 4)
			conj[n] = t;
		n++;
	}
	buf_free(&key);
	return best;
}

/* ---- queue membership ---------------------------------------------------- */

bool elig_matches(const struct sim_engine *e, const struct expr *ex, uint32_t wi)
{
	const struct sim_worker *w = &e->workers[wi];

	return expr_eval(ex, w->attrs, w->fields);
}

static void idle_append(struct sim_queue *q, uint32_t ei)
{
	q->edges[ei].prev = q->idle_tail;
	q->edges[ei].next = -1;
	if (q->idle_tail >= 0)
		q->edges[q->idle_tail].next = (int32_t)ei;
	else
		q->idle_head = (int32_t)ei;
	q->idle_tail = (int32_t)ei;
	q->n_idle++;
}

static void idle_remove(struct sim_queue *q, uint32_t ei)
{
	struct sim_edge *ed = &q->edges[ei];

	if (ed->prev >= 0)
		q->edges[ed->prev].next = ed->next;
	else
		q->idle_head = ed->next;
	if (ed->next >= 0)
		q->edges[ed->next].prev = ed->prev;
	else
		q->idle_tail = ed->prev;
	ed->prev = ed->next = -1;
	q->n_idle--;
}

static void add_edge(struct sim_engine *e, uint32_t qi, uint32_t wi)
{
	struct sim_queue *q = &e->queues[qi];
	struct sim_worker *w = &e->workers[wi];

	if (q->n_edges == q->cap_edges) {
		q->cap_edges = q->cap_edges ? q->cap_edges * 2 : 16;
		q->edges = xreallocarray(q->edges, q->cap_edges, sizeof *q->edges);
	}
	q->edges[q->n_edges] = (struct sim_edge){ wi, -1, -1 };
	if (w->n_qlinks == w->cap_qlinks) {
		w->cap_qlinks = w->cap_qlinks ? w->cap_qlinks * 2 : 4;
		w->qlinks = xreallocarray(w->qlinks, w->cap_qlinks, sizeof *w->qlinks);
	}
	w->qlinks[w->n_qlinks++] = (struct sim_qlink){ qi, q->n_edges };
	q->by_activity[engine_worker_activity(w)]++;
	if (engine_worker_available(e, w))
		q->n_available++;
	q->n_edges++;
}

void elig_drop_queue(struct sim_engine *e, uint32_t qi)
{
	struct sim_queue *q = &e->queues[qi];

	for (uint32_t i = 0; i < q->n_edges; i++) {
		struct sim_worker *w = &e->workers[q->edges[i].worker];
		for (uint32_t j = 0; j < w->n_qlinks; j++) {
			if (w->qlinks[j].q == qi) {
				w->qlinks[j] = w->qlinks[--w->n_qlinks];
				break;
			}
		}
	}
	q->n_edges = 0;
	q->idle_head = q->idle_tail = -1;
	q->n_idle = q->n_available = 0;
	memset(q->by_activity, 0, e->n_activities * sizeof *q->by_activity);
}

struct idle_key {
	int64_t since;
	uint32_t worker;
};

static int by_idle_since(const void *a, const void *b)
{
	const struct idle_key *x = a, *y = b;

	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	return x->worker < y->worker ? -1 : x->worker > y->worker;
}

void elig_rebuild_queue(struct sim_engine *e, uint32_t qi)
{
	struct sim_queue *q = &e->queues[qi];
	bool all = expr_is_tautology(q->expr);
	const struct sim_posting *cand = all ? NULL : candidates(e, q->target_workers);
	size_t n = cand ? cand->n : e->n_workers;
	struct idle_key *idle;
	size_t n_idle = 0;

	elig_drop_queue(e, qi);
	for (size_t i = 0; i < n; i++) {
		uint32_t wi = cand ? cand->v[i] : (uint32_t)i;
		if (all || elig_matches(e, q->expr, wi))
			add_edge(e, qi, wi);
	}
	/* Idle workers keep their place: longest idle first. */
	idle = xcalloc(q->n_edges ? q->n_edges : 1, sizeof *idle);
	for (uint32_t i = 0; i < q->n_edges; i++) {
		const struct sim_worker *w = &e->workers[q->edges[i].worker];
		if (w->in_idle)
			idle[n_idle++] = (struct idle_key){ w->idle_since, q->edges[i].worker };
	}
	qsort(idle, n_idle, sizeof *idle, by_idle_since);
	for (size_t i = 0; i < n_idle; i++) {
		const struct sim_worker *w = &e->workers[idle[i].worker];
		for (uint32_t j = 0; j < w->n_qlinks; j++)
			if (w->qlinks[j].q == qi)
				idle_append(q, w->qlinks[j].edge);
	}
	free(idle);
}

void elig_sync_idle(struct sim_engine *e, uint32_t wi)
{
	struct sim_worker *w = &e->workers[wi];
	bool want = w->state == WS_IDLE && engine_worker_available(e, w);

	if (want == w->in_idle)
		return;
	w->in_idle = want;
	if (want)
		w->idle_since = e->now;
	for (uint32_t i = 0; i < w->n_qlinks; i++) {
		struct sim_queue *q = &e->queues[w->qlinks[i].q];
		if (want)
			idle_append(q, w->qlinks[i].edge);
		else
			idle_remove(q, w->qlinks[i].edge);
	}
}

void elig_activity_changed(struct sim_engine *e, uint32_t wi, int old_act, int new_act)
{
	const struct sim_worker *w = &e->workers[wi];
	int d = (int)e->activities[new_act].available - (int)e->activities[old_act].available;

	for (uint32_t i = 0; i < w->n_qlinks; i++) {
		struct sim_queue *q = &e->queues[w->qlinks[i].q];
		q->by_activity[old_act]--;
		q->by_activity[new_act]++;
		q->n_available = (uint32_t)((int)q->n_available + d);
	}
}
