/* scene_view_internal: what the files of the scene view (scene_view.c: the field,
 * the minibatch's contours, the explained step and the order of drawing;
 * scene_view_marks.c, scene_view_text.c, scene_view_chart.c) call of each other,
 * and the view's cache, whose heights of the surface view3d.c keeps too. Not for
 * other modules: scene_view.h is the view's interface. */
#ifndef OPTISCAPE_SCENE_VIEW_INTERNAL_H
#define OPTISCAPE_SCENE_VIEW_INTERNAL_H

#include "app/views/scene_view.h"

#include <stdint.h>

#include "core/sched.h"
#include "scene/section.h"

/* scene_view.c: the minibatch's iso-lines on a SCENE_BATCH_GW x _GH grid, kept in
 * world coordinates for the batch, runner, landscape and view they were made for */
enum { SCENE_BATCH_GW = 160, SCENE_BATCH_GH = 100, SCENE_BATCH_MAXPTS = 60000, SCENE_BATCH_MAXLINES = 2000 };
typedef struct scene_batch_cache {
    long step;
    int runner;
    unsigned gen;
    uint64_t batch;
    double view[4];
    int n, nl;
    double *xy;      /* SCENE_BATCH_MAXPTS points */
    int *len;        /* SCENE_BATCH_MAXLINES lines */
    double mx, my;   /* the batch's minimum */
    float pts[2 * SCENE_BATCH_MAXPTS];   /* a line in pixels, while it is drawn */
    char src[1 << 16];                   /* the batch's expression */
    float grid[SCENE_BATCH_GW * SCENE_BATCH_GH];
} scene_batch_cache;

/* scene_view_chart.c: the learning rate at SCENE_LR_NP steps up to smax, for the
 * schedule, rate and length it was walked for */
enum { SCENE_LR_NP = 200 };
typedef struct scene_lr_cache {
    sched_desc d;
    double lr0;
    long smax;
    double lrs[SCENE_LR_NP], lmax;
    int valid;
} scene_lr_cache;

/* view3d.c: the surface's height (t) at the mesh's vertices, for the field and view
 * it was sampled from */
typedef struct view3d_vcache {
    float *t;
    int n, fw, fh;
    double view[4], fview[4];
    float vmin, vmax;
    const float *data;
    unsigned gen;
} view3d_vcache;

struct scene_view_cache {
    scene_batch_cache batch;
    scene_lr_cache lr;
    view3d_vcache v3d;
};

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

/* scene_view_chart.c: the cross-section's plot (scene_section_shown); its numbers
 * for the segment as the canvas shows it (a critical point within SECTION_CROSS_PX
 * pixels of the segment is crossed) */
void scene_section_info(const live *L, const scene_view *sv, section_info *s);
void scene_draw_section_plot(gfx *g, const live *L, const scene_view *sv, const scene_field *sf,
                             const scene_theme *th);
/* scene_view_marks.c: the segment on the map and its ends A and B (rings 0: under
 * the critical points), or the minima along it (rings 1: over them) */
void scene_draw_section_line(gfx *g, const live *L, const scene_view *sv, const scene_theme *th, int rings);
/* An end's letter (A, B) on a small box of its own at (cx, cy), readable over any colour. */
void scene_section_end_label(gfx *g, const char *s, float cx, float cy, float scale, const scene_theme *th);

#endif
