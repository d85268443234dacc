/* live: scene state and its edits. Every edit that changes where a runner goes
 * (hyperparameters, start, landscape) replays the runner from its start to the
 * scene's clock, so what is on screen is always the true path of the settings
 * shown, never a path that changed settings halfway. */
#include "scene/live.h"
#include "scene/explain.h"
#include "core/expr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Okabe & Ito's colours, without their black (invisible on the dark theme), the
 * first five (the default runners) far apart: vermilion, close to orange, comes
 * sixth. Every colour has a WCAG contrast of at least 4 against the dark
 * background; the light theme's are the same hues darkened, at least 3.5 against
 * white (test_live computes both, and the colour distances). */
const uint32_t live_palette[LIVE_PALETTE] = {
    0xE69F00ffu,   /* orange */
    0x56B4E9ffu,   /* sky blue */
    0xCC79A7ffu,   /* reddish purple */
    0x009E73ffu,   /* bluish green */
    0xF0E442ffu,   /* yellow */
    0xD55E00ffu,   /* vermilion */
    0x3C8CE6ffu,   /* blue (lighter than Okabe & Ito's 0072B2) */
    0xB0B0B0ffu,   /* grey */
};

const uint32_t live_palette_light[LIVE_PALETTE] = {
    0xB86E00ffu,   /* orange */
    0x2B7FB8ffu,   /* sky blue */
    0xB0488Affu,   /* reddish purple */
    0x00805Cffu,   /* bluish green */
    0x8C7A00ffu,   /* yellow, as dark gold */
    0xC04800ffu,   /* vermilion */
    0x0050A0ffu,   /* blue */
    0x666666ffu,   /* grey */
};

uint32_t live_runner_color(const live *L, int k)
{
    const uint32_t *p = L->disp.cmap == STYLE_CMAP_LIGHT ? live_palette_light : live_palette;
    int c = k >= 0 && k < L->nrun ? L->run[k].color : 0;
    return p[((c % LIVE_PALETTE) + LIVE_PALETTE) % LIVE_PALETTE];
}

float live_trail_alpha(float age, int light)
{
    if (!(age > 0)) age = 0;
    if (age > 1) age = 1;
    /* the newest third at full strength (the lesson's path as it is walked); the
       older part down to a floor that still reads clearly (the figures' trails are
       the reference): higher on white, where a thin faint line all but vanishes */
    float lo = light ? 0.8f : 0.75f, t = (age - LIVE_TRAIL_FULL) / (1 - LIVE_TRAIL_FULL);
    if (t <= 0) return 1;
    return lo + (1 - lo) * (1 - t) * (1 - t);
}

const live_display_row live_display_rows[LIVE_DISP_COUNT] = {
#define LIVE_DISPLAY_ROW(field, NAME, scene_key, def, key, help_row, help_pos, help, state, option) \
    {offsetof(live_display, field), scene_key, def, key, help_row, help_pos, help, state, option},
    LIVE_DISPLAY(LIVE_DISPLAY_ROW)
#undef LIVE_DISPLAY_ROW
};

int *live_display_at(live_display *d, int i)
{
    return (int *)((char *)d + live_display_rows[i].offset);
}

void live_display_defaults(live_display *d)
{
    *d = (live_display){
#define LIVE_DISPLAY_DEFAULT(field, NAME, scene_key, def, ...) .field = def,
        LIVE_DISPLAY(LIVE_DISPLAY_DEFAULT)
#undef LIVE_DISPLAY_DEFAULT
        .cmap = STYLE_CMAP_VIRIDIS,
    };
}

static void hist_clear(live_hist *h) { h->len = 0; h->stride = 1; }

/* Record the loss of step s; when full, keep every other point and double the
 * stride, so the history covers the whole run in bounded memory. */
static void hist_push(live_hist *h, long s, double loss, double test)
{
    if (!h->loss || s % h->stride != 0) return;
    float *t = h->loss + LIVE_HIST_CAP;
    if (h->len == LIVE_HIST_CAP) {
        for (int i = 0; i < LIVE_HIST_CAP / 2; i++) {
            h->loss[i] = h->loss[2 * i];
            t[i] = t[2 * i];
        }
        h->len = LIVE_HIST_CAP / 2;
        h->stride *= 2;
        if (s % h->stride != 0) return;
    }
    t[h->len] = (float)test;
    h->loss[h->len++] = (float)loss;
}

/* The runner's current loss (and test loss) into its history. */
static void record(const live *L, live_runner *lr)
{
    double test = L->test_f ? expr_eval(L->test_f, lr->r.p[0], lr->r.p[1]) : NAN;
    hist_push(&lr->hist, lr->r.step, lr->r.j.v, test);
}

/* A landscape with a `test` parameter at 0 is a training set; the same spec with
 * test=1 is its test set. */
static void load_test(live *L)
{
    expr_destroy(L->test_f);
    L->test_f = NULL;
    const char *at = L->ls.def ? strstr(L->ls.label, "test=0") : NULL;
    if (!at) return;
    char spec[512], err[256];
    snprintf(spec, sizeof spec, "%.*stest=1%s", (int)(at - L->ls.label), L->ls.label, at + 6);
    landscape t;
    if (landscape_load(&t, spec, err, sizeof err) != 0) return;
    L->test_f = t.f;
    t.f = NULL;
    landscape_free(&t);
}

static void replay(live *L, live_runner *lr, long steps)
{
    runner_reset_fn(&lr->r, &L->ls.fn);
    hist_clear(&lr->hist);
    record(L, lr);
    if (steps > LIVE_REPLAY_CAP) steps = LIVE_REPLAY_CAP;
    for (long s = 1; s <= steps; s++) {
        if (lr->r.diverged) break;
        runner_step_fn(&lr->r, &L->ls.fn);
        record(L, lr);
    }
}

void live_init(live *L, landscape *ls, int ls_index)
{
    memset(L, 0, sizeof *L);
    L->ls = *ls;
    memset(ls, 0, sizeof *ls);
    L->ls_index = ls_index;
    L->ls_gen = 1;
    load_test(L);
    L->start[0] = L->ls.start[0];
    L->start[1] = L->ls.start[1];
    L->center[0] = 0.5 * (L->ls.view[0] + L->ls.view[1]);
    L->center[1] = 0.5 * (L->ls.view[2] + L->ls.view[3]);
    L->upp = (L->ls.view[1] - L->ls.view[0]) / 800.0;
    L->steps_per_sec = 100;
    L->playing = 1;
    live_display_defaults(&L->disp);
}

void live_free(live *L)
{
    for (int k = 0; k < L->nrun; k++) {
        runner_free(&L->run[k].r);
        runner_free(&L->run[k].ghost);
        free(L->run[k].hist.loss);
    }
    L->nrun = 0;
    expr_destroy(L->test_f);
    L->test_f = NULL;
    landscape_free(&L->ls);
}

int live_add(live *L, const runner_desc *d)
{
    if (L->nrun >= LIVE_MAX_RUNNERS) return -1;
    live_runner *lr = &L->run[L->nrun];
    memset(lr, 0, sizeof *lr);
    runner_desc dd = *d;
    dd.start[0] = L->start[0];
    dd.start[1] = L->start[1];
    dd.data = L->ls.data;         /* minibatches come from the scene's landscape */
    runner_desc gd = dd;
    gd.trail_cap = LIVE_GHOST_STEPS + 1;
    lr->hist.loss = malloc(2 * LIVE_HIST_CAP * sizeof *lr->hist.loss);
    if (!lr->hist.loss || runner_init_fn(&lr->r, &dd, &L->ls.fn) != 0 ||
        runner_init_fn(&lr->ghost, &gd, &L->ls.fn) != 0) {
        free(lr->hist.loss);
        runner_free(&lr->r);
        runner_free(&lr->ghost);
        memset(lr, 0, sizeof *lr);
        return -1;
    }
    /* the first colour no other runner has */
    int used[LIVE_PALETTE] = {0};
    for (int k = 0; k < L->nrun; k++) used[L->run[k].color % LIVE_PALETTE] = 1;
    lr->color = L->nrun % LIVE_PALETTE;
    for (int c = 0; c < LIVE_PALETTE; c++)
        if (!used[c]) { lr->color = c; break; }
    lr->visible = 1;
    L->nrun++;
    replay(L, lr, L->step);
    return L->nrun - 1;
}

void live_remove(live *L, int k)
{
    if (k < 0 || k >= L->nrun) return;
    runner_free(&L->run[k].r);
    runner_free(&L->run[k].ghost);
    free(L->run[k].hist.loss);
    memmove(&L->run[k], &L->run[k + 1], (size_t)(L->nrun - k - 1) * sizeof L->run[0]);
    L->nrun--;
    if (L->selected >= L->nrun) L->selected = L->nrun - 1;
    if (L->selected < 0) L->selected = 0;
}

void live_set_desc(live *L, int k, const runner_desc *d)
{
    if (k < 0 || k >= L->nrun) return;
    live_runner *lr = &L->run[k];
    lr->r.d.opt = d->opt;
    lr->r.d.sched = d->sched;
    lr->r.d.noise = d->noise;
    lr->r.d.seed = d->seed;
    lr->r.d.batch = d->batch;
    lr->r.d.shuffle = d->shuffle;
    lr->ghost.d.opt = d->opt;
    lr->ghost.d.sched = d->sched;
    lr->ghost.d.noise = d->noise;
    lr->ghost.d.seed = d->seed;
    lr->ghost.d.batch = d->batch;
    lr->ghost.d.shuffle = d->shuffle;
    replay(L, lr, L->step);
}

static void restart_all(live *L)
{
    for (int k = 0; k < L->nrun; k++) {
        live_runner *lr = &L->run[k];
        lr->r.d.start[0] = lr->ghost.d.start[0] = L->start[0];
        lr->r.d.start[1] = lr->ghost.d.start[1] = L->start[1];
        replay(L, lr, L->step);
    }
}

void live_set_landscape(live *L, landscape *ls, int ls_index, int keep_view)
{
    landscape_free(&L->ls);
    L->ls = *ls;
    memset(ls, 0, sizeof *ls);
    L->ls_index = ls_index;
    L->ls_gen++;
    load_test(L);
    L->ncrit = 0;
    L->step = 0;
    if (!keep_view) {
        L->start[0] = L->ls.start[0];
        L->start[1] = L->ls.start[1];
    }
    /* the old landscape's samples are gone: minibatches come from the new one's
     * (none: the runners take the full loss) */
    for (int k = 0; k < L->nrun; k++) L->run[k].r.d.data = L->run[k].ghost.d.data = L->ls.data;
    restart_all(L);
}

void live_set_start(live *L, double x, double y)
{
    if (!isfinite(x) || !isfinite(y)) return;
    L->start[0] = x;
    L->start[1] = y;
    L->step = 0;
    restart_all(L);
}

void live_reset(live *L)
{
    L->step = 0;
    L->step_max = 0;
    L->step_accum = 0;
    L->explain.valid = 0;
    restart_all(L);
}

const double *live_runner_point(const runner *r)
{
    const double *p = r->p;
    for (int t = 0; t < r->trail_len && !(isfinite(p[0]) && isfinite(p[1])); t++) p = runner_trail_at(r, t);
    return isfinite(p[0]) && isfinite(p[1]) ? p : NULL;
}

void live_seek(live *L, long s)
{
    if (s < 0) s = 0;
    if (s > L->step_max) s = L->step_max;
    long keep = L->step_max;
    if (s < L->step) {
        L->step = 0;
        L->step_accum = 0;
        restart_all(L);
    }
    live_step(L, s - L->step);
    L->step_max = keep;
    L->explain.valid = 0;
}

void live_step_explained(live *L)
{
    int k = L->selected;
    if (k < 0 || k >= L->nrun) {
        live_step(L, 1);
        return;
    }
    runner before = L->run[k].r;     /* a shallow copy: only its numbers are read */
    live_step(L, 1);
    L->explain.valid = explain_step(&before, &L->run[k].r, L->ls.f, &L->explain) == 0;
    L->explain.runner = k;
    L->explain.step = L->step;
}

void live_step(live *L, long n)
{
    for (long s = 0; s < n; s++) {
        L->step++;
        if (L->step > L->step_max) L->step_max = L->step;
        for (int k = 0; k < L->nrun; k++) {
            live_runner *lr = &L->run[k];
            if (lr->r.diverged || lr->r.step >= L->step) continue;
            runner_step_fn(&lr->r, &L->ls.fn);
            record(L, lr);
        }
    }
}

void live_advance(live *L, double dt)
{
    if (!L->playing || !(dt > 0)) return;
    if (dt > 0.25) dt = 0.25;     /* after a stall, do not jump ahead */
    L->step_accum += dt * L->steps_per_sec;
    long n = (long)L->step_accum;
    L->step_accum -= (double)n;
    live_step(L, n);
}

void live_ghosts(live *L, double x, double y, int steps)
{
    if (!isfinite(x) || !isfinite(y)) return;
    if (steps > LIVE_GHOST_STEPS) steps = LIVE_GHOST_STEPS;
    for (int k = 0; k < L->nrun; k++) {
        runner *g = &L->run[k].ghost;
        g->d.start[0] = x;
        g->d.start[1] = y;
        runner_reset_fn(g, &L->ls.fn);
        for (int s = 0; s < steps && !g->diverged; s++) runner_step_fn(g, &L->ls.fn);
    }
    L->ghost_on = 1;
}

void live_view(const live *L, int w, int h, double view[4])
{
    double hw = 0.5 * L->upp * (w > 0 ? w : 1), hh = 0.5 * L->upp * (h > 0 ? h : 1);
    view[0] = L->center[0] - hw;
    view[1] = L->center[0] + hw;
    view[2] = L->center[1] - hh;
    view[3] = L->center[1] + hh;
}

void live_fit(live *L, const double view[4], int w, int h)
{
    if (w < 1) w = 1;
    if (h < 1) h = 1;
    L->center[0] = 0.5 * (view[0] + view[1]);
    L->center[1] = 0.5 * (view[2] + view[3]);
    double sx = (view[1] - view[0]) / w, sy = (view[3] - view[2]) / h;
    L->upp = sx > sy ? sx : sy;
    if (!(L->upp > 0) || !isfinite(L->upp)) L->upp = 1.0 / w;
}

void live_zoom(live *L, double factor, double x, double y, int w, int h)
{
    if (!(factor > 0) || !isfinite(factor)) return;
    int side = w > h ? w : h;
    if (side < 1) side = 1;
    double upp = L->upp / factor;
    if (upp * side < 1e-6) upp = 1e-6 / side;
    if (upp * side > 1e6) upp = 1e6 / side;
    double f = L->upp / upp;
    /* (x, y) stays put: centre moves towards it by 1 - 1/f */
    L->center[0] = x + (L->center[0] - x) / f;
    L->center[1] = y + (L->center[1] - y) / f;
    L->upp = upp;
}

const char *const live_default_runners[LIVE_DEFAULT_RUNNERS] = {
    "sgd:lr=0.002",
    "sgd:lr=0.001,momentum=0.9",
    "sgd:lr=0.001,momentum=0.9,nesterov=1",
    "rmsprop:lr=0.01",
    "adam:lr=0.05",
};

void live_landscape_name(const live *L, char *buf, size_t len)
{
    const char *label = L->ls.label;
    static const char pre[] = "plane:file=";
    if (strncmp(label, pre, sizeof pre - 1) == 0) {
        const char *path = label + sizeof pre - 1, *slash = strrchr(path, '/');
        if (slash && slash[1]) {
            snprintf(buf, len, "%s%s", pre, slash + 1);
            return;
        }
    }
    snprintf(buf, len, "%s", label);
}
