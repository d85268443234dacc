/* test_cli: the optiscape binary as a user meets it. A table of bad command lines,
 * each of which must exit with status 2, print exactly one line on stderr that
 * names the culprit, and nothing on stdout; and good ones whose output is checked
 * (CSV shape, 17 significant digits, trace semantics). The binary's path is argv[1]. */
#include "check.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *binary;

typedef struct run_result {
    int status;            /* exit status, or -1 if it did not exit normally */
    char out[1 << 16];
    char err[1 << 14];
} run_result;

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, cap - 1, f);
        fclose(f);
    }
    buf[n] = 0;
}

static run_result *run(const char *const *args)
{
    static run_result r;
    char out_path[] = "/tmp/optiscape-test-out-XXXXXX";
    char err_path[] = "/tmp/optiscape-test-err-XXXXXX";
    int fo = mkstemp(out_path), fe = mkstemp(err_path);
    char *argv[64];
    int n = 0;
    argv[n++] = (char *)binary;
    for (; args[n - 1] && n < 63; n++) argv[n] = (char *)args[n - 1];
    argv[n] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fo, 1);
    posix_spawn_file_actions_adddup2(&fa, fe, 2);
    pid_t pid;
    r.status = -1;
    if (posix_spawn(&pid, binary, &fa, NULL, argv, environ) == 0) {
        int st;
        waitpid(pid, &st, 0);
        r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    close(fo);
    close(fe);
    slurp(out_path, r.out, sizeof r.out);
    slurp(err_path, r.err, sizeof r.err);
    unlink(out_path);
    unlink(err_path);
    return &r;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

typedef struct bad_line {
    const char *args[12];
    const char *fragment;   /* must appear in the message */
} bad_line;

static void test_bad_lines(void)
{
    static const bad_line cases[] = {
        {{"frobnicate", NULL}, "unknown command 'frobnicate'"},
        {{"--frobnicate", NULL}, "unknown option '--frobnicate'"},
        {{"trace", NULL}, "no landscape"},
        {{"trace", "--landscape", "rosenbrock", "--steps", "5", NULL}, "no optimizer"},
        {{"trace", "--landscape", "rosenbrock", "--optimizer", "adam", NULL}, "--steps"},
        {{"trace", "--landscape", "nowhere", "--optimizer", "adam", "--steps", "5", NULL}, "nowhere"},
        {{"trace", "--landscape", "quadratic:kappa=abc", "--optimizer", "sgd", "--steps", "5", NULL}, "kappa"},
        {{"trace", "--landscape", "quadratic:spin=3", "--optimizer", "sgd", "--steps", "5", NULL}, "spin"},
        {{"trace", "--expr", "x^2 + (y", "--optimizer", "adam", "--steps", "5", NULL}, "column 9"},
        {{"trace", "--expr", "x^2 + z", "--optimizer", "adam", "--steps", "5", NULL}, "column 7"},
        {{"trace", "--expr", "", "--optimizer", "adam", "--steps", "5", NULL}, "empty"},
        {{"trace", "--landscape", "booth", "--optimizer", "adamm", "--steps", "5", NULL}, "adamm"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam:lr=fast", "--steps", "5", NULL}, "lr"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam:lr=-1", "--steps", "5", NULL}, "lr"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam:gamma=1", "--steps", "5", NULL}, "gamma"},
        {{"trace", "--landscape", "booth", "--optimizer", "sgd:nesterov=1", "--steps", "5", NULL}, "nesterov"},
        {{"trace", "--landscape", "booth", "--optimizer", "sgd:momentum=0.9,nesterov=maybe", "--steps", "5", NULL}, "nesterov"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "-3", NULL}, "--steps"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "1e99", NULL}, "--steps"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "10", "--start", "1", NULL}, "--start"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "10", "--start", "1,nan", NULL}, "--start"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "10", "--view", "1,0,0,1", NULL}, "--view"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "10", "--noise", "-1", NULL}, "--noise"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "10", "--seed", "x", NULL}, "--seed"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "10", "--schedule", "cosine:t_max=0", NULL}, "t_max"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "10", "--schedule", "sawtooth", NULL}, "sawtooth"},
        {{"trace", "--landscape", "booth", "--landscape", "beale", "--optimizer", "adam", "--steps", "1", NULL}, "already"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", NULL}, "--steps needs a value"},
        {{"trace", "--landscape", "booth", "--optimizer", "adam", "--steps", "3", "--bogus", NULL}, "--bogus"},
        {{"critical", NULL}, "no landscape"},
        {{"critical", "--landscape", "himmelblau", "--region", "0,1,2", NULL}, "--region"},
        {{"critical", "--landscape", "himmelblau", "--region", "1,1,0,1", NULL}, "--region"},
        {{"critical", "--expr", "sin(x", NULL}, "column"},
        {{"critical", "--landscape", "himmelblau", "--optimizer", "adam", NULL}, "--optimizer"},
        {{"list", NULL}, "landscapes"},
        {{"list", "colours", NULL}, "colours"},
        {{"bench", NULL}, "swarm"},
        {{"bench", "swarm", "--landscape", "rosenbrock", "--particles", "0", NULL}, "--particles"},
        {{"bench", "field", "--size", "99999", "--expr", "x", NULL}, "--size"},
        {{"bench", "teapot", NULL}, "teapot"},
        {{"bench", "frames", "--net", "--3d", NULL}, "separate benchmarks"},
        {{"bench", "frames", "--net", "--swarm", "100", NULL}, "separate benchmarks"},
        {{"init", "--act", "sigmoid", NULL}, "--act"},
        {{"init", "--layers", "0", NULL}, "--layers"},
        {{"init", "--width", "99999", NULL}, "--width"},
        {{"init", "--batch", "-4", NULL}, "--batch"},
        {{"init", "--seed", "-1", NULL}, "--seed"},
        {{"init", "--scheme", "lecun", NULL}, "lecun"},
        {{"init", "--png", "figure.jpg", NULL}, ".png"},
        {{"init", "--theme", "light", NULL}, "--png"},
        {{"init", "--layers", NULL}, "--layers needs a value"},
        {{"init", "--frobnicate", NULL}, "--frobnicate"},
        {{"init", "--theme", "grey", "--png", "x.png", NULL}, "--theme: expected dark or light"},
        {{"basins", "--theme", "grey", NULL}, "--theme: expected dark or light"},
        {{"render", "--theme", "grey", "--out", "x.png", NULL}, "--theme: expected dark or light"},
        {{"render", "--legend", "maybe", "--out", "x.png", NULL}, "--legend: expected on or off"},
        {{"render", "--cmap", "jet", "--out", "x.png", NULL}, "--cmap: expected viridis, cividis or light"},
        {{"render", "--fps", "0", "--out", "x.png", NULL}, "--fps: expected a number from 0.1 to 240"},
        {{"basins", "--size", "100x100", "--out", "x.png", NULL}, "--size: expected WxH from 200x150 to 8192x8192"},
        {{"critical", "--landscape", "booth", "--region", "0,1,0,1e13", NULL}, "--region: every bound must be within +-1e12"},
        {{"init", "--seed", "-1", NULL}, "--seed: expected a whole number from 0 to 18446744073709551615"},
        {{"net", "train", "--optimizer", "adam", "--optimizer", "sgd", NULL}, "--optimizer was already given"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result *r = run(cases[i].args);
        char line[256] = "";
        for (int k = 0; cases[i].args[k]; k++) {
            strncat(line, cases[i].args[k], sizeof line - strlen(line) - 2);
            strncat(line, " ", sizeof line - strlen(line) - 1);
        }
        CHECK(r->status == 2, "'%s': exit status %d, expected 2 (stderr: %s)", line, r->status, r->err);
        CHECK(r->out[0] == 0, "'%s': stdout must be empty, got: %.200s", line, r->out);
        CHECK(count_lines(r->err) == 1, "'%s': expected one line on stderr, got: %s", line, r->err);
        CHECK_STR_CONTAINS(r->err, cases[i].fragment, "'%s'", line);
        CHECK(strncmp(r->err, "optiscape", 9) == 0, "'%s': message starts with the program name", line);
    }
}

static void test_help_and_version(void)
{
    const char *a1[] = {"--version", NULL};
    run_result *r = run(a1);
    CHECK(r->status == 0 && strncmp(r->out, "optiscape ", 10) == 0, "--version: %s", r->out);
    const char *cmds[][3] = {{"--help", NULL}, {"trace", "--help"}, {"critical", "--help"},
                             {"list", "--help"}, {"bench", "--help"}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        const char *args[3] = {cmds[i][0], cmds[i][1], NULL};
        r = run(args);
        CHECK(r->status == 0, "%s %s: status %d", args[0], args[1] ? args[1] : "", r->status);
        CHECK_STR_CONTAINS(r->out, "Usage", "%s %s", args[0], args[1] ? args[1] : "");
    }
}

/* Trace semantics: row k is the point after k updates; plain GD on x^2 + y^2 with
 * lr 0.1 multiplies the point by 0.8 exactly each step. */
static void test_trace(void)
{
    const char *args[] = {"trace", "--expr", "x^2 + y^2", "--optimizer", "sgd:lr=0.1", "--start", "1,-2",
                          "--steps", "3", NULL};
    run_result *r = run(args);
    CHECK(r->status == 0, "trace status %d: %s", r->status, r->err);
    CHECK(strncmp(r->out, "step,x,y,loss,gx,gy,lr\n", 23) == 0, "header: %.40s", r->out);
    CHECK(count_lines(r->out) == 5, "4 rows and a header, got %d lines", count_lines(r->out));
    const char *row = strchr(r->out, '\n');
    double x = 1, y = -2;
    for (int k = 0; k <= 3 && row; k++) {
        long step;
        double px, py, loss, gx, gy, lr;
        int n = sscanf(row + 1, "%ld,%lf,%lf,%lf,%lf,%lf,%lf", &step, &px, &py, &loss, &gx, &gy, &lr);
        CHECK(n == 7 && step == k, "row %d parses (%d fields)", k, n);
        CHECK_NEAR(px, x, 0, 0, "x after %d updates", k);
        CHECK_NEAR(py, y, 0, 0, "y after %d updates", k);
        CHECK_NEAR(loss, x * x + y * y, 0, 0, "loss at row %d", k);
        CHECK_NEAR(gx, 2 * x, 0, 0, "gx at row %d", k);
        CHECK_NEAR(gy, 2 * y, 0, 0, "gy at row %d", k);
        CHECK_NEAR(lr, 0.1, 0, 0, "lr at row %d", k);
        /* the torch update: p.add_(d_p, alpha=-lr) = p + (-lr) * g */
        x = x + (-0.1) * (2 * x);
        y = y + (-0.1) * (2 * y);
        row = strchr(row + 1, '\n');
        if (row && !row[1]) row = NULL;
    }
    /* 17 significant digits round-trip */
    const char *a2[] = {"trace", "--landscape", "rosenbrock", "--optimizer", "adam:lr=0.01", "--steps", "2", NULL};
    r = run(a2);
    CHECK(r->status == 0, "rosenbrock trace: %s", r->err);
    CHECK(strstr(r->out, "\n0,-1.2,1,24.199999999999996,") != NULL ||
          strstr(r->out, "\n0,-1.2,1,24.2") != NULL, "start row of rosenbrock: %.200s", r->out);

    /* a schedule shows in the lr column: step decay halves at step 2 */
    const char *a3[] = {"trace", "--expr", "x^2", "--optimizer", "sgd:lr=0.1", "--schedule", "step:step_size=2,gamma=0.5",
                        "--steps", "4", NULL};
    r = run(a3);
    CHECK(r->status == 0, "scheduled trace: %s", r->err);
    {
        /* row k carries the rate of update k+1, i.e. the scheduler's epoch k:
         * epochs 0,1 -> 0.1; 2,3 -> 0.05; 4 -> 0.025 (torch StepLR, recursive) */
        const double want[] = {0.1, 0.1, 0.1 * 0.5, 0.1 * 0.5, 0.1 * 0.5 * 0.5};
        const char *line = strchr(r->out, '\n');
        for (int k = 0; k < 5 && line && line[1]; k++) {
            const char *eol = strchr(line + 1, '\n');
            const char *lr = NULL;
            for (const char *q = line + 1; q < eol; q++) if (*q == ',') lr = q;
            CHECK(lr != NULL, "row %d has an lr column", k);
            if (lr) CHECK_NEAR(strtod(lr + 1, NULL), want[k], 0, 0, "lr column at row %d", k);
            line = eol;
        }
    }
    /* divergence ends the trace with a note on stderr, exit 0 */
    const char *a4[] = {"trace", "--expr", "x^2", "--optimizer", "sgd:lr=5", "--start", "1,0", "--steps", "100", NULL};
    r = run(a4);
    CHECK(r->status == 0, "diverging trace exits 0");
    CHECK_STR_CONTAINS(r->err, "diverged", "divergence is reported");
    CHECK(count_lines(r->out) < 101, "trace stops at divergence");

    /* the same seed gives the same noisy trace, another seed another one */
    const char *n1[] = {"trace", "--expr", "x^2+y^2", "--optimizer", "sgd:lr=0.1", "--noise", "0.5", "--seed", "7",
                        "--steps", "5", NULL};
    static char first[sizeof r->out];
    r = run(n1);
    memcpy(first, r->out, sizeof first);
    r = run(n1);
    CHECK(strcmp(first, r->out) == 0, "noise is deterministic for a seed");
    const char *n2[] = {"trace", "--expr", "x^2+y^2", "--optimizer", "sgd:lr=0.1", "--noise", "0.5", "--seed", "8",
                        "--steps", "5", NULL};
    r = run(n2);
    CHECK(strcmp(first, r->out) != 0, "another seed, other noise");
}

/* --batch, --shuffle, --test-shift and bench flatness, as a user runs them */
static void test_batches(void)
{
    static char plain[sizeof ((run_result *)0)->out], batched[sizeof plain];
    const char *a0[] = {"trace", "--landscape", "linreg", "--optimizer", "sgd:lr=0.05", "--steps", "20", NULL};
    run_result *r = run(a0);
    CHECK(r->status == 0 && strncmp(r->out, "step,x,y,loss,gx,gy,lr\n", 23) == 0, "linreg trace: %s", r->err);
    memcpy(plain, r->out, sizeof plain);
    const char *a1[] = {"trace", "--landscape", "linreg", "--optimizer", "sgd:lr=0.05", "--steps", "20",
                        "--batch", "0", "--shuffle", "1", NULL};
    r = run(a1);
    CHECK(r->status == 0 && strcmp(r->out, plain) == 0, "--batch 0 is the full loss, unchanged");
    const char *a2[] = {"trace", "--landscape", "linreg", "--optimizer", "sgd:lr=0.05", "--steps", "20",
                        "--batch", "10", "--seed", "3", NULL};
    r = run(a2);
    CHECK(r->status == 0 && strncmp(r->out, "step,x,y,loss,gx,gy,lr\n", 23) == 0, "--batch 10: %s", r->err);
    CHECK(count_lines(r->out) == 22, "--batch 10: 21 rows and a header, got %d lines", count_lines(r->out));
    CHECK(strcmp(r->out, plain) != 0, "minibatches move differently from the full loss");
    memcpy(batched, r->out, sizeof batched);
    r = run(a2);
    CHECK(strcmp(r->out, batched) == 0, "the same seed, the same batches");
    const char *a3[] = {"trace", "--landscape", "linreg", "--optimizer", "sgd:lr=0.05", "--steps", "20",
                        "--batch", "10", "--seed", "4", NULL};
    r = run(a3);
    CHECK(strcmp(r->out, batched) != 0, "another seed, other batches");
    const char *a4[] = {"trace", "--landscape", "linreg", "--optimizer", "sgd:lr=0.05", "--steps", "20",
                        "--batch", "10", "--shuffle", "0", "--seed", "3", NULL};
    const char *a5[] = {"trace", "--landscape", "linreg", "--optimizer", "sgd:lr=0.05", "--steps", "20",
                        "--batch", "10", "--shuffle", "0", "--seed", "4", NULL};
    r = run(a4);
    memcpy(batched, r->out, sizeof batched);
    r = run(a5);
    CHECK(r->status == 0 && strcmp(r->out, batched) == 0, "--shuffle 0: in order, whatever the seed");

    /* --test-shift adds one column: the loss at the point moved back */
    const char *t1[] = {"trace", "--expr", "x^2 + 3*y^2", "--optimizer", "sgd:lr=0.1", "--start", "1,1",
                        "--steps", "0", "--test-shift", "0.5,-1", NULL};
    r = run(t1);
    CHECK(r->status == 0 && strncmp(r->out, "step,x,y,loss,gx,gy,lr,test_loss\n", 33) == 0, "header: %.60s", r->out);
    const char *row = strchr(r->out, '\n');
    const char *last = row ? strrchr(row, ',') : NULL;
    CHECK(last && strtod(last + 1, NULL) == 0.25 + 3 * 4, "test_loss = f(1 - 0.5, 1 + 1): %s", last ? last + 1 : "");

    /* refused: minibatches of a formula, bad values */
    static const bad_line bad[] = {
        {{"trace", "--landscape", "rosenbrock", "--optimizer", "sgd", "--steps", "1", "--batch", "4"}, "data"},
        {{"trace", "--landscape", "linreg", "--optimizer", "sgd", "--steps", "1", "--batch", "-2"}, "--batch"},
        {{"trace", "--landscape", "linreg", "--optimizer", "sgd", "--steps", "1", "--shuffle", "2"}, "--shuffle"},
        {{"trace", "--landscape", "linreg", "--optimizer", "sgd", "--steps", "1", "--test-shift", "x"}, "--test-shift"},
        {{"bench", "flatness", "--landscape", "booth"}, "minim"},
        {{"bench", "flatness", "--batch", "1,,2"}, "--batch"},
        {{"bench", "flatness", "--seeds", "0"}, "--seeds"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = run(bad[i].args);
        CHECK(r->status == 2 && r->out[0] == 0 && count_lines(r->err) == 1, "bad batch line %zu: status %d, %s",
              i, r->status, r->err);
        CHECK_STR_CONTAINS(r->err, bad[i].fragment, "bad batch line %zu", i);
    }

    /* bench flatness: a header, then one row per batch size */
    const char *f1[] = {"bench", "flatness", "--seeds", "8", "--steps", "800", "--batch", "1,32", NULL};
    r = run(f1);
    CHECK(r->status == 0, "bench flatness: %s", r->err);
    const char *table = strstr(r->out, "batch,runs,flat,sharp,other,diverged,train_loss,test_loss\n");
    CHECK(table != NULL, "flatness table: %.200s", r->out);
    if (table) {
        double flat1 = -1, sharp32 = -1;
        int b1 = 0, b32 = 0;
        const char *l1 = strchr(table, '\n');
        const char *l2 = l1 ? strchr(l1 + 1, '\n') : NULL;
        CHECK(l1 && sscanf(l1 + 1, "%d,%*d,%lf", &b1, &flat1) == 2 && b1 == 1, "batch 1 row");
        CHECK(l2 && sscanf(l2 + 1, "%d,%*d,%*f,%lf", &b32, &sharp32) == 2 && b32 == 32, "batch 32 row");
        CHECK(flat1 >= 0.75 && sharp32 == 1, "batch 1 ends flat (%g), full batch sharp (%g)", flat1, sharp32);
    }
}

static void test_critical_and_list(void)
{
    const char *a1[] = {"critical", "--landscape", "himmelblau", NULL};
    run_result *r = run(a1);
    CHECK(r->status == 0, "critical himmelblau: %s", r->err);
    CHECK(strncmp(r->out, "kind,x,y,loss,lambda1,lambda2,v1x,v1y,v2x,v2y\n", 46) == 0, "critical header");
    CHECK(count_lines(r->out) == 10, "himmelblau: 9 points, got %d lines", count_lines(r->out) - 1);
    int mins = 0, saddles = 0, maxs = 0;
    for (const char *p = r->out; (p = strchr(p, '\n')) != NULL; p++) {
        mins += strncmp(p + 1, "min,", 4) == 0;
        saddles += strncmp(p + 1, "saddle,", 7) == 0;
        maxs += strncmp(p + 1, "max,", 4) == 0;
    }
    CHECK(mins == 4 && saddles == 4 && maxs == 1, "himmelblau kinds: %d min, %d saddle, %d max", mins, saddles, maxs);

    const char *lists[] = {"landscapes", "optimizers", "schedules"};
    const char *must[] = {"six_hump_camel", "adadelta", "cosine"};
    for (int i = 0; i < 3; i++) {
        const char *a[] = {"list", lists[i], NULL};
        r = run(a);
        CHECK(r->status == 0, "list %s", lists[i]);
        CHECK_STR_CONTAINS(r->out, must[i], "list %s", lists[i]);
    }
}

static void write_scene(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "cannot write %s", path);
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

/* --scene FILE stands for the options it holds: the same trace, byte for byte, as
 * the options spelled out; options after it override it; a malformed file is one
 * line "FILE:LINE: ..." and exit status 2 on every subcommand. */
static void test_scene_option(void)
{
    char path[] = "/tmp/optiscape-test-scene-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0, "mkstemp");
    if (fd < 0) return;
    close(fd);
    write_scene(path, "# a lesson\n[scene]\ntitle = Two runners\nexpr = x^2 + 3*y^2 - 0.5*x*y ; a bowl\n"
                      "view = -2, 2, -1.5, 1.5\nstart = 1.5, -1\nschedule = exp:gamma=0.95\nnoise = 0.25\n"
                      "seed = 42\n[runner]\noptimizer = sgd:lr=0.05,momentum=0.9\nlabel = heavy ball\n"
                      "[runner]\noptimizer = adam:lr=0.1\n[play]\nsteps = 7\n[display]\ntheme = light\n");
    static char want[sizeof ((run_result *)0)->out];
    const char *spelled[] = {"trace", "--expr", "x^2 + 3*y^2 - 0.5*x*y", "--optimizer", "sgd:lr=0.05,momentum=0.9",
                             "--optimizer", "adam:lr=0.1", "--start", "1.5,-1", "--schedule", "exp:gamma=0.95",
                             "--noise", "0.25", "--seed", "42", "--steps", "5", NULL};
    run_result *r = run(spelled);
    CHECK(r->status == 0, "spelled-out trace: %s", r->err);
    memcpy(want, r->out, sizeof want);
    const char *viafile[] = {"trace", "--scene", path, "--steps", "5", NULL};
    r = run(viafile);
    CHECK(r->status == 0 && r->err[0] == 0, "trace --scene: status %d: %s", r->status, r->err);
    CHECK(strcmp(r->out, want) == 0, "trace --scene differs from the options spelled out:\n%s\n----\n%s", r->out, want);
    CHECK(count_lines(r->out) == 13, "two runners, 6 rows each, and a header");

    /* a later --optimizer replaces the file's runners; a later --seed overrides */
    const char *spelled2[] = {"trace", "--expr", "x^2 + 3*y^2 - 0.5*x*y", "--optimizer", "rmsprop:lr=0.01",
                              "--start", "1.5,-1", "--schedule", "exp:gamma=0.95", "--noise", "0.25", "--seed", "9",
                              "--steps", "4", NULL};
    r = run(spelled2);
    CHECK(r->status == 0, "%s", r->err);
    memcpy(want, r->out, sizeof want);
    const char *override[] = {"trace", "--scene", path, "--optimizer", "rmsprop:lr=0.01", "--seed", "9", "--steps",
                              "4", NULL};
    r = run(override);
    CHECK(r->status == 0 && strcmp(r->out, want) == 0, "options after --scene override it:\n%s\n----\n%s", r->out,
          want);

    /* critical searches the file's view */
    const char *crit1[] = {"critical", "--scene", path, NULL};
    r = run(crit1);
    CHECK(r->status == 0, "critical --scene: %s", r->err);
    memcpy(want, r->out, sizeof want);
    const char *crit2[] = {"critical", "--expr", "x^2 + 3*y^2 - 0.5*x*y", "--region", "-2,2,-1.5,1.5", NULL};
    r = run(crit2);
    CHECK(r->status == 0 && strcmp(r->out, want) == 0 && strstr(want, "min,") != NULL, "critical --scene: %s",
          want);

    /* --scene is in the help of the scene options */
    const char *help[] = {"trace", "--help", NULL};
    r = run(help);
    CHECK_STR_CONTAINS(r->out, "--scene FILE", "trace --help");

    /* malformed: one line naming the file and the line, on every subcommand */
    write_scene(path, "[scene]\nexpr = x^2\n[runner]\noptimizer = sgd\nspeed = 3\n");
    char where[128];
    snprintf(where, sizeof where, "%s:5: unknown key 'speed'", path);
    const char *const cmds[][8] = {
        {"trace", "--scene", path, "--steps", "5", NULL},
        {"critical", "--scene", path, NULL},
        {"render", "--scene", path, "--out", "/tmp/optiscape-never.png", NULL},
        {"bench", "swarm", "--scene", path, NULL},
        {"--scene", path, "--frames", "1", NULL},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        r = run(cmds[i]);
        CHECK(r->status == 2, "%s --scene (malformed): status %d, expected 2: %s", cmds[i][0], r->status, r->err);
        CHECK(r->out[0] == 0, "%s --scene: nothing on stdout, got %.200s", cmds[i][0], r->out);
        CHECK(count_lines(r->err) == 1, "%s --scene: one line on stderr, got: %s", cmds[i][0], r->err);
        CHECK_STR_CONTAINS(r->err, where, "%s --scene", cmds[i][0]);
    }
    const char *missing[] = {"trace", "--scene", "/nonexistent/lesson.scene", "--steps", "1", NULL};
    r = run(missing);
    CHECK(r->status == 2 && count_lines(r->err) == 1 && r->out[0] == 0, "a missing file: %s", r->err);
    CHECK_STR_CONTAINS(r->err, "/nonexistent/lesson.scene: cannot open", "a missing file");
    /* a scene without [runner] has the five default runners, in trace as in the window */
    write_scene(path, "[scene]\nlandscape = booth\n");
    const char *defaults[] = {"trace", "--scene", path, "--steps", "2", NULL};
    r = run(defaults);
    CHECK(r->status == 0 && strncmp(r->out, "runner,step,", 12) == 0, "trace of a scene without runners: %d %s",
          r->status, r->err);
    CHECK(count_lines(r->out) == 1 + 5 * 3 && strstr(r->out, "\n4,2,") != NULL, "five runners, three rows each: %s",
          r->out);
    /* and one without a landscape is refused naming the file and the line of [scene] */
    write_scene(path, "# no landscape\n[scene]\ntitle = x\n[runner]\noptimizer = sgd\n");
    snprintf(where, sizeof where, "%s:2: [scene] has no landscape", path);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        r = run(cmds[i]);
        CHECK(r->status == 2 && r->out[0] == 0 && count_lines(r->err) == 1, "%s --scene (no landscape): %d %s",
              cmds[i][0], r->status, r->err);
        CHECK_STR_CONTAINS(r->err, where, "%s --scene (no landscape)", cmds[i][0]);
    }
    const char *twice[] = {"trace", "--scene", path, "--scene", path, NULL};
    write_scene(path, "[scene]\nexpr = x^2\n");
    r = run(twice);
    CHECK(r->status == 2 && count_lines(r->err) == 1, "--scene twice: %s", r->err);
    unlink(path);
}

/* optiscape init: CSV of every scheme in order, the same inputs for all, the top
 * gradient 1; --png writes a PNG (where GL can be had) and keeps an existing file. */
static void test_init(void)
{
    const char *a1[] = {"init", "--layers", "3", "--width", "8", "--batch", "4", "--seed", "5", NULL};
    run_result *r = run(a1);
    CHECK(r->status == 0, "init: status %d: %s", r->status, r->err);
    CHECK(count_lines(r->out) == 1 + 7 * 4, "init: %d lines", count_lines(r->out));
    CHECK(strncmp(r->out, "scheme,layer,act_rms,grad_rms\n", 30) == 0, "init header: %.60s", r->out);
    static const char *const names[] = {"var1n", "var2n", "var3n", "xavier_uniform", "xavier_normal",
                                        "kaiming_uniform", "kaiming_normal"};
    char *line = strchr(r->out, '\n');
    double act0 = -1;
    for (int s = 0; s < 7 && line; s++)
        for (int l = 0; l <= 3 && line; l++) {
            char name[32];
            int layer, n = 0;
            double a, g;
            CHECK(sscanf(line + 1, "%31[^,],%d,%lf,%lf%n", name, &layer, &a, &g, &n) == 4 && n > 0,
                  "init row: %.80s", line + 1);
            CHECK(strcmp(name, names[s]) == 0 && layer == l, "init row %s %d: %.80s", names[s], l, line + 1);
            CHECK(a > 0 && g > 0, "init row: %.80s", line + 1);
            if (l == 0 && act0 < 0) act0 = a;
            if (l == 0) CHECK(a == act0, "init: every scheme sees the same inputs (%.17g, %.17g)", a, act0);
            if (l == 3) CHECK(g == 1, "init: the top gradient's RMS is 1, got %.17g", g);
            line = strchr(line + 1, '\n');
            if (line && !line[1]) line = NULL;
        }
    const char *a2[] = {"init", "--layers", "2", "--width", "4", "--scheme", "kaiming_normal", "--scheme",
                        "var1n", "--act", "tanh", NULL};
    r = run(a2);
    CHECK(r->status == 0 && count_lines(r->out) == 1 + 2 * 3, "init two schemes: %d lines", count_lines(r->out));
    CHECK_STR_CONTAINS(r->out, "\nvar1n,0,", "schemes in their order");
    CHECK(strstr(r->out, "var1n") < strstr(r->out, "kaiming_normal"), "var1n first: %.200s", r->out);

    char dir[] = "/tmp/optiscape-init-XXXXXX", png[64];
    if (!mkdtemp(dir)) return;
    snprintf(png, sizeof png, "%s/f.png", dir);
    FILE *made = fopen(png, "wb");
    if (made) fclose(made);
    const char *a3[] = {"init", "--layers", "5", "--width", "16", "--png", png, "--size", "640x300", NULL};
    r = run(a3);
    CHECK(r->status == 2 && count_lines(r->err) == 1, "init --png onto an existing file: %d %s", r->status, r->err);
    const char *a4[] = {"init", "--layers", "5", "--width", "16", "--png", png, "--size", "640x300", "--force",
                        "--theme", "light", NULL};
    r = run(a4);
    if (r->status == 0) {
        unsigned char head[8] = {0};
        FILE *f = fopen(png, "rb");
        size_t got = f ? fread(head, 1, 8, f) : 0;
        if (f) fclose(f);
        CHECK(got == 8 && memcmp(head, "\x89PNG\r\n\x1a\n", 8) == 0, "init --png wrote a PNG");
        CHECK(r->out[0] == 0, "init --png prints nothing: %.80s", r->out);
    } else {
        CHECK(r->status == 1, "init --png without GL: status %d", r->status);
        printf("init --png: no GL here (%s), not checked\n", r->err);
    }
    unlink(png);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_cli PATH-TO-OPTISCAPE\n");
        return 2;
    }
    binary = argv[1];
    test_bad_lines();
    test_help_and_version();
    test_trace();
    test_batches();
    test_critical_and_list();
    test_scene_option();
    test_init();
    return check_done("cli");
}
