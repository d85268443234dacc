/* surface: the loss field drawn as a lit 3D height field (gfx_surface_draw). The
 * field texture that the contour map shades is reused as it is: surface.vert reads
 * heights from it at the vertices of a grid mesh, surface.frag colours a fragment
 * at a time from it. The 2D pipeline has no depth buffer (the window asks for
 * none), so the surface is drawn depth-tested and multisampled into a buffer of
 * its own the framebuffer's size, resolved, and laid over the target
 * (surface_copy.frag); everything else keeps drawing in 2D on top. The
 * resolved picture is kept: while nothing it depends on changes (the camera
 * still, the runners moving), a frame only lays it over again. On software GL the
 * cost is the mesh's triangles and the fragments, so the caller picks the grid. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gfx_internal.h"
#include "style/cmap.h"

#define SURFACE_GRID 256
#define SURFACE_GRID_MAX 1024

typedef struct surface_uniforms {
    GLint mvp, box, tc, n, mode, floor_z, field, lut, vmin, floor_, log_, umin, uscale, height,
        iso_inv, iso_step, iso_width, iso_alpha, iso_split, iso_dark, iso_light, eye, light, wall;
} surface_uniforms;

/* Everything the kept picture depends on. */
typedef struct surface_key {
    gfx_surface_style style;
    int n, samples, w, h;
    unsigned long field_gen;
    GLuint target;
} surface_key;

typedef struct gfx_surface_state {
    GLuint prog[2], comp;           /* the surface, the walls (WALLS 1); the copy */
    int failed;                     /* a build failed: said once, retried after a reload */
    surface_uniforms u[2];
    GLint c_fb, c_rect, c_dst, c_tex, c_src;
    GLuint vao, ibo;
    int grid;                       /* vertices a side in ibo */
    GLsizei nidx;
    /* multisampled colour + depth; the resolved colour (with its own depth for
       drawing there directly when there is no multisampling) */
    GLuint ms_fbo, ms_color, ms_depth;
    int ms_w, ms_h, ms_samples;
    GLuint rs_fbo, rs_tex, rs_depth;
    int rs_w, rs_h;
    int kept;                       /* rs_tex holds the picture of key */
    surface_key key;
} surface_state;

static surface_state *state(gfx *g)
{
    if (!g->surface) g->surface = calloc(1, sizeof(surface_state));
    return g->surface;
}

static void delete_programs(surface_state *S)
{
    for (int i = 0; i < 2; i++)
        if (S->prog[i]) glDeleteProgram(S->prog[i]);
    if (S->comp) glDeleteProgram(S->comp);
    S->prog[0] = S->prog[1] = S->comp = 0;
    S->failed = 0;
    S->kept = 0;
}

static void delete_buffers(surface_state *S)
{
    if (S->ms_fbo) glDeleteFramebuffers(1, &S->ms_fbo);
    if (S->ms_color) glDeleteRenderbuffers(1, &S->ms_color);
    if (S->ms_depth) glDeleteRenderbuffers(1, &S->ms_depth);
    if (S->rs_fbo) glDeleteFramebuffers(1, &S->rs_fbo);
    if (S->rs_tex) glDeleteTextures(1, &S->rs_tex);
    if (S->rs_depth) glDeleteRenderbuffers(1, &S->rs_depth);
    S->ms_fbo = S->ms_color = S->ms_depth = S->rs_fbo = S->rs_tex = S->rs_depth = 0;
    S->ms_w = S->ms_h = S->ms_samples = S->rs_w = S->rs_h = 0;
    S->kept = 0;
}

void gfx_surface_reset(gfx *g)
{
    surface_state *S = g->surface;
    if (S) delete_programs(S);
}

void gfx_surface_release(gfx *g)
{
    surface_state *S = g->surface;
    if (!S) return;
    delete_programs(S);
    delete_buffers(S);
    if (S->vao) glDeleteVertexArrays(1, &S->vao);
    if (S->ibo) glDeleteBuffers(1, &S->ibo);
    free(S);
    g->surface = NULL;
}

static int build(gfx *g, surface_state *S)
{
    if (S->prog[0] && S->prog[1] && S->comp) return 1;
    if (S->failed) return 0;
    char err[4096];
    GLuint p = gfx_program_build(g, "surface.vert", "surface.frag", NULL, NULL, NULL, err, sizeof err);
    GLuint w = p ? gfx_program_build(g, "surface.vert", "surface.frag", "#define WALLS 1\n", NULL, NULL, err,
                                     sizeof err)
                 : 0;
    GLuint c = w ? gfx_program_build(g, "field.vert", "surface_copy.frag", NULL, NULL, NULL, err, sizeof err) : 0;
    if (!c) {
        fprintf(stderr, "%s\n", err);
        if (p) glDeleteProgram(p);
        if (w) glDeleteProgram(w);
        S->failed = 1;
        return 0;
    }
    S->prog[0] = p;
    S->prog[1] = w;
    S->comp = c;
    static const char *const names[] = {
        "u_mvp", "u_box", "u_tc", "u_n", "u_mode", "u_floor_z", "u_field", "u_lut", "u_vmin", "u_floor",
        "u_log", "u_umin", "u_uscale", "u_height", "u_iso_inv", "u_iso_step", "u_iso_width", "u_iso_alpha",
        "u_iso_split", "u_iso_dark", "u_iso_light", "u_eye", "u_light", "u_wall",
    };
    for (int k = 0; k < 2; k++) {
        GLint *loc = &S->u[k].mvp;
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            loc[i] = glGetUniformLocation(S->prog[k], names[i]);
    }
    S->c_fb = glGetUniformLocation(c, "u_fb");
    S->c_rect = glGetUniformLocation(c, "u_rect");
    S->c_dst = glGetUniformLocation(c, "u_dst");
    S->c_tex = glGetUniformLocation(c, "u_tex");
    S->c_src = glGetUniformLocation(c, "u_src");
    return 1;
}

/* The triangles of an n x n grid (two a cell), in the VAO's index buffer. */
static int mesh(surface_state *S, int n)
{
    if (S->vao && S->grid == n) return 1;
    size_t cells = (size_t)(n - 1) * (size_t)(n - 1);
    GLuint *idx = malloc(cells * 6 * sizeof *idx);
    if (!idx) {
        fprintf(stderr, "gfx: out of memory for a %dx%d surface mesh\n", n, n);
        return 0;
    }
    size_t k = 0;
    for (int j = 0; j + 1 < n; j++)
        for (int i = 0; i + 1 < n; i++) {
            GLuint a = (GLuint)(j * n + i), b = a + 1, c = a + (GLuint)n, d = c + 1;
            idx[k++] = a; idx[k++] = b; idx[k++] = d;
            idx[k++] = a; idx[k++] = d; idx[k++] = c;
        }
    if (!S->vao) {
        glGenVertexArrays(1, &S->vao);
        glGenBuffers(1, &S->ibo);
    }
    glBindVertexArray(S->vao);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, S->ibo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr)(k * sizeof *idx), idx, GL_STATIC_DRAW);
    glBindVertexArray(0);
    free(idx);
    S->grid = n;
    S->nidx = (GLsizei)k;
    return 1;
}

/* Offscreen buffers of w x h: multisampled colour and depth when samples > 1, and
 * always the resolved colour texture (with depth of its own for samples == 1). */
static int buffers(surface_state *S, int w, int h, int samples)
{
    if (S->rs_fbo && S->rs_w == w && S->rs_h == h && S->ms_samples == samples) return 1;
    delete_buffers(S);
    glGenFramebuffers(1, &S->rs_fbo);
    glGenTextures(1, &S->rs_tex);
    glBindTexture(GL_TEXTURE_2D, S->rs_tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);   /* drafts are scaled up */
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glBindFramebuffer(GL_FRAMEBUFFER, S->rs_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, S->rs_tex, 0);
    if (samples <= 1) {
        glGenRenderbuffers(1, &S->rs_depth);
        glBindRenderbuffer(GL_RENDERBUFFER, S->rs_depth);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, w, h);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, S->rs_depth);
    }
    int ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    if (ok && samples > 1) {
        glGenFramebuffers(1, &S->ms_fbo);
        glGenRenderbuffers(1, &S->ms_color);
        glGenRenderbuffers(1, &S->ms_depth);
        glBindRenderbuffer(GL_RENDERBUFFER, S->ms_color);
        glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, w, h);
        glBindRenderbuffer(GL_RENDERBUFFER, S->ms_depth);
        glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_DEPTH_COMPONENT24, w, h);
        glBindFramebuffer(GL_FRAMEBUFFER, S->ms_fbo);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, S->ms_color);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, S->ms_depth);
        ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    }
    glBindRenderbuffer(GL_RENDERBUFFER, 0);
    if (!ok) {
        fprintf(stderr, "gfx: no %dx%d depth buffer with %d samples for the surface\n", w, h, samples);
        delete_buffers(S);
        return 0;
    }
    S->rs_w = S->ms_w = w;
    S->rs_h = S->ms_h = h;
    S->ms_samples = samples;
    return 1;
}

static int finite_style(const gfx_surface_style *st)
{
    for (int i = 0; i < 16; i++)
        if (!isfinite(st->mvp[i])) return 0;
    for (int i = 0; i < 4; i++)
        if (!isfinite(st->rect[i]) || !isfinite(st->box[i]) || !isfinite(st->tc[i])) return 0;
    for (int i = 0; i < 3; i++)
        if (!isfinite(st->eye[i]) || !isfinite(st->light[i])) return 0;
    return isfinite(st->height) && st->rect[2] >= 1 && st->rect[3] >= 1 && st->rect[2] < 1e6f &&
           st->rect[3] < 1e6f && fabsf(st->rect[0]) < 1e6f && fabsf(st->rect[1]) < 1e6f;
}

static void set_uniforms(const surface_uniforms *U, gfx *g, const gfx_surface_style *st, int n, int mode)
{
    gfx_surface_style s = *st;
    if (!(s.log_floor > 0.0f) || !isfinite(s.log_floor)) s.log_floor = 1e-6f;
    if (!isfinite(s.vmin)) s.vmin = 0.0f;
    if (!isfinite(s.vmax)) s.vmax = s.vmin + 1.0f;
    int iso = s.iso && s.iso_step > 0.0f && isfinite(s.iso_step) && s.iso_alpha > 0.0f;
    style_cmap cm = ((int)s.cmap >= 0 && s.cmap < STYLE_CMAP_COUNT) ? s.cmap : STYLE_CMAP_VIRIDIS;
    glUniformMatrix4fv(U->mvp, 1, GL_FALSE, s.mvp);
    glUniform4f(U->box, s.box[0], s.box[1], s.box[2], s.box[3]);
    glUniform4f(U->tc, s.tc[0], s.tc[1], s.tc[2], s.tc[3]);
    glUniform1i(U->n, n);
    glUniform1f(U->floor_z, isfinite(s.floor_z) ? s.floor_z : 0.0f);
    glUniform1i(U->field, 1);
    glUniform1i(U->lut, 2);
    glUniform1f(U->height, s.height);
    gfx_fieldmap_locs u = {U->vmin, U->floor_, U->log_, U->umin, U->uscale, U->iso_inv, U->iso_step,
                           U->iso_width, U->iso_alpha, U->iso_split, U->iso_dark, U->iso_light};
    gfx_fieldmap m = {s.vmin, s.vmax, s.log_scale, s.log_floor, iso, s.iso_step,
                      s.iso_width > 0.0f && isfinite(s.iso_width) ? s.iso_width : 1.0f, s.iso_alpha, cm, 0};
    gfx_fieldmap_uniforms(&u, &m);
    glUniform3f(U->eye, s.eye[0], s.eye[1], s.eye[2]);
    glUniform3f(U->light, s.light[0], s.light[1], s.light[2]);
    int wall = s.wall_shade[0] > 0 || s.wall_shade[1] > 0;
    glUniform2f(U->wall, wall ? s.wall_shade[0] : 0.35f, wall ? s.wall_shade[1] : 0.6f);
    glUniform1i(U->mode, mode);
    glActiveTexture(GL_TEXTURE2);
    glBindTexture(GL_TEXTURE_2D, gfx_lut(g, cm));
}

static void draw_surface(surface_state *S, gfx *g, const gfx_surface_style *st, int n, int samples, GLuint field,
                         int H, float k, int x0, int y0, int x1, int y1);

void gfx_surface_draw(gfx *g, const gfx_surface_style *st)
{
    if (!st || !finite_style(st)) return;
    unsigned long gen = g->field_gen;
    GLuint field = g->field_w > 0 ? g->field_tex : 0;
    if (!field) return;
    gfx_flush(g);
    surface_state *S = state(g);
    if (!S || !build(g, S)) return;
    int n = st->grid > 1 ? st->grid : SURFACE_GRID;
    if (n > SURFACE_GRID_MAX) n = SURFACE_GRID_MAX;
    if (!mesh(S, n)) return;
    GLuint target = g->bound ? g->bound->fbo : 0;
    int W = g->fb_w, H = g->fb_h;
    /* the pixels drawn: the rect within the target, whole pixels */
    int x0 = (int)floorf(st->rect[0]), y0 = (int)floorf(st->rect[1]);
    int x1 = (int)ceilf(st->rect[0] + st->rect[2]), y1 = (int)ceilf(st->rect[1] + st->rect[3]);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > W) x1 = W;
    if (y1 > H) y1 = H;
    if (x1 <= x0 || y1 <= y0) return;
    GLint maxs = 1;
    glGetIntegerv(GL_MAX_SAMPLES, &maxs);
    int samples = st->samples > 0 ? st->samples : 4;
    if (samples > maxs) samples = maxs;
    /* a sample is 8 bytes of colour and depth: fewer for very large pictures */
    double px = (double)W * (double)H;
    if (px > 4.5e6 && samples > 2) samples = 2;
    if (px > 1.7e7) samples = 1;
    if (samples < 1 || st->draft) samples = 1;
    if (!buffers(S, W, H, samples)) return;
    /* the picture's place in the buffer: the rect itself, or a draft at half size
       in its top left corner */
    float k = st->draft ? 0.5f : 1.0f;
    int pw = (int)ceilf((float)(x1 - x0) * k), ph = (int)ceilf((float)(y1 - y0) * k);
    surface_key key;
    memset(&key, 0, sizeof key);
    key.style = *st;
    key.n = n;
    key.samples = samples;
    key.w = W;
    key.h = H;
    key.field_gen = gen;
    key.target = target;
    if (!(S->kept && memcmp(&key, &S->key, sizeof key) == 0)) {
        draw_surface(S, g, st, n, samples, field, H, k, x0, y0, x0 + pw, y0 + ph);
        S->key = key;
        S->kept = 1;
    }
    /* over the target, through gfx's clip, premultiplied; an opaque picture simply
       replaces what is there (no blending: no reads of the target) */
    gfx_restore_state(g);
    if ((st->background & 0xffu) == 0xffu) glDisable(GL_BLEND);
    glUseProgram(S->comp);
    glUniform2f(S->c_fb, (float)W, (float)H);
    glUniform4f(S->c_rect, (float)x0, (float)y0, (float)(x1 - x0), (float)(y1 - y0));
    glUniform4f(S->c_dst, (float)x0, (float)y0, (float)(x1 - x0), (float)(y1 - y0));
    glUniform1i(S->c_tex, 1);
    glUniform4f(S->c_src, (float)x0 / (float)W, (float)(H - y0 - ph) / (float)H, (float)pw / (float)W,
                (float)ph / (float)H);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, S->rs_tex);
    glBindVertexArray(S->vao);   /* no attributes: field.vert makes the quad */
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    gfx_restore_state(g);
}

/* The surface into the offscreen buffers at k times its size, with its top left
 * where rect's is, resolved into rs_tex; (x0, y0) .. (x1, y1) are the pixels it
 * covers there. */
static void draw_surface(surface_state *S, gfx *g, const gfx_surface_style *st, int n, int samples, GLuint field,
                         int H, float k, int x0, int y0, int x1, int y1)
{
    glBindFramebuffer(GL_FRAMEBUFFER, samples > 1 ? S->ms_fbo : S->rs_fbo);
    /* GL's origin is the bottom left */
    float rx = (float)x0 + k * (st->rect[0] - (float)x0), ry = (float)y0 + k * (st->rect[1] - (float)y0);
    glViewport((GLint)lrintf(rx), (GLint)lrintf((float)H - ry - st->rect[3] * k),
               (GLsizei)lrintf(st->rect[2] * k), (GLsizei)lrintf(st->rect[3] * k));
    glEnable(GL_SCISSOR_TEST);
    glScissor(x0, H - y1, x1 - x0, y1 - y0);
    uint32_t bg = st->background;
    float a = (float)(bg & 0xff) / 255.0f;   /* premultiplied, as gfx draws */
    glClearColor((float)(bg >> 24) / 255.0f * a, (float)(bg >> 16 & 0xff) / 255.0f * a,
                 (float)(bg >> 8 & 0xff) / 255.0f * a, a);
    /* the clear depth is never set: GL's default, 1 (glClearDepth is not in ES) */
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glEnable(GL_DEPTH_TEST);
    glDepthFunc(GL_LESS);
    glDisable(GL_BLEND);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, field);
    glBindVertexArray(S->vao);
    glUseProgram(S->prog[0]);
    gfx_surface_style s = *st;
    s.iso_width *= k;   /* pixels of the final picture */
    set_uniforms(&S->u[0], g, &s, n, 0);
    glDrawElements(GL_TRIANGLES, S->nidx, GL_UNSIGNED_INT, NULL);
    if (st->walls) {
        glUseProgram(S->prog[1]);
        set_uniforms(&S->u[1], g, &s, n, 1);
        for (int side = 0; side < 4; side++) glDrawArrays(GL_TRIANGLE_STRIP, side * 2 * n, 2 * n);
    }
    glDisable(GL_DEPTH_TEST);
    if (samples > 1) {
        glBindFramebuffer(GL_READ_FRAMEBUFFER, S->ms_fbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, S->rs_fbo);
        glBlitFramebuffer(x0, H - y1, x1, H - y0, x0, H - y1, x1, H - y0, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    }
}
