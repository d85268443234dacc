/* netseeds: note 000's experiment live. The lab's network is trained from K
 * initializations (seeds s, s + 1, ...: net_init_params and the shuffles) with its
 * optimizer, schedule and batch until the full gradient's norm is below gtol or
 * `steps` updates are made; at each end point the whole Hessian gives the minimum
 * ratio (positive eigenvalues / all). Points of training loss against minimum
 * ratio gather one seed at a time in a worker (manual where there are no
 * threads), so the window draws the scatter as it fills. The numbers are those of
 * `optiscape net spectrum --seeds K --steps N --gtol G` for the same network, data,
 * optimizer, schedule and batch. No SDL or GL. */
#ifndef OPTISCAPE_NETSEEDS_H
#define OPTISCAPE_NETSEEDS_H

#include "scene/netlab.h"

#define NETSEEDS_MAX 200         /* seeds at most */
#define NETSEEDS_MAX_PARAMS 2000 /* the whole Hessian: up to net spectrum's full size */
#define NETSEEDS_DEFAULT_K 20    /* where a scene or the panel does not say */
#define NETSEEDS_DEFAULT_STEPS 2000
#define NETSEEDS_DEFAULT_GTOL 1e-3

typedef struct netseed_pt {
    long seed;
    double train_loss, grad_norm;
    long steps;                  /* updates made (fewer than asked: the gradient was small) */
    net_spectrum sum;            /* the end point's counts and minimum ratio */
} netseed_pt;

typedef struct netseeds netseeds;

/* Starts the experiment for d's network (seeds d->seed onwards). NULL with the
   message when d is refused, k is out of 1 .. NETSEEDS_MAX, the network has more
   than NETSEEDS_MAX_PARAMS parameters or memory runs out. */
netseeds *netseeds_start(const netlab_desc *d, int k, long steps, double gtol, int manual, char *err,
                         size_t errlen);
/* Takes the finished seeds and asks for the next. Call once a frame. */
void netseeds_poll(netseeds *s);
/* Blocks until every seed is done (tests, figures). */
void netseeds_wait(netseeds *s);
/* The points so far, in seed order; *total gets k. */
const netseed_pt *netseeds_points(const netseeds *s, int *n, int *total);
long netseeds_steps(const netseeds *s);
double netseeds_gtol(const netseeds *s);
void netseeds_free(netseeds *s);

#endif
