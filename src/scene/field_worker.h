/* field_worker: computes the loss field, its curvature (largest Hessian eigenvalue)
 * and the critical points of a view on a background thread, so panning and zooming
 * keep the full frame rate while the new field is being computed: the window keeps
 * drawing the last field, moved and scaled, until the new one arrives. */
#ifndef OPTISCAPE_FIELD_WORKER_H
#define OPTISCAPE_FIELD_WORKER_H

#include "core/crit.h"

#define FIELD_WORKER_MAX_CRIT 256

typedef struct field_result {
    float *loss;            /* w x h, row 0 at the bottom, values f - offset */
    float *lmax;            /* lw x lh = w x h, largest Hessian eigenvalue (interpolated
                               from a quarter-resolution grid; NULL if not asked) */
    int w, h, lw, lh;
    double view[4];         /* the region the samples cover */
    double offset;
    float vmin, vmax;       /* finite range of loss */
    crit_point crit[FIELD_WORKER_MAX_CRIT];
    int ncrit;              /* -1: not computed */
    double hess_scale;
    unsigned gen;           /* the landscape generation of the request */
} field_result;

typedef struct field_worker field_worker;

field_worker *field_worker_create(void);
void field_worker_destroy(field_worker *fw);

/* Ask for a field: the landscape as a spec (built-in "name:k=v") or a formula,
 * sampled w x h over view. Replaces any request not yet started. */
void field_worker_request(field_worker *fw, const char *spec, int is_formula, unsigned gen,
                          const double view[4], int w, int h, int want_lmax, int want_crit);
/* The newest finished result not yet taken, or NULL. It stays valid until the next
 * call of field_worker_poll. */
const field_result *field_worker_poll(field_worker *fw);
/* Block until every request made so far is finished. */
void field_worker_wait(field_worker *fw);

/* The same computation on the calling thread (render, tests). 0, or -1 with a
 * message (bad spec, out of memory). */
int field_result_compute(field_result *r, const char *spec, int is_formula, unsigned gen,
                         const double view[4], int w, int h, int want_lmax, int want_crit,
                         int nthreads, char *err, size_t errlen);
void field_result_free(field_result *r);

#endif
