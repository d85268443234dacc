/* net_view: figures of the network lab (figure_draw_fn's for figure_png). */
#ifndef OPTISCAPE_NET_VIEW_H
#define OPTISCAPE_NET_VIEW_H

#include "render/gfx.h"

/* One point (x, y) per seed: x the minimum ratio, y the training loss. */
typedef struct net_scatter {
    const double *x, *y;
    int n;
    char title[200];
} net_scatter;

/* The loss on an n x n grid over [-range, range]^2 (row j: b_j), and npath (a, b)
 * pairs of the training path. */
typedef struct net_slice_map {
    const double *grid, *path;
    int n, npath;
    double range;
    char title[200];
} net_slice_map;

/* n points x[i] (> 0) with two curves y[0][i] and y[1][i], one panel each (its title
 * and y axis name), on a log x axis named xlabel. */
typedef struct net_curves {
    const double *x, *y[2];
    int n;
    const char *panel[2], *ylabel[2], *xlabel;
} net_curves;

void net_view_scatter(gfx *g, void *user, int w, int h);
void net_view_curves(gfx *g, void *user, int w, int h);
void net_view_slice(gfx *g, void *user, int w, int h);

#endif
