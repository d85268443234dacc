/* test_eig: the symmetric eigensolver (tred2 + tql2) against numpy.linalg.eigvalsh
 * (tests/net_ref.h, from tools/net_ref.py) to 1e-10 of the largest eigenvalue, its
 * eigenvectors by their residual and orthonormality, and Lanczos's extremes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/eig.h"
#include "net_ref.h"

static double scale_of(const double *w, size_t n)
{
    return fmax(fabs(w[0]), fabs(w[n - 1]));
}

static void test_values(const double *a, const double *want, size_t n)
{
    double *m = malloc(n * n * sizeof *m), *w = malloc(n * sizeof *w);
    memcpy(m, a, n * n * sizeof *m);
    CHECK(eig_sym(m, n, w, 0) == 0, "n %zu", n);
    double e = 0, s = scale_of(want, n);
    for (size_t i = 0; i < n; i++) e = fmax(e, fabs(w[i] - want[i]) / s);
    CHECK(e < 1e-10, "n %zu: eigenvalues off by %.3g of the largest", n, e);
    printf("  n = %2zu: eigenvalues within %.1e of the largest\n", n, e);

    /* vectors: A v_j = w_j v_j, V^T V = I, and the same values as without */
    double *w2 = malloc(n * sizeof *w2);
    memcpy(m, a, n * n * sizeof *m);
    CHECK(eig_sym(m, n, w2, 1) == 0, "n %zu with vectors", n);
    double res = 0, orth = 0, dv = 0;
    for (size_t j = 0; j < n; j++) {
        const double *v = m + j * n;
        dv = fmax(dv, fabs(w2[j] - want[j]) / s);
        for (size_t i = 0; i < n; i++) {
            double av = 0;
            for (size_t k = 0; k < n; k++) av += a[i * n + k] * v[k];
            res = fmax(res, fabs(av - w2[j] * v[i]) / s);
        }
        for (size_t k = 0; k < n; k++) {
            double d = 0;
            for (size_t i = 0; i < n; i++) d += v[i] * m[k * n + i];
            orth = fmax(orth, fabs(d - (j == k)));
        }
    }
    CHECK(dv < 1e-10 && res < 1e-12 && orth < 1e-12, "n %zu: values %.3g residual %.3g orthogonality %.3g", n,
          dv, res, orth);
    free(m);
    free(w);
    free(w2);
}

typedef struct mat { const double *a; size_t n; } mat;

static void matvec(void *ctx, const double *x, double *y)
{
    const mat *m = ctx;
    for (size_t i = 0; i < m->n; i++) {
        y[i] = 0;
        for (size_t k = 0; k < m->n; k++) y[i] += m->a[i * m->n + k] * x[k];
    }
}

static void test_lanczos(void)
{
    mat m = {eig_a40, 40};
    double ritz[40], vec[40 * 40];
    int k = eig_lanczos(matvec, &m, 40, 25, 1, ritz, vec);
    CHECK(k == 25, "%d steps", k);
    double s = scale_of(eig_w40, 40);
    CHECK(fabs(ritz[0] - eig_w40[0]) < 1e-8 * s && fabs(ritz[k - 1] - eig_w40[39]) < 1e-8 * s,
          "extremes %.17g %.17g, want %.17g %.17g", ritz[0], ritz[k - 1], eig_w40[0], eig_w40[39]);
    /* the top Ritz vector is an eigenvector */
    double y[40], res = 0;
    matvec(&m, vec + (size_t)(k - 1) * 40, y);
    for (int i = 0; i < 40; i++) res = fmax(res, fabs(y[i] - ritz[k - 1] * vec[(size_t)(k - 1) * 40 + i]));
    CHECK(res < 1e-6 * s, "top Ritz vector residual %.3g", res);
    /* 40 steps on a 40 x 40 matrix: the Krylov space is the whole space unless it
     * stops early; every Ritz value is then an eigenvalue */
    k = eig_lanczos(matvec, &m, 40, 40, 3, ritz, NULL);
    CHECK(k >= 1, "%d", k);
    printf("  Lanczos: extremes after 25 steps within %.1e, %.1e of the largest\n",
           fabs(ritz[0] - eig_w40[0]) / s, fabs(ritz[k - 1] - eig_w40[39]) / s);
}

/* eig_sym_steps in pieces of 1, 3 and n Householder steps: eig_sym's eigenvalues
 * bit for bit (the same operations in the same order), and numpy's. */
static void test_steps(const double *a, const double *want, size_t n)
{
    static double m1[40 * 40], m2[40 * 40], w1[40], w2[40];
    const size_t chunks[3] = {1, 3, n};
    memcpy(m1, a, n * n * sizeof *m1);
    CHECK(eig_sym(m1, n, w1, 0) == 0, "eig_sym %zu", n);
    for (int c = 0; c < 3; c++) {
        memcpy(m2, a, n * n * sizeof *m2);
        eig_job j;
        CHECK(eig_sym_begin(&j, m2, n, w2) == 0, "begin %zu", n);
        int rc, calls = 0;
        while ((rc = eig_sym_steps(&j, chunks[c])) == 1) calls++;
        CHECK(rc == 0, "n %zu, steps of %zu: %d", n, chunks[c], rc);
        CHECK(chunks[c] != 1 || n < 2 || calls == (int)n - 2, "n %zu: %d calls that left work", n, calls);
        CHECK(memcmp(w1, w2, n * sizeof *w1) == 0, "n %zu, steps of %zu: eig_sym's values bit for bit", n, chunks[c]);
        double s = scale_of(want, n), err = 0;
        for (size_t i = 0; i < n; i++) err = fmax(err, fabs(w2[i] - want[i]));
        CHECK(err <= 1e-10 * s, "n %zu: numpy's values within %.3g", n, err);
    }
}

int main(void)
{
    test_values(eig_a1, eig_w1, 1);
    test_values(eig_a2, eig_w2, 2);
    test_values(eig_a5, eig_w5, 5);
    test_values(eig_a40, eig_w40, 40);
    /* a diagonal matrix out of order and a zero matrix */
    double d[9] = {3, 0, 0, 0, -1, 0, 0, 0, 2}, wd[3] = {-1, 2, 3};
    test_values(d, wd, 3);
    double z[4] = {0}, wz[2] = {0};
    double mz[4], w[2];
    memcpy(mz, z, sizeof z);
    CHECK(eig_sym(mz, 2, w, 1) == 0 && w[0] == 0 && w[1] == 0, "zero matrix");
    (void)wz;
    test_lanczos();
    test_steps(eig_a1, eig_w1, 1);
    test_steps(eig_a5, eig_w5, 5);
    test_steps(eig_a40, eig_w40, 40);
    printf("  eig_sym_steps: in pieces of 1, 3 and n steps, eig_sym's values bit for bit\n");
    return check_done("test_eig");
}
