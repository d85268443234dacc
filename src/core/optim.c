/* optim: the update rules. The torch ones reproduce torch.optim of PyTorch 1.13
 * (the single-tensor code paths, torch/optim/<name>.py: _single_tensor_<name>) bit for
 * bit: same scalars computed in the same order, same elementwise kernels.
 *
 * About fused multiply-add. torch's CPU kernels are compiled once per instruction
 * set; on every x86-64 CPU with AVX2 (torch's default dispatch there, and AVX-512
 * too) and on ARM, `t.add(u, alpha=a)` computes fma(a, u, t) and
 * `t.addcmul(u, w, value=v)` computes fma(v*u, w, t): one rounding, not two. (Only
 * ATEN_CPU_CAPABILITY=default, i.e. a pre-2013 CPU, gives t + a*u with two roundings.)
 * We reproduce that with C99 fma(), which is correctly rounded by definition on every
 * machine, so the results are the same everywhere -- the build's -ffp-contract=off
 * still keeps the compiler from fusing anything we did not ask for. addcdiv is
 * self + (value*t1)/t2 in torch's kernel, with no fusion possible.
 *
 * Notation in the comments: g gradient (after weight decay where torch adds it),
 * p parameter, k the 1-based step count, all operations elementwise on the 2-vector.
 *
 * Per-step scalars (bias corrections, Nadam's momentum schedule, RAdam's rectifier)
 * depend only on k and the learning rate, so optim_clock_tick computes them once for
 * a whole swarm into clk->c[]; optim_update then costs a few flops, two sqrt/div at
 * most, per coordinate. */
#include "optim.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linalg2.h"
#include "spec.h"

/* ------------------------------------------------------------------------------ */
/* Clock                                                                           */

void optim_clock_init(const optim_desc *d, optim_clock *clk)
{
    memset(clk, 0, sizeof *clk);
    clk->step = 0;
    clk->lr = d->lr;
    clk->mu_product = 1.0;   /* torch: state['mu_product'] = torch.tensor(1.), float32 */
}

/* The constants of step k of the Adam family (adam, adamw) into c. */
static void clock_adam(const optim_desc *d, double k, double lr, double *c)
{
    /* bias_correction1 = 1 - beta1^k, bias_correction2 = 1 - beta2^k,
     * step_size = lr / bias_correction1, and sqrt(bias_correction2). The lecture
     * variant (adam:bias_correction=0) uses m and v as they are: step_size = lr and
     * a divisor of exactly 1. */
    if (d->bias_correction) {
        double bc1 = 1 - pow(d->beta1, k);
        double bc2 = 1 - pow(d->beta2, k);
        c[0] = -(lr / bc1);
        c[1] = sqrt(bc2);
    } else {
        c[0] = -lr;
        c[1] = 1.0;
    }
    c[2] = 1 - d->beta1;
    c[3] = 1 - d->beta2;
    c[4] = 1 - lr * d->weight_decay;     /* adamw's decoupled decay factor */
}

/* NAdam's constants of step k into c; its float32 mu_product advances in clk. */
static void clock_nadam(const optim_desc *d, optim_clock *clk, double k, double lr, double *c)
{
    /* mu_k = beta1 (1 - 0.5 * 0.96^(k psi)), psi = momentum_decay;
     * mu_product = prod_{i<=k} mu_i, mu_product_next = mu_product * mu_k * mu_{k+1}.
     * torch keeps mu_product in a float32 tensor: every product is rounded to
     * float32 (operands too), which we reproduce with float arithmetic. */
    double bc2 = 1 - pow(d->beta2, k);
    double mu = d->beta1 * (1. - 0.5 * pow(0.96, k * d->momentum_decay));
    double mu_next = d->beta1 * (1. - 0.5 * pow(0.96, (k + 1) * d->momentum_decay));
    float mp = (float)clk->mu_product * (float)mu;
    float mp_next = (mp * (float)mu) * (float)mu_next;
    clk->mu_product = mp;
    c[0] = bc2;
    c[1] = -lr * (1. - mu) / (1. - (double)mp);
    c[2] = -lr * mu_next / (1. - (double)mp_next);
    c[3] = 1 - d->beta1;
    c[4] = 1 - d->beta2;
}

/* RAdam's constants of step k into c (c[4] = 1 once the adaptive rate is on). */
static void clock_radam(const optim_desc *d, double k, double lr, double *c)
{
    /* rho_inf = 2 / (1 - beta2) - 1, rho_k = rho_inf - 2 k beta2^k / (1 - beta2^k);
     * when rho_k > 5 the variance of the adaptive rate is finite and it is used,
     * scaled by r = sqrt((rho_k-4)(rho_k-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_k));
     * before that, a plain momentum step. */
    double bc1 = 1 - pow(d->beta1, k);
    double b2k = pow(d->beta2, k);
    double bc2 = 1 - b2k;
    double rho_inf = 2 / (1 - d->beta2) - 1;
    double rho_t = rho_inf - 2 * k * b2k / bc2;
    c[0] = bc1;
    c[1] = lr;
    c[2] = sqrt(bc2);
    if (rho_t > 5.) {
        c[3] = sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
        c[4] = 1;
    }
    c[5] = 1 - d->beta1;
    c[6] = 1 - d->beta2;
}

void optim_clock_tick(const optim_desc *d, optim_clock *clk, double lr)
{
    /* torch keeps the step count in a float32 tensor and reads it with .item():
     * exact up to 2^24 steps, far beyond any run here, so a double k is the same. */
    double k;
    double *c = clk->c;
    clk->step++;
    clk->lr = lr;
    k = (double)clk->step;
    memset(clk->c, 0, sizeof clk->c);

    switch (d->kind) {
    case OPTIM_SGD:
        c[0] = -lr;
        c[1] = 1 - d->dampening;
        break;
    case OPTIM_ADAGRAD:
        /* clr = lr / (1 + (k - 1) lr_decay) */
        c[0] = -(lr / (1 + (k - 1) * d->lr_decay));
        c[1] = 1.0 / k;                      /* mode=mean: mean of k squared gradients */
        break;
    case OPTIM_RMSPROP:
        c[0] = -lr;
        c[1] = 1 - d->alpha;
        break;
    case OPTIM_ADAM:
    case OPTIM_ADAMW:
        clock_adam(d, k, lr, c);
        break;
    case OPTIM_NADAM:
        clock_nadam(d, clk, k, lr, c);
        break;
    case OPTIM_RADAM:
        clock_radam(d, k, lr, c);
        break;
    case OPTIM_ADAMAX:
        c[0] = -(lr / (1 - pow(d->beta1, k)));
        c[1] = 1 - d->beta1;
        break;
    case OPTIM_ADADELTA:
        c[0] = -lr;
        c[1] = 1 - d->rho;
        break;
    case OPTIM_NEWTON:
    case OPTIM_SFN:
    case OPTIM_ESCAPE:
        c[0] = lr;
        break;
    default:
        assert(!"optim_clock_tick: bad kind");
        break;
    }
}

void optim_state_init(const optim_desc *d, optim_state *st)
{
    memset(st, 0, sizeof *st);
    if (d->kind == OPTIM_ADAGRAD) {
        /* torch: state['sum'] = full_like(p, initial_accumulator_value) */
        st->a[0] = st->a[1] = d->initial_accumulator_value;
    }
}

/* ------------------------------------------------------------------------------ */
/* Elementwise update rules. Each moves one coordinate p with gradient g and that
 * coordinate's buffers; optim_update and optim_update_many share them, so a swarm
 * and a single particle give identical numbers.                                   */

/* torch.maximum / amax: NaN wins (fmax would drop it and hide a divergence). */
static inline double max_nan(double a, double b)
{
    return (a != a || a > b) ? a : b;
}

/* torch: grad = grad.add(param, alpha=weight_decay)   ->  g + wd p (fused) */
static inline double l2(const optim_desc *d, double p, double g)
{
    return d->weight_decay != 0 ? fma(d->weight_decay, p, g) : g;
}

/* SGD (torch.optim.SGD):
 *   g <- g + wd p
 *   momentum != 0:  b <- g at the first step, else b <- momentum b + (1 - dampening) g
 *                   g <- g + momentum b (nesterov)  or  g <- b
 *   p <- p - lr g                                    [a = b buffer] */
static inline void sgd_elem(const optim_desc *d, const double *c, int started,
                            double *p, double g, double *buf)
{
    double dp = l2(d, *p, g);
    if (d->momentum != 0) {
        *buf = started ? fma(c[1], dp, *buf * d->momentum) : dp;
        dp = d->nesterov ? fma(d->momentum, *buf, dp) : *buf;
    }
    *p = fma(c[0], dp, *p);
}

/* Adagrad (torch.optim.Adagrad):
 *   s <- s + g^2,   p <- p - clr g / (sqrt(s) + eps),   clr = lr / (1 + (k-1) lr_decay)
 * mode=mean, the lecture's form (sigma_t = root mean square of the k gradients so far,
 * the current one included):
 *   sigma_k = sqrt(s / k),   p <- p - clr g / (sigma_k + eps)
 * As the gradients shrink in a flat region, the mean falls with them and the
 * effective rate clr/sigma grows without bound: the lecture's "learning rate
 * explosion" that motivates decay and warm-up. (initial_accumulator_value counts in
 * s in both modes; lr_decay applies in both.)        [a = s] */
static inline void adagrad_elem(const optim_desc *d, const double *c,
                                double *p, double g, double *s)
{
    double std;
    g = l2(d, *p, g);
    *s = fma(g, g, *s);
    std = (d->mode_mean ? sqrt(*s * c[1]) : sqrt(*s)) + d->eps;
    *p = *p + (c[0] * g) / std;
}

/* RMSprop (torch.optim.RMSprop); the lecture's sigma^t = sqrt(alpha sigma^2 + (1-alpha) g^2):
 *   v <- alpha v + (1 - alpha) g^2
 *   centered: m <- alpha m + (1 - alpha) g,   avg = sqrt(v - m^2) + eps
 *   else:     avg = sqrt(v) + eps
 *   momentum > 0: b <- momentum b + g / avg,  p <- p - lr b
 *   else:         p <- p - lr g / avg          [a = v, b = m, c = b] */
static inline void rmsprop_elem(const optim_desc *d, const double *c,
                                double *p, double g, double *v, double *m, double *buf)
{
    double avg;
    g = l2(d, *p, g);
    *v = fma(c[1] * g, g, *v * d->alpha);
    if (d->centered) {
        *m = fma(c[1], g, *m * d->alpha);
        avg = sqrt(fma(-*m, *m, *v));
    } else {
        avg = sqrt(*v);
    }
    avg = avg + d->eps;
    if (d->momentum > 0) {
        *buf = *buf * d->momentum + g / avg;
        *p = fma(c[0], *buf, *p);
    } else {
        *p = *p + (c[0] * g) / avg;
    }
}

/* Adam (torch.optim.Adam), AdamW, and the lecture's uncorrected variant:
 *   adamw: p <- p (1 - lr wd)          adam: g <- g + wd p
 *   m <- beta1 m + (1 - beta1) g
 *   v <- beta2 v + (1 - beta2) g^2
 *   amsgrad: vmax <- max(vmax, v), used in place of v
 *   p <- p - (lr / (1 - beta1^k)) m / (sqrt(v) / sqrt(1 - beta2^k) + eps)
 * i.e. the lecture's p - lr m_hat / (sqrt(v_hat) + eps) with m_hat = m/(1-beta1^k),
 * v_hat = v/(1-beta2^k), arranged as torch does. bias_correction=0 drops both
 * divisions: p - lr m / (sqrt(v) + eps).          [a = m, b = v, c = vmax] */
static inline void adam_elem(const optim_desc *d, const double *c, int decoupled,
                             double *p, double g, double *m, double *v, double *vmax)
{
    double denom;
    if (decoupled) *p = *p * c[4];
    else g = l2(d, *p, g);
    *m = fma(c[2], g, *m * d->beta1);
    *v = fma(c[3] * g, g, *v * d->beta2);
    if (d->amsgrad) {
        *vmax = max_nan(*vmax, *v);
        denom = sqrt(*vmax) / c[1] + d->eps;
    } else {
        denom = sqrt(*v) / c[1] + d->eps;
    }
    *p = *p + (c[0] * *m) / denom;
}

/* NAdam (torch.optim.NAdam):
 *   m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2
 *   denom = sqrt(v / (1 - beta2^k)) + eps
 *   p <- p - lr (1 - mu_k) / (1 - prod_{i<=k} mu_i) g / denom
 *   p <- p - lr mu_{k+1} / (1 - prod_{i<=k+1} mu_i) m / denom   [a = m, b = v] */
static inline void nadam_elem(const optim_desc *d, const double *c,
                              double *p, double g, double *m, double *v)
{
    double denom;
    g = l2(d, *p, g);
    *m = fma(c[3], g, *m * d->beta1);
    *v = fma(c[4] * g, g, *v * d->beta2);
    denom = sqrt(*v / c[0]) + d->eps;
    *p = *p + (c[1] * g) / denom;
    *p = *p + (c[2] * *m) / denom;
}

/* RAdam (torch.optim.RAdam):
 *   m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2,  m_hat = m / (1 - beta1^k)
 *   rho_k > 5: p <- p - m_hat lr (sqrt(1 - beta2^k) / (sqrt(v) + eps)) r
 *   else:      p <- p - m_hat lr
 * torch evaluates sqrt(bc2) / tensor as reciprocal(tensor) * sqrt(bc2); so do we.
 *                                                  [a = m, b = v] */
static inline void radam_elem(const optim_desc *d, const double *c,
                              double *p, double g, double *m, double *v)
{
    double mhat;
    g = l2(d, *p, g);
    *m = fma(c[5], g, *m * d->beta1);
    *v = fma(c[6] * g, g, *v * d->beta2);
    mhat = *m / c[0];
    if (c[4] != 0) {
        double adaptive = (1.0 / (sqrt(*v) + d->eps)) * c[2];
        *p = *p - mhat * c[1] * adaptive * c[3];
    } else {
        *p = *p - mhat * c[1];
    }
}

/* Adamax (torch.optim.Adamax):
 *   m <- beta1 m + (1 - beta1) g,  u <- max(beta2 u, |g| + eps)
 *   p <- p - (lr / (1 - beta1^k)) m / u           [a = m, b = u] */
static inline void adamax_elem(const optim_desc *d, const double *c,
                               double *p, double g, double *m, double *u)
{
    g = l2(d, *p, g);
    *m = fma(c[1], g, *m * d->beta1);
    *u = max_nan(*u * d->beta2, fabs(g) + d->eps);
    *p = *p + (c[0] * *m) / *u;
}

/* Adadelta (torch.optim.Adadelta):
 *   v <- rho v + (1 - rho) g^2
 *   delta = sqrt(D + eps) / sqrt(v + eps) g
 *   D <- rho D + (1 - rho) delta^2,   p <- p - lr delta     [a = v, b = D] */
static inline void adadelta_elem(const optim_desc *d, const double *c,
                                 double *p, double g, double *v, double *acc)
{
    double stdv, delta;
    g = l2(d, *p, g);
    *v = fma(c[1] * g, g, *v * d->rho);
    stdv = sqrt(*v + d->eps);
    delta = (sqrt(*acc + d->eps) / stdv) * g;
    *acc = fma(c[1] * delta, delta, *acc * d->rho);
    *p = fma(c[0], delta, *p);
}

/* ------------------------------------------------------------------------------ */
/* Adam and AdamW on both coordinates at once, for x86-64 CPUs with FMA.
 *
 * Adam is the optimizer swarms are benchmarked and demoed with, and its scalar form
 * is bound by its two divisions and one square root per coordinate plus the calls to
 * libm's fma(). The two coordinates of a particle fill one SSE2 register: packed
 * divisions and square roots cost about what one scalar one does, and vfmadd is the
 * same correctly rounded fused operation as fma(). Each packed operation is the
 * IEEE operation of the scalar code lane by lane, in the same order, so this path
 * gives the same bits as adam_elem (test_optim checks it against optim_update_many,
 * which always takes the scalar path). The FMA instructions are compiled for this
 * function only and used only when the running CPU has them. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define OPTIM_HAVE_X86_FMA_PATH 1
#include <immintrin.h>

__attribute__((target("fma")))
static void adam_pair_fma(const optim_desc *d, const double *c, int decoupled,
                          double p[2], const double g[2], optim_state *st)
{
    __m128d P = _mm_loadu_pd(p), G = _mm_loadu_pd(g);
    __m128d M = _mm_loadu_pd(st->a), V = _mm_loadu_pd(st->b), S, denom;
    if (decoupled)
        P = _mm_mul_pd(P, _mm_set1_pd(c[4]));
    else if (d->weight_decay != 0)
        G = _mm_fmadd_pd(_mm_set1_pd(d->weight_decay), P, G);
    M = _mm_fmadd_pd(_mm_set1_pd(c[2]), G, _mm_mul_pd(M, _mm_set1_pd(d->beta1)));
    V = _mm_fmadd_pd(_mm_mul_pd(_mm_set1_pd(c[3]), G), G, _mm_mul_pd(V, _mm_set1_pd(d->beta2)));
    if (d->amsgrad) {
        /* max_nan lane by lane: keep vmax where it is NaN or larger, else take v */
        __m128d VM = _mm_loadu_pd(st->c);
        __m128d keep = _mm_or_pd(_mm_cmpunord_pd(VM, VM), _mm_cmpgt_pd(VM, V));
        VM = _mm_or_pd(_mm_and_pd(keep, VM), _mm_andnot_pd(keep, V));
        _mm_storeu_pd(st->c, VM);
        S = _mm_sqrt_pd(VM);
    } else {
        S = _mm_sqrt_pd(V);
    }
    denom = _mm_add_pd(_mm_div_pd(S, _mm_set1_pd(c[1])), _mm_set1_pd(d->eps));
    P = _mm_add_pd(P, _mm_div_pd(_mm_mul_pd(_mm_set1_pd(c[0]), M), denom));
    _mm_storeu_pd(st->a, M);
    _mm_storeu_pd(st->b, V);
    _mm_storeu_pd(p, P);
}
#endif

/* ------------------------------------------------------------------------------ */
/* Second-order rules (two coordinates at once)                                    */

/* Newton: p <- p - lr (H + damping I)^-1 g.
 * When H + damping I is singular (a flat valley floor, an inflection line, a
 * critical point of a degenerate quadratic) the Newton step does not exist. We take
 * the plain gradient step p - lr g instead: it is still a descent direction (or zero,
 * at a critical point, where Newton would not move either), it keeps the particle
 * on screen rather than at infinity or NaN, and the trail shows where Newton's
 * model broke down. */
static void newton_update(const optim_desc *d, const optim_clock *clk,
                          double p[2], const double g[2], const double *h)
{
    double s[2];
    if (solve2_sym(h[0] + d->damping, h[1], h[2] + d->damping, g, s) != 0) {
        s[0] = g[0];
        s[1] = g[1];
    }
    p[0] = p[0] - clk->c[0] * s[0];
    p[1] = p[1] - clk->c[0] * s[1];
}

/* Saddle-free Newton (Dauphin et al. 2014): p <- p - lr |H|^-1 g with
 * |H| = V diag(max(|lambda_i|, damping)) V^T, i.e. each eigen-component of g is
 * divided by the absolute curvature along it. Along a negative-curvature direction
 * Newton steps uphill towards the saddle; the absolute value turns that into a step
 * away from it. A component whose divisor is 0 (damping = 0 on a flat direction)
 * takes the gradient step along it, as Newton does when singular. */
static void sfn_update(const optim_desc *d, const optim_clock *clk,
                       double p[2], const double g[2], const double *h)
{
    eig2 e = eig2_sym(h[0], h[1], h[2]);
    double a1 = fmax(fabs(e.l1), d->damping), a2 = fmax(fabs(e.l2), d->damping);
    double q1 = e.v1[0] * g[0] + e.v1[1] * g[1];
    double q2 = e.v2[0] * g[0] + e.v2[1] * g[1];
    double s0, s1;
    if (a1 != 0) q1 = q1 / a1;
    if (a2 != 0) q2 = q2 / a2;
    s0 = q1 * e.v1[0] + q2 * e.v2[0];
    s1 = q1 * e.v1[1] + q2 * e.v2[1];
    p[0] = p[0] - clk->c[0] * s0;
    p[1] = p[1] - clk->c[0] * s1;
}

/* Saddle escape, the lecture's recipe: at a critical point g = 0 the loss is
 * L(theta) ~ L(theta') + 1/2 (theta - theta')^T H (theta - theta'), so along an
 * eigenvector u of H with lambda < 0 it decreases: step theta - theta' = c u_neg.
 * Here: gradient descent p <- p - lr g, except when |g| < tol and
 * lambda_min(H) < 0, where p <- p + escape_step u, u the unit eigenvector of
 * lambda_min with the sign that does not increase L to first order (u . g <= 0);
 * when u . g = 0 (g = 0 exactly, say) the sign is the canonical one, first nonzero
 * component positive, so the choice is deterministic. */
static void escape_update(const optim_desc *d, const optim_clock *clk,
                          double p[2], const double g[2], const double *h)
{
    if (hypot(g[0], g[1]) < d->tol) {
        eig2 e = eig2_sym(h[0], h[1], h[2]);
        if (e.l1 < 0) {
            double u0 = e.v1[0], u1 = e.v1[1];
            double dot = u0 * g[0] + u1 * g[1];
            if (dot > 0 || (dot == 0 && (u0 < 0 || (u0 == 0 && u1 < 0)))) {
                u0 = -u0;
                u1 = -u1;
            }
            p[0] = p[0] + d->escape_step * u0;
            p[1] = p[1] + d->escape_step * u1;
            return;
        }
    }
    p[0] = p[0] - clk->c[0] * g[0];
    p[1] = p[1] - clk->c[0] * g[1];
}

/* ------------------------------------------------------------------------------ */

void optim_update(const optim_desc *d, const optim_clock *clk, optim_state *st,
                  double p[2], const double g[2], const double *h)
{
    const double *c = clk->c;
    int i;
    switch (d->kind) {
    case OPTIM_SGD:
        for (i = 0; i < 2; i++) sgd_elem(d, c, st->started, &p[i], g[i], &st->a[i]);
        st->started = 1;
        break;
    case OPTIM_ADAGRAD:
        for (i = 0; i < 2; i++) adagrad_elem(d, c, &p[i], g[i], &st->a[i]);
        break;
    case OPTIM_RMSPROP:
        for (i = 0; i < 2; i++) rmsprop_elem(d, c, &p[i], g[i], &st->a[i], &st->b[i], &st->c[i]);
        break;
    case OPTIM_ADAM:
    case OPTIM_ADAMW: {
        int decoupled = d->kind == OPTIM_ADAMW;
#ifdef OPTIM_HAVE_X86_FMA_PATH
        if (__builtin_cpu_supports("fma")) {
            adam_pair_fma(d, c, decoupled, p, g, st);
            break;
        }
#endif
        for (i = 0; i < 2; i++)
            adam_elem(d, c, decoupled, &p[i], g[i], &st->a[i], &st->b[i], &st->c[i]);
        break;
    }
    case OPTIM_NADAM:
        for (i = 0; i < 2; i++) nadam_elem(d, c, &p[i], g[i], &st->a[i], &st->b[i]);
        break;
    case OPTIM_RADAM:
        for (i = 0; i < 2; i++) radam_elem(d, c, &p[i], g[i], &st->a[i], &st->b[i]);
        break;
    case OPTIM_ADAMAX:
        for (i = 0; i < 2; i++) adamax_elem(d, c, &p[i], g[i], &st->a[i], &st->b[i]);
        break;
    case OPTIM_ADADELTA:
        for (i = 0; i < 2; i++) adadelta_elem(d, c, &p[i], g[i], &st->a[i], &st->b[i]);
        break;
    case OPTIM_NEWTON:
        assert(h);
        newton_update(d, clk, p, g, h);
        break;
    case OPTIM_SFN:
        assert(h);
        sfn_update(d, clk, p, g, h);
        break;
    case OPTIM_ESCAPE:
        assert(h);
        escape_update(d, clk, p, g, h);
        break;
    default:
        assert(!"optim_update: bad kind");
        break;
    }
}

/* The same rules over a swarm in structure-of-arrays form (what expr_grad_many
 * produces): the switch is taken once, not once per particle. This is always the
 * portable scalar code, which makes it the reference the packed Adam path of
 * optim_update is tested against. */
void optim_update_many(const optim_desc *d, const optim_clock *clk, optim_state *st,
                       double *x, double *y, const double *gx, const double *gy, size_t n)
{
    const double *c = clk->c;
    size_t i;
    assert(!optim_info_of(d->kind)->needs_hessian);
    switch (d->kind) {
    case OPTIM_SGD:
        for (i = 0; i < n; i++) {
            sgd_elem(d, c, st[i].started, &x[i], gx[i], &st[i].a[0]);
            sgd_elem(d, c, st[i].started, &y[i], gy[i], &st[i].a[1]);
            st[i].started = 1;
        }
        break;
    case OPTIM_ADAGRAD:
        for (i = 0; i < n; i++) {
            adagrad_elem(d, c, &x[i], gx[i], &st[i].a[0]);
            adagrad_elem(d, c, &y[i], gy[i], &st[i].a[1]);
        }
        break;
    case OPTIM_RMSPROP:
        for (i = 0; i < n; i++) {
            rmsprop_elem(d, c, &x[i], gx[i], &st[i].a[0], &st[i].b[0], &st[i].c[0]);
            rmsprop_elem(d, c, &y[i], gy[i], &st[i].a[1], &st[i].b[1], &st[i].c[1]);
        }
        break;
    case OPTIM_ADAM:
        for (i = 0; i < n; i++) {
            adam_elem(d, c, 0, &x[i], gx[i], &st[i].a[0], &st[i].b[0], &st[i].c[0]);
            adam_elem(d, c, 0, &y[i], gy[i], &st[i].a[1], &st[i].b[1], &st[i].c[1]);
        }
        break;
    case OPTIM_ADAMW:
        for (i = 0; i < n; i++) {
            adam_elem(d, c, 1, &x[i], gx[i], &st[i].a[0], &st[i].b[0], &st[i].c[0]);
            adam_elem(d, c, 1, &y[i], gy[i], &st[i].a[1], &st[i].b[1], &st[i].c[1]);
        }
        break;
    case OPTIM_NADAM:
        for (i = 0; i < n; i++) {
            nadam_elem(d, c, &x[i], gx[i], &st[i].a[0], &st[i].b[0]);
            nadam_elem(d, c, &y[i], gy[i], &st[i].a[1], &st[i].b[1]);
        }
        break;
    case OPTIM_RADAM:
        for (i = 0; i < n; i++) {
            radam_elem(d, c, &x[i], gx[i], &st[i].a[0], &st[i].b[0]);
            radam_elem(d, c, &y[i], gy[i], &st[i].a[1], &st[i].b[1]);
        }
        break;
    case OPTIM_ADAMAX:
        for (i = 0; i < n; i++) {
            adamax_elem(d, c, &x[i], gx[i], &st[i].a[0], &st[i].b[0]);
            adamax_elem(d, c, &y[i], gy[i], &st[i].a[1], &st[i].b[1]);
        }
        break;
    case OPTIM_ADADELTA:
        for (i = 0; i < n; i++) {
            adadelta_elem(d, c, &x[i], gx[i], &st[i].a[0], &st[i].b[0]);
            adadelta_elem(d, c, &y[i], gy[i], &st[i].a[1], &st[i].b[1]);
        }
        break;
    default:
        assert(!"optim_update_many: bad kind");
        break;
    }
}

/* ------------------------------------------------------------------------------ */
/* A parameter vector of any length: the same elementwise rules, coordinate by
 * coordinate (torch applies them tensor by tensor, elementwise, to the same
 * effect).                                                                        */

int optim_vec_init(const optim_desc *d, optim_vec *st, size_t n)
{
    size_t i;
    memset(st, 0, sizeof *st);
    if (optim_info_of(d->kind)->needs_hessian) return -1;
    st->n = n;
    st->a = calloc(n ? n : 1, sizeof *st->a);
    st->b = calloc(n ? n : 1, sizeof *st->b);
    st->c = calloc(n ? n : 1, sizeof *st->c);
    if (!st->a || !st->b || !st->c) {
        optim_vec_free(st);
        return -1;
    }
    if (d->kind == OPTIM_ADAGRAD)
        for (i = 0; i < n; i++) st->a[i] = d->initial_accumulator_value;
    return 0;
}

void optim_vec_free(optim_vec *st)
{
    free(st->a);
    free(st->b);
    free(st->c);
    memset(st, 0, sizeof *st);
}

void optim_update_vec(const optim_desc *d, const optim_clock *clk, optim_vec *st,
                      double *p, const double *g)
{
    const double *c = clk->c;
    size_t i, n = st->n;
    double *a = st->a, *b = st->b, *cc = st->c;
    assert(!optim_info_of(d->kind)->needs_hessian);
    switch (d->kind) {
    case OPTIM_SGD:
        for (i = 0; i < n; i++) sgd_elem(d, c, st->started, &p[i], g[i], &a[i]);
        st->started = 1;
        break;
    case OPTIM_ADAGRAD:
        for (i = 0; i < n; i++) adagrad_elem(d, c, &p[i], g[i], &a[i]);
        break;
    case OPTIM_RMSPROP:
        for (i = 0; i < n; i++) rmsprop_elem(d, c, &p[i], g[i], &a[i], &b[i], &cc[i]);
        break;
    case OPTIM_ADAM:
    case OPTIM_ADAMW: {
        int decoupled = d->kind == OPTIM_ADAMW;
        for (i = 0; i < n; i++) adam_elem(d, c, decoupled, &p[i], g[i], &a[i], &b[i], &cc[i]);
        break;
    }
    case OPTIM_NADAM:
        for (i = 0; i < n; i++) nadam_elem(d, c, &p[i], g[i], &a[i], &b[i]);
        break;
    case OPTIM_RADAM:
        for (i = 0; i < n; i++) radam_elem(d, c, &p[i], g[i], &a[i], &b[i]);
        break;
    case OPTIM_ADAMAX:
        for (i = 0; i < n; i++) adamax_elem(d, c, &p[i], g[i], &a[i], &b[i]);
        break;
    case OPTIM_ADADELTA:
        for (i = 0; i < n; i++) adadelta_elem(d, c, &p[i], g[i], &a[i], &b[i]);
        break;
    default:
        assert(!"optim_update_vec: bad kind");
        break;
    }
}
