/* scene_setup: a live scene from the command line's scene options, the same for the
 * window and `render` (the default runners where none are given). */
#ifndef OPTISCAPE_SCENE_SETUP_H
#define OPTISCAPE_SCENE_SETUP_H

#include <stddef.h>

#include "app/cli.h"
#include "scene/live.h"

/* Fills L (live_init) and view (the region to fit: --view or the landscape's).
 * With --scene, the file's title, captions, labels, visibility, play state,
 * display and class controls are applied too, and its steps taken. 0, or -1 with
 * a message. sc's landscape is moved into L. */
int scene_setup(live *L, cli_scene *sc, double view[4], char *err, size_t errlen);

/* The field of L's landscape over view at w x h samples, computed here, and its
 * critical points copied into L. 0, or -1 with a message. */
struct field_result;
int scene_field_compute(live *L, struct field_result *r, const double view[4], int w, int h,
                        int want_lmax, char *err, size_t errlen);

#endif
