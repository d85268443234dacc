/* flatness: see flatness.h. */
#include "flatness.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double curvature(const crit_point *p)
{
    return p->l2;          /* the larger eigenvalue: the steepest direction's curvature */
}

int flatness_find_minima(const expr *f, const double region[4], flatness_minima *m, char *err,
                         size_t errlen)
{
    crit_point pts[4 * FLATNESS_MAX_MINIMA];
    int n = crit_find(f, region, NULL, pts, (int)(sizeof pts / sizeof pts[0]), err, errlen);
    if (n < 0) return -1;
    memset(m, 0, sizeof *m);
    for (int i = 0; i < n && m->nmin < FLATNESS_MAX_MINIMA; i++)
        if (pts[i].kind == CRIT_MIN) m->min[m->nmin++] = pts[i];
    if (m->nmin < 2) {
        snprintf(err, errlen, "found %d minim%s in the view; flat against sharp needs two or more",
                 m->nmin, m->nmin == 1 ? "um" : "a");
        return -1;
    }
    for (int i = 1; i < m->nmin; i++) {
        if (curvature(&m->min[i]) < curvature(&m->min[m->flat])) m->flat = i;
        if (curvature(&m->min[i]) > curvature(&m->min[m->sharp])) m->sharp = i;
    }
    return 0;
}

int flatness_measure(const expr *f, const flatness_desc *d, int batch, const flatness_minima *m,
                     flatness_row *out)
{
    memset(out, 0, sizeof *out);
    out->batch = batch;
    double train = 0, test = 0;
    int finished = 0;
    runner r;
    int have = 0;
    for (int k = 0; k < d->runs; k++) {
        runner_desc rd = d->run;
        /* with data, the full batch is a batch of all n samples: the same gradient,
         * from the samples, so the quick stepping below applies */
        rd.batch = rd.data && batch == 0 ? rd.data->n : batch;
        rd.seed = d->seed + 0x9e3779b97f4a7c15ull * (uint64_t)k;
        if (!rd.data) rd.noise = batch > 0 ? d->noise1 / sqrt((double)batch) : 0;
        rd.trail_cap = 1;
        if (!have) {
            if (runner_init(&r, &rd, f) != 0) return -1;
            have = 1;
        } else {
            r.d = rd;
            runner_reset(&r, f);
        }
        for (long s = 0; s < d->steps && !r.diverged; s++) runner_step_quick(&r, f);
        runner_settle(&r, f);
        out->runs++;
        if (r.diverged) {
            out->diverged++;
            continue;
        }
        int best = 0;
        double bd = INFINITY;
        for (int i = 0; i < m->nmin; i++) {
            double dist = hypot(r.p[0] - m->min[i].x, r.p[1] - m->min[i].y);
            if (dist < bd) { bd = dist; best = i; }
        }
        if (best == m->flat) out->flat++;
        else if (best == m->sharp) out->sharp++;
        else out->other++;
        train += r.j.v;
        test += expr_eval(f, r.p[0] - d->test_shift[0], r.p[1] - d->test_shift[1]);
        finished++;
    }
    if (have) runner_free(&r);
    out->train_loss = finished ? train / finished : NAN;
    out->test_loss = finished ? test / finished : NAN;
    return 0;
}
