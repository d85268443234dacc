/* landscape: the built-in loss surfaces as table entries (name, formula with named
 * parameters, default view, known minima, description), all compiled by the same
 * formula compiler as a typed --expr. */
#ifndef OPTISCAPE_LANDSCAPE_H
#define OPTISCAPE_LANDSCAPE_H

#include <stddef.h>
#include "expr.h"

#define LANDSCAPE_MAX_PARAMS 4
#define LANDSCAPE_MAX_MINIMA 8

typedef struct landscape_param {
    const char *name;
    double value;          /* default */
    double lo, hi;         /* accepted range */
    const char *meaning;
} landscape_param;

typedef struct landscape_def {
    const char *name;
    const char *formula;   /* may use the parameter names */
    double view[4];        /* x0, x1, y0, y1 */
    double start[2];       /* a start point that makes a good demo */
    int nminima;
    double minima[LANDSCAPE_MAX_MINIMA][2];   /* at default parameters */
    int nparams;
    landscape_param params[LANDSCAPE_MAX_PARAMS];
    const char *description;
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
} landscape;

/* "rosenbrock" or "quadratic:kappa=50,angle=30". 0, or -1 with a message. */
int landscape_load(landscape *out, const char *spec, char *err, size_t errlen);
/* A typed formula; the message names the column. */
int landscape_load_expr(landscape *out, const char *formula, char *err, size_t errlen);
void landscape_free(landscape *ls);

#endif
