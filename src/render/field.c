/* field: the loss field on the GPU: its texture upload, the colour maps and their
 * table, the field program's draw, and the cache that copies an unchanged field
 * instead of shading it again. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gfx_internal.h"
#include "style/cmap.h"

void gfx_field_upload(gfx *g, const float *loss, const float *lmax, int w, int h)
{
    if (!loss || w <= 0 || h <= 0) {
        g->field_w = g->field_h = 0;
        g->field_gen++;
        return;
    }
    int maxs = gfx_max_size(g);
    if (w > maxs || h > maxs) {
        fprintf(stderr, "gfx: field of %dx%d exceeds the texture limit %d, not uploaded\n", w, h, maxs);
        return;
    }
    size_t n = (size_t)w * (size_t)h;
    if (n * 3 > g->cap_field) {
        float *b = realloc(g->field_buf, n * 3 * sizeof *b);
        if (!b) {
            fprintf(stderr, "gfx: out of memory for a field of %dx%d\n", w, h);
            return;
        }
        g->field_buf = b;
        g->cap_field = n * 3;
    }
    /* Interleave (loss, lmax, undefined) and tame non-finite samples: linear
     * filtering would spread a NaN over its neighbours and an inf into NaN
     * derivatives. A NaN loss (log of a negative number, 0/0) is undefined, not
     * high: the third channel marks it (filtered, it is the edge's coverage) and
     * the loss there takes the nearest defined value of its row, so the colours and
     * iso-lines run smoothly up to the edge. */
    for (int j = 0; j < h; j++) {
        float *row = g->field_buf + 3 * (size_t)j * (size_t)w;
        const float *src = loss + (size_t)j * (size_t)w;
        float last = 0.0f;
        int have = 0, first = -1;
        for (int i = 0; i < w; i++) {
            float v = src[i], l = lmax ? lmax[(size_t)j * (size_t)w + i] : 0.0f;
            int und = v != v;
            if (!und) {
                if (!(v > -1e30f)) v = -1e30f;
                else if (v > 1e30f) v = 1e30f;
                if (!have) first = i;
                last = v;
                have = 1;
            } else {
                v = last;
            }
            if (!(l > -1e30f)) l = (l != l) ? 0.0f : -1e30f;
            else if (l > 1e30f) l = 1e30f;
            row[3 * i] = v;
            row[3 * i + 1] = l;
            row[3 * i + 2] = und ? 1.0f : 0.0f;
        }
        /* the undefined run at the row's start takes its first defined value; a
           row with none keeps 0 (the mask covers it) */
        for (int i = 0; have && i < first; i++) row[3 * i] = row[3 * first];
    }
    glBindTexture(GL_TEXTURE_2D, g->field_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    if (w != g->field_w || h != g->field_h)
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB32F, w, h, 0, GL_RGB, GL_FLOAT, g->field_buf);
    else
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, w, h, GL_RGB, GL_FLOAT, g->field_buf);
    g->field_w = w;
    g->field_h = h;
    g->field_gen++;
    g->field_lmax = lmax != NULL;
}

/* The colour maps are style/cmap's; the shader reads them from a table of
 * STYLE_CMAP_LUT_N entries at the nearest one (an unfiltered fetch is far cheaper
 * than three pow() a pixel on llvmpipe, and 1024 steps are finer than 8-bit output
 * can show), and style_cmap_color is that same lookup. */
_Static_assert(LUT_N == STYLE_CMAP_LUT_N, "the table the shaders read is style/cmap's");

void gfx_lut_upload(gfx *g, style_cmap cm)
{
    uint8_t px[LUT_N * 4];
    for (int i = 0; i < LUT_N; i++) {
        style_cmap_exact(cm, (float)i / (float)(LUT_N - 1), px + 4 * i);
        px[4 * i + 3] = 255;
    }
    glBindTexture(GL_TEXTURE_2D, g->lut_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, LUT_N, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
    g->lut_cmap = (int)cm;
}

/* Make fc_tex/fc_fbo the framebuffer's size; 0 when that cannot be had. */
static int field_cache_target(gfx *g)
{
    if (g->fc_fbo && g->fc_w == g->fb_w && g->fc_h == g->fb_h) return 1;
    if (!g->fc_fbo) {
        glGenFramebuffers(1, &g->fc_fbo);
        glGenTextures(1, &g->fc_tex);
    }
    glBindTexture(GL_TEXTURE_2D, g->fc_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, g->fb_w, g->fb_h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindFramebuffer(GL_FRAMEBUFFER, g->fc_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, g->fc_tex, 0);
    int ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_FRAMEBUFFER, g->bound ? g->bound->fbo : 0);
    g->fc_w = ok ? g->fb_w : 0;
    g->fc_h = ok ? g->fb_h : 0;
    return ok;
}

/* The quad over the program's rect (field.vert makes it from gl_VertexID, no
 * buffer) with tex on texture unit 1 and, when not 0, lut on unit 2. */
static void field_quad(gfx *g, GLuint tex, GLuint lut)
{
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, tex);
    if (lut) {
        glActiveTexture(GL_TEXTURE2);
        glBindTexture(GL_TEXTURE_2D, lut);
    }
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(g->empty_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
}

static void field_cache_copy(gfx *g, const float *c, int opaque)
{
    /* An opaque field replaces what is under it: no blending, no reads of the
       destination (on llvmpipe a third of the copy's cost). */
    if (opaque) glDisable(GL_BLEND);
    glUseProgram(g->blit.prog);
    glUniform2f(g->blit.fb, (float)g->fb_w, (float)g->fb_h);
    glUniform4f(g->blit.rect, c[0], c[1], c[2], c[3]);
    glUniform4f(g->blit.dst, c[0], c[1], c[2], c[3]);
    glUniform1i(g->blit.tex, 1);
    field_quad(g, g->fc_tex, 0);
    if (opaque) glEnable(GL_BLEND);
}

void gfx_field_cache(gfx *g, int on)
{
    g->field_cache = on != 0;
    g->fc_valid = 0;
    g->have_last = 0;
}

long gfx_field_shaded(gfx *g)
{
    return g->field_shaded;
}

/* The cache: copy when the key is the cached one (returns 1: drawn), shade into the
 * cache when the key is the same as the last draw's (*into_cache, the cache bound),
 * else shade directly. */
static int field_cache_use(gfx *g, const gfx_field_style *s, style_cmap cm, int variant, int *into_cache)
{
    *into_cache = 0;
    if (!g->field_cache || !g->blit.prog) return 0;
    field_key k;
    memset(&k, 0, sizeof k);
    k.style = *s;
    k.style.cmap = cm;
    k.variant = variant;
    k.cmap = (int)cm;
    k.field_gen = g->field_gen;
    k.fb_w = g->fb_w;
    k.fb_h = g->fb_h;
    k.target = g->bound;
    k.clip_on = g->clip_on;
    if (g->clip_on) memcpy(k.clip, g->clip, sizeof k.clip);
    if (g->fc_valid && memcmp(&k, &g->fc_key, sizeof k) == 0) {
        field_cache_copy(g, s->clip, (s->background & 0xffu) == 0xffu && !s->no_fill);
        return 1;
    }
    int repeat = g->have_last && memcmp(&k, &g->last_key, sizeof k) == 0;
    g->last_key = k;
    g->have_last = 1;
    if (repeat && field_cache_target(g)) {
        *into_cache = 1;
        g->fc_key = k;
        g->fc_valid = 1;
        glBindFramebuffer(GL_FRAMEBUFFER, g->fc_fbo);
        glDisable(GL_SCISSOR_TEST);
        glClearColor(0, 0, 0, 0);
        glClear(GL_COLOR_BUFFER_BIT);
        gfx_apply_clip(g);
    }
    return 0;
}

/* v where the colour map puts it: log10(v - vmin + floor) on a log scale. */
static float mapped(const gfx_fieldmap *m, float v)
{
    if (!m->log_scale) return v;
    float a = v - m->vmin + m->log_floor;
    return log10f(a > 1e-30f ? a : 1e-30f);
}

void gfx_fieldmap_uniforms(const gfx_fieldmap_locs *u, const gfx_fieldmap *m)
{
    float umin = mapped(m, m->vmin), umax = mapped(m, m->vmax);
    float uscale = umax - umin;
    uscale = (uscale != 0.0f && isfinite(1.0f / uscale)) ? 1.0f / uscale : 0.0f;
    glUniform1f(u->vmin, m->vmin);
    glUniform1f(u->floor_, m->log_floor);
    glUniform1i(u->log_, m->log_scale != 0);
    glUniform1f(u->umin, umin);
    glUniform1f(u->uscale, uscale);
    glUniform1f(u->iso_inv, m->iso ? 1.0f / m->iso_step : 0.0f);
    glUniform1f(u->iso_step, m->iso ? m->iso_step : 0.0f);
    glUniform1f(u->iso_width, m->iso_width);
    glUniform1f(u->iso_alpha, !m->iso ? 0.0f : m->iso_alpha > 1.0f ? 1.0f : m->iso_alpha);
    float dark[3];
    style_cmap_iso_dark(m->cmap, dark);
    glUniform1f(u->iso_split, style_cmap_iso_split(m->cmap));
    glUniform3fv(u->iso_dark, 1, dark);
    if (m->no_fill)   /* nothing under the lines is known: one dark colour for all */
        glUniform3fv(u->iso_light, 1, style_iso_unfilled);
    else
        glUniform3f(u->iso_light, 1.0f, 1.0f, 1.0f);
}

/* The mapping's and the iso-lines' uniforms of field.frag. */
static void field_map_uniforms(const field_prog *f, const gfx_field_style *s, style_cmap cm, int iso)
{
    gfx_fieldmap_locs u = {f->vmin, f->floor_, f->log_, f->umin, f->uscale, f->iso_inv, f->iso_step,
                           f->iso_width, f->iso_alpha, f->iso_split, f->iso_dark, f->iso_light};
    gfx_fieldmap m = {s->vmin, s->vmax, s->log_scale, s->log_floor, iso, s->iso_step,
                      s->iso_width > 0.0f && gfx_okf(s->iso_width) ? s->iso_width : 1.0f, s->iso_alpha, cm,
                      s->no_fill};
    gfx_fieldmap_uniforms(&u, &m);
}

/* An 0xRRGGBBAA colour's channels as 0..1 floats. */
static void rgba_f(uint32_t c, float out[4])
{
    for (int k = 0; k < 4; k++) out[k] = (float)(c >> (24 - 8 * k) & 0xff) / 255.0f;
}

/* The rest of field.frag's uniforms: where, the stability shading, the fill, the
 * undefined grey and the background. */
static void field_frame_uniforms(gfx *g, const field_prog *f, const gfx_field_style *s, int stab)
{
    const float *c = s->clip;
    glUniform2f(f->fb, (float)g->fb_w, (float)g->fb_h);
    glUniform4f(f->rect, c[0], c[1], c[2], c[3]);
    int has = g->field_w > 0 && gfx_ok2(s->dst[0], s->dst[1]) && gfx_ok2(s->dst[2], s->dst[3]) &&
              s->dst[2] != 0.0f && s->dst[3] != 0.0f;
    glUniform1i(f->has_field, has);
    glUniform4f(f->dst, s->dst[0], s->dst[1], has ? s->dst[2] : 1.0f, has ? s->dst[3] : 1.0f);
    glUniform1f(f->stab_lr, stab ? s->stab_lr : 0.0f);
    glUniform1i(f->fill, !s->no_fill);
    float grey[4], hatch[4], bg[4];
    rgba_f(GFX_UNDEFINED_GREY, grey);
    rgba_f(GFX_UNDEFINED_HATCH, hatch);
    rgba_f(s->background, bg);
    glUniform3fv(f->undef, 1, grey);
    glUniform3fv(f->undef_hatch, 1, hatch);
    glUniform4fv(f->bg, 1, bg);
    glUniform1i(f->field, 1);
    glUniform1i(f->lut, 2);
}

void gfx_field_draw(gfx *g, const gfx_field_style *st)
{
    if (!st) return;
    const float *c = st->clip;
    if (!gfx_ok2(c[0], c[1]) || !gfx_ok2(c[2], c[3]) || !(c[2] > 0.0f) || !(c[3] > 0.0f)) return;
    gfx_flush(g);
    style_cmap cm = ((int)st->cmap >= 0 && st->cmap < STYLE_CMAP_COUNT) ? st->cmap : STYLE_CMAP_VIRIDIS;
    if (g->lut_cmap != (int)cm) gfx_lut_upload(g, cm);
    gfx_field_style s = *st;
    int iso = s.iso && s.iso_step > 0.0f && gfx_okf(s.iso_step) && s.iso_alpha > 0.0f;
    int stab = g->field_lmax && s.stab_lr > 0.0f && gfx_okf(s.stab_lr);
    int variant = iso | (s.hillshade != 0) << 1 | stab << 2;
    if (!(s.log_floor > 0.0f) || !gfx_okf(s.log_floor)) s.log_floor = 1e-6f;
    if (!gfx_okf(s.vmin)) s.vmin = 0.0f;
    if (!gfx_okf(s.vmax)) s.vmax = s.vmin + 1.0f;
    int into_cache;
    if (field_cache_use(g, &s, cm, variant, &into_cache)) return;

    field_prog *f = gfx_field_variant(g, variant);
    glUseProgram(f->prog);
    field_frame_uniforms(g, f, &s, stab);
    field_map_uniforms(f, &s, cm, iso);
    field_quad(g, g->field_tex, g->lut_tex);
    g->field_shaded++;
    if (into_cache) {
        glBindFramebuffer(GL_FRAMEBUFFER, g->bound ? g->bound->fbo : 0);
        field_cache_copy(g, c, (s.background & 0xffu) == 0xffu && !s.no_fill);
    }
}

GLuint gfx_lut(gfx *g, style_cmap cm)
{
    if ((int)cm < 0 || cm >= STYLE_CMAP_COUNT) cm = STYLE_CMAP_VIRIDIS;
    if (g->lut_cmap != (int)cm) gfx_lut_upload(g, cm);
    return g->lut_tex;
}

const float *gfx_field_data(gfx *g, int *w, int *h)
{
    *w = g->field_w;
    *h = g->field_h;
    return g->field_w > 0 ? g->field_buf : NULL;
}
