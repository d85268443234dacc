/* net_hvp: exact Hessian-vector products of a network's train-mode loss by
 * Pearlmutter's R-operator (forward-over-reverse): the tangent of every
 * intermediate of the forward pass along v, then the tangent of every intermediate
 * of the backward pass; the tangent of the gradient is H v. No finite differences.
 * The full Hessian is np such products with the unit vectors, split over threads.
 *
 * Notation: for a BatchNorm with input u, xh = (u - mean) s, s = (var + eps)^-1/2,
 * output y = gamma xh + beta, the tangents are
 *   s'  = -s^2 mean(xh u')
 *   xh' = s (u' - mean(u') - xh mean(xh u'))
 *   y'  = gamma' xh + gamma xh' + beta'
 * and its backward pass g_u = s (h - mean h - xh mean(h xh)), h = g gamma, has
 *   g_u' = s' (h - mean h - xh mean(h xh))
 *        + s (h' - mean h' - xh' mean(h xh) - xh mean(h' xh + h xh')),
 *   h' = g' gamma + g gamma'. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "net_priv.h"
#include "parallel.h"

/* dZ = dA W^T (dA non-NULL) + A V^T + vb; rows of V that are zero are skipped (a
 * unit vector touches one). */
NET_HOT static void linear_tan_fwd(int m, int in, int out, const double *A, const double *dA, const double *W,
                           const double *V, const double *vb, double *dZ, double *wt)
{
    for (int i = 0; i < m; i++)
        for (int o = 0; o < out; o++) dZ[(size_t)i * (size_t)out + (size_t)o] = vb[o];
    if (dA) {
        for (int o = 0; o < out; o++)
            for (int k = 0; k < in; k++) wt[(size_t)k * (size_t)out + (size_t)o] = W[(size_t)o * (size_t)in + (size_t)k];
        for (int i = 0; i < m; i++) {
            double *zi = dZ + (size_t)i * (size_t)out;
            const double *ai = dA + (size_t)i * (size_t)in;
            for (int k = 0; k < in; k++) {
                const double aik = ai[k], *wk = wt + (size_t)k * (size_t)out;
                for (int o = 0; o < out; o++) zi[o] += aik * wk[o];
            }
        }
    }
    for (int o = 0; o < out; o++) {
        const double *vo = V + (size_t)o * (size_t)in;
        int nz = 0;
        for (int k = 0; k < in && !nz; k++) nz = vo[k] != 0;
        if (!nz) continue;
        for (int i = 0; i < m; i++) {
            const double *ai = A + (size_t)i * (size_t)in;
            double s = 0;
            for (int k = 0; k < in; k++) s += ai[k] * vo[k];
            dZ[(size_t)i * (size_t)out + (size_t)o] += s;
        }
    }
}

/* hv_W += dG^T A + G^T dA, hv_b += colsum dG, and dGA = dG W + G V. */
NET_HOT static void linear_tan_bwd(int m, int in, int out, const double *A, const double *dA, const double *W,
                           const double *V, const double *G, const double *dG, double *hW, double *hb,
                           double *dGA)
{
    for (int i = 0; i < m; i++) {
        const double *gi = G + (size_t)i * (size_t)out, *dgi = dG + (size_t)i * (size_t)out;
        const double *ai = A + (size_t)i * (size_t)in, *dai = dA ? dA + (size_t)i * (size_t)in : NULL;
        for (int o = 0; o < out; o++) {
            double dg = dgi[o], g = gi[o], *ho = hW + (size_t)o * (size_t)in;
            hb[o] += dg;
            for (int k = 0; k < in; k++) ho[k] += dg * ai[k];
            if (dai)
                for (int k = 0; k < in; k++) ho[k] += g * dai[k];
        }
        if (dGA) {
            double *r = dGA + (size_t)i * (size_t)in;
            for (int k = 0; k < in; k++) r[k] = 0.0;
            for (int o = 0; o < out; o++) {
                const double dg = dgi[o], g = gi[o], *wo = W + (size_t)o * (size_t)in, *vo = V + (size_t)o * (size_t)in;
                for (int k = 0; k < in; k++) r[k] += dg * wo[k];
                if (g != 0)
                    for (int k = 0; k < in; k++) r[k] += g * vo[k];
            }
        }
    }
}

/* The BN's forward tangent: dY from dU (see the header comment); keeps dxh, ds. */
static void bn_tan_fwd(int m, int wd, const double *dU, const double *xh, const double *istd, const double *gam,
                       const double *vg, const double *vb, double *dY, double *dxh, double *ds)
{
    for (int j = 0; j < wd; j++) {
        double mu = 0, c = 0;
        for (int i = 0; i < m; i++) {
            size_t k = (size_t)i * (size_t)wd + (size_t)j;
            mu += dU[k];
            c += xh[k] * dU[k];
        }
        mu /= m;
        c /= m;
        ds[j] = -istd[j] * istd[j] * c;
        for (int i = 0; i < m; i++) {
            size_t k = (size_t)i * (size_t)wd + (size_t)j;
            dxh[k] = istd[j] * (dU[k] - mu - xh[k] * c);
            dY[k] = vg[j] * xh[k] + gam[j] * dxh[k] + vb[j];
        }
    }
}

/* The BN's backward tangent: dGU from G, dG; adds to the gamma/beta entries of hv. */
static void bn_tan_bwd(int m, int wd, const double *G, const double *dG, const double *xh, const double *dxh,
                       const double *istd, const double *ds, const double *gam, const double *vg, double *dGU,
                       double *hg, double *hbeta)
{
    for (int j = 0; j < wd; j++) {
        double m1 = 0, m2 = 0, d1 = 0, d2 = 0, sg = 0, sgx = 0;
        for (int i = 0; i < m; i++) {
            size_t k = (size_t)i * (size_t)wd + (size_t)j;
            double h = G[k] * gam[j], dh = dG[k] * gam[j] + G[k] * vg[j];
            m1 += h;
            m2 += h * xh[k];
            d1 += dh;
            d2 += dh * xh[k] + h * dxh[k];
            sg += dG[k];
            sgx += dG[k] * xh[k] + G[k] * dxh[k];
        }
        m1 /= m;
        m2 /= m;
        d1 /= m;
        d2 /= m;
        hg[j] += sgx;
        hbeta[j] += sg;
        for (int i = 0; i < m; i++) {
            size_t k = (size_t)i * (size_t)wd + (size_t)j;
            double h = G[k] * gam[j], dh = dG[k] * gam[j] + G[k] * vg[j];
            dGU[k] = ds[j] * (h - m1 - xh[k] * m2) + istd[j] * (dh - d1 - dxh[k] * m2 - xh[k] * d2);
        }
    }
}

/* The loss's second derivative with respect to the outputs applied to dO. */
static void loss_tan(net_loss kind, int m, int k, const double *pr, const double *dO, double *dG)
{
    for (int i = 0; i < m; i++) {
        const double *p = pr + (size_t)i * (size_t)k, *d = dO + (size_t)i * (size_t)k;
        double *g = dG + (size_t)i * (size_t)k;
        if (kind == NET_MSE) {
            g[0] = 2.0 * d[0] / m;
        } else if (kind == NET_BCE) {
            g[0] = p[0] * (1.0 - p[0]) * d[0] / m;
        } else {
            double pd = 0;
            for (int j = 0; j < k; j++) pd += p[j] * d[j];
            for (int j = 0; j < k; j++) g[j] = p[j] * (d[j] - pd) / m;
        }
    }
}

static int layer_touched(const net *nt, int l, const double *v)
{
    size_t a = nt->w_off[l], b = l + 1 < nt->s.nlin ? nt->w_off[l + 1] : nt->np;
    for (size_t i = a; i < b; i++)
        if (v[i] != 0) return 1;
    return 0;
}

static void tan_forward(const net *nt, const double *p, const double *v, net_work *w, int *live)
{
    const net_spec *s = &nt->s;
    int m = w->m, on = 0;
    for (int l = 0; l < s->nlin; l++) {
        int in = s->width[l], out = s->width[l + 1];
        size_t n = (size_t)m * (size_t)out;
        const double *dA = l > 0 && live[l - 1] ? w->da[l - 1] : NULL;
        on = on || layer_touched(nt, l, v);
        live[l] = on;
        if (!on) continue;
        linear_tan_fwd(m, in, out, net_layer_in(w, l), dA, p + nt->w_off[l], v + nt->w_off[l],
                       v + nt->b_off[l], w->dz[l], w->wt);
        if (l == s->nlin - 1) break;
        const double *gam = p + nt->g_off[l], *vg = v + nt->g_off[l], *vb = v + nt->beta_off[l];
        if (s->bn == NET_BN_OFF) {
            net_act_tan_fwd(s->act, n, w->z[l], w->a[l], w->dz[l], w->da[l]);
        } else if (s->bn == NET_BN_BEFORE) {
            bn_tan_fwd(m, out, w->dz[l], w->xh[l], w->istd[l], gam, vg, vb, w->dy1[l], w->dxh[l], w->dist[l]);
            net_act_tan_fwd(s->act, n, w->y1[l], w->a[l], w->dy1[l], w->da[l]);
        } else {
            net_act_tan_fwd(s->act, n, w->z[l], w->y1[l], w->dz[l], w->dy1[l]);
            bn_tan_fwd(m, out, w->dy1[l], w->xh[l], w->istd[l], gam, vg, vb, w->da[l], w->dxh[l], w->dist[l]);
        }
    }
}

/* Hidden layer h's backward tangent: from (ga, dga) to dgz. Layers whose forward
 * tangent is zero (not live) have dz = dy1 = dxh = ds = 0. */
static void tan_hidden_bwd(const net *nt, const double *p, const double *v, int h, int live, double *hv,
                           net_work *w)
{
    const net_spec *s = &nt->s;
    int m = w->m, wd = s->width[h + 1];
    size_t n = (size_t)m * (size_t)wd;
    const double *gam = p + nt->g_off[h], *vg = v + nt->g_off[h];
    if (!live) {
        memset(w->dz[h], 0, n * sizeof(double));
        memset(w->dy1[h], 0, n * sizeof(double));
        memset(w->dxh[h], 0, n * sizeof(double));
        memset(w->dist[h], 0, (size_t)wd * sizeof(double));
    }
    if (s->bn == NET_BN_OFF) {
        net_act_tan_bwd(s->act, n, w->z[h], w->a[h], w->dz[h], w->ga[h], w->dga[h], w->dgz[h]);
    } else if (s->bn == NET_BN_BEFORE) {
        net_act_tan_bwd(s->act, n, w->y1[h], w->a[h], w->dy1[h], w->ga[h], w->dga[h], w->dgy1[h]);
        bn_tan_bwd(m, wd, w->gy1[h], w->dgy1[h], w->xh[h], w->dxh[h], w->istd[h], w->dist[h], gam, vg,
                   w->dgz[h], hv + nt->g_off[h], hv + nt->beta_off[h]);
    } else {
        bn_tan_bwd(m, wd, w->ga[h], w->dga[h], w->xh[h], w->dxh[h], w->istd[h], w->dist[h], gam, vg,
                   w->dgy1[h], hv + nt->g_off[h], hv + nt->beta_off[h]);
        net_act_tan_bwd(s->act, n, w->z[h], w->y1[h], w->dz[h], w->gy1[h], w->dgy1[h], w->dgz[h]);
    }
}

void net_hvp(const net *nt, const double *p, const double *v, double *hv, net_work *w)
{
    const net_spec *s = &nt->s;
    int L = s->nlin, m = w->m, live[NET_MAX_LINEAR];
    memset(hv, 0, nt->np * sizeof *hv);
    tan_forward(nt, p, v, w, live);
    if (!live[L - 1]) return;   /* v = 0 */
    loss_tan(s->loss, m, s->width[L], w->pr, w->dz[L - 1], w->dgz[L - 1]);
    for (int l = L - 1; l >= 0; l--) {
        int in = s->width[l], out = s->width[l + 1];
        const double *dA = l > 0 && live[l - 1] ? w->da[l - 1] : NULL;
        linear_tan_bwd(m, in, out, net_layer_in(w, l), dA, p + nt->w_off[l], v + nt->w_off[l], w->gz[l],
                       w->dgz[l], hv + nt->w_off[l], hv + nt->b_off[l], l > 0 ? w->dga[l - 1] : NULL);
        if (l > 0) tan_hidden_bwd(nt, p, v, l - 1, live[l - 1], hv, w);
    }
}

/* ------------------------------------------------------------------------------ */
/* The full Hessian                                                                 */

typedef struct hess_job {
    const net *nt;
    const double *p;
    const netdata *d;
    const int *idx;
    int m;
    double *H;
    int fail[PARALLEL_MAX_THREADS];   /* per piece */
} hess_job;

/* Rows j0..j1-1 of H: H e_j, each from its own tangent pass. */
static void hess_rows(void *ctx, int piece, int j0, int j1)
{
    hess_job *jb = ctx;
    size_t np = jb->nt->np;
    net_work *w = net_work_new(jb->nt, jb->m);
    double *g = malloc(np * sizeof *g), *e = calloc(np, sizeof *e);
    if (!w || !g || !e) {
        jb->fail[piece] = 1;
    } else {
        net_pass(jb->nt, jb->p, jb->d, jb->idx, jb->m, NET_TRAIN, g, w);
        for (size_t j = (size_t)j0; j < (size_t)j1; j++) {
            e[j] = 1.0;
            net_hvp(jb->nt, jb->p, e, jb->H + j * np, w);
            e[j] = 0.0;
        }
    }
    net_work_free(w);
    free(g);
    free(e);
}

int net_hessian(const net *nt, const double *p, const netdata *d, const int *idx, int m, double *H, int threads)
{
    hess_job jb = {nt, p, d, idx, m, H, {0}};
    int fail = 0;
    size_t np = nt->np;
    /* later columns are cheaper (their layers sit near the output: shorter
     * tangents), so an even split by count is close enough */
    parallel_for((int)np, threads, hess_rows, &jb);
    for (int t = 0; t < PARALLEL_MAX_THREADS; t++) fail |= jb.fail[t];
    if (fail) return -1;
    /* rows are H e_j; H is symmetric up to rounding: average the two halves */
    for (size_t i = 0; i < np; i++)
        for (size_t j = i + 1; j < np; j++) {
            double a = 0.5 * (H[i * np + j] + H[j * np + i]);
            H[i * np + j] = H[j * np + i] = a;
        }
    return 0;
}

void net_hvp_op(void *ctx, const double *x, double *y)
{
    net_hvp_ctx *c = ctx;
    net_hvp(c->nt, c->p, x, y, c->w);
}
