/* cmd_init: `optiscape init`, the initialization experiment of the lecture from the
 * command line: a deep MLP at initialization under each weight scheme, its
 * activation and gradient RMS per layer as CSV, or the panel the window shows as a
 * PNG (--png) for lecture notes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "optiscape_config.h"
#include "app/cli.h"
#include "app/commands.h"
#include "app/export/figure.h"
#include "app/views/init_view.h"
#include "scene/live.h"
#include "app/export/pngio.h"
#include "app/progress.h"
#include "core/parallel.h"
#include "core/quote.h"
#include "app/views/scene_view.h"

#define INIT_MAX_SIDE 8192
/* layers x width^2 x batch: the multiply-adds of one scheme's pass (about 1.5e9 a
 * second here, times seven schemes), and layers x width x batch: the activations
 * kept for the backward pass (8 bytes each) */
#define INIT_MAX_WORK 2.0e10
#define INIT_MAX_KEPT 2.5e8

static void init_help(void)
{
    printf("Usage: optiscape init [--act relu|tanh|linear] [--layers N] [--width W] [--batch B]\n"
           "                      [--seed S] [--scheme NAME]... [--png FILE.png [--size WxH]\n"
           "                      [--theme dark|light] [--force]]\n"
           "\n"
           "A deep MLP at initialization, a_l = act(W_l a_l-1) without biases, run forward on\n"
           "B samples of N(0,1) inputs and backward from the loss sum(r * a_N) (r: random signs),\n"
           "once per weight scheme (the same seed gives every scheme the same random numbers).\n"
           "Prints CSV: scheme,layer,act_rms,grad_rms with one row per scheme and layer 0..N:\n"
           "the root mean square over samples and units of the activations a_l (layer 0: the\n"
           "inputs) and of the gradient d loss / d a_l (1 at the top layer), 17 digits.\n"
           "\n"
           "Options:\n"
           "  --act A        relu (default), tanh or linear\n"
           "  --layers N     weight layers, 1 to %d (default 50)\n"
           "  --width W      units per layer, 1 to %d (default 256)\n"
           "  --batch B      input samples, 1 to %d (default 64)\n"
           "  --seed S       seed of the inputs, signs and weights (default 0)\n"
           "  --scheme NAME  repeatable; default all of them, n = fan-in = fan-out = W:\n"
           "                   var1n, var2n, var3n   N(0, 1/n), N(0, 2/n), N(0, 3/n)\n"
           "                   xavier_uniform        U(-a, a), a = sqrt(6 / (fan_in + fan_out))\n"
           "                   xavier_normal         N(0, 2 / (fan_in + fan_out))\n"
           "                   kaiming_uniform       U(-b, b), b = gain sqrt(3 / fan_in)\n"
           "                   kaiming_normal        N(0, gain^2 / fan_in)\n"
           "                 gain: torch.nn.init.calculate_gain: relu sqrt(2), tanh 5/3, linear 1\n"
           "  --png FILE     draw the two charts (activation and gradient RMS per layer, log\n"
           "                 scale) into FILE.png instead of printing CSV\n"
           "  --size WxH     of the PNG, up to %dx%d (default 1500x640)\n"
           "  --theme T      dark (default) or light (for print)\n"
           "  --force        replace FILE if it exists\n"
           "\n"
           "Limits: layers x width^2 x batch at most %.0f (about a minute for the seven\n"
           "schemes) and layers x width x batch at most %.0f (2 GB of activations).\n"
           "\n"
           "Example: optiscape init --act tanh --scheme xavier_normal --scheme kaiming_normal\n",
           INITNORM_MAX_LAYERS, INITNORM_MAX_WIDTH, INITNORM_MAX_BATCH, INIT_MAX_SIDE, INIT_MAX_SIDE, INIT_MAX_WORK,
           INIT_MAX_KEPT);
}

typedef struct init_opts {
    initnorm_cfg cfg;
    unsigned schemes;
    const char *png;
    int w, h, light, force, size_given, theme_given;
} init_opts;

static int check_act(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    init_opts *o = user;
    int a = initnorm_act_parse(v);
    if (a < 0) return -1;
    o->cfg.act = (initnorm_act)a;
    return 0;
}

static int check_scheme(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    init_opts *o = user;
    int s = initnorm_scheme_parse(v);
    if (s < 0) {
        snprintf(err, errlen, "--scheme: unknown scheme '%.40s' (var1n, var2n, var3n, xavier_uniform, "
                 "xavier_normal, kaiming_uniform, kaiming_normal)", v);
        return -1;
    }
    o->schemes |= 1u << s;
    return 0;
}

static int check_size(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    const init_opts *o = user;
    if (o->w <= INIT_MAX_SIDE && o->h <= INIT_MAX_SIDE && o->w >= 320 && o->h >= 200) return 0;
    snprintf(err, errlen, "--size: %dx%d is outside 320x200 .. %dx%d", o->w, o->h, INIT_MAX_SIDE, INIT_MAX_SIDE);
    return -1;
}

static int parse_args(int argc, char **argv, init_opts *o)
{
    const cli_opt opts[] = {
        {"--force", CLI_FLAG, .dst = &o->force},
        {"--act", CLI_CUSTOM, .expect = "relu, tanh or linear", .show = 40, .check = check_act},
        {"--scheme", CLI_CUSTOM, .check = check_scheme},
        {"--layers", CLI_INT, &o->cfg.layers, 1, INITNORM_MAX_LAYERS, .show = 40},
        {"--width", CLI_INT, &o->cfg.width, 1, INITNORM_MAX_WIDTH, .show = 40},
        {"--batch", CLI_INT, &o->cfg.batch, 1, INITNORM_MAX_BATCH, .show = 40},
        {"--seed", CLI_SEED, .dst = &o->cfg.seed},
        {"--png", CLI_STRING, &o->png, .check = cli_check_png},
        {"--size", CLI_SIZE, &o->w, .dst2 = &o->h, .expect = "WxH such as 1500x640", .show = 40,
         .given = &o->size_given, .check = check_size},
        {"--theme", CLI_THEME, &o->light, .show = 40, .given = &o->theme_given},
        {NULL},
    };
    const cli_parser parser = {"init", opts, init_help, "unknown option '%.80s' (see optiscape init --help)",
                               .user = o};
    int rc = cli_parse(&parser, argc, argv);
    if (rc != 0) return rc;
    if (!o->png && (o->size_given || o->theme_given || o->force))
        return cli_bad("init", "%s is for the PNG: give --png FILE.png too",
                       o->size_given ? "--size" : o->theme_given ? "--theme" : "--force");
    initnorm_cfg c = initnorm_defaults(&o->cfg);
    double work = (double)c.layers * c.width * c.width * c.batch, kept = (double)c.layers * c.width * c.batch;
    if (work > INIT_MAX_WORK)
        return cli_bad("init", "%d layers x %d^2 units x a batch of %d is %.3g multiply-adds a scheme, more than the "
                       "limit of %.0f: fewer --layers, a smaller --width or --batch", c.layers, c.width, c.batch, work,
                       INIT_MAX_WORK);
    if (kept > INIT_MAX_KEPT)
        return cli_bad("init", "%d layers x %d units x a batch of %d is %.3g activations to keep, more than the limit "
                       "of %.0f", c.layers, c.width, c.batch, kept, INIT_MAX_KEPT);
    if (o->png && cli_out_check("init", "--png", o->png, o->force) != 0) return EXIT_BAD_INPUT;
    return 0;
}

static int write_csv(const init_view_result *r)
{
    int stride = r->cfg.layers + 1;
    printf("scheme,layer,act_rms,grad_rms\n");
    for (int s = 0; s < INITNORM_SCHEME_COUNT; s++) {
        if (!(r->schemes >> s & 1)) continue;
        for (int l = 0; l <= r->cfg.layers; l++)
            printf("%s,%d,%.17g,%.17g\n", initnorm_scheme_name(s), l, r->act_rms[s * stride + l],
                   r->grad_rms[s * stride + l]);
    }
    return cli_stdout_done("init");
}

typedef struct init_drawing {
    const init_view *iv;
    float scale;
    const scene_theme *th;
} init_drawing;

static void draw_init(gfx *g, void *user, int w, int h)
{
    const init_drawing *d = user;
    init_view_draw(g, d->iv, 0, 0, (float)w, (float)h, d->scale, d->th);
}

static int write_png(const init_view *iv, const init_opts *o, int argc, char **argv)
{
    int w = o->w, h = o->h;
    float scale = (float)fmax(0.75, fmin(w / 1500.0, h / 640.0));
    static live L;                /* only for the theme */
    L.disp.cmap = o->light ? STYLE_CMAP_LIGHT : STYLE_CMAP_VIRIDIS;
    scene_theme th = scene_theme_of(&L);
    const initnorm_cfg *c = &init_view_current(iv)->cfg;
    char desc[512];
    snprintf(desc, sizeof desc, "activation and gradient RMS per layer at initialization; %s, %d layers of %d, "
             "batch %d, seed %llu", initnorm_act_name(c->act), c->layers, c->width, c->batch,
             (unsigned long long)c->seed);
    init_drawing d = {iv, scale, &th};
    return figure_png("init", w, h, th.bg, draw_init, &d, desc, argc, argv, o->png, o->force);
}

/* The schemes a few at a time (as many as there are processors, so none is idle),
 * for the progress line: each scheme's network is its own computation from the
 * seed, the same whichever others are computed with it. */
static int compute(init_view *iv, const init_opts *o)
{
    unsigned all = (1u << INITNORM_SCHEME_COUNT) - 1, want = o->schemes ? o->schemes & all : all;
    int ncpu = cpu_count();
    int per = ncpu < 1 ? 1 : ncpu > INITNORM_SCHEME_COUNT ? INITNORM_SCHEME_COUNT : ncpu;
    int total = 0;
    for (int s = 0; s < INITNORM_SCHEME_COUNT; s++) total += want >> s & 1;
    initnorm_cfg c = initnorm_defaults(&o->cfg);
    job_begin("init", " networks", total);
    unsigned done = 0;
    int ndone = 0, rc = 0;
    init_view part = {0};
    while (done != want && rc == 0) {
        unsigned chunk = 0;
        int n = 0;
        for (int s = 0; s < INITNORM_SCHEME_COUNT && n < per; s++)
            if ((want & ~done) >> s & 1) {
                chunk |= 1u << s;
                n++;
            }
        init_view *dst = done ? &part : iv;
        if (init_view_compute(dst, &c, chunk) != 0) { rc = -1; break; }
        if (done) {
            /* into the first chunk's result, which becomes every scheme's */
            init_view_result *r = &iv->res[c.act];
            const init_view_result *q = init_view_current(&part);
            int stride = c.layers + 1;
            for (int s = 0; s < INITNORM_SCHEME_COUNT; s++)
                if (chunk >> s & 1) {
                    memcpy(r->act_rms + (size_t)s * stride, q->act_rms + (size_t)s * stride, stride * sizeof(double));
                    memcpy(r->grad_rms + (size_t)s * stride, q->grad_rms + (size_t)s * stride,
                           stride * sizeof(double));
                }
            r->schemes |= chunk;
        }
        done |= chunk;
        ndone += n;
        job_progress(ndone);
    }
    job_end();
    init_view_free(&part);
    return rc;
}

int cmd_init(int argc, char **argv)
{
    init_opts o = {.w = 1500, .h = 640};
    int rc = parse_args(argc, argv, &o);
    if (rc < 0) return EXIT_OK;             /* --help */
    if (rc != 0) return rc;
    job_guard_begin("init");
    init_view iv = {0};
    if (compute(&iv, &o) != 0) {
        initnorm_cfg c = initnorm_defaults(&o.cfg);
        fprintf(stderr, "optiscape init: not enough memory for %d layers of %d units and a batch of %d\n",
                c.layers, c.width, c.batch);
        init_view_free(&iv);
        return EXIT_RUNTIME;
    }
    rc = o.png ? write_png(&iv, &o, argc, argv) : write_csv(init_view_current(&iv));
    init_view_free(&iv);
    return rc;
}
