/* landscape: the built-in loss surfaces as table entries (name, formula with named
 * parameters, default view, known minima, description), all compiled by the same
 * formula compiler as a typed --expr. Some are the loss of a generated data set
 * (dataset.h): their formula text is generated at load time from the data, and the
 * loaded landscape carries the data, so runners can take minibatch gradients. */
#ifndef OPTISCAPE_LANDSCAPE_H
#define OPTISCAPE_LANDSCAPE_H

#include <stddef.h>
#include "dataset.h"
#include "expr.h"

#define LANDSCAPE_MAX_PARAMS 6
#define LANDSCAPE_MAX_MINIMA 8

typedef struct landscape_param {
    const char *name;
    double value;          /* default */
    double lo, hi;         /* accepted range */
    const char *meaning;
    int whole;             /* a count, seed or switch: the value is rounded to an integer */
} landscape_param;

/* Where a built-in's function comes from. */
typedef enum landscape_source {
    LANDSCAPE_FORMULA = 0, /* the formula with the parameters as named constants */
    LANDSCAPE_LINREG,      /* MSE of linear regression over (w, b) = (x, y) */
    LANDSCAPE_LINREG2,     /* MSE of two-feature regression over (w1, w2) */
    LANDSCAPE_LOGREG,      /* logistic loss of two clusters over (w1, w2) */
    LANDSCAPE_SHIFTED,     /* sharp_flat averaged over per-sample shifted copies */
} landscape_source;

typedef struct landscape_def {
    const char *name;
    const char *formula;   /* may use the parameter names; for a data landscape only
                              the shape of the generated text (for `list`) */
    double view[4];        /* x0, x1, y0, y1 */
    double start[2];       /* a start point that makes a good demo */
    int nminima;
    double minima[LANDSCAPE_MAX_MINIMA][2];   /* at default parameters */
    int nparams;
    landscape_param params[LANDSCAPE_MAX_PARAMS];
    const char *description;
    landscape_source source;
} landscape_def;

int landscape_count(void);
const landscape_def *landscape_at(int i);
const landscape_def *landscape_find(const char *name);

/* lsfn: a landscape's function behind the three evaluations every consumer makes
 * (the field, critical points, runners, swarms, basins): a row of values, values
 * and gradients over a block of points, and the second-order jet at one point.
 * Either a compiled formula (e: the calls are the expr_* calls themselves, the
 * same bits) or functions over an implementation (ops, impl), such as a network's
 * loss on a plane through its parameter space. The functions must be safe to call
 * from several threads at once (an implementation that needs scratch keeps one
 * context per concurrent caller) and give the same value whichever thread asks. */
typedef struct lsfn_ops {
    double (*value)(void *impl, double x, double y);
    void (*row)(void *impl, double x0, double dx, double y, double *out, size_t n);
    /* f may be NULL when only the gradient is wanted */
    void (*grad)(void *impl, const double *x, const double *y, double *f, double *gx, double *gy, size_t n);
    jet2 (*jet)(void *impl, double x, double y);
} lsfn_ops;

typedef struct lsfn {
    const expr *e;              /* a formula, or NULL */
    const lsfn_ops *ops;        /* used when e is NULL */
    void *impl;
} lsfn;

/* The formula e as an lsfn (e not owned). */
lsfn lsfn_formula(const expr *e);
double lsfn_value(const lsfn *f, double x, double y);
void lsfn_row(const lsfn *f, double x0, double dx, double y, double *out, size_t n);
void lsfn_grad_many(const lsfn *f, const double *x, const double *y, double *v, double *gx, double *gy,
                    size_t n);
jet2 lsfn_jet(const lsfn *f, double x, double y);
/* Is there a function at all? */
int lsfn_ok(const lsfn *f);

/* A landscape ready to use: a built-in with its parameters, a typed formula, or a
 * network's loss on a plane ("plane:file=PLANE", written by `net slice --plane-out`). */
typedef struct landscape {
    const landscape_def *def;   /* NULL for --expr */
    double param[LANDSCAPE_MAX_PARAMS];
    expr *f;                    /* the formula; NULL for a plane */
    lsfn fn;                    /* what consumers evaluate: f, or the plane */
    void *plane;                /* owned; the plane behind fn, else NULL */
    double view[4];
    double start[2];
    char label[160];            /* "quadratic:kappa=50,angle=30" or the formula */
    dataset *data;              /* owned; the samples of a data landscape, else NULL */
} landscape;

/* "rosenbrock" or "quadratic:kappa=50,angle=30". 0, or -1 with a message. */
int landscape_load(landscape *out, const char *spec, char *err, size_t errlen);
/* A typed formula; the message names the column. */
int landscape_load_expr(landscape *out, const char *formula, char *err, size_t errlen);
void landscape_free(landscape *ls);

/* The loss of the samples idx[0 .. n) of a data landscape (a minibatch, so that it
 * can be drawn as its own contour map) as formula text for expr_compile. Returns
 * the length of the whole text as snprintf does (complete only when < len), or -1
 * when the landscape has no data or the indices are bad. */
int landscape_batch_expr(const landscape *ls, const int *idx, int n, char *formula, size_t len);

#endif
