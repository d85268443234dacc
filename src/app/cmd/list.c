/* cmd_list: what can be named on the command line. */
#include <stdio.h>
#include <string.h>

#include "app/cli.h"
#include "app/commands.h"

static void list_landscapes(void)
{
    for (int i = 0; i < landscape_count(); i++) {
        const landscape_def *d = landscape_at(i);
        printf("%-17s %s\n", d->name, d->description);
        printf("%-17s f = %s\n", "", d->formula);
        if (d->nparams > 0) {
            printf("%-17s parameters:", "");
            for (int k = 0; k < d->nparams; k++)
                printf("%s %s=%g", k ? "," : "", d->params[k].name, d->params[k].value);
            printf("\n");
        }
    }
}

static void list_optimizers(void)
{
    for (int k = 0; k < OPTIM_COUNT; k++) {
        const optim_info *in = optim_info_of((optim_kind)k);
        printf("%-9s %s\n", in->name, in->summary);
        printf("%-9s keys: %s\n", "", in->keys);
    }
}

static void list_schedules(void)
{
    for (int k = 0; k < SCHED_COUNT; k++) {
        const sched_info *in = sched_info_of((sched_kind)k);
        printf("%-9s %s\n", in->name, in->summary);
        if (in->keys && *in->keys) printf("%-9s keys: %s\n", "", in->keys);
    }
}

int cmd_list(int argc, char **argv)
{
    if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
        printf("Usage: optiscape list landscapes | optimizers | schedules\n");
        return EXIT_OK;
    }
    if (argc != 1)
        return cli_bad("list", "expected one of: landscapes, optimizers, schedules");
    if (strcmp(argv[0], "landscapes") == 0) list_landscapes();
    else if (strcmp(argv[0], "optimizers") == 0) list_optimizers();
    else if (strcmp(argv[0], "schedules") == 0) list_schedules();
    else return cli_bad("list", "unknown list '%.80s' (landscapes, optimizers, schedules)", argv[0]);
    return cli_stdout_done("list");
}
