/* eig: tred2 + tql2 (Householder tridiagonalization, implicit QL with Wilkinson-like
 * shifts; EISPACK by way of JAMA's public-domain EigenvalueDecomposition), and
 * Lanczos.
 *
 * The matrix is addressed as V(r, c) = a[c n + r], i.e. the row-major array read
 * column-major. The input is symmetric, so this is the same matrix; the algorithm
 * walks down columns of V in its inner loops, which are then contiguous in memory,
 * and eigenvector j (column j of V) ends contiguous at a[j n]. */
#include "eig.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define V(r, c) a[(size_t)(c) * n + (size_t)(r)]

/* One Householder step on row i (columns 0 .. i-1 in d): see JAMA's tred2. */
static void tred2_step(double *a, size_t n, size_t i, double *d, double *e)
{
    double scale = 0.0, h = 0.0;
    for (size_t k = 0; k < i; k++) scale += fabs(d[k]);
    if (scale == 0.0) {
        e[i] = d[i - 1];
        for (size_t j = 0; j < i; j++) {
            d[j] = V(i - 1, j);
            V(i, j) = 0.0;
            V(j, i) = 0.0;
        }
        d[i] = h;
        return;
    }
    for (size_t k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
    }
    double f = d[i - 1], g = sqrt(h);
    if (f > 0) g = -g;
    e[i] = scale * g;
    h = h - f * g;
    d[i - 1] = f - g;
    for (size_t j = 0; j < i; j++) e[j] = 0.0;
    for (size_t j = 0; j < i; j++) {
        const double *col = &V(0, j);
        f = d[j];
        V(j, i) = f;
        g = e[j] + col[j] * f;
        for (size_t k = j + 1; k < i; k++) {
            g += col[k] * d[k];
            e[k] += col[k] * f;
        }
        e[j] = g;
    }
    f = 0.0;
    for (size_t j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
    }
    double hh = f / (h + h);
    for (size_t j = 0; j < i; j++) e[j] -= hh * d[j];
    for (size_t j = 0; j < i; j++) {
        double *col = &V(0, j);
        f = d[j];
        g = e[j];
        for (size_t k = j; k < i; k++) col[k] -= (f * e[k] + g * d[k]);
        d[j] = V(i - 1, j);
        V(i, j) = 0.0;
    }
    d[i] = h;
}

static void tred2(double *a, size_t n, double *d, double *e, int vecs)
{
    for (size_t j = 0; j < n; j++) d[j] = V(n - 1, j);
    for (size_t i = n - 1; i > 0; i--) tred2_step(a, n, i, d, e);
    if (!vecs) {
        for (size_t j = 0; j < n; j++) d[j] = V(j, j);
        e[0] = 0.0;
        return;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        V(n - 1, i) = V(i, i);
        V(i, i) = 1.0;
        double h = d[i + 1];
        if (h != 0.0) {
            const double *ci = &V(0, i + 1);
            for (size_t k = 0; k <= i; k++) d[k] = ci[k] / h;
            for (size_t j = 0; j <= i; j++) {
                double *cj = &V(0, j), g = 0.0;
                for (size_t k = 0; k <= i; k++) g += ci[k] * cj[k];
                for (size_t k = 0; k <= i; k++) cj[k] -= g * d[k];
            }
        }
        for (size_t k = 0; k <= i; k++) V(k, i + 1) = 0.0;
    }
    for (size_t j = 0; j < n; j++) {
        d[j] = V(n - 1, j);
        V(n - 1, j) = 0.0;
    }
    V(n - 1, n - 1) = 1.0;
    e[0] = 0.0;
}

/* One implicit QL sweep on the block l .. m (JAMA's tql2 inner loop). */
static void ql_sweep(double *a, size_t n, double *d, double *e, size_t l, size_t m, double *f, int vecs)
{
    double g = d[l], p = (d[l + 1] - g) / (2.0 * e[l]), r = hypot(p, 1.0);
    if (p < 0) r = -r;
    d[l] = e[l] / (p + r);
    d[l + 1] = e[l] * (p + r);
    double dl1 = d[l + 1], h = g - d[l];
    for (size_t i = l + 2; i < n; i++) d[i] -= h;
    *f += h;
    p = d[m];
    double c = 1.0, c2 = c, c3 = c, el1 = e[l + 1], s = 0.0, s2 = 0.0;
    for (size_t i = m; i-- > l;) {
        c3 = c2;
        c2 = c;
        s2 = s;
        g = c * e[i];
        h = c * p;
        r = hypot(p, e[i]);
        e[i + 1] = s * r;
        s = e[i] / r;
        c = p / r;
        p = c * d[i] - s * g;
        d[i + 1] = h + s * (c * g + s * d[i]);
        if (vecs) {
            double *ci = &V(0, i), *ci1 = &V(0, i + 1);
            for (size_t k = 0; k < n; k++) {
                h = ci1[k];
                ci1[k] = s * ci[k] + c * h;
                ci[k] = c * ci[k] - s * h;
            }
        }
    }
    p = -s * s2 * c3 * el1 * e[l] / dl1;
    e[l] = s * p;
    d[l] = c * p;
}

static int tql2(double *a, size_t n, double *d, double *e, int vecs)
{
    for (size_t i = 1; i < n; i++) e[i - 1] = e[i];
    e[n - 1] = 0.0;
    double f = 0.0, tst1 = 0.0, eps = 0x1p-52;
    for (size_t l = 0; l < n; l++) {
        tst1 = fmax(tst1, fabs(d[l]) + fabs(e[l]));
        size_t m = l;
        while (m < n - 1 && !(fabs(e[m]) <= eps * tst1)) m++;
        if (m > l) {
            int iter = 0;
            do {
                if (++iter > 30 * (int)(n < 100 ? 100 : n)) return -1;
                ql_sweep(a, n, d, e, l, m, &f, vecs);
            } while (!(fabs(e[l]) <= eps * tst1));
        }
        d[l] = d[l] + f;
        e[l] = 0.0;
    }
    return 0;
}

/* Selection sort of the eigenvalues (and their columns) ascending: n^2 compares,
 * n column swaps. */
static void sort_pairs(double *a, size_t n, double *d, int vecs)
{
    for (size_t i = 0; i + 1 < n; i++) {
        size_t k = i;
        for (size_t j = i + 1; j < n; j++)
            if (d[j] < d[k]) k = j;
        if (k == i) continue;
        double t = d[k];
        d[k] = d[i];
        d[i] = t;
        if (vecs)
            for (size_t r = 0; r < n; r++) {
                t = V(r, i);
                V(r, i) = V(r, k);
                V(r, k) = t;
            }
    }
}

int eig_sym(double *a, size_t n, double *w, int vecs)
{
    if (n == 0) return 0;
    if (n == 1) {
        w[0] = a[0];
        if (vecs) a[0] = 1.0;
        return 0;
    }
    double *e = malloc(n * sizeof *e);
    if (!e) return -1;
    tred2(a, n, w, e, vecs);
    int rc = tql2(a, n, w, e, vecs);
    free(e);
    if (rc == 0) sort_pairs(a, n, w, vecs);
    return rc;
}

int eig_sym_begin(eig_job *j, double *a, size_t n, double *w)
{
    j->a = a;
    j->n = n;
    j->w = w;
    j->i = n > 1 ? n - 1 : 0;
    j->e = n > 1 ? malloc(n * sizeof *j->e) : NULL;
    if (n > 1 && !j->e) return -1;
    if (n > 1)
        for (size_t c = 0; c < n; c++) w[c] = V(n - 1, c);
    return 0;
}

int eig_sym_steps(eig_job *j, size_t steps)
{
    double *a = j->a;
    size_t n = j->n;
    if (n == 0) return 0;
    if (n == 1) {
        j->w[0] = a[0];
        return 0;
    }
    /* tred2's Householder steps, steps at a time: the O(n^3) part */
    for (size_t k = 0; k < steps && j->i > 0; k++, j->i--) tred2_step(a, n, j->i, j->w, j->e);
    if (j->i > 0) return 1;
    /* then as eig_sym without vectors: the diagonal, QL, the order */
    for (size_t c = 0; c < n; c++) j->w[c] = V(c, c);
    j->e[0] = 0.0;
    int rc = tql2(a, n, j->w, j->e, 0);
    free(j->e);
    j->e = NULL;
    if (rc != 0) return -1;
    sort_pairs(a, n, j->w, 0);
    return 0;
}

void eig_job_free(eig_job *j)
{
    free(j->e);
    j->e = NULL;
}

#undef V

/* ------------------------------------------------------------------------------ */
/* Lanczos                                                                          */

static double dot(const double *x, const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

int eig_lanczos(eig_op op, void *ctx, size_t n, int k, uint64_t seed, double *ritz, double *vecs)
{
    if (k < 1 || n == 0) return 0;
    if ((size_t)k > n) k = (int)n;
    double *Q = malloc((size_t)k * n * sizeof *Q), *z = malloc(n * sizeof *z);
    double *al = malloc((size_t)k * sizeof *al), *be = malloc((size_t)k * sizeof *be);
    double *T = calloc((size_t)k * (size_t)k, sizeof *T);
    int steps = 0, rc = -1;
    if (!Q || !z || !al || !be || !T) goto done;
    rng r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) Q[i] = rng_normal(&r);
    double nr = sqrt(dot(Q, Q, n));
    for (size_t i = 0; i < n; i++) Q[i] /= nr;
    for (int j = 0; j < k; j++) {
        double *q = Q + (size_t)j * n;
        op(ctx, q, z);
        al[j] = dot(q, z, n);
        steps = j + 1;
        /* full reorthogonalization, twice ("twice is enough") */
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i <= j; i++) {
                const double *qi = Q + (size_t)i * n;
                double c = dot(qi, z, n);
                for (size_t t = 0; t < n; t++) z[t] -= c * qi[t];
            }
        if (j + 1 == k) break;
        be[j] = sqrt(dot(z, z, n));
        if (!(be[j] > 1e-12 * fabs(al[j]) && be[j] > 0)) break;
        double *qn = Q + (size_t)(j + 1) * n;
        for (size_t t = 0; t < n; t++) qn[t] = z[t] / be[j];
    }
    for (int j = 0; j < steps; j++) {
        T[(size_t)j * (size_t)steps + (size_t)j] = al[j];
        if (j + 1 < steps)
            T[(size_t)j * (size_t)steps + (size_t)j + 1] = T[(size_t)(j + 1) * (size_t)steps + (size_t)j] = be[j];
    }
    if (eig_sym(T, (size_t)steps, ritz, vecs != NULL) != 0) goto done;
    if (vecs)
        for (int j = 0; j < steps; j++) {
            double *v = vecs + (size_t)j * n;
            const double *y = T + (size_t)j * (size_t)steps;
            memset(v, 0, n * sizeof *v);
            for (int i = 0; i < steps; i++)
                for (size_t t = 0; t < n; t++) v[t] += y[i] * Q[(size_t)i * n + t];
        }
    rc = steps;
done:
    free(Q);
    free(z);
    free(al);
    free(be);
    free(T);
    return rc;
}
