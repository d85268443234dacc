/* netact: the activations over whole arrays (forward, backward, and the two
 * tangents of the R-operator), one loop per activation so each loop vectorizes.
 *
 * tanh is our own, because libm's costs about 20 ns a call and a network lab
 * evaluates millions of them per slice: tanh |x| = em / (em + 2) with
 * em = expm1(2|x|) by range reduction (see expm1_pos), branch-free and without
 * calls, so the compiler vectorizes the loop; test_net checks it against libm's
 * tanh to a few ulp. The results are the same on every machine:
 * plain IEEE operations in a fixed order (no contraction, no reassociation). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "net_priv.h"

#if defined(__GNUC__)
#define NET_INLINE static inline __attribute__((always_inline))
#else
#define NET_INLINE static inline
#endif

/* e^y - 1 for y in [0, 40], fdlibm's way: y = n ln2 + r, |r| <= ln2/2, then
 * e^y - 1 = 2^n expm1(r) + (2^n - 1), expm1(r) by its Taylor polynomial to r^13
 * (remainder below 2e-17 relative); 2^n - 1 is exact, and for n = 0 this is
 * expm1(r) itself, with no cancellation near 0. 2^n is built from the bits of the
 * rounding sum (integer operations only, which vectorize without AVX-512). */
NET_INLINE double expm1_pos(double y)
{
    const double LOG2E = 1.4426950408889634, LN2HI = 6.93147180369123816490e-01,
                 LN2LO = 1.90821492927058770002e-10, SHIFT = 6755399441055744.0; /* 1.5 2^52 */
    double t = y * LOG2E + SHIFT, n = t - SHIFT;   /* n = y / ln 2 rounded to an integer */
    double r = (y - n * LN2HI) - n * LN2LO;
    uint64_t tb, sb, eb;
    double s2 = SHIFT, scale;
    memcpy(&tb, &t, sizeof tb);
    memcpy(&sb, &s2, sizeof sb);
    eb = (tb - sb + 1023u) << 52;                  /* the bits of 2^n */
    memcpy(&scale, &eb, sizeof scale);
    /* expm1(r) = r q(r), q = sum of r^k / (k+1)!, k = 0 .. 12, by Estrin's scheme:
     * independent pairs, so the vector units are not waiting on one long chain */
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double q01 = 1.0 + r * 0.5, q23 = 1.0 / 6 + r * (1.0 / 24), q45 = 1.0 / 120 + r * (1.0 / 720);
    double q67 = 1.0 / 5040 + r * (1.0 / 40320), q89 = 1.0 / 362880 + r * (1.0 / 3628800);
    double q1011 = 1.0 / 39916800 + r * (1.0 / 479001600), q12 = 1.0 / 6227020800.0;
    double q03 = q01 + r2 * q23, q47 = q45 + r2 * q67, q811 = q89 + r2 * q1011;
    double q = (q03 + r4 * q47) + r8 * (q811 + r4 * q12);
    double p = r * q;
    return scale * p + (scale - 1.0);
}

/* tanh |x| = em / (em + 2), em = e^(2|x|) - 1; |x| >= 20 gives 1 */
NET_INLINE double tanh_core(double x)
{
    double ax = x < 0 ? -x : x, em = expm1_pos(2.0 * (ax < 20.0 ? ax : 20.0));
    double t = em / (em + 2.0);
    t = x < 0 ? -t : t;
    return x != x ? x : t;      /* NaN stays NaN: a diverged run must show */
}

double net_tanh(double x)
{
    return tanh_core(x);
}

static double sigmoid(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

NET_HOT void net_act_fwd(net_act f, size_t n, const double *X, double *A)
{
    switch (f) {
    case NET_RELU:
        for (size_t i = 0; i < n; i++) A[i] = X[i] > 0 ? X[i] : 0.0;
        break;
    case NET_TANH:
        for (size_t i = 0; i < n; i++) A[i] = tanh_core(X[i]);
        break;
    case NET_SIGMOID:
        for (size_t i = 0; i < n; i++) A[i] = sigmoid(X[i]);
        break;
    default:
        memcpy(A, X, n * sizeof *A);
        break;
    }
}

/* f' from the input x and output a: relu x > 0, tanh 1 - a^2, sigmoid a (1 - a) */
NET_HOT void net_act_bwd(net_act f, size_t n, const double *G, const double *X, const double *A, double *GX)
{
    switch (f) {
    case NET_RELU:
        for (size_t i = 0; i < n; i++) GX[i] = X[i] > 0 ? G[i] : 0.0;
        break;
    case NET_TANH:
        for (size_t i = 0; i < n; i++) GX[i] = G[i] * (1.0 - A[i] * A[i]);
        break;
    case NET_SIGMOID:
        for (size_t i = 0; i < n; i++) GX[i] = G[i] * (A[i] * (1.0 - A[i]));
        break;
    default:
        memcpy(GX, G, n * sizeof *GX);
        break;
    }
}

/* the forward tangent dA = f'(x) dX */
NET_HOT void net_act_tan_fwd(net_act f, size_t n, const double *X, const double *A, const double *dX, double *dA)
{
    net_act_bwd(f, n, dX, X, A, dA);
}

/* the backward tangent of g_in = g_out f'(x): g_out' f'(x) + g_out f''(x) x', with
 * tanh'' = -2 a (1 - a^2), sigmoid'' = a (1 - a)(1 - 2a), relu'' = linear'' = 0 */
NET_HOT void net_act_tan_bwd(net_act f, size_t n, const double *X, const double *A, const double *dX,
                             const double *G, const double *dG, double *dGX)
{
    switch (f) {
    case NET_TANH:
        for (size_t i = 0; i < n; i++) {
            double d1 = 1.0 - A[i] * A[i];
            dGX[i] = dG[i] * d1 + G[i] * (-2.0 * A[i] * d1) * dX[i];
        }
        break;
    case NET_SIGMOID:
        for (size_t i = 0; i < n; i++) {
            double d1 = A[i] * (1.0 - A[i]);
            dGX[i] = dG[i] * d1 + G[i] * (d1 * (1.0 - 2.0 * A[i])) * dX[i];
        }
        break;
    default:
        net_act_bwd(f, n, dG, X, A, dGX);
        break;
    }
}
