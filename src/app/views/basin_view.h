/* basin_view: basin maps of every runner of a scene, side by side: each start of a
 * grid over the view coloured by the minimum the runner's optimizer reaches from
 * it in K steps (grey: diverged, or at no minimum), with faint iso-lines of the
 * loss and the minima marked and numbered. Computed by core/basin; drawn by the
 * window (an overlay, B, computed on a background thread) and by `optiscape
 * basins` (a PNG), through the one drawing function here. */
#ifndef OPTISCAPE_BASIN_VIEW_H
#define OPTISCAPE_BASIN_VIEW_H

#include <stdatomic.h>

#include "core/basin.h"
#include "scene/live.h"
#include "render/gfx.h"
#include "app/views/scene_view.h"

#define BASIN_VIEW_MAX_MINIMA 64

/* What to compute: the landscape (spec and label), the runners, the grid. */
typedef struct basin_request {
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
    long count[BASIN_VIEW_MAX_MINIMA];   /* starts per minimum */
    long ndiverged, nnone;
} basin_panel;

typedef struct basin_set {
    double view[4];
    int nx, ny, steps;
    char ls_label[160];
    crit_point minima[BASIN_VIEW_MAX_MINIMA];   /* searched over the view and half again
                                                   on every side */
    int nminima;
    int shade[BASIN_VIEW_MAX_MINIMA];   /* colour index of minimum m (-1: not shown) */
    basin_panel panel[LIVE_MAX_RUNNERS];
    int npanels;
    float *iso;                   /* iso-line points, x y in view fractions (y up) */
    int *iso_start;               /* line k: points iso_start[k] .. iso_start[k+1]-1 */
    int niso, iso_pts;
    double frange;                /* the loss's range over the view (0: unknown) */
} basin_set;

/* Fill a request from the live scene (every runner, visible or not, in order). */
void basin_request_from_live(basin_request *rq, const live *L, const double view[4], int nx, int ny,
                             int steps);

/* Compute every map on the calling thread. f is the landscape rq->spec describes.
 * *cancel (may be NULL) set by another thread stops between runners (returns -1,
 * "cancelled"). 0, or -1 with a message. */
int basin_set_compute(basin_set *b, const lsfn *f, const basin_request *rq, atomic_int *cancel,
                      char *err, size_t errlen);
void basin_set_free(basin_set *b);

/* The colour of class c (a minimum's index, BASIN_DIVERGED or BASIN_NONE). */
uint32_t basin_set_color(const basin_set *b, int c);

/* The whole picture in the pixel rectangle (x, y, w, h): a title, the panels in the
 * arrangement that makes them largest, and a legend of the minima. */
void basin_set_draw(gfx *g, const basin_set *b, float x, float y, float w, float h, float scale,
                    const scene_theme *th);

/* The window's background computation: one thread, the newest request wins. */
typedef struct basin_worker basin_worker;
basin_worker *basin_worker_create(void);
void basin_worker_destroy(basin_worker *w);
/* Copies rq (and its spec); a computation in progress is cancelled. */
void basin_worker_request(basin_worker *w, const basin_request *rq);
/* The newest finished set not yet taken, or NULL; the caller owns it (basin_set_free, free). */
basin_set *basin_worker_poll(basin_worker *w);
int basin_worker_busy(basin_worker *w);
void basin_worker_wait(basin_worker *w);

#endif
