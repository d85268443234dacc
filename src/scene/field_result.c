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

void field_result_free(field_result *r)
{
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
 * plain evaluations), then interpolated to the field's w x h samples. 0, or -1
 * when out of memory. */
static int field_result_lmax(field_result *r, const lsfn *f, const double view[4], int w, int h,
                             int nthreads)
{
    int lw = (w + 3) / 4, lh = (h + 3) / 4;
    size_t n = (size_t)w * (size_t)h;
    float *q = malloc((size_t)lw * (size_t)lh * sizeof *q);
    if (!q || ensure(&r->lmax, n) != 0) { free(q); return -1; }
    field_lmax_fn(f, view, lw, lh, q, nthreads);
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
    free(q);
    r->lw = w;
    r->lh = h;
    return 0;
}

int field_result_compute(field_result *r, const char *spec, int is_formula, unsigned gen,
                         const double view[4], int w, int h, int want_lmax, int want_crit,
                         int nthreads, char *err, size_t errlen)
{
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    landscape ls;
    int rc = is_formula ? landscape_load_expr(&ls, spec, err, errlen)
                        : landscape_load(&ls, spec, err, errlen);
    if (rc != 0) return -1;
    if (ensure(&r->loss, (size_t)w * (size_t)h) != 0) goto oom;
    r->w = w;
    r->h = h;
    memcpy(r->view, view, sizeof r->view);
    r->gen = gen;
    /* values relative to the centre's, so float keeps the detail of a tiny view */
    double off = lsfn_value(&ls.fn, 0.5 * (view[0] + view[1]), 0.5 * (view[2] + view[3]));
    r->offset = isfinite(off) ? off : 0.0;
    field_compute_offset_fn(&ls.fn, view, w, h, r->loss, nthreads, r->offset);
    field_result_clamp(r, (size_t)w * (size_t)h);
    r->lw = r->lh = 0;
    if (want_lmax && field_result_lmax(r, &ls.fn, view, w, h, nthreads) != 0) goto oom;
    r->ncrit = -1;
    if (want_crit) {
        char cerr[128];
        r->ncrit = crit_find_fn(&ls.fn, view, NULL, r->crit, FIELD_WORKER_MAX_CRIT, cerr, sizeof cerr);
        if (r->ncrit < 0) r->ncrit = 0;
        r->hess_scale = crit_hessian_scale_fn(&ls.fn, view);
    }
    landscape_free(&ls);
    return 0;
oom:
    landscape_free(&ls);
    snprintf(err, errlen, "out of memory for a %dx%d field", w, h);
    return -1;
}
