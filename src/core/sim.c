/* sim: runner stepping. The order within one update follows torch's training loop:
 * gradient at the current point (plus seeded noise), scheduler's rate for this
 * update, optimizer step; then the new point's jet for display and the trail. */
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

static int is_out(const runner *r)
{
    return !isfinite(r->p[0]) || !isfinite(r->p[1]) || !isfinite(r->j.v) ||
           fabs(r->p[0]) > SIM_DIVERGE_BOX || fabs(r->p[1]) > SIM_DIVERGE_BOX;
}

void runner_reset(runner *r, const expr *f)
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
    r->j = expr_jet(f, r->p[0], r->p[1]);
    r->trail_len = 0;
    r->trail_head = -1;
    trail_push(r);
    if (is_out(r)) { r->diverged = 1; r->diverged_at = 0; }
}

int runner_init(runner *r, const runner_desc *d, const expr *f)
{
    memset(r, 0, sizeof *r);
    r->d = *d;
    r->trail_cap = d->trail_cap > 0 ? d->trail_cap : TRAIL_DEFAULT;
    r->trail = malloc((size_t)r->trail_cap * sizeof *r->trail);
    if (!r->trail) return -1;
    runner_reset(r, f);
    return 0;
}

void runner_free(runner *r)
{
    free(r->trail);
    r->trail = NULL;
}

int runner_step(runner *r, const expr *f)
{
    if (r->diverged) return 1;
    double g[2] = {r->j.gx, r->j.gy};
    if (r->d.noise > 0) {
        g[0] += r->d.noise * rng_normal(&r->noise_rng);
        g[1] += r->d.noise * rng_normal(&r->noise_rng);
    }
    double h[3] = {r->j.hxx, r->j.hxy, r->j.hyy};
    optim_clock_tick(&r->d.opt, &r->clk, r->next_lr);
    optim_update(&r->d.opt, &r->clk, &r->st, r->p, g, h);
    r->step++;
    r->next_lr = sched_next(&r->ss);
    r->j = expr_jet(f, r->p[0], r->p[1]);
    trail_push(r);
    if (is_out(r)) {
        r->diverged = 1;
        r->diverged_at = r->step;
        return 1;
    }
    return 0;
}
