/* field: rows are split between threads; each row is one lsfn_row call (for a
 * formula expr_eval_row, so the bytecode dispatch is paid once per block of points). */
#include "field.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "linalg2.h"

#define FIELD_MAX_THREADS 64

double field_x(const double view[4], int w, int i)
{
    return view[0] + (view[1] - view[0]) * ((double)i + 0.5) / (double)w;
}

double field_y(const double view[4], int h, int j)
{
    return view[2] + (view[3] - view[2]) * ((double)j + 0.5) / (double)h;
}

typedef struct field_job {
    const lsfn *f;
    const double *view;
    int w, h, j0, j1;
    float *out;
    double offset;
} field_job;

static void *lmax_work(void *arg)
{
    field_job *job = arg;
    for (int j = job->j0; j < job->j1; j++) {
        double y = field_y(job->view, job->h, j);
        float *o = job->out + (size_t)j * (size_t)job->w;
        for (int i = 0; i < job->w; i++) {
            jet2 t = lsfn_jet(job->f, field_x(job->view, job->w, i), y);
            eig2 e = eig2_sym(t.hxx, t.hxy, t.hyy);
            o[i] = (float)e.l2;
        }
    }
    return NULL;
}

static void *field_work(void *arg)
{
    field_job *job = arg;
    if (job->offset != job->offset) return lmax_work(arg);   /* NaN offset marks lmax */
    double *row = malloc((size_t)job->w * sizeof *row);
    if (!row) return NULL;
    double x0 = field_x(job->view, job->w, 0);
    double dx = (job->view[1] - job->view[0]) / (double)job->w;
    for (int j = job->j0; j < job->j1; j++) {
        lsfn_row(job->f, x0, dx, field_y(job->view, job->h, j), row, (size_t)job->w);
        float *o = job->out + (size_t)j * (size_t)job->w;
        if (job->offset == 0.0)
            for (int i = 0; i < job->w; i++) o[i] = (float)row[i];
        else
            for (int i = 0; i < job->w; i++) o[i] = (float)(row[i] - job->offset);
    }
    free(row);
    return NULL;
}

static void run_jobs(const lsfn *f, const double view[4], int w, int h, float *out,
                     int nthreads, double offset)
{
    if (w <= 0 || h <= 0) return;
    if (nthreads < 1) nthreads = 1;
    if (nthreads > FIELD_MAX_THREADS) nthreads = FIELD_MAX_THREADS;
    if (nthreads > h) nthreads = h;
    field_job jobs[FIELD_MAX_THREADS];
    pthread_t th[FIELD_MAX_THREADS];
    for (int t = 0; t < nthreads; t++)
        jobs[t] = (field_job){f, view, w, h, h * t / nthreads, h * (t + 1) / nthreads, out, offset};
    int started = 0;
    for (int t = 1; t < nthreads; t++) {
        if (pthread_create(&th[t], NULL, field_work, &jobs[t]) != 0) break;
        started = t;
    }
    field_work(&jobs[0]);
    for (int t = started + 1; t < nthreads; t++) field_work(&jobs[t]);
    for (int t = 1; t <= started; t++) pthread_join(th[t], NULL);
}

void field_compute_fn(const lsfn *f, const double view[4], int w, int h, float *out, int nthreads)
{
    run_jobs(f, view, w, h, out, nthreads, 0.0);
}

void field_compute_offset_fn(const lsfn *f, const double view[4], int w, int h, float *out,
                             int nthreads, double offset)
{
    run_jobs(f, view, w, h, out, nthreads, offset == offset ? offset : 0.0);
}

void field_lmax_fn(const lsfn *f, const double view[4], int w, int h, float *out, int nthreads)
{
    run_jobs(f, view, w, h, out, nthreads, NAN);
}

void field_compute(const expr *f, const double view[4], int w, int h, float *out, int nthreads)
{
    lsfn fn = lsfn_formula(f);
    field_compute_fn(&fn, view, w, h, out, nthreads);
}

void field_compute_offset(const expr *f, const double view[4], int w, int h, float *out,
                          int nthreads, double offset)
{
    lsfn fn = lsfn_formula(f);
    field_compute_offset_fn(&fn, view, w, h, out, nthreads, offset);
}

void field_lmax(const expr *f, const double view[4], int w, int h, float *out, int nthreads)
{
    lsfn fn = lsfn_formula(f);
    field_lmax_fn(&fn, view, w, h, out, nthreads);
}
