/* landscape: the table of built-in loss surfaces and the loader that turns
 * "name:k=v,..." or a typed formula into a compiled landscape.
 *
 * Every built-in is only data: a formula in the expr syntax (its parameters are
 * named constants of the compiler), so the field, the particles and the critical
 * points all see exactly the same function with exact derivatives. Known minima are
 * at the default parameters, to full precision (tools/crit_ref.py, sympy). */
#include "landscape.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static const landscape_def defs[] = {
    {
        .name = "rosenbrock",
        .formula = "(a - x)^2 + b*(y - x^2)^2",
        .view = {-2, 2, -1, 3},
        .start = {-1.2, 1},     /* Rosenbrock's own 1960 start */
        .nminima = 1,
        .minima = {{1, 1}},
        .nparams = 2,
        .params = {
            {"a", 1, -2, 2, "the minimum sits at (a, a^2)"},
            {"b", 100, 0, 1000, "steepness of the curved valley's walls"},
        },
        .description = "curved banana valley: easy to find, slow to follow to the minimum",
    },
    {
        .name = "beale",
        .formula = "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
        .view = {-4.5, 4.5, -4.5, 4.5},
        .start = {1, 1.5},
        .nminima = 1,
        .minima = {{3, 0.5}},
        .description = "flat plateaus and sharp ridges; minimum 0 at (3, 0.5)",
    },
    {
        .name = "himmelblau",
        .formula = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        .view = {-5, 5, -5, 5},
        .start = {-0.3, -0.5},  /* near the maximum: the four minima compete */
        .nminima = 4,
        .minima = {{3, 2},
                   {-2.8051180869527449, 3.131312518250573},
                   {-3.7793102533777469, -3.2831859912861694},
                   {3.5844283403304917, -1.8481265269644036}},
        .description = "four equal minima (0), one maximum and four saddles",
    },
    {
        .name = "booth",
        .formula = "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
        .view = {-10, 10, -10, 10},
        .start = {-8, 8},
        .nminima = 1,
        .minima = {{1, 3}},
        .description = "a plain tilted quadratic bowl, minimum 0 at (1, 3)",
    },
    {
        .name = "matyas",
        .formula = "0.26*(x^2 + y^2) - 0.48*x*y",
        .view = {-10, 10, -10, 10},
        .start = {-9, -5},      /* mostly along the flat diagonal */
        .nminima = 1,
        .minima = {{0, 0}},
        .description = "flat diagonal valley (Hessian eigenvalues 0.04 and 1), minimum at 0",
    },
    {
        .name = "saddle",
        .formula = "x^2 - y^2",
        .view = {-2, 2, -2, 2},
        .start = {-1.8, 0.05},  /* nearly on the stable axis: a long stall, then escape */
        .nminima = 0,
        .description = "the textbook saddle: a minimum along x, a maximum along y",
    },
    {
        .name = "monkey_saddle",
        .formula = "x^3 - 3*x*y^2",
        .view = {-1.5, 1.5, -1.5, 1.5},
        .start = {1.2, 0.05},
        .nminima = 0,
        .description = "degenerate saddle: zero Hessian at the origin, three ways down",
    },
    {
        .name = "six_hump_camel",
        .formula = "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
        .view = {-2, 2, -1, 1},
        .start = {-1.5, 0.9},
        .nminima = 6,
        .minima = {{0.089842013100318062, -0.71265640302073963},
                   {-0.089842013100318062, 0.71265640302073963},
                   {-1.7036067149699808, 0.79608356867262512},
                   {1.7036067149699808, -0.79608356867262512},
                   {-1.6071047529201972, -0.56865145488413137},
                   {1.6071047529201972, 0.56865145488413137}},
        .description = "six minima (two global, -1.0316), two maxima, seven saddles",
    },
    {
        .name = "three_hump_camel",
        .formula = "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2",
        .view = {-2.5, 2.5, -2.5, 2.5},
        .start = {-2.2, 1},
        .nminima = 3,
        .minima = {{0, 0},
                   {-1.7475523458302889, 0.87377617291514445},
                   {1.7475523458302889, -0.87377617291514445}},
        .description = "a global minimum at 0 flanked by two shallower ones",
    },
    {
        .name = "goldstein_price",
        .formula = "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
                   "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
        .view = {-2, 2, -2, 2},
        .start = {-1.5, 1.5},
        .nminima = 4,
        .minima = {{0, -1}, {-0.6, -0.4}, {1.8, 0.2}, {1.2, 0.8}},
        .description = "values span six decades; minimum 3 at (0, -1), local ones 30, 84, 840",
    },
    {
        .name = "rastrigin",
        .formula = "2*A + x^2 - A*cos(2*pi*x) + y^2 - A*cos(2*pi*y)",
        .view = {-5.12, 5.12, -5.12, 5.12},
        .start = {-4.3, 3.7},
        .nminima = 1,
        .minima = {{0, 0}},
        .nparams = 1,
        .params = {{"A", 10, 0, 50, "amplitude of the ripples (0: a plain bowl)"}},
        .description = "a bowl covered in ripples: hundreds of local minima",
    },
    {
        .name = "ackley",
        .formula = "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y)))"
                   " + e + 20",
        .view = {-5, 5, -5, 5},
        .start = {-4.2, 3.3},
        .nminima = 1,
        .minima = {{0, 0}},     /* a cone tip: the gradient is undefined there */
        .description = "nearly flat outside, a deep funnel in the middle, bumps everywhere",
    },
    {
        /* f = 1/2 t^T P t with P = R(angle) diag(1, kappa) R(angle)^T, written as
         * 1/2 (u^2 + kappa v^2) in the rotated coordinates u = c x + s y, v = c y - s x:
         * eigenvalue 1 along (c, s), kappa along (-s, c). */
        .name = "quadratic",
        .formula = "0.5*((cos(angle*pi/180)*x + sin(angle*pi/180)*y)^2"
                   " + kappa*(cos(angle*pi/180)*y - sin(angle*pi/180)*x)^2)",
        .view = {-3, 3, -3, 3},
        .start = {-2.5, -0.5},
        .nminima = 1,
        .minima = {{0, 0}},
        .nparams = 2,
        .params = {
            {"kappa", 10, 1, 10000, "condition number: Hessian eigenvalues 1 and kappa"},
            {"angle", 30, -180, 180, "direction of the flat axis, degrees from x"},
        },
        .description = "ill-conditioned bowl 1/2 t'Pt: zigzag across, crawl along",
    },
    {
        /* Across: 1/2 steepness y^2. Along: a pseudo-Huber floor whose slope tends to
         * `slope`, so on the walls (|y| ~ 1) the gradient along the valley is about
         * slope/steepness = 1e-3 of the gradient across it. */
        .name = "ravine",
        .formula = "0.5*steepness*y^2 + slope*(sqrt(1 + x^2) - 1)",
        .view = {-5, 5, -2.5, 2.5},
        .start = {-4.5, 1},
        .nminima = 1,
        .minima = {{0, 0}},
        .nparams = 2,
        .params = {
            {"steepness", 100, 1, 10000, "curvature across the valley"},
            {"slope", 0.1, 0, 10, "gradient along the valley floor, far from the minimum"},
        },
        .description = "long, nearly flat valley with steep walls: one learning rate cannot fit both",
    },
    {
        /* A deep narrow Gaussian well and a wide one, on a gentle bowl that keeps
         * everything bounded. The sharp well is a little deeper (0.0987 vs 0.1065),
         * so training loss alone prefers it; its Hessian is 25x larger. */
        .name = "sharp_flat",
        .formula = "0.05*(x^2 + y^2) + 1 - exp(-((x - 1.5)^2 + (y - 0.5)^2)/(2*width^2))"
                   " - 0.95*exp(-((x + 1)^2 + (y + 0.5)^2)/2)",
        .view = {-3, 3, -2.5, 2.5},
        .start = {2.2, 1.6},
        .nminima = 2,
        .minima = {{1.4914401518638368, 0.49697446399243909},
                   {-0.90426719155910958, -0.45213359577955479}},
        .nparams = 1,
        .params = {{"width", 0.2, 0.05, 0.6, "radius of the sharp minimum's well"}},
        .description = "a sharp minimum and a flat, slightly higher one: which generalizes?",
    },
};

#define NDEFS ((int)(sizeof defs / sizeof defs[0]))

int landscape_count(void)
{
    return NDEFS;
}

const landscape_def *landscape_at(int i)
{
    return i >= 0 && i < NDEFS ? &defs[i] : NULL;
}

const landscape_def *landscape_find(const char *name)
{
    if (!name) return NULL;
    for (int i = 0; i < NDEFS; i++)
        if (strcmp(defs[i].name, name) == 0) return &defs[i];
    return NULL;
}


int landscape_load(landscape *out, const char *text, char *err, size_t errlen)
{
    static const char *what = "landscape";
    spec sp;
    memset(out, 0, sizeof *out);
    if (spec_parse(text, what, &sp, err, errlen) != 0) return -1;

    const landscape_def *def = landscape_find(sp.name);
    if (!def) {
        char names[512];
        size_t o = 0;
        names[0] = '\0';
        for (int i = 0; i < NDEFS && o < sizeof names; i++) {
            int k = snprintf(names + o, sizeof names - o, "%s%s", i ? ", " : "", defs[i].name);
            if (k < 0) break;
            o += (size_t)k;
        }
        spec_error(&sp, what, err, errlen, "unknown landscape '%s' (one of %s)", sp.name, names);
        return -1;
    }

    char known[LANDSCAPE_MAX_PARAMS * (SPEC_MAX_WORD + 1)];
    size_t ko = 0;
    known[0] = '\0';
    expr_const consts[LANDSCAPE_MAX_PARAMS];
    for (int i = 0; i < def->nparams; i++) {
        const landscape_param *p = &def->params[i];
        double v = p->value;
        if (spec_get_number(&sp, what, p->name, p->lo, p->hi, &v, err, errlen) < 0) return -1;
        out->param[i] = v;
        consts[i].name = p->name;
        consts[i].value = v;
        int k = snprintf(known + ko, sizeof known - ko, "%s%s", i ? "," : "", p->name);
        if (k > 0) ko += (size_t)k;
    }
    if (spec_check_unused(&sp, what, known, err, errlen) != 0) return -1;

    expr_error ee;
    out->f = expr_compile(def->formula, consts, def->nparams, &ee);
    if (!out->f) {
        /* A built-in that does not compile is a bug, but it must not take the
         * lecture down: report it like any other load failure. */
        spec_error(&sp, what, err, errlen, "built-in formula does not compile: %s", ee.msg);
        return -1;
    }
    out->def = def;
    memcpy(out->view, def->view, sizeof out->view);
    memcpy(out->start, def->start, sizeof out->start);

    size_t lo = (size_t)snprintf(out->label, sizeof out->label, "%s", def->name);
    for (int i = 0; i < def->nparams && lo < sizeof out->label; i++) {
        char num[32];
        spec_format_number(out->param[i], num, sizeof num);
        int k = snprintf(out->label + lo, sizeof out->label - lo, "%c%s=%s",
                         i ? ',' : ':', def->params[i].name, num);
        if (k < 0) break;
        lo += (size_t)k;
    }
    return 0;
}

int landscape_load_expr(landscape *out, const char *formula, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    expr_error ee;
    out->f = expr_compile(formula, NULL, 0, &ee);
    if (!out->f) {
        if (err && errlen) snprintf(err, errlen, "--expr: %s", ee.msg);
        return -1;
    }
    /* A typed formula has no known scale: show the usual [-3, 3] square. The start
     * is off both axes and both diagonals so that no symmetry of a typical formula
     * (x^2 - y^2, x*y) pins the particle to a ridge; if the formula is undefined
     * there (log(x), sqrt(y)), take the first candidate where it is finite. */
    static const double starts[][2] = {
        {-2, 1.5}, {2, 1.5}, {2, -1.5}, {-2, -1.5}, {1.5, 2}, {0.5, 0.25}, {0, 0},
    };
    out->view[0] = -3; out->view[1] = 3; out->view[2] = -3; out->view[3] = 3;
    out->start[0] = starts[0][0];
    out->start[1] = starts[0][1];
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        jet2 j = expr_jet(out->f, starts[i][0], starts[i][1]);
        if (isfinite(j.v) && isfinite(j.gx) && isfinite(j.gy)) {
            out->start[0] = starts[i][0];
            out->start[1] = starts[i][1];
            break;
        }
    }

    size_t n = strlen(formula);
    if (n < sizeof out->label) {
        memcpy(out->label, formula, n + 1);
    } else {
        /* Long formulas are cut for legends; expr_source keeps the whole text. */
        size_t keep = sizeof out->label - 4;
        memcpy(out->label, formula, keep);
        memcpy(out->label + keep, "...", 4);
    }
    return 0;
}

void landscape_free(landscape *ls)
{
    if (!ls) return;
    expr_destroy(ls->f);
    ls->f = NULL;
}
