/* netslice: directions and grids of 2-D slices through a network's parameters. */
#include "netslice.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eig.h"
#include "net_priv.h"
#include "parallel.h"
#include "rng.h"
#include "fileio.h"
#include "spec.h"

static double dot(const double *x, const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}

static void normalize(double *x, size_t n)
{
    double s = sqrt(dot(x, x, n));
    if (s > 0)
        for (size_t i = 0; i < n; i++) x[i] /= s;
}

void net_dir_random(const net *nt, const double *p, uint64_t seed, double *d1, double *d2)
{
    rng r;
    rng_seed(&r, seed);
    memset(d1, 0, nt->np * sizeof *d1);
    memset(d2, 0, nt->np * sizeof *d2);
    for (int k = 0; k < 2; k++) {
        double *d = k ? d2 : d1;
        for (int l = 0; l < nt->s.nlin; l++) {
            size_t in = (size_t)nt->s.width[l], out = (size_t)nt->s.width[l + 1];
            for (size_t o = 0; o < out; o++) {
                double *row = d + nt->w_off[l] + o * in;
                const double *prow = p + nt->w_off[l] + o * in;
                for (size_t i = 0; i < in; i++) row[i] = rng_normal(&r);
                double s = sqrt(dot(row, row, in)), t = sqrt(dot(prow, prow, in));
                for (size_t i = 0; i < in; i++) row[i] = s > 0 ? row[i] * t / s : 0.0;
            }
        }
    }
}

int net_dir_pca(const double *path, int n, size_t np, double *d1, double *d2, double var[2])
{
    if (n < 2) return -1;
    const double *last = path + (size_t)(n - 1) * np;
    double *G = malloc((size_t)n * (size_t)n * sizeof *G), *w = malloc((size_t)n * sizeof *w);
    double *diff = malloc(np * sizeof *diff);
    int rc = -1;
    if (!G || !w || !diff) goto done;
    /* the Gram matrix of the centred points: its eigenvectors u give the principal
     * directions M^T u of the points M */
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            const double *a = path + (size_t)i * np, *b = path + (size_t)j * np;
            double s = 0;
            for (size_t k = 0; k < np; k++) s += (a[k] - last[k]) * (b[k] - last[k]);
            G[(size_t)i * (size_t)n + (size_t)j] = G[(size_t)j * (size_t)n + (size_t)i] = s;
        }
    if (eig_sym(G, (size_t)n, w, 1) != 0 || !(w[n - 1] > 0)) goto done;
    double total = 0;
    for (int i = 0; i < n; i++) total += fmax(w[i], 0);
    for (int c = 0; c < 2; c++) {
        double *d = c ? d2 : d1;
        const double *u = G + (size_t)(n - 1 - c) * (size_t)n;
        memset(d, 0, np * sizeof *d);
        for (int i = 0; i < n; i++) {
            const double *a = path + (size_t)i * np;
            for (size_t k = 0; k < np; k++) d[k] += u[i] * (a[k] - last[k]);
        }
        normalize(d, np);
        if (var) var[c] = fmax(w[n - 1 - c], 0) / total;
    }
    rc = 0;
done:
    free(G);
    free(w);
    free(diff);
    return rc;
}


/* The eigenvectors of the largest eigenvalue and (low) the smallest or (else) the
   second largest. */
static int dir_hessian(const net *nt, const double *p, const netdata *d, int threads, int low, double *d1,
                       double *d2, double lam[2])
{
    size_t np = nt->np;
    if (np <= 2000) {
        double *H = malloc(np * np * sizeof *H), *w = malloc(np * sizeof *w);
        int rc = -1;
        if (H && w && net_hessian(nt, p, d, NULL, d->n, H, threads) == 0 && eig_sym(H, np, w, 1) == 0) {
            size_t second = low ? 0 : np > 1 ? np - 2 : 0;
            memcpy(d1, H + (np - 1) * np, np * sizeof *d1);
            memcpy(d2, H + second * np, np * sizeof *d2);
            lam[0] = w[np - 1];
            lam[1] = w[second];
            rc = 0;
        }
        free(H);
        free(w);
        return rc;
    }
    int k = 60;
    net_work *wk = net_work_new(nt, d->n);
    double *g = malloc(np * sizeof *g), *ritz = malloc((size_t)k * sizeof *ritz);
    double *vec = malloc((size_t)k * np * sizeof *vec);
    int rc = -1;
    if (wk && g && ritz && vec) {
        net_hvp_ctx c = {nt, p, wk};
        net_pass(nt, p, d, NULL, d->n, NET_TRAIN, g, wk);
        int got = eig_lanczos(net_hvp_op, &c, np, k, 1, ritz, vec);
        if (got >= 2) {
            /* Lanczos' extremes: its Ritz values ascending */
            int second = low ? 0 : got - 2;
            memcpy(d1, vec + (size_t)(got - 1) * np, np * sizeof *d1);
            memcpy(d2, vec + (size_t)second * np, np * sizeof *d2);
            lam[0] = ritz[got - 1];
            lam[1] = ritz[second];
            rc = 0;
        }
    }
    net_work_free(wk);
    free(g);
    free(ritz);
    free(vec);
    return rc;
}

int net_dir_hessian(const net *nt, const double *p, const netdata *d, int threads, double *d1, double *d2,
                    double lam[2])
{
    return dir_hessian(nt, p, d, threads, 0, d1, d2, lam);
}

int net_dir_hessian_low(const net *nt, const double *p, const netdata *d, int threads, double *d1, double *d2,
                        double lam[2])
{
    return dir_hessian(nt, p, d, threads, 1, d1, d2, lam);
}

typedef struct slice_job {
    const net *nt;
    const double *c, *d1, *d2;
    double range;
    int n;
    const netdata *d;
    double *loss;
    int fail[PARALLEL_MAX_THREADS];   /* per piece */
} slice_job;

static double coord(double range, int n, int i)
{
    return -range + 2.0 * range * i / (n - 1);
}

/* Rows j0..j1-1 of the grid. The first layer is linear in (a, b): its output is
 * Zc + a Z1 + b Z2, the three computed once; the rest of the network is evaluated
 * at every point. */
static void slice_rows(void *ctx, int piece, int j0, int j1)
{
    slice_job *jb = ctx;
    const net *nt = jb->nt;
    size_t np = nt->np, z = (size_t)jb->d->n * (size_t)nt->s.width[1];
    size_t first = nt->b_off[0] + (size_t)nt->s.width[1];     /* past layer 0's bias */
    net_work *w = net_work_new(nt, jb->d->n);
    double *q = malloc(np * sizeof *q), *zc = malloc(3 * z * sizeof *zc);
    if (!w || !q || !zc) {
        jb->fail[piece] = 1;
    } else {
        const double *base[3] = {jb->c, jb->d1, jb->d2};
        net_gather(nt, jb->d, NULL, jb->d->n, w);
        for (int k = 0; k < 3; k++)
            net_linear0(nt, jb->d->n, base[k] + nt->w_off[0], base[k] + nt->b_off[0], zc + (size_t)k * z, w);
        for (int j = j0; j < j1; j++) {
            double b = coord(jb->range, jb->n, j);
            for (int i = 0; i < jb->n; i++) {
                double a = coord(jb->range, jb->n, i);
                double *z0 = w->z[0];
                for (size_t k = 0; k < z; k++) z0[k] = zc[k] + a * zc[z + k] + b * zc[2 * z + k];
                for (size_t k = first; k < np; k++) q[k] = jb->c[k] + a * jb->d1[k] + b * jb->d2[k];
                jb->loss[(size_t)j * (size_t)jb->n + (size_t)i] = net_pass_from_z0(nt, q, jb->d->n, NET_TRAIN, w).loss;
            }
        }
    }
    net_work_free(w);
    free(q);
    free(zc);
}

int net_slice_grid(const net *nt, const double *centre, const double *d1, const double *d2, double range, int n,
                   const netdata *d, int threads, double *loss)
{
    slice_job jb = {nt, centre, d1, d2, range, n, d, loss, {0}};
    int fail = 0;
    /* every point is its own computation: the grid is the same whatever the threads */
    parallel_for(n, threads, slice_rows, &jb);
    for (int t = 0; t < PARALLEL_MAX_THREADS; t++) fail |= jb.fail[t];
    return fail ? -1 : 0;
}

void net_project(const double *centre, const double *d1, const double *d2, size_t np, const double *q, double ab[2],
                 double *dist)
{
    /* least squares: [d1.d1 d1.d2; d1.d2 d2.d2] (a, b) = (d1.r, d2.r), r = q - centre */
    double g11 = 0, g12 = 0, g22 = 0, r1 = 0, r2 = 0, e2 = 0;
    for (size_t k = 0; k < np; k++) {
        double r = q[k] - centre[k];
        g11 += d1[k] * d1[k];
        g12 += d1[k] * d2[k];
        g22 += d2[k] * d2[k];
        r1 += d1[k] * r;
        r2 += d2[k] * r;
    }
    double det = g11 * g22 - g12 * g12, a = 0, b = 0;
    if (det != 0) {
        a = (g22 * r1 - g12 * r2) / det;
        b = (g11 * r2 - g12 * r1) / det;
    }
    for (size_t k = 0; k < np; k++) {
        double e = q[k] - centre[k] - a * d1[k] - b * d2[k];
        e2 += e * e;
    }
    ab[0] = a;
    ab[1] = b;
    *dist = sqrt(e2);
}

jet2 net_plane_jet(const net *nt, const double *centre, const double *d1, const double *d2, const netdata *d,
                   double a, double b, net_work *w, double *q)
{
    size_t np = nt->np;
    jet2 j;
    double *g = q + np, *hv = q + 2 * np;
    for (size_t k = 0; k < np; k++) q[k] = centre[k] + a * d1[k] + b * d2[k];
    j.v = net_pass(nt, q, d, NULL, d->n, NET_TRAIN, g, w).loss;
    j.gx = dot(g, d1, np);
    j.gy = dot(g, d2, np);
    net_hvp(nt, q, d1, hv, w);
    j.hxx = dot(d1, hv, np);
    j.hxy = dot(d2, hv, np);
    net_hvp(nt, q, d2, hv, w);
    j.hyy = dot(d2, hv, np);
    return j;
}

int net_plane_init(net_plane *pl, const net *nt, const double *centre, const double *d1, const double *d2,
                   const netdata *d)
{
    size_t np = nt->np;
    memset(pl, 0, sizeof *pl);
    pl->nt = nt;
    pl->d = d;
    pl->centre = malloc(np * sizeof *pl->centre);
    pl->d1 = malloc(np * sizeof *pl->d1);
    pl->d2 = malloc(np * sizeof *pl->d2);
    pl->q = malloc(3 * np * sizeof *pl->q);
    pl->w = net_work_new(nt, d->n);
    if (!pl->centre || !pl->d1 || !pl->d2 || !pl->q || !pl->w) {
        net_plane_free(pl);
        return -1;
    }
    memcpy(pl->centre, centre, np * sizeof *pl->centre);
    memcpy(pl->d1, d1, np * sizeof *pl->d1);
    memcpy(pl->d2, d2, np * sizeof *pl->d2);
    return 0;
}

void net_plane_free(net_plane *pl)
{
    free(pl->centre);
    free(pl->d1);
    free(pl->d2);
    free(pl->q);
    net_work_free(pl->w);
    memset(pl, 0, sizeof *pl);
}

double net_plane_value(void *ctx, double a, double b)
{
    net_plane *pl = ctx;
    size_t np = pl->nt->np;
    for (size_t k = 0; k < np; k++) pl->q[k] = pl->centre[k] + a * pl->d1[k] + b * pl->d2[k];
    return net_pass(pl->nt, pl->q, pl->d, NULL, pl->d->n, NET_TRAIN, NULL, pl->w).loss;
}

jet2 net_plane_jet2(void *ctx, double a, double b)
{
    net_plane *pl = ctx;
    return net_plane_jet(pl->nt, pl->centre, pl->d1, pl->d2, pl->d, a, b, pl->w, pl->q);
}

void net_plane_row(void *ctx, double x0, double dx, double y, double *out, int n)
{
    for (int i = 0; i < n; i++) out[i] = net_plane_value(ctx, x0 + i * dx, y);
}

double net_plane_grad(void *ctx, double a, double b, double g2[2])
{
    net_plane *pl = ctx;
    size_t np = pl->nt->np;
    double *q = pl->q, *g = pl->q + np;
    for (size_t k = 0; k < np; k++) q[k] = pl->centre[k] + a * pl->d1[k] + b * pl->d2[k];
    double v = net_pass(pl->nt, q, pl->d, NULL, pl->d->n, NET_TRAIN, g, pl->w).loss;
    g2[0] = dot(g, pl->d1, np);
    g2[1] = dot(g, pl->d2, np);
    return v;
}

/* ---- plane files ---- */

void net_plane_file_free(net_plane_file *pf)
{
    free(pf->centre);
    free(pf->d1);
    free(pf->d2);
    memset(pf, 0, sizeof *pf);
}

int net_plane_file_write(const char *path, const net_plane_file *pf, char *err, size_t errlen)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%.1000s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int ok = f && fprintf(f,
                          "optiscape-plane 1\n"
                          "# the loss of a network on centre + a d1 + b d2 (optiscape net slice --plane-out)\n"
                          "net %s\n%s %s\nrange %.17g\nstart %.17g %.17g\nparams %zu\n",
                          pf->net, pf->data_is_file ? "data-file" : "data", pf->data, pf->range, pf->start[0],
                          pf->start[1], pf->np) > 0;
    for (size_t k = 0; k < pf->np && ok; k++)
        ok = fprintf(f, "%.17g,%.17g,%.17g\n", pf->centre[k], pf->d1[k], pf->d2[k]) > 0;
    if (f) ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        snprintf(err, errlen, "cannot write %.200s: %s", path, strerror(e));
        return -1;
    }
    return 0;
}

static int plane_bad(char *err, size_t errlen, const char *path, long line, const char *msg, const char *what)
{
    if (line > 0) snprintf(err, errlen, "%.200s:%ld: %s%.300s", path, line, msg, what ? what : "");
    else snprintf(err, errlen, "%.200s: %s%.300s", path, msg, what ? what : "");
    return -1;
}

/* The value after "key " on a line (NULL when the line is another key). */
static const char *plane_key(const char *line, const char *key)
{
    size_t n = strlen(key);
    return strncmp(line, key, n) == 0 && line[n] == ' ' ? line + n + 1 : NULL;
}

/* One line of the header (net, data or data-file, range, start, params) into pf:
 * 0, or -1 with the message in err. */
static int plane_line(net_plane_file *pf, char *buf, const char *path, long line, int *have_range, int *have_start,
                      char *err, size_t errlen)
{
    char why[160];
    int rc = 0;
    const char *v;
    if ((v = plane_key(buf, "net"))) {
        if (strlen(v) >= sizeof pf->net) rc = plane_bad(err, errlen, path, line, "net spec too long", NULL);
        else snprintf(pf->net, sizeof pf->net, "%s", v);
        pf->net_line = (int)line;
    } else if ((v = plane_key(buf, "data")) || (v = plane_key(buf, "data-file"))) {
        pf->data_is_file = strncmp(buf, "data-file", 9) == 0;
        if (strlen(v) >= sizeof pf->data) rc = plane_bad(err, errlen, path, line, "data too long", NULL);
        else memcpy(pf->data, v, strlen(v) + 1);
        pf->data_line = (int)line;
    } else if ((v = plane_key(buf, "range"))) {
        if (num_parse(v, &pf->range, why, sizeof why) != 0 || !(pf->range > 0))
            rc = plane_bad(err, errlen, path, line, "range: expected a positive number", NULL);
        *have_range = 1;
    } else if ((v = plane_key(buf, "start"))) {
        char two[200];
        size_t tl = strlen(v) < sizeof two - 1 ? strlen(v) : sizeof two - 1;
        memcpy(two, v, tl);
        two[tl] = '\0';
        char *sp = strchr(two, ' ');
        if (sp) *sp = ',';
        if (!sp || num_parse_list(two, pf->start, 2, why, sizeof why) != 0)
            rc = plane_bad(err, errlen, path, line, "start: expected two numbers A B", NULL);
        *have_start = 1;
    } else if ((v = plane_key(buf, "params"))) {
        long np;
        if (pf->centre || num_parse_int(v, 1, 100000000, &np, why, sizeof why) != 0)
            return plane_bad(err, errlen, path, line, "params: expected one count of parameters", NULL);
        pf->np = (size_t)np;
        pf->params_line = (int)line;
        pf->centre = malloc(pf->np * sizeof *pf->centre);
        pf->d1 = malloc(pf->np * sizeof *pf->d1);
        pf->d2 = malloc(pf->np * sizeof *pf->d2);
        if (!pf->centre || !pf->d1 || !pf->d2) rc = plane_bad(err, errlen, path, line, "out of memory", NULL);
    } else {
        rc = plane_bad(err, errlen, path, line, "unknown line: ", buf);
    }
    return rc;
}

int net_plane_file_read(const char *path, net_plane_file *pf, char *err, size_t errlen)
{
    memset(pf, 0, sizeof *pf);
    char why[160];
    FILE *f = fileio_open_read(path, FILEIO_INPUT_MAX, why, sizeof why);
    if (!f) {
        snprintf(err, errlen, "%.200s: %s", path, why);
        return -1;
    }
    char buf[1400];
    long line = 0;
    int have_range = 0, have_start = 0, rc = 0;
    size_t k = 0;
    while (rc == 0 && fgets(buf, sizeof buf, f)) {
        line++;
        size_t n = strlen(buf);
        if (n == sizeof buf - 1 && buf[n - 1] != '\n') {
            rc = plane_bad(err, errlen, path, line, "line too long", NULL);
            break;
        }
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = '\0';
        if (line == 1) {
            if (strcmp(buf, "optiscape-plane 1") != 0)
                rc = plane_bad(err, errlen, path, line, "not a plane file (expected 'optiscape-plane 1')", NULL);
            continue;
        }
        if (pf->centre && k < pf->np) {   /* the parameter lines */
            double v[3];
            if (num_parse_list(buf, v, 3, why, sizeof why) != 0) {
                rc = plane_bad(err, errlen, path, line, "expected c,d1,d2: ", why);
                break;
            }
            pf->centre[k] = v[0];
            pf->d1[k] = v[1];
            pf->d2[k] = v[2];
            k++;
            continue;
        }
        if (n == 0 || buf[0] == '#') continue;
        rc = plane_line(pf, buf, path, line, &have_range, &have_start, err, errlen);
    }
    if (rc == 0 && ferror(f)) rc = plane_bad(err, errlen, path, 0, "read error", NULL);
    fclose(f);
    if (rc == 0 && line == 0) rc = plane_bad(err, errlen, path, 0, "empty file", NULL);
    if (rc == 0 && !pf->net[0]) rc = plane_bad(err, errlen, path, line, "no 'net' line", NULL);
    if (rc == 0 && !pf->data[0]) rc = plane_bad(err, errlen, path, line, "no 'data' or 'data-file' line", NULL);
    if (rc == 0 && !have_range) rc = plane_bad(err, errlen, path, line, "no 'range' line", NULL);
    if (rc == 0 && !have_start) rc = plane_bad(err, errlen, path, line, "no 'start' line", NULL);
    if (rc == 0 && !pf->centre) rc = plane_bad(err, errlen, path, line, "no 'params' line", NULL);
    if (rc == 0 && k < pf->np) {
        char m[80];
        snprintf(m, sizeof m, "%zu parameter lines of %zu", k, pf->np);
        rc = plane_bad(err, errlen, path, line, m, NULL);
    }
    if (rc != 0) net_plane_file_free(pf);
    return rc;
}

int net_plane_file_open(const char *path, const net_plane_file *pf, net *nt, netdata *train, char *err,
                        size_t errlen)
{
    char e2[512];
    net_spec s;
    memset(train, 0, sizeof *train);
    if (net_parse(pf->net, &s, e2, sizeof e2) != 0) return plane_bad(err, errlen, path, pf->net_line, "net: ", e2);
    if (net_init(nt, &s) != 0) return plane_bad(err, errlen, path, pf->net_line, "out of memory", NULL);
    int rc = 0;
    if (pf->data_is_file) {
        rc = netdata_read_csv(pf->data, train, e2, sizeof e2);
    } else {
        netdata test;
        rc = netdata_generate(pf->data, train, &test, e2, sizeof e2);
        if (rc == 0) netdata_free(&test);
    }
    if (rc != 0) {
        rc = plane_bad(err, errlen, path, pf->data_line, "data: ", e2);
    } else if (train->n < 1 || train->d != s.width[0]) {
        snprintf(e2, sizeof e2, "%d samples of %d inputs, the network takes %d", train->n, train->d, s.width[0]);
        rc = plane_bad(err, errlen, path, pf->data_line, "data: ", e2);
    } else if (pf->np != nt->np) {
        snprintf(e2, sizeof e2, "%zu, the network has %zu", pf->np, nt->np);
        rc = plane_bad(err, errlen, path, pf->params_line, "params: ", e2);
    } else {
        int k = s.width[s.nlin];
        for (int i = 0; i < train->n && rc == 0; i++) {
            double t = train->y[i];
            int ok = s.loss == NET_MSE || (s.loss == NET_BCE ? (t == 0 || t == 1)
                                                             : (t >= 0 && t < k && t == floor(t)));
            if (!ok) {
                snprintf(e2, sizeof e2, "target %.17g of sample %d does not fit loss=%s", t, i + 1,
                         s.loss == NET_BCE ? "bce" : "ce");
                rc = plane_bad(err, errlen, path, pf->data_line, "data: ", e2);
            }
        }
    }
    if (rc != 0) {
        net_free(nt);
        netdata_free(train);
    }
    return rc;
}
