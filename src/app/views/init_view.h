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
#include "render/gfx.h"
#include "app/views/scene_view.h"

/* The results of one configuration, kept per activation so that switching back and
 * forth between relu and tanh recomputes nothing. */
typedef struct init_view_result {
    int valid;
    initnorm_cfg cfg;             /* .scheme unused */
    unsigned schemes;             /* bit s: scheme s computed and shown */
    double *act_rms, *grad_rms;   /* INITNORM_SCHEME_COUNT x (cfg.layers + 1) */
    double seconds;               /* how long the computation took */
} init_view_result;

typedef struct init_view {
    initnorm_act act;             /* the one shown */
    init_view_result res[INITNORM_ACT_COUNT];
    int threads;                  /* 0: one per processor */
} init_view;

/* All zero is a valid empty view; init_view_free releases the results. */
void init_view_free(init_view *iv);

/* Show activation act on a network of width units per layer (0: 256) from seed,
 * with the other settings at their defaults (50 layers, batch 64, every scheme).
 * Computes only when this configuration's results are not cached (at width 256,
 * seven networks of 50 layers: about 0.15 s a network on one core, spread over the
 * processors). Returns 0, or -1 when out of memory (the view then shows a message). */
int init_view_set(init_view *iv, initnorm_act act, int width, uint64_t seed);

/* The same with every setting: cfg's layers, width, batch, act and seed (its scheme
 * is ignored), and the schemes as a bit mask (0: all). */
int init_view_compute(init_view *iv, const initnorm_cfg *cfg, unsigned schemes);

/* The shown results (NULL before the first set). */
const init_view_result *init_view_current(const init_view *iv);

/* Draw the panel into the pixel rectangle (x, y, w, h): a box with a title, the two
 * charts and the legend. scale: size of text and lines (1 at 96 dpi). */
void init_view_draw(gfx *g, const init_view *iv, float x, float y, float w, float h, float scale,
                    const scene_theme *th);

#endif
