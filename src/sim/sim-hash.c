#include "config.h"
#include "sim-hash.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static uint64_t fnv1a(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static struct sim_hash_slot *find(const struct sim_hash *h, const char *key, size_t len, uint64_t hash)
{
	size_t mask = h->cap - 1;

	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct sim_hash_slot *s = &h->slots[i];
		if (!s->key)
			return s;
		if (s->hash == hash && strncmp(s->key, key, len) == 0 && s->key[len] == '\0')
			return s;
	}
}

static void grow(struct sim_hash *h)
{
	struct sim_hash old = *h;

	h->cap = old.cap ? old.cap * 2 : 64;
	h->slots = xcalloc(h->cap, sizeof *h->slots);
	for (size_t i = 0; i < old.cap; i++) {
		struct sim_hash_slot *s = &old.slots[i];
		if (s->key)
			*find(h, s->key, strlen(s->key), s->hash) = *s;
	}
	free(old.slots);
}

void sim_hash_put(struct sim_hash *h, const char *key, int64_t value)
{
	size_t len = strlen(key);
	uint64_t hash = fnv1a(key, len);
	struct sim_hash_slot *s;

	if ((h->n + 1) * 4 > h->cap * 3)
		grow(h);
	s = find(h, key, len, hash);
	if (!s->key) {
		s->key = xstrdup(key);
		s->hash = hash;
		h->n++;
	}
	s->value = value;
}

bool sim_hash_getn(const struct sim_hash *h, const char *key, size_t len, int64_t *value)
{
	struct sim_hash_slot *s;

	if (!h->cap)
		return false;
	s = find(h, key, len, fnv1a(key, len));
	if (!s->key)
		return false;
	*value = s->value;
	return true;
}

bool sim_hash_get(const struct sim_hash *h, const char *key, int64_t *value)
{
	return sim_hash_getn(h, key, strlen(key), value);
}

void sim_hash_free(struct sim_hash *h)
{
	for (size_t i = 0; i < h->cap; i++)
		free(h->slots[i].key);
	free(h->slots);
	h->slots = NULL;
	h->cap = h->n = 0;
}
