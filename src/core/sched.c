/* sched: learning-rate schedules. Where torch.optim.lr_scheduler (PyTorch 1.13) has
 * the schedule, the rate comes out of the same recursion as its get_lr(): each rate
 * is computed from the previous one, step by step, exactly as torch does (its
 * "chainable" form, not the closed form), so `trace` prints torch's numbers bit for
 * bit; the warm-up is torch's LinearLR inside a SequentialLR, also step by step.
 * tests/test_sched.c replays torch's sequences (tools/torch_ref_sched.py). */
#include "sched.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static const sched_info infos[SCHED_COUNT] = {
    [SCHED_CONSTANT] = {"constant", "warmup", "the optimizer's own learning rate at every step"},
    [SCHED_STEP] = {"step", "step_size,gamma,warmup",
                    "multiply the rate by gamma every step_size steps (torch StepLR)"},
    [SCHED_EXP] = {"exp", "gamma,warmup", "multiply the rate by gamma every step (torch ExponentialLR)"},
    [SCHED_INVSQRT] = {"invsqrt", "warmup", "lr / sqrt(t + 1), the lecture's decay"},
    [SCHED_COSINE] = {"cosine", "t_max,eta_min,warmup",
                      "half a cosine from lr down to eta_min over t_max steps, then back up "
                      "(torch CosineAnnealingLR)"},
};

/* Integer keys are bounded so that no arithmetic on them (2 t_max, t - warmup) can
 * overflow even a 32-bit long. */
#define SCHED_MAX_STEPS 1000000000L

static const char *const WHAT = "schedule";

const sched_info *sched_info_of(sched_kind k)
{
    if ((unsigned)k >= SCHED_COUNT) return NULL;
    return &infos[k];
}

sched_desc sched_defaults(sched_kind k)
{
    sched_desc d;
    memset(&d, 0, sizeof d);
    d.kind = k;
    /* torch requires step_size, gamma and T_max; these suit runs of a few hundred
     * to a few thousand steps, the length of a demo */
    d.step_size = 100;
    d.gamma = k == SCHED_EXP ? 0.99 : 0.1;
    d.t_max = 1000;
    d.eta_min = 0.0;
    d.warmup = 0;
    return d;
}


int sched_parse(const char *text, sched_desc *out, char *err, size_t errlen)
{
    spec sp;
    sched_desc d;
    const char *keys;
    int k, kind = -1, rc;

    if (spec_parse(text, WHAT, &sp, err, errlen) != 0) return -1;
    for (k = 0; k < SCHED_COUNT; k++)
        if (strcmp(infos[k].name, sp.name) == 0) kind = k;
    if (kind < 0) {
        spec_error(&sp, WHAT, err, errlen,
                   "unknown schedule '%s' (known: constant, step, exp, invsqrt, cosine)", sp.name);
        return -1;
    }
    d = sched_defaults((sched_kind)kind);
    keys = infos[kind].keys;

    if (spec_has_key(keys, "step_size") &&
        spec_get_int(&sp, WHAT, "step_size", 1, SCHED_MAX_STEPS, &d.step_size, err, errlen) < 0)
        return -1;
    if (spec_has_key(keys, "t_max") &&
        spec_get_int(&sp, WHAT, "t_max", 1, SCHED_MAX_STEPS, &d.t_max, err, errlen) < 0)
        return -1;
    if (spec_has_key(keys, "warmup") &&
        spec_get_int(&sp, WHAT, "warmup", 0, SCHED_MAX_STEPS, &d.warmup, err, errlen) < 0)
        return -1;
    /* a negative gamma or eta_min would make the rate negative, which no optimizer
     * accepts; gamma > 1 (a growing rate) is allowed: it shows divergence */
    if (spec_has_key(keys, "gamma")) {
        rc = spec_get_number(&sp, WHAT, "gamma", 0, HUGE_VAL, &d.gamma, err, errlen);
        if (rc < 0) return -1;
    }
    if (spec_has_key(keys, "eta_min")) {
        rc = spec_get_number(&sp, WHAT, "eta_min", 0, HUGE_VAL, &d.eta_min, err, errlen);
        if (rc < 0) return -1;
    }
    if (spec_check_unused(&sp, WHAT, keys, err, errlen) != 0) return -1;
    *out = d;
    return 0;
}


void sched_format(const sched_desc *d, char *buf, size_t len)
{
    const sched_info *info = sched_info_of(d->kind);
    const char *kp;
    spec_writer w;

    if (spec_write_start(&w, buf, len, info ? info->name : NULL) != 0) return;
    sched_desc def = sched_defaults(d->kind);
    for (kp = info->keys; *kp;) {
        size_t m = strcspn(kp, ",");
        char val[40] = "";
        int differs = 0;
        if (m == 9 && strncmp(kp, "step_size", m) == 0) {
            differs = d->step_size != def.step_size;
            snprintf(val, sizeof val, "%ld", d->step_size);
        } else if (m == 5 && strncmp(kp, "t_max", m) == 0) {
            differs = d->t_max != def.t_max;
            snprintf(val, sizeof val, "%ld", d->t_max);
        } else if (m == 6 && strncmp(kp, "warmup", m) == 0) {
            differs = d->warmup != def.warmup;
            snprintf(val, sizeof val, "%ld", d->warmup);
        } else if (m == 5 && strncmp(kp, "gamma", m) == 0) {
            differs = d->gamma != def.gamma;
            spec_format_number(d->gamma, val, sizeof val);
        } else if (m == 7 && strncmp(kp, "eta_min", m) == 0) {
            differs = d->eta_min != def.eta_min;
            spec_format_number(d->eta_min, val, sizeof val);
        }
        if (differs && spec_write_key(&w, kp, (int)m, val) != 0) return;
        kp += m;
        if (*kp == ',') kp++;
    }
}

void sched_start(sched_state *s, const sched_desc *d, double base_lr)
{
    s->d = *d;
    s->base_lr = base_lr;
    s->t = 0;
    s->lr = base_lr;
}

/* torch's CosineAnnealingLR.get_lr() for last_epoch = u >= 1, from the previous
 * rate lr (1.13, lr_scheduler.py):
 *   (u - 1 - T) % (2T) == 0:  lr + (base - eta_min)(1 - cos(pi / T)) / 2
 *       (the step after each trough, where the general ratio below would divide by
 *        1 + cos(pi) = 0; Python's % is never negative, hence the adjustment)
 *   otherwise:  (1 + cos(pi u / T)) / (1 + cos(pi (u - 1) / T)) (lr - eta_min) + eta_min */
static double cosine_next(const sched_desc *d, double base, double lr, long u)
{
    const double pi = 3.141592653589793;   /* math.pi */
    double T = (double)d->t_max, ud = (double)u;
    long r = (u - 1 - d->t_max) % (2 * d->t_max);
    if (r < 0) r += 2 * d->t_max;
    if (r == 0) return lr + (base - d->eta_min) * (1 - cos(pi / T)) / 2;
    return (1 + cos(pi * ud / T)) / (1 + cos(pi * (ud - 1) / T)) * (lr - d->eta_min) + d->eta_min;
}

double sched_next(sched_state *s)
{
    const sched_desc *d = &s->d;
    long t = s->t;
    double lr;

    if (t < d->warmup) {
        /* linear warm-up from base/W to about base at t = W - 1, step by step as
         * torch's LinearLR(start_factor=1/W, end_factor=1, total_iters=W-1) does in
         * SequentialLR([warm-up, schedule], milestones=[W]) (1.13, lr_scheduler.py):
         *   t = 0:  base * s,  s = 1/W
         *   t > 0:  lr * (1 + (1 - s) / ((W-1) s + (t-1)(1 - s)))
         * which is base (t + 1) / W up to rounding, and not always exactly base at
         * t = W - 1. */
        double sf = 1.0 / (double)d->warmup, de = 1.0 - sf;
        if (t == 0)
            lr = s->base_lr * sf;
        else
            lr = s->lr * (1.0 + de / ((double)(d->warmup - 1) * sf + (double)(t - 1) * de));
    } else {
        /* the schedule proper runs on its own clock u = t - W, starting from the
         * base rate: a freshly built torch scheduler (last_epoch = 0) without a
         * warm-up; after one, SequentialLR restarts it with step(0), its closed
         * form at 0, which for cosine is eta_min + (base - eta_min) (1 + cos 0) / 2 */
        long u = t - d->warmup;
        if (u == 0) {
            lr = s->base_lr;
            if (d->warmup > 0 && d->kind == SCHED_COSINE)
                lr = d->eta_min + (s->base_lr - d->eta_min) * (1 + cos(0.0)) / 2;
        } else {
            switch (d->kind) {
            case SCHED_CONSTANT:
                lr = s->base_lr;
                break;
            case SCHED_STEP:
                /* StepLR: lr * gamma when u % step_size == 0, else unchanged */
                lr = u % d->step_size == 0 ? s->lr * d->gamma : s->lr;
                break;
            case SCHED_EXP:
                lr = s->lr * d->gamma;     /* ExponentialLR */
                break;
            case SCHED_INVSQRT:
                lr = s->base_lr / sqrt((double)u + 1);
                break;
            case SCHED_COSINE:
                lr = cosine_next(d, s->base_lr, s->lr, u);
                break;
            default:
                assert(!"sched_next: bad kind");
                lr = s->base_lr;
                break;
            }
        }
    }
    s->lr = lr;
    s->t = t + 1;
    return lr;
}
