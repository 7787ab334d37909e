/* pane-realtime: RealTimeStatistics: workers, tasks by status and by
 * priority, the longest waiting task, workers per activity.
 *
 * Contract:
 *  - The pane asks for the rows its data needs (it measures itself); given
 *    fewer, priorities and activities are cut with "+N more", never
 *    silently.
 *  - ui_realtime() gives the numbers shown and the slot that dates them:
 *    RealTimeStatistics, else the "realtime" half of /Statistics.
 *  - realtime_observe() runs every turn: a new refresh becomes the
 *    "previous" values of the arrows and a sample of the trends, and asks
 *    for a new layout when the pane wants more rows than it had.
 */
#ifndef TQ_PANE_REALTIME_H
#define TQ_PANE_REALTIME_H

#include "pane.h"
#include "state.h"

extern const struct pane_ops pane_realtime_ops;

const struct tq_realtime_stats *ui_realtime(const struct ui *ui, const struct tq_slot **slot);
void realtime_observe(struct ui *ui);

#endif
