/* test_contour: marching squares joined into polylines. A circle is one closed loop
 * on the circle, a plane one straight open line from border to border, two bumps two
 * loops; saddle cells follow their centre; non-finite samples cut lines open; every
 * crossing of the level is emitted exactly once, joined to its neighbours. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/contour.h"

#define MAX_LINES 256

typedef struct line {
    double *xy;
    int n, closed;
} line;

typedef struct lines {
    line l[MAX_LINES];
    int n;
} lines;

static void collect(void *ctx, const double *xy, int n, int closed)
{
    lines *L = ctx;
    if (L->n >= MAX_LINES) return;
    line *l = &L->l[L->n++];
    l->xy = malloc((size_t)n * 2 * sizeof *l->xy);
    memcpy(l->xy, xy, (size_t)n * 2 * sizeof *xy);
    l->n = n;
    l->closed = closed;
}

static void lines_free(lines *L)
{
    for (int i = 0; i < L->n; i++) free(L->l[i].xy);
    L->n = 0;
}

static int run(const float *v, int w, int h, double level, lines *L)
{
    L->n = 0;
    int rc = contour_lines(v, w, h, level, collect, L);
    CHECK(rc == L->n, "returns the number emitted: %d vs %d", rc, L->n);
    return rc;
}

/* Consecutive points share a cell (the line is joined, not a bag of segments), and
 * so do the ends of a loop. */
static int joined(const line *l)
{
    int m = l->closed ? l->n : l->n - 1;
    for (int k = 0; k < m; k++) {
        int q = (k + 1) % l->n;
        if (fabs(l->xy[2 * q] - l->xy[2 * k]) > 1 + 1e-12 ||
            fabs(l->xy[2 * q + 1] - l->xy[2 * k + 1]) > 1 + 1e-12)
            return 0;
    }
    return 1;
}

static double length(const line *l)
{
    double s = 0;
    int m = l->closed ? l->n : l->n - 1;
    for (int k = 0; k < m; k++) {
        int q = (k + 1) % l->n;
        s += hypot(l->xy[2 * q] - l->xy[2 * k], l->xy[2 * q + 1] - l->xy[2 * k + 1]);
    }
    return s;
}

static int on_border(double x, double y, int w, int h)
{
    return x == 0 || y == 0 || x == w - 1 || y == h - 1;
}

/* x^2 + y^2 with the origin at sample (cx, cy), in units of s per sample. */
static float *circle_field(int w, int h, double cx, double cy, double s)
{
    float *v = malloc((size_t)w * h * sizeof *v);
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            double x = (i - cx) * s, y = (j - cy) * s;
            v[j * w + i] = (float)(x * x + y * y);
        }
    return v;
}

static void test_circle(void)
{
    int w = 121, h = 101;
    double cx = 60.3, cy = 49.7, s = 0.1, r = 3.0;
    float *v = circle_field(w, h, cx, cy, s);
    lines L;
    CHECK(run(v, w, h, r * r, &L) == 1, "one line for a circle, got %d", L.n);
    if (L.n == 1) {
        line *l = &L.l[0];
        CHECK(l->closed == 1, "the circle is a closed loop");
        CHECK(l->n > 100, "a loop of many points (%d)", l->n);
        CHECK(joined(l), "consecutive points in one cell");
        double worst = 0;
        for (int k = 0; k < l->n; k++) {
            double d = fabs(hypot((l->xy[2 * k] - cx) * s, (l->xy[2 * k + 1] - cy) * s) - r);
            if (d > worst) worst = d;
        }
        /* chords of a parabola: the error is at most s^2 / 4 / (2 r) in radius */
        CHECK(worst < 1e-3, "points on the circle of radius %g, worst off by %g", r, worst);
        CHECK_NEAR(length(l) * s, 2 * M_PI * r, 2e-3, 0, "perimeter");
    }
    lines_free(&L);
    /* levels outside the range: nothing */
    CHECK(run(v, w, h, -1.0, &L) == 0, "below the minimum: no lines");
    CHECK(run(v, w, h, 1e9, &L) == 0, "above the maximum: no lines");
    CHECK(run(v, w, h, NAN, &L) == 0, "NaN level: no lines");
    /* a circle larger than the grid leaves it: open arcs ending on the border */
    CHECK(run(v, w, h, 6.5 * 6.5, &L) == 4, "a circle cut by all four sides: 4 arcs, got %d", L.n);
    for (int k = 0; k < L.n; k++) {
        line *l = &L.l[k];
        CHECK(!l->closed && joined(l), "arc %d open and joined", k);
        CHECK(on_border(l->xy[0], l->xy[1], w, h) &&
              on_border(l->xy[2 * l->n - 2], l->xy[2 * l->n - 1], w, h), "arc %d ends on the border", k);
    }
    lines_free(&L);
    free(v);
}

static void test_plane(void)
{
    int w = 20, h = 15;
    float v[20 * 15];
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) v[j * w + i] = (float)(i + 0.3 * j);
    lines L;
    CHECK(run(v, w, h, 7.55, &L) == 1, "a plane: one line, got %d", L.n);
    if (L.n == 1) {
        line *l = &L.l[0];
        CHECK(!l->closed, "open");
        CHECK(l->n >= h, "crosses every row (%d points)", l->n);
        CHECK(joined(l), "joined");
        CHECK(l->xy[1] == 0 || l->xy[1] == h - 1, "starts on the bottom or top border (y %g)", l->xy[1]);
        CHECK(l->xy[2 * l->n - 1] == 0 || l->xy[2 * l->n - 1] == h - 1, "ends on the other (y %g)",
              l->xy[2 * l->n - 1]);
        CHECK(l->xy[1] != l->xy[2 * l->n - 1], "from border to opposite border");
        double worst = 0;
        for (int k = 0; k < l->n; k++) {
            double d = fabs(l->xy[2 * k] + 0.3 * l->xy[2 * k + 1] - 7.55);
            if (d > worst) worst = d;
        }
        CHECK(worst < 1e-5, "linear interpolation is exact on a plane (worst %g)", worst);
    }
    lines_free(&L);
    /* a level equal to samples: each point once, still one straight line */
    CHECK(run(v, w, h, 6.0, &L) >= 1, "a level on the samples");
    int dup = 0;
    for (int k = 0; k < L.n; k++)
        for (int p = 1; p < L.l[k].n; p++)
            if (L.l[k].xy[2 * p] == L.l[k].xy[2 * p - 2] && L.l[k].xy[2 * p + 1] == L.l[k].xy[2 * p - 1])
                dup++;
    CHECK(dup == 0, "no repeated consecutive points (%d)", dup);
    lines_free(&L);
}

static void test_two_bumps(void)
{
    int w = 80, h = 50;
    float *v = malloc((size_t)w * h * sizeof *v);
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            double a = hypot(i - 22.0, j - 25.0), b = hypot(i - 57.0, j - 24.0);
            v[j * w + i] = (float)(exp(-a * a / 60) + exp(-b * b / 60));
        }
    lines L;
    CHECK(run(v, w, h, 0.5, &L) == 2, "two bumps: two lines, got %d", L.n);
    for (int k = 0; k < L.n; k++)
        CHECK(L.l[k].closed && joined(&L.l[k]), "bump %d: a joined loop", k);
    if (L.n == 2) {
        double x0 = 0, x1 = 0;
        for (int p = 0; p < L.l[0].n; p++) x0 += L.l[0].xy[2 * p] / L.l[0].n;
        for (int p = 0; p < L.l[1].n; p++) x1 += L.l[1].xy[2 * p] / L.l[1].n;
        CHECK(fabs(fmin(x0, x1) - 22) < 0.5 && fabs(fmax(x0, x1) - 57) < 0.5,
              "one loop around each bump (centres %g, %g)", x0, x1);
    }
    lines_free(&L);
    /* a level below the pass between them: one loop around both */
    CHECK(run(v, w, h, 0.008, &L) == 1, "low level: one line around both, got %d", L.n);
    CHECK(L.n == 1 && L.l[0].closed, "a loop");
    lines_free(&L);
    free(v);
}

/* Saddle cells: corners 1 0 / 0 1. The centre (average 0.5) decides the pairing. */
static void test_saddle(void)
{
    const float v[4] = {1, 0, 0, 1};   /* bottom-left 1, bottom-right 0, top-left 0, top-right 1 */
    /* the midpoints of the two segments: which corners each level cuts off */
    static const struct { double level, mid[2][2]; const char *what; } cases[] = {
        {0.6, {{0.2, 0.2}, {0.8, 0.8}}, "centre below the level: the high corners cut off"},
        {0.4, {{0.8, 0.2}, {0.2, 0.8}}, "centre above the level: the low corners cut off"},
    };
    lines L;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        CHECK(run(v, 2, 2, cases[c].level, &L) == 2, "saddle at %g: two lines, got %d", cases[c].level, L.n);
        int found[2] = {0, 0};
        for (int k = 0; k < L.n; k++) {
            const line *l = &L.l[k];
            CHECK(l->n == 2 && !l->closed, "a segment");
            double mx = 0.5 * (l->xy[0] + l->xy[2]), my = 0.5 * (l->xy[1] + l->xy[3]);
            for (int m = 0; m < 2; m++)
                found[m] += fabs(mx - cases[c].mid[m][0]) < 1e-9 && fabs(my - cases[c].mid[m][1]) < 1e-9;
        }
        CHECK(found[0] == 1 && found[1] == 1, "%s (%d, %d)", cases[c].what, found[0], found[1]);
        lines_free(&L);
    }

    /* a field of many saddles: every crossing edge appears exactly once in the output,
       and every line is either a loop or runs from border to border */
    int w = 97, h = 83, crossings = 0, points = 0;
    float *f = malloc((size_t)w * h * sizeof *f);
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) f[j * w + i] = (float)(sin(i * 0.31) * cos(j * 0.27));
    double level = 0.013;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            int a = f[j * w + i] >= level;
            if (i + 1 < w && a != (f[j * w + i + 1] >= level)) crossings++;
            if (j + 1 < h && a != (f[(j + 1) * w + i] >= level)) crossings++;
        }
    int n = run(f, w, h, level, &L);
    CHECK(n > 10, "many lines (%d)", n);
    int bad = 0;
    for (int k = 0; k < L.n; k++) {
        const line *l = &L.l[k];
        points += l->n;
        if (!joined(l)) bad++;
        if (!l->closed && !(on_border(l->xy[0], l->xy[1], w, h) &&
                            on_border(l->xy[2 * l->n - 2], l->xy[2 * l->n - 1], w, h)))
            bad++;
    }
    CHECK(bad == 0, "%d lines not joined or ending inside", bad);
    CHECK(points == crossings, "each of the %d crossings once, got %d points", crossings, points);
    lines_free(&L);
    free(f);
}

static void test_nonfinite(void)
{
    int w = 121, h = 101;
    double cx = 60, cy = 50, s = 0.1;
    float *v = circle_field(w, h, cx, cy, s);
    lines L;
    /* a hole away from the level line leaves the loop closed */
    for (int j = 45; j <= 55; j++)
        for (int i = 55; i <= 65; i++) v[j * w + i] = NAN;
    CHECK(run(v, w, h, 9.0, &L) == 1 && L.l[0].closed, "a hole inside: still one loop");
    lines_free(&L);
    /* columns 85..92 non-finite cut the circle of radius 30 samples (x up to 90) */
    for (int j = 0; j < h; j++)
        for (int i = 85; i <= 92; i++) v[j * w + i] = (j & 1) ? NAN : INFINITY;
    CHECK(run(v, w, h, 9.0, &L) == 1, "circle cut by a band: one arc, got %d", L.n);
    if (L.n == 1) {
        const line *l = &L.l[0];
        CHECK(!l->closed && joined(l), "open and joined");
        double xa = l->xy[0], xb = l->xy[2 * l->n - 2];
        CHECK(xa >= 83 && xa <= 84 && xb >= 83 && xb <= 84,
              "ends at the last cells before the band (x %g, %g)", xa, xb);
        int inside = 0;
        for (int k = 0; k < l->n; k++) if (l->xy[2 * k] > 84) inside++;
        CHECK(inside == 0, "no point in cells touching the band (%d)", inside);
    }
    lines_free(&L);
    /* all NaN: nothing */
    for (int k = 0; k < w * h; k++) v[k] = NAN;
    CHECK(run(v, w, h, 1.0, &L) == 0, "all NaN: no lines");
    free(v);
}

static void test_small(void)
{
    float v[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    lines L;
    CHECK(run(v, 1, 8, 3.5, &L) == 0, "1 x 8: no cells");
    CHECK(run(v, 8, 1, 3.5, &L) == 0, "8 x 1: no cells");
    CHECK(run(v, 1, 1, 0.0, &L) == 0, "1 x 1");
    CHECK(run(v, 0, 0, 0.0, &L) == 0, "0 x 0");
    CHECK(run(NULL, 4, 2, 0.0, &L) == 0, "no samples");
    CHECK(run(v, 2, 2, 1.5, &L) == 1, "2 x 2: one segment, got %d", L.n);
    if (L.n == 1) {
        CHECK(L.l[0].n == 2 && !L.l[0].closed, "2 points, open");
        /* rows 0 1 / 2 3 at 1.5: left edge at y 0.75, right edge at y 0.25 */
        const double *p = L.l[0].xy;
        int i0 = p[0] == 0 ? 0 : 1;
        CHECK(p[2 * i0] == 0 && p[2 * i0 + 1] == 0.75, "on the left edge at (%g, %g)", p[2 * i0], p[2 * i0 + 1]);
        CHECK(p[2 * (1 - i0)] == 1 && p[2 * (1 - i0) + 1] == 0.25, "on the right edge at (%g, %g)",
              p[2 * (1 - i0)], p[2 * (1 - i0) + 1]);
    }
    lines_free(&L);
    CHECK(run(v, 4, 2, 3.5, &L) == 1, "4 x 2: one line, got %d", L.n);
    lines_free(&L);
}

int main(void)
{
    test_circle();
    test_plane();
    test_two_bumps();
    test_saddle();
    test_nonfinite();
    test_small();
    return check_done("test_contour");
}
