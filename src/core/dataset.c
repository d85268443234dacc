/* dataset: generation, per-sample and minibatch losses with exact derivatives,
 * formula text, and the minibatch sampler.
 *
 * The formula text and the C evaluation describe the same function: the landscape
 * a runner is drawn on is compiled from dataset_formula over all samples, while its
 * minibatch gradients come from dataset_batch_jet, so both must agree to rounding
 * (tests/test_dataset.c checks it). Numbers go into the text with 17 significant
 * digits, which read back as the same doubles. */
#include "dataset.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sharp_flat's shape (landscape.c): the bowl, the sharp well's centre, the flat
 * well's centre, width and depth. */
#define BOWL 0.05
#define SHARP_X 1.5
#define SHARP_Y 0.5
#define FLAT_X (-1.0)
#define FLAT_Y (-0.5)
#define FLAT_W 1.0
#define FLAT_AMP 0.95

static dataset *alloc_dataset(dataset_loss loss, int n);

/* A generated set of n samples (NULL when n is not 1..max, or out of memory), its
 * random stream r seeded. */
static dataset *new_dataset(dataset_loss loss, int n, int max, uint64_t seed, rng *r)
{
    if (n < 1 || n > max) return NULL;
    dataset *ds = alloc_dataset(loss, n);
    if (ds) rng_seed(r, seed);
    return ds;
}

static dataset *alloc_dataset(dataset_loss loss, int n)
{
    dataset *ds = calloc(1, sizeof *ds);
    if (!ds) return NULL;
    ds->loss = loss;
    ds->n = n;
    ds->a = calloc((size_t)n, sizeof *ds->a);
    ds->b = calloc((size_t)n, sizeof *ds->b);
    ds->t = calloc((size_t)n, sizeof *ds->t);
    if (!ds->a || !ds->b || !ds->t) {
        dataset_destroy(ds);
        return NULL;
    }
    return ds;
}

void dataset_destroy(dataset *ds)
{
    if (!ds) return;
    free(ds->a);
    free(ds->b);
    free(ds->t);
    free(ds);
}

dataset *dataset_linreg(int n, double noise, double scale, uint64_t seed)
{
    rng r;
    dataset *ds = new_dataset(DATASET_LSQ, n, DATASET_MAX_N_LSQ, seed, &r);
    if (!ds) return NULL;
    for (int i = 0; i < n; i++) {
        double x = scale * (1 + rng_normal(&r));
        double eps = rng_normal(&r);
        ds->a[i] = x;
        ds->b[i] = 1;
        ds->t[i] = 2 * x - 1 + noise * eps;
    }
    return ds;
}

static void standardize_column(double *v, int n)
{
    double mean = 0;
    for (int i = 0; i < n; i++) mean += v[i];
    mean /= n;
    double var = 0;
    for (int i = 0; i < n; i++) var += (v[i] - mean) * (v[i] - mean);
    var /= n;
    double sd = sqrt(var);
    for (int i = 0; i < n; i++) v[i] = sd > 0 ? (v[i] - mean) / sd : 0;
}

dataset *dataset_linreg2(int n, double scale1, double scale2, int standardize, double noise,
                         uint64_t seed)
{
    rng r;
    dataset *ds = new_dataset(DATASET_LSQ, n, DATASET_MAX_N_LSQ, seed, &r);
    if (!ds) return NULL;
    for (int i = 0; i < n; i++) {
        double x1 = scale1 * rng_normal(&r);
        double x2 = scale2 * rng_normal(&r);
        double eps = rng_normal(&r);
        ds->a[i] = x1;
        ds->b[i] = x2;
        ds->t[i] = 1.5 * x1 + 0.15 * x2 + noise * eps;
    }
    if (standardize && n > 1) {
        standardize_column(ds->a, n);
        standardize_column(ds->b, n);
        /* the model has no bias: centre the targets too, or the targets' mean would
         * be left over as loss no weight can remove (the shape is the same either way) */
        double mean = 0;
        for (int i = 0; i < n; i++) mean += ds->t[i];
        mean /= n;
        for (int i = 0; i < n; i++) ds->t[i] -= mean;
    }
    return ds;
}

dataset *dataset_logreg(int n, double sep, uint64_t seed)
{
    rng r;
    dataset *ds = new_dataset(DATASET_LOGISTIC, n, DATASET_MAX_N_TERMS, seed, &r);
    if (!ds) return NULL;
    double mx = 0.5 * sep * 0.8, my = 0.5 * sep * 0.6;
    for (int i = 0; i < n; i++) {
        double label = i % 2 == 0 ? 1 : -1;
        double zx = rng_normal(&r), zy = rng_normal(&r);
        ds->a[i] = label * mx + zx;
        ds->b[i] = label * my + zy;
        ds->t[i] = label;
    }
    return ds;
}

dataset *dataset_shifted(int n, double spread, double width, double shift, uint64_t seed)
{
    if (!(width > 0)) return NULL;
    rng r;
    dataset *ds = new_dataset(DATASET_SHIFTED, n, DATASET_MAX_N_TERMS, seed, &r);
    if (!ds) return NULL;
    double ma = 0, mb = 0;
    for (int i = 0; i < n; i++) {
        ds->a[i] = spread * rng_normal(&r);
        ds->b[i] = spread * rng_normal(&r);
        ma += ds->a[i];
        mb += ds->b[i];
    }
    ma /= n;
    mb /= n;
    /* Averaging copies of a well moved by the shifts makes it wider and shallower;
     * each sample's well is deepened so that the average is as deep as sharp_flat's
     * at the well's centre (mean_i amp exp(-k |shift_i|^2) = depth). */
    double ss = 0, sf = 0;
    for (int i = 0; i < n; i++) {
        ds->a[i] -= ma;
        ds->b[i] -= mb;
        double r2 = ds->a[i] * ds->a[i] + ds->b[i] * ds->b[i];
        ss += exp(-r2 / (2 * width * width));
        sf += exp(-r2 / (2 * FLAT_W * FLAT_W));
        ds->a[i] += shift;
        ds->b[i] += shift;
    }
    ds->width = width;
    ds->amp = n / ss;
    ds->amp_flat = FLAT_AMP * n / sf;
    return ds;
}

/* ---- losses ------------------------------------------------------------------ */

/* amp exp(-k |p - c|^2) added to j (with its sign in amp). */
static void add_gauss(jet2 *j, double amp, double k, double dx, double dy)
{
    double g = amp * exp(-k * (dx * dx + dy * dy));
    j->v += g;
    j->gx += -2 * k * dx * g;
    j->gy += -2 * k * dy * g;
    j->hxx += g * (4 * k * k * dx * dx - 2 * k);
    j->hxy += g * (4 * k * k * dx * dy);
    j->hyy += g * (4 * k * k * dy * dy - 2 * k);
}

jet2 dataset_sample_jet(const dataset *ds, int i, double x, double y)
{
    jet2 j = {0, 0, 0, 0, 0, 0};
    double a = ds->a[i], b = ds->b[i], t = ds->t[i];
    switch (ds->loss) {
    case DATASET_LSQ: {
        double r = x * a + y * b - t;
        j.v = r * r;
        j.gx = 2 * r * a;
        j.gy = 2 * r * b;
        j.hxx = 2 * a * a;
        j.hxy = 2 * a * b;
        j.hyy = 2 * b * b;
        break;
    }
    case DATASET_LOGISTIC: {
        /* softplus(s), s = -t (x a + y b): stable as max(s, 0) + log1p(exp(-|s|)) */
        double ca = -t * a, cb = -t * b;
        double s = x * ca + y * cb;
        double e = exp(-fabs(s));
        j.v = (s > 0 ? s : 0) + log1p(e);
        double sig = s >= 0 ? 1 / (1 + e) : e / (1 + e);   /* sigmoid(s) */
        double w = sig * (1 - sig);
        j.gx = sig * ca;
        j.gy = sig * cb;
        j.hxx = w * ca * ca;
        j.hxy = w * ca * cb;
        j.hyy = w * cb * cb;
        break;
    }
    case DATASET_SHIFTED: {
        double X = x - a, Y = y - b;
        j.v = BOWL * (X * X + Y * Y) + 1;
        j.gx = 2 * BOWL * X;
        j.gy = 2 * BOWL * Y;
        j.hxx = 2 * BOWL;
        j.hyy = 2 * BOWL;
        add_gauss(&j, -ds->amp, 1 / (2 * ds->width * ds->width), X - SHARP_X, Y - SHARP_Y);
        add_gauss(&j, -ds->amp_flat, 1 / (2 * FLAT_W * FLAT_W), X - FLAT_X, Y - FLAT_Y);
        break;
    }
    }
    return j;
}

jet2 dataset_batch_jet(const dataset *ds, const int *idx, int m, double x, double y)
{
    if (!idx) m = ds->n;
    jet2 s = {0, 0, 0, 0, 0, 0};
    if (m < 1) return s;
    for (int k = 0; k < m; k++) {
        jet2 j = dataset_sample_jet(ds, idx ? idx[k] : k, x, y);
        s.v += j.v;
        s.gx += j.gx;
        s.gy += j.gy;
        s.hxx += j.hxx;
        s.hxy += j.hxy;
        s.hyy += j.hyy;
    }
    s.v /= m;
    s.gx /= m;
    s.gy /= m;
    s.hxx /= m;
    s.hxy /= m;
    s.hyy /= m;
    return s;
}

int dataset_quadratic(const dataset *ds, const int *idx, int m, dataset_quad *q)
{
    if (ds->loss != DATASET_LSQ) return -1;
    if (!idx) m = ds->n;
    if (m < 1) return -1;
    double A = 0, B = 0, C = 0, D = 0, E = 0, F = 0;
    for (int k = 0; k < m; k++) {
        int i = idx ? idx[k] : k;
        if (i < 0 || i >= ds->n) return -1;
        double a = ds->a[i], b = ds->b[i], t = ds->t[i];
        A += a * a;
        B += a * b;
        C += b * b;
        D += a * t;
        E += b * t;
        F += t * t;
    }
    q->A = A / m;
    q->B = B / m;
    q->C = C / m;
    q->D = D / m;
    q->E = E / m;
    q->F = F / m;
    return 0;
}

/* ---- formula text -------------------------------------------------------------- */

typedef struct textbuf {
    char *buf;
    size_t len, used;     /* used counts every character, written or not */
} textbuf;

static void put(textbuf *tb, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(textbuf *tb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *dst = tb->used < tb->len ? tb->buf + tb->used : NULL;
    size_t room = tb->used < tb->len ? tb->len - tb->used : 0;
    char dummy[1];
    int k = vsnprintf(dst ? dst : dummy, dst ? room : 0, fmt, ap);
    va_end(ap);
    if (k > 0) tb->used += (size_t)k;
}

/* " + v*what" or " - |v|*what" (what may be empty: a plain constant) */
static void put_term(textbuf *tb, double v, const char *what, int first)
{
    const char *sep = *what ? "*" : "";
    if (first) put(tb, "%.17g%s%s", v, sep, what);
    else if (v < 0 || (v == 0 && signbit(v))) put(tb, " - %.17g%s%s", -v, sep, what);
    else put(tb, " + %.17g%s%s", v, sep, what);
}

/* "(x - c)" with c's sign folded in */
static void put_diff(textbuf *tb, const char *var, double c)
{
    if (c < 0) put(tb, "(%s + %.17g)", var, -c);
    else put(tb, "(%s - %.17g)", var, c);
}

static void put_gauss(textbuf *tb, double amp, double k, double cx, double cy)
{
    put(tb, " - %.17g*exp(-(", amp);
    put_diff(tb, "x", cx);
    put(tb, "^2 + ");
    put_diff(tb, "y", cy);
    put(tb, "^2)*%.17g)", k);
}

int dataset_formula(const dataset *ds, const int *idx, int m, char *buf, size_t len)
{
    if (!idx) m = ds->n;
    if (m < 1) return -1;
    for (int k = 0; idx && k < m; k++)
        if (idx[k] < 0 || idx[k] >= ds->n) return -1;
    textbuf tb = {buf, len, 0};
    if (len > 0) buf[0] = '\0';
    switch (ds->loss) {
    case DATASET_LSQ: {
        dataset_quad q;
        if (dataset_quadratic(ds, idx, m, &q) != 0) return -1;
        put_term(&tb, q.A, "x^2", 1);
        put_term(&tb, 2 * q.B, "x*y", 0);
        put_term(&tb, q.C, "y^2", 0);
        put_term(&tb, -2 * q.D, "x", 0);
        put_term(&tb, -2 * q.E, "y", 0);
        put_term(&tb, q.F, "", 0);
        break;
    }
    case DATASET_LOGISTIC:
        /* softplus(s) = M + log(exp(-M) + exp(s - M)) with M = max(s, 0), written
         * max(s, 0) + log(exp(min(-s, 0)) + exp(min(s, 0))): both exponentials <= 1,
         * so nothing overflows however far the weights go. At the kink s = 0 the
         * compiler takes the mean of both sides' derivatives (max' = min' = 1/2,
         * second derivatives 0), which gives softplus' = 1/2 and softplus'' = 1/4
         * exactly, so the jets are right there too (w = 0 puts every sample on it). */
        put(&tb, "(");
        for (int k = 0; k < m; k++) {
            int i = idx ? idx[k] : k;
            double ca = -ds->t[i] * ds->a[i], cb = -ds->t[i] * ds->b[i];
            char sp[96], sn[96];
            snprintf(sp, sizeof sp, "%.17g*x %s %.17g*y", ca, cb < 0 ? "-" : "+", fabs(cb));
            snprintf(sn, sizeof sn, "%.17g*x %s %.17g*y", -ca, cb > 0 ? "-" : "+", fabs(cb));
            put(&tb, "%smax(%s, 0) + log(exp(min(%s, 0)) + exp(min(%s, 0)))", k ? " + " : "", sp, sn, sp);
        }
        put(&tb, ")/%d", m);
        break;
    case DATASET_SHIFTED: {
        double ks = 1 / (2 * ds->width * ds->width), kf = 1 / (2 * FLAT_W * FLAT_W);
        put(&tb, "(");
        for (int k = 0; k < m; k++) {
            int i = idx ? idx[k] : k;
            double a = ds->a[i], b = ds->b[i];
            put(&tb, "%s%.17g*(", k ? " + " : "", BOWL);
            put_diff(&tb, "x", a);
            put(&tb, "^2 + ");
            put_diff(&tb, "y", b);
            put(&tb, "^2) + 1");
            put_gauss(&tb, ds->amp, ks, a + SHARP_X, b + SHARP_Y);
            put_gauss(&tb, ds->amp_flat, kf, a + FLAT_X, b + FLAT_Y);
        }
        put(&tb, ")/%d", m);
        break;
    }
    }
    return tb.used > (size_t)0x7fffffff ? -1 : (int)tb.used;
}

/* ---- minibatch sampler ---------------------------------------------------------- */

int batch_sampler_setup(batch_sampler *s, int n, int batch, int shuffle, uint64_t seed)
{
    if (n < 1) n = 1;
    if (n > s->cap) {
        int *p = realloc(s->perm, (size_t)n * sizeof *p);
        if (!p) return -1;
        s->perm = p;
        s->cap = n;
    }
    s->n = n;
    s->batch = batch < 1 ? 1 : batch > n ? n : batch;
    s->shuffle = shuffle != 0;
    s->pos = n;           /* the first call starts epoch 1 */
    s->epoch = 0;
    /* a stream of its own, apart from the runner's gradient noise */
    rng_seed(&s->r, seed ^ 0x53485546464c4521ull);
    for (int i = 0; i < n; i++) s->perm[i] = i;
    return 0;
}

const int *batch_sampler_next(batch_sampler *s, int *m)
{
    if (s->pos >= s->n) {
        s->pos = 0;
        s->epoch++;
        if (s->shuffle) {
            /* a fresh permutation each epoch, as torch's RandomSampler draws one */
            for (int i = 0; i < s->n; i++) s->perm[i] = i;
            for (int i = s->n - 1; i > 0; i--) {
                int j = (int)rng_below(&s->r, (uint64_t)i + 1);
                int tmp = s->perm[i];
                s->perm[i] = s->perm[j];
                s->perm[j] = tmp;
            }
        }
    }
    int start = s->pos;
    int k = s->n - start < s->batch ? s->n - start : s->batch;
    s->pos += k;
    *m = k;
    return s->perm + start;
}

void batch_sampler_free(batch_sampler *s)
{
    free(s->perm);
    s->perm = NULL;
    s->cap = 0;
}
