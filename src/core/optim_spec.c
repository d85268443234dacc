/* optim_spec: the optimizers as data: their names, keys, summaries, defaults and
 * accepted ranges (torch's), and their spec text parsed and written back
 * ("adam:lr=0.01,betas=0.9,0.999"). The update rules are in optim.c. */
#include "optim.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

/* ------------------------------------------------------------------------------ */
/* Tables: names, keys, summaries, defaults, accepted ranges                       */

static const optim_info infos[OPTIM_COUNT] = {
    [OPTIM_SGD] = {"sgd", "lr,momentum,dampening,nesterov,weight_decay",
                   "gradient descent with optional (Nesterov) momentum: torch.optim.SGD", 0},
    [OPTIM_ADAGRAD] = {"adagrad", "lr,lr_decay,weight_decay,initial_accumulator_value,eps,mode",
                       "per-coordinate rate lr/sqrt(sum of squared gradients); mode=mean: the "
                       "lecture's root-mean-square", 0},
    [OPTIM_RMSPROP] = {"rmsprop", "lr,alpha,eps,weight_decay,momentum,centered",
                       "rate divided by an exponential average of squared gradients", 0},
    [OPTIM_ADAM] = {"adam", "lr,beta1,beta2,eps,weight_decay,amsgrad,bias_correction",
                    "momentum + RMSProp with bias correction; bias_correction=0: the "
                    "uncorrected lecture form", 0},
    [OPTIM_ADAMW] = {"adamw", "lr,beta1,beta2,eps,weight_decay,amsgrad",
                     "Adam with decoupled weight decay p *= 1 - lr*weight_decay", 0},
    [OPTIM_NADAM] = {"nadam", "lr,beta1,beta2,eps,weight_decay,momentum_decay",
                     "Adam with Nesterov momentum and a warming momentum schedule", 0},
    [OPTIM_RADAM] = {"radam", "lr,beta1,beta2,eps,weight_decay",
                     "Adam whose adaptive rate is switched on (rectified) as the variance "
                     "estimate becomes reliable: a built-in warm-up", 0},
    [OPTIM_ADAMAX] = {"adamax", "lr,beta1,beta2,eps,weight_decay",
                      "Adam with an infinity norm in place of the squared-gradient average", 0},
    [OPTIM_ADADELTA] = {"adadelta", "lr,rho,eps,weight_decay",
                        "step = RMS of past steps / RMS of gradients: no units to tune", 0},
    [OPTIM_NEWTON] = {"newton", "lr,damping",
                      "damped Newton p -= lr (H + damping I)^-1 g: jumps to the nearest "
                      "critical point, saddles included", 1},
    [OPTIM_SFN] = {"sfn", "lr,damping",
                   "saddle-free Newton p -= lr |H|^-1 g: Newton's speed, repelled by saddles", 1},
    [OPTIM_ESCAPE] = {"escape", "lr,tol,escape_step",
                      "gradient descent that leaves a saddle along the Hessian eigenvector of "
                      "negative eigenvalue when |g| < tol", 1},
};

typedef enum key_type { KEY_NUM, KEY_BOOL, KEY_MODE } key_type;

/* Every key of every optimizer with its accepted range. The ranges are torch's
 * (its constructors' ValueError checks); torch leaves dampening unchecked, and so do
 * we. hi_open marks [lo, hi) -- torch's betas. */
typedef struct key_def {
    const char *name;
    key_type type;
    size_t off;
    double lo, hi;
    int hi_open;
} key_def;

#define NUM(name, field, lo, hi, open) {name, KEY_NUM, offsetof(optim_desc, field), lo, hi, open}
static const key_def key_defs[] = {
    NUM("lr", lr, 0, HUGE_VAL, 0),
    NUM("momentum", momentum, 0, HUGE_VAL, 0),
    NUM("dampening", dampening, -HUGE_VAL, HUGE_VAL, 0),
    NUM("weight_decay", weight_decay, 0, HUGE_VAL, 0),
    {"nesterov", KEY_BOOL, offsetof(optim_desc, nesterov), 0, 0, 0},
    NUM("lr_decay", lr_decay, 0, HUGE_VAL, 0),
    NUM("initial_accumulator_value", initial_accumulator_value, 0, HUGE_VAL, 0),
    NUM("eps", eps, 0, HUGE_VAL, 0),
    NUM("alpha", alpha, 0, HUGE_VAL, 0),
    {"centered", KEY_BOOL, offsetof(optim_desc, centered), 0, 0, 0},
    NUM("beta1", beta1, 0, 1, 1),
    NUM("beta2", beta2, 0, 1, 1),
    {"amsgrad", KEY_BOOL, offsetof(optim_desc, amsgrad), 0, 0, 0},
    NUM("momentum_decay", momentum_decay, 0, HUGE_VAL, 0),
    NUM("rho", rho, 0, 1, 0),
    {"bias_correction", KEY_BOOL, offsetof(optim_desc, bias_correction), 0, 0, 0},
    {"mode", KEY_MODE, offsetof(optim_desc, mode_mean), 0, 0, 0},
    NUM("damping", damping, 0, HUGE_VAL, 0),
    NUM("tol", tol, 0, HUGE_VAL, 0),
    NUM("escape_step", escape_step, 0, HUGE_VAL, 0),
};
#undef NUM

static const key_def *key_find(const char *name, size_t n)
{
    size_t i;
    for (i = 0; i < sizeof key_defs / sizeof key_defs[0]; i++)
        if (strlen(key_defs[i].name) == n && strncmp(key_defs[i].name, name, n) == 0)
            return &key_defs[i];
    return NULL;
}

const optim_info *optim_info_of(optim_kind k)
{
    if ((unsigned)k >= OPTIM_COUNT) return NULL;
    return &infos[k];
}

int optim_kind_from_name(const char *name, optim_kind *out)
{
    int k;
    if (!name) return -1;
    for (k = 0; k < OPTIM_COUNT; k++) {
        if (strcmp(infos[k].name, name) == 0) {
            *out = (optim_kind)k;
            return 0;
        }
    }
    return -1;
}

optim_desc optim_defaults(optim_kind k)
{
    optim_desc d;
    memset(&d, 0, sizeof d);
    d.kind = k;
    d.bias_correction = 1;
    d.beta1 = 0.9;
    d.beta2 = 0.999;
    d.eps = 1e-8;
    switch (k) {
    case OPTIM_SGD:
        d.lr = 1e-3;           /* torch has no default (lr is required) */
        break;
    case OPTIM_ADAGRAD:
        d.lr = 1e-2;
        d.eps = 1e-10;
        break;
    case OPTIM_RMSPROP:
        d.lr = 1e-2;
        d.alpha = 0.99;
        break;
    case OPTIM_ADAM:
        d.lr = 1e-3;
        break;
    case OPTIM_ADAMW:
        d.lr = 1e-3;
        d.weight_decay = 1e-2;
        break;
    case OPTIM_NADAM:
        d.lr = 2e-3;
        d.momentum_decay = 4e-3;
        break;
    case OPTIM_RADAM:
        d.lr = 1e-3;
        break;
    case OPTIM_ADAMAX:
        d.lr = 2e-3;
        break;
    case OPTIM_ADADELTA:
        d.lr = 1.0;
        d.rho = 0.9;
        d.eps = 1e-6;
        break;
    case OPTIM_NEWTON:
        d.lr = 1.0;
        d.damping = 0.0;
        break;
    case OPTIM_SFN:
        d.lr = 1.0;
        d.damping = 1e-3;
        break;
    case OPTIM_ESCAPE:
        /* a plain GD step size; tol and escape_step suit landscapes drawn at unit
         * scale (views a few units wide): 0.1 is a visible hop off the saddle */
        d.lr = 1e-3;
        d.tol = 1e-3;
        d.escape_step = 0.1;
        break;
    default:
        assert(!"optim_defaults: bad kind");
        break;
    }
    return d;
}

/* ------------------------------------------------------------------------------ */
/* Parsing and formatting                                                          */

/* Iterate over the comma-separated key list of a kind: *pos advances; returns the
 * length of the next key (0 at the end), its start in *start. */
static size_t next_key(const char *list, size_t *pos, const char **start)
{
    size_t b = *pos, e;
    if (list[b] == '\0') return 0;
    for (e = b; list[e] && list[e] != ','; e++) {}
    *start = list + b;
    *pos = list[e] ? e + 1 : e;
    return e - b;
}

static const char *const WHAT = "optimizer";

/* Key key of the spec (of the kind kd says) into d when it is given: 0, or -1 with
 * the message in err. */
static int take_key(spec *sp, const key_def *kd, const char *key, optim_desc *d, char *err, size_t errlen)
{
    int rc;
    if (kd->type == KEY_NUM) {
        double v;
        rc = spec_get_number(sp, WHAT, key, -HUGE_VAL, HUGE_VAL, &v, err, errlen);
        if (rc <= 0) return rc;
        if (!(v >= kd->lo) || (kd->hi_open ? !(v < kd->hi) : !(v <= kd->hi))) {
            const char *val = "";
            int i;
            for (i = 0; i < sp->nkv; i++)
                if (strcmp(sp->kv[i].key, key) == 0) val = sp->kv[i].val;
            if (isinf(kd->hi))
                spec_error(sp, WHAT, err, errlen, "%s: must be >= %g, got %s", key, kd->lo, val);
            else
                spec_error(sp, WHAT, err, errlen, "%s: must be in [%g, %g%c, got %s",
                           key, kd->lo, kd->hi, kd->hi_open ? ')' : ']', val);
            return -1;
        }
        *(double *)((char *)d + kd->off) = v;
    } else if (kd->type == KEY_BOOL) {
        int b;
        rc = spec_get_bool(sp, WHAT, key, &b, err, errlen);
        if (rc < 0) return -1;
        if (rc == 1) *(int *)((char *)d + kd->off) = b;
    } else {
        int i;
        for (i = 0; i < sp->nkv; i++) {
            if (strcmp(sp->kv[i].key, key) != 0) continue;
            sp->kv[i].used = 1;
            if (strcmp(sp->kv[i].val, "mean") == 0) d->mode_mean = 1;
            else if (strcmp(sp->kv[i].val, "sum") == 0) d->mode_mean = 0;
            else {
                spec_error(sp, WHAT, err, errlen, "%s: expected sum or mean, got '%s'",
                           key, sp->kv[i].val);
                return -1;
            }
        }
    }
    return 0;
}

int optim_parse(const char *text, optim_desc *out, char *err, size_t errlen)
{
    spec sp;
    optim_kind kind;
    optim_desc d;
    const optim_info *info;
    const char *kstart;
    size_t pos = 0, klen;

    if (spec_parse(text, WHAT, &sp, err, errlen) != 0) return -1;
    if (optim_kind_from_name(sp.name, &kind) != 0) {
        char names[256];
        size_t o = 0;
        int k;
        for (k = 0; k < OPTIM_COUNT; k++) {
            int n = snprintf(names + o, sizeof names - o, "%s%s", k ? ", " : "", infos[k].name);
            if (n < 0 || (size_t)n >= sizeof names - o) break;
            o += (size_t)n;
        }
        spec_error(&sp, WHAT, err, errlen, "unknown optimizer '%s' (known: %s)", sp.name, names);
        return -1;
    }
    info = &infos[kind];
    d = optim_defaults(kind);

    while ((klen = next_key(info->keys, &pos, &kstart)) != 0) {
        const key_def *kd = key_find(kstart, klen);
        char key[SPEC_MAX_WORD];
        assert(kd && klen < sizeof key);
        memcpy(key, kstart, klen);
        key[klen] = '\0';
        if (take_key(&sp, kd, key, &d, err, errlen) != 0) return -1;
    }
    if (spec_check_unused(&sp, WHAT, info->keys, err, errlen) != 0) return -1;

    /* torch.optim.SGD: "Nesterov momentum requires a momentum and zero dampening" */
    if (kind == OPTIM_SGD && d.nesterov && (d.momentum <= 0 || d.dampening != 0)) {
        spec_error(&sp, WHAT, err, errlen,
                   "nesterov: needs momentum > 0 and dampening = 0 (as in torch.optim.SGD)");
        return -1;
    }
    *out = d;
    return 0;
}


void optim_format(const optim_desc *d, char *buf, size_t len)
{
    const optim_info *info = optim_info_of(d->kind);
    const char *kstart;
    size_t pos = 0, klen;
    spec_writer w;

    if (spec_write_start(&w, buf, len, info ? info->name : NULL) != 0) return;
    optim_desc def = optim_defaults(d->kind);
    while ((klen = next_key(info->keys, &pos, &kstart)) != 0) {
        const key_def *kd = key_find(kstart, klen);
        char val[40];
        assert(kd);
        if (kd->type == KEY_NUM) {
            double v = *(const double *)((const char *)d + kd->off);
            double v0 = *(const double *)((const char *)&def + kd->off);
            if (v == v0) continue;
            spec_format_number(v, val, sizeof val);
        } else {
            int v = *(const int *)((const char *)d + kd->off);
            int v0 = *(const int *)((const char *)&def + kd->off);
            if ((v != 0) == (v0 != 0)) continue;
            if (kd->type == KEY_MODE) snprintf(val, sizeof val, "%s", v ? "mean" : "sum");
            else snprintf(val, sizeof val, "%d", v ? 1 : 0);
        }
        if (spec_write_key(&w, kstart, (int)klen, val) != 0) return;
    }
}
