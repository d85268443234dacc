/* field_worker: one background thread, one pending request (the newest wins), and
 * three result buffers (the one being computed, the one ready, the one the window
 * is drawing) so neither side ever waits for the other. The worker compiles its own
 * copy of the landscape from its spec, so it shares no mutable state with the
 * window. */
#include "scene/field_worker.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"

typedef struct request {
    char *spec;
    int is_formula;
    unsigned gen;
    double view[4];
    int w, h, want_lmax, want_crit;
} request;

struct field_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv, done_cv;
    request pending;
    int has_pending, busy, quit;
    field_result buf[3];
    int back, ready, front;     /* indices into buf; ready = -1 when none */
    int nthreads;
};

static void *worker_main(void *arg)
{
    field_worker *fw = arg;
    pthread_mutex_lock(&fw->mu);
    for (;;) {
        while (!fw->has_pending && !fw->quit) pthread_cond_wait(&fw->cv, &fw->mu);
        if (fw->quit) break;
        request rq = fw->pending;
        fw->pending.spec = NULL;
        fw->has_pending = 0;
        fw->busy = 1;
        field_result *out = &fw->buf[fw->back];
        pthread_mutex_unlock(&fw->mu);

        char err[256];
        int rc = field_result_compute(out, rq.spec, rq.is_formula, rq.gen, rq.view, rq.w, rq.h,
                                      rq.want_lmax, rq.want_crit, fw->nthreads, err, sizeof err);
        free(rq.spec);

        pthread_mutex_lock(&fw->mu);
        if (rc == 0) {
            /* publish: the old ready buffer (if any) becomes the next back buffer */
            int old = fw->ready;
            fw->ready = fw->back;
            fw->back = old >= 0 ? old : 3 - fw->ready - fw->front;
        }
        fw->busy = 0;
        pthread_cond_broadcast(&fw->done_cv);
    }
    pthread_mutex_unlock(&fw->mu);
    return NULL;
}

field_worker *field_worker_create(void)
{
    field_worker *fw = calloc(1, sizeof *fw);
    if (!fw) return NULL;
    int ncpu = cpu_count();
    fw->nthreads = ncpu > 16 ? 16 : ncpu;
    fw->back = 0;
    fw->front = 2;
    fw->ready = -1;
    pthread_mutex_init(&fw->mu, NULL);
    pthread_cond_init(&fw->cv, NULL);
    pthread_cond_init(&fw->done_cv, NULL);
    if (pthread_create(&fw->th, NULL, worker_main, fw) != 0) {
        pthread_mutex_destroy(&fw->mu);
        pthread_cond_destroy(&fw->cv);
        pthread_cond_destroy(&fw->done_cv);
        free(fw);
        return NULL;
    }
    return fw;
}

void field_worker_destroy(field_worker *fw)
{
    if (!fw) return;
    pthread_mutex_lock(&fw->mu);
    fw->quit = 1;
    pthread_cond_broadcast(&fw->cv);
    pthread_mutex_unlock(&fw->mu);
    pthread_join(fw->th, NULL);
    free(fw->pending.spec);
    for (int i = 0; i < 3; i++) field_result_free(&fw->buf[i]);
    pthread_mutex_destroy(&fw->mu);
    pthread_cond_destroy(&fw->cv);
    pthread_cond_destroy(&fw->done_cv);
    free(fw);
}

void field_worker_request(field_worker *fw, const char *spec, int is_formula, unsigned gen,
                          const double view[4], int w, int h, int want_lmax, int want_crit)
{
    char *copy = strdup(spec);
    if (!copy) return;
    pthread_mutex_lock(&fw->mu);
    free(fw->pending.spec);
    fw->pending = (request){copy, is_formula, gen, {view[0], view[1], view[2], view[3]},
                            w, h, want_lmax, want_crit};
    fw->has_pending = 1;
    pthread_cond_signal(&fw->cv);
    pthread_mutex_unlock(&fw->mu);
}

const field_result *field_worker_poll(field_worker *fw)
{
    const field_result *r = NULL;
    pthread_mutex_lock(&fw->mu);
    if (fw->ready >= 0) {
        /* the old front becomes the spare that the next publish takes as back */
        fw->front = fw->ready;
        fw->ready = -1;
        r = &fw->buf[fw->front];
    }
    pthread_mutex_unlock(&fw->mu);
    return r;
}

void field_worker_wait(field_worker *fw)
{
    pthread_mutex_lock(&fw->mu);
    while (fw->has_pending || fw->busy) pthread_cond_wait(&fw->done_cv, &fw->mu);
    pthread_mutex_unlock(&fw->mu);
}
