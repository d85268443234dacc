/* live: the state of the interactive scene, everything on screen that is not
 * drawing: the landscape, the view, the runners with their colours and loss
 * histories, the start point, the clock, the display toggles. The window, the
 * panel, the chart and `render` all read and edit this one struct. */
#ifndef OPTISCAPE_LIVE_H
#define OPTISCAPE_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/crit.h"
#include "core/landscape.h"
#include "core/sim.h"
#include "scene/display.h"
#include "scene/explain.h"
#include "style/cmap.h"

#define LIVE_MAX_RUNNERS 16
#define LIVE_HIST_CAP 2048        /* loss-history points per runner (decimated) */
#define LIVE_REPLAY_CAP 100000    /* steps replayed after a hyperparameter change */
#define LIVE_GHOST_STEPS 300      /* steps previewed while the start is dragged */
#define LIVE_MAX_CRIT 256
#define LIVE_PALETTE 8

/* Okabe & Ito's colour-blind-safe palette, in the order runners get it: on the dark
 * themes, and darkened for the light one. */
extern const uint32_t live_palette[LIVE_PALETTE];
extern const uint32_t live_palette_light[LIVE_PALETTE];

typedef struct live_hist {
    float *loss;                  /* loss at steps 0, stride, 2 stride, ...; from
                                     loss + LIVE_HIST_CAP the test loss at the same
                                     steps (when the scene has a test landscape) */
    int len;
    long stride;
} live_hist;

typedef struct live_runner {
    runner r;
    int color;                    /* palette index */
    int visible;
    live_hist hist;
    runner ghost;                 /* preview from a dragged start */
    char label[64];               /* shown in the legend before the hyperparameters ("" none) */
} live_runner;

/* The toggles of scene/display.h, one int each, then the colour map. */
typedef struct live_display {
#define LIVE_DISPLAY_FIELD(field, ...) int field;
    LIVE_DISPLAY(LIVE_DISPLAY_FIELD)
#undef LIVE_DISPLAY_FIELD
    style_cmap cmap;              /* STYLE_CMAP_LIGHT is also the light theme */
} live_display;

/* The toggles' rows, LIVE_DISP_NAME in the order of scene/display.h. */
enum {
#define LIVE_DISPLAY_INDEX(field, NAME, ...) LIVE_DISP_##NAME,
    LIVE_DISPLAY(LIVE_DISPLAY_INDEX)
#undef LIVE_DISPLAY_INDEX
    LIVE_DISP_COUNT
};

/* A row of scene/display.h as data (its columns, the field as its offset). */
typedef struct live_display_row {
    size_t offset;                /* of the toggle's int in live_display */
    const char *scene_key;        /* NULL: not saved */
    int def;
    const char *key;              /* SDL's name of the window key; NULL: none */
    int help_row, help_pos;
    const char *help;
    const char *state;            /* NULL: not in --print-state's display line */
    int option;                   /* the window takes --scene_key on|off */
} live_display_row;

extern const live_display_row live_display_rows[LIVE_DISP_COUNT];

/* Toggle i (LIVE_DISP_*) of d. */
int *live_display_at(live_display *d, int i);

/* The cross-section tool (scene/section.h): a segment of the plane and the loss
 * along it. on: the tool is on (the window's L key; a scene file's section turns
 * it on); set: the segment has been drawn. */
typedef struct live_section {
    int on, set;
    double seg[4];                /* x0, y0, x1, y1 */
} live_section;

typedef struct live {
    landscape ls;
    int ls_index;                 /* built-in index, or -1 for a typed formula */
    unsigned ls_gen;              /* bumped whenever the landscape changes */
    double center[2];             /* view centre */
    double upp;                   /* world units per pixel (isotropic) */
    double start[2];
    live_runner run[LIVE_MAX_RUNNERS];
    int nrun;
    int selected;
    long step;                    /* the clock: updates taken by every runner */
    int playing;
    double steps_per_sec;
    double step_accum;
    double noise;                 /* applied to new runners */
    uint64_t seed;
    live_display disp;
    int ghost_on;                 /* start marker being dragged: ghosts are valid */
    /* critical points of the current field, from the field worker */
    crit_point crit[LIVE_MAX_CRIT];
    int ncrit;
    double hess_scale;
    /* a lesson: what the scene is about, and the sliders class mode keeps */
    char title[256];
    char caption[2][256];
    int ncaption;
    char controls[16][24];
    int ncontrols;
    /* rewind: the furthest step reached; the timeline scrubs 0 .. step_max */
    long step_max;
    live_explain explain;
    /* the test landscape of a data landscape with a `test` parameter (its training
       set shifted: sharp_flat_data): each runner's test loss goes in its history */
    expr *test_f;
    live_section section;
} live;

void live_display_defaults(live_display *d);

/* An empty scene on a landscape (takes ownership of ls). */
void live_init(live *L, landscape *ls, int ls_index);
void live_free(live *L);

/* The default runners, tuned for Rosenbrock from its 1960 start: plain SGD,
 * momentum, Nesterov, RMSProp and Adam. */
#define LIVE_DEFAULT_RUNNERS 5
extern const char *const live_default_runners[LIVE_DEFAULT_RUNNERS];

/* Add a runner (its desc's start is replaced by the scene's). -1 when full or out of
 * memory. The new runner is replayed to the scene's clock. */
int live_add(live *L, const runner_desc *d);
void live_remove(live *L, int k);
/* Replace runner k's description (hyperparameters, optimizer, schedule) and replay
 * it from the start to the scene's clock, so a slider moves the whole path at once. */
void live_set_desc(live *L, int k, const runner_desc *d);

/* Replace the landscape (takes ownership); runners restart from the new start. */
void live_set_landscape(live *L, landscape *ls, int ls_index, int keep_view);
/* Move the start point; every runner restarts there. */
void live_set_start(live *L, double x, double y);
/* Back to step 0. */
void live_reset(live *L);
/* n updates of every runner. */
void live_step(live *L, long n);
/* One update of every runner, with the selected runner's update explained in
 * L->explain (paused stepping in a lesson). */
void live_step_explained(live *L);
/* Where runner r is drawn: its point, or for a diverged runner the last finite
 * point of its trail (where it left); NULL when there is none. */
const double *live_runner_point(const runner *r);
/* Go to step s of the run (0 .. step_max): back by replaying from the start (the
 * runners are deterministic, noise included), forward by stepping. */
void live_seek(live *L, long s);
/* Advance the clock by dt seconds of play at steps_per_sec (does nothing paused). */
void live_advance(live *L, double dt);
/* Recompute every runner's ghost path from (x, y). */
void live_ghosts(live *L, double x, double y, int steps);

/* The view rectangle of a canvas w x h pixels. */
void live_view(const live *L, int w, int h, double view[4]);
/* The landscape's name for a legend or a title: its label, with a plane file's
 * folder left out (plane:file=/long/path/x.plane is plane:file=x.plane). */
void live_landscape_name(const live *L, char *buf, size_t len);
/* Fit the landscape's own view into a canvas of w x h pixels. */
void live_fit(live *L, const double view[4], int w, int h);
/* Zoom by factor (> 1 zooms in) keeping world point (x, y) under the same pixel;
 * the width stays within 1e-6 .. 1e6. */
void live_zoom(live *L, double factor, double x, double y, int w, int h);

/* Runner k's colour in the scene's theme. */
uint32_t live_runner_color(const live *L, int k);
/* A faded trail's strength at age 0 (newest) .. 1 (oldest) on the dark or the
 * light theme: full for the newest LIVE_TRAIL_FULL of the trail, then down to a
 * floor that still reads clearly. */
#define LIVE_TRAIL_FULL 0.3f
float live_trail_alpha(float age, int light);

/* The loss of runner k at history index i (step i * stride). */
static inline float live_hist_at(const live_runner *r, int i) { return r->hist.loss[i]; }

#endif
