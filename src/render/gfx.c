/* gfx: the OpenGL 3.3 core drawing layer. One batched pipeline for every primitive
 * (prim.vert/prim.frag: pixel-space triangles with local coordinates, coverage from
 * a signed distance in the fragment shader), an instanced path for large point
 * swarms, and the field program (field.vert/field.frag) that shades the loss
 * texture. Geometry is built on the CPU in float pixels; nothing is allocated per
 * frame once the buffers have grown to the scene's size. */
#if defined(__SANITIZE_ADDRESS__)
#define _GNU_SOURCE 1   /* dl_iterate_phdr, RTLD_NOLOAD, RTLD_NODELETE: see pin_module */
#endif
#include "render/gfx.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

    void *surface;                   /* surface.c: the 3D surface's programs and buffers */
};

/* ---------------------------------------------------------------- helpers ---- */

static void set_err(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen) snprintf(err, errlen, fmt, a ? a : "", b ? b : "");
}

static int ok2(float x, float y)
{
    return fabsf(x) < COORD_MAX && fabsf(y) < COORD_MAX;   /* false for NaN too */
}

static int okf(float x)
{
    return fabsf(x) < COORD_MAX;
}

static void rgba_bytes(uint32_t c, uint8_t out[4])
{
    out[0] = (uint8_t)(c >> 24);
    out[1] = (uint8_t)(c >> 16);
    out[2] = (uint8_t)(c >> 8);
    out[3] = (uint8_t)c;
}

static uint32_t scale_alpha(uint32_t c, float s)
{
    if (s >= 1.0f) return c;
    float a = (float)(c & 0xffu) * (s > 0.0f ? s : 0.0f);
    return (c & 0xffffff00u) | (uint32_t)lrintf(a);
}

/* Room for nv vertices and ni indices; returns the index of the first new vertex or
 * -1 when memory ran out (the primitive is dropped, with a message once). */
static long reserve(gfx *g, size_t nv, size_t ni)
{
    if (g->nv + nv > g->cap_v) {
        size_t cap = g->cap_v ? g->cap_v : 4096;
        while (cap < g->nv + nv) cap *= 2;
        vtx *p = realloc(g->v, cap * sizeof *p);
        if (!p) goto oom;
        g->v = p;
        g->cap_v = cap;
    }
    if (g->ni + ni > g->cap_i) {
        size_t cap = g->cap_i ? g->cap_i : 8192;
        while (cap < g->ni + ni) cap *= 2;
        uint32_t *p = realloc(g->idx, cap * sizeof *p);
        if (!p) goto oom;
        g->idx = p;
        g->cap_i = cap;
    }
    return (long)g->nv;
oom:
    fprintf(stderr, "gfx: out of memory for %zu vertices, primitive dropped\n", g->nv + nv);
    return -1;
}

static void put(gfx *g, int kind, float x, float y, float u, float v, const float p[4],
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

static void tri(gfx *g, uint32_t a, uint32_t b, uint32_t c)
{
    g->idx[g->ni++] = a;
    g->idx[g->ni++] = b;
    g->idx[g->ni++] = c;
}

/* An axis-aligned quad [x0,x1] x [y0,y1] whose local coordinates are the position
 * minus (ox, oy). */
static void quad_local(gfx *g, int kind, float x0, float y0, float x1, float y1, float ox,
                       float oy, const float p[4], uint32_t c0, uint32_t c1)
{
    long b = reserve(g, 4, 6);
    if (b < 0) return;
    uint8_t a[4], c[4];
    rgba_bytes(c0, a);
    rgba_bytes(c1, c);
    put(g, kind, x0, y0, x0 - ox, y0 - oy, p, a, c);
    put(g, kind, x1, y0, x1 - ox, y0 - oy, p, a, c);
    put(g, kind, x1, y1, x1 - ox, y1 - oy, p, a, c);
    put(g, kind, x0, y1, x0 - ox, y1 - oy, p, a, c);
    tri(g, (uint32_t)b, (uint32_t)b + 1, (uint32_t)b + 2);
    tri(g, (uint32_t)b, (uint32_t)b + 2, (uint32_t)b + 3);
}

/* A quad along the segment (x0,y0)->(x1,y1) extended by `pre` before, `post` after
 * and `side` to each side; local coordinates are (along from the start, across). */
static void quad_along(gfx *g, int kind, float x0, float y0, float dx, float dy, float L,
                       float pre, float post, float side, const float p[4], uint32_t col)
{
    long b = reserve(g, 4, 6);
    if (b < 0) return;
    uint8_t a[4], z[4] = {0, 0, 0, 0};
    rgba_bytes(col, a);
    float nx = -dy, ny = dx;
    float us[4] = {-pre, L + post, L + post, -pre};
    float vs[4] = {-side, -side, side, side};
    for (int k = 0; k < 4; k++)
        put(g, kind, x0 + dx * us[k] + nx * vs[k], y0 + dy * us[k] + ny * vs[k], us[k], vs[k], p, a, z);
    tri(g, (uint32_t)b, (uint32_t)b + 1, (uint32_t)b + 2);
    tri(g, (uint32_t)b, (uint32_t)b + 2, (uint32_t)b + 3);
}

/* ---------------------------------------------------------------- shaders ---- */

#define SHADER_MAX_BYTES (1 << 20)

/* Source of a shader: <shader_dir>/<name> from disk, or the embedded copy. Returns
 * a malloc'd string (disk) via *owned, or the embedded bytes. */
static const char *shader_source(gfx *g, const char *name, char **owned, char *path,
                                 size_t pathlen, char *err, size_t errlen)
{
    *owned = NULL;
    if (!g->shader_dir) {
        snprintf(path, pathlen, "%s", name);
        const unsigned char *s = embedded_find(name, NULL);
        if (!s) set_err(err, errlen, "gfx: shader %s is not embedded%s", name, NULL);
        return (const char *)s;
    }
    snprintf(path, pathlen, "%s/%s", g->shader_dir, name);
    /* a FIFO would block the window before its first frame, a device never ends */
    struct stat st;
    if (stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > SHADER_MAX_BYTES)) {
        set_err(err, errlen, "gfx: shader %s is %s", path,
                S_ISREG(st.st_mode) ? "larger than 1 MiB" : "not a regular file");
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(err, errlen, "gfx: cannot read shader %s%s", path, NULL);
        return NULL;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 16384;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                set_err(err, errlen, "gfx: out of memory reading %s%s", path, NULL);
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, 4096, f);
        n += r;
        if (r < 4096) break;
        if (n > SHADER_MAX_BYTES) {
            free(buf);
            fclose(f);
            set_err(err, errlen, "gfx: shader %s is larger than 1 MiB%s", path, NULL);
            return NULL;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        set_err(err, errlen, "gfx: error reading shader %s%s", path, NULL);
        return NULL;
    }
    buf[n] = 0;
    *owned = buf;
    return buf;
}

/* Rewrite a driver's info log so each message starts with "file:line:". Mesa writes
 * "0:12(5): error: ...", NVIDIA "0(12) : error ...", AMD "ERROR: 0:12: ...". */
static void format_log(const char *path, const char *log, char *err, size_t errlen)
{
    size_t o = 0;
    o += (size_t)snprintf(err + o, errlen - o, "gfx: shader %s failed to compile:", path);
    const char *p = log;
    while (*p && o + 1 < errlen) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > 0) {
            long line = -1;
            const char *q = p, *rest = p;
            if (strncmp(q, "ERROR: ", 7) == 0) q += 7;
            char *e1;
            strtol(q, &e1, 10);
            if (e1 != q && (*e1 == ':' || *e1 == '(')) {
                char *e2;
                long l = strtol(e1 + 1, &e2, 10);
                if (e2 != e1 + 1) {
                    line = l;
                    rest = e2;
                    while (*rest == '(' || *rest == ')' || isdigit((unsigned char)*rest) ||
                           *rest == ' ' || *rest == ':')
                        rest++;
                }
            }
            int rlen = (int)(len - (size_t)(rest - p));
            if (line >= 0)
                o += (size_t)snprintf(err + o, errlen - o, "\n%s:%ld: %.*s", path, line, rlen, rest);
            else
                o += (size_t)snprintf(err + o, errlen - o, "\n%s: %.*s", path, (int)len, p);
            if (o >= errlen) o = errlen - 1;
        }
        if (!end) break;
        p = end + 1;
    }
}

/* The shader files start with the desktop's "#version 330 core"; on the web (WebGL2)
 * that line becomes GLSL ES 3.00's, with default precisions. defines, when given, go
 * right after the #version line, followed by a #line that keeps the file's line
 * numbers in the driver's messages. */
#ifdef __EMSCRIPTEN__
static const char *const gles_head = "#version 300 es\nprecision highp float;\nprecision highp int;\n"
                                      "precision highp sampler2D;\n";
#else
static const char *const gles_head = NULL;
#endif

static GLuint compile(GLenum type, const char *src, const char *defines, const char *path,
                      char *err, size_t errlen)
{
    GLuint s = glCreateShader(type);
    const char *ver = defines || gles_head ? strstr(src, "#version") : NULL;
    const char *nl = ver ? strchr(ver, '\n') : NULL;
    if (nl) {
        int line = 2;
        for (const char *q = src; q < nl; q++) line += *q == '\n';
        char pre[256];
        snprintf(pre, sizeof pre, "%s#line %d\n", defines ? defines : "", line);
        const char *parts[3] = {gles_head ? gles_head : src, pre, nl + 1};
        GLint lens[3] = {gles_head ? -1 : (GLint)(nl + 1 - src), -1, -1};
        glShaderSource(s, 3, parts, lens);
    } else {
        glShaderSource(s, 1, &src, NULL);
    }
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[4096] = "";
        glGetShaderInfoLog(s, sizeof log, NULL, log);
        if (err && errlen) format_log(path, log, err, errlen);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

static GLuint link_program(const char *vs, const char *vpath, const char *fs, const char *fpath,
                           const char *defines, char *err, size_t errlen)
{
    GLuint prog = 0;
    GLuint v = compile(GL_VERTEX_SHADER, vs, NULL, vpath, err, errlen);
    GLuint f = v ? compile(GL_FRAGMENT_SHADER, fs, defines, fpath, err, errlen) : 0;
    if (v && f) {
        prog = glCreateProgram();
        glAttachShader(prog, v);
        glAttachShader(prog, f);
        glLinkProgram(prog);
        GLint ok = 0;
        glGetProgramiv(prog, GL_LINK_STATUS, &ok);
        if (!ok) {
            char log[4096] = "";
            glGetProgramInfoLog(prog, sizeof log, NULL, log);
            if (err && errlen) snprintf(err, errlen, "gfx: linking %s + %s failed: %s", vpath, fpath, log);
            glDeleteProgram(prog);
            prog = 0;
        }
    }
    if (v) glDeleteShader(v);
    if (f) glDeleteShader(f);
    return prog;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Build vs_name + fs_name; with keep, the sources are also returned (malloc'd) for
 * building variants later. */
static GLuint build_program(gfx *g, const char *vs_name, const char *fs_name, const char *defines,
                            char *keep[2], char keep_path[2][1024], char *err, size_t errlen)
{
    char vpath[1024], fpath[1024];
    char *vown, *fown;
    const char *vs = shader_source(g, vs_name, &vown, vpath, sizeof vpath, err, errlen);
    if (!vs) return 0;
    const char *fs = shader_source(g, fs_name, &fown, fpath, sizeof fpath, err, errlen);
    if (!fs) {
        free(vown);
        return 0;
    }
    GLuint prog = link_program(vs, vpath, fs, fpath, defines, err, errlen);
    if (prog && keep) {
        keep[0] = dup_str(vs);
        keep[1] = dup_str(fs);
        if (!keep[0] || !keep[1]) {
            free(keep[0]);
            free(keep[1]);
            keep[0] = keep[1] = NULL;
            glDeleteProgram(prog);
            prog = 0;
            set_err(err, errlen, "gfx: out of memory%s%s", NULL, NULL);
        } else {
            memcpy(keep_path[0], vpath, sizeof vpath);
            memcpy(keep_path[1], fpath, sizeof fpath);
        }
    }
    free(vown);
    free(fown);
    return prog;
}

static void field_defines(int variant, char *buf, size_t n)
{
    snprintf(buf, n, "#define ISO %d\n#define HILL %d\n#define STAB %d\n", variant & 1,
             variant >> 1 & 1, variant >> 2 & 1);
}

static void prim_locations(prim_prog *p)
{
    p->fb = glGetUniformLocation(p->prog, "u_fb");
    p->atlas = glGetUniformLocation(p->prog, "u_atlas");
}

static void points_locations(points_prog *p)
{
    p->fb = glGetUniformLocation(p->prog, "u_fb");
    p->r = glGetUniformLocation(p->prog, "u_r");
    p->color = glGetUniformLocation(p->prog, "u_color");
}

static void field_locations(field_prog *p)
{
    GLuint q = p->prog;
    p->fb = glGetUniformLocation(q, "u_fb");
    p->rect = glGetUniformLocation(q, "u_rect");
    p->field = glGetUniformLocation(q, "u_field");
    p->lut = glGetUniformLocation(q, "u_lut");
    p->has_field = glGetUniformLocation(q, "u_has_field");
    p->dst = glGetUniformLocation(q, "u_dst");
    p->vmin = glGetUniformLocation(q, "u_vmin");
    p->floor_ = glGetUniformLocation(q, "u_floor");
    p->log_ = glGetUniformLocation(q, "u_log");
    p->umin = glGetUniformLocation(q, "u_umin");
    p->uscale = glGetUniformLocation(q, "u_uscale");
    p->iso_inv = glGetUniformLocation(q, "u_iso_inv");
    p->iso_step = glGetUniformLocation(q, "u_iso_step");
    p->iso_width = glGetUniformLocation(q, "u_iso_width");
    p->iso_alpha = glGetUniformLocation(q, "u_iso_alpha");
    p->iso_split = glGetUniformLocation(q, "u_iso_split");
    p->iso_dark = glGetUniformLocation(q, "u_iso_dark");
    p->iso_light = glGetUniformLocation(q, "u_iso_light");
    p->stab_lr = glGetUniformLocation(q, "u_stab_lr");
    p->bg = glGetUniformLocation(q, "u_bg");
    p->fill = glGetUniformLocation(q, "u_fill");
    p->undef = glGetUniformLocation(q, "u_undef");
    p->undef_hatch = glGetUniformLocation(q, "u_undef_hatch");
}

int gfx_reload_shaders(gfx *g, char *err, size_t errlen)
{
    char defs[128], *src[2] = {NULL, NULL}, path[2][1024];
    char *psrc[2] = {NULL, NULL}, ppath[2][1024];
    field_defines(FIELD_FULL, defs, sizeof defs);
    GLuint prim = build_program(g, "prim.vert", "prim.frag", NULL, psrc, ppath, err, errlen);
    GLuint pts = prim ? build_program(g, "points.vert", "points.frag", NULL, NULL, NULL, err, errlen) : 0;
    GLuint field = pts ? build_program(g, "field.vert", "field.frag", defs, src, path, err, errlen) : 0;
    GLuint blit = field ? build_program(g, "field.vert", "blit.frag", NULL, NULL, NULL, err, errlen) : 0;
    if (!blit) {
        if (prim) glDeleteProgram(prim);
        if (pts) glDeleteProgram(pts);
        if (field) glDeleteProgram(field);
        free(src[0]);
        free(src[1]);
        free(psrc[0]);
        free(psrc[1]);
        return -1;
    }
    gfx_flush(g);   /* the batch was meant for the old program */
    for (int i = 0; i < PRIM_VARIANTS; i++) {
        if (g->prim[i].prog) glDeleteProgram(g->prim[i].prog);
        g->prim[i].prog = 0;
        g->prim[i].failed = 0;
    }
    for (int k = 0; k < 2; k++) {
        free(g->prim_src[k]);
        g->prim_src[k] = psrc[k];
        memcpy(g->prim_path[k], ppath[k], sizeof ppath[k]);
    }
    if (g->points.prog) glDeleteProgram(g->points.prog);
    for (int i = 0; i < FIELD_VARIANTS; i++) {
        if (g->field[i].prog) glDeleteProgram(g->field[i].prog);
        g->field[i].prog = 0;
    }
    for (int k = 0; k < 2; k++) {
        free(g->field_src[k]);
        g->field_src[k] = src[k];
        memcpy(g->field_path[k], path[k], sizeof path[k]);
    }
    if (g->blit.prog) glDeleteProgram(g->blit.prog);
    g->blit.prog = blit;
    g->blit.fb = glGetUniformLocation(blit, "u_fb");
    g->blit.rect = glGetUniformLocation(blit, "u_rect");
    g->blit.dst = glGetUniformLocation(blit, "u_dst");
    g->blit.tex = glGetUniformLocation(blit, "u_tex");
    g->fc_valid = 0;
    g->have_last = 0;
    gfx_surface_reset(g);   /* rebuilt from the new sources when next drawn */
    g->prim[PRIM_ALL].prog = prim;
    g->points.prog = pts;
    g->field[FIELD_FULL].prog = field;
    prim_locations(&g->prim[PRIM_ALL]);
    points_locations(&g->points);
    field_locations(&g->field[FIELD_FULL]);
    return 0;
}

/* ---------------------------------------------------------------- lifetime ---- */

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
 * module loaded now as RTLD_NODELETE keeps their code mapped, the reports name the
 * driver's libraries, and tests/lsan.supp suppresses exactly those. */
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
        set_err(err, errlen, "gfx: OpenGL 3.3 is needed%s%s", NULL, NULL);
        return NULL;
    }
#endif
    gfx *g = calloc(1, sizeof *g);
    if (!g) {
        set_err(err, errlen, "gfx: out of memory%s%s", NULL, NULL);
        return NULL;
    }
    if (d && d->shader_dir) {
        g->shader_dir = malloc(strlen(d->shader_dir) + 1);
        if (!g->shader_dir) {
            free(g);
            set_err(err, errlen, "gfx: out of memory%s%s", NULL, NULL);
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
        set_err(err, errlen, "gfx: no font given and none embedded%s%s", NULL, NULL);
        gfx_destroy(g);
        return NULL;
    }
    g->font = font_create(ttf, ttf_size, err, errlen);
    if (!g->font) {
        gfx_destroy(g);
        return NULL;
    }
    setup_vao(g);
    glGenTextures(1, &g->field_tex);
    glBindTexture(GL_TEXTURE_2D, g->field_tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glGenTextures(1, &g->lut_tex);
    glBindTexture(GL_TEXTURE_2D, g->lut_tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
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
    for (int i = 0; i < PRIM_VARIANTS; i++)
        if (g->prim[i].prog) glDeleteProgram(g->prim[i].prog);
    free(g->prim_src[0]);
    free(g->prim_src[1]);
    if (g->points.prog) glDeleteProgram(g->points.prog);
    if (g->blit.prog) glDeleteProgram(g->blit.prog);
    if (g->fc_fbo) glDeleteFramebuffers(1, &g->fc_fbo);
    if (g->fc_tex) glDeleteTextures(1, &g->fc_tex);
    for (int i = 0; i < FIELD_VARIANTS; i++)
        if (g->field[i].prog) glDeleteProgram(g->field[i].prog);
    free(g->field_src[0]);
    free(g->field_src[1]);
    if (g->lut_tex) glDeleteTextures(1, &g->lut_tex);
    if (g->vao) glDeleteVertexArrays(1, &g->vao);
    if (g->pt_vao) glDeleteVertexArrays(1, &g->pt_vao);
    if (g->empty_vao) glDeleteVertexArrays(1, &g->empty_vao);
    GLuint bufs[3] = {g->vbo, g->ibo, g->pt_vbo};
    for (int i = 0; i < 3; i++)
        if (bufs[i]) glDeleteBuffers(1, &bufs[i]);
    if (g->field_tex) glDeleteTextures(1, &g->field_tex);
    if (g->img_tex) glDeleteTextures(1, &g->img_tex);
    free(g->img_rows);
    font_destroy(g->font);
    free(g->v);
    free(g->idx);
    free(g->pt);
    free(g->field_buf);
    free(g->poly_xy);
    free(g->poly_c);
    free(g->shader_dir);
    free(g);
}

/* ---------------------------------------------------------------- frames ---- */

static void apply_clip(gfx *g)
{
    if (!g->clip_on) {
        glDisable(GL_SCISSOR_TEST);
        return;
    }
    glEnable(GL_SCISSOR_TEST);
    glScissor(g->clip[0], g->fb_h - (g->clip[1] + g->clip[3]), g->clip[2], g->clip[3]);
}

static void set_state(gfx *g)
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
    apply_clip(g);
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
    set_state(g);
}

void gfx_clear(gfx *g, uint32_t rgba)
{
    gfx_flush(g);
    float a = (float)(rgba & 0xff) / 255.0f;
    glDisable(GL_SCISSOR_TEST);
    glClearColor((float)(rgba >> 24) / 255.0f * a, (float)(rgba >> 16 & 0xff) / 255.0f * a,
                 (float)(rgba >> 8 & 0xff) / 255.0f * a, a);
    glClear(GL_COLOR_BUFFER_BIT);
    apply_clip(g);
}

/* Upload n bytes as the buffer's new storage, of exactly that size: the driver need
 * not wait for draws still reading the old storage, and (llvmpipe zero-fills new
 * buffers) no flush pays for more than its own bytes, however large an earlier
 * batch made the buffer. */
static void upload(GLenum target, size_t *have, const void *data, size_t n)
{
    *have = n;
    glBufferData(target, (GLsizeiptr)n, data, GL_STREAM_DRAW);
}

static prim_prog *prim_variant(gfx *g, int kinds)
{
    prim_prog *p = &g->prim[kinds & PRIM_ALL];
    if (p->prog || p->failed || !g->prim_src[0]) return p->prog ? p : &g->prim[PRIM_ALL];
    char defs[64], err[1024];
    snprintf(defs, sizeof defs, "#define KINDS %d\n", kinds & PRIM_ALL);
    p->prog = link_program(g->prim_src[0], g->prim_path[0], g->prim_src[1], g->prim_path[1], defs,
                           err, sizeof err);
    if (!p->prog) {
        fprintf(stderr, "%s\n", err);
        p->failed = 1;   /* the full program stands in for this set from now on */
        return &g->prim[PRIM_ALL];
    }
    prim_locations(p);
    return p;
}

static void use_prim(gfx *g, int kinds)
{
    prim_prog *p = prim_variant(g, kinds);
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
    upload(GL_ARRAY_BUFFER, &g->vbo_bytes, g->v, g->nv * sizeof *g->v);
    upload(GL_ELEMENT_ARRAY_BUFFER, &g->ibo_bytes, g->idx, g->ni * sizeof *g->idx);
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

void gfx_end(gfx *g)
{
    gfx_flush(g);
}

void gfx_clip(gfx *g, float x, float y, float w, float h)
{
    gfx_flush(g);
    if (!(w >= 0.0f) || !ok2(x, y) || !okf(w) || !okf(h)) {
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
    apply_clip(g);
}

/* ---------------------------------------------------------------- primitives ---- */

void gfx_rect(gfx *g, float x, float y, float w, float h, float radius, uint32_t rgba)
{
    if (!ok2(x, y) || !ok2(w, h) || !(w > 0.0f) || !(h > 0.0f) || !(rgba & 0xff)) return;
    float hw = w * 0.5f, hh = h * 0.5f;
    float r = radius > 0.0f ? radius : 0.0f;
    if (r > hw) r = hw;
    if (r > hh) r = hh;
    float p[4] = {hw, hh, r, 0.0f};
    quad_local(g, K_RRECT, x - 1.0f, y - 1.0f, x + w + 1.0f, y + h + 1.0f, x + hw, y + hh, p, rgba, 0);
}

void gfx_rect_outline(gfx *g, float x, float y, float w, float h, float radius, float width,
                      uint32_t rgba)
{
    if (!ok2(x, y) || !ok2(w, h) || !(w > 0.0f) || !(h > 0.0f) || !(width > 0.0f) || !okf(width))
        return;
    /* Thinner than a pixel: a 1px band, fainter. */
    if (width < 1.0f) {
        rgba = scale_alpha(rgba, width);
        width = 1.0f;
    }
    if (!(rgba & 0xff)) return;
    float hw = w * 0.5f, hh = h * 0.5f;
    float r = radius > 0.0f ? radius : 0.0f;
    if (r > hw) r = hw;
    if (r > hh) r = hh;
    float p[4] = {hw, hh, r, width};
    quad_local(g, K_RRECT, x - 1.0f, y - 1.0f, x + w + 1.0f, y + h + 1.0f, x + hw, y + hh, p, rgba, 0);
}

void gfx_line(gfx *g, float x0, float y0, float x1, float y1, float width, uint32_t rgba)
{
    if (!ok2(x0, y0) || !ok2(x1, y1) || !(width > 0.0f) || !okf(width)) return;
    if (width < 1.0f) {
        rgba = scale_alpha(rgba, width);
        width = 1.0f;
    }
    float dx = x1 - x0, dy = y1 - y0, L = sqrtf(dx * dx + dy * dy);
    if (!(L > 1e-6f) || !(rgba & 0xff)) return;
    dx /= L;
    dy /= L;
    float hw = width * 0.5f;
    float p[4] = {L, hw, 0.0f, 0.0f};
    quad_along(g, K_LINE, x0, y0, dx, dy, L, 1.0f, 1.0f, hw + 1.0f, p, rgba);
}

void gfx_arrow(gfx *g, float x0, float y0, float x1, float y1, float width, float head,
               uint32_t rgba)
{
    if (!ok2(x0, y0) || !ok2(x1, y1) || !(width > 0.0f) || !okf(width) || !okf(head)) return;
    if (width < 1.0f) {
        rgba = scale_alpha(rgba, width);
        width = 1.0f;
    }
    float dx = x1 - x0, dy = y1 - y0, L = sqrtf(dx * dx + dy * dy);
    if (!(L > 1e-6f) || !(rgba & 0xff)) return;
    dx /= L;
    dy /= L;
    float hw = width * 0.5f;
    float hl = head > 0.0f ? head : 0.0f;
    if (hl > L) hl = L;   /* a short arrow is all head */
    float hh = hl * 0.5f > width ? hl * 0.5f : width;
    if (hl <= 0.0f) hh = 0.0f;
    float p[4] = {L, hw, hl, hh};
    float side = (hh > hw ? hh : hw) + 1.0f;
    quad_along(g, K_ARROW, x0, y0, dx, dy, L, 1.0f, 1.0f, side, p, rgba);
}

void gfx_marker(gfx *g, gfx_shape shape, float cx, float cy, float r, uint32_t fill,
                uint32_t outline, float ow)
{
    if (!ok2(cx, cy) || !okf(r) || !(r > 0.0f) || (int)shape < 0 || shape > GFX_RING) return;
    if (!(ow > 0.0f) || !okf(ow)) {
        ow = 0.0f;
    } else if (ow < 1.0f) {
        outline = scale_alpha(outline, ow);
        ow = 1.0f;
    }
    if (!(fill & 0xff) && (!(outline & 0xff) || ow == 0.0f)) return;
    float p[4] = {r, (float)shape, ow, 0.0f};
    float e = r + 1.5f;
    quad_local(g, K_MARKER, cx - e, cy - e, cx + e, cy + e, cx, cy, p, fill, outline);
}

void gfx_points(gfx *g, const float *xy, int n, float r, uint32_t rgba)
{
    if (!xy || n <= 0 || !okf(r) || !(r > 0.0f) || !(rgba & 0xff)) return;
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
        if (!ok2(x, y)) continue;
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
    upload(GL_ARRAY_BUFFER, &g->pt_vbo_bytes, g->pt, m * 2 * sizeof *g->pt);
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

/* ---------------------------------------------------------------- polylines ---- */

/* The corner points where two segments meet at J (incoming direction d0, outgoing
 * d1), for a stroke reaching e pixels each side. Each segment's end is a list of
 * 2 or 3 points ordered from its +normal side to its -normal side. Inside the turn
 * both segments end on the same miter point, so they share an edge and never
 * overlap; outside, a shared miter point or (when the miter would exceed
 * MITER_LIMIT) a bevel piece between them. */
typedef struct joint {
    float end0[3][2], start1[3][2];
    int n;                   /* points in each list: 2, or 3 with a bevel */
    int bevel;
    float piece[5][2];       /* the bevel piece: J, O0, O0 + d0 e, O1 - d1 e, O1 */
    float mx, my, vofs;      /* bevel piece's across value: dot(p - J, m) + vofs */
} joint;

static void make_joint(joint *jt, float jx, float jy, float d0x, float d0y, float d1x, float d1y,
                       float L0, float L1, float e, float hw)
{
    float n0x = -d0y, n0y = d0x, n1x = -d1y, n1y = d1x;
    float sx = n0x + n1x, sy = n0y + n1y, sl = sqrtf(sx * sx + sy * sy);
    float s_in = (d1x * n0x + d1y * n0y) >= 0.0f ? 1.0f : -1.0f;   /* side turned towards */
    float s_out = -s_in;
    float mx, my, c;
    if (sl > 1e-4f) {
        mx = sx / sl;
        my = sy / sl;
        c = mx * n0x + my * n0y;
    } else {   /* a reversal: the bevel becomes a square cap facing d0 */
        mx = n0x;
        my = n0y;
        c = 0.0f;
    }
    /* Inside: the shared miter point lies e tan(beta/2) back along both segments;
     * usable while that stays within half of each (so neighbouring joints' inner
     * points cannot cross). Otherwise each segment ends square and they overlap
     * a little, inside a turn that folds the path onto itself anyway. */
    float tan_half = c > 1e-4f ? sqrtf(fmaxf(1.0f - c * c, 0.0f)) / c : 1e30f;
    float back = e * tan_half;
    int inner_ok = back <= 0.5f * fminf(L0, L1);
    float in0[2], in1[2];
    if (inner_ok) {
        in0[0] = in1[0] = jx + s_in * mx * e / c;
        in0[1] = in1[1] = jy + s_in * my * e / c;
    } else {
        in0[0] = jx + s_in * n0x * e;
        in0[1] = jy + s_in * n0y * e;
        in1[0] = jx + s_in * n1x * e;
        in1[1] = jy + s_in * n1y * e;
    }
    jt->bevel = !(c > 1e-4f && 1.0f / c <= MITER_LIMIT);
    float out0[2], out1[2];
    if (!jt->bevel) {
        out0[0] = out1[0] = jx + s_out * mx * e / c;
        out0[1] = out1[1] = jy + s_out * my * e / c;
    } else {
        out0[0] = jx + s_out * n0x * e;
        out0[1] = jy + s_out * n0y * e;
        out1[0] = jx + s_out * n1x * e;
        out1[1] = jy + s_out * n1y * e;
    }
    /* Lists run from the + side to the - side. */
    const float *plus0 = s_out > 0 ? out0 : in0, *minus0 = s_out > 0 ? in0 : out0;
    const float *plus1 = s_out > 0 ? out1 : in1, *minus1 = s_out > 0 ? in1 : out1;
    jt->n = jt->bevel ? 3 : 2;
    int k = 0;
    jt->end0[k][0] = plus0[0], jt->end0[k][1] = plus0[1], k++;
    if (jt->bevel) jt->end0[k][0] = jx, jt->end0[k][1] = jy, k++;
    jt->end0[k][0] = minus0[0], jt->end0[k][1] = minus0[1];
    k = 0;
    jt->start1[k][0] = plus1[0], jt->start1[k][1] = plus1[1], k++;
    if (jt->bevel) jt->start1[k][0] = jx, jt->start1[k][1] = jy, k++;
    jt->start1[k][0] = minus1[0], jt->start1[k][1] = minus1[1];
    if (jt->bevel) {
        /* Covers the round of the outside corner up to e, within the wedge between
         * the two segments (the turn is sharper than the miter limit). Its across
         * value puts the bevel edge where the visible stroke's corners are and
         * ramps over one pixel beyond it. */
        jt->piece[0][0] = jx, jt->piece[0][1] = jy;
        jt->piece[1][0] = out0[0], jt->piece[1][1] = out0[1];
        jt->piece[2][0] = out0[0] + d0x * e, jt->piece[2][1] = out0[1] + d0y * e;
        jt->piece[3][0] = out1[0] - d1x * e, jt->piece[3][1] = out1[1] - d1y * e;
        jt->piece[4][0] = out1[0], jt->piece[4][1] = out1[1];
        if (c > 1e-4f) {
            jt->mx = s_out * mx;
            jt->my = s_out * my;
        } else {
            jt->mx = d0x;
            jt->my = d0y;
        }
        jt->vofs = hw * (1.0f - c);
    }
}

/* One run of m >= 2 distinct finite points. */
static void poly_run(gfx *g, const float *P, const uint32_t *C, int m, float hw)
{
    const float e = hw + 1.0f, cap = 1.0f;
    joint prev = {0}, cur = {0};
    for (int j = 0; j + 1 < m; j++) {
        float ax = P[2 * j], ay = P[2 * j + 1], bx = P[2 * j + 2], by = P[2 * j + 3];
        float dx = bx - ax, dy = by - ay, L = sqrtf(dx * dx + dy * dy);
        dx /= L;
        dy /= L;
        float nx = -dy, ny = dx;
        /* This segment's end: the joint with the next one, or a butt cap. */
        if (j + 2 < m) {
            float cx = P[2 * j + 4] - bx, cy = P[2 * j + 5] - by, L1 = sqrtf(cx * cx + cy * cy);
            make_joint(&cur, bx, by, dx, dy, cx / L1, cy / L1, L, L1, e, hw);
        }
        float ring[6][2];
        int nr = 0;
        if (j == 0) {
            ring[nr][0] = ax - dx * cap - nx * e, ring[nr][1] = ay - dy * cap - ny * e, nr++;
            ring[nr][0] = ax - dx * cap + nx * e, ring[nr][1] = ay - dy * cap + ny * e, nr++;
        } else {
            for (int k = prev.n - 1; k >= 0; k--)
                ring[nr][0] = prev.start1[k][0], ring[nr][1] = prev.start1[k][1], nr++;
        }
        int nstart = nr;
        if (j + 2 < m) {
            for (int k = 0; k < cur.n; k++)
                ring[nr][0] = cur.end0[k][0], ring[nr][1] = cur.end0[k][1], nr++;
        } else {
            ring[nr][0] = bx + dx * cap + nx * e, ring[nr][1] = by + dy * cap + ny * e, nr++;
            ring[nr][0] = bx + dx * cap - nx * e, ring[nr][1] = by + dy * cap - ny * e, nr++;
        }
        long b = reserve(g, (size_t)nr + 5, (size_t)(nr - 2) * 3 + 9);
        if (b < 0) return;
        uint8_t ca[4], cb[4], z[4] = {0, 0, 0, 0};
        rgba_bytes(C[j], ca);
        rgba_bytes(C[j + 1], cb);
        for (int k = 0; k < nr; k++) {
            float px = ring[k][0], py = ring[k][1];
            float across = (px - ax) * nx + (py - ay) * ny;
            float along = (px - ax) * dx + (py - ay) * dy;
            float p[4] = {hw, j == 0 ? along : FAR, j + 2 == m ? L - along : FAR, 0.0f};
            put(g, K_POLY, px, py, across, 0.0f, p, k < nstart ? ca : cb, z);
        }
        for (int k = 1; k + 1 < nr; k++)
            tri(g, (uint32_t)b, (uint32_t)(b + k), (uint32_t)(b + k + 1));
        if (j + 2 < m && cur.bevel) {
            long q = (long)g->nv;
            for (int k = 0; k < 5; k++) {
                float px = cur.piece[k][0], py = cur.piece[k][1];
                float v = (px - bx) * cur.mx + (py - by) * cur.my + cur.vofs;
                float p[4] = {hw, FAR, FAR, 0.0f};
                put(g, K_POLY, px, py, v, 0.0f, p, cb, z);
            }
            for (int k = 1; k < 4; k++) tri(g, (uint32_t)q, (uint32_t)(q + k), (uint32_t)(q + k + 1));
        }
        prev = cur;
    }
}

void gfx_polyline(gfx *g, const float *xy, int n, float width, const uint32_t *rgba,
                  uint32_t color)
{
    if (!xy || n < 2 || !(width > 0.0f) || !okf(width)) return;
    float scale = 1.0f;
    if (width < 1.0f) {
        scale = width;
        width = 1.0f;
    }
    if ((size_t)n > g->cap_poly) {
        size_t cap = g->cap_poly ? g->cap_poly : 256;
        while (cap < (size_t)n) cap *= 2;
        float *nxy = realloc(g->poly_xy, cap * 2 * sizeof *nxy);
        if (nxy) g->poly_xy = nxy;
        uint32_t *nc = realloc(g->poly_c, cap * sizeof *nc);
        if (nc) g->poly_c = nc;
        if (!nxy || !nc) {
            fprintf(stderr, "gfx: out of memory for a polyline of %d points, dropped\n", n);
            return;
        }
        g->cap_poly = cap;
    }
    /* Split at non-finite points (a diverged trail) and drop repeated points, which
     * have no direction to join along. */
    int i = 0;
    while (i < n) {
        int m = 0;
        for (; i < n; i++) {
            float x = xy[2 * i], y = xy[2 * i + 1];
            if (!ok2(x, y)) {
                if (m) break;
                continue;
            }
            uint32_t c = scale_alpha(rgba ? rgba[i] : color, scale);
            if (m) {
                float ddx = x - g->poly_xy[2 * m - 2], ddy = y - g->poly_xy[2 * m - 1];
                if (ddx * ddx + ddy * ddy < 1e-6f) {
                    g->poly_c[m - 1] = c;
                    continue;
                }
            }
            g->poly_xy[2 * m] = x;
            g->poly_xy[2 * m + 1] = y;
            g->poly_c[m] = c;
            m++;
        }
        if (m >= 2) poly_run(g, g->poly_xy, g->poly_c, m, width * 0.5f);
    }
}

/* ---------------------------------------------------------------- text ---- */

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
    if (!s || !size || !ok2(x, y)) return 0.0f;
    len = text_len(s, len);
    /* Whole pixels: the atlas bitmaps map texel to pixel, so the text stays sharp. */
    float ox = floorf(x + 0.5f), oy = floorf(y + 0.5f), pen = 0.0f;
    uint8_t c[4], z[4] = {0, 0, 0, 0};
    rgba_bytes(rgba, c);
    float p[4] = {0, 0, 0, 0};
    for (int i = 0; i < len;) {
        uint32_t cp = utf8_next(s, len, &i);
        if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) continue;
        const gfx_glyph *gl = glyph(g, size, cp);
        if (!gl) continue;
        if (gl->w > 0 && (rgba & 0xff)) {
            long b = reserve(g, 4, 6);
            if (b < 0) break;
            float x0 = ox + pen + gl->ox, y0 = oy + gl->oy, x1 = x0 + gl->w, y1 = y0 + gl->h;
            float u0 = gl->x, v0 = gl->y, u1 = gl->x + gl->w, v1 = gl->y + gl->h;
            put(g, K_TEXT, x0, y0, u0, v0, p, c, z);
            put(g, K_TEXT, x1, y0, u1, v0, p, c, z);
            put(g, K_TEXT, x1, y1, u1, v1, p, c, z);
            put(g, K_TEXT, x0, y1, u0, v1, p, c, z);
            tri(g, (uint32_t)b, (uint32_t)b + 1, (uint32_t)b + 2);
            tri(g, (uint32_t)b, (uint32_t)b + 2, (uint32_t)b + 3);
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

/* ---------------------------------------------------------------- field ---- */

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

/* Colour maps: key colours (sRGB hex) at equal spacing, interpolated in linear RGB.
 * viridis and cividis: the matplotlib maps sampled at 10 points. light: a print
 * theme, white through a pale blue-grey to a soft warm tone, for dark iso-lines. */
static const uint32_t cmap_keys[GFX_CMAP_COUNT][10] = {
    {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725},
    {0x00224e, 0x123570, 0x3b496c, 0x575d6d, 0x707173, 0x8a8678, 0xa59c74, 0xc3b369, 0xe1cc55, 0xfee838},
    {0xffffff, 0xf3f6f9, 0xe6ecf2, 0xdde4ec, 0xe0e1e4, 0xe8ddd3, 0xf0d8c2, 0xf3cfad},
};
static const int cmap_nkeys[GFX_CMAP_COUNT] = {10, 10, 8};

static float srgb_decode(float c)
{
    return c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f);
}

static float srgb_encode(float c)
{
    c = c < 0.0f ? 0.0f : c > 1.0f ? 1.0f : c;
    return c < 0.0031308f ? c * 12.92f : 1.055f * powf(c, 1.0f / 2.4f) - 0.055f;
}

static void cmap_linear_keys(gfx_cmap cm, float out[10][3])
{
    for (int i = 0; i < cmap_nkeys[cm]; i++)
        for (int k = 0; k < 3; k++)
            out[i][k] = srgb_decode((float)(cmap_keys[cm][i] >> (16 - 8 * k) & 0xff) / 255.0f);
}

/* The colour map's defining function: keys interpolated in linear RGB, sRGB
 * encoded, as bytes. */
static void cmap_exact(gfx_cmap cm, float t, uint8_t out[3])
{
    float keys[10][3];
    cmap_linear_keys(cm, keys);
    int n = cmap_nkeys[cm];
    float x = t * (float)(n - 1);
    int i = (int)x;
    if (i > n - 2) i = n - 2;
    float f = x - (float)i;
    for (int k = 0; k < 3; k++) {
        float lin = keys[i][k] + (keys[i + 1][k] - keys[i][k]) * f;
        out[k] = (uint8_t)lrintf(srgb_encode(lin) * 255.0f);
    }
}

/* The shader reads the map from a table of LUT_N entries of cmap_exact at the
 * nearest entry (an unfiltered fetch is far cheaper than three pow() a pixel on
 * llvmpipe, and 1024 steps are finer than 8-bit output can show); this is the
 * same lookup, rounding like the shader's int(t * 1023.0 + 0.5). */
uint32_t gfx_cmap_color(gfx_cmap cmap, float t)
{
    if ((int)cmap < 0 || cmap >= GFX_CMAP_COUNT) cmap = GFX_CMAP_VIRIDIS;
    if (!(t >= 0.0f)) t = 0.0f;   /* NaN too */
    if (t > 1.0f) t = 1.0f;
    int i = (int)(t * (float)(LUT_N - 1) + 0.5f);
    uint8_t c[3];
    cmap_exact(cmap, (float)i / (float)(LUT_N - 1), c);
    return (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | 0xffu;
}

static void lut_upload(gfx *g, gfx_cmap cm)
{
    uint8_t px[LUT_N * 4];
    for (int i = 0; i < LUT_N; i++) {
        cmap_exact(cm, (float)i / (float)(LUT_N - 1), px + 4 * i);
        px[4 * i + 3] = 255;
    }
    glBindTexture(GL_TEXTURE_2D, g->lut_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, LUT_N, 1, GL_RGBA, GL_UNSIGNED_BYTE, px);
    g->lut_cmap = (int)cm;
}

/* The level t below which iso-lines are drawn light (over the dark part of a map):
 * where the map's relative luminance crosses 0.3. */
static float iso_split(gfx_cmap cm)
{
    if (cm == GFX_CMAP_LIGHT) return -1.0f;
    for (int i = 0; i <= 100; i++) {
        uint32_t c = gfx_cmap_color(cm, (float)i / 100.0f);
        float r = srgb_decode((float)(c >> 24) / 255.0f), gr = srgb_decode((float)(c >> 16 & 0xff) / 255.0f),
              b = srgb_decode((float)(c >> 8 & 0xff) / 255.0f);
        if (0.2126f * r + 0.7152f * gr + 0.0722f * b > 0.3f) return (float)i / 100.0f;
    }
    return 2.0f;
}

/* The program for a variant, built on first use; the full one (which the uniforms
 * can mostly neutralize) if that fails. */
static field_prog *field_variant(gfx *g, int variant)
{
    field_prog *f = &g->field[variant];
    if (f->prog || !g->field_src[0]) return f->prog ? f : &g->field[FIELD_FULL];
    char defs[128], err[1024];
    field_defines(variant, defs, sizeof defs);
    f->prog = link_program(g->field_src[0], g->field_path[0], g->field_src[1], g->field_path[1],
                           defs, err, sizeof err);
    if (!f->prog) {
        fprintf(stderr, "%s\n", err);
        return &g->field[FIELD_FULL];
    }
    field_locations(f);
    return f;
}

static float mapped(const gfx_field_style *st, float v)
{
    if (!st->log_scale) return v;
    float a = v - st->vmin + st->log_floor;
    return log10f(a > 1e-30f ? a : 1e-30f);
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
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, g->fc_tex);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(g->empty_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
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

void gfx_field_draw(gfx *g, const gfx_field_style *st)
{
    if (!st) return;
    const float *c = st->clip;
    if (!ok2(c[0], c[1]) || !ok2(c[2], c[3]) || !(c[2] > 0.0f) || !(c[3] > 0.0f)) return;
    gfx_flush(g);
    gfx_cmap cm = ((int)st->cmap >= 0 && st->cmap < GFX_CMAP_COUNT) ? st->cmap : GFX_CMAP_VIRIDIS;
    if (g->lut_cmap != (int)cm) lut_upload(g, cm);
    gfx_field_style s = *st;
    int iso = s.iso && s.iso_step > 0.0f && okf(s.iso_step) && s.iso_alpha > 0.0f;
    int stab = g->field_lmax && s.stab_lr > 0.0f && okf(s.stab_lr);
    int variant = iso | (s.hillshade != 0) << 1 | stab << 2;
    if (!(s.log_floor > 0.0f) || !okf(s.log_floor)) s.log_floor = 1e-6f;
    if (!okf(s.vmin)) s.vmin = 0.0f;
    if (!okf(s.vmax)) s.vmax = s.vmin + 1.0f;

    /* the cache: copy when the key is the cached one, shade into the cache when
       the key is the same as the last draw's, else shade directly */
    int into_cache = 0;
    if (g->field_cache && g->blit.prog) {
        field_key k;
        memset(&k, 0, sizeof k);
        k.style = s;
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
            field_cache_copy(g, c, (s.background & 0xffu) == 0xffu && !s.no_fill);
            return;
        }
        int repeat = g->have_last && memcmp(&k, &g->last_key, sizeof k) == 0;
        g->last_key = k;
        g->have_last = 1;
        if (repeat && field_cache_target(g)) {
            into_cache = 1;
            g->fc_key = k;
            g->fc_valid = 1;
            glBindFramebuffer(GL_FRAMEBUFFER, g->fc_fbo);
            glDisable(GL_SCISSOR_TEST);
            glClearColor(0, 0, 0, 0);
            glClear(GL_COLOR_BUFFER_BIT);
            apply_clip(g);
        }
    }

    field_prog *f = field_variant(g, variant);
    glUseProgram(f->prog);
    glUniform2f(f->fb, (float)g->fb_w, (float)g->fb_h);
    glUniform4f(f->rect, c[0], c[1], c[2], c[3]);
    int has = g->field_w > 0 && ok2(st->dst[0], st->dst[1]) && ok2(st->dst[2], st->dst[3]) &&
              st->dst[2] != 0.0f && st->dst[3] != 0.0f;
    glUniform1i(f->has_field, has);
    glUniform4f(f->dst, st->dst[0], st->dst[1], has ? st->dst[2] : 1.0f, has ? st->dst[3] : 1.0f);

    float umin = mapped(&s, s.vmin), umax = mapped(&s, s.vmax);
    float uscale = umax - umin;
    uscale = (uscale != 0.0f && isfinite(1.0f / uscale)) ? 1.0f / uscale : 0.0f;
    glUniform1f(f->vmin, s.vmin);
    glUniform1f(f->floor_, s.log_floor);
    glUniform1i(f->log_, s.log_scale != 0);
    glUniform1f(f->umin, umin);
    glUniform1f(f->uscale, uscale);
    glUniform1f(f->iso_inv, iso ? 1.0f / s.iso_step : 0.0f);
    glUniform1f(f->iso_step, iso ? s.iso_step : 0.0f);
    glUniform1f(f->iso_width, s.iso_width > 0.0f && okf(s.iso_width) ? s.iso_width : 1.0f);
    glUniform1f(f->iso_alpha, !iso ? 0.0f : s.iso_alpha > 1.0f ? 1.0f : s.iso_alpha);
    glUniform1f(f->iso_split, iso_split(cm));
    if (cm == GFX_CMAP_LIGHT)
        glUniform3f(f->iso_dark, 0.16f, 0.20f, 0.27f);
    else
        glUniform3f(f->iso_dark, 0.05f, 0.06f, 0.10f);
    if (s.no_fill)   /* nothing under the lines is known: one dark colour for all */
        glUniform3f(f->iso_light, 0.16f, 0.20f, 0.27f);
    else
        glUniform3f(f->iso_light, 1.0f, 1.0f, 1.0f);
    glUniform1f(f->stab_lr, stab ? s.stab_lr : 0.0f);
    glUniform1i(f->fill, !s.no_fill);
    glUniform3f(f->undef, (float)(GFX_UNDEFINED_GREY >> 24) / 255.0f, (float)(GFX_UNDEFINED_GREY >> 16 & 0xff) / 255.0f,
                (float)(GFX_UNDEFINED_GREY >> 8 & 0xff) / 255.0f);
    glUniform3f(f->undef_hatch, (float)(GFX_UNDEFINED_HATCH >> 24) / 255.0f,
                (float)(GFX_UNDEFINED_HATCH >> 16 & 0xff) / 255.0f, (float)(GFX_UNDEFINED_HATCH >> 8 & 0xff) / 255.0f);
    uint32_t bg = s.background;
    glUniform4f(f->bg, (float)(bg >> 24) / 255.0f, (float)(bg >> 16 & 0xff) / 255.0f,
                (float)(bg >> 8 & 0xff) / 255.0f, (float)(bg & 0xff) / 255.0f);
    glUniform1i(f->field, 1);
    glUniform1i(f->lut, 2);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, g->field_tex);
    glActiveTexture(GL_TEXTURE2);
    glBindTexture(GL_TEXTURE_2D, g->lut_tex);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(g->empty_vao);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
    g->field_shaded++;
    if (into_cache) {
        glBindFramebuffer(GL_FRAMEBUFFER, g->bound ? g->bound->fbo : 0);
        field_cache_copy(g, c, (s.background & 0xffu) == 0xffu && !s.no_fill);
    }
}

/* ---------------------------------------------------------------- targets ---- */

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
        if (err && errlen) snprintf(err, errlen, "gfx: target of %dx%d outside 1..%d", w, h, maxs);
        return NULL;
    }
    gfx_target *t = calloc(1, sizeof *t);
    if (!t) {
        set_err(err, errlen, "gfx: out of memory%s%s", NULL, NULL);
        return NULL;
    }
    t->w = w;
    t->h = h;
    gfx_flush(g);
    glGenTextures(1, &t->tex);
    glBindTexture(GL_TEXTURE_2D, t->tex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    glGenFramebuffers(1, &t->fbo);
    glBindFramebuffer(GL_FRAMEBUFFER, t->fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, t->tex, 0);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, g->bound ? g->bound->fbo : 0);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
        if (err && errlen) snprintf(err, errlen, "gfx: framebuffer of %dx%d incomplete (0x%x)", w, h, status);
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
    set_state(g);
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

/* ---------------------------------------------------------------- for surface.c ---- */

GLuint gfx_internal_program(gfx *g, const char *vs_name, const char *fs_name, const char *fs_defines,
                            char *err, size_t errlen)
{
    return build_program(g, vs_name, fs_name, fs_defines, NULL, NULL, err, errlen);
}

GLuint gfx_internal_field_texture(gfx *g, int *w, int *h, unsigned long *gen)
{
    *w = g->field_w;
    *h = g->field_h;
    *gen = g->field_gen;
    return g->field_w > 0 ? g->field_tex : 0;
}

GLuint gfx_internal_lut(gfx *g, gfx_cmap cm)
{
    if ((int)cm < 0 || cm >= GFX_CMAP_COUNT) cm = GFX_CMAP_VIRIDIS;
    if (g->lut_cmap != (int)cm) lut_upload(g, cm);
    return g->lut_tex;
}

float gfx_internal_iso_split(gfx_cmap cm)
{
    return iso_split(cm);
}

void gfx_internal_target(gfx *g, GLuint *fbo, int *w, int *h)
{
    *fbo = g->bound ? g->bound->fbo : 0;
    *w = g->fb_w;
    *h = g->fb_h;
}

void gfx_internal_restore(gfx *g)
{
    glBindFramebuffer(GL_FRAMEBUFFER, g->bound ? g->bound->fbo : 0);
    glBindVertexArray(0);
    glActiveTexture(GL_TEXTURE0);
    set_state(g);
}

void **gfx_internal_surface_slot(gfx *g)
{
    return &g->surface;
}

const float *gfx_field_data(gfx *g, int *w, int *h)
{
    *w = g->field_w;
    *h = g->field_h;
    return g->field_w > 0 ? g->field_buf : NULL;
}
