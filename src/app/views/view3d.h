/* view3d: the 3D view of a live scene, the alternative to the contour map. The loss
 * is a lit surface (gfx_surface_draw) whose height is the colour map's log mapping,
 * so the valleys the colours show are valleys; an orbiting camera looks at it; the
 * runners' trails and particles, the start, the critical points and the saddles'
 * eigenvector arrows (following the surface) lie on it, projected and drawn with
 * the 2D primitives, faint where a ridge hides them; the legend, chart and caption
 * are the 2D view's. The window and `render --3d` draw through view3d_draw. */
#ifndef OPTISCAPE_VIEW3D_H
#define OPTISCAPE_VIEW3D_H

#include "scene/live.h"
#include "render/gfx.h"
#include "app/views/scene_view.h"

typedef struct cam3d {
    double yaw;          /* degrees around the vertical; 0 looks along +y */
    double pitch;        /* degrees above the plane, CAM3D_PITCH_MIN .. CAM3D_PITCH_MAX */
    double zoom;         /* 1: the surface fits the canvas; CAM3D_ZOOM_MIN .. CAM3D_ZOOM_MAX */
    double target[2];    /* where the camera looks, in box units (0, 0: the view's centre) */
    int draft;           /* being moved: drawn without multisampling, to keep up */
} cam3d;

#define CAM3D_PITCH_MIN 8.0
#define CAM3D_PITCH_MAX 89.0
#define CAM3D_ZOOM_MIN 0.3
#define CAM3D_ZOOM_MAX 12.0

void cam3d_defaults(cam3d *c);
/* A drag of (dx, dy) pixels: right turns the surface to the right, down tilts it
 * towards a view from above. */
void cam3d_orbit(cam3d *c, double dx, double dy);
/* factor > 1 moves closer. */
void cam3d_zoom(cam3d *c, double factor);
/* A drag of (dx, dy) pixels on the canvas sv: the surface follows the pointer. */
void cam3d_pan(cam3d *c, const scene_view *sv, double dx, double dy);
/* "YAW,PITCH" or "YAW,PITCH,ZOOM" (degrees, degrees, factor); -1 with a message. */
int cam3d_parse(const char *s, cam3d *c, char *err, size_t errlen);

/* One frame's projection: world (x, y) to box coordinates ((x - cx) / s, (y - cy) / s)
 * (the view's longer side spans -1 .. 1), mapped loss t in 0..1 to box z = t * height,
 * then the camera onto the canvas. */
typedef struct view3d_proj {
    double cx, cy, s, ax, ay;    /* the box is [-ax, ax] x [-ay, ay] */
    double height, floor_z;
    double eye[3], target[3];
    float mvp[16];               /* column-major, box -> clip */
    float rect[4];               /* the canvas */
} view3d_proj;

void view3d_projection(const cam3d *c, const scene_view *sv, view3d_proj *P);
/* Box coordinates to canvas pixels; 0 when the point is behind the camera. */
int view3d_project(const view3d_proj *P, const double b[3], float *px, float *py);

/* The pixel where the world point (x, y) on the surface is drawn, and whether the
 * surface hides it there (from the field last uploaded to g). 0 when it is not on
 * the surface (outside the view, no field, behind the camera). */
int view3d_locate(gfx *g, const scene_field *sf, const scene_view *sv, const cam3d *c, double x,
                  double y, float *px, float *py, int *hidden);
/* The world point of the surface under canvas pixel (px, py); 0 where the ray
 * through it misses the surface. */
int view3d_pick(gfx *g, const scene_field *sf, const scene_view *sv, const cam3d *c, float px, float py,
                double *x, double *y);

void view3d_draw(gfx *g, const live *L, const scene_field *sf, const scene_view *sv, const cam3d *c);

#endif
