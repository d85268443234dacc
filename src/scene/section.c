/* section: see section.h. */
#include "scene/section.h"

#include <math.h>
#include <stdlib.h>

void section_point(const double seg[4], double t, double *x, double *y)
{
    *x = seg[0] + t * (seg[2] - seg[0]);
    *y = seg[1] + t * (seg[3] - seg[1]);
}

double section_length(const double seg[4]) { return hypot(seg[2] - seg[0], seg[3] - seg[1]); }

void section_sample(const lsfn *f, const double seg[4], int n, double *out)
{
    for (int i = 0; i < n; i++) {
        double x, y;
        section_point(seg, n > 1 ? (double)i / (n - 1) : 0, &x, &y);
        out[i] = lsfn_value(f, x, y);
    }
}

/* Newton's method on g(t) = grad f . d with g'(t) = d^T H d from t, kept inside
 * (lo, hi) with a positive curvature; 0 when it converged there. */
static int newton_on_line(const lsfn *f, const double seg[4], double lo, double hi, double *t)
{
    double dx = seg[2] - seg[0], dy = seg[3] - seg[1], s = *t;
    for (int it = 0; it < 40; it++) {
        double x, y;
        section_point(seg, s, &x, &y);
        jet2 j = lsfn_jet(f, x, y);
        double g = j.gx * dx + j.gy * dy;
        double h = dx * dx * j.hxx + 2 * dx * dy * j.hxy + dy * dy * j.hyy;
        if (!(h > 0) || !isfinite(g)) return -1;
        double step = g / h;
        s -= step;
        if (!(s > lo && s < hi)) return -1;
        if (fabs(step) <= 1e-14 * (1 + fabs(s))) {
            *t = s;
            return 0;
        }
    }
    return -1;
}

static int by_f(const void *a, const void *b)
{
    double fa = ((const section_mark *)a)->f, fb = ((const section_mark *)b)->f;
    return (fa > fb) - (fa < fb);
}

static int by_t(const void *a, const void *b)
{
    double ta = ((const section_mark *)a)->t, tb = ((const section_mark *)b)->t;
    return (ta > tb) - (ta < tb);
}

int section_minima(const lsfn *f, const double seg[4], const double *v, int n, section_mark *out, int max)
{
    int m = 0;
    double dt = n > 1 ? 1.0 / (n - 1) : 1;
    for (int i = 1; i + 1 < n && m < max; i++) {
        if (!(v[i] < v[i - 1])) continue;
        int j = i;
        while (j + 1 < n && v[j + 1] == v[i]) j++;
        if (j + 1 >= n || !(v[j + 1] > v[j])) {
            i = j;
            continue;
        }
        /* the bracket (t_{i-1}, t_{j+1}); a start at the sampled parabola's vertex */
        double lo = (i - 1) * dt, hi = (j + 1) * dt, t = 0.5 * (i + j) * dt;
        if (i == j) {
            double a = v[i - 1], b = v[i], c = v[i + 1], den = a - 2 * b + c;
            if (den > 0) t = i * dt + 0.5 * dt * (a - c) / den;
        }
        double t0 = t;
        if (newton_on_line(f, seg, lo, hi, &t) != 0) t = t0;
        double x, y;
        section_point(seg, t, &x, &y);
        double fv = lsfn_value(f, x, y);
        if (!(fv <= v[(i + j) / 2])) {   /* never worse than the sample itself */
            t = (i + j) / 2 * dt;
            fv = v[(i + j) / 2];
        }
        out[m++] = (section_mark){.t = t, .f = fv, .crit = -1, .kind = CRIT_MIN, .curv = NAN};
        i = j;
    }
    qsort(out, (size_t)m, sizeof *out, by_f);
    return m;
}

int section_crossings(const crit_point *c, int nc, const double seg[4], double tol, section_mark *out, int max)
{
    double dx = seg[2] - seg[0], dy = seg[3] - seg[1], l2 = dx * dx + dy * dy;
    if (!(l2 > 0)) return 0;
    double len = sqrt(l2), ux = dx / len, uy = dy / len;
    int m = 0;
    for (int k = 0; k < nc && m < max; k++) {
        double t = ((c[k].x - seg[0]) * dx + (c[k].y - seg[1]) * dy) / l2;
        if (t < 0) t = 0;
        if (t > 1) t = 1;
        double x, y;
        section_point(seg, t, &x, &y);
        if (!(hypot(x - c[k].x, y - c[k].y) <= tol)) continue;
        double a = ux * c[k].v1[0] + uy * c[k].v1[1], b = ux * c[k].v2[0] + uy * c[k].v2[1];
        out[m++] = (section_mark){.t = t, .f = c[k].f, .crit = k, .kind = (int)c[k].kind,
                                  .curv = c[k].l1 * a * a + c[k].l2 * b * b};
    }
    qsort(out, (size_t)m, sizeof *out, by_t);
    return m;
}

static int overlaps(const float a[4], const float b[4])
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

static float clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

void section_plot_rect(const float canvas[4], float scale, const float (*avoid)[4], int navoid, float out[4])
{
    float cw = canvas[2], ch = canvas[3], m = 10 * scale;
    float w = clampf(0.32f * cw, fminf(280 * scale, 0.5f * cw), 0.5f * cw);
    float h = clampf(0.27f * ch, fminf(170 * scale, 0.4f * ch), 0.4f * ch);
    float x = canvas[0] + cw - w - m, top = canvas[1] + m, bottom = canvas[1] + ch - m;
    /* candidate tops: the corner, then below and above each box */
    float ys[1 + 2 * 8];
    int ny = 0;
    ys[ny++] = top;
    for (int k = 0; k < navoid && k < 8; k++) {
        ys[ny++] = avoid[k][1] + avoid[k][3] + m;
        ys[ny++] = avoid[k][1] - m - h;
    }
    for (int c = 0; c < ny; c++) {
        float r[4] = {x, ys[c], w, h};
        if (r[1] < top || r[1] + h > bottom) continue;
        int clear = 1;
        for (int k = 0; k < navoid && clear; k++) clear = !overlaps(r, avoid[k]);
        if (clear) {
            out[0] = r[0], out[1] = r[1], out[2] = w, out[3] = h;
            return;
        }
    }
    out[0] = x, out[1] = top, out[2] = w, out[3] = h;
}
