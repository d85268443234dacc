/* explain: see explain.h. */
#include "scene/explain.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/linalg2.h"
#include "core/rng.h"

static void add(live_explain *e, const char *fmt, ...)
{
    if (e->nlines >= LIVE_EXPLAIN_LINES) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->lines[e->nlines], sizeof e->lines[0], fmt, ap);
    va_end(ap);
    e->nlines++;
}

/* "(0.1234, -5.678)" */
static const char *v2(char *b, const double v[2])
{
    snprintf(b, 64, "(%.4g, %.4g)", v[0], v[1]);
    return b;
}

/* What every optimizer's lines read: the step's runners and settings, and the
 * gradient the update used (g as drawn, gw with L2 weight decay). */
typedef struct explain_ctx {
    const runner *before, *after;
    const optim_desc *d;
    const char *name;
    double lr;
    long t;
    double g[2], gw[2];
    double hb[3];                 /* the Hessian the update used */
    live_explain *e;
} explain_ctx;

/* The gradient and Hessian the update used: the runner draws its noise exactly
 * so; a minibatch update used the batch's own (noise included in the gradient the
 * runner kept). Then the line that says what g is. */
static void explain_gradient(explain_ctx *x)
{
    const runner *before = x->before, *after = x->after;
    double *g = x->g;
    g[0] = before->j.gx;
    g[1] = before->j.gy;
    if (before->d.noise > 0) {
        rng r = before->noise_rng;
        g[0] += before->d.noise * rng_normal(&r);
        g[1] += before->d.noise * rng_normal(&r);
    }
    int batch = after->batch_len;
    x->hb[0] = before->j.hxx;
    x->hb[1] = before->j.hxy;
    x->hb[2] = before->j.hyy;
    if (batch > 0 && after->d.data) {
        jet2 jb = dataset_batch_jet(after->d.data, after->batch_idx, batch, before->p[0], before->p[1]);
        g[0] = after->last_g[0];
        g[1] = after->last_g[1];
        x->hb[0] = jb.hxx;
        x->hb[1] = jb.hxy;
        x->hb[2] = jb.hyy;
    }
    live_explain *e = x->e;
    char a[64];
    if (batch > 0 && before->d.noise > 0)
        add(e, "g = ∇f_B(θ) + noise (batch of %d, σ = %.3g) = %s", batch, before->d.noise, v2(a, g));
    else if (batch > 0)
        add(e, "g = ∇f_B(θ) (the loss of a batch of %d samples) = %s", batch, v2(a, g));
    else if (before->d.noise > 0)
        add(e, "g = ∇f(θ) + noise (σ = %.3g) = %s", before->d.noise, v2(a, g));
    else
        add(e, "g = ∇f(θ) = %s", v2(a, g));
    const optim_desc *d = x->d;
    x->gw[0] = g[0];               /* with L2 weight decay added (not adamw's) */
    x->gw[1] = g[1];
    if (d->weight_decay > 0 && d->kind != OPTIM_ADAMW) {
        x->gw[0] = g[0] + d->weight_decay * before->p[0];
        x->gw[1] = g[1] + d->weight_decay * before->p[1];
        add(e, "g ← g + λθ = %s   (λ = %.3g)", v2(a, x->gw), d->weight_decay);
    }
}

static void explain_sgd(const explain_ctx *x)
{
    const optim_desc *d = x->d;
    live_explain *e = x->e;
    char a[64];
    if (!(d->momentum > 0)) {
        add(e, "θ ← θ − η·g");
        return;
    }
    const double *b1 = x->after->st.a;
    if (x->before->st.started) {
        add(e, "b = μ·b + (1−τ)·g = %.3g·%s + %.3g·g", d->momentum, v2(a, x->before->st.a),
            1 - d->dampening);
        e->mom_step[0] = -x->lr * d->momentum * x->before->st.a[0];
        e->mom_step[1] = -x->lr * d->momentum * x->before->st.a[1];
    } else {
        add(e, "b = g (the first step)");
    }
    add(e, "  = %s", v2(a, b1));
    if (d->nesterov) {
        double n[2] = {x->gw[0] + d->momentum * b1[0], x->gw[1] + d->momentum * b1[1]};
        add(e, "Nesterov: g ← g + μ·b = %s", v2(a, n));
        add(e, "θ ← θ − η·g");
    } else {
        add(e, "θ ← θ − η·b");
    }
}

static void explain_adagrad_rmsprop(const explain_ctx *x)
{
    const optim_desc *d = x->d;
    const runner *before = x->before, *after = x->after;
    live_explain *e = x->e;
    char a[64], b[64];
    if (d->kind == OPTIM_RMSPROP) {
        add(e, "v = α·v + (1−α)·g² = %.3g·%s + %.3g·g²", d->alpha, v2(a, before->st.a), 1 - d->alpha);
        add(e, "  = %s", v2(b, after->st.a));
        add(e, "σ = √v = (%.4g, %.4g)", sqrt(after->st.a[0]), sqrt(after->st.a[1]));
        add(e, "θ ← θ − η·g / (σ + ε)%s", d->momentum > 0 ? ", through a momentum buffer" : "");
    } else if (d->mode_mean) {
        add(e, "σ² = mean of g² so far: Σg² = %s over t = %ld", v2(a, after->st.a), x->t);
        add(e, "θ ← θ − η·g / (σ + ε)");
    } else {
        add(e, "G = G + g² = %s", v2(a, after->st.a));
        if (d->lr_decay > 0) add(e, "η ← η / (1 + (t−1)·%.3g)", d->lr_decay);
        add(e, "θ ← θ − η·g / (√G + ε)");
    }
}

static void explain_adam(const explain_ctx *x)
{
    const optim_desc *d = x->d;
    live_explain *e = x->e;
    double lr = x->lr;
    char a[64], b[64];
    const double *m0 = x->before->st.a, *m1 = x->after->st.a, *v1 = x->after->st.b;
    double bc1 = d->bias_correction ? 1 - pow(d->beta1, (double)x->t) : 1;
    double bc2 = d->bias_correction ? 1 - pow(d->beta2, (double)x->t) : 1;
    double mh[2] = {m1[0] / bc1, m1[1] / bc1}, vh[2] = {v1[0] / bc2, v1[1] / bc2};
    add(e, "m = β1·m + (1−β1)·g = %.3g·%s + %.3g·g", d->beta1, v2(a, m0), 1 - d->beta1);
    add(e, "  = %s", v2(a, m1));
    add(e, "v = β2·v + (1−β2)·g² = %s", v2(a, v1));
    if (d->bias_correction) {
        add(e, "m̂ = m / (1−β1^t) = m / %.4g = %s", bc1, v2(a, mh));
        add(e, "v̂ = v / (1−β2^t) = v / %.4g = %s", bc2, v2(b, vh));
    } else {
        add(e, "no bias correction: m̂ = m, v̂ = v");
    }
    if (d->kind == OPTIM_ADAMW && d->weight_decay > 0)
        add(e, "decoupled decay: θ ← θ·(1 − ηλ) = θ·%.6g", 1 - lr * d->weight_decay);
    add(e, "θ ← θ − η·m̂ / (√v̂ + ε)");
    for (int i = 0; i < 2; i++) {
        double den = sqrt(d->amsgrad ? fmax(vh[i], x->after->st.c[i] / bc2) : vh[i]) + d->eps;
        e->mom_step[i] = -lr * d->beta1 * m0[i] / bc1 / den;
        e->grad_step[i] = -lr * (1 - d->beta1) * x->gw[i] / bc1 / den;
    }
}

/* Newton, saddle-free Newton and the escape rule: the second-order lines. */
static void explain_second_order(const explain_ctx *x)
{
    const optim_desc *d = x->d;
    live_explain *e = x->e;
    if (d->kind == OPTIM_ESCAPE) {
        double gn = hypot(x->g[0], x->g[1]);
        add(e, "|g| = %.4g %s tol = %.3g", gn, gn < d->tol ? "<" : "≥", d->tol);
        add(e, gn < d->tol ? "step along the eigenvector of λ < 0" : "θ ← θ − η·g");
        return;
    }
    const double *hm = x->hb;
    eig2 ev = eig2_sym(hm[0], hm[1], hm[2]);
    add(e, "H = [%.4g %.4g; %.4g %.4g], λ = %.4g, %.4g", hm[0], hm[1], hm[1], hm[2], ev.l1, ev.l2);
    if (d->kind == OPTIM_NEWTON)
        add(e, "θ ← θ − η·(H + %.3g·I)⁻¹·g%s", d->damping,
            ev.l1 < 0 && ev.l2 > 0 ? "   (H indefinite: a saddle attracts)" : "");
    else
        add(e, "θ ← θ − η·|H|⁻¹·g   (|H|: eigenvalues made positive)");
}

int explain_step(const runner *before, const runner *after, const expr *f, live_explain *e)
{
    (void)f;
    memset(e, 0, sizeof *e);
    if (after->step != before->step + 1 || before->diverged) return -1;
    explain_ctx x = {before, after, &before->d.opt, optim_info_of(before->d.opt.kind)->name,
                     before->next_lr, after->step, {0, 0}, {0, 0}, {0, 0, 0}, e};
    double p0[2] = {before->p[0], before->p[1]}, p1[2] = {after->p[0], after->p[1]};
    double dp[2] = {p1[0] - p0[0], p1[1] - p0[1]};
    char c[64];
    memcpy(e->p0, p0, sizeof p0);
    memcpy(e->p1, p1, sizeof p1);
    add(e, "%s, step t = %ld, η = %.4g", x.name, x.t, x.lr);
    explain_gradient(&x);
    memcpy(e->grad, x.g, sizeof x.g);
    e->grad_step[0] = -x.lr * x.g[0];
    e->grad_step[1] = -x.lr * x.g[1];
    switch (x.d->kind) {
    case OPTIM_SGD: explain_sgd(&x); break;
    case OPTIM_ADAGRAD:
    case OPTIM_RMSPROP: explain_adagrad_rmsprop(&x); break;
    case OPTIM_ADAM:
    case OPTIM_ADAMW: explain_adam(&x); break;
    case OPTIM_NEWTON:
    case OPTIM_SFN:
    case OPTIM_ESCAPE: explain_second_order(&x); break;
    default: add(e, "(the %s update: see optiscape list optimizers)", x.name); break;
    }
    add(e, "Δθ = %s, |Δθ| = %.4g", v2(c, dp), hypot(dp[0], dp[1]));
    add(e, "f: %.6g → %.6g", before->j.v, after->j.v);
    return 0;
}
