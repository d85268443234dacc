/* field_worker: computes the loss field, its curvature (largest Hessian eigenvalue)
 * and the critical points of a view on a background thread, so panning and zooming
 * keep the full frame rate while the new field is being computed: the window keeps
 * drawing the last field, moved and scaled, until the new one arrives. */
#ifndef OPTISCAPE_FIELD_WORKER_H
#define OPTISCAPE_FIELD_WORKER_H

#include "scene/field_result.h"
#include "scene/worker.h"

/* a worker (scene/worker) whose requests are views and whose results are fields */
typedef struct worker field_worker;

field_worker *field_worker_create(void);
/* One with no thread: its fields are made in the slices worker_pump gives it (what
   every worker is on the single-threaded web build). */
field_worker *field_worker_create_manual(void);
static inline void field_worker_destroy(field_worker *fw) { worker_stop(fw); }

/* Ask for a field: the landscape as a spec (built-in "name:k=v") or a formula,
 * sampled w x h over view. Replaces any request not yet started. */
void field_worker_request(field_worker *fw, const char *spec, int is_formula, unsigned gen,
                          const double view[4], int w, int h, int want_lmax, int want_crit);
/* The newest finished result not yet taken, or NULL. It stays valid until the next
 * call of field_worker_poll. */
static inline const field_result *field_worker_poll(field_worker *fw) { return worker_take(fw); }
/* Block until every request made so far is finished. */
static inline void field_worker_wait(field_worker *fw) { worker_wait(fw); }

#endif
