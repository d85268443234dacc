/* gfx: the OpenGL 3.3 core drawing layer's lifetime and frame state: create and
 * destroy, begin/end/clear, the clip and the GL state every 2D draw assumes. The
 * pipeline itself is spread over its own files (gfx_internal.h lists them); the
 * private struct gfx they all share lives in gfx_internal.h. */
#if defined(__SANITIZE_ADDRESS__)
#define _GNU_SOURCE 1   /* dl_iterate_phdr, RTLD_NOLOAD, RTLD_NODELETE: see pin_module */
#endif
#include "render/gfx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gl.h"

#if defined(__SANITIZE_ADDRESS__)
#define GFX_PIN_MODULES 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GFX_PIN_MODULES 1
#endif
#endif
#ifdef GFX_PIN_MODULES
#include <dlfcn.h>
#include <link.h>
#endif

#include "render/embedded.h"
#include "render/gfx_internal.h"
#include "render/text_internal.h"

void gfx_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- lifetime ---- */

GLuint gfx_texture_new(GLint filter)
{
    GLuint t = 0;
    glGenTextures(1, &t);
    glBindTexture(GL_TEXTURE_2D, t);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return t;
}

static void setup_vao(gfx *g)
{
    glGenVertexArrays(1, &g->vao);
    glGenBuffers(1, &g->vbo);
    glGenBuffers(1, &g->ibo);
    glBindVertexArray(g->vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g->ibo);
    GLsizei st = sizeof(vtx);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, st, (void *)offsetof(vtx, x));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, st, (void *)offsetof(vtx, u));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, st, (void *)offsetof(vtx, p));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, st, (void *)offsetof(vtx, c0));
    glEnableVertexAttribArray(4);
    glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, st, (void *)offsetof(vtx, c1));
    glEnableVertexAttribArray(5);
    glVertexAttribIPointer(5, 1, GL_UNSIGNED_BYTE, st, (void *)offsetof(vtx, kind));

    glGenVertexArrays(1, &g->pt_vao);
    glGenBuffers(1, &g->pt_vbo);
    glBindVertexArray(g->pt_vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->pt_vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), (void *)0);

    glGenVertexArrays(1, &g->empty_vao);
    glBindVertexArray(0);
}

#ifdef GFX_PIN_MODULES
/* Sanitizer builds only. The GL driver (Mesa) keeps a few small allocations for
 * the life of the process and unloads its modules at exit, so LeakSanitizer would
 * report them with no module name and nothing could suppress them. Marking every
 * module loaded now as RTLD_NODELETE keeps their data mapped to the end, so what the
 * driver keeps stays reachable from its globals and is not reported at all (the GL
 * tests pass under LeakSanitizer with no suppression file). */
static int pin_module(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size; (void)data;
    if (info->dlpi_name && info->dlpi_name[0]) {
        void *h = dlopen(info->dlpi_name, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
        (void)h;   /* the extra reference is meant to last until exit */
    }
    return 0;
}
#endif

gfx *gfx_create(const gfx_desc *d, char *err, size_t errlen)
{
#ifdef GFX_PIN_MODULES
    dl_iterate_phdr(pin_module, NULL);
#endif
    if (err && errlen) err[0] = 0;
#ifndef __EMSCRIPTEN__   /* on the web the context is WebGL2 or none */
    if (epoxy_gl_version() < 33) {
        gfx_err(err, errlen, "gfx: OpenGL 3.3 is needed");
        return NULL;
    }
#endif
    gfx *g = calloc(1, sizeof *g);
    if (!g) {
        gfx_err(err, errlen, "gfx: out of memory");
        return NULL;
    }
    if (d && d->shader_dir) {
        g->shader_dir = malloc(strlen(d->shader_dir) + 1);
        if (!g->shader_dir) {
            free(g);
            gfx_err(err, errlen, "gfx: out of memory");
            return NULL;
        }
        strcpy(g->shader_dir, d->shader_dir);
    }
    g->fb_w = g->fb_h = g->win_w = g->win_h = 1;
    if (gfx_reload_shaders(g, err, errlen) < 0) {
        gfx_destroy(g);
        return NULL;
    }
    const unsigned char *ttf = d ? d->font_ttf : NULL;
    size_t ttf_size = d ? d->font_ttf_size : 0;
    if (!ttf) ttf = embedded_find("DejaVuSans.ttf", &ttf_size);
    if (!ttf) {
        gfx_err(err, errlen, "gfx: no font given and none embedded");
        gfx_destroy(g);
        return NULL;
    }
    g->font = font_create(ttf, ttf_size, err, errlen);
    if (!g->font) {
        gfx_destroy(g);
        return NULL;
    }
    setup_vao(g);
    g->field_tex = gfx_texture_new(GL_LINEAR);
    g->lut_tex = gfx_texture_new(GL_LINEAR);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, LUT_N, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    g->lut_cmap = -1;
    g->field_cache = 1;
    GLfloat range[2] = {1.0f, 1.0f};
    glGetFloatv(GL_POINT_SIZE_RANGE, range);
    g->max_point = range[1];
    return g;
}

void gfx_destroy(gfx *g)
{
    if (!g) return;
    gfx_surface_release(g);
    /* what GL never created is 0 and is not deleted (there may be no context) */
    for (int i = 0; i < PRIM_VARIANTS; i++)
        if (g->prim[i].prog) glDeleteProgram(g->prim[i].prog);
    for (int i = 0; i < FIELD_VARIANTS; i++)
        if (g->field[i].prog) glDeleteProgram(g->field[i].prog);
    if (g->points.prog) glDeleteProgram(g->points.prog);
    if (g->blit.prog) glDeleteProgram(g->blit.prog);
    if (g->fc_fbo) glDeleteFramebuffers(1, &g->fc_fbo);
    GLuint tex[4] = {g->fc_tex, g->lut_tex, g->field_tex, g->img_tex};
    for (int i = 0; i < 4; i++)
        if (tex[i]) glDeleteTextures(1, &tex[i]);
    GLuint vaos[3] = {g->vao, g->pt_vao, g->empty_vao};
    for (int i = 0; i < 3; i++)
        if (vaos[i]) glDeleteVertexArrays(1, &vaos[i]);
    GLuint bufs[3] = {g->vbo, g->ibo, g->pt_vbo};
    for (int i = 0; i < 3; i++)
        if (bufs[i]) glDeleteBuffers(1, &bufs[i]);
    font_destroy(g->font);
    void *owned[] = {g->prim_src[0], g->prim_src[1], g->field_src[0], g->field_src[1], g->img_rows, g->v,
                     g->idx, g->pt, g->field_buf, g->poly_xy, g->poly_c, g->shader_dir};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++) free(owned[i]);
    free(g);
}

/* ---------------------------------------------------------------- frames ---- */

void gfx_apply_clip(gfx *g)
{
    if (!g->clip_on) {
        glDisable(GL_SCISSOR_TEST);
        return;
    }
    glEnable(GL_SCISSOR_TEST);
    glScissor(g->clip[0], g->fb_h - (g->clip[1] + g->clip[3]), g->clip[2], g->clip[3]);
}

void gfx_set_state(gfx *g)
{
    glViewport(0, 0, g->fb_w, g->fb_h);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);   /* premultiplied "over" */
#ifdef GL_PROGRAM_POINT_SIZE
    glEnable(GL_PROGRAM_POINT_SIZE);   /* ES always takes gl_PointSize */
#endif
    gfx_apply_clip(g);
}

void gfx_begin(gfx *g, int fb_w, int fb_h)
{
    g->fb_w = fb_w > 0 ? fb_w : 1;
    g->fb_h = fb_h > 0 ? fb_h : 1;
    if (!g->bound) {
        g->win_w = g->fb_w;
        g->win_h = g->fb_h;
    }
    g->nv = g->ni = 0;
    g->clip_on = 0;
    gfx_set_state(g);
}

void gfx_clear(gfx *g, uint32_t rgba)
{
    gfx_flush(g);
    float a = (float)(rgba & 0xff) / 255.0f;
    glDisable(GL_SCISSOR_TEST);
    glClearColor((float)(rgba >> 24) / 255.0f * a, (float)(rgba >> 16 & 0xff) / 255.0f * a,
                 (float)(rgba >> 8 & 0xff) / 255.0f * a, a);
    glClear(GL_COLOR_BUFFER_BIT);
    gfx_apply_clip(g);
}

void gfx_end(gfx *g)
{
    gfx_flush(g);
}

void gfx_clip(gfx *g, float x, float y, float w, float h)
{
    gfx_flush(g);
    if (!(w >= 0.0f) || !gfx_ok2(x, y) || !gfx_okf(w) || !gfx_okf(h)) {
        g->clip_on = 0;
    } else {
        /* Whole pixels: a clip edge on a pixel boundary keeps the pixel inside. */
        float x0 = roundf(x), y0 = roundf(y), x1 = roundf(x + w), y1 = roundf(y + (h > 0 ? h : 0));
        if (x0 < 0) x0 = 0;
        if (y0 < 0) y0 = 0;
        if (x1 > (float)g->fb_w) x1 = (float)g->fb_w;
        if (y1 > (float)g->fb_h) y1 = (float)g->fb_h;
        g->clip_on = 1;
        g->clip[0] = (int)x0;
        g->clip[1] = (int)y0;
        g->clip[2] = x1 > x0 ? (int)(x1 - x0) : 0;
        g->clip[3] = y1 > y0 ? (int)(y1 - y0) : 0;
    }
    gfx_apply_clip(g);
}

void gfx_restore_state(gfx *g)
{
    glBindFramebuffer(GL_FRAMEBUFFER, g->bound ? g->bound->fbo : 0);
    glBindVertexArray(0);
    glActiveTexture(GL_TEXTURE0);
    gfx_set_state(g);
}
