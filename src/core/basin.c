/* basin: the starts go through the swarm in chunks of a fixed size (memory stays
 * bounded for a large grid, and the chunks, like the swarm's blocks, do not depend
 * on the thread count), then every final point is matched to its nearest minimum. */
#include "basin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swarm.h"

#define BASIN_CHUNK 65536
#define SCALE_SIDE 32

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int basin_minima(const crit_point *pts, int n, crit_point *out)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (pts[i].kind == CRIT_MIN) out[m++] = pts[i];
    return m;
}

/* The median gradient norm over a SCALE_SIDE^2 grid of the region (0 if nowhere
 * finite): what "a small gradient" is measured against. */
static double gradient_scale(const lsfn *f, const double region[4])
{
    enum { N = SCALE_SIDE * SCALE_SIDE };
    double x[N], y[N], gx[N], gy[N], g[N];
    swarm_grid(region, SCALE_SIDE, SCALE_SIDE, x, y);
    lsfn_grad_many(f, x, y, NULL, gx, gy, N);
    int m = 0;
    for (int i = 0; i < N; i++) {
        double n = hypot(gx[i], gy[i]);
        if (isfinite(n)) g[m++] = n;
    }
    if (!m) return 0;
    qsort(g, (size_t)m, sizeof *g, cmp_double);
    return g[m / 2];
}

/* 0 when d asks for something that can be done; else -1 with why in err. */
static int check_desc(const basin_desc *d, const lsfn *f, char *err, size_t errlen)
{
    const double *r = d->region;
    if (!lsfn_ok(f)) { snprintf(err, errlen, "no landscape"); return -1; }
    if (!(isfinite(r[0]) && isfinite(r[1]) && isfinite(r[2]) && isfinite(r[3]) && r[0] < r[1] &&
          r[2] < r[3])) {
        snprintf(err, errlen, "region: need finite X0 < X1 and Y0 < Y1");
        return -1;
    }
    if (d->nx < 1 || d->ny < 1 || (long long)d->nx * d->ny > BASIN_MAX_STARTS) {
        snprintf(err, errlen, "grid: %d x %d starts (need 1 to %d in all)", d->nx, d->ny, BASIN_MAX_STARTS);
        return -1;
    }
    if (d->steps < 0 || d->nminima < 0 || (d->nminima > 0 && !d->minima)) {
        snprintf(err, errlen, "steps and minima must not be negative");
        return -1;
    }
    return 0;
}

/* The tolerances of every minimum: rad[2m] distance (-1: not a minimum), rad[2m + 1]
 * gradient. */
static void minima_tolerances(const basin_desc *d, const lsfn *f, double *rad)
{
    const double *r = d->region;
    int nm = d->nminima;
    double diag = hypot(r[1] - r[0], r[3] - r[2]);
    double gfloor = 1e-3 * gradient_scale(f, r);
    for (int m = 0; m < nm; m++) {
        const crit_point *p = &d->minima[m];
        double dt = d->dist_tol > 0 ? d->dist_tol : 0.02 * diag;
        if (!(d->dist_tol > 0))
            for (int o = 0; o < nm; o++) {
                if (o == m || d->minima[o].kind != CRIT_MIN) continue;
                double sep = hypot(d->minima[o].x - p->x, d->minima[o].y - p->y);
                if (0.4 * sep < dt) dt = 0.4 * sep;
            }
        double gt = d->grad_tol;
        if (!(gt > 0)) {
            gt = fmax(fabs(p->l1), fabs(p->l2)) * dt;
            if (!(gt >= gfloor)) gt = gfloor;
        }
        rad[2 * m] = p->kind == CRIT_MIN ? dt : -1;
        rad[2 * m + 1] = gt;
    }
}

/* Where each of the swarm's n runners ended: a minimum's index, diverged or none. */
static void classify_chunk(const basin_desc *d, const swarm *s, const double *gx, const double *gy,
                           const double *rad, size_t n, int *cls)
{
    for (size_t k = 0; k < n; k++) {
        int c = BASIN_NONE;
        double px = s->x[k], py = s->y[k];
        double gn = hypot(gx[k], gy[k]);
        /* a finite point where the gradient is not (log of a negative) is lost too */
        if (s->diverged[k] || !isfinite(px) || !isfinite(py) || !isfinite(gn)) {
            c = BASIN_DIVERGED;
        } else {
            int best = -1;
            double bd = INFINITY;
            for (int m = 0; m < d->nminima; m++) {
                if (rad[2 * m] < 0) continue;
                double dd = hypot(px - d->minima[m].x, py - d->minima[m].y);
                if (dd < bd) { bd = dd; best = m; }
            }
            if (best >= 0 && bd <= rad[2 * best] && gn <= rad[2 * best + 1]) c = best;
        }
        cls[k] = c;
    }
}

void basin_run_free(basin_run *r)
{
    if (r->s) swarm_free(r->s);
    free(r->s);
    free(r->rad);
    free(r->x);
    free(r->y);
    free(r->gx);
    free(r->gy);
    memset(r, 0, sizeof *r);
}

int basin_run_begin(basin_run *r, const basin_desc *d, int *cls, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->d = *d;
    r->formula = lsfn_formula(d->f);
    r->f = d->fn ? d->fn : &r->formula;
    if (check_desc(d, r->f, err, errlen) != 0) return -1;
    int nm = d->nminima;
    r->cls = cls;
    r->total = (size_t)d->nx * (size_t)d->ny;
    r->cap = r->total < BASIN_CHUNK ? r->total : BASIN_CHUNK;
    r->rad = malloc((size_t)(nm ? nm : 1) * 2 * sizeof *r->rad);
    r->x = malloc(r->cap * sizeof *r->x);
    r->y = malloc(r->cap * sizeof *r->y);
    r->gx = malloc(r->cap * sizeof *r->gx);
    r->gy = malloc(r->cap * sizeof *r->gy);
    if (!r->rad || !r->x || !r->y || !r->gx || !r->gy) {
        basin_run_free(r);
        snprintf(err, errlen, "out of memory for %zu starts", (size_t)d->nx * (size_t)d->ny);
        return -1;
    }
    minima_tolerances(d, r->f, r->rad);
    return 0;
}

/* The starts go chunk by chunk; a chunk's swarm takes its steps in pieces (the swarm
 * keeps its own clock, so pieces give the same steps as one), then its final points
 * are classified. A piece is about 4e6 run-steps (a few tenths of a second) or what
 * is left of the budget; progress is called after each. */
int basin_run_step(basin_run *r, double budget, char *err, size_t errlen)
{
    const basin_desc *d = &r->d;
    const double *rg = d->region;
    int threads = d->threads < 1 ? 1 : d->threads;
    double spent = 0;
    while (r->base < r->total) {
        size_t n = r->total - r->base < r->cap ? r->total - r->base : r->cap;
        if (!r->s) {
            for (size_t k = 0; k < n; k++) {
                size_t i = (r->base + k) % (size_t)d->nx, j = (r->base + k) / (size_t)d->nx;
                r->x[k] = rg[0] + (rg[1] - rg[0]) * ((double)i + 0.5) / d->nx;
                r->y[k] = rg[2] + (rg[3] - rg[2]) * ((double)j + 0.5) / d->ny;
            }
            /* each chunk its own noise stream (the swarm's is by index in the swarm) */
            uint64_t seed = d->seed + 0x9e3779b97f4a7c15ull * (uint64_t)(r->base / BASIN_CHUNK);
            swarm *s = malloc(sizeof *s);
            if (!s || swarm_init(s, &d->opt, &d->sched, r->x, r->y, n, d->noise, seed) != 0) {
                free(s);
                snprintf(err, errlen, "out of memory for %zu starts", r->total);
                return -1;
            }
            r->s = s;
            r->t = 0;
        }
        if (r->t < d->steps) {
            if (spent >= budget) return 1;
            double piece = fmin(d->progress ? 4e6 : INFINITY, budget - spent) / (double)n;
            int k = (int)fmin((double)(d->steps - r->t), fmax(1.0, piece));
            swarm_step_fn(r->s, r->f, k, threads);
            r->t += k;
            spent += (double)k * (double)n;
            if (d->progress &&
                d->progress(d->progress_ctx, (double)r->base * d->steps + (double)n * r->t) != 0) {
                snprintf(err, errlen, "cancelled");
                return -1;
            }
            continue;
        }
        lsfn_grad_many(r->f, r->s->x, r->s->y, NULL, r->gx, r->gy, n);
        classify_chunk(d, r->s, r->gx, r->gy, r->rad, n, r->cls + r->base);
        swarm_free(r->s);
        free(r->s);
        r->s = NULL;
        r->base += n;
    }
    return 0;
}

int basin_classify(const basin_desc *d, int *cls, char *err, size_t errlen)
{
    basin_run r;
    if (basin_run_begin(&r, d, cls, err, errlen) != 0) return -1;
    int rc = basin_run_step(&r, INFINITY, err, errlen);
    basin_run_free(&r);
    return rc == 0 ? 0 : -1;
}
