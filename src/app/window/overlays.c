/* overlays: what the window draws over the canvas: the F1 help, the status line,
 * a swarm of the selected runner (W) and the basins of attraction (B). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optiscape_config.h"
#include "app/window/window_internal.h"
#include "core/timing.h"

/* The help box: two columns, as large as the text size asks but no wider than the
 * window (the type shrinks, down to 60%); taller than the window, it scrolls. */
void win_draw_help(gfx *g, const layout *l, const scene_theme *th, float *scroll)
{
    int n = win_help_count;
    float px = 15 * l->scale, pad = 18 * l->scale;
    float kw = 0, dw = 0;
    char key[128], text[256];
    for (int i = 0; i < n; i++) {
        win_help_line(i, key, sizeof key, text, sizeof text);
        float a = gfx_text_width(g, key, -1, px);
        float b = gfx_text_width(g, text, -1, px);
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
        win_help_line(i, key, sizeof key, text, sizeof text);
        gfx_text(g, x + pad, yy, key, -1, px, 0xffd23fffu);
        gfx_text(g, x + 2 * pad + kw, yy, text, -1, px, th->text);
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
void win_draw_status(gfx *g, app *a, const layout *l, const scene_theme *th)
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
    long lab_rows = 0;
    if (a->show_net && a->lab) netlab_rows(a->lab, &lab_rows);
    /* the network lab's updates while it is shown, else the runners' step */
    snprintf(part[P_STEP], sizeof part[0], "step %ld", a->show_net && a->lab ? lab_rows - 1 : a->L.step);
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

void win_swarm_under(gfx *g, const scene_view *sv, void *user)
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
    win_set_note(a, msg);
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

void win_basins_drop(app *a)
{
    if (a->basins) basin_set_free(a->basins);
    free(a->basins);
    a->basins = NULL;
}

/* Each frame: start a swarm asked for, let it follow the clock, take new maps.
 * deterministic (--frames N): 1 the swarm keeps up with the clock; 2 (the last
 * frame) the maps are waited for too. Nothing is waited for once a quit is asked. */
void win_update_swarm_basins(app *a, const layout *l, int deterministic)
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
            win_basins_drop(a);
            a->basins = b;
        }
    }
}

void win_draw_basins(app *a, const layout *l, const scene_theme *th)
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
