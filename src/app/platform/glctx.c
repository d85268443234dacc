/* glctx: the window and its OpenGL context, on a display or offscreen. */
#include "app/platform/glctx.h"

#include <stdio.h>
#include <string.h>

#include "render/gl.h"

static int gl_recent_enough(void)
{
#ifdef __EMSCRIPTEN__
    return 1;                   /* WebGL2 was asked for: emscripten fails otherwise */
#else
    return epoxy_gl_version() >= 33;
#endif
}

static int fail(glctx *c, int status, const char *why)
{
    snprintf(c->why, sizeof c->why, "%s", why);
    glctx_close(c);
    return status;
}

/* With DISPLAY set and no Wayland named, the X server is the one meant: asked for alone,
   an X server that does not answer is said so in SDL's one line, instead of SDL going on
   to try Wayland (whose library prints its own complaint) and then a driver no one sees.
   Only a default: SDL_VIDEODRIVER in the environment still decides. */
static void prefer_x11(void)
{
    const char *x = SDL_getenv("DISPLAY"), *wl = SDL_getenv("WAYLAND_DISPLAY");
    if (!x || !*x || (wl && *wl)) return;
    for (int i = 0; i < SDL_GetNumVideoDrivers(); i++)
        if (strcmp(SDL_GetVideoDriver(i), "x11") == 0) {
            SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "x11", SDL_HINT_DEFAULT);
            return;
        }
}

/* Whether the video driver SDL settled on shows windows to someone. When no display
   answers (DISPLAY unset or unreachable, no Wayland), SDL falls back by itself to its
   offscreen or dummy driver, and a window would run there unseen, forever; those are
   fine only where the user asked for them by SDL_VIDEODRIVER (tests, benchmarks). */
static int shows_on_screen(glctx *c)
{
    const char *drv = SDL_GetCurrentVideoDriver();
    if (!drv || (strcmp(drv, "offscreen") != 0 && strcmp(drv, "dummy") != 0)) return 1;
    const char *asked = SDL_GetHint(SDL_HINT_VIDEODRIVER);
    if (asked && strstr(asked, drv)) return 1;
    const char *x = SDL_getenv("DISPLAY"), *wl = SDL_getenv("WAYLAND_DISPLAY");
    snprintf(c->why, sizeof c->why, "no display answered (DISPLAY=%s, WAYLAND_DISPLAY=%s) and SDL fell back "
             "to its %s driver, where no one would see the window", x && *x ? x : "unset",
             wl && *wl ? wl : "unset", drv);
    return 0;
}

int glctx_open(glctx *c, const glctx_desc *d)
{
    memset(c, 0, sizeof *c);
    /* an offscreen figure never needs a display: SDL's offscreen driver draws through EGL */
    if (d->offscreen) SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "offscreen", SDL_HINT_OVERRIDE);
    else prefer_x11();
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(c->why, sizeof c->why, "%s", SDL_GetError());
        return GLCTX_NO_VIDEO;
    }
    if (!d->offscreen && !shows_on_screen(c)) {
        SDL_Quit();
        return GLCTX_NO_VIDEO;
    }
#ifdef __EMSCRIPTEN__
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_ES);   /* WebGL2 */
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
#else
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
#endif
    c->w = d->w > 0 ? d->w : 16;
    c->h = d->h > 0 ? d->h : 16;
    const char *title = d->title ? d->title : "optiscape";
    if (d->offscreen) {
        c->win = SDL_CreateWindow(title, 0, 0, c->w, c->h, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN | d->window_flags);
    } else {
        SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
        SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
        SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
        SDL_Rect ub;
        if (d->fit_screen && SDL_GetDisplayUsableBounds(0, &ub) == 0 && ub.w > 0 && ub.h > 0) {
            /* room for the title bar and the task bar */
            int mw = (int)(ub.w * 0.96), mh = (int)(ub.h * 0.92);
            if (c->w > mw) c->w = mw;
            if (c->h > mh) c->h = mh;
        }
        c->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, c->w, c->h,
                                  SDL_WINDOW_OPENGL | d->window_flags);
    }
    if (!c->win) return fail(c, GLCTX_NO_WINDOW, SDL_GetError());
    c->ctx = SDL_GL_CreateContext(c->win);
    if (!c->ctx) return fail(c, GLCTX_NO_GL, SDL_GetError());
    if (!gl_recent_enough()) return fail(c, GLCTX_NO_GL, "the context is older than 3.3");
    SDL_GL_MakeCurrent(c->win, c->ctx);
#ifndef __EMSCRIPTEN__   /* the browser paces the page's frames itself */
    if (!d->offscreen) {
        if (d->vsync)   /* adaptive vsync where the driver has it, then plain vsync, else a timer */
            c->vsync = SDL_GL_SetSwapInterval(-1) == 0 || SDL_GL_SetSwapInterval(1) == 0;
        else
            SDL_GL_SetSwapInterval(0);
    }
#endif
    return GLCTX_OK;
}

void glctx_close(glctx *c)
{
    int started = c->win || c->ctx;
    if (c->ctx) SDL_GL_DeleteContext(c->ctx);
    if (c->win) SDL_DestroyWindow(c->win);
    if (started) SDL_Quit();
    memset(c, 0, sizeof *c);
}
