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
    double *bnscr;              /* 2 maxw: BN's sums in the backward pass */
};

/* The hot loops are vectorized whatever the build's -O level (O3's cost model;
 * no-trapping-math lets the compiler evaluate both sides of a select, which changes
 * no result: nothing here installs trap handlers), and on x86-64 Linux compiled
 * twice, for AVX2 and the baseline, the loader picking one for the CPU. Without
 * contraction (the build's -ffp-contract=off) or reassociation every variant gives
 * the same bits. */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define NET_HOT __attribute__((target_clones("avx2", "default"), optimize("O3", "no-trapping-math")))
#elif defined(__GNUC__) && !defined(__clang__)
#define NET_HOT __attribute__((optimize("O3", "no-trapping-math")))
#else
#define NET_HOT
#endif

/* netact.c: activations over arrays: forward, backward (from input X and output
 * A), and the R-operator's tangents of both; our tanh. */
void net_act_fwd(net_act f, size_t n, const double *X, double *A);
void net_act_bwd(net_act f, size_t n, const double *G, const double *X, const double *A, double *GX);
void net_act_tan_fwd(net_act f, size_t n, const double *X, const double *A, const double *dX, double *dA);
void net_act_tan_bwd(net_act f, size_t n, const double *X, const double *A, const double *dX, const double *G,
                     const double *dG, double *dGX);
double net_tanh(double x);

/* netmm.c: C[i][n] = init[n] (init NULL: 0) + sum_k A[i][k] B[k][n], and
 * C[r][n] += sum_i X[i][r] Y[i][n]; sums in index order (row-major, m rows). */
void net_mm_nn(int m, int K, int N, const double *A, const double *B, const double *init, double *C);
void net_mm_tn(int m, int R, int N, const double *X, const double *Y, double *C);

/* For slices: gather samples idx[0 .. m) (NULL: the first m) into w; Z = X W^T + b
 * for the first layer's shape; and the rest of a pass (no gradient) from the first
 * layer's output already in w->z[0]. */
void net_gather(const net *nt, const netdata *d, const int *idx, int m, net_work *w);
void net_linear0(const net *nt, int m, const double *W, const double *b, double *Z, net_work *w);
net_result net_pass_from_z0(const net *nt, const double *p, int m, net_mode mode, net_work *w);

/* The input of layer l (l = 0: the gathered inputs). */
static inline const double *net_layer_in(const net_work *w, int l)
{
    return l == 0 ? w->x0 : w->a[l - 1];
}

#endif
