/* test_render: `optiscape render` run as a user would, its files read back and
 * probed: PNG size, runner colours where `trace` says the runners are, the scene in
 * a tEXt chunk, themes, a transparent background, tiles and bands joined without a
 * seam, SVG that parses as XML, frame sequences, the size limit, no overwriting
 * without --force, and a place that cannot be written (exit 1, no file left). Exits
 * 77 (skip) only when no OpenGL can be had at all (unless OPTISCAPE_REQUIRE_GL). */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "image.h"

static const char *bin;
static char tmpdir[256];

/* optiscape render ARGS --out DIR/NAME; 0 and the picture in im, or the status. */
static int render(const char *args, const char *name, image *im, char *out, size_t outlen)
{
    char prefix[600];
    snprintf(prefix, sizeof prefix, "%s render", bin);
    return shot_run(prefix, args, "--out", tmpdir, name, im, out, outlen);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The file's bytes contain s (tEXt chunks are stored uncompressed). */
static int file_contains(const char *path, const char *s)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t cap = 1 << 22, n;
    char *buf = malloc(cap);
    n = buf ? fread(buf, 1, cap, f) : 0;
    fclose(f);
    int found = 0;
    size_t m = strlen(s);
    for (size_t i = 0; i + m <= n && !found; i++) found = memcmp(buf + i, s, m) == 0;
    free(buf);
    return found;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

static double luminance(const image *im)
{
    double s = 0;
    for (long i = 0; i < (long)im->w * im->h; i++)
        s += 0.2126 * im->px[4 * i] + 0.7152 * im->px[4 * i + 1] + 0.0722 * im->px[4 * i + 2];
    return s / ((double)im->w * im->h);
}

/* Each runner is drawn in its palette colour where trace puts it after 40 steps. */
static void test_png_runners(void)
{
    const char *scene = "--landscape himmelblau --optimizer sgd:lr=0.01 --optimizer adam:lr=0.1 "
                        "--start 0.5,-0.5 --view -6,6,-6,6";
    double v[4] = {-6, 6, -6, 6};
    char args[1024], cmd[2048], out[8192];
    image im;
    snprintf(args, sizeof args, "%s --steps 40 --size 640x480 --legend off --critical off", scene);
    if (render(args, "runners.png", &im, NULL, 0) != 0) { CHECK(0, "render"); return; }
    CHECK(im.w == 640 && im.h == 480, "the PNG is 640x480: %dx%d", im.w, im.h);
    static const unsigned pal[2] = {0xE69F00ffu, 0x56B4E9ffu};
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd, "%s trace --landscape himmelblau --optimizer %s --start 0.5,-0.5 "
                 "--steps 40 | tail -n 1", bin, k == 0 ? "sgd:lr=0.01" : "adam:lr=0.1");
        CHECK(run(cmd, out, sizeof out) == 0, "trace");
        long step;
        double x, y;
        CHECK(sscanf(out, "%ld,%lf,%lf", &step, &x, &y) == 3 && step == 40, "trace row: %s", out);
        double px, py, qx, qy;
        to_px(v, 640, 480, x, y, &px, &py);
        CHECK(nearest(&im, px, py, 1, pal[k]) < 30, "runner %d drawn at (%.1f, %.1f) where trace puts it", k, px, py);
        to_px(v, 640, 480, -x, -y, &qx, &qy);
        CHECK(nearest(&im, qx, qy, 1, pal[k]) > 60, "runner %d colour absent at the mirror point", k);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/runners.png", tmpdir);
    CHECK(file_contains(path, "tEXtDescription") && file_contains(path, "landscape himmelblau"),
          "the scene is stored in a tEXt chunk");
    CHECK(file_contains(path, "adam  lr=0.1"), "the runners' hyperparameters are in the description");
    CHECK(file_contains(path, "tEXtSource") && file_contains(path, "optiscape render --landscape himmelblau"),
          "the command that made the figure is stored");
    free(im.px);
}

/* Dark and light themes; a transparent background. */
static void test_themes(void)
{
    image dark, light, clear;
    const char *base = "--landscape himmelblau --view -6,6,-6,6 --steps 30 --size 400x300";
    char args[1024];
    if (render(base, "dark.png", &dark, NULL, 0) != 0) { CHECK(0, "render dark"); return; }
    snprintf(args, sizeof args, "%s --theme light", base);
    if (render(args, "light.png", &light, NULL, 0) != 0) { CHECK(0, "render light"); free(dark.px); return; }
    snprintf(args, sizeof args, "%s --transparent", base);
    if (render(args, "clear.png", &clear, NULL, 0) != 0) { CHECK(0, "render clear"); free(dark.px); free(light.px); return; }
    double ld = luminance(&dark), ll = luminance(&light);
    CHECK(ll > 170 && ld < 150, "light theme is light (%.0f), dark is dark (%.0f)", ll, ld);
    /* --cmap light, as the window takes it: the light theme's colour map, so the same
       picture as --theme light */
    image lcmap;
    snprintf(args, sizeof args, "%s --cmap light", base);
    if (render(args, "cmap-light.png", &lcmap, NULL, 0) != 0) {
        CHECK(0, "render --cmap light");
    } else {
        CHECK(lcmap.w == light.w && lcmap.h == light.h &&
              memcmp(lcmap.px, light.px, (size_t)light.w * light.h * 4) == 0,
              "--cmap light draws what --theme light draws");
        free(lcmap.px);
    }
    long opaque_dark = 0, see_through = 0, n = (long)clear.w * clear.h;
    for (long i = 0; i < n; i++) {
        opaque_dark += dark.px[4 * i + 3] == 255;
        see_through += clear.px[4 * i + 3] == 0;
    }
    CHECK(opaque_dark == n, "a dark figure is opaque");
    CHECK(see_through > n / 2, "a transparent figure is mostly transparent: %ld of %ld", see_through, n);
    CHECK(see_through < n - n / 50, "a transparent figure still has lines and marks: %ld of %ld clear", see_through, n);
    free(dark.px);
    free(light.px);
    free(clear.px);
}

/* Wider than one tile (4096) and taller than one band (1024): the pieces join with
 * no seam, so the step across a joint is like the step between its neighbours. */
static void test_tiles(void)
{
    image im;
    if (render("--landscape rosenbrock --steps 20 --size 4300x1100 --legend off", "big.png", &im, NULL, 0) != 0) {
        CHECK(0, "render 4300x1100");
        return;
    }
    CHECK(im.w == 4300 && im.h == 1100, "big figure is 4300x1100: %dx%d", im.w, im.h);
    double seam = 0, beside = 0;
    for (int y = 0; y < im.h; y++) {
        const unsigned char *a = at(&im, 4095, y), *b = at(&im, 4096, y), *c = at(&im, 4094, y);
        for (int k = 0; k < 3; k++) {
            seam += abs(a[k] - b[k]);
            beside += abs(a[k] - c[k]);
        }
    }
    CHECK(seam <= 2 * beside + 3.0 * im.h, "no seam between tiles: %.0f across against %.0f beside", seam, beside);
    seam = beside = 0;
    for (int x = 0; x < im.w; x++) {
        const unsigned char *a = at(&im, x, 1023), *b = at(&im, x, 1024), *c = at(&im, x, 1022);
        for (int k = 0; k < 3; k++) {
            seam += abs(a[k] - b[k]);
            beside += abs(a[k] - c[k]);
        }
    }
    CHECK(seam <= 2 * beside + 3.0 * im.w, "no seam between bands: %.0f across against %.0f beside", seam, beside);
    free(im.px);
}

static void test_svg(void)
{
    char out[8192], path[512], cmd[2048];
    if (render("--landscape himmelblau --view -6,6,-6,6 --steps 50 --size 800x600", "fig.svg", NULL, out,
               sizeof out) != 0) {
        CHECK(0, "render svg: %s", out);
        return;
    }
    snprintf(path, sizeof path, "%s/fig.svg", tmpdir);
    CHECK(file_size(path) > 1000, "the SVG has content");
    /* a real XML parser, where python3 is present */
    if (run("python3 -c 'import xml.etree.ElementTree' 2>/dev/null", NULL, 0) == 0) {
        snprintf(cmd, sizeof cmd,
                 "python3 -c \"import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); "
                 "print(sum(1 for e in r.iter() if e.tag.endswith('path')), "
                 "sum(1 for e in r.iter() if e.tag.endswith('image')))\" %s", path);
        int paths = -1, images = -1;
        CHECK(run(cmd, out, sizeof out) == 0 && sscanf(out, "%d %d", &paths, &images) == 2,
              "the SVG parses as XML: %s", out);
        CHECK(paths > 20, "the SVG has vector paths (iso-lines, trails, arrows): %d", paths);
        CHECK(images == 1, "one raster layer for the colour field: %d", images);
    }
}

/* --frames-dir: one PNG a frame; no overwriting without --force. */
static void test_frames(void)
{
    char cmd[2048], out[4096], dir[512];
    snprintf(dir, sizeof dir, "%s/frames", tmpdir);
    snprintf(cmd, sizeof cmd, "%s render --landscape rosenbrock --steps 50 --fps 10 --speed 100 --size 160x100 "
             "--frames-dir %s 2>&1", bin, dir);
    CHECK(run(cmd, out, sizeof out) == 0, "frames: %s", out);
    CHECK(count_entries(dir) == 6, "50 steps at 100 steps/s and 10 frames/s: 6 frames, got %d", count_entries(dir));
    image im;
    char path[600];
    snprintf(path, sizeof path, "%s/frame-00005.png", dir);
    CHECK(load_png(path, &im) == 0 && im.w == 160 && im.h == 100, "frame 5 is a 160x100 PNG");
    if (im.px) free(im.px);
    CHECK(file_contains(path, "steps 50"), "the last frame is at step 50");
    snprintf(path, sizeof path, "%s/frame-00002.png", dir);
    CHECK(file_contains(path, "steps 20"), "frame 2 is at step 20");
    CHECK(run(cmd, out, sizeof out) == 2, "frames again without --force: exit 2");
    CHECK(strstr(out, "exists") != NULL, "and it says the frames exist: %s", out);
    /* an animation file needs ffmpeg: without it on PATH, a clear message and no file */
    snprintf(cmd, sizeof cmd, "PATH=/nonexistent %s render --landscape rosenbrock --steps 10 --size 64x64 "
             "--out %s/anim.mp4 2>&1", bin, tmpdir);
    CHECK(run(cmd, out, sizeof out) == 1 && strstr(out, "ffmpeg"), "no ffmpeg: exit 1 naming it: %s", out);
    snprintf(path, sizeof path, "%s/anim.mp4", tmpdir);
    CHECK(access(path, F_OK) != 0, "no animation file is left");
}

static void test_files(void)
{
    char cmd[2048], out[4096], path[1100];
    snprintf(path, sizeof path, "%s/keep.png", tmpdir);
    FILE *f = fopen(path, "w");
    if (f) { fputs("not a picture", f); fclose(f); }
    snprintf(cmd, sizeof cmd, "%s render --size 64x64 --out %s 2>&1", bin, path);
    CHECK(run(cmd, out, sizeof out) == 2, "an existing file: exit 2");
    CHECK(strstr(out, "--force") != NULL, "the message names --force: %s", out);
    CHECK(file_size(path) == 13, "the existing file is untouched");
    snprintf(cmd, sizeof cmd, "%s render --size 64x64 --out %s --force 2>&1", bin, path);
    CHECK(run(cmd, out, sizeof out) == 0, "--force replaces it: %s", out);
    image im;
    CHECK(load_png(path, &im) == 0 && im.w == 64, "and the replacement is the figure");
    if (im.px) free(im.px);

    snprintf(cmd, sizeof cmd, "%s render --size 16385x100 --out %s/huge.png 2>&1", bin, tmpdir);
    CHECK(run(cmd, out, sizeof out) == 2 && strstr(out, "16384"), "above 16384: exit 2 naming the limit: %s", out);
    snprintf(cmd, sizeof cmd, "%s render --size 64x64 --out %s/x.jpg 2>&1", bin, tmpdir);
    CHECK(run(cmd, out, sizeof out) == 2 && strstr(out, ".png"), "an unknown extension: exit 2: %s", out);
    snprintf(cmd, sizeof cmd, "%s render --landscape nope --out %s/x.png 2>&1", bin, tmpdir);
    CHECK(run(cmd, out, sizeof out) == 2, "an unknown landscape: exit 2: %s", out);
    snprintf(cmd, sizeof cmd, "%s render --expr 'x^2 + (y' --out %s/x.png 2>&1", bin, tmpdir);
    CHECK(run(cmd, out, sizeof out) == 2 && strstr(out, "column"), "a bad formula names the column: %s", out);

    /* a directory that cannot be written: exit 1 and nothing left behind. Root may
       write anywhere, so it gets a place no one can create files in. */
    char ro[512];
    if (geteuid() != 0) {
        snprintf(ro, sizeof ro, "%s/readonly", tmpdir);
        mkdir(ro, 0755);
        chmod(ro, 0555);
    } else {
        snprintf(ro, sizeof ro, "/proc");
    }
    snprintf(cmd, sizeof cmd, "%s render --size 64x64 --out %s/fig.png 2>&1", bin, ro);
    CHECK(run(cmd, out, sizeof out) == 1, "an unwritable directory: exit 1: %s", out);
    CHECK(strstr(out, "cannot write") != NULL, "and a clear message: %s", out);
    snprintf(path, sizeof path, "%s/fig.png", ro);
    CHECK(access(path, F_OK) != 0, "no file is left");
    if (geteuid() != 0) {
        CHECK(count_entries(ro) == 0, "no temporary file is left");
        chmod(ro, 0755);
        rmdir(ro);
    }
    snprintf(cmd, sizeof cmd, "%s render --size 64x64 --out %s/fig.svg 2>&1", bin, ro);
    CHECK(run(cmd, out, sizeof out) == 1, "an SVG into an unwritable directory: exit 1: %s", out);
}

/* "view X0,X1,Y0,Y1" from the PNG's Description tEXt chunk (stored uncompressed). */
static int png_view(const char *path, double v[4])
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    for (size_t i = 0; i + 5 < n; i++)
        if (memcmp(buf + i, "view ", 5) == 0 && sscanf(buf + i + 5, "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) == 4)
            return 0;
    return -1;
}

/* Mean colour difference of two pictures over the (2r+1)^2 pixels around (x, y). */
static double patch_diff(const image *a, const image *b, int x, int y, int r)
{
    double s = 0;
    int n = 0;
    for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++, n++) {
            const unsigned char *p = at(a, x + dx, y + dy), *q = at(b, x + dx, y + dy);
            s += abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]);
        }
    return s / n;
}

/* The preset with one line of its file replaced (sed expression), as DIR/NAME. */
static int scene_variant(const char *scenes, const char *preset, const char *sed, const char *name)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sed '%s' %s/%s > %s/%s", sed, scenes, preset, tmpdir, name);
    return run(cmd, NULL, 0);
}

/* Legend values with at most 4 significant digits, whatever digits the values
 * have (a dragged slider's value has 16): 0.8984908536585366 reads 0.8985. The
 * description (tEXt) carries the legend's lines. */
/* The PNG's Description chunk (up to the Source chunk that follows it) contains s. */
static int desc_contains(const char *path, const char *s)
{
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *a = NULL, *b = NULL;
    for (size_t i = 0; i + 15 < n && !b; i++) {
        if (!a && memcmp(buf + i, "tEXtDescription", 15) == 0) a = buf + i;
        else if (a && memcmp(buf + i, "tEXtSource", 10) == 0) b = buf + i;
    }
    if (!a || !b) return 0;
    size_t m = strlen(s);
    for (char *p = a; p + m <= b; p++)
        if (memcmp(p, s, m) == 0) return 1;
    return 0;
}

static void test_legend_digits(void)
{
    char args[1024], path[600];
    snprintf(args, sizeof args, "--optimizer sgd:lr=0.00123456,momentum=0.8984908536585366 "
             "--optimizer adam:lr=0.01,beta1=0.912345678,eps=1.234567e-9 "
             "--schedule step:step_size=30,gamma=0.8984908536 --steps 5 --size 320x200");
    if (render(args, "digits.png", NULL, NULL, 0) != 0) { CHECK(0, "render long values"); return; }
    snprintf(path, sizeof path, "%s/digits.png", tmpdir);
    CHECK(desc_contains(path, "lr=0.001235") && desc_contains(path, "\xce\xbc=0.8985 "),
          "lr and momentum shown with 4 significant digits");
    CHECK(desc_contains(path, "\xce\xb2" "1=0.9123") && desc_contains(path, "=1.235e-09"),
          "beta1 and eps shown with 4 significant digits");
    CHECK(desc_contains(path, "gamma=0.8985"), "the schedule's values too");
    CHECK(!desc_contains(path, "0.89849") && !desc_contains(path, "0.91234") && !desc_contains(path, "0.00123456"),
          "no value with more digits");
}

/* A runner outside the view gets an arrow at the canvas edge in its colour, on
 * the line from the canvas centre to it. sgd at lr 1e-9 stays at its start
 * (12, 5), far right of the view; the arrow's shaft is looked for just inside the
 * edge where that line crosses it (worked out here from the view), in the PNG and in
 * the SVG; with the start inside the view there is none. */
static void test_offview(void)
{
    const char *base = "--landscape himmelblau --optimizer sgd:lr=1e-9 --view -3,3,-3,3 --steps 5 "
                       "--size 800x600 --legend off --critical off";
    char args[1024], path[600];
    image far, near;
    snprintf(args, sizeof args, "%s --start 12,5", base);
    int ok = render(args, "away.png", &far, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s --start 1,1", base);
    ok = ok && render(args, "home.png", &near, NULL, 0) == 0;
    double v[4];
    snprintf(path, sizeof path, "%s/away.png", tmpdir);
    if (!ok || png_view(path, v) != 0) { CHECK(0, "render a runner outside the view"); return; }
    double px, py;
    to_px(v, far.w, far.h, 12, 5, &px, &py);
    CHECK(px > far.w, "the runner is right of the canvas (x = %.0f)", px);
    /* the ray from the centre, to the canvas inset by 8 px (scale 1 at 800x600) */
    double cx = far.w / 2.0, cy = far.h / 2.0, dx = px - cx, dy = py - cy, n = hypot(dx, dy);
    dx /= n;
    dy /= n;
    double t = fmin((cx - 8) / fabs(dx), (cy - 8) / fabs(dy));
    double sx = cx + dx * (t - 12), sy = cy + dy * (t - 12);   /* on the shaft, 12 px before the tip */
    int d = nearest(&far, sx, sy, 3, 0xE69F00ffu);
    CHECK(d < 40, "an orange arrow at (%.0f, %.0f), pointing to the runner (colour distance %d)", sx, sy, d);
    d = nearest(&near, sx, sy, 3, 0xE69F00ffu);
    CHECK(d > 80, "no arrow when the runner is in view (colour distance %d)", d);
    free(far.px);
    free(near.px);
    snprintf(args, sizeof args, "%s --start 12,5", base);
    char out[256];
    if (render(args, "away.svg", NULL, out, sizeof out) != 0) { CHECK(0, "render the SVG"); return; }
    snprintf(path, sizeof path, "%s/away.svg", tmpdir);
    CHECK(file_contains(path, "class=\"runner-away\" data-runner=\"0\""), "the SVG has the arrow too");
}

/* A diverged runner does not set the loss chart's axis: a stable runner's line is
 * drawn at the same pixels with and without a second runner that blows up (lr 1.5 on
 * x^2 + y^2 doubles the distance every step: loss 1e24 before it is stopped), and
 * the diverged one is marked at the top of the plot. The chart's rectangle is
 * scene_chart_rect's rule worked out for 1024x768 at scale 1. */
static void test_chart_diverged(void)
{
    const char *base = "--expr 'x^2 + y^2' --view -2,2,-2,2 --start 1.5,1 --steps 60 --size 1024x768 "
                       "--legend off --caption off --chart on --optimizer sgd:lr=0.05";
    char args[1024];
    image a, b;
    int ok = render(base, "chart-one.png", &a, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s --optimizer sgd:lr=1.5", base);
    ok = ok && render(args, "chart-two.png", &b, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render the charts"); return; }
    double w = fmax(0.34 * 1024, 260), h = fmax(0.28 * 768, 150);
    int x0 = (int)(10 + 44), x1 = (int)(10 + w - 40), y0 = (int)(768 - h - 10 - 32), y1 = (int)(768 - 10 - 32);
    long na = 0, nb = 0, both = 0, blue_top = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            int pa = nearest(&a, x, y, 0, 0xE69F00ffu) < 60, pb = nearest(&b, x, y, 0, 0xE69F00ffu) < 60;
            na += pa;
            nb += pb;
            both += pa && pb;
        }
    /* the top of the plot: the first 30 rows below the chart's title line */
    for (int y = y0; y < y0 + 45; y++)
        for (int x = x0; x < x1; x++) blue_top += nearest(&b, x, y, 0, 0x56B4E9ffu) < 60;
    CHECK(na > 100, "the stable runner's loss line is drawn (%ld pixels)", na);
    CHECK(both > 0.8 * na && both > 0.8 * nb, "the same line with a diverged runner beside it (%ld of %ld, %ld)",
          both, na, nb);
    CHECK(blue_top > 10, "the diverged runner marked at the top of the chart (%ld pixels)", blue_top);
    free(a.px);
    free(b.px);
}

/* Where the loss is not a number (log(x) for x < 0) the field is drawn as undefined:
 * neutral grey (its hatching a darker grey), not the colour map's high end; the
 * legend says so (in the SVG, a row of its own). */
static int neutral_grey(const image *im, int x, int y)
{
    const unsigned char *p = at(im, x, y);
    int mx = p[0] > p[1] ? (p[0] > p[2] ? p[0] : p[2]) : (p[1] > p[2] ? p[1] : p[2]);
    int mn = p[0] < p[1] ? (p[0] < p[2] ? p[0] : p[2]) : (p[1] < p[2] ? p[1] : p[2]);
    return mx - mn < 24 && mx > 0x30 && mx < 0xa0;
}

static void test_undefined(void)
{
    const char *base = "--expr 'log(x) + y^2' --view -2,3,-2,2 --optimizer sgd:lr=0.01 --start 1.5,1.5 --steps 5 "
                       "--size 800x600 --critical off";
    char args[1024], path[600];
    image im;
    snprintf(args, sizeof args, "%s --legend off", base);
    if (render(args, "undef.png", &im, NULL, 0) != 0) { CHECK(0, "render log(x)"); return; }
    double v[4];
    snprintf(path, sizeof path, "%s/undef.png", tmpdir);
    if (png_view(path, v) != 0) { CHECK(0, "the view of the figure"); return; }
    int grey = 0, total = 0, grey_right = 0, total_right = 0;
    for (double y = -1.5; y <= 1.5; y += 0.25)
        for (double x = -1.75; x <= 2.75; x += 0.25) {
            if (fabs(x) < 0.2) continue;   /* the edge itself */
            double px, py;
            to_px(v, im.w, im.h, x, y, &px, &py);
            int g = neutral_grey(&im, (int)px, (int)py);
            if (x < 0) { total++; grey += g; }
            else { total_right++; grey_right += g; }
        }
    CHECK(grey == total, "x < 0 (log undefined) drawn neutral grey: %d of %d probes", grey, total);
    CHECK(grey_right == 0, "x > 0 drawn in the colour map: %d of %d probes grey", grey_right, total_right);
    free(im.px);
    char out[256];
    if (render(base, "undef.svg", NULL, out, sizeof out) != 0) { CHECK(0, "render log(x) as SVG"); return; }
    snprintf(path, sizeof path, "%s/undef.svg", tmpdir);
    CHECK(file_contains(path, "class=\"row undefined\"") && file_contains(path, "loss undefined here"),
          "the SVG's legend has the undefined entry");
    if (render("--landscape himmelblau --steps 5 --size 400x300", "defined.svg", NULL, out, sizeof out) != 0) {
        CHECK(0, "render himmelblau as SVG");
        return;
    }
    snprintf(path, sizeof path, "%s/defined.svg", tmpdir);
    CHECK(!file_contains(path, "loss undefined here"), "no undefined entry where the loss is defined everywhere");
}

/* A caption too long for the canvas is wrapped, never cut: preset 21 (its
 * caption lines are ~90 characters) at 640 px with large text. The caption's box
 * is where the pictures with and without the caption differ; inside it the text
 * (bright pixels on the dark box) stays clear of the box's right edge (its padding
 * is 10 px at scale 1), and the box is inside the canvas. */
static void test_caption_wrap(const char *scenes)
{
    char args[1024];
    image on, off;
    const char *size = "--size 640x600 --scale 1.5 --legend off --chart off --critical off --steps 5";
    snprintf(args, sizeof args, "--scene %s/21-adagrad-lr-explosion.scene %s", scenes, size);
    int ok = render(args, "cap-on.png", &on, NULL, 0) == 0;
    snprintf(args, sizeof args, "--scene %s/21-adagrad-lr-explosion.scene %s --caption off", scenes, size);
    ok = ok && render(args, "cap-off.png", &off, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render preset 21 with and without its caption"); return; }
    int x0 = on.w, x1 = -1, y0 = on.h, y1 = -1;
    for (int y = 0; y < on.h; y++)
        for (int x = 0; x < on.w; x++) {
            const unsigned char *p = at(&on, x, y), *q = at(&off, x, y);
            if (abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) < 30) continue;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
    CHECK(x1 > x0 && y1 > y0, "the caption is drawn");
    CHECK(x0 >= 5 && x1 <= on.w - 6 && y1 <= on.h - 6, "its box inside the canvas (%d..%d, %d..%d)", x0, x1, y0, y1);
    int text_right = -1, rows = 0, last_row = -10;
    for (int y = y0 + 3; y <= y1 - 3; y++) {
        int any = 0;
        for (int x = x0 + 3; x <= x1 - 3; x++) {   /* inside the box's rim */
            const unsigned char *p = at(&on, x, y);
            if (0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2] > 140) {
                if (x > text_right) text_right = x;
                any = 1;
            }
        }
        if (any && y > last_row + 1) rows++;   /* a new band of text rows */
        if (any) last_row = y;
    }
    CHECK(text_right >= 0 && text_right <= x1 - 8, "the text ends inside the box's padding (text to x = %d, box to %d)",
          text_right, x1);
    /* three lines (title, two captions) too long for 640 px: more lines than three
       (the caption's height is capped, so the type may shrink instead of adding
       many) */
    CHECK(rows >= 4, "the title and two caption lines wrapped into more lines (%d bands of text)", rows);
    free(on.px);
    free(off.px);
}

/* The legend at three Ctrl+ presses (scale 1.52) on the canvas a 1024-px window
 * leaves beside its panel (683 px): rows too long for it wrap instead of running
 * past the box; the box stays inside the canvas, its text inside the box. */
static void test_legend_wrap(const char *scenes)
{
    char args[1024];
    image on, off;
    const char *size = "--size 683x744 --scale 1.52 --caption off --chart off --critical off --steps 5";
    /* one runner (no selection outline), its legend row ~60 characters long */
    const char *scene = "--landscape quadratic:kappa=20 --optimizer adagrad:lr=0.2,mode=mean "
                        "--schedule constant:warmup=100 --start 4,1";
    (void)scenes;
    snprintf(args, sizeof args, "%s %s", scene, size);
    int ok = render(args, "leg-on.png", &on, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s %s --legend off", scene, size);
    ok = ok && render(args, "leg-off.png", &off, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render preset 21 with and without its legend"); return; }
    /* the legend's box: the changed pixels in the top half (the runners' rings and
       trails are the same in both) */
    int x0 = on.w, x1 = -1, y0 = on.h, y1 = -1;
    for (int y = 0; y < on.h / 2; y++)
        for (int x = 0; x < on.w; x++) {
            const unsigned char *p = at(&on, x, y), *q = at(&off, x, y);
            if (abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) < 30) continue;
            if (x < x0) x0 = x;
            if (x > x1) x1 = x;
            if (y < y0) y0 = y;
            if (y > y1) y1 = y;
        }
    CHECK(x1 > x0, "the legend is drawn");
    CHECK(x0 >= 5 && x1 <= on.w - 6, "its box inside the canvas (x %d..%d of %d)", x0, x1, on.w);
    int text_right = -1;
    for (int y = y0 + 3; y <= y1 - 3; y++)
        for (int x = x0 + 3; x <= x1 - 3; x++) {
            const unsigned char *p = at(&on, x, y);
            if (0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2] > 140 && x > text_right) text_right = x;
        }
    CHECK(text_right >= 0 && text_right <= x1 - 8, "the rows end inside the box's padding (text to %d, box to %d)",
          text_right, x1);
    /* two rows (the landscape, the runner), the runner's wrapped: taller than two
       lines (28 px each at this scale, 85 px with the padding) */
    CHECK(y1 - y0 > 88, "the long row wrapped onto a second line (box %d px tall)", y1 - y0);
    free(on.px);
    free(off.px);
}

/* render draws what the scene asks for, as the window does. Preset 23 (stability =
 * on): where lr * lambda_max > 2 for the selected runner's rate, the field is shaded;
 * lambda_max is the closed form of f = 0.05 (x^2+y^2)^2 + 0.5 x^2 + 2 y^2:
 * Hxx = 1 + 0.6x^2 + 0.2y^2, Hyy = 4 + 0.2x^2 + 0.6y^2, Hxy = 0.4xy, and the selected
 * runner (2, the 20-step warm-up) runs at lr 0.4 after step 20. The same scene with
 * stability = off is the reference: the two pictures differ exactly where the
 * closed form says the step is unstable. Preset 27: the selected runner's minibatch
 * is drawn as iso-lines in its colour across the canvas; selecting the full-batch
 * runner instead removes them, so the pictures differ far from both particles. */
static void test_overlays(const char *scenes)
{
    char args[2048], path[600];
    image on, off;
    const char *opts = "--size 1024x768 --legend off --caption off --chart off";
    if (scene_variant(scenes, "23-warm-up.scene", "s/^stability *= *on/stability = off/", "23-off.scene") != 0) {
        CHECK(0, "copy preset 23");
        return;
    }
    snprintf(args, sizeof args, "--scene %s/23-warm-up.scene --steps 60 %s", scenes, opts);
    int ok = render(args, "23-on.png", &on, NULL, 0) == 0;
    snprintf(args, sizeof args, "--scene %s/23-off.scene --steps 60 %s", tmpdir, opts);
    ok = ok && render(args, "23-off.png", &off, NULL, 0) == 0;
    double v[4];
    snprintf(path, sizeof path, "%s/23-on.png", tmpdir);
    if (!ok || png_view(path, v) != 0) { CHECK(0, "render preset 23 with and without stability"); return; }
    double upp = fmax((v[1] - v[0]) / on.w, (v[3] - v[2]) / on.h), cx = 0.5 * (v[0] + v[1]), cy = 0.5 * (v[2] + v[3]);
    int nu = 0, ns = 0, bad_u = 0, bad_s = 0;
    for (int py = 16; py < on.h - 16; py += 24)
        for (int px = 16; px < on.w - 16; px += 24) {
            double x = cx + (px + 0.5 - on.w / 2.0) * upp, y = cy - (py + 0.5 - on.h / 2.0) * upp;
            double hxx = 1 + 0.6 * x * x + 0.2 * y * y, hyy = 4 + 0.2 * x * x + 0.6 * y * y, hxy = 0.4 * x * y;
            double lmax = 0.5 * (hxx + hyy) + hypot(0.5 * (hxx - hyy), hxy);
            double d = patch_diff(&on, &off, px, py, 4), k = 0.4 * lmax;
            if (k > 2.2) { nu++; bad_u += d < 8; }
            else if (k < 1.8) { ns++; bad_s += d > 2; }
        }
    CHECK(nu > 100 && ns > 10, "preset 23: probes on both sides of lr*lmax = 2 (%d unstable, %d stable)", nu, ns);
    CHECK(bad_u == 0, "preset 23: shaded wherever lr*lmax > 2 (%d of %d probes unshaded)", bad_u, nu);
    CHECK(bad_s == 0, "preset 23: unshaded wherever lr*lmax < 2 (%d of %d probes shaded)", bad_s, ns);
    free(on.px);
    free(off.px);

    if (scene_variant(scenes, "27-minibatch-landscapes.scene", "s/^selected *= *1/selected = 2/", "27-full.scene") != 0) {
        CHECK(0, "copy preset 27");
        return;
    }
    snprintf(args, sizeof args, "--scene %s/27-minibatch-landscapes.scene --steps 12 %s", scenes, opts);
    ok = render(args, "27-batch.png", &on, NULL, 0) == 0;
    snprintf(args, sizeof args, "--scene %s/27-full.scene --steps 12 %s", tmpdir, opts);
    ok = ok && render(args, "27-full.png", &off, NULL, 0) == 0;
    snprintf(path, sizeof path, "%s/27-batch.png", tmpdir);
    if (!ok || png_view(path, v) != 0) { CHECK(0, "render preset 27 with either runner selected"); return; }
    /* both particles, where trace puts them */
    char cmd[2048], out[1 << 14];
    double rp[2][2] = {{0, 0}, {0, 0}};
    int got = 0;
    snprintf(cmd, sizeof cmd, "%s trace --scene %s/27-minibatch-landscapes.scene --steps 12", bin, scenes);
    CHECK(run(cmd, out, sizeof out) == 0, "trace preset 27");
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        int k;
        long step;
        double x, y;
        if (sscanf(line, "%d,%ld,%lf,%lf", &k, &step, &x, &y) == 4 && step == 12 && k >= 0 && k < 2) {
            to_px(v, on.w, on.h, x, y, &rp[k][0], &rp[k][1]);
            got++;
        }
    }
    CHECK(got == 2, "trace gives both runners at step 12");
    long far_diff = 0, far_orange = 0;
    for (int y = 0; y < on.h; y++)
        for (int x = 0; x < on.w; x++) {
            if (hypot(x - rp[0][0], y - rp[0][1]) < 30 || hypot(x - rp[1][0], y - rp[1][1]) < 30) continue;
            const unsigned char *p = at(&on, x, y), *q = at(&off, x, y);
            if (abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) <= 40) continue;
            far_diff++;
            far_orange += nearest(&on, x, y, 0, 0xE69F00ffu) < 90;
        }
    CHECK(far_diff > 5000, "preset 27: the batch's iso-lines drawn across the canvas (%ld pixels changed away "
          "from the particles)", far_diff);
    CHECK(far_orange > 2000, "preset 27: in the batch runner's orange (%ld pixels)", far_orange);
    free(on.px);
    free(off.px);
}

/* The bounding box of the pixels where two pictures differ (sum of channel
 * differences above tol) inside (x0, y0, x1, y1); 0 when none does. */
static int diff_box(const image *a, const image *b, int x0, int y0, int x1, int y1, int tol, int box[4])
{
    box[0] = a->w, box[1] = a->h, box[2] = -1, box[3] = -1;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const unsigned char *p = at(a, x, y), *q = at(b, x, y);
            if (abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) <= tol) continue;
            if (x < box[0]) box[0] = x;
            if (y < box[1]) box[1] = y;
            if (x > box[2]) box[2] = x;
            if (y > box[3]) box[3] = y;
        }
    return box[2] >= box[0];
}

/* How many pixels of (x0, y0, x1, y1) differ by more than tol. */
static long diff_count(const image *a, const image *b, int x0, int y0, int x1, int y1, int tol)
{
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const unsigned char *p = at(a, x, y), *q = at(b, x, y);
            n += abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]) > tol;
        }
    return n;
}

/* The window (offscreen) with ARGS, its screenshot after 30 frames in im. */
static int window_shot(const char *args, const char *name, image *im)
{
    char cmd[4096], path[512], buf[8192];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=offscreen %s %s --frames 30 --screenshot %s --force 2>&1", bin, args,
             path);
    int rc = run(cmd, buf, sizeof buf);
    if (rc != 0) {
        fprintf(stderr, "command failed (%d): %s\n%s\n", rc, cmd, buf);
        return rc;
    }
    return load_png(path, im) != 0 ? -1 : 0;
}

/* The caption takes at most a quarter of the canvas's height, however large the
 * text (class mode at three Ctrl+ presses is scale ~2.3 at 1024x768): its box,
 * found as where the picture with the caption differs from the one without, is at
 * most 0.25 * 768 = 192 px high (plus its 1-px rim). */
static void test_caption_share(const char *scenes)
{
    char args[1024];
    image on, off;
    const char *size = "--size 1024x768 --scale 2.3 --chart off --legend off --critical off --steps 5";
    snprintf(args, sizeof args, "--scene %s/01-critical-points.scene %s", scenes, size);
    int ok = render(args, "share-on.png", &on, NULL, 0) == 0;
    snprintf(args, sizeof args, "--scene %s/01-critical-points.scene %s --caption off", scenes, size);
    ok = ok && render(args, "share-off.png", &off, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render preset 01 at scale 2.3 with and without its caption"); return; }
    int b[4];
    if (!diff_box(&on, &off, 0, 0, on.w, on.h, 30, b)) { CHECK(0, "the caption is drawn"); return; }
    CHECK(b[3] - b[1] + 1 <= 0.25 * 768 + 2, "the caption's box is %d px high (at most a quarter of 768 = 192)",
          b[3] - b[1] + 1);
    CHECK(b[1] > 768 / 2, "the caption's box is in the lower half (from y = %d)", b[1]);
    free(on.px);
    free(off.px);
}

/* A figure has no interactive controls: the timeline's rewind strip and its "drag
 * back to rewind" label are not drawn. Where they would be (scene_chart_rect's rule
 * at 1024x768, scale 1: the chart 348 px wide from x = 10, its bottom at
 * 768 - 32 - 10 = 726; the strip 8 px under it, 16 high, its label under that, to
 * the bottom) the picture with the chart is the picture without it. */
static void test_figure_controls(void)
{
    const char *base = "--expr 'x^2 + 3*y^2' --view -2,2,-1.5,1.5 --start 1.5,1 --steps 40 --size 1024x768 "
                       "--legend off --caption off --critical off --optimizer sgd:lr=0.05";
    char args[1024];
    image on, off;
    snprintf(args, sizeof args, "%s --chart on", base);
    int ok = render(args, "tl-on.png", &on, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s --chart off", base);
    ok = ok && render(args, "tl-off.png", &off, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render with and without the chart"); return; }
    long chart = diff_count(&on, &off, 10, 511, 358, 726, 30);
    CHECK(chart > 1000, "the chart is drawn (%ld pixels differ in its box)", chart);
    long strip = diff_count(&on, &off, 10, 734, 358, 768, 30);
    CHECK(strip == 0, "no timeline in the figure: %ld pixels differ where it would be (10..358 x 734..768)", strip);
    free(on.px);
    free(off.px);
}

/* A runner outside the view is pointed at by an arrow at the canvas edge, under
 * the legend's box: from (-74, 56) on Himmelblau's view (-8..8 x -6..6 at 800x600)
 * the ray from the centre (400, 300) runs through pixel (30, 20), in the legend at
 * the top left. The legend's box is where the legend-on picture differs from the
 * legend-off one; without the legend the arrow is there, with it the box's pixels
 * are those with the runner in view. */
static void test_offview_under_legend(void)
{
    const char *base = "--landscape himmelblau --optimizer sgd:lr=1e-9 --view -6,6,-6,6 --steps 3 "
                       "--size 800x600 --caption off --chart off --critical off";
    char args[1024];
    image home, away, bare, bare_away;
    snprintf(args, sizeof args, "%s --start 0,0", base);
    int ok = render(args, "leg-home.png", &home, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s --start -74,56", base);
    ok = ok && render(args, "leg-away.png", &away, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s --start 0,0 --legend off", base);
    ok = ok && render(args, "leg-bare.png", &bare, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s --start -74,56 --legend off", base);
    ok = ok && render(args, "leg-bare-away.png", &bare_away, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render a runner away behind the legend"); return; }
    int b[4];
    if (!diff_box(&home, &bare, 0, 0, home.w / 2, home.h / 2, 30, b)) { CHECK(0, "the legend is drawn"); return; }
    long drawn = diff_count(&bare_away, &bare, b[0] + 2, b[1] + 2, b[2] - 1, b[3] - 1, 60);
    CHECK(drawn > 50, "without the legend the off-view arrow is where the legend's box is (%ld pixels)", drawn);
    long inside = diff_count(&away, &home, b[0] + 2, b[1] + 2, b[2] - 1, b[3] - 1, 60);
    CHECK(inside == 0, "the arrow is under the legend's box: %ld of its pixels differ (box %d..%d x %d..%d)", inside,
          b[0], b[2], b[1], b[3]);
    free(home.px);
    free(away.px);
    free(bare.px);
    free(bare_away.px);
}

/* The hover read-out keeps off the caption: in class mode at three Ctrl+ presses
 * (preset 01 at 1024x768) with the pointer 120 px above the caption's box, the
 * box's pixels are those of the window with the read-out off; with the pointer on
 * the caption no read-out is drawn at all. The caption's box is found as where the
 * window with the caption differs from the one without. */
static void test_hover_clear(const char *scenes)
{
    char args[1024];
    image off, nocap, above, on_cap;
    const char *base = "--size 1024x768 --class --paused";
    const char *zoom = "key Ctrl+=; key Ctrl+=; key Ctrl+=";
    if (scene_variant(scenes, "01-critical-points.scene", "/^caption\\|^title/d", "01-nocap.scene") != 0) {
        CHECK(0, "preset 01 without its caption");
        return;
    }
    snprintf(args, sizeof args, "--scene %s/01-critical-points.scene %s --hover off --script '%s'", scenes, base, zoom);
    int ok = window_shot(args, "hv-off.png", &off) == 0;
    snprintf(args, sizeof args, "--scene %s/01-nocap.scene %s --hover off --script '%s'", tmpdir, base, zoom);
    ok = ok && window_shot(args, "hv-nocap.png", &nocap) == 0;
    if (!ok) { CHECK(0, "the window with and without the caption"); return; }
    int b[4];
    /* the canvas only: the panel shows the title too */
    if (!diff_box(&off, &nocap, 0, 0, off.w * 2 / 3, off.h, 30, b)) { CHECK(0, "the caption is drawn"); return; }
    int mx = (b[0] + b[2]) / 2, my = b[1] - 120;
    snprintf(args, sizeof args, "--scene %s/01-critical-points.scene %s --script '%s; move %d %d'", scenes, base, zoom,
             mx, my);
    ok = window_shot(args, "hv-above.png", &above) == 0;
    snprintf(args, sizeof args, "--scene %s/01-critical-points.scene %s --script '%s; move %d %d'", scenes, base, zoom,
             mx, (b[1] + b[3]) / 2);
    ok = ok && window_shot(args, "hv-oncap.png", &on_cap) == 0;
    if (!ok) { CHECK(0, "the window with the pointer above and on the caption"); return; }
    long drawn = diff_count(&above, &off, 0, 0, off.w * 2 / 3, b[1], 30);
    CHECK(drawn > 2000, "the read-out is drawn with the pointer above the caption (%ld pixels)", drawn);
    long over = diff_count(&above, &off, b[0], b[1], b[2] + 1, b[3] + 1, 30);
    CHECK(over == 0, "the read-out is not on the caption (%ld of the box's pixels differ, box %d..%d x %d..%d)", over,
          b[0], b[2], b[1], b[3]);
    long any = diff_count(&on_cap, &off, 0, 0, off.w * 2 / 3, off.h, 30);
    CHECK(any == 0, "no read-out with the pointer on the caption (%ld pixels differ)", any);
    free(off.px);
    free(nocap.px);
    free(above.px);
    free(on_cap.px);
}

/* The basin maps and the initialization panel (presets 31, 33) are drawn over the
 * map, and the lesson's caption above them: its text is where the window without
 * the overlay draws it (the box found as where that window differs from the one
 * without the caption), at 1024x768 and in class mode at 1920x1080. A pixel is
 * text when bright (the caption's type is near white on the dark theme); with the
 * overlay over the caption, its text would be gone or a ghost. */
static void test_overlay_caption(const char *scenes)
{
    static const struct { const char *file, *off; } P[] = {
        {"31-basins.scene", "s/^basins = on/basins = off/"},
        {"33-initialization.scene", "s/^init = on/init = off/"},
    };
    /* class mode fits the view to the caption's room: preset 31's maps would move
       with the caption gone, so 31 is looked at in the normal window */
    static const char *sizes[2][2] = {{"--size 1024x768", "--size 1920x1080"},
                                      {"--size 1024x768", "--size 1920x1080 --class"}};
    for (int p = 0; p < 2; p++)
        for (int zi = 0; zi < 2; zi++) {
            const char *size = sizes[p][zi];
            char args[1024], plain[64], bare[64];
            snprintf(plain, sizeof plain, "ov%d-plain.scene", p);
            snprintf(bare, sizeof bare, "ov%d-bare.scene", p);
            char sed[256];
            snprintf(sed, sizeof sed, "%s; /^caption\\|^title/d", P[p].off);
            if (scene_variant(scenes, P[p].file, P[p].off, plain) != 0 || scene_variant(scenes, P[p].file, sed, bare) != 0) {
                CHECK(0, "variants of %s", P[p].file);
                continue;
            }
            image ov, pl, ba;
            snprintf(args, sizeof args, "--scene %s/%s %s --paused --hover off", scenes, P[p].file, size);
            int ok = window_shot(args, "ov.png", &ov) == 0;
            snprintf(args, sizeof args, "--scene %s/%s %s --paused --hover off", tmpdir, plain, size);
            ok = ok && window_shot(args, "ov-plain.png", &pl) == 0;
            snprintf(args, sizeof args, "--scene %s/%s %s --paused --hover off", tmpdir, bare, size);
            ok = ok && window_shot(args, "ov-bare.png", &ba) == 0;
            if (!ok) { CHECK(0, "the window with %s", P[p].file); continue; }
            int b[4];
            /* the canvas: left of the panel where there is one (the panel repeats the title) */
            int cw = strstr(size, "--class") ? pl.w : pl.w * 2 / 3;
            if (!diff_box(&pl, &ba, 0, 0, cw, pl.h * 19 / 20, 30, b)) {
                CHECK(0, "%s: the caption is drawn without the overlay", P[p].file);
                continue;
            }
            long text = 0, lost = 0;
            for (int y = b[1]; y <= b[3]; y++)
                for (int x = b[0]; x <= b[2]; x++) {
                    const unsigned char *q = at(&pl, x, y), *r = at(&ov, x, y);
                    int tq = 0.2126 * q[0] + 0.7152 * q[1] + 0.0722 * q[2] > 150;
                    int tr = 0.2126 * r[0] + 0.7152 * r[1] + 0.0722 * r[2] > 150;
                    text += tq;
                    lost += tq != tr;
                }
            CHECK(text > 300 && lost * 20 <= text,
                  "%s (%s): the caption reads above the overlay (%ld of %ld text pixels differ, box %d..%d x %d..%d)",
                  P[p].file, size, lost, text, b[0], b[2], b[1], b[3]);
            free(ov.px);
            free(pl.px);
            free(ba.px);
        }
}

/* A saddle's "way out" label stays readable under a trail: it is drawn on a box
 * above the trails. x^2 - 0.01 y^2 on -1..1 at 800x800 (scale 1, 400 px a unit)
 * has its saddle at pixel (400, 400), its way out along y: the arrow the shortest
 * drawn (10 px), its tip 10.8 px above or below the saddle and the label (about
 * 20 px high) beyond it, 3 px off, from x = 403 on: y 366..386 or 414..434. A
 * runner from (0.5, +-0.06) walks to the saddle along y = +-0.06 (y grows by
 * 1.002 a step), 24 px from it, through the label. Inside the label the picture
 * with that trail is the picture with the runner elsewhere. */
static void test_way_out_label(void)
{
    const char *base = "--expr 'x^2 - 0.01*y^2' --view -1,1,-1,1 --size 800x800 --optimizer sgd:lr=0.1 --steps 30 "
                       "--legend off --caption off --chart off";
    char args[1024];
    image away, nocrit, cross;
    snprintf(args, sizeof args, "%s --start 0.5,0.8", base);
    int ok = render(args, "wo-away.png", &away, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s --start 0.5,0.8 --critical off", base);
    ok = ok && render(args, "wo-nocrit.png", &nocrit, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render the saddle"); return; }
    /* which side the label is on: where the marks add most */
    long up = diff_count(&away, &nocrit, 410, 371, 450, 381, 30), down = diff_count(&away, &nocrit, 410, 419, 450, 429, 30);
    CHECK(up > 60 || down > 60, "the way-out label is drawn (%ld above, %ld below)", up, down);
    int y0 = up > down ? 371 : 419;
    snprintf(args, sizeof args, "%s --start 0.5,%s", base, up > down ? "0.06" : "-0.06");
    if (render(args, "wo-cross.png", &cross, NULL, 0) != 0) { CHECK(0, "render the trail through the label"); return; }
    long trail = diff_count(&cross, &away, 470, y0, 560, y0 + 10, 60);
    CHECK(trail > 100, "the trail runs beside the label (%ld pixels)", trail);
    long in = diff_count(&cross, &away, 410, y0, 450, y0 + 10, 60);
    CHECK(in == 0, "the label is above the trail: %ld of its pixels differ (410..450 x %d..%d)", in, y0, y0 + 10);
    free(away.px);
    free(nocrit.px);
    free(cross.px);
}

/* Pixels of (x0, y0, x1, y1) that are light and grey (the learning-rate curve's
 * colour: the theme's text; the runners' lines are coloured, the grid is dim). */
static long grey_light(const image *im, int x0, int y0, int x1, int y1)
{
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            const unsigned char *p = at(im, x, y);
            int mx = p[0] > p[1] ? (p[0] > p[2] ? p[0] : p[2]) : (p[1] > p[2] ? p[1] : p[2]);
            int mn = p[0] < p[1] ? (p[0] < p[2] ? p[0] : p[2]) : (p[1] < p[2] ? p[1] : p[2]);
            n += 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2] > 90 && mx - mn < 30;
        }
    return n;
}

/* The chart's learning-rate curve is drawn only with its label: at 800x600 (scale
 * 1: the chart 272 px wide from x = 10, y = 390..558) the label has no room beside
 * the title and the plot has no grey line; at 1920x1080 (scale 1.35: 653 px wide,
 * y = 721..1023) it is drawn, dashed: light grey pixels along it, but fewer than
 * a solid line's (the constant lr is a level line across the plot's ~540 px). */
static void test_lr_curve(void)
{
    const char *base = "--expr 'x^2 + y^2' --view -2,2,-2,2 --start 1.5,1 --steps 100 --legend off --caption off "
                       "--critical off --chart on --optimizer sgd:lr=0.05";
    char args[1024];
    image small, big;
    snprintf(args, sizeof args, "%s --size 800x600", base);
    int ok = render(args, "lr-small.png", &small, NULL, 0) == 0;
    snprintf(args, sizeof args, "%s --size 1920x1080", base);
    ok = ok && render(args, "lr-big.png", &big, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render the chart at two sizes"); return; }
    long s = grey_light(&small, 70, 418, 230, 530);
    CHECK(s == 0, "no learning-rate curve without its label at 800x600 (%ld grey pixels in the plot)", s);
    long b = grey_light(&big, 100, 752, 590, 985), cols = 0;
    for (int x = 100; x < 590; x++) cols += grey_light(&big, x, 752, x + 1, 985) > 0;
    CHECK(b > 150, "the learning-rate curve with its label at 1920x1080 (%ld grey pixels)", b);
    CHECK(cols > 490 * 0.3 && cols < 490 * 0.85, "the curve is dashed: %ld of 490 columns have it", cols);
    free(small.px);
    free(big.px);
}

/* The hover read-out keeps off critical points where it can: preset 01 at
 * 1024x768 with the pointer mid-window (where an X server puts it), every one of
 * the nine critical points of (x^2 - 1)^2 + (y^2 - 1)^2 (x, y in -1, 0, 1) looks
 * as with the read-out off. Their pixels from the view --print-state prints and
 * the canvas (left of the panel, as tall as the view's aspect makes it). */
static void test_hover_crit(const char *scenes)
{
    char cmd[2048], out[16384], args[1024];
    snprintf(cmd, sizeof cmd, "SDL_VIDEODRIVER=offscreen %s --scene %s/01-critical-points.scene --size 1024x768 "
             "--frames 3 --print-state 2>&1", bin, scenes);
    if (run(cmd, out, sizeof out) != 0) { CHECK(0, "print-state: %s", out); return; }
    double v[4], cw = 0;
    char *pv = strstr(out, "\nview "), *pp = strstr(out, "panel x=");
    if (!pv || !pp || sscanf(pv + 6, "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) != 4 || sscanf(pp + 8, "%lf", &cw) != 1) {
        CHECK(0, "view and panel printed: %s", out);
        return;
    }
    double ch = cw * (v[3] - v[2]) / (v[1] - v[0]);
    image off, on;
    snprintf(args, sizeof args, "--scene %s/01-critical-points.scene --size 1024x768 --paused --hover off", scenes);
    int ok = window_shot(args, "hc-off.png", &off) == 0;
    snprintf(args, sizeof args, "--scene %s/01-critical-points.scene --size 1024x768 --paused --script 'move 512 384'",
             scenes);
    ok = ok && window_shot(args, "hc-on.png", &on) == 0;
    if (!ok) { CHECK(0, "the window with the read-out off and on"); return; }
    CHECK(diff_count(&on, &off, 0, 0, (int)cw, (int)ch, 30) > 2000, "the read-out is drawn");
    for (int i = -1; i <= 1; i++)
        for (int j = -1; j <= 1; j++) {
            double px = (i - v[0]) / (v[1] - v[0]) * cw, py = (v[3] - j) / (v[3] - v[2]) * ch;
            double d = patch_diff(&on, &off, (int)lround(px), (int)lround(py), 5);
            CHECK(d < 5, "critical point (%d, %d) at (%.0f, %.0f) not under the read-out (mean difference %.1f)", i, j,
                  px, py, d);
        }
    free(off.px);
    free(on.px);
}

/* A scene that opens in the 3D view (preset 34: view3d = on) is rendered in 3D:
 * the same pixels as the figure asked for with --3d. */
static void test_scene_3d(const char *scenes)
{
    char args[1024];
    image asked, scene;
    snprintf(args, sizeof args, "--scene %s/34-3d-saddles.scene --size 640x480 --steps 20 --3d", scenes);
    int ok = render(args, "s3d-asked.png", &asked, NULL, 0) == 0;
    snprintf(args, sizeof args, "--scene %s/34-3d-saddles.scene --size 640x480 --steps 20", scenes);
    ok = ok && render(args, "s3d-scene.png", &scene, NULL, 0) == 0;
    if (!ok) { CHECK(0, "render preset 34"); return; }
    long d = diff_count(&asked, &scene, 0, 0, asked.w, asked.h, 0);
    CHECK(d == 0, "preset 34 is drawn in 3D as with --3d (%ld pixels differ)", d);
    free(asked.px);
    free(scene.px);
}

/* A scene with a cross-section (section = X0, Y0, X1, Y1) renders: against the
 * same scene without it, the segment changes the pixels on it (placed by the view's
 * own rule, to_px) and not 40 px beside it, and a plot appears in the top right;
 * the SVG has the segment and the plot, whose words give the curvature along the
 * line at the saddle of x^2 - y^2 crossed along y: u^T H u = H_yy = -2 < 0. */
static void test_section_scene(void)
{
    static const char *const body =
        "[scene]\nexpr = x^2 - y^2\nview = -2, 2, -1.5, 1.5\nstart = 1.5, 1\n%s"
        "[runner]\noptimizer = sgd:lr=0.05\n";
    char path[2][512], args[1200];
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "%s/section%d.scene", tmpdir, k);
        FILE *f = fopen(path[k], "w");
        if (!f) { CHECK(0, "cannot write %s", path[k]); return; }
        fprintf(f, body, k ? "section = 0, -1.2, 0, 1.2\n" : "");
        fclose(f);
    }
    image im[2];
    int ok = 1;
    for (int k = 0; k < 2 && ok; k++) {
        snprintf(args, sizeof args, "--scene %s --size 800x600 --steps 10", path[k]);
        ok = render(args, k ? "section1.png" : "section0.png", &im[k], NULL, 0) == 0;
    }
    if (!ok) { CHECK(0, "render a scene with a section"); return; }
    double v[4] = {-2, 2, -1.5, 1.5}, px, py;
    to_px(v, 800, 600, 0, -0.6, &px, &py);
    CHECK(diff_count(&im[0], &im[1], (int)px - 1, (int)py - 1, (int)px + 2, (int)py + 2, 30) > 0,
          "the segment is drawn through (0, -0.6) at pixel (%.0f, %.0f)", px, py);
    CHECK(diff_count(&im[0], &im[1], (int)px + 38, (int)py - 1, (int)px + 42, (int)py + 2, 30) == 0,
          "and not 40 px beside it");
    long plot = diff_count(&im[0], &im[1], 400, 0, 800, 300, 30);
    CHECK(plot > 10000, "a plot in the top right: %ld pixels changed", plot);
    free(im[0].px);
    free(im[1].px);
    snprintf(args, sizeof args, "--scene %s --size 800x600 --steps 10", path[1]);
    char out[4096], svg[600];
    if (render(args, "section.svg", NULL, out, sizeof out) != 0) { CHECK(0, "render section.svg: %s", out); return; }
    snprintf(svg, sizeof svg, "%s/section.svg", tmpdir);
    CHECK(file_contains(svg, "id=\"section\"") && file_contains(svg, "id=\"section-plot\""),
          "the SVG has the segment and the plot");
    CHECK(file_contains(svg, "saddle in the plane") && file_contains(svg, "\xe2\x88\x92" "2 &lt; 0"),
          "the SVG's plot names the saddle crossed, u^T H u = -2 < 0");
}

/* Pixels of the quadrant q (0 top left, 1 top right, 2, 3 below) within tol (the sum
   of the channels' differences) of colour c. */
static long quadrant_count(const image *im, int q, unsigned c, int tol)
{
    long n = 0;
    int x0 = q % 2 * im->w / 2, y0 = q / 2 * im->h / 2;
    for (int y = y0; y < y0 + im->h / 2; y++)
        for (int x = x0; x < x0 + im->w / 2; x++) {
            const unsigned char *p = at(im, x, y);
            n += abs(p[0] - (int)(c >> 24 & 255)) + abs(p[1] - (int)(c >> 16 & 255)) +
                     abs(p[2] - (int)(c >> 8 & 255)) <= tol;
        }
    return n;
}

/* "train loss L, test loss T" of `net train --scene F --lab K --steps N`'s last row:
   the CLI's own training (net_train), not the lab the picture draws. 0 or -1. */
static int net_train_last(const char *scene, int lab, long steps, char *want, size_t len)
{
    char cmd[1200], out[1 << 16];
    snprintf(cmd, sizeof cmd, "%s net train --scene %s --lab %d --steps %ld 2>&1", bin, scene, lab, steps);
    if (run(cmd, out, sizeof out) != 0) return -1;
    char *last = out + strlen(out);
    while (last > out && last[-1] == '\n') *--last = 0;
    while (last > out && last[-1] != '\n') last--;
    long k;
    char tr[40], te[40];
    if (sscanf(last, "%ld,%39[^,],%39[^,]", &k, tr, te) != 3 || k != steps) return -1;
    snprintf(want, len, "step %ld, train loss %s, test loss %s", steps, tr, te);
    return 0;
}

/* A scene of [net] sections is drawn as the window's network view (issue 15): the
 * data panel (top left) in the two class colours, which the landscape the same
 * scene gets without its [net]s has not; every lab trained the updates asked for
 * (by default the largest pretrain), its final losses in the tEXt description the
 * same digits as `net train` prints; what the view cannot be refused with exit 2. */
static void test_net_scene(void)
{
    char scene[600], plain[600], args[1400], path[700], cmd[2400], out[4096], want[200];
    snprintf(scene, sizeof scene, "%s/nets.scene", tmpdir);
    snprintf(plain, sizeof plain, "%s/nonet.scene", tmpdir);
    const char *head = "[scene]\ntitle = Batch size race\ncaption = full batch against batches of 16\n";
    const char *nets = "[net]\nnet = mlp:2,8,8,1,act=tanh,loss=bce\ndata = moons:n=120,noise=0.1,split=0.25\n"
                       "optimizer = adam:lr=0.02\nlabel = full batch\npretrain = 30\n"
                       "[net]\nnet = mlp:2,8,8,1,act=tanh,loss=bce\ndata = moons:n=120,noise=0.1,split=0.25\n"
                       "optimizer = adam:lr=0.02\nbatch = 16\nlabel = batch 16\n";
    FILE *f = fopen(scene, "w");
    if (f) { fputs(head, f); fputs(nets, f); fclose(f); }
    f = fopen(plain, "w");
    if (f) { fputs(head, f); fputs("landscape = rosenbrock\n", f); fclose(f); }
    image im = {0}, ls = {0};
    snprintf(args, sizeof args, "--scene %s --size 800x600 --steps 40", scene);
    int rc = render(args, "net.png", &im, NULL, 0);
    CHECK(rc == 0 && im.w == 800 && im.h == 600, "a [net] scene: exit %d, %dx%d", rc, im.w, im.h);
    snprintf(args, sizeof args, "--scene %s --size 800x600 --steps 40", plain);
    CHECK(render(args, "nonet.png", &ls, NULL, 0) == 0, "the same scene as a landscape");
    const unsigned blue = 0x3a7bd5ffu, orange = 0xf08a24ffu;   /* netlab_view.c's class colours */
    if (im.px && ls.px) {
        long nb = quadrant_count(&im, 0, blue, 24), no = quadrant_count(&im, 0, orange, 24);
        long lb = quadrant_count(&ls, 0, blue, 24), lo = quadrant_count(&ls, 0, orange, 24);
        CHECK(nb > 300 && no > 300, "the data panel's points in the class colours: %ld blue, %ld orange", nb, no);
        CHECK(lb + lo < (nb + no) / 10, "the landscape has not those colours (%ld, %ld): not the network view", lb, lo);
    }
    free(im.px);
    free(ls.px);
    snprintf(path, sizeof path, "%s/net.png", tmpdir);
    for (int lab = 1; lab <= 2; lab++) {
        CHECK(net_train_last(scene, lab, 40, want, sizeof want) == 0, "net train --lab %d", lab);
        CHECK(desc_contains(path, want), "lab %d's final numbers in the description: %s", lab, want);
    }
    CHECK(desc_contains(path, "lab 2 (batch 16)"), "the labs named by their labels");
    CHECK(file_contains(path, "optiscape render --scene"), "the command in tEXt");
    /* no --steps: every lab the largest pretrain (30, the first's; the second has none) */
    snprintf(args, sizeof args, "--scene %s --size 640x480", scene);
    CHECK(render(args, "pre.png", NULL, NULL, 0) == 0, "the pretrain's figure");
    snprintf(path, sizeof path, "%s/pre.png", tmpdir);
    CHECK(net_train_last(scene, 2, 30, want, sizeof want) == 0 && desc_contains(path, want),
          "the second lab trained the first's pretrain: %s", want);
    /* no pretrain: the labs' steps (where the window's stop), 25 */
    snprintf(path, sizeof path, "%s/stop.scene", tmpdir);
    f = fopen(path, "w");
    if (f) { fputs("[scene]\n[net]\ndata = moons:n=60\nsteps = 25\n[net]\ndata = moons:n=60\nbatch = 8\n", f); fclose(f); }
    snprintf(args, sizeof args, "--scene %s --size 640x480", path);
    CHECK(render(args, "stop.png", NULL, NULL, 0) == 0, "the steps' figure");
    char png2[700];
    snprintf(png2, sizeof png2, "%s/stop.png", tmpdir);
    CHECK(net_train_last(path, 2, 25, want, sizeof want) == 0 && desc_contains(png2, want),
          "the second lab trained the first's steps: %s", want);
    snprintf(path, sizeof path, "%s/pre.png", tmpdir);
    /* an existing file: kept without --force */
    snprintf(cmd, sizeof cmd, "%s render --scene %s --size 640x480 --out %s 2>&1", bin, scene, path);
    long before = file_size(path);
    CHECK(run(cmd, out, sizeof out) == 2 && strstr(out, "--force"), "an existing PNG: exit 2: %s", out);
    CHECK(file_size(path) == before, "and untouched");
    /* what the network view cannot be */
    static const struct { const char *opts, *want; } bad[] = {
        {"--out %s/net.mp4", "still picture"},
        {"--out %s/net.gif", "still picture"},
        {"--frames-dir %s/frames", "still picture"},
        {"--out %s/n3.png --3d", "not a landscape"},
        {"--out %s/nt.png --transparent", "not a landscape"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char o[800];
        snprintf(o, sizeof o, bad[k].opts, tmpdir);
        snprintf(cmd, sizeof cmd, "%s render --scene %s %s 2>&1", bin, scene, o);
        CHECK(run(cmd, out, sizeof out) == 2 && strstr(out, bad[k].want) && strstr(out, "[net]"),
              "%s: exit 2 saying why: %s", o, out);
    }
    snprintf(path, sizeof path, "%s/net.mp4", tmpdir);
    CHECK(access(path, F_OK) != 0, "a refused animation left no file");
    f = fopen(scene, "w");
    if (f) { fputs("[scene]\n[net]\nnet = mlp:2,8,1,loss=ce\n", f); fclose(f); }
    snprintf(cmd, sizeof cmd, "%s render --scene %s --out %s/bad.png 2>&1", bin, scene, tmpdir);
    CHECK(run(cmd, out, sizeof out) == 2 && strstr(out, "nets.scene:3"), "a bad [net]: exit 2 naming the line: %s",
          out);
}

/* The network view as SVG (issue 15): well-formed XML of the asked size; the
 * compare chart's legend names each lab with its final train loss as `net train`
 * prints it (%.3g, as the chart's legend gives it); a polyline per curve the chart
 * shows (two labs with a test set: train and test each, all in the bottom-left
 * panel) and one for the path on the plane, each inside a clipped group; the two
 * CPU-made pictures (the boundary, the slice map) as embedded images; an existing
 * file kept without --force. (The PNG of this scene was compared pixel for pixel
 * with the one drawn before the view drew through a pen, by hand.) */
static void test_net_svg(void)
{
    char scene[600], args[1400], path[700], cmd[2400], out[1 << 15], want[200];
    snprintf(scene, sizeof scene, "%s/netsvg.scene", tmpdir);
    FILE *f = fopen(scene, "w");
    if (f) {
        fputs("[scene]\ntitle = Batch size race\ncaption = full batch against batches of 16\n"
              "[net]\nnet = mlp:2,8,8,1,act=tanh,loss=bce\ndata = moons:n=120,noise=0.1,split=0.25\n"
              "optimizer = adam:lr=0.02\nlabel = full batch\npretrain = 30\n"
              "[net]\nnet = mlp:2,8,8,1,act=tanh,loss=bce\ndata = moons:n=120,noise=0.1,split=0.25\n"
              "optimizer = adam:lr=0.02\nbatch = 16\nlabel = batch 16\n", f);
        fclose(f);
    }
    snprintf(args, sizeof args, "--scene %s --size 820x610 --steps 40", scene);
    if (render(args, "net.svg", NULL, out, sizeof out) != 0) {
        CHECK(0, "render a [net] scene as SVG: %s", out);
        return;
    }
    snprintf(path, sizeof path, "%s/net.svg", tmpdir);
    if (run("python3 -c 'import xml.etree.ElementTree' 2>/dev/null", NULL, 0) != 0) {
        CHECK(file_contains(path, "<polyline") && file_contains(path, "<image"), "the SVG has curves and images");
        return;
    }
    /* width height polylines chart-polylines clipped-polylines images, then the texts */
    snprintf(cmd, sizeof cmd,
             "python3 -c \"import sys, xml.etree.ElementTree as E\n"
             "r = E.parse(sys.argv[1]).getroot(); W = float(r.get('width')); H = float(r.get('height'))\n"
             "t = lambda e: e.tag.split('}')[-1]\n"
             "pl = [e for e in r.iter() if t(e) == 'polyline']\n"
             "def xy(e):\n"
             "  v = list(map(float, e.get('points').split())); return list(zip(v[0::2], v[1::2]))\n"
             "ch = [e for e in pl if all(x < W / 2 and y > H / 2 for x, y in xy(e))]\n"
             "cl = sum(1 for g in r.iter() if t(g) == 'g' and g.get('clip-path') for e in g if t(e) == 'polyline')\n"
             "im = [e for e in r.iter() if t(e) == 'image' and e.get('{http://www.w3.org/1999/xlink}href', '')"
             ".startswith('data:image/png;base64,')]\n"
             "print(r.get('width'), r.get('height'), len(pl), len(ch), cl, len(im))\n"
             "print('|'.join(''.join(e.itertext()) for e in r.iter() if t(e) == 'text'))\" %s 2>&1",
             path);
    int w = 0, h = 0, npl = -1, nch = -1, ncl = -1, nim = -1;
    CHECK(run(cmd, out, sizeof out) == 0 && sscanf(out, "%d %d %d %d %d %d", &w, &h, &npl, &nch, &ncl, &nim) == 6,
          "the SVG parses as XML: %s", out);
    CHECK(w == 820 && h == 610, "the asked size: %dx%d", w, h);
    CHECK(nch == 4, "a polyline per curve of the chart (2 labs x train, test): %d", nch);
    CHECK(npl == 5, "and one for the path on the plane: %d polylines", npl);
    CHECK(ncl == 5, "each inside a clipped group: %d", ncl);
    CHECK(nim == 2, "the boundary and the slice map as embedded PNG images: %d", nim);
    CHECK_STR_CONTAINS(out, "train loss (thick), test loss (thin)", "the chart's title");
    CHECK_STR_CONTAINS(out, "loss on a plane", "the slice panel's title");
    static const char *const names[2] = {"full batch", "batch 16"};
    for (int lab = 1; lab <= 2; lab++) {
        double tl = NAN;
        const char *q;
        CHECK(net_train_last(scene, lab, 40, want, sizeof want) == 0 && (q = strstr(want, "train loss ")) &&
                  sscanf(q + 11, "%lf", &tl) == 1,
              "net train --lab %d: %s", lab, want);
        char name[120];
        snprintf(name, sizeof name, "%s: %.3g", names[lab - 1], tl);
        CHECK_STR_CONTAINS(out, name, "lab %d's final train loss in the legend", lab);
    }
    CHECK(file_contains(path, "Batch size race"), "the scene's title in the document's title");
    /* an existing SVG: kept without --force, replaced with it */
    long before = file_size(path);
    snprintf(cmd, sizeof cmd, "%s render --scene %s --size 640x480 --steps 40 --out %s 2>&1", bin, scene, path);
    CHECK(run(cmd, out, sizeof out) == 2 && strstr(out, "--force"), "an existing SVG: exit 2: %s", out);
    CHECK(file_size(path) == before, "and untouched");
    snprintf(cmd, sizeof cmd, "%s render --scene %s --size 640x480 --steps 40 --force --out %s 2>&1", bin, scene, path);
    CHECK(run(cmd, out, sizeof out) == 0 && file_contains(path, "width=\"640\""), "--force replaces it: %s", out);
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(p);
        else unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_render PATH/TO/optiscape SCENES_DIR\n");
        return 2;
    }
    bin = argv[1];
    snprintf(tmpdir, sizeof tmpdir, "/tmp/optiscape-test-render-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s render --size 16x16 --out %s/probe.png 2>&1", bin, tmpdir);
    if (run(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "test_render: render cannot draw here: %s\n", out);
        remove_tree(tmpdir);
        return getenv("OPTISCAPE_REQUIRE_GL") ? 1 : 77;
    }
    test_png_runners();
    test_themes();
    test_tiles();
    test_svg();
    test_frames();
    test_files();
    test_legend_digits();
    test_offview();
    test_chart_diverged();
    test_undefined();
    test_caption_wrap(argv[2]);
    test_legend_wrap(argv[2]);
    test_overlays(argv[2]);
    test_caption_share(argv[2]);
    test_figure_controls();
    test_offview_under_legend();
    test_hover_clear(argv[2]);
    test_overlay_caption(argv[2]);
    test_way_out_label();
    test_lr_curve();
    test_hover_crit(argv[2]);
    test_scene_3d(argv[2]);
    test_section_scene();
    test_net_scene();
    test_net_svg();
    remove_tree(tmpdir);
    return check_done("test_render");
}
