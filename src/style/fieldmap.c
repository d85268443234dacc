/* The field's log mapping (fieldmap.h): one formula for every CPU consumer. */
#include "style/fieldmap.h"

#include <math.h>

static fieldmap fieldmap_finish(fieldmap m, double range, double floor_)
{
    m.range = range;
    m.floor_d = floor_;
    m.umin = log10(floor_);
    m.umax = log10(range + floor_);
    m.decades = log10((range + floor_) / floor_);
    m.iso_step = m.decades / FIELDMAP_ISO_LEVELS;
    m.umin_f = log10f(m.floor_);
    float umax = log10f(m.vmax - m.vmin + m.floor_);
    float us = umax - m.umin_f;
    m.uscale_f = (us != 0.0f && isfinite(1.0f / us)) ? 1.0f / us : 0.0f;
    return m;
}

fieldmap fieldmap_of(float vmin, float vmax)
{
    fieldmap m = {.vmin = vmin, .vmax = vmax};
    double range = (double)vmax - (double)vmin;
    if (!(range > 0)) range = 1;
    m.floor_ = (float)(range * FIELDMAP_FLOOR_FRAC);
    if (!(m.floor_ > 0)) m.floor_ = FIELDMAP_FLOOR_MIN;
    return fieldmap_finish(m, range, m.floor_);
}

fieldmap fieldmap_of_double(double vmin, double vmax)
{
    fieldmap m = {.vmin = (float)vmin, .vmax = (float)vmax};
    double range = vmax - vmin;
    if (!(range > 0)) range = 1;
    double floor_ = range * FIELDMAP_FLOOR_FRAC;
    m.floor_ = (float)floor_;
    return fieldmap_finish(m, range, floor_);
}

double fieldmap_u(const fieldmap *m, double v)
{
    return log10(fmax(v - m->vmin + m->floor_d, FIELDMAP_ARG_MIN));
}

double fieldmap_t(const fieldmap *m, double v)
{
    double u = fieldmap_u(m, v);
    return m->umax > m->umin ? (u - m->umin) / (m->umax - m->umin) : 0;
}

double fieldmap_t_gpu(const fieldmap *m, double v)
{
    double a = v - m->vmin + m->floor_d;
    double u = log10(a > FIELDMAP_ARG_MIN ? a : FIELDMAP_ARG_MIN);
    double t = (u - m->umin_f) * m->uscale_f;
    return !(t >= 0) ? 0 : t > 1 ? 1 : t;   /* NaN too */
}

double fieldmap_level(const fieldmap *m, long k) { return (double)k * m->iso_step; }

double fieldmap_level_value(const fieldmap *m, long k)
{
    return m->vmin - m->floor_d + pow(10.0, fieldmap_level(m, k));
}
