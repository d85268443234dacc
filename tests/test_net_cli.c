/* test_net_cli: `optiscape net` as a user runs it, against PyTorch 1.13
 * (tests/net_ref.h): every training case of tools/net_ref.py written out as CSV
 * data and a state_dict file, trained by `net train --init ... --save ...`, each row
 * and the saved parameters compared; the spectrum and a slice of a reference net;
 * then bad input: exit 2, one line naming FILE:LINE, nothing on stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "net_ref.h"

static const char *bin;
static char dir[64];
static char out[1 << 20], errbuf[4096];

/* Run `bin args`; stdout into out, stderr into errbuf; the exit status. */
static int run(const char *args)
{
    char cmd[4096], of[128], ef[128];
    snprintf(of, sizeof of, "%s/stdout", dir);
    snprintf(ef, sizeof ef, "%s/stderr", dir);
    snprintf(cmd, sizeof cmd, "'%s' %s >%s 2>%s", bin, args, of, ef);
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

static void write_csv(const char *path, const double *x, const double *t, int n, int d)
{
    FILE *f = fopen(path, "w");
    for (int i = 0; i < n; i++) {
        for (int c = 0; c < d; c++) fprintf(f, "%.17g,", x[(size_t)i * (size_t)d + (size_t)c]);
        fprintf(f, "%.17g\n", t[i]);
    }
    fclose(f);
}

static void write_vec(const char *path, const double *v, int n)
{
    FILE *f = fopen(path, "w");
    for (int i = 0; i < n; i++) fprintf(f, "%.17g\n", v[i]);
    fclose(f);
}

static int read_vec(const char *path, double *v, int cap)
{
    FILE *f = fopen(path, "r");
    int n = 0;
    if (!f) return -1;
    while (n < cap && fscanf(f, "%lf", &v[n]) == 1) n++;
    fclose(f);
    return n;
}

static double rel(double a, double b)
{
    return fabs(a - b) / fmax(fabs(b), 1e-300);
}

static int input_width(const char *spec)
{
    return atoi(spec + 4);
}

static void test_train_case(const net_ref_train *tc)
{
    char tr[128], te[128], init[128], save[128], args[2048];
    int d = input_width(tc->net), bnb = strstr(tc->net, "bn=before") != NULL;
    snprintf(tr, sizeof tr, "%s/train.csv", dir);
    snprintf(te, sizeof te, "%s/test.csv", dir);
    snprintf(init, sizeof init, "%s/init.txt", dir);
    snprintf(save, sizeof save, "%s/final.txt", dir);
    remove(save);
    write_csv(tr, tc->x, tc->t, tc->ntrain, d);
    write_csv(te, tc->x + (size_t)tc->ntrain * (size_t)d, tc->t + tc->ntrain, tc->ntest, d);
    write_vec(init, tc->state0, tc->nstate);
    char batch[32] = "";
    if (tc->batch) snprintf(batch, sizeof batch, "--batch %d", tc->batch);
    snprintf(args, sizeof args,
             "net train --net %s --data %s --test %s --optimizer %s --schedule %s %s --shuffle 0 --steps %d "
             "--init %s --save %s", tc->net, tr, te, tc->opt, tc->sched, batch, tc->steps, init, save);
    int rc = run(args);
    CHECK(rc == 0, "%s: exit %d: %s", args, rc, errbuf);
    CHECK(strncmp(out, "step,train_loss,test_loss,train_acc,test_acc,grad_norm,lr\n", 58) == 0, "header");
    const char *s = strchr(out, '\n');
    double worst = 0;
    int rows = 0;
    while (s && s[1]) {
        long k;
        double v[6];
        char acc1[40], acc2[40];
        /* accuracies may be empty (mse): read them as text */
        if (sscanf(s + 1, "%ld,%lf,%lf,%39[^,],%39[^,],%lf,%lf", &k, &v[0], &v[1], acc1, acc2, &v[4], &v[5]) != 7 &&
            sscanf(s + 1, "%ld,%lf,%lf,,,%lf,%lf", &k, &v[0], &v[1], &v[4], &v[5]) != 5)
            break;
        const double *e = tc->rows + 4 * k;
        worst = fmax(worst, fmax(fmax(rel(v[0], e[0]), rel(v[1], e[1])), fmax(rel(v[4], e[2]), rel(v[5], e[3]))));
        rows++;
        s = strchr(s + 1, '\n');
    }
    CHECK(rows == tc->steps + 1, "%s: %d rows", tc->net, rows);
    CHECK(worst < (bnb ? 1e-8 : 1e-10), "%s %s: rows off by %.3g relative", tc->net, tc->opt, worst);
    double fin[4096];
    int n = read_vec(save, fin, 4096);
    CHECK(n == tc->nstate, "%s: saved %d numbers", tc->net, n);
    double fe = 0;
    for (int i = 0; i < n && i < tc->nstate; i++) fe = fmax(fe, fabs(fin[i] - tc->final[i]) / fmax(fabs(tc->final[i]), 1e-3));
    /* bn=before: the pre-BN biases follow rounding noise (see test_net) */
    CHECK(fe < (bnb ? 1e-6 : 1e-10), "%s %s: saved state off by %.3g", tc->net, tc->opt, fe);
    printf("  %-40s %-36s rows %.1e, saved state %.1e\n", tc->net, tc->opt, worst, fe);
}

static void test_spectrum_and_slice(void)
{
    const net_ref_case *rc = &net_ref_cases[3];
    char data[128], init[128], args[1024];
    int d = input_width(rc->spec);
    snprintf(data, sizeof data, "%s/case.csv", dir);
    snprintf(init, sizeof init, "%s/case.txt", dir);
    write_csv(data, rc->x, rc->t, rc->n, d);
    write_vec(init, rc->state0, rc->nstate);
    snprintf(args, sizeof args, "net spectrum --net %s --data %s --init %s", rc->spec, data, init);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    double lam = fmax(fabs(rc->eig[0]), fabs(rc->eig[rc->np - 1])), e = 0;
    int n = 0;
    for (char *s = out; *s && n < rc->np; n++) {
        e = fmax(e, fabs(strtod(s, &s) - rc->eig[n]) / lam);
        while (*s == '\n') s++;
    }
    CHECK(n == rc->np && e < 1e-10, "spectrum: %d eigenvalues, off by %.3g of the largest", n, e);
    CHECK_STR_CONTAINS(errbuf, "minimum ratio", "the summary on stderr");
    printf("  spectrum of %s: within %.1e of the largest eigenvalue\n", rc->spec, e);

    snprintf(args, sizeof args, "net slice --net %s --data %s --init %s --dir params:2,40 --grid 3 --range 0.5",
             rc->spec, data, init);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    const char *s = strchr(out, '\n');
    double se = 0;
    int k = 0;
    for (; s && s[1] && k < 9; k++) {
        int i, j;
        double a, b, l;
        if (sscanf(s + 1, "%d,%d,%lf,%lf,%lf", &i, &j, &a, &b, &l) != 5) break;
        se = fmax(se, rel(l, slice_nc3[j * 3 + i]));
        CHECK(a == -0.5 + 0.5 * i && b == -0.5 + 0.5 * j, "plane point (%g, %g)", a, b);
        s = strchr(s + 1, '\n');
    }
    CHECK(k == 9 && se < 1e-12, "slice: %d points, off by %.3g", k, se);
    printf("  slice along parameters 2 and 40: within %.1e of torch's loss\n", se);

    /* directions from a file: d1_k = sin(k + 1), d2_k = cos(2 k), as torch had them */
    char dirs[128];
    snprintf(dirs, sizeof dirs, "%s/dirs.csv", dir);
    FILE *f = fopen(dirs, "w");
    for (int i = 0; i < rc->np; i++) fprintf(f, "%.17g,%.17g\n", sin(i + 1.0), cos(2.0 * i));
    fclose(f);
    snprintf(args, sizeof args, "net slice --net %s --data %s --init %s --dir file:%s --grid 3 --range 0.3",
             rc->spec, data, init, dirs);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    s = strchr(out, '\n');
    se = 0;
    for (k = 0; s && s[1] && k < 9; k++) {
        int i, j;
        double a, b, l;
        if (sscanf(s + 1, "%d,%d,%lf,%lf,%lf", &i, &j, &a, &b, &l) != 5) break;
        se = fmax(se, rel(l, slice_nc3_dirs[j * 3 + i]));
        s = strchr(s + 1, '\n');
    }
    CHECK(k == 9 && se < 1e-12, "slice along file directions: %d points, off by %.3g", k, se);
    printf("  slice along directions from a file: within %.1e of torch's loss\n", se);
}

static void expect_refusal(const char *args, const char *want);

/* --timing: epochs and the device model's seconds by hand; shuffles reproducible */
static void test_timing_and_shuffle(void)
{
    const net_ref_train *tc = &net_ref_trains[1];    /* 20 training samples */
    char tr[128], args[1024];
    int d = input_width(tc->net);
    snprintf(tr, sizeof tr, "%s/timing.csv", dir);
    write_csv(tr, tc->x, tc->t, tc->ntrain, d);
    snprintf(args, sizeof args, "net train --net %s --data %s --batch 6 --steps 5 --timing 4,0.5", tc->net, tr);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    CHECK_STR_CONTAINS(out, "lr,epoch,update_s,device_s\n", "timing header");
    /* batches 6, 6, 6, 2, 6: ceil(B / 4) = 2, 2, 2, 1, 2 device units of 0.5 s */
    static const double epoch[6] = {0, 0.3, 0.6, 0.9, 1.0, 1.3}, dev[6] = {0, 1, 2, 3, 3.5, 4.5};
    const char *s = strchr(out, '\n');
    int rows = 0;
    for (; s && s[1] && rows < 6; rows++) {
        const char *c = s + 1;
        for (int k = 0; k < 7; k++) c = strchr(c, ',') + 1;
        double e, u, dv;
        CHECK(sscanf(c, "%lf,%lf,%lf", &e, &u, &dv) == 3, "row %d: %.60s", rows, c);
        CHECK(fabs(e - epoch[rows]) < 1e-12 && fabs(dv - dev[rows]) < 1e-12 && u >= 0, "row %d: epoch %g device %g",
              rows, e, dv);
        s = strchr(s + 1, '\n');
    }
    CHECK(rows == 6, "%d rows", rows);
    /* shuffled minibatches: the same seed, the same run; another seed, another */
    static char first[sizeof out];
    snprintf(args, sizeof args, "net train --net %s --data %s --batch 5 --steps 8 --seed 3", tc->net, tr);
    run(args);
    memcpy(first, out, sizeof out);
    run(args);
    CHECK(strcmp(first, out) == 0, "the same seed gives the same rows");
    snprintf(args, sizeof args, "net train --net %s --data %s --batch 5 --steps 8 --seed 3 --shuffle 0", tc->net, tr);
    run(args);
    CHECK(strcmp(first, out) != 0, "shuffled and in-order runs differ");
    printf("  --timing epochs and device seconds as computed by hand; shuffles reproducible\n");
}

/* --test-batch-stats: a BN net's test loss with the test set's own batch
 * statistics. With the training set as the test set it is the training loss of
 * the same row (both normalize the same samples by their own statistics), digit
 * for digit, while test_loss (running averages, eval mode) differs from it; with no
 * BN the column is empty. */
static void test_batch_stats_column(void)
{
    const net_ref_train *tc = &net_ref_trains[1];
    char tr[128], args[1024];
    int d = input_width(tc->net);
    snprintf(tr, sizeof tr, "%s/bnstats.csv", dir);
    write_csv(tr, tc->x, tc->t, tc->ntrain, d);
    char spec[64];
    snprintf(spec, sizeof spec, "mlp:%d,6,1,act=tanh,bn=before,loss=mse", d);
    snprintf(args, sizeof args, "net train --net %s --data %s --test %s --optimizer sgd:lr=0.1 --steps 6 "
             "--test-batch-stats", spec, tr, tr);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    CHECK_STR_CONTAINS(out, "grad_norm,lr,test_loss_batch\n", "header");
    int rows = 0, differ = 0;
    for (const char *s = strchr(out, '\n'); s && s[1]; s = strchr(s + 1, '\n'), rows++) {
        char train[64] = "", test[64] = "", last[64] = "";
        const char *c = s + 1, *e = strchr(c, '\n');
        sscanf(strchr(c, ',') + 1, "%63[^,],%63[^,]", train, test);
        const char *lc = e;
        while (lc > c && lc[-1] != ',') lc--;
        snprintf(last, sizeof last, "%.*s", (int)(e - lc), lc);
        CHECK(strcmp(train, last) == 0, "row %d: train loss %s, test loss by batch statistics %s", rows, train, last);
        differ += strcmp(test, last) != 0;
    }
    CHECK(rows == 7, "%d rows", rows);
    CHECK(differ >= 6, "the running averages' test loss differs from the batch statistics' after updates (%d rows)",
          differ);
    snprintf(spec, sizeof spec, "mlp:%d,6,1,act=tanh,loss=mse", d);
    snprintf(args, sizeof args, "net train --net %s --data %s --test %s --steps 1 --test-batch-stats", spec, tr, tr);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    const char *r1 = strchr(out, '\n');
    CHECK(r1 && strstr(r1, ",\n"), "no BN: an empty last column: %.80s", r1 ? r1 : "");
    printf("  --test-batch-stats: the training set as the test set gives its training loss\n");
}

/* --dir hessian-low at a stall: the plane of the largest and the smallest Hessian
 * eigenvalue. The loss's second difference along each axis of a small grid (h =
 * 0.01, the network's loss itself) is that eigenvalue as net spectrum --summary
 * gives it (lambda_max, lambda_min: negative, the way out of the saddle). */
static void test_hessian_low_plane(void)
{
    const char *lab = "--net mlp:2,4,4,4,1,act=tanh,loss=bce --data xor:n=200,noise=0.1 --optimizer sgd:lr=0.1 "
                      "--steps 150";
    char args[1024];
    snprintf(args, sizeof args, "net spectrum %s --summary", lab);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    double lmin = NAN, lmax = NAN;
    const char *row = strchr(out, '\n');
    CHECK(row && sscanf(row + 1, "%*f,%*f,%*d,%*d,%*d,%*f,%lf,%lf", &lmin, &lmax) == 2, "summary: %.200s", out);
    snprintf(args, sizeof args, "net slice %s --dir hessian-low --grid 5 --range 0.02", lab);
    CHECK(run(args) == 0, "%s: %s", args, errbuf);
    double L[5][5];
    int got = 0;
    for (const char *p = strchr(out, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        int i, j;
        double a, b, v;
        if (sscanf(p + 1, "%d,%d,%lf,%lf,%lf", &i, &j, &a, &b, &v) == 5 && i >= 0 && i < 5 && j >= 0 && j < 5) {
            L[j][i] = v;
            got++;
        }
    }
    CHECK(got == 25, "25 grid points: %d", got);
    if (got != 25) return;
    double h = 0.01, along_a = (L[2][1] + L[2][3] - 2 * L[2][2]) / (h * h),
           along_b = (L[1][2] + L[3][2] - 2 * L[2][2]) / (h * h);
    CHECK(lmin < 0, "a saddle: the smallest eigenvalue %g is negative", lmin);
    CHECK(fabs(along_b - lmin) < 1e-3 * fabs(lmin), "along d2 the curvature %.9g is lambda_min %.9g", along_b, lmin);
    CHECK(fabs(along_a - lmax) < 1e-3 * fabs(lmax), "along d1 the curvature %.9g is lambda_max %.9g", along_a, lmax);
    CHECK_STR_CONTAINS(errbuf, "largest and smallest eigenvalues", "the eigenvalues named on stderr");
    printf("  --dir hessian-low: the slice's curvatures are lambda_max and lambda_min (%.4g)\n", lmin);
}

/* The PNG's size from its IHDR chunk; 0 when it is not a PNG. */
static int png_size(const char *path, int *w, int *h)
{
    unsigned char b[24];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(b, 1, sizeof b, f) : 0;
    if (f) fclose(f);
    if (n < 24 || memcmp(b, "\x89PNG", 4) != 0) return 0;
    *w = (b[16] << 24) | (b[17] << 16) | (b[18] << 8) | b[19];
    *h = (b[20] << 24) | (b[21] << 16) | (b[22] << 8) | b[23];
    return 1;
}

static int png_valid(const char *path, int *w, int *h, const char *text);

static void test_figures(void)
{
    char png[128], args[1024];
    int w = 0, h = 0;
    snprintf(png, sizeof png, "%s/seeds.png", dir);
    snprintf(args, sizeof args, "net spectrum --net mlp:2,3,1,act=tanh,loss=bce --data moons:n=40 --steps 50 "
             "--optimizer adam:lr=0.05 --seeds 3 --out %s --size 640x480", png);
    int rc = run(args);
    if (rc == 1 && strstr(errbuf, "GL")) {
        printf("  figures skipped: %s", errbuf);
        return;
    }
    CHECK(rc == 0 && png_size(png, &w, &h) && w == 640 && h == 480, "seeds figure: exit %d, %dx%d: %s", rc, w, h,
          errbuf);
    expect_refusal(args, "exists");
    snprintf(png, sizeof png, "%s/slice.png", dir);
    snprintf(args, sizeof args, "net slice --net mlp:2,3,1,act=tanh,loss=bce --data moons:n=40 --steps 20 "
             "--dir pca --grid 9 --out %s", png);
    rc = run(args);
    CHECK(rc == 0 && png_size(png, &w, &h) && w == 1024 && h == 768, "slice figure: exit %d, %dx%d: %s", rc, w, h,
          errbuf);
    CHECK(out[0] == '\0', "a figure writes nothing on stdout");
    /* train --out: the lab's final losses in tEXt, the digits the CSV has */
    const char *lab = "net train --net mlp:2,4,1,act=tanh,loss=bce --data moons:n=40 --optimizer adam:lr=0.05 --steps 25";
    char want[200], *last = NULL;
    CHECK(run(lab) == 0, "%s: %s", lab, errbuf);
    for (char *p = out; (p = strchr(p, '\n')) && p[1]; p++) last = p + 1;
    char tr[40] = "", te[40] = "";
    CHECK(last && sscanf(last, "25,%39[^,],%39[^,]", tr, te) == 2, "the 25th row: %.80s", last ? last : out);
    snprintf(want, sizeof want, "step 25, train loss %s, test loss %s", tr, te);
    snprintf(png, sizeof png, "%s/lab.png", dir);
    snprintf(args, sizeof args, "%s --out %s --size 800x600", lab, png);
    rc = run(args);
    CHECK(rc == 0 && png_valid(png, &w, &h, want) && w == 800 && h == 600, "train figure: exit %d, %dx%d, '%s' in "
          "tEXt: %s", rc, w, h, want, errbuf);
    printf("  figures: the seeds' scatter, a slice's map and the lab's panels written as PNG\n");
}

static void expect_refusal(const char *args, const char *want)
{
    int rc = run(args);
    CHECK(rc == 2, "%s: exit %d", args, rc);
    CHECK(out[0] == '\0', "%s: stdout not empty: %.80s", args, out);
    CHECK(strchr(errbuf, '\n') == errbuf + strlen(errbuf) - 1, "%s: not one line: %s", args, errbuf);
    CHECK_STR_CONTAINS(errbuf, want, "%s", args);
}

static void test_refusals(void)
{
    char f[128], g[400], args[1024];
    snprintf(f, sizeof f, "%s/bad.csv", dir);
    FILE *fp = fopen(f, "w");
    fputs("0.5,1,0\n1.5,2,1\n\n2,x,1\n", fp);
    fclose(fp);
    snprintf(args, sizeof args, "net train --net mlp:2,4,1,loss=bce --data %s", f);
    snprintf(g, sizeof g, "%s:4: column 2: 'x' is not a number", f);
    expect_refusal(args, g);
    fp = fopen(f, "w");
    fputs("0.5,1,0\n1.5,2,1\n2,3,2\n", fp);
    fclose(fp);
    snprintf(g, sizeof g, "%s:3: target 2 is not 0 or 1", f);
    expect_refusal(args, g);
    fp = fopen(f, "w");
    fputs("0.5,1,0\n1.5,2\n", fp);
    fclose(fp);
    snprintf(g, sizeof g, "%s:2: 2 columns, the first line has 3", f);
    expect_refusal(args, g);
    fp = fopen(f, "w");
    fputs("1\n2\n", fp);
    fclose(fp);
    snprintf(args, sizeof args, "net train --net mlp:2,4,1 --data moons --init %s", f);
    snprintf(g, sizeof g, "%s: 2 numbers, the network has 17", f);
    expect_refusal(args, g);
    expect_refusal("net train --net mlp:2,4,x,1 --data moons", "column 9");
    expect_refusal("net train --net mlp:3,4,1 --data moons", "2 inputs per sample, the network takes 3");
    expect_refusal("net train --net mlp:2,4,1,bn=after --data moons --batch 1", "batch of 1");
    expect_refusal("net train --net mlp:2,4,1 --data moons:wiggle=1", "wiggle");
    expect_refusal("net train --net mlp:2,4,1 --data moons --optimizer adam:lr=-1", "lr");
    expect_refusal("net train --net mlp:2,4,1 --data moons --steps -3", "--steps");
    expect_refusal("net slice --net mlp:2,4,1 --data moons --dir params:0,99", "params:I,J");
    expect_refusal("net frobnicate", "unknown subcommand");
    /* --save never overwrites without --force, and leaves the file as it was */
    snprintf(args, sizeof args, "net train --net mlp:2,4,1 --data moons --save %s", f);
    expect_refusal(args, "exists; give --force");
    double v[4];
    CHECK(read_vec(f, v, 4) == 2 && v[0] == 1, "the file is untouched");
    snprintf(args, sizeof args, "net train --net mlp:2,4,1 --data moons --steps 2 --save %s --force", f);
    CHECK(run(args) == 0 && read_vec(f, v, 4) == 4, "--force overwrites (%s)", errbuf);
}

/* bench batchtime: each row against t1 * ceil(B/P) and ceil(N/B), computed here. */
static void test_batchtime(void)
{
    CHECK(run("bench batchtime --n 5000 --width 1000 --t1 0.002") == 0, "batchtime runs (%s)", errbuf);
    const long bs[] = {1, 16, 1024, 4096, 5000};
    for (size_t k = 0; k < sizeof bs / sizeof bs[0]; k++) {
        char want[128];
        long b = bs[k], ups = (5000 + b - 1) / b;
        double u = 0.002 * (double)((b + 999) / 1000);
        snprintf(want, sizeof want, "\n%ld,%.9g,%.9g,%ld\n", b, u, u * (double)ups, ups);
        CHECK(strstr(out, want) != NULL, "batchtime row %s", want + 1);
    }
    expect_refusal("bench batchtime --width 0", "--width");
    expect_refusal("bench batchtime --t1 x", "--t1");
}

static unsigned long crc32_of(const unsigned char *p, size_t n)
{
    unsigned long c = 0xffffffffUL;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0xedb88320UL : c >> 1;
    }
    return c ^ 0xffffffffUL;
}

/* A whole PNG file: the signature, then chunks whose CRCs hold, IHDR first and IEND
 * last with nothing after it; its size, and whether a tEXt chunk holds text. */
static int png_valid(const char *path, int *w, int *h, const char *text)
{
    static unsigned char b[1 << 22];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(b, 1, sizeof b, f) : 0;
    if (f) fclose(f);
    if (n < 8 || n == sizeof b || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0) return 0;
    size_t at = 8;
    int chunks = 0, found = text == NULL;
    while (at + 12 <= n) {
        size_t len = ((size_t)b[at] << 24) | ((size_t)b[at + 1] << 16) | ((size_t)b[at + 2] << 8) | b[at + 3];
        if (at + 12 + len > n) return 0;
        const unsigned char *c = b + at + 8 + len;
        unsigned long crc = ((unsigned long)c[0] << 24) | ((unsigned long)c[1] << 16) | ((unsigned long)c[2] << 8) | c[3];
        if (crc32_of(b + at + 4, len + 4) != crc) return 0;
        if (chunks++ == 0 && memcmp(b + at + 4, "IHDR", 4) != 0) return 0;
        if (memcmp(b + at + 4, "tEXt", 4) == 0 && text)
            for (size_t i = 0, tl = strlen(text); i + tl <= len && !found; i++)
                found = memcmp(b + at + 8 + i, text, tl) == 0;
        if (memcmp(b + at + 4, "IEND", 4) == 0) return at + 12 + len == n && found && png_size(path, w, h);
        at += 12 + len;
    }
    return 0;
}

/* bench batchtime --out: the figure is a whole PNG of the size asked, made by that
 * command; an existing file is kept without --force (byte for byte) and replaced
 * with it; bad --out, --size and options that need --out are refused. */
static void test_batchtime_figure(void)
{
    char png[128], args[1024];
    int w = 0, h = 0;
    snprintf(png, sizeof png, "%s/batchtime.png", dir);
    remove(png);
    snprintf(args, sizeof args, "bench batchtime --n 5000 --width 100 --out %s --size 640x480", png);
    int rc = run(args);
    if (rc == 1 && strstr(errbuf, "GL")) {
        printf("  batchtime figure skipped: %s", errbuf);
        return;
    }
    CHECK(rc == 0 && png_valid(png, &w, &h, "optiscape bench batchtime --n 5000 --width 100") && w == 640 && h == 480,
          "batchtime figure: exit %d, %dx%d: %s", rc, w, h, errbuf);
    CHECK(out[0] == '\0', "the figure writes nothing on stdout: %.80s", out);
    /* an existing file: refused and left alone */
    FILE *f = fopen(png, "wb");
    if (f) {
        fputs("not a png", f);
        fclose(f);
    }
    expect_refusal(args, "exists");
    f = fopen(png, "rb");
    char keep[32] = "";
    size_t kn = f ? fread(keep, 1, sizeof keep - 1, f) : 0;
    keep[kn] = 0;
    if (f) fclose(f);
    CHECK(strcmp(keep, "not a png") == 0, "the existing file was changed: '%s'", keep);
    snprintf(args, sizeof args, "bench batchtime --out %s --force", png);
    rc = run(args);
    CHECK(rc == 0 && png_valid(png, &w, &h, "batchtime") && w == 1024 && h == 768,
          "--force replaces it: exit %d, %dx%d: %s", rc, w, h, errbuf);
    snprintf(args, sizeof args, "bench batchtime --out %s/fig.jpg", dir);
    expect_refusal(args, "FILE.png");
    snprintf(args, sizeof args, "bench batchtime --out %s/fig.png --size 100x100", dir);
    expect_refusal(args, "--size");
    snprintf(args, sizeof args, "bench batchtime --out %s/no/such/folder/fig.png", dir);
    expect_refusal(args, "--out");
    expect_refusal("bench batchtime --size 640x480", "--out");
    expect_refusal("bench batchtime --force", "--out");
    snprintf(png, sizeof png, "%s/fig.png", dir);
    CHECK(access(png, F_OK) != 0, "a refused figure left %s", png);
    printf("  bench batchtime --out: a whole PNG, kept without --force, replaced with it, bad options refused\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_net_cli OPTISCAPE\n");
        return 2;
    }
    bin = argv[1];
    snprintf(dir, sizeof dir, "/tmp/test_net_cli_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    printf("net train against torch.optim:\n");
    for (size_t i = 0; i < sizeof net_ref_trains / sizeof net_ref_trains[0]; i++) test_train_case(&net_ref_trains[i]);
    test_spectrum_and_slice();
    test_refusals();
    test_timing_and_shuffle();
    test_batch_stats_column();
    test_hessian_low_plane();
    test_figures();
    test_batchtime();
    test_batchtime_figure();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return check_done("test_net_cli");
}
