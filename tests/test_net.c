/* test_net: the network lab's networks against PyTorch 1.13 (tests/net_ref.h, from
 * tools/net_ref.py): forward and backward passes, BatchNorm in train and eval mode,
 * every loss, full Hessians (torch.autograd.functional.hessian) and their
 * eigenvalues (numpy.linalg.eigvalsh), training trajectories with every optimizer
 * (full batch and in-order minibatches, with and without BN, schedules); then the
 * spec parser, initialization, state files and data sets. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/eig.h"
#include "core/net.h"
#include "core/net_priv.h"
#include "core/netdata.h"
#include "core/netslice.h"
#include "core/nettrain.h"
#include "net_ref.h"

#define NCASES (int)(sizeof net_ref_cases / sizeof net_ref_cases[0])
#define NTRAINS (int)(sizeof net_ref_trains / sizeof net_ref_trains[0])

static double maxabs(const double *v, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs(v[i]));
    return m;
}

/* max |a - b| / scale */
static double maxerr(const double *a, const double *b, size_t n, double scale)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs(a[i] - b[i]));
    return m / (scale > 0 ? scale : 1);
}

static netdata data_of(const double *x, const double *t, int n, int d)
{
    netdata ds = {n, d, (double *)x, (double *)t, 0, NULL};
    netdata_classes(&ds);
    return ds;
}

static void test_case(const net_ref_case *rc)
{
    char err[256];
    net_spec s;
    net nt;
    CHECK(net_parse(rc->spec, &s, err, sizeof err) == 0, "%s: %s", rc->spec, err);
    CHECK(net_init(&nt, &s) == 0, "%s", rc->spec);
    CHECK((int)nt.np == rc->np && (int)net_state_len(&nt) == rc->nstate, "%s: np %zu state %zu", rc->spec,
          nt.np, net_state_len(&nt));
    size_t np = nt.np;
    double *p = malloc(np * sizeof *p), *g = malloc(np * sizeof *g), *st = malloc(net_state_len(&nt) * sizeof *st);
    double *H = malloc(np * np * sizeof *H), *w = malloc(np * sizeof *w);
    double *v = malloc(np * sizeof *v), *hv = malloc(np * sizeof *hv), *hr = malloc(np * sizeof *hr);
    net_state_set(&nt, p, rc->state0);
    netdata ds = data_of(rc->x, rc->t, rc->n, s.width[0]);
    net_work *wk = net_work_new(&nt, rc->n);

    net_result r = net_pass(&nt, p, &ds, NULL, rc->n, NET_TRAIN, g, wk);
    CHECK_NEAR(r.loss, rc->loss, 1e-13, 0, "%s: train-mode loss", rc->spec);
    double ge = maxerr(g, rc->grad, np, maxabs(rc->grad, np));
    CHECK(ge < 1e-12, "%s: gradient off by %.3g of its largest entry", rc->spec, ge);

    /* HVP with a pseudo-random v against the reference Hessian times v */
    for (size_t i = 0; i < np; i++) v[i] = sin(1.7 * (double)i + 0.3);
    net_hvp(&nt, p, v, hv, wk);
    for (size_t i = 0; i < np; i++) {
        hr[i] = 0;
        for (size_t j = 0; j < np; j++) hr[i] += rc->hess[i * np + j] * v[j];
    }
    double he = maxerr(hv, hr, np, maxabs(hr, np));
    CHECK(he < 1e-11, "%s: Hessian-vector product off by %.3g", rc->spec, he);

    net_update_stats(&nt, wk);
    net_state_get(&nt, p, st);
    double se = maxerr(st, rc->state1, net_state_len(&nt), maxabs(rc->state1, net_state_len(&nt)));
    CHECK(se < 1e-14, "%s: running statistics after one train pass off by %.3g", rc->spec, se);
    net_result re = net_pass(&nt, p, &ds, NULL, rc->n, NET_EVAL, NULL, wk);
    CHECK_NEAR(re.loss, rc->eval_loss, 1e-13, 0, "%s: eval-mode loss", rc->spec);

    CHECK(net_hessian(&nt, p, &ds, NULL, rc->n, H, 2) == 0, "%s", rc->spec);
    double scale = maxabs(rc->hess, np * np), hm = maxerr(H, rc->hess, np * np, scale);
    CHECK(hm < 1e-12, "%s: Hessian off by %.3g of its largest entry", rc->spec, hm);
    CHECK(eig_sym(H, np, w, 0) == 0, "%s", rc->spec);
    double lam = fmax(fabs(rc->eig[0]), fabs(rc->eig[np - 1]));
    double ee = maxerr(w, rc->eig, np, lam);
    CHECK(ee < 1e-10, "%s: eigenvalues off by %.3g of the largest", rc->spec, ee);
    printf("  %-44s loss %.1e grad %.1e hvp %.1e hess %.1e eig %.1e (relative)\n", rc->spec,
           fabs(r.loss - rc->loss) / fabs(rc->loss), ge, he, hm, ee);
    net_work_free(wk);
    net_free(&nt);
    free(p); free(g); free(st); free(H); free(w); free(v); free(hv); free(hr);
}

/* 1 at the state entries of pre-BN biases and their running means (bn=before). */
static double *noise_mask(net *nt)
{
    size_t ns = net_state_len(nt);
    double *p = calloc(nt->np, sizeof *p), *m = malloc(ns * sizeof *m), *keep = malloc(nt->nstats * sizeof *keep);
    memcpy(keep, nt->stats, nt->nstats * sizeof *keep);
    memset(nt->stats, 0, nt->nstats * sizeof *keep);
    for (int l = 0; l + 1 < nt->s.nlin && nt->s.bn == NET_BN_BEFORE; l++) {
        int w = nt->s.width[l + 1];
        for (int j = 0; j < w; j++) {
            p[nt->b_off[l] + (size_t)j] = 1;
            nt->stats[nt->st_off[l] + (size_t)j] = 1;
        }
    }
    net_state_get(nt, p, m);
    memcpy(nt->stats, keep, nt->nstats * sizeof *keep);
    free(p);
    free(keep);
    return m;
}

typedef struct rows_ctx {
    const net_ref_train *tc;
    double worst;
    long n;
} rows_ctx;

static double rel(double a, double b)
{
    if (isnan(a) && isnan(b)) return 0;
    return fabs(a - b) / fmax(fabs(b), 1e-300);
}

static int on_row(void *ctx, const net_row *r, const double *p)
{
    rows_ctx *c = ctx;
    const double *e = c->tc->rows + 4 * r->step;
    double got[4] = {r->train_loss, r->test_loss, r->grad_norm, r->lr};
    for (int i = 0; i < 4; i++) c->worst = fmax(c->worst, rel(got[i], e[i]));
    c->n++;
    return 0;
}

static void test_train(const net_ref_train *tc)
{
    char err[256];
    net_spec s;
    net nt;
    net_train_desc td;
    memset(&td, 0, sizeof td);
    CHECK(net_parse(tc->net, &s, err, sizeof err) == 0, "%s", err);
    CHECK(optim_parse(tc->opt, &td.opt, err, sizeof err) == 0, "%s", err);
    CHECK(sched_parse(tc->sched, &td.sched, err, sizeof err) == 0, "%s", err);
    td.batch = tc->batch;
    td.shuffle = 0;
    td.steps = tc->steps;
    net_init(&nt, &s);
    double *p = malloc(nt.np * sizeof *p), *st = malloc(net_state_len(&nt) * sizeof *st);
    net_state_set(&nt, p, tc->state0);
    int d = s.width[0];
    netdata tr = data_of(tc->x, tc->t, tc->ntrain, d);
    netdata te = data_of(tc->x + (size_t)tc->ntrain * (size_t)d, tc->t + tc->ntrain, tc->ntest, d);
    rows_ctx c = {tc, 0, 0};
    CHECK(net_train(&nt, p, &tr, &te, &td, on_row, &c) == 0, "%s", tc->net);
    CHECK(c.n == tc->steps + 1, "%s: %ld rows", tc->net, c.n);
    net_state_get(&nt, p, st);
    /* With BN before the activation, a hidden layer's bias has no effect on the
     * train-mode loss: its gradient is rounding noise (~1e-17), which adaptive
     * optimizers (Adam, NAdam: m / sqrt(v)) turn into full-size steps in a direction
     * neither torch nor we can reproduce. Those biases, and the running means that
     * follow them, are compared apart, loosely; everything else to 1e-10, except
     * that the noise feeds back into the other parameters through rounding: torch
     * itself, its gradients scaled by 1 + 1e-15, moves the nadam case's weights by
     * 2.4e-8 relative after 40 steps, so bn=before cases are held to 1e-6. */
    double *mask = noise_mask(&nt);
    double fe = 0, fnoise = 0;
    for (int i = 0; i < tc->nstate; i++) {
        double e = fabs(st[i] - tc->final[i]) / fmax(fabs(tc->final[i]), 1e-3);
        if (mask[i] != 0) fnoise = fmax(fnoise, e);
        else { fe = fmax(fe, e); if (getenv("NET_DEBUG") && e > 1e-10) fprintf(stderr, "  state[%d]: %.17g vs %.17g\n", i, st[i], tc->final[i]); }
    }
    free(mask);
    CHECK(c.worst < (s.bn == NET_BN_BEFORE ? 1e-8 : 1e-10), "%s %s batch %d: rows off by %.3g relative", tc->net, tc->opt, tc->batch, c.worst);
    CHECK(fe < (s.bn == NET_BN_BEFORE ? 1e-6 : 1e-10), "%s %s batch %d: final state off by %.3g relative", tc->net, tc->opt, tc->batch, fe);
    CHECK(fnoise < 1e-5, "%s %s batch %d: pre-BN biases off by %.3g", tc->net, tc->opt, tc->batch, fnoise);
    printf("  %-40s %-38s batch %2d: rows %.1e final %.1e", tc->net, tc->opt, tc->batch, c.worst, fe);
    if (s.bn == NET_BN_BEFORE) printf(" (pre-BN biases %.1e)", fnoise);
    printf("\n");
    net_free(&nt);
    free(p);
    free(st);
}

/* Stepped training against net_train (itself held to torch above): the same rows
 * (all but the measured seconds) and the same parameters and running statistics,
 * bit for bit, whatever the split into step calls. */
typedef struct all_rows {
    net_row *r;
    long n;
} all_rows;

static int keep_rows(void *ctx, const net_row *r, const double *p)
{
    (void)p;
    all_rows *a = ctx;
    a->r = realloc(a->r, (size_t)(a->n + 1) * sizeof *a->r);
    a->r[a->n++] = *r;
    return 0;
}

static int same_row(const net_row *a, const net_row *b)
{
    double x[8] = {(double)a->step, a->train_loss, a->test_loss, a->train_acc, a->test_acc, a->grad_norm, a->lr,
                   a->samples};
    double y[8] = {(double)b->step, b->train_loss, b->test_loss, b->train_acc, b->test_acc, b->grad_norm, b->lr,
                   b->samples};
    return memcmp(x, y, sizeof x) == 0;
}

static void stepped_case(const char *netspec, const char *data, const char *opt, int batch, int shuffle,
                         long steps, double stop_grad)
{
    char err[256];
    net_spec s;
    net nt;
    netdata tr, te;
    net_train_desc td;
    memset(&td, 0, sizeof td);
    CHECK(net_parse(netspec, &s, err, sizeof err) == 0, "%s", err);
    CHECK(netdata_generate(data, &tr, &te, err, sizeof err) == 0, "%s", err);
    CHECK(optim_parse(opt, &td.opt, err, sizeof err) == 0, "%s", err);
    td.sched = sched_defaults(SCHED_CONSTANT);
    td.batch = batch;
    td.shuffle = shuffle;
    td.seed = 5;
    td.steps = steps;
    td.stop_grad = stop_grad;
    net_init(&nt, &s);
    size_t ns = net_state_len(&nt);
    double *p = malloc(nt.np * sizeof *p), *want = malloc(ns * sizeof *want), *got = malloc(ns * sizeof *got);
    net_init_params(&nt, p, 3);
    all_rows ref = {NULL, 0};
    CHECK(net_train(&nt, p, &tr, &te, &td, keep_rows, &ref) == 0, "%s", netspec);
    net_state_get(&nt, p, want);
    /* splits: one update per call, 2, 3, 7, all at once, and an uneven run */
    const long splits[] = {1, 2, 3, 7, 1000000, -1};
    for (int k = 0; k < (int)(sizeof splits / sizeof splits[0]); k++) {
        net_init_params(&nt, p, 3);
        net_trainer *t = net_trainer_begin(&nt, p, &tr, &te, &td);
        CHECK(t != NULL, "%s: begin", netspec);
        if (!t) break;
        long made = 0, calls = 0;
        while (!net_trainer_done(t)) {
            long n = splits[k] > 0 ? splits[k] : 1 + (calls * 5) % 4;
            long m = net_trainer_step(t, n);
            CHECK(m <= n && (m == n || net_trainer_done(t)), "%s: %ld of %ld updates", netspec, m, n);
            made += m;
            calls++;
        }
        CHECK(net_trainer_step(t, 3) == 0, "%s: a step after the end", netspec);
        long n;
        const net_row *rows = net_trainer_rows(t, &n);
        CHECK(n == ref.n && made == n - 1, "%s split %ld: %ld rows, %ld updates; net_train %ld rows", netspec,
              splits[k], n, made, ref.n);
        int bad = -1;
        for (long i = 0; i < n && i < ref.n && bad < 0; i++)
            if (!same_row(&rows[i], &ref.r[i])) bad = (int)i;
        CHECK(bad < 0, "%s %s batch %d split %ld: row %d differs (train loss %.17g vs %.17g)", netspec, opt, batch,
              splits[k], bad, bad >= 0 ? rows[bad].train_loss : 0, bad >= 0 ? ref.r[bad].train_loss : 0);
        CHECK(net_trainer_params(t) == p, "%s: params pointer", netspec);
        net_state_get(&nt, p, got);
        CHECK(memcmp(got, want, ns * sizeof *got) == 0, "%s %s split %ld: final state differs", netspec, opt,
              splits[k]);
        net_trainer_free(t);
    }
    printf("  stepped %-34s %-22s batch %3d shuffle %d: %ld rows bit-identical in 6 splits\n", netspec, opt, batch,
           shuffle, ref.n);
    free(ref.r);
    free(p);
    free(want);
    free(got);
    net_free(&nt);
    netdata_free(&tr);
    netdata_free(&te);
}

static void test_stepped(void)
{
    printf("stepped training against net_train:\n");
    stepped_case("mlp:2,8,1,act=tanh,loss=bce", "moons:n=60,seed=1", "adam:lr=0.01", 0, 1, 25, 0);
    stepped_case("mlp:2,6,6,1,act=relu,bn=before,loss=bce", "circle:n=80,seed=2", "sgd:lr=0.1,momentum=0.9", 16, 1,
                 30, 0);
    stepped_case("mlp:2,5,3,act=tanh,bn=after,loss=ce", "gauss:n=90,seed=4", "rmsprop:lr=0.01", 20, 0, 17, 0);
    stepped_case("mlp:1,10,1,act=tanh,loss=mse", "sine:n=50,seed=3", "nadam:lr=0.02", 7, 1, 40, 0);
    /* stopped by the gradient norm before the step count */
    stepped_case("mlp:2,4,1,act=tanh,loss=bce", "moons:n=40,seed=1", "adam:lr=0.05", 0, 1, 100000, 0.05);
}

static void test_parse(void)
{
    static const struct { const char *text, *want; } bad[] = {
        {"mlp:2,16,x,1", "column 10"},
        {"mlp:2,16,1,act=gelu", "column 16"},
        {"mlp:2,16,1,bn=maybe", "column 15"},
        {"mlp:2,16,1,lossy=mse", "unknown key 'lossy'"},
        {"mlp:2,16,2,loss=bce", "needs 1 output"},
        {"mlp:2,16,1,loss=ce", "needs 2 or more"},
        {"mlp:2", "at least two widths"},
        {"cnn:2,1", "column 1"},
        {"mlp:2,0,1", "column 7"},
        {"mlp:2,16,1,eps=0", "eps"},
    };
    char err[256];
    net_spec s;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(net_parse(bad[i].text, &s, err, sizeof err) == -1, "%s accepted", bad[i].text);
        CHECK_STR_CONTAINS(err, bad[i].want, "%s", bad[i].text);
    }
    CHECK(net_parse("mlp:2,16,16,3,act=sigmoid,bn=after,loss=ce,momentum=0.2", &s, err, sizeof err) == 0, "%s", err);
    CHECK(s.nlin == 3 && s.width[0] == 2 && s.width[2] == 16 && s.width[3] == 3 && s.act == NET_SIGMOID &&
          s.bn == NET_BN_AFTER && s.loss == NET_CE && s.bn_momentum == 0.2, "parsed fields");
    char buf[200];
    net_format(&s, buf, sizeof buf);
    /* BN's momentum is part of the network: it must survive a spec written and read back */
    CHECK(strcmp(buf, "mlp:2,16,16,3,act=sigmoid,bn=after,loss=ce,momentum=0.2") == 0, "%s", buf);
    net_spec t;
    CHECK(net_parse("mlp:2,4,1,bn=before,momentum=0.30000000000000004,eps=1e-3", &s, err, sizeof err) == 0, "%s", err);
    net_format(&s, buf, sizeof buf);
    CHECK(net_parse(buf, &t, err, sizeof err) == 0 && t.bn_momentum == 0.30000000000000004 && t.bn_eps == 1e-3,
          "written and read back: %s", buf);
}

static void test_init_and_files(void)
{
    char err[256];
    net_spec s;
    net nt;
    net_parse("mlp:3,20,10,1,bn=before", &s, err, sizeof err);
    net_init(&nt, &s);
    size_t np = nt.np, ns = net_state_len(&nt);
    CHECK(np == 3 * 20 + 20 + 40 + 200 + 10 + 20 + 11 && ns == np + 60, "np %zu ns %zu", np, ns);
    double *p = malloc(np * sizeof *p), *q = malloc(np * sizeof *q), *st = malloc(ns * sizeof *st);
    net_init_params(&nt, p, 5);
    net_init_params(&nt, q, 5);
    CHECK(memcmp(p, q, np * sizeof *p) == 0, "same seed, same parameters");
    /* layer 1 (fan_in 20): U(-1/sqrt(20), 1/sqrt(20)), spread over the interval */
    double lo = 1, hi = -1, b = 1 / sqrt(20.0);
    for (size_t i = nt.w_off[1]; i < nt.b_off[1] + 10; i++) { lo = fmin(lo, p[i]); hi = fmax(hi, p[i]); }
    CHECK(lo >= -b && hi <= b && lo < -0.8 * b && hi > 0.8 * b, "range [%g, %g] of U(-%g, %g)", lo, hi, b, b);
    CHECK(p[nt.g_off[0]] == 1 && p[nt.beta_off[0]] == 0, "BN weight 1, bias 0");
    net_init_params(&nt, q, 6);
    CHECK(memcmp(p, q, np * sizeof *p) != 0, "another seed, other parameters");

    char path[] = "/tmp/test_net_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    close(fd);
    nt.stats[3] = 0.125;
    CHECK(net_state_save(&nt, p, path, err, sizeof err) == 0, "%s", err);
    net_reset_stats(&nt);
    CHECK(net_state_load(&nt, q, path, err, sizeof err) == 0, "%s", err);
    CHECK(memcmp(p, q, np * sizeof *p) == 0 && nt.stats[3] == 0.125, "saved and loaded back exactly");
    FILE *f = fopen(path, "a");
    fprintf(f, "1.5\n");
    fclose(f);
    CHECK(net_state_load(&nt, q, path, err, sizeof err) == -1, "one number too many accepted");
    CHECK_STR_CONTAINS(err, ":422: more than the 421", "too long");
    f = fopen(path, "w");
    fprintf(f, "1\n2\nthree\n");
    fclose(f);
    CHECK(net_state_load(&nt, q, path, err, sizeof err) == -1, "a word accepted");
    CHECK_STR_CONTAINS(err, ":3: 'three' is not a number", "word");
    f = fopen(path, "w");
    fprintf(f, "1\n2\n");
    fclose(f);
    CHECK(net_state_load(&nt, q, path, err, sizeof err) == -1, "too short accepted");
    CHECK_STR_CONTAINS(err, ": 2 numbers, the network has 421", "short");
    remove(path);
    net_free(&nt);
    free(p); free(q); free(st);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static void test_data(void)
{
    char err[256], path[] = "/tmp/test_netdata_XXXXXX";
    netdata tr, te;
    int fd = mkstemp(path);
    close(fd);
    write_file(path, "1, 2, 0\n\n3,4,1\r\n-5e-1,6,2\n");
    CHECK(netdata_read_csv(path, &tr, err, sizeof err) == 0, "%s", err);
    CHECK(tr.n == 3 && tr.d == 2 && tr.x[4] == -0.5 && tr.y[2] == 2 && tr.nclass == 3, "read back");
    netdata_free(&tr);
    write_file(path, "1,2,0\n3,4\n");
    CHECK(netdata_read_csv(path, &tr, err, sizeof err) == -1, "short row accepted");
    CHECK_STR_CONTAINS(err, ":2: 2 columns, the first line has 3", "columns");
    write_file(path, "1,2,0\n3,4,1\n5,x6,0\n");
    CHECK(netdata_read_csv(path, &tr, err, sizeof err) == -1, "word accepted");
    CHECK_STR_CONTAINS(err, ":3: column 2: 'x6' is not a number", "word");
    remove(path);

    const char *sets[] = {"circle", "xor", "gauss:k=3", "spirals", "moons", "sine", "poly"};
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        char spec[64];
        snprintf(spec, sizeof spec, "%s%sn=101,split=0.3,seed=4", sets[i], strchr(sets[i], ':') ? "," : ":");
        CHECK(netdata_generate(spec, &tr, &te, err, sizeof err) == 0, "%s: %s", spec, err);
        CHECK(tr.n == 71 && te.n == 30, "%s: %d + %d", spec, tr.n, te.n);
        int k = i == 2 ? 3 : i >= 5 ? 0 : 2;
        CHECK(tr.nclass == k, "%s: %d classes", spec, tr.nclass);
        netdata_free(&tr);
        netdata_free(&te);
    }
    /* the shift moves every test input and nothing else */
    netdata a, b, c, e;
    netdata_generate("moons:n=50,seed=2", &a, &b, err, sizeof err);
    netdata_generate("moons:n=50,seed=2,shift=0.75", &c, &e, err, sizeof err);
    int same = memcmp(a.x, c.x, (size_t)a.n * 2 * sizeof(double)) == 0, shifted = 1;
    for (int i = 0; i < b.n * 2; i++) shifted &= e.x[i] == b.x[i] + 0.75;
    CHECK(same && shifted, "shift: train %d test %d", same, shifted);
    netdata_free(&a); netdata_free(&b); netdata_free(&c); netdata_free(&e);
    /* xscale multiplies the first input of every sample, train and test, and nothing else */
    netdata_generate("moons:n=50,seed=2", &a, &b, err, sizeof err);
    netdata_generate("moons:n=50,seed=2,xscale=8", &c, &e, err, sizeof err);
    int scaled = 1;
    for (int i = 0; i < a.n; i++) scaled &= c.x[2 * i] == 8 * a.x[2 * i] && c.x[2 * i + 1] == a.x[2 * i + 1];
    for (int i = 0; i < b.n; i++) scaled &= e.x[2 * i] == 8 * b.x[2 * i] && e.x[2 * i + 1] == b.x[2 * i + 1];
    CHECK(scaled, "xscale: first inputs times 8, second unchanged");
    netdata_free(&a); netdata_free(&b); netdata_free(&c); netdata_free(&e);
    CHECK(netdata_generate("moons:n=50,wiggle=2", &a, &b, err, sizeof err) == -1, "unknown key accepted");
    CHECK_STR_CONTAINS(err, "wiggle", "unknown key");
    CHECK(netdata_generate("rings", &a, &b, err, sizeof err) == -1, "unknown set accepted");
    CHECK_STR_CONTAINS(err, "unknown data set 'rings'", "unknown set");
}

/* The plane along parameters I and J through net case 3: the plane's jet is the
 * reference loss, gradient entries and Hessian entries; away from the centre, the
 * loss torch computed there. */
static void test_plane(void)
{
    const net_ref_case *rc = &net_ref_cases[3];
    char err[256];
    net_spec s;
    net nt;
    net_parse(rc->spec, &s, err, sizeof err);
    net_init(&nt, &s);
    size_t np = nt.np, I = 2, J = 40;
    double *p = malloc(np * sizeof *p), *d1 = calloc(np, sizeof *d1), *d2 = calloc(np, sizeof *d2);
    double *q = malloc(3 * np * sizeof *q);
    net_state_set(&nt, p, rc->state0);
    netdata ds = data_of(rc->x, rc->t, rc->n, s.width[0]);
    net_work *w = net_work_new(&nt, rc->n);
    d1[I] = 1;
    d2[J] = 1;
    jet2 j = net_plane_jet(&nt, p, d1, d2, &ds, 0, 0, w, q);
    double hs = fabs(rc->hess[I * np + I]) + fabs(rc->hess[J * np + J]);
    CHECK_NEAR(j.v, rc->loss, 1e-13, 0, "plane value");
    CHECK_NEAR(j.gx, rc->grad[I], 1e-11, 1e-15, "plane gx");
    CHECK_NEAR(j.gy, rc->grad[J], 1e-11, 1e-15, "plane gy");
    CHECK_NEAR(j.hxx, rc->hess[I * np + I], 1e-11, 1e-13 * hs, "plane hxx");
    CHECK_NEAR(j.hxy, rc->hess[I * np + J], 1e-11, 1e-13 * hs, "plane hxy");
    CHECK_NEAR(j.hyy, rc->hess[J * np + J], 1e-11, 1e-13 * hs, "plane hyy");
    j = net_plane_jet(&nt, p, d1, d2, &ds, 0.5, -0.5, w, q);
    CHECK_NEAR(j.v, slice_nc3[0 * 3 + 2], 1e-13, 0, "plane value at (0.5, -0.5)");
    /* the grid of slices is the same function */
    double grid[9];
    CHECK(net_slice_grid(&nt, p, d1, d2, 0.5, 3, &ds, 2, grid) == 0, "grid");
    double ge = 0;
    for (int k = 0; k < 9; k++) ge = fmax(ge, fabs(grid[k] - slice_nc3[k]) / slice_nc3[k]);
    CHECK(ge < 1e-13, "slice grid off torch by %.3g", ge);
    /* random filter-normalized directions touch every layer: the grid (which
     * reuses the first layer's products) against plain passes at the same points */
    net_dir_random(&nt, p, 9, d1, d2);
    CHECK(d1[nt.b_off[0]] == 0 && d1[nt.g_off[0]] == 0 && d1[0] != 0, "biases and BN left out");
    CHECK(net_slice_grid(&nt, p, d1, d2, 0.7, 3, &ds, 2, grid) == 0, "grid");
    ge = 0;
    for (int k = 0; k < 9; k++) {
        double a = -0.7 + 0.7 * (k % 3), b = -0.7 + 0.7 * (k / 3);
        for (size_t i = 0; i < np; i++) q[i] = p[i] + a * d1[i] + b * d2[i];
        double l = net_pass(&nt, q, &ds, NULL, rc->n, NET_TRAIN, NULL, w).loss;
        ge = fmax(ge, fabs(grid[k] - l) / l);
    }
    CHECK(ge < 1e-13, "random-direction grid off the plain passes by %.3g", ge);
    /* the same plane as a landscape's three calls */
    net_plane pl;
    CHECK(net_plane_init(&pl, &nt, p, d1, d2, &ds) == 0, "plane");
    double row[3];
    net_plane_row(&pl, -0.7, 0.7, 0.7, row, 3);
    jet2 jp = net_plane_jet2(&pl, 0.7, 0.7);
    double pv = net_plane_value(&pl, 0, -0.7);
    CHECK_NEAR(row[0], grid[6], 1e-13, 0, "plane row");
    CHECK_NEAR(row[1], grid[7], 1e-13, 0, "plane row");
    CHECK_NEAR(row[2], grid[8], 1e-13, 0, "plane row");
    CHECK_NEAR(jp.v, grid[8], 1e-13, 0, "plane jet");
    CHECK_NEAR(pv, grid[1], 1e-13, 0, "plane value");
    net_plane_free(&pl);
    net_work_free(w);
    net_free(&nt);
    free(p); free(d1); free(d2); free(q);
}

/* our tanh against libm's, in units in the last place of the result */
static void test_tanh(void)
{
    uint64_t worst = 0;
    double at = 0;
    for (int i = -300000; i <= 300000; i++) {
        double x = i * 1e-4 + i * 1.234567e-11;   /* [-30, 30], off the round numbers */
        uint64_t u = ulp_diff(net_tanh(x), tanh(x));
        if (u > worst) { worst = u; at = x; }
    }
    double tiny[] = {0.0, -0.0, 1e-300, -3e-20, 1e-8, 0.49999999999999994, 0.5, 19.5, 1e308, -INFINITY};
    for (size_t i = 0; i < sizeof tiny / sizeof tiny[0]; i++) {
        uint64_t u = ulp_diff(net_tanh(tiny[i]), tanh(tiny[i]));
        if (u > worst) { worst = u; at = tiny[i]; }
    }
    CHECK(isnan(net_tanh(NAN)), "NaN in, NaN out");
    CHECK(worst <= 4, "net_tanh off by %llu ulp at %.17g", (unsigned long long)worst, at);
    printf("net_tanh: within %llu ulp of libm's tanh\n", (unsigned long long)worst);
}

static void test_spectrum(void)
{
    double w[] = {-2, -1e-12, 0, 1e-9, 3, 4};
    net_spectrum s = net_spectrum_of(w, 6, 1e-6);
    /* the device model: flat up to P = 16 samples, then one more t1 per 16 */
    CHECK(net_device_seconds(1, 16, 2.0) == 2.0 && net_device_seconds(16, 16, 2.0) == 2.0 &&
          net_device_seconds(17, 16, 2.0) == 4.0 && net_device_seconds(64, 16, 2.0) == 8.0, "device seconds");
    CHECK(s.npos == 2 && s.nneg == 1 && s.nzero == 3 && s.min_ratio == 2.0 / 6, "%d %d %d %g", s.npos, s.nneg,
          s.nzero, s.min_ratio);
}

int main(void)
{
    printf("networks against torch:\n");
    for (int i = 0; i < NCASES; i++) test_case(&net_ref_cases[i]);
    printf("training against torch.optim:\n");
    for (int i = 0; i < NTRAINS; i++) test_train(&net_ref_trains[i]);
    test_stepped();
    test_parse();
    test_init_and_files();
    test_data();
    test_spectrum();
    test_tanh();
    test_plane();
    return check_done("test_net");
}
