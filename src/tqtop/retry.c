#include "config.h"
#include "retry.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double retry_delay(unsigned attempt, double base, double cap, double retry_after, double u)
{
	double d = base * ldexp(1.0, attempt > 30 ? 30 : (int)attempt);

	if (d > cap)
		d = cap;
	d = d * (0.5 + 0.5 * u);
	if (retry_after > 0) {
		double ra = retry_after > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : retry_after;
		if (ra > d)
			d = ra;
	}
	return d;
}

enum retry_verdict retry_decide(const char *method, long status, bool transport_error,
				bool not_sent)
{
	bool idempotent = strcmp(method, "GET") == 0;

	if (status == 429)
		return RETRY_YES;
	if (transport_error)
		return (idempotent || not_sent) ? RETRY_YES : RETRY_NO;
	if (status >= 500 && status <= 599)
		return idempotent ? RETRY_YES : RETRY_NO;
	return RETRY_NO;
}

double reconnect_delay(unsigned k, double u)
{
	double d;

	if (k < 1)
		k = 1;
	d = k >= 5 ? 30.0 : ldexp(1.0, (int)k) - 1.0;
	if (d > 30.0)
		d = 30.0;
	return d * (0.8 + 0.4 * u);
}

int64_t backoff_fail(struct backoff *b, double retry_after, double u, int64_t now_ms)
{
	double d;
	int64_t ms;

	if (b->streak < 1000)
		b->streak++;
	d = retry_delay(b->streak - 1, RETRY_BASE_S, RETRY_CAP_S, retry_after, u);
	ms = (int64_t)(d * 1000.0);
	b->not_before_ms = now_ms + ms;
	return ms;
}

void backoff_ok(struct backoff *b)
{
	b->streak = 0;
	b->not_before_ms = 0;
}

bool backoff_retry_within(const struct backoff *b, unsigned attempt)
{
	return attempt + 1 < RETRY_MAX_ATTEMPTS && b->streak < RETRY_MAX_ATTEMPTS;
}

int64_t backoff_wait(const struct backoff *b, int64_t now_ms)
{
	return b->not_before_ms > now_ms ? b->not_before_ms - now_ms : 0;
}

void budget_init(struct budget *b, double rate, double burst, int64_t now_ms)
{
	b->rate = rate;
	b->burst = burst;
	b->tokens = burst;
	b->last_ms = now_ms;
}

int64_t budget_take(struct budget *b, int64_t now_ms)
{
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * b->rate / 1000.0;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
		b->last_ms = now_ms;
	}
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
		return 0;
	}
	return (int64_t)ceil((1.0 - b->tokens) * 1000.0 / b->rate);
}

double retry_jitter(void)
{
	static bool seeded;

	if (!seeded) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		srand48((long)(ts.tv_nsec ^ (long)getpid() ^ ts.tv_sec));
		seeded = true;
	}
	return drand48();
}
