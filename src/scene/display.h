/* display: the display toggles of the live scene, one row each. From these rows come
 * the fields of live_display and their defaults, the [display] keys of scene files
 * (their enum, names and order), the window's keys and their F1 help, the window's
 * --KEY on|off options and the toggles --print-state prints. A new toggle is one
 * new row here (and its drawing).
 *
 * X(field, NAME, scene_key, def, key, help_row, help_pos, help, state, option):
 *   field      the int in live_display
 *   NAME       SCENE_DISP_NAME, the [display] key's index (saved rows)
 *   scene_key  the [display] key (saved rows; NULL for the others)
 *   def        its default
 *   key        the window key that toggles it, as SDL names it; NULL: none
 *   help_row   the F1 help line it is listed on (0: none); the rows of one line are
 *   help_pos   joined in help_pos order, "I / S" with "iso-lines / hillshade"
 *   help       its words in that line
 *   state      its name in --print-state's display line; NULL: not printed there
 *   option     1: the window takes --scene_key on|off
 *
 * Saved rows are written in scene files in this order, after theme and cmap. */
#ifndef OPTISCAPE_DISPLAY_H
#define OPTISCAPE_DISPLAY_H

#define LIVE_DISPLAY_SAVED(X) \
    X(iso, ISO, "iso", 1, "I", 2, 0, "iso-lines", "iso", 1) \
    X(hillshade, HILLSHADE, "hillshade", 0, "S", 2, 1, "hillshade", "hillshade", 0) \
    X(crit, CRITICAL, "critical", 1, "C", 1, 0, "critical points", "crit", 1) \
    X(saddle_arrows, SADDLE_ARROWS, "saddle_arrows", 1, "V", 1, 1, "saddle eigenvectors", "saddle_arrows", 0) \
    X(grad_arrows, GRAD_ARROWS, "grad_arrows", 0, "G", 3, 0, "gradient", "grad", 0) \
    X(update_arrows, UPDATE_ARROWS, "update_arrows", 0, "U", 3, 1, "update arrows", "update", 0) \
    X(stab, STABILITY, "stability", 0, "X", 4, 0, "shade where lr·λmax > 2 (GD unstable)", "stab", 0) \
    X(hover, HOVER, "hover", 1, "H", 5, 0, "hover read-out", "hover", 1) \
    X(legend, LEGEND, "legend", 1, "E", 5, 2, "legend", "legend", 1) \
    X(chart, CHART, "chart", 1, "P", 5, 3, "loss chart", "chart", 1) \
    X(trails, TRAILS, "trails", 1, "T", 5, 1, "trails", "trails", 0) \
    X(panel, PANEL, "panel", 1, "Tab", 6, 0, "show / hide the control panel", "panel", 1) \
    /* what a scene asks the window to open with (and what Save records): the 3D \
       view, a swarm of the selected runner, the basin maps, the initialization \
       panel. The window owns these views; these flags only carry the wish. */ \
    X(view3d, VIEW3D, "view3d", 0, NULL, 0, 0, NULL, NULL, 0) \
    X(swarm, SWARM, "swarm", 0, NULL, 0, 0, NULL, NULL, 0) \
    X(basins, BASINS, "basins", 0, NULL, 0, 0, NULL, NULL, 0) \
    X(init, INIT, "init", 0, NULL, 0, 0, NULL, NULL, 0)

#define LIVE_DISPLAY_UNSAVED(X) \
    /* F1 (an action of the window's: it also resets the scroll, Esc closes it) */ \
    X(help, HELP, NULL, 0, NULL, 0, 0, NULL, "help", 0) \
    /* trails fade with age (live); 0: full strength (figures) */ \
    X(fade, FADE, NULL, 1, NULL, 0, 0, NULL, NULL, 0) \
    /* only the canvas, legend, caption and the scene's controls */ \
    X(class_mode, CLASS_MODE, NULL, 0, "F2", 7, 0, "class mode: canvas, legend, caption and the lesson's controls only", \
      NULL, 0) \
    /* class mode shows the loss chart too (the scene's chart = on, or P in class mode); \
       0: class mode leaves it out */ \
    X(class_chart, CLASS_CHART, NULL, 0, NULL, 0, 0, NULL, NULL, 0) \
    /* the lesson's title and caption on the canvas */ \
    X(caption, CAPTION, NULL, 1, NULL, 0, 0, NULL, NULL, 0) \
    /* the selected runner's minibatch loss as iso-lines */ \
    X(batch_contour, BATCH_CONTOUR, NULL, 1, NULL, 0, 0, NULL, NULL, 0)

#define LIVE_DISPLAY(X) LIVE_DISPLAY_SAVED(X) LIVE_DISPLAY_UNSAVED(X)

#endif
