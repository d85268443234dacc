/* basin_view: basin maps of every runner of a scene, side by side: each start of a
 * grid over the view coloured by the minimum the runner's optimizer reaches from
 * it in K steps (grey: diverged, or at no minimum), with faint iso-lines of the
 * loss and the minima marked and numbered. Computed by scene/basin_job (on the
 * window's background worker, or at once for `optiscape basins`); drawn by the
 * window (an overlay, B) and by `optiscape basins` (a PNG) through the one drawing
 * function here. */
#ifndef OPTISCAPE_BASIN_VIEW_H
#define OPTISCAPE_BASIN_VIEW_H

#include "scene/basin_job.h"
#include "scene/live.h"
#include "render/gfx.h"
#include "app/views/scene_view.h"

/* Fill a request from the live scene (every runner, visible or not, in order). */
void basin_request_from_live(basin_request *rq, const live *L, const double view[4], int nx, int ny,
                             int steps);

/* The colour of class c (a minimum's index, BASIN_DIVERGED or BASIN_NONE). */
uint32_t basin_set_color(const basin_set *b, int c);

/* The whole picture in the pixel rectangle (x, y, w, h): a title, the panels in the
 * arrangement that makes them largest, and a legend of the minima. */
void basin_set_draw(gfx *g, const basin_set *b, float x, float y, float w, float h, float scale,
                    const scene_theme *th);

#endif
