/* main: the optiscape command line: dispatch to a subcommand, --help, --version. */
#include <stdio.h>
#include <string.h>

#include "optiscape_config.h"
#include "cli.h"
#include "commands.h"

static void usage(FILE *out)
{
    fprintf(out,
        "optiscape %s: an interactive visualizer of optimization landscapes\n"
        "\n"
        "Usage:\n"
        "  optiscape [SCENE OPTIONS] [WINDOW OPTIONS]     the interactive window\n"
        "                                                 (optiscape --window-help)\n"
        "  optiscape trace    SCENE OPTIONS --steps N     CSV: step,x,y,loss,gx,gy,lr\n"
        "  optiscape critical (--landscape L | --expr F) [--region X0,X1,Y0,Y1]\n"
        "                     CSV: kind,x,y,loss,lambda1,lambda2,v1x,v1y,v2x,v2y\n"
        "  optiscape render   SCENE OPTIONS --out FILE.png|.svg|.mp4|.gif [--size WxH]\n"
        "                     [--steps N] [--theme dark|light] [--transparent] ...\n"
        "                     a figure without a window (render --help)\n"
        "  optiscape basins   SCENE OPTIONS [--grid N] [--steps K] [--out FILE.png]\n"
        "                     CSV: optimizer,i,j,x,y,basin (or the maps as a PNG):\n"
        "                     the minimum each start of a grid reaches (basins --help)\n"
        "  optiscape init     [--act relu|tanh|linear] [--layers N] [--width W] [--scheme S]...\n"
        "                     CSV: scheme,layer,act_rms,grad_rms of a deep MLP at\n"
        "                     initialization, or the charts with --png FILE (init --help)\n"
        "  optiscape list     landscapes | optimizers | schedules\n"
        "  optiscape bench    swarm | field | frames [...] prints its figure\n"
        "  optiscape COMMAND --help                       options of one command\n"
        "  optiscape --version\n"
        "\n"
        SCENE_OPTIONS_HELP
        "\n"
        "Exit status: 0 success, 2 bad input (one line on stderr), 1 runtime failure.\n",
        OPTISCAPE_VERSION);
}

int main(int argc, char **argv)
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
    if (strcmp(cmd, "trace") == 0) return cmd_trace(argc - 2, argv + 2);
    if (strcmp(cmd, "critical") == 0) return cmd_critical(argc - 2, argv + 2);
    if (strcmp(cmd, "list") == 0) return cmd_list(argc - 2, argv + 2);
    if (strcmp(cmd, "bench") == 0) return cmd_bench(argc - 2, argv + 2);
    if (strcmp(cmd, "render") == 0) return cmd_render(argc - 2, argv + 2);
    if (strcmp(cmd, "init") == 0) return cmd_init(argc - 2, argv + 2);
    if (strcmp(cmd, "basins") == 0) return cmd_basins(argc - 2, argv + 2);
    if (cmd[0] == '-') return cmd_window(argc - 1, argv + 1);
    return cli_bad(NULL, "unknown command '%.80s' (commands: trace, critical, list, bench, init; "
                   "see optiscape --help)", cmd);
}
