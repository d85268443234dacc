/* linalg2: 2x2 symmetric eigen-decomposition and solves, the only linear algebra
 * a two-parameter landscape needs (Hessians, Newton steps, saddle directions). */
#ifndef OPTISCAPE_LINALG2_H
#define OPTISCAPE_LINALG2_H

/* Eigen-decomposition of [[a, b], [b, c]]: l1 <= l2, unit eigenvectors v1, v2
 * (v1 orthogonal to v2, sign chosen so the first nonzero component is positive).
 * Accurate for nearly equal eigenvalues and for tiny off-diagonals. */
typedef struct eig2 {
    double l1, l2;
    double v1[2], v2[2];
} eig2;

eig2 eig2_sym(double a, double b, double c);

/* Solve [[a, b], [b, c]] s = r. Returns 0, or -1 when the matrix is singular to
 * working precision (s untouched). */
int solve2_sym(double a, double b, double c, const double r[2], double s[2]);

#endif
