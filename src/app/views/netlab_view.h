/* netlab_view: the network lab drawn with gfx (or a pen: an SVG), dark or
 * light for figures: the data with the model's decision boundary (classification) or
 * fitted curve (regression), train points filled and test points as rings; the
 * loss on the slice plane with the projected path and its distance from the
 * plane; the chart of train and test loss, accuracy and gradient norm against
 * updates, epochs or simulated seconds; the Hessian spectrum's histogram with the
 * negative eigenvalues in the saddle colour and the minimum ratio, or the seeds'
 * scatter of training loss against minimum ratio (netseeds). */
#ifndef OPTISCAPE_NETLAB_VIEW_H
#define OPTISCAPE_NETLAB_VIEW_H

#include "render/gfx.h"
#include "scene/netlab.h"

typedef enum netlab_xaxis { NETLAB_X_UPDATES, NETLAB_X_EPOCHS, NETLAB_X_SECONDS, NETLAB_X_COUNT } netlab_xaxis;

const char *netlab_xaxis_name(netlab_xaxis x);

/* The two CPU-made images (the boundary, the slice map) kept from one frame to the
   next while what they show is unchanged. One per window; NULL: none. */
typedef struct netlab_view_cache netlab_view_cache;
netlab_view_cache *netlab_view_cache_new(void);
void netlab_view_cache_free(netlab_view_cache *c);

typedef struct netlab_view {
    float x, y, w, h;        /* the area, framebuffer pixels */
    float scale;             /* text and marks (HiDPI x user zoom); 0: from the area */
    int light;               /* 1: dark ink on white (figures) */
    netlab_xaxis xaxis;
    const char *title;       /* a line over the panels, or NULL */
    netlab_view_cache *cache;  /* NULL: the images made every time */
    /* labs compared with this one in the chart (their train and test loss), and the
       names of all (labels[0]: this one's; NULL or "": the optimizer's spec) */
    const netlab *const *more;
    int nmore;
    const char *const *labels;
    /* note 000's experiment: when set, its scatter (training loss against minimum
       ratio, a point per seed, the lab's own point ringed) takes the spectrum's place */
    const struct netseeds *seeds;
} netlab_view;
#define NETLAB_VIEW_MAX_MORE 3

/* What the view draws with: gfx's primitives (netlab_view_draw: the window, the PNG)
   or another writer's (an SVG, app/export/netsvg.c). Coordinates are pixels with the
   top left at 0, 0; the arguments mean what gfx.h says of gfx_clip (w < 0: no clip),
   gfx_rect, gfx_rect_outline, gfx_line, gfx_polyline (one colour), gfx_marker,
   gfx_image (premultiplied RGBA, opaque here), gfx_text (the whole string, (x, y) the
   line box's top left), gfx_text_width and gfx_line_height. */
typedef struct netlab_pen {
    void *user;
    void (*clip)(void *user, float x, float y, float w, float h);
    void (*rect)(void *user, float x, float y, float w, float h, float radius, uint32_t rgba);
    void (*rect_outline)(void *user, float x, float y, float w, float h, float radius, float width, uint32_t rgba);
    void (*line)(void *user, float x0, float y0, float x1, float y1, float width, uint32_t rgba);
    void (*polyline)(void *user, const float *xy, int n, float width, uint32_t rgba);
    void (*marker)(void *user, gfx_shape shape, float cx, float cy, float r, uint32_t fill, uint32_t outline,
                   float ow);
    void (*image)(void *user, const unsigned char *rgba, int w, int h, int x, int y);
    void (*text)(void *user, float x, float y, const char *s, float px, uint32_t rgba);
    float (*text_width)(void *user, const char *s, float px);
    float (*line_height)(void *user, float px);
} netlab_pen;

/* The four panels in a 2 x 2 layout over v's area, drawn with gfx. */
void netlab_view_draw(gfx *g, const netlab *lab, const netlab_view *v);
/* The same picture drawn with pen (v->cache: its images are pen->image'd too). */
void netlab_view_draw_pen(const netlab_pen *pen, const netlab *lab, const netlab_view *v);

/* What a figure draws: the view's area is replaced by the picture's. */
typedef struct netlab_figure {
    netlab_view v;
    const netlab *lab;
} netlab_figure;
/* figure_draw_fn for figure_png: user is a netlab_figure. */
void netlab_view_figure(gfx *g, void *user, int w, int h);

#endif
