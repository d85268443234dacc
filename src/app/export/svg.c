/* svg: the scene as SVG. Every size, colour and position follows scene_view.c and
 * gfx.c (the marker and arrow shapes are the polygons of prim.frag's distance
 * functions, outlines drawn inside the shape's edge as there); the colour map comes
 * from style_cmap_color, so the raster layer has the window's colours; text is measured
 * with the embedded font at the window's pixel sizes, so the legend box fits its
 * lines as in the window. Coordinates are canvas pixels with two decimals. This file
 * writes the document, its text, the colour field and the iso-lines; the marks over
 * them are svg_marks.c's. */
#include "app/export/svg.h"
#include "app/export/svg_internal.h"

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


void svg_put(svg_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vfprintf(o->f, fmt, ap) < 0) o->failed = 1;
    va_end(ap);
}

/* A coordinate with two decimals, without trailing zeros ("12.5", "-3", "0"). */
void svg_num(svg_out *o, double v)
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

void svg_pt(svg_out *o, double x, double y)
{
    svg_num(o, x);
    svg_put(o, " ");
    svg_num(o, y);
}

/* ' fill="#rrggbb"' and ' fill-opacity="a"' where the colour is not opaque. */
void svg_paint(svg_out *o, const char *what, uint32_t rgba)
{
    svg_put(o, " %s=\"#%06x\"", what, (unsigned)(rgba >> 8));
    if ((rgba & 0xff) != 0xff) svg_put(o, " %s-opacity=\"%.3g\"", what, (double)(rgba & 0xff) / 255.0);
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
static void text_sp(svg_out *o, const char *s, int spaces)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t prev = 0;
    while (*p) {
        const unsigned char *start = p;
        uint32_t c = utf8_decode(&p);
        if (spaces && c == ' ' && prev == ' ') {
            svg_put(o, "\xc2\xa0");
            continue;
        }
        prev = c;
        switch (c) {
        case '&': svg_put(o, "&amp;"); break;
        case '<': svg_put(o, "&lt;"); break;
        case '>': svg_put(o, "&gt;"); break;
        case '"': svg_put(o, "&quot;"); break;
        case '\'': svg_put(o, "&apos;"); break;
        default:
            if (c < 0x20 && c != '\n' && c != '\t') break;
            if ((c >= 0x7f && c < 0xa0) || c == 0xfffe || c == 0xffff) break;
            if (c == 0xfffd && !(start[0] == 0xef && start[1] == 0xbf && start[2] == 0xbd))
                svg_put(o, "\xef\xbf\xbd");
            else if (fwrite(start, 1, (size_t)(p - start), o->f) != (size_t)(p - start))
                o->failed = 1;
        }
    }
}

void svg_text(svg_out *o, const char *s) { text_sp(o, s, 0); }

/* ---- text measurement with the embedded font (the window's metrics) ------------ */


void svg_metrics_open(svg_metrics *m)
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

void svg_metrics_close(svg_metrics *m)
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

static int metrics_use(svg_metrics *m, float px)
{
    int size = font_size(px);
    if (m->font && m->size != size) {
        if (TTF_SetFontSize(m->font, size) < 0) svg_metrics_close(m);
        else m->size = size;
    }
    return size;
}

/* Line height and ascent; DejaVu Sans's proportions without the font. */
float svg_line_height(svg_metrics *m, float px)
{
    int size = metrics_use(m, px);
    if (!m->font) return roundf(1.164f * (float)size);
    int h = TTF_FontLineSkip(m->font);
    return (float)(h > 0 ? h : TTF_FontHeight(m->font));
}

static float ascent(svg_metrics *m, float px)
{
    int size = metrics_use(m, px);
    return m->font ? (float)TTF_FontAscent(m->font) : roundf(0.928f * (float)size);
}

/* Sum of the glyph advances, as gfx_text_width. */
float svg_text_width(svg_metrics *m, const char *s, float px)
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
void svg_text_at(svg_out *o, svg_metrics *m, float x, float y, const char *s, float px, uint32_t rgba,
                 int anchor_end, const char *cls)
{
    svg_put(o, "<text class=\"%s\" x=\"", cls);
    svg_num(o, floorf(x + 0.5f));
    svg_put(o, "\" y=\"");
    svg_num(o, floorf(y + 0.5f) + ascent(m, px));
    svg_put(o, "\" font-size=\"%d\"", font_size(px));
    svg_paint(o, "fill", rgba);
    if (anchor_end) svg_put(o, " text-anchor=\"end\"");
    svg_put(o, ">");
    text_sp(o, s, 1);
    svg_put(o, "</text>\n");
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

static void base64(svg_out *o, const unsigned char *p, size_t n)
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

/* rgb (w x h, rows top to bottom) as an image element stretched over the box
 * (x, y, dw, dh), embedded as a base64 PNG; attrs (such as id="field") go into the
 * element. 0, or -1 out of memory (nothing written). */
int svg_image_rgb(svg_out *o, const unsigned char *rgb, int w, int h, double x, double y, double dw, double dh,
                  const char *attrs)
{
    membuf b = {0};
    int rc = png_encode(rgb, w, h, &b);
    if (rc == 0) {
        svg_put(o, "<image %s x=\"", attrs);
        svg_num(o, x);
        svg_put(o, "\" y=\"");
        svg_num(o, y);
        svg_put(o, "\" width=\"");
        svg_num(o, dw);
        svg_put(o, "\" height=\"");
        svg_num(o, dh);
        svg_put(o, "\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64,");
        base64(o, b.p, b.n);
        svg_put(o, "\"/>\n");
    }
    free(b.p);
    return rc;
}

/* World to canvas pixels (the canvas origin at 0, 0). */
void svg_to_px(const scene_view *sv, double x, double y, double *px, double *py)
{
    float fx, fy;
    scene_to_px(sv, x, y, &fx, &fy);
    *px = (double)fx - sv->x;
    *py = (double)fy - sv->y;
}

/* The field as one image at its own resolution (at most RASTER_MAX_SIDE a side),
 * stretched over the region it covers; the window samples the same grid. */
static int write_raster(svg_out *o, const field_result *fr, const scene_view *sv, style_cmap cm)
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
    double x0, y0, x1, y1;
    svg_to_px(sv, fr->view[0], fr->view[3], &x0, &y0);
    svg_to_px(sv, fr->view[1], fr->view[2], &x1, &y1);
    int rc = svg_image_rgb(o, rgb, rw, rh, x0, y0, x1 - x0, y1 - y0, "id=\"field\"");
    free(rgb);
    return rc;
}

/* ---- iso-lines ----------------------------------------------------------------- */

typedef struct iso_ctx {
    svg_out *o;
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
    svg_put(c->o, "<path d=\"");
    for (int k = 0; k < n; k++) {
        double px, py;
        svg_to_px(c->sv, fr->view[0] + (xy[2 * k] + 0.5) * dx, fr->view[2] + (xy[2 * k + 1] + 0.5) * dy, &px, &py);
        if (k > 0 && k < n - 1 && fabs(px - lx) < 0.34 && fabs(py - ly) < 0.34) continue;
        svg_put(c->o, k == 0 ? "M" : k == 1 ? " L" : " ");
        svg_pt(c->o, px, py);
        lx = px;
        ly = py;
    }
    svg_put(c->o, closed ? "Z\"/>\n" : "\"/>\n");
}

/* Lines over the low part of a dark map are light, the others dark; over nothing
 * (transparent) the light ones take the light map's dark colour, as gfx.c does. */
static int write_iso(svg_out *o, const live *L, const field_result *fr, const scene_view *sv, int transparent)
{
    style_cmap cm = L->disp.cmap;
    fieldmap m = fieldmap_of(fr->vmin, fr->vmax);
    double split = style_cmap_iso_split_pct(cm) / 100.0;   /* the window's split (style/cmap) */
    int light_map = L->disp.cmap == STYLE_CMAP_LIGHT;
    uint32_t dark = light_map ? 0x293345ffu : 0x0d0f1affu, light = transparent ? 0x293345ffu : 0xffffffffu;
    double alpha = light_map ? 0.55 : 0.45;
    svg_put(o, "<g id=\"iso\" fill=\"none\" stroke-width=\"");
    svg_num(o, 1.1 * sv->scale);
    svg_put(o, "\" stroke-opacity=\"%.2f\" stroke-linejoin=\"round\">\n", alpha);
    iso_ctx c = {o, fr, sv};
    /* the shader's levels: every multiple of step in the mapped coordinate */
    if (m.iso_step > 0 && isfinite(m.iso_step)) {
        long k0 = (long)ceil(m.umin / m.iso_step), k1 = (long)floor(m.umax / m.iso_step);
        for (long k = k0; k <= k1 && k - k0 < 1000; k++) {
            double u = fieldmap_level(&m, k), level = fieldmap_level_value(&m, k);
            double t = (u - m.umin) / (m.umax - m.umin);
            svg_put(o, "<g class=\"level\" data-t=\"%.4f\"", t);
            svg_paint(o, "stroke", t < split ? light : dark);
            svg_put(o, ">\n");
            if (contour_lines(fr->loss, fr->w, fr->h, level, iso_emit, &c) < 0) return -1;
            svg_put(o, "</g>\n");
        }
    }
    svg_put(o, "</g>\n");
    return 0;
}

/* ---- the document ---------------------------------------------------------------- */

static void write_head(svg_out *o, const live *L, const scene_view *sv)
{
    svg_put(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
           "font-family=\"" FONT_FAMILY "\" version=\"1.1\" width=\"%.6g\" height=\"%.6g\" viewBox=\"0 0 %.6g %.6g\">\n",
        (double)sv->w, (double)sv->h, (double)sv->w, (double)sv->h);
    char name[sizeof L->ls.label];
    live_landscape_name(L, name, sizeof name);
    svg_put(o, "<title>optiscape: ");
    svg_text(o, name);
    svg_put(o, "</title>\n<desc>landscape ");
    svg_text(o, L->ls.label);
    svg_put(o, "\nview x %.17g .. %.17g, y %.17g .. %.17g\nstart (%.17g, %.17g), step %ld",
        sv->view[0], sv->view[1], sv->view[2], sv->view[3], L->start[0], L->start[1], L->step);
    for (int k = 0; k < L->nrun; k++) {
        char lab[320];
        svg_row_label(&L->run[k].r, lab, sizeof lab);
        svg_put(o, "\nrunner %d: ", k + 1);
        svg_text(o, lab);
        if (!L->run[k].visible) svg_put(o, " (hidden)");
    }
    svg_put(o, "</desc>\n<defs><clipPath id=\"canvas\"><rect width=\"%.6g\" height=\"%.6g\"/></clipPath></defs>\n",
        (double)sv->w, (double)sv->h);
}

int svg_write_scene(FILE *f, const live *L, const field_result *fr, const scene_view *sv,
                    int transparent, char *err, size_t errlen)
{
    svg_out o = {.f = f};
    scene_theme th = scene_theme_of(L);
    int have_field = fr && fr->loss && fr->w > 0 && fr->h > 0;
    svg_metrics mt;
    svg_metrics_open(&mt);
    errno = 0;
    write_head(&o, L, sv);
    svg_put(&o, "<g clip-path=\"url(#canvas)\">\n");
    int oom = 0;
    if (!transparent) {
        svg_put(&o, "<rect id=\"background\" width=\"%.6g\" height=\"%.6g\"", (double)sv->w, (double)sv->h);
        svg_paint(&o, "fill", th.bg);
        svg_put(&o, "/>\n");
        if (have_field && write_raster(&o, fr, sv, L->disp.cmap) != 0) oom = 1;
    }
    if (have_field && L->disp.iso && !oom && write_iso(&o, L, fr, sv, transparent) != 0) oom = 1;
    if (!oom) {
        svg_write_trails(&o, L, sv, &th);
        svg_write_section(&o, &mt, L, sv, &th, 0);
        svg_write_crit(&o, &mt, L, fr, sv, &th);
        svg_write_runners(&o, L, sv, &th);
        int undefined = 0;
        for (size_t i = 0, n = have_field ? (size_t)fr->w * (size_t)fr->h : 0; i < n && !undefined; i++)
            undefined = fr->loss[i] != fr->loss[i];
        if (L->disp.legend) svg_write_legend(&o, &mt, L, sv, &th, undefined);
        svg_write_section(&o, &mt, L, sv, &th, 1);
        svg_put(&o, "</g>\n</svg>\n");
    }
    svg_metrics_close(&mt);
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
