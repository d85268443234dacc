/* initnorm: the forward and backward pass of a deep bias-free MLP at initialization.
 *
 * Layout: activations are stored batch-major (a sample's n units contiguous) for every
 * layer, since the backward pass needs act'(z_l), which is a function of a_l alone
 * (relu: a > 0, tanh: 1 - a^2). Weights are not stored: layer l's are drawn from its
 * own stream (seed and l), once for the forward pass and again for the backward pass,
 * so memory is (layers + 1) * batch * width doubles whatever the depth.
 *
 * Both products are written as row updates (z_b += a_bj * W[:, j], g_b += s_bi * W[i, :])
 * over four samples at a time: no reductions, so the loops vectorize without
 * reassociation and every sum is taken in the same order on every machine. */
#include "initnorm.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parallel.h"
#include "rng.h"

initnorm_cfg initnorm_defaults(const initnorm_cfg *cfg)
{
    initnorm_cfg c = *cfg;
    if (c.layers == 0) c.layers = 50;
    if (c.width == 0) c.width = 256;
    if (c.batch == 0) c.batch = 64;
    return c;
}

double initnorm_gain(initnorm_act act)
{
    switch (act) {
    case INITNORM_RELU: return sqrt(2.0);
    case INITNORM_TANH: return 5.0 / 3.0;
    default: return 1.0;
    }
}

double initnorm_variance(initnorm_scheme s, initnorm_act act, int n)
{
    double g = initnorm_gain(act);
    switch (s) {
    case INITNORM_VAR1N: return 1.0 / n;
    case INITNORM_VAR2N: return 2.0 / n;
    case INITNORM_VAR3N: return 3.0 / n;
    case INITNORM_XAVIER_UNIFORM:
    case INITNORM_XAVIER_NORMAL: return 2.0 / (n + n);
    case INITNORM_KAIMING_UNIFORM:
    case INITNORM_KAIMING_NORMAL: return g * g / n;
    default: return 0;
    }
}

static int is_uniform(initnorm_scheme s)
{
    return s == INITNORM_XAVIER_UNIFORM || s == INITNORM_KAIMING_UNIFORM;
}

static const char *const act_names[INITNORM_ACT_COUNT] = {"relu", "tanh", "linear"};
static const char *const scheme_names[INITNORM_SCHEME_COUNT] = {
    "var1n", "var2n", "var3n", "xavier_uniform", "xavier_normal", "kaiming_uniform",
    "kaiming_normal"};
static const char *const scheme_labels[INITNORM_SCHEME_COUNT] = {
    "N(0, 1/n)", "N(0, 2/n)", "N(0, 3/n)", "Xavier uniform", "Xavier normal",
    "Kaiming uniform", "Kaiming normal"};

const char *initnorm_act_name(initnorm_act act)
{
    return (unsigned)act < INITNORM_ACT_COUNT ? act_names[act] : "?";
}

const char *initnorm_scheme_name(initnorm_scheme s)
{
    return (unsigned)s < INITNORM_SCHEME_COUNT ? scheme_names[s] : "?";
}

const char *initnorm_scheme_label(initnorm_scheme s)
{
    return (unsigned)s < INITNORM_SCHEME_COUNT ? scheme_labels[s] : "?";
}

int initnorm_act_parse(const char *s)
{
    for (int i = 0; i < INITNORM_ACT_COUNT; i++)
        if (strcmp(s, act_names[i]) == 0) return i;
    return -1;
}

int initnorm_scheme_parse(const char *s)
{
    for (int i = 0; i < INITNORM_SCHEME_COUNT; i++)
        if (strcmp(s, scheme_names[i]) == 0) return i;
    return -1;
}

/* Layer l's weights W[i][j] (output i, input j), drawn row by row as torch fills a
 * Linear's weight. transposed: store W[i][j] at w[j * n + i] (the forward pass reads
 * columns of W as rows). */
static void draw_weights(const initnorm_cfg *c, int l, double *w, int transposed)
{
    int n = c->width;
    rng r;
    rng_seed(&r, c->seed ^ ((uint64_t)l * UINT64_C(0x9e3779b97f4a7c15)));
    double var = initnorm_variance(c->scheme, c->act, n);
    int uni = is_uniform(c->scheme);
    /* U(-a, a) has variance a^2 / 3 */
    double scale = uni ? sqrt(3.0 * var) : sqrt(var);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double v = uni ? scale * (2.0 * rng_uniform(&r) - 1.0) : scale * rng_normal(&r);
            w[transposed ? (size_t)j * n + i : (size_t)i * n + j] = v;
        }
}

int initnorm_weights(const initnorm_cfg *cfg, int l, double *w)
{
    initnorm_cfg c = initnorm_defaults(cfg);
    if (l < 1 || l > c.layers || c.width < 1 || c.width > INITNORM_MAX_WIDTH ||
        (unsigned)c.act >= INITNORM_ACT_COUNT || (unsigned)c.scheme >= INITNORM_SCHEME_COUNT)
        return -1;
    draw_weights(&c, l, w, 0);
    return 0;
}

/* out[b][:] = sum_k in[b][k] * m[k][:], for B rows of n; m is n x n. */
static void rows_times(const double *restrict in, const double *restrict m, double *restrict out,
                       int B, int n)
{
    size_t nn = (size_t)n;
    memset(out, 0, sizeof *out * nn * (size_t)B);
    int b = 0;
    for (; b + 4 <= B; b += 4) {
        const double *i0 = in + b * nn, *i1 = i0 + nn, *i2 = i1 + nn, *i3 = i2 + nn;
        double *restrict o0 = out + b * nn, *restrict o1 = o0 + nn, *restrict o2 = o1 + nn,
               *restrict o3 = o2 + nn;
        for (int k = 0; k < n; k++) {
            const double *restrict mk = m + k * nn;
            double c0 = i0[k], c1 = i1[k], c2 = i2[k], c3 = i3[k];
            for (int j = 0; j < n; j++) {
                double w = mk[j];
                o0[j] += c0 * w;
                o1[j] += c1 * w;
                o2[j] += c2 * w;
                o3[j] += c3 * w;
            }
        }
    }
    for (; b < B; b++) {
        const double *ib = in + b * nn;
        double *restrict ob = out + b * nn;
        for (int k = 0; k < n; k++) {
            const double *restrict mk = m + k * nn;
            double c = ib[k];
            for (int j = 0; j < n; j++) ob[j] += c * mk[j];
        }
    }
}

/* Root mean square of n values, scaled by the largest so that squares of values near
 * the overflow limit do not overflow. */
static double rms(const double *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        double a = fabs(x[i]);
        if (!(a <= m)) m = a;          /* NaN propagates */
    }
    if (m == 0 || !isfinite(m)) return m;
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double t = x[i] / m;
        s += t * t;
    }
    return m * sqrt(s / (double)n);
}

int initnorm_run(const initnorm_cfg *cfg, double *act_rms, double *grad_rms)
{
    initnorm_cfg c = initnorm_defaults(cfg);
    if (c.layers < 1 || c.layers > INITNORM_MAX_LAYERS || c.width < 1 ||
        c.width > INITNORM_MAX_WIDTH || c.batch < 1 || c.batch > INITNORM_MAX_BATCH ||
        (unsigned)c.act >= INITNORM_ACT_COUNT || (unsigned)c.scheme >= INITNORM_SCHEME_COUNT)
        return -1;
    int L = c.layers, n = c.width, B = c.batch;
    size_t plane = (size_t)B * (size_t)n;
    if (plane > SIZE_MAX / sizeof(double) / (size_t)(L + 1)) return -1;
    double *a = malloc(sizeof *a * plane * (size_t)(L + 1));
    double *w = malloc(sizeof *w * (size_t)n * (size_t)n);
    double *g = malloc(sizeof *g * plane);
    double *s = malloc(sizeof *s * plane);
    if (!a || !w || !g || !s) {
        free(a);
        free(w);
        free(g);
        free(s);
        return -1;
    }

    /* inputs N(0,1), then the loss's signs, from the stream of the seed itself (the
       layers' streams are the seed mixed with l >= 1) */
    rng r;
    rng_seed(&r, c.seed);
    for (size_t i = 0; i < plane; i++) a[i] = rng_normal(&r);
    for (size_t i = 0; i < plane; i++) g[i] = rng_next(&r) >> 63 ? 1.0 : -1.0;

    for (int l = 1; l <= L; l++) {
        double *al = a + plane * (size_t)l;
        draw_weights(&c, l, w, 1);
        rows_times(al - plane, w, al, B, n);
        if (c.act == INITNORM_RELU) {
            for (size_t i = 0; i < plane; i++) al[i] = al[i] > 0 ? al[i] : 0;
        } else if (c.act == INITNORM_TANH) {
            for (size_t i = 0; i < plane; i++) al[i] = tanh(al[i]);
        }
    }
    if (act_rms)
        for (int l = 0; l <= L; l++) act_rms[l] = rms(a + plane * (size_t)l, plane);

    if (grad_rms) {
        /* d loss / d a_L = the signs; then g_{l-1} = W_l^T (g_l * act'(z_l)) */
        grad_rms[L] = 1.0;
        for (int l = L; l >= 1; l--) {
            const double *al = a + plane * (size_t)l;
            if (c.act == INITNORM_RELU) {
                for (size_t i = 0; i < plane; i++) s[i] = al[i] > 0 ? g[i] : 0;
            } else if (c.act == INITNORM_TANH) {
                for (size_t i = 0; i < plane; i++) s[i] = g[i] * (1.0 - al[i] * al[i]);
            } else {
                memcpy(s, g, sizeof *s * plane);
            }
            draw_weights(&c, l, w, 0);
            rows_times(s, w, g, B, n);
            grad_rms[l - 1] = rms(g, plane);
        }
    }
    free(a);
    free(w);
    free(g);
    free(s);
    return 0;
}

typedef struct run_job {
    const initnorm_cfg *cfgs;
    int k, stride, pieces;
    double *act, *grad;
    int failed[PARALLEL_MAX_THREADS];   /* one per piece, so no piece shares a flag */
} run_job;

/* Piece p takes configurations p, p + pieces, ...: interleaved, so a list sorted
 * by depth still spreads its costly runs over every thread. */
static void run_piece(void *ctx, int piece, int lo, int hi)
{
    (void)lo; (void)hi;
    run_job *j = ctx;
    for (int i = piece; i < j->k; i += j->pieces)
        if (initnorm_run(&j->cfgs[i], j->act ? j->act + (size_t)i * j->stride : NULL,
                         j->grad ? j->grad + (size_t)i * j->stride : NULL) != 0)
            j->failed[piece] = 1;
}

int initnorm_run_many(const initnorm_cfg *cfgs, int k, double *act_rms, double *grad_rms,
                      int stride, int nthreads)
{
    enum { MAX_THREADS = 16 };
    if (nthreads > MAX_THREADS) nthreads = MAX_THREADS;
    if (nthreads > k) nthreads = k;
    if (nthreads < 1) nthreads = 1;
    run_job job = {cfgs, k, stride, nthreads, act_rms, grad_rms, {0}};
    /* one piece per thread; each walks its own stride of the configurations */
    parallel_for(nthreads, nthreads, run_piece, &job);
    int failed = 0;
    for (int t = 0; t < nthreads; t++) failed |= job.failed[t];
    return failed ? -1 : 0;
}
