/* cmd_net: `optiscape net train | spectrum | slice | data | bench`: the network
 * lab without a window. Networks, data, optimizers and schedules come from the
 * same options in every subcommand; bad input is refused with one line, exit 2. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/export/figure.h"
#include "app/export/netfig.h"
#include "app/views/net_view.h"
#include "app/views/netlab_view.h"
#include "core/eig.h"
#include "core/net.h"
#include "core/netbench.h"
#include "core/netdata.h"
#include "core/netslice.h"
#include "core/nettrain.h"
#include "core/spec.h"
#include "core/timing.h"
#include "scene/netlab.h"
#include "scene/scenefile.h"

#define NET_MAX_STEPS 100000000L

static void net_help(void)
{
    printf(
        "Usage: optiscape net train|spectrum|slice|data|bench OPTIONS\n"
        "\n"
        "  net train     CSV step,train_loss,test_loss,train_acc,test_acc,grad_norm,lr; row k\n"
        "                after k updates (empty where it does not apply: no test set, mse)\n"
        "  net spectrum  the Hessian's eigenvalues at the point after --steps updates, one per\n"
        "                line, ascending; the minimum ratio on stderr (--summary: a CSV line\n"
        "                on stdout instead); --seeds K: the seeds' experiment, CSV\n"
        "                seed,train_loss,grad_norm,min_ratio,positive,negative,zero\n"
        "  net slice     CSV i,j,a,b,loss: the training loss on the plane centre + a d1 + b d2\n"
        "  net data      the data set as CSV (the training part; --which test: the test part)\n"
        "  net bench     times training, the full Hessian and a slice; see README\n"
        "\n"
        "Options:\n"
        "  --net SPEC            mlp:2,16,16,1,act=relu|tanh|sigmoid|linear,bn=off|before|after,\n"
        "                        loss=mse|bce|ce[,momentum=0.1,eps=1e-5] (BN's)\n"
        "  --data NAME[:k=v,..]  circle, xor, gauss, spirals, moons, sine, poly, or FILE.csv\n"
        "                        (numbers, the last column the target, no header)\n"
        "  --test FILE.csv       a test set (generated sets have their own: split=)\n"
        "  --optimizer SPEC      torch.optim's (optiscape list optimizers); default adam\n"
        "  --schedule SPEC       learning-rate schedule (optiscape list schedules)\n"
        "  --batch B             minibatches of B samples (default: the full batch)\n"
        "  --shuffle 0|1         1 (default): a new order every epoch; 0: in file order\n"
        "  --steps N             updates (default 0)\n"
        "  --seed S              initialization and shuffles (default 0)\n"
        "  --init FILE           parameters in torch's state_dict order, one per line\n"
        "  --save FILE           write them after training (--force to overwrite)\n"
        "  --threads T           Hessian and slice threads (default 2)\n"
        "  --scene FILE          a scene's [net] (--lab K: its K-th; default the first) gives\n"
        "                        every option above that the command line leaves out\n"
        "train:     --test-batch-stats: one more column, test_loss_batch: a BN net's test loss\n"
        "           with the test set's own batch statistics (train mode; test_loss uses the\n"
        "           running averages, eval mode); empty without BN\n"
        "           --timing P[,T]: three more columns, epoch (samples seen / n), update_s\n"
        "           (measured seconds of the updates so far) and device_s (a device that\n"
        "           takes P samples at once: T ceil(B / P) seconds per update of B; T 0.001)\n"
        "spectrum:  --summary, --zero-tol T (|lambda| <= T max|lambda| is zero; 1e-6),\n"
        "           --lanczos K (K Lanczos steps: the extreme eigenvalues, any size; default\n"
        "           above 2000 parameters: 100), --seeds K, --gtol G (stop training when the\n"
        "           gradient norm is below G)\n"
        "slice:     --dir random|pca|hessian|hessian-low|params:I,J|file:FILE (default random;\n"
        "           hessian: the top two eigenvectors, hessian-low: the largest's and the\n"
        "           smallest's, the way down at a saddle; FILE: one\n"
        "           line d1,d2 per parameter), --dirs-out FILE (the directions used, so),\n"
        "           --grid N (41),\n"
        "           --range R (1), --path FILE (the training path projected: step,a,b,\n"
        "           distance,loss), --plane-out PLANE (the plane as a landscape for every\n"
        "           command: --landscape plane:file=PLANE)\n"
        "figures:   --out FILE.png [--size WxH] [--force]: spectrum --seeds draws its scatter\n"
        "           (minimum ratio against training loss), slice its map with the path, train\n"
        "           the network view's four panels (data and model, the slice along --dir with\n"
        "           the path, the curves, the Hessian spectrum)\n"
        "\n"
        "Data sets (keys n, noise, split, shift, seed and their own):\n%s"
        "\nExample: optiscape net train --net mlp:2,16,16,1,act=tanh,loss=bce --data moons "
        "--optimizer adam:lr=0.01 --steps 200\n",
        netdata_help());
}

typedef struct net_opts {
    const char *cmd;
    const char *net, *data, *test, *opt, *sched, *init, *save, *dir, *path, *which, *timing, *out, *size;
    const char *dirs_out, *plane_out, *scene;
    long lab;                   /* --lab K: the scene's K-th [net] */
    int argc;
    char **argv;
    long steps, batch, shuffle, threads, grid, seeds, lanczos, seed;
    double range, zero_tol, gtol;
    int summary, force, test_batch;
} net_opts;

typedef struct net_env {
    net nt;
    int have_net;
    double *p;
    netdata train, test;
    net_train_desc td;
} net_env;

/* 0, CLI_HELP, or EXIT_BAD_INPUT. */
static int parse_opts(net_opts *o, int argc, char **argv)
{
    const cli_opt opts[] = {
        {"--summary", CLI_FLAG, .dst = &o->summary},
        {"--force", CLI_FLAG, .dst = &o->force},
        {"--test-batch-stats", CLI_FLAG, .dst = &o->test_batch},
        {"--net", CLI_STRING, .dst = &o->net},
        {"--data", CLI_STRING, .dst = &o->data},
        {"--test", CLI_STRING, .dst = &o->test},
        {"--optimizer", CLI_STRING, .dst = &o->opt},
        {"--schedule", CLI_STRING, .dst = &o->sched},
        {"--init", CLI_STRING, .dst = &o->init},
        {"--save", CLI_STRING, .dst = &o->save},
        {"--dir", CLI_STRING, .dst = &o->dir},
        {"--dirs-out", CLI_STRING, .dst = &o->dirs_out},
        {"--path", CLI_STRING, .dst = &o->path},
        {"--plane-out", CLI_STRING, .dst = &o->plane_out},
        {"--which", CLI_STRING, .dst = &o->which},
        {"--timing", CLI_STRING, .dst = &o->timing},
        {"--out", CLI_STRING, .dst = &o->out},
        {"--size", CLI_STRING, .dst = &o->size},
        {"--scene", CLI_STRING, .dst = &o->scene},
        {"--lab", CLI_LONG, &o->lab, 1, SCENE_MAX_NETS, .show = 60},
        {"--steps", CLI_LONG, &o->steps, 0, NET_MAX_STEPS, .show = 60},
        {"--batch", CLI_LONG, &o->batch, 1, 100000000L, .show = 60},
        {"--shuffle", CLI_LONG, &o->shuffle, 0, 1, .show = 60},
        {"--threads", CLI_LONG, &o->threads, 1, 64, .show = 60},
        {"--grid", CLI_LONG, &o->grid, 2, 4096, .show = 60},
        {"--seeds", CLI_LONG, &o->seeds, 1, 100000, .show = 60},
        {"--lanczos", CLI_LONG, &o->lanczos, 1, 10000, .show = 60},
        {"--seed", CLI_LONG, &o->seed, 0, 0x7fffffffL, .show = 60},
        {"--range", CLI_DOUBLE, &o->range, 1e-300, 1e300, .show = 60},
        {"--zero-tol", CLI_DOUBLE, &o->zero_tol, 0, 1, .show = 60},
        {"--gtol", CLI_DOUBLE, &o->gtol, 0, 1e300, .show = 60},
        {NULL},
    };
    const cli_parser parser = {o->cmd, opts, net_help, .unknown = "unknown option '%.80s' (optiscape net --help)"};
    return cli_parse(&parser, argc, argv);
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* --data names a file when it ends in .csv or is an existing file (a generated
 * set's spec never is: it has no such name) */
static int is_file(const char *s)
{
    struct stat st;
    return ends_with(s, ".csv") || (stat(s, &st) == 0 && S_ISREG(st.st_mode));
}

/* The targets must suit the loss: 0/1 for bce, class indices below k for ce. */
static int check_targets(const char *cmd, const char *name, const netdata *ds, const net_spec *s)
{
    int k = s->width[s->nlin];
    for (int i = 0; i < ds->n; i++) {
        double t = ds->y[i];
        int ok = s->loss == NET_MSE || (s->loss == NET_BCE ? (t == 0 || t == 1) : (t >= 0 && t < k && t == floor(t)));
        if (ok) continue;
        char where[300];
        if (ds->line) snprintf(where, sizeof where, "%.200s:%ld", name, ds->line[i]);
        else snprintf(where, sizeof where, "--data %.200s: sample %d", name, i + 1);
        return cli_bad(cmd, "%s: target %.17g is not %s", where, t,
                       s->loss == NET_BCE ? "0 or 1 (loss=bce)" : "a class index below the network's outputs (loss=ce)");
    }
    return 0;
}

static int load_data(const net_opts *o, net_env *e)
{
    char err[512];
    const net_spec *s = &e->nt.s;
    if (!o->data) return cli_bad(o->cmd, "give --data NAME or --data FILE.csv");
    if (is_file(o->data)) {
        if (netdata_read_csv(o->data, &e->train, err, sizeof err) != 0) return cli_bad(o->cmd, "%s", err);
    } else if (netdata_generate(o->data, &e->train, &e->test, err, sizeof err) != 0) {
        return cli_bad(o->cmd, "--data: %s", err);
    }
    if (o->test) {
        netdata_free(&e->test);
        if (netdata_read_csv(o->test, &e->test, err, sizeof err) != 0) return cli_bad(o->cmd, "%s", err);
    }
    const char *names[2] = {o->data, o->test ? o->test : o->data};
    netdata *sets[2] = {&e->train, &e->test};
    for (int k = 0; k < 2; k++) {
        if (sets[k]->n == 0) continue;
        if (sets[k]->d != s->width[0])
            return cli_bad(o->cmd, "%.200s: %d input%s per sample, the network takes %d", names[k], sets[k]->d,
                           sets[k]->d == 1 ? "" : "s", s->width[0]);
        int rc = check_targets(o->cmd, names[k], sets[k], s);
        if (rc) return rc;
    }
    return 0;
}

/* Everything the subcommands share: network, data, optimizer, initial parameters. */
static int setup(const net_opts *o, net_env *e)
{
    char err[512];
    net_spec s;
    if (!o->net) return cli_bad(o->cmd, "give --net mlp:WIDTHS,... (optiscape net --help)");
    if (net_parse(o->net, &s, err, sizeof err) != 0) return cli_bad(o->cmd, "--net: %s", err);
    if (net_init(&e->nt, &s) != 0) return cli_bad(o->cmd, "out of memory");
    e->have_net = 1;
    int rc = load_data(o, e);
    if (rc) return rc;
    e->td.opt = optim_defaults(OPTIM_ADAM);
    if (o->opt && optim_parse(o->opt, &e->td.opt, err, sizeof err) != 0) return cli_bad(o->cmd, "%s", err);
    if (optim_info_of(e->td.opt.kind)->needs_hessian)
        return cli_bad(o->cmd, "--optimizer %.40s: needs the 2-D Hessian; networks take the first-order ones",
                       optim_info_of(e->td.opt.kind)->name);
    e->td.sched = sched_defaults(SCHED_CONSTANT);
    if (o->sched && sched_parse(o->sched, &e->td.sched, err, sizeof err) != 0) return cli_bad(o->cmd, "%s", err);
    e->td.batch = o->batch > 0 && o->batch < e->train.n ? (int)o->batch : 0;
    e->td.shuffle = (int)o->shuffle;
    e->td.seed = (uint64_t)o->seed;
    e->td.steps = o->steps;
    e->td.stop_grad = o->gtol;
    if (s.bn != NET_BN_OFF) {
        int b = e->td.batch ? e->td.batch : e->train.n, last = e->train.n % b;
        if (b == 1 || last == 1)
            return cli_bad(o->cmd, "--batch %d: a batch of 1 sample (%s) has no batch statistics for BN", b,
                           b == 1 ? "every batch" : "the last of each epoch");
    }
    e->p = malloc(e->nt.np * sizeof *e->p);
    if (!e->p) return cli_bad(o->cmd, "out of memory");
    net_init_params(&e->nt, e->p, (uint64_t)o->seed);
    if (o->init && net_state_load(&e->nt, e->p, o->init, err, sizeof err) != 0) return cli_bad(o->cmd, "%s", err);
    return 0;
}

static void env_free(net_env *e)
{
    if (e->have_net) net_free(&e->nt);
    free(e->p);
    netdata_free(&e->train);
    netdata_free(&e->test);
}

static void print_num(double v, int last)
{
    if (isnan(v)) printf("%s", last ? "\n" : ",");
    else printf("%.17g%s", v, last ? "\n" : ",");
}

/* --timing P[,T]: the batch-size cost model's device (nettrain.h) */
typedef struct timing_ctx {
    int on, P, n;
    int test_batch;             /* --test-batch-stats: the last column */
    double t1, prev_samples, device_s;
} timing_ctx;

static int print_row(void *ctx, const net_row *r, const double *p)
{
    timing_ctx *tc = ctx;
    printf("%ld,", r->step);
    print_num(r->train_loss, 0);
    print_num(r->test_loss, 0);
    print_num(r->train_acc, 0);
    print_num(r->test_acc, 0);
    print_num(r->grad_norm, 0);
    print_num(r->lr, !tc->on && !tc->test_batch);
    if (tc->on) {
        int b = (int)(r->samples - tc->prev_samples);
        if (r->step > 0) tc->device_s += net_device_seconds(b, tc->P, tc->t1);
        tc->prev_samples = r->samples;
        printf("%.17g,%.17g,%.17g%s", r->samples / tc->n, r->update_s, tc->device_s, tc->test_batch ? "," : "\n");
    }
    if (tc->test_batch) print_num(r->test_loss_batch, 1);
    return 0;
}

static int parse_timing(const char *cmd, const char *v, timing_ctx *tc)
{
    double a[2] = {0, 1e-3};
    if (!v) return 0;
    if ((spec_numbers(v, a, 2) != 0 && spec_numbers(v, a, 1) != 0) || a[0] < 1 || a[0] > 1e9 ||
        a[0] != floor(a[0]) || !(a[1] > 0))
        return cli_bad(cmd, "--timing '%.60s': expected P (samples a device takes at once) or P,T (T: seconds "
                       "of such an update, default 0.001)", v);
    tc->on = 1;
    tc->P = (int)a[0];
    tc->t1 = a[1];
    return 0;
}

static int refuse_existing(const char *cmd, const char *path, int force)
{
    struct stat st;
    if (path && !force && stat(path, &st) == 0)
        return cli_bad(cmd, "%.200s exists; give --force to overwrite it", path);
    return 0;
}

static int figure_size(const net_opts *o, int *w, int *h);

/* net train --out FILE.png: the lab's four panels after the training (the window's
 * network view, light): the same settings, trained by the live lab, the slice a
 * random plane (--dir random|pca|hessian|params:I,J) through the last point. */
static int net_lab_png(net_opts *o)
{
    netlab_desc d;
    memset(&d, 0, sizeof d);
    char err[600];
    int fw, fh, rc = figure_size(o, &fw, &fh);
    if (rc) return rc;
    if (!o->net) return cli_bad(o->cmd, "give --net mlp:WIDTHS,... (optiscape net --help)");
    if (!o->data || is_file(o->data)) return cli_bad(o->cmd, "--out: the figure takes a generated --data set");
    if (o->test || o->init || o->save || o->timing)
        return cli_bad(o->cmd, "--out: the figure takes no --test, --init, --save or --timing");
    snprintf(d.net, sizeof d.net, "%s", o->net);
    snprintf(d.data, sizeof d.data, "%s", o->data);
    if (o->opt) snprintf(d.opt, sizeof d.opt, "%s", o->opt);
    if (o->sched) snprintf(d.sched, sizeof d.sched, "%s", o->sched);
    d.batch = (int)o->batch;
    d.no_shuffle = !o->shuffle;
    d.seed = o->seed;
    d.steps = o->steps;
    d.grid = o->grid ? (int)o->grid : 41;
    d.range = o->range;
    const char *dir = o->dir ? o->dir : "random";
    double ij[2];
    if (strcmp(dir, "pca") == 0) d.plane = NETLAB_PLANE_PCA;
    else if (strcmp(dir, "hessian") == 0) d.plane = NETLAB_PLANE_HESSIAN;
    else if (strcmp(dir, "hessian-low") == 0) d.plane = NETLAB_PLANE_HESSIAN_LOW;
    else if (strncmp(dir, "params:", 7) == 0 && spec_numbers(dir + 7, ij, 2) == 0 && ij[0] == floor(ij[0]) &&
             ij[1] == floor(ij[1]) && fabs(ij[0]) < 1e9 && fabs(ij[1]) < 1e9) {
        d.plane = NETLAB_PLANE_PARAMS;
        d.pi = (int)ij[0];
        d.pj = (int)ij[1];
    } else if (strcmp(dir, "random") != 0)
        return cli_bad(o->cmd, "--dir '%.60s': the figure takes random, pca, hessian, hessian-low or params:I,J", dir);
    netfig nf;
    if (netfig_from_desc(&nf, &d, o->steps, err, sizeof err) != 0) return cli_bad(o->cmd, "%s", err);
    netlab_figure f = {.lab = nf.lab[0], .v = {.light = 1}};
    char nspec[120], title[300], desc[2400];
    net_format(&nf.lab[0]->nt.s, nspec, sizeof nspec);
    snprintf(title, sizeof title, "%s on %.80s, %.60s, %ld steps", nspec, o->data, o->opt ? o->opt : "adam",
             o->steps);
    f.v.title = title;
    /* the panels, then the lab's final numbers to 17 digits (as render's) */
    size_t n = (size_t)snprintf(desc, sizeof desc, "data and model, the loss on a plane with the path, the training "
                                "curves, the Hessian spectrum; ");
    netfig_describe(&nf, desc + n, sizeof desc - n);
    rc = figure_png(o->cmd, fw, fh, 0xffffffffu, netlab_view_figure, &f, desc, o->argc, o->argv, o->out, o->force);
    netfig_free(&nf);
    return rc;
}

static int net_train_cmd(net_opts *o)
{
    if (o->out) return net_lab_png(o);
    net_env e;
    memset(&e, 0, sizeof e);
    timing_ctx tc = {0};
    int rc = refuse_existing(o->cmd, o->save, o->force);
    if (!rc) rc = parse_timing(o->cmd, o->timing, &tc);
    if (!rc) rc = setup(o, &e);
    if (!rc) {
        char err[512];
        tc.n = e.train.n;
        tc.test_batch = o->test_batch;
        printf("step,train_loss,test_loss,train_acc,test_acc,grad_norm,lr%s%s\n", tc.on ? ",epoch,update_s,device_s" : "",
               tc.test_batch ? ",test_loss_batch" : "");
        if (net_train(&e.nt, e.p, &e.train, &e.test, &e.td, print_row, &tc) != 0) {
            fprintf(stderr, "optiscape %s: out of memory\n", o->cmd);
            rc = EXIT_RUNTIME;
        } else if (o->save && net_state_save(&e.nt, e.p, o->save, err, sizeof err) != 0) {
            fprintf(stderr, "optiscape %s: %s\n", o->cmd, err);
            rc = EXIT_RUNTIME;
        }
    }
    env_free(&e);
    return rc;
}

/* ------------------------------------------------------------------------------ */
/* Figures (--out FILE.png): net_view draws them                                   */

static int figure_size(const net_opts *o, int *w, int *h)
{
    *w = 1024;
    *h = 768;
    if (o->size && (cli_parse_size(o->size, w, h) != 0 || *w < 200 || *h < 150))
        return cli_bad(o->cmd, "--size '%.40s': expected WxH, at least 200x150", o->size);
    return 0;
}

/* ------------------------------------------------------------------------------ */
/* Spectrum                                                                         */

typedef struct last_row {
    net_row r;
} last_row;

static int keep_row(void *ctx, const net_row *r, const double *p)
{
    ((last_row *)ctx)->r = *r;
    return 0;
}


/* All eigenvalues (n = np) or k Lanczos Ritz values (n = steps taken) into w. */
static int spectrum_of(const net_opts *o, net_env *e, double *w, int *n)
{
    size_t np = e->nt.np;
    int k = o->lanczos ? (int)o->lanczos : np > 2000 ? 100 : 0;
    if (!k) {
        double *H = malloc(np * np * sizeof *H);
        int rc = !H || net_hessian(&e->nt, e->p, &e->train, NULL, e->train.n, H, (int)o->threads) != 0 ||
                 eig_sym(H, np, w, 0) != 0;
        free(H);
        *n = (int)np;
        return rc ? -1 : 0;
    }
    net_work *wk = net_work_new(&e->nt, e->train.n);
    double *g = malloc(np * sizeof *g);
    int got = -1;
    if (wk && g) {
        net_hvp_ctx c = {&e->nt, e->p, wk};
        net_pass(&e->nt, e->p, &e->train, NULL, e->train.n, NET_TRAIN, g, wk);
        got = eig_lanczos(net_hvp_op, &c, np, k, (uint64_t)o->seed, w, NULL);
    }
    net_work_free(wk);
    free(g);
    *n = got;
    return got < 0 ? -1 : 0;
}

static int spectrum_one(net_opts *o, net_env *e, net_row *last, net_spectrum *sp, int print)
{
    last_row lr;
    double *w = malloc((e->nt.np > 100 ? e->nt.np : 100) * sizeof *w + o->lanczos * sizeof *w);
    int n = 0;
    if (!w || net_train(&e->nt, e->p, &e->train, &e->test, &e->td, keep_row, &lr) != 0 ||
        spectrum_of(o, e, w, &n) != 0) {
        free(w);
        fprintf(stderr, "optiscape %s: out of memory (or no convergence)\n", o->cmd);
        return EXIT_RUNTIME;
    }
    *last = lr.r;
    *sp = net_spectrum_of(w, n, o->zero_tol);
    if (o->lanczos || e->nt.np > 2000) sp->min_ratio = NAN;   /* not all eigenvalues */
    if (print)
        for (int i = 0; i < n; i++) printf("%.17g\n", w[i]);
    free(w);
    return 0;
}

static int net_spectrum_cmd(net_opts *o)
{
    net_env e;
    memset(&e, 0, sizeof e);
    if (!o->zero_tol) o->zero_tol = 1e-6;
    int rc = setup(o, &e);
    if (rc) { env_free(&e); return rc; }
    net_row r;
    net_spectrum sp;
    if (o->seeds) {
        int fw, fh;
        if (o->out && (rc = figure_size(o, &fw, &fh)) != 0) { env_free(&e); return rc; }
        double *xs = malloc((size_t)o->seeds * sizeof *xs), *ys = malloc((size_t)o->seeds * sizeof *ys);
        if (!xs || !ys) rc = cli_bad(o->cmd, "out of memory");
        if (!o->out && !rc) printf("seed,train_loss,grad_norm,min_ratio,positive,negative,zero\n");
        for (long s = o->seed; s < o->seed + o->seeds && !rc; s++) {
            net_init_params(&e.nt, e.p, (uint64_t)s);
            e.td.seed = (uint64_t)s;
            rc = spectrum_one(o, &e, &r, &sp, 0);
            if (rc) break;
            xs[s - o->seed] = sp.min_ratio;
            ys[s - o->seed] = r.train_loss;
            if (!o->out)
                printf("%ld,%.17g,%.17g,%.17g,%d,%d,%d\n", s, r.train_loss, r.grad_norm, sp.min_ratio, sp.npos,
                       sp.nneg, sp.nzero);
        }
        if (!rc && o->out) {
            net_scatter f = {xs, ys, (int)o->seeds, ""};
            char nspec[120];
            net_format(&e.nt.s, nspec, sizeof nspec);
            snprintf(f.title, sizeof f.title, "%ld seeds, %ld steps: %s", o->seeds, o->steps, nspec);
            rc = figure_png(o->cmd, fw, fh, 0xffffffffu, net_view_scatter, &f,
                            "minimum ratio against training loss, one point per seed", o->argc, o->argv, o->out,
                            o->force);
        }
        free(xs);
        free(ys);
    } else if (!(rc = spectrum_one(o, &e, &r, &sp, !o->summary))) {
        FILE *f = o->summary ? stdout : stderr;
        if (o->summary) fprintf(f, "train_loss,grad_norm,positive,negative,zero,min_ratio,lambda_min,lambda_max,zero_tol\n");
        else fprintf(f, "optiscape %s: ", o->cmd);
        fprintf(f, o->summary ? "%.17g,%.17g,%d,%d,%d,%.17g,%.17g,%.17g,%g\n"
                              : "train_loss %.17g, grad_norm %.3g: %d positive, %d negative, %d zero; "
                                "minimum ratio %.17g (lambda %.6g .. %.6g, zero: |lambda| <= %g max)\n",
                r.train_loss, r.grad_norm, sp.npos, sp.nneg, sp.nzero, sp.min_ratio, sp.lmin, sp.lmax, sp.tol);
    }
    env_free(&e);
    return rc;
}

/* ------------------------------------------------------------------------------ */
/* Slices                                                                           */

typedef struct path_rec {
    double *pts;
    long n, cap;
    size_t np;
} path_rec;

static int record(void *ctx, const net_row *r, const double *p)
{
    path_rec *pr = ctx;
    if (pr->n < pr->cap) memcpy(pr->pts + (size_t)pr->n++ * pr->np, p, pr->np * sizeof *p);
    return 0;
}

static int slice_dirs(net_opts *o, net_env *e, const path_rec *pr, double *d1, double *d2)
{
    const char *dir = o->dir ? o->dir : "random";
    size_t np = e->nt.np;
    if (strcmp(dir, "random") == 0) {
        net_dir_random(&e->nt, e->p, (uint64_t)o->seed + 1, d1, d2);
        return 0;
    }
    if (strcmp(dir, "pca") == 0) {
        double var[2];
        if (pr->n < 3 || net_dir_pca(pr->pts, (int)pr->n, np, d1, d2, var) != 0)
            return cli_bad(o->cmd, "--dir pca: the path needs --steps 2 or more and must move");
        fprintf(stderr, "optiscape %s: principal components explain %.4f and %.4f of the path's spread\n", o->cmd,
                var[0], var[1]);
        return 0;
    }
    if (strcmp(dir, "hessian") == 0 || strcmp(dir, "hessian-low") == 0) {
        double lam[2];
        int low = dir[7] == '-';
        if ((low ? net_dir_hessian_low : net_dir_hessian)(&e->nt, e->p, &e->train, (int)o->threads, d1, d2, lam) != 0) {
            fprintf(stderr, "optiscape %s: out of memory\n", o->cmd);
            return EXIT_RUNTIME;
        }
        fprintf(stderr, "optiscape %s: %s eigenvalues %.17g, %.17g\n", o->cmd, low ? "largest and smallest" : "top",
                lam[0], lam[1]);
        return 0;
    }
    if (strncmp(dir, "params:", 7) == 0) {
        double ij[2];
        if (spec_numbers(dir + 7, ij, 2) != 0 || ij[0] != floor(ij[0]) || ij[1] != floor(ij[1]) || ij[0] < 0 ||
            ij[1] < 0 || ij[0] >= (double)np || ij[1] >= (double)np || ij[0] == ij[1])
            return cli_bad(o->cmd, "--dir %.60s: expected params:I,J, two different indices below %zu", dir, np);
        memset(d1, 0, np * sizeof *d1);
        memset(d2, 0, np * sizeof *d2);
        d1[(size_t)ij[0]] = 1;
        d2[(size_t)ij[1]] = 1;
        return 0;
    }
    if (strncmp(dir, "file:", 5) == 0) {
        netdata f;
        char err[512];
        if (netdata_read_csv(dir + 5, &f, err, sizeof err) != 0) return cli_bad(o->cmd, "%s", err);
        int ok = f.d == 1 && (size_t)f.n == np;
        if (ok)
            for (size_t k = 0; k < np; k++) {
                d1[k] = f.x[k];
                d2[k] = f.y[k];
            }
        netdata_free(&f);
        if (!ok)
            return cli_bad(o->cmd, "%.200s: expected %zu lines of d1,d2 (one per parameter)", dir + 5, np);
        return 0;
    }
    return cli_bad(o->cmd, "--dir '%.60s': expected random, pca, hessian, hessian-low, params:I,J or file:FILE", dir);
}

/* path written through path.tmp renamed into place, so a failure leaves no half
 * file: body prints the contents (0, or -1 when it could not). 0, or EXIT_RUNTIME
 * having said why. */
static int write_replacing(const net_opts *o, const char *path, int (*body)(FILE *f, void *ctx), void *ctx)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%.1000s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int ok = f && body(f, ctx) == 0;
    if (f) ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        fprintf(stderr, "optiscape %s: cannot write %.200s: %s\n", o->cmd, path, strerror(errno));
        return EXIT_RUNTIME;
    }
    return 0;
}

typedef struct path_out {
    net_env *e;
    const path_rec *pr;
    const double *d1, *d2;
} path_out;

/* step,a,b,distance,loss of every recorded point */
static int print_path(FILE *f, void *ctx)
{
    const path_out *po = ctx;
    net_env *e = po->e;
    net_work *w = net_work_new(&e->nt, e->train.n);
    int ok = w && fprintf(f, "step,a,b,distance,loss\n") > 0;
    for (long k = 0; k < po->pr->n && ok; k++) {
        const double *q = po->pr->pts + (size_t)k * e->nt.np;
        double ab[2], dist;
        net_project(e->p, po->d1, po->d2, e->nt.np, q, ab, &dist);
        double l = net_pass(&e->nt, q, &e->train, NULL, e->train.n, NET_TRAIN, NULL, w).loss;
        ok = fprintf(f, "%ld,%.17g,%.17g,%.17g,%.17g\n", k, ab[0], ab[1], dist, l) > 0;
    }
    net_work_free(w);
    return ok ? 0 : -1;
}

static int write_path(net_opts *o, net_env *e, const path_rec *pr, const double *d1, const double *d2)
{
    path_out po = {e, pr, d1, d2};
    return write_replacing(o, o->path, print_path, &po);
}

typedef struct dirs_out {
    size_t np;
    const double *d1, *d2;
} dirs_out;

/* d1,d2: one line per parameter */
static int print_dirs(FILE *f, void *ctx)
{
    const dirs_out *d = ctx;
    int ok = 1;
    for (size_t k = 0; k < d->np && ok; k++) ok = fprintf(f, "%.17g,%.17g\n", d->d1[k], d->d2[k]) > 0;
    return ok ? 0 : -1;
}

static int write_dirs(const net_opts *o, size_t np, const double *d1, const double *d2)
{
    dirs_out d = {np, d1, d2};
    return write_replacing(o, o->dirs_out, print_dirs, &d);
}

/* The plane as a landscape: network, data, range, a start (the projected first
 * point of the path when it lies in the view) and centre, d1, d2. */
static int write_plane(const net_opts *o, net_env *e, const path_rec *pr, double *d1, double *d2, double range)
{
    net_plane_file pf = {.data_is_file = is_file(o->data), .range = range, .np = e->nt.np,
                         .centre = e->p, .d1 = d1, .d2 = d2};
    char err[600];
    double ab[2] = {-0.5 * range, 0.5 * range}, dist;
    if (pr->n > 1) net_project(e->p, d1, d2, e->nt.np, pr->pts, ab, &dist);
    if (!(fabs(ab[0]) < range && fabs(ab[1]) < range)) ab[0] = -0.5 * range, ab[1] = 0.5 * range;
    pf.start[0] = ab[0];
    pf.start[1] = ab[1];
    snprintf(pf.net, sizeof pf.net, "%.250s", o->net);
    if (!pf.data_is_file) snprintf(pf.data, sizeof pf.data, "%.1000s", o->data);
    else {
        char *abs = realpath(o->data, NULL);
        if (!abs || strlen(abs) >= sizeof pf.data) {
            free(abs);
            return cli_bad(o->cmd, "--data %.200s: no absolute path for the plane file", o->data);
        }
        memcpy(pf.data, abs, strlen(abs) + 1);
        free(abs);
    }
    if (net_plane_file_write(o->plane_out, &pf, err, sizeof err) != 0) {
        fprintf(stderr, "optiscape %s: %s\n", o->cmd, err);
        return EXIT_RUNTIME;
    }
    return 0;
}

static int slice_png(net_opts *o, net_env *e, const path_rec *pr, const double *d1, const double *d2,
                     const double *grid, int n, double range)
{
    int fw, fh, rc = figure_size(o, &fw, &fh);
    if (rc) return rc;
    double *ab = malloc((size_t)(pr->n > 0 ? pr->n : 1) * 2 * sizeof *ab), dist, worst = 0;
    if (!ab) return cli_bad(o->cmd, "out of memory");
    for (long k = 0; k < pr->n; k++) {
        net_project(e->p, d1, d2, e->nt.np, pr->pts + (size_t)k * e->nt.np, ab + 2 * k, &dist);
        worst = fmax(worst, dist);
    }
    net_slice_map f = {grid, ab, n, (int)pr->n, range, ""};
    char nspec[120];
    net_format(&e->nt.s, nspec, sizeof nspec);
    snprintf(f.title, sizeof f.title, "%s plane after %ld steps: %s", o->dir ? o->dir : "random", o->steps, nspec);
    if (pr->n > 1)
        fprintf(stderr, "optiscape %s: the path is at most %.3g from the plane\n", o->cmd, worst);
    rc = figure_png(o->cmd, fw, fh, 0xffffffffu, net_view_slice, &f,
                    "training loss on a plane through parameter space (log colour scale), the path projected",
                    o->argc, o->argv, o->out, o->force);
    free(ab);
    return rc;
}

static int net_slice_cmd(net_opts *o)
{
    net_env e;
    path_rec pr = {0};
    double *d1 = NULL, *d2 = NULL, *grid = NULL;
    memset(&e, 0, sizeof e);
    int n = o->grid ? (int)o->grid : 41, rc = refuse_existing(o->cmd, o->path, o->force);
    if (!rc) rc = refuse_existing(o->cmd, o->dirs_out, o->force);
    if (!rc) rc = refuse_existing(o->cmd, o->plane_out, o->force);
    double range = o->range > 0 ? o->range : 1.0;
    if (!rc) rc = setup(o, &e);
    if (rc) goto out;
    pr.np = e.nt.np;
    pr.cap = (long)fmin((double)o->steps + 1, 5e7 / (double)pr.np);
    pr.pts = malloc((size_t)(pr.cap > 0 ? pr.cap : 1) * pr.np * sizeof *pr.pts);
    d1 = malloc(pr.np * sizeof *d1);
    d2 = malloc(pr.np * sizeof *d2);
    grid = malloc((size_t)n * (size_t)n * sizeof *grid);
    if (!pr.pts || !d1 || !d2 || !grid || net_train(&e.nt, e.p, &e.train, &e.test, &e.td, record, &pr) != 0) {
        fprintf(stderr, "optiscape %s: out of memory\n", o->cmd);
        rc = EXIT_RUNTIME;
        goto out;
    }
    if ((rc = slice_dirs(o, &e, &pr, d1, d2)) != 0) goto out;
    if (net_slice_grid(&e.nt, e.p, d1, d2, range, n, &e.train, (int)o->threads, grid) != 0) {
        fprintf(stderr, "optiscape %s: out of memory\n", o->cmd);
        rc = EXIT_RUNTIME;
        goto out;
    }
    if (o->dirs_out && (rc = write_dirs(o, e.nt.np, d1, d2)) != 0) goto out;
    if (o->plane_out && (rc = write_plane(o, &e, &pr, d1, d2, range)) != 0) goto out;
    if (o->out) {
        rc = slice_png(o, &e, &pr, d1, d2, grid, n, range);
        goto out;
    }
    printf("i,j,a,b,loss\n");
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            printf("%d,%d,%.17g,%.17g,%.17g\n", i, j, -range + 2 * range * i / (n - 1),
                   -range + 2 * range * j / (n - 1), grid[(size_t)j * (size_t)n + (size_t)i]);
    if (o->path) rc = write_path(o, &e, &pr, d1, d2);
out:
    free(pr.pts);
    free(d1);
    free(d2);
    free(grid);
    env_free(&e);
    return rc;
}

/* ------------------------------------------------------------------------------ */

static int net_data_cmd(net_opts *o)
{
    netdata tr, te;
    char err[512];
    if (!o->data) return cli_bad(o->cmd, "give --data NAME or --data FILE.csv");
    int test = o->which && strcmp(o->which, "test") == 0;
    if (o->which && !test && strcmp(o->which, "train") != 0)
        return cli_bad(o->cmd, "--which '%.40s': expected train or test", o->which);
    memset(&te, 0, sizeof te);
    if (is_file(o->data) ? netdata_read_csv(o->data, &tr, err, sizeof err)
                                   : netdata_generate(o->data, &tr, &te, err, sizeof err))
        return cli_bad(o->cmd, "%s", err);
    const netdata *d = test ? &te : &tr;
    for (int i = 0; i < d->n; i++) {
        for (int c = 0; c < d->d; c++) printf("%.17g,", d->x[(size_t)i * (size_t)d->d + (size_t)c]);
        printf("%.17g\n", d->y[i]);
    }
    netdata_free(&tr);
    netdata_free(&te);
    return EXIT_OK;
}

int cmd_net_bench(int argc, char **argv);

/* Whether the command line gave option name (so --scene leaves it as given). */
static int given(const net_opts *o, const char *name)
{
    for (int i = 1; i < o->argc; i++)
        if (strcmp(o->argv[i], name) == 0) return 1;
    return 0;
}

/* --scene FILE [--lab K]: the scene's [net] gives what the command line leaves out,
   exactly as the window makes its lab of it (netlab.c's defaults: the net
   mlp:2,16,16,1,act=tanh,loss=bce, the data moons, adam). */
static int from_scene(net_opts *o, scene_doc **docp, char strs[4][512])
{
    char err[1200];
    scene_doc *doc = malloc(sizeof *doc);
    if (!doc) return cli_bad(o->cmd, "out of memory");
    if (scenefile_load(o->scene, doc, err, sizeof err) != 0) {
        free(doc);
        return cli_bad(o->cmd, "--scene: %s", err);
    }
    *docp = doc;
    int k = o->lab ? (int)o->lab - 1 : 0;
    if (k >= doc->nnet)
        return cli_bad(o->cmd, "--scene %.200s: %s%d [net] section%s", o->scene, o->lab ? "--lab asks for more than its " : "has ",
                       doc->nnet, doc->nnet == 1 ? "" : "s");
    const netlab_desc *d = &doc->net[k].d;
    snprintf(strs[0], 512, "%s", d->net[0] ? d->net : "mlp:2,16,16,1,act=tanh,loss=bce");
    snprintf(strs[1], 512, "%s", d->data[0] ? d->data : "moons");
    snprintf(strs[2], 512, "%s", d->opt);
    snprintf(strs[3], 512, "%s", d->sched);
    if (!o->net) o->net = strs[0];
    if (!o->data) o->data = strs[1];
    if (!o->opt && strs[2][0]) o->opt = strs[2];
    if (!o->sched && strs[3][0]) o->sched = strs[3];
    if (!given(o, "--batch")) o->batch = d->batch;
    if (!given(o, "--shuffle")) o->shuffle = !d->no_shuffle;
    if (!given(o, "--seed")) o->seed = d->seed;
    if (!given(o, "--steps")) o->steps = d->steps;
    return 0;
}

int cmd_net(int argc, char **argv)
{
    net_opts o;
    memset(&o, 0, sizeof o);
    o.shuffle = 1;
    o.threads = 2;
    if (argc < 1) return cli_bad("net", "give a subcommand: train, spectrum, slice, data or bench (net --help)");
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        net_help();
        return EXIT_OK;
    }
    const char *sub = argv[0];
    static const char *const names[] = {"net train", "net spectrum", "net slice", "net data"};
    int k = strcmp(sub, "train") == 0 ? 0 : strcmp(sub, "spectrum") == 0 ? 1 : strcmp(sub, "slice") == 0 ? 2
          : strcmp(sub, "data") == 0 ? 3 : -1;
    if (strcmp(sub, "bench") == 0) return cmd_net_bench(argc - 1, argv + 1);
    if (k < 0) return cli_bad("net", "unknown subcommand '%.40s' (train, spectrum, slice, data, bench)", sub);
    o.cmd = names[k];
    o.argc = argc;
    o.argv = argv;
    int rc = parse_opts(&o, argc - 1, argv + 1);
    if (rc == CLI_HELP) return EXIT_OK;
    if (rc) return rc;
    scene_doc *doc = NULL;
    char strs[4][512];
    if (o.scene && (rc = from_scene(&o, &doc, strs)) != 0) {
        if (doc) scene_doc_free(doc);
        free(doc);
        return rc;
    }
    switch (k) {
    case 0: rc = net_train_cmd(&o); break;
    case 1: rc = net_spectrum_cmd(&o); break;
    case 2: rc = net_slice_cmd(&o); break;
    default: rc = net_data_cmd(&o); break;
    }
    if (doc) {
        scene_doc_free(doc);
        free(doc);
    }
    return rc;
}

/* ------------------------------------------------------------------------------ */
/* bench: the three timings of netbench.h; tools/net_bench.py does the same work
 * in torch (float64, one thread) and prints the ratios. */

static void net_bench_help(void)
{
    printf("Usage: optiscape net bench [--steps N] [--threads T] [--grid N]\n"
           "Prints seconds for: N full-batch Adam steps of mlp:2,16,16,1 (tanh, bce) on 200\n"
           "points (one thread); the full Hessian of mlp:2,30,30,1 (1051 parameters) on 200\n"
           "points; a grid x grid slice of it (T threads). tools/net_bench.py runs the same\n"
           "work in torch and prints the ratios.\n");
}

int cmd_net_bench(int argc, char **argv)
{
    long steps = 2000, threads = 2, grid = 128;
    const cli_opt opts[] = {
        {"--steps", CLI_LONG, &steps, 1, NET_MAX_STEPS, .show = 60},
        {"--threads", CLI_LONG, &threads, 1, 64, .show = 60},
        {"--grid", CLI_LONG, &grid, 2, 4096, .show = 60},
        {NULL},
    };
    const cli_parser parser = {"net bench", opts, net_bench_help, .unknown = "unknown option '%.80s'"};
    int rc = cli_parse(&parser, argc, argv);
    if (rc == CLI_HELP) return EXIT_OK;
    if (rc) return rc;
    double tt = net_bench_train(steps), th, ts;
    net_bench_big((int)threads, (int)grid, &th, &ts);
    printf("train_s,%.6g\nhessian_s,%.6g\nslice_s,%.6g\n", tt, th, ts);
    return EXIT_OK;
}
