/* swarm_job: the worker owns the swarm and its own copy of the landscape (compiled
 * from the request's spec, like the field worker). A request carries every setting
 * and the target step; a request with new settings (a restart) has a new epoch and
 * is sent WORKER_REPLACE, so a chunk that was running when the settings changed is
 * not shown. A request with only a new target lets the swarm go on from where it
 * is: the running chunk ends, is published, and the next request continues. */
#include "scene/swarm_job.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/landscape.h"
#include "core/parallel.h"
#include "core/swarm.h"
#include "core/timing.h"
#include "scene/worker.h"

#define CHUNK_SECONDS 0.008

/* What the swarm runs: a change of any of it starts over from the grid. */
typedef struct swarm_settings {
    optim_desc opt;
    sched_desc sched;
    double noise;
    uint64_t seed;
} swarm_settings;

/* spec first: worker_free_spec releases it */
typedef struct swarm_request {
    char *spec;                   /* the landscape */
    int is_formula;
    unsigned ls_gen;
    swarm_settings set;
    unsigned epoch;               /* bumped with every restart */
    long target;
} swarm_request;

struct swarm_job {
    int runner;
    int nx, ny;
    size_t n;
    double *x0, *y0;              /* the grid of starts */
    int threads;
    worker *w;
    /* the main thread's: what the swarm runs, as it last saw it, and the frame shown */
    swarm_settings set;
    unsigned ls_gen, epoch;
    long target;
    swarm_frame first;            /* the grid, before any frame arrives */
    const swarm_frame *cur;
    unsigned version;
    /* the worker's own */
    swarm sw;
    int have_swarm;
    landscape ls;
    int have_ls;
    unsigned ls_loaded, run_epoch;
    int started;
    long per_chunk;
};

/* Copy the swarm out into frame f (its arrays allocated the first time). */
static int swarm_job_fill(swarm_job *j, swarm_frame *f)
{
    if (!f->x) {
        f->x = malloc(j->n * sizeof *f->x);
        f->y = malloc(j->n * sizeof *f->y);
        f->diverged = malloc(j->n);
        if (!f->x || !f->y || !f->diverged) {
            free(f->x); free(f->y); free(f->diverged);
            memset(f, 0, sizeof *f);
            return -1;
        }
    }
    size_t alive = 0;
    memcpy(f->x, j->sw.x, j->n * sizeof *f->x);
    memcpy(f->y, j->sw.y, j->n * sizeof *f->y);
    memcpy(f->diverged, j->sw.diverged, j->n);
    for (size_t i = 0; i < j->n; i++) alive += !j->sw.diverged[i];
    f->alive = alive;
    f->step = j->sw.step;
    return 0;
}

/* Start over from the grid with the request's settings (the landscape compiled
   again only when it changed). */
static void swarm_job_restart(swarm_job *j, const swarm_request *rq)
{
    if (!j->started || rq->ls_gen != j->ls_loaded) {
        char err[256];
        if (j->have_ls) landscape_free(&j->ls);
        j->have_ls = rq->spec && (rq->is_formula ? landscape_load_expr(&j->ls, rq->spec, err, sizeof err)
                                                 : landscape_load(&j->ls, rq->spec, err, sizeof err)) == 0;
        j->ls_loaded = rq->ls_gen;
    }
    if (j->have_swarm) swarm_free(&j->sw);
    j->have_swarm = j->have_ls &&
        swarm_init(&j->sw, &rq->set.opt, &rq->set.sched, j->x0, j->y0, j->n, rq->set.noise, rq->set.seed) == 0;
    j->run_epoch = rq->epoch;
    j->started = 1;
}

/* Each frame is published as it is made: the run itself returns nothing more. */
static int swarm_job_run(worker *w, void *user, void *request, void *out)
{
    swarm_job *j = user;
    const swarm_request *rq = request;
    swarm_frame *f = out;
    if (!j->started || rq->epoch != j->run_epoch) {
        swarm_job_restart(j, rq);
        if (!j->have_swarm || swarm_job_fill(j, f) != 0) return -1;
        f = worker_publish(w);
    }
    while (j->have_swarm && j->sw.step < rq->target && !worker_cancelled(w)) {
        /* a manual worker's slice is spent: the next one goes on from here */
        if (os_now() >= worker_deadline(w)) return WORKER_MORE;
        long chunk = rq->target - j->sw.step;
        if (chunk > j->per_chunk) chunk = j->per_chunk;
        double t0 = os_now();
        swarm_step_fn(&j->sw, &j->ls.fn, (int)chunk, j->threads);
        double per_step = (os_now() - t0) / (double)chunk;
        j->per_chunk = per_step > 0 ? (long)(CHUNK_SECONDS / per_step) : 1000;
        if (j->per_chunk < 1) j->per_chunk = 1;
        if (j->per_chunk > 1000) j->per_chunk = 1000;
        if (swarm_job_fill(j, f) != 0) return -1;
        f = worker_publish(w);
    }
    return -1;
}

static void swarm_frame_free(void *result)
{
    swarm_frame *f = result;
    free(f->x);
    free(f->y);
    free(f->diverged);
    memset(f, 0, sizeof *f);
}

/* Ask the worker for runner k's settings at the scene's step; restart: a new epoch. */
static void swarm_job_ask(swarm_job *j, const live *L, int restart)
{
    const runner_desc *d = &L->run[j->runner].r.d;
    j->set = (swarm_settings){d->opt, d->sched, d->noise, d->seed};
    j->ls_gen = L->ls_gen;
    j->target = L->step;
    if (restart) j->epoch++;
    swarm_request rq = {strdup(L->ls.def ? L->ls.label : expr_source(L->ls.f)), L->ls.def == NULL,
                        L->ls_gen, j->set, j->epoch, L->step};
    worker_request(j->w, &rq, restart ? WORKER_REPLACE : 0);
}

static void swarm_job_grid(swarm_job *j, const double region[4], int n)
{
    /* cells as square as the region allows */
    double aspect = (region[1] - region[0]) / (region[3] - region[2]);
    if (!(aspect > 1e-3 && aspect < 1e3)) aspect = 1;
    j->nx = (int)lround(sqrt(n * aspect));
    if (j->nx < 1) j->nx = 1;
    if (j->nx > n) j->nx = n;
    j->ny = n / j->nx;
    if (j->ny < 1) j->ny = 1;
    j->n = (size_t)j->nx * (size_t)j->ny;
}

swarm_job *swarm_job_create(const live *L, int k, const double region[4], int n)
{
    if (k < 0 || k >= L->nrun || n < 1) return NULL;
    if (n > SWARM_JOB_MAX) n = SWARM_JOB_MAX;
    swarm_job *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    j->runner = k;
    swarm_job_grid(j, region, n);
    j->x0 = malloc(j->n * sizeof *j->x0);
    j->y0 = malloc(j->n * sizeof *j->y0);
    j->first.diverged = calloc(j->n, 1);
    /* leave a core to the frame (and to a software GL's rasterizer) */
    int ncpu = cpu_count();
    j->threads = ncpu > 2 ? (ncpu - 1 > 8 ? 8 : ncpu - 1) : 1;
    j->per_chunk = 1;
    if (!j->x0 || !j->y0 || !j->first.diverged) {
        swarm_job_destroy(j);
        return NULL;
    }
    swarm_grid(region, j->nx, j->ny, j->x0, j->y0);
    j->first = (swarm_frame){j->x0, j->y0, j->first.diverged, 0, j->n};
    j->cur = &j->first;
    j->w = worker_start(&(worker_desc){sizeof(swarm_request), sizeof(swarm_frame), swarm_job_run,
                                       worker_free_spec, swarm_frame_free, j, 0});
    if (!j->w) {
        swarm_job_destroy(j);
        return NULL;
    }
    swarm_job_ask(j, L, 1);
    return j;
}

void swarm_job_destroy(swarm_job *j)
{
    if (!j) return;
    worker_stop(j->w);
    if (j->have_swarm) swarm_free(&j->sw);
    if (j->have_ls) landscape_free(&j->ls);
    free(j->x0);
    free(j->y0);
    free(j->first.diverged);
    free(j);
}

int swarm_job_sync(swarm_job *j, const live *L)
{
    if (j->runner >= L->nrun) return -1;
    const runner_desc *d = &L->run[j->runner].r.d;
    int changed = memcmp(&d->opt, &j->set.opt, sizeof d->opt) != 0 ||
                  memcmp(&d->sched, &j->set.sched, sizeof d->sched) != 0 || d->noise != j->set.noise ||
                  d->seed != j->set.seed || L->ls_gen != j->ls_gen || L->step < j->target;
    if (changed || L->step != j->target) swarm_job_ask(j, L, changed);
    return 0;
}

void swarm_job_wait(swarm_job *j)
{
    worker_wait(j->w);
}

const swarm_frame *swarm_job_frame(swarm_job *j, unsigned *version)
{
    const swarm_frame *f = worker_take(j->w);
    if (f) {
        j->cur = f;
        j->version++;
    }
    if (version) *version = j->version;
    return j->cur;
}

int swarm_job_runner(const swarm_job *j)
{
    return j->runner;
}

size_t swarm_job_size(const swarm_job *j)
{
    return j->n;
}

long swarm_job_target(const swarm_job *j)
{
    return j->target;
}
