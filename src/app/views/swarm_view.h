/* swarm_view: one runner's optimizer run as a swarm (up to 100 000 particles) from
 * a grid of starts, following the scene's clock, drawn as points in the runner's
 * colour. The swarm steps on its own thread (scene/swarm_job) toward the scene's
 * step, so the frame never waits for it; when the clock runs faster than the swarm
 * can, the swarm lags and says so. */
#ifndef OPTISCAPE_SWARM_VIEW_H
#define OPTISCAPE_SWARM_VIEW_H

#include "scene/live.h"
#include "scene/swarm_job.h"
#include "render/gfx.h"
#include "app/views/scene_view.h"

#define SWARM_VIEW_DEFAULT 10000
#define SWARM_VIEW_MAX SWARM_JOB_MAX

typedef struct swarm_view swarm_view;

/* A swarm of about n particles (a grid over region[4] = x0, x1, y0, y1 with cells as
 * square as the region allows) running runner k of L. NULL when out of memory or
 * k is not a runner. */
swarm_view *swarm_view_create(const live *L, int k, const double region[4], int n);
void swarm_view_destroy(swarm_view *s);

/* Follow the scene: restart from the grid when runner k's optimizer, schedule or
 * noise change, when the landscape changes or when the clock goes back; run toward
 * L->step. Returns 0, or -1 when runner k is gone (destroy it then). */
int swarm_view_sync(swarm_view *s, const live *L);
/* Wait until the swarm has reached the step last asked for (tests, scripts). */
void swarm_view_wait(swarm_view *s);

/* Draw the particles still finite, in the runner's colour, onto the canvas. */
void swarm_view_draw(swarm_view *s, gfx *g, const scene_view *sv, const scene_theme *th);

typedef struct swarm_view_info {
    int runner;
    size_t n;                 /* particles */
    size_t alive;             /* not diverged, at the step shown */
    long step;                /* the step shown */
    long target;              /* the scene's step */
} swarm_view_info;
swarm_view_info swarm_view_get_info(swarm_view *s);

#endif
