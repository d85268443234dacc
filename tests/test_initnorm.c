/* test_initnorm: the deep MLP at initialization.
 *
 * Exact parts: names, variances and gains; the drawn weights (bounds, moments); the
 * run against a textbook reference written here from the documented streams, whose
 * gradient is itself checked by finite differences; determinism and threads; and
 * that relu and linear networks are positively homogeneous (N(0, 2/n) is exactly
 * N(0, 1/n) scaled by sqrt 2, so its activations at layer l are 2^(l/2) times as
 * large).
 *
 * Statistical parts, against the closed forms: linear E[a_l^2] = (n var)^l E[a_0^2],
 * relu E[a_l^2] = (n var / 2)^l E[a_0^2] (E[relu(z)^2] = var(z) / 2), and backward
 * E[g_{l-1}^2] = n var E[act'(z_l)^2] E[g_l^2]; for tanh the same recursion with
 * E[tanh(sqrt(q) xi)^2] and E[tanh'(sqrt(q) xi)^2] by quadrature (mean-field). Every
 * comparison is of the mean over 8 fixed seeds of log(simulated / expected) mean
 * squares; the tolerances are the bias of log (log E != E log: -1.0 for relu at
 * layer 50, width 128) plus at least 6 standard deviations of that 8-seed mean, both
 * measured over 96 other seeds. The runs are deterministic, so the test cannot flake;
 * the margin is against changes of the generator. A wrong factor of 2 in a variance
 * moves the layer-50 log by 35. */
#include <stdlib.h>

#include "check.h"
#include "core/initnorm.h"
#include "core/rng.h"

/* ---- names, variances, gains ------------------------------------------------------ */

static void test_names(void)
{
    for (int a = 0; a < INITNORM_ACT_COUNT; a++)
        CHECK(initnorm_act_parse(initnorm_act_name(a)) == a, "act %d", a);
    for (int s = 0; s < INITNORM_SCHEME_COUNT; s++) {
        CHECK(initnorm_scheme_parse(initnorm_scheme_name(s)) == s, "scheme %d", s);
        CHECK(strlen(initnorm_scheme_label(s)) > 0, "label %d", s);
    }
    CHECK(initnorm_act_parse("sigmoid") == -1, "unknown act");
    CHECK(initnorm_scheme_parse("Kaiming_normal") == -1, "names are exact");
    CHECK(initnorm_scheme_parse("") == -1, "empty");
    CHECK(strcmp(initnorm_act_name(INITNORM_ACT_COUNT), "?") == 0, "out of range");
    CHECK(strcmp(initnorm_scheme_name(INITNORM_SCHEME_COUNT), "?") == 0, "out of range");

    /* torch.nn.init.calculate_gain */
    CHECK_NEAR(initnorm_gain(INITNORM_RELU), sqrt(2.0), 1e-15, 0, "relu gain");
    CHECK_NEAR(initnorm_gain(INITNORM_TANH), 5.0 / 3.0, 1e-15, 0, "tanh gain");
    CHECK_NEAR(initnorm_gain(INITNORM_LINEAR), 1.0, 0, 0, "linear gain");

    static const struct { int scheme, act; double n_var; } v[] = {
        {INITNORM_VAR1N, INITNORM_RELU, 1}, {INITNORM_VAR2N, INITNORM_TANH, 2},
        {INITNORM_VAR3N, INITNORM_LINEAR, 3},
        /* 2 / (fan_in + fan_out) = 1/n for square layers, whatever the activation */
        {INITNORM_XAVIER_UNIFORM, INITNORM_RELU, 1}, {INITNORM_XAVIER_NORMAL, INITNORM_TANH, 1},
        /* gain^2 / fan_in */
        {INITNORM_KAIMING_UNIFORM, INITNORM_RELU, 2}, {INITNORM_KAIMING_NORMAL, INITNORM_RELU, 2},
        {INITNORM_KAIMING_NORMAL, INITNORM_TANH, 25.0 / 9.0},
        {INITNORM_KAIMING_UNIFORM, INITNORM_LINEAR, 1},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        CHECK_NEAR(initnorm_variance(v[i].scheme, v[i].act, 64) * 64, v[i].n_var, 1e-14, 0,
                   "%s with %s", initnorm_scheme_name(v[i].scheme), initnorm_act_name(v[i].act));

    initnorm_cfg d = initnorm_defaults(&(initnorm_cfg){0});
    CHECK(d.layers == 50 && d.width == 256 && d.batch == 64 && d.act == INITNORM_RELU &&
          d.scheme == INITNORM_VAR1N && d.seed == 0, "defaults %d %d %d", d.layers, d.width, d.batch);
}

static void test_bad_config(void)
{
    double a[8], g[8];
    static const initnorm_cfg bad[] = {
        {.layers = -1}, {.layers = INITNORM_MAX_LAYERS + 1}, {.width = -3},
        {.width = INITNORM_MAX_WIDTH + 1}, {.batch = -1}, {.batch = INITNORM_MAX_BATCH + 1},
        {.act = INITNORM_ACT_COUNT}, {.scheme = INITNORM_SCHEME_COUNT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK(initnorm_run(&bad[i], a, g) == -1, "bad config %zu accepted", i);
    double w[4];
    CHECK(initnorm_weights(&(initnorm_cfg){.layers = 2, .width = 2}, 0, w) == -1, "layer 0");
    CHECK(initnorm_weights(&(initnorm_cfg){.layers = 2, .width = 2}, 3, w) == -1, "layer 3 of 2");
    CHECK(initnorm_run(&(initnorm_cfg){.layers = 7, .width = 1, .batch = 1}, a, g) == 0, "1 x 1");
    CHECK(initnorm_run(&(initnorm_cfg){.layers = 7, .width = 3, .batch = 2}, NULL, NULL) == 0,
          "no outputs");
}

/* ---- the weights ---------------------------------------------------------------- */

static void test_weights(void)
{
    enum { N = 400 };
    double *w = malloc(sizeof *w * N * N);
    for (int s = 0; s < INITNORM_SCHEME_COUNT; s++)
        for (int act = 0; act < INITNORM_ACT_COUNT; act++) {
            initnorm_cfg c = {.layers = 3, .width = N, .act = act, .scheme = s, .seed = 7};
            CHECK(initnorm_weights(&c, 2, w) == 0, "weights");
            double var = initnorm_variance(s, act, N), m1 = 0, m2 = 0, m4 = 0, amax = 0;
            for (int i = 0; i < N * N; i++) {
                m1 += w[i];
                m2 += w[i] * w[i];
                m4 += w[i] * w[i] * w[i] * w[i];
                if (fabs(w[i]) > amax) amax = fabs(w[i]);
            }
            m1 /= N * N;
            m2 /= N * N;
            m4 /= N * N;
            /* 160000 draws: the sample variance is within 2.5% (7 sd), the mean within
               6 sd of 0 */
            CHECK_NEAR(m2, var, 0.025, 0, "%s/%s variance", initnorm_scheme_name(s),
                       initnorm_act_name(act));
            CHECK(fabs(m1) < 6 * sqrt(var / (N * N)), "%s mean %g", initnorm_scheme_name(s), m1);
            if (s == INITNORM_XAVIER_UNIFORM || s == INITNORM_KAIMING_UNIFORM) {
                /* U(-a, a): |w| <= a = sqrt(3 var), kurtosis 9/5 */
                CHECK(amax <= sqrt(3 * var) && amax > 0.999 * sqrt(3 * var), "%s bound %g of %g",
                      initnorm_scheme_name(s), amax, sqrt(3 * var));
                CHECK_NEAR(m4 / (m2 * m2), 1.8, 0.03, 0, "uniform kurtosis");
            } else {
                CHECK_NEAR(m4 / (m2 * m2), 3.0, 0.05, 0, "normal kurtosis");
            }
        }
    /* the same seed gives the normal schemes the same draws, scaled */
    double *w2 = malloc(sizeof *w2 * N * N);
    initnorm_weights(&(initnorm_cfg){.layers = 3, .width = N, .scheme = INITNORM_VAR1N, .seed = 7}, 3, w);
    initnorm_weights(&(initnorm_cfg){.layers = 3, .width = N, .scheme = INITNORM_VAR3N, .seed = 7}, 3, w2);
    int same = 1;
    for (int i = 0; i < N * N; i++) same &= check_close(w2[i], sqrt(3.0) * w[i], 1e-15, 0);
    CHECK(same, "var3n = sqrt(3) var1n draw by draw");
    initnorm_weights(&(initnorm_cfg){.layers = 3, .width = N, .scheme = INITNORM_VAR1N, .seed = 7}, 2, w2);
    CHECK(w2[0] != w[0] && w2[1] != w[1], "layers have their own draws");
    free(w);
    free(w2);
}

/* ---- against a textbook reference ------------------------------------------------ */

static double act_f(int act, double z)
{
    return act == INITNORM_RELU ? (z > 0 ? z : 0) : act == INITNORM_TANH ? tanh(z) : z;
}

static double act_d(int act, double z)
{
    return act == INITNORM_RELU ? (z > 0 ? 1 : 0) : act == INITNORM_TANH ? 1 - tanh(z) * tanh(z) : 1;
}

/* Forward with dot products (another summation order than the module's), keeping z;
 * returns the loss; if act_rms, grad_rms: the same statistics as initnorm_run. */
static double ref_run(const initnorm_cfg *c, const double *x, const double *r, double **W,
                      double *act_rms, double *grad_rms)
{
    int L = c->layers, n = c->width, B = c->batch;
    double *a = malloc(sizeof *a * (size_t)(L + 1) * B * n), *z = malloc(sizeof *z * (size_t)(L + 1) * B * n);
    double *g = malloc(sizeof *g * B * n), *g2 = malloc(sizeof *g2 * B * n);
    memcpy(a, x, sizeof *a * B * n);
    for (int l = 1; l <= L; l++)
        for (int b = 0; b < B; b++)
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) s += W[l][i * n + j] * a[((l - 1) * B + b) * n + j];
                z[(l * B + b) * n + i] = s;
                a[(l * B + b) * n + i] = act_f(c->act, s);
            }
    double loss = 0;
    for (int k = 0; k < B * n; k++) loss += r[k] * a[L * B * n + k];
    if (act_rms)
        for (int l = 0; l <= L; l++) {
            double s = 0;
            for (int k = 0; k < B * n; k++) s += a[l * B * n + k] * a[l * B * n + k];
            act_rms[l] = sqrt(s / (B * n));
        }
    if (grad_rms) {
        memcpy(g, r, sizeof *g * B * n);
        grad_rms[L] = 1;
        for (int l = L; l >= 1; l--) {
            double s2 = 0;
            for (int b = 0; b < B; b++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int i = 0; i < n; i++)
                        s += W[l][i * n + j] * g[b * n + i] * act_d(c->act, z[(l * B + b) * n + i]);
                    g2[b * n + j] = s;
                    s2 += s * s;
                }
            memcpy(g, g2, sizeof *g * B * n);
            grad_rms[l - 1] = sqrt(s2 / (B * n));
        }
    }
    free(a);
    free(z);
    free(g);
    free(g2);
    return loss;
}

/* The gradient d loss / d x[k] of the reference, by its backward pass (one entry). */
static double ref_grad_entry(const initnorm_cfg *c, const double *x, const double *r, double **W, int k)
{
    int L = c->layers, n = c->width, B = c->batch, b = k / n;
    /* forward for sample b only, keeping z */
    double *z = calloc((size_t)(L + 1) * n, sizeof *z), *a = calloc((size_t)(L + 1) * n, sizeof *a);
    double *g = malloc(sizeof *g * n), *g2 = malloc(sizeof *g2 * n);
    memcpy(a, x + b * n, sizeof *a * n);
    for (int l = 1; l <= L; l++)
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) s += W[l][i * n + j] * a[(l - 1) * n + j];
            z[l * n + i] = s;
            a[l * n + i] = act_f(c->act, s);
        }
    memcpy(g, r + b * n, sizeof *g * n);
    for (int l = L; l >= 1; l--) {
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += W[l][i * n + j] * g[i] * act_d(c->act, z[l * n + i]);
            g2[j] = s;
        }
        memcpy(g, g2, sizeof *g * n);
    }
    double v = g[k % n];
    (void)B;
    free(z);
    free(a);
    free(g);
    free(g2);
    return v;
}

static void test_reference(void)
{
    static const initnorm_cfg cases[] = {
        {.layers = 5, .width = 7, .batch = 3, .act = INITNORM_RELU, .scheme = INITNORM_KAIMING_NORMAL, .seed = 1},
        {.layers = 4, .width = 9, .batch = 9, .act = INITNORM_TANH, .scheme = INITNORM_XAVIER_UNIFORM, .seed = 2},
        {.layers = 6, .width = 5, .batch = 6, .act = INITNORM_LINEAR, .scheme = INITNORM_VAR3N, .seed = 3},
        {.layers = 3, .width = 16, .batch = 4, .act = INITNORM_TANH, .scheme = INITNORM_KAIMING_UNIFORM, .seed = 4},
        {.layers = 8, .width = 6, .batch = 5, .act = INITNORM_RELU, .scheme = INITNORM_VAR1N, .seed = 5},
        {.layers = 1, .width = 1, .batch = 1, .act = INITNORM_TANH, .scheme = INITNORM_VAR2N, .seed = 6},
    };
    for (size_t ci = 0; ci < sizeof cases / sizeof *cases; ci++) {
        const initnorm_cfg *c = &cases[ci];
        int L = c->layers, n = c->width, B = c->batch;
        double *W[16] = {0};
        for (int l = 1; l <= L; l++) {
            W[l] = malloc(sizeof(double) * n * n);
            CHECK(initnorm_weights(c, l, W[l]) == 0, "weights");
        }
        double *x = malloc(sizeof *x * B * n), *r = malloc(sizeof *r * B * n);
        rng g;
        rng_seed(&g, c->seed);
        for (int k = 0; k < B * n; k++) x[k] = rng_normal(&g);
        for (int k = 0; k < B * n; k++) r[k] = rng_next(&g) >> 63 ? 1.0 : -1.0;
        double ea[16], eg[16], a[16], gr[16];
        ref_run(c, x, r, W, ea, eg);
        CHECK(initnorm_run(c, a, gr) == 0, "run");
        for (int l = 0; l <= L; l++) {
            CHECK_NEAR(a[l], ea[l], 1e-12, 0, "case %zu act_rms[%d]", ci, l);
            CHECK_NEAR(gr[l], eg[l], 1e-12, 0, "case %zu grad_rms[%d]", ci, l);
        }
        /* the reference's backward pass is the gradient: central differences of the
           loss in a few inputs (relu: away from kinks, which h = 1e-6 rarely meets;
           a kink inside the step would show as a large error) */
        for (int t = 0; t < 3 && t < B * n; t++) {
            int k = (t * 7 + 1) % (B * n);
            double h = 1e-6, keep = x[k];
            x[k] = keep + h;
            double lp = ref_run(c, x, r, W, NULL, NULL);
            x[k] = keep - h;
            double lm = ref_run(c, x, r, W, NULL, NULL);
            x[k] = keep;
            double fd = (lp - lm) / (2 * h), an = ref_grad_entry(c, x, r, W, k);
            CHECK_NEAR(an, fd, 1e-5, 1e-7 * (1 + fabs(lp)), "case %zu d loss / d x[%d]", ci, k);
        }
        for (int l = 1; l <= L; l++) free(W[l]);
        free(x);
        free(r);
    }
}

/* ---- determinism, threads, homogeneity --------------------------------------------- */

static void test_determinism(void)
{
    enum { L = 12 };
    initnorm_cfg cfgs[INITNORM_SCHEME_COUNT];
    for (int s = 0; s < INITNORM_SCHEME_COUNT; s++)
        cfgs[s] = (initnorm_cfg){.layers = L, .width = 33, .batch = 7, .act = INITNORM_TANH,
                                 .scheme = s, .seed = 99};
    double a1[INITNORM_SCHEME_COUNT][L + 1], g1[INITNORM_SCHEME_COUNT][L + 1];
    double a3[INITNORM_SCHEME_COUNT][L + 1], g3[INITNORM_SCHEME_COUNT][L + 1];
    CHECK(initnorm_run_many(cfgs, INITNORM_SCHEME_COUNT, &a1[0][0], &g1[0][0], L + 1, 1) == 0, "1 thread");
    CHECK(initnorm_run_many(cfgs, INITNORM_SCHEME_COUNT, &a3[0][0], &g3[0][0], L + 1, 3) == 0, "3 threads");
    CHECK(memcmp(a1, a3, sizeof a1) == 0 && memcmp(g1, g3, sizeof g1) == 0, "threads change nothing");
    double a[L + 1], g[L + 1];
    initnorm_run(&cfgs[4], a, g);
    CHECK(memcmp(a, a1[4], sizeof a) == 0 && memcmp(g, g1[4], sizeof g) == 0, "run_many = run");
    initnorm_cfg other = cfgs[4];
    other.seed = 100;
    initnorm_run(&other, a, g);
    CHECK(a[0] != a1[4][0] && g[0] != g1[4][0], "another seed, another network");

    /* relu and linear are positively homogeneous, and the schemes of one family draw
       the same numbers: every normal scheme's network is var1n's scaled by
       sqrt(var / var1n's) at every layer, every uniform one Xavier uniform's */
    for (int act = 0; act < INITNORM_ACT_COUNT; act += 2) {
        double b[2][L + 1], bg[2][L + 1], b2[L + 1], bg2[L + 1];
        initnorm_cfg c = {.layers = L, .width = 40, .batch = 5, .act = act, .seed = 3};
        static const int base[2] = {INITNORM_VAR1N, INITNORM_XAVIER_UNIFORM};
        for (int f = 0; f < 2; f++) {
            c.scheme = base[f];
            initnorm_run(&c, b[f], bg[f]);
        }
        for (int s = 0; s < INITNORM_SCHEME_COUNT; s++) {
            int f = s == INITNORM_XAVIER_UNIFORM || s == INITNORM_KAIMING_UNIFORM;
            double k = initnorm_variance(s, act, 40) / initnorm_variance(base[f], act, 40);
            c.scheme = s;
            initnorm_run(&c, b2, bg2);
            for (int l = 0; l <= L; l++) {
                CHECK_NEAR(b2[l], b[f][l] * pow(k, l / 2.0), 1e-12, 0, "%s %s act layer %d",
                           initnorm_act_name(act), initnorm_scheme_name(s), l);
                CHECK_NEAR(bg2[l], bg[f][l] * pow(k, (L - l) / 2.0), 1e-12, 0, "%s %s grad layer %d",
                           initnorm_act_name(act), initnorm_scheme_name(s), l);
            }
        }
    }
}

static void test_huge(void)
{
    /* linear var3n over 1000 layers: the RMS reaches ~3^500 = 1e238, whose square
       would overflow; the RMS is taken scaled and stays finite */
    enum { L = 1000 };
    static double a[L + 1], g[L + 1];
    initnorm_cfg c = {.layers = L, .width = 8, .batch = 2, .act = INITNORM_LINEAR, .scheme = INITNORM_VAR3N};
    CHECK(initnorm_run(&c, a, g) == 0, "run");
    CHECK(isfinite(a[L]) && a[L] > 1e180, "layer %d: %g", L, a[L]);
    CHECK(isfinite(g[0]) && g[0] > 1e180, "gradient at layer 0: %g", g[0]);
}

/* ---- statistics against the closed forms -------------------------------------------- */

/* E[f(sqrt(q) xi)^2], xi ~ N(0,1), f = act or act', by Simpson's rule on [-12, 12] */
static double gauss_mean_sq(int act, int deriv, double q)
{
    enum { K = 4000 };
    double h = 24.0 / K, s = 0;
    for (int i = 0; i <= K; i++) {
        double x = -12 + i * h, z = sqrt(q) * x;
        double v = deriv ? act_d(act, z) : act_f(act, z);
        s += (i == 0 || i == K ? 1 : i % 2 ? 4 : 2) * v * v * exp(-x * x / 2);
    }
    return s * h / 3 / sqrt(2 * M_PI);
}

/* Expected mean squares: M[l] of a_l from M[0], G[0] of the input gradient (G[L] = 1). */
static void expected(int act, double n_var, int L, double M0, double *M, double *G0)
{
    M[0] = M0;
    double G = 1;
    for (int l = 1; l <= L; l++) {
        if (act == INITNORM_LINEAR) {
            M[l] = M0 * pow(n_var, l);        /* (n var)^l E[a_0^2] */
            G *= n_var;
        } else if (act == INITNORM_RELU) {
            M[l] = M0 * pow(n_var / 2, l);    /* E[relu(z)^2] = var(z) / 2, relu'^2 = 1/2 */
            G *= n_var / 2;
        } else {
            double q = n_var * M[l - 1];
            M[l] = gauss_mean_sq(act, 0, q);
            G *= n_var * gauss_mean_sq(act, 1, q);
        }
    }
    *G0 = G;
}

enum { SL = 50, SW = 128, SB = 64, SEEDS = 8 };

static void test_statistics(void)
{
    /* tolerances on the 8-seed mean of log(simulated / expected) mean square, at
       layers 1, 10, 50 and for the input gradient; measured bias and sd over 96 seeds
       (width 128, batch 64): relu -1.0 +- 1.35 at layer 50, -0.26 +- 0.75 gradient;
       tanh -0.17 +- 0.24, 0.13 +- 0.3; linear -0.14 +- 0.39, -0.13 +- 0.4 */
    static const double tol[INITNORM_ACT_COUNT][4] = {
        [INITNORM_RELU] = {0.1, 1.2, 4.0, 2.2},
        [INITNORM_TANH] = {0.1, 0.3, 0.8, 1.0},
        [INITNORM_LINEAR] = {0.1, 0.6, 1.5, 1.5},
    };
    static const int probe[3] = {1, 10, SL};
    static double A[INITNORM_ACT_COUNT][INITNORM_SCHEME_COUNT][SEEDS][SL + 1];
    static double Gr[INITNORM_ACT_COUNT][INITNORM_SCHEME_COUNT][SEEDS][SL + 1];
    initnorm_cfg cfgs[SEEDS];
    for (int act = 0; act < INITNORM_ACT_COUNT; act++) {
        /* relu and linear networks of one family (normal or uniform) differ only by a
           factor per layer (test_determinism checks this to 1e-12): run Kaiming's and
           scale it for the others, which halves the time (sanitizer builds) */
        int homogeneous = act != INITNORM_TANH;
        for (int s = 0; s < INITNORM_SCHEME_COUNT; s++) {
            if (homogeneous && s != INITNORM_KAIMING_NORMAL && s != INITNORM_KAIMING_UNIFORM) continue;
            for (int k = 0; k < SEEDS; k++)
                cfgs[k] = (initnorm_cfg){.layers = SL, .width = SW, .batch = SB, .act = act, .scheme = s,
                                         .seed = 1 + k};
            CHECK(initnorm_run_many(cfgs, SEEDS, &A[act][s][0][0], &Gr[act][s][0][0], SL + 1, 4) == 0,
                  "runs");
        }
        for (int s = 0; homogeneous && s < INITNORM_SCHEME_COUNT; s++) {
            int uni = s == INITNORM_XAVIER_UNIFORM || s == INITNORM_KAIMING_UNIFORM;
            int base = uni ? INITNORM_KAIMING_UNIFORM : INITNORM_KAIMING_NORMAL;
            double ratio = initnorm_variance(s, act, SW) / initnorm_variance(base, act, SW);
            for (int k = 0; k < SEEDS; k++)
                for (int l = 0; l <= SL; l++) {
                    A[act][s][k][l] = A[act][base][k][l] * pow(ratio, l / 2.0);
                    Gr[act][s][k][l] = Gr[act][base][k][l] * pow(ratio, (SL - l) / 2.0);
                }
        }
        for (int s = 0; s < INITNORM_SCHEME_COUNT; s++) {
            double n_var = initnorm_variance(s, act, SW) * SW, e[4] = {0};
            for (int k = 0; k < SEEDS; k++) {
                double M[SL + 1], G0;
                expected(act, n_var, SL, A[act][s][k][0] * A[act][s][k][0], M, &G0);
                for (int p = 0; p < 3; p++) {
                    double a = A[act][s][k][probe[p]];
                    e[p] += log(a * a / M[probe[p]]) / SEEDS;
                }
                e[3] += log(Gr[act][s][k][0] * Gr[act][s][k][0] / G0) / SEEDS;
            }
            for (int p = 0; p < 3; p++)
                CHECK(fabs(e[p]) <= tol[act][p], "%s %s: log(E a_%d^2 simulated / expected) = %.3f, "
                      "tolerance %.2f", initnorm_act_name(act), initnorm_scheme_name(s), probe[p], e[p],
                      tol[act][p]);
            CHECK(fabs(e[3]) <= tol[act][3], "%s %s: log(E g_0^2 simulated / expected) = %.3f, "
                  "tolerance %.2f", initnorm_act_name(act), initnorm_scheme_name(s), e[3], tol[act][3]);
        }
    }

    /* What the lecture's figure shows, over 50 relu layers (geometric means over the
       seeds, relative to the input's RMS and the top's gradient RMS): */
    for (int s = 0; s < INITNORM_SCHEME_COUNT; s++) {
        double lo_a = INFINITY, hi_a = 0, lo_g = INFINITY, hi_g = 0;
        for (int l = 0; l <= SL; l++) {
            double la = 0, lg = 0;
            for (int k = 0; k < SEEDS; k++) {
                la += log(A[INITNORM_RELU][s][k][l] / A[INITNORM_RELU][s][k][0]) / SEEDS;
                lg += log(Gr[INITNORM_RELU][s][k][l]) / SEEDS;
            }
            lo_a = fmin(lo_a, exp(la));
            hi_a = fmax(hi_a, exp(la));
            lo_g = fmin(lo_g, exp(lg));
            hi_g = fmax(hi_g, exp(lg));
        }
        const char *nm = initnorm_scheme_name(s);
        if (s == INITNORM_KAIMING_NORMAL || s == INITNORM_KAIMING_UNIFORM || s == INITNORM_VAR2N) {
            /* 2/n: both stay within a factor 10 at every layer (1/n and 3/n move by 1e4..1e8) */
            CHECK(lo_a > 0.1 && hi_a < 10, "%s: activation RMS in [%g, %g]", nm, lo_a, hi_a);
            CHECK(lo_g > 0.1 && hi_g < 10, "%s: gradient RMS in [%g, %g]", nm, lo_g, hi_g);
        } else if (s == INITNORM_VAR3N) {
            /* 3/n: activations explode going forward, gradients going backward
               (expected 1.5^25 = 2.5e4 both) */
            CHECK(hi_a > 1e3 && lo_a == 1, "%s: activations grow to %g", nm, hi_a);
            CHECK(hi_g > 1e3, "%s: gradients grow to %g", nm, hi_g);
        } else {
            /* 1/n (Xavier is 1/n for square layers): both vanish (expected 2^-25 = 3e-8) */
            CHECK(lo_a < 1e-5 && hi_a == 1, "%s: activations fall to %g", nm, lo_a);
            CHECK(lo_g < 1e-5, "%s: gradients fall to %g", nm, lo_g);
        }
    }
    /* monotone in the scheme: per layer, the 8-seed geometric mean of 1/n < 2/n < 3/n */
    for (int l = 1; l <= SL; l++) {
        double m[3] = {0};
        for (int s = 0; s < 3; s++)
            for (int k = 0; k < SEEDS; k++) m[s] += log(A[INITNORM_RELU][s][k][l]);
        CHECK(m[0] < m[1] && m[1] < m[2], "relu layer %d: %g %g %g", l, m[0], m[1], m[2]);
    }

    /* tanh with Xavier: stable for a while, then shrinking slowly (mean field: RMS
       0.23 at layer 10, 0.10 at 50); with Kaiming's gain 5/3 it settles at 0.65 */
    double x10 = 0, x50 = 0, k50 = 0;
    for (int k = 0; k < SEEDS; k++) {
        x10 += log(A[INITNORM_TANH][INITNORM_XAVIER_NORMAL][k][10]) / SEEDS;
        x50 += log(A[INITNORM_TANH][INITNORM_XAVIER_NORMAL][k][SL]) / SEEDS;
        k50 += log(A[INITNORM_TANH][INITNORM_KAIMING_NORMAL][k][SL]) / SEEDS;
    }
    CHECK(exp(x10) > 0.15 && exp(x10) < 0.35, "tanh xavier layer 10 RMS %g", exp(x10));
    CHECK(exp(x50) > 0.05 && exp(x50) < 0.15, "tanh xavier layer 50 RMS %g", exp(x50));
    CHECK(exp(k50) > 0.55 && exp(k50) < 0.75, "tanh kaiming layer 50 RMS %g", exp(k50));
}

int main(void)
{
    test_names();
    test_bad_config();
    test_weights();
    test_reference();
    test_determinism();
    test_huge();
    test_statistics();
    return check_done("initnorm");
}
