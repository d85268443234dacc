/* parallel: fork/join over contiguous ranges, with the calling thread taking any
 * piece that did not get a thread (pthread_create can fail under a thread limit,
 * and the web build has no threads at all). */
#include "parallel.h"

#include <pthread.h>
#include <unistd.h>

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define PARALLEL_NO_THREADS 1
#else
#define PARALLEL_NO_THREADS 0
#endif

int cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) return 1;
    return n > PARALLEL_MAX_THREADS ? PARALLEL_MAX_THREADS : (int)n;
}

typedef struct parallel_piece {
    parallel_fn fn;
    void *ctx;
    int piece, lo, hi;
} parallel_piece;

static void *parallel_run(void *arg)
{
    parallel_piece *p = arg;
    p->fn(p->ctx, p->piece, p->lo, p->hi);
    return NULL;
}

void parallel_for(int n, int threads, parallel_fn fn, void *ctx)
{
    if (n <= 0) return;
    int pieces = threads < 1 ? 1 : threads;
    if (pieces > n) pieces = n;
    if (pieces > PARALLEL_MAX_THREADS) pieces = PARALLEL_MAX_THREADS;
    parallel_piece job[PARALLEL_MAX_THREADS];
    pthread_t th[PARALLEL_MAX_THREADS];
    int started[PARALLEL_MAX_THREADS] = {0};
    for (int t = 0; t < pieces; t++) {
        /* long long: n * t overflows int for n near INT_MAX */
        int lo = (int)((long long)n * t / pieces);
        int hi = (int)((long long)n * (t + 1) / pieces);
        job[t] = (parallel_piece){fn, ctx, t, lo, hi};
    }
    for (int t = 1; t < pieces && !PARALLEL_NO_THREADS; t++)
        started[t] = pthread_create(&th[t], NULL, parallel_run, &job[t]) == 0;
    parallel_run(&job[0]);
    for (int t = 1; t < pieces; t++)
        if (!started[t]) parallel_run(&job[t]);
    for (int t = 1; t < pieces; t++)
        if (started[t]) pthread_join(th[t], NULL);
}
