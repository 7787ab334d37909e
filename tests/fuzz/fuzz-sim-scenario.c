/* Scenario files are user input.  scenario_parse() must accept or refuse
 * any bytes, refusing with one line; whatever it accepts must build an
 * engine that passes engine_check() and keeps doing so while it runs (a
 * small workspace runs for a few simulated minutes). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim-engine.h"
#include "sim-scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define T0 1700000000000LL

static bool small(const struct sim_scenario *sc)
{
	double rate = 0;

	for (size_t i = 0; i < sc->n_queues; i++)
		rate += sc->queues[i].rate_per_min * (1 + sc->queues[i].wave_amplitude);
	return sc->n_workers <= 64 && sc->n_queues <= 16 && rate <= 300;
}

static void run(const struct sim_scenario *sc)
{
	struct sim_engine *e = engine_new(sc, 7, T0, NULL);
	char *err = NULL;

	for (int s = 1; s <= 3; s++) {
		engine_advance(e, T0 + s * 60000);
		if (!engine_check(e, &err)) {
			fprintf(stderr, "engine_check after %d min: %s\n", s, err);
			abort();
		}
	}
	engine_free(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	struct sim_scenario *sc = scenario_parse((const char *)data, size, "fuzz", &err);

	if (!sc) {
		if (!err || strchr(err, '\n')) {
			fprintf(stderr, "refused without a one-line message: %s\n", err ? err : "(null)");
			abort();
		}
		free(err);
		return 0;
	}
	if (err)
		abort();
	if (small(sc))
		run(sc);
	scenario_free(&sc);
	return 0;
}
