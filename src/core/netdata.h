/* netdata: the network lab's data sets: seeded generated sets a lecturer expects
 * (2-D classification: circle, xor, gauss clusters, two spirals, moons; 1-D
 * regression: sine, poly) with size, noise, a train/test split and a test-set
 * shift (mismatch), and CSV files of the user's own data (last column the target,
 * no header). */
#ifndef OPTISCAPE_NETDATA_H
#define OPTISCAPE_NETDATA_H

#include <stddef.h>
#include <stdint.h>

typedef struct netdata {
    int n, d;           /* samples, input features */
    double *x;          /* n x d, row-major */
    double *y;          /* n targets: a value, 0/1, or a class index */
    int nclass;         /* 1 + the largest target when all are integers >= 0, else 0 */
    long *line;         /* a CSV file's line of each sample (for messages); NULL otherwise */
} netdata;

void netdata_free(netdata *ds);

/* "moons:n=200,noise=0.1,split=0.5,shift=0,seed=0" (keys depend on the set; see
 * netdata_help). train gets the first n - round(n split) samples, test the rest,
 * with shift added to every input coordinate of test. 0, or -1 with a message. */
int netdata_generate(const char *spec, netdata *train, netdata *test, char *err, size_t errlen);
/* One line per generated set: name, keys, what it is. */
const char *netdata_help(void);
/* The generated sets: how many, each one's name and default noise (i in 0 .. count). */
int netdata_set_count(void);
const char *netdata_set_name(int i);
double netdata_set_noise(int i);

/* Read a CSV file: numbers separated by commas, the same count on every line (at
 * least 2), blank lines skipped. 0, or -1 with "FILE:LINE: ..." in err. */
int netdata_read_csv(const char *path, netdata *out, char *err, size_t errlen);

/* Compute nclass from the targets. */
void netdata_classes(netdata *ds);

#endif
