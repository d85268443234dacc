/* swarm_job: one runner's optimizer run as a swarm (up to 100 000 particles) from a
 * grid of starts, following the scene's clock on a background worker: the swarm
 * (core/swarm, threaded) steps toward the scene's step in chunks of a few
 * milliseconds and publishes its positions after each, so a frame never waits for
 * it; when the clock runs faster than the swarm can, the swarm lags. Drawn by
 * app/views/swarm_view. */
#ifndef OPTISCAPE_SWARM_JOB_H
#define OPTISCAPE_SWARM_JOB_H

#include <stddef.h>

#include "scene/live.h"

#define SWARM_JOB_MAX 100000

/* The particles at one step. */
typedef struct swarm_frame {
    double *x, *y;                /* n positions */
    unsigned char *diverged;      /* n flags */
    long step;
    size_t alive;                 /* not diverged */
} swarm_frame;

typedef struct swarm_job swarm_job;

/* A swarm of about n particles (a grid over region[4] = x0, x1, y0, y1 with cells as
 * square as the region allows) running runner k of L. NULL when out of memory or
 * k is not a runner. */
swarm_job *swarm_job_create(const live *L, int k, const double region[4], int n);
void swarm_job_destroy(swarm_job *j);

/* Follow the scene: restart from the grid when runner k's optimizer, schedule or
 * noise change, when the landscape changes or when the clock goes back; run toward
 * L->step. Returns 0, or -1 when runner k is gone (destroy it then). */
int swarm_job_sync(swarm_job *j, const live *L);
/* Wait until the swarm has reached the step last asked for. */
void swarm_job_wait(swarm_job *j);

/* The newest frame (the grid of starts before the first one arrives); it stays
 * valid until the next call. *version (may be NULL) changes with each new frame. */
const swarm_frame *swarm_job_frame(swarm_job *j, unsigned *version);
int swarm_job_runner(const swarm_job *j);
size_t swarm_job_size(const swarm_job *j);      /* particles */
long swarm_job_target(const swarm_job *j);      /* the step last asked for */

#endif
