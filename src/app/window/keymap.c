/* keymap: what each key does in the window, and the help (F1) that lists them. */
#include <math.h>
#include <stdio.h>

#include "app/window/window_internal.h"

/* The F1 help, a line each. A line {"", "", N} lists the toggles of scene/display.h
 * whose help_row is N: their keys, and their words, joined with " / ". */
typedef struct help_line {
    const char *key, *text;
    int display_row;
} help_line;

static const help_line help_lines[] = {
    {"Space", "play / pause", 0},
    {"N", "one step, its update explained beside the selected runner", 0},
    {"R", "reset the runners to the start (and the network lab to step 0)", 0},
    {"click", "set the start point for every runner", 0},
    {"drag the star", "move the start; ghost paths preview every runner", 0},
    {"drag", "pan", 0},
    {"wheel", "zoom around the cursor", 0},
    {"0 / Home", "fit the landscape's view", 0},
    {"+ / -", "zoom in / out", 0},
    {"", "", 6},
    {"Up / Down", "move between controls (then Left / Right to change)", 0},
    {"Enter", "type a slider's exact value, toggle, press", 0},
    {"Ctrl+A / C / X / V", "in a text box: select all, copy, cut, paste (Shift+arrows select)", 0},
    {"[ / ]", "select the previous / next runner", 0},
    {"A / Delete", "add a runner like the selected one / remove it", 0},
    {"1 ... 9", "select runner k", 0},
    {"", "", 1},
    {"", "", 2},
    {"", "", 3},
    {"", "", 4},
    {"W", "swarm: the selected runner from a grid of starts (--swarm N particles)", 0},
    {"B", "basins of attraction: which minimum each start reaches, every runner", 0},
    {"L", "cross-section: drag a line on the map, see the loss along it and what it crosses (the network's slice too)", 0},
    {"", "", 5},
    {"M", "colour map: viridis, cividis, light", 0},
    {"D", "3D surface / map; in 3D drag orbits, right-drag or Shift+drag pans, wheel zooms", 0},
    {"Ctrl + / Ctrl -", "larger / smaller text (projector)", 0},
    {"F11", "fullscreen", 0},
    {"F5", "reload shaders (with --shader-dir)", 0},
    {"", "", 7},
    {"K / Shift+K", "initialization: activation and gradient size through 50 layers / ReLU or tanh", 0},
    {"J", "the network lab (--net): data and model, slice, curves, Hessian spectrum", 0},
    {"Shift+J", "the lab's slice as the landscape: its optimizer restricted to the plane (then L, critical points)", 0},
    {"PgDn / PgUp", "next / previous scene of the --scene list", 0},
    {"Ctrl+S", "save the current state as a scene file", 0},
    {"F12", "screenshot (PNG, numbered, never overwrites)", 0},
    {"Shift+F12", "the canvas at 2x or 4x (--shot-scale), for print", 0},
    {"F1 / Esc", "this help / close it (wheel, arrows, PageUp / PageDown scroll it)", 0},
    {"Ctrl+Q", "quit", 0},
};
const int win_help_count = (int)(sizeof help_lines / sizeof *help_lines);

/* Joins column s (0 the key, 1 the words) of the display rows on help row `row`. */
static void join_display_row(int row, int s, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (int pos = 0; pos < LIVE_DISP_COUNT; pos++)
        for (int i = 0; i < LIVE_DISP_COUNT; i++) {
            const live_display_row *r = &live_display_rows[i];
            if (r->help_row != row || r->help_pos != pos) continue;
            o += (size_t)snprintf(out + o, n - o, "%s%s", o ? " / " : "", s ? r->help : r->key);
            if (o >= n) o = n - 1;
        }
}

void win_help_line(int i, char *key, size_t nkey, char *text, size_t ntext)
{
    const help_line *h = &help_lines[i];
    if (h->display_row) {
        join_display_row(h->display_row, 0, key, nkey);
        join_display_row(h->display_row, 1, text, ntext);
    } else {
        snprintf(key, nkey, "%s", h->key);
        snprintf(text, ntext, "%s", h->text);
    }
}

static void select_runner(live *L, int k)
{
    if (k >= 0 && k < L->nrun) L->selected = k;
}

/* The keys of the clock, the runners, the view and the window; 0 for another key. */
static int key_scene(app *a, const SDL_KeyboardEvent *e, const layout *l, double cx, double cy)
{
    live *L = &a->L;
    switch (e->keysym.sym) {
    case SDLK_SPACE: L->playing = !L->playing; break;
    case SDLK_n: case SDLK_PERIOD:
        L->playing = 0;
        live_step_explained(L);
        if (a->lab && a->show_net) a->ps.net.step_request++;   /* the lab shown steps too */
        break;
    case SDLK_k:
        if (e->keysym.mod & KMOD_SHIFT) {
            init_view_set(&a->iv, a->iv.act == INITNORM_RELU ? INITNORM_TANH : INITNORM_RELU, 256, L->seed);
            a->show_init = 1;
        } else {
            if (!a->show_init) init_view_set(&a->iv, a->iv.act, 256, L->seed);
            a->show_init = !a->show_init;
        }
        break;
    case SDLK_j:
        if (!a->lab) break;
        if (e->keysym.mod & KMOD_SHIFT) win_net_plane_landscape(a);
        else a->show_net = !a->show_net;
        break;
    case SDLK_PAGEDOWN: win_switch_scene(a, a->scene_index + 1); break;
    case SDLK_PAGEUP: win_switch_scene(a, a->scene_index - 1); break;
    case SDLK_r:
        live_reset(L);
        if (a->show_net && a->lab) a->net_rebuild = 1;   /* the labs from step 0 */
        break;
    case SDLK_F1: L->disp.help = !L->disp.help; a->help_scroll = 0; break;
    case SDLK_ESCAPE: L->disp.help = 0; break;
    case SDLK_F11: {
        Uint32 fl = SDL_GetWindowFlags(a->win);
        SDL_SetWindowFullscreen(a->win, (fl & SDL_WINDOW_FULLSCREEN_DESKTOP) ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
        break;
    }
    case SDLK_F5: {
        char err[512];
        if (gfx_reload_shaders(a->g, err, sizeof err) != 0) {
            fprintf(stderr, "optiscape: %s\n", err);
            win_set_note(a, err);
        } else {
            win_set_note(a, "shaders reloaded");
        }
        break;
    }
    case SDLK_F12:
        /* taken once the frame is drawn: the back buffer is undefined until then */
        a->shot_pending = (e->keysym.mod & KMOD_SHIFT) ? a->o.shot_scale : 1;
        break;
    case SDLK_0: case SDLK_HOME: win_fit_landscape(a, l); break;
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
    default: return 0;
    }
    return 1;
}

/* The display toggle whose key (scene/display.h) is k, if any. */
static void key_toggle(live *L, SDL_Keycode k)
{
    for (int i = 0; i < LIVE_DISP_COUNT; i++) {
        const char *name = live_display_rows[i].key;
        if (name && SDL_GetKeyFromName(name) == k) {
            int *v = live_display_at(&L->disp, i);
            *v = !*v;
            return;
        }
    }
}

/* The display toggles, the 3D view, the swarm, the basins, and 1 ... 9. */
static void key_views(app *a, SDL_Keycode k)
{
    live *L = &a->L;
    switch (k) {
    case SDLK_p:
        if (L->disp.class_mode) { /* P shows or hides the chart as class mode draws it */
            int shown = scene_chart_shown(L);
            L->disp.chart = L->disp.class_chart = !shown;
        } else {
            key_toggle(L, k);
        }
        break;
    case SDLK_m: L->disp.cmap = (style_cmap)((L->disp.cmap + 1) % STYLE_CMAP_COUNT); break;
    case SDLK_d:
        a->view3d = !a->view3d;
        a->panning = a->drag_start = a->cam_drag = 0;
        L->ghost_on = 0;
        win_set_note(a, a->view3d ? "3D: drag orbits, right-drag or Shift+drag pans, wheel zooms, 0 resets (D: the map)"
                                  : "the contour map (D: 3D)");
        break;
    case SDLK_w:
        if (a->swarm && swarm_view_get_info(a->swarm).runner == L->selected) {
            swarm_view_destroy(a->swarm);
            a->swarm = NULL;
            win_set_note(a, "swarm off");
        } else {
            a->want_swarm = 1;
        }
        break;
    case SDLK_l:
        /* on the network view the cross-section is drawn on its slice: the slice
           becomes the landscape first (as Shift+J), then the tool opens on it */
        if (a->show_net && a->lab) {
            if (win_net_plane_landscape(a) != 0) break;
            L->section.on = 1;
        } else {
            L->section.on = !L->section.on;
        }
        a->sect_drag = 0;
        win_set_note(a, !L->section.on ? "cross-section off (L)"
                        : a->view3d ? "cross-section: drawn on the map; D for the map, where a drag draws its line (L closes)"
                        : "cross-section: drag a line on the map to see the loss along it (L closes)");
        break;
    case SDLK_b:
        a->basins_on = !a->basins_on;
        a->basins_asked = 0;          /* B again: maps of the view as it is now */
        if (!a->basins_on) win_basins_drop(a);
        else if (!a->bw && !(a->bw = basin_worker_create())) a->basins_on = 0;
        if (a->basins_on) win_set_note(a, "basins of attraction of every runner over the view (B closes)");
        break;
    default:
        if (k >= SDLK_1 && k <= SDLK_9) select_runner(L, (int)(k - SDLK_1));
        else key_toggle(L, k);
        break;
    }
}

void win_key_down(app *a, const SDL_KeyboardEvent *e, const layout *l)
{
    SDL_Keycode k = e->keysym.sym;
    int ctrl = (e->keysym.mod & KMOD_CTRL) != 0;
    if (ctrl && k == SDLK_q) { a->quit = 1; return; }
    if (ctrl && k == SDLK_s) { win_save_scene(a, l); return; }
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
    if (a->mouse_seen && win_in_canvas(l, a->mouse_x, a->mouse_y))
        scene_from_px(&l->sv, a->mouse_x, a->mouse_y, &cx, &cy);
    else
        scene_from_px(&l->sv, l->sv.x + l->sv.w / 2, l->sv.y + l->sv.h / 2, &cx, &cy);
    if (a->view3d) {
        /* in 3D, fit and zoom move the camera; the map's view stays */
        if (k == SDLK_0 || k == SDLK_HOME) { cam3d_defaults(&a->cam); return; }
        if (k == SDLK_EQUALS || k == SDLK_PLUS || k == SDLK_KP_PLUS) { cam3d_zoom(&a->cam, 1.25); return; }
        if (k == SDLK_MINUS || k == SDLK_KP_MINUS) { cam3d_zoom(&a->cam, 1 / 1.25); return; }
    }
    if (!key_scene(a, e, l, cx, cy)) key_views(a, k);
}
