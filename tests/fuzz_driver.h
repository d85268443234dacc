/* fuzz_driver: what the fuzz targets share. A target defines fuzz_one(). Built with
 * -DOPTISCAPE_LIBFUZZER (clang -fsanitize=fuzzer) it is a libFuzzer target;
 * otherwise its main() calls fuzz_run(), a seeded, time-bounded driver that runs
 * the corpus and then the target's generated inputs, so the test suite fuzzes on
 * any compiler:  TARGET [--seconds S] [--seed N] */
#ifndef OPTISCAPE_FUZZ_DRIVER_H
#define OPTISCAPE_FUZZ_DRIVER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void fuzz_one(const uint8_t *data, size_t n);

#ifdef OPTISCAPE_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_one(data, size);
    return 0;
}
#else

static uint64_t fuzz_state;

/* splitmix64: the driver needs no more than this */
static uint64_t fuzz_next(void)
{
    uint64_t z = (fuzz_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The corpus first, then generate()d inputs into buf until the time is up.
 * Returns how many were generated. */
static long fuzz_run(int argc, char **argv, const char *name, const char *const *corpus, size_t ncorpus,
                     size_t (*generate)(char *buf, size_t cap), char *buf, size_t cap)
{
    double seconds = 10;
    uint64_t seed = (uint64_t)time(NULL);
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--seconds") == 0) seconds = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--seed") == 0) seed = strtoull(argv[i + 1], NULL, 10);
    }
    fuzz_state = seed;
    printf("%s: seed %llu, %.0f s\n", name, (unsigned long long)seed, seconds);
    fflush(stdout);
    clock_t end = clock() + (clock_t)(seconds * CLOCKS_PER_SEC);
    long iters = 0;
    for (size_t i = 0; i < ncorpus; i++) fuzz_one((const uint8_t *)corpus[i], strlen(corpus[i]));
    while (clock() < end) {
        size_t n = generate(buf, cap);
        fuzz_one((const uint8_t *)buf, n);
        iters++;
    }
    return iters;
}
#endif

#endif
