/* model: TaskRouter resources as C structs, parsed from the REST JSON.
 *
 * Field names and JSON types follow the OpenAPI spec
 * (tests/fixtures/taskrouter/twilio_taskrouter_v1.json) to the letter.
 *
 * Contract:
 *  - Parsing uses yajl's tree API (see json.h).  Unknown fields are ignored.
 *  - A field of the wrong JSON type, or a missing required field (the
 *    resource's own sid; a list's "meta", "meta.key" and item array), fails
 *    the whole parse with a one-line message naming the field by its JSON
 *    path, e.g.
 *      "task_queue.max_reserved_workers: expected an integer, got a string"
 *      "task_queues[2].sid: missing required field"
 *      "meta.key: expected \"workers\", got \"activities\""
 *    Roots: task_queue, real_time_statistics, cumulative_statistics,
 *    statistics, activity, worker, bulk_real_time_statistics, error; list
 *    paths start at the list's own keys.  Network text in a message is
 *    quoted, escaped and cut to 40 bytes.
 *  - Values are checked as the spec says: sids match ^XX[0-9a-fA-F]{32}$
 *    with the field's prefix (a sid becomes part of request URLs),
 *    task_order is "FIFO" or "LIFO", a list's meta.key names the array it
 *    was asked for ("task_queues", "activities", "workers",
 *    "task_queues_statistics").
 *  - Optional fields keep "absent", "null" and a value apart (tq_opt_*):
 *    a statistic the server did not send is never shown as 0.
 *  - Integer fields accept integral floats (1.0).  avg_task_acceptance_time
 *    is a number (0.0 in the spec's example).  Counts (tasks_by_status,
 *    tasks_by_priority) accept numeric strings too ({"pending": "1"} in the
 *    spec's description); nowhere else is a string taken for a number.
 *  - Dates are ISO-8601 UTC ("2015-08-04T01:31:41Z", fractional seconds and
 *    numeric offsets accepted) converted to epoch seconds; a date that does
 *    not exist ("2015-02-30T00:00:00Z") is an error.
 *  - Every string is heap-allocated and owned by its struct; *_clear()
 *    frees everything and zeroes the struct, so a cleared struct can be
 *    parsed into again.  No fixed-size buffers hold network data.
 *  - Parsers and tq_task_queue_copy() overwrite their output without
 *    freeing it: pass a zeroed or cleared struct.
 *  - On failure the output struct is left cleared and *err (if not NULL)
 *    is set to a message the caller frees.
 */
#ifndef TQ_MODEL_H
#define TQ_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_tree.h>

enum tq_presence {
	TQ_ABSENT = 0,	/* key not in the object */
	TQ_NULL,	/* key present with JSON null */
	TQ_SET,		/* key present with a value */
};

struct tq_opt_str  { enum tq_presence st; char *v; };
struct tq_opt_int  { enum tq_presence st; int64_t v; };
struct tq_opt_num  { enum tq_presence st; double v; };
struct tq_opt_bool { enum tq_presence st; bool v; };
struct tq_opt_time { enum tq_presence st; int64_t v; /* epoch seconds, UTC */ };

/* A name -> uri pair from a "links" object. */
struct tq_link { char *name; char *url; };

struct tq_links {
	enum tq_presence st;
	struct tq_link *items;
	size_t n;
};

/* taskrouter.v1.workspace.task_queue */
struct tq_task_queue {
	char *sid;				/* required */
	struct tq_opt_str account_sid;
	struct tq_opt_str workspace_sid;
	struct tq_opt_str friendly_name;
	struct tq_opt_str target_workers;
	struct tq_opt_int max_reserved_workers;
	struct tq_opt_str task_order;		/* "FIFO" | "LIFO" (validated) */
	struct tq_opt_str assignment_activity_sid;
	struct tq_opt_str assignment_activity_name;
	struct tq_opt_str reservation_activity_sid;
	struct tq_opt_str reservation_activity_name;
	struct tq_opt_time date_created;
	struct tq_opt_time date_updated;
	struct tq_opt_str url;
	struct tq_links links;
};

/* One entry of activity_statistics. */
struct tq_activity_stat {
	struct tq_opt_str sid;
	struct tq_opt_str friendly_name;
	struct tq_opt_int workers;
};

/* A key -> count map (tasks_by_status, tasks_by_priority), in the order
 * the server sent it. */
struct tq_count { char *key; int64_t n; };

struct tq_counts {
	enum tq_presence st;
	struct tq_count *items;
	size_t n;
};

/* Looks a key up in a counts map; returns false when absent. */
bool tq_counts_get(const struct tq_counts *c, const char *key, int64_t *n);

/* ..task_queue_real_time_statistics (also the "realtime" object of
 * /Statistics and the items of bulk task_queue_data). */
struct tq_realtime_stats {
	struct tq_opt_str account_sid;
	struct tq_opt_str workspace_sid;
	struct tq_opt_str task_queue_sid;
	struct tq_opt_str url;
	struct tq_opt_int longest_task_waiting_age;
	struct tq_opt_str longest_task_waiting_sid;
	struct tq_opt_int longest_relative_task_age_in_queue;
	struct tq_opt_str longest_relative_task_sid_in_queue;
	struct tq_opt_int total_available_workers;
	struct tq_opt_int total_eligible_workers;
	struct tq_opt_int total_tasks;
	enum tq_presence activity_statistics_st;
	struct tq_activity_stat *activity_statistics;
	size_t n_activity_statistics;
	struct tq_counts tasks_by_status;
	struct tq_counts tasks_by_priority;
};

/* {avg, min, max, total} in seconds. */
struct tq_duration {
	enum tq_presence st;
	struct tq_opt_num avg;
	struct tq_opt_num min;
	struct tq_opt_num max;
	struct tq_opt_num total;
};

/* One SplitByWaitTime threshold: counts above and below it. */
struct tq_split {
	char *threshold;		/* the key as sent, e.g. "20" */
	struct tq_opt_int above_tasks_canceled;
	struct tq_opt_int above_reservations_accepted;
	struct tq_opt_int below_tasks_canceled;
	struct tq_opt_int below_reservations_accepted;
};

/* ..task_queue_cumulative_statistics (also "cumulative" of /Statistics). */
struct tq_cumulative_stats {
	struct tq_opt_str account_sid;
	struct tq_opt_str workspace_sid;
	struct tq_opt_str task_queue_sid;
	struct tq_opt_str url;
	struct tq_opt_time start_time;
	struct tq_opt_time end_time;
	struct tq_opt_num avg_task_acceptance_time;
	struct tq_opt_int reservations_created;
	struct tq_opt_int reservations_accepted;
	struct tq_opt_int reservations_rejected;
	struct tq_opt_int reservations_timed_out;
	struct tq_opt_int reservations_canceled;
	struct tq_opt_int reservations_rescinded;
	struct tq_opt_int tasks_canceled;
	struct tq_opt_int tasks_completed;
	struct tq_opt_int tasks_deleted;
	struct tq_opt_int tasks_entered;
	struct tq_opt_int tasks_moved;
	struct tq_duration wait_duration_until_accepted;
	struct tq_duration wait_duration_until_canceled;
	struct tq_duration wait_duration_in_queue_until_accepted;
	enum tq_presence split_by_wait_time_st;
	struct tq_split *split_by_wait_time;	/* sorted by numeric threshold */
	size_t n_split_by_wait_time;
};

/* ..task_queue_statistics */
struct tq_statistics {
	struct tq_opt_str account_sid;
	struct tq_opt_str workspace_sid;
	struct tq_opt_str task_queue_sid;
	struct tq_opt_str url;
	enum tq_presence cumulative_st;
	struct tq_cumulative_stats cumulative;
	enum tq_presence realtime_st;
	struct tq_realtime_stats realtime;
};

/* taskrouter.v1.workspace.activity */
struct tq_activity {
	char *sid;				/* required */
	struct tq_opt_str account_sid;
	struct tq_opt_str workspace_sid;
	struct tq_opt_str friendly_name;
	struct tq_opt_bool available;
	struct tq_opt_time date_created;
	struct tq_opt_time date_updated;
	struct tq_opt_str url;
	struct tq_links links;
};

/* taskrouter.v1.workspace.worker */
struct tq_worker {
	char *sid;				/* required */
	struct tq_opt_str account_sid;
	struct tq_opt_str workspace_sid;
	struct tq_opt_str friendly_name;
	struct tq_opt_str activity_sid;
	struct tq_opt_str activity_name;
	struct tq_opt_str attributes;		/* a JSON document, as a string */
	struct tq_opt_bool available;
	struct tq_opt_time date_created;
	struct tq_opt_time date_updated;
	struct tq_opt_time date_status_changed;
	struct tq_opt_str url;
	struct tq_links links;
};

/* The "meta" object of every list response. */
struct tq_page_meta {
	struct tq_opt_int page;
	struct tq_opt_int page_size;
	char *key;				/* required: names the item array */
	struct tq_opt_str url;
	struct tq_opt_str first_page_url;
	struct tq_opt_str next_page_url;	/* TQ_NULL on the last page */
	struct tq_opt_str previous_page_url;
};

struct tq_task_queue_list { struct tq_task_queue *items; size_t n; struct tq_page_meta meta; };
struct tq_activity_list   { struct tq_activity *items;   size_t n; struct tq_page_meta meta; };
struct tq_worker_list     { struct tq_worker *items;     size_t n; struct tq_page_meta meta; };
/* /TaskQueues/Statistics: items are tq_statistics without url. */
struct tq_statistics_list { struct tq_statistics *items; size_t n; struct tq_page_meta meta; };

/* ..task_queue_bulk_real_time_statistics: the answer to
 * POST /TaskQueues/RealTimeStatistics; each item is one queue's real-time
 * statistics (account_sid, workspace_sid and url absent there). */
struct tq_bulk_realtime_stats {
	struct tq_opt_str account_sid;
	struct tq_opt_str workspace_sid;
	struct tq_opt_str url;
	enum tq_presence task_queue_data_st;
	struct tq_realtime_stats *task_queue_data;
	size_t n_task_queue_data;
	struct tq_opt_int task_queue_response_count;
};

/* Twilio's error body {code, message, more_info, status}. */
struct tq_twilio_error {
	struct tq_opt_int code;
	struct tq_opt_str message;
	struct tq_opt_str more_info;
	struct tq_opt_int status;
};

/* Parsers from a yajl tree node (used for tunnelled "payload" objects)... */
bool tq_task_queue_from_json(yajl_val v, struct tq_task_queue *out, char **err);
bool tq_realtime_stats_from_json(yajl_val v, struct tq_realtime_stats *out, char **err);
bool tq_cumulative_stats_from_json(yajl_val v, struct tq_cumulative_stats *out, char **err);
bool tq_statistics_from_json(yajl_val v, struct tq_statistics *out, char **err);
bool tq_activity_from_json(yajl_val v, struct tq_activity *out, char **err);
bool tq_worker_from_json(yajl_val v, struct tq_worker *out, char **err);
bool tq_task_queue_list_from_json(yajl_val v, struct tq_task_queue_list *out, char **err);
bool tq_activity_list_from_json(yajl_val v, struct tq_activity_list *out, char **err);
bool tq_worker_list_from_json(yajl_val v, struct tq_worker_list *out, char **err);
bool tq_statistics_list_from_json(yajl_val v, struct tq_statistics_list *out, char **err);
bool tq_bulk_realtime_stats_from_json(yajl_val v, struct tq_bulk_realtime_stats *out, char **err);
bool tq_twilio_error_from_json(yajl_val v, struct tq_twilio_error *out, char **err);

/* ...and from response text (len bytes, need not be NUL-terminated). */
bool tq_task_queue_parse(const char *text, size_t len, struct tq_task_queue *out, char **err);
bool tq_activity_parse(const char *text, size_t len, struct tq_activity *out, char **err);
bool tq_worker_parse(const char *text, size_t len, struct tq_worker *out, char **err);
bool tq_realtime_stats_parse(const char *text, size_t len, struct tq_realtime_stats *out, char **err);
bool tq_cumulative_stats_parse(const char *text, size_t len, struct tq_cumulative_stats *out, char **err);
bool tq_statistics_parse(const char *text, size_t len, struct tq_statistics *out, char **err);
bool tq_activity_list_parse(const char *text, size_t len, struct tq_activity_list *out, char **err);
bool tq_worker_list_parse(const char *text, size_t len, struct tq_worker_list *out, char **err);
bool tq_task_queue_list_parse(const char *text, size_t len, struct tq_task_queue_list *out, char **err);
bool tq_statistics_list_parse(const char *text, size_t len, struct tq_statistics_list *out, char **err);
bool tq_bulk_realtime_stats_parse(const char *text, size_t len, struct tq_bulk_realtime_stats *out, char **err);
bool tq_twilio_error_parse(const char *text, size_t len, struct tq_twilio_error *out, char **err);

void tq_task_queue_clear(struct tq_task_queue *q);
void tq_realtime_stats_clear(struct tq_realtime_stats *s);
void tq_cumulative_stats_clear(struct tq_cumulative_stats *s);
void tq_statistics_clear(struct tq_statistics *s);
void tq_activity_clear(struct tq_activity *a);
void tq_worker_clear(struct tq_worker *w);
void tq_task_queue_list_clear(struct tq_task_queue_list *l);
void tq_activity_list_clear(struct tq_activity_list *l);
void tq_worker_list_clear(struct tq_worker_list *l);
void tq_statistics_list_clear(struct tq_statistics_list *l);
void tq_bulk_realtime_stats_clear(struct tq_bulk_realtime_stats *s);
void tq_twilio_error_clear(struct tq_twilio_error *e);

/* Deep copy (the engine keeps the last good value while a new one loads);
 * dst is overwritten, not freed first; copying onto itself does nothing. */
void tq_task_queue_copy(struct tq_task_queue *dst, const struct tq_task_queue *src);

#endif
