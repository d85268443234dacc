/* web_main: the browser edition's entry point. The page (web/index.html) turns the
 * link's fragment into scene options (#lesson=NAME is --scene /scenes/NAME.scene,
 * #key=value is --key value) and passes them as arguments; the scene is then drawn
 * into the page's canvas with WebGL2 by a frame function the browser calls every
 * animation frame and that never blocks. There is no worker thread: the field is
 * computed here, on this thread, whenever the view or the canvas changes.
 * A drag moves the start (as in the window; a finger too), the wheel zooms about the
 * pointer, two fingers pinch-zoom about their midpoint.
 * web_state() reports the scene as JSON for the page and its tests, web_share() as a
 * scene file's text for a link (#scene=TEXT, which the page opens as --scene). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <SDL.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include "app/cli.h"
#include "scene/field_worker.h"
#include "scene/live.h"
#include "app/export/pngio.h"
#include "app/platform/glctx.h"
#include "core/expr.h"
#include "render/gfx.h"
#include "app/scene_setup.h"
#include "scene/scenefile.h"
#include "app/views/scene_view.h"

typedef struct web_app {
    glctx gl;                   /* the canvas's window and its WebGL2 context */
    gfx *g;
    live L;
    field_result fr;
    int have_fr;
    scene_field sf;
    scene_view sv;
    int cw, ch;            /* canvas, CSS pixels */
    int fw, fh;            /* drawable, device pixels */
    double dpr;
    int field_dirty;
    double last_ms;
    long frames;
    int dragging;
    /* touch: up to two fingers, CSS pixels; a pinch zooms by the change of their
       distance about their midpoint */
    SDL_FingerID finger[2];
    double fx[2], fy[2];
    int nfinger;
    double pinch_d;
    double start_before[2];   /* where the start was when the first finger came down */
    char state[8192];
} web_app;

static web_app A;

/* called by the page (and its tests) through ccall */
const char *web_state(void);
const char *web_share(void);
const char *web_screenshot(void);
void web_seek(long s);
void web_set_playing(int on);

/* the field's samples: one per 2x2 pixels, at least 600 along the long side, at most
 * one a pixel (as render does) */
static void compute_field(void)
{
    double k = 0.5, lng = A.fw > A.fh ? A.fw : A.fh;
    if (k * lng < 600) k = 600 / lng;
    if (k > 1) k = 1;
    int w = (int)(A.fw * k), h = (int)(A.fh * k);
    if (w < 2) w = 2;
    if (h < 2) h = 2;
    if (A.have_fr) field_result_free(&A.fr);
    A.have_fr = 0;
    char err[512];
    if (scene_field_compute(&A.L, &A.fr, A.sv.view, w, h, scene_wants_lmax(&A.L), err, sizeof err) != 0) {
        fprintf(stderr, "optiscape: %s\n", err);
        return;
    }
    A.have_fr = 1;
    scene_field_upload(A.g, &A.sf, &A.fr);
    A.field_dirty = 0;
}

static void sync_size(void)
{
    double cssw = 0, cssh = 0;
    emscripten_get_element_css_size("#canvas", &cssw, &cssh);
    int cw = (int)cssw, ch = (int)cssh;
    if (cw < 16) cw = 16;
    if (ch < 16) ch = 16;
    if (cw == A.cw && ch == A.ch) return;
    A.cw = cw;
    A.ch = ch;
    A.dpr = emscripten_get_device_pixel_ratio();
    if (!(A.dpr >= 1)) A.dpr = 1;
    A.fw = (int)lround(cw * A.dpr);
    A.fh = (int)lround(ch * A.dpr);
    emscripten_set_canvas_element_size("#canvas", A.fw, A.fh);
    A.sv.x = A.sv.y = 0;
    A.sv.w = (float)A.fw;
    A.sv.h = (float)A.fh;
    A.sv.scale = (float)A.dpr;
    live_view(&A.L, A.fw, A.fh, A.sv.view);
    A.field_dirty = 1;
}

static void px_of(double css_x, double css_y, float *px, float *py)
{
    *px = (float)(css_x * A.dpr);
    *py = (float)(css_y * A.dpr);
}

static void touch(const SDL_TouchFingerEvent *t, Uint32 type)
{
    int k = -1;
    for (int i = 0; i < A.nfinger; i++)
        if (A.finger[i] == t->fingerId) k = i;
    if (type == SDL_FINGERDOWN && k < 0 && A.nfinger < 2) k = A.nfinger++;
    if (k < 0) return;
    A.finger[k] = t->fingerId;
    A.fx[k] = t->x * A.cw;
    A.fy[k] = t->y * A.ch;
    float px, py;
    double x, y;
    if (A.nfinger == 1 && type != SDL_FINGERUP) {
        /* one finger drags the start, as the mouse does */
        if (type == SDL_FINGERDOWN) {
            A.start_before[0] = A.L.start[0];
            A.start_before[1] = A.L.start[1];
            A.L.ghost_on = 0;
        }
        px_of(A.fx[0], A.fy[0], &px, &py);
        scene_from_px(&A.sv, px, py, &x, &y);
        live_set_start(&A.L, x, y);
        return;
    }
    if (type == SDL_FINGERDOWN && A.nfinger == 2) {
        /* a second finger: it was a pinch, not a drag */
        live_set_start(&A.L, A.start_before[0], A.start_before[1]);
    }
    if (type == SDL_FINGERUP) {
        if (k == 0 && A.nfinger == 2) {
            A.finger[0] = A.finger[1];
            A.fx[0] = A.fx[1];
            A.fy[0] = A.fy[1];
        }
        A.nfinger--;
        A.pinch_d = 0;
        return;
    }
    if (A.nfinger < 2) return;
    double d = hypot(A.fx[1] - A.fx[0], A.fy[1] - A.fy[0]);
    if (type == SDL_FINGERMOTION && A.pinch_d > 0 && d > 0) {
        px_of(0.5 * (A.fx[0] + A.fx[1]), 0.5 * (A.fy[0] + A.fy[1]), &px, &py);
        scene_from_px(&A.sv, px, py, &x, &y);
        live_zoom(&A.L, d / A.pinch_d, x, y, A.fw, A.fh);
        live_view(&A.L, A.fw, A.fh, A.sv.view);
        A.field_dirty = 1;
    }
    A.pinch_d = d;
}

static void handle(const SDL_Event *e)
{
    float px, py;
    double x, y;
    switch (e->type) {
    case SDL_MOUSEBUTTONDOWN:
        /* the mouse events SDL makes from touches: the fingers are handled as such */
        if (e->button.button != SDL_BUTTON_LEFT || e->button.which == SDL_TOUCH_MOUSEID) break;
        px_of(e->button.x, e->button.y, &px, &py);
        scene_from_px(&A.sv, px, py, &x, &y);
        A.dragging = 1;
        A.L.ghost_on = 0;
        live_set_start(&A.L, x, y);
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
        touch(&e->tfinger, e->type);
        break;
    case SDL_MOUSEMOTION:
        if (!A.dragging || e->motion.which == SDL_TOUCH_MOUSEID) break;
        px_of(e->motion.x, e->motion.y, &px, &py);
        scene_from_px(&A.sv, px, py, &x, &y);
        live_set_start(&A.L, x, y);
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT && e->button.which != SDL_TOUCH_MOUSEID) A.dragging = 0;
        break;
    case SDL_MOUSEWHEEL: {
        int mx, my;
        SDL_GetMouseState(&mx, &my);
        px_of(mx, my, &px, &py);
        scene_from_px(&A.sv, px, py, &x, &y);
        live_zoom(&A.L, e->wheel.y > 0 ? 1.25 : 1 / 1.25, x, y, A.fw, A.fh);
        live_view(&A.L, A.fw, A.fh, A.sv.view);
        A.field_dirty = 1;
        break;
    }
    default:
        break;
    }
}

static void draw(void)
{
    scene_theme th = scene_theme_of(&A.L);
    gfx_begin(A.g, A.fw, A.fh);
    gfx_clear(A.g, th.bg);
    scene_draw(A.g, &A.L, &A.sf, &A.sv);
    gfx_end(A.g);
}

static void frame(void)
{
    double now = emscripten_get_now();
    double dt = A.last_ms > 0 ? (now - A.last_ms) / 1000.0 : 0;
    A.last_ms = now;
    if (dt > 0.1) dt = 0.1;   /* a hidden tab does not jump ahead */
    sync_size();
    SDL_Event e;
    while (SDL_PollEvent(&e)) handle(&e);
    if (A.field_dirty) compute_field();
    live_advance(&A.L, dt);
    draw();
    A.frames++;
}

/* The scene for the page and its tests: frames drawn, the step, the view, the start
 * and each runner's point in world coordinates and in CSS pixels of the canvas. */
EMSCRIPTEN_KEEPALIVE const char *web_state(void)
{
    size_t n = 0, cap = sizeof A.state;
    n += (size_t)snprintf(A.state + n, cap - n,
                          "{\"frames\":%ld,\"step\":%ld,\"canvas\":[%d,%d],\"view\":[%.17g,%.17g,%.17g,%.17g],"
                          "\"start\":[%.17g,%.17g],\"runners\":[",
                          A.frames, A.L.step, A.cw, A.ch, A.sv.view[0], A.sv.view[1], A.sv.view[2],
                          A.sv.view[3], A.L.start[0], A.L.start[1]);
    double dpr = A.dpr >= 1 ? A.dpr : 1;
    for (int k = 0; k < A.L.nrun && n < cap; k++) {
        const double *p = live_runner_point(&A.L.run[k].r);
        float px = 0, py = 0;
        if (p) scene_to_px(&A.sv, p[0], p[1], &px, &py);
        if (p && isfinite(p[0]) && isfinite(p[1]) && isfinite(px) && isfinite(py))
            n += (size_t)snprintf(A.state + n, cap - n, "%s{\"x\":%.17g,\"y\":%.17g,\"px\":%.3f,\"py\":%.3f}",
                                  k ? "," : "", p[0], p[1], px / dpr, py / dpr);
        else
            n += (size_t)snprintf(A.state + n, cap - n, "%snull", k ? "," : "");
    }
    if (n < cap) snprintf(A.state + n, cap - n, "]}");
    return A.state;
}

/* The scene as it is now, as a scene file's text (what Ctrl+S saves in the window:
 * it reloads exactly): the page puts it in the link's fragment to share it. "" when
 * it cannot be written. */
EMSCRIPTEN_KEEPALIVE const char *web_share(void)
{
    static char *text;
    free(text);
    text = NULL;
    size_t len = 0;
    scene_doc doc;
    scene_doc_init(&doc);
    FILE *f = scene_doc_from_live(&doc, &A.L, A.sv.view) == 0 ? open_memstream(&text, &len) : NULL;
    int ok = f && scenefile_write(f, &doc) == 0;
    if (f && fclose(f) != 0) ok = 0;
    scene_doc_free(&doc);
    if (!ok) {
        free(text);
        text = NULL;
        fprintf(stderr, "optiscape: the scene could not be written for a link\n");
        return "";
    }
    return text;
}

/* The picture on the page as a PNG (the drawable's pixels, with the scene described
 * in its tEXt chunks as the window's F12 does), written to the page's file system for
 * the page to hand over as a download. Its path, or "" with the reason on stderr. */
EMSCRIPTEN_KEEPALIVE const char *web_screenshot(void)
{
    static const char path[] = "/optiscape-shot.png";
    unsigned char *rgba = malloc((size_t)A.fw * (size_t)A.fh * 4);
    if (!rgba) {
        fprintf(stderr, "optiscape: out of memory for a %dx%d screenshot\n", A.fw, A.fh);
        return "";
    }
    draw();   /* the same picture, drawn now so that it can be read back */
    gfx_read_pixels(A.g, 0, 0, A.fw, A.fh, rgba);
    char desc[1024], err[1024];
    snprintf(desc, sizeof desc, "landscape %s; view %.17g,%.17g,%.17g,%.17g; start %.17g,%.17g; step %ld",
             A.L.ls.def ? A.L.ls.label : expr_source(A.L.ls.f), A.sv.view[0], A.sv.view[1], A.sv.view[2],
             A.sv.view[3], A.L.start[0], A.L.start[1], A.L.step);
    const char *text[] = {"Software", "optiscape (browser edition)", "Description", desc, NULL};
    int r = pngio_save_rgba(path, rgba, A.fw, A.fh, text, 1, err, sizeof err);
    free(rgba);
    if (r != PNGIO_OK) {
        fprintf(stderr, "optiscape: screenshot: %s\n", err);
        return "";
    }
    return path;
}

/* Go to step s (back by replaying, as the timeline does). */
EMSCRIPTEN_KEEPALIVE void web_seek(long s)
{
    live_seek(&A.L, s);
}

/* Stop or resume the runners (the page's tests freeze the scene to compare it). */
EMSCRIPTEN_KEEPALIVE void web_set_playing(int on)
{
    A.L.playing = on != 0;
}

int main(int argc, char **argv)
{
    umask(022);   /* emscripten starts with 0777: files written here would have no permissions */
    cli_scene sc;
    cli_scene_init(&sc);
    char err[1024];
    for (int i = 1; i < argc; i++) {
        int r = cli_scene_option(&sc, argc, argv, &i, err, sizeof err);
        if (r <= 0) {
            if (r == 0) fprintf(stderr, "optiscape: %s is not a scene option\n", argv[i]);
            else fprintf(stderr, "optiscape: %s\n", err);
            cli_scene_free(&sc);
            return EXIT_BAD_INPUT;
        }
    }
    double fit[4];
    if (scene_setup(&A.L, &sc, fit, err, sizeof err) != 0) {
        fprintf(stderr, "optiscape: %s\n", err);
        cli_scene_free(&sc);
        return EXIT_BAD_INPUT;
    }
    cli_scene_free(&sc);

    double cssw = 0, cssh = 0;
    emscripten_get_element_css_size("#canvas", &cssw, &cssh);
    int st = glctx_open(&A.gl, &(glctx_desc){.w = cssw > 16 ? (int)cssw : 1280, .h = cssh > 16 ? (int)cssh : 800,
                                             .window_flags = SDL_WINDOW_ALLOW_HIGHDPI});
    if (st == GLCTX_NO_VIDEO) {
        fprintf(stderr, "optiscape: cannot start SDL: %s\n", A.gl.why);
        return EXIT_RUNTIME;
    }
    if (st != GLCTX_OK) {
        fprintf(stderr, "optiscape: WebGL2 is not available in this browser (%s)\n", A.gl.why);
        return EXIT_RUNTIME;
    }
    A.g = gfx_create(&(gfx_desc){0}, err, sizeof err);
    A.sv.cache = scene_view_cache_new();
    if (!A.g || !A.sv.cache) {
        fprintf(stderr, "optiscape: %s\n", A.g ? "out of memory" : err);
        return EXIT_RUNTIME;
    }
    A.L.disp.panel = 0;
    A.L.disp.help = 0;
    /* the page has no rewind strip to drag ("Space resumes" is the window's): the
       picture is drawn as render draws a figure */
    A.sv.figure = 1;
    sync_size();
    live_fit(&A.L, fit, A.fw, A.fh);
    live_view(&A.L, A.fw, A.fh, A.sv.view);
    A.field_dirty = 1;
    emscripten_set_main_loop(frame, 0, 1);
    return EXIT_OK;
}
