/* pane-cumulative: CumulativeStatistics over the chosen window: task and
 * reservation counts, acceptance time, wait durations and the share of
 * tasks answered within each SplitByWaitTime threshold (--sla, wrapped
 * onto more rows when there are many).  ui_cumulative() gives the numbers
 * shown and their slot (CumulativeStatistics, else /Statistics' half). */
#ifndef TQ_PANE_CUMULATIVE_H
#define TQ_PANE_CUMULATIVE_H

#include "pane.h"
#include "state.h"

extern const struct pane_ops pane_cumulative_ops;

const struct tq_cumulative_stats *ui_cumulative(const struct ui *ui, const struct tq_slot **slot);

#endif
