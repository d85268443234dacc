/* test_presets: every preset lesson in assets/scenes is rendered offscreen and each
 * runner's particle is looked for where `trace --scene` says that runner is after the
 * same number of steps. The view comes from the PNG's own description (the fitted
 * view render used), so the probe and the picture agree to the pixel. Runners whose
 * final points are too close to tell apart, hidden, diverged or outside the picture
 * are not probed; every preset must have at least one runner probed.
 *
 * A preset with [net] sections (the network lab) has no runners: its render's
 * description must give each lab the train loss `net train --scene --lab K` prints
 * (the picture and the CLI agree), and what its caption claims is checked from the
 * CLI's numbers: the claims table below, one row per number of the caption (or the
 * inequality it stands for). Every network preset needs a row, every row's preset
 * must exist. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "image.h"

#define W 800
#define H 500
#define STEPS 60
#define MAXR 16
#define NET_STEPS 20

/* What a network preset's caption claims, as `net train` (or `net spectrum
   --summary`) prints it: the column's value AT row `from`, or its MIN, MAX, the step
   of its minimum (ARGMIN) or maximum (ARGMAX) over the rows from .. steps; then op
   '<' or '>' than `value`. */
typedef enum { AT, MIN, MAX, ARGMIN, ARGMAX } claim_stat;
typedef struct claim {
    const char *file;
    int lab;               /* [net] K (1-based); 0: net spectrum --summary; -1: net spectrum
                              --seeds (args: --seeds K --gtol G), its rows by seed */
    int steps;
    const char *args;      /* more options (--timing) */
    const char *col;
    claim_stat stat;
    int from;
    char op;
    double value;
    const char *says;      /* the caption's words */
} claim;

static const claim claims[] = {
    /* 38: plain lr 10 jumps between 6.5 and 36 at 50% accuracy; BN lr 10 0.044 at
       100; BN lr 30 between 1.0 and 37 after step 100 */
    {"38-bn-high-lr.scene", 1, 300, "", "train_loss", MIN, 100, '>', 6.0, "plain lr 10 no lower than 6.5"},
    {"38-bn-high-lr.scene", 1, 300, "", "train_loss", MAX, 100, '>', 30, "plain lr 10 up to 36"},
    {"38-bn-high-lr.scene", 1, 300, "", "train_acc", MAX, 100, '<', 0.55, "plain lr 10 at 50%"},
    {"38-bn-high-lr.scene", 2, 300, "", "train_loss", AT, 100, '<', 0.05, "BN lr 10 0.044 at 100"},
    {"38-bn-high-lr.scene", 2, 300, "", "train_loss", MAX, 100, '<', 0.05, "BN lr 10 stays there"},
    {"38-bn-high-lr.scene", 3, 300, "", "train_loss", MIN, 100, '>', 0.9, "BN lr 30 no lower than 1.0"},
    {"38-bn-high-lr.scene", 3, 300, "", "train_loss", MAX, 100, '>', 30, "BN lr 30 up to 37"},
    /* 39: the same training; the eval-mode test loss at 50: 0.43 with m 0.01, 0.10
       with 0.1; m 0.01 peaks at 1.36 at step 259, 0.069 at 500 */
    {"39-bn-test-time.scene", 1, 50, "", "test_loss", AT, 50, '>', 0.4, "m 0.01 0.43 at 50"},
    {"39-bn-test-time.scene", 2, 50, "", "test_loss", AT, 50, '<', 0.12, "m 0.1 0.10 at 50"},
    {"39-bn-test-time.scene", 3, 50, "", "test_loss", AT, 50, '<', 0.12, "m 0.5 no worse"},
    {"39-bn-test-time.scene", 1, 500, "", "test_loss", MAX, 100, '>', 1.3, "m 0.01 peaks at 1.36"},
    {"39-bn-test-time.scene", 1, 500, "", "test_loss", ARGMAX, 100, '>', 250, "the peak at 259"},
    {"39-bn-test-time.scene", 1, 500, "", "test_loss", ARGMAX, 100, '<', 270, "the peak at 259"},
    {"39-bn-test-time.scene", 1, 500, "", "test_loss", AT, 500, '<', 0.08, "m 0.01 0.069 at 500"},
    {"39-bn-test-time.scene", 1, 500, "--test-batch-stats", "test_loss_batch", AT, 50, '<', 0.12,
     "with the test set's own statistics it is not worse"},
    /* 40: width 1 0.58 at 250, 0.56 at 1000 (68%); width 2 0.36 (84%); width 16 0.003 (100%) */
    {"40-model-bias.scene", 1, 1000, "", "train_loss", AT, 250, '>', 0.55, "width 1 0.58 at 250"},
    {"40-model-bias.scene", 1, 1000, "", "train_loss", AT, 1000, '>', 0.55, "width 1 0.56 at 1000"},
    {"40-model-bias.scene", 1, 1000, "", "train_acc", AT, 1000, '<', 0.7, "width 1 68%"},
    {"40-model-bias.scene", 2, 1000, "", "train_loss", AT, 1000, '>', 0.35, "width 2 0.36"},
    {"40-model-bias.scene", 2, 1000, "", "train_acc", AT, 1000, '<', 0.85, "width 2 84%"},
    {"40-model-bias.scene", 3, 1000, "", "train_loss", AT, 1000, '<', 0.004, "width 16 0.003"},
    {"40-model-bias.scene", 3, 1000, "", "train_acc", AT, 1000, '>', 0.999, "width 16 100%"},
    /* 41: 7 sigmoid layers at 0.693 (50%), gradient 4e-7; 2 layers 0.31 (88%); 7 + BN 0.051 */
    {"41-optimization-problem.scene", 1, 1000, "", "train_loss", MIN, 100, '>', 0.693, "7 layers at ln 2"},
    {"41-optimization-problem.scene", 1, 1000, "", "train_acc", AT, 1000, '<', 0.51, "7 layers 50%"},
    {"41-optimization-problem.scene", 1, 1000, "", "grad_norm", AT, 1000, '<', 1e-6, "gradient 4e-7"},
    {"41-optimization-problem.scene", 2, 1000, "", "train_loss", AT, 1000, '<', 0.32, "2 layers 0.31"},
    {"41-optimization-problem.scene", 2, 1000, "", "train_acc", AT, 1000, '>', 0.87, "2 layers 88%"},
    {"41-optimization-problem.scene", 3, 1000, "", "train_loss", AT, 1000, '<', 0.06, "7 layers + BN 0.051"},
    /* 42: 20 points: train 0.006 at 100, 5e-6 at 600; test lowest at 36 (0.17), 0.79
       at 600; weight decay 0.25, 500 points 0.26 at 600 */
    {"42-overfitting.scene", 1, 600, "", "train_loss", AT, 100, '<', 0.01, "train 0.006 at 100"},
    {"42-overfitting.scene", 1, 600, "", "train_loss", AT, 600, '<', 1e-5, "train 5e-6 at 600"},
    {"42-overfitting.scene", 1, 600, "", "test_loss", ARGMIN, 0, '<', 40, "the test minimum at 36"},
    {"42-overfitting.scene", 1, 600, "", "test_loss", MIN, 0, '<', 0.18, "the test minimum 0.17"},
    {"42-overfitting.scene", 1, 600, "", "test_loss", AT, 600, '>', 0.75, "test 0.79 at 600"},
    {"42-overfitting.scene", 1, 600, "", "test_loss", MIN, 100, '>', 0.4, "the test loss rises after it"},
    {"42-overfitting.scene", 2, 600, "", "test_loss", AT, 600, '<', 0.3, "weight decay: 0.25"},
    {"42-overfitting.scene", 3, 600, "", "test_loss", AT, 600, '<', 0.3, "500 points: 0.26"},
    /* 43: 50 points shifted: train 0.001, test 3.1 (68%); 500 points: 2.4 (78%); no shift 0.059 (99%) */
    {"43-mismatch.scene", 1, 500, "", "train_loss", AT, 500, '<', 0.002, "train 0.001"},
    {"43-mismatch.scene", 1, 500, "", "test_loss", AT, 500, '>', 3.0, "test 3.1"},
    {"43-mismatch.scene", 1, 500, "", "test_acc", AT, 500, '<', 0.7, "68%"},
    {"43-mismatch.scene", 2, 500, "", "test_loss", AT, 500, '>', 2.3, "500 points do not help: 2.4"},
    {"43-mismatch.scene", 2, 500, "", "test_acc", AT, 500, '<', 0.8, "78%"},
    {"43-mismatch.scene", 3, 500, "", "test_loss", AT, 500, '<', 0.06, "no shift: 0.059"},
    {"43-mismatch.scene", 3, 500, "", "test_acc", AT, 500, '>', 0.98, "99%"},
    /* 44: batch 1 0.38 after 1 epoch (100 updates), 0.15 after 30 (3000); full batch
       0.69 after 1, 0.59 after 30 */
    {"44-batch-size-epochs.scene", 1, 3000, "--timing 100", "epoch", AT, 100, '>', 0.999, "100 updates per epoch"},
    {"44-batch-size-epochs.scene", 1, 3000, "--timing 100", "epoch", AT, 100, '<', 1.001, "100 updates per epoch"},
    {"44-batch-size-epochs.scene", 1, 3000, "", "train_loss", AT, 100, '<', 0.385, "batch 1 0.38 after 1 epoch"},
    {"44-batch-size-epochs.scene", 1, 3000, "", "train_loss", AT, 3000, '<', 0.155, "batch 1 0.15 after 30"},
    {"44-batch-size-epochs.scene", 2, 30, "", "train_loss", AT, 1, '>', 0.685, "full batch 0.69 after 1"},
    {"44-batch-size-epochs.scene", 2, 30, "", "train_loss", AT, 30, '>', 0.585, "full batch 0.59 after 30"},
    /* 45: 1 ms per update of 1 or 64 samples; at 2 s full batch 0.13, batch 1 0.27; at
       3 s 0.076 and 0.15 (47 epochs) */
    {"45-batch-size-seconds.scene", 1, 3000, "--timing 64,0.001", "device_s", AT, 2000, '<', 2.001, "2 s at 2000"},
    {"45-batch-size-seconds.scene", 2, 3000, "--timing 64,0.001", "device_s", AT, 2000, '>', 1.999, "2 s at 2000"},
    {"45-batch-size-seconds.scene", 2, 3000, "--timing 64,0.001", "device_s", AT, 2000, '<', 2.001, "2 s at 2000"},
    {"45-batch-size-seconds.scene", 1, 3000, "--timing 64,0.001", "epoch", AT, 3000, '>', 46.5, "47 epochs"},
    {"45-batch-size-seconds.scene", 2, 3000, "", "train_loss", AT, 2000, '<', 0.135, "full batch 0.13 at 2 s"},
    {"45-batch-size-seconds.scene", 1, 3000, "", "train_loss", AT, 2000, '>', 0.265, "batch 1 0.27 at 2 s"},
    {"45-batch-size-seconds.scene", 2, 3000, "", "train_loss", AT, 3000, '<', 0.08, "full batch 0.076 at 3 s"},
    {"45-batch-size-seconds.scene", 1, 3000, "", "train_loss", AT, 3000, '>', 0.145, "batch 1 0.15 at 3 s"},
    /* 46: at step 150 loss 0.694, gradient 0.015, 28 positive, 27 negative, 2 zero,
       minimum ratio 0.49; GD 0.65 at 500, momentum 0.9 0.034 */
    {"46-saddle-many-dims.scene", 0, 150, "", "train_loss", AT, 0, '>', 0.69, "stalls at 0.694"},
    {"46-saddle-many-dims.scene", 0, 150, "", "grad_norm", AT, 0, '<', 0.02, "gradient 0.015"},
    {"46-saddle-many-dims.scene", 0, 150, "", "negative", AT, 0, '>', 26.5, "27 negative"},
    {"46-saddle-many-dims.scene", 0, 150, "", "positive", AT, 0, '<', 28.5, "28 positive"},
    {"46-saddle-many-dims.scene", 0, 150, "", "min_ratio", AT, 0, '<', 0.5, "minimum ratio 0.49"},
    {"46-saddle-many-dims.scene", 1, 500, "", "train_loss", AT, 300, '>', 0.689, "GD still at 0.69 at 300 (the header)"},
    {"46-saddle-many-dims.scene", 1, 500, "", "train_loss", AT, 500, '>', 0.6, "GD 0.65 at 500"},
    {"46-saddle-many-dims.scene", 2, 500, "", "train_loss", AT, 500, '<', 0.04, "momentum 0.034 at 500"},
    /* 47: 20 seeds until |g| < 0.001: minimum ratios 0.52 .. 0.77, none 1; the two
       lowest stuck at 0.264; seed 0 ends at 0.63 with 66+ 26- 13 zero (rows by seed:
       "from" is a seed, the steps column the last seed) */
#define SEEDS47 "--seeds 20 --gtol 0.001"
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "min_ratio", MAX, 0, '<', 0.78, "no seed gets there: to 0.77"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "min_ratio", MIN, 0, '>', 0.52, "from 0.52"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "min_ratio", MIN, 0, '<', 0.53, "0.52"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "grad_norm", MAX, 0, '<', 0.001, "each until |g| < 0.001"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "train_loss", AT, 0, '<', 0.001, "seed 0 at a small loss"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "min_ratio", AT, 0, '>', 0.625, "seed 0 stops at 0.63"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "min_ratio", AT, 0, '<', 0.635, "seed 0 stops at 0.63"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "negative", AT, 0, '>', 25.5, "26 negative"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "negative", AT, 0, '<', 26.5, "26 negative"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "zero", AT, 0, '>', 12.5, "13 zero"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "zero", AT, 0, '<', 13.5, "13 zero"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "train_loss", MAX, 0, '>', 0.26, "two stuck at 0.264"},
    {"47-minimum-ratio-seeds.scene", -1, 1500, SEEDS47, "train_loss", MAX, 0, '<', 0.265, "two stuck at 0.264"},
};
#define NCLAIMS (sizeof claims / sizeof claims[0])

/* the runners' colours on the dark theme, in the order runners get them (live.c) */
static const unsigned palette[8] = {0xE69F00ffu, 0x56B4E9ffu, 0xCC79A7ffu, 0x009E73ffu,
                                    0xF0E442ffu, 0xD55E00ffu, 0x3C8CE6ffu, 0xB0B0B0ffu};

/* "view X0,X1,Y0,Y1" from the Description tEXt chunk (stored uncompressed). */
static int png_view(const char *path, double v[4])
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    for (size_t i = 0; i + 5 < n; i++)
        if (memcmp(buf + i, "view ", 5) == 0 && sscanf(buf + i + 5, "%lf,%lf,%lf,%lf", &v[0], &v[1], &v[2], &v[3]) == 4)
            return 0;
    return -1;
}

/* The runners after `steps` steps: how many could be probed (-1: a failure). */
static int probe_at(const char *bin, const char *dir, const char *name, const char *tmp, int steps, int last)
{
    char cmd[4096], out[1 << 15], png[600];
    snprintf(png, sizeof png, "%s/%s.png", tmp, name);
    /* the contour map, where runners are probed: a scene that opens in 3D (view3d =
       on, rendered in 3D too) is rendered from a copy with it off */
    snprintf(cmd, sizeof cmd, "sed 's/^view3d *= *on/view3d = off/' %s/%s > %s/%s", dir, name, tmp, name);
    if (run(cmd, out, sizeof out) != 0) {
        CHECK(0, "%s: copy failed", name);
        return -1;
    }
    snprintf(cmd, sizeof cmd, "%s render --scene %s/%s --steps %d --size %dx%d --legend off --caption off "
             "--critical off --out %s --force 2>&1", bin, tmp, name, steps, W, H, png);
    if (run(cmd, out, sizeof out) != 0) {
        CHECK(0, "%s: render failed: %s", name, out);
        return -1;
    }
    image im;
    double v[4];
    if (load_png(png, &im) != 0 || png_view(png, v) != 0) {
        CHECK(0, "%s: cannot read the render", name);
        return -1;
    }
    /* trace stops a diverged runner early: only rows at exactly `steps` count; with
       one runner there is no runner column */
    snprintf(cmd, sizeof cmd, "%s trace --scene %s/%s --steps %d 2>/dev/null", bin, dir, name, steps);
    static char all[1 << 22];
    run(cmd, all, sizeof all);
    int one = strncmp(all, "step,", 5) == 0;
    double px[MAXR], py[MAXR];
    int ok[MAXR] = {0}, n = 0;
    for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
        int k = 0;
        long step;
        double x, y;
        int got = one ? sscanf(line, "%ld,%lf,%lf", &step, &x, &y) + 1 : sscanf(line, "%d,%ld,%lf,%lf", &k, &step, &x, &y);
        if (got != 4 || k < 0 || k >= MAXR || step != steps) continue;
        to_px(v, W, H, x, y, &px[k], &py[k]);
        ok[k] = isfinite(px[k]) && isfinite(py[k]) && px[k] > 8 && px[k] < W - 8 && py[k] > 8 && py[k] < H - 8;
        if (k + 1 > n) n = k + 1;
    }
    /* hidden runners are not drawn */
    snprintf(cmd, sizeof cmd, "grep -c 'visible *= *off' %s/%s", dir, name);
    char hid[64] = "";
    run(cmd, hid, sizeof hid);
    int probed = 0;
    for (int k = 0; k < n; k++) {
        int clear = ok[k] && atoi(hid) == 0;
        for (int j = 0; j < n && clear; j++)
            if (j != k && ok[j] && hypot(px[j] - px[k], py[j] - py[k]) < 12) clear = 0;
        if (!clear) continue;
        int d = nearest(&im, px[k], py[k], 2, palette[k % 8]);
        CHECK(d < 45, "%s: runner %d drawn at (%.1f, %.1f) where trace puts it (colour distance %d)", name, k,
              px[k], py[k], d);
        probed++;
    }
    if (last) CHECK(probed > 0, "%s: at least one runner could be probed", name);
    free(im.px);
    unlink(png);
    return probed;
}

/* The command's CSV: the named column's values by row (step = the first column;
   net spectrum --summary has one row, step 0). Returns the rows read, -1: no column. */
static long csv_column(char *text, const char *col, int spectrum, double *val, long *step, long cap)
{
    char *save = NULL, *line = strtok_r(text, "\n", &save);
    if (!line) return -1;
    int idx = -1, i = 0;
    for (char *p = line; p; i++) {
        size_t len = strcspn(p, ",");
        if (len == strlen(col) && strncmp(p, col, len) == 0) idx = i;
        p = p[len] ? p + len + 1 : NULL;
    }
    if (idx < 0) return -1;
    long n = 0;
    while ((line = strtok_r(NULL, "\n", &save)) && n < cap) {
        char *p = line;
        for (int k = 0; k < idx && p; k++) {
            p = strchr(p, ',');
            if (p) p++;
        }
        if (!p || !*p || *p == ',') continue;   /* empty: does not apply */
        val[n] = strtod(p, NULL);
        step[n] = spectrum ? 0 : strtol(line, NULL, 10);
        n++;
    }
    return n;
}

/* One row of the claims table: 1 when it holds. */
static int check_claim(const char *bin, const char *dir, const claim *c)
{
    static char out[1 << 22];
    static double val[100001];
    static long step[100001];
    char cmd[2048];
    if (c->lab > 0)
        snprintf(cmd, sizeof cmd, "%s net train --scene %s/%s --lab %d --steps %d %s 2>&1", bin, dir, c->file, c->lab,
                 c->steps, c->args);
    else
        snprintf(cmd, sizeof cmd, "%s net spectrum --scene %s/%s --steps %d %s %s 2>/dev/null", bin, dir, c->file,
                 c->steps, c->lab == 0 ? "--summary" : "", c->args);
    if (run(cmd, out, sizeof out) != 0) {
        CHECK(0, "%s: %s failed: %.300s", c->file, cmd, out);
        return 0;
    }
    long n = csv_column(out, c->col, c->lab == 0, val, step, 100001);
    if (n <= 0) {
        CHECK(0, "%s lab %d: no column %s in the output of %s", c->file, c->lab, c->col, cmd);
        return 0;
    }
    double got = NAN;
    long at = -1;
    for (long k = 0; k < n; k++) {
        if (c->stat == AT) {
            if (step[k] == c->from) got = val[k];
            continue;
        }
        if (step[k] < c->from || step[k] > c->steps) continue;
        int better = at < 0 || ((c->stat == MIN || c->stat == ARGMIN) ? val[k] < val[at] : val[k] > val[at]);
        if (better) at = k;
    }
    if (c->stat != AT && at >= 0) got = (c->stat == MIN || c->stat == MAX) ? val[at] : (double)step[at];
    static const char *stat_names[] = {"at", "min", "max", "argmin", "argmax"};
    int ok = isfinite(got) && (c->op == '<' ? got < c->value : got > c->value);
    CHECK(ok, "%s lab %d (%s): %s %s from step %d of %d steps is %.6g, the caption needs %c %g", c->file, c->lab,
          c->says, stat_names[c->stat], c->col, c->from, c->steps, got, c->op, c->value);
    return ok;
}

/* A network preset: it has claims, and its render's labs have the train loss that
   net train --lab K prints after as many steps. */
static void check_net_preset(const char *bin, const char *dir, const char *name, const char *tmp)
{
    int rows = 0;
    for (size_t i = 0; i < NCLAIMS; i++) rows += strcmp(claims[i].file, name) == 0;
    CHECK(rows > 0, "%s: a network preset with no claims in test_presets' table", name);
    char cmd[4096], out[1 << 15], png[600];
    snprintf(png, sizeof png, "%s/%s.png", tmp, name);
    snprintf(cmd, sizeof cmd, "%s render --scene %s/%s --steps %d --size %dx%d --out %s --force 2>&1", bin, dir, name,
             NET_STEPS, W, H, png);
    if (run(cmd, out, sizeof out) != 0) {
        CHECK(0, "%s: render failed: %s", name, out);
        return;
    }
    FILE *f = fopen(png, "rb");
    static char buf[1 << 16];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    for (size_t i = 0; i < n; i++)
        if (!buf[i]) buf[i] = ' ';   /* the chunks' bytes between: strstr reads on */
    const char *d = strstr(buf, "network lab:");
    CHECK(d != NULL, "%s: the render describes the network lab", name);
    int labs = 0;
    for (int k = 1; d && k <= 4; k++) {
        char key[32];
        snprintf(key, sizeof key, "lab %d (", k);
        const char *p = strstr(d, key);
        if (!p) break;
        const char *q = strstr(p, "train loss ");
        CHECK(q != NULL, "%s: lab %d's train loss in the description", name, k);
        if (!q) break;
        double drawn = strtod(q + 11, NULL);
        snprintf(cmd, sizeof cmd, "%s net train --scene %s/%s --lab %d --steps %d 2>&1 | tail -1", bin, dir, name, k,
                 NET_STEPS);
        run(cmd, out, sizeof out);
        char *c = strchr(out, ',');
        double cli = c ? strtod(c + 1, NULL) : NAN;
        CHECK(check_close(drawn, cli, 1e-12, 0), "%s: lab %d drawn with train loss %.17g, net train says %.17g", name,
              k, drawn, cli);
        labs++;
    }
    CHECK(labs > 0, "%s: at least one lab described", name);
    unlink(png);
}

/* Late in the run, or earlier where the runners have all met (the same minimum). */
static void check_preset(const char *bin, const char *dir, const char *name, const char *tmp)
{
    static const int steps[] = {STEPS, 15, 4};
    for (int i = 0; i < 3; i++)
        if (probe_at(bin, dir, name, tmp, steps[i], i == 2) != 0) return;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_presets PATH/TO/optiscape SCENES_DIR\n");
        return 2;
    }
    char tmp[] = "/tmp/optiscape-test-presets-XXXXXX";
    if (!mkdtemp(tmp)) return 1;
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "%s render --size 16x16 --out %s/probe.png 2>&1", argv[1], tmp);
    if (run(cmd, out, sizeof out) != 0) {
        fprintf(stderr, "test_presets: render cannot draw here: %s\n", out);
        snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
        run(cmd, NULL, 0);
        return getenv("OPTISCAPE_REQUIRE_GL") ? 1 : 77;
    }
    /* the scenes are rendered from copies: the plane files they name go beside them */
    snprintf(cmd, sizeof cmd, "for f in %s/*.plane; do [ -e \"$f\" ] || continue; cp \"$f\" %s/ || exit 1; done",
             argv[2], tmp);
    CHECK(run(cmd, out, sizeof out) == 0, "copy the plane files: %s", out);
    DIR *d = opendir(argv[2]);
    CHECK(d != NULL, "open %s", argv[2]);
    int count = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 7 || strcmp(e->d_name + n - 6, ".scene") != 0) continue;
        char path[1200], grep[1400];
        snprintf(path, sizeof path, "%s/%s", argv[2], e->d_name);
        snprintf(grep, sizeof grep, "grep -q '^\\[net\\]' %s", path);
        if (run(grep, NULL, 0) == 0) check_net_preset(argv[1], argv[2], e->d_name, tmp);
        else check_preset(argv[1], argv[2], e->d_name, tmp);
        count++;
    }
    if (d) closedir(d);
    /* what the network presets' captions claim; a row whose preset is gone fails */
    int held = 0;
    for (size_t i = 0; i < NCLAIMS; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", argv[2], claims[i].file);
        if (access(path, R_OK) != 0) {
            CHECK(0, "%s: the preset of claim %zu (%s) does not exist", claims[i].file, i, claims[i].says);
            continue;
        }
        held += check_claim(argv[1], argv[2], &claims[i]);
    }
    printf("test_presets: %d of %zu caption claims hold\n", held, NCLAIMS);
    CHECK(count >= 20, "at least 20 presets, found %d", count);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    run(cmd, NULL, 0);
    return check_done("test_presets");
}
