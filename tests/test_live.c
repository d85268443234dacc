/* test_live: the window's scene state without a window. Paths after edits equal
 * fresh runs of the same settings (what `trace` prints), the loss history decimates
 * without losing its alignment, zoom keeps the point under the cursor and its limits,
 * and the background field worker returns what the core computes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "scene/field_worker.h"
#include "scene/live.h"
#include "core/expr.h"
#include "core/field.h"

static runner_desc desc_of(const char *spec, double x, double y)
{
    runner_desc d;
    memset(&d, 0, sizeof d);
    char err[256];
    CHECK(optim_parse(spec, &d.opt, err, sizeof err) == 0, "%s", err);
    d.sched = sched_defaults(SCHED_CONSTANT);
    d.start[0] = x;
    d.start[1] = y;
    return d;
}

/* A fresh runner of d stepped n times: the reference path. */
static void fresh(const runner_desc *d, const expr *f, long n, double p[2], double *loss_at, long every)
{
    runner r;
    CHECK(runner_init(&r, d, f) == 0, "runner_init");
    if (loss_at) loss_at[0] = r.j.v;
    for (long s = 1; s <= n; s++) {
        runner_step(&r, f);
        if (loss_at && s % every == 0) loss_at[s / every] = r.j.v;
    }
    p[0] = r.p[0];
    p[1] = r.p[1];
    runner_free(&r);
}

static void test_paths(void)
{
    landscape ls;
    char err[256];
    CHECK(landscape_load(&ls, "rosenbrock", err, sizeof err) == 0, "%s", err);
    live L;
    live_init(&L, &ls, 0);
    for (int k = 0; k < LIVE_DEFAULT_RUNNERS; k++) {
        runner_desc d = desc_of(live_default_runners[k], 0, 0);
        CHECK(live_add(&L, &d) == k, "add runner %d", k);
    }
    live_step(&L, 500);
    CHECK(L.step == 500, "clock at 500, got %ld", L.step);
    for (int k = 0; k < L.nrun; k++) {
        runner_desc d = desc_of(live_default_runners[k], L.start[0], L.start[1]);
        double p[2];
        fresh(&d, L.ls.f, 500, p, NULL, 1);
        CHECK(L.run[k].r.p[0] == p[0] && L.run[k].r.p[1] == p[1],
              "runner %d at (%.17g, %.17g), fresh run at (%.17g, %.17g)", k,
              L.run[k].r.p[0], L.run[k].r.p[1], p[0], p[1]);
        CHECK(L.run[k].color != L.run[(k + 1) % L.nrun].color, "distinct colours");
    }
    /* a slider edit replays the runner: its path is the new setting's whole path */
    runner_desc d = desc_of("adam:lr=0.01,beta1=0.5", L.start[0], L.start[1]);
    live_set_desc(&L, 4, &d);
    double p[2];
    fresh(&d, L.ls.f, 500, p, NULL, 1);
    CHECK(L.run[4].r.step == 500, "replayed to the clock (%ld)", L.run[4].r.step);
    CHECK(L.run[4].r.p[0] == p[0] && L.run[4].r.p[1] == p[1], "edited runner on the fresh path");

    /* moving the start restarts everyone at step 0 there */
    live_set_start(&L, 0.5, -0.5);
    CHECK(L.step == 0 && L.run[2].r.step == 0, "restart at step 0");
    CHECK(L.run[2].r.p[0] == 0.5 && L.run[2].r.p[1] == -0.5, "at the new start");
    live_set_start(&L, NAN, 0);
    CHECK(L.start[0] == 0.5, "a non-finite start is ignored");

    /* ghosts: each one is the runner's path from the dragged point */
    live_ghosts(&L, -1, 2, 300);
    runner_desc g = L.run[1].r.d;
    g.start[0] = -1;
    g.start[1] = 2;
    fresh(&g, L.ls.f, 300, p, NULL, 1);
    CHECK(L.run[1].ghost.p[0] == p[0] && L.run[1].ghost.p[1] == p[1], "ghost path end");
    CHECK(L.run[1].ghost.trail_len == 301, "ghost keeps 301 points, got %d", L.run[1].ghost.trail_len);

    /* remove keeps the others and the selection valid */
    L.selected = 4;
    live_remove(&L, 4);
    CHECK(L.nrun == 4 && L.selected == 3, "remove: %d runners, selected %d", L.nrun, L.selected);
    for (int k = 0; k < 20; k++) live_add(&L, &d);
    CHECK(L.nrun == LIVE_MAX_RUNNERS, "capped at %d runners", LIVE_MAX_RUNNERS);
    live_free(&L);
}

static void test_history(void)
{
    landscape ls;
    char err[256];
    CHECK(landscape_load(&ls, "quadratic:kappa=10", err, sizeof err) == 0, "%s", err);
    live L;
    live_init(&L, &ls, -1);
    runner_desc d = desc_of("sgd:lr=0.01", 0, 0);
    live_add(&L, &d);
    long n = 3 * LIVE_HIST_CAP + 17;
    live_step(&L, n);
    const live_hist *h = &L.run[0].hist;
    CHECK(h->len <= LIVE_HIST_CAP && h->len >= LIVE_HIST_CAP / 2, "history length %d", h->len);
    CHECK(h->stride == 4, "stride doubles twice for %ld steps, got %ld", n, h->stride);
    CHECK((h->len - 1) * h->stride <= n && h->len * h->stride > n, "covers the run");
    double *ref = malloc((size_t)(n / h->stride + 1) * sizeof *ref), p[2];
    runner_desc dd = L.run[0].r.d;
    fresh(&dd, L.ls.f, n, p, ref, h->stride);
    int ok = 1;
    for (int i = 0; i < h->len; i++)
        if (h->loss[i] != (float)ref[i]) ok = 0;
    CHECK(ok, "history point i is the loss at step i * stride");
    free(ref);
    live_free(&L);
}

static void test_view(void)
{
    landscape ls;
    char err[256];
    CHECK(landscape_load(&ls, "himmelblau", err, sizeof err) == 0, "%s", err);
    live L;
    live_init(&L, &ls, -1);
    double v[4] = {-5, 5, -5, 5}, out[4];
    live_fit(&L, v, 800, 400);
    live_view(&L, 800, 400, out);
    CHECK_NEAR(out[2], -5, 0, 1e-12, "fit: the tall side fits");
    CHECK_NEAR(out[0], -10, 0, 1e-12, "fit: isotropic, wider in x");
    /* zoom keeps the anchor at the same pixel */
    double ax = 1.25, ay = -2.5;
    double px = (ax - out[0]) / L.upp;
    live_zoom(&L, 3.0, ax, ay, 800, 400);
    live_view(&L, 800, 400, out);
    CHECK_NEAR((ax - out[0]) / L.upp, px, 0, 1e-6, "anchor stays under the cursor");
    for (int i = 0; i < 200; i++) live_zoom(&L, 2.0, ax, ay, 800, 400);
    CHECK_NEAR(L.upp * 800, 1e-6, 1e-9, 0, "zoom in stops at a 1e-6 wide view");
    for (int i = 0; i < 400; i++) live_zoom(&L, 0.5, ax, ay, 800, 400);
    CHECK_NEAR(L.upp * 800, 1e6, 1e-9, 0, "zoom out stops at a 1e6 wide view");
    live_free(&L);
}

static void test_worker(void)
{
    field_worker *fw = field_worker_create();
    CHECK(fw != NULL, "worker");
    double v[4] = {-5, 5, -5, 5};
    CHECK(field_worker_poll(fw) == NULL, "nothing before a request");
    /* three requests in a row: the newest wins */
    field_worker_request(fw, "rosenbrock", 0, 1, v, 50, 40, 0, 0);
    field_worker_request(fw, "x^2 + y^2", 1, 2, v, 60, 30, 0, 0);
    field_worker_request(fw, "himmelblau", 0, 3, v, 200, 200, 1, 1);
    field_worker_wait(fw);
    const field_result *r = field_worker_poll(fw);
    CHECK(r != NULL, "a result");
    if (r) {
        CHECK(r->gen == 3, "newest request wins, got gen %u", r->gen);
        CHECK(r->w == 200 && r->h == 200, "size");
        CHECK(r->ncrit == 9, "himmelblau has 9 critical points, got %d", r->ncrit);
        CHECK(r->lw == 200 && r->lh == 200 && r->lmax != NULL, "curvature at the field's samples");
        landscape ls;
        char err[256];
        landscape_load(&ls, "himmelblau", err, sizeof err);
        int i = 37, j = 151;
        double f = expr_eval(ls.f, field_x(v, 200, i), field_y(v, 200, j));
        CHECK_NEAR(r->loss[j * 200 + i] + r->offset, f, 1e-6, 1e-6, "value + offset is f");
        CHECK(r->vmin <= r->vmax && r->vmin <= r->loss[j * 200 + i], "range");
        landscape_free(&ls);
    }
    CHECK(field_worker_poll(fw) == NULL, "a result is taken once");
    /* a formula with NaN and infinities: infinities clamped to the range, NaN kept
       exactly where the loss is undefined (log of x < 0), drawn as such */
    field_worker_request(fw, "log(x) + 1/y", 1, 4, v, 64, 64, 1, 0);
    field_worker_wait(fw);
    r = field_worker_poll(fw);
    CHECK(r != NULL, "a result for log(x) + 1/y");
    if (r) {
        int inf = 0, wrong = 0, nan = 0;
        for (int j = 0; j < 64; j++)
            for (int i = 0; i < 64; i++) {
                float q = r->loss[j * 64 + i];
                inf += isinf(q);
                int undefined = field_x(v, 64, i) < 0;
                nan += q != q;
                wrong += (q != q) != undefined;
            }
        CHECK(inf == 0, "no infinity reaches the shader (%d)", inf);
        CHECK(nan > 0 && wrong == 0, "NaN exactly where x < 0 (%d NaN, %d misplaced)", nan, wrong);
        CHECK(isfinite(r->vmin) && isfinite(r->vmax), "finite range");
    }
    /* a bad spec leaves the old result and does not hang */
    field_worker_request(fw, "x +* y", 1, 5, v, 8, 8, 0, 0);
    field_worker_wait(fw);
    CHECK(field_worker_poll(fw) == NULL, "a bad formula gives no result");
    field_worker_destroy(fw);
}

/* Rewind: seeking back replays to exactly the positions of a fresh run, seeking
 * forward again returns to where the run was; the furthest step is kept. */
static void test_seek(void)
{
    landscape ls;
    char err[256];
    CHECK(landscape_load(&ls, "himmelblau", err, sizeof err) == 0, "%s", err);
    live L;
    live_init(&L, &ls, -1);
    runner_desc d1 = desc_of("adam:lr=0.05", 0, 0), d2 = desc_of("sgd:lr=0.01,momentum=0.9", 0, 0);
    d2.noise = 0.5;
    d2.seed = 11;
    live_add(&L, &d1);
    live_add(&L, &d2);
    live_step(&L, 300);
    double at300[2][2];
    for (int k = 0; k < 2; k++) memcpy(at300[k], L.run[k].r.p, sizeof at300[k]);
    live_seek(&L, 120);
    CHECK(L.step == 120 && L.step_max == 300, "seek back to 120 keeps step_max 300: %ld %ld", L.step, L.step_max);
    for (int k = 0; k < 2; k++) {
        double p[2];
        runner_desc dd = L.run[k].r.d;
        fresh(&dd, L.ls.f, 120, p, NULL, 1);
        CHECK(L.run[k].r.p[0] == p[0] && L.run[k].r.p[1] == p[1], "runner %d at step 120 equals a fresh run", k);
    }
    live_seek(&L, 100000);
    CHECK(L.step == 300, "seek is clamped to step_max: %ld", L.step);
    for (int k = 0; k < 2; k++)
        CHECK(memcmp(L.run[k].r.p, at300[k], sizeof at300[k]) == 0, "runner %d back at step 300 (noise replayed)", k);
    live_seek(&L, -5);
    CHECK(L.step == 0 && L.run[0].r.p[0] == L.start[0], "seek below 0 goes to the start");
    live_reset(&L);
    CHECK(L.step_max == 0, "reset forgets the run");
    live_free(&L);
}

/* The explained step: the numbers shown add up to the step that was taken. */
static void test_explain(void)
{
    landscape ls;
    char err[256];
    CHECK(landscape_load(&ls, "rosenbrock", err, sizeof err) == 0, "%s", err);
    live L;
    live_init(&L, &ls, -1);
    runner_desc d1 = desc_of("sgd:lr=0.001", 0, 0), d2 = desc_of("adam:lr=0.05", 0, 0);
    live_add(&L, &d1);
    live_add(&L, &d2);
    live_step(&L, 10);
    L.selected = 0;
    double p0[2] = {L.run[0].r.p[0], L.run[0].r.p[1]};
    double g[2] = {L.run[0].r.j.gx, L.run[0].r.j.gy};
    live_step_explained(&L);
    const live_explain *e = &L.explain;
    CHECK(e->valid && e->runner == 0 && e->step == 11, "sgd step explained");
    CHECK(e->p0[0] == p0[0] && e->p1[0] == L.run[0].r.p[0], "before and after recorded");
    CHECK(e->grad[0] == g[0] && e->grad[1] == g[1], "the gradient is the runner's");
    CHECK(fabs(e->p1[0] - e->p0[0] - e->grad_step[0]) <= 1e-15 * fabs(e->p0[0]) + 1e-300,
          "plain SGD: the step is -lr g");
    int found = 0;
    for (int i = 0; i < e->nlines; i++) found |= strstr(e->lines[i], "θ ← θ − η·g") != NULL;
    CHECK(found, "the SGD update rule is shown");
    L.selected = 1;
    live_step_explained(&L);
    CHECK(e->valid && e->runner == 1 && e->step == 12, "adam step explained");
    int mh = 0, vh = 0;
    for (int i = 0; i < e->nlines; i++) {
        mh |= strstr(e->lines[i], "m̂ = m / (1−β1^t)") != NULL;
        vh |= strstr(e->lines[i], "v̂ = v / (1−β2^t)") != NULL;
    }
    CHECK(mh && vh, "Adam shows m̂ and v̂");
    /* the two parts of Adam's step add up to the step taken */
    for (int i = 0; i < 2; i++)
        CHECK(fabs(e->grad_step[i] + e->mom_step[i] - (e->p1[i] - e->p0[i])) <= 1e-12,
              "adam: gradient part + momentum part = step (%d)", i);
    live_free(&L);
}

/* A training set with a test twin: every step's test loss is recorded beside the
 * training loss, and equals the test landscape at the runner's point. */
static void test_train_test(void)
{
    landscape ls, tl;
    char err[256];
    CHECK(landscape_load(&ls, "sharp_flat_data:shift=0.4", err, sizeof err) == 0, "%s", err);
    live L;
    live_init(&L, &ls, -1);
    CHECK(L.test_f != NULL, "sharp_flat_data has a test landscape");
    runner_desc d = desc_of("sgd:lr=0.05", 0, 0);
    live_add(&L, &d);
    live_step(&L, 7);
    CHECK(landscape_load(&tl, "sharp_flat_data:shift=0.4,test=1", err, sizeof err) == 0, "%s", err);
    const live_runner *lr = &L.run[0];
    CHECK(lr->hist.len == 8, "8 history points");
    float test = lr->hist.loss[LIVE_HIST_CAP + 7];
    CHECK(test == (float)expr_eval(tl.f, lr->r.p[0], lr->r.p[1]), "the test loss at step 7 is the test landscape's");
    CHECK(test != lr->hist.loss[7], "test and train differ (shifted)");
    landscape_free(&tl);
    live_free(&L);
    CHECK(landscape_load(&ls, "rosenbrock", err, sizeof err) == 0, "%s", err);
    live_init(&L, &ls, -1);
    CHECK(L.test_f == NULL, "rosenbrock has no test landscape");
    live_free(&L);
}

/* ---- the palette: seen on both themes, told apart -------------------------- */

static double srgb_lin(unsigned c8)
{
    double c = c8 / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

/* WCAG 2 relative luminance and contrast ratio of two 0xRRGGBBAA colours. */
static double rel_lum(uint32_t c)
{
    return 0.2126 * srgb_lin(c >> 24 & 255) + 0.7152 * srgb_lin(c >> 16 & 255) + 0.0722 * srgb_lin(c >> 8 & 255);
}

static double contrast(uint32_t a, uint32_t b)
{
    double la = rel_lum(a), lb = rel_lum(b);
    return (fmax(la, lb) + 0.05) / (fmin(la, lb) + 0.05);
}

/* CIE L*a*b* (D65) and the CIE76 distance. */
static void to_lab(uint32_t c, double lab[3])
{
    double r = srgb_lin(c >> 24 & 255), g = srgb_lin(c >> 16 & 255), b = srgb_lin(c >> 8 & 255);
    double X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, Y = 0.2126 * r + 0.7152 * g + 0.0722 * b,
           Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    double t[3] = {X, Y, Z}, f[3];
    for (int i = 0; i < 3; i++) f[i] = t[i] > 216.0 / 24389 ? cbrt(t[i]) : (24389.0 / 27 * t[i] + 16) / 116;
    lab[0] = 116 * f[1] - 16;
    lab[1] = 500 * (f[0] - f[1]);
    lab[2] = 200 * (f[1] - f[2]);
}

static double delta_e(uint32_t a, uint32_t b)
{
    double p[3], q[3];
    to_lab(a, p);
    to_lab(b, q);
    return sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]));
}

/* Over a background bg, colour c at strength a (0..1), as a blend. */
static uint32_t over(uint32_t c, double a, uint32_t bg)
{
    uint32_t out = 0xff;
    for (int sh = 8; sh <= 24; sh += 8) {
        double v = a * (c >> sh & 255) + (1 - a) * (bg >> sh & 255);
        out |= (uint32_t)lround(v) << sh;
    }
    return out;
}

static void test_palette(void)
{
    /* the themes' backgrounds (scene_view.c's scene_theme_of): dark 14161a, white */
    const uint32_t dark_bg = 0x14161affu, light_bg = 0xffffffffu;
    const uint32_t *pal[2] = {live_palette, live_palette_light};
    const uint32_t bg[2] = {dark_bg, light_bg};
    const char *name[2] = {"dark", "light"};
    for (int t = 0; t < 2; t++) {
        for (int i = 0; i < LIVE_PALETTE; i++) {
            double c = contrast(pal[t][i], bg[t]);
            CHECK(c >= 3.5, "%s theme: colour %d (%08x) has contrast %.2f against the background (>= 3.5)", name[t],
                  i, pal[t][i], c);
            /* the oldest part of a faded trail: still seen (contrast of the blend) */
            double a = live_trail_alpha(1, t == 1);
            double cf = contrast(over(pal[t][i], a, bg[t]), bg[t]);
            CHECK(cf >= 1.7, "%s theme: colour %d at the faded trail's strength %.2f has contrast %.2f (>= 1.7)",
                  name[t], i, a, cf);
        }
        for (int i = 0; i < LIVE_PALETTE; i++)
            for (int j = i + 1; j < LIVE_PALETTE; j++) {
                double d = delta_e(pal[t][i], pal[t][j]);
                double need = i < LIVE_DEFAULT_RUNNERS && j < LIVE_DEFAULT_RUNNERS ? 25 : 20;
                CHECK(d >= need, "%s theme: colours %d and %d are %.1f apart (CIE76 >= %.0f)", name[t], i, j, d, need);
            }
    }
    /* the default runners: sgd first, rmsprop fourth */
    CHECK(strncmp(live_default_runners[0], "sgd:", 4) == 0 && strncmp(live_default_runners[3], "rmsprop", 7) == 0,
          "the default runners' order");
    double d = delta_e(live_palette[0], live_palette[3]);
    CHECK(d >= 30, "sgd's and rmsprop's colours are %.1f apart (CIE76 >= 30)", d);
    CHECK(live_trail_alpha(0, 0) == 1.0f && live_trail_alpha(0, 1) == 1.0f, "the newest trail at full strength");
    CHECK(live_trail_alpha(0.5f, 0) > live_trail_alpha(1, 0), "older is fainter");
    /* the newest 30% of a trail is the lesson's path as it is walked: full strength */
    CHECK(live_trail_alpha(0.29f, 0) == 1.0f && live_trail_alpha(0.29f, 1) == 1.0f,
          "the newest 30%% of the trail at full strength (%.2f)", live_trail_alpha(0.29f, 0));
    /* the oldest part clearly seen: the figures draw trails unfaded; at least 60%
       of that strength on dark, 70% on white (a thin line on white needs more) */
    CHECK(live_trail_alpha(1, 0) >= 0.6f && live_trail_alpha(1, 1) >= 0.7f,
          "the oldest part of a trail at %.2f (dark) and %.2f (light) of full strength",
          live_trail_alpha(1, 0), live_trail_alpha(1, 1));
}

/* The landscape's name in a legend: a plane file without its folder, anything else
   as it is. */
static void test_landscape_name(void)
{
    static live L;
    char b[200];
    snprintf(L.ls.label, sizeof L.ls.label, "plane:file=/work/x y/assets/scenes/36-bn-on.plane");
    live_landscape_name(&L, b, sizeof b);
    CHECK(strcmp(b, "plane:file=36-bn-on.plane") == 0, "plane name: %s", b);
    snprintf(L.ls.label, sizeof L.ls.label, "plane:file=here.plane");
    live_landscape_name(&L, b, sizeof b);
    CHECK(strcmp(b, "plane:file=here.plane") == 0, "plane name without a folder: %s", b);
    snprintf(L.ls.label, sizeof L.ls.label, "x^2/4 - y");
    live_landscape_name(&L, b, sizeof b);
    CHECK(strcmp(b, "x^2/4 - y") == 0, "a formula with a slash stays: %s", b);
}

int main(void)
{
    test_palette();
    test_landscape_name();
    test_train_test();
    test_seek();
    test_explain();
    test_paths();
    test_history();
    test_view();
    test_worker();
    return check_done("test_live");
}
