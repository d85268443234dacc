/* worker: one background thread where the latest request wins. A request waiting
 * to start is replaced by a newer one; the result of a finished request is kept
 * until it is taken or a newer result replaces it, so the caller (a window drawing
 * at full frame rate) never waits for the computation, and always gets the newest
 * finished answer.
 *
 * Requests and results are plain structs of a fixed size, copied by value; what
 * they point to (a landscape's spec, a field's samples) is released by the desc's
 * free functions. Results live in three buffers that are recycled (the one being
 * computed, the one ready, the one the caller holds), so a computation can reuse
 * the allocations an earlier one left in its buffer.
 *
 * A manual worker has no thread: its requests run in the slices of time the owner
 * gives it with worker_pump (a frame's spare milliseconds), so a single-threaded
 * program never blocks for a long computation. On the single-threaded web build
 * (emscripten without pthreads) every worker is manual, and worker_pump_all gives
 * each frame's slice to all of them. A run that can stop part-way checks
 * worker_deadline and returns WORKER_MORE to be called again, with the same request
 * and out, in the next slice (worker_resumed tells it it is such a call). */
#ifndef OPTISCAPE_WORKER_H
#define OPTISCAPE_WORKER_H

#include <stdatomic.h>
#include <stddef.h>

typedef struct worker worker;

typedef struct worker_desc {
    size_t request_size;          /* bytes of a request (> 0) */
    size_t result_size;           /* bytes of a result (> 0) */
    /* Computes request into out on the worker's thread. out holds what an earlier
       run left in that buffer (all zero the first time): reuse it or release it.
       Returns 0 to publish out, anything else to keep it unpublished. */
    int (*run)(worker *w, void *user, void *request, void *out);
    void (*request_free)(void *request);   /* NULL: a request owns nothing */
    void (*result_free)(void *result);     /* NULL: a result owns nothing */
    void *user;
    int manual;                   /* 1: no thread; requests run in worker_pump's slices */
} worker_desc;

/* run's return value: not finished, call again (a manual worker's next slice; on a
   thread at once) */
#define WORKER_MORE 2

/* A new request also drops whatever the running one would still publish (its
   settings are stale, not just its target). */
#define WORKER_REPLACE 1

/* Starts the thread. NULL when out of memory or no thread could be created. */
worker *worker_start(const worker_desc *d);
/* Raises the cancel flag, waits for the running request (a run that checks the
   flag stops early), and releases every request and result. NULL: nothing. */
void worker_stop(worker *w);

/* Copies request (what it points to now belongs to the worker). It replaces a
   request not yet started; a running one sees its cancel flag raised. flags: 0 or
   WORKER_REPLACE. */
void worker_request(worker *w, const void *request, int flags);
/* The newest published result not yet taken, or NULL. It stays the caller's (to
   read, or to move what it owns out of) until the next worker_take. */
void *worker_take(worker *w);
/* Whether a request is waiting or running. */
int worker_busy(worker *w);
/* Blocks until every request made so far is finished (a manual worker runs them
   here to their end). */
void worker_wait(worker *w);

/* Manual workers: runs the waiting or unfinished request until the deadline
   (os_now() seconds) has passed or it is finished; 1 while work remains. A worker
   with a thread: nothing (0). */
int worker_pump(worker *w, double deadline);
/* Every manual worker alive, in turn, until the deadline: 1 while work remains. */
int worker_pump_all(double deadline);
/* Whether workers started with manual = 0 are manual anyway (no threads here). */
int worker_threads_absent(void);

/* A request_free for requests whose first member is the one thing they own: a
   char * (the landscape's spec the worker compiles its own copy from). */
void worker_free_spec(void *request);

/* For run: raised by a newer request and by worker_stop. */
atomic_int *worker_cancel_flag(worker *w);
int worker_cancelled(worker *w);
/* For run: when a manual worker's run should return WORKER_MORE (os_now()
   seconds; INFINITY on a thread, where a run goes on to its end). */
double worker_deadline(worker *w);
/* For run: 1 when this call continues the run that returned WORKER_MORE, 0 when it
   starts the request afresh. */
int worker_resumed(worker *w);
/* For run: publishes the buffer it is computing into now (a partial result, as
   if the run had returned 0) and returns the buffer to go on in (the same one when
   WORKER_REPLACE dropped the result). */
void *worker_publish(worker *w);

#endif
