/* init_stats: what the initialization panel shows: the RMS of a deep MLP's
 * activations and of their gradients at every layer, for each weight-initialization
 * scheme (core/initnorm), kept per activation so that switching back and forth
 * between relu and tanh recomputes nothing. Drawn by app/views/init_view. */
#ifndef OPTISCAPE_INIT_STATS_H
#define OPTISCAPE_INIT_STATS_H

#include <stdint.h>

#include "core/initnorm.h"

/* The results of one configuration. */
typedef struct init_stats_result {
    int valid;
    initnorm_cfg cfg;             /* .scheme unused */
    unsigned schemes;             /* bit s: scheme s computed and shown */
    double *act_rms, *grad_rms;   /* INITNORM_SCHEME_COUNT x (cfg.layers + 1) */
    double seconds;               /* how long the computation took */
} init_stats_result;

typedef struct init_stats {
    initnorm_act act;             /* the one shown */
    init_stats_result res[INITNORM_ACT_COUNT];
    int threads;                  /* 0: one per processor */
} init_stats;

/* All zero is a valid empty set; init_stats_free releases the results. */
void init_stats_free(init_stats *st);

/* Show activation act on a network of width units per layer (0: 256) from seed,
 * with the other settings at their defaults (50 layers, batch 64, every scheme).
 * Computes only when this configuration's results are not cached (at width 256,
 * seven networks of 50 layers: about 0.15 s a network on one core, spread over the
 * processors). Returns 0, or -1 when out of memory. */
int init_stats_set(init_stats *st, initnorm_act act, int width, uint64_t seed);

/* The same with every setting: cfg's layers, width, batch, act and seed (its scheme
 * is ignored), and the schemes as a bit mask (0: all). */
int init_stats_compute(init_stats *st, const initnorm_cfg *cfg, unsigned schemes);

/* The shown results (NULL before the first set). */
const init_stats_result *init_stats_current(const init_stats *st);

#endif
