/* scene_setup: see scene_setup.h. */
#include "app/scene_setup.h"

#include <stdio.h>
#include <string.h>

#include "core/expr.h"
#include "core/parallel.h"
#include "scene/field_worker.h"
#include "scene/scenefile.h"

/* What a scene file gives beyond the scene options: the lesson's text, the runners'
 * labels and visibility (while they are still the file's runners), the display, the
 * clock and the steps taken before the scene is shown. */
static void apply_doc(live *L, const scene_doc *doc, int runners_from_doc)
{
    snprintf(L->title, sizeof L->title, "%s", doc->title);
    L->ncaption = doc->ncaption;
    for (int i = 0; i < doc->ncaption; i++)
        snprintf(L->caption[i], sizeof L->caption[i], "%s", doc->caption[i]);
    L->ncontrols = doc->ncontrols;
    for (int i = 0; i < doc->ncontrols; i++)
        snprintf(L->controls[i], sizeof L->controls[i], "%s", doc->controls[i]);
    for (int k = 0; runners_from_doc && k < doc->nrun && k < L->nrun; k++) {
        L->run[k].visible = doc->run[k].visible;
        snprintf(L->run[k].label, sizeof L->run[k].label, "%s", doc->run[k].label);
    }
    scene_doc_apply_display(doc, &L->disp);
    if (doc->have_section) {
        L->section.on = L->section.set = 1;
        memcpy(L->section.seg, doc->section, sizeof L->section.seg);
    }
    if (doc->has_speed) L->steps_per_sec = doc->speed;
    if (doc->has_playing) L->playing = doc->playing;
    if (doc->has_selected) L->selected = doc->selected < L->nrun ? doc->selected : L->nrun - 1;
    if (L->selected < 0) L->selected = 0;
    if (doc->has_steps && doc->steps > 0) live_step(L, doc->steps);
}

int scene_setup(live *L, cli_scene *sc, double view[4], char *err, size_t errlen)
{
    if (!sc->have_landscape) {
        if (landscape_load(&sc->ls, "rosenbrock", err, errlen) != 0) return -1;
        sc->have_landscape = 1;
    }
    if (cli_scene_check_batch(sc, err, errlen) != 0) return -1;
    cli_scene_finish(sc);
    int idx = -1;
    for (int i = 0; i < landscape_count(); i++)
        if (sc->ls.def && landscape_at(i) == sc->ls.def) idx = i;
    live_init(L, &sc->ls, idx);
    L->start[0] = sc->start[0];
    L->start[1] = sc->start[1];
    L->noise = sc->noise;
    L->seed = sc->seed;
    if (sc->nopt == 0) {
        for (int k = 0; k < LIVE_DEFAULT_RUNNERS; k++)
            if (optim_parse(live_default_runners[k], &sc->opt[k], err, errlen) != 0) return -1;
        sc->nopt = LIVE_DEFAULT_RUNNERS;
    }
    for (int k = 0; k < sc->nopt; k++) {
        runner_desc d = cli_runner_desc(sc, k);
        if (live_add(L, &d) < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    if (sc->doc) apply_doc(L, sc->doc, sc->opt_from_scene);
    memcpy(view, sc->view, 4 * sizeof *view);
    return 0;
}

int scene_field_compute(live *L, field_result *r, const double view[4], int w, int h, int want_lmax,
                        char *err, size_t errlen)
{
    const char *spec = L->ls.def ? L->ls.label : expr_source(L->ls.f);
    int ncpu = cpu_count();
    int nthreads = ncpu > 16 ? 16 : ncpu;
    if (field_result_compute(r, spec, L->ls.def == NULL, L->ls_gen, view, w, h, want_lmax, 1, nthreads,
                             err, errlen) != 0)
        return -1;
    if (r->ncrit >= 0) {
        L->ncrit = r->ncrit > LIVE_MAX_CRIT ? LIVE_MAX_CRIT : r->ncrit;
        memcpy(L->crit, r->crit, (size_t)L->ncrit * sizeof *r->crit);
        L->hess_scale = r->hess_scale;
    }
    return 0;
}
