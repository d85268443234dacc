/* dataset: seeded generated training sets whose loss over two parameters is a
 * landscape (linear regression, two-feature regression with optional
 * standardization, logistic regression, and a sharp/flat landscape made of
 * per-sample shifted copies), the exact loss of any subset of samples (value,
 * gradient, Hessian, and as formula text for the expr compiler), and the minibatch
 * sampler that runners draw their batches from. The same seed gives the same data
 * and the same batches on every machine (rng.h). */
#ifndef OPTISCAPE_DATASET_H
#define OPTISCAPE_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "expr.h"
#include "rng.h"

/* Largest data sets. A least-squares loss is written from its sufficient statistics
 * (a formula of constant size); the others have one formula term per sample, so
 * their size is bounded by EXPR_MAX_LEN. */
#define DATASET_MAX_N_LSQ 100000
#define DATASET_MAX_N_TERMS 200

/* The loss of sample i at the parameters p = (x, y) of the landscape. */
typedef enum dataset_loss {
    /* squared error (x a_i + y b_i - t_i)^2: linear regression with
     * (a, b) = (feature, 1) for (w, b), or two features for (w1, w2) */
    DATASET_LSQ,
    /* logistic loss softplus(-t_i (x a_i + y b_i)) = log(1 + exp(-t_i w.x_i)),
     * t_i = +1 or -1 */
    DATASET_LOGISTIC,
    /* the sharp_flat landscape moved by the sample's shift (a_i, b_i):
     * g(x - a_i, y - b_i), g = 0.05 r^2 + 1 - amp G_sharp - 0.95 G_flat */
    DATASET_SHIFTED,
} dataset_loss;

typedef struct dataset {
    dataset_loss loss;
    int n;
    double *a, *b, *t;    /* per sample; t is unused by DATASET_SHIFTED */
    /* DATASET_SHIFTED: the sharp well's width and depth, the flat well's depth (its
     * width, its centre and the bowl are sharp_flat's) */
    double width, amp, amp_flat;
} dataset;

/* Linear regression y = 2 x - 1 + noise N(0, noise^2) over (x, y) = (w, b), with
 * features x_i = scale (1 + z_i), z_i ~ N(0, 1): the larger (or smaller) the scale,
 * the longer the loss's ellipse. NULL when n is out of range or memory runs out. */
dataset *dataset_linreg(int n, double noise, double scale, uint64_t seed);
/* y = 1.5 x1 + 0.15 x2 + noise, x1 ~ N(0, scale1^2), x2 ~ N(0, scale2^2), over
 * (w1, w2), no bias. standardize: each feature shifted and divided so that its
 * mean is 0 and its variance (mean of squared deviations, over the n samples) 1,
 * and the targets centred (no bias could fit their mean). */
dataset *dataset_linreg2(int n, double scale1, double scale2, int standardize, double noise,
                         uint64_t seed);
/* Two Gaussian clusters N(+-mu, I), mu = sep/2 (0.8, 0.6), labels +1 and -1 taking
 * turns, over (w1, w2), no bias. n <= DATASET_MAX_N_TERMS. */
dataset *dataset_logreg(int n, double sep, uint64_t seed);
/* n shifts spread * N(0, I) with their mean removed, plus (shift, shift) for a test
 * set. Averaging shifted copies of a well widens it and makes it shallower, so each
 * sample's wells are deepened until the average is exactly as deep as
 * sharp_flat's at the wells' centres. n <= DATASET_MAX_N_TERMS. */
dataset *dataset_shifted(int n, double spread, double width, double shift, uint64_t seed);
void dataset_destroy(dataset *ds);

/* Loss of sample i at (x, y): value, gradient and Hessian, exact. */
jet2 dataset_sample_jet(const dataset *ds, int i, double x, double y);
/* The mean over the samples idx[0 .. m) (idx NULL: all n samples, m ignored): the
 * minibatch loss, gradient and Hessian. The mean of dataset_sample_jet. */
jet2 dataset_batch_jet(const dataset *ds, const int *idx, int m, double x, double y);

/* The same minibatch loss as formula text in x and y for expr_compile (no named
 * constants). Returns the length of the whole text (as snprintf does: the text is
 * complete only when this is < len), or -1 when m < 1 or an index is out of range.
 * A least-squares loss is written A*x^2 + 2B*x*y + C*y^2 - 2D*x - 2E*y + F from the
 * batch's statistics (dataset_quadratic); the others as one term per sample. */
int dataset_formula(const dataset *ds, const int *idx, int m, char *buf, size_t len);

/* Least squares only: the batch loss is A x^2 + 2B xy + C y^2 - 2D x - 2E y + F with
 * A = mean a^2, B = mean ab, C = mean b^2, D = mean at, E = mean bt, F = mean t^2. */
typedef struct dataset_quad {
    double A, B, C, D, E, F;
} dataset_quad;
/* 0, or -1 when the loss is not least squares or the indices are bad. */
int dataset_quadratic(const dataset *ds, const int *idx, int m, dataset_quad *q);

/* Minibatches: every epoch is the n samples split into consecutive batches of
 * `batch` (the last one smaller when batch does not divide n), in a fresh
 * Fisher-Yates permutation per epoch when shuffling, else in order 0 .. n-1. */
typedef struct batch_sampler {
    int n, batch, shuffle;
    int *perm;            /* the current epoch's order, capacity cap */
    int cap;
    int pos;              /* the next batch starts at perm[pos]; pos == n: epoch over */
    long epoch;           /* epochs started */
    rng r;
} batch_sampler;

/* Set up (or set up again, reusing the memory) for n samples; batch is clamped to
 * 1 .. n. The first call needs a zeroed sampler. 0, or -1 when memory runs out. */
int batch_sampler_setup(batch_sampler *s, int n, int batch, int shuffle, uint64_t seed);
/* The next batch: a pointer to its m indices, valid until the next call. */
const int *batch_sampler_next(batch_sampler *s, int *m);
void batch_sampler_free(batch_sampler *s);

#endif
