/* window_internal: what the files of the interactive window share: its options, the
 * app struct (window, GL, ui, scene, workers, interaction state), the layout of a
 * frame, and the functions one file calls in another. Included by the files of
 * window/ only. */
#ifndef OPTISCAPE_WINDOW_INTERNAL_H
#define OPTISCAPE_WINDOW_INTERNAL_H

#include <SDL.h>
#include <stddef.h>
#include <stdio.h>

#include "app/cli.h"
#include "app/platform/glctx.h"
#include "app/views/basin_view.h"
#include "app/views/init_view.h"
#include "app/views/netlab_view.h"
#include "app/views/scene_view.h"
#include "app/views/swarm_view.h"
#include "app/views/view3d.h"
#include "app/window/panel.h"
#include "render/gfx.h"
#include "scene/field_worker.h"
#include "scene/live.h"
#include "ui/ui.h"

typedef struct win_opts {
    int fullscreen;
    long frames;                /* 0: run until closed */
    const char *screenshot;
    int force;
    int w, h;
    const char *shader_dir;
    long steps;                 /* run before the first frame */
    int paused;
    int disp[LIVE_DISP_COUNT];  /* --panel on|off ...: the toggles of scene/display.h */
    int disp_given[LIVE_DISP_COUNT];
    int cmap;                   /* -1: default */
    double sps;                 /* steps per second; 0: default */
    int bench;                  /* bench frames: 1 full scene, 2 field only */
    int vsync;
    const char *script;         /* synthetic input, one command per frame (tests) */
    int print_state;            /* print the scene at exit (tests, scripts) */
    const char *shots_dir;      /* where F12 saves (default: the current directory) */
    int class_mode;             /* --class */
    char **scenes;              /* --scene FILE|DIR, in order (folders expanded) */
    int nscenes;
    int shot_scale;             /* Shift+F12: 2 or 4 times the canvas */
    int size_given;             /* --size: exactly that, else the default fitted to the screen */
    int view3d;                 /* --3d: start in the 3D view */
    cam3d cam;                  /* --camera */
    int swarm;                  /* --swarm N: particles W runs (and a swarm from the start) */
    const char *net, *net_data; /* --net SPEC, --data SET: the network lab (J shows it) */
} win_opts;

typedef struct app {
    glctx gl;                   /* the window and its GL context */
    SDL_Window *win;            /* gl.win */
    gfx *g;
    ui *u;
    field_worker *fw;
    live L;
    panel_state ps;
    scene_field sf;
    scene_view_cache *svc;      /* the canvas's, in every layout's sv */
    win_opts o;
    float user_scale;
    float help_scroll;          /* F1 help: pixels scrolled (wheel, arrows, PageUp/PageDown) */
    int shot_pending;           /* F12 (1) or Shift+F12 (shot_scale): after this frame's drawing */
    int scrubbing;              /* the timeline is being dragged */
    init_view iv;               /* the initialization panel (K; Shift+K: ReLU / tanh) */
    int show_init;
    netlab *lab;                /* --net: the network lab, trained while playing */
    netlab_desc net_desc;       /* what lab was made from: the panel edits it, then asks
                                   win_net_rebuild for a new lab */
    int net_rebuild;            /* 1: make lab again from net_desc before the next frame */
    netlab *lab_more[3];        /* a scene's further [net]s: trained beside lab, in its chart */
    int nlab_more;
    char net_label[4][64];      /* the labs' labels ("": the optimizer's spec) */
    int net_axis;               /* the chart's x axis: netlab_xaxis */
    struct netseeds *seeds;     /* the seeds' scatter in the spectrum's place, or NULL */
    netlab *retired[8];         /* labs replaced while a worker still computed for them: freed once idle */
    int nretired;
    int seeds_k;                /* its seeds, updates at most and gradient norm to stop at */
    long seeds_steps;
    double seeds_gtol;
    int nets_from_scene;        /* the labs came from a scene's [net]s (a scene without goes back to none) */
    int show_net;               /* J: its view over the canvas */
    double net_accum;           /* playing: the updates the speed asked for, not yet made (a fraction) */
    netlab_view_cache *nvc;     /* its images kept between frames */
    int scene_index;            /* which of o.scenes is shown (PageUp / PageDown); -1 none */
    char **scene_names;         /* their names for the panel's Lessons list */
    /* field requests */
    double req_view[4];
    int req_w, req_h;
    unsigned req_gen;
    int have_req, req_lmax;
    /* canvas interaction */
    int panning, pan_moved, drag_start;
    float press_x, press_y;
    int sect_drag;              /* L's cross-section: its segment being drawn from the press */
    double sect_a[2];           /* its first end, the press point in the plane */
    double pan_center[2];
    float mouse_x, mouse_y;
    /* touch: up to two fingers (framebuffer pixels); two pinch-zoom and pan about
       their midpoint, from the view they found */
    SDL_FingerID finger[2];
    float finger_x[2], finger_y[2];
    int nfinger, pinching;
    float pinch_d0, pinch_mx0, pinch_my0;
    double pinch_center[2], pinch_upp;
    int mouse_in_canvas;
    int mouse_seen;             /* a real motion event arrived: the pointer is ours */
    double fps;
    long frames_drawn;
    char note[512];
    char plane_file[4200];      /* the last slice made the landscape (Shift+J), "" none */
    long plane_step;            /* the step its plane goes through */
    double note_until;
    int quit;
    int need_fit;
    double fit_view[4];
    int refit_crit;             /* fit view asked before the critical points were known */
    const char *script_at;      /* next command of o.script */
    int script_wait;
    int view3d;                 /* D: the surface in 3D instead of the contour map */
    cam3d cam;
    int cam_drag;               /* 3D: 1 orbiting, 2 panning the camera */
    float cam_x, cam_y;         /* the pointer at the last drag event */
    /* W: the selected runner's optimizer as a swarm; B: basins of every runner */
    swarm_view *swarm;
    int want_swarm;
    basin_worker *bw;
    basin_set *basins;
    int basins_on, basins_asked;
    unsigned basins_gen;
    runner_desc basins_desc[LIVE_MAX_RUNNERS];
    int basins_nrun;
} app;

typedef struct layout {
    int fw, fh;                 /* framebuffer */
    float scale;                /* HiDPI x user */
    float panel_w, status_h;
    scene_view sv;
} layout;

/* The ui's input of one frame, split so that every key event is seen on its own:
 * a new input starts at a key when the current one already has a key or text, and
 * at text when it has a key (five BackSpaces in one frame delete five characters,
 * "a", BackSpace, "b" gives "b"). The ui runs once per input, in order. */
#define INPUT_PASSES 64

typedef struct input_queue {
    ui_input in[INPUT_PASSES];
    int n;
} input_queue;

/* window.c: the window, a frame, the scene and its options */
void win_set_note(app *a, const char *msg);
layout win_compute_layout(app *a);
void win_fit_landscape(app *a, const layout *l);
int win_build_scene(app *a, cli_scene *sc);
void win_apply_opts(app *a);
int win_open_window(app *a);
void win_close_window(app *a);
void win_frame(app *a, double dt, int deterministic);
int win_net_rebuild(app *a);
struct scene_doc;
int win_nets_from_doc(app *a, const struct scene_doc *doc, char *err, size_t errlen);
void win_nets_to_doc(const app *a, struct scene_doc *doc);
void win_nets_free(app *a);
void win_nets_step_more(app *a, long n, double deadline, int paused);
/* Shift+J, the panel's "the slice as a landscape": nets.c. */
int win_net_plane_landscape(app *a);
/* The seeds' scatter for the lab shown: on (a new experiment from its desc, with
   a->seeds_k etc., 20 seeds / 2000 updates / 1e-3 where unset) or off. */
void win_net_seeds(app *a, int on);
/* A lab no longer shown: freed now when its workers are idle, else kept in
   a->retired until they are (win_nets_reap, each frame), so a frame never waits
   for a spectrum or a slice of a network that is gone. */
void win_net_retire(app *a, netlab *lab);
/* all: wait for every retired lab (closing); else only the idle ones go. */
void win_nets_reap(app *a, int all);

/* input.c: the SDL events of a frame, to the ui's inputs and the canvas */
int win_in_canvas(const layout *l, float x, float y);
void win_handle_events(app *a, input_queue *q, layout *l);

/* keymap.c: the window's keys and their help */
extern const int win_help_count;
/* Help line i (0 .. win_help_count - 1): its keys and what they do. */
void win_help_line(int i, char *key, size_t nkey, char *text, size_t ntext);
void win_key_down(app *a, const SDL_KeyboardEvent *e, const layout *l);

/* args.c: the window's command line */
int win_parse_window_args(int argc, char **argv, cli_scene *sc, win_opts *o);

/* lessons.c: the list of scene files, switching between them, saving one */
int win_add_scene_arg(win_opts *o, const char *path, char *err, size_t errlen);
int win_scene_option(cli_scene *sc, const char *path, char *err, size_t errlen);
void win_name_scenes(app *a);
void win_default_scenes(app *a);
void win_free_scene_names(app *a);
void win_free_scenes(win_opts *o);
void win_apply_scene_wishes(app *a);
void win_switch_scene(app *a, int idx);
void win_save_scene(app *a, const layout *l);
/* The scene as a scene file (what Ctrl+S saves: it reloads exactly) written to f. */
int win_write_scene(app *a, const layout *l, FILE *f);

/* overlays.c: help, status line, the swarm and the basin maps */
void win_draw_help(gfx *g, const layout *l, const scene_theme *th, float *scroll);
void win_draw_status(gfx *g, app *a, const layout *l, const scene_theme *th);
void win_swarm_under(gfx *g, const scene_view *sv, void *user);
void win_basins_drop(app *a);
void win_update_swarm_basins(app *a, const layout *l, int deterministic);
void win_draw_basins(app *a, const layout *l, const scene_theme *th);

/* shots.c: screenshots (F12, Shift+F12, --screenshot) */
int win_save_screenshot(app *a, const char *path, int force, char *err, size_t errlen);
void win_take_pending_shot(app *a, const layout *l);

#ifdef __EMSCRIPTEN__
/* web.c: the browser edition's page. The app the page's calls act on (set when the
 * frames begin), and a file written here handed to the page as a download: kind
 * "png" or "scene" (the page names it optiscape-0001.png, ...). */
extern app *win_web_app;
void win_offer_download(const char *path, const char *kind);
#endif

/* script.c: scripted input and the printed state (tests) */
int win_script_step(app *a);
int win_print_state(app *a);
size_t win_format_net_row(const net_row *r, char *buf, size_t cap);

#endif
