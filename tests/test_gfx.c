/* test_gfx: the render layer drawn offscreen (SDL_VIDEODRIVER=offscreen, Mesa) into a
 * target and probed with gfx_read_pixels: primitives, anti-aliasing, text, the field
 * shader against style_cmap_color, targets, shader reloading. Exits 77 (skip) only when
 * no OpenGL 3.3 context can be had at all. */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "render/gfx.h"

#define W 256
#define H 256
#define BG 0x102030ffu

static unsigned char buf[W * H * 4];

static const unsigned char *px(int x, int y)
{
    return buf + ((size_t)y * W + x) * 4;
}

/* Largest channel difference between the pixel at (x, y) and an 0xRRGGBBAA colour. */
static int diff(int x, int y, uint32_t c)
{
    const unsigned char *p = px(x, y);
    int d = 0;
    for (int k = 0; k < 3; k++) {
        int e = abs((int)p[k] - (int)(c >> (24 - 8 * k) & 0xff));
        if (e > d) d = e;
    }
    return d;
}

static int diff_px(int x0, int y0, int x1, int y1)
{
    const unsigned char *a = px(x0, y0), *b = px(x1, y1);
    int d = 0;
    for (int k = 0; k < 3; k++)
        if (abs(a[k] - b[k]) > d) d = abs(a[k] - b[k]);
    return d;
}

static void frame(gfx *g)
{
    gfx_begin(g, W, H);
    gfx_clear(g, BG);
}

static void grab(gfx *g)
{
    gfx_end(g);
    gfx_read_pixels(g, 0, 0, W, H, buf);
}

static void test_primitives(gfx *g)
{
    frame(g);
    gfx_rect(g, 10, 10, 40, 30, 0, 0xff0000ff);
    gfx_line(g, 10, 60.5f, 100, 60.5f, 1, 0xffffffff);
    gfx_line(g, 10, 100, 200, 100, 5, 0xffffffff);
    gfx_marker(g, GFX_CIRCLE, 150, 150, 10, 0x00ff00ff, 0, 0);
    gfx_marker(g, GFX_SQUARE, 200, 150, 10, 0x00ff00ff, 0, 0);
    gfx_arrow(g, 20, 230, 120, 230, 2, 14, 0xffffffff);
    grab(g);

    CHECK(diff(30, 25, 0xff0000ff) == 0, "rect inside: got %d,%d,%d", px(30, 25)[0], px(30, 25)[1], px(30, 25)[2]);
    CHECK(diff(5, 5, BG) == 0, "background outside the rect");
    CHECK(diff(10, 20, 0xff0000ff) == 0 && diff(9, 20, BG) == 0, "rect edges on pixel boundaries are crisp");
    CHECK(diff(49, 39, 0xff0000ff) == 0 && diff(50, 39, BG) == 0 && diff(49, 40, BG) == 0,
          "rect ends at x + w, y + h");

    CHECK(diff(50, 60, 0xffffffff) == 0, "1px line on its row is full white: %d", px(50, 60)[0]);
    CHECK(diff(50, 59, BG) == 0 && diff(50, 61, BG) == 0, "1px line: rows above and below untouched (%d, %d)",
          px(50, 59)[0], px(50, 61)[0]);

    /* width 5 centred on y = 100 covers 97.5 .. 102.5: rows 97 and 102 half covered. */
    CHECK(diff(100, 99, 0xffffffff) == 0, "thick line core");
    int e = px(100, 97)[0];
    CHECK(e > 0x10 + 20 && e < 255 - 20, "thick line AA edge is intermediate: %d", e);
    CHECK(diff(100, 95, BG) == 0, "thick line does not bleed two pixels out");

    /* (7.5, 7.5) from the centre: inside the square (half side 8.6), outside the circle. */
    CHECK(diff(157, 157, BG) == 0, "circle corner is background");
    CHECK(diff(207, 157, 0x00ff00ff) == 0, "square corner is filled");
    CHECK(diff(150, 150, 0x00ff00ff) == 0 && diff(200, 150, 0x00ff00ff) == 0, "marker centres filled");

    CHECK(diff(110, 233, 0xffffffff) < 8, "arrow head present below the shaft: %d", px(110, 233)[0]);
    CHECK(diff(60, 233, BG) == 0, "arrow shaft is thin");
    CHECK(diff(60, 229, 0xffffffff) < 8 || diff(60, 230, 0xffffffff) < 8, "arrow shaft drawn");
    CHECK(diff(124, 230, BG) == 0, "arrow ends at its tip");
}

static void test_polyline_joins(gfx *g)
{
    frame(g);
    /* A right angle (miter) and a near reversal (bevel), in half-transparent white. */
    float a[] = {20, 40, 120, 40, 120, 140};
    float b[] = {20, 200, 150, 200, 40, 230};
    gfx_polyline(g, a, 3, 8, NULL, 0xffffff80);
    gfx_polyline(g, b, 3, 8, NULL, 0xffffff80);
    /* Per-vertex colours with NaN in the middle: split, not poisoned. */
    float c[] = {20, 100, 60, 100, NAN, 3, 100, 100, 140, 100};
    uint32_t cc[] = {0xffffffff, 0xffffff40, 0xffffffff, 0xffffffff, 0xffffffff};
    gfx_polyline(g, c, 5, 3, cc, 0);
    grab(g);
    int mid = px(70, 40)[0];
    CHECK(mid > 0x60 && mid < 0xb0, "half-alpha stroke over the background: %d", mid);
    for (int dy = -3; dy <= 3; dy++)
        for (int dx = -3; dx <= 3; dx++)
            CHECK(diff_px(120 + dx, 40 + dy, 70, 40) <= 3, "miter joint (%d,%d) blends once: %d vs %d",
                  dx, dy, px(120 + dx, 40 + dy)[0], mid);
    /* Around the bevelled joint at (150, 200), where both segments and the bevel
     * piece meet. */
    for (int dy = -3; dy <= 2; dy++)
        for (int dx = -6; dx <= -1; dx++)
            CHECK(diff_px(150 + dx, 200 + dy, 80, 200) <= 3, "bevel joint (%d,%d) blends once: %d vs %d", dx,
                  dy, px(150 + dx, 200 + dy)[0], px(80, 200)[0]);
    CHECK(diff(152, 200, BG) == 0, "bevel cuts the corner off");
    CHECK(px(40, 100)[0] > 0x40 && diff(80, 100, BG) == 0 && px(120, 100)[0] > 0x40,
          "polyline split at a NaN point: %d %d %d", px(40, 100)[0], px(80, 100)[0], px(120, 100)[0]);
}

static void test_text(gfx *g)
{
    const char *s = "Hello, \xce\xbb\xe2\x88\x87";
    float w = gfx_text_width(g, s, -1, 16);
    float lh = gfx_line_height(g, 16);
    CHECK(w > 20 && w < 200, "text width plausible: %g", w);
    CHECK(lh >= 16 && lh < 30, "line height plausible: %g", lh);
    CHECK(gfx_text_width(g, "ab", 2, 16) > gfx_text_width(g, "a", 1, 16), "ab wider than a");
    CHECK(gfx_text_width(g, "ab", 1, 16) == gfx_text_width(g, "a", -1, 16), "len limits the string");
    frame(g);
    float adv = gfx_text(g, 10, 20, s, -1, 16, 0xffffffffu);
    gfx_text(g, 10, 60, "bad \xff\xfe\xe2\x82 utf8 \xf4\x90\x80\x80", -1, 16, 0xffffffffu);
    gfx_text(g, 10, 90, "huge", -1, 1e9f, 0xffffffffu);
    gfx_text(g, NAN, 90, "nan", -1, 16, 0xffffffffu);
    gfx_text(g, 10, 90, "nan px", -1, NAN, 0xffffffffu);
    grab(g);
    CHECK(adv == w, "gfx_text returns the measured advance: %g vs %g", adv, w);
    int inside = 0, outside = 0;
    for (int y = 20; y < 20 + (int)lh; y++) {
        for (int x = 10; x < 10 + (int)w; x++) inside += px(x, y)[0] > 200;
        for (int x = 10 + (int)ceilf(w) + 1; x < 10 + (int)w + 30; x++) outside += diff(x, y, BG) != 0;
    }
    for (int x = 0; x < W; x++) outside += diff(x, 19, BG) != 0;
    CHECK(inside > 30, "text pixels in its box: %d", inside);
    CHECK(outside == 0, "no text pixels outside its box: %d", outside);
}

static void ramp(float *loss, float *lmax, int w, int h)
{
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            loss[j * w + i] = (float)i / (float)(w - 1);
            if (lmax) lmax[j * w + i] = 4.0f * (float)i / (float)(w - 1);
        }
}

static void test_field(gfx *g)
{
    static float loss[256 * 4], lmax[256 * 4];
    ramp(loss, lmax, 256, 4);
    gfx_field_upload(g, loss, NULL, 256, 4);
    gfx_field_style st = {
        .dst = {0, 0, W, H}, .clip = {0, 0, W, H}, .cmap = STYLE_CMAP_VIRIDIS, .vmin = 0, .vmax = 1,
        .log_floor = 1e-3f, .iso = 0, .iso_step = 0.25f, .iso_width = 1.5f, .iso_alpha = 1, .background = BG};

    /* Each pixel column samples its texel's centre: value x / 255. */
    for (int m = 0; m < STYLE_CMAP_COUNT; m++) {
        st.cmap = (style_cmap)m;
        frame(g);
        gfx_field_draw(g, &st);
        grab(g);
        int xs[] = {0, 37, 96, 128, 200, 255};
        for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++) {
            uint32_t want = style_cmap_color((style_cmap)m, (float)xs[k] / 255.0f);
            CHECK(diff(xs[k], 100, want) <= 2, "cmap %d at x %d: want %08x got %02x%02x%02x", m, xs[k],
                  (unsigned)want, px(xs[k], 100)[0], px(xs[k], 100)[1], px(xs[k], 100)[2]);
        }
    }
    CHECK(style_cmap_color(STYLE_CMAP_VIRIDIS, 0) == 0x440154ff, "viridis starts at 440154: %08x",
          (unsigned)style_cmap_color(STYLE_CMAP_VIRIDIS, 0));
    CHECK(style_cmap_color(STYLE_CMAP_VIRIDIS, 1) == 0xfde725ff, "viridis ends at fde725: %08x",
          (unsigned)style_cmap_color(STYLE_CMAP_VIRIDIS, 1));
    CHECK(style_cmap_color(STYLE_CMAP_CIVIDIS, 1) == 0xfee838ff, "cividis ends at fee838");
    CHECK(style_cmap_color(STYLE_CMAP_LIGHT, 0) == 0xffffffff, "light map starts white");
    CHECK(style_cmap_color(STYLE_CMAP_VIRIDIS, NAN) == style_cmap_color(STYLE_CMAP_VIRIDIS, 0), "NaN maps to 0");

    /* Iso-lines: the level 0.5 lies between columns 127 and 128. */
    st.cmap = STYLE_CMAP_VIRIDIS;
    st.iso = 1;
    frame(g);
    gfx_field_draw(g, &st);
    grab(g);
    CHECK(diff(127, 100, style_cmap_color(st.cmap, 127 / 255.0f)) > 20, "iso-line on the level 0.5");
    CHECK(diff(96, 100, style_cmap_color(st.cmap, 96 / 255.0f)) <= 2, "no iso-line between levels");
    CHECK(diff(191, 100, style_cmap_color(st.cmap, 191 / 255.0f)) > 20, "iso-line on the level 0.75");
    st.iso = 0;
    frame(g);
    gfx_field_draw(g, &st);
    grab(g);
    CHECK(diff(127, 100, style_cmap_color(st.cmap, 127 / 255.0f)) <= 2, "no iso-lines when iso = 0");

    /* Log scale: u = log10(v + floor); iso_step in decades. */
    st.log_scale = 1;
    st.log_floor = 0.01f;
    st.iso = 1;
    st.iso_step = 1;
    frame(g);
    gfx_field_draw(g, &st);
    grab(g);
    /* v + 0.01 = 0.1 at v = 0.09, column 22.95; t there is 0.5. */
    CHECK(diff(23, 100, style_cmap_color(st.cmap, 0.5f)) > 20, "log iso-line at a decade");
    CHECK(diff(200, 100, style_cmap_color(st.cmap, (log10f(200 / 255.0f + 0.01f) + 2) / (log10f(1.01f) + 2))) <= 2,
          "log mapping matches the CPU");
    st.log_scale = 0;
    st.iso = 0;
    st.iso_step = 0.25f;

    /* Stability: lr * lmax > 2 where x > 127.5 (lr = 1). */
    gfx_field_upload(g, loss, lmax, 256, 4);
    st.stab_lr = 1;
    frame(g);
    gfx_field_draw(g, &st);
    grab(g);
    int changed_left = 0, changed_right = 0;
    for (int y = 90; y < 110; y++) {
        for (int x = 10; x < 120; x++) changed_left += diff(x, y, style_cmap_color(st.cmap, x / 255.0f)) > 2;
        for (int x = 140; x < 250; x++) changed_right += diff(x, y, style_cmap_color(st.cmap, x / 255.0f)) > 20;
    }
    CHECK(changed_left == 0, "stability shading only where lr * lmax > 2: %d changed", changed_left);
    CHECK(changed_right > 100, "hatching where lr * lmax > 2: %d changed", changed_right);
    st.stab_lr = 0;

    /* The texture covers only the left half: the rest is background; hillshade and
     * everything at once must not disturb anything outside. */
    st.dst[2] = W / 2;
    st.hillshade = 1;
    st.iso = 1;
    st.stab_lr = 0.5f;
    frame(g);
    gfx_field_draw(g, &st);
    grab(g);
    CHECK(diff(200, 100, BG) == 0, "outside the texture: background");
    CHECK(diff(60, 100, BG) != 0, "inside the texture: the map");

    /* A clip smaller than the target: untouched outside it. */
    st.dst[2] = W;
    st.clip[0] = 64;
    st.clip[2] = 64;
    frame(g);
    gfx_field_draw(g, &st);
    grab(g);
    CHECK(diff(30, 100, BG) == 0 && diff(200, 100, BG) == 0 && diff(96, 100, BG) != 0,
          "field draws its clip rect only");
    gfx_field_upload(g, NULL, NULL, 0, 0);
}

/* The field cache: the first draw with a new key shades directly, the second
 * shades into the cache, later ones copy it; every one gives the same pixels, and a
 * change of texture, style or clip shades again. */
static void test_field_cache(gfx *g)
{
    static float loss[64 * 48], lmax[64 * 48];
    static unsigned char first[W * H * 4];
    for (int j = 0; j < 48; j++)
        for (int i = 0; i < 64; i++) {
            float x = (i - 30) / 10.0f, y = (j - 20) / 9.0f;
            loss[j * 64 + i] = x * x * x * x - 2 * x * x + 3 * y * y;
            lmax[j * 64 + i] = 12 * x * x;
        }
    gfx_field_upload(g, loss, lmax, 64, 48);
    /* the texture reaches past the clip on the left, and the clip has fractions */
    gfx_field_style st = {
        .dst = {-20, 10, 260, 230}, .clip = {10.5f, 5.25f, 230.5f, 240.25f}, .cmap = STYLE_CMAP_VIRIDIS,
        .vmin = -1, .vmax = 40, .log_scale = 1, .log_floor = 0.05f, .iso = 1, .iso_step = 0.1f,
        .iso_width = 1.2f, .iso_alpha = 0.6f, .hillshade = 1, .stab_lr = 0.1f, .background = BG};
    long s0 = gfx_field_shaded(g);
    for (int k = 0; k < 4; k++) {
        frame(g);
        gfx_rect(g, 0, 0, W, 20, 0, 0xff0000ffu);   /* something under the field's edge */
        gfx_field_draw(g, &st);
        gfx_line(g, 0, 128, W, 128, 3, 0xffffff80u);  /* and something over it */
        grab(g);
        if (k == 0) {
            memcpy(first, buf, sizeof first);
        } else {
            size_t bad = 0;
            for (size_t i = 0; i < sizeof first; i++) bad += first[i] != buf[i];
            CHECK(bad == 0, "draw %d with the same key: identical pixels (%zu bytes differ)", k, bad);
        }
    }
    CHECK(gfx_field_shaded(g) - s0 == 2, "4 draws with one key shade twice, got %ld",
          gfx_field_shaded(g) - s0);
    /* a translucent background is drawn over what is under it, copied or not */
    st.background = 0x00ff0040u;
    st.dst[0] = 40;
    for (int k = 0; k < 3; k++) {
        frame(g);
        gfx_rect(g, 0, 0, W, H, 0, 0x0000ffffu);
        gfx_field_draw(g, &st);
        grab(g);
        if (k == 0) memcpy(first, buf, sizeof first);
        else CHECK(memcmp(first, buf, sizeof first) == 0, "translucent background, draw %d identical", k);
    }
    CHECK(diff(20, 100, 0x0000ffffu) > 10 && diff(20, 100, 0x00ff00ffu) > 10,
          "left of the texture: the translucent background over blue");
    long s1 = gfx_field_shaded(g);
    st.iso_alpha = 0.3f;
    frame(g);
    gfx_field_draw(g, &st);
    grab(g);
    CHECK(gfx_field_shaded(g) == s1 + 1, "a new style shades again");
    gfx_field_upload(g, loss, lmax, 64, 48);
    frame(g);
    gfx_field_draw(g, &st);
    grab(g);
    CHECK(gfx_field_shaded(g) == s1 + 2, "a new upload shades again");
    gfx_field_cache(g, 0);
    for (int k = 0; k < 3; k++) {
        frame(g);
        gfx_field_draw(g, &st);
        grab(g);
    }
    CHECK(gfx_field_shaded(g) == s1 + 5, "with the cache off every draw shades");
    gfx_field_cache(g, 1);
    gfx_field_upload(g, NULL, NULL, 0, 0);
}

static void test_robust(gfx *g)
{
    frame(g);
    gfx_line(g, NAN, 0, 10, 10, 1, 0xffffffff);
    gfx_line(g, INFINITY, 0, 10, 10, 1, 0xffffffff);
    gfx_line(g, 0, 0, 10, 10, NAN, 0xffffffff);
    gfx_rect(g, NAN, NAN, 10, 10, 0, 0xffffffff);
    gfx_rect(g, 0, 0, INFINITY, 10, 0, 0xffffffff);
    gfx_marker(g, GFX_STAR, 10, -INFINITY, 5, 0xffffffff, 0, 0);
    gfx_marker(g, (gfx_shape)99, 10, 10, 5, 0xffffffff, 0, 0);
    gfx_arrow(g, 5, 5, 5, 5, 2, 10, 0xffffffff);
    gfx_polyline(g, (float[]){1, 1, 1, 1, 1, 1}, 3, 2, NULL, 0xffffffff);
    gfx_rect_outline(g, 5, 5, 0, 10, 2, 1, 0xffffffff);
    /* A swarm (drawn as GL_POINTS) with some NaN among it. */
    static float pts[2 * 200];
    for (int i = 0; i < 200; i++) {
        pts[2 * i] = 100.5f + (float)(i % 20) * 6;
        pts[2 * i + 1] = 100.5f + (float)(i / 20) * 6;
    }
    pts[10] = NAN;
    gfx_points(g, pts, 200, 2, 0xffff00ff);
    gfx_rect(g, 20, 20, 10, 10, 0, 0x00ff00ff);
    grab(g);
    CHECK(diff(25, 25, 0x00ff00ff) == 0, "batch intact after dropped NaN/inf primitives");
    CHECK(diff(100, 100, 0xffff00ff) == 0 && diff(106, 106, 0xffff00ff) == 0, "points drawn");
    CHECK(diff(103, 103, BG) == 0, "points are small discs");
    CHECK(diff(2, 2, BG) == 0, "degenerate primitives draw nothing");
}

static void test_targets(gfx *g)
{
    char err[256];
    int maxs = gfx_max_size(g);
    CHECK(maxs >= 1024, "gfx_max_size: %d", maxs);
    gfx_target *one = gfx_target_create(g, 1, 1, err, sizeof err);
    CHECK(one != NULL, "1x1 target: %s", err);
    CHECK(gfx_target_create(g, 0, 5, err, sizeof err) == NULL, "0-wide target refused");
    CHECK(gfx_target_create(g, maxs + 1, 5, err, sizeof err) == NULL, "too large target refused");
    if (!one) return;
    gfx_target_bind(g, one);
    gfx_begin(g, 1, 1);
    gfx_clear(g, 0x000000ff);
    gfx_rect(g, 0, 0, 1, 1, 0, 0x336699ff);
    gfx_line(g, 0, 0.5f, 1, 0.5f, 1, 0x336699ff);
    gfx_text(g, 0, 0, "x", 1, 12, 0xffffffff);
    gfx_rect(g, 0, 0, 1, 1, 0, 0x336699ff);
    gfx_end(g);
    unsigned char p[4];
    gfx_read_pixels(g, 0, 0, 1, 1, p);
    CHECK(p[0] == 0x33 && p[1] == 0x66 && p[2] == 0x99, "1x1 target pixel: %02x%02x%02x", p[0], p[1], p[2]);
    gfx_begin(g, 0, 0);   /* a window minimized to nothing must not break anything */
    gfx_rect(g, 0, 0, 1, 1, 0, 0x336699ff);
    gfx_end(g);
    gfx_target_destroy(g, one);
}

/* The repository's shaders/ directory, found from this file's path or the
 * working directory; NULL when it cannot be found. */
static const char *repo_shader_dir(void)
{
    static char dir[1024];
    const char *env = getenv("OPTISCAPE_SHADER_DIR");
    const char *cands[4] = {env, NULL, "shaders", "../shaders"};
    char from_file[900];
    snprintf(from_file, sizeof from_file, "%s", __FILE__);
    char *slash = strrchr(from_file, '/');
    if (slash) {
        *slash = 0;
        snprintf(dir, sizeof dir, "%s/../shaders", from_file);
        cands[1] = dir;
    }
    for (int i = 0; i < 4; i++) {
        if (!cands[i]) continue;
        char probe[1100];
        snprintf(probe, sizeof probe, "%s/prim.frag", cands[i]);
        if (access(probe, R_OK) == 0) {
            if (cands[i] != dir) snprintf(dir, sizeof dir, "%s", cands[i]);
            return dir;
        }
    }
    return NULL;
}

static int copy_file(const char *from, const char *to, const char *replace_with)
{
    FILE *o = fopen(to, "wb");
    if (!o) return -1;
    if (replace_with) {
        fputs(replace_with, o);
        return fclose(o);
    }
    FILE *i = fopen(from, "rb");
    if (!i) {
        fclose(o);
        return -1;
    }
    char b[4096];
    size_t n;
    while ((n = fread(b, 1, sizeof b, i)) > 0) fwrite(b, 1, n, o);
    fclose(i);
    return fclose(o);
}

static void test_reload(void)
{
    static const char *names[] = {"prim.vert", "prim.frag", "points.vert", "points.frag", "field.vert",
                                  "field.frag", "blit.frag", "fieldmap.glsl"};
    const char *repo = repo_shader_dir();
    if (!repo) {
        printf("test_gfx: shaders/ not found (set OPTISCAPE_SHADER_DIR): reload tests skipped\n");
        return;
    }
    char err[2048];
    gfx *g = gfx_create(&(gfx_desc){.shader_dir = repo}, err, sizeof err);
    CHECK(g != NULL, "gfx_create from %s: %s", repo, err);
    if (!g) return;
    CHECK(gfx_reload_shaders(g, err, sizeof err) == 0, "reload from %s: %s", repo, err);
    gfx_destroy(g);

    char tmp[] = "/tmp/optiscape_shadersXXXXXX";
    if (!mkdtemp(tmp)) {
        CHECK(0, "mkdtemp failed");
        return;
    }
    char from[1200], to[1200];
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        snprintf(from, sizeof from, "%s/%s", repo, names[k]);
        snprintf(to, sizeof to, "%s/%s", tmp, names[k]);
        CHECK(copy_file(from, to, NULL) == 0, "copy %s", from);
    }
    g = gfx_create(&(gfx_desc){.shader_dir = tmp}, err, sizeof err);
    CHECK(g != NULL, "gfx_create from a copy: %s", err);
    if (g) {
        gfx_target *t = gfx_target_create(g, W, H, err, sizeof err);
        snprintf(to, sizeof to, "%s/prim.frag", tmp);
        copy_file(NULL, to, "#version 330 core\nout vec4 o;\nvoid main()\n{\n    o = vec4(1.0) +;\n}\n");
        err[0] = 0;
        CHECK(gfx_reload_shaders(g, err, sizeof err) != 0, "a broken shader fails to reload");
        CHECK_STR_CONTAINS(err, "prim.frag:5", "the message names the file and line");
        snprintf(from, sizeof from, "%s/prim.frag", repo);
        copy_file(from, to, NULL);
        snprintf(to, sizeof to, "%s/field.vert", tmp);
        unlink(to);
        CHECK(gfx_reload_shaders(g, err, sizeof err) != 0, "a missing shader fails to reload");
        CHECK_STR_CONTAINS(err, "field.vert", "the message names the missing file");
        /* The old programs keep drawing. */
        gfx_target_bind(g, t);
        frame(g);
        gfx_rect(g, 10, 10, 20, 20, 4, 0xff8000ff);
        gfx_field_upload(g, (float[]){0, 1, 0, 1}, NULL, 2, 2);
        gfx_field_draw(g, &(gfx_field_style){.dst = {100, 100, 50, 50}, .clip = {100, 100, 50, 50},
                                             .vmin = 0, .vmax = 1, .background = BG});
        grab(g);
        CHECK(diff(20, 20, 0xff8000ff) == 0, "old prim program still draws");
        CHECK(diff(125, 125, BG) != 0, "old field program still draws");
        CHECK(gfx_gl_errors(g, "reload") == 0, "no GL errors after failed reloads");
        gfx_target_destroy(g, t);
        gfx_destroy(g);
    }
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        snprintf(to, sizeof to, "%s/%s", tmp, names[k]);
        unlink(to);
    }
    rmdir(tmp);
}

int main(void)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        printf("test_gfx: no video (%s): skipped\n", SDL_GetError());
        return getenv("OPTISCAPE_REQUIRE_GL") ? 1 : 77;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_Window *win = SDL_CreateWindow("test_gfx", 0, 0, 64, 64, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    SDL_GLContext ctx = win ? SDL_GL_CreateContext(win) : NULL;
    if (!ctx) {
        printf("test_gfx: no OpenGL 3.3 core context (%s): skipped\n", SDL_GetError());
        if (win) SDL_DestroyWindow(win);
        SDL_Quit();
        return getenv("OPTISCAPE_REQUIRE_GL") ? 1 : 77;
    }
    char err[2048];
    gfx *g = gfx_create(NULL, err, sizeof err);
    CHECK(g != NULL, "gfx_create: %s", err);
    if (g) {
        gfx_target *t = gfx_target_create(g, W, H, err, sizeof err);
        CHECK(t != NULL, "target: %s", err);
        if (t) {
            gfx_target_bind(g, t);
            test_primitives(g);
            test_polyline_joins(g);
            test_text(g);
            test_field(g);
            test_field_cache(g);
            test_robust(g);
            test_targets(g);
            gfx_target_bind(g, NULL);
            gfx_target_destroy(g, t);
        }
        CHECK(gfx_gl_errors(g, "test_gfx") == 0, "no GL errors");
        gfx_destroy(g);
    }
    test_reload();
    SDL_GL_DeleteContext(ctx);
    SDL_DestroyWindow(win);
    SDL_Quit();
    return check_done("test_gfx");
}
