/* cmd_critical: every critical point of a landscape in a region, as CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "core/crit.h"
#include "core/spec.h"

#define CRIT_MAX_OUT 4096

static void critical_help(void)
{
    printf("Usage: optiscape critical (--landscape L | --expr F | --scene FILE) [--region X0,X1,Y0,Y1] [--grid N]\n"
           "\n"
           "Prints CSV: kind,x,y,loss,lambda1,lambda2,v1x,v1y,v2x,v2y, one row per point\n"
           "where the gradient vanishes in the region (default: the scene file's view, else\n"
           "the landscape's).\n"
           "kind is min, max, saddle or degenerate (a zero Hessian eigenvalue);\n"
           "lambda1 <= lambda2 are the Hessian's eigenvalues with unit eigenvectors v1, v2.\n"
           "--grid N sets the seeds of the search per axis (default 96).\n"
           "\nExample: optiscape critical --landscape himmelblau\n");
}

int cmd_critical(int argc, char **argv)
{
    cli_scene sc;
    cli_scene_init(&sc);
    char err[512];
    double region[4];
    int have_region = 0;
    long grid = 0;
    int rc = EXIT_OK;
    crit_point *pts = NULL;
    static const char *const scene_only[] = {"--landscape", "--expr", "--scene", NULL};
    const cli_opt table[] = {
        {"--region", CLI_VIEW, region, .show = 80, .given = &have_region},
        {"--grid", CLI_LONG, &grid, 4, 2000, .show = 80},
        {NULL},
    };
    const cli_parser parser = {"critical", table, critical_help, "unknown option '%.80s' (see optiscape critical --help)",
                          .scene = &sc, .scene_only = scene_only};
    rc = cli_parse(&parser, argc, argv);
    if (rc != 0) return cli_stop(&sc, rc);
    if (!sc.have_landscape) {
        rc = cli_bad("critical", "no landscape: give --landscape NAME, --expr FORMULA or a --scene with one");
        goto out;
    }
    cli_scene_finish(&sc);
    if (!have_region) memcpy(region, sc.view, sizeof region);
    pts = malloc(CRIT_MAX_OUT * sizeof *pts);
    if (!pts) { fprintf(stderr, "optiscape critical: out of memory\n"); rc = EXIT_RUNTIME; goto out; }
    crit_opts opts = {.grid = (int)grid};
    int n = crit_find_fn(&sc.ls.fn, region, &opts, pts, CRIT_MAX_OUT, err, sizeof err);
    if (n < 0) { rc = cli_bad("critical", "%s", err); goto out; }
    printf("kind,x,y,loss,lambda1,lambda2,v1x,v1y,v2x,v2y\n");
    for (int k = 0; k < n; k++) {
        const crit_point *p = &pts[k];
        printf("%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", crit_kind_name(p->kind),
               p->x, p->y, p->f, p->l1, p->l2, p->v1[0], p->v1[1], p->v2[0], p->v2[1]);
    }
    if (cli_stdout_done("critical") != EXIT_OK) rc = EXIT_RUNTIME;
out:
    free(pts);
    cli_scene_free(&sc);
    return rc;
}
