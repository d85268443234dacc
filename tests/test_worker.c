/* test_worker: the latest request wins (requests made while one runs collapse into
 * the last), results are taken once and the newest replaces an older one not yet
 * taken, WORKER_REPLACE drops what the running request would still publish, a
 * stop while busy returns (the run sees its cancel flag), and every request and
 * result is released exactly once. */
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "scene/worker.h"

typedef struct req {
    int id;
    int *owned;                   /* heap memory the request owns */
} req;

typedef struct res {
    int id;
    int partial;
    int *owned;
} res;

typedef struct job {
    atomic_int started;           /* runs begun */
    atomic_int gate;              /* a run with id -1 waits for this */
    atomic_int req_freed, res_freed, res_made;
    atomic_int last_run;
} job;

static void nap(void)
{
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
}

static int run(worker *w, void *user, void *request, void *out)
{
    job *j = user;
    req *rq = request;
    res *r = out;
    atomic_fetch_add(&j->started, 1);
    atomic_store(&j->last_run, rq->id);
    if (rq->id < 0) {
        /* a long computation: a partial result, then wait: -1 for the gate, -2 and
           -3 for the cancel flag (-2 then drops its result) */
        if (!r->owned) { r->owned = malloc(sizeof *r->owned); atomic_fetch_add(&j->res_made, 1); }
        r->id = rq->id;
        r->partial = 1;
        r = worker_publish(w);
        while (rq->id == -1 ? !atomic_load(&j->gate) : !worker_cancelled(w)) nap();
        if (rq->id == -2) return -1;
    }
    if (!r->owned) { r->owned = malloc(sizeof *r->owned); atomic_fetch_add(&j->res_made, 1); }
    r->id = rq->id;
    r->partial = 0;
    return 0;
}

static void req_free(void *request)
{
    req *rq = request;
    free(rq->owned);
    rq->owned = NULL;
}

static job *the_job;

static void res_free(void *result)
{
    res *r = result;
    if (r->owned) atomic_fetch_add(&the_job->res_freed, 1);
    free(r->owned);
    r->owned = NULL;
}

static void count_req_free(void *request)
{
    atomic_fetch_add(&the_job->req_freed, 1);
    req_free(request);
}

static worker *start(job *j)
{
    *j = (job){0};
    the_job = j;
    return worker_start(&(worker_desc){sizeof(req), sizeof(res), run, count_req_free, res_free, j, 0});
}

static void ask(worker *w, int id, int flags)
{
    req rq = {id, malloc(sizeof(int))};
    worker_request(w, &rq, flags);
}

static void wait_started(job *j, int n)
{
    while (atomic_load(&j->started) < n) nap();
}

static void latest_wins(void)
{
    job j;
    worker *w = start(&j);
    CHECK(w != NULL, "a worker starts");
    if (!w) return;
    CHECK(worker_take(w) == NULL, "nothing before a request");
    CHECK(!worker_busy(w), "idle at first");
    ask(w, -1, 0);
    wait_started(&j, 1);
    CHECK(worker_busy(w), "busy while running");
    for (int i = 1; i <= 100; i++) ask(w, i, 0);
    atomic_store(&j.gate, 1);
    worker_wait(w);
    CHECK(!worker_busy(w), "idle after wait");
    CHECK(atomic_load(&j.started) == 2, "100 requests while busy run once: %d runs", atomic_load(&j.started));
    CHECK(atomic_load(&j.last_run) == 100, "the last request ran: %d", atomic_load(&j.last_run));
    res *r = worker_take(w);
    CHECK(r && r->id == 100 && !r->partial, "the newest result: %d", r ? r->id : -99);
    CHECK(worker_take(w) == NULL, "a result is taken once");
    CHECK(atomic_load(&j.req_freed) == 101, "every request released once: %d", atomic_load(&j.req_freed));
    /* results: the taken one stays valid while the worker computes into another */
    ask(w, 7, 0);
    worker_wait(w);
    CHECK(r->id == 100, "a taken result is not written over before the next take");
    res *r2 = worker_take(w);
    CHECK(r2 && r2->id == 7 && r2 != r, "the next result in another buffer");
    /* two results without a take: the newer one wins */
    ask(w, 8, 0);
    worker_wait(w);
    ask(w, 9, 0);
    worker_wait(w);
    res *r3 = worker_take(w);
    CHECK(r3 && r3->id == 9, "the newest of two finished results: %d", r3 ? r3->id : -99);
    worker_stop(w);
    CHECK(atomic_load(&j.res_made) == atomic_load(&j.res_freed), "results released: %d made, %d freed",
          atomic_load(&j.res_made), atomic_load(&j.res_freed));
    CHECK(atomic_load(&j.req_freed) == 104, "requests released: %d", atomic_load(&j.req_freed));
}

static void partial_and_replace(void)
{
    job j;
    worker *w = start(&j);
    if (!w) return;
    ask(w, -1, 0);
    wait_started(&j, 1);
    res *r = NULL;
    while (!(r = worker_take(w))) nap();
    CHECK(r->id == -1 && r->partial, "a partial result is published mid-run");
    /* a replacing request: the running one's final result is dropped */
    ask(w, 5, WORKER_REPLACE);
    atomic_store(&j.gate, 1);
    worker_wait(w);
    r = worker_take(w);
    CHECK(r && r->id == 5, "after WORKER_REPLACE only the new request's result: %d", r ? r->id : -99);
    CHECK(worker_take(w) == NULL, "and nothing else");
    /* without it, a cancelled run's result still counts */
    ask(w, -3, 0);
    wait_started(&j, 3);
    while (!worker_take(w)) nap();
    ask(w, 6, 0);
    worker_wait(w);
    r = worker_take(w);
    CHECK(r && r->id == 6, "the newest result: %d", r ? r->id : -99);
    worker_stop(w);
    CHECK(atomic_load(&j.res_made) == atomic_load(&j.res_freed), "results released");
    CHECK(atomic_load(&j.req_freed) == 4, "requests released: %d", atomic_load(&j.req_freed));
}

static void stop_while_busy(void)
{
    job j;
    worker *w = start(&j);
    if (!w) return;
    ask(w, -2, 0);               /* runs until cancelled */
    wait_started(&j, 1);
    worker_stop(w);              /* must return: the run sees its cancel flag */
    CHECK(atomic_load(&j.started) == 1, "one run: %d", atomic_load(&j.started));
    CHECK(atomic_load(&j.req_freed) == 1, "the request released: %d", atomic_load(&j.req_freed));
    CHECK(atomic_load(&j.res_made) == atomic_load(&j.res_freed), "results released");
    /* with requests waiting: the newer one cancels the run, and it may start before
       the stop or be released by it */
    w = start(&j);
    ask(w, -2, 0);
    wait_started(&j, 1);
    ask(w, 3, 0);
    ask(w, 4, 0);
    worker_stop(w);
    CHECK(atomic_load(&j.started) <= 2, "the replaced request never runs: %d runs", atomic_load(&j.started));
    CHECK(atomic_load(&j.req_freed) == 3, "every request released: %d", atomic_load(&j.req_freed));
    CHECK(atomic_load(&j.res_made) == atomic_load(&j.res_freed), "results released");
    worker_stop(NULL);
    /* a worker stopped without a request */
    w = start(&j);
    worker_stop(w);
    CHECK(atomic_load(&j.started) == 0, "nothing runs");
}

int main(void)
{
    latest_wins();
    partial_and_replace();
    stop_while_busy();
    return check_done("worker");
}
