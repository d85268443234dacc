/* prim: the 2D primitives (rectangles, lines, arrows, markers, point swarms,
 * images), each a few quads in the batch or, for large swarms and images, a draw
 * of its own after a flush. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gfx_internal.h"

void gfx_rect(gfx *g, float x, float y, float w, float h, float radius, uint32_t rgba)
{
    if (!gfx_ok2(x, y) || !gfx_ok2(w, h) || !(w > 0.0f) || !(h > 0.0f) || !(rgba & 0xff)) return;
    float hw = w * 0.5f, hh = h * 0.5f;
    float r = radius > 0.0f ? radius : 0.0f;
    if (r > hw) r = hw;
    if (r > hh) r = hh;
    float p[4] = {hw, hh, r, 0.0f};
    gfx_batch_quad_local(g, K_RRECT, x - 1.0f, y - 1.0f, x + w + 1.0f, y + h + 1.0f, x + hw, y + hh, p, rgba, 0);
}

/* Thinner than a pixel: a 1px band, fainter. */
static void prim_thin(float *width, uint32_t *rgba)
{
    if (*width < 1.0f) {
        *rgba = gfx_scale_alpha(*rgba, *width);
        *width = 1.0f;
    }
}

/* A stroke from (x0, y0) to (x1, y1): its unit direction and length, the width
 * thinned (prim_thin). 0 when there is nothing to draw (not finite, no width, no
 * length, transparent). */
static int prim_stroke(float x0, float y0, float x1, float y1, float *width, uint32_t *rgba, float *dx,
                       float *dy, float *len)
{
    if (!gfx_ok2(x0, y0) || !gfx_ok2(x1, y1) || !(*width > 0.0f) || !gfx_okf(*width)) return 0;
    prim_thin(width, rgba);
    float ux = x1 - x0, uy = y1 - y0, L = sqrtf(ux * ux + uy * uy);
    if (!(L > 1e-6f) || !(*rgba & 0xff)) return 0;
    *dx = ux / L;
    *dy = uy / L;
    *len = L;
    return 1;
}

void gfx_rect_outline(gfx *g, float x, float y, float w, float h, float radius, float width,
                      uint32_t rgba)
{
    if (!gfx_ok2(x, y) || !gfx_ok2(w, h) || !(w > 0.0f) || !(h > 0.0f) || !(width > 0.0f) || !gfx_okf(width))
        return;
    prim_thin(&width, &rgba);
    if (!(rgba & 0xff)) return;
    float hw = w * 0.5f, hh = h * 0.5f;
    float r = radius > 0.0f ? radius : 0.0f;
    if (r > hw) r = hw;
    if (r > hh) r = hh;
    float p[4] = {hw, hh, r, width};
    gfx_batch_quad_local(g, K_RRECT, x - 1.0f, y - 1.0f, x + w + 1.0f, y + h + 1.0f, x + hw, y + hh, p, rgba, 0);
}

void gfx_line(gfx *g, float x0, float y0, float x1, float y1, float width, uint32_t rgba)
{
    float dx, dy, L;
    if (!prim_stroke(x0, y0, x1, y1, &width, &rgba, &dx, &dy, &L)) return;
    float hw = width * 0.5f;
    float p[4] = {L, hw, 0.0f, 0.0f};
    gfx_batch_quad_along(g, K_LINE, x0, y0, dx, dy, L, 1.0f, 1.0f, hw + 1.0f, p, rgba);
}

void gfx_arrow(gfx *g, float x0, float y0, float x1, float y1, float width, float head,
               uint32_t rgba)
{
    float dx, dy, L;
    if (!gfx_okf(head) || !prim_stroke(x0, y0, x1, y1, &width, &rgba, &dx, &dy, &L)) return;
    float hw = width * 0.5f;
    float hl = head > 0.0f ? head : 0.0f;
    if (hl > L) hl = L;   /* a short arrow is all head */
    float hh = hl * 0.5f > width ? hl * 0.5f : width;
    if (hl <= 0.0f) hh = 0.0f;
    float p[4] = {L, hw, hl, hh};
    float side = (hh > hw ? hh : hw) + 1.0f;
    gfx_batch_quad_along(g, K_ARROW, x0, y0, dx, dy, L, 1.0f, 1.0f, side, p, rgba);
}

void gfx_marker(gfx *g, gfx_shape shape, float cx, float cy, float r, uint32_t fill,
                uint32_t outline, float ow)
{
    if (!gfx_ok2(cx, cy) || !gfx_okf(r) || !(r > 0.0f) || (int)shape < 0 || shape > GFX_RING) return;
    if (!(ow > 0.0f) || !gfx_okf(ow)) {
        ow = 0.0f;
    } else if (ow < 1.0f) {
        outline = gfx_scale_alpha(outline, ow);
        ow = 1.0f;
    }
    if (!(fill & 0xff) && (!(outline & 0xff) || ow == 0.0f)) return;
    float p[4] = {r, (float)shape, ow, 0.0f};
    float e = r + 1.5f;
    gfx_batch_quad_local(g, K_MARKER, cx - e, cy - e, cx + e, cy + e, cx, cy, p, fill, outline);
}

void gfx_points(gfx *g, const float *xy, int n, float r, uint32_t rgba)
{
    if (!xy || n <= 0 || !gfx_okf(r) || !(r > 0.0f) || !(rgba & 0xff)) return;
    if (r < 0.5f) r = 0.5f;
    if (n < POINTS_BATCH_MAX || 2.0f * (r + 1.0f) > g->max_point) {
        for (int i = 0; i < n; i++)
            gfx_marker(g, GFX_CIRCLE, xy[2 * i], xy[2 * i + 1], r, rgba, 0, 0.0f);
        return;
    }
    if ((size_t)n > g->cap_pt) {
        size_t cap = g->cap_pt ? g->cap_pt : 1024;
        while (cap < (size_t)n) cap *= 2;
        float *p = realloc(g->pt, cap * 2 * sizeof *p);
        if (!p) {
            fprintf(stderr, "gfx: out of memory for %d points, dropped\n", n);
            return;
        }
        g->pt = p;
        g->cap_pt = cap;
    }
    size_t m = 0;
    for (int i = 0; i < n; i++) {
        float x = xy[2 * i], y = xy[2 * i + 1];
        if (!gfx_ok2(x, y)) continue;
        g->pt[2 * m] = x;
        g->pt[2 * m + 1] = y;
        m++;
    }
    if (!m) return;
    gfx_flush(g);
    glUseProgram(g->points.prog);
    glUniform2f(g->points.fb, (float)g->fb_w, (float)g->fb_h);
    glUniform1f(g->points.r, r);
    glUniform4f(g->points.color, (float)(rgba >> 24) / 255.0f, (float)(rgba >> 16 & 0xff) / 255.0f,
                (float)(rgba >> 8 & 0xff) / 255.0f, (float)(rgba & 0xff) / 255.0f);
    glBindVertexArray(g->pt_vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->pt_vbo);
    gfx_buffer_upload(GL_ARRAY_BUFFER, &g->pt_vbo_bytes, g->pt, m * 2 * sizeof *g->pt);
    glDrawArrays(GL_POINTS, 0, (GLsizei)m);
    glBindVertexArray(0);
}

void gfx_image(gfx *g, const unsigned char *rgba, int w, int h, int x, int y)
{
    if (!rgba || w <= 0 || h <= 0 || !g->blit.prog) return;
    /* the part inside the framebuffer */
    int x0 = x > 0 ? x : 0, y0 = y > 0 ? y : 0;
    int x1 = x + w < g->fb_w ? x + w : g->fb_w, y1 = y + h < g->fb_h ? y + h : g->fb_h;
    if (x1 <= x0 || y1 <= y0) return;
    int cw = x1 - x0, ch = y1 - y0;
    size_t need = (size_t)cw * (size_t)ch * 4;
    if (need > g->img_cap) {
        unsigned char *b = realloc(g->img_rows, need);
        if (!b) {
            fprintf(stderr, "gfx: out of memory for a %dx%d image, dropped\n", cw, ch);
            return;
        }
        g->img_rows = b;
        g->img_cap = need;
    }
    /* GL's rows go bottom up */
    for (int r = 0; r < ch; r++)
        memcpy(g->img_rows + (size_t)(ch - 1 - r) * (size_t)cw * 4,
               rgba + ((size_t)(y0 - y + r) * (size_t)w + (size_t)(x0 - x)) * 4, (size_t)cw * 4);
    gfx_flush(g);
    glActiveTexture(GL_TEXTURE1);
    if (!g->img_tex) glGenTextures(1, &g->img_tex);
    glBindTexture(GL_TEXTURE_2D, g->img_tex);
    if (g->img_w != g->fb_w || g->img_h != g->fb_h) {
        /* texel (i, j) is framebuffer pixel (i, j) counted from the bottom, which is
           how the blit program reads its texture */
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, g->fb_w, g->fb_h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        g->img_w = g->fb_w;
        g->img_h = g->fb_h;
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, x0, g->fb_h - y1, cw, ch, GL_RGBA, GL_UNSIGNED_BYTE, g->img_rows);
    glUseProgram(g->blit.prog);
    glUniform2f(g->blit.fb, (float)g->fb_w, (float)g->fb_h);
    glUniform4f(g->blit.rect, (float)x0, (float)y0, (float)cw, (float)ch);
    glUniform4f(g->blit.dst, (float)x0, (float)y0, (float)cw, (float)ch);
    glUniform1i(g->blit.tex, 1);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(g->empty_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}
