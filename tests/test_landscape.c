/* test_landscape: every built-in compiles, its known minima are minima (zero
 * gradient, positive semidefinite Hessian, the literature's value), the quadratic is
 * exactly 1/2 t'Pt, the demo landscapes have the shape their demo needs, and the
 * "name:k=v" loader accepts good specs and explains bad ones. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/landscape.h"
#include "core/linalg2.h"

#define PI 3.14159265358979323846

static double hess_norm(jet2 j)
{
    return fmax(fabs(j.hxx), fmax(fabs(j.hxy), fabs(j.hyy)));
}

static void test_all_compile(void)
{
    char err[512];
    CHECK(landscape_count() >= 15, "count %d", landscape_count());
    CHECK(landscape_at(-1) == NULL && landscape_at(landscape_count()) == NULL, "out of range");
    for (int i = 0; i < landscape_count(); i++) {
        const landscape_def *d = landscape_at(i);
        landscape ls;
        err[0] = '\0';
        int rc = landscape_load(&ls, d->name, err, sizeof err);
        CHECK(rc == 0 && ls.f != NULL, "%s does not load: %s", d->name, err);
        if (rc != 0) continue;
        CHECK(landscape_find(d->name) == d, "%s: find", d->name);
        CHECK(ls.def == d, "%s: def", d->name);
        CHECK(d->description && strlen(d->description) > 10 && strlen(d->description) < 100,
              "%s: one-line description", d->name);
        CHECK(ls.view[0] < ls.view[1] && ls.view[2] < ls.view[3], "%s: view", d->name);
        CHECK(ls.start[0] > ls.view[0] && ls.start[0] < ls.view[1] &&
              ls.start[1] > ls.view[2] && ls.start[1] < ls.view[3], "%s: start outside view", d->name);
        /* A demo start is a place where something happens: finite, not critical. */
        jet2 j = expr_jet(ls.f, ls.start[0], ls.start[1]);
        CHECK(isfinite(j.v) && hypot(j.gx, j.gy) > 1e-3, "%s: start (%g, %g) gives f %g, |g| %g",
              d->name, ls.start[0], ls.start[1], j.v, hypot(j.gx, j.gy));
        for (int p = 0; p < d->nparams; p++) {
            const landscape_param *pp = &d->params[p];
            CHECK(pp->lo <= pp->value && pp->value <= pp->hi, "%s.%s default in range",
                  d->name, pp->name);
            CHECK(ls.param[p] == pp->value, "%s.%s loaded default", d->name, pp->name);
            CHECK(pp->meaning && pp->meaning[0], "%s.%s meaning", d->name, pp->name);
        }
        /* The label is canonical: loading it gives the same landscape and label. */
        landscape again;
        rc = landscape_load(&again, ls.label, err, sizeof err);
        CHECK(rc == 0, "%s: label '%s' does not load: %s", d->name, ls.label, err);
        if (rc == 0) {
            CHECK(strcmp(again.label, ls.label) == 0, "%s: label %s -> %s", d->name, ls.label,
                  again.label);
            landscape_free(&again);
        }
        landscape_free(&ls);
        CHECK(ls.f == NULL, "free clears f");
        landscape_free(&ls);   /* twice is harmless */
    }
}

/* Every listed minimum: inside the view, zero gradient (relative to the Hessian's
 * size, since the coordinates are rounded to 17 digits), PSD Hessian. */
static void test_minima(void)
{
    char err[512];
    for (int i = 0; i < landscape_count(); i++) {
        const landscape_def *d = landscape_at(i);
        landscape ls;
        if (landscape_load(&ls, d->name, err, sizeof err) != 0) continue;
        int smooth = strcmp(d->name, "ackley") != 0;   /* a cone tip at its minimum */
        for (int m = 0; m < d->nminima; m++) {
            double x = d->minima[m][0], y = d->minima[m][1];
            CHECK(x >= ls.view[0] && x <= ls.view[1] && y >= ls.view[2] && y <= ls.view[3],
                  "%s: minimum %d (%g, %g) outside the view", d->name, m, x, y);
            if (!smooth) continue;
            jet2 j = expr_jet(ls.f, x, y);
            double hn = hess_norm(j);
            double scale = fmax(1.0, fmax(fabs(x), fabs(y)));
            CHECK_NEAR(hypot(j.gx, j.gy), 0, 0, 1e-13 * scale * fmax(hn, 1.0),
                       "%s: gradient at minimum %d (%.17g, %.17g)", d->name, m, x, y);
            eig2 e = eig2_sym(j.hxx, j.hxy, j.hyy);
            CHECK(e.l1 >= -1e-12 * hn, "%s: minimum %d: Hessian eigenvalues %g %g",
                  d->name, m, e.l1, e.l2);
            CHECK(e.l2 > 0, "%s: minimum %d: Hessian is zero", d->name, m);
        }
        landscape_free(&ls);
    }
}

typedef struct value_case {
    const char *spec;
    double x, y, f;
    double abs_tol;
} value_case;

/* Literature values at the (global and some local) minima. */
static const value_case values[] = {
    {"rosenbrock", 1, 1, 0, 0},
    {"rosenbrock:a=2,b=50", 2, 4, 0, 0},
    {"beale", 3, 0.5, 0, 0},
    {"himmelblau", 3, 2, 0, 0},
    {"himmelblau", -2.8051180869527449, 3.131312518250573, 0, 1e-26},
    {"himmelblau", -3.7793102533777469, -3.2831859912861694, 0, 1e-26},
    {"himmelblau", 3.5844283403304917, -1.8481265269644036, 0, 1e-26},
    {"himmelblau", -0.27084459066734761, -0.92303855647998146, 181.6165215225827, 1e-12},
    {"booth", 1, 3, 0, 0},
    {"matyas", 0, 0, 0, 0},
    {"six_hump_camel", 0.08984201368301331, -0.7126564032704135, -1.0316284534898774, 1e-15},
    {"six_hump_camel", -0.08984201368301331, 0.7126564032704135, -1.0316284534898774, 1e-15},
    {"three_hump_camel", 0, 0, 0, 0},
    {"three_hump_camel", 1.7475523458302889, -0.87377617291514445, 0.29863844223685982, 1e-15},
    {"goldstein_price", 0, -1, 3, 1e-13},
    {"goldstein_price", -0.6, -0.4, 30, 1e-12},
    {"goldstein_price", 1.8, 0.2, 84, 1e-11},
    {"goldstein_price", 1.2, 0.8, 840, 1e-10},
    {"rastrigin", 0, 0, 0, 0},
    {"rastrigin:A=0", 1, 2, 5, 1e-15},
    {"ackley", 0, 0, 0, 1e-14},
    {"quadratic", 0, 0, 0, 0},
    {"quadratic:kappa=100,angle=0", 1, 1, 50.5, 1e-13},
    {"ravine", 0, 0, 0, 0},
    {"saddle", 0, 0, 0, 0},
    {"monkey_saddle", 1, 1, -2, 0},
    {"sharp_flat", 1.4914401518638368, 0.49697446399243909, 0.098657097536261986, 1e-15},
    {"sharp_flat", -0.90426719155910958, -0.45213359577955479, 0.10653222473016917, 1e-15},
};

static void test_values(void)
{
    char err[512];
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        const value_case *c = &values[i];
        landscape ls;
        int rc = landscape_load(&ls, c->spec, err, sizeof err);
        CHECK(rc == 0, "%s: %s", c->spec, err);
        if (rc != 0) continue;
        CHECK_NEAR(expr_eval(ls.f, c->x, c->y), c->f, 1e-15, c->abs_tol, "%s at (%g, %g)",
                   c->spec, c->x, c->y);
        jet2 j = expr_jet(ls.f, c->x, c->y);
        CHECK_NEAR(j.v, c->f, 1e-15, c->abs_tol, "%s: jet value at (%g, %g)", c->spec, c->x, c->y);
        landscape_free(&ls);
    }
}

/* quadratic's Hessian is P = R diag(1, kappa) R^T everywhere. */
static void test_quadratic(void)
{
    static const double kappas[] = {1, 10, 50, 1000};
    static const double angles[] = {0, 30, -45, 90, 17.5};
    char spec_text[128], err[512];
    for (size_t a = 0; a < sizeof kappas / sizeof kappas[0]; a++) {
        for (size_t b = 0; b < sizeof angles / sizeof angles[0]; b++) {
            double kappa = kappas[a], angle = angles[b];
            snprintf(spec_text, sizeof spec_text, "quadratic:kappa=%g,angle=%g", kappa, angle);
            landscape ls;
            int rc = landscape_load(&ls, spec_text, err, sizeof err);
            CHECK(rc == 0, "%s: %s", spec_text, err);
            if (rc != 0) continue;
            double c = cos(angle * PI / 180), s = sin(angle * PI / 180);
            double p11 = c * c + kappa * s * s, p12 = (1 - kappa) * c * s, p22 = s * s + kappa * c * c;
            static const double pts[][2] = {{0, 0}, {1, -2}, {-2.5, 0.7}};
            for (size_t k = 0; k < 3; k++) {
                double x = pts[k][0], y = pts[k][1];
                jet2 j = expr_jet(ls.f, x, y);
                double tol = 8 * DBL_EPSILON * kappa;
                CHECK_NEAR(j.hxx, p11, 0, tol, "%s hxx", spec_text);
                CHECK_NEAR(j.hxy, p12, 0, tol, "%s hxy", spec_text);
                CHECK_NEAR(j.hyy, p22, 0, tol, "%s hyy", spec_text);
                CHECK_NEAR(j.gx, p11 * x + p12 * y, 0, 4 * tol, "%s gx", spec_text);
                CHECK_NEAR(j.gy, p12 * x + p22 * y, 0, 4 * tol, "%s gy", spec_text);
                CHECK_NEAR(j.v, 0.5 * (p11 * x * x + 2 * p12 * x * y + p22 * y * y), 1e-14, 1e-14,
                           "%s value", spec_text);
            }
            eig2 e = eig2_sym(p11, p12, p22);
            jet2 j = expr_jet(ls.f, 0.3, 0.4);
            e = eig2_sym(j.hxx, j.hxy, j.hyy);
            CHECK_NEAR(e.l1, 1, 1e-13, 0, "%s: lambda1", spec_text);
            CHECK_NEAR(e.l2, kappa, 1e-13, 0, "%s: lambda2", spec_text);
            if (kappa > 1) {
                /* v1 is +-(c, s): |v1 . (c, s)| = 1. */
                CHECK_NEAR(fabs(e.v1[0] * c + e.v1[1] * s), 1, 1e-12, 0, "%s: v1 = (%g, %g) along %g deg",
                           spec_text, e.v1[0], e.v1[1], angle);
            }
            landscape_free(&ls);
        }
    }
    landscape ls;
    CHECK(landscape_load(&ls, "quadratic:kappa=50,angle=30", err, sizeof err) == 0, "%s", err);
    CHECK(strcmp(ls.label, "quadratic:kappa=50,angle=30") == 0, "label %s", ls.label);
    CHECK(ls.param[0] == 50 && ls.param[1] == 30, "params %g %g", ls.param[0], ls.param[1]);
    landscape_free(&ls);
}

/* The demo landscapes have the shapes their demos rely on. */
static void test_demo_shapes(void)
{
    char err[512];
    landscape ls;

    /* ravine: at the start, the gradient along the valley is ~1e-3 of the one across. */
    CHECK(landscape_load(&ls, "ravine", err, sizeof err) == 0, "%s", err);
    jet2 j = expr_jet(ls.f, ls.start[0], ls.start[1]);
    double ratio = fabs(j.gx) / fabs(j.gy);
    CHECK(ratio > 3e-4 && ratio < 3e-3, "ravine: |gx|/|gy| = %g at the start", ratio);
    j = expr_jet(ls.f, 0, 0);
    eig2 e = eig2_sym(j.hxx, j.hxy, j.hyy);
    CHECK(e.l2 / e.l1 >= 100, "ravine: curvature ratio %g", e.l2 / e.l1);
    landscape_free(&ls);

    /* sharp_flat: the sharp minimum is a bit lower, the flat one much flatter, both
     * well inside the view and apart. */
    CHECK(landscape_load(&ls, "sharp_flat", err, sizeof err) == 0, "%s", err);
    const landscape_def *d = ls.def;
    jet2 js = expr_jet(ls.f, d->minima[0][0], d->minima[0][1]);
    jet2 jf = expr_jet(ls.f, d->minima[1][0], d->minima[1][1]);
    CHECK(js.v <= jf.v && jf.v - js.v < 0.05 * (1 + fabs(js.v)), "sharp %g, flat %g", js.v, jf.v);
    eig2 es = eig2_sym(js.hxx, js.hxy, js.hyy), ef = eig2_sym(jf.hxx, jf.hxy, jf.hyy);
    CHECK(es.l1 > 10 * ef.l2, "sharp curvature %g vs flat %g", es.l1, ef.l2);
    double w = ls.view[1] - ls.view[0];
    CHECK(hypot(d->minima[0][0] - d->minima[1][0], d->minima[0][1] - d->minima[1][1]) > 0.25 * w,
          "minima far enough apart to see");
    /* Wider sharp well: still two minima' worth of shape, the parameter is used. */
    landscape wide;
    CHECK(landscape_load(&wide, "sharp_flat:width=0.4", err, sizeof err) == 0, "%s", err);
    j = expr_jet(wide.f, d->minima[0][0], d->minima[0][1]);
    CHECK(j.hxx < js.hxx / 2, "width=0.4 is flatter: %g vs %g", j.hxx, js.hxx);
    landscape_free(&wide);
    landscape_free(&ls);

    /* saddle / monkey_saddle: the Hessians at the origin the crit module must classify. */
    CHECK(landscape_load(&ls, "saddle", err, sizeof err) == 0, "%s", err);
    j = expr_jet(ls.f, 0, 0);
    CHECK(j.hxx == 2 && j.hxy == 0 && j.hyy == -2, "saddle Hessian %g %g %g", j.hxx, j.hxy, j.hyy);
    landscape_free(&ls);
    CHECK(landscape_load(&ls, "monkey_saddle", err, sizeof err) == 0, "%s", err);
    j = expr_jet(ls.f, 0, 0);
    CHECK(j.hxx == 0 && j.hxy == 0 && j.hyy == 0 && j.gx == 0 && j.gy == 0, "monkey saddle jet");
    landscape_free(&ls);

    /* rosenbrock's a moves the minimum to (a, a^2). */
    CHECK(landscape_load(&ls, "rosenbrock:a=-1.5,b=10", err, sizeof err) == 0, "%s", err);
    j = expr_jet(ls.f, -1.5, 2.25);
    CHECK(j.v == 0 && j.gx == 0 && j.gy == 0, "rosenbrock a=-1.5: %g %g %g", j.v, j.gx, j.gy);
    CHECK(strcmp(ls.label, "rosenbrock:a=-1.5,b=10") == 0, "label %s", ls.label);
    landscape_free(&ls);
}

typedef struct bad_case {
    const char *spec;
    const char *needle[3];
} bad_case;

static const bad_case bad[] = {
    {"nosuch", {"unknown landscape 'nosuch'", "rosenbrock", "sharp_flat"}},
    {"Rosenbrock", {"unknown landscape", "rosenbrock", NULL}},
    {"rosenbrock:c=1", {"unknown key 'c'", "a, b", NULL}},
    {"rosenbrock:a=1,b=100,kappa=3", {"unknown key 'kappa'", "a, b", NULL}},
    {"booth:a=1", {"unknown key 'a'", "no keys", NULL}},
    {"rastrigin:A=100", {"A", "[0, 50]", "100"}},
    {"rastrigin:A=-1", {"[0, 50]", NULL, NULL}},
    {"rastrigin:A=abc", {"A", "expected a number", NULL}},
    {"rastrigin:A=nan", {"A", NULL, NULL}},
    {"quadratic:kappa=0.5", {"kappa", "[1, 10000]", NULL}},
    {"quadratic:angle=400", {"angle", "[-180, 180]", NULL}},
    {"quadratic:kappa=5,kappa=6", {"duplicate", "kappa", NULL}},
    {"quadratic:", {"landscape", NULL, NULL}},
    {"", {"landscape", NULL, NULL}},
    {"rosenbrock:a", {"landscape", NULL, NULL}},
};

static void test_parse_errors(void)
{
    char err[512];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        landscape ls;
        err[0] = '\0';
        int rc = landscape_load(&ls, bad[i].spec, err, sizeof err);
        CHECK(rc == -1, "'%s' should fail", bad[i].spec);
        CHECK(ls.f == NULL, "'%s': no expression on failure", bad[i].spec);
        CHECK(strchr(err, '\n') == NULL && err[0], "'%s': one line: %s", bad[i].spec, err);
        for (int k = 0; k < 3; k++)
            if (bad[i].needle[k]) CHECK_STR_CONTAINS(err, bad[i].needle[k], "'%s'", bad[i].spec);
    }
    landscape ls;
    CHECK(landscape_load(&ls, NULL, err, sizeof err) == -1, "NULL spec");
    /* Whitespace around keys is the spec module's business; a value with spaces is fine. */
    CHECK(landscape_load(&ls, "quadratic: kappa = 20 , angle = -10", err, sizeof err) == 0, "%s", err);
    CHECK(ls.param[0] == 20 && ls.param[1] == -10, "spaced params");
    CHECK(strcmp(ls.label, "quadratic:kappa=20,angle=-10") == 0, "label %s", ls.label);
    landscape_free(&ls);
    /* Bounds are inclusive. */
    CHECK(landscape_load(&ls, "quadratic:kappa=1,angle=-180", err, sizeof err) == 0, "%s", err);
    landscape_free(&ls);
    CHECK(landscape_load(&ls, "rosenbrock:b=0.1", err, sizeof err) == 0, "%s", err);
    CHECK(strcmp(ls.label, "rosenbrock:a=1,b=0.1") == 0, "label %s", ls.label);
    landscape_free(&ls);
}

static void test_expr(void)
{
    char err[512];
    landscape ls;
    CHECK(landscape_load_expr(&ls, "x^3 - 3*x + y^2", err, sizeof err) == 0, "%s", err);
    CHECK(ls.def == NULL && ls.f != NULL, "typed formula");
    CHECK(strcmp(ls.label, "x^3 - 3*x + y^2") == 0, "label %s", ls.label);
    CHECK(ls.view[0] == -3 && ls.view[1] == 3 && ls.view[2] == -3 && ls.view[3] == 3, "view");
    CHECK_NEAR(expr_eval(ls.f, 1, 0), -2, 0, 0, "value");
    landscape_free(&ls);

    /* The message names the column. */
    err[0] = '\0';
    CHECK(landscape_load_expr(&ls, "sin(x + y", err, sizeof err) == -1, "unclosed");
    CHECK_STR_CONTAINS(err, "--expr: column ", "unclosed paren");
    CHECK_STR_CONTAINS(err, "')'", "unclosed paren");
    CHECK(ls.f == NULL, "no f on failure");
    CHECK(landscape_load_expr(&ls, "x + kappa", err, sizeof err) == -1, "parameters are for built-ins");
    CHECK_STR_CONTAINS(err, "--expr: column 5", "unknown name column");
    CHECK(landscape_load_expr(&ls, "", err, sizeof err) == -1, "empty");
    CHECK_STR_CONTAINS(err, "--expr: ", "empty formula");

    /* Where the formula is undefined at the usual start, another start is chosen. */
    CHECK(landscape_load_expr(&ls, "log(x) + y^2", err, sizeof err) == 0, "%s", err);
    CHECK(ls.start[0] > 0, "start (%g, %g) where log(x) is defined", ls.start[0], ls.start[1]);
    landscape_free(&ls);

    /* A very long formula: loads, label is cut with "...". */
    size_t n = 4000;
    char *longf = malloc(n + 1);
    size_t o = 0;
    while (o + 6 < n) { memcpy(longf + o, "x*y + ", 6); o += 6; }
    memcpy(longf + o, "1", 2);
    CHECK(landscape_load_expr(&ls, longf, err, sizeof err) == 0, "long formula: %s", err);
    CHECK(strlen(ls.label) == sizeof ls.label - 1, "label length %zu", strlen(ls.label));
    CHECK(strcmp(ls.label + strlen(ls.label) - 3, "...") == 0, "label ends with ...");
    landscape_free(&ls);
    free(longf);
}

int main(void)
{
    test_all_compile();
    test_minima();
    test_values();
    test_quadratic();
    test_demo_shapes();
    test_parse_errors();
    test_expr();
    return check_done("landscape");
}
