/* cmd_bench: the speed figures. `bench swarm` times particle-steps of one optimizer
 * over a swarm; `bench field` times a contour field from a formula against the same
 * function compiled as C (generated from the formula, built with the system's C
 * compiler and loaded with dlopen, so any formula has its reference). */
#include <dlfcn.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "core/field.h"
#include "core/swarm.h"
#include "core/timing.h"

extern char **environ;

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
           "  optiscape bench frames [--size WxH] [--frames N]\n"
           "      median and p95 frame time of the default scene in the window with vsync\n"
           "      off, against the floor: the same window drawing only the field texture\n"
           "      (defaults: 1280x720, 300 frames)\n"
           "\nExample: optiscape bench swarm --landscape rosenbrock --optimizer adam --particles 100000 --steps 100\n");
}

typedef struct bench_args {
    cli_scene sc;
    long particles, steps, threads, size, repeat;
} bench_args;

static int parse_bench(const char *what, int argc, char **argv, bench_args *b)
{
    char err[512];
    for (int i = 0; i < argc; i++) {
        const char *v;
        int r;
        struct { const char *name; long *dst; long lo, hi; } nums[] = {
            {"--particles", &b->particles, 1, 100000000},
            {"--steps", &b->steps, 1, 1000000},
            {"--threads", &b->threads, 1, 64},
            {"--size", &b->size, 1, 16384},
            {"--repeat", &b->repeat, 1, 1000},
        };
        int done = 0;
        for (size_t k = 0; k < sizeof nums / sizeof nums[0] && !done; k++) {
            r = cli_take(nums[k].name, argc, argv, &i, &v, err, sizeof err);
            if (r == 0) continue;
            if (r < 0) return cli_bad(what, "%s", err);
            if (cli_parse_count(v, nums[k].lo, nums[k].hi, nums[k].dst))
                return cli_bad(what, "%s: expected a whole number from %ld to %ld, got '%.80s'",
                               nums[k].name, nums[k].lo, nums[k].hi, v);
            done = 1;
        }
        if (done) continue;
        r = cli_scene_option(&b->sc, argc, argv, &i, err, sizeof err);
        if (r < 0) return cli_bad(what, "%s", err);
        if (r == 0) return cli_bad(what, "unknown option '%.80s' (see optiscape bench --help)", argv[i]);
    }
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
    double t0 = os_now();
    swarm_step(&s, b.sc.ls.f, (int)b.steps, (int)b.threads);
    double dt = os_now() - t0;
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
    if (posix_spawnp(&pid, "cc", NULL, NULL, args, environ) != 0) {
        snprintf(why, whylen, "no C compiler named cc on PATH");
        goto done;
    }
    int st;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
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

static int bench_frames(int argc, char **argv)
{
    int w = 1280, h = 720;
    long n = 300;
    char err[256];
    for (int i = 0; i < argc; i++) {
        const char *v;
        int r;
        if ((r = cli_take("--size", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad("bench", "%s", err);
            if (cli_parse_size(v, &w, &h) != 0 || w > 8192 || h > 8192)
                return cli_bad("bench", "--size: expected WxH from 1x1 to 8192x8192, got '%.40s'", v);
            continue;
        }
        if ((r = cli_take("--frames", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad("bench", "%s", err);
            if (cli_parse_count(v, 1, 100000, &n) != 0)
                return cli_bad("bench", "--frames: expected a count from 1 to 100000, got '%.40s'", v);
            continue;
        }
        return cli_bad("bench", "frames: unknown option '%.80s' (--size, --frames)", argv[i]);
    }
    return window_bench_frames(w, h, (int)n);
}

int cmd_bench(int argc, char **argv)
{
    if (argc < 1) return cli_bad("bench", "expected swarm or field (see optiscape bench --help)");
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) { bench_help(); return EXIT_OK; }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { bench_help(); return EXIT_OK; }
    if (strcmp(argv[0], "swarm") == 0) return bench_swarm(argc - 1, argv + 1);
    if (strcmp(argv[0], "field") == 0) return bench_field(argc - 1, argv + 1);
    if (strcmp(argv[0], "frames") == 0) return bench_frames(argc - 1, argv + 1);
    return cli_bad("bench", "unknown benchmark '%.80s' (swarm, field, frames)", argv[0]);
}
