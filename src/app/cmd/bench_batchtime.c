/* bench batchtime: the seeds' "batch size and time" table. On a device that works
 * on P samples at once an update of batch B costs t1 * ceil(B / P) seconds
 * (net_device_seconds), and an epoch of N samples takes ceil(N / B) updates: a
 * large batch costs about as much per update as batch 1 up to P, so per epoch it
 * is far faster. Prints batch,update_s,epoch_s,updates_per_epoch for B = 1, 2, 4,
 * ... up to N (and N itself); --out FILE.png draws the two curves as a figure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/export/figure.h"
#include "app/views/net_view.h"
#include "core/nettrain.h"

static void batchtime_help(void)
{
    printf("Usage: optiscape bench batchtime [--n N] [--width P] [--t1 SECONDS]\n"
           "                                 [--out FILE.png [--size WxH] [--force]]\n"
           "  seconds per update and per epoch against the batch size B = 1, 2, 4, ..., N\n"
           "  on a device of width P (an update costs t1 * ceil(B/P)), as CSV\n"
           "  (defaults: --n 60000, --width 1000, --t1 0.001); --out draws the two curves\n"
           "  on a log batch axis as a PNG (--size 1024x768; --force to overwrite)\n");
}

int cmd_bench_batchtime(int argc, char **argv)
{
    long n = 60000, P = 1000;
    double t1 = 0.001;
    const char *out = NULL, *size = NULL;
    int force = 0;
    const cli_opt opts[] = {
        {"--n", CLI_LONG, &n, 1, 1e9, "a sample count", .show = CLI_QUOTE},
        {"--width", CLI_LONG, &P, 1, 1e9, "a device width", .show = CLI_QUOTE},
        {"--t1", CLI_DOUBLE, &t1, 1e-12, 1e6, "a time in seconds", .show = CLI_QUOTE},
        {"--out", CLI_STRING, .dst = &out},
        {"--size", CLI_STRING, .dst = &size},
        {"--force", CLI_FLAG, .dst = &force},
        {NULL},
    };
    const cli_parser parser = {"bench", opts, batchtime_help,
                               .unknown = "batchtime: unknown option '%s' (--n, --width, --t1, --out, --size, --force)",
                               .unknown_quoted = 1};
    int rc = cli_parse(&parser, argc, argv);
    if (rc == CLI_HELP) return EXIT_OK;
    if (rc != 0) return rc;
    int fw = 1024, fh = 768;
    if (!out && (size || force)) return cli_bad("bench", "batchtime: --size and --force go with --out FILE.png");
    if (out) {
        size_t len = strlen(out);
        if (len < 5 || strcmp(out + len - 4, ".png") != 0)
            return cli_bad("bench", "batchtime: --out '%.200s': expected FILE.png", out);
        if (size && (cli_parse_size(size, &fw, &fh) != 0 || fw < 200 || fh < 150))
            return cli_bad("bench", "batchtime: --size '%.40s': expected WxH, at least 200x150", size);
        int bad = cli_out_check("bench batchtime", "--out", out, force);
        if (bad) return bad;
    }
    /* B = 1, 2, 4, ... and N: at most 32 rows (N < 2^30) */
    double bs[40], us[40], es[40];
    int rows = 0;
    if (!out) printf("batch,update_s,epoch_s,updates_per_epoch\n");
    for (long b = 1;; b = b * 2 < n ? b * 2 : n) {
        long updates = (n + b - 1) / b;
        double u = net_device_seconds((int)b, (int)P, t1);
        bs[rows] = (double)b;
        us[rows] = u;
        es[rows++] = u * (double)updates;
        if (!out) printf("%ld,%.9g,%.9g,%ld\n", b, u, u * (double)updates, updates);
        if (b == n) break;
    }
    if (!out) return cli_stdout_done("bench");
    char yl[2][100], desc[400];
    snprintf(yl[0], sizeof yl[0], "seconds per update (P = %ld, t1 = %g s)", P, t1);
    snprintf(yl[1], sizeof yl[1], "seconds per epoch (N = %ld samples)", n);
    snprintf(desc, sizeof desc, "bench batchtime: seconds per update and per epoch against the batch size, "
             "t1 = %g s, P = %ld, N = %ld", t1, P, n);
    net_curves f = {.x = bs, .y = {us, es}, .n = rows, .xlabel = "batch size B (log scale)",
                    .panel = {"time per update: t1 ceil(B / P)", "time per epoch: ceil(N / B) updates"},
                    .ylabel = {yl[0], yl[1]}};
    return figure_png("bench batchtime", fw, fh, 0xffffffffu, net_view_curves, &f, desc, argc, argv, out, force);
}
