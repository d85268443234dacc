/* swarm_view: the worker owns the swarm and its own copy of the landscape (compiled
 * from the spec, like the field worker), steps it in chunks of about 8 ms toward
 * the target and copies the positions out after each chunk. A restart bumps an
 * epoch, so a chunk that was running when the settings changed is not shown.
 *
 * The particles are splatted on the CPU into one premultiplied image (anti-aliased
 * discs from precomputed stamps, composited "over" so piles look denser, with a
 * soft rim in the theme's halo colour) and drawn with gfx_image: on a software GL,
 * 1e5 points cost about 100 ms a frame, the splat and one image a few ms. */
#include "app/views/swarm_view.h"

#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/landscape.h"
#include "core/swarm.h"
#include "core/timing.h"

#define CHUNK_SECONDS 0.008
#define SUB 8                     /* sub-pixel positions of a stamp, per axis */
#define DOT_ALPHA 0.9f
#define RIM_ALPHA 0.5f
#define RIM 0.9f                  /* the rim's width, pixels */

typedef struct stamp_px {
    int dx, dy;                   /* from the pixel holding the centre */
    float dot, rim;               /* coverage times alpha */
} stamp_px;

struct swarm_view {
    int runner;
    uint32_t color;
    double region[4];
    int nx, ny;
    size_t n;
    double *x0, *y0;              /* the grid of starts */
    /* what the swarm runs, as the main thread last saw it */
    optim_desc opt;
    sched_desc sched;
    double noise;
    uint64_t seed;
    unsigned ls_gen;
    int threads;

    pthread_t th;
    int have_sync, have_thread;
    pthread_mutex_t mu;
    pthread_cond_t cv, done_cv;
    /* shared, under mu */
    int quit, restart, busy;
    unsigned epoch;
    long target;
    char *spec;                   /* the landscape for the next restart */
    int is_formula;
    double *sx, *sy;              /* published positions */
    unsigned char *sdv;
    long sstep;
    size_t salive;
    unsigned version;
    /* the worker's own */
    swarm sw;
    int have_swarm;
    landscape ls;
    int have_ls;
    /* the main thread's picture: particles in image pixels, coverage, the image */
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

static void landscape_spec(const live *L, char **spec, int *is_formula)
{
    *is_formula = L->ls.def == NULL;
    *spec = strdup(L->ls.def ? L->ls.label : expr_source(L->ls.f));
}

/* Copy the swarm out (mu held). */
static void publish(swarm_view *s)
{
    size_t alive = 0;
    memcpy(s->sx, s->sw.x, s->n * sizeof *s->sx);
    memcpy(s->sy, s->sw.y, s->n * sizeof *s->sy);
    memcpy(s->sdv, s->sw.diverged, s->n);
    for (size_t i = 0; i < s->n; i++) alive += !s->sw.diverged[i];
    s->salive = alive;
    s->sstep = s->sw.step;
    s->version++;
}

static void *worker(void *arg)
{
    swarm_view *s = arg;
    long per_chunk = 1;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (!s->quit && !s->restart && !(s->have_swarm && s->sw.step < s->target))
            pthread_cond_wait(&s->cv, &s->mu);
        if (s->quit) break;
        s->busy = 1;
        if (s->restart) {
            s->restart = 0;
            char *spec = s->spec;
            s->spec = NULL;
            int is_formula = s->is_formula;
            optim_desc opt = s->opt;
            sched_desc sched = s->sched;
            double noise = s->noise;
            uint64_t seed = s->seed;
            unsigned epoch = s->epoch;
            pthread_mutex_unlock(&s->mu);
            if (spec) {
                char err[256];
                if (s->have_ls) landscape_free(&s->ls);
                s->have_ls = (is_formula ? landscape_load_expr(&s->ls, spec, err, sizeof err)
                                         : landscape_load(&s->ls, spec, err, sizeof err)) == 0;
                free(spec);
            }
            if (s->have_swarm) swarm_free(&s->sw);
            s->have_swarm = s->have_ls &&
                swarm_init(&s->sw, &opt, &sched, s->x0, s->y0, s->n, noise, seed) == 0;
            pthread_mutex_lock(&s->mu);
            if (s->have_swarm && epoch == s->epoch) publish(s);
        } else {
            long chunk = s->target - s->sw.step;
            if (chunk > per_chunk) chunk = per_chunk;
            unsigned epoch = s->epoch;
            pthread_mutex_unlock(&s->mu);
            double t0 = os_now();
            swarm_step_fn(&s->sw, &s->ls.fn, (int)chunk, s->threads);
            double per_step = (os_now() - t0) / (double)chunk;
            per_chunk = per_step > 0 ? (long)(CHUNK_SECONDS / per_step) : 1000;
            if (per_chunk < 1) per_chunk = 1;
            if (per_chunk > 1000) per_chunk = 1000;
            pthread_mutex_lock(&s->mu);
            if (epoch == s->epoch) publish(s);
        }
        s->busy = 0;
        pthread_cond_broadcast(&s->done_cv);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Ask the worker to start over with runner k's settings (mu held). */
static void ask_restart(swarm_view *s, const live *L)
{
    const runner_desc *d = &L->run[s->runner].r.d;
    s->opt = d->opt;
    s->sched = d->sched;
    s->noise = d->noise;
    s->seed = d->seed;
    if (s->ls_gen != L->ls_gen) {
        free(s->spec);
        landscape_spec(L, &s->spec, &s->is_formula);
        s->ls_gen = L->ls_gen;
    }
    s->epoch++;
    s->restart = 1;
    s->target = L->step;
    pthread_cond_signal(&s->cv);
}

swarm_view *swarm_view_create(const live *L, int k, const double region[4], int n)
{
    if (k < 0 || k >= L->nrun || n < 1) return NULL;
    if (n > SWARM_VIEW_MAX) n = SWARM_VIEW_MAX;
    swarm_view *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->runner = k;
    memcpy(s->region, region, sizeof s->region);
    /* cells as square as the region allows */
    double aspect = (region[1] - region[0]) / (region[3] - region[2]);
    if (!(aspect > 1e-3 && aspect < 1e3)) aspect = 1;
    s->nx = (int)lround(sqrt(n * aspect));
    if (s->nx < 1) s->nx = 1;
    if (s->nx > n) s->nx = n;
    s->ny = n / s->nx;
    if (s->ny < 1) s->ny = 1;
    s->n = (size_t)s->nx * (size_t)s->ny;
    s->x0 = malloc(s->n * sizeof *s->x0);
    s->y0 = malloc(s->n * sizeof *s->y0);
    s->sx = malloc(s->n * sizeof *s->sx);
    s->sy = malloc(s->n * sizeof *s->sy);
    s->sdv = malloc(s->n);
    s->px = malloc(s->n * 2 * sizeof *s->px);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    /* leave a core to the frame (and to a software GL's rasterizer) */
    s->threads = ncpu > 2 ? (ncpu - 1 > 8 ? 8 : (int)ncpu - 1) : 1;
    s->px_version = (unsigned)-1;
    if (!s->x0 || !s->y0 || !s->sx || !s->sy || !s->sdv || !s->px) {
        swarm_view_destroy(s);
        return NULL;
    }
    swarm_grid(region, s->nx, s->ny, s->x0, s->y0);
    memcpy(s->sx, s->x0, s->n * sizeof *s->sx);
    memcpy(s->sy, s->y0, s->n * sizeof *s->sy);
    memset(s->sdv, 0, s->n);
    s->salive = s->n;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_cond_init(&s->done_cv, NULL);
    s->have_sync = 1;
    s->color = live_runner_color(L, k);
    pthread_mutex_lock(&s->mu);
    ask_restart(s, L);
    pthread_mutex_unlock(&s->mu);
    if (pthread_create(&s->th, NULL, worker, s) != 0) {
        swarm_view_destroy(s);
        return NULL;
    }
    s->have_thread = 1;
    return s;
}

void swarm_view_destroy(swarm_view *s)
{
    if (!s) return;
    if (s->have_thread) {
        pthread_mutex_lock(&s->mu);
        s->quit = 1;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->th, NULL);
    }
    if (s->have_sync) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        pthread_cond_destroy(&s->done_cv);
    }
    if (s->have_swarm) swarm_free(&s->sw);
    if (s->have_ls) landscape_free(&s->ls);
    free(s->spec);
    free(s->x0); free(s->y0); free(s->sx); free(s->sy); free(s->sdv); free(s->px);
    free(s->cov); free(s->rim); free(s->img); free(s->stamps); free(s->stamp_n);
    free(s);
}

int swarm_view_sync(swarm_view *s, const live *L)
{
    if (s->runner >= L->nrun) return -1;
    const live_runner *lr = &L->run[s->runner];
    const runner_desc *d = &lr->r.d;
    s->color = live_runner_color(L, s->runner);
    pthread_mutex_lock(&s->mu);
    int changed = memcmp(&d->opt, &s->opt, sizeof d->opt) != 0 ||
                  memcmp(&d->sched, &s->sched, sizeof d->sched) != 0 || d->noise != s->noise ||
                  d->seed != s->seed || L->ls_gen != s->ls_gen || L->step < s->target;
    if (changed) {
        ask_restart(s, L);
    } else if (L->step != s->target) {
        s->target = L->step;
        pthread_cond_signal(&s->cv);
    }
    pthread_mutex_unlock(&s->mu);
    return 0;
}

void swarm_view_wait(swarm_view *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->restart || s->busy || (s->have_swarm && s->sw.step < s->target))
        pthread_cond_wait(&s->done_cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
}

swarm_view_info swarm_view_get_info(swarm_view *s)
{
    pthread_mutex_lock(&s->mu);
    swarm_view_info i = {s->runner, s->n, s->salive, s->sstep, s->target};
    pthread_mutex_unlock(&s->mu);
    return i;
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
    float r = 0.42f * sqrtf(sv->w * sv->h / (float)s->n), sc = sv->scale > 0 ? sv->scale : 1;
    if (r < 0.9f * sc) r = 0.9f * sc;
    if (r > 2.4f * sc) r = 2.4f * sc;
    if (s->stamp_r != r && make_stamps(s, r) != 0) return;
    float rect[4] = {sv->x, sv->y, sv->w, sv->h};
    pthread_mutex_lock(&s->mu);
    int fresh = s->px_version != s->version || memcmp(s->px_view, sv->view, sizeof s->px_view) != 0 ||
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
        for (size_t i = 0; i < s->n; i++) {
            if (s->sdv[i]) continue;
            double X = sv->x + (s->sx[i] - sv->view[0]) / upp;
            double Y = sv->y + (sv->view[3] - s->sy[i]) / upp;
            if (!(X >= cx0 - m && X <= cx1 + m && Y >= cy0 - m && Y <= cy1 + m)) continue;
            s->px[2 * k] = (float)X;
            s->px[2 * k + 1] = (float)Y;
            bx0 = fmin(bx0, X); bx1 = fmax(bx1, X);
            by0 = fmin(by0, Y); by1 = fmax(by1, Y);
            k++;
        }
        s->npx = k;
        s->px_version = s->version;
        memcpy(s->px_view, sv->view, sizeof s->px_view);
        memcpy(s->px_rect, rect, sizeof rect);
        s->px_r = r;
        s->px_color = s->color;
        s->px_halo = th->halo;
        pthread_mutex_unlock(&s->mu);
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
    } else {
        pthread_mutex_unlock(&s->mu);
    }
    if (s->iw > 0) gfx_image(g, s->img, s->iw, s->ih, s->ix, s->iy);
}
