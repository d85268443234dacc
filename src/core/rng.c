/* rng: xoshiro256** (Blackman & Vigna, 2018) seeded through splitmix64, uniform
 * doubles with 53 random bits, Marsaglia's polar method for N(0,1) and unbiased
 * integers below n. Pure integer arithmetic plus sqrt/log, so a seed gives the same
 * stream on every machine; the state lives in the caller's struct (no globals). */
#include "rng.h"

#include <math.h>

/* splitmix64: one step of a Weyl sequence through a strong mixer. Used only to
 * spread a user's seed (often 0, 1, 42) over the 256-bit xoshiro state: xoshiro
 * itself needs a well-mixed, non-zero state. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(rng *r, uint64_t seed)
{
    uint64_t x = seed;
    int i;
    /* splitmix64 is a bijection of its counter, so at most one of four consecutive
     * outputs can be zero: the state is never all-zero (xoshiro's one bad state). */
    for (i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
    r->spare = 0.0;
    r->has_spare = 0;
}

uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double rng_uniform(rng *r)
{
    /* the top 53 bits (the low bits of xoshiro256** are as good, but the top ones
     * are the convention) times 2^-53: every double k/2^53 in [0, 1) equally likely */
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

double rng_normal(rng *r)
{
    double u, v, s, m;
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    /* Marsaglia polar: a uniform point in the unit disc (rejection, acceptance
     * pi/4), then (u, v) * sqrt(-2 ln s / s) are two independent N(0,1). s == 0
     * would divide by zero and is rejected with the outside points. */
    do {
        u = 2.0 * rng_uniform(r) - 1.0;
        v = 2.0 * rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    m = sqrt(-2.0 * log(s) / s);
    r->spare = v * m;
    r->has_spare = 1;
    return u * m;
}

uint64_t rng_below(rng *r, uint64_t n)
{
    /* Rejection from the bottom: 2^64 mod n values (computed as (-n) mod n in
     * unsigned arithmetic) are thrown away so the rest is a whole number of copies
     * of [0, n) and x % n is exactly uniform. At most half the draws are rejected. */
    uint64_t threshold, x;
    if (n <= 1) return 0;
    threshold = (0 - n) % n;
    do {
        x = rng_next(r);
    } while (x < threshold);
    return x % n;
}
