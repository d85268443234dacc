/* field: the loss sampled on a grid of pixel centres over a view, the data behind
 * the contour map (uploaded as a float texture, or contoured for SVG). */
#ifndef OPTISCAPE_FIELD_H
#define OPTISCAPE_FIELD_H

#include "expr.h"
#include "landscape.h"

/* out[j * w + i] = f(x_i, y_j) with x_i = x0 + (i + 0.5)(x1 - x0)/w and row 0 at the
 * bottom (y0), computed in double and stored as float. nthreads >= 1. */
void field_compute(const expr *f, const double view[4], int w, int h, float *out, int nthreads);

/* The same samples as (float)(f - offset), computed in double: the field of a view
 * 1e-6 wide keeps its detail in float when offset is a value of f inside the view. */
void field_compute_offset(const expr *f, const double view[4], int w, int h, float *out,
                          int nthreads, double offset);

/* The largest Hessian eigenvalue at the same samples (the curvature that bounds a
 * stable gradient-descent rate: lr * lmax < 2), from second-order jets. */
void field_lmax(const expr *f, const double view[4], int w, int h, float *out, int nthreads);

/* The same over any landscape function (a formula or a plane); the three above are
 * these with lsfn_formula(f). */
void field_compute_fn(const lsfn *f, const double view[4], int w, int h, float *out, int nthreads);
void field_compute_offset_fn(const lsfn *f, const double view[4], int w, int h, float *out,
                             int nthreads, double offset);
void field_lmax_fn(const lsfn *f, const double view[4], int w, int h, float *out, int nthreads);

/* The x of column i and y of row j, as field_compute samples them. */
/* Rows j0 .. j1-1 only of the same w x h grids (out is the whole grid): a field made
 * band by band (a single-threaded program slicing it across frames) has exactly the
 * samples of one made at once. */
void field_rows_offset_fn(const lsfn *f, const double view[4], int w, int h, int j0, int j1, float *out,
                          int nthreads, double offset);
void field_rows_lmax_fn(const lsfn *f, const double view[4], int w, int h, int j0, int j1, float *out,
                        int nthreads);

double field_x(const double view[4], int w, int i);
double field_y(const double view[4], int h, int j);

#endif
