#include "config.h"
#include "sim-hist.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Block encoding (all integers LEB128 varints):
 *   minute - previous block's minute in the chunk (0 for the first)
 *   channel
 *   bit mask of the kinds with a non-zero count, then those counts
 *   if accepted: wait, wait in queue (as dur), middle seconds of wait
 *   if canceled: wait (as dur), middle seconds of wait
 * A dur of n values is min, then max - min when n >= 2, then
 * total - min - max when n >= 3.  The seconds of n values, ascending,
 * start with ceil(min) and end with ceil(max): only the n - 2 in between
 * are stored, as differences from the previous one. */

int64_t hist_minute(int64_t t)
{
	int64_t m = t / HIST_MINUTE_MS;

	return t % HIST_MINUTE_MS < 0 ? m - 1 : m;
}

uint32_t hist_ceil_s(int64_t ms)
{
	return (uint32_t)((ms + 999) / 1000);
}

void dur_add(struct sim_dur *d, int64_t v)
{
	if (d->n == 0 || v < d->min_ms)
		d->min_ms = v;
	if (d->n == 0 || v > d->max_ms)
		d->max_ms = v;
	d->total_ms += v;
	d->n++;
}

void dur_merge(struct sim_dur *d, const struct sim_dur *x)
{
	if (x->n == 0)
		return;
	if (d->n == 0 || x->min_ms < d->min_ms)
		d->min_ms = x->min_ms;
	if (d->n == 0 || x->max_ms > d->max_ms)
		d->max_ms = x->max_ms;
	d->total_ms += x->total_ms;
	d->n += x->n;
}

static int32_t clamp32(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : v < 0 ? 0 : (int32_t)v;
}

static size_t raw_bytes(size_t cap)
{
	return cap * sizeof(struct hist_rec);
}

static size_t chunk_bytes(const struct hist_chunk *c)
{
	return sizeof *c + c->cap;
}

static void raw_resize(struct sim_hist *h, size_t cap)
{
	h->bytes = h->bytes - raw_bytes(h->cap) + raw_bytes(cap);
	h->cap = cap;
	h->v = xreallocarray(h->v, h->cap, sizeof *h->v);
}

/* Full: first reclaim the folded records at the front; then grow by a
 * quarter when less than 1/8 is free, or shrink to 5/4 of the live records
 * when less than half is live.  So the array stays within about 1.4 times
 * the live records, and a record moves at most about 7 times. */
static void raw_make_room(struct sim_hist *h)
{
	size_t live = h->n - h->head;

	if (h->head) {
		memmove(h->v, h->v + h->head, live * sizeof *h->v);
		h->head = 0;
		h->n = live;
	}
	if (h->cap - live < h->cap / 8 + 1)
		raw_resize(h, h->cap + h->cap / 4 + 16);
	else if (live < h->cap / 2)
		raw_resize(h, live + live / 4 + 16);
}

void hist_add(struct sim_hist *h, int64_t t, enum hist_kind kind, int channel, int64_t wait_ms, int64_t wait_q_ms)
{
	if (h->n == h->cap)
		raw_make_room(h);
	h->v[h->n++] = (struct hist_rec){ t, clamp32(wait_ms), clamp32(wait_q_ms), (uint8_t)kind, (uint8_t)channel };
}

size_t hist_lower_bound(const struct sim_hist *h, int64_t t)
{
	size_t lo = h->head, hi = h->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->v[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- encoding ------------------------------------------------------------- */

static void put(struct hist_scratch *s, size_t *len, uint64_t v)
{
	if (s->cap_out - *len < 10) {
		s->cap_out = s->cap_out ? s->cap_out * 2 : 256;
		s->out = xrealloc(s->out, s->cap_out);
	}
	do {
		uint8_t byte = v & 0x7f;
		v >>= 7;
		s->out[(*len)++] = byte | (v ? 0x80 : 0);
	} while (v);
}

static void put_dur(struct hist_scratch *s, size_t *len, const struct sim_dur *d)
{
	put(s, len, (uint64_t)d->min_ms);
	if (d->n >= 2)
		put(s, len, (uint64_t)(d->max_ms - d->min_ms));
	if (d->n >= 3)
		put(s, len, (uint64_t)(d->total_ms - d->min_ms - d->max_ms));
}

static void put_middle(struct hist_scratch *s, size_t *len, const uint32_t *v, size_t n)
{
	for (size_t i = 1; i + 1 < n; i++)
		put(s, len, v[i] - v[i - 1]);
}

static void push_s(uint32_t **v, size_t *cap, size_t n, uint32_t x)
{
	if (n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[n] = x;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void append_block(struct sim_hist *h, int64_t minute, const uint8_t *block, size_t len)
{
	struct hist_chunk *c = h->n_chunks ? h->chunks[h->n_chunks - 1] : NULL;

	/* 10: the longest minute delta */
	if (!c || c->cap - c->len < len + 10) {
		size_t cap = len + 10 > HIST_CHUNK_BYTES ? len + 10 : HIST_CHUNK_BYTES;
		if (h->n_chunks == h->cap_chunks) {
			size_t ncap = h->cap_chunks ? h->cap_chunks * 2 : 4;
			h->bytes += (ncap - h->cap_chunks) * sizeof *h->chunks;
			h->chunks = xreallocarray(h->chunks, ncap, sizeof *h->chunks);
			h->cap_chunks = ncap;
		}
		c = xmalloc(sizeof *c + cap);
		c->first_min = c->last_min = minute;
		c->len = 0;
		c->cap = (uint32_t)cap;
		h->chunks[h->n_chunks++] = c;
		h->bytes += chunk_bytes(c);
	}
	uint64_t delta = (uint64_t)(minute - c->last_min);
	do {
		uint8_t byte = delta & 0x7f;
		delta >>= 7;
		c->data[c->len++] = byte | (delta ? 0x80 : 0);
	} while (delta);
	memcpy(c->data + c->len, block, len);
	c->len += (uint32_t)len;
	c->last_min = minute;
}

/* One block from the records of recs[0..n) on channel ch. */
static void fold_block(struct sim_hist *h, struct hist_scratch *s, int64_t minute, int ch,
		       const struct hist_rec *recs, size_t n)
{
	uint64_t count[H_N] = { 0 };
	struct sim_dur acc = { 0, 0, 0, 0 }, acc_q = { 0, 0, 0, 0 }, canc = { 0, 0, 0, 0 };
	size_t na = 0, nc = 0, len = 0;
	uint64_t mask = 0;

	for (size_t i = 0; i < n; i++) {
		const struct hist_rec *r = &recs[i];
		if (r->channel != ch)
			continue;
		count[r->kind]++;
		if (r->kind == H_RES_ACCEPTED) {
			dur_add(&acc, r->wait_ms);
			dur_add(&acc_q, r->wait_q_ms);
			push_s(&s->acc_s, &s->cap_acc, na++, hist_ceil_s(r->wait_ms));
		} else if (r->kind == H_CANCELED) {
			dur_add(&canc, r->wait_ms);
			push_s(&s->canc_s, &s->cap_canc, nc++, hist_ceil_s(r->wait_ms));
		}
	}
	if (na > 1)
		qsort(s->acc_s, na, sizeof *s->acc_s, cmp_u32);
	if (nc > 1)
		qsort(s->canc_s, nc, sizeof *s->canc_s, cmp_u32);
	for (int k = 0; k < H_N; k++)
		if (count[k])
			mask |= 1u << k;
	put(s, &len, (uint64_t)ch);
	put(s, &len, mask);
	for (int k = 0; k < H_N; k++)
		if (count[k])
			put(s, &len, count[k]);
	if (na) {
		put_dur(s, &len, &acc);
		put_dur(s, &len, &acc_q);
		put_middle(s, &len, s->acc_s, na);
	}
	if (nc) {
		put_dur(s, &len, &canc);
		put_middle(s, &len, s->canc_s, nc);
	}
	append_block(h, minute, s->out, len);
}

void hist_fold(struct sim_hist *h, int64_t raw_from, struct hist_scratch *s)
{
	size_t end, i = h->head;

	if (i == h->n || h->v[i].t >= raw_from)
		return;
	end = hist_lower_bound(h, raw_from);

	while (i < end) {
		int64_t minute = hist_minute(h->v[i].t);
		size_t j = i;
		int ch = -1;

		while (j < end && hist_minute(h->v[j].t) == minute)
			j++;
		/* One block per channel, in channel order: few channels, so
		 * rescanning the minute beats sorting it. */
		for (;;) {
			int next = 256;
			for (size_t k = i; k < j; k++)
				if (h->v[k].channel > ch && h->v[k].channel < next)
					next = h->v[k].channel;
			if (next == 256)
				break;
			ch = next;
			fold_block(h, s, minute, ch, &h->v[i], j - i);
		}
		i = j;
	}
	h->head = end;
	if (h->head == h->n)
		h->head = h->n = 0;
}

void hist_prune(struct sim_hist *h, int64_t kept_from)
{
	int64_t kept_min = hist_minute(kept_from);
	size_t n = 0;

	while (n < h->n_chunks && h->chunks[n]->last_min < kept_min) {
		h->bytes -= chunk_bytes(h->chunks[n]);
		free(h->chunks[n]);
		n++;
	}
	if (n == 0)
		return;
	memmove(h->chunks, h->chunks + n, (h->n_chunks - n) * sizeof *h->chunks);
	h->n_chunks -= n;
}

void hist_free(struct sim_hist *h)
{
	for (size_t i = 0; i < h->n_chunks; i++)
		free(h->chunks[i]);
	free(h->chunks);
	free(h->v);
	memset(h, 0, sizeof *h);
}

void hist_scratch_free(struct hist_scratch *s)
{
	free(s->acc_s);
	free(s->canc_s);
	free(s->out);
	memset(s, 0, sizeof *s);
}

/* ---- decoding ------------------------------------------------------------- */

static uint64_t get(const struct hist_chunk *c, uint32_t *off)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t byte;

	do {
		byte = c->data[(*off)++];
		v |= (uint64_t)(byte & 0x7f) << shift;
		shift += 7;
	} while (byte & 0x80);
	return v;
}

static void get_dur(const struct hist_chunk *c, uint32_t *off, uint64_t n, struct sim_dur *d)
{
	d->n = n;
	d->min_ms = (int64_t)get(c, off);
	d->max_ms = n >= 2 ? d->min_ms + (int64_t)get(c, off) : d->min_ms;
	if (n >= 3)
		d->total_ms = d->min_ms + d->max_ms + (int64_t)get(c, off);
	else
		d->total_ms = n == 2 ? d->min_ms + d->max_ms : d->min_ms;
}

static const uint32_t *get_seconds(const struct hist_chunk *c, uint32_t *off, const struct sim_dur *d,
				   uint32_t **v, size_t *cap)
{
	size_t n = (size_t)d->n;

	if (n > *cap) {
		*cap = n;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[0] = hist_ceil_s(d->min_ms);
	for (size_t i = 1; i + 1 < n; i++)
		(*v)[i] = (*v)[i - 1] + (uint32_t)get(c, off);
	if (n >= 2)
		(*v)[n - 1] = hist_ceil_s(d->max_ms);
	return *v;
}

static void decode(struct hist_iter *it, const struct hist_chunk *c, struct hist_block *b)
{
	uint32_t *off = &it->off;
	uint64_t mask;
	static const struct sim_dur none = { 0, 0, 0, 0 };

	b->minute = it->minute + (int64_t)get(c, off);
	it->minute = b->minute;
	b->channel = (int)get(c, off);
	mask = get(c, off);
	for (int k = 0; k < H_N; k++)
		b->count[k] = mask & (1u << k) ? get(c, off) : 0;
	b->until_accepted = b->in_queue_until_accepted = b->until_canceled = none;
	b->accepted_s = b->canceled_s = NULL;
	if (b->count[H_RES_ACCEPTED]) {
		get_dur(c, off, b->count[H_RES_ACCEPTED], &b->until_accepted);
		get_dur(c, off, b->count[H_RES_ACCEPTED], &b->in_queue_until_accepted);
		b->accepted_s = get_seconds(c, off, &b->until_accepted, &it->acc_s, &it->cap_acc);
	}
	if (b->count[H_CANCELED]) {
		get_dur(c, off, b->count[H_CANCELED], &b->until_canceled);
		b->canceled_s = get_seconds(c, off, &b->until_canceled, &it->canc_s, &it->cap_canc);
	}
}

void hist_iter_start(struct hist_iter *it, const struct sim_hist *h, int64_t m0, int64_t m1)
{
	size_t lo = 0, hi = h->n_chunks;

	memset(it, 0, sizeof *it);
	it->h = h;
	it->m0 = m0;
	it->m1 = m1;
	/* the first chunk that reaches m0 */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->chunks[mid]->last_min < m0)
			lo = mid + 1;
		else
			hi = mid;
	}
	it->chunk = lo;
}

bool hist_next(struct hist_iter *it, struct hist_block *b)
{
	const struct sim_hist *h = it->h;

	while (it->chunk < h->n_chunks) {
		const struct hist_chunk *c = h->chunks[it->chunk];
		if (it->off == c->len) {
			it->chunk++;
			it->off = 0;
			continue;
		}
		if (it->off == 0)
			it->minute = c->first_min;
		decode(it, c, b);
		if (b->minute >= it->m1) {
			it->chunk = h->n_chunks;
			return false;
		}
		if (b->minute >= it->m0)
			return true;
	}
	return false;
}

void hist_iter_end(struct hist_iter *it)
{
	free(it->acc_s);
	free(it->canc_s);
	memset(it, 0, sizeof *it);
}

char *hist_check(const struct sim_hist *h, int64_t raw_from)
{
	size_t bytes = raw_bytes(h->cap) + h->cap_chunks * sizeof *h->chunks;
	struct hist_iter it;
	struct hist_block b;
	int64_t prev = INT64_MIN;
	int prev_ch = -1;

	if (h->head > h->n || h->n > h->cap)
		return xasprintf("raw records %zu..%zu of %zu", h->head, h->n, h->cap);
	for (size_t i = h->head; i < h->n; i++) {
		if (h->v[i].t < raw_from)
			return xasprintf("raw record %zu at %lld is before the raw horizon %lld", i,
					 (long long)h->v[i].t, (long long)raw_from);
		if (i > h->head && h->v[i].t < h->v[i - 1].t)
			return xasprintf("raw record %zu goes back in time", i);
	}
	for (size_t i = 0; i < h->n_chunks; i++) {
		const struct hist_chunk *c = h->chunks[i];
		bytes += chunk_bytes(c);
		if (c->first_min > c->last_min || c->len > c->cap || (i && c->first_min < h->chunks[i - 1]->last_min))
			return xasprintf("chunk %zu: minutes %lld..%lld, %u of %u bytes", i, (long long)c->first_min,
					 (long long)c->last_min, c->len, c->cap);
	}
	if (bytes != h->bytes)
		return xasprintf("history holds %zu bytes, counted %zu", bytes, h->bytes);
	/* Every block decodes, in order, and each chunk ends on its last minute. */
	hist_iter_start(&it, h, INT64_MIN, INT64_MAX);
	while (hist_next(&it, &b)) {
		const struct hist_chunk *c = h->chunks[it.chunk];
		if (b.minute < prev || (b.minute == prev && b.channel <= prev_ch) ||
		    (it.off == c->len && b.minute != c->last_min) ||
		    (raw_from > INT64_MIN && b.minute >= hist_minute(raw_from))) {
			hist_iter_end(&it);
			return xasprintf("block of minute %lld channel %d out of order", (long long)b.minute, b.channel);
		}
		prev = b.minute;
		prev_ch = b.channel;
	}
	hist_iter_end(&it);
	return NULL;
}
