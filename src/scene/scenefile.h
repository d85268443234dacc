/* scenefile: the .scene file format of docs/scene-format.md, read into plain data
 * and written back. A lecturer writes scenes by hand, so every mistake is refused
 * with one message "FILE:LINE: what is wrong", never skipped; the window saves the
 * same format with every key, numbers to 17 digits, so a saved scene loads back to
 * the same state bit for bit. */
#ifndef OPTISCAPE_SCENEFILE_H
#define OPTISCAPE_SCENEFILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/landscape.h"
#include "core/optim.h"
#include "core/sched.h"
#include "scene/display.h"
#include "scene/netlab.h"

#define SCENE_MAX_RUNNERS 16
#define SCENE_MAX_CONTROLS 16
#define SCENE_TEXT_MAX 200              /* bytes of a title or caption line */
#define SCENE_LABEL_MAX 63              /* bytes of a runner's label */
#define SCENE_MAX_FILE (1L << 20)
#define SCENE_MAX_LINE (1L << 16)
#define SCENE_MAX_STEPS 100000L
#define SCENE_SPEED_MIN 1.0
#define SCENE_SPEED_MAX 10000.0
#define SCENE_DEFAULT_SPEED 100.0
/* the runners a scene without [runner] sections gets (LIVE_DEFAULT_RUNNERS) */
#define SCENE_DEFAULT_RUNNERS 5
/* Runner k's noise stream is seeded with seed + k * SCENE_SEED_STRIDE (mod 2^64). */
#define SCENE_SEED_STRIDE 0x9e3779b97f4a7c15ull

/* The [display] keys, in the order they are written. THEME is 0 dark, 1 light;
 * CMAP is 0 viridis, 1 cividis; every other key is a boolean, one for each saved
 * row of scene/display.h (SCENE_DISP_ISO, SCENE_DISP_CRITICAL, ...). */
typedef enum scene_disp_key {
    SCENE_DISP_THEME, SCENE_DISP_CMAP,
#define SCENE_DISP_ENUM(field, NAME, ...) SCENE_DISP_##NAME,
    LIVE_DISPLAY_SAVED(SCENE_DISP_ENUM)
#undef SCENE_DISP_ENUM
    SCENE_DISP_COUNT
} scene_disp_key;

/* The key names of scene_disp_key, and the class-mode control names. */
extern const char *const scene_disp_names[SCENE_DISP_COUNT];
extern const char *const scene_control_names[];
extern const int scene_control_count;

/* schedule, noise and seed: in [scene] for every runner, in a [runner] for that one
 * (over the [scene] values). The has_ flags say whether the key was given. seed is
 * as --seed: runner k's stream is seed + k * SCENE_SEED_STRIDE, so "seed = S" in a
 * [runner] behaves as "--seed S" would for it. */
typedef struct scene_run_opts {
    int has_sched;
    sched_desc sched;
    int has_noise;
    double noise;
    int has_seed;
    uint64_t seed;
    int has_batch;                      /* minibatches over a data landscape's samples */
    int batch;                          /* 0: the full loss */
    int has_shuffle;
    int shuffle;
} scene_run_opts;

/* One [runner]. */
typedef struct scene_runner_doc {
    optim_desc opt;
    scene_run_opts o;
    int visible;                        /* 1 unless "visible = off" */
    char label[SCENE_LABEL_MAX + 1];    /* "" none */
} scene_runner_doc;

/* [net]: a network lab. The first is the one the window shows (data, slice,
 * spectrum); the others train beside it and join its chart, for races and
 * comparisons. The view keys (plane, range, grid, axis, device, spectrum) belong to
 * the first only. */
#define SCENE_MAX_NETS 4
#define SCENE_NET_MAX_PRETRAIN 100000L
enum { SCENE_NET_AXIS_UPDATES, SCENE_NET_AXIS_EPOCHS, SCENE_NET_AXIS_SECONDS };
extern const char *const scene_net_axis_names[3];
extern const char *const scene_net_plane_names[NETLAB_PLANE_COUNT];   /* params: "params:I,J" */
typedef struct scene_net_doc {
    netlab_desc d;                      /* net, data, optimizer, schedule, batch, shuffle, seed, steps, view */
    char label[SCENE_LABEL_MAX + 1];    /* "" none: the chart names it by its spec */
    long pretrain;                      /* updates made before the scene is shown */
    int axis;                           /* SCENE_NET_AXIS_* (the first only) */
    int seeds;                          /* > 0: the seeds' scatter of K seeds (the first only) */
    long seeds_steps;                   /* each trained up to this many updates */
    double seeds_gtol;                  /* or until the gradient norm is below it */
} scene_net_doc;

typedef struct scene_doc {
    /* [scene] */
    char title[256];                    /* "" none */
    char caption[2][256];
    int ncaption;
    landscape ls;                       /* owned; ls.def == NULL for a formula (expr) */
    int have_landscape;
    double view[4];                     /* X0, X1, Y0, Y1 */
    int have_view;
    double start[2];
    int have_start;
    double section[4];                  /* the cross-section X0, Y0, X1, Y1 (live_section) */
    int have_section;
    scene_run_opts o;                   /* schedule, noise, seed of every runner */
    /* [runner] sections, in order (0: the window's default runners) */
    scene_runner_doc run[SCENE_MAX_RUNNERS];
    int nrun;
    /* [play] */
    int has_speed, has_steps, has_playing, has_selected;
    double speed;
    long steps;
    int playing;
    int selected;                       /* 0-based */
    /* [display]: disp[k] counts only where disp_set[k] */
    int disp[SCENE_DISP_COUNT];
    int disp_set[SCENE_DISP_COUNT];
    /* [net] sections, in order */
    scene_net_doc net[SCENE_MAX_NETS];
    int nnet;
    /* [class] */
    char controls[SCENE_MAX_CONTROLS][24];
    int ncontrols;
    int class_chart, has_class_chart;   /* chart: class mode draws the loss chart */
} scene_doc;

/* An empty document: nothing given, every default. */
void scene_doc_init(scene_doc *doc);
void scene_doc_free(scene_doc *doc);

/* Parse text[0 .. len) (need not be NUL-terminated; may hold a UTF-8 BOM and CRLF
 * line ends). name is the file name for messages. doc is overwritten, not freed.
 * 0, or -1 with "NAME:LINE: what is wrong" in err and doc left empty. */
int scenefile_parse(const char *text, size_t len, const char *name, scene_doc *doc, char *err,
                    size_t errlen);
/* The same from a file (refused when larger than 1 MiB). */
int scenefile_load(const char *path, scene_doc *doc, char *err, size_t errlen);

/* Write every key with its value (the defaults where doc leaves one out), numbers
 * with 17 significant digits: parsing the output gives doc back exactly. 0, or -1
 * when writing failed. */
int scenefile_write(FILE *f, const scene_doc *doc);

/* What the window shows, as a document: L's landscape, start, runners (with their
 * schedules, noise, seeds, visibility, labels), clock, display and lesson text, and
 * view, the region on screen. doc is overwritten. 0, or -1 (out of memory, or a
 * landscape that no longer compiles). */
struct live;
int scene_doc_from_live(scene_doc *doc, const struct live *L, const double view[4]);

/* Set the display toggles and colour map doc gives; the others stay as they are. */
struct live_display;
void scene_doc_apply_display(const scene_doc *doc, struct live_display *d);

#endif
