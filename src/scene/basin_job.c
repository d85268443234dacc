/* basin_job: the minima are searched once over the view and half again on every
 * side (starts near the edge often leave the view), then each runner's map is
 * classified against them; the iso-lines are traced on a coarse field at the
 * window's log spacing. The worker compiles its own copy of the landscape from the
 * request's spec, so it shares no mutable state with the window. */
#include "scene/basin_job.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contour.h"
#include "core/field.h"
#include "core/landscape.h"
#include "core/timing.h"
#include "scene/worker.h"
#include "style/fieldmap.h"

#define CRIT_CAP 4096
#define ISO_SIDE 180
#define ISO_LEVELS 14

static void progress_drop(basin_set *b);

void basin_set_free(basin_set *b)
{
    progress_drop(b);
    for (int k = 0; k < b->npanels; k++) free(b->panel[k].cls);
    free(b->iso);
    free(b->iso_start);
    memset(b, 0, sizeof *b);
}


typedef struct iso_acc {
    basin_set *b;
    int fw, fh, cap_pts, cap_lines, failed;
} iso_acc;

static void iso_emit(void *ctx, const double *xy, int n, int closed)
{
    iso_acc *a = ctx;
    basin_set *b = a->b;
    int need = n + (closed ? 1 : 0);
    if (a->failed || n < 2) return;
    if (b->iso_pts + need > a->cap_pts) {
        int cap = a->cap_pts ? a->cap_pts : 4096;
        while (cap < b->iso_pts + need) cap *= 2;
        float *p = realloc(b->iso, (size_t)cap * 2 * sizeof *p);
        if (!p) { a->failed = 1; return; }
        b->iso = p;
        a->cap_pts = cap;
    }
    if (b->niso + 2 > a->cap_lines) {
        int cap = a->cap_lines ? a->cap_lines * 2 : 256;
        int *s = realloc(b->iso_start, (size_t)cap * sizeof *s);
        if (!s) { a->failed = 1; return; }
        b->iso_start = s;
        a->cap_lines = cap;
    }
    b->iso_start[b->niso] = b->iso_pts;
    for (int k = 0; k < need; k++) {
        int q = k < n ? k : 0;
        b->iso[2 * b->iso_pts] = (float)((xy[2 * q] + 0.5) / a->fw);
        b->iso[2 * b->iso_pts + 1] = (float)((xy[2 * q + 1] + 0.5) / a->fh);
        b->iso_pts++;
    }
    b->niso++;
    b->iso_start[b->niso] = b->iso_pts;
}

/* Faint iso-lines at the window's log spacing, for orientation on the maps. */
static void compute_iso(basin_set *b, const lsfn *f, int threads)
{
    double w = b->view[1] - b->view[0], h = b->view[3] - b->view[2];
    int fw = w >= h ? ISO_SIDE : (int)fmax(8, ISO_SIDE * w / h);
    int fh = h >= w ? ISO_SIDE : (int)fmax(8, ISO_SIDE * h / w);
    float *v = malloc((size_t)fw * (size_t)fh * sizeof *v);
    if (!v) return;
    field_compute_fn(f, b->view, fw, fh, v, threads);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < fw * fh; i++)
        if (isfinite(v[i])) { lo = fmin(lo, v[i]); hi = fmax(hi, v[i]); }
    b->frange = lo < hi ? hi - lo : 0;
    if (lo < hi) {
        fieldmap fm = fieldmap_of_double(lo, hi);
        for (int i = 0; i < fw * fh; i++)
            v[i] = isfinite(v[i]) ? (float)fieldmap_u(&fm, v[i]) : NAN;
        double t0 = fm.umin, t1 = fm.umax;
        iso_acc a = {b, fw, fh, 0, 0, 0};
        for (int k = 1; k < ISO_LEVELS; k++)
            contour_lines(v, fw, fh, t0 + (t1 - t0) * k / ISO_LEVELS, iso_emit, &a);
        if (a.failed) { b->niso = 0; b->iso_pts = 0; }
    }
    free(v);
}

/* Colours for the minima shown (inside the view, or reached from some start):
 * each takes the first shade none of its near neighbours has. */
static void assign_shades(basin_set *b)
{
    const double *v = b->view;
    double diag = hypot(v[1] - v[0], v[3] - v[2]);
    for (int m = 0; m < b->nminima; m++) {
        const crit_point *p = &b->minima[m];
        int shown = p->x >= v[0] && p->x <= v[1] && p->y >= v[2] && p->y <= v[3];
        for (int k = 0; k < b->npanels && !shown; k++) shown = b->panel[k].count[m] > 0;
        b->shade[m] = shown ? -2 : -1;
    }
    for (int m = 0; m < b->nminima; m++) {
        if (b->shade[m] != -2) continue;
        double near = INFINITY;
        for (int o = 0; o < b->nminima; o++)
            if (o != m && b->shade[o] != -1)
                near = fmin(near, hypot(b->minima[o].x - b->minima[m].x, b->minima[o].y - b->minima[m].y));
        double reach = isfinite(near) ? fmax(2.5 * near, 0.3 * diag) : 0;
        int used[BASIN_SHADES] = {0};
        for (int o = 0; o < b->nminima; o++)
            if (b->shade[o] >= 0 &&
                hypot(b->minima[o].x - b->minima[m].x, b->minima[o].y - b->minima[m].y) <= reach)
                used[b->shade[o]]++;
        int best = 0;
        for (int c = 1; c < BASIN_SHADES; c++)
            if (used[c] < used[best]) best = c;
        b->shade[m] = best;
    }
}

/* What basin_classify reports between pieces: a runner's progress carried over the
 * runners before it, and the cancel flag checked inside a runner's map (a quit does
 * not wait for it). */
typedef struct basin_piece {
    const basin_request *rq;
    atomic_int *cancel;
    double before;      /* run-steps of the runners already classified */
} basin_piece;

static int basin_piece_done(void *ctx, double run_steps)
{
    basin_piece *bp = ctx;
    if (bp->rq->progress) bp->rq->progress(bp->before + run_steps);
    return bp->cancel && atomic_load(bp->cancel);
}

/* The grid and the minima every map is classified against. */
static int basin_set_begin(basin_set *b, const lsfn *f, const basin_request *rq, char *err, size_t errlen)
{
    basin_progress *job = b->job;      /* a resumed computation's, kept */
    memset(b, 0, sizeof *b);
    b->job = job;
    memcpy(b->view, rq->view, sizeof b->view);
    b->nx = rq->nx;
    b->ny = rq->ny;
    b->steps = rq->steps;
    snprintf(b->ls_label, sizeof b->ls_label, "%s", rq->ls_label);
    const double *v = rq->view;
    double w = v[1] - v[0], h = v[3] - v[2];
    double region[4] = {v[0] - 0.5 * w, v[1] + 0.5 * w, v[2] - 0.5 * h, v[3] + 0.5 * h};
    crit_point *pts = malloc(CRIT_CAP * sizeof *pts);
    if (!pts) { snprintf(err, errlen, "out of memory"); return -1; }
    int np = crit_find_fn(f, region, NULL, pts, CRIT_CAP, err, errlen);
    if (np < 0) { free(pts); return -1; }
    crit_point *mins = malloc((size_t)(np ? np : 1) * sizeof *mins);
    if (!mins) { free(pts); snprintf(err, errlen, "out of memory"); return -1; }
    int nm = basin_minima(pts, np, mins);
    free(pts);
    /* too many for the legend and the colours: keep those nearest the view's centre */
    if (nm > BASIN_JOB_MAX_MINIMA) {
        double cx = 0.5 * (v[0] + v[1]), cy = 0.5 * (v[2] + v[3]);
        for (int i = 0; i < BASIN_JOB_MAX_MINIMA; i++) {
            int best = i;
            for (int j = i + 1; j < nm; j++)
                if (hypot((mins[j].x - cx) / w, (mins[j].y - cy) / h) <
                    hypot((mins[best].x - cx) / w, (mins[best].y - cy) / h))
                    best = j;
            crit_point t = mins[i];
            mins[i] = mins[best];
            mins[best] = t;
        }
        nm = BASIN_JOB_MAX_MINIMA;
    }
    memcpy(b->minima, mins, (size_t)nm * sizeof *mins);
    b->nminima = nm;
    free(mins);
    return 0;
}

/* Runner k's map begun: its buffer, and the description of its classification in
 * d (whose progress goes to bp, which must outlive it). */
static int panel_open(basin_set *b, const lsfn *f, const basin_request *rq, int k, atomic_int *cancel,
                      basin_piece *bp, basin_desc *d, char *err, size_t errlen)
{
    size_t cells = (size_t)rq->nx * (size_t)rq->ny;
    const double *v = rq->view;
    if (cancel && atomic_load(cancel)) { basin_set_free(b); snprintf(err, errlen, "cancelled"); return -1; }
    basin_panel *p = &b->panel[k];
    p->color = rq->color[k];
    snprintf(p->label, sizeof p->label, "%s", rq->label[k]);
    p->cls = malloc(cells * sizeof *p->cls);
    b->npanels = k + 1;
    if (!p->cls) { basin_set_free(b); snprintf(err, errlen, "out of memory"); return -1; }
    *d = (basin_desc){.fn = f, .opt = rq->desc[k].opt, .sched = rq->desc[k].sched,
                      .noise = rq->desc[k].noise, .seed = rq->desc[k].seed,
                      .region = {v[0], v[1], v[2], v[3]}, .nx = rq->nx, .ny = rq->ny,
                      .steps = rq->steps, .minima = b->minima, .nminima = b->nminima, .threads = rq->threads};
    *bp = (basin_piece){rq, cancel, (double)k * (double)cells * rq->steps};
    if (rq->progress || cancel) {
        d->progress = basin_piece_done;
        d->progress_ctx = bp;
    }
    return 0;
}

/* Runner k's map classified: its counts. */
static void panel_count(basin_set *b, const basin_request *rq, int k)
{
    basin_panel *p = &b->panel[k];
    size_t cells = (size_t)rq->nx * (size_t)rq->ny;
    for (size_t i = 0; i < cells; i++) {
        int c = p->cls[i];
        if (c >= 0) p->count[c]++;
        else if (c == BASIN_DIVERGED) p->ndiverged++;
        else p->nnone++;
    }
}

/* Runner k's map. */
static int basin_set_panel(basin_set *b, const lsfn *f, const basin_request *rq, int k, atomic_int *cancel,
                           char *err, size_t errlen)
{
    basin_piece bp;
    basin_desc d;
    if (panel_open(b, f, rq, k, cancel, &bp, &d, err, errlen) != 0) return -1;
    if (basin_classify(&d, b->panel[k].cls, err, errlen) != 0) { basin_set_free(b); return -1; }
    panel_count(b, rq, k);
    return 0;
}

int basin_set_compute(basin_set *b, const lsfn *f, const basin_request *rq, atomic_int *cancel,
                      char *err, size_t errlen)
{
    if (basin_set_begin(b, f, rq, err, errlen) != 0) return -1;
    for (int k = 0; k < rq->n; k++)
        if (basin_set_panel(b, f, rq, k, cancel, err, errlen) != 0) return -1;
    assign_shades(b);
    compute_iso(b, f, rq->threads);
    return 0;
}


/* ---- the window's worker -------------------------------------------------------- */

/* A computation resumed slice after slice (a manual worker, in the browser): the
 * landscape compiled once, and the next runner's map. */
struct basin_progress {
    landscape ls;
    int next;               /* -1: the minima; 0..n-1: that runner's map; n: the iso-lines */
    int in_map;             /* runner next's map is under way in run */
    basin_run run;
    basin_piece bp;
};

static void progress_drop(basin_set *b)
{
    if (!b->job) return;
    if (b->job->in_map) basin_run_free(&b->job->run);
    landscape_free(&b->job->ls);
    free(b->job);
    b->job = NULL;
}

/* On a thread all at once; as a manual worker one part (the minima, a runner's map,
   the iso-lines) a slice, WORKER_MORE until done. */
static int basin_worker_run(worker *w, void *user, void *request, void *out)
{
    (void)user;
    const basin_request *rq = request;
    basin_set *b = out;
    char err[256];
    if (!worker_resumed(w) || !b->job) {
        basin_set_free(b);            /* what an earlier run left in this buffer */
        basin_progress *p = calloc(1, sizeof *p);
        if (!p) return -1;
        int ok = rq->spec &&
                 (rq->is_formula ? landscape_load_expr(&p->ls, rq->spec, err, sizeof err)
                                 : landscape_load(&p->ls, rq->spec, err, sizeof err)) == 0;
        if (!ok) { free(p); return -1; }
        p->next = -1;
        b->job = p;
    }
    basin_progress *p = b->job;
    double deadline = worker_deadline(w);
    atomic_int *cancel = worker_cancel_flag(w);
    do {
        int rc = 0;
        if (p->next < 0) {
            rc = basin_set_begin(b, &p->ls.fn, rq, err, sizeof err);
        } else if (p->next < rq->n) {
            /* a manual worker: the map in pieces of about 2e5 run-steps; on a thread at once */
            if (!p->in_map) {
                basin_desc d;
                rc = panel_open(b, &p->ls.fn, rq, p->next, cancel, &p->bp, &d, err, sizeof err);
                if (rc == 0) rc = basin_run_begin(&p->run, &d, b->panel[p->next].cls, err, sizeof err);
                if (rc == 0) p->in_map = 1;
            }
            if (rc == 0) rc = basin_run_step(&p->run, isfinite(deadline) ? 2e5 : INFINITY, err, sizeof err);
            if (rc > 0) continue;                 /* more of this map */
            if (rc == 0) {
                basin_run_free(&p->run);
                p->in_map = 0;
                panel_count(b, rq, p->next);
            }
        } else {
            assign_shades(b);
            compute_iso(b, &p->ls.fn, rq->threads);
            progress_drop(b);
            return 0;
        }
        if (rc != 0) {
            basin_set_free(b);        /* and the computation with it */
            return -1;
        }
        p->next++;
    } while (os_now() < deadline && !(cancel && atomic_load(cancel)));
    return WORKER_MORE;
}

static void basin_set_release(void *result)
{
    basin_set_free(result);
}

static basin_worker *basin_worker_start(int manual)
{
    return worker_start(&(worker_desc){sizeof(basin_request), sizeof(basin_set), basin_worker_run,
                                       worker_free_spec, basin_set_release, NULL, manual});
}

basin_worker *basin_worker_create(void)
{
    return basin_worker_start(0);
}

basin_worker *basin_worker_create_manual(void)
{
    return basin_worker_start(1);
}

void basin_worker_request(basin_worker *bw, const basin_request *rq)
{
    char *spec = rq->spec ? strdup(rq->spec) : NULL;
    if (!spec) return;
    basin_request copy = *rq;
    copy.spec = spec;
    worker_request(bw, &copy, 0);
}

basin_set *basin_worker_poll(basin_worker *bw)
{
    basin_set *r = worker_take(bw);
    if (!r) return NULL;
    basin_set *b = malloc(sizeof *b);
    if (!b) return NULL;
    /* the maps move to the caller; the buffer is left empty for the worker */
    *b = *r;
    memset(r, 0, sizeof *r);
    return b;
}
