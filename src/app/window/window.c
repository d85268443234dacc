/* window: the interactive visualizer. SDL2 window and OpenGL 3.3 core context,
 * input to the ui and to the canvas (pan, zoom, start drag), the frame loop, the
 * status line and help, `--frames N --screenshot FILE` for tests, and the frame
 * benchmark. */
#include <SDL.h>
#include "render/gl.h"
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "optiscape_config.h"
#include "app/cli.h"
#include "app/platform/glctx.h"
#include "app/commands.h"
#include "app/views/basin_view.h"
#include "core/timing.h"
#include "scene/field_worker.h"
#include "app/views/init_view.h"
#include "scene/live.h"
#include "app/window/panel.h"
#include "app/export/pngio.h"
#include "render/gfx.h"
#include "app/scene_setup.h"
#include "scene/scenefile.h"
#include "app/views/scene_view.h"
#include "app/views/view3d.h"
#include "app/views/swarm_view.h"
#include "ui/ui.h"

#define PANEL_W 340.0f
#define PANEL_W_CLASS 250.0f        /* class mode: a title, three buttons, a few sliders */
#define CLASS_SCALE 1.3f            /* class mode's text, for the back of a lecture hall */

typedef struct win_opts {
    int fullscreen;
    long frames;                /* 0: run until closed */
    const char *screenshot;
    int force;
    int w, h;
    const char *shader_dir;
    long steps;                 /* run before the first frame */
    int paused;
    int panel, legend, chart, crit, hover;   /* -1: default */
    int cmap;                   /* -1: default */
    double sps;                 /* steps per second; 0: default */
    int bench;                  /* bench frames: 1 full scene, 2 field only */
    int vsync;
    int iso;                    /* -1: default */
    const char *script;         /* synthetic input, one command per frame (tests) */
    int print_state;            /* print the scene at exit (tests, scripts) */
    const char *shots_dir;      /* where F12 saves (default: the current directory) */
    int class_mode;             /* --class */
    char **scenes;              /* --scene FILE|DIR, in order (folders expanded) */
    int nscenes;
    int shot_scale;             /* Shift+F12: 2 or 4 times the canvas */
    int size_given;             /* --size: exactly that, else the default fitted to the screen */
    int view3d;                 /* --3d: start in the 3D view */
    cam3d cam;                  /* --camera */
    int swarm;                  /* --swarm N: particles W runs (and a swarm from the start) */
} win_opts;

typedef struct app {
    glctx gl;                   /* the window and its GL context */
    SDL_Window *win;            /* gl.win */
    gfx *g;
    ui *u;
    field_worker *fw;
    live L;
    panel_state ps;
    scene_field sf;
    win_opts o;
    float user_scale;
    float help_scroll;          /* F1 help: pixels scrolled (wheel, arrows, PageUp/PageDown) */
    int shot_pending;           /* F12 (1) or Shift+F12 (shot_scale): after this frame's drawing */
    int scrubbing;              /* the timeline is being dragged */
    init_view iv;               /* the initialization panel (K; Shift+K: ReLU / tanh) */
    int show_init;
    int scene_index;            /* which of o.scenes is shown (PageUp / PageDown); -1 none */
    char **scene_names;         /* their names for the panel's Lessons list */
    /* field requests */
    double req_view[4];
    int req_w, req_h;
    unsigned req_gen;
    int have_req, req_lmax;
    /* canvas interaction */
    int panning, pan_moved, drag_start;
    float press_x, press_y;
    double pan_center[2];
    float mouse_x, mouse_y;
    int mouse_in_canvas;
    int mouse_seen;             /* a real motion event arrived: the pointer is ours */
    double fps;
    char note[512];
    double note_until;
    int quit;
    int need_fit;
    double fit_view[4];
    int refit_crit;             /* fit view asked before the critical points were known */
    const char *script_at;      /* next command of o.script */
    int script_wait;
    int view3d;                 /* D: the surface in 3D instead of the contour map */
    cam3d cam;
    int cam_drag;               /* 3D: 1 orbiting, 2 panning the camera */
    float cam_x, cam_y;         /* the pointer at the last drag event */
    /* W: the selected runner's optimizer as a swarm; B: basins of every runner */
    swarm_view *swarm;
    int want_swarm;
    basin_worker *bw;
    basin_set *basins;
    int basins_on, basins_asked;
    unsigned basins_gen;
    runner_desc basins_desc[LIVE_MAX_RUNNERS];
    int basins_nrun;
} app;

static float text_w_cb(void *user, const char *s, int len, float px)
{
    return gfx_text_width((gfx *)user, s, len, px);
}

static float line_h_cb(void *user, float px)
{
    return gfx_line_height((gfx *)user, px);
}

/* the ui's clipboard is SDL's */
static char *clip_text;

static const char *clip_get(void *user)
{
    (void)user;
    SDL_free(clip_text);
    clip_text = SDL_HasClipboardText() ? SDL_GetClipboardText() : NULL;
    return clip_text;
}

static void clip_set(void *user, const char *text)
{
    (void)user;
    SDL_SetClipboardText(text);
}

static void set_note(app *a, const char *msg)
{
    /* the window's messages say what is wrong, not which command-line flag would be:
       "--scene: cannot read x" shows as "cannot read x" */
    if (strncmp(msg, "--", 2) == 0) {
        const char *c = strstr(msg, ": ");
        if (c && !memchr(msg, ' ', (size_t)(c - msg))) msg = c + 2;
    }
    size_t n = strlen(msg);
    if (n >= sizeof a->note) n = sizeof a->note - 1;
    memcpy(a->note, msg, n);
    a->note[n] = '\0';
    a->note_until = os_now() + 4.0;
}

/* ---- layout ------------------------------------------------------------------ */

typedef struct layout {
    int fw, fh;                 /* framebuffer */
    float scale;                /* HiDPI x user */
    float panel_w, status_h;
    scene_view sv;
} layout;

static layout compute_layout(app *a)
{
    layout l;
    int ww, wh;
    SDL_GL_GetDrawableSize(a->win, &l.fw, &l.fh);
    SDL_GetWindowSize(a->win, &ww, &wh);
    if (l.fw < 1) l.fw = 1;
    if (l.fh < 1) l.fh = 1;
    float dpi = ww > 0 ? (float)l.fw / (float)ww : 1.0f;
    if (!(dpi >= 0.5f && dpi <= 4.0f)) dpi = 1.0f;
    l.scale = dpi * a->user_scale * (a->L.disp.class_mode ? CLASS_SCALE : 1.0f);
    l.status_h = a->L.disp.class_mode ? 0 : roundf(24 * l.scale);
    if (l.status_h > l.fh * 0.2f) l.status_h = floorf(l.fh * 0.2f);
    /* class mode keeps a panel only for the controls the scene names, sized to them */
    int panel = a->L.disp.class_mode ? a->L.disp.panel && a->L.ncontrols > 0 : a->L.disp.panel;
    l.panel_w = panel ? roundf((a->L.disp.class_mode ? PANEL_W_CLASS : PANEL_W) * l.scale) : 0;
    /* the canvas keeps at least two thirds of the width, whatever the text size */
    if (l.panel_w > l.fw / 3.0f) l.panel_w = floorf(l.fw / 3.0f);
    memset(&l.sv, 0, sizeof l.sv);
    l.sv.x = 0;
    l.sv.y = 0;
    l.sv.w = (float)l.fw - l.panel_w;
    l.sv.h = (float)l.fh - l.status_h;
    if (l.sv.w < 1) l.sv.w = 1;
    if (l.sv.h < 1) l.sv.h = 1;
    l.sv.scale = l.scale;
    /* the view is part of the layout: events are converted to the plane with it
       before the frame draws */
    live_view(&a->L, (int)l.sv.w, (int)l.sv.h, l.sv.view);
    return l;
}

/* ---- fit view (0) ------------------------------------------------------------- */

/* The landscape's view fitted into the rectangle fr (pixels) of the canvas sv: the
 * view's centre goes to the rectangle's centre, the whole view inside it. */
static void fit_into(live *L, const scene_view *sv, const float fr[4])
{
    const double *v = L->ls.view;
    double rw = fr[2] > 1 ? fr[2] : 1, rh = fr[3] > 1 ? fr[3] : 1;
    double sx = (v[1] - v[0]) / rw, sy = (v[3] - v[2]) / rh, upp = sx > sy ? sx : sy;
    if (!(upp > 0) || !isfinite(upp)) { live_fit(L, v, (int)sv->w, (int)sv->h); return; }
    double rcx = fr[0] + 0.5 * rw - sv->x, rcy = fr[1] + 0.5 * rh - sv->y;
    L->upp = upp;
    L->center[0] = 0.5 * (v[0] + v[1]) + (0.5 * sv->w - rcx) * upp;
    L->center[1] = 0.5 * (v[2] + v[3]) + (rcy - 0.5 * sv->h) * upp;
}

/* How many critical points in the canvas lie under one of the n boxes R (margin m). */
static int crit_hidden(const live *L, const scene_view *sv, const float R[][4], int n, float m)
{
    int hidden = 0;
    for (int i = 0; i < L->ncrit; i++) {
        float px, py;
        scene_to_px(sv, L->crit[i].x, L->crit[i].y, &px, &py);
        if (px < sv->x || px > sv->x + sv->w || py < sv->y || py > sv->y + sv->h) continue;
        for (int r = 0; r < n; r++)
            if (px > R[r][0] - m && px < R[r][0] + R[r][2] + m && py > R[r][1] - m &&
                py < R[r][1] + R[r][3] + m) {
                hidden++;
                break;
            }
    }
    return hidden;
}

/* The landscape's view (0, Home, a new landscape), placed so that no critical point lies
 * under the legend, the caption or the loss chart: the view is fitted into the largest
 * part of the canvas beside, above or below the boxes (each box trimmed off one side, or
 * not at all) that leaves every point clear; where none does, the part that hides the
 * fewest (a crowded canvas: large text on a small screen). The points
 * come with the field: until they are known the fit is redone when they arrive. */
static void fit_landscape(app *a, const layout *l)
{
    live *L = &a->L;
    int w = (int)l->sv.w, h = (int)l->sv.h;
    live_fit(L, L->ls.view, w, h);
    a->refit_crit = L->ncrit == 0;
    if (L->ncrit == 0 || !L->disp.crit) return;
    float R[3][4];
    int nr = 0;
    scene_view sv = l->sv;
    if (scene_legend_rect(a->g, L, &sv, &a->sf, R[nr])) nr++;
    if (scene_caption_rect(a->g, L, &sv, R[nr])) nr++;
    if (scene_chart_shown(L)) {
        scene_chart_rect(&sv, R[nr]);
        float T[4];
        if (scene_timeline_rect(L, &sv, T)) R[nr][3] = T[1] + T[3] + 14 * sv.scale - R[nr][1];
        nr++;
    }
    float m = 12 * sv.scale;
    live_view(L, w, h, sv.view);
    int best_hidden = crit_hidden(L, &sv, (const float(*)[4])R, nr, m);
    if (best_hidden == 0) return;
    double best_upp = L->upp, best_c[2] = {L->center[0], L->center[1]};
    int ncombo = 1;
    for (int r = 0; r < nr; r++) ncombo *= 5;
    for (int c = 0; c < ncombo; c++) {
        /* box r is trimmed off on side (c / 5^r) % 5: 0 none, 1 left of it, 2 right, 3 above, 4 below */
        double x0 = sv.x, x1 = sv.x + sv.w, y0 = sv.y, y1 = sv.y + sv.h;
        for (int r = 0, k = c; r < nr; r++, k /= 5) {
            const float *B = R[r];
            switch (k % 5) {
            case 1: if (B[0] - m < x1) x1 = B[0] - m; break;
            case 2: if (B[0] + B[2] + m > x0) x0 = B[0] + B[2] + m; break;
            case 3: if (B[1] - m < y1) y1 = B[1] - m; break;
            case 4: if (B[1] + B[3] + m > y0) y0 = B[1] + B[3] + m; break;
            default: break;
            }
        }
        /* a part narrower than a quarter of the canvas would shrink the lesson to a stamp */
        if (x1 - x0 < 0.25 * sv.w || y1 - y0 < 0.25 * sv.h) continue;
        float fr[4] = {(float)x0, (float)y0, (float)(x1 - x0), (float)(y1 - y0)};
        fit_into(L, &sv, fr);
        live_view(L, w, h, sv.view);
        int hidden = crit_hidden(L, &sv, (const float(*)[4])R, nr, m);
        if (hidden < best_hidden || (hidden == best_hidden && L->upp < best_upp)) {
            best_hidden = hidden;
            best_upp = L->upp;
            best_c[0] = L->center[0];
            best_c[1] = L->center[1];
        }
    }
    L->upp = best_upp;
    L->center[0] = best_c[0];
    L->center[1] = best_c[1];
}

/* ---- the field ---------------------------------------------------------------- */

static void field_spec(const live *L, const char **spec, int *is_formula)
{
    if (L->ls.def) { *spec = L->ls.label; *is_formula = 0; }
    else { *spec = expr_source(L->ls.f); *is_formula = 1; }
}

/* Ask for a new field when the view has left the part of the last request that
 * still has margin around it, when the zoom changed by more than 30%, or when the
 * landscape changed. The request covers the view plus a quarter on every side, so
 * panning shows computed field while the next one is being made. */
static void maybe_request_field(app *a, const layout *l)
{
    live *L = &a->L;
    double v[4];
    live_view(L, (int)l->sv.w, (int)l->sv.h, v);
    double vw = v[1] - v[0], vh = v[3] - v[2];
    int want_lmax = scene_wants_lmax(L);
    if (a->have_req && a->req_gen == L->ls_gen && (!want_lmax || a->req_lmax)) {
        double rw = a->req_view[1] - a->req_view[0];
        double mx = 0.1 * rw, my = 0.1 * (a->req_view[3] - a->req_view[2]);
        double zoom = rw / (1.5 * vw);
        int inside = v[0] >= a->req_view[0] + mx && v[1] <= a->req_view[1] - mx &&
                     v[2] >= a->req_view[2] + my && v[3] <= a->req_view[3] - my;
        if (inside && zoom > 1 / 1.3 && zoom < 1.3) return;
    }
    double rv[4] = {v[0] - 0.25 * vw, v[1] + 0.25 * vw, v[2] - 0.25 * vh, v[3] + 0.25 * vh};
    /* one sample per pixel, up to about 6 million samples */
    double sw = l->sv.w * 1.5, sh = l->sv.h * 1.5;
    double k = sqrt(6.0e6 / (sw * sh));
    if (k < 1) { sw *= k; sh *= k; }
    int w = (int)sw, h = (int)sh;
    if (w < 2) w = 2;
    if (h < 2) h = 2;
    const char *spec;
    int is_formula;
    field_spec(L, &spec, &is_formula);
    field_worker_request(a->fw, spec, is_formula, L->ls_gen, rv, w, h, want_lmax, 1);
    memcpy(a->req_view, rv, sizeof rv);
    a->req_w = w;
    a->req_h = h;
    a->req_gen = L->ls_gen;
    a->req_lmax = want_lmax;
    a->have_req = 1;
}

static void take_field(app *a)
{
    const field_result *r = field_worker_poll(a->fw);
    if (!r || r->gen != a->L.ls_gen) return;
    scene_field_upload(a->g, &a->sf, r);
    if (r->ncrit >= 0) {
        a->L.ncrit = r->ncrit > LIVE_MAX_CRIT ? LIVE_MAX_CRIT : r->ncrit;
        memcpy(a->L.crit, r->crit, (size_t)a->L.ncrit * sizeof *r->crit);
        a->L.hess_scale = r->hess_scale;
    }
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_ui_commands(gfx *g, const ui_cmd *c, int n)
{
    for (int i = 0; i < n; i++) {
        switch (c[i].type) {
        case UI_CMD_CLIP: gfx_clip(g, c[i].r.x, c[i].r.y, c[i].r.w, c[i].r.h); break;
        case UI_CMD_RECT: gfx_rect(g, c[i].r.x, c[i].r.y, c[i].r.w, c[i].r.h, c[i].radius, c[i].color); break;
        case UI_CMD_BOX:
            gfx_rect_outline(g, c[i].r.x, c[i].r.y, c[i].r.w, c[i].r.h, c[i].radius, c[i].width, c[i].color);
            break;
        case UI_CMD_TEXT: gfx_text(g, c[i].r.x, c[i].r.y, c[i].text, c[i].len, c[i].px, c[i].color); break;
        }
    }
    gfx_clip(g, 0, 0, -1, -1);
}

static const char *const help_lines[][2] = {
    {"Space", "play / pause"},
    {"N", "one step, its update explained beside the selected runner"},
    {"R", "reset the runners to the start"},
    {"click", "set the start point for every runner"},
    {"drag the star", "move the start; ghost paths preview every runner"},
    {"drag", "pan"},
    {"wheel", "zoom around the cursor"},
    {"0 / Home", "fit the landscape's view"},
    {"+ / -", "zoom in / out"},
    {"Tab", "show / hide the control panel"},
    {"Up / Down", "move between controls (then Left / Right to change)"},
    {"Enter", "type a slider's exact value, toggle, press"},
    {"Ctrl+A / C / X / V", "in a text box: select all, copy, cut, paste (Shift+arrows select)"},
    {"[ / ]", "select the previous / next runner"},
    {"A / Delete", "add a runner like the selected one / remove it"},
    {"1 ... 9", "select runner k"},
    {"C / V", "critical points / saddle eigenvectors"},
    {"I / S", "iso-lines / hillshade"},
    {"G / U", "gradient / update arrows"},
    {"X", "shade where lr·λmax > 2 (GD unstable)"},
    {"W", "swarm: the selected runner from a grid of starts (--swarm N particles)"},
    {"B", "basins of attraction: which minimum each start reaches, every runner"},
    {"H / T / E / P", "hover read-out / trails / legend / loss chart"},
    {"M", "colour map: viridis, cividis, light"},
    {"D", "3D surface / map; in 3D drag orbits, right-drag or Shift+drag pans, wheel zooms"},
    {"Ctrl + / Ctrl -", "larger / smaller text (projector)"},
    {"F11", "fullscreen"},
    {"F5", "reload shaders (with --shader-dir)"},
    {"F2", "class mode: canvas, legend, caption and the lesson's controls only"},
    {"K / Shift+K", "initialization: activation and gradient size through 50 layers / ReLU or tanh"},
    {"PgDn / PgUp", "next / previous scene of the --scene list"},
    {"Ctrl+S", "save the current state as a scene file"},
    {"F12", "screenshot (PNG, numbered, never overwrites)"},
    {"Shift+F12", "the canvas at 2x or 4x (--shot-scale), for print"},
    {"F1 / Esc", "this help / close it (wheel, arrows, PageUp / PageDown scroll it)"},
    {"Ctrl+Q", "quit"},
};

/* The help box: two columns, as large as the text size asks but no wider than the
 * window (the type shrinks, down to 60%); taller than the window, it scrolls. */
static void draw_help(gfx *g, const layout *l, const scene_theme *th, float *scroll)
{
    int n = (int)(sizeof help_lines / sizeof *help_lines);
    float px = 15 * l->scale, pad = 18 * l->scale;
    float kw = 0, dw = 0;
    for (int i = 0; i < n; i++) {
        float a = gfx_text_width(g, help_lines[i][0], -1, px);
        float b = gfx_text_width(g, help_lines[i][1], -1, px);
        if (a > kw) kw = a;
        if (b > dw) dw = b;
    }
    float room = (float)l->fw - 2 * pad;
    if (kw + dw + 3 * pad > room && kw + dw > 0) {
        float f = (room - 3 * pad) / (kw + dw);
        if (f < 0.6f) f = 0.6f;
        px *= f;
        kw *= f;
        dw *= f;
    }
    float lh = gfx_line_height(g, px) * 1.1f;
    float w = kw + dw + 3 * pad, h = (n + 1.6f) * lh + 2 * pad;
    float x = (l->fw - w) / 2, y = (l->fh - h) / 2;
    if (x < 0) x = 0;
    /* taller than the window: it scrolls, its last line above the footer saying so */
    float foot = gfx_line_height(g, 12 * l->scale) + 22 * l->scale;
    float maxs = h > l->fh ? h + foot - l->fh : 0;
    if (*scroll > maxs) *scroll = maxs;
    if (*scroll < 0) *scroll = 0;
    if (y < 0) y = -*scroll;
    gfx_rect(g, 0, 0, (float)l->fw, (float)l->fh, 0, 0x00000070u);
    gfx_rect(g, x, y, w, h, 10 * l->scale, GFX_WITH_ALPHA(th->bg, 0xf0));
    gfx_rect_outline(g, x, y, w, h, 10 * l->scale, 1, th->box_edge);
    gfx_text(g, x + pad, y + pad, "optiscape " OPTISCAPE_VERSION " — keys and mouse", -1,
             px * 1.1f, th->text);
    for (int i = 0; i < n; i++) {
        float yy = y + pad + (i + 1.6f) * lh;
        if (yy + lh < 0 || yy > l->fh) continue;
        gfx_text(g, x + pad, yy, help_lines[i][0], -1, px, 0xffd23fffu);
        gfx_text(g, x + 2 * pad + kw, yy, help_lines[i][1], -1, px, th->text);
    }
    if (maxs > 0) {
        /* more below or above: say how to get there */
        const char *hint = *scroll < maxs ? "wheel or Down: more below" : "wheel or Up: back to the top";
        float hp = 12 * l->scale, hw = gfx_text_width(g, hint, -1, hp), hh = gfx_line_height(g, hp);
        float fy = (float)l->fh - foot;
        gfx_rect(g, x, fy, w, foot, 0, GFX_WITH_ALPHA(th->bg, 0xff));
        gfx_line(g, x, fy, x + w, fy, 1, th->box_edge);
        gfx_text(g, (l->fw - hw) / 2, fy + (foot - hh) / 2, hint, -1, hp, 0xffd23fffu);
    }
}

/* The status line: its parts in order, the least needed left out first when the
 * text (at the user's size) is wider than the window, so it never runs off. */
static void draw_status(gfx *g, app *a, const layout *l, const scene_theme *th)
{
    float y = (float)l->fh - l->status_h;
    gfx_rect(g, 0, y, (float)l->fw, l->status_h, 0, GFX_WITH_ALPHA(th->bg, 0xf0));
    enum { P_FPS, P_POS, P_STEP, P_PLAY, P_SWARM, P_WIDTH, P_HELP, P_N };
    char part[P_N][160];
    for (int i = 0; i < P_N; i++) part[i][0] = '\0';
    snprintf(part[P_FPS], sizeof part[0], "%.0f fps", a->fps);
    if (a->mouse_in_canvas && a->view3d) {
        double x, yy;
        if (view3d_pick(g, &a->sf, &l->sv, &a->cam, a->mouse_x, a->mouse_y, &x, &yy))
            snprintf(part[P_POS], sizeof part[0], "x = %.6g  y = %.6g", x, yy);
        else
            snprintf(part[P_POS], sizeof part[0], "3D: drag orbits, right-drag pans, wheel zooms, 0 resets");
    } else if (a->mouse_in_canvas) {
        double x, yy;
        scene_from_px(&l->sv, a->mouse_x, a->mouse_y, &x, &yy);
        snprintf(part[P_POS], sizeof part[0], "x = %.6g  y = %.6g", x, yy);
    }
    snprintf(part[P_STEP], sizeof part[0], "step %ld", a->L.step);
    snprintf(part[P_PLAY], sizeof part[0], "%s %.0f steps/s", a->L.playing ? "playing" : "paused",
             a->L.steps_per_sec);
    if (a->swarm) {
        swarm_view_info si = swarm_view_get_info(a->swarm);
        int behind = si.target - si.step > (long)(a->L.steps_per_sec / 4) + 2;
        snprintf(part[P_SWARM], sizeof part[0], "swarm %zu, %zu finite%s", si.n, si.alive,
                 behind ? ", catching up" : "");
    }
    snprintf(part[P_WIDTH], sizeof part[0], "view width %.3g", l->sv.w * a->L.upp);
    snprintf(part[P_HELP], sizeof part[0], "F1 help");
    /* left out first to last */
    static const int drop[P_N] = {P_FPS, P_WIDTH, P_SWARM, P_PLAY, P_HELP, P_POS, P_STEP};
    float px = 13 * l->scale;
    int keep[P_N];
    for (int i = 0; i < P_N; i++) keep[i] = part[i][0] != '\0';
    int show_note = a->note[0] && os_now() < a->note_until;
    float note_w = show_note ? gfx_text_width(g, a->note, -1, px) + 30 * l->scale : 0;
    float room = (float)l->fw - 16 * l->scale;
    if (note_w > room * 0.6f) note_w = room * 0.6f;
    char b[1200];
    for (int d = 0;; d++) {
        size_t o = 0;
        b[0] = '\0';
        for (int i = 0; i < P_N; i++) {
            if (!keep[i]) continue;
            o += (size_t)snprintf(b + o, sizeof b - o, "%s%s", o ? "   ·   " : "", part[i]);
            if (o >= sizeof b) o = sizeof b - 1;
        }
        if (gfx_text_width(g, b, -1, px) <= room - note_w || d >= P_N) break;
        keep[drop[d]] = 0;
    }
    float ty = y + (l->status_h - gfx_line_height(g, px)) / 2;
    gfx_clip(g, 0, y, (float)l->fw, l->status_h);
    gfx_text(g, 8 * l->scale, ty, b, -1, px, th->text_dim);
    if (show_note) {
        float w = gfx_text_width(g, a->note, -1, px);
        float nx = (float)l->fw - w - 10 * l->scale;
        float minx = (float)l->fw - note_w;
        if (nx < minx) {
            /* a long note (a path) keeps its end: the file name */
            gfx_clip(g, minx, y, note_w, l->status_h);
        }
        gfx_text(g, nx, ty, a->note, -1, px, 0xffd23fffu);
    }
    gfx_clip(g, 0, 0, -1, -1);
}

/* ---- swarm (W) and basins of attraction (B) -------------------------------------- */

#define BASIN_GRID 200              /* starts along the view's longer side */
#define BASIN_STEPS 500

static void swarm_under(gfx *g, const scene_view *sv, void *user)
{
    app *a = user;
    scene_theme th = scene_theme_of(&a->L);
    swarm_view_draw(a->swarm, g, sv, &th);
}

/* A swarm of the selected runner from a grid over the view (replacing any other). */
static void swarm_start(app *a, const layout *l)
{
    swarm_view_destroy(a->swarm);
    a->swarm = NULL;
    if (a->L.nrun == 0) return;
    double v[4];
    live_view(&a->L, (int)l->sv.w, (int)l->sv.h, v);
    a->swarm = swarm_view_create(&a->L, a->L.selected, v, a->o.swarm > 0 ? a->o.swarm : SWARM_VIEW_DEFAULT);
    char msg[160];
    if (a->swarm)
        snprintf(msg, sizeof msg, "swarm of runner %d: %zu particles (W: off)", a->L.selected + 1,
                 swarm_view_get_info(a->swarm).n);
    else
        snprintf(msg, sizeof msg, "swarm: out of memory");
    set_note(a, msg);
}

/* The maps are redone when the landscape or an optimizer changes (not the start). */
static int basins_stale(const app *a)
{
    const live *L = &a->L;
    if (!a->basins_asked || a->basins_gen != L->ls_gen || a->basins_nrun != L->nrun) return 1;
    for (int k = 0; k < L->nrun; k++) {
        const runner_desc *d = &L->run[k].r.d, *e = &a->basins_desc[k];
        if (memcmp(&d->opt, &e->opt, sizeof d->opt) || memcmp(&d->sched, &e->sched, sizeof d->sched) ||
            d->noise != e->noise || d->seed != e->seed)
            return 1;
    }
    return 0;
}

static void basins_request(app *a, const layout *l)
{
    double v[4];
    live_view(&a->L, (int)l->sv.w, (int)l->sv.h, v);
    double vw = v[1] - v[0], vh = v[3] - v[2];
    int nx = BASIN_GRID, ny = BASIN_GRID;
    if (vw > vh) ny = (int)fmax(2, lround(BASIN_GRID * vh / vw));
    else nx = (int)fmax(2, lround(BASIN_GRID * vw / vh));
    basin_request *rq = malloc(sizeof *rq);
    if (!rq) return;
    basin_request_from_live(rq, &a->L, v, nx, ny, BASIN_STEPS);
    if (rq->spec) basin_worker_request(a->bw, rq);
    free(rq->spec);
    free(rq);
    a->basins_asked = 1;
    a->basins_gen = a->L.ls_gen;
    a->basins_nrun = a->L.nrun;
    for (int k = 0; k < a->L.nrun; k++) a->basins_desc[k] = a->L.run[k].r.d;
}

static void basins_drop(app *a)
{
    if (a->basins) basin_set_free(a->basins);
    free(a->basins);
    a->basins = NULL;
}

/* Each frame: start a swarm asked for, let it follow the clock, take new maps.
 * deterministic (--frames N): 1 the swarm keeps up with the clock; 2 (the last
 * frame) the maps are waited for too. Nothing is waited for once a quit is asked. */
static void update_swarm_basins(app *a, const layout *l, int deterministic)
{
    if (a->want_swarm) {
        a->want_swarm = 0;
        swarm_start(a, l);
    }
    if (a->swarm && swarm_view_sync(a->swarm, &a->L) != 0) {
        swarm_view_destroy(a->swarm);
        a->swarm = NULL;
    }
    if (a->swarm && deterministic && !a->quit) swarm_view_wait(a->swarm);
    if (a->basins_on && a->bw) {
        if (basins_stale(a)) basins_request(a, l);
        if (deterministic == 2 && !a->quit) basin_worker_wait(a->bw);
        basin_set *b = basin_worker_poll(a->bw);
        if (b) {
            basins_drop(a);
            a->basins = b;
        }
    }
}

static void draw_basins(app *a, const layout *l, const scene_theme *th)
{
    const scene_view *sv = &l->sv;
    float px = 14 * l->scale;
    gfx_clip(a->g, sv->x, sv->y, sv->w, sv->h);
    gfx_rect(a->g, sv->x, sv->y, sv->w, sv->h, 0, GFX_WITH_ALPHA(th->bg, 0xf4));
    if (a->basins) basin_set_draw(a->g, a->basins, sv->x, sv->y, sv->w, sv->h, l->scale, th);
    if (a->bw && basin_worker_busy(a->bw)) {
        /* the first maps in the middle; new maps for changed settings in a corner */
        const char *msg = "computing the basins of attraction…";
        float w = gfx_text_width(a->g, msg, -1, px), pad = 8 * l->scale, lh = gfx_line_height(a->g, px);
        float bx = a->basins ? sv->x + sv->w - w - 2 * pad - 10 * l->scale : sv->x + (sv->w - w) / 2 - pad;
        float by = a->basins ? sv->y + 10 * l->scale : sv->y + sv->h / 2 - lh / 2 - pad;
        gfx_rect(a->g, bx, by, w + 2 * pad, lh + 2 * pad, 6 * l->scale, th->box);
        gfx_rect_outline(a->g, bx, by, w + 2 * pad, lh + 2 * pad, 6 * l->scale, 1, th->box_edge);
        gfx_text(a->g, bx + pad, by + pad, msg, -1, px, th->text);
    }
    gfx_clip(a->g, 0, 0, -1, -1);
}

static void draw_frame(app *a, const layout *l, const ui_cmd *cmds, int ncmd)
{
    scene_theme th = scene_theme_of(&a->L);
    gfx_begin(a->g, l->fw, l->fh);
    gfx_clear(a->g, th.bg);
    if (a->o.bench == 2) {
        /* the floor of the frame benchmark: the field texture alone */
        live_display keep = a->L.disp;
        gfx_field_style st = {
            .dst = {0, 0, l->sv.w, l->sv.h}, .clip = {0, 0, l->sv.w, l->sv.h},
            .cmap = (gfx_cmap)keep.cmap, .vmin = a->sf.vmin, .vmax = a->sf.vmax,
            .log_scale = 1, .log_floor = (a->sf.vmax - a->sf.vmin) * 1e-3f + 1e-30f,
            .iso = 0, .background = th.bg,
        };
        if (a->sf.valid) gfx_field_draw(a->g, &st);
        gfx_end(a->g);
        return;
    }
    scene_view sv = l->sv;
    /* under the basin maps and the initialization panel the map's caption, legend
       and read-out would show through: the caption is drawn last, above them, and
       the views end above it */
    int over = a->basins_on || a->show_init;
    sv.no_caption = over;
    if (over) sv.hover = 0;
    if (a->view3d) view3d_draw(a->g, &a->L, &a->sf, &sv, &a->cam);
    else scene_draw(a->g, &a->L, &a->sf, &sv);
    layout lo = *l;
    float cap[4];
    if (over) gfx_rect(a->g, lo.sv.x, lo.sv.y, lo.sv.w, lo.sv.h, 0, th.bg);
    if (over && scene_caption_rect(a->g, &a->L, &l->sv, cap) && cap[1] - 6 * l->scale > lo.sv.y + 100 * l->scale)
        lo.sv.h = cap[1] - 6 * l->scale - lo.sv.y;
    /* large text on a small canvas: the overlays' text no larger than leaves their
       maps and plots room (about 420 px of height a unit of scale) */
    if (over && lo.scale > 1 && lo.sv.h < 420 * lo.scale) lo.scale = fmaxf(1, lo.sv.h / 420);
    if (a->basins_on) draw_basins(a, &lo, &th);
    if (a->show_init) {
        /* the initialization panel over the canvas, with a margin */
        float m = 20 * lo.scale;
        gfx_rect(a->g, lo.sv.x, lo.sv.y, lo.sv.w, lo.sv.h, 0, th.bg);
        init_view_draw(a->g, &a->iv, lo.sv.x + m, lo.sv.y + m, lo.sv.w - 2 * m, lo.sv.h - 2 * m, lo.scale, &th);
    }
    if (over) scene_draw_caption(a->g, &a->L, &l->sv);
    if (l->panel_w > 0) draw_ui_commands(a->g, cmds, ncmd);
    if (l->status_h > 0) draw_status(a->g, a, l, &th);
    if (a->L.disp.help) draw_help(a->g, l, &th, &a->help_scroll);
    gfx_end(a->g);
}

/* ---- screenshots -------------------------------------------------------------- */

static int save_screenshot(app *a, const char *path, int force, char *err, size_t errlen)
{
    int w, h;
    SDL_GL_GetDrawableSize(a->win, &w, &h);
    if (w < 1 || h < 1) { snprintf(err, errlen, "the window has no pixels"); return PNGIO_FAILED; }
    unsigned char *px = malloc((size_t)w * (size_t)h * 4);
    if (!px) { snprintf(err, errlen, "out of memory"); return PNGIO_FAILED; }
    gfx_read_pixels(a->g, 0, 0, w, h, px);
    char desc[1024];
    snprintf(desc, sizeof desc, "landscape=%s; runners=%d; step=%ld", a->L.ls.label, a->L.nrun, a->L.step);
    const char *text[] = {"Software", "optiscape " OPTISCAPE_VERSION, "Description", desc, NULL};
    int rc = png_save_rgba(path, px, w, h, text, force, err, errlen);
    free(px);
    return rc;
}

/* The canvas (no panel, no status line) at k times its size through an offscreen
 * framebuffer, marks and text scaled with it: a figure from what is on screen. */
static int save_scaled_shot(app *a, const layout *l, int k, const char *path, char *err, size_t errlen)
{
    int w = (int)l->sv.w * k, h = (int)l->sv.h * k;
    int maxs = gfx_max_size(a->g);
    if (w > maxs || h > maxs) {
        snprintf(err, errlen, "%dx%d is beyond this GL's limit of %d", w, h, maxs);
        return PNGIO_FAILED;
    }
    gfx_target *t = gfx_target_create(a->g, w, h, err, errlen);
    unsigned char *px = t ? malloc((size_t)w * (size_t)h * 4) : NULL;
    if (!px) {
        if (t) snprintf(err, errlen, "out of memory");
        gfx_target_destroy(a->g, t);
        return PNGIO_FAILED;
    }
    scene_theme th = scene_theme_of(&a->L);
    gfx_target_bind(a->g, t);
    gfx_begin(a->g, w, h);
    gfx_clear(a->g, th.bg);
    scene_view sv = l->sv;
    sv.x = 0;
    sv.y = 0;
    sv.w = (float)w;
    sv.h = (float)h;
    sv.scale *= (float)k;
    sv.hover = 0;
    sv.hx *= k;
    sv.hy *= k;
    if (a->view3d) view3d_draw(a->g, &a->L, &a->sf, &sv, &a->cam);
    else scene_draw(a->g, &a->L, &a->sf, &sv);
    gfx_end(a->g);
    gfx_read_pixels(a->g, 0, 0, w, h, px);
    gfx_target_bind(a->g, NULL);
    gfx_target_destroy(a->g, t);
    char desc[1024];
    snprintf(desc, sizeof desc, "landscape=%s; runners=%d; step=%ld; %dx canvas", a->L.ls.label, a->L.nrun,
             a->L.step, k);
    const char *text[] = {"Software", "optiscape " OPTISCAPE_VERSION, "Description", desc, NULL};
    int rc = png_save_rgba(path, px, w, h, text, 0, err, errlen);
    free(px);
    return rc;
}

static void take_pending_shot(app *a, const layout *l)
{
    int k = a->shot_pending;
    a->shot_pending = 0;
    char path[4200], err[4400], msg[4600];
    const char *dir = a->o.shots_dir ? a->o.shots_dir : ".";
    if (png_next_name(dir, "optiscape", path, sizeof path) != 0) {
        set_note(a, "no free screenshot name");
        return;
    }
    int rc = k > 1 ? save_scaled_shot(a, l, k, path, err, sizeof err) : save_screenshot(a, path, 0, err, sizeof err);
    if (rc == PNGIO_OK) snprintf(msg, sizeof msg, "saved %s", path);
    else snprintf(msg, sizeof msg, "screenshot failed: %s", err);
    /* messages go to stderr: stdout is --print-state's */
    fprintf(stderr, "optiscape: %s\n", msg);
    set_note(a, msg);
}

/* ---- input -------------------------------------------------------------------- */

static void select_runner(live *L, int k)
{
    if (k >= 0 && k < L->nrun) L->selected = k;
}

static void switch_scene(app *a, int idx);
static int in_canvas(const layout *l, float x, float y);
static void save_scene(app *a, const layout *l);
static int add_scene_arg(win_opts *o, const char *path, char *err, size_t errlen);
static int scene_option(cli_scene *sc, const char *path, char *err, size_t errlen);

static void key_down(app *a, const SDL_KeyboardEvent *e, const layout *l)
{
    live *L = &a->L;
    SDL_Keycode k = e->keysym.sym;
    int ctrl = (e->keysym.mod & KMOD_CTRL) != 0;
    if (ctrl && k == SDLK_q) { a->quit = 1; return; }
    if (ctrl && k == SDLK_s) { save_scene(a, l); return; }
    if (ctrl && (k == SDLK_EQUALS || k == SDLK_PLUS || k == SDLK_KP_PLUS)) {
        a->user_scale = fminf(a->user_scale * 1.15f, 3.0f);
        return;
    }
    if (ctrl && (k == SDLK_MINUS || k == SDLK_KP_MINUS)) {
        a->user_scale = fmaxf(a->user_scale / 1.15f, 0.6f);
        return;
    }
    if (ctrl) return;
    /* + and - zoom about the pointer when it is over the canvas, else the centre */
    double cx, cy;
    if (a->mouse_seen && in_canvas(l, a->mouse_x, a->mouse_y))
        scene_from_px(&l->sv, a->mouse_x, a->mouse_y, &cx, &cy);
    else
        scene_from_px(&l->sv, l->sv.x + l->sv.w / 2, l->sv.y + l->sv.h / 2, &cx, &cy);
    if (a->view3d) {
        /* in 3D, fit and zoom move the camera; the map's view stays */
        if (k == SDLK_0 || k == SDLK_HOME) { cam3d_defaults(&a->cam); return; }
        if (k == SDLK_EQUALS || k == SDLK_PLUS || k == SDLK_KP_PLUS) { cam3d_zoom(&a->cam, 1.25); return; }
        if (k == SDLK_MINUS || k == SDLK_KP_MINUS) { cam3d_zoom(&a->cam, 1 / 1.25); return; }
    }
    switch (k) {
    case SDLK_SPACE: L->playing = !L->playing; break;
    case SDLK_n: case SDLK_PERIOD: L->playing = 0; live_step_explained(L); break;
    case SDLK_F2: L->disp.class_mode = !L->disp.class_mode; break;
    case SDLK_k:
        if (e->keysym.mod & KMOD_SHIFT) {
            init_view_set(&a->iv, a->iv.act == INITNORM_RELU ? INITNORM_TANH : INITNORM_RELU, 256, L->seed);
            a->show_init = 1;
        } else {
            if (!a->show_init) init_view_set(&a->iv, a->iv.act, 256, L->seed);
            a->show_init = !a->show_init;
        }
        break;
    case SDLK_PAGEDOWN: switch_scene(a, a->scene_index + 1); break;
    case SDLK_PAGEUP: switch_scene(a, a->scene_index - 1); break;
    case SDLK_r: live_reset(L); break;
    case SDLK_TAB: L->disp.panel = !L->disp.panel; break;
    case SDLK_F1: L->disp.help = !L->disp.help; a->help_scroll = 0; break;
    case SDLK_ESCAPE: L->disp.help = 0; break;
    case SDLK_F11: {
        Uint32 fl = SDL_GetWindowFlags(a->win);
        SDL_SetWindowFullscreen(a->win, (fl & SDL_WINDOW_FULLSCREEN_DESKTOP) ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
    }
    case SDLK_F5: {
        char err[512];
        if (gfx_reload_shaders(a->g, err, sizeof err) != 0) { fprintf(stderr, "optiscape: %s\n", err); set_note(a, err); }
        else set_note(a, "shaders reloaded");
        break;
    }
    case SDLK_F12:
        /* taken once the frame is drawn: the back buffer is undefined until then */
        a->shot_pending = (e->keysym.mod & KMOD_SHIFT) ? a->o.shot_scale : 1;
        break;
    case SDLK_0: case SDLK_HOME: fit_landscape(a, l); break;
    case SDLK_EQUALS: case SDLK_PLUS: case SDLK_KP_PLUS:
        a->refit_crit = 0;
        live_zoom(L, 1.25, cx, cy, (int)l->sv.w, (int)l->sv.h);
        break;
    case SDLK_MINUS: case SDLK_KP_MINUS:
        a->refit_crit = 0;
        live_zoom(L, 1 / 1.25, cx, cy, (int)l->sv.w, (int)l->sv.h);
        break;
    case SDLK_LEFTBRACKET: select_runner(L, (L->selected + L->nrun - 1) % (L->nrun ? L->nrun : 1)); break;
    case SDLK_RIGHTBRACKET: select_runner(L, (L->selected + 1) % (L->nrun ? L->nrun : 1)); break;
    case SDLK_a: if (L->nrun > 0 && L->nrun < LIVE_MAX_RUNNERS) {
            runner_desc d = L->run[L->selected].r.d;
            d.seed = 0x9e3779b97f4a7c15ull * (uint64_t)L->nrun;
            int n = live_add(L, &d);
            if (n >= 0) L->selected = n;
        }
        break;
    case SDLK_DELETE: if (L->nrun > 0) live_remove(L, L->selected); break;
    case SDLK_c: L->disp.crit = !L->disp.crit; break;
    case SDLK_v: L->disp.saddle_arrows = !L->disp.saddle_arrows; break;
    case SDLK_i: L->disp.iso = !L->disp.iso; break;
    case SDLK_s: L->disp.hillshade = !L->disp.hillshade; break;
    case SDLK_g: L->disp.grad_arrows = !L->disp.grad_arrows; break;
    case SDLK_u: L->disp.update_arrows = !L->disp.update_arrows; break;
    case SDLK_x: L->disp.stab = !L->disp.stab; break;
    case SDLK_h: L->disp.hover = !L->disp.hover; break;
    case SDLK_t: L->disp.trails = !L->disp.trails; break;
    case SDLK_e: L->disp.legend = !L->disp.legend; break;
    case SDLK_p:
        if (L->disp.class_mode) { /* P shows or hides the chart as class mode draws it */
            int shown = scene_chart_shown(L);
            L->disp.chart = L->disp.class_chart = !shown;
        } else {
            L->disp.chart = !L->disp.chart;
        }
        break;
    case SDLK_m: L->disp.cmap = (live_cmap)((L->disp.cmap + 1) % 3); break;
    case SDLK_d:
        a->view3d = !a->view3d;
        a->panning = a->drag_start = a->cam_drag = 0;
        L->ghost_on = 0;
        set_note(a, a->view3d ? "3D: drag orbits, right-drag or Shift+drag pans, wheel zooms, 0 resets (D: the map)"
                              : "the contour map (D: 3D)");
        break;
    case SDLK_w:
        if (a->swarm && swarm_view_get_info(a->swarm).runner == L->selected) {
            swarm_view_destroy(a->swarm);
            a->swarm = NULL;
            set_note(a, "swarm off");
        } else {
            a->want_swarm = 1;
        }
        break;
    case SDLK_b:
        a->basins_on = !a->basins_on;
        a->basins_asked = 0;          /* B again: maps of the view as it is now */
        if (!a->basins_on) basins_drop(a);
        else if (!a->bw && !(a->bw = basin_worker_create())) a->basins_on = 0;
        if (a->basins_on) set_note(a, "basins of attraction of every runner over the view (B closes)");
        break;
    default:
        if (k >= SDLK_1 && k <= SDLK_9) select_runner(L, (int)(k - SDLK_1));
        break;
    }
}

static unsigned ui_key_of(SDL_Keycode k, Uint16 mod)
{
    if (mod & KMOD_CTRL) {
        /* editing commands in a text box */
        switch (k) {
        case SDLK_a: return UI_KEY_SELECT_ALL;
        case SDLK_c: return UI_KEY_COPY;
        case SDLK_x: return UI_KEY_CUT;
        case SDLK_v: return UI_KEY_PASTE;
        default: break;
        }
    }
    switch (k) {
    case SDLK_LEFT: return UI_KEY_LEFT;
    case SDLK_RIGHT: return UI_KEY_RIGHT;
    case SDLK_UP: return UI_KEY_UP;
    case SDLK_DOWN: return UI_KEY_DOWN;
    case SDLK_HOME: return UI_KEY_HOME;
    case SDLK_END: return UI_KEY_END;
    case SDLK_RETURN: case SDLK_KP_ENTER: return UI_KEY_ENTER;
    case SDLK_ESCAPE: return UI_KEY_ESCAPE;
    case SDLK_BACKSPACE: return UI_KEY_BACKSPACE;
    case SDLK_DELETE: return UI_KEY_DELETE;
    default: return 0;
    }
}

static int in_canvas(const layout *l, float x, float y)
{
    return x >= l->sv.x && x < l->sv.x + l->sv.w && y >= l->sv.y && y < l->sv.y + l->sv.h;
}

/* The ui's input of one frame, split so that every key event is seen on its own:
 * a new input starts at a key when the current one already has a key or text, and
 * at text when it has a key (five BackSpaces in one frame delete five characters,
 * "a", BackSpace, "b" gives "b"). The ui runs once per input, in order. */
#define INPUT_PASSES 64

typedef struct input_queue {
    ui_input in[INPUT_PASSES];
    int n;
} input_queue;

static ui_input *queue_for(input_queue *q, int key)
{
    ui_input *cur = &q->in[q->n - 1];
    int busy = cur->keys != 0 || (key && cur->text[0]);
    if (!busy || q->n == INPUT_PASSES) return cur;
    ui_input *nx = &q->in[q->n++];
    memset(nx, 0, sizeof *nx);
    nx->mx = cur->mx;
    nx->my = cur->my;
    nx->down = cur->down;
    nx->mods = cur->mods;
    return nx;
}

static void handle_events(app *a, input_queue *q, layout *l)
{
    live *L = &a->L;
    int ww, wh;
    SDL_GetWindowSize(a->win, &ww, &wh);
    float sx = ww > 0 ? (float)l->fw / (float)ww : 1, sy = wh > 0 ? (float)l->fh / (float)wh : 1;
    int ui_mouse = ui_wants_mouse(a->u), ui_kb = ui_wants_keyboard(a->u), ui_focus = ui_has_focus(a->u);
    SDL_Event e;
    q->n = 1;
    ui_input *in = &q->in[0];
    memset(in, 0, sizeof *in);
    in->mx = a->mouse_x;
    in->my = a->mouse_y;
    Uint32 bs = SDL_GetMouseState(NULL, NULL);
    in->down = (bs & SDL_BUTTON_LMASK) != 0;
    SDL_Keymod mod = SDL_GetModState();
    in->mods = ((mod & KMOD_SHIFT) ? UI_MOD_SHIFT : 0) | ((mod & KMOD_CTRL) ? UI_MOD_CTRL : 0);
    while (SDL_PollEvent(&e)) {
        /* every event sees the view as the events before it left it */
        live_view(L, (int)l->sv.w, (int)l->sv.h, l->sv.view);
        switch (e.type) {
        case SDL_QUIT: a->quit = 1; break;
        case SDL_MOUSEMOTION: {
            float mx = e.motion.x * sx, my = e.motion.y * sy;
            a->mouse_seen = 1;
            a->mouse_x = in->mx = mx;
            a->mouse_y = in->my = my;
            if (a->scrubbing) {
                live_seek(L, scene_timeline_step(L, &l->sv, mx));
            } else if (a->cam_drag) {
                if (a->cam_drag == 1) cam3d_orbit(&a->cam, mx - a->cam_x, my - a->cam_y);
                else cam3d_pan(&a->cam, &l->sv, mx - a->cam_x, my - a->cam_y);
                a->cam_x = mx;
                a->cam_y = my;
            } else if (a->drag_start) {
                double x, y;
                scene_from_px(&l->sv, mx, my, &x, &y);
                live_ghosts(L, x, y, LIVE_GHOST_STEPS);
            } else if (a->panning) {
                if (fabsf(mx - a->press_x) + fabsf(my - a->press_y) > 3) a->pan_moved = 1;
                if (a->pan_moved) {
                    a->refit_crit = 0;
                    L->center[0] = a->pan_center[0] - (mx - a->press_x) * L->upp;
                    L->center[1] = a->pan_center[1] + (my - a->press_y) * L->upp;
                }
            }
            break;
        }
        case SDL_MOUSEBUTTONDOWN: {
            float mx = e.button.x * sx, my = e.button.y * sy;
            a->mouse_x = in->mx = mx;
            a->mouse_y = in->my = my;
            if (e.button.button == SDL_BUTTON_LEFT) {
                in->pressed = 1;
                in->down = 1;
                in->double_click = e.button.clicks >= 2;
            }
            if (ui_mouse || !in_canvas(l, mx, my) || L->disp.help) {
                if (L->disp.help) L->disp.help = 0;
                break;
            }
            float tl[4];
            if (e.button.button == SDL_BUTTON_LEFT && scene_timeline_rect(L, &l->sv, tl) &&
                mx >= tl[0] && mx <= tl[0] + tl[2] && my >= tl[1] && my <= tl[1] + tl[3]) {
                /* the timeline: scrub back (and forward) through the run */
                a->scrubbing = 1;
                L->playing = 0;
                live_seek(L, scene_timeline_step(L, &l->sv, mx));
                break;
            }
            if (a->view3d) {
                /* 3D: the left button orbits (with Shift it pans), the others pan;
                   the start point is set on the map only */
                int shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
                a->cam_drag = e.button.button == SDL_BUTTON_LEFT && !shift ? 1 : 2;
                a->cam_x = mx;
                a->cam_y = my;
                break;
            }
            float spx, spy;
            scene_to_px(&l->sv, L->start[0], L->start[1], &spx, &spy);
            if (e.button.button == SDL_BUTTON_LEFT && fabsf(mx - spx) < 14 * l->scale &&
                fabsf(my - spy) < 14 * l->scale) {
                a->drag_start = 1;
                double x, y;
                scene_from_px(&l->sv, mx, my, &x, &y);
                live_ghosts(L, x, y, LIVE_GHOST_STEPS);
            } else {
                a->panning = e.button.button;
                a->pan_moved = e.button.button != SDL_BUTTON_LEFT;
                a->press_x = mx;
                a->press_y = my;
                memcpy(a->pan_center, L->center, sizeof a->pan_center);
            }
            break;
        }
        case SDL_MOUSEBUTTONUP: {
            float mx = e.button.x * sx, my = e.button.y * sy;
            if (e.button.button == SDL_BUTTON_LEFT) { in->released = 1; in->down = 0; }
            if (a->scrubbing && e.button.button == SDL_BUTTON_LEFT) {
                a->scrubbing = 0;
                break;
            }
            if (a->cam_drag) {
                a->cam_drag = 0;
                break;
            }
            double x, y;
            scene_from_px(&l->sv, mx, my, &x, &y);
            if (a->drag_start && e.button.button == SDL_BUTTON_LEFT) {
                a->drag_start = 0;
                L->ghost_on = 0;
                live_set_start(L, x, y);
            } else if (a->panning == e.button.button) {
                if (!a->pan_moved && e.button.button == SDL_BUTTON_LEFT) live_set_start(L, x, y);
                a->panning = 0;
            }
            break;
        }
        case SDL_MOUSEWHEEL: {
            float wy = e.wheel.preciseY != 0 ? e.wheel.preciseY : (float)e.wheel.y;
            if (e.wheel.direction == SDL_MOUSEWHEEL_FLIPPED) wy = -wy;
            if (L->disp.help) {
                a->help_scroll -= wy * 60 * l->scale;   /* clamped where it is drawn */
                break;
            }
            if (ui_mouse) { in->wheel += wy; break; }
            if (in_canvas(l, a->mouse_x, a->mouse_y) && a->view3d) {
                cam3d_zoom(&a->cam, pow(1.2, wy));
            } else if (in_canvas(l, a->mouse_x, a->mouse_y)) {
                double x, y;
                scene_from_px(&l->sv, a->mouse_x, a->mouse_y, &x, &y);
                a->refit_crit = 0;
                live_zoom(L, pow(1.2, wy), x, y, (int)l->sv.w, (int)l->sv.h);
            }
            break;
        }
        case SDL_TEXTINPUT:
            if (ui_kb) {
                in = queue_for(q, 0);
                size_t n = strlen(in->text), m = strlen(e.text.text);
                if (n + m < sizeof in->text) memcpy(in->text + n, e.text.text, m + 1);
            }
            break;
        case SDL_KEYDOWN: {
            unsigned uk = ui_key_of(e.key.keysym.sym, e.key.keysym.mod);
            SDL_Keycode k = e.key.keysym.sym;
            if (L->disp.help && (k == SDLK_UP || k == SDLK_DOWN || k == SDLK_PAGEUP || k == SDLK_PAGEDOWN ||
                                 k == SDLK_HOME || k == SDLK_END)) {
                /* the help is open: these scroll it */
                float page = (float)l->fh * 0.8f, line = 20 * l->scale;
                a->help_scroll += k == SDLK_UP ? -line : k == SDLK_DOWN ? line : k == SDLK_PAGEUP ? -page
                                : k == SDLK_PAGEDOWN ? page : k == SDLK_HOME ? -1e9f : 1e9f;
                break;
            }
            int arrows = k == SDLK_UP || k == SDLK_DOWN || k == SDLK_LEFT || k == SDLK_RIGHT;
            /* the ui takes editing keys while it edits, arrows always (they move the
               focus through the controls), Enter and Escape while something has focus */
            if (ui_kb || arrows || (ui_focus && (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_ESCAPE))) {
                if (uk) {
                    in = queue_for(q, 1);
                    in->mods = ((e.key.keysym.mod & KMOD_SHIFT) ? UI_MOD_SHIFT : 0) |
                               ((e.key.keysym.mod & KMOD_CTRL) ? UI_MOD_CTRL : 0);
                    in->keys |= uk;
                }
                if (ui_kb && !(e.key.keysym.mod & KMOD_CTRL)) break;
                if (arrows) break;
                if (k == SDLK_RETURN || k == SDLK_KP_ENTER) break;
            }
            /* while a box edits, only Ctrl+Q and Ctrl+S still reach the window */
            if (!ui_kb || ((e.key.keysym.mod & KMOD_CTRL) && (k == SDLK_q || k == SDLK_s))) key_down(a, &e.key, l);
            break;
        }
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_LEAVE) a->mouse_seen = 0;
            break;
        default: break;
        }
    }
    if (!(SDL_GetMouseState(NULL, NULL) & SDL_BUTTON_LMASK) && !in->pressed) in->down = 0;
    a->mouse_in_canvas = a->mouse_seen && in_canvas(l, a->mouse_x, a->mouse_y) && !ui_wants_mouse(a->u);
}

/* ---- scripted input (tests drive the real event path with it) ---------------- */

static void push_mouse_button(Uint32 type, int x, int y, int clicks, Uint8 button)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = type;
    e.button.button = button;
    e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
    e.button.clicks = (Uint8)clicks;
    e.button.x = x;
    e.button.y = y;
    SDL_PushEvent(&e);
}

static void push_motion(int x, int y)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = SDL_MOUSEMOTION;
    e.motion.x = x;
    e.motion.y = y;
    SDL_PushEvent(&e);
}

/* Run the next command of the script: "key NAME [N]" (N presses in one frame, as
 * fast typing or a held key gives them), "text STR", "move X Y", "down X Y",
 * "up X Y", "rdown X Y", "rup X Y" (the right button), "click X Y", "dclick X Y",
 * "wheel X Y N", "resize W H", "wait N" (frames). Commands are separated by ';'
 * and are at most 255 characters. Returns -1 on a malformed command (message
 * printed). */
static int script_step(app *a)
{
    if (!a->script_at) return 0;
    if (a->script_wait > 0) { a->script_wait--; return 0; }
    while (*a->script_at == ' ' || *a->script_at == ';') a->script_at++;
    if (!*a->script_at) { a->script_at = NULL; return 0; }
    const char *end = strchr(a->script_at, ';');
    size_t n = end ? (size_t)(end - a->script_at) : strlen(a->script_at);
    char cmd[256], arg[256] = "";
    if (n >= sizeof cmd) {
        fprintf(stderr, "optiscape: --script: a command of %zu characters ('%.40s...'); at most %zu\n", n,
                a->script_at, sizeof cmd - 1);
        return -1;
    }
    memcpy(cmd, a->script_at, n);
    cmd[n] = '\0';
    a->script_at += n;
    char verb[32];
    int x = 0, y = 0, z = 0, k = 0;
    if (sscanf(cmd, "%31s %n", verb, &k) != 1) return 0;
    snprintf(arg, sizeof arg, "%s", cmd + k);
    int nn = sscanf(arg, "%d %d %d", &x, &y, &z);
    SDL_Event e;
    memset(&e, 0, sizeof e);
    if (strcmp(verb, "key") == 0) {
        char name[64];
        int shift = 0, ctrl = 0, times = 1;
        snprintf(name, sizeof name, "%.*s", (int)sizeof name - 1, arg);
        char *sp = strrchr(name, ' ');
        if (sp && sp > name && sp[1]) {
            char *tail;
            long t = strtol(sp + 1, &tail, 10);
            if (*tail || t < 1 || t > 64) {
                fprintf(stderr, "optiscape: --script: '%.60s': a key is pressed 1 to 64 times in a frame\n", cmd);
                return -1;
            }
            times = (int)t;
            *sp = '\0';
        }
        if (strncmp(name, "Shift+", 6) == 0) { shift = 1; memmove(name, name + 6, strlen(name + 6) + 1); }
        if (strncmp(name, "Ctrl+", 5) == 0) { ctrl = 1; memmove(name, name + 5, strlen(name + 5) + 1); }
        SDL_Keycode kc = SDL_GetKeyFromName(name);
        if (kc == SDLK_UNKNOWN) { fprintf(stderr, "optiscape: --script: unknown key '%s'\n", name); return -1; }
        e.type = SDL_KEYDOWN;
        e.key.state = SDL_PRESSED;
        e.key.keysym.sym = kc;
        e.key.keysym.scancode = SDL_GetScancodeFromKey(kc);
        e.key.keysym.mod = (Uint16)((shift ? KMOD_LSHIFT : 0) | (ctrl ? KMOD_LCTRL : 0));
        SDL_SetModState((SDL_Keymod)e.key.keysym.mod);
        for (int t = 0; t < times; t++) {
            e.type = SDL_KEYDOWN;
            e.key.state = SDL_PRESSED;
            e.key.repeat = t > 0;
            SDL_PushEvent(&e);
            e.type = SDL_KEYUP;
            e.key.state = SDL_RELEASED;
            SDL_PushEvent(&e);
        }
        SDL_SetModState(KMOD_NONE);
    } else if (strcmp(verb, "text") == 0) {
        e.type = SDL_TEXTINPUT;
        snprintf(e.text.text, sizeof e.text.text, "%.*s", (int)sizeof e.text.text - 1, arg);
        SDL_PushEvent(&e);
    } else if (strcmp(verb, "move") == 0 && nn == 2) {
        push_motion(x, y);
    } else if ((strcmp(verb, "down") == 0 || strcmp(verb, "rdown") == 0) && nn == 2) {
        push_motion(x, y);
        push_mouse_button(SDL_MOUSEBUTTONDOWN, x, y, 1, verb[0] == 'r' ? SDL_BUTTON_RIGHT : SDL_BUTTON_LEFT);
    } else if ((strcmp(verb, "up") == 0 || strcmp(verb, "rup") == 0) && nn == 2) {
        push_motion(x, y);
        push_mouse_button(SDL_MOUSEBUTTONUP, x, y, 1, verb[0] == 'r' ? SDL_BUTTON_RIGHT : SDL_BUTTON_LEFT);
    } else if ((strcmp(verb, "click") == 0 || strcmp(verb, "dclick") == 0) && nn == 2) {
        int c = verb[0] == 'd' ? 2 : 1;
        push_motion(x, y);
        push_mouse_button(SDL_MOUSEBUTTONDOWN, x, y, c, SDL_BUTTON_LEFT);
        push_mouse_button(SDL_MOUSEBUTTONUP, x, y, c, SDL_BUTTON_LEFT);
    } else if (strcmp(verb, "wheel") == 0 && nn == 3) {
        push_motion(x, y);
        e.type = SDL_MOUSEWHEEL;
        e.wheel.y = z;
        e.wheel.preciseY = (float)z;
        e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
        SDL_PushEvent(&e);
    } else if (strcmp(verb, "resize") == 0 && nn == 2 && x >= 1 && y >= 1) {
        SDL_SetWindowSize(a->win, x, y);
    } else if (strcmp(verb, "wait") == 0 && nn == 1 && x >= 0) {
        a->script_wait = x;
    } else {
        fprintf(stderr, "optiscape: --script: cannot read '%.60s'\n", cmd);
        return -1;
    }
    return 0;
}

/* ---- setup -------------------------------------------------------------------- */

static void window_usage(void)
{
    printf("Usage: optiscape [SCENE OPTIONS] [WINDOW OPTIONS]\n"
           "Opens the interactive visualizer (F1 in the window lists every key).\n\n"
           SCENE_OPTIONS_HELP
           "\nWindow options:\n"
           "  --size WxH               window size in pixels (default 1280x800)\n"
           "  --fullscreen             start fullscreen (F11 toggles)\n"
           "  --steps N                take N steps before the first frame\n"
           "  --paused                 start paused (Space plays)\n"
           "  --speed S                steps per second, 1 to 10000 (default 100)\n"
           "  --panel on|off           the control panel (Tab toggles)\n"
           "  --legend on|off, --chart on|off, --critical on|off, --hover on|off, --iso on|off\n"
           "  --cmap viridis|cividis|light\n"
           "  --shader-dir DIR         load shaders from DIR (F5 reloads them)\n"
           "  --class                  class mode (F2): canvas, legend, caption, the lesson's controls\n"
           "  --scene FILE|FOLDER      (repeatable) a lesson list: PageDown / PageUp go through it;\n"
           "                           Ctrl+S saves the current state as scene-NNNN.scene\n"
           "  --shots-dir DIR          where F12 and Shift+F12 save (default: here)\n"
           "  --shot-scale 2|4         Shift+F12 saves the canvas at 2x (default) or 4x\n"
           "  --3d                     start in the 3D view (D toggles it)\n"
           "  --camera YAW,PITCH[,ZOOM]  its camera, degrees and a factor (default -32,46,1)\n"
           "  --swarm N                the selected runner as a swarm of N particles from a grid\n"
           "                           over the view (W toggles it; default N 10000, at most 100000)\n"
           "  --frames N --screenshot FILE.png [--force]\n"
           "                           draw N frames (1/60 s each), save the window, exit\n"
           "  --print-state            print the scene on stdout when the window closes\n"
           "  --script 'CMD; CMD; ...'  synthetic input, one command per frame: key NAME [N],\n"
           "                           text STR, move|down|up|rdown|rup|click|dclick X Y, wheel X Y N,\n"
           "                           resize W H, wait N (for tests and demos; 255 characters a command)\n");
}

static int parse_window_args(int argc, char **argv, cli_scene *sc, win_opts *o)
{
    char err[512];
    /* --scene (files or folders, repeatable) first: the list PageUp and PageDown go
       through; the first one is the scene, and every other option overrides it */
    for (int i = 0; i < argc; i++) {
        const char *v;
        int r = cli_take("--scene", argc, argv, &i, &v, err, sizeof err);
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (r > 0 && add_scene_arg(o, v, err, sizeof err) != 0) return cli_bad(NULL, "%s", err);
    }
    if (o->nscenes > 0 && scene_option(sc, o->scenes[0], err, sizeof err) != 0) return cli_bad(NULL, "%s", err);
    for (int i = 0; i < argc; i++) {
        const char *v;
        int r;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) { window_usage(); return -1; }
        if ((r = cli_take("--scene", argc, argv, &i, &v, err, sizeof err)) != 0) continue;   /* done above */
        r = cli_scene_option(sc, argc, argv, &i, err, sizeof err);
        if (r < 0) return cli_bad(NULL, "%s", err);
        if (r > 0) continue;
        if (strcmp(argv[i], "--fullscreen") == 0) { o->fullscreen = 1; continue; }
        if (strcmp(argv[i], "--paused") == 0) { o->paused = 1; continue; }
        if (strcmp(argv[i], "--force") == 0) { o->force = 1; continue; }
        if (strcmp(argv[i], "--print-state") == 0) { o->print_state = 1; continue; }
        if (strcmp(argv[i], "--class") == 0) { o->class_mode = 1; continue; }
        if (strcmp(argv[i], "--3d") == 0) { o->view3d = 1; continue; }
        if ((r = cli_take("--camera", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            if (cli_check_camera("--camera", v, err, sizeof err) != 0 || cam3d_parse(v, &o->cam, err, sizeof err) != 0)
                return cli_bad(NULL, "%s", err);
            o->view3d = 1;
            continue;
        }
        if ((r = cli_take("--frames", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            /* 100 000 frames is about half an hour at 60 frames a second */
            if (cli_parse_count(v, 1, 100000, &o->frames) != 0)
                return cli_bad(NULL, "--frames: expected a count from 1 to 100000, got '%.40s'", v);
            continue;
        }
        if ((r = cli_take("--steps", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            if (cli_parse_count(v, 0, LIVE_REPLAY_CAP, &o->steps) != 0)
                return cli_bad(NULL, "--steps: expected a count from 0 to %d, got '%.40s'", LIVE_REPLAY_CAP, v);
            continue;
        }
        if ((r = cli_take("--screenshot", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            size_t n = strlen(v);
            if (n < 5 || strcmp(v + n - 4, ".png") != 0)
                return cli_bad(NULL, "--screenshot: '%.80s' must end in .png", v);
            o->screenshot = v;
            continue;
        }
        if ((r = cli_take("--size", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            if (cli_parse_size(v, &o->w, &o->h) != 0 || o->w > 16384 || o->h > 16384)
                return cli_bad(NULL, "--size: expected WxH from 1x1 to 16384x16384, got '%.40s'", v);
            o->size_given = 1;
            continue;
        }
        if ((r = cli_take("--shots-dir", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            struct stat st;
            if (stat(v, &st) != 0 || !S_ISDIR(st.st_mode))
                return cli_bad(NULL, "--shots-dir: '%.200s' is not a directory", v);
            o->shots_dir = v;
            continue;
        }
        if ((r = cli_take("--shot-scale", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            if (strcmp(v, "2") == 0) o->shot_scale = 2;
            else if (strcmp(v, "4") == 0) o->shot_scale = 4;
            else return cli_bad(NULL, "--shot-scale: expected 2 or 4, got '%.40s'", v);
            continue;
        }
        if ((r = cli_take("--swarm", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            long n;
            if (cli_parse_count(v, 1, SWARM_VIEW_MAX, &n) != 0)
                return cli_bad(NULL, "--swarm: expected a particle count from 1 to %d, got '%.40s'", SWARM_VIEW_MAX, v);
            o->swarm = (int)n;
            continue;
        }
        if ((r = cli_take("--shader-dir", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            o->shader_dir = v;
            continue;
        }
        if ((r = cli_take("--speed", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            if (cli_parse_number(v, 1, 10000, &o->sps) != 0)
                return cli_bad(NULL, "--speed: expected steps per second from 1 to 10000, got '%.40s'", v);
            continue;
        }
        if ((r = cli_take("--script", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            o->script = v;
            continue;
        }
        if ((r = cli_take("--cmap", argc, argv, &i, &v, err, sizeof err)) != 0) {
            if (r < 0) return cli_bad(NULL, "%s", err);
            if (strcmp(v, "viridis") == 0) o->cmap = LIVE_CMAP_VIRIDIS;
            else if (strcmp(v, "cividis") == 0) o->cmap = LIVE_CMAP_CIVIDIS;
            else if (strcmp(v, "light") == 0) o->cmap = LIVE_CMAP_LIGHT;
            else return cli_bad(NULL, "--cmap: expected viridis, cividis or light, got '%.40s'", v);
            continue;
        }
        static const char *const onoff[] = {"--panel", "--legend", "--chart", "--critical", "--hover",
                                            "--iso"};
        int *dst[] = {&o->panel, &o->legend, &o->chart, &o->crit, &o->hover, &o->iso};
        int matched = 0;
        for (int t = 0; t < 6 && !matched; t++) {
            if ((r = cli_take(onoff[t], argc, argv, &i, &v, err, sizeof err)) != 0) {
                if (r < 0) return cli_bad(NULL, "%s", err);
                if (cli_onoff(NULL, onoff[t], v, dst[t]) != 0) return EXIT_BAD_INPUT;
                matched = 1;
            }
        }
        if (matched) continue;
        return cli_bad(NULL, "unknown option '%.80s' (see optiscape --help)", argv[i]);
    }
    if (o->screenshot && !o->frames) return cli_bad(NULL, "--screenshot needs --frames N");
    if (o->screenshot && cli_out_check(NULL, "--screenshot", o->screenshot, o->force) != 0) return EXIT_BAD_INPUT;
    return 0;
}

/* ---- lessons: a list of scene files ----------------------------------------------- */

static int add_scene(win_opts *o, const char *path)
{
    char **p = realloc(o->scenes, (size_t)(o->nscenes + 1) * sizeof *p);
    if (!p) return -1;
    o->scenes = p;
    size_t n = strlen(path) + 1;
    o->scenes[o->nscenes] = malloc(n);
    if (!o->scenes[o->nscenes]) return -1;
    memcpy(o->scenes[o->nscenes++], path, n);
    return 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* A file, or every *.scene in a folder in name order. */
static int add_scene_arg(win_opts *o, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "--scene: cannot read %.300s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return add_scene(o, path) == 0 ? 0 : (snprintf(err, errlen, "out of memory"), -1);
    DIR *d = opendir(path);
    if (!d) {
        snprintf(err, errlen, "--scene: cannot read the folder %.300s: %s", path, strerror(errno));
        return -1;
    }
    int first = o->nscenes;
    struct dirent *e;
    char full[4200];
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 7 || strcmp(e->d_name + n - 6, ".scene") != 0 || e->d_name[0] == '.') continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (add_scene(o, full) != 0) { closedir(d); snprintf(err, errlen, "out of memory"); return -1; }
    }
    closedir(d);
    if (o->nscenes == first) {
        snprintf(err, errlen, "--scene: no .scene files in %.300s", path);
        return -1;
    }
    qsort(o->scenes + first, (size_t)(o->nscenes - first), sizeof *o->scenes, cmp_str);
    return 0;
}

/* The names the panel shows: file names without the folder and ".scene". */
static void name_scenes(app *a)
{
    a->scene_names = calloc((size_t)(a->o.nscenes ? a->o.nscenes : 1), sizeof *a->scene_names);
    for (int i = 0; a->scene_names && i < a->o.nscenes; i++) {
        const char *p = a->o.scenes[i], *slash = strrchr(p, '/');
        const char *b = slash ? slash + 1 : p;
        size_t n = strlen(b);
        if (n > 6 && strcmp(b + n - 6, ".scene") == 0) n -= 6;
        a->scene_names[i] = malloc(n + 1);
        if (a->scene_names[i]) { memcpy(a->scene_names[i], b, n); a->scene_names[i][n] = 0; }
    }
}

/* Without --scene, the preset lessons are offered (not opened): from the source
 * tree when run from a build folder, else where they were installed. */
static void default_scenes(app *a)
{
    static const char *const dirs[] = {OPTISCAPE_SCENES_SRC, OPTISCAPE_SCENES_INSTALLED};
    char err[512];
    for (int i = 0; i < 2 && a->o.nscenes == 0; i++) {
        struct stat st;
        if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) add_scene_arg(&a->o, dirs[i], err, sizeof err);
    }
    a->scene_index = -1;
}

static void free_scene_names(app *a)
{
    for (int i = 0; a->scene_names && i < a->o.nscenes; i++) free(a->scene_names[i]);
    free(a->scene_names);
    a->scene_names = NULL;
}

static void free_scenes(win_opts *o)
{
    for (int i = 0; i < o->nscenes; i++) free(o->scenes[i]);
    free(o->scenes);
    o->scenes = NULL;
    o->nscenes = 0;
}

/* Apply scene file `path` to sc as `--scene path` would. */
static int scene_option(cli_scene *sc, const char *path, char *err, size_t errlen)
{
    char opt[] = "--scene";
    char *av[2] = {opt, (char *)path};
    int i = 0;
    return cli_scene_option(sc, 2, av, &i, err, errlen) < 0 ? -1 : 0;
}

/* Show scene idx of the list: on any error the current scene stays and the note
 * says what was wrong (FILE:LINE: ...). */
/* What the scene asks to open with: the 3D view, a swarm of the selected runner,
 * the basin maps, the initialization panel (a new scene closes the old ones). */
static void apply_scene_wishes(app *a)
{
    live_display *d = &a->L.disp;
    a->view3d = d->view3d || a->o.view3d;
    if (a->swarm) {
        swarm_view_destroy(a->swarm);
        a->swarm = NULL;
    }
    a->want_swarm = d->swarm || a->o.swarm > 0;
    if (a->basins_on) {
        a->basins_on = 0;
        basins_drop(a);
    }
    if (d->basins) {
        a->basins_on = 1;
        a->basins_asked = 0;
        if (!a->bw && !(a->bw = basin_worker_create())) a->basins_on = 0;
    }
    a->show_init = d->init;
    if (a->show_init) init_view_set(&a->iv, a->iv.act, 256, a->L.seed);
}

static void switch_scene(app *a, int idx)
{
    if (a->o.nscenes == 0) {
        set_note(a, "no scene list: start with --scene FILE... or --scene FOLDER");
        return;
    }
    idx = (idx % a->o.nscenes + a->o.nscenes) % a->o.nscenes;
    char err[1024];
    cli_scene sc;
    cli_scene_init(&sc);
    live nl;
    memset(&nl, 0, sizeof nl);
    double fit[4];
    if (scene_option(&sc, a->o.scenes[idx], err, sizeof err) != 0 || scene_setup(&nl, &sc, fit, err, sizeof err) != 0) {
        cli_scene_free(&sc);
        live_free(&nl);
        fprintf(stderr, "optiscape: %s\n", err);
        set_note(a, err);
        return;
    }
    cli_scene_free(&sc);
    unsigned gen = a->L.ls_gen;
    int cls = a->L.disp.class_mode;
    live_free(&a->L);
    a->L = nl;
    a->L.ls_gen = gen + 1;      /* never mistake the old landscape's field for the new one */
    a->L.disp.class_mode = cls;
    memcpy(a->fit_view, fit, sizeof a->fit_view);
    a->need_fit = 1;
    a->refit_crit = 0;
    a->have_req = 0;
    a->sf.valid = 0;
    a->scene_index = idx;
    apply_scene_wishes(a);
    panel_init(&a->ps, &a->L);
    char msg[600];
    snprintf(msg, sizeof msg, "%d/%d  %s", idx + 1, a->o.nscenes, a->L.title[0] ? a->L.title : a->o.scenes[idx]);
    set_note(a, msg);
}

/* Ctrl+S: the current state as a scene file, numbered, never over an existing one. */
static void save_scene(app *a, const layout *l)
{
    const char *dir = a->o.shots_dir ? a->o.shots_dir : ".";
    char path[4200], err[4400], msg[4600];
    int i;
    for (i = 1; i < 100000; i++) {
        snprintf(path, sizeof path, "%s/scene-%04d.scene", dir, i);
        if (access(path, F_OK) != 0) break;
    }
    double v[4];
    live_view(&a->L, (int)l->sv.w, (int)l->sv.h, v);
    /* the views the window has open are part of the state */
    a->L.disp.view3d = a->view3d;
    a->L.disp.swarm = a->swarm != NULL;
    a->L.disp.basins = a->basins_on;
    a->L.disp.init = a->show_init;
    scene_doc doc;
    scene_doc_init(&doc);
    safe_file f;
    int rc = scene_doc_from_live(&doc, &a->L, v) == 0 ? safe_open(&f, path, 0, err, sizeof err) : PNGIO_FAILED;
    if (rc == PNGIO_OK) {
        int ok = scenefile_write(f.fp, &doc) == 0;
        rc = safe_commit(&f, ok, err, sizeof err);
    } else if (err[0] == 0) {
        snprintf(err, sizeof err, "cannot describe this scene");
    }
    scene_doc_free(&doc);
    if (rc == PNGIO_OK) snprintf(msg, sizeof msg, "saved %s", path);
    else snprintf(msg, sizeof msg, "scene not saved: %s", err);
    fprintf(stderr, "optiscape: %s\n", msg);
    set_note(a, msg);
}

static int build_scene(app *a, cli_scene *sc)
{
    char err[256];
    if (scene_setup(&a->L, sc, a->fit_view, err, sizeof err) != 0) {
        fprintf(stderr, "optiscape: %s\n", err);
        return -1;
    }
    a->need_fit = 1;
    return 0;
}

static void apply_opts(app *a)
{
    live_display *d = &a->L.disp;
    if (a->o.panel >= 0) d->panel = a->o.panel;
    if (a->o.legend >= 0) d->legend = a->o.legend;
    if (a->o.chart >= 0) d->chart = a->o.chart;
    if (a->o.crit >= 0) d->crit = a->o.crit;
    if (a->o.hover >= 0) d->hover = a->o.hover;
    if (a->o.iso >= 0) d->iso = a->o.iso;
    if (a->o.cmap >= 0) d->cmap = (live_cmap)a->o.cmap;
    if (a->o.sps > 0) a->L.steps_per_sec = a->o.sps;
    if (a->o.paused) a->L.playing = 0;
    if (a->o.class_mode) d->class_mode = 1;
    a->cam = a->o.cam;
    apply_scene_wishes(a);
    if (a->o.steps > 0) live_step(&a->L, a->o.steps);
}

/* Software GL (Mesa's llvmpipe) mallocs and frees large vertex buffers in every
 * draw. With glibc's defaults those come as fresh pages from the kernel each time
 * (mmap, or the heap trimmed and grown again), and zeroing them cost more than the
 * drawing. Keep freed memory in the process instead. */
static void keep_freed_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

static int open_window(app *a)
{
    keep_freed_memory();
#if defined(__unix__) && !defined(__APPLE__) && !defined(__EMSCRIPTEN__)
    /* with no display SDL would fall back to its offscreen driver: an invisible
       window that runs until killed */
    const char *dpy = getenv("DISPLAY"), *way = getenv("WAYLAND_DISPLAY"), *drv = getenv("SDL_VIDEODRIVER");
    if (!(dpy && dpy[0]) && !(way && way[0]) && !(drv && drv[0])) {
        fprintf(stderr, "optiscape: no display (DISPLAY and WAYLAND_DISPLAY are unset): run it in a desktop session, "
                "under xvfb-run, or with SDL_VIDEODRIVER=offscreen\n");
        return -1;
    }
#endif
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (a->o.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    /* the default size fits the screen it opens on, with room for the title bar */
    glctx_desc cd = {.w = a->o.w, .h = a->o.h, .window_flags = flags, .vsync = a->o.vsync,
                     .fit_screen = !a->o.size_given && !a->o.fullscreen};
    int st = glctx_open(&a->gl, &cd);
    if (st == GLCTX_NO_VIDEO) {
        fprintf(stderr, "optiscape: cannot open a window: %s (no display? run under a desktop session or "
                "xvfb-run, or set SDL_VIDEODRIVER=offscreen; `optiscape render` makes pictures without one)\n",
                a->gl.why);
        return -1;
    }
    if (st == GLCTX_NO_WINDOW) {
        fprintf(stderr, "optiscape: cannot open a window: %s (`optiscape render` makes pictures without a "
                "display)\n", a->gl.why);
        return -1;
    }
    if (st != GLCTX_OK) {
        fprintf(stderr, "optiscape: OpenGL 3.3 core is not available here (%s; update the graphics driver, or "
                "install Mesa: libgl1-mesa-dri; `optiscape render` makes pictures without a window)\n",
                a->gl.why);
        return -1;
    }
    a->win = a->gl.win;
    a->o.w = a->gl.w;
    a->o.h = a->gl.h;
    if (a->o.vsync && !a->gl.vsync) a->o.vsync = 0;   /* no vsync here: a timer paces frames */
    char err[1024];
    gfx_desc gd = {.shader_dir = a->o.shader_dir};
    a->g = gfx_create(&gd, err, sizeof err);
    if (!a->g) {
        fprintf(stderr, "optiscape: %s\n", err);
        return -1;
    }
    ui_font font = {.user = a->g, .text_width = text_w_cb, .line_height = line_h_cb};
    a->u = ui_create(&font);
    if (a->u) {
        ui_clipboard cb = {NULL, clip_get, clip_set};
        ui_set_clipboard(a->u, &cb);
    }
    a->fw = field_worker_create();
    if (!a->u || !a->fw) {
        fprintf(stderr, "optiscape: out of memory\n");
        return -1;
    }
    SDL_StartTextInput();
    return 0;
}

/* A basin map still being computed when the window closes: its thread is left to
 * the end of the process (the maps stop only between runners, and a quit must not
 * wait for one runner's map); the pointer stays reachable here. */
static basin_worker *abandoned_bw;

static void close_window(app *a)
{
    swarm_view_destroy(a->swarm);
    a->swarm = NULL;
    if (a->bw && a->quit && basin_worker_busy(a->bw)) {
        abandoned_bw = a->bw;
    } else {
        basin_worker_destroy(a->bw);
    }
    a->bw = NULL;
    basins_drop(a);
    if (a->fw) field_worker_destroy(a->fw);
    if (a->u) ui_destroy(a->u);
    if (a->g) gfx_destroy(a->g);
    glctx_close(&a->gl);
    a->win = NULL;
    SDL_free(clip_text);
    clip_text = NULL;
    SDL_Quit();
    live_free(&a->L);
    init_view_free(&a->iv);
    scene_view_release();
    view3d_release();
}

/* Returns 0, or -1 when stdout could not be written (a full disk, a closed pipe). */
static int print_state(app *a)
{
    live *L = &a->L;
    layout l = compute_layout(a);
    double v[4];
    live_view(L, (int)l.sv.w, (int)l.sv.h, v);
    printf("landscape %s\n", L->ls.def ? L->ls.label : expr_source(L->ls.f));
    printf("formula %s\n", a->ps.formula);
    if (l.panel_w > 0)
        printf("panel x=%.2f w=%.2f speed_slider=%.2f,%.2f,%.2f,%.2f\n", l.sv.w, l.panel_w, a->ps.speed_rect.x,
               a->ps.speed_rect.y, a->ps.speed_rect.w, a->ps.speed_rect.h);
    printf("view %.17g,%.17g,%.17g,%.17g\n", v[0], v[1], v[2], v[3]);
    printf("start %.17g,%.17g\n", L->start[0], L->start[1]);
    printf("step %ld\nplaying %d\nspeed %.17g\nselected %d\n", L->step, L->playing,
           L->steps_per_sec, L->selected);
    printf("display iso=%d hillshade=%d crit=%d saddle_arrows=%d grad=%d update=%d stab=%d "
           "hover=%d legend=%d chart=%d trails=%d panel=%d help=%d cmap=%d\n",
           L->disp.iso, L->disp.hillshade, L->disp.crit, L->disp.saddle_arrows, L->disp.grad_arrows,
           L->disp.update_arrows, L->disp.stab, L->disp.hover, L->disp.legend, L->disp.chart,
           L->disp.trails, L->disp.panel, L->disp.help, (int)L->disp.cmap);
    if (a->mouse_in_canvas && L->disp.hover && !a->view3d) {
        /* the point the hover read-out describes: the one under the pointer */
        double hx, hy;
        memcpy(l.sv.view, v, sizeof l.sv.view);
        scene_from_px(&l.sv, a->mouse_x, a->mouse_y, &hx, &hy);
        printf("hover %.17g,%.17g\n", hx, hy);
    }
    if (a->note[0] && os_now() < a->note_until) printf("note %s\n", a->note);
    if (L->disp.help) printf("help_scroll %.1f\n", a->help_scroll);
    printf("ncrit %d\nscale %.3g\n", L->ncrit, a->user_scale);
    if (a->drag_start && L->ghost_on && L->nrun > 0) {
        /* the start being dragged: where each ghost path begins */
        printf("dragging ghosts=%d", L->nrun);
        for (int k = 0; k < L->nrun; k++) {
            const runner *g = &L->run[k].ghost;
            const double *p0 = g->trail_len > 0 ? runner_trail_at(g, g->trail_len - 1) : NULL;
            printf(" %.17g,%.17g,%d", p0 ? p0[0] : NAN, p0 ? p0[1] : NAN, g->trail_len);
        }
        printf("\n");
    }
    printf("class %d\nchart_shown %d\nstep_max %ld\ntitle %s\n", L->disp.class_mode, scene_chart_shown(L),
           L->step_max, L->title);
    if (a->swarm) {
        swarm_view_info si = swarm_view_get_info(a->swarm);
        printf("swarm runner=%d n=%zu alive=%zu step=%ld\n", si.runner, si.n, si.alive, si.step);
    }
    if (a->basins_on && a->basins) {
        printf("basins maps=%d minima=%d grid=%dx%d steps=%d\n", a->basins->npanels, a->basins->nminima,
               a->basins->nx, a->basins->ny, a->basins->steps);
        for (int k = 0; k < a->basins->npanels; k++) {
            const basin_panel *p = &a->basins->panel[k];
            int reached = 0;
            for (int m = 0; m < a->basins->nminima; m++) reached += p->count[m] > 0;
            printf("basin_map %d reached=%d diverged=%ld none=%ld\n", k, reached, p->ndiverged, p->nnone);
        }
    }
    if (L->explain.valid && L->explain.step == L->step)
        for (int i = 0; i < L->explain.nlines; i++) printf("explain %s\n", L->explain.lines[i]);
    for (int k = 0; k < L->nrun; k++) {
        char spec[512], sch[128];
        optim_format(&L->run[k].r.d.opt, spec, sizeof spec);
        sched_format(&L->run[k].r.d.sched, sch, sizeof sch);
        printf("runner %d %s schedule=%s noise=%.17g visible=%d diverged=%d x=%.17g y=%.17g\n", k, spec,
               sch, L->run[k].r.d.noise, L->run[k].visible, L->run[k].r.diverged, L->run[k].r.p[0],
               L->run[k].r.p[1]);
    }
    if (a->view3d) {
        /* where each runner is drawn in 3D, for scripts and tests */
        printf("view3d yaw=%.17g pitch=%.17g zoom=%.17g target=%.17g,%.17g\n", a->cam.yaw, a->cam.pitch,
               a->cam.zoom, a->cam.target[0], a->cam.target[1]);
        memcpy(l.sv.view, v, sizeof l.sv.view);
        for (int k = 0; k < L->nrun; k++) {
            float px, py;
            int hidden;
            if (view3d_locate(a->g, &a->sf, &l.sv, &a->cam, L->run[k].r.p[0], L->run[k].r.p[1], &px, &py, &hidden))
                printf("runner3d %d px=%.2f py=%.2f hidden=%d\n", k, px, py, hidden);
            else
                printf("runner3d %d off\n", k);
        }
    }
    return fflush(stdout) != 0 || ferror(stdout) ? -1 : 0;
}

/* One frame: input, layout, simulation, field, ui, drawing, swap. */
static void frame(app *a, double dt, int deterministic)
{
    layout l = compute_layout(a);
    if (a->need_fit) {
        /* before the events: a click in this frame lands in the view it sees */
        live_fit(&a->L, a->fit_view, (int)l.sv.w, (int)l.sv.h);
        a->need_fit = 0;
        l = compute_layout(a);
    }
    static input_queue q;       /* 64 inputs: kept off the stack */
    handle_events(a, &q, &l);
    l = compute_layout(a);      /* the panel may have been toggled */
    if (a->need_fit) {
        live_fit(&a->L, a->fit_view, (int)l.sv.w, (int)l.sv.h);
        a->need_fit = 0;
    }
    if (a->ps.fit_request) {
        fit_landscape(a, &l);
        a->ps.fit_request = 0;
    }
    ui_style st = a->L.disp.cmap == LIVE_CMAP_LIGHT ? ui_style_light(l.scale) : ui_style_dark(l.scale);
    ui_set_style(a->u, &st);
    int ncmd = 0;
    const ui_cmd *cmds = NULL;
    for (int p = 0; p < q.n; p++) {
        /* one pass per input; the last one is drawn */
        ui_begin(a->u, &q.in[p]);
        a->ps.scene_names = (const char *const *)a->scene_names;
        a->ps.nscenes = a->scene_names ? a->o.nscenes : 0;
        a->ps.scene_current = a->scene_index;
        if (l.panel_w > 0)
            panel_build(a->u, &a->ps, &a->L, (ui_rect){l.sv.w, 0, l.panel_w, l.sv.h});
        cmds = ui_end(a->u, &ncmd);
        if (a->ps.fit_request) {
            fit_landscape(a, &l);
            a->ps.fit_request = 0;
        }
        if (a->ps.scene_request >= 0) {
            int r = a->ps.scene_request;
            a->ps.scene_request = -1;
            switch_scene(a, r);
        }
    }
    live_advance(&a->L, dt);
    update_swarm_basins(a, &l, deterministic);
    if (a->drag_start) {
        double x, y;
        scene_from_px(&l.sv, a->mouse_x, a->mouse_y, &x, &y);
        live_ghosts(&a->L, x, y, LIVE_GHOST_STEPS);
    }
    maybe_request_field(a, &l);
    if (deterministic && !a->quit) field_worker_wait(a->fw);
    take_field(a);
    if (a->refit_crit && a->L.ncrit > 0) fit_landscape(a, &l);
    live_view(&a->L, (int)l.sv.w, (int)l.sv.h, l.sv.view);
    l.sv.hover = a->mouse_in_canvas && !a->panning && !a->drag_start && !a->view3d;
    a->cam.draft = a->cam_drag != 0;
    scene_from_px(&l.sv, a->mouse_x, a->mouse_y, &l.sv.hx, &l.sv.hy);
    l.sv.dragging_start = a->drag_start;
    l.sv.scrubbing = a->scrubbing;
    l.sv.under = a->swarm ? swarm_under : NULL;
    l.sv.under_user = a;
    draw_frame(a, &l, cmds, ncmd);
    if (a->shot_pending) take_pending_shot(a, &l);
}

int cmd_window(int argc, char **argv)
{
    app *a = calloc(1, sizeof *a);
    if (!a) { fprintf(stderr, "optiscape: out of memory\n"); return EXIT_RUNTIME; }
    a->o = (win_opts){.w = 1280, .h = 800, .panel = -1, .legend = -1, .chart = -1, .crit = -1,
                      .hover = -1, .cmap = -1, .vsync = 1, .iso = -1,
                      .shot_scale = 2};
    cam3d_defaults(&a->o.cam);
    a->user_scale = 1;
    cli_scene sc;
    cli_scene_init(&sc);
    int rc = parse_window_args(argc, argv, &sc, &a->o);
    if (rc != 0) {
        cli_scene_free(&sc);
        free_scenes(&a->o);
        free(a);
        if (rc < 0 && (fflush(stdout) != 0 || ferror(stdout))) {
            /* --help into a full disk or a closed pipe */
            fprintf(stderr, "optiscape: cannot write the help: %s\n", strerror(errno));
            return EXIT_RUNTIME;
        }
        return rc < 0 ? EXIT_OK : rc;
    }
    if (a->o.frames) a->o.vsync = 0;
    if (build_scene(a, &sc) != 0) {
        /* build_scene said what was wrong */
        cli_scene_free(&sc);
        live_free(&a->L);
        free_scenes(&a->o);
        free(a);
        return EXIT_RUNTIME;
    }
    cli_scene_free(&sc);
    if (a->o.nscenes == 0) default_scenes(a);
    name_scenes(a);
    panel_init(&a->ps, &a->L);
    apply_opts(a);
    if (open_window(a) != 0) {
        close_window(a);
        free_scene_names(a);
        free_scenes(&a->o);
        free(a);
        return EXIT_RUNTIME;
    }
    int status = EXIT_OK;
    a->script_at = a->o.script;
    double last = os_now(), fps_t = last;
    int fps_n = 0;
    for (long f = 0; !a->quit; f++) {
        double now = os_now();
        double dt = a->o.frames ? 1.0 / 60.0 : now - last;
        last = now;
        if (script_step(a) != 0) { status = EXIT_BAD_INPUT; break; }
        frame(a, dt, a->o.frames > 0 ? (f + 1 >= a->o.frames ? 2 : 1) : 0);
        if (a->o.frames && f + 1 >= a->o.frames) {
            if (a->o.screenshot) {
                char err[4400];
                int r = save_screenshot(a, a->o.screenshot, a->o.force, err, sizeof err);
                if (r != PNGIO_OK) {
                    fprintf(stderr, "optiscape: --screenshot: %s\n", err);
                    status = r == PNGIO_EXISTS ? EXIT_BAD_INPUT : EXIT_RUNTIME;
                }
            }
            if (gfx_gl_errors(a->g, "end of run") > 0 && status == EXIT_OK) status = EXIT_RUNTIME;
            a->quit = 1;
        }
        if (a->quit && a->o.print_state && print_state(a) != 0) {
            fprintf(stderr, "optiscape: --print-state: cannot write the state: %s\n", strerror(errno));
            status = EXIT_RUNTIME;
        }
        SDL_GL_SwapWindow(a->win);
        fps_n++;
        /* averaged over half a second; the first figure after ten frames */
        if (now - fps_t >= 0.5 || (a->fps == 0 && fps_n >= 10 && now > fps_t)) {
            a->fps = fps_n / (now - fps_t);
            fps_t = now;
            fps_n = 0;
        }
        if (!a->o.vsync && !a->o.frames) {
            /* no vsync: do not spin faster than the display could show */
            double spent = os_now() - now;
            if (spent < 1.0 / 120) SDL_Delay((Uint32)((1.0 / 120 - spent) * 1000));
        }
    }
    close_window(a);
    free_scene_names(a);
    free_scenes(&a->o);
    free(a);
    return status;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* bench frames --3d: 0 the map; 1 the 3D view, the camera still; 2 the camera
 * turning half a degree a frame; 3 the same as a drag draws it (the draft) */
static int bench3d;
/* bench frames at a step: the runners first taken to bench_at (paused, so every
 * measured frame is at that step); bench_drag: every frame moves the selected
 * runner's lr as a slider drag does (the runner replayed to the clock) */
static long bench_at;
static int bench_drag;

/* Frame times of n frames after a warm-up. Modes: 1 the full scene; 2 the field
 * texture alone, shaded every frame; 3 the field alone as a still view shows it
 * (shaded once, then copied); 4 the full scene with the view panning a pixel a
 * frame, so the field is shaded every frame and refetched as the view moves; 5 and
 * 6 are 1 and 4 with the last runner (Adam) as a swarm of `swarm` particles. */
static int bench_run(int w, int h, int n, int mode, int swarm, double *median, double *p95,
                     swarm_view_info *si)
{
    app *a = calloc(1, sizeof *a);
    if (!a) return -1;
    int pan = mode == 4 || mode == 6;
    a->o = (win_opts){.w = w, .h = h, .panel = -1, .legend = -1, .chart = -1, .crit = -1,
                      .hover = -1, .cmap = -1, .vsync = 0,
                      .bench = mode == 3 ? 2 : mode == 2 ? 2 : 1,
                      .iso = -1, .swarm = mode >= 5 ? swarm : 0};
    a->user_scale = 1;
    cli_scene sc;
    cli_scene_init(&sc);
    int rc = build_scene(a, &sc);
    cli_scene_free(&sc);
    if (rc != 0 || (panel_init(&a->ps, &a->L), apply_opts(a), open_window(a)) != 0) {
        close_window(a);
        free(a);
        return -1;
    }
    if (a->want_swarm) a->L.selected = a->L.nrun - 1;
    if (mode == 2) gfx_field_cache(a->g, 0);
    a->view3d = bench3d > 0;
    a->cam_drag = bench3d == 3;   /* frame() draws a drag's draft */
    if (bench_at > 0) {
        a->L.playing = 0;
        live_step(&a->L, bench_at);
    }
    /* the field first, so every measured frame draws it */
    frame(a, 1.0 / 60, 1);
    SDL_GL_SwapWindow(a->win);
    for (int i = 0; i < 10; i++) { frame(a, 1.0 / 60, 0); SDL_GL_SwapWindow(a->win); }
    int dk = a->L.selected >= 0 && a->L.selected < a->L.nrun ? a->L.selected : 0;
    double lr0 = a->L.nrun > 0 ? a->L.run[dk].r.d.opt.lr : 0;
    double *t = malloc((size_t)n * sizeof *t);
    if (!t) { close_window(a); free(a); return -1; }
    for (int i = 0; i < n; i++) {
        double t0 = os_now();
        if (bench3d >= 2) cam3d_orbit(&a->cam, 1.25, 0);
        if (pan) a->L.center[0] += a->L.upp;
        if (bench_drag && a->L.nrun > 0) {
            /* a slider moving back and forth a little each frame */
            runner_desc d = a->L.run[dk].r.d;
            d.opt.lr = lr0 * (1 + 0.01 * (i % 8));
            live_set_desc(&a->L, dk, &d);
        }
        frame(a, 1.0 / 60, 0);
        SDL_GL_SwapWindow(a->win);
        glFinish();
        t[i] = os_now() - t0;
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    *median = t[n / 2];
    *p95 = t[(int)(0.95 * (n - 1))];
    if (si && a->swarm) *si = swarm_view_get_info(a->swarm);
    free(t);
    close_window(a);
    free(a);
    return 0;
}

int window_bench_frames(int w, int h, int n, int swarm)
{
    double m[7], p[7];
    swarm_view_info si[7];
    memset(si, 0, sizeof si);
    for (int mode = 1; mode <= (swarm > 0 ? 6 : 4); mode++)
        if (bench_run(w, h, n, mode, swarm, &m[mode], &p[mode], &si[mode]) != 0) return EXIT_RUNTIME;
    printf("bench frames: default scene (5 runners on rosenbrock, panel, legend, chart), %dx%d, "
           "%d frames, vsync off, each frame waited for (glFinish)\n", w, h, n);
    printf("  scene    median %6.2f ms  p95 %6.2f ms  (%.0f fps at the median)\n", m[1] * 1e3, p[1] * 1e3,
           1 / m[1]);
    printf("  panning  median %6.2f ms  p95 %6.2f ms  (%.0f fps; the view moves a pixel a frame)\n",
           m[4] * 1e3, p[4] * 1e3, 1 / m[4]);
    printf("  floor    median %6.2f ms  p95 %6.2f ms  (the field texture alone, shaded every frame)\n",
           m[2] * 1e3, p[2] * 1e3);
    printf("  copy     median %6.2f ms  p95 %6.2f ms  (the field alone, shaded once and copied)\n",
           m[3] * 1e3, p[3] * 1e3);
    printf("  ratio    scene %.2fx the floor, panning %.2fx (goal <= 2x); scene %.2fx the copy\n",
           m[1] / m[2], m[4] / m[2], m[1] / m[3]);
    /* a long lecture: the same scene paused at step 300 and at step 50 000, and a
       slider dragged at step 50 000 (every frame replays the runner 50 000 steps) */
    double ms[3], ps[3];
    static const long at[3] = {300, 50000, 50000};
    for (int k = 0; k < 3; k++) {
        bench_at = at[k];
        bench_drag = k == 2;
        int rc = bench_run(w, h, n, 1, 0, &ms[k], &ps[k], NULL);
        bench_at = 0;
        bench_drag = 0;
        if (rc != 0) return EXIT_RUNTIME;
    }
    printf("  step 300     median %6.2f ms  p95 %6.2f ms  (%.0f fps; paused)\n", ms[0] * 1e3, ps[0] * 1e3, 1 / ms[0]);
    printf("  step 50000   median %6.2f ms  p95 %6.2f ms  (%.0f fps; paused; %.2fx step 300, goal <= 1.2x)\n",
           ms[1] * 1e3, ps[1] * 1e3, 1 / ms[1], ms[1] / ms[0]);
    printf("  drag 50000   median %6.2f ms  p95 %6.2f ms  (%.0f fps; lr dragged every frame, goal > 30 fps)\n",
           ms[2] * 1e3, ps[2] * 1e3, 1 / ms[2]);
    if (swarm > 0) {
        printf("  swarm of %zu particles (Adam, the last runner) stepping on its own thread, splatted into one image:\n",
               si[5].n);
        printf("  + swarm  median %6.2f ms  p95 %6.2f ms  (%.0f fps; %.2fx the floor; at the end step %ld of %ld)\n",
               m[5] * 1e3, p[5] * 1e3, 1 / m[5], m[5] / m[2], si[5].step, si[5].target);
        printf("  + swarm panning  median %6.2f ms  p95 %6.2f ms  (%.0f fps; %.2fx the floor)\n", m[6] * 1e3,
               p[6] * 1e3, 1 / m[6], m[6] / m[2]);
    }
    return EXIT_OK;
}

int window_bench_frames_3d(int w, int h, int n)
{
    double m[4], p[4];
    for (int k = 0; k < 4; k++) {
        bench3d = k;
        int rc = bench_run(w, h, n, 1, 0, &m[k], &p[k], NULL);
        bench3d = 0;
        if (rc != 0) return EXIT_RUNTIME;
    }
    printf("bench frames --3d: default scene (5 runners on rosenbrock playing, panel, legend, chart), %dx%d, "
           "%d frames, vsync off, each frame waited for (glFinish)\n", w, h, n);
    printf("  map       median %6.2f ms  p95 %6.2f ms  (%.0f fps; the contour map, for comparison)\n", m[0] * 1e3,
           p[0] * 1e3, 1 / m[0]);
    printf("  3D still  median %6.2f ms  p95 %6.2f ms  (%.0f fps; the surface kept, the runners moving on it)\n",
           m[1] * 1e3, p[1] * 1e3, 1 / m[1]);
    printf("  3D orbit  median %6.2f ms  p95 %6.2f ms  (%.0f fps; the camera turning half a degree a frame, "
           "the surface drawn every frame, 4x multisampled)\n", m[2] * 1e3, p[2] * 1e3, 1 / m[2]);
    printf("  3D drag   median %6.2f ms  p95 %6.2f ms  (%.0f fps; the same while a drag turns it: half "
           "resolution, no multisampling)\n", m[3] * 1e3, p[3] * 1e3, 1 / m[3]);
    return EXIT_OK;
}
