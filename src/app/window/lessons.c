/* lessons: the window's list of scene files (--scene FILE|FOLDER, or the preset
 * lessons), PageUp / PageDown through it, and Ctrl+S saving the state as a scene. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/export/pngio.h"
#include "app/scene_setup.h"
#include "app/window/window_internal.h"
#include "scene/scenefile.h"

static int add_scene(win_opts *o, const char *path)
{
    char **p = realloc(o->scenes, (size_t)(o->nscenes + 1) * sizeof *p);
    if (!p) return -1;
    o->scenes = p;
    size_t n = strlen(path) + 1;
    o->scenes[o->nscenes] = malloc(n);
    if (!o->scenes[o->nscenes]) return -1;
    memcpy(o->scenes[o->nscenes++], path, n);
    return 0;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* A file, or every *.scene in a folder in name order. */
int win_add_scene_arg(win_opts *o, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "--scene: cannot read %.300s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return add_scene(o, path) == 0 ? 0 : (snprintf(err, errlen, "out of memory"), -1);
    DIR *d = opendir(path);
    if (!d) {
        snprintf(err, errlen, "--scene: cannot read the folder %.300s: %s", path, strerror(errno));
        return -1;
    }
    int first = o->nscenes;
    struct dirent *e;
    char full[4200];
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 7 || strcmp(e->d_name + n - 6, ".scene") != 0 || e->d_name[0] == '.') continue;
        snprintf(full, sizeof full, "%s/%s", path, e->d_name);
        if (add_scene(o, full) != 0) { closedir(d); snprintf(err, errlen, "out of memory"); return -1; }
    }
    closedir(d);
    if (o->nscenes == first) {
        snprintf(err, errlen, "--scene: no .scene files in %.300s", path);
        return -1;
    }
    qsort(o->scenes + first, (size_t)(o->nscenes - first), sizeof *o->scenes, cmp_str);
    return 0;
}

/* The names the panel shows: file names without the folder and ".scene". */
void win_name_scenes(app *a)
{
    a->scene_names = calloc((size_t)(a->o.nscenes ? a->o.nscenes : 1), sizeof *a->scene_names);
    for (int i = 0; a->scene_names && i < a->o.nscenes; i++) {
        const char *p = a->o.scenes[i], *slash = strrchr(p, '/');
        const char *b = slash ? slash + 1 : p;
        size_t n = strlen(b);
        if (n > 6 && strcmp(b + n - 6, ".scene") == 0) n -= 6;
        a->scene_names[i] = malloc(n + 1);
        if (a->scene_names[i]) { memcpy(a->scene_names[i], b, n); a->scene_names[i][n] = 0; }
    }
}

/* Without --scene, the preset lessons are offered (not opened): from the source
 * tree when run from a build folder, else where they were installed. */
void win_default_scenes(app *a)
{
    static const char *const dirs[] = {OPTISCAPE_SCENES_SRC, OPTISCAPE_SCENES_INSTALLED};
    char err[512];
    for (int i = 0; i < 2 && a->o.nscenes == 0; i++) {
        struct stat st;
        if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) win_add_scene_arg(&a->o, dirs[i], err, sizeof err);
    }
    a->scene_index = -1;
}

void win_free_scene_names(app *a)
{
    for (int i = 0; a->scene_names && i < a->o.nscenes; i++) free(a->scene_names[i]);
    free(a->scene_names);
    a->scene_names = NULL;
}

void win_free_scenes(win_opts *o)
{
    for (int i = 0; i < o->nscenes; i++) free(o->scenes[i]);
    free(o->scenes);
    o->scenes = NULL;
    o->nscenes = 0;
}

/* Apply scene file `path` to sc as `--scene path` would. */
int win_scene_option(cli_scene *sc, const char *path, char *err, size_t errlen)
{
    char opt[] = "--scene";
    char *av[2] = {opt, (char *)path};
    int i = 0;
    return cli_scene_option(sc, 2, av, &i, err, errlen) < 0 ? -1 : 0;
}

/* What the scene asks to open with: the 3D view, a swarm of the selected runner,
 * the basin maps, the initialization panel (a new scene closes the old ones). */
void win_apply_scene_wishes(app *a)
{
    live_display *d = &a->L.disp;
    a->view3d = d->view3d || a->o.view3d;
    if (a->swarm) {
        swarm_view_destroy(a->swarm);
        a->swarm = NULL;
    }
    a->want_swarm = d->swarm || a->o.swarm > 0;
    if (a->basins_on) {
        a->basins_on = 0;
        win_basins_drop(a);
    }
    if (d->basins) {
        a->basins_on = 1;
        a->basins_asked = 0;
        if (!a->bw && !(a->bw = basin_worker_create())) a->basins_on = 0;
    }
    a->show_init = d->init;
    if (a->show_init) init_view_set(&a->iv, a->iv.act, 256, a->L.seed);
}

/* Show scene idx of the list: on any error the current scene stays and the note
 * says what was wrong (FILE:LINE: ...). */
void win_switch_scene(app *a, int idx)
{
    if (a->o.nscenes == 0) {
        win_set_note(a, "no scene list: start with --scene FILE... or --scene FOLDER");
        return;
    }
    idx = (idx % a->o.nscenes + a->o.nscenes) % a->o.nscenes;
    char err[1024];
    cli_scene sc;
    cli_scene_init(&sc);
    live nl;
    memset(&nl, 0, sizeof nl);
    double fit[4];
    if (win_scene_option(&sc, a->o.scenes[idx], err, sizeof err) != 0 || scene_setup(&nl, &sc, fit, err, sizeof err) != 0 ||
        (sc.doc && (sc.doc->nnet > 0 || a->nets_from_scene) && win_nets_from_doc(a, sc.doc, err, sizeof err) != 0)) {
        cli_scene_free(&sc);
        live_free(&nl);
        fprintf(stderr, "optiscape: %s\n", err);
        win_set_note(a, err);
        return;
    }
    /* a scene without [net] leaves a lab from --net as it is (one from a scene goes) */
    cli_scene_free(&sc);
    unsigned gen = a->L.ls_gen;
    int cls = a->L.disp.class_mode;
    live_free(&a->L);
    a->L = nl;
    a->L.ls_gen = gen + 1;      /* never mistake the old landscape's field for the new one */
    a->L.disp.class_mode = cls;
    memcpy(a->fit_view, fit, sizeof a->fit_view);
    a->need_fit = 1;
    a->refit_crit = 0;
    a->have_req = 0;
    a->sf.valid = 0;
    a->scene_index = idx;
    win_apply_scene_wishes(a);
    panel_init(&a->ps, &a->L);
    char msg[600];
    snprintf(msg, sizeof msg, "%d/%d  %s", idx + 1, a->o.nscenes, a->L.title[0] ? a->L.title : a->o.scenes[idx]);
    win_set_note(a, msg);
}

/* Ctrl+S: the current state as a scene file, numbered, never over an existing one. */
int win_write_scene(app *a, const layout *l, FILE *f)
{
    double v[4];
    live_view(&a->L, (int)l->sv.w, (int)l->sv.h, v);
    /* the views the window has open are part of the state */
    a->L.disp.view3d = a->view3d;
    a->L.disp.swarm = a->swarm != NULL;
    a->L.disp.basins = a->basins_on;
    a->L.disp.init = a->show_init;
    scene_doc doc;
    scene_doc_init(&doc);
    int ok = scene_doc_from_live(&doc, &a->L, v) == 0;
    if (ok) win_nets_to_doc(a, &doc);
    ok = ok && scenefile_write(f, &doc) == 0;
    scene_doc_free(&doc);
    return ok ? 0 : -1;
}

void win_save_scene(app *a, const layout *l)
{
    char path[4200], err[4400], msg[4600];
    if (pngio_next_name_ext(a->o.shots_dir, "scene", "scene", path, sizeof path) != 0) {
        win_set_note(a, "no free scene file name");
        return;
    }
    err[0] = 0;
    safe_file f;
    int rc = safe_open(&f, path, 0, err, sizeof err);
    if (rc == PNGIO_OK) {
        int ok = win_write_scene(a, l, f.fp) == 0;
        if (!ok) snprintf(err, sizeof err, "cannot describe this scene");
        rc = safe_commit(&f, ok, err, sizeof err);
    }
    if (rc == PNGIO_OK) {
#ifdef __EMSCRIPTEN__
        /* in the browser the file leaves as a download */
        win_offer_download(path, "scene");
        win_set_note(a, "the scene is downloaded");
        return;
#endif
        snprintf(msg, sizeof msg, "saved %s", path);
    } else {
        snprintf(msg, sizeof msg, "scene not saved: %s", err);
    }
    fprintf(stderr, "optiscape: %s\n", msg);
    win_set_note(a, msg);
}
