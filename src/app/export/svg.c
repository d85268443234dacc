/* svg: the scene as SVG. Every size, colour and position follows scene_view.c and
 * gfx.c (the marker and arrow shapes are the polygons of prim.frag's distance
 * functions, outlines drawn inside the shape's edge as there); the colour map comes
 * from style_cmap_color, so the raster layer has the window's colours; text is measured
 * with the embedded font at the window's pixel sizes, so the legend box fits its
 * lines as in the window. Coordinates are canvas pixels with two decimals. */
#include "app/export/svg.h"

#include <SDL_ttf.h>
#include <errno.h>
#include <math.h>
#include <png.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/contour.h"
#include "render/embedded.h"
#include "render/gfx.h"
#include "style/cmap.h"
#include "style/fieldmap.h"
#include "style/look.h"

#define RASTER_MAX_SIDE 1200
#define FONT_FAMILY "DejaVu Sans, sans-serif"

typedef struct out {
    FILE *f;
    int failed;
} out;

static void put(out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(o->f, fmt, ap) < 0) o->failed = 1;
    va_end(ap);
}

/* A coordinate with two decimals, without trailing zeros ("12.5", "-3", "0"). */
static void num(out *o, double v)
{
    char b[48];
    if (!isfinite(v)) v = 0;
    snprintf(b, sizeof b, "%.2f", v);
    char *dot = strchr(b, '.');
    if (dot) {
        char *e = b + strlen(b) - 1;
        while (e > dot && *e == '0') *e-- = 0;
        if (e == dot) *e = 0;
    }
    if (strcmp(b, "-0") == 0) strcpy(b, "0");
    if (fputs(b, o->f) < 0) o->failed = 1;
}

static void pt(out *o, double x, double y)
{
    num(o, x);
    put(o, " ");
    num(o, y);
}

/* ' fill="#rrggbb"' and ' fill-opacity="a"' where the colour is not opaque. */
static void paint(out *o, const char *what, uint32_t rgba)
{
    put(o, " %s=\"#%06x\"", what, (unsigned)(rgba >> 8));
    if ((rgba & 0xff) != 0xff) put(o, " %s-opacity=\"%.3g\"", what, (double)(rgba & 0xff) / 255.0);
}

/* One code point of s, advancing *s; malformed UTF-8 gives U+FFFD and one byte. */
static uint32_t utf8_decode(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
    if (n < 0) { *s = p + 1; return 0xfffd; }
    if (n == 0) { *s = p + 1; return c; }
    c &= 0x3fu >> n;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80) { *s = p + 1; return 0xfffd; }
        c = c << 6 | (p[i] & 0x3fu);
    }
    static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
    if (c < least[n] || c > 0x10ffff || (c >= 0xd800 && c < 0xe000)) { *s = p + 1; return 0xfffd; }
    *s = p + n + 1;
    return c;
}

/* Text content or attribute value: XML-escaped, valid UTF-8, no control characters
 * (which XML 1.0 forbids). spaces: keep runs of spaces (as no-break spaces after the
 * first), which SVG text would otherwise collapse into one. */
static void text_sp(out *o, const char *s, int spaces)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t prev = 0;
    while (*p) {
        const unsigned char *start = p;
        uint32_t c = utf8_decode(&p);
        if (spaces && c == ' ' && prev == ' ') {
            put(o, "\xc2\xa0");
            continue;
        }
        prev = c;
        switch (c) {
        case '&': put(o, "&amp;"); break;
        case '<': put(o, "&lt;"); break;
        case '>': put(o, "&gt;"); break;
        case '"': put(o, "&quot;"); break;
        case '\'': put(o, "&apos;"); break;
        default:
            if (c < 0x20 && c != '\n' && c != '\t') break;
            if ((c >= 0x7f && c < 0xa0) || c == 0xfffe || c == 0xffff) break;
            if (c == 0xfffd && !(start[0] == 0xef && start[1] == 0xbf && start[2] == 0xbd))
                put(o, "\xef\xbf\xbd");
            else if (fwrite(start, 1, (size_t)(p - start), o->f) != (size_t)(p - start))
                o->failed = 1;
        }
    }
}

static void text(out *o, const char *s) { text_sp(o, s, 0); }

/* ---- text measurement with the embedded font (the window's metrics) ------------ */

typedef struct metrics {
    TTF_Font *font;
    int size;
} metrics;

static void metrics_open(metrics *m)
{
    m->font = NULL;
    m->size = 0;
    size_t n;
    const unsigned char *ttf = embedded_find("DejaVuSans.ttf", &n);
    if (!ttf || TTF_Init() < 0) return;
    SDL_RWops *rw = SDL_RWFromConstMem(ttf, (int)n);
    m->font = rw ? TTF_OpenFontRW(rw, 1, 16) : NULL;
    if (!m->font) TTF_Quit();
    else m->size = 16;
}

static void metrics_close(metrics *m)
{
    if (!m->font) return;
    TTF_CloseFont(m->font);
    TTF_Quit();
    m->font = NULL;
}

/* The integer pixel size gfx uses for px (font_px). */
static int font_size(float px)
{
    long s = lrintf(px);
    return s < 1 ? 1 : s > 256 ? 256 : (int)s;
}

static int metrics_use(metrics *m, float px)
{
    int size = font_size(px);
    if (m->font && m->size != size) {
        if (TTF_SetFontSize(m->font, size) < 0) metrics_close(m);
        else m->size = size;
    }
    return size;
}

/* Line height and ascent; DejaVu Sans's proportions without the font. */
static float line_height(metrics *m, float px)
{
    int size = metrics_use(m, px);
    if (!m->font) return roundf(1.164f * (float)size);
    int h = TTF_FontLineSkip(m->font);
    return (float)(h > 0 ? h : TTF_FontHeight(m->font));
}

static float ascent(metrics *m, float px)
{
    int size = metrics_use(m, px);
    return m->font ? (float)TTF_FontAscent(m->font) : roundf(0.928f * (float)size);
}

/* Sum of the glyph advances, as gfx_text_width. */
static float text_width(metrics *m, const char *s, float px)
{
    int size = metrics_use(m, px);
    float w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c = utf8_decode(&p);
        if (c < 32 || (c >= 0x7f && c < 0xa0)) continue;
        int adv = 0;
        if (!m->font || TTF_GlyphMetrics32(m->font, c, NULL, NULL, NULL, NULL, &adv) < 0)
            adv = (int)lrintf(0.6f * (float)size);
        w += (float)adv;
    }
    return w;
}

/* A text element whose line box has its top left at (x, y) as gfx_text draws it:
 * whole pixels, baseline at the font's ascent. anchor_end: x is the right end. */
static void text_at(out *o, metrics *m, float x, float y, const char *s, float px, uint32_t rgba,
                    int anchor_end, const char *cls)
{
    put(o, "<text class=\"%s\" x=\"", cls);
    num(o, floorf(x + 0.5f));
    put(o, "\" y=\"");
    num(o, floorf(y + 0.5f) + ascent(m, px));
    put(o, "\" font-size=\"%d\"", font_size(px));
    paint(o, "fill", rgba);
    if (anchor_end) put(o, " text-anchor=\"end\"");
    put(o, ">");
    text_sp(o, s, 1);
    put(o, "</text>\n");
}

/* ---- the colour field ---------------------------------------------------------- */

typedef struct membuf {
    unsigned char *p;
    size_t n, cap;
} membuf;

static void mem_write(png_structp png, png_bytep data, size_t len)
{
    membuf *b = png_get_io_ptr(png);
    if (b->n + len > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->n + len) cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        if (!q) png_error(png, "out of memory");
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
}

static void mem_flush(png_structp png) { (void)png; }

/* rgb (w x h, rows top to bottom) as a PNG in memory. */
static int png_encode(const unsigned char *rgb, int w, int h, membuf *b)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_set_write_fn(png, b, mem_write, mem_flush);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) png_write_row(png, rgb + (size_t)y * (size_t)w * 3);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

static void base64(out *o, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        q[0] = tab[v >> 18 & 63];
        q[1] = tab[v >> 12 & 63];
        q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        q[3] = i + 2 < n ? tab[v & 63] : '=';
        if (fwrite(q, 1, 4, o->f) != 4) o->failed = 1;
    }
}

/* World to canvas pixels (the canvas origin at 0, 0). */
static void to_px(const scene_view *sv, double x, double y, double *px, double *py)
{
    float fx, fy;
    scene_to_px(sv, x, y, &fx, &fy);
    *px = (double)fx - sv->x;
    *py = (double)fy - sv->y;
}

/* The field as one image at its own resolution (at most RASTER_MAX_SIDE a side),
 * stretched over the region it covers; the window samples the same grid. */
static int write_raster(out *o, const field_result *fr, const scene_view *sv, style_cmap cm)
{
    int w = fr->w, h = fr->h, rw = w, rh = h;
    if (w > RASTER_MAX_SIDE || h > RASTER_MAX_SIDE) {
        double s = (double)RASTER_MAX_SIDE / (w > h ? w : h);
        rw = (int)fmax(1, lround(w * s));
        rh = (int)fmax(1, lround(h * s));
    }
    unsigned char *rgb = malloc((size_t)rw * (size_t)rh * 3);
    if (!rgb) return -1;
    fieldmap m = fieldmap_of(fr->vmin, fr->vmax);
    for (int y = 0; y < rh; y++) {
        int j = (int)(((double)(rh - 1 - y) + 0.5) * h / rh);   /* row 0 of the field is the bottom */
        for (int x = 0; x < rw; x++) {
            int i = (int)(((double)x + 0.5) * w / rw);
            float v = fr->loss[(size_t)j * w + i];
            /* undefined (NaN): the field shader's grey and hatching */
            uint32_t c = v != v ? ((x - y) % 8 + 8) % 8 < 2 ? GFX_UNDEFINED_HATCH : GFX_UNDEFINED_GREY
                                : style_cmap_color(cm, (float)fieldmap_t(&m, v));
            unsigned char *p = rgb + ((size_t)y * rw + x) * 3;
            p[0] = (unsigned char)(c >> 24);
            p[1] = (unsigned char)(c >> 16);
            p[2] = (unsigned char)(c >> 8);
        }
    }
    membuf b = {0};
    int rc = png_encode(rgb, rw, rh, &b);
    free(rgb);
    if (rc == 0) {
        double x0, y0, x1, y1;
        to_px(sv, fr->view[0], fr->view[3], &x0, &y0);
        to_px(sv, fr->view[1], fr->view[2], &x1, &y1);
        put(o, "<image id=\"field\" x=\"");
        num(o, x0);
        put(o, "\" y=\"");
        num(o, y0);
        put(o, "\" width=\"");
        num(o, x1 - x0);
        put(o, "\" height=\"");
        num(o, y1 - y0);
        put(o, "\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64,");
        base64(o, b.p, b.n);
        put(o, "\"/>\n");
    }
    free(b.p);
    return rc;
}

/* ---- iso-lines ----------------------------------------------------------------- */

typedef struct iso_ctx {
    out *o;
    const field_result *fr;
    const scene_view *sv;
} iso_ctx;

/* A polyline in grid-index coordinates as a path, points closer than a third of a
 * pixel to the last one dropped. */
static void iso_emit(void *ctx, const double *xy, int n, int closed)
{
    iso_ctx *c = ctx;
    const field_result *fr = c->fr;
    double dx = (fr->view[1] - fr->view[0]) / fr->w, dy = (fr->view[3] - fr->view[2]) / fr->h;
    double lx = 0, ly = 0;
    put(c->o, "<path d=\"");
    for (int k = 0; k < n; k++) {
        double px, py;
        to_px(c->sv, fr->view[0] + (xy[2 * k] + 0.5) * dx, fr->view[2] + (xy[2 * k + 1] + 0.5) * dy, &px, &py);
        if (k > 0 && k < n - 1 && fabs(px - lx) < 0.34 && fabs(py - ly) < 0.34) continue;
        put(c->o, k == 0 ? "M" : k == 1 ? " L" : " ");
        pt(c->o, px, py);
        lx = px;
        ly = py;
    }
    put(c->o, closed ? "Z\"/>\n" : "\"/>\n");
}

/* Lines over the low part of a dark map are light, the others dark; over nothing
 * (transparent) the light ones take the light map's dark colour, as gfx.c does. */
static int write_iso(out *o, const live *L, const field_result *fr, const scene_view *sv, int transparent)
{
    style_cmap cm = L->disp.cmap;
    fieldmap m = fieldmap_of(fr->vmin, fr->vmax);
    double split = style_cmap_iso_split_pct(cm) / 100.0;   /* the window's split (style/cmap) */
    int light_map = L->disp.cmap == STYLE_CMAP_LIGHT;
    uint32_t dark = light_map ? 0x293345ffu : 0x0d0f1affu, light = transparent ? 0x293345ffu : 0xffffffffu;
    double alpha = light_map ? 0.55 : 0.45;
    put(o, "<g id=\"iso\" fill=\"none\" stroke-width=\"");
    num(o, 1.1 * sv->scale);
    put(o, "\" stroke-opacity=\"%.2f\" stroke-linejoin=\"round\">\n", alpha);
    iso_ctx c = {o, fr, sv};
    /* the shader's levels: every multiple of step in the mapped coordinate */
    if (m.iso_step > 0 && isfinite(m.iso_step)) {
        long k0 = (long)ceil(m.umin / m.iso_step), k1 = (long)floor(m.umax / m.iso_step);
        for (long k = k0; k <= k1 && k - k0 < 1000; k++) {
            double u = fieldmap_level(&m, k), level = fieldmap_level_value(&m, k);
            double t = (u - m.umin) / (m.umax - m.umin);
            put(o, "<g class=\"level\" data-t=\"%.4f\"", t);
            paint(o, "stroke", t < split ? light : dark);
            put(o, ">\n");
            if (contour_lines(fr->loss, fr->w, fr->h, level, iso_emit, &c) < 0) return -1;
            put(o, "</g>\n");
        }
    }
    put(o, "</g>\n");
    return 0;
}

/* ---- shapes (prim.frag's, outlines inside the edge) ---------------------------- */

static void poly(out *o, const double *xy, int n)
{
    put(o, " d=\"M");
    for (int k = 0; k < n; k++) {
        if (k == 1) put(o, " L");
        else if (k > 1) put(o, " ");
        pt(o, xy[2 * k], xy[2 * k + 1]);
    }
    put(o, "Z\"");
}

/* A marker of radius r at (cx, cy) like gfx_marker: filled, with an outline band of
 * width ow just inside the shape's edge (a stroke of width ow on the shape inset by
 * ow / 2). */
static void marker(out *o, gfx_shape shape, double cx, double cy, double r, uint32_t fill,
                   uint32_t outline, double ow, const char *cls)
{
    if (!(r > 0) || !isfinite(cx) || !isfinite(cy)) return;
    if (!(ow > 0) || !(outline & 0xff)) ow = 0;
    double d = ow / 2, xy[24];
    int n = 0;
    switch (shape) {
    case GFX_CIRCLE:
    case GFX_RING:
        put(o, "<circle class=\"%s\" cx=\"", cls);
        num(o, cx);
        put(o, "\" cy=\"");
        num(o, cy);
        put(o, "\" r=\"");
        if (shape == GFX_RING) {
            num(o, 0.75 * r);
            put(o, "\" fill=\"none\" stroke-width=\"");
            num(o, 0.5 * r);
            put(o, "\"");
            paint(o, "stroke", fill);
            put(o, "/>\n");
            return;
        }
        num(o, r - d);
        put(o, "\"");
        break;
    case GFX_SQUARE: {
        double a = 0.86 * r - d;
        double q[8] = {cx - a, cy - a, cx + a, cy - a, cx + a, cy + a, cx - a, cy + a};
        memcpy(xy, q, sizeof q);
        n = 4;
        break;
    }
    case GFX_DIAMOND: {
        double a = r - d * M_SQRT2;
        double q[8] = {cx, cy - a, cx + a, cy, cx, cy + a, cx - a, cy};
        memcpy(xy, q, sizeof q);
        n = 4;
        break;
    }
    case GFX_TRIANGLE_UP:
    case GFX_TRIANGLE_DOWN: {
        /* equilateral, half side s, centroid at the centre */
        double s = 0.95 * r - d * sqrt(3.0), k = shape == GFX_TRIANGLE_UP ? 1 : -1;
        double q[6] = {cx, cy - k * 2 * s / sqrt(3.0), cx + s, cy + k * s / sqrt(3.0),
                       cx - s, cy + k * s / sqrt(3.0)};
        memcpy(xy, q, sizeof q);
        n = 3;
        break;
    }
    case GFX_STAR: {
        /* five points up, inner radius 0.45 r; the tips' miter reaches the edge when
           the star shrinks by d / sin(22.6 degrees) */
        double R = r - d * 2.6;
        for (int k = 0; k < 10; k++) {
            double a = M_PI * k / 5, rr = k % 2 ? 0.45 * R : R;
            xy[2 * k] = cx + rr * sin(a);
            xy[2 * k + 1] = cy - rr * cos(a);
        }
        n = 10;
        break;
    }
    case GFX_CROSS:
    case GFX_PLUS: {
        double t = fmax(0.22 * r, 0.75), a = r - d, b = t - d;
        if (b <= 0) { b = t; ow = 0; }
        double q[24] = {b, a, b, b, a, b, a, -b, b, -b, b, -a,
                        -b, -a, -b, -b, -a, -b, -a, b, -b, b, -b, a};
        double c = shape == GFX_CROSS ? M_SQRT1_2 : 1, s = shape == GFX_CROSS ? M_SQRT1_2 : 0;
        for (int k = 0; k < 12; k++) {
            xy[2 * k] = cx + c * q[2 * k] - s * q[2 * k + 1];
            xy[2 * k + 1] = cy + s * q[2 * k] + c * q[2 * k + 1];
        }
        n = 12;
        break;
    }
    }
    if (n > 0) {
        put(o, "<path class=\"%s\"", cls);
        poly(o, xy, n);
    }
    paint(o, "fill", fill);
    if (ow > 0) {
        paint(o, "stroke", outline);
        put(o, " stroke-width=\"");
        num(o, ow);
        put(o, "\"");
    }
    put(o, "/>\n");
}

/* An arrow like gfx_arrow: shaft of the given width, head of length head and half
 * width max(head / 2, width), one polygon. */
static void arrow(out *o, double x0, double y0, double x1, double y1, double width, double head,
                  uint32_t rgba, const char *cls)
{
    if (width < 1) {
        rgba = GFX_WITH_ALPHA(rgba, (uint32_t)lrint((rgba & 0xff) * fmax(width, 0)));
        width = 1;
    }
    double dx = x1 - x0, dy = y1 - y0, len = hypot(dx, dy);
    if (!(len > 1e-6) || !isfinite(len) || !(rgba & 0xff)) return;
    dx /= len;
    dy /= len;
    double hw = width / 2, hl = fmin(fmax(head, 0), len), hh = hl > 0 ? fmax(hl / 2, width) : 0;
    double uv[14] = {0, -hw, len - hl, -hw, len - hl, -hh, len, 0, len - hl, hh, len - hl, hw, 0, hw};
    double xy[14];
    for (int k = 0; k < 7; k++) {
        xy[2 * k] = x0 + uv[2 * k] * dx - uv[2 * k + 1] * dy;
        xy[2 * k + 1] = y0 + uv[2 * k] * dy + uv[2 * k + 1] * dx;
    }
    put(o, "<path class=\"%s\"", cls);
    poly(o, xy, 7);
    paint(o, "fill", rgba);
    put(o, "/>\n");
}

/* ---- trails, critical points, marks --------------------------------------------- */

/* A runner's trail oldest to newest as one path, split where a point is not finite;
 * points within half a pixel of the last one dropped, as in trail_points. */
static void trail_path(out *o, const runner *r, const scene_view *sv, uint32_t rgba, double width,
                       const char *cls)
{
    put(o, "<path class=\"%s\" d=\"", cls);
    int m = 0;
    double lx = 0, ly = 0;
    for (int k = r->trail_len - 1; k >= 0; k--) {
        const double *p = runner_trail_at(r, k);
        if (!isfinite(p[0]) || !isfinite(p[1])) {
            m = 0;
            continue;
        }
        double px, py;
        to_px(sv, p[0], p[1], &px, &py);
        if (m > 0 && k > 0 && fabs(px - lx) < 0.5 && fabs(py - ly) < 0.5) continue;
        put(o, m == 0 ? " M" : m == 1 ? " L" : " ");
        pt(o, px, py);
        lx = px;
        ly = py;
        m++;
    }
    put(o, "\"");
    paint(o, "stroke", rgba);
    put(o, " stroke-width=\"");
    num(o, width);
    put(o, "\"/>\n");
}

static int trail_drawable(const runner *r)
{
    int m = 0;
    for (int k = 0; k < r->trail_len && m < 2; k++) {
        const double *p = runner_trail_at(r, k);
        m += isfinite(p[0]) && isfinite(p[1]);
    }
    return m >= 2;
}

static void write_trails(out *o, const live *L, const scene_view *sv, const scene_theme *th)
{
    put(o, "<g id=\"trails\" fill=\"none\" stroke-linejoin=\"round\">\n");
    for (int k = 0; k < L->nrun && L->disp.trails; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible || !trail_drawable(&lr->r)) continue;
        put(o, "<g class=\"runner\" data-runner=\"%d\">\n", k);
        trail_path(o, &lr->r, sv, th->halo, LOOK_TRAIL_HALO_W * sv->scale, "halo");
        trail_path(o, &lr->r, sv, live_runner_color(L, k), LOOK_TRAIL_W * sv->scale, "trail");
        put(o, "</g>\n");
    }
    put(o, "</g>\n");
}

/* Eigenvector arrows as scene_view.c's eigen_arrows: positive curvature pointing in,
 * negative out with "way out", length by |lambda|. */
static void eigen_arrows(out *o, metrics *mt, double cx, double cy, const crit_point *c, double scale,
                         const scene_theme *th)
{
    double l[2] = {c->l1, c->l2}, v[2][2] = {{c->v1[0], c->v1[1]}, {c->v2[0], c->v2[1]}};
    double big = fmax(fabs(l[0]), fabs(l[1])), maxlen = LOOK_EIG_LEN * scale;
    if (!(big > 0) || !isfinite(big)) return;
    for (int i = 0; i < 2; i++) {
        double len = fmax(maxlen * fabs(l[i]) / big, LOOK_EIG_MIN * scale);
        uint32_t col = look_eig_color(l[i]);
        const char *cls = l[i] < 0 ? "arrow out" : "arrow in";
        double dx = v[i][0] * len, dy = -v[i][1] * len, w = LOOK_EIG_W * scale, head = LOOK_EIG_HEAD * scale;
        for (int s = -1; s <= 1; s += 2) {
            double tx = cx + s * dx, ty = cy + s * dy;
            double ax = cx, ay = cy, bx = tx, by = ty;
            if (l[i] >= 0) {
                ax = tx;
                ay = ty;
                bx = cx + LOOK_EIG_IN_END * s * dx;
                by = cy + LOOK_EIG_IN_END * s * dy;
            }
            arrow(o, ax, ay, bx, by, w + LOOK_EIG_HALO_W * scale, head + LOOK_EIG_HALO_HEAD * scale, th->halo,
                  "arrow-halo");
            arrow(o, ax, ay, bx, by, w, head, col, cls);
        }
        if (l[i] < 0) {
            double tx = cx + dx * LOOK_WAY_OUT_AT, ty = cy + dy * LOOK_WAY_OUT_AT, px = LOOK_WAY_OUT_PX * scale;
            text_at(o, mt, (float)(dx >= 0 ? tx + 2 : tx - 2), (float)(ty - px * 0.6), "way out",
                    (float)px, col, dx < 0, "way-out");
        }
    }
}

static void write_crit(out *o, metrics *mt, const live *L, const field_result *fr,
                       const scene_view *sv, const scene_theme *th)
{
    put(o, "<g id=\"critical\">\n");
    const crit_point *cp = L->crit;
    int n = L->ncrit;
    if (n <= 0 && fr && fr->ncrit > 0) {
        cp = fr->crit;
        n = fr->ncrit;
    }
    for (int pass = 0; pass < 2 && L->disp.crit; pass++) {
        for (int i = 0; i < n; i++) {
            const crit_point *c = &cp[i];
            double px, py;
            to_px(sv, c->x, c->y, &px, &py);
            float m = LOOK_CRIT_MARGIN;   /* sv->w + m in float, as ever */
            if (px < -m || px > sv->w + m || py < -m || py > sv->h + m) continue;
            if (pass == 0) {
                if (c->kind == CRIT_SADDLE && L->disp.saddle_arrows)
                    eigen_arrows(o, mt, px, py, c, sv->scale, th);
                continue;
            }
            scene_crit_look cl = scene_crit_look_of(c->kind);
            double r = LOOK_CRIT_R * sv->scale, ow = LOOK_CRIT_OW * sv->scale;
            marker(o, cl.shape, px, py, r * cl.size, cl.fill, LOOK_OUTLINE, ow, cl.cls);
        }
    }
    put(o, "</g>\n");
}

static void write_runners(out *o, const live *L, const scene_view *sv, const scene_theme *th)
{
    double s = sv->scale, px, py;
    put(o, "<g id=\"start\">\n");
    to_px(sv, L->start[0], L->start[1], &px, &py);
    marker(o, GFX_STAR, px, py, LOOK_START_R * s, th->start, LOOK_OUTLINE, LOOK_START_OW * s, "start");
    put(o, "</g>\n<g id=\"runners\">\n");
    double R = LOOK_RUNNER_ARROW_R * s, reach = LOOK_RUNNER_ARROW_REACH;
    double hw = LOOK_RUNNER_ARROW_HALO_W * s, hh = LOOK_RUNNER_ARROW_HALO_HEAD * s;
    double w = LOOK_RUNNER_ARROW_W * s, head = LOOK_RUNNER_ARROW_HEAD * s;
    for (int k = 0; k < L->nrun; k++) {
        const double *p = scene_runner_shown(L, k);
        if (!p) continue;
        const runner *r = &L->run[k].r;
        uint32_t c = live_runner_color(L, k);
        to_px(sv, p[0], p[1], &px, &py);
        if (!r->diverged && L->disp.grad_arrows) {
            double gx = r->j.gx, gy = r->j.gy, n = hypot(gx, gy);
            if (n > 0 && isfinite(n)) {
                double ex = px - gx / n * reach * R, ey = py + gy / n * reach * R;
                arrow(o, px, py, ex, ey, hw, hh, th->halo, "arrow-halo");
                arrow(o, px, py, ex, ey, w, head, LOOK_GRADIENT, "gradient");
            }
        }
        if (!r->diverged && L->disp.update_arrows && r->trail_len >= 2) {
            const double *q = runner_trail_at(r, 1);
            double dx = r->p[0] - q[0], dy = r->p[1] - q[1], n = hypot(dx, dy);
            if (n > 0 && isfinite(n)) {
                double ex = px + dx / n * reach * R, ey = py - dy / n * reach * R;
                arrow(o, px, py, ex, ey, hw, hh, th->halo, "arrow-halo");
                arrow(o, px, py, ex, ey, w, head, c, "update");
            }
        }
        if (r->diverged) {
            marker(o, GFX_CROSS, px, py, LOOK_DIVERGED_R * s, c, th->halo, LOOK_DIVERGED_OW * s, "runner diverged");
        } else {
            if (k == L->selected && L->nrun > 1)
                marker(o, GFX_RING, px, py, LOOK_SELECTED_R * s, th->start, 0, 0, "selected");
            marker(o, GFX_CIRCLE, px, py, LOOK_RUNNER_R * s, c, LOOK_OUTLINE, LOOK_RUNNER_OW * s, "runner");
        }
    }
    put(o, "</g>\n");
    /* runners outside the canvas: an arrow at its edge pointing to each, as
       scene_view.c's draw_offview */
    put(o, "<g id=\"offview\">\n");
    scene_view cv = *sv;
    cv.x = cv.y = 0;
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    for (int k = 0; k < L->nrun && upp > 0; k++) {
        const double *p = scene_runner_shown(L, k);
        if (!p) continue;
        float a[4];
        if (!scene_offview_arrow(&cv, (p[0] - sv->view[0]) / upp, (sv->view[3] - p[1]) / upp, a)) continue;
        uint32_t c = live_runner_color(L, k);
        put(o, "<g class=\"runner-away\" data-runner=\"%d\">\n", k);
        arrow(o, a[0], a[1], a[2], a[3], LOOK_AWAY_HALO_W * s, LOOK_AWAY_HALO_HEAD * s, th->halo, "arrow-halo");
        arrow(o, a[0], a[1], a[2], a[3], LOOK_AWAY_W * s, LOOK_AWAY_HEAD * s, c, "away");
        marker(o, L->run[k].r.diverged ? GFX_CROSS : GFX_CIRCLE, a[0], a[1], LOOK_AWAY_MARK_R * s, c, LOOK_OUTLINE,
               LOOK_AWAY_MARK_OW * s, "mark");
        put(o, "</g>\n");
    }
    put(o, "</g>\n");
}

static void rounded_rect(out *o, double x, double y, double w, double h, double r, const char *cls)
{
    put(o, "<rect class=\"%s\" x=\"", cls);
    num(o, x);
    put(o, "\" y=\"");
    num(o, y);
    put(o, "\" width=\"");
    num(o, fmax(w, 0));
    put(o, "\" height=\"");
    num(o, fmax(h, 0));
    put(o, "\" rx=\"");
    num(o, fmin(r, fmin(w, h) / 2));
    put(o, "\"");
}

/* A runner's legend line: its hyperparameters, and where it diverged. */
static void row_label(const runner *r, char *buf, size_t len)
{
    scene_runner_label(r, buf, len);
    size_t o = strlen(buf);
    if (r->diverged) snprintf(buf + o, len - o, "   diverged at step %ld", r->diverged_at);
}

/* s wrapped at spaces (dropped) and after commas (kept) into lines no wider than w,
 * as scene_view.c wraps the window's legend: each line copied into lines_out[i]. */
#define SVG_SUB 4
static int svg_wrap(metrics *mt, const char *s, float px, float w, char lines_out[][320], int room)
{
    int n = 0, len = (int)strlen(s), at = 0;
    char buf[320];
    while (at < len && n < room) {
        while (at < len && s[at] == ' ') at++;
        if (at >= len) break;
        int best = -1, end = at;
        while (end <= len) {
            int e = end;
            while (e < len && s[e] != ' ' && !(s[e] == ',' && e + 1 < len && s[e + 1] != ' ')) e++;
            int stop = e < len && s[e] == ',' ? e + 1 : e;
            snprintf(buf, sizeof buf, "%.*s", stop - at, s + at);
            if (best >= 0 && text_width(mt, buf, px) > w) break;
            best = stop;
            if (e >= len) break;
            end = e + 1;
        }
        if (n == room - 1) best = len;   /* the last line takes the rest (clipped) */
        snprintf(lines_out[n++], 320, "%.*s", best - at, s + at);
        at = best;
    }
    return n;
}

/* The legend as scene_view.c's draw_legend: the landscape, then one row per runner
 * (swatch line, marker, label), in a rounded box at the top left. */
static void write_legend(out *o, metrics *mt, const live *L, const scene_view *sv, const scene_theme *th,
                         int undefined)
{
    put(o, "<g id=\"legend\">\n");
    float s = sv->scale, tp = 14 * s, lh = line_height(mt, tp) * 1.15f, pad = 9 * s, sw = 26 * s;
    char lines[LIVE_MAX_RUNNERS + 2][320];
    int n = 0;
    snprintf(lines[n++], sizeof lines[0], "%s", L->ls.label);
    for (int k = 0; k < L->nrun; k++) row_label(&L->run[k].r, lines[n++], sizeof lines[0]);
    if (undefined) snprintf(lines[n++], sizeof lines[0], "loss undefined here (not a number)");
    /* rows too long for the canvas wrapped, as in the window */
    static char sub[LIVE_MAX_RUNNERS + 2][SVG_SUB][320];
    int nsub[LIVE_MAX_RUNNERS + 2];
    float ys[LIVE_MAX_RUNNERS + 2], rh[LIVE_MAX_RUNNERS + 2];
    float maxw = sv->w - 2 * pad - 20 * s, w = 0, yy = 10 * s + pad;
    for (int i = 0; i < n; i++) {
        float room = maxw - (i > 0 ? sw + 6 * s : 0);
        nsub[i] = text_width(mt, lines[i], tp) <= room ? (snprintf(sub[i][0], 320, "%s", lines[i]), 1)
                                                       : svg_wrap(mt, lines[i], tp, room, sub[i], SVG_SUB);
        if (nsub[i] < 1) nsub[i] = 1, sub[i][0][0] = 0;
        for (int j = 0; j < nsub[i]; j++) w = fmaxf(w, text_width(mt, sub[i][j], tp) + (i > 0 ? sw + 6 * s : 0));
        ys[i] = yy;
        rh[i] = lh * (1 + (float)(nsub[i] - 1) * 0.87f);
        yy += rh[i];
    }
    w = fminf(w, maxw);
    float bx = 10 * s, by = 10 * s, bw = w + 2 * pad, bh = yy - by + pad;
    put(o, "<clipPath id=\"legend-clip\"><rect x=\"");
    num(o, bx);
    put(o, "\" y=\"");
    num(o, by);
    put(o, "\" width=\"");
    num(o, fmaxf(bw, 0));
    put(o, "\" height=\"");
    num(o, bh);
    put(o, "\"/></clipPath>\n");
    rounded_rect(o, bx, by, bw, bh, 6 * s, "box");
    paint(o, "fill", th->box);
    put(o, "/>\n");
    rounded_rect(o, bx + 0.5, by + 0.5, bw - 1, bh - 1, 6 * s - 0.5, "box-edge");
    put(o, " fill=\"none\" stroke-width=\"1\"");
    paint(o, "stroke", th->box_edge);
    put(o, "/>\n<g clip-path=\"url(#legend-clip)\">\n");
    for (int j = 0; j < nsub[0]; j++)
        text_at(o, mt, bx + pad + (j > 0 ? 10 * s : 0), ys[0] + (float)j * lh * 0.87f, sub[0][j], tp, th->text_dim, 0,
                "title");
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        float y = ys[k + 1], my = y + lh * 0.45f;
        uint32_t c = live_runner_color(L, k);
        if (!lr->visible) c = GFX_WITH_ALPHA(c, 0x50);
        put(o, "<g class=\"row\" data-runner=\"%d\">\n<path class=\"swatch\" d=\"M", k);
        pt(o, bx + pad, my);
        put(o, " H");
        num(o, bx + pad + sw);
        put(o, "\" stroke-width=\"");
        num(o, 3 * s);
        put(o, "\"");
        paint(o, "stroke", c);
        put(o, "/>\n");
        if (lr->r.diverged)
            marker(o, GFX_CROSS, bx + pad + sw / 2, my, LOOK_F(LOOK_LEGEND_CROSS_R) * s, c, 0, 0, "mark");
        else
            marker(o, GFX_CIRCLE, bx + pad + sw / 2, my, LOOK_F(LOOK_LEGEND_DOT_R) * s, c, LOOK_OUTLINE,
                   LOOK_LEGEND_DOT_OW * s, "mark");
        uint32_t tc = lr->r.diverged ? 0xff6a4dffu : lr->visible ? th->text : th->text_dim;
        for (int j = 0; j < nsub[k + 1]; j++)
            text_at(o, mt, bx + pad + sw + 6 * s + (j > 0 ? 10 * s : 0), y + (float)j * lh * 0.87f, sub[k + 1][j], tp,
                    tc, 0, "label");
        if (k == L->selected && L->nrun > 1) {
            rounded_rect(o, bx + 3 * s + 0.5, y - 0.5, w + 2 * pad - 6 * s - 1, rh[k + 1] - 1, 3 * s, "selected");
            put(o, " fill=\"none\" stroke-width=\"1\"");
            paint(o, "stroke", th->text_dim);
            put(o, "/>\n");
        }
        put(o, "</g>\n");
    }
    if (undefined) {
        /* the field's mark for undefined points: grey, hatched */
        float y = ys[n - 1], hh = lh * 0.7f, y0 = y + (lh - hh) / 2;
        put(o, "<g class=\"row undefined\">\n<rect class=\"swatch\" x=\"");
        num(o, bx + pad);
        put(o, "\" y=\"");
        num(o, y0);
        put(o, "\" width=\"");
        num(o, sw);
        put(o, "\" height=\"");
        num(o, hh);
        put(o, "\"");
        paint(o, "fill", GFX_UNDEFINED_GREY);
        put(o, "/>\n");
        for (float x = 0; x + hh <= sw; x += 5 * s) {
            put(o, "<path class=\"hatch\" d=\"M");
            pt(o, bx + pad + x, y0 + hh);
            put(o, " L");
            pt(o, bx + pad + x + hh, y0);
            put(o, "\" stroke-width=\"");
            num(o, 1.2 * s);
            put(o, "\"");
            paint(o, "stroke", GFX_UNDEFINED_HATCH);
            put(o, "/>\n");
        }
        for (int j = 0; j < nsub[n - 1]; j++)
            text_at(o, mt, bx + pad + sw + 6 * s + (j > 0 ? 10 * s : 0), y + (float)j * lh * 0.87f, sub[n - 1][j], tp,
                    th->text_dim, 0, "label");
        put(o, "</g>\n");
    }
    put(o, "</g>\n</g>\n");
}

/* ---- the document ---------------------------------------------------------------- */

static void write_head(out *o, const live *L, const scene_view *sv)
{
    put(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
           "font-family=\"" FONT_FAMILY "\" version=\"1.1\" width=\"%.6g\" height=\"%.6g\" viewBox=\"0 0 %.6g %.6g\">\n",
        (double)sv->w, (double)sv->h, (double)sv->w, (double)sv->h);
    put(o, "<title>optiscape: ");
    text(o, L->ls.label);
    put(o, "</title>\n<desc>landscape ");
    text(o, L->ls.label);
    put(o, "\nview x %.17g .. %.17g, y %.17g .. %.17g\nstart (%.17g, %.17g), step %ld",
        sv->view[0], sv->view[1], sv->view[2], sv->view[3], L->start[0], L->start[1], L->step);
    for (int k = 0; k < L->nrun; k++) {
        char lab[320];
        row_label(&L->run[k].r, lab, sizeof lab);
        put(o, "\nrunner %d: ", k + 1);
        text(o, lab);
        if (!L->run[k].visible) put(o, " (hidden)");
    }
    put(o, "</desc>\n<defs><clipPath id=\"canvas\"><rect width=\"%.6g\" height=\"%.6g\"/></clipPath></defs>\n",
        (double)sv->w, (double)sv->h);
}

int svg_write_scene(FILE *f, const live *L, const field_result *fr, const scene_view *sv,
                    int transparent, char *err, size_t errlen)
{
    out o = {.f = f};
    scene_theme th = scene_theme_of(L);
    int have_field = fr && fr->loss && fr->w > 0 && fr->h > 0;
    metrics mt;
    metrics_open(&mt);
    errno = 0;
    write_head(&o, L, sv);
    put(&o, "<g clip-path=\"url(#canvas)\">\n");
    int oom = 0;
    if (!transparent) {
        put(&o, "<rect id=\"background\" width=\"%.6g\" height=\"%.6g\"", (double)sv->w, (double)sv->h);
        paint(&o, "fill", th.bg);
        put(&o, "/>\n");
        if (have_field && write_raster(&o, fr, sv, L->disp.cmap) != 0) oom = 1;
    }
    if (have_field && L->disp.iso && !oom && write_iso(&o, L, fr, sv, transparent) != 0) oom = 1;
    if (!oom) {
        write_trails(&o, L, sv, &th);
        write_crit(&o, &mt, L, fr, sv, &th);
        write_runners(&o, L, sv, &th);
        int undefined = 0;
        for (size_t i = 0, n = have_field ? (size_t)fr->w * (size_t)fr->h : 0; i < n && !undefined; i++)
            undefined = fr->loss[i] != fr->loss[i];
        if (L->disp.legend) write_legend(&o, &mt, L, sv, &th, undefined);
        put(&o, "</g>\n</svg>\n");
    }
    metrics_close(&mt);
    if (oom) {
        snprintf(err, errlen, "out of memory for the %dx%d field", fr->w, fr->h);
        return -1;
    }
    if (fflush(f) != 0 || o.failed || ferror(f)) {
        snprintf(err, errlen, "write failed: %s", errno ? strerror(errno) : "I/O error");
        return -1;
    }
    return 0;
}
