/* sim: runners, each an optimizer with its hyperparameters, schedule, noise, state,
 * a bounded trail and loss history, stepping on one landscape. Drawing knows
 * nothing of this and this knows nothing of drawing. */
#ifndef OPTISCAPE_SIM_H
#define OPTISCAPE_SIM_H

#include <stdint.h>
#include "dataset.h"
#include "expr.h"
#include "landscape.h"
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
    /* Minibatches. With data (the landscape's samples, landscape.data; not owned) and
     * batch > 0, each update uses the loss gradient and Hessian of the next batch
     * of `batch` samples instead of the full loss's (batch >= n: the full batch, in
     * batches of n). 0: the full loss, as without data. */
    const dataset *data;
    int batch;
    int shuffle;           /* 1: a fresh permutation every epoch (the runner's seed);
                              0 is a real value: batches in order 0 .. n-1 */
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
    batch_sampler batches; /* used with data and batch > 0 */
    const int *batch_idx;  /* the samples of the last update's minibatch (into
                              batches.perm; valid until the next update) */
    int batch_len;         /* 0: the last update used the full loss */
    double last_g[2];      /* the gradient the last update used (noise included) */
} runner;

/* 0, or -1 when memory runs out. */
int runner_init(runner *r, const runner_desc *d, const expr *f);
void runner_free(runner *r);
/* Back to the start with fresh state (same description). */
void runner_reset(runner *r, const expr *f);
/* One update. Returns 1 if the runner is (now) diverged, else 0. A diverged
 * runner does not move. */
int runner_step(runner *r, const expr *f);
/* As runner_step, for measurements that look only at where runs end (bench
 * flatness): when the runner takes minibatches, the full loss is not evaluated at
 * the new point, so r->j and the trail stay as they were and divergence is judged
 * on the point alone, until runner_settle brings them up to date (same return).
 * Without minibatches it is runner_step. The path is the same as runner_step's. */
int runner_step_quick(runner *r, const expr *f);
int runner_settle(runner *r, const expr *f);
/* Does this runner take minibatch gradients? */
/* The same over any landscape function (a formula or a plane, where a runner is
 * the exact 2-parameter problem on the plane); those above are these with
 * lsfn_formula(f). */
int runner_init_fn(runner *r, const runner_desc *d, const lsfn *f);
void runner_reset_fn(runner *r, const lsfn *f);
int runner_step_fn(runner *r, const lsfn *f);
int runner_step_quick_fn(runner *r, const lsfn *f);
int runner_settle_fn(runner *r, const lsfn *f);

int runner_uses_batches(const runner *r);
/* The k-th newest trail point (0 = current); k < trail_len. */
const double *runner_trail_at(const runner *r, int k);

#endif
