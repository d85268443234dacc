/* linalg2: 2x2 symmetric eigen-decomposition and linear solves for Hessians.
 *
 * Both routines first scale the matrix by an exact power of two so that its largest
 * entry lies in [0.5, 1): this keeps every intermediate away from overflow and
 * underflow (Hessians of 1e-300 or 1e+300 come out as accurately as those near 1)
 * and costs no rounding at all. */
#include "linalg2.h"

#include <float.h>
#include <math.h>

/* Exponent k such that max(|a|, |b|, |c|) * 2^-k lies in [0.5, 1); the caller has
 * made sure that max is finite and nonzero. */
static int scale_exponent(double a, double b, double c)
{
    double m = fmax(fabs(a), fmax(fabs(b), fabs(c)));
    int k;
    (void)frexp(m, &k);
    return k;
}

/* Make the first nonzero component positive (the documented sign convention). */
static void canonical_sign(double v[2])
{
    if (v[0] < 0.0 || (v[0] == 0.0 && v[1] < 0.0)) {
        v[0] = -v[0];
        v[1] = -v[1];
    }
    /* Avoid returning -0.0, which prints as "-0" in CSV output. */
    v[0] += 0.0;
    v[1] += 0.0;
}

/* Diagonal (b = 0): the answer is exact, no arithmetic at all. Equal entries keep
 * the axis vectors, the natural choice for a multiple of the identity. */
static eig2 eig2_diagonal(double a, double c)
{
    eig2 r;
    if (a <= c) {
        r.l1 = a; r.l2 = c;
        r.v1[0] = 1.0; r.v1[1] = 0.0;
        r.v2[0] = 0.0; r.v2[1] = 1.0;
    } else {
        r.l1 = c; r.l2 = a;
        r.v1[0] = 0.0; r.v1[1] = 1.0;
        r.v2[0] = 1.0; r.v2[1] = 0.0;
    }
    return r;
}

/* LAPACK dlaev2's eigenvalues of [as bs; bs cs] (b != 0): the eigenvalue of larger
 * magnitude rt1 from the sum and the root rt of the discriminant (no cancellation:
 * both terms have the same sign), the other from det / rt1 so that a tiny
 * eigenvalue next to a big one keeps its relative accuracy instead of being the
 * difference of two nearly equal numbers; sgn1 the sign of rt1's formula. */
static void laev2_values(double as, double bs, double cs, double *rt1, double *rt2, double *rt, int *sgn1)
{
    double sm = as + cs;
    double adf = fabs(as - cs);
    double ab = fabs(bs + bs);
    double acmx, acmn;
    if (fabs(as) > fabs(cs)) { acmx = as; acmn = cs; } else { acmx = cs; acmn = as; }
    if (adf > ab) {
        double q = ab / adf;
        *rt = adf * sqrt(1.0 + q * q);
    } else if (adf < ab) {
        double q = adf / ab;
        *rt = ab * sqrt(1.0 + q * q);
    } else {
        *rt = ab * sqrt(2.0);
    }
    if (sm < 0.0) {
        *rt1 = 0.5 * (sm - *rt);
        *sgn1 = -1;
        *rt2 = (acmx / *rt1) * acmn - (bs / *rt1) * bs;
    } else if (sm > 0.0) {
        *rt1 = 0.5 * (sm + *rt);
        *sgn1 = 1;
        *rt2 = (acmx / *rt1) * acmn - (bs / *rt1) * bs;
    } else {
        *rt1 = 0.5 * *rt;
        *rt2 = -0.5 * *rt;
        *sgn1 = 1;
    }
}

/* The eigenvector (cs1, sn1) of rt1, computed as a Jacobi rotation: the tangent is
 * formed from whichever of the two expressions is not a small difference. */
static void laev2_vector(double as, double bs, double cs, double rt, int sgn1, double *cs1, double *sn1)
{
    double df = as - cs;
    double tb = bs + bs;
    double ab = fabs(tb);
    int sgn2;
    double cv;
    if (df >= 0.0) { cv = df + rt; sgn2 = 1; } else { cv = df - rt; sgn2 = -1; }
    double acv = fabs(cv);
    if (acv > ab) {
        double ct = -tb / cv;
        *sn1 = 1.0 / sqrt(1.0 + ct * ct);
        *cs1 = ct * *sn1;
    } else {
        /* ab > 0 here because b != 0. */
        double tn = -cv / tb;
        *cs1 = 1.0 / sqrt(1.0 + tn * tn);
        *sn1 = tn * *cs1;
    }
    if (sgn1 == sgn2) {
        double tn = *cs1;
        *cs1 = -*sn1;
        *sn1 = tn;
    }
}

eig2 eig2_sym(double a, double b, double c)
{
    eig2 r;
    if (!isfinite(a) || !isfinite(b) || !isfinite(c)) {
        r.l1 = r.l2 = NAN;
        r.v1[0] = r.v1[1] = r.v2[0] = r.v2[1] = NAN;
        return r;
    }
    if (b == 0.0) return eig2_diagonal(a, c);

    int k = scale_exponent(a, b, c);
    double as = ldexp(a, -k), bs = ldexp(b, -k), cs = ldexp(c, -k);
    double rt1, rt2, rt, cs1, sn1;
    int sgn1;
    laev2_values(as, bs, cs, &rt1, &rt2, &rt, &sgn1);
    laev2_vector(as, bs, cs, rt, sgn1, &cs1, &sn1);

    rt1 = ldexp(rt1, k);
    rt2 = ldexp(rt2, k);
    /* (cs1, sn1) belongs to rt1; its perpendicular (-sn1, cs1) to rt2. */
    if (rt1 >= rt2) {
        r.l1 = rt2; r.l2 = rt1;
        r.v2[0] = cs1; r.v2[1] = sn1;
        r.v1[0] = -sn1; r.v1[1] = cs1;
    } else {
        r.l1 = rt1; r.l2 = rt2;
        r.v1[0] = cs1; r.v1[1] = sn1;
        r.v2[0] = -sn1; r.v2[1] = cs1;
    }
    canonical_sign(r.v1);
    canonical_sign(r.v2);
    return r;
}

int solve2_sym(double a, double b, double c, const double r[2], double s[2])
{
    if (!isfinite(a) || !isfinite(b) || !isfinite(c)) return -1;
    if (a == 0.0 && b == 0.0 && c == 0.0) return -1;
    int k = scale_exponent(a, b, c);
    double as = ldexp(a, -k), bs = ldexp(b, -k), cs = ldexp(c, -k);

    /* Kahan's determinant: a*c - b*b with the rounding error of b*b recovered by
     * fma, so a nearly singular matrix gets a small but correct determinant rather
     * than rounding noise. */
    double w = bs * bs;
    double e = fma(-bs, bs, w);
    double f = fma(as, cs, -w);
    double det = f + e;

    /* Singular to working precision: the smallest singular value is below a few
     * ulps of the largest (|det| = smin * smax and smax ~ max entry ~ 1 here). */
    double m = fmax(fabs(as), fmax(fabs(bs), fabs(cs)));
    if (!(fabs(det) > 16.0 * DBL_EPSILON * m * m)) return -1;

    double s0 = (cs * r[0] - bs * r[1]) / det;
    double s1 = (as * r[1] - bs * r[0]) / det;
    s0 = ldexp(s0, -k);
    s1 = ldexp(s1, -k);
    if (!isfinite(s0) || !isfinite(s1)) return -1;
    s[0] = s0;
    s[1] = s1;
    return 0;
}
