/* test_view3d: the 3D view. Without GL: the default camera fits the surface in
 * the canvas, orbiting turns it the way the pointer goes, zoom and pitch stay in
 * their limits, panning moves the surface with the pointer, points behind the
 * camera are refused, --camera is parsed or refused with a message. With the
 * optiscape binary as the argument, its pictures, offscreen, probed pixel by pixel:
 * `render --3d` of a bowl has the surface in the middle and the background in the
 * corners and differs from the map; --camera turns it; sizes beyond one piece and
 * .svg are refused; in the window the runner's colour is where --print-state says
 * it is drawn, a drag orbits and the wheel zooms, D goes to 3D and back to the same
 * map, F12 and Shift+F12 save the 3D view, and no GL error happens (the window and
 * render exit 1 on any). Two scenes drawn in turn through a cache each are the
 * pictures each draws alone (the caches are the caller's, not the module's).
 * Pictures are skipped (not failed) only where no OpenGL can be had at all, unless
 * OPTISCAPE_REQUIRE_GL is set. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "image.h"
#include "app/platform/glctx.h"
#include "app/views/view3d.h"
#include "core/optim.h"

static const char *bin;
static char tmpdir[256];

static scene_view canvas(float w, float h, double x0, double x1, double y0, double y1)
{
    scene_view sv;
    memset(&sv, 0, sizeof sv);
    sv.w = w;
    sv.h = h;
    sv.scale = 1;
    sv.view[0] = x0;
    sv.view[1] = x1;
    sv.view[2] = y0;
    sv.view[3] = y1;
    return sv;
}

/* Project the world point (x, y) at mapped height t. */
static int proj(const view3d_proj *P, double x, double y, double t, float *px, float *py)
{
    double b[3] = {(x - P->cx) / P->s, (y - P->cy) / P->s, t * P->height};
    return view3d_project(P, b, px, py);
}

/* The default camera shows the whole slab inside the canvas, and fills it. */
static void test_fit(void)
{
    static const float sizes[][2] = {{1280, 800}, {800, 1280}, {600, 600}, {1600, 1000}};
    static const double views[][4] = {{-3, 3, -1, 3}, {-6, 6, -6, 6}, {1e6, 1e6 + 1e-6, -1e-6, 0}, {-1, 1, -5, 5}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (size_t j = 0; j < sizeof views / sizeof *views; j++) {
            scene_view sv = canvas(sizes[i][0], sizes[i][1], views[j][0], views[j][1], views[j][2], views[j][3]);
            cam3d c;
            cam3d_defaults(&c);
            view3d_proj P;
            view3d_projection(&c, &sv, &P);
            float minx = 1e9f, maxx = -1e9f, miny = 1e9f, maxy = -1e9f;
            int ok = 1;
            for (int k = 0; k < 8; k++) {
                double x = sv.view[k & 1], y = sv.view[2 + (k >> 1 & 1)];
                double b[3] = {(x - P.cx) / P.s, (y - P.cy) / P.s, k & 4 ? P.height : P.floor_z};
                float px, py;
                ok &= view3d_project(&P, b, &px, &py);
                minx = fminf(minx, px);
                maxx = fmaxf(maxx, px);
                miny = fminf(miny, py);
                maxy = fmaxf(maxy, py);
            }
            CHECK(ok, "every corner of the slab is in front of the camera (canvas %zu, view %zu)", i, j);
            CHECK(minx >= 0 && maxx <= sv.w && miny >= 0 && maxy <= sv.h,
                  "canvas %zu, view %zu: the slab [%.0f, %.0f] x [%.0f, %.0f] inside %.0fx%.0f", i, j, minx, maxx,
                  miny, maxy, sv.w, sv.h);
            CHECK(maxx - minx > 0.6f * sv.w || maxy - miny > 0.6f * sv.h,
                  "canvas %zu, view %zu: the slab fills the canvas: %.0f x %.0f of %.0fx%.0f", i, j, maxx - minx,
                  maxy - miny, sv.w, sv.h);
            float cx, cy;
            CHECK(proj(&P, 0.5 * (sv.view[0] + sv.view[1]), 0.5 * (sv.view[2] + sv.view[3]), 0.32, &cx, &cy) &&
                      fabsf(cx - sv.w / 2) < 1 && fabsf(cy - sv.h / 2) < 1,
                  "the camera looks at the view's centre: (%.1f, %.1f)", cx, cy);
        }
}

/* Dragging right turns the surface to the right: the point nearest the camera
 * moves right. Dragging down tilts towards a view from above. */
static void test_orbit(void)
{
    scene_view sv = canvas(1000, 800, -1, 1, -1, 1);
    cam3d c;
    cam3d_defaults(&c);
    view3d_proj P;
    view3d_projection(&c, &sv, &P);
    /* the point of the unit circle nearest the camera */
    double e = atan2(P.eye[1] - P.target[1], P.eye[0] - P.target[0]);
    double nx = 0.8 * cos(e), ny = 0.8 * sin(e);
    float x0, y0, x1, y1;
    proj(&P, nx, ny, 0, &x0, &y0);
    cam3d_orbit(&c, 20, 0);
    view3d_projection(&c, &sv, &P);
    proj(&P, nx, ny, 0, &x1, &y1);
    CHECK(x1 > x0 + 5, "a drag to the right moves the near side right: %.1f -> %.1f", x0, x1);
    CHECK_NEAR(c.yaw, -32 + 8, 1e-12, 1e-12, "0.4 degrees a pixel");

    double p0 = c.pitch;
    cam3d_orbit(&c, 0, 30);
    CHECK(c.pitch > p0, "a drag down raises the camera: %.1f -> %.1f", p0, c.pitch);
    cam3d_orbit(&c, 0, 1e6);
    CHECK(c.pitch == CAM3D_PITCH_MAX, "pitch stops at %g: %g", CAM3D_PITCH_MAX, c.pitch);
    cam3d_orbit(&c, 0, -1e6);
    CHECK(c.pitch == CAM3D_PITCH_MIN, "pitch stops at %g: %g", CAM3D_PITCH_MIN, c.pitch);
    for (int i = 0; i < 100; i++) cam3d_orbit(&c, 333, 0);
    CHECK(c.yaw > -180 && c.yaw <= 180, "yaw stays in (-180, 180]: %g", c.yaw);
    cam3d before = c;
    cam3d_orbit(&c, NAN, 1);
    cam3d_orbit(&c, 1, INFINITY);
    CHECK(memcmp(&before, &c, sizeof c) == 0, "a drag by NaN or infinity changes nothing");

    /* half a turn mirrors left and right */
    cam3d_defaults(&c);
    view3d_projection(&c, &sv, &P);
    float ax, ay, bx, by;
    proj(&P, -0.5, 0, 0, &ax, &ay);
    proj(&P, 0.5, 0, 0, &bx, &by);
    cam3d_orbit(&c, 180 / 0.4, 0);
    view3d_projection(&c, &sv, &P);
    float cx, cy, dx, dy;
    proj(&P, -0.5, 0, 0, &cx, &cy);
    proj(&P, 0.5, 0, 0, &dx, &dy);
    CHECK((ax < bx) != (cx < dx), "half a turn swaps left and right: %.0f,%.0f then %.0f,%.0f", ax, bx, cx, dx);
}

static void test_zoom_pan(void)
{
    scene_view sv = canvas(1000, 800, -2, 2, -2, 2);
    cam3d c;
    cam3d_defaults(&c);
    view3d_proj P;
    view3d_projection(&c, &sv, &P);
    float ax, ay, bx, by;
    proj(&P, -1, 0, 0, &ax, &ay);
    proj(&P, 1, 0, 0, &bx, &by);
    float w0 = hypotf(bx - ax, by - ay);
    cam3d_zoom(&c, 2);
    view3d_projection(&c, &sv, &P);
    proj(&P, -1, 0, 0, &ax, &ay);
    proj(&P, 1, 0, 0, &bx, &by);
    float w1 = hypotf(bx - ax, by - ay);
    CHECK(w1 > 1.6f * w0, "zooming in by 2 makes the surface larger: %.0f -> %.0f", w0, w1);
    cam3d_zoom(&c, 1e9);
    CHECK(c.zoom == CAM3D_ZOOM_MAX, "zoom stops at %g: %g", CAM3D_ZOOM_MAX, c.zoom);
    cam3d_zoom(&c, 1e-9);
    CHECK(c.zoom == CAM3D_ZOOM_MIN, "zoom stops at %g: %g", CAM3D_ZOOM_MIN, c.zoom);
    cam3d_zoom(&c, 0);
    cam3d_zoom(&c, NAN);
    CHECK(c.zoom == CAM3D_ZOOM_MIN, "a zoom by 0 or NaN changes nothing: %g", c.zoom);

    /* a pan drag moves the point under the target with the pointer */
    cam3d_defaults(&c);
    view3d_projection(&c, &sv, &P);
    double tx = P.cx + P.target[0] * P.s, ty = P.cy + P.target[1] * P.s;
    float x0, y0, x1, y1;
    proj(&P, tx, ty, P.target[2] / P.height, &x0, &y0);
    cam3d_pan(&c, &sv, 40, 0);
    view3d_projection(&c, &sv, &P);
    proj(&P, tx, ty, 0.32, &x1, &y1);
    CHECK(fabsf(x1 - x0 - 40) < 4 && fabsf(y1 - y0) < 4, "a pan 40 px right moves the surface with it: (%.1f, %.1f)",
          x1 - x0, y1 - y0);
    cam3d_pan(&c, &sv, 1e7, -1e7);
    CHECK(fabs(c.target[0]) <= 1 && fabs(c.target[1]) <= 1, "the target stays over the surface: %g, %g",
          c.target[0], c.target[1]);

    /* behind the camera */
    view3d_projection(&c, &sv, &P);
    double behind[3] = {2 * P.eye[0] - P.target[0], 2 * P.eye[1] - P.target[1], 2 * P.eye[2] - P.target[2]};
    float px, py;
    CHECK(!view3d_project(&P, behind, &px, &py), "a point behind the camera is not drawn");
}

static void test_parse(void)
{
    cam3d c;
    char err[256];
    CHECK(cam3d_parse("30,60", &c, err, sizeof err) == 0 && c.yaw == 30 && c.pitch == 60 && c.zoom == 1,
          "30,60: yaw %g pitch %g zoom %g", c.yaw, c.pitch, c.zoom);
    CHECK(cam3d_parse("-200,45,2.5", &c, err, sizeof err) == 0 && fabs(c.yaw - 160) < 1e-9 && c.zoom == 2.5,
          "-200,45,2.5: yaw %g zoom %g", c.yaw, c.zoom);
    static const char *const bad[] = {"", "30", "30,", "30,60,", "a,b", "30,60,1,2", "30,95", "30,2", "30,60,0",
                                      "30,60,100", "nan,45", "30,inf"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = 0;
        CHECK(cam3d_parse(bad[i], &c, err, sizeof err) != 0 && strstr(err, "--camera"),
              "'%s' refused with a message: %s", bad[i], err);
    }
}

/* ---- pictures, through the binary ------------------------------------------------ */

#define BG 0x14161affu   /* the dark theme's background */
#define SGD 0xE69F00ffu  /* the first runner's colour */

/* The distance of the pixel at (x, y) from colour c (RGB). */
static int color_dist(const image *im, int x, int y, unsigned c)
{
    const unsigned char *p = at(im, x, y);
    return abs(p[0] - (int)(c >> 24 & 255)) + abs(p[1] - (int)(c >> 16 & 255)) + abs(p[2] - (int)(c >> 8 & 255));
}

/* Samples (every other pixel of the top w x h) that differ by more than a little. */
static long differing(const image *a, const image *b, int w, int h)
{
    long n = 0;
    for (int y = 0; y < h; y += 2)
        for (int x = 0; x < w; x += 2) {
            const unsigned char *p = at(a, x, y), *q = at(b, x, y);
            n += abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) > 12;
        }
    return n;
}

/* bin ARGS, writing the picture NAME (by --out or --screenshot, as args says) in
 * tmpdir; the output in out, the picture in im. 0 or the exit status. */
static int picture(const char *args, const char *name, image *im, char *out, size_t outlen)
{
    return shot_run(bin, args, "", tmpdir, name, im, out, outlen);
}

static void test_render(void)
{
    const char *bowl = "render --expr 'x^2+y^2' --view -3,3,-3,3 --size 640x400 --legend off --force";
    char args[1024], out[8192];
    image flat, d3, turned;
    snprintf(args, sizeof args, "%s --3d --out", bowl);
    if (picture(args, "bowl3d.png", &d3, out, sizeof out) != 0) { CHECK(0, "render --3d"); return; }
    CHECK(d3.w == 640 && d3.h == 400, "the 3D figure is 640x400: %dx%d", d3.w, d3.h);
    CHECK(color_dist(&d3, 320, 200, BG) > 60, "the surface at the centre: distance %d from the background",
          color_dist(&d3, 320, 200, BG));
    static const int corner[4][2] = {{2, 2}, {637, 2}, {2, 397}, {637, 397}};
    for (int i = 0; i < 4; i++)
        CHECK(color_dist(&d3, corner[i][0], corner[i][1], BG) < 8, "the background at corner %d: distance %d", i,
              color_dist(&d3, corner[i][0], corner[i][1], BG));
    /* not the map */
    snprintf(args, sizeof args, "%s --out", bowl);
    if (picture(args, "bowl2d.png", &flat, out, sizeof out) == 0) {
        long n = differing(&flat, &d3, 640, 400);
        CHECK(n > 64000 / 3, "the 3D figure is not the map: %ld of 64000 samples differ", n);
        free(flat.px);
    } else {
        CHECK(0, "render the map");
    }
    snprintf(args, sizeof args, "%s --camera 120,70 --out", bowl);
    if (picture(args, "bowl3d_turned.png", &turned, out, sizeof out) == 0) {
        long n = differing(&turned, &d3, 640, 400);
        CHECK(n > 64000 / 10, "--camera turns the figure: %ld of 64000 samples differ", n);
        CHECK(color_dist(&turned, 320, 200, BG) > 60, "the surface at the centre from above too");
        free(turned.px);
    } else {
        CHECK(0, "render --camera");
    }
    free(d3.px);
    /* refused with status 2 and one line */
    static const char *const bad[] = {"--3d --out %s/x.svg", "--camera 10,95 --out %s/x.png",
                                      "--camera 10 --out %s/x.png", "--3d --size 16000x300 --out %s/x.png"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char opts[600], cmd[1024];
        snprintf(opts, sizeof opts, bad[i], tmpdir);
        snprintf(cmd, sizeof cmd, "%s render --expr 'x^2+y^2' %s 2>&1 >/dev/null", bin, opts);
        int rc = run(cmd, out, sizeof out);
        CHECK(rc == 2, "'%s' exits 2, got %d: %s", opts, rc, out);
        CHECK(strchr(out, '\n') == out + strlen(out) - 1, "'%s': one line, got '%s'", opts, out);
    }
}

static void test_window(void)
{
    const char *base = "--expr 'x^2+y^2' --view -3,3,-3,3 --optimizer sgd:lr=0.01 --start -2,2 --steps 10 "
                       "--paused --size 640x524 --panel off --legend off --chart off --print-state --force";
    char args[4096], out[16384];
    image im, orb, map, back;
    snprintf(args, sizeof args, "%s --3d --frames 3 --screenshot", base);
    if (picture(args, "w3d.png", &im, out, sizeof out) != 0) { CHECK(0, "3D window"); return; }
    CHECK_STR_CONTAINS(out, "view3d yaw=-32 pitch=46 zoom=1 ", "the default camera is printed");
    int k, hidden = -1;
    float px = 0, py = 0;
    const char *r = strstr(out, "runner3d 0 ");
    CHECK(r && sscanf(r, "runner3d %d px=%f py=%f hidden=%d", &k, &px, &py, &hidden) == 4,
          "the runner's pixel in 3D is printed: %s", r ? r : out);
    if (hidden >= 0) {
        CHECK(hidden == 0, "a runner on the slope facing the camera is in view");
        CHECK(px > 40 && px < 600 && py > 40 && py < 460, "the runner is on the canvas: (%.1f, %.1f)", px, py);
        int d = nearest(&im, px, py, 2, SGD);
        CHECK(d < 40, "the runner's colour where it is drawn, (%.1f, %.1f): distance %d", px, py, d);
        int far = nearest(&im, 640 - px, 500 - py, 2, SGD);
        CHECK(far > 80, "and not at the mirror point: distance %d", far);
    }
    CHECK(color_dist(&im, 320, 250, BG) > 60, "the surface at the canvas' centre");
    CHECK(color_dist(&im, 3, 3, BG) < 8 && color_dist(&im, 636, 3, BG) < 8, "the background in the top corners");

    /* a drag orbits, the wheel zooms */
    snprintf(args, sizeof args, "%s --3d --frames 8 --script 'down 200 250; move 260 270; move 320 290; "
             "up 320 290; wheel 320 250 2' --screenshot", base);
    if (picture(args, "w3d_orbit.png", &orb, out, sizeof out) == 0) {
        double yaw = 0, pitch = 0, zoom = 0;
        r = strstr(out, "view3d ");
        CHECK(r && sscanf(r, "view3d yaw=%lf pitch=%lf zoom=%lf", &yaw, &pitch, &zoom) == 3, "camera printed");
        CHECK(fabs(yaw - (-32 + 0.4 * 120)) < 1e-6 && fabs(pitch - (46 + 0.3 * 40)) < 1e-6,
              "the drag of (120, 40) pixels turned the camera: yaw %g, pitch %g", yaw, pitch);
        CHECK(fabs(zoom - 1.44) < 1e-6, "two wheel steps zoom by 1.2^2: %g", zoom);
        long n = differing(&im, &orb, 640, 500);
        CHECK(n > 80000 / 4, "orbiting changes the picture: %ld of 80000 samples", n);
        CHECK(strstr(out, "start -2,2") != NULL, "a drag in 3D does not move the start: %s", out);
        free(orb.px);
    } else {
        CHECK(0, "3D orbit");
    }

    /* D: from the map to 3D and back to the same map */
    snprintf(args, sizeof args, "%s --frames 2 --screenshot", base);
    if (picture(args, "w3d_map.png", &map, out, sizeof out) == 0) {
        long n = differing(&map, &im, 640, 500);
        CHECK(n > 80000 / 3, "the 3D view is not the map: %ld of 80000 samples differ", n);
        snprintf(args, sizeof args, "%s --frames 6 --script 'key D; wait 1; key D; wait 1' --screenshot", base);
        if (picture(args, "w3d_back.png", &back, out, sizeof out) == 0) {
            long same = 0;
            for (int y = 0; y < 500; y++)
                for (int x = 0; x < 640; x++) same += memcmp(at(&map, x, y), at(&back, x, y), 3) != 0;
            CHECK(same == 0, "D twice: the same map as before (%ld pixels differ)", same);
            CHECK(strstr(out, "view3d ") == NULL, "back on the map: no 3D state printed");
            free(back.px);
        } else {
            CHECK(0, "D twice");
        }
        free(map.px);
    } else {
        CHECK(0, "the map");
    }
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "%s %s --frames 4 --script 'key D; wait 1'", bin, base);
    CHECK(run(cmd, out, sizeof out) == 0 && strstr(out, "view3d yaw=-32"), "D opens the 3D view: %s", out);

    /* F12 and Shift+F12 in 3D */
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/shots", tmpdir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    run(cmd, NULL, 0);
    snprintf(cmd, sizeof cmd, "%s %s --3d --frames 6 --shots-dir %s --script 'key F12; wait 1; key Shift+F12; "
             "wait 1' 2>&1", bin, base, dir);
    CHECK(run(cmd, out, sizeof out) == 0 && strstr(out, "saved"), "3D shots: %s", out);
    image s1, s2;
    snprintf(path, sizeof path, "%s/optiscape-0001.png", dir);
    if (load_png(path, &s1) == 0) {
        CHECK(s1.w == 640 && s1.h == 524, "F12 in 3D: the window at its size: %dx%d", s1.w, s1.h);
        long n = differing(&s1, &im, 640, 500);
        CHECK(n < 200, "F12 saves the 3D picture on the screen (%ld samples differ)", n);
        free(s1.px);
    } else {
        CHECK(0, "F12 in 3D wrote %s", path);
    }
    snprintf(path, sizeof path, "%s/optiscape-0002.png", dir);
    if (load_png(path, &s2) == 0) {
        CHECK(s2.w == 1280 && s2.h > 900 && s2.h < 1048, "Shift+F12 in 3D: the canvas at 2x: %dx%d", s2.w, s2.h);
        CHECK(color_dist(&s2, s2.w / 2, s2.h / 2, BG) > 60 && color_dist(&s2, 4, 4, BG) < 8,
              "the 2x 3D shot: the surface in the middle, the background in the corner");
        free(s2.px);
    } else {
        CHECK(0, "Shift+F12 in 3D wrote %s", path);
    }
    free(im.px);
}

/* A scene of its own for the cache test: a data landscape, its view, one minibatch
 * runner selected that stays at its start (lr: a step too small to see) off the
 * canvas, no field, legend, chart, trails, arrows or critical points: what differs
 * between two such scenes is the minibatch's iso-lines (from the view's cache). */
typedef struct cache_scene {
    live L;
    scene_field sf;
    scene_view sv;
} cache_scene;

enum { CW = 320, CH = 200 };

static int cache_scene_init(cache_scene *S, const char *spec, double lr)
{
    landscape ls;
    char err[256];
    if (landscape_load(&ls, spec, err, sizeof err) != 0) {
        CHECK(0, "%s: %s", spec, err);
        return -1;
    }
    live_init(&S->L, &ls, -1);
    runner_desc d;
    memset(&d, 0, sizeof d);
    CHECK(optim_parse("sgd", &d.opt, err, sizeof err) == 0, "%s", err);
    d.opt.lr = lr;
    d.sched = sched_defaults(SCHED_CONSTANT);
    d.batch = 8;
    d.start[0] = d.start[1] = 50;   /* off the canvas: the same arrow at its edge in both */
    CHECK(live_add(&S->L, &d) == 0, "a runner on %s", spec);
    S->L.selected = 0;
    live_set_start(&S->L, 50, 50);
    live_step(&S->L, 30);
    S->L.disp.legend = S->L.disp.chart = S->L.disp.trails = S->L.disp.grad_arrows = S->L.disp.update_arrows =
        S->L.disp.crit = 0;
    memset(&S->sf, 0, sizeof S->sf);
    S->sv = canvas(CW, CH, -1, 5, -4, 2);   /* both scenes in the same view */
    return 0;
}

static void cache_draw(gfx *g, const cache_scene *S, scene_view_cache *c, unsigned char *px)
{
    scene_view sv = S->sv;
    sv.cache = c;
    gfx_begin(g, CW, CH);
    gfx_clear(g, 0x202020ffu);
    scene_draw(g, &S->L, &S->sf, &sv);
    gfx_end(g);
    gfx_read_pixels(g, 0, 0, CW, CH, px);
}

/* Two scenes that differ only in their data, drawn alone through a fresh cache each
 * and then in turn through a cache each, draw their own minibatch's lines: nothing
 * one draws is kept where the other finds it (their batches, steps, runners and
 * views are the same, so a cache shared by both would give the second the first's
 * lines). */
static void test_caches(gfx *g)
{
    static cache_scene A, B;
    if (cache_scene_init(&A, "linreg:seed=1", 1e-9) != 0 || cache_scene_init(&B, "linreg:seed=7", 1e-9) != 0)
        return;
    static unsigned char alone[2][CW * CH * 4], px[CW * CH * 4];
    const cache_scene *scene[2] = {&A, &B};
    for (int i = 0; i < 2; i++) {
        scene_view_cache *c = scene_view_cache_new();
        cache_draw(g, scene[i], c, alone[i]);
        scene_view_cache_free(c);
    }
    CHECK(memcmp(alone[0], alone[1], sizeof px) != 0, "the two scenes draw different minibatch lines");
    A.L.disp.batch_contour = 0;
    scene_view_cache *c0 = scene_view_cache_new();
    cache_draw(g, &A, c0, px);
    scene_view_cache_free(c0);
    A.L.disp.batch_contour = 1;
    CHECK(memcmp(alone[0], px, sizeof px) != 0, "the minibatch's iso-lines are in the picture");
    scene_view_cache *c[2] = {scene_view_cache_new(), scene_view_cache_new()};
    for (int round = 0; round < 4; round++) {
        int i = round % 2;
        cache_draw(g, scene[i], c[i], px);
        long n = 0;
        for (size_t k = 0; k < sizeof px; k++) n += px[k] != alone[i][k];
        CHECK(n == 0, "scene %d drawn in turn with the other (round %d) is the picture it draws alone: "
              "%ld bytes differ", i, round, n);
    }
    scene_view_cache_free(c[0]);
    scene_view_cache_free(c[1]);
    live_free(&A.L);
    live_free(&B.L);
}

/* In this process, offscreen: the caches of two scenes. */
static void test_in_process(void)
{
    glctx c;
    if (glctx_open(&c, &(glctx_desc){.offscreen = 1, .title = "test_view3d"}) != GLCTX_OK) {
        fprintf(stderr, "test_view3d: no OpenGL 3.3 core context (%s): the cache test is skipped\n", c.why);
        CHECK(!getenv("OPTISCAPE_REQUIRE_GL"), "OPTISCAPE_REQUIRE_GL: OpenGL is required");
        return;
    }
    char err[2048];
    gfx *g = gfx_create(NULL, err, sizeof err);
    CHECK(g != NULL, "gfx_create: %s", err);
    gfx_target *t = g ? gfx_target_create(g, CW, CH, err, sizeof err) : NULL;
    CHECK(!g || t, "gfx_target_create: %s", err);
    if (t) {
        gfx_target_bind(g, t);
        test_caches(g);
        gfx_target_bind(g, NULL);
        gfx_target_destroy(g, t);
    }
    if (g) gfx_destroy(g);
    glctx_close(&c);
}

static int pictures(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/optiscape-test-view3d-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return -1;
    }
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s render --3d --size 16x16 --out %s/probe.png 2>&1", bin, tmpdir);
    int gl = run(cmd, out, sizeof out) == 0;
    snprintf(cmd, sizeof cmd, "%s --frames 1 --size 64x64 2>&1", bin);
    int win = gl && run(cmd, out, sizeof out) == 0;
    if (!win) {
        fprintf(stderr, "test_view3d: no OpenGL here, the pictures are skipped: %s\n", out);
        CHECK(!getenv("OPTISCAPE_REQUIRE_GL"), "OPTISCAPE_REQUIRE_GL: OpenGL is required");
    } else {
        test_render();
        test_window();
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    run(cmd, NULL, 0);
    return 0;
}

int main(int argc, char **argv)
{
    (void)to_px;   /* image.h's map rule; the 3D view has its own */
    test_fit();
    test_orbit();
    test_zoom_pan();
    test_parse();
    test_in_process();
    if (argc > 1) {
        bin = argv[1];
        if (pictures() != 0) return 1;
    }
    return check_done("test_view3d");
}
