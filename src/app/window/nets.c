/* nets: the window's network labs from a scene's [net] sections, and back into a
 * scene (Ctrl+S). The first lab is the one the view shows; the others train beside
 * it, update for update, and join its chart. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/export/pngio.h"
#include "app/window/window_internal.h"
#include "core/landscape.h"
#include "core/netslice.h"
#include "scene/netseeds.h"
#include "scene/scenefile.h"
#include "scene/worker.h"

void win_nets_free(app *a)
{
    for (int i = 0; i < a->nlab_more; i++) {
        netlab_free(a->lab_more[i]);
        free(a->lab_more[i]);
        a->lab_more[i] = NULL;
    }
    a->nlab_more = 0;
    if (a->lab) netlab_free(a->lab);
    free(a->lab);
    a->lab = NULL;
    netseeds_free(a->seeds);
    a->seeds = NULL;
    win_nets_reap(a, 1);
    a->show_net = 0;
}

/* The labs of doc's [net] sections, each trained its pretrain updates. The old ones
   go only when every new one was made. 0 (also when doc has none: the labs go), or
   -1 with the message. */
int win_nets_from_doc(app *a, const scene_doc *doc, char *err, size_t errlen)
{
    netlab *nl[SCENE_MAX_NETS] = {0};
    int n = doc->nnet < SCENE_MAX_NETS ? doc->nnet : SCENE_MAX_NETS;
    for (int i = 0; i < n; i++) {
        netlab_desc d = doc->net[i].d;
        d.manual = worker_threads_absent();
        char e2[600];
        nl[i] = calloc(1, sizeof *nl[i]);
        if (!nl[i] || netlab_create(nl[i], &d, e2, sizeof e2) != 0) {
            snprintf(err, errlen, "[net] %d: %s", i + 1, nl[i] ? e2 : "out of memory");
            free(nl[i]);
            for (int k = 0; k < i; k++) {
                netlab_free(nl[k]);
                free(nl[k]);
            }
            return -1;
        }
        if (doc->net[i].pretrain > 0) netlab_step(nl[i], doc->net[i].pretrain, INFINITY);
    }
    win_nets_free(a);
    /* the images kept belong to the old labs */
    netlab_view_cache_free(a->nvc);
    a->nvc = NULL;
    a->nets_from_scene = n > 0;
    if (n == 0) return 0;
    a->lab = nl[0];
    a->net_desc = nl[0]->d;
    for (int i = 1; i < n; i++) a->lab_more[a->nlab_more++] = nl[i];
    for (int i = 0; i < n; i++) snprintf(a->net_label[i], sizeof a->net_label[i], "%s", doc->net[i].label);
    a->net_axis = doc->net[0].axis;
    a->show_net = 1;
    a->seeds_k = doc->net[0].seeds;
    a->seeds_steps = doc->net[0].seeds_steps;
    a->seeds_gtol = doc->net[0].seeds_gtol;
    if (a->seeds_k > 0) win_net_seeds(a, 1);
    return 0;
}

/* The labs as [net] sections: their descriptions with the updates made so far as
   pretrain, so the saved scene opens where the window is. */
void win_nets_to_doc(const app *a, scene_doc *doc)
{
    doc->nnet = 0;
    if (!a->lab) return;
    const netlab *labs[SCENE_MAX_NETS];
    int n = 0;
    labs[n++] = a->lab;
    for (int i = 0; i < a->nlab_more && n < SCENE_MAX_NETS; i++) labs[n++] = a->lab_more[i];
    for (int i = 0; i < n; i++) {
        scene_net_doc *nd = &doc->net[doc->nnet++];
        memset(nd, 0, sizeof *nd);
        nd->d = labs[i]->d;
        nd->d.manual = 0;
        snprintf(nd->label, sizeof nd->label, "%s", a->net_label[i]);
        long rows;
        netlab_rows(labs[i], &rows);
        nd->pretrain = rows - 1;
        if (i == 0) nd->axis = a->net_axis;
        if (i == 0 && a->seeds) {
            nd->seeds = a->seeds_k;
            nd->seeds_steps = a->seeds_steps;
            nd->seeds_gtol = a->seeds_gtol;
        }
    }
}

/* The others take the main lab's updates of this frame, all of them, so a race is fair
   in updates. Their rows alone are drawn (the chart): what their polls compute, their
   output grids, stops at the deadline and goes on in the next frames; and where the
   workers have no threads (the browser) they are not polled in real time (a finite
   deadline), so they ask for no spectra: a spectrum by Lanczos is one run, which held
   a browser frame 650 ms for 42's lab of 500 points. */
void win_nets_step_more(app *a, long n, double deadline, int paused)
{
    int poll = !isfinite(deadline) || !worker_threads_absent();
    for (int i = 0; i < a->nlab_more; i++) {
        if (!paused) netlab_step(a->lab_more[i], n, INFINITY);
        if (poll) netlab_poll(a->lab_more[i], paused, deadline);
    }
}

/* The lab's current slice as the window's landscape: its plane (centre, d1, d2) is
 * written as a plane file (plane-NNNN.plane in the shots folder, never over another
 * file) and loaded as "plane:file=...", so every landscape tool works on it: the
 * runner (the lab's optimizer, from the plane's centre) restricted to the plane, the
 * cross-section (L), the critical points and their Hessian directions, basins, 3D.
 * J goes back to the network. 0, or -1 with a note that says why. */
int win_net_plane_landscape(app *a)
{
    const netlab_slice *s = a->lab ? netlab_get_slice(a->lab) : NULL;
    if (!s || s->level < 1 || s->failed || !s->centre) {
        win_set_note(a, a->lab ? "the slice is not ready yet: try again when its map has appeared"
                               : "no network lab (--net or a scene's [net])");
        return -1;
    }
    const netlab *lab = a->lab;
    net_plane_file pf;
    memset(&pf, 0, sizeof pf);
    net_format(&lab->nt.s, pf.net, sizeof pf.net);
    snprintf(pf.data, sizeof pf.data, "%s", lab->d.data[0] ? lab->d.data : "moons");
    pf.range = s->range;
    pf.np = s->np;
    pf.centre = s->centre;
    pf.d1 = s->d1;
    pf.d2 = s->d2;
    char path[4200], err[4400], spec[4300];
    landscape ls;
    if (pngio_next_name_ext(a->o.shots_dir, "plane", "plane", path, sizeof path) != 0) {
        win_set_note(a, "no free plane file name");
        return -1;
    }
    if (net_plane_file_write(path, &pf, err, sizeof err) != 0 ||
        (snprintf(spec, sizeof spec, "plane:file=%s", path), landscape_load(&ls, spec, err, sizeof err)) != 0) {
        char msg[4600];
        snprintf(msg, sizeof msg, "the slice is not a landscape: %s", err);
        win_set_note(a, msg);
        return -1;
    }
    live *L = &a->L;
    live_set_landscape(L, &ls, -1, 0);
    panel_formula_text(L, a->ps.formula, sizeof a->ps.formula);   /* the panel names the plane */
    while (L->nrun > 0) live_remove(L, L->nrun - 1);
    runner_desc d;
    memset(&d, 0, sizeof d);
    d.opt = lab->td.opt;
    d.sched = lab->td.sched;
    d.shuffle = 1;
    int k = live_add(L, &d);
    if (k >= 0) {
        L->selected = k;
        snprintf(L->run[k].label, sizeof L->run[k].label, "the lab's optimizer on the plane");
    }
    live_set_start(L, 0, 0);
    a->show_net = 0;
    a->ps.fit_request = 1;
    snprintf(a->plane_file, sizeof a->plane_file, "%s", path);
    a->plane_step = s->step;
    char msg[4600];
    const char *base = strrchr(path, '/');
    snprintf(msg, sizeof msg, "the slice at step %ld is the landscape (%s), a runner on it; L: cross-section, J: back",
             s->step, base ? base + 1 : path);
#ifndef __EMSCRIPTEN__
    fprintf(stderr, "optiscape: wrote %s\n", path);
#endif
    /* (in the browser the file is in the page's memory, and the page shows what
       reaches stderr as an error: the note says it) */
    win_set_note(a, msg);
    return 0;
}

void win_net_seeds(app *a, int on)
{
    netseeds_free(a->seeds);
    a->seeds = NULL;
    if (!on || !a->lab) return;
    if (a->seeds_k <= 0) a->seeds_k = NETSEEDS_DEFAULT_K;
    if (a->seeds_steps <= 0) a->seeds_steps = NETSEEDS_DEFAULT_STEPS;
    if (!(a->seeds_gtol >= 0)) a->seeds_gtol = NETSEEDS_DEFAULT_GTOL;
    char err[400], msg[600];
    a->seeds = netseeds_start(&a->lab->d, a->seeds_k, a->seeds_steps, a->seeds_gtol, worker_threads_absent(), err,
                              sizeof err);
    if (!a->seeds) {
        snprintf(msg, sizeof msg, "no seeds' scatter: %s", err);
        win_set_note(a, msg);
    }
}

void win_net_retire(app *a, netlab *lab)
{
    if (!lab) return;
    if (netlab_busy(lab) && a->nretired < (int)(sizeof a->retired / sizeof a->retired[0])) {
        a->retired[a->nretired++] = lab;
        return;
    }
    netlab_free(lab);
    free(lab);
}

void win_nets_reap(app *a, int all)
{
    int k = 0;
    for (int i = 0; i < a->nretired; i++) {
        if (!all && netlab_busy(a->retired[i])) {
            a->retired[k++] = a->retired[i];
            continue;
        }
        netlab_free(a->retired[i]);
        free(a->retired[i]);
    }
    a->nretired = k;
}
