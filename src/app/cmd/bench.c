/* cmd_bench: the speed figures. `bench swarm` times particle-steps of one optimizer
 * over a swarm; `bench field` times a contour field from a formula against the same
 * function compiled as C (generated from the formula, built with the system's C
 * compiler and loaded with dlopen, so any formula has its reference). */
#include <dlfcn.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/progress.h"
#include "core/quote.h"
#include "core/field.h"
#include "core/flatness.h"
#include "core/swarm.h"
#include "core/timing.h"

extern char **environ;

/* Limits, sized so a run fits a small machine (2 cores, 24 GB) and ends within a
 * few minutes (rates measured on such a machine, one thread):
 * swarm: about 90 bytes and 40 M particle-steps/s per particle on rosenbrock;
 * flatness: about 1.5 M run-steps/s on sharp_flat_data; field: about 1e8 samples/s. */
#define SWARM_MAX_PARTICLES 10000000L
#define SWARM_MAX_WORK 1.0e10         /* particles x steps */
#define FLATNESS_MAX_WORK 3.0e8       /* seeds x steps x batch sizes */
#define FIELD_MAX_WORK 2.0e9          /* size^2 x repeat */
#define FRAMES_MAX_PIXELS 5.0e9       /* frames x width x height */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void bench_help(void)
{
    printf("Usage:\n"
           "  optiscape bench swarm SCENE OPTIONS [--particles N] [--steps N] [--threads T]\n"
           "      particle-steps per second of one optimizer on a swarm started on a grid\n"
           "      over the view (defaults: 100000 particles, 100 steps, 1 thread)\n"
           "  optiscape bench field (--expr F | --landscape L) [--size N] [--threads T] [--repeat R]\n"
           "      milliseconds for an NxN field (default 1024), and the ratio to the same\n"
           "      function compiled as C (needs a C compiler named cc on PATH)\n"
           "  optiscape bench frames [--size WxH] [--frames N] [--swarm N | --3d | --net]\n"
           "      median and p95 frame time of the default scene in the window with vsync\n"
           "      off, against the floor: the same window drawing only the field texture\n"
           "      (defaults: 1280x720, 300 frames); --swarm N: also with Adam's runner as a\n"
           "      swarm of N particles (at most 100000), still and panning; --3d: the map,\n"
           "      then the 3D view with the camera still, turning, and dragged; --net: the\n"
           "      network lab training, paused (the reference), its lr dragged, and a width\n"
           "      change: the time until the new boundary is drawn and the slice refined\n"
           "  optiscape bench batchtime [--n N] [--width P] [--t1 S] [--out FILE.png]\n"
           "      seconds per update and per epoch against the batch size (bench batchtime\n"
           "      --help)\n"
           "  optiscape bench net [--steps N] [--threads T] [--grid N]\n"
           "      seconds for network training, a full Hessian and a slice (optiscape net\n"
           "      bench; tools/net_bench.py times the same work in torch)\n"
           "  optiscape bench flatness [SCENE OPTIONS] [--batch B1,B2,...] [--seeds N] [--steps N]\n"
           "                           [--test-shift S|SX,SY]\n"
           "      the seeds' claim \"small batches settle in flat minima, large ones in sharp\":\n"
           "      for each batch size, N runs (seeds) from the same start, and the fraction\n"
           "      whose last point is nearest to the flattest and to the sharpest minimum of\n"
           "      the view (smallest and largest Hessian eigenvalue), with the mean final\n"
           "      training loss and test loss (the loss moved by the shift). On a data\n"
           "      landscape the batch noise is the minibatches' own (--shuffle applies; 0 or\n"
           "      a batch of n is the full batch); on any other landscape it is modelled as\n"
           "      gradient noise N(0, sigma^2/B) per component, sigma = --noise (default 2),\n"
           "      none at batch 0. Defaults: --landscape sharp_flat_data, --optimizer sgd:lr=0.1\n"
           "      (sgd:lr=0.07 without data), --batch 1,2,4,8,16,32, --seeds 200, --steps 3000,\n"
           "      --test-shift 0.25\n"
           "\nLimits (a run ends within minutes on a small machine; beyond them it is refused):\n"
           "  swarm: at most %ld particles and %.0f particle-steps (particles x steps)\n"
           "  flatness: at most %.0f run-steps (seeds x steps x batch sizes)\n"
           "  field: at most %.0f samples (size^2 x repeat); frames: %.0f pixels (frames x W x H)\n"
           "\nExample: optiscape bench swarm --landscape rosenbrock --optimizer adam --particles 100000 --steps 100\n",
           SWARM_MAX_PARTICLES, SWARM_MAX_WORK, FLATNESS_MAX_WORK, FIELD_MAX_WORK, FRAMES_MAX_PIXELS);
}

#define FLATNESS_MAX_BATCHES 32

/* "1,2,4,8": batch sizes, 0 (the full batch) .. DATASET_MAX_N_LSQ. */
static int parse_batches(const char *v, int *out, int *n)
{
    *n = 0;
    const char *p = v;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char word[32];
        long b;
        if (len == 0 || len >= sizeof word || *n >= FLATNESS_MAX_BATCHES) return -1;
        memcpy(word, p, len);
        word[len] = 0;
        if (cli_parse_count(word, 0, DATASET_MAX_N_LSQ, &b) != 0) return -1;
        out[(*n)++] = (int)b;
        p = e ? e + 1 : p + len;
        if (e && !*p) return -1;
    }
    return *n > 0 ? 0 : -1;
}

typedef struct flatness_args {
    int *batches, *nb;
    int have_noise;               /* --noise was given: the sigma of the modelled batch noise */
} flatness_args;

static int check_batches(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    flatness_args *fa = user;
    if (parse_batches(v, fa->batches, fa->nb) == 0) return 0;
    snprintf(err, errlen, "--batch: expected batch sizes B1,B2,... (at most %d, each 0 to %d), got '%s'",
             FLATNESS_MAX_BATCHES, DATASET_MAX_N_LSQ, quote(v));
    return -1;
}

static void flatness_on_scene(void *user, const char *arg)
{
    flatness_args *fa = user;
    if (strncmp(arg, "--noise", 7) == 0) fa->have_noise = 1;
}

/* What the table below it measures: the optimizer, the runs, the batch noise, the
 * two minima and how a run is counted. */
static void flatness_header(const cli_scene *sc, const flatness_desc *d, const flatness_minima *m, long seeds,
                            long steps)
{
    char name[256];
    optim_format(&sc->opt[0], name, sizeof name);
    const crit_point *fm = &m->min[m->flat], *sm = &m->min[m->sharp];
    printf("# flatness: %s on %s\n", name, sc->ls.label);
    printf("# %ld runs per batch size (seeds %llu + k*0x9e3779b97f4a7c15), %ld steps each, from (%g, %g)\n",
           seeds, (unsigned long long)sc->seed, steps, sc->start[0], sc->start[1]);
    if (sc->ls.data)
        printf("# batch noise: minibatches of the landscape's %d samples, %s (0: all %d)\n",
               sc->ls.data->n, sc->shuffle ? "reshuffled every epoch" : "in order", sc->ls.data->n);
    else
        printf("# batch noise (no data): gradient noise N(0, %g^2/B) per component, none at batch 0\n",
               d->noise1);
    printf("# flat minimum (%.4g, %.4g): loss %.4g, curvature %.4g\n", fm->x, fm->y, fm->f, fm->l2);
    printf("# sharp minimum (%.4g, %.4g): loss %.4g, curvature %.4g\n", sm->x, sm->y, sm->f, sm->l2);
    printf("# a run counts for the minimum its last point is nearest to; test_loss is the loss\n"
           "# there moved back by the test shift (%g, %g); losses are means over the runs\n",
           d->test_shift[0], d->test_shift[1]);
}

static int bench_flatness(int argc, char **argv)
{
    static const char *what = "bench flatness";
    cli_scene sc;
    cli_scene_init(&sc);
    int batches[FLATNESS_MAX_BATCHES] = {1, 2, 4, 8, 16, 32};
    int nb = 6;
    long seeds = 200, steps = 3000;
    double shift[2] = {0.25, 0.25};
    char err[512];
    flatness_args fa = {batches, &nb, 0};
    const cli_opt opts[] = {
        {"--batch", CLI_CUSTOM, .check = check_batches},
        {"--seeds", CLI_LONG, &seeds, 1, 100000, "a count", .show = CLI_QUOTE},
        {"--steps", CLI_LONG, &steps, 1, 10000000, "a count", .show = CLI_QUOTE},
        {"--test-shift", CLI_SHIFT, shift, .show = CLI_QUOTE},
        {NULL},
    };
    const cli_parser parser = {what, opts, .unknown = "unknown option '%s' (see optiscape bench --help)",
                               .unknown_quoted = 1, .scene = &sc, .on_scene = flatness_on_scene, .user = &fa};
    int rc = cli_parse(&parser, argc, argv);
    int have_noise = fa.have_noise;
    if (rc != 0) goto out;
    if (!sc.have_landscape && landscape_load(&sc.ls, "sharp_flat_data", err, sizeof err) == 0)
        sc.have_landscape = 1;
    if (!sc.have_landscape) { rc = cli_bad(what, "%s", err); goto out; }
    if (sc.nopt > 1) { rc = cli_bad(what, "give one --optimizer"); goto out; }
    if ((double)seeds * (double)steps * nb > FLATNESS_MAX_WORK) {
        rc = cli_bad(what, "%ld seeds x %ld steps x %d batch sizes is %.3g run-steps, more than the limit of %.0f",
                     seeds, steps, nb, (double)seeds * (double)steps * nb, FLATNESS_MAX_WORK);
        goto out;
    }
    if (sc.nopt == 0) {
        sc.opt[0] = optim_defaults(OPTIM_SGD);
        sc.opt[0].lr = sc.ls.data ? 0.1 : 0.07;
        sc.nopt = 1;
    }
    cli_scene_finish(&sc);

    flatness_minima m;
    if (!sc.ls.f) {
        rc = cli_bad("bench flatness", "a plane landscape is not supported (give a formula or a built-in)");
        goto out;
    }
    if (flatness_find_minima(sc.ls.f, sc.view, &m, err, sizeof err) != 0) {
        rc = cli_bad(what, "%s: %s", sc.ls.label, err);
        goto out;
    }
    flatness_desc d;
    memset(&d, 0, sizeof d);
    sc.batch = 0;
    d.run = cli_runner_desc(&sc, 0);
    d.steps = steps;
    d.runs = (int)seeds;
    d.seed = sc.seed;
    d.noise1 = have_noise ? sc.noise : 2;
    d.test_shift[0] = shift[0];
    d.test_shift[1] = shift[1];

    flatness_header(&sc, &d, &m, seeds, steps);
    printf("batch,runs,flat,sharp,other,diverged,train_loss,test_loss\n");
    job_begin(what, " run-steps", (double)seeds * (double)steps * nb);
    for (int b = 0; b < nb; b++) {
        flatness_row row;
        if (flatness_measure(sc.ls.f, &d, batches[b], &m, &row) != 0) {
            fprintf(stderr, "optiscape bench: out of memory\n");
            rc = EXIT_RUNTIME;
            goto out;
        }
        double n = row.runs;
        job_progress((double)seeds * (double)steps * (b + 1));
        printf("%d,%d,%.3f,%.3f,%.3f,%.3f,%.6g,%.6g\n", row.batch, row.runs, row.flat / n, row.sharp / n,
               row.other / n, row.diverged / n, row.train_loss, row.test_loss);
        fflush(stdout);
    }
    job_end();
    if (cli_stdout_done("bench") != EXIT_OK) rc = EXIT_RUNTIME;
out:
    cli_scene_free(&sc);
    return rc;
}

typedef struct bench_args {
    cli_scene sc;
    long particles, steps, threads, size, repeat;
} bench_args;

static int parse_bench(const char *what, int argc, char **argv, bench_args *b)
{
    const cli_opt opts[] = {
        {"--particles", CLI_LONG, &b->particles, 1, SWARM_MAX_PARTICLES, .show = CLI_QUOTE},
        {"--steps", CLI_LONG, &b->steps, 1, 1000000, .show = CLI_QUOTE},
        {"--threads", CLI_LONG, &b->threads, 1, 64, .show = CLI_QUOTE},
        {"--size", CLI_LONG, &b->size, 1, 16384, .show = CLI_QUOTE},
        {"--repeat", CLI_LONG, &b->repeat, 1, 1000, .show = CLI_QUOTE},
        {NULL},
    };
    const cli_parser parser = {what, opts, .unknown = "unknown option '%s' (see optiscape bench --help)",
                               .unknown_quoted = 1, .scene = &b->sc};
    int rc = cli_parse(&parser, argc, argv);
    if (rc != 0) return rc;
    if (!b->sc.have_landscape) return cli_bad(what, "no landscape: give --landscape NAME or --expr FORMULA");
    cli_scene_finish(&b->sc);
    return EXIT_OK;
}

static int bench_swarm(int argc, char **argv)
{
    bench_args b = {.particles = 100000, .steps = 100, .threads = 1};
    cli_scene_init(&b.sc);
    int rc = parse_bench("bench swarm", argc, argv, &b);
    if (rc) { cli_scene_free(&b.sc); return rc; }
    if (b.sc.nopt == 0) b.sc.opt[b.sc.nopt++] = optim_defaults(OPTIM_ADAM);
    if (b.sc.nopt > 1) {
        cli_scene_free(&b.sc);
        return cli_bad("bench swarm", "give one --optimizer");
    }
    if ((double)b.particles * (double)b.steps > SWARM_MAX_WORK) {
        cli_scene_free(&b.sc);
        return cli_bad("bench swarm", "%ld particles x %ld steps is %.3g particle-steps, more than the limit of %.0f",
                       b.particles, b.steps, (double)b.particles * (double)b.steps, SWARM_MAX_WORK);
    }
    size_t n = (size_t)b.particles;
    int side = (int)ceil(sqrt((double)n));
    double *x = malloc((size_t)side * (size_t)side * sizeof *x);
    double *y = malloc((size_t)side * (size_t)side * sizeof *y);
    swarm s;
    if (!x || !y) { free(x); free(y); cli_scene_free(&b.sc); fprintf(stderr, "optiscape bench: out of memory\n"); return EXIT_RUNTIME; }
    swarm_grid(b.sc.view, side, side, x, y);
    if (swarm_init(&s, &b.sc.opt[0], &b.sc.sched, x, y, n, b.sc.noise, b.sc.seed)) {
        free(x); free(y); cli_scene_free(&b.sc);
        fprintf(stderr, "optiscape bench: out of memory\n");
        return EXIT_RUNTIME;
    }
    /* in pieces for the progress line: the clock is the swarm's, so the steps are the
       same as in one piece; a piece is at least 16 steps and about a second of work
       (5e7 particle-steps), so its one extra pass over the particles is lost in the
       steps (a short run is one piece, as it always was), and there are at most 100 */
    long chunk = b.steps / 100, least = (long)ceil(5e7 / (double)n);
    if (chunk < least) chunk = least;
    if (chunk < 16) chunk = 16;
    job_begin("bench swarm", " particle-steps", (double)n * (double)b.steps);
    double t0 = os_now();
    for (long done = 0; done < b.steps;) {
        long k = b.steps - done < chunk ? b.steps - done : chunk;
        swarm_step_fn(&s, &b.sc.ls.fn, (int)k, (int)b.threads);
        done += k;
        job_progress((double)n * (double)done);
    }
    double dt = os_now() - t0;
    job_end();
    size_t alive = 0;
    for (size_t i = 0; i < n; i++) alive += !s.diverged[i];
    char name[256];
    optim_format(&b.sc.opt[0], name, sizeof name);
    double rate = (double)n * (double)b.steps / dt;
    printf("swarm: %s on %s, %zu particles x %ld steps, %ld thread%s\n", name, b.sc.ls.label, n,
           b.steps, b.threads, b.threads == 1 ? "" : "s");
    printf("  time: %.3f s (%zu particles still finite)\n", dt, alive);
    printf("  %.2f M particle-steps/s\n", rate / 1e6);
    swarm_free(&s);
    free(x);
    free(y);
    cli_scene_free(&b.sc);
    return EXIT_OK;
}

typedef void (*ref_fn)(double, double, double, float *, int);

/* Build the formula as C in a private temporary directory and load it. */
static void *load_reference(const expr *f, ref_fn *fn, char *why, size_t whylen)
{
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/optiscape-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) { snprintf(why, whylen, "cannot create a temporary directory"); return NULL; }
    char src[600], so[600];
    snprintf(src, sizeof src, "%s/ref.c", dir);
    snprintf(so, sizeof so, "%s/ref.so", dir);
    /* Ctrl+C while cc runs leaves no folder behind */
    job_guard_begin("bench field");
    int guards[3] = {job_guard_file(dir), job_guard_file(src), job_guard_file(so)};
    size_t cap = 1 << 22;
    char *code = malloc(cap);
    void *h = NULL;
    if (!code || expr_to_c(f, "optiscape_ref", code, cap) < 0) {
        snprintf(why, whylen, "the formula is too large to write as C");
        goto done;
    }
    FILE *fp = fopen(src, "w");
    if (!fp || fputs(code, fp) == EOF || fclose(fp) != 0) {
        snprintf(why, whylen, "cannot write the reference source in %.200s", dir);
        goto done;
    }
    /* the same optimisation level and floating-point contract as optiscape itself */
    char *args[] = {"cc", "-O3", "-std=c11", "-ffp-contract=off", "-fPIC", "-shared", "-o", so, src, "-lm", NULL};
    pid_t pid;
    /* in a process group of its own, so that Ctrl+C stops cc's children too */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    /* its messages are not ours: the one line says whether it failed */
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int sr = posix_spawnp(&pid, "cc", &fa, &attr, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (sr != 0) {
        snprintf(why, whylen, "no C compiler named cc on PATH");
        goto done;
    }
    job_guard_child(pid);
    int st;
    int waited = waitpid(pid, &st, 0);
    job_guard_child(0);
    if (waited < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        snprintf(why, whylen, "cc failed to compile the reference");
        goto done;
    }
    h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    if (!h) { snprintf(why, whylen, "dlopen failed: %s", dlerror()); goto done; }
    *(void **)fn = dlsym(h, "optiscape_ref");
    if (!*fn) { snprintf(why, whylen, "reference symbol missing"); dlclose(h); h = NULL; }
done:
    free(code);
    remove(so);
    remove(src);
    rmdir(dir);
    for (int i = 0; i < 3; i++) job_unguard_file(guards[i]);
    return h;
}

static void ref_field(ref_fn fn, const double view[4], int w, int h, float *out)
{
    double x0 = field_x(view, w, 0), dx = (view[1] - view[0]) / (double)w;
    for (int j = 0; j < h; j++) {
        double y = field_y(view, h, j);
        fn(x0, dx, y, out + (size_t)j * (size_t)w, w);
    }
}

static int bench_field(int argc, char **argv)
{
    bench_args b = {.size = 1024, .threads = 1, .repeat = 5};
    cli_scene_init(&b.sc);
    int rc = parse_bench("bench field", argc, argv, &b);
    if (rc) { cli_scene_free(&b.sc); return rc; }
    if ((double)b.size * (double)b.size * (double)b.repeat > FIELD_MAX_WORK) {
        cli_scene_free(&b.sc);
        return cli_bad("bench field", "--size %ld x --repeat %ld is %.3g samples, more than the limit of %.0f",
                       b.size, b.repeat, (double)b.size * (double)b.size * (double)b.repeat, FIELD_MAX_WORK);
    }
    if (!b.sc.ls.f) {
        cli_scene_free(&b.sc);
        return cli_bad("bench field", "a plane landscape has no formula to compile as C (give --expr or a built-in)");
    }
    int n = (int)b.size, R = (int)b.repeat;
    float *ours = malloc((size_t)n * (size_t)n * sizeof *ours);
    float *ref = malloc((size_t)n * (size_t)n * sizeof *ref);
    double *t_ours = malloc((size_t)R * sizeof *t_ours), *t_ref = malloc((size_t)R * sizeof *t_ref);
    if (!ours || !ref || !t_ours || !t_ref) {
        free(ours); free(ref); free(t_ours); free(t_ref); cli_scene_free(&b.sc);
        fprintf(stderr, "optiscape bench: out of memory\n");
        return EXIT_RUNTIME;
    }
    const expr *f = b.sc.ls.f;
    ref_fn fn = NULL;
    char why[256] = "";
    void *lib = load_reference(f, &fn, why, sizeof why);
    /* interleave the two so drift in machine load hits both alike */
    for (int r = 0; r < R; r++) {
        double t0 = os_now();
        field_compute(f, b.sc.view, n, n, ours, (int)b.threads);
        t_ours[r] = os_now() - t0;
        if (lib) {
            t0 = os_now();
            ref_field(fn, b.sc.view, n, n, ref);
            t_ref[r] = os_now() - t0;
        }
    }
    double mo = median(t_ours, R) * 1e3;
    printf("field: %dx%d of %s over [%g,%g]x[%g,%g]\n", n, n, b.sc.ls.label, b.sc.view[0],
           b.sc.view[1], b.sc.view[2], b.sc.view[3]);
    printf("  optiscape formula (%ld thread%s): %.2f ms (median of %d)\n", b.threads,
           b.threads == 1 ? "" : "s", mo, R);
    if (lib) {
        double mr = median(t_ref, R) * 1e3;
        size_t differ = 0;
        for (size_t i = 0; i < (size_t)n * (size_t)n; i++)
            if (memcmp(&ours[i], &ref[i], sizeof(float)) != 0) differ++;
        printf("  same function as compiled C (1 thread): %.2f ms\n", mr);
        printf("  ratio: %.2fx%s\n", mo / mr,
               b.threads == 1 ? "" : " (threads differ: compare with --threads 1)");
        printf("  values identical to the C reference: %s\n",
               differ == 0 ? "all" : "NO");
        if (differ) printf("  %zu of %zu values differ\n", differ, (size_t)n * (size_t)n);
        dlclose(lib);
    } else {
        printf("  C reference unavailable: %s\n", why);
    }
    free(ours); free(ref); free(t_ours); free(t_ref);
    cli_scene_free(&b.sc);
    return EXIT_OK;
}

/* At most 8192x8192, or the usual refusal. */
static int check_frames_size(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    return *(const int *)opt->dst > 8192 || *(const int *)opt->dst2 > 8192 ? -1 : 0;
}

static int bench_frames(int argc, char **argv)
{
    int w = 1280, h = 720;
    long n = 300, particles = 0;
    int view3d = 0, netlab_on = 0;
    const cli_opt opts[] = {
        {"--3d", CLI_FLAG, .dst = &view3d},
        {"--net", CLI_FLAG, .dst = &netlab_on},
        {"--size", CLI_SIZE, &w, .dst2 = &h, .expect = "WxH from 1x1 to 8192x8192", .check = check_frames_size},
        {"--frames", CLI_LONG, &n, 1, 100000, "a count", .show = CLI_QUOTE},
        {"--swarm", CLI_LONG, &particles, 1, 100000, "a particle count", .show = CLI_QUOTE},
        {NULL},
    };
    const cli_parser parser = {"bench", opts,
                               .unknown = "frames: unknown option '%s' (--size, --frames, --swarm, --3d, --net)",
                               .unknown_quoted = 1};
    int rc = cli_parse(&parser, argc, argv);
    if (rc != 0) return rc;
    if (view3d + (particles > 0) + netlab_on > 1)
        return cli_bad("bench", "frames: --3d, --swarm and --net are separate benchmarks");
    if ((double)n * w * h > FRAMES_MAX_PIXELS)
        return cli_bad("bench", "frames: %ld frames of %dx%d is %.3g pixels, more than the limit of %.0f", n, w, h,
                       (double)n * w * h, FRAMES_MAX_PIXELS);
    if (view3d) return window_bench_frames_3d(w, h, (int)n);
    if (netlab_on) return window_bench_frames_net(w, h, (int)n);
    return window_bench_frames(w, h, (int)n, (int)particles);
}

int cmd_bench(int argc, char **argv)
{
    if (argc < 1) return cli_bad("bench", "expected swarm or field (see optiscape bench --help)");
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) { bench_help(); return EXIT_OK; }
    if (strcmp(argv[0], "net") == 0) return cmd_net_bench(argc - 1, argv + 1);   /* its own --help */
    if (strcmp(argv[0], "batchtime") == 0) return cmd_bench_batchtime(argc - 1, argv + 1);   /* its own --help */
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { bench_help(); return EXIT_OK; }
    if (strcmp(argv[0], "swarm") == 0) return bench_swarm(argc - 1, argv + 1);
    if (strcmp(argv[0], "field") == 0) return bench_field(argc - 1, argv + 1);
    if (strcmp(argv[0], "frames") == 0) return bench_frames(argc - 1, argv + 1);
    if (strcmp(argv[0], "flatness") == 0) return bench_flatness(argc - 1, argv + 1);
    return cli_bad("bench", "unknown benchmark '%s' (swarm, field, frames, flatness, net, batchtime)", quote(argv[0]));
}
