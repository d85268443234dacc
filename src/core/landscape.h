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

/* A landscape ready to use: a built-in with its parameters, or a typed formula. */
typedef struct landscape {
    const landscape_def *def;   /* NULL for --expr */
    double param[LANDSCAPE_MAX_PARAMS];
    expr *f;
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
