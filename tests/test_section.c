/* test_section: the cross-section tool's numbers (scene/section.h) against closed
 * forms: f = x^2 - y^2 is t^2 along the x axis (a minimum at the saddle) and -t^2
 * along the y axis (a maximum there); the minima of (x^2 - 1)^2, cos x and a tilted
 * quadratic worked out by hand; the saddle's curvature along a line from its
 * eigenpairs as crit_find reports them; where the plot goes. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "core/crit.h"
#include "core/landscape.h"
#include "scene/section.h"

static int load(landscape *ls, const char *formula)
{
    char err[256];
    if (landscape_load_expr(ls, formula, err, sizeof err) != 0) {
        fprintf(stderr, "%s: %s\n", formula, err);
        return -1;
    }
    return 0;
}

static void test_saddle_lines(void)
{
    landscape ls;
    if (load(&ls, "x^2 - y^2") != 0) { CHECK(0, "x^2 - y^2 compiles"); return; }
    double v[SECTION_SAMPLES];
    section_mark m[SECTION_MAX_MARKS];
    /* along the x axis from (-2, 0) to (2, 0): x = -2 + 4t, f = x^2 */
    const double ax[4] = {-2, 0, 2, 0};
    section_sample(&ls.fn, ax, SECTION_SAMPLES, v);
    int bad = 0;
    for (int i = 0; i < SECTION_SAMPLES; i++) {
        double x = -2 + 4.0 * i / (SECTION_SAMPLES - 1);
        bad += !check_close(v[i], x * x, 1e-14, 1e-14);
    }
    CHECK(bad == 0, "%d of %d samples along the x axis differ from x^2", bad, SECTION_SAMPLES);
    int n = section_minima(&ls.fn, ax, v, SECTION_SAMPLES, m, SECTION_MAX_MARKS);
    CHECK(n == 1, "one minimum along the x axis, got %d", n);
    if (n >= 1) {
        CHECK_NEAR(m[0].t, 0.5, 0, 1e-12, "the minimum along the x axis is at the saddle (t = 1/2)");
        CHECK_NEAR(m[0].f, 0, 0, 1e-20, "its loss");
        CHECK(m[0].crit == -1 && m[0].kind == CRIT_MIN, "a minimum along the line, not a critical point");
    }
    /* along the y axis: f = -y^2, a maximum at the saddle, no minimum inside */
    const double ay[4] = {0, -2, 0, 2};
    section_sample(&ls.fn, ay, SECTION_SAMPLES, v);
    bad = 0;
    for (int i = 0; i < SECTION_SAMPLES; i++) {
        double y = -2 + 4.0 * i / (SECTION_SAMPLES - 1);
        bad += !check_close(v[i], -y * y, 1e-14, 1e-14);
    }
    CHECK(bad == 0, "%d samples along the y axis differ from -y^2", bad);
    n = section_minima(&ls.fn, ay, v, SECTION_SAMPLES, m, SECTION_MAX_MARKS);
    CHECK(n == 0, "no minimum along the y axis (the saddle is a maximum there), got %d", n);

    /* the saddle as crit_find finds it: crossed by both lines, a minimum along x
       (u^T H u = 2) and a maximum along y (-2); along the diagonal, 0 */
    crit_point cp[8];
    char err[256];
    double region[4] = {-2, 2, -2, 2};
    int nc = crit_find_fn(&ls.fn, region, NULL, cp, 8, err, sizeof err);
    CHECK(nc == 1, "x^2 - y^2 has one critical point in [-2, 2]^2, got %d (%s)", nc, nc < 0 ? err : "");
    if (nc == 1) {
        CHECK(cp[0].kind == CRIT_SADDLE, "a saddle");
        n = section_crossings(cp, nc, ax, 1e-6, m, SECTION_MAX_MARKS);
        CHECK(n == 1, "the x axis crosses the saddle");
        if (n == 1) {
            CHECK_NEAR(m[0].t, 0.5, 0, 1e-9, "at the middle");
            CHECK_NEAR(m[0].curv, 2, 1e-9, 0, "f'' along x is 2: a minimum along this line");
            CHECK(m[0].kind == CRIT_SADDLE && m[0].crit == 0, "the crossing names the saddle");
            CHECK_NEAR(m[0].f, 0, 0, 1e-12, "the saddle's loss");
        }
        n = section_crossings(cp, nc, ay, 1e-6, m, SECTION_MAX_MARKS);
        CHECK(n == 1 && check_close(m[0].curv, -2, 1e-9, 0), "f'' along y is -2: a maximum along this line (%g)",
              n == 1 ? m[0].curv : NAN);
        const double diag[4] = {-1, -1, 3, 3};
        n = section_crossings(cp, nc, diag, 1e-6, m, SECTION_MAX_MARKS);
        CHECK(n == 1 && check_close(m[0].t, 0.25, 0, 1e-9) && check_close(m[0].curv, 0, 0, 1e-9),
              "the diagonal crosses at t = 1/4 with f'' = 0 (t %g, curv %g)", n ? m[0].t : NAN, n ? m[0].curv : NAN);
        /* a line 0.1 from the saddle: crossed within a tolerance of 0.2, not of 0.05 */
        const double near_line[4] = {-2, 0.1, 2, 0.1};
        CHECK(section_crossings(cp, nc, near_line, 0.05, m, SECTION_MAX_MARKS) == 0, "0.1 away, tol 0.05: not crossed");
        CHECK(section_crossings(cp, nc, near_line, 0.2, m, SECTION_MAX_MARKS) == 1, "0.1 away, tol 0.2: crossed");
        /* a segment that ends before the saddle does not cross it */
        const double short_seg[4] = {-2, 0, -1, 0};
        CHECK(section_crossings(cp, nc, short_seg, 0.5, m, SECTION_MAX_MARKS) == 0, "1 beyond its end: not crossed");
    }
    landscape_free(&ls);
}

/* minima whose places are known, none on a sample */
static void test_minima(void)
{
    double v[SECTION_SAMPLES];
    section_mark m[SECTION_MAX_MARKS];
    landscape ls;
    /* (x^2 - 1)^2 along y = 1 from x = -2 to 2: minima at x = -1, 1 (t = 1/4, 3/4), 0 there;
       cos x + y/10 along the x axis from 0 to 4 pi: minima at pi and 3 pi, -1 there */
    static const struct { const char *f; double seg[4], fmin, tol; } two[] = {
        {"(x^2 - 1)^2 + 0*y", {-2, 1, 2, 1}, 0, 1e-24},
        {"cos(x) + y/10", {0, 0, 4 * M_PI, 0}, -1, 1e-15},
    };
    for (int c = 0; c < 2; c++) {
        if (load(&ls, two[c].f) != 0) continue;
        section_sample(&ls.fn, two[c].seg, SECTION_SAMPLES, v);
        int n = section_minima(&ls.fn, two[c].seg, v, SECTION_SAMPLES, m, SECTION_MAX_MARKS);
        CHECK(n == 2, "%s: two minima, got %d", two[c].f, n);
        if (n == 2) {
            CHECK_NEAR(fmin(m[0].t, m[1].t), 0.25, 0, 1e-12, "%s: the first at t = 1/4", two[c].f);
            CHECK_NEAR(fmax(m[0].t, m[1].t), 0.75, 0, 1e-12, "%s: the second at t = 3/4", two[c].f);
            CHECK_NEAR(m[0].f, two[c].fmin, 0, two[c].tol, "%s: its loss", two[c].f);
            CHECK_NEAR(m[1].f, two[c].fmin, 0, two[c].tol, "%s: its loss", two[c].f);
        }
        landscape_free(&ls);
    }
    /* x^2 + 3 y^2 along (-1, -2) .. (3, 2): (4t - 1)^2 + 3 (4t - 2)^2, least at t = 7/16
       (32 t - 8 + 96 t - 48 = 0), where it is 0.75^2 + 3 * 0.25^2 = 0.75 */
    if (load(&ls, "x^2 + 3*y^2") == 0) {
        const double s[4] = {-1, -2, 3, 2};
        section_sample(&ls.fn, s, SECTION_SAMPLES, v);
        int n = section_minima(&ls.fn, s, v, SECTION_SAMPLES, m, SECTION_MAX_MARKS);
        CHECK(n == 1 && check_close(m[0].t, 7.0 / 16, 0, 1e-12) && check_close(m[0].f, 0.75, 1e-14, 0),
              "the tilted line's minimum at t = 7/16, 0.75: %d (t %.17g f %.17g)", n, n ? m[0].t : NAN,
              n ? m[0].f : NAN);
        /* a segment on one side of the minimum: the loss falls to its end, no minimum */
        const double half[4] = {3, 0, 1, 0};
        section_sample(&ls.fn, half, SECTION_SAMPLES, v);
        CHECK(section_minima(&ls.fn, half, v, SECTION_SAMPLES, m, SECTION_MAX_MARKS) == 0,
              "the lowest end is no minimum along the line");
        landscape_free(&ls);
    }
    /* lowest first; a flat run counts once; a NaN neighbour is no minimum. The samples
       are given, over a function above all of them and flat (no Newton step): each
       minimum is its sample, never a worse point */
    if (load(&ls, "100 + 0*x") == 0) {
        const double s[4] = {0, 0, 1, 0};
        double w[9] = {3, 1, 2, 0, 5, 2, 2, 2, 4};
        int n = section_minima(&ls.fn, s, w, 9, m, SECTION_MAX_MARKS);
        CHECK(n == 3, "three minima in 3 1 2 0 5 2 2 2 4, got %d", n);
        if (n == 3) {
            CHECK(m[0].f <= m[1].f && m[1].f <= m[2].f, "lowest first: %g %g %g", m[0].f, m[1].f, m[2].f);
            CHECK_NEAR(m[2].f, 2, 0, 0, "the flat run of 2s at its middle sample");
            CHECK_NEAR(m[2].t, 6.0 / 8, 0, 1e-15, "t of the run's middle");
        }
        double u[5] = {3, NAN, 0, 1, 2};
        CHECK(section_minima(&ls.fn, s, u, 5, m, SECTION_MAX_MARKS) == 0, "a NaN beside it: not a minimum");
        landscape_free(&ls);
    }
}

static int overlap(const float a[4], const float b[4])
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

static void test_plot_rect(void)
{
    const float canvas[4] = {0, 0, 1000, 700};
    float r[4];
    section_plot_rect(canvas, 1, NULL, 0, r);
    CHECK(r[0] + r[2] == 990 && r[1] == 10, "top right, 10 px in: %g %g %g %g", r[0], r[1], r[2], r[3]);
    CHECK(r[2] >= 280 && r[2] <= 500 && r[3] >= 170 && r[3] <= 280, "its size %g x %g", r[2], r[3]);
    /* a legend across the top: below it; a caption at the bottom stays clear */
    const float avoid[2][4] = {{10, 10, 900, 120}, {300, 560, 690, 130}};
    section_plot_rect(canvas, 1, avoid, 2, r);
    CHECK(!overlap(r, avoid[0]) && !overlap(r, avoid[1]), "clear of both: %g %g %g %g", r[0], r[1], r[2], r[3]);
    CHECK(r[1] == 140, "just below the legend: y %g", r[1]);
    CHECK(r[0] >= 0 && r[1] >= 0 && r[0] + r[2] <= 1000 && r[1] + r[3] <= 700, "inside the canvas");
}

/* The plot kept clear of a critical point in its corner where the canvas has
 * room; under one where it has none, placed as by the hard boxes alone. */
static void test_plot_place(void)
{
    const float canvas[4] = {0, 0, 1000, 700};
    float r[4], plain[4];
    section_plot_rect(canvas, 1, NULL, 0, plain);
    float soft[1][4];
    section_crit_box(CRIT_MIN, 1, plain[0] + 50, plain[1] + 50, 1, soft[0]);
    CHECK(soft[0][2] == 24 && soft[0][3] == 24, "a minimum's box is its marker's, 24 px");
    section_plot_place(canvas, 1, NULL, 0, (const float(*)[4])soft, 1, r);
    CHECK(!overlap(r, soft[0]), "clear of the point: %g %g %g %g", r[0], r[1], r[2], r[3]);
    CHECK(r[0] + r[2] == 990, "still at the right edge: %g", r[0] + r[2]);
    /* a legend across the whole top and points everywhere down the right: the hard
       box alone decides */
    const float hard[1][4] = {{10, 10, 980, 100}};
    float many[8][4];
    for (int i = 0; i < 8; i++) section_crit_box(CRIT_SADDLE, 1, 900, 60 + 90 * i, 1, many[i]);
    section_plot_place(canvas, 1, hard, 1, (const float(*)[4])many, 8, r);
    section_plot_rect(canvas, 1, hard, 1, plain);
    CHECK(r[0] == plain[0] && r[1] == plain[1] && r[2] == plain[2] && r[3] == plain[3],
          "no room clear of the saddles: the legend's place, %g %g (expected %g %g)", r[0], r[1], plain[0], plain[1]);
}

/* A fake font: every byte 0.6 px wide a pixel of type size (wider than the real
 * one's multi-byte signs). */
static float fake_width(void *user, const char *s, float px)
{
    (void)user;
    return 0.6f * px * (float)strlen(s);
}

static int inside(const float box[4], float x, float y, float w, float h)
{
    return x >= box[0] && y >= box[1] && x + w <= box[0] + box[2] + 0.01f && y + h <= box[1] + box[3] + 0.01f;
}

/* The plot of x^2 - y^2 along x through the saddle, laid out in the smallest box
 * section_plot_rect gives at scale 1 and a large one at scale 2: every piece of text
 * and every mark inside the box, the rows apart and under the axes' area; the rows
 * in order of t: the minimum along the line first (a tie at the saddle), then the
 * saddle with u^T H u = +2 > 0. */
static void test_plot_layout(void)
{
    landscape ls;
    if (load(&ls, "x^2 - y^2") != 0) { CHECK(0, "x^2 - y^2 compiles"); return; }
    const crit_point cp = {.kind = CRIT_SADDLE, .x = 0, .y = 0, .f = 0, .l1 = -2, .l2 = 2,
                           .v1 = {0, 1}, .v2 = {1, 0}};
    const double seg[4] = {-1.5, 0, 1.5, 0};
    static section_info si;
    static section_plot p;
    section_compute(&si, &ls.fn, seg, &cp, 1, 1e-6);
    CHECK(si.nmin == 1 && si.ncross == 1, "one minimum along the line, one crossing: %d %d", si.nmin, si.ncross);
    CHECK_NEAR(si.lo, 0, 0, 1e-12, "the lowest loss along it");
    CHECK_NEAR(si.hi, 2.25, 0, 1e-12, "the highest, at the ends");
    const float boxes[2][4] = {{500, 10, 280, 170}, {100, 50, 700, 400}};
    const float scales[2] = {1, 2};
    for (int b = 0; b < 2; b++) {
        const float *B = boxes[b];
        section_plot_layout(&p, &si, B, scales[b], fake_width, NULL);
        CHECK(p.ax[2] > 0 && p.ax[3] >= 20 * scales[b], "box %d: an axes' area %g x %g", b, p.ax[2], p.ax[3]);
        CHECK(inside(B, p.ax[0], p.ax[1], p.ax[2], p.ax[3]), "box %d: the axes inside", b);
        for (int k = 0; k < p.ntext; k++)
            CHECK(inside(B, p.text[k].x, p.text[k].y, fake_width(NULL, p.text[k].s, p.tp), p.lh),
                  "box %d: '%s' inside", b, p.text[k].s);
        CHECK(p.nrow == 2, "box %d: two rows, got %d", b, p.nrow);
        for (int r = 0; r < p.nrow; r++) {
            CHECK(inside(B, p.row[r].x, p.row[r].y, fake_width(NULL, p.row[r].s, p.tp), p.lh),
                  "box %d: row '%s' inside", b, p.row[r].s);
            CHECK(p.row[r].y >= p.ax[1] + p.ax[3], "box %d: row %d under the axes", b, r);
            if (r > 0) CHECK(p.row[r].y >= p.row[r - 1].y + p.lh, "box %d: rows %d and %d apart", b, r - 1, r);
        }
        if (p.nrow == 2) {
            CHECK(p.row_mark[0].along == 1 && strstr(p.row[0].s, "minimum along the line"),
                  "box %d: first the minimum along the line: '%s'", b, p.row[0].s);
            CHECK(p.row_mark[1].along == 0 && p.row_mark[1].kind == CRIT_SADDLE &&
                      strstr(p.row[1].s, "saddle") && strstr(p.row[1].s, "+2 > 0"),
                  "box %d: then the saddle, u^T H u = +2 > 0: '%s'", b, p.row[1].s);
        }
        CHECK(p.nmark == 2, "box %d: two marks on the curve", b);
        for (int k = 0; k < p.nmark; k++) {
            CHECK_NEAR(p.mark[k].x, p.ax[0] + 0.5f * p.ax[2], 0, 0.01, "box %d: mark %d at t = 1/2", b, k);
            CHECK(p.mark[k].y <= p.ax[1] + p.ax[3] && p.mark[k].y >= p.ax[1], "box %d: mark %d in the axes", b, k);
        }
        CHECK(isfinite(p.zero_y) && p.nmark > 0 && fabsf(p.zero_y - p.mark[0].y) < 0.01f,
              "box %d: the line of loss 0 through the minimum (loss 0): %g, %g", b, p.zero_y, p.nmark ? p.mark[0].y : 0);
    }
    landscape_free(&ls);
}

int main(void)
{
    test_saddle_lines();
    test_minima();
    test_plot_rect();
    test_plot_layout();
    test_plot_place();
    return check_done("test_section");
}
