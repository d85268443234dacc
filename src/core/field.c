/* field: rows are split between threads; each row is one expr_eval_row call, so the
 * bytecode dispatch is paid once per block of points. */
#include "field.h"

#include <pthread.h>
#include <stdlib.h>

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
    const expr *f;
    const double *view;
    int w, h, j0, j1;
    float *out;
} field_job;

static void *field_work(void *arg)
{
    field_job *job = arg;
    double *row = malloc((size_t)job->w * sizeof *row);
    if (!row) return NULL;
    double x0 = field_x(job->view, job->w, 0);
    double dx = (job->view[1] - job->view[0]) / (double)job->w;
    for (int j = job->j0; j < job->j1; j++) {
        expr_eval_row(job->f, x0, dx, field_y(job->view, job->h, j), row, (size_t)job->w);
        float *o = job->out + (size_t)j * (size_t)job->w;
        for (int i = 0; i < job->w; i++) o[i] = (float)row[i];
    }
    free(row);
    return NULL;
}

void field_compute(const expr *f, const double view[4], int w, int h, float *out, int nthreads)
{
    if (w <= 0 || h <= 0) return;
    if (nthreads < 1) nthreads = 1;
    if (nthreads > FIELD_MAX_THREADS) nthreads = FIELD_MAX_THREADS;
    if (nthreads > h) nthreads = h;
    field_job jobs[FIELD_MAX_THREADS];
    pthread_t th[FIELD_MAX_THREADS];
    for (int t = 0; t < nthreads; t++)
        jobs[t] = (field_job){f, view, w, h, h * t / nthreads, h * (t + 1) / nthreads, out};
    int started = 0;
    for (int t = 1; t < nthreads; t++) {
        if (pthread_create(&th[t], NULL, field_work, &jobs[t]) != 0) break;
        started = t;
    }
    field_work(&jobs[0]);
    for (int t = started + 1; t < nthreads; t++) field_work(&jobs[t]);
    for (int t = 1; t <= started; t++) pthread_join(th[t], NULL);
}
