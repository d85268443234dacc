/* test_dataset: the landscapes from data and their minibatches. The sampler visits
 * every sample once per epoch, reproducibly per seed, in order without shuffling;
 * the generated formulas are the data's losses (linreg against the direct MSE sum,
 * every kind against the C per-sample jets, full batch and minibatch); minibatch
 * gradients are means of per-sample ones; standardization makes the features
 * mean 0, variance 1 and the quadratic round; logistic losses are finite far away
 * and their gradients match finite differences; sharp_flat_data's test landscape is
 * its training landscape moved; runners without batches are unchanged by data; the
 * flatness measurement is deterministic and shows its claim. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/dataset.h"
#include "core/flatness.h"
#include "core/landscape.h"
#include "core/sim.h"

static expr *compile_batch(const landscape *ls, const int *idx, int m)
{
    int n = landscape_batch_expr(ls, idx, m, NULL, 0);
    CHECK(n > 0, "%s: batch formula length %d", ls->label, n);
    if (n <= 0) return NULL;
    char *text = malloc((size_t)n + 1);
    CHECK(landscape_batch_expr(ls, idx, m, text, (size_t)n + 1) == n, "%s: same length twice", ls->label);
    CHECK(strlen(text) == (size_t)n, "%s: length %zu vs %d", ls->label, strlen(text), n);
    expr_error ee;
    expr *f = expr_compile(text, NULL, 0, &ee);
    CHECK(f != NULL, "%s: batch formula does not compile: %s", ls->label, f ? "" : ee.msg);
    free(text);
    return f;
}

/* ---- sampler ---------------------------------------------------------------------- */

static void test_sampler(void)
{
    static const struct { int n, batch, shuffle; } cases[] = {
        {10, 3, 1}, {10, 3, 0}, {32, 1, 1}, {32, 32, 1}, {32, 50, 1}, {7, 2, 0}, {100, 16, 1}, {1, 1, 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int n = cases[c].n, B = cases[c].batch, sh = cases[c].shuffle;
        int eb = B > n ? n : B;
        batch_sampler s = {0}, t = {0};
        CHECK(batch_sampler_setup(&s, n, B, sh, 42) == 0, "setup");
        CHECK(batch_sampler_setup(&t, n, B, sh, 42) == 0, "setup");
        int *seen = calloc((size_t)n, sizeof *seen);
        int *first = malloc((size_t)n * sizeof *first);
        int differs_between_epochs = 0;
        for (int epoch = 0; epoch < 4; epoch++) {
            memset(seen, 0, (size_t)n * sizeof *seen);
            int got = 0, nbatch = 0, order_ok = 1, in_order = 1, pos = 0;
            while (got < n) {
                int m, m2;
                const int *idx = batch_sampler_next(&s, &m);
                const int *idx2 = batch_sampler_next(&t, &m2);
                nbatch++;
                CHECK(m == m2 && memcmp(idx, idx2, (size_t)m * sizeof *idx) == 0,
                      "n %d B %d: same seed, same batches", n, B);
                CHECK(m >= 1 && m <= eb && (m == eb || got + m == n),
                      "n %d B %d: batch of %d at %d", n, B, m, got);
                for (int k = 0; k < m; k++) {
                    CHECK(idx[k] >= 0 && idx[k] < n, "index %d", idx[k]);
                    if (idx[k] >= 0 && idx[k] < n) seen[idx[k]]++;
                    if (idx[k] != pos) in_order = 0;
                    if (epoch == 0) first[pos] = idx[k];
                    else if (first[pos] != idx[k]) differs_between_epochs = 1;
                    pos++;
                }
                got += m;
                if (got > n) order_ok = 0;
            }
            CHECK(order_ok && got == n, "n %d B %d: epoch %d ends at the epoch's end (%d)", n, B, epoch, got);
            CHECK(nbatch == (n + eb - 1) / eb, "n %d B %d: %d batches per epoch", n, B, nbatch);
            for (int i = 0; i < n; i++)
                CHECK(seen[i] == 1, "n %d B %d epoch %d: sample %d seen %d times", n, B, epoch, i, seen[i]);
            if (!sh) CHECK(in_order, "n %d B %d: shuffle=0 is in order", n, B);
            CHECK(s.epoch == epoch + 1, "epoch count %ld", s.epoch);
        }
        if (sh && n >= 7)
            CHECK(differs_between_epochs, "n %d B %d: a fresh order every epoch", n, B);
        /* another seed, another order */
        if (sh && n >= 7) {
            batch_sampler u = {0};
            CHECK(batch_sampler_setup(&u, n, B, sh, 43) == 0, "setup");
            CHECK(batch_sampler_setup(&t, n, B, sh, 42) == 0, "setup again");
            int same = 1;
            for (int got = 0; got < n;) {
                int m, m2;
                const int *a = batch_sampler_next(&t, &m);
                const int *b = batch_sampler_next(&u, &m2);
                if (m != m2 || memcmp(a, b, (size_t)m * sizeof *a) != 0) same = 0;
                got += m;
            }
            CHECK(!same, "n %d B %d: seeds 42 and 43 give the same order", n, B);
            batch_sampler_free(&u);
        }
        free(seen);
        free(first);
        batch_sampler_free(&s);
        batch_sampler_free(&t);
    }
}

/* ---- formulas against the data ----------------------------------------------------- */

static void test_linreg_formula(void)
{
    static const char *specs[] = {"linreg", "linreg:n=1000,noise=2,scale=10,seed=7",
                                  "linreg:scale=0.1", "linreg2", "linreg2:standardize=1"};
    char err[512];
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        landscape ls;
        int rc = landscape_load(&ls, specs[s], err, sizeof err);
        CHECK(rc == 0 && ls.data, "%s: %s", specs[s], err);
        if (rc != 0) continue;
        const dataset *ds = ls.data;
        CHECK(ds->loss == DATASET_LSQ, "%s is least squares", specs[s]);
        rng r;
        rng_seed(&r, 99);
        double worst = 0;
        for (int k = 0; k < 50; k++) {
            double w = ls.view[0] + (ls.view[1] - ls.view[0]) * rng_uniform(&r);
            double b = ls.view[2] + (ls.view[3] - ls.view[2]) * rng_uniform(&r);
            double mse = 0;
            for (int i = 0; i < ds->n; i++) {
                double e = w * ds->a[i] + b * ds->b[i] - ds->t[i];
                mse += e * e;
            }
            mse /= ds->n;
            double f = expr_eval(ls.f, w, b);
            double rel = fabs(f - mse) / mse;
            if (rel > worst) worst = rel;
            CHECK(rel < 1e-12, "%s at (%g, %g): formula %.17g, MSE %.17g", specs[s], w, b, f, mse);
        }
        /* the fit is in the middle of the view and is the formula's minimum */
        double cx = 0.5 * (ls.view[0] + ls.view[1]), cy = 0.5 * (ls.view[2] + ls.view[3]);
        jet2 j = expr_jet(ls.f, cx, cy);
        CHECK(hypot(j.gx, j.gy) < 1e-9 * (1 + fabs(j.hxx) + fabs(j.hyy)), "%s: gradient %g %g at the view's centre",
              specs[s], j.gx, j.gy);
        landscape_free(&ls);
    }
    /* the linreg fit is near the generating line's (2, -1) */
    landscape ls;
    CHECK(landscape_load(&ls, "linreg:n=5000,noise=0.1", err, sizeof err) == 0, "%s", err);
    CHECK(fabs(0.5 * (ls.view[0] + ls.view[1]) - 2) < 0.02 && fabs(0.5 * (ls.view[2] + ls.view[3]) + 1) < 0.02,
          "fit (%g, %g)", 0.5 * (ls.view[0] + ls.view[1]), 0.5 * (ls.view[2] + ls.view[3]));
    landscape_free(&ls);
}

/* Every kind: the compiled full-batch and minibatch formulas agree with the C jets,
 * and a minibatch jet is the mean of its samples' jets. */
static void test_formulas_match_jets(void)
{
    static const char *specs[] = {"linreg", "linreg2", "linreg2:standardize=1", "logreg",
                                  "logreg:n=20,sep=5,seed=3", "sharp_flat_data", "sharp_flat_data:test=1",
                                  "sharp_flat_data:n=64,spread=0.3,width=0.1"};
    char err[512];
    for (size_t s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        landscape ls;
        int rc = landscape_load(&ls, specs[s], err, sizeof err);
        CHECK(rc == 0 && ls.data, "%s: %s", specs[s], err);
        if (rc != 0) continue;
        const dataset *ds = ls.data;
        int idx[5] = {ds->n - 1, 0, 3, 3, 1};   /* any indices, repeats allowed */
        expr *fb = compile_batch(&ls, idx, 5);
        rng r;
        rng_seed(&r, 5);
        for (int k = 0; k < 20 && fb; k++) {
            double x = ls.view[0] + (ls.view[1] - ls.view[0]) * rng_uniform(&r);
            double y = ls.view[2] + (ls.view[3] - ls.view[2]) * rng_uniform(&r);
            if (k == 0) { x = 0; y = 0; }     /* logistic: every sample at its kink-free tie */
            struct { expr *f; const int *idx; int m; } forms[] = {{ls.f, NULL, 0}, {fb, idx, 5}};
            for (int q = 0; q < 2; q++) {
                jet2 je = expr_jet(forms[q].f, x, y);
                jet2 jc = dataset_batch_jet(ds, forms[q].idx, forms[q].m, x, y);
                double scale = 1 + fabs(jc.v);
                double hs = 1 + fabs(jc.hxx) + fabs(jc.hyy) + fabs(jc.hxy);
                double gs = 1 + fabs(jc.gx) + fabs(jc.gy);
                CHECK_NEAR(je.v, jc.v, 1e-12, 1e-12 * scale, "%s %s value at (%g, %g)", specs[s],
                           q ? "batch" : "full", x, y);
                CHECK_NEAR(je.gx, jc.gx, 0, 1e-11 * gs * scale, "%s %s gx", specs[s], q ? "batch" : "full");
                CHECK_NEAR(je.gy, jc.gy, 0, 1e-11 * gs * scale, "%s %s gy", specs[s], q ? "batch" : "full");
                CHECK_NEAR(je.hxx, jc.hxx, 0, 1e-10 * hs, "%s %s hxx", specs[s], q ? "batch" : "full");
                CHECK_NEAR(je.hxy, jc.hxy, 0, 1e-10 * hs, "%s %s hxy", specs[s], q ? "batch" : "full");
                CHECK_NEAR(je.hyy, jc.hyy, 0, 1e-10 * hs, "%s %s hyy", specs[s], q ? "batch" : "full");
            }
            /* the minibatch jet is the mean of the per-sample jets */
            jet2 mean = {0, 0, 0, 0, 0, 0};
            for (int i = 0; i < 5; i++) {
                jet2 j = dataset_sample_jet(ds, idx[i], x, y);
                mean.v += j.v / 5;
                mean.gx += j.gx / 5;
                mean.gy += j.gy / 5;
            }
            jet2 jb = dataset_batch_jet(ds, idx, 5, x, y);
            CHECK_NEAR(jb.gx, mean.gx, 1e-13, 1e-13, "%s: batch gx is the mean", specs[s]);
            CHECK_NEAR(jb.gy, mean.gy, 1e-13, 1e-13, "%s: batch gy is the mean", specs[s]);
            CHECK_NEAR(jb.v, mean.v, 1e-13, 1e-13, "%s: batch loss is the mean", specs[s]);
        }
        expr_destroy(fb);
        /* bad requests */
        int bad[1] = {ds->n};
        CHECK(landscape_batch_expr(&ls, bad, 1, NULL, 0) == -1, "%s: index n refused", specs[s]);
        CHECK(landscape_batch_expr(&ls, idx, 0, NULL, 0) == -1, "%s: empty batch refused", specs[s]);
        landscape_free(&ls);
    }
    landscape ls;
    CHECK(landscape_load(&ls, "rosenbrock", err, sizeof err) == 0, "%s", err);
    int one = 0;
    CHECK(ls.data == NULL && landscape_batch_expr(&ls, &one, 1, NULL, 0) == -1, "no data, no batch formula");
    landscape_free(&ls);
}

/* ---- normalization ------------------------------------------------------------------ */

static double quad_condition(const dataset_quad *q)
{
    /* eigenvalues of [[A, B], [B, C]] */
    double m = 0.5 * (q->A + q->C), d = sqrt(0.25 * (q->A - q->C) * (q->A - q->C) + q->B * q->B);
    return (m + d) / (m - d);
}

static void test_standardize(void)
{
    char err[512];
    landscape raw, std;
    CHECK(landscape_load(&raw, "linreg2:scale1=1,scale2=10,standardize=0", err, sizeof err) == 0, "%s", err);
    CHECK(landscape_load(&std, "linreg2:scale1=1,scale2=10,standardize=1", err, sizeof err) == 0, "%s", err);
    if (!raw.data || !std.data) return;
    const dataset *ds = std.data;
    double *cols[2] = {ds->a, ds->b};
    for (int c = 0; c < 2; c++) {
        double mean = 0, var = 0;
        for (int i = 0; i < ds->n; i++) mean += cols[c][i];
        mean /= ds->n;
        for (int i = 0; i < ds->n; i++) var += (cols[c][i] - mean) * (cols[c][i] - mean);
        var /= ds->n;
        CHECK_NEAR(mean, 0, 0, 1e-14, "standardized feature %d mean", c + 1);
        CHECK_NEAR(var, 1, 1e-13, 0, "standardized feature %d variance", c + 1);
    }
    dataset_quad qr, qs;
    CHECK(dataset_quadratic(raw.data, NULL, 0, &qr) == 0 && dataset_quadratic(ds, NULL, 0, &qs) == 0, "quadratic");
    double kr = quad_condition(&qr), ks = quad_condition(&qs);
    CHECK(kr > 50, "raw condition number %g", kr);
    CHECK(ks < 2, "standardized condition number %g", ks);
    /* the same from the compiled formula's Hessian */
    jet2 j = expr_jet(raw.f, 0.3, -0.2);
    double m = 0.5 * (j.hxx + j.hyy), d = sqrt(0.25 * (j.hxx - j.hyy) * (j.hxx - j.hyy) + j.hxy * j.hxy);
    CHECK_NEAR((m + d) / (m - d), kr, 1e-9, 0, "condition from the formula's Hessian");
    /* the same model: the standardized fit predicts as well as the raw one (with the
     * targets centred along with the features; the features are nearly centred) */
    double lr = expr_eval(raw.f, 0.5 * (raw.view[0] + raw.view[1]), 0.5 * (raw.view[2] + raw.view[3]));
    double ls_ = expr_eval(std.f, 0.5 * (std.view[0] + std.view[1]), 0.5 * (std.view[2] + std.view[3]));
    CHECK(fabs(lr - ls_) < 0.1 * lr, "minimum MSE raw %g, standardized %g", lr, ls_);
    landscape_free(&raw);
    landscape_free(&std);
}

/* ---- logistic ------------------------------------------------------------------------ */

static void test_logreg(void)
{
    char err[512];
    landscape ls;
    CHECK(landscape_load(&ls, "logreg:n=64,sep=2,seed=1", err, sizeof err) == 0, "%s", err);
    if (!ls.data) return;
    const dataset *ds = ls.data;
    CHECK(ds->n == 64 && ds->loss == DATASET_LOGISTIC, "logreg data");
    int plus = 0;
    for (int i = 0; i < ds->n; i++) plus += ds->t[i] > 0;
    CHECK(plus == 32, "balanced labels: %d", plus);
    /* the loss is the textbook mean log(1 + exp(-y w.x)) where that does not overflow */
    double w[2] = {0.7, -0.4};
    double direct = 0;
    for (int i = 0; i < ds->n; i++) direct += log(1 + exp(-ds->t[i] * (w[0] * ds->a[i] + w[1] * ds->b[i])));
    direct /= ds->n;
    CHECK_NEAR(expr_eval(ls.f, w[0], w[1]), direct, 1e-13, 0, "formula = mean log(1+exp(-y w.x))");
    /* finite and sensible far away, where exp(-y w.x) alone overflows */
    static const double far[][2] = {{1e3, -1e3}, {-800, 900}, {1e6, 1e6}, {0, 0}};
    for (size_t k = 0; k < sizeof far / sizeof far[0]; k++) {
        jet2 j = expr_jet(ls.f, far[k][0], far[k][1]);
        CHECK(isfinite(j.v) && isfinite(j.gx) && isfinite(j.gy) && isfinite(j.hxx) && isfinite(j.hxy) &&
              isfinite(j.hyy), "logreg at (%g, %g): %g %g %g", far[k][0], far[k][1], j.v, j.gx, j.gy);
        jet2 c = dataset_batch_jet(ds, NULL, 0, far[k][0], far[k][1]);
        CHECK_NEAR(j.v, c.v, 1e-12, 1e-12, "far value");
    }
    CHECK_NEAR(expr_eval(ls.f, 0, 0), log(2.0), 1e-15, 0, "loss at w = 0 is log 2");
    /* the gradient matches central differences of the loss (formula and C alike) */
    static const double pts[][2] = {{0.5, 0.5}, {-1.2, 2.0}, {2.5, -0.7}, {0, 0}};
    for (size_t k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        double x = pts[k][0], y = pts[k][1], h = 1e-6;
        double fdx = (expr_eval(ls.f, x + h, y) - expr_eval(ls.f, x - h, y)) / (2 * h);
        double fdy = (expr_eval(ls.f, x, y + h) - expr_eval(ls.f, x, y - h)) / (2 * h);
        jet2 j = expr_jet(ls.f, x, y);
        CHECK_NEAR(j.gx, fdx, 1e-7, 1e-8, "logreg gx at (%g, %g)", x, y);
        CHECK_NEAR(j.gy, fdy, 1e-7, 1e-8, "logreg gy at (%g, %g)", x, y);
        jet2 gpx = expr_jet(ls.f, x + h, y), gmx = expr_jet(ls.f, x - h, y);
        CHECK_NEAR(j.hxx, (gpx.gx - gmx.gx) / (2 * h), 1e-6, 1e-8, "logreg hxx at (%g, %g)", x, y);
        CHECK_NEAR(j.hxy, (gpx.gy - gmx.gy) / (2 * h), 1e-6, 1e-8, "logreg hxy at (%g, %g)", x, y);
        for (int i = 0; i < ds->n; i += 13) {
            double sx = (dataset_sample_jet(ds, i, x + h, y).v - dataset_sample_jet(ds, i, x - h, y).v) / (2 * h);
            CHECK_NEAR(dataset_sample_jet(ds, i, x, y).gx, sx, 1e-7, 1e-8, "sample %d gx", i);
        }
    }
    /* convex with one minimum in the view */
    landscape_free(&ls);
}

/* ---- sharp/flat train and test ----------------------------------------------------------- */

static void test_sharp_flat_data(void)
{
    char err[512];
    landscape tr, te;
    CHECK(landscape_load(&tr, "sharp_flat_data", err, sizeof err) == 0, "%s", err);
    CHECK(landscape_load(&te, "sharp_flat_data:test=1,shift=0.3", err, sizeof err) == 0, "%s", err);
    if (!tr.data || !te.data) return;
    rng r;
    rng_seed(&r, 3);
    for (int k = 0; k < 30; k++) {
        double x = -3 + 6 * rng_uniform(&r), y = -2.5 + 5 * rng_uniform(&r);
        CHECK_NEAR(expr_eval(te.f, x, y), expr_eval(tr.f, x - 0.3, y - 0.3), 1e-12, 1e-14,
                   "test loss = training loss moved by 0.3 at (%g, %g)", x, y);
    }
    /* both minima kept: the sharp one a bit lower in training, much sharper, and
     * worse on the test set */
    flatness_minima m;
    CHECK(flatness_find_minima(tr.f, tr.view, &m, err, sizeof err) == 0, "%s", err);
    const crit_point *fm = &m.min[m.flat], *sm = &m.min[m.sharp];
    CHECK(m.nmin == 2, "two minima, got %d", m.nmin);
    CHECK(fm->x < 0 && sm->x > 0, "flat at (%g, %g), sharp at (%g, %g)", fm->x, fm->y, sm->x, sm->y);
    CHECK(sm->f < fm->f, "sharp %g lower than flat %g in training", sm->f, fm->f);
    CHECK(sm->l1 > 10 * fm->l2, "sharp curvature %g vs flat %g", sm->l1, fm->l2);
    double ts = expr_eval(te.f, sm->x, sm->y), tf = expr_eval(te.f, fm->x, fm->y);
    CHECK(ts - sm->f > 5 * (tf - fm->f), "test loss rises %g at sharp, %g at flat", ts - sm->f, tf - fm->f);
    /* whole parameters round, and the label says what was used */
    landscape rnd;
    CHECK(landscape_load(&rnd, "sharp_flat_data:n=37.4", err, sizeof err) == 0, "%s", err);
    CHECK(rnd.data && rnd.data->n == 37 && strstr(rnd.label, "n=37,") != NULL, "n rounded: %s", rnd.label);
    landscape_free(&rnd);
    landscape_free(&tr);
    landscape_free(&te);
}

/* ---- runners ------------------------------------------------------------------------------ */

static runner_desc sgd_desc(double lr, const landscape *ls)
{
    runner_desc d;
    memset(&d, 0, sizeof d);
    d.opt = optim_defaults(OPTIM_SGD);
    d.opt.lr = lr;
    d.sched = sched_defaults(SCHED_CONSTANT);
    d.start[0] = ls->start[0];
    d.start[1] = ls->start[1];
    d.seed = 11;
    d.trail_cap = 8;
    return d;
}

static void test_runner_batches(void)
{
    char err[512];
    landscape ls;
    CHECK(landscape_load(&ls, "linreg", err, sizeof err) == 0, "%s", err);
    if (!ls.data) return;
    /* data attached but batch 0: the very same path as without data */
    runner a, b;
    runner_desc da = sgd_desc(0.05, &ls), db = da;
    db.data = ls.data;
    db.shuffle = 1;
    da.noise = db.noise = 0.3;
    CHECK(runner_init(&a, &da, ls.f) == 0 && runner_init(&b, &db, ls.f) == 0, "init");
    CHECK(!runner_uses_batches(&b), "batch 0 takes the full loss");
    for (int s = 0; s < 200; s++) {
        runner_step(&a, ls.f);
        runner_step(&b, ls.f);
    }
    CHECK(memcmp(a.p, b.p, sizeof a.p) == 0 && a.j.v == b.j.v, "batch 0 bit-identical: %.17g vs %.17g",
          a.p[0], b.p[0]);
    runner_free(&a);
    runner_free(&b);

    /* batch B: each update's gradient is the minibatch's, from the sampler's order */
    runner_desc dm = sgd_desc(0.05, &ls);
    dm.data = ls.data;
    dm.batch = 8;
    dm.shuffle = 1;
    runner r;
    CHECK(runner_init(&r, &dm, ls.f) == 0, "init");
    batch_sampler s = {0};
    CHECK(batch_sampler_setup(&s, ls.data->n, 8, 1, dm.seed) == 0, "sampler");
    int seen_small = 0;
    for (int k = 0; k < 40; k++) {
        double p[2] = {r.p[0], r.p[1]};
        int m;
        const int *idx = batch_sampler_next(&s, &m);
        jet2 jb = dataset_batch_jet(ls.data, idx, m, p[0], p[1]);
        runner_step(&r, ls.f);
        CHECK(r.batch_len == m && memcmp(r.batch_idx, idx, (size_t)m * sizeof *idx) == 0,
              "step %d: the runner's batch is the sampler's", k);
        CHECK(r.last_g[0] == jb.gx && r.last_g[1] == jb.gy, "step %d: minibatch gradient", k);
        CHECK(r.p[0] == fma(-0.05, jb.gx, p[0]) && r.p[1] == fma(-0.05, jb.gy, p[1]), "step %d: SGD step", k);
        /* the runner's loss is the full loss, not the batch's */
        CHECK_NEAR(r.j.v, expr_eval(ls.f, r.p[0], r.p[1]), 1e-14, 0, "step %d: full loss shown", k);
        if (m < 8) seen_small = 1;
    }
    CHECK(seen_small, "100 samples in batches of 8: a batch of 4 ends each epoch");
    /* reset replays the same batches */
    double p40[2] = {r.p[0], r.p[1]};
    runner_reset(&r, ls.f);
    for (int k = 0; k < 40; k++) runner_step(&r, ls.f);
    CHECK(r.p[0] == p40[0] && r.p[1] == p40[1], "reset replays exactly");
    /* quick stepping goes the same way */
    runner_reset(&r, ls.f);
    for (int k = 0; k < 40; k++) runner_step_quick(&r, ls.f);
    runner_settle(&r, ls.f);
    CHECK(r.p[0] == p40[0] && r.p[1] == p40[1], "quick stepping: same path");
    CHECK_NEAR(r.j.v, expr_eval(ls.f, r.p[0], r.p[1]), 1e-14, 0, "settled: the loss at the end");
    runner_free(&r);
    batch_sampler_free(&s);

    /* a batch of all samples is the full gradient (to rounding) */
    dm.batch = ls.data->n;
    CHECK(runner_init(&r, &dm, ls.f) == 0, "init");
    runner_step(&r, ls.f);
    runner_desc df = sgd_desc(0.05, &ls);
    CHECK(runner_init(&a, &df, ls.f) == 0, "init");
    runner_step(&a, ls.f);
    CHECK_NEAR(r.p[0], a.p[0], 1e-13, 1e-13, "full batch x");
    CHECK_NEAR(r.p[1], a.p[1], 1e-13, 1e-13, "full batch y");
    runner_free(&r);
    runner_free(&a);
    landscape_free(&ls);
}

/* ---- flatness ------------------------------------------------------------------------------ */

static void test_flatness(void)
{
    char err[512];
    landscape ls;
    CHECK(landscape_load(&ls, "sharp_flat_data", err, sizeof err) == 0, "%s", err);
    if (!ls.data) return;
    flatness_minima m;
    CHECK(flatness_find_minima(ls.f, ls.view, &m, err, sizeof err) == 0, "%s", err);
    flatness_desc d;
    memset(&d, 0, sizeof d);
    d.run = sgd_desc(0.1, &ls);
    d.run.data = ls.data;
    d.run.shuffle = 1;
    d.steps = 1500;
    d.runs = 40;
    d.seed = 0;
    d.test_shift[0] = d.test_shift[1] = 0.25;
    flatness_row r1, r1b, r32, r1c;
    CHECK(flatness_measure(ls.f, &d, 1, &m, &r1) == 0, "measure");
    CHECK(flatness_measure(ls.f, &d, 1, &m, &r1b) == 0, "measure");
    CHECK(flatness_measure(ls.f, &d, 32, &m, &r32) == 0, "measure");
    CHECK(memcmp(&r1, &r1b, sizeof r1) == 0, "deterministic per seed");
    CHECK(r1.runs == 40 && r1.flat + r1.sharp + r1.other + r1.diverged == 40, "counts add up");
    CHECK(r1.flat >= 36, "batch 1: %d of 40 flat", r1.flat);
    CHECK(r32.sharp == 40, "full batch: %d of 40 sharp", r32.sharp);
    CHECK(r1.test_loss < r32.test_loss, "test loss batch 1 %g < full %g", r1.test_loss, r32.test_loss);
    d.seed = 12345;
    d.steps = 300;
    CHECK(flatness_measure(ls.f, &d, 2, &m, &r1b) == 0 && flatness_measure(ls.f, &d, 2, &m, &r1c) == 0, "measure");
    CHECK(memcmp(&r1b, &r1c, sizeof r1b) == 0, "another seed: deterministic too");
    landscape_free(&ls);

    /* no data: noise sigma/sqrt(B) on sharp_flat, deterministic too */
    CHECK(landscape_load(&ls, "sharp_flat", err, sizeof err) == 0, "%s", err);
    CHECK(flatness_find_minima(ls.f, ls.view, &m, err, sizeof err) == 0, "%s", err);
    memset(&d, 0, sizeof d);
    d.run = sgd_desc(0.07, &ls);
    d.steps = 1000;
    d.runs = 40;
    d.noise1 = 2;
    CHECK(flatness_measure(ls.f, &d, 1, &m, &r1) == 0 && flatness_measure(ls.f, &d, 1, &m, &r1b) == 0 &&
          flatness_measure(ls.f, &d, 0, &m, &r32) == 0, "measure");
    CHECK(memcmp(&r1, &r1b, sizeof r1) == 0, "no data: deterministic");
    CHECK(r1.flat > r32.flat && r32.sharp == 40, "no data: batch 1 %d flat, full batch %d sharp", r1.flat,
          r32.sharp);
    landscape_free(&ls);
    /* one minimum: refused with a reason */
    CHECK(landscape_load(&ls, "booth", err, sizeof err) == 0, "%s", err);
    err[0] = 0;
    CHECK(flatness_find_minima(ls.f, ls.view, &m, err, sizeof err) == -1 && strstr(err, "two"), "one minimum: %s", err);
    landscape_free(&ls);
}

int main(void)
{
    test_sampler();
    test_linreg_formula();
    test_formulas_match_jets();
    test_standardize();
    test_logreg();
    test_sharp_flat_data();
    test_runner_batches();
    test_flatness();
    return check_done("dataset");
}
