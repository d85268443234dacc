/* netsvg: the network lab's view as SVG (svg_write_netlab). netlab_view draws it
 * through a pen whose strokes are SVG elements: panels as rounded rectangles, grid
 * and legend lines, the curves as polylines, the points as gfx_marker's shapes
 * (svg_marker), text measured with the embedded font as the window measures it (so
 * the layout is the PNG's), a clip as a group clipped to the scissor's whole-pixel
 * rectangle, and the CPU-made pictures (the decision boundary, the slice map) as
 * embedded PNG images. Needs no GL context. */
#include "app/export/svg.h"
#include "app/export/svg_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "app/views/netlab_view.h"

#define FONT_FAMILY "DejaVu Sans, sans-serif"

typedef struct svg_pen {
    svg_out *o;
    svg_metrics *m;
    int w, h;
    int clipped;             /* a clip group is open */
    int nclip;
    int oom;
} svg_pen;

static void put_attr(svg_out *o, const char *name, double v)
{
    svg_put(o, " %s=\"", name);
    svg_num(o, v);
    svg_put(o, "\"");
}

static void s_clip(void *u, float x, float y, float w, float h)
{
    svg_pen *p = u;
    if (p->clipped) svg_put(p->o, "</g>\n");
    p->clipped = 0;
    if (!(w >= 0.0f) || !isfinite(x) || !isfinite(y) || !isfinite(w) || !isfinite(h)) return;
    /* gfx_clip's scissor: whole pixels inside the canvas */
    float x0 = fmaxf(roundf(x), 0), y0 = fmaxf(roundf(y), 0);
    float x1 = fminf(roundf(x + w), (float)p->w), y1 = fminf(roundf(y + (h > 0 ? h : 0)), (float)p->h);
    p->nclip++;
    svg_put(p->o, "<clipPath id=\"clip%d\"><rect", p->nclip);
    put_attr(p->o, "x", x0);
    put_attr(p->o, "y", y0);
    put_attr(p->o, "width", fmaxf(x1 - x0, 0));
    put_attr(p->o, "height", fmaxf(y1 - y0, 0));
    svg_put(p->o, "/></clipPath>\n<g clip-path=\"url(#clip%d)\">\n", p->nclip);
    p->clipped = 1;
}

static void s_rect(void *u, float x, float y, float w, float h, float radius, uint32_t rgba)
{
    svg_pen *p = u;
    if (!(w > 0) || !(h > 0) || !(rgba & 0xff)) return;
    svg_put(p->o, "<rect");
    put_attr(p->o, "x", x);
    put_attr(p->o, "y", y);
    put_attr(p->o, "width", w);
    put_attr(p->o, "height", h);
    float r = fminf(fmaxf(radius, 0), fminf(w, h) / 2);
    if (r > 0) put_attr(p->o, "rx", r);
    svg_paint(p->o, "fill", rgba);
    svg_put(p->o, "/>\n");
}

/* gfx_rect_outline's band lies inside the edge: a stroke on the rectangle inset by
   half the width */
static void s_rect_outline(void *u, float x, float y, float w, float h, float radius, float width, uint32_t rgba)
{
    svg_pen *p = u;
    if (!(w > 0) || !(h > 0) || !(width > 0) || !(rgba & 0xff)) return;
    float d = fminf(width / 2, fminf(w, h) / 2);
    svg_put(p->o, "<rect");
    put_attr(p->o, "x", x + d);
    put_attr(p->o, "y", y + d);
    put_attr(p->o, "width", w - 2 * d);
    put_attr(p->o, "height", h - 2 * d);
    float r = fminf(fmaxf(radius - d, 0), fminf(w, h) / 2);
    if (r > 0) put_attr(p->o, "rx", r);
    svg_put(p->o, " fill=\"none\"");
    svg_paint(p->o, "stroke", rgba);
    put_attr(p->o, "stroke-width", width);
    svg_put(p->o, "/>\n");
}

static void s_line(void *u, float x0, float y0, float x1, float y1, float width, uint32_t rgba)
{
    svg_pen *p = u;
    if (!(width > 0) || !(rgba & 0xff) || !isfinite(x0 + y0 + x1 + y1)) return;
    svg_put(p->o, "<line");
    put_attr(p->o, "x1", x0);
    put_attr(p->o, "y1", y0);
    put_attr(p->o, "x2", x1);
    put_attr(p->o, "y2", y1);
    svg_paint(p->o, "stroke", rgba);
    put_attr(p->o, "stroke-width", width);
    svg_put(p->o, "/>\n");
}

/* gfx_polyline's joins: mitred, bevelled where sharp */
static void s_polyline(void *u, const float *xy, int n, float width, uint32_t rgba)
{
    svg_pen *p = u;
    if (n < 2 || !(width > 0) || !(rgba & 0xff)) return;
    svg_put(p->o, "<polyline points=\"");
    for (int k = 0; k < n; k++) {
        if (k) svg_put(p->o, " ");
        svg_pt(p->o, xy[2 * k], xy[2 * k + 1]);
    }
    svg_put(p->o, "\" fill=\"none\"");
    svg_paint(p->o, "stroke", rgba);
    put_attr(p->o, "stroke-width", width);
    svg_put(p->o, " stroke-linejoin=\"miter\" stroke-miterlimit=\"2\"/>\n");
}

static void s_marker(void *u, gfx_shape shape, float cx, float cy, float r, uint32_t fill, uint32_t outline, float ow)
{
    svg_pen *p = u;
    svg_marker(p->o, shape, cx, cy, r, fill, outline, ow, "mark");
}

/* premultiplied RGBA as RGB over the panel's pixels (the view's images are opaque) */
static void s_image(void *u, const unsigned char *rgba, int w, int h, int x, int y)
{
    svg_pen *p = u;
    if (w < 1 || h < 1) return;
    unsigned char *rgb = malloc((size_t)w * (size_t)h * 3);
    if (!rgb) {
        p->oom = 1;
        return;
    }
    for (size_t i = 0, n = (size_t)w * (size_t)h; i < n; i++) {
        unsigned a = rgba[4 * i + 3];
        for (int q = 0; q < 3; q++)
            rgb[3 * i + q] = a == 255 || a == 0 ? rgba[4 * i + q] : (unsigned char)fminf(255, rgba[4 * i + q] * 255.0f / a + 0.5f);
    }
    if (svg_image_rgb(p->o, rgb, w, h, x, y, w, h, "class=\"picture\"") != 0) p->oom = 1;
    free(rgb);
}

static void s_text(void *u, float x, float y, const char *s, float px, uint32_t rgba)
{
    svg_pen *p = u;
    svg_text_at(p->o, p->m, x, y, s, px, rgba, 0, "label");
}

static float s_text_width(void *u, const char *s, float px)
{
    svg_pen *p = u;
    return svg_text_width(p->m, s, px);
}

static float s_line_height(void *u, float px)
{
    svg_pen *p = u;
    return svg_line_height(p->m, px);
}

int svg_write_netlab(FILE *f, const netlab *lab, const netlab_view *v, int w, int h, uint32_t bg, const char *title,
                     const char *desc, char *err, size_t errlen)
{
    svg_out o = {.f = f};
    svg_metrics mt;
    svg_metrics_open(&mt);
    errno = 0;
    svg_put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
           "font-family=\"" FONT_FAMILY "\" version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
           w, h, w, h);
    svg_put(&o, "<title>optiscape: ");
    svg_text(&o, title && title[0] ? title : "network lab");
    svg_put(&o, "</title>\n<desc>");
    svg_text(&o, desc ? desc : "");
    svg_put(&o, "</desc>\n<rect id=\"background\" width=\"%d\" height=\"%d\"", w, h);
    svg_paint(&o, "fill", bg);
    svg_put(&o, "/>\n<g id=\"netlab\">\n");
    svg_pen p = {&o, &mt, w, h, 0, 0, 0};
    const netlab_pen pen = {&p, s_clip, s_rect, s_rect_outline, s_line, s_polyline,
                            s_marker, s_image, s_text, s_text_width, s_line_height};
    netlab_view_draw_pen(&pen, lab, v);
    s_clip(&p, -1, -1, -1, -1);
    svg_put(&o, "</g>\n</svg>\n");
    svg_metrics_close(&mt);
    if (p.oom) {
        snprintf(err, errlen, "out of memory for the network view's pictures");
        return -1;
    }
    if (fflush(f) != 0 || o.failed || ferror(f)) {
        snprintf(err, errlen, "write failed: %s", errno ? strerror(errno) : "I/O error");
        return -1;
    }
    return 0;
}
