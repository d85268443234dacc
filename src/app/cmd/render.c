/* cmd_render: figures without a window. The scene is drawn by scene_draw, the same
 * function the window uses, into offscreen framebuffers (SDL's offscreen video
 * driver and EGL: no X server), in bands of tiles no larger than the GL limits, and
 * streamed into the PNG a band at a time, so a 16384x16384 figure never needs the
 * whole picture in memory. SVG goes through svg.c (vectors, no GL at all). Frame
 * sequences are numbered PNGs, or raw frames piped to ffmpeg for .mp4 and .gif. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "optiscape_config.h"
#include "app/cli.h"
#include "app/platform/glctx.h"
#include "app/commands.h"
#include "scene/field_worker.h"
#include "scene/live.h"
#include "app/export/pngio.h"
#include "app/progress.h"
#include "core/quote.h"
#include "render/gfx.h"
#include "app/scene_setup.h"
#include "app/views/scene_view.h"
#include "app/views/view3d.h"
#include "scene/scenefile.h"
#include "app/export/svg.h"
#include "app/export/netfig.h"
#include "app/views/netlab_view.h"
#include "core/expr.h"

#define RENDER_MAX_SIDE 16384
#define BAND_ROWS 1024            /* rows rendered and written at a time */
#define FIELD_MAX_SAMPLES 4.0e6   /* one field sample a pixel, up to this many */
/* An animation's bounds, so a job fits a small machine and ends within minutes: at
 * 1600x1000 a frame takes about 70 ms and 1 MB as a PNG, so 2500 such frames are
 * about three minutes and 2.5 GB. */
#define RENDER_MAX_FRAMES 10000
#define RENDER_MAX_PIXELS 4.0e9   /* frames x width x height */

extern char **environ;

typedef enum out_kind { OUT_PNG, OUT_SVG, OUT_MP4, OUT_GIF } out_kind;

typedef struct render_opts {
    int w, h;
    long steps;
    int steps_given;              /* --steps on the command line (a [net] scene: else its pretrain) */
    const char *out;
    out_kind kind;
    const char *frames_dir;
    double fps, speed;
    int light, cmap, transparent;
    int legend, chart, crit, iso, hill, caption;
    double scale;
    int force;
    int view3d;                   /* --3d: the surface, seen by cam */
    cam3d cam;
    const cli_scene *sc;          /* while the options are read: a --scene file's display */
} render_opts;

typedef struct renderer {
    glctx gl;
    gfx *g;
    gfx_target *t;
    int tw, th;                   /* tile size */
    unsigned char *band;          /* w x BAND_ROWS RGBA */
    unsigned char *tile;          /* tw x th RGBA */
    const cam3d *cam;             /* the 3D view, drawn in one piece (NULL: the map, tiled) */
    scene_view_cache *svc;        /* the figure's, shared by its tiles */
    const netfig *net;            /* a scene's [net] sections: the network view instead */
    netlab_view_cache *nvc;
} renderer;

static void usage(void)
{
    printf("Usage: optiscape render [SCENE OPTIONS] --out FILE.png|FILE.svg [OPTIONS]\n"
           "       optiscape render [SCENE OPTIONS] --frames-dir DIR [--fps F] [OPTIONS]\n"
           "       optiscape render [SCENE OPTIONS] --out FILE.mp4|FILE.gif [--fps F] [OPTIONS]\n"
           "Draws the window's picture of a scene into a file, with no display needed.\n\n"
           SCENE_OPTIONS_HELP
           "\nOptions:\n"
           "  --out FILE          .png (PNG with the scene in tEXt chunks), .svg (vectors),\n"
           "                      .mp4 or .gif (an animation, through ffmpeg)\n"
           "  --steps N           steps every runner takes (default 200, or the --scene file's);\n"
           "                      a scene with [net] sections: updates of every lab (default the\n"
           "                      largest pretrain of its [net]s, else their largest steps, else %ld)\n"
           "  --size WxH          pixels, up to 16384x16384 (default 1600x1000)\n"
           "  --theme dark|light  dark: viridis on dark (default); light: for print\n"
           "  --cmap viridis|cividis|light  the colour map (light: as --theme light)\n"
           "  --transparent       no colour map and no background: iso-lines, paths, marks\n"
           "  --legend on|off, --chart on|off, --critical on|off, --iso on|off, --hillshade on|off,\n"
           "  --caption on|off    (a scene's title and caption: on)\n"
           "                      (defaults: legend, critical points and iso-lines on)\n"
           "  --scale S           size of text and marks (default: by the figure's size)\n"
           "  --3d                the loss as a lit 3D surface instead of the contour map\n"
           "  --camera Y,P[,Z]    its camera: yaw and pitch in degrees, zoom (default -32,46,1)\n"
           "  --frames-dir DIR    the animation as DIR/frame-00000.png, ... (one per frame)\n"
           "  --fps F             frames per second of an animation (default 30)\n"
           "  --speed S           steps per second of an animation (default 100)\n"
           "  --force             replace existing files\n"
           "\nLimits: an animation has 1 + steps x fps / speed frames, at most %d, and at most\n"
           "%.0f pixels in all (frames x width x height: 2500 frames of 1600x1000); a longer one\n"
           "is refused before anything is drawn. Ctrl+C stops it and removes what it wrote.\n"
           "\nA --scene file with [net] sections is drawn as the window shows it: the network\n"
           "view of its first lab (data and model, the loss on a plane with the path, the\n"
           "curves with the other labs beside it, the Hessian spectrum), the slice and the\n"
           "spectrum computed to the end, the scene's title and caption below (in an SVG, its\n"
           "title and desc); PNG, or SVG with the panels as vectors and the boundary and slice\n"
           "maps as embedded images.\n",
           NETFIG_DEFAULT_STEPS, RENDER_MAX_FRAMES, RENDER_MAX_PIXELS);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int on_path(const char *prog);

static long frame_count(const render_opts *o)
{
    double n = floor((double)o->steps * o->fps / o->speed + 1e-9) + 1;
    return n > 1e9 ? 1000000000L : (long)n;
}

static void frame_name(char *buf, size_t len, const char *dir, long k)
{
    snprintf(buf, len, "%s/frame-%05ld.png", dir, k);
}

/* A --scene file's display, steps and speed, as if given as options at its place
 * (options after it override them). */
static void take_scene(render_opts *o, const scene_doc *doc)
{
    const int *v = doc->disp, *set = doc->disp_set;
    if (set[SCENE_DISP_THEME]) o->light = v[SCENE_DISP_THEME];
    if (set[SCENE_DISP_CMAP]) o->cmap = v[SCENE_DISP_CMAP] ? STYLE_CMAP_CIVIDIS : STYLE_CMAP_VIRIDIS;
    static const int keys[] = {SCENE_DISP_LEGEND, SCENE_DISP_CHART, SCENE_DISP_CRITICAL, SCENE_DISP_ISO,
                               SCENE_DISP_HILLSHADE};
    int *dst[] = {&o->legend, &o->chart, &o->crit, &o->iso, &o->hill};
    for (int t = 0; t < 5; t++)
        if (set[keys[t]]) *dst[t] = v[keys[t]];
    if (doc->has_steps) o->steps = doc->steps;
    if (doc->has_speed) o->speed = doc->speed;
}

static void on_scene(void *user, const char *arg)
{
    render_opts *o = user;
    if (strncmp(arg, "--scene", 7) == 0) take_scene(o, o->sc->doc);
}

static int check_camera(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    render_opts *o = user;
    if (cli_check_camera("--camera", v, err, errlen) != 0 || cam3d_parse(v, &o->cam, err, errlen) != 0) return -1;
    return 0;
}

static int check_out(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    render_opts *o = user;
    static const char *const ext[] = {".png", ".svg", ".mp4", ".gif"};
    for (int k = 0; k < 4; k++)
        if (ends_with(v, ext[k])) {
            o->kind = (out_kind)k;
            return 0;
        }
    snprintf(err, errlen, "--out: '%s' must end in .png, .svg, .mp4 or .gif", quote(v));
    return -1;
}

static int check_frames_dir(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    if (*v) return 0;
    snprintf(err, errlen, "--frames-dir: the directory name is empty");
    return -1;
}

static int check_size(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    const render_opts *o = user;
    if (o->w <= RENDER_MAX_SIDE && o->h <= RENDER_MAX_SIDE) return 0;
    snprintf(err, errlen, "--size: %dx%d is larger than %dx%d, the largest figure render makes", o->w, o->h,
             RENDER_MAX_SIDE, RENDER_MAX_SIDE);
    return -1;
}

/* Where the picture goes and how large an animation is: 0, or EXIT_BAD_INPUT
 * having said what was wrong. */
static int check_outputs(const render_opts *o)
{
    if (!o->out && !o->frames_dir)
        return cli_bad("render", "say where the picture goes: --out FILE.png|.svg|.mp4|.gif or --frames-dir DIR");
    if (o->out && o->frames_dir && (o->kind == OUT_PNG || o->kind == OUT_SVG))
        return cli_bad("render", "--frames-dir writes an animation: --out must then be .mp4 or .gif, or left out");
    if (o->view3d && o->kind == OUT_SVG && o->out)
        return cli_bad("render", "--3d draws pixels: --out must be .png, .mp4 or .gif, not .svg");
    if (o->out && cli_out_check("render", "--out", o->out, o->force) != 0) return EXIT_BAD_INPUT;
    int animation = o->frames_dir || o->kind == OUT_MP4 || o->kind == OUT_GIF;
    if (animation) {
        long n = frame_count(o);
        double px = (double)n * o->w * o->h;
        if (n > RENDER_MAX_FRAMES)
            return cli_bad("render", "%ld frames (%ld steps at %g steps/s, %g frames/s) is more than the limit of %d "
                           "frames: fewer --steps, a lower --fps or a higher --speed", n, o->steps, o->speed, o->fps,
                           RENDER_MAX_FRAMES);
        if (px > RENDER_MAX_PIXELS)
            return cli_bad("render", "%ld frames of %dx%d is %.3g pixels, more than the limit of %.0f: fewer frames "
                           "or a smaller --size", n, o->w, o->h, px, RENDER_MAX_PIXELS);
    }
    return 0;
}

/* --frames-dir is made if missing, so its folder must be there: 0, or EXIT_BAD_INPUT. */
static int check_frames_folder(const char *dir)
{
    if (strlen(dir) > 4000)
        return cli_bad("render", "--frames-dir: the name '%s' is longer than 4000 bytes", quote(dir));
    struct stat st;
    char parent[4100];
    const char *slash = strrchr(dir, '/');
    while (slash && slash > dir && slash[1] == 0) {   /* "dir/" */
        const char *p = slash - 1;
        while (p > dir && *p != '/') p--;
        slash = *p == '/' ? p : NULL;
    }
    snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash == dir ? 1 : slash - dir) : 1, slash ? dir : ".");
    if (stat(dir, &st) != 0 && (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)))
        return cli_bad("render", "--frames-dir: the folder %s is not there to make %s in", quote(parent), quote(dir));
    return 0;
}

/* Without --force, no name of the sequence may exist yet (checked before anything
 * is drawn): 0, or EXIT_BAD_INPUT. */
static int check_frames_free(const render_opts *o)
{
    struct stat st;
    if (stat(o->frames_dir, &st) == 0 && !S_ISDIR(st.st_mode))
        return cli_bad("render", "--frames-dir: %s exists and is not a directory", quote(o->frames_dir));
    long n = frame_count(o);
    char path[4200];
    for (long k = 0; k < n; k++) {
        frame_name(path, sizeof path, o->frames_dir, k);
        if (cli_out_exists(path))
            return cli_bad("render", "--frames-dir: %s exists (use --force to replace the frames)", quote(path));
    }
    return 0;
}

/* A scene with [net] sections is drawn as the network view, a still picture (PNG or
 * SVG): 0, or EXIT_BAD_INPUT having said what it cannot be. */
static int check_net_scene(const render_opts *o)
{
    static const char *const what[] = {NULL, NULL, "an .mp4 (the network view is a still picture)",
                                       "a .gif (the network view is a still picture)"};
    if (o->out && o->kind != OUT_PNG && o->kind != OUT_SVG)
        return cli_bad("render", "--out %s: a scene with [net] sections draws the network view, which cannot be %s; "
                       "write --out FILE.png or FILE.svg", quote(o->out), what[o->kind]);
    if (o->frames_dir)
        return cli_bad("render", "--frames-dir: a scene with [net] sections draws the network view, a still "
                       "picture; write --out FILE.png or FILE.svg");
    if (o->view3d || o->transparent)
        return cli_bad("render", "%s: a scene with [net] sections draws the network view, not a landscape",
                       o->view3d ? "--3d" : "--transparent");
    return 0;
}

static int parse_args(int argc, char **argv, cli_scene *sc, render_opts *o)
{
    o->sc = sc;
    const cli_opt opts[] = {
        {"--force", CLI_FLAG, .dst = &o->force},
        {"--transparent", CLI_FLAG, .dst = &o->transparent},
        {"--3d", CLI_FLAG, .dst = &o->view3d},
        {"--camera", CLI_CUSTOM, NULL, .given = &o->view3d, .check = check_camera},
        {"--out", CLI_STRING, &o->out, .check = check_out},
        {"--frames-dir", CLI_STRING, &o->frames_dir, .check = check_frames_dir},
        {"--steps", CLI_LONG, &o->steps, 0, LIVE_REPLAY_CAP, "a count", .show = 40, .given = &o->steps_given},
        {"--size", CLI_SIZE, &o->w, .dst2 = &o->h, .expect = "WxH such as 1600x1000", .show = 40,
         .check = check_size},
        {"--theme", CLI_THEME, &o->light, .show = 40},
        {"--cmap", CLI_CMAP, &o->cmap, .show = 40},
        {"--fps", CLI_DOUBLE, &o->fps, .lo = 0.1, .hi = 240},
        {"--speed", CLI_DOUBLE, &o->speed, .lo = 0.01, .hi = 100000},
        {"--scale", CLI_DOUBLE, &o->scale, .lo = 0.1, .hi = 16},
        {"--legend", CLI_ONOFF, &o->legend, .show = 40},
        {"--chart", CLI_ONOFF, &o->chart, .show = 40},
        {"--critical", CLI_ONOFF, &o->crit, .show = 40},
        {"--iso", CLI_ONOFF, &o->iso, .show = 40},
        {"--hillshade", CLI_ONOFF, &o->hill, .show = 40},
        {"--caption", CLI_ONOFF, &o->caption, .show = 40},
        {NULL},
    };
    const cli_parser parser = {"render", opts, usage, "unknown option '%.80s' (see optiscape render --help)",
                          .scene = sc, .on_scene = on_scene, .user = o};
    int rc = cli_parse(&parser, argc, argv);
    if (rc != 0) return rc;
    if (sc->doc && sc->doc->nnet > 0 && (o->out || o->frames_dir) && (rc = check_net_scene(o)) != 0) return rc;
    if ((rc = check_outputs(o)) != 0) return rc;
    if (o->frames_dir && (rc = check_frames_folder(o->frames_dir)) != 0) return rc;
    if (o->out && (o->kind == OUT_MP4 || o->kind == OUT_GIF) && !on_path("ffmpeg")) {
        fprintf(stderr, "optiscape render: --out %s needs ffmpeg, which is not on PATH "
                "(install it: apt-get install ffmpeg; or write the frames with --frames-dir DIR)\n", quote(o->out));
        return EXIT_RUNTIME;
    }
    if (o->frames_dir && !o->force) return check_frames_free(o);
    return 0;
}

/* ---- GL ---------------------------------------------------------------------- */

static void renderer_close(renderer *R)
{
    if (R->t) gfx_target_destroy(R->g, R->t);
    gfx_destroy(R->g);
    glctx_close(&R->gl);
    free(R->band);
    free(R->tile);
    scene_view_cache_free(R->svc);
    netlab_view_cache_free(R->nvc);
    memset(R, 0, sizeof *R);
}

#define RENDER_MAX_3D 8192   /* a 3D figure is drawn in one piece, with a multisampled copy */

/* 0, -1 (no GL: said), or -2 when a 3D figure is larger than this GL draws at once. */
static int renderer_open(renderer *R, int w, int h, const cam3d *cam)
{
    memset(R, 0, sizeof *R);
    int st = glctx_open(&R->gl, &(glctx_desc){.offscreen = 1, .title = "optiscape render"});
    if (st == GLCTX_NO_VIDEO) {
        fprintf(stderr, "optiscape render: cannot start offscreen drawing: %s\n"
                "  (install Mesa's EGL: libegl-mesa0 libgl1-mesa-dri; or write --out FILE.svg, which needs no GL)\n",
                R->gl.why);
        return -1;
    }
    if (st != GLCTX_OK) {
        fprintf(stderr, "optiscape render: OpenGL 3.3 core is not available here (%s)\n"
                "  (install Mesa: libgl1-mesa-dri libegl-mesa0; or write --out FILE.svg, which needs no GL)\n",
                R->gl.why);
        renderer_close(R);
        return -1;
    }
    char err[1024];
    R->g = gfx_create(&(gfx_desc){0}, err, sizeof err);
    if (!R->g) {
        fprintf(stderr, "optiscape render: %s\n", err);
        renderer_close(R);
        return -1;
    }
    gfx_field_cache(R->g, 0);   /* every tile is a different picture */
    int maxs = gfx_max_size(R->g);
    if (cam) {
        /* the surface is one perspective picture: no tiles, no bands */
        int lim = maxs < RENDER_MAX_3D ? maxs : RENDER_MAX_3D;
        if (w > lim || h > lim) {
            fprintf(stderr, "optiscape render: --3d draws the figure in one piece, and %dx%d is beyond "
                    "%dx%d here (this GL's limit, at most %d); choose a smaller --size\n", w, h, lim, lim,
                    RENDER_MAX_3D);
            renderer_close(R);
            return -2;
        }
        maxs = lim;
    } else if (maxs > 4096) {
        maxs = 4096;
    }
    R->cam = cam;
    R->tw = w < maxs ? w : maxs;
    R->th = h < BAND_ROWS || cam ? h : BAND_ROWS;
    if (R->th > maxs) R->th = maxs;
    R->t = gfx_target_create(R->g, R->tw, R->th, err, sizeof err);
    R->band = malloc((size_t)w * (size_t)R->th * 4);
    R->tile = malloc((size_t)R->tw * (size_t)R->th * 4);
    R->svc = scene_view_cache_new();
    R->nvc = netlab_view_cache_new();
    if (!R->t || !R->band || !R->tile || !R->svc || !R->nvc) {
        fprintf(stderr, "optiscape render: %s\n", R->t ? "out of memory" : err);
        renderer_close(R);
        return -1;
    }
    return 0;
}

/* The network view over the canvas as the window draws it (window.c): its panels
 * above the lesson's caption, at a text size that leaves them room, the caption on
 * top. */
static netlab_view net_view(const netfig *nf, const live *L, const scene_view *sv, float h, netlab_view_cache *c)
{
    float s = sv->scale;
    if (s > 1 && h < 420 * s) s = fmaxf(1, h / 420);
    netlab_view v = {sv->x, sv->y, sv->w, h, s, L->disp.cmap == STYLE_CMAP_LIGHT, .cache = c};
    netfig_view(nf, &v);
    return v;
}

static void draw_net(renderer *R, const live *L, const scene_view *sv)
{
    gfx_rect(R->g, sv->x, sv->y, sv->w, sv->h, 0, scene_theme_of(L).bg);
    float cap[4], h = sv->h, s = sv->scale;
    if (scene_caption_rect(R->g, L, sv, cap) && cap[1] - 6 * s > sv->y + 100 * s) h = cap[1] - 6 * s - sv->y;
    netlab_view v = net_view(R->net, L, sv, h, R->nvc);
    netlab_view_draw(R->g, R->net->lab[0], &v);
    scene_draw_caption(R->g, L, sv);
}

/* Rows y0 .. y0 + rows - 1 of the w-wide figure into R->band, tile by tile. */
static void render_band(renderer *R, const live *L, const scene_field *sf, const scene_view *full,
                        int w, int y0, int rows, uint32_t clear)
{
    for (int x0 = 0; x0 < w; x0 += R->tw) {
        int cw = w - x0 < R->tw ? w - x0 : R->tw;
        gfx_target_bind(R->g, R->t);
        gfx_begin(R->g, cw, rows);
        gfx_clear(R->g, clear);
        scene_view sv = *full;
        sv.x = full->x - (float)x0;
        sv.y = full->y - (float)y0;
        sv.cache = R->svc;
        if (R->net) draw_net(R, L, &sv);
        else if (R->cam) view3d_draw(R->g, L, sf, &sv, R->cam);
        else scene_draw(R->g, L, sf, &sv);
        gfx_end(R->g);
        gfx_read_pixels(R->g, 0, 0, cw, rows, R->tile);
        for (int y = 0; y < rows; y++)
            memcpy(R->band + ((size_t)y * (size_t)w + (size_t)x0) * 4, R->tile + (size_t)y * (size_t)cw * 4,
                   (size_t)cw * 4);
    }
    gfx_target_bind(R->g, NULL);
}

/* ---- the scene ---------------------------------------------------------------- */

typedef struct figure {
    live L;
    field_result fr;
    scene_field sf;
    scene_view sv;
    uint32_t clear;
    char desc[4096];
    char command[4096];
    int argc;
    char **argv;
    netfig *net;                  /* a scene's [net] sections, drawn instead of the landscape */
} figure;

static void describe(figure *F)
{
    int argc = F->argc;
    char **argv = F->argv;
    const live *L = &F->L;
    size_t n = 0;
    if (F->net) netfig_describe(F->net, F->desc, sizeof F->desc);
    else
        n += (size_t)snprintf(F->desc + n, sizeof F->desc - n, "landscape %s; view %.17g,%.17g,%.17g,%.17g; "
                              "start %.17g,%.17g; steps %ld",
                              L->ls.def ? L->ls.label : expr_source(L->ls.f), F->sv.view[0], F->sv.view[1],
                              F->sv.view[2], F->sv.view[3], L->start[0], L->start[1], L->step);
    for (int k = 0; k < L->nrun && n < sizeof F->desc && !F->net; k++) {
        char lab[512];
        scene_runner_label(&L->run[k].r, lab, sizeof lab);
        n += (size_t)snprintf(F->desc + n, sizeof F->desc - n, "; runner %d: %s", k + 1, lab);
    }
    n = (size_t)snprintf(F->command, sizeof F->command, "optiscape render");
    for (int i = 0; i < argc && n < sizeof F->command; i++) {
        int quote = strpbrk(argv[i], " '\"*()^|&;<>$") != NULL;
        n += (size_t)snprintf(F->command + n, sizeof F->command - n, quote ? " '%s'" : " %s", argv[i]);
    }
}

static int figure_build(figure *F, cli_scene *sc, const render_opts *o)
{
    char err[512];
    double fit[4];
    if (sc->doc) sc->doc->has_steps = 0;   /* render takes the steps itself (--steps) */
    if (scene_setup(&F->L, sc, fit, err, sizeof err) != 0) {
        fprintf(stderr, "optiscape render: %s\n", err);
        return EXIT_BAD_INPUT;
    }
    live *L = &F->L;
    L->playing = 0;
    live_display *d = &L->disp;
    d->legend = o->legend;
    d->chart = o->chart;
    d->crit = o->crit;
    d->iso = o->iso;
    d->hillshade = o->hill;
    d->caption = o->caption;
    d->hover = 0;
    d->panel = 0;
    d->help = 0;
    d->fade = 0;                  /* a figure shows the whole path at full strength */
    d->cmap = o->light ? STYLE_CMAP_LIGHT : (style_cmap)o->cmap;
    /* the scene's selected runner stays selected, as in the window: the overlays
       that belong to one runner (its minibatch, its stability region) are its */
    live_fit(L, fit, o->w, o->h);
    double scale = o->scale;
    if (!(scale > 0)) {
        /* as the 1280x800 window looks, grown with the figure */
        scale = fmin(o->w / 1280.0, o->h / 800.0);
        if (scale < 1) scale = 1;
    }
    F->sv = (scene_view){.x = 0, .y = 0, .w = (float)o->w, .h = (float)o->h, .scale = (float)scale,
                         .transparent = o->transparent, .figure = 1};
    live_view(L, o->w, o->h, F->sv.view);
    /* one sample per 2x2 pixels (the shader interpolates; the function is smooth at
       that scale), but at least 600 across the long side, at most one a pixel */
    double k = 0.5, lng = o->w > o->h ? o->w : o->h;
    if (k * lng < 600) k = 600 / lng;
    if (k > 1) k = 1;
    if (k * k * o->w * o->h > FIELD_MAX_SAMPLES) k = sqrt(FIELD_MAX_SAMPLES / ((double)o->w * o->h));
    int fw = (int)(o->w * k), fh = (int)(o->h * k);
    if (fw < 2) fw = 2;
    if (fh < 2) fh = 2;
    if (scene_field_compute(L, &F->fr, F->sv.view, fw, fh, scene_wants_lmax(L), err, sizeof err) != 0) {
        fprintf(stderr, "optiscape render: %s\n", err);
        return EXIT_RUNTIME;
    }
    scene_theme th = scene_theme_of(L);
    F->clear = o->transparent ? 0 : th.bg;
    return EXIT_OK;
}

static void figure_free(figure *F)
{
    if (F->net) netfig_free(F->net);
    free(F->net);
    field_result_free(&F->fr);
    live_free(&F->L);
}

/* The whole figure into a PNG, a band at a time. */
static int write_png(renderer *R, figure *F, const render_opts *o, const char *path)
{
    const char *text[] = {"Software", "optiscape " OPTISCAPE_VERSION, "Description", F->desc,
                          "Source", F->command, NULL};
    char err[4400];
    int status;
    pngio_stream *ps = pngio_stream_open(path, o->w, o->h, text, o->force, &status, err, sizeof err);
    if (!ps) {
        fprintf(stderr, "optiscape render: %s\n", err);
        return status == PNGIO_EXISTS ? EXIT_BAD_INPUT : EXIT_RUNTIME;
    }
    int ok = 1;
    for (int y0 = 0; y0 < o->h && ok; y0 += R->th) {
        int rows = o->h - y0 < R->th ? o->h - y0 : R->th;
        render_band(R, &F->L, &F->sf, &F->sv, o->w, y0, rows, F->clear);
        ok = pngio_stream_rows(ps, R->band, rows) == 0;
        if (!o->frames_dir) job_progress(y0 + rows);
    }
    if (gfx_gl_errors(R->g, "render") > 0) ok = 0;
    int pc = pngio_stream_close(ps, ok, err, sizeof err);
    if (pc != PNGIO_OK) {
        fprintf(stderr, "optiscape render: %s\n", ok ? err : (err[0] ? err : "drawing failed"));
        return pc == PNGIO_EXISTS ? EXIT_BAD_INPUT : EXIT_RUNTIME;
    }
    return EXIT_OK;
}

static int write_svg(figure *F, const render_opts *o)
{
    char err[4400];
    safe_file sfile;
    int rc = safe_open(&sfile, o->out, o->force, err, sizeof err);
    if (rc != PNGIO_OK) {
        fprintf(stderr, "optiscape render: %s\n", err);
        return rc == PNGIO_EXISTS ? EXIT_BAD_INPUT : EXIT_RUNTIME;
    }
    char werr[512] = "";
    int ok;
    if (F->net) {
        /* the network view over the whole canvas (the caption box is gfx's: its
           title and lines go into the document's title and desc) */
        scene_view sv = F->sv;
        sv.x = sv.y = 0;
        netlab_view v = net_view(F->net, &F->L, &sv, sv.h, NULL);
        char desc[sizeof F->desc + 600];
        snprintf(desc, sizeof desc, "%s%s%s%s%s", F->desc, F->L.ncaption > 0 ? "\n" : "",
                 F->L.ncaption > 0 ? F->L.caption[0] : "", F->L.ncaption > 1 ? "\n" : "",
                 F->L.ncaption > 1 ? F->L.caption[1] : "");
        ok = svg_write_netlab(sfile.fp, F->net->lab[0], &v, o->w, o->h, scene_theme_of(&F->L).bg, F->L.title, desc,
                              werr, sizeof werr) == 0;
    } else {
        ok = svg_write_scene(sfile.fp, &F->L, &F->fr, &F->sv, o->transparent, werr, sizeof werr) == 0;
    }
    if (!ok) snprintf(err, sizeof err, "cannot write %s: %s", o->out, werr);
    rc = safe_commit(&sfile, ok, err, sizeof err);
    if (rc != PNGIO_OK) {
        fprintf(stderr, "optiscape render: %s\n", err);
        return rc == PNGIO_EXISTS ? EXIT_BAD_INPUT : EXIT_RUNTIME;
    }
    return EXIT_OK;
}

/* ---- animations ---------------------------------------------------------------- */

/* What Ctrl+C removes of an animation: the frames this run made (without --force
 * the sequence did not exist before; with it, the new frames). The handler may run
 * at any point, so the name is built here with no stdio. */
static char frames_dir_copy[4096];
static volatile long frames_made;
static volatile int frames_dir_made;

static void remove_frames(void)
{
    char path[4200];
    size_t d = strlen(frames_dir_copy);
    for (long k = 0; k < frames_made; k++) {
        memcpy(path, frames_dir_copy, d);
        memcpy(path + d, "/frame-", 7);
        char digits[24];
        int nd = 0;
        long v = k;
        do { digits[nd++] = (char)('0' + v % 10); v /= 10; } while (v > 0);
        while (nd < 5) digits[nd++] = '0';
        size_t o = d + 7;
        while (nd > 0) path[o++] = digits[--nd];
        memcpy(path + o, ".png", 5);
        unlink(path);
    }
    if (frames_dir_made) rmdir(frames_dir_copy);
}

static int on_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path) return 0;
    char buf[4200];
    for (const char *p = path; *p;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? p : ".", prog);
        if (access(buf, X_OK) == 0) return 1;
        p = e ? e + 1 : p + n;
    }
    return 0;
}

/* ffmpeg reading raw frames on a pipe: its pid and the pipe's write end. */
typedef struct encoder {
    pid_t pid;
    FILE *in;
} encoder;

static int encoder_start(encoder *E, const render_opts *o, const char *tmp)
{
    char size[32], rate[32];
    snprintf(size, sizeof size, "%dx%d", o->w, o->h);
    snprintf(rate, sizeof rate, "%g", o->fps);
    /* even sizes for yuv420p; a palette made from the frames for gif */
    const char *mp4[] = {"-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
                         "-crf", "18", "-f", "mp4", NULL};
    const char *gif[] = {"-vf", "split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=sierra2_4a",
                         "-f", "gif", NULL};
    const char *argv[40] = {"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo",
                            "-pix_fmt", "rgba", "-s", size, "-framerate", rate, "-i", "pipe:0"};
    int n = 16;
    for (const char *const *a = o->kind == OUT_MP4 ? mp4 : gif; *a; a++) argv[n++] = *a;
    argv[n++] = tmp;
    argv[n] = NULL;
    int fd[2];
    if (pipe(fd) != 0) return -1;
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[0], 0);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    int rc = posix_spawnp(&E->pid, "ffmpeg", &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[0]);
    if (rc != 0) {
        close(fd[1]);
        errno = rc;
        return -1;
    }
    job_guard_child(E->pid);
    E->in = fdopen(fd[1], "wb");
    if (!E->in) {
        close(fd[1]);
        kill(E->pid, SIGKILL);
        waitpid(E->pid, NULL, 0);
        job_guard_child(0);
        return -1;
    }
    return 0;
}

/* Close the pipe and wait: 0 when ffmpeg exited 0; else its status in why. */
static int encoder_finish(encoder *E, int abandon, char *why, size_t len)
{
    if (abandon) kill(E->pid, SIGKILL);
    if (E->in) fclose(E->in);
    E->in = NULL;
    int st = 0;
    while (waitpid(E->pid, &st, 0) < 0 && errno == EINTR) {}
    job_guard_child(0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
    if (WIFEXITED(st)) snprintf(why, len, "ffmpeg exited with status %d", WEXITSTATUS(st));
    else snprintf(why, len, "ffmpeg was killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    return -1;
}

/* ffmpeg encoding into tmp, a name beside --out guarded against Ctrl+C: EXIT_OK, or
 * EXIT_RUNTIME having said why. */
static int open_encoder(encoder *E, const render_opts *o, char *tmp, size_t tmplen, int *tmp_guard)
{
    if (!on_path("ffmpeg")) {
        fprintf(stderr, "optiscape render: --out %s needs ffmpeg, which is not on PATH "
                "(install it: apt-get install ffmpeg; or write the frames with --frames-dir DIR)\n", quote(o->out));
        return EXIT_RUNTIME;
    }
    const char *slash = strrchr(o->out, '/');
    snprintf(tmp, tmplen, "%.*s.optiscape-%ld%s", slash ? (int)(slash - o->out + 1) : 0, o->out,
             (long)getpid(), o->kind == OUT_MP4 ? ".mp4" : ".gif");
    *tmp_guard = job_guard_file(tmp);
    if (encoder_start(E, o, tmp) != 0) {
        fprintf(stderr, "optiscape render: cannot start ffmpeg: %s\n", strerror(errno));
        job_unguard_file(*tmp_guard);
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

/* The encoder's end: on success the file moves from tmp to --out (refused if --out
 * appeared meanwhile, without --force); tmp is gone either way. The new status. */
static int close_encoder(encoder *E, const render_opts *o, const char *tmp, int tmp_guard, int status)
{
    char why[128] = "";
    int fr = encoder_finish(E, status != EXIT_OK, why, sizeof why);
    if (status == EXIT_OK && fr != 0) {
        fprintf(stderr, "optiscape render: ffmpeg failed writing %s (%s)\n", quote(o->out), why);
        status = EXIT_RUNTIME;
    }
    if (status == EXIT_OK) {
        if (!o->force && link(tmp, o->out) != 0) {
            int e = errno;
            fprintf(stderr, "optiscape render: cannot write %s: %s\n", quote(o->out),
                    e == EEXIST ? "it exists (use --force to replace it)" : strerror(e));
            status = e == EEXIST ? EXIT_BAD_INPUT : EXIT_RUNTIME;
        } else if (o->force && rename(tmp, o->out) != 0) {
            fprintf(stderr, "optiscape render: cannot write %s: %s\n", quote(o->out), strerror(errno));
            status = EXIT_RUNTIME;
        }
    }
    unlink(tmp);
    job_unguard_file(tmp_guard);
    return status;
}

/* Frame k (of nframes) into the frames folder and to the encoder (E->in NULL: none;
 * img its w x h RGBA): EXIT_OK or the failure's status, said. */
static int write_frame(renderer *R, figure *F, const render_opts *o, encoder *E, unsigned char *img, long k,
                       long nframes)
{
    int status = EXIT_OK;
    if (o->frames_dir) {
        char path[4400];
        frame_name(path, sizeof path, o->frames_dir, k);
        status = write_png(R, F, o, path);
        if (status == EXIT_OK) frames_made = k + 1;
    }
    if (E->in && status == EXIT_OK) {
        for (int y0 = 0; y0 < o->h; y0 += R->th) {
            int rows = o->h - y0 < R->th ? o->h - y0 : R->th;
            render_band(R, &F->L, &F->sf, &F->sv, o->w, y0, rows, F->clear);
            memcpy(img + (size_t)y0 * (size_t)o->w * 4, R->band, (size_t)rows * (size_t)o->w * 4);
        }
        /* SIGPIPE is ignored (cmd_render): an ffmpeg that stopped reading is EPIPE here */
        if (fwrite(img, (size_t)o->w * 4, (size_t)o->h, E->in) != (size_t)o->h) {
            char why[128] = "";
            encoder_finish(E, 0, why, sizeof why);
            fprintf(stderr, "optiscape render: ffmpeg stopped taking frames at frame %ld of %ld (%s); "
                    "nothing written\n", k + 1, nframes, why[0] ? why : strerror(errno));
            status = EXIT_RUNTIME;
        }
    }
    return status;
}

static int write_animation(renderer *R, figure *F, const render_opts *o)
{
    long total = o->steps;
    long nframes = frame_count(o);
    encoder E = {0};
    int tmp_guard = -1;
    char tmp[4400] = "";
    if (o->out && open_encoder(&E, o, tmp, sizeof tmp, &tmp_guard) != EXIT_OK) return EXIT_RUNTIME;
    int made_dir = o->frames_dir && mkdir(o->frames_dir, 0777) == 0;
    if (o->frames_dir && !made_dir && errno != EEXIST) {
        fprintf(stderr, "optiscape render: --frames-dir: cannot make %s: %s\n", quote(o->frames_dir), strerror(errno));
        if (E.in) {
            char why[128];
            encoder_finish(&E, 1, why, sizeof why);
            unlink(tmp);
            job_unguard_file(tmp_guard);
        }
        return EXIT_RUNTIME;
    }
    if (o->frames_dir) {
        snprintf(frames_dir_copy, sizeof frames_dir_copy, "%s", o->frames_dir);
        frames_made = 0;
        frames_dir_made = made_dir;
        job_on_interrupt(remove_frames);
    }
    unsigned char *img = E.in ? malloc((size_t)o->w * (size_t)o->h * 4) : NULL;
    int status = EXIT_OK;
    if (E.in && !img) {
        fprintf(stderr, "optiscape render: out of memory for a %dx%d frame\n", o->w, o->h);
        status = EXIT_RUNTIME;
    }
    job_begin("render", " frames", (double)nframes);
    for (long k = 0; k < nframes && status == EXIT_OK; k++) {
        long target = (long)llround((double)k * o->speed / o->fps);
        if (target > total) target = total;
        if (target > F->L.step) live_step(&F->L, target - F->L.step);
        describe(F);
        status = write_frame(R, F, o, &E, img, k, nframes);
        job_progress((double)(k + 1));
    }
    job_end();
    free(img);
    if (E.in) status = close_encoder(&E, o, tmp, tmp_guard, status);
    if (o->frames_dir) {
        /* a sequence is whole or not there: a failure removes the frames made */
        if (status != EXIT_OK) remove_frames();
        job_on_interrupt(NULL);
    }
    return status;
}

/* ---- the command ---------------------------------------------------------------- */

int cmd_render(int argc, char **argv)
{
    render_opts o = {.w = 1600, .h = 1000, .steps = 200, .fps = 30, .speed = 100, .legend = 1,
                     .chart = 0, .crit = 1, .iso = 1, .hill = 0, .caption = 1,
                     .cmap = STYLE_CMAP_VIRIDIS};
    cam3d_defaults(&o.cam);
    cli_scene sc;
    cli_scene_init(&sc);
    int rc = parse_args(argc, argv, &sc, &o);
    if (rc != 0) return cli_stop(&sc, rc);
    figure *F = calloc(1, sizeof *F);
    if (!F) {
        cli_scene_free(&sc);
        fprintf(stderr, "optiscape render: out of memory\n");
        return EXIT_RUNTIME;
    }
    F->argc = argc;
    F->argv = argv;
    rc = figure_build(F, &sc, &o);
    if (rc == EXIT_OK && sc.doc && sc.doc->nnet > 0) {
        char err[700];
        F->net = calloc(1, sizeof *F->net);
        if (!F->net) rc = cli_bad("render", "out of memory");
        else if (netfig_from_doc(F->net, sc.doc, o.steps_given ? o.steps : -1, err, sizeof err) != 0) {
            free(F->net);
            F->net = NULL;
            rc = cli_bad("render", "--scene: %s", err);
        }
    }
    cli_scene_free(&sc);
    if (rc != EXIT_OK) {
        figure_free(F);
        free(F);
        return rc;
    }
    /* a scene that opens in the 3D view (view3d = on) is drawn in 3D, as the window
       shows it (an SVG is the contour map: the surface is pixels) */
    if (F->L.disp.view3d && o.kind != OUT_SVG && !F->net) o.view3d = 1;
    int animation = o.frames_dir || o.kind == OUT_MP4 || o.kind == OUT_GIF;
    /* a failed ffmpeg is a message, not a death by SIGPIPE; Ctrl+C removes what was
       being written */
    signal(SIGPIPE, SIG_IGN);
    job_guard_begin("render");
    if (!animation) {
        if (!F->net) live_step(&F->L, o.steps);
        describe(F);
    }
    if (!animation && o.kind == OUT_SVG) {
        rc = write_svg(F, &o);
    } else {
        renderer R;
        int ro = renderer_open(&R, o.w, o.h, o.view3d ? &o.cam : NULL);
        if (ro != 0) {
            rc = ro == -2 ? EXIT_BAD_INPUT : EXIT_RUNTIME;
        } else {
            R.net = F->net;
            scene_field_upload(R.g, &F->sf, &F->fr);
            if (!animation) job_begin("render", " rows", o.h);
            rc = animation ? write_animation(&R, F, &o) : write_png(&R, F, &o, o.out);
            job_end();
            renderer_close(&R);
        }
    }
    figure_free(F);
    free(F);
    return rc;
}
