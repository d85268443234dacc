/* section: see section.h. */
#include "scene/section.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

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

void section_plot_place(const float canvas[4], float scale, const float (*hard)[4], int nhard,
                        const float (*soft)[4], int nsoft, float out[4])
{
    enum { MAXB = 24 };
    float all[MAXB][4];
    int n = 0;
    for (int i = 0; i < nhard && n < MAXB; i++) memcpy(all[n++], hard[i], sizeof all[0]);
    int nh = n;
    for (int i = 0; i < nsoft && n < MAXB; i++) memcpy(all[n++], soft[i], sizeof all[0]);
    static const float narrow[3] = {1, 0.85f, 0.7f};
    for (int k = 0; k < 3 && n > nh; k++) {
        float cw = canvas[2] * narrow[k], c[4] = {canvas[0] + canvas[2] - cw, canvas[1], cw, canvas[3]};
        section_plot_rect(c, scale, (const float(*)[4])all, n, out);
        int clear = 1;
        for (int i = 0; i < n && clear; i++) clear = !overlaps(out, all[i]);
        if (clear) return;
    }
    section_plot_rect(canvas, scale, (const float(*)[4])all, nh, out);
}

void section_crit_box(int kind, int arrows, float px, float py, float scale, float out[4])
{
    float s = scale;
    if (kind == CRIT_SADDLE && arrows)
        out[0] = px - 50 * s, out[1] = py - 90 * s, out[2] = 130 * s, out[3] = 150 * s;
    else
        out[0] = px - 12 * s, out[1] = py - 12 * s, out[2] = out[3] = 24 * s;
}

void section_compute(section_info *s, const lsfn *f, const double seg[4], const crit_point *c, int nc, double tol)
{
    memcpy(s->seg, seg, sizeof s->seg);
    section_sample(f, seg, SECTION_SAMPLES, s->v);
    s->nmin = section_minima(f, seg, s->v, SECTION_SAMPLES, s->min, SECTION_MAX_MARKS);
    s->ncross = section_crossings(c, nc, seg, tol, s->cross, SECTION_MAX_MARKS);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < SECTION_SAMPLES; i++)
        if (isfinite(s->v[i])) lo = fmin(lo, s->v[i]), hi = fmax(hi, s->v[i]);
    for (int k = 0; k < s->nmin; k++)
        if (isfinite(s->min[k].f)) lo = fmin(lo, s->min[k].f), hi = fmax(hi, s->min[k].f);
    for (int k = 0; k < s->ncross; k++)
        if (isfinite(s->cross[k].f)) lo = fmin(lo, s->cross[k].f), hi = fmax(hi, s->cross[k].f);
    s->lo = lo;
    s->hi = hi;
}

/* v with 3 significant digits, its minus sign the typographic one. */
static void fmt_num(char *b, size_t n, const char *fmt, double v)
{
    char t[48];
    snprintf(t, sizeof t, fmt, v);
    size_t o = 0;
    for (const char *p = t; *p && o + 4 < n; p++) {
        if (*p == '-') { memcpy(b + o, "\xe2\x88\x92", 3); o += 3; }
        else b[o++] = *p;
    }
    b[o] = '\0';
}

static const char *kind_name(int kind)
{
    switch (kind) {
    case CRIT_MIN: return "minimum";
    case CRIT_MAX: return "maximum";
    case CRIT_SADDLE: return "saddle";
    default: return "degenerate point";
    }
}

/* The words of mark m, the longest of its wordings that fits in room at px. */
static void mark_words(char *out, size_t n, const section_mark *m, int along, float room, float px,
                       section_text_width width, void *user)
{
    char v[48], c[48], w[4][128];
    int nw = 0;
    if (along) {
        fmt_num(v, sizeof v, "%.3g", m->f);
        snprintf(w[nw++], sizeof w[0], "minimum along the line, loss %s", v);
        snprintf(w[nw++], sizeof w[0], "minimum along the line");
        snprintf(w[nw++], sizeof w[0], "min along line");
    } else {
        const char *k = kind_name(m->kind);
        int pos = m->curv > 0, neg = m->curv < 0;
        const char *rel = pos ? "> 0" : neg ? "< 0" : "= 0";
        fmt_num(c, sizeof c, "%+.3g", m->curv);
        snprintf(w[nw++], sizeof w[0], "%s in the plane: uᵀHu = %s %s, a %s along this line", k, c, rel,
                 pos ? "minimum" : neg ? "maximum" : "flat point");
        snprintf(w[nw++], sizeof w[0], "%s in the plane, uᵀHu = %s %s", k, c, rel);
        snprintf(w[nw++], sizeof w[0], "%s in plane, uᵀHu %s", k, rel);
    }
    int i = 0;
    while (i + 1 < nw && width(user, w[i], px) > room) i++;
    snprintf(out, n, "%s", w[i]);
}

static section_text *add_text(section_plot *p, float x, float y, int dim, const char *s)
{
    if (p->ntext >= SECTION_MAX_TEXT) return NULL;
    section_text *t = &p->text[p->ntext++];
    t->x = x, t->y = y, t->dim = dim;
    snprintf(t->s, sizeof t->s, "%s", s);
    return t;
}

/* The title, the longest wording that fits. */
static void title_text(section_plot *p, float x, float y, float room, section_text_width width, void *user)
{
    static const char *const w[] = {"loss along the section, A → B", "loss along A → B", "loss, A → B"};
    int i = 0;
    while (i < 2 && width(user, w[i], p->tp) > room) i++;
    add_text(p, x, y, 1, w[i]);
}

void section_plot_layout(section_plot *p, const section_info *s, const float box[4], float scale,
                         section_text_width width, void *user)
{
    memset(p, 0, sizeof *p);
    memcpy(p->box, box, sizeof p->box);
    p->zero_y = NAN;
    float sc = scale, pad = 8 * sc, bx = box[0], by = box[1], bw = box[2], bh = box[3];
    float tp = p->tp = 11.5f * sc, lh = p->lh = 1.25f * tp;
    title_text(p, bx + pad, by + pad * 0.6f, bw - 2 * pad, width, user);
    /* the marks in order of t: each minimum along the line, then what the line
       crosses there */
    section_mark all[2 * SECTION_MAX_MARKS];
    int along[2 * SECTION_MAX_MARKS], nall = 0;
    for (int k = 0; k < s->nmin; k++) all[nall] = s->min[k], along[nall++] = 1;
    for (int k = 0; k < s->ncross; k++) all[nall] = s->cross[k], along[nall++] = 0;
    for (int i = 1; i < nall; i++)   /* insertion sort by t, minima first at a tie */
        for (int j = i; j > 0 && (all[j].t < all[j - 1].t - 1e-9 ||
                                  (fabs(all[j].t - all[j - 1].t) <= 1e-9 && along[j] > along[j - 1])); j--) {
            section_mark tm = all[j];
            all[j] = all[j - 1], all[j - 1] = tm;
            int ta = along[j];
            along[j] = along[j - 1], along[j - 1] = ta;
        }
    /* rows for the marks, as many as leave the curve 40 px of height */
    float top = by + pad * 0.6f + lh + 4 * sc, rowh = lh;
    int nrow = nall < SECTION_MAX_ROWS ? nall : SECTION_MAX_ROWS;
    while (nrow > 0 && by + bh - pad - nrow * rowh - lh - 4 * sc - top < 40 * sc) nrow--;
    float rows_y = by + bh - pad - nrow * rowh;
    for (int r = 0; r < nrow; r++) {
        float y = rows_y + r * rowh, tx = bx + pad + 14 * sc;
        int more = r == nrow - 1 && nall > nrow;
        p->row_mark[r] = (section_plot_mark){bx + pad + 5 * sc, y + 0.5f * lh, along[r], all[r].kind};
        p->row[r].x = tx, p->row[r].y = y, p->row[r].dim = 0;
        if (more) {
            p->row_mark[r].kind = -1;
            snprintf(p->row[r].s, sizeof p->row[r].s, "and %d more mark%s on the curve", nall - r,
                     nall - r > 1 ? "s" : "");
        } else {
            mark_words(p->row[r].s, sizeof p->row[r].s, &all[r], along[r], bx + bw - pad - tx, tp, width, user);
        }
    }
    p->nrow = nrow;
    if (!(s->lo <= s->hi)) {
        add_text(p, bx + pad, top, 1, "the loss is not defined along it");
        return;
    }
    /* the y axis: the range and 8% more above and below */
    double lo = s->lo, hi = s->hi, span = hi - lo;
    if (!(span > 1e-12 * fmax(1, fmax(fabs(lo), fabs(hi))))) span = fmax(1e-12, 0.05 * fabs(hi)) + 1e-300;
    double ylo = lo - 0.08 * span, yhi = hi + 0.08 * span;
    char a[48], b[48];
    fmt_num(a, sizeof a, "%.3g", hi);
    fmt_num(b, sizeof b, "%.3g", lo);
    float lw = fmaxf(width(user, a, tp), width(user, b, tp));
    float x0 = bx + pad + lw + 5 * sc, x1 = bx + bw - pad - 4 * sc;
    float y0 = top + 0.5f * lh, y1 = (nrow ? rows_y - 2 * sc : by + bh - pad) - lh - 2 * sc;
    if (x1 - x0 < 30 * sc || y1 - y0 < 20 * sc) return;
    p->ax[0] = x0, p->ax[1] = y0, p->ax[2] = x1 - x0, p->ax[3] = y1 - y0;
#define PLOT_Y(v) (y1 - (float)(((v) - ylo) / (yhi - ylo)) * (y1 - y0))
    add_text(p, bx + pad + lw - width(user, a, tp), PLOT_Y(hi) - 0.5f * lh, 1, a);
    add_text(p, bx + pad + lw - width(user, b, tp), PLOT_Y(lo) - 0.5f * lh, 1, b);
    if (ylo < 0 && yhi > 0) p->zero_y = PLOT_Y(0.0);
    add_text(p, x0, y1 + 2 * sc, 0, "A");
    add_text(p, x1 - width(user, "B", tp), y1 + 2 * sc, 0, "B");
    for (int i = 0; i < SECTION_SAMPLES; i++) {
        float x = x0 + (x1 - x0) * (float)i / (SECTION_SAMPLES - 1);
        p->pts[2 * i] = isfinite(s->v[i]) ? x : NAN;
        p->pts[2 * i + 1] = isfinite(s->v[i]) ? PLOT_Y(s->v[i]) : NAN;
    }
    p->npts = SECTION_SAMPLES;
    for (int k = 0; k < nall; k++) {
        if (!isfinite(all[k].f)) continue;
        p->mark[p->nmark++] = (section_plot_mark){x0 + (x1 - x0) * (float)all[k].t, PLOT_Y(all[k].f), along[k],
                                                  all[k].kind};
    }
#undef PLOT_Y
}
