/* text_internal: the glyph atlas behind gfx_text (private to src/render). Glyphs
 * are rasterized by SDL2_ttf at integer pixel sizes into one R8 atlas shared by all
 * sizes, so a label in another size does not force a batch flush. Glyph texel
 * rectangles never move while the atlas grows (it only gains rows), so quads
 * already batched stay valid until font_atlas_reset. */
#ifndef OPTISCAPE_TEXT_INTERNAL_H
#define OPTISCAPE_TEXT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define FONT_MAX_PX 256

typedef struct gfx_glyph {
    int16_t x, y, w, h;   /* texel rectangle in the atlas (w = 0: nothing to draw) */
    int16_t ox, oy;       /* top-left of the bitmap from the pen / top of the line box */
    float adv;            /* pen advance, pixels */
} gfx_glyph;

typedef struct gfx_font gfx_font;

/* ttf must stay alive as long as the font (FreeType reads it lazily). */
gfx_font *font_create(const unsigned char *ttf, size_t size, char *err, size_t errlen);
void font_destroy(gfx_font *f);
/* The integer size used for px: rounded, clamped to 1..FONT_MAX_PX; 0 for NaN. */
int font_px(float px);
/* Line box height and ascent of a size. */
int font_line_height(gfx_font *f, int size);
/* The glyph of cp at size, rasterized on first use. NULL only when the atlas is full
 * (the caller flushes what it batched, calls font_atlas_reset, and asks again). */
const gfx_glyph *font_glyph(gfx_font *f, int size, uint32_t cp);
void font_atlas_reset(gfx_font *f);
/* The GL texture name of the atlas (GL_R8, texel-addressed). */
unsigned font_atlas_texture(const gfx_font *f);

/* Decode one code point of s[*i..len) and advance *i; invalid or truncated
 * sequences give U+FFFD and consume one byte. */
uint32_t utf8_next(const char *s, int len, int *i);

#endif
