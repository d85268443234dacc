/* test_netplane: a network's loss on a plane as a landscape (--landscape
 * plane:file=PLANE). Plane files are written here by hand from closed forms; the
 * loss, gradient and Hessian on the plane are compared with PyTorch 1.13
 * (tests/netplane_ref.h, tools/netplane_ref.py) through every evaluation a
 * consumer makes (value, row, gradient block, jet), the field with 1 and 4 threads,
 * a runner's first update, the critical points of a linear two-layer network whose
 * loss on the plane is m (w1 w2 - 1)^2 (a saddle at 0 with Hessian [0 -2m; -2m 0]:
 * eigenvalue -2m along (1, 1), 2m along (1, -1); minima along w1 w2 = 1), bad plane files (FILE:LINE), and with the
 * optiscape binary (argv[1]): net slice --plane-out read back, critical, trace and
 * render on a plane, and a bad file refused with exit 2 and one line. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "core/crit.h"
#include "core/field.h"
#include "core/landscape.h"
#include "core/sim.h"
#include "core/swarm.h"
#include "netplane_ref.h"

static char dir[64];
static const char *bin;
static char out[1 << 18], errbuf[4096];

static void data_of(int ci, int i, double x[2], double *t)
{
    x[0] = sin(1.3 * i + 0.1);
    x[1] = cos(0.7 * i);
    const char *s = netplane_spec[ci];
    if (strstr(s, "loss=bce")) *t = x[0] * x[1] > 0 ? 1 : 0;
    else if (strstr(s, "loss=ce")) *t = i % 3;
    else *t = x[0] - 0.5 * x[1] * x[1];
}

/* The plane file of case ci, by hand: the data as a CSV file beside it. */
static void write_case(int ci, const char *path)
{
    char csv[128];
    snprintf(csv, sizeof csv, "%s/case%d.csv", dir, ci);
    FILE *f = fopen(csv, "w");
    for (int i = 0; i < netplane_n[ci]; i++) {
        double x[2], t;
        data_of(ci, i, x, &t);
        fprintf(f, "%.17g,%.17g,%.17g\n", x[0], x[1], t);
    }
    fclose(f);
    f = fopen(path, "w");
    fprintf(f, "optiscape-plane 1\n# by hand\nnet %s\ndata-file %s\nrange 1.5\nstart 0.3 -0.2\nparams %d\n",
            netplane_spec[ci], csv, netplane_np[ci]);
    for (int k = 0; k < netplane_np[ci]; k++)
        fprintf(f, "%.17g,%.17g,%.17g\n", 0.4 * sin(0.7 * k + 0.2), cos(1.1 * k), sin(0.37 * k + 1));
    fclose(f);
}

static void test_against_torch(void)
{
    for (int ci = 0; ci < NETPLANE_NCASES; ci++) {
        char path[128], spec[160], err[512];
        snprintf(path, sizeof path, "%s/case%d.plane", dir, ci);
        write_case(ci, path);
        snprintf(spec, sizeof spec, "plane:file=%s", path);
        landscape ls;
        int rc = landscape_load(&ls, spec, err, sizeof err);
        CHECK(rc == 0, "%s: %s", spec, err);
        if (rc) continue;
        CHECK(ls.f == NULL && ls.def && strcmp(ls.def->name, "plane") == 0 && strcmp(ls.label, spec) == 0,
              "a plane landscape, labelled by its spec: %s", ls.label);
        CHECK(ls.view[0] == -1.5 && ls.view[1] == 1.5 && ls.view[2] == -1.5 && ls.view[3] == 1.5 &&
                  ls.start[0] == 0.3 && ls.start[1] == -0.2,
              "view and start from the file");
        const double *ref = netplane_ref[ci];
        double px[NETPLANE_NPOINTS], py[NETPLANE_NPOINTS], v[NETPLANE_NPOINTS], gx[NETPLANE_NPOINTS],
            gy[NETPLANE_NPOINTS];
        for (int k = 0; k < NETPLANE_NPOINTS; k++) {
            px[k] = netplane_points[2 * k];
            py[k] = netplane_points[2 * k + 1];
        }
        lsfn_grad_many(&ls.fn, px, py, v, gx, gy, NETPLANE_NPOINTS);
        double ev = 0, eg = 0, eh = 0;
        for (int k = 0; k < NETPLANE_NPOINTS; k++) {
            const double *r = ref + 6 * k;
            double gs = fmax(fabs(r[1]), fabs(r[2])), hs = fmax(fabs(r[3]), fmax(fabs(r[4]), fabs(r[5])));
            jet2 j = lsfn_jet(&ls.fn, px[k], py[k]);
            double row[3];
            lsfn_row(&ls.fn, px[k] - 0.25, 0.25, py[k], row, 3);
            ev = fmax(ev, fabs(lsfn_value(&ls.fn, px[k], py[k]) - r[0]) / fabs(r[0]));
            ev = fmax(ev, fabs(v[k] - r[0]) / fabs(r[0]));
            ev = fmax(ev, fabs(j.v - r[0]) / fabs(r[0]));
            ev = fmax(ev, fabs(row[1] - r[0]) / fabs(r[0]));
            eg = fmax(eg, fmax(fabs(gx[k] - r[1]), fabs(gy[k] - r[2])) / gs);
            eg = fmax(eg, fmax(fabs(j.gx - r[1]), fabs(j.gy - r[2])) / gs);
            eh = fmax(eh, fmax(fabs(j.hxx - r[3]), fmax(fabs(j.hxy - r[4]), fabs(j.hyy - r[5]))) / hs);
            CHECK(j.v == v[k] && j.gx == gx[k] && j.gy == gy[k], "jet and gradient block agree to the bit");
        }
        CHECK(ev < 1e-13 && eg < 1e-12 && eh < 1e-11, "%s: loss off by %.3g, gradient %.3g, Hessian %.3g",
              netplane_spec[ci], ev, eg, eh);
        printf("  %s on a plane: loss within %.1e of torch, gradient %.1e, Hessian %.1e\n", netplane_spec[ci], ev,
               eg, eh);

        /* the field: the same bits with 1 and 4 threads, each sample the value there */
        enum { W = 9, H = 7 };
        float f1[W * H], f4[W * H];
        field_compute_fn(&ls.fn, ls.view, W, H, f1, 1);
        field_compute_fn(&ls.fn, ls.view, W, H, f4, 4);
        CHECK(memcmp(f1, f4, sizeof f1) == 0, "field: 1 and 4 threads give the same bits");
        int same = 1;
        for (int j = 0; j < H; j++)
            for (int i = 0; i < W; i++)
                same &= f1[j * W + i] ==
                        (float)lsfn_value(&ls.fn, field_x(ls.view, W, i), field_y(ls.view, H, j));
        CHECK(same, "field: every sample is the loss at its pixel centre");

        /* a runner on the plane: its first SGD update is start - lr g(start), g torch's */
        runner_desc d = {.opt = optim_defaults(OPTIM_SGD), .sched = sched_defaults(SCHED_CONSTANT),
                         .start = {0.3, -0.2}, .trail_cap = 4};
        d.opt.lr = 0.1;
        runner r;
        CHECK(runner_init_fn(&r, &d, &ls.fn) == 0, "runner");
        CHECK(fabs(r.j.v - ref[6]) <= 1e-13 * fabs(ref[6]), "runner's loss at the start: %.17g vs %.17g", r.j.v,
              ref[6]);
        runner_step_fn(&r, &ls.fn);
        CHECK(fabs(r.p[0] - (0.3 - 0.1 * ref[7])) < 1e-14 && fabs(r.p[1] - (-0.2 - 0.1 * ref[8])) < 1e-14,
              "one SGD step on the plane: (%.17g, %.17g)", r.p[0], r.p[1]);
        runner_free(&r);

        /* a swarm: the same bits with 1 and 3 threads */
        double x0[300], y0[300];
        for (int i = 0; i < 300; i++) {
            x0[i] = -1 + 2.0 * i / 299;
            y0[i] = 0.5 * sin(i);
        }
        swarm s1, s3;
        optim_desc adam = optim_defaults(OPTIM_ADAM);
        swarm_init(&s1, &adam, &d.sched, x0, y0, 300, 0, 1);
        swarm_init(&s3, &adam, &d.sched, x0, y0, 300, 0, 1);
        swarm_step_fn(&s1, &ls.fn, 2, 1);
        swarm_step_fn(&s3, &ls.fn, 2, 3);
        CHECK(memcmp(s1.x, s3.x, 300 * sizeof *s1.x) == 0 && memcmp(s1.y, s3.y, 300 * sizeof *s1.y) == 0,
              "swarm: 1 and 3 threads give the same bits");
        swarm_free(&s1);
        swarm_free(&s3);
        landscape_free(&ls);
        CHECK(ls.plane == NULL && !lsfn_ok(&ls.fn), "free clears the plane");
    }
}

/* mlp:1,1,1,act=linear: p = (w1, b1, w2, b2); on the plane of w1 and w2 with the
 * biases 0 and targets t = x the loss is mean((w2 w1 x - x)^2) = m (w1 w2 - 1)^2. */
static const double lin_x[5] = {-1, 0.5, 2, 3, -1.5};

static void write_linear(const char *path)
{
    char csv[128];
    snprintf(csv, sizeof csv, "%s/linear.csv", dir);
    FILE *f = fopen(csv, "w");
    for (int i = 0; i < 5; i++) fprintf(f, "%.17g,%.17g\n", lin_x[i], lin_x[i]);
    fclose(f);
    f = fopen(path, "w");
    fprintf(f, "optiscape-plane 1\nnet mlp:1,1,1,act=linear,loss=mse\ndata-file %s\nrange 2\nstart -1.5 1\n"
               "params 4\n0,1,0\n0,0,0\n0,0,1\n0,0,0\n", csv);
    fclose(f);
}

static void test_critical(void)
{
    char path[128], spec[160], err[512];
    snprintf(path, sizeof path, "%s/linear.plane", dir);
    write_linear(path);
    snprintf(spec, sizeof spec, "plane:file=%s", path);
    landscape ls;
    CHECK(landscape_load(&ls, spec, err, sizeof err) == 0, "%s", err);
    double m = 0;
    for (int i = 0; i < 5; i++) m += lin_x[i] * lin_x[i] / 5;
    CHECK_NEAR(lsfn_value(&ls.fn, 0.5, 3), m * 0.25, 1e-14, 0, "m (w1 w2 - 1)^2 at (0.5, 3)");
    crit_point pts[64];
    int n = crit_find_fn(&ls.fn, ls.view, NULL, pts, 64, err, sizeof err);
    CHECK(n > 1, "critical points: %d (%s)", n, n < 0 ? err : "");
    int saddles = 0, on_curve = 1;
    for (int k = 0; k < n; k++) {
        const crit_point *p = &pts[k];
        if (p->kind == CRIT_SADDLE) {
            saddles++;
            CHECK(fabs(p->x) < 1e-9 && fabs(p->y) < 1e-9, "the saddle at the origin: (%g, %g)", p->x, p->y);
            CHECK_NEAR(p->l1, -2 * m, 1e-9, 0, "saddle's eigenvalue along (1, 1): down into the valley");
            CHECK_NEAR(p->l2, 2 * m, 1e-9, 0, "saddle's eigenvalue along (1, -1)");
            CHECK(fabs(fabs(p->v1[0]) - M_SQRT1_2) < 1e-9 && p->v1[0] * p->v1[1] > 0, "v1 along (1, 1)");
        } else {
            on_curve &= fabs(p->x * p->y - 1) < 1e-5 && p->kind != CRIT_MAX;
        }
    }
    CHECK(saddles == 1, "one saddle, found %d", saddles);
    CHECK(on_curve, "every other critical point lies on the valley w1 w2 = 1 and is no maximum");
    printf("  linear network's plane: %d critical points, the saddle at 0 with -2m, 2m (m = %.4g)\n", n, m);
    landscape_free(&ls);
}

static void bad(const char *name, const char *text, const char *want)
{
    char path[128], spec[160], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    snprintf(spec, sizeof spec, "plane:file=%s", path);
    landscape ls;
    char w[300];
    snprintf(w, sizeof w, "%s%s", path, want);
    CHECK(landscape_load(&ls, spec, err, sizeof err) == -1, "%s refused", name);
    CHECK_STR_CONTAINS(err, w, "%s", name);
    CHECK(strchr(err, '\n') == NULL, "one line");
}

static void test_bad_files(void)
{
    char csv[128], head[400];
    snprintf(csv, sizeof csv, "%s/linear.csv", dir);
    snprintf(head, sizeof head, "optiscape-plane 1\nnet mlp:1,1,1,act=linear,loss=mse\ndata-file %s\n", csv);
    char t[1200];
    bad("b1.plane", "optiscape-plane 2\n", ":1: not a plane file");
    snprintf(t, sizeof t, "%srange -1\nstart 0 0\nparams 4\n0,1,0\n0,0,0\n0,0,1\n0,0,0\n", head);
    bad("b2.plane", t, ":4: range");
    snprintf(t, sizeof t, "%srange 1\nstart 0 0\nparams 4\n0,1,0\n0,0x1,0\n0,0,1\n0,0,0\n", head);
    bad("b3.plane", t, ":8: expected c,d1,d2");
    snprintf(t, sizeof t, "%srange 1\nstart 0 0\nparams 5\n0,1,0\n0,0,0\n0,0,1\n0,0,0\n1,1,1\n", head);
    bad("b4.plane", t, ":6: params: 5, the network has 4");
    snprintf(t, sizeof t, "%srange 1\nstart 0 0\nparams 4\n0,1,0\n0,0,0\n0,0,1\n", head);
    bad("b5.plane", t, ":9: 3 parameter lines of 4");
    snprintf(t, sizeof t, "optiscape-plane 1\nnet mlp:1,1,act=wavy\ndata-file %s\nrange 1\nstart 0 0\nparams 2\n0,1,0\n0,0,1\n",
             csv);
    bad("b6.plane", t, ":2: net:");
    snprintf(t, sizeof t, "optiscape-plane 1\nnet mlp:2,1\ndata-file %s\nrange 1\nstart 0 0\nparams 3\n0,1,0\n0,0,0\n0,0,1\n",
             csv);
    bad("b7.plane", t, ":3: data: 5 samples of 1 inputs, the network takes 2");
    snprintf(t, sizeof t, "%srange 1\nwhat 3\n", head);
    bad("b8.plane", t, ":5: unknown line");
    landscape ls;
    char err[300];
    CHECK(landscape_load(&ls, "plane:file=/nonexistent/x.plane", err, sizeof err) == -1 &&
              strstr(err, "/nonexistent/x.plane"),
          "a missing file: %s", err);
    CHECK(landscape_load(&ls, "plane:path=x", err, sizeof err) == -1 && strstr(err, "plane:file=PLANE"),
          "plane needs file=: %s", err);
}

/* ---- the command line ---- */

static int run(const char *args)
{
    char cmd[4096], of[128], ef[128];
    snprintf(of, sizeof of, "%s/stdout", dir);
    snprintf(ef, sizeof ef, "%s/stderr", dir);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >%s 2>%s", dir, bin, args, of, ef);
    int st = system(cmd);
    FILE *f = fopen(of, "r");
    size_t n = f ? fread(out, 1, sizeof out - 1, f) : 0;
    out[n] = '\0';
    if (f) fclose(f);
    f = fopen(ef, "r");
    n = f ? fread(errbuf, 1, sizeof errbuf - 1, f) : 0;
    errbuf[n] = '\0';
    if (f) fclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli(void)
{
    /* net slice --plane-out: the file reads back as the same plane (grid point by
     * grid point the landscape gives net slice's own numbers, to rounding: the grid
     * forms its points as its own loop does) */
    CHECK(run("net slice --net mlp:2,6,1,act=tanh,loss=bce --data moons:n=40,seed=3 --steps 30 "
              "--optimizer adam:lr=0.05 --dir pca --grid 3 --range 0.8 --plane-out s.plane") == 0,
          "net slice --plane-out: %s", errbuf);
    static char grid[sizeof out];
    memcpy(grid, out, sizeof out);
    char spec[160], err[512];
    snprintf(spec, sizeof spec, "plane:file=%s/s.plane", dir);
    landscape ls;
    if (landscape_load(&ls, spec, err, sizeof err) != 0) {
        CHECK(0, "%s", err);
        return;
    }
    const char *s = strchr(grid, '\n');
    int k = 0;
    double e = 0;
    for (; s && s[1]; k++) {
        int i, j;
        double a, b, l;
        if (sscanf(s + 1, "%d,%d,%lf,%lf,%lf", &i, &j, &a, &b, &l) != 5) break;
        e = fmax(e, fabs(lsfn_value(&ls.fn, a, b) - l) / fabs(l));
        s = strchr(s + 1, '\n');
    }
    CHECK(k == 9 && e < 1e-14, "the plane file gives net slice's grid: %d points, off by %.3g", k, e);
    CHECK(ls.view[1] == 0.8, "range 0.8 read back");
    CHECK(run("net slice --net mlp:2,6,1,act=tanh,loss=bce --data moons:n=40,seed=3 --plane-out s.plane") == 2 &&
              strstr(errbuf, "--force") && !out[0],
          "an existing plane file is kept: %s", errbuf);

    /* trace on the plane: row 0 is the loss and gradient at the start */
    char args[512];
    snprintf(args, sizeof args, "trace --landscape plane:file=%s/s.plane --optimizer sgd:lr=0.5 --steps 2", dir);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    s = strchr(out, '\n');
    long st;
    double x, y, l, gx, gy;
    CHECK(s && sscanf(s + 1, "%ld,%lf,%lf,%lf,%lf,%lf", &st, &x, &y, &l, &gx, &gy) == 6, "trace row 0: %s", out);
    jet2 j = lsfn_jet(&ls.fn, x, y);
    CHECK(st == 0 && x == ls.start[0] && y == ls.start[1] && l == j.v && gx == j.gx && gy == j.gy,
          "trace starts at the plane's start with its loss and gradient");
    landscape_free(&ls);

    /* critical on the linear network's plane */
    snprintf(args, sizeof args, "critical --landscape plane:file=%s/linear.plane", dir);
    CHECK(run(args) == 0 && strstr(out, "saddle,"), "%s: %s", args, errbuf);
    const char *sd = strstr(out, "saddle,");
    double sx = 1, sy = 1, fl = 0, l1 = 0, l2 = 0, m = 0;
    for (int i = 0; i < 5; i++) m += lin_x[i] * lin_x[i] / 5;
    CHECK(sd && sscanf(sd, "saddle,%lf,%lf,%lf,%lf,%lf", &sx, &sy, &fl, &l1, &l2) == 5 && fabs(sx) < 1e-9 &&
              fabs(sy) < 1e-9 && fabs(fl - m) < 1e-12 && fabs(l1 + 2 * m) < 1e-9 && fabs(l2 - 2 * m) < 1e-9,
          "critical: the saddle (%g, %g) f %g, eigenvalues %g %g", sx, sy, fl, l1, l2);

    /* render: a PNG of the plane */
    snprintf(args, sizeof args, "render --landscape plane:file=%s/s.plane --optimizer adam:lr=0.05 --steps 40 "
                                "--size 1024x768 --out plane.png", dir);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    char png[128];
    snprintf(png, sizeof png, "%s/plane.png", dir);
    FILE *f = fopen(png, "rb");
    unsigned char sig[8] = {0};
    CHECK(f && fread(sig, 1, 8, f) == 8 && memcmp(sig, "\x89PNG", 4) == 0, "render wrote a PNG");
    if (f) fclose(f);

    /* a bad plane file on the command line: exit 2, one line with FILE:LINE, no stdout */
    snprintf(args, sizeof args, "critical --landscape plane:file=%s/b2.plane", dir);
    CHECK(run(args) == 2 && !out[0] && strstr(errbuf, "b2.plane:4: range") && strchr(errbuf, '\n') &&
              strchr(errbuf, '\n')[1] == '\0',
          "bad file refused: %s", errbuf);
}

#ifndef SOURCE_DIR
#define SOURCE_DIR "."
#endif

/* The planes of presets 35 and 36 (tools/make-bn-planes.sh): one hidden unit's two
 * input weights w = (a, b), the plane's origin being w = 0. With BN before the
 * activation the unit's output is (w.x - mean) / sqrt(var + eps) over the batch, and
 * var grows as |w|^2, so for |w|^2 var >> eps the output, hence the loss, is the same
 * at w and c w (c > 0): constant along rays from the origin, and its gradient is
 * orthogonal to w. Without BN the loss is a quadratic in w (a linear network, mse):
 * not constant along rays. */
static void test_bn_rays(void)
{
    const char *names[2] = {"36-bn-on", "35-bn-off"};
    for (int bn = 1; bn >= 0; bn--) {
        char spec[4200], err[512];
        snprintf(spec, sizeof spec, "plane:file=%s/assets/scenes/%s.plane", SOURCE_DIR, names[1 - bn]);
        landscape ls;
        if (landscape_load(&ls, spec, err, sizeof err) != 0) {
            CHECK(0, "%s", err);
            continue;
        }
        double worst = 0, worst_dot = 0;
        for (int k = 0; k < 36; k++) {
            double t = k * M_PI / 18, ux = cos(t), uy = sin(t);
            double f1 = lsfn_value(&ls.fn, ux, uy);
            const double radii[] = {0.5, 2, 4};
            for (int i = 0; i < 3; i++) {
                double fr = lsfn_value(&ls.fn, radii[i] * ux, radii[i] * uy);
                double rel = fabs(fr - f1) / f1;
                if (rel > worst) worst = rel;
            }
            jet2 j = lsfn_jet(&ls.fn, ux, uy);
            double dot = fabs(j.gx * ux + j.gy * uy) / hypot(j.gx, j.gy);
            if (dot > worst_dot) worst_dot = dot;
        }
        if (bn) {
            CHECK(worst < 3e-4, "%s: the loss along rays (r 0.5 to 4) changes by %.3g of itself, want < 3e-4",
                  names[0], worst);
            CHECK(worst_dot < 3e-4, "%s: the gradient's radial share %.3g, want < 3e-4 (orthogonal to w)",
                  names[0], worst_dot);
        } else {
            CHECK(worst > 1, "%s: the loss along rays changes by only %.3g of itself, want > 1", names[1], worst);
            CHECK(worst_dot > 0.5, "%s: the gradient's radial share %.3g, want > 0.5", names[1], worst_dot);
        }
        printf("  %s: loss along rays from the origin: largest relative change %.3g, radial gradient share %.3g\n",
               names[1 - bn], worst, worst_dot);
        landscape_free(&ls);
    }
}

int main(int argc, char **argv)
{
    snprintf(dir, sizeof dir, "/tmp/test_netplane.XXXXXX");
    if (!mkdtemp(dir)) return 1;
    printf("plane landscapes against torch:\n");
    test_against_torch();
    test_critical();
    test_bad_files();
    test_bn_rays();
    if (argc > 1) {
        static char abs[4096];
        bin = realpath(argv[1], abs) ? abs : argv[1];
        printf("the command line:\n");
        test_cli();
    }
    if (!getenv("KEEP")) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) return 1;
    } else {
        printf("files kept in %s\n", dir);
    }
    printf("%d checks, %d failed\n", check_count, check_failures);
    return check_failures ? 1 : 0;
}
