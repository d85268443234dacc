/* scene_view_chart: the loss chart (every runner's loss, the selected one's learning
 * rate), the rewind strip under it, and the cross-section's plot (the loss along
 * the segment, laid out by scene/section.c as the SVG has it). */
#include "app/views/scene_view.h"
#include "app/views/scene_view_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMELINE_H 16   /* the rewind strip under the chart, at scale 1 */

void scene_chart_rect(const scene_view *sv, float out[4])
{
    float w = sv->w * 0.34f, h = sv->h * 0.28f;
    float below = (TIMELINE_H + 16) * sv->scale;
    /* large text widens the chart, but never past half the canvas's width or a third
       of its height: the map stays the lesson */
    float wmin = fminf(260 * sv->scale, sv->w * 0.5f), hmin = fminf(150 * sv->scale, sv->h * 0.33f);
    if (w < wmin) w = wmin;
    if (h < hmin) h = hmin;
    if (w > sv->w - 20 * sv->scale) w = sv->w - 20 * sv->scale;
    if (h > sv->h - 20 * sv->scale - below) h = sv->h - 20 * sv->scale - below;
    if (h < 1) h = 1;
    out[0] = sv->x + 10 * sv->scale;
    out[1] = sv->y + sv->h - h - 10 * sv->scale - below;
    out[2] = w;
    out[3] = h;
}

int scene_chart_shown(const live *L)
{
    return L->disp.chart && (!L->disp.class_mode || L->disp.class_chart) && L->nrun > 0;
}

int scene_timeline_rect(const live *L, const scene_view *sv, float out[4])
{
    if (!scene_chart_shown(L) || sv->figure) return 0;
    float R[4];
    scene_chart_rect(sv, R);
    out[0] = R[0];
    out[1] = R[1] + R[3] + 8 * sv->scale;
    out[2] = R[2];
    out[3] = TIMELINE_H * sv->scale;
    return 1;
}

long scene_timeline_step(const live *L, const scene_view *sv, float mx)
{
    float R[4];
    if (!scene_timeline_rect(L, sv, R) || !(R[2] > 0)) return L->step;
    double t = (mx - R[0]) / R[2];
    if (!(t > 0)) t = 0;
    if (t > 1) t = 1;
    return (long)llround(t * (double)L->step_max);
}

/* The rewind strip: the run so far (0 .. step_max) with the present as a handle. */
static void draw_timeline(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    float T[4];
    if (!scene_timeline_rect(L, sv, T)) return;
    float r = T[3] / 2;
    scene_draw_box(g, T[0], T[1], T[2], T[3], sv->scale, th);
    double f = L->step_max > 0 ? (double)L->step / (double)L->step_max : 1;
    float x = T[0] + (float)f * T[2];
    gfx_rect(g, T[0], T[1] + r - 2 * sv->scale, x - T[0], 4 * sv->scale, 2 * sv->scale,
             GFX_WITH_ALPHA(th->text, 0x90));
    gfx_marker(g, GFX_CIRCLE, x, T[1] + r, r * 0.8f, th->text, th->halo, 1.2f * sv->scale);
    char b[96];
    float tp = 11 * sv->scale;
    if (L->step < L->step_max)
        snprintf(b, sizeof b, "step %ld of %ld: drag to rewind, Space resumes", L->step, L->step_max);
    else
        snprintf(b, sizeof b, "step %ld: drag back to rewind", L->step);
    /* on a box of its own: over the bright end of the colour map it was unreadable */
    float tw = gfx_text_width(g, b, -1, tp), th_ = gfx_line_height(g, tp), pad = 4 * sv->scale;
    float by = T[1] + T[3] + 2 * sv->scale;
    if (tw > T[2] - 2 * pad) tw = T[2] - 2 * pad;
    gfx_rect(g, T[0], by, tw + 2 * pad, th_ + 2, 3 * sv->scale, th->box);
    gfx_clip(g, T[0], by, tw + 2 * pad, th_ + 2);
    gfx_text(g, T[0] + pad, by + 1, b, -1, tp, th->text_dim);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
}

/* The plot's frame: where it is, its type, and the axes' ranges (the y axis in
 * decades, lo .. hi, of the loss less shift). */
typedef struct chart_frame {
    float px0, px1, py0, py1, tp, lh;
    double lo, hi, shift;
    long smax;
    int shifted, ntest;
} chart_frame;

/* The y range: log10 of the loss, or of the loss above the lowest value seen when
 * some loss is not positive; 0 when there is nothing to plot. The axis follows the
 * runners still running: one that diverged (its loss at 1e38 before it was
 * stopped) would squash every other line into the floor; it is drawn up to the top
 * and marked there. Only when every runner diverged do they set the axis. */
static int chart_range(const live *L, chart_frame *f)
{
    int any_ok = 0;
    for (int k = 0; k < L->nrun; k++) any_ok |= L->run[k].visible && !L->run[k].r.diverged;
#define CHART_SETS_AXIS(lr) ((lr)->visible && (!any_ok || !(lr)->r.diverged))
    double lo = INFINITY, hi = -INFINITY, fmin = INFINITY;
    long smax = 1;
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible) continue;
        long s = (long)(lr->hist.len - 1) * lr->hist.stride;
        if (s > smax) smax = s;
        if (!CHART_SETS_AXIS(lr)) continue;
        for (int i = 0; i < lr->hist.len; i++) {
            double v = lr->hist.loss[i];
            if (isfinite(v) && v < fmin) fmin = v;
        }
    }
    f->smax = smax;
    if (!isfinite(fmin)) return 0;
    double shift = 0;
    int shifted = fmin <= 0;
    if (shifted) {
        double top = -INFINITY;
        for (int k = 0; k < L->nrun; k++) {
            if (!CHART_SETS_AXIS(&L->run[k])) continue;
            for (int i = 0; i < L->run[k].hist.len; i++)
                if (isfinite(L->run[k].hist.loss[i]) && L->run[k].hist.loss[i] > top)
                    top = L->run[k].hist.loss[i];
        }
        shift = fmin - fmax((top - fmin) * 1e-9, 1e-300);
    }
    int ntest = L->test_f ? 2 : 1;   /* train, and test where the scene has a test set */
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!CHART_SETS_AXIS(lr)) continue;
        for (int t = 0; t < ntest; t++)
            for (int i = 0; i < lr->hist.len; i++) {
                double v = lr->hist.loss[t * LIVE_HIST_CAP + i] - shift;
                if (!(v > 0) || !isfinite(v)) continue;
                double lv = log10(v);
                if (lv < lo) lo = lv;
                if (lv > hi) hi = lv;
            }
    }
#undef CHART_SETS_AXIS
    if (!(lo <= hi)) return 0;
    lo = floor(lo);
    hi = ceil(hi);
    if (hi - lo < 1) hi = lo + 1;
    f->lo = lo;
    f->hi = hi;
    f->shift = shift;
    f->shifted = shifted;
    f->ntest = ntest;
    return 1;
}

/* The grid, the decade and step labels, and the title (returned, with its type
 * size ttp: shorter, then smaller, to stay inside the chart's box R). */
static const char *chart_axes(gfx *g, const live *L, const scene_view *sv, const scene_theme *th,
                              const chart_frame *f, const float R[4], float *ttp_out)
{
    float px0 = f->px0, px1 = f->px1, py0 = f->py0, py1 = f->py1, tp = f->tp, lh = f->lh;
    double lo = f->lo, hi = f->hi;
    int shifted = f->shifted;
    int step = (int)ceil((hi - lo) / 5.0);
    if (step < 1) step = 1;
    for (double d = lo; d <= hi + 1e-9; d += step) {
        float y = py1 - (float)((d - lo) / (hi - lo)) * (py1 - py0);
        gfx_line(g, px0, y, px1, y, 1, th->grid);
        char b[32];
        snprintf(b, sizeof b, "1e%d", (int)d);
        gfx_text(g, px0 - gfx_text_width(g, b, -1, tp) - 4 * sv->scale, y - lh / 2, b, -1, tp, th->text_dim);
    }
    char b[64];
    snprintf(b, sizeof b, "%ld", f->smax);
    gfx_text(g, px1 - gfx_text_width(g, b, -1, tp), py1 + 3 * sv->scale, b, -1, tp, th->text_dim);
    gfx_text(g, px0, py1 + 3 * sv->scale, "0", -1, tp, th->text_dim);
    const char *title = L->test_f ? (shifted ? "train (thick), test (thin) − min (log)   step →"
                                             : "train loss (thick), test (thin), log   step →")
                        : shifted ? "loss − min seen (log)   step →" : "loss (log)   step →";
    float room = R[0] + R[2] - px0 - 6 * sv->scale, ttp = tp;
    if (gfx_text_width(g, title, -1, ttp) > room) title = L->test_f ? "train, test (thin), log" : shifted ? "loss − min (log)" : "loss (log)";
    while (gfx_text_width(g, title, -1, ttp) > room && ttp > tp * 0.7f) ttp *= 0.9f;
    gfx_text(g, px0, R[1] + 4 * sv->scale, title, -1, ttp, th->text_dim);
    *ttp_out = ttp;
    return title;
}

/* The learning rate of the selected runner, on its own linear axis at the right,
 * dashed and named at the top right when there is room beside the title. */
static void chart_lr(gfx *g, const live *L, const scene_view *sv, const scene_theme *th, const chart_frame *f,
                     const float R[4], const char *title, float ttp)
{
    float px0 = f->px0, px1 = f->px1, py0 = f->py0, py1 = f->py1, tp = f->tp;
    long smax = f->smax;
    char b[64];
    if (L->selected >= 0 && L->selected < L->nrun) {
        const runner *r = &L->run[L->selected].r;
        enum { np = SCENE_LR_NP };
        float pts[2 * np];
        /* the schedule walked to smax once per schedule, rate and length, not every
           frame (50 000 steps of it at step 50 000) */
        scene_lr_cache *lc = &sv->cache->lr;
        if (!lc->valid || memcmp(&lc->d, &r->d.sched, sizeof lc->d) != 0 || lc->lr0 != r->d.opt.lr || lc->smax != smax) {
            sched_state ss;
            sched_start(&ss, &r->d.sched, r->d.opt.lr);
            lc->lmax = 0;
            long at = 0;
            for (int i = 0; i < np; i++) {
                long s = (long)((double)smax * i / (np - 1));
                double v = ss.lr;
                while (at <= s) { v = sched_next(&ss); at++; }
                lc->lrs[i] = v;
                if (v > lc->lmax) lc->lmax = v;
            }
            memcpy(&lc->d, &r->d.sched, sizeof lc->d);
            lc->lr0 = r->d.opt.lr;
            lc->smax = smax;
            lc->valid = 1;
        }
        const double *lrs = lc->lrs;
        double lmax = lc->lmax;
        if (lmax > 0) {
            for (int i = 0; i < np; i++) {
                pts[2 * i] = px0 + (px1 - px0) * i / (np - 1);
                pts[2 * i + 1] = py1 - (float)(lrs[i] / lmax) * (py1 - py0) * 0.95f;
            }
            /* named at the top right of the plot, inside the chart's box, in the
               theme's text colour (no runner has it); drawn only with its name and
               dashed, so it never reads as a loss line or a grid line */
            snprintf(b, sizeof b, "lr (max %.2g), dashed", lmax);
            float lw = gfx_text_width(g, b, -1, tp);
            if (px1 - lw > px0 + gfx_text_width(g, title, -1, ttp) + 8 * sv->scale) {
                uint32_t c = GFX_WITH_ALPHA(th->text, 0xc0);
                gfx_text(g, px1 - lw, R[1] + 4 * sv->scale, b, -1, tp, th->text);
                float dash = 6 * sv->scale, gap = 4 * sv->scale, run = 0;
                int on = 1, i0 = 0;
                for (int i = 1; i < np; i++) {
                    run += hypotf(pts[2 * i] - pts[2 * i - 2], pts[2 * i + 1] - pts[2 * i - 1]);
                    if (run >= (on ? dash : gap) || i == np - 1) {
                        if (on && i > i0) gfx_polyline(g, pts + 2 * i0, i - i0 + 1, 1.4f * sv->scale, NULL, c);
                        on = !on;
                        run = 0;
                        i0 = i;
                    }
                }
            }
        }
    }
}

/* One runner's loss history (t 0: train, 1: test) as the chart's polyline, in pts
 * (room for LIVE_HIST_CAP points): one pixel column holds what a line can show of
 * it, its lowest and highest value, the one nearer the line so far first; so a
 * 50 000-step history (or an oscillating one, a spike a point) costs what a short
 * one does. *end_x: where the line ends (or left the top of the axis). */
static void chart_curve(gfx *g, const chart_frame *f, const live_runner *lr, int t, uint32_t col, float width,
                        float scale, float *pts, float *end_x)
{
    float px0 = f->px0, px1 = f->px1, py0 = f->py0, py1 = f->py1;
    double lo = f->lo, hi = f->hi, shift = f->shift;
    long smax = f->smax;
    const float *h = lr->hist.loss + t * LIVE_HIST_CAP;
    int m = 0, topped = 0, cn = 0;
    float lx = 0, ly = 0, tx = 0, ccol = 0, cx = 0, cy = 0, cmin = 0, cmax = 0;
#define CHART_FLUSH()                                                               \
    do {                                                                            \
        if (cn == 1) {                                                              \
            pts[2 * m] = cx, pts[2 * m + 1] = cy, m++;                              \
        } else if (cn > 1) {                                                        \
            float ya = cmin, yb = cmax;                                             \
            if (m > 0 && fabsf(ly - cmax) < fabsf(ly - cmin)) ya = cmax, yb = cmin; \
            pts[2 * m] = cx, pts[2 * m + 1] = ya, m++;                              \
            if (yb != ya) pts[2 * m] = cx, pts[2 * m + 1] = yb, m++;                \
        }                                                                           \
        if (m > 0) lx = pts[2 * m - 2], ly = pts[2 * m - 1];                        \
        cn = 0;                                                                     \
    } while (0)
    for (int i = 0; i < lr->hist.len && !topped; i++) {
        double v = h[i] - shift;
        if (!(v > 0) || !isfinite(v)) {
            CHART_FLUSH();
            if (lr->r.diverged && i > 0 && m > 0) { topped = 1; tx = lx; }
            if (m >= 2) gfx_polyline(g, pts, m, width, NULL, col);
            m = 0;
            continue;
        }
        double s = (double)i * (double)lr->hist.stride;
        float x = px0 + (float)(s / (double)smax) * (px1 - px0);
        double u = (log10(v) - lo) / (hi - lo);
        if (u > 1) {
            /* off the top (a diverging runner): up to the edge, then the mark */
            u = 1;
            topped = 1;
            tx = x;
        }
        float y = py1 - (float)u * (py1 - py0);
        float column = floorf(x);
        if (cn > 0 && column != ccol) CHART_FLUSH();
        if (i + 1 == lr->hist.len || topped) {
            /* the present (or where it left the axis): exactly where it is */
            CHART_FLUSH();
            pts[2 * m] = x, pts[2 * m + 1] = y, m++;
            lx = x, ly = y;
            continue;
        }
        if (cn == 0) {
            ccol = column, cx = x, cy = y, cmin = cmax = y;
        } else {
            if (y < cmin) cmin = y;
            if (y > cmax) cmax = y;
        }
        cn++;
    }
    CHART_FLUSH();
#undef CHART_FLUSH
    if (m >= 2) gfx_polyline(g, pts, m, width, NULL, col);
    else if (m == 1) gfx_marker(g, GFX_CIRCLE, pts[0], pts[1], 2.5f * scale, col, 0, 0);
    if (!topped) tx = m > 0 ? lx : px0;
    *end_x = tx;
}

/* Every runner's loss, test lines first (thin and faint, under the train ones), and
 * a cross at the top of the plot above the step a diverged runner left. */
static void chart_curves(gfx *g, const live *L, const scene_view *sv, const chart_frame *f)
{
    float px0 = f->px0, px1 = f->px1, py0 = f->py0, py1 = f->py1;
    float *pts = malloc(2 * LIVE_HIST_CAP * sizeof *pts);
    if (!pts) return;
    gfx_clip(g, px0, py0 - 2, px1 - px0, py1 - py0 + 4);
    float mark_x[LIVE_MAX_RUNNERS];
    int marked[LIVE_MAX_RUNNERS] = {0};
    for (int t = f->ntest - 1; t >= 0; t--)
        for (int k = 0; k < L->nrun; k++) {
            const live_runner *lr = &L->run[k];
            if (!lr->visible || lr->hist.len < 1) continue;
            uint32_t col = live_runner_color(L, k);
            float width = 1.8f * sv->scale;
            if (t == 1) {
                col = GFX_WITH_ALPHA(col, 0x90);
                width = 1.1f * sv->scale;
            }
            float end_x;
            chart_curve(g, f, lr, t, col, width, sv->scale, pts, &end_x);
            if (t == 0 && lr->r.diverged) {
                mark_x[k] = end_x;
                marked[k] = 1;
            }
        }
    free(pts);
    gfx_clip(g, 0, 0, -1, -1);
    /* a diverged runner: a cross at the top of the plot, above the step it left */
    for (int k = 0; k < L->nrun; k++) {
        if (!marked[k]) continue;
        float x = mark_x[k] < px0 + 6 * sv->scale ? px0 + 6 * sv->scale : mark_x[k];
        gfx_marker(g, GFX_CROSS, x, py0 + 3 * sv->scale, 6 * sv->scale, live_runner_color(L, k), 0, 0);
    }
}

void scene_draw_chart(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!scene_chart_shown(L)) return;
    draw_timeline(g, L, sv, th);
    float R[4];
    scene_chart_rect(sv, R);
    if (R[2] < 60 || R[3] < 40) return;
    chart_frame f = {.tp = 11.5f * sv->scale};
    f.lh = gfx_line_height(g, f.tp);
    scene_draw_box(g, R[0], R[1], R[2], R[3], sv->scale, th);
    f.px0 = R[0] + 44 * sv->scale;
    f.px1 = R[0] + R[2] - 40 * sv->scale;
    f.py0 = R[1] + f.lh + 8 * sv->scale;
    f.py1 = R[1] + R[3] - f.lh - 8 * sv->scale;
    if (f.px1 - f.px0 < 20 || f.py1 - f.py0 < 20) return;
    if (!chart_range(L, &f)) return;
    float ttp;
    const char *title = chart_axes(g, L, sv, th, &f, R, &ttp);
    chart_lr(g, L, sv, th, &f, R, title, ttp);
    chart_curves(g, L, sv, &f);
    gfx_line(g, f.px0, f.py1, f.px1, f.py1, 1, th->text_dim);
    gfx_line(g, f.px0, f.py0, f.px0, f.py1, 1, th->text_dim);
}

/* ---- the cross-section's plot -------------------------------------------------- */

int scene_section_shown(const live *L) { return L->section.on && L->section.set; }

void scene_section_rect(gfx *g, const live *L, const scene_view *sv, const scene_field *sf, float out[4])
{
    float avoid[3][4];
    int n = 0;
    if (scene_legend_rect(g, L, sv, sf, avoid[n])) n++;
    if (scene_caption_rect(g, L, sv, avoid[n])) n++;
    if (scene_chart_shown(L)) {
        float T[4];
        scene_chart_rect(sv, avoid[n]);
        if (scene_timeline_rect(L, sv, T)) avoid[n][3] = T[1] + T[3] + 14 * sv->scale - avoid[n][1];
        n++;
    }
    float soft[LIVE_MAX_CRIT][4];
    int nc = 0;
    for (int i = 0; i < L->ncrit && L->disp.crit; i++) {
        float px, py;
        scene_to_px(sv, L->crit[i].x, L->crit[i].y, &px, &py);
        if (px < sv->x || px > sv->x + sv->w || py < sv->y || py > sv->y + sv->h) continue;
        section_crit_box(L->crit[i].kind, L->disp.saddle_arrows, px, py, sv->scale, soft[nc++]);
    }
    float canvas[4] = {sv->x, sv->y, sv->w, sv->h};
    section_plot_place(canvas, sv->scale, (const float(*)[4])avoid, n, (const float(*)[4])soft, nc, out);
}

void scene_section_info(const live *L, const scene_view *sv, section_info *s)
{
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    section_compute(s, &L->ls.fn, L->section.seg, L->crit, L->ncrit, SECTION_CROSS_PX * sv->scale * upp);
}

static float section_gfx_width(void *user, const char *s, float px) { return gfx_text_width((gfx *)user, s, -1, px); }

/* A mark of the plot: a ring for a minimum along the line, the critical point's
 * own marker for one crossed. */
static void section_mark_draw(gfx *g, const section_plot_mark *m, float scale, const scene_theme *th)
{
    if (m->kind < 0) return;
    if (m->along) {
        gfx_marker(g, GFX_RING, m->x, m->y, 8.5f * scale, th->halo, 0, 0);
        gfx_marker(g, GFX_RING, m->x, m->y, 7.5f * scale, th->text, 0, 0);
    } else {
        scene_crit_marker(g, m->kind, m->x, m->y, scale);
    }
}

void scene_draw_section_plot(gfx *g, const live *L, const scene_view *sv, const scene_field *sf,
                             const scene_theme *th)
{
    if (!scene_section_shown(L)) return;
    float R[4];
    scene_section_rect(g, L, sv, sf, R);
    if (R[2] < 60 || R[3] < 40) return;
    section_info *s = malloc(sizeof *s);
    section_plot *p = malloc(sizeof *p);
    if (s && p) {
        scene_section_info(L, sv, s);
        section_plot_layout(p, s, R, sv->scale, section_gfx_width, g);
        scene_draw_box(g, R[0], R[1], R[2], R[3], sv->scale, th);
        gfx_clip(g, R[0], R[1], R[2], R[3]);
        const float *A = p->ax;
        if (A[2] > 0) {
            if (isfinite(p->zero_y)) gfx_line(g, A[0], p->zero_y, A[0] + A[2], p->zero_y, 1, th->grid);
            gfx_line(g, A[0], A[1] + A[3], A[0] + A[2], A[1] + A[3], 1, th->text_dim);
            gfx_line(g, A[0], A[1], A[0], A[1] + A[3], 1, th->text_dim);
            /* the curve in runs of finite samples */
            for (int i = 0; i < p->npts;) {
                while (i < p->npts && !isfinite(p->pts[2 * i + 1])) i++;
                int j = i;
                while (j < p->npts && isfinite(p->pts[2 * j + 1])) j++;
                if (j - i >= 2) gfx_polyline(g, p->pts + 2 * i, j - i, 1.8f * sv->scale, NULL, th->text);
                i = j;
            }
            for (int pass = 0; pass < 2; pass++)   /* the crossings, then the rings over them */
                for (int k = 0; k < p->nmark; k++)
                    if (p->mark[k].along == pass) section_mark_draw(g, &p->mark[k], sv->scale, th);
        }
        for (int r = 0; r < p->nrow; r++) {
            section_mark_draw(g, &p->row_mark[r], 0.8f * sv->scale, th);
            gfx_text(g, p->row[r].x, p->row[r].y, p->row[r].s, -1, p->tp, p->row[r].dim ? th->text_dim : th->text);
        }
        for (int k = 0; k < p->ntext; k++)
            gfx_text(g, p->text[k].x, p->text[k].y, p->text[k].s, -1, p->tp, p->text[k].dim ? th->text_dim : th->text);
        gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    }
    free(s);
    free(p);
}
