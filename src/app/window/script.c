/* script: the test hooks. --script feeds synthetic input through the real event
 * path, one command a frame; --print-state prints the scene when the window closes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/window/window_internal.h"
#include "core/timing.h"
#include "scene/netseeds.h"
#include "scene/scenefile.h"

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

/* "key NAME [N]": N presses (and releases) of the key, Shift+ and Ctrl+ held. */
static int script_key(const char *cmd, const char *arg)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
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
    return 0;
}

/* Run the next command of the script: "key NAME [N]" (N presses in one frame, as
 * fast typing or a held key gives them), "text STR", "move X Y", "down X Y",
 * "up X Y", "rdown X Y", "rup X Y" (the right button), "click X Y", "dclick X Y",
 * "wheel X Y N", "resize W H", "wait N" (frames). Commands are separated by ';'
 * and are at most 255 characters. Returns -1 on a malformed command (message
 * printed). */
int win_script_step(app *a)
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
        if (script_key(cmd, arg) != 0) return -1;
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

/* The 3D camera and where each runner is drawn in 3D, for scripts and tests. */
static void print_view3d(app *a, layout *l, const double v[4])
{
    const live *L = &a->L;
    printf("view3d yaw=%.17g pitch=%.17g zoom=%.17g target=%.17g,%.17g\n", a->cam.yaw, a->cam.pitch,
           a->cam.zoom, a->cam.target[0], a->cam.target[1]);
    memcpy(l->sv.view, v, sizeof l->sv.view);
    for (int k = 0; k < L->nrun; k++) {
        float px, py;
        int hidden;
        if (view3d_locate(a->g, &a->sf, &l->sv, &a->cam, L->run[k].r.p[0], L->run[k].r.p[1], &px, &py, &hidden))
            printf("runner3d %d px=%.2f py=%.2f hidden=%d\n", k, px, py, hidden);
        else
            printf("runner3d %d off\n", k);
    }
}

/* v as %.17g, or nothing when it is NaN (a row's empty column), then end */
static size_t num_or_empty(char *buf, size_t cap, size_t n, double v, const char *end)
{
    int w = n < cap ? (isnan(v) ? snprintf(buf + n, cap - n, "%s", end) : snprintf(buf + n, cap - n, "%.17g%s", v, end))
                    : 0;
    return n + (w > 0 ? (size_t)w : 0);
}

/* A lab's row as optiscape net train prints it (step,train_loss,test_loss,train_acc,
   test_acc,grad_norm,lr; NaN as an empty column), no newline: --print-state's
   net_row and the browser's state (web.c). Returns the length it needs. */
size_t win_format_net_row(const net_row *r, char *buf, size_t cap)
{
    size_t n = 0;
    int w = snprintf(buf, cap, "%ld,", r->step);
    if (w > 0) n = (size_t)w;
    n = num_or_empty(buf, cap, n, r->train_loss, ",");
    n = num_or_empty(buf, cap, n, r->test_loss, ",");
    n = num_or_empty(buf, cap, n, r->train_acc, ",");
    n = num_or_empty(buf, cap, n, r->test_acc, ",");
    n = num_or_empty(buf, cap, n, r->grad_norm, ",");
    return num_or_empty(buf, cap, n, r->lr, "");
}

/* The network lab: its spec and every row as optiscape net train prints them
   (step,train_loss,test_loss,train_acc,test_acc,grad_norm,lr), each after "net_row ". */
static void win_print_net(const netlab *lab, int shown, int which, const netseeds *seeds)
{
    char spec[200], tag[16] = "";
    if (which > 1) snprintf(tag, sizeof tag, "%d", which);
    net_format(&lab->nt.s, spec, sizeof spec);
    printf("net%s %s shown=%d\n", tag, spec, shown);
    long n;
    const net_row *r = netlab_rows(lab, &n);
    for (long k = 0; k < n; k++) {
        char row[256];   /* 7 numbers of at most 24 characters */
        win_format_net_row(&r[k], row, sizeof row);
        printf("net%s_row %s\n", tag, row);
    }
    const netlab_spectrum *sp = netlab_get_spectrum(lab);
    if (sp) printf("net%s_spectrum step=%ld positive=%d negative=%d zero=%d min_ratio=%.17g\n", tag, sp->step, sp->sum.npos,
                   sp->sum.nneg, sp->sum.nzero, sp->sum.min_ratio);
    int ns = 0;
    const netseed_pt *pt = which == 1 ? netseeds_points(seeds, &ns, NULL) : NULL;
    for (int i = 0; i < ns; i++)
        printf("net_seed %ld,%.17g,%.17g,%.17g,%d,%d,%d\n", pt[i].seed, pt[i].train_loss, pt[i].grad_norm,
               pt[i].sum.min_ratio, pt[i].sum.npos, pt[i].sum.nneg, pt[i].sum.nzero);
    const netlab_slice *sl = netlab_get_slice(lab);
    if (sl) printf("net%s_slice step=%ld level=%d range=%.17g plane=%s\n", tag, sl->step, sl->level, sl->range,
                   scene_net_plane_names[lab->d.plane]);
}

/* Returns 0, or -1 when stdout could not be written (a full disk, a closed pipe). */
int win_print_state(app *a)
{
    live *L = &a->L;
    layout l = win_compute_layout(a);
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
    printf("display");
    for (int i = 0; i < LIVE_DISP_COUNT; i++)
        if (live_display_rows[i].state) printf(" %s=%d", live_display_rows[i].state, *live_display_at(&L->disp, i));
    printf(" cmap=%d\n", (int)L->disp.cmap);
    if (a->mouse_in_canvas && L->disp.hover && !a->view3d) {
        /* the point the hover read-out describes: the one under the pointer */
        double hx, hy;
        memcpy(l.sv.view, v, sizeof l.sv.view);
        scene_from_px(&l.sv, a->mouse_x, a->mouse_y, &hx, &hy);
        printf("hover %.17g,%.17g\n", hx, hy);
    }
    if (a->note[0] && os_now() < a->note_until) printf("note %s\n", a->note);
    if (a->plane_file[0]) printf("net_plane_file step=%ld %s\n", a->plane_step, a->plane_file);
    if (L->disp.help) printf("help_scroll %.1f\n", a->help_scroll);
    if (a->lab) win_print_net(a->lab, a->show_net, 1, a->seeds);
    for (int i = 0; i < a->nlab_more; i++) win_print_net(a->lab_more[i], a->show_net, i + 2, NULL);
    printf("ncrit %d\nscale %.3g\n", L->ncrit, a->user_scale);
    printf("section on=%d set=%d drawing=%d seg=%.17g,%.17g,%.17g,%.17g\n", L->section.on, L->section.set,
           a->sect_drag, L->section.seg[0], L->section.seg[1], L->section.seg[2], L->section.seg[3]);
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
    if (a->view3d) print_view3d(a, &l, v);
    return fflush(stdout) != 0 || ferror(stdout) ? -1 : 0;
}
