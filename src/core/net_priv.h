/* net_priv: what net.c (the passes) and net_hvp.c (their R-operator) share: the
 * scratch memory of a pass, which keeps every intermediate of the last forward and
 * backward pass so a Hessian-vector product can run over it. Not for other modules. */
#ifndef OPTISCAPE_NET_PRIV_H
#define OPTISCAPE_NET_PRIV_H

#include "net.h"

struct net_work {
    int cap;                    /* samples */
    int m;                      /* samples of the last pass */
    int have_grad;              /* the last pass was a train-mode pass with a gradient */
    double *x0;                 /* cap x width[0]: the gathered inputs */
    double *t;                  /* cap: the gathered targets */
    double *wt;                 /* maxw x maxw: a transposed weight */
    /* per linear layer l: z (its output); for hidden layers also y1 (after the
     * first of BN/activation), a (the layer's output), the BN's xh, mean, var,
     * istd, and the backward pass's gz, gy1, ga (dL/dz, dL/dy1, dL/da) */
    double *z[NET_MAX_LINEAR], *y1[NET_MAX_LINEAR], *a[NET_MAX_LINEAR];
    double *xh[NET_MAX_LINEAR], *mean[NET_MAX_LINEAR], *var[NET_MAX_LINEAR];
    double *istd[NET_MAX_LINEAR];
    double *gz[NET_MAX_LINEAR], *gy1[NET_MAX_LINEAR], *ga[NET_MAX_LINEAR];
    double *pr;                 /* cap x k: sigmoid or softmax of the outputs */
    /* tangents of the same (the R-operator's forward and backward) */
    double *dz[NET_MAX_LINEAR], *dy1[NET_MAX_LINEAR], *da[NET_MAX_LINEAR];
    double *dxh[NET_MAX_LINEAR], *dist[NET_MAX_LINEAR];
    double *dgz[NET_MAX_LINEAR], *dgy1[NET_MAX_LINEAR], *dga[NET_MAX_LINEAR];
    double *tmp;                /* cap x maxw */
};

/* The activation's first and second derivative from its input x and output a. */
double net_act_d1(net_act f, double x, double a);
double net_act_d2(net_act f, double x, double a);

/* The input of layer l (l = 0: the gathered inputs). */
static inline const double *net_layer_in(const net_work *w, int l)
{
    return l == 0 ? w->x0 : w->a[l - 1];
}

#endif
