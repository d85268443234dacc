/* explain: one optimizer update taken apart for a lesson. From the runner just
 * before and just after a step it writes the optimizer's formulas with this step's
 * numbers substituted (the notation of the lecture notes: g, m, v, m̂, v̂, σ, η), and
 * the pieces of the step as vectors (the plain-gradient part, the part carried over
 * from earlier steps). Every number shown is read from, or recomputed exactly like,
 * the optimizer's own state, so the lines add up to the step that was taken. */
#ifndef OPTISCAPE_EXPLAIN_H
#define OPTISCAPE_EXPLAIN_H

#include "core/sim.h"

/* One update of the selected runner taken apart: the optimizer's formulas with the
 * numbers of this step substituted, and the pieces of the step as world vectors. */
#define LIVE_EXPLAIN_LINES 12
typedef struct live_explain {
    int valid;
    int runner;
    long step;                    /* the clock after the step it explains */
    double p0[2], p1[2];          /* before and after */
    double grad[2];               /* the gradient the update used, noise included */
    double grad_step[2];          /* -lr g: where plain gradient descent would go */
    double mom_step[2];           /* the part of the step carried over from the past (0: none) */
    char lines[LIVE_EXPLAIN_LINES][160];
    int nlines;
} live_explain;

/* 0, or -1 when the runner did not move (diverged, or no step was taken). */
int explain_step(const runner *before, const runner *after, const expr *f, live_explain *out);

#endif
