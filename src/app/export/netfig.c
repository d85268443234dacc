/* netfig: see netfig.h. */
#include "app/export/netfig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scene/netseeds.h"
#include "scene/worker.h"

void netfig_train(netlab *lab, long steps, int settle)
{
    for (long made = 0; made < steps && !netlab_done(lab);) {
        long k = netlab_step(lab, steps - made, INFINITY);
        if (k <= 0) break;
        made += k;
    }
    if (!settle) return;
    netlab_replane(lab);
    netlab_poll(lab, 1, INFINITY);   /* paused: the spectrum asked for at once */
    netlab_wait(lab);
    netlab_poll(lab, 1, INFINITY);   /* takes what the workers finished */
}

void netfig_free(netfig *f)
{
    netseeds_free(f->seeds);
    for (int i = 0; i < f->n; i++) {
        netlab_free(f->lab[i]);
        free(f->lab[i]);
    }
    memset(f, 0, sizeof *f);
}

static int add_lab(netfig *f, const netlab_desc *d0, const char *label, long steps, char *err, size_t errlen)
{
    netlab_desc d = *d0;
    d.manual = worker_threads_absent();
    netlab *lab = calloc(1, sizeof *lab);
    if (!lab) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (netlab_create(lab, &d, err, errlen) != 0) {
        free(lab);
        return -1;
    }
    int k = f->n++;
    f->lab[k] = lab;
    snprintf(f->label[k], sizeof f->label[k], "%s", label ? label : "");
    f->labels[k] = f->label[k];
    netfig_train(lab, steps, k == 0);
    return 0;
}

int netfig_from_desc(netfig *f, const netlab_desc *d, long steps, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    return add_lab(f, d, NULL, steps, err, errlen);
}

int netfig_from_doc(netfig *f, const scene_doc *doc, long steps, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    int axis = doc->nnet > 0 ? doc->net[0].axis : 0;
    f->axis = axis >= 0 && axis < NETLAB_X_COUNT ? (netlab_xaxis)axis : NETLAB_X_UPDATES;
    long pre = 0, stop = 0, n = steps;
    for (int i = 0; i < doc->nnet; i++) {
        pre = doc->net[i].pretrain > pre ? doc->net[i].pretrain : pre;
        stop = doc->net[i].d.steps > stop ? doc->net[i].d.steps : stop;
    }
    if (n < 0) n = pre > 0 ? pre : stop > 0 ? stop : NETFIG_DEFAULT_STEPS;
    for (int i = 0; i < doc->nnet && i < SCENE_MAX_NETS; i++) {
        const scene_net_doc *nd = &doc->net[i];
        char e2[600];
        if (add_lab(f, &nd->d, nd->label, n, e2, sizeof e2) != 0) {
            snprintf(err, errlen, "[net] %d: %s", i + 1, e2);
            netfig_free(f);
            return -1;
        }
    }
    if (doc->nnet > 0 && doc->net[0].seeds > 0) {
        /* the seeds' scatter in the spectrum's place, every seed finished */
        char e2[400];
        f->seeds = netseeds_start(&f->lab[0]->d, doc->net[0].seeds, doc->net[0].seeds_steps, doc->net[0].seeds_gtol,
                                  worker_threads_absent(), e2, sizeof e2);
        if (!f->seeds) {
            snprintf(err, errlen, "[net] 1: seeds: %s", e2);
            netfig_free(f);
            return -1;
        }
        netseeds_wait(f->seeds);
    }
    return 0;
}

void netfig_view(const netfig *f, netlab_view *v)
{
    v->xaxis = f->axis;
    v->more = (const netlab *const *)(f->lab + 1);
    v->nmore = f->n > 1 ? f->n - 1 : 0;
    v->labels = f->labels;
    v->seeds = f->seeds;
}

static void put_num(char *buf, size_t len, size_t *n, const char *name, double v)
{
    if (*n < len && isfinite(v)) *n += (size_t)snprintf(buf + *n, len - *n, ", %s %.17g", name, v);
}

void netfig_describe(const netfig *f, char *buf, size_t len)
{
    size_t n = (size_t)snprintf(buf, len, "network lab");
    for (int i = 0; i < f->n && n < len; i++) {
        const netlab *lab = f->lab[i];
        long rows;
        const net_row *r = netlab_rows(lab, &rows);
        const net_row *last = &r[rows - 1];
        char spec[256];
        net_format(&lab->nt.s, spec, sizeof spec);
        n += (size_t)snprintf(buf + n, len - n, "%s lab %d%s%s%s: %s, data %s, optimizer %s%s%s: step %ld", i ? ";" : ":",
                              i + 1, f->label[i][0] ? " (" : "", f->label[i], f->label[i][0] ? ")" : "", spec,
                              lab->d.data[0] ? lab->d.data : "moons", lab->d.opt[0] ? lab->d.opt : "adam",
                              lab->d.sched[0] ? ", schedule " : "", lab->d.sched, last->step);
        if (n >= len) break;
        put_num(buf, len, &n, "train loss", last->train_loss);
        put_num(buf, len, &n, "test loss", last->test_loss);
        if (lab->nt.s.loss != NET_MSE) {
            put_num(buf, len, &n, "train accuracy", last->train_acc);
            put_num(buf, len, &n, "test accuracy", last->test_acc);
        }
    }
}
