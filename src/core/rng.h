/* rng: a small seeded generator (xoshiro256**, seeded by splitmix64) and N(0,1)
 * draws, so gradient noise and generated data are identical for a given seed on
 * every machine. */
#ifndef OPTISCAPE_RNG_H
#define OPTISCAPE_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
    double spare;       /* second value of the last polar-method pair */
    int has_spare;
} rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_next(rng *r);
double rng_uniform(rng *r);          /* [0, 1) with 53 random bits */
double rng_normal(rng *r);           /* N(0, 1), Marsaglia polar method */
uint64_t rng_below(rng *r, uint64_t n);  /* uniform in [0, n), unbiased; n > 0 */

#endif
