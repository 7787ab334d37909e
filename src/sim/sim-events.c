#include "config.h"
#include "sim-events.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static const char *const kind_names[EVK_N] = {
#define EV_NAME(id, name) [id] = name,
	EVENT_KINDS(EV_NAME)
#undef EV_NAME
};

const char *event_kind_name(enum ev_kind k)
{
	return k < EVK_N ? kind_names[k] : "?";
}

void events_init(struct sim_events *ev, size_t cap)
{
	memset(ev, 0, sizeof *ev);
	ev->cap = cap ? cap : 1;
	ev->v = xcalloc(ev->cap, sizeof *ev->v);
}

void events_free(struct sim_events *ev)
{
	free(ev->v);
	memset(ev, 0, sizeof *ev);
}

struct sim_ev *events_add(struct sim_events *ev, int64_t t, enum ev_kind kind)
{
	struct sim_ev *e;

	if (ev->n == ev->cap) {
		ev->first = (ev->first + 1) % ev->cap;
		ev->n--;
		ev->dropped = true;
	}
	e = &ev->v[(ev->first + ev->n) % ev->cap];
	ev->n++;
	*e = (struct sim_ev){ .t = t, .seq = ev->next_seq++, .queue = -1, .queue2 = -1, .worker = -1,
			      .activity = -1, .prev_activity = -1, .kind = (uint8_t)kind };
	return e;
}

const struct sim_ev *events_at(const struct sim_events *ev, size_t i)
{
	return &ev->v[(ev->first + i) % ev->cap];
}

int64_t events_oldest(const struct sim_events *ev)
{
	/* Events at the oldest kept time may have had dropped companions at
	 * the same ms: complete only after it. */
	return ev->dropped && ev->n ? events_at(ev, 0)->t + 1 : INT64_MIN;
}
