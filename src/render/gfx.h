/* gfx: the OpenGL 3.3 core drawing layer (libepoxy). Everything is drawn in
 * framebuffer pixels, origin at the top left, y down; callers transform world
 * coordinates to pixels in double precision first, so a view 1e-6 wide far from
 * the origin loses nothing to float. Primitives are batched and anti-aliased in
 * the fragment shader (coverage from a distance, not multisampling), so a thin
 * line looks the same on Mesa's llvmpipe and on a GPU.
 *
 * Needs a current OpenGL 3.3 core context; knows nothing of SDL windows. */
#ifndef OPTISCAPE_GFX_H
#define OPTISCAPE_GFX_H

#include <stddef.h>
#include <stdint.h>

#include "style/cmap.h"   /* the colour maps: style_cmap, style_cmap_color */

/* Colours are 0xRRGGBBAA, straight (not premultiplied) alpha. */
#define GFX_RGBA(r, g, b, a) ((uint32_t)(r) << 24 | (uint32_t)(g) << 16 | (uint32_t)(b) << 8 | (uint32_t)(a))
#define GFX_WITH_ALPHA(c, a) (((c) & 0xffffff00u) | (uint32_t)(a))

typedef struct gfx gfx;

typedef struct gfx_desc {
    const char *shader_dir;          /* NULL: the shaders embedded at build time */
    const unsigned char *font_ttf;   /* NULL: the embedded font */
    size_t font_ttf_size;
} gfx_desc;

/* NULL with a message (shader compile/link log with file and line, missing
 * extension, font failure). */
gfx *gfx_create(const gfx_desc *d, char *err, size_t errlen);
void gfx_destroy(gfx *g);
/* Recompile the shaders from desc.shader_dir (or the embedded ones). On failure
 * the old programs stay and the message names the file and line. */
int gfx_reload_shaders(gfx *g, char *err, size_t errlen);

/* A frame into the current target of fb_w x fb_h pixels. */
void gfx_begin(gfx *g, int fb_w, int fb_h);
void gfx_clear(gfx *g, uint32_t rgba);
/* Draw everything batched so far (called by gfx_end, clip changes, field draws). */
void gfx_flush(gfx *g);
void gfx_end(gfx *g);

/* Scissor to a pixel rectangle; w < 0 removes the clip. */
void gfx_clip(gfx *g, float x, float y, float w, float h);

/* ---- primitives (anti-aliased, batched) ---- */
void gfx_rect(gfx *g, float x, float y, float w, float h, float radius, uint32_t rgba);
void gfx_rect_outline(gfx *g, float x, float y, float w, float h, float radius,
                      float width, uint32_t rgba);
void gfx_line(gfx *g, float x0, float y0, float x1, float y1, float width, uint32_t rgba);
/* A joined polyline through n points xy[2n] (miter joins, bevelled where sharp,
 * no double blending at joins). rgba: a colour per vertex, or NULL for one colour. */
void gfx_polyline(gfx *g, const float *xy, int n, float width, const uint32_t *rgba,
                  uint32_t color);
/* Arrow from (x0,y0) to (x1,y1), head of length head (pixels) at the end. */
void gfx_arrow(gfx *g, float x0, float y0, float x1, float y1, float width, float head,
               uint32_t rgba);

typedef enum gfx_shape {
    GFX_CIRCLE, GFX_SQUARE, GFX_DIAMOND, GFX_TRIANGLE_UP, GFX_TRIANGLE_DOWN,
    GFX_CROSS, GFX_PLUS, GFX_STAR, GFX_RING
} gfx_shape;
/* A marker of radius r (pixels) centred at (cx,cy): filled with fill, outlined
 * with outline of width ow (0: none). */
void gfx_marker(gfx *g, gfx_shape shape, float cx, float cy, float r, uint32_t fill,
                uint32_t outline, float ow);
/* Many round points of one radius and colour (swarms of up to 1e5 particles). */
void gfx_points(gfx *g, const float *xy, int n, float r, uint32_t rgba);
/* An image made on the CPU: w x h premultiplied RGBA8 pixels, rows top to bottom,
 * put pixel for pixel with its top-left corner at framebuffer pixel (x, y) and
 * blended over what is drawn (inside the clip). A swarm of 1e5 particles splatted
 * on the CPU and drawn as one image costs a software GL far less than as points. */
void gfx_image(gfx *g, const unsigned char *rgba, int w, int h, int x, int y);

/* ---- text (UTF-8, from a glyph atlas of the font at each pixel size used) ----
 * (x, y) is the top left of the line box. Returns the advance in pixels. */
float gfx_text(gfx *g, float x, float y, const char *s, int len, float px, uint32_t rgba);
float gfx_text_width(gfx *g, const char *s, int len, float px);
float gfx_line_height(gfx *g, float px);

/* ---- the loss field ----
 * A float texture of w x h samples, row 0 at the bottom, values relative to some
 * offset chosen by the caller (so float keeps the detail of a tiny view). lmax, when
 * not NULL, is the largest Hessian eigenvalue at the same samples (for the
 * learning-rate stability shading). */
void gfx_field_upload(gfx *g, const float *loss, const float *lmax, int w, int h);

typedef struct gfx_field_style {
    float dst[4];        /* pixel rect x, y, w, h the whole texture is stretched over
                            (texture row 0 at the bottom of the rect) */
    float clip[4];       /* pixel rect drawn; outside the texture: background */
    style_cmap cmap;
    float vmin, vmax;    /* texture values mapped to the ends of the colour map */
    int log_scale;       /* map and levels on log(v - vmin + floor) instead of v */
    float log_floor;     /* > 0, in units of v */
    int iso;             /* draw iso-lines */
    float iso_step;      /* spacing of the levels in the mapped coordinate
                            (log10 units when log_scale, value units when not) */
    float iso_width;     /* pixels */
    float iso_alpha;     /* 0..1 */
    int hillshade;       /* shade by the slope of the field */
    float stab_lr;       /* > 0: shade where stab_lr * lmax > 2 */
    uint32_t background;
    int no_fill;         /* iso-lines alone over what is drawn already (no colour
                            map, no shading): figures on a transparent background */
} gfx_field_style;

void gfx_field_draw(gfx *g, const gfx_field_style *st);
/* gfx_field_draw keeps the shaded field and copies it while the texture, the style,
 * the target and the clip stay the same (on by default; the copy is bit-identical).
 * gfx_field_shaded counts the runs of the field program. */
void gfx_field_cache(gfx *g, int on);
long gfx_field_shaded(gfx *g);

/* Where the loss is not a number (log of a negative, 0/0): neutral grey with
 * darker hatching, the same in every theme, in the field shader, the legend's
 * entry and the SVG. */
#define GFX_UNDEFINED_GREY 0x7a7e86ffu
#define GFX_UNDEFINED_HATCH 0x4a4e56ffu

/* The field as last uploaded: w x h triples (value, lmax, undefined 0/1), row 0 at
 * the bottom, the non-finite samples tamed as the texture has them (an undefined
 * sample carries its row's nearest defined value); NULL when there is none. For
 * the CPU side of the 3D view (heights under particles, occlusion, picking). */
const float *gfx_field_data(gfx *g, int *w, int *h);

/* ---- the loss surface in 3D ----
 * The field texture as a lit height field: a grid mesh whose height is the value
 * mapped as the colour map maps it (t in 0..1, log10 above vmin when log_scale)
 * times `height`, coloured by the same map with its iso-lines, lit by Lambert,
 * ambient and a little specular light, depth-tested and multisampled in a buffer
 * of its own, then laid over rect (premultiplied, over what is drawn there; the
 * 2D state is back afterwards). Box coordinates: x, y across, z up. The drawn
 * surface is kept and laid over again while the style, the field and the target
 * stay the same (the camera still, the runners moving). */
typedef struct gfx_surface_style {
    float rect[4];       /* pixel rect x, y, w, h of the projection's viewport */
    float mvp[16];       /* column-major: box coordinates -> clip space */
    float eye[3];        /* the camera, box coordinates (for the specular light) */
    float light[3];      /* direction towards the light, box coordinates */
    float box[4];        /* the mesh's [0,1]^2 spans x0, y0, sx, sy in box coordinates */
    float tc[4];         /* ... and u0, v0, du, dv of the field texture */
    float height;        /* box z of t = 1 */
    int grid;            /* vertices a side (0: 256) */
    int samples;         /* multisampling (0: 4; 1: none) */
    int draft;           /* the camera is moving: half the resolution, no multisampling
                            (so software GL keeps up), scaled up */
    int walls;           /* the slab's four sides down to floor_z */
    float floor_z;       /* the slab's bottom (box z) */
    float wall_shade[2]; /* the sides' colour map darkened to these at the floor and
                            the top (0, 0: 0.35, 0.6) */
    uint32_t background; /* around the surface; opaque: it replaces the rect (the
                            cheapest copy), alpha 0: the surface over what is there */
    style_cmap cmap;
    float vmin, vmax;    /* as gfx_field_style */
    int log_scale;
    float log_floor;
    int iso;
    float iso_step, iso_width, iso_alpha;
} gfx_surface_style;

void gfx_surface_draw(gfx *g, const gfx_surface_style *st);

/* ---- targets and read-back ---- */
typedef struct gfx_target gfx_target;
/* An offscreen RGBA8 framebuffer (screenshots above window size, tiles). */
gfx_target *gfx_target_create(gfx *g, int w, int h, char *err, size_t errlen);
void gfx_target_destroy(gfx *g, gfx_target *t);
/* Draw into t from now on (NULL: the default framebuffer). */
void gfx_target_bind(gfx *g, gfx_target *t);
/* Read w x h pixels at (x, y) (top-left origin) of the current target as RGBA8,
 * rows top to bottom. */
void gfx_read_pixels(gfx *g, int x, int y, int w, int h, unsigned char *rgba);
/* The largest framebuffer side this context allows. */
int gfx_max_size(gfx *g);
/* Number of GL errors since the last call (each logged to stderr with where). */
int gfx_gl_errors(gfx *g, const char *where);

#endif
