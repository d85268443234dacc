/* swarm_view: scene/swarm_job steps the swarm on its own thread and hands over
 * its newest frame; this file only draws it.
 *
 * The particles are splatted on the CPU into one premultiplied image (anti-aliased
 * discs from precomputed stamps, composited "over" so piles look denser, with a
 * soft rim in the theme's halo colour) and drawn with gfx_image: on a software GL,
 * 1e5 points cost about 100 ms a frame, the splat and one image a few ms. */
#include "app/views/swarm_view.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define SUB 8                     /* sub-pixel positions of a stamp, per axis */
#define DOT_ALPHA 0.9f
#define RIM_ALPHA 0.5f
#define RIM 0.9f                  /* the rim's width, pixels */

typedef struct stamp_px {
    int dx, dy;                   /* from the pixel holding the centre */
    float dot, rim;               /* coverage times alpha */
} stamp_px;

struct swarm_view {
    swarm_job *job;
    uint32_t color;
    /* the picture: particles in image pixels, coverage, the image */
    float *px;
    int npx;
    unsigned px_version;
    double px_view[4];
    float px_rect[4];
    float px_r;
    uint32_t px_color, px_halo;
    float *cov, *rim;
    unsigned char *img;
    size_t img_cap;
    int ix, iy, iw, ih;           /* the image's place on the framebuffer */
    struct stamp_px *stamps;      /* SUB * SUB stamps of the pixels a dot or its rim covers */
    int *stamp_n;                 /* pixels of each stamp (at most S * S) */
    int S;
    float stamp_r;
};

swarm_view *swarm_view_create(const live *L, int k, const double region[4], int n)
{
    swarm_view *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->job = swarm_job_create(L, k, region, n);
    s->px = s->job ? malloc(swarm_job_size(s->job) * 2 * sizeof *s->px) : NULL;
    if (!s->px) {
        swarm_view_destroy(s);
        return NULL;
    }
    s->px_version = (unsigned)-1;
    s->color = live_runner_color(L, k);
    return s;
}

void swarm_view_destroy(swarm_view *s)
{
    if (!s) return;
    swarm_job_destroy(s->job);
    free(s->px);
    free(s->cov); free(s->rim); free(s->img); free(s->stamps); free(s->stamp_n);
    free(s);
}

int swarm_view_sync(swarm_view *s, const live *L)
{
    int k = swarm_job_runner(s->job);
    if (k >= L->nrun) return -1;
    s->color = live_runner_color(L, k);
    return swarm_job_sync(s->job, L);
}

void swarm_view_wait(swarm_view *s)
{
    swarm_job_wait(s->job);
}

swarm_view_info swarm_view_get_info(swarm_view *s)
{
    const swarm_frame *f = swarm_job_frame(s->job, NULL);
    return (swarm_view_info){swarm_job_runner(s->job), swarm_job_size(s->job), f->alive, f->step,
                             swarm_job_target(s->job)};
}

/* The pixels a disc of radius r (and one r + RIM wide) covers, with their coverage,
 * for SUB x SUB positions of the centre inside its pixel; only the pixels covered
 * are kept (a third of the square around the disc). */
static int make_stamps(swarm_view *s, float r)
{
    int half = (int)ceilf(r + RIM + 1.0f);
    int S = 2 * half + 1;
    stamp_px *st = realloc(s->stamps, (size_t)SUB * SUB * (size_t)S * (size_t)S * sizeof *st);
    if (st) s->stamps = st;
    int *cnt = realloc(s->stamp_n, (size_t)SUB * SUB * sizeof *cnt);
    if (cnt) s->stamp_n = cnt;
    if (!st || !cnt) return -1;
    s->S = S;
    s->stamp_r = r;
    for (int q = 0; q < SUB * SUB; q++) {
        stamp_px *d = st + (size_t)q * (size_t)S * (size_t)S;
        float cx = ((float)(q % SUB) + 0.5f) / SUB, cy = ((float)(q / SUB) + 0.5f) / SUB;
        int m = 0;
        for (int j = -half; j <= half; j++)
            for (int i = -half; i <= half; i++) {
                float dist = hypotf((float)i + 0.5f - cx, (float)j + 0.5f - cy);
                float a = r + 0.5f - dist, b = r + RIM + 0.5f - dist;
                if (b <= 0) continue;
                d[m++] = (stamp_px){i, j, DOT_ALPHA * (a < 0 ? 0 : a > 1 ? 1 : a), RIM_ALPHA * (b > 1 ? 1 : b)};
            }
        cnt[q] = m;
    }
    return 0;
}

/* The image of the npx particles in s->px (image pixels): coverage of the dots and
 * of their rims, each composited "over" itself, then the dots over the rims. */
static void splat(swarm_view *s, uint32_t color, uint32_t halo)
{
    size_t n = (size_t)s->iw * (size_t)s->ih;
    memset(s->cov, 0, n * sizeof *s->cov);
    memset(s->rim, 0, n * sizeof *s->rim);
    int S = s->S, half = S / 2, iw = s->iw, ih = s->ih;
    for (int k = 0; k < s->npx; k++) {
        float X = s->px[2 * k], Y = s->px[2 * k + 1];
        int ix = (int)floorf(X), iy = (int)floorf(Y);
        int qx = (int)((X - (float)ix) * SUB), qy = (int)((Y - (float)iy) * SUB);
        if (qx > SUB - 1) qx = SUB - 1;
        if (qy > SUB - 1) qy = SUB - 1;
        int q = qy * SUB + qx, m = s->stamp_n[q];
        const stamp_px *st = s->stamps + (size_t)q * (size_t)S * (size_t)S;
        ptrdiff_t base = (ptrdiff_t)iy * iw + ix;
        float *c = s->cov, *h = s->rim;
        if (ix >= half && iy >= half && ix + half < iw && iy + half < ih) {
            for (int e = 0; e < m; e++) {
                ptrdiff_t o = base + (ptrdiff_t)st[e].dy * iw + st[e].dx;
                c[o] += (1 - c[o]) * st[e].dot;
                h[o] += (1 - h[o]) * st[e].rim;
            }
        } else {
            for (int e = 0; e < m; e++) {
                int x = ix + st[e].dx, y = iy + st[e].dy;
                if (x < 0 || y < 0 || x >= iw || y >= ih) continue;
                ptrdiff_t o = base + (ptrdiff_t)st[e].dy * iw + st[e].dx;
                c[o] += (1 - c[o]) * st[e].dot;
                h[o] += (1 - h[o]) * st[e].rim;
            }
        }
    }
    float cr = (float)(color >> 24), cg = (float)(color >> 16 & 0xff), cb = (float)(color >> 8 & 0xff);
    float hr = (float)(halo >> 24), hg = (float)(halo >> 16 & 0xff), hb = (float)(halo >> 8 & 0xff);
    unsigned char *o = s->img;
    for (size_t i = 0; i < n; i++, o += 4) {
        float a = s->cov[i], b = s->rim[i] * (1 - a);
        o[0] = (unsigned char)(cr * a + hr * b + 0.5f);
        o[1] = (unsigned char)(cg * a + hg * b + 0.5f);
        o[2] = (unsigned char)(cb * a + hb * b + 0.5f);
        o[3] = (unsigned char)(255.0f * (a + b) + 0.5f);
    }
}

void swarm_view_draw(swarm_view *s, gfx *g, const scene_view *sv, const scene_theme *th)
{
    /* points a little apart on the starting grid, never below a pixel */
    size_t n = swarm_job_size(s->job);
    float r = 0.42f * sqrtf(sv->w * sv->h / (float)n), sc = sv->scale > 0 ? sv->scale : 1;
    if (r < 0.9f * sc) r = 0.9f * sc;
    if (r > 2.4f * sc) r = 2.4f * sc;
    if (s->stamp_r != r && make_stamps(s, r) != 0) return;
    float rect[4] = {sv->x, sv->y, sv->w, sv->h};
    unsigned version;
    const swarm_frame *f = swarm_job_frame(s->job, &version);
    int fresh = s->px_version != version || memcmp(s->px_view, sv->view, sizeof s->px_view) != 0 ||
                memcmp(s->px_rect, rect, sizeof rect) != 0 || s->px_r != r || s->px_color != s->color ||
                s->px_halo != th->halo;
    if (fresh) {
        /* particles in the canvas's whole pixels, then the box around them */
        int cx0 = (int)floorf(sv->x), cy0 = (int)floorf(sv->y);
        int cx1 = (int)ceilf(sv->x + sv->w), cy1 = (int)ceilf(sv->y + sv->h);
        double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
        double m = s->S;
        double bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY, by1 = -INFINITY;
        int k = 0;
        for (size_t i = 0; i < n; i++) {
            if (f->diverged[i]) continue;
            double X = sv->x + (f->x[i] - sv->view[0]) / upp;
            double Y = sv->y + (sv->view[3] - f->y[i]) / upp;
            if (!(X >= cx0 - m && X <= cx1 + m && Y >= cy0 - m && Y <= cy1 + m)) continue;
            s->px[2 * k] = (float)X;
            s->px[2 * k + 1] = (float)Y;
            bx0 = fmin(bx0, X); bx1 = fmax(bx1, X);
            by0 = fmin(by0, Y); by1 = fmax(by1, Y);
            k++;
        }
        s->npx = k;
        s->px_version = version;
        memcpy(s->px_view, sv->view, sizeof s->px_view);
        memcpy(s->px_rect, rect, sizeof rect);
        s->px_r = r;
        s->px_color = s->color;
        s->px_halo = th->halo;
        s->iw = s->ih = 0;
        if (k > 0) {
            int x0 = (int)floor(bx0) - s->S, y0 = (int)floor(by0) - s->S;
            int x1 = (int)ceil(bx1) + s->S, y1 = (int)ceil(by1) + s->S;
            if (x0 < cx0) x0 = cx0;
            if (y0 < cy0) y0 = cy0;
            if (x1 > cx1) x1 = cx1;
            if (y1 > cy1) y1 = cy1;
            size_t need = x1 > x0 && y1 > y0 ? (size_t)(x1 - x0) * (size_t)(y1 - y0) : 0;
            if (need > s->img_cap) {
                float *c = realloc(s->cov, need * sizeof *c);
                if (c) s->cov = c;
                float *h = realloc(s->rim, need * sizeof *h);
                if (h) s->rim = h;
                unsigned char *im = realloc(s->img, need * 4);
                if (im) s->img = im;
                if (c && h && im) s->img_cap = need;
            }
            if (need > 0 && need <= s->img_cap) {
                for (int i = 0; i < k; i++) {
                    s->px[2 * i] -= (float)x0;
                    s->px[2 * i + 1] -= (float)y0;
                }
                s->ix = x0;
                s->iy = y0;
                s->iw = x1 - x0;
                s->ih = y1 - y0;
                splat(s, s->color, th->halo);
            }
        }
    }
    if (s->iw > 0) gfx_image(g, s->img, s->iw, s->ih, s->ix, s->iy);
}
