/* gl_program: the shaders: their sources (embedded, or --shader-dir) with the shared
 * fieldmap.glsl put in front, the driver's log rewritten to file:line, compile and
 * link, the lazily built variants of prim.frag and field.frag, and
 * gfx_reload_shaders. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "render/embedded.h"
#include "render/gfx_internal.h"

#define SHADER_MAX_BYTES (1 << 20)
/* The functions every shader may call (the field's mapping, the colour map's table,
 * the iso-lines): GLSL has no #include, so it is spliced in after each shader's
 * #version line as source string 1, the shader's own lines staying string 0. */
#define SNIPPET_NAME "fieldmap.glsl"

/* Source of a shader: <shader_dir>/<name> from disk, or the embedded copy. Returns
 * a malloc'd string (disk) via *owned, or the embedded bytes. */
static const char *shader_source(gfx *g, const char *name, char **owned, char *path,
                                 size_t pathlen, char *err, size_t errlen)
{
    *owned = NULL;
    if (!g->shader_dir) {
        snprintf(path, pathlen, "%s", name);
        const unsigned char *s = embedded_find(name, NULL);
        if (!s) gfx_err(err, errlen, "gfx: shader %s is not embedded", name);
        return (const char *)s;
    }
    snprintf(path, pathlen, "%s/%s", g->shader_dir, name);
    /* a FIFO would block the window before its first frame, a device never ends */
    struct stat st;
    if (stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > SHADER_MAX_BYTES)) {
        gfx_err(err, errlen, "gfx: shader %s is %s", path,
                S_ISREG(st.st_mode) ? "larger than 1 MiB" : "not a regular file");
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        gfx_err(err, errlen, "gfx: cannot read shader %s", path);
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
                gfx_err(err, errlen, "gfx: out of memory reading %s", path);
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
            gfx_err(err, errlen, "gfx: shader %s is larger than 1 MiB", path);
            return NULL;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        gfx_err(err, errlen, "gfx: error reading shader %s", path);
        return NULL;
    }
    buf[n] = 0;
    *owned = buf;
    return buf;
}

/* The snippet's path beside the shader's: its folder, or none when embedded. */
static void snippet_path(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    int dir = slash ? (int)(slash + 1 - path) : 0;
    snprintf(out, n, "%.*s%s", dir, path, SNIPPET_NAME);
}

/* Rewrite a driver's info log so each message starts with "file:line:". Mesa writes
 * "0:12(5): error: ...", NVIDIA "0(12) : error ...", AMD "ERROR: 0:12: ..."; the
 * first number is the source string, 1 for the snippet's lines. */
static void format_log(const char *path, const char *log, char *err, size_t errlen)
{
    char spath[1100];
    snippet_path(path, spath, sizeof spath);
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
            long str = strtol(q, &e1, 10);
            const char *where = path;
            if (e1 != q && (*e1 == ':' || *e1 == '(')) {
                char *e2;
                long l = strtol(e1 + 1, &e2, 10);
                if (e2 != e1 + 1) {
                    line = l;
                    if (str == 1) where = spath;
                    rest = e2;
                    while (*rest == '(' || *rest == ')' || isdigit((unsigned char)*rest) ||
                           *rest == ' ' || *rest == ':')
                        rest++;
                }
            }
            int rlen = (int)(len - (size_t)(rest - p));
            if (line >= 0)
                o += (size_t)snprintf(err + o, errlen - o, "\n%s:%ld: %.*s", where, line, rlen, rest);
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

/* Whether shader obj compiled (program: whether program obj linked); when not, the
 * driver's log into log. */
static int gl_status(GLuint obj, int program, char *log, GLsizei len)
{
    GLint ok = 0;
    if (program) glGetProgramiv(obj, GL_LINK_STATUS, &ok);
    else glGetShaderiv(obj, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        log[0] = 0;
        if (program) glGetProgramInfoLog(obj, len, NULL, log);
        else glGetShaderInfoLog(obj, len, NULL, log);
    }
    return ok;
}

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
    char log[4096];
    if (!gl_status(s, 0, log, sizeof log)) {
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
        char log[4096];
        if (!gl_status(prog, 1, log, sizeof log)) {
            if (err && errlen) snprintf(err, errlen, "gfx: linking %s + %s failed: %s", vpath, fpath, log);
            glDeleteProgram(prog);
            prog = 0;
        }
    }
    if (v) glDeleteShader(v);
    if (f) glDeleteShader(f);
    return prog;
}

/* The shader src (path for messages) with the snippet right after its #version
 * line, as "#line 1 1", the snippet, "#line N 0" (N: the shader's next line), so the
 * driver numbers both in their own files; malloc'd, NULL with a message. */
static char *splice_snippet(const char *src, const char *snip, const char *path, char *err, size_t errlen)
{
    const char *ver = strstr(src, "#version");
    const char *nl = ver ? strchr(ver, '\n') : NULL;
    size_t head = nl ? (size_t)(nl + 1 - src) : 0;
    int line = 1;
    for (size_t i = 0; i < head; i++) line += src[i] == '\n';
    size_t n = strlen(src) + strlen(snip) + 64;
    char *out = malloc(n);
    if (!out) {
        gfx_err(err, errlen, "gfx: out of memory for shader %s", path);
        return NULL;
    }
    snprintf(out, n, "%.*s#line 1 1\n%s\n#line %d 0\n%s", (int)head, src, snip, line, src + head);
    return out;
}

/* The source of shader name with the snippet in front (malloc'd), and its path. */
static char *shader_with_snippet(gfx *g, const char *name, const char *snip, char path[1024], char *err,
                                 size_t errlen)
{
    char *own;
    const char *src = shader_source(g, name, &own, path, 1024, err, errlen);
    char *full = src ? splice_snippet(src, snip, path, err, errlen) : NULL;
    free(own);
    return full;
}

/* Build vs_name + fs_name; with keep, the sources (the snippet spliced in) are also
 * returned (malloc'd) for building variants later. */
GLuint gfx_program_build(gfx *g, const char *vs_name, const char *fs_name, const char *defines,
                            char *keep[2], char keep_path[2][1024], char *err, size_t errlen)
{
    char vpath[1024], fpath[1024], spath[1024];
    char *sown;
    const char *snip = shader_source(g, SNIPPET_NAME, &sown, spath, sizeof spath, err, errlen);
    if (!snip) return 0;
    char *vs = shader_with_snippet(g, vs_name, snip, vpath, err, errlen);
    char *fs = vs ? shader_with_snippet(g, fs_name, snip, fpath, err, errlen) : NULL;
    free(sown);
    GLuint prog = fs ? link_program(vs, vpath, fs, fpath, defines, err, errlen) : 0;
    if (prog && keep) {
        keep[0] = vs;
        keep[1] = fs;
        vs = fs = NULL;
        memcpy(keep_path[0], vpath, sizeof vpath);
        memcpy(keep_path[1], fpath, sizeof fpath);
    }
    free(vs);
    free(fs);
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

prim_prog *gfx_prim_variant(gfx *g, int kinds)
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

/* The program for a variant, built on first use; the full one (which the uniforms
 * can mostly neutralize) if that fails. */
field_prog *gfx_field_variant(gfx *g, int variant)
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

/* The sources (and paths) variants are built from from now on: src's, the old ones freed. */
static void keep_sources(char *dst[2], char dst_path[2][1024], char *src[2], char src_path[2][1024])
{
    for (int k = 0; k < 2; k++) {
        free(dst[k]);
        dst[k] = src[k];
        memcpy(dst_path[k], src_path[k], sizeof dst_path[k]);
    }
}

int gfx_reload_shaders(gfx *g, char *err, size_t errlen)
{
    char defs[128], *src[2] = {NULL, NULL}, path[2][1024];
    char *psrc[2] = {NULL, NULL}, ppath[2][1024];
    field_defines(FIELD_FULL, defs, sizeof defs);
    GLuint prim = gfx_program_build(g, "prim.vert", "prim.frag", NULL, psrc, ppath, err, errlen);
    GLuint pts = prim ? gfx_program_build(g, "points.vert", "points.frag", NULL, NULL, NULL, err, errlen) : 0;
    GLuint field = pts ? gfx_program_build(g, "field.vert", "field.frag", defs, src, path, err, errlen) : 0;
    GLuint blit = field ? gfx_program_build(g, "field.vert", "blit.frag", NULL, NULL, NULL, err, errlen) : 0;
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
    keep_sources(g->prim_src, g->prim_path, psrc, ppath);
    if (g->points.prog) glDeleteProgram(g->points.prog);
    for (int i = 0; i < FIELD_VARIANTS; i++) {
        if (g->field[i].prog) glDeleteProgram(g->field[i].prog);
        g->field[i].prog = 0;
    }
    keep_sources(g->field_src, g->field_path, src, path);
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
