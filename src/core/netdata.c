/* netdata: generated data sets and the CSV reader. Samples take their classes in
 * turn (sample i has class i mod k), so any split keeps the classes balanced. */
#include "netdata.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "fileio.h"
#include "spec.h"

void netdata_free(netdata *ds)
{
    free(ds->x);
    free(ds->y);
    free(ds->line);
    memset(ds, 0, sizeof *ds);
}

void netdata_classes(netdata *ds)
{
    int k = 0;
    for (int i = 0; i < ds->n; i++) {
        double t = ds->y[i];
        if (!(t >= 0) || t != floor(t) || t > 1e6) { ds->nclass = 0; return; }
        if ((int)t + 1 > k) k = (int)t + 1;
    }
    ds->nclass = k;
}

static int alloc_set(netdata *ds, int n, int d)
{
    ds->n = n;
    ds->d = d;
    ds->x = malloc((size_t)(n ? n : 1) * (size_t)d * sizeof(double));
    ds->y = malloc((size_t)(n ? n : 1) * sizeof(double));
    if (!ds->x || !ds->y) { netdata_free(ds); return -1; }
    return 0;
}

/* ------------------------------------------------------------------------------ */
/* Generated sets                                                                   */

typedef struct gen_args {
    double noise, param;
    double xscale;          /* the first input coordinate is multiplied by it */
    int k;
} gen_args;

typedef void (*gen_fn)(rng *r, int i, const gen_args *a, double *x, double *y);

/* inner disc r < 0.5 (class 0), ring 0.7 < r < 1 (class 1) */
static void gen_circle(rng *r, int i, const gen_args *a, double *x, double *y)
{
    int c = i % 2;
    double rad = c ? 0.7 + 0.3 * rng_uniform(r) : 0.5 * sqrt(rng_uniform(r));
    double th = 2 * M_PI * rng_uniform(r);
    x[0] = rad * cos(th) + a->noise * rng_normal(r);
    x[1] = rad * sin(th) + a->noise * rng_normal(r);
    *y = c;
}

/* quadrants: class 1 where x1 x2 > 0; points kept 0.05 off the axes */
static void gen_xor(rng *r, int i, const gen_args *a, double *x, double *y)
{
    int c = i % 2, q = (int)rng_below(r, 2);
    double u = 0.05 + 0.95 * rng_uniform(r), v = 0.05 + 0.95 * rng_uniform(r);
    double sx = q ? 1 : -1, sy = c ? sx : -sx;
    x[0] = sx * u + a->noise * rng_normal(r);
    x[1] = sy * v + a->noise * rng_normal(r);
    *y = c;
}

/* k clusters N(c_j, std^2 I), centres on the unit circle */
static void gen_gauss(rng *r, int i, const gen_args *a, double *x, double *y)
{
    int c = i % a->k;
    double th = 2 * M_PI * c / a->k;
    x[0] = cos(th) + a->param * rng_normal(r) + a->noise * rng_normal(r);
    x[1] = sin(th) + a->param * rng_normal(r) + a->noise * rng_normal(r);
    *y = c;
}

/* two interleaved spirals of `turns` turns */
static void gen_spirals(rng *r, int i, const gen_args *a, double *x, double *y)
{
    int c = i % 2;
    double t = rng_uniform(r), th = 2 * M_PI * a->param * t + c * M_PI;
    x[0] = t * cos(th) + a->noise * rng_normal(r);
    x[1] = t * sin(th) + a->noise * rng_normal(r);
    *y = c;
}

/* scikit-learn's make_moons: two interleaved half circles */
static void gen_moons(rng *r, int i, const gen_args *a, double *x, double *y)
{
    int c = i % 2;
    double th = M_PI * rng_uniform(r);
    x[0] = (c ? 1 - cos(th) : cos(th)) + a->noise * rng_normal(r);
    x[1] = (c ? 0.5 - sin(th) : sin(th)) + a->noise * rng_normal(r);
    *y = c;
}

/* y = sin(freq x) + noise, x ~ U(-pi, pi) */
static void gen_sine(rng *r, int i, const gen_args *a, double *x, double *y)
{
    x[0] = M_PI * (2 * rng_uniform(r) - 1);
    *y = sin(a->param * x[0]) + a->noise * rng_normal(r);
}

/* y = x^3 - x + noise, x ~ U(-1.5, 1.5) */
static void gen_poly(rng *r, int i, const gen_args *a, double *x, double *y)
{
    x[0] = 1.5 * (2 * rng_uniform(r) - 1);
    *y = x[0] * x[0] * x[0] - x[0] + a->noise * rng_normal(r);
}

typedef struct gen_def {
    const char *name;
    gen_fn fn;
    int d;
    double noise;           /* default */
    const char *pkey;       /* the set's own key, or NULL */
    double pdef, plo, phi;
    const char *what;
} gen_def;

static const gen_def gens[] = {
    {"circle", gen_circle, 2, 0.05, NULL, 0, 0, 0, "a disc (0) inside a ring (1)"},
    {"xor", gen_xor, 2, 0.05, NULL, 0, 0, 0, "class 1 in the quadrants where x1 x2 > 0"},
    {"gauss", gen_gauss, 2, 0.0, "std", 0.3, 0, 10, "k Gaussian clusters (k=2..16) on the unit circle"},
    {"spirals", gen_spirals, 2, 0.02, "turns", 1.5, 0.1, 10, "two interleaved spirals"},
    {"moons", gen_moons, 2, 0.1, NULL, 0, 0, 0, "two interleaved half circles (scikit-learn's)"},
    {"sine", gen_sine, 1, 0.1, "freq", 1.0, 0, 100, "regression y = sin(freq x) + noise, x in [-pi, pi]"},
    {"poly", gen_poly, 1, 0.1, NULL, 0, 0, 0, "regression y = x^3 - x + noise, x in [-1.5, 1.5]"},
};
#define NGENS (int)(sizeof gens / sizeof gens[0])

int netdata_set_count(void)
{
    return NGENS;
}

const char *netdata_set_name(int i)
{
    return i >= 0 && i < NGENS ? gens[i].name : NULL;
}

double netdata_set_noise(int i)
{
    return i >= 0 && i < NGENS ? gens[i].noise : 0;
}

const char *netdata_help(void)
{
    return "  circle   a disc (0) inside a ring (1)\n"
           "  xor      class 1 in the quadrants where x1 x2 > 0\n"
           "  gauss    k Gaussian clusters on the unit circle (k=2, std=0.3)\n"
           "  spirals  two interleaved spirals (turns=1.5)\n"
           "  moons    two interleaved half circles\n"
           "  sine     regression y = sin(freq x) + noise (freq=1)\n"
           "  poly     regression y = x^3 - x + noise\n"
           "  keys of every set: n=200 (samples, train + test), noise, split=0.5 (test\n"
           "  fraction), shift=0 (added to the test inputs), seed=0, xscale=1 (the first\n"
           "  input multiplied by it: features on different scales)\n";
}

static int get_keys(spec *sp, const gen_def *g, long *n, gen_args *a, double *split, double *shift,
                    long *seed, char *err, size_t errlen)
{
    const char *W = "data";
    double p = g->pdef;
    long k = 2;
    a->noise = g->noise;
    a->xscale = 1;
    if (spec_get_int(sp, W, "n", 2, 10000000, n, err, errlen) < 0) return -1;
    if (spec_get_number(sp, W, "noise", 0, 1e6, &a->noise, err, errlen) < 0) return -1;
    if (spec_get_number(sp, W, "split", 0, 1, split, err, errlen) < 0) return -1;
    if (spec_get_number(sp, W, "shift", -1e6, 1e6, shift, err, errlen) < 0) return -1;
    if (spec_get_int(sp, W, "seed", 0, 0x7fffffffL, seed, err, errlen) < 0) return -1;
    if (spec_get_number(sp, W, "xscale", -1e6, 1e6, &a->xscale, err, errlen) < 0) return -1;
    if (g->pkey && spec_get_number(sp, W, g->pkey, g->plo, g->phi, &p, err, errlen) < 0) return -1;
    if (g->fn == gen_gauss && spec_get_int(sp, W, "k", 2, 16, &k, err, errlen) < 0) return -1;
    a->param = p;
    a->k = (int)k;
    char known[80];
    snprintf(known, sizeof known, "n, noise, split, shift, seed, xscale%s%s%s", g->pkey ? ", " : "",
             g->pkey ? g->pkey : "", g->fn == gen_gauss ? ", k" : "");
    return spec_check_unused(sp, W, known, err, errlen);
}

int netdata_generate(const char *text, netdata *train, netdata *test, char *err, size_t errlen)
{
    spec sp;
    const gen_def *g = NULL;
    long n = 200, seed = 0;
    double split = 0.5, shift = 0;
    gen_args a;
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    if (spec_parse(text, "data", &sp, err, errlen) != 0) return -1;
    for (int i = 0; i < NGENS; i++)
        if (strcmp(gens[i].name, sp.name) == 0) g = &gens[i];
    if (!g) {
        spec_error(&sp, "data", err, errlen, "unknown data set '%s' (known: circle, xor, gauss, spirals, "
                   "moons, sine, poly, or a FILE.csv)", sp.name);
        return -1;
    }
    if (get_keys(&sp, g, &n, &a, &split, &shift, &seed, err, errlen) != 0) return -1;
    int nte = (int)floor(n * split + 0.5), ntr = (int)n - nte;
    if (ntr < 1) {
        spec_error(&sp, "data", err, errlen, "split leaves no training samples");
        return -1;
    }
    if (alloc_set(train, ntr, g->d) || alloc_set(test, nte, g->d)) {
        netdata_free(train);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    rng r;
    rng_seed(&r, (uint64_t)seed);
    for (int i = 0; i < (int)n; i++) {
        netdata *ds = i < ntr ? train : test;
        int j = i < ntr ? i : i - ntr;
        double *x = ds->x + (size_t)j * (size_t)g->d;
        g->fn(&r, i, &a, x, &ds->y[j]);
        x[0] *= a.xscale;
        if (ds == test)
            for (int c = 0; c < g->d; c++) x[c] += shift;
    }
    netdata_classes(train);
    netdata_classes(test);
    if (g->d == 1) train->nclass = test->nclass = 0;
    return 0;
}

/* ------------------------------------------------------------------------------ */
/* CSV                                                                              */

/* Split line into numbers; returns the count, or -1 with err naming the column. */
static int parse_row(char *line, double *out, int cap, const char *path, long ln, char *err, size_t errlen)
{
    int n = 0;
    char *s = line;
    for (;;) {
        char *e = strchr(s, ',');
        if (e) *e = '\0';
        while (*s == ' ' || *s == '\t') s++;
        size_t len = strlen(s);
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) s[--len] = '\0';
        double v;
        if (spec_number(s, &v) != 0) {
            snprintf(err, errlen, "%.200s:%ld: column %d: '%.30s' is not a number", path, ln, n + 1, s);
            return -1;
        }
        if (n < cap) out[n] = v;
        n++;
        if (!e) break;
        s = e + 1;
    }
    return n;
}

static int push_row(netdata *ds, int *capn, const double *row, int cols, long ln)
{
    if (ds->n == *capn) {
        int nc = *capn ? 2 * *capn : 256;
        double *x = realloc(ds->x, (size_t)nc * (size_t)(cols - 1) * sizeof(double));
        if (!x) return -1;
        ds->x = x;
        double *y = realloc(ds->y, (size_t)nc * sizeof(double));
        if (!y) return -1;
        ds->y = y;
        long *l = realloc(ds->line, (size_t)nc * sizeof(long));
        if (!l) return -1;
        ds->line = l;
        *capn = nc;
    }
    memcpy(ds->x + (size_t)ds->n * (size_t)(cols - 1), row, (size_t)(cols - 1) * sizeof(double));
    ds->line[ds->n] = ln;
    ds->y[ds->n++] = row[cols - 1];
    return 0;
}

int netdata_read_csv(const char *path, netdata *out, char *err, size_t errlen)
{
    char why[96] = "";
    FILE *f = fileio_open_read(path, FILEIO_INPUT_MAX, why, sizeof why);
    char *line = NULL;
    size_t lcap = 0;
    long ln = 0;
    int cols = 0, capn = 0, rc = -1;
    double row[1024];
    memset(out, 0, sizeof *out);
    if (!f) {
        snprintf(err, errlen, "%.200s: %s", path, why);
        return -1;
    }
    while (getline(&line, &lcap, f) >= 0) {
        size_t len = strlen(line);
        ln++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (strspn(line, " \t") == len) continue;
        int c = parse_row(line, row, 1024, path, ln, err, errlen);
        if (c < 0) goto done;
        if (c > 1024) {
            snprintf(err, errlen, "%.200s:%ld: %d columns (at most 1024)", path, ln, c);
            goto done;
        }
        if (cols == 0) {
            if (c < 2) {
                snprintf(err, errlen, "%.200s:%ld: 1 column; give the inputs, then the target", path, ln);
                goto done;
            }
            cols = c;
            out->d = c - 1;
        } else if (c != cols) {
            snprintf(err, errlen, "%.200s:%ld: %d columns, the first line has %d", path, ln, c, cols);
            goto done;
        }
        if (push_row(out, &capn, row, cols, ln) != 0) {
            snprintf(err, errlen, "%.200s:%ld: out of memory", path, ln);
            goto done;
        }
    }
    if (out->n == 0) {
        snprintf(err, errlen, "%.200s: no data", path);
        goto done;
    }
    netdata_classes(out);
    rc = 0;
done:
    if (rc) netdata_free(out);
    free(line);
    fclose(f);
    return rc;
}
