/* test_basin: basins of attraction. On Himmelblau, plain gradient descent takes every
 * start near a minimum into that minimum's class and shows all four classes; starts
 * far out with a large rate diverge; a bowl is one class. The classes are the same
 * run to run and for any thread count (also past one chunk of starts, and with
 * gradient noise). Bad input is refused with a message. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/basin.h"
#include "core/landscape.h"

#define NX 64
#define NY 64

static landscape load(const char *spec)
{
    landscape ls;
    char err[256];
    if (landscape_load(&ls, spec, err, sizeof err) != 0) {
        fprintf(stderr, "cannot load %s: %s\n", spec, err);
        exit(1);
    }
    return ls;
}

static int find_minima(const landscape *ls, const double region[4], crit_point *mins, int cap)
{
    crit_point pts[256];
    char err[256];
    int n = crit_find(ls->f, region, NULL, pts, 256, err, sizeof err);
    CHECK(n >= 0, "crit_find: %s", err);
    if (n < 0) return 0;
    int m = basin_minima(pts, n, mins);
    CHECK(m <= cap, "%d minima", m);
    return m;
}

static int classify(const basin_desc *d, int *cls)
{
    char err[256] = "";
    int rc = basin_classify(d, cls, err, sizeof err);
    CHECK(rc == 0, "basin_classify: %s", err);
    return rc;
}

static void test_himmelblau(void)
{
    landscape ls = load("himmelblau");
    double crit_region[4] = {-6, 6, -6, 6};
    crit_point mins[16];
    int nm = find_minima(&ls, crit_region, mins, 16);
    CHECK(nm == 4, "himmelblau has 4 minima, found %d", nm);
    optim_desc gd = optim_defaults(OPTIM_SGD);
    gd.lr = 0.01;
    basin_desc d = {.f = ls.f, .opt = gd, .sched = sched_defaults(SCHED_CONSTANT), .region = {-5, 5, -5, 5},
                    .nx = NX, .ny = NY, .steps = 1000, .minima = mins, .nminima = nm, .threads = 1};
    static int cls[NX * NY];
    if (classify(&d, cls) != 0) { landscape_free(&ls); return; }
    int seen[16] = {0}, none = 0, diverged = 0, near_ok = 0, near_bad = 0;
    for (int j = 0; j < NY; j++)
        for (int i = 0; i < NX; i++) {
            int c = cls[j * NX + i];
            double x = -5 + 10 * (i + 0.5) / NX, y = -5 + 10 * (j + 0.5) / NY;
            if (c >= 0 && c < nm) seen[c]++;
            if (c == BASIN_NONE) none++;
            if (c == BASIN_DIVERGED) diverged++;
            for (int m = 0; m < nm; m++) {
                if (hypot(x - mins[m].x, y - mins[m].y) > 1.0) continue;
                if (c == m) near_ok++;
                else {
                    near_bad++;
                    CHECK(c == m, "start (%.3f, %.3f), 1 from minimum %d (%.3f, %.3f), got class %d", x, y, m,
                          mins[m].x, mins[m].y, c);
                }
            }
        }
    CHECK(near_ok > 4 * 20 && near_bad == 0, "%d starts near a minimum in its class, %d not", near_ok, near_bad);
    for (int m = 0; m < nm; m++) CHECK(seen[m] > NX * NY / 20, "class %d has %d starts", m, seen[m]);
    CHECK(diverged == 0, "%d starts diverged at lr 0.01", diverged);
    CHECK(none <= NX * NY / 100, "%d starts did not converge in 1000 steps", none);

    /* far out, a large rate: the first step overshoots into the quartic walls */
    gd.lr = 0.05;
    basin_desc far = d;
    far.opt = gd;
    far.steps = 100;
    far.region[0] = 8; far.region[1] = 12; far.region[2] = 8; far.region[3] = 12;
    far.nx = far.ny = 16;
    int fc[16 * 16];
    if (classify(&far, fc) == 0) {
        int dv = 0;
        for (int k = 0; k < 16 * 16; k++) dv += fc[k] == BASIN_DIVERGED;
        CHECK(dv == 16 * 16, "%d of 256 far starts diverged at lr 0.05", dv);
    }
    /* run to run and thread count to thread count: bit for bit */
    static int again[NX * NY];
    for (int t = 1; t <= 4; t++) {
        d.threads = t;
        if (classify(&d, again) == 0)
            CHECK(memcmp(cls, again, sizeof cls) == 0, "classes differ with %d threads", t);
    }
    /* a given distance tolerance is used as given */
    d.dist_tol = 1e-300;
    d.grad_tol = 1e-300;
    d.steps = 5;
    if (classify(&d, again) == 0) {
        int matched = 0;
        for (int k = 0; k < NX * NY; k++) matched += again[k] >= 0;
        CHECK(matched == 0, "%d starts matched within 1e-300 after 5 steps", matched);
    }
    landscape_free(&ls);
}

static void test_bowl(void)
{
    landscape ls = load("quadratic");
    double region[4] = {-3, 3, -3, 3};
    crit_point mins[4];
    int nm = find_minima(&ls, region, mins, 4);
    CHECK(nm == 1, "the bowl has one minimum, found %d", nm);
    optim_desc gd = optim_defaults(OPTIM_SGD);
    gd.lr = 0.15;
    basin_desc d = {.f = ls.f, .opt = gd, .sched = sched_defaults(SCHED_CONSTANT), .region = {-3, 3, -3, 3},
                    .nx = 40, .ny = 30, .steps = 300, .minima = mins, .nminima = nm, .threads = 2};
    int cls[40 * 30];
    if (classify(&d, cls) == 0) {
        int zero = 0;
        for (int k = 0; k < 40 * 30; k++) zero += cls[k] == 0;
        CHECK(zero == 40 * 30, "%d of 1200 starts in the one class", zero);
    }
    /* Adam too (it hovers within about lr of the minimum: still that class) */
    d.opt = optim_defaults(OPTIM_ADAM);
    d.opt.lr = 0.05;
    d.steps = 600;
    if (classify(&d, cls) == 0) {
        int zero = 0;
        for (int k = 0; k < 40 * 30; k++) zero += cls[k] == 0;
        CHECK(zero == 40 * 30, "adam: %d of 1200 starts in the one class", zero);
    }
    /* no minima given: nothing can match */
    d.nminima = 0;
    d.steps = 10;
    if (classify(&d, cls) == 0) {
        int none = 0;
        for (int k = 0; k < 40 * 30; k++) none += cls[k] == BASIN_NONE;
        CHECK(none == 40 * 30, "%d of 1200 starts unmatched without minima", none);
    }
    landscape_free(&ls);
}

/* More starts than one chunk, with noise: still the same for every thread count. */
static void test_chunks_noise(void)
{
    landscape ls = load("himmelblau");
    double region[4] = {-6, 6, -6, 6};
    crit_point mins[16];
    int nm = find_minima(&ls, region, mins, 16);
    optim_desc adam = optim_defaults(OPTIM_ADAM);
    adam.lr = 0.1;
    enum { W = 300, H = 240 };
    basin_desc d = {.f = ls.f, .opt = adam, .sched = sched_defaults(SCHED_CONSTANT), .region = {-6, 6, -6, 6},
                    .nx = W, .ny = H, .steps = 30, .minima = mins, .nminima = nm, .noise = 2.0,
                    .seed = 7, .threads = 1};
    int *a = malloc(sizeof(int) * W * H), *b = malloc(sizeof(int) * W * H);
    if (!a || !b) { free(a); free(b); CHECK(0, "out of memory"); landscape_free(&ls); return; }
    if (classify(&d, a) == 0) {
        d.threads = 3;
        if (classify(&d, b) == 0) CHECK(memcmp(a, b, sizeof(int) * W * H) == 0, "noisy classes differ by threads");
        d.seed = 8;
        if (classify(&d, b) == 0) CHECK(memcmp(a, b, sizeof(int) * W * H) != 0, "another seed, other noise");
    }
    free(a);
    free(b);
    landscape_free(&ls);
}

/* A progress callback splits the run into pieces: the classes are the same bits as
 * in one piece (noise and Adam's clock included, across two chunks of starts), the
 * reported run-steps grow and end at starts x steps, and a nonzero return stops the
 * work with "cancelled". */
typedef struct pieces { int calls, stop_at; double last; int monotone; } pieces;

static int count_piece(void *ctx, double run_steps)
{
    pieces *p = ctx;
    p->calls++;
    if (!(run_steps > p->last)) p->monotone = 0;
    p->last = run_steps;
    return p->stop_at > 0 && p->calls >= p->stop_at;
}

static void test_pieces(void)
{
    landscape ls = load("himmelblau");
    double region[4] = {-6, 6, -6, 6};
    crit_point mins[16];
    int nm = find_minima(&ls, region, mins, 16);
    optim_desc adam = optim_defaults(OPTIM_ADAM);
    adam.lr = 0.05;
    enum { W = 300, H = 240, K = 130 };
    basin_desc d = {.f = ls.f, .opt = adam, .sched = sched_defaults(SCHED_CONSTANT), .region = {-6, 6, -6, 6},
                    .nx = W, .ny = H, .steps = K, .minima = mins, .nminima = nm, .noise = 1.0,
                    .seed = 3, .threads = 2};
    int *a = malloc(sizeof(int) * W * H), *b = malloc(sizeof(int) * W * H);
    if (!a || !b) { free(a); free(b); CHECK(0, "out of memory"); landscape_free(&ls); return; }
    if (classify(&d, a) == 0) {
        pieces p = {0, 0, 0, 1};
        d.progress = count_piece;
        d.progress_ctx = &p;
        if (classify(&d, b) == 0) {
            CHECK(memcmp(a, b, sizeof(int) * W * H) == 0, "classes differ when run in pieces");
            CHECK(p.calls >= 4, "%d progress calls (two chunks of at least two pieces)", p.calls);
            CHECK(p.monotone, "run-steps reported out of order");
            CHECK(p.last == (double)W * H * K, "run-steps at the end: %.17g, expected %d", p.last, W * H * K);
        }
        pieces q = {0, 2, 0, 1};
        d.progress_ctx = &q;
        char err[256] = "";
        CHECK(basin_classify(&d, b, err, sizeof err) == -1, "a nonzero return stops the work");
        CHECK_STR_CONTAINS(err, "cancelled", "the message says why");
        CHECK(q.calls == 2, "no call after the stop: %d", q.calls);
    }
    free(a);
    free(b);
    landscape_free(&ls);
}

static void test_errors(void)
{
    landscape ls = load("himmelblau");
    int cls[4];
    char err[256] = "";
    basin_desc d = {.f = ls.f, .opt = optim_defaults(OPTIM_SGD), .sched = sched_defaults(SCHED_CONSTANT),
                    .region = {1, -1, 0, 1}, .nx = 2, .ny = 2, .steps = 1, .threads = 1};
    CHECK(basin_classify(&d, cls, err, sizeof err) == -1, "reversed region accepted");
    CHECK_STR_CONTAINS(err, "region", "message names the region");
    d.region[0] = -1;
    d.region[1] = NAN;
    CHECK(basin_classify(&d, cls, err, sizeof err) == -1, "NaN region accepted");
    d.region[1] = 1;
    d.nx = 0;
    CHECK(basin_classify(&d, cls, err, sizeof err) == -1, "empty grid accepted");
    CHECK_STR_CONTAINS(err, "grid", "message names the grid");
    d.nx = 2;
    d.steps = 0;
    CHECK(basin_classify(&d, cls, err, sizeof err) == 0, "zero steps refused: %s", err);
    for (int k = 0; k < 4; k++) CHECK(cls[k] == BASIN_NONE, "start %d: %d without minima", k, cls[k]);
    landscape_free(&ls);
}

int main(void)
{
    test_himmelblau();
    test_bowl();
    test_chunks_noise();
    test_pieces();
    test_errors();
    return check_done("test_basin");
}
