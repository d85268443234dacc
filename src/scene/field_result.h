/* field_result: the loss field of a view, its curvature (largest Hessian
 * eigenvalue) and its critical points, as the window, render, the SVG export and
 * the web build draw them. */
#ifndef OPTISCAPE_FIELD_RESULT_H
#define OPTISCAPE_FIELD_RESULT_H

#include <stddef.h>

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
    struct field_progress *job;   /* a computation begun and not finished; NULL */
} field_result;

/* Compute r on the calling thread (the worker, render, tests). 0, or -1 with a
 * message (bad spec, out of memory). */
int field_result_compute(field_result *r, const char *spec, int is_formula, unsigned gen,
                         const double view[4], int w, int h, int want_lmax, int want_crit,
                         int nthreads, char *err, size_t errlen);
void field_result_free(field_result *r);

/* The same computation in slices (a single-threaded program that must not block a
 * frame): begin compiles the landscape and sizes r (0, or -1 with a message); each
 * step computes bands of rows, then the curvature, then the critical points, until
 * the deadline (os_now() seconds) has passed: 1 while work remains, 0 when r is
 * complete, -1 with a message. The samples are bit for bit those of
 * field_result_compute. r is not a result to draw until a step returned 0. */
int field_result_begin(field_result *r, const char *spec, int is_formula, unsigned gen,
                       const double view[4], int w, int h, int want_lmax, int want_crit,
                       int nthreads, char *err, size_t errlen);
int field_result_step(field_result *r, double deadline, char *err, size_t errlen);

#endif
