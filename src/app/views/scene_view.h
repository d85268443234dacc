/* scene_view: draws a live scene onto a canvas rectangle: the field with its
 * iso-lines, critical points and saddle eigenvectors, trails, particles, arrows,
 * ghost paths, the hover read-out, the legend and the loss chart. The window and
 * `render` draw through this one function, so a figure is the window's picture. */
#ifndef OPTISCAPE_SCENE_VIEW_H
#define OPTISCAPE_SCENE_VIEW_H

#include "scene/field_worker.h"
#include "scene/live.h"
#include "render/gfx.h"

/* What of the field is on the GPU now (the last field_result uploaded). */
typedef struct scene_field {
    int valid;
    double view[4];
    float vmin, vmax;
    double offset;
    int has_lmax;
    int has_nan;            /* some sample is not a number: drawn as undefined, with a legend entry */
    unsigned gen;
} scene_field;

/* Upload a worker result and remember what it covers. */
void scene_field_upload(gfx *g, scene_field *sf, const field_result *r);

typedef struct scene_theme {
    uint32_t bg, text, text_dim, box, box_edge, halo, start, grid;
} scene_theme;

scene_theme scene_theme_of(const live *L);

/* What the view keeps from one frame to the next, so a frame that shows what the
 * last one did does not recompute it (the minibatch's iso-lines, the learning
 * rate's schedule, the 3D surface's heights). One per window, figure or render
 * job, so two of them in one process never see each other's. */
typedef struct scene_view_cache scene_view_cache;
scene_view_cache *scene_view_cache_new(void);     /* NULL when out of memory */
void scene_view_cache_free(scene_view_cache *c);  /* NULL: nothing */

typedef struct scene_view {
    float x, y, w, h;       /* canvas, framebuffer pixels */
    float scale;            /* size of text and marks (HiDPI x user zoom) */
    double view[4];         /* world rectangle of the canvas */
    int hover;              /* draw the read-out at (hx, hy) */
    double hx, hy;
    int dragging_start;
    int transparent;        /* no colour map, no background: iso-lines and marks only */
    int no_caption;         /* the caption left out (drawn later, over a view on top:
                               scene_draw_caption) */
    int figure;             /* a figure (render): no interactive-only controls (the
                               timeline's rewind strip) */
    int scrubbing;          /* the timeline is being dragged: no hover read-out */
    /* drawn over the field and under the paths and marks (the window's swarm) */
    void (*under)(gfx *g, const struct scene_view *sv, void *user);
    void *under_user;
    scene_view_cache *cache;   /* the caller's (scene_view_cache_new): scene_draw, the
                                  overlays and the 3D view draw only with one */
} scene_view;

/* World to canvas pixels, in double until the end. */
void scene_to_px(const scene_view *sv, double x, double y, float *px, float *py);
void scene_from_px(const scene_view *sv, float px, float py, double *x, double *y);

void scene_draw(gfx *g, const live *L, const scene_field *sf, const scene_view *sv);
/* Whether the field must carry the Hessian's largest eigenvalue (lmax) for what the
 * scene shows (the stability shading): the window and render ask the field worker
 * for it through this one rule, so a figure shades what the window shades. */
int scene_wants_lmax(const live *L);
/* The runner whose overlays are drawn (its minibatch iso-lines, its stability
 * region): the selected one; -1 when there is none. */
int scene_overlay_runner(const live *L);
/* How a critical point of kind (crit_kind) is marked, in the window and the SVG: a
 * circle for a minimum, a triangle for a maximum, a diamond for a saddle, a square
 * otherwise; size times LOOK_CRIT_R (style/look.h), and the SVG's class. */
typedef struct scene_crit_look {
    gfx_shape shape;
    double size;
    uint32_t fill;
    const char *cls;
} scene_crit_look;
scene_crit_look scene_crit_look_of(int kind);
/* That marker at a pixel. */
void scene_crit_marker(gfx *g, int kind, float px, float py, float scale);
/* Where runner k is marked: its point, NULL when it is hidden or has none yet. */
const double *scene_runner_shown(const live *L, int k);
/* Where a runner drawn at pixel (px, py) outside the canvas is pointed at: an arrow
 * from (out[0], out[1]) to its tip (out[2], out[3]) just inside the canvas edge,
 * on the line from the canvas centre to the runner. 0 when (px, py) is inside
 * (nothing to point at). */
int scene_offview_arrow(const scene_view *sv, double px, double py, float out[4]);

/* The lesson's caption box (title and caption, wrapped to the canvas) where
 * scene_draw puts it; 0 when there is none. A view drawn over the canvas (basins,
 * initialization) keeps clear of it, and draws it on top with scene_draw_caption. */
int scene_caption_rect(gfx *g, const live *L, const scene_view *sv, float out[4]);
void scene_draw_caption(gfx *g, const live *L, const scene_view *sv);

/* The legend, the loss chart with its timeline and the caption alone: what any
 * picture of the landscape has over it (the 3D view draws them too). */
void scene_draw_overlays(gfx *g, const live *L, const scene_view *sv);

/* Where the hover read-out's box goes for the pointer at (hx, hy): beside the
 * pointer, on the side that keeps it inside the canvas and off the caption, the
 * legend and the chart (and off critical points where it can); 0 when no
 * read-out is drawn (hover off, the pointer over one of those boxes, the timeline
 * being dragged). */
int scene_hover_rect(gfx *g, const live *L, const scene_view *sv, float out[4]);

/* The live hyperparameters of a runner as one line ("adam  lr=0.05 β1=0.9 ..."). */
void scene_runner_label(const runner *r, char *buf, size_t len);

/* The legend's box as scene_draw draws it (its rows wrapped to the canvas; sf may
 * be NULL: no undefined-loss row); 0 when the legend is off. For fit view, which
 * keeps critical points clear of it. */
int scene_legend_rect(gfx *g, const live *L, const scene_view *sv, const scene_field *sf, float out[4]);

/* Whether the loss chart is drawn: chart on, and in class mode only when asked for
 * there (live_display.class_chart). */
int scene_chart_shown(const live *L);

/* Pixel rectangle of the loss chart (so the window can keep clicks off it). */
void scene_chart_rect(const scene_view *sv, float out[4]);

/* Whether the cross-section (live_section) is drawn: the tool on and a segment
 * drawn. Its plot's box, clear of the legend, the caption and the chart where the
 * canvas has room (sf may be NULL, as for scene_legend_rect). */
int scene_section_shown(const live *L);
void scene_section_rect(gfx *g, const live *L, const scene_view *sv, const scene_field *sf, float out[4]);

/* The rewind strip under the chart (0 when it is not shown) and the step under x. */
int scene_timeline_rect(const live *L, const scene_view *sv, float out[4]);
long scene_timeline_step(const live *L, const scene_view *sv, float x);

/* s wrapped at spaces into lines no wider than w at px: the lines' starts and
 * lengths (at most room of them); how many. A word wider than w keeps a line of
 * its own. The captions, the legend and the basin maps' titles wrap with it. */
int scene_wrap(gfx *g, const char *s, float px, float w, int *start, int *len, int room);

#endif
