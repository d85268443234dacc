/* crit: all critical points of a landscape in a region.
 *
 * Newton's method on the gradient (H d = -g) from a grid of seeds finds every kind of
 * critical point alike, maxima and saddles included, which plain descent never
 * would. The search runs in three passes:
 *   1. scales: the median |g| and the median ||H|| over a sample grid say what
 *      "small" means for this function in this region (losses span decades:
 *      Goldstein-Price has gradients of 1e5 where Rosenbrock's minimum has a Hessian
 *      eigenvalue of 0.4), so every test below is relative;
 *   2. seeds: a few Newton steps from each seed (Levenberg-Marquardt where H is
 *      singular, steps limited to a tenth of the region), given up early where
 *      Newton wanders or enters the quadratic basin of a point already found;
 *      end points are merged in a spatial hash when their Hessians say they are
 *      one point (same_point), not by a distance;
 *   3. polish: each merged point gets Newton steps to full precision (degenerate
 *      points such as the monkey saddle's origin converge only linearly: their
 *      geometric series of steps is summed), is verified (|g| small and Newton
 *      would not move it), classified from the Hessian's eigenvalues, merged once
 *      more and sorted.
 * Deterministic: no threads, no randomness, a fixed seed order. */
#include "crit.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linalg2.h"

#define CRIT_DEFAULT_GRID 96
#define CRIT_MAX_GRID 4096
#define CRIT_DEFAULT_REL_TOL 1e-6
#define CRIT_SCALE_GRID 48      /* medians need no finer sample */

#define SEED_MAX_ITER 16
#define POLISH_MAX_ITER 400
#define POLISH_STALL 6          /* Newton steps that may raise |g| on the way */
#define SEED_STALL 3            /* seed iterations without a smaller |g| */
#define SEED_MAX_FAR 2          /* limited (too long) Newton steps a seed may take */

/* All lengths are relative to the region's diagonal, so the search behaves the same
 * for a view of [-1e-3, 1e-3] and one of [-1e3, 1e3]. */
#define STEP_MAX_REL 0.1        /* one Newton step moves at most this far */
#define STEP_DONE_REL 1e-8      /* a seed whose step is this small has converged */
#define STEP_ROUND_REL 1e-10    /* a polish step this small cannot improve anything */
#define EXPAND_REL 0.25         /* seeds may wander this far outside the region */
#define MERGE_SEED_REL 1e-5     /* seed end points this close are compared (same_point) */
#define MERGE_FINAL_REL 1e-7    /* at most this much position uncertainty merges two points */
#define CONTINUUM_SPACING 2.0   /* degenerate seed end points: seed spacings apart */
#define INSIDE_REL 1e-9         /* tolerance of the final "inside the region" test */
#define SAME_X_REL 1e-9         /* x values this close are one column in the output */
#define SEED_G_REL 1e-4         /* a seed end point is worth polishing below this |g| */
#define VERIFY_G_REL 1e-8       /* a polished point is critical below this |g| */
#define VERIFY_STEP_REL 1e-6    /* ... and if Newton would move it less than this */
#define GSCALE_FLOOR_REL 1e-6   /* the gradient scale is at least this much of the largest |g| */

const char *crit_kind_name(crit_kind k)
{
    switch (k) {
    case CRIT_MIN: return "min";
    case CRIT_MAX: return "max";
    case CRIT_SADDLE: return "saddle";
    case CRIT_DEGENERATE: return "degenerate";
    }
    return "unknown";
}

static int jet_finite(const jet2 *j)
{
    return isfinite(j->v) && isfinite(j->gx) && isfinite(j->gy) && isfinite(j->hxx) &&
           isfinite(j->hxy) && isfinite(j->hyy);
}

crit_point crit_classify_fn(const lsfn *f, double x, double y, double rel_tol, double scale)
{
    crit_point p;
    memset(&p, 0, sizeof p);
    jet2 j = lsfn_jet(f, x, y);
    eig2 e = eig2_sym(j.hxx, j.hxy, j.hyy);
    p.x = x;
    p.y = y;
    p.f = j.v;
    p.l1 = e.l1;
    p.l2 = e.l2;
    memcpy(p.v1, e.v1, sizeof p.v1);
    memcpy(p.v2, e.v2, sizeof p.v2);
    if (!(rel_tol > 0)) rel_tol = CRIT_DEFAULT_REL_TOL;
    /* Without a regional scale the point's own Hessian is the yardstick, so a zero
     * Hessian (monkey saddle) is degenerate and any other is judged by its shape. */
    if (!(scale > 0)) scale = fmax(fabs(e.l1), fabs(e.l2));
    double zero = rel_tol * scale;
    if (!(isfinite(e.l1) && isfinite(e.l2)) || fabs(e.l1) <= zero || fabs(e.l2) <= zero)
        p.kind = CRIT_DEGENERATE;
    else if (e.l1 > 0)
        p.kind = CRIT_MIN;
    else if (e.l2 < 0)
        p.kind = CRIT_MAX;
    else
        p.kind = CRIT_SADDLE;
    return p;
}

/* Newton step for grad f = 0: H d = -g. Where H is singular to working precision
 * (a line of critical points, f = x^2, or a degenerate direction) the
 * Levenberg-Marquardt step (H^T H + mu I) d = -H^T g is taken instead: in H's
 * eigenbasis it is -g_i l_i / (l_i^2 + mu), i.e. Newton along the well-determined
 * directions and no motion along the null ones. mu is the rounding level of the
 * eigenvalues, (16 eps ||H||)^2, or, with damp == 0, as good as zero: then only an
 * exactly zero eigenvalue is skipped, which is right when the small eigenvalue is
 * accurate (x^6 + y^2 near its minimum), and the caller judges the result by |g|.
 * Returns -1 where H is zero or not finite: there is no local model to follow. */
static int newton_step(const jet2 *j, int damp, double d[2])
{
    double r[2] = {-j->gx, -j->gy};
    if (solve2_sym(j->hxx, j->hxy, j->hyy, r, d) == 0) return 0;
    eig2 e = eig2_sym(j->hxx, j->hxy, j->hyy);
    double lmax = fmax(fabs(e.l1), fabs(e.l2));
    if (!(lmax > 0) || !isfinite(lmax)) return -1;
    /* Everything divided by lmax first: no overflow for huge Hessians. */
    double t1 = e.l1 / lmax, t2 = e.l2 / lmax;
    double mu = damp ? 256.0 * DBL_EPSILON * DBL_EPSILON : DBL_MIN;
    double g1 = (e.v1[0] * j->gx + e.v1[1] * j->gy) / lmax;
    double g2 = (e.v2[0] * j->gx + e.v2[1] * j->gy) / lmax;
    double c1 = -g1 * t1 / (t1 * t1 + mu);
    double c2 = -g2 * t2 / (t2 * t2 + mu);
    d[0] = c1 * e.v1[0] + c2 * e.v2[0];
    d[1] = c1 * e.v1[1] + c2 * e.v2[1];
    return isfinite(d[0]) && isfinite(d[1]) ? 0 : -1;
}

static void limit_step(double d[2], double smax)
{
    double n = hypot(d[0], d[1]);
    if (n > smax) {
        d[0] *= smax / n;
        d[1] *= smax / n;
    }
}

/* ---- merging seed end points: a hash on cells of the merge radius ---- */

typedef struct cand {
    double kx, ky;      /* where it was first seen: its cell key, never moves */
    double x, y, g;     /* the best of the points merged into it */
    jet2 j;             /* the jet at (x, y) */
    int next;
} cand;

typedef struct cand_set {
    cand *c;
    int n, cap;
    int *head;
    size_t mask;
    double ox, oy, cell;
} cand_set;

/* Does the quadratic model at p explain q? It predicts q's gradient as
 * g_p + H_p (q - p); by the mean value theorem the error is (A - H_p)(q - p), A the
 * Hessian averaged along the segment. Within p's quadratic basin (where H stays
 * within half its weakest curvature of H_p) the error is below
 * |lambda_min(H_p)| |q - p| / 2. A second critical point q needs A singular along
 * q - p, so there the error is about |H_p (q - p)| >= |lambda_min| |q - p|: the
 * model at p cannot explain it. The test is scale-free: it holds for points 1e-4
 * apart with eigenvalues 1e-4 as for points 1 apart with eigenvalues 1. */
static int model_explains(const jet2 *jp, double px, double py, const jet2 *jq, double qx, double qy)
{
    double dx = qx - px, dy = qy - py;
    double ex = jq->gx - jp->gx - (jp->hxx * dx + jp->hxy * dy);
    double ey = jq->gy - jp->gy - (jp->hxy * dx + jp->hyy * dy);
    eig2 e = eig2_sym(jp->hxx, jp->hxy, jp->hyy);
    double lmin = fmin(fabs(e.l1), fabs(e.l2));
    return hypot(ex, ey) <= 0.5 * lmin * hypot(dx, dy);
}

/* Two points are one critical point when each lies in the other's quadratic basin
 * (or they are closer than rounding can tell apart, rtie). */
static int same_point(const jet2 *jp, double px, double py, const jet2 *jq, double qx, double qy,
                      double rtie)
{
    if (hypot(qx - px, qy - py) <= rtie) return 1;
    return model_explains(jp, px, py, jq, qx, qy) && model_explains(jq, qx, qy, jp, px, py);
}

static int cand_init(cand_set *s, int cap, double ox, double oy, double cell)
{
    size_t nhead = 16;
    while (nhead < 2 * (size_t)cap) nhead *= 2;
    s->c = malloc((size_t)cap * sizeof *s->c);
    s->head = malloc(nhead * sizeof *s->head);
    if (!s->c || !s->head) {
        free(s->c);
        free(s->head);
        return -1;
    }
    for (size_t i = 0; i < nhead; i++) s->head[i] = -1;
    s->n = 0;
    s->cap = cap;
    s->mask = nhead - 1;
    s->ox = ox;
    s->oy = oy;
    s->cell = cell;
    return 0;
}

static void cand_free(cand_set *s)
{
    free(s->c);
    free(s->head);
}

static size_t cell_hash(long long ix, long long iy, size_t mask)
{
    unsigned long long h = (unsigned long long)ix * 0x9E3779B97F4A7C15ull;
    h ^= (unsigned long long)iy + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ull;
    return (size_t)(h >> 17) & mask;
}

/* The point already found within one cell of (x, y) that is the same point: with
 * j == NULL any point within one cell (the coarse set of degenerate points, thinned
 * by distance); otherwise one whose quadratic basin (x, y) shares (same_point). */
static int cand_near(const cand_set *s, double x, double y, const jet2 *j, double rtie)
{
    long long ix = (long long)floor((x - s->ox) / s->cell);
    long long iy = (long long)floor((y - s->oy) / s->cell);
    for (long long a = ix - 1; a <= ix + 1; a++)
        for (long long b = iy - 1; b <= iy + 1; b++)
            for (int k = s->head[cell_hash(a, b, s->mask)]; k >= 0; k = s->c[k].next) {
                const cand *c = &s->c[k];
                if (hypot(c->kx - x, c->ky - y) > s->cell) continue;
                if (!j || same_point(&c->j, c->x, c->y, j, x, y, rtie)) return k;
            }
    return -1;
}

/* Merge (x, y) into an existing point (cand_near), or add it. A full set drops new
 * points: only a continuum of critical points (a line, a constant function) can
 * fill it, and the output is capped anyway. */
static void cand_add(cand_set *s, double x, double y, double g, const jet2 *j, int by_basin,
                     double rtie)
{
    int k = cand_near(s, x, y, by_basin ? j : NULL, rtie);
    if (k >= 0) {
        cand *c = &s->c[k];
        if (g < c->g) {
            c->x = x;
            c->y = y;
            c->g = g;
            c->j = *j;
        }
        return;
    }
    if (s->n == s->cap) return;
    long long ix = (long long)floor((x - s->ox) / s->cell);
    long long iy = (long long)floor((y - s->oy) / s->cell);
    cand *c = &s->c[s->n];
    c->kx = c->x = x;
    c->ky = c->y = y;
    c->g = g;
    c->j = *j;
    size_t h = cell_hash(ix, iy, s->mask);
    c->next = s->head[h];
    s->head[h] = s->n;
    s->n++;
}

/* ---- the passes ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    if (n == 0) return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Median |g| and median spectral norm of H over a sample grid of the region. */
static int region_scales(const lsfn *f, const double r[4], double *gscale, double *hscale)
{
    int n = CRIT_SCALE_GRID;
    double *gs = malloc((size_t)n * n * sizeof *gs);
    double *hs = malloc((size_t)n * n * sizeof *hs);
    if (!gs || !hs) {
        free(gs);
        free(hs);
        return -1;
    }
    int m = 0;
    for (int i = 0; i < n; i++) {
        double y = r[2] + (r[3] - r[2]) * (i + 0.5) / n;
        for (int k = 0; k < n; k++) {
            double x = r[0] + (r[1] - r[0]) * (k + 0.5) / n;
            jet2 j = lsfn_jet(f, x, y);
            if (!jet_finite(&j)) continue;
            eig2 e = eig2_sym(j.hxx, j.hxy, j.hyy);
            gs[m] = hypot(j.gx, j.gy);
            hs[m] = fmax(fabs(e.l1), fabs(e.l2));
            m++;
        }
    }
    *gscale = median(gs, m);
    /* A function that lives in a small part of the region (a Gaussian bump in a
     * wide view) has a median |g| of about 0 (exp(-50)): "small" is then relative
     * to where it varies, a millionth of the largest |g| seen (median sorted gs). */
    if (m > 0) *gscale = fmax(*gscale, GSCALE_FLOOR_REL * gs[m - 1]);
    *hscale = median(hs, m);
    free(gs);
    free(hs);
    return 0;
}

double crit_hessian_scale_fn(const lsfn *f, const double region[4])
{
    double gscale, hscale;
    if (!(region[0] < region[1]) || !(region[2] < region[3]) || !isfinite(region[1] - region[0]) ||
        !isfinite(region[3] - region[2]))
        return 0;
    if (region_scales(f, region, &gscale, &hscale) != 0) return 0;
    return hscale;
}

typedef struct search {
    const lsfn *f;
    double region[4];   /* where points are reported */
    double w, h, diag;  /* its size */
    int grid;           /* seeds per axis */
    double spacing;     /* between seeds */
    double rel_tol;     /* of the classification */
    double gscale, hscale;   /* the function's typical |g| and ||H|| in the region */
    double box[4];      /* the region expanded: seeds leaving it are dropped */
    double smax;        /* step limit */
    double sdone;       /* converged step size of a seed */
    double sround;      /* a Newton step this small is rounding noise */
    double gkeep;       /* |g| below which a seed's end point is kept */
    double hzero;       /* Hessian eigenvalues below this count as zero */
    cand_set fine;      /* isolated points, merged when they share a quadratic basin */
    cand_set coarse;    /* degenerate ones, merged within a few seed spacings */
} search;

/* Where a seed's end point goes. A degenerate end point may be one of a continuum
 * (a line of minima, a flat plateau), where every seed finds a point of its own:
 * those are thinned to a few seed spacings apart, which still draws the line but
 * cannot fill the set and crowd out the isolated points found later. A seed that
 * was still converging linearly (linear != 0) is headed for a degenerate point
 * too, and stopped at some distance from it that differs from seed to seed: the
 * coarse merge makes one candidate of them instead of thousands to polish. */
static void keep_point(search *s, const jet2 *j, double x, double y, double g, int linear)
{
    eig2 e = eig2_sym(j->hxx, j->hxy, j->hyy);
    int degenerate = linear || fmin(fabs(e.l1), fabs(e.l2)) <= s->hzero;
    if (degenerate) cand_add(&s->coarse, x, y, g, j, 0, s->sround);
    else cand_add(&s->fine, x, y, g, j, 1, s->sround);
}

/* Only isolated points end other seeds early, and only a seed inside such a
 * point's quadratic basin (it would converge there): the coarse radius of the
 * degenerate ones could swallow an isolated point next to a line of them, and a
 * fixed radius one next to another isolated point. */
static int near_known(const search *s, const jet2 *j, double x, double y)
{
    return cand_near(&s->fine, x, y, j, s->sround) >= 0;
}

/* A few Newton steps from a seed. Seeds are dense, so every critical point has
 * some within its quadratic basin that converge in a handful of steps; a seed that
 * has not converged after SEED_MAX_ITER is wandering where H is indefinite or nearly
 * singular and is not worth more time. */
static void run_seed(search *s, double x, double y)
{
    double bx = x, by = y, bg = INFINITY;
    jet2 bj;
    memset(&bj, 0, sizeof bj);
    int stall = 0, far = 0, slow = 0;
    double prev = 0;
    for (int it = 0; it < SEED_MAX_ITER; it++) {
        jet2 j = lsfn_jet(s->f, x, y);
        if (!jet_finite(&j)) break;
        double g = hypot(j.gx, j.gy);
        /* Arriving in the basin of a point another seed has already converged to:
         * nothing new to learn here. */
        if (it > 0 && g <= s->gkeep && near_known(s, &j, x, y)) return;
        if (g < bg) {
            bx = x; by = y; bg = g; bj = j;
            stall = 0;
        } else if (++stall >= SEED_STALL) {
            break;
        }
        if (g == 0) break;
        double d[2];
        if (newton_step(&j, 1, d) != 0) break;
        double dn = hypot(d[0], d[1]);
        /* Newton asking for long steps again and again means the local model says
         * nothing about where the roots are (a Gaussian's tail, an inflection
         * line): seeds nearer to them will do the job. */
        if (dn > s->smax && ++far > SEED_MAX_FAR) break;
        limit_step(d, s->smax);
        dn = fmin(dn, s->smax);
        /* Linear convergence (a degenerate point): steps shrink by a constant
         * ratio rho. Once that is seen twice in a row, jump by the sum of the
         * series, d / (1 - rho); the polish does the same, checked by |g|. */
        double rho = prev > 0 ? dn / prev : 0;
        prev = dn;
        slow = rho >= 0.3 && rho <= 0.98 ? slow + 1 : 0;
        if (slow >= 2) {
            d[0] /= 1 - rho;
            d[1] /= 1 - rho;
            limit_step(d, s->smax);
            prev = 0;
            slow = 0;
        }
        x += d[0];
        y += d[1];
        if (!(x >= s->box[0] && x <= s->box[1] && y >= s->box[2] && y <= s->box[3])) break;
        if (dn <= s->sdone) {
            /* Converged (quadratically, or linearly at a degenerate point, which
             * the polish finishes); the step made is better than the last point.
             * Kept with its own jet: the merge compares Hessians. */
            if (g <= s->gkeep) {
                jet2 jn = lsfn_jet(s->f, x, y);
                if (jet_finite(&jn)) keep_point(s, &jn, x, y, hypot(jn.gx, jn.gy), slow > 0);
            }
            return;
        }
    }
    /* Not converged: worth polishing only if Newton would stay near. In a
     * Gaussian's tail |g| is tiny everywhere, yet Newton points far away, to the
     * "critical point at infinity". */
    double d[2];
    if (bg == 0 || (bg <= s->gkeep && newton_step(&bj, 1, d) == 0 && hypot(d[0], d[1]) <= s->smax))
        keep_point(s, &bj, bx, by, bg, slow > 0);
}

/* Newton steps from a seed's end point to full precision; the best point seen
 * and its |g|.
 *
 * Each iteration tries a few steps from the current point and takes the first
 * that lowers |g|. At a degenerate point Newton converges only linearly, with a
 * constant ratio rho between successive steps (1/2 for the monkey saddle, whose
 * gradient is homogeneous of degree 2; 1 - 1/q for degree q): there the sum of the
 * remaining geometric series, d / (1 - rho), is tried first, which lands on the
 * point at once for homogeneous gradients and speeds up the rest. Then the plain
 * step (undamped), the damped one, and half a step. When none lowers |g| but the
 * step is still long, Newton is followed anyway for a few steps: next to a
 * degenerate point |g| can be small along a whole curve (x ~ 5y^2/14 for
 * 7x^2 - 5xy^2), and the way to the point first climbs out of that valley of |g|. */
static void polish(const search *s, double *px, double *py, double *pg)
{
    double x = *px, y = *py;
    jet2 j = lsfn_jet(s->f, x, y);
    if (!jet_finite(&j)) {
        *pg = INFINITY;
        return;
    }
    double g = hypot(j.gx, j.gy);
    double bx = x, by = y, bg = g;
    double prev = 0;    /* length of the previous plain Newton step */
    int stall = 0;
    for (int it = 0; it < POLISH_MAX_ITER && g > 0; it++) {
        double d[2], dd[2];
        if (newton_step(&j, 0, d) != 0 && newton_step(&j, 1, d) != 0) break;
        limit_step(d, s->smax);
        double dn = hypot(d[0], d[1]);
        double rho = prev > 0 ? dn / prev : 0;
        prev = dn;
        double tries[4][2];
        int nt = 0, extrap = 0;
        if (rho >= 0.3 && rho <= 0.98) {
            tries[nt][0] = d[0] / (1 - rho);
            tries[nt][1] = d[1] / (1 - rho);
            limit_step(tries[nt], s->smax);
            nt++;
            extrap = 1;
        }
        tries[nt][0] = d[0]; tries[nt][1] = d[1]; nt++;
        if (newton_step(&j, 1, dd) == 0) {
            limit_step(dd, s->smax);
            tries[nt][0] = dd[0]; tries[nt][1] = dd[1]; nt++;
        }
        tries[nt][0] = 0.5 * d[0]; tries[nt][1] = 0.5 * d[1]; nt++;
        int ok = 0;
        for (int t = 0; t < nt && !ok; t++) {
            double tx = x + tries[t][0], ty = y + tries[t][1];
            if (tx == x && ty == y) continue;
            if (!(tx >= s->box[0] && tx <= s->box[1] && ty >= s->box[2] && ty <= s->box[3]))
                continue;
            jet2 tj = lsfn_jet(s->f, tx, ty);
            if (!jet_finite(&tj)) continue;
            double tg = hypot(tj.gx, tj.gy);
            if (tg < g) {
                x = tx; y = ty; g = tg; j = tj;
                ok = 1;
                /* After a jump the next plain step starts a new ratio. */
                if (t == 0 && extrap) prev = 0;
            }
        }
        if (!ok) {
            /* At rounding level: done. Otherwise follow Newton uphill in |g|. */
            if (dn <= s->sround || ++stall > POLISH_STALL) break;
            x += d[0];
            y += d[1];
            if (!(x >= s->box[0] && x <= s->box[1] && y >= s->box[2] && y <= s->box[3])) break;
            j = lsfn_jet(s->f, x, y);
            if (!jet_finite(&j)) break;
            g = hypot(j.gx, j.gy);
        }
        if (g < bg) {
            bx = x; by = y; bg = g;
            stall = 0;
        }
    }
    *px = bx;
    *py = by;
    *pg = bg;
}

typedef struct found {
    double g;
    double step;        /* the Newton step Newton would still take: its position's uncertainty */
    jet2 j;
    crit_point c;
} found;

static int cmp_found_x(const void *a, const void *b)
{
    const found *p = a, *q = b;
    if (p->c.x != q->c.x) return (p->c.x > q->c.x) - (p->c.x < q->c.x);
    return (p->c.y > q->c.y) - (p->c.y < q->c.y);
}

static int cmp_point_xy(const void *a, const void *b)
{
    const crit_point *p = a, *q = b;
    if (p->x != q->x) return (p->x > q->x) - (p->x < q->x);
    return (p->y > q->y) - (p->y < q->y);
}

static int cmp_point_y(const void *a, const void *b)
{
    const crit_point *p = a, *q = b;
    if (p->y != q->y) return (p->y > q->y) - (p->y < q->y);
    return (p->x > q->x) - (p->x < q->x);
}

/* Isolated points first when the output must be cut: a line of degenerate points
 * should not crowd out the minima next to it. */
static int cmp_point_keep(const void *a, const void *b)
{
    const crit_point *p = a, *q = b;
    int dp = p->kind == CRIT_DEGENERATE, dq = q->kind == CRIT_DEGENERATE;
    if (dp != dq) return dp - dq;
    return cmp_point_xy(a, b);
}

static void set_err(char *err, size_t errlen, const char *msg, const double r[4])
{
    if (err && errlen)
        snprintf(err, errlen, "region %.6g,%.6g,%.6g,%.6g: %s", r[0], r[1], r[2], r[3], msg);
}

/* 0 when the region is finite, ordered and wide enough for double precision; else -1
 * with why in err. */
static int check_region(const double region[4], char *err, size_t errlen)
{
    for (int i = 0; i < 4; i++) {
        if (!isfinite(region[i])) {
            set_err(err, errlen, "the bounds must be finite numbers", region);
            return -1;
        }
    }
    if (!(region[0] < region[1]) || !(region[2] < region[3])) {
        set_err(err, errlen, "need X0 < X1 and Y0 < Y1", region);
        return -1;
    }
    double w = region[1] - region[0], h = region[3] - region[2];
    double diag = hypot(w, h);
    if (!isfinite(diag) || !(w > 0) || !(h > 0) || w < 1e-12 * fmax(fabs(region[0]), fabs(region[1])) ||
        h < 1e-12 * fmax(fabs(region[2]), fabs(region[3]))) {
        set_err(err, errlen, "the region is too large or too narrow for double precision", region);
        return -1;
    }
    return 0;
}

/* The search of a region: its scales, limits and (empty) candidate sets, sized
 * for cap reported points. 0, or -1 out of memory. */
static int search_open(search *s, const lsfn *f, const double region[4], const crit_opts *opts, int cap)
{
    s->f = f;
    memcpy(s->region, region, sizeof s->region);
    s->w = region[1] - region[0];
    s->h = region[3] - region[2];
    s->diag = hypot(s->w, s->h);
    int grid = opts && opts->grid > 0 ? opts->grid : CRIT_DEFAULT_GRID;
    if (grid < 2) grid = 2;
    if (grid > CRIT_MAX_GRID) grid = CRIT_MAX_GRID;
    s->grid = grid;
    s->rel_tol = opts && opts->rel_tol > 0 ? opts->rel_tol : CRIT_DEFAULT_REL_TOL;
    if (region_scales(f, region, &s->gscale, &s->hscale) != 0) return -1;
    s->box[0] = region[0] - EXPAND_REL * s->w;
    s->box[1] = region[1] + EXPAND_REL * s->w;
    s->box[2] = region[2] - EXPAND_REL * s->h;
    s->box[3] = region[3] + EXPAND_REL * s->h;
    s->smax = STEP_MAX_REL * s->diag;
    s->sdone = STEP_DONE_REL * s->diag;
    s->sround = STEP_ROUND_REL * s->diag;
    s->gkeep = SEED_G_REL * s->gscale;

    /* Room for far more distinct end points than can be reported, but bounded so
     * that a continuum of critical points cannot take the memory. */
    long long ccap = 16LL * cap + 65536;
    if (ccap > (long long)grid * grid) ccap = (long long)grid * grid;
    s->spacing = fmax(s->w, s->h) / grid;
    s->hzero = s->rel_tol * s->hscale;
    if (cand_init(&s->fine, (int)ccap, s->box[0], s->box[2], MERGE_SEED_REL * s->diag) != 0) return -1;
    if (cand_init(&s->coarse, (int)ccap, s->box[0], s->box[2],
                  fmax(MERGE_SEED_REL * s->diag, CONTINUUM_SPACING * s->spacing)) != 0) {
        cand_free(&s->fine);
        return -1;
    }
    return 0;
}

static void search_close(search *s)
{
    cand_free(&s->fine);
    cand_free(&s->coarse);
}

/* Every seed of the grid, row by row: 0, or -1 when progress asked to stop. */
static int run_seeds(search *s, const crit_opts *opts)
{
    int (*progress)(void *, double) = opts ? opts->progress : NULL;
    void *pctx = opts ? opts->progress_ctx : NULL;
    const double *region = s->region;
    int grid = s->grid;
    for (int i = 0; i < grid; i++) {
        double y = region[2] + s->h * (i + 0.5) / grid;
        for (int k = 0; k < grid; k++) {
            double x = region[0] + s->w * (k + 0.5) / grid;
            run_seed(s, x, y);
        }
        /* the seeds are most of the work; the polish the last tenth */
        if (progress && progress(pctx, 0.9 * (i + 1) / grid) != 0) return -1;
    }
    return 0;
}

/* Polish, verify, classify, keep those inside the region, into fd (room for every
 * candidate): their count, or -1 when progress asked to stop. A point is critical
 * when |g| is small for this function and, what |g| alone cannot tell next to a
 * degenerate point, when Newton would hardly move it. */
static int verify_candidates(const search *s, const crit_opts *opts, found *fd)
{
    int (*progress)(void *, double) = opts ? opts->progress : NULL;
    void *pctx = opts ? opts->progress_ctx : NULL;
    const double *region = s->region;
    int ncand = s->fine.n + s->coarse.n;
    double mx = INSIDE_REL * s->w, my = INSIDE_REL * s->h;
    double gverify = VERIFY_G_REL * s->gscale;
    int nf = 0;
    for (int k = 0; k < ncand; k++) {
        if (progress && k % 256 == 255 && progress(pctx, 0.9 + 0.1 * k / ncand) != 0) return -1;
        const cand *c = k < s->fine.n ? &s->fine.c[k] : &s->coarse.c[k - s->fine.n];
        double x = c->x, y = c->y, g;
        polish(s, &x, &y, &g);
        if (!(g <= gverify)) continue;
        if (!(x >= region[0] - mx && x <= region[1] + mx && y >= region[2] - my && y <= region[3] + my))
            continue;
        jet2 j = lsfn_jet(s->f, x, y);
        double step = 0;
        if (g > 0) {
            double d[2];
            if (newton_step(&j, 1, d) == 0) step = hypot(d[0], d[1]);
            if (step > VERIFY_STEP_REL * s->diag) continue;
        }
        fd[nf].g = g;
        fd[nf].step = step;
        fd[nf].j = j;
        fd[nf].c = crit_classify_fn(s->f, x, y, s->rel_tol, s->hscale);
        nf++;
    }
    return nf;
}

/* Two seed clusters may polish into the same point: merge, keeping the smaller
 * |g|. Two nondegenerate points are the same when each lies in the other's
 * quadratic basin (same_point), or when they are closer than their own
 * uncertainty (the steps Newton would still take, capped at rmerge), whatever
 * their distance relative to the region: two minima 1e-6 of the diagonal
 * apart are two points. Degenerate points merge within a seed spacing: a line
 * of them is thinned as in the search, and a degenerate point polished less
 * well than another next to it is the same point. Sorted by x, so a window of
 * x suffices. Returns the count left at the start of fd. */
static int merge_found(const search *s, found *fd, int nf)
{
    qsort(fd, (size_t)nf, sizeof *fd, cmp_found_x);
    double rmerge = MERGE_FINAL_REL * s->diag;
    double rdegen = fmax(rmerge, s->spacing);
    int nu = 0;
    for (int k = 0; k < nf; k++) {
        int dup = -1;
        int kdeg = fd[k].c.kind == CRIT_DEGENERATE;
        for (int u = nu - 1; u >= 0 && fd[k].c.x - fd[u].c.x <= rdegen; u--) {
            double dist = hypot(fd[k].c.x - fd[u].c.x, fd[k].c.y - fd[u].c.y);
            int udeg = fd[u].c.kind == CRIT_DEGENERATE;
            int same;
            if (!kdeg && !udeg) {
                double rtie = fmin(s->sround + 2 * (fd[k].step + fd[u].step), rmerge);
                same = same_point(&fd[u].j, fd[u].c.x, fd[u].c.y, &fd[k].j, fd[k].c.x, fd[k].c.y, rtie);
            } else {
                same = dist <= rmerge || (kdeg && udeg && dist <= rdegen);
            }
            if (same) {
                dup = u;
                break;
            }
        }
        if (dup < 0) {
            fd[nu++] = fd[k];
        } else if (fd[k].g < fd[dup].g) {
            fd[dup] = fd[k];
        }
    }
    return nu;
}

/* At most cap of the nu points into out: when there are more than the caller can
 * take, isolated points first; reported in x, y order. The count, or -1 out of
 * memory. */
static int report(const found *fd, int nu, int cap, double w, crit_point *out)
{
    crit_point *all = malloc((size_t)(nu > 0 ? nu : 1) * sizeof *all);
    if (!all) return -1;
    for (int k = 0; k < nu; k++) all[k] = fd[k].c;
    int n = nu;
    if (n > cap) {
        qsort(all, (size_t)n, sizeof *all, cmp_point_keep);
        n = cap;
    }
    qsort(all, (size_t)n, sizeof *all, cmp_point_xy);
    /* Points of one column (rastrigin's lattice, a symmetric pair) agree in x only
     * to rounding: x values within SAME_X_REL of the width count as equal, so a
     * column comes out together, in y order, instead of interleaved by noise. */
    for (int a = 0; a < n;) {
        int b = a + 1;
        while (b < n && all[b].x - all[b - 1].x <= SAME_X_REL * w) b++;
        if (b - a > 1) qsort(all + a, (size_t)(b - a), sizeof *all, cmp_point_y);
        a = b;
    }
    memcpy(out, all, (size_t)n * sizeof *out);
    free(all);
    return n;
}

static int crit_fail(char *err, size_t errlen, const char *why)
{
    if (err && errlen) snprintf(err, errlen, "critical points: %s", why);
    return -1;
}

int crit_find_fn(const lsfn *f, const double region[4], const crit_opts *opts,
                 crit_point *out, int max, char *err, size_t errlen)
{
    assert(f && region && max >= 0 && (out || max == 0));
    if (check_region(region, err, errlen) != 0) return -1;
    int cap = max;
    if (opts && opts->max_points > 0 && opts->max_points < cap) cap = opts->max_points;
    if (cap == 0) return 0;

    search s;
    if (search_open(&s, f, region, opts, cap) != 0) return crit_fail(err, errlen, "out of memory");
    if (run_seeds(&s, opts) != 0) {
        search_close(&s);
        return crit_fail(err, errlen, "interrupted");
    }
    int ncand = s.fine.n + s.coarse.n;
    found *fd = malloc((size_t)(ncand > 0 ? ncand : 1) * sizeof *fd);
    if (!fd) {
        search_close(&s);
        return crit_fail(err, errlen, "out of memory");
    }
    int nf = verify_candidates(&s, opts, fd);
    search_close(&s);
    if (nf < 0) {
        free(fd);
        return crit_fail(err, errlen, "interrupted");
    }
    int n = report(fd, merge_found(&s, fd, nf), cap, s.w, out);
    free(fd);
    if (n < 0) return crit_fail(err, errlen, "out of memory");
    if (opts && opts->progress) (void)opts->progress(opts->progress_ctx, 1.0);
    return n;
}

crit_point crit_classify(const expr *f, double x, double y, double rel_tol, double scale)
{
    lsfn fn = lsfn_formula(f);
    return crit_classify_fn(&fn, x, y, rel_tol, scale);
}

double crit_hessian_scale(const expr *f, const double region[4])
{
    lsfn fn = lsfn_formula(f);
    return crit_hessian_scale_fn(&fn, region);
}

int crit_find(const expr *f, const double region[4], const crit_opts *opts, crit_point *out, int max,
              char *err, size_t errlen)
{
    lsfn fn = lsfn_formula(f);
    return crit_find_fn(&fn, region, opts, out, max, err, errlen);
}
