/* basin: basins of attraction of an optimizer. Every start of a grid is run for K
 * steps with the swarm code (threaded, deterministic) and classified by the
 * minimum its final point has reached: near it and with a small gradient there,
 * else not converged, or diverged (the point or loss stopped being finite, or it
 * left the divergence box). Two optimizers on one landscape give different maps:
 * momentum carries starts over ridges into another minimum's basin. */
#ifndef OPTISCAPE_BASIN_H
#define OPTISCAPE_BASIN_H

#include <stddef.h>
#include <stdint.h>

#include "crit.h"
#include "expr.h"
#include "landscape.h"
#include "optim.h"
#include "sched.h"

#define BASIN_DIVERGED (-1)        /* a non-finite point or loss, or left the box */
#define BASIN_NONE (-2)            /* finite but at no minimum after the steps */
#define BASIN_MAX_STARTS (1 << 24)

typedef struct basin_desc {
    const expr *f;                 /* the landscape's formula, or */
    const lsfn *fn;                /* any landscape function (used when not NULL) */
    optim_desc opt;
    sched_desc sched;
    double noise;                  /* as a runner's: N(0, noise^2) on each component */
    uint64_t seed;
    double region[4];              /* the starts: cell centres of an nx x ny grid over */
    int nx, ny;                    /* x0, x1, y0, y1 (the points swarm_grid makes) */
    int steps;                     /* K updates from every start (0 is allowed) */
    const crit_point *minima;      /* only kind CRIT_MIN is ever matched */
    int nminima;
    /* A final point belongs to the nearest minimum m when it is within dist_tol of it
     * and its gradient is at most grad_tol. 0 means the default: dist_tol is 2% of
     * the region's diagonal, but at most 40% of the distance from m to the nearest
     * other minimum (so every class is unambiguous); grad_tol is |lambda_max(m)| *
     * dist_tol (the gradient the quadratic model of m has at the edge of that disc),
     * but at least 1e-3 of the median gradient norm over the region (a flat,
     * degenerate minimum such as x^4 + y^4 still matches). */
    double dist_tol, grad_tol;
    int threads;                   /* >= 1; the result does not depend on it */
    /* Optional: called between pieces of the run with the run-steps (starts x steps)
     * done so far; a nonzero return stops the work (basin_classify then fails with
     * "cancelled"). The pieces do not change the result. NULL: one piece, no call. */
    int (*progress)(void *ctx, double run_steps);
    void *progress_ctx;
} basin_desc;

/* cls[j * nx + i] for start (i, j) (row 0 at y0): the index into d->minima of the
 * minimum reached, BASIN_DIVERGED or BASIN_NONE. The same for any thread count and
 * from run to run. 0, or -1 with a message (bad region or grid, out of memory). */
int basin_classify(const basin_desc *d, int *cls, char *err, size_t errlen);

/* basin_classify in parts, for a caller that must not block (the browser's frames):
 * begin, then step until it returns 0 (done; cls is filled), each step running about
 * budget run-steps (starts x steps; at least one step of one chunk) before it
 * returns 1 (more to do); -1 with a message on failure. The classes are the same as
 * basin_classify's for any budget. Free the run in every case. */
typedef struct basin_run {
    basin_desc d;
    lsfn formula;
    const lsfn *f;
    int *cls;
    size_t total, cap, base;     /* starts, a chunk's size, the first of the current chunk */
    double *rad, *x, *y, *gx, *gy;
    struct swarm *s;             /* the current chunk's (NULL between chunks) */
    int t;                       /* the steps it has taken */
} basin_run;
int basin_run_begin(basin_run *r, const basin_desc *d, int *cls, char *err, size_t errlen);
int basin_run_step(basin_run *r, double budget, char *err, size_t errlen);
void basin_run_free(basin_run *r);

/* The minima (kind CRIT_MIN) of pts[0..n), in order, copied to out (room for n).
 * Returns how many. */
int basin_minima(const crit_point *pts, int n, crit_point *out);

#endif
