/* basin_view: a map is drawn as rectangles, one per run of equal classes along a
 * row, with edges on whole pixels (no seams between neighbours, and a few thousand
 * rectangles rather than one per start). Minima get colours from Paul Tol's "light"
 * scheme, made for areas under dark lines and marks; neighbouring minima never
 * share one where the palette allows. */
#include "app/views/basin_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"

#define NSHADES BASIN_SHADES
static const uint32_t shades[NSHADES] = {
    0x77AADDffu, 0xEE8866ffu, 0xEEDD88ffu, 0x44BB99ffu,
    0xFFAABBffu, 0x99DDFFffu, 0xBBCC33ffu, 0xAAAA00ffu,
};
#define GREY_DIVERGED 0x3d4047ffu
#define GREY_NONE 0x8f949cffu
#define LEGEND_MAX 12

void basin_request_from_live(basin_request *rq, const live *L, const double view[4], int nx, int ny,
                             int steps)
{
    memset(rq, 0, sizeof *rq);
    rq->is_formula = L->ls.def == NULL;
    rq->spec = strdup(L->ls.def ? L->ls.label : expr_source(L->ls.f));
    live_landscape_name(L, rq->ls_label, sizeof rq->ls_label);
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
    int ncpu = cpu_count();
    rq->threads = ncpu > 16 ? 16 : ncpu;
}

uint32_t basin_set_color(const basin_set *b, int c)
{
    if (c >= 0 && c < b->nminima && b->shade[c] >= 0) return shades[b->shade[c] % NSHADES];
    return c == BASIN_DIVERGED ? GREY_DIVERGED : GREY_NONE;
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

/* The arrangement that makes the maps largest in aw x ah: the columns (*cols) and
 * the maps' width (returned). A runner's label above its map and the shares below
 * it wrap to the map's width and take the lines they need (*above, *below: laid
 * out twice, the second time with the lines the first one needs). */
static float basin_arrange(gfx *g, const basin_set *b, float aw, float ah, float gap, float scale, int *cols,
                           float *above, float *below)
{
    float lp = 13 * scale, llh = gfx_line_height(g, lp);
    double aspect = (b->view[1] - b->view[0]) / (b->view[3] - b->view[2]);
    long total = (long)b->nx * b->ny;
    int n = b->npanels, best_c = 1;
    float best_w = 0;
    for (int pass = 0; pass < 2; pass++) {
        best_c = 1;
        best_w = 0;
        for (int c = 1; c <= n; c++) {
            int rows = (n + c - 1) / c;
            float cw = (aw - (float)(c - 1) * gap) / (float)c;
            float ch = (ah - (float)(rows - 1) * gap) / (float)rows - *above - *below;
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
        *above = llh * (na + 0.5f);
        *below = llh * (nb * 0.95f + 0.45f);
    }
    *cols = best_c;
    return best_w;
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
    double aspect = (b->view[1] - b->view[0]) / (b->view[3] - b->view[2]);
    long total = (long)b->nx * b->ny;
    float above = llh * 1.5f, below = llh * 1.4f, gap = pad;
    float aw = lw, ah = bottom - top;
    int best_c = 1;
    float best_w = basin_arrange(g, b, aw, ah, gap, scale, &best_c, &above, &below);
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
