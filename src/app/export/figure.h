/* figure: one picture drawn offscreen (SDL's offscreen video driver and EGL, no
 * display) and saved as a PNG with the description and the command that made it in
 * tEXt chunks: what `optiscape init --png` and `optiscape basins --out` share
 * (`render`, which draws in tiles and bands, has its own loop in cmd_render.c). */
#ifndef OPTISCAPE_FIGURE_H
#define OPTISCAPE_FIGURE_H

#include <stddef.h>

#include "render/gfx.h"

/* Draws the whole w x h picture with g (the target is bound and begun). */
typedef void (*figure_draw_fn)(gfx *g, void *user, int w, int h);

/* Returns the exit status (0; 2 when path exists and force is 0; 1 when no GL can be
 * had, the picture is beyond the GL limits or the file cannot be written), having
 * said what went wrong as "optiscape CMD: ..." on stderr. */
int figure_png(const char *cmd, int w, int h, uint32_t background, figure_draw_fn draw, void *user,
               const char *desc, int argc, char **argv, const char *path, int force);

/* "optiscape CMD ARG ..." with arguments that need it in single quotes. */
void figure_command_line(char *buf, size_t len, const char *cmd, int argc, char **argv);

#endif
