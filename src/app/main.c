/* main: the optiscape command line: dispatch to a subcommand, --help, --version. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "optiscape_config.h"
#include "app/cli.h"
#include "app/commands.h"
#include "core/quote.h"

/* The command table: dispatch, the usage text and the unknown-command message all
 * come from it, so a command cannot be reachable and unlisted (or listed and gone). */
typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;            /* its lines of the usage text, each ending in \n */
} command;

static const command commands[] = {
    {"trace", cmd_trace,
     "  optiscape trace    SCENE OPTIONS --steps N     CSV: step,x,y,loss,gx,gy,lr\n"},
    {"critical", cmd_critical,
     "  optiscape critical (--landscape L | --expr F) [--region X0,X1,Y0,Y1]\n"
     "                     CSV: kind,x,y,loss,lambda1,lambda2,v1x,v1y,v2x,v2y\n"},
    {"render", cmd_render,
     "  optiscape render   SCENE OPTIONS --out FILE.png|.svg|.mp4|.gif [--size WxH]\n"
     "                     [--steps N] [--theme dark|light] [--transparent] ...\n"
     "                     a figure without a window (render --help)\n"},
    {"basins", cmd_basins,
     "  optiscape basins   SCENE OPTIONS [--grid N] [--steps K] [--out FILE.png]\n"
     "                     CSV: optimizer,i,j,x,y,basin (or the maps as a PNG):\n"
     "                     the minimum each start of a grid reaches (basins --help)\n"},
    {"init", cmd_init,
     "  optiscape init     [--act relu|tanh|linear] [--layers N] [--width W] [--scheme S]...\n"
     "                     CSV: scheme,layer,act_rms,grad_rms of a deep MLP at\n"
     "                     initialization, or the charts with --png FILE (init --help)\n"},
    {"net", cmd_net,
     "  optiscape net      train|spectrum|slice|data|bench --net SPEC --data SET|FILE.csv ...\n"
     "                     networks trained exactly, their Hessians and slices (net --help)\n"},
    {"list", cmd_list,
     "  optiscape list     landscapes | optimizers | schedules\n"},
    {"bench", cmd_bench,
     "  optiscape bench    swarm | field | frames | flatness [...] prints its figure\n"},
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

static void usage(FILE *out)
{
    fprintf(out,
        "optiscape %s: an interactive visualizer of optimization landscapes\n"
        "\n"
        "Usage:\n"
        "  optiscape [SCENE OPTIONS] [WINDOW OPTIONS]     the interactive window\n"
        "                                                 (optiscape --window-help)\n",
        OPTISCAPE_VERSION);
    for (int k = 0; k < NCOMMANDS; k++) fputs(commands[k].usage, out);
    fputs("  optiscape COMMAND --help                       options of one command\n"
          "  optiscape --version\n"
          "\n"
          SCENE_OPTIONS_HELP
          "\n"
          "Exit status: 0 success, 2 bad input (one line on stderr), 1 runtime failure\n"
          "(130: interrupted by Ctrl+C, with nothing left behind).\n", out);
}

/* Everything a command printed must have reached stdout (a full disk, a closed pipe,
 * > /dev/full): a failed write is a runtime failure, said once. Commands that check
 * their own output say so themselves and return 1; this catches every other. */
static int finish(int rc)
{
    if (rc != EXIT_OK) return rc;
    errno = 0;
    int bad = fflush(stdout) != 0;
    int e = errno;
    if (bad || ferror(stdout)) {
        fprintf(stderr, "optiscape: writing the output failed: %s\n", strerror(bad && e ? e : EIO));
        return EXIT_RUNTIME;
    }
    return rc;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) return cmd_window(0, argv + 1);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--window-help") == 0) {
        char h[] = "--help";
        char *hv[] = {h, NULL};
        return cmd_window(1, hv);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("optiscape %s\n", OPTISCAPE_VERSION);
        return EXIT_OK;
    }
    for (int k = 0; k < NCOMMANDS; k++)
        if (strcmp(cmd, commands[k].name) == 0) return commands[k].run(argc - 2, argv + 2);
    if (cmd[0] == '-') return cmd_window(argc - 1, argv + 1);
    char names[256];
    size_t n = 0;
    names[0] = 0;
    for (int k = 0; k < NCOMMANDS && n < sizeof names; k++)
        n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", k ? ", " : "", commands[k].name);
    return cli_bad(NULL, "unknown command '%s' (commands: %s; see optiscape --help)", quote(cmd), names);
}

int main(int argc, char **argv)
{
    return finish(dispatch(argc, argv));
}
