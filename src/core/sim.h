/* sim: runners, each an optimizer with its hyperparameters, schedule, noise, state,
 * a bounded trail and loss history, stepping on one landscape. Drawing knows
 * nothing of this and this knows nothing of drawing. */
#ifndef OPTISCAPE_SIM_H
#define OPTISCAPE_SIM_H

#include <stdint.h>
#include "expr.h"
#include "optim.h"
#include "rng.h"
#include "sched.h"

/* A runner is diverged when its point or loss is not finite or leaves this box. */
#define SIM_DIVERGE_BOX 1e12

typedef struct runner_desc {
    optim_desc opt;
    sched_desc sched;
    double start[2];
    double noise;          /* sigma of N(0, sigma^2) added to each gradient component */
    uint64_t seed;
    int trail_cap;         /* points kept; 0: default */
} runner_desc;

typedef struct runner {
    runner_desc d;
    optim_clock clk;
    optim_state st;
    sched_state ss;
    rng noise_rng;
    double p[2];
    jet2 j;                /* f, gradient, Hessian at p */
    double next_lr;        /* rate the next update will use */
    long step;             /* updates taken */
    int diverged;
    long diverged_at;      /* step at which it diverged */
    /* trail: ring buffer of the last trail_cap points (x, y, loss) */
    double (*trail)[3];
    int trail_cap, trail_len, trail_head;
} runner;

/* 0, or -1 when memory runs out. */
int runner_init(runner *r, const runner_desc *d, const expr *f);
void runner_free(runner *r);
/* Back to the start with fresh state (same description). */
void runner_reset(runner *r, const expr *f);
/* One update. Returns 1 if the runner is (now) diverged, else 0. A diverged
 * runner does not move. */
int runner_step(runner *r, const expr *f);
/* The k-th newest trail point (0 = current); k < trail_len. */
const double *runner_trail_at(const runner *r, int k);

#endif
