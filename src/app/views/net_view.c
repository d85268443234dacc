/* net_view: the network lab's figures, drawn with gfx for figure_png: the seeds'
 * scatter (minimum ratio against training loss) and a slice's map with the
 * projected training path. Light background, for lecture notes. */
#include "app/views/net_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct plot {
    float x0, y0, w, h;                 /* the plot area in pixels */
    double xlo, xhi, ylo, yhi;          /* on a log axis: log10 of the values */
    float s;                            /* scale: 1 at 1024 x 768 */
    int xlog;                           /* the x axis in decades, its ticks 1, 10, 100, ... */
} plot;

#define PX(p, v) ((p)->x0 + (float)(((v) - (p)->xlo) / ((p)->xhi - (p)->xlo)) * (p)->w)
#define PY(p, v) ((p)->y0 + (p)->h - (float)(((v) - (p)->ylo) / ((p)->yhi - (p)->ylo)) * (p)->h)

static double nice_step(double range)
{
    double e = pow(10, floor(log10(range / 5))), f = range / 5 / e;
    return e * (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10);
}

/* Axes, ticks with their numbers, the axis names and a title. */
static void draw_axes(gfx *g, const plot *p, const char *title, const char *xl, const char *yl, uint32_t ink)
{
    char b[64];
    float px = 15 * p->s;
    gfx_rect_outline(g, p->x0, p->y0, p->w, p->h, 0, 1.2f * p->s, ink);
    for (int ax = 0; ax < 2; ax++) {
        int lg = ax == 0 && p->xlog;
        double lo = ax ? p->ylo : p->xlo, hi = ax ? p->yhi : p->xhi, st = lg ? ceil((hi - lo) / 8) : nice_step(hi - lo);
        for (double v = ceil(lo / st) * st; v <= hi + 1e-9 * st; v += st) {
            if (lg) snprintf(b, sizeof b, "%.0f", pow(10, v));
            else snprintf(b, sizeof b, "%.4g", fabs(v) < 1e-12 * st ? 0.0 : v);
            float tw = gfx_text_width(g, b, -1, px);
            if (ax == 0) {
                gfx_line(g, PX(p, v), p->y0 + p->h, PX(p, v), p->y0 + p->h + 6 * p->s, 1.2f * p->s, ink);
                gfx_text(g, PX(p, v) - tw / 2, p->y0 + p->h + 8 * p->s, b, -1, px, ink);
            } else {
                gfx_line(g, p->x0 - 6 * p->s, PY(p, v), p->x0, PY(p, v), 1.2f * p->s, ink);
                gfx_text(g, p->x0 - 9 * p->s - tw, PY(p, v) - gfx_line_height(g, px) / 2, b, -1, px, ink);
            }
        }
    }
    float lh = gfx_line_height(g, px);
    gfx_text(g, p->x0 + p->w / 2 - gfx_text_width(g, xl, -1, px) / 2, p->y0 + p->h + 12 * p->s + lh, xl, -1, px, ink);
    gfx_text(g, p->x0, p->y0 - 1.5f * lh - 6 * p->s, yl, -1, px, ink);
    gfx_text(g, p->x0, p->y0 - 3.2f * lh - 6 * p->s, title, -1, 18 * p->s, ink);
}

static plot plot_area(int w, int h, double xlo, double xhi, double ylo, double yhi)
{
    float s = (float)fmin(w / 1024.0, h / 768.0);
    plot p = {110 * s, 110 * s, (float)w - 170 * s, (float)h - 200 * s, xlo, xhi, ylo, yhi, s, 0};
    return p;
}

void net_view_scatter(gfx *g, void *user, int w, int h)
{
    const net_scatter *f = user;
    double xlo = 1, xhi = 0, ylo = HUGE_VAL, yhi = -HUGE_VAL;
    for (int i = 0; i < f->n; i++) {
        if (!isfinite(f->x[i]) || !isfinite(f->y[i])) continue;
        xlo = fmin(xlo, f->x[i]);
        xhi = fmax(xhi, f->x[i]);
        ylo = fmin(ylo, f->y[i]);
        yhi = fmax(yhi, f->y[i]);
    }
    if (!(xhi > xlo)) { xlo -= 0.05; xhi += 0.05; }
    if (!(yhi > ylo)) { ylo = ylo > 0 ? 0 : ylo - 1; yhi = yhi + 1; }
    double dx = 0.08 * (xhi - xlo), dy = 0.08 * (yhi - ylo);
    plot p = plot_area(w, h, xlo - dx, xhi + dx, fmax(0, ylo - dy), yhi + dy);
    gfx_clear(g, 0xffffffffu);
    draw_axes(g, &p, f->title, "minimum ratio (positive Hessian eigenvalues / all)", "training loss", 0x222222ffu);
    for (int i = 0; i < f->n; i++)
        if (isfinite(f->x[i]) && isfinite(f->y[i]))
            gfx_marker(g, GFX_CIRCLE, PX(&p, f->x[i]), PY(&p, f->y[i]), 6 * p.s, 0x2f6db5ccu, 0x111111ffu, 1.0f * p.s);
}

void net_view_slice(gfx *g, void *user, int w, int h)
{
    const net_slice_map *f = user;
    plot p = plot_area(w, h, -f->range, f->range, -f->range, f->range);
    p.w = p.h = fminf(p.w, p.h);
    p.x0 = ((float)w - p.w) / 2;        /* the square map centred */
    int iw = (int)p.w, ih = (int)p.h;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    for (int k = 0; k < f->n * f->n; k++)
        if (f->grid[k] > 0 && isfinite(f->grid[k])) { lo = fmin(lo, log(f->grid[k])); hi = fmax(hi, log(f->grid[k])); }
    unsigned char *img = malloc((size_t)iw * (size_t)ih * 4);
    gfx_clear(g, 0xffffffffu);
    if (img) {
        for (int y = 0; y < ih; y++)
            for (int x = 0; x < iw; x++) {
                /* bilinear between the grid's points, the loss on a log scale */
                double u = (double)x / (iw - 1) * (f->n - 1), v = (1 - (double)y / (ih - 1)) * (f->n - 1);
                int i = (int)fmin(u, f->n - 2), j = (int)fmin(v, f->n - 2);
                double fu = u - i, fv = v - j, *gr = (double *)f->grid;
                double l = (1 - fu) * (1 - fv) * gr[j * f->n + i] + fu * (1 - fv) * gr[j * f->n + i + 1] +
                           (1 - fu) * fv * gr[(j + 1) * f->n + i] + fu * fv * gr[(j + 1) * f->n + i + 1];
                float t = hi > lo && l > 0 ? (float)((log(l) - lo) / (hi - lo)) : 0.5f;
                uint32_t c = style_cmap_color(STYLE_CMAP_VIRIDIS, t);
                unsigned char *q = img + ((size_t)y * (size_t)iw + (size_t)x) * 4;
                q[0] = (unsigned char)(c >> 24);
                q[1] = (unsigned char)(c >> 16);
                q[2] = (unsigned char)(c >> 8);
                q[3] = 255;
            }
        gfx_image(g, img, iw, ih, (int)p.x0, (int)p.y0);
        free(img);
    }
    if (f->npath > 1) {
        float *xy = malloc((size_t)f->npath * 2 * sizeof *xy);
        for (int k = 0; xy && k < f->npath; k++) {
            xy[2 * k] = PX(&p, f->path[2 * k]);
            xy[2 * k + 1] = PY(&p, f->path[2 * k + 1]);
        }
        gfx_clip(g, p.x0, p.y0, p.w, p.h);
        if (xy) gfx_polyline(g, xy, f->npath, 2.5f * p.s, NULL, 0xffffffffu);
        gfx_marker(g, GFX_CIRCLE, PX(&p, f->path[0]), PY(&p, f->path[1]), 6 * p.s, 0xffffffffu, 0x111111ffu, p.s);
        gfx_clip(g, 0, 0, (float)w, (float)h);
        free(xy);
    }
    gfx_marker(g, GFX_STAR, PX(&p, 0), PY(&p, 0), 8 * p.s, 0xff5a36ffu, 0x111111ffu, p.s);
    draw_axes(g, &p, f->title, "a (along d1)", "b (along d2)", 0x222222ffu);
}


/* Two panels side by side, each a curve y[k] against x on a log x axis (linear y from
 * 0), as the seeds' batch-size figures. */
void net_view_curves(gfx *g, void *user, int w, int h)
{
    const net_curves *f = user;
    plot all = plot_area(w, h, 0, 1, 0, 1);
    float gap = 110 * all.s, pw = (all.w - gap) / 2;
    const uint32_t ink = 0x222222ffu, col[2] = {0x2f6db5ffu, 0xd55e00ffu};
    gfx_clear(g, 0xffffffffu);
    float *xy = malloc((size_t)(f->n > 0 ? f->n : 1) * 2 * sizeof *xy);
    for (int k = 0; k < 2; k++) {
        double xlo = HUGE_VAL, xhi = -HUGE_VAL, yhi = 0;
        for (int i = 0; i < f->n; i++)
            if (f->x[i] > 0 && isfinite(f->y[k][i])) {
                xlo = fmin(xlo, log10(f->x[i]));
                xhi = fmax(xhi, log10(f->x[i]));
                yhi = fmax(yhi, f->y[k][i]);
            }
        if (!(xhi > xlo)) { xlo = 0; xhi = 1; }
        if (!(yhi > 0)) yhi = 1;
        double dx = 0.04 * (xhi - xlo);
        plot p = all;
        p.x0 = all.x0 + (float)k * (pw + gap);
        p.w = pw;
        p.xlo = xlo - dx;
        p.xhi = xhi + dx;
        p.ylo = 0;
        p.yhi = 1.08 * yhi;
        p.xlog = 1;
        int m = 0;
        for (int i = 0; xy && i < f->n; i++)
            if (f->x[i] > 0 && isfinite(f->y[k][i])) {
                xy[2 * m] = PX(&p, log10(f->x[i]));
                xy[2 * m + 1] = PY(&p, f->y[k][i]);
                m++;
            }
        if (m > 1) gfx_polyline(g, xy, m, 2.5f * p.s, NULL, col[k]);
        for (int i = 0; i < m; i++) gfx_marker(g, GFX_CIRCLE, xy[2 * i], xy[2 * i + 1], 4 * p.s, col[k], ink, p.s);
        draw_axes(g, &p, f->panel[k], f->xlabel, f->ylabel[k], ink);
    }
    free(xy);
}
