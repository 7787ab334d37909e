/* pane-props: the queue's properties as last fetched (or pushed): friendly
 * name, TargetWorkers, MaxReservedWorkers and task order, the reservation
 * and assignment activities, date updated; DELETED once it is gone. */
#ifndef TQ_PANE_PROPS_H
#define TQ_PANE_PROPS_H

#include "pane.h"

extern const struct pane_ops pane_props_ops;

#endif
