/* netlab_view: the network lab's four panels (see netlab_view.h). Every panel
 * lays itself out from its own box and the text's measured sizes, so nothing
 * overlaps at any window size; numbers are drawn with the precision they have. */
#include "app/views/netlab_view.h"
#include "scene/netseeds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "style/cmap.h"
#include "style/look.h"

typedef struct ink {
    uint32_t bg, panel, text, dim, frame, grid;
} ink;

static ink ink_of(int light)
{
    if (light) return (ink){0xffffffffu, 0xf4f4f4ffu, 0x222222ffu, 0x666666ffu, 0x888888ffu, 0xe0e0e0ffu};
    return (ink){0x15171cffu, 0x1d2027ffu, 0xe8e8e8ffu, 0x9aa0a8ffu, 0x4a505aff, 0x2c3038ffu};
}

/* class colours: blue, orange, green, purple, ... (the first two the classic pair) */
static const uint32_t class_col[] = {0x3a7bd5ffu, 0xf08a24ffu, 0x3bb273ffu, 0x9b59b6ffu, 0xe74c3cffu, 0x16a9b8ffu};
#define NCLASS_COL (int)(sizeof class_col / sizeof class_col[0])

#define C_TRAIN 0x4fa3ffffu
#define C_TEST 0xff7f50ffu
#define C_ACC 0x6ad27bffu
#define C_GRAD 0xc792eaffu
#define C_TEST_BATCH 0xf2c14effu   /* BN's test loss with the test set's own statistics */
#define C_POS 0x4fa3ffffu

const char *netlab_xaxis_name(netlab_xaxis x)
{
    static const char *const n[] = {"updates", "epochs", "simulated seconds"};
    return x >= 0 && x < NETLAB_X_COUNT ? n[x] : "updates";
}

typedef struct img_key {
    const void *what;        /* the lab, or the slice's buffer */
    long a, b, c;            /* what they showed: step / gen, level, rows */
    int w, h, light;
} img_key;

typedef struct cached_img {
    img_key k;
    unsigned char *px;
    int valid;
} cached_img;

struct netlab_view_cache {
    cached_img img[2];       /* 0 the boundary, 1 the slice */
};

netlab_view_cache *netlab_view_cache_new(void)
{
    return calloc(1, sizeof(netlab_view_cache));
}

void netlab_view_cache_free(netlab_view_cache *c)
{
    if (!c) return;
    for (int i = 0; i < 2; i++) free(c->img[i].px);
    free(c);
}


/* Keeps img (w x h, malloc'd) for key: the cache takes it, or it is freed. */
static void cache_keep(netlab_view_cache *c, int which, const img_key *k, unsigned char *img)
{
    if (!c) {
        free(img);
        return;
    }
    free(c->img[which].px);
    c->img[which].px = img;
    c->img[which].k = *k;
    c->img[which].valid = 1;
}

typedef struct box {
    float x, y, w, h;
} box;

typedef struct ctx {
    const netlab_pen *pen;
    const netlab *lab;
    const netlab_view *v;
    ink k;
    float s, px, lh;         /* scale, text size, line height */
} ctx;

/* Everything is drawn through the pen (netlab_view.h). */
static void pen_clip(const ctx *c, float x, float y, float w, float h) { c->pen->clip(c->pen->user, x, y, w, h); }

static void pen_rect(const ctx *c, float x, float y, float w, float h, float radius, uint32_t rgba)
{
    c->pen->rect(c->pen->user, x, y, w, h, radius, rgba);
}

static void pen_rect_outline(const ctx *c, float x, float y, float w, float h, float radius, float width,
                             uint32_t rgba)
{
    c->pen->rect_outline(c->pen->user, x, y, w, h, radius, width, rgba);
}

static void pen_line(const ctx *c, float x0, float y0, float x1, float y1, float width, uint32_t rgba)
{
    c->pen->line(c->pen->user, x0, y0, x1, y1, width, rgba);
}

static void pen_polyline(const ctx *c, const float *xy, int n, float width, uint32_t rgba)
{
    c->pen->polyline(c->pen->user, xy, n, width, rgba);
}

static void pen_marker(const ctx *c, gfx_shape shape, float cx, float cy, float r, uint32_t fill, uint32_t outline,
                       float ow)
{
    c->pen->marker(c->pen->user, shape, cx, cy, r, fill, outline, ow);
}

static void pen_image(const ctx *c, const unsigned char *rgba, int w, int h, int x, int y)
{
    c->pen->image(c->pen->user, rgba, w, h, x, y);
}

static float text_w(const ctx *c, const char *t)
{
    return c->pen->text_width(c->pen->user, t, c->px);
}

static void text(const ctx *c, float x, float y, const char *t, uint32_t col)
{
    c->pen->text(c->pen->user, x, y, t, c->px, col);
}

/* The cached image for key, drawn at (x, y): 1, or 0 when it must be made. */
static int cache_draw(const ctx *c, netlab_view_cache *vc, int which, const img_key *k, int x, int y)
{
    if (!vc || !vc->img[which].valid || memcmp(&vc->img[which].k, k, sizeof *k) != 0) return 0;
    pen_image(c, vc->img[which].px, k->w, k->h, x, y);
    return 1;
}

/* Text cut to fit width (an ellipsis when it does not). */
static void text_fit(const ctx *c, float x, float y, float width, const char *t, uint32_t col)
{
    char b[256];
    snprintf(b, sizeof b, "%s", t);
    size_t n = strlen(b);
    while (n > 1 && text_w(c, b) > width) {
        n--;
        while (n > 1 && (b[n - 1] & 0xc0) == 0x80) n--;   /* whole UTF-8 characters */
        memcpy(b + n, "...", 4);
        if (text_w(c, b) <= width) break;
    }
    text(c, x, y, b, col);
}

/* The longer text when it fits width, else the shorter. */
static const char *longer_if_fits(const ctx *c, float width, const char *longer, const char *shorter)
{
    return text_w(c, longer) <= width ? longer : shorter;
}

static void panel(const ctx *c, box b, const char *title)
{
    pen_rect(c, b.x, b.y, b.w, b.h, 6 * c->s, c->k.panel);
    text_fit(c, b.x + 10 * c->s, b.y + 6 * c->s, b.w - 20 * c->s, title, c->k.text);
}

/* The plotting area inside a panel: room for the title, the y numbers on the
   left (as wide as ywidest), the x numbers and axis name below. */
static box plot_box(const ctx *c, box b, const char *ywidest, int xname)
{
    float left = 14 * c->s + text_w(c, ywidest), top = 12 * c->s + 1.4f * c->lh;
    float bottom = 10 * c->s + c->lh * (xname ? 2.2f : 1.2f);
    box p = {b.x + left, b.y + top, b.w - left - 14 * c->s, b.h - top - bottom};
    if (p.w < 10) p.w = 10;
    if (p.h < 10) p.h = 10;
    return p;
}

static double nice(double range, int ticks)
{
    double e = pow(10, floor(log10(range / ticks))), f = range / ticks / e;
    return e * (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10);
}

/* A tick's number: whole numbers below a million in full ("1500", not "1.5e+03"),
   others with three digits. */
static void tick_label(double val, char *b, size_t n)
{
    if (fabs(val) >= 1 && fabs(val) < 1e6 && val == round(val)) snprintf(b, n, "%.0f", val);
    else snprintf(b, n, "%.3g", val);
}

static double tick_value(double t, double st, int lg)
{
    return lg == 1 ? pow(10, t) : lg == 2 ? t * t : (fabs(t) < 1e-9 * st ? 0 : t);
}

/* Ticks and numbers on one axis of p for [lo, hi], as many as fit: on the x axis
   the numbers' own widths decide how many. */
static void axis(const ctx *c, box p, int vertical, double lo, double hi, int lg)
{
    /* lg: 0 linear, 1 log10 values (labels 10^t), 2 square roots (labels t^2) */
    char b[48];
    int ticks = 6;
    double st = 0;
    for (;; ticks--) {
        st = nice(hi - lo, ticks);
        if (lg) st = fmax(1, round(st));
        if (ticks <= 2) break;
        float need = 2.2f * c->lh;      /* vertical: two lines a tick */
        if (!vertical) {
            need = 0;
            for (double t = ceil(lo / st - 1e-9) * st; t <= hi + 1e-9 * st; t += st) {
                tick_label(tick_value(t, st, lg), b, sizeof b);
                need = fmaxf(need, text_w(c, b) + 8 * c->s);
            }
        }
        if ((float)(st / (hi - lo)) * (vertical ? p.h : p.w) >= need) break;
    }
    /* a log axis over less than two decades: 1, 2 and 5 times each power of ten */
    double ts[64];
    int nt = 0;
    for (double t = ceil(lo / st - 1e-9) * st; t <= hi + 1e-9 * st && nt < 64; t += st) ts[nt++] = t;
    if (lg == 1 && nt < 2) {
        static const double m[3] = {1, 2, 5};
        nt = 0;
        for (double k = floor(lo); k <= ceil(hi); k++)
            for (int q = 0; q < 3 && nt < 64; q++) {
                double t = k + log10(m[q]);
                if (t >= lo - 1e-9 && t <= hi + 1e-9) ts[nt++] = t;
            }
    }
    float prev_right = -INFINITY;
    for (int i = 0; i < nt; i++) {
        double t = ts[i];
        tick_label(lg == 1 ? pow(10, t) : tick_value(t, st, lg), b, sizeof b);
        float f = (float)((t - lo) / (hi - lo)), tw = text_w(c, b);
        if (vertical) {
            float y = p.y + p.h - f * p.h;
            pen_line(c, p.x, y, p.x + p.w, y, 1, c->k.grid);
            text(c, p.x - 6 * c->s - tw, y - c->lh / 2, b, c->k.dim);
        } else {
            float x = p.x + f * p.w;
            pen_line(c, x, p.y, x, p.y + p.h, 1, c->k.grid);
            /* the last number ends at the plot's right edge rather than past the panel's,
               and is left out when that would put it on the one before */
            float lx = fminf(x - tw / 2, p.x + p.w + 4 * c->s - tw);
            if (lx < prev_right + 4 * c->s) continue;
            text(c, lx, p.y + p.h + 4 * c->s, b, c->k.dim);
            prev_right = lx + tw;
        }
    }
}

static void put_px(unsigned char *q, uint32_t col, float a)
{
    /* premultiplied */
    q[0] = (unsigned char)(((col >> 24) & 255) * a);
    q[1] = (unsigned char)(((col >> 16) & 255) * a);
    q[2] = (unsigned char)(((col >> 8) & 255) * a);
    q[3] = (unsigned char)(255 * a);
}

static uint32_t mix(uint32_t a, uint32_t b, float t)
{
    uint32_t r = 0;
    for (int sh = 8; sh < 32; sh += 8) {
        float x = ((a >> sh) & 255) * (1 - t) + ((b >> sh) & 255) * t;
        r |= (uint32_t)(x + 0.5f) << sh;
    }
    return r | 255u;
}

/* ---- the data panel ---- */

static float dx_of(box p, const double *bx, double x)
{
    return p.x + (float)((x - bx[0]) / (bx[1] - bx[0])) * p.w;
}

static float dy_of(box p, const double *bx, double y)
{
    return p.y + p.h - (float)((y - bx[2]) / (bx[3] - bx[2])) * p.h;
}

/* The model's value at a fractional cell of the 64 x 64 output grid, bilinear. */
static double out_at(const netlab *lab, const double *o, double u, double v, int k)
{
    int N = NETLAB_OUT_N;
    u = fmin(fmax(u * N - 0.5, 0), N - 1.001);
    v = fmin(fmax(v * N - 0.5, 0), N - 1.001);
    int i = (int)u, j = (int)v;
    double fu = u - i, fv = v - j, r = 0;
    const double *cell[4] = {o + ((size_t)j * N + i) * k, o + ((size_t)j * N + i + 1) * k,
                             o + ((size_t)(j + 1) * N + i) * k, o + ((size_t)(j + 1) * N + i + 1) * k};
    double wt[4] = {(1 - fu) * (1 - fv), fu * (1 - fv), (1 - fu) * fv, fu * fv};
    if (lab->nt.s.loss == NET_CE) {
        /* interpolate the logits, then take the class */
        double best = -INFINITY;
        for (int cl = 0; cl < k; cl++) {
            double z = 0;
            for (int q = 0; q < 4; q++) z += wt[q] * cell[q][cl];
            if (z > best) best = z, r = cl;
        }
        return r;
    }
    for (int q = 0; q < 4; q++) r += wt[q] * cell[q][0];
    return lab->nt.s.loss == NET_BCE ? 1 / (1 + exp(-r)) : r;
}

static void boundary_image(const ctx *c, box p, const double *o)
{
    const netlab *lab = c->lab;
    int iw = (int)p.w, ih = (int)p.h, k = lab->nt.s.width[lab->nt.s.nlin];
    if (iw < 2 || ih < 2) return;
    img_key key;
    memset(&key, 0, sizeof key);
    key.what = lab;
    key.a = lab->out_step;
    key.w = iw;
    key.h = ih;
    key.light = c->v->light;
    if (cache_draw(c, c->v->cache, 0, &key, (int)p.x, (int)p.y)) return;
    unsigned char *img = malloc((size_t)iw * (size_t)ih * 4);
    double *val = malloc((size_t)iw * (size_t)ih * sizeof *val);
    if (!img || !val) {
        free(img);
        free(val);
        return;
    }
    for (int y = 0; y < ih; y++)
        for (int x = 0; x < iw; x++)
            val[(size_t)y * iw + x] = out_at(lab, o, (x + 0.5) / iw, 1 - (y + 0.5) / ih, k);
    int ce = lab->nt.s.loss == NET_CE;
    for (int y = 0; y < ih; y++)
        for (int x = 0; x < iw; x++) {
            double t = val[(size_t)y * iw + x];
            unsigned char *q = img + ((size_t)y * iw + x) * 4;
            int cls = ce ? (int)t : t >= 0.5;
            /* confidence: how far from the boundary (bce), flat for classes */
            float conf = ce ? 0.55f : (float)fmin(1, fabs(t - 0.5) * 2);
            uint32_t col = mix(c->k.panel, class_col[cls % NCLASS_COL], 0.18f + 0.42f * conf);
            /* the boundary: where a neighbour falls on the other side */
            int edge = 0;
            if (x + 1 < iw && y + 1 < ih) {
                double r = val[(size_t)y * iw + x + 1], d = val[(size_t)(y + 1) * iw + x];
                edge = ce ? ((int)r != cls || (int)d != cls) : ((r >= 0.5) != cls || (d >= 0.5) != cls);
            }
            put_px(q, edge ? c->k.text : col, 1);
        }
    pen_image(c, img, iw, ih, (int)p.x, (int)p.y);
    cache_keep(c->v->cache, 0, &key, img);
    free(val);
}

static void data_points(const ctx *c, box p, const netdata *d, int test)
{
    const netlab *lab = c->lab;
    float r = 3.6f * c->s;
    for (int i = 0; i < d->n; i++) {
        const double *x = d->x + (size_t)i * (size_t)d->d;
        double yv = d->d > 1 ? x[1] : d->y[i];
        float px = dx_of(p, lab->box, x[0]), py = dy_of(p, lab->box, yv);
        uint32_t col = d->d > 1 ? class_col[(int)d->y[i] % NCLASS_COL] : (test ? C_TEST : C_TRAIN);
        /* test points hollow: the panel's colour inside a ring of the class's */
        if (test) pen_marker(c, GFX_CIRCLE, px, py, r * 1.1f, c->k.panel, col, 2.0f * c->s);
        else pen_marker(c, GFX_CIRCLE, px, py, r, col, LOOK_OUTLINE, 1.0f * c->s);
    }
}

static void data_panel(const ctx *c, box b)
{
    const netlab *lab = c->lab;
    const double *o = netlab_outputs(lab);
    int reg = lab->train.d == 1;
    /* the long title where it fits */
    const char *lt = reg ? "data and the fitted curve (train filled, test rings)"
                         : "data and the decision boundary (train filled, test rings)";
    panel(c, b, text_w(c, lt) < b.w - 20 * c->s ? lt : reg ? "fit (test: rings)" : "boundary (test: rings)");
    box p = plot_box(c, b, "-0.00", 0);
    /* the box's aspect kept for two inputs: a square cell is a square */
    if (!reg) {
        double ar = (lab->box[1] - lab->box[0]) / (lab->box[3] - lab->box[2]);
        if (p.w / p.h > ar) {
            float w = (float)(p.h * ar);
            p.x += (p.w - w) / 2;
            p.w = w;
        } else {
            float h = (float)(p.w / ar);
            p.y += (p.h - h) / 2;
            p.h = h;
        }
    }
    pen_clip(c, p.x, p.y, p.w, p.h);
    if (o && !reg) boundary_image(c, p, o);
    pen_clip(c, b.x, b.y, b.w, b.h);
    axis(c, p, 0, lab->box[0], lab->box[1], 0);
    axis(c, p, 1, lab->box[2], lab->box[3], 0);
    pen_clip(c, p.x, p.y, p.w, p.h);
    data_points(c, p, &lab->train, 0);
    data_points(c, p, &lab->test, 1);
    if (o && reg) {
        float xy[2 * NETLAB_OUT_N];
        for (int i = 0; i < NETLAB_OUT_N; i++) {
            double x = lab->box[0] + (lab->box[1] - lab->box[0]) * i / (NETLAB_OUT_N - 1);
            xy[2 * i] = dx_of(p, lab->box, x);
            xy[2 * i + 1] = dy_of(p, lab->box, o[i]);
        }
        pen_polyline(c, xy, NETLAB_OUT_N, 3.0f * c->s, c->k.text);
    }
    pen_clip(c, -1, -1, -1, -1);
    pen_rect_outline(c, p.x, p.y, p.w, p.h, 0, 1, c->k.frame);
}

/* ---- the slice panel ---- */

static const char *plane_name(netlab_plane_kind k)
{
    static const char *const n[] = {"random", "PCA of the path", "two parameters", "Hessian's top",
                                    "Hessian's largest and smallest"};
    return k >= 0 && k < NETLAB_PLANE_COUNT ? n[k] : "?";
}

static void slice_image(const ctx *c, box p, const netlab_slice *s)
{
    int iw = (int)p.w, ih = (int)p.h, n = s->n;
    img_key key;
    memset(&key, 0, sizeof key);
    key.what = s;
    key.a = s->gen;
    key.b = s->level;
    key.c = s->rows_done;
    key.w = iw;
    key.h = ih;
    if (iw > 1 && ih > 1 && cache_draw(c, c->v->cache, 1, &key, (int)p.x, (int)p.y)) return;
    double lo = INFINITY, hi = -INFINITY;
    for (int q = 0; q < n * n; q++)
        if (s->loss[q] > 0 && isfinite(s->loss[q])) lo = fmin(lo, log(s->loss[q])), hi = fmax(hi, log(s->loss[q]));
    unsigned char *img = iw > 1 && ih > 1 ? malloc((size_t)iw * (size_t)ih * 4) : NULL;
    if (!img) return;
    /* style_cmap_color's colours, each table entry made once rather than per pixel */
    uint32_t lut[STYLE_CMAP_LUT_N];
    for (int i = 0; i < STYLE_CMAP_LUT_N; i++)
        lut[i] = style_cmap_color(STYLE_CMAP_VIRIDIS, (float)i / (float)(STYLE_CMAP_LUT_N - 1));
    for (int y = 0; y < ih; y++)
        for (int x = 0; x < iw; x++) {
            double u = (double)x / (iw - 1) * (n - 1), v = (1 - (double)y / (ih - 1)) * (n - 1);
            int i = (int)fmin(u, n - 2), j = (int)fmin(v, n - 2);
            double fu = u - i, fv = v - j;
            const double *gr = s->loss;
            double l = (1 - fu) * (1 - fv) * gr[j * n + i] + fu * (1 - fv) * gr[j * n + i + 1] +
                       (1 - fu) * fv * gr[(j + 1) * n + i] + fu * fv * gr[(j + 1) * n + i + 1];
            float t = hi > lo && l > 0 ? (float)((log(l) - lo) / (hi - lo)) : 0.5f;
            if (!(t >= 0.0f)) t = 0.0f;
            if (t > 1.0f) t = 1.0f;
            put_px(img + ((size_t)y * iw + x) * 4, lut[(int)(t * (float)(STYLE_CMAP_LUT_N - 1) + 0.5f)], 1);
        }
    pen_image(c, img, iw, ih, (int)p.x, (int)p.y);
    cache_keep(c->v->cache, 1, &key, img);
}

static void slice_panel(const ctx *c, box b)
{
    const netlab *lab = c->lab;
    const netlab_slice *s = netlab_get_slice(lab);
    char t[200];
    snprintf(t, sizeof t, "loss on a plane: %s", plane_name(lab->d.plane));
    panel(c, b, t);
    /* two status lines below the map */
    box inner = b;
    inner.h -= 2.3f * c->lh;
    box p = plot_box(c, inner, "-0.00", 0);
    float side = fminf(p.w, p.h);
    p.x += (p.w - side) / 2;
    p.w = p.h = side;
    double R = s && s->level ? s->range : lab->d.range;
    float sy = p.y + p.h + c->lh * 1.3f + 4 * c->s;
    if (s && s->level && s->failed) {
        text_fit(c, b.x + 10 * c->s, sy, b.w - 20 * c->s, "no plane: the path has not moved yet (press R after some steps)",
                 c->k.dim);
    } else if (s && s->level) {
        pen_clip(c, p.x, p.y, p.w, p.h);
        slice_image(c, p, s);
        /* the path and the current point (a, b) on the plane */
        float xy[2 * NETLAB_PATH_CAP];
        int m = 0;
        for (int i = 0; i < lab->npath; i++) {
            if (!isfinite(lab->pts[i].a)) continue;
            xy[2 * m] = p.x + (float)((lab->pts[i].a + R) / (2 * R)) * p.w;
            xy[2 * m + 1] = p.y + p.h - (float)((lab->pts[i].b + R) / (2 * R)) * p.h;
            m++;
        }
        if (m > 1) pen_polyline(c, xy, m, 2.2f * c->s, 0xffffffffu);
        if (m > 0) pen_marker(c, GFX_CIRCLE, xy[0], xy[1], 4.5f * c->s, 0xffffffffu, LOOK_OUTLINE, c->s);
        netlab_pt cur = netlab_current(lab);
        if (isfinite(cur.a))
            pen_marker(c, GFX_CIRCLE, p.x + (float)((cur.a + R) / (2 * R)) * p.w,
                       p.y + p.h - (float)((cur.b + R) / (2 * R)) * p.h, LOOK_F(LOOK_RUNNER_R) * c->s, C_TEST,
                       LOOK_OUTLINE, LOOK_F(LOOK_RUNNER_OW) * c->s);
        pen_marker(c, GFX_PLUS, p.x + p.w / 2, p.y + p.h / 2, 6 * c->s, c->k.text, 0, 0);
        pen_clip(c, b.x, b.y, b.w, b.h);
        axis(c, p, 0, -R, R, 0);
        axis(c, p, 1, -R, R, 0);
        pen_clip(c, -1, -1, -1, -1);
        double far = 0;
        for (int i = 0; i < lab->npath; i++)
            if (isfinite(lab->pts[i].dist)) far = fmax(far, lab->pts[i].dist);
        char st[200];
        char st2[200];
        snprintf(st, sizeof st, "off the plane: now %.3g, path %.3g%s", isfinite(cur.dist) ? cur.dist : 0, far,
                 s->level == 2 ? "" : "; refining");
        snprintf(st2, sizeof st2, "off it: now %.2g, path %.2g%s", isfinite(cur.dist) ? cur.dist : 0, far,
                 s->level == 2 ? "" : "; refining");
        if (s->level == 1) {
            size_t l = strlen(st), l2 = strlen(st2);
            snprintf(st + l, sizeof st - l, " %d/%d rows", s->rows_done, s->n);
            snprintf(st2 + l2, sizeof st2 - l2, " %d/%d", s->rows_done, s->n);
        }
        text_fit(c, b.x + 10 * c->s, sy, b.w - 20 * c->s, longer_if_fits(c, b.w - 20 * c->s, st, st2), c->k.dim);
        if (lab->d.plane == NETLAB_PLANE_HESSIAN || lab->d.plane == NETLAB_PLANE_HESSIAN_LOW)
            snprintf(st, sizeof st, "lambda %.4g (a), %.4g (b)", s->lam[0], s->lam[1]);
        else if (lab->d.plane == NETLAB_PLANE_PCA) snprintf(st, sizeof st, "path spread: %.0f%%, %.0f%%", 100 * s->var[0], 100 * s->var[1]);
        else snprintf(st, sizeof st, "centre: step %ld; log colours", s->step);
        text_fit(c, b.x + 10 * c->s, sy + c->lh, b.w - 20 * c->s, st, c->k.dim);
    } else {
        text_fit(c, b.x + 10 * c->s, sy, b.w - 20 * c->s, "computing the slice...", c->k.dim);
    }
    pen_rect_outline(c, p.x, p.y, p.w, p.h, 0, 1, c->k.frame);
}

/* ---- the chart ---- */

static double xval(const netlab *lab, const net_row *r, netlab_xaxis xa)
{
    switch (xa) {
    case NETLAB_X_EPOCHS: return r->samples / lab->train.n;
    case NETLAB_X_SECONDS: return netlab_device_s(lab, r->step);
    default: return (double)r->step;
    }
}

static void series_of(const ctx *c, const netlab *lab, box p, const net_row *r, long n, int which, double xlo,
                      double xhi, double ylo, double yhi, uint32_t col, float width)
{
    /* at most one point per two pixels: the rows sampled evenly */
    long want = (long)(p.w / 2) + 2, step = n > want ? (n + want - 1) / want : 1;
    float *xy = malloc((size_t)(n / step + 2) * 2 * sizeof *xy);
    if (!xy) return;
    int m = 0;
    for (long k = 0; k < n; k += step) {
        long kk = k + step >= n ? n - 1 : k;
        double v = which == 0 ? r[kk].train_loss : which == 1 ? r[kk].test_loss : which == 2 ? r[kk].grad_norm
                 : which == 3 ? r[kk].train_acc : which == 4 ? r[kk].test_acc : r[kk].test_loss_batch;
        int acc = which == 3 || which == 4;
        double y = acc ? v : (v > 0 ? log10(v) : NAN);
        if (!isfinite(y)) {
            if (m > 1) pen_polyline(c, xy, m, width * c->s, col);
            m = 0;
            continue;
        }
        double yl = acc ? 0 : ylo, yh = acc ? 1 : yhi;
        xy[2 * m] = p.x + (float)((xval(lab, &r[kk], c->v->xaxis) - xlo) / (xhi - xlo)) * p.w;
        xy[2 * m + 1] = p.y + p.h - (float)((fmin(fmax(y, yl), yh) - yl) / (yh - yl)) * p.h;
        m++;
        if (kk == n - 1) break;
    }
    if (m > 1) pen_polyline(c, xy, m, width * c->s, col);
    free(xy);
}

static void series(const ctx *c, box p, const net_row *r, long n, int which, double xlo, double xhi, double ylo,
                   double yhi, uint32_t col)
{
    series_of(c, c->lab, p, r, n, which, xlo, xhi, ylo, yhi, col, 2.0f);
}

/* The log10 range of the rows' losses (train and test; grad: the gradient norm
   and BN's batch-statistics test loss too) widened by lo/hi as they come in, then
   rounded out to half decades, at least one decade. */
static void loss_range(const net_row *r, long n, int grad, double *lo, double *hi)
{
    for (long k = 0; k < n; k++) {
        double v[4] = {r[k].train_loss, r[k].test_loss, r[k].grad_norm, r[k].test_loss_batch};
        for (int q = 0; q < 4; q++)
            if ((q < 2 || grad) && v[q] > 0 && isfinite(v[q])) *lo = fmin(*lo, log10(v[q])), *hi = fmax(*hi, log10(v[q]));
    }
}

static void round_range(double *lo, double *hi)
{
    if (!(*hi > *lo)) *lo = isfinite(*lo) ? *lo - 1 : -1, *hi = *lo + 2;
    *lo = floor(*lo * 2) / 2;
    *hi = ceil(*hi * 2) / 2;
    if (*hi - *lo < 1) *hi = *lo + 1;
}

/* A legend below a panel's title: a line of colour and a name each, wrapped onto
   as many lines as it takes. Returns the lines used. */
static int legend(const ctx *c, box b, const char *const *names, const uint32_t *cols, int n)
{
    float lx = b.x + 10 * c->s, ly = b.y + 8 * c->s + c->lh;
    int lines = 1;
    for (int i = 0; i < n; i++) {
        float w = 18 * c->s + text_w(c, names[i]) + 12 * c->s;
        if (lx + w > b.x + b.w && lx > b.x + 10 * c->s) {
            lx = b.x + 10 * c->s;
            ly += c->lh;
            lines++;
        }
        pen_line(c, lx, ly + c->lh / 2, lx + 14 * c->s, ly + c->lh / 2, 3 * c->s, cols[i]);
        text(c, lx + 18 * c->s, ly, names[i], c->k.dim);
        lx += w;
    }
    return lines;
}

/* The labs compared (the shown one first): each one's train loss (thick) and test
   loss (thin, paler) in its own colour, against the same axis. */
static const uint32_t lab_col[NETLAB_VIEW_MAX_MORE + 1] = {0x3a7bd5ffu, 0xf08a24ffu, 0x3bb273ffu, 0xc0392bffu};

static void compare_chart(const ctx *c, box b)
{
    const netlab *labs[NETLAB_VIEW_MAX_MORE + 1];
    int nl = 0;
    labs[nl++] = c->lab;
    for (int i = 0; i < c->v->nmore && i < NETLAB_VIEW_MAX_MORE; i++)
        if (c->v->more[i]) labs[nl++] = c->v->more[i];
    const char *title = "train loss (thick), test loss (thin)";
    if (text_w(c, title) > b.w - 20 * c->s) title = "train (thick), test (thin)";
    panel(c, b, title);
    char name[NETLAB_VIEW_MAX_MORE + 1][96];
    const char *names[NETLAB_VIEW_MAX_MORE + 1];
    for (int i = 0; i < nl; i++) {
        char spec[80];
        long n;
        const net_row *r = netlab_rows(labs[i], &n);
        const char *lb = c->v->labels && c->v->labels[i] && c->v->labels[i][0] ? c->v->labels[i] : NULL;
        if (!lb) {
            optim_desc od = labs[i]->td.opt;
            optim_format(&od, spec, sizeof spec);
            lb = spec;
        }
        snprintf(name[i], sizeof name[i], "%s: %.3g", lb, r[n - 1].train_loss);
        names[i] = name[i];
    }
    int lines = legend(c, b, names, lab_col, nl);
    box inner = b;
    inner.y += lines * c->lh;
    inner.h -= lines * c->lh;
    box p = plot_box(c, inner, "0.0001", 1);
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (int i = 0; i < nl; i++) {
        long n;
        const net_row *r = netlab_rows(labs[i], &n);
        xlo = fmin(xlo, xval(labs[i], &r[0], c->v->xaxis));
        xhi = fmax(xhi, xval(labs[i], &r[n - 1], c->v->xaxis));
        loss_range(r, n, 0, &ylo, &yhi);
    }
    if (!(xhi > xlo)) xhi = xlo + 1;
    round_range(&ylo, &yhi);
    pen_clip(c, b.x, b.y, b.w, b.h);
    axis(c, p, 0, xlo, xhi, 0);
    axis(c, p, 1, ylo, yhi, 1);
    const char *xn = netlab_xaxis_name(c->v->xaxis);
    text(c, p.x + p.w / 2 - text_w(c, xn) / 2, p.y + p.h + 6 * c->s + c->lh, xn, c->k.dim);
    pen_clip(c, p.x, p.y, p.w, p.h);
    for (int i = nl - 1; i >= 0; i--) {
        long n;
        const net_row *r = netlab_rows(labs[i], &n);
        if (labs[i]->test.n > 0)
            series_of(c, labs[i], p, r, n, 1, xlo, xhi, ylo, yhi, mix(lab_col[i], c->k.bg, 0.45f), 1.5f);
        series_of(c, labs[i], p, r, n, 0, xlo, xhi, ylo, yhi, lab_col[i], 2.5f);
    }
    pen_clip(c, -1, -1, -1, -1);
    pen_rect_outline(c, p.x, p.y, p.w, p.h, 0, 1, c->k.frame);
}

static void chart_panel(const ctx *c, box b)
{
    const netlab *lab = c->lab;
    long n;
    const net_row *r = netlab_rows(lab, &n);
    const net_row *last = &r[n - 1];
    char t[240];
    int acc = lab->nt.s.loss != NET_MSE;
    char t2[240];
    snprintf(t, sizeof t, "step %ld: train %.3g, test %.3g", last->step, last->train_loss, last->test_loss);
    snprintf(t2, sizeof t2, "train %.3g, test %.3g", last->train_loss, last->test_loss);
    if (acc && text_w(c, t) + text_w(c, ", accuracy 100.0% / 100.0%") < b.w - 20 * c->s) {
        size_t l = strlen(t);
        snprintf(t + l, sizeof t - l, ", accuracy %.1f%% / %.1f%%", 100 * last->train_acc, 100 * last->test_acc);
    }
    panel(c, b, longer_if_fits(c, b.w - 20 * c->s, t, t2));
    /* the curves (series' which) and their legend; a BN net's test loss twice: with
       the running averages (eval mode, as at test time) and with the test set's
       own batch statistics */
    int bn = lab->nt.s.bn != NET_BN_OFF && lab->test.n > 0;
    int which[6], nc = 0;
    const char *names[6];
    uint32_t cols[6];
    static const char *const all_names[6] = {"train loss", "test loss", "grad norm", "train acc", "test acc",
                                             "test, batch stats"};
    static const uint32_t all_cols[6] = {C_TRAIN, C_TEST, C_GRAD, C_ACC, 0x2e8b57ffu, C_TEST_BATCH};
    static const int order[6] = {0, 1, 5, 2, 3, 4};
    for (int i = 0; i < 6; i++) {
        int q = order[i];
        if ((q == 1 && lab->test.n == 0) || (q == 5 && !bn) || ((q == 3 || q == 4) && !acc)) continue;
        which[nc] = q;
        names[nc] = q == 1 && bn ? "test, running avg" : all_names[q];
        cols[nc++] = all_cols[q];
    }
    int lines = legend(c, b, names, cols, nc);
    box inner = b;
    inner.y += lines * c->lh;
    inner.h -= lines * c->lh;
    box p = plot_box(c, inner, "0.0001", 1);
    if (acc) p.w -= text_w(c, "100%") + 8 * c->s;
    double xlo = xval(lab, &r[0], c->v->xaxis), xhi = xval(lab, last, c->v->xaxis);
    if (!(xhi > xlo)) xhi = xlo + 1;
    double ylo = INFINITY, yhi = -INFINITY;
    loss_range(r, n, 1, &ylo, &yhi);
    round_range(&ylo, &yhi);
    pen_clip(c, b.x, b.y, b.w, b.h);
    axis(c, p, 0, xlo, xhi, 0);
    axis(c, p, 1, ylo, yhi, 1);
    if (acc)
        for (int q = 0; q <= 4; q++) {
            char a[16];
            snprintf(a, sizeof a, "%d%%", q * 25);
            text(c, p.x + p.w + 6 * c->s, p.y + p.h - q * p.h / 4 - c->lh / 2, a, C_ACC);
        }
    const char *xn = netlab_xaxis_name(c->v->xaxis);
    text(c, p.x + p.w / 2 - text_w(c, xn) / 2, p.y + p.h + 6 * c->s + c->lh, xn, c->k.dim);
    pen_clip(c, p.x, p.y, p.w, p.h);
    for (int i = nc - 1; i >= 0; i--) series(c, p, r, n, which[i], xlo, xhi, ylo, yhi, cols[i]);
    pen_clip(c, -1, -1, -1, -1);
    pen_rect_outline(c, p.x, p.y, p.w, p.h, 0, 1, c->k.frame);
}

/* ---- the spectrum ---- */

#define NBINS 40

static void spectrum_panel(const ctx *c, box b)
{
    const netlab *lab = c->lab;
    const netlab_spectrum *sp = netlab_get_spectrum(lab);
    char t[240];
    if (!sp) {
        panel(c, b, "Hessian spectrum: computing...");
        return;
    }
    const net_spectrum *su = &sp->sum;
    char t2[240];
    if (isnan(su->min_ratio)) {
        snprintf(t, sizeof t, "Hessian at step %ld: %d extreme eigenvalues (Lanczos)", sp->step, sp->n);
        snprintf(t2, sizeof t2, "Lanczos, step %ld: %d extreme", sp->step, sp->n);
    } else {
        snprintf(t, sizeof t, "Hessian, step %ld: minimum ratio %.3f", sp->step, su->min_ratio);
        snprintf(t2, sizeof t2, "step %ld: minimum ratio %.3f", sp->step, su->min_ratio);
    }
    panel(c, b, longer_if_fits(c, b.w - 20 * c->s, t, t2));
    box inner = b;
    inner.h -= 1.2f * c->lh;
    box p = plot_box(c, inner, "1000", 1);
    double lo = sp->n ? sp->eig[0] : -1, hi = sp->n ? sp->eig[sp->n - 1] : 1;
    if (!(hi > lo)) lo -= 1, hi += 1;
    double pad = 0.02 * (hi - lo);
    lo -= pad;
    hi += pad;
    /* per bin: negative, zero (|lambda| <= tol max|lambda|) and positive, stacked */
    int cnt[NBINS][3], top = 1;
    memset(cnt, 0, sizeof cnt);
    double big = fmax(fabs(sp->n ? sp->eig[0] : 0), fabs(sp->n ? sp->eig[sp->n - 1] : 0));
    for (int i = 0; i < sp->n; i++) {
        double e = sp->eig[i];
        int k = (int)((e - lo) / (hi - lo) * NBINS);
        k = k < 0 ? 0 : k >= NBINS ? NBINS - 1 : k;
        cnt[k][fabs(e) <= su->tol * big ? 1 : e < 0 ? 0 : 2]++;
    }
    for (int k = 0; k < NBINS; k++) {
        int all = cnt[k][0] + cnt[k][1] + cnt[k][2];
        top = all > top ? all : top;
    }
    pen_clip(c, b.x, b.y, b.w, b.h);
    axis(c, p, 0, lo, hi, 0);
    /* counts on a square-root scale: the few large eigenvalues stay visible beside
       the crowd near zero */
    double stop = sqrt((double)top);
    axis(c, p, 1, 0, stop, 2);
    pen_clip(c, p.x, p.y, p.w, p.h);
    float bw = p.w / NBINS;
    const uint32_t kind_col[3] = {LOOK_CRIT_SADDLE_FILL, c->k.dim, C_POS};
    for (int k = 0; k < NBINS; k++) {
        /* the stack's heights on the square-root scale: each part the difference of
           the roots of the running totals */
        int below = 0;
        for (int q = 0; q < 3; q++) {
            if (!cnt[k][q]) continue;
            float y0 = (float)(sqrt((double)below) / stop) * p.h;
            below += cnt[k][q];
            float y1 = (float)(sqrt((double)below) / stop) * p.h;
            pen_rect(c, p.x + k * bw + 0.5f, p.y + p.h - y1, bw - 1, y1 - y0, 0, kind_col[q]);
        }
    }
    if (lo < 0 && hi > 0) {
        float x0 = p.x + (float)(-lo / (hi - lo)) * p.w;
        pen_line(c, x0, p.y, x0, p.y + p.h, 1.2f * c->s, c->k.text);
    }
    pen_clip(c, -1, -1, -1, -1);
    pen_rect_outline(c, p.x, p.y, p.w, p.h, 0, 1, c->k.frame);
    snprintf(t, sizeof t, "%d+ %d- %d zero; counts: sqrt scale", su->npos, su->nneg, su->nzero);
    snprintf(t2, sizeof t2, "%d+ %d- %d zero", su->npos, su->nneg, su->nzero);
    text_fit(c, b.x + 10 * c->s, p.y + p.h + 6 * c->s + c->lh, b.w - 20 * c->s,
             longer_if_fits(c, b.w - 20 * c->s, t, t2), c->k.dim);
}

/* ---- the seeds' scatter ---- */

static void seeds_panel(const ctx *c, box b)
{
    int n, total;
    const netseed_pt *pt = netseeds_points(c->v->seeds, &n, &total);
    char t[240], t2[240];
    snprintf(t, sizeof t, "%d of %d seeds: training loss against minimum ratio", n, total);
    snprintf(t2, sizeof t2, "%d/%d seeds: loss vs minimum ratio", n, total);
    if (text_w(c, t2) > b.w - 20 * c->s) snprintf(t2, sizeof t2, "%d/%d seeds", n, total);
    panel(c, b, longer_if_fits(c, b.w - 20 * c->s, t, t2));
    box inner = b;
    inner.h -= 1.2f * c->lh;
    box p = plot_box(c, inner, "0.0001", 1);
    /* the lab's own point: its newest spectrum's minimum ratio and that row's loss */
    const netlab_spectrum *sp = netlab_get_spectrum(c->lab);
    long nr;
    const net_row *r = netlab_rows(c->lab, &nr);
    double own_x = sp && sp->step < nr ? sp->sum.min_ratio : NAN, own_y = sp && sp->step < nr ? r[sp->step].train_loss : NAN;
    double ylo = INFINITY, yhi = -INFINITY;
    for (int i = 0; i < n; i++)
        if (pt[i].train_loss > 0 && isfinite(pt[i].train_loss))
            ylo = fmin(ylo, log10(pt[i].train_loss)), yhi = fmax(yhi, log10(pt[i].train_loss));
    if (own_y > 0 && isfinite(own_x)) ylo = fmin(ylo, log10(own_y)), yhi = fmax(yhi, log10(own_y));
    round_range(&ylo, &yhi);
    /* room for the marks at the ends */
    ylo -= 0.08 * (yhi - ylo);
    yhi += 0.08 * (yhi - ylo);
    pen_clip(c, b.x, b.y, b.w, b.h);
    /* the ratio's axis a little wider than [0, 1]: the points at 1 (minima) whole */
    const double xlo = -0.04, xhi = 1.04;
    axis(c, p, 0, xlo, xhi, 0);
    axis(c, p, 1, ylo, yhi, 1);
    pen_clip(c, p.x, p.y, p.w, p.h);
    for (int i = 0; i < n; i++) {
        if (!(pt[i].train_loss > 0) || !isfinite(pt[i].sum.min_ratio)) continue;
        float x = p.x + (float)((pt[i].sum.min_ratio - xlo) / (xhi - xlo)) * p.w;
        float y = p.y + p.h - (float)((log10(pt[i].train_loss) - ylo) / (yhi - ylo)) * p.h;
        pen_marker(c, GFX_CIRCLE, x, y, 3.6f * c->s, C_POS, LOOK_OUTLINE, 1.0f * c->s);
    }
    if (own_y > 0 && isfinite(own_x)) {
        float x = p.x + (float)((own_x - xlo) / (xhi - xlo)) * p.w, y = p.y + p.h - (float)((log10(own_y) - ylo) / (yhi - ylo)) * p.h;
        pen_marker(c, GFX_CIRCLE, x, y, 5.5f * c->s, c->k.panel, C_TEST, 2.0f * c->s);
    }
    pen_clip(c, -1, -1, -1, -1);
    pen_rect_outline(c, p.x, p.y, p.w, p.h, 0, 1, c->k.frame);
    snprintf(t, sizeof t, "minimum ratio = positive / all eigenvalues; ring: this run; each seed up to %ld "
             "updates or |g| < %g", netseeds_steps(c->v->seeds), netseeds_gtol(c->v->seeds));
    snprintf(t2, sizeof t2, "x: positive / all eigenvalues; ring: this run");
    if (text_w(c, t2) > b.w - 20 * c->s) snprintf(t2, sizeof t2, "x: positive / all");
    text_fit(c, b.x + 10 * c->s, p.y + p.h + 6 * c->s + c->lh, b.w - 20 * c->s,
             longer_if_fits(c, b.w - 20 * c->s, t, t2), c->k.dim);
}

void netlab_view_draw_pen(const netlab_pen *pen, const netlab *lab, const netlab_view *v)
{
    float s = v->scale > 0 ? v->scale : fmaxf(0.75f, fminf(v->w / 1024.0f, v->h / 768.0f));
    ctx c = {pen, lab, v, ink_of(v->light), s, 14 * s, 0};
    c.lh = pen->line_height(pen->user, c.px);
    float gap = 8 * s, top = v->y;
    if (v->title) {
        text_fit(&c, v->x + gap, v->y + gap, v->w - 2 * gap, v->title, c.k.text);
        top += c.lh + gap;
    }
    float w2 = (v->w - 3 * gap) / 2, h2 = (v->y + v->h - top - 3 * gap) / 2;
    box b[4] = {{v->x + gap, top + gap, w2, h2},
                {v->x + 2 * gap + w2, top + gap, w2, h2},
                {v->x + gap, top + 2 * gap + h2, w2, h2},
                {v->x + 2 * gap + w2, top + 2 * gap + h2, w2, h2}};
    data_panel(&c, b[0]);
    slice_panel(&c, b[1]);
    if (v->nmore > 0) compare_chart(&c, b[2]);
    else chart_panel(&c, b[2]);
    if (v->seeds) seeds_panel(&c, b[3]);
    else spectrum_panel(&c, b[3]);
}

/* ---- the gfx pen: the window's and the PNG's picture ---- */

static void g_clip(void *u, float x, float y, float w, float h) { gfx_clip(u, x, y, w, h); }
static void g_rect(void *u, float x, float y, float w, float h, float radius, uint32_t rgba)
{
    gfx_rect(u, x, y, w, h, radius, rgba);
}
static void g_rect_outline(void *u, float x, float y, float w, float h, float radius, float width, uint32_t rgba)
{
    gfx_rect_outline(u, x, y, w, h, radius, width, rgba);
}
static void g_line(void *u, float x0, float y0, float x1, float y1, float width, uint32_t rgba)
{
    gfx_line(u, x0, y0, x1, y1, width, rgba);
}
static void g_polyline(void *u, const float *xy, int n, float width, uint32_t rgba)
{
    gfx_polyline(u, xy, n, width, NULL, rgba);
}
static void g_marker(void *u, gfx_shape shape, float cx, float cy, float r, uint32_t fill, uint32_t outline, float ow)
{
    gfx_marker(u, shape, cx, cy, r, fill, outline, ow);
}
static void g_image(void *u, const unsigned char *rgba, int w, int h, int x, int y) { gfx_image(u, rgba, w, h, x, y); }
static void g_text(void *u, float x, float y, const char *s, float px, uint32_t rgba)
{
    gfx_text(u, x, y, s, -1, px, rgba);
}
static float g_text_width(void *u, const char *s, float px) { return gfx_text_width(u, s, -1, px); }
static float g_line_height(void *u, float px) { return gfx_line_height(u, px); }

void netlab_view_draw(gfx *g, const netlab *lab, const netlab_view *v)
{
    const netlab_pen pen = {g,      g_clip,  g_rect,  g_rect_outline, g_line,        g_polyline,
                            g_marker, g_image, g_text, g_text_width,  g_line_height};
    netlab_view_draw_pen(&pen, lab, v);
}

void netlab_view_figure(gfx *g, void *user, int w, int h)
{
    netlab_figure *f = user;
    netlab_view v = f->v;
    v.x = v.y = 0;
    v.w = (float)w;
    v.h = (float)h;
    gfx_clear(g, ink_of(v.light).bg);
    netlab_view_draw(g, f->lab, &v);
}
