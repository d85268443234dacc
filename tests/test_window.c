/* test_window: the real window, offscreen (SDL_VIDEODRIVER=offscreen, Mesa EGL),
 * driven through `optiscape --frames N --screenshot F.png`, with scripted mouse and
 * keyboard events, and probed pixel by pixel: each runner's colour where `trace`
 * says it is, iso-lines present, the saddle eigenvector arrows at Himmelblau's
 * saddles, resizing to 1x1 and back, extreme zoom, and no GL errors (the window
 * exits 1 on any). Exits 77 (skip) only when no window can be had at all. */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "image.h"

static const char *bin;
static void test_mouse_map(void);
static int read_view(const char *out, double v[4]);
static void trace_last(const char *args, char *dst, size_t n);
static int read_line(const char *out, const char *key, char *dst, size_t n);
static char tmpdir[256];

static int shoot(const char *args, const char *name, image *im, char *out, size_t outlen)
{
    char file[300];
    snprintf(file, sizeof file, "%s.png", name);
    return shot_run(bin, args, "--screenshot", tmpdir, file, im, out, outlen);
}

/* The runner is drawn in its palette colour where trace puts it after N steps. */
static void test_runner_positions(void)
{
    const char *scene = "--landscape himmelblau --optimizer sgd:lr=0.01 --optimizer adam:lr=0.1 "
                        "--start 0.5,-0.5";
    double v[4] = {-6, 6, -6, 6};
    char cmd[2048], out[8192];
    image im;
    snprintf(cmd, sizeof cmd, "%s --view -6,6,-6,6 --steps 40 --paused --frames 3 --size 600x624 "
             "--panel off --legend off --chart off --hover off --critical off", scene);
    if (shoot(cmd, "runners", &im, NULL, 0) != 0) { CHECK(0, "screenshot"); return; }
    CHECK(im.w == 600 && im.h == 624, "window size %dx%d", im.w, im.h);
    static const unsigned pal[2] = {0xE69F00ffu, 0x56B4E9ffu};
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd, "%s trace --landscape himmelblau --optimizer %s --start 0.5,-0.5 "
                 "--steps 40 | tail -n 1", bin, k == 0 ? "sgd:lr=0.01" : "adam:lr=0.1");
        CHECK(run(cmd, out, sizeof out) == 0, "trace");
        long step;
        double x, y;
        CHECK(sscanf(out, "%ld,%lf,%lf", &step, &x, &y) == 3 && step == 40, "trace row: %s", out);
        double px, py;
        to_px(v, 600, 600, x, y, &px, &py);
        int d = nearest(&im, px, py, 1, pal[k]);
        CHECK(d < 30, "runner %d colour at (%.1f, %.1f) where trace puts it: distance %d", k, px, py, d);
        /* and not at the mirror point, so the probe can fail */
        double qx, qy;
        to_px(v, 600, 600, -x, -y, &qx, &qy);
        CHECK(nearest(&im, qx, qy, 1, pal[k]) > 60, "runner %d colour absent elsewhere", k);
    }
    free(im.px);
}

/* Iso-lines: the same picture with and without them differs along the contours;
 * the same settings twice give the same picture. */
static void test_iso_lines(void)
{
    const char *base = "--landscape rosenbrock --optimizer sgd:lr=0.001 --paused --frames 2 --size 500x524 "
                       "--panel off --legend off --chart off --hover off --critical off --start -1.9,2.9";
    char cmd[2048];
    image on, on2, off;
    snprintf(cmd, sizeof cmd, "%s --iso on", base);
    if (shoot(cmd, "iso_on", &on, NULL, 0) != 0) { CHECK(0, "screenshot"); return; }
    if (shoot(cmd, "iso_on2", &on2, NULL, 0) != 0) { CHECK(0, "screenshot"); return; }
    snprintf(cmd, sizeof cmd, "%s --iso off", base);
    if (shoot(cmd, "iso_off", &off, NULL, 0) != 0) { CHECK(0, "screenshot"); return; }
    long differ = 0, differ2 = 0, n = 0;
    for (int y = 40; y < 480; y++)
        for (int x = 40; x < 460; x++) {
            const unsigned char *a = at(&on, x, y), *b = at(&off, x, y), *c = at(&on2, x, y);
            int d = abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]);
            if (d > 24) differ++;
            if (memcmp(a, c, 3) != 0) differ2++;
            n++;
        }
    CHECK(differ > n / 100, "iso-lines change %ld of %ld pixels", differ, n);
    CHECK(differ < n / 3, "iso-lines are lines, not a wash: %ld of %ld", differ, n);
    CHECK(differ2 == 0, "the same settings draw the same picture (%ld pixels differ)", differ2);
    /* a row through the picture crosses several lines: count dark-light-dark runs */
    int crossings = 0, prev = 0;
    for (int x = 40; x < 460; x++) {
        const unsigned char *a = at(&on, x, 300), *b = at(&off, x, 300);
        int d = abs(a[0] - b[0]) + abs(a[1] - b[1]) + abs(a[2] - b[2]) > 24;
        if (d && !prev) crossings++;
        prev = d;
    }
    CHECK(crossings >= 4, "a row crosses %d iso-lines", crossings);
    free(on.px); free(on2.px); free(off.px);
}

/* At each of Himmelblau's four saddles: red arrows along the negative-curvature
 * eigenvector, blue along the positive one; none with critical points off. */
static void test_saddle_arrows(void)
{
    double v[4] = {-6, 6, -6, 6};
    char cmd[2048], out[8192];
    snprintf(cmd, sizeof cmd, "%s critical --landscape himmelblau --region -6,6,-6,6", bin);
    CHECK(run(cmd, out, sizeof out) == 0, "critical");
    const char *base = "--landscape himmelblau --optimizer sgd:lr=1e-9 --start -5.8,5.8 --paused "
                       "--frames 2 --size 600x624 --view -6,6,-6,6 --panel off --legend off --chart off "
                       "--hover off";
    image on, off;
    snprintf(cmd, sizeof cmd, "%s --critical on", base);
    if (shoot(cmd, "saddles", &on, NULL, 0) != 0) { CHECK(0, "screenshot"); return; }
    snprintf(cmd, sizeof cmd, "%s --critical off", base);
    if (shoot(cmd, "nosaddles", &off, NULL, 0) != 0) { CHECK(0, "screenshot"); return; }
    int saddles = 0;
    char *line = strtok(out, "\n");
    while (line) {
        char kind[16];
        double x, y, f, l1, l2, v1x, v1y, v2x, v2y;
        if (sscanf(line, "%15[^,],%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", kind, &x, &y, &f, &l1, &l2,
                   &v1x, &v1y, &v2x, &v2y) == 10 && strcmp(kind, "saddle") == 0) {
            saddles++;
            double px, py;
            to_px(v, 600, 600, x, y, &px, &py);
            double big = fmax(fabs(l1), fabs(l2));
            double len1 = fmax(10, 46 * fabs(l1) / big), len2 = fmax(10, 46 * fabs(l2) / big);
            for (int s = -1; s <= 1; s += 2) {
                double ax = px + s * 0.6 * len1 * v1x, ay = py - s * 0.6 * len1 * v1y;
                double bx = px + s * 0.6 * len2 * v2x, by = py - s * 0.6 * len2 * v2y;
                int dr = nearest(&on, ax, ay, 1, 0xff5a36ffu), db = nearest(&on, bx, by, 1, 0x3fa7ffffu);
                CHECK(dr < 60, "saddle (%.3f, %.3f): way-out arrow (red) at (%.0f, %.0f): distance %d", x, y, ax, ay, dr);
                CHECK(db < 60, "saddle (%.3f, %.3f): positive-curvature arrow (blue) at (%.0f, %.0f): distance %d", x, y, bx, by, db);
                CHECK(nearest(&off, ax, ay, 1, 0xff5a36ffu) > 90, "no red arrow with critical points off");
            }
            /* the saddle marker (a yellow diamond) at the point itself */
            CHECK(nearest(&on, px, py, 2, 0xffd23fffu) < 40, "saddle marker at (%.3f, %.3f)", x, y);
        }
        line = strtok(NULL, "\n");
    }
    CHECK(saddles == 4, "himmelblau has 4 saddles in view, got %d", saddles);
    free(on.px); free(off.px);
}

/* Scripted input: resize to 1x1 and back, zoom far in and out, toggle everything;
 * the window must survive with no GL error (it would exit 1) and the state must
 * show the effects of the keys and clicks. */
static void test_script(void)
{
    char cmd[4096], out[16384];
    image im;
    snprintf(cmd, sizeof cmd,
             "--landscape himmelblau --frames 40 --size 640x480 --print-state --script '"
             "resize 1 1; wait 2; resize 700 500; wait 1; key F1; key Escape; key Tab; key Tab; key m; key m; "
             "key x; key g; key u; key s; key i; key i; wheel 200 200 40; wheel 200 200 40; wheel 200 200 40; "
             "wheel 200 200 40; wheel 200 200 -300; key space; key r; key n; key n; key n; key ]; "
             "key Ctrl+=; key F1'");
    if (shoot(cmd, "script", &im, out, sizeof out) != 0) { CHECK(0, "scripted run"); return; }
    CHECK(im.w == 700 && im.h == 500, "resized back to 700x500, got %dx%d", im.w, im.h);
    CHECK_STR_CONTAINS(out, "step 3\n", "three single steps after reset");
    CHECK_STR_CONTAINS(out, "playing 0\n", "space paused, n keeps it paused");
    CHECK_STR_CONTAINS(out, "selected 1\n", "] selects the next runner");
    CHECK_STR_CONTAINS(out, "stab=1", "x toggles the lr·λmax shading");
    CHECK_STR_CONTAINS(out, "cmap=2", "m twice: the light theme");
    CHECK_STR_CONTAINS(out, "help=1", "F1 shows the help");
    CHECK_STR_CONTAINS(out, "panel=1", "Tab twice: the panel is back");
    double v[4];
    const char *p = strstr(out, "view ");
    CHECK(p && sscanf(p, "view %lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) == 4, "view printed");
    if (p) CHECK(v[1] - v[0] >= 1e-6 * 0.999 && v[1] - v[0] <= 1e6 * 1.001, "zoom stays in limits: width %g", v[1] - v[0]);
    free(im.px);

    /* the deepest zoom: a view 1e-6 wide at Rosenbrock's minimum still shows
       smooth contours, not blocks */
    snprintf(cmd, sizeof cmd, "--landscape rosenbrock --view 0.9999995,1.0000005,0.9999995,1.0000005 "
             "--paused --frames 2 --size 400x424 --panel off --legend off --chart off --hover off");
    if (shoot(cmd, "deep", &im, NULL, 0) != 0) { CHECK(0, "deep zoom"); return; }
    int distinct = 0;
    for (int x = 1; x < 400; x++) if (memcmp(at(&im, x, 200), at(&im, x - 1, 200), 3) != 0) distinct++;
    CHECK(distinct > 100, "a 1e-6 wide view has detail: %d colour changes along a row", distinct);
    free(im.px);

    /* the mouse on the map. Expected values come from the view and the pixel:
       a canvas of W x H pixels showing [v0, v1] x [v2, v3] has pixel (px, py) at
       x = v0 + px (v1 - v0) / W, y = v3 - py (v3 - v2) / H */
    test_mouse_map();
}

static void pixel_to_plane(const double v[4], double W, double H, double px, double py, double *x, double *y)
{
    *x = v[0] + px * (v[1] - v[0]) / W;
    *y = v[3] - py * (v[3] - v[2]) / H;
}

static int read_view(const char *out, double v[4])
{
    char l[256];
    return read_line(out, "view", l, sizeof l) && sscanf(l, "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) == 4;
}

static int read_start(const char *out, double *x, double *y)
{
    char l[256];
    return read_line(out, "start", l, sizeof l) && sscanf(l, "%lf,%lf", x, y) == 2;
}

static void test_mouse_map(void)
{
    char cmd[4096], out[16384];
    const double v[4] = {-6, 6, -6, 6};
    const char *base = "--landscape himmelblau --view -6,6,-6,6 --size 600x624 --panel off --paused --print-state";
    double ex, ey, sx = 99, sy = 99;

    /* a click sets the start at the clicked point */
    snprintf(cmd, sizeof cmd, "%s %s --frames 4 --script 'click 450 150' 2>&1", bin, base);
    CHECK(run(cmd, out, sizeof out) == 0, "click: %s", out);
    pixel_to_plane(v, 600, 600, 450, 150, &ex, &ey);
    CHECK(read_start(out, &sx, &sy), "start printed");
    CHECK_NEAR(sx, ex, 1e-9, 0, "clicked start x");
    CHECK_NEAR(sy, ey, 1e-9, 0, "clicked start y");
    /* a second click elsewhere, in a later frame, moves it again */
    snprintf(cmd, sizeof cmd, "%s %s --frames 6 --script 'click 450 150; wait 1; click 123 457' 2>&1", bin, base);
    CHECK(run(cmd, out, sizeof out) == 0, "two clicks: %s", out);
    pixel_to_plane(v, 600, 600, 123, 457, &ex, &ey);
    CHECK(read_start(out, &sx, &sy) && fabs(sx - ex) < 1e-9 && fabs(sy - ey) < 1e-9,
          "the second click: start (%g, %g), expected (%g, %g)", sx, sy, ex, ey);

    /* pressing on the star and moving previews ghost paths from the pointer */
    snprintf(cmd, sizeof cmd, "%s %s --frames 6 --script 'click 450 150; wait 1; down 452 148; move 300 330; "
             "move 210 420' 2>&1", bin, base);
    CHECK(run(cmd, out, sizeof out) == 0, "star drag: %s", out);
    pixel_to_plane(v, 600, 600, 210, 420, &ex, &ey);
    const char *g = strstr(out, "dragging ghosts=");
    double gx = 99, gy = 99;
    int gn = 0;
    CHECK(g && sscanf(g, "dragging ghosts=%*d %lf,%lf,%d", &gx, &gy, &gn) == 3, "ghosts while dragging: %s", out);
    CHECK(fabs(gx - ex) < 1e-9 && fabs(gy - ey) < 1e-9 && gn > 10,
          "the ghost path starts under the pointer (%g, %g), expected (%g, %g), %d points", gx, gy, ex, ey, gn);
    pixel_to_plane(v, 600, 600, 450, 150, &ex, &ey);
    CHECK(read_start(out, &sx, &sy) && fabs(sx - ex) < 1e-9, "the start stays until the release");

    /* released: the start is where the star was let go */
    snprintf(cmd, sizeof cmd, "%s %s --frames 6 --script 'click 450 150; wait 1; down 452 148; move 300 330; "
             "up 210 420' 2>&1", bin, base);
    CHECK(run(cmd, out, sizeof out) == 0, "star drag: %s", out);
    pixel_to_plane(v, 600, 600, 210, 420, &ex, &ey);
    CHECK(read_start(out, &sx, &sy), "start printed");
    CHECK_NEAR(sx, ex, 1e-9, 0, "dragged start x (released at pixel 210)");
    CHECK_NEAR(sy, ey, 1e-9, 0, "dragged start y (released at pixel 420)");
    CHECK(strstr(out, "dragging") == NULL, "no ghosts after the release");
    double after[4];
    CHECK(read_view(out, after) && after[0] == v[0] && after[3] == v[3], "dragging the star does not pan");

    /* the wheel zooms about the pointer: the point under it stays */
    double b[4] = {-2, 3, -1.5, 3.5};
    snprintf(cmd, sizeof cmd, "%s --landscape rosenbrock --view -2,3,-1.5,3.5 --size 500x524 --panel off "
             "--paused --print-state --frames 6 --script 'wheel 380 120 3; wait 1; wheel 380 120 2' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0, "wheel: %s", out);
    double bx, by, ax, ay;
    pixel_to_plane(b, 500, 500, 380, 120, &bx, &by);
    CHECK(read_view(out, after), "view printed");
    pixel_to_plane(after, 500, 500, 380, 120, &ax, &ay);
    CHECK(fabs(after[1] - after[0] - 5 / pow(1.2, 5)) < 1e-9, "five wheel steps zoom in 1.2x each: width %g",
          after[1] - after[0]);
    CHECK(fabs(ax - bx) < 1e-9 && fabs(ay - by) < 1e-9, "the point under the pointer stays: (%.12g, %.12g) "
          "was (%.12g, %.12g)", ax, ay, bx, by);
    /* a hundred wheel steps (4 / 1.2^100 < 1e-6) at Rosenbrock's minimum (1, 1), pixel (375, 250) of this
       view: the deepest zoom, 1e-6 wide, still around the minimum */
    snprintf(cmd, sizeof cmd, "%s --landscape rosenbrock --view -2,2,-1,3 --size 500x524 --panel off "
             "--paused --print-state --frames 4 --script 'wheel 375 250 100' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0, "deep wheel: %s", out);
    CHECK(read_view(out, after), "view printed");
    pixel_to_plane(after, 500, 500, 375, 250, &ax, &ay);
    CHECK(fabs(after[1] - after[0] - 1e-6) < 1e-12, "the deepest zoom is 1e-6 wide: %g", after[1] - after[0]);
    CHECK(fabs(ax - 1) < 1e-12 && fabs(ay - 1) < 1e-12, "and (1, 1) is still under the pointer: (%.15g, %.15g)", ax,
          ay);
    /* + zooms about the pointer too */
    snprintf(cmd, sizeof cmd, "%s --landscape rosenbrock --view -2,3,-1.5,3.5 --size 500x524 --panel off "
             "--paused --print-state --frames 6 --script 'move 100 400; wait 1; key =; key =' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0, "+: %s", out);
    pixel_to_plane(b, 500, 500, 100, 400, &bx, &by);
    CHECK(read_view(out, after), "view printed");
    pixel_to_plane(after, 500, 500, 100, 400, &ax, &ay);
    CHECK(fabs(after[1] - after[0] - 5 / 1.5625) < 1e-9, "+ twice: width %g", after[1] - after[0]);
    CHECK(fabs(ax - bx) < 1e-9 && fabs(ay - by) < 1e-9, "+ keeps the point under the pointer: (%.12g, %.12g) "
          "was (%.12g, %.12g)", ax, ay, bx, by);
    /* a drag on the map (not on the star) pans by the pixels moved */
    snprintf(cmd, sizeof cmd, "%s %s --frames 6 --script 'down 100 500; move 140 480; up 160 470' 2>&1", bin, base);
    CHECK(run(cmd, out, sizeof out) == 0, "pan: %s", out);
    CHECK(read_view(out, after), "view printed");
    /* the map follows the pointer: 60 px right and 30 up moves the view 60 px left, 30 down */
    CHECK(fabs(after[0] - (v[0] - 60 * 0.02)) < 1e-9 && fabs(after[2] - (v[2] - 30 * 0.02)) < 1e-9,
          "panned 60 px right, 30 up: view %g,%g,%g,%g", after[0], after[1], after[2], after[3]);
    CHECK(read_start(out, &sx, &sy) && sx == -0.3 && sy == -0.5, "a pan does not move the start");
}

static int read_line(const char *out, const char *key, char *dst, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s ", key);
    const char *p = strncmp(out, pat + 1, strlen(pat + 1)) == 0 ? out - 1 : strstr(out, pat);
    if (!p) return 0;
    p += strlen(pat);
    size_t l = strcspn(p, "\n");
    if (l >= n) l = n - 1;
    memcpy(dst, p, l);
    dst[l] = '\0';
    return 1;
}

/* The last row of `trace` as text. */
static void trace_last(const char *args, char *dst, size_t n)
{
    char cmd[2048], out[1 << 16];
    snprintf(cmd, sizeof cmd, "%s trace %s | tail -n 1", bin, args);
    dst[0] = '\0';
    if (run(cmd, out, sizeof out) == 0) {
        size_t l = strlen(out);
        if (l >= n) l = n - 1;
        memcpy(dst, out, l);
        dst[l] = '\0';
    }
}

/* Keys that arrive in one frame are each seen (six Downs reach the formula box, five
 * BackSpaces delete five characters); the formula box shows the built-in's formula
 * with its values, so an edit of it compiles and is the same function. */
static void test_keys_and_formula(void)
{
    char cmd[4096], out[16384], f[1024], ls[1024];
    snprintf(cmd, sizeof cmd, "%s --landscape rosenbrock --frames 6 --print-state 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0, "rosenbrock: %s", out);
    CHECK(read_line(out, "formula", f, sizeof f) && strcmp(f, "(1 - x)^2 + 100*(y - x^2)^2") == 0,
          "the formula box shows the values: '%s'", f);
    /* the same function: trace of the formula equals trace of the built-in */
    char a[512], b[512], args[1400];
    snprintf(args, sizeof args, "--expr '%s' --optimizer adam:lr=0.05 --start -1.2,1 --steps 200", f);
    trace_last(args, a, sizeof a);
    trace_last("--landscape rosenbrock --optimizer adam:lr=0.05 --start -1.2,1 --steps 200", b, sizeof b);
    CHECK(a[0] && strcmp(a, b) == 0, "trace of the shown formula equals the built-in's:\n%s%s", a, b);
    snprintf(cmd, sizeof cmd, "%s --landscape rosenbrock:a=-1.5,b=7 --frames 3 --print-state 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0 && read_line(out, "formula", f, sizeof f) &&
          strcmp(f, "((-1.5) - x)^2 + 7*(y - x^2)^2") == 0, "a negative parameter in brackets: '%s'", f);
    snprintf(args, sizeof args, "--expr '%s' --optimizer sgd:lr=0.01 --start 1,1 --steps 50", f);
    trace_last(args, a, sizeof a);
    trace_last("--landscape rosenbrock:a=-1.5,b=7 --optimizer sgd:lr=0.01 --start 1,1 --steps 50", b, sizeof b);
    CHECK(a[0] && strcmp(a, b) == 0, "and the same function: '%s'\n%s%s", f, a, b);

    /* six Downs in one frame focus the formula box (Lessons, Landscape, its choice, a,
       b, formula); Enter edits; five BackSpaces in one frame delete five characters */
    snprintf(cmd, sizeof cmd, "%s --landscape rosenbrock --frames 8 --print-state --script 'wait 1; key Down 6; "
             "key Return; key BackSpace 5' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0, "keys: %s", out);
    CHECK(read_line(out, "formula", f, sizeof f) && strcmp(f, "(1 - x)^2 + 100*(y - x") == 0,
          "five BackSpaces in one frame delete five characters: '%s'", f);
    /* typing after them and Enter applies the edited formula */
    snprintf(cmd, sizeof cmd, "%s --landscape rosenbrock --frames 8 --print-state --script 'wait 1; key Down 6; "
             "key Return; key BackSpace 5; text ^2)^2 + 0*y; key Return' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0, "edit: %s", out);
    CHECK(read_line(out, "landscape", ls, sizeof ls) && strcmp(ls, "(1 - x)^2 + 100*(y - x^2)^2 + 0*y") == 0,
          "the edited formula is the landscape: '%s'", ls);
    /* held Right on a focused slider: every repeat is a step (speed: a hundredth of
       its 4 decades each, from 100 steps/s) */
    snprintf(cmd, sizeof cmd, "%s --landscape rosenbrock --frames 8 --print-state --script 'wait 1; key Down 10; "
             "key Right 10' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0, "held Right: %s", out);
    char sp[64];
    double speed = 0, want = 100 * pow(10, 4 * 10 / 100.0);
    CHECK(read_line(out, "speed", sp, sizeof sp) && sscanf(sp, "%lf", &speed) == 1 && fabs(speed / want - 1) < 1e-9,
          "ten repeats of Right in one frame: speed %g, expected %g", speed, want);
}

/* F12 saves the window, Shift+F12 the canvas at 2x (4x with --shot-scale 4), each
 * under a fresh number in --shots-dir, never over an existing file. */
static void test_shots(void)
{
    char dir[512], cmd[2048], out[8192], path[600];
    snprintf(dir, sizeof dir, "%s/shots", tmpdir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s && : > %s/optiscape-0001.png", dir, dir);
    run(cmd, NULL, 0);
    snprintf(cmd, sizeof cmd, "%s --landscape himmelblau --size 640x480 --panel off --frames 8 --shots-dir %s "
             "--script 'key F12; wait 1; key Shift+F12; wait 1' 2>&1", bin, dir);
    CHECK(run(cmd, out, sizeof out) == 0, "window with shots: %s", out);
    CHECK(strstr(out, "saved") != NULL, "the shot is announced: %s", out);
    image im;
    snprintf(path, sizeof path, "%s/optiscape-0001.png", dir);
    FILE *f = fopen(path, "rb");
    long size = -1;
    if (f) { fseek(f, 0, SEEK_END); size = ftell(f); fclose(f); }
    CHECK(size == 0, "an existing file keeps its number and content");
    snprintf(path, sizeof path, "%s/optiscape-0002.png", dir);
    CHECK(load_png(path, &im) == 0 && im.w == 640 && im.h == 480, "F12: the window at its size");
    if (im.px) free(im.px);
    im.px = NULL;
    snprintf(path, sizeof path, "%s/optiscape-0003.png", dir);
    /* the canvas is the window less the status line: 640 wide, a little under 480 */
    CHECK(load_png(path, &im) == 0 && im.w == 1280 && im.h > 880 && im.h < 960 && im.h % 2 == 0,
          "Shift+F12 is twice the canvas: %dx%d", im.w, im.h);
    if (im.px) free(im.px);
    snprintf(cmd, sizeof cmd, "%s --size 64x64 --frames 1 --shots-dir /nonexistent-dir 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 2 && strstr(out, "--shots-dir"), "a missing shots dir: exit 2: %s", out);
}

/* Lessons: a folder of scenes is a list PageDown walks through; Ctrl+S saves the
 * state as a scene file that reloads to the same state; a broken file is named
 * with its line and the window does not open. */
static void test_scenes(void)
{
    char dir[512], cmd[4096], out[16384], out2[16384], path[700];
    snprintf(dir, sizeof dir, "%s/lessons", tmpdir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    run(cmd, NULL, 0);
    const char *titles[3] = {"First lesson", "Second lesson", "Third lesson"};
    const char *land[3] = {"himmelblau", "rosenbrock", "booth"};
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%02d.scene", dir, k + 1);
        FILE *f = fopen(path, "w");
        if (!f) { CHECK(0, "write %s", path); return; }
        fprintf(f, "[scene]\ntitle = %s\ncaption = line one\nlandscape = %s\n[runner]\noptimizer = adam:lr=0.05\n",
                titles[k], land[k]);
        fclose(f);
    }
    snprintf(cmd, sizeof cmd, "%s --scene %s --frames 8 --size 640x480 --print-state "
             "--script 'key PageDown; wait 1; key PageDown; wait 1; key PageDown; key PageUp' 2>&1", bin, dir);
    CHECK(run(cmd, out, sizeof out) == 0, "scene folder: %s", out);
    CHECK_STR_CONTAINS(out, "title Third lesson\n", "PageDown twice, then once round and back: the third scene");
    CHECK_STR_CONTAINS(out, "landscape booth", "the third scene's landscape");

    /* save and reload: the same state */
    char saved[600];
    snprintf(saved, sizeof saved, "%s/shots", dir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s", saved);
    run(cmd, NULL, 0);
    /* values outside the sliders' ranges (lr 1e-6, eps 1e-30) are kept, run as trace
       runs them, and saved exactly; the view shown is the view saved */
    snprintf(cmd, sizeof cmd, "%s --landscape himmelblau --optimizer sgd:lr=0.01,momentum=0.9 --optimizer "
             "adam:lr=0.1 --optimizer sgd:lr=1e-6 --optimizer adam:eps=1e-30,lr=0.2 --noise 0.3 --seed 5 --steps 30 "
             "--paused --frames 3 --size 640x480 --shots-dir %s "
             "--print-state --script 'key 2; key Ctrl+s' 2>&1", bin, saved);
    CHECK(run(cmd, out, sizeof out) == 0, "save: %s", out);
    snprintf(path, sizeof path, "%s/scene-0001.scene", saved);
    CHECK(access(path, F_OK) == 0, "Ctrl+S wrote %s", path);
    snprintf(cmd, sizeof cmd, "%s --scene %s --frames 3 --size 640x480 --print-state 2>&1", bin, path);
    CHECK(run(cmd, out2, sizeof out2) == 0, "reload: %s", out2);
    CHECK(strstr(out, "runner 2 sgd:lr=1e-06 ") && strstr(out, "runner 3 adam:lr=0.2,eps=1e-30 "),
          "out-of-range values are kept: %s", out);
    /* and run as trace runs them (no noise: each runner alone) */
    static const char *const specs[2] = {"sgd:lr=1e-6", "adam:eps=1e-30,lr=0.2"};
    char o2[16384];
    snprintf(cmd, sizeof cmd, "%s --landscape himmelblau --optimizer %s --optimizer %s --start 0.5,-0.5 --steps 40 "
             "--paused --frames 2 --size 640x480 --print-state 2>&1", bin, specs[0], specs[1]);
    CHECK(run(cmd, o2, sizeof o2) == 0, "out-of-range run: %s", o2);
    for (int k = 0; k < 2; k++) {
        char key[16], line[512], tr[512], targs[256];
        snprintf(key, sizeof key, "runner %d", k);
        double wx = 0, wy = 0, tx = 1, ty = 1;
        const char *px = read_line(o2, key, line, sizeof line) ? strstr(line, " x=") : NULL;
        CHECK(px && sscanf(px, " x=%lf y=%lf", &wx, &wy) == 2, "runner %d printed", k);
        snprintf(targs, sizeof targs, "--landscape himmelblau --optimizer %s --start 0.5,-0.5 --steps 40", specs[k]);
        trace_last(targs, tr, sizeof tr);
        CHECK(sscanf(tr, "%*d,%lf,%lf", &tx, &ty) == 2, "trace row: %s", tr);
        CHECK(wx == tx && wy == ty, "%s: the window (%.17g, %.17g), trace (%.17g, %.17g)", specs[k], wx, wy, tx, ty);
    }
    const char *keys[] = {"runner 0 ", "runner 1 ", "runner 2 ", "runner 3 ", "step ", "selected ", "playing ",
                          "view "};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *a = strstr(out, keys[k]), *b = strstr(out2, keys[k]);
        size_t la = a ? strcspn(a, "\n") : 0, lb = b ? strcspn(b, "\n") : 0;
        CHECK(a && b && la == lb && memcmp(a, b, la) == 0, "reloaded '%s' line equal:\n%.*s\n%.*s", keys[k],
              (int)la, a ? a : "", (int)lb, b ? b : "");
    }

    snprintf(path, sizeof path, "%s/broken.scene", dir);
    FILE *f = fopen(path, "w");
    if (f) { fputs("[scene]\nlandscape = himmelblau\n[runner]\noptimizer = adam:lr=-1\n", f); fclose(f); }
    snprintf(cmd, sizeof cmd, "%s --scene %s --frames 1 2>&1", bin, path);
    CHECK(run(cmd, out, sizeof out) == 2, "a broken scene: exit 2");
    CHECK(strstr(out, "broken.scene:4:") != NULL, "the message names the file and line 4: %s", out);
}

/* Pixels within colour distance tol of c. */
static long count_colour(const image *im, unsigned c, int tol)
{
    long n = 0;
    for (int y = 0; y < im->h; y++)
        for (int x = 0; x < im->w; x++) {
            const unsigned char *p = at(im, x, y);
            int d = abs(p[0] - (int)(c >> 24 & 255)) + abs(p[1] - (int)(c >> 16 & 255)) +
                    abs(p[2] - (int)(c >> 8 & 255));
            n += d <= tol;
        }
    return n;
}

/* W / --swarm: the runner's optimizer from a grid of starts, following the clock,
 * drawn in its colour all over the view, then gathered at the minima. B: a basin
 * map per runner, in the minima's colours, with the counts --print-state gives. */
static void test_swarm_basins(void)
{
    const char *base = "--landscape himmelblau --view -6,6,-6,6 --optimizer sgd:lr=0.01 --size 600x624 "
                       "--panel off --legend off --chart off --hover off --critical off --paused";
    char cmd[2048], out[8192];
    image im;
    const unsigned orange = 0xE69F00ffu;
    snprintf(cmd, sizeof cmd, "%s --frames 3 --print-state", base);
    if (shoot(cmd, "noswarm", &im, out, sizeof out) != 0) { CHECK(0, "screenshot"); return; }
    long alone = count_colour(&im, orange, 80);
    CHECK(strstr(out, "\nswarm ") == NULL, "no swarm without --swarm: %s", out);
    free(im.px);
    snprintf(cmd, sizeof cmd, "%s --swarm 2500 --frames 3 --print-state", base);
    if (shoot(cmd, "swarm0", &im, out, sizeof out) != 0) { CHECK(0, "screenshot"); return; }
    CHECK(strstr(out, "swarm runner=0 n=2500 alive=2500 step=0") != NULL, "a 50x50 swarm at step 0: %s", out);
    long spread = count_colour(&im, orange, 80);
    CHECK(spread > alone + 2500 * 4, "the swarm covers the view: %ld orange pixels, %ld without", spread, alone);
    /* every quarter of the canvas has particles */
    for (int q = 0; q < 4; q++) {
        int hit = 0;
        for (int y = (q / 2) * 300 + 40; y < (q / 2) * 300 + 260 && !hit; y += 3)
            for (int x = (q % 2) * 300 + 40; x < (q % 2) * 300 + 260 && !hit; x += 3)
                hit = nearest(&im, x, y, 0, orange) < 80;
        CHECK(hit, "particles in quarter %d", q);
    }
    free(im.px);
    /* 400 steps later they sit in the four minima */
    snprintf(cmd, sizeof cmd, "%s --swarm 2500 --steps 400 --frames 3 --print-state", base);
    if (shoot(cmd, "swarm400", &im, out, sizeof out) != 0) { CHECK(0, "screenshot"); return; }
    CHECK(strstr(out, "swarm runner=0 n=2500 alive=2500 step=400") != NULL, "the swarm follows the clock: %s", out);
    static const double mins[4][2] = {{3, 2}, {-2.805118, 3.131313}, {-3.779310, -3.283186}, {3.584428, -1.848127}};
    double v[4] = {-6, 6, -6, 6};
    for (int m = 0; m < 4; m++) {
        double px, py;
        to_px(v, 600, 600, mins[m][0], mins[m][1], &px, &py);
        CHECK(nearest(&im, px, py, 2, orange) < 80, "particles at minimum %d (%.0f, %.0f)", m, px, py);
    }
    CHECK(count_colour(&im, orange, 80) < spread / 3, "the swarm has gathered");
    free(im.px);
    /* W toggles a swarm of the selected runner (10000 by default); W again removes it */
    snprintf(cmd, sizeof cmd, "%s %s --script 'key W' --frames 3 --print-state 2>&1", bin, base);
    CHECK(run(cmd, out, sizeof out) == 0, "W");
    CHECK(strstr(out, "swarm runner=0 n=10000 ") != NULL, "W: a swarm of 10000: %s", out);
    snprintf(cmd, sizeof cmd, "%s %s --script 'key W; wait 1; key W' --frames 4 --print-state 2>&1", bin, base);
    CHECK(run(cmd, out, sizeof out) == 0 && strstr(out, "\nswarm ") == NULL, "W twice: no swarm: %s", out);
    /* B: two maps, all four minima reached by each, the momentum runner losing some starts */
    snprintf(cmd, sizeof cmd, "%s --optimizer sgd:lr=0.01,momentum=0.9 --script 'key B' --frames 3 --print-state",
             base);
    if (shoot(cmd, "basins", &im, out, sizeof out) != 0) { CHECK(0, "screenshot"); return; }
    CHECK(strstr(out, "basins maps=2 minima=4 ") != NULL, "two maps, four minima: %s", out);
    CHECK(strstr(out, "basin_map 0 reached=4 diverged=0 none=0") != NULL, "plain GD: every start at a minimum: %s",
          out);
    CHECK(strstr(out, "basin_map 1 reached=4 ") != NULL, "momentum reaches all four: %s", out);
    static const unsigned shade[4] = {0x77AADDffu, 0xEE8866ffu, 0xEEDD88ffu, 0x44BB99ffu};
    for (int m = 0; m < 4; m++)
        CHECK(count_colour(&im, shade[m], 12) > 2000, "basin colour %d: %ld pixels", m,
              count_colour(&im, shade[m], 12));
    free(im.px);
}

/* Bad window options are refused with status 2 and one line. */
static void test_bad_options(void)
{
    static const char *const bad[] = {
        "--frames 0 --screenshot x.png", "--screenshot x.png", "--frames 3 --screenshot x.jpg",
        "--size 0x10", "--size 20000x20000", "--panel maybe", "--cmap jet", "--speed 0",
        "--bogus", "--expr 'x +* y'", "--swarm 0", "--swarm 100001", "--swarm lots",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char cmd[1024], out[4096];
        snprintf(cmd, sizeof cmd, "%s %s 2>&1 >/dev/null", bin, bad[i]);
        int rc = run(cmd, out, sizeof out);
        CHECK(rc == 2, "'%s' exits 2, got %d", bad[i], rc);
        CHECK(strchr(out, '\n') == out + strlen(out) - 1, "'%s': one line, got '%s'", bad[i], out);
    }
    /* an existing screenshot is not overwritten without --force */
    char path[512], cmd[1024];
    snprintf(path, sizeof path, "%s/keep.png", tmpdir);
    FILE *f = fopen(path, "w");
    if (f) { fputs("mine", f); fclose(f); }
    snprintf(cmd, sizeof cmd, "%s --frames 1 --screenshot %s 2>/dev/null", bin, path);
    CHECK(run(cmd, NULL, 0) == 2, "existing file refused");
    char buf[16] = "";
    f = fopen(path, "r");
    if (f) { if (!fgets(buf, sizeof buf, f)) buf[0] = 0; fclose(f); }
    CHECK(strcmp(buf, "mine") == 0, "the user's file is untouched");
}

/* Fit view (0) keeps every critical point clear of the loss chart. The chart's
 * place on a 600 x 600 canvas at scale 1 (scene_view's layout): 260 x 168 at
 * (10, 390), its timeline 8 px below, 16 high, its caption under that. */
static void test_fit_clear(void)
{
    char cmd[2048], out[16384], crit[16384];
    snprintf(cmd, sizeof cmd, "%s critical --landscape himmelblau --region -8,8,-8,8", bin);
    CHECK(run(cmd, crit, sizeof crit) == 0, "critical");
    const char *base = "--landscape himmelblau --size 600x624 --panel off --legend off --chart on --frames 6 --print-state";
    for (int fit = 0; fit < 2; fit++) {
        snprintf(cmd, sizeof cmd, "%s %s %s 2>&1", bin, base, fit ? "--script 'wait 2; key 0'" : "");
        CHECK(run(cmd, out, sizeof out) == 0, "fit: %s", out);
        double v[4];
        if (!read_view(out, v)) { CHECK(0, "view printed"); return; }
        int under = 0, inside = 0;
        char copy[16384];
        snprintf(copy, sizeof copy, "%s", crit);
        for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
            char kind[16];
            double x, y;
            if (sscanf(line, "%15[^,],%lf,%lf", kind, &x, &y) != 3) continue;
            double px = (x - v[0]) / (v[1] - v[0]) * 600, py = (v[3] - y) / (v[3] - v[2]) * 600;
            if (px < 0 || px > 600 || py < 0 || py > 600) continue;
            inside++;
            under += px > 10 - 8 && px < 270 + 8 && py > 390 - 8 && py < 600;
        }
        if (fit) {
            CHECK(under == 0 && inside == 9, "after 0: all 9 critical points in view, none under the chart (%d)", under);
        } else {
            CHECK(under > 0, "the landscape's own view puts a point under the chart (so the check can fail)");
        }
    }
}

/* Class mode with three Ctrl+ presses on a 1024 x 768 window crowds the canvas with
 * legend, caption and chart. Fit view (0) must still show the lesson: all nine
 * critical points of (x^2-1)^2 + (y^2-1)^2 (the 3 x 3 grid of x, y in {-1, 0, 1}) in the
 * canvas, at least 40 px apart (zooming out about an edge piled them into a corner at
 * 1.1^24 ~ 10x: 12 px apart). The scene asks for the chart, so
 * class mode draws it; P hides it there and P again shows it. */
static void test_fit_class(void)
{
    char path[512], cmd[4096], out[16384];
    snprintf(path, sizeof path, "%s/class-fit.scene", tmpdir);
    FILE *f = fopen(path, "w");
    if (!f) { CHECK(0, "write %s", path); return; }
    fprintf(f, "[scene]\ntitle = Three kinds of critical point\n"
               "caption = Circles are minima, the triangle a maximum, diamonds saddles: the gradient is zero at all.\n"
               "caption = GD and Adam stop on the saddle with loss 1; only its red arrow leads lower.\n"
               "expr = (x^2 - 1)^2 + (y^2 - 1)^2\nview = -2.88, 2.88, -1.8, 1.8\nstart = 1.9, 0\n"
               "[runner]\noptimizer = sgd:lr=0.02\n[runner]\noptimizer = adam:lr=0.05\n"
               "[display]\ncritical = on\nchart = on\n[class]\ncontrols = lr, speed\n");
    fclose(f);
    double v0[4], v1[4];
    for (int fit = 0; fit < 2; fit++) {
        snprintf(cmd, sizeof cmd, "%s --scene %s --class --size 1024x768 --paused --frames 8 --print-state "
                 "--script 'key Ctrl+= 3; wait 2%s' 2>&1", bin, path, fit ? "; key 0; wait 2" : "");
        CHECK(run(cmd, out, sizeof out) == 0, "class fit: %s", out);
        char l[64];
        CHECK(read_line(out, "chart_shown", l, sizeof l) && atoi(l) == 1, "class mode draws the chart the scene asks for");
        if (!read_view(out, fit ? v1 : v0)) { CHECK(0, "view printed: %s", out); return; }
    }
    int inside = 0;
    for (int i = -1; i <= 1; i++)
        for (int j = -1; j <= 1; j++)
            inside += i > v1[0] && i < v1[1] && j > v1[2] && j < v1[3];
    CHECK(inside == 9, "after 0 in class mode with large text: all 9 critical points in view (%d)", inside);
    /* neighbouring points are 1 apart: at least 40 px between them on the canvas (the panel
       starts where the canvas ends) */
    char pl[256];
    double cw = 0;
    CHECK(read_line(out, "panel", pl, sizeof pl) && sscanf(pl, "x=%lf", &cw) == 1 && cw > 0, "canvas width printed");
    CHECK(cw / (v1[1] - v1[0]) >= 40, "the fit is not zoomed far out: %.1f px between neighbours (view %g wide, "
          "the landscape's own fit %g)", cw / (v1[1] - v1[0]), v1[1] - v1[0], v0[1] - v0[0]);
    snprintf(cmd, sizeof cmd, "%s --scene %s --class --size 1024x768 --paused --frames 4 --print-state "
             "--script 'key P' 2>&1", bin, path);
    char l[64];
    CHECK(run(cmd, out, sizeof out) == 0 && read_line(out, "chart_shown", l, sizeof l) && atoi(l) == 0,
          "P hides the chart in class mode");
    snprintf(cmd, sizeof cmd, "%s --scene %s --class --size 1024x768 --paused --frames 6 --print-state "
             "--script 'key P; wait 1; key P' 2>&1", bin, path);
    CHECK(run(cmd, out, sizeof out) == 0 && read_line(out, "chart_shown", l, sizeof l) && atoi(l) == 1,
          "P shows it again");
}

/* F1's help is longer than a small window with large text: it scrolls (Down, End,
 * Home), and not at all where it fits. */
static void test_help_scroll(void)
{
    char cmd[2048], out[16384], l[64];
    double sc = -1;
    snprintf(cmd, sizeof cmd, "%s --size 640x400 --frames 8 --print-state --script 'key Ctrl+= 3; key F1; wait 1; "
             "key Down 3' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0 && read_line(out, "help_scroll", l, sizeof l) && sscanf(l, "%lf", &sc) == 1,
          "help shown: %s", out);
    CHECK(sc > 0, "Down scrolls the long help: %g", sc);
    double end = -1;
    snprintf(cmd, sizeof cmd, "%s --size 640x400 --frames 8 --print-state --script 'key Ctrl+= 3; key F1; wait 1; "
             "key End; wait 1; key Down' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0 && read_line(out, "help_scroll", l, sizeof l) && sscanf(l, "%lf", &end) == 1 &&
          end > sc, "End scrolls to the bottom and stops there: %g", end);
    snprintf(cmd, sizeof cmd, "%s --size 640x400 --frames 8 --print-state --script 'key Ctrl+= 3; key F1; wait 1; "
             "key End; wait 1; key Home; wait 1' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0 && read_line(out, "help_scroll", l, sizeof l) && atof(l) == 0,
          "Home: back to the top: %s", l);
    snprintf(cmd, sizeof cmd, "%s --size 1600x1200 --frames 8 --print-state --script 'key F1; wait 1; key Down 3; "
             "wait 1' 2>&1", bin);
    CHECK(run(cmd, out, sizeof out) == 0 && read_line(out, "help_scroll", l, sizeof l) && atof(l) == 0,
          "a help that fits does not scroll: %s", l);
}

/* With larger text the status line leaves parts out rather than run off the
 * window: the last columns of its row are background only. */
static void test_status_fits(void)
{
    image im;
    if (shoot("--size 640x400 --panel off --frames 4 --script 'key Ctrl+= 3; move 300 100'", "status", &im, NULL,
              0) != 0) {
        CHECK(0, "screenshot");
        return;
    }
    int sh = (int)lround(24 * pow(1.15, 3));   /* the status line's height at 1.15^3 */
    const unsigned char *ref = at(&im, im.w - 1, im.h - sh / 2);
    int worst = 0;
    for (int y = im.h - sh + 2; y < im.h - 1; y++)
        for (int x = im.w - 8; x < im.w; x++) {
            const unsigned char *p = at(&im, x, y);
            int d = abs(p[0] - ref[0]) + abs(p[1] - ref[1]) + abs(p[2] - ref[2]);
            if (d > worst) worst = d;
        }
    CHECK(worst < 40, "no text in the status line's last 8 columns (largest difference %d)", worst);
    /* and the text is there at all: its first columns have some */
    int ink = 0;
    for (int y = im.h - sh + 2; y < im.h - 1; y++)
        for (int x = 8; x < 60; x++) {
            const unsigned char *p = at(&im, x, y);
            ink += abs(p[0] - ref[0]) + abs(p[1] - ref[1]) + abs(p[2] - ref[2]) > 100;
        }
    CHECK(ink > 20, "the status line has text (%d pixels)", ink);
    free(im.px);
}

/* Failures are one line on stderr and the status says which kind: a failed start
 * (shaders not found; under the sanitizers also nothing leaked), no display, a
 * display that does not answer, a full stdout, an overlong script command;
 * messages never on stdout; a quit does not wait for basin maps being computed. */
static void test_failures(void)
{
    char cmd[2048], out[8192];
    struct { const char *args, *env, *what; int rc; } rows[] = {
        {"--shader-dir /nonexistent --frames 2", "", "/nonexistent", 1},
        {"--frames 2", "env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER", "xvfb-run", 1},
        /* a display that does not answer: said so, not a window run unseen on SDL's
           offscreen fallback until killed */
        {"--frames 2", "timeout 60 env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER DISPLAY=:987", "xvfb-run", 1},
        /* a Wayland display that does not answer: SDL's fallback to offscreen refused */
        {"--frames 2", "timeout 60 env -u DISPLAY -u SDL_VIDEODRIVER WAYLAND_DISPLAY=optiscape-none "
                       "XDG_RUNTIME_DIR=/tmp", "WAYLAND_DISPLAY=optiscape-none", 1},
        {"--frames 2 --print-state", "", "--print-state", 1},
        {"--size 64x64 --help", "", "help", 1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        snprintf(cmd, sizeof cmd, "%s %s %s 2>&1", rows[i].env, bin, rows[i].args);
        if (i >= 4) snprintf(cmd, sizeof cmd, "%s %s 2>&1 >/dev/full", bin, rows[i].args);   /* a full disk */
        int rc = run(cmd, out, sizeof out);
        CHECK(rc == rows[i].rc, "'%s': exit %d, expected %d: %s", rows[i].args, rc, rows[i].rc, out);
        CHECK(strchr(out, '\n') == out + strlen(out) - 1, "'%s': one line, got '%s'", rows[i].args, out);
        CHECK(strstr(out, rows[i].what) != NULL, "'%s': the line says '%s': %s", rows[i].args, rows[i].what, out);
    }
    /* a script command longer than 255 characters is refused, not split */
    char longtext[400];
    memset(longtext, 'a', 300);
    longtext[300] = '\0';
    snprintf(cmd, sizeof cmd, "%s --frames 3 --script 'text %s; key F1' --print-state 2>&1", bin, longtext);
    int rc = run(cmd, out, sizeof out);
    CHECK(rc == 2 && strstr(out, "255") && strchr(out, '\n') == out + strlen(out) - 1,
          "an overlong script command: exit 2 and one line: %d %.200s", rc, out);
    /* F12's and Ctrl+S's messages go to stderr: stdout is the state's alone */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/msgs", tmpdir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    run(cmd, NULL, 0);
    snprintf(cmd, sizeof cmd, "%s --frames 4 --size 200x200 --shots-dir %s --script 'key F12; key Ctrl+s' 2>/dev/null",
             bin, dir);
    rc = run(cmd, out, sizeof out);
    CHECK(rc == 0 && out[0] == '\0', "nothing on stdout from F12 and Ctrl+S: '%s'", out);
    snprintf(cmd, sizeof cmd, "ls %s | wc -l", dir);
    run(cmd, out, sizeof out);
    CHECK(atoi(out) == 2, "the shot and the scene were written: %s", out);
    /* B on logreg (minutes of maps), then Ctrl+Q: the quit does not wait for them */
    snprintf(cmd, sizeof cmd, "timeout 60 %s --landscape logreg --frames 100 --size 300x300 --script 'key B; wait 2; "
             "key Ctrl+q' --print-state 2>&1", bin);
    rc = run(cmd, out, sizeof out);
    CHECK(rc == 0 && strstr(out, "landscape logreg"), "Ctrl+Q while basin maps compute quits: exit %d", rc);
}

/* ---- the network lab: the window against optiscape net train ------------------- */

/* tmpdir/NAME with text in it, its path in path: 0, or -1 (a failed check). */
static int write_tmp(const char *name, const char *text, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    int ok = f && fputs(text, f) >= 0;
    if (f && fclose(f) != 0) ok = 0;
    CHECK(ok, "write %s", path);
    return ok ? 0 : -1;
}

static char net_out[1 << 17], net_cli[1 << 17], net_rows_a[1 << 17], net_rows_b[1 << 17];

/* The text after "TAG " of every line that starts with it, a line each. */
static void net_rows(const char *out, const char *tag, char *dst, size_t n)
{
    size_t o = 0, tl = strlen(tag);
    dst[0] = '\0';
    for (const char *p = out; *p; ) {
        size_t l = strcspn(p, "\n");
        if (l > tl && strncmp(p, tag, tl) == 0 && p[tl] == ' ' && o + l - tl < n) {
            memcpy(dst + o, p + tl + 1, l - tl - 1);
            o += l - tl - 1;
            dst[o++] = '\n';
            dst[o] = '\0';
        }
        p += l;
        if (*p) p++;
    }
}

/* optiscape net train ARGS: its rows without the header (checked) in dst; 0 or -1. */
static int net_train_rows(const char *args, char *dst, size_t n)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s net train %s 2>&1", bin, args);
    dst[0] = '\0';
    if (run(cmd, net_cli, sizeof net_cli) != 0) {
        CHECK(0, "net train %s: %s", args, net_cli);
        return -1;
    }
    const char *head = "step,train_loss,test_loss,train_acc,test_acc,grad_norm,lr\n";
    if (strncmp(net_cli, head, strlen(head)) != 0) {
        CHECK(0, "net train %s: the header: %.200s", args, net_cli);
        return -1;
    }
    snprintf(dst, n, "%s", net_cli + strlen(head));
    return 0;
}

static long count_lines(const char *s)
{
    long n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* The last line of s (without its newline) in dst. */
static void last_line(const char *s, char *dst, size_t n)
{
    size_t l = strlen(s);
    if (l && s[l - 1] == '\n') l--;
    size_t b = l;
    while (b > 0 && s[b - 1] != '\n') b--;
    snprintf(dst, n, "%.*s", (int)(l - b), s + b);
}

/* Where two row lists first differ, for the message. */
static void first_difference(const char *a, const char *b, char *dst, size_t n)
{
    long line = 1;
    const char *la = a, *lb = b;
    while (*a && *a == *b) {
        if (*a == '\n') { line++; la = a + 1; lb = b + 1; }
        a++;
        b++;
    }
    snprintf(dst, n, "line %ld: window '%.*s', net train '%.*s'", line, (int)strcspn(la, "\n"), la,
             (int)strcspn(lb, "\n"), lb);
}

static void check_rows_equal(const char *win, const char *cli, long want, const char *what)
{
    char diff[600];
    first_difference(win, cli, diff, sizeof diff);
    CHECK(count_lines(win) == want, "%s: the window printed %ld rows, expected %ld", what, count_lines(win), want);
    CHECK(strcmp(win, cli) == 0, "%s: the window's rows equal net train's, text for text: %s", what, diff);
}

/* A scene of two [net]s, different nets and optimizers, each labelled: the window's
 * rows for each lab are net train --scene F [--lab 2]'s, digit for digit. --frames
 * runs are deterministic: speed / 60 updates a frame (600: 10), the first frame
 * included. Ctrl+S saves both labs with pretrain = the updates made; the saved
 * scene reopens there. A bad [net] is refused with its file and line. */
static void test_net_scene(void)
{
    char path[512], cmd[4096], l1[1024], l2[1024];
    if (write_tmp("two-nets.scene", "[scene]\ntitle = two nets\n"
                  "[net]\nnet = mlp:2,8,1,act=tanh,loss=bce\ndata = moons\noptimizer = adam:lr=0.01\nlabel = adam net\n"
                  "[net]\nnet = mlp:2,4,4,1,act=relu,loss=bce\ndata = circle:noise=0.1\n"
                  "optimizer = sgd:lr=0.1,momentum=0.9\nbatch = 20\nseed = 3\nlabel = momentum net\n",
                  path, sizeof path) != 0)
        return;
    /* 6 frames at 600 steps/s: 60 updates, rows 0 .. 60 */
    snprintf(cmd, sizeof cmd, "%s --scene %s --frames 6 --speed 600 --size 800x600 --print-state 2>&1", bin, path);
    CHECK(run(cmd, net_out, sizeof net_out) == 0, "two nets: %.300s", net_out);
    CHECK(read_line(net_out, "net", l1, sizeof l1) && strncmp(l1, "mlp:2,8,1,act=tanh,", 19) == 0,
          "the first lab is shown as net: '%s'", l1);
    CHECK(read_line(net_out, "net2", l2, sizeof l2) && strncmp(l2, "mlp:2,4,4,1,act=relu,", 21) == 0,
          "the second as net2: '%s'", l2);
    CHECK(strstr(net_out, "\nnet3 ") == NULL, "no third lab");
    net_rows(net_out, "net_row", net_rows_a, sizeof net_rows_a);
    snprintf(cmd, sizeof cmd, "--scene %s --steps 60", path);
    if (net_train_rows(cmd, net_rows_b, sizeof net_rows_b) == 0)
        check_rows_equal(net_rows_a, net_rows_b, 61, "[net] 1");
    net_rows(net_out, "net2_row", net_rows_a, sizeof net_rows_a);
    snprintf(cmd, sizeof cmd, "--scene %s --lab 2 --steps 60", path);
    if (net_train_rows(cmd, net_rows_b, sizeof net_rows_b) == 0)
        check_rows_equal(net_rows_a, net_rows_b, 61, "[net] 2");
    /* and the two labs did differ (so the second is not the first again) */
    snprintf(cmd, sizeof cmd, "--scene %s --steps 60", path);
    if (net_train_rows(cmd, net_rows_b, sizeof net_rows_b) == 0)
        CHECK(strcmp(net_rows_a, net_rows_b) != 0, "the two labs train differently");

    /* Ctrl+S after 4 frames of playing (Space pauses in the fifth): pretrain = 40 */
    char dir[600], saved[700];
    snprintf(dir, sizeof dir, "%s/net-shots", tmpdir);
    CHECK(mkdir(dir, 0700) == 0, "mkdir %s", dir);
    snprintf(cmd, sizeof cmd, "%s --scene %s --frames 8 --speed 600 --size 800x600 --shots-dir %s --print-state "
             "--script 'wait 3; key space; key Ctrl+s' 2>&1", bin, path, dir);
    CHECK(run(cmd, net_out, sizeof net_out) == 0, "Ctrl+S: %.300s", net_out);
    net_rows(net_out, "net_row", net_rows_a, sizeof net_rows_a);
    last_line(net_rows_a, l1, sizeof l1);
    long shown = -1;
    CHECK(sscanf(l1, "%ld,", &shown) == 1 && shown == 40, "four frames played: the last row %ld: '%s'", shown, l1);
    net_rows(net_out, "net2_row", net_rows_b, sizeof net_rows_b);
    CHECK(count_lines(net_rows_b) == shown + 1, "the second lab made the same updates: %ld rows",
          count_lines(net_rows_b));
    snprintf(saved, sizeof saved, "%s/scene-0001.scene", dir);
    FILE *f = fopen(saved, "r");
    CHECK(f != NULL, "Ctrl+S wrote %s", saved);
    if (!f) return;
    long pre[4] = {-1, -1, -1, -1};
    int nnet = 0, nlabel = 0;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        long v;
        if (strcmp(line, "[net]\n") == 0) nnet++;
        if (nnet > 0 && nnet <= 4 && sscanf(line, "pretrain = %ld", &v) == 1) pre[nnet - 1] = v;
        if ((nnet == 1 && strcmp(line, "label = adam net\n") == 0) ||
            (nnet == 2 && strcmp(line, "label = momentum net\n") == 0))
            nlabel++;
    }
    fclose(f);
    CHECK(nnet == 2 && nlabel == 2, "both [net]s saved with their labels: %d sections, %d labels", nnet, nlabel);
    CHECK(pre[0] == shown && pre[1] == shown, "pretrain = the updates made: %ld and %ld, the window showed %ld",
          pre[0], pre[1], shown);
    /* reopened, paused: it stands where it was saved, as net train --steps N puts it */
    snprintf(cmd, sizeof cmd, "%s --scene %s --paused --frames 2 --size 800x600 --print-state 2>&1", bin, saved);
    CHECK(run(cmd, net_out, sizeof net_out) == 0, "reload: %.300s", net_out);
    for (int lab = 1; lab <= 2; lab++) {
        char args[1024], w[1024], c[1024];
        net_rows(net_out, lab == 1 ? "net_row" : "net2_row", net_rows_a, sizeof net_rows_a);
        snprintf(args, sizeof args, "--scene %s --lab %d --steps %ld", saved, lab, shown);
        if (net_train_rows(args, net_rows_b, sizeof net_rows_b) != 0) continue;
        last_line(net_rows_a, w, sizeof w);
        last_line(net_rows_b, c, sizeof c);
        CHECK(w[0] && strcmp(w, c) == 0, "reloaded lab %d: its last row '%s', net train's '%s'", lab, w, c);
        CHECK(count_lines(net_rows_a) == shown + 1, "reloaded lab %d: rows 0 .. %ld (%ld)", lab, shown,
              count_lines(net_rows_a));
    }

    /* a bad [net]: exit 2, the file and the line named (the window and net train) */
    static const struct { const char *text, *where; } bad[] = {
        {"[scene]\ntitle = bad\n[net]\nnet = mlp:2,8,1\ndata = moons\n[net]\ndata = moons\nnet = mlp:2,0,1\n",
         "bad-net1.scene:8:"},
        {"[scene]\ntitle = bad\n[net]\nnet = mlp:2,8,1\ndata = moons\nwobble = 3\n", "bad-net2.scene:6:"},
    };
    for (int i = 0; i < 2; i++) {
        char name[32];
        snprintf(name, sizeof name, "bad-net%d.scene", i + 1);
        if (write_tmp(name, bad[i].text, path, sizeof path) != 0) return;
        for (int cli = 0; cli < 2; cli++) {
            snprintf(cmd, sizeof cmd, "%s --scene %s --frames 2 2>&1", bin, path);
            if (cli) snprintf(cmd, sizeof cmd, "%s net train --scene %s --steps 2 2>&1", bin, path);
            int rc = run(cmd, net_out, sizeof net_out);
            CHECK(rc == 2, "%s: a bad [net]: exit 2, got %d", cli ? "net train" : "the window", rc);
            CHECK(strstr(net_out, bad[i].where) != NULL && strchr(net_out, '\n') == net_out + strlen(net_out) - 1,
                  "%s: one line naming %s: %s", cli ? "net train" : "the window", bad[i].where, net_out);
        }
    }
}

/* The panel's Network section, clicked. The rows' places: the speed slider's box
 * (--print-state's panel line), then one widget every h + 4 px (the ui's spacing at
 * scale 1): the Network header, data set, noise, test fraction, test shift, hidden
 * layers (6th), width, activation, BatchNorm, optimizer, lr (11th). A screenshot
 * confirms them: each slider's knob (the speed knob's colour) where its value puts
 * it. A slider maps pixel px to t = (px - x) / w: hidden layers 0 .. 7, rounded; lr
 * 1e-5 * 1e6^t, to 3 digits. */
static void test_net_panel(void)
{
    const char *base = "--net mlp:2,8,1,act=tanh,loss=bce --data moons --size 1000x800";
    char cmd[4096], l[512];
    image im;
    snprintf(cmd, sizeof cmd, "%s --paused --frames 3 --print-state", base);
    if (shoot(cmd, "net-panel", &im, net_out, sizeof net_out) != 0) { CHECK(0, "screenshot"); return; }
    double px0, pw, sx, sy, sw, sh;
    if (!(read_line(net_out, "panel", l, sizeof l) &&
          sscanf(l, "x=%lf w=%lf speed_slider=%lf,%lf,%lf,%lf", &px0, &pw, &sx, &sy, &sw, &sh) == 6)) {
        CHECK(0, "the panel's geometry printed: %.300s", net_out);
        free(im.px);
        return;
    }
    double pitch = sh + 4;
    /* the speed knob: 100 steps/s of 1 .. 10000 (log) is the middle */
    const unsigned char *k = at(&im, (int)(sx + sw / 2), (int)(sy + sh / 2));
    unsigned accent = (unsigned)k[0] << 24 | (unsigned)k[1] << 16 | (unsigned)k[2] << 8 | 0xffu;
    struct { int row; double t; const char *what; } knobs[] = {
        {6, 1 / 7.0, "hidden layers 1 of 0 .. 7"},
        {7, log(8) / log(256), "width 8 of 1 .. 256 (log)"},
        {11, log(1e-3 / 1e-5) / log(1e6), "lr 0.001 of 1e-5 .. 10 (log)"},
    };
    for (int i = 0; i < 3; i++) {
        double kx = sx + knobs[i].t * sw, ky = sy + knobs[i].row * pitch + sh / 2;
        CHECK(nearest(&im, kx, ky, 1, accent) < 30, "the %s knob at (%.0f, %.0f)", knobs[i].what, kx, ky);
        CHECK(nearest(&im, sx + 0.9 * sw, ky, 1, accent) > 60, "and not at the row's right end (%s)", knobs[i].what);
    }
    free(im.px);

    /* a click on hidden layers at 3/7 of it: three hidden layers of 8, a new lab
       trained from step 0 (clicked in the fourth frame: frames 4 .. 8 make 50 updates) */
    int cx = (int)floor(sx + sw * 3 / 7 + 0.5), cy = (int)(sy + 6 * pitch + sh / 2);
    int layers = (int)floor(7 * (cx - sx) / sw + 0.5);
    CHECK(layers == 3, "the pixel %d is %d layers", cx, layers);
    snprintf(cmd, sizeof cmd, "%s %s --speed 600 --frames 8 --print-state --script 'wait 2; click %d %d' 2>&1", bin,
             base, cx, cy);
    CHECK(run(cmd, net_out, sizeof net_out) == 0, "hidden layers click: %.300s", net_out);
    CHECK(read_line(net_out, "net", l, sizeof l) && strncmp(l, "mlp:2,8,8,8,1,act=tanh,", 23) == 0,
          "three hidden layers of 8: '%s'", l);
    int pos = 0, neg = 0, zero = 0;
    CHECK(read_line(net_out, "net_spectrum", l, sizeof l) &&
          sscanf(l, "step=%*d positive=%d negative=%d zero=%d", &pos, &neg, &zero) == 3 &&
          pos + neg + zero == 2 * 8 + 8 + 2 * (8 * 8 + 8) + 8 + 1,
          "the Hessian of 177 parameters: %d + %d + %d", pos, neg, zero);
    net_rows(net_out, "net_row", net_rows_a, sizeof net_rows_a);
    if (net_train_rows("--net mlp:2,8,8,8,1,act=tanh,loss=bce --data moons --steps 50", net_rows_b,
                       sizeof net_rows_b) == 0)
        check_rows_equal(net_rows_a, net_rows_b, 51, "the rebuilt lab");

    /* two clicks on lr (in the fourth and the seventh frame: after 30 and 60 updates): the running trainer's rate from the next row
       on; the rows before keep adam's 0.001 and the run goes on (no new lab) */
    int lx[2] = {(int)(sx + 0.4 * sw), (int)(sx + 0.7 * sw)}, ly = (int)(sy + 11 * pitch + sh / 2);
    double want[2];
    for (int i = 0; i < 2; i++) {
        char b[32];
        snprintf(b, sizeof b, "%.3g", 1e-5 * pow(1e6, (lx[i] - sx) / sw));
        want[i] = strtod(b, NULL);
    }
    snprintf(cmd, sizeof cmd, "%s %s --speed 600 --frames 8 --print-state --script 'wait 2; click %d %d; wait 1; "
             "click %d %d' 2>&1", bin, base, lx[0], ly, lx[1], ly);
    CHECK(run(cmd, net_out, sizeof net_out) == 0, "lr clicks: %.300s", net_out);
    net_rows(net_out, "net_row", net_rows_a, sizeof net_rows_a);
    CHECK(count_lines(net_rows_a) == 81, "the run went on: %ld rows", count_lines(net_rows_a));
    int bad = 0;
    long seen = 0;
    for (const char *p = net_rows_a; *p; p = strchr(p, '\n') + 1) {
        long step;
        double lr = -1;
        if (sscanf(p, "%ld,%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],%lf", &step, &lr) != 2) { bad++; break; }
        double w = step <= 30 ? 1e-3 : step <= 60 ? want[0] : want[1];
        if (lr != w) {
            if (bad++ == 0) CHECK(0, "row %ld: lr %.17g, expected %.17g (clicks at %d and %d)", step, lr, w, lx[0], lx[1]);
        }
        seen++;
    }
    CHECK(bad == 0 && seen == 81, "the lr column follows the clicks: %d rows differ", bad);

    /* a drag: pressed at the first pixel in the fourth frame, moved to the second in
       the fifth (the button held), released there: each rate from the next row on */
    snprintf(cmd, sizeof cmd, "%s %s --speed 600 --frames 8 --print-state --script 'wait 2; down %d %d; move %d %d; "
             "up %d %d' 2>&1", bin, base, lx[0], ly, lx[1], ly, lx[1], ly);
    CHECK(run(cmd, net_out, sizeof net_out) == 0, "lr drag: %.300s", net_out);
    net_rows(net_out, "net_row", net_rows_a, sizeof net_rows_a);
    bad = 0;
    seen = 0;
    for (const char *p = net_rows_a; *p; p = strchr(p, '\n') + 1) {
        long step;
        double lr = -1;
        if (sscanf(p, "%ld,%*[^,],%*[^,],%*[^,],%*[^,],%*[^,],%lf", &step, &lr) != 2) { bad++; break; }
        double w = step <= 30 ? 1e-3 : step <= 40 ? want[0] : want[1];
        if (lr != w && bad++ == 0)
            CHECK(0, "dragged: row %ld: lr %.17g, expected %.17g (from %d to %d)", step, lr, w, lx[0], lx[1]);
        seen++;
    }
    CHECK(bad == 0 && seen == 81, "the lr column follows the drag: %d rows differ", bad);
}

/* Paused, N (twice in a frame) and a click on the panel's step button (the middle of
 * the three buttons a row above the speed slider): three updates of each lab of the
 * scene, net train --steps 3's rows. */
static void test_net_step(void)
{
    char path[512], cmd[4096], l[512];
    snprintf(path, sizeof path, "%s/two-nets.scene", tmpdir);
    snprintf(cmd, sizeof cmd, "%s --scene %s --paused --frames 2 --size 1000x800 --print-state 2>&1", bin, path);
    double sx, sy, sw, sh;
    if (!(run(cmd, net_out, sizeof net_out) == 0 && read_line(net_out, "panel", l, sizeof l) &&
          sscanf(l, "x=%*f w=%*f speed_slider=%lf,%lf,%lf,%lf", &sx, &sy, &sw, &sh) == 4)) {
        CHECK(0, "the panel's geometry printed: %.300s", net_out);
        return;
    }
    snprintf(cmd, sizeof cmd, "%s --scene %s --paused --frames 6 --size 1000x800 --print-state "
             "--script 'key n 2; wait 1; click %d %d' 2>&1", bin, path, (int)(sx + sw / 2), (int)(sy - 4 - sh / 2));
    CHECK(run(cmd, net_out, sizeof net_out) == 0, "step: %.300s", net_out);
    for (int lab = 1; lab <= 2; lab++) {
        char args[1024];
        net_rows(net_out, lab == 1 ? "net_row" : "net2_row", net_rows_a, sizeof net_rows_a);
        snprintf(args, sizeof args, "--scene %s --lab %d --steps 3", path, lab);
        if (net_train_rows(args, net_rows_b, sizeof net_rows_b) == 0)
            check_rows_equal(net_rows_a, net_rows_b, 4, lab == 1 ? "N, N, step: lab 1" : "N, N, step: lab 2");
    }
}

/* Shift+J: the lab's slice as the landscape. The plane file it writes goes through
 * the parameters net train --save gives after the step the window names (digit for
 * digit: the centre column), the runner on it is the lab's optimizer from the
 * plane's centre (trace on the written plane file, the same steps, the same point),
 * and the loss there is net train's training loss at that step. */
static void test_net_plane(void)
{
    char dir[512], cmd[4096], line[4400], file[4300], save[600];
    snprintf(dir, sizeof dir, "%s/plane", tmpdir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    run(cmd, NULL, 0);
    const char *lab = "--net mlp:2,6,1,act=tanh,loss=bce --data moons:n=120 --optimizer sgd:lr=0.5";
    snprintf(cmd, sizeof cmd, "%s %s --speed 300 --shots-dir %s --script 'wait 30; key Shift+J; wait 3; key J' "
             "--frames 45 --print-state 2>&1", bin, lab, dir);
    if (run(cmd, net_out, sizeof net_out) != 0) { CHECK(0, "window: %.300s", net_out); return; }
    long step = -1, lstep = -1;
    CHECK(read_line(net_out, "net_plane_file", line, sizeof line) &&
          sscanf(line, "step=%ld %4299s", &step, file) == 2, "the plane file's line: %.200s", line);
    if (step < 0) return;
    CHECK(read_line(net_out, "landscape", line, sizeof line) && strstr(line, "plane:file=") && strstr(line, file),
          "the landscape is the written plane: %.300s", line);
    CHECK(read_line(net_out, "step", line, sizeof line) && sscanf(line, "%ld", &lstep) == 1 && lstep > 0,
          "the runner took steps on the plane: %s", line);
    /* the centre: net train's parameters after `step` updates */
    snprintf(save, sizeof save, "%s/p.txt", dir);
    snprintf(cmd, sizeof cmd, "net train %s --steps %ld --save %s --force > /dev/null", lab, step, save);
    char args[4200];
    snprintf(args, sizeof args, "%s", cmd);
    snprintf(cmd, sizeof cmd, "%s %s", bin, args);
    CHECK(run(cmd, NULL, 0) == 0, "%s", cmd);
    FILE *pf = fopen(file, "r"), *sf = fopen(save, "r");
    int np = -1, same = 0, rows = 0;
    if (pf && sf) {
        while (fgets(line, sizeof line, pf))
            if (sscanf(line, "params %d", &np) == 1) break;
        double c, d1, d2, want;
        while (fscanf(pf, "%lf,%lf,%lf", &c, &d1, &d2) == 3 && fscanf(sf, "%lf", &want) == 1) {
            rows++;
            same += c == want;
        }
    }
    if (pf) fclose(pf);
    if (sf) fclose(sf);
    CHECK(np == 6 * 2 + 6 + 6 + 1 && rows == np && same == np,
          "the plane's centre is net train's parameters after step %ld: %d of %d (%d rows)", step, same, np, rows);
    /* the runner: trace of the lab's optimizer on the written plane from its centre */
    char want[512], got[1024];
    snprintf(args, sizeof args, "--landscape plane:file=%s --optimizer sgd:lr=0.5 --start 0,0 --steps %ld", file, lstep);
    trace_last(args, want, sizeof want);
    double tx = NAN, ty = NAN, rx = NAN, ry = NAN;
    long ts = -1;
    CHECK(sscanf(want, "%ld,%lf,%lf", &ts, &tx, &ty) == 3 && ts == lstep, "trace on the plane: %s", want);
    CHECK(read_line(net_out, "runner 0", got, sizeof got) && strstr(got, "sgd:lr=0.5") &&
          sscanf(strstr(got, " x=") ? strstr(got, " x=") : "", " x=%lf y=%lf", &rx, &ry) == 2,
          "the runner is the lab's optimizer: %s", got);
    CHECK(rx == tx && ry == ty, "the runner where trace puts it on the plane: (%.17g, %.17g) and (%.17g, %.17g)", rx,
          ry, tx, ty);
    /* the loss at the centre: net train's training loss at that step */
    snprintf(args, sizeof args, "--landscape plane:file=%s --optimizer sgd:lr=0.5 --start 0,0 --steps 0", file);
    trace_last(args, want, sizeof want);
    double loss = NAN;
    sscanf(want, "%*d,%*f,%*f,%lf", &loss);
    snprintf(args, sizeof args, "%s --steps %ld", lab, step);
    if (net_train_rows(args, net_rows_a, sizeof net_rows_a) == 0) {
        last_line(net_rows_a, line, sizeof line);
        double tl = NAN;
        sscanf(line, "%*d,%lf", &tl);
        CHECK(fabs(loss - tl) <= 1e-12 * fabs(tl), "the plane's loss at its centre %.17g is net train's %.17g", loss, tl);
    }
    /* J brought the network back and it trained on from where it was */
    CHECK(read_line(net_out, "net", line, sizeof line) && strstr(line, "shown=1"), "J shows the network: %s", line);
    /* Shift+J before the first slice has come: one note that says so, the landscape kept */
    snprintf(cmd, sizeof cmd, "%s %s --script 'key Shift+J' --frames 2 --print-state 2>&1", bin, lab);
    if (run(cmd, net_out, sizeof net_out) != 0) { CHECK(0, "window: %.300s", net_out); return; }
    CHECK(read_line(net_out, "note", line, sizeof line) && strstr(line, "slice is not ready"),
          "Shift+J too early: the note says the slice is not ready: %.200s", line);
    CHECK(read_line(net_out, "landscape", line, sizeof line) && !strstr(line, "plane:file="),
          "Shift+J too early: the landscape stays: %.200s", line);
    /* L on the network view: the cross-section on its slice (the slice made the
       landscape, the tool open on it) */
    snprintf(cmd, sizeof cmd, "%s %s --speed 300 --shots-dir %s --script 'wait 30; key L' --frames 33 --print-state "
             "2>&1", bin, lab, dir);
    if (run(cmd, net_out, sizeof net_out) != 0) { CHECK(0, "window: %.300s", net_out); return; }
    CHECK(read_line(net_out, "landscape", line, sizeof line) && strstr(line, "plane:file="),
          "L on the network: the slice is the landscape: %.200s", line);
    CHECK(read_line(net_out, "section", line, sizeof line) && strncmp(line, "on=1", 4) == 0,
          "L on the network: the cross-section is on: %.200s", line);
    printf("  Shift+J: the slice through step %ld as a plane landscape, the runner on it as trace\n", step);
}

/* A scene file NAME in tmpdir with text; its path in path. 0, or -1 (checked). */
static int write_scene_file(const char *name, const char *text, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        CHECK(0, "%s", path);
        return -1;
    }
    fputs(text, f);
    fclose(f);
    return 0;
}

/* A scene's seeds = K, STEPS, GTOL: the window's scatter is net spectrum --seeds K
 * --steps STEPS --gtol GTOL of the same network, data and optimizer, seed for seed
 * and digit for digit (each seed trained and its Hessian taken in a worker). */
static void test_net_seeds(void)
{
    char path[512], cmd[4096], want[8192], got[8192];
    if (write_scene_file("seeds.scene", "[scene]\ntitle = seeds\n[net]\nnet = mlp:2,4,1,act=tanh,loss=bce\n"
                         "data = moons:n=60\noptimizer = adam:lr=0.05\nseed = 3\nseeds = 6, 300, 0.001\n",
                         path, sizeof path) != 0)
        return;
    snprintf(cmd, sizeof cmd, "%s --scene %s --frames 6 --print-state 2>&1", bin, path);
    if (run(cmd, net_out, sizeof net_out) != 0) { CHECK(0, "window: %.300s", net_out); return; }
    net_rows(net_out, "net_seed", got, sizeof got);
    snprintf(cmd, sizeof cmd, "%s net spectrum --scene %s --seeds 6 --steps 300 --gtol 0.001 2>&1 | tail -n +2", bin,
             path);
    CHECK(run(cmd, want, sizeof want) == 0, "%s", cmd);
    CHECK(count_lines(got) == 6, "six seeds in the window: %ld", count_lines(got));
    CHECK(strncmp(got, "3,", 2) == 0, "the seeds start at the scene's seed: %.40s", got);
    CHECK(strcmp(got, want) == 0, "the window's seeds are net spectrum --seeds': window\n%s\nnet spectrum\n%s", got,
          want);
    printf("  seeds = 6: the window's scatter is net spectrum --seeds 6's, digit for digit\n");
}

/* R with the network lab shown: every lab starts again from step 0 (the reset
 * button too): the rows after it are net train's from 0, for both labs of a race. */
static void test_net_reset(void)
{
    char path[512], cmd[4096], l1[1024], l2[1024];
    if (write_scene_file("reset.scene", "[scene]\ntitle = reset\n[net]\nnet = mlp:2,6,1,act=tanh,loss=bce\n"
                         "data = moons:n=80\noptimizer = sgd:lr=0.3\n[net]\nnet = mlp:2,3,1,act=tanh,loss=bce\n"
                         "data = moons:n=80\nlabel = small\n", path, sizeof path) != 0)
        return;
    /* 10 updates a frame; R in the sixth of nine frames */
    snprintf(cmd, sizeof cmd, "%s --scene %s --speed 600 --frames 9 --print-state --script 'wait 5; key r' 2>&1", bin,
             path);
    if (run(cmd, net_out, sizeof net_out) != 0) { CHECK(0, "window: %.300s", net_out); return; }
    net_rows(net_out, "net_row", net_rows_a, sizeof net_rows_a);
    net_rows(net_out, "net2_row", net_rows_b, sizeof net_rows_b);
    long n = count_lines(net_rows_a) - 1;
    CHECK(n > 0 && n < 90, "after R the lab has %ld updates, fewer than the 90 of nine frames", n);
    CHECK(count_lines(net_rows_b) - 1 == n, "the second lab started again with it: %ld rows", count_lines(net_rows_b));
    snprintf(l1, sizeof l1, "--scene %s --steps %ld", path, n);
    snprintf(l2, sizeof l2, "--scene %s --lab 2 --steps %ld", path, n);
    static char want[1 << 17];
    if (net_train_rows(l1, want, sizeof want) == 0) check_rows_equal(net_rows_a, want, n + 1, "after R, lab 1");
    if (net_train_rows(l2, want, sizeof want) == 0) check_rows_equal(net_rows_b, want, n + 1, "after R, lab 2");
    printf("  R: both labs from step 0 again, %ld updates since, as net train\n", n);
}

/* The speed is updates a second whatever the frame rate: 20 steps/s for 60 frames
 * (1 s of a --frames run) is 20 updates, not one a frame. */
static void test_net_speed(void)
{
    char path[512], cmd[4096];
    if (write_scene_file("speed.scene", "[scene]\ntitle = speed\n[net]\nnet = mlp:2,4,1,act=tanh,loss=bce\n"
                         "data = moons:n=60\n[play]\nspeed = 20\n", path, sizeof path) != 0)
        return;
    snprintf(cmd, sizeof cmd, "%s --scene %s --frames 60 --print-state 2>&1", bin, path);
    if (run(cmd, net_out, sizeof net_out) != 0) { CHECK(0, "window: %.300s", net_out); return; }
    net_rows(net_out, "net_row", net_rows_a, sizeof net_rows_a);
    CHECK(count_lines(net_rows_a) == 21, "20 steps/s for 1 s: 20 updates, rows 0..20 (got %ld rows)",
          count_lines(net_rows_a));
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: test_window OPTISCAPE\n"); return 2; }
    bin = argv[1];
    snprintf(tmpdir, sizeof tmpdir, "/tmp/optiscape-test-window-XXXXXX");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 1; }
    /* is there a window at all? */
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s --frames 1 --size 64x64 2>&1", bin);
    if (run(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "test_window: no window can be opened here, skipping: %s\n", out);
        return getenv("OPTISCAPE_REQUIRE_GL") ? 1 : 77;
    }
    test_runner_positions();
    test_iso_lines();
    test_saddle_arrows();
    test_script();
    test_keys_and_formula();
    test_shots();
    test_scenes();
    test_swarm_basins();
    test_bad_options();
    test_failures();
    test_fit_clear();
    test_fit_class();
    test_help_scroll();
    test_status_fits();
    test_net_scene();
    test_net_panel();
    test_net_step();
    test_net_plane();
    test_net_seeds();
    test_net_reset();
    test_net_speed();
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    run(cmd, NULL, 0);
    return check_done("test_window");
}
