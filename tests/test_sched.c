/* test_sched: learning-rate schedules replayed step by step against torch's
 * schedulers (tests/torch_ref_sched.h, from tools/torch_ref_sched.py; warm-ups as
 * SequentialLR([LinearLR, S])), the ones torch lacks against their formulas,
 * parsing with its messages, and formatting. */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "core/sched.h"
#include "torch_ref_sched.h"

/* torch's values come from glibc's cos; the web build's libc is musl, whose cos may
 * differ by an ulp, and torch's cosine schedule is a recursion that carries such a
 * difference along (16 ulp seen at most). Natively the values are exact. */
#ifdef __EMSCRIPTEN__
#define SCHED_TORCH_ULP 32
#else
#define SCHED_TORCH_ULP 0
#endif

static void test_torch_reference(void)
{
    size_t i;
    uint64_t worst = 0;
    for (i = 0; i < sizeof torch_ref_scheds / sizeof torch_ref_scheds[0]; i++) {
        const torch_ref_sched *r = &torch_ref_scheds[i];
        sched_desc d;
        sched_state s;
        char err[256];
        int t, first_bad = -1;
        double ours = 0;
        uint64_t case_worst = 0;
        if (sched_parse(r->spec, &d, err, sizeof err) != 0) {
            CHECK(0, "parse '%s': %s", r->spec, err);
            continue;
        }
        sched_start(&s, &d, r->base_lr);
        for (t = 0; t < r->n; t++) {
            double lr = sched_next(&s);
            uint64_t u = ulp_diff(lr, r->rates[t]);
            if (u > case_worst) case_worst = u;
            if (u > SCHED_TORCH_ULP && first_bad < 0) { first_bad = t; ours = lr; }
        }
        CHECK(case_worst <= SCHED_TORCH_ULP, "%s from %g: %llu ulp from torch, first at t = %d (%.17g, torch %.17g)",
              r->spec, r->base_lr, (unsigned long long)case_worst, first_bad,
              ours, first_bad >= 0 ? r->rates[first_bad] : 0.0);
        CHECK(s.t == r->n, "t advanced to %ld", s.t);
        if (case_worst > worst) worst = case_worst;
    }
    printf("torch reference: %zu schedules, max difference %llu ulp\n",
           sizeof torch_ref_scheds / sizeof torch_ref_scheds[0], (unsigned long long)worst);
}

/* schedules checked against their formulas (torch has no invsqrt) and a few
 * values worth seeing spelled out; the warm-up by hand where LinearLR's recursion
 * is exact (base 1, W = 4: 1/4, then 1/4 (1 + (3/4)/(3/4)) = 1/2, ...) */
static void test_formulas(void)
{
    sched_desc d;
    sched_state s;
    char err[256];
    int t;

    CHECK(sched_parse("invsqrt", &d, err, sizeof err) == 0, "%s", err);
    sched_start(&s, &d, 0.5);
    for (t = 0; t < 100; t++) {
        double lr = sched_next(&s);
        CHECK(lr == 0.5 / sqrt(t + 1.0), "invsqrt t=%d: %.17g", t, lr);
    }

    CHECK(sched_parse("invsqrt:warmup=4", &d, err, sizeof err) == 0, "%s", err);
    sched_start(&s, &d, 1.0);
    {
        static const double expect[] = {0.25, 0.5, 0.75, 1.0, 1.0, 0.70710678118654746,
                                        0.57735026918962584, 0.5};
        for (t = 0; t < 8; t++) {
            double lr = sched_next(&s);
            CHECK(lr == expect[t], "invsqrt warmup t=%d: %.17g, expected %.17g", t, lr, expect[t]);
        }
    }

    /* StepLR: the rate for update t is base * gamma^floor(t / step_size) */
    CHECK(sched_parse("step:step_size=2,gamma=0.5", &d, err, sizeof err) == 0, "%s", err);
    sched_start(&s, &d, 1.0);
    {
        static const double expect[] = {1, 1, 0.5, 0.5, 0.25, 0.25, 0.125};
        for (t = 0; t < 7; t++) {
            double lr = sched_next(&s);
            CHECK(lr == expect[t], "step t=%d: %g", t, lr);
        }
    }

    /* cosine reaches eta_min at t = t_max and base again at 2 t_max */
    CHECK(sched_parse("cosine:t_max=50,eta_min=0.01", &d, err, sizeof err) == 0, "%s", err);
    sched_start(&s, &d, 0.1);
    for (t = 0; t <= 100; t++) {
        double lr = sched_next(&s);
        double closed = 0.01 + (0.1 - 0.01) * (1 + cos(3.141592653589793 * t / 50)) / 2;
        CHECK_NEAR(lr, closed, 1e-12, 1e-15, "cosine t=%d against the closed form", t);
        if (t == 50) CHECK_NEAR(lr, 0.01, 1e-14, 0, "trough");
        if (t == 100) CHECK_NEAR(lr, 0.1, 1e-14, 0, "back at the top");
    }

    /* constant ignores nothing: the base rate throughout; warm-up ramps to it */
    CHECK(sched_parse("constant", &d, err, sizeof err) == 0, "%s", err);
    sched_start(&s, &d, 0.3);
    for (t = 0; t < 5; t++) CHECK(sched_next(&s) == 0.3, "constant");
    CHECK(sched_parse("constant:warmup=1", &d, err, sizeof err) == 0, "%s", err);
    sched_start(&s, &d, 0.3);
    CHECK(sched_next(&s) == 0.3 && sched_next(&s) == 0.3, "warmup=1 is no ramp at all");

    /* restarting gives the same sequence */
    CHECK(sched_parse("cosine:t_max=7,warmup=3", &d, err, sizeof err) == 0, "%s", err);
    {
        double a[30];
        sched_start(&s, &d, 0.2);
        for (t = 0; t < 30; t++) a[t] = sched_next(&s);
        sched_start(&s, &d, 0.2);
        for (t = 0; t < 30; t++) CHECK(sched_next(&s) == a[t], "restart t=%d", t);
    }
}

typedef struct bad_case {
    const char *spec, *fragment;
} bad_case;

static const bad_case bad_cases[] = {
    {"linear", "schedule 'linear': unknown schedule 'linear' (known: constant, step, exp, invsqrt, cosine)"},
    {"", "empty name"},
    {"step:step_size=0", "step_size: must be in [1, 1000000000], got 0"},
    {"step:step_size=2.5", "step_size: expected an integer, got '2.5'"},
    {"step:step_size=abc", "step_size: expected an integer"},
    {"step:gamma=-0.1", "gamma: must be >= 0, got -0.1"},
    {"step:gamma=inf", "gamma: expected a number, got 'inf'"},
    {"exp:gamma=", "gamma: empty value"},
    {"cosine:t_max=0", "t_max: must be in [1, 1000000000]"},
    {"cosine:t_max=99999999999999999999", "t_max: expected an integer"},
    {"cosine:eta_min=-1", "eta_min: must be >= 0"},
    {"cosine:warmup=-1", "warmup: must be in [0, 1000000000]"},
    {"constant:gamma=0.5", "unknown key 'gamma' (constant takes warmup)"},
    {"exp:step_size=3", "unknown key 'step_size' (exp takes gamma, warmup)"},
    {"invsqrt:t_max=3", "unknown key 't_max' (invsqrt takes warmup)"},
    {"cosine:t_max=3,t_max=4", "duplicate key 't_max'"},
};

static void test_parse(void)
{
    size_t i;
    char err[256];
    sched_desc d;
    int k;

    for (i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        sched_desc keep = sched_defaults(SCHED_EXP);
        err[0] = '\0';
        CHECK(sched_parse(bad_cases[i].spec, &keep, err, sizeof err) == -1, "'%s' accepted",
              bad_cases[i].spec);
        CHECK_STR_CONTAINS(err, bad_cases[i].fragment, "message for '%s'", bad_cases[i].spec);
        CHECK(keep.kind == SCHED_EXP && keep.gamma == 0.99, "out untouched on failure");
    }

    CHECK(sched_parse("step:step_size=30,gamma=0.5,warmup=10", &d, err, sizeof err) == 0, "%s", err);
    CHECK(d.kind == SCHED_STEP && d.step_size == 30 && d.gamma == 0.5 && d.warmup == 10, "step keys");
    CHECK(sched_parse("cosine:t_max=200,eta_min=1e-4", &d, err, sizeof err) == 0, "%s", err);
    CHECK(d.kind == SCHED_COSINE && d.t_max == 200 && d.eta_min == 1e-4 && d.warmup == 0, "cosine keys");
    CHECK(sched_parse("exp", &d, err, sizeof err) == 0 && d.gamma == 0.99, "exp default gamma");
    CHECK(sched_parse("step", &d, err, sizeof err) == 0 && d.gamma == 0.1 && d.step_size == 100,
          "step defaults (torch's gamma=0.1)");
    CHECK(sched_parse("cosine", &d, err, sizeof err) == 0 && d.t_max == 1000 && d.eta_min == 0,
          "cosine defaults");

    for (k = 0; k < SCHED_COUNT; k++) {
        const sched_info *info = sched_info_of((sched_kind)k);
        sched_desc def = sched_defaults((sched_kind)k), back;
        char buf[128];
        CHECK(info && info->name && info->keys && info->summary, "info %d", k);
        if (!info) continue;
        sched_format(&def, buf, sizeof buf);
        CHECK(strcmp(buf, info->name) == 0, "defaults format as '%s'", buf);
        CHECK(sched_parse(info->name, &back, err, sizeof err) == 0 && back.kind == (sched_kind)k,
              "name %s", info->name);
    }
    CHECK(sched_info_of(SCHED_COUNT) == NULL, "no info past the end");
}

typedef struct fmt_case {
    const char *in, *out;
} fmt_case;

static const fmt_case fmt_cases[] = {
    {"step", "step"},
    {"step:gamma=0.1,step_size=100", "step"},
    {"step:gamma=0.5,step_size=30", "step:step_size=30,gamma=0.5"},
    {"exp:gamma=0.95", "exp:gamma=0.95"},
    {"exp:warmup=20,gamma=0.3333333333333333", "exp:gamma=0.3333333333333333,warmup=20"},
    {"cosine:eta_min=0.001,t_max=500,warmup=50", "cosine:t_max=500,eta_min=0.001,warmup=50"},
    {"invsqrt:warmup=5", "invsqrt:warmup=5"},
    {"constant:warmup=0", "constant"},
};

static void test_format(void)
{
    size_t i;
    char err[256], buf[128];
    for (i = 0; i < sizeof fmt_cases / sizeof fmt_cases[0]; i++) {
        sched_desc d, back;
        CHECK(sched_parse(fmt_cases[i].in, &d, err, sizeof err) == 0, "%s", err);
        sched_format(&d, buf, sizeof buf);
        CHECK(strcmp(buf, fmt_cases[i].out) == 0, "format('%s') = '%s', expected '%s'",
              fmt_cases[i].in, buf, fmt_cases[i].out);
        CHECK(sched_parse(buf, &back, err, sizeof err) == 0 && back.kind == d.kind &&
              back.step_size == d.step_size && back.gamma == d.gamma && back.t_max == d.t_max &&
              back.eta_min == d.eta_min && back.warmup == d.warmup, "'%s' reads back", buf);
    }
    {
        sched_desc d;
        char small[10];
        memset(small, 'x', sizeof small);
        CHECK(sched_parse("cosine:t_max=500,eta_min=0.001", &d, err, sizeof err) == 0, "%s", err);
        sched_format(&d, small, 6);
        CHECK(strlen(small) < 6 && small[6] == 'x', "format respects len: '%s'", small);
    }
}

int main(void)
{
    test_torch_reference();
    test_formulas();
    test_parse();
    test_format();
    return check_done("sched");
}
