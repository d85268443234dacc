/* bench batchtime: the seeds' "batch size and time" table. On a device that works
 * on P samples at once an update of batch B costs t1 * ceil(B / P) seconds
 * (net_device_seconds), and an epoch of N samples takes ceil(N / B) updates: a
 * large batch costs about as much per update as batch 1 up to P, so per epoch it
 * is far faster. Prints batch,update_s,epoch_s,updates_per_epoch for B = 1, 2, 4,
 * ... up to N (and N itself). */
#include <stdio.h>

#include "app/cli.h"
#include "app/commands.h"
#include "core/nettrain.h"

static void batchtime_help(void)
{
    printf("Usage: optiscape bench batchtime [--n N] [--width P] [--t1 SECONDS]\n"
           "  seconds per update and per epoch against the batch size B = 1, 2, 4, ..., N\n"
           "  on a device of width P (an update costs t1 * ceil(B/P)), as CSV\n"
           "  (defaults: --n 60000, --width 1000, --t1 0.001)\n");
}

int cmd_bench_batchtime(int argc, char **argv)
{
    long n = 60000, P = 1000;
    double t1 = 0.001;
    const cli_opt opts[] = {
        {"--n", CLI_LONG, &n, 1, 1e9, "a sample count", .show = CLI_QUOTE},
        {"--width", CLI_LONG, &P, 1, 1e9, "a device width", .show = CLI_QUOTE},
        {"--t1", CLI_DOUBLE, &t1, 1e-12, 1e6, "a time in seconds", .show = CLI_QUOTE},
        {NULL},
    };
    const cli_parser parser = {"bench", opts, batchtime_help,
                               .unknown = "batchtime: unknown option '%s' (--n, --width, --t1)",
                               .unknown_quoted = 1};
    int rc = cli_parse(&parser, argc, argv);
    if (rc == CLI_HELP) return EXIT_OK;
    if (rc != 0) return rc;
    printf("batch,update_s,epoch_s,updates_per_epoch\n");
    for (long b = 1;; b = b * 2 < n ? b * 2 : n) {
        long updates = (n + b - 1) / b;
        double u = net_device_seconds((int)b, (int)P, t1);
        printf("%ld,%.9g,%.9g,%ld\n", b, u, u * (double)updates, updates);
        if (b == n) break;
    }
    return cli_stdout_done("bench");
}
