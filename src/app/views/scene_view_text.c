/* scene_view_text: the boxes of text over the canvas: the hover read-out, word
 * wrap, the legend, and the lesson's caption. */
#include "app/views/scene_view.h"
#include "app/views/scene_view_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/linalg2.h"
#include "style/look.h"

static void fmt_num(char *b, size_t n, double v)
{
    if (v == 0) snprintf(b, n, "0");
    else snprintf(b, n, "%.4g", v);
    /* a real minus sign reads better on a projector */
    if (b[0] == '-') {
        memmove(b + 3, b + 1, strlen(b));
        memcpy(b, "\xe2\x88\x92", 3);
    }
}

void scene_draw_box(gfx *g, float x, float y, float w, float h, float scale, const scene_theme *th)
{
    gfx_rect(g, x, y, w, h, 6 * scale, th->box);
    gfx_rect_outline(g, x, y, w, h, 6 * scale, 1, th->box_edge);
}

/* The read-out's lines at the pointer; how many. */
static int hover_lines(const live *L, const scene_view *sv, char lines[7][160], jet2 *jo, eig2 *eo)
{
    jet2 j = lsfn_jet(&L->ls.fn, sv->hx, sv->hy);
    eig2 e = eig2_sym(j.hxx, j.hxy, j.hyy);
    char a[40], b[40], c[40];
    int n = 0;
    fmt_num(a, sizeof a, sv->hx);
    fmt_num(b, sizeof b, sv->hy);
    snprintf(lines[n++], 160, "x = %s   y = %s", a, b);
    fmt_num(a, sizeof a, j.v);
    snprintf(lines[n++], 160, "f = %s", a);
    fmt_num(a, sizeof a, j.gx);
    fmt_num(b, sizeof b, j.gy);
    fmt_num(c, sizeof c, hypot(j.gx, j.gy));
    snprintf(lines[n++], 160, "∇f = (%s, %s)   |∇f| = %s", a, b, c);
    fmt_num(a, sizeof a, e.l1);
    snprintf(lines[n++], 160, "λ1 = %s   v1 = (%.3f, %.3f)", a, e.v1[0], e.v1[1]);
    fmt_num(a, sizeof a, e.l2);
    snprintf(lines[n++], 160, "λ2 = %s   v2 = (%.3f, %.3f)", a, e.v2[0], e.v2[1]);
    const char *shape = !(isfinite(e.l1) && isfinite(e.l2)) ? "curvature undefined here"
                        : e.l1 > 0 ? "curves up both ways (bowl)"
                        : e.l2 < 0 ? "curves down both ways (cap)"
                        : e.l1 < 0 && e.l2 > 0 ? "curves up and down (saddle-like)"
                                               : "flat in one direction";
    snprintf(lines[n++], 160, "%s", shape);
    if (L->nrun > 0 && L->selected < L->nrun && isfinite(e.l2) && e.l2 > 0) {
        fmt_num(a, sizeof a, 2.0 / e.l2);
        snprintf(lines[n++], 160, "GD stable here for lr < 2/λmax = %s", a);
    }
    if (jo) *jo = j;
    if (eo) *eo = e;
    return n;
}

/* The boxes drawn over the map that the read-out keeps off: the caption, the
 * legend, the chart and its timeline; how many. */
static int hover_obstacles(gfx *g, const live *L, const scene_view *sv, float ob[5][4])
{
    int n = 0;
    if (scene_caption_rect(g, L, sv, ob[n])) n++;
    if (scene_legend_rect(g, L, sv, NULL, ob[n])) n++;
    if (scene_chart_shown(L)) {
        scene_chart_rect(sv, ob[n]);
        n++;
        float T[4];
        if (scene_timeline_rect(L, sv, T)) {
            ob[n][0] = T[0], ob[n][1] = T[1], ob[n][2] = T[2];
            ob[n][3] = T[3] + gfx_line_height(g, 11 * sv->scale) + 4 * sv->scale;
            n++;
        }
    }
    if (scene_section_shown(L)) scene_section_rect(g, L, sv, NULL, ob[n++]);
    return n;
}

static int hover_layout(gfx *g, const live *L, const scene_view *sv, int nlines, char lines[7][160], float out[4])
{
    if (!sv->hover || !L->disp.hover || sv->scrubbing) return 0;
    float px, py;
    scene_to_px(sv, sv->hx, sv->hy, &px, &py);
    float ob[5][4];
    int nob = hover_obstacles(g, L, sv, ob);
    /* the pointer on a box: the box is what is looked at, not the map */
    for (int i = 0; i < nob; i++)
        if (px >= ob[i][0] && px <= ob[i][0] + ob[i][2] && py >= ob[i][1] && py <= ob[i][1] + ob[i][3]) return 0;
    float s = sv->scale, tp = 13 * s, lh = gfx_line_height(g, tp), pad = 8 * s, w = 0;
    for (int i = 0; i < nlines; i++) w = fmaxf(w, gfx_text_width(g, lines[i], -1, tp));
    float bw = w + 2 * pad, bh = nlines * lh + 2 * pad, d = 18 * s, m = 4 * s;
    /* beside the pointer first; where every such place covers a critical point, a
       free corner of the canvas */
    float cand[12][2] = {
        {px + d, py + d}, {px + d, py - d - bh}, {px - d - bw, py + d}, {px - d - bw, py - d - bh},
        {px - bw / 2, py - d - bh}, {px - bw / 2, py + d}, {px + d, py - bh / 2}, {px - d - bw, py - bh / 2},
        {sv->x + sv->w, sv->y}, {sv->x + sv->w, sv->y + sv->h}, {sv->x, sv->y}, {sv->x, sv->y + sv->h},
    };
    float best = INFINITY;
    for (int c = 0; c < 12; c++) {
        float r[4] = {cand[c][0], cand[c][1], bw, bh};
        if (r[0] + bw > sv->x + sv->w - m) r[0] = sv->x + sv->w - m - bw;
        if (r[1] + bh > sv->y + sv->h - m) r[1] = sv->y + sv->h - m - bh;
        if (r[0] < sv->x + m) r[0] = sv->x + m;
        if (r[1] < sv->y + m) r[1] = sv->y + m;
        float score = c < 8 ? (float)c : 100.0f + (float)c;   /* the nearer, plainer places first */
        for (int i = 0; i < nob; i++) score += 100.0f * scene_rect_overlap(r, ob[i]);
        /* never over the pointer itself (a clamp can push it there) */
        float pr[4] = {px - 6 * s, py - 6 * s, 12 * s, 12 * s};
        if (scene_rect_overlap(r, pr) > 0) score += 1e7f;
        if (L->disp.crit)
            for (int i = 0; i < L->ncrit; i++) {
                float cx, cy;
                scene_to_px(sv, L->crit[i].x, L->crit[i].y, &cx, &cy);
                float cr[4] = {cx - 8 * s, cy - 8 * s, 16 * s, 16 * s};
                if (scene_rect_overlap(r, cr) > 0) score += 2000;
            }
        if (score < best) {
            best = score;
            memcpy(out, r, sizeof r);
        }
    }
    return 1;
}

int scene_hover_rect(gfx *g, const live *L, const scene_view *sv, float out[4])
{
    char lines[7][160];
    int n = hover_lines(L, sv, lines, NULL, NULL);
    return hover_layout(g, L, sv, n, lines, out);
}

void scene_draw_hover(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!sv->hover || !L->disp.hover || sv->scrubbing) return;
    char lines[7][160];
    jet2 j;
    eig2 e;
    int n = hover_lines(L, sv, lines, &j, &e);
    float R[4];
    if (!hover_layout(g, L, sv, n, lines, R)) return;
    float px, py;
    scene_to_px(sv, sv->hx, sv->hy, &px, &py);
    if (isfinite(e.l1) && isfinite(e.l2)) {
        double l[2] = {e.l1, e.l2};
        double v[2][2] = {{e.v1[0], e.v1[1]}, {e.v2[0], e.v2[1]}};
        scene_eigen_arrows(g, px, py, l, v, 34 * sv->scale, sv->scale, 0, th);
    }
    float tp = 13 * sv->scale, lh = gfx_line_height(g, tp), pad = 8 * sv->scale;
    scene_draw_box(g, R[0], R[1], R[2], R[3], sv->scale, th);
    for (int i = 0; i < n; i++)
        gfx_text(g, R[0] + pad, R[1] + pad + i * lh, lines[i], -1, tp, i == 0 ? th->text_dim : th->text);
}

typedef struct cap_line { const char *s; int len; int title; } cap_line;

/* Greedy word wrap of s into lines no wider than w at px; how many lines (at most
 * room); *fits 0 when a single word is wider than w (it has a line of its own). */
static int wrap_lines(gfx *g, const char *s, float px, float w, int title, cap_line *out, int room, int *fits)
{
    int n = 0, len = (int)strlen(s), at = 0;
    *fits = 1;
    /* a line breaks at a space (dropped) or after a comma (kept: a landscape's
       "linreg2:n=100,scale1=1,..." has no spaces) */
#define WRAP_END(i) (s[i] == ' ' || (s[i] == ',' && i + 1 < len && s[i + 1] != ' '))
    while (at < len && n < room) {
        while (at < len && s[at] == ' ') at++;
        if (at >= len) break;
        int best = -1;   /* end of the longest prefix that fits, at a break */
        int end = at;
        while (end <= len) {
            int e = end;
            while (e < len && !WRAP_END(e)) e++;
            int stop = e < len && s[e] == ',' ? e + 1 : e;   /* the comma stays on the line */
            if (gfx_text_width(g, s + at, stop - at, px) > w) break;
            best = stop;
            if (e >= len) break;
            end = e + 1;
        }
        if (best < 0) {
            /* one word wider than the box: it gets a line of its own */
            *fits = 0;
            best = at;
            while (best < len && !WRAP_END(best)) best++;
            if (best < len && s[best] == ',') best++;
        }
        out[n++] = (cap_line){s + at, best - at, title};
        at = best;
    }
#undef WRAP_END
    return n;
}

static int wrap_text(gfx *g, const char *s, float px, float w, int title, cap_line *out, int room)
{
    int fits, n = wrap_lines(g, s, px, w, title, out, room, &fits);
    return fits ? n : -1;
}

int scene_wrap(gfx *g, const char *s, float px, float w, int *start, int *len, int room)
{
    cap_line l[32];
    int fits, n = wrap_lines(g, s, px, w, 0, l, room < 32 ? room : 32, &fits);
    for (int i = 0; i < n; i++) {
        start[i] = (int)(l[i].s - s);
        len[i] = l[i].len;
    }
    return n;
}

/* The legend: the landscape, then one row per runner (swatch, label, its
 * hyperparameters), then "undefined" when the field has points where the loss is
 * not a number. A row too long for the canvas is wrapped (after type up to 15%
 * smaller), never cut. */
#define LEG_SUB 4   /* wrapped lines a row may take */
typedef struct leg_layout {
    float tp, lh, pad, sw, bx, by, bw, bh;
    int nrow, undefined;
    int nsub[LIVE_MAX_RUNNERS + 2];
    cap_line sub[LIVE_MAX_RUNNERS + 2][LEG_SUB];
    char text[LIVE_MAX_RUNNERS + 2][400];
} leg_layout;

static void legend_layout(gfx *g, const live *L, const scene_view *sv, int undefined, leg_layout *lg)
{
    float s = sv->scale;
    lg->pad = 9 * s;
    lg->sw = 26 * s;
    lg->undefined = undefined;
    int n = 0;
    live_landscape_name(L, lg->text[n++], sizeof lg->text[0]);
    for (int k = 0; k < L->nrun; k++) {
        const runner *r = &L->run[k].r;
        char hp[256], lab[330];
        scene_runner_label(r, hp, sizeof hp);
        if (L->run[k].label[0]) snprintf(lab, sizeof lab, "%s   %s", L->run[k].label, hp);
        else snprintf(lab, sizeof lab, "%s", hp);
        /* no-break spaces (U+00A0): "diverged at step 7" wraps as one word */
        if (r->diverged)
            snprintf(lg->text[n++], sizeof lg->text[0], "%s   diverged\u00a0at\u00a0step\u00a0%ld", lab, r->diverged_at);
        else snprintf(lg->text[n++], sizeof lg->text[0], "%s", lab);
    }
    if (undefined) snprintf(lg->text[n++], sizeof lg->text[0], "loss undefined here (not a number)");
    lg->nrow = n;
    float maxw = sv->w - 2 * lg->pad - 20 * s;
    static const float f[] = {1.0f, 0.93f, 0.85f};
    for (int t = 0; t < 3; t++) {
        lg->tp = 14 * s * f[t];
        float w = 0;
        for (int i = 0; i < n; i++)
            w = fmaxf(w, gfx_text_width(g, lg->text[i], -1, lg->tp) + (i > 0 ? lg->sw + 6 * s : 0));
        if (w <= maxw || t == 2) {
            for (int i = 0; i < n; i++) {
                float room = maxw - (i > 0 ? lg->sw + 6 * s : 0);
                int m = w <= maxw ? 0 : wrap_text(g, lg->text[i], lg->tp, room, 0, lg->sub[i], LEG_SUB);
                if (m <= 0) {
                    /* fits whole (or a word wider than the canvas: clipped) */
                    lg->sub[i][0] = (cap_line){lg->text[i], (int)strlen(lg->text[i]), 0};
                    m = 1;
                }
                lg->nsub[i] = m;
            }
            lg->bw = fminf(w, maxw) + 2 * lg->pad;
            break;
        }
    }
    lg->lh = gfx_line_height(g, lg->tp) * 1.15f;
    float rows = 0;
    for (int i = 0; i < n; i++) rows += lg->nsub[i] > 1 ? 1 + (lg->nsub[i] - 1) * 0.87f : 1;
    lg->bx = sv->x + 10 * s;
    lg->by = sv->y + 10 * s;
    lg->bh = rows * lg->lh + 2 * lg->pad;
    /* the box as wide as its widest line as drawn */
    float w = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < lg->nsub[i]; j++)
            w = fmaxf(w, gfx_text_width(g, lg->sub[i][j].s, lg->sub[i][j].len, lg->tp) + (i > 0 ? lg->sw + 6 * s : 0));
    lg->bw = fminf(w, maxw) + 2 * lg->pad;
}

/* The field's undefined points are shown with a legend entry: whether there are. */
static int legend_undefined(const scene_field *sf) { return sf && sf->valid && sf->has_nan; }

int scene_legend_rect(gfx *g, const live *L, const scene_view *sv, const scene_field *sf, float out[4])
{
    if (!L->disp.legend) return 0;
    leg_layout lg;
    legend_layout(g, L, sv, legend_undefined(sf), &lg);
    out[0] = lg.bx, out[1] = lg.by, out[2] = lg.bw, out[3] = lg.bh;
    return 1;
}

void scene_draw_legend(gfx *g, const live *L, const scene_view *sv, const scene_field *sf, const scene_theme *th)
{
    if (!L->disp.legend) return;
    leg_layout lg;
    legend_layout(g, L, sv, legend_undefined(sf), &lg);
    float s = sv->scale, pad = lg.pad, sw = lg.sw, lh = lg.lh, tp = lg.tp;
    float bx = lg.bx, by = lg.by;
    scene_draw_box(g, bx, by, lg.bw, lg.bh, s, th);
    gfx_clip(g, bx, by, lg.bw, lg.bh);
    float y = by + pad;
    for (int i = 0; i < lg.nrow; i++) {
        int k = i - 1;   /* the runner, for rows 1 .. nrun */
        int is_run = k >= 0 && k < L->nrun, is_undef = lg.undefined && i == lg.nrow - 1;
        float tx = bx + pad + (i > 0 ? sw + 6 * s : 0);
        uint32_t tc = th->text_dim;
        float my = y + lh * 0.45f;
        if (is_run) {
            const live_runner *lr = &L->run[k];
            uint32_t c = live_runner_color(L, k);
            if (!lr->visible) c = GFX_WITH_ALPHA(c, 0x50);
            gfx_line(g, bx + pad, my, bx + pad + sw, my, 3 * s, c);
            if (lr->r.diverged)
                gfx_marker(g, GFX_CROSS, bx + pad + sw / 2, my, LOOK_F(LOOK_LEGEND_CROSS_R) * s, c, 0, 0);
            else
                gfx_marker(g, GFX_CIRCLE, bx + pad + sw / 2, my, LOOK_F(LOOK_LEGEND_DOT_R) * s, c, LOOK_OUTLINE,
                           LOOK_F(LOOK_LEGEND_DOT_OW) * s);
            tc = lr->r.diverged ? (L->disp.cmap == STYLE_CMAP_LIGHT ? 0xc0300cffu : 0xff6a4dffu)
                 : lr->visible ? th->text : th->text_dim;
        } else if (is_undef) {
            /* the field's own mark for undefined points: neutral grey, hatched */
            float h = lh * 0.7f, y0 = y + (lh - h) / 2;
            gfx_rect(g, bx + pad, y0, sw, h, 2 * s, GFX_UNDEFINED_GREY);
            gfx_clip(g, bx + pad, y0, sw, h);
            for (float x = -h; x < sw; x += 5 * s)
                gfx_line(g, bx + pad + x, y0 + h, bx + pad + x + h, y0, 1.2f * s, GFX_UNDEFINED_HATCH);
            gfx_clip(g, bx, by, lg.bw, lg.bh);
        }
        float y1 = y;
        for (int j = 0; j < lg.nsub[i]; j++) {
            gfx_text(g, tx + (j > 0 ? 10 * s : 0), y1, lg.sub[i][j].s, lg.sub[i][j].len, tp, tc);
            y1 += lh * (j == 0 ? 1.0f : 0.87f);
        }
        float rh = lg.nsub[i] > 1 ? lh * (1 + (lg.nsub[i] - 1) * 0.87f) : lh;
        if (is_run && k == L->selected && L->nrun > 1)
            gfx_rect_outline(g, bx + 3 * s, y - 1, lg.bw - 6 * s, rh, 3 * s, 1, th->text_dim);
        y += rh;
    }
    gfx_clip(g, 0, 0, -1, -1);
}

/* The lesson's title and caption, centred at the bottom of the canvas: to the
 * right of the loss chart when there is room for it there, else across the canvas
 * above the chart. Lines too long for the box are wrapped at spaces (a little
 * smaller type first, when that is all it takes), never cut; text grows with the
 * scale (Ctrl +/-, class mode) and the layout follows. */
#define CAP_MAX_LINES 24
#define CAP_MAX_SHARE 0.25f   /* of the canvas's height */
#define CAP_MIN_PX 12.0f
typedef struct cap_layout {
    float tp, cp, lt, lc, pad;
    float bx, by, bw, bh;
    int n;
    cap_line line[CAP_MAX_LINES];
} cap_layout;

/* The height of c's box with its lines in title type tp and caption type cp. */
static float cap_height(gfx *g, const cap_layout *c, float tp, float cp)
{
    float h = 2 * c->pad;
    for (int i = 0; i < c->n; i++) h += c->line[i].title ? gfx_line_height(g, tp) : gfx_line_height(g, cp) * 1.1f;
    return h;
}

/* The ns source lines wrapped into inner, in the first of the nwrap type sizes whose
 * box fits between top and bottom (the smallest where none does). */
static void cap_wrap(gfx *g, cap_layout *c, const char *const *src, const int *title, int ns, float inner,
                     float top, float bottom, const float *wrapped, int nwrap, float s)
{
    for (int t = 0; t < nwrap; t++) {
        float f = wrapped[t], tp = 17 * s * f, cp = 14 * s * f;
        int n = 0, ok = 1;
        for (int i = 0; i < ns && ok; i++) {
            int m = wrap_text(g, src[i], title[i] ? tp : cp, inner, title[i], c->line + n, CAP_MAX_LINES - n);
            if (m < 0) { ok = 0; m = 0; }
            n += m;
        }
        c->tp = tp, c->cp = cp, c->n = n;
        if (ok && bottom - cap_height(g, c, tp, cp) >= top) return;
    }
}

static int caption_layout(gfx *g, const live *L, const scene_view *sv, cap_layout *c)
{
    if (!L->disp.caption || (!L->title[0] && L->ncaption == 0)) return 0;
    float s = sv->scale;
    c->pad = 10 * s;
    float x0 = sv->x, x1 = sv->x + sv->w, bottom = sv->y + sv->h - 10 * s;
    /* the top the box may reach: below the legend */
    float top = sv->y + 10 * s;
    float LR[4];
    if (scene_legend_rect(g, L, sv, NULL, LR)) top = LR[1] + LR[3] + 10 * s;
    /* the caption takes at most a quarter of the canvas's height: the lesson is
       the map (smaller type, down to a readable minimum, then more lines) */
    if (top < bottom - CAP_MAX_SHARE * sv->h) top = bottom - CAP_MAX_SHARE * sv->h;
    int column = 0;   /* above the chart, as wide as it: the middle of the canvas stays clear */
    float R[4];
    if (scene_chart_shown(L)) {
        scene_chart_rect(sv, R);
        float beside = x1 - (R[0] + R[2]) - 20 * s;
        if (beside >= fmaxf(0.42f * sv->w, 300 * s)) {
            x0 = R[0] + R[2];
        } else {
            /* too narrow beside the chart: above it, in the chart's column when the
               lines fit there, else across the canvas */
            bottom = R[1] - 10 * s;
            x1 = R[0] + R[2] + 10 * s;
            column = 1;
        }
    }
    float inner = x1 - x0 - 20 * s - 2 * c->pad;
    if (!(inner > 20 * s)) return 0;
    const char *src[3];
    int title[3], ns = 0;
    if (L->title[0]) { src[ns] = L->title; title[ns++] = 1; }
    for (int i = 0; i < L->ncaption && i < 2; i++) { src[ns] = L->caption[i]; title[ns++] = 0; }
    static const float shrink[] = {1.0f, 0.95f, 0.9f, 0.85f};
    static const float wrapped[] = {1.0f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f};
    /* the smallest type tried: a readable minimum (12 px, and at large scales at
       least half the normal size, for the caption's lines) */
    int nwrap = 1;
    while (nwrap < 6 && 14 * s * wrapped[nwrap] >= fmaxf(CAP_MIN_PX, 7.5f * s)) nwrap++;
    int done = 0;
    /* whole lines, in type up to 15% smaller */
    for (int t = 0; t < 4 && !done; t++) {
        float f = shrink[t], tp = 17 * s * f, cp = 14 * s * f, w = 0;
        for (int i = 0; i < ns; i++) w = fmaxf(w, gfx_text_width(g, src[i], -1, title[i] ? tp : cp));
        if (w <= inner) {
            c->tp = tp, c->cp = cp, c->n = 0;
            for (int i = 0; i < ns; i++) c->line[c->n++] = (cap_line){src[i], (int)strlen(src[i]), title[i]};
            done = 1;
        }
    }
    /* else wrapped, smaller only if the wrapped box would not fit between the
       legend and the bottom */
    if (!done) cap_wrap(g, c, src, title, ns, inner, top, bottom, wrapped, nwrap, s);
    if (column && (bottom - cap_height(g, c, c->tp, c->cp) < top || c->tp < 17 * s * 0.85f)) {
        /* not in the column: across the canvas, above the chart */
        x1 = sv->x + sv->w;
        inner = x1 - x0 - 20 * s - 2 * c->pad;
        cap_wrap(g, c, src, title, ns, inner, top, bottom, wrapped, nwrap, s);
    }
    c->lt = gfx_line_height(g, c->tp);
    c->lc = gfx_line_height(g, c->cp) * 1.1f;
    float w = 0, h = 2 * c->pad;
    for (int i = 0; i < c->n; i++) {
        w = fmaxf(w, gfx_text_width(g, c->line[i].s, c->line[i].len, c->line[i].title ? c->tp : c->cp));
        h += c->line[i].title ? c->lt : c->lc;
    }
    if (w > inner) w = inner;
    if (!(w > 0)) return 0;
    c->bw = w + 2 * c->pad;
    c->bh = h;
    c->bx = x0 + (x1 - x0 - c->bw) / 2;
    c->by = bottom - h;
    return 1;
}

int scene_caption_rect(gfx *g, const live *L, const scene_view *sv, float out[4])
{
    cap_layout c;
    if (!caption_layout(g, L, sv, &c)) return 0;
    out[0] = c.bx, out[1] = c.by, out[2] = c.bw, out[3] = c.bh;
    return 1;
}

void scene_draw_caption_box(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    cap_layout c;
    if (!caption_layout(g, L, sv, &c)) return;
    scene_draw_box(g, c.bx, c.by, c.bw, c.bh, sv->scale, th);
    gfx_clip(g, c.bx, c.by, c.bw, c.bh);
    float y = c.by + c.pad;
    for (int i = 0; i < c.n; i++) {
        const cap_line *l = &c.line[i];
        gfx_text(g, c.bx + c.pad, y, l->s, l->len, l->title ? c.tp : c.cp, l->title ? th->text : th->text_dim);
        y += l->title ? c.lt : c.lc;
    }
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
}

void scene_draw_caption(gfx *g, const live *L, const scene_view *sv)
{
    scene_theme th = scene_theme_of(L);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    scene_draw_caption_box(g, L, sv, &th);
    gfx_clip(g, 0, 0, -1, -1);
}

