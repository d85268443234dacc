/* bench: `bench frames`, the frame times of the default scene in a real window
 * against the field-only floor, in 2D and 3D. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/gl.h"
#include "app/commands.h"
#include "app/window/window_internal.h"
#include "core/timing.h"

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* What a run measures besides its mode. view3d (bench frames --3d): 0 the map; 1 the
 * 3D view, the camera still; 2 the camera turning half a degree a frame; 3 the same
 * as a drag draws it (the draft). at: the runners first taken to that step (paused,
 * so every measured frame is at that step); drag: every frame moves the selected
 * runner's lr as a slider drag does (the runner replayed to the clock). */
typedef struct bench_case {
    int view3d;
    long at;
    int drag;
} bench_case;

/* Frame times of n frames after a warm-up. Modes: 1 the full scene; 2 the field
 * texture alone, shaded every frame; 3 the field alone as a still view shows it
 * (shaded once, then copied); 4 the full scene with the view panning a pixel a
 * frame, so the field is shaded every frame and refetched as the view moves; 5 and
 * 6 are 1 and 4 with the last runner (Adam) as a swarm of `swarm` particles. */
static int bench_run(int w, int h, int n, int mode, int swarm, const bench_case *bc, double *median,
                     double *p95, swarm_view_info *si)
{
    app *a = calloc(1, sizeof *a);
    if (!a) return -1;
    int pan = mode == 4 || mode == 6;
    a->o = (win_opts){.w = w, .h = h, .cmap = -1, .vsync = 0,
                      .bench = mode == 3 ? 2 : mode == 2 ? 2 : 1,
                      .swarm = mode >= 5 ? swarm : 0};
    a->user_scale = 1;
    cli_scene sc;
    cli_scene_init(&sc);
    int rc = win_build_scene(a, &sc);
    cli_scene_free(&sc);
    if (rc != 0 || (panel_init(&a->ps, &a->L), win_apply_opts(a), win_open_window(a)) != 0) {
        win_close_window(a);
        free(a);
        return -1;
    }
    if (a->want_swarm) a->L.selected = a->L.nrun - 1;
    if (mode == 2) gfx_field_cache(a->g, 0);
    a->view3d = bc->view3d > 0;
    a->cam_drag = bc->view3d == 3;   /* frame() draws a drag's draft */
    if (bc->at > 0) {
        a->L.playing = 0;
        live_step(&a->L, bc->at);
    }
    /* the field first, so every measured frame draws it */
    win_frame(a, 1.0 / 60, 1);
    SDL_GL_SwapWindow(a->win);
    for (int i = 0; i < 10; i++) { win_frame(a, 1.0 / 60, 0); SDL_GL_SwapWindow(a->win); }
    int dk = a->L.selected >= 0 && a->L.selected < a->L.nrun ? a->L.selected : 0;
    double lr0 = a->L.nrun > 0 ? a->L.run[dk].r.d.opt.lr : 0;
    double *t = malloc((size_t)n * sizeof *t);
    if (!t) { win_close_window(a); free(a); return -1; }
    for (int i = 0; i < n; i++) {
        double t0 = os_now();
        if (bc->view3d >= 2) cam3d_orbit(&a->cam, 1.25, 0);
        if (pan) a->L.center[0] += a->L.upp;
        if (bc->drag && a->L.nrun > 0) {
            /* a slider moving back and forth a little each frame */
            runner_desc d = a->L.run[dk].r.d;
            d.opt.lr = lr0 * (1 + 0.01 * (i % 8));
            live_set_desc(&a->L, dk, &d);
        }
        win_frame(a, 1.0 / 60, 0);
        SDL_GL_SwapWindow(a->win);
        glFinish();
        t[i] = os_now() - t0;
    }
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    *median = t[n / 2];
    *p95 = t[(int)(0.95 * (n - 1))];
    if (si && a->swarm) *si = swarm_view_get_info(a->swarm);
    free(t);
    win_close_window(a);
    free(a);
    return 0;
}

int window_bench_frames(int w, int h, int n, int swarm)
{
    double m[7], p[7];
    swarm_view_info si[7];
    memset(si, 0, sizeof si);
    const bench_case plain = {0, 0, 0};
    for (int mode = 1; mode <= (swarm > 0 ? 6 : 4); mode++)
        if (bench_run(w, h, n, mode, swarm, &plain, &m[mode], &p[mode], &si[mode]) != 0) return EXIT_RUNTIME;
    printf("bench frames: default scene (5 runners on rosenbrock, panel, legend, chart), %dx%d, "
           "%d frames, vsync off, each frame waited for (glFinish)\n", w, h, n);
    printf("  scene    median %6.2f ms  p95 %6.2f ms  (%.0f fps at the median)\n", m[1] * 1e3, p[1] * 1e3,
           1 / m[1]);
    printf("  panning  median %6.2f ms  p95 %6.2f ms  (%.0f fps; the view moves a pixel a frame)\n",
           m[4] * 1e3, p[4] * 1e3, 1 / m[4]);
    printf("  floor    median %6.2f ms  p95 %6.2f ms  (the field texture alone, shaded every frame)\n",
           m[2] * 1e3, p[2] * 1e3);
    printf("  copy     median %6.2f ms  p95 %6.2f ms  (the field alone, shaded once and copied)\n",
           m[3] * 1e3, p[3] * 1e3);
    printf("  ratio    scene %.2fx the floor, panning %.2fx (goal <= 2x); scene %.2fx the copy\n",
           m[1] / m[2], m[4] / m[2], m[1] / m[3]);
    /* a long lecture: the same scene paused at step 300 and at step 50 000, and a
       slider dragged at step 50 000 (every frame replays the runner 50 000 steps) */
    double ms[3], ps[3];
    static const long at[3] = {300, 50000, 50000};
    for (int k = 0; k < 3; k++) {
        const bench_case bc = {.at = at[k], .drag = k == 2};
        if (bench_run(w, h, n, 1, 0, &bc, &ms[k], &ps[k], NULL) != 0) return EXIT_RUNTIME;
    }
    printf("  step 300     median %6.2f ms  p95 %6.2f ms  (%.0f fps; paused)\n", ms[0] * 1e3, ps[0] * 1e3, 1 / ms[0]);
    printf("  step 50000   median %6.2f ms  p95 %6.2f ms  (%.0f fps; paused; %.2fx step 300, goal <= 1.2x)\n",
           ms[1] * 1e3, ps[1] * 1e3, 1 / ms[1], ms[1] / ms[0]);
    printf("  drag 50000   median %6.2f ms  p95 %6.2f ms  (%.0f fps; lr dragged every frame, goal > 30 fps)\n",
           ms[2] * 1e3, ps[2] * 1e3, 1 / ms[2]);
    if (swarm > 0) {
        printf("  swarm of %zu particles (Adam, the last runner) stepping on its own thread, splatted into one image:\n",
               si[5].n);
        printf("  + swarm  median %6.2f ms  p95 %6.2f ms  (%.0f fps; %.2fx the floor; at the end step %ld of %ld)\n",
               m[5] * 1e3, p[5] * 1e3, 1 / m[5], m[5] / m[2], si[5].step, si[5].target);
        printf("  + swarm panning  median %6.2f ms  p95 %6.2f ms  (%.0f fps; %.2fx the floor)\n", m[6] * 1e3,
               p[6] * 1e3, 1 / m[6], m[6] / m[2]);
    }
    return EXIT_OK;
}

int window_bench_frames_3d(int w, int h, int n)
{
    double m[4], p[4];
    for (int k = 0; k < 4; k++) {
        const bench_case bc = {.view3d = k};
        if (bench_run(w, h, n, 1, 0, &bc, &m[k], &p[k], NULL) != 0) return EXIT_RUNTIME;
    }
    printf("bench frames --3d: default scene (5 runners on rosenbrock playing, panel, legend, chart), %dx%d, "
           "%d frames, vsync off, each frame waited for (glFinish)\n", w, h, n);
    printf("  map       median %6.2f ms  p95 %6.2f ms  (%.0f fps; the contour map, for comparison)\n", m[0] * 1e3,
           p[0] * 1e3, 1 / m[0]);
    printf("  3D still  median %6.2f ms  p95 %6.2f ms  (%.0f fps; the surface kept, the runners moving on it)\n",
           m[1] * 1e3, p[1] * 1e3, 1 / m[1]);
    printf("  3D orbit  median %6.2f ms  p95 %6.2f ms  (%.0f fps; the camera turning half a degree a frame, "
           "the surface drawn every frame, 4x multisampled)\n", m[2] * 1e3, p[2] * 1e3, 1 / m[2]);
    printf("  3D drag   median %6.2f ms  p95 %6.2f ms  (%.0f fps; the same while a drag turns it: half "
           "resolution, no multisampling)\n", m[3] * 1e3, p[3] * 1e3, 1 / m[3]);
    return EXIT_OK;
}


/* ---- bench frames --net ------------------------------------------------------- */

static double frame_ms(app *a, double *last)
{
    double now = os_now(), dt = now - *last;
    *last = now;
    win_frame(a, dt > 0 && dt < 0.25 ? dt : 1.0 / 60, 0);
    SDL_GL_SwapWindow(a->win);
    glFinish();
    return (os_now() - now) * 1e3;
}

static void med_p95(double *t, int n, double *med, double *p95)
{
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    *med = t[n / 2];
    *p95 = t[(int)(0.95 * (n - 1))];
}

/* The window with the default network lab (as --net with its defaults shows it):
 * frames while it trains (the slice renewed every 50 updates, the spectrum every
 * 25, the boundary in bands), paused with everything settled (the reference: the
 * drawing alone), with the lr slider dragged (the trainer takes it every frame),
 * and what a width change costs: the time until the new lab's boundary is drawn
 * and its slice is coarse and fine, with the frame times meanwhile. */
int window_bench_frames_net(int w, int h, int n)
{
    app *a = calloc(1, sizeof *a);
    if (!a) return EXIT_RUNTIME;
    a->o = (win_opts){.w = w, .h = h, .cmap = -1, .vsync = 0, .bench = 1};
    a->user_scale = 1;
    cli_scene sc;
    cli_scene_init(&sc);
    int rc = win_build_scene(a, &sc);
    cli_scene_free(&sc);
    char err[600];
    netlab_desc d;
    memset(&d, 0, sizeof d);
    d.manual = worker_threads_absent();
    a->lab = rc == 0 ? calloc(1, sizeof *a->lab) : NULL;
    if (!a->lab || netlab_create(a->lab, &d, err, sizeof err) != 0 ||
        (panel_init(&a->ps, &a->L), win_apply_opts(a), win_open_window(a)) != 0) {
        if (a->lab && a->lab->tr) netlab_free(a->lab);
        free(a->lab);
        a->lab = NULL;
        win_close_window(a);
        free(a);
        return EXIT_RUNTIME;
    }
    a->net_desc = a->lab->d;
    a->show_net = 1;
    a->L.playing = 1;
    a->L.steps_per_sec = 100;
    double *t = malloc((size_t)n * sizeof *t), last = os_now(), m[3], p[3];
    if (!t) { win_close_window(a); free(a); return EXIT_RUNTIME; }
    for (int i = 0; i < 30; i++) frame_ms(a, &last);
    for (int i = 0; i < n; i++) t[i] = frame_ms(a, &last);
    med_p95(t, n, &m[0], &p[0]);
    /* the lr slider dragged back and forth a little every frame */
    optim_desc o0 = a->lab->td.opt;
    for (int i = 0; i < n; i++) {
        optim_desc o = o0;
        o.lr = o0.lr * (1 + 0.05 * (i % 8));
        net_trainer_set_opt(a->lab->tr, &o);
        t[i] = frame_ms(a, &last);
    }
    med_p95(t, n, &m[1], &p[1]);
    /* paused, everything settled: the drawing alone */
    a->L.playing = 0;
    netlab_wait(a->lab);
    for (int i = 0; i < 10; i++) { netlab_wait(a->lab); frame_ms(a, &last); }
    for (int i = 0; i < n; i++) t[i] = frame_ms(a, &last);
    med_p95(t, n, &m[2], &p[2]);
    /* width changes, as the panel's slider makes them, while playing */
    a->L.playing = 1;
    enum { TRIES = 8 };
    long np[2] = {0, 0};
    double tb[TRIES], tc[TRIES], tf[TRIES], worst = 0;
    int nt = 0, nframes = 0;
    for (int k = 0; k < TRIES; k++) {
        snprintf(a->net_desc.net, sizeof a->net_desc.net, "mlp:2,%d,%d,1,act=tanh,loss=bce", k % 2 ? 16 : 24,
                 k % 2 ? 16 : 24);
        a->net_rebuild = 1;
        double t0 = os_now();
        tb[k] = tc[k] = tf[k] = NAN;
        for (int f = 0; f < 2000 && !(tb[k] >= 0 && tf[k] >= 0); f++) {
            double ms = frame_ms(a, &last), since = (os_now() - t0) * 1e3;
            if (nt < n) t[nt++] = ms;
            nframes++;
            worst = ms > worst ? ms : worst;
            const netlab_slice *s = netlab_get_slice(a->lab);
            int cur = s && s->gen == a->lab->plane_gen;
            if (!(tb[k] >= 0) && netlab_outputs(a->lab)) tb[k] = since;
            if (!(tc[k] >= 0) && cur && s->level >= 1) tc[k] = since;
            if (!(tf[k] >= 0) && cur && s->level == 2) tf[k] = since;
        }
        np[k % 2] = (long)a->lab->nt.np;
    }
    double mb, pb, mc, pc, mf, pf, mr, pr;
    med_p95(tb, TRIES, &mb, &pb);
    med_p95(tc, TRIES, &mc, &pc);
    med_p95(tf, TRIES, &mf, &pf);
    med_p95(t, nt, &mr, &pr);
    free(t);
    win_close_window(a);
    win_nets_free(a);
    free(a);
    printf("bench frames --net: the network lab's default (mlp:2,16,16,1,act=tanh,loss=bce on moons, adam), %dx%d, "
           "%d frames a case, vsync off, each frame waited for (glFinish)\n", w, h, n);
    printf("  paused     median %6.2f ms  p95 %6.2f ms  (%.0f fps; everything settled: the drawing alone, the "
           "reference)\n", m[2], p[2], 1e3 / m[2]);
    printf("  training   median %6.2f ms  p95 %6.2f ms  (%.0f fps; %.2fx paused; 100 updates/s, the slice renewed "
           "every 50, the spectrum every 25)\n", m[0], p[0], 1e3 / m[0], m[0] / m[2]);
    printf("  lr dragged median %6.2f ms  p95 %6.2f ms  (%.0f fps; %.2fx paused; the trainer takes a new rate every "
           "frame)\n", m[1], p[1], 1e3 / m[1], m[1] / m[2]);
    printf("  width 24 <-> 16 (a new lab of %ld or %ld parameters), median of %d: boundary drawn after %.0f ms "
           "(p95 %.0f; goal <= 100), slice coarse after %.0f ms, fine after %.0f ms\n", np[0], np[1], TRIES, mb, pb, mc,
           mf);
    printf("  frames meanwhile (%d): median %.2f ms, p95 %.2f ms, worst %.2f ms (%.0f fps at the p95; goal > 30)\n",
           nframes, mr, pr, worst, 1e3 / pr);
    return EXIT_OK;
}
