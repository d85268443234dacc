/* field_result: one sampled view of a landscape (the loss, its curvature, the
 * critical points), computed on the calling thread. The field worker runs it in the
 * background; render, the web build and the tests call it directly. */
#include "scene/field_result.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/field.h"
#include "core/landscape.h"
#include "core/timing.h"

/* a computation in slices: the landscape compiled once, and how far it has come */
typedef struct field_progress {
    landscape ls;
    int phase;              /* 0: loss rows, 1: curvature rows, 2: critical points,
                               3: the same, their slice granted */
    int row;                /* the next row of the phase */
    float *q;               /* the quarter-resolution curvature grid, lw x lh */
    int qw, qh;
    int want_lmax, want_crit, nthreads;
} field_progress;

static void progress_free(field_result *r)
{
    if (!r->job) return;
    landscape_free(&r->job->ls);
    free(r->job->q);
    free(r->job);
    r->job = NULL;
}

void field_result_free(field_result *r)
{
    progress_free(r);
    free(r->loss);
    free(r->lmax);
    r->loss = r->lmax = NULL;
    r->w = r->h = r->lw = r->lh = 0;
}

static int ensure(float **p, size_t n)
{
    float *q = realloc(*p, n * sizeof *q);
    if (!q) return -1;
    *p = q;
    return 0;
}

/* The finite range of the n samples; infinities are moved to its ends. NaN stays:
 * the loss is undefined there (log of a negative number), which is drawn as such,
 * not as high. */
static void field_result_clamp(field_result *r, size_t n)
{
    float lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        float v = r->loss[i];
        if (!isfinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    if (!(lo <= hi)) lo = hi = 0;          /* nothing finite */
    for (size_t i = 0; i < n; i++) {
        float v = r->loss[i];
        if (v > hi) r->loss[i] = hi;
        else if (v < lo) r->loss[i] = lo;
    }
    r->vmin = lo;
    r->vmax = hi;
}

/* Curvature changes slowly: computed at a quarter of the resolution (jets cost ten
 * plain evaluations), then interpolated to the field's w x h samples. */
static void lmax_interpolate(field_result *r, float *q, int lw, int lh)
{
    int w = r->w, h = r->h;
    for (size_t i = 0; i < (size_t)lw * (size_t)lh; i++)
        if (!isfinite(q[i])) q[i] = q[i] > 0 ? 3.0e38f : 0.0f;
    for (int j = 0; j < h; j++) {
        double v = ((double)j + 0.5) * lh / h - 0.5;
        int j0 = (int)floor(v);
        double fy = v - j0;
        int ja = j0 < 0 ? 0 : j0 >= lh ? lh - 1 : j0, jb = j0 + 1 >= lh ? lh - 1 : j0 + 1 < 0 ? 0 : j0 + 1;
        for (int i = 0; i < w; i++) {
            double u = ((double)i + 0.5) * lw / w - 0.5;
            int i0 = (int)floor(u);
            double fx = u - i0;
            int ia = i0 < 0 ? 0 : i0 >= lw ? lw - 1 : i0, ib = i0 + 1 >= lw ? lw - 1 : i0 + 1 < 0 ? 0 : i0 + 1;
            double a = q[(size_t)ja * lw + ia] * (1 - fx) + q[(size_t)ja * lw + ib] * fx;
            double b = q[(size_t)jb * lw + ia] * (1 - fx) + q[(size_t)jb * lw + ib] * fx;
            r->lmax[(size_t)j * w + i] = (float)(a * (1 - fy) + b * fy);
        }
    }
    r->lw = w;
    r->lh = h;
}

int field_result_begin(field_result *r, const char *spec, int is_formula, unsigned gen,
                       const double view[4], int w, int h, int want_lmax, int want_crit,
                       int nthreads, char *err, size_t errlen)
{
    progress_free(r);
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    field_progress *p = calloc(1, sizeof *p);
    if (!p) { snprintf(err, errlen, "out of memory"); return -1; }
    int rc = is_formula ? landscape_load_expr(&p->ls, spec, err, errlen)
                        : landscape_load(&p->ls, spec, err, errlen);
    if (rc != 0) { free(p); return -1; }
    r->job = p;
    p->want_lmax = want_lmax;
    p->want_crit = want_crit;
    p->nthreads = nthreads < 1 ? 1 : nthreads;
    if (ensure(&r->loss, (size_t)w * (size_t)h) != 0) goto oom;
    if (want_lmax) {
        p->qw = (w + 3) / 4;
        p->qh = (h + 3) / 4;
        p->q = malloc((size_t)p->qw * (size_t)p->qh * sizeof *p->q);
        if (!p->q || ensure(&r->lmax, (size_t)w * (size_t)h) != 0) goto oom;
    }
    r->w = w;
    r->h = h;
    memcpy(r->view, view, sizeof r->view);
    r->gen = gen;
    r->lw = r->lh = 0;
    r->ncrit = -1;
    /* values relative to the centre's, so float keeps the detail of a tiny view */
    double off = lsfn_value(&p->ls.fn, 0.5 * (view[0] + view[1]), 0.5 * (view[2] + view[3]));
    r->offset = isfinite(off) ? off : 0.0;
    return 0;
oom:
    progress_free(r);
    snprintf(err, errlen, "out of memory for a %dx%d field", w, h);
    return -1;
}

int field_result_step(field_result *r, double deadline, char *err, size_t errlen)
{
    field_progress *p = r->job;
    if (!p) { snprintf(err, errlen, "no field is being computed"); return -1; }
    /* one band at a time, the clock read between bands: a band is a few rows, more
       threads take more; with no deadline, each phase at once */
    int band = isfinite(deadline) ? 2 * p->nthreads : (r->h > p->qh ? r->h : p->qh);
    while (p->phase == 0) {
        if (p->row >= r->h) {
            field_result_clamp(r, (size_t)r->w * (size_t)r->h);
            p->phase = p->want_lmax ? 1 : 2;
            p->row = 0;
            break;
        }
        field_rows_offset_fn(&p->ls.fn, r->view, r->w, r->h, p->row, p->row + band, r->loss, p->nthreads, r->offset);
        p->row += band;
        if (os_now() >= deadline) return 1;
    }
    while (p->phase == 1) {
        if (p->row >= p->qh) {
            lmax_interpolate(r, p->q, p->qw, p->qh);
            p->phase = 2;
            break;
        }
        field_rows_lmax_fn(&p->ls.fn, r->view, p->qw, p->qh, p->row, p->row + band, p->q, p->nthreads);
        p->row += band;
        if (os_now() >= deadline) return 1;
    }
    if (p->want_crit && p->phase == 2 && os_now() >= deadline) {
        p->phase = 3;                         /* the critical points get a slice of their own */
        return 1;
    }
    if (p->want_crit) {
        char cerr[128];
        r->ncrit = crit_find_fn(&p->ls.fn, r->view, NULL, r->crit, FIELD_WORKER_MAX_CRIT, cerr, sizeof cerr);
        if (r->ncrit < 0) r->ncrit = 0;
        r->hess_scale = crit_hessian_scale_fn(&p->ls.fn, r->view);
    }
    progress_free(r);
    return 0;
}

int field_result_compute(field_result *r, const char *spec, int is_formula, unsigned gen,
                         const double view[4], int w, int h, int want_lmax, int want_crit,
                         int nthreads, char *err, size_t errlen)
{
    if (field_result_begin(r, spec, is_formula, gen, view, w, h, want_lmax, want_crit, nthreads, err, errlen) != 0)
        return -1;
    return field_result_step(r, INFINITY, err, errlen) == 0 ? 0 : -1;
}
