/* sim-rest: the TaskRouter REST routes under /v1/Workspaces (PROTOCOL.md
 * sections 1-4): workspace, TaskQueues (CRUD, list with filters and
 * paging), the statistics endpoints (TaskQueue, Workspace, Workers,
 * Worker, Workflow), Workers with their channels and reservations,
 * Activities, TaskChannels, the live Tasks and their reservations, the
 * one Workflow, and the recent Events (read-only).  Every link a body
 * carries names a route here.
 *
 * Contract: rest_handle() answers any request that reaches it (the caller
 * has authenticated it and synced the engine); parameters that are not
 * UTF-8 are 400 (20001), unknown paths are 404
 * (20404), wrong methods 405 (20004), bad parameters 400 (20001) with a
 * message naming the parameter and the fix.  Every request first spends
 * one request of its resource key's rate limit (sim-ratelimit.h): over
 * the limit it is 429 (20429) with Retry-After, and every answer carries
 * the key, limit and remaining in resp (X-Rate-Limit-* headers).  Queue
 * updates and deletes
 * are pushed to the queue's event-bridge channel (sim-bridge.h).  Bodies
 * use req->base_url for absolute URLs.
 */
#ifndef TQ_SIM_REST_H
#define TQ_SIM_REST_H

#include "sim-app.h"
#include "sim-http.h"

void rest_handle(struct sim_app *app, const struct sim_req *req, struct sim_resp *resp);

/* True for a path this module serves ("/v1/Workspaces..."). */
bool rest_owns(const char *path);

/* The statistics resources: RealTimeStatistics, CumulativeStatistics or
 * Statistics (both). */
enum stats_resource { ST_REALTIME, ST_CUMULATIVE, ST_BOTH };

/* True when path segment seg names one of them, which goes to *out
 * (out may be NULL). */
bool rest_stats_resource(const char *seg, enum stats_resource *out);

#endif
