/* The recent-events ring (sim-events.h): order, sequence numbers, and
 * from when the kept events are complete once the oldest go. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim-events.h"

static void test_ring(void **state)
{
	struct sim_events ev;
	(void)state;

	events_init(&ev, 3);
	assert_int_equal(events_oldest(&ev), INT64_MIN);
	events_add(&ev, 10, EVK_TASK_CREATED)->task_id = 1;
	events_add(&ev, 20, EVK_QUEUE_ENTERED)->task_id = 1;
	assert_int_equal(ev.n, 2);
	assert_int_equal(events_oldest(&ev), INT64_MIN);
	assert_int_equal(events_at(&ev, 0)->seq, 0);
	assert_int_equal(events_at(&ev, 1)->kind, EVK_QUEUE_ENTERED);
	assert_int_equal(events_at(&ev, 1)->worker, -1);
	events_add(&ev, 30, EVK_RES_CREATED);
	events_add(&ev, 30, EVK_RES_ACCEPTED);
	events_add(&ev, 40, EVK_TASK_COMPLETED);
	assert_int_equal(ev.n, 3);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(events_at(&ev, i)->seq, i + 2);
	assert_int_equal(events_at(&ev, 0)->t, 30);
	/* an event at 30 was dropped: complete only after 30 */
	assert_int_equal(events_oldest(&ev), 31);
	assert_string_equal(event_kind_name(EVK_WORKER_ACTIVITY), "worker.activity.update");
	assert_string_equal(event_kind_name(EVK_RES_TIMEOUT), "reservation.timeout");
	events_free(&ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
