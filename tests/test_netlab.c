/* test_netlab: the live network lab against the command line that a user would
 * run for the same settings (`optiscape net train`, `net slice`, `net spectrum`,
 * given as argv[1]), and against hand computation on a tiny linear network: the
 * rows, the simulated device's seconds, the slice grid (coarse then fine, with
 * threads and in a frame's slices), the path projected on the plane, the spectrum
 * and its minimum ratio, the output grid, and the refusals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/timing.h"
#include "scene/netlab.h"
#include "scene/netseeds.h"
#include "scene/worker.h"

static const char *bin;

/* The CLI's CSV rows (after the header) as numbers, empty fields NaN: up to cap
   rows of up to 12 columns; returns the rows read, -1 when the command failed. */
static int cli_rows(const char *args, double rows[][12], int cap)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>/dev/null", bin, args);
    FILE *f = popen(cmd, "r");
    if (!f) return -1;
    char line[4096];
    int n = 0, head = 1;
    while (fgets(line, sizeof line, f)) {
        if (head) {
            head = 0;
            continue;
        }
        if (n >= cap) continue;
        char *s = line;
        for (int c = 0; c < 12; c++) {
            rows[n][c] = NAN;
            if (*s == '\n' || !*s) continue;
            if (*s != ',') rows[n][c] = strtod(s, &s);
            if (*s == ',') s++;
        }
        n++;
    }
    int st = pclose(f);
    return st == 0 ? n : -1;
}

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static netlab_desc desc_of(const char *nspec, const char *data, const char *opt, int batch, long seed)
{
    netlab_desc d;
    memset(&d, 0, sizeof d);
    snprintf(d.net, sizeof d.net, "%s", nspec);
    snprintf(d.data, sizeof d.data, "%s", data);
    snprintf(d.opt, sizeof d.opt, "%s", opt);
    d.batch = batch;
    d.seed = seed;
    return d;
}

/* Rows, in uneven step calls, against net train --timing for the same settings. */
static void test_rows(const char *nspec, const char *data, const char *opt, int batch, long seed, long steps)
{
    static double want[400][12];
    char args[1024];
    snprintf(args, sizeof args, "net train --net %s --data %s --optimizer %s --seed %ld --steps %ld --timing 16,0.002%s",
             nspec, data, opt, seed, steps, "");
    if (batch) snprintf(args + strlen(args), sizeof args - strlen(args), " --batch %d", batch);
    int n = cli_rows(args, want, 400);
    CHECK(n == steps + 1, "%s: %d rows from the CLI", args, n);
    netlab_desc d = desc_of(nspec, data, opt, batch, seed);
    d.steps = steps;
    d.device_width = 16;
    d.device_t1 = 0.002;
    netlab lab;
    char err[400];
    if (netlab_create(&lab, &d, err, sizeof err) != 0) {
        CHECK(0, "%s: %s", nspec, err);
        return;
    }
    for (long k = 1; !netlab_done(&lab); k++) {
        netlab_step(&lab, k % 4, INFINITY);
        netlab_poll(&lab, 0, os_now() + 0.001);
    }
    long m;
    const net_row *r = netlab_rows(&lab, &m);
    CHECK(m == n, "%s: %ld rows, the CLI %d", nspec, m, n);
    int bad = -1;
    for (long k = 0; k < m && k < n && bad < 0; k++) {
        double got[10] = {(double)r[k].step, r[k].train_loss, r[k].test_loss, r[k].train_acc, r[k].test_acc,
                          r[k].grad_norm, r[k].lr, r[k].samples / lab.train.n, 0, netlab_device_s(&lab, k)};
        for (int c = 0; c < 10; c++)
            if (c != 8 && !same(got[c], want[k][c])) bad = (int)k;
    }
    CHECK(bad < 0, "%s %s batch %d: row %d differs from net train's", nspec, opt, batch, bad);
    printf("  %-36s %-20s batch %2d: %ld rows and device seconds as net train's\n", nspec, opt, batch, m);
    netlab_free(&lab);
}

/* The slice after some steps against net slice's grid: the same plane (random and
   pca, as net slice makes them at the point after --steps), with threads and in
   a frame's slices (manual workers, 20 us each), coarse before fine. */
static void test_slice(const char *dir, netlab_plane_kind kind, int manual, int grid)
{
    const char *nspec = "mlp:2,6,1,act=tanh,loss=bce", *data = "moons:n=40,seed=3", *opt = "adam:lr=0.05";
    static double want[41 * 41][12];
    char args[1024];
    snprintf(args, sizeof args, "net slice --net %s --data %s --optimizer %s --steps 30 --dir %s --grid %d --range 0.8",
             nspec, data, opt, dir, grid);
    int n = cli_rows(args, want, 41 * 41);
    CHECK(n == grid * grid, "%s: %d grid points", args, n);
    netlab_desc d = desc_of(nspec, data, opt, 0, 0);
    d.plane = kind;
    d.grid = grid;
    d.range = 0.8;
    d.manual = manual;
    netlab lab;
    char err[400];
    if (netlab_create(&lab, &d, err, sizeof err) != 0) {
        CHECK(0, "%s", err);
        return;
    }
    netlab_step(&lab, 30, INFINITY);
    netlab_replane(&lab);
    int saw_coarse = 0, pumps = 0;
    const netlab_slice *s = NULL;
    for (;;) {
        if (manual) {
            worker_pump_all(os_now() + 2e-5);   /* a row a slice */
            pumps++;
        } else {
            netlab_wait(&lab);
        }
        netlab_poll(&lab, 1, os_now() + 0.001);
        s = netlab_get_slice(&lab);
        if (s && s->gen == lab.plane_gen && s->level == 1) saw_coarse = 1;
        if (s && s->gen == lab.plane_gen && s->level == 2) break;
        if (pumps > 100000) break;
    }
    CHECK(s && s->level == 2 && s->n == grid && !s->failed, "%s: no finished slice", dir);
    if (manual)
        /* slices of 20 us: a row or two each, however loaded the machine */
        CHECK(saw_coarse && pumps >= grid / 2, "%s: the coarse grid was not seen first (%d pumps)", dir, pumps);
    double worst = 0;
    for (int k = 0; k < grid * grid && s && s->level == 2; k++) {
        int i = (int)want[k][0], j = (int)want[k][1];
        double got = s->loss[j * grid + i];
        worst = fmax(worst, fabs(got - want[k][4]) / fmax(fabs(want[k][4]), 1e-300));
    }
    /* the grid forms its points as p + a d1 + b d2 and the CLI from the first
       layer's three products: rounding apart */
    CHECK(worst < 1e-12, "%s: the grid is %.3g off net slice's (relative)", dir, worst);
    printf("  slice %-8s %-9s: the %dx%d grid within %.1e of net slice's%s\n", dir, manual ? "in slices" : "threaded",
           grid, grid, worst, manual ? ", coarse first, in slices of 20 us" : "");
    netlab_free(&lab);
}

/* The path on a params:0,1 plane of mlp:1,1,1 (act=linear, mse): parameters (w1, b1,
   w2, b2); the plane through the centre c along e0 and e1, so a point q projects to
   a = q0 - c0, b = q1 - c1 at distance sqrt((q2 - c2)^2 + (q3 - c3)^2). And the
   output grid: w2 (w1 x + b1) + b2 at the grid's x. */
static void test_by_hand(void)
{
    netlab_desc d = desc_of("mlp:1,1,1,act=linear,loss=mse", "poly:n=12,seed=2", "sgd:lr=0.1", 0, 4);
    d.plane = NETLAB_PLANE_PARAMS;
    d.pi = 0;
    d.pj = 1;
    netlab lab;
    char err[400];
    if (netlab_create(&lab, &d, err, sizeof err) != 0) {
        CHECK(0, "%s", err);
        return;
    }
    double p0[4];
    memcpy(p0, lab.p, sizeof p0);
    netlab_step(&lab, 10, INFINITY);
    netlab_replane(&lab);
    netlab_poll(&lab, 1, INFINITY);
    netlab_wait(&lab);
    netlab_poll(&lab, 1, INFINITY);
    const double *c = lab.p;
    CHECK(lab.npath == 11 && lab.pts[0].step == 0 && lab.pts[10].step == 10, "path: %d points", lab.npath);
    double a = p0[0] - c[0], b = p0[1] - c[1], dist = sqrt((p0[2] - c[2]) * (p0[2] - c[2]) + (p0[3] - c[3]) * (p0[3] - c[3]));
    CHECK_NEAR(lab.pts[0].a, a, 1e-12, 1e-15, "a of the first point");
    CHECK_NEAR(lab.pts[0].b, b, 1e-12, 1e-15, "b of the first point");
    CHECK_NEAR(lab.pts[0].dist, dist, 1e-12, 1e-15, "its distance from the plane");
    CHECK(dist > 1e-3, "the first point lies off the plane (%g)", dist);
    netlab_pt cur = netlab_current(&lab);
    CHECK(fabs(cur.a) < 1e-15 && fabs(cur.b) < 1e-15 && fabs(cur.dist) < 1e-15 && cur.step == 10,
          "the current point is the centre: %g %g %g", cur.a, cur.b, cur.dist);
    const double *o = netlab_outputs(&lab);
    CHECK(o != NULL, "no output grid");
    for (int i = 0; o && i < NETLAB_OUT_N; i += 9) {
        double x = lab.box[0] + (lab.box[1] - lab.box[0]) * i / (NETLAB_OUT_N - 1);
        CHECK_NEAR(o[i], c[2] * (c[0] * x + c[1]) + c[3], 1e-13, 1e-14, "the fitted curve at x = %g", x);
    }
    /* the spectrum of a linear net's mse: 4 parameters, all eigenvalues */
    const netlab_spectrum *sp = netlab_get_spectrum(&lab);
    CHECK(sp && sp->n == 4 && sp->step == 10, "spectrum: %d values at step %ld", sp ? sp->n : -1, sp ? sp->step : -1);
    printf("  by hand: projection of the first point, the fitted curve w2 (w1 x + b1) + b2\n");
    netlab_free(&lab);
}

/* The spectrum at the point after 300 updates against net spectrum --summary:
   counts exactly, the minimum ratio, the extremes to rounding. The path thins
   itself past NETLAB_PATH_CAP points and keeps the newest. */
static void test_spectrum(void)
{
    const char *nspec = "mlp:2,5,5,1,act=tanh,loss=bce", *data = "xor:n=60,seed=1", *opt = "adam:lr=0.03";
    static double want[4][12];
    char args[1024];
    snprintf(args, sizeof args, "net spectrum --summary --net %s --data %s --optimizer %s --steps 300", nspec, data, opt);
    int n = cli_rows(args, want, 4);
    CHECK(n == 1, "%s: %d lines", args, n);
    netlab_desc d = desc_of(nspec, data, opt, 0, 0);
    d.manual = 1;
    netlab lab;
    char err[400];
    if (netlab_create(&lab, &d, err, sizeof err) != 0) {
        CHECK(0, "%s", err);
        return;
    }
    netlab_step(&lab, 300, INFINITY);
    const netlab_spectrum *sp = NULL;
    for (int k = 0; k < 100000 && !(sp && sp->step == 300); k++) {
        netlab_poll(&lab, 1, os_now() + 0.001);
        worker_pump_all(os_now() + 0.001);
        sp = netlab_get_spectrum(&lab);
    }
    CHECK(sp && sp->step == 300, "no spectrum at step 300");
    if (sp && n == 1) {
        CHECK(sp->sum.npos == (int)want[0][2] && sp->sum.nneg == (int)want[0][3] && sp->sum.nzero == (int)want[0][4],
              "counts %d %d %d, net spectrum %g %g %g", sp->sum.npos, sp->sum.nneg, sp->sum.nzero, want[0][2],
              want[0][3], want[0][4]);
        CHECK(sp->sum.min_ratio == want[0][5], "minimum ratio %.17g, net spectrum %.17g", sp->sum.min_ratio, want[0][5]);
        CHECK_NEAR(sp->eig[0], want[0][6], 1e-12, 1e-14, "lambda_min");
        CHECK_NEAR(sp->eig[sp->n - 1], want[0][7], 1e-12, 1e-14, "lambda_max");
        printf("  spectrum after 300 steps: %d+ %d- %d0, minimum ratio %.4f as net spectrum's\n", sp->sum.npos,
               sp->sum.nneg, sp->sum.nzero, sp->sum.min_ratio);
    }
    CHECK(lab.npath <= NETLAB_PATH_CAP && lab.npath > NETLAB_PATH_CAP / 2 && lab.stride == 2 &&
              lab.pts[lab.npath - 1].step == 300 && lab.pts[1].step == 2,
          "the thinned path: %d points, stride %ld, last step %ld", lab.npath, lab.stride, lab.pts[lab.npath - 1].step);
    netlab_free(&lab);
}

static void refuse(const char *nspec, const char *data, const char *opt, int batch, const char *want)
{
    netlab_desc d = desc_of(nspec, data, opt, batch, 0);
    netlab lab;
    char err[400] = "";
    int rc = netlab_create(&lab, &d, err, sizeof err);
    CHECK(rc == -1 && strstr(err, want), "%s %s %s: got '%s', want '%s'", nspec, data, opt, err, want);
    if (rc == 0) netlab_free(&lab);
}

static void test_refusals(void)
{
    refuse("mlp:2,x", "moons", "", 0, "net 'mlp:2,x': column 7");
    refuse("mlp:2,4,1,loss=bce", "moons:n=-3", "", 0, "data: ");
    refuse("mlp:2,4,1,loss=bce", "sine", "", 0, "data: sine");
    refuse("mlp:1,4,1,loss=bce", "sine", "", 0, "loss=bce");
    refuse("mlp:2,4,1,loss=bce", "moons", "adam:lr=x", 0, "optimizer: ");
    refuse("mlp:2,4,1,loss=bce", "moons", "newton", 0, "optimizer: newton");
    refuse("mlp:2,4,1,bn=before,loss=bce", "moons:n=101,split=0", "", 10, "batch: 10");
}

/* net train --out: the lab's figure as a PNG (exit 1 only where no GL can be
   had: skipped), and its refusals */
static void test_figure(void)
{
    char args[600], path[200];
    snprintf(path, sizeof path, "/tmp/test_netlab_%ld.png", (long)getpid());
    remove(path);
    snprintf(args, sizeof args, "net train --net mlp:2,6,1,act=tanh,loss=bce --data moons:n=40 --steps 20 --size 400x300 --out %s", path);
    static double none[1][12];
    int n = cli_rows(args, none, 1);
    FILE *f = fopen(path, "rb");
    unsigned char sig[8] = {0};
    size_t got = f ? fread(sig, 1, 8, f) : 0;
    if (f) fclose(f);
    CHECK(n == 0 ? got == 8 && sig[1] == 'P' && sig[2] == 'N' && sig[3] == 'G' : 1, "%s: no PNG", args);
    if (n < 0) printf("  figure: no GL here (skipped)\n");
    remove(path);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "'%s' net train --net mlp:2,6,1 --data x.csv --out %s 2>/dev/null", bin, path);
    int st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2, "--out with a CSV file: status %d", st);
    snprintf(cmd, sizeof cmd, "'%s' net train --net mlp:2,6,1 --data moons --dir sideways --out %s 2>/dev/null", bin, path);
    st = system(cmd);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2, "--out with --dir sideways: status %d", st);
}

/* The window with --net, headless, --frames 24 --print-state: its net_row lines are
   net train's rows for the same settings (one update a frame at speed 60: 24 frames,
   rows 0..24). Exit 1 (no GL here): skipped. */
static void test_window(void)
{
    const char *set = "--net mlp:2,8,8,1,act=relu,bn=before,loss=bce --data circle:n=120,seed=4 "
                      "--optimizer sgd:lr=0.05,momentum=0.9 --batch 20 --seed 3";
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=offscreen '%s' %s --speed 60 --frames 24 --size 640x480 --print-state", bin, set);
    FILE *f = popen(cmd, "r");
    static char win[64][400];
    int n = 0;
    char line[600];
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "net_row ", 8) == 0 && n < 64) snprintf(win[n++], sizeof win[0], "%s", line + 8);
    int st = f ? pclose(f) : -1;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 1) {
        printf("  window: no GL here (skipped)\n");
        return;
    }
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the window: status %d", st);
    snprintf(cmd, sizeof cmd, "'%s' net train %s --steps 24", bin, set);
    f = popen(cmd, "r");
    int k = -1, bad = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (k >= 0 && (k >= n || strcmp(line, win[k]) != 0) && bad < 0) bad = k;
        k++;
    }
    if (f) pclose(f);
    CHECK(n == 25 && k == 25 && bad < 0, "the window printed %d rows, net train %d; row %d differs", n, k, bad);
    printf("  window --print-state: %d rows as net train prints them\n", n);
}

/* The seeds' scatter with a manual worker in 20 us slices (as in the browser: each
 * seed's training, its Hessian's columns and its eigenvalues in pieces) is net
 * spectrum --seeds', seed for seed and digit for digit. */
static void test_seeds_manual(void)
{
    const char *nspec = "mlp:2,6,6,1,act=tanh,loss=bce", *data = "moons:n=50,seed=2", *opt = "adam:lr=0.03";
    static double want[8][12];
    char args[1024], err[400];
    snprintf(args, sizeof args, "net spectrum --net %s --data %s --optimizer %s --seed 5 --seeds 4 --steps 150 "
             "--gtol 0.002", nspec, data, opt);
    int n = cli_rows(args, want, 8);
    CHECK(n == 4, "%s: %d rows", args, n);
    netlab_desc d = desc_of(nspec, data, opt, 0, 5);
    netseeds *sd = netseeds_start(&d, 4, 150, 0.002, 1, err, sizeof err);
    CHECK(sd != NULL, "%s", err);
    if (!sd) return;
    int got = 0, total = 0;
    long pumps = 0;
    const netseed_pt *pt = NULL;
    while (got < 4 && pumps < 2000000) {
        worker_pump_all(os_now() + 2e-5);
        pumps++;
        netseeds_poll(sd);
        pt = netseeds_points(sd, &got, &total);
    }
    CHECK(got == 4 && total == 4 && pumps > 40, "4 seeds in %ld slices", pumps);
    for (int i = 0; i < got && i < n; i++)
        CHECK(pt[i].seed == (long)want[i][0] && pt[i].train_loss == want[i][1] && pt[i].grad_norm == want[i][2] &&
                  pt[i].sum.min_ratio == want[i][3] && pt[i].sum.npos == (int)want[i][4] &&
                  pt[i].sum.nneg == (int)want[i][5] && pt[i].sum.nzero == (int)want[i][6],
              "seed %ld: loss %.17g grad %.17g ratio %.17g (%d/%d/%d), net spectrum %.17g %.17g %.17g", pt[i].seed,
              pt[i].train_loss, pt[i].grad_norm, pt[i].sum.min_ratio, pt[i].sum.npos, pt[i].sum.nneg, pt[i].sum.nzero,
              want[i][1], want[i][2], want[i][3]);
    netseeds_free(sd);
    printf("  the seeds' scatter in %ld slices of 20 us: net spectrum --seeds' rows\n", pumps);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_netlab OPTISCAPE\n");
        return 2;
    }
    bin = argv[1];
    printf("rows against net train:\n");
    test_rows("mlp:2,8,1,act=tanh,loss=bce", "moons:n=60,seed=1", "adam:lr=0.02", 0, 3, 40);
    test_rows("mlp:2,6,6,1,act=relu,bn=after,loss=bce", "circle:n=80,seed=2", "sgd:lr=0.1,momentum=0.9", 16, 1, 50);
    test_rows("mlp:1,10,1,act=tanh,loss=mse", "sine:n=50,seed=3", "rmsprop:lr=0.01", 7, 0, 30);
    printf("slices against net slice:\n");
    test_slice("random", NETLAB_PLANE_RANDOM, 0, 9);
    test_slice("pca", NETLAB_PLANE_PCA, 0, 9);
    test_slice("hessian", NETLAB_PLANE_HESSIAN, 0, 5);
    test_slice("hessian-low", NETLAB_PLANE_HESSIAN_LOW, 0, 5);
    test_slice("random", NETLAB_PLANE_RANDOM, 1, 41);
    test_by_hand();
    test_spectrum();
    test_seeds_manual();
    test_refusals();
    test_figure();
    test_window();
    return check_done("test_netlab");
}
