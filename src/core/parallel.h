/* parallel: the one deterministic fork/join of core. Work is cut into contiguous
 * ranges that depend only on the item count and the thread count, never on which
 * threads happened to start, so a caller whose items are independent gets the same
 * bits whatever the thread count. */
#ifndef OPTISCAPE_PARALLEL_H
#define OPTISCAPE_PARALLEL_H

/* No caller benefits from more: a field has a few hundred rows, a swarm a few
 * hundred blocks. */
#define PARALLEL_MAX_THREADS 64

/* The online processors, clamped to 1..PARALLEL_MAX_THREADS (1 when unknown). */
int cpu_count(void);

/* Runs items lo..hi-1 of one piece; piece is 0..pieces-1 and names the range, so a
 * caller can keep per-piece results (a failure flag) without sharing them. */
typedef void (*parallel_fn)(void *ctx, int piece, int lo, int hi);

/* Splits 0..n-1 into pieces = min(max(threads, 1), n, PARALLEL_MAX_THREADS)
 * contiguous ranges, piece t being [n*t/pieces, n*(t+1)/pieces), and runs each
 * once: piece 0 on the calling thread, the others on their own threads. A piece
 * whose thread cannot be created runs on the calling thread (always so on the
 * single-threaded web build). Returns when every piece is done; n <= 0 does
 * nothing. */
void parallel_for(int n, int threads, parallel_fn fn, void *ctx);

#endif
