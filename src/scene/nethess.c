/* nethess: the Hessian's eigenvalues in slices (see nethess.h). */
#include "scene/nethess.h"

#include <stdlib.h>
#include <string.h>

#include "core/timing.h"

int net_hess_begin(net_hess_job *h, const net *nt, const double *p, const netdata *d)
{
    memset(h, 0, sizeof *h);
    size_t np = nt->np;
    h->nt = nt;
    h->p = p;
    h->d = d;
    h->np = np;
    h->w = net_work_new(nt, d->n);
    h->g = malloc(np * sizeof *h->g);
    h->e = calloc(np, sizeof *h->e);
    h->H = malloc(np * np * sizeof *h->H);
    if (!h->w || !h->g || !h->e || !h->H) return -1;
    /* the pass the Hessian-vector products are taken at, as net_hessian */
    net_pass(nt, p, d, NULL, d->n, NET_TRAIN, h->g, h->w);
    return 0;
}

int net_hess_run(net_hess_job *h, worker *w, double *eig)
{
    size_t np = h->np;
    double deadline = worker_deadline(w);
    for (size_t did = 0; h->col < np; h->col++, did++) {
        if (worker_cancelled(w)) return -1;
        if (did && os_now() >= deadline) return WORKER_MORE;
        h->e[h->col] = 1.0;
        net_hvp(h->nt, h->p, h->e, h->H + h->col * np, h->w);
        h->e[h->col] = 0.0;
    }
    if (!h->symmetric) {
        /* as net_hessian: rows are H e_j, the two halves averaged */
        for (size_t i = 0; i < np; i++)
            for (size_t k = i + 1; k < np; k++) {
                double a = 0.5 * (h->H[i * np + k] + h->H[k * np + i]);
                h->H[i * np + k] = h->H[k * np + i] = a;
            }
        h->symmetric = 1;
    }
    if (!h->eig_started) {
        if (eig_sym_begin(&h->ej, h->H, np, eig) != 0) return -1;
        h->eig_started = 1;
    }
    for (int rc;;) {
        if (worker_cancelled(w)) return -1;
        if ((rc = eig_sym_steps(&h->ej, 8)) < 0) return -1;
        if (rc == 0) return 0;
        if (os_now() >= deadline) return WORKER_MORE;
    }
}

void net_hess_free(net_hess_job *h)
{
    if (h->eig_started) eig_job_free(&h->ej);
    net_work_free(h->w);
    free(h->g);
    free(h->e);
    free(h->H);
    memset(h, 0, sizeof *h);
}
