/* test-sim-check: the engine self-check as a cmocka assertion, shared by
 * the engine and history tests.  Include after <cmocka.h>. */
#ifndef TQ_TEST_SIM_CHECK_H
#define TQ_TEST_SIM_CHECK_H

#include <stdlib.h>

#include "sim-engine.h"

/* Fails the test with engine_check()'s message. */
static inline void check_ok(const struct sim_engine *e)
{
	char *err = NULL;

	if (!engine_check(e, &err)) {
		fail_msg("engine_check at %lld: %s", (long long)e->now, err);
		free(err);
	}
}

#endif
