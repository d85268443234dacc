/* netmm: the two matrix products of the network passes, blocked so that eight
 * running sums stay in registers while the shared index runs (the plain loops
 * stored every partial sum back to memory: the passes were bound by those stores).
 * Every entry is still summed in the same order, starting from the same value, so
 * the results are bit for bit those of the plain loops. */
#include <string.h>

#include "net_priv.h"

#define NB 8

/* Four doubles as one value (GCC's and clang's vector extension: AVX2 registers,
 * two SSE2 ones, or scalars where there are none); each lane is an ordinary IEEE
 * operation, so the bits are those of the scalar code. */
typedef double v4 __attribute__((vector_size(32)));

/* loads and stores by memcpy (any alignment); macros, so no vector crosses a call */
#define LD4(v, p) memcpy(&(v), (p), sizeof(v))
#define ST4(p, v) memcpy((p), &(v), sizeof(v))

/* The three widths of one row's block of sums: c[j] = start[j] (or 0) + sum over k
 * in order of s[k ss] b[k N + j], for j below 8, 4 or 1. Both products are this
 * with their own strides (s a row of A, or a column of X); always inlined, so each
 * product's clones keep their own vector code. c may be start. */
#define NET_MM_BLOCK static inline __attribute__((always_inline))

NET_MM_BLOCK void block8(int K, const double *s, size_t ss, const double *b, size_t N, const double *start,
                         double *c)
{
    v4 c0 = {0, 0, 0, 0}, c1 = {0, 0, 0, 0}, b0, b1;
    if (start) {
        LD4(c0, start);
        LD4(c1, start + 4);
    }
    for (int k = 0; k < K; k++) {
        const double x = s[(size_t)k * ss], *bk = b + (size_t)k * N;
        v4 a = {x, x, x, x};
        LD4(b0, bk);
        LD4(b1, bk + 4);
        c0 += a * b0;
        c1 += a * b1;
    }
    ST4(c, c0);
    ST4(c + 4, c1);
}

NET_MM_BLOCK void block4(int K, const double *s, size_t ss, const double *b, size_t N, const double *start,
                         double *c)
{
    v4 c0 = {0, 0, 0, 0}, b0;
    if (start) LD4(c0, start);
    for (int k = 0; k < K; k++) {
        const double x = s[(size_t)k * ss];
        v4 a = {x, x, x, x};
        LD4(b0, b + (size_t)k * N);
        c0 += a * b0;
    }
    ST4(c, c0);
}

NET_MM_BLOCK void block1(int K, const double *s, size_t ss, const double *b, size_t N, const double *start,
                         double *c)
{
    double acc = start ? *start : 0.0;
    for (int k = 0; k < K; k++) acc += s[(size_t)k * ss] * b[(size_t)k * N];
    *c = acc;
}

/* C[i][n] = init[n] (or 0) + sum over k in order of A[i][k] B[k][n] */
NET_HOT void net_mm_nn(int m, int K, int N, const double *A, const double *B, const double *init, double *C)
{
    for (int i = 0; i < m; i++) {
        const double *ai = A + (size_t)i * (size_t)K;
        double *ci = C + (size_t)i * (size_t)N;
        int n0 = 0;
        for (; n0 + NB <= N; n0 += NB) block8(K, ai, 1, B + n0, (size_t)N, init ? init + n0 : NULL, ci + n0);
        for (; n0 + 4 <= N; n0 += 4) block4(K, ai, 1, B + n0, (size_t)N, init ? init + n0 : NULL, ci + n0);
        for (int n = n0; n < N; n++) block1(K, ai, 1, B + n, (size_t)N, init ? init + n : NULL, ci + n);
    }
}

/* C[r][n] += sum over i in order of X[i][r] Y[i][n] (X m x R, Y m x N) */
NET_HOT void net_mm_tn(int m, int R, int N, const double *X, const double *Y, double *C)
{
    for (int r = 0; r < R; r++) {
        double *cr = C + (size_t)r * (size_t)N;
        int n0 = 0;
        for (; n0 + NB <= N; n0 += NB) block8(m, X + r, (size_t)R, Y + n0, (size_t)N, cr + n0, cr + n0);
        for (; n0 + 4 <= N; n0 += 4) block4(m, X + r, (size_t)R, Y + n0, (size_t)N, cr + n0, cr + n0);
        for (int n = n0; n < N; n++) block1(m, X + r, (size_t)R, Y + n, (size_t)N, cr + n, cr + n);
    }
}
