/* tunnel: the TaskRouter.js v1 way of calling REST with a capability
 * token: a POST to the event bridge's channel URL carrying
 * {"url", "method", "params", "token", "event_type"} (PROTOCOL.md 6).
 *
 * Contract (pure, unit-tested):
 *  - tunnel_envelope() builds the request body; params become a JSON
 *    object of strings and are left out when there are none; event_type
 *    only when given ("ready").  The body holds the token: a secret that
 *    must never be logged.
 *  - tunnel_unwrap() parses the answer {"event_type": .., "payload": ..}
 *    and hands back the payload node, which lives as long as *tree (free
 *    it with yajl_tree_free()).
 *  - api_url() builds base + path + "?" + url-encoded params.
 */
#ifndef TQ_TUNNEL_H
#define TQ_TUNNEL_H

#include <stdbool.h>
#include <stddef.h>

#include <yajl/yajl_tree.h>

#include "token.h"

char *tunnel_envelope(const char *url, const char *method, const struct tq_param *params,
		      size_t n_params, const char *token, const char *event_type);
bool tunnel_unwrap(const char *body, size_t len, yajl_val *tree, yajl_val *payload,
		   char **event_type, char **err);
char *api_url(const char *base, const char *path, const struct tq_param *params, size_t n);
/* "A=1&B=x%20y" (application/x-www-form-urlencoded). */
char *form_encode(const struct tq_param *params, size_t n);

#endif
