/* nettrain: training a network with any optimizer and schedule (torch.optim's
 * arithmetic on the whole parameter vector), full batch or minibatches in order or
 * shuffled per epoch, with the per-step numbers `optiscape net train` prints; and
 * the Hessian spectrum with its minimum ratio. */
#ifndef OPTISCAPE_NETTRAIN_H
#define OPTISCAPE_NETTRAIN_H

#include <stdint.h>

#include "net.h"
#include "optim.h"
#include "sched.h"

typedef struct net_train_desc {
    optim_desc opt;
    sched_desc sched;
    int batch;              /* 0: full batch */
    int shuffle;            /* 1: a new order every epoch (our generator); 0: in order */
    uint64_t seed;          /* of the shuffles */
    long steps;
    double stop_grad;       /* > 0: stop once the full gradient norm falls below it */
} net_train_desc;

/* Row k: after k updates. train_*: the whole training set in train mode (batch
 * statistics of the whole set; running statistics untouched); test_*: the test set
 * in eval mode (the running statistics of the k updates); NaN where there is no
 * test set or no accuracy (mse). grad_norm: of the whole training set's loss;
 * lr: the rate the next update uses. */
typedef struct net_row {
    long step;
    double train_loss, test_loss, train_acc, test_acc, grad_norm, lr;
    double test_loss_batch; /* BN nets: the test set normalized by its own batch
                               statistics (train mode), against test_loss's running
                               averages: what eval mode is for; NaN otherwise */
    double samples;         /* samples the k updates went through */
    double update_s;        /* seconds the k updates took, as measured */
} net_row;

/* The batch-size cost model of a parallel device: an update over B samples takes
 * t1 ceil(B / P) seconds, flat up to P samples (the device's width), then growing
 * with B, as the lecture's figures of time per update and per epoch. */
double net_device_seconds(int batch, int P, double t1);

/* Called for every row; nonzero stops the training. */
typedef int (*net_row_fn)(void *ctx, const net_row *row, const double *p);

/* The training in steps, for callers that cannot block (a window's frame): begin
 * computes row 0 at p; every update then moves p in place (and nt's running
 * statistics) and computes the next row. Any split of the updates into step calls
 * gives the rows and parameters net_train gives. nt, p, train, test must outlive
 * the trainer; td is copied. */
typedef struct net_trainer net_trainer;
/* NULL when memory runs out. */
net_trainer *net_trainer_begin(net *nt, double *p, const netdata *train, const netdata *test,
                               const net_train_desc *td);
/* Up to n updates, each with its row; fewer when the training is done (td->steps
 * updates, or the gradient norm below td->stop_grad; steps < 0: never). Returns
 * the updates made. */
long net_trainer_step(net_trainer *t, long n);
/* Whether no update remains. */
int net_trainer_done(const net_trainer *t);
/* Rows 0 .. *n - 1 so far (row k after k updates); valid until the next step. */
const net_row *net_trainer_rows(const net_trainer *t, long *n);
/* New optimizer settings between steps (a slider): the same kind (its state is
   kept); the learning rate becomes the schedule's base from the next row on (the
   pending update keeps its row's lr). */
void net_trainer_set_opt(net_trainer *t, const optim_desc *d);
/* The parameters' point of the last row. */
const double *net_trainer_params(const net_trainer *t);
void net_trainer_free(net_trainer *t);

/* Train p in place (updating nt's running statistics). 0, or -1 when memory runs
 * out. test may be NULL or empty. */
int net_train(net *nt, double *p, const netdata *train, const netdata *test, const net_train_desc *td,
              net_row_fn cb, void *ctx);

/* The Hessian's spectrum: positive, negative and zero counts with |lambda| <= tol
 * max|lambda| counted zero; minimum ratio = positive / all (the lecture's). */
typedef struct net_spectrum {
    int npos, nneg, nzero;
    double min_ratio, lmin, lmax, tol;
} net_spectrum;
net_spectrum net_spectrum_of(const double *w, int n, double tol);

#endif
