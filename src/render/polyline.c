/* polyline: wide polylines with mitred or bevelled joints and butt caps, split at
 * non-finite points, as triangle fans in the batch. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "render/gfx_internal.h"

/* The corner points where two segments meet at J (incoming direction d0, outgoing
 * d1), for a stroke reaching e pixels each side. Each segment's end is a list of
 * 2 or 3 points ordered from its +normal side to its -normal side. Inside the turn
 * both segments end on the same miter point, so they share an edge and never
 * overlap; outside, a shared miter point or (when the miter would exceed
 * MITER_LIMIT) a bevel piece between them. */
typedef struct joint {
    float end0[3][2], start1[3][2];
    int n;                   /* points in each list: 2, or 3 with a bevel */
    int bevel;
    float piece[5][2];       /* the bevel piece: J, O0, O0 + d0 e, O1 - d1 e, O1 */
    float mx, my, vofs;      /* bevel piece's across value: dot(p - J, m) + vofs */
} joint;

/* One side of a joint: the points at e pixels on side (+1 or -1) where the ends of
 * the two segments lie: the one miter point both share (along the joint's
 * direction m, cosine c to the normals) or each segment's own (along n0, n1). */
static void joint_side(float jx, float jy, float side, int miter, float mx, float my, float c,
                       const float n0[2], const float n1[2], float e, float p0[2], float p1[2])
{
    if (miter) {
        p0[0] = p1[0] = jx + side * mx * e / c;
        p0[1] = p1[1] = jy + side * my * e / c;
    } else {
        p0[0] = jx + side * n0[0] * e;
        p0[1] = jy + side * n0[1] * e;
        p1[0] = jx + side * n1[0] * e;
        p1[1] = jy + side * n1[1] * e;
    }
}

static void make_joint(joint *jt, float jx, float jy, float d0x, float d0y, float d1x, float d1y,
                       float L0, float L1, float e, float hw)
{
    float n0x = -d0y, n0y = d0x, n1x = -d1y, n1y = d1x;
    float sx = n0x + n1x, sy = n0y + n1y, sl = sqrtf(sx * sx + sy * sy);
    float s_in = (d1x * n0x + d1y * n0y) >= 0.0f ? 1.0f : -1.0f;   /* side turned towards */
    float s_out = -s_in;
    float mx, my, c;
    if (sl > 1e-4f) {
        mx = sx / sl;
        my = sy / sl;
        c = mx * n0x + my * n0y;
    } else {   /* a reversal: the bevel becomes a square cap facing d0 */
        mx = n0x;
        my = n0y;
        c = 0.0f;
    }
    /* Inside: the shared miter point lies e tan(beta/2) back along both segments;
     * usable while that stays within half of each (so neighbouring joints' inner
     * points cannot cross). Otherwise each segment ends square and they overlap
     * a little, inside a turn that folds the path onto itself anyway. */
    float tan_half = c > 1e-4f ? sqrtf(fmaxf(1.0f - c * c, 0.0f)) / c : 1e30f;
    float back = e * tan_half;
    int inner_ok = back <= 0.5f * fminf(L0, L1);
    const float n0[2] = {n0x, n0y}, n1[2] = {n1x, n1y};
    float in0[2], in1[2];
    joint_side(jx, jy, s_in, inner_ok, mx, my, c, n0, n1, e, in0, in1);
    jt->bevel = !(c > 1e-4f && 1.0f / c <= MITER_LIMIT);
    float out0[2], out1[2];
    joint_side(jx, jy, s_out, !jt->bevel, mx, my, c, n0, n1, e, out0, out1);
    /* Lists run from the + side to the - side. */
    const float *plus0 = s_out > 0 ? out0 : in0, *minus0 = s_out > 0 ? in0 : out0;
    const float *plus1 = s_out > 0 ? out1 : in1, *minus1 = s_out > 0 ? in1 : out1;
    jt->n = jt->bevel ? 3 : 2;
    int k = 0;
    jt->end0[k][0] = plus0[0], jt->end0[k][1] = plus0[1], k++;
    if (jt->bevel) jt->end0[k][0] = jx, jt->end0[k][1] = jy, k++;
    jt->end0[k][0] = minus0[0], jt->end0[k][1] = minus0[1];
    k = 0;
    jt->start1[k][0] = plus1[0], jt->start1[k][1] = plus1[1], k++;
    if (jt->bevel) jt->start1[k][0] = jx, jt->start1[k][1] = jy, k++;
    jt->start1[k][0] = minus1[0], jt->start1[k][1] = minus1[1];
    if (jt->bevel) {
        /* Covers the round of the outside corner up to e, within the wedge between
         * the two segments (the turn is sharper than the miter limit). Its across
         * value puts the bevel edge where the visible stroke's corners are and
         * ramps over one pixel beyond it. */
        jt->piece[0][0] = jx, jt->piece[0][1] = jy;
        jt->piece[1][0] = out0[0], jt->piece[1][1] = out0[1];
        jt->piece[2][0] = out0[0] + d0x * e, jt->piece[2][1] = out0[1] + d0y * e;
        jt->piece[3][0] = out1[0] - d1x * e, jt->piece[3][1] = out1[1] - d1y * e;
        jt->piece[4][0] = out1[0], jt->piece[4][1] = out1[1];
        if (c > 1e-4f) {
            jt->mx = s_out * mx;
            jt->my = s_out * my;
        } else {
            jt->mx = d0x;
            jt->my = d0y;
        }
        jt->vofs = hw * (1.0f - c);
    }
}

/* One run of m >= 2 distinct finite points. */
static void poly_run(gfx *g, const float *P, const uint32_t *C, int m, float hw)
{
    const float e = hw + 1.0f, cap = 1.0f;
    joint prev = {0}, cur = {0};
    for (int j = 0; j + 1 < m; j++) {
        float ax = P[2 * j], ay = P[2 * j + 1], bx = P[2 * j + 2], by = P[2 * j + 3];
        float dx = bx - ax, dy = by - ay, L = sqrtf(dx * dx + dy * dy);
        dx /= L;
        dy /= L;
        float nx = -dy, ny = dx;
        /* This segment's end: the joint with the next one, or a butt cap. */
        if (j + 2 < m) {
            float cx = P[2 * j + 4] - bx, cy = P[2 * j + 5] - by, L1 = sqrtf(cx * cx + cy * cy);
            make_joint(&cur, bx, by, dx, dy, cx / L1, cy / L1, L, L1, e, hw);
        }
        float ring[6][2];
        int nr = 0;
        if (j == 0) {
            ring[nr][0] = ax - dx * cap - nx * e, ring[nr][1] = ay - dy * cap - ny * e, nr++;
            ring[nr][0] = ax - dx * cap + nx * e, ring[nr][1] = ay - dy * cap + ny * e, nr++;
        } else {
            for (int k = prev.n - 1; k >= 0; k--)
                ring[nr][0] = prev.start1[k][0], ring[nr][1] = prev.start1[k][1], nr++;
        }
        int nstart = nr;
        if (j + 2 < m) {
            for (int k = 0; k < cur.n; k++)
                ring[nr][0] = cur.end0[k][0], ring[nr][1] = cur.end0[k][1], nr++;
        } else {
            ring[nr][0] = bx + dx * cap + nx * e, ring[nr][1] = by + dy * cap + ny * e, nr++;
            ring[nr][0] = bx + dx * cap - nx * e, ring[nr][1] = by + dy * cap - ny * e, nr++;
        }
        long b = gfx_batch_reserve(g, (size_t)nr + 5, (size_t)(nr - 2) * 3 + 9);
        if (b < 0) return;
        uint8_t ca[4], cb[4], z[4] = {0, 0, 0, 0};
        gfx_rgba_bytes(C[j], ca);
        gfx_rgba_bytes(C[j + 1], cb);
        for (int k = 0; k < nr; k++) {
            float px = ring[k][0], py = ring[k][1];
            float across = (px - ax) * nx + (py - ay) * ny;
            float along = (px - ax) * dx + (py - ay) * dy;
            float p[4] = {hw, j == 0 ? along : FAR, j + 2 == m ? L - along : FAR, 0.0f};
            gfx_batch_put(g, K_POLY, px, py, across, 0.0f, p, k < nstart ? ca : cb, z);
        }
        for (int k = 1; k + 1 < nr; k++)
            gfx_batch_tri(g, (uint32_t)b, (uint32_t)(b + k), (uint32_t)(b + k + 1));
        if (j + 2 < m && cur.bevel) {
            long q = (long)g->nv;
            for (int k = 0; k < 5; k++) {
                float px = cur.piece[k][0], py = cur.piece[k][1];
                float v = (px - bx) * cur.mx + (py - by) * cur.my + cur.vofs;
                float p[4] = {hw, FAR, FAR, 0.0f};
                gfx_batch_put(g, K_POLY, px, py, v, 0.0f, p, cb, z);
            }
            for (int k = 1; k < 4; k++) gfx_batch_tri(g, (uint32_t)q, (uint32_t)(q + k), (uint32_t)(q + k + 1));
        }
        prev = cur;
    }
}

void gfx_polyline(gfx *g, const float *xy, int n, float width, const uint32_t *rgba,
                  uint32_t color)
{
    if (!xy || n < 2 || !(width > 0.0f) || !gfx_okf(width)) return;
    float scale = 1.0f;
    if (width < 1.0f) {
        scale = width;
        width = 1.0f;
    }
    if ((size_t)n > g->cap_poly) {
        size_t cap = g->cap_poly ? g->cap_poly : 256;
        while (cap < (size_t)n) cap *= 2;
        float *nxy = realloc(g->poly_xy, cap * 2 * sizeof *nxy);
        if (nxy) g->poly_xy = nxy;
        uint32_t *nc = realloc(g->poly_c, cap * sizeof *nc);
        if (nc) g->poly_c = nc;
        if (!nxy || !nc) {
            fprintf(stderr, "gfx: out of memory for a polyline of %d points, dropped\n", n);
            return;
        }
        g->cap_poly = cap;
    }
    /* Split at non-finite points (a diverged trail) and drop repeated points, which
     * have no direction to join along. */
    int i = 0;
    while (i < n) {
        int m = 0;
        for (; i < n; i++) {
            float x = xy[2 * i], y = xy[2 * i + 1];
            if (!gfx_ok2(x, y)) {
                if (m) break;
                continue;
            }
            uint32_t c = gfx_scale_alpha(rgba ? rgba[i] : color, scale);
            if (m) {
                float ddx = x - g->poly_xy[2 * m - 2], ddy = y - g->poly_xy[2 * m - 1];
                if (ddx * ddx + ddy * ddy < 1e-6f) {
                    g->poly_c[m - 1] = c;
                    continue;
                }
            }
            g->poly_xy[2 * m] = x;
            g->poly_xy[2 * m + 1] = y;
            g->poly_c[m] = c;
            m++;
        }
        if (m >= 2) poly_run(g, g->poly_xy, g->poly_c, m, width * 0.5f);
    }
}
