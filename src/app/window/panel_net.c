/* panel_net: the panel's Network section, shown while the network lab covers the
 * canvas: the data set (its noise, test split and shift), the network (hidden
 * layers, width, activation, BatchNorm and its momentum), the optimizer and its
 * hyperparameters, the minibatch, the slice's plane and the chart's x axis.
 *
 * Every edit goes through the parsers the command line uses: the spec strings of
 * the lab's desc are parsed, changed and formatted back, and a desc netlab_check
 * refuses is shown as an error and not applied. Edits of the data, the network, the
 * optimizer's kind or switches and the batch make a new lab (the window rebuilds
 * it before the next frame, training from the start); the optimizer's sliders go
 * to the running trainer (net_trainer_set_opt: the run continues from where it is);
 * the plane re-slices through the current point without retraining. */
#include "app/window/panel.h"

#include <stdio.h>
#include <string.h>

#include "app/views/netlab_view.h"
#include "core/netdata.h"
#include "core/optim.h"
#include "core/spec.h"

#define NDATA_MAX 16             /* netdata's generated sets, at most */

/* A data spec's set and its keys (spec's language), edited and written back. */
typedef struct data_edit {
    spec sp;
    int set;                    /* netdata's set index; -1: a file or unknown */
} data_edit;

static int data_read(const char *text, data_edit *e)
{
    char err[64];
    memset(e, 0, sizeof *e);
    e->set = -1;
    if (spec_parse(text[0] ? text : "moons", "data", &e->sp, err, sizeof err) != 0) return -1;
    for (int i = 0; i < netdata_set_count(); i++)
        if (strcmp(e->sp.name, netdata_set_name(i)) == 0) e->set = i;
    return e->set >= 0 ? 0 : -1;
}

static spec_kv *data_key(data_edit *e, const char *key)
{
    for (int i = 0; i < e->sp.nkv; i++)
        if (strcmp(e->sp.kv[i].key, key) == 0) return &e->sp.kv[i];
    return NULL;
}

static double data_get(data_edit *e, const char *key, double dflt)
{
    spec_kv *kv = data_key(e, key);
    double v;
    return kv && spec_number(kv->val, &v) == 0 ? v : dflt;
}

static void data_set(data_edit *e, const char *key, double v)
{
    spec_kv *kv = data_key(e, key);
    if (!kv) {
        if (e->sp.nkv >= SPEC_MAX_KV) return;
        kv = &e->sp.kv[e->sp.nkv++];
        snprintf(kv->key, sizeof kv->key, "%s", key);
    }
    spec_format_number(v, kv->val, sizeof kv->val);
}

static void data_write(const data_edit *e, char *buf, size_t len)
{
    spec_writer w;
    if (spec_write_start(&w, buf, len, netdata_set_name(e->set)) != 0) return;
    for (int i = 0; i < e->sp.nkv; i++)
        if (spec_write_key(&w, e->sp.kv[i].key, (int)strlen(e->sp.kv[i].key), e->sp.kv[i].val) != 0) return;
}

/* The data set: its kind, noise, test fraction and test shift. 1 when changed. */
static int data_controls(ui *u, const live *L, netlab_desc *d)
{
    data_edit e;
    if (data_read(d->data, &e) != 0) {
        char line[300];
        snprintf(line, sizeof line, "data %s", d->data);
        ui_label(u, line, ui_get_style(u)->text_dim);
        return 0;
    }
    int changed = 0, set = e.set;
    const char *names[NDATA_MAX];
    int nsets = netdata_set_count() < NDATA_MAX ? netdata_set_count() : NDATA_MAX;
    for (int i = 0; i < nsets; i++) names[i] = netdata_set_name(i);
    if (panel_shown(L, "data") && ui_choice(u, "data set", &set, names, nsets)) {
        /* another set keeps the size, split, shift and seed; its own keys and its
           noise start from the new set's defaults */
        data_edit n;
        memset(&n, 0, sizeof n);
        n.set = set;
        static const char *const keep[] = {"n", "split", "shift", "seed", "xscale"};
        for (int k = 0; k < 5; k++) {
            spec_kv *kv = data_key(&e, keep[k]);
            if (kv) n.sp.kv[n.sp.nkv++] = *kv;
        }
        e = n;
        changed = 1;
    }
    double noise = data_get(&e, "noise", netdata_set_noise(e.set));
    if (panel_shown(L, "noise") && ui_slider(u, "data noise", &noise, 0, 1, 0, "noise %.3g")) { data_set(&e, "noise", noise); changed = 1; }
    double split = data_get(&e, "split", 0.5);
    if (panel_shown(L, "split") && ui_slider(u, "data split", &split, 0, 0.9, 0, "test fraction %.2f")) { data_set(&e, "split", split); changed = 1; }
    double shift = data_get(&e, "shift", 0);
    if (panel_shown(L, "shift") && ui_slider(u, "data shift", &shift, -2, 2, 0, "test shift %.3g")) { data_set(&e, "shift", shift); changed = 1; }
    if (changed) data_write(&e, d->data, sizeof d->data);
    return changed;
}

/* The network: hidden layers (one width for all), activation, BatchNorm. */
static int net_controls(ui *u, const live *L, netlab_desc *d)
{
    net_spec s;
    char err[256];
    if (net_parse(d->net[0] ? d->net : "mlp:2,16,16,1,act=tanh,loss=bce", &s, err, sizeof err) != 0) {
        ui_label(u, err, ui_get_style(u)->error);
        return 0;
    }
    int changed = 0;
    double layers = s.nlin - 1, width = s.nlin > 1 ? s.width[1] : 16;
    if (panel_shown(L, "layers") && ui_slider(u, "hidden layers", &layers, 0, NET_MAX_LINEAR - 1, UI_SLIDER_INT, "hidden layers %.0f")) {
        int in = s.width[0], out = s.width[s.nlin];
        s.nlin = (int)layers + 1;
        s.width[0] = in;
        for (int i = 1; i < s.nlin; i++) s.width[i] = (int)width;
        s.width[s.nlin] = out;
        changed = 1;
    }
    if (s.nlin > 1 && panel_shown(L, "width") && ui_slider(u, "hidden width", &width, 1, 256, UI_SLIDER_LOG | UI_SLIDER_INT, "width %.0f")) {
        for (int i = 1; i < s.nlin; i++) s.width[i] = (int)width;
        changed = 1;
    }
    static const char *const acts[] = {"relu", "tanh", "sigmoid", "linear"};
    int act = (int)s.act;
    if (panel_shown(L, "activation") && ui_choice(u, "activation", &act, acts, 4)) { s.act = (net_act)act; changed = 1; }
    static const char *const bns[] = {"off", "before", "after"};
    int bn = (int)s.bn;
    if (panel_shown(L, "bn") && ui_choice(u, "BatchNorm", &bn, bns, 3)) { s.bn = (net_bn)bn; changed = 1; }
    if (s.bn != NET_BN_OFF && panel_shown(L, "bn_momentum") &&
        ui_slider(u, "BN momentum", &s.bn_momentum, 0, 1, 0, "BN momentum %.3g (p = 1 - it)"))
        changed = 1;
    if (changed) net_format(&s, d->net, sizeof d->net);
    return changed;
}

/* The optimizer: its kind (a new lab), its sliders (the running trainer's, when
 * only they changed: *live set) and switches. */
static int optimizer_controls(ui *u, const live *L, netlab_desc *d, int *live_only)
{
    optim_desc o;
    char err[256];
    *live_only = 0;
    if (optim_parse(d->opt[0] ? d->opt : "adam", &o, err, sizeof err) != 0) {
        ui_label(u, err, ui_get_style(u)->error);
        return 0;
    }
    /* the kinds with a vector form (the Hessian ones have none) */
    const char *names[OPTIM_COUNT];
    optim_kind kinds[OPTIM_COUNT];
    int n = 0, sel = 0;
    for (int i = 0; i < OPTIM_COUNT; i++) {
        if (optim_info_of((optim_kind)i)->needs_hessian) continue;
        if ((optim_kind)i == o.kind) sel = n;
        kinds[n] = (optim_kind)i;
        names[n++] = optim_info_of((optim_kind)i)->name;
    }
    int changed = 0;
    if (panel_shown(L, "optimizer") && ui_choice(u, "optimizer", &sel, names, n)) {
        double lr = o.lr;
        int keep = o.kind != OPTIM_ADADELTA && kinds[sel] != OPTIM_ADADELTA;
        o = optim_defaults(kinds[sel]);
        if (keep) o.lr = lr;
        changed = 1;
    }
    const char *keys = optim_info_of(o.kind)->keys;
    int slid = panel_optimizer_sliders(u, L, &o, keys);
    int switched = panel_optimizer_checks(u, L, &o, keys);
    if (!(changed || slid || switched)) return 0;
    *live_only = !changed && !switched;
    char text[256];
    optim_format(&o, text, sizeof text);
    snprintf(d->opt, sizeof d->opt, "%s", text);
    return 1;
}

/* The minibatch: its size (the full batch at the right end) and shuffling. */
static int batch_controls(ui *u, const live *L, const netlab *lab, netlab_desc *d)
{
    int ntr = lab->train.n > 1 ? lab->train.n : 1, changed = 0;
    double b = d->batch > 0 && d->batch < ntr ? d->batch : ntr;
    char fmt[64];
    snprintf(fmt, sizeof fmt, b >= ntr ? "batch %%.0f (full)" : "batch %%.0f of %d", ntr);
    if (ntr > 1 && panel_shown(L, "batch") && ui_slider(u, "net batch", &b, 1, ntr, UI_SLIDER_LOG | UI_SLIDER_INT, fmt)) {
        d->batch = (int)b >= ntr ? 0 : (int)b;
        changed = 1;
    }
    int sh = !d->no_shuffle;
    if (panel_shown(L, "shuffle") && ui_checkbox(u, "shuffle every epoch##net", &sh)) { d->no_shuffle = !sh; changed = 1; }
    return changed;
}

/* The slice's plane (no retraining) and the chart's x axis. */
static void view_controls(ui *u, const live *L, panel_net *pn)
{
    netlab *lab = pn->lab;
    static const char *const planes[] = {"random", "pca", "params", "hessian", "hessian-low"};
    int pl = (int)lab->d.plane, replane = 0;
    if (panel_shown(L, "plane") && ui_choice(u, "slice plane", &pl, planes, NETLAB_PLANE_COUNT)) { lab->d.plane = (netlab_plane_kind)pl; replane = 1; }
    if (lab->d.plane == NETLAB_PLANE_PARAMS && lab->nt.np > 1 && panel_shown(L, "plane")) {
        double pi = lab->d.pi, pj = lab->d.pj, top = (double)lab->nt.np - 1;
        if (ui_slider(u, "param i", &pi, 0, top, UI_SLIDER_INT, "parameter i %.0f")) { lab->d.pi = (int)pi; replane = 1; }
        if (ui_slider(u, "param j", &pj, 0, top, UI_SLIDER_INT, "parameter j %.0f")) { lab->d.pj = (int)pj; replane = 1; }
    }
    if (replane) {
        pn->desc->plane = lab->d.plane;
        pn->desc->pi = lab->d.pi;
        pn->desc->pj = lab->d.pj;
        netlab_replane(lab);
    }
    if (panel_shown(L, "plane") && ui_button(u, "restrict a runner to this plane")) pn->plane_request = 1;
    if (panel_shown(L, "seeds") &&
        ui_button(u, pn->seeds_on ? "the Hessian spectrum" : "seeds: loss against minimum ratio"))
        pn->seeds_request = 1;
    const char *axes[NETLAB_X_COUNT];
    for (int i = 0; i < NETLAB_X_COUNT; i++) axes[i] = netlab_xaxis_name((netlab_xaxis)i);
    int ax = *pn->axis >= 0 && *pn->axis < NETLAB_X_COUNT ? *pn->axis : 0;
    if (panel_shown(L, "axis") && ui_choice(u, "x axis", &ax, axes, NETLAB_X_COUNT)) *pn->axis = ax;
}

void panel_net_build(ui *u, panel_state *ps, const live *L)
{
    panel_net *pn = &ps->net;
    if (!pn->lab || !pn->desc) return;
    /* in class mode the lesson's controls, without a header to fold them */
    if (!L->disp.class_mode && !ui_header(u, "Network", &pn->open)) return;
    ui_push_id(u, 5000);
    netlab_desc d = *pn->desc;
    int rebuild = 0, live_only = 0;
    rebuild |= data_controls(u, L, &d);
    rebuild |= net_controls(u, L, &d);
    int opt = optimizer_controls(u, L, &d, &live_only);
    rebuild |= batch_controls(u, L, pn->lab, &d);
    if (opt || rebuild) {
        char err[256];
        if (netlab_check(&d, err, sizeof err) != 0) {
            panel_message(pn->err, sizeof pn->err, err);
        } else {
            pn->err[0] = '\0';
            *pn->desc = d;
            if (opt && live_only && !rebuild) {
                /* the same kind: the trainer takes the new hyperparameters between steps */
                optim_desc o;
                if (optim_parse(d.opt, &o, err, sizeof err) == 0) {
                    net_trainer_set_opt(pn->lab->tr, &o);
                    pn->lab->td.opt = o;
                    snprintf(pn->lab->d.opt, sizeof pn->lab->d.opt, "%s", d.opt);
                }
            } else {
                *pn->rebuild = 1;
            }
        }
    }
    if (pn->err[0]) ui_label(u, pn->err, ui_get_style(u)->error);
    view_controls(u, L, pn);
    ui_pop_id(u);
}
