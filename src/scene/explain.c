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

int explain_step(const runner *before, const runner *after, const expr *f, live_explain *e)
{
    (void)f;
    memset(e, 0, sizeof *e);
    if (after->step != before->step + 1 || before->diverged) return -1;
    const optim_desc *d = &before->d.opt;
    const char *name = optim_info_of(d->kind)->name;
    double lr = before->next_lr;
    long t = after->step;
    double p0[2] = {before->p[0], before->p[1]}, p1[2] = {after->p[0], after->p[1]};
    /* the gradient the update used: the runner draws its noise exactly so */
    double g[2] = {before->j.gx, before->j.gy};
    if (before->d.noise > 0) {
        rng r = before->noise_rng;
        g[0] += before->d.noise * rng_normal(&r);
        g[1] += before->d.noise * rng_normal(&r);
    }
    /* a minibatch update: the batch's own gradient and Hessian (noise included in
     * the gradient the runner kept) */
    int batch = after->batch_len;
    double hb[3] = {before->j.hxx, before->j.hxy, before->j.hyy};
    if (batch > 0 && after->d.data) {
        jet2 jb = dataset_batch_jet(after->d.data, after->batch_idx, batch, p0[0], p0[1]);
        g[0] = after->last_g[0];
        g[1] = after->last_g[1];
        hb[0] = jb.hxx;
        hb[1] = jb.hxy;
        hb[2] = jb.hyy;
    }
    double dp[2] = {p1[0] - p0[0], p1[1] - p0[1]};
    char a[64], b[64], c[64];
    memcpy(e->p0, p0, sizeof p0);
    memcpy(e->p1, p1, sizeof p1);
    memcpy(e->grad, g, sizeof g);
    e->grad_step[0] = -lr * g[0];
    e->grad_step[1] = -lr * g[1];

    add(e, "%s, step t = %ld, η = %.4g", name, t, lr);
    if (batch > 0 && before->d.noise > 0)
        add(e, "g = ∇f_B(θ) + noise (batch of %d, σ = %.3g) = %s", batch, before->d.noise, v2(a, g));
    else if (batch > 0)
        add(e, "g = ∇f_B(θ) (the loss of a batch of %d samples) = %s", batch, v2(a, g));
    else if (before->d.noise > 0)
        add(e, "g = ∇f(θ) + noise (σ = %.3g) = %s", before->d.noise, v2(a, g));
    else
        add(e, "g = ∇f(θ) = %s", v2(a, g));
    double gw[2] = {g[0], g[1]};   /* with L2 weight decay added (not adamw's) */
    if (d->weight_decay > 0 && d->kind != OPTIM_ADAMW) {
        gw[0] = g[0] + d->weight_decay * p0[0];
        gw[1] = g[1] + d->weight_decay * p0[1];
        add(e, "g ← g + λθ = %s   (λ = %.3g)", v2(a, gw), d->weight_decay);
    }
    switch (d->kind) {
    case OPTIM_SGD:
        if (d->momentum > 0) {
            const double *b1 = after->st.a;
            if (before->st.started) {
                add(e, "b = μ·b + (1−τ)·g = %.3g·%s + %.3g·g", d->momentum, v2(a, before->st.a),
                    1 - d->dampening);
                e->mom_step[0] = -lr * d->momentum * before->st.a[0];
                e->mom_step[1] = -lr * d->momentum * before->st.a[1];
            } else {
                add(e, "b = g (the first step)");
            }
            add(e, "  = %s", v2(a, b1));
            if (d->nesterov) {
                double n[2] = {gw[0] + d->momentum * b1[0], gw[1] + d->momentum * b1[1]};
                add(e, "Nesterov: g ← g + μ·b = %s", v2(a, n));
                add(e, "θ ← θ − η·g");
            } else {
                add(e, "θ ← θ − η·b");
            }
        } else {
            add(e, "θ ← θ − η·g");
        }
        break;
    case OPTIM_ADAGRAD:
        if (d->mode_mean) {
            add(e, "σ² = mean of g² so far: Σg² = %s over t = %ld", v2(a, after->st.a), t);
            add(e, "θ ← θ − η·g / (σ + ε)");
        } else {
            add(e, "G = G + g² = %s", v2(a, after->st.a));
            if (d->lr_decay > 0) add(e, "η ← η / (1 + (t−1)·%.3g)", d->lr_decay);
            add(e, "θ ← θ − η·g / (√G + ε)");
        }
        break;
    case OPTIM_RMSPROP:
        add(e, "v = α·v + (1−α)·g² = %.3g·%s + %.3g·g²", d->alpha, v2(a, before->st.a), 1 - d->alpha);
        add(e, "  = %s", v2(b, after->st.a));
        add(e, "σ = √v = (%.4g, %.4g)", sqrt(after->st.a[0]), sqrt(after->st.a[1]));
        add(e, "θ ← θ − η·g / (σ + ε)%s", d->momentum > 0 ? ", through a momentum buffer" : "");
        break;
    case OPTIM_ADAM:
    case OPTIM_ADAMW: {
        const double *m0 = before->st.a, *m1 = after->st.a, *v1 = after->st.b;
        double bc1 = d->bias_correction ? 1 - pow(d->beta1, (double)t) : 1;
        double bc2 = d->bias_correction ? 1 - pow(d->beta2, (double)t) : 1;
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
            double den = sqrt(d->amsgrad ? fmax(vh[i], after->st.c[i] / bc2) : vh[i]) + d->eps;
            e->mom_step[i] = -lr * d->beta1 * m0[i] / bc1 / den;
            e->grad_step[i] = -lr * (1 - d->beta1) * gw[i] / bc1 / den;
        }
        break;
    }
    case OPTIM_NEWTON:
    case OPTIM_SFN: {
        double hm[3] = {hb[0], hb[1], hb[2]};
        eig2 ev = eig2_sym(hm[0], hm[1], hm[2]);
        add(e, "H = [%.4g %.4g; %.4g %.4g], λ = %.4g, %.4g", hm[0], hm[1], hm[1], hm[2], ev.l1, ev.l2);
        if (d->kind == OPTIM_NEWTON)
            add(e, "θ ← θ − η·(H + %.3g·I)⁻¹·g%s", d->damping,
                ev.l1 < 0 && ev.l2 > 0 ? "   (H indefinite: a saddle attracts)" : "");
        else
            add(e, "θ ← θ − η·|H|⁻¹·g   (|H|: eigenvalues made positive)");
        break;
    }
    case OPTIM_ESCAPE:
        add(e, "|g| = %.4g %s tol = %.3g", hypot(g[0], g[1]), hypot(g[0], g[1]) < d->tol ? "<" : "≥", d->tol);
        add(e, hypot(g[0], g[1]) < d->tol ? "step along the eigenvector of λ < 0" : "θ ← θ − η·g");
        break;
    default:
        add(e, "(the %s update: see optiscape list optimizers)", name);
        break;
    }
    add(e, "Δθ = %s, |Δθ| = %.4g", v2(c, dp), hypot(dp[0], dp[1]));
    add(e, "f: %.6g → %.6g", before->j.v, after->j.v);
    return 0;
}
