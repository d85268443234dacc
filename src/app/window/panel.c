/* panel: every edit goes through the same parser the command line uses (the desc
 * is formatted and parsed back), so the panel can never make a combination torch
 * refuses, such as Nesterov without momentum; such an edit is shown as an error and
 * not applied. */
#include "app/window/panel.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/landscape.h"
#include "core/optim.h"
#include "core/sched.h"
#include "core/spec.h"
#include "app/views/scene_view.h"

void panel_formula_text(const live *L, char *out, size_t n)
{
    const landscape_def *d = L->ls.def;
    const char *src = L->ls.f ? expr_source(L->ls.f) : L->ls.label;   /* a plane has no formula */
    if (!d || d->source != LANDSCAPE_FORMULA || d->nparams == 0 || !d->formula) {
        snprintf(out, n, "%s", src);
        return;
    }
    /* the built-in's formula with its parameters' values in place of their names,
       so that the text compiles as a formula of its own */
    size_t o = 0;
    const char *p = d->formula;
    if (n == 0) return;
    while (*p && o + 1 < n) {
        if (isalpha((unsigned char)*p) || *p == '_') {
            const char *q = p;
            while (isalnum((unsigned char)*q) || *q == '_') q++;
            int k = -1;
            for (int i = 0; i < d->nparams; i++)
                if (strlen(d->params[i].name) == (size_t)(q - p) && strncmp(d->params[i].name, p, (size_t)(q - p)) == 0)
                    k = i;
            char num[48];
            if (k >= 0) {
                char v[40];
                spec_format_number(L->ls.param[k], v, sizeof v);
                snprintf(num, sizeof num, L->ls.param[k] < 0 ? "(%s)" : "%s", v);
            } else {
                snprintf(num, sizeof num, "%.*s", (int)(q - p) < 47 ? (int)(q - p) : 47, p);
            }
            for (const char *c = num; *c && o + 1 < n; c++) out[o++] = *c;
            p = q;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

/* Messages in the panel say what is wrong, not which command-line flag would be. */
void panel_message(char *dst, size_t n, const char *err)
{
    if (strncmp(err, "--", 2) == 0) {
        const char *c = strstr(err, ": ");
        if (c && !memchr(err, ' ', (size_t)(c - err))) err = c + 2;
    }
    snprintf(dst, n, "%s", err);
}

void panel_init(panel_state *ps, const live *L)
{
    memset(ps, 0, sizeof *ps);
    panel_formula_text(L, ps->formula, sizeof ps->formula);
    ps->open_scene = 1;
    ps->open_display = 0;
    ps->open_runner = 1;
    ps->open_sched = 0;
    ps->open_runners = 1;
    ps->scene_request = -1;
    ps->net.open = 1;
}

int panel_apply_formula(panel_state *ps, live *L)
{
    landscape ls;
    char err[256];
    if (landscape_load_expr(&ls, ps->formula, err, sizeof err) != 0) {
        panel_message(ps->formula_err, sizeof ps->formula_err, err);
        return -1;
    }
    ps->formula_err[0] = '\0';
    live_set_landscape(L, &ls, -1, 0);
    ps->fit_request = 1;
    return 0;
}

static int valid_desc(const runner_desc *d, char *err, size_t errlen)
{
    char text[512];
    optim_desc tmp;
    optim_format(&d->opt, text, sizeof text);
    if (optim_parse(text, &tmp, err, errlen) != 0) return 0;
    char ss[256];
    sched_desc st;
    sched_format(&d->sched, ss, sizeof ss);
    if (sched_parse(ss, &st, err, errlen) != 0) return 0;
    return 1;
}

/* Reset: the runners to the start, and the network lab (when shown) to step 0. */
static void panel_reset(panel_state *ps, live *L)
{
    live_reset(L);
    if (ps->net.lab && ps->net.rebuild) *ps->net.rebuild = 1;
}

/* Whether a control is on the panel: all of them, or in class mode only the ones
 * the scene names. */
int panel_shown(const live *L, const char *key)
{
    if (!L->disp.class_mode) return 1;
    for (int i = 0; i < L->ncontrols; i++)
        if (strcmp(L->controls[i], key) == 0) return 1;
    return 0;
}

/* A slider over a whole number (UI_SLIDER_INT with flags): 1 when it moved. */
static int long_slider(ui *u, const char *name, long *x, double lo, double hi, int flags, const char *fmt)
{
    double v = (double)*x;
    if (!ui_slider(u, name, &v, lo, hi, flags | UI_SLIDER_INT, fmt)) return 0;
    *x = (long)v;
    return 1;
}

/* The optimizer's kind (not in class mode): 1 when it changed. */
static int optimizer_choice(ui *u, const live *L, const live_runner *lr, optim_desc *o)
{
    const char *names[OPTIM_COUNT];
    for (int i = 0; i < OPTIM_COUNT; i++) names[i] = optim_info_of((optim_kind)i)->name;
    int kind = (int)o->kind;
    if (!L->disp.class_mode && ui_choice(u, "optimizer", &kind, names, OPTIM_COUNT)) {
        /* a new kind starts from torch's defaults, keeping the learning rate when it
           makes sense for both (first-order methods) */
        double keep_lr = o->lr;
        optim_kind nk = (optim_kind)kind;
        *o = optim_defaults(nk);
        if (nk != OPTIM_NEWTON && nk != OPTIM_SFN && nk != OPTIM_ADADELTA &&
            lr->r.d.opt.kind != OPTIM_NEWTON && lr->r.d.opt.kind != OPTIM_SFN &&
            lr->r.d.opt.kind != OPTIM_ADADELTA)
            o->lr = keep_lr;
        return 1;
    }
    return 0;
}

/* The sliders of the optimizer's hyperparameters (those of its kind, and in class
 * mode those the scene names). */
int panel_optimizer_sliders(ui *u, const live *L, optim_desc *o, const char *keys)
{
    int changed = 0;
    changed |= panel_shown(L, "lr") && ui_slider(u, "lr", &o->lr, 1e-5, 10, UI_SLIDER_LOG, "lr %.4g");
    if (spec_has_key(keys, "momentum"))
        changed |= panel_shown(L, "momentum") && ui_slider(u, "momentum", &o->momentum, 0, 0.999, UI_SLIDER_LOG1M, "momentum %.4g");
    if (spec_has_key(keys, "dampening"))
        changed |= panel_shown(L, "dampening") && ui_slider(u, "dampening", &o->dampening, 0, 1, 0, "dampening %.4g");
    if (spec_has_key(keys, "alpha"))
        changed |= panel_shown(L, "alpha") && ui_slider(u, "alpha", &o->alpha, 0, 0.9999, UI_SLIDER_LOG1M, "alpha %.4g");
    if (spec_has_key(keys, "rho"))
        changed |= panel_shown(L, "rho") && ui_slider(u, "rho", &o->rho, 0, 0.9999, UI_SLIDER_LOG1M, "rho %.4g");
    if (spec_has_key(keys, "beta1"))
        changed |= panel_shown(L, "beta1") && ui_slider(u, "beta1", &o->beta1, 0, 0.9999, UI_SLIDER_LOG1M, "β1 %.4g");
    if (spec_has_key(keys, "beta2"))
        changed |= panel_shown(L, "beta2") && ui_slider(u, "beta2", &o->beta2, 0, 0.9999, UI_SLIDER_LOG1M, "β2 %.4g");
    if (spec_has_key(keys, "eps"))
        changed |= panel_shown(L, "eps") && ui_slider(u, "eps", &o->eps, 1e-12, 1, UI_SLIDER_LOG, "ε %.4g");
    if (spec_has_key(keys, "weight_decay"))
        changed |= panel_shown(L, "weight_decay") && ui_slider(u, "weight_decay", &o->weight_decay, 0, 1, 0, "weight decay %.4g");
    if (spec_has_key(keys, "lr_decay"))
        changed |= panel_shown(L, "lr_decay") && ui_slider(u, "lr_decay", &o->lr_decay, 0, 1, 0, "lr decay %.4g");
    if (spec_has_key(keys, "momentum_decay"))
        changed |= panel_shown(L, "momentum_decay") && ui_slider(u, "momentum_decay", &o->momentum_decay, 0, 0.1, 0, "ψ %.4g");
    if (spec_has_key(keys, "damping"))
        changed |= panel_shown(L, "damping") && ui_slider(u, "damping", &o->damping, 0, 10, 0, "damping %.4g");
    if (spec_has_key(keys, "tol"))
        changed |= panel_shown(L, "tol") && ui_slider(u, "tol", &o->tol, 1e-8, 1, UI_SLIDER_LOG, "tol %.3g");
    if (spec_has_key(keys, "escape_step"))
        changed |= panel_shown(L, "escape_step") && ui_slider(u, "escape_step", &o->escape_step, 1e-4, 1, UI_SLIDER_LOG, "escape step %.4g");
    return changed;
}

/* A data landscape's minibatch size and shuffling. */
static int batch_controls(ui *u, const live *L, runner_desc *d)
{
    if (!L->ls.data || !panel_shown(L, "batch")) return 0;
    int changed = 0;
    /* minibatch size: the full batch at the right end */
    double b = d->batch > 0 && d->batch < L->ls.data->n ? d->batch : L->ls.data->n;
    char fmt[64];
    snprintf(fmt, sizeof fmt, b >= L->ls.data->n ? "batch %%.0f (full)" : "batch %%.0f of %d", L->ls.data->n);
    if (ui_slider(u, "batch", &b, 1, L->ls.data->n, UI_SLIDER_LOG | UI_SLIDER_INT, fmt)) {
        d->batch = (int)b >= L->ls.data->n ? 0 : (int)b;
        changed = 1;
    }
    int sh = d->shuffle;
    if (ui_checkbox(u, "shuffle every epoch", &sh)) { d->shuffle = sh; changed = 1; }
    return changed;
}

/* The optimizer's switches. */
int panel_optimizer_checks(ui *u, const live *L, optim_desc *o, const char *keys)
{
    int changed = 0;
    if (spec_has_key(keys, "nesterov") && panel_shown(L, "nesterov")) {
        int was = o->nesterov;
        if (ui_checkbox(u, "nesterov", &o->nesterov)) {
            changed = 1;
            /* torch wants momentum > 0 and no dampening with Nesterov */
            if (o->nesterov && !was && o->momentum == 0) o->momentum = 0.9;
            if (o->nesterov) o->dampening = 0;
        }
    }
    if (spec_has_key(keys, "amsgrad") && panel_shown(L, "amsgrad")) changed |= ui_checkbox(u, "amsgrad", &o->amsgrad);
    if (spec_has_key(keys, "centered") && panel_shown(L, "centered")) changed |= ui_checkbox(u, "centered", &o->centered);
    if (spec_has_key(keys, "bias_correction") && panel_shown(L, "bias_correction"))
        changed |= ui_checkbox(u, "bias correction", &o->bias_correction);
    if (spec_has_key(keys, "mode") && panel_shown(L, "mode")) changed |= ui_checkbox(u, "mean (lecture Adagrad)", &o->mode_mean);
    return changed;
}

/* The learning-rate schedule: its kind and parameters. */
static int schedule_controls(ui *u, const live *L, sched_desc *s)
{
    int changed = 0;
    const char *snames[SCHED_COUNT];
    for (int i = 0; i < SCHED_COUNT; i++) snames[i] = sched_info_of((sched_kind)i)->name;
    int sk = (int)s->kind;
    if (ui_choice(u, "schedule", &sk, snames, SCHED_COUNT)) {
        long warm = s->warmup;
        *s = sched_defaults((sched_kind)sk);
        s->warmup = warm;
        changed = 1;
    }
    const char *skeys = sched_info_of(s->kind)->keys;
    if (spec_has_key(skeys, "step_size"))
        changed |= long_slider(u, "step_size", &s->step_size, 1, 10000, UI_SLIDER_LOG, "step size %.0f");
    if (spec_has_key(skeys, "gamma"))
        changed |= panel_shown(L, "gamma") && ui_slider(u, "gamma", &s->gamma, 0.5, 1, 0, "gamma %.4g");
    if (spec_has_key(skeys, "t_max"))
        changed |= long_slider(u, "t_max", &s->t_max, 1, 100000, UI_SLIDER_LOG, "t_max %.0f");
    if (spec_has_key(skeys, "eta_min"))
        changed |= panel_shown(L, "eta_min") && ui_slider(u, "eta_min", &s->eta_min, 0, 1, 0, "eta_min %.4g");
    changed |= long_slider(u, "warmup", &s->warmup, 0, 10000, 0, "warm-up %.0f steps");
    return changed;
}

static void runner_controls(ui *u, panel_state *ps, live *L, int k)
{
    live_runner *lr = &L->run[k];
    runner_desc d = lr->r.d;
    optim_desc *o = &d.opt;
    int changed = optimizer_choice(u, L, lr, o);
    const char *keys = optim_info_of(o->kind)->keys;
    changed |= panel_optimizer_sliders(u, L, o, keys);
    changed |= panel_shown(L, "noise") && ui_slider(u, "noise", &d.noise, 0, 10, 0, "noise σ %.4g");
    changed |= batch_controls(u, L, &d);
    changed |= panel_optimizer_checks(u, L, o, keys);
    if (!L->disp.class_mode && ui_header(u, "schedule", &ps->open_sched))
        changed |= schedule_controls(u, L, &d.sched);
    if (changed) {
        char err[256];
        if (valid_desc(&d, err, sizeof err)) {
            ps->runner_err[0] = '\0';
            live_set_desc(L, k, &d);
        } else {
            panel_message(ps->runner_err, sizeof ps->runner_err, err);
        }
    }
    if (ps->runner_err[0]) ui_label(u, ps->runner_err, ui_get_style(u)->error);
}

/* Class mode: the lesson's title, play/step/reset, and for each runner the
 * controls the scene names, nothing else. */
static void panel_build_class(ui *u, panel_state *ps, live *L)
{
    const ui_style *st = ui_get_style(u);
    if (L->title[0]) ui_label(u, L->title, st->text);
    ui_row(u, 3, NULL);
    if (ui_button(u, L->playing ? "pause" : "play")) L->playing = !L->playing;
    if (ui_button(u, "step")) { L->playing = 0; live_step_explained(L); if (ps->net.lab) ps->net.step_request++; }
    if (ui_button(u, "reset")) panel_reset(ps, L);
    if (panel_shown(L, "speed")) {
        ui_slider(u, "speed", &L->steps_per_sec, 1, 10000, UI_SLIDER_LOG, "%.0f steps/s");
        ps->speed_rect = ui_last_rect(u);
    }
    if (ps->net.lab) {
        /* the lesson is the network lab: its controls the scene names, no runners */
        panel_net_build(u, ps, L);
        return;
    }
    for (int k = 0; k < L->nrun; k++) {
        if (!L->run[k].visible) continue;
        char lab[256];
        if (L->run[k].label[0]) snprintf(lab, sizeof lab, "%s", L->run[k].label);
        else scene_runner_label(&L->run[k].r, lab, sizeof lab);
        ui_push_id(u, 2000 + k);
        ui_swatch_label(u, live_palette[L->run[k].color % LIVE_PALETTE], lab);
        runner_controls(u, ps, L, k);
        ui_pop_id(u);
    }
}

/* The lesson list: open one, the previous or the next. */
static void panel_lessons(ui *u, panel_state *ps, const live *L, const ui_style *st)
{
    if (!(ps->nscenes > 0 && ui_header(u, "Lessons", &ps->open_lessons))) return;
    int pick = ps->scene_current >= 0 ? ps->scene_current : 0;
    if (ui_choice(u, "open", &pick, ps->scene_names, ps->nscenes)) ps->scene_request = pick;
    ui_row(u, 2, NULL);
    if (ui_button(u, "previous")) ps->scene_request = ps->scene_current <= 0 ? ps->nscenes - 1 : ps->scene_current - 1;
    if (ui_button(u, "next")) ps->scene_request = (ps->scene_current + 1) % ps->nscenes;
    if (L->title[0]) ui_label(u, L->title, st->text_dim);
}

/* A built-in landscape's parameters: a slider each; a change reloads it. */
static void landscape_params(ui *u, panel_state *ps, live *L)
{
    if (!(L->ls.def && L->ls.def->nparams > 0)) return;
    int pchanged = 0;
    for (int i = 0; i < L->ls.def->nparams; i++) {
        const landscape_param *p = &L->ls.def->params[i];
        char fmt[64];
        snprintf(fmt, sizeof fmt, "%s %%.4g", p->name);
        double v = L->ls.param[i];
        int logs = p->lo > 0 && p->hi / p->lo >= 100;
        if (ui_slider(u, p->name, &v, p->lo, p->hi, logs ? UI_SLIDER_LOG : 0, fmt)) {
            L->ls.param[i] = v;
            pchanged = 1;
        }
    }
    if (pchanged) {
        char lspec[256];
        size_t o = (size_t)snprintf(lspec, sizeof lspec, "%s", L->ls.def->name);
        for (int i = 0; i < L->ls.def->nparams && o < sizeof lspec; i++) {
            char num[40];
            spec_format_number(L->ls.param[i], num, sizeof num);
            o += (size_t)snprintf(lspec + o, sizeof lspec - o, "%c%s=%s", i ? ',' : ':',
                                  L->ls.def->params[i].name, num);
        }
        landscape ls;
        char err[256];
        if (landscape_load(&ls, lspec, err, sizeof err) == 0) {
            live_set_landscape(L, &ls, L->ls_index, 1);
            panel_formula_text(L, ps->formula, sizeof ps->formula);
        }
    }
}

/* The landscape: a built-in (with its parameters) or a typed formula. */
static void panel_landscape(ui *u, panel_state *ps, live *L)
{
    if (!ui_header(u, "Landscape", &ps->open_scene)) return;
    int n = landscape_count();
    const char *names[64];
    int cnt = 0;
    for (int i = 0; i < n && cnt < 63; i++) names[cnt++] = landscape_at(i)->name;
    names[cnt++] = "formula";
    int sel = L->ls_index >= 0 ? L->ls_index : cnt - 1;
    if (ui_choice(u, "landscape", &sel, names, cnt)) {
        if (sel < cnt - 1) {
            landscape ls;
            char err[256];
            if (landscape_load(&ls, names[sel], err, sizeof err) == 0) {
                live_set_landscape(L, &ls, sel, 0);
                panel_formula_text(L, ps->formula, sizeof ps->formula);
                ps->formula_err[0] = '\0';
                ps->fit_request = 1;
            }
        } else {
            panel_apply_formula(ps, L);
        }
    }
    landscape_params(u, ps, L);
    int t = ui_textbox(u, "formula", ps->formula, sizeof ps->formula,
                       ps->formula_err[0] ? ps->formula_err : NULL);
    if (t == UI_TEXT_SUBMIT) panel_apply_formula(ps, L);
}

/* Play, step, reset, the speed and (step_line) the step. */
static void panel_clock(ui *u, panel_state *ps, live *L, const ui_style *st, int step_line)
{
    ui_row(u, 3, NULL);
    if (ui_button(u, L->playing ? "pause" : "play")) L->playing = !L->playing;
    if (ui_button(u, "step")) { L->playing = 0; live_step_explained(L); if (ps->net.lab) ps->net.step_request++; }
    if (ui_button(u, "reset")) panel_reset(ps, L);
    ui_slider(u, "speed", &L->steps_per_sec, 1, 10000, UI_SLIDER_LOG, "%.0f steps/s");
    ps->speed_rect = ui_last_rect(u);
    if (!step_line) return;
    char stepbuf[64];
    snprintf(stepbuf, sizeof stepbuf, "step %ld", L->step);
    ui_label(u, stepbuf, st->text_dim);
}

/* The colour map and the display toggles. */
static void panel_display(ui *u, panel_state *ps, live *L)
{
    if (!ui_header(u, "Display", &ps->open_display)) return;
    static const char *const cmaps[] = {"viridis", "cividis", "light (print)"};
    int c = (int)L->disp.cmap;
    if (ui_choice(u, "colours", &c, cmaps, 3)) L->disp.cmap = (style_cmap)c;
    ui_checkbox(u, "iso-lines", &L->disp.iso);
    ui_checkbox(u, "hillshade", &L->disp.hillshade);
    ui_checkbox(u, "critical points", &L->disp.crit);
    ui_checkbox(u, "saddle eigenvectors", &L->disp.saddle_arrows);
    ui_checkbox(u, "gradient arrows", &L->disp.grad_arrows);
    ui_checkbox(u, "update arrows", &L->disp.update_arrows);
    ui_checkbox(u, "lr·λmax > 2 (unstable GD)", &L->disp.stab);
    ui_checkbox(u, "hover read-out", &L->disp.hover);
    ui_checkbox(u, "trails", &L->disp.trails);
    ui_checkbox(u, "legend", &L->disp.legend);
    ui_checkbox(u, "loss chart", &L->disp.chart);
    if (L->ls.data) ui_checkbox(u, "minibatch contours", &L->disp.batch_contour);
}

/* The runners, a line each (show / hide, edit), and adding or removing one. */
static void panel_runners(ui *u, panel_state *ps, live *L, const ui_style *st)
{
    if (!ui_header(u, "Runners", &ps->open_runners)) return;
    for (int k = 0; k < L->nrun; k++) {
        ui_push_id(u, k + 1);
        char hp[256], lab[330];
        scene_runner_label(&L->run[k].r, hp, sizeof hp);
        if (L->run[k].label[0]) snprintf(lab, sizeof lab, "%s: %s", L->run[k].label, hp);
        else snprintf(lab, sizeof lab, "%s", hp);
        float w3[3] = {0, 52 * st->px / 14.0f, 60 * st->px / 14.0f};
        ui_row(u, 3, w3);
        ui_swatch_label(u, live_palette[L->run[k].color % LIVE_PALETTE], lab);
        if (ui_button(u, L->run[k].visible ? "hide" : "show")) L->run[k].visible = !L->run[k].visible;
        if (ui_button(u, k == L->selected ? "• edit" : "edit")) L->selected = k;
        ui_pop_id(u);
    }
    ui_row(u, 2, NULL);
    if (ui_button(u, "add runner") && L->nrun < LIVE_MAX_RUNNERS) {
        runner_desc d = {0};
        if (L->nrun > 0) d = L->run[L->selected].r.d;
        else {
            d.opt = optim_defaults(OPTIM_ADAM);
            d.opt.lr = 0.05;
            d.sched = sched_defaults(SCHED_CONSTANT);
        }
        d.seed = 0x9e3779b97f4a7c15ull * (uint64_t)L->nrun;
        int k = live_add(L, &d);
        if (k >= 0) L->selected = k;
    }
    if (ui_button(u, "remove") && L->nrun > 0) live_remove(L, L->selected);
}

/* The selected runner's controls. */
static void panel_runner(ui *u, panel_state *ps, live *L)
{
    if (!(L->nrun > 0 && L->selected < L->nrun)) return;
    char title[300], lab[256];
    scene_runner_label(&L->run[L->selected].r, lab, sizeof lab);
    snprintf(title, sizeof title, "Runner %d", L->selected + 1);
    if (ui_header(u, title, &ps->open_runner)) {
        ui_push_id(u, 1000 + L->selected);
        runner_controls(u, ps, L, L->selected);
        ui_pop_id(u);
    }
}

void panel_build(ui *u, panel_state *ps, live *L, ui_rect r)
{
    ui_panel_begin(u, "controls", r);
    const ui_style *st = ui_get_style(u);
    if (L->disp.class_mode) {
        panel_build_class(u, ps, L);
        ui_panel_end(u);
        return;
    }

    if (ps->net.lab) {
        /* the network lab covers the canvas: its clock and controls come first */
        panel_clock(u, ps, L, st, 0);
        panel_net_build(u, ps, L);
    }
    panel_lessons(u, ps, L, st);
    panel_landscape(u, ps, L);
    if (!ps->net.lab) panel_clock(u, ps, L, st, 1);
    panel_display(u, ps, L);
    panel_runners(u, ps, L, st);
    panel_runner(u, ps, L);
    ui_panel_end(u);
}
