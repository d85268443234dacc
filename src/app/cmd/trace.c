/* cmd_trace: one CSV row per step of an optimizer on a landscape, 17 significant
 * digits, so trajectories can be compared number by number with torch.optim. */
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"
#include "scene/live.h"
#include "app/progress.h"

static void trace_help(void)
{
    printf("Usage: optiscape trace SCENE OPTIONS --steps N\n"
           "\n"
           "Prints CSV with one row per step 0..N: step,x,y,loss,gx,gy,lr. Row k is the\n"
           "point after k updates, its loss and exact gradient (of the full loss, also\n"
           "with --batch), and the learning rate the next update uses. With several --optimizer, a first column 'runner'\n"
           "numbers them from 0 in the order given.\n"
           "\n"
           "  --test-shift S | SX,SY   add a column test_loss: the loss at the point moved\n"
           "                           back by (S, S) or (SX, SY), i.e. the training loss\n"
           "                           shifted as a test set that does not quite match it\n"
           "                           (sharp_flat_data:test=1 is that landscape)\n"
           "\nLimit: (N + 1) x runners at most 20000000 rows (about two minutes).\n\n"
           SCENE_OPTIONS_HELP
           "\nExample: optiscape trace --landscape rosenbrock --optimizer adam:lr=0.05 --start -1.2,1 --steps 100\n");
}

#define TRACE_MAX_STEPS 10000000L
/* rows in all (steps + 1 for every runner): about 200 000 rows a second are printed,
 * so the largest trace takes under two minutes (and is about 2 GB of CSV) */
#define TRACE_MAX_ROWS 20000000.0

int cmd_trace(int argc, char **argv)
{
    cli_scene sc;
    cli_scene_init(&sc);
    long steps = -1;
    double shift[2] = {0, 0};
    int want_test = 0;
    char err[512];
    const cli_opt opts[] = {
        {"--steps", CLI_LONG, &steps, 0, TRACE_MAX_STEPS, .show = 80},
        {"--test-shift", CLI_SHIFT, shift, .show = 80, .given = &want_test},
        {NULL},
    };
    const cli_parser p = {"trace", opts, trace_help, "unknown option '%.80s' (see optiscape trace --help)",
                          .scene = &sc};
    int rc = cli_parse(&p, argc, argv);
    if (rc != 0) return cli_stop(&sc, rc);
    if (!sc.have_landscape) { rc = cli_bad("trace", "no landscape: give --landscape NAME or --expr FORMULA"); goto out; }
    if (sc.nopt == 0 && sc.doc) {
        /* a scene file without [runner] sections has the default runners, here as in
           the window and render (docs/scene-format.md) */
        for (int k = 0; k < LIVE_DEFAULT_RUNNERS; k++)
            if (optim_parse(live_default_runners[k], &sc.opt[k], err, sizeof err) != 0) {
                rc = cli_bad("trace", "%s", err);
                goto out;
            }
        sc.nopt = LIVE_DEFAULT_RUNNERS;
    }
    if (sc.nopt == 0) { rc = cli_bad("trace", "no optimizer: give --optimizer SPEC (e.g. --optimizer adam:lr=0.01)"); goto out; }
    if (steps < 0) { rc = cli_bad("trace", "--steps N is required"); goto out; }
    if (cli_scene_check_batch(&sc, err, sizeof err) != 0) { rc = cli_bad("trace", "%s", err); goto out; }
    if ((double)(steps + 1) * sc.nopt > TRACE_MAX_ROWS) {
        rc = cli_bad("trace", "%ld steps for %d runners is %.3g rows, more than the limit of %.0f", steps, sc.nopt,
                     (double)(steps + 1) * sc.nopt, TRACE_MAX_ROWS);
        goto out;
    }
    cli_scene_finish(&sc);

    int multi = sc.nopt > 1;
    job_begin("trace", " steps", (double)(steps + 1) * sc.nopt);
    printf("%sstep,x,y,loss,gx,gy,lr%s\n", multi ? "runner," : "", want_test ? ",test_loss" : "");
    for (int k = 0; k < sc.nopt; k++) {
        runner_desc d = cli_runner_desc(&sc, k);
        d.trail_cap = 1;
        runner r;
        if (runner_init_fn(&r, &d, &sc.ls.fn)) {
            fprintf(stderr, "optiscape trace: out of memory\n");
            rc = EXIT_RUNTIME;
            goto out;
        }
        for (long s = 0; s <= steps; s++) {
            if (s > 0) runner_step_fn(&r, &sc.ls.fn);
            if (multi) printf("%d,", k);
            printf("%ld,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g", s, r.p[0], r.p[1], r.j.v,
                   r.j.gx, r.j.gy, r.next_lr);
            if (want_test) printf(",%.17g", lsfn_value(&sc.ls.fn, r.p[0] - shift[0], r.p[1] - shift[1]));
            printf("\n");
            if ((s & 0xffff) == 0) job_progress((double)k * (steps + 1) + (double)s);
            if (r.diverged) {
                char name[256];
                optim_format(&d.opt, name, sizeof name);
                job_wipe();
                fprintf(stderr, "optiscape trace: %s diverged at step %ld (the point or its loss "
                        "is no longer finite, or left |x|,|y| <= 1e12); its trace stops there\n",
                        name, s);
                break;
            }
        }
        runner_free(&r);
    }
    job_end();
    if (cli_stdout_done("trace") != EXIT_OK) rc = EXIT_RUNTIME;
out:
    cli_scene_free(&sc);
    return rc;
}
