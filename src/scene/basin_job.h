/* basin_job: the basin maps of every runner of a scene: each start of a grid over
 * the view classified by the minimum the runner's optimizer reaches from it in K
 * steps (core/basin), the minima searched around the view, a shade for each minimum
 * shown, and faint iso-lines of the loss for orientation. Computed on the calling
 * thread (`optiscape basins`) or on a background worker (the window's overlay);
 * app/views/basin_view draws it. */
#ifndef OPTISCAPE_BASIN_JOB_H
#define OPTISCAPE_BASIN_JOB_H

#include <stdatomic.h>
#include <stdint.h>

#include "core/basin.h"
#include "scene/live.h"
#include "scene/worker.h"

#define BASIN_JOB_MAX_MINIMA 64
/* The shades minima are told apart by (basin_view's palette) */
#define BASIN_SHADES 8

/* What to compute: the landscape (spec and label), the runners, the grid. */
typedef struct basin_request {
    /* first: the worker releases its copy with worker_free_spec */
    char *spec;                   /* built-in "name:k=v" or a formula (owned by the caller) */
    int is_formula;
    char ls_label[160];
    int n;
    runner_desc desc[LIVE_MAX_RUNNERS];
    uint32_t color[LIVE_MAX_RUNNERS];
    char label[LIVE_MAX_RUNNERS][160];
    double view[4];
    int nx, ny, steps, threads;
    /* Optional: the run-steps done over all runners so far (a progress line); NULL: none */
    void (*progress)(double run_steps);
} basin_request;

typedef struct basin_panel {
    int *cls;                     /* nx * ny classes, row 0 at the bottom (core/basin) */
    uint32_t color;
    char label[160];
    long count[BASIN_JOB_MAX_MINIMA];   /* starts per minimum */
    long ndiverged, nnone;
} basin_panel;

typedef struct basin_progress basin_progress;

typedef struct basin_set {
    double view[4];
    int nx, ny, steps;
    char ls_label[160];
    crit_point minima[BASIN_JOB_MAX_MINIMA];   /* searched over the view and half again
                                                   on every side */
    int nminima;
    int shade[BASIN_JOB_MAX_MINIMA];   /* shade index of minimum m (-1: not shown) */
    basin_panel panel[LIVE_MAX_RUNNERS];
    int npanels;
    float *iso;                   /* iso-line points, x y in view fractions (y up) */
    int *iso_start;               /* line k: points iso_start[k] .. iso_start[k+1]-1 */
    int niso, iso_pts;
    double frange;                /* the loss's range over the view (0: unknown) */
    struct basin_progress *job;   /* a computation in slices, until it is done */
} basin_set;

/* Compute every map on the calling thread. f is the landscape rq->spec describes.
 * *cancel (may be NULL) set by another thread stops between runners (returns -1,
 * "cancelled"). 0, or -1 with a message. */
int basin_set_compute(basin_set *b, const lsfn *f, const basin_request *rq, atomic_int *cancel,
                      char *err, size_t errlen);
void basin_set_free(basin_set *b);

/* The window's background computation: one thread, the newest request wins (a
   scene/worker). */
typedef struct worker basin_worker;
basin_worker *basin_worker_create(void);
/* One with no thread: the minima, each runner's map and the iso-lines a slice of
 * worker_pump each (what the browser does). */
basin_worker *basin_worker_create_manual(void);
static inline void basin_worker_destroy(basin_worker *w) { worker_stop(w); }
/* Copies rq (and its spec); a computation in progress is cancelled. */
void basin_worker_request(basin_worker *w, const basin_request *rq);
/* The newest finished set not yet taken, or NULL; the caller owns it (basin_set_free, free). */
basin_set *basin_worker_poll(basin_worker *w);
static inline int basin_worker_busy(basin_worker *w) { return worker_busy(w); }
static inline void basin_worker_wait(basin_worker *w) { worker_wait(w); }

#endif
