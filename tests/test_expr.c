/* test_expr: the formula compiler against hand-derived values and derivatives of
 * every operator and function, the edge conventions (abs and sqrt at 0, log of a
 * negative number, variable exponents, min/max ties), agreement of the three
 * evaluators, and the error messages (column and what was expected). */
#include "core/expr.h"
#include "check.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct jet_case {
    const char *src;
    double x, y;
    jet2 want;
} jet_case;

static void check_jet_case(const jet_case *c)
{
    expr_error err;
    expr *e = expr_compile(c->src, NULL, 0, &err);
    CHECK(e != NULL, "%s: %s", c->src, err.msg);
    if (!e) return;
    jet2 j = expr_jet(e, c->x, c->y);
    const double rt = 1e-14, at = 1e-300;
    CHECK_NEAR(j.v, c->want.v, rt, at, "%s at (%g,%g): value", c->src, c->x, c->y);
    CHECK_NEAR(j.gx, c->want.gx, rt, at, "%s at (%g,%g): d/dx", c->src, c->x, c->y);
    CHECK_NEAR(j.gy, c->want.gy, rt, at, "%s at (%g,%g): d/dy", c->src, c->x, c->y);
    CHECK_NEAR(j.hxx, c->want.hxx, rt, at, "%s at (%g,%g): d2/dx2", c->src, c->x, c->y);
    CHECK_NEAR(j.hxy, c->want.hxy, rt, at, "%s at (%g,%g): d2/dxdy", c->src, c->x, c->y);
    CHECK_NEAR(j.hyy, c->want.hyy, rt, at, "%s at (%g,%g): d2/dy2", c->src, c->x, c->y);

    /* the other two evaluators must agree with the jet */
    double f, gx, gy, v;
    expr_grad_many(e, &c->x, &c->y, &f, &gx, &gy, 1);
    expr_eval_many(e, &c->x, &c->y, &v, 1);
    CHECK_NEAR(f, j.v, 1e-15, at, "%s: grad_many value vs jet", c->src);
    CHECK_NEAR(gx, j.gx, 1e-15, at, "%s: grad_many d/dx vs jet", c->src);
    CHECK_NEAR(gy, j.gy, 1e-15, at, "%s: grad_many d/dy vs jet", c->src);
    CHECK_NEAR(v, j.v, 1e-15, at, "%s: eval_many vs jet", c->src);
    expr_destroy(e);
}

static void test_derivatives(void)
{
    const double x = 0.7, y = -1.3;
    const double inf = INFINITY;
    const double s = sin(x), co = cos(x), t = tan(x), ex = exp(x);
    const double th = tanh(x), sh = sinh(x), ch = cosh(x);
    const double u = x * y;            /* for chain-rule cases */
    const jet_case cases[] = {
        {"x", x, y, {x, 1, 0, 0, 0, 0}},
        {"y", x, y, {y, 0, 1, 0, 0, 0}},
        {"3.5", x, y, {3.5, 0, 0, 0, 0, 0}},
        {"x + y", x, y, {x + y, 1, 1, 0, 0, 0}},
        {"x - y", x, y, {x - y, 1, -1, 0, 0, 0}},
        {"x * y", x, y, {x * y, y, x, 0, 1, 0}},
        {"x / y", x, y, {x / y, 1 / y, -x / (y * y), 0, -1 / (y * y), 2 * x / (y * y * y)}},
        {"-x", x, y, {-x, -1, 0, 0, 0, 0}},
        {"x^2", x, y, {x * x, 2 * x, 0, 2, 0, 0}},
        {"x^3", x, y, {x * x * x, 3 * x * x, 0, 6 * x, 0, 0}},
        {"y^-2", x, y, {1 / (y * y), 0, -2 / (y * y * y), 0, 0, 6 / (y * y * y * y)}},
        {"y^3", x, y, {y * y * y, 0, 3 * y * y, 0, 0, 6 * y}},
        {"x^0.5", x, y, {sqrt(x), 0, 0, 0, 0, 0}},  /* fixed below: filled by hand */
        {"sin(x)", x, y, {s, co, 0, -s, 0, 0}},
        {"cos(x)", x, y, {co, -s, 0, -co, 0, 0}},
        {"tan(x)", x, y, {t, 1 + t * t, 0, 2 * t * (1 + t * t), 0, 0}},
        {"exp(x)", x, y, {ex, ex, 0, ex, 0, 0}},
        {"log(x)", x, y, {log(x), 1 / x, 0, -1 / (x * x), 0, 0}},
        {"sqrt(x)", x, y, {sqrt(x), 0.5 / sqrt(x), 0, -0.25 / (x * sqrt(x)), 0, 0}},
        {"abs(y)", x, y, {-y, 0, -1, 0, 0, 0}},
        {"abs(x)", x, y, {x, 1, 0, 0, 0, 0}},
        {"tanh(x)", x, y, {th, 1 - th * th, 0, -2 * th * (1 - th * th), 0, 0}},
        {"sinh(x)", x, y, {sh, ch, 0, sh, 0, 0}},
        {"cosh(x)", x, y, {ch, sh, 0, ch, 0, 0}},
        {"atan(x)", x, y, {atan(x), 1 / (1 + x * x), 0, -2 * x / ((1 + x * x) * (1 + x * x)), 0, 0}},
        /* chain rule through a product: sin(xy) */
        {"sin(x*y)", x, y, {sin(u), y * cos(u), x * cos(u), -y * y * sin(u),
                            cos(u) - x * y * sin(u), -x * x * sin(u)}},
        /* exp(x*y) */
        {"exp(x*y)", x, y, {exp(u), y * exp(u), x * exp(u), y * y * exp(u),
                            (1 + u) * exp(u), x * x * exp(u)}},
        /* min / max pick a side */
        {"min(x, y)", x, y, {y, 0, 1, 0, 0, 0}},
        {"max(x, y)", x, y, {x, 1, 0, 0, 0, 0}},
        {"max(x^2, y)", x, y, {x * x, 2 * x, 0, 2, 0, 0}},
        /* ties take the mean, like torch.maximum */
        {"max(x, y)", 1, 1, {1, 0.5, 0.5, 0, 0, 0}},
        {"min(x, 2*x)", 0, 0, {0, 1.5, 0, 0, 0, 0}},
        /* abs at 0: derivative 0 (sign(0) = 0, as torch) */
        {"abs(x)", 0, 0, {0, 0, 0, 0, 0, 0}},
        /* sqrt at 0: infinite slope along x, and y's derivative stays exactly 0 */
        {"sqrt(x) + y", 0, 2, {2, inf, 1, -inf, 0, 0}},
        /* log of a negative number: NaN value, derivatives of log|u| (1/u) */
        {"log(x)", -2, 0, {NAN, -0.5, 0, -0.25, 0, 0}},
        /* variable exponent: x^y = exp(y ln x) */
        {"x^y", 2, 3, {8, 3 * 4, 8 * log(2), 3 * 2 * 2, 4 * (1 + 3 * log(2)), 8 * log(2) * log(2)}},
        {"pow(x, y)", 2, 3, {8, 12, 8 * log(2), 12, 4 * (1 + 3 * log(2)), 8 * log(2) * log(2)}},
        /* constant base, variable exponent: 2^x */
        {"2^x", 3, 0, {8, 8 * log(2), 0, 8 * log(2) * log(2), 0, 0}},
        /* negative base with an integer exponent is exact and defined */
        {"x^3", -2, 0, {-8, 12, 0, -12, 0, 0}},
        /* 0^y for y > 0: no NaN from 0 * log(0) */
        {"x^y", 0, 2, {0, 0, 0, 2, 0, 0}},
        /* right-associative power and unary minus */
        {"2^3^2", 0, 0, {512, 0, 0, 0, 0, 0}},
        {"-x^2", 3, 0, {-9, -6, 0, -2, 0, 0}},
        {"(-x)^2", 3, 0, {9, 6, 0, 2, 0, 0}},
        {"x^-1", 4, 0, {0.25, -1.0 / 16, 0, 2.0 / 64, 0, 0}},
        {"2*pi + e", 0, 0, {2 * M_PI + M_E, 0, 0, 0, 0, 0}},
        {"1e-3 * x + .5", 2, 0, {0.502, 1e-3, 0, 0, 0, 0}},
        {"x*x*y - y/x", 2, 3, {12 - 1.5, 12 + 0.75, 3.5, 6 - 0.75, 4.25, 0}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jet_case c = cases[i];
        if (strcmp(c.src, "x^0.5") == 0) {
            c.want = (jet2){sqrt(x), 0.5 * pow(x, -0.5), 0, -0.25 * pow(x, -1.5), 0, 0};
        }
        check_jet_case(&c);
    }
}

/* Rosenbrock with a = 1, b = 100, derived by hand. */
static void test_rosenbrock(void)
{
    expr *e = expr_compile("(1 - x)^2 + 100*(y - x^2)^2", NULL, 0, NULL);
    CHECK(e != NULL, "compile");
    const double pts[][2] = {{-1.2, 1}, {1, 1}, {0, 0}, {2.5, -3}};
    for (size_t i = 0; i < 4; i++) {
        double x = pts[i][0], y = pts[i][1];
        jet2 j = expr_jet(e, x, y);
        double w = y - x * x;
        CHECK_NEAR(j.v, (1 - x) * (1 - x) + 100 * w * w, 1e-15, 0, "f");
        CHECK_NEAR(j.gx, -2 * (1 - x) - 400 * x * w, 1e-14, 1e-14, "gx");
        CHECK_NEAR(j.gy, 200 * w, 1e-14, 1e-14, "gy");
        CHECK_NEAR(j.hxx, 2 - 400 * w + 800 * x * x, 1e-14, 1e-13, "hxx");
        CHECK_NEAR(j.hxy, -400 * x, 1e-14, 0, "hxy");
        CHECK_NEAR(j.hyy, 200, 1e-15, 0, "hyy");
    }
    expr_destroy(e);
}

/* The row, many-point and jet evaluators agree on a grid for assorted formulas. */
static void test_evaluators_agree(void)
{
    const char *formulas[] = {
        "(1 - x)^2 + 100*(y - x^2)^2",
        "sin(3*x)*cos(2*y) + 0.1*(x^2 + y^2)",
        "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) + e + 20",
        "max(x, y) - min(x^3, y) + atan(x/y) + abs(x*y)",
        "x^y + log(x^2 + 1) + tanh(y) / cosh(x)",
        "y",
        "x",
        "4",
        "y*y*y - 2/y",
    };
    const int n = 600;   /* more than two blocks */
    double *xs = malloc(n * sizeof *xs), *ys = malloc(n * sizeof *ys);
    double *v1 = malloc(n * sizeof *v1), *v2 = malloc(n * sizeof *v2);
    double *f = malloc(n * sizeof *f), *gx = malloc(n * sizeof *gx), *gy = malloc(n * sizeof *gy);
    for (size_t k = 0; k < sizeof formulas / sizeof formulas[0]; k++) {
        expr_error err;
        expr *e = expr_compile(formulas[k], NULL, 0, &err);
        CHECK(e != NULL, "%s: %s", formulas[k], err.msg);
        if (!e) continue;
        double y = 0.37, x0 = -2.1, dx = 0.0071;
        for (int i = 0; i < n; i++) { xs[i] = x0 + i * dx; ys[i] = y; }
        expr_eval_row(e, x0, dx, y, v1, n);
        expr_eval_many(e, xs, ys, v2, n);
        expr_grad_many(e, xs, ys, f, gx, gy, n);
        int bad = 0;
        for (int i = 0; i < n && bad < 3; i++) {
            jet2 j = expr_jet(e, xs[i], ys[i]);
            double s = expr_eval(e, xs[i], ys[i]);
            int ok = check_close(v1[i], j.v, 1e-15, 1e-300) && check_close(v2[i], j.v, 1e-15, 1e-300) &&
                     check_close(s, j.v, 1e-15, 1e-300) && check_close(f[i], j.v, 1e-15, 1e-300) &&
                     check_close(gx[i], j.gx, 1e-15, 1e-300) && check_close(gy[i], j.gy, 1e-15, 1e-300);
            CHECK(ok, "%s at (%g, %g): row %.17g many %.17g single %.17g grad %.17g jet %.17g; "
                  "gx %.17g vs %.17g, gy %.17g vs %.17g", formulas[k], xs[i], ys[i],
                  v1[i], v2[i], s, f[i], j.v, gx[i], j.gx, gy[i], j.gy);
            bad += !ok;
        }
        expr_destroy(e);
    }
    free(xs); free(ys); free(v1); free(v2); free(f); free(gx); free(gy);
}

static void test_constants_and_uses(void)
{
    expr_const k[] = {{"kappa", 50}, {"a", 2}};
    expr *e = expr_compile("0.5*(x^2 + kappa*y^2) + a", k, 2, NULL);
    CHECK(e != NULL, "constants compile");
    if (e) {
        jet2 j = expr_jet(e, 1, 1);
        CHECK_NEAR(j.v, 27.5, 0, 0, "value with constants");
        CHECK_NEAR(j.hyy, 50, 0, 0, "kappa reaches the Hessian");
        CHECK(expr_uses_x(e) && expr_uses_y(e), "uses x and y");
        expr_destroy(e);
    }
    e = expr_compile("x^2 + 1", NULL, 0, NULL);
    CHECK(e && expr_uses_x(e) && !expr_uses_y(e), "x only");
    CHECK(e && strcmp(expr_source(e), "x^2 + 1") == 0, "source kept");
    expr_destroy(e);
}

typedef struct bad_case {
    const char *src;
    int column;
    const char *fragment;
} bad_case;

static void test_errors(void)
{
    const bad_case cases[] = {
        {"", 1, "empty"},
        {"   ", 1, "empty"},
        {"x +", 4, "expected a number, x, y, a function or '('"},
        {"(x + y", 7, "expected ')' to close the '(' at column 1"},
        {"x + y)", 6, "')' without a matching '('"},
        {"sin x", 5, "expected '(' after the function sin"},
        {"sin(x, y)", 6, "sin takes 1 argument"},
        {"pow(x)", 6, "pow takes 2 arguments, got 1"},
        {"max()", 5, "max takes 2 arguments, got none"},
        {"z + 1", 1, "unknown name 'z'"},
        {"x # y", 3, "unexpected character '#'"},
        {"2x", 2, "write 2*x"},
        {"1e", 1, "exponent has no digits"},
        {"x y", 3, "expected an operator or the end of the formula, got 'y'"},
        {"pi(2)", 3, "'pi' is a constant, not a function"},
        {"x * * y", 5, "expected a number"},
        {"x^", 3, "expected a number"},
        {"()", 2, "expected a number"},
        {"x,y", 2, "expected an operator"},
        {"\x01", 1, "unexpected byte 0x01"},
        {"1..2", 3, "expected an operator"},
        /* numbers follow the one policy of every option (spec.h) */
        {"1e999 + x", 1, "the number 1e999: too large for a double"},
        {"x * 2.5e-400", 5, "the number 2.5e-400: too small for a double"},
        {"2e*3", 1, "the number 2e: not a decimal number"},
        {"y + 0x10", 5, "hexadecimal is not accepted"},
        {"0x", 2, "write 2*x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expr_error err = {0};
        expr *e = expr_compile(cases[i].src, NULL, 0, &err);
        CHECK(e == NULL, "'%s' must be refused", cases[i].src);
        expr_destroy(e);
        CHECK(err.column == cases[i].column, "'%s': column %d, expected %d (%s)",
              cases[i].src, err.column, cases[i].column, err.msg);
        CHECK_STR_CONTAINS(err.msg, cases[i].fragment, "message for '%s'", cases[i].src);
        char col[32];
        snprintf(col, sizeof col, "column %d:", cases[i].column);
        CHECK_STR_CONTAINS(err.msg, col, "message for '%s' names the column", cases[i].src);
    }
}

/* Huge inputs are refused with a message, never a crash. */
static void test_limits(void)
{
    size_t n = 100000;
    char *s = malloc(n + 1);
    memset(s, '1', n);
    s[n] = 0;
    for (size_t i = 1; i < n; i += 2) s[i] = '+';
    expr_error err;
    expr *e = expr_compile(s, NULL, 0, &err);
    CHECK(e == NULL, "100 000 characters refused");
    CHECK_STR_CONTAINS(err.msg, "too long", "long formula message");

    /* 5000 nested parentheses */
    size_t depth = 5000;
    char *p = malloc(2 * depth + 2);
    memset(p, '(', depth);
    p[depth] = 'x';
    memset(p + depth + 1, ')', depth);
    p[2 * depth + 1] = 0;
    e = expr_compile(p, NULL, 0, &err);
    CHECK(e == NULL, "5000 nested parentheses refused");
    CHECK_STR_CONTAINS(err.msg, "nested too deeply", "deep nesting message");
    /* the whole formula is level 1, so the 256th '(' opens level 257: refused at the
     * token after it, column 257 */
    CHECK(err.column == EXPR_MAX_DEPTH + 1, "the column where nesting went too deep: %d",
          err.column);
    /* a long run of unary minus and of right-associative powers are chains, not
     * nesting: accepted (test_long_chains checks their values on a small stack) */
    memset(p, '-', 2 * depth);
    p[2 * depth] = 'x';
    p[2 * depth + 1] = 0;
    e = expr_compile(p, NULL, 0, &err);
    CHECK(e != NULL, "10000 unary minus compile: %s", e ? "" : err.msg);
    if (e) {
        CHECK_NEAR(expr_eval(e, 0.25, 0), 0.25, 0, 0, "an even number of minus signs");
        expr_destroy(e);
    }
    for (size_t i = 0; i + 1 < 2 * depth; i += 2) { p[i] = 'x'; p[i + 1] = '^'; }
    p[2 * depth] = 'x';
    e = expr_compile(p, NULL, 0, &err);
    CHECK(e != NULL, "x^x^...^x 5000 deep compiles: %s", e ? "" : err.msg);
    expr_destroy(e);

    /* a long but flat formula is fine: 20 000 terms */
    size_t terms = 20000;
    char *flat = malloc(terms * 2 + 2);
    for (size_t i = 0; i < terms; i++) { flat[2 * i] = 'x'; flat[2 * i + 1] = '+'; }
    flat[2 * terms - 1] = 0;
    e = expr_compile(flat, NULL, 0, &err);
    CHECK(e != NULL, "20000-term sum compiles: %s", e ? "" : err.msg);
    if (e) {
        CHECK_NEAR(expr_eval(e, 1, 0), (double)terms, 0, 0, "sum of x");
        CHECK_NEAR(expr_jet(e, 1, 0).gx, (double)terms, 0, 0, "d/dx of the sum");
        expr_destroy(e);
    }
    /* nesting just inside the limit works and uses many registers */
    size_t ok_depth = 100;
    char *nest = malloc(ok_depth * 4 + 8);
    size_t k = 0;
    for (size_t i = 0; i < ok_depth; i++) { nest[k++] = 'x'; nest[k++] = '+'; nest[k++] = '('; }
    nest[k++] = 'y';
    for (size_t i = 0; i < ok_depth; i++) nest[k++] = ')';
    nest[k] = 0;
    e = expr_compile(nest, NULL, 0, &err);
    CHECK(e != NULL, "100-deep right nesting compiles: %s", e ? "" : err.msg);
    if (e) {
        double xs[300], ys[300], out[300], gx[300], gy[300];
        for (int i = 0; i < 300; i++) { xs[i] = i; ys[i] = 1; }
        expr_eval_many(e, xs, ys, out, 300);
        expr_grad_many(e, xs, ys, NULL, gx, gy, 300);
        CHECK_NEAR(out[299], 299.0 * ok_depth + 1, 0, 0, "deep value");
        CHECK_NEAR(gx[7], (double)ok_depth, 0, 0, "deep d/dx");
        CHECK_NEAR(gy[7], 1, 0, 0, "deep d/dy");
        CHECK_NEAR(expr_jet(e, 2, 5).v, 2.0 * ok_depth + 5, 0, 0, "deep jet");
        expr_destroy(e);
    }
    free(s); free(p); free(flat); free(nest);
}

static void test_to_c(void)
{
    expr *e = expr_compile("(1 - x)^2 + 100*(y - x^2)^2 + max(x, y) + x^7", NULL, 0, NULL);
    char buf[2048];
    int n = expr_to_c(e, "f", buf, sizeof buf);
    CHECK(n > 0, "C source produced");
    CHECK_STR_CONTAINS(buf, "void f(double x0, double dx, double y, float *out, int n)", "signature");
    CHECK_STR_CONTAINS(buf, "os_powi(x, 7)", "integer power kept exact");
    CHECK(expr_to_c(e, "f", buf, 16) == -1, "small buffer refused");
    expr_destroy(e);
}

/* ---- long chains on a small stack ----
 * A formula inside EXPR_MAX_LEN may be a chain of 32 000 operations (a sum, a
 * product, a run of signs or powers), as deep as its tree. Every stage (parser,
 * folding, both code generators, the C source writer, the three evaluators) must
 * work on a 1 MiB stack, as under `ulimit -s 1024`; a recursion per term would
 * need tens of MiB and crash the thread. */

typedef struct chain_case {
    const char *what;
    const char *head, *unit;   /* the formula: head, then unit repeated */
    int reps;
    double x, y;
    jet2 want;                 /* exact: every partial sum is an integer or a dyadic */
} chain_case;

typedef struct chain_run {
    const chain_case *c;
    int failures;
    char msg[400];
} chain_run;

static char *chain_text(const chain_case *c)
{
    size_t hl = strlen(c->head), ul = strlen(c->unit);
    char *s = malloc(hl + ul * (size_t)c->reps + 1);
    if (!s) return NULL;
    memcpy(s, c->head, hl);
    for (int i = 0; i < c->reps; i++) memcpy(s + hl + ul * (size_t)i, c->unit, ul);
    s[hl + ul * (size_t)c->reps] = 0;
    return s;
}

static int jet_equal(jet2 a, jet2 b)
{
    return a.v == b.v && a.gx == b.gx && a.gy == b.gy && a.hxx == b.hxx && a.hxy == b.hxy &&
           a.hyy == b.hyy;
}

static void *chain_thread(void *arg)
{
    chain_run *r = arg;
    const chain_case *c = r->c;
    char *s = chain_text(c);
    expr_error err;
    expr *e = s ? expr_compile(s, NULL, 0, &err) : NULL;
    if (!e) {
        snprintf(r->msg, sizeof r->msg, "does not compile: %s", s ? err.msg : "out of memory");
        r->failures++;
        free(s);
        return NULL;
    }
    jet2 j = expr_jet(e, c->x, c->y);
    double xs[3] = {c->x, c->x, c->x}, ys[3] = {c->y, c->y, c->y}, v[3], f[3], gx[3], gy[3], row[3];
    expr_eval_many(e, xs, ys, v, 3);
    expr_grad_many(e, xs, ys, f, gx, gy, 3);
    expr_eval_row(e, c->x, 0, c->y, row, 3);
    size_t cap = 64 * strlen(s) + 4096;
    char *src = malloc(cap);
    int n = src ? expr_to_c(e, "f", src, cap) : -1;
    /* straight-line C: as shallow as the formula's nesting, not its length (a C
     * compiler recurses on nested parentheses too, and crashes on 30 000) */
    long open = 0, close = 0, depth = 0, maxdepth = 0;
    for (int i = 0; i < n; i++) {
        open += src[i] == '(';
        close += src[i] == ')';
        depth += (src[i] == '(') - (src[i] == ')');
        if (depth > maxdepth) maxdepth = depth;
    }
    if (!jet_equal(j, c->want)) {
        snprintf(r->msg, sizeof r->msg, "jet (%.17g, %.17g, %.17g, %.17g, %.17g, %.17g)",
                 j.v, j.gx, j.gy, j.hxx, j.hxy, j.hyy);
        r->failures++;
    } else if (v[2] != c->want.v || row[2] != c->want.v || f[2] != c->want.v ||
               gx[2] != c->want.gx || gy[2] != c->want.gy) {
        snprintf(r->msg, sizeof r->msg, "block evaluators: value %.17g, row %.17g, grad (%.17g, %.17g)",
                 v[2], row[2], gx[2], gy[2]);
        r->failures++;
    } else if (expr_registers(e) > 3) {
        /* a chain needs registers for one link, not one per link */
        snprintf(r->msg, sizeof r->msg, "%d registers", expr_registers(e));
        r->failures++;
    } else if (n <= 0 || open != close || maxdepth > 8 || !strstr(src, "void f(double x0")) {
        snprintf(r->msg, sizeof r->msg, "C source: %d characters, %ld '(' and %ld ')', nested %ld deep",
                 n, open, close, maxdepth);
        r->failures++;
    }
    free(src);
    expr_destroy(e);
    free(s);
    return NULL;
}

static void test_long_chains(void)
{
    const int N = 32000;      /* 2 characters per term: 64 000 < EXPR_MAX_LEN */
    const double n = N;
    const int R = 6400;       /* 9 characters per term */
    const double r = R;
    const chain_case cases[] = {
        /* x + x + ... + x at 0.75: n + 1 terms, each partial sum exact */
        {"sum", "x", "+x", N, 0.75, 0, {0.75 * (n + 1), n + 1, 0, 0, 0, 0}},
        {"sum of both", "y", "-x", N, 0.5, 2, {2 - 0.5 * n, -n, 1, 0, 0, 0}},
        /* x * x * ... * x at -1: (-1)^(n+1), d/dx (n+1) x^n, d2 (n+1) n x^(n-1) */
        {"product", "x", "*x", N, -1, 0, {-1, n + 1, 0, -(n + 1) * n, 0, 0}},
        {"quotient", "1", "/y", N, 0, 1, {1, 0, -n, 0, 0, n * (n + 1)}},
        /* the value program fuses squares and constant factors into sums */
        {"sum of squares", "0", "+(x-y)^2", R, 1.5, 0.5, {r, 2 * r, -2 * r, 2 * r, -2 * r, 2 * r}},
        {"scaled sum", "x", "+2*y", N / 2, 1, 0.25, {1 + n / 4, 1, n, 0, 0, 0}},
        /* a tower of x at 1: f = x^g, f' = g + g' ln x = 1, f'' = 2 g' + ... = 2 */
        {"power tower", "x", "^x", N, 1, 0, {1, 1, 0, 2, 0, 0}},
        /* abs(x) is x near 1, but each link is an operation of its own: the tower
         * is evaluated from its top, one register whatever its height */
        {"tower of operations", "abs(x)", "^abs(x)", N / 4, 1, 0, {1, 1, 0, 2, 0, 0}},
        /* x^-(x^-(...)) at 1: f' = -g (g the exponent's tower), f'' = 2 - 2 g' */
        {"signed powers", "x", "^-x", N / 2, 1, 0, {1, -1, 0, 4, 0, 0}},
    };
    /* the sign chains are built apart: n signs before x */
    chain_case signs_even = {"even signs", "", "-", N, 0.25, 0, {0.25, 1, 0, 0, 0, 0}};
    chain_case signs_odd = {"odd signs", "", "-", N + 1, 0.25, 0, {-0.25, -1, 0, 0, 0, 0}};
    chain_case all[16];
    int nall = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (cases[i].reps > 0) all[nall++] = cases[i];
    all[nall++] = signs_even;
    all[nall++] = signs_odd;
    /* and the deepest nesting allowed (the top level and 255 calls: 256 levels),
     * the one recursion left, on the same small stack: abs(abs(...abs(x))) at -0.5 */
    char deep[255 * 5 + 2];
    for (int i = 0; i < 255; i++) memcpy(deep + 4 * i, "abs(", 4);
    deep[4 * 255] = 'x';
    memset(deep + 4 * 255 + 1, ')', 255);
    deep[4 * 255 + 256] = 0;
    chain_case nested = {"255 nested calls", deep, "", 0, -0.5, 0, {0.5, -1, 0, 0, 0, 0}};
    all[nall++] = nested;
    for (int i = 0; i < nall; i++) {
        chain_case c = all[i];
        char *t = NULL;
        if (c.head[0] == 0) {
            /* signs then x: head "" and unit "-" repeated, x appended */
            char *s = chain_text(&c);
            size_t l = strlen(s);
            t = malloc(l + 2);
            memcpy(t, s, l);
            t[l] = 'x';
            t[l + 1] = 0;
            free(s);
            c.head = t;
            c.reps = 0;
        }
        chain_run run = {&c, 0, ""};
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
        /* the single-threaded web build cannot start a thread: the chain runs on the
           calling thread's stack, so its results are checked but not the 1 MiB bound */
        if (i == 0) printf("expr: no threads in this build: long chains on the main stack, 1 MiB stack bound skipped\n");
        chain_thread(&run);
#else
        pthread_attr_t attr;
        pthread_t th;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, (size_t)1 << 20);
        int rc = pthread_create(&th, &attr, chain_thread, &run);
        CHECK(rc == 0, "%s: a thread with a 1 MiB stack", c.what);
        if (rc == 0) pthread_join(th, NULL);
        pthread_attr_destroy(&attr);
#endif
        CHECK(run.failures == 0, "%s (%zu characters): %s", c.what, strlen(c.head) + strlen(c.unit) * (size_t)c.reps,
              run.msg);
        free(t);
    }
}

int main(void)
{
    test_derivatives();
    test_rosenbrock();
    test_evaluators_agree();
    test_constants_and_uses();
    test_errors();
    test_limits();
    test_long_chains();
    test_to_c();
    return check_done("expr");
}
