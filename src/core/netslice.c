/* netslice: directions and grids of 2-D slices through a network's parameters. */
#include "netslice.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "eig.h"
#include "net_priv.h"
#include "rng.h"

static double dot(const double *x, const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

static void normalize(double *x, size_t n)
{
    double s = sqrt(dot(x, x, n));
    if (s > 0)
        for (size_t i = 0; i < n; i++) x[i] /= s;
}

void net_dir_random(const net *nt, const double *p, uint64_t seed, double *d1, double *d2)
{
    rng r;
    rng_seed(&r, seed);
    memset(d1, 0, nt->np * sizeof *d1);
    memset(d2, 0, nt->np * sizeof *d2);
    for (int k = 0; k < 2; k++) {
        double *d = k ? d2 : d1;
        for (int l = 0; l < nt->s.nlin; l++) {
            size_t in = (size_t)nt->s.width[l], out = (size_t)nt->s.width[l + 1];
            for (size_t o = 0; o < out; o++) {
                double *row = d + nt->w_off[l] + o * in;
                const double *prow = p + nt->w_off[l] + o * in;
                for (size_t i = 0; i < in; i++) row[i] = rng_normal(&r);
                double s = sqrt(dot(row, row, in)), t = sqrt(dot(prow, prow, in));
                for (size_t i = 0; i < in; i++) row[i] = s > 0 ? row[i] * t / s : 0.0;
            }
        }
    }
}

int net_dir_pca(const double *path, int n, size_t np, double *d1, double *d2, double var[2])
{
    if (n < 2) return -1;
    const double *last = path + (size_t)(n - 1) * np;
    double *G = malloc((size_t)n * (size_t)n * sizeof *G), *w = malloc((size_t)n * sizeof *w);
    double *diff = malloc(np * sizeof *diff);
    int rc = -1;
    if (!G || !w || !diff) goto done;
    /* the Gram matrix of the centred points: its eigenvectors u give the principal
     * directions M^T u of the points M */
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            const double *a = path + (size_t)i * np, *b = path + (size_t)j * np;
            double s = 0;
            for (size_t k = 0; k < np; k++) s += (a[k] - last[k]) * (b[k] - last[k]);
            G[(size_t)i * (size_t)n + (size_t)j] = G[(size_t)j * (size_t)n + (size_t)i] = s;
        }
    if (eig_sym(G, (size_t)n, w, 1) != 0 || !(w[n - 1] > 0)) goto done;
    double total = 0;
    for (int i = 0; i < n; i++) total += fmax(w[i], 0);
    for (int c = 0; c < 2; c++) {
        double *d = c ? d2 : d1;
        const double *u = G + (size_t)(n - 1 - c) * (size_t)n;
        memset(d, 0, np * sizeof *d);
        for (int i = 0; i < n; i++) {
            const double *a = path + (size_t)i * np;
            for (size_t k = 0; k < np; k++) d[k] += u[i] * (a[k] - last[k]);
        }
        normalize(d, np);
        if (var) var[c] = fmax(w[n - 1 - c], 0) / total;
    }
    rc = 0;
done:
    free(G);
    free(w);
    free(diff);
    return rc;
}

typedef struct hvp_ctx {
    const net *nt;
    const double *p;
    net_work *w;
} hvp_ctx;

static void hvp_op(void *ctx, const double *x, double *y)
{
    hvp_ctx *c = ctx;
    net_hvp(c->nt, c->p, x, y, c->w);
}

int net_dir_hessian(const net *nt, const double *p, const netdata *d, int threads, double *d1, double *d2,
                    double lam[2])
{
    size_t np = nt->np;
    if (np <= 2000) {
        double *H = malloc(np * np * sizeof *H), *w = malloc(np * sizeof *w);
        int rc = -1;
        if (H && w && net_hessian(nt, p, d, NULL, d->n, H, threads) == 0 && eig_sym(H, np, w, 1) == 0) {
            memcpy(d1, H + (np - 1) * np, np * sizeof *d1);
            memcpy(d2, H + (np > 1 ? np - 2 : 0) * np, np * sizeof *d2);
            lam[0] = w[np - 1];
            lam[1] = w[np > 1 ? np - 2 : 0];
            rc = 0;
        }
        free(H);
        free(w);
        return rc;
    }
    int k = 60;
    net_work *wk = net_work_new(nt, d->n);
    double *g = malloc(np * sizeof *g), *ritz = malloc((size_t)k * sizeof *ritz);
    double *vec = malloc((size_t)k * np * sizeof *vec);
    int rc = -1;
    if (wk && g && ritz && vec) {
        hvp_ctx c = {nt, p, wk};
        net_pass(nt, p, d, NULL, d->n, NET_TRAIN, g, wk);
        int got = eig_lanczos(hvp_op, &c, np, k, 1, ritz, vec);
        if (got >= 2) {
            memcpy(d1, vec + (size_t)(got - 1) * np, np * sizeof *d1);
            memcpy(d2, vec + (size_t)(got - 2) * np, np * sizeof *d2);
            lam[0] = ritz[got - 1];
            lam[1] = ritz[got - 2];
            rc = 0;
        }
    }
    net_work_free(wk);
    free(g);
    free(ritz);
    free(vec);
    return rc;
}

typedef struct slice_job {
    const net *nt;
    const double *c, *d1, *d2;
    double range;
    int n, j0, j1, fail;
    const netdata *d;
    double *loss;
} slice_job;

static double coord(double range, int n, int i)
{
    return -range + 2.0 * range * i / (n - 1);
}

/* The first layer is linear in (a, b): its output is Zc + a Z1 + b Z2, the three
 * computed once; the rest of the network is evaluated at every point. */
static void *slice_run(void *arg)
{
    slice_job *jb = arg;
    const net *nt = jb->nt;
    size_t np = nt->np, z = (size_t)jb->d->n * (size_t)nt->s.width[1];
    size_t first = nt->b_off[0] + (size_t)nt->s.width[1];     /* past layer 0's bias */
    net_work *w = net_work_new(nt, jb->d->n);
    double *q = malloc(np * sizeof *q), *zc = malloc(3 * z * sizeof *zc);
    if (!w || !q || !zc) {
        jb->fail = 1;
    } else {
        const double *base[3] = {jb->c, jb->d1, jb->d2};
        net_gather(nt, jb->d, NULL, jb->d->n, w);
        for (int k = 0; k < 3; k++)
            net_linear0(nt, jb->d->n, base[k] + nt->w_off[0], base[k] + nt->b_off[0], zc + (size_t)k * z, w);
        for (int j = jb->j0; j < jb->j1; j++) {
            double b = coord(jb->range, jb->n, j);
            for (int i = 0; i < jb->n; i++) {
                double a = coord(jb->range, jb->n, i);
                double *z0 = w->z[0];
                for (size_t k = 0; k < z; k++) z0[k] = zc[k] + a * zc[z + k] + b * zc[2 * z + k];
                for (size_t k = first; k < np; k++) q[k] = jb->c[k] + a * jb->d1[k] + b * jb->d2[k];
                jb->loss[(size_t)j * (size_t)jb->n + (size_t)i] = net_pass_from_z0(nt, q, jb->d->n, NET_TRAIN, w).loss;
            }
        }
    }
    net_work_free(w);
    free(q);
    free(zc);
    return NULL;
}

int net_slice_grid(const net *nt, const double *centre, const double *d1, const double *d2, double range, int n,
                   const netdata *d, int threads, double *loss)
{
    enum { MAXT = 64 };
    slice_job jobs[MAXT];
    pthread_t th[MAXT];
    int started[MAXT] = {0}, fail = 0;
    if (threads < 1) threads = 1;
    if (threads > MAXT) threads = MAXT;
    if (threads > n) threads = n;
    for (int t = 0; t < threads; t++)
        jobs[t] = (slice_job){nt, centre, d1, d2, range, n, n * t / threads, n * (t + 1) / threads, 0, d, loss};
    for (int t = 1; t < threads; t++) started[t] = pthread_create(&th[t], NULL, slice_run, &jobs[t]) == 0;
    slice_run(&jobs[0]);
    for (int t = 1; t < threads; t++) {
        if (started[t]) pthread_join(th[t], NULL);
        else slice_run(&jobs[t]);
    }
    for (int t = 0; t < threads; t++) fail |= jobs[t].fail;
    return fail ? -1 : 0;
}

void net_project(const double *centre, const double *d1, const double *d2, size_t np, const double *q, double ab[2],
                 double *dist)
{
    /* least squares: [d1.d1 d1.d2; d1.d2 d2.d2] (a, b) = (d1.r, d2.r), r = q - centre */
    double g11 = 0, g12 = 0, g22 = 0, r1 = 0, r2 = 0, e2 = 0;
    for (size_t k = 0; k < np; k++) {
        double r = q[k] - centre[k];
        g11 += d1[k] * d1[k];
        g12 += d1[k] * d2[k];
        g22 += d2[k] * d2[k];
        r1 += d1[k] * r;
        r2 += d2[k] * r;
    }
    double det = g11 * g22 - g12 * g12, a = 0, b = 0;
    if (det != 0) {
        a = (g22 * r1 - g12 * r2) / det;
        b = (g11 * r2 - g12 * r1) / det;
    }
    for (size_t k = 0; k < np; k++) {
        double e = q[k] - centre[k] - a * d1[k] - b * d2[k];
        e2 += e * e;
    }
    ab[0] = a;
    ab[1] = b;
    *dist = sqrt(e2);
}

jet2 net_plane_jet(const net *nt, const double *centre, const double *d1, const double *d2, const netdata *d,
                   double a, double b, net_work *w, double *q)
{
    size_t np = nt->np;
    jet2 j;
    double *g = q + np, *hv = q + 2 * np;
    for (size_t k = 0; k < np; k++) q[k] = centre[k] + a * d1[k] + b * d2[k];
    j.v = net_pass(nt, q, d, NULL, d->n, NET_TRAIN, g, w).loss;
    j.gx = dot(g, d1, np);
    j.gy = dot(g, d2, np);
    net_hvp(nt, q, d1, hv, w);
    j.hxx = dot(d1, hv, np);
    j.hxy = dot(d2, hv, np);
    net_hvp(nt, q, d2, hv, w);
    j.hyy = dot(d2, hv, np);
    return j;
}

int net_plane_init(net_plane *pl, const net *nt, const double *centre, const double *d1, const double *d2,
                   const netdata *d)
{
    size_t np = nt->np;
    memset(pl, 0, sizeof *pl);
    pl->nt = nt;
    pl->d = d;
    pl->centre = malloc(np * sizeof *pl->centre);
    pl->d1 = malloc(np * sizeof *pl->d1);
    pl->d2 = malloc(np * sizeof *pl->d2);
    pl->q = malloc(3 * np * sizeof *pl->q);
    pl->w = net_work_new(nt, d->n);
    if (!pl->centre || !pl->d1 || !pl->d2 || !pl->q || !pl->w) {
        net_plane_free(pl);
        return -1;
    }
    memcpy(pl->centre, centre, np * sizeof *pl->centre);
    memcpy(pl->d1, d1, np * sizeof *pl->d1);
    memcpy(pl->d2, d2, np * sizeof *pl->d2);
    return 0;
}

void net_plane_free(net_plane *pl)
{
    free(pl->centre);
    free(pl->d1);
    free(pl->d2);
    free(pl->q);
    net_work_free(pl->w);
    memset(pl, 0, sizeof *pl);
}

double net_plane_value(void *ctx, double a, double b)
{
    net_plane *pl = ctx;
    size_t np = pl->nt->np;
    for (size_t k = 0; k < np; k++) pl->q[k] = pl->centre[k] + a * pl->d1[k] + b * pl->d2[k];
    return net_pass(pl->nt, pl->q, pl->d, NULL, pl->d->n, NET_TRAIN, NULL, pl->w).loss;
}

jet2 net_plane_jet2(void *ctx, double a, double b)
{
    net_plane *pl = ctx;
    return net_plane_jet(pl->nt, pl->centre, pl->d1, pl->d2, pl->d, a, b, pl->w, pl->q);
}

void net_plane_row(void *ctx, double x0, double dx, double y, double *out, int n)
{
    for (int i = 0; i < n; i++) out[i] = net_plane_value(ctx, x0 + i * dx, y);
}
