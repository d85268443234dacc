/* image: what the tests that run the optiscape binary and look at its pictures
 * share: running a command, reading a PNG, probing pixels, the window's and
 * render's world-to-pixel rule. Header only (static functions); include once. */
#ifndef OPTISCAPE_TEST_IMAGE_H
#define OPTISCAPE_TEST_IMAGE_H

#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Run cmd with popen; its output (up to outlen - 1 bytes) in out; the exit status. */
static int run(const char *cmd, char *out, size_t outlen)
{
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    size_t n = 0;
    if (out && outlen) {
        n = fread(out, 1, outlen - 1, p);
        out[n] = '\0';
    } else {
        char buf[4096];
        while (fread(buf, 1, sizeof buf, p) > 0) {}
    }
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

typedef struct image { int w, h; unsigned char *px; } image;

static int load_png(const char *path, image *im)
{
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&pi, path)) return -1;
    pi.format = PNG_FORMAT_RGBA;
    im->w = (int)pi.width;
    im->h = (int)pi.height;
    im->px = malloc(PNG_IMAGE_SIZE(pi));
    if (!im->px || !png_image_finish_read(&pi, NULL, im->px, 0, NULL)) {
        free(im->px);
        return -1;
    }
    return 0;
}


/* Runs "PREFIX ARGS FLAG DIR/NAME 2>&1" (the binary's command writing a PNG there: FLAG
   is "--out" or "--screenshot"), then loads the PNG into im when im is not NULL. 0, or
   the command's status / -1 with the command and its output on stderr. */
static inline int shot_run(const char *prefix, const char *args, const char *flag, const char *dir,
                    const char *name, image *im, char *out, size_t outlen)
{
    char cmd[4096], path[512], buf[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    snprintf(cmd, sizeof cmd, "%s %s%s%s %s 2>&1", prefix, args, *flag ? " " : "", flag, path);
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

static const unsigned char *at(const image *im, int x, int y)
{
    if (x < 0) x = 0;
    if (y < 0) y = 0;
    if (x >= im->w) x = im->w - 1;
    if (y >= im->h) y = im->h - 1;
    return im->px + ((size_t)y * im->w + x) * 4;
}

/* The smallest colour distance to c within r pixels of (x, y). */
static int nearest(const image *im, double x, double y, int r, unsigned c)
{
    int best = 1 << 30;
    int cx = (int)floor(x), cy = (int)floor(y);
    for (int dy = -r; dy <= r; dy++)
        for (int dx = -r; dx <= r; dx++) {
            const unsigned char *p = at(im, cx + dx, cy + dy);
            int d = abs(p[0] - (int)(c >> 24 & 255)) + abs(p[1] - (int)(c >> 16 & 255)) +
                    abs(p[2] - (int)(c >> 8 & 255));
            if (d < best) best = d;
        }
    return best;
}

/* World to pixel for a canvas of W x H at the top left with an isotropic view
 * fitted to v (the window's own rule). */
static void to_px(const double v[4], int W, int H, double x, double y, double *px, double *py)
{
    double upp = fmax((v[1] - v[0]) / W, (v[3] - v[2]) / H);
    double cx = 0.5 * (v[0] + v[1]), cy = 0.5 * (v[2] + v[3]);
    *px = W / 2.0 + (x - cx) / upp;
    *py = H / 2.0 - (y - cy) / upp;
}

#endif
