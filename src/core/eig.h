/* eig: symmetric eigenproblems in plain C (LAPACK is Fortran and would not build
 * for the browser): Householder tridiagonalization followed by the implicit QL
 * algorithm (EISPACK's tred2/tql2, as in JAMA), all eigenvalues and optionally the
 * eigenvectors of a dense matrix; and Lanczos with full reorthogonalization for the
 * extreme eigenvalues of an operator known only through its products. */
#ifndef OPTISCAPE_EIG_H
#define OPTISCAPE_EIG_H

#include <stddef.h>
#include <stdint.h>

/* a (n x n, symmetric, row-major; only its lower triangle is read) is destroyed.
 * w receives the eigenvalues in ascending order; with vecs, a receives the unit
 * eigenvectors, eigenvector j in a[j n .. j n + n) (for w[j]). 0, or -1 when the
 * QL iteration does not converge (30 sweeps per eigenvalue) or memory runs out. */
int eig_sym(double *a, size_t n, double *w, int vecs);

/* eig_sym's eigenvalues (no vectors) in pieces, for a caller that cannot block
 * (a browser frame's worker slice): the same operations in the same order, so the
 * same bits. begin takes a and w as eig_sym does (0, or -1 when memory runs out);
 * each eig_sym_steps call makes up to `steps` of the n - 1 Householder steps (the
 * O(n^3) part) and, after the last, the rest: 1 while work remains, 0 done (w
 * ascending), -1 as eig_sym fails. eig_job_free after an early stop. */
typedef struct eig_job {
    double *a, *w, *e;
    size_t n, i;
} eig_job;
int eig_sym_begin(eig_job *j, double *a, size_t n, double *w);
int eig_sym_steps(eig_job *j, size_t steps);
void eig_job_free(eig_job *j);

/* y = A x for a symmetric operator of dimension n. */
typedef void (*eig_op)(void *ctx, const double *x, double *y);

/* k steps of Lanczos (k <= n) from a seeded random start, reorthogonalized against
 * every earlier vector. ritz receives the k Ritz values ascending (the extremes
 * converge first); with vecs non-NULL (k x n) the unit Ritz vectors, one per row,
 * in the same order. Returns the number of steps taken (fewer than k when an
 * invariant subspace is found), or -1 when memory runs out. */
int eig_lanczos(eig_op op, void *ctx, size_t n, int k, uint64_t seed, double *ritz, double *vecs);

#endif
