/* The field's log mapping, written once for the CPU: loss v -> u = log10(v - vmin + floor),
 * floor a thousandth of the range, t = (u - umin) / (umax - umin) in 0..1, iso lines at
 * every multiple of (umax - umin) / FIELDMAP_ISO_LEVELS in u. The window's contour map,
 * its 3D heights, the SVG figure and the basin view all take it from here, so colour,
 * height and iso lines agree.
 *
 * The GPU has it from shaders/fieldmap.glsl (fieldmap_u, fieldmap_traw, the iso-lines),
 * which every shader is built with; tests/test_style.c checks the two agree pixel for
 * pixel. render/field.c and render/surface.c compute umin_f and uscale_f as here,
 * with u_floor = fieldmap.floor_ and u_iso_step = (float)fieldmap.iso_step. */
#ifndef OPTISCAPE_STYLE_FIELDMAP_H
#define OPTISCAPE_STYLE_FIELDMAP_H

#define FIELDMAP_FLOOR_FRAC 1e-3     /* the floor, as a fraction of the range */
#define FIELDMAP_FLOOR_MIN 1e-30f    /* the floor when the fraction underflows */
#define FIELDMAP_ARG_MIN 1e-30       /* log10's argument is clamped to this */
#define FIELDMAP_ISO_LEVELS 16       /* iso lines over the whole range */

typedef struct fieldmap {
    float vmin, vmax;
    float floor_;         /* the GPU gets this float (gfx_field_style.log_floor) */
    double floor_d;       /* the floor the CPU adds: floor_, or the unrounded one */
    double range;         /* vmax - vmin, 1 when not positive */
    double umin, umax;    /* log10(floor_), log10(range + floor_) */
    double decades;       /* log10((range + floor_) / floor_) */
    double iso_step;      /* decades / FIELDMAP_ISO_LEVELS */
    float umin_f, uscale_f;   /* as the GPU computes them, in single precision */
} fieldmap;

/* The mapping of a field whose finite values span vmin..vmax (the floor rounded to float,
 * as the shader's uniform is). */
fieldmap fieldmap_of(float vmin, float vmax);
/* The same with the floor kept in double, for CPU-only maps of doubles (basin view). */
fieldmap fieldmap_of_double(double vmin, double vmax);
/* t in 0..1 (unclamped) of the value v, in double precision. */
double fieldmap_t(const fieldmap *m, double v);
/* u = log10(v - vmin + floor), clamped below at FIELDMAP_ARG_MIN. */
double fieldmap_u(const fieldmap *m, double v);
/* t from the single-precision umin_f/uscale_f, clamped to 0..1 (the 3D heights,
 * which must match the surface shader's colours). */
double fieldmap_t_gpu(const fieldmap *m, double v);
/* The k-th iso level in u (k * iso_step), and as a loss value. */
double fieldmap_level(const fieldmap *m, long k);
double fieldmap_level_value(const fieldmap *m, long k);

#endif
