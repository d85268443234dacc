/* worker: a mutex guards the request slot, the flags and the buffer indices; the
 * condition variable cv wakes the thread for a request, done_cv wakes worker_wait.
 * Every request gets a sequence number; WORKER_REPLACE moves valid_from up to its
 * own, and a run whose number is below it publishes nothing. A manual worker has
 * the same slots and no thread: a run that returned WORKER_MORE stays busy, its
 * request in running, until the next pump continues it or a newer request drops it. */
#include "scene/worker.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/timing.h"

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define WORKER_NO_THREADS 1
#else
#define WORKER_NO_THREADS 0
#endif

struct worker {
    worker_desc d;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv, done_cv;
    unsigned char *pending, *running;     /* request_size bytes each */
    unsigned char *buf;                   /* three results */
    int has_pending, busy, quit;
    unsigned long seq, running_seq, valid_from;
    atomic_int cancel;
    int back, ready, front;               /* indices into buf; ready = -1 when none */
    int manual;                           /* no thread: worker_pump runs the requests */
    int resumed;                          /* the run continues one that returned WORKER_MORE */
    double deadline;                      /* for the run: when to return WORKER_MORE */
};

/* the manual workers alive, for worker_pump_all (one thread uses them all) */
#define MANUAL_MAX 32
static worker *manual_list[MANUAL_MAX];
static int manual_n, manual_next;

static void *worker_buf(worker *w, int i)
{
    return w->buf + (size_t)i * w->d.result_size;
}

/* mu held: the back buffer becomes the ready one; the old ready one (or the spare)
   becomes the next back buffer. */
static void worker_publish_locked(worker *w)
{
    if (w->running_seq < w->valid_from) return;
    int old = w->ready;
    w->ready = w->back;
    w->back = old >= 0 ? old : 3 - w->ready - w->front;
}

/* mu held on entry and on return; released while the request runs. */
static void worker_run_pending(worker *w)
{
    memcpy(w->running, w->pending, w->d.request_size);
    w->has_pending = 0;
    w->busy = 1;
    atomic_store(&w->cancel, 0);
    w->running_seq = w->seq;
    w->resumed = 0;
    w->deadline = INFINITY;
    void *out = worker_buf(w, w->back);
    pthread_mutex_unlock(&w->mu);
    int rc = w->d.run(w, w->d.user, w->running, out);
    /* on a thread a run that stops part-way goes on at once, unless it was cancelled */
    while (rc == WORKER_MORE && !atomic_load(&w->cancel)) {
        w->resumed = 1;
        rc = w->d.run(w, w->d.user, w->running, worker_buf(w, w->back));
    }
    if (w->d.request_free) w->d.request_free(w->running);
    pthread_mutex_lock(&w->mu);
    /* the back buffer is the one the run ended in (worker_publish may have moved
       it on) */
    if (rc == 0) worker_publish_locked(w);
    w->busy = 0;
    pthread_cond_broadcast(&w->done_cv);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->has_pending && !w->quit) pthread_cond_wait(&w->cv, &w->mu);
        if (w->quit) break;
        worker_run_pending(w);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void worker_free(worker *w)
{
    free(w->pending);
    free(w->running);
    free(w->buf);
    free(w);
}

worker *worker_start(const worker_desc *d)
{
    if (!d || !d->run || d->request_size == 0 || d->result_size == 0) return NULL;
    worker *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    w->d = *d;
    w->pending = calloc(1, d->request_size);
    w->running = calloc(1, d->request_size);
    w->buf = calloc(3, d->result_size);
    if (!w->pending || !w->running || !w->buf) {
        worker_free(w);
        return NULL;
    }
    w->back = 0;
    w->front = 2;
    w->ready = -1;
    w->manual = d->manual || WORKER_NO_THREADS;
    if (w->manual && manual_n == MANUAL_MAX) {
        worker_free(w);
        return NULL;
    }
    atomic_init(&w->cancel, 0);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    pthread_cond_init(&w->done_cv, NULL);
    if (w->manual) {
        manual_list[manual_n++] = w;
    } else if (pthread_create(&w->th, NULL, worker_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        pthread_cond_destroy(&w->done_cv);
        worker_free(w);
        return NULL;
    }
    return w;
}

void worker_stop(worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    atomic_store(&w->cancel, 1);
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    if (w->manual) {
        for (int i = 0; i < manual_n; i++)
            if (manual_list[i] == w) manual_list[i] = manual_list[--manual_n];
        /* a run stopped part-way: its request is still held */
        if (w->busy && w->d.request_free) w->d.request_free(w->running);
    } else {
        pthread_join(w->th, NULL);
    }
    if (w->has_pending && w->d.request_free) w->d.request_free(w->pending);
    for (int i = 0; i < 3 && w->d.result_free; i++) w->d.result_free(worker_buf(w, i));
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    pthread_cond_destroy(&w->done_cv);
    worker_free(w);
}

void worker_request(worker *w, const void *request, int flags)
{
    pthread_mutex_lock(&w->mu);
    if (w->has_pending && w->d.request_free) w->d.request_free(w->pending);
    memcpy(w->pending, request, w->d.request_size);
    w->has_pending = 1;
    w->seq++;
    if (flags & WORKER_REPLACE) w->valid_from = w->seq;
    if (w->busy) atomic_store(&w->cancel, 1);
    if (!w->manual) pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void *worker_take(worker *w)
{
    void *r = NULL;
    pthread_mutex_lock(&w->mu);
    if (w->ready >= 0) {
        /* the old front becomes the spare that the next publish takes as back */
        w->front = w->ready;
        w->ready = -1;
        r = worker_buf(w, w->front);
    }
    pthread_mutex_unlock(&w->mu);
    return r;
}

int worker_busy(worker *w)
{
    pthread_mutex_lock(&w->mu);
    int b = w->busy || w->has_pending;
    pthread_mutex_unlock(&w->mu);
    return b;
}

void worker_wait(worker *w)
{
    if (w->manual) {
        while (worker_pump(w, INFINITY)) {}
        return;
    }
    pthread_mutex_lock(&w->mu);
    while (w->has_pending || w->busy) pthread_cond_wait(&w->done_cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
}

void worker_free_spec(void *request)
{
    /* a pointer to a struct converts to a pointer to its first member */
    free(*(char **)request);
}

atomic_int *worker_cancel_flag(worker *w)
{
    return &w->cancel;
}

int worker_cancelled(worker *w)
{
    return atomic_load(&w->cancel) != 0;
}

void *worker_publish(worker *w)
{
    pthread_mutex_lock(&w->mu);
    worker_publish_locked(w);
    void *next = worker_buf(w, w->back);
    pthread_mutex_unlock(&w->mu);
    return next;
}

double worker_deadline(worker *w)
{
    return w->deadline;
}

int worker_resumed(worker *w)
{
    return w->resumed;
}

int worker_threads_absent(void)
{
    return WORKER_NO_THREADS;
}

int worker_pump(worker *w, double deadline)
{
    if (!w->manual) return 0;
    /* one thread does it all: the mutex is only taken for worker_publish's sake */
    while (w->has_pending || w->busy) {
        if (w->has_pending) {
            /* a newer request: what the unfinished run held is dropped */
            if (w->busy && w->d.request_free) w->d.request_free(w->running);
            memcpy(w->running, w->pending, w->d.request_size);
            w->has_pending = 0;
            w->busy = 1;
            w->resumed = 0;
            atomic_store(&w->cancel, 0);
            w->running_seq = w->seq;
        } else {
            w->resumed = 1;
        }
        w->deadline = deadline;
        int rc = w->d.run(w, w->d.user, w->running, worker_buf(w, w->back));
        if (rc == WORKER_MORE && !w->has_pending) return 1;   /* the next slice goes on */
        if (rc == WORKER_MORE) continue;
        if (w->d.request_free) w->d.request_free(w->running);
        pthread_mutex_lock(&w->mu);
        if (rc == 0) worker_publish_locked(w);
        w->busy = 0;
        pthread_mutex_unlock(&w->mu);
        if (os_now() >= deadline) break;
    }
    return w->has_pending || w->busy;
}

int worker_pump_all(double deadline)
{
    int more = 0;
    /* in turn, starting one further each time, so that no worker starves another */
    for (int k = 0; k < manual_n; k++) {
        int i = (manual_next + k) % manual_n;
        if (os_now() >= deadline) { more = 1; break; }
        more |= worker_pump(manual_list[i], deadline);
    }
    if (manual_n) manual_next = (manual_next + 1) % manual_n;
    return more;
}
