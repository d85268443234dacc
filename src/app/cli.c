/* cli: scene options. Every refusal names the option and what was wrong with it. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/spec.h"

void cli_scene_init(cli_scene *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->sched = sched_defaults(SCHED_CONSTANT);
    sc->seed = 0;
}

void cli_scene_free(cli_scene *sc)
{
    if (sc->have_landscape) landscape_free(&sc->ls);
    sc->have_landscape = 0;
}

int cli_bad(const char *cmd, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (cmd && *cmd) fprintf(stderr, "optiscape %s: %s\n", cmd, msg);
    else fprintf(stderr, "optiscape: %s\n", msg);
    return EXIT_BAD_INPUT;
}

int cli_take(const char *name, int argc, char **argv, int *i, const char **val,
             char *err, size_t errlen)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0) return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n] != 0) return 0;
    if (*i + 1 >= argc) {
        snprintf(err, errlen, "%s needs a value", name);
        return -1;
    }
    *i += 1;
    *val = argv[*i];
    return 1;
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

static int set_landscape(cli_scene *sc, const char *opt, const char *val, int is_expr,
                         char *err, size_t errlen)
{
    if (sc->have_landscape) {
        snprintf(err, errlen, "%s: a landscape was already given ('%s'); give one --landscape or --expr",
                 opt, sc->ls.label);
        return -1;
    }
    char msg[400];
    int rc = is_expr ? landscape_load_expr(&sc->ls, val, msg, sizeof msg)
                     : landscape_load(&sc->ls, val, msg, sizeof msg);
    if (rc != 0) {
        /* a formula's message already starts with "--expr: column N" */
        if (is_expr) snprintf(err, errlen, "%s", msg);
        else snprintf(err, errlen, "%s: %s", opt, msg);
        return -1;
    }
    sc->have_landscape = 1;
    return 0;
}

int cli_scene_option(cli_scene *sc, int argc, char **argv, int *i, char *err, size_t errlen)
{
    const char *v;
    int r;
    char msg[400];
    if ((r = cli_take("--landscape", argc, argv, i, &v, err, errlen)) != 0)
        return r < 0 ? -1 : (set_landscape(sc, "--landscape", v, 0, err, errlen) ? -1 : 1);
    if ((r = cli_take("--expr", argc, argv, i, &v, err, errlen)) != 0)
        return r < 0 ? -1 : (set_landscape(sc, "--expr", v, 1, err, errlen) ? -1 : 1);
    if ((r = cli_take("--optimizer", argc, argv, i, &v, err, errlen)) != 0) {
        if (r < 0) return -1;
        if (sc->nopt >= CLI_MAX_RUNNERS) {
            snprintf(err, errlen, "--optimizer: at most %d optimizers", CLI_MAX_RUNNERS);
            return -1;
        }
        if (optim_parse(v, &sc->opt[sc->nopt], msg, sizeof msg)) {
            snprintf(err, errlen, "--optimizer: %s", msg);
            return -1;
        }
        sc->nopt++;
        return 1;
    }
    if ((r = cli_take("--schedule", argc, argv, i, &v, err, errlen)) != 0) {
        if (r < 0) return -1;
        if (sched_parse(v, &sc->sched, msg, sizeof msg)) {
            snprintf(err, errlen, "--schedule: %s", msg);
            return -1;
        }
        return 1;
    }
    if ((r = cli_take("--start", argc, argv, i, &v, err, errlen)) != 0) {
        if (r < 0) return -1;
        if (spec_numbers(v, sc->start, 2)) {
            snprintf(err, errlen, "--start: expected two finite numbers X,Y, got '%.80s'", v);
            return -1;
        }
        sc->have_start = 1;
        return 1;
    }
    if ((r = cli_take("--view", argc, argv, i, &v, err, errlen)) != 0) {
        if (r < 0) return -1;
        double w[4];
        if (spec_numbers(v, w, 4)) {
            snprintf(err, errlen, "--view: expected four finite numbers X0,X1,Y0,Y1, got '%.80s'", v);
            return -1;
        }
        if (!(w[0] < w[1]) || !(w[2] < w[3])) {
            snprintf(err, errlen, "--view: need X0 < X1 and Y0 < Y1, got '%.80s'", v);
            return -1;
        }
        memcpy(sc->view, w, sizeof w);
        sc->have_view = 1;
        return 1;
    }
    if ((r = cli_take("--noise", argc, argv, i, &v, err, errlen)) != 0) {
        if (r < 0) return -1;
        double s;
        if (spec_number(v, &s) || s < 0) {
            snprintf(err, errlen, "--noise: expected a number >= 0 (the sigma of the gradient noise), got '%.80s'", v);
            return -1;
        }
        sc->noise = s;
        return 1;
    }
    if ((r = cli_take("--seed", argc, argv, i, &v, err, errlen)) != 0) {
        if (r < 0) return -1;
        char *end;
        if (!*v || *v == '-' || *v == '+' || *v == ' ') {
            snprintf(err, errlen, "--seed: expected a whole number >= 0, got '%.80s'", v);
            return -1;
        }
        unsigned long long s = strtoull(v, &end, 10);
        if (*end || (s == 0xffffffffffffffffull)) {
            snprintf(err, errlen, "--seed: expected a whole number from 0 to 2^64-2, got '%.80s'", v);
            return -1;
        }
        sc->seed = (uint64_t)s;
        return 1;
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
    d.opt = sc->opt[k];
    d.sched = sc->sched;
    d.start[0] = sc->start[0];
    d.start[1] = sc->start[1];
    d.noise = sc->noise;
    /* each runner its own stream, all determined by the scene's seed */
    d.seed = sc->seed + 0x9e3779b97f4a7c15ull * (uint64_t)k;
    return d;
}
