/* pane-header: the top line: the queue (friendly name and sid), its
 * workspace, FROZEN or DELETED, the refresh interval, the statistics
 * window and the clock.  The SIDs shorten before the workspace is ever
 * dropped; the name is cut only when even the shortest do not fit. */
#ifndef TQ_PANE_HEADER_H
#define TQ_PANE_HEADER_H

#include "pane.h"

extern const struct pane_ops pane_header_ops;

#endif
