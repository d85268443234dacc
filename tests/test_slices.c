/* test_slices: work sliced across frames, as the single-threaded web page does it.
 * A manual worker runs nothing until it is pumped, continues a run that stopped
 * part-way (WORKER_MORE) in the next slice, drops it for a newer request, and
 * releases every request once; a field made by a manual field worker in slices
 * of no time at all (one band each) has bit for bit the samples, curvature and
 * critical points of the field made at once, and each band is a few rows. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/timing.h"
#include "core/landscape.h"
#include "scene/basin_job.h"
#include "scene/field_result.h"
#include "scene/field_worker.h"
#include "scene/worker.h"

/* ---- a manual worker whose run counts to the request's n, one unit a call -------- */

typedef struct req { int id, n; } req;
typedef struct res { int id, count; } res;

static int runs, resumed_runs, fresh_runs, freed;
static int progress;              /* units done by the run in progress */

static int count_run(worker *w, void *user, void *request, void *out)
{
    (void)user;
    const req *rq = request;
    res *r = out;
    runs++;
    if (!worker_resumed(w)) { fresh_runs++; progress = 0; }
    else resumed_runs++;
    /* one unit, then the deadline is looked at */
    for (;;) {
        progress++;
        if (progress >= rq->n) break;
        if (os_now() >= worker_deadline(w)) return WORKER_MORE;
    }
    r->id = rq->id;
    r->count = progress;
    return 0;
}

static void count_free(void *request)
{
    (void)request;
    freed++;
}

static void manual_worker(void)
{
    worker *w = worker_start(&(worker_desc){sizeof(req), sizeof(res), count_run, count_free, NULL, NULL, 1});
    CHECK(w != NULL, "a manual worker starts");
    if (!w) return;
    worker_request(w, &(req){1, 5}, 0);
    CHECK(runs == 0, "a request does not run before a pump: %d runs", runs);
    CHECK(worker_busy(w), "busy with a request waiting");
    /* a deadline already past: one unit a slice, so 5 units take 5 pumps */
    double past = os_now() - 1;
    int more = 1, pumps = 0;
    while (more && pumps < 100) { more = worker_pump(w, past); pumps++; }
    CHECK(pumps == 5, "5 units in slices of one take 5 pumps: %d", pumps);
    CHECK(fresh_runs == 1 && resumed_runs == 4, "one fresh run, four continued: %d, %d", fresh_runs, resumed_runs);
    res *r = worker_take(w);
    CHECK(r && r->id == 1 && r->count == 5, "the finished result: id %d count %d", r ? r->id : -1, r ? r->count : -1);
    CHECK(freed == 1, "the request released once it finished: %d", freed);

    /* a newer request while one is part-way: the old one is dropped, the new one
       starts afresh */
    runs = fresh_runs = resumed_runs = 0;
    worker_request(w, &(req){2, 10}, 0);
    worker_pump(w, past);
    worker_pump(w, past);
    CHECK(worker_take(w) == NULL, "nothing published part-way");
    worker_request(w, &(req){3, 3}, 0);
    CHECK(freed == 1, "the unfinished request is held until the next pump: %d freed", freed);
    while (worker_pump(w, past)) {}
    r = worker_take(w);
    CHECK(r && r->id == 3 && r->count == 3, "only the newest request's result: id %d count %d", r ? r->id : -1,
          r ? r->count : -1);
    CHECK(fresh_runs == 2, "the newer request started afresh: %d fresh runs", fresh_runs);
    CHECK(freed == 3, "both requests released: %d", freed);

    /* with time to spare a pump finishes it; worker_wait runs it to its end */
    worker_request(w, &(req){4, 50}, 0);
    CHECK(worker_pump(w, os_now() + 10) == 0, "a pump with time to spare finishes");
    r = worker_take(w);
    CHECK(r && r->id == 4 && r->count == 50, "in one slice: id %d count %d", r ? r->id : -1, r ? r->count : -1);
    worker_request(w, &(req){5, 20}, 0);
    worker_wait(w);
    r = worker_take(w);
    CHECK(r && r->id == 5 && !worker_busy(w), "worker_wait runs a manual worker's request: id %d", r ? r->id : -1);

    /* worker_pump_all reaches it too; a stop while part-way releases the request */
    worker_request(w, &(req){6, 4}, 0);
    CHECK(worker_pump_all(past) == 1, "pump_all: work remains after one slice");
    worker_stop(w);
    CHECK(freed == 6, "a stop part-way releases the held request: %d freed", freed);
    CHECK(worker_pump_all(past) == 0, "a stopped worker is no longer pumped");
}

/* ---- a field in slices against the field at once -------------------------------- */

static int same_floats(const float *a, const float *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static void sliced_field(const char *spec, int is_formula, const double view[4], int w, int h)
{
    char err[256];
    field_result once;
    memset(&once, 0, sizeof once);
    int rc = field_result_compute(&once, spec, is_formula, 7, view, w, h, 1, 1, 1, err, sizeof err);
    CHECK(rc == 0, "%s at once: %s", spec, rc ? err : "");
    if (rc) return;

    field_worker *fw = field_worker_create_manual();
    CHECK(fw != NULL, "a manual field worker");
    if (!fw) { field_result_free(&once); return; }
    field_worker_request(fw, spec, is_formula, 7, view, w, h, 1, 1);
    double past = os_now() - 1;
    int slices = 0;
    while (worker_pump(fw, past) && slices < 100000) slices++;
    const field_result *r = field_worker_poll(fw);
    CHECK(r != NULL, "%s: a field after the slices", spec);
    /* a band is two rows on one thread: the loss rows, the quarter-resolution
       curvature rows, then the critical points on their own */
    int want = (h + 1) / 2 + ((h + 3) / 4 + 1) / 2;
    CHECK(slices >= want, "%s: %d rows came in %d slices, at least %d", spec, h, slices, want);
    if (r) {
        size_t n = (size_t)w * (size_t)h;
        CHECK(r->w == w && r->h == h && r->gen == 7, "%s: %dx%d gen %u", spec, r->w, r->h, r->gen);
        CHECK(same_floats(r->loss, once.loss, n), "%s: the loss samples are the same bits", spec);
        CHECK(r->lw == once.lw && r->lh == once.lh && r->lmax && same_floats(r->lmax, once.lmax, n),
              "%s: the curvature samples are the same bits", spec);
        CHECK(r->vmin == once.vmin && r->vmax == once.vmax && r->offset == once.offset, "%s: range and offset", spec);
        int crit_same = r->ncrit == once.ncrit && r->ncrit > 0 && r->hess_scale == once.hess_scale;
        for (int k = 0; crit_same && k < r->ncrit; k++) {
            const crit_point *a = &r->crit[k], *b = &once.crit[k];
            crit_same = a->kind == b->kind && a->x == b->x && a->y == b->y && a->f == b->f && a->l1 == b->l1 &&
                        a->l2 == b->l2 && a->v1[0] == b->v1[0] && a->v1[1] == b->v1[1] && a->v2[0] == b->v2[0] &&
                        a->v2[1] == b->v2[1];
        }
        CHECK(crit_same,
              "%s: the same %d critical points (at once %d)", spec, r->ncrit, once.ncrit);
        /* the samples are the function's: f = x^2 - y^2 checked by hand at a corner */
        if (is_formula) {
            double x = view[0] + (view[1] - view[0]) * 0.5 / w, y = view[2] + (view[3] - view[2]) * 0.5 / h;
            CHECK_NEAR(r->loss[0] + r->offset, x * x - y * y, 1e-6, 1e-6, "%s: sample (0, 0)", spec);
        }
    }
    field_worker_destroy(fw);
    field_result_free(&once);
}

/* ---- basin maps in slices against the maps at once ---------------------------------- */

static int same_set(const basin_set *a, const basin_set *b)
{
    if (a->npanels != b->npanels || a->nminima != b->nminima || a->nx != b->nx || a->ny != b->ny) return 0;
    for (int m = 0; m < a->nminima; m++)
        if (a->minima[m].x != b->minima[m].x || a->minima[m].y != b->minima[m].y || a->shade[m] != b->shade[m])
            return 0;
    size_t cells = (size_t)a->nx * (size_t)a->ny;
    for (int k = 0; k < a->npanels; k++) {
        if (memcmp(a->panel[k].cls, b->panel[k].cls, cells * sizeof *a->panel[k].cls) != 0) return 0;
        if (a->panel[k].ndiverged != b->panel[k].ndiverged || a->panel[k].nnone != b->panel[k].nnone) return 0;
    }
    return a->niso == b->niso && a->iso_pts == b->iso_pts &&
           memcmp(a->iso, b->iso, (size_t)a->iso_pts * 2 * sizeof *a->iso) == 0;
}

/* A manual worker's slices: the minima, each map in pieces of about 2e5 run-steps
   (starts x steps), the iso-lines. */
static void sliced_basins(int nx, int ny, int steps, int want_slices)
{
    char err[256];
    basin_request rq;
    memset(&rq, 0, sizeof rq);
    rq.spec = (char *)"himmelblau";
    snprintf(rq.ls_label, sizeof rq.ls_label, "himmelblau");
    const char *opts[] = {"sgd:lr=0.01", "sgd:lr=0.01,momentum=0.9", "adam:lr=0.1"};
    rq.n = 3;
    for (int k = 0; k < rq.n; k++) {
        int ok = optim_parse(opts[k], &rq.desc[k].opt, err, sizeof err) == 0 &&
                 sched_parse("constant", &rq.desc[k].sched, err, sizeof err) == 0;
        CHECK(ok, "basins: %s: %s", opts[k], ok ? "" : err);
        if (!ok) return;
        rq.color[k] = 0xff0000ffu >> (8 * k);
        snprintf(rq.label[k], sizeof rq.label[k], "%s", opts[k]);
    }
    double v[4] = {-6, 6, -6, 6};
    memcpy(rq.view, v, sizeof v);
    rq.nx = nx;
    rq.ny = ny;
    rq.steps = steps;
    rq.threads = 1;
    landscape ls;
    CHECK(landscape_load(&ls, "himmelblau", err, sizeof err) == 0, "himmelblau: %s", err);
    basin_set once;
    memset(&once, 0, sizeof once);
    int rc = basin_set_compute(&once, &ls.fn, &rq, NULL, err, sizeof err);
    CHECK(rc == 0 && once.npanels == 3 && once.nminima == 4, "basins at once: %d maps, %d minima (himmelblau has 4) %s",
          once.npanels, once.nminima, rc ? err : "");
    basin_worker *bw = basin_worker_create_manual();
    CHECK(bw != NULL, "a manual basin worker");
    if (bw && rc == 0) {
        basin_worker_request(bw, &rq);
        double past = os_now() - 1;
        int slices = 0;
        while (worker_pump(bw, past) && slices < 1000) slices++;
        CHECK(slices == want_slices, "basins %dx%d: %d slices before the last, want %d", nx, ny, slices, want_slices);
        basin_set *r = basin_worker_poll(bw);
        CHECK(r != NULL && same_set(r, &once), "basins %dx%d: the sliced maps are the maps at once", nx, ny);
        CHECK(r == NULL || r->job == NULL, "basins: nothing of the slices is left in the result");
        if (r) basin_set_free(r);   /* the maps are the caller's */
        free(r);
    }
    if (bw) basin_worker_destroy(bw);
    basin_set_free(&once);
    landscape_free(&ls);
}

int main(void)
{
    manual_worker();
    sliced_field("x^2 - y^2", 1, (double[4]){-2, 2, -1.5, 1.5}, 61, 47);
    sliced_field("himmelblau", 0, (double[4]){-5, 5, -5, 5}, 80, 64);
    /* 40x30 starts x 120 steps is under a piece: the minima, a slice a map, then the
       iso-lines in the last. 200x160 starts x 25 steps (few: many starts are still on
       their way, so a step lost or added changes classes): a slice runs until it has
       spent the 2e5, floor(2e5 / 32000) = 6 steps then one more (224000 >= 2e5), so a
       map is ceil(25 / 7) = 4 slices */
    sliced_basins(40, 30, 120, 4);
    sliced_basins(200, 160, 25, 1 + 3 * 4);
    return check_done("slices");
}
