/* contour: iso-lines of a sampled field by marching squares, joined into maximal
 * polylines (what the SVG export draws where the window's shader draws its lines). */
#ifndef OPTISCAPE_CONTOUR_H
#define OPTISCAPE_CONTOUR_H

/* One joined polyline: n points xy[2n] (x, y interleaved) in grid-index coordinates
 * (x in 0..w-1, y in 0..h-1, sample (i, j) at (i, j)). closed = 1 for a loop, whose
 * last point joins the first (the first point is not repeated). An open line ends
 * at the grid's border or next to a non-finite sample. xy is valid during the call. */
typedef void (*contour_emit)(void *ctx, const double *xy, int n, int closed);

/* The iso-lines v = level of the w x h samples v[j * w + i] (row 0 at the bottom,
 * y growing upward). Samples >= level count as above. Crossings are interpolated
 * linearly along cell edges; a saddle cell (diagonal corners on the same side) is
 * resolved by the average of its corners; a cell with a non-finite corner has no
 * lines. Time and memory O(w h). Returns the number of polylines emitted (0 for a
 * grid smaller than 2 x 2 or a non-finite level), or -1 when out of memory (or the
 * grid is too large to index), in which case nothing was emitted. */
int contour_lines(const float *v, int w, int h, double level, contour_emit emit, void *ctx);

#endif
