/* swarm: particles advanced in blocks of SWARM_BLOCK: the block's gradients come
 * from one lsfn_grad_many call (for a formula expr_grad_many: the bytecode is
 * walked once per block, not once per particle), then each particle takes the
 * optimizer's update. The per-step scalars (schedule rate, bias corrections) are
 * computed once per step for all particles. */
#include "swarm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "rng.h"
#include "sim.h"

#define SWARM_BLOCK 256

int swarm_init(swarm *s, const optim_desc *opt, const sched_desc *sched,
               const double *x0, const double *y0, size_t n, double noise, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->opt = *opt;
    s->sched = *sched;
    s->n = n;
    s->noise = noise;
    s->seed = seed;
    size_t m = n ? n : 1;
    s->x = malloc(m * sizeof *s->x);
    s->y = malloc(m * sizeof *s->y);
    s->diverged = calloc(m, 1);
    s->st = malloc(m * sizeof *s->st);
    if (!s->x || !s->y || !s->diverged || !s->st) { swarm_free(s); return -1; }
    memcpy(s->x, x0, n * sizeof *x0);
    memcpy(s->y, y0, n * sizeof *y0);
    for (size_t i = 0; i < n; i++) optim_state_init(opt, &s->st[i]);
    optim_clock_init(opt, &s->clk);
    sched_start(&s->ss, sched, opt->lr);
    s->next_lr = sched_next(&s->ss);
    return 0;
}

void swarm_free(swarm *s)
{
    free(s->x); free(s->y); free(s->diverged); free(s->st);
    s->x = s->y = NULL; s->diverged = NULL; s->st = NULL;
}

typedef struct swarm_job {
    swarm *s;
    const lsfn *f;
    const optim_clock *clocks;   /* one per step */
    int nsteps;
} swarm_job;

/* Noise for particle i at step t comes from a generator seeded by (seed, i, t), so
 * it is the same whatever the threading and block layout. */
static double noise_draw(uint64_t seed, size_t i, long t, int coord)
{
    rng r;
    rng_seed(&r, seed ^ (0x9e3779b97f4a7c15ull * (uint64_t)(i + 1)) ^
                 ((uint64_t)t << 1 | (uint64_t)coord) * 0xbf58476d1ce4e5b9ull);
    return rng_normal(&r);
}

/* blocks b0..b1-1, every step */
static void swarm_work(void *ctx, int piece, int b0, int b1)
{
    (void)piece;
    const swarm_job *job = ctx;
    swarm *s = job->s;
    const lsfn *f = job->f;
    int needs_h = optim_info_of(s->opt.kind)->needs_hessian;
    double gx[SWARM_BLOCK], gy[SWARM_BLOCK];
    for (int b = b0; b < b1; b++) {
        size_t i0 = (size_t)b * SWARM_BLOCK;
        size_t m = s->n - i0 < SWARM_BLOCK ? s->n - i0 : SWARM_BLOCK;
        double *x = s->x + i0, *y = s->y + i0;
        unsigned char *dv = s->diverged + i0;
        optim_state *st = s->st + i0;
        for (int t = 0; t < job->nsteps; t++) {
            const optim_clock *clk = &job->clocks[t];
            if (!needs_h) lsfn_grad_many(f, x, y, NULL, gx, gy, m);
            for (size_t k = 0; k < m; k++) {
                if (dv[k]) continue;
                double p[2] = {x[k], y[k]}, g[2], h[3];
                if (needs_h) {
                    jet2 j = lsfn_jet(f, p[0], p[1]);
                    g[0] = j.gx; g[1] = j.gy;
                    h[0] = j.hxx; h[1] = j.hxy; h[2] = j.hyy;
                } else {
                    g[0] = gx[k]; g[1] = gy[k];
                }
                if (s->noise > 0) {
                    g[0] += s->noise * noise_draw(s->seed, i0 + k, clk->step, 0);
                    g[1] += s->noise * noise_draw(s->seed, i0 + k, clk->step, 1);
                }
                optim_update(&s->opt, clk, &st[k], p, g, needs_h ? h : NULL);
                if (!isfinite(p[0]) || !isfinite(p[1]) ||
                    fabs(p[0]) > SIM_DIVERGE_BOX || fabs(p[1]) > SIM_DIVERGE_BOX) {
                    dv[k] = 1;
                    continue;
                }
                x[k] = p[0];
                y[k] = p[1];
            }
        }
    }
}

void swarm_step_fn(swarm *s, const lsfn *f, int nsteps, int nthreads)
{
    if (nsteps <= 0 || s->n == 0) return;
    optim_clock *clocks = malloc((size_t)nsteps * sizeof *clocks);
    if (!clocks) return;
    for (int t = 0; t < nsteps; t++) {
        optim_clock_tick(&s->opt, &s->clk, s->next_lr);
        clocks[t] = s->clk;
        s->next_lr = sched_next(&s->ss);
    }
    /* int is enough: 2^31 blocks of 256 particles would not fit in memory */
    int nblocks = (int)((s->n + SWARM_BLOCK - 1) / SWARM_BLOCK);
    swarm_job job = {s, f, clocks, nsteps};
    parallel_for(nblocks, nthreads, swarm_work, &job);
    s->step += nsteps;
    free(clocks);
}

void swarm_step(swarm *s, const expr *f, int nsteps, int nthreads)
{
    lsfn fn = lsfn_formula(f);
    swarm_step_fn(s, &fn, nsteps, nthreads);
}

void swarm_grid(const double view[4], int nx, int ny, double *x, double *y)
{
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            size_t k = (size_t)j * (size_t)nx + (size_t)i;
            x[k] = view[0] + (view[1] - view[0]) * (i + 0.5) / nx;
            y[k] = view[2] + (view[3] - view[2]) * (j + 0.5) / ny;
        }
}
