/* test_ui: widget behaviour driven frame by frame with synthetic input and a fake
 * font (every byte 0.5 px wide per px of text size, lines 1.25 px), so positions are
 * exact and every expectation is computed from the layout rules, not read back from
 * the implementation. Each frame's command list is also checked for well-formedness. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ui/ui.h"

/* ---- fixture -------------------------------------------------------------------- */

static float fake_width(void *user, const char *s, int len, float px)
{
    (void)user;
    (void)s;
    return (float)len * px * 0.5f;
}

static float fake_line(void *user, float px)
{
    (void)user;
    return px * 1.25f;
}

/* px 16: lines of 20, 8 px per byte; pad 4: one-line widgets are 20 + 6 = 26 high;
   a panel 216 wide gives a body at x = 4 of width 208 (t * 208 exact for t = k/8) */
static ui_style test_style(void)
{
    ui_style s = ui_style_dark(1);
    s.px = 16;
    s.pad = 4;
    s.spacing = 4;
    s.radius = 2;
    return s;
}

static const ui_rect PANEL = {0, 0, 216, 400};
#define ITEM_H 26.0f
#define FAR 5000.0f

static ui *make_ui(void)
{
    ui_font f = {NULL, fake_width, fake_line};
    ui *u = ui_create(&f);
    ui_style s = test_style();
    ui_set_style(u, &s);
    return u;
}

/* one of each widget, each switchable; the rects come back for clicking */
typedef struct scene {
    int nslider;
    double v[4], lo[4], hi[4];
    unsigned flags[4];
    const char *fmt;
    int with_chk, with_btn, with_choice, with_text, nlabels;
    int chk, sel, nnames;
    const char *const *names;
    char text[64];
    size_t cap;
    const char *err;
    int open;                /* with_header: the widgets sit under a header */
    int with_header;
    ui_rect panel;
    /* out */
    int r_slider[4], r_chk, r_btn, r_choice, r_text;
    ui_rect rect_slider[4], rect_chk, rect_btn, rect_choice, rect_text, rect_header;
} scene;

static const char *const NAMES[] = {"sgd", "adam", "rmsprop", "adagrad"};

static void scene_init(scene *s)
{
    memset(s, 0, sizeof *s);
    s->names = NAMES;
    s->nnames = 4;
    s->cap = sizeof s->text;
    s->panel = PANEL;
    s->fmt = "%.3g";
}

static void build(ui *u, scene *s)
{
    ui_panel_begin(u, "panel", s->panel);
    if (s->with_header) {
        ui_header(u, "section", &s->open);
        s->rect_header = ui_last_rect(u);
        if (!s->open) {
            ui_panel_end(u);
            return;
        }
    }
    for (int i = 0; i < s->nslider; i++) {
        ui_push_id(u, i);
        s->r_slider[i] = ui_slider(u, "value", &s->v[i], s->lo[i], s->hi[i], s->flags[i], s->fmt);
        s->rect_slider[i] = ui_last_rect(u);
        ui_pop_id(u);
    }
    if (s->with_chk) { s->r_chk = ui_checkbox(u, "check", &s->chk); s->rect_chk = ui_last_rect(u); }
    if (s->with_btn) { s->r_btn = ui_button(u, "button"); s->rect_btn = ui_last_rect(u); }
    if (s->with_choice) {
        s->r_choice = ui_choice(u, "choice", &s->sel, s->names, s->nnames);
        s->rect_choice = ui_last_rect(u);
    }
    if (s->with_text) {
        s->r_text = ui_textbox(u, "##text", s->text, s->cap, s->err);
        s->rect_text = ui_last_rect(u);
    }
    for (int i = 0; i < s->nlabels; i++) ui_label(u, "a label", 0);
    ui_panel_end(u);
}

/* Well-formed: every TEXT has len >= 0 and text when len > 0, every rect is finite
   with w, h >= 0, drawing happens only under a clip, and the list ends unclipped. */
static void check_cmds(const ui_cmd *c, int n, const char *where)
{
    int clipped = 0, bad = 0;
    for (int i = 0; i < n && !bad; i++) {
        const ui_cmd *k = &c[i];
        if (k->type == UI_CMD_CLIP) {
            clipped = k->r.w >= 0;
            continue;
        }
        if (!clipped) { CHECK(clipped, "%s: command %d (type %d) drawn with no clip", where, i, k->type); bad = 1; }
        if (!(isfinite(k->r.x) && isfinite(k->r.y) && k->r.w >= 0 && k->r.h >= 0)) {
            CHECK(0, "%s: command %d has rect %g %g %g %g", where, i, k->r.x, k->r.y, k->r.w, k->r.h);
            bad = 1;
        }
        if (k->type == UI_CMD_TEXT && (k->len < 0 || (k->len > 0 && !k->text))) {
            CHECK(0, "%s: TEXT %d has len %d text %p", where, i, k->len, (const void *)k->text);
            bad = 1;
        }
    }
    CHECK(!clipped, "%s: the list of %d commands ends with a clip still set", where, n);
}

typedef struct frame_out { const ui_cmd *c; int n; } frame_out;

static frame_out frame(ui *u, const ui_input *in, scene *s)
{
    frame_out f;
    ui_begin(u, in);
    build(u, s);
    f.c = ui_end(u, &f.n);
    check_cmds(f.c, f.n, "frame");
    return f;
}

static ui_input at(float x, float y)
{
    ui_input in;
    memset(&in, 0, sizeof in);
    in.mx = x;
    in.my = y;
    return in;
}

static ui_input press(float x, float y) { ui_input in = at(x, y); in.pressed = in.down = 1; return in; }
static ui_input drag(float x, float y) { ui_input in = at(x, y); in.down = 1; return in; }
static ui_input release(float x, float y) { ui_input in = at(x, y); in.released = 1; return in; }
static ui_input key(unsigned k, unsigned mods) { ui_input in = at(FAR, FAR); in.keys = k; in.mods = mods; return in; }

static ui_input typed(const char *t)
{
    ui_input in = at(FAR, FAR);
    snprintf(in.text, sizeof in.text, "%s", t);
    return in;
}

static float cx(ui_rect r) { return r.x + r.w / 2; }
static float cy(ui_rect r) { return r.y + r.h / 2; }

/* press and release at (x, y): two frames */
static void click(ui *u, scene *s, float x, float y)
{
    ui_input in = press(x, y);
    frame(u, &in, s);
    in = release(x, y);
    frame(u, &in, s);
}

static void idle(ui *u, scene *s)
{
    ui_input in = at(FAR, FAR);
    frame(u, &in, s);
}

static void keys(ui *u, scene *s, unsigned k, unsigned mods)
{
    ui_input in = key(k, mods);
    frame(u, &in, s);
}

/* the text of a TEXT command as a C string (for lookups) */
static int text_is(const ui_cmd *c, const char *t)
{
    return c->type == UI_CMD_TEXT && c->len == (int)strlen(t) && memcmp(c->text, t, (size_t)c->len) == 0;
}

static int find_text(frame_out f, const char *t)
{
    for (int i = 0; i < f.n; i++)
        if (text_is(&f.c[i], t)) return i;
    return -1;
}

/* index of the focus ring: a BOX in the style's focus colour */
static int find_focus_ring(frame_out f, uint32_t focus)
{
    int found = -1;
    for (int i = 0; i < f.n; i++)
        if (f.c[i].type == UI_CMD_BOX && f.c[i].color == focus) found = found < 0 ? i : -2;
    return found;
}

/* which of the rects the focus ring surrounds (-1: no ring, -2: several rings) */
static int focused(frame_out f, const ui_rect *rects, int n)
{
    ui_style st = test_style();
    int i = find_focus_ring(f, st.focus);
    if (i < 0) return i;
    for (int k = 0; k < n; k++)
        if (fabsf(cx(f.c[i].r) - cx(rects[k])) < 0.01f && fabsf(cy(f.c[i].r) - cy(rects[k])) < 0.01f)
            return k;
    return -3;
}

/* ---- sliders --------------------------------------------------------------------- */

/* x to 3 significant digits, by powers of ten (a drag's snap) */
static double sig3(double x)
{
    if (x == 0) return 0;
    double q = pow(10, floor(log10(fabs(x))) - 2);
    return round(x / q) * q;
}

static void test_slider_mapping(void)
{
    static const struct { double lo, hi; unsigned flags; double t; } rows[] = {
        {0, 1, 0, 0.25},
        {-3, 5, 0, 0.75},
        {0, 0.999, 0, 0.125},
        {1e-5, 10, UI_SLIDER_LOG, 0.5},
        {1e-5, 10, UI_SLIDER_LOG, 0.25},
        {1e-12, 1, UI_SLIDER_LOG, 0.125},
        {0.5, 1, UI_SLIDER_LOG, 0.875},
        {1e-4, 1, UI_SLIDER_LOG, 0.3},   /* mx not exact in float: t is recomputed below */
        {1e-4, 1, 0, 0.3},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.nslider = 1;
        s.lo[0] = rows[i].lo;
        s.hi[0] = rows[i].hi;
        s.flags[0] = rows[i].flags;
        s.v[0] = rows[i].hi;
        idle(u, &s);
        ui_rect r = s.rect_slider[0];
        CHECK_NEAR(r.x, 4, 0, 0, "row %zu: slider x", i);
        CHECK_NEAR(r.w, 208, 0, 0, "row %zu: slider width", i);
        float mx = r.x + (float)rows[i].t * r.w;
        double t = ((double)mx - r.x) / r.w;
        double lo = rows[i].lo, hi = rows[i].hi;
        double want = sig3((rows[i].flags & UI_SLIDER_LOG) ? lo * pow(hi / lo, t) : lo + t * (hi - lo));
        if (want > hi) want = hi;
        ui_input in = press(mx, cy(r));
        frame(u, &in, &s);
        CHECK_NEAR(s.v[0], want, 1e-12, 0, "row %zu: [%g, %g] flags %u at t = %.17g (snapped to 3 digits)", i,
                   lo, hi, rows[i].flags, t);
        CHECK(s.r_slider[0] == 1, "row %zu: a press that moves the value returns 1, got %d", i, s.r_slider[0]);
        CHECK(ui_wants_mouse(u), "row %zu: dragging wants the mouse", i);
        in = release(mx, cy(r));
        frame(u, &in, &s);
        CHECK(s.r_slider[0] == 0, "row %zu: release at the same spot changes nothing, got %d", i, s.r_slider[0]);
        ui_destroy(u);
    }
}

/* A value from the program outside the range (a command line's lr=1e-6) is never
 * changed by drawing: it is shown exactly with "out of range", and the handle sits
 * at the nearer end. The user's first drag brings it in. */
static void test_slider_out_of_range(void)
{
    static const struct { double lo, hi; unsigned flags; double v; const char *fmt, *shown; int end; } rows[] = {
        {1e-5, 10, UI_SLIDER_LOG, 1e-6, "lr %.4g", "lr 1e-06 out of range", 0},
        {1e-12, 1, UI_SLIDER_LOG, 1e-30, "eps %.1e", "eps 1e-30 out of range", 0},
        {0, 1, 0, 1.25, "%.4g", "1.25 out of range", 1},
        {0, 1, 0, -5, "%.4g", "-5 out of range", 0},
        {0, 1, 0, NAN, "%.4g", "nan out of range", 0},
        {0, 1, 0, INFINITY, "v %.4g", "v inf out of range", 1},
        {0, 0.9999, UI_SLIDER_LOG1M, 0.99999, "b %.4g", "b 0.99999 out of range", 1},
        {1, 10000, UI_SLIDER_INT | UI_SLIDER_LOG, 20000, "%.0f", "20000 out of range", 1},
        {0, 1, 0, 0.5, "%.4g", "0.5", -1},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.nslider = 1;
        s.lo[0] = rows[i].lo;
        s.hi[0] = rows[i].hi;
        s.flags[0] = rows[i].flags;
        s.v[0] = rows[i].v;
        s.fmt = rows[i].fmt;
        for (int f = 0; f < 3; f++) {
            ui_input in = at(FAR, FAR);
            frame_out fo = frame(u, &in, &s);
            int same = isnan(rows[i].v) ? isnan(s.v[0]) : s.v[0] == rows[i].v;
            CHECK(same, "row %zu frame %d: %g in [%g, %g] stays, got %.17g", i, f, rows[i].v, rows[i].lo,
                  rows[i].hi, s.v[0]);
            CHECK(s.r_slider[0] == 0, "row %zu frame %d: drawing is no change, got return %d", i, f, s.r_slider[0]);
            CHECK(find_text(fo, rows[i].shown) >= 0, "row %zu: \"%s\" is shown", i, rows[i].shown);
            if (find_text(fo, rows[i].shown) < 0)
                for (int c = 0; c < fo.n; c++)
                    if (fo.c[c].type == UI_CMD_TEXT) fprintf(stderr, "  text: %.*s\n", fo.c[c].len, fo.c[c].text);
            if (rows[i].end >= 0 && f == 0) {
                /* the handle (the accent rect 3 px wide) at the nearer end */
                ui_rect r = s.rect_slider[0];
                ui_style st = test_style();
                int found = 0;
                for (int c = 0; c < fo.n; c++)
                    if (fo.c[c].type == UI_CMD_RECT && fo.c[c].color == st.accent &&
                        fabsf(fo.c[c].r.w - 3 * 16 / 14.0f) < 0.01f)   /* 3 px at scale px / 14 */
                        found = fabsf(fo.c[c].r.x - (rows[i].end ? r.x + r.w - 3 * 16 / 14.0f : r.x)) < 0.01f;
                CHECK(found, "row %zu: the handle at the %s end", i, rows[i].end ? "upper" : "lower");
            }
        }
        if (rows[i].end >= 0) {
            /* a press in the middle brings it into the range */
            ui_rect r = s.rect_slider[0];
            ui_input in = press(cx(r), cy(r));
            frame(u, &in, &s);
            CHECK(s.v[0] >= rows[i].lo && s.v[0] <= rows[i].hi && s.r_slider[0] == 1,
                  "row %zu: a press sets an in-range value, got %.17g", i, s.v[0]);
        }
        ui_destroy(u);
    }
}

/* 1 - beta by decades: 0.9, 0.99, 0.999 and 0.9999 at a quarter, a half, three
 * quarters and the end of [0, 0.9999]; drags snap 1 - v to 3 digits; a press on the
 * value shown keeps it exactly; keys step a hundredth of t. */
static void test_slider_log1m(void)
{
    static const struct { double t, want; } rows[] = {
        {0.25, 0.9}, {0.5, 0.99}, {0.75, 0.999}, {1.0, 0.9999}, {0.0, 0},
        {0.375, 1 - 0.0316}, /* 1 - 10^-1.5 = 0.96838 snaps to 1 - 0.0316 */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.nslider = 1;
        s.hi[0] = 0.9999;
        s.flags[0] = UI_SLIDER_LOG1M;
        s.v[0] = 0.5;
        idle(u, &s);
        ui_rect r = s.rect_slider[0];
        float mx = r.x + (float)rows[i].t * r.w - (rows[i].t == 1.0 ? 0.001f : 0);
        ui_input in = press(mx, cy(r));
        frame(u, &in, &s);
        CHECK_NEAR(s.v[0], rows[i].want, 1e-12, 0, "row %zu: t = %g gives %.17g", i, rows[i].t, s.v[0]);
        ui_destroy(u);
    }
    /* 2 px from beta2 = 0.999 is still near 0.999 (a linear slider gave 0.985) */
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.nslider = 1;
    s.hi[0] = 0.9999;
    s.flags[0] = UI_SLIDER_LOG1M;
    s.v[0] = 0.999;
    idle(u, &s);
    ui_rect r = s.rect_slider[0];
    ui_input in = press(r.x + 0.75f * r.w - 2, cy(r));
    frame(u, &in, &s);
    double t = (0.75 * r.w - 2) / r.w;
    double want = 1 - sig3(pow(10, -4 * t));
    CHECK_NEAR(s.v[0], want, 1e-12, 0, "2 px below 0.999: %.17g", s.v[0]);
    CHECK(s.v[0] > 0.998 && s.v[0] < 0.999, "2 px below 0.999 stays within 0.998..0.999: %.17g", s.v[0]);
    in = release(r.x + 0.75f * r.w - 2, cy(r));
    frame(u, &in, &s);
    /* Right: t + 1/100 */
    double v0 = s.v[0];
    keys(u, &s, UI_KEY_DOWN, 0);
    keys(u, &s, UI_KEY_RIGHT, 0);
    double t0 = log10(1 - v0) / -4;
    CHECK_NEAR(s.v[0], 1 - pow(10, -4 * (t0 + 0.01)), 1e-12, 0, "Right steps 1/100 of t: %.17g", s.v[0]);
    ui_destroy(u);
    /* a press exactly where the handle of a typed, unround value is keeps it */
    u = make_ui();
    scene_init(&s);
    s.nslider = 1;
    s.hi[0] = 1;
    s.v[0] = 0.5;
    idle(u, &s);
    r = s.rect_slider[0];
    s.v[0] = 0.50001;
    in = press(r.x + 0.5f * r.w, cy(r));
    frame(u, &in, &s);
    CHECK(s.v[0] == 0.50001, "a press on the value shown does not round it: %.17g", s.v[0]);
    in = drag(r.x + 0.25f * r.w, cy(r));
    frame(u, &in, &s);
    CHECK(s.v[0] == 0.25, "then a drag snaps: %.17g", s.v[0]);
    ui_destroy(u);
}

static void test_slider_drag_beyond(void)
{
    static const struct { unsigned flags; float to; double want; } rows[] = {
        {0, -300, -2}, {0, 3000, 6}, {UI_SLIDER_LOG, -300, 0.01}, {UI_SLIDER_LOG, 3000, 100},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.nslider = 1;
        s.lo[0] = (rows[i].flags & UI_SLIDER_LOG) ? 0.01 : -2;
        s.hi[0] = (rows[i].flags & UI_SLIDER_LOG) ? 100 : 6;
        s.flags[0] = rows[i].flags;
        s.v[0] = 1;
        idle(u, &s);
        ui_rect r = s.rect_slider[0];
        ui_input in = press(cx(r), cy(r));
        frame(u, &in, &s);
        in = drag(rows[i].to, 900);   /* off the panel altogether */
        frame(u, &in, &s);
        CHECK(s.v[0] == rows[i].want, "row %zu: drag to x = %g: expected %g, got %.17g", i, rows[i].to,
              rows[i].want, s.v[0]);
        CHECK(ui_wants_mouse(u), "row %zu: a drag off the panel still wants the mouse", i);
        in = release(rows[i].to, 900);
        frame(u, &in, &s);
        in = at(FAR, FAR);
        frame(u, &in, &s);
        CHECK(!ui_wants_mouse(u), "row %zu: after the release, away from the panel, the mouse is free", i);
        ui_destroy(u);
    }
}

static void test_slider_int(void)
{
    static const struct { double t; double want; } rows[] = {
        {0.25, 3}, {0.375, 4}, {0.125, 1}, {0.5, 5}, {0.0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.nslider = 1;
        s.lo[0] = 0;
        s.hi[0] = 10;
        s.flags[0] = UI_SLIDER_INT;
        s.v[0] = 10;
        idle(u, &s);
        ui_rect r = s.rect_slider[0];
        ui_input in = press(r.x + (float)rows[i].t * r.w, cy(r));
        frame(u, &in, &s);
        CHECK(s.v[0] == rows[i].want, "row %zu: t = %g: expected %g, got %.17g", i, rows[i].t, rows[i].want, s.v[0]);
        ui_destroy(u);
    }
}

static void test_slider_keys(void)
{
    static const struct {
        double lo, hi, v0;
        unsigned flags, k, mods;
        double want;
    } rows[] = {
        {0, 1, 0.5, 0, UI_KEY_RIGHT, 0, 0.51},
        {0, 1, 0.5, 0, UI_KEY_LEFT, 0, 0.49},
        {0, 1, 0.5, 0, UI_KEY_RIGHT, UI_MOD_SHIFT, 0.501},
        {0, 1, 0.5, 0, UI_KEY_RIGHT, UI_MOD_CTRL, 0.6},
        {0, 1, 0.5, 0, UI_KEY_LEFT, UI_MOD_CTRL, 0.4},
        {-2, 6, 0, 0, UI_KEY_RIGHT, 0, 0.08},
        {0, 1, 0.995, 0, UI_KEY_RIGHT, 0, 1},
        {0, 1, 0.5, 0, UI_KEY_HOME, 0, 0},
        {0, 1, 0.5, 0, UI_KEY_END, 0, 1},
        {1e-4, 1, 1e-2, UI_SLIDER_LOG, UI_KEY_RIGHT, 0, 1.0964781961431851e-2},   /* 1e-2 * 10^(4/100) */
        {1e-4, 1, 1e-2, UI_SLIDER_LOG, UI_KEY_LEFT, UI_MOD_SHIFT, 9.9083194489276724e-3},  /* 10^(-0.004) */
        {1e-4, 1, 1e-2, UI_SLIDER_LOG, UI_KEY_RIGHT, UI_MOD_CTRL, 2.5118864315095801e-2},  /* 10^(0.4) */
        {1e-4, 1, 1e-2, UI_SLIDER_LOG, UI_KEY_HOME, 0, 1e-4},
        {1e-4, 1, 1e-2, UI_SLIDER_LOG, UI_KEY_END, 0, 1},
        {0, 10, 5, UI_SLIDER_INT, UI_KEY_RIGHT, 0, 6},
        {0, 10, 5, UI_SLIDER_INT, UI_KEY_LEFT, UI_MOD_SHIFT, 4},
        {0, 1000, 500, UI_SLIDER_INT, UI_KEY_RIGHT, UI_MOD_CTRL, 600},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.nslider = 1;
        s.lo[0] = rows[i].lo;
        s.hi[0] = rows[i].hi;
        s.flags[0] = rows[i].flags;
        s.v[0] = rows[i].v0;
        idle(u, &s);
        keys(u, &s, UI_KEY_DOWN, 0);
        CHECK(ui_has_focus(u), "row %zu: Down focuses the slider", i);
        CHECK(s.v[0] == rows[i].v0, "row %zu: moving the focus changes nothing, got %.17g", i, s.v[0]);
        keys(u, &s, rows[i].k, rows[i].mods);
        CHECK_NEAR(s.v[0], rows[i].want, 1e-12, 1e-15, "row %zu: key %#x mods %#x from %g", i, rows[i].k,
                   rows[i].mods, rows[i].v0);
        CHECK(s.r_slider[0] == (s.v[0] != rows[i].v0), "row %zu: return %d", i, s.r_slider[0]);
        ui_destroy(u);
    }
}

static void test_slider_box(void)
{
    static const struct {
        double lo, hi;
        unsigned flags;
        const char *text;
        unsigned finish;
        double want;
    } rows[] = {
        {0, 1, 0, "0.25", UI_KEY_ENTER, 0.25},
        {0, 1, 0, " 0.75 ", UI_KEY_ENTER, 0.75},
        {0, 1, 0, "7", UI_KEY_ENTER, 1},           /* clamped */
        {0, 1, 0, "-1e3", UI_KEY_ENTER, 0},
        {0, 1, 0, "0.3", UI_KEY_ESCAPE, 0.123456789012345},  /* cancelled */
        {0, 1, 0, "abc", UI_KEY_ENTER, 0.123456789012345},   /* garbage */
        {0, 1, 0, "0.3x", UI_KEY_ENTER, 0.123456789012345},
        {0, 1, 0, "nan", UI_KEY_ENTER, 0.123456789012345},
        {0, 1, 0, "", UI_KEY_ENTER, 0.123456789012345},      /* untouched text reads back exactly */
        {1e-5, 10, UI_SLIDER_LOG, "1e-3", UI_KEY_ENTER, 1e-3},
        {0, 10, UI_SLIDER_INT, "3.6", UI_KEY_ENTER, 4},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.nslider = 1;
        s.lo[0] = rows[i].lo;
        s.hi[0] = rows[i].hi;
        s.flags[0] = rows[i].flags;
        s.v[0] = (rows[i].flags & UI_SLIDER_LOG) ? 0.5 : (rows[i].flags & UI_SLIDER_INT) ? 1 : 0.123456789012345;
        double v0 = s.v[0];
        double want = rows[i].want == 0.123456789012345 ? v0 : rows[i].want;
        idle(u, &s);
        keys(u, &s, UI_KEY_DOWN, 0);
        CHECK(!ui_wants_keyboard(u), "row %zu: focus alone does not take the keyboard", i);
        keys(u, &s, UI_KEY_ENTER, 0);
        CHECK(ui_wants_keyboard(u), "row %zu: Enter opens the value box", i);
        CHECK(s.v[0] == v0, "row %zu: opening the box changes nothing", i);
        if (rows[i].text[0]) {
            ui_input in = typed(rows[i].text);
            frame(u, &in, &s);
            CHECK(s.v[0] == v0, "row %zu: typing alone changes nothing", i);
        }
        keys(u, &s, rows[i].finish, 0);
        CHECK(!ui_wants_keyboard(u), "row %zu: Enter/Escape closes the box", i);
        CHECK(s.v[0] == want, "row %zu: typed \"%s\": expected %.17g, got %.17g", i, rows[i].text, want, s.v[0]);
        CHECK(s.r_slider[0] == (want != v0), "row %zu: return %d", i, s.r_slider[0]);
        CHECK(ui_has_focus(u), "row %zu: the slider keeps the focus", i);
        ui_destroy(u);
    }

    /* a double click opens the box too; Backspace on the fresh text clears it all */
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.nslider = 2;
    s.hi[0] = s.hi[1] = 1;
    s.v[0] = s.v[1] = 0.5;
    idle(u, &s);
    ui_rect r = s.rect_slider[0];
    ui_input in = press(cx(r), cy(r));
    in.double_click = 1;
    frame(u, &in, &s);
    in = release(cx(r), cy(r));
    frame(u, &in, &s);
    CHECK(ui_wants_keyboard(u), "a double click opens the value box");
    keys(u, &s, UI_KEY_BACKSPACE, 0);
    in = typed("0.125");
    frame(u, &in, &s);
    /* clicking the other slider commits what was typed */
    ui_rect r1 = s.rect_slider[1];
    in = press(r1.x + 0.75f * r1.w, cy(r1));
    frame(u, &in, &s);
    CHECK(s.v[0] == 0.125, "a click elsewhere commits the typed value: expected 0.125, got %.17g", s.v[0]);
    CHECK(s.v[1] == 0.75, "and the click goes to the other slider: expected 0.75, got %.17g", s.v[1]);
    CHECK(!ui_wants_keyboard(u), "the box is closed");

    /* the box of slider 1 open, then a double click on slider 0 (declared before it):
       slider 1 still gets what was typed into its box */
    in = release(r1.x + 0.75f * r1.w, cy(r1));
    frame(u, &in, &s);
    keys(u, &s, UI_KEY_ENTER, 0);   /* slider 1 has the focus from the click */
    in = typed("0.375");
    frame(u, &in, &s);
    in = press(cx(r), cy(r));
    in.double_click = 1;
    frame(u, &in, &s);
    CHECK(s.v[1] == 0.375, "the box that lost the keyboard commits: expected 0.375, got %.17g", s.v[1]);
    CHECK(ui_wants_keyboard(u), "and slider 0's box is open");
    ui_destroy(u);
}

static void test_focus_scrolls_into_view(void)
{
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.panel = (ui_rect){0, 0, 216, 100};
    s.nslider = 4;
    for (int k = 0; k < 4; k++) s.hi[k] = 1;
    s.with_chk = s.with_btn = s.with_choice = s.with_text = 1;
    idle(u, &s);
    CHECK(s.rect_text.y > 100, "the text box starts below the panel (y %g)", s.rect_text.y);
    keys(u, &s, UI_KEY_UP, 0);   /* wraps to the last widget: the text box */
    idle(u, &s);
    ui_rect r = s.rect_text;
    CHECK(r.y >= 0 && r.y + r.h <= 100, "the focused text box scrolled into view: %g..%g", r.y, r.y + r.h);
    keys(u, &s, UI_KEY_DOWN, 0);  /* wraps to the first */
    idle(u, &s);
    CHECK_NEAR(s.rect_slider[0].y, 4, 0, 0.01, "and back to the top");
    ui_destroy(u);
}

/* ---- focus ----------------------------------------------------------------------- */

static void test_focus_order(void)
{
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.nslider = 2;
    s.hi[0] = s.hi[1] = 1;
    s.with_chk = s.with_btn = s.with_choice = s.with_text = 1;
    idle(u, &s);
    CHECK(!ui_has_focus(u), "nothing has the focus at first");
    ui_rect rects[6];
    static const struct { unsigned k; int want; } steps[] = {
        {UI_KEY_DOWN, 0}, {UI_KEY_DOWN, 1}, {UI_KEY_DOWN, 2}, {UI_KEY_DOWN, 3}, {UI_KEY_DOWN, 4},
        {UI_KEY_DOWN, 5}, {UI_KEY_DOWN, 0}, {UI_KEY_UP, 5}, {UI_KEY_UP, 4}, {UI_KEY_ESCAPE, -1},
        {UI_KEY_UP, 5},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        ui_input in = key(steps[i].k, 0);
        frame_out f = frame(u, &in, &s);
        rects[0] = s.rect_slider[0];
        rects[1] = s.rect_slider[1];
        rects[2] = s.rect_chk;
        rects[3] = s.rect_btn;
        rects[4] = s.rect_choice;
        rects[5] = s.rect_text;
        int got = focused(f, rects, 6);
        CHECK(got == steps[i].want, "step %zu (key %#x): focus on widget %d, expected %d", i, steps[i].k, got,
              steps[i].want);
        CHECK(ui_has_focus(u) == (steps[i].want >= 0), "step %zu: ui_has_focus %d", i, ui_has_focus(u));
    }
    /* a click gives the focus; a click on nothing takes it away */
    click(u, &s, cx(s.rect_chk), cy(s.rect_chk));
    ui_input in = at(FAR, FAR);
    frame_out f = frame(u, &in, &s);
    CHECK(focused(f, rects, 6) == 2, "a click focuses the checkbox, got %d", focused(f, rects, 6));
    CHECK(s.chk == 1, "and toggles it");
    click(u, &s, 10, 390);   /* empty panel space */
    CHECK(!ui_has_focus(u), "a click on nothing drops the focus");
    ui_destroy(u);
}

/* ---- checkbox, button, header ----------------------------------------------------- */

static void test_checkbox(void)
{
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.with_chk = 1;
    idle(u, &s);
    ui_rect r = s.rect_chk;
    ui_input in = press(cx(r), cy(r));
    frame(u, &in, &s);
    CHECK(s.chk == 0 && s.r_chk == 0, "a press alone does not toggle (chk %d, ret %d)", s.chk, s.r_chk);
    in = release(cx(r), cy(r));
    frame(u, &in, &s);
    CHECK(s.chk == 1 && s.r_chk == 1, "press + release toggles on (chk %d, ret %d)", s.chk, s.r_chk);
    keys(u, &s, UI_KEY_ENTER, 0);
    CHECK(s.chk == 0 && s.r_chk == 1, "Enter on the focused checkbox toggles off (chk %d, ret %d)", s.chk, s.r_chk);
    idle(u, &s);
    CHECK(s.r_chk == 0, "no input, no change");
    keys(u, &s, UI_KEY_ESCAPE, 0);
    keys(u, &s, UI_KEY_ENTER, 0);
    CHECK(s.chk == 0, "Enter without focus does nothing");
    ui_destroy(u);
}

static void test_button(void)
{
    static const struct { int press_in, release_in, want; } rows[] = {
        {1, 1, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.with_btn = 1;
        idle(u, &s);
        ui_rect r = s.rect_btn;
        float inx = cx(r), iny = cy(r), outx = cx(r), outy = r.y + r.h + 50;
        ui_input in = rows[i].press_in ? press(inx, iny) : press(outx, outy);
        frame(u, &in, &s);
        int clicked = s.r_btn;
        in = rows[i].release_in ? release(inx, iny) : release(outx, outy);
        frame(u, &in, &s);
        clicked += s.r_btn;
        CHECK(clicked == rows[i].want, "row %zu: press %s, release %s: clicked %d, expected %d", i,
              rows[i].press_in ? "in" : "out", rows[i].release_in ? "in" : "out", clicked, rows[i].want);
        ui_destroy(u);
    }
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.with_btn = 1;
    idle(u, &s);
    keys(u, &s, UI_KEY_DOWN, 0);
    keys(u, &s, UI_KEY_ENTER, 0);
    CHECK(s.r_btn == 1, "Enter presses the focused button");
    ui_destroy(u);
}

static void test_header(void)
{
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.with_header = 1;
    s.with_btn = 1;
    s.open = 1;
    idle(u, &s);
    CHECK(s.rect_btn.y > s.rect_header.y, "the button lies under the header");
    click(u, &s, cx(s.rect_header), cy(s.rect_header));
    CHECK(s.open == 0, "a click closes the header");
    s.rect_btn = (ui_rect){0, 0, 0, 0};
    idle(u, &s);
    CHECK(s.rect_btn.w == 0, "a closed header hides its widgets");
    keys(u, &s, UI_KEY_ENTER, 0);
    CHECK(s.open == 1, "Enter on the focused header opens it");
    ui_destroy(u);
}

/* ---- choice ---------------------------------------------------------------------- */

/* the popup: the first CLIP set after the panel's closing reset */
static int popup_clip(frame_out f, ui_rect *pr)
{
    int reset = -1;
    for (int i = 0; i < f.n; i++) {
        if (f.c[i].type != UI_CMD_CLIP) continue;
        if (f.c[i].r.w < 0 && reset < 0) reset = i;
        else if (f.c[i].r.w >= 0 && reset >= 0) {
            *pr = f.c[i].r;
            return i;
        }
    }
    return -1;
}

static void test_choice(void)
{
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.with_choice = 1;
    s.with_btn = 1;   /* under the choice: the popup covers it */
    idle(u, &s);
    ui_rect r = s.rect_choice;
    ui_input in = press(cx(r), cy(r));
    frame_out f = frame(u, &in, &s);
    in = release(cx(r), cy(r));
    f = frame(u, &in, &s);
    ui_rect pr;
    int pc = popup_clip(f, &pr);
    CHECK(pc >= 0, "a click opens the popup (a clip after the panel's)");
    int it = find_text(f, "rmsprop");
    CHECK(it > pc && pc >= 0, "popup items come after the popup's clip: item at %d, clip at %d", it, pc);
    CHECK(f.n > 0 && f.c[f.n - 1].type == UI_CMD_CLIP && f.c[f.n - 1].r.w < 0, "the popup ends the list");
    CHECK(pr.y >= r.y + r.h, "the popup opens below the widget (y %g, widget bottom %g)", pr.y, r.y + r.h);
    CHECK(ui_wants_mouse(u), "an open popup wants the mouse");
    if (it >= 0) {
        ui_rect ir = f.c[it].r;
        CHECK(ir.y >= pr.y && ir.y + ir.h <= pr.y + pr.h, "the item lies inside the popup");
        click(u, &s, ir.x + 2, cy(ir));
        CHECK(s.sel == 2, "clicking \"rmsprop\" selects 2, got %d", s.sel);
    }
    in = at(FAR, FAR);
    f = frame(u, &in, &s);
    CHECK(popup_clip(f, &pr) < 0, "the popup closed after the selection");
    CHECK(s.r_choice == 0, "no change in the frame after");
    /* the first item too */
    click(u, &s, cx(r), cy(r));
    f = frame(u, &in, &s);
    it = find_text(f, "sgd");
    CHECK(it >= 0, "\"sgd\" listed");
    if (it >= 0) click(u, &s, f.c[it].r.x + 2, cy(f.c[it].r));
    CHECK(s.sel == 0, "clicking \"sgd\" selects 0, got %d", s.sel);
    s.sel = 2;
    f = frame(u, &in, &s);
    CHECK(!ui_wants_mouse(u), "and no longer wants the mouse");

    /* a click outside only closes it: the button (above the choice) stays unpressed */
    click(u, &s, cx(r), cy(r));
    in = at(FAR, FAR);
    CHECK(popup_clip(frame(u, &in, &s), &pr) >= 0, "reopened");
    int pressed = 0;
    in = press(cx(s.rect_btn), cy(s.rect_btn));
    frame(u, &in, &s);
    pressed += s.r_btn;
    in = release(cx(s.rect_btn), cy(s.rect_btn));
    f = frame(u, &in, &s);
    pressed += s.r_btn;
    CHECK(pressed == 0, "the click that closes the popup does not press the button");
    CHECK(popup_clip(f, &pr) < 0, "a click outside closes the popup");
    CHECK(s.sel == 2, "and keeps the selection, got %d", s.sel);

    /* keys on the focused choice (focused by the clicks above) */
    static const struct { unsigned k; int want; } steps[] = {
        {UI_KEY_RIGHT, 3}, {UI_KEY_RIGHT, 0}, {UI_KEY_LEFT, 3}, {UI_KEY_ENTER, 0}, {UI_KEY_ENTER, 1},
        {UI_KEY_LEFT, 0}, {UI_KEY_LEFT, 3},
    };
    click(u, &s, cx(r), cy(r));   /* opens */
    keys(u, &s, UI_KEY_ESCAPE, 0);   /* closes the popup, keeps the focus */
    CHECK(ui_has_focus(u), "Escape closes the popup first, the focus stays");
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int before = s.sel;
        keys(u, &s, steps[i].k, 0);
        CHECK(s.sel == steps[i].want, "step %zu key %#x: sel %d, expected %d", i, steps[i].k, s.sel, steps[i].want);
        CHECK(s.r_choice == (before != s.sel), "step %zu: return %d", i, s.r_choice);
    }
    /* Up/Down move the selection while the popup is open, Enter closes it */
    click(u, &s, cx(r), cy(r));
    keys(u, &s, UI_KEY_UP, 0);
    CHECK(s.sel == 2, "Up in the open popup selects the previous item, got %d", s.sel);
    keys(u, &s, UI_KEY_ENTER, 0);
    in = at(FAR, FAR);
    CHECK(popup_clip(frame(u, &in, &s), &pr) < 0, "Enter closes the popup");
    CHECK(s.sel == 2, "Enter in the popup keeps the item, got %d", s.sel);

    /* a selection out of range from the program is clamped and reported */
    s.sel = 9;
    idle(u, &s);
    CHECK(s.sel == 3 && s.r_choice == 1, "sel 9 of 4 becomes 3 (got %d, ret %d)", s.sel, s.r_choice);
    ui_destroy(u);
}

static void test_choice_placement(void)
{
    /* a choice at the bottom of a short panel: the popup must open above, inside it */
    static const struct { float panel_h; int nslider, chk_btn, above; } rows[] = {
        {400, 0, 0, 0},    /* room below */
        {240, 4, 1, 1},    /* choice at 184..210: 28 px below, 182 above */
        {160, 3, 0, 1},    /* 38 below, 92 above: neither fits, the larger side scrolls */
        {400, 4, 1, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.panel.h = rows[i].panel_h;
        s.with_choice = 1;
        s.nslider = rows[i].nslider;
        for (int k = 0; k < 4; k++) s.hi[k] = 1;
        s.with_btn = s.with_chk = rows[i].chk_btn;
        idle(u, &s);
        ui_rect r = s.rect_choice;
        click(u, &s, cx(r), cy(r));
        ui_input in = at(FAR, FAR);
        frame_out f = frame(u, &in, &s);
        ui_rect pr;
        int pc = popup_clip(f, &pr);
        CHECK(pc >= 0, "row %zu: popup open", i);
        if (pc < 0) { ui_destroy(u); continue; }
        int above = pr.y + pr.h <= r.y;
        CHECK(above == rows[i].above, "row %zu: popup at y %g..%g, widget at %g..%g, above %d expected %d", i,
              pr.y, pr.y + pr.h, r.y, r.y + r.h, above, rows[i].above);
        CHECK(pr.y >= s.panel.y - 0.01f && pr.y + pr.h <= s.panel.y + s.panel.h + 0.01f,
              "row %zu: popup %g..%g inside the panel 0..%g", i, pr.y, pr.y + pr.h, s.panel.h);
        ui_destroy(u);
    }
}

/* ---- text box -------------------------------------------------------------------- */

static void test_textbox(void)
{
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.with_text = 1;
    s.with_btn = 1;
    idle(u, &s);
    CHECK(!ui_wants_keyboard(u), "an idle text box leaves the keyboard");
    ui_rect r = s.rect_text;
    click(u, &s, cx(r), cy(r));
    CHECK(ui_wants_keyboard(u), "a click into the text box takes the keyboard");
    static const struct { const char *text; unsigned k; const char *want; int ret; } steps[] = {
        {"a\xce\xb2" "c", 0, "a\xce\xb2" "c", UI_TEXT_CHANGED},      /* "aβc" */
        {"", UI_KEY_LEFT, "a\xce\xb2" "c", 0},
        {"", UI_KEY_BACKSPACE, "ac", UI_TEXT_CHANGED},               /* β is two bytes, both go */
        {"\xce\xb3", 0, "a\xce\xb3" "c", UI_TEXT_CHANGED},           /* γ at the caret */
        {"", UI_KEY_HOME, "a\xce\xb3" "c", 0},
        {"", UI_KEY_DELETE, "\xce\xb3" "c", UI_TEXT_CHANGED},
        {"", UI_KEY_DELETE, "c", UI_TEXT_CHANGED},                   /* γ whole */
        {"", UI_KEY_END, "c", 0},
        {"\xce\xb4\t", 0, "c\xce\xb4", UI_TEXT_CHANGED},             /* control bytes dropped */
        {"", UI_KEY_BACKSPACE, "c", UI_TEXT_CHANGED},
        {"", UI_KEY_RIGHT, "c", 0},
        {"", UI_KEY_ENTER, "c", UI_TEXT_SUBMIT},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        ui_input in = key(steps[i].k, 0);
        snprintf(in.text, sizeof in.text, "%s", steps[i].text);
        frame(u, &in, &s);
        CHECK(strcmp(s.text, steps[i].want) == 0, "step %zu: text \"%s\", expected \"%s\"", i, s.text, steps[i].want);
        CHECK(s.r_text == steps[i].ret, "step %zu: returned %d, expected %d", i, s.r_text, steps[i].ret);
    }
    CHECK(ui_wants_keyboard(u), "Enter applies and keeps the keyboard");
    CHECK(ui_has_focus(u), "the text box keeps the focus");
    ui_input tin = typed("d");
    frame(u, &tin, &s);
    CHECK(strcmp(s.text, "cd") == 0, "typing after Enter goes on editing: \"%s\"", s.text);
    keys(u, &s, UI_KEY_ESCAPE, 0);
    CHECK(!ui_wants_keyboard(u) && ui_has_focus(u), "Escape stops editing, the focus stays");
    keys(u, &s, UI_KEY_ENTER, 0);
    CHECK(ui_wants_keyboard(u), "Enter on the focused box edits again");
    keys(u, &s, UI_KEY_ESCAPE, 0);
    CHECK(!ui_wants_keyboard(u) && ui_has_focus(u), "Escape stops editing, the focus stays");
    keys(u, &s, UI_KEY_ENTER, 0);
    click(u, &s, cx(s.rect_btn), cy(s.rect_btn));
    CHECK(!ui_wants_keyboard(u), "a click elsewhere stops editing");
    CHECK(s.r_btn == 1, "and reaches the button it lands on");
    ui_destroy(u);
}

static char fake_clip[256];
static int clip_sets;
static const char *clip_get(void *user) { (void)user; return fake_clip; }
static void clip_set(void *user, const char *t)
{
    (void)user;
    snprintf(fake_clip, sizeof fake_clip, "%s", t);
    clip_sets++;
}

/* Selection with Shift and the mouse, select-all, cut, copy and paste through the
 * caller's clipboard; typing replaces the selection. */
static void test_textbox_selection(void)
{
    ui *u = make_ui();
    ui_clipboard cb = {NULL, clip_get, clip_set};
    ui_set_clipboard(u, &cb);
    scene s;
    scene_init(&s);
    s.with_text = 1;
    snprintf(s.text, sizeof s.text, "hello world");
    idle(u, &s);
    ui_rect r = s.rect_text;
    click(u, &s, cx(r), cy(r));
    CHECK(ui_wants_keyboard(u), "the click edits");
    keys(u, &s, UI_KEY_END, 0);
    for (int i = 0; i < 5; i++) keys(u, &s, UI_KEY_LEFT, UI_MOD_SHIFT);
    ui_input in = typed("there");
    frame(u, &in, &s);
    CHECK(strcmp(s.text, "hello there") == 0, "Shift+Left five times selects 'world', typing replaces it: \"%s\"",
          s.text);
    keys(u, &s, UI_KEY_SELECT_ALL, 0);
    keys(u, &s, UI_KEY_COPY, 0);
    CHECK(strcmp(fake_clip, "hello there") == 0 && clip_sets == 1, "select all, copy: clipboard \"%s\"", fake_clip);
    in = typed("x");
    frame(u, &in, &s);
    CHECK(strcmp(s.text, "x") == 0, "typing over everything selected: \"%s\"", s.text);
    keys(u, &s, UI_KEY_PASTE, 0);
    CHECK(strcmp(s.text, "xhello there") == 0, "paste at the caret: \"%s\"", s.text);
    /* a selection collapses with Left to its start */
    keys(u, &s, UI_KEY_HOME, 0);
    keys(u, &s, UI_KEY_RIGHT, UI_MOD_SHIFT);
    keys(u, &s, UI_KEY_RIGHT, UI_MOD_SHIFT);
    keys(u, &s, UI_KEY_CUT, 0);
    CHECK(strcmp(s.text, "ello there") == 0 && strcmp(fake_clip, "xh") == 0, "cut the first two: \"%s\", clip \"%s\"",
          s.text, fake_clip);
    /* the mouse: press before byte 1, drag to byte 4 (8 px a byte after the 4 px pad) */
    float x0 = r.x + 4;
    in = press(x0 + 8, cy(r));
    frame(u, &in, &s);
    in = drag(x0 + 4 * 8, cy(r));
    frame(u, &in, &s);
    in = release(x0 + 4 * 8, cy(r));
    frame(u, &in, &s);
    keys(u, &s, UI_KEY_BACKSPACE, 0);
    CHECK(strcmp(s.text, "e there") == 0, "a drag over bytes 1..4 selects them, Backspace deletes: \"%s\"", s.text);
    /* a double click selects everything */
    in = press(x0 + 8, cy(r));
    in.double_click = 1;
    frame(u, &in, &s);
    in = release(x0 + 8, cy(r));
    frame(u, &in, &s);
    in = typed("y");
    frame(u, &in, &s);
    CHECK(strcmp(s.text, "y") == 0, "double click, type: \"%s\"", s.text);
    /* no clipboard: paste does nothing */
    ui_set_clipboard(u, NULL);
    keys(u, &s, UI_KEY_PASTE, 0);
    CHECK(strcmp(s.text, "y") == 0, "no clipboard, no paste: \"%s\"", s.text);
    ui_destroy(u);
}

static void test_textbox_limits(void)
{
    static const struct { size_t cap; const char *start, *type, *want; } rows[] = {
        {4, "ab", "\xce\xb2", "ab"},          /* 2 + 2 bytes leave no room for the NUL */
        {5, "ab", "\xce\xb2", "ab\xce\xb2"},
        {5, "ab", "xyz", "abxy"},
        {8, "", "\xff" "a\x80" "b\xe2\x82", "ab"},   /* stray and cut bytes are skipped */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        scene s;
        scene_init(&s);
        s.with_text = 1;
        s.cap = rows[i].cap;
        snprintf(s.text, sizeof s.text, "%s", rows[i].start);
        idle(u, &s);
        keys(u, &s, UI_KEY_DOWN, 0);
        keys(u, &s, UI_KEY_ENTER, 0);
        ui_input in = typed(rows[i].type);
        frame(u, &in, &s);
        CHECK(strcmp(s.text, rows[i].want) == 0, "row %zu: cap %zu: \"%s\", expected \"%s\"", i, rows[i].cap,
              s.text, rows[i].want);
        CHECK(strlen(s.text) < rows[i].cap, "row %zu: stays within cap", i);
        ui_destroy(u);
    }
}

static void test_textbox_scroll_and_error(void)
{
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.with_text = 1;
    s.err = "column 4: expected ')' after the argument list of the function call";
    idle(u, &s);
    ui_rect r = s.rect_text;
    click(u, &s, cx(r), r.y + 5);
    ui_input in = typed("0123456789012345678901234567890");
    frame(u, &in, &s);
    in = typed("abcdefghij");
    frame_out f = frame(u, &in, &s);
    int t = find_text(f, s.text);
    CHECK(t >= 0, "the text box draws its text");
    if (t >= 0) {
        float right = f.c[t].r.x + f.c[t].r.w;
        CHECK(f.c[t].r.x < r.x, "a long text scrolls left (x %g, box at %g)", f.c[t].r.x, r.x);
        CHECK(right <= r.x + r.w + 0.01f && right > r.x + r.w - 10, "with the caret end in view (%g, box end %g)",
              right, r.x + r.w);
    }
    ui_style st = test_style();
    int nerr = 0;
    for (int i = 0; i < f.n; i++) {
        if (f.c[i].type != UI_CMD_TEXT || f.c[i].color != st.error) continue;
        nerr++;
        CHECK(f.c[i].r.y >= r.y + ITEM_H - 0.01f, "error text under the box (y %g)", f.c[i].r.y);
        CHECK(f.c[i].r.w <= r.w + 0.01f, "error line %d within the width: %g > %g", nerr, f.c[i].r.w, r.w);
    }
    CHECK(nerr >= 2, "the long error wraps onto several lines, got %d", nerr);
    CHECK_NEAR(r.h, ITEM_H + 20.0f * (float)nerr, 0, 0.01, "the widget grows by its error lines");
    ui_destroy(u);
}

/* ---- panels, rows, ids ------------------------------------------------------------ */

static void test_scroll(void)
{
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.panel = (ui_rect){0, 0, 216, 100};
    s.nslider = 4;
    s.nlabels = 20;
    for (int k = 0; k < 4; k++) s.hi[k] = 1;
    idle(u, &s);
    float y0 = s.rect_slider[0].y;
    CHECK_NEAR(y0, 4, 0, 0, "first widget at the top padding");
    static const struct { float mx, wheel; float want_dy; int to_end; } steps[] = {
        {100, -1, -60, 0},      /* 3 lines of 20 */
        {300, -1, -60, 0},      /* mouse off the panel: nothing */
        {100, 1, 0, 0},
        {100, -100, 0, 1},      /* clamped at the end */
        {100, 100, 0, 0},       /* and back at the top */
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        ui_input in = at(steps[i].mx, 50);
        in.wheel = steps[i].wheel;
        frame(u, &in, &s);
        float dy = s.rect_slider[0].y - y0;
        if (steps[i].to_end) {
            /* the last label (20 px) ends at the panel bottom minus the padding */
            float content = 4 * (ITEM_H + 4) + 20 * (20 + 4) - 4;
            float want = -(content + 8 - 100);
            CHECK_NEAR(dy, want, 0, 0.01, "step %zu: scrolled to the end", i);
        } else {
            CHECK_NEAR(dy, steps[i].want_dy, 0, 0.01, "step %zu: wheel %g at x %g", i, steps[i].wheel, steps[i].mx);
        }
    }
    /* a scrolled-out widget cannot be clicked: row 0 is at y 4, scroll it away */
    ui_input in = at(100, 50);
    in.wheel = -1;
    frame(u, &in, &s);
    ui_rect r = s.rect_slider[0];
    CHECK(r.y + r.h < 0, "slider 0 scrolled above the panel (y %g)", r.y);
    double before = s.v[0];
    click(u, &s, cx(r), 0.5f);   /* y inside the panel: what is there now is another slider */
    CHECK(s.v[0] == before, "the hidden slider did not move");
    ui_destroy(u);
}

static void build_rows(ui *u, const float *w, int n, ui_rect *out)
{
    ui_panel_begin(u, "rows", PANEL);
    ui_row(u, n, w);
    for (int i = 0; i < n; i++) out[i] = ui_layout_next(u, 10);
    out[n] = ui_layout_next(u, 10);
    ui_panel_end(u);
}

static void test_rows(void)
{
    static const float w3[] = {0, 50, 60}, half[] = {0.5f, 0}, quarter[] = {0.25f, 0.25f, 0};
    static const struct { const float *w; int n; float x[4], width[4]; } rows[] = {
        {w3, 3, {4, 98, 152}, {90, 50, 60}},
        {NULL, 3, {4, 74.666667f, 145.333333f}, {66.666667f, 66.666667f, 66.666667f}},
        {half, 2, {4, 110}, {102, 102}},
        {quarter, 3, {4, 58, 112}, {50, 50, 100}},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui *u = make_ui();
        ui_rect out[5];
        ui_input in = at(FAR, FAR);
        ui_begin(u, &in);
        build_rows(u, rows[i].w, rows[i].n, out);
        int n;
        ui_end(u, &n);
        for (int k = 0; k < rows[i].n; k++) {
            CHECK_NEAR(out[k].x, rows[i].x[k], 0, 0.01, "row %zu column %d x", i, k);
            CHECK_NEAR(out[k].w, rows[i].width[k], 0, 0.01, "row %zu column %d width", i, k);
            CHECK_NEAR(out[k].y, 4, 0, 0, "row %zu column %d y", i, k);
        }
        CHECK_NEAR(out[rows[i].n].y, 4 + 10 + 4, 0, 0, "row %zu: the next widget starts below the row", i);
        CHECK_NEAR(out[rows[i].n].w, 208, 0, 0, "row %zu: and is full width again", i);
        ui_destroy(u);
    }
}

static void test_ids(void)
{
    /* two sliders labelled alike under different pushed ids are independent */
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.nslider = 2;
    s.hi[0] = s.hi[1] = 1;
    s.v[0] = s.v[1] = 0.5;
    idle(u, &s);
    ui_rect r = s.rect_slider[0];
    ui_input in = press(r.x + 0.25f * r.w, cy(r));
    frame(u, &in, &s);
    in = drag(r.x + 0.125f * r.w, cy(s.rect_slider[1]));   /* drag over the other slider */
    frame(u, &in, &s);
    CHECK(s.v[0] == 0.125, "the dragged slider follows: %.17g", s.v[0]);
    CHECK(s.v[1] == 0.5, "the other stays: %.17g", s.v[1]);
    ui_destroy(u);
}

static void test_wants_mouse(void)
{
    static const struct { float x, y; int want; } rows[] = {
        {100, 100, 1}, {215, 399, 1}, {216, 100, 0}, {-1, 100, 0}, {100, 401, 0},
    };
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.with_btn = 1;
    CHECK(!ui_wants_mouse(u), "before any frame");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui_input in = at(rows[i].x, rows[i].y);
        frame(u, &in, &s);
        CHECK(ui_wants_mouse(u) == rows[i].want, "row %zu: mouse at %g,%g: %d", i, rows[i].x, rows[i].y,
              ui_wants_mouse(u));
    }
    ui_destroy(u);
}

static void test_many_commands(void)
{
    /* far more commands and text than the initial buffers hold: they grow */
    ui *u = make_ui();
    scene s;
    scene_init(&s);
    s.panel.h = 1e6f;
    s.nlabels = 5000;
    ui_input in = at(FAR, FAR);
    frame_out f = frame(u, &in, &s);
    int texts = 0;
    for (int i = 0; i < f.n; i++) texts += text_is(&f.c[i], "a label");
    CHECK(texts == 5000, "every label drawn: %d of 5000", texts);
    ui_destroy(u);
}

static void test_label_wrap(void)
{
    ui *u = make_ui();
    ui_input in = at(FAR, FAR);
    ui_begin(u, &in);
    ui_panel_begin(u, "p", (ui_rect){0, 0, 88, 400});   /* body 80 px: 10 bytes */
    ui_label(u, "one two three four five six", 0);
    ui_rect r = ui_last_rect(u);
    ui_label(u, "abcdefghijklmnopqrstuvwxyz", 0);
    ui_rect r2 = ui_last_rect(u);
    ui_panel_end(u);
    int n;
    const ui_cmd *c = ui_end(u, &n);
    check_cmds(c, n, "wrap");
    static const char *const want[] = {"one two", "three four", "five six", "abcdefghij", "klmnopqrst", "uvwxyz"};
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (c[i].type != UI_CMD_TEXT) continue;
        CHECK(k < 6 && text_is(&c[i], want[k]), "line %d: \"%.*s\", expected \"%s\"", k, c[i].len, c[i].text,
              k < 6 ? want[k] : "(none)");
        CHECK(c[i].r.w <= 80, "line %d fits: %g", k, c[i].r.w);
        k++;
    }
    CHECK(k == 6, "6 lines, got %d", k);
    CHECK_NEAR(r.h, 60, 0, 0, "3 lines of 20");
    CHECK_NEAR(r2.y, 4 + 60 + 4, 0, 0, "the next label below");
    ui_destroy(u);
}

static void test_styles(void)
{
    static const struct { float scale, px; } rows[] = {{1, 14}, {2, 28}, {0, 14}, {NAN, 14}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ui_style d = ui_style_dark(rows[i].scale), l = ui_style_light(rows[i].scale);
        CHECK_NEAR(d.px, rows[i].px, 0, 0, "row %zu: dark px", i);
        CHECK_NEAR(l.px, rows[i].px, 0, 0, "row %zu: light px", i);
        CHECK(d.pad > 0 && d.spacing > 0, "row %zu: dark spacing", i);
    }
    ui_style d = ui_style_dark(1);
    CHECK((d.panel >> 8) == 0x1E2126u, "dark panel colour %08x", (unsigned)d.panel);
    CHECK((d.panel & 0xFF) >= 0xE0 && (d.panel & 0xFF) <= 0xF0, "dark panel alpha %u", (unsigned)(d.panel & 0xFF));
    CHECK(d.text != d.panel && d.focus != d.accent, "distinct colours");
}

int main(void)
{
    test_slider_mapping();
    test_slider_out_of_range();
    test_slider_log1m();
    test_slider_drag_beyond();
    test_slider_int();
    test_slider_keys();
    test_slider_box();
    test_focus_order();
    test_focus_scrolls_into_view();
    test_checkbox();
    test_button();
    test_header();
    test_choice();
    test_choice_placement();
    test_textbox();
    test_textbox_selection();
    test_textbox_limits();
    test_textbox_scroll_and_error();
    test_scroll();
    test_rows();
    test_ids();
    test_wants_mouse();
    test_many_commands();
    test_label_wrap();
    test_styles();
    return check_done("test_ui");
}
