/* test_linalg2: the 2x2 symmetric eigen-decomposition and solve on a table of
 * awkward matrices (diagonal, nearly equal eigenvalues, tiny off-diagonals, huge and
 * tiny scales, zero), checked by relative residuals and against exact answers. */
#include <float.h>
#include <math.h>

#include "check.h"
#include "core/linalg2.h"

typedef struct mat_case {
    const char *what;
    double a, b, c;
} mat_case;

static const mat_case cases[] = {
    {"identity", 1, 0, 1},
    {"diagonal increasing", -3, 0, 7},
    {"diagonal decreasing", 5, 0, -2},
    {"diagonal with zero", 0, 0, 4},
    {"zero", 0, 0, 0},
    {"saddle x^2-y^2 Hessian", 2, 0, -2},
    {"general", 2, 1, 3},
    {"negative definite", -4, 1.5, -1},
    {"indefinite", 1, 3, -2},
    {"rank one", 1, 2, 4},
    {"pure off-diagonal", 0, 1, 0},
    {"nearly equal eigenvalues", 1, 1e-12, 1 + 1e-12},
    {"equal diagonal, tiny off-diagonal", 1, 1e-15, 1},
    {"tiny off-diagonal", 1, 1e-17, 2},
    {"tiny off-diagonal, big diagonal", 1e8, 1e-9, -3e7},
    {"huge scale", 3e300, 1e300, -2e300},
    {"tiny scale", 3e-300, 1e-300, -2e-300},
    {"denormal scale", 3e-310, 1e-310, 5e-310},
    {"mixed scale", 1e10, 1, 1e-10},
    {"ill-conditioned", 1e6, 999.9995, 1},
    {"rotated kappa 10 at 30 deg", 3.25, -3.8971143170299736, 7.75},
    {"Rosenbrock Hessian at (1,1)", 802, -400, 200},
};

/* ||A v - l v|| relative to the matrix scale. */
static double residual(const mat_case *m, double l, const double v[2])
{
    double r0 = m->a * v[0] + m->b * v[1] - l * v[0];
    double r1 = m->b * v[0] + m->c * v[1] - l * v[1];
    double scale = fmax(fabs(m->a), fmax(fabs(m->b), fabs(m->c)));
    if (scale == 0.0) return hypot(r0, r1);
    /* Divide first: the products above may be near overflow for huge matrices. */
    return hypot(r0 / scale, r1 / scale);
}

static int sign_ok(const double v[2])
{
    return v[0] > 0.0 || (v[0] == 0.0 && v[1] > 0.0);
}

static void test_eig_table(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const mat_case *m = &cases[i];
        eig2 e = eig2_sym(m->a, m->b, m->c);
        double scale = fmax(fabs(m->a), fmax(fabs(m->b), fabs(m->c)));
        CHECK(e.l1 <= e.l2, "%s: l1 %.17g > l2 %.17g", m->what, e.l1, e.l2);
        CHECK_NEAR(hypot(e.v1[0], e.v1[1]), 1.0, 4 * DBL_EPSILON, 0, "%s: |v1|", m->what);
        CHECK_NEAR(hypot(e.v2[0], e.v2[1]), 1.0, 4 * DBL_EPSILON, 0, "%s: |v2|", m->what);
        CHECK_NEAR(e.v1[0] * e.v2[0] + e.v1[1] * e.v2[1], 0.0, 0, 4 * DBL_EPSILON,
                   "%s: v1 . v2", m->what);
        CHECK(sign_ok(e.v1), "%s: v1 = (%g, %g) breaks the sign convention", m->what,
              e.v1[0], e.v1[1]);
        CHECK(sign_ok(e.v2), "%s: v2 = (%g, %g) breaks the sign convention", m->what,
              e.v2[0], e.v2[1]);
        CHECK_NEAR(residual(m, e.l1, e.v1), 0.0, 0, 8 * DBL_EPSILON, "%s: residual 1", m->what);
        CHECK_NEAR(residual(m, e.l2, e.v2), 0.0, 0, 8 * DBL_EPSILON, "%s: residual 2", m->what);
        /* Trace is preserved to rounding. */
        if (scale > 0 && scale < 1e300) {
            CHECK_NEAR(e.l1 + e.l2, m->a + m->c, 0, 8 * DBL_EPSILON * scale, "%s: trace", m->what);
        }
    }
}

static void test_eig_exact(void)
{
    /* Diagonal matrices: exact eigenvalues and axis eigenvectors. */
    eig2 e = eig2_sym(5, 0, -2);
    CHECK(e.l1 == -2 && e.l2 == 5, "got %.17g %.17g", e.l1, e.l2);
    CHECK(e.v1[0] == 0 && e.v1[1] == 1 && e.v2[0] == 1 && e.v2[1] == 0,
          "v1 (%g,%g) v2 (%g,%g)", e.v1[0], e.v1[1], e.v2[0], e.v2[1]);
    e = eig2_sym(0.1, 0, 0.30000000000000004);
    CHECK(e.l1 == 0.1 && e.l2 == 0.30000000000000004, "got %.17g %.17g", e.l1, e.l2);
    e = eig2_sym(2, 0, -2);   /* x^2 - y^2: lambda1 = -2 along (0, 1) */
    CHECK(e.l1 == -2 && e.v1[0] == 0 && e.v1[1] == 1, "got %g (%g, %g)", e.l1, e.v1[0], e.v1[1]);
    e = eig2_sym(0, 0, 0);
    CHECK(e.l1 == 0 && e.l2 == 0, "zero matrix: %g %g", e.l1, e.l2);
    CHECK(e.v1[0] == 1 && e.v2[1] == 1, "zero matrix vectors");

    /* [[0,1],[1,0]]: -1 along (1,-1)/sqrt2 -> sign convention (0.707, -0.707). */
    e = eig2_sym(0, 1, 0);
    CHECK_NEAR(e.l1, -1, 2 * DBL_EPSILON, 0, "pure off-diagonal l1");
    CHECK_NEAR(e.l2, 1, 2 * DBL_EPSILON, 0, "pure off-diagonal l2");
    CHECK_NEAR(e.v1[0], sqrt(0.5), 2 * DBL_EPSILON, 0, "v1x");
    CHECK_NEAR(e.v1[1], -sqrt(0.5), 2 * DBL_EPSILON, 0, "v1y");

    /* Tiny eigenvalue next to a big one keeps its relative accuracy (no cancellation):
     * [[1e8, 1], [1, 2e-8]] has det = 2 - 1 = 1, so l1 = det / l2 ~ 1e-8, which the
     * naive (trace - root) / 2 would get with no correct digits. */
    double a = 1e8, b = 1.0, c = 2e-8;
    e = eig2_sym(a, b, c);
    /* Exact: l = (s +- sqrt((a-c)^2 + 4b^2))/2; the small one is det/l_big. */
    double big = 0.5 * ((a + c) + sqrt((a - c) * (a - c) + 4 * b * b));
    double small = (a * c - b * b) / big;
    CHECK_NEAR(e.l2, big, 2 * DBL_EPSILON, 0, "big eigenvalue");
    CHECK_NEAR(e.l1, small, 1e-12, 0, "small eigenvalue");

    /* A well-separated case with an exactly known tiny eigenvalue: [[1, 1e-5],[1e-5, 1e-10 + 1e-10]]
     * has det = 1e-10, so l1 ~ 1e-10 / (1 + ...). */
    e = eig2_sym(1.0, 1e-5, 2e-10);
    CHECK_NEAR(e.l1, (2e-10 - 1e-10) / e.l2, 1e-9, 0, "tiny eigenvalue from det/l2");

    /* Nearly equal eigenvalues: [[1, d], [d, 1]] has 1 -+ d exactly along the diagonals. */
    double d = 1e-13;
    e = eig2_sym(1, d, 1);
    CHECK_NEAR(e.l1, 1 - d, 2 * DBL_EPSILON, 0, "near-equal l1");
    CHECK_NEAR(e.l2, 1 + d, 2 * DBL_EPSILON, 0, "near-equal l2");
    CHECK_NEAR(e.v2[0], sqrt(0.5), 4 * DBL_EPSILON, 0, "near-equal v2x");
    CHECK_NEAR(e.v2[1], sqrt(0.5), 4 * DBL_EPSILON, 0, "near-equal v2y");

    /* Huge scale: [[1e300, 0.5e300], [0.5e300, 1e300]] -> 0.5e300, 1.5e300 without overflow. */
    e = eig2_sym(1e300, 0.5e300, 1e300);
    CHECK_NEAR(e.l1, 0.5e300, 4 * DBL_EPSILON, 0, "huge l1");
    CHECK_NEAR(e.l2, 1.5e300, 4 * DBL_EPSILON, 0, "huge l2");
    e = eig2_sym(1e-300, 0.5e-300, 1e-300);
    CHECK_NEAR(e.l1, 0.5e-300, 4 * DBL_EPSILON, 0, "tiny l1");
    CHECK_NEAR(e.l2, 1.5e-300, 4 * DBL_EPSILON, 0, "tiny l2");

    /* P = R(30 deg) diag(1, 10) R^T: eigenvalues 1 and 10, v1 = (cos 30, sin 30). */
    const double deg = 3.14159265358979323846 / 180;
    double cth = cos(30 * deg), sth = sin(30 * deg);
    double pa = cth * cth + 10 * sth * sth, pb = (1 - 10) * cth * sth, pc = sth * sth + 10 * cth * cth;
    e = eig2_sym(pa, pb, pc);
    CHECK_NEAR(e.l1, 1, 8 * DBL_EPSILON, 0, "rotated l1");
    CHECK_NEAR(e.l2, 10, 8 * DBL_EPSILON, 0, "rotated l2");
    CHECK_NEAR(e.v1[0], cth, 8 * DBL_EPSILON, 0, "rotated v1x");
    CHECK_NEAR(e.v1[1], sth, 8 * DBL_EPSILON, 0, "rotated v1y");

    /* Non-finite input gives NaN, not a crash or a plausible-looking number. */
    e = eig2_sym(NAN, 0, 1);
    CHECK(isnan(e.l1) && isnan(e.l2), "NaN input: %g %g", e.l1, e.l2);
    e = eig2_sym(INFINITY, 1, 1);
    CHECK(isnan(e.l1), "inf input: %g", e.l1);
}

static void test_solve(void)
{
    double s[2] = {123, 456};
    double r[2] = {1, 2};

    /* [[2,1],[1,3]] s = (1,2) -> s = (1/5, 3/5). */
    CHECK(solve2_sym(2, 1, 3, r, s) == 0, "regular solve");
    CHECK_NEAR(s[0], 0.2, 4 * DBL_EPSILON, 0, "s0");
    CHECK_NEAR(s[1], 0.6, 4 * DBL_EPSILON, 0, "s1");

    /* Same system at huge and tiny scales: s scales inversely, no overflow. */
    CHECK(solve2_sym(2e300, 1e300, 3e300, r, s) == 0, "huge solve");
    CHECK_NEAR(s[0], 0.2e-300, 4 * DBL_EPSILON, 0, "huge s0");
    CHECK_NEAR(s[1], 0.6e-300, 4 * DBL_EPSILON, 0, "huge s1");
    double rt[2] = {1e-300, 2e-300};
    CHECK(solve2_sym(2e-300, 1e-300, 3e-300, rt, s) == 0, "tiny solve");
    CHECK_NEAR(s[0], 0.2, 4 * DBL_EPSILON, 0, "tiny s0");
    CHECK_NEAR(s[1], 0.6, 4 * DBL_EPSILON, 0, "tiny s1");

    /* Singular and nearly singular (relative to the scale, at any scale): -1, s untouched. */
    s[0] = 123; s[1] = 456;
    CHECK(solve2_sym(0, 0, 0, r, s) == -1, "zero matrix");
    CHECK(solve2_sym(1, 2, 4, r, s) == -1, "rank one");
    CHECK(solve2_sym(1e-200, 2e-200, 4e-200, r, s) == -1, "tiny rank one");
    CHECK(solve2_sym(1e200, 2e200, 4e200, r, s) == -1, "huge rank one");
    CHECK(solve2_sym(1, 1, 1 + 1e-16, r, s) == -1, "singular to working precision");
    CHECK(solve2_sym(1, 0, 0, r, s) == -1, "diag(1, 0)");
    CHECK(solve2_sym(1, 0, 1e-17, r, s) == -1, "diag(1, 1e-17)");
    CHECK(solve2_sym(NAN, 0, 1, r, s) == -1, "NaN");
    CHECK(s[0] == 123 && s[1] == 456, "s untouched: %g %g", s[0], s[1]);

    /* A tiny but uniformly scaled matrix is not singular: the test is relative. */
    CHECK(solve2_sym(1e-20, 0, 1e-20, r, s) == 0, "tiny identity is regular");
    CHECK_NEAR(s[0], 1e20, 2 * DBL_EPSILON, 0, "tiny identity s0");
    /* Ill-conditioned but solvable (cond ~ 1e10): residual small. */
    double a = 1, b = 1, c = 1 + 1e-10;
    CHECK(solve2_sym(a, b, c, r, s) == 0, "cond 1e10 is solvable");
    double res0 = a * s[0] + b * s[1] - r[0], res1 = b * s[0] + c * s[1] - r[1];
    CHECK_NEAR(hypot(res0, res1) / hypot(s[0], s[1]), 0, 0, 1e-15, "relative residual");
    /* Exact answer: s = (1 - 1e10, 1e10) in exact arithmetic; the matrix stored in
     * binary differs, so allow for the conditioning. */
    CHECK_NEAR(s[1], 1e10, 1e-5, 0, "ill-conditioned s1");
}

int main(void)
{
    test_eig_table();
    test_eig_exact();
    test_solve();
    return check_done("linalg2");
}
