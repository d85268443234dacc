/* expr: the formula compiler. A landscape is a formula in x and y; this turns its
 * text into bytecode once and evaluates it three ways, all from the same program:
 * plain values over many points (the contour field), first-order forward-mode
 * derivatives over many points (swarms), and second-order jets at one point
 * (particles, Newton-type optimizers, critical points). No finite differences. */
#ifndef OPTISCAPE_EXPR_H
#define OPTISCAPE_EXPR_H

#include <stddef.h>

/* Inputs are bounded so that no formula can exhaust the stack or memory. */
#define EXPR_MAX_LEN 65536   /* characters in a formula */
#define EXPR_MAX_DEPTH 256   /* nesting of parentheses, calls and operators */
#define EXPR_MAX_NAME 32     /* characters in an identifier */

typedef struct expr expr;

/* Value, gradient and Hessian of f at one point. */
typedef struct jet2 {
    double v;
    double gx, gy;
    double hxx, hxy, hyy;
} jet2;

/* A named constant a formula may use (a landscape's parameter: kappa, angle...). */
typedef struct expr_const {
    const char *name;
    double value;
} expr_const;

/* What went wrong in a formula: 1-based column (0 when it is about the whole text). */
typedef struct expr_error {
    int column;
    char msg[200];
} expr_error;

/* Compile src. consts (may be NULL when nconsts is 0) are named constants visible to
 * the formula besides pi and e. Returns NULL and fills err on bad input. */
expr *expr_compile(const char *src, const expr_const *consts, int nconsts, expr_error *err);
void expr_destroy(expr *e);

/* The formula text as compiled (for legends and file metadata). */
const char *expr_source(const expr *e);

/* Plain value at one point. */
double expr_eval(const expr *e, double x, double y);

/* out[i] = f(x[i], y[i]) for i < n. Thread-safe: e is read-only. */
void expr_eval_many(const expr *e, const double *x, const double *y, double *out, size_t n);

/* One row of a field: out[i] = f(x0 + i*dx, y) for i < n. */
void expr_eval_row(const expr *e, double x0, double dx, double y, double *out, size_t n);

/* Value and gradient at many points; f may be NULL when only the gradient is wanted. */
void expr_grad_many(const expr *e, const double *x, const double *y,
                    double *f, double *gx, double *gy, size_t n);

/* Value, gradient and Hessian at one point. */
jet2 expr_jet(const expr *e, double x, double y);

/* Registers the larger of its two programs uses (each is BLOCK points wide in the
 * block evaluators): operands needing more are computed first, so this grows with
 * the formula's nesting, never with the length of a chain. */
int expr_registers(const expr *e);

/* Does the formula depend on x / y at all? (a formula in x alone is a valid landscape) */
int expr_uses_x(const expr *e);
int expr_uses_y(const expr *e);

/* C source for the reference of `optiscape bench field`: the same function with the
 * same operations, inlined into a row loop the C compiler can optimise freely:
 * `void fname(double x0, double dx, double y, float *out, int n)` sets
 * out[i] = (float)f(x0 + i*dx, y), exactly what field_compute stores.
 * Returns the length written, or -1 if buf is too small. */
int expr_to_c(const expr *e, const char *fname, char *buf, size_t len);

#endif
