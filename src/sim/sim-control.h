/* sim-control: the test-control endpoint under /_tqsim (faults, clock,
 * queue load, state), documented in tqsim(1).
 *
 * Contract: the server only lets loopback peers reach control_handle();
 * every route answers 200 with a JSON object describing the new state or
 * 400 with a Twilio-style error naming the bad parameter.  Changes apply
 * to the next request (faults) or at once (clock, load, socket drops).
 * Parameters are form fields (application/x-www-form-urlencoded).
 */
#ifndef TQ_SIM_CONTROL_H
#define TQ_SIM_CONTROL_H

#include <stdbool.h>

#include "sim-app.h"
#include "sim-http.h"

bool control_owns(const char *path);
void control_handle(struct sim_app *app, const struct sim_req *req, struct sim_resp *resp);

/* Applies "key=value" faults from the command line or a form; false with
 * a 400 answer in resp (or *err when resp is NULL) on a bad value. */
bool control_set_fault(struct sim_app *app, const char *key, const char *value, char **err);

#endif
