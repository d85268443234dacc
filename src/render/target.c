/* target: offscreen render targets, binding one, reading pixels back, and the
 * GL error check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gfx_internal.h"

int gfx_max_size(gfx *g)
{
    GLint tex = 0, rb = 0, vp[2] = {0, 0};
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &tex);
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &rb);
    glGetIntegerv(GL_MAX_VIEWPORT_DIMS, vp);
    int m = tex;
    if (rb < m) m = rb;
    if (vp[0] < m) m = vp[0];
    if (vp[1] < m) m = vp[1];
    return m;
}

gfx_target *gfx_target_create(gfx *g, int w, int h, char *err, size_t errlen)
{
    int maxs = gfx_max_size(g);
    if (w < 1 || h < 1 || w > maxs || h > maxs) {
        gfx_err(err, errlen, "gfx: target of %dx%d outside 1..%d", w, h, maxs);
        return NULL;
    }
    gfx_target *t = calloc(1, sizeof *t);
    if (!t) {
        gfx_err(err, errlen, "gfx: out of memory");
        return NULL;
    }
    t->w = w;
    t->h = h;
    gfx_flush(g);
    /* rendered into and read back, never sampled */
    t->tex = gfx_texture_new(GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glGenFramebuffers(1, &t->fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, t->tex, 0);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, g->bound ? g->bound->fbo : 0);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        gfx_err(err, errlen, "gfx: framebuffer of %dx%d incomplete (0x%x)", w, h, status);
        gfx_target_destroy(g, t);
        return NULL;
    }
    return t;
}

void gfx_target_destroy(gfx *g, gfx_target *t)
{
    if (!t) return;
    if (g->bound == t) gfx_target_bind(g, NULL);
    if (t->fbo) glDeleteFramebuffers(1, &t->fbo);
    if (t->tex) glDeleteTextures(1, &t->tex);
    free(t);
}

void gfx_target_bind(gfx *g, gfx_target *t)
{
    gfx_flush(g);
    g->bound = t;
    glBindFramebuffer(GL_FRAMEBUFFER, t ? t->fbo : 0);
    g->fb_w = t ? t->w : g->win_w;
    g->fb_h = t ? t->h : g->win_h;
    g->clip_on = 0;
    gfx_set_state(g);
}

void gfx_read_pixels(gfx *g, int x, int y, int w, int h, unsigned char *rgba)
{
    if (!rgba || w <= 0 || h <= 0) return;
    gfx_flush(g);
    size_t row = (size_t)w * 4;
    memset(rgba, 0, row * (size_t)h);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glPixelStorei(GL_PACK_ROW_LENGTH, 0);
    glReadPixels(x, g->fb_h - (y + h), w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    /* GL's rows run bottom-up: swap them in place. */
    for (int i = 0; i < h / 2; i++) {
        unsigned char *a = rgba + row * (size_t)i, *b = rgba + row * (size_t)(h - 1 - i);
        for (size_t k = 0; k < row; k++) {
            unsigned char tmp = a[k];
            a[k] = b[k];
            b[k] = tmp;
        }
    }
}

int gfx_gl_errors(gfx *g, const char *where)
{
    int n = 0;
    GLenum e;
    /* Bounded: a lost context can report errors forever. */
    while (n < 64 && (e = glGetError()) != GL_NO_ERROR) {
        fprintf(stderr, "gfx: GL error 0x%x at %s\n", e, where ? where : "?");
        n++;
    }
    return n;
}
