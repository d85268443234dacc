/* web: the browser edition's side of the page (web/page.js). The page calls these
 * through ccall: the window's state as JSON for the page and its tests, the scene as
 * a scene file's text for a link, a screenshot or the scene as a download, seeking
 * and pausing. Files leave the program as downloads: written to the page's memory
 * file system, then handed to the page's optiscapeOffer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <emscripten.h>

#include "app/window/window_internal.h"

app *win_web_app;

/* the page names the download and removes the file */
EM_JS(void, offer_js, (const char *path, const char *kind), {
    if (typeof optiscapeOffer === 'function') optiscapeOffer(UTF8ToString(path), UTF8ToString(kind));
})

void win_offer_download(const char *path, const char *kind)
{
    offer_js(path, kind);
}

EMSCRIPTEN_KEEPALIVE const char *web_state(void);
EMSCRIPTEN_KEEPALIVE const char *web_share(void);
EMSCRIPTEN_KEEPALIVE int web_screenshot(int scale);
EMSCRIPTEN_KEEPALIVE int web_save_scene(void);
EMSCRIPTEN_KEEPALIVE void web_seek(long s);
EMSCRIPTEN_KEEPALIVE void web_set_playing(int on);

static char state_buf[16384];

/* the field on screen is the last one asked for, and none is being made */
static int field_done(app *a)
{
    return a->have_req && a->sf.valid && a->sf.gen == a->L.ls_gen &&
           memcmp(a->sf.view, a->req_view, sizeof a->req_view) == 0 && !worker_busy(a->fw);
}

/* A lab for the state: its step, its last row as --print-state's net_row prints it,
 * the slice's level and step (-1 when none yet) and the spectrum's step (-1). */
static size_t net_lab_state(const netlab *lab, int k, char *buf, size_t cap)
{
    long nr;
    const net_row *r = netlab_rows(lab, &nr);
    char row[200] = "";
    if (nr > 0) win_format_net_row(&r[nr - 1], row, sizeof row);
    const netlab_slice *sl = netlab_get_slice(lab);
    const netlab_spectrum *sp = netlab_get_spectrum(lab);
    int w = snprintf(buf, cap, "%s{\"step\":%ld,\"row\":\"%s\",\"slice\":[%d,%ld],\"spectrum\":%ld}", k ? "," : "",
                     nr > 0 ? r[nr - 1].step : -1L, row, sl ? sl->level : -1, sl && sl->level > 0 ? sl->step : -1L,
                     sp ? sp->step : -1L);
    return w > 0 ? (size_t)w : 0;
}

/* The window for the page and its tests: frames drawn, the step, the canvas and the
 * map's rectangle in it (CSS pixels), the view, the start and each runner's point in
 * world coordinates and in CSS pixels of the canvas; "field" 1 when the field drawn
 * is the last one asked for and no other is being made; "frames" 0 until the window
 * has opened. With a network lab, "net": whether it is shown and each lab's state
 * (net_lab_state), the main one first. */
const char *web_state(void)
{
    app *a = win_web_app;
    if (!a || !a->win) return "{\"frames\":0}";
    layout l = win_compute_layout(a);
    int ww, wh;
    SDL_GetWindowSize(a->win, &ww, &wh);
    double css = ww > 0 ? (double)ww / l.fw : 1;   /* CSS pixels a device pixel */
    size_t n = 0, cap = sizeof state_buf;
    n += (size_t)snprintf(state_buf + n, cap - n,
                          "{\"frames\":%ld,\"step\":%ld,\"playing\":%d,\"fps\":%.1f,\"canvas\":[%d,%d],"
                          "\"map\":[%.3f,%.3f,%.3f,%.3f],\"view\":[%.17g,%.17g,%.17g,%.17g],"
                          "\"start\":[%.17g,%.17g],\"view3d\":%d,\"class\":%d,\"ncrit\":%d,\"field\":%d,"
                          "\"runners\":[",
                          a->frames_drawn, a->L.step, a->L.playing, a->fps, ww, wh, l.sv.x * css, l.sv.y * css,
                          l.sv.w * css, l.sv.h * css, l.sv.view[0], l.sv.view[1], l.sv.view[2], l.sv.view[3],
                          a->L.start[0], a->L.start[1], a->view3d, a->L.disp.class_mode, a->L.ncrit, field_done(a));
    for (int k = 0; k < a->L.nrun && n < cap; k++) {
        const double *p = live_runner_point(&a->L.run[k].r);
        float px = 0, py = 0;
        if (p) scene_to_px(&l.sv, p[0], p[1], &px, &py);
        if (p && isfinite(p[0]) && isfinite(p[1]) && isfinite(px) && isfinite(py))
            n += (size_t)snprintf(state_buf + n, cap - n, "%s{\"x\":%.17g,\"y\":%.17g,\"px\":%.3f,\"py\":%.3f}",
                                  k ? "," : "", p[0], p[1], px * css, py * css);
        else
            n += (size_t)snprintf(state_buf + n, cap - n, "%snull", k ? "," : "");
    }
    if (n < cap) n += (size_t)snprintf(state_buf + n, cap - n, "]");
    if (a->lab && n < cap) {
        n += (size_t)snprintf(state_buf + n, cap - n, ",\"net\":{\"shown\":%d,\"labs\":[", a->show_net);
        for (int i = 0; i <= a->nlab_more && n < cap; i++)
            n += net_lab_state(i ? a->lab_more[i - 1] : a->lab, i, state_buf + n, cap - n);
        if (n < cap) n += (size_t)snprintf(state_buf + n, cap - n, "]}");
    }
    if (n < cap) snprintf(state_buf + n, cap - n, "}");
    return state_buf;
}

/* The scene as it is now, as the scene file Ctrl+S saves (it reloads exactly): the
 * page puts it in the link's fragment to share it. "" when it cannot be written. */
const char *web_share(void)
{
    static char *text;
    free(text);
    text = NULL;
    app *a = win_web_app;
    if (!a || !a->win) return "";
    size_t len = 0;
    layout l = win_compute_layout(a);
    FILE *f = open_memstream(&text, &len);
    int ok = f && win_write_scene(a, &l, f) == 0;
    if (f && fclose(f) != 0) ok = 0;
    if (!ok) {
        free(text);
        text = NULL;
        fprintf(stderr, "optiscape: the scene could not be written for a link\n");
        return "";
    }
    return text;
}

/* F12 (scale 1: the page as it is) or Shift+F12 (2 or 4: the map at that many times
 * its size): taken after the next frame's drawing, then offered as a download. */
int web_screenshot(int scale)
{
    app *a = win_web_app;
    if (!a || !a->win) return 0;
    a->shot_pending = scale == 2 || scale == 4 ? scale : 1;
    return 1;
}

/* Ctrl+S: the scene file, offered as a download. */
int web_save_scene(void)
{
    app *a = win_web_app;
    if (!a || !a->win) return 0;
    layout l = win_compute_layout(a);
    win_save_scene(a, &l);
    return 1;
}

/* Go to step s (back by replaying, as the timeline does). */
void web_seek(long s)
{
    if (win_web_app) live_seek(&win_web_app->L, s);
}

/* Stop or resume the runners (the page's tests freeze the scene to compare it). */
void web_set_playing(int on)
{
    if (win_web_app) win_web_app->L.playing = on != 0;
}
