/* svg_internal: what the files of the SVG writer (svg.c: the output, the text and
 * its measurement, the colour field, the iso-lines and the document; svg_marks.c:
 * the shapes, trails, critical points, runners and the legend) call of each other.
 * Not for other modules: svg.h is the writer's interface. */
#ifndef OPTISCAPE_SVG_INTERNAL_H
#define OPTISCAPE_SVG_INTERNAL_H

#include <SDL_ttf.h>
#include <stdint.h>
#include <stdio.h>

#include "app/export/svg.h"
#include "render/gfx.h"

/* svg.c: the output; failed once a write failed */
typedef struct svg_out {
    FILE *f;
    int failed;
} svg_out;

void svg_put(svg_out *o, const char *fmt, ...);
/* A coordinate with two decimals, without trailing zeros ("12.5", "-3", "0"). */
void svg_num(svg_out *o, double v);
void svg_pt(svg_out *o, double x, double y);
/* ' fill="#rrggbb"' and ' fill-opacity="a"' where the colour is not opaque. */
void svg_paint(svg_out *o, const char *what, uint32_t rgba);
/* Text content or attribute value, XML-escaped (valid UTF-8, no control characters). */
void svg_text(svg_out *o, const char *s);

/* svg.c: text measured with the embedded font (the window's metrics) */
typedef struct svg_metrics {
    TTF_Font *font;
    int size;
} svg_metrics;

/* The embedded font at hand (without it, DejaVu Sans's proportions); closed with
 * svg_metrics_close. */
void svg_metrics_open(svg_metrics *m);
void svg_metrics_close(svg_metrics *m);
float svg_line_height(svg_metrics *m, float px);
float svg_text_width(svg_metrics *m, const char *s, float px);
/* A text element whose line box has its top left at (x, y) as gfx_text draws it.
 * anchor_end: x is the right end. */
void svg_text_at(svg_out *o, svg_metrics *m, float x, float y, const char *s, float px, uint32_t rgba,
                 int anchor_end, const char *cls);
/* rgb (w x h, rows top to bottom) as an embedded PNG image element over the box
 * (x, y, dw, dh); attrs go into the element. 0, or -1 out of memory. */
int svg_image_rgb(svg_out *o, const unsigned char *rgb, int w, int h, double x, double y, double dw, double dh,
                  const char *attrs);
/* World to canvas pixels (the canvas origin at 0, 0). */
void svg_to_px(const scene_view *sv, double x, double y, double *px, double *py);

/* svg_marks.c: a marker of radius r at (cx, cy) as gfx_marker draws it (the outline
 * of width ow inside the edge) */
void svg_marker(svg_out *o, gfx_shape shape, double cx, double cy, double r, uint32_t fill, uint32_t outline,
                double ow, const char *cls);

/* svg_marks.c: over the field and its iso-lines, in the order svg_write_scene calls
 * them */
void svg_write_trails(svg_out *o, const live *L, const scene_view *sv, const scene_theme *th);
void svg_write_crit(svg_out *o, svg_metrics *mt, const live *L, const field_result *fr, const scene_view *sv,
                    const scene_theme *th);
void svg_write_runners(svg_out *o, const live *L, const scene_view *sv, const scene_theme *th);
void svg_write_legend(svg_out *o, svg_metrics *mt, const live *L, const scene_view *sv, const scene_theme *th,
                      int undefined);
/* The cross-section (scene_section_shown): its segment and ends (over 0: under the
 * critical points), or the minima along it and its plot (over 1: above everything,
 * clear of the legend) */
void svg_write_section(svg_out *o, svg_metrics *mt, const live *L, const scene_view *sv, const scene_theme *th,
                       int over);
/* A runner's legend line: its hyperparameters, and where it diverged. */
void svg_row_label(const runner *r, char *buf, size_t len);

#endif
