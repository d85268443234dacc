/* test_style: the look written once in style/ is the look the GPU draws. A field is
 * shaded through the GL path offscreen (field.frag with shaders/fieldmap.glsl), a
 * texel a pixel, and every pixel is compared with the CPU's mapping (fieldmap) and
 * colour map (cmap) of its value, for each colour map: a sweep over the range and the
 * values that matter (at and below vmin, at the floor, at and beside every iso level,
 * at and above vmax).
 *
 * The tolerance is 1 unit a channel, and at most 1 pixel in 200 may use it: the
 * shader's log2 is single precision and its rounding is the driver's (GLSL allows a
 * few ulp), so a t within ~1e-7 of the boundary between two of the table's 1024
 * entries can land on the neighbour, and neighbouring entries differ by at most 1 a
 * channel (checked here). Anything else (a wrong floor, clamp, scale, table index or
 * map) moves most pixels or moves them by more. Exits 77 (skip) when there is no
 * OpenGL 3.3 context (platform/glctx's offscreen one), or 1 with OPTISCAPE_REQUIRE_GL set. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/platform/glctx.h"
#include "check.h"
#include "render/gfx.h"
#include "style/cmap.h"
#include "style/fieldmap.h"

#define W 256
#define H 64
#define BG 0x102030ffu

static unsigned char pixels[W * H * 4];
static float field[W * H];

/* Largest channel difference between two 0xRRGGBBAA colours. */
static int cdiff(uint32_t a, uint32_t b)
{
    int d = 0;
    for (int k = 0; k < 3; k++) {
        int e = abs((int)(a >> (24 - 8 * k) & 0xff) - (int)(b >> (24 - 8 * k) & 0xff));
        if (e > d) d = e;
    }
    return d;
}

static void test_cpu(void)
{
    fieldmap m = fieldmap_of(0.25f, 7.5f);
    CHECK(fieldmap_t_gpu(&m, 0.25) < 1e-6, "vmin maps to 0: %g", fieldmap_t_gpu(&m, 0.25));
    CHECK(fieldmap_t_gpu(&m, -100) == 0, "below vmin clamps to 0");
    CHECK(fieldmap_t_gpu(&m, 7.5) > 0.999999 && fieldmap_t_gpu(&m, 7.5) <= 1, "vmax maps to 1: %.9g",
          fieldmap_t_gpu(&m, 7.5));
    CHECK(fieldmap_t_gpu(&m, 1e30) == 1, "above vmax clamps to 1");
    CHECK_NEAR(fieldmap_u(&m, 0.25), log10(m.floor_d), 1e-12, 0, "u at vmin is log10(floor)");
    for (long k = -3; k <= 3; k++)
        CHECK_NEAR(fieldmap_u(&m, fieldmap_level_value(&m, k)), fieldmap_level(&m, k), 0, 1e-12,
                   "level %ld's value maps to its u", k);
    CHECK(style_cmap_color(STYLE_CMAP_VIRIDIS, 0) == 0x440154ff, "viridis starts at 440154");
    CHECK(style_cmap_color(STYLE_CMAP_VIRIDIS, 1) == 0xfde725ff, "viridis ends at fde725");
    CHECK(style_cmap_color(STYLE_CMAP_CIVIDIS, 1) == 0xfee838ff, "cividis ends at fee838");
    CHECK(style_cmap_color(STYLE_CMAP_LIGHT, 0) == 0xffffffff, "light starts white");
    CHECK(style_cmap_color(STYLE_CMAP_VIRIDIS, NAN) == style_cmap_color(STYLE_CMAP_VIRIDIS, 0), "NaN is 0");
    /* the tolerance's premise: the table's neighbours are at most 1 apart a channel */
    for (int cm = 0; cm < STYLE_CMAP_COUNT; cm++) {
        int worst = 0;
        for (int i = 0; i + 1 < STYLE_CMAP_LUT_N; i++) {
            uint32_t a = style_cmap_color((style_cmap)cm, (float)i / (STYLE_CMAP_LUT_N - 1));
            uint32_t b = style_cmap_color((style_cmap)cm, (float)(i + 1) / (STYLE_CMAP_LUT_N - 1));
            if (cdiff(a, b) > worst) worst = cdiff(a, b);
        }
        CHECK(worst <= 1, "map %d: neighbouring table entries differ by %d", cm, worst);
    }
}

/* The values that matter for m, then a sweep of t over -0.05 .. 1.05 in u for the
 * rest of the W x H field; returns how many special values lead the field. */
static int fill_field(const fieldmap *m)
{
    int n = 0;
    float vmin = m->vmin, fl = m->floor_;
    float specials[] = {vmin, nextafterf(vmin, -INFINITY), nextafterf(vmin, INFINITY), vmin - fl * 0.5f,
                        vmin - fl, vmin - fl * 2, vmin - (float)m->range, -1e30f, vmin + fl, vmin + fl * 0.5f,
                        vmin + fl * 1e-3f, m->vmax, nextafterf(m->vmax, INFINITY), nextafterf(m->vmax, -INFINITY),
                        m->vmax + (float)m->range, 1e30f};
    for (size_t i = 0; i < sizeof specials / sizeof *specials; i++) field[n++] = specials[i];
    /* every iso level in the range, on it and a hair either side */
    long k0 = (long)ceil(m->umin / m->iso_step), k1 = (long)floor(m->umax / m->iso_step);
    for (long k = k0; k <= k1 && n + 3 < W * H; k++) {
        float v = (float)fieldmap_level_value(m, k);
        field[n++] = v;
        field[n++] = nextafterf(v, -INFINITY);
        field[n++] = nextafterf(v, INFINITY);
    }
    int lead = n;
    for (int i = n; i < W * H; i++) {
        double t = -0.05 + 1.1 * (double)(i - n) / (double)(W * H - n - 1);
        double u = m->umin + t * (m->umax - m->umin);
        field[i] = (float)(m->vmin - m->floor_d + pow(10.0, u));
    }
    return lead;
}

/* Shade the field for m with map cm, a texel a pixel, and compare every pixel. */
static void check_map(gfx *g, const fieldmap *m, style_cmap cm, const char *what)
{
    int lead = fill_field(m);
    gfx_field_upload(g, field, NULL, W, H);
    gfx_field_style st = {.dst = {0, 0, W, H}, .clip = {0, 0, W, H}, .cmap = cm,
                          .vmin = m->vmin, .vmax = m->vmax, .log_scale = 1, .log_floor = m->floor_,
                          .background = BG};
    gfx_begin(g, W, H);
    gfx_clear(g, BG);
    gfx_field_draw(g, &st);
    gfx_end(g);
    gfx_read_pixels(g, 0, 0, W, H, pixels);
    int worst = 0, off = 0, worst_i = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int i = (H - 1 - y) * W + x;   /* texture row 0 is the bottom row */
            uint32_t want = style_cmap_color(cm, (float)fieldmap_t_gpu(m, field[i]));
            const unsigned char *p = pixels + ((size_t)y * W + x) * 4;
            uint32_t got = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | 0xffu;
            int d = cdiff(want, got);
            off += d != 0;
            if (d > worst) worst = d, worst_i = i;
            CHECK(d <= 1 || i >= lead, "%s map %d: special value %d (%.9g, t %.9g): want %08x got %08x", what,
                  (int)cm, i, field[i], fieldmap_t_gpu(m, field[i]), (unsigned)want, (unsigned)got);
        }
    CHECK(worst <= 1, "%s map %d: a pixel off by %d (value %.9g, t %.9g)", what, (int)cm, worst, field[worst_i],
          fieldmap_t_gpu(m, field[worst_i]));
    CHECK(off * 200 <= W * H, "%s map %d: %d of %d pixels off by one", what, (int)cm, off, W * H);
    printf("test_style: %s, map %d: %d of %d pixels exact, the rest within %d\n", what, (int)cm, W * H - off,
           W * H, worst);
}

static void test_gl(gfx *g)
{
    char err[1024];
    gfx_target *t = gfx_target_create(g, W, H, err, sizeof err);
    CHECK(t != NULL, "target: %s", err);
    if (!t) return;
    gfx_target_bind(g, t);
    gfx_field_cache(g, 0);
    struct { float vmin, vmax; const char *what; } ranges[] = {
        {0.25f, 7.5f, "range 0.25..7.5"},
        {-3.0f, 1.2e4f, "range -3..1.2e4"},
        {1000.0f, 1000.004f, "a narrow range far from 0"},
    };
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++) {
        fieldmap m = fieldmap_of(ranges[r].vmin, ranges[r].vmax);
        for (int cm = 0; cm < STYLE_CMAP_COUNT; cm++) check_map(g, &m, (style_cmap)cm, ranges[r].what);
    }
    CHECK(gfx_gl_errors(g, "test_style") == 0, "no GL errors");
    gfx_target_bind(g, NULL);
    gfx_target_destroy(g, t);
}

int main(void)
{
    test_cpu();
    glctx c;
    if (glctx_open(&c, &(glctx_desc){.offscreen = 1, .title = "test_style"}) != GLCTX_OK) {
        printf("test_style: no OpenGL 3.3 core context (%s): skipped\n", c.why);
        return getenv("OPTISCAPE_REQUIRE_GL") ? 1 : 77;
    }
    char err[2048];
    gfx *g = gfx_create(NULL, err, sizeof err);
    CHECK(g != NULL, "gfx_create: %s", err);
    if (g) {
        test_gl(g);
        gfx_destroy(g);
    }
    glctx_close(&c);
    return check_done("test_style");
}
