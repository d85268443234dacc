/* view3d: the surface, the camera and everything lying on the surface. The GPU
 * draws the surface from the field texture; the CPU reads the same field (the
 * copy gfx keeps of the last upload) to put particles, trails, critical points and
 * arrows at the surface's height, and marches the ray from each towards the camera
 * through it to know what a ridge hides. World coordinates go to box coordinates
 * in double (the view's longer side spans -1 .. 1), so a view 1e-6 wide or 1e6
 * wide looks the same and float is exact enough from there on. */
#include "app/views/view3d.h"
#include "app/views/scene_view_internal.h"

#include <cglm/cglm.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "style/fieldmap.h"
#include "style/look.h"

#define PI 3.14159265358979323846
#define BOX_HEIGHT 0.55      /* box z of the highest mapped loss (the long side spans 2) */
#define BOX_FLOOR (-0.07)    /* the slab's bottom */
#define FOV_Y 30.0           /* degrees */
#define TARGET_Z 0.32        /* the camera looks at this fraction of BOX_HEIGHT */
/* The surface mesh's vertices a side: a cell about 7 pixels wide, 64 .. 256 (on
 * software GL the triangles' setup is most of the surface's cost). */
#define MESH_CELL_PX 7.0
#define MESH_MIN 64
#define MESH_MAX 256
#define PX_LIMIT 1.0e6
#define HIDDEN_ALPHA 0.3f    /* what a ridge hides is drawn at this strength */

/* ---- the camera -------------------------------------------------------------- */

static double clampd(double v, double lo, double hi)
{
    if (!(v >= lo)) return lo;   /* NaN too */
    return v > hi ? hi : v;
}

void cam3d_defaults(cam3d *c)
{
    c->yaw = -32;
    c->pitch = 46;
    c->zoom = 1;
    c->target[0] = c->target[1] = 0;
    c->draft = 0;
}

void cam3d_orbit(cam3d *c, double dx, double dy)
{
    if (!isfinite(dx) || !isfinite(dy)) return;
    double y = fmod(c->yaw + 0.4 * dx, 360.0);
    if (y > 180) y -= 360;
    if (y <= -180) y += 360;
    c->yaw = y;
    c->pitch = clampd(c->pitch + 0.3 * dy, CAM3D_PITCH_MIN, CAM3D_PITCH_MAX);
}

void cam3d_zoom(cam3d *c, double factor)
{
    if (!(factor > 0) || !isfinite(factor)) return;
    c->zoom = clampd(c->zoom * factor, CAM3D_ZOOM_MIN, CAM3D_ZOOM_MAX);
}

int cam3d_parse(const char *s, cam3d *c, char *err, size_t errlen)
{
    double v[3] = {0, 0, 1};
    int n = 0, bad = 0;
    const char *p = s;
    while (n < 3 && !bad) {
        char *end;
        double x = strtod(p, &end);
        if (end == p || !isfinite(x)) { bad = 1; break; }
        v[n++] = x;
        p = end;
        if (*p != ',') break;
        p++;   /* a comma: a number must follow */
        if (n == 3) bad = 1;
    }
    if (bad || n < 2 || *p) {
        snprintf(err, errlen, "--camera: expected YAW,PITCH or YAW,PITCH,ZOOM (degrees, degrees, factor), got '%.40s'", s);
        return -1;
    }
    if (!(v[1] >= CAM3D_PITCH_MIN && v[1] <= CAM3D_PITCH_MAX) || !(v[2] >= CAM3D_ZOOM_MIN && v[2] <= CAM3D_ZOOM_MAX)) {
        snprintf(err, errlen, "--camera: pitch from %g to %g degrees, zoom from %g to %g, got '%.40s'",
                 CAM3D_PITCH_MIN, CAM3D_PITCH_MAX, CAM3D_ZOOM_MIN, CAM3D_ZOOM_MAX, s);
        return -1;
    }
    cam3d_defaults(c);
    c->yaw = 0;
    cam3d_orbit(c, v[0] / 0.4, 0);   /* normalized into (-180, 180] */
    c->pitch = v[1];
    c->zoom = v[2];
    return 0;
}

/* target -> eye, unit length */
static void eye_dir(const cam3d *c, double e[3])
{
    double y = c->yaw * PI / 180, p = clampd(c->pitch, CAM3D_PITCH_MIN, CAM3D_PITCH_MAX) * PI / 180;
    e[0] = -sin(y) * cos(p);
    e[1] = -cos(y) * cos(p);
    e[2] = sin(p);
}

/* The camera's distance at zoom 1: the slab's eight corners inside the canvas
 * (5% margin) seen from the pitch, at every yaw (sampled every 10 degrees), so the
 * surface keeps its size while it turns. Perspective makes the near corners
 * larger; a few rounds of rescaling the distance find the fit. */
static double fit_distance(const view3d_proj *P, double aspect, double pitch)
{
    double ty = tan(FOV_Y * PI / 360), tx = ty * aspect, p = pitch * PI / 180;
    double r = sqrt(P->ax * P->ax + P->ay * P->ay + 0.25 * P->height * P->height);
    double best = 0;
    for (int k = 0; k < 36; k++) {
        double y = k * PI / 18;
        double e[3] = {-sin(y) * cos(p), -cos(y) * cos(p), sin(p)};
        double f[3] = {-e[0], -e[1], -e[2]};
        double rl = hypot(f[0], f[1]);
        double rt[3] = {f[1] / rl, -f[0] / rl, 0};   /* f x z */
        double up[3] = {rt[1] * f[2] - rt[2] * f[1], rt[2] * f[0] - rt[0] * f[2], rt[0] * f[1] - rt[1] * f[0]};
        double d = r / sin(atan(fmin(tx, ty)));
        for (int it = 0; it < 6; it++) {
            double m = 0;
            for (int c = 0; c < 8; c++) {
                double q[3] = {c & 1 ? P->ax : -P->ax, c & 2 ? P->ay : -P->ay, c & 4 ? P->height : P->floor_z};
                double v[3];
                for (int i = 0; i < 3; i++) v[i] = q[i] - (i == 2 ? TARGET_Z * P->height : 0) - d * e[i];
                double zc = v[0] * f[0] + v[1] * f[1] + v[2] * f[2];
                if (!(zc > 1e-9)) { m = 1e9; break; }
                double xc = v[0] * rt[0] + v[1] * rt[1], yc = v[0] * up[0] + v[1] * up[1] + v[2] * up[2];
                m = fmax(m, fmax(fabs(xc) / (zc * tx), fabs(yc) / (zc * ty)));
            }
            d *= m >= 1e9 ? 2 : fmax(0.5, fmin(2, 0.3 + 0.7 * m / 0.95));
        }
        best = fmax(best, d);
    }
    return best;
}

void view3d_projection(const cam3d *c, const scene_view *sv, view3d_proj *P)
{
    memset(P, 0, sizeof *P);
    double vw = sv->view[1] - sv->view[0], vh = sv->view[3] - sv->view[2];
    P->cx = 0.5 * (sv->view[0] + sv->view[1]);
    P->cy = 0.5 * (sv->view[2] + sv->view[3]);
    P->s = 0.5 * fmax(vw, vh);
    if (!(P->s > 0) || !isfinite(P->s)) P->s = 1;
    P->ax = clampd(0.5 * vw / P->s, 1e-3, 1);
    P->ay = clampd(0.5 * vh / P->s, 1e-3, 1);
    P->height = BOX_HEIGHT;
    P->floor_z = BOX_FLOOR;
    float w = sv->w > 1 ? sv->w : 1, h = sv->h > 1 ? sv->h : 1;
    P->rect[0] = sv->x;
    P->rect[1] = sv->y;
    P->rect[2] = w;
    P->rect[3] = h;
    double aspect = (double)w / h;
    double zoom = clampd(c->zoom, CAM3D_ZOOM_MIN, CAM3D_ZOOM_MAX);
    double dist = fit_distance(P, aspect, clampd(c->pitch, CAM3D_PITCH_MIN, CAM3D_PITCH_MAX)) / zoom;
    P->target[0] = clampd(c->target[0], -P->ax, P->ax);
    P->target[1] = clampd(c->target[1], -P->ay, P->ay);
    P->target[2] = TARGET_Z * P->height;
    double e[3];
    eye_dir(c, e);
    for (int i = 0; i < 3; i++) P->eye[i] = P->target[i] + dist * e[i];
    vec3 eye = {(float)P->eye[0], (float)P->eye[1], (float)P->eye[2]};
    vec3 ctr = {(float)P->target[0], (float)P->target[1], (float)P->target[2]};
    vec3 up = {0, 0, 1};
    mat4 view, proj, mvp;
    glm_lookat(eye, ctr, up, view);
    double r = 2.0 * sqrt(P->ax * P->ax + P->ay * P->ay + P->height * P->height);
    glm_perspective((float)(FOV_Y * PI / 180), (float)aspect, (float)(dist * 0.02), (float)(dist + r), proj);
    glm_mat4_mul(proj, view, mvp);
    for (int col = 0; col < 4; col++)
        for (int row = 0; row < 4; row++) P->mvp[col * 4 + row] = mvp[col][row];
}

int view3d_project(const view3d_proj *P, const double b[3], float *px, float *py)
{
    double cl[4];
    for (int r = 0; r < 4; r++)
        cl[r] = P->mvp[r] * b[0] + P->mvp[4 + r] * b[1] + P->mvp[8 + r] * b[2] + P->mvp[12 + r];
    if (!(cl[3] > 1e-9)) return 0;
    double X = P->rect[0] + (cl[0] / cl[3] * 0.5 + 0.5) * P->rect[2];
    double Y = P->rect[1] + (0.5 - cl[1] / cl[3] * 0.5) * P->rect[3];
    *px = (float)clampd(X, -PX_LIMIT, PX_LIMIT);
    *py = (float)clampd(Y, -PX_LIMIT, PX_LIMIT);
    return 1;
}

void cam3d_pan(cam3d *c, const scene_view *sv, double dx, double dy)
{
    if (!isfinite(dx) || !isfinite(dy)) return;
    view3d_proj P;
    view3d_projection(c, sv, &P);
    double dist = 0;
    for (int i = 0; i < 3; i++) dist += (P.eye[i] - P.target[i]) * (P.eye[i] - P.target[i]);
    double upp = 2 * sqrt(dist) * tan(FOV_Y * PI / 360) / P.rect[3];   /* box units a pixel at the target */
    double y = c->yaw * PI / 180, p = c->pitch * PI / 180;
    double right[2] = {cos(y), -sin(y)}, fwd[2] = {sin(y), cos(y)};
    double k = dy * upp / fmax(sin(p), 0.2);
    c->target[0] = clampd(P.target[0] - right[0] * dx * upp + fwd[0] * k, -P.ax, P.ax);
    c->target[1] = clampd(P.target[1] - right[1] * dx * upp + fwd[1] * k, -P.ay, P.ay);
}

/* ---- the field on the CPU ------------------------------------------------------- */

/* The field as scene_view's contour map maps it (style/fieldmap.h), so height and
 * colour agree. */
typedef struct hfield {
    const float *d;
    int w, h;
    double fv[4];
    fieldmap m;
} hfield;

static int hfield_init(hfield *F, gfx *g, const scene_field *sf)
{
    memset(F, 0, sizeof *F);
    if (!sf->valid) return 0;
    F->d = gfx_field_data(g, &F->w, &F->h);
    if (!F->d || F->w < 2 || F->h < 2) return 0;
    memcpy(F->fv, sf->view, sizeof F->fv);
    if (!(F->fv[1] > F->fv[0]) || !(F->fv[3] > F->fv[2])) return 0;
    F->m = fieldmap_of(sf->vmin, sf->vmax);
    return 1;
}

/* The mapped value t in 0..1 at world (x, y), bilinear like the texture. */
static double hfield_t(const hfield *F, double x, double y)
{
    double u = (x - F->fv[0]) / (F->fv[1] - F->fv[0]) * F->w - 0.5;
    double v = (y - F->fv[2]) / (F->fv[3] - F->fv[2]) * F->h - 0.5;
    u = clampd(u, 0, F->w - 1);
    v = clampd(v, 0, F->h - 1);
    int i = (int)u, j = (int)v;
    if (i > F->w - 2) i = F->w - 2;
    if (j > F->h - 2) j = F->h - 2;
    double fu = u - i, fv = v - j;
    const float *r0 = F->d + 3 * ((size_t)j * F->w + i), *r1 = r0 + 3 * (size_t)F->w;
    double val = (r0[0] * (1 - fu) + r0[3] * fu) * (1 - fv) + (r1[0] * (1 - fu) + r1[3] * fu) * fv;
    return fieldmap_t_gpu(&F->m, val);
}

typedef struct scene3d {
    view3d_proj P;
    hfield F;
    int have_field;
    double view[4];
    int grid;                    /* the mesh's vertices a side */
    const float *vt;             /* t at the mesh's vertices, grid x grid */
} scene3d;

/* t at the mesh's vertices, kept in the view's cache while the field and the view
 * stay the same (the occlusion tests read it thousands of times a frame). */
static const float *vertex_t(const scene3d *S, const scene_field *sf, view3d_vcache *vc)
{
    if (vc->t && vc->n == S->grid && vc->data == S->F.d && vc->fw == S->F.w && vc->fh == S->F.h &&
        vc->gen == sf->gen && vc->vmin == S->F.m.vmin && vc->vmax == S->F.m.vmax &&
        memcmp(vc->view, S->view, sizeof vc->view) == 0 && memcmp(vc->fview, S->F.fv, sizeof vc->fview) == 0)
        return vc->t;
    int n = S->grid;
    float *t = realloc(vc->t, (size_t)n * (size_t)n * sizeof *t);
    if (!t) return NULL;
    vc->t = t;
    double vw = S->view[1] - S->view[0], vh = S->view[3] - S->view[2];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++)
            t[(size_t)j * n + i] = (float)hfield_t(&S->F, S->view[0] + vw * i / (n - 1), S->view[2] + vh * j / (n - 1));
    vc->n = n;
    vc->data = S->F.d;
    vc->fw = S->F.w;
    vc->fh = S->F.h;
    vc->gen = sf->gen;
    vc->vmin = S->F.m.vmin;
    vc->vmax = S->F.m.vmax;
    memcpy(vc->view, S->view, sizeof vc->view);
    memcpy(vc->fview, S->F.fv, sizeof vc->fview);
    return t;
}

static void scene3d_init(scene3d *S, gfx *g, const scene_field *sf, const scene_view *sv, const cam3d *c)
{
    view3d_projection(c, sv, &S->P);
    memcpy(S->view, sv->view, sizeof S->view);
    S->grid = (int)clampd(fmax(sv->w, sv->h) / MESH_CELL_PX, MESH_MIN, MESH_MAX);
    S->have_field = hfield_init(&S->F, g, sf) && (S->vt = vertex_t(S, sf, &sv->cache->v3d)) != NULL;
}

static int in_view(const scene3d *S, double x, double y)
{
    return x >= S->view[0] && x <= S->view[1] && y >= S->view[2] && y <= S->view[3];
}

/* The height (as t) of the surface as drawn: the mesh's vertices sample the field,
 * and each cell is two triangles split along the diagonal from (i, j) to
 * (i + 1, j + 1), as surface.c indexes them. So a particle sits on the surface the
 * picture shows, even in a valley narrower than a cell. */
static double mesh_t(const scene3d *S, double x, double y)
{
    double vw = S->view[1] - S->view[0], vh = S->view[3] - S->view[2];
    int n = S->grid;
    double gx = clampd((x - S->view[0]) / vw, 0, 1) * (n - 1);
    double gy = clampd((y - S->view[2]) / vh, 0, 1) * (n - 1);
    int i = (int)gx, j = (int)gy;
    if (i > n - 2) i = n - 2;
    if (j > n - 2) j = n - 2;
    double fu = gx - i, fv = gy - j, z[2][2];
    const float *r0 = S->vt + (size_t)j * n + i, *r1 = r0 + n;
    z[0][0] = r0[0];
    z[0][1] = r0[1];
    z[1][0] = r1[0];
    z[1][1] = r1[1];
    if (fu >= fv) return z[0][0] + fu * (z[0][1] - z[0][0]) + fv * (z[1][1] - z[0][1]);
    return z[0][0] + fv * (z[1][0] - z[0][0]) + fu * (z[1][1] - z[1][0]);
}

/* World (x, y) on the surface (lifted by lift box units) to box coordinates. */
static void on_surface(const scene3d *S, double x, double y, double lift, double b[3])
{
    b[0] = (x - S->P.cx) / S->P.s;
    b[1] = (y - S->P.cy) / S->P.s;
    b[2] = (S->have_field ? mesh_t(S, x, y) * S->P.height : 0) + lift;
}

/* Whether the slab (under the surface, above its floor, inside its sides) lies
 * between box point b and the camera: march the ray a cell and a half at a time
 * until it is above the highest point. The first two cells are skipped, so a point
 * on the surface does not hide itself. */
static int hidden_at(const scene3d *S, const double b[3])
{
    if (!S->have_field) return 0;
    const view3d_proj *P = &S->P;
    double d[3] = {P->eye[0] - b[0], P->eye[1] - b[1], P->eye[2] - b[2]};
    double len = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (!(len > 1e-12)) return 0;
    double cell = 2.0 * fmax(P->ax, P->ay) / S->grid;
    double eps = 0.006 * P->height;
    for (double s = 2 * cell / len; s < 1; s += 1.5 * cell / len) {
        double q[3] = {b[0] + s * d[0], b[1] + s * d[1], b[2] + s * d[2]};
        if (q[2] > P->height) return 0;
        if (fabs(q[0]) <= P->ax && fabs(q[1]) <= P->ay && q[2] >= P->floor_z &&
            q[2] < mesh_t(S, P->cx + q[0] * P->s, P->cy + q[1] * P->s) * P->height - eps)
            return 1;
    }
    return 0;
}

/* Hidden even when raised by lift pixels (a mark of that radius whose top clears
 * the ridge in front of it is seen: it counts as visible). */
static int hidden_px(const scene3d *S, const double b[3], double lift)
{
    const view3d_proj *P = &S->P;
    double d = sqrt((P->eye[0] - b[0]) * (P->eye[0] - b[0]) + (P->eye[1] - b[1]) * (P->eye[1] - b[1]) +
                    (P->eye[2] - b[2]) * (P->eye[2] - b[2]));
    double upp = 2 * d * tan(FOV_Y * PI / 360) / P->rect[3];
    double c[3] = {b[0], b[1], b[2] + lift * upp};
    return hidden_at(S, c);
}

int view3d_locate(gfx *g, const scene_field *sf, const scene_view *sv, const cam3d *c, double x,
                  double y, float *px, float *py, int *hidden)
{
    scene3d S;
    scene3d_init(&S, g, sf, sv, c);
    if (!S.have_field || !in_view(&S, x, y)) return 0;
    double b[3];
    on_surface(&S, x, y, 0, b);
    if (!view3d_project(&S.P, b, px, py)) return 0;
    *hidden = hidden_px(&S, b, 7 * sv->scale);
    return 1;
}

int view3d_pick(gfx *g, const scene_field *sf, const scene_view *sv, const cam3d *c, float px, float py,
                double *x, double *y)
{
    scene3d S;
    scene3d_init(&S, g, sf, sv, c);
    if (!S.have_field) return 0;
    /* the ray through the pixel: unproject two depths with the inverse of mvp */
    mat4 m, inv;
    for (int col = 0; col < 4; col++)
        for (int row = 0; row < 4; row++) m[col][row] = S.P.mvp[col * 4 + row];
    glm_mat4_inv(m, inv);
    double nx = (px - S.P.rect[0]) / S.P.rect[2] * 2 - 1, ny = 1 - (py - S.P.rect[1]) / S.P.rect[3] * 2;
    double pt[2][3];
    for (int k = 0; k < 2; k++) {
        double z = k ? 1.0 : -1.0, o[4];
        for (int r = 0; r < 4; r++) o[r] = inv[0][r] * nx + inv[1][r] * ny + inv[2][r] * z + inv[3][r];
        if (!(fabs(o[3]) > 1e-12)) return 0;
        for (int r = 0; r < 3; r++) pt[k][r] = o[r] / o[3];
    }
    double d[3] = {pt[1][0] - pt[0][0], pt[1][1] - pt[0][1], pt[1][2] - pt[0][2]};
    double len = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (!(len > 0)) return 0;
    for (int i = 0; i < 3; i++) d[i] /= len;
    const view3d_proj *P = &S.P;
    double step = 0.5 * 2.0 * fmax(P->ax, P->ay) / S.grid, prev_gap = NAN, prev[3] = {0, 0, 0};
    double q[3] = {P->eye[0], P->eye[1], P->eye[2]};
    for (int k = 0; k < 20000; k++) {
        int inside = fabs(q[0]) <= P->ax && fabs(q[1]) <= P->ay;
        if (inside) {
            double gap = q[2] - mesh_t(&S, P->cx + q[0] * P->s, P->cy + q[1] * P->s) * P->height;
            if (gap <= 0) {
                /* between the last point above and this one below */
                double f = isfinite(prev_gap) && prev_gap > 0 ? prev_gap / (prev_gap - gap) : 1;
                double hx = prev[0] + (q[0] - prev[0]) * f, hy = prev[1] + (q[1] - prev[1]) * f;
                if (!isfinite(prev_gap)) { hx = q[0]; hy = q[1]; }
                *x = P->cx + hx * P->s;
                *y = P->cy + hy * P->s;
                return 1;
            }
            prev_gap = gap;
        } else {
            prev_gap = NAN;
        }
        if (q[2] < P->floor_z) return 0;
        memcpy(prev, q, sizeof prev);
        for (int i = 0; i < 3; i++) q[i] += step * d[i];
    }
    return 0;
}

/* ---- drawing -------------------------------------------------------------------- */

/* A trail's points as drawn, the call's own (gfx_polyline copies them at once). */
typedef struct trail3d {
    float *xy;
    uint32_t *col;
    float *alpha;   /* each point's strength */
} trail3d;

/* A run of trail points with their strengths: a halo, then the colour. */
static void stroke(gfx *g, const trail3d *t, int m, uint32_t color, uint32_t halo, float scale)
{
    if (m < 2) return;
    for (int i = 0; i < m; i++) t->col[i] = GFX_WITH_ALPHA(halo, (uint32_t)(t->alpha[i] * (float)(halo & 0xff)));
    gfx_polyline(g, t->xy, m, LOOK_F(LOOK_TRAIL_HALO_W) * scale, t->col, 0);
    for (int i = 0; i < m; i++) t->col[i] = GFX_WITH_ALPHA(color, (uint32_t)(t->alpha[i] * (float)(color & 0xff)));
    gfx_polyline(g, t->xy, m, LOOK_F(LOOK_TRAIL_W) * scale, t->col, 0);
}

static void draw_trail(gfx *g, const scene3d *S, const runner *r, uint32_t color, int fade,
                       const scene_view *sv, const scene_theme *th)
{
    int n = r->trail_len;
    if (n < 2) return;
    trail3d t = {malloc((size_t)n * 2 * sizeof *t.xy), malloc((size_t)n * sizeof *t.col),
                 malloc((size_t)n * sizeof *t.alpha)};
    if (!t.xy || !t.col || !t.alpha) n = 0;
    int m = 0;
    float lx = 0, ly = 0;
    for (int k = n - 1; k >= 0; k--) {
        const double *p = runner_trail_at(r, k);
        double b[3];
        float px, py;
        int ok = isfinite(p[0]) && isfinite(p[1]) && in_view(S, p[0], p[1]);
        if (ok) {
            on_surface(S, p[0], p[1], 0.004, b);
            ok = view3d_project(&S->P, b, &px, &py);
        }
        if (!ok) {
            stroke(g, &t, m, color, th->halo, sv->scale);
            m = 0;
            continue;
        }
        if (m > 0 && k > 0 && fabsf(px - lx) < 0.75f && fabsf(py - ly) < 0.75f) continue;
        float age = (float)k / (float)(n - 1);
        float a = fade ? live_trail_alpha(age, fade > 1) : 1.0f;
        if (hidden_px(S, b, 2.5 * sv->scale)) a *= HIDDEN_ALPHA;
        t.xy[2 * m] = px;
        t.xy[2 * m + 1] = py;
        t.alpha[m] = a;
        lx = px;
        ly = py;
        m++;
    }
    stroke(g, &t, m, color, th->halo, sv->scale);
    free(t.xy);
    free(t.col);
    free(t.alpha);
}

/* An arrow lying on the surface from world point a along unit (vx, vy) for len
 * world units (from the far end towards a when inward): a polyline that follows
 * the surface with the head on its last piece. */
static void surface_arrow(gfx *g, const scene3d *S, double ax, double ay, double vx, double vy, double len,
                          int inward, uint32_t color, float scale, const scene_theme *th)
{
    enum { N = 16 };
    float xy[2 * (N + 1)];
    int m = 0;
    for (int i = 0; i <= N; i++) {
        double f = inward ? 1.0 - 0.85 * i / N : (double)i / N;
        double x = ax + vx * len * f, y = ay + vy * len * f, b[3];
        if (!in_view(S, x, y)) break;
        on_surface(S, x, y, 0.006, b);
        if (!view3d_project(&S->P, b, &xy[2 * m], &xy[2 * m + 1])) break;
        m++;
    }
    if (m < 4) return;
    int k = m - 4;   /* the head spans the last three pieces */
    float w = LOOK_F(LOOK_EIG_W) * scale, head = LOOK_F(LOOK_EIG_HEAD) * scale;
    float hw = w + LOOK_F(LOOK_EIG_HALO_W) * scale, hh = head + LOOK_F(LOOK_EIG_HALO_HEAD) * scale;
    uint32_t hc = th->halo;
    gfx_polyline(g, xy, k + 1, hw, NULL, hc);
    gfx_arrow(g, xy[2 * k], xy[2 * k + 1], xy[2 * (m - 1)], xy[2 * (m - 1) + 1], hw, hh, hc);
    gfx_polyline(g, xy, k + 1, w, NULL, color);
    gfx_arrow(g, xy[2 * k], xy[2 * k + 1], xy[2 * (m - 1)], xy[2 * (m - 1) + 1], w, head, color);
}

/* Critical points the slab hides are left out (a marker seen through a ridge
 * would claim a point that is not there); the saddles' arrows lie on the surface. */
static void draw_crit(gfx *g, const scene3d *S, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!L->disp.crit) return;
    char seen[LIVE_MAX_CRIT];
    for (int i = 0; i < L->ncrit; i++) {
        const crit_point *c = &L->crit[i];
        double b[3];
        seen[i] = 0;
        if (!in_view(S, c->x, c->y)) continue;
        on_surface(S, c->x, c->y, 0.004, b);
        seen[i] = !hidden_px(S, b, 6 * sv->scale);
    }
    /* the "way out" labels already drawn: one that would land on another is left
       out (seen from low down, the saddles' labels pile up) */
    enum { MAXL = 64 };
    float done[MAXL][4];
    int nd = 0;
    for (int i = 0; i < L->ncrit && L->disp.saddle_arrows; i++) {
        const crit_point *c = &L->crit[i];
        if (c->kind != CRIT_SADDLE || !seen[i]) continue;
        double l[2] = {c->l1, c->l2};
        const double *v[2] = {c->v1, c->v2};
        double big = fmax(fabs(l[0]), fabs(l[1]));
        if (!(big > 0) || !isfinite(big)) continue;
        for (int k = 0; k < 2; k++) {
            double len = S->P.s * fmax(0.16 * fabs(l[k]) / big, 0.05);
            uint32_t col = look_eig_color(l[k]);
            for (int s = -1; s <= 1; s += 2)
                surface_arrow(g, S, c->x, c->y, s * v[k][0], s * v[k][1], len, l[k] >= 0, col, sv->scale, th);
            if (l[k] < 0) {
                double b[3];
                float px, py;
                double x = c->x + v[k][0] * len * 1.12, y = c->y + v[k][1] * len * 1.12;
                if (!in_view(S, x, y)) x = c->x - v[k][0] * len * 1.12, y = c->y - v[k][1] * len * 1.12;
                if (!in_view(S, x, y)) continue;
                on_surface(S, x, y, 0.006, b);
                if (view3d_project(&S->P, b, &px, &py)) {
                    float tp = LOOK_F(LOOK_WAY_OUT_PX) * sv->scale, pad = 3 * sv->scale;
                    float r[4] = {px + 3 * sv->scale - pad, py - tp * 0.6f - pad,
                                  gfx_text_width(g, "way out", -1, tp) + 2 * pad, gfx_line_height(g, tp) + 2 * pad};
                    int clash = nd >= MAXL;
                    for (int q = 0; q < nd && !clash; q++)
                        clash = r[0] < done[q][0] + done[q][2] && done[q][0] < r[0] + r[2] &&
                                r[1] < done[q][1] + done[q][3] && done[q][1] < r[1] + r[3];
                    if (clash) continue;
                    memcpy(done[nd++], r, sizeof r);
                    gfx_rect(g, r[0], r[1], r[2], r[3], 3 * sv->scale, th->box);
                    gfx_text(g, r[0] + pad, r[1] + pad, "way out", -1, tp,
                             L->disp.cmap == STYLE_CMAP_LIGHT ? 0xc0391bffu : 0xff7a5cffu);
                }
            }
        }
    }
    for (int i = 0; i < L->ncrit; i++) {
        const crit_point *c = &L->crit[i];
        double b[3];
        float px, py;
        if (!seen[i]) continue;
        on_surface(S, c->x, c->y, 0.004, b);
        if (view3d_project(&S->P, b, &px, &py)) scene_crit_marker(g, c->kind, px, py, sv->scale);
    }
}

/* The cross-section's segment lying on the surface (faint where a ridge hides it),
 * its minima along the line as rings; the plot is the map's (scene_draw_overlays). */
static void draw_section(gfx *g, const scene3d *S, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!scene_section_shown(L)) return;
    enum { N = 200 };
    float xy[2 * N], alpha[N];
    uint32_t col[N];
    trail3d t = {xy, col, alpha};
    const double *seg = L->section.seg;
    int m = 0;
    for (int i = 0; i < N; i++) {
        double x, y, b[3];
        float px, py;
        section_point(seg, (double)i / (N - 1), &x, &y);
        int ok = in_view(S, x, y);
        if (ok) {
            on_surface(S, x, y, 0.004, b);
            ok = view3d_project(&S->P, b, &px, &py);
        }
        if (!ok) {
            stroke(g, &t, m, th->text, th->halo, sv->scale);
            m = 0;
            continue;
        }
        xy[2 * m] = px, xy[2 * m + 1] = py;
        alpha[m++] = hidden_px(S, b, 2.5 * sv->scale) ? HIDDEN_ALPHA : 1.0f;
    }
    stroke(g, &t, m, th->text, th->halo, sv->scale);
    for (int e = 0; e < 2; e++) {
        double b[3];
        float px, py;
        if (!in_view(S, seg[2 * e], seg[2 * e + 1])) continue;
        on_surface(S, seg[2 * e], seg[2 * e + 1], 0.004, b);
        if (view3d_project(&S->P, b, &px, &py))
            scene_section_end_label(g, e ? "B" : "A", px, py - 14 * sv->scale, sv->scale, th);
    }
    section_info *si = malloc(sizeof *si);
    if (!si) return;
    scene_section_info(L, sv, si);
    for (int k = 0; k < si->nmin; k++) {
        double x, y, b[3];
        float px, py;
        section_point(seg, si->min[k].t, &x, &y);
        if (!in_view(S, x, y)) continue;
        on_surface(S, x, y, 0.004, b);
        if (!view3d_project(&S->P, b, &px, &py)) continue;
        gfx_marker(g, GFX_RING, px, py, 10.5f * sv->scale, th->halo, 0, 0);
        gfx_marker(g, GFX_RING, px, py, 9.5f * sv->scale, th->text, 0, 0);
    }
    free(si);
}

static void draw_marks(gfx *g, const scene3d *S, const live *L, const scene_view *sv, const scene_theme *th)
{
    double b[3];
    float px, py;
    if (in_view(S, L->start[0], L->start[1])) {
        on_surface(S, L->start[0], L->start[1], 0.004, b);
        if (view3d_project(&S->P, b, &px, &py)) {
            int hid = hidden_px(S, b, 8 * sv->scale);
            uint32_t a = hid ? 0x60 : 0xff;
            gfx_marker(g, GFX_STAR, px, py, LOOK_F(LOOK_START_R) * sv->scale, GFX_WITH_ALPHA(th->start, a),
                       GFX_WITH_ALPHA(LOOK_OUTLINE, a), LOOK_F(LOOK_START_OW) * sv->scale);
        }
    }
    float s = sv->scale;
    for (int k = 0; k < L->nrun; k++) {
        const runner *r = &L->run[k].r;
        const double *p = scene_runner_shown(L, k);
        if (!p || !in_view(S, p[0], p[1])) continue;
        on_surface(S, p[0], p[1], 0.004, b);
        if (!view3d_project(&S->P, b, &px, &py)) continue;
        uint32_t c = live_runner_color(L, k);
        int hid = hidden_px(S, b, 7 * sv->scale);
        if (r->diverged) {
            gfx_marker(g, GFX_CROSS, px, py, LOOK_F(LOOK_DIVERGED_R) * s, c, th->halo,
                       LOOK_F(LOOK_DIVERGED_OW) * s);
        } else if (hid) {
            /* behind a ridge: a ring in its colour, so it is found but not mistaken */
            gfx_marker(g, GFX_RING, px, py, LOOK_F(LOOK_RUNNER_R) * s, GFX_WITH_ALPHA(c, 0xa0), 0, 0);
        } else {
            if (k == L->selected && L->nrun > 1)
                gfx_marker(g, GFX_RING, px, py, LOOK_F(LOOK_SELECTED_R) * s, th->start, 0, 0);
            gfx_marker(g, GFX_CIRCLE, px, py, LOOK_F(LOOK_RUNNER_R) * s, c, LOOK_OUTLINE,
                       LOOK_F(LOOK_RUNNER_OW) * s);
        }
    }
}

/* 1, 2 or 5 times a power of ten, about range / 5. */
static double nice_step(double range)
{
    double raw = range / 5, p = pow(10, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void fmt_tick(char *b, size_t n, double v, double step)
{
    if (fabs(v) < step * 1e-6) v = 0;
    snprintf(b, n, "%.4g", v);
    if (b[0] == '-') {   /* a real minus sign reads better on a projector */
        size_t len = strlen(b);
        if (len + 3 < n) {
            memmove(b + 3, b + 1, len);
            memcpy(b, "\xe2\x88\x92", 3);
        }
    }
}

/* Ticks and names of x and y along the two edges of the slab's bottom nearest the
 * camera, outside it; what the slab hides of them is left out. */
static void draw_axes(gfx *g, const scene3d *S, const scene_view *sv, const scene_theme *th)
{
    const view3d_proj *P = &S->P;
    double ex = P->eye[0] - P->target[0], ey = P->eye[1] - P->target[1];
    float tp = 12 * sv->scale, lh = gfx_line_height(g, tp);
    uint32_t col = th->text_dim, line = GFX_WITH_ALPHA(th->text_dim, 0x90);
    for (int axis = 0; axis < 2; axis++) {
        /* the x axis runs along the y edge facing the camera, and the other way round */
        double side = axis == 0 ? (ey < 0 ? -P->ay : P->ay) : (ex < 0 ? -P->ax : P->ax);
        double out = side < 0 ? -1 : 1;
        double lo = S->view[axis == 0 ? 0 : 2], hi = S->view[axis == 0 ? 1 : 3];
        double amax = axis == 0 ? P->ax : P->ay, c0 = axis == 0 ? P->cx : P->cy;
        /* the edge, a visible run at a time (a hair outside the slab) */
        enum { N = 48 };
        float xy[2 * (N + 1)];
        int m = 0;
        for (int i = 0; i <= N + 1; i++) {
            double b[3];
            b[axis] = -amax + 2 * amax * (i <= N ? i : N) / N;
            b[1 - axis] = side + out * 1e-4;
            b[2] = P->floor_z;
            float px, py;
            int vis = i <= N && view3d_project(P, b, &px, &py) && !hidden_at(S, b);
            if (vis) {
                xy[2 * m] = px;
                xy[2 * m + 1] = py;
                m++;
            } else {
                if (m >= 2) gfx_polyline(g, xy, m, 1.2f * sv->scale, NULL, line);
                m = 0;
            }
        }
        double step = nice_step(hi - lo);
        if (!(step > 0) || !isfinite(step)) continue;
        int nt = 0;
        for (double v = ceil(lo / step) * step; v <= hi + step * 1e-9 && nt < 40; v += step, nt++) {
            double t[3], u[3];
            t[axis] = u[axis] = (v - c0) / P->s;
            t[1 - axis] = side + out * 1e-4;
            u[1 - axis] = side + out * 0.035;
            t[2] = u[2] = P->floor_z;
            float tx, ty, ux, uy;
            if (!view3d_project(P, t, &tx, &ty) || !view3d_project(P, u, &ux, &uy) || hidden_at(S, t)) continue;
            gfx_line(g, tx, ty, ux, uy, 1.2f * sv->scale, line);
            char b[32];
            fmt_tick(b, sizeof b, v, step);
            float w = gfx_text_width(g, b, -1, tp);
            /* beyond the tick's end, away from the slab */
            float dx = ux - tx, dy = uy - ty, dl = hypotf(dx, dy);
            if (!(dl > 0.5f)) continue;
            float lx = ux + dx / dl * (4 * sv->scale + 0.5f * w), ly = uy + dy / dl * (4 * sv->scale + 0.5f * lh);
            gfx_text(g, lx - 0.5f * w, ly - 0.5f * lh, b, -1, tp, col);
        }
        /* the axis' name past the labels, at the edge's middle */
        double mid[3], mo[3];
        mid[axis] = mo[axis] = 0;
        mid[1 - axis] = side + out * 1e-4;
        mo[1 - axis] = side + out * 0.2;
        mid[2] = mo[2] = P->floor_z;
        float ox, oy;
        if (!hidden_at(S, mid) && view3d_project(P, mo, &ox, &oy)) {
            const char *name = axis == 0 ? "x" : "y";
            float np = tp * 1.25f, w = gfx_text_width(g, name, -1, np);
            gfx_text(g, ox - 0.5f * w, oy - 0.5f * gfx_line_height(g, np), name, -1, np, th->text);
        }
    }
}

void view3d_draw(gfx *g, const live *L, const scene_field *sf, const scene_view *sv, const cam3d *c)
{
    scene_theme th = scene_theme_of(L);
    scene3d S;
    scene3d_init(&S, g, sf, sv, c);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    if (!S.have_field && !sv->transparent) gfx_rect(g, sv->x, sv->y, sv->w, sv->h, 0, th.bg);
    if (S.have_field) {
        const view3d_proj *P = &S.P;
        double fw = S.F.fv[1] - S.F.fv[0], fh = S.F.fv[3] - S.F.fv[2];
        /* light from the camera's upper left, a little in front */
        double y = c->yaw * PI / 180;
        double lt[3] = {-cos(y) * 0.55 - sin(y) * 0.35, sin(y) * 0.55 - cos(y) * 0.35, 0.85};
        gfx_surface_style st = {
            .rect = {P->rect[0], P->rect[1], P->rect[2], P->rect[3]},
            .eye = {(float)P->eye[0], (float)P->eye[1], (float)P->eye[2]},
            .light = {(float)lt[0], (float)lt[1], (float)lt[2]},
            .box = {(float)-P->ax, (float)-P->ay, (float)(2 * P->ax), (float)(2 * P->ay)},
            .tc = {(float)((sv->view[0] - S.F.fv[0]) / fw), (float)((sv->view[2] - S.F.fv[2]) / fh),
                   (float)((sv->view[1] - sv->view[0]) / fw), (float)((sv->view[3] - sv->view[2]) / fh)},
            .height = (float)P->height,
            .grid = S.grid,
            .samples = 4,
            .draft = c->draft,
            .walls = 1,
            .floor_z = (float)P->floor_z,
            .wall_shade = {L->disp.cmap == STYLE_CMAP_LIGHT ? 0.72f : 0.35f,
                           L->disp.cmap == STYLE_CMAP_LIGHT ? 0.9f : 0.6f},
            .cmap = L->disp.cmap,
            .vmin = S.F.m.vmin, .vmax = S.F.m.vmax,
            .log_scale = 1, .log_floor = S.F.m.floor_,
            .iso = L->disp.iso,
            .iso_step = (float)S.F.m.iso_step,
            .iso_width = 1.1f * sv->scale,
            .iso_alpha = L->disp.cmap == STYLE_CMAP_LIGHT ? 0.55f : 0.45f,
            .background = sv->transparent ? 0 : th.bg,
        };
        memcpy(st.mvp, P->mvp, sizeof st.mvp);
        gfx_surface_draw(g, &st);
    }
    draw_axes(g, &S, sv, &th);
    if (L->disp.trails)
        for (int k = 0; k < L->nrun; k++)
            if (L->run[k].visible)
                draw_trail(g, &S, &L->run[k].r, live_runner_color(L, k),
                           L->disp.fade ? 1 + (L->disp.cmap == STYLE_CMAP_LIGHT) : 0, sv, &th);
    draw_section(g, &S, L, sv, &th);
    draw_crit(g, &S, L, sv, &th);
    draw_marks(g, &S, L, sv, &th);
    gfx_clip(g, 0, 0, -1, -1);
    scene_draw_overlays(g, L, sv);
}
