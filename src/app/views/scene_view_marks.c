/* scene_view_marks: what is drawn over the field: trails and ghost paths, critical
 * points with their eigenvector arrows and "way out" labels, the start, the runners
 * and their arrows, arrows to runners outside the canvas, the cross-section's
 * segment (style/look's sizes and colours, as the SVG has them). */
#include "app/views/scene_view.h"
#include "app/views/scene_view_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "style/look.h"

/* A runner's trail, oldest to newest, as drawn: the newest points exact (closer
 * than half a pixel skipped), older ones no closer than the line is wide, so a
 * trail crawling a valley for 50 000 steps costs what a short one does (the trail
 * itself, for rewind, is untouched); the alpha fades with age so the present
 * stands out. */
typedef struct trail_pts {
    float *xy;        /* the points drawn, pixels */
    uint32_t *col;    /* ... with their colours */
    int cap;
} trail_pts;

#define TRAIL_EXACT 48   /* newest points drawn at half-pixel spacing */

static int trail_points(trail_pts *t, const runner *r, const scene_view *sv, uint32_t color, int fade,
                        int light, int *nout)
{
    int n = r->trail_len;
    if (n > t->cap) {
        float *b = realloc(t->xy, (size_t)n * 2 * sizeof *b);
        uint32_t *c = realloc(t->col, (size_t)n * sizeof *c);
        if (b) t->xy = b;
        if (c) t->col = c;
        if (!b || !c) return -1;
        t->cap = n;
    }
    int m = 0;
    float lx = 0, ly = 0;
    float coarse = 2.0f * sv->scale;
    if (coarse < 1.5f) coarse = 1.5f;
    for (int k = n - 1; k >= 0; k--) {
        const double *p = runner_trail_at(r, k);
        if (!isfinite(p[0]) || !isfinite(p[1])) continue;
        float px, py;
        scene_to_px(sv, p[0], p[1], &px, &py);
        float tol = k < TRAIL_EXACT ? 0.5f : coarse;
        if (m > 0 && k > 0 && fabsf(px - lx) < tol && fabsf(py - ly) < tol) continue;
        float age = n > 1 ? (float)k / (float)(n - 1) : 0;   /* 1 oldest .. 0 newest */
        float a = fade ? live_trail_alpha(age, light) : 1.0f;
        t->xy[2 * m] = px;
        t->xy[2 * m + 1] = py;
        t->col[m] = GFX_WITH_ALPHA(color, (uint32_t)(a * (float)(color & 0xff)));
        lx = px;
        ly = py;
        m++;
    }
    *nout = m;
    return 0;
}

static void trail_pts_free(trail_pts *t)
{
    free(t->xy);
    free(t->col);
}

/* (The points are the call's own, freed when it is done: gfx_polyline copies them
   into its batch at once.) */
void scene_draw_trails(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    trail_pts t = {0};
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible) continue;
        uint32_t c = live_runner_color(L, k);
        int m, light = L->disp.cmap == STYLE_CMAP_LIGHT;
        if (trail_points(&t, &lr->r, sv, th->halo, L->disp.fade, light, &m) != 0 || m < 2) continue;
        gfx_polyline(g, t.xy, m, LOOK_F(LOOK_TRAIL_HALO_W) * sv->scale, t.col, 0);
        trail_points(&t, &lr->r, sv, c, L->disp.fade, light, &m);
        gfx_polyline(g, t.xy, m, LOOK_F(LOOK_TRAIL_W) * sv->scale, t.col, 0);
    }
    trail_pts_free(&t);
}

void scene_draw_ghosts(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!sv->dragging_start || !L->ghost_on) return;
    trail_pts t = {0};
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible) continue;
        uint32_t c = GFX_WITH_ALPHA(live_runner_color(L, k), 0xc0);
        int m;
        if (trail_points(&t, &lr->ghost, sv, th->halo, 0, 0, &m) != 0 || m < 2) continue;
        for (int i = 0; i < m; i++) t.col[i] = GFX_WITH_ALPHA(th->halo, 0x60);
        gfx_polyline(g, t.xy, m, 3.5f * sv->scale, t.col, 0);
        gfx_polyline(g, t.xy, m, 1.5f * sv->scale, NULL, c);
        float ex = t.xy[2 * (m - 1)], ey = t.xy[2 * (m - 1) + 1];
        gfx_marker(g, GFX_CIRCLE, ex, ey, 3.5f * sv->scale, c, th->halo, 1);
    }
    trail_pts_free(&t);
}

float scene_rect_overlap(const float a[4], const float b[4])
{
    float w = fminf(a[0] + a[2], b[0] + b[2]) - fmaxf(a[0], b[0]);
    float h = fminf(a[1] + a[3], b[1] + b[3]) - fmaxf(a[1], b[1]);
    return w > 0 && h > 0 ? w * h : 0;
}

/* Eigenvector arrows at a point: positive curvature pointing in (the point attracts
 * along it), negative pointing out (the way off a saddle), length by |lambda|. */
void scene_eigen_arrows(gfx *g, float cx, float cy, const double l[2], double v[2][2],
                         float maxlen, float scale, int label_out, const scene_theme *th)
{
    double big = fmax(fabs(l[0]), fabs(l[1]));
    if (!(big > 0) || !isfinite(big)) return;
    for (int i = 0; i < 2; i++) {
        double len = maxlen * fabs(l[i]) / big;
        if (len < LOOK_F(LOOK_EIG_MIN) * scale) len = LOOK_F(LOOK_EIG_MIN) * scale;
        uint32_t c = look_eig_color(l[i]);
        float dx = (float)(v[i][0] * len), dy = (float)(-v[i][1] * len);
        for (int s = -1; s <= 1; s += 2) {
            float tx = cx + s * dx, ty = cy + s * dy;
            float w = LOOK_F(LOOK_EIG_W) * scale, head = LOOK_F(LOOK_EIG_HEAD) * scale;
            float hw = w + LOOK_F(LOOK_EIG_HALO_W) * scale, hh = head + LOOK_F(LOOK_EIG_HALO_HEAD) * scale;
            if (l[i] < 0) {
                gfx_arrow(g, cx, cy, tx, ty, hw, hh, th->halo);
                gfx_arrow(g, cx, cy, tx, ty, w, head, c);
            } else {
                float ex = cx + LOOK_F(LOOK_EIG_IN_END) * s * dx, ey = cy + LOOK_F(LOOK_EIG_IN_END) * s * dy;
                gfx_arrow(g, tx, ty, ex, ey, hw, hh, th->halo);
                gfx_arrow(g, tx, ty, ex, ey, w, head, c);
            }
        }
    }
    (void)label_out;
}

/* Where a saddle's "way out" label goes: beyond the tip of its negative-curvature
 * arrow (the first one; the other tip is the same way out, reversed); 0 when the
 * saddle has no such direction. */
static int way_out_rect(gfx *g, float cx, float cy, const double l[2], double v[2][2], float maxlen,
                        float scale, float out[4])
{
    double big = fmax(fabs(l[0]), fabs(l[1]));
    if (!(big > 0) || !isfinite(big)) return 0;
    for (int i = 0; i < 2; i++) {
        if (!(l[i] < 0)) continue;
        double len = maxlen * fabs(l[i]) / big;
        if (len < LOOK_F(LOOK_EIG_MIN) * scale) len = LOOK_F(LOOK_EIG_MIN) * scale;
        float dx = (float)(v[i][0] * len), dy = (float)(-v[i][1] * len);
        float tx = cx + dx * LOOK_F(LOOK_WAY_OUT_AT), ty = cy + dy * LOOK_F(LOOK_WAY_OUT_AT);
        float px = LOOK_F(LOOK_WAY_OUT_PX) * scale;
        float tw = gfx_text_width(g, "way out", -1, px), pad = 3 * scale;
        float bw = tw + 2 * pad, bh = gfx_line_height(g, px) + 2 * pad, m = 3 * scale;
        /* beyond the tip, clear of the arrow: beside it for an arrow more across
           than up, above or below it otherwise */
        if (fabsf(dx) >= fabsf(dy)) {
            out[0] = dx >= 0 ? tx + m : tx - m - bw;
            out[1] = ty - bh / 2;
        } else {
            out[0] = tx + m;
            out[1] = dy < 0 ? ty - m - bh : ty + m;
        }
        out[2] = bw;
        out[3] = bh;
        return 1;
    }
    return 0;
}

/* Whether a critical point at pixel (px, py) is near enough the canvas to be drawn. */
static int crit_near(const scene_view *sv, float px, float py)
{
    float m = LOOK_CRIT_MARGIN;
    return !(px < sv->x - m || px > sv->x + sv->w + m || py < sv->y - m || py > sv->y + sv->h + m);
}

/* The saddles' "way out" labels, on a box of their own above the trails, the
 * particles and the runners (under them they could not be read); a label that
 * would land on one already drawn is left out. */
void scene_draw_crit_labels(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!L->disp.crit || !L->disp.saddle_arrows) return;
    enum { MAXL = 64 };
    float done[MAXL][4];
    int nd = 0;
    for (int i = 0; i < L->ncrit && nd < MAXL; i++) {
        const crit_point *c = &L->crit[i];
        if (c->kind != CRIT_SADDLE) continue;
        float px, py;
        scene_to_px(sv, c->x, c->y, &px, &py);
        if (!crit_near(sv, px, py)) continue;
        double l[2] = {c->l1, c->l2};
        double v[2][2] = {{c->v1[0], c->v1[1]}, {c->v2[0], c->v2[1]}};
        float r[4];
        if (!way_out_rect(g, px, py, l, v, LOOK_F(LOOK_EIG_LEN) * sv->scale, sv->scale, r)) continue;
        /* inside the canvas */
        float e = 2 * sv->scale;
        if (r[0] + r[2] > sv->x + sv->w - e) r[0] = sv->x + sv->w - e - r[2];
        if (r[1] + r[3] > sv->y + sv->h - e) r[1] = sv->y + sv->h - e - r[3];
        if (r[0] < sv->x + e) r[0] = sv->x + e;
        if (r[1] < sv->y + e) r[1] = sv->y + e;
        int clash = 0;
        for (int q = 0; q < nd && !clash; q++) clash = scene_rect_overlap(r, done[q]) > 0;
        if (clash) continue;
        memcpy(done[nd++], r, sizeof r);
        float pad = 3 * sv->scale;
        gfx_rect(g, r[0], r[1], r[2], r[3], 3 * sv->scale, th->box);
        gfx_text(g, r[0] + pad, r[1] + pad, "way out", -1, LOOK_F(LOOK_WAY_OUT_PX) * sv->scale,
                 L->disp.cmap == STYLE_CMAP_LIGHT ? 0xc0391bffu : 0xff7a5cffu);
    }
}

void scene_draw_crit(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!L->disp.crit) return;
    for (int i = 0; i < L->ncrit; i++) {
        const crit_point *c = &L->crit[i];
        float px, py;
        scene_to_px(sv, c->x, c->y, &px, &py);
        if (!crit_near(sv, px, py)) continue;
        if (c->kind == CRIT_SADDLE && L->disp.saddle_arrows) {
            double l[2] = {c->l1, c->l2};
            double v[2][2] = {{c->v1[0], c->v1[1]}, {c->v2[0], c->v2[1]}};
            scene_eigen_arrows(g, px, py, l, v, LOOK_F(LOOK_EIG_LEN) * sv->scale, sv->scale, 1, th);
        }
    }
    for (int i = 0; i < L->ncrit; i++) {
        float px, py;
        scene_to_px(sv, L->crit[i].x, L->crit[i].y, &px, &py);
        scene_crit_marker(g, L->crit[i].kind, px, py, sv->scale);
    }
}

scene_crit_look scene_crit_look_of(int kind)
{
    switch (kind) {
    case CRIT_MIN: return (scene_crit_look){GFX_CIRCLE, 1.0, LOOK_CRIT_MIN_FILL, "crit min"};
    case CRIT_MAX: return (scene_crit_look){GFX_TRIANGLE_UP, 1.2, LOOK_CRIT_MAX_FILL, "crit max"};
    case CRIT_SADDLE: return (scene_crit_look){GFX_DIAMOND, 1.15, LOOK_CRIT_SADDLE_FILL, "crit saddle"};
    default: return (scene_crit_look){GFX_SQUARE, 0.85, LOOK_CRIT_OTHER_FILL, "crit degenerate"};
    }
}

void scene_crit_marker(gfx *g, int kind, float px, float py, float scale)
{
    scene_crit_look m = scene_crit_look_of(kind);
    float r = LOOK_F(LOOK_CRIT_R) * scale, ow = LOOK_F(LOOK_CRIT_OW) * scale;
    gfx_marker(g, m.shape, px, py, r * LOOK_F(m.size), m.fill, LOOK_OUTLINE, ow);
}

const double *scene_runner_shown(const live *L, int k)
{
    return L->run[k].visible ? live_runner_point(&L->run[k].r) : NULL;
}

void scene_draw_runner_marks(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    float s = sv->scale;
    for (int k = 0; k < L->nrun; k++) {
        const double *p = scene_runner_shown(L, k);
        if (!p) continue;
        const runner *r = &L->run[k].r;
        uint32_t c = live_runner_color(L, k);
        float px, py;
        scene_to_px(sv, p[0], p[1], &px, &py);
        float R = LOOK_F(LOOK_RUNNER_ARROW_R) * s, reach = LOOK_F(LOOK_RUNNER_ARROW_REACH);
        float hw = LOOK_F(LOOK_RUNNER_ARROW_HALO_W) * s, hh = LOOK_F(LOOK_RUNNER_ARROW_HALO_HEAD) * s;
        float w = LOOK_F(LOOK_RUNNER_ARROW_W) * s, head = LOOK_F(LOOK_RUNNER_ARROW_HEAD) * s;
        if (!r->diverged && (L->disp.grad_arrows || L->disp.update_arrows)) {
            if (L->disp.grad_arrows) {
                double gx = r->j.gx, gy = r->j.gy, n = hypot(gx, gy);
                if (n > 0 && isfinite(n)) {
                    float ex = px - (float)(gx / n) * reach * R, ey = py + (float)(gy / n) * reach * R;
                    gfx_arrow(g, px, py, ex, ey, hw, hh, th->halo);
                    gfx_arrow(g, px, py, ex, ey, w, head, LOOK_GRADIENT);
                }
            }
            if (L->disp.update_arrows && r->trail_len >= 2) {
                const double *q = runner_trail_at(r, 1);
                double dx = r->p[0] - q[0], dy = r->p[1] - q[1], n = hypot(dx, dy);
                if (n > 0 && isfinite(n)) {
                    float ex = px + (float)(dx / n) * reach * R, ey = py - (float)(dy / n) * reach * R;
                    gfx_arrow(g, px, py, ex, ey, hw, hh, th->halo);
                    gfx_arrow(g, px, py, ex, ey, w, head, c);
                }
            }
        }
        if (r->diverged) {
            gfx_marker(g, GFX_CROSS, px, py, LOOK_F(LOOK_DIVERGED_R) * s, c, th->halo,
                       LOOK_F(LOOK_DIVERGED_OW) * s);
        } else {
            if (k == L->selected && L->nrun > 1)
                gfx_marker(g, GFX_RING, px, py, LOOK_F(LOOK_SELECTED_R) * s, th->start, 0, 0);
            gfx_marker(g, GFX_CIRCLE, px, py, LOOK_F(LOOK_RUNNER_R) * s, c, LOOK_OUTLINE,
                       LOOK_F(LOOK_RUNNER_OW) * s);
        }
    }
}

int scene_offview_arrow(const scene_view *sv, double px, double py, float out[4])
{
    double x0 = sv->x, y0 = sv->y, x1 = sv->x + sv->w, y1 = sv->y + sv->h;
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1) return 0;
    if (!isfinite(px) || !isfinite(py)) return 0;
    double m = 8 * sv->scale, len = 32 * sv->scale;
    double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1), dx = px - cx, dy = py - cy;
    double n = hypot(dx, dy);
    if (!(n > 0)) return 0;
    dx /= n;
    dy /= n;
    /* the ray from the centre meets the canvas inset by m at parameter t */
    double hx = 0.5 * (x1 - x0) - m, hy = 0.5 * (y1 - y0) - m;
    if (hx < 1) hx = 1;
    if (hy < 1) hy = 1;
    double t = fmin(fabs(dx) > 1e-12 ? hx / fabs(dx) : INFINITY, fabs(dy) > 1e-12 ? hy / fabs(dy) : INFINITY);
    double tx = cx + dx * t, ty = cy + dy * t;
    out[0] = (float)(tx - dx * len);
    out[1] = (float)(ty - dy * len);
    out[2] = (float)tx;
    out[3] = (float)ty;
    return 1;
}

/* Runners outside the canvas: an arrow at the edge, in the runner's colour,
 * pointing to where it is. Unclamped pixels (scene_to_px clamps far points, which
 * would bend the direction). */
void scene_draw_offview(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    if (!(upp > 0)) return;
    float s = sv->scale;
    for (int k = 0; k < L->nrun; k++) {
        const double *p = scene_runner_shown(L, k);
        if (!p) continue;
        double px = sv->x + (p[0] - sv->view[0]) / upp, py = sv->y + (sv->view[3] - p[1]) / upp;
        float a[4];
        if (!scene_offview_arrow(sv, px, py, a)) continue;
        uint32_t c = live_runner_color(L, k);
        gfx_arrow(g, a[0], a[1], a[2], a[3], LOOK_F(LOOK_AWAY_HALO_W) * s, LOOK_F(LOOK_AWAY_HALO_HEAD) * s,
                  th->halo);
        gfx_arrow(g, a[0], a[1], a[2], a[3], LOOK_F(LOOK_AWAY_W) * s, LOOK_F(LOOK_AWAY_HEAD) * s, c);
        gfx_marker(g, L->run[k].r.diverged ? GFX_CROSS : GFX_CIRCLE, a[0], a[1], LOOK_F(LOOK_AWAY_MARK_R) * s, c,
                   LOOK_OUTLINE, LOOK_F(LOOK_AWAY_MARK_OW) * s);
    }
}

void scene_draw_start(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    float px, py;
    scene_to_px(sv, L->start[0], L->start[1], &px, &py);
    gfx_marker(g, GFX_STAR, px, py, LOOK_F(LOOK_START_R) * sv->scale, th->start, LOOK_OUTLINE,
               LOOK_F(LOOK_START_OW) * sv->scale);
}

void scene_section_end_label(gfx *g, const char *s, float cx, float cy, float scale, const scene_theme *th)
{
    float tp = 12 * scale, w = gfx_text_width(g, s, -1, tp), h = gfx_line_height(g, tp), pad = 3 * scale;
    gfx_rect(g, cx - 0.5f * w - pad, cy - 0.5f * h - 1, w + 2 * pad, h + 2, 3 * scale, th->box);
    gfx_text(g, cx - 0.5f * w, cy - 0.5f * h, s, -1, tp, th->text);
}

/* The minima along the segment, as rings on it (the plot's marks), over the
 * critical points' markers (a minimum along the line at a saddle rings it). */
static void section_rings(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    section_info *si = malloc(sizeof *si);
    if (!si) return;
    scene_section_info(L, sv, si);
    float s = sv->scale;
    for (int k = 0; k < si->nmin; k++) {
        double x, y;
        float px, py;
        section_point(L->section.seg, si->min[k].t, &x, &y);
        scene_to_px(sv, x, y, &px, &py);
        gfx_marker(g, GFX_RING, px, py, 10.5f * s, th->halo, 0, 0);
        gfx_marker(g, GFX_RING, px, py, 9.5f * s, th->text, 0, 0);
    }
    free(si);
}

void scene_draw_section_line(gfx *g, const live *L, const scene_view *sv, const scene_theme *th, int rings)
{
    if (!scene_section_shown(L)) return;
    if (rings) {
        section_rings(g, L, sv, th);
        return;
    }
    const double *seg = L->section.seg;
    float ax, ay, bx, by, s = sv->scale;
    scene_to_px(sv, seg[0], seg[1], &ax, &ay);
    scene_to_px(sv, seg[2], seg[3], &bx, &by);
    gfx_line(g, ax, ay, bx, by, 4.5f * s, th->halo);
    gfx_line(g, ax, ay, bx, by, 2 * s, th->text);
    gfx_marker(g, GFX_CIRCLE, ax, ay, 4 * s, th->text, th->halo, 1.2f * s);
    gfx_marker(g, GFX_CIRCLE, bx, by, 4 * s, th->text, th->halo, 1.2f * s);
    /* A and B beyond the ends, along the segment */
    float dx = bx - ax, dy = by - ay, len = hypotf(dx, dy), off = 13 * s;
    float ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
    scene_section_end_label(g, "A", ax - ux * off, ay - uy * off, s, th);
    scene_section_end_label(g, "B", bx + ux * off, by + uy * off, s, th);
}
