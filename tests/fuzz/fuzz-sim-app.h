/* fuzz-sim-app: the tqsim process state the tunnel and REST fuzz targets
 * drive: a small workspace with pinned SIDs (so that seeds can name them),
 * ten simulated minutes of history, and credentials.
 *
 * Contract: fuzz_app() returns the same state for every input: it is
 * rebuilt after a request that may have changed it (fuzz_app_dirty()).
 * fuzz_app_check_resp() aborts when a response is not what a client may
 * rely on: a status, a JSON body, errors as {code, message, more_info,
 * status} with a one-line message. */
#ifndef TQ_FUZZ_SIM_APP_H
#define TQ_FUZZ_SIM_APP_H

#include "sim-app.h"
#include "sim-http.h"

#define FUZZ_ACCOUNT "AC0123456789abcdef0123456789abcdef"
#define FUZZ_WORKSPACE "WS0123456789abcdef0123456789abcdef"
#define FUZZ_QUEUE "WQ0123456789abcdef0123456789abcdef"
#define FUZZ_AUTH_TOKEN "00112233445566778899aabbccddeeff"

struct sim_app *fuzz_app(void);
void fuzz_app_dirty(void);
void fuzz_app_check_resp(const struct sim_resp *resp);

#endif
