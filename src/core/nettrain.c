/* nettrain: the training loop. Per row: the whole training set's loss and gradient
 * (train mode), the test set's loss (eval mode), then one update: a train-mode
 * pass over the next minibatch, its running statistics folded in (torch's
 * BatchNorm1d does that in every train-mode forward), and the optimizer's step. */
#include "nettrain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "timing.h"

struct net_trainer {
    net *nt;
    double *p, *g;
    const netdata *train, *test;
    net_work *wfull, *wbatch, *wtest;
    batch_sampler bs;
    optim_vec ov;
    optim_clock clk;
    sched_state ss;
    net_train_desc td;
    double samples, update_s;
    double full_s;          /* the time of the last row's pass */
    net_row *rows;          /* every row, or (keep 0) the last one only */
    long nrows, cap;
    int keep, done, oom;
};
typedef struct net_trainer trainer;

static double norm2(const double *g, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += g[i] * g[i];
    return sqrt(s);
}

static void row_of(trainer *t, long k, double lr, net_row *r)
{
    double t0 = os_now();
    net_result tr = net_pass(t->nt, t->p, t->train, NULL, t->train->n, NET_TRAIN, t->g, t->wfull);
    t->full_s = os_now() - t0;
    r->step = k;
    r->train_loss = tr.loss;
    r->train_acc = tr.acc;
    r->grad_norm = norm2(t->g, t->nt->np);
    r->test_loss = r->test_acc = r->test_loss_batch = NAN;
    if (t->test && t->test->n > 0) {
        net_result te = net_pass(t->nt, t->p, t->test, NULL, t->test->n, NET_EVAL, NULL, t->wtest);
        r->test_loss = te.loss;
        r->test_acc = te.acc;
        if (t->nt->s.bn != NET_BN_OFF)
            r->test_loss_batch = net_pass(t->nt, t->p, t->test, NULL, t->test->n, NET_TRAIN, NULL, t->wtest).loss;
    }
    r->lr = lr;
    r->samples = t->samples;
    r->update_s = t->update_s;
}

static void update(trainer *t, double lr)
{
    const net_train_desc *td = &t->td;
    double t0 = os_now();
    if (td->batch <= 0 || td->batch >= t->train->n) {
        /* full batch: the row's pass is this update's forward and backward pass
         * (its gradient and statistics), and its time counts as the update's */
        t->samples += t->train->n;
        t->update_s += t->full_s;
        net_update_stats(t->nt, t->wfull);
    } else {
        int m;
        const int *idx = batch_sampler_next(&t->bs, &m);
        net_pass(t->nt, t->p, t->train, idx, m, NET_TRAIN, t->g, t->wbatch);
        net_update_stats(t->nt, t->wbatch);
        t->samples += m;
    }
    optim_clock_tick(&td->opt, &t->clk, lr);
    optim_update_vec(&td->opt, &t->clk, &t->ov, t->p, t->g);
    t->update_s += os_now() - t0;
}

void net_trainer_free(trainer *t)
{
    if (!t) return;
    net_work_free(t->wfull);
    net_work_free(t->wbatch);
    net_work_free(t->wtest);
    batch_sampler_free(&t->bs);
    optim_vec_free(&t->ov);
    free(t->g);
    free(t->rows);
    free(t);
}

/* The row after the t->nrows updates made so far, with the rate of the next one;
   -1 when memory runs out. */
static int next_row(trainer *t)
{
    if (t->keep && t->nrows == t->cap) {
        long cap = t->cap ? 2 * t->cap : 64;
        net_row *r = realloc(t->rows, (size_t)cap * sizeof *r);
        if (!r) return -1;
        t->rows = r;
        t->cap = cap;
    }
    long k = t->nrows;
    double lr = sched_next(&t->ss);
    net_row *r = &t->rows[t->keep ? k : 0];
    row_of(t, k, lr, r);
    t->nrows++;
    t->done = k == t->td.steps || (t->td.stop_grad > 0 && r->grad_norm < t->td.stop_grad);
    return 0;
}

static net_row *last_row(const trainer *t)
{
    return &t->rows[t->keep ? t->nrows - 1 : 0];
}

static trainer *begin(net *nt, double *p, const netdata *train, const netdata *test, const net_train_desc *td,
                      int keep)
{
    trainer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->keep = keep;
    if (!keep) {
        t->rows = malloc(sizeof *t->rows);
        t->cap = 1;
        if (!t->rows) {
            free(t);
            return NULL;
        }
    }
    t->nt = nt;
    t->p = p;
    t->train = train;
    t->test = test;
    t->td = *td;
    t->g = malloc(nt->np * sizeof *t->g);
    t->wfull = net_work_new(nt, train->n);
    t->wbatch = net_work_new(nt, td->batch > 0 ? td->batch : 1);
    t->wtest = test && test->n > 0 ? net_work_new(nt, test->n) : NULL;
    if (!t->g || !t->wfull || !t->wbatch || (test && test->n > 0 && !t->wtest) ||
        batch_sampler_setup(&t->bs, train->n, td->batch > 0 ? td->batch : train->n, td->shuffle, td->seed) != 0 ||
        optim_vec_init(&td->opt, &t->ov, nt->np) != 0) {
        net_trainer_free(t);
        return NULL;
    }
    optim_clock_init(&td->opt, &t->clk);
    sched_start(&t->ss, &td->sched, td->opt.lr);
    if (next_row(t) != 0) {
        net_trainer_free(t);
        return NULL;
    }
    return t;
}

trainer *net_trainer_begin(net *nt, double *p, const netdata *train, const netdata *test,
                           const net_train_desc *td)
{
    return begin(nt, p, train, test, td, 1);
}

long net_trainer_step(trainer *t, long n)
{
    long made = 0;
    while (made < n && !t->done) {
        update(t, last_row(t)->lr);
        made++;
        if (next_row(t) != 0) {
            /* no room for the row: the update stands, the training stops there */
            t->done = t->oom = 1;
            break;
        }
    }
    return made;
}

int net_trainer_done(const trainer *t)
{
    return t->done;
}

const net_row *net_trainer_rows(const trainer *t, long *n)
{
    *n = t->nrows;
    return t->rows;
}

const double *net_trainer_params(const trainer *t)
{
    return t->p;
}

void net_trainer_set_opt(trainer *t, const optim_desc *d)
{
    t->td.opt = *d;
    t->ss.base_lr = d->lr;
}

int net_train(net *nt, double *p, const netdata *train, const netdata *test, const net_train_desc *td,
              net_row_fn cb, void *ctx)
{
    trainer *t = begin(nt, p, train, test, td, 0);
    if (!t) return -1;
    while (!(cb && cb(ctx, last_row(t), p)) && !t->done) net_trainer_step(t, 1);
    int rc = t->oom ? -1 : 0;
    net_trainer_free(t);
    return rc;
}

double net_device_seconds(int batch, int P, double t1)
{
    if (P < 1) P = 1;
    return t1 * (double)((batch + P - 1) / P);
}

net_spectrum net_spectrum_of(const double *w, int n, double tol)
{
    net_spectrum s;
    double big = 0;
    memset(&s, 0, sizeof s);
    s.tol = tol;
    for (int i = 0; i < n; i++) big = fmax(big, fabs(w[i]));
    for (int i = 0; i < n; i++) {
        if (fabs(w[i]) <= tol * big) s.nzero++;
        else if (w[i] > 0) s.npos++;
        else s.nneg++;
    }
    s.lmin = n ? w[0] : NAN;
    s.lmax = n ? w[n - 1] : NAN;
    s.min_ratio = n ? (double)s.npos / n : NAN;
    return s;
}
