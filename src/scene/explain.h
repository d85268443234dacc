/* explain: one optimizer update taken apart for a lesson. From the runner just
 * before and just after a step it writes the optimizer's formulas with this step's
 * numbers substituted (the notation of the lecture notes: g, m, v, m̂, v̂, σ, η), and
 * the pieces of the step as vectors (the plain-gradient part, the part carried over
 * from earlier steps). Every number shown is read from, or recomputed exactly like,
 * the optimizer's own state, so the lines add up to the step that was taken. */
#ifndef OPTISCAPE_EXPLAIN_H
#define OPTISCAPE_EXPLAIN_H

#include "core/sim.h"
#include "scene/live.h"

/* 0, or -1 when the runner did not move (diverged, or no step was taken). */
int explain_step(const runner *before, const runner *after, const expr *f, live_explain *out);

#endif
