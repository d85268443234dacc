/* svg: a live scene as a vector SVG figure, the picture scene_draw gives the window:
 * the colour field as one embedded PNG layer at the field's resolution, iso-lines
 * (marching squares on the same field, at the shader's levels and colours), trails,
 * critical points with the saddles' eigenvector arrows, the start, the particles and
 * the legend, all as paths and text grouped by id (iso, trails, critical, start,
 * runners, legend). Needs no GL context. */
#ifndef OPTISCAPE_SVG_H
#define OPTISCAPE_SVG_H

#include <stddef.h>
#include <stdio.h>

#include "scene/field_worker.h"
#include "scene/live.h"
#include "app/views/netlab_view.h"
#include "app/views/scene_view.h"

/* Write the scene L as seen by sv (canvas sv->w x sv->h, world sv->view, marks by
 * sv->scale; sv->x, sv->y are the canvas origin and come out as 0, 0) to f. fr is the
 * field over (at least) the view; NULL draws no field. transparent: no colour field
 * and no background, iso-lines and marks only. The critical points are L's (fr's when
 * L has none). 0, or -1 with a message (a failed write, out of memory). */
int svg_write_scene(FILE *f, const live *L, const field_result *fr, const scene_view *sv,
                    int transparent, char *err, size_t errlen);

/* The network lab's view v of lab (netlab_view_draw's picture, v's area in a w x h
 * canvas over a bg background) as SVG: vectors, text measured as the window does, the
 * boundary and slice pictures as embedded PNG images. title and desc go into the
 * document's title and desc. 0, or -1 with a message. */
int svg_write_netlab(FILE *f, const netlab *lab, const netlab_view *v, int w, int h, uint32_t bg, const char *title,
                     const char *desc, char *err, size_t errlen);

#endif
