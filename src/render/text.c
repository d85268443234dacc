/* text: the glyph atlas (SDL2_ttf rasterizes, we pack into one R8 texture) and the
 * UTF-8 decoder, and gfx_text, which turns glyphs into pixel-aligned quads. */
#include "render/text_internal.h"
#include "render/gfx_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL.h>
#include <SDL_ttf.h>
#include "render/gl.h"

#define ATLAS_W 1024
#define ATLAS_H0 256
#define ATLAS_HMAX 4096

typedef struct slot {
    uint32_t key;   /* size << 21 | code point; 0: empty (sizes start at 1) */
    gfx_glyph g;
} slot;

struct gfx_font {
    TTF_Font *ttf;
    int cur_size;                       /* the size ttf is set to now */
    int line[FONT_MAX_PX + 1];          /* line skip per size, 0: size not loaded */
    slot *slots;
    size_t nslots, used;                /* nslots a power of two */
    unsigned char *pix;                 /* CPU copy of the atlas, ATLAS_W x ah */
    int ah;
    int shelf_x, shelf_y, shelf_h;      /* the open shelf of the packer */
    int max_h;
    GLuint tex;
};

/* Glyphs shown on screen often enough to rasterize up front with each size. */
static const uint32_t preload_extra[] = {
    0x3bb, 0x2207, 0x3b2, 0x3c3, 0x3b7, 0x3b5, 0x3c1, 0x3b1, 0x3bc, 0xb2, 0xb7,
    0x2264, 0x2265, 0xd7, 0x2212, 0x2192,
};

static void set_err(char *err, size_t errlen, const char *msg, const char *detail)
{
    if (err && errlen) snprintf(err, errlen, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
}

static void atlas_upload_all(gfx_font *f)
{
    glBindTexture(GL_TEXTURE_2D, f->tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, ATLAS_W, f->ah, 0, GL_RED, GL_UNSIGNED_BYTE, f->pix);
}

gfx_font *font_create(const unsigned char *ttf, size_t size, char *err, size_t errlen)
{
    gfx_font *f = calloc(1, sizeof *f);
    if (!f) { set_err(err, errlen, "font: out of memory", NULL); return NULL; }
    if (TTF_Init() < 0) {
        set_err(err, errlen, "font: TTF_Init failed", TTF_GetError());
        free(f);
        return NULL;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(ttf, (int)size);
    f->ttf = rw ? TTF_OpenFontRW(rw, 1, 16) : NULL;
    if (!f->ttf) {
        set_err(err, errlen, "font: cannot open the font", TTF_GetError());
        TTF_Quit();
        free(f);
        return NULL;
    }
    f->cur_size = 16;
    f->nslots = 1024;
    f->slots = calloc(f->nslots, sizeof *f->slots);
    f->ah = ATLAS_H0;
    f->pix = calloc((size_t)ATLAS_W * ATLAS_H0, 1);
    GLint maxtex = 0;
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &maxtex);
    f->max_h = maxtex < ATLAS_HMAX ? maxtex : ATLAS_HMAX;
    if (!f->slots || !f->pix || maxtex < ATLAS_W) {
        set_err(err, errlen, maxtex < ATLAS_W ? "font: GL_MAX_TEXTURE_SIZE too small for the atlas"
                                              : "font: out of memory", NULL);
        font_destroy(f);
        return NULL;
    }
    /* Quads are pixel aligned and read with texelFetch: no filtering wanted. */
    f->tex = gfx_texture_new(GL_NEAREST);
    atlas_upload_all(f);
    return f;
}

void font_destroy(gfx_font *f)
{
    if (!f) return;
    if (f->tex) glDeleteTextures(1, &f->tex);
    if (f->ttf) {
        TTF_CloseFont(f->ttf);
        TTF_Quit();
    }
    free(f->slots);
    free(f->pix);
    free(f);
}

int font_px(float px)
{
    if (!(px == px)) return 0;
    if (px < 1.0f) return 1;
    if (px > (float)FONT_MAX_PX) return FONT_MAX_PX;
    return (int)lrintf(px);
}

unsigned font_atlas_texture(const gfx_font *f)
{
    return f->tex;
}

static int use_size(gfx_font *f, int size)
{
    if (f->cur_size != size) {
        if (TTF_SetFontSize(f->ttf, size) < 0) return -1;
        f->cur_size = size;
    }
    return 0;
}

static slot *find_slot(gfx_font *f, uint32_t key)
{
    size_t mask = f->nslots - 1;
    size_t i = (key * 2654435761u) & mask;
    while (f->slots[i].key && f->slots[i].key != key) i = (i + 1) & mask;
    return &f->slots[i];
}

static int grow_slots(gfx_font *f)
{
    size_t n = f->nslots * 2;
    slot *ns = calloc(n, sizeof *ns);
    if (!ns) return -1;
    slot *old = f->slots;
    size_t on = f->nslots;
    f->slots = ns;
    f->nslots = n;
    for (size_t i = 0; i < on; i++)
        if (old[i].key) *find_slot(f, old[i].key) = old[i];
    free(old);
    return 0;
}

/* A w x h place in the atlas (shelf packing, 1 texel gap), growing it downwards
 * when needed. -1 when it cannot grow any more. */
static int atlas_place(gfx_font *f, int w, int h, int *x, int *y)
{
    if (w + 1 > ATLAS_W) return -1;
    if (f->shelf_x + w + 1 > ATLAS_W) {
        f->shelf_y += f->shelf_h;
        f->shelf_x = 0;
        f->shelf_h = 0;
    }
    while (f->shelf_y + h + 1 > f->ah) {
        int nh = f->ah * 2;
        if (nh > f->max_h) return -1;
        unsigned char *np = realloc(f->pix, (size_t)ATLAS_W * nh);
        if (!np) return -1;
        memset(np + (size_t)ATLAS_W * f->ah, 0, (size_t)ATLAS_W * (nh - f->ah));
        f->pix = np;
        f->ah = nh;
        atlas_upload_all(f);
    }
    *x = f->shelf_x;
    *y = f->shelf_y;
    f->shelf_x += w + 1;
    if (h + 1 > f->shelf_h) f->shelf_h = h + 1;
    return 0;
}

void font_atlas_reset(gfx_font *f)
{
    memset(f->slots, 0, f->nslots * sizeof *f->slots);
    f->used = 0;
    f->shelf_x = f->shelf_y = f->shelf_h = 0;
    memset(f->pix, 0, (size_t)ATLAS_W * f->ah);
}

/* Rasterize cp at the current size into g; 1 on success, 0 when the atlas is full. */
static int rasterize(gfx_font *f, uint32_t cp, gfx_glyph *g)
{
    memset(g, 0, sizeof *g);
    uint32_t rc = cp;
    if (!TTF_GlyphIsProvided32(f->ttf, rc) && TTF_GlyphIsProvided32(f->ttf, 0xfffd)) rc = 0xfffd;
    int minx = 0, maxx = 0, miny = 0, maxy = 0, adv = 0;
    if (TTF_GlyphMetrics32(f->ttf, rc, &minx, &maxx, &miny, &maxy, &adv) < 0) return 1;
    g->adv = (float)adv;
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *s = TTF_RenderGlyph32_Blended(f->ttf, rc, white);
    if (!s) return 1;   /* e.g. a space: an advance and no pixels */
    if (SDL_MUSTLOCK(s)) SDL_LockSurface(s);
    /* The ink's bounding box; the surface's x = 0 lies at pen + min(0, minx) and its
     * row 0 at the top of the line box (SDL_ttf's layout of a one-glyph line). */
    const SDL_PixelFormat *fmt = s->format;
    int x0 = s->w, y0 = s->h, x1 = -1, y1 = -1;
    for (int y = 0; y < s->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * s->pitch);
        for (int x = 0; x < s->w; x++) {
            if ((row[x] & fmt->Amask) == 0) continue;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
    }
    int ok = 1;
    if (x1 >= 0) {
        int w = x1 - x0 + 1, h = y1 - y0 + 1, ax, ay;
        if (atlas_place(f, w, h, &ax, &ay) < 0) {
            ok = 0;
        } else {
            for (int y = 0; y < h; y++) {
                const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + (size_t)(y0 + y) * s->pitch);
                unsigned char *dst = f->pix + (size_t)(ay + y) * ATLAS_W + ax;
                for (int x = 0; x < w; x++)
                    dst[x] = (unsigned char)((row[x0 + x] & fmt->Amask) >> fmt->Ashift);
            }
            glBindTexture(GL_TEXTURE_2D, f->tex);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glPixelStorei(GL_UNPACK_ROW_LENGTH, ATLAS_W);
            glTexSubImage2D(GL_TEXTURE_2D, 0, ax, ay, w, h, GL_RED, GL_UNSIGNED_BYTE,
                            f->pix + (size_t)ay * ATLAS_W + ax);
            glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
            g->x = (int16_t)ax;
            g->y = (int16_t)ay;
            g->w = (int16_t)w;
            g->h = (int16_t)h;
            g->ox = (int16_t)(x0 + (minx < 0 ? minx : 0));
            g->oy = (int16_t)y0;
        }
    }
    if (SDL_MUSTLOCK(s)) SDL_UnlockSurface(s);
    SDL_FreeSurface(s);
    return ok;
}

static const gfx_glyph *glyph_at(gfx_font *f, int size, uint32_t cp, int preload);

static int load_size(gfx_font *f, int size)
{
    if (use_size(f, size) < 0) return -1;
    f->line[size] = TTF_FontLineSkip(f->ttf);
    if (f->line[size] <= 0) f->line[size] = TTF_FontHeight(f->ttf);
    if (f->line[size] <= 0) f->line[size] = size;
    /* Preload what labels use all the time; if the atlas fills up here, the glyphs
     * simply load on demand after the caller's reset. */
    for (uint32_t c = 32; c < 127; c++)
        if (!glyph_at(f, size, c, 1)) return 0;
    for (size_t i = 0; i < sizeof preload_extra / sizeof preload_extra[0]; i++)
        if (!glyph_at(f, size, preload_extra[i], 1)) return 0;
    return 0;
}

int font_line_height(gfx_font *f, int size)
{
    if (size < 1 || size > FONT_MAX_PX) return 0;
    if (!f->line[size]) load_size(f, size);
    return f->line[size] > 0 ? f->line[size] : size;
}

static const gfx_glyph *glyph_at(gfx_font *f, int size, uint32_t cp, int preload)
{
    if (cp > 0x10ffff) cp = 0xfffd;
    uint32_t key = (uint32_t)size << 21 | cp;
    slot *sl = find_slot(f, key);
    if (sl->key) return &sl->g;
    if (!preload && !f->line[size]) {
        load_size(f, size);
        sl = find_slot(f, key);
        if (sl->key) return &sl->g;
    }
    if (use_size(f, size) < 0) return NULL;
    gfx_glyph g;
    if (!rasterize(f, cp, &g)) return NULL;
    if ((f->used + 1) * 2 > f->nslots && grow_slots(f) < 0) return NULL;
    sl = find_slot(f, key);
    sl->key = key;
    sl->g = g;
    f->used++;
    return &sl->g;
}

const gfx_glyph *font_glyph(gfx_font *f, int size, uint32_t cp)
{
    if (size < 1 || size > FONT_MAX_PX) return NULL;
    return glyph_at(f, size, cp, 0);
}

uint32_t utf8_next(const char *s, int len, int *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    int left = len - *i;
    unsigned c = p[0];
    if (c < 0x80) { *i += 1; return c; }
    int n;
    uint32_t cp, min;
    if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; min = 0x10000; }
    else { *i += 1; return 0xfffd; }
    if (left <= n) { *i += 1; return 0xfffd; }
    for (int k = 1; k <= n; k++) {
        if ((p[k] & 0xc0) != 0x80) { *i += 1; return 0xfffd; }
        cp = cp << 6 | (p[k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) { *i += 1; return 0xfffd; }
    *i += n + 1;
    return cp;
}

/* ---------------------------------------------------------------- gfx_text ---- */

/* Glyph of cp; when the atlas is full, draw what is batched, start the atlas over
 * and try once more. */
static const gfx_glyph *glyph(gfx *g, int size, uint32_t cp)
{
    const gfx_glyph *gl = font_glyph(g->font, size, cp);
    if (!gl) {
        gfx_flush(g);
        font_atlas_reset(g->font);
        gl = font_glyph(g->font, size, cp);
    }
    return gl;
}

static int text_len(const char *s, int len)
{
    return len < 0 ? (int)strlen(s) : len;
}

float gfx_text(gfx *g, float x, float y, const char *s, int len, float px, uint32_t rgba)
{
    int size = font_px(px);
    if (!s || !size || !gfx_ok2(x, y)) return 0.0f;
    len = text_len(s, len);
    /* Whole pixels: the atlas bitmaps map texel to pixel, so the text stays sharp. */
    float ox = floorf(x + 0.5f), oy = floorf(y + 0.5f), pen = 0.0f;
    uint8_t c[4], z[4] = {0, 0, 0, 0};
    gfx_rgba_bytes(rgba, c);
    float p[4] = {0, 0, 0, 0};
    for (int i = 0; i < len;) {
        uint32_t cp = utf8_next(s, len, &i);
        if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) continue;
        const gfx_glyph *gl = glyph(g, size, cp);
        if (!gl) continue;
        if (gl->w > 0 && (rgba & 0xff)) {
            long b = gfx_batch_reserve(g, 4, 6);
            if (b < 0) break;
            float x0 = ox + pen + gl->ox, y0 = oy + gl->oy, x1 = x0 + gl->w, y1 = y0 + gl->h;
            float u0 = gl->x, v0 = gl->y, u1 = gl->x + gl->w, v1 = gl->y + gl->h;
            gfx_batch_put(g, K_TEXT, x0, y0, u0, v0, p, c, z);
            gfx_batch_put(g, K_TEXT, x1, y0, u1, v0, p, c, z);
            gfx_batch_put(g, K_TEXT, x1, y1, u1, v1, p, c, z);
            gfx_batch_put(g, K_TEXT, x0, y1, u0, v1, p, c, z);
            gfx_batch_tri(g, (uint32_t)b, (uint32_t)b + 1, (uint32_t)b + 2);
            gfx_batch_tri(g, (uint32_t)b, (uint32_t)b + 2, (uint32_t)b + 3);
        }
        pen += gl->adv;
    }
    return pen;
}

float gfx_text_width(gfx *g, const char *s, int len, float px)
{
    int size = font_px(px);
    if (!s || !size) return 0.0f;
    len = text_len(s, len);
    float pen = 0.0f;
    for (int i = 0; i < len;) {
        uint32_t cp = utf8_next(s, len, &i);
        if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) continue;
        const gfx_glyph *gl = glyph(g, size, cp);
        if (gl) pen += gl->adv;
    }
    return pen;
}

float gfx_line_height(gfx *g, float px)
{
    int size = font_px(px);
    return size ? (float)font_line_height(g->font, size) : 0.0f;
}
