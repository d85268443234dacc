/* net: the network lab's multilayer perceptrons, trained exactly in double.
 *
 * A network is given as "mlp:2,16,16,1,act=tanh,bn=before,loss=bce": the widths of
 * its layers (input first), one activation for every hidden layer, BatchNorm1d before
 * or after every hidden activation (or none), and the loss. It is torch's
 *   Sequential(Linear, [BN], Act, [BN], Linear, ..., Linear)
 * with torch.nn's conventions: Linear computes x W^T + b; BatchNorm1d in train mode
 * normalizes by the batch mean and biased variance and puts the unbiased variance
 * into its running estimate (running = (1 - momentum) running + momentum batch); in
 * eval mode it normalizes by the running estimates. Losses are torch's mean
 * reductions: MSELoss, BCEWithLogitsLoss (one output, targets 0/1) and
 * CrossEntropyLoss (k outputs, class-index targets).
 *
 * The trainable parameters are one vector p (torch's model.parameters() order: per
 * layer weight row by row, bias, then the BN's weight and bias); the BN running
 * statistics live in the net itself. Forward, backward and Hessian-vector products
 * (net_hvp.c: the forward-over-reverse R-operator, no finite differences) take p
 * from the caller, so optimizers, slices and curvature all move the same vector. */
#ifndef OPTISCAPE_NET_H
#define OPTISCAPE_NET_H

#include <stddef.h>
#include <stdint.h>

#include "netdata.h"

#define NET_MAX_LINEAR 8        /* linear layers */
#define NET_MAX_WIDTH 4096

typedef enum net_act { NET_RELU, NET_TANH, NET_SIGMOID, NET_LINEAR } net_act;
typedef enum net_bn { NET_BN_OFF, NET_BN_BEFORE, NET_BN_AFTER } net_bn;
typedef enum net_loss { NET_MSE, NET_BCE, NET_CE } net_loss;

typedef struct net_spec {
    int nlin;                           /* linear layers (widths: nlin + 1) */
    int width[NET_MAX_LINEAR + 1];
    net_act act;
    net_bn bn;
    net_loss loss;
    double bn_momentum;                 /* torch's momentum, default 0.1 */
    double bn_eps;                      /* default 1e-5 */
} net_spec;

/* Parse a network spec; 0, or -1 with a one-line message naming the column. */
int net_parse(const char *text, net_spec *out, char *err, size_t errlen);
void net_format(const net_spec *s, char *buf, size_t len);

typedef struct net {
    net_spec s;
    size_t np;                          /* trainable parameters */
    size_t w_off[NET_MAX_LINEAR], b_off[NET_MAX_LINEAR];
    size_t g_off[NET_MAX_LINEAR], beta_off[NET_MAX_LINEAR];   /* BN (hidden layers) */
    size_t st_off[NET_MAX_LINEAR];      /* running mean at stats + st_off, var after it */
    size_t nstats;                      /* 2 x the BN'd widths */
    double *stats;                      /* running means and variances */
    int maxw;                           /* the widest layer */
} net;

/* 0, or -1 when memory runs out. */
int net_init(net *nt, const net_spec *s);
void net_free(net *nt);
/* Running statistics back to torch's start: means 0, variances 1. */
void net_reset_stats(net *nt);

/* torch.nn's default initialization drawn from our generator: Linear weight and
 * bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform_ with a = sqrt(5)),
 * BN weight 1, bias 0; running statistics reset. */
void net_init_params(net *nt, double *p, uint64_t seed);

/* The state_dict: for each layer weight row by row, bias; for each BN weight,
 * bias, running_mean, running_var (num_batches_tracked left out). */
size_t net_state_len(const net *nt);
void net_state_get(const net *nt, const double *p, double *state);
void net_state_set(net *nt, double *p, const double *state);
/* One number per line, 17 significant digits. Load: 0, or -1 with
 * "FILE:LINE: ..." or "FILE: N numbers, the network has M" in err. Save writes a
 * temporary file and renames it over path: 0, or -1 with a message. */
int net_state_load(net *nt, double *p, const char *path, char *err, size_t errlen);
int net_state_save(const net *nt, const double *p, const char *path, char *err, size_t errlen);

/* Scratch memory for passes over batches of up to cap samples. */
typedef struct net_work net_work;
net_work *net_work_new(const net *nt, int cap);
void net_work_free(net_work *w);

typedef enum net_mode { NET_TRAIN, NET_EVAL } net_mode;

typedef struct net_result {
    double loss;
    double acc;                         /* fraction correct; NaN for mse */
} net_result;

/* Loss (and accuracy) over the samples idx[0 .. m) of d (idx NULL: the first m),
 * m <= the work's cap. NET_TRAIN uses the batch statistics, NET_EVAL the running
 * ones. grad (length np, may be NULL; train mode only) receives the gradient of the
 * mean loss. Running statistics are not touched: net_update_stats does that with
 * the batch statistics of the last train-mode pass. */
net_result net_pass(const net *nt, const double *p, const netdata *d, const int *idx, int m,
                    net_mode mode, double *grad, net_work *w);
void net_update_stats(net *nt, const net_work *w);
/* The network's outputs (m x k, before the loss's sigmoid or softmax) at the inputs
 * x (m x width[0], row-major), m <= the work's cap: a decision boundary's or a
 * fitted curve's grid. */
void net_outputs(const net *nt, const double *p, const double *x, int m, net_mode mode, double *out, net_work *w);

/* Hessian-vector product of the train-mode mean loss over the work's last
 * net_pass (which must have been called with a gradient): hv = H v. Exact, by the
 * forward-over-reverse R-operator. */
void net_hvp(const net *nt, const double *p, const double *v, double *hv, net_work *w);
/* net_hvp as the operator an iterative eigensolver takes (eig_lanczos): ctx is a
 * net_hvp_ctx. */
typedef struct net_hvp_ctx {
    const net *nt;
    const double *p;
    net_work *w;
} net_hvp_ctx;
void net_hvp_op(void *ctx, const double *x, double *y);
/* The full Hessian (np x np, row-major) over idx[0 .. m) of d in train mode, with
 * threads threads (columns split among them). 0, or -1 when memory runs out. */
int net_hessian(const net *nt, const double *p, const netdata *d, const int *idx, int m,
                double *H, int threads);

#endif
