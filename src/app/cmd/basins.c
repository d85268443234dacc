/* cmd_basins: basins of attraction of every optimizer of a scene, as CSV on stdout
 * (one row per start and optimizer) or as a PNG of the maps side by side, drawn by
 * basin_view offscreen (SDL's offscreen driver and EGL: no display needed). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "optiscape_config.h"
#include "app/views/basin_view.h"
#include "app/cli.h"
#include "app/export/figure.h"
#include "app/commands.h"
#include "app/export/pngio.h"
#include "app/progress.h"
#include "core/quote.h"
#include "render/gfx.h"
#include "app/scene_setup.h"

#define BASINS_MAX_SIDE 8192
/* starts x steps x optimizers: about 4e7 run-steps a second on two cores, so the
 * largest job takes about two minutes */
#define BASINS_MAX_WORK 4.0e9

typedef struct basins_opts {
    long grid, steps, threads;
    const char *out;
    int w, h, light, force, minima;
} basins_opts;

static void usage(void)
{
    printf("Usage: optiscape basins [SCENE OPTIONS] [--grid N] [--steps K] [--out FILE.png] [OPTIONS]\n"
           "Runs every optimizer of the scene from each start of an N x N grid over the view\n"
           "for K steps and classifies the start by the minimum it reaches (near it, with a\n"
           "small gradient there), or as diverged, or at no minimum.\n\n"
           SCENE_OPTIONS_HELP
           "\nOptions:\n"
           "  --grid N            starts along the view's longer side (default 200, 2 to 2000);\n"
           "                      the other side gets as many as keep the cells square\n"
           "  --steps K           updates from every start (default 500, up to 100000)\n"
           "  --out FILE.png      the maps side by side, one per optimizer, the minima numbered\n"
           "                      (without --out: CSV on stdout)\n"
           "  --size WxH          pixels of the PNG (default: by the number of optimizers)\n"
           "  --theme dark|light  (default dark)\n"
           "  --threads T         (default: every core; the result does not depend on it)\n"
           "  --minima            print the minima as CSV instead: basin,x,y,loss\n"
           "  --force             replace an existing --out file\n"
           "\nLimit: the grid's starts x K x the optimizers at most %.0f run-steps (about two\n"
           "minutes on two cores), e.g. --grid 2000 --steps 1000 for one optimizer; beyond it the\n"
           "job is refused before it starts.\n"
           "\nCSV: optimizer,i,j,x,y,basin, one row per optimizer and start (i along x, j along y,\n"
           "from the view's lower left corner; x, y the start). basin is the number of the\n"
           "minimum reached (as the picture and --minima number them: the minima of the view\n"
           "and half again on every side, by x then y), `diverged`, or `none` (finite, but at\n"
           "no minimum after K steps). An optimizer spec with commas is quoted.\n"
           "\nExample: optiscape basins --landscape himmelblau --view -6,6,-6,6 \\\n"
           "           --optimizer sgd:lr=0.01 --optimizer sgd:lr=0.01,momentum=0.9 --out basins.png\n",
           BASINS_MAX_WORK);
}

/* The size is in range, or the usual refusal. */
static int check_size(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    const basins_opts *o = user;
    return o->w < 200 || o->h < 150 || o->w > BASINS_MAX_SIDE || o->h > BASINS_MAX_SIDE ? -1 : 0;
}

#define BASINS_STR_(x) #x
#define BASINS_STR(x) BASINS_STR_(x)

static int parse_args(int argc, char **argv, cli_scene *sc, basins_opts *o)
{
    const cli_opt opts[] = {
        {"--force", CLI_FLAG, .dst = &o->force},
        {"--minima", CLI_FLAG, .dst = &o->minima},
        {"--grid", CLI_LONG, &o->grid, 2, 2000, .show = 40},
        {"--steps", CLI_LONG, &o->steps, 0, 100000, .show = 40},
        {"--threads", CLI_LONG, &o->threads, 1, 64, .show = 40},
        {"--out", CLI_STRING, &o->out, .check = cli_check_png},
        {"--size", CLI_SIZE, &o->w, .dst2 = &o->h, .show = 40, .check = check_size,
         .expect = "WxH from 200x150 to " BASINS_STR(BASINS_MAX_SIDE) "x" BASINS_STR(BASINS_MAX_SIDE)},
        {"--theme", CLI_THEME, &o->light, .show = 40},
        {NULL},
    };
    const cli_parser parser = {"basins", opts, usage, "unknown option '%.80s' (see optiscape basins --help)",
                               .scene = sc, .user = o};
    int rc = cli_parse(&parser, argc, argv);
    if (rc != 0) return rc;
    if (o->out && o->minima) return cli_bad("basins", "--minima prints CSV: leave out --out");
    if (o->out && cli_out_check("basins", "--out", o->out, o->force) != 0) return EXIT_BAD_INPUT;
    return 0;
}

/* A CSV field: quoted when it holds a comma or a quote. */
static void csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n")) { fputs(s, fp); return; }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"') fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static int write_csv(const basin_set *b, const basin_request *rq, int minima)
{
    if (minima) {
        printf("basin,x,y,loss\n");
        for (int m = 0; m < b->nminima; m++)
            printf("%d,%.17g,%.17g,%.17g\n", m + 1, b->minima[m].x, b->minima[m].y, b->minima[m].f);
    } else {
        printf("optimizer,i,j,x,y,basin\n");
        for (int k = 0; k < b->npanels; k++) {
            char spec[512];
            optim_format(&rq->desc[k].opt, spec, sizeof spec);
            for (int j = 0; j < b->ny; j++)
                for (int i = 0; i < b->nx; i++) {
                    int c = b->panel[k].cls[(size_t)j * (size_t)b->nx + (size_t)i];
                    csv_field(stdout, spec);
                    printf(",%d,%d,%.17g,%.17g,", i, j,
                           b->view[0] + (b->view[1] - b->view[0]) * (i + 0.5) / b->nx,
                           b->view[2] + (b->view[3] - b->view[2]) * (j + 0.5) / b->ny);
                    if (c >= 0) printf("%d\n", c + 1);
                    else fputs(c == BASIN_DIVERGED ? "diverged\n" : "none\n", stdout);
                }
        }
    }
    return cli_stdout_done("basins");
}

typedef struct basins_drawing {
    const basin_set *b;
    float scale;
    const scene_theme *th;
} basins_drawing;

static void draw_basins(gfx *g, void *user, int w, int h)
{
    const basins_drawing *d = user;
    basin_set_draw(g, d->b, 0, 0, (float)w, (float)h, d->scale, d->th);
}

/* The picture through an offscreen framebuffer, read back and written as a PNG. */
static int write_png(const basin_set *b, const basins_opts *o, const scene_theme *th, int argc, char **argv)
{
    int w = o->w, h = o->h;
    if (!w) {
        /* about 480 pixels a map, three to a row */
        int n = b->npanels, cols = n <= 3 ? n : n == 4 ? 2 : 3, rows = (n + cols - 1) / cols;
        double aspect = (b->view[1] - b->view[0]) / (b->view[3] - b->view[2]);
        double mw = 480, mh = mw / aspect;
        if (mh > 560) { mh = 560; mw = mh * aspect; }
        w = (int)(cols * (mw + 18) + 18);
        h = (int)(rows * (mh + 44) + (rows - 1) * 18 + 125);
        if (w < 640) w = 640;
    }
    float scale = (float)fmax(1.0, fmin(w / 1500.0, h / 900.0));
    char desc[2048];
    size_t n = (size_t)snprintf(desc, sizeof desc, "basins of attraction; landscape %s; view %.17g,%.17g,%.17g,%.17g; "
                                "grid %dx%d; steps %d", b->ls_label, b->view[0], b->view[1], b->view[2],
                                b->view[3], b->nx, b->ny, b->steps);
    for (int k = 0; k < b->npanels && n < sizeof desc; k++)
        n += (size_t)snprintf(desc + n, sizeof desc - n, "; optimizer %d: %s", k + 1, b->panel[k].label);
    basins_drawing d = {b, scale, th};
    return figure_png("basins", w, h, th->bg, draw_basins, &d, desc, argc, argv, o->out, o->force);
}

int cmd_basins(int argc, char **argv)
{
    basins_opts o = {.grid = 200, .steps = 500};
    cli_scene sc;
    cli_scene_init(&sc);
    int rc = parse_args(argc, argv, &sc, &o);
    if (rc != 0) return cli_stop(&sc, rc);
    live *L = calloc(1, sizeof *L);
    basin_set *b = calloc(1, sizeof *b);
    basin_request *rq = calloc(1, sizeof *rq);
    char err[512];
    double view[4];
    if (!L || !b || !rq) {
        fprintf(stderr, "optiscape basins: out of memory\n");
        rc = EXIT_RUNTIME;
        goto out;
    }
    if (scene_setup(L, &sc, view, err, sizeof err) != 0) {
        rc = cli_bad("basins", "%s", err);
        goto out;
    }
    double vw = view[1] - view[0], vh = view[3] - view[2];
    int nx = (int)o.grid, ny = (int)o.grid;
    if (vw > vh) ny = (int)fmax(2, lround(o.grid * vh / vw));
    else nx = (int)fmax(2, lround(o.grid * vw / vh));
    double work = (double)nx * ny * (double)o.steps * L->nrun;
    if (work > BASINS_MAX_WORK) {
        rc = cli_bad("basins", "%dx%d starts x %ld steps x %d optimizer%s is %.3g run-steps, more than the limit of "
                     "%.0f: a smaller --grid or fewer --steps", nx, ny, o.steps, L->nrun, L->nrun == 1 ? "" : "s",
                     work, BASINS_MAX_WORK);
        goto out;
    }
    basin_request_from_live(rq, L, view, nx, ny, (int)o.steps);
    if (o.threads) rq->threads = (int)o.threads;
    if (!rq->spec) {
        fprintf(stderr, "optiscape basins: out of memory\n");
        rc = EXIT_RUNTIME;
        goto out;
    }
    rq->progress = job_progress;
    job_begin("basins", "run-steps", (double)nx * ny * (double)o.steps * L->nrun);
    int computed = basin_set_compute(b, &L->ls.fn, rq, NULL, err, sizeof err);
    job_end();
    if (computed != 0) {
        fprintf(stderr, "optiscape basins: %s\n", err);
        rc = EXIT_RUNTIME;
        goto out;
    }
    if (!o.out) {
        rc = write_csv(b, rq, o.minima);
    } else {
        L->disp.cmap = o.light ? STYLE_CMAP_LIGHT : STYLE_CMAP_VIRIDIS;
        scene_theme th = scene_theme_of(L);
        rc = write_png(b, &o, &th, argc, argv);
    }
out:
    if (b) basin_set_free(b);
    if (rq) free(rq->spec);
    if (L) live_free(L);
    free(L);
    free(b);
    free(rq);
    cli_scene_free(&sc);
    return rc;
}
