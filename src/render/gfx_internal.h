/* gfx_internal: the drawing layer's private state, struct gfx, shared by the files
 * of src/render (as Nuklear's nuklear_internal.h is by its nk_* files), and the
 * functions they call of each other:
 *   gfx.c        create/destroy, begin/end/clear, the clip and the GL state
 *   gl_program.c shader sources, compile, link, program variants, reload
 *   batch.c      the vertex batch and its flush
 *   prim.c       rectangles, lines, arrows, markers, points, images
 *   polyline.c   polylines and their joints
 *   text.c       the glyph atlas and gfx_text
 *   field.c      the field texture, colour maps, the field cache and draw
 *   target.c     offscreen targets and read-back
 *   surface.c    the 3D surface
 * Private to src/render. */
#ifndef OPTISCAPE_GFX_INTERNAL_H
#define OPTISCAPE_GFX_INTERNAL_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "render/gl.h"

#include "render/gfx.h"
#include "render/text_internal.h"

enum { K_SOLID, K_TEXT, K_RRECT, K_LINE, K_POLY, K_MARKER, K_ARROW };

/* 44 bytes; matches the attribute layout in prim.vert. */
typedef struct vtx {
    float x, y, u, v;
    float p[4];
    uint8_t c0[4], c1[4];
    uint8_t kind, pad[3];
} vtx;

/* Below this many points a swarm goes into the batch; above, it is drawn as
 * GL_POINTS right away (after flushing what came before, to keep the order): one
 * 8-byte vertex a particle, and no per-instance work in llvmpipe's draw module. */
#define POINTS_BATCH_MAX 64
/* Beyond this, float pixel arithmetic (lengths, squares) would lose the shape or
 * overflow: such coordinates are dropped like NaN. */
#define COORD_MAX 1e12f
#define MITER_LIMIT 4.0f
#define FAR 1e6f   /* "no cap here" for polyline end distances */

typedef struct prim_prog {
    GLuint prog;
    GLint fb, atlas;
    int failed;                      /* a variant that did not build: not retried */
} prim_prog;

/* prim.frag compiled for a set of kinds (bit k: kind k): PRIM_ALL is built and
 * checked by gfx_reload_shaders, the others from the same sources when a batch
 * first needs them. */
#define PRIM_VARIANTS 128
#define PRIM_ALL 127
#define PRIM_CHEAP 31   /* solid, text, rounded rect, line, polyline */

typedef struct points_prog {
    GLuint prog;
    GLint fb, r, color;
} points_prog;

typedef struct field_prog {
    GLuint prog;
    GLint fb, rect, field, lut, has_field, dst, vmin, floor_, log_, umin, uscale,
        iso_inv, iso_step, iso_width, iso_alpha, iso_split, iso_dark, iso_light, stab_lr, bg, fill,
        undef, undef_hatch;
} field_prog;

/* field.frag compiled with ISO, HILL and STAB on or off: variant = iso | hill << 1 |
 * stab << 2. FIELD_FULL is built (and checked) by gfx_reload_shaders, the others
 * from the same sources when first drawn. */
#define FIELD_VARIANTS 8
#define FIELD_FULL 7
#define LUT_N 1024

struct gfx_target {
    GLuint fbo, tex;
    int w, h;
};

typedef struct blit_prog {
    GLuint prog;
    GLint fb, rect, dst, tex;
} blit_prog;

/* Everything the shaded field depends on. Two draws with equal keys give equal
 * pixels, so the second can copy the first's. */
typedef struct field_key {
    gfx_field_style style;           /* sanitized */
    int variant, cmap;
    unsigned long field_gen;         /* bumped by every upload */
    int fb_w, fb_h;
    const void *target;
    int clip_on, clip[4];
} field_key;

struct gfx {
    char *shader_dir;
    prim_prog prim[PRIM_VARIANTS];
    char *prim_src[2];               /* prim.vert, prim.frag as last loaded */
    char prim_path[2][1024];
    points_prog points;
    field_prog field[FIELD_VARIANTS];
    char *field_src[2];              /* field.vert, field.frag as last loaded */
    char field_path[2][1024];

    GLuint vao, vbo, ibo;
    size_t vbo_bytes, ibo_bytes;     /* GL buffer sizes */
    vtx *v;
    size_t nv, cap_v;
    uint32_t *idx;
    size_t ni, cap_i;

    GLuint pt_vao, pt_vbo;
    size_t pt_vbo_bytes;
    float *pt;
    size_t cap_pt;
    float max_point;                 /* largest gl_PointSize */
    GLuint img_tex;                  /* gfx_image: framebuffer-sized, drawn by the blit program */
    int img_w, img_h;
    unsigned char *img_rows;         /* an image's rows turned bottom up for the upload */
    size_t img_cap;

    GLuint empty_vao;                /* the field quad comes from gl_VertexID */
    GLuint field_tex;
    GLuint lut_tex;
    int lut_cmap;                    /* the map in lut_tex, -1: none yet */
    int field_w, field_h, field_lmax;
    float *field_buf;
    size_t cap_field;

    float *poly_xy;                  /* a polyline run without repeated points */
    uint32_t *poly_c;
    size_t cap_poly;

    int fb_w, fb_h;                  /* the current target's size */
    int win_w, win_h;                /* the default framebuffer's, from gfx_begin */
    gfx_target *bound;
    int clip_on;
    int clip[4];

    gfx_font *font;

    /* The field, shaded once and copied while nothing it depends on changes: on
     * software GL the field program is most of a frame, and between view changes
     * every frame would shade the same pixels again. A draw is cached from the
     * second frame with the same key on, so panning (a new key each frame) does
     * not pay for the extra pass. */
    blit_prog blit;
    unsigned long field_gen;
    GLuint fc_fbo, fc_tex;
    int fc_w, fc_h;
    int fc_valid, have_last;
    field_key fc_key, last_key;
    int field_cache;                 /* gfx_field_cache */
    long field_shaded;               /* field program runs, for tests */

    struct gfx_surface_state *surface; /* surface.c: the 3D surface's programs and buffers */
};

/* ---------------------------------------------------------------- helpers ---- */

/* snprintf into err (when err and errlen are given). */
void gfx_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static inline int gfx_ok2(float x, float y)
{
    return fabsf(x) < COORD_MAX && fabsf(y) < COORD_MAX;   /* false for NaN too */
}

static inline int gfx_okf(float x)
{
    return fabsf(x) < COORD_MAX;
}

static inline void gfx_rgba_bytes(uint32_t c, uint8_t out[4])
{
    out[0] = (uint8_t)(c >> 24);
    out[1] = (uint8_t)(c >> 16);
    out[2] = (uint8_t)(c >> 8);
    out[3] = (uint8_t)c;
}

static inline uint32_t gfx_scale_alpha(uint32_t c, float s)
{
    if (s >= 1.0f) return c;
    float a = (float)(c & 0xffu) * (s > 0.0f ? s : 0.0f);
    return (c & 0xffffff00u) | (uint32_t)lrintf(a);
}

/* gfx.c: the 2D GL state (viewport, premultiplied blending, no depth test, the
 * clip), the scissor alone, and both after another pass (the 3D surface) changed
 * the framebuffer, vertex array or texture unit. */
void gfx_set_state(gfx *g);
void gfx_apply_clip(gfx *g);
void gfx_restore_state(gfx *g);
/* gfx.c: a new 2D texture, left bound, filtered with filter (GL_LINEAR or
 * GL_NEAREST) both ways and clamped at its edges. */
GLuint gfx_texture_new(GLint filter);

/* batch.c: room for nv vertices and ni indices (the first new vertex's index, or -1
 * when memory ran out), a vertex, a triangle; an axis-aligned quad whose local
 * coordinates are the position minus (ox, oy); a quad along a unit direction. */
long gfx_batch_reserve(gfx *g, size_t nv, size_t ni);
void gfx_batch_put(gfx *g, int kind, float x, float y, float u, float v, const float p[4],
                   const uint8_t c0[4], const uint8_t c1[4]);
void gfx_batch_tri(gfx *g, uint32_t a, uint32_t b, uint32_t c);
void gfx_batch_quad_local(gfx *g, int kind, float x0, float y0, float x1, float y1, float ox,
                          float oy, const float p[4], uint32_t c0, uint32_t c1);
void gfx_batch_quad_along(gfx *g, int kind, float x0, float y0, float dx, float dy, float L,
                          float pre, float post, float side, const float p[4], uint32_t col);
/* A buffer's new storage of exactly n bytes (see batch.c for why). */
void gfx_buffer_upload(GLenum target, size_t *have, const void *data, size_t n);

/* gl_program.c: a program from two shader files (the embedded copy or
 * <shader_dir>/<name>), with defines (or NULL) after the fragment shader's
 * #version; with keep, the sources and paths are returned too. 0 with the compile
 * or link log, file and line in err. */
GLuint gfx_program_build(gfx *g, const char *vs_name, const char *fs_name, const char *defines,
                         char *keep[2], char keep_path[2][1024], char *err, size_t errlen);
/* The program for a set of prim kinds / a field variant, built on first use; the
 * full one when that fails. */
prim_prog *gfx_prim_variant(gfx *g, int kinds);
field_prog *gfx_field_variant(gfx *g, int variant);

/* field.c: the field mapping's uniforms (fieldmap.glsl's inputs), which the map
 * (field.frag) and the surface (surface.frag) take alike: where they are in a
 * program, and what they are set from (the style's, sanitized by the caller). */
typedef struct gfx_fieldmap_locs {
    GLint vmin, floor_, log_, umin, uscale, iso_inv, iso_step, iso_width, iso_alpha, iso_split, iso_dark,
        iso_light;
} gfx_fieldmap_locs;
typedef struct gfx_fieldmap {
    float vmin, vmax;      /* finite */
    int log_scale;
    float log_floor;       /* > 0 */
    int iso;               /* the iso-lines are drawn (a step > 0, alpha > 0) */
    float iso_step, iso_width, iso_alpha;   /* iso_width: pixels, > 0 */
    style_cmap cmap;
    int no_fill;           /* iso-lines alone: one dark colour for all */
} gfx_fieldmap;
void gfx_fieldmap_uniforms(const gfx_fieldmap_locs *u, const gfx_fieldmap *m);

/* field.c: put colour map cm into lut_tex; gfx_lut does so only if it holds
 * another and returns the texture. */
void gfx_lut_upload(gfx *g, style_cmap cm);
GLuint gfx_lut(gfx *g, style_cmap cm);

/* surface.c: forget the programs (shaders reloaded) / free everything (gfx_destroy). */
void gfx_surface_reset(gfx *g);
void gfx_surface_release(gfx *g);

#endif
