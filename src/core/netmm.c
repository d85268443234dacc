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

/* C[i][n] = init[n] (or 0) + sum over k in order of A[i][k] B[k][n] */
NET_HOT void net_mm_nn(int m, int K, int N, const double *A, const double *B, const double *init, double *C)
{
    for (int i = 0; i < m; i++) {
        const double *ai = A + (size_t)i * (size_t)K;
        double *ci = C + (size_t)i * (size_t)N;
        int n0 = 0;
        for (; n0 + NB <= N; n0 += NB) {
            v4 c0 = {0, 0, 0, 0}, c1 = {0, 0, 0, 0}, b0, b1;
            if (init) {
                LD4(c0, init + n0);
                LD4(c1, init + n0 + 4);
            }
            for (int k = 0; k < K; k++) {
                const double *bk = B + (size_t)k * (size_t)N + (size_t)n0;
                v4 a = {ai[k], ai[k], ai[k], ai[k]};
                LD4(b0, bk);
                LD4(b1, bk + 4);
                c0 += a * b0;
                c1 += a * b1;
            }
            ST4(ci + n0, c0);
            ST4(ci + n0 + 4, c1);
        }
        for (; n0 + 4 <= N; n0 += 4) {
            v4 c0 = {0, 0, 0, 0}, b0;
            if (init) LD4(c0, init + n0);
            for (int k = 0; k < K; k++) {
                v4 a = {ai[k], ai[k], ai[k], ai[k]};
                LD4(b0, B + (size_t)k * (size_t)N + (size_t)n0);
                c0 += a * b0;
            }
            ST4(ci + n0, c0);
        }
        for (int n = n0; n < N; n++) {
            double acc = init ? init[n] : 0.0;
            for (int k = 0; k < K; k++) acc += ai[k] * B[(size_t)k * (size_t)N + (size_t)n];
            ci[n] = acc;
        }
    }
}

/* C[r][n] += sum over i in order of X[i][r] Y[i][n] (X m x R, Y m x N) */
NET_HOT void net_mm_tn(int m, int R, int N, const double *X, const double *Y, double *C)
{
    for (int r = 0; r < R; r++) {
        double *cr = C + (size_t)r * (size_t)N;
        int n0 = 0;
        for (; n0 + NB <= N; n0 += NB) {
            v4 c0, c1, y0, y1;
            LD4(c0, cr + n0);
            LD4(c1, cr + n0 + 4);
            for (int i = 0; i < m; i++) {
                const double x = X[(size_t)i * (size_t)R + (size_t)r], *yi = Y + (size_t)i * (size_t)N + (size_t)n0;
                v4 xv = {x, x, x, x};
                LD4(y0, yi);
                LD4(y1, yi + 4);
                c0 += xv * y0;
                c1 += xv * y1;
            }
            ST4(cr + n0, c0);
            ST4(cr + n0 + 4, c1);
        }
        for (; n0 + 4 <= N; n0 += 4) {
            v4 c0, y0;
            LD4(c0, cr + n0);
            for (int i = 0; i < m; i++) {
                const double x = X[(size_t)i * (size_t)R + (size_t)r];
                v4 xv = {x, x, x, x};
                LD4(y0, Y + (size_t)i * (size_t)N + (size_t)n0);
                c0 += xv * y0;
            }
            ST4(cr + n0, c0);
        }
        for (int n = n0; n < N; n++) {
            double acc = cr[n];
            for (int i = 0; i < m; i++) acc += X[(size_t)i * (size_t)R + (size_t)r] * Y[(size_t)i * (size_t)N + (size_t)n];
            cr[n] = acc;
        }
    }
}
