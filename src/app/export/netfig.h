/* netfig: the network lab as a figure, without a window: what `render` of a scene
 * with [net] sections and `net train --out` share. The labs are made as the window
 * makes them of a scene (window/nets.c), trained to the figure's updates, and the
 * first one's plane, slice, spectrum and model outputs computed to completion, so
 * the picture shows what a window left running would settle on; the description
 * (a PNG's tEXt) carries each lab's final numbers to 17 digits. No GL. */
#ifndef OPTISCAPE_NETFIG_H
#define OPTISCAPE_NETFIG_H

#include <stddef.h>

#include "app/views/netlab_view.h"
#include "scene/netlab.h"
#include "scene/scenefile.h"

/* The updates every lab is trained to when the figure does not say: the largest
   pretrain of the scene's [net] sections (a scene the window saved opens where it
   was); where none has one, the largest steps (where the window's labs stop); else
   this. A lab whose own steps are fewer stops there, as in the window. */
#define NETFIG_DEFAULT_STEPS 200L

typedef struct netfig {
    netlab *lab[SCENE_MAX_NETS];   /* [0] the one shown; the others join its chart */
    int n;
    char label[SCENE_MAX_NETS][SCENE_LABEL_MAX + 1];
    const char *labels[SCENE_MAX_NETS];
    netlab_xaxis axis;
    struct netseeds *seeds;        /* the first [net]'s seeds = K: its scatter, all seeds done */
} netfig;

/* Up to steps updates (fewer where the lab's own steps stop it earlier); then, when
   settle, a new plane through the last point and everything its panels show
   computed to the end (the slice's fine grid, the spectrum, the outputs). */
void netfig_train(netlab *lab, long steps, int settle);

/* The labs of doc's [net] sections, each trained steps updates (steps < 0: as
   NETFIG_DEFAULT_STEPS says), the first settled. 0, or -1
   with "[net] K: why" in err (nothing left to free). */
int netfig_from_doc(netfig *f, const scene_doc *doc, long steps, char *err, size_t errlen);
/* One lab of d (net train --out), trained and settled. 0, or -1 with the message. */
int netfig_from_desc(netfig *f, const netlab_desc *d, long steps, char *err, size_t errlen);
void netfig_free(netfig *f);

/* v's comparison (the other labs, the names) and chart axis from f; the rest of v
   is the caller's. */
void netfig_view(const netfig *f, netlab_view *v);

/* "network lab: lab 1 (LABEL): NET, data DATA, optimizer OPT: step N, train loss L,
   test loss T, train accuracy A, test accuracy B; lab 2 ...", numbers to 17
   digits (absent where they do not apply). */
void netfig_describe(const netfig *f, char *buf, size_t len);

#endif
