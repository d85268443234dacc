/* optim: the optimizers, following torch.optim (PyTorch 1.13) exactly in names,
 * hyperparameters, defaults and the order of floating-point operations, plus
 * second-order and lecture variants. One optimizer instance moves one 2-vector.
 *
 * State is split in two so a swarm of 100 000 particles stays small and fast:
 * optim_clock holds what depends only on the step count (shared by every particle
 * of a run: bias corrections, Nadam's mu product), optim_state holds the per-particle
 * moment buffers. */
#ifndef OPTISCAPE_OPTIM_H
#define OPTISCAPE_OPTIM_H

#include <stddef.h>

typedef enum optim_kind {
    OPTIM_SGD,
    OPTIM_ADAGRAD,
    OPTIM_RMSPROP,
    OPTIM_ADAM,
    OPTIM_ADAMW,
    OPTIM_NADAM,
    OPTIM_RADAM,
    OPTIM_ADAMAX,
    OPTIM_ADADELTA,
    OPTIM_NEWTON,   /* damped Newton: p -= lr (H + damping I)^-1 g */
    OPTIM_SFN,      /* saddle-free Newton: p -= lr |H|^-1 g, |H| from the eigen-decomposition */
    OPTIM_ESCAPE,   /* GD that leaves saddles along the most negative Hessian eigenvector */
    OPTIM_COUNT
} optim_kind;

/* Every hyperparameter of every optimizer; which ones a kind reads is in its
 * optim_info.keys. optim_defaults() fills the torch defaults for a kind. */
typedef struct optim_desc {
    optim_kind kind;
    double lr;
    double momentum;          /* sgd, rmsprop: 0 is a real value (no momentum) */
    double dampening;         /* sgd */
    double weight_decay;      /* L2 added to the gradient; adamw: decoupled */
    int nesterov;             /* sgd */
    double lr_decay;          /* adagrad */
    double initial_accumulator_value; /* adagrad */
    double eps;
    double alpha;             /* rmsprop smoothing */
    int centered;             /* rmsprop */
    double beta1, beta2;      /* adam family */
    int amsgrad;              /* adam, adamw */
    double momentum_decay;    /* nadam */
    double rho;               /* adadelta */
    int bias_correction;      /* adam lecture variant: 0 drops both bias corrections */
    int mode_mean;            /* adagrad lecture variant: sigma = RMS of past gradients */
    double damping;           /* newton: Levenberg damping; sfn: floor on |lambda| */
    double tol;               /* escape: gradient norm under which it looks for a way out */
    double escape_step;       /* escape: length of the step along the eigenvector */
} optim_desc;

typedef struct optim_info {
    const char *name;         /* as on the command line: "adam" */
    const char *keys;         /* comma-separated keys this kind accepts */
    const char *summary;      /* one line for `optiscape list optimizers` */
    int needs_hessian;
} optim_info;

const optim_info *optim_info_of(optim_kind k);
int optim_kind_from_name(const char *name, optim_kind *out);  /* 0 or -1 */

optim_desc optim_defaults(optim_kind k);

/* Parse "adam:lr=0.01,beta1=0.8". Unknown names, unknown keys, malformed or
 * out-of-range values (and combinations torch refuses, like nesterov without
 * momentum) return -1 with a one-line message. */
int optim_parse(const char *spec, optim_desc *out, char *err, size_t errlen);

/* Canonical text of a desc: the name and every key that differs from its default. */
void optim_format(const optim_desc *d, char *buf, size_t len);

typedef struct optim_clock {
    long step;                /* updates taken so far */
    double lr;                /* learning rate of the update in progress */
    double mu_product;        /* nadam */
    /* per-step scalars, computed once per step in optim_clock_tick */
    double c[8];
} optim_clock;

typedef struct optim_state {
    double a[2], b[2], c[2];  /* moment buffers; meaning per kind (see optim.c) */
    int started;              /* sgd: momentum buffer initialised */
} optim_state;

void optim_clock_init(const optim_desc *d, optim_clock *clk);
void optim_state_init(const optim_desc *d, optim_state *st);

/* Advance the clock for the next update, which will use learning rate lr. */
void optim_clock_tick(const optim_desc *d, optim_clock *clk, double lr);

/* Update p in place from gradient g (and Hessian h = {hxx, hxy, hyy} when the kind
 * needs it; may be NULL otherwise). Call after optim_clock_tick for this step. */
void optim_update(const optim_desc *d, const optim_clock *clk, optim_state *st,
                  double p[2], const double g[2], const double *h);

/* The same update for n particles in structure-of-arrays form (the layout of
 * expr_grad_many), bit-identical to n calls of optim_update; for kinds that do not
 * need the Hessian. It always runs the portable scalar code, whereas optim_update
 * takes a packed two-coordinate path for Adam/AdamW on x86-64 CPUs with FMA (about
 * 1.7x faster); test_optim checks that the two agree bit for bit. */
void optim_update_many(const optim_desc *d, const optim_clock *clk, optim_state *st,
                       double *x, double *y, const double *gx, const double *gy, size_t n);

/* A parameter vector of any length (a network's parameters): every coordinate
 * moves by the same elementwise rule, with the same arithmetic, as optim_update's
 * two, so a network trained here follows torch.optim on its parameters. The
 * Hessian kinds (newton, sfn, escape) have no vector form. */
typedef struct optim_vec {
    size_t n;
    double *a, *b, *c;        /* moment buffers, n each */
    int started;              /* sgd: momentum buffer initialised */
} optim_vec;

/* 0, or -1 when memory runs out (or the kind needs the Hessian). */
int optim_vec_init(const optim_desc *d, optim_vec *st, size_t n);
void optim_vec_free(optim_vec *st);
/* p[0 .. n) -= the update for gradient g; call after optim_clock_tick. */
void optim_update_vec(const optim_desc *d, const optim_clock *clk, optim_vec *st,
                      double *p, const double *g);

#endif
