/* netseeds: the seeds' scatter, one seed a request (see netseeds.h). */
#include "scene/netseeds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/timing.h"
#include "scene/nethess.h"
#include "scene/worker.h"

#define ZERO_TOL 1e-6            /* net spectrum's default */

struct netseeds {
    netlab_desc d;
    int k, n, asked;
    long steps;
    double gtol;
    worker *w;
    netseed_pt pts[NETSEEDS_MAX];
};

/* One seed: its own network, data and trainer, made on the worker's thread. */
typedef struct seed_job {
    netlab_desc d;
    long seed, steps;
    double gtol;
    int started;
    netlab parts;
    double *p;
    net_trainer *tr;
    int have_hess;
    net_hess_job hess;           /* the end point's Hessian, in slices */
    double *eig;
} seed_job;

typedef struct seed_request {
    seed_job *job;
} seed_request;

static void job_free(seed_job *j)
{
    if (!j) return;
    if (j->have_hess) net_hess_free(&j->hess);
    free(j->eig);
    net_trainer_free(j->tr);
    if (j->started) netlab_free(&j->parts);
    free(j->p);
    free(j);
}

static void request_free(void *rq)
{
    job_free(((seed_request *)rq)->job);
}

/* The end point's spectrum, as net spectrum computes it: the whole Hessian of the
   training set's train-mode loss and its eigenvalues, in the worker's slices. */
static int end_spectrum(seed_job *j, worker *w, netseed_pt *pt)
{
    size_t np = j->parts.nt.np;
    if (!j->eig) {
        j->eig = malloc(np * sizeof *j->eig);
        if (!j->eig || net_hess_begin(&j->hess, &j->parts.nt, j->p, &j->parts.train) != 0) return -1;
        j->have_hess = 1;
    }
    int rc = net_hess_run(&j->hess, w, j->eig);
    if (rc == 0) pt->sum = net_spectrum_of(j->eig, (int)np, ZERO_TOL);
    return rc;
}

static int seed_run(worker *w, void *user, void *request, void *out)
{
    (void)user;
    seed_job *j = ((seed_request *)request)->job;
    netseed_pt *pt = out;
    if (!j->started) {
        char err[256];
        j->started = 1;
        if (netlab_parts(&j->parts, &j->d, err, sizeof err) != 0) return -1;
        j->p = malloc(j->parts.nt.np * sizeof *j->p);
        if (!j->p) return -1;
        net_init_params(&j->parts.nt, j->p, (uint64_t)j->seed);
        net_train_desc td = j->parts.td;
        td.seed = (uint64_t)j->seed;
        td.steps = j->steps;
        td.stop_grad = j->gtol;
        /* the test set plays no part in the end point */
        j->tr = net_trainer_begin(&j->parts.nt, j->p, &j->parts.train, NULL, &td);
        if (!j->tr) return -1;
    }
    double deadline = worker_deadline(w);
    while (!net_trainer_done(j->tr)) {
        if (worker_cancelled(w)) return -1;
        net_trainer_step(j->tr, 20);
        if (os_now() >= deadline && !net_trainer_done(j->tr)) return WORKER_MORE;
    }
    long n;
    const net_row *r = net_trainer_rows(j->tr, &n);
    memset(pt, 0, sizeof *pt);
    pt->seed = j->seed;
    pt->train_loss = r[n - 1].train_loss;
    pt->grad_norm = r[n - 1].grad_norm;
    pt->steps = r[n - 1].step;
    return end_spectrum(j, w, pt);
}

static void ask(netseeds *s)
{
    seed_job *j = calloc(1, sizeof *j);
    if (!j) return;
    j->d = s->d;
    j->seed = s->d.seed + s->asked++;
    j->steps = s->steps;
    j->gtol = s->gtol;
    seed_request rq = {j};
    worker_request(s->w, &rq, 0);
}

netseeds *netseeds_start(const netlab_desc *d, int k, long steps, double gtol, int manual, char *err,
                         size_t errlen)
{
    if (k < 1 || k > NETSEEDS_MAX) {
        snprintf(err, errlen, "seeds: %d, expected 1 to %d", k, NETSEEDS_MAX);
        return NULL;
    }
    netlab *parts = calloc(1, sizeof *parts);
    if (!parts) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int rc = netlab_parts(parts, d, err, errlen);
    size_t np = parts->nt.np;
    netlab_free(parts);
    free(parts);
    if (rc != 0) return NULL;
    if (np > NETSEEDS_MAX_PARAMS) {
        snprintf(err, errlen, "the seeds' scatter needs every Hessian eigenvalue: at most %d parameters, this "
                 "network has %zu", NETSEEDS_MAX_PARAMS, np);
        return NULL;
    }
    netseeds *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->d = *d;
    s->k = k;
    s->steps = steps;
    s->gtol = gtol;
    s->w = worker_start(&(worker_desc){sizeof(seed_request), sizeof(netseed_pt), seed_run, request_free, NULL,
                                       NULL, manual});
    if (!s->w) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ask(s);
    return s;
}

void netseeds_poll(netseeds *s)
{
    if (!s) return;
    const netseed_pt *pt = worker_take(s->w);
    if (pt && s->n < s->k) s->pts[s->n++] = *pt;
    if (s->asked < s->k && !worker_busy(s->w) && s->asked == s->n) ask(s);
}

void netseeds_wait(netseeds *s)
{
    while (s && s->n < s->k) {
        worker_wait(s->w);
        int before = s->n;
        netseeds_poll(s);
        if (s->n == before && !worker_busy(s->w)) break;   /* a seed that failed (memory) */
    }
}

const netseed_pt *netseeds_points(const netseeds *s, int *n, int *total)
{
    *n = s ? s->n : 0;
    if (total) *total = s ? s->k : 0;
    return s ? s->pts : NULL;
}

long netseeds_steps(const netseeds *s)
{
    return s->steps;
}

double netseeds_gtol(const netseeds *s)
{
    return s->gtol;
}

void netseeds_free(netseeds *s)
{
    if (!s) return;
    worker_stop(s->w);
    free(s);
}
