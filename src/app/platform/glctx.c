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

int glctx_open(glctx *c, const glctx_desc *d)
{
    memset(c, 0, sizeof *c);
    /* an offscreen figure never needs a display: SDL's offscreen driver draws through EGL */
    if (d->offscreen) SDL_SetHintWithPriority(SDL_HINT_VIDEODRIVER, "offscreen", SDL_HINT_OVERRIDE);
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(c->why, sizeof c->why, "%s", SDL_GetError());
        return GLCTX_NO_VIDEO;
    }
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, SDL_GL_CONTEXT_FORWARD_COMPATIBLE_FLAG);
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
    if (!d->offscreen) {
        if (d->vsync)   /* adaptive vsync where the driver has it, then plain vsync, else a timer */
            c->vsync = SDL_GL_SetSwapInterval(-1) == 0 || SDL_GL_SetSwapInterval(1) == 0;
        else
            SDL_GL_SetSwapInterval(0);
    }
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
