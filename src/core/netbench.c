/* netbench: the network lab's timings for `optiscape net bench` (the same work as
 * tools/net_bench.py does in torch). */
#include "netbench.h"

#include <stdlib.h>

#include "net.h"
#include "netdata.h"
#include "netslice.h"
#include "nettrain.h"
#include "timing.h"

double net_bench_train(long steps)
{
    net_spec s;
    net nt;
    netdata tr, te;
    char err[256];
    net_parse("mlp:2,16,16,1,act=tanh,loss=bce", &s, err, sizeof err);
    net_init(&nt, &s);
    netdata_generate("moons:n=200,split=0", &tr, &te, err, sizeof err);
    double *p = malloc(nt.np * sizeof *p);
    net_init_params(&nt, p, 0);
    net_train_desc td = {.opt = optim_defaults(OPTIM_ADAM), .sched = sched_defaults(SCHED_CONSTANT), .steps = steps};
    double t0 = os_now();
    net_train(&nt, p, &tr, NULL, &td, NULL, NULL);
    double dt = os_now() - t0;
    free(p);
    net_free(&nt);
    netdata_free(&tr);
    netdata_free(&te);
    return dt;
}

void net_bench_big(int threads, int grid, double *t_hess, double *t_slice)
{
    net_spec s;
    net nt;
    netdata tr, te;
    char err[256];
    net_parse("mlp:2,30,30,1,act=tanh,loss=bce", &s, err, sizeof err);   /* 1051 parameters */
    net_init(&nt, &s);
    netdata_generate("moons:n=200,split=0", &tr, &te, err, sizeof err);
    size_t np = nt.np;
    double *p = malloc(np * sizeof *p), *H = malloc(np * np * sizeof *H);
    double *d1 = malloc(np * sizeof *d1), *d2 = malloc(np * sizeof *d2);
    double *g = malloc((size_t)grid * (size_t)grid * sizeof *g);
    net_init_params(&nt, p, 0);
    double t0 = os_now();
    net_hessian(&nt, p, &tr, NULL, tr.n, H, threads);
    *t_hess = os_now() - t0;
    net_dir_random(&nt, p, 1, d1, d2);
    t0 = os_now();
    net_slice_grid(&nt, p, d1, d2, 1.0, grid, &tr, threads, g);
    *t_slice = os_now() - t0;
    free(p); free(H); free(d1); free(d2); free(g);
    net_free(&nt);
    netdata_free(&tr);
    netdata_free(&te);
}

