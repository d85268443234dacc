/* ui_draw: see ui_draw.h. */
#include "render/ui_draw.h"

void gfx_draw_ui(gfx *g, const ui_cmd *c, int n)
{
    for (int i = 0; i < n; i++) {
        switch (c[i].type) {
        case UI_CMD_CLIP: gfx_clip(g, c[i].r.x, c[i].r.y, c[i].r.w, c[i].r.h); break;
        case UI_CMD_RECT: gfx_rect(g, c[i].r.x, c[i].r.y, c[i].r.w, c[i].r.h, c[i].radius, c[i].color); break;
        case UI_CMD_BOX:
            gfx_rect_outline(g, c[i].r.x, c[i].r.y, c[i].r.w, c[i].r.h, c[i].radius, c[i].width, c[i].color);
            break;
        case UI_CMD_TEXT: gfx_text(g, c[i].r.x, c[i].r.y, c[i].text, c[i].len, c[i].px, c[i].color); break;
        }
    }
    gfx_clip(g, 0, 0, -1, -1);
}
