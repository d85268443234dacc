/* contour: marching squares. Every cell edge whose ends lie on opposite sides of
 * the level holds one crossing point; a cell joins two or four of its edges with
 * segments. An edge belongs to at most two cells, so each crossing has at most two
 * neighbours: the segments form a graph of degree <= 2, whose paths (ends of degree
 * 1, at the border or beside a non-finite cell) and cycles are the polylines. The
 * graph is built in one pass over the cells and walked once, so it is O(cells). */
#include "contour.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct grid {
    const float *v;
    int w, h;
    double level;
    int nh;                 /* horizontal edges first: (w-1) per row, then vertical */
    int32_t (*link)[2];     /* the (up to) two crossings each crossing joins */
    unsigned char *seen;
    double *xy;             /* one polyline being collected */
} grid;

/* The crossing point of edge e, in grid-index coordinates. */
static void edge_point(const grid *g, int e, double *x, double *y)
{
    int i, j, i2, j2;
    if (e < g->nh) {
        j = e / (g->w - 1);
        i = e % (g->w - 1);
        i2 = i + 1;
        j2 = j;
    } else {
        j = (e - g->nh) / g->w;
        i = (e - g->nh) % g->w;
        i2 = i;
        j2 = j + 1;
    }
    double a = g->v[(size_t)j * g->w + i], b = g->v[(size_t)j2 * g->w + i2];
    double t = (g->level - a) / (b - a);   /* a and b on opposite sides: b != a */
    *x = i + t * (i2 - i);
    *y = j + t * (j2 - j);
}

static void join(grid *g, int e1, int e2)
{
    int32_t *l1 = g->link[e1], *l2 = g->link[e2];
    assert(l1[1] < 0 && l2[1] < 0);
    l1[l1[0] < 0 ? 0 : 1] = e2;
    l2[l2[0] < 0 ? 0 : 1] = e1;
}

/* Edges of a cell: 0 bottom, 1 right, 2 top, 3 left. Corners (bits): 1 bottom-left,
 * 2 bottom-right, 4 top-right, 8 top-left. The pairs of edges joined for each case
 * of corners above the level; the saddles 5 and 10 are decided by the centre. */
static const signed char cell_pairs[16][2] = {
    {-1, -1}, {3, 0}, {0, 1}, {3, 1}, {1, 2}, {-1, -1}, {0, 2}, {3, 2},
    {3, 2}, {0, 2}, {-1, -1}, {1, 2}, {3, 1}, {0, 1}, {3, 0}, {-1, -1},
};

static void build(grid *g)
{
    const float *v = g->v;
    int w = g->w;
    for (int j = 0; j + 1 < g->h; j++) {
        for (int i = 0; i + 1 < w; i++) {
            double a = v[(size_t)j * w + i], b = v[(size_t)j * w + i + 1];
            double c = v[(size_t)(j + 1) * w + i + 1], d = v[(size_t)(j + 1) * w + i];
            if (!isfinite(a) || !isfinite(b) || !isfinite(c) || !isfinite(d)) continue;
            int k = (a >= g->level) | (b >= g->level) << 1 | (c >= g->level) << 2 |
                    (d >= g->level) << 3;
            if (k == 0 || k == 15) continue;
            int e[4] = {j * (w - 1) + i, g->nh + j * w + i + 1, (j + 1) * (w - 1) + i,
                        g->nh + j * w + i};
            if (k == 5 || k == 10) {
                /* the centre on the side of corners 1 and 4 (case 5 with the centre
                   above, 10 with it below) connects them: cut off corners 2 and 8 */
                int centre_above = 0.25 * (a + b + c + d) >= g->level;
                if ((k == 5) == centre_above) {
                    join(g, e[0], e[1]);
                    join(g, e[3], e[2]);
                } else {
                    join(g, e[3], e[0]);
                    join(g, e[1], e[2]);
                }
            } else {
                join(g, e[cell_pairs[k][0]], e[cell_pairs[k][1]]);
            }
        }
    }
}

/* Follow the unvisited links from start; the points go to g->xy, consecutive
 * duplicates (a level equal to a sample) dropped. Returns the point count. */
static int walk(grid *g, int start)
{
    int n = 0, cur = start;
    for (;;) {
        g->seen[cur] = 1;
        double x, y;
        edge_point(g, cur, &x, &y);
        if (n == 0 || x != g->xy[2 * n - 2] || y != g->xy[2 * n - 1]) {
            g->xy[2 * n] = x;
            g->xy[2 * n + 1] = y;
            n++;
        }
        int32_t l0 = g->link[cur][0], l1 = g->link[cur][1];
        if (l0 >= 0 && !g->seen[l0]) cur = l0;
        else if (l1 >= 0 && !g->seen[l1]) cur = l1;
        else break;
    }
    return n;
}

int contour_lines(const float *v, int w, int h, double level, contour_emit emit, void *ctx)
{
    if (!v || w < 2 || h < 2 || !isfinite(level)) return 0;
    if ((size_t)w * (size_t)h > (size_t)INT_MAX / 2) return -1;
    grid g = {.v = v, .w = w, .h = h, .level = level, .nh = (w - 1) * h};
    int ne = g.nh + w * (h - 1);
    g.link = malloc((size_t)ne * sizeof *g.link);
    g.seen = calloc((size_t)ne, 1);
    if (!g.link || !g.seen) goto oom;
    for (int e = 0; e < ne; e++) g.link[e][0] = g.link[e][1] = -1;
    build(&g);
    int used = 0;
    for (int e = 0; e < ne; e++) used += g.link[e][0] >= 0;
    g.xy = malloc(((size_t)used + 1) * 2 * sizeof *g.xy);
    if (!g.xy) goto oom;

    int count = 0;
    /* open lines first, from either of their ends; what is left are loops */
    for (int pass = 0; pass < 2; pass++) {
        for (int e = 0; e < ne; e++) {
            if (g.seen[e] || g.link[e][0] < 0 || (pass == 0 && g.link[e][1] >= 0)) continue;
            int n = walk(&g, e);
            int closed = pass == 1;
            if (closed && n > 1 && g.xy[0] == g.xy[2 * n - 2] && g.xy[1] == g.xy[2 * n - 1]) n--;
            if (n < (closed ? 3 : 2)) continue;
            emit(ctx, g.xy, n, closed);
            count++;
        }
    }
    free(g.link);
    free(g.seen);
    free(g.xy);
    return count;
oom:
    free(g.link);
    free(g.seen);
    return -1;
}
