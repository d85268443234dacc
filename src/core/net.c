/* net: the spec, the parameter layout, torch's default initialization, state_dict
 * files, and the exact forward and backward passes (train and eval mode). */
#include "net.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_priv.h"
#include "rng.h"
#include "fileio.h"
#include "spec.h"

/* ------------------------------------------------------------------------------ */
/* The spec                                                                         */

static const char *const act_names[] = {"relu", "tanh", "sigmoid", "linear"};
static const char *const bn_names[] = {"off", "before", "after"};
static const char *const loss_names[] = {"mse", "bce", "ce"};

static int word_index(const char *const *names, int n, const char *s, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0) return i;
    return -1;
}

static int bad(char *err, size_t errlen, const char *text, size_t col, const char *fmt,
               const char *word, size_t wlen)
{
    char msg[160];
    snprintf(msg, sizeof msg, fmt, (int)(wlen > 40 ? 40 : wlen), word);
    snprintf(err, errlen, "net '%.60s': column %zu: %s", text, col + 1, msg);
    return -1;
}

/* key=value at s[0 .. len) */
static int parse_kv(net_spec *o, const char *text, size_t col, const char *s, size_t len,
                    char *err, size_t errlen)
{
    const char *eq = memchr(s, '=', len);
    size_t klen = (size_t)(eq - s), vlen = len - klen - 1;
    const char *v = eq + 1;
    char num[64];
    int i;
    if (klen == 3 && strncmp(s, "act", 3) == 0) {
        if ((i = word_index(act_names, 4, v, vlen)) < 0)
            return bad(err, errlen, text, col + 4, "act '%.*s': expected relu, tanh, sigmoid or linear", v, vlen);
        o->act = (net_act)i;
    } else if (klen == 2 && strncmp(s, "bn", 2) == 0) {
        if ((i = word_index(bn_names, 3, v, vlen)) < 0)
            return bad(err, errlen, text, col + 3, "bn '%.*s': expected off, before or after", v, vlen);
        o->bn = (net_bn)i;
    } else if (klen == 4 && strncmp(s, "loss", 4) == 0) {
        if ((i = word_index(loss_names, 3, v, vlen)) < 0)
            return bad(err, errlen, text, col + 5, "loss '%.*s': expected mse, bce or ce", v, vlen);
        o->loss = (net_loss)i;
    } else if ((klen == 8 && strncmp(s, "momentum", 8) == 0) || (klen == 3 && strncmp(s, "eps", 3) == 0)) {
        double x;
        if (vlen >= sizeof num) return bad(err, errlen, text, col + klen + 1, "'%.*s' is not a number", v, vlen);
        memcpy(num, v, vlen);
        num[vlen] = '\0';
        if (spec_number(num, &x) != 0 || x < 0 || (klen == 8 && x > 1) || (klen == 3 && x <= 0))
            return bad(err, errlen, text, col + klen + 1,
                       klen == 8 ? "momentum '%.*s': expected a number in [0, 1]"
                                 : "eps '%.*s': expected a number > 0", v, vlen);
        if (klen == 8) o->bn_momentum = x;
        else o->bn_eps = x;
    } else {
        return bad(err, errlen, text, col, "unknown key '%.*s' (keys: act, bn, loss, momentum, eps)", s, klen);
    }
    return 0;
}

static int parse_width(net_spec *o, const char *text, size_t col, const char *s, size_t len,
                       char *err, size_t errlen)
{
    char num[32];
    long w;
    if (len == 0 || len >= sizeof num) return bad(err, errlen, text, col, "expected a layer width, got '%.*s'", s, len);
    memcpy(num, s, len);
    num[len] = '\0';
    if (spec_int(num, 1, NET_MAX_WIDTH, &w) != 0)
        return bad(err, errlen, text, col, "layer width '%.*s': expected an integer 1 .. 4096", s, len);
    if (o->nlin + 1 > NET_MAX_LINEAR)
        return bad(err, errlen, text, col, "too many layers at '%.*s' (at most 9 widths)", s, len);
    o->width[o->nlin + 1] = (int)w;   /* nlin starts at -1: it ends as widths - 1 */
    o->nlin++;
    return 0;
}

int net_parse(const char *text, net_spec *out, char *err, size_t errlen)
{
    net_spec o;
    size_t n = strlen(text), pos;
    memset(&o, 0, sizeof o);
    o.bn_momentum = 0.1;
    o.bn_eps = 1e-5;
    o.nlin = -1;
    if (strncmp(text, "mlp:", 4) != 0) {
        snprintf(err, errlen, "net '%.60s': column 1: expected mlp:WIDTHS,...", text);
        return -1;
    }
    for (pos = 4; pos <= n;) {
        const char *s = text + pos;
        size_t len = strcspn(s, ",");
        int rc = memchr(s, '=', len) ? parse_kv(&o, text, pos, s, len, err, errlen)
                                     : parse_width(&o, text, pos, s, len, err, errlen);
        if (rc) return -1;
        pos += len + 1;
    }
    if (o.nlin < 1) {
        snprintf(err, errlen, "net '%.60s': give at least two widths (inputs and outputs)", text);
        return -1;
    }
    int k = o.width[o.nlin];
    if ((o.loss != NET_CE && k != 1) || (o.loss == NET_CE && k < 2)) {
        snprintf(err, errlen, "net '%.60s': loss=%s needs %s output%s, the last width is %d", text,
                 loss_names[o.loss], o.loss == NET_CE ? "2 or more" : "1", o.loss == NET_CE ? "s" : "", k);
        return -1;
    }
    *out = o;
    return 0;
}

/* The fewest digits (up to 17) that read back as v. */
static const char *shortest(double v, char num[32])
{
    for (int d = 6; d <= 17; d++) {
        snprintf(num, 32, "%.*g", d, v);
        if (strtod(num, NULL) == v) break;
    }
    return num;
}

void net_format(const net_spec *s, char *buf, size_t len)
{
    char tmp[256];
    size_t o = 0;
    o += (size_t)snprintf(tmp, sizeof tmp, "mlp:");
    for (int i = 0; i <= s->nlin && o < sizeof tmp; i++)
        o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%d,", s->width[i]);
    if (o < sizeof tmp)
        o += (size_t)snprintf(tmp + o, sizeof tmp - o, "act=%s,bn=%s,loss=%s", act_names[s->act], bn_names[s->bn],
                              loss_names[s->loss]);
    /* BN's momentum and eps where they are not torch's defaults: the spec reads back the same */
    char num[32];
    if (o < sizeof tmp && s->bn_momentum != 0.1)
        o += (size_t)snprintf(tmp + o, sizeof tmp - o, ",momentum=%s", shortest(s->bn_momentum, num));
    if (o < sizeof tmp && s->bn_eps != 1e-5)
        snprintf(tmp + o, sizeof tmp - o, ",eps=%s", shortest(s->bn_eps, num));
    snprintf(buf, len, "%s", tmp);
}

/* ------------------------------------------------------------------------------ */
/* Layout, initialization, state_dict                                               */

static int has_bn(const net *nt, int l)
{
    return nt->s.bn != NET_BN_OFF && l < nt->s.nlin - 1;
}

int net_init(net *nt, const net_spec *s)
{
    size_t off = 0, st = 0;
    memset(nt, 0, sizeof *nt);
    nt->s = *s;
    for (int l = 0; l < s->nlin; l++) {
        size_t in = (size_t)s->width[l], out = (size_t)s->width[l + 1];
        nt->w_off[l] = off;
        off += in * out;
        nt->b_off[l] = off;
        off += out;
        if (has_bn(nt, l)) {
            nt->g_off[l] = off;
            off += out;
            nt->beta_off[l] = off;
            off += out;
            nt->st_off[l] = st;
            st += 2 * out;
        }
    }
    for (int l = 0; l <= s->nlin; l++)
        if (s->width[l] > nt->maxw) nt->maxw = s->width[l];
    nt->np = off;
    nt->nstats = st;
    nt->stats = calloc(st ? st : 1, sizeof *nt->stats);
    if (!nt->stats) return -1;
    net_reset_stats(nt);
    return 0;
}

void net_free(net *nt)
{
    free(nt->stats);
    nt->stats = NULL;
}

void net_reset_stats(net *nt)
{
    for (int l = 0; l < nt->s.nlin; l++) {
        if (!has_bn(nt, l)) continue;
        int w = nt->s.width[l + 1];
        for (int j = 0; j < w; j++) {
            nt->stats[nt->st_off[l] + (size_t)j] = 0.0;
            nt->stats[nt->st_off[l] + (size_t)(w + j)] = 1.0;
        }
    }
}

void net_init_params(net *nt, double *p, uint64_t seed)
{
    rng r;
    rng_seed(&r, seed);
    for (int l = 0; l < nt->s.nlin; l++) {
        size_t in = (size_t)nt->s.width[l], out = (size_t)nt->s.width[l + 1];
        double bound = 1.0 / sqrt((double)in);
        for (size_t i = 0; i < in * out; i++) p[nt->w_off[l] + i] = bound * (2.0 * rng_uniform(&r) - 1.0);
        for (size_t i = 0; i < out; i++) p[nt->b_off[l] + i] = bound * (2.0 * rng_uniform(&r) - 1.0);
        if (has_bn(nt, l))
            for (size_t i = 0; i < out; i++) {
                p[nt->g_off[l] + i] = 1.0;
                p[nt->beta_off[l] + i] = 0.0;
            }
    }
    net_reset_stats(nt);
}

size_t net_state_len(const net *nt)
{
    return nt->np + nt->nstats;
}

/* Walk the state_dict: for each entry, a pointer into p or stats and a length. */
static void state_copy(const net *nt, double *p, double *stats, double *state, int to_state)
{
    size_t o = 0;
    for (int l = 0; l < nt->s.nlin; l++) {
        size_t in = (size_t)nt->s.width[l], out = (size_t)nt->s.width[l + 1];
        double *seg[4];
        size_t len[4];
        int ns = 0;
        seg[ns] = p + nt->w_off[l];
        len[ns++] = in * out + out;         /* weight then bias: contiguous in p */
        if (has_bn(nt, l)) {
            seg[ns] = p + nt->g_off[l];
            len[ns++] = 2 * out;            /* BN weight, bias */
            seg[ns] = stats + nt->st_off[l];
            len[ns++] = 2 * out;            /* running mean, var */
        }
        for (int k = 0; k < ns; k++) {
            if (to_state) memcpy(state + o, seg[k], len[k] * sizeof *state);
            else memcpy(seg[k], state + o, len[k] * sizeof *state);
            o += len[k];
        }
    }
}

void net_state_get(const net *nt, const double *p, double *state)
{
    state_copy(nt, (double *)p, nt->stats, state, 1);
}

void net_state_set(net *nt, double *p, const double *state)
{
    state_copy(nt, p, nt->stats, (double *)state, 0);
}

int net_state_load(net *nt, double *p, const char *path, char *err, size_t errlen)
{
    size_t want = net_state_len(nt), got = 0;
    double *st = malloc(want * sizeof *st);
    char why[96] = "";
    FILE *f = fileio_open_read(path, FILEIO_INPUT_MAX, why, sizeof why);
    char line[256];
    long ln = 0;
    int rc = -1;
    if (!st || !f) {
        snprintf(err, errlen, "%.200s: %s", path, !st ? "out of memory" : why);
        goto done;
    }
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        double v;
        ln++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ')) line[--len] = '\0';
        if (len == 0) continue;
        if (spec_number(line, &v) != 0) {
            snprintf(err, errlen, "%.200s:%ld: '%.40s' is not a number", path, ln, line);
            goto done;
        }
        if (got == want) {
            snprintf(err, errlen, "%.200s:%ld: more than the %zu numbers the network has", path, ln, want);
            goto done;
        }
        st[got++] = v;
    }
    if (got != want) {
        snprintf(err, errlen, "%.200s: %zu numbers, the network has %zu", path, got, want);
        goto done;
    }
    net_state_set(nt, p, st);
    rc = 0;
done:
    if (f) fclose(f);
    free(st);
    return rc;
}

int net_state_save(const net *nt, const double *p, const char *path, char *err, size_t errlen)
{
    size_t n = net_state_len(nt);
    double *st = malloc(n * sizeof *st);
    char tmp[1100];
    FILE *f;
    int ok;
    if (!st) { snprintf(err, errlen, "out of memory"); return -1; }
    net_state_get(nt, p, st);
    snprintf(tmp, sizeof tmp, "%.1000s.tmp-%ld", path, (long)n);
    f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%.200s: %s", tmp, strerror(errno));
        free(st);
        return -1;
    }
    ok = 1;
    for (size_t i = 0; i < n && ok; i++) ok = fprintf(f, "%.17g\n", st[i]) > 0;
    ok = (fclose(f) == 0) && ok;
    free(st);
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%.200s: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------ */
/* Scratch memory                                                                   */

net_work *net_work_new(const net *nt, int cap)
{
    net_work *w = calloc(1, sizeof *w);
    size_t c = (size_t)(cap < 1 ? 1 : cap), mw = (size_t)nt->maxw;
    int ok;
    if (!w) return NULL;
    w->cap = (int)c;
    w->x0 = malloc(c * (size_t)nt->s.width[0] * sizeof(double));
    w->t = malloc(c * sizeof(double));
    w->wt = malloc(mw * mw * sizeof(double));
    w->pr = malloc(c * mw * sizeof(double));
    w->tmp = malloc(c * mw * sizeof(double));
    w->bnscr = malloc(2 * mw * sizeof(double));
    ok = w->x0 && w->t && w->wt && w->pr && w->tmp && w->bnscr;
    for (int l = 0; l < nt->s.nlin && ok; l++) {
        size_t n = c * (size_t)nt->s.width[l + 1] * sizeof(double), f = (size_t)nt->s.width[l + 1] * sizeof(double);
        double **big[] = {&w->z[l], &w->y1[l], &w->a[l], &w->xh[l], &w->gz[l], &w->gy1[l], &w->ga[l],
                          &w->dz[l], &w->dy1[l], &w->da[l], &w->dxh[l], &w->dgz[l], &w->dgy1[l], &w->dga[l]};
        double **small[] = {&w->mean[l], &w->var[l], &w->istd[l], &w->dist[l]};
        for (size_t k = 0; k < sizeof big / sizeof big[0]; k++) ok = ok && (*big[k] = malloc(n));
        for (size_t k = 0; k < sizeof small / sizeof small[0]; k++) ok = ok && (*small[k] = malloc(f));
    }
    if (!ok) {
        net_work_free(w);
        return NULL;
    }
    return w;
}

void net_work_free(net_work *w)
{
    if (!w) return;
    for (int l = 0; l < NET_MAX_LINEAR; l++) {
        double *all[] = {w->z[l], w->y1[l], w->a[l], w->xh[l], w->gz[l], w->gy1[l], w->ga[l], w->dz[l],
                         w->dy1[l], w->da[l], w->dxh[l], w->dgz[l], w->dgy1[l], w->dga[l], w->mean[l],
                         w->var[l], w->istd[l], w->dist[l]};
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) free(all[k]);
    }
    free(w->x0);
    free(w->t);
    free(w->wt);
    free(w->pr);
    free(w->tmp);
    free(w->bnscr);
    free(w);
}

/* ------------------------------------------------------------------------------ */
/* Building blocks                                                                  */

/* Z = A W^T + b: A m x in, W out x in. W is transposed into wt first so the
 * product runs along contiguous rows. */
static void linear_fwd(int m, int in, int out, const double *A, const double *W, const double *b,
                       double *Z, double *wt)
{
    for (int o = 0; o < out; o++)
        for (int k = 0; k < in; k++) wt[(size_t)k * (size_t)out + (size_t)o] = W[(size_t)o * (size_t)in + (size_t)k];
    net_mm_nn(m, in, out, A, wt, b, Z);
}

/* dW += G^T A, db += colsum G, and (GA non-NULL) GA = G W. When the layer has
 * fewer inputs than outputs (the first layer of a 2-D problem) G^T A is gathered
 * transposed in tmp (in x out), so the blocks run along the longer side; the sums
 * are taken in the same order either way. */
static void linear_bwd(int m, int in, int out, const double *A, const double *W, const double *G,
                       double *dW, double *db, double *GA, double *tmp)
{
    for (int i = 0; i < m; i++)
        for (int o = 0; o < out; o++) db[o] += G[(size_t)i * (size_t)out + (size_t)o];
    if (in < out) {
        for (size_t k = 0; k < (size_t)in * (size_t)out; k++) tmp[k] = 0.0;
        net_mm_tn(m, in, out, A, G, tmp);
        for (int o = 0; o < out; o++)
            for (int k = 0; k < in; k++) dW[(size_t)o * (size_t)in + (size_t)k] += tmp[(size_t)k * (size_t)out + (size_t)o];
    } else {
        net_mm_tn(m, out, in, G, A, dW);
    }
    if (GA) net_mm_nn(m, out, in, G, W, NULL, GA);
}

/* BatchNorm1d, train mode: batch mean and biased variance per feature. The loops
 * run along rows (features side by side, so they vectorize); every feature's sums
 * still go over the samples in order. */
NET_HOT static void bn_train_fwd(int m, int wd, double eps, const double *U, const double *gam, const double *bet,
                                 double *Y, double *xh, double *mean, double *var, double *istd)
{
    for (int j = 0; j < wd; j++) mean[j] = var[j] = 0.0;
    for (int i = 0; i < m; i++) {
        const double *u = U + (size_t)i * (size_t)wd;
        for (int j = 0; j < wd; j++) mean[j] += u[j];
    }
    for (int j = 0; j < wd; j++) mean[j] /= m;
    for (int i = 0; i < m; i++) {
        const double *u = U + (size_t)i * (size_t)wd;
        for (int j = 0; j < wd; j++) {
            double d = u[j] - mean[j];
            var[j] += d * d;
        }
    }
    for (int j = 0; j < wd; j++) {
        var[j] /= m;
        istd[j] = 1.0 / sqrt(var[j] + eps);
    }
    for (int i = 0; i < m; i++) {
        size_t o = (size_t)i * (size_t)wd;
        for (int j = 0; j < wd; j++) {
            xh[o + j] = (U[o + j] - mean[j]) * istd[j];
            Y[o + j] = gam[j] * xh[o + j] + bet[j];
        }
    }
}

static void bn_eval_fwd(int m, int wd, double eps, const double *U, const double *gam, const double *bet,
                        const double *rmean, const double *rvar, double *Y)
{
    for (int j = 0; j < wd; j++) {
        double is = 1.0 / sqrt(rvar[j] + eps);
        for (int i = 0; i < m; i++) {
            size_t k = (size_t)i * (size_t)wd + (size_t)j;
            Y[k] = (U[k] - rmean[j]) * is * gam[j] + bet[j];
        }
    }
}

/* dL/dU = istd (h - mean h - xh mean(h xh)), h = G gamma; dgamma = sum G xh,
 * dbeta = sum G (sums along rows as in bn_train_fwd; scr: 2 wd of scratch). */
NET_HOT static void bn_bwd(int m, int wd, const double *G, const double *xh, const double *istd, const double *gam,
                           double *GU, double *dgam, double *dbet, double *scr)
{
    double *sg = scr, *sgx = scr + wd;
    for (int j = 0; j < wd; j++) sg[j] = sgx[j] = 0.0;
    for (int i = 0; i < m; i++) {
        size_t o = (size_t)i * (size_t)wd;
        for (int j = 0; j < wd; j++) {
            sg[j] += G[o + j];
            sgx[j] += G[o + j] * xh[o + j];
        }
    }
    for (int j = 0; j < wd; j++) {
        dgam[j] += sgx[j];
        dbet[j] += sg[j];
        sg[j] = gam[j] * sg[j] / m;         /* now the means m1 and m2 */
        sgx[j] = gam[j] * sgx[j] / m;
    }
    for (int i = 0; i < m; i++) {
        size_t o = (size_t)i * (size_t)wd;
        for (int j = 0; j < wd; j++) GU[o + j] = istd[j] * (gam[j] * G[o + j] - sg[j] - xh[o + j] * sgx[j]);
    }
}

/* ------------------------------------------------------------------------------ */
/* Loss                                                                             */

/* Mean loss over the m outputs O (m x k) and targets t; accuracy; GO = dL/dO when
 * non-NULL; pr receives sigmoid / softmax of the outputs. */
static net_result loss_eval(net_loss kind, int m, int k, const double *O, const double *t, double *pr,
                            double *GO)
{
    net_result r = {0, NAN};
    double sum = 0;
    long correct = 0;
    for (int i = 0; i < m; i++) {
        const double *o = O + (size_t)i * (size_t)k;
        double *p = pr + (size_t)i * (size_t)k;
        if (kind == NET_MSE) {
            double d = o[0] - t[i];
            sum += d * d;
            if (GO) GO[i] = 2.0 * d / m;
        } else if (kind == NET_BCE) {
            /* torch's binary_cross_entropy_with_logits, (1 - t) x + mx +
             * log(exp(-mx) + exp(-x - mx)), mx = max(-x, 0): one of the two
             * exponentials is exp(0) = 1, the other exp(-|x|), which also gives the
             * sigmoid: one exp and one log1p per sample */
            double x = o[0], mx = x < 0 ? -x : 0.0, e = exp(-fabs(x));
            sum += (1.0 - t[i]) * x + mx + log1p(e);
            p[0] = x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            if (GO) GO[i] = (p[0] - t[i]) / m;
            correct += (x > 0) == (t[i] > 0.5);
        } else {
            int c = (int)t[i], arg = 0;
            double mx = o[0], se = 0;
            for (int j = 1; j < k; j++)
                if (o[j] > mx) { mx = o[j]; arg = j; }
            for (int j = 0; j < k; j++) se += exp(o[j] - mx);
            sum += -(o[c] - mx - log(se));
            for (int j = 0; j < k; j++) {
                p[j] = exp(o[j] - mx) / se;
                if (GO) GO[(size_t)i * (size_t)k + (size_t)j] = (p[j] - (j == c)) / m;
            }
            correct += arg == c;
        }
    }
    r.loss = sum / m;
    if (kind != NET_MSE) r.acc = (double)correct / m;
    return r;
}

/* ------------------------------------------------------------------------------ */
/* Passes                                                                           */

void net_gather(const net *nt, const netdata *d, const int *idx, int m, net_work *w)
{
    int in = nt->s.width[0];
    for (int i = 0; i < m; i++) {
        int s = idx ? idx[i] : i;
        memcpy(w->x0 + (size_t)i * (size_t)in, d->x + (size_t)s * (size_t)d->d, (size_t)in * sizeof(double));
        w->t[i] = d->y[s];
    }
}

static void bn_fwd(const net *nt, const double *p, int l, int m, net_mode mode, const double *U, double *Y,
                   net_work *w)
{
    int wd = nt->s.width[l + 1];
    const double *gam = p + nt->g_off[l], *bet = p + nt->beta_off[l];
    if (mode == NET_TRAIN)
        bn_train_fwd(m, wd, nt->s.bn_eps, U, gam, bet, Y, w->xh[l], w->mean[l], w->var[l], w->istd[l]);
    else
        bn_eval_fwd(m, wd, nt->s.bn_eps, U, gam, bet, nt->stats + nt->st_off[l],
                    nt->stats + nt->st_off[l] + wd, Y);
}

/* The forward pass; from0: the first layer's output is already in w->z[0]. */
static void forward(const net *nt, const double *p, int m, net_mode mode, net_work *w, int from0)
{
    const net_spec *s = &nt->s;
    for (int l = 0; l < s->nlin; l++) {
        int in = s->width[l], out = s->width[l + 1];
        size_t n = (size_t)m * (size_t)out;
        if (!(from0 && l == 0))
            linear_fwd(m, in, out, net_layer_in(w, l), p + nt->w_off[l], p + nt->b_off[l], w->z[l], w->wt);
        if (l == s->nlin - 1) break;
        if (s->bn == NET_BN_OFF) {
            net_act_fwd(s->act, n, w->z[l], w->a[l]);
        } else if (s->bn == NET_BN_BEFORE) {
            bn_fwd(nt, p, l, m, mode, w->z[l], w->y1[l], w);
            net_act_fwd(s->act, n, w->y1[l], w->a[l]);
        } else {
            net_act_fwd(s->act, n, w->z[l], w->y1[l]);
            bn_fwd(nt, p, l, m, mode, w->y1[l], w->a[l], w);
        }
    }
}

/* Backward from gz of the last layer (already in w->gz[L-1]) into grad. */
static void backward(const net *nt, const double *p, int m, double *grad, net_work *w)
{
    const net_spec *s = &nt->s;
    memset(grad, 0, nt->np * sizeof *grad);
    for (int l = s->nlin - 1; l >= 0; l--) {
        int in = s->width[l], out = s->width[l + 1];
        linear_bwd(m, in, out, net_layer_in(w, l), p + nt->w_off[l], w->gz[l], grad + nt->w_off[l],
                   grad + nt->b_off[l], l > 0 ? w->ga[l - 1] : NULL, w->wt);
        if (l == 0) break;
        int h = l - 1;
        size_t n = (size_t)m * (size_t)in;
        const double *gam = p + nt->g_off[h];
        if (s->bn == NET_BN_OFF) {
            net_act_bwd(s->act, n, w->ga[h], w->z[h], w->a[h], w->gz[h]);
        } else if (s->bn == NET_BN_BEFORE) {
            net_act_bwd(s->act, n, w->ga[h], w->y1[h], w->a[h], w->gy1[h]);
            bn_bwd(m, in, w->gy1[h], w->xh[h], w->istd[h], gam, w->gz[h], grad + nt->g_off[h],
                   grad + nt->beta_off[h], w->bnscr);
        } else {
            bn_bwd(m, in, w->ga[h], w->xh[h], w->istd[h], gam, w->gy1[h], grad + nt->g_off[h],
                   grad + nt->beta_off[h], w->bnscr);
            net_act_bwd(s->act, n, w->gy1[h], w->z[h], w->y1[h], w->gz[h]);
        }
    }
}

net_result net_pass(const net *nt, const double *p, const netdata *d, const int *idx, int m,
                    net_mode mode, double *grad, net_work *w)
{
    int L = nt->s.nlin, k = nt->s.width[L];
    assert(m >= 1 && m <= w->cap && d->d == nt->s.width[0]);
    assert(!grad || mode == NET_TRAIN);
    net_gather(nt, d, idx, m, w);
    forward(nt, p, m, mode, w, 0);
    net_result r = loss_eval(nt->s.loss, m, k, w->z[L - 1], w->t, w->pr, grad ? w->gz[L - 1] : NULL);
    w->m = m;
    w->have_grad = grad != NULL;
    if (grad) backward(nt, p, m, grad, w);
    return r;
}

void net_outputs(const net *nt, const double *p, const double *x, int m, net_mode mode, double *out, net_work *w)
{
    int L = nt->s.nlin, k = nt->s.width[L];
    assert(m >= 1 && m <= w->cap);
    memcpy(w->x0, x, (size_t)m * (size_t)nt->s.width[0] * sizeof *x);
    forward(nt, p, m, mode, w, 0);
    memcpy(out, w->z[L - 1], (size_t)m * (size_t)k * sizeof *out);
    w->m = m;
    w->have_grad = 0;
}

void net_linear0(const net *nt, int m, const double *W, const double *b, double *Z, net_work *w)
{
    linear_fwd(m, nt->s.width[0], nt->s.width[1], w->x0, W, b, Z, w->wt);
}

net_result net_pass_from_z0(const net *nt, const double *p, int m, net_mode mode, net_work *w)
{
    int L = nt->s.nlin, k = nt->s.width[L];
    forward(nt, p, m, mode, w, 1);
    w->m = m;
    w->have_grad = 0;
    return loss_eval(nt->s.loss, m, k, w->z[L - 1], w->t, w->pr, NULL);
}

void net_update_stats(net *nt, const net_work *w)
{
    double mom = nt->s.bn_momentum;
    int m = w->m;
    for (int l = 0; l < nt->s.nlin; l++) {
        if (!has_bn(nt, l)) continue;
        int wd = nt->s.width[l + 1];
        double *rm = nt->stats + nt->st_off[l], *rv = rm + wd;
        for (int j = 0; j < wd; j++) {
            /* torch: running = (1 - momentum) running + momentum batch, the batch
             * variance unbiased (n / (n - 1)) */
            double uv = m > 1 ? w->var[l][j] * m / (m - 1) : w->var[l][j];
            rm[j] = (1.0 - mom) * rm[j] + mom * w->mean[l][j];
            rv[j] = (1.0 - mom) * rv[j] + mom * uv;
        }
    }
}
