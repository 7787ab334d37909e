/* pane-trends: sparklines of waiting tasks, the longest wait and available
 * workers, one sample per real-time refresh (kept by pane-realtime.c in
 * struct ui), newest on the right. */
#ifndef TQ_PANE_TRENDS_H
#define TQ_PANE_TRENDS_H

#include "pane.h"

extern const struct pane_ops pane_trends_ops;

#endif
