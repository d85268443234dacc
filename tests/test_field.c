/* test_field: the loss field's sample positions, the offset variant that keeps a
 * tiny view's detail in float, and the curvature field against closed forms. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "core/field.h"
#include "core/landscape.h"

static expr *compile(const char *src)
{
    expr_error e;
    expr *f = expr_compile(src, NULL, 0, &e);
    CHECK(f != NULL, "compile %s", src);
    return f;
}

int main(void)
{
    /* sample positions are pixel centres */
    double view[4] = {-1, 3, 2, 4};
    CHECK_NEAR(field_x(view, 4, 0), -0.5, 0, 1e-15, "first column centre");
    CHECK_NEAR(field_x(view, 4, 3), 2.5, 0, 1e-15, "last column centre");
    CHECK_NEAR(field_y(view, 2, 0), 2.5, 0, 1e-15, "row 0 is at the bottom");

    /* values, with and without offset, thread counts agree */
    expr *f = compile("x^2 + 3*x*y - y^3");
    int w = 37, h = 23;
    float *a = malloc((size_t)w * h * sizeof *a), *b = malloc((size_t)w * h * sizeof *b);
    float *c = malloc((size_t)w * h * sizeof *c);
    field_compute(f, view, w, h, a, 1);
    field_compute(f, view, w, h, b, 3);
    field_compute_offset(f, view, w, h, c, 2, 0.0);
    int same = 1, same0 = 1, right = 1;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            size_t k = (size_t)j * w + i;
            double x = field_x(view, w, i), y = field_y(view, h, j);
            if (a[k] != b[k]) same = 0;
            if (a[k] != c[k]) same0 = 0;
            if (a[k] != (float)(x * x + 3 * x * y - y * y * y)) right = 0;
        }
    CHECK(same, "1 thread and 3 threads give the same field");
    CHECK(same0, "offset 0 gives the plain field");
    CHECK(right, "values are f at the sample points, rounded to float");

    /* a view 1e-6 wide around (1, 1) of a function whose value there is 7: plain
       float has ~5e-7 resolution at 7, the offset field resolves the slope */
    expr *g = compile("7 + 3*(x - 1) + 2*(y - 1)");
    double tiny[4] = {1 - 5e-7, 1 + 5e-7, 1 - 5e-7, 1 + 5e-7};
    int n = 64;
    float *t = malloc((size_t)n * n * sizeof *t), *u = malloc((size_t)n * n * sizeof *u);
    field_compute(g, tiny, n, n, t, 1);
    field_compute_offset(g, tiny, n, n, u, 1, 7.0);
    int distinct_plain = 0, distinct_off = 0;
    for (int i = 1; i < n; i++) {
        if (t[i] != t[i - 1]) distinct_plain++;
        if (u[i] != u[i - 1]) distinct_off++;
    }
    CHECK(distinct_off == n - 1, "every column differs with the offset (%d of %d)", distinct_off, n - 1);
    CHECK(distinct_plain < n / 2, "without the offset float loses the slope (%d distinct)", distinct_plain);
    double x0 = field_x(tiny, n, 10), y0 = field_y(tiny, n, 20);
    CHECK_NEAR(u[20 * n + 10], 3 * (x0 - 1) + 2 * (y0 - 1), 1e-6, 1e-20, "offset value");

    /* curvature: lmax of the quadratic kappa=50 is 50 everywhere; of x^2 - y^2 it is 2;
       of x^4 + y^2 it is max(12 x^2, 2) */
    landscape ls;
    char err[256];
    CHECK(landscape_load(&ls, "quadratic:kappa=50,angle=30", err, sizeof err) == 0, "%s", err);
    float *l = malloc(16 * 16 * sizeof *l);
    field_lmax(ls.f, ls.view, 16, 16, l, 2);
    double worst = 0;
    for (int i = 0; i < 256; i++) worst = fmax(worst, fabs(l[i] - 50.0));
    CHECK(worst < 1e-4, "quadratic lmax is kappa everywhere (off by %g)", worst);
    landscape_free(&ls);
    expr *q = compile("x^4 + y^2");
    double v2[4] = {-1, 1, -1, 1};
    field_lmax(q, v2, 16, 16, l, 1);
    int ok = 1;
    for (int j = 0; j < 16; j++)
        for (int i = 0; i < 16; i++) {
            double x = field_x(v2, 16, i);
            double want = fmax(12 * x * x, 2.0);
            if (fabs(l[j * 16 + i] - want) > 1e-5 * want) ok = 0;
        }
    CHECK(ok, "x^4 + y^2: lmax = max(12 x^2, 2)");

    free(a); free(b); free(c); free(t); free(u); free(l);
    expr_destroy(f);
    expr_destroy(g);
    expr_destroy(q);
    return check_done("test_field");
}
