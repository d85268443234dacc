/* check: the tiny assertion kit shared by the test executables. Every failed check
 * prints where, what was expected and what came out, and the run goes on so one
 * execution shows every failure; check_done() turns the count into the exit status. */
#ifndef OPTISCAPE_CHECK_H
#define OPTISCAPE_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond, ...) do { \
    check_count++; \
    if (!(cond)) { \
        check_failures++; \
        fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
    } \
} while (0)

/* |actual - expected| <= abs_tol + rel_tol * |expected|; NaN matches only NaN,
 * infinities only the same infinity. */
static inline int check_close(double actual, double expected, double rel_tol, double abs_tol)
{
    if (isnan(expected)) return isnan(actual);
    if (isinf(expected)) return actual == expected;
    if (!isfinite(actual)) return 0;
    return fabs(actual - expected) <= abs_tol + rel_tol * fabs(expected);
}

#define CHECK_NEAR(actual, expected, rel_tol, abs_tol, ...) do { \
    double check_a_ = (actual), check_e_ = (expected); \
    check_count++; \
    if (!check_close(check_a_, check_e_, (rel_tol), (abs_tol))) { \
        check_failures++; \
        fprintf(stderr, "%s:%d: %s: expected %.17g, got %.17g (diff %.3g): ", \
                __FILE__, __LINE__, #actual, check_e_, check_a_, check_a_ - check_e_); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
    } \
} while (0)

#define CHECK_STR_CONTAINS(haystack, needle, ...) do { \
    const char *check_h_ = (haystack), *check_n_ = (needle); \
    check_count++; \
    if (!check_h_ || !strstr(check_h_, check_n_)) { \
        check_failures++; \
        fprintf(stderr, "%s:%d: expected \"%s\" in \"%s\": ", __FILE__, __LINE__, \
                check_n_, check_h_ ? check_h_ : "(null)"); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
    } \
} while (0)

/* Distance in units in the last place: doubles mapped to a monotone integer line;
 * NaN is 0 ulp from NaN and infinitely far from anything else. */
static inline uint64_t ulp_diff(double a, double b)
{
    int64_t ia, ib;
    if (a != a && b != b) return 0;
    if (a != a || b != b) return UINT64_MAX;
    memcpy(&ia, &a, sizeof ia);
    memcpy(&ib, &b, sizeof ib);
    if (ia < 0) ia = INT64_MIN - ia;
    if (ib < 0) ib = INT64_MIN - ib;
    return ia > ib ? (uint64_t)ia - (uint64_t)ib : (uint64_t)ib - (uint64_t)ia;
}

static inline int check_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures ? 1 : 0;
}

#endif
