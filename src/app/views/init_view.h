/* init_view: the initialization panel. Two log-scale charts side by side, the RMS of
 * a deep MLP's activations and of their gradients at every layer, one line per
 * weight-initialization scheme (core/initnorm), for the lecture's point: with the
 * wrong variance both vanish or explode exponentially in depth, with Kaiming's 2/n
 * (relu) they stay put. Drawn by the window (an overlay) and by `optiscape init --png`
 * through the one drawing function here. */
#ifndef OPTISCAPE_INIT_VIEW_H
#define OPTISCAPE_INIT_VIEW_H

#include <stdint.h>

#include "core/initnorm.h"
#include "scene/init_stats.h"
#include "render/gfx.h"
#include "app/views/scene_view.h"

/* The panel shows scene/init_stats; these are its names as the window and
 * `optiscape init` know them. */
typedef init_stats_result init_view_result;
typedef init_stats init_view;

static inline void init_view_free(init_view *iv) { init_stats_free(iv); }
static inline int init_view_set(init_view *iv, initnorm_act act, int width, uint64_t seed)
{
    return init_stats_set(iv, act, width, seed);
}
static inline int init_view_compute(init_view *iv, const initnorm_cfg *cfg, unsigned schemes)
{
    return init_stats_compute(iv, cfg, schemes);
}
static inline const init_view_result *init_view_current(const init_view *iv)
{
    return init_stats_current(iv);
}

/* Draw the panel into the pixel rectangle (x, y, w, h): a box with a title, the two
 * charts and the legend. scale: size of text and lines (1 at 96 dpi). */
void init_view_draw(gfx *g, const init_view *iv, float x, float y, float w, float h, float scale,
                    const scene_theme *th);

#endif
