/* shots: screenshots of the window: F12 (the window, numbered PNGs), Shift+F12 (the
 * canvas at 2 or 4 times its size, offscreen) and --screenshot at the end of a run. */
#include <stdio.h>
#include <stdlib.h>

#include "optiscape_config.h"
#include "app/export/pngio.h"
#include "app/window/window_internal.h"

int win_save_screenshot(app *a, const char *path, int force, char *err, size_t errlen)
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
    int rc = pngio_save_rgba(path, px, w, h, text, force, err, errlen);
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
    int rc = pngio_save_rgba(path, px, w, h, text, 0, err, errlen);
    free(px);
    return rc;
}

void win_take_pending_shot(app *a, const layout *l)
{
    int k = a->shot_pending;
    a->shot_pending = 0;
    char path[4200], err[4400], msg[4600];
    const char *dir = a->o.shots_dir ? a->o.shots_dir : ".";
    if (pngio_next_name(dir, "optiscape", path, sizeof path) != 0) {
        win_set_note(a, "no free screenshot name");
        return;
    }
    int rc = k > 1 ? save_scaled_shot(a, l, k, path, err, sizeof err) : win_save_screenshot(a, path, 0, err, sizeof err);
#ifdef __EMSCRIPTEN__
    if (rc == PNGIO_OK) {
        /* in the browser the picture leaves as a download */
        win_offer_download(path, "png");
        win_set_note(a, "the picture is downloaded");
        return;
    }
#endif
    if (rc == PNGIO_OK) snprintf(msg, sizeof msg, "saved %s", path);
    else snprintf(msg, sizeof msg, "screenshot failed: %s", err);
    /* messages go to stderr: stdout is --print-state's */
    fprintf(stderr, "optiscape: %s\n", msg);
    win_set_note(a, msg);
}
