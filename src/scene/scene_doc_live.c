/* scene_doc_live: the bridge between a scene document and the live scene: the
 * defaults a document starts from (the live display's), a document made from what
 * the window shows, and a document's display applied to the window. Kept apart so
 * that the parser and writer in scenefile.c need nothing of live. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/expr.h"
#include "scene/live.h"
#include "scene/scenefile.h"

/* scenefile.c checks "selected" against the default runners without seeing live */
_Static_assert(SCENE_DEFAULT_RUNNERS == LIVE_DEFAULT_RUNNERS, "the default runner count");

/* Where each boolean [display] key lives in live_display (theme and cmap share
 * live_display.cmap and are handled apart). */
static const size_t disp_offset[SCENE_DISP_COUNT] = {
    0, 0,
#define DISP_OFFSET(field, ...) offsetof(live_display, field),
    LIVE_DISPLAY_SAVED(DISP_OFFSET)
#undef DISP_OFFSET
};

static void disp_get(const live_display *d, int v[SCENE_DISP_COUNT])
{
    v[SCENE_DISP_THEME] = d->cmap == STYLE_CMAP_LIGHT;
    v[SCENE_DISP_CMAP] = d->cmap == STYLE_CMAP_CIVIDIS;
    for (int k = SCENE_DISP_ISO; k < SCENE_DISP_COUNT; k++)
        v[k] = *(const int *)((const char *)d + disp_offset[k]) != 0;
}

void scene_doc_apply_display(const scene_doc *doc, live_display *d)
{
    const int *v = doc->disp, *set = doc->disp_set;
    int light = set[SCENE_DISP_THEME] ? v[SCENE_DISP_THEME] : d->cmap == STYLE_CMAP_LIGHT;
    int cividis = set[SCENE_DISP_CMAP] ? v[SCENE_DISP_CMAP] : d->cmap == STYLE_CMAP_CIVIDIS;
    d->cmap = light ? STYLE_CMAP_LIGHT : cividis ? STYLE_CMAP_CIVIDIS : STYLE_CMAP_VIRIDIS;
    for (int k = SCENE_DISP_ISO; k < SCENE_DISP_COUNT; k++)
        if (set[k]) *(int *)((char *)d + disp_offset[k]) = v[k];
    /* class mode draws the chart where [class] says so, or else where the scene asks for
       the chart at all (its caption may point at it) */
    if (doc->has_class_chart) d->class_chart = doc->class_chart;
    else if (set[SCENE_DISP_CHART]) d->class_chart = v[SCENE_DISP_CHART];
}

void scene_doc_init(scene_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    doc->o.sched = sched_defaults(SCHED_CONSTANT);
    doc->speed = SCENE_DEFAULT_SPEED;
    doc->playing = 1;
    live_display d;
    live_display_defaults(&d);
    disp_get(&d, doc->disp);
}

/* Copy at most max bytes of s, not cutting a UTF-8 sequence in two. */
static void copy_text(char *out, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n && ((unsigned char)s[n] & 0xc0) == 0x80) n--;
    }
    memcpy(out, s, n);
    out[n] = 0;
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

int scene_doc_from_live(scene_doc *doc, const live *L, const double view[4])
{
    scene_doc_init(doc);
    char err[256];
    int rc = L->ls.def ? landscape_load(&doc->ls, L->ls.label, err, sizeof err)
                       : landscape_load_expr(&doc->ls, expr_source(L->ls.f), err, sizeof err);
    if (rc != 0) return -1;
    doc->have_landscape = 1;
    copy_text(doc->title, L->title, SCENE_TEXT_MAX);
    doc->ncaption = L->ncaption < 0 ? 0 : L->ncaption > 2 ? 2 : L->ncaption;
    for (int i = 0; i < doc->ncaption; i++) copy_text(doc->caption[i], L->caption[i], SCENE_TEXT_MAX);
    memcpy(doc->view, view, sizeof doc->view);
    doc->have_view = isfinite(view[0]) && isfinite(view[1]) && isfinite(view[2]) && isfinite(view[3]) &&
                     view[0] < view[1] && view[2] < view[3];
    doc->start[0] = L->start[0];
    doc->start[1] = L->start[1];
    doc->have_start = isfinite(L->start[0]) && isfinite(L->start[1]);
    if (L->section.on && L->section.set) {
        memcpy(doc->section, L->section.seg, sizeof doc->section);
        doc->have_section = 1;
    }
    if (L->nrun > 0) doc->o.sched = L->run[0].r.d.sched;
    doc->o.has_sched = doc->o.has_noise = doc->o.has_seed = 1;
    doc->o.noise = isfinite(L->noise) && L->noise > 0 ? L->noise : 0;
    doc->o.seed = L->seed;
    doc->nrun = L->nrun < 0 ? 0 : L->nrun > SCENE_MAX_RUNNERS ? SCENE_MAX_RUNNERS : L->nrun;
    for (int k = 0; k < doc->nrun; k++) {
        const runner_desc *d = &L->run[k].r.d;
        scene_runner_doc *r = &doc->run[k];
        r->opt = d->opt;
        r->o.has_sched = r->o.has_noise = r->o.has_seed = 1;
        r->o.sched = d->sched;
        r->o.noise = isfinite(d->noise) && d->noise > 0 ? d->noise : 0;
        r->o.seed = d->seed - SCENE_SEED_STRIDE * (uint64_t)k;
        if (d->data) {
            r->o.has_batch = r->o.has_shuffle = 1;
            r->o.batch = d->batch;
            r->o.shuffle = d->shuffle != 0;
        }
        r->visible = L->run[k].visible != 0;
        copy_text(r->label, L->run[k].label, SCENE_LABEL_MAX);
    }
    doc->has_speed = doc->has_steps = doc->has_playing = doc->has_selected = 1;
    doc->speed = clamp(L->steps_per_sec, SCENE_SPEED_MIN, SCENE_SPEED_MAX);
    doc->steps = L->step < 0 ? 0 : L->step > SCENE_MAX_STEPS ? SCENE_MAX_STEPS : L->step;
    doc->playing = L->playing != 0;
    int nsel = doc->nrun ? doc->nrun : LIVE_DEFAULT_RUNNERS;
    doc->selected = L->selected < 0 ? 0 : L->selected >= nsel ? nsel - 1 : L->selected;
    disp_get(&L->disp, doc->disp);
    for (int k = 0; k < SCENE_DISP_COUNT; k++) doc->disp_set[k] = 1;
    doc->has_class_chart = 1;
    doc->class_chart = L->disp.class_chart != 0;
    for (int i = 0; i < L->ncontrols && i < SCENE_MAX_CONTROLS; i++) {
        const char *c = L->controls[i];
        int known = 0, dup = 0;
        for (int j = 0; j < scene_control_count; j++) known |= strcmp(scene_control_names[j], c) == 0;
        for (int j = 0; j < doc->ncontrols; j++) dup |= strcmp(doc->controls[j], c) == 0;
        if (known && !dup) snprintf(doc->controls[doc->ncontrols++], sizeof doc->controls[0], "%s", c);
    }
    return 0;
}
