/* cli: scene options. Every refusal names the option and what was wrong with it. */
#include "app/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/spec.h"
#include "core/quote.h"
#include "style/cmap.h"
#include "app/views/view3d.h"
#include "scene/live.h"

void cli_scene_init(cli_scene *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->sched = sched_defaults(SCHED_CONSTANT);
    sc->seed = 0;
    sc->shuffle = 1;
}

void cli_scene_free(cli_scene *sc)
{
    if (sc->have_landscape) landscape_free(&sc->ls);
    sc->have_landscape = 0;
    if (sc->doc) {
        scene_doc_free(sc->doc);
        free(sc->doc);
        sc->doc = NULL;
    }
}

int cli_bad(const char *cmd, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* one line, whatever the quoted input held */
    for (char *c = msg; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
    if (cmd && *cmd) fprintf(stderr, "optiscape %s: %s\n", cmd, msg);
    else fprintf(stderr, "optiscape: %s\n", msg);
    return EXIT_BAD_INPUT;
}

/* Options that may be given more than once: each adds one more (runners, schemes,
 * the window's lesson list). Every other option takes one value: given twice it is
 * refused rather than silently last-wins. */
static const char *const repeatable[] = {"--optimizer", "--scheme", "--scene", NULL};

/* The options taken so far from one argument vector: (name, index) pairs. A new
 * vector starts afresh; the same index taken again (a second pass) is no repeat. */
#define CLI_SEEN_MAX 128
static struct {
    char **argv;
    int n;
    const char *name[CLI_SEEN_MAX];
    int index[CLI_SEEN_MAX];
} seen;

static int note_taken(const char *name, char **argv, int i, char *err, size_t errlen)
{
    for (int k = 0; repeatable[k]; k++)
        if (strcmp(repeatable[k], name) == 0) return 0;
    if (seen.argv != argv) {
        seen.argv = argv;
        seen.n = 0;
    }
    for (int k = 0; k < seen.n; k++)
        if (strcmp(seen.name[k], name) == 0) {
            if (seen.index[k] == i) return 0;
            snprintf(err, errlen, "%s was already given; give it once", name);
            return -1;
        }
    if (seen.n < CLI_SEEN_MAX) {
        seen.name[seen.n] = name;
        seen.index[seen.n++] = i;
    }
    return 0;
}

int cli_take(const char *name, int argc, char **argv, int *i, const char **val,
             char *err, size_t errlen)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return 0;
    if (a[n] != '=' && a[n] != 0) return 0;
    if (note_taken(name, argv, *i, err, errlen) != 0) return -1;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (*i + 1 >= argc) {
        snprintf(err, errlen, "%s needs a value", name);
        return -1;
    }
    *i += 1;
    *val = argv[*i];
    return 1;
}

int cli_parse_number(const char *s, double lo, double hi, double *out)
{
    double v;
    if (spec_number(s, &v) != 0 || !(v >= lo && v <= hi)) return -1;
    *out = v;
    return 0;
}

int cli_parse_seed(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    const char *c = s;
    for (; *c >= '0' && *c <= '9'; c++) {
        unsigned d = (unsigned)(*c - '0');
        if (v > (UINT64_MAX - d) / 10) return -1;
        v = v * 10 + d;
    }
    if (c == s || *c) return -1;
    *out = v;
    return 0;
}

int cli_parse_point(const char *s, double out[2])
{
    double v[2];
    if (spec_numbers(s, v, 2) != 0) return -1;
    if (!(fabs(v[0]) <= SIM_DIVERGE_BOX && fabs(v[1]) <= SIM_DIVERGE_BOX)) return -2;
    out[0] = v[0];
    out[1] = v[1];
    return 0;
}

int cli_parse_view(const char *s, double out[4])
{
    double w[4];
    if (spec_numbers(s, w, 4) != 0) return -1;
    for (int k = 0; k < 4; k++)
        if (!(fabs(w[k]) <= SIM_DIVERGE_BOX)) return -2;
    if (!(w[0] < w[1]) || !(w[2] < w[3])) return -3;
    memcpy(out, w, sizeof w);
    return 0;
}

int cli_check_camera(const char *opt, const char *v, char *err, size_t errlen)
{
    double c[3];
    int n = spec_numbers(v, c, 3) == 0 ? 3 : spec_numbers(v, c, 2) == 0 ? 2 : 0;
    if (n == 0) {
        snprintf(err, errlen, "%s: expected YAW,PITCH or YAW,PITCH,ZOOM (degrees, degrees, factor), got '%s'",
                 opt, quote(v));
        return -1;
    }
    if (!(fabs(c[0]) <= CLI_YAW_MAX) || !(c[1] >= CAM3D_PITCH_MIN && c[1] <= CAM3D_PITCH_MAX) ||
        (n == 3 && !(c[2] >= CAM3D_ZOOM_MIN && c[2] <= CAM3D_ZOOM_MAX))) {
        snprintf(err, errlen, "%s: yaw from %g to %g degrees, pitch from %g to %g, zoom from %g to %g, got '%s'",
                 opt, -CLI_YAW_MAX, CLI_YAW_MAX, CAM3D_PITCH_MIN, CAM3D_PITCH_MAX, CAM3D_ZOOM_MIN,
                 CAM3D_ZOOM_MAX, quote(v));
        return -1;
    }
    return 0;
}

int cli_out_exists(const char *path)
{
    struct stat st;
    /* lstat: a dangling symbolic link is there too (link(2) would refuse it) */
    return lstat(path, &st) == 0;
}

int cli_out_check(const char *cmd, const char *opt, const char *path, int force)
{
    struct stat st;
    if (!*path) return cli_bad(cmd, "%s: the file name is empty", opt);
    if (strlen(path) > CLI_MAX_PATH)
        return cli_bad(cmd, "%s: the name '%s' is longer than %d bytes", opt, quote(path), CLI_MAX_PATH);
    errno = 0;
    if (lstat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return cli_bad(cmd, "%s: %s is a directory", opt, quote(path));
        if (!force) return cli_bad(cmd, "%s: %s exists (use --force to replace it)", opt, quote(path));
        return 0;
    }
    if (errno == ENAMETOOLONG) return cli_bad(cmd, "%s: the name '%s' is too long here", opt, quote(path));
    /* the folder it goes into must be there */
    char dir[CLI_MAX_PATH + 1];
    const char *slash = strrchr(path, '/');
    if (!slash) return 0;
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    memcpy(dir, path, n);
    dir[n] = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return cli_bad(cmd, "%s: the folder %s %s", opt, quote(dir),
                       errno == ENOENT ? "does not exist" : "is not a folder");
    return 0;
}

int cli_regular_file(const char *path, char *why, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, len, "%s", strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, len, "not a regular file (%s)", S_ISDIR(st.st_mode) ? "a directory" :
                 S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket" : "a device");
        return -1;
    }
    return 0;
}

/* The names of the word-valued kinds, each its value's index (on|1, off|0 below). */
static const char *const onoff_names[] = {"off", "on", "0", "1", NULL};
static const char *const theme_names[] = {"dark", "light", NULL};

static int name_index(const char *const *names, const char *v)
{
    for (int k = 0; names[k]; k++)
        if (strcmp(names[k], v) == 0) return k;
    return -1;
}

static int onoff_value(const char *v, int *out)
{
    int k = name_index(onoff_names, v);
    if (k < 0) return -1;
    *out = k & 1;
    return 0;
}

int cli_cmap(const char *v)
{
    return style_cmap_parse(v);
}

int cli_onoff(const char *cmd, const char *opt, const char *v, int *out)
{
    if (onoff_value(v, out) == 0) return 0;
    return cli_bad(cmd, "%s: expected on or off, got '%.40s'", opt, v);
}

int cli_theme(const char *cmd, const char *v, int *light)
{
    int k = name_index(theme_names, v);
    if (k < 0) return cli_bad(cmd, "--theme: expected dark or light, got '%.40s'", v);
    *light = k;
    return 0;
}

int cli_parse_count(const char *s, long lo, long hi, long *out)
{
    return spec_int(s, lo, hi, out);
}

int cli_parse_size(const char *s, int *w, int *h)
{
    const char *xp = strchr(s, 'x');
    if (!xp) return -1;
    char a[32], b[32];
    size_t n = (size_t)(xp - s);
    if (n == 0 || n >= sizeof a || strlen(xp + 1) >= sizeof b) return -1;
    memcpy(a, s, n);
    a[n] = 0;
    strcpy(b, xp + 1);
    long lw, lh;
    if (spec_int(a, 1, 1 << 20, &lw) || spec_int(b, 1, 1 << 20, &lh)) return -1;
    *w = (int)lw;
    *h = (int)lh;
    return 0;
}

int cli_parse_shift(const char *s, double out[2])
{
    double v[2];
    if (spec_numbers(s, v, 2) == 0) {
        out[0] = v[0];
        out[1] = v[1];
        return 0;
    }
    if (spec_numbers(s, v, 1) != 0) return -1;
    out[0] = out[1] = v[0];
    return 0;
}

static int set_landscape(cli_scene *sc, const char *opt, const char *val, int is_expr,
                         char *err, size_t errlen)
{
    if (sc->have_landscape && !sc->ls_from_scene) {
        snprintf(err, errlen, "%s: a landscape was already given ('%s'); give one --landscape or --expr",
                 opt, sc->ls.label);
        return -1;
    }
    char msg[400];
    landscape ls;
    int rc = is_expr ? landscape_load_expr(&ls, val, msg, sizeof msg)
                     : landscape_load(&ls, val, msg, sizeof msg);
    if (rc != 0) {
        /* a formula's message already starts with "--expr: column N" */
        if (is_expr) snprintf(err, errlen, "%s", msg);
        else snprintf(err, errlen, "%s: %s", opt, msg);
        return -1;
    }
    if (sc->have_landscape) {
        /* it replaces the scene file's, and the file's start and view go with it */
        landscape_free(&sc->ls);
        if (sc->start_from_scene) sc->have_start = sc->start_from_scene = 0;
        if (sc->view_from_scene) sc->have_view = sc->view_from_scene = 0;
    }
    sc->ls = ls;
    sc->have_landscape = 1;
    sc->ls_from_scene = 0;
    return 0;
}

/* --scene FILE: the file's values as if given as options here. */
static int set_scene(cli_scene *sc, const char *path, char *err, size_t errlen)
{
    if (sc->doc) {
        snprintf(err, errlen, "--scene: given twice; give one scene file");
        return -1;
    }
    scene_doc *doc = malloc(sizeof *doc);
    if (!doc) {
        snprintf(err, errlen, "--scene: out of memory");
        return -1;
    }
    if (scenefile_load(path, doc, err, errlen) != 0) {
        free(doc);
        return -1;
    }
    sc->doc = doc;
    if (doc->have_landscape) {
        /* moved: the document keeps the rest */
        if (sc->have_landscape) landscape_free(&sc->ls);
        sc->ls = doc->ls;
        memset(&doc->ls, 0, sizeof doc->ls);
        doc->have_landscape = 0;
        sc->have_landscape = sc->ls_from_scene = 1;
    }
    if (doc->have_start) {
        memcpy(sc->start, doc->start, sizeof sc->start);
        sc->have_start = sc->start_from_scene = 1;
    }
    if (doc->have_view) {
        memcpy(sc->view, doc->view, sizeof sc->view);
        sc->have_view = sc->view_from_scene = 1;
    }
    if (doc->o.has_sched) sc->sched = doc->o.sched;
    if (doc->o.has_noise) sc->noise = doc->o.noise;
    if (doc->o.has_seed) sc->seed = doc->o.seed;
    if (doc->o.has_batch) sc->batch = doc->o.batch;
    if (doc->o.has_shuffle) sc->shuffle = doc->o.shuffle;
    if (doc->nrun > 0) {
        memset(sc->over, 0, sizeof sc->over);
        for (int k = 0; k < doc->nrun && k < CLI_MAX_RUNNERS; k++) {
            const scene_runner_doc *r = &doc->run[k];
            sc->opt[k] = r->opt;
            sc->over[k] = r->o;
        }
        sc->nopt = doc->nrun;
        sc->opt_from_scene = 1;
    }
    return 0;
}

/* ---- the scene options, one function each: 0, or -1 with the message in err ---- */

static int opt_landscape(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    return set_landscape(sc, "--landscape", v, 0, err, errlen);
}

static int opt_expr(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    return set_landscape(sc, "--expr", v, 1, err, errlen);
}

static int opt_optimizer(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    char msg[400];
    if (sc->opt_from_scene) {
        /* the command line's runners replace the scene file's */
        sc->nopt = 0;
        sc->opt_from_scene = 0;
        memset(sc->over, 0, sizeof sc->over);
    }
    if (sc->nopt >= CLI_MAX_RUNNERS) {
        snprintf(err, errlen, "--optimizer: at most %d optimizers", CLI_MAX_RUNNERS);
        return -1;
    }
    if (optim_parse(v, &sc->opt[sc->nopt], msg, sizeof msg)) {
        snprintf(err, errlen, "--optimizer: %s", msg);
        return -1;
    }
    sc->nopt++;
    return 0;
}

static int opt_schedule(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    char msg[400];
    if (sched_parse(v, &sc->sched, msg, sizeof msg)) {
        snprintf(err, errlen, "--schedule: %s", msg);
        return -1;
    }
    for (int k = 0; k < CLI_MAX_RUNNERS; k++) sc->over[k].has_sched = 0;
    return 0;
}

static int opt_start(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    int pr = cli_parse_point(v, sc->start);
    if (pr == -2) {
        snprintf(err, errlen, "--start: X and Y must be within +-%g (where runners count as diverged), got '%s'",
                 SIM_DIVERGE_BOX, quote(v));
        return -1;
    }
    if (pr != 0) {
        snprintf(err, errlen, "--start: expected two finite numbers X,Y, got '%s'", quote(v));
        return -1;
    }
    sc->have_start = 1;
    sc->start_from_scene = 0;
    return 0;
}

static int opt_view(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    double w[4];
    int pr = cli_parse_view(v, w);
    if (pr == -2) {
        snprintf(err, errlen, "--view: every bound must be within +-%g, got '%s'", SIM_DIVERGE_BOX, quote(v));
        return -1;
    }
    if (pr == -3) {
        snprintf(err, errlen, "--view: need X0 < X1 and Y0 < Y1, got '%s'", quote(v));
        return -1;
    }
    if (pr != 0) {
        snprintf(err, errlen, "--view: expected four finite numbers X0,X1,Y0,Y1, got '%s'", quote(v));
        return -1;
    }
    memcpy(sc->view, w, sizeof w);
    sc->have_view = 1;
    sc->view_from_scene = 0;
    return 0;
}

static int opt_noise(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    double s;
    if (spec_number(v, &s) || s < 0) {
        snprintf(err, errlen, "--noise: expected a number >= 0 (the sigma of the gradient noise), got '%s'", quote(v));
        return -1;
    }
    sc->noise = s;
    for (int k = 0; k < CLI_MAX_RUNNERS; k++) sc->over[k].has_noise = 0;
    return 0;
}

static int opt_seed(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    if (cli_parse_seed(v, &sc->seed) != 0) {
        snprintf(err, errlen, "--seed: expected a whole number from 0 to 18446744073709551615, got '%s'", quote(v));
        return -1;
    }
    for (int k = 0; k < CLI_MAX_RUNNERS; k++) sc->over[k].has_seed = 0;
    return 0;
}

static int opt_batch(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    long b;
    if (spec_int(v, 0, DATASET_MAX_N_LSQ, &b) != 0) {
        snprintf(err, errlen, "--batch: expected a whole number from 0 (the full loss) to %d, got '%s'",
                 DATASET_MAX_N_LSQ, quote(v));
        return -1;
    }
    sc->batch = (int)b;
    return 0;
}

static int opt_shuffle(cli_scene *sc, const char *v, char *err, size_t errlen)
{
    if (spec_bool(v, &sc->shuffle) != 0) {
        snprintf(err, errlen, "--shuffle: expected 0 or 1, got '%s'", quote(v));
        return -1;
    }
    return 0;
}

static const struct {
    const char *name;
    int (*take)(cli_scene *sc, const char *v, char *err, size_t errlen);
} scene_options[] = {
    {"--landscape", opt_landscape}, {"--expr", opt_expr}, {"--scene", set_scene},
    {"--optimizer", opt_optimizer}, {"--schedule", opt_schedule}, {"--start", opt_start},
    {"--view", opt_view}, {"--noise", opt_noise}, {"--seed", opt_seed},
    {"--batch", opt_batch}, {"--shuffle", opt_shuffle},
};

int cli_scene_option(cli_scene *sc, int argc, char **argv, int *i, char *err, size_t errlen)
{
    for (size_t k = 0; k < sizeof scene_options / sizeof scene_options[0]; k++) {
        const char *v;
        int r = cli_take(scene_options[k].name, argc, argv, i, &v, err, errlen);
        if (r < 0) return -1;
        if (r > 0) return scene_options[k].take(sc, v, err, errlen) != 0 ? -1 : 1;
    }
    return 0;
}

int cli_scene_check_batch(const cli_scene *sc, char *err, size_t errlen)
{
    if (sc->batch > 0 && sc->have_landscape && !sc->ls.data) {
        snprintf(err, errlen, "--batch: '%.60s' is not made from data; minibatches need a data "
                 "landscape (linreg, linreg2, logreg, sharp_flat_data)", sc->ls.label);
        return -1;
    }
    return 0;
}

void cli_scene_finish(cli_scene *sc)
{
    if (!sc->have_start) {
        sc->start[0] = sc->ls.start[0];
        sc->start[1] = sc->ls.start[1];
    }
    if (!sc->have_view) memcpy(sc->view, sc->ls.view, sizeof sc->view);
}

runner_desc cli_runner_desc(const cli_scene *sc, int k)
{
    runner_desc d;
    memset(&d, 0, sizeof d);
    const scene_run_opts *o = &sc->over[k];
    d.opt = sc->opt[k];
    d.sched = o->has_sched ? o->sched : sc->sched;
    d.start[0] = sc->start[0];
    d.start[1] = sc->start[1];
    d.noise = o->has_noise ? o->noise : sc->noise;
    /* each runner its own stream, all determined by the scene's seed (or the
       runner's own, from a scene file) */
    d.seed = (o->has_seed ? o->seed : sc->seed) + SCENE_SEED_STRIDE * (uint64_t)k;
    /* minibatches over the landscape's data (bound again by live_add in a window) */
    d.data = sc->have_landscape ? sc->ls.data : NULL;
    d.batch = o->has_batch ? o->batch : sc->batch;
    d.shuffle = o->has_shuffle ? o->shuffle : sc->shuffle;
    return d;
}

int cli_stdout_done(const char *cmd)
{
    if (fflush(stdout) == 0 && !ferror(stdout)) return EXIT_OK;
    fprintf(stderr, "optiscape %s: writing the output failed\n", cmd);
    return EXIT_RUNTIME;
}

/* ---- option tables ---------------------------------------------------------------- */

int cli_check_png(const cli_opt *opt, const char *v, void *user, char *err, size_t errlen)
{
    size_t n = strlen(v);
    if (n >= 5 && strcmp(v + n - 4, ".png") == 0) return 0;
    snprintf(err, errlen, "%s: '%.80s' must end in .png", opt->name, v);
    return -1;
}

/* The text "expected" is followed by in opt's usual refusal. */
static void expected(const cli_opt *o, char *buf, size_t n)
{
    static const char *const what[] = {
        [CLI_SEED] = "a whole number from 0 to 18446744073709551615",
        [CLI_SIZE] = "WxH",
        [CLI_SHIFT] = "S or SX,SY (finite numbers)",
        [CLI_VIEW] = "four finite numbers X0,X1,Y0,Y1",
        [CLI_ONOFF] = "on or off",
        [CLI_THEME] = "dark or light",
        [CLI_CMAP] = "viridis, cividis or light",
        [CLI_CUSTOM] = "something else",
    };
    if (o->kind == CLI_LONG || o->kind == CLI_INT)
        snprintf(buf, n, "%s from %ld to %ld", o->expect ? o->expect : "a whole number", (long)o->lo, (long)o->hi);
    else if (o->kind == CLI_DOUBLE)
        snprintf(buf, n, "%s from %g to %g", o->expect ? o->expect : "a number", o->lo, o->hi);
    else
        snprintf(buf, n, "%s", o->expect ? o->expect : what[o->kind] ? what[o->kind] : "a value");
}

#define CLI_STR_(x) #x
#define CLI_STR(x) CLI_STR_(x)

/* The value of one option into its destination: 0, or -1 (the usual refusal), or a
 * refusal of its own already in err. */
static int parse_value(const cli_opt *o, const char *v, char *err, size_t errlen)
{
    long n;
    int k;
    switch (o->kind) {
    case CLI_LONG: return cli_parse_count(v, (long)o->lo, (long)o->hi, o->dst);
    case CLI_INT:
        if (cli_parse_count(v, (long)o->lo, (long)o->hi, &n) != 0) return -1;
        *(int *)o->dst = (int)n;
        return 0;
    case CLI_DOUBLE: return cli_parse_number(v, o->lo, o->hi, o->dst);
    case CLI_STRING:
        if (*(const char **)o->dst) {
            snprintf(err, errlen, "%s was already given; give it once", o->name);
            return -1;
        }
        *(const char **)o->dst = v;
        return 0;
    case CLI_SEED: return cli_parse_seed(v, o->dst);
    case CLI_SIZE: return cli_parse_size(v, o->dst, o->dst2);
    case CLI_SHIFT: return cli_parse_shift(v, o->dst);
    case CLI_VIEW:
        k = cli_parse_view(v, o->dst);
        if (k == -2) snprintf(err, errlen, "%s: every bound must be within +-" CLI_STR(SIM_DIVERGE_BOX), o->name);
        if (k == -3) snprintf(err, errlen, "%s: need X0 < X1 and Y0 < Y1", o->name);
        return k;
    case CLI_ONOFF: return onoff_value(v, o->dst);
    case CLI_THEME:
    case CLI_CMAP:
        k = o->kind == CLI_THEME ? name_index(theme_names, v) : cli_cmap(v);
        if (k < 0) return -1;
        *(int *)o->dst = k;
        return 0;
    case CLI_FLAG:
    case CLI_CUSTOM: return 0;
    }
    return -1;
}

static int take_value(const cli_parser *p, const cli_opt *o, const char *v)
{
    char err[512] = "", what[160], buf[128];
    int r = parse_value(o, v, err, sizeof err);
    if (r == 0 && o->check) r = o->check(o, v, p->user, err, sizeof err);
    if (r == 0) {
        if (o->given) *o->given = 1;
        return 0;
    }
    const char *shown = o->show > 0 ? (snprintf(buf, sizeof buf, "%.*s", o->show, v), buf) : quote(v);
    if (err[0] && r < -1) return cli_bad(p->cmd, "%s, got '%s'", err, shown);   /* a view's bounds */
    if (err[0]) return cli_bad(p->cmd, "%s", err);
    expected(o, what, sizeof what);
    return cli_bad(p->cmd, "%s: expected %s, got '%s'", o->name, what, shown);
}

/* Is argv[i] one of the scene options this command takes? */
static int scene_allowed(const cli_parser *p, const char *a)
{
    if (!p->scene_only) return 1;
    for (const char *const *s = p->scene_only; *s; s++) {
        size_t n = strlen(*s);
        if (strncmp(a, *s, n) == 0 && (a[n] == 0 || a[n] == '=')) return 1;
    }
    return 0;
}

int cli_stop(cli_scene *sc, int rc)
{
    cli_scene_free(sc);
    return rc == CLI_HELP ? EXIT_OK : rc;
}

int cli_parse(const cli_parser *p, int argc, char **argv)
{
    char err[512];
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (p->help && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
            p->help();
            return CLI_HELP;
        }
        const cli_opt *o = p->opts;
        int r = 0;
        for (; o && o->name; o++) {
            if (o->kind == CLI_FLAG) r = strcmp(a, o->name) == 0;
            else r = cli_take(o->name, argc, argv, &i, &v, err, sizeof err);
            if (r != 0) break;
        }
        if (r < 0) return cli_bad(p->cmd, "%s", err);
        if (r > 0 && o->kind == CLI_FLAG) {
            *(int *)o->dst = 1;
            if (o->given) *o->given = 1;
            continue;
        }
        if (r > 0) {
            int rc = take_value(p, o, v);
            if (rc != 0) return rc;
            continue;
        }
        if (p->scene && scene_allowed(p, a)) {
            r = cli_scene_option(p->scene, argc, argv, &i, err, sizeof err);
            if (r < 0) return cli_bad(p->cmd, "%s", err);
            if (r > 0) {
                if (p->on_scene) p->on_scene(p->user, a);
                continue;
            }
        }
        return cli_bad(p->cmd, p->unknown, p->unknown_quoted ? quote(a) : a);
    }
    return 0;
}
