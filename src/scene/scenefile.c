/* scenefile: see scenefile.h. The parser reads a line at a time into a bounded,
 * NUL-terminated copy so the core's strict parsers (optim_parse, sched_parse,
 * landscape_load, spec_number) judge every value; what is checked across lines
 * (a runner without an optimizer, selected beyond the runners) is checked at the
 * end with the line it came from. */
#include "scene/scenefile.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/expr.h"
#include "core/sim.h"
#include "core/spec.h"
#include "core/quote.h"
#include "scene/netseeds.h"

const char *const scene_disp_names[SCENE_DISP_COUNT] = {
    "theme", "cmap",
#define SCENE_DISP_NAME(field, NAME, scene_key, ...) scene_key,
    LIVE_DISPLAY_SAVED(SCENE_DISP_NAME)
#undef SCENE_DISP_NAME
};

const char *const scene_control_names[] = {
    "lr", "momentum", "dampening", "beta1", "beta2", "eps", "weight_decay", "noise", "alpha",
    "lr_decay", "rho", "speed", "batch",
    /* the network lab's (noise and batch above are its data's noise and its batch) */
    "data", "split", "shift", "layers", "width", "activation", "bn", "bn_momentum",
    "optimizer", "shuffle", "plane", "axis", "seeds",
};
const int scene_control_count = (int)(sizeof scene_control_names / sizeof scene_control_names[0]);

void scene_doc_free(scene_doc *doc)
{
    if (doc->have_landscape) landscape_free(&doc->ls);
    doc->have_landscape = 0;
}

/* ---- reading --------------------------------------------------------------------- */

enum { SEC_NONE, SEC_SCENE, SEC_RUNNER, SEC_PLAY, SEC_DISPLAY, SEC_CLASS, SEC_NET, SEC_COUNT };
static const char *const sec_names[SEC_COUNT] = {"", "scene", "runner", "play", "display", "class", "net"};

enum { K_TITLE, K_CAPTION, K_LANDSCAPE, K_EXPR, K_VIEW, K_START, K_SECTION, K_SCHEDULE, K_NOISE, K_SEED,
       K_BATCH, K_SHUFFLE };
static const char *const scene_keys[] = {"title", "caption", "landscape", "expr", "view", "start", "section",
                                         "schedule", "noise", "seed", "batch", "shuffle", NULL};
/* the run options (schedule .. shuffle) come last, in the same order in both */
enum { R_OPTIMIZER, R_LABEL, R_VISIBLE, R_SCHEDULE, R_NOISE, R_SEED, R_BATCH, R_SHUFFLE };
static const char *const runner_keys[] = {"optimizer", "label", "visible", "schedule", "noise", "seed",
                                          "batch", "shuffle", NULL};
enum { P_SPEED, P_STEPS, P_PLAYING, P_SELECTED };
static const char *const play_keys[] = {"speed", "steps", "playing", "selected", NULL};
static const char *const class_keys[] = {"controls", "chart", NULL};
/* the view keys (plane .. seeds) come last: the first [net] only */
enum { N_NET, N_DATA, N_OPTIMIZER, N_SCHEDULE, N_BATCH, N_SHUFFLE, N_SEED, N_STEPS, N_LABEL, N_PRETRAIN,
       N_PLANE, N_RANGE, N_GRID, N_AXIS, N_DEVICE, N_SPECTRUM, N_SEEDS };
static const char *const net_keys[] = {"net", "data", "optimizer", "schedule", "batch", "shuffle", "seed",
                                       "steps", "label", "pretrain", "plane", "range", "grid", "axis",
                                       "device", "spectrum", "seeds", NULL};
const char *const scene_net_axis_names[3] = {"updates", "epochs", "seconds"};
const char *const scene_net_plane_names[NETLAB_PLANE_COUNT] = {"random", "pca", "params", "hessian", "hessian-low"};

typedef struct parser {
    const char *name;
    char *err;
    size_t errlen;
    long line;
    int sec;
    unsigned seen_sec;            /* a bit per section */
    unsigned seen_key;            /* a bit per key of the current section */
    long runner_line;             /* header of the [runner] being read */
    long scene_line;              /* header of [scene] */
    int runner_has_opt;
    long selected_line;
    long net_line;                /* header of the [net] being read */
    const char *dir;              /* the scene file's folder (relative plane files), or NULL */
    scene_doc *doc;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(parser *p, const char *fmt, ...)
{
    if (!p->err || !p->errlen) return -1;
    int n = snprintf(p->err, p->errlen, "%s:%ld: ", p->name, p->line);
    if (n < 0 || (size_t)n >= p->errlen) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

static char *trim(char *s)
{
    while (is_blank(*s)) s++;
    size_t n = strlen(s);
    while (n && is_blank(s[n - 1])) s[--n] = 0;
    return s;
}

static int find_key(const char *const *keys, const char *key)
{
    for (int i = 0; keys[i]; i++)
        if (strcmp(keys[i], key) == 0) return i;
    return -1;
}

static void join_keys(const char *const *keys, int n, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (int i = 0; (n < 0 ? keys[i] != NULL : i < n) && o < cap; i++) {
        int k = snprintf(out + o, cap - o, "%s%s", i ? ", " : "", keys[i]);
        if (k < 0) break;
        o += (size_t)k;
    }
}

/* Well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], cp, min;
        int k;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xe0) == 0xc0) { k = 1; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { k = 2; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { k = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        for (int j = 1; j <= k; j++) {
            if (i + (size_t)j >= n || (s[i + (size_t)j] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + (size_t)j] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        i += (size_t)k + 1;
    }
    return 1;
}

/* A line of text shown as it is (title, caption, label). */
static int text_value(parser *p, const char *key, const char *v, size_t max, char *out)
{
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
            return fail(p, "%s: a control character (byte %d) in the text", key, (unsigned char)v[i]);
    if (!utf8_valid((const unsigned char *)v, n)) return fail(p, "%s: not valid UTF-8", key);
    if (n > max) return fail(p, "%s: %zu bytes long, at most %zu", key, n, max);
    memcpy(out, v, n + 1);
    return 0;
}

static int bool_value(parser *p, const char *key, const char *v, int *out)
{
    if (spec_bool(v, out) != 0) return fail(p, "%s: expected on or off, got '%.60s'", key, v);
    return 0;
}

static int noise_value(parser *p, const char *v, double *out)
{
    if (spec_number(v, out) != 0 || !(*out >= 0))
        return fail(p, "noise: expected a number >= 0 (the sigma of the gradient noise), got '%.60s'", v);
    return 0;
}

/* A whole number 0 .. 2^64 - 1, digits only. */
static int seed_value(parser *p, const char *v, uint64_t *out)
{
    uint64_t s = 0;
    const char *c = v;
    for (; *c >= '0' && *c <= '9'; c++) {
        unsigned d = (unsigned)(*c - '0');
        if (s > (UINT64_MAX - d) / 10) break;
        s = s * 10 + d;
    }
    if (c == v || *c)
        return fail(p, "seed: expected a whole number from 0 to 18446744073709551615, got '%.60s'", v);
    *out = s;
    return 0;
}

static int sched_value(parser *p, const char *v, sched_desc *out)
{
    char msg[400];
    if (sched_parse(v, out, msg, sizeof msg) != 0) return fail(p, "%s", msg);
    return 0;
}

/* schedule (k 0), noise (1), seed (2), batch (3) or shuffle (4), in [scene] or a
 * [runner] */
static int run_opts_key(parser *p, scene_run_opts *o, int k, const char *v)
{
    switch (k) {
    case 0:
        o->has_sched = 1;
        return sched_value(p, v, &o->sched);
    case 1:
        o->has_noise = 1;
        return noise_value(p, v, &o->noise);
    case 2:
        o->has_seed = 1;
        return seed_value(p, v, &o->seed);
    case 3: {
        long b;
        if (spec_int(v, 0, 1000000, &b) != 0)
            return fail(p, "batch: expected a whole number of samples from 0 (the full loss) to 1000000, got '%.60s'", v);
        o->has_batch = 1;
        o->batch = (int)b;
        return 0;
    }
    default:
        o->has_shuffle = 1;
        return bool_value(p, "shuffle", v, &o->shuffle);
    }
}

/* view and start: finite numbers within the box where runners count as diverged */
static int numbers_value(parser *p, const char *key, const char *v, double *out, int n)
{
    double w[4];
    if (spec_numbers(v, w, n) != 0)
        return fail(p, "%s: expected %s, got '%.60s'", key,
                    n == 4 ? "four numbers X0, X1, Y0, Y1" : "two numbers X, Y", v);
    for (int k = 0; k < n; k++)
        if (!(fabs(w[k]) <= SIM_DIVERGE_BOX))
            return fail(p, "%s: every number must be within +-%g (where runners count as diverged), got '%.60s'",
                        key, SIM_DIVERGE_BOX, v);
    memcpy(out, w, (size_t)n * sizeof *w);
    return 0;
}

static int landscape_value(parser *p, int is_expr, const char *v)
{
    scene_doc *doc = p->doc;
    if (doc->have_landscape)
        return fail(p, "both landscape and expr: give one of them");
    /* a relative plane file lies beside the scene file, wherever it is run from */
    char beside[sizeof doc->ls.label + 64];
    if (!is_expr && p->dir && strncmp(v, "plane:file=", 11) == 0 && v[11] && v[11] != '/') {
        int n = snprintf(beside, sizeof beside, "plane:file=%s/%s", p->dir, v + 11);
        if (n < 0 || (size_t)n >= sizeof beside)
            return fail(p, "landscape: the plane file's path beside the scene (%s/%.40s) is too long", p->dir,
                        v + 11);
        v = beside;
    }
    char msg[400];
    int rc = is_expr ? landscape_load_expr(&doc->ls, v, msg, sizeof msg)
                     : landscape_load(&doc->ls, v, msg, sizeof msg);
    if (rc != 0) {
        /* a formula's message is "--expr: column N: ..." */
        const char *m = msg;
        if (is_expr && strncmp(m, "--expr: ", 8) == 0) m += 8;
        return is_expr ? fail(p, "expr: %s", m) : fail(p, "%s", m);
    }
    doc->have_landscape = 1;
    return 0;
}

static int scene_key(parser *p, int k, const char *v)
{
    scene_doc *doc = p->doc;
    switch (k) {
    case K_TITLE: return text_value(p, "title", v, SCENE_TEXT_MAX, doc->title);
    case K_CAPTION:
        if (text_value(p, "caption", v, SCENE_TEXT_MAX, doc->caption[doc->ncaption]) != 0) return -1;
        doc->ncaption++;
        return 0;
    case K_LANDSCAPE: return landscape_value(p, 0, v);
    case K_EXPR: return landscape_value(p, 1, v);
    case K_VIEW: {
        double w[4];
        if (numbers_value(p, "view", v, w, 4) != 0) return -1;
        if (!(w[0] < w[1]) || !(w[2] < w[3]))
            return fail(p, "view: need X0 < X1 and Y0 < Y1, got '%.60s'", v);
        memcpy(doc->view, w, sizeof w);
        doc->have_view = 1;
        return 0;
    }
    case K_START:
        if (numbers_value(p, "start", v, doc->start, 2) != 0) return -1;
        doc->have_start = 1;
        return 0;
    case K_SECTION: {
        /* the cross-section's segment X0, Y0, X1, Y1 (two distinct ends) */
        double w[4];
        if (spec_numbers(v, w, 4) != 0)
            return fail(p, "section: expected four numbers X0, Y0, X1, Y1 (the segment's ends), got '%.60s'", v);
        if (numbers_value(p, "section", v, w, 4) != 0) return -1;
        if (w[0] == w[2] && w[1] == w[3]) return fail(p, "section: its two ends are the same point: '%.60s'", v);
        memcpy(doc->section, w, sizeof w);
        doc->have_section = 1;
        return 0;
    }
    default: return run_opts_key(p, &doc->o, k - K_SCHEDULE, v);
    }
}

static int runner_key(parser *p, int k, const char *v)
{
    scene_runner_doc *r = &p->doc->run[p->doc->nrun - 1];
    char msg[400];
    switch (k) {
    case R_OPTIMIZER:
        if (optim_parse(v, &r->opt, msg, sizeof msg) != 0) return fail(p, "%s", msg);
        p->runner_has_opt = 1;
        return 0;
    case R_LABEL: return text_value(p, "label", v, SCENE_LABEL_MAX, r->label);
    case R_VISIBLE: return bool_value(p, "visible", v, &r->visible);
    default: return run_opts_key(p, &r->o, k - R_SCHEDULE, v);
    }
}

static int play_key(parser *p, int k, const char *v)
{
    scene_doc *doc = p->doc;
    switch (k) {
    case P_SPEED:
        doc->has_speed = 1;
        if (spec_number(v, &doc->speed) != 0 || !(doc->speed >= SCENE_SPEED_MIN && doc->speed <= SCENE_SPEED_MAX))
            return fail(p, "speed: expected steps per second from %g to %g, got '%.60s'", SCENE_SPEED_MIN,
                        SCENE_SPEED_MAX, v);
        return 0;
    case P_STEPS:
        doc->has_steps = 1;
        if (spec_int(v, 0, SCENE_MAX_STEPS, &doc->steps) != 0)
            return fail(p, "steps: expected a whole number from 0 to %ld, got '%.60s'", SCENE_MAX_STEPS, v);
        return 0;
    case P_PLAYING:
        doc->has_playing = 1;
        return bool_value(p, "playing", v, &doc->playing);
    default: {
        long s;
        if (spec_int(v, 1, SCENE_MAX_RUNNERS, &s) != 0)
            return fail(p, "selected: expected a runner number from 1 to %d, got '%.60s'", SCENE_MAX_RUNNERS, v);
        doc->has_selected = 1;
        doc->selected = (int)s - 1;
        p->selected_line = p->line;
        return 0;
    }
    }
}

static int display_key(parser *p, int k, const char *v)
{
    scene_doc *doc = p->doc;
    doc->disp_set[k] = 1;
    if (k == SCENE_DISP_THEME || k == SCENE_DISP_CMAP) {
        const char *a = k == SCENE_DISP_THEME ? "dark" : "viridis", *b = k == SCENE_DISP_THEME ? "light" : "cividis";
        if (strcmp(v, a) == 0) doc->disp[k] = 0;
        else if (strcmp(v, b) == 0) doc->disp[k] = 1;
        else return fail(p, "%s: expected %s or %s, got '%.60s'", scene_disp_names[k], a, b, v);
        return 0;
    }
    return bool_value(p, scene_disp_names[k], v, &doc->disp[k]);
}

static int class_key(parser *p, char *v)
{
    scene_doc *doc = p->doc;
    char known[256];
    join_keys(scene_control_names, scene_control_count, known, sizeof known);
    for (char *item = v;;) {
        char *comma = strchr(item, ',');
        if (comma) *comma = 0;
        char *name = trim(item);
        if (!*name) return fail(p, "controls: an empty name in the list (known: %s)", known);
        int found = 0;
        for (int i = 0; i < scene_control_count; i++) found |= strcmp(scene_control_names[i], name) == 0;
        if (!found) return fail(p, "controls: unknown control '%.40s' (known: %s)", name, known);
        for (int i = 0; i < doc->ncontrols; i++)
            if (strcmp(doc->controls[i], name) == 0) return fail(p, "controls: '%s' named twice", name);
        snprintf(doc->controls[doc->ncontrols++], sizeof doc->controls[0], "%s", name);
        if (!comma) return 0;
        item = comma + 1;
    }
}

/* A spec string the core's parser judged: kept as the core writes it back. */
static int net_key(parser *p, int k, const char *v)
{
    scene_doc *doc = p->doc;
    scene_net_doc *n = &doc->net[doc->nnet - 1];
    netlab_desc *d = &n->d;
    char msg[400];
    if (k >= N_PLANE && doc->nnet > 1)
        return fail(p, "%s: a view key, given in the first [net] only (this is [net] %d)", net_keys[k], doc->nnet);
    switch (k) {
    case N_NET: {
        net_spec ns;
        if (net_parse(v, &ns, msg, sizeof msg) != 0) return fail(p, "net: %s", msg);
        net_format(&ns, d->net, sizeof d->net);
        return 0;
    }
    case N_DATA:
        if (strlen(v) >= sizeof d->data) return fail(p, "data: longer than %zu bytes", sizeof d->data - 1);
        memcpy(d->data, v, strlen(v) + 1);
        return 0;
    case N_OPTIMIZER: {
        optim_desc od;
        if (optim_parse(v, &od, msg, sizeof msg) != 0) return fail(p, "optimizer: %s", msg);
        optim_format(&od, d->opt, sizeof d->opt);
        return 0;
    }
    case N_SCHEDULE: {
        sched_desc sd;
        if (sched_parse(v, &sd, msg, sizeof msg) != 0) return fail(p, "schedule: %s", msg);
        sched_format(&sd, d->sched, sizeof d->sched);
        return 0;
    }
    case N_BATCH: {
        long b;
        if (spec_int(v, 0, 1000000, &b) != 0)
            return fail(p, "batch: expected a whole number of samples from 0 (the full batch) to 1000000, got '%.60s'", v);
        d->batch = (int)b;
        return 0;
    }
    case N_SHUFFLE: {
        int on;
        if (bool_value(p, "shuffle", v, &on) != 0) return -1;
        d->no_shuffle = !on;
        return 0;
    }
    case N_SEED:
        if (spec_int(v, 0, 0x7fffffffL, &d->seed) != 0)
            return fail(p, "seed: expected a whole number from 0 to 2147483647, got '%.60s'", v);
        return 0;
    case N_STEPS:
        if (spec_int(v, 0, SCENE_MAX_STEPS, &d->steps) != 0)
            return fail(p, "steps: expected a whole number of updates from 0 (no end) to %ld, got '%.60s'",
                        SCENE_MAX_STEPS, v);
        return 0;
    case N_LABEL: return text_value(p, "label", v, SCENE_LABEL_MAX, n->label);
    case N_PRETRAIN:
        if (spec_int(v, 0, SCENE_NET_MAX_PRETRAIN, &n->pretrain) != 0)
            return fail(p, "pretrain: expected a whole number of updates from 0 to %ld, got '%.60s'",
                        SCENE_NET_MAX_PRETRAIN, v);
        return 0;
    case N_PLANE: {
        for (int i = 0; i < NETLAB_PLANE_COUNT; i++)
            if (scene_net_plane_names[i] && i != NETLAB_PLANE_PARAMS && strcmp(v, scene_net_plane_names[i]) == 0) {
                d->plane = (netlab_plane_kind)i;
                return 0;
            }
        long a, b;
        const char *c = strncmp(v, "params:", 7) == 0 ? strchr(v + 7, ',') : NULL;
        char first[32];
        if (c && (size_t)(c - (v + 7)) < sizeof first) {
            memcpy(first, v + 7, (size_t)(c - (v + 7)));
            first[c - (v + 7)] = 0;
            if (spec_int(first, 0, 100000000L, &a) == 0 && spec_int(c + 1, 0, 100000000L, &b) == 0) {
                d->plane = NETLAB_PLANE_PARAMS;
                d->pi = (int)a;
                d->pj = (int)b;
                return 0;
            }
        }
        char known[200] = "";
        for (int i = 0; i < NETLAB_PLANE_COUNT; i++)
            if (scene_net_plane_names[i] && i != NETLAB_PLANE_PARAMS)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s, ", scene_net_plane_names[i]);
        return fail(p, "plane: expected one of %sparams:I,J (two parameter indices), got '%.60s'", known, v);
    }
    case N_RANGE:
        if (spec_number(v, &d->range) != 0 || !(d->range > 0 && d->range <= 1000))
            return fail(p, "range: expected a number above 0 and up to 1000 (the slice's half width), got '%.60s'", v);
        return 0;
    case N_GRID: {
        long g;
        if (spec_int(v, 5, 201, &g) != 0)
            return fail(p, "grid: expected a whole number of points per side from 5 to 201, got '%.60s'", v);
        d->grid = (int)g;
        return 0;
    }
    case N_AXIS:
        for (int i = 0; i < 3; i++)
            if (strcmp(v, scene_net_axis_names[i]) == 0) {
                n->axis = i;
                return 0;
            }
        return fail(p, "axis: expected updates, epochs or seconds, got '%.60s'", v);
    case N_DEVICE: {
        double w[2];
        if (spec_numbers(v, w, 2) != 0 || !(w[0] >= 1 && w[0] <= 1e6 && w[0] == floor(w[0])) ||
            !(w[1] > 0 && w[1] <= 1e3))
            return fail(p, "device: expected P, T: the samples the device takes at once (1 to 1000000) and its "
                        "seconds per update (above 0, up to 1000), got '%.60s'", v);
        d->device_width = (int)w[0];
        d->device_t1 = w[1];
        return 0;
    }
    case N_SEEDS: {
        /* K[, STEPS[, GTOL]]: note 000's scatter of the minimum ratio */
        double w[3] = {0, NETSEEDS_DEFAULT_STEPS, NETSEEDS_DEFAULT_GTOL};
        int given = 1;
        for (const char *c = v; *c; c++) given += *c == ',';
        if (given > 3 || spec_numbers(v, w, given) != 0 || !(w[0] >= 1 && w[0] <= NETSEEDS_MAX && w[0] == floor(w[0])) ||
            !(w[1] >= 1 && w[1] <= 1e6 && w[1] == floor(w[1])) || !(w[2] >= 0 && w[2] < 1e3))
            return fail(p, "seeds: expected K[, STEPS[, GTOL]]: 1 to %d seeds, each trained up to 1 .. 1000000 "
                        "updates or until the gradient norm is below GTOL (0 up to 1000), got '%.60s'", NETSEEDS_MAX, v);
        n->seeds = (int)w[0];
        n->seeds_steps = (long)w[1];
        n->seeds_gtol = w[2];
        return 0;
    }
    default: {
        long e;
        if (spec_int(v, 1, 100000, &e) != 0)
            return fail(p, "spectrum: expected the updates between spectra, 1 to 100000, got '%.60s'", v);
        d->spectrum_every = (int)e;
        return 0;
    }
    }
}

static int set_key(parser *p, const char *key, char *v)
{
    static const char *const *const keys[SEC_COUNT] = {NULL, scene_keys, runner_keys, play_keys,
                                                       scene_disp_names, class_keys, net_keys};
    const char *const *list = keys[p->sec];
    int k = -1, nkeys = p->sec == SEC_DISPLAY ? SCENE_DISP_COUNT : -1;
    if (nkeys < 0) k = find_key(list, key);
    else
        for (int i = 0; i < nkeys; i++)
            if (strcmp(list[i], key) == 0) k = i;
    if (k < 0) {
        char known[400];
        join_keys(list, nkeys, known, sizeof known);
        int upper = 0;
        for (const char *c = key; *c; c++) upper |= *c >= 'A' && *c <= 'Z';
        return fail(p, "unknown key '%.40s' in [%s]%s (known: %s)", key, sec_names[p->sec],
                    upper ? ", keys are lower case" : "", known);
    }
    unsigned bit = 1u << k;
    if (p->sec == SEC_SCENE && k == K_CAPTION) {
        if (p->doc->ncaption == 2) return fail(p, "caption given a third time: at most two caption lines");
    } else if (p->seen_key & bit) {
        return fail(p, "duplicate key '%s' in [%s]", key, sec_names[p->sec]);
    }
    p->seen_key |= bit;
    switch (p->sec) {
    case SEC_SCENE: return scene_key(p, k, v);
    case SEC_RUNNER: return runner_key(p, k, v);
    case SEC_PLAY: return play_key(p, k, v);
    case SEC_DISPLAY: return display_key(p, k, v);
    case SEC_NET: return net_key(p, k, v);
    default:
        if (k == 1) {
            p->doc->has_class_chart = 1;
            return bool_value(p, "chart", v, &p->doc->class_chart);
        }
        return class_key(p, v);
    }
}

/* The [runner] just read must have named its optimizer; the [net] just read must
 * make a lab (its data fit its net, BN has batches of two or more, ...). */
static int end_section(parser *p)
{
    if (p->sec == SEC_RUNNER && !p->runner_has_opt) {
        p->line = p->runner_line;
        return fail(p, "[runner] without an optimizer (give optimizer = SPEC, e.g. sgd:lr=0.1)");
    }
    if (p->sec == SEC_NET) {
        char msg[600];
        if (netlab_check(&p->doc->net[p->doc->nnet - 1].d, msg, sizeof msg) != 0) {
            p->line = p->net_line;
            return fail(p, "[net]: %s", msg);
        }
    }
    return 0;
}

static int begin_section(parser *p, const char *name)
{
    long line = p->line;
    if (end_section(p) != 0) return -1;
    p->line = line;
    int s = -1;
    for (int i = 1; i < SEC_COUNT; i++)
        if (strcmp(sec_names[i], name) == 0) s = i;
    if (s < 0)
        return fail(p, "unknown section [%.40s] (sections: [scene], [runner], [play], [display], [class], [net])",
                    name);
    if (s == SEC_RUNNER) {
        scene_doc *doc = p->doc;
        if (doc->nrun == SCENE_MAX_RUNNERS) return fail(p, "more than %d runners", SCENE_MAX_RUNNERS);
        scene_runner_doc *r = &doc->run[doc->nrun++];
        memset(r, 0, sizeof *r);
        r->o.sched = sched_defaults(SCHED_CONSTANT);
        r->visible = 1;
        p->runner_line = p->line;
        p->runner_has_opt = 0;
    } else if (s == SEC_NET) {
        scene_doc *doc = p->doc;
        if (doc->nnet == SCENE_MAX_NETS) return fail(p, "more than %d [net] sections", SCENE_MAX_NETS);
        scene_net_doc *n = &doc->net[doc->nnet++];
        memset(n, 0, sizeof *n);
        /* the simulated device is the scene's: the labs compared run on the same one */
        if (doc->nnet > 1) {
            n->d.device_width = doc->net[0].d.device_width;
            n->d.device_t1 = doc->net[0].d.device_t1;
        }
        p->net_line = p->line;
    } else if (s == SEC_SCENE && !(p->seen_sec & (1u << s))) {
        p->scene_line = p->line;
    } else if (p->seen_sec & (1u << s)) {
        return fail(p, "a second [%s] section (it may appear once)", name);
    }
    p->seen_sec |= 1u << s;
    p->sec = s;
    p->seen_key = 0;
    return 0;
}

static int parse_line(parser *p, char *s)
{
    s = trim(s);
    if (!*s || *s == ';' || *s == '#') return 0;
    /* a comment runs from a ';' or '#' that follows a blank */
    for (char *c = s + 1; *c; c++)
        if ((*c == ';' || *c == '#') && is_blank(c[-1])) {
            *c = 0;
            break;
        }
    s = trim(s);
    if (*s == '[') {
        char *close = strchr(s, ']');
        if (!close) return fail(p, "section header without ']': '%.40s'", s);
        if (close[1]) return fail(p, "unexpected text after ']': '%.40s'", close + 1);
        *close = 0;
        return begin_section(p, trim(s + 1));
    }
    char *eq = strchr(s, '=');
    if (!eq) return fail(p, "missing '=' (expected key = value, got '%.40s')", s);
    *eq = 0;
    char *key = trim(s), *v = trim(eq + 1);
    if (!*key) return fail(p, "missing the key before '='");
    if (p->sec == SEC_NONE)
        return fail(p, "'%.40s' is outside any section (the file starts with [scene])", key);
    if (!*v) return fail(p, "empty value for '%.40s'", key);
    return set_key(p, key, v);
}

static int finish(parser *p)
{
    if (end_section(p) != 0) return -1;
    if (!(p->seen_sec & (1u << SEC_SCENE))) {
        if (p->line < 1) p->line = 1;
        return fail(p, "no [scene] section (a scene file has one, with its landscape or expr)");
    }
    scene_doc *doc = p->doc;
    if (!doc->have_landscape && doc->nnet == 0) {
        /* every command needs one, so every command refuses its absence alike */
        p->line = p->scene_line;
        return fail(p, "[scene] has no landscape (give landscape = NAME or expr = FORMULA, or a [net] section)");
    }
    int nrun = doc->nrun ? doc->nrun : SCENE_DEFAULT_RUNNERS;
    if (doc->has_selected && doc->selected >= nrun) {
        p->line = p->selected_line;
        return fail(p, "selected: runner %d, but the scene has %d%s", doc->selected + 1, nrun,
                    doc->nrun ? " runners" : " (the default runners)");
    }
    return 0;
}

/* Messages are one line: whatever control bytes the input had become '?'. */
static void one_line(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) *s = '?';
}

static int parse_in(const char *text, size_t len, const char *name, const char *dir, scene_doc *doc, char *err,
                    size_t errlen)
{
    scene_doc_init(doc);
    if (err && errlen) err[0] = 0;
    char cut[QUOTE_MAX + 1];
    parser p = {.name = quote_cut(name ? name : "scene", cut, sizeof cut), .err = err, .errlen = errlen,
                .dir = dir, .doc = doc};
    if (len > (size_t)SCENE_MAX_FILE) {
        if (err && errlen)
            snprintf(err, errlen, "%s: %zu bytes, larger than 1 MiB: not a scene file", p.name, len);
        return -1;
    }
    char *buf = malloc((size_t)SCENE_MAX_LINE + 1);
    if (!buf) {
        if (err && errlen) snprintf(err, errlen, "%s: out of memory", p.name);
        return -1;
    }
    size_t i = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    int rc = 0;
    while (i < len && rc == 0) {
        p.line++;
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        size_t n = e - i;
        if (n && text[i + n - 1] == '\r') n--;
        if (n > (size_t)SCENE_MAX_LINE) rc = fail(&p, "line longer than 64 KiB");
        else if (memchr(text + i, 0, n)) rc = fail(&p, "a NUL byte: this is not a text file");
        else {
            memcpy(buf, text + i, n);
            buf[n] = 0;
            rc = parse_line(&p, buf);
        }
        i = e + 1;
    }
    free(buf);
    if (rc == 0) rc = finish(&p);
    if (rc != 0) {
        scene_doc_free(doc);
        scene_doc_init(doc);
        if (err && errlen) one_line(err);
    }
    return rc;
}

int scenefile_parse(const char *text, size_t len, const char *name, scene_doc *doc, char *err,
                    size_t errlen)
{
    return parse_in(text, len, name, NULL, doc, err, errlen);
}

/* The absolute folder of the file at path (which was opened), or NULL with errno. */
static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return NULL;
    char *abs = realpath(dir, NULL);
    free(dir);
    return abs;
}

int scenefile_load(const char *path, scene_doc *doc, char *err, size_t errlen)
{
    scene_doc_init(doc);
    char cut[QUOTE_MAX + 1];
    const char *q = quote_cut(path, cut, sizeof cut);
    /* not blocking on a FIFO while finding out that it is one */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open it: %s", q, strerror(errno));
        one_line(err);
        return -1;
    }
    struct stat st;
    memset(&st, 0, sizeof st);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file (%s): a scene is a text file", q,
                 S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" :
                 S_ISSOCK(st.st_mode) ? "a socket" : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" :
                 "unknown kind");
        one_line(err);
        close(fd);
        return -1;
    }
    if (st.st_size > SCENE_MAX_FILE) {
        snprintf(err, errlen, "%s: larger than 1 MiB: not a scene file", q);
        one_line(err);
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open it: %s", q, strerror(errno));
        one_line(err);
        close(fd);
        return -1;
    }
    size_t cap = (size_t)SCENE_MAX_FILE + 1;
    char *text = malloc(cap);
    if (!text) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", q);
        return -1;
    }
    size_t n = fread(text, 1, cap, f);
    int bad = ferror(f);
    int e = errno;
    fclose(f);
    int rc;
    if (bad) {
        snprintf(err, errlen, "%s: cannot read it: %s", q, strerror(e));
        one_line(err);
        rc = -1;
    } else if (n == cap) {
        snprintf(err, errlen, "%s: larger than 1 MiB: not a scene file", q);
        one_line(err);
        rc = -1;
    } else {
        char *dir = folder_of(path);
        if (!dir) {
            snprintf(err, errlen, "%s: cannot find its folder: %s", q, strerror(errno));
            one_line(err);
            rc = -1;
        } else {
            rc = parse_in(text, n, path, dir, doc, err, errlen);
        }
        free(dir);
    }
    free(text);
    return rc;
}

/* ---- writing --------------------------------------------------------------------- */

/* "key = text" with text as the parser will read it back: control characters become
 * blanks, blanks at either end go, and no ';' or '#' follows a blank (which would
 * start a comment). Nothing is written for an empty text. */
static void put_text(FILE *f, const char *key, const char *s)
{
    size_t n = strlen(s), o = 0;
    char *t = malloc(n + 1);
    if (!t) return;
    for (size_t i = 0; i < n; i++) {
        char c = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? ' ' : s[i];
        if (c == ';' || c == '#')
            while (o && is_blank(t[o - 1])) o--;
        if (is_blank(c) && o == 0) continue;
        t[o++] = c;
    }
    while (o && is_blank(t[o - 1])) o--;
    t[o] = 0;
    /* "key =;x": a value that starts with a comment character keeps it */
    if (o) fprintf(f, "%s =%s%s\n", key, t[0] == ';' || t[0] == '#' ? "" : " ", t);
    free(t);
}

static const char *onoff(int v) { return v ? "on" : "off"; }

static void put_sched(FILE *f, const sched_desc *d)
{
    char buf[256];
    sched_format(d, buf, sizeof buf);
    fprintf(f, "schedule = %s\n", buf);
}

int scenefile_write(FILE *f, const scene_doc *doc)
{
    fprintf(f, "# optiscape scene (docs/scene-format.md)\n[scene]\n");
    put_text(f, "title", doc->title);
    for (int i = 0; i < doc->ncaption && i < 2; i++) put_text(f, "caption", doc->caption[i]);
    if (doc->have_landscape) {
        if (doc->ls.def) fprintf(f, "landscape = %s\n", doc->ls.label);
        else put_text(f, "expr", expr_source(doc->ls.f));
    }
    if (doc->have_view)
        fprintf(f, "view = %.17g, %.17g, %.17g, %.17g\n", doc->view[0], doc->view[1], doc->view[2],
                doc->view[3]);
    if (doc->have_start) fprintf(f, "start = %.17g, %.17g\n", doc->start[0], doc->start[1]);
    if (doc->have_section)
        fprintf(f, "section = %.17g, %.17g, %.17g, %.17g\n", doc->section[0], doc->section[1], doc->section[2],
                doc->section[3]);
    put_sched(f, &doc->o.sched);
    fprintf(f, "noise = %.17g\nseed = %llu\n", doc->o.noise, (unsigned long long)doc->o.seed);
    for (int k = 0; k < doc->nrun && k < SCENE_MAX_RUNNERS; k++) {
        const scene_runner_doc *r = &doc->run[k];
        char os[512];
        optim_format(&r->opt, os, sizeof os);
        fprintf(f, "\n[runner]\noptimizer = %s\n", os);
        put_text(f, "label", r->label);
        if (r->o.has_sched) put_sched(f, &r->o.sched);
        if (r->o.has_noise) fprintf(f, "noise = %.17g\n", r->o.noise);
        if (r->o.has_seed) fprintf(f, "seed = %llu\n", (unsigned long long)r->o.seed);
        if (r->o.has_batch) fprintf(f, "batch = %d\n", r->o.batch);
        if (r->o.has_shuffle) fprintf(f, "shuffle = %s\n", onoff(r->o.shuffle));
        fprintf(f, "visible = %s\n", onoff(r->visible));
    }
    fprintf(f, "\n[play]\nspeed = %.17g\nsteps = %ld\nplaying = %s\nselected = %d\n", doc->speed,
            doc->steps, onoff(doc->playing), doc->selected + 1);
    fprintf(f, "\n[display]\ntheme = %s\ncmap = %s\n", doc->disp[SCENE_DISP_THEME] ? "light" : "dark",
            doc->disp[SCENE_DISP_CMAP] ? "cividis" : "viridis");
    for (int k = SCENE_DISP_ISO; k < SCENE_DISP_COUNT; k++)
        fprintf(f, "%s = %s\n", scene_disp_names[k], onoff(doc->disp[k]));
    if (doc->ncontrols > 0 || doc->has_class_chart) fprintf(f, "\n[class]\n");
    if (doc->ncontrols > 0) {
        fprintf(f, "controls = ");
        for (int i = 0; i < doc->ncontrols; i++) fprintf(f, "%s%s", i ? ", " : "", doc->controls[i]);
        fputc('\n', f);
    }
    if (doc->has_class_chart) fprintf(f, "chart = %s\n", onoff(doc->class_chart));
    for (int k = 0; k < doc->nnet && k < SCENE_MAX_NETS; k++) {
        const scene_net_doc *n = &doc->net[k];
        const netlab_desc *d = &n->d;
        fprintf(f, "\n[net]\n");
        if (d->net[0]) fprintf(f, "net = %s\n", d->net);
        if (d->data[0]) fprintf(f, "data = %s\n", d->data);
        if (d->opt[0]) fprintf(f, "optimizer = %s\n", d->opt);
        if (d->sched[0]) fprintf(f, "schedule = %s\n", d->sched);
        fprintf(f, "batch = %d\nshuffle = %s\nseed = %ld\nsteps = %ld\n", d->batch, onoff(!d->no_shuffle), d->seed,
                d->steps);
        put_text(f, "label", n->label);
        if (n->pretrain) fprintf(f, "pretrain = %ld\n", n->pretrain);
        if (k > 0) continue;
        if (d->plane == NETLAB_PLANE_PARAMS) fprintf(f, "plane = params:%d,%d\n", d->pi, d->pj);
        else if (d->plane >= 0 && d->plane < NETLAB_PLANE_COUNT && scene_net_plane_names[d->plane])
            fprintf(f, "plane = %s\n", scene_net_plane_names[d->plane]);
        if (d->range > 0) fprintf(f, "range = %.17g\n", d->range);
        if (d->grid > 0) fprintf(f, "grid = %d\n", d->grid);
        fprintf(f, "axis = %s\n", scene_net_axis_names[n->axis >= 0 && n->axis < 3 ? n->axis : 0]);
        if (d->device_width > 0 || d->device_t1 > 0)
            fprintf(f, "device = %d, %.17g\n", d->device_width > 0 ? d->device_width : 64,
                    d->device_t1 > 0 ? d->device_t1 : 0.001);
        if (d->spectrum_every > 0) fprintf(f, "spectrum = %d\n", d->spectrum_every);
        if (n->seeds > 0) fprintf(f, "seeds = %d, %ld, %.17g\n", n->seeds, n->seeds_steps, n->seeds_gtol);
    }
    return fflush(f) != 0 || ferror(f) ? -1 : 0;
}
