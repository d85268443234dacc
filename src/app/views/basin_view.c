/* basin_view: a map is drawn as rectangles, one per run of equal classes along a
 * row, with edges on whole pixels (no seams between neighbours, and a few thousand
 * rectangles rather than one per start). Minima get colours from Paul Tol's "light"
 * scheme, made for areas under dark lines and marks; neighbouring minima never
 * share one where the palette allows. */
#include "app/views/basin_view.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/contour.h"
#include "core/field.h"
#include "core/landscape.h"
#include "style/fieldmap.h"

#define NSHADES 8
static const uint32_t shades[NSHADES] = {
    0x77AADDffu, 0xEE8866ffu, 0xEEDD88ffu, 0x44BB99ffu,
    0xFFAABBffu, 0x99DDFFffu, 0xBBCC33ffu, 0xAAAA00ffu,
};
#define GREY_DIVERGED 0x3d4047ffu
#define GREY_NONE 0x8f949cffu
#define CRIT_CAP 4096
#define ISO_SIDE 180
#define ISO_LEVELS 14
#define LEGEND_MAX 12

void basin_request_from_live(basin_request *rq, const live *L, const double view[4], int nx, int ny,
                             int steps)
{
    memset(rq, 0, sizeof *rq);
    rq->is_formula = L->ls.def == NULL;
    rq->spec = strdup(L->ls.def ? L->ls.label : expr_source(L->ls.f));
    snprintf(rq->ls_label, sizeof rq->ls_label, "%s", L->ls.label);
    rq->n = L->nrun;
    for (int k = 0; k < L->nrun; k++) {
        rq->desc[k] = L->run[k].r.d;
        rq->color[k] = live_runner_color(L, k);
        scene_runner_label(&L->run[k].r, rq->label[k], sizeof rq->label[k]);
    }
    memcpy(rq->view, view, sizeof rq->view);
    rq->nx = nx;
    rq->ny = ny;
    rq->steps = steps;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    rq->threads = ncpu < 1 ? 1 : ncpu > 16 ? 16 : (int)ncpu;
}

void basin_set_free(basin_set *b)
{
    for (int k = 0; k < b->npanels; k++) free(b->panel[k].cls);
    free(b->iso);
    free(b->iso_start);
    memset(b, 0, sizeof *b);
}

uint32_t basin_set_color(const basin_set *b, int c)
{
    if (c >= 0 && c < b->nminima && b->shade[c] >= 0) return shades[b->shade[c] % NSHADES];
    return c == BASIN_DIVERGED ? GREY_DIVERGED : GREY_NONE;
}

/* ---- computing ---------------------------------------------------------------- */

typedef struct iso_acc {
    basin_set *b;
    int fw, fh, cap_pts, cap_lines, failed;
} iso_acc;

static void iso_emit(void *ctx, const double *xy, int n, int closed)
{
    iso_acc *a = ctx;
    basin_set *b = a->b;
    int need = n + (closed ? 1 : 0);
    if (a->failed || n < 2) return;
    if (b->iso_pts + need > a->cap_pts) {
        int cap = a->cap_pts ? a->cap_pts : 4096;
        while (cap < b->iso_pts + need) cap *= 2;
        float *p = realloc(b->iso, (size_t)cap * 2 * sizeof *p);
        if (!p) { a->failed = 1; return; }
        b->iso = p;
        a->cap_pts = cap;
    }
    if (b->niso + 2 > a->cap_lines) {
        int cap = a->cap_lines ? a->cap_lines * 2 : 256;
        int *s = realloc(b->iso_start, (size_t)cap * sizeof *s);
        if (!s) { a->failed = 1; return; }
        b->iso_start = s;
        a->cap_lines = cap;
    }
    b->iso_start[b->niso] = b->iso_pts;
    for (int k = 0; k < need; k++) {
        int q = k < n ? k : 0;
        b->iso[2 * b->iso_pts] = (float)((xy[2 * q] + 0.5) / a->fw);
        b->iso[2 * b->iso_pts + 1] = (float)((xy[2 * q + 1] + 0.5) / a->fh);
        b->iso_pts++;
    }
    b->niso++;
    b->iso_start[b->niso] = b->iso_pts;
}

/* Faint iso-lines at the window's log spacing, for orientation on the maps. */
static void compute_iso(basin_set *b, const lsfn *f, int threads)
{
    double w = b->view[1] - b->view[0], h = b->view[3] - b->view[2];
    int fw = w >= h ? ISO_SIDE : (int)fmax(8, ISO_SIDE * w / h);
    int fh = h >= w ? ISO_SIDE : (int)fmax(8, ISO_SIDE * h / w);
    float *v = malloc((size_t)fw * (size_t)fh * sizeof *v);
    if (!v) return;
    field_compute_fn(f, b->view, fw, fh, v, threads);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < fw * fh; i++)
        if (isfinite(v[i])) { lo = fmin(lo, v[i]); hi = fmax(hi, v[i]); }
    b->frange = lo < hi ? hi - lo : 0;
    if (lo < hi) {
        fieldmap fm = fieldmap_of_double(lo, hi);
        for (int i = 0; i < fw * fh; i++)
            v[i] = isfinite(v[i]) ? (float)fieldmap_u(&fm, v[i]) : NAN;
        double t0 = fm.umin, t1 = fm.umax;
        iso_acc a = {b, fw, fh, 0, 0, 0};
        for (int k = 1; k < ISO_LEVELS; k++)
            contour_lines(v, fw, fh, t0 + (t1 - t0) * k / ISO_LEVELS, iso_emit, &a);
        if (a.failed) { b->niso = 0; b->iso_pts = 0; }
    }
    free(v);
}

/* Colours for the minima shown (inside the view, or reached from some start):
 * each takes the first shade none of its near neighbours has. */
static void assign_shades(basin_set *b)
{
    const double *v = b->view;
    double diag = hypot(v[1] - v[0], v[3] - v[2]);
    for (int m = 0; m < b->nminima; m++) {
        const crit_point *p = &b->minima[m];
        int shown = p->x >= v[0] && p->x <= v[1] && p->y >= v[2] && p->y <= v[3];
        for (int k = 0; k < b->npanels && !shown; k++) shown = b->panel[k].count[m] > 0;
        b->shade[m] = shown ? -2 : -1;
    }
    for (int m = 0; m < b->nminima; m++) {
        if (b->shade[m] != -2) continue;
        double near = INFINITY;
        for (int o = 0; o < b->nminima; o++)
            if (o != m && b->shade[o] != -1)
                near = fmin(near, hypot(b->minima[o].x - b->minima[m].x, b->minima[o].y - b->minima[m].y));
        double reach = isfinite(near) ? fmax(2.5 * near, 0.3 * diag) : 0;
        int used[NSHADES] = {0};
        for (int o = 0; o < b->nminima; o++)
            if (b->shade[o] >= 0 &&
                hypot(b->minima[o].x - b->minima[m].x, b->minima[o].y - b->minima[m].y) <= reach)
                used[b->shade[o]]++;
        int best = 0;
        for (int c = 1; c < NSHADES; c++)
            if (used[c] < used[best]) best = c;
        b->shade[m] = best;
    }
}

/* What basin_classify reports between pieces: a runner's progress carried over the
 * runners before it, and the cancel flag checked inside a runner's map (a quit does
 * not wait for it). */
typedef struct basin_piece {
    const basin_request *rq;
    atomic_int *cancel;
    double before;      /* run-steps of the runners already classified */
} basin_piece;

static int basin_piece_done(void *ctx, double run_steps)
{
    basin_piece *bp = ctx;
    if (bp->rq->progress) bp->rq->progress(bp->before + run_steps);
    return bp->cancel && atomic_load(bp->cancel);
}

int basin_set_compute(basin_set *b, const lsfn *f, const basin_request *rq, atomic_int *cancel,
                      char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    memcpy(b->view, rq->view, sizeof b->view);
    b->nx = rq->nx;
    b->ny = rq->ny;
    b->steps = rq->steps;
    snprintf(b->ls_label, sizeof b->ls_label, "%s", rq->ls_label);
    const double *v = rq->view;
    double w = v[1] - v[0], h = v[3] - v[2];
    double region[4] = {v[0] - 0.5 * w, v[1] + 0.5 * w, v[2] - 0.5 * h, v[3] + 0.5 * h};
    crit_point *pts = malloc(CRIT_CAP * sizeof *pts);
    if (!pts) { snprintf(err, errlen, "out of memory"); return -1; }
    int np = crit_find_fn(f, region, NULL, pts, CRIT_CAP, err, errlen);
    if (np < 0) { free(pts); return -1; }
    crit_point *mins = malloc((size_t)(np ? np : 1) * sizeof *mins);
    if (!mins) { free(pts); snprintf(err, errlen, "out of memory"); return -1; }
    int nm = basin_minima(pts, np, mins);
    free(pts);
    /* too many for the legend and the colours: keep those nearest the view's centre */
    if (nm > BASIN_VIEW_MAX_MINIMA) {
        double cx = 0.5 * (v[0] + v[1]), cy = 0.5 * (v[2] + v[3]);
        for (int i = 0; i < BASIN_VIEW_MAX_MINIMA; i++) {
            int best = i;
            for (int j = i + 1; j < nm; j++)
                if (hypot((mins[j].x - cx) / w, (mins[j].y - cy) / h) <
                    hypot((mins[best].x - cx) / w, (mins[best].y - cy) / h))
                    best = j;
            crit_point t = mins[i];
            mins[i] = mins[best];
            mins[best] = t;
        }
        nm = BASIN_VIEW_MAX_MINIMA;
    }
    memcpy(b->minima, mins, (size_t)nm * sizeof *mins);
    b->nminima = nm;
    free(mins);
    size_t cells = (size_t)rq->nx * (size_t)rq->ny;
    for (int k = 0; k < rq->n; k++) {
        if (cancel && atomic_load(cancel)) { basin_set_free(b); snprintf(err, errlen, "cancelled"); return -1; }
        basin_panel *p = &b->panel[k];
        p->color = rq->color[k];
        snprintf(p->label, sizeof p->label, "%s", rq->label[k]);
        p->cls = malloc(cells * sizeof *p->cls);
        b->npanels = k + 1;
        if (!p->cls) { basin_set_free(b); snprintf(err, errlen, "out of memory"); return -1; }
        basin_desc d = {.fn = f, .opt = rq->desc[k].opt, .sched = rq->desc[k].sched,
                        .noise = rq->desc[k].noise, .seed = rq->desc[k].seed,
                        .region = {v[0], v[1], v[2], v[3]}, .nx = rq->nx, .ny = rq->ny,
                        .steps = rq->steps, .minima = b->minima, .nminima = nm, .threads = rq->threads};
        basin_piece bp = {rq, cancel, (double)k * (double)cells * rq->steps};
        if (rq->progress || cancel) {
            d.progress = basin_piece_done;
            d.progress_ctx = &bp;
        }
        if (basin_classify(&d, p->cls, err, errlen) != 0) { basin_set_free(b); return -1; }
        for (size_t i = 0; i < cells; i++) {
            int c = p->cls[i];
            if (c >= 0) p->count[c]++;
            else if (c == BASIN_DIVERGED) p->ndiverged++;
            else p->nnone++;
        }
    }
    assign_shades(b);
    compute_iso(b, f, rq->threads);
    return 0;
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_map(gfx *g, const basin_set *b, const basin_panel *p, float mx, float my, float mw,
                     float mh, float scale, const scene_theme *th)
{
    int nx = b->nx, ny = b->ny;
    for (int j = 0; j < ny; j++) {
        /* row j is at the bottom for j = 0 */
        float y0 = roundf(my + mh * (float)(ny - 1 - j) / (float)ny);
        float y1 = roundf(my + mh * (float)(ny - j) / (float)ny);
        if (y1 <= y0) continue;
        const int *row = p->cls + (size_t)j * (size_t)nx;
        int i = 0;
        while (i < nx) {
            int c = row[i], e = i + 1;
            while (e < nx && row[e] == c) e++;
            float x0 = roundf(mx + mw * (float)i / (float)nx), x1 = roundf(mx + mw * (float)e / (float)nx);
            if (x1 > x0) gfx_rect(g, x0, y0, x1 - x0, y1 - y0, 0, basin_set_color(b, c));
            i = e;
        }
    }
    gfx_clip(g, mx, my, mw, mh);
    int longest = 0;
    for (int k = 0; k < b->niso; k++)
        if (b->iso_start[k + 1] - b->iso_start[k] > longest) longest = b->iso_start[k + 1] - b->iso_start[k];
    float *scratch = longest ? malloc((size_t)longest * 2 * sizeof *scratch) : NULL;
    for (int k = 0; k < b->niso && scratch; k++) {
        int s = b->iso_start[k], n = b->iso_start[k + 1] - s;
        for (int i = 0; i < n; i++) {
            scratch[2 * i] = mx + mw * b->iso[2 * (s + i)];
            scratch[2 * i + 1] = my + mh * (1 - b->iso[2 * (s + i) + 1]);
        }
        gfx_polyline(g, scratch, n, 1.0f * scale, NULL, 0x1a1d2248u);
    }
    free(scratch);
    /* the minima, numbered as in the legend (only while there is room for numbers) */
    const double *v = b->view;
    int inside = 0;
    for (int m = 0; m < b->nminima; m++)
        inside += b->minima[m].x >= v[0] && b->minima[m].x <= v[1] && b->minima[m].y >= v[2] &&
                  b->minima[m].y <= v[3];
    int numbers = inside <= LEGEND_MAX;
    float r = (numbers ? 8.0f : 4.0f) * scale, tp = 11 * scale;
    for (int m = 0; m < b->nminima; m++) {
        const crit_point *c = &b->minima[m];
        if (!(c->x >= v[0] && c->x <= v[1] && c->y >= v[2] && c->y <= v[3])) continue;
        float px = mx + mw * (float)((c->x - v[0]) / (v[1] - v[0]));
        float py = my + mh * (float)((v[3] - c->y) / (v[3] - v[2]));
        gfx_marker(g, GFX_CIRCLE, px, py, r, 0xffffffffu, 0x1a1d22ffu, 1.6f * scale);
        gfx_marker(g, GFX_CIRCLE, px, py, r * 0.55f, basin_set_color(b, m), 0, 0);
        if (numbers) {
            char num[16];
            snprintf(num, sizeof num, "%d", m + 1);
            float tw = gfx_text_width(g, num, -1, tp);
            float bx = px + r + 2 * scale, by = py - gfx_line_height(g, tp) / 2;
            gfx_rect(g, bx - 2 * scale, by, tw + 4 * scale, gfx_line_height(g, tp), 3 * scale, 0xffffffd8u);
            gfx_text(g, bx, by, num, -1, tp, 0x1a1d22ffu);
        }
    }
    gfx_clip(g, -1, -1, -1, -1);
    gfx_rect_outline(g, mx - 0.5f, my - 0.5f, mw + 1, mh + 1, 0, 1, th->box_edge);
}

static void fmt_pct(char *buf, size_t n, long k, long total)
{
    double p = total > 0 ? 100.0 * (double)k / (double)total : 0;
    if (k == 0) snprintf(buf, n, "0%%");
    else if (p < 0.1) snprintf(buf, n, "<0.1%%");
    else if (p < 10) snprintf(buf, n, "%.1f%%", p);
    else snprintf(buf, n, "%.0f%%", p);
}

/* The legend: a swatch and the coordinates of each minimum shown, then the greys.
 * Returns its height; draws only when draw is set. */
static float legend(gfx *g, const basin_set *b, float x, float y, float w, float scale, const scene_theme *th,
                    int draw)
{
    float tp = 13 * scale, lh = gfx_line_height(g, tp) * 1.35f, sw = 14 * scale, gap = 18 * scale;
    float cx = x, cy = y;
    int listed = 0, more = 0;
    char buf[128];
    for (int m = 0; m <= b->nminima + 1; m++) {
        int cls;
        if (m < b->nminima) {
            if (b->shade[m] < 0) continue;
            if (listed == LEGEND_MAX) { more++; continue; }
            listed++;
            cls = m;
            /* a value at rounding level of the landscape's range is a zero */
            double f = fabs(b->minima[m].f) <= 1e-9 * b->frange ? 0.0 : b->minima[m].f;
            snprintf(buf, sizeof buf, "%d  (%.4g, %.4g)  f = %.4g", m + 1, b->minima[m].x, b->minima[m].y, f);
        } else if (m == b->nminima) {
            cls = BASIN_DIVERGED;
            if (more) {
                char t[64];
                snprintf(t, sizeof t, "… and %d more minima", more);
                float tw = gfx_text_width(g, t, -1, tp);
                if (cx > x && cx + tw > x + w) { cx = x; cy += lh; }
                if (draw) gfx_text(g, cx, cy, t, -1, tp, th->text_dim);
                cx += tw + gap;
            }
            snprintf(buf, sizeof buf, "diverged");
        } else {
            cls = BASIN_NONE;
            snprintf(buf, sizeof buf, "at no minimum after %d steps", b->steps);
        }
        float iw = sw + 6 * scale + gfx_text_width(g, buf, -1, tp);
        if (cx > x && cx + iw > x + w) { cx = x; cy += lh; }
        if (draw) {
            float sy = cy + (gfx_line_height(g, tp) - sw) / 2;
            gfx_rect(g, cx, sy, sw, sw, 3 * scale, basin_set_color(b, cls));
            gfx_rect_outline(g, cx, sy, sw, sw, 3 * scale, 1, th->box_edge);
            gfx_text(g, cx + sw + 6 * scale, cy, buf, -1, tp, th->text);
        }
        cx += iw + gap;
    }
    return cy + lh - y;
}

/* What share of a panel's starts went where, as one line. */
static void panel_shares(const basin_set *b, const basin_panel *p, long total, char *line, size_t len)
{
    char s1[32], s2[32];
    int reached = 0;
    for (int m = 0; m < b->nminima; m++) reached += p->count[m] > 0;
    fmt_pct(s1, sizeof s1, p->ndiverged, total);
    fmt_pct(s2, sizeof s2, p->nnone, total);
    snprintf(line, len, "%d minim%s reached · %s diverged · %s at no minimum", reached, reached == 1 ? "um" : "a",
             s1, s2);
}

void basin_set_draw(gfx *g, const basin_set *b, float x, float y, float w, float h, float scale,
                    const scene_theme *th)
{
    float pad = 18 * scale, tp = 17 * scale, lp = 13 * scale;
    float llh = gfx_line_height(g, lp);
    char title[400];
    snprintf(title, sizeof title, "Basins of attraction on %s: the minimum each of %d × %d starts reaches in %d steps",
             b->ls_label, b->nx, b->ny, b->steps);
    /* the title wrapped to the width (the text scale grows with Ctrl +) */
    float lw = w - 2 * pad, tlh = gfx_line_height(g, tp);
    int ts[8], tl[8], nt = scene_wrap(g, title, tp, lw, ts, tl, 8);
    gfx_clip(g, x, y, w, h);
    for (int i = 0; i < nt; i++) gfx_text(g, x + pad, y + pad * 0.8f + i * tlh, title + ts[i], tl[i], tp, th->text);
    gfx_clip(g, -1, -1, -1, -1);
    float top = y + pad * 0.8f + (float)(nt > 0 ? nt : 1) * tlh + pad * 0.6f;
    float leg_h = legend(g, b, x + pad, 0, lw, scale, th, 0);
    float bottom = y + h - pad * 0.8f - leg_h;
    int n = b->npanels;
    if (n < 1) return;
    /* the arrangement that makes the maps largest; a runner's label above its map
       and the shares below it wrap to the map's width, and take the lines they
       need (laid out twice: the second time with the lines the first one needs) */
    double aspect = (b->view[1] - b->view[0]) / (b->view[3] - b->view[2]);
    long total = (long)b->nx * b->ny;
    float above = llh * 1.5f, below = llh * 1.4f, gap = pad;
    float aw = lw, ah = bottom - top;
    int best_c = 1;
    float best_w = 0;
    for (int pass = 0; pass < 2; pass++) {
        best_c = 1;
        best_w = 0;
        for (int c = 1; c <= n; c++) {
            int rows = (n + c - 1) / c;
            float cw = (aw - (float)(c - 1) * gap) / (float)c;
            float ch = (ah - (float)(rows - 1) * gap) / (float)rows - above - below;
            float mw = fminf(cw, ch * (float)aspect);
            if (mw > best_w) { best_w = mw; best_c = c; }
        }
        if (!(best_w > 4) || pass == 1) break;
        int na = 1, nb = 1, st[4], ln[4];
        for (int k = 0; k < n; k++) {
            char line[200];
            panel_shares(b, &b->panel[k], total, line, sizeof line);
            int a = scene_wrap(g, b->panel[k].label, lp, floorf(best_w) - 10 * scale - 6 * scale, st, ln, 3);
            int c = scene_wrap(g, line, lp * 0.92f, floorf(best_w), st, ln, 3);
            if (a > na) na = a;
            if (c > nb) nb = c;
        }
        if (na == 1 && nb == 1) break;
        above = llh * (na + 0.5f);
        below = llh * (nb * 0.95f + 0.45f);
    }
    if (!(best_w > 4)) return;
    int cols = best_c, rows = (n + cols - 1) / cols;
    float mw = floorf(best_w), mh = floorf(best_w / (float)aspect);
    float gw = (float)cols * mw + (float)(cols - 1) * gap;
    float gh = (float)rows * (mh + above + below) + (float)(rows - 1) * gap;
    float gx = roundf(x + pad + (aw - gw) / 2), gy = roundf(top + (ah - gh) / 2);
    for (int k = 0; k < n; k++) {
        const basin_panel *p = &b->panel[k];
        int r = k / cols, c = k % cols;
        float px = gx + (float)c * (mw + gap), py = gy + (float)r * (mh + above + below + gap);
        float my = roundf(py + above);
        /* the runner: its colour and hyperparameters */
        float dot = 5 * scale;
        int st[4], ln[4], nl = scene_wrap(g, p->label, lp, mw - 2 * dot - 6 * scale, st, ln, 3);
        float ty = py + (above - (float)nl * llh) / 2 - 2 * scale;
        gfx_marker(g, GFX_CIRCLE, px + dot, ty + llh / 2, dot, p->color, 0x111111ffu, 1.2f * scale);
        gfx_clip(g, px, py, mw, above);
        for (int i = 0; i < nl; i++)
            gfx_text(g, px + 2 * dot + 6 * scale, ty + (float)i * llh, p->label + st[i], ln[i], lp, th->text);
        gfx_clip(g, -1, -1, -1, -1);
        draw_map(g, b, p, px, my, mw, mh, scale, th);
        /* what share went where */
        char line[200];
        panel_shares(b, p, total, line, sizeof line);
        nl = scene_wrap(g, line, lp * 0.92f, mw, st, ln, 3);
        gfx_clip(g, px, my + mh, mw, below);
        for (int i = 0; i < nl; i++)
            gfx_text(g, px, my + mh + llh * (0.3f + 0.95f * (float)i), line + st[i], ln[i], lp * 0.92f, th->text_dim);
        gfx_clip(g, -1, -1, -1, -1);
    }
    legend(g, b, x + pad, y + h - pad * 0.8f - leg_h, lw, scale, th, 1);
}

/* ---- the window's worker -------------------------------------------------------- */

struct basin_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv, done_cv;
    basin_request pending;
    int has_pending, busy, quit;
    atomic_int cancel;
    basin_set *ready;
};

static void *basin_main(void *arg)
{
    basin_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->has_pending && !w->quit) pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit) break;
        basin_request rq = w->pending;
        w->pending.spec = NULL;
        w->has_pending = 0;
        w->busy = 1;
        w->cancel = 0;
        pthread_mutex_unlock(&w->mu);
        basin_set *b = calloc(1, sizeof *b);
        landscape ls;
        char err[256];
        int ok = b && rq.spec &&
                 (rq.is_formula ? landscape_load_expr(&ls, rq.spec, err, sizeof err)
                                : landscape_load(&ls, rq.spec, err, sizeof err)) == 0;
        if (ok) {
            ok = basin_set_compute(b, &ls.fn, &rq, &w->cancel, err, sizeof err) == 0;
            landscape_free(&ls);
        }
        free(rq.spec);
        if (!ok) { free(b); b = NULL; }
        pthread_mutex_lock(&w->mu);
        if (b) {
            if (w->ready) { basin_set_free(w->ready); free(w->ready); }
            w->ready = b;
        }
        w->busy = 0;
        pthread_cond_broadcast(&w->done_cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

basin_worker *basin_worker_create(void)
{
    basin_worker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    pthread_cond_init(&w->done_cv, NULL);
    if (pthread_create(&w->th, NULL, basin_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        pthread_cond_destroy(&w->done_cv);
        free(w);
        return NULL;
    }
    return w;
}

void basin_worker_destroy(basin_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    w->cancel = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    free(w->pending.spec);
    if (w->ready) { basin_set_free(w->ready); free(w->ready); }
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    pthread_cond_destroy(&w->done_cv);
    free(w);
}

void basin_worker_request(basin_worker *w, const basin_request *rq)
{
    char *spec = rq->spec ? strdup(rq->spec) : NULL;
    if (!spec) return;
    pthread_mutex_lock(&w->mu);
    free(w->pending.spec);
    w->pending = *rq;
    w->pending.spec = spec;
    w->has_pending = 1;
    if (w->busy) w->cancel = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

basin_set *basin_worker_poll(basin_worker *w)
{
    pthread_mutex_lock(&w->mu);
    basin_set *b = w->ready;
    w->ready = NULL;
    pthread_mutex_unlock(&w->mu);
    return b;
}

int basin_worker_busy(basin_worker *w)
{
    pthread_mutex_lock(&w->mu);
    int b = w->busy || w->has_pending;
    pthread_mutex_unlock(&w->mu);
    return b;
}

void basin_worker_wait(basin_worker *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->has_pending || w->busy) pthread_cond_wait(&w->done_cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}
