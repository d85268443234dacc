/* test_optim: the optimizers. Trajectories replayed against torch.optim bit for bit
 * (tests/torch_ref_optim.h, from tools/torch_ref_optim.py), first steps worked out
 * by hand from the update formulas, invariants between optimizers, the Newton-type
 * and saddle-escape rules, parsing with its messages, and formatting round trips. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/spec.h"
#include "core/optim.h"
#include "torch_ref_optim.h"

/* Gradients, written exactly as in tools/torch_ref_optim.py (same operations in the
 * same order) so that torch and optim.c see the same bits. */
#define QA 10.0
#define QB 3.0
#define QC 2.0
static void grad_fn(int fn, double x, double y, double g[2])
{
    if (fn == 0) {
        double t = y - x * x;
        g[0] = -2.0 * (1.0 - x) - 400.0 * x * t;
        g[1] = 200.0 * t;
    } else {
        g[0] = QA * x + QB * y;
        g[1] = QB * x + QC * y;
    }
}


/* Equal as bits would be (NaN matches NaN; +0 and -0 are the same point). */
static int same(double a, double b)
{
    return a == b || (a != a && b != b);
}

/* Exactly what torch gives, on this and every other machine (see optim.c on FMA). */
#define TORCH_MAX_ULP 0

static void test_torch_reference(void)
{
    size_t ci;
    uint64_t worst = 0;
    const char *worst_spec = "";
    for (ci = 0; ci < sizeof torch_ref_cases / sizeof torch_ref_cases[0]; ci++) {
        const torch_ref_case *tc = &torch_ref_cases[ci];
        optim_desc d;
        optim_clock clk, clk2;
        optim_state st, st2;
        char err[256];
        double p[2], q[2], lr;
        uint64_t case_worst = 0;
        int k, first_bad = -1;

        CHECK(optim_parse(tc->spec, &d, err, sizeof err) == 0, "parse '%s': %s", tc->spec, err);
        optim_clock_init(&d, &clk);
        optim_clock_init(&d, &clk2);
        optim_state_init(&d, &st);
        optim_state_init(&d, &st2);
        p[0] = q[0] = tc->traj[0][0];
        p[1] = q[1] = tc->traj[0][1];
        lr = d.lr;
        for (k = 0; k < tc->steps; k++) {
            double g[2], gq[2];
            int i;
            grad_fn(tc->fn, p[0], p[1], g);
            optim_clock_tick(&d, &clk, lr);
            optim_update(&d, &clk, &st, p, g, NULL);
            /* the swarm entry point, always on the scalar code, must agree too */
            grad_fn(tc->fn, q[0], q[1], gq);
            optim_clock_tick(&d, &clk2, lr);
            optim_update_many(&d, &clk2, &st2, &q[0], &q[1], &gq[0], &gq[1], 1);
            lr = lr * tc->lr_gamma;     /* torch: group['lr'] * gamma */
            for (i = 0; i < 2; i++) {
                uint64_t u = ulp_diff(p[i], tc->traj[k + 1][i]);
                if (u > case_worst) case_worst = u;
                if (u > TORCH_MAX_ULP && first_bad < 0) first_bad = k;
                CHECK(same(p[i], q[i]), "%s: step %d coord %d: optim_update %.17g, "
                      "optim_update_many %.17g", tc->spec, k + 1, i, p[i], q[i]);
            }
        }
        CHECK(case_worst <= TORCH_MAX_ULP, "%s (fn %d, lr x %g): %llu ulp from torch, first at step %d",
              tc->spec, tc->fn, tc->lr_gamma, (unsigned long long)case_worst, first_bad + 1);
        if (case_worst > worst) {
            worst = case_worst;
            worst_spec = tc->spec;
        }
    }
    printf("torch reference: %zu trajectories, max difference %llu ulp%s%s\n",
           sizeof torch_ref_cases / sizeof torch_ref_cases[0], (unsigned long long)worst,
           worst ? " in " : "", worst_spec);
}

/* ------------------------------------------------------------------------------ */
/* First steps from the formulas. Each case runs `steps` updates with a constant
 * gradient g (and Hessian h when given) from p0 and compares with a value derived
 * by hand from the update rule (derivation in the comment). Tolerances are relative:
 * the derivations reorder the arithmetic, so a few ulps are expected. */
typedef struct first_case {
    const char *spec;
    int steps;
    double p0[2], g[2], h[3];
    double expect[2];
    double rel;
    const char *why;
} first_case;


static void test_first_steps(void)
{
    /* automatic storage: the expected values use sqrt, not a constant expression */
    const first_case first_cases[] = {
        {"sgd:lr=0.1", 1, {1, 2}, {0.5, -1}, {0}, {0.95, 2.1}, 1e-15, "p - lr g"},
        {"sgd:lr=0.1,momentum=0.9", 2, {1, 2}, {0.5, -1}, {0},
         {1 - 0.1 * 0.5 - 0.1 * 1.9 * 0.5, 2 + 0.1 + 0.1 * 1.9}, 1e-15,
         "b1 = g, b2 = 0.9 g + g = 1.9 g"},
        {"sgd:lr=0.1,momentum=0.9,dampening=0.5", 2, {1, 2}, {0.5, -1}, {0},
         {1 - 0.1 * 0.5 - 0.1 * 1.4 * 0.5, 2 + 0.1 + 0.1 * 1.4}, 1e-15,
         "torch does not dampen the first step: b1 = g, b2 = 0.9 g + 0.5 g"},
        {"sgd:lr=0.1,momentum=0.9,nesterov=1", 1, {1, 2}, {0.5, -1}, {0},
         {1 - 0.1 * 1.9 * 0.5, 2 + 0.1 * 1.9}, 1e-15, "b = g, step along g + 0.9 b"},
        {"sgd:lr=0.1,weight_decay=0.5", 1, {1, 2}, {0.5, -1}, {0},
         {1 - 0.1 * (0.5 + 0.5 * 1), 2 - 0.1 * (-1 + 0.5 * 2)}, 1e-15, "g + wd p"},
        {"adagrad:lr=0.1", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.1 * 0.5 / (0.5 + 1e-10), 2 + 0.1 * 4 / (4 + 1e-10)}, 1e-15, "s = g^2"},
        {"adagrad:lr=0.1", 3, {1, 2}, {0.5, -4}, {0},
         {1 - 0.1 * (1 + 1 / sqrt(2.0) + 1 / sqrt(3.0)), 2 + 0.1 * (1 + 1 / sqrt(2.0) + 1 / sqrt(3.0))},
         1e-9, "s_k = k g^2: steps lr/sqrt(k)"},
        {"adagrad:lr=0.1,initial_accumulator_value=1", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.1 * 0.5 / sqrt(1.25), 2 + 0.1 * 4 / sqrt(17.0)}, 1e-9, "s = 1 + g^2"},
        {"adagrad:lr=0.1,lr_decay=0.5", 2, {1, 2}, {0.5, -4}, {0},
         {1 - 0.1 - 0.1 / 1.5 / sqrt(2.0), 2 + 0.1 + 0.1 / 1.5 / sqrt(2.0)}, 1e-9,
         "clr_2 = lr / (1 + lr_decay)"},
        {"adagrad:lr=0.1,mode=mean", 3, {1, 2}, {0.5, -4}, {0},
         {1 - 0.3, 2 + 0.3}, 1e-9, "constant g: sigma = |g| every step"},
        {"rmsprop:lr=0.01", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.01 * 0.5 / (0.1 * 0.5 + 1e-8), 2 + 0.01 * 4 / (0.1 * 4 + 1e-8)}, 1e-9,
         "v = 0.01 g^2"},
        {"rmsprop:lr=0.01,centered=1", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.01 * 0.5 / (sqrt(0.0099) * 0.5 + 1e-8), 2 + 0.01 * 4 / (sqrt(0.0099) * 4 + 1e-8)},
         1e-9, "v - m^2 = 0.01 g^2 - 0.0001 g^2"},
        {"rmsprop:lr=0.01,momentum=0.5", 2, {1, 2}, {0.5, -4}, {0},
         {1 - 0.01 * (1.5 * (0.5 / (0.05 + 1e-8)) + 0.5 / (sqrt(0.0199) * 0.5 + 1e-8)),
          2 - 0.01 * (1.5 * (-4 / (0.4 + 1e-8)) + -4 / (sqrt(0.0199) * 4 + 1e-8))}, 1e-9,
         "b1 = g / avg1, b2 = 0.5 b1 + g / avg2, v2 = 0.0199 g^2"},
        {"adam:lr=0.01", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.01 * 0.5 / (0.5 + 1e-8), 2 + 0.01 * 4 / (4 + 1e-8)}, 1e-9,
         "m_hat = g, v_hat = g^2: a step of lr sign(g)"},
        {"adam:lr=0.01", 5, {1, 2}, {0.5, -4}, {0},
         {1 - 0.05, 2 + 0.05}, 1e-7, "constant g: every step lr sign(g)"},
        {"adam:lr=0.01,bias_correction=0", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.01 * 0.05 / (sqrt(0.001) * 0.5 + 1e-8), 2 + 0.01 * 0.4 / (sqrt(0.001) * 4 + 1e-8)},
         1e-9, "m = 0.1 g, v = 0.001 g^2 uncorrected: a step of lr 0.1/sqrt(0.001) = 3.16 lr"},
        {"adam:lr=0.01,weight_decay=0.5", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.01, 2 + 0.01}, 1e-7, "g + wd p = (1, -3): still lr sign"},
        {"adamw:lr=0.01", 1, {1, 2}, {0.5, -4}, {0},
         {1 * (1 - 0.01 * 0.01) - 0.01, 2 * (1 - 0.01 * 0.01) + 0.01}, 1e-7,
         "p (1 - lr wd), then the Adam step"},
        {"adamax:lr=0.01", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.01 * 0.5 / (0.5 + 1e-8), 2 + 0.01 * 4 / (4 + 1e-8)}, 1e-9,
         "m/(1-beta1) = g, u = |g| + eps"},
        {"radam:lr=0.01", 1, {1, 2}, {0.5, -4}, {0},
         {1 - 0.01 * 0.5, 2 + 0.01 * 4}, 1e-12, "rho_1 = 1 < 5: plain momentum step lr m_hat = lr g"},
        {"adadelta:lr=1", 1, {1, 2}, {0.5, -4}, {0},
         {1 - sqrt(1e-6) / sqrt(0.1 * 0.25 + 1e-6) * 0.5, 2 + sqrt(1e-6) / sqrt(0.1 * 16 + 1e-6) * 4},
         1e-9, "delta = sqrt(eps) / sqrt(0.1 g^2 + eps) g"},
        /* Newton on the quadratic 0.5 p^T H p, H = [[10,3],[3,2]], g = H p: one full
         * step lands on the minimum */
        {"newton", 1, {3, -2}, {QA * 3 + QB * -2, QB * 3 + QC * -2}, {QA, QB, QC}, {0, 0}, 0,
         "x - H^-1 H x = 0 (checked with an absolute 1e-14)"},
        /* on the saddle x^2 - y^2 Newton goes straight to the saddle: the lecture's
         * reason for looking at the Hessian's eigenvalues */
        {"newton", 1, {0.5, 0.25}, {1.0, -0.5}, {2, 0, -2}, {0, 0}, 0, "lands on the saddle"},
        {"newton:damping=1", 1, {0.5, 0.25}, {1.0, -0.5}, {2, 0, -2},
         {0.5 - 1.0 / 3.0, 0.25 - -0.5 / -1.0}, 1e-15, "(H + I)^-1 g = (1/3, 0.5)"},
        {"newton:lr=0.5", 1, {1, 2}, {0.5, -4}, {1, 1, 1}, {1 - 0.25, 2 + 2}, 1e-15,
         "singular H: the gradient step p - lr g"},
        {"sfn", 1, {0.5, 0.25}, {1.0, -0.5}, {2, 0, -2}, {0, 0.5}, 1e-15,
         "|H| = 2 I: x goes to 0, y is pushed away from the saddle to 2y"},
        {"sfn:damping=0.001", 1, {1, 2}, {1e-3, 0.5}, {1e-6, 0, 1}, {1 - 1, 2 - 0.5}, 1e-12,
         "|lambda| = 1e-6 floored at 1e-3"},
        {"sfn:damping=0", 1, {1, 2}, {0.5, 0.5}, {0, 0, 1}, {1 - 0.5, 2 - 0.5}, 1e-15,
         "lambda = 0, no floor: the gradient component as it is"},
        {"escape", 1, {0, 0}, {0, 0}, {2, 0, -2}, {0, 0.1}, 1e-15,
         "g = 0 at the saddle: step 0.1 along (0, 1), canonical sign"},
        {"escape", 1, {0, 0}, {0, 1e-4}, {2, 0, -2}, {0, -0.1}, 1e-15,
         "u . g > 0: the sign is flipped so the step goes downhill"},
        {"escape:escape_step=0.5", 1, {0, 0}, {0, -1e-4}, {2, 0, -2}, {0, 0.5}, 1e-15,
         "u . g < 0: u kept"},
        {"escape:lr=0.1", 1, {1, 1}, {0.5, 0.5}, {2, 0, -2}, {0.95, 0.95}, 1e-15,
         "|g| >= tol: plain gradient descent"},
        {"escape:lr=0.1", 1, {1, 1}, {1e-4, 1e-4}, {2, 0, 1}, {1 - 1e-5, 1 - 1e-5}, 1e-15,
         "small g at a minimum (no negative eigenvalue): gradient descent"},
        {"escape:tol=0.01", 1, {0, 0}, {1e-3, 0}, {-1, 1, -1}, {-0.1 / sqrt(2.0), 0.1 / sqrt(2.0)}, 1e-15,
         "lambda_min = -2 along u = (1,-1)/sqrt2; u . g > 0, so the step is along -u"},
    };

    size_t ci;
    for (ci = 0; ci < sizeof first_cases / sizeof first_cases[0]; ci++) {
        const first_case *fc = &first_cases[ci];
        optim_desc d;
        optim_clock clk;
        optim_state st;
        char err[256];
        double p[2];
        int k, i;
        if (optim_parse(fc->spec, &d, err, sizeof err) != 0) {
            CHECK(0, "parse '%s': %s", fc->spec, err);
            continue;
        }
        optim_clock_init(&d, &clk);
        optim_state_init(&d, &st);
        p[0] = fc->p0[0];
        p[1] = fc->p0[1];
        for (k = 0; k < fc->steps; k++) {
            optim_clock_tick(&d, &clk, d.lr);
            optim_update(&d, &clk, &st, p, fc->g, fc->h);
        }
        for (i = 0; i < 2; i++) {
            CHECK_NEAR(p[i], fc->expect[i], fc->rel, fc->rel == 0 ? 1e-14 : 0,
                       "%s, %d step(s), coord %d: %s", fc->spec, fc->steps, i, fc->why);
        }
    }
}

/* ------------------------------------------------------------------------------ */
/* Invariants                                                                      */

static void run_traj(const char *spec_text, int fn, int steps, double out[][2])
{
    optim_desc d;
    optim_clock clk;
    optim_state st;
    char err[256];
    double p[2] = {-1.5, 2.0};
    int k;
    if (optim_parse(spec_text, &d, err, sizeof err) != 0) {
        CHECK(0, "parse '%s': %s", spec_text, err);
        return;
    }
    optim_clock_init(&d, &clk);
    optim_state_init(&d, &st);
    for (k = 0; k < steps; k++) {
        double g[2];
        grad_fn(fn, p[0], p[1], g);
        optim_clock_tick(&d, &clk, d.lr);
        optim_update(&d, &clk, &st, p, g, NULL);
        out[k][0] = p[0];
        out[k][1] = p[1];
    }
}

static void check_same_traj(const char *a, const char *b, int fn)
{
    enum { N = 200 };
    static double ta[N][2], tb[N][2];
    int k, ok = 1;
    run_traj(a, fn, N, ta);
    run_traj(b, fn, N, tb);
    for (k = 0; k < N && ok; k++)
        if (!same(ta[k][0], tb[k][0]) || !same(ta[k][1], tb[k][1])) ok = 0;
    CHECK(ok, "'%s' and '%s' differ at step %d", a, b, k);
}

static void test_invariants(void)
{
    int k;
    /* dampening means nothing without momentum */
    check_same_traj("sgd:lr=0.0005", "sgd:lr=0.0005,momentum=0,dampening=0.7", 0);
    /* AdamW with no decay is Adam, bit for bit (p * 1 is p) */
    check_same_traj("adam:lr=0.01", "adamw:lr=0.01,weight_decay=0", 0);
    check_same_traj("adam:lr=0.01,amsgrad=1", "adamw:lr=0.01,weight_decay=0,amsgrad=1", 1);
    /* the default mode of adagrad is torch's sum */
    check_same_traj("adagrad:lr=0.3", "adagrad:lr=0.3,mode=sum", 0);

    /* SGD without momentum is gradient descent: p <- p - lr g (fused, like torch) */
    {
        optim_desc d = optim_defaults(OPTIM_SGD);
        optim_clock clk;
        optim_state st;
        double p[2] = {-1.5, 2.0}, ref[2] = {-1.5, 2.0};
        int ok = 1;
        d.lr = 5e-4;
        optim_clock_init(&d, &clk);
        optim_state_init(&d, &st);
        for (k = 0; k < 100; k++) {
            double g[2], gr[2];
            grad_fn(0, p[0], p[1], g);
            grad_fn(0, ref[0], ref[1], gr);
            optim_clock_tick(&d, &clk, d.lr);
            optim_update(&d, &clk, &st, p, g, NULL);
            ref[0] = fma(-d.lr, gr[0], ref[0]);
            ref[1] = fma(-d.lr, gr[1], ref[1]);
            if (p[0] != ref[0] || p[1] != ref[1]) ok = 0;
        }
        CHECK(ok, "sgd momentum=0 is p - lr g");
    }

    /* AMSGrad: v_max never decreases and bounds v; a gradient that shrinks makes v
     * fall, so the two really differ */
    {
        optim_desc d;
        optim_clock clk;
        optim_state st;
        char err[256];
        double p[2] = {1, 1}, prev[2] = {0, 0};
        int mono = 1, bound = 1, differs = 0;
        CHECK(optim_parse("adam:lr=0.01,amsgrad=1", &d, err, sizeof err) == 0, "%s", err);
        optim_clock_init(&d, &clk);
        optim_state_init(&d, &st);
        for (k = 0; k < 300; k++) {
            double s = k < 50 ? 10.0 : 0.1;
            double g[2] = {s * cos(k * 0.3), -s * sin(k * 0.2)};
            int i;
            optim_clock_tick(&d, &clk, d.lr);
            optim_update(&d, &clk, &st, p, g, NULL);
            for (i = 0; i < 2; i++) {
                if (st.c[i] < prev[i]) mono = 0;
                if (st.c[i] < st.b[i]) bound = 0;
                if (st.c[i] > st.b[i]) differs = 1;
                prev[i] = st.c[i];
            }
        }
        CHECK(mono, "amsgrad v_max is monotone");
        CHECK(bound, "amsgrad v_max >= v");
        CHECK(differs, "amsgrad v_max departs from v when gradients shrink");
    }

    /* the lecture's adagrad:mode=mean blows up in a flat region: with gradients
     * shrinking geometrically the step |dp| = lr |g| / sigma grows, while torch's sum
     * mode takes ever smaller steps */
    {
        optim_desc dm, ds;
        optim_clock cm, cs;
        optim_state sm, ss;
        char err[256];
        double pm[2] = {0, 0}, ps[2] = {0, 0}, last_m = 0, last_s = 0;
        CHECK(optim_parse("adagrad:lr=0.1,mode=mean", &dm, err, sizeof err) == 0, "%s", err);
        CHECK(optim_parse("adagrad:lr=0.1", &ds, err, sizeof err) == 0, "%s", err);
        optim_clock_init(&dm, &cm);
        optim_clock_init(&ds, &cs);
        optim_state_init(&dm, &sm);
        optim_state_init(&ds, &ss);
        for (k = 0; k < 60; k++) {
            double g[2] = {k < 10 ? 1.0 : 0.01, 0};
            double before_m = pm[0], before_s = ps[0];
            optim_clock_tick(&dm, &cm, dm.lr);
            optim_clock_tick(&ds, &cs, ds.lr);
            optim_update(&dm, &cm, &sm, pm, g, NULL);
            optim_update(&ds, &cs, &ss, ps, g, NULL);
            last_m = before_m - pm[0];
            last_s = before_s - ps[0];
        }
        /* step 60 with 10 gradients of 1 and 50 of 0.01: sigma = sqrt((10 + 50e-4)/60) */
        CHECK_NEAR(last_m, 0.1 * 0.01 / (sqrt((10 + 50e-4) / 60.0) + 1e-10), 1e-9, 0, "mean mode step");
        CHECK_NEAR(last_s, 0.1 * 0.01 / (sqrt(10 + 50e-4) + 1e-10), 1e-9, 0, "sum mode step");
        CHECK(last_m > 2 * last_s, "mean-mode steps are larger: %g vs %g", last_m, last_s);
    }

    /* NaN gradients propagate instead of being swallowed by max or fmax: the sim
     * must see the divergence */
    {
        static const char *const specs[] = {"adam:amsgrad=1", "adamax", "sgd:momentum=0.9",
                                            "rmsprop:centered=1", "adadelta", "nadam", "radam"};
        size_t i;
        for (i = 0; i < sizeof specs / sizeof specs[0]; i++) {
            optim_desc d;
            optim_clock clk;
            optim_state st;
            char err[256];
            double p[2] = {1, 1}, g[2] = {NAN, 1}, g2[2] = {1, 1};
            CHECK(optim_parse(specs[i], &d, err, sizeof err) == 0, "%s", err);
            optim_clock_init(&d, &clk);
            optim_state_init(&d, &st);
            optim_clock_tick(&d, &clk, d.lr);
            optim_update(&d, &clk, &st, p, g, NULL);
            optim_clock_tick(&d, &clk, d.lr);
            optim_update(&d, &clk, &st, p, g2, NULL);
            CHECK(isnan(p[0]), "%s: NaN gradient gives a NaN point (%g)", specs[i], p[0]);
            CHECK(isfinite(p[1]), "%s: the other coordinate is untouched (%g)", specs[i], p[1]);
        }
    }
}

/* optim_update (packed Adam path on FMA CPUs) and optim_update_many (portable
 * scalar path) agree bit for bit on random gradients, for every first-order kind
 * and a spread of settings. */
static void test_paths_agree(void)
{
    static const char *const specs[] = {
        "sgd", "sgd:momentum=0.9,nesterov=1,weight_decay=0.1", "adagrad:lr_decay=0.1,mode=mean",
        "rmsprop:centered=1,momentum=0.5", "adam", "adam:amsgrad=1,weight_decay=0.3",
        "adam:bias_correction=0", "adamw:amsgrad=1", "nadam:weight_decay=0.1", "radam",
        "adamax:weight_decay=0.1", "adadelta:weight_decay=0.1",
    };
    size_t s;
    uint64_t seed = 12345;
    for (s = 0; s < sizeof specs / sizeof specs[0]; s++) {
        enum { N = 64 };
        optim_desc d;
        optim_clock clk;
        optim_state a[N], b[N];
        double x[N], y[N], px[N], py[N], gx[N], gy[N];
        char err[256];
        int i, k, ok = 1;
        CHECK(optim_parse(specs[s], &d, err, sizeof err) == 0, "%s", err);
        optim_clock_init(&d, &clk);
        for (i = 0; i < N; i++) {
            optim_state_init(&d, &a[i]);
            optim_state_init(&d, &b[i]);
            x[i] = px[i] = i * 0.1 - 3;
            y[i] = py[i] = 2 - i * 0.05;
        }
        for (k = 0; k < 40; k++) {
            optim_clock_tick(&d, &clk, d.lr * (1 + 0.1 * k));
            for (i = 0; i < N; i++) {
                /* a cheap LCG: gradients spanning many magnitudes and both signs */
                double u, v;
                seed = seed * 6364136223846793005u + 1442695040888963407u;
                u = (double)(seed >> 11) * 0x1.0p-53;
                seed = seed * 6364136223846793005u + 1442695040888963407u;
                v = (double)(seed >> 11) * 0x1.0p-53;
                gx[i] = (u - 0.5) * pow(10.0, (double)(i % 9) - 4);
                gy[i] = (v - 0.5) * pow(10.0, 4 - (double)(i % 7));
            }
            optim_update_many(&d, &clk, a, x, y, gx, gy, N);
            for (i = 0; i < N; i++) {
                double p[2] = {px[i], py[i]}, g[2] = {gx[i], gy[i]};
                optim_update(&d, &clk, &b[i], p, g, NULL);
                px[i] = p[0];
                py[i] = p[1];
                if (!same(px[i], x[i]) || !same(py[i], y[i])) ok = 0;
            }
        }
        CHECK(ok, "%s: optim_update and optim_update_many agree", specs[s]);
    }
}

/* ------------------------------------------------------------------------------ */
/* Parsing                                                                         */

static void test_parse_good(void)
{
    optim_desc d;
    char err[256];
    int k;

    CHECK(optim_parse("adam", &d, err, sizeof err) == 0, "%s", err);
    CHECK(d.kind == OPTIM_ADAM && d.lr == 1e-3 && d.beta1 == 0.9 && d.beta2 == 0.999 &&
          d.eps == 1e-8 && d.weight_decay == 0 && !d.amsgrad && d.bias_correction, "adam defaults");
    CHECK(optim_parse("adamw", &d, err, sizeof err) == 0 && d.weight_decay == 1e-2 && d.lr == 1e-3,
          "adamw defaults");
    CHECK(optim_parse("sgd", &d, err, sizeof err) == 0 && d.lr == 1e-3 && d.momentum == 0 &&
          d.dampening == 0 && !d.nesterov, "sgd defaults");
    CHECK(optim_parse("adagrad", &d, err, sizeof err) == 0 && d.lr == 1e-2 && d.eps == 1e-10 &&
          d.lr_decay == 0 && d.initial_accumulator_value == 0 && !d.mode_mean, "adagrad defaults");
    CHECK(optim_parse("rmsprop", &d, err, sizeof err) == 0 && d.lr == 1e-2 && d.alpha == 0.99 &&
          d.eps == 1e-8 && !d.centered && d.momentum == 0, "rmsprop defaults");
    CHECK(optim_parse("nadam", &d, err, sizeof err) == 0 && d.lr == 2e-3 && d.momentum_decay == 4e-3,
          "nadam defaults");
    CHECK(optim_parse("radam", &d, err, sizeof err) == 0 && d.lr == 1e-3, "radam defaults");
    CHECK(optim_parse("adamax", &d, err, sizeof err) == 0 && d.lr == 2e-3, "adamax defaults");
    CHECK(optim_parse("adadelta", &d, err, sizeof err) == 0 && d.lr == 1.0 && d.rho == 0.9 &&
          d.eps == 1e-6, "adadelta defaults");
    CHECK(optim_parse("newton", &d, err, sizeof err) == 0 && d.lr == 1 && d.damping == 0, "newton");
    CHECK(optim_parse("sfn", &d, err, sizeof err) == 0 && d.lr == 1 && d.damping == 1e-3, "sfn");
    CHECK(optim_parse("escape", &d, err, sizeof err) == 0 && d.lr == 1e-3 && d.tol == 1e-3 &&
          d.escape_step == 0.1, "escape");

    CHECK(optim_parse("adam:lr=0.01,beta1=0.8,beta2=0.99,eps=1e-6,weight_decay=0.1,amsgrad=true",
                      &d, err, sizeof err) == 0, "%s", err);
    CHECK(d.lr == 0.01 && d.beta1 == 0.8 && d.beta2 == 0.99 && d.eps == 1e-6 &&
          d.weight_decay == 0.1 && d.amsgrad == 1, "adam keys");
    CHECK(optim_parse("sgd:lr=0.1,momentum=0.9,nesterov=1", &d, err, sizeof err) == 0, "%s", err);
    CHECK(d.nesterov == 1 && d.momentum == 0.9, "nesterov");
    CHECK(optim_parse("adam:bias_correction=0", &d, err, sizeof err) == 0 && !d.bias_correction,
          "bias_correction");
    CHECK(optim_parse("adagrad:mode=mean", &d, err, sizeof err) == 0 && d.mode_mean, "mode=mean");
    CHECK(optim_parse("adam:beta1=0,beta2=0", &d, err, sizeof err) == 0, "betas 0 allowed: %s", err);
    CHECK(optim_parse("adadelta:rho=1", &d, err, sizeof err) == 0, "rho 1 allowed (torch): %s", err);
    CHECK(optim_parse("rmsprop:alpha=2", &d, err, sizeof err) == 0, "torch checks alpha >= 0 only");
    CHECK(optim_parse("sgd:lr=0", &d, err, sizeof err) == 0, "lr 0 allowed: %s", err);
    CHECK(optim_parse("sgd:dampening=-0.5", &d, err, sizeof err) == 0, "dampening unchecked in torch");

    /* every kind: its info, its name round trip, and every key it lists accepted at
     * its default value */
    for (k = 0; k < OPTIM_COUNT; k++) {
        const optim_info *info = optim_info_of((optim_kind)k);
        optim_kind back;
        char spec_text[512], f[256];
        optim_desc def, got;
        CHECK(info && info->name && info->keys && info->summary && strlen(info->summary) > 10,
              "info of kind %d", k);
        if (!info) continue;
        CHECK(optim_kind_from_name(info->name, &back) == 0 && back == (optim_kind)k, "name %s", info->name);
        CHECK(info->needs_hessian == (k == OPTIM_NEWTON || k == OPTIM_SFN || k == OPTIM_ESCAPE),
              "%s needs_hessian", info->name);
        def = optim_defaults((optim_kind)k);
        optim_format(&def, f, sizeof f);
        CHECK(strcmp(f, info->name) == 0, "defaults format as the bare name: '%s'", f);
        /* name:key=1,key=1,... with booleans and numbers alike: 1 is valid for all
         * but mode (given as sum) and the betas (0.5) */
        {
            const char *kp = info->keys;
            size_t o = (size_t)snprintf(spec_text, sizeof spec_text, "%s:", info->name);
            while (*kp) {
                size_t n = strcspn(kp, ",");
                const char *val = "1";
                if (n == 4 && strncmp(kp, "mode", 4) == 0) val = "sum";
                if (n == 5 && strncmp(kp, "beta", 4) == 0) val = "0.5";
                if (n == 8 && strncmp(kp, "nesterov", 8) == 0) val = "0";
                if (n == 9 && strncmp(kp, "dampening", 9) == 0) val = "0";
                o += (size_t)snprintf(spec_text + o, sizeof spec_text - o, "%s%.*s=%s",
                                      kp == info->keys ? "" : ",", (int)n, kp, val);
                kp += n;
                if (*kp == ',') kp++;
            }
        }
        CHECK(optim_parse(spec_text, &got, err, sizeof err) == 0, "all keys of %s: %s (%s)", info->name,
              spec_text, err);
    }
    CHECK(optim_info_of(OPTIM_COUNT) == NULL, "no info past the end");
    CHECK(optim_kind_from_name("Adam", &(optim_kind){0}) == -1, "names are lower case");
}

typedef struct bad_spec {
    const char *spec;
    const char *fragment;
} bad_spec;

static const bad_spec bad_specs[] = {
    {"adam:lr=abc", "optimizer 'adam:lr=abc': lr: expected a number, got 'abc'"},
    {"adam:foo=1", "optimizer 'adam:foo=1': unknown key 'foo' (adam takes lr, beta1, beta2, eps, "
                   "weight_decay, amsgrad, bias_correction)"},
    {"adam:lr=1,lr=2", "duplicate key 'lr'"},
    {"adam:=1", "empty key"},
    {"adam:", "expected key=value"},
    {"adma", "unknown optimizer 'adma' (known: sgd, adagrad, rmsprop, adam, adamw, nadam, radam, "
             "adamax, adadelta, newton, sfn, escape)"},
    {"", "empty name"},
    {"adam:lr=-0.1", "lr: must be >= 0, got -0.1"},
    {"adam:lr=inf", "lr: expected a number, got 'inf'"},
    {"adam:lr=nan", "lr: expected a number, got 'nan'"},
    {"adam:lr=1e400", "lr: expected a number"},
    {"adam:eps=-1e-8", "eps: must be >= 0"},
    {"adam:beta1=1", "beta1: must be in [0, 1), got 1"},
    {"adam:beta2=1.5", "beta2: must be in [0, 1), got 1.5"},
    {"adam:beta1=-0.1", "beta1: must be in [0, 1)"},
    {"adam:weight_decay=-1", "weight_decay: must be >= 0"},
    {"adam:amsgrad=2", "amsgrad: expected 0/1/true/false, got '2'"},
    {"adam:momentum=0.9", "unknown key 'momentum' (adam takes"},
    {"adamw:bias_correction=0", "unknown key 'bias_correction' (adamw takes"},
    {"sgd:momentum=-0.5", "momentum: must be >= 0"},
    {"sgd:nesterov=1", "nesterov: needs momentum > 0 and dampening = 0"},
    {"sgd:nesterov=1,momentum=0.9,dampening=0.1", "nesterov: needs momentum > 0 and dampening = 0"},
    {"sgd:beta1=0.9", "unknown key 'beta1' (sgd takes lr, momentum, dampening, nesterov, weight_decay)"},
    {"adagrad:lr_decay=-1", "lr_decay: must be >= 0"},
    {"adagrad:initial_accumulator_value=-1", "initial_accumulator_value: must be >= 0"},
    {"adagrad:mode=median", "mode: expected sum or mean, got 'median'"},
    {"rmsprop:alpha=-0.1", "alpha: must be >= 0"},
    {"rmsprop:centered=maybe", "centered: expected 0/1/true/false"},
    {"nadam:momentum_decay=-1", "momentum_decay: must be >= 0"},
    {"adadelta:rho=1.5", "rho: must be in [0, 1], got 1.5"},
    {"newton:damping=-1", "damping: must be >= 0"},
    {"escape:tol=-1", "tol: must be >= 0"},
    {"escape:escape_step=-0.1", "escape_step: must be >= 0"},
    {"newton:tol=1", "unknown key 'tol' (newton takes lr, damping)"},
};

static void test_parse_bad(void)
{
    size_t i;
    for (i = 0; i < sizeof bad_specs / sizeof bad_specs[0]; i++) {
        optim_desc d = optim_defaults(OPTIM_SGD);
        char err[512] = "";
        int rc = optim_parse(bad_specs[i].spec, &d, err, sizeof err);
        CHECK(rc == -1, "'%s' accepted", bad_specs[i].spec);
        CHECK_STR_CONTAINS(err, bad_specs[i].fragment, "message for '%s'", bad_specs[i].spec);
        CHECK(strchr(err, '\n') == NULL, "one line: %s", err);
        CHECK(d.kind == OPTIM_SGD && d.lr == 1e-3, "'%s': out untouched on failure", bad_specs[i].spec);
    }
    CHECK(optim_parse(NULL, &(optim_desc){0}, NULL, 0) == -1, "NULL spec refused without err buffer");
}

/* ------------------------------------------------------------------------------ */
/* Formatting                                                                      */

typedef struct fmt_case {
    const char *in, *out;
} fmt_case;

static const fmt_case fmt_cases[] = {
    {"adam", "adam"},
    {"adam:lr=0.001", "adam"},
    {"adam:lr=0.01,beta1=0.8", "adam:lr=0.01,beta1=0.8"},
    {"adam:beta1=0.8,lr=0.01", "adam:lr=0.01,beta1=0.8"},
    {"adam:amsgrad=true,bias_correction=false", "adam:amsgrad=1,bias_correction=0"},
    {"sgd:nesterov=yes,momentum=0.9", "sgd:momentum=0.9,nesterov=1"},
    {"adagrad:mode=mean", "adagrad:mode=mean"},
    {"adagrad:mode=sum", "adagrad"},
    {"adamw:weight_decay=0", "adamw:weight_decay=0"},
    {"sgd:lr=0.1", "sgd:lr=0.1"},
    {"sgd:lr=1e-10", "sgd:lr=1e-10"},
    {"sgd:lr=0.33333333333333331", "sgd:lr=0.3333333333333333"},
    {"sgd:lr=123456789", "sgd:lr=123456789"},
    {"sgd:lr=2.5e+300", "sgd:lr=2.5e+300"},
    {"sgd:lr=4.9406564584124654e-324", "sgd:lr=5e-324"},
    {"sgd:lr=0.30000000000000004", "sgd:lr=0.30000000000000004"},
    {"rmsprop:centered=1,momentum=0.5,alpha=0.9", "rmsprop:alpha=0.9,momentum=0.5,centered=1"},
    {"sfn:damping=0.01,lr=0.5", "sfn:lr=0.5,damping=0.01"},
    {"escape:escape_step=0.2,tol=1e-4", "escape:tol=0.0001,escape_step=0.2"},
};

#define SAME_FIELD(f) (a->f == b->f)
static int desc_equal(const optim_desc *a, const optim_desc *b)
{
    return SAME_FIELD(kind) && SAME_FIELD(lr) && SAME_FIELD(momentum) && SAME_FIELD(dampening) &&
           SAME_FIELD(weight_decay) && SAME_FIELD(nesterov) && SAME_FIELD(lr_decay) &&
           SAME_FIELD(initial_accumulator_value) && SAME_FIELD(eps) && SAME_FIELD(alpha) &&
           SAME_FIELD(centered) && SAME_FIELD(beta1) && SAME_FIELD(beta2) && SAME_FIELD(amsgrad) &&
           SAME_FIELD(momentum_decay) && SAME_FIELD(rho) && SAME_FIELD(bias_correction) &&
           SAME_FIELD(mode_mean) && SAME_FIELD(damping) && SAME_FIELD(tol) && SAME_FIELD(escape_step);
}


static void test_format(void)
{
    size_t i;
    char err[256], buf[256];
    for (i = 0; i < sizeof fmt_cases / sizeof fmt_cases[0]; i++) {
        optim_desc d, back;
        CHECK(optim_parse(fmt_cases[i].in, &d, err, sizeof err) == 0, "%s: %s", fmt_cases[i].in, err);
        optim_format(&d, buf, sizeof buf);
        CHECK(strcmp(buf, fmt_cases[i].out) == 0, "format('%s') = '%s', expected '%s'",
              fmt_cases[i].in, buf, fmt_cases[i].out);
        CHECK(optim_parse(buf, &back, err, sizeof err) == 0 && desc_equal(&d, &back),
              "'%s' reads back to the same desc", buf);
    }
    /* round trips over every key of every kind with awkward values */
    {
        static const double vals[] = {0.1, 1.0 / 3.0, 1e-300, 0.7, 5e-324, 0.999999999999};
        int k;
        size_t v;
        for (k = 0; k < OPTIM_COUNT; k++) {
            for (v = 0; v < sizeof vals / sizeof vals[0]; v++) {
                optim_desc d = optim_defaults((optim_kind)k), back;
                d.lr = vals[v];
                d.eps = vals[v];
                d.weight_decay = vals[v];
                d.momentum = vals[v];
                d.beta1 = vals[v];
                d.beta2 = 0.5 + vals[v] / 4;
                d.rho = vals[v];
                d.alpha = vals[v];
                d.momentum_decay = vals[v];
                d.lr_decay = vals[v];
                d.initial_accumulator_value = vals[v];
                d.damping = vals[v];
                d.tol = vals[v];
                d.escape_step = vals[v];
                d.dampening = k == OPTIM_SGD ? 0 : vals[v];
                optim_format(&d, buf, sizeof buf);
                if (optim_parse(buf, &back, err, sizeof err) != 0) {
                    CHECK(0, "'%s' does not parse: %s", buf, err);
                    continue;
                }
                /* fields a kind does not take are not formatted: compare from defaults */
                {
                    optim_desc expect = optim_defaults((optim_kind)k);
                    const char *keys = optim_info_of((optim_kind)k)->keys;
#define COPY_IF(key, f) if (spec_has_key(keys, key)) expect.f = d.f
                    COPY_IF("lr", lr); COPY_IF("eps", eps); COPY_IF("weight_decay", weight_decay);
                    COPY_IF("momentum", momentum); COPY_IF("beta1", beta1); COPY_IF("beta2", beta2);
                    COPY_IF("rho", rho); COPY_IF("alpha", alpha); COPY_IF("momentum_decay", momentum_decay);
                    COPY_IF("lr_decay", lr_decay);
                    COPY_IF("initial_accumulator_value", initial_accumulator_value);
                    COPY_IF("damping", damping); COPY_IF("tol", tol); COPY_IF("escape_step", escape_step);
                    COPY_IF("dampening", dampening);
#undef COPY_IF
                    CHECK(desc_equal(&expect, &back), "round trip of '%s'", buf);
                }
            }
        }
    }
    /* a small buffer is cut, never overrun */
    {
        optim_desc d;
        char small[12];
        memset(small, 'x', sizeof small);
        CHECK(optim_parse("adam:lr=0.01,beta1=0.8", &d, err, sizeof err) == 0, "%s", err);
        optim_format(&d, small, 8);
        CHECK(strlen(small) < 8 && small[8] == 'x', "format respects len: '%s'", small);
        optim_format(&d, small, 0);
        CHECK(small[8] == 'x', "len 0 writes nothing");
    }
}

/* the clock: bias corrections depend on the step count only, lr on the caller */
static void test_clock(void)
{
    optim_desc d = optim_defaults(OPTIM_ADAM);
    optim_clock clk;
    optim_state a, b;
    double p[2] = {1, 1}, q[2] = {1, 1}, g[2] = {0.3, -0.2};
    optim_clock_init(&d, &clk);
    CHECK(clk.step == 0 && clk.lr == d.lr, "init");
    optim_clock_tick(&d, &clk, 0.5);
    CHECK(clk.step == 1 && clk.lr == 0.5, "tick sets step and lr");
    /* one clock shared by two particles moves them as two separate runs would */
    optim_state_init(&d, &a);
    optim_state_init(&d, &b);
    optim_update(&d, &clk, &a, p, g, NULL);
    optim_update(&d, &clk, &b, q, g, NULL);
    CHECK(p[0] == q[0] && p[1] == q[1], "shared clock");
    /* lr = 0 does not move adam's point, though its moments still update */
    optim_clock_tick(&d, &clk, 0.0);
    optim_update(&d, &clk, &a, p, g, NULL);
    CHECK(p[0] == q[0] && p[1] == q[1], "lr 0 keeps the point");
    CHECK(a.a[0] != b.a[0], "lr 0 still updates m");
}

int main(void)
{
    test_torch_reference();
    test_first_steps();
    test_invariants();
    test_paths_agree();
    test_parse_good();
    test_parse_bad();
    test_format();
    test_clock();
    return check_done("optim");
}
