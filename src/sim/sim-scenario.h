/* sim-scenario: what a simulated workspace starts with and how it behaves
 * (activities, task channels, queues with their load, workers, and the
 * behaviour of callers and agents).
 *
 * Contract:
 *  - scenario_load_file() reads the JSON format documented in tqsim(1);
 *    scenario_demo() parses the built-in "demo" text with the same code;
 *    scenario_scale() generates QUEUES x WORKERS programmatically for
 *    benchmarks (deterministic for a seed).
 *  - A loaded scenario is valid: names are unique, every activity, channel
 *    and overflow reference resolves, every TargetWorkers parses (an error
 *    names the JSON path and, for expressions, expr's "col N: ..." text),
 *    numbers are in range.  Errors are one line; the caller frees them.
 *  - References are resolved to indexes; the scenario owns all its strings.
 */
#ifndef TQ_SIM_SCENARIO_H
#define TQ_SIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sc_activity {
	char *name;
	bool available;
	double mean_s;		/* mean stay before moving on */
	double weight;		/* chance of being picked when leaving an available activity */
};

struct sc_channel {
	char *name;		/* unique_name: "voice", "chat", ... */
	double talk_mean_s;	/* accepted -> wrapping */
	double wrap_mean_s;	/* wrapping -> completed */
	double patience_mean_s;	/* caller gives up (task canceled) when still waiting */
};

struct sc_queue {
	char *sid;			/* NULL: derived from the seed */
	char *name;
	char *target_workers;
	int max_reserved;
	bool lifo;
	int reservation_activity;	/* activity index or -1 */
	int assignment_activity;	/* activity index or -1 */
	double rate_per_min;		/* mean task arrivals per minute */
	double wave_amplitude;		/* 0..1: rate swings by this fraction */
	double wave_period_s;
	double wave_phase;		/* 0..1 of a period */
	double *channel_weights;	/* n_channels */
	int *priorities;
	double *priority_weights;
	size_t n_priorities;
	int overflow_to;		/* queue index or -1 */
	double overflow_after_s;
};

struct sc_worker {
	char *name;
	char *attributes;		/* compact JSON object text */
	int activity;
};

struct sc_behaviour {
	double reservation_timeout_s;
	double accept_p;		/* else reject with reject_p, else time out */
	double reject_p;
	double accept_delay_mean_s;
	double reject_delay_mean_s;
	double delete_p;		/* a waiting task is deleted by the backend */
	double delete_after_mean_s;
	int timeout_activity;		/* worker's activity after a timed-out reservation, -1 none */
	int return_activity;		/* the available activity workers come back to */
};

struct sim_scenario {
	char *name;
	char *workspace_name;
	char *workspace_sid;		/* NULL: derived from the seed */
	struct sc_activity *activities;
	size_t n_activities;
	struct sc_channel *channels;
	size_t n_channels;
	struct sc_queue *queues;
	size_t n_queues;
	struct sc_worker *workers;
	size_t n_workers;
	struct sc_behaviour behaviour;
};

/* Parses scenario JSON (len bytes); origin names it in errors. */
struct sim_scenario *scenario_parse(const char *text, size_t len, const char *origin, char **err);
struct sim_scenario *scenario_load_file(const char *path, char **err);
struct sim_scenario *scenario_demo(void);
/* queues >= 1, workers >= 1. */
struct sim_scenario *scenario_scale(size_t queues, size_t workers, uint64_t seed);
void scenario_free(struct sim_scenario **sc);

/* Index of the activity / channel / queue called name, or -1. */
int scenario_activity(const struct sim_scenario *sc, const char *name);
int scenario_channel(const struct sim_scenario *sc, const char *name);

/* The built-in demo scenario's JSON text (documented in tqsim(1)). */
extern const char scenario_demo_json[];

#endif
