/* timing: a monotonic clock for benchmarks and frame pacing. */
#ifndef OPTISCAPE_TIMING_H
#define OPTISCAPE_TIMING_H

double os_now(void);   /* seconds, monotonic */

#endif
