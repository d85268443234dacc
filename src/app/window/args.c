/* args: the window's command line: its usage text and options. */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/commands.h"
#include "app/window/window_internal.h"

static void window_usage(void)
{
    printf("Usage: optiscape [SCENE OPTIONS] [WINDOW OPTIONS]\n"
           "Opens the interactive visualizer (F1 in the window lists every key).\n\n"
           SCENE_OPTIONS_HELP
           "\nWindow options:\n"
           "  --size WxH               window size in pixels (default 1280x800)\n"
           "  --fullscreen             start fullscreen (F11 toggles)\n"
           "  --steps N                take N steps before the first frame\n"
           "  --paused                 start paused (Space plays)\n"
           "  --speed S                steps per second, 1 to 10000 (default 100)\n"
           "  --panel on|off           the control panel (Tab toggles)\n"
           "  --legend on|off, --chart on|off, --critical on|off, --hover on|off, --iso on|off\n"
           "  --cmap viridis|cividis|light\n"
           "  --net SPEC, --data SET   the network lab (J shows it): trains as optiscape net train\n"
           "                           with --optimizer, --schedule, --batch, --shuffle, --seed\n"
           "  --shader-dir DIR         load shaders from DIR (F5 reloads them)\n"
           "  --class                  class mode (F2): canvas, legend, caption, the lesson's controls\n"
           "  --scene FILE|FOLDER      (repeatable) a lesson list: PageDown / PageUp go through it;\n"
           "                           Ctrl+S saves the current state as scene-NNNN.scene\n"
           "  --shots-dir DIR          where F12 and Shift+F12 save (default: here)\n"
           "  --shot-scale 2|4         Shift+F12 saves the canvas at 2x (default) or 4x\n"
           "  --3d                     start in the 3D view (D toggles it)\n"
           "  --camera YAW,PITCH[,ZOOM]  its camera, degrees and a factor (default -32,46,1)\n"
           "  --swarm N                the selected runner as a swarm of N particles from a grid\n"
           "                           over the view (W toggles it; default N 10000, at most 100000)\n"
           "  --frames N --screenshot FILE.png [--force]\n"
           "                           draw N frames (1/60 s each), save the window, exit\n"
           "  --print-state            print the scene on stdout when the window closes\n"
           "  --script 'CMD; CMD; ...'  synthetic input, one command per frame: key NAME [N],\n"
           "                           text STR, move|down|up|rdown|rup|click|dclick X Y, wheel X Y N,\n"
           "                           resize W H, wait N (for tests and demos; 255 characters a command)\n");
}

/* --camera YAW,PITCH[,ZOOM]: the camera, and the 3D view. */
static int check_camera(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    win_opts *o = user;
    if (cli_check_camera(opt->name, v, err, errlen) != 0 || cam3d_parse(v, &o->cam, err, errlen) != 0) return -1;
    o->view3d = 1;
    return 0;
}

/* --size: at most 16384 pixels a side. */
static int check_size(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    const win_opts *o = user;
    return o->w > 16384 || o->h > 16384 ? -1 : 0;
}

static int check_shots_dir(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    struct stat st;
    if (stat(v, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    snprintf(err, errlen, "%s: '%.200s' is not a directory", opt->name, v);
    return -1;
}

static int check_shot_scale(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    win_opts *o = user;
    if (strcmp(v, "2") == 0) o->shot_scale = 2;
    else if (strcmp(v, "4") == 0) o->shot_scale = 4;
    else return -1;
    return 0;
}

/* The window's options, with --KEY on|off for the toggles of scene/display.h that
 * have one (the saved rows, which come first, so their index is the toggle's).
 * --scene was taken before: here it is only passed over. */
#define DISP_OPTION(field, NAME, scene_key, ...) "--" scene_key,
static const char *const disp_options[] = {LIVE_DISPLAY_SAVED(DISP_OPTION)};
#undef DISP_OPTION

enum { WIN_MAX_OPTS = 24 + (int)(sizeof disp_options / sizeof *disp_options) };

static void window_options(win_opts *o, cli_opt *opts)
{
    const cli_opt fixed[] = {
        {"--scene", CLI_CUSTOM, .dst = NULL},
        {"--fullscreen", CLI_FLAG, .dst = &o->fullscreen},
        {"--paused", CLI_FLAG, .dst = &o->paused},
        {"--force", CLI_FLAG, .dst = &o->force},
        {"--print-state", CLI_FLAG, .dst = &o->print_state},
        {"--class", CLI_FLAG, .dst = &o->class_mode},
        {"--3d", CLI_FLAG, .dst = &o->view3d},
        {"--camera", CLI_CUSTOM, .check = check_camera},
        /* 100 000 frames is about half an hour at 60 frames a second */
        {"--frames", CLI_LONG, &o->frames, 1, 100000, .expect = "a count", .show = 40},
        {"--steps", CLI_LONG, &o->steps, 0, LIVE_REPLAY_CAP, .expect = "a count", .show = 40},
        {"--screenshot", CLI_STRING, .dst = &o->screenshot, .check = cli_check_png},
        {"--size", CLI_SIZE, &o->w, .dst2 = &o->h, .expect = "WxH from 1x1 to 16384x16384", .show = 40,
         .given = &o->size_given, .check = check_size},
        {"--shots-dir", CLI_STRING, .dst = &o->shots_dir, .check = check_shots_dir},
        {"--shot-scale", CLI_CUSTOM, .expect = "2 or 4", .show = 40, .check = check_shot_scale},
        {"--swarm", CLI_INT, &o->swarm, 1, SWARM_VIEW_MAX, .expect = "a particle count", .show = 40},
        {"--shader-dir", CLI_STRING, .dst = &o->shader_dir},
        {"--speed", CLI_DOUBLE, &o->sps, 1, 10000, .expect = "steps per second", .show = 40},
        {"--script", CLI_STRING, .dst = &o->script},
        {"--cmap", CLI_CMAP, &o->cmap, .show = 40},
        {"--net", CLI_STRING, .dst = &o->net},
        {"--data", CLI_STRING, .dst = &o->net_data},
    };
    int n = 0;
    for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++) opts[n++] = fixed[k];
    for (int t = 0; t < (int)(sizeof disp_options / sizeof *disp_options); t++)
        if (live_display_rows[t].option)
            opts[n++] = (cli_opt){disp_options[t], CLI_ONOFF, &o->disp[t], .show = 40, .given = &o->disp_given[t]};
    assert(n <= WIN_MAX_OPTS);
    opts[n] = (cli_opt){NULL};
}

int win_parse_window_args(int argc, char **argv, cli_scene *sc, win_opts *o)
{
    char err[512];
    /* --scene (files or folders, repeatable) first: the list PageUp and PageDown go
       through; the first one is the scene, and every other option overrides it */
    for (int i = 0; i < argc; i++) {
        const char *v;
        int r = cli_take("--scene", argc, argv, &i, &v, err, sizeof err);
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (r > 0 && win_add_scene_arg(o, v, err, sizeof err) != 0) return cli_bad(NULL, "%s", err);
    }
    if (o->nscenes > 0 && win_scene_option(sc, o->scenes[0], err, sizeof err) != 0) return cli_bad(NULL, "%s", err);
    cli_opt opts[WIN_MAX_OPTS + 1];
    window_options(o, opts);
    const cli_parser parser = {NULL, opts, window_usage, "unknown option '%.80s' (see optiscape --help)",
                               .scene = sc, .user = o};
    int rc = cli_parse(&parser, argc, argv);
    if (rc != 0) return rc;
    if (o->screenshot && !o->frames) return cli_bad(NULL, "--screenshot needs --frames N");
    if (o->screenshot && cli_out_check(NULL, "--screenshot", o->screenshot, o->force) != 0) return EXIT_BAD_INPUT;
    return 0;
}
