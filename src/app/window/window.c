/* window: the interactive visualizer. The SDL2 window and its OpenGL 3.3 core
 * context, the layout of a frame, fitting the view, the field requests, a frame
 * (input, ui, simulation, drawing) and the frame loop. Input, keys, options,
 * lessons, overlays, screenshots, the test script and the benchmark have their own
 * files in this folder (window_internal.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/html5.h>
#endif

#include "app/commands.h"
#include "app/export/pngio.h"
#include "app/scene_setup.h"
#include "app/window/window_internal.h"
#include "core/timing.h"
#include "render/ui_draw.h"
#include "scene/netseeds.h"

#define PANEL_W 340.0f
#define PANEL_W_CLASS 250.0f        /* class mode: a title, three buttons, a few sliders */
#define CLASS_SCALE 1.3f            /* class mode's text, for the back of a lecture hall */
#define WEB_WORK_SLICE 0.010        /* seconds of a frame for the workers where there are no threads */

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

void win_set_note(app *a, const char *msg)
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

layout win_compute_layout(app *a)
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
    l.sv.cache = a->svc;
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
void win_fit_landscape(app *a, const layout *l)
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
    /* one sample per pixel, up to about 6 million samples (in the browser, where one
       thread computes them between frames, 1.5 million) */
    double sw = l->sv.w * 1.5, sh = l->sv.h * 1.5;
    double k = sqrt((worker_threads_absent() ? 1.5e6 : 6.0e6) / (sw * sh));
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
            .cmap = keep.cmap, .vmin = a->sf.vmin, .vmax = a->sf.vmax,
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
    int over = a->basins_on || a->show_init || (a->show_net && a->lab);
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
    if (a->basins_on) win_draw_basins(a, &lo, &th);
    if (a->show_net && a->lab) {
        const char *labels[4] = {a->net_label[0], a->net_label[1], a->net_label[2], a->net_label[3]};
        netlab_view nv = {lo.sv.x, lo.sv.y, lo.sv.w, lo.sv.h, lo.scale, a->L.disp.cmap == STYLE_CMAP_LIGHT,
                          a->net_axis >= 0 && a->net_axis < NETLAB_X_COUNT ? (netlab_xaxis)a->net_axis
                                                                            : NETLAB_X_UPDATES,
                          NULL, a->nvc, (const netlab *const *)a->lab_more, a->nlab_more, labels, a->seeds};
        if (!a->nvc) nv.cache = a->nvc = netlab_view_cache_new();
        gfx_rect(a->g, lo.sv.x, lo.sv.y, lo.sv.w, lo.sv.h, 0, th.bg);
        netlab_view_draw(a->g, a->lab, &nv);
    }
    if (a->show_init) {
        /* the initialization panel over the canvas, with a margin */
        float m = 20 * lo.scale;
        gfx_rect(a->g, lo.sv.x, lo.sv.y, lo.sv.w, lo.sv.h, 0, th.bg);
        init_view_draw(a->g, &a->iv, lo.sv.x + m, lo.sv.y + m, lo.sv.w - 2 * m, lo.sv.h - 2 * m, lo.scale, &th);
    }
    if (over) scene_draw_caption(a->g, &a->L, &l->sv);
    if (l->panel_w > 0) gfx_draw_ui(a->g, cmds, ncmd);
    if (l->status_h > 0) win_draw_status(a->g, a, l, &th);
    if (a->L.disp.help) win_draw_help(a->g, l, &th, &a->help_scroll);
    gfx_end(a->g);
}

int win_build_scene(app *a, cli_scene *sc)
{
    char err[256];
    if (scene_setup(&a->L, sc, a->fit_view, err, sizeof err) != 0) {
        fprintf(stderr, "optiscape: %s\n", err);
        return -1;
    }
    a->need_fit = 1;
    return 0;
}

void win_apply_opts(app *a)
{
    live_display *d = &a->L.disp;
    for (int i = 0; i < LIVE_DISP_COUNT; i++)
        if (a->o.disp_given[i]) *live_display_at(d, i) = a->o.disp[i];
    if (a->o.cmap >= 0) d->cmap = (style_cmap)a->o.cmap;
    if (a->o.sps > 0) a->L.steps_per_sec = a->o.sps;
    if (a->o.paused) a->L.playing = 0;
    if (a->o.class_mode) d->class_mode = 1;
    a->cam = a->o.cam;
    win_apply_scene_wishes(a);
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

int win_open_window(app *a)
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
#ifdef __EMSCRIPTEN__
    /* the page sizes the canvas (CSS): the window is that size */
    double cssw = 0, cssh = 0;
    emscripten_get_element_css_size("#canvas", &cssw, &cssh);
    if (cssw >= 16 && cssh >= 16) {
        a->o.w = (int)cssw;
        a->o.h = (int)cssh;
    }
    a->o.size_given = 1;
#endif
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
    a->svc = scene_view_cache_new();
    if (!a->u || !a->fw || !a->svc) {
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

void win_close_window(app *a)
{
    swarm_view_destroy(a->swarm);
    a->swarm = NULL;
    if (a->bw && a->quit && basin_worker_busy(a->bw)) {
        abandoned_bw = a->bw;
    } else {
        basin_worker_destroy(a->bw);
    }
    a->bw = NULL;
    win_basins_drop(a);
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
    win_nets_free(a);
    netlab_view_cache_free(a->nvc);
    a->nvc = NULL;
    scene_view_cache_free(a->svc);
    a->svc = NULL;
}


/* The network lab's frame: while playing and shown, the updates the speed asks for (at most
   8 ms of them; --frames runs: speed / 60 a frame, whatever they take); paused, one
   for each press of step (or N) while it is shown; then the workers' results and the
   output grid in the time left. */
static void win_net_frame(app *a, double dt, int deterministic)
{
    if (!a->lab) return;
    /* the lab trains while it is shown: hidden (J, or its slice explored as the
       landscape) it waits where it is */
    int playing = a->L.playing && a->show_net;
    double sps = a->L.steps_per_sec > 0 ? a->L.steps_per_sec : 100;
    /* the speed's updates a second, whatever the frame rate: the fraction a frame
       does not make is carried to the next (below 60 steps/s some frames make
       none); a --frames run counts 1/60 s a frame */
    long n = 0;
    if (playing) {
        a->net_accum += sps * (deterministic ? 1.0 / 60 : dt);
        n = (long)a->net_accum;
        a->net_accum -= (double)n;
    }
    /* the labs compared share the budget, and each makes the main one's updates */
    long before;
    netlab_rows(a->lab, &before);
    if (playing && n > 0) netlab_step(a->lab, n, deterministic ? INFINITY : os_now() + 0.008 / (1 + a->nlab_more));
    else if (!playing && a->ps.net.step_request > 0 && a->show_net)
        netlab_step(a->lab, a->ps.net.step_request, INFINITY);
    a->ps.net.step_request = 0;
    long made;
    netlab_rows(a->lab, &made);
    made -= before;
    netlab_poll(a->lab, !playing, deterministic ? INFINITY : os_now() + 0.004);
    if (a->nlab_more)
        win_nets_step_more(a, made, deterministic ? INFINITY : os_now() + 0.002, made == 0);
    netseeds_poll(a->seeds);
    /* the plane follows the training: a new one through the current point once the
       last is finished and 50 updates old (when paused: any update old) */
    const netlab_slice *s = netlab_get_slice(a->lab);
    long rows;
    netlab_rows(a->lab, &rows);
    if (s && s->gen == a->lab->plane_gen && s->level == 2 && rows - 1 - s->step >= (playing ? 50 : 1))
        netlab_replane(a->lab);
    if (deterministic == 2) {
        /* the last frame of a --frames run: the slice and the spectrum finished */
        netlab_wait(a->lab);
        netlab_poll(a->lab, !playing, INFINITY);
        netlab_wait(a->lab);
        netlab_poll(a->lab, !playing, INFINITY);
        netseeds_wait(a->seeds);
    }
}

/* A new lab from a->net_desc (the panel changed it). The old one stays, with its
   desc, when the new one is refused; the note says why. 0, or -1. */
int win_net_rebuild(app *a)
{
    a->net_rebuild = 0;
    if (!a->lab) return -1;
    netlab *nl = calloc(1, sizeof *nl);
    char err[600];
    if (!nl) {
        win_set_note(a, "network: out of memory");
        a->net_desc = a->lab->d;
        return -1;
    }
    if (netlab_create(nl, &a->net_desc, err, sizeof err) != 0) {
        free(nl);
        char msg[640];
        snprintf(msg, sizeof msg, "network: %s", err);
        win_set_note(a, msg);
        a->net_desc = a->lab->d;
        return -1;
    }
    win_net_retire(a, a->lab);
    a->lab = nl;
    /* the labs compared start again with it (a race stays fair), each its own desc */
    for (int i = 0; i < a->nlab_more; i++) {
        netlab *o = calloc(1, sizeof *o);
        if (o && netlab_create(o, &a->lab_more[i]->d, err, sizeof err) == 0) {
            win_net_retire(a, a->lab_more[i]);
            a->lab_more[i] = o;
        } else {
            free(o);
        }
    }
    if (a->seeds) win_net_seeds(a, 1);     /* the scatter of the new network */
    netlab_view_cache_free(a->nvc);
    a->nvc = NULL;
    return 0;
}

/* One frame: input, layout, simulation, field, ui, drawing, swap. */
void win_frame(app *a, double dt, int deterministic)
{
    layout l = win_compute_layout(a);
    if (a->need_fit) {
        /* before the events: a click in this frame lands in the view it sees */
        live_fit(&a->L, a->fit_view, (int)l.sv.w, (int)l.sv.h);
        a->need_fit = 0;
        l = win_compute_layout(a);
    }
    static input_queue q;       /* 64 inputs: kept off the stack */
    win_handle_events(a, &q, &l);
    l = win_compute_layout(a);      /* the panel may have been toggled */
    if (a->need_fit) {
        live_fit(&a->L, a->fit_view, (int)l.sv.w, (int)l.sv.h);
        a->need_fit = 0;
    }
    if (a->ps.fit_request) {
        win_fit_landscape(a, &l);
        a->ps.fit_request = 0;
    }
    ui_style st = a->L.disp.cmap == STYLE_CMAP_LIGHT ? ui_style_light(l.scale) : ui_style_dark(l.scale);
    ui_set_style(a->u, &st);
    int ncmd = 0;
    const ui_cmd *cmds = NULL;
    for (int p = 0; p < q.n; p++) {
        /* one pass per input; the last one is drawn */
        ui_begin(a->u, &q.in[p]);
        a->ps.scene_names = (const char *const *)a->scene_names;
        a->ps.nscenes = a->scene_names ? a->o.nscenes : 0;
        a->ps.scene_current = a->scene_index;
        a->ps.net.lab = a->show_net ? a->lab : NULL;
        a->ps.net.desc = &a->net_desc;
        a->ps.net.rebuild = &a->net_rebuild;
        a->ps.net.axis = &a->net_axis;
        a->ps.net.seeds_on = a->seeds != NULL;
        if (l.panel_w > 0)
            panel_build(a->u, &a->ps, &a->L, (ui_rect){l.sv.w, 0, l.panel_w, l.sv.h});
        cmds = ui_end(a->u, &ncmd);
        if (a->ps.fit_request) {
            win_fit_landscape(a, &l);
            a->ps.fit_request = 0;
        }
        if (a->ps.net.seeds_request) {
            a->ps.net.seeds_request = 0;
            win_net_seeds(a, !a->seeds);
        }
        if (a->ps.net.plane_request) {
            a->ps.net.plane_request = 0;
            win_net_plane_landscape(a);
            l = win_compute_layout(a);
        }
        if (a->ps.scene_request >= 0) {
            int r = a->ps.scene_request;
            a->ps.scene_request = -1;
            win_switch_scene(a, r);
        }
    }
    live_advance(&a->L, dt);
    if (a->net_rebuild) win_net_rebuild(a);
    if (a->nretired) win_nets_reap(a, 0);
    win_net_frame(a, dt, deterministic);
    win_update_swarm_basins(a, &l, deterministic);
    if (a->drag_start) {
        double x, y;
        scene_from_px(&l.sv, a->mouse_x, a->mouse_y, &x, &y);
        live_ghosts(&a->L, x, y, LIVE_GHOST_STEPS);
    }
    maybe_request_field(a, &l);
    if (deterministic && !a->quit) field_worker_wait(a->fw);
    /* where there are no threads (the browser) the workers get a slice of each frame */
    worker_pump_all(os_now() + WEB_WORK_SLICE);
    take_field(a);
    if (a->refit_crit && a->L.ncrit > 0) win_fit_landscape(a, &l);
    live_view(&a->L, (int)l.sv.w, (int)l.sv.h, l.sv.view);
    l.sv.hover = a->mouse_in_canvas && !a->panning && !a->drag_start && !a->view3d;
    a->cam.draft = a->cam_drag != 0;
    scene_from_px(&l.sv, a->mouse_x, a->mouse_y, &l.sv.hx, &l.sv.hy);
    l.sv.dragging_start = a->drag_start;
    l.sv.scrubbing = a->scrubbing;
    l.sv.under = a->swarm ? win_swarm_under : NULL;
    l.sv.under_user = a;
    draw_frame(a, &l, cmds, ncmd);
    if (a->shot_pending) win_take_pending_shot(a, &l);
}

/* A frame of the loop: the frame, then --frames N's end (the screenshot, GL errors)
 * and --print-state when the window closes. *status gets the exit status. */
static void loop_frame(app *a, long f, double dt, int *status)
{
    if (win_script_step(a) != 0) {
        *status = EXIT_BAD_INPUT;
        a->quit = 1;
        return;
    }
    win_frame(a, dt, a->o.frames > 0 ? (f + 1 >= a->o.frames ? 2 : 1) : 0);
    a->frames_drawn++;
    if (a->o.frames && f + 1 >= a->o.frames) {
        if (a->o.screenshot) {
            char err[4400];
            int r = win_save_screenshot(a, a->o.screenshot, a->o.force, err, sizeof err);
            if (r != PNGIO_OK) {
                fprintf(stderr, "optiscape: --screenshot: %s\n", err);
                *status = r == PNGIO_EXISTS ? EXIT_BAD_INPUT : EXIT_RUNTIME;
            }
        }
        if (gfx_gl_errors(a->g, "end of run") > 0 && *status == EXIT_OK) *status = EXIT_RUNTIME;
        a->quit = 1;
    }
    if (a->quit && a->o.print_state && win_print_state(a) != 0) {
        fprintf(stderr, "optiscape: --print-state: cannot write the state: %s\n", strerror(errno));
        *status = EXIT_RUNTIME;
    }
}

/* frames per second, averaged over half a second; the first figure after ten frames */
static void count_fps(app *a, double now, double *fps_t, int *fps_n)
{
    (*fps_n)++;
    if (now - *fps_t >= 0.5 || (a->fps == 0 && *fps_n >= 10 && now > *fps_t)) {
        a->fps = *fps_n / (now - *fps_t);
        *fps_t = now;
        *fps_n = 0;
    }
}

#ifdef __EMSCRIPTEN__
/* The browser calls a frame function every animation frame; it never blocks. The
 * canvas follows the size the page gives it (CSS). */
typedef struct web_loop {
    app *a;
    long f;
    double last, fps_t;
    int fps_n, status;
} web_loop;

static void web_frame(void *user)
{
    web_loop *wl = user;
    app *a = wl->a;
    double cssw = 0, cssh = 0;
    int ww, wh;
    emscripten_get_element_css_size("#canvas", &cssw, &cssh);
    SDL_GetWindowSize(a->win, &ww, &wh);
    if (cssw >= 16 && cssh >= 16 && ((int)cssw != ww || (int)cssh != wh))
        SDL_SetWindowSize(a->win, (int)cssw, (int)cssh);
    double now = os_now();
    double dt = a->o.frames ? 1.0 / 60.0 : now - wl->last;
    if (dt > 0.1) dt = 0.1;      /* a hidden tab does not jump ahead */
    wl->last = now;
    loop_frame(a, wl->f++, dt, &wl->status);
    count_fps(a, now, &wl->fps_t, &wl->fps_n);
    if (a->quit) {
        emscripten_cancel_main_loop();
        printf("optiscape: the window closed (status %d)\n", wl->status);
    }
}
#endif

/* The frame loop, until a quit or --frames N: the exit status. In the browser it
 * does not return: the page's frames go on after main. */
static int run_frames(app *a)
{
    int status = EXIT_OK;
    a->script_at = a->o.script;
    double last = os_now(), fps_t = last;
    int fps_n = 0;
#ifdef __EMSCRIPTEN__
    static web_loop wl;
    wl = (web_loop){a, 0, last, fps_t, 0, EXIT_OK};
    win_web_app = a;
    if (!a->o.shots_dir) a->o.shots_dir = "/tmp";   /* the page's memory, then a download */
    emscripten_set_main_loop_arg(web_frame, &wl, 0, 1);
#endif
    for (long f = 0; !a->quit; f++) {
        double now = os_now();
        double dt = a->o.frames ? 1.0 / 60.0 : now - last;
        last = now;
        loop_frame(a, f, dt, &status);
        SDL_GL_SwapWindow(a->win);
        count_fps(a, now, &fps_t, &fps_n);
        if (!a->o.vsync && !a->o.frames) {
            /* no vsync: do not spin faster than the display could show */
            double spent = os_now() - now;
            if (spent < 1.0 / 120) SDL_Delay((Uint32)((1.0 / 120 - spent) * 1000));
        }
    }
    return status;
}

/* --net SPEC with --data, the first --optimizer, --schedule, --batch, --shuffle and
   --seed, as optiscape net train takes them. 0, or EXIT_BAD_INPUT having said why. */
static int win_net_create(app *a, cli_scene *sc)
{
    netlab_desc d;
    char err[600];
    memset(&d, 0, sizeof d);
    snprintf(d.net, sizeof d.net, "%s", a->o.net);
    if (a->o.net_data) snprintf(d.data, sizeof d.data, "%s", a->o.net_data);
    if (sc->nopt > 0) optim_format(&sc->opt[0], d.opt, sizeof d.opt);
    sched_format(&sc->sched, d.sched, sizeof d.sched);
    d.batch = sc->batch;
    d.no_shuffle = !sc->shuffle;
    d.seed = (long)sc->seed;
    d.manual = worker_threads_absent();
    a->lab = calloc(1, sizeof *a->lab);
    if (!a->lab) return cli_bad(NULL, "out of memory");
    if (netlab_create(a->lab, &d, err, sizeof err) != 0) {
        free(a->lab);
        a->lab = NULL;
        return cli_bad(NULL, "--net: %s", err);
    }
    a->net_desc = d;
    a->show_net = 1;
    /* the batch is the network's: the landscape's runners keep the full loss */
    sc->batch = 0;
    return 0;
}

int cmd_window(int argc, char **argv)
{
    app *a = calloc(1, sizeof *a);
    if (!a) { fprintf(stderr, "optiscape: out of memory\n"); return EXIT_RUNTIME; }
    a->o = (win_opts){.w = 1280, .h = 800, .cmap = -1, .vsync = 1, .shot_scale = 2};
    cam3d_defaults(&a->o.cam);
    a->user_scale = 1;
    cli_scene sc;
    cli_scene_init(&sc);
    int rc = win_parse_window_args(argc, argv, &sc, &a->o);
    if (rc != 0) {
        cli_scene_free(&sc);
        win_free_scenes(&a->o);
        free(a);
        if (rc < 0 && (fflush(stdout) != 0 || ferror(stdout))) {
            /* --help into a full disk or a closed pipe */
            fprintf(stderr, "optiscape: cannot write the help: %s\n", strerror(errno));
            return EXIT_RUNTIME;
        }
        return rc < 0 ? EXIT_OK : rc;
    }
    if (a->o.frames) a->o.vsync = 0;
    char nerr[800];
    if (!a->o.net && sc.doc && sc.doc->nnet > 0 && win_nets_from_doc(a, sc.doc, nerr, sizeof nerr) != 0) {
        fprintf(stderr, "optiscape: %s: %s\n", a->o.scenes[0], nerr);
        cli_scene_free(&sc);
        win_free_scenes(&a->o);
        free(a);
        return EXIT_BAD_INPUT;
    }
    if (a->o.net && (rc = win_net_create(a, &sc)) != 0) {
        cli_scene_free(&sc);
        win_free_scenes(&a->o);
        free(a);
        return rc;
    }
    if (win_build_scene(a, &sc) != 0) {
        /* win_build_scene said what was wrong */
        win_nets_free(a);
        cli_scene_free(&sc);
        live_free(&a->L);
        win_free_scenes(&a->o);
        free(a);
        return EXIT_RUNTIME;
    }
    cli_scene_free(&sc);
    if (a->o.nscenes == 0) win_default_scenes(a);
    win_name_scenes(a);
    panel_init(&a->ps, &a->L);
    win_apply_opts(a);
    if (win_open_window(a) != 0) {
        win_close_window(a);
        win_free_scene_names(a);
        win_free_scenes(&a->o);
        free(a);
        return EXIT_RUNTIME;
    }
    int status = run_frames(a);
    win_close_window(a);
    win_free_scene_names(a);
    win_free_scenes(&a->o);
    free(a);
    return status;
}
