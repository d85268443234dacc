/* swarm: one optimizer run from many starts at once (up to hundreds of thousands of
 * particles), structure-of-arrays, gradients evaluated a block at a time, optional
 * threads. Every particle follows exactly the update a single runner would make. */
#ifndef OPTISCAPE_SWARM_H
#define OPTISCAPE_SWARM_H

#include <stddef.h>
#include <stdint.h>
#include "expr.h"
#include "landscape.h"
#include "optim.h"
#include "sched.h"

typedef struct swarm {
    optim_desc opt;
    sched_desc sched;
    size_t n;
    double *x, *y;
    unsigned char *diverged;   /* 1 once a particle's point or loss stops being finite */
    optim_state *st;
    optim_clock clk;
    sched_state ss;
    double next_lr;
    long step;
    double noise;
    uint64_t seed;
} swarm;

/* Copies the n start points. 0, or -1 when memory runs out. */
int swarm_init(swarm *s, const optim_desc *opt, const sched_desc *sched,
               const double *x0, const double *y0, size_t n, double noise, uint64_t seed);
void swarm_free(swarm *s);

/* Advance every particle by nsteps updates, using nthreads threads (>= 1). The
 * result does not depend on nthreads. */
void swarm_step(swarm *s, const expr *f, int nsteps, int nthreads);
/* The same over any landscape function; swarm_step is this with lsfn_formula(f). */
void swarm_step_fn(swarm *s, const lsfn *f, int nsteps, int nthreads);

/* Start points on a regular grid over view[4] = x0, x1, y0, y1 (cell centres). */
void swarm_grid(const double view[4], int nx, int ny, double *x, double *y);

#endif
