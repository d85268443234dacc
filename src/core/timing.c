/* timing: CLOCK_MONOTONIC in seconds. */
#include "timing.h"

#include <time.h>

double os_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
