/* init_view: the seven networks' per-layer RMS (scene/init_stats) drawn as two
 * log-scale charts. Curves that coincide (for square layers Xavier's variance is
 * exactly 1/n, and Kaiming's is 2/n for relu, drawn from the same N(0,1) numbers)
 * stay distinguishable by their markers, placed at different layers for each
 * scheme. */
#include "app/views/init_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scene/live.h"

/* colour (live_palette index) and marker of each scheme */
/* Schemes whose curves (nearly) coincide get far-apart colours: 1/n, Xavier normal
   and uniform (vermillion, sky blue, yellow); 2/n, Kaiming normal and uniform (bluish
   green, blue, orange) for relu; 3/n reddish purple. */
static const int scheme_color[INITNORM_SCHEME_COUNT] = {5, 3, 2, 4, 1, 0, 6};
static const gfx_shape scheme_shape[INITNORM_SCHEME_COUNT] = {
    GFX_CIRCLE, GFX_SQUARE, GFX_DIAMOND, GFX_TRIANGLE_UP, GFX_TRIANGLE_DOWN, GFX_STAR, GFX_RING};

/* A scheme's colour in the theme: the light theme's palette on white. */
static uint32_t scheme_rgba(int sc, const scene_theme *th)
{
    int light = (th->bg >> 8) == 0xffffffu;
    return (light ? live_palette_light : live_palette)[scheme_color[sc]];
}

/* ---- drawing ------------------------------------------------------------------ */

static void box(gfx *g, float x, float y, float w, float h, float s, const scene_theme *th)
{
    gfx_rect(g, x, y, w, h, 6 * s, th->box);
    gfx_rect_outline(g, x, y, w, h, 6 * s, 1, th->box_edge);
}

/* n * var as shown in the legend: "2/n", "2.78/n" */
static void variance_text(char *b, size_t n, initnorm_scheme s, initnorm_act act, int width)
{
    double k = initnorm_variance(s, act, width) * width;
    if (fabs(k - round(k)) < 1e-9) snprintf(b, n, "σ² = %.0f/n", k);
    else snprintf(b, n, "σ² = %.3g/n", k);
}

static int nice_step(int range, int max_ticks)
{
    static const int steps[] = {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (range / steps[i] <= max_ticks) return steps[i];
    return 1000;
}

/* A chart's plot area in pixels and its ranges: layers 0..L across, log10 of the
 * values lo..hi up. */
typedef struct chart_frame {
    float px0, px1, py0, py1;
    double lo, hi;
    int L;
    float s, sp, lh;              /* scale, tick label size and line height */
} chart_frame;

static float chart_y(const chart_frame *cf, double lv)
{
    return cf->py1 - (float)((lv - cf->lo) / (cf->hi - cf->lo)) * (cf->py1 - cf->py0);
}

static float chart_x(const chart_frame *cf, int l)
{
    return cf->px0 + (cf->px1 - cf->px0) * (float)l / (float)(cf->L > 0 ? cf->L : 1);
}

/* The decades shown: whole ones around the finite values, 1 kept in view, at most
 * about seven grid lines. 0 when no value is finite. */
static int chart_range(chart_frame *cf, const init_view_result *r, const double *v)
{
    int L = cf->L, stride = L + 1;
    double lo = INFINITY, hi = -INFINITY;
    for (int sc = 0; sc < INITNORM_SCHEME_COUNT; sc++) {
        if (!(r->schemes >> sc & 1)) continue;
        for (int l = 0; l <= L; l++) {
            double t = v[sc * stride + l];
            if (t > 0 && isfinite(t)) {
                lo = fmin(lo, log10(t));
                hi = fmax(hi, log10(t));
            }
        }
    }
    if (!(lo <= hi)) return 0;
    lo = floor(lo);
    hi = ceil(hi);
    if (hi - lo < 2) {
        /* keep 1 (the inputs' RMS and the top gradient's) in view and a little room */
        lo = fmin(lo, -1);
        hi = fmax(hi, 1);
    }
    int dstep = (int)ceil((hi - lo) / 7.0);
    if (dstep < 1) dstep = 1;
    cf->lo = floor(lo / dstep) * dstep;
    cf->hi = ceil(hi / dstep) * dstep;
    return dstep;
}

/* The grid lines of the decades and the layer ticks with their labels. */
static void chart_axes(gfx *g, const chart_frame *cf, int dstep, const scene_theme *th)
{
    float s = cf->s, sp = cf->sp, lh = cf->lh, px0 = cf->px0, px1 = cf->px1, py1 = cf->py1;
    for (double d = cf->lo; d <= cf->hi + 1e-9; d += dstep) {
        float yy = chart_y(cf, d);
        gfx_line(g, px0, yy, px1, yy, d == 0 ? 1.6f * s : 1, d == 0 ? GFX_WITH_ALPHA(th->text_dim, 0x90) : th->grid);
        char b[32];
        if (d == 0) snprintf(b, sizeof b, "1");
        else snprintf(b, sizeof b, "1e%d", (int)d);
        gfx_text(g, px0 - gfx_text_width(g, b, -1, sp) - 5 * s, yy - lh / 2, b, -1, sp, th->text_dim);
    }
    /* as many layer ticks as their labels leave room for */
    char widest[16];
    snprintf(widest, sizeof widest, "%d", cf->L);
    float lab_w = gfx_text_width(g, widest, -1, sp) + 8 * s;
    int max_ticks = (int)((px1 - px0) / (lab_w > 1 ? lab_w : 1));
    if (max_ticks > 10) max_ticks = 10;
    if (max_ticks < 1) max_ticks = 1;
    int xstep = nice_step(cf->L, max_ticks);
    for (int l = 0; l <= cf->L; l += xstep) {
        float xx = chart_x(cf, l);
        gfx_line(g, xx, py1, xx, py1 + 4 * s, 1, th->text_dim);
        char b[16];
        snprintf(b, sizeof b, "%d", l);
        float tw = gfx_text_width(g, b, -1, sp);
        gfx_text(g, xx - tw / 2, py1 + 5 * s, b, -1, sp, th->text_dim);
    }
    const char *xl = "layer l";
    gfx_text(g, (px0 + px1 - gfx_text_width(g, xl, -1, sp)) / 2, py1 + 5 * s + lh, xl, -1, sp, th->text_dim);
}

/* Each scheme's curve (broken where a value is not finite) and its markers. */
static void chart_curves(gfx *g, const chart_frame *cf, const init_view_result *r, const double *v,
                         const scene_theme *th)
{
    int L = cf->L, stride = L + 1;
    float s = cf->s;
    float *pts = malloc(sizeof *pts * 2 * (size_t)stride);
    int mstep = L >= 20 ? nice_step(L, 6) : 1;
    for (int sc = 0; sc < INITNORM_SCHEME_COUNT && pts; sc++) {
        if (!(r->schemes >> sc & 1)) continue;
        uint32_t c = scheme_rgba(sc, th);
        const double *vs = v + (size_t)sc * stride;
        int m = 0;
        for (int l = 0; l <= L + 1; l++) {
            int ok = l <= L && vs[l] > 0 && isfinite(vs[l]);
            if (ok) {
                pts[2 * m] = chart_x(cf, l);
                pts[2 * m + 1] = chart_y(cf, log10(vs[l]));
                m++;
            }
            if (!ok || l == L) {
                if (m >= 2) gfx_polyline(g, pts, m, 2.2f * s, NULL, c);
                m = 0;
            }
        }
        /* markers at layers offset by scheme, so coinciding curves show both */
        int off = mstep > 1 ? (sc * mstep) / INITNORM_SCHEME_COUNT : 0;
        for (int l = off; l <= L; l += mstep)
            if (vs[l] > 0 && isfinite(vs[l]))
                gfx_marker(g, scheme_shape[sc], chart_x(cf, l), chart_y(cf, log10(vs[l])), 5 * s, c, 0x111111ffu,
                           1.1f * s);
    }
    free(pts);
}

/* One chart: v[s * stride + l] for l = 0..L, log10 on y. */
static void chart(gfx *g, const init_view_result *r, const double *v, const char *title,
                  float x, float y, float w, float h, float s, const scene_theme *th)
{
    float tp = 13 * s, sp = 11.5f * s, lh = gfx_line_height(g, sp);
    /* the title within the chart's width: smaller type where it would run into
       the next chart (large text, a narrow window) */
    float tw0 = gfx_text_width(g, title, -1, tp);
    if (tw0 > w && tw0 > 0) tp *= fmaxf(w / tw0, 0.6f);
    gfx_clip(g, x, y, w, gfx_line_height(g, tp) + 2);
    gfx_text(g, x, y, title, -1, tp, th->text);
    gfx_clip(g, 0, 0, -1, -1);
    chart_frame cf = {x + 48 * s, x + w - 8 * s, y + gfx_line_height(g, tp) + 10 * s, y + h - 2 * lh - 8 * s,
                      0, 0, r->cfg.layers, s, sp, lh};
    if (cf.px1 - cf.px0 < 40 || cf.py1 - cf.py0 < 40) return;
    int dstep = chart_range(&cf, r, v);
    if (!dstep) {
        gfx_text(g, cf.px0, cf.py0, "no finite values", -1, sp, th->text_dim);
        return;
    }
    chart_axes(g, &cf, dstep, th);
    gfx_clip(g, cf.px0 - 6 * s, cf.py0 - 6 * s, cf.px1 - cf.px0 + 12 * s, cf.py1 - cf.py0 + 12 * s);
    chart_curves(g, &cf, r, v, th);
    gfx_clip(g, 0, 0, -1, -1);
    gfx_line(g, cf.px0, cf.py1, cf.px1, cf.py1, 1, th->text_dim);
    gfx_line(g, cf.px0, cf.py0, cf.px0, cf.py1, 1, th->text_dim);
}

/* The legend: entries flowed into rows of width avail, the last row ending at
 * bottom. Returns the legend's top. */
static float legend(gfx *g, const init_view_result *r, float x, float bottom, float avail, float s,
                    const scene_theme *th)
{
    const initnorm_cfg *c = &r->cfg;
    float lp = 13 * s, llh = gfx_line_height(g, lp) * 1.25f, sw = 30 * s, gap = 22 * s;
    char lab[INITNORM_SCHEME_COUNT][96];
    float lw[INITNORM_SCHEME_COUNT];
    int rows = 1;
    float rowx = 0;
    for (int sc = 0; sc < INITNORM_SCHEME_COUNT; sc++) {
        char vt[48];
        variance_text(vt, sizeof vt, sc, c->act, c->width);
        snprintf(lab[sc], sizeof lab[sc], "%s  %s", initnorm_scheme_label(sc), vt);
        lw[sc] = sw + 6 * s + gfx_text_width(g, lab[sc], -1, lp);
        if (!(r->schemes >> sc & 1)) continue;
        if (rowx > 0 && rowx + lw[sc] > avail) {
            rows++;
            rowx = 0;
        }
        rowx += lw[sc] + gap;
    }
    float legend_h = rows * llh;
    float ly = bottom - legend_h;
    rowx = 0;
    int row = 0;
    for (int sc = 0; sc < INITNORM_SCHEME_COUNT; sc++) {
        if (!(r->schemes >> sc & 1)) continue;
        if (rowx > 0 && rowx + lw[sc] > avail) {
            row++;
            rowx = 0;
        }
        float ex = x + rowx, ey = ly + row * llh, my = ey + gfx_line_height(g, lp) * 0.5f;
        uint32_t col = scheme_rgba(sc, th);
        gfx_line(g, ex, my, ex + sw, my, 2.2f * s, col);
        gfx_marker(g, scheme_shape[sc], ex + sw / 2, my, 5 * s, col, 0x111111ffu, 1.1f * s);
        gfx_text(g, ex + sw + 6 * s, ey, lab[sc], -1, lp, th->text);
        rowx += lw[sc] + gap;
    }
    return ly;
}

void init_view_draw(gfx *g, const init_view *iv, float x, float y, float w, float h, float scale,
                    const scene_theme *th)
{
    float s = scale > 0 ? scale : 1, pad = 14 * s;
    box(g, x, y, w, h, s, th);
    gfx_clip(g, x, y, w, h);
    const init_view_result *r = init_view_current(iv);
    float tp = 17 * s, sp = 12.5f * s;
    if (!r || !r->valid) {
        gfx_text(g, x + pad, y + pad, r ? "Initialization: not enough memory for this network"
                                        : "Initialization: not computed", -1, tp, th->text);
        gfx_clip(g, 0, 0, -1, -1);
        return;
    }
    const initnorm_cfg *c = &r->cfg;
    char b[512];
    snprintf(b, sizeof b, "Initialization: %d %s layers of %d units", c->layers,
             initnorm_act_name(c->act), c->width);
    float cy = y + pad;
    gfx_text(g, x + pad, cy, b, -1, tp, th->text);
    cy += gfx_line_height(g, tp) + 2 * s;
    /* the set-up in one line, or two where one does not fit */
    char b2[256];
    char net[64];
    if (c->act == INITNORM_LINEAR) snprintf(net, sizeof net, "a_l = W_l a_(l−1)");
    else snprintf(net, sizeof net, "a_l = %s(W_l a_(l−1))", initnorm_act_name(c->act));
    snprintf(b, sizeof b, "%s, no biases; a_0: %d samples of N(0, 1); seed %llu.", net, c->batch,
             (unsigned long long)c->seed);
    snprintf(b2, sizeof b2, "loss = Σ r·a_%d with random signs r;  RMS = √mean(x²) over samples and units",
             c->layers);
    float w1 = gfx_text_width(g, b, -1, sp), w2 = gfx_text_width(g, b2, -1, sp), sep = 8 * s;
    if (w1 + sep + w2 <= w - 2 * pad) {
        gfx_text(g, x + pad, cy, b, -1, sp, th->text_dim);
        gfx_text(g, x + pad + w1 + sep, cy, b2, -1, sp, th->text_dim);
        cy += gfx_line_height(g, sp);
    } else {
        /* each wrapped to the width (large text, a narrow window) */
        const char *both[2] = {b, b2};
        for (int k = 0; k < 2; k++) {
            int st[8], ln[8], nl = scene_wrap(g, both[k], sp, w - 2 * pad, st, ln, 8);
            for (int i = 0; i < nl; i++, cy += gfx_line_height(g, sp))
                gfx_text(g, x + pad, cy, both[k] + st[i], ln[i], sp, th->text_dim);
        }
    }
    cy += 12 * s;

    float ly = legend(g, r, x + pad, y + h - pad, w - 2 * pad, s, th);

    /* the two charts */
    float ch = ly - 10 * s - cy, cgap = 28 * s, cw = (w - 2 * pad - cgap) / 2;
    if (ch > 60 * s && cw > 120 * s) {
        chart(g, r, r->act_rms, "activation RMS at layer l   (forward →)", x + pad, cy, cw, ch, s, th);
        chart(g, r, r->grad_rms, "gradient RMS, ∂loss/∂a_l   (← backward)", x + pad + cw + cgap, cy, cw,
              ch, s, th);
    }
    gfx_clip(g, 0, 0, -1, -1);
}
