/* The event-bridge tunnel takes a JSON envelope {url, method, params,
 * token, event_type} from anyone who can reach the port.  Any bytes must
 * get an answer a client can rely on, and nothing may get past the token:
 * a request answered 200 must be one the token allows.
 *
 * Input: the envelope.  "@TOKEN@" in it stands for a valid capability
 * token for queue FUZZ_QUEUE (fetch, subresources, update, delete), so
 * that mutations reach the REST layer behind the token check.  An input
 * starting with '/' gives the channel path on its first line. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "fuzz-sim-app.h"
#include "json.h"
#include "sim-bridge.h"
#include "token.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *token(void)
{
	static char *jwt;

	if (!jwt) {
		struct token_mint_opts o = {
			.account_sid = FUZZ_ACCOUNT, .workspace_sid = FUZZ_WORKSPACE,
			.taskqueue_sid = FUZZ_QUEUE, .allow_fetch_subresources = true,
			.allow_updates = true, .allow_delete = true, .ttl = 10LL * 365 * 86400,
		};
		char *err = NULL;
		jwt = token_mint(&o, FUZZ_AUTH_TOKEN, &err);
		if (!jwt) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
	}
	return jwt;
}

/* data with every "@TOKEN@" replaced. */
static void substitute(const char *data, size_t size, struct buf *out)
{
	static const char mark[] = "@TOKEN@";
	size_t i = 0;

	while (i < size) {
		if (size - i >= sizeof mark - 1 && memcmp(data + i, mark, sizeof mark - 1) == 0) {
			buf_puts(out, token());
			i += sizeof mark - 1;
		} else {
			buf_putc(out, data[i++]);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_app *app = fuzz_app();
	struct sim_req req = { 0 };
	struct sim_resp resp = { 0 };
	const char *text = (const char *)data;
	size_t skip = 0;

	if (size && text[0] == '/') {
		const char *nl = memchr(text, '\n', size);
		skip = nl ? (size_t)(nl - text) + 1 : size;
		req.path = xstrndup(text, nl ? (size_t)(nl - text) : size);
	} else {
		req.path = xstrdup("/v1/wschannels/" FUZZ_ACCOUNT "/" FUZZ_QUEUE);
	}
	req.method = xstrdup("POST");
	req.base_url = xstrdup("http://127.0.0.1:8470");
	substitute(text + skip, size - skip, &req.body);
	req_parse_body(&req);
	bridge_tunnel(app, &req, &resp);
	fuzz_app_check_resp(&resp);
	if (resp.status == 200) {
		/* Only the minted token unlocks anything. */
		if (!strstr(buf_cstr(&req.body), token())) {
			fprintf(stderr, "200 without the token: %s\n", buf_cstr(&req.body));
			abort();
		}
		yajl_val root = json_parse(resp.body.data, resp.body.len, NULL);
		if (!json_get(root, "event_type") || !json_get(root, "payload"))
			abort();
		yajl_tree_free(root);
	}
	if (resp.status < 300)
		fuzz_app_dirty();
	req_clear(&req);
	resp_clear(&resp);
	return 0;
}
