/* landscape: the table of built-in loss surfaces and the loader that turns
 * "name:k=v,..." or a typed formula into a compiled landscape.
 *
 * Every built-in is only data: a formula in the expr syntax (its parameters are
 * named constants of the compiler), so the field, the particles and the critical
 * points all see exactly the same function with exact derivatives. Known minima are
 * at the default parameters, to full precision (tools/crit_ref.py, sympy). */
#include "landscape.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netslice.h"
#include "spec.h"

lsfn lsfn_formula(const expr *e)
{
    lsfn f = {e, NULL, NULL};
    return f;
}

int lsfn_ok(const lsfn *f)
{
    return f && (f->e || (f->ops && f->impl));
}

double lsfn_value(const lsfn *f, double x, double y)
{
    return f->e ? expr_eval(f->e, x, y) : f->ops->value(f->impl, x, y);
}

void lsfn_row(const lsfn *f, double x0, double dx, double y, double *out, size_t n)
{
    if (f->e) expr_eval_row(f->e, x0, dx, y, out, n);
    else f->ops->row(f->impl, x0, dx, y, out, n);
}

void lsfn_grad_many(const lsfn *f, const double *x, const double *y, double *v, double *gx, double *gy,
                    size_t n)
{
    if (f->e) expr_grad_many(f->e, x, y, v, gx, gy, n);
    else f->ops->grad(f->impl, x, y, v, gx, gy, n);
}

jet2 lsfn_jet(const lsfn *f, double x, double y)
{
    return f->e ? expr_jet(f->e, x, y) : f->ops->jet(f->impl, x, y);
}

/* ---- a network's loss on a plane (a plane file) ---- */

#define PLANE_POOL 64

/* The plane behind a landscape: the network, its training set and the plane, and
 * the scratch of every caller that evaluates at the same time (one net_plane each,
 * taken from the pool and put back: scratch only, so the values do not depend on
 * which one a thread gets). */
typedef struct plane_impl {
    net nt;
    netdata train;
    net_plane_file pf;
    pthread_mutex_t mu;
    net_plane *pool[PLANE_POOL];
    int npool;
} plane_impl;

static net_plane *plane_take(plane_impl *P)
{
    net_plane *pl = NULL;
    pthread_mutex_lock(&P->mu);
    if (P->npool > 0) pl = P->pool[--P->npool];
    pthread_mutex_unlock(&P->mu);
    if (pl) return pl;
    pl = malloc(sizeof *pl);
    if (pl && net_plane_init(pl, &P->nt, P->pf.centre, P->pf.d1, P->pf.d2, &P->train) != 0) {
        free(pl);
        pl = NULL;
    }
    return pl;
}

static void plane_put(plane_impl *P, net_plane *pl)
{
    pthread_mutex_lock(&P->mu);
    if (P->npool < PLANE_POOL) {
        P->pool[P->npool++] = pl;
        pl = NULL;
    }
    pthread_mutex_unlock(&P->mu);
    if (pl) {
        net_plane_free(pl);
        free(pl);
    }
}

static double plane_value(void *impl, double x, double y)
{
    net_plane *pl = plane_take(impl);
    if (!pl) return NAN;
    double v = net_plane_value(pl, x, y);
    plane_put(impl, pl);
    return v;
}

static void plane_row(void *impl, double x0, double dx, double y, double *out, size_t n)
{
    net_plane *pl = plane_take(impl);
    for (size_t i = 0; i < n; i++) out[i] = pl ? net_plane_value(pl, x0 + (double)i * dx, y) : NAN;
    if (pl) plane_put(impl, pl);
}

static void plane_grad(void *impl, const double *x, const double *y, double *f, double *gx, double *gy, size_t n)
{
    net_plane *pl = plane_take(impl);
    for (size_t i = 0; i < n; i++) {
        double g[2] = {NAN, NAN}, v = pl ? net_plane_grad(pl, x[i], y[i], g) : NAN;
        if (f) f[i] = v;
        gx[i] = g[0];
        gy[i] = g[1];
    }
    if (pl) plane_put(impl, pl);
}

static jet2 plane_jet(void *impl, double x, double y)
{
    net_plane *pl = plane_take(impl);
    jet2 j = {NAN, NAN, NAN, NAN, NAN, NAN};
    if (pl) {
        j = net_plane_jet2(pl, x, y);
        plane_put(impl, pl);
    }
    return j;
}

static const lsfn_ops plane_ops = {plane_value, plane_row, plane_grad, plane_jet};

static void plane_destroy(plane_impl *P)
{
    if (!P) return;
    for (int i = 0; i < P->npool; i++) {
        net_plane_free(P->pool[i]);
        free(P->pool[i]);
    }
    pthread_mutex_destroy(&P->mu);
    net_free(&P->nt);
    netdata_free(&P->train);
    net_plane_file_free(&P->pf);
    free(P);
}

static const landscape_def plane_def = {
    .name = "plane",
    .formula = "the training loss of a network at centre + x d1 + y d2 (a plane file)",
    .view = {-1, 1, -1, 1},
    .description = "a network's loss on a plane through its parameters: optiscape net slice --plane-out",
};

/* "plane:file=PLANE": the whole rest is the path (it may hold any character). */
static int load_plane(landscape *out, const char *text, char *err, size_t errlen)
{
    const char *path = strncmp(text, "plane:file=", 11) == 0 ? text + 11 : NULL;
    if (!path || !*path) {
        snprintf(err, errlen, "landscape '%.60s': expected plane:file=PLANE (a file of net slice --plane-out)",
                 text);
        return -1;
    }
    plane_impl *P = calloc(1, sizeof *P);
    if (!P) {
        snprintf(err, errlen, "landscape '%.60s': out of memory", text);
        return -1;
    }
    if (net_plane_file_read(path, &P->pf, err, errlen) != 0) {
        free(P);
        return -1;
    }
    if (net_plane_file_open(path, &P->pf, &P->nt, &P->train, err, errlen) != 0) {
        net_plane_file_free(&P->pf);
        free(P);
        return -1;
    }
    pthread_mutex_init(&P->mu, NULL);
    out->def = &plane_def;
    out->plane = P;
    out->fn.e = NULL;
    out->fn.ops = &plane_ops;
    out->fn.impl = P;
    double r = P->pf.range;
    out->view[0] = -r;
    out->view[1] = r;
    out->view[2] = -r;
    out->view[3] = r;
    out->start[0] = P->pf.start[0];
    out->start[1] = P->pf.start[1];
    int n = snprintf(out->label, sizeof out->label, "plane:file=%s", path);
    if (n < 0 || (size_t)n >= sizeof out->label) {
        landscape_free(out);
        snprintf(err, errlen, "landscape 'plane:file=...': the path is too long (at most %zu characters)",
                 sizeof out->label - 12);
        return -1;
    }
    return 0;
}

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
    /* Landscapes from data: the loss of a seeded generated data set over two
     * parameters. The formula is written at load time from the samples
     * (dataset_formula); the formula here only shows its shape. */
    {
        .name = "linreg",
        .formula = "mean_i (x*u_i + y - t_i)^2 = A*x^2 + 2*B*x*y + C*y^2 - 2*D*x - 2*E*y + F,"
                   " A = mean u^2, B = mean u, C = 1, D = mean u*t, E = mean t, F = mean t^2",
        .view = {-1, 5, -4, 2},        /* replaced by a square around the fitted (w, b) */
        .start = {-0.5, 1},
        .nparams = 4,
        .params = {
            {"n", 100, 2, DATASET_MAX_N_LSQ, "samples (u_i, t_i), t = 2u - 1 + noise", 1},
            {"noise", 0.5, 0, 10, "sigma of the noise on the targets", 0},
            {"scale", 1, 0.01, 100, "feature scale: u ~ scale*(1 + N(0,1))", 0},
            {"seed", 1, 0, 4294967295.0, "seed of the generated samples", 1},
        },
        .description = "MSE of linear regression over (w, b): scale stretches the ellipse",
        .source = LANDSCAPE_LINREG,
    },
    {
        .name = "linreg2",
        .formula = "mean_i (x*u_i + y*v_i - t_i)^2 = A*x^2 + 2*B*x*y + C*y^2 - 2*D*x - 2*E*y + F,"
                   " t = 1.5u + 0.15v + noise",
        .view = {-1.5, 4.5, -3, 3},    /* replaced by a square around the fit */
        .start = {-1, 2},
        .nparams = 6,
        .params = {
            {"n", 100, 2, DATASET_MAX_N_LSQ, "samples (u_i, v_i, t_i)", 1},
            {"scale1", 1, 0.01, 100, "scale of feature u ~ N(0, scale1^2)", 0},
            {"scale2", 10, 0.01, 100, "scale of feature v ~ N(0, scale2^2)", 0},
            {"standardize", 0, 0, 1, "1: features shifted and scaled to mean 0, variance 1", 1},
            {"noise", 0.5, 0, 10, "sigma of the noise on the targets", 0},
            {"seed", 1, 0, 4294967295.0, "seed of the generated samples", 1},
        },
        .description = "two features of different scale: a long ellipse; standardize=1: a circle",
        .source = LANDSCAPE_LINREG2,
    },
    {
        .name = "logreg",
        .formula = "mean_i softplus(-t_i*(x*u_i + y*v_i)), softplus(s) = log(1 + exp(s)),"
                   " (u, v) ~ N(t*sep/2*(0.8, 0.6), I), t = +-1",
        .view = {-3, 5, -4, 4},
        .start = {-2, 3},
        .nparams = 3,
        .params = {
            {"n", 32, 2, DATASET_MAX_N_TERMS, "samples, labels +1 and -1 taking turns", 1},
            {"sep", 2, 0, 10, "distance between the two clusters' centres", 0},
            {"seed", 1, 0, 4294967295.0, "seed of the generated samples", 1},
        },
        .description = "logistic regression on two Gaussian clusters, two weights, no bias",
        .source = LANDSCAPE_LOGREG,
    },
    {
        .name = "sharp_flat_data",
        .formula = "mean_i sharp_flat(x - a_i - s, y - b_i - s), (a_i, b_i) ~ spread*N(0, I),"
                   " s = shift if test=1 else 0; wells deepened so the mean keeps sharp_flat's depths",
        .view = {-3, 3, -2.5, 2.5},
        .start = {2.2, 1.6},
        .nparams = 6,
        .params = {
            {"n", 32, 2, DATASET_MAX_N_TERMS, "samples: each one sharp_flat moved by its own shift", 1},
            {"spread", 0.15, 0, 0.5, "sigma of the per-sample shifts: how much batches differ", 0},
            {"width", 0.2, 0.05, 0.6, "radius of the sharp minimum's well", 0},
            {"shift", 0.25, -1, 1, "test set = training set moved by (shift, shift)", 0},
            {"test", 0, 0, 1, "1: the test loss (the training loss moved by shift)", 1},
            {"seed", 1, 0, 4294967295.0, "seed of the generated samples", 1},
        },
        .description = "sharp_flat as a training set: minibatches differ; test=1 shifts it",
        .source = LANDSCAPE_SHIFTED,
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


/* A least-squares landscape is shown as a square around its fitted parameters,
 * 3 to each side, starting up and to the left of the fit. */
static void view_around_fit(landscape *out)
{
    dataset_quad q;
    if (dataset_quadratic(out->data, NULL, 0, &q) != 0) return;
    double det = q.A * q.C - q.B * q.B;
    if (!(det > 1e-12 * q.A * q.C) || !isfinite(det)) return;
    double w = (q.D * q.C - q.B * q.E) / det, b = (q.A * q.E - q.B * q.D) / det;
    if (!isfinite(w) || !isfinite(b) || fabs(w) > 1e6 || fabs(b) > 1e6) return;
    out->view[0] = w - 3;
    out->view[1] = w + 3;
    out->view[2] = b - 3;
    out->view[3] = b + 3;
    out->start[0] = w - 2.5;
    out->start[1] = b + 2;
}

/* Generate a data landscape's samples from its parameters (out->param, in the
 * table's order) and compile the loss over all of them. */
static int load_data(landscape *out, const landscape_def *def, const spec *sp, char *err,
                     size_t errlen)
{
    const double *p = out->param;
    dataset *ds = NULL;
    switch (def->source) {
    case LANDSCAPE_LINREG:
        ds = dataset_linreg((int)p[0], p[1], p[2], (uint64_t)p[3]);
        break;
    case LANDSCAPE_LINREG2:
        ds = dataset_linreg2((int)p[0], p[1], p[2], p[3] != 0, p[4], (uint64_t)p[5]);
        break;
    case LANDSCAPE_LOGREG:
        ds = dataset_logreg((int)p[0], p[1], (uint64_t)p[2]);
        break;
    case LANDSCAPE_SHIFTED:
        ds = dataset_shifted((int)p[0], p[1], p[2], p[4] != 0 ? p[3] : 0, (uint64_t)p[5]);
        break;
    case LANDSCAPE_FORMULA:
        break;
    }
    if (!ds) {
        spec_error(sp, "landscape", err, errlen, "out of memory for the data set");
        return -1;
    }
    int n = dataset_formula(ds, NULL, 0, NULL, 0);
    char *text = n > 0 && n <= EXPR_MAX_LEN ? malloc((size_t)n + 1) : NULL;
    if (!text) {
        dataset_destroy(ds);
        spec_error(sp, "landscape", err, errlen, "the data set's formula does not fit (%d characters)", n);
        return -1;
    }
    dataset_formula(ds, NULL, 0, text, (size_t)n + 1);
    expr_error ee;
    out->f = expr_compile(text, NULL, 0, &ee);
    free(text);
    if (!out->f) {
        dataset_destroy(ds);
        spec_error(sp, "landscape", err, errlen, "generated formula does not compile: %s", ee.msg);
        return -1;
    }
    out->data = ds;
    memcpy(out->view, def->view, sizeof out->view);
    memcpy(out->start, def->start, sizeof out->start);
    if (ds->loss == DATASET_LSQ) view_around_fit(out);
    return 0;
}

int landscape_load(landscape *out, const char *text, char *err, size_t errlen)
{
    static const char *what = "landscape";
    spec sp;
    memset(out, 0, sizeof *out);
    if (text && (strncmp(text, "plane:", 6) == 0 || strcmp(text, "plane") == 0))
        return load_plane(out, text, err, errlen);
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
        if (p->whole) v = floor(v + 0.5);   /* a slider's 37.4 samples is 37 */
        out->param[i] = v;
        consts[i].name = p->name;
        consts[i].value = v;
        int k = snprintf(known + ko, sizeof known - ko, "%s%s", i ? "," : "", p->name);
        if (k > 0) ko += (size_t)k;
    }
    if (spec_check_unused(&sp, what, known, err, errlen) != 0) return -1;

    expr_error ee;
    if (def->source != LANDSCAPE_FORMULA) {
        if (load_data(out, def, &sp, err, errlen) != 0) return -1;
    } else {
        out->f = expr_compile(def->formula, consts, def->nparams, &ee);
    }
    if (!out->f) {
        /* A built-in that does not compile is a bug, but it must not take the
         * lecture down: report it like any other load failure. */
        spec_error(&sp, what, err, errlen, "built-in formula does not compile: %s", ee.msg);
        return -1;
    }
    out->def = def;
    out->fn = lsfn_formula(out->f);
    if (def->source == LANDSCAPE_FORMULA) {
        memcpy(out->view, def->view, sizeof out->view);
        memcpy(out->start, def->start, sizeof out->start);
    }

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
    out->fn = lsfn_formula(out->f);
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
    ls->fn = lsfn_formula(NULL);
    plane_destroy(ls->plane);
    ls->plane = NULL;
    dataset_destroy(ls->data);
    ls->data = NULL;
}

int landscape_batch_expr(const landscape *ls, const int *idx, int n, char *formula, size_t len)
{
    if (!ls || !ls->data || !idx) return -1;
    return dataset_formula(ls->data, idx, n, formula, len);
}
