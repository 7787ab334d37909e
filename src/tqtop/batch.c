#include "config.h"
#include "batch.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "buf.h"
#include "isotime.h"
#include "json.h"
#include "xalloc.h"

struct batch {
	struct engine *e;
	FILE *out;
	enum batch_format fmt;
	long count;
	long printed;
	int status;
	bool done;
	bool header;
	void (*stop)(void *ud);
	void *ud;
};

/* ---- the flat field list (text and tsv) ---------------------------------- */

typedef void (*field_fn)(void *ud, const char *name, const char *value);

struct emit {
	field_fn fn;
	void *ud;
	struct buf name;
};

static void put(struct emit *em, const char *name, const char *value)
{
	em->fn(em->ud, name, value);
}

static void put_str(struct emit *em, const char *name, const struct tq_opt_str *v)
{
	put(em, name, v->st == TQ_SET ? v->v : NULL);
}

static void put_i64(struct emit *em, const char *name, bool set, int64_t v)
{
	char s[32];

	snprintf(s, sizeof s, "%" PRId64, v);
	put(em, name, set ? s : NULL);
}

static void put_int(struct emit *em, const char *name, const struct tq_opt_int *v)
{
	put_i64(em, name, v->st == TQ_SET, v->v);
}

static void put_num(struct emit *em, const char *name, const struct tq_opt_num *v)
{
	char s[48];

	snprintf(s, sizeof s, "%.15g", v->v);
	put(em, name, v->st == TQ_SET ? s : NULL);
}

static void put_time(struct emit *em, const char *name, const struct tq_opt_time *v)
{
	char s[ISO8601_LEN];

	iso8601_format(v->v, s);
	put(em, name, v->st == TQ_SET ? s : NULL);
}

static void put_age(struct emit *em, const char *name, const struct tq_slot *slot, int64_t now)
{
	int64_t age = state_slot_age(slot, now);
	put_i64(em, name, age >= 0, age);
}

static void put_err(struct emit *em, const char *name, const struct tq_slot *slot)
{
	char *t = slot->err.kind != APIERR_NONE ? apierr_text(&slot->err) : NULL;
	put(em, name, t);
	free(t);
}

static void put_count(struct emit *em, const char *name, const struct tq_counts *c,
		      const char *key)
{
	int64_t n = 0;
	bool have = c->st == TQ_SET;

	if (have && !tq_counts_get(c, key, &n))
		n = 0;	/* a status the server did not list has no tasks */
	put_i64(em, name, have, n);
}

static void put_duration(struct emit *em, const char *prefix, const struct tq_duration *d)
{
	static const char *parts[] = { "avg", "min", "max", "total" };
	const struct tq_opt_num *v[] = { &d->avg, &d->min, &d->max, &d->total };

	for (size_t i = 0; i < 4; i++) {
		char *n = xasprintf("%s.%s", prefix, parts[i]);
		put_num(em, n, v[i]);
		free(n);
	}
}

static const struct tq_split *find_split(const struct tq_cumulative_stats *c, long t)
{
	char key[24];

	snprintf(key, sizeof key, "%ld", t);
	for (size_t i = 0; i < c->n_split_by_wait_time; i++)
		if (strcmp(c->split_by_wait_time[i].threshold, key) == 0)
			return &c->split_by_wait_time[i];
	return NULL;
}

static void g_counts_value(yajl_gen g, const struct tq_counts *c);
static void g_activities_value(yajl_gen g, const struct tq_realtime_stats *r);

/* A field whose value has keys or items of the server's choosing
 * (priorities, activities) is one field in the flat formats: its JSON, on
 * one line (yajl escapes tabs and newlines).  g: NULL when absent. */
static void put_json(struct emit *em, const char *name, yajl_gen g)
{
	char *text = g ? json_gen_finish(g, NULL) : NULL;

	put(em, name, text);
	free(text);
}

/* The flat field list (text and tsv): every field of the json record, in
 * its order, named by its path.  Documented in tqtop(1), BATCH OUTPUT. */
static void visit(const struct tq_state *s, int64_t now, struct emit *em)
{
	const struct tq_task_queue *q = &s->queue;
	const struct tq_realtime_stats *r = &s->realtime;
	const struct tq_cumulative_stats *c = &s->cumulative;
	char stamp[ISO8601_LEN];
	static const char *statuses[] = { "pending", "reserved", "assigned", "wrapping" };

	iso8601_format(s->tick_ms / 1000, stamp);
	put(em, "time", stamp);
	put_i64(em, "tick", true, (int64_t)s->tick);
	put(em, "queue.sid", s->queue_sid);
	put_str(em, "queue.friendly_name", &q->friendly_name);
	put_str(em, "queue.target_workers", &q->target_workers);
	put_int(em, "queue.max_reserved_workers", &q->max_reserved_workers);
	put_str(em, "queue.task_order", &q->task_order);
	put_str(em, "queue.reservation_activity_sid", &q->reservation_activity_sid);
	put_str(em, "queue.reservation_activity_name", &q->reservation_activity_name);
	put_str(em, "queue.assignment_activity_sid", &q->assignment_activity_sid);
	put_str(em, "queue.assignment_activity_name", &q->assignment_activity_name);
	put_time(em, "queue.date_created", &q->date_created);
	put_time(em, "queue.date_updated", &q->date_updated);
	put(em, "queue.deleted", s->queue_deleted ? "yes" : "no");
	put_age(em, "queue.age_ms", &s->queue_slot, now);
	put_err(em, "queue.error", &s->queue_slot);

	put_int(em, "realtime.total_tasks", &r->total_tasks);
	put_int(em, "realtime.total_available_workers", &r->total_available_workers);
	put_int(em, "realtime.total_eligible_workers", &r->total_eligible_workers);
	put_int(em, "realtime.longest_task_waiting_age", &r->longest_task_waiting_age);
	put_str(em, "realtime.longest_task_waiting_sid", &r->longest_task_waiting_sid);
	put_int(em, "realtime.longest_relative_task_age_in_queue",
		&r->longest_relative_task_age_in_queue);
	put_str(em, "realtime.longest_relative_task_sid_in_queue",
		&r->longest_relative_task_sid_in_queue);
	for (size_t i = 0; i < 4; i++) {
		char *n = xasprintf("realtime.tasks_by_status.%s", statuses[i]);
		put_count(em, n, &r->tasks_by_status, statuses[i]);
		free(n);
	}
	yajl_gen g = NULL;
	if (r->tasks_by_priority.st == TQ_SET)
		g_counts_value(g = json_gen_new(), &r->tasks_by_priority);
	put_json(em, "realtime.tasks_by_priority", g);
	g = NULL;
	if (r->activity_statistics_st == TQ_SET)
		g_activities_value(g = json_gen_new(), r);
	put_json(em, "realtime.activity_statistics", g);
	put_age(em, "realtime.age_ms", &s->realtime_slot, now);
	put_err(em, "realtime.error", &s->realtime_slot);

	put_i64(em, "cumulative.minutes", true, s->cumulative_window);
	put_time(em, "cumulative.start_time", &c->start_time);
	put_time(em, "cumulative.end_time", &c->end_time);
	put_num(em, "cumulative.avg_task_acceptance_time", &c->avg_task_acceptance_time);
	put_int(em, "cumulative.tasks_entered", &c->tasks_entered);
	put_int(em, "cumulative.tasks_completed", &c->tasks_completed);
	put_int(em, "cumulative.tasks_canceled", &c->tasks_canceled);
	put_int(em, "cumulative.tasks_deleted", &c->tasks_deleted);
	put_int(em, "cumulative.tasks_moved", &c->tasks_moved);
	put_int(em, "cumulative.reservations_created", &c->reservations_created);
	put_int(em, "cumulative.reservations_accepted", &c->reservations_accepted);
	put_int(em, "cumulative.reservations_rejected", &c->reservations_rejected);
	put_int(em, "cumulative.reservations_timed_out", &c->reservations_timed_out);
	put_int(em, "cumulative.reservations_canceled", &c->reservations_canceled);
	put_int(em, "cumulative.reservations_rescinded", &c->reservations_rescinded);
	put_duration(em, "cumulative.wait_duration_until_accepted", &c->wait_duration_until_accepted);
	put_duration(em, "cumulative.wait_duration_until_canceled", &c->wait_duration_until_canceled);
	put_duration(em, "cumulative.wait_duration_in_queue_until_accepted",
		     &c->wait_duration_in_queue_until_accepted);
	/* One set of columns per --sla threshold, so that tsv rows keep
	 * their width whatever the server sent. */
	for (size_t i = 0; i < s->n_sla; i++) {
		static const struct tq_opt_int none = { TQ_ABSENT, 0 };
		const struct tq_split *sp = find_split(c, s->sla[i]);
		const struct tq_opt_int *v[] = {
			sp ? &sp->above_tasks_canceled : &none,
			sp ? &sp->above_reservations_accepted : &none,
			sp ? &sp->below_tasks_canceled : &none,
			sp ? &sp->below_reservations_accepted : &none,
		};
		static const char *names[] = {
			"above.tasks_canceled", "above.reservations_accepted",
			"below.tasks_canceled", "below.reservations_accepted",
		};
		for (size_t k = 0; k < 4; k++) {
			char *n = xasprintf("cumulative.split_by_wait_time.%ld.%s", s->sla[i], names[k]);
			put_int(em, n, v[k]);
			free(n);
		}
	}
	put_age(em, "cumulative.age_ms", &s->cumulative_slot, now);
	put_err(em, "cumulative.error", &s->cumulative_slot);

	put(em, "bridge.status", bridge_status_name(s->bridge.status));
	put_i64(em, "bridge.attempt", true, s->bridge.attempt);
	put_i64(em, "bridge.frames", true, (int64_t)s->bridge.frames);
	if (s->token.have) {
		char exp[ISO8601_LEN];
		iso8601_format(s->token.exp, exp);
		put(em, "token.channel", s->token.channel);
		put(em, "token.expires", exp);
		put_i64(em, "token.seconds_left", true, state_token_seconds_left(s, now));
		put(em, "token.expired", s->token.expired ? "yes" : "no");
		put(em, "token.refresh_error", s->token.refresh_error);
	} else {
		put(em, "token.channel", NULL);
		put(em, "token.expires", NULL);
		put(em, "token.seconds_left", NULL);
		put(em, "token.expired", NULL);
		put(em, "token.refresh_error", NULL);
	}
	put(em, "rate_limited", s->backoff.rate_limited ? "yes" : "no");
}

/* ---- text and tsv -------------------------------------------------------- */

static void text_field(void *ud, const char *name, const char *value)
{
	FILE *fp = ud;

	fprintf(fp, "%-62s %s\n", name, value ? value : "-");
}

struct tsv {
	FILE *fp;
	bool first;
	bool names;
};

/* Tabs and newlines would break the row. */
static void tsv_value(FILE *fp, const char *v)
{
	for (; *v; v++)
		fputc(*v == '\t' || *v == '\n' || *v == '\r' ? ' ' : *v, fp);
}

static void tsv_field(void *ud, const char *name, const char *value)
{
	struct tsv *t = ud;

	if (!t->first)
		fputc('\t', t->fp);
	t->first = false;
	if (t->names)
		fputs(name, t->fp);
	else
		tsv_value(t->fp, value ? value : "-");
}

/* ---- json ------------------------------------------------------------------ */

static void g_opt_str(yajl_gen g, const char *k, const struct tq_opt_str *v)
{
	json_gen_key(g, k);
	if (v->st == TQ_SET)
		json_gen_str(g, v->v);
	else
		yajl_gen_null(g);
}

static void g_opt_int(yajl_gen g, const char *k, const struct tq_opt_int *v)
{
	json_gen_key(g, k);
	if (v->st == TQ_SET)
		yajl_gen_integer(g, v->v);
	else
		yajl_gen_null(g);
}

static void g_opt_num(yajl_gen g, const char *k, const struct tq_opt_num *v)
{
	json_gen_key(g, k);
	if (v->st == TQ_SET)
		yajl_gen_double(g, v->v);
	else
		yajl_gen_null(g);
}

static void g_opt_time(yajl_gen g, const char *k, const struct tq_opt_time *v)
{
	char s[ISO8601_LEN];

	json_gen_key(g, k);
	if (v->st == TQ_SET) {
		iso8601_format(v->v, s);
		json_gen_str(g, s);
	} else {
		yajl_gen_null(g);
	}
}

static void g_age(yajl_gen g, const struct tq_slot *slot, int64_t now)
{
	int64_t age = state_slot_age(slot, now);

	json_gen_key(g, "age_ms");
	if (age >= 0)
		yajl_gen_integer(g, age);
	else
		yajl_gen_null(g);
	json_gen_key(g, "error");
	if (slot->err.kind == APIERR_NONE) {
		yajl_gen_null(g);
		return;
	}
	yajl_gen_map_open(g);
	json_gen_key(g, "kind");
	json_gen_str(g, apierr_kind_name(slot->err.kind));
	json_gen_key(g, "code");
	if (slot->err.code)
		yajl_gen_integer(g, slot->err.code);
	else
		yajl_gen_null(g);
	json_gen_key(g, "status");
	if (slot->err.http_status)
		yajl_gen_integer(g, slot->err.http_status);
	else
		yajl_gen_null(g);
	json_gen_key(g, "message");
	json_gen_str(g, slot->err.message ? slot->err.message : "");
	yajl_gen_map_close(g);
}

static void g_counts_value(yajl_gen g, const struct tq_counts *c)
{
	yajl_gen_map_open(g);
	for (size_t i = 0; i < c->n; i++) {
		json_gen_key(g, c->items[i].key);
		yajl_gen_integer(g, c->items[i].n);
	}
	yajl_gen_map_close(g);
}

static void g_counts(yajl_gen g, const char *k, const struct tq_counts *c)
{
	json_gen_key(g, k);
	if (c->st != TQ_SET)
		yajl_gen_null(g);
	else
		g_counts_value(g, c);
}

static void g_activities_value(yajl_gen g, const struct tq_realtime_stats *r)
{
	yajl_gen_array_open(g);
	for (size_t i = 0; i < r->n_activity_statistics; i++) {
		yajl_gen_map_open(g);
		g_opt_str(g, "sid", &r->activity_statistics[i].sid);
		g_opt_str(g, "friendly_name", &r->activity_statistics[i].friendly_name);
		g_opt_int(g, "workers", &r->activity_statistics[i].workers);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}

static void g_duration(yajl_gen g, const char *k, const struct tq_duration *d)
{
	json_gen_key(g, k);
	if (d->st != TQ_SET) {
		yajl_gen_null(g);
		return;
	}
	yajl_gen_map_open(g);
	g_opt_num(g, "avg", &d->avg);
	g_opt_num(g, "min", &d->min);
	g_opt_num(g, "max", &d->max);
	g_opt_num(g, "total", &d->total);
	yajl_gen_map_close(g);
}

static void json_record(const struct tq_state *s, int64_t now, FILE *fp)
{
	yajl_gen g = json_gen_new();
	const struct tq_task_queue *q = &s->queue;
	const struct tq_realtime_stats *r = &s->realtime;
	const struct tq_cumulative_stats *c = &s->cumulative;
	char stamp[ISO8601_LEN];
	const unsigned char *out;
	size_t len;

	iso8601_format(s->tick_ms / 1000, stamp);
	yajl_gen_map_open(g);
	json_gen_key(g, "time");
	json_gen_str(g, stamp);
	json_gen_key(g, "tick");
	yajl_gen_integer(g, (long long)s->tick);

	json_gen_key(g, "queue");
	yajl_gen_map_open(g);
	json_gen_key(g, "sid");
	json_gen_str(g, s->queue_sid ? s->queue_sid : "");
	g_opt_str(g, "friendly_name", &q->friendly_name);
	g_opt_str(g, "target_workers", &q->target_workers);
	g_opt_int(g, "max_reserved_workers", &q->max_reserved_workers);
	g_opt_str(g, "task_order", &q->task_order);
	g_opt_str(g, "reservation_activity_sid", &q->reservation_activity_sid);
	g_opt_str(g, "reservation_activity_name", &q->reservation_activity_name);
	g_opt_str(g, "assignment_activity_sid", &q->assignment_activity_sid);
	g_opt_str(g, "assignment_activity_name", &q->assignment_activity_name);
	g_opt_time(g, "date_created", &q->date_created);
	g_opt_time(g, "date_updated", &q->date_updated);
	json_gen_key(g, "deleted");
	yajl_gen_bool(g, s->queue_deleted);
	g_age(g, &s->queue_slot, now);
	yajl_gen_map_close(g);

	json_gen_key(g, "realtime");
	yajl_gen_map_open(g);
	g_opt_int(g, "total_tasks", &r->total_tasks);
	g_opt_int(g, "total_available_workers", &r->total_available_workers);
	g_opt_int(g, "total_eligible_workers", &r->total_eligible_workers);
	g_opt_int(g, "longest_task_waiting_age", &r->longest_task_waiting_age);
	g_opt_str(g, "longest_task_waiting_sid", &r->longest_task_waiting_sid);
	g_opt_int(g, "longest_relative_task_age_in_queue", &r->longest_relative_task_age_in_queue);
	g_opt_str(g, "longest_relative_task_sid_in_queue", &r->longest_relative_task_sid_in_queue);
	g_counts(g, "tasks_by_status", &r->tasks_by_status);
	g_counts(g, "tasks_by_priority", &r->tasks_by_priority);
	json_gen_key(g, "activity_statistics");
	if (r->activity_statistics_st == TQ_SET)
		g_activities_value(g, r);
	else
		yajl_gen_null(g);
	g_age(g, &s->realtime_slot, now);
	yajl_gen_map_close(g);

	json_gen_key(g, "cumulative");
	yajl_gen_map_open(g);
	json_gen_key(g, "minutes");
	yajl_gen_integer(g, s->cumulative_window);
	g_opt_time(g, "start_time", &c->start_time);
	g_opt_time(g, "end_time", &c->end_time);
	g_opt_num(g, "avg_task_acceptance_time", &c->avg_task_acceptance_time);
	g_opt_int(g, "tasks_entered", &c->tasks_entered);
	g_opt_int(g, "tasks_completed", &c->tasks_completed);
	g_opt_int(g, "tasks_canceled", &c->tasks_canceled);
	g_opt_int(g, "tasks_deleted", &c->tasks_deleted);
	g_opt_int(g, "tasks_moved", &c->tasks_moved);
	g_opt_int(g, "reservations_created", &c->reservations_created);
	g_opt_int(g, "reservations_accepted", &c->reservations_accepted);
	g_opt_int(g, "reservations_rejected", &c->reservations_rejected);
	g_opt_int(g, "reservations_timed_out", &c->reservations_timed_out);
	g_opt_int(g, "reservations_canceled", &c->reservations_canceled);
	g_opt_int(g, "reservations_rescinded", &c->reservations_rescinded);
	g_duration(g, "wait_duration_until_accepted", &c->wait_duration_until_accepted);
	g_duration(g, "wait_duration_until_canceled", &c->wait_duration_until_canceled);
	g_duration(g, "wait_duration_in_queue_until_accepted",
		   &c->wait_duration_in_queue_until_accepted);
	json_gen_key(g, "split_by_wait_time");
	if (c->split_by_wait_time_st == TQ_SET) {
		yajl_gen_map_open(g);
		for (size_t i = 0; i < c->n_split_by_wait_time; i++) {
			const struct tq_split *sp = &c->split_by_wait_time[i];
			json_gen_key(g, sp->threshold);
			yajl_gen_map_open(g);
			json_gen_key(g, "above");
			yajl_gen_map_open(g);
			g_opt_int(g, "tasks_canceled", &sp->above_tasks_canceled);
			g_opt_int(g, "reservations_accepted", &sp->above_reservations_accepted);
			yajl_gen_map_close(g);
			json_gen_key(g, "below");
			yajl_gen_map_open(g);
			g_opt_int(g, "tasks_canceled", &sp->below_tasks_canceled);
			g_opt_int(g, "reservations_accepted", &sp->below_reservations_accepted);
			yajl_gen_map_close(g);
			yajl_gen_map_close(g);
		}
		yajl_gen_map_close(g);
	} else {
		yajl_gen_null(g);
	}
	g_age(g, &s->cumulative_slot, now);
	yajl_gen_map_close(g);

	json_gen_key(g, "bridge");
	yajl_gen_map_open(g);
	json_gen_key(g, "status");
	json_gen_str(g, bridge_status_name(s->bridge.status));
	json_gen_key(g, "attempt");
	yajl_gen_integer(g, s->bridge.attempt);
	json_gen_key(g, "frames");
	yajl_gen_integer(g, (long long)s->bridge.frames);
	yajl_gen_map_close(g);

	json_gen_key(g, "token");
	if (s->token.have) {
		char exp[ISO8601_LEN];
		iso8601_format(s->token.exp, exp);
		yajl_gen_map_open(g);
		json_gen_key(g, "channel");
		json_gen_str(g, s->token.channel ? s->token.channel : "");
		json_gen_key(g, "expires");
		json_gen_str(g, exp);
		json_gen_key(g, "seconds_left");
		yajl_gen_integer(g, state_token_seconds_left(s, now));
		json_gen_key(g, "expired");
		yajl_gen_bool(g, s->token.expired);
		json_gen_key(g, "refresh_error");
		if (s->token.refresh_error)
			json_gen_str(g, s->token.refresh_error);
		else
			yajl_gen_null(g);
		yajl_gen_map_close(g);
	} else {
		yajl_gen_null(g);
	}
	json_gen_key(g, "rate_limited");
	yajl_gen_bool(g, s->backoff.rate_limited);
	yajl_gen_map_close(g);

	yajl_gen_get_buf(g, &out, &len);
	fwrite(out, 1, len, fp);
	fputc('\n', fp);
	yajl_gen_free(g);
}

/* ---- driving ------------------------------------------------------------ */

struct batch *batch_new(struct engine *e, FILE *out, enum batch_format fmt, long count,
			void (*stop)(void *ud), void *ud)
{
	struct batch *b = xcalloc(1, sizeof *b);

	b->e = e;
	b->out = out;
	b->fmt = fmt;
	b->count = count;
	b->stop = stop;
	b->ud = ud;
	return b;
}

void batch_free(struct batch **b)
{
	free(*b);
	*b = NULL;
}

int batch_exit_status(const struct batch *b)
{
	return b->status;
}

bool batch_done(const struct batch *b)
{
	return b->done;
}

static void finish(struct batch *b, int status, const char *msg)
{
	if (b->done)
		return;
	b->done = true;
	b->status = status;
	fflush(b->out);
	if (msg)
		fprintf(stderr, "tqtop: %s\n", msg);
	b->stop(b->ud);
}

static void print_record(struct batch *b, const struct tq_state *s)
{
	int64_t now = state_now_ms();
	struct emit em;

	memset(&em, 0, sizeof em);
	switch (b->fmt) {
	case BATCH_JSON:
		json_record(s, now, b->out);
		break;
	case BATCH_TEXT:
		em.fn = text_field;
		em.ud = b->out;
		if (b->printed)
			fputc('\n', b->out);
		visit(s, now, &em);
		break;
	case BATCH_TSV: {
		struct tsv t = { b->out, true, false };
		em.fn = tsv_field;
		em.ud = &t;
		if (!b->header) {
			t.names = true;
			visit(s, now, &em);
			fputc('\n', b->out);
			b->header = true;
			t.names = false;
			t.first = true;
		}
		visit(s, now, &em);
		fputc('\n', b->out);
		break;
	}
	}
	fflush(b->out);
	buf_free(&em.name);
}

/* Tunnelled with a dead token (token.expired, or a 401) that a file, a
 * command or minting can replace: the run waits for the new one. */
static bool waiting_for_token(const struct tq_state *s)
{
	const struct apierr *e = &s->queue_slot.err;

	return s->tunnelled && s->token.refreshable &&
	       (e->http_status == 401 || e->kind == APIERR_NOT_AVAILABLE);
}

/* The queue cannot be read, for good: nothing to show. */
static bool queue_unreadable(const struct tq_state *s)
{
	const struct apierr *e = &s->queue_slot.err;

	if (e->kind == APIERR_NONE || waiting_for_token(s))
		return false;
	if (!s->queue_slot.have)
		return true;
	return e->kind == APIERR_FORBIDDEN || e->kind == APIERR_NOT_AVAILABLE ||
	       e->http_status == 401 || e->http_status == 403 || e->http_status == 404;
}

void batch_turn(void *ud)
{
	struct batch *b = ud;
	struct tq_state *s = engine_state(b->e);
	unsigned dirty;

	if (b->done)
		return;
	dirty = state_take_dirty(s);
	if (!s->token.have && s->token.refresh_error && !s->queue_sid) {
		finish(b, 1, s->token.refresh_error);
		return;
	}
	if (!(dirty & DIRTY_TICK))
		return;
	/* A refresh that found the first request still out has nothing to
	 * show yet: the first record waits for the queue's first answer. */
	if (!s->queue_slot.have && s->queue_slot.err.kind == APIERR_NONE)
		return;
	if (queue_unreadable(s)) {
		char *t = apierr_text(&s->queue_slot.err);
		char *msg;
		if (s->tunnelled && s->token.expired && !s->token.refreshable)
			msg = xasprintf("cannot read queue %s: the token expired and nothing can "
					"renew it (use --token-file or --token-cmd)",
					s->queue_sid ? s->queue_sid : "?");
		else
			msg = xasprintf("cannot read queue %s: %s", s->queue_sid ? s->queue_sid : "?", t);
		if (s->queue_slot.have)
			print_record(b, s);
		finish(b, 1, msg);
		free(msg);
		free(t);
		return;
	}
	print_record(b, s);
	b->printed++;
	if (s->queue_deleted) {
		char *msg = xasprintf("queue %s was deleted", s->queue_sid);
		finish(b, 1, msg);
		free(msg);
		return;
	}
	if (b->count > 0 && b->printed >= b->count)
		finish(b, 0, NULL);
}
