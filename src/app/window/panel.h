/* panel: the control panel, built each frame from the ui widgets over the live
 * scene: landscape and formula, clock, display toggles, and per runner its
 * optimizer, hyperparameters, noise and schedule. */
#ifndef OPTISCAPE_PANEL_H
#define OPTISCAPE_PANEL_H

#include "scene/live.h"
#include "scene/netlab.h"
#include "ui/ui.h"

/* The network lab's section (set by the window each frame; lab NULL: none). The
 * panel edits *desc and sets *rebuild for a new lab; the optimizer's sliders go to
 * the running trainer (net_trainer_set_opt: the run continues), the slice's plane
 * to netlab_replane, the chart's x axis to *axis. */
typedef struct panel_net {
    netlab *lab;
    netlab_desc *desc;
    int *rebuild;
    int *axis;                  /* netlab_xaxis */
    int open;
    int plane_request;          /* 1: the window makes the slice its landscape */
    int seeds_request;          /* 1: the window turns the seeds' scatter on or off */
    int seeds_on;               /* whether it is on (set by the window) */
    int step_request;           /* presses of step (or N) while the lab is shown: its updates to make */
    char err[256];
} panel_net;

typedef struct panel_state {
    char formula[1024];
    char formula_err[256];
    char runner_err[256];
    int open_scene, open_display, open_runner, open_sched, open_runners;
    int fit_request;            /* the landscape changed: the window refits the view */
    /* the lesson list (set by the window): the panel offers it, the window opens */
    const char *const *scene_names;
    int nscenes, scene_current;
    int scene_request;          /* -1, or the scene the user picked */
    int open_lessons;
    ui_rect speed_rect;         /* where the speed slider was last laid out (scripts, tests) */
    panel_net net;
} panel_state;

void panel_init(panel_state *ps, const live *L);

/* The formula the panel's box shows: a built-in's formula with its parameters'
 * values substituted ("(1 - x)^2 + 100*(y - x^2)^2"), so it compiles as typed. */
void panel_formula_text(const live *L, char *out, size_t n);

/* Build the panel in r; edits L in place. */
void panel_build(ui *u, panel_state *ps, live *L, ui_rect r);

/* Apply a typed formula: on success the landscape changes, on failure the message
 * (with the column) is kept in ps->formula_err and the landscape stays. */
int panel_apply_formula(panel_state *ps, live *L);

/* panel_net.c: the Network section (ps->net.lab set). */
void panel_net_build(ui *u, panel_state *ps, const live *L);
/* panel.c's optimizer controls, shared with the Network section: 1 when changed. */
int panel_optimizer_sliders(ui *u, const live *L, optim_desc *o, const char *keys);
int panel_optimizer_checks(ui *u, const live *L, optim_desc *o, const char *keys);
void panel_message(char *dst, size_t n, const char *err);
/* 1 when the control named key is shown: always, or in class mode when the scene's
   [class] controls name it (scene_control_names). */
int panel_shown(const live *L, const char *key);

#endif
