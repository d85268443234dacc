/* test_crit: the critical-point finder against independent references. The
 * polynomial tables come from tools/crit_ref.py (sympy: exact resultants, roots at
 * 40 digits), rastrigin's 441 points from 1D bisection (it is separable), and the
 * degenerate cases (monkey saddle, lines of critical points, a constant) from
 * their closed forms. Also: classification tolerance, region handling, the output
 * cap, and a timing report for every built-in at its default view. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "core/crit.h"
#include "core/landscape.h"

#define PI 3.14159265358979323846
#define MAXP 5000

typedef struct ref_point {
    crit_kind kind;
    double x, y, f, l1, l2;
} ref_point;

/* tools/crit_ref.py '(x^2 + y - 11)^2 + (x + y^2 - 7)^2' -5 5 -5 5 --c */
static const ref_point ref_himmelblau[] = {
    {CRIT_MIN, -3.7793102533777469, -3.2831859912861694, 0, 70.714354744244249, 133.78561521306708},
    {CRIT_SADDLE, -3.0730257507643896, -0.081353044287967512, 104.01516291755811, -39.65149625621665, 72.435248068118747},
    {CRIT_MIN, -2.8051180869527449, 3.131312518250573, 0, 64.840372770684193, 80.550071778933182},
    {CRIT_MAX, -0.27084459066734761, -0.92303855647998146, 181.6165215225827, -45.605229292789516, -16.066019667290868},
    {CRIT_SADDLE, -0.12796134673068007, -1.9537149802445764, 178.33723920192746, -50.610239320365763, 20.284049975935077},
    {CRIT_SADDLE, 0.086677504555396352, 2.8842547011747761, 67.71915008752614, -31.706622362774344, 75.507609238232008},
    {CRIT_MIN, 3.0, 2.0, 0, 25.715728752538099, 82.284271247461901},
    {CRIT_SADDLE, 3.3851541836070209, 0.073851879837749288, 13.31192627040559, -14.135178485450489, 97.547878102601799},
    {CRIT_MIN, 3.5844283403304917, -1.8481265269644036, 0, 28.690677156755244, 105.41890833631605},
};

/* tools/crit_ref.py '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2' -2 2 -1 1 --c */
static const ref_point ref_six_hump[] = {
    {CRIT_MIN, -1.7036067149699808, 0.79608356867262512, -0.21546382438371764, 18.817138635160461, 22.697515006928896},
    {CRIT_SADDLE, -1.6380679841897786, -0.22867406904439407, 2.2293571975307147, -5.5457750172465245, 12.436664436358387},
    {CRIT_MIN, -1.6071047529201972, -0.56865145488413137, 2.1042503103112583, 7.1215121202071514, 10.02160251618325},
    {CRIT_SADDLE, -1.2960702671671092, -0.6050843880386585, 2.2294708180298599, -6.177182126967409, 9.6375884880128418},
    {CRIT_MAX, -1.2302298765166526, -0.16233458445899497, 2.4962953510235769, -8.0149071565398285, -5.9537241668346448},
    {CRIT_SADDLE, -1.1092053368047864, 0.76826809250953984, 0.54371860097818514, -7.9026191199873868, 20.366739739128},
    {CRIT_MIN, -0.089842013100318062, 0.71265640302073963, -1.0316284534898774, 7.6822514133690764, 16.493195232227731},
    {CRIT_SADDLE, 0, 0, 0, -8.0622577482985497, 8.0622577482985497},
    {CRIT_MIN, 0.089842013100318062, -0.71265640302073963, -1.0316284534898774, 7.6822514133690764, 16.493195232227731},
    {CRIT_SADDLE, 1.1092053368047864, -0.76826809250953984, 0.54371860097818514, -7.9026191199873868, 20.366739739128},
    {CRIT_MAX, 1.2302298765166526, 0.16233458445899497, 2.4962953510235769, -8.0149071565398285, -5.9537241668346448},
    {CRIT_SADDLE, 1.2960702671671092, 0.6050843880386585, 2.2294708180298599, -6.177182126967409, 9.6375884880128418},
    {CRIT_MIN, 1.6071047529201972, 0.56865145488413137, 2.1042503103112583, 7.1215121202071514, 10.02160251618325},
    {CRIT_SADDLE, 1.6380679841897786, 0.22867406904439407, 2.2293571975307147, -5.5457750172465245, 12.436664436358387},
    {CRIT_MIN, 1.7036067149699808, -0.79608356867262512, -0.21546382438371764, 18.817138635160461, 22.697515006928896},
};

/* tools/crit_ref.py '<goldstein_price>' -2 2 -2 2 --c */
static const ref_point ref_goldstein[] = {
    {CRIT_MIN, -0.6, -0.4, 30.0, 447.91778179851815, 4340.0822182014818},
    {CRIT_SADDLE, -0.4, -0.6, 35.0, -300.67559001091163, 5028.6755900109116},
    {CRIT_MIN, 0, -1.0, 3.0, 402.83101166736044, 965.16898833263956},
    {CRIT_SADDLE, 0.6, 0.4, 990.0, -1389.1860901781936, 15393.186090178194},
    {CRIT_MAX, 0.8, 0.2, 1155.0, -10372.53463893262, -1603.46536106738},
    {CRIT_SADDLE, 1.2, -0.2, 99.0, -138.48625930212415, 30882.486259302124},
    {CRIT_MIN, 1.2, 0.8, 840.0, 2061.4143934412066, 13202.585606558793},
    {CRIT_SADDLE, 1.4, 0.6, 980.0, -8660.266564206009, 2444.266564206009},
    {CRIT_MIN, 1.8, 0.2, 84.0, 207.62596662184589, 26216.374033378154},
};

/* tools/crit_ref.py '2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2' -2.5 2.5 -2.5 2.5 --c */
static const ref_point ref_three_hump[] = {
    {CRIT_MIN, -1.7475523458302889, 0.87377617291514445, 0.29863844223685982, 1.9024451549928168, 12.250644136909527},
    {CRIT_SADDLE, -1.07054229182366, 0.53527114591182999, 0.87736155776314018, -4.0386881722349722, 2.1655988803326288},
    {CRIT_MIN, 0, 0, 0, 1.585786437626905, 4.414213562373095},
    {CRIT_SADDLE, 1.07054229182366, -0.53527114591182999, 0.87736155776314018, -4.0386881722349722, 2.1655988803326288},
    {CRIT_MIN, 1.7475523458302889, -0.87377617291514445, 0.29863844223685982, 1.9024451549928168, 12.250644136909527},
};

/* tools/crit_ref.py '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2' -4.5 4.5 -4.5 4.5 --c */
static const ref_point ref_beale[] = {
    {CRIT_SADDLE, 0, 1.0, 14.203125, -27.75, 27.75},
    {CRIT_SADDLE, 0.10053793732415836, -2.644513585023125, 9.8645122847555602, -0.78102717269324238, 867.75217933292793},
    {CRIT_MIN, 3.0, 0.5, 0, 0.30146364652224711, 48.979786353477753},
};

/* tools/crit_ref.py '(1 - x)^2 + 100*(y - x^2)^2' -2 2 -1 3 --c */
static const ref_point ref_rosenbrock[] = {
    {CRIT_MIN, 1.0, 1.0, 0, 0.39936076748763305, 1001.6006392325124},
};

/* tools/crit_ref.py 'x^3 - 3*x + y^2' -3 3 -3 3 --c */
static const ref_point ref_cubic[] = {
    {CRIT_SADDLE, -1.0, 0, 2.0, -6.0, 2.0},
    {CRIT_MIN, 1.0, 0, -2.0, 2.0, 6.0},
};

/* tools/crit_ref.py '<sharp_flat formula>' -3 3 -2.5 2.5 --param width=0.2 --seeds 24 --c
 * (not polynomial: mpmath's Newton at 30 digits from a 24x24 grid) */
static const ref_point ref_sharp_flat[] = {
    {CRIT_MIN, -0.90426719155910958, -0.45213359577955479, 0.10653222473016917, 1.0337529676493545, 1.0445739723779683},
    {CRIT_SADDLE, 0.98360207432898243, 0.30668666287301424, 0.93477326742607791, -3.9336735715978865, 0.75464080647983512},
    {CRIT_MIN, 1.4914401518638368, 0.49697446399243909, 0.098657097536261986, 24.861990880804417, 25.10012959032811},
};

static crit_point pts[MAXP];

static int load(landscape *ls, const char *what)
{
    char err[512];
    int rc = what[0] == '=' ? landscape_load_expr(ls, what + 1, err, sizeof err)
                            : landscape_load(ls, what, err, sizeof err);
    CHECK(rc == 0, "%s: %s", what, err);
    return rc;
}

/* The properties every result must have, whatever the function. */
static void check_common(const char *what, const crit_point *p, int n, const double r[4])
{
    for (int i = 0; i < n; i++) {
        const crit_point *c = &p[i];
        CHECK(c->x >= r[0] - 1e-9 * (r[1] - r[0]) && c->x <= r[1] + 1e-9 * (r[1] - r[0]) &&
              c->y >= r[2] - 1e-9 * (r[3] - r[2]) && c->y <= r[3] + 1e-9 * (r[3] - r[2]),
              "%s: point %d (%g, %g) outside the region", what, i, c->x, c->y);
        CHECK(c->l1 <= c->l2, "%s: point %d: l1 %g > l2 %g", what, i, c->l1, c->l2);
        CHECK_NEAR(hypot(c->v1[0], c->v1[1]), 1, 1e-15, 0, "%s: |v1| at point %d", what, i);
        CHECK_NEAR(hypot(c->v2[0], c->v2[1]), 1, 1e-15, 0, "%s: |v2| at point %d", what, i);
        CHECK((int)c->kind >= CRIT_MIN && (int)c->kind <= CRIT_DEGENERATE, "%s: kind", what);
        /* x then y, with x equal to 1e-9 of the width counting as equal (columns
         * of points agree in x only to rounding). */
        if (i > 0) {
            double tol = 1e-9 * (r[1] - r[0]);
            CHECK(p[i - 1].x < c->x - tol || (fabs(p[i - 1].x - c->x) <= tol && p[i - 1].y < c->y),
                  "%s: not sorted by x then y at %d", what, i);
        }
    }
}

/* Same points, same kinds, positions to 1e-9, values and eigenvalues to ~1e-10. */
static void check_against(const char *what, const char *spec_text, const double *region,
                          const ref_point *ref, int nref)
{
    landscape ls;
    char err[512];
    if (load(&ls, spec_text) != 0) return;
    const double *r = region ? region : ls.view;
    int n = crit_find(ls.f, r, NULL, pts, MAXP, err, sizeof err);
    CHECK(n == nref, "%s: %d critical points, expected %d", what, n, nref);
    check_common(what, pts, n, r);
    for (int k = 0; k < nref; k++) {
        const ref_point *e = &ref[k];
        int best = -1;
        double bd = INFINITY;
        for (int i = 0; i < n; i++) {
            double d = hypot(pts[i].x - e->x, pts[i].y - e->y);
            if (d < bd) { bd = d; best = i; }
        }
        CHECK(bd <= 1e-9, "%s: reference point (%.17g, %.17g) %s not found (nearest at %g)",
              what, e->x, e->y, crit_kind_name(e->kind), bd);
        if (best < 0 || bd > 1e-9) continue;
        const crit_point *c = &pts[best];
        CHECK(c->kind == e->kind, "%s: (%.6g, %.6g) is %s, expected %s", what, e->x, e->y,
              crit_kind_name(c->kind), crit_kind_name(e->kind));
        double ls_scale = fmax(fabs(e->l1), fabs(e->l2));
        CHECK_NEAR(c->f, e->f, 1e-12, 1e-12, "%s: loss at (%.6g, %.6g)", what, e->x, e->y);
        CHECK_NEAR(c->l1, e->l1, 0, 1e-9 * ls_scale, "%s: lambda1 at (%.6g, %.6g)", what, e->x, e->y);
        CHECK_NEAR(c->l2, e->l2, 0, 1e-9 * ls_scale, "%s: lambda2 at (%.6g, %.6g)", what, e->x, e->y);
        /* H v = l v for the reported vectors, at the reported point. */
        jet2 j = expr_jet(ls.f, c->x, c->y);
        double r0 = j.hxx * c->v1[0] + j.hxy * c->v1[1] - c->l1 * c->v1[0];
        double r1 = j.hxy * c->v1[0] + j.hyy * c->v1[1] - c->l1 * c->v1[1];
        CHECK_NEAR(hypot(r0, r1), 0, 0, 1e-12 * ls_scale, "%s: H v1 - l1 v1", what);
    }
    landscape_free(&ls);
}

static void test_references(void)
{
    check_against("himmelblau", "himmelblau", NULL, ref_himmelblau, 9);
    check_against("six_hump_camel", "six_hump_camel", NULL, ref_six_hump, 15);
    check_against("goldstein_price", "goldstein_price", NULL, ref_goldstein, 9);
    check_against("three_hump_camel", "three_hump_camel", NULL, ref_three_hump, 5);
    check_against("beale", "beale", NULL, ref_beale, 3);
    check_against("rosenbrock", "rosenbrock", NULL, ref_rosenbrock, 1);
    check_against("x^3 - 3x + y^2", "=x^3 - 3*x + y^2", NULL, ref_cubic, 2);
    check_against("sharp_flat", "sharp_flat", NULL, ref_sharp_flat, 3);

    /* Counts per kind the brief and the literature state. */
    landscape ls;
    char err[512];
    if (load(&ls, "six_hump_camel") == 0) {
        double r[4] = {-2, 2, -1, 1};
        int n = crit_find(ls.f, r, NULL, pts, MAXP, err, sizeof err);
        int cnt[4] = {0, 0, 0, 0};
        for (int i = 0; i < n; i++) cnt[pts[i].kind]++;
        CHECK(n == 15 && cnt[CRIT_MIN] == 6 && cnt[CRIT_MAX] == 2 && cnt[CRIT_SADDLE] == 7,
              "six_hump_camel: %d points: %d min, %d max, %d saddle", n, cnt[0], cnt[1], cnt[2]);
        landscape_free(&ls);
    }

    /* Part of a region: only what lies inside, a corner point included. */
    if (load(&ls, "himmelblau") == 0) {
        double quad[4] = {0, 5, 0, 5};
        int n = crit_find(ls.f, quad, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 3, "himmelblau in the first quadrant: %d points", n);
        double corner[4] = {3, 4, 2, 3};
        n = crit_find(ls.f, corner, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 1 && fabs(pts[0].x - 3) < 1e-12 && fabs(pts[0].y - 2) < 1e-12,
              "minimum at the region's corner: n = %d", n);
        landscape_free(&ls);
    }
}

static void test_saddles_and_degenerate(void)
{
    landscape ls;
    char err[512];

    /* x^2 - y^2: one saddle at the origin, lambda1 = -2 along (0, 1). */
    if (load(&ls, "saddle") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 1, "saddle: %d points", n);
        if (n == 1) {
            CHECK(pts[0].kind == CRIT_SADDLE, "saddle kind %s", crit_kind_name(pts[0].kind));
            CHECK(fabs(pts[0].x) <= 1e-15 && fabs(pts[0].y) <= 1e-15, "at (%g, %g)", pts[0].x, pts[0].y);
            CHECK(pts[0].l1 == -2 && pts[0].l2 == 2, "eigenvalues %g %g", pts[0].l1, pts[0].l2);
            CHECK(pts[0].v1[0] == 0 && pts[0].v1[1] == 1, "v1 (%g, %g)", pts[0].v1[0], pts[0].v1[1]);
            CHECK(pts[0].v2[0] == 1 && pts[0].v2[1] == 0, "v2 (%g, %g)", pts[0].v2[0], pts[0].v2[1]);
        }
        landscape_free(&ls);
    }

    /* Monkey saddle: one degenerate point at the origin (linear convergence). */
    if (load(&ls, "monkey_saddle") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 1, "monkey saddle: %d points", n);
        if (n == 1) {
            CHECK(pts[0].kind == CRIT_DEGENERATE, "monkey kind %s", crit_kind_name(pts[0].kind));
            CHECK(hypot(pts[0].x, pts[0].y) <= 1e-9, "monkey at (%g, %g)", pts[0].x, pts[0].y);
        }
        /* An off-centre region: the origin still found, near its corner. */
        double r[4] = {-0.3, 1.7, -0.2, 1.1};
        n = crit_find(ls.f, r, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 1 && hypot(pts[0].x, pts[0].y) <= 1e-9 && pts[0].kind == CRIT_DEGENERATE,
              "monkey off-centre: n = %d", n);
        landscape_free(&ls);
    }

    /* Fourth-order minimum (all of H vanishes) and a partly degenerate one. */
    static const char *quartic[] = {"=x^4 + y^4", "=x^4 + y^2", "=(x - 0.3)^4 + 2*(y + 0.2)^4"};
    static const double qx[] = {0, 0, 0.3}, qy[] = {0, 0, -0.2};
    for (int k = 0; k < 3; k++) {
        if (load(&ls, quartic[k]) != 0) continue;
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 1, "%s: %d points", quartic[k], n);
        if (n >= 1) {
            CHECK(pts[0].kind == CRIT_DEGENERATE, "%s: kind %s", quartic[k], crit_kind_name(pts[0].kind));
            CHECK(hypot(pts[0].x - qx[k], pts[0].y - qy[k]) <= 1e-7, "%s: at (%.3g, %.3g)",
                  quartic[k], pts[0].x, pts[0].y);
        }
        landscape_free(&ls);
    }

    /* A line of critical points: bounded, degenerate, on the line, no crash. */
    if (load(&ls, "=x^2") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n > 1 && n <= MAXP, "x^2: %d points", n);
        check_common("x^2", pts, n, ls.view);
        for (int i = 0; i < n; i++) {
            CHECK(pts[i].kind == CRIT_DEGENERATE && fabs(pts[i].x) <= 1e-12,
                  "x^2: point %d %s at (%g, %g)", i, crit_kind_name(pts[i].kind), pts[i].x, pts[i].y);
        }
        n = crit_find(ls.f, ls.view, NULL, pts, 10, err, sizeof err);
        CHECK(n == 10, "x^2 capped at 10: %d", n);
        crit_opts o = {.max_points = 7};
        n = crit_find(ls.f, ls.view, &o, pts, MAXP, err, sizeof err);
        CHECK(n == 7, "x^2 capped by max_points: %d", n);
        landscape_free(&ls);
    }
    if (load(&ls, "=(x - y)^2 + 0.5") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n > 1, "(x-y)^2: %d points", n);
        for (int i = 0; i < n; i++)
            CHECK(pts[i].kind == CRIT_DEGENERATE && fabs(pts[i].x - pts[i].y) <= 1e-12,
                  "(x-y)^2: point %d at (%g, %g)", i, pts[i].x, pts[i].y);
        landscape_free(&ls);
    }
    /* A constant: every point is critical. Bounded by the caller's array. */
    if (load(&ls, "=3") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, 100, err, sizeof err);
        CHECK(n == 100, "constant: %d points", n);
        for (int i = 0; i < n; i++) CHECK(pts[i].kind == CRIT_DEGENERATE, "constant: kind");
        landscape_free(&ls);
    }
    /* A plateau around an isolated minimum: min(r^2, 1) is flat (every point
     * critical) outside the unit circle. The plateau is thinned, the minimum is
     * found, and when the output is cut the minimum is what is kept. */
    if (load(&ls, "=min(x^2 + y^2, 1)") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        int nmin = 0;
        for (int i = 0; i < n; i++) {
            if (pts[i].kind == CRIT_MIN) {
                nmin++;
                CHECK(hypot(pts[i].x, pts[i].y) < 1e-12, "min(r^2, 1): minimum at (%g, %g)",
                      pts[i].x, pts[i].y);
            } else {
                CHECK(pts[i].kind == CRIT_DEGENERATE && hypot(pts[i].x, pts[i].y) >= 1,
                      "min(r^2, 1): point %d %s at (%g, %g)", i, crit_kind_name(pts[i].kind),
                      pts[i].x, pts[i].y);
            }
        }
        CHECK(nmin == 1 && n < 96 * 96 / 2, "min(r^2, 1): %d points, %d minima", n, nmin);
        n = crit_find(ls.f, ls.view, NULL, pts, 3, err, sizeof err);
        nmin = 0;
        for (int i = 0; i < n; i++) nmin += pts[i].kind == CRIT_MIN;
        CHECK(n == 3 && nmin == 1, "isolated minimum kept when capped: n = %d", n);
        landscape_free(&ls);
    }
    /* No critical point at all. */
    if (load(&ls, "=x + 2*y") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 0, "linear: %d points", n);
        landscape_free(&ls);
    }
    if (load(&ls, "=exp(x) + y^2") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 0, "exp(x) + y^2: %d points", n);
        landscape_free(&ls);
    }
    /* Undefined in half the region, and a cone tip: no crash, nothing bogus. */
    if (load(&ls, "=log(x) * 0 + sqrt(x) + y^2") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 0, "sqrt(x) + y^2: %d points", n);
        landscape_free(&ls);
    }
    if (load(&ls, "ackley") == 0) {
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n > 100 && n < MAXP, "ackley: %d points", n);
        check_common("ackley", pts, n, ls.view);
        for (int i = 0; i < n; i++) {
            jet2 j = expr_jet(ls.f, pts[i].x, pts[i].y);
            CHECK(isfinite(j.v) && hypot(j.gx, j.gy) < 1e-9, "ackley: point %d |g| = %g", i,
                  hypot(j.gx, j.gy));
            CHECK(hypot(pts[i].x, pts[i].y) > 0.1, "ackley: the cone tip is not a critical point");
        }
        landscape_free(&ls);
    }
}

/* Rastrigin is separable: its critical points are the products of the 1D critical
 * points of x^2 - A cos(2 pi x), which bisection finds independently. */
static int rastrigin_1d(double A, double lo, double hi, double *roots, int *is_min, int max)
{
    int n = 0, steps = 200000;
    double h = (hi - lo) / steps;
    double a = lo;
    double ga = 2 * a + 2 * PI * A * sin(2 * PI * a);
    for (int i = 1; i <= steps; i++) {
        double b = lo + i * h;
        double gb = 2 * b + 2 * PI * A * sin(2 * PI * b);
        if (ga == 0 || (ga < 0) != (gb < 0)) {
            double l = a, r = b, gl = ga;
            if (ga != 0) {
                for (int k = 0; k < 200; k++) {
                    double m = 0.5 * (l + r);
                    double gm = 2 * m + 2 * PI * A * sin(2 * PI * m);
                    if (m == l || m == r) break;
                    if ((gm < 0) == (gl < 0)) { l = m; gl = gm; } else { r = m; }
                }
            }
            double x = ga == 0 ? a : 0.5 * (l + r);
            if (n < max && (n == 0 || x - roots[n - 1] > 1e-6)) {
                roots[n] = x;
                is_min[n] = 2 + 4 * PI * PI * A * cos(2 * PI * x) > 0;
                n++;
            }
        }
        a = b;
        ga = gb;
    }
    return n;
}

static void test_rastrigin(void)
{
    landscape ls;
    char err[512];
    if (load(&ls, "rastrigin") != 0) return;
    double roots[64];
    int is_min[64];
    int n1 = rastrigin_1d(10, ls.view[0], ls.view[1], roots, is_min, 64);
    CHECK(n1 == 21, "rastrigin 1D: %d critical points", n1);
    int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
    CHECK(n == n1 * n1, "rastrigin: %d points, expected %d", n, n1 * n1);
    check_common("rastrigin", pts, n, ls.view);
    int cnt[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) cnt[pts[i].kind]++;
    CHECK(cnt[CRIT_MIN] == 121 && cnt[CRIT_MAX] == 100 && cnt[CRIT_SADDLE] == 220 &&
          cnt[CRIT_DEGENERATE] == 0, "rastrigin kinds: %d min %d max %d saddle %d degenerate",
          cnt[0], cnt[1], cnt[2], cnt[3]);
    /* Both are sorted by x then y, and the products are too. */
    int misses = 0;
    if (n == n1 * n1) {
        for (int a = 0; a < n1; a++) {
            for (int b = 0; b < n1; b++) {
                const crit_point *c = &pts[a * n1 + b];
                crit_kind want = is_min[a] && is_min[b] ? CRIT_MIN
                               : !is_min[a] && !is_min[b] ? CRIT_MAX : CRIT_SADDLE;
                if (fabs(c->x - roots[a]) > 1e-9 || fabs(c->y - roots[b]) > 1e-9 || c->kind != want) {
                    if (misses++ < 5)
                        CHECK(0, "rastrigin: point (%d, %d) at (%.17g, %.17g) %s, expected (%.17g, %.17g) %s",
                              a, b, c->x, c->y, crit_kind_name(c->kind), roots[a], roots[b],
                              crit_kind_name(want));
                }
            }
        }
    }
    CHECK(misses == 0, "rastrigin: %d mismatches", misses);
    landscape_free(&ls);
}

/* Results do not depend on the units: scaling the function or the coordinates by
 * powers of ten finds the same points (all tolerances are relative). */
static void test_scale_invariance(void)
{
    static const struct {
        const char *formula;
        double region[4];
        double sx, sy;    /* coordinates are (sx * X, sy * Y) of himmelblau's (X, Y) */
    } cases[] = {
        {"=1e-8*((x^2 + y - 11)^2 + (x + y^2 - 7)^2)", {-5, 5, -5, 5}, 1, 1},
        {"=1e8*((x^2 + y - 11)^2 + (x + y^2 - 7)^2)", {-5, 5, -5, 5}, 1, 1},
        {"=((1000*x)^2 + 1000*y - 11)^2 + (1000*x + (1000*y)^2 - 7)^2", {-5e-3, 5e-3, -5e-3, 5e-3}, 1e-3, 1e-3},
        {"=((x/1000)^2 + y/1000 - 11)^2 + (x/1000 + (y/1000)^2 - 7)^2", {-5e3, 5e3, -5e3, 5e3}, 1e3, 1e3},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        landscape ls;
        char err[512];
        if (load(&ls, cases[k].formula) != 0) continue;
        int n = crit_find(ls.f, cases[k].region, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 9, "%s: %d points", cases[k].formula, n);
        for (int r = 0; r < 9 && n == 9; r++) {
            const ref_point *e = &ref_himmelblau[r];
            int found = 0;
            for (int i = 0; i < n; i++) {
                if (fabs(pts[i].x - e->x * cases[k].sx) <= 1e-9 * cases[k].sx &&
                    fabs(pts[i].y - e->y * cases[k].sy) <= 1e-9 * cases[k].sy && pts[i].kind == e->kind)
                    found = 1;
            }
            CHECK(found, "%s: himmelblau point %d (%s)", cases[k].formula, r, crit_kind_name(e->kind));
        }
        landscape_free(&ls);
    }
}

static void test_classify_and_options(void)
{
    landscape ls;
    char err[512];
    if (load(&ls, "monkey_saddle") == 0) {
        crit_point c = crit_classify(ls.f, 0, 0, 0, 0);
        CHECK(c.kind == CRIT_DEGENERATE, "monkey origin alone: %s", crit_kind_name(c.kind));
        c = crit_classify(ls.f, 1e-7, 0, 1e-6, 4.5);   /* |lambda| = 6e-7 <= 4.5e-6 */
        CHECK(c.kind == CRIT_DEGENERATE, "near the origin, regional scale: %s", crit_kind_name(c.kind));
        landscape_free(&ls);
    }
    if (load(&ls, "monkey_saddle") == 0) {
        /* The regional scale: median of 6 |(x, y)| over [-1.5, 1.5]^2, about 6 * 1.2. */
        double sc = crit_hessian_scale(ls.f, ls.view);
        CHECK(sc > 6.5 && sc < 8, "monkey saddle Hessian scale %g", sc);
        double bad[4] = {1, 0, 0, 1};
        CHECK(crit_hessian_scale(ls.f, bad) == 0, "bad region scale");
        /* Hover read-out agrees with crit_find: tolerance relative to the same scale. */
        crit_point c = crit_classify(ls.f, 1e-7, 1e-7, 0, sc);
        CHECK(c.kind == CRIT_DEGENERATE, "hover next to the origin: %s", crit_kind_name(c.kind));
        landscape_free(&ls);
    }
    if (load(&ls, "saddle") == 0) {
        crit_point c = crit_classify(ls.f, 0, 0, 0, 0);
        CHECK(c.kind == CRIT_SADDLE && c.f == 0, "saddle origin: %s", crit_kind_name(c.kind));
        c = crit_classify(ls.f, 0, 0, 0.5, 10);   /* |lambda| = 2 <= 0.5 * 10 */
        CHECK(c.kind == CRIT_DEGENERATE, "coarse tolerance: %s", crit_kind_name(c.kind));
        c = crit_classify(ls.f, 0.5, 0.5, 0, 0);  /* not critical: classified by shape anyway */
        CHECK(c.kind == CRIT_SADDLE && c.x == 0.5, "hover read-out");
        landscape_free(&ls);
    }
    if (load(&ls, "quadratic:kappa=1000,angle=30") == 0) {
        /* lambda 1 vs 1000: a minimum at the default tolerance, degenerate at 1e-2. */
        int n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == 1 && pts[0].kind == CRIT_MIN, "kappa 1000 min: n = %d", n);
        crit_opts o = {.rel_tol = 1e-2};
        n = crit_find(ls.f, ls.view, &o, pts, MAXP, err, sizeof err);
        CHECK(n == 1 && pts[0].kind == CRIT_DEGENERATE, "kappa 1000 with rel_tol 1e-2: n = %d", n);
        landscape_free(&ls);
    }
    if (load(&ls, "himmelblau") == 0) {
        static const int grids[] = {24, 40, 200};
        for (int g = 0; g < 3; g++) {
            crit_opts o = {.grid = grids[g]};
            int n = crit_find(ls.f, ls.view, &o, pts, MAXP, err, sizeof err);
            CHECK(n == 9, "himmelblau with a %d grid: %d points", grids[g], n);
        }
        crit_opts o = {.max_points = 3};
        int n = crit_find(ls.f, ls.view, &o, pts, MAXP, err, sizeof err);
        CHECK(n == 3, "max_points 3: %d", n);
        CHECK(crit_find(ls.f, ls.view, NULL, pts, 0, err, sizeof err) == 0, "max 0");

        static const double bad[][4] = {
            {1, 1, 0, 1}, {2, 1, 0, 1}, {0, 1, 1, 0}, {NAN, 1, 0, 1}, {0, INFINITY, 0, 1},
            {-1e308, 1e308, -1e308, 1e308}, {1, 1 + 1e-15, 0, 1},
        };
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            err[0] = '\0';
            n = crit_find(ls.f, bad[k], NULL, pts, MAXP, err, sizeof err);
            CHECK(n == -1, "bad region %zu accepted (%d)", k, n);
            CHECK_STR_CONTAINS(err, "region", "bad region %zu", k);
        }
        landscape_free(&ls);
    }
    CHECK(strcmp(crit_kind_name(CRIT_MIN), "min") == 0 && strcmp(crit_kind_name(CRIT_MAX), "max") == 0 &&
          strcmp(crit_kind_name(CRIT_SADDLE), "saddle") == 0 &&
          strcmp(crit_kind_name(CRIT_DEGENERATE), "degenerate") == 0, "kind names");
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* How long a search takes at the default grid (it runs when the view changes).
 * Reported, and checked only against a generous bound so that sanitizer and
 * debug builds pass. */
/* ---- critical points much closer together than the region is wide ----
 * Pairs of nondegenerate points 1e-6 to 1e-3 of the diagonal apart, in closed
 * form: f = U^3/3 - a U + V^3/3 - b V has grad 0 at U = +-sqrt(a), V = +-sqrt(b),
 * a minimum where both are positive, a maximum where both are negative, saddles
 * between; U, V are x, y shifted, or x + y and x - y. The merge must tell them
 * apart from their Hessians (eigenvalues 2 sqrt(a), far above the degeneracy
 * threshold), not by a distance tied to the region. (tools/crit_ref.py agrees:
 * 'x^3/3 - 2.5e-9*x + y^3/3 - y' -10 10 -10 10 gives the same 4 points.) */

typedef struct close_case {
    const char *what;
    double a, b;            /* U^2 = a, V^2 = b */
    int rotated;            /* U = x + y, V = x - y; else U = x - cx, V = y - cy */
    double cx, cy;
    double region[4];
    int grid;               /* 0: default */
} close_case;

static void test_close_points(void)
{
    const close_case cases[] = {
        {"the issue's 4 points 1e-4 apart", 2.5e-9, 1, 0, 0, 0, {-10, 10, -10, 10}, 0},
        {"1e-4 apart, finer seeds", 2.5e-9, 1, 0, 0, 0, {-10, 10, -10, 10}, 300},
        {"0.02 apart", 1e-4, 1, 0, 0, 0, {-10, 10, -10, 10}, 0},
        {"2e-3 apart", 1e-6, 1, 0, 0, 0, {-10, 10, -10, 10}, 0},
        {"1.02e-6 of the diagonal apart", 2.1e-10, 1, 0, 0, 0, {-10, 10, -10, 10}, 0},
        {"four points in a 1e-4 square", 2.5e-9, 2.5e-9, 0, 0, 0, {-10, 10, -10, 10}, 0},
        {"shifted, a wide region", 2.5e-9, 1, 0, 0.3, -0.7, {-10, 10, -5, 5}, 0},
        {"rotated by 45 degrees", 2.5e-9, 1, 1, 0, 0, {-10, 10, -10, 10}, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const close_case *c = &cases[i];
        char U[64], V[64], src[400], err[512];
        if (c->rotated) {
            snprintf(U, sizeof U, "(x + y)");
            snprintf(V, sizeof V, "(x - y)");
        } else {
            snprintf(U, sizeof U, "(x - %.17g)", c->cx);
            snprintf(V, sizeof V, "(y - %.17g)", c->cy);
        }
        snprintf(src, sizeof src, "%s^3/3 - %.17g*%s + %s^3/3 - %.17g*%s", U, c->a, U, V, c->b, V);
        expr_error ee;
        expr *f = expr_compile(src, NULL, 0, &ee);
        CHECK(f != NULL, "%s: %s", src, ee.msg);
        if (!f) continue;
        crit_opts o = {.grid = c->grid};
        int n = crit_find(f, c->region, &o, pts, MAXP, err, sizeof err);
        CHECK(n == 4, "%s: %d critical points, expected 4 (%s)", c->what, n, src);
        check_common(c->what, pts, n, c->region);
        double ra = sqrt(c->a), rb = sqrt(c->b);
        for (int su = -1; su <= 1; su += 2)
            for (int sv = -1; sv <= 1; sv += 2) {
                double u = su * ra, v = sv * rb, x, y, l1, l2;
                crit_kind kind = su > 0 && sv > 0 ? CRIT_MIN : su < 0 && sv < 0 ? CRIT_MAX : CRIT_SADDLE;
                if (c->rotated) {
                    /* H = J^T diag(2u, 2v) J with J = [[1, 1], [1, -1]] = sqrt(2) Q */
                    x = (u + v) / 2;
                    y = (u - v) / 2;
                    l1 = fmin(4 * u, 4 * v);
                    l2 = fmax(4 * u, 4 * v);
                } else {
                    x = c->cx + u;
                    y = c->cy + v;
                    l1 = fmin(2 * u, 2 * v);
                    l2 = fmax(2 * u, 2 * v);
                }
                int best = -1;
                double bd = INFINITY;
                for (int k = 0; k < n; k++) {
                    double d = hypot(pts[k].x - x, pts[k].y - y);
                    if (d < bd) { bd = d; best = k; }
                }
                /* the gradient's terms are O(1) and round at eps; along the soft
                 * direction (curvature 2 sqrt(a)) that moves the root eps / 2 sqrt(a) */
                double tol = 1e-9 * fmin(ra, rb) + 16 * DBL_EPSILON / (2 * fmin(ra, rb));
                CHECK(bd <= tol, "%s: %s at (%.17g, %.17g) not found (nearest %.3g away)", c->what,
                      crit_kind_name(kind), x, y, bd);
                if (best < 0 || bd > tol) continue;
                CHECK(pts[best].kind == kind, "%s: (%.6g, %.6g) is %s, expected %s", c->what, x, y,
                      crit_kind_name(pts[best].kind), crit_kind_name(kind));
                CHECK_NEAR(pts[best].l1, l1, 1e-6, 0, "%s: lambda1 at (%.6g, %.6g)", c->what, x, y);
                CHECK_NEAR(pts[best].l2, l2, 1e-6, 0, "%s: lambda2 at (%.6g, %.6g)", c->what, x, y);
            }
        expr_destroy(f);
    }
}

/* A function that lives in a small part of a wide region: its median |g| is about
 * exp(-50), which must not make "small" mean 0. Closed forms: exp(-r^2) has its
 * maximum at 0 with eigenvalues -2, -2; x y exp(-r^2) a saddle at 0 (eigenvalues
 * -1, 1) and extrema at (+-1/sqrt 2, +-1/sqrt 2), f = +-1/(2e), eigenvalues
 * -+2/e (f_xx = x y e^(-r^2) (4x^2 - 6), f_xy = 0 there). */
static void test_wide_views(void)
{
    const double r10[4] = {-10, 10, -10, 10}, a = 1 / sqrt(2.0), e1 = exp(-1.0);
    const struct {
        const char *src;
        int n;
        ref_point p[5];
    } cases[] = {
        {"exp(-(x^2+y^2))", 1, {{CRIT_MAX, 0, 0, 1, -2, -2}}},
        {"x*y*exp(-x^2-y^2)", 5,
         {{CRIT_MAX, -a, -a, e1 / 2, -2 * e1, -2 * e1}, {CRIT_MIN, -a, a, -e1 / 2, 2 * e1, 2 * e1},
          {CRIT_SADDLE, 0, 0, 0, -1, 1}, {CRIT_MIN, a, -a, -e1 / 2, 2 * e1, 2 * e1},
          {CRIT_MAX, a, a, e1 / 2, -2 * e1, -2 * e1}}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expr_error ee;
        char err[512];
        expr *f = expr_compile(cases[i].src, NULL, 0, &ee);
        CHECK(f != NULL, "%s: %s", cases[i].src, ee.msg);
        if (!f) continue;
        int n = crit_find(f, r10, NULL, pts, MAXP, err, sizeof err);
        CHECK(n == cases[i].n, "%s in [-10,10]^2: %d points, expected %d", cases[i].src, n, cases[i].n);
        check_common(cases[i].src, pts, n, r10);
        for (int k = 0; k < n && k < cases[i].n; k++) {
            const ref_point *e = &cases[i].p[k];
            CHECK(pts[k].kind == e->kind && hypot(pts[k].x - e->x, pts[k].y - e->y) <= 1e-12,
                  "%s: point %d is %s at (%.17g, %.17g), expected %s at (%.17g, %.17g)", cases[i].src, k,
                  crit_kind_name(pts[k].kind), pts[k].x, pts[k].y, crit_kind_name(e->kind), e->x, e->y);
            CHECK_NEAR(pts[k].f, e->f, 1e-14, 1e-300, "%s: f at point %d", cases[i].src, k);
            CHECK_NEAR(pts[k].l1, e->l1, 1e-12, 0, "%s: lambda1 at point %d", cases[i].src, k);
            CHECK_NEAR(pts[k].l2, e->l2, 1e-12, 0, "%s: lambda2 at point %d", cases[i].src, k);
        }
        expr_destroy(f);
    }
}

typedef struct progress_log {
    int calls, stop_at;
    double last;
    int monotone;
} progress_log;

static int log_progress(void *ctx, double done)
{
    progress_log *l = ctx;
    l->calls++;
    if (!(done >= l->last && done <= 1)) l->monotone = 0;
    l->last = done;
    return l->stop_at > 0 && l->calls >= l->stop_at;
}

/* The progress callback sees the fraction rise to 1 once per row of seeds, and a
 * nonzero return stops the search with a message (and, under ASan, no leak). */
static void test_progress(void)
{
    landscape ls;
    char err[512];
    if (load(&ls, "himmelblau") != 0) return;
    progress_log l = {0, 0, 0, 1};
    crit_opts o = {.grid = 50, .progress = log_progress, .progress_ctx = &l};
    int n = crit_find(ls.f, ls.view, &o, pts, MAXP, err, sizeof err);
    CHECK(n == 9, "himmelblau with a progress callback: %d points", n);
    CHECK(l.calls >= 51 && l.monotone && l.last == 1, "progress: %d calls, last %g, monotone %d", l.calls,
          l.last, l.monotone);
    progress_log stop = {0, 3, 0, 1};
    o.progress_ctx = &stop;
    err[0] = 0;
    n = crit_find(ls.f, ls.view, &o, pts, MAXP, err, sizeof err);
    CHECK(n == -1 && stop.calls == 3, "stopped after the third row: %d, %d calls", n, stop.calls);
    CHECK_STR_CONTAINS(err, "interrupted", "the message says so");
    landscape_free(&ls);
}

static void test_timing(void)
{
    double worst = 0;
    const char *worst_name = "";
    for (int i = 0; i < landscape_count(); i++) {
        landscape ls;
        char err[512];
        if (load(&ls, landscape_at(i)->name) != 0) continue;
        double best = INFINITY;
        int n = 0;
        for (int rep = 0; rep < 3; rep++) {
            double t0 = now();
            n = crit_find(ls.f, ls.view, NULL, pts, MAXP, err, sizeof err);
            double t = now() - t0;
            if (t < best) best = t;
        }
        printf("  crit_find %-18s %4d points %7.2f ms\n", ls.def->name, n, best * 1e3);
        if (best > worst) { worst = best; worst_name = ls.def->name; }
        landscape_free(&ls);
    }
    /* reported, not checked: timings on shared machines are for benchmarks */
    printf("  slowest: %s, %.2f ms\n", worst_name, worst * 1e3);
}

int main(void)
{
    test_references();
    test_saddles_and_degenerate();
    test_rastrigin();
    test_scale_invariance();
    test_classify_and_options();
    test_close_points();
    test_progress();
    test_wide_views();
    test_timing();
    return check_done("crit");
}
