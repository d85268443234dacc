/* glctx: the only code that creates an OpenGL context: a window on the screen for the
 * visualizer, or a hidden 16x16 window on SDL's offscreen driver (EGL, no display) for
 * render and figures: OpenGL 3.3 core, forward compatible; in the browser edition the
 * canvas's WebGL2 (OpenGL ES 3.0) context, paced by the browser (no swap interval).
 * A desc struct where zero means the default (sokol's way). */
#ifndef OPTISCAPE_APP_PLATFORM_GLCTX_H
#define OPTISCAPE_APP_PLATFORM_GLCTX_H

#include <SDL.h>

typedef struct glctx_desc {
    int offscreen;              /* 1: no display needed (SDL's offscreen driver) */
    int w, h;                   /* the window's size on screen; 0: 16x16 (offscreen) */
    const char *title;          /* 0: "optiscape" */
    unsigned window_flags;      /* more SDL_WINDOW_* flags (resizable, high-DPI, ...) */
    int vsync;                  /* 1: adaptive vsync if there is one, else vsync; 0: none */
    int fit_screen;             /* 1: shrink w, h to fit the usable area of the screen */
} glctx_desc;

/* what failed: each caller words its own advice (render can suggest SVG, the window
   xvfb-run), so the messages users know stay as they were */
enum { GLCTX_OK = 0, GLCTX_NO_VIDEO = -1, GLCTX_NO_WINDOW = -2, GLCTX_NO_GL = -3 };

typedef struct glctx {
    SDL_Window *win;
    SDL_GLContext ctx;
    int vsync;                  /* whether vsync could be had (desc.vsync asked for it) */
    int w, h;                   /* the size asked for, after fit_screen */
    char why[256];              /* on failure: SDL's error, or why the context will not do */
} glctx;

/* Starts SDL's video, opens the window and makes its context current: GLCTX_OK, or one
   of the GLCTX_NO_* with c->why set and nothing left open. */
int glctx_open(glctx *c, const glctx_desc *d);
/* Closes the context and the window and quits SDL; a zeroed glctx is fine. */
void glctx_close(glctx *c);

#endif
