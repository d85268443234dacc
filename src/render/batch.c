/* batch: the one vertex batch every 2D primitive goes into (room, vertices,
 * triangles, the two quad shapes) and its flush, drawn in runs of one shader
 * variant so the order of drawing is kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gfx_internal.h"
#include "render/text_internal.h"

/* An array *p of *cap elements of size elem grown (doubling, from first) to hold
 * need; 0, or -1 when memory ran out (the array is left as it was). */
static int batch_grow(void **p, size_t *cap, size_t need, size_t first, size_t elem)
{
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : first;
    while (c < need) c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q) return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Room for nv vertices and ni indices; returns the index of the first new vertex or
 * -1 when memory ran out (the primitive is dropped, with a message once). */
long gfx_batch_reserve(gfx *g, size_t nv, size_t ni)
{
    void *v = g->v, *idx = g->idx;
    int ok = batch_grow(&v, &g->cap_v, g->nv + nv, 4096, sizeof *g->v) == 0;
    g->v = v;
    ok = ok && batch_grow(&idx, &g->cap_i, g->ni + ni, 8192, sizeof *g->idx) == 0;
    g->idx = idx;
    if (ok) return (long)g->nv;
    fprintf(stderr, "gfx: out of memory for %zu vertices, primitive dropped\n", g->nv + nv);
    return -1;
}

void gfx_batch_put(gfx *g, int kind, float x, float y, float u, float v, const float p[4],
                const uint8_t c0[4], const uint8_t c1[4])
{
    vtx *o = &g->v[g->nv++];
    o->x = x;
    o->y = y;
    o->u = u;
    o->v = v;
    memcpy(o->p, p, sizeof o->p);
    memcpy(o->c0, c0, 4);
    memcpy(o->c1, c1, 4);
    o->kind = (uint8_t)kind;
    o->pad[0] = o->pad[1] = o->pad[2] = 0;
}

void gfx_batch_tri(gfx *g, uint32_t a, uint32_t b, uint32_t c)
{
    g->idx[g->ni++] = a;
    g->idx[g->ni++] = b;
    g->idx[g->ni++] = c;
}

/* An axis-aligned quad [x0,x1] x [y0,y1] whose local coordinates are the position
 * minus (ox, oy). */
void gfx_batch_quad_local(gfx *g, int kind, float x0, float y0, float x1, float y1, float ox,
                       float oy, const float p[4], uint32_t c0, uint32_t c1)
{
    long b = gfx_batch_reserve(g, 4, 6);
    if (b < 0) return;
    uint8_t a[4], c[4];
    gfx_rgba_bytes(c0, a);
    gfx_rgba_bytes(c1, c);
    gfx_batch_put(g, kind, x0, y0, x0 - ox, y0 - oy, p, a, c);
    gfx_batch_put(g, kind, x1, y0, x1 - ox, y0 - oy, p, a, c);
    gfx_batch_put(g, kind, x1, y1, x1 - ox, y1 - oy, p, a, c);
    gfx_batch_put(g, kind, x0, y1, x0 - ox, y1 - oy, p, a, c);
    gfx_batch_tri(g, (uint32_t)b, (uint32_t)b + 1, (uint32_t)b + 2);
    gfx_batch_tri(g, (uint32_t)b, (uint32_t)b + 2, (uint32_t)b + 3);
}

/* A quad along the segment (x0,y0)->(x1,y1) extended by `pre` before, `post` after
 * and `side` to each side; local coordinates are (along from the start, across). */
void gfx_batch_quad_along(gfx *g, int kind, float x0, float y0, float dx, float dy, float L,
                       float pre, float post, float side, const float p[4], uint32_t col)
{
    long b = gfx_batch_reserve(g, 4, 6);
    if (b < 0) return;
    uint8_t a[4], z[4] = {0, 0, 0, 0};
    gfx_rgba_bytes(col, a);
    float nx = -dy, ny = dx;
    float us[4] = {-pre, L + post, L + post, -pre};
    float vs[4] = {-side, -side, side, side};
    for (int k = 0; k < 4; k++)
        gfx_batch_put(g, kind, x0 + dx * us[k] + nx * vs[k], y0 + dy * us[k] + ny * vs[k], us[k], vs[k], p, a, z);
    gfx_batch_tri(g, (uint32_t)b, (uint32_t)b + 1, (uint32_t)b + 2);
    gfx_batch_tri(g, (uint32_t)b, (uint32_t)b + 2, (uint32_t)b + 3);
}

/* Upload n bytes as the buffer's new storage, of exactly that size: the driver need
 * not wait for draws still reading the old storage, and (llvmpipe zero-fills new
 * buffers) no flush pays for more than its own bytes, however large an earlier
 * batch made the buffer. */
void gfx_buffer_upload(GLenum target, size_t *have, const void *data, size_t n)
{
    *have = n;
    glBufferData(target, (GLsizeiptr)n, data, GL_STREAM_DRAW);
}

static void use_prim(gfx *g, int kinds)
{
    prim_prog *p = gfx_prim_variant(g, kinds);
    glUseProgram(p->prog);
    glUniform2f(p->fb, (float)g->fb_w, (float)g->fb_h);
    glUniform1i(p->atlas, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, font_atlas_texture(g->font));
}

/* Markers and arrows have costly distance functions; everything else is cheap.
 * A batch is drawn in runs of one class, each with a program for the kinds in it,
 * so the order of drawing is kept and no pixel pays for shapes it is not part of. */
static int kind_class(int kind)
{
    return kind == K_MARKER ? 1 : kind == K_ARROW ? 2 : 0;
}

void gfx_flush(gfx *g)
{
    if (!g->ni) {
        g->nv = 0;
        return;
    }
    glBindVertexArray(g->vao);
    glBindBuffer(GL_ARRAY_BUFFER, g->vbo);
    gfx_buffer_upload(GL_ARRAY_BUFFER, &g->vbo_bytes, g->v, g->nv * sizeof *g->v);
    gfx_buffer_upload(GL_ELEMENT_ARRAY_BUFFER, &g->ibo_bytes, g->idx, g->ni * sizeof *g->idx);
    size_t start = 0;
    while (start < g->ni) {
        int cls = kind_class(g->v[g->idx[start]].kind), kinds = 0;
        size_t end = start;
        while (end < g->ni && kind_class(g->v[g->idx[end]].kind) == cls) {
            kinds |= 1 << g->v[g->idx[end]].kind;
            end += 3;
        }
        /* one kind alone gets its own program; a mix gets its class's, so a frame
           needs few programs (each one is a compile the first time) */
        if (kinds & (kinds - 1)) kinds = cls == 0 ? PRIM_CHEAP : kinds;
        use_prim(g, kinds);
        glDrawElements(GL_TRIANGLES, (GLsizei)(end - start), GL_UNSIGNED_INT,
                       (void *)(start * sizeof *g->idx));
        start = end;
    }
    glBindVertexArray(0);
    g->nv = g->ni = 0;
}
