/* commands: the subcommands of the optiscape binary. Each takes the arguments after
 * its name and returns the process exit status. */
#ifndef OPTISCAPE_COMMANDS_H
#define OPTISCAPE_COMMANDS_H

int cmd_trace(int argc, char **argv);
int cmd_critical(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_render(int argc, char **argv);
/* init: activation and gradient RMS per layer of a deep MLP under each weight scheme. */
int cmd_init(int argc, char **argv);
int cmd_basins(int argc, char **argv);
/* net: the network lab (train, spectrum, slice, data, bench); net bench alone. */
int cmd_net(int argc, char **argv);
int cmd_net_bench(int argc, char **argv);
int cmd_bench_batchtime(int argc, char **argv);
/* The interactive window (no command, or only options). */
int cmd_window(int argc, char **argv);
/* bench frames: frame times of the default scene against the field-only floor; with
 * swarm > 0 also with a swarm of that many particles. */
int window_bench_frames(int w, int h, int n, int swarm);
/* bench frames --3d: the map, then the 3D view still, orbiting, and dragged. */
int window_bench_frames_3d(int w, int h, int n);
/* bench frames --net: the network lab's frames and a slider change's latency. */
int window_bench_frames_net(int w, int h, int n);

/* Scene options, for the help texts. */
#define SCENE_OPTIONS_HELP \
    "Scene options:\n" \
    "  --landscape NAME[:k=v,...]  a built-in landscape (optiscape list landscapes)\n" \
    "  --expr FORMULA              a typed landscape in x and y, e.g. 'x^2 + 10*y^2'\n" \
    "  --optimizer SPEC            name[:key=value,...], repeatable (optiscape list optimizers)\n" \
    "  --start X,Y                 start point (default: the landscape's)\n" \
    "  --view X0,X1,Y0,Y1          region shown (default: the landscape's)\n" \
    "  --schedule SPEC             learning-rate schedule (optiscape list schedules)\n" \
    "  --noise SIGMA               add N(0, SIGMA^2) noise to every gradient component\n" \
    "  --seed S                    seed of the noise and the shuffles (default 0)\n" \
    "  --batch B                   minibatch gradients of B samples of a data landscape\n" \
    "                              (linreg, linreg2, logreg, sharp_flat_data); 0: full loss\n" \
    "  --shuffle 0|1               1 (default): a new sample order every epoch; 0: in order\n" \
    "  --scene FILE                a scene file (docs/scene-format.md): its landscape, view,\n" \
    "                              start, runners, play state and display; options after\n" \
    "                              it override it (--optimizer replaces its runners)\n"

#endif
