/* netbench: timings of the network lab's work, in seconds: training (steps
 * full-batch Adam updates of mlp:2,16,16,1, tanh, bce, on 200 points of moons, one
 * thread) and, for mlp:2,30,30,1 (1051 parameters) on the same points, the full
 * Hessian and a grid x grid slice along random directions, with threads threads. */
#ifndef OPTISCAPE_NETBENCH_H
#define OPTISCAPE_NETBENCH_H

double net_bench_train(long steps);
void net_bench_big(int threads, int grid, double *t_hess, double *t_slice);

#endif
