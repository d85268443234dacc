/* crit: every critical point (grad f = 0) of a landscape in a region, found by
 * Newton's method on the gradient from a grid of seeds, deduplicated, verified,
 * and classified from the Hessian's eigenvalues. */
#ifndef OPTISCAPE_CRIT_H
#define OPTISCAPE_CRIT_H

#include <stddef.h>
#include "expr.h"
#include "landscape.h"

typedef enum crit_kind { CRIT_MIN, CRIT_MAX, CRIT_SADDLE, CRIT_DEGENERATE } crit_kind;

typedef struct crit_point {
    crit_kind kind;
    double x, y;
    double f;
    double l1, l2;          /* Hessian eigenvalues, l1 <= l2 */
    double v1[2], v2[2];    /* unit eigenvectors */
} crit_point;

typedef struct crit_opts {
    int grid;               /* seeds per axis; 0: default (96), at most 4096 */
    double rel_tol;         /* eigenvalue counted as zero below rel_tol * scale, where
                               scale is the median ||H|| over the region; 0: default (1e-6) */
    int max_points;         /* 0: default (the caller's max) */
    /* Called after each row of seeds and during the polish with the fraction done
     * (0..1), when not NULL; a nonzero return stops the search: crit_find returns
     * -1 with "interrupted" in err. For a progress line and Ctrl+C. */
    int (*progress)(void *ctx, double done);
    void *progress_ctx;
} crit_opts;

const char *crit_kind_name(crit_kind k);

/* Find the critical points of f in [x0,x1]x[y0,y1], sorted by x then y (x values
 * equal to 1e-9 of the width count as equal). opts may be NULL. Two nondegenerate
 * points are one only when each lies in the other's quadratic basin (judged from
 * their Hessians): distinct points 1e-6 of the diagonal apart are both found
 * when seeds reach both. A continuum of
 * critical points (f = x^2) comes out as degenerate points a few seed spacings apart;
 * when there are more points than max, isolated ones are kept first.
 * Returns the count (<= max), or -1 with a message (bad region, out of memory). */
int crit_find(const expr *f, const double region[4], const crit_opts *opts,
              crit_point *out, int max, char *err, size_t errlen);

/* The Hessian scale crit_find classifies with: the median ||H|| over a sample grid
 * of the region (0 for a bad region or where H is nowhere defined). Pass it to
 * crit_classify so that a hover read-out agrees with crit_find. */
double crit_hessian_scale(const expr *f, const double region[4]);

/* Classify the point (x, y) from its Hessian (used for hover read-outs too).
 * rel_tol <= 0 means the default; scale <= 0 means the point's own ||H||. */
crit_point crit_classify(const expr *f, double x, double y, double rel_tol, double scale);

/* The same three over any landscape function (a formula or a plane); those above
 * are these with lsfn_formula(f). */
int crit_find_fn(const lsfn *f, const double region[4], const crit_opts *opts,
                 crit_point *out, int max, char *err, size_t errlen);
double crit_hessian_scale_fn(const lsfn *f, const double region[4]);
crit_point crit_classify_fn(const lsfn *f, double x, double y, double rel_tol, double scale);

#endif
