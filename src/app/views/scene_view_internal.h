/* scene_view_internal: what the files of the scene view (scene_view.c: the field,
 * the minibatch's contours, the explained step and the order of drawing;
 * scene_view_marks.c, scene_view_text.c, scene_view_chart.c) call of each other.
 * Not for other modules: scene_view.h is the view's interface. */
#ifndef OPTISCAPE_SCENE_VIEW_INTERNAL_H
#define OPTISCAPE_SCENE_VIEW_INTERNAL_H

#include "app/views/scene_view.h"

/* scene_view_marks.c: over the field, in the order scene_draw calls them */
void scene_draw_ghosts(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);
void scene_draw_trails(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);
void scene_draw_crit(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);
void scene_draw_start(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);
void scene_draw_runner_marks(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);
void scene_draw_offview(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);
void scene_draw_crit_labels(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);
/* Eigenvector arrows at a pixel: positive curvature pointing in, negative out,
 * length by |lambda| up to maxlen (the saddles, and the hover's point). */
void scene_eigen_arrows(gfx *g, float cx, float cy, const double l[2], double v[2][2], float maxlen,
                        float scale, int label_out, const scene_theme *th);
/* The area two rectangles x, y, w, h share (0 when apart). */
float scene_rect_overlap(const float a[4], const float b[4]);

/* scene_view_text.c: the boxes of text */
void scene_draw_box(gfx *g, float x, float y, float w, float h, float scale, const scene_theme *th);
void scene_draw_hover(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);
void scene_draw_legend(gfx *g, const live *L, const scene_view *sv, const scene_field *sf,
                       const scene_theme *th);
void scene_draw_caption_box(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);

/* scene_view_chart.c: the loss chart and the rewind strip */
void scene_draw_chart(gfx *g, const live *L, const scene_view *sv, const scene_theme *th);

#endif
