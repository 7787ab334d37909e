#include "config.h"
#include "urlcode.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(const char *s, size_t len, bool plus_space)
{
	char *out = xmalloc(len + 1), *o = out;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hex_value(s[i + 1]) >= 0 &&
		    hex_value(s[i + 2]) >= 0) {
			*o++ = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
			i += 2;
		} else if (s[i] == '+' && plus_space) {
			*o++ = ' ';
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* Takes key and value (the parser's decoded copies need no other). */
static void push(struct url_params *p, char *key, char *value)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->v = xreallocarray(p->v, p->cap, sizeof *p->v);
	}
	p->v[p->n].key = key;
	p->v[p->n].value = value;
	p->n++;
}

void url_params_add(struct url_params *p, const char *key, size_t klen, const char *value, size_t vlen)
{
	push(p, xstrndup(key, klen), xstrndup(value, vlen));
}

void url_params_parse(struct url_params *p, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t end = i, eq;

		while (end < len && s[end] != '&')
			end++;
		for (eq = i; eq < end && s[eq] != '='; eq++)
			;
		if (end > i)
			push(p, url_decode(s + i, eq - i, true),
			     eq < end ? url_decode(s + eq + 1, end - eq - 1, true) : xstrdup(""));
		i = end + 1;
	}
}

const char *url_params_get(const struct url_params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].key, key) == 0)
			return p->v[i].value;
	return NULL;
}

void url_params_free(struct url_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].key);
		free(p->v[i].value);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}
