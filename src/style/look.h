/* look: how the marks over the field look, written once for the window and the 3D
 * view (scene_view, view3d: gfx, in float) and the SVG figure (svg.c, in double):
 * sizes in pixels at scale 1 (every size is multiplied by the view's scale), colours
 * 0xRRGGBBAA. The themed colours (halo, start, text) are scene_theme's.
 *
 * Each back end keeps its own arithmetic, so the sizes are short decimals, and the
 * window takes them through LOOK_F: the float nearest to such a decimal is the same
 * whether it is written 2.2f or rounded from the double 2.2, so LOOK_F(LOOK_TRAIL_W)
 * is exactly the 2.2f the window always drew with, and the SVG's 2.2 is its 2.2. */
#ifndef OPTISCAPE_STYLE_LOOK_H
#define OPTISCAPE_STYLE_LOOK_H

#include <stdint.h>

#define LOOK_F(x) ((float)(x))

/* the dark outline of markers over the field */
#define LOOK_OUTLINE 0x111111ffu

/* a runner: a dot with an outline; a ring around the selected one when there are
   several; a cross when it diverged (outlined in the theme's halo) */
#define LOOK_RUNNER_R 6.5
#define LOOK_RUNNER_OW 1.6
#define LOOK_SELECTED_R 11.0
#define LOOK_DIVERGED_R 9.0
#define LOOK_DIVERGED_OW 1.5

/* trails: the runner's colour over a wider halo */
#define LOOK_TRAIL_HALO_W 4.5
#define LOOK_TRAIL_W 2.2

/* the runner's gradient (white) and update (its colour) arrows, REACH x R px long,
   each over a halo */
#define LOOK_RUNNER_ARROW_REACH 1.6
#define LOOK_RUNNER_ARROW_R 24.0
#define LOOK_RUNNER_ARROW_W 2.0
#define LOOK_RUNNER_ARROW_HEAD 9.0
#define LOOK_RUNNER_ARROW_HALO_W 4.2
#define LOOK_RUNNER_ARROW_HALO_HEAD 10.0
#define LOOK_GRADIENT 0xffffffffu

/* a runner outside the canvas: an arrow at the edge towards it, and a small mark */
#define LOOK_AWAY_W 3.0
#define LOOK_AWAY_HEAD 11.0
#define LOOK_AWAY_HALO_W 5.5
#define LOOK_AWAY_HALO_HEAD 13.0
#define LOOK_AWAY_MARK_R 4.0
#define LOOK_AWAY_MARK_OW 1.2

/* the start: a star */
#define LOOK_START_R 9.0
#define LOOK_START_OW 1.4

/* critical points: a marker by kind (its shape, size factor and fill are
   scene_crit_look's), drawn while within this margin of the canvas */
#define LOOK_CRIT_R 6.5
#define LOOK_CRIT_OW 1.6
#define LOOK_CRIT_MARGIN 20
#define LOOK_CRIT_MIN_FILL 0xffffffffu
#define LOOK_CRIT_MAX_FILL 0xff5a36ffu
#define LOOK_CRIT_SADDLE_FILL 0xffd23fffu
#define LOOK_CRIT_OTHER_FILL 0xb0b0b0ffu

/* a saddle's (or any point's) eigenvector arrows: negative curvature pointing out
   (the way off a saddle, "way out"), positive pointing in, length by |lambda| up
   to EIG_LEN, at least EIG_MIN; an inward arrow stops at EIG_IN_END of its length
   from the point; each over a halo wider by EIG_HALO_W, its head longer by
   EIG_HALO_HEAD */
#define LOOK_EIG_OUT 0xff5a36ffu
#define LOOK_EIG_IN 0x3fa7ffffu
#define LOOK_EIG_LEN 46.0
#define LOOK_EIG_MIN 10.0
#define LOOK_EIG_W 2.2
#define LOOK_EIG_HEAD 8.0
#define LOOK_EIG_HALO_W 2.5
#define LOOK_EIG_HALO_HEAD 2.0
#define LOOK_EIG_IN_END 0.15
#define LOOK_WAY_OUT_PX 12.0   /* the "way out" label's text size */
#define LOOK_WAY_OUT_AT 1.08   /* ... placed at this multiple of the arrow */

/* a legend's entry for a runner: a small dot */
#define LOOK_LEGEND_DOT_R 5.0
#define LOOK_LEGEND_DOT_OW 1.2
#define LOOK_LEGEND_CROSS_R 6.0   /* ... a cross for a runner that diverged */

/* The eigenvector arrow's colour for curvature l. */
static inline uint32_t look_eig_color(double l) { return l < 0 ? LOOK_EIG_OUT : LOOK_EIG_IN; }

#endif
