/* netlab: the network lab, live (see netlab.h). Training runs on the caller's
 * thread one update at a time until its deadline; the slice's directions and grid
 * and the Hessian's spectrum run in workers whose requests carry their own copies
 * of the network's spec, the training set and the parameters, so the training
 * never waits for them and they never see it move. */
#include "scene/netlab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eig.h"
#include "core/netslice.h"
#include "core/timing.h"
#include "scene/nethess.h"

#define COARSE 4                /* the coarse grid: every 4th point of the fine one */
#define OUT_BAND 4              /* output grid rows per band */
#define ZERO_TOL 1e-6           /* net spectrum's default */
#define FULL_HESSIAN_MAX 1500   /* beyond: Lanczos' extremes, no minimum ratio */

static int bad(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    snprintf(err, errlen, fmt, a, b);
    return -1;
}

static int copy_data(const netdata *src, netdata *dst)
{
    memset(dst, 0, sizeof *dst);
    dst->n = src->n;
    dst->d = src->d;
    dst->nclass = src->nclass;
    dst->x = malloc((size_t)(src->n > 0 ? src->n : 1) * (size_t)src->d * sizeof *dst->x);
    dst->y = malloc((size_t)(src->n > 0 ? src->n : 1) * sizeof *dst->y);
    if (!dst->x || !dst->y) {
        netdata_free(dst);
        return -1;
    }
    memcpy(dst->x, src->x, (size_t)src->n * (size_t)src->d * sizeof *dst->x);
    memcpy(dst->y, src->y, (size_t)src->n * sizeof *dst->y);
    return 0;
}

/* ------------------------------------------------------------------------------ */
/* The slice worker: directions, then the coarse grid, then the fine rows          */

typedef struct slice_job {
    net_spec spec;
    netdata train;
    size_t np;
    double *centre, *d1, *d2, *path;    /* path: npath points (PCA) */
    int npath, kind, pi, pj, n;
    uint64_t seed;
    double range;
    unsigned gen;
    long step;
    /* run state */
    int started, level, next, failed;
    net nt;
    int have_net;
    net_plane pl;
    int have_plane;
    double *loss;
    double lam[2], var[2];
} slice_job;

/* the request is the job's pointer: its one owned thing */
typedef struct slice_request {
    slice_job *job;
} slice_request;

static void slice_job_free(slice_job *j)
{
    if (!j) return;
    if (j->have_plane) net_plane_free(&j->pl);
    if (j->have_net) net_free(&j->nt);
    netdata_free(&j->train);
    free(j->centre);
    free(j->d1);
    free(j->d2);
    free(j->path);
    free(j->loss);
    free(j);
}

static void slice_request_free(void *rq)
{
    slice_job_free(((slice_request *)rq)->job);
}

static void slice_result_free(void *res)
{
    netlab_slice *s = res;
    free(s->loss);
    free(s->centre);
    free(s->d1);
    free(s->d2);
    memset(s, 0, sizeof *s);
}

static int grow(double **p, size_t n)
{
    double *q = realloc(*p, (n ? n : 1) * sizeof *q);
    if (!q) return -1;
    *p = q;
    return 0;
}

/* The job's state into a result buffer (reusing its allocations). */
static int slice_fill(const slice_job *j, netlab_slice *s)
{
    size_t nn = (size_t)j->n * (size_t)j->n;
    if (grow(&s->loss, nn) || grow(&s->centre, j->np) || grow(&s->d1, j->np) || grow(&s->d2, j->np)) return -1;
    s->gen = j->gen;
    s->step = j->step;
    s->n = j->n;
    s->range = j->range;
    s->np = j->np;
    s->level = j->level;
    s->rows_done = j->level == 2 ? j->n : j->level == 1 ? j->next : 0;
    s->failed = j->failed;
    memcpy(s->loss, j->loss, nn * sizeof *s->loss);
    memcpy(s->centre, j->centre, j->np * sizeof *s->centre);
    memcpy(s->d1, j->d1, j->np * sizeof *s->d1);
    memcpy(s->d2, j->d2, j->np * sizeof *s->d2);
    memcpy(s->lam, j->lam, sizeof s->lam);
    memcpy(s->var, j->var, sizeof s->var);
    return 0;
}

static int on_coarse(int i, int n)
{
    return i % COARSE == 0 || i == n - 1;
}

static double coord(double range, int n, int i)
{
    return -range + 2.0 * range * i / (n - 1);
}

/* The coarse grid's values spread to the fine points near them (the nearest
   coarse point below and left), until the fine rows replace them. */
static void spread_coarse(slice_job *j)
{
    int n = j->n;
    for (int jj = 0; jj < n; jj++)
        for (int i = 0; i < n; i++) {
            int cj = jj - jj % COARSE, ci = i - i % COARSE;
            j->loss[(size_t)jj * (size_t)n + (size_t)i] = j->loss[(size_t)cj * (size_t)n + (size_t)ci];
        }
}

static int slice_start(slice_job *j, int threads)
{
    size_t np = j->np;
    j->started = 1;
    if (net_init(&j->nt, &j->spec) != 0) return -1;
    j->have_net = 1;
    if (grow(&j->d1, np) || grow(&j->d2, np) || grow(&j->loss, (size_t)j->n * (size_t)j->n)) return -1;
    for (size_t k = 0; k < (size_t)j->n * (size_t)j->n; k++) j->loss[k] = NAN;
    int rc = 0;
    switch (j->kind) {
    case NETLAB_PLANE_PCA:
        rc = j->npath < 3 ? -1 : net_dir_pca(j->path, j->npath, np, j->d1, j->d2, j->var);
        break;
    case NETLAB_PLANE_PARAMS:
        memset(j->d1, 0, np * sizeof *j->d1);
        memset(j->d2, 0, np * sizeof *j->d2);
        j->d1[j->pi] = 1;
        j->d2[j->pj] = 1;
        break;
    case NETLAB_PLANE_HESSIAN:
        rc = net_dir_hessian(&j->nt, j->centre, &j->train, threads, j->d1, j->d2, j->lam);
        break;
    case NETLAB_PLANE_HESSIAN_LOW:
        rc = net_dir_hessian_low(&j->nt, j->centre, &j->train, threads, j->d1, j->d2, j->lam);
        break;
    default:
        net_dir_random(&j->nt, j->centre, j->seed + 1, j->d1, j->d2);
        break;
    }
    if (rc != 0) {
        /* a plane that cannot be made (a path that has not moved): said, not drawn */
        j->failed = 1;
        memset(j->d1, 0, np * sizeof *j->d1);
        memset(j->d2, 0, np * sizeof *j->d2);
        return 0;
    }
    if (net_plane_init(&j->pl, &j->nt, j->centre, j->d1, j->d2, &j->train) != 0) return -1;
    j->have_plane = 1;
    return 0;
}

/* A point of the grid, unless it is done already (a coarse one in a fine row). */
static void slice_point(slice_job *j, int i, int jj)
{
    j->loss[(size_t)jj * (size_t)j->n + (size_t)i] =
        net_plane_value(&j->pl, coord(j->range, j->n, i), coord(j->range, j->n, jj));
}

static int slice_run(worker *w, void *user, void *request, void *out)
{
    (void)user;
    slice_job *j = ((slice_request *)request)->job;
    netlab_slice *s = out;
    double deadline = worker_deadline(w);
    if (!j->started) {
        if (slice_start(j, isfinite(deadline) ? 1 : 2) != 0) return -1;
        if (j->failed) {
            j->level = 2;
            return slice_fill(j, s) == 0 ? 0 : -1;
        }
        j->next = 0;
    }
    int n = j->n, did = 0;
    /* level 0: coarse rows, next = the coarse row in progress; every call makes one
       row at least, whatever its deadline */
    while (j->level == 0) {
        for (; j->next < n; j->next++) {
            if (!on_coarse(j->next, n)) continue;
            if (worker_cancelled(w)) return -1;
            if (did++ && os_now() >= deadline) return WORKER_MORE;
            for (int i = 0; i < n; i++)
                if (on_coarse(i, n)) slice_point(j, i, j->next);
        }
        spread_coarse(j);
        j->level = 1;
        j->next = 0;
        if (slice_fill(j, s) != 0) return -1;
        s = worker_publish(w);
    }
    /* level 1: fine rows */
    double last_pub = os_now();
    for (; j->next < n; j->next++) {
        if (worker_cancelled(w)) return -1;
        if (did++ && os_now() >= deadline) {
            if (slice_fill(j, s) != 0) return -1;
            worker_publish(w);
            return WORKER_MORE;
        }
        int jj = j->next;
        for (int i = 0; i < n; i++)
            if (!(on_coarse(i, n) && on_coarse(jj, n))) slice_point(j, i, jj);
        if (!isfinite(deadline) && os_now() - last_pub > 0.05 && j->next + 1 < n) {
            /* on a thread: the rows so far, a few times a second */
            j->next++;
            if (slice_fill(j, s) != 0) return -1;
            s = worker_publish(w);
            j->next--;
            last_pub = os_now();
        }
    }
    j->level = 2;
    return slice_fill(j, s) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------------------ */
/* The spectrum worker: Hessian columns in slices, then the eigenvalues            */

typedef struct spec_job {
    net_spec spec;
    netdata train;
    size_t np;
    double *p;
    long step;
    unsigned gen;
    uint64_t seed;
    /* run state */
    int started;
    net nt;
    int have_net;
    net_work *w;                /* Lanczos (beyond FULL_HESSIAN_MAX) */
    double *g;
    int have_hess;
    net_hess_job hess;          /* the whole Hessian's eigenvalues, in slices */
} spec_job;

typedef struct spec_request {
    spec_job *job;
} spec_request;

static void spec_job_free(spec_job *j)
{
    if (!j) return;
    if (j->have_hess) net_hess_free(&j->hess);
    if (j->have_net) net_free(&j->nt);
    net_work_free(j->w);
    netdata_free(&j->train);
    free(j->p);
    free(j->g);
    free(j);
}

static void spec_request_free(void *rq)
{
    spec_job_free(((spec_request *)rq)->job);
}

static void spec_result_free(void *res)
{
    netlab_spectrum *s = res;
    free(s->eig);
    memset(s, 0, sizeof *s);
}

static int spec_lanczos(spec_job *j, netlab_spectrum *s)
{
    int k = 100;
    if (grow(&s->eig, (size_t)k)) return -1;
    net_hvp_ctx c = {&j->nt, j->p, j->w};
    int got = eig_lanczos(net_hvp_op, &c, j->np, k, j->seed, s->eig, NULL);
    if (got < 0) return -1;
    s->n = got;
    s->sum = net_spectrum_of(s->eig, got, ZERO_TOL);
    s->sum.min_ratio = NAN;     /* not all eigenvalues */
    return 0;
}

static int spec_run(worker *w, void *user, void *request, void *out)
{
    (void)user;
    spec_job *j = ((spec_request *)request)->job;
    netlab_spectrum *s = out;
    size_t np = j->np;
    if (!j->started) {
        j->started = 1;
        if (net_init(&j->nt, &j->spec) != 0) return -1;
        j->have_net = 1;
        /* the Hessian of the whole training set's train-mode loss, as net spectrum */
        if (np <= FULL_HESSIAN_MAX) {
            j->have_hess = 1;
            if (net_hess_begin(&j->hess, &j->nt, j->p, &j->train) != 0) return -1;
        } else {
            j->w = net_work_new(&j->nt, j->train.n);
            j->g = malloc(np * sizeof *j->g);
            if (!j->w || !j->g) return -1;
            net_pass(&j->nt, j->p, &j->train, NULL, j->train.n, NET_TRAIN, j->g, j->w);
        }
    }
    s->gen = j->gen;
    s->step = j->step;
    if (!j->have_hess) return spec_lanczos(j, s);
    /* the columns and eig_sym's values in slices: a manual worker's slice never holds
       the frame for the whole O(np^3) of them */
    /* the eigenvalues go into s->eig from the first Householder step on: it is
       grown once, before (the same out comes back with every WORKER_MORE) */
    if (!j->hess.eig_started && grow(&s->eig, np)) return -1;
    int rc = net_hess_run(&j->hess, w, s->eig);
    if (rc != 0) return rc;
    s->n = (int)np;
    s->sum = net_spectrum_of(s->eig, (int)np, ZERO_TOL);
    return 0;
}

/* ------------------------------------------------------------------------------ */
/* Setting up                                                                       */

/* The targets must suit the loss: 0/1 for bce, class indices below k for ce. */
static int targets_fit(const netdata *ds, const net_spec *s, char *err, size_t errlen, const char *which)
{
    int k = s->width[s->nlin];
    for (int i = 0; i < ds->n; i++) {
        double t = ds->y[i];
        if (s->loss == NET_MSE || (s->loss == NET_BCE ? (t == 0 || t == 1) : (t >= 0 && t < k && t == floor(t))))
            continue;
        snprintf(err, errlen, "data: %s sample %d has target %.6g, which loss=%s cannot take", which, i + 1, t,
                 s->loss == NET_BCE ? "bce" : "ce");
        return -1;
    }
    return 0;
}

static void data_box(netlab *lab)
{
    const netdata *sets[2] = {&lab->train, &lab->test};
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < sets[s]->n; i++) {
            const double *x = sets[s]->x + (size_t)i * (size_t)sets[s]->d;
            double v[2] = {x[0], sets[s]->d > 1 ? x[1] : sets[s]->y[i]};
            for (int c = 0; c < 2; c++) {
                lo[c] = fmin(lo[c], v[c]);
                hi[c] = fmax(hi[c], v[c]);
            }
        }
    for (int c = 0; c < 2; c++) {
        if (!(hi[c] > lo[c])) lo[c] = -1, hi[c] = 1;
        double m = 0.1 * (hi[c] - lo[c]);
        lab->box[2 * c] = lo[c] - m;
        lab->box[2 * c + 1] = hi[c] + m;
    }
}

static int setup(netlab *lab, char *err, size_t errlen)
{
    netlab_desc *d = &lab->d;
    char e2[400];
    net_spec s;
    if (!d->net[0]) snprintf(d->net, sizeof d->net, "mlp:2,16,16,1,act=tanh,loss=bce");
    if (!d->data[0]) snprintf(d->data, sizeof d->data, "moons");
    if (net_parse(d->net, &s, e2, sizeof e2) != 0) return bad(err, errlen, "%s%s", e2, "");
    if (net_init(&lab->nt, &s) != 0) return bad(err, errlen, "net: out of memory%s%s", "", "");
    if (netdata_generate(d->data, &lab->train, &lab->test, e2, sizeof e2) != 0)
        return bad(err, errlen, "data: %s%s", e2, "");
    if (lab->train.n < 1) return bad(err, errlen, "data: %.200s leaves no training samples%s", d->data, "");
    if (lab->train.d != s.width[0]) {
        snprintf(err, errlen, "data: %.200s has %d input%s per sample, the network takes %d", d->data,
                 lab->train.d, lab->train.d == 1 ? "" : "s", s.width[0]);
        return -1;
    }
    if (targets_fit(&lab->train, &s, err, errlen, "training") || targets_fit(&lab->test, &s, err, errlen, "test"))
        return -1;
    lab->td.opt = optim_defaults(OPTIM_ADAM);
    if (d->opt[0] && optim_parse(d->opt, &lab->td.opt, e2, sizeof e2) != 0)
        return bad(err, errlen, "optimizer: %s%s", e2, "");
    if (optim_info_of(lab->td.opt.kind)->needs_hessian)
        return bad(err, errlen, "optimizer: %s needs the 2-D Hessian; networks take the first-order ones%s",
                   optim_info_of(lab->td.opt.kind)->name, "");
    lab->td.sched = sched_defaults(SCHED_CONSTANT);
    if (d->sched[0] && sched_parse(d->sched, &lab->td.sched, e2, sizeof e2) != 0)
        return bad(err, errlen, "schedule: %s%s", e2, "");
    lab->td.batch = d->batch > 0 && d->batch < lab->train.n ? d->batch : 0;
    lab->td.shuffle = !d->no_shuffle;
    lab->td.seed = (uint64_t)d->seed;
    lab->td.steps = d->steps > 0 ? d->steps : -1;
    if (s.bn != NET_BN_OFF) {
        int b = lab->td.batch ? lab->td.batch : lab->train.n, last = lab->train.n % b;
        if (b == 1 || last == 1) {
            snprintf(err, errlen, "batch: %d leaves %s of 1 sample, which has no batch statistics for BN", b,
                     b == 1 ? "every batch" : "the last batch of each epoch");
            return -1;
        }
    }
    if (d->plane == NETLAB_PLANE_PARAMS &&
        (d->pi < 0 || d->pj < 0 || (size_t)d->pi >= lab->nt.np || (size_t)d->pj >= lab->nt.np || d->pi == d->pj)) {
        snprintf(err, errlen, "plane: params:%d,%d: expected two different indices below %zu", d->pi, d->pj,
                 lab->nt.np);
        return -1;
    }
    return 0;
}

int netlab_parts(netlab *lab, const netlab_desc *d, char *err, size_t errlen)
{
    memset(lab, 0, sizeof *lab);
    lab->d = *d;
    lab->spec_asked = -1;
    return setup(lab, err, errlen);
}

int netlab_check(const netlab_desc *d, char *err, size_t errlen)
{
    netlab *lab = calloc(1, sizeof *lab);
    if (!lab) return bad(err, errlen, "out of memory%s%s", "", "");
    int rc = netlab_parts(lab, d, err, errlen);
    netlab_free(lab);
    free(lab);
    return rc;
}

static void path_add(netlab *lab, long step);

int netlab_create(netlab *lab, const netlab_desc *d, char *err, size_t errlen)
{
    memset(lab, 0, sizeof *lab);
    lab->d = *d;
    lab->spec_asked = -1;
    lab->out_step = lab->out_next_step = -1;
    if (lab->d.range <= 0) lab->d.range = 1;
    if (lab->d.grid < 2) lab->d.grid = 41;
    if (lab->d.spectrum_every <= 0) lab->d.spectrum_every = 25;
    if (lab->d.device_width <= 0) lab->d.device_width = 64;
    if (!(lab->d.device_t1 > 0)) lab->d.device_t1 = 1e-3;
    if (setup(lab, err, errlen) != 0) {
        netlab_free(lab);
        return -1;
    }
    size_t np = lab->nt.np;
    int k = lab->nt.s.width[lab->nt.s.nlin], cells = lab->train.d > 1 ? NETLAB_OUT_N * NETLAB_OUT_N : NETLAB_OUT_N;
    int band = lab->train.d > 1 ? OUT_BAND * NETLAB_OUT_N : NETLAB_OUT_N;
    lab->p = malloc(np * sizeof *lab->p);
    lab->path = malloc((size_t)NETLAB_PATH_CAP * np * sizeof *lab->path);
    lab->centre = calloc(np, sizeof *lab->centre);
    lab->d1 = calloc(np, sizeof *lab->d1);
    lab->d2 = calloc(np, sizeof *lab->d2);
    lab->out = malloc((size_t)cells * (size_t)k * sizeof *lab->out);
    lab->out_next = malloc((size_t)cells * (size_t)k * sizeof *lab->out_next);
    lab->out_x = malloc((size_t)band * (size_t)lab->train.d * sizeof *lab->out_x);
    lab->out_p = malloc(np * sizeof *lab->out_p);
    lab->out_stats = malloc((lab->nt.nstats ? lab->nt.nstats : 1) * sizeof *lab->out_stats);
    lab->out_w = net_work_new(&lab->nt, band);
    int manual = lab->d.manual;
    lab->slice_w = worker_start(&(worker_desc){sizeof(slice_request), sizeof(netlab_slice), slice_run,
                                               slice_request_free, slice_result_free, NULL, manual});
    lab->spec_w = worker_start(&(worker_desc){sizeof(spec_request), sizeof(netlab_spectrum), spec_run,
                                              spec_request_free, spec_result_free, NULL, manual});
    if (!lab->p || !lab->path || !lab->centre || !lab->d1 || !lab->d2 || !lab->out || !lab->out_next ||
        !lab->out_x || !lab->out_p || !lab->out_stats || !lab->out_w || !lab->slice_w || !lab->spec_w) {
        netlab_free(lab);
        return bad(err, errlen, "out of memory%s%s", "", "");
    }
    net_init_params(&lab->nt, lab->p, (uint64_t)lab->d.seed);
    lab->tr = net_trainer_begin(&lab->nt, lab->p, &lab->train, &lab->test, &lab->td);
    if (!lab->tr) {
        netlab_free(lab);
        return bad(err, errlen, "out of memory%s%s", "", "");
    }
    data_box(lab);
    lab->stride = 1;
    path_add(lab, 0);
    netlab_replane(lab);
    return 0;
}

void netlab_free(netlab *lab)
{
    worker_stop(lab->slice_w);
    worker_stop(lab->spec_w);
    net_trainer_free(lab->tr);
    if (lab->nt.np) net_free(&lab->nt);
    netdata_free(&lab->train);
    netdata_free(&lab->test);
    free(lab->p);
    free(lab->path);
    free(lab->dev_s);
    free(lab->centre);
    free(lab->d1);
    free(lab->d2);
    free(lab->out);
    free(lab->out_next);
    free(lab->out_x);
    free(lab->out_p);
    free(lab->out_stats);
    net_work_free(lab->out_w);
    memset(lab, 0, sizeof *lab);
}

/* ------------------------------------------------------------------------------ */
/* Training and the path                                                            */

static void project(const netlab *lab, const double *q, netlab_pt *pt)
{
    double ab[2], dist;
    if (!lab->plane_have) {
        pt->a = pt->b = pt->dist = NAN;
        return;
    }
    net_project(lab->centre, lab->d1, lab->d2, lab->nt.np, q, ab, &dist);
    pt->a = ab[0];
    pt->b = ab[1];
    pt->dist = dist;
}

static void path_add(netlab *lab, long step)
{
    size_t np = lab->nt.np;
    if (step % lab->stride != 0) return;
    if (lab->npath == NETLAB_PATH_CAP) {
        /* full: keep every other point, and store every other update from now on */
        for (int i = 0; i < NETLAB_PATH_CAP / 2; i++) {
            lab->pts[i] = lab->pts[2 * i];
            memmove(lab->path + (size_t)i * np, lab->path + (size_t)(2 * i) * np, np * sizeof *lab->path);
        }
        lab->npath = NETLAB_PATH_CAP / 2;
        lab->stride *= 2;
        if (step % lab->stride != 0) return;
    }
    memcpy(lab->path + (size_t)lab->npath * np, lab->p, np * sizeof *lab->p);
    netlab_pt *pt = &lab->pts[lab->npath++];
    pt->step = step;
    project(lab, lab->p, pt);
}

static int dev_add(netlab *lab)
{
    long n;
    const net_row *r = net_trainer_rows(lab->tr, &n);
    if (n > lab->devcap) {
        long cap = lab->devcap ? 2 * lab->devcap : 256;
        while (cap < n) cap *= 2;
        double *q = realloc(lab->dev_s, (size_t)cap * sizeof *q);
        if (!q) return -1;
        lab->dev_s = q;
        lab->devcap = cap;
    }
    for (long k = lab->ndev; k < n; k++) {
        /* the device's time of update k: its batch's samples, as net train --timing */
        int b = k > 0 ? (int)(r[k].samples - r[k - 1].samples) : 0;
        lab->dev_s[k] = k > 0 ? lab->dev_s[k - 1] + net_device_seconds(b, lab->d.device_width, lab->d.device_t1) : 0;
    }
    lab->ndev = n;
    return 0;
}

long netlab_step(netlab *lab, long n, double deadline)
{
    long made = 0;
    while (made < n && !net_trainer_done(lab->tr)) {
        if (made > 0 && os_now() >= deadline) break;
        if (net_trainer_step(lab->tr, 1) != 1) break;
        made++;
        long rows;
        net_trainer_rows(lab->tr, &rows);
        path_add(lab, rows - 1);
    }
    dev_add(lab);
    return made;
}

int netlab_done(const netlab *lab)
{
    return net_trainer_done(lab->tr);
}

const net_row *netlab_rows(const netlab *lab, long *n)
{
    return net_trainer_rows(lab->tr, n);
}

double netlab_device_s(const netlab *lab, long k)
{
    return k >= 0 && k < lab->ndev ? lab->dev_s[k] : NAN;
}

netlab_pt netlab_current(const netlab *lab)
{
    netlab_pt pt;
    long n;
    net_trainer_rows(lab->tr, &n);
    pt.step = n - 1;
    project(lab, lab->p, &pt);
    return pt;
}

static long cur_step(const netlab *lab)
{
    long n;
    net_trainer_rows(lab->tr, &n);
    return n - 1;
}

/* ------------------------------------------------------------------------------ */
/* Requests                                                                         */

void netlab_replane(netlab *lab)
{
    size_t np = lab->nt.np;
    slice_job *j = calloc(1, sizeof *j);
    if (!j) return;
    j->spec = lab->nt.s;
    j->np = np;
    j->kind = lab->d.plane;
    j->pi = lab->d.pi;
    j->pj = lab->d.pj;
    j->n = lab->d.grid;
    j->range = lab->d.range;
    j->seed = (uint64_t)lab->d.seed;
    j->gen = ++lab->plane_gen;
    j->step = cur_step(lab);
    j->centre = malloc(np * sizeof *j->centre);
    if (j->kind == NETLAB_PLANE_PCA) {
        /* the path's points up to and including the current one, which is its last */
        int last_is_cur = lab->npath > 0 && lab->pts[lab->npath - 1].step == cur_step(lab);
        j->npath = lab->npath + !last_is_cur;
        j->path = malloc((size_t)j->npath * np * sizeof *j->path);
        if (j->path) {
            memcpy(j->path, lab->path, (size_t)lab->npath * np * sizeof *j->path);
            if (!last_is_cur) memcpy(j->path + (size_t)lab->npath * np, lab->p, np * sizeof *j->path);
        }
    }
    if (!j->centre || (j->kind == NETLAB_PLANE_PCA && !j->path) || copy_data(&lab->train, &j->train) != 0) {
        slice_job_free(j);
        return;
    }
    memcpy(j->centre, lab->p, np * sizeof *j->centre);
    slice_request rq = {j};
    worker_request(lab->slice_w, &rq, WORKER_REPLACE);
}

static void ask_spectrum(netlab *lab)
{
    size_t np = lab->nt.np;
    spec_job *j = calloc(1, sizeof *j);
    if (!j) return;
    j->spec = lab->nt.s;
    j->np = np;
    j->step = cur_step(lab);
    j->gen = ++lab->spec_gen;
    j->seed = (uint64_t)lab->d.seed;
    j->p = malloc(np * sizeof *j->p);
    if (!j->p || copy_data(&lab->train, &j->train) != 0) {
        spec_job_free(j);
        return;
    }
    memcpy(j->p, lab->p, np * sizeof *j->p);
    lab->spec_asked = j->step;
    spec_request rq = {j};
    worker_request(lab->spec_w, &rq, 0);
}

static void take_slice(netlab *lab)
{
    netlab_slice *s = worker_take(lab->slice_w);
    if (!s) return;
    lab->slice = s;
    if (s->gen == lab->plane_have || s->level == 0) return;
    size_t np = lab->nt.np;
    memcpy(lab->centre, s->centre, np * sizeof *lab->centre);
    memcpy(lab->d1, s->d1, np * sizeof *lab->d1);
    memcpy(lab->d2, s->d2, np * sizeof *lab->d2);
    lab->plane_have = s->failed ? 0 : s->gen;
    for (int i = 0; i < lab->npath; i++) project(lab, lab->path + (size_t)i * np, &lab->pts[i]);
}

/* The output grid's inputs of rows r0 .. r0 + nr (2 inputs: x along, y by row;
   1 input: the points along x). */
static int out_inputs(const netlab *lab, int r0, int nr)
{
    const double *b = lab->box;
    if (lab->train.d == 1) {
        for (int i = 0; i < NETLAB_OUT_N; i++) lab->out_x[i] = b[0] + (b[1] - b[0]) * i / (NETLAB_OUT_N - 1);
        return NETLAB_OUT_N;
    }
    int m = 0;
    for (int r = r0; r < r0 + nr; r++)
        for (int i = 0; i < NETLAB_OUT_N; i++, m++) {
            lab->out_x[2 * m] = b[0] + (b[1] - b[0]) * (i + 0.5) / NETLAB_OUT_N;
            lab->out_x[2 * m + 1] = b[2] + (b[3] - b[2]) * (r + 0.5) / NETLAB_OUT_N;
        }
    return m;
}

/* Bands of the output grid until the deadline, for the parameters (and running
   statistics) of the moment the grid was begun. */
static void out_work(netlab *lab, double deadline)
{
    size_t np = lab->nt.np;
    int k = lab->nt.s.width[lab->nt.s.nlin];
    int rows = lab->train.d > 1 ? NETLAB_OUT_N : 1;
    long step = cur_step(lab);
    if (lab->out_next_step < 0) {
        if (step == lab->out_step) return;
        lab->out_next_step = step;
        lab->out_rows = 0;
        memcpy(lab->out_p, lab->p, np * sizeof *lab->p);
        if (lab->nt.nstats) memcpy(lab->out_stats, lab->nt.stats, lab->nt.nstats * sizeof *lab->out_stats);
    }
    /* the grid runs on the net with the snapshot's running statistics swapped in */
    double *live = lab->nt.stats;
    if (lab->nt.nstats) lab->nt.stats = lab->out_stats;
    while (lab->out_rows < rows) {
        int nr = lab->train.d > 1 ? OUT_BAND : 1;
        int m = out_inputs(lab, lab->out_rows, nr);
        net_outputs(&lab->nt, lab->out_p, lab->out_x, m, NET_EVAL,
                    lab->out_next + (size_t)lab->out_rows * NETLAB_OUT_N * (size_t)k, lab->out_w);
        lab->out_rows += nr;
        if (os_now() >= deadline) break;
    }
    lab->nt.stats = live;
    if (lab->out_rows >= rows) {
        double *t = lab->out;
        lab->out = lab->out_next;
        lab->out_next = t;
        lab->out_step = lab->out_next_step;
        lab->out_next_step = -1;
        lab->out_valid = 1;
    }
}

void netlab_poll(netlab *lab, int paused, double deadline)
{
    take_slice(lab);
    netlab_spectrum *s = worker_take(lab->spec_w);
    if (s) lab->spec = s;
    long step = cur_step(lab);
    int stale = lab->spec_asked < 0 || (paused ? step != lab->spec_asked
                                               : step - lab->spec_asked >= lab->d.spectrum_every);
    if (stale && !worker_busy(lab->spec_w)) ask_spectrum(lab);
    out_work(lab, deadline);
}

int netlab_busy(const netlab *lab)
{
    return (lab->slice_w && worker_busy(lab->slice_w)) || (lab->spec_w && worker_busy(lab->spec_w));
}

void netlab_wait(netlab *lab)
{
    worker_wait(lab->slice_w);
    worker_wait(lab->spec_w);
}

const netlab_slice *netlab_get_slice(const netlab *lab)
{
    return lab->slice;
}

const netlab_spectrum *netlab_get_spectrum(const netlab *lab)
{
    return lab->spec;
}

const double *netlab_outputs(const netlab *lab)
{
    return lab->out_valid ? lab->out : NULL;
}

double netlab_output_value(const netlab *lab, const double *o)
{
    int k = lab->nt.s.width[lab->nt.s.nlin];
    switch (lab->nt.s.loss) {
    case NET_BCE: return 1.0 / (1.0 + exp(-o[0]));
    case NET_CE: {
        int best = 0;
        for (int c = 1; c < k; c++)
            if (o[c] > o[best]) best = c;
        return best;
    }
    default: return o[0];
    }
}
