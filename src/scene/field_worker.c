/* field_worker: a worker whose request is a view of a landscape and whose result
 * is a field_result. The worker compiles its own copy of the landscape from its
 * spec, so it shares no mutable state with the window; the recycled result
 * buffers keep their samples' allocations from one field to the next. */
#include "scene/field_worker.h"

#include <math.h>
#include <string.h>

#include "core/parallel.h"
#include "scene/worker.h"

/* spec first: worker_free_spec releases it */
typedef struct field_request {
    char *spec;
    int is_formula;
    unsigned gen;
    double view[4];
    int w, h, want_lmax, want_crit;
} field_request;

/* In slices until the worker's deadline (on a thread: at once): WORKER_MORE while
   rows remain. */
static int field_worker_run(worker *w, void *user, void *request, void *out)
{
    (void)user;
    const field_request *rq = request;
    field_result *r = out;
    /* a manual worker's slices run on the frame's thread, two rows at a time */
    int ncpu = isfinite(worker_deadline(w)) ? 1 : cpu_count();
    char err[256];
    if ((!worker_resumed(w) || !r->job) &&
        field_result_begin(r, rq->spec, rq->is_formula, rq->gen, rq->view, rq->w, rq->h, rq->want_lmax,
                           rq->want_crit, ncpu > 16 ? 16 : ncpu, err, sizeof err) != 0)
        return -1;
    int rc = field_result_step(r, worker_deadline(w), err, sizeof err);
    return rc > 0 ? WORKER_MORE : rc;
}

static void field_result_release(void *result)
{
    field_result_free(result);
}

field_worker *field_worker_create(void)
{
    return worker_start(&(worker_desc){sizeof(field_request), sizeof(field_result), field_worker_run,
                                       worker_free_spec, field_result_release, NULL, 0});
}

field_worker *field_worker_create_manual(void)
{
    return worker_start(&(worker_desc){sizeof(field_request), sizeof(field_result), field_worker_run,
                                       worker_free_spec, field_result_release, NULL, 1});
}

void field_worker_request(field_worker *fw, const char *spec, int is_formula, unsigned gen,
                          const double view[4], int w, int h, int want_lmax, int want_crit)
{
    char *copy = strdup(spec);
    if (!copy) return;
    field_request rq = {copy, is_formula, gen, {view[0], view[1], view[2], view[3]},
                        w, h, want_lmax, want_crit};
    worker_request(fw, &rq, 0);
}
