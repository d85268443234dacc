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
    char cmd[4096], path[512], buf[8192];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    unlink(path);
    snprintf(cmd, sizeof cmd, "%s render %s --out %s 2>&1", bin, args, path);
    int rc = run(cmd, out ? out : buf, out ? outlen : sizeof buf);
    if (rc != 0) {
        fprintf(stderr, "command failed (%d): %s\n%s\n", rc, cmd, out ? out : buf);
        return rc;
    }
    if (im && load_png(path, im) != 0) {
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    return 0;
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
    if (argc < 2) {
        fprintf(stderr, "usage: test_render PATH/TO/optiscape\n");
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
    remove_tree(tmpdir);
    return check_done("test_render");
}
