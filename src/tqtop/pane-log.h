/* pane-log: the event log: every bridge event, error and token change
 * with its time (and, with --debug, every frame and request), newest at
 * the bottom, from the engine's ring (state.h). */
#ifndef TQ_PANE_LOG_H
#define TQ_PANE_LOG_H

#include "pane.h"

extern const struct pane_ops pane_log_ops;

#endif
