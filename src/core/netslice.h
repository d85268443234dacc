/* netslice: the loss of a network on a 2-D plane through parameter space,
 * p(a, b) = centre + a d1 + b d2, and the planes worth looking at: two random
 * directions with filter normalization (Li et al. 2018), the first two principal
 * components of a training path, two chosen parameters, and the Hessian's top two
 * eigenvectors. On such a plane the loss is an exact 2-parameter function. */
#ifndef OPTISCAPE_NETSLICE_H
#define OPTISCAPE_NETSLICE_H

#include <stddef.h>
#include <stdint.h>

#include "expr.h"
#include "net.h"

/* Gaussian directions, each filter (the incoming weights of one unit: a row of a
 * weight matrix) scaled to the norm of the same filter of p; biases and BN
 * parameters get 0 (Li et al.'s default). */
void net_dir_random(const net *nt, const double *p, uint64_t seed, double *d1, double *d2);

/* The path's first two principal components: of the points path[0 .. n) (np each,
 * row by row) minus the last one, unit vectors; var (may be NULL) gets the share
 * of the squared distances each explains. 0, or -1 (memory, or a path of fewer
 * than 2 distinct points). */
int net_dir_pca(const double *path, int n, size_t np, double *d1, double *d2, double var[2]);

/* The unit eigenvectors of the two largest Hessian eigenvalues at p (train mode
 * over the whole of d): the full Hessian up to 2000 parameters, Lanczos (60 steps)
 * beyond. lam gets the two eigenvalues. 0, or -1 when memory runs out. */
int net_dir_hessian(const net *nt, const double *p, const netdata *d, int threads, double *d1, double *d2,
                    double lam[2]);
/* The same with d2 the eigenvector of the smallest eigenvalue (lam[1]): at a saddle
   the plane of the steepest curvature up and the way down, where training stalls. */
int net_dir_hessian_low(const net *nt, const double *p, const netdata *d, int threads, double *d1, double *d2,
                        double lam[2]);

/* loss[j n + i] = the train-mode loss over d at centre + a_i d1 + b_j d2, a_i and b_j
 * evenly from -range to range (n >= 2), rows split over threads. 0, or -1. */
int net_slice_grid(const net *nt, const double *centre, const double *d1, const double *d2, double range, int n,
                   const netdata *d, int threads, double *loss);

/* The loss on the plane as an exact 2-parameter function at (a, b): its value,
 * gradient (g . d1, g . d2) and Hessian (d_i^T H d_j, by two Hessian-vector
 * products), train mode over the whole of d: what a landscape made of a slice gives
 * the field, critical points and runners restricted to the plane. w holds at
 * least d->n samples; q is 3 np of scratch. */
jet2 net_plane_jet(const net *nt, const double *centre, const double *d1, const double *d2, const netdata *d,
                   double a, double b, net_work *w, double *q);

/* A plane ready to be a landscape: everything net_plane_jet needs, owned, behind
 * the three calls a function-backed landscape would make (value, jet, a row of
 * values for the field). One net_plane per thread: its scratch is its own. */
typedef struct net_plane {
    const net *nt;
    const netdata *d;
    double *centre, *d1, *d2, *q;   /* np each (q: 3 np) */
    net_work *w;
} net_plane;

/* Copies centre, d1, d2; nt and d must outlive it. 0, or -1 when memory runs out. */
int net_plane_init(net_plane *pl, const net *nt, const double *centre, const double *d1, const double *d2,
                   const netdata *d);
void net_plane_free(net_plane *pl);
double net_plane_value(void *pl, double a, double b);
jet2 net_plane_jet2(void *pl, double a, double b);
/* out[i] = the loss at (x0 + i dx, y), i < n */
void net_plane_row(void *pl, double x0, double dx, double y, double *out, int n);

/* Value and gradient (g . d1, g . d2) at (a, b): net_plane_jet2 without the two
 * Hessian-vector products (the same value and gradient bits). */
double net_plane_grad(void *pl, double a, double b, double g[2]);

/* A plane file: everything a landscape needs to rebuild the plane, written by
 * `optiscape net slice --plane-out PLANE` and read by `--landscape plane:file=PLANE`.
 * Text, one item per line, '#' lines are comments:
 *     optiscape-plane 1
 *     net mlp:2,8,1,act=tanh,loss=bce       the network spec
 *     data moons:n=200,seed=3               a generated set (its training part), or
 *     data-file /abs/path/train.csv         a CSV file, last column the target
 *     range R                               the view: a and b from -R to R
 *     start A B                             a runner's default start on the plane
 *     params N                              then N lines "c,d1,d2": the centre and
 *                                           the two directions, 17 significant digits
 * The loss is train mode over the whole training set (as net slice's grid). */
typedef struct net_plane_file {
    char net[256];
    char data[1024];
    int data_is_file;
    double range, start[2];
    size_t np;
    double *centre, *d1, *d2;   /* owned, np each */
    int net_line, data_line, params_line;   /* where they were read (for messages) */
} net_plane_file;

/* Write through a temporary file renamed over path. 0, or -1 with a message. */
int net_plane_file_write(const char *path, const net_plane_file *pf, char *err, size_t errlen);
/* 0, or -1 with "FILE:LINE: ..." (or "FILE: ...") in err. Only the file's own
 * syntax is checked here: the net spec, the data and the parameter count against
 * the network are checked by net_plane_file_open. */
int net_plane_file_read(const char *path, net_plane_file *pf, char *err, size_t errlen);
void net_plane_file_free(net_plane_file *pf);
/* Build the network and the training set a plane file names: 0, or -1 with
 * "FILE:LINE: ..." naming the line at fault. nt and train are the caller's to free. */
int net_plane_file_open(const char *path, const net_plane_file *pf, net *nt, netdata *train, char *err,
                        size_t errlen);

/* Project a point onto the plane (least squares): its (a, b) and its distance
 * from the plane. */
void net_project(const double *centre, const double *d1, const double *d2, size_t np, const double *q, double ab[2],
                 double *dist);

#endif
