/* test_parallel: parallel_for runs every index exactly once, in contiguous pieces
 * that depend only on n and the thread count, and cpu_count stays in range. */
#include <stdatomic.h>

#include "check.h"
#include "core/parallel.h"

enum { MAX_N = 1000 };

typedef struct cover {
    atomic_int hits[MAX_N];
    atomic_int calls;
    int lo[PARALLEL_MAX_THREADS], hi[PARALLEL_MAX_THREADS];
} cover;

static void mark(void *ctx, int piece, int lo, int hi)
{
    cover *c = ctx;
    atomic_fetch_add(&c->calls, 1);
    c->lo[piece] = lo;
    c->hi[piece] = hi;
    for (int i = lo; i < hi; i++) atomic_fetch_add(&c->hits[i], 1);
}

static cover c;

static void check_one(int n, int threads)
{
    for (int i = 0; i < MAX_N; i++) atomic_store(&c.hits[i], 0);
    atomic_store(&c.calls, 0);
    parallel_for(n, threads, mark, &c);
    int bad = 0;
    for (int i = 0; i < MAX_N; i++) bad += atomic_load(&c.hits[i]) != (i < n);
    CHECK(bad == 0, "n=%d threads=%d: %d indices not run exactly once", n, threads, bad);
    int pieces = threads < 1 ? 1 : threads;
    if (pieces > PARALLEL_MAX_THREADS) pieces = PARALLEL_MAX_THREADS;
    if (pieces > n) pieces = n;
    CHECK(atomic_load(&c.calls) == pieces, "n=%d threads=%d: %d pieces", n, threads,
          atomic_load(&c.calls));
    /* the split is fixed by n and threads alone: that is what keeps results exact */
    for (int t = 0; t < pieces; t++)
        CHECK(c.lo[t] == n * t / pieces && c.hi[t] == n * (t + 1) / pieces,
              "n=%d threads=%d piece %d is [%d,%d)", n, threads, t, c.lo[t], c.hi[t]);
}

int main(void)
{
    for (int threads = 1; threads <= 9; threads++)
        for (int n = 0; n <= MAX_N; n++) check_one(n, threads);
    check_one(5, 0);                      /* no threads asked: the caller runs it all */
    check_one(MAX_N, 1000);               /* capped at PARALLEL_MAX_THREADS */
    CHECK(atomic_load(&c.calls) == PARALLEL_MAX_THREADS, "cap");
    int n = cpu_count();
    CHECK(n >= 1 && n <= PARALLEL_MAX_THREADS, "cpu_count %d", n);
    return check_done("parallel");
}
