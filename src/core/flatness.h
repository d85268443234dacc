/* flatness: the seeds' claim "small batches settle in flat minima, large batches in
 * sharp ones" as a measurement. Many runs per batch size, each with its own seed
 * (its own shuffles, or its own gradient noise), all from the same start; each run
 * is counted by the minimum its last point is nearest to, the flattest or the
 * sharpest of the landscape's minima (largest Hessian eigenvalue), and its final
 * training and test losses are averaged. */
#ifndef OPTISCAPE_FLATNESS_H
#define OPTISCAPE_FLATNESS_H

#include <stddef.h>
#include <stdint.h>

#include "crit.h"
#include "sim.h"

#define FLATNESS_MAX_MINIMA 64

typedef struct flatness_desc {
    /* optimizer, schedule, start, shuffle, noise and the landscape's data (NULL:
     * none); batch and seed are set per run, and noise too without data */
    runner_desc run;
    long steps;            /* updates per run */
    int runs;              /* runs per batch size */
    uint64_t seed;         /* run k's seed is seed + k * 0x9e3779b97f4a7c15, the same
                              for every batch size */
    /* Without data, batch noise is modelled as gradient noise: N(0, sigma_B^2) per
     * component with sigma_B = noise1 / sqrt(B), none for B = 0 (the full batch). */
    double noise1;
    double test_shift[2];  /* test loss = f(x - test_shift[0], y - test_shift[1]) */
} flatness_desc;

typedef struct flatness_minima {
    crit_point min[FLATNESS_MAX_MINIMA];
    int nmin;
    int flat, sharp;       /* indices into min: smallest and largest curvature */
} flatness_minima;

/* The minima of f in region, and which is the flattest and the sharpest. 0, or -1
 * with a message (fewer than two minima, bad region, out of memory). */
int flatness_find_minima(const expr *f, const double region[4], flatness_minima *m, char *err,
                         size_t errlen);

typedef struct flatness_row {
    int batch;             /* 0: the full batch */
    int runs, flat, sharp, other, diverged;
    double train_loss, test_loss;   /* means at the last point over the runs that did
                                       not diverge (NaN when all did) */
} flatness_row;

/* d->runs runs of d->steps updates at batch size `batch` on f. Deterministic for a
 * given description. 0, or -1 when memory runs out. */
int flatness_measure(const expr *f, const flatness_desc *d, int batch, const flatness_minima *m,
                     flatness_row *out);

#endif
