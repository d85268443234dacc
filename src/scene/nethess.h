/* nethess: a network's whole Hessian and its eigenvalues in a worker's slices, the
 * numbers `optiscape net spectrum` gives: the training set's train-mode loss, the
 * Hessian column by column (Hessian-vector products with the unit vectors), its two
 * halves averaged, then eig_sym's values a few Householder steps at a time. Where
 * the workers have no threads (the browser) no slice holds a frame for the whole of
 * it. What the lab's spectrum and the seeds' scatter share. No SDL or GL. */
#ifndef OPTISCAPE_NETHESS_H
#define OPTISCAPE_NETHESS_H

#include <stddef.h>

#include "core/eig.h"
#include "core/net.h"
#include "core/netdata.h"
#include "scene/worker.h"

typedef struct net_hess_job {
    const net *nt;
    const double *p;
    const netdata *d;
    size_t np, col;
    int symmetric, eig_started;
    net_work *w;
    double *g, *e, *H;
    eig_job ej;
} net_hess_job;

/* nt, p and d must outlive the job (p unchanged). 0, or -1 when memory runs out
   (net_hess_free then). */
int net_hess_begin(net_hess_job *h, const net *nt, const double *p, const netdata *d);
/* Works until w's deadline (worker_deadline): 0 with the np eigenvalues ascending
   in eig (the same eig every call), WORKER_MORE to be called again, -1 when w is
   cancelled or the eigenvalues do not converge. */
int net_hess_run(net_hess_job *h, worker *w, double *eig);
void net_hess_free(net_hess_job *h);

#endif
