#include "config.h"
#include "model.h"

#include <stddef.h>
#include <string.h>

#include "model-schema.h"

/* The field tables: one line per JSON field, named as in the OpenAPI spec
 * (the C member has the same name, stringified here).  Each table is
 * written with T set to the struct it describes. */

#define BASE(m)		.name = #m, .off = offsetof(T, m), .st_off = NO_OFF
#define CSTR(m, pfx)	{ BASE(m), .kind = FK_CSTR, .sid_prefix = (pfx) }
#define REQ(m, vals)	{ BASE(m), .kind = FK_CSTR, .one_of = (vals) }
#define STR(m)		{ BASE(m), .kind = FK_STR }
#define SID(m, pfx)	{ BASE(m), .kind = FK_STR, .sid_prefix = (pfx) }
#define ENUM(m, vals)	{ BASE(m), .kind = FK_STR, .one_of = (vals) }
#define INT(m)		{ BASE(m), .kind = FK_INT }
#define NUM(m)		{ BASE(m), .kind = FK_NUM }
#define BOOL(m)		{ BASE(m), .kind = FK_BOOL }
#define TIME(m)		{ BASE(m), .kind = FK_TIME }
#define LINKS(m)	{ BASE(m), .kind = FK_LINKS }
#define COUNTS(m)	{ BASE(m), .kind = FK_COUNTS }
/* A JSON name that differs from the member (split_by_wait_time's sides). */
#define INT_AS(json, m)	{ .name = (json), .off = offsetof(T, m), .st_off = NO_OFF, .kind = FK_INT }
#define INLINE(json, sub_) \
	{ .name = (json), .kind = FK_INLINE, .st_off = NO_OFF, .sub = &(sub_) }
#define OBJ(m, st, sub_) \
	{ .name = #m, .kind = FK_OBJ, .off = offsetof(T, m), .st_off = offsetof(T, st), .sub = &(sub_) }
#define DURATION(m) \
	{ .name = #m, .kind = FK_OBJ, .off = offsetof(T, m), \
	  .st_off = offsetof(T, m) + offsetof(struct tq_duration, st), .sub = &duration_schema }
#define ARRAY(m, st, n, sub_) \
	{ .name = #m, .kind = FK_ARRAY, .off = offsetof(T, m), .st_off = offsetof(T, st), \
	  .n_off = offsetof(T, n), .sub = &(sub_) }
#define SPLITS(m, st, n, sub_) \
	{ .name = #m, .kind = FK_SPLITS, .off = offsetof(T, m), .st_off = offsetof(T, st), \
	  .n_off = offsetof(T, n), .sub = &(sub_) }

static const char *const task_orders[] = { "FIFO", "LIFO", NULL };

/* ---- TaskQueue ---------------------------------------------------------- */

#define T struct tq_task_queue
static const struct field task_queue_fields[] = {
	CSTR(sid, "WQ"),
	SID(account_sid, "AC"),
	SID(workspace_sid, "WS"),
	STR(friendly_name),
	STR(target_workers),
	INT(max_reserved_workers),
	ENUM(task_order, task_orders),
	SID(assignment_activity_sid, "WA"),
	STR(assignment_activity_name),
	SID(reservation_activity_sid, "WA"),
	STR(reservation_activity_name),
	TIME(date_created),
	TIME(date_updated),
	STR(url),
	LINKS(links),
};
#undef T
static const struct schema task_queue_schema = SCHEMA("task_queue", struct tq_task_queue, task_queue_fields);

/* ---- real-time statistics ----------------------------------------------- */

#define T struct tq_activity_stat
static const struct field activity_stat_fields[] = {
	SID(sid, "WA"),
	STR(friendly_name),
	INT(workers),
};
#undef T
static const struct schema activity_stat_schema =
	SCHEMA("activity_statistics", struct tq_activity_stat, activity_stat_fields);

#define T struct tq_realtime_stats
static const struct field realtime_fields[] = {
	SID(account_sid, "AC"),
	SID(workspace_sid, "WS"),
	SID(task_queue_sid, "WQ"),
	STR(url),
	INT(longest_task_waiting_age),
	SID(longest_task_waiting_sid, "WT"),
	INT(longest_relative_task_age_in_queue),
	SID(longest_relative_task_sid_in_queue, "WT"),
	INT(total_available_workers),
	INT(total_eligible_workers),
	INT(total_tasks),
	ARRAY(activity_statistics, activity_statistics_st, n_activity_statistics, activity_stat_schema),
	COUNTS(tasks_by_status),
	COUNTS(tasks_by_priority),
};
#undef T
static const struct schema realtime_schema =
	SCHEMA("real_time_statistics", struct tq_realtime_stats, realtime_fields);

#define T struct tq_bulk_realtime_stats
static const struct field bulk_realtime_fields[] = {
	SID(account_sid, "AC"),
	SID(workspace_sid, "WS"),
	STR(url),
	ARRAY(task_queue_data, task_queue_data_st, n_task_queue_data, realtime_schema),
	INT(task_queue_response_count),
};
#undef T
static const struct schema bulk_realtime_schema =
	SCHEMA("bulk_real_time_statistics", struct tq_bulk_realtime_stats, bulk_realtime_fields);

/* ---- cumulative statistics ---------------------------------------------- */

#define T struct tq_duration
static const struct field duration_fields[] = {
	NUM(avg),
	NUM(min),
	NUM(max),
	NUM(total),
};
#undef T
static const struct schema duration_schema = SCHEMA("wait_duration", struct tq_duration, duration_fields);

#define T struct tq_split
static const struct field split_above_fields[] = {
	INT_AS("tasks_canceled", above_tasks_canceled),
	INT_AS("reservations_accepted", above_reservations_accepted),
};
static const struct field split_below_fields[] = {
	INT_AS("tasks_canceled", below_tasks_canceled),
	INT_AS("reservations_accepted", below_reservations_accepted),
};
static const struct schema split_above_schema = SCHEMA("above", struct tq_split, split_above_fields);
static const struct schema split_below_schema = SCHEMA("below", struct tq_split, split_below_fields);
static const struct field split_fields[] = {
	INLINE("above", split_above_schema),
	INLINE("below", split_below_schema),
};
#undef T
static const struct schema split_schema = SCHEMA("split_by_wait_time", struct tq_split, split_fields);

#define T struct tq_cumulative_stats
static const struct field cumulative_fields[] = {
	SID(account_sid, "AC"),
	SID(workspace_sid, "WS"),
	SID(task_queue_sid, "WQ"),
	STR(url),
	TIME(start_time),
	TIME(end_time),
	NUM(avg_task_acceptance_time),
	INT(reservations_created),
	INT(reservations_accepted),
	INT(reservations_rejected),
	INT(reservations_timed_out),
	INT(reservations_canceled),
	INT(reservations_rescinded),
	INT(tasks_canceled),
	INT(tasks_completed),
	INT(tasks_deleted),
	INT(tasks_entered),
	INT(tasks_moved),
	DURATION(wait_duration_until_accepted),
	DURATION(wait_duration_until_canceled),
	DURATION(wait_duration_in_queue_until_accepted),
	SPLITS(split_by_wait_time, split_by_wait_time_st, n_split_by_wait_time, split_schema),
};
#undef T
static const struct schema cumulative_schema =
	SCHEMA("cumulative_statistics", struct tq_cumulative_stats, cumulative_fields);

/* ---- statistics (cumulative + realtime) --------------------------------- */

#define T struct tq_statistics
static const struct field statistics_fields[] = {
	SID(account_sid, "AC"),
	SID(workspace_sid, "WS"),
	SID(task_queue_sid, "WQ"),
	STR(url),
	OBJ(cumulative, cumulative_st, cumulative_schema),
	OBJ(realtime, realtime_st, realtime_schema),
};
#undef T
static const struct schema statistics_schema = SCHEMA("statistics", struct tq_statistics, statistics_fields);

/* ---- Activity, Worker ---------------------------------------------------- */

#define T struct tq_activity
static const struct field activity_fields[] = {
	CSTR(sid, "WA"),
	SID(account_sid, "AC"),
	SID(workspace_sid, "WS"),
	STR(friendly_name),
	BOOL(available),
	TIME(date_created),
	TIME(date_updated),
	STR(url),
	LINKS(links),
};
#undef T
static const struct schema activity_schema = SCHEMA("activity", struct tq_activity, activity_fields);

#define T struct tq_worker
static const struct field worker_fields[] = {
	CSTR(sid, "WK"),
	SID(account_sid, "AC"),
	SID(workspace_sid, "WS"),
	STR(friendly_name),
	SID(activity_sid, "WA"),
	STR(activity_name),
	STR(attributes),
	BOOL(available),
	TIME(date_created),
	TIME(date_updated),
	TIME(date_status_changed),
	STR(url),
	LINKS(links),
};
#undef T
static const struct schema worker_schema = SCHEMA("worker", struct tq_worker, worker_fields);

/* ---- Twilio's error body ------------------------------------------------- */

#define T struct tq_twilio_error
static const struct field twilio_error_fields[] = {
	INT(code),
	STR(message),
	STR(more_info),
	INT(status),
};
#undef T
static const struct schema twilio_error_schema = SCHEMA("error", struct tq_twilio_error, twilio_error_fields);

/* ---- lists ---------------------------------------------------------------- */

/* A list is {"<key>": [items], "meta": {..., "key": "<key>"}}: one macro
 * per list so that the array name and the meta.key it must carry are the
 * same token.  meta comes first so a wrong meta.key is what gets reported
 * when the array is missing for that reason. */
#define LIST_SCHEMA(lname_, akey_, item_) \
	static const char *const lname_##_key[] = { #akey_, NULL }; \
	static const struct field lname_##_meta_fields[] = { \
		INT(page), \
		INT(page_size), \
		REQ(key, lname_##_key), \
		STR(url), \
		STR(first_page_url), \
		STR(next_page_url), \
		STR(previous_page_url), \
	}; \
	static const struct schema lname_##_meta_schema = \
		SCHEMA("meta", struct tq_page_meta, lname_##_meta_fields); \
	static const struct field lname_##_fields[] = { \
		{ .name = "meta", .kind = FK_OBJ, .off = offsetof(LIST_T, meta), .st_off = NO_OFF, \
		  .sub = &lname_##_meta_schema, .required = true }, \
		{ .name = #akey_, .kind = FK_ARRAY, .off = offsetof(LIST_T, items), .st_off = NO_OFF, \
		  .n_off = offsetof(LIST_T, n), .sub = &(item_), .required = true }, \
	}; \
	static const struct schema lname_##_schema = BARE_SCHEMA(#akey_ " list", LIST_T, lname_##_fields)

#define T struct tq_page_meta
#define LIST_T struct tq_task_queue_list
LIST_SCHEMA(task_queue_list, task_queues, task_queue_schema);
#undef LIST_T
#define LIST_T struct tq_activity_list
LIST_SCHEMA(activity_list, activities, activity_schema);
#undef LIST_T
#define LIST_T struct tq_worker_list
LIST_SCHEMA(worker_list, workers, worker_schema);
#undef LIST_T
#define LIST_T struct tq_statistics_list
LIST_SCHEMA(statistics_list, task_queues_statistics, statistics_schema);
#undef LIST_T
#undef T

/* ---- public functions ------------------------------------------------------ */

/* name, struct, schema: every resource gets _from_json, _parse and _clear. */
#define MODEL_TYPES(X) \
	X(task_queue, struct tq_task_queue, task_queue_schema) \
	X(realtime_stats, struct tq_realtime_stats, realtime_schema) \
	X(cumulative_stats, struct tq_cumulative_stats, cumulative_schema) \
	X(statistics, struct tq_statistics, statistics_schema) \
	X(activity, struct tq_activity, activity_schema) \
	X(worker, struct tq_worker, worker_schema) \
	X(task_queue_list, struct tq_task_queue_list, task_queue_list_schema) \
	X(activity_list, struct tq_activity_list, activity_list_schema) \
	X(worker_list, struct tq_worker_list, worker_list_schema) \
	X(statistics_list, struct tq_statistics_list, statistics_list_schema) \
	X(bulk_realtime_stats, struct tq_bulk_realtime_stats, bulk_realtime_schema) \
	X(twilio_error, struct tq_twilio_error, twilio_error_schema)

#define DEFINE(name, type, schema) \
	bool tq_##name##_from_json(yajl_val v, type *out, char **err) \
	{ \
		return schema_parse(&(schema), v, out, err); \
	} \
	bool tq_##name##_parse(const char *text, size_t len, type *out, char **err) \
	{ \
		return schema_parse_text(&(schema), text, len, out, err); \
	} \
	void tq_##name##_clear(type *p) \
	{ \
		schema_clear(&(schema), p); \
	}
MODEL_TYPES(DEFINE)
#undef DEFINE

void tq_task_queue_copy(struct tq_task_queue *dst, const struct tq_task_queue *src)
{
	schema_copy(&task_queue_schema, dst, src);
}

bool tq_counts_get(const struct tq_counts *c, const char *key, int64_t *n)
{
	if (!c || !key)
		return false;
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->items[i].key, key) == 0) {
			if (n)
				*n = c->items[i].n;
			return true;
		}
	}
	return false;
}
