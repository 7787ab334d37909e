#include "config.h"
#include "token.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "urlcode.h"
#include "xalloc.h"

/* "." and ".." segments, also percent-encoded, would let a request climb
 * out of the subtree a "**" rule grants; such URLs are never allowed. */
static bool has_dot_segment(const char *path)
{
	const char *seg = path;

	for (;;) {
		size_t n = strcspn(seg, "/");
		size_t dots = 0, i = 0;
		bool only_dots = n > 0;
		while (only_dots && i < n) {
			if (seg[i] == '.') {
				dots++;
				i++;
			} else if (n - i >= 3 && seg[i] == '%' && seg[i + 1] == '2' &&
				   (seg[i + 2] == 'e' || seg[i + 2] == 'E')) {
				dots++;
				i += 3;
			} else {
				only_dots = false;
			}
		}
		if (only_dots && dots <= 2)
			return true;
		if (!seg[n])
			return false;
		seg += n + 1;
	}
}

static bool path_match(const char *pat, const char *path)
{
	size_t pl = strlen(pat);

	if (pl >= 3 && strcmp(pat + pl - 3, "/**") == 0) {
		size_t pre = pl - 2;	/* keeps the '/' */
		return strncmp(path, pat, pre) == 0 && path[pre] != '\0';
	}
	if (pl >= 2 && strcmp(pat + pl - 2, "/*") == 0) {
		size_t pre = pl - 1;
		return strncmp(path, pat, pre) == 0 && path[pre] != '\0' &&
		       strchr(path + pre, '/') == NULL;
	}
	return strcmp(pat, path) == 0;
}

/* An empty filter allows anything.  Otherwise every item constrains its
 * key, and a filter made only of literals allows no other key. */
static bool filter_match(const struct tq_filter *f, const struct url_params *params)
{
	bool literal_only = true;

	if (f->n == 0)
		return true;
	for (size_t i = 0; i < f->n; i++) {
		const struct tq_filter_item *it = &f->items[i];
		bool present = false;
		if (!it->literal)
			literal_only = false;
		for (size_t j = 0; j < params->n; j++) {
			if (strcmp(params->v[j].key, it->key) != 0)
				continue;
			present = true;
			if (it->value && strcmp(params->v[j].value, it->value) != 0)
				return false;
		}
		if ((it->required || it->literal) && !present)
			return false;
	}
	if (literal_only) {
		for (size_t j = 0; j < params->n; j++) {
			bool known = false;
			for (size_t i = 0; i < f->n && !known; i++)
				known = strcmp(params->v[j].key, f->items[i].key) == 0;
			if (!known)
				return false;
		}
	}
	return true;
}

bool token_may_params(const struct tq_token *t, const char *method, const char *url,
		      const struct tq_param *params, size_t n_params)
{
	if (!t || !method || !url || (n_params && !params))
		return false;

	size_t plen = strcspn(url, "?#");
	char *path = xstrndup(url, plen);
	struct url_params query = { 0 }, body = { 0 };
	bool is_post = strcasecmp(method, "POST") == 0;
	bool allowed = false;

	if (url[plen] == '?') {
		url_params_parse(&query, url + plen + 1, strcspn(url + plen + 1, "#"));
	}
	for (size_t i = 0; i < n_params; i++) {
		if (!params[i].key || !params[i].value)
			goto out;
		url_params_add(is_post ? &body : &query, params[i].key, strlen(params[i].key),
			       params[i].value, strlen(params[i].value));
	}
	if (has_dot_segment(path))
		goto out;

	/* Among matching rules: longest URL, then filters over none, then
	 * deny over allow. */
	const struct tq_policy *best = NULL;
	size_t best_len = 0;
	bool best_filtered = false;
	for (size_t i = 0; i < t->n_policies; i++) {
		const struct tq_policy *p = &t->policies[i];
		if (!p->url || !p->method || strcasecmp(p->method, method) != 0)
			continue;
		if (!path_match(p->url, path))
			continue;
		if (!filter_match(&p->query_filter, &query))
			continue;
		if (is_post && !filter_match(&p->post_filter, &body))
			continue;
		size_t len = strlen(p->url);
		bool filtered = p->query_filter.n > 0 || p->post_filter.n > 0;
		if (!best || len > best_len ||
		    (len == best_len && filtered && !best_filtered) ||
		    (len == best_len && filtered == best_filtered && !p->allow)) {
			best = p;
			best_len = len;
			best_filtered = filtered;
		}
	}
	allowed = best && best->allow;
out:
	url_params_free(&query);
	url_params_free(&body);
	free(path);
	return allowed;
}

bool token_may(const struct tq_token *t, const char *method, const char *url)
{
	return token_may_params(t, method, url, NULL, 0);
}

char *token_channel_url(const struct tq_token *t)
{
	if (!t || !t->account_sid || !t->channel)
		return NULL;
	return xasprintf("%s/v1/wschannels/%s/%s", EVENT_BRIDGE_BASE, t->account_sid, t->channel);
}

char *token_queue_url(const char *workspace_sid, const char *queue_sid)
{
	if (!workspace_sid || !queue_sid)
		return NULL;
	return xasprintf("%s/v1/Workspaces/%s/TaskQueues/%s", TASKROUTER_API_BASE,
			 workspace_sid, queue_sid);
}
