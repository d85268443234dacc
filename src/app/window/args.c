/* args: the window's command line: its usage text and options. */
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

/* The options of what the window runs and shows first, at argv[*ip]: 0 taken, an exit
 * status (having said why) for a bad value, -1 not one of these. */
static int run_option(int argc, char **argv, int *ip, win_opts *o)
{
    char err[512];
    const char *v;
    int r;
    if ((r = cli_take("--camera", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (cli_check_camera("--camera", v, err, sizeof err) != 0 || cam3d_parse(v, &o->cam, err, sizeof err) != 0)
            return cli_bad(NULL, "%s", err);
        o->view3d = 1;
        return 0;
    }
    if ((r = cli_take("--frames", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        /* 100 000 frames is about half an hour at 60 frames a second */
        if (cli_parse_count(v, 1, 100000, &o->frames) != 0)
            return cli_bad(NULL, "--frames: expected a count from 1 to 100000, got '%.40s'", v);
        return 0;
    }
    if ((r = cli_take("--steps", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (cli_parse_count(v, 0, LIVE_REPLAY_CAP, &o->steps) != 0)
            return cli_bad(NULL, "--steps: expected a count from 0 to %d, got '%.40s'", LIVE_REPLAY_CAP, v);
        return 0;
    }
    if ((r = cli_take("--screenshot", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        size_t n = strlen(v);
        if (n < 5 || strcmp(v + n - 4, ".png") != 0)
            return cli_bad(NULL, "--screenshot: '%.80s' must end in .png", v);
        o->screenshot = v;
        return 0;
    }
    if ((r = cli_take("--size", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (cli_parse_size(v, &o->w, &o->h) != 0 || o->w > 16384 || o->h > 16384)
            return cli_bad(NULL, "--size: expected WxH from 1x1 to 16384x16384, got '%.40s'", v);
        o->size_given = 1;
        return 0;
    }
    if ((r = cli_take("--shots-dir", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        struct stat st;
        if (stat(v, &st) != 0 || !S_ISDIR(st.st_mode))
            return cli_bad(NULL, "--shots-dir: '%.200s' is not a directory", v);
        o->shots_dir = v;
        return 0;
    }
    return -1;
}

/* The options of how the window looks and where it saves, as run_option. */
static int look_option(int argc, char **argv, int *ip, win_opts *o)
{
    char err[512];
    const char *v;
    int r;
    if ((r = cli_take("--shot-scale", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (strcmp(v, "2") == 0) o->shot_scale = 2;
        else if (strcmp(v, "4") == 0) o->shot_scale = 4;
        else return cli_bad(NULL, "--shot-scale: expected 2 or 4, got '%.40s'", v);
        return 0;
    }
    if ((r = cli_take("--swarm", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        long n;
        if (cli_parse_count(v, 1, SWARM_VIEW_MAX, &n) != 0)
            return cli_bad(NULL, "--swarm: expected a particle count from 1 to %d, got '%.40s'", SWARM_VIEW_MAX, v);
        o->swarm = (int)n;
        return 0;
    }
    if ((r = cli_take("--shader-dir", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        o->shader_dir = v;
        return 0;
    }
    if ((r = cli_take("--speed", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (cli_parse_number(v, 1, 10000, &o->sps) != 0)
            return cli_bad(NULL, "--speed: expected steps per second from 1 to 10000, got '%.40s'", v);
        return 0;
    }
    if ((r = cli_take("--script", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        o->script = v;
        return 0;
    }
    if ((r = cli_take("--cmap", argc, argv, ip, &v, err, sizeof err)) != 0) {
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (strcmp(v, "viridis") == 0) o->cmap = STYLE_CMAP_VIRIDIS;
        else if (strcmp(v, "cividis") == 0) o->cmap = STYLE_CMAP_CIVIDIS;
        else if (strcmp(v, "light") == 0) o->cmap = STYLE_CMAP_LIGHT;
        else return cli_bad(NULL, "--cmap: expected viridis, cividis or light, got '%.40s'", v);
        return 0;
    }
    /* --KEY on|off for the toggles of scene/display.h that have an option (the saved
       rows, which come first, so their index is the toggle's) */
#define DISP_OPTION(field, NAME, scene_key, ...) "--" scene_key,
    static const char *const onoff[] = {LIVE_DISPLAY_SAVED(DISP_OPTION)};
#undef DISP_OPTION
    for (int t = 0; t < (int)(sizeof onoff / sizeof *onoff); t++) {
        if (!live_display_rows[t].option) continue;
        if ((r = cli_take(onoff[t], argc, argv, ip, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            if (cli_onoff(NULL, onoff[t], v, &o->disp[t]) != 0) return EXIT_BAD_INPUT;
            o->disp_given[t] = 1;
            return 0;
        }
    }
    return -1;
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
    for (int i = 0; i < argc; i++) {
        const char *v;
        int r;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { window_usage(); return -1; }
        if ((r = cli_take("--scene", argc, argv, &i, &v, err, sizeof err)) != 0) continue;   /* done above */
        r = cli_scene_option(sc, argc, argv, &i, err, sizeof err);
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (r > 0) continue;
        if (strcmp(argv[i], "--fullscreen") == 0) { o->fullscreen = 1; continue; }
        if (strcmp(argv[i], "--paused") == 0) { o->paused = 1; continue; }
        if (strcmp(argv[i], "--force") == 0) { o->force = 1; continue; }
        if (strcmp(argv[i], "--print-state") == 0) { o->print_state = 1; continue; }
        if (strcmp(argv[i], "--class") == 0) { o->class_mode = 1; continue; }
        if (strcmp(argv[i], "--3d") == 0) { o->view3d = 1; continue; }
        if ((r = run_option(argc, argv, &i, o)) >= 0 || (r = look_option(argc, argv, &i, o)) >= 0) {
            if (r > 0) return r;
            continue;
        }
        return cli_bad(NULL, "unknown option '%.80s' (see optiscape --help)", argv[i]);
    }
    if (o->screenshot && !o->frames) return cli_bad(NULL, "--screenshot needs --frames N");
    if (o->screenshot && cli_out_check(NULL, "--screenshot", o->screenshot, o->force) != 0) return EXIT_BAD_INPUT;
    return 0;
}
