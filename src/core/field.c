/* field: rows are split between threads; each row is one lsfn_row call (for a
 * formula expr_eval_row, so the bytecode dispatch is paid once per block of points). */
#include "field.h"

#include <math.h>
#include <stdlib.h>

#include "linalg2.h"
#include "parallel.h"

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
    int w, h;
    float *out;
    double offset;
    int j0;                         /* the first row of the band */
} field_job;

static void lmax_work(const field_job *job, int j0, int j1)
{
    for (int j = j0; j < j1; j++) {
        double y = field_y(job->view, job->h, j);
        float *o = job->out + (size_t)j * (size_t)job->w;
        for (int i = 0; i < job->w; i++) {
            jet2 t = lsfn_jet(job->f, field_x(job->view, job->w, i), y);
            eig2 e = eig2_sym(t.hxx, t.hxy, t.hyy);
            o[i] = (float)e.l2;
        }
    }
}

/* rows j0..j1-1 */
static void field_work(void *ctx, int piece, int j0, int j1)
{
    (void)piece;
    const field_job *job = ctx;
    j0 += job->j0;
    j1 += job->j0;
    if (job->offset != job->offset) {   /* NaN offset marks lmax */
        lmax_work(job, j0, j1);
        return;
    }
    double *row = malloc((size_t)job->w * sizeof *row);
    if (!row) return;
    double x0 = field_x(job->view, job->w, 0);
    double dx = (job->view[1] - job->view[0]) / (double)job->w;
    for (int j = j0; j < j1; j++) {
        lsfn_row(job->f, x0, dx, field_y(job->view, job->h, j), row, (size_t)job->w);
        float *o = job->out + (size_t)j * (size_t)job->w;
        if (job->offset == 0.0)
            for (int i = 0; i < job->w; i++) o[i] = (float)row[i];
        else
            for (int i = 0; i < job->w; i++) o[i] = (float)(row[i] - job->offset);
    }
    free(row);
}

/* rows j0..j1-1 of the w x h grid: each row is computed on its own, so a field made
   band by band has the same samples as one made at once */
static void run_rows(const lsfn *f, const double view[4], int w, int h, int j0, int j1, float *out,
                     int nthreads, double offset)
{
    if (w <= 0 || h <= 0) return;
    if (j0 < 0) j0 = 0;
    if (j1 > h) j1 = h;
    if (j1 <= j0) return;
    field_job job = {f, view, w, h, out, offset, j0};
    parallel_for(j1 - j0, nthreads, field_work, &job);
}

static void run_jobs(const lsfn *f, const double view[4], int w, int h, float *out,
                     int nthreads, double offset)
{
    run_rows(f, view, w, h, 0, h, out, nthreads, offset);
}

void field_rows_offset_fn(const lsfn *f, const double view[4], int w, int h, int j0, int j1, float *out,
                          int nthreads, double offset)
{
    run_rows(f, view, w, h, j0, j1, out, nthreads, offset == offset ? offset : 0.0);
}

void field_rows_lmax_fn(const lsfn *f, const double view[4], int w, int h, int j0, int j1, float *out,
                        int nthreads)
{
    run_rows(f, view, w, h, j0, j1, out, nthreads, NAN);
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
