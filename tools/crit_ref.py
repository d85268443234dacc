#!/usr/bin/env python3
"""crit_ref: reference critical points of an optiscape formula, computed independently
of the C code (sympy + mpmath), to generate the literal tables in tests/test_crit.c.

Polynomial gradients are solved exactly: the resultants of (f_x, f_y) with respect to
y and to x give every candidate coordinate as a real root of a univariate polynomial
(isolated exactly, then refined to 40 digits), and the candidate pairs that zero the
gradient at 40 digits are the critical points. Anything else falls back to mpmath's
multidimensional Newton from a dense grid of seeds (less independent, and it says so).

    tools/crit_ref.py 'x^3 - 3*x + y^2' -2 2 -2 2
    tools/crit_ref.py '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2' -2 2 -1 1 --c

Output: CSV kind,x,y,f,lambda1,lambda2 (17 significant digits), or with --c the rows
of a C initializer {kind, x, y, f, l1, l2}. kind is min, max, saddle or degenerate
(an eigenvalue that vanishes to 30 digits relative to the Hessian's size).
"""
import argparse
import sys

import mpmath
import sympy
from sympy.parsing.sympy_parser import (parse_expr, rationalize,
                                        standard_transformations)

mpmath.mp.dps = 50
X, Y = sympy.symbols('x y', real=True)


def parse_formula(text, params):
    """The expr syntax in sympy: ^ is power, e is Euler's number, min/max/abs/pow."""
    local = {
        'x': X, 'y': Y, 'pi': sympy.pi, 'e': sympy.E,
        'sin': sympy.sin, 'cos': sympy.cos, 'tan': sympy.tan, 'exp': sympy.exp,
        'log': sympy.log, 'sqrt': sympy.sqrt, 'abs': sympy.Abs, 'tanh': sympy.tanh,
        'sinh': sympy.sinh, 'cosh': sympy.cosh, 'atan': sympy.atan,
        'min': sympy.Min, 'max': sympy.Max, 'pow': sympy.Pow,
    }
    for name, value in params.items():
        local[name] = sympy.Rational(value)
    # Decimal literals become exact rationals (2.1 -> 21/10) so that polynomial
    # gradients stay exact; the C compiler's 2.1 differs by an ulp, far below 1e-9.
    return parse_expr(text.replace('^', '**'), local_dict=local,
                      transformations=standard_transformations + (rationalize,))


def real_roots_of(poly_expr, var):
    """Distinct real roots of a univariate polynomial, as 50-digit mpf."""
    p = sympy.Poly(poly_expr, var)
    if p.is_zero:
        return None
    if p.degree() <= 0:
        return []
    p = p.sqf_part()
    return [mpmath.mpf(str(r.evalf(45))) for r in p.real_roots()]


def classify(h):
    """Kind from the exact-ish Hessian eigenvalues at 50 digits."""
    a, b, c = h
    tr = a + c
    disc = mpmath.sqrt((a - c) ** 2 + 4 * b * b)
    l2 = (tr + disc) / 2
    l1 = (tr - disc) / 2
    scale = max(abs(a), abs(b), abs(c))
    zero = mpmath.mpf(10) ** -30 * (scale if scale > 0 else 1)
    if abs(l1) <= zero or abs(l2) <= zero:
        kind = 'degenerate'
    elif l1 > 0:
        kind = 'min'
    elif l2 < 0:
        kind = 'max'
    else:
        kind = 'saddle'
    return kind, l1, l2


def polynomial_points(gx, gy, region):
    rx = sympy.resultant(gx, gy, Y)
    ry = sympy.resultant(gx, gy, X)
    xs = real_roots_of(sympy.expand(rx), X)
    ys = real_roots_of(sympy.expand(ry), Y)
    if xs is None or ys is None:
        raise SystemExit('crit_ref: the gradient components share a factor: '
                         'the critical points form a curve')
    x0, x1, y0, y1 = region
    lgx = sympy.lambdify((X, Y), gx, 'mpmath')
    lgy = sympy.lambdify((X, Y), gy, 'mpmath')
    pts = []
    for xv in xs:
        if not (x0 <= xv <= x1):
            continue
        for yv in ys:
            if not (y0 <= yv <= y1):
                continue
            # At a true root both components vanish to ~45 digits; a wrong pairing
            # leaves O(1) (relative) residue. 1e-30 sits safely between.
            if abs(lgx(xv, yv)) < mpmath.mpf(10) ** -30 and abs(lgy(xv, yv)) < mpmath.mpf(10) ** -30:
                pts.append((xv, yv))
    return pts, 'exact (resultants)'


def newton_points(gx, gy, region, seeds):
    x0, x1, y0, y1 = region
    lgx = sympy.lambdify((X, Y), gx, 'mpmath')
    lgy = sympy.lambdify((X, Y), gy, 'mpmath')
    mpmath.mp.dps = 30
    pts = []
    diag = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
    for i in range(seeds):
        for j in range(seeds):
            sx = x0 + (x1 - x0) * (i + 0.5) / seeds
            sy = y0 + (y1 - y0) * (j + 0.5) / seeds
            try:
                r = mpmath.findroot([lgx, lgy], (sx, sy), tol=1e-40, maxsteps=60)
            except (ValueError, ZeroDivisionError):
                continue
            xv, yv = r[0], r[1]
            if not (x0 <= xv <= x1 and y0 <= yv <= y1):
                continue
            if any(abs(xv - p[0]) + abs(yv - p[1]) < 1e-8 * diag for p in pts):
                continue
            pts.append((xv, yv))
    mpmath.mp.dps = 50
    return pts, 'numerical (mpmath Newton from a %dx%d grid)' % (seeds, seeds)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('formula')
    ap.add_argument('region', nargs=4, type=float, metavar='X0 X1 Y0 Y1')
    ap.add_argument('--param', action='append', default=[], metavar='NAME=VALUE')
    ap.add_argument('--seeds', type=int, default=200,
                    help='grid for the non-polynomial fallback')
    ap.add_argument('--c', action='store_true', help='print C initializer rows')
    args = ap.parse_args()

    params = dict(p.split('=', 1) for p in args.param)
    f = parse_formula(args.formula, params)
    gx, gy = sympy.diff(f, X), sympy.diff(f, Y)
    hxx, hxy, hyy = sympy.diff(gx, X), sympy.diff(gx, Y), sympy.diff(gy, Y)
    region = [mpmath.mpf(v) for v in args.region]

    if gx.is_polynomial(X, Y) and gy.is_polynomial(X, Y):
        pts, method = polynomial_points(sympy.expand(gx), sympy.expand(gy), region)
    else:
        pts, method = newton_points(gx, gy, [float(v) for v in region], args.seeds)

    lf = sympy.lambdify((X, Y), f, 'mpmath')
    lh = [sympy.lambdify((X, Y), h, 'mpmath') for h in (hxx, hxy, hyy)]
    rows = []
    for xv, yv in pts:
        kind, l1, l2 = classify([h(xv, yv) for h in lh])
        rows.append((kind, xv, yv, lf(xv, yv), l1, l2))
    rows.sort(key=lambda r: (r[1], r[2]))

    def g17(v):
        s = mpmath.nstr(v, 17, min_fixed=-5, max_fixed=6)
        # Newton leaves ~1e-50 where the exact answer is 0; print that as 0.
        return '0' if abs(v) < mpmath.mpf(10) ** -40 else s

    print('# %s in [%s, %s] x [%s, %s]: %d critical points, %s' % (
        args.formula, *args.region, len(rows), method), file=sys.stderr)
    for kind, xv, yv, fv, l1, l2 in rows:
        if args.c:
            print('    {CRIT_%s, %s, %s, %s, %s, %s},' % (
                kind.upper(), g17(xv), g17(yv), g17(fv), g17(l1), g17(l2)))
        else:
            print('%s,%s,%s,%s,%s,%s' % (kind, g17(xv), g17(yv), g17(fv), g17(l1), g17(l2)))


if __name__ == '__main__':
    main()
