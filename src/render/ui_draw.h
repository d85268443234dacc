/* ui_draw: the ui's draw commands (rects, outlines, text, clips) drawn with gfx.
 * The ui knows nothing of GL; this is where its command list meets the renderer. */
#ifndef OPTISCAPE_RENDER_UI_DRAW_H
#define OPTISCAPE_RENDER_UI_DRAW_H

#include "render/gfx.h"
#include "ui/ui.h"

/* Draws the n commands c in order, then clears the clip. */
void gfx_draw_ui(gfx *g, const ui_cmd *c, int n);

#endif
