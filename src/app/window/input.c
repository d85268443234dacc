/* input: a frame's SDL events, split between the ui (its input passes) and the
 * canvas (pan, zoom, the start point, the timeline, the 3D camera). */
#include <math.h>
#include <string.h>

#include "app/window/window_internal.h"

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

int win_in_canvas(const layout *l, float x, float y)
{
    return x >= l->sv.x && x < l->sv.x + l->sv.w && y >= l->sv.y && y < l->sv.y + l->sv.h;
}

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

/* What each event of a frame is handled with: the frame's input queue and the input
 * its events go into now, the framebuffer's pixels per window unit, and what the ui
 * wanted when the frame began. */
typedef struct frame_events {
    app *a;
    input_queue *q;
    ui_input *in;
    layout *l;
    float sx, sy;
    int ww, wh;                 /* the window, in window units */
    int ui_mouse, ui_kb, ui_focus;
} frame_events;

/* The cross-section's segment from the press point to pixel (mx, my), once the
 * pointer has moved more than 3 px (a click leaves the last segment). */
static void section_drag_to(app *a, const scene_view *sv, float mx, float my)
{
    if (!(fabsf(mx - a->press_x) + fabsf(my - a->press_y) > 3)) return;
    double x, y;
    scene_from_px(sv, mx, my, &x, &y);
    live_section *s = &a->L.section;
    s->seg[0] = a->sect_a[0];
    s->seg[1] = a->sect_a[1];
    s->seg[2] = x;
    s->seg[3] = y;
    s->set = 1;
}

static void on_motion(frame_events *ev, const SDL_MouseMotionEvent *m)
{
    app *a = ev->a;
    live *L = &a->L;
    layout *l = ev->l;
    float mx = m->x * ev->sx, my = m->y * ev->sy;
    a->mouse_seen = 1;
    a->mouse_x = ev->in->mx = mx;
    a->mouse_y = ev->in->my = my;
    if (a->scrubbing) {
        live_seek(L, scene_timeline_step(L, &l->sv, mx));
    } else if (a->sect_drag) {
        section_drag_to(a, &l->sv, mx, my);
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
}

/* The left button as the events left it. A script's presses (SDL_PushEvent) do not
   change SDL's own mouse state: under --script the button is held from its down to
   its up, so a scripted drag across frames drags a slider as a user's does. */
static int left_held;

static void on_button_down(frame_events *ev, const SDL_MouseButtonEvent *b)
{
    app *a = ev->a;
    live *L = &a->L;
    layout *l = ev->l;
    ui_input *in = ev->in;
    float mx = b->x * ev->sx, my = b->y * ev->sy;
    a->mouse_x = in->mx = mx;
    a->mouse_y = in->my = my;
    if (b->button == SDL_BUTTON_LEFT) {
        in->pressed = 1;
        in->down = 1;
        left_held = 1;
        in->double_click = b->clicks >= 2;
    }
    if (ev->ui_mouse || !win_in_canvas(l, mx, my) || L->disp.help) {
        if (L->disp.help) L->disp.help = 0;
        return;
    }
    float tl[4];
    if (b->button == SDL_BUTTON_LEFT && scene_timeline_rect(L, &l->sv, tl) &&
        mx >= tl[0] && mx <= tl[0] + tl[2] && my >= tl[1] && my <= tl[1] + tl[3]) {
        /* the timeline: scrub back (and forward) through the run */
        a->scrubbing = 1;
        L->playing = 0;
        live_seek(L, scene_timeline_step(L, &l->sv, mx));
        return;
    }
    if (L->section.on && b->button == SDL_BUTTON_LEFT && !a->view3d) {
        /* the cross-section tool: a drag draws its segment from the press point */
        a->sect_drag = 1;
        a->press_x = mx;
        a->press_y = my;
        scene_from_px(&l->sv, mx, my, &a->sect_a[0], &a->sect_a[1]);
        return;
    }
    if (a->view3d) {
        /* 3D: the left button orbits (with Shift it pans), the others pan;
           the start point is set on the map only */
        int shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
        a->cam_drag = b->button == SDL_BUTTON_LEFT && !shift ? 1 : 2;
        a->cam_x = mx;
        a->cam_y = my;
        return;
    }
    float spx, spy;
    scene_to_px(&l->sv, L->start[0], L->start[1], &spx, &spy);
    if (b->button == SDL_BUTTON_LEFT && fabsf(mx - spx) < 14 * l->scale &&
        fabsf(my - spy) < 14 * l->scale) {
        a->drag_start = 1;
        double x, y;
        scene_from_px(&l->sv, mx, my, &x, &y);
        live_ghosts(L, x, y, LIVE_GHOST_STEPS);
    } else {
        a->panning = b->button;
        a->pan_moved = b->button != SDL_BUTTON_LEFT;
        a->press_x = mx;
        a->press_y = my;
        memcpy(a->pan_center, L->center, sizeof a->pan_center);
    }
}

static void on_button_up(frame_events *ev, const SDL_MouseButtonEvent *b)
{
    app *a = ev->a;
    live *L = &a->L;
    float mx = b->x * ev->sx, my = b->y * ev->sy;
    if (b->button == SDL_BUTTON_LEFT) { ev->in->released = 1; ev->in->down = 0; left_held = 0; }
    if (a->scrubbing && b->button == SDL_BUTTON_LEFT) {
        a->scrubbing = 0;
        return;
    }
    if (a->cam_drag) {
        a->cam_drag = 0;
        return;
    }
    if (a->sect_drag && b->button == SDL_BUTTON_LEFT) {
        section_drag_to(a, &ev->l->sv, mx, my);
        a->sect_drag = 0;
        return;
    }
    double x, y;
    scene_from_px(&ev->l->sv, mx, my, &x, &y);
    if (a->drag_start && b->button == SDL_BUTTON_LEFT) {
        a->drag_start = 0;
        L->ghost_on = 0;
        live_set_start(L, x, y);
    } else if (a->panning == b->button) {
        if (!a->pan_moved && b->button == SDL_BUTTON_LEFT) live_set_start(L, x, y);
        a->panning = 0;
    }
}

/* Fingers. One finger is the mouse (SDL makes mouse events of it): a tap sets the
 * start, a drag pans, a drag from the start moves it. A second finger makes it a
 * pinch: what the first finger began is undone, and from the view found then the
 * two zoom by the change of their distance about their midpoint and pan with it. */
static void on_finger(frame_events *ev, const SDL_TouchFingerEvent *t)
{
    app *a = ev->a;
    live *L = &a->L;
    const layout *l = ev->l;
    float x = t->x * (float)ev->ww * ev->sx, y = t->y * (float)ev->wh * ev->sy;
    int k = -1;
    for (int i = 0; i < a->nfinger; i++)
        if (a->finger[i] == t->fingerId) k = i;
    if (t->type == SDL_FINGERUP) {
        if (k < 0) return;
        if (k == 0 && a->nfinger == 2) {
            a->finger[0] = a->finger[1];
            a->finger_x[0] = a->finger_x[1];
            a->finger_y[0] = a->finger_y[1];
        }
        a->nfinger--;
        /* the pinch is over when the last finger lifts: the one left does not pan */
        if (a->nfinger == 0) a->pinching = 0;
        return;
    }
    if (t->type == SDL_FINGERDOWN && k < 0) {
        if (a->nfinger == 2) return;
        k = a->nfinger++;
        a->finger[k] = t->fingerId;
    }
    if (k < 0) return;
    a->finger_x[k] = x;
    a->finger_y[k] = y;
    if (a->nfinger < 2 || a->view3d || L->disp.help) return;
    float mx = 0.5f * (a->finger_x[0] + a->finger_x[1]), my = 0.5f * (a->finger_y[0] + a->finger_y[1]);
    float d = hypotf(a->finger_x[1] - a->finger_x[0], a->finger_y[1] - a->finger_y[0]);
    if (!a->pinching) {
        if (!win_in_canvas(l, mx, my) || d <= 0) return;
        /* the first finger's pan or drag of the start was the pinch's beginning */
        if (a->panning && a->pan_moved) memcpy(L->center, a->pan_center, sizeof L->center);
        a->panning = 0;
        a->drag_start = 0;
        L->ghost_on = 0;
        a->pinching = 1;
        a->pinch_d0 = d;
        a->pinch_mx0 = mx;
        a->pinch_my0 = my;
        memcpy(a->pinch_center, L->center, sizeof a->pinch_center);
        a->pinch_upp = L->upp;
        return;
    }
    if (d <= 0) return;
    /* from the view the pinch found: the point under the first midpoint zooms in
       place, then follows the midpoint */
    memcpy(L->center, a->pinch_center, sizeof L->center);
    L->upp = a->pinch_upp;
    scene_view sv = l->sv;
    live_view(L, (int)sv.w, (int)sv.h, sv.view);
    double wx, wy;
    scene_from_px(&sv, a->pinch_mx0, a->pinch_my0, &wx, &wy);
    a->refit_crit = 0;
    live_zoom(L, (double)d / a->pinch_d0, wx, wy, (int)sv.w, (int)sv.h);
    L->center[0] -= (double)(mx - a->pinch_mx0) * L->upp;
    L->center[1] += (double)(my - a->pinch_my0) * L->upp;
}

static void on_wheel(frame_events *ev, const SDL_MouseWheelEvent *w)
{
    app *a = ev->a;
    live *L = &a->L;
    layout *l = ev->l;
    float wy = w->preciseY != 0 ? w->preciseY : (float)w->y;
    if (w->direction == SDL_MOUSEWHEEL_FLIPPED) wy = -wy;
    if (L->disp.help) {
        a->help_scroll -= wy * 60 * l->scale;   /* clamped where it is drawn */
        return;
    }
    if (ev->ui_mouse) { ev->in->wheel += wy; return; }
    if (win_in_canvas(l, a->mouse_x, a->mouse_y) && a->view3d) {
        cam3d_zoom(&a->cam, pow(1.2, wy));
    } else if (win_in_canvas(l, a->mouse_x, a->mouse_y)) {
        double x, y;
        scene_from_px(&l->sv, a->mouse_x, a->mouse_y, &x, &y);
        a->refit_crit = 0;
        live_zoom(L, pow(1.2, wy), x, y, (int)l->sv.w, (int)l->sv.h);
    }
}

static void on_text(frame_events *ev, const SDL_TextInputEvent *t)
{
    if (!ev->ui_kb) return;
    ui_input *in = ev->in = queue_for(ev->q, 0);
    size_t n = strlen(in->text), m = strlen(t->text);
    if (n + m < sizeof in->text) memcpy(in->text + n, t->text, m + 1);
}

static void on_key(frame_events *ev, const SDL_KeyboardEvent *e)
{
    app *a = ev->a;
    layout *l = ev->l;
    unsigned uk = ui_key_of(e->keysym.sym, e->keysym.mod);
    SDL_Keycode k = e->keysym.sym;
    if (a->L.disp.help && (k == SDLK_UP || k == SDLK_DOWN || k == SDLK_PAGEUP || k == SDLK_PAGEDOWN ||
                           k == SDLK_HOME || k == SDLK_END)) {
        /* the help is open: these scroll it */
        float page = (float)l->fh * 0.8f, line = 20 * l->scale;
        a->help_scroll += k == SDLK_UP ? -line : k == SDLK_DOWN ? line : k == SDLK_PAGEUP ? -page
                        : k == SDLK_PAGEDOWN ? page : k == SDLK_HOME ? -1e9f : 1e9f;
        return;
    }
    int arrows = k == SDLK_UP || k == SDLK_DOWN || k == SDLK_LEFT || k == SDLK_RIGHT;
    int ui_kb = ev->ui_kb;
    /* the ui takes editing keys while it edits, arrows always (they move the
       focus through the controls), Enter and Escape while something has focus */
    if (ui_kb || arrows || (ev->ui_focus && (k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_ESCAPE))) {
        if (uk) {
            ui_input *in = ev->in = queue_for(ev->q, 1);
            in->mods = ((e->keysym.mod & KMOD_SHIFT) ? UI_MOD_SHIFT : 0) |
                       ((e->keysym.mod & KMOD_CTRL) ? UI_MOD_CTRL : 0);
            in->keys |= uk;
        }
        if (ui_kb && !(e->keysym.mod & KMOD_CTRL)) return;
        if (arrows) return;
        if (k == SDLK_RETURN || k == SDLK_KP_ENTER) return;
    }
    /* while a box edits, only Ctrl+Q and Ctrl+S still reach the window */
    if (!ui_kb || ((e->keysym.mod & KMOD_CTRL) && (k == SDLK_q || k == SDLK_s))) win_key_down(a, e, l);
}

void win_handle_events(app *a, input_queue *q, layout *l)
{
    live *L = &a->L;
    int ww, wh;
    SDL_GetWindowSize(a->win, &ww, &wh);
    frame_events ev = {.a = a, .q = q, .l = l, .ww = ww, .wh = wh};
    ev.sx = ww > 0 ? (float)l->fw / (float)ww : 1;
    ev.sy = wh > 0 ? (float)l->fh / (float)wh : 1;
    ev.ui_mouse = ui_wants_mouse(a->u);
    ev.ui_kb = ui_wants_keyboard(a->u);
    ev.ui_focus = ui_has_focus(a->u);
    SDL_Event e;
    q->n = 1;
    ui_input *in = ev.in = &q->in[0];
    memset(in, 0, sizeof *in);
    in->mx = a->mouse_x;
    in->my = a->mouse_y;
    Uint32 bs = SDL_GetMouseState(NULL, NULL);
    int scripted = a->o.script && left_held;
    in->down = (bs & SDL_BUTTON_LMASK) != 0 || scripted;
    SDL_Keymod mod = SDL_GetModState();
    in->mods = ((mod & KMOD_SHIFT) ? UI_MOD_SHIFT : 0) | ((mod & KMOD_CTRL) ? UI_MOD_CTRL : 0);
    while (SDL_PollEvent(&e)) {
        /* every event sees the view as the events before it left it */
        live_view(L, (int)l->sv.w, (int)l->sv.h, l->sv.view);
        switch (e.type) {
        case SDL_QUIT: a->quit = 1; break;
        case SDL_MOUSEMOTION: on_motion(&ev, &e.motion); break;
        case SDL_MOUSEBUTTONDOWN: on_button_down(&ev, &e.button); break;
        case SDL_MOUSEBUTTONUP: on_button_up(&ev, &e.button); break;
        case SDL_MOUSEWHEEL: on_wheel(&ev, &e.wheel); break;
        case SDL_FINGERDOWN: case SDL_FINGERUP: case SDL_FINGERMOTION: on_finger(&ev, &e.tfinger); break;
        case SDL_TEXTINPUT: on_text(&ev, &e.text); break;
        case SDL_KEYDOWN: on_key(&ev, &e.key); break;
        case SDL_WINDOWEVENT:
            if (e.window.event == SDL_WINDOWEVENT_LEAVE) a->mouse_seen = 0;
            break;
        default: break;
        }
    }
    in = ev.in;
    if (!(SDL_GetMouseState(NULL, NULL) & SDL_BUTTON_LMASK) && !(a->o.script && left_held) && !in->pressed) in->down = 0;
    a->mouse_in_canvas = a->mouse_seen && win_in_canvas(l, a->mouse_x, a->mouse_y) && !ui_wants_mouse(a->u);
}
