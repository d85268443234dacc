/* section: the 1-D cross-section of a landscape along a segment of the plane, as
 * the window's cross-section tool (L), `render` and the SVG writer draw it: the loss
 * sampled along the segment, the minima along it (refined on the exact derivatives),
 * the critical points it passes through with the curvature along the line there (a
 * saddle is a minimum along one line and a maximum along another), and where the
 * plot goes on the canvas. Pure: no SDL, no GL. */
#ifndef OPTISCAPE_SECTION_H
#define OPTISCAPE_SECTION_H

#include "core/crit.h"
#include "core/landscape.h"

#define SECTION_SAMPLES 256     /* samples drawn along a segment */
#define SECTION_MAX_MARKS 8     /* minima, or crossings, listed */
#define SECTION_CROSS_PX 8.0    /* a critical point this close to the segment (canvas
                                   pixels, times the view's scale) is crossed by it */

/* A point of interest along the segment: its parameter t (0 at the first end, 1 at
 * the second), the loss there, and for a crossing the critical point's index and
 * kind and the second derivative of the loss along the line's unit direction
 * (u^T H u: > 0 a minimum along this line, < 0 a maximum). */
typedef struct section_mark {
    double t, f;
    int crit;                   /* index into the critical points; -1 for a minimum */
    int kind;                   /* crit_kind; CRIT_MIN for a minimum along the line */
    double curv;
} section_mark;

/* seg = {x0, y0, x1, y1}. The point at t. */
void section_point(const double seg[4], double t, double *x, double *y);
/* Its length in plane units. */
double section_length(const double seg[4]);

/* The loss at the n >= 2 points t_i = i / (n - 1), i = 0 .. n - 1, into out[n]. */
void section_sample(const lsfn *f, const double seg[4], int n, double *out);

/* The minima along the segment inside it: samples v[i] lower than both neighbours (a
 * flat run counts once), each refined by Newton's method on the line's exact first
 * and second derivatives within its bracket (t_{i-1}, t_{i+1}); the sample's parabola
 * where Newton leaves it. Ends of the segment are not minima along the line. Lowest
 * first; how many (at most max). */
int section_minima(const lsfn *f, const double seg[4], const double *v, int n, section_mark *out, int max);

/* The critical points c[0 .. nc) within tol (plane units) of the segment, at the t of
 * their projection onto it, with their kind and u^T H u from their eigenpairs. In
 * order of t; how many (at most max). */
int section_crossings(const crit_point *c, int nc, const double seg[4], double tol, section_mark *out, int max);

/* Where the plot of a section goes on a canvas {x, y, w, h} drawn at scale: in the
 * top right corner, about a third of the canvas wide and a quarter high; where that
 * overlaps one of the boxes avoid[0 .. navoid) (the legend, the caption, the chart),
 * below the box it overlaps or above it, at the right edge, where the plot fits
 * clear of all of them; failing that, the top right corner. out = {x, y, w, h}. */
void section_plot_rect(const float canvas[4], float scale, const float (*avoid)[4], int navoid, float out[4]);

/* Where the plot goes clear of the boxes hard[0 .. nhard) and, where it can be, of
 * the boxes soft[0 .. nsoft) too (the critical points: one under the plot would be
 * hidden), narrower if it must (the plot of a canvas 85% or 70% as wide, at the
 * same right edge); failing that, section_plot_rect with the hard boxes alone.
 * At most 24 boxes in all are kept, the hard ones first. */
void section_plot_place(const float canvas[4], float scale, const float (*hard)[4], int nhard,
                        const float (*soft)[4], int nsoft, float out[4]);
/* The box a critical point of kind (crit_kind) drawn at pixel (px, py) takes: its
 * marker, and for a saddle with its eigenvector arrows (arrows) those and the
 * "way out" label above them. */
void section_crit_box(int kind, int arrows, float px, float py, float scale, float out[4]);

/* What one segment shows: the samples, their finite range, the minima along the
 * line and the critical points crossed (within tol plane units). */
typedef struct section_info {
    double seg[4];
    double v[SECTION_SAMPLES];
    double lo, hi;              /* the finite samples' and marks' range; lo > hi: none */
    int nmin, ncross;
    section_mark min[SECTION_MAX_MARKS];    /* lowest first */
    section_mark cross[SECTION_MAX_MARKS];  /* in order of t */
} section_info;

void section_compute(section_info *s, const lsfn *f, const double seg[4], const crit_point *c, int nc, double tol);

/* The plot of a section in its box, as the window, `render` and the SVG writer draw
 * it: the title, the axes' area (x: t from A at the left to B at the right; y: the
 * loss, linear), the curve, the marks on it and a row of words for each mark (the
 * minima along the line and the critical points crossed, in order of t, with the
 * curvature along the line u^T H u and its sign). Text is measured with the
 * caller's font; every piece of text is placed inside the box. */
#define SECTION_MAX_ROWS 5
#define SECTION_MAX_TEXT 12

typedef float (*section_text_width)(void *user, const char *s, float px);

typedef struct section_text {
    float x, y;                 /* the line box's top left */
    int dim;                    /* the theme's dim text colour (else its text colour) */
    char s[128];
} section_text;

typedef struct section_plot_mark {
    float x, y;
    int along;                  /* 1: a minimum along the line; 0: a critical point of kind */
    int kind;                   /* crit_kind */
} section_plot_mark;

typedef struct section_plot {
    float box[4];
    float ax[4];                /* the axes' area x, y, w, h (empty: no curve drawn) */
    float tp, lh;               /* type size, line height */
    float zero_y;               /* the line of loss 0 in the axes' area; NAN: not in range */
    float pts[2 * SECTION_SAMPLES];     /* the curve; NAN pairs where the loss is not finite */
    int npts;
    section_plot_mark mark[2 * SECTION_MAX_MARKS];
    int nmark;
    section_plot_mark row_mark[SECTION_MAX_ROWS];   /* each row's marker, at its left */
    section_text row[SECTION_MAX_ROWS];
    int nrow;
    section_text text[SECTION_MAX_TEXT];            /* title, axis labels */
    int ntext;
} section_plot;

/* The plot of s in box at scale, text measured by width(user, ...). */
void section_plot_layout(section_plot *p, const section_info *s, const float box[4], float scale,
                         section_text_width width, void *user);

#endif
