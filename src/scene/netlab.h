/* netlab: the network lab, live. A network, its data (train and test), an
 * optimizer and a batch, trained in steps a frame can afford (net_trainer), with
 * what the window shows of it:
 *   - the history rows (step, train and test loss and accuracy, gradient norm) and
 *     the simulated seconds of a device that takes P samples at once;
 *   - a slice plane through parameter space (random filter-normalized directions,
 *     the path's principal components, two chosen parameters, the Hessian's top
 *     eigenvectors) with its loss grid computed in a worker, coarse first, then
 *     fine, published as it fills;
 *   - the training path projected on the plane, with each point's distance from it;
 *   - the Hessian's spectrum and minimum ratio at the current point, in a worker;
 *   - the model's outputs on a grid over the inputs (decision boundary, or fitted
 *     curve for one input), in time-budgeted bands.
 * Workers are manual where there are no threads (the browser): long work never
 * runs on the caller's thread beyond the deadline it is given. No SDL or GL. */
#ifndef OPTISCAPE_NETLAB_H
#define OPTISCAPE_NETLAB_H

#include <stddef.h>
#include <stdint.h>

#include "core/net.h"
#include "core/netdata.h"
#include "core/nettrain.h"
#include "scene/worker.h"

typedef enum netlab_plane_kind {
    NETLAB_PLANE_RANDOM,     /* filter-normalized Gaussian directions (seed + 1, as net slice) */
    NETLAB_PLANE_PCA,        /* the path's first two principal components */
    NETLAB_PLANE_PARAMS,     /* parameters I and J */
    NETLAB_PLANE_HESSIAN,    /* the top two Hessian eigenvectors */
    NETLAB_PLANE_HESSIAN_LOW,  /* the eigenvectors of the largest and the smallest eigenvalue */
    NETLAB_PLANE_COUNT
} netlab_plane_kind;

/* Zero means the default where it is noted. */
typedef struct netlab_desc {
    char net[256];           /* "mlp:2,16,16,1,act=tanh,loss=bce"; "" : that one */
    char data[512];          /* a generated set's spec; "": moons */
    char opt[256];           /* an optimizer spec; "": adam */
    char sched[128];         /* a schedule spec; "": constant */
    int batch;               /* 0: the full batch */
    int no_shuffle;          /* 1: minibatches in order (net train --shuffle 0) */
    long seed;               /* initialization and shuffles (as net train --seed) */
    long steps;              /* updates to stop after; 0: never stop */
    netlab_plane_kind plane;
    int pi, pj;              /* NETLAB_PLANE_PARAMS */
    double range;            /* the slice's a and b from -range to range; 0: 1 */
    int grid;                /* the fine grid's points per side; 0: 41 (coarse: every 4th) */
    int spectrum_every;      /* updates between spectra while training; 0: 25 */
    int device_width;        /* P of the simulated device; 0: 64 */
    double device_t1;        /* its seconds per update of up to P samples; 0: 0.001 */
    int manual;              /* 1: workers without threads (as in the browser) */
} netlab_desc;

/* The slice as the worker publishes it. */
typedef struct netlab_slice {
    unsigned gen;            /* netlab_replane's count when it was asked for */
    long step;               /* the row whose point is the plane's centre */
    int n;                   /* points per side */
    double range;
    double *loss;            /* n x n, row j (b) by row, i (a) along; filled per level */
    int level;               /* 0: nothing yet, 1: the coarse grid (the rest filled from it), 2: fine */
    int rows_done;           /* fine rows finished */
    size_t np;
    double *centre, *d1, *d2;
    double lam[2];           /* hessian planes: the two eigenvalues */
    double var[2];           /* pca planes: the shares of the path's spread */
    int failed;              /* 1: the plane could not be made (a path that does not move) */
} netlab_slice;

typedef struct netlab_spectrum {
    unsigned gen;
    long step;               /* the row the point belongs to */
    int n;
    double *eig;             /* ascending */
    net_spectrum sum;        /* counts and minimum ratio (zero: |lambda| <= 1e-6 max) */
} netlab_spectrum;

/* One stored point of the path: every update's until the store is full, then
   every other one (the store thins itself), the newest always. */
typedef struct netlab_pt {
    long step;
    double a, b, dist;       /* on the current plane */
} netlab_pt;

#define NETLAB_PATH_CAP 256
#define NETLAB_OUT_N 64      /* the output grid: NETLAB_OUT_N per side (2 inputs), or points (1) */

typedef struct netlab {
    netlab_desc d;
    net nt;
    net_train_desc td;
    netdata train, test;
    double *p;               /* the current parameters */
    net_trainer *tr;
    /* the path: points (np each) and where they are on the plane */
    double *path;
    netlab_pt pts[NETLAB_PATH_CAP];
    int npath;
    long stride;             /* updates between stored points */
    /* the simulated device's seconds after each row (index: step) */
    double *dev_s;
    long ndev, devcap;
    /* the plane shown */
    unsigned plane_gen, plane_have;
    netlab_slice *slice;     /* the newest published (owned by the worker until the next take) */
    double *centre, *d1, *d2;
    worker *slice_w, *spec_w;
    /* the spectrum */
    netlab_spectrum *spec;   /* the newest, or NULL */
    unsigned spec_gen;
    long spec_asked;         /* the step the last request was for; -1 none */
    /* outputs on a grid over the data's box */
    double box[4];           /* x0, x1, y0, y1 (one input: y the target's range) */
    double *out, *out_next;  /* finished grid; the one in progress */
    double *out_p, *out_stats;   /* the parameters and running statistics it is for */
    int out_rows, out_valid;
    long out_step;           /* the row out shows; -1 none */
    long out_next_step;
    net_work *out_w;
    double *out_x;
} netlab;

/* Builds everything and computes row 0; refuses bad specs with one line that
   names the part at fault (the spec's own message for the net, "data: ...", "optimizer: ...",
   "batch: ..."). 0, or -1 with the message. */
int netlab_create(netlab *lab, const netlab_desc *d, char *err, size_t errlen);
void netlab_free(netlab *lab);
/* What netlab_create would refuse, without making anything beyond the data: 0, or
   -1 with the same message. */
int netlab_check(const netlab_desc *d, char *err, size_t errlen);
/* Only what d describes: the network (nt), the data (train, test) and the
   training's settings (td), no parameters and no workers, as netlab_create checks
   them; netlab_free releases them (also after a refusal). 0, or -1 with the message. */
int netlab_parts(netlab *lab, const netlab_desc *d, char *err, size_t errlen);

/* Up to n updates, stopping early once os_now() passes deadline (at least one
   update is made when any remains). Returns the updates made. */
long netlab_step(netlab *lab, long n, double deadline);
int netlab_done(const netlab *lab);

/* Takes what the workers finished, asks for a spectrum when it is stale (every
   spectrum_every updates, and at once when paused), and computes the output grid
   in bands until deadline. Call once a frame. */
void netlab_poll(netlab *lab, int paused, double deadline);

/* A new plane through the current point, of the desc's kind (lab->d.plane etc.
   may be changed first): the slice worker makes its directions and its grid. */
void netlab_replane(netlab *lab);
/* Blocks until the workers are idle (tests, and figures without a window). */
void netlab_wait(netlab *lab);
/* Whether a worker is still computing (netlab_free would wait for it). */
int netlab_busy(const netlab *lab);

const net_row *netlab_rows(const netlab *lab, long *n);
/* The simulated device's seconds after the updates of row k. */
double netlab_device_s(const netlab *lab, long k);
/* The current point on the plane (NaN before the first plane arrives). */
netlab_pt netlab_current(const netlab *lab);
/* The newest slice (level 0 when none yet), or NULL. */
const netlab_slice *netlab_get_slice(const netlab *lab);
const netlab_spectrum *netlab_get_spectrum(const netlab *lab);
/* Outputs on the grid: NETLAB_OUT_N x NETLAB_OUT_N (2 inputs) or NETLAB_OUT_N
   points (1 input), times the outputs per sample; NULL until the first is made. */
const double *netlab_outputs(const netlab *lab);

/* The model's class-1 probability (bce), class (ce) or value (mse) from one
   sample's outputs. */
double netlab_output_value(const netlab *lab, const double *outs);

#endif
