/* Feeds every input to every model parser, and to every _from_json parser
 * through one shared tree: none may crash, leak or read out of bounds,
 * and a failure must leave a one-line message and a cleared struct. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PARSE_AND_CLEAR(name, type) \
	do { \
		type obj; \
		char *err = NULL; \
		if (tq_##name##_parse(text, size, &obj, &err)) { \
			if (err) \
				abort(); \
			tq_##name##_clear(&obj); \
		} else if (!err || strchr(err, '\n')) { \
			abort(); \
		} \
		free(err); \
		if (tree) { \
			err = NULL; \
			if (tq_##name##_from_json(tree, &obj, &err)) \
				tq_##name##_clear(&obj); \
			free(err); \
		} \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	yajl_val tree = json_parse(text, size, NULL);
	struct tq_task_queue queue, copy;

	PARSE_AND_CLEAR(task_queue, struct tq_task_queue);
	PARSE_AND_CLEAR(activity, struct tq_activity);
	PARSE_AND_CLEAR(worker, struct tq_worker);
	PARSE_AND_CLEAR(realtime_stats, struct tq_realtime_stats);
	PARSE_AND_CLEAR(cumulative_stats, struct tq_cumulative_stats);
	PARSE_AND_CLEAR(statistics, struct tq_statistics);
	PARSE_AND_CLEAR(task_queue_list, struct tq_task_queue_list);
	PARSE_AND_CLEAR(activity_list, struct tq_activity_list);
	PARSE_AND_CLEAR(worker_list, struct tq_worker_list);
	PARSE_AND_CLEAR(statistics_list, struct tq_statistics_list);
	PARSE_AND_CLEAR(bulk_realtime_stats, struct tq_bulk_realtime_stats);
	PARSE_AND_CLEAR(twilio_error, struct tq_twilio_error);

	/* Whatever parses as a queue also deep-copies. */
	if (tq_task_queue_parse(text, size, &queue, NULL)) {
		tq_task_queue_copy(&copy, &queue);
		tq_task_queue_clear(&queue);
		tq_task_queue_clear(&copy);
	}
	yajl_tree_free(tree);
	return 0;
}
