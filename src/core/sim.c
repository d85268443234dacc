/* sim: runner stepping. The order within one update follows torch's training loop:
 * gradient at the current point (the next minibatch's when the runner takes
 * batches, plus seeded noise), scheduler's rate for this update, optimizer step;
 * then the new point's jet of the full loss for display and the trail. Without
 * batches an update is exactly what it was before minibatches existed. */
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TRAIL_DEFAULT 4096

static void trail_push(runner *r)
{
    if (r->trail_cap <= 0) return;
    r->trail_head = (r->trail_head + 1) % r->trail_cap;
    r->trail[r->trail_head][0] = r->p[0];
    r->trail[r->trail_head][1] = r->p[1];
    r->trail[r->trail_head][2] = r->j.v;
    if (r->trail_len < r->trail_cap) r->trail_len++;
}

const double *runner_trail_at(const runner *r, int k)
{
    int i = (r->trail_head - k) % r->trail_cap;
    if (i < 0) i += r->trail_cap;
    return r->trail[i];
}

/* outside the box, or not finite: the point alone (the loss may not be evaluated yet) */
static int point_out(const runner *r)
{
    return !isfinite(r->p[0]) || !isfinite(r->p[1]) ||
           fabs(r->p[0]) > SIM_DIVERGE_BOX || fabs(r->p[1]) > SIM_DIVERGE_BOX;
}

static int is_out(const runner *r)
{
    return point_out(r) || !isfinite(r->j.v);
}

/* marks the runner diverged at its current step when it is out; returns 1 then */
static int mark_if_out(runner *r, int out)
{
    if (!out) return 0;
    r->diverged = 1;
    r->diverged_at = r->step;
    return 1;
}

int runner_uses_batches(const runner *r)
{
    return r->d.data && r->d.batch > 0 && r->d.data->n > 0;
}

void runner_reset_fn(runner *r, const lsfn *f)
{
    r->p[0] = r->d.start[0];
    r->p[1] = r->d.start[1];
    r->step = 0;
    r->diverged = 0;
    r->diverged_at = -1;
    optim_clock_init(&r->d.opt, &r->clk);
    optim_state_init(&r->d.opt, &r->st);
    sched_start(&r->ss, &r->d.sched, r->d.opt.lr);
    r->next_lr = sched_next(&r->ss);
    rng_seed(&r->noise_rng, r->d.seed);
    r->j = lsfn_jet(f, r->p[0], r->p[1]);
    r->trail_len = 0;
    r->trail_head = -1;
    trail_push(r);
    r->batch_idx = NULL;
    r->batch_len = 0;
    r->last_g[0] = r->last_g[1] = 0;
    if (is_out(r)) { r->diverged = 1; r->diverged_at = 0; }
    if (runner_uses_batches(r) &&
        batch_sampler_setup(&r->batches, r->d.data->n, r->d.batch, r->d.shuffle, r->d.seed) != 0) {
        /* no memory for a permutation of the samples: the runner stays where it is */
        r->diverged = 1;
        r->diverged_at = 0;
    }
}

int runner_init_fn(runner *r, const runner_desc *d, const lsfn *f)
{
    memset(r, 0, sizeof *r);
    r->d = *d;
    r->trail_cap = d->trail_cap > 0 ? d->trail_cap : TRAIL_DEFAULT;
    r->trail = malloc((size_t)r->trail_cap * sizeof *r->trail);
    if (!r->trail) return -1;
    runner_reset_fn(r, f);
    return 0;
}

void runner_free(runner *r)
{
    free(r->trail);
    r->trail = NULL;
    batch_sampler_free(&r->batches);
}

/* The update itself: gradient (minibatch, noise), rate, optimizer step. */
static void update(runner *r)
{
    double g[2] = {r->j.gx, r->j.gy};
    double h[3] = {r->j.hxx, r->j.hxy, r->j.hyy};
    if (runner_uses_batches(r)) {
        /* the minibatch's own loss: its gradient and Hessian at the current point */
        int m;
        const int *idx = batch_sampler_next(&r->batches, &m);
        jet2 jb = dataset_batch_jet(r->d.data, idx, m, r->p[0], r->p[1]);
        g[0] = jb.gx;
        g[1] = jb.gy;
        h[0] = jb.hxx;
        h[1] = jb.hxy;
        h[2] = jb.hyy;
        r->batch_idx = idx;
        r->batch_len = m;
    }
    if (r->d.noise > 0) {
        g[0] += r->d.noise * rng_normal(&r->noise_rng);
        g[1] += r->d.noise * rng_normal(&r->noise_rng);
    }
    r->last_g[0] = g[0];
    r->last_g[1] = g[1];
    optim_clock_tick(&r->d.opt, &r->clk, r->next_lr);
    optim_update(&r->d.opt, &r->clk, &r->st, r->p, g, h);
    r->step++;
    r->next_lr = sched_next(&r->ss);
}

int runner_step_fn(runner *r, const lsfn *f)
{
    if (r->diverged) return 1;
    update(r);
    r->j = lsfn_jet(f, r->p[0], r->p[1]);
    trail_push(r);
    return mark_if_out(r, is_out(r));
}

int runner_step_quick_fn(runner *r, const lsfn *f)
{
    if (!runner_uses_batches(r)) return runner_step_fn(r, f);
    if (r->diverged) return 1;
    update(r);
    return mark_if_out(r, point_out(r));
}

int runner_settle_fn(runner *r, const lsfn *f)
{
    r->j = lsfn_jet(f, r->p[0], r->p[1]);
    if (r->diverged) return 1;
    trail_push(r);
    return mark_if_out(r, is_out(r));
}

void runner_reset(runner *r, const expr *f)
{
    lsfn fn = lsfn_formula(f);
    runner_reset_fn(r, &fn);
}

int runner_init(runner *r, const runner_desc *d, const expr *f)
{
    lsfn fn = lsfn_formula(f);
    return runner_init_fn(r, d, &fn);
}

int runner_step(runner *r, const expr *f)
{
    lsfn fn = lsfn_formula(f);
    return runner_step_fn(r, &fn);
}

int runner_step_quick(runner *r, const expr *f)
{
    lsfn fn = lsfn_formula(f);
    return runner_step_quick_fn(r, &fn);
}

int runner_settle(runner *r, const expr *f)
{
    lsfn fn = lsfn_formula(f);
    return runner_settle_fn(r, &fn);
}
