/* test_presets: every preset lesson in assets/scenes is rendered offscreen and each
 * runner's particle is looked for where `trace --scene` says that runner is after the
 * same number of steps. The view comes from the PNG's own description (the fitted
 * view render used), so the probe and the picture agree to the pixel. Runners whose
 * final points are too close to tell apart, hidden, diverged or outside the picture
 * are not probed; every preset must have at least one runner probed. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "image.h"

#define W 800
#define H 500
#define STEPS 60
#define MAXR 16

/* the runners' colours on the dark theme, in the order runners get them (live.c) */
static const unsigned palette[8] = {0xE69F00ffu, 0x56B4E9ffu, 0xCC79A7ffu, 0x009E73ffu,
                                    0xF0E442ffu, 0xD55E00ffu, 0x3C8CE6ffu, 0xB0B0B0ffu};

/* "view X0,X1,Y0,Y1" from the Description tEXt chunk (stored uncompressed). */
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

/* The runners after `steps` steps: how many could be probed (-1: a failure). */
static int probe_at(const char *bin, const char *dir, const char *name, const char *tmp, int steps, int last)
{
    char cmd[4096], out[1 << 15], png[600];
    snprintf(png, sizeof png, "%s/%s.png", tmp, name);
    /* the contour map, where runners are probed: a scene that opens in 3D (view3d =
       on, rendered in 3D too) is rendered from a copy with it off */
    snprintf(cmd, sizeof cmd, "sed 's/^view3d *= *on/view3d = off/' %s/%s > %s/%s", dir, name, tmp, name);
    if (run(cmd, out, sizeof out) != 0) {
        CHECK(0, "%s: copy failed", name);
        return -1;
    }
    snprintf(cmd, sizeof cmd, "%s render --scene %s/%s --steps %d --size %dx%d --legend off --caption off "
             "--critical off --out %s --force 2>&1", bin, tmp, name, steps, W, H, png);
    if (run(cmd, out, sizeof out) != 0) {
        CHECK(0, "%s: render failed: %s", name, out);
        return -1;
    }
    image im;
    double v[4];
    if (load_png(png, &im) != 0 || png_view(png, v) != 0) {
        CHECK(0, "%s: cannot read the render", name);
        return -1;
    }
    /* trace stops a diverged runner early: only rows at exactly `steps` count; with
       one runner there is no runner column */
    snprintf(cmd, sizeof cmd, "%s trace --scene %s/%s --steps %d 2>/dev/null", bin, dir, name, steps);
    static char all[1 << 22];
    run(cmd, all, sizeof all);
    int one = strncmp(all, "step,", 5) == 0;
    double px[MAXR], py[MAXR];
    int ok[MAXR] = {0}, n = 0;
    for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
        int k = 0;
        long step;
        double x, y;
        int got = one ? sscanf(line, "%ld,%lf,%lf", &step, &x, &y) + 1 : sscanf(line, "%d,%ld,%lf,%lf", &k, &step, &x, &y);
        if (got != 4 || k < 0 || k >= MAXR || step != steps) continue;
        to_px(v, W, H, x, y, &px[k], &py[k]);
        ok[k] = isfinite(px[k]) && isfinite(py[k]) && px[k] > 8 && px[k] < W - 8 && py[k] > 8 && py[k] < H - 8;
        if (k + 1 > n) n = k + 1;
    }
    /* hidden runners are not drawn */
    snprintf(cmd, sizeof cmd, "grep -c 'visible *= *off' %s/%s", dir, name);
    char hid[64] = "";
    run(cmd, hid, sizeof hid);
    int probed = 0;
    for (int k = 0; k < n; k++) {
        int clear = ok[k] && atoi(hid) == 0;
        for (int j = 0; j < n && clear; j++)
            if (j != k && ok[j] && hypot(px[j] - px[k], py[j] - py[k]) < 12) clear = 0;
        if (!clear) continue;
        int d = nearest(&im, px[k], py[k], 2, palette[k % 8]);
        CHECK(d < 45, "%s: runner %d drawn at (%.1f, %.1f) where trace puts it (colour distance %d)", name, k,
              px[k], py[k], d);
        probed++;
    }
    if (last) CHECK(probed > 0, "%s: at least one runner could be probed", name);
    free(im.px);
    unlink(png);
    return probed;
}

/* Late in the run, or earlier where the runners have all met (the same minimum). */
static void check_preset(const char *bin, const char *dir, const char *name, const char *tmp)
{
    static const int steps[] = {STEPS, 15, 4};
    for (int i = 0; i < 3; i++)
        if (probe_at(bin, dir, name, tmp, steps[i], i == 2) != 0) return;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_presets PATH/TO/optiscape SCENES_DIR\n");
        return 2;
    }
    char tmp[] = "/tmp/optiscape-test-presets-XXXXXX";
    if (!mkdtemp(tmp)) return 1;
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s render --size 16x16 --out %s/probe.png 2>&1", argv[1], tmp);
    if (run(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "test_presets: render cannot draw here: %s\n", out);
        snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
        run(cmd, NULL, 0);
        return getenv("OPTISCAPE_REQUIRE_GL") ? 1 : 77;
    }
    /* the scenes are rendered from copies: the plane files they name go beside them */
    snprintf(cmd, sizeof cmd, "for f in %s/*.plane; do [ -e \"$f\" ] || continue; cp \"$f\" %s/ || exit 1; done",
             argv[2], tmp);
    CHECK(run(cmd, out, sizeof out) == 0, "copy the plane files: %s", out);
    DIR *d = opendir(argv[2]);
    CHECK(d != NULL, "open %s", argv[2]);
    int count = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 7 || strcmp(e->d_name + n - 6, ".scene") != 0) continue;
        check_preset(argv[1], argv[2], e->d_name, tmp);
        count++;
    }
    if (d) closedir(d);
    CHECK(count >= 20, "at least 20 presets, found %d", count);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    run(cmd, NULL, 0);
    return check_done("test_presets");
}
