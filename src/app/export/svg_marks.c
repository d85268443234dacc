/* svg_marks: the SVG's marks over the field, as scene_view_marks.c and
 * scene_view_text.c draw them: prim.frag's marker and arrow shapes (outlines inside
 * the edge), the trails, the critical points with the saddles' eigenvector arrows,
 * the start, the runners and the legend. */
#include "app/export/svg_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/gfx.h"
#include "scene/section.h"
#include "style/cmap.h"
#include "style/fieldmap.h"
#include "style/look.h"

/* ---- shapes (prim.frag's, outlines inside the edge) ---------------------------- */

static void poly(svg_out *o, const double *xy, int n)
{
    svg_put(o, " d=\"M");
    for (int k = 0; k < n; k++) {
        if (k == 1) svg_put(o, " L");
        else if (k > 1) svg_put(o, " ");
        svg_pt(o, xy[2 * k], xy[2 * k + 1]);
    }
    svg_put(o, "Z\"");
}

/* A marker of radius r at (cx, cy) like gfx_marker: filled, with an outline band of
 * width ow just inside the shape's edge (a stroke of width ow on the shape inset by
 * ow / 2). */
void svg_marker(svg_out *o, gfx_shape shape, double cx, double cy, double r, uint32_t fill, uint32_t outline,
                double ow, const char *cls)
{
    if (!(r > 0) || !isfinite(cx) || !isfinite(cy)) return;
    if (!(ow > 0) || !(outline & 0xff)) ow = 0;
    double d = ow / 2, xy[24];
    int n = 0;
    switch (shape) {
    case GFX_CIRCLE:
    case GFX_RING:
        svg_put(o, "<circle class=\"%s\" cx=\"", cls);
        svg_num(o, cx);
        svg_put(o, "\" cy=\"");
        svg_num(o, cy);
        svg_put(o, "\" r=\"");
        if (shape == GFX_RING) {
            svg_num(o, 0.75 * r);
            svg_put(o, "\" fill=\"none\" stroke-width=\"");
            svg_num(o, 0.5 * r);
            svg_put(o, "\"");
            svg_paint(o, "stroke", fill);
            svg_put(o, "/>\n");
            return;
        }
        svg_num(o, r - d);
        svg_put(o, "\"");
        break;
    case GFX_SQUARE: {
        double a = 0.86 * r - d;
        double q[8] = {cx - a, cy - a, cx + a, cy - a, cx + a, cy + a, cx - a, cy + a};
        memcpy(xy, q, sizeof q);
        n = 4;
        break;
    }
    case GFX_DIAMOND: {
        double a = r - d * M_SQRT2;
        double q[8] = {cx, cy - a, cx + a, cy, cx, cy + a, cx - a, cy};
        memcpy(xy, q, sizeof q);
        n = 4;
        break;
    }
    case GFX_TRIANGLE_UP:
    case GFX_TRIANGLE_DOWN: {
        /* equilateral, half side s, centroid at the centre */
        double s = 0.95 * r - d * sqrt(3.0), k = shape == GFX_TRIANGLE_UP ? 1 : -1;
        double q[6] = {cx, cy - k * 2 * s / sqrt(3.0), cx + s, cy + k * s / sqrt(3.0),
                       cx - s, cy + k * s / sqrt(3.0)};
        memcpy(xy, q, sizeof q);
        n = 3;
        break;
    }
    case GFX_STAR: {
        /* five points up, inner radius 0.45 r; the tips' miter reaches the edge when
           the star shrinks by d / sin(22.6 degrees) */
        double R = r - d * 2.6;
        for (int k = 0; k < 10; k++) {
            double a = M_PI * k / 5, rr = k % 2 ? 0.45 * R : R;
            xy[2 * k] = cx + rr * sin(a);
            xy[2 * k + 1] = cy - rr * cos(a);
        }
        n = 10;
        break;
    }
    case GFX_CROSS:
    case GFX_PLUS: {
        double t = fmax(0.22 * r, 0.75), a = r - d, b = t - d;
        if (b <= 0) { b = t; ow = 0; }
        double q[24] = {b, a, b, b, a, b, a, -b, b, -b, b, -a,
                        -b, -a, -b, -b, -a, -b, -a, b, -b, b, -b, a};
        double c = shape == GFX_CROSS ? M_SQRT1_2 : 1, s = shape == GFX_CROSS ? M_SQRT1_2 : 0;
        for (int k = 0; k < 12; k++) {
            xy[2 * k] = cx + c * q[2 * k] - s * q[2 * k + 1];
            xy[2 * k + 1] = cy + s * q[2 * k] + c * q[2 * k + 1];
        }
        n = 12;
        break;
    }
    }
    if (n > 0) {
        svg_put(o, "<path class=\"%s\"", cls);
        poly(o, xy, n);
    }
    svg_paint(o, "fill", fill);
    if (ow > 0) {
        svg_paint(o, "stroke", outline);
        svg_put(o, " stroke-width=\"");
        svg_num(o, ow);
        svg_put(o, "\"");
    }
    svg_put(o, "/>\n");
}

/* An arrow like gfx_arrow: shaft of the given width, head of length head and half
 * width max(head / 2, width), one polygon. */
static void arrow(svg_out *o, double x0, double y0, double x1, double y1, double width, double head,
                  uint32_t rgba, const char *cls)
{
    if (width < 1) {
        rgba = GFX_WITH_ALPHA(rgba, (uint32_t)lrint((rgba & 0xff) * fmax(width, 0)));
        width = 1;
    }
    double dx = x1 - x0, dy = y1 - y0, len = hypot(dx, dy);
    if (!(len > 1e-6) || !isfinite(len) || !(rgba & 0xff)) return;
    dx /= len;
    dy /= len;
    double hw = width / 2, hl = fmin(fmax(head, 0), len), hh = hl > 0 ? fmax(hl / 2, width) : 0;
    double uv[14] = {0, -hw, len - hl, -hw, len - hl, -hh, len, 0, len - hl, hh, len - hl, hw, 0, hw};
    double xy[14];
    for (int k = 0; k < 7; k++) {
        xy[2 * k] = x0 + uv[2 * k] * dx - uv[2 * k + 1] * dy;
        xy[2 * k + 1] = y0 + uv[2 * k] * dy + uv[2 * k + 1] * dx;
    }
    svg_put(o, "<path class=\"%s\"", cls);
    poly(o, xy, 7);
    svg_paint(o, "fill", rgba);
    svg_put(o, "/>\n");
}

/* ---- trails, critical points, marks --------------------------------------------- */

/* A runner's trail oldest to newest as one path, split where a point is not finite;
 * points within half a pixel of the last one dropped, as in trail_points. */
static void trail_path(svg_out *o, const runner *r, const scene_view *sv, uint32_t rgba, double width,
                       const char *cls)
{
    svg_put(o, "<path class=\"%s\" d=\"", cls);
    int m = 0;
    double lx = 0, ly = 0;
    for (int k = r->trail_len - 1; k >= 0; k--) {
        const double *p = runner_trail_at(r, k);
        if (!isfinite(p[0]) || !isfinite(p[1])) {
            m = 0;
            continue;
        }
        double px, py;
        svg_to_px(sv, p[0], p[1], &px, &py);
        if (m > 0 && k > 0 && fabs(px - lx) < 0.5 && fabs(py - ly) < 0.5) continue;
        svg_put(o, m == 0 ? " M" : m == 1 ? " L" : " ");
        svg_pt(o, px, py);
        lx = px;
        ly = py;
        m++;
    }
    svg_put(o, "\"");
    svg_paint(o, "stroke", rgba);
    svg_put(o, " stroke-width=\"");
    svg_num(o, width);
    svg_put(o, "\"/>\n");
}

static int trail_drawable(const runner *r)
{
    int m = 0;
    for (int k = 0; k < r->trail_len && m < 2; k++) {
        const double *p = runner_trail_at(r, k);
        m += isfinite(p[0]) && isfinite(p[1]);
    }
    return m >= 2;
}

void svg_write_trails(svg_out *o, const live *L, const scene_view *sv, const scene_theme *th)
{
    svg_put(o, "<g id=\"trails\" fill=\"none\" stroke-linejoin=\"round\">\n");
    for (int k = 0; k < L->nrun && L->disp.trails; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible || !trail_drawable(&lr->r)) continue;
        svg_put(o, "<g class=\"runner\" data-runner=\"%d\">\n", k);
        trail_path(o, &lr->r, sv, th->halo, LOOK_TRAIL_HALO_W * sv->scale, "halo");
        trail_path(o, &lr->r, sv, live_runner_color(L, k), LOOK_TRAIL_W * sv->scale, "trail");
        svg_put(o, "</g>\n");
    }
    svg_put(o, "</g>\n");
}

/* Eigenvector arrows as scene_view.c's eigen_arrows: positive curvature pointing in,
 * negative out with "way out", length by |lambda|. */
static void eigen_arrows(svg_out *o, svg_metrics *mt, double cx, double cy, const crit_point *c, double scale,
                         const scene_theme *th)
{
    double l[2] = {c->l1, c->l2}, v[2][2] = {{c->v1[0], c->v1[1]}, {c->v2[0], c->v2[1]}};
    double big = fmax(fabs(l[0]), fabs(l[1])), maxlen = LOOK_EIG_LEN * scale;
    if (!(big > 0) || !isfinite(big)) return;
    for (int i = 0; i < 2; i++) {
        double len = fmax(maxlen * fabs(l[i]) / big, LOOK_EIG_MIN * scale);
        uint32_t col = look_eig_color(l[i]);
        const char *cls = l[i] < 0 ? "arrow out" : "arrow in";
        double dx = v[i][0] * len, dy = -v[i][1] * len, w = LOOK_EIG_W * scale, head = LOOK_EIG_HEAD * scale;
        for (int s = -1; s <= 1; s += 2) {
            double tx = cx + s * dx, ty = cy + s * dy;
            double ax = cx, ay = cy, bx = tx, by = ty;
            if (l[i] >= 0) {
                ax = tx;
                ay = ty;
                bx = cx + LOOK_EIG_IN_END * s * dx;
                by = cy + LOOK_EIG_IN_END * s * dy;
            }
            arrow(o, ax, ay, bx, by, w + LOOK_EIG_HALO_W * scale, head + LOOK_EIG_HALO_HEAD * scale, th->halo,
                  "arrow-halo");
            arrow(o, ax, ay, bx, by, w, head, col, cls);
        }
        if (l[i] < 0) {
            double tx = cx + dx * LOOK_WAY_OUT_AT, ty = cy + dy * LOOK_WAY_OUT_AT, px = LOOK_WAY_OUT_PX * scale;
            svg_text_at(o, mt, (float)(dx >= 0 ? tx + 2 : tx - 2), (float)(ty - px * 0.6), "way out",
                        (float)px, col, dx < 0, "way-out");
        }
    }
}

void svg_write_crit(svg_out *o, svg_metrics *mt, const live *L, const field_result *fr,
                    const scene_view *sv, const scene_theme *th)
{
    svg_put(o, "<g id=\"critical\">\n");
    const crit_point *cp = L->crit;
    int n = L->ncrit;
    if (n <= 0 && fr && fr->ncrit > 0) {
        cp = fr->crit;
        n = fr->ncrit;
    }
    for (int pass = 0; pass < 2 && L->disp.crit; pass++) {
        for (int i = 0; i < n; i++) {
            const crit_point *c = &cp[i];
            double px, py;
            svg_to_px(sv, c->x, c->y, &px, &py);
            float m = LOOK_CRIT_MARGIN;   /* sv->w + m in float, as ever */
            if (px < -m || px > sv->w + m || py < -m || py > sv->h + m) continue;
            if (pass == 0) {
                if (c->kind == CRIT_SADDLE && L->disp.saddle_arrows)
                    eigen_arrows(o, mt, px, py, c, sv->scale, th);
                continue;
            }
            scene_crit_look cl = scene_crit_look_of(c->kind);
            double r = LOOK_CRIT_R * sv->scale, ow = LOOK_CRIT_OW * sv->scale;
            svg_marker(o, cl.shape, px, py, r * cl.size, cl.fill, LOOK_OUTLINE, ow, cl.cls);
        }
    }
    svg_put(o, "</g>\n");
}

void svg_write_runners(svg_out *o, const live *L, const scene_view *sv, const scene_theme *th)
{
    double s = sv->scale, px, py;
    svg_put(o, "<g id=\"start\">\n");
    svg_to_px(sv, L->start[0], L->start[1], &px, &py);
    svg_marker(o, GFX_STAR, px, py, LOOK_START_R * s, th->start, LOOK_OUTLINE, LOOK_START_OW * s, "start");
    svg_put(o, "</g>\n<g id=\"runners\">\n");
    double R = LOOK_RUNNER_ARROW_R * s, reach = LOOK_RUNNER_ARROW_REACH;
    double hw = LOOK_RUNNER_ARROW_HALO_W * s, hh = LOOK_RUNNER_ARROW_HALO_HEAD * s;
    double w = LOOK_RUNNER_ARROW_W * s, head = LOOK_RUNNER_ARROW_HEAD * s;
    for (int k = 0; k < L->nrun; k++) {
        const double *p = scene_runner_shown(L, k);
        if (!p) continue;
        const runner *r = &L->run[k].r;
        uint32_t c = live_runner_color(L, k);
        svg_to_px(sv, p[0], p[1], &px, &py);
        if (!r->diverged && L->disp.grad_arrows) {
            double gx = r->j.gx, gy = r->j.gy, n = hypot(gx, gy);
            if (n > 0 && isfinite(n)) {
                double ex = px - gx / n * reach * R, ey = py + gy / n * reach * R;
                arrow(o, px, py, ex, ey, hw, hh, th->halo, "arrow-halo");
                arrow(o, px, py, ex, ey, w, head, LOOK_GRADIENT, "gradient");
            }
        }
        if (!r->diverged && L->disp.update_arrows && r->trail_len >= 2) {
            const double *q = runner_trail_at(r, 1);
            double dx = r->p[0] - q[0], dy = r->p[1] - q[1], n = hypot(dx, dy);
            if (n > 0 && isfinite(n)) {
                double ex = px + dx / n * reach * R, ey = py - dy / n * reach * R;
                arrow(o, px, py, ex, ey, hw, hh, th->halo, "arrow-halo");
                arrow(o, px, py, ex, ey, w, head, c, "update");
            }
        }
        if (r->diverged) {
            svg_marker(o, GFX_CROSS, px, py, LOOK_DIVERGED_R * s, c, th->halo, LOOK_DIVERGED_OW * s, "runner diverged");
        } else {
            if (k == L->selected && L->nrun > 1)
                svg_marker(o, GFX_RING, px, py, LOOK_SELECTED_R * s, th->start, 0, 0, "selected");
            svg_marker(o, GFX_CIRCLE, px, py, LOOK_RUNNER_R * s, c, LOOK_OUTLINE, LOOK_RUNNER_OW * s, "runner");
        }
    }
    svg_put(o, "</g>\n");
    /* runners outside the canvas: an arrow at its edge pointing to each, as
       scene_view.c's draw_offview */
    svg_put(o, "<g id=\"offview\">\n");
    scene_view cv = *sv;
    cv.x = cv.y = 0;
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    for (int k = 0; k < L->nrun && upp > 0; k++) {
        const double *p = scene_runner_shown(L, k);
        if (!p) continue;
        float a[4];
        if (!scene_offview_arrow(&cv, (p[0] - sv->view[0]) / upp, (sv->view[3] - p[1]) / upp, a)) continue;
        uint32_t c = live_runner_color(L, k);
        svg_put(o, "<g class=\"runner-away\" data-runner=\"%d\">\n", k);
        arrow(o, a[0], a[1], a[2], a[3], LOOK_AWAY_HALO_W * s, LOOK_AWAY_HALO_HEAD * s, th->halo, "arrow-halo");
        arrow(o, a[0], a[1], a[2], a[3], LOOK_AWAY_W * s, LOOK_AWAY_HEAD * s, c, "away");
        svg_marker(o, L->run[k].r.diverged ? GFX_CROSS : GFX_CIRCLE, a[0], a[1], LOOK_AWAY_MARK_R * s, c, LOOK_OUTLINE,
               LOOK_AWAY_MARK_OW * s, "mark");
        svg_put(o, "</g>\n");
    }
    svg_put(o, "</g>\n");
}

static void rounded_rect(svg_out *o, double x, double y, double w, double h, double r, const char *cls)
{
    svg_put(o, "<rect class=\"%s\" x=\"", cls);
    svg_num(o, x);
    svg_put(o, "\" y=\"");
    svg_num(o, y);
    svg_put(o, "\" width=\"");
    svg_num(o, fmax(w, 0));
    svg_put(o, "\" height=\"");
    svg_num(o, fmax(h, 0));
    svg_put(o, "\" rx=\"");
    svg_num(o, fmin(r, fmin(w, h) / 2));
    svg_put(o, "\"");
}

/* A runner's legend line: its hyperparameters, and where it diverged. */
void svg_row_label(const runner *r, char *buf, size_t len)
{
    scene_runner_label(r, buf, len);
    size_t o = strlen(buf);
    if (r->diverged) snprintf(buf + o, len - o, "   diverged at step %ld", r->diverged_at);
}

/* s wrapped at spaces (dropped) and after commas (kept) into lines no wider than w,
 * as scene_view.c wraps the window's legend: each line copied into lines_out[i]. */
#define SVG_SUB 4
static int svg_wrap(svg_metrics *mt, const char *s, float px, float w, char lines_out[][320], int room)
{
    int n = 0, len = (int)strlen(s), at = 0;
    char buf[320];
    while (at < len && n < room) {
        while (at < len && s[at] == ' ') at++;
        if (at >= len) break;
        int best = -1, end = at;
        while (end <= len) {
            int e = end;
            while (e < len && s[e] != ' ' && !(s[e] == ',' && e + 1 < len && s[e + 1] != ' ')) e++;
            int stop = e < len && s[e] == ',' ? e + 1 : e;
            snprintf(buf, sizeof buf, "%.*s", stop - at, s + at);
            if (best >= 0 && svg_text_width(mt, buf, px) > w) break;
            best = stop;
            if (e >= len) break;
            end = e + 1;
        }
        if (n == room - 1) best = len;   /* the last line takes the rest (clipped) */
        snprintf(lines_out[n++], 320, "%.*s", best - at, s + at);
        at = best;
    }
    return n;
}

/* The legend as scene_view.c's draw_legend: the landscape, then one row per runner
 * (swatch line, marker, label), in a rounded box at the top left. */
/* The legend's rows, wrapped to the canvas as in the window, and where each goes. */
typedef struct legend_rows {
    char sub[LIVE_MAX_RUNNERS + 2][SVG_SUB][320];
    int nsub[LIVE_MAX_RUNNERS + 2], n;
    float ys[LIVE_MAX_RUNNERS + 2], rh[LIVE_MAX_RUNNERS + 2];
    float s, tp, lh, pad, sw, w;     /* scale, text size, line height, padding, swatch, width */
    float bx, by, bw, bh;            /* the box */
} legend_rows;

static void legend_layout(legend_rows *R, svg_metrics *mt, const live *L, const scene_view *sv, int undefined)
{
    float s = R->s = sv->scale, tp = R->tp = 14 * s;
    float lh = R->lh = svg_line_height(mt, tp) * 1.15f, pad = R->pad = 9 * s, sw = R->sw = 26 * s;
    char lines[LIVE_MAX_RUNNERS + 2][320];
    int n = 0;
    live_landscape_name(L, lines[n++], sizeof lines[0]);
    for (int k = 0; k < L->nrun; k++) svg_row_label(&L->run[k].r, lines[n++], sizeof lines[0]);
    if (undefined) snprintf(lines[n++], sizeof lines[0], "loss undefined here (not a number)");
    R->n = n;
    /* rows too long for the canvas wrapped, as in the window */
    float maxw = sv->w - 2 * pad - 20 * s, w = 0, yy = 10 * s + pad;
    for (int i = 0; i < n; i++) {
        float room = maxw - (i > 0 ? sw + 6 * s : 0);
        R->nsub[i] = svg_text_width(mt, lines[i], tp) <= room ? (snprintf(R->sub[i][0], 320, "%s", lines[i]), 1)
                                                          : svg_wrap(mt, lines[i], tp, room, R->sub[i], SVG_SUB);
        if (R->nsub[i] < 1) R->nsub[i] = 1, R->sub[i][0][0] = 0;
        for (int j = 0; j < R->nsub[i]; j++)
            w = fmaxf(w, svg_text_width(mt, R->sub[i][j], tp) + (i > 0 ? sw + 6 * s : 0));
        R->ys[i] = yy;
        R->rh[i] = lh * (1 + (float)(R->nsub[i] - 1) * 0.87f);
        yy += R->rh[i];
    }
    R->w = w = fminf(w, maxw);
    R->bx = 10 * s, R->by = 10 * s, R->bw = w + 2 * pad, R->bh = yy - R->by + pad;
}

/* Row i's wrapped text, right of its swatch. */
static void legend_text(svg_out *o, svg_metrics *mt, const legend_rows *R, int i, uint32_t colour)
{
    for (int j = 0; j < R->nsub[i]; j++)
        svg_text_at(o, mt, R->bx + R->pad + R->sw + 6 * R->s + (j > 0 ? 10 * R->s : 0),
                    R->ys[i] + (float)j * R->lh * 0.87f, R->sub[i][j], R->tp, colour, 0, "label");
}

static void legend_runner(svg_out *o, svg_metrics *mt, const legend_rows *R, const live *L, int k,
                          const scene_theme *th)
{
    const live_runner *lr = &L->run[k];
    float s = R->s, bx = R->bx, pad = R->pad, sw = R->sw, y = R->ys[k + 1], my = y + R->lh * 0.45f;
    uint32_t c = live_runner_color(L, k);
    if (!lr->visible) c = GFX_WITH_ALPHA(c, 0x50);
    svg_put(o, "<g class=\"row\" data-runner=\"%d\">\n<path class=\"swatch\" d=\"M", k);
    svg_pt(o, bx + pad, my);
    svg_put(o, " H");
    svg_num(o, bx + pad + sw);
    svg_put(o, "\" stroke-width=\"");
    svg_num(o, 3 * s);
    svg_put(o, "\"");
    svg_paint(o, "stroke", c);
    svg_put(o, "/>\n");
    if (lr->r.diverged)
        svg_marker(o, GFX_CROSS, bx + pad + sw / 2, my, LOOK_F(LOOK_LEGEND_CROSS_R) * s, c, 0, 0, "mark");
    else
        svg_marker(o, GFX_CIRCLE, bx + pad + sw / 2, my, LOOK_F(LOOK_LEGEND_DOT_R) * s, c, LOOK_OUTLINE,
               LOOK_LEGEND_DOT_OW * s, "mark");
    legend_text(o, mt, R, k + 1, lr->r.diverged ? 0xff6a4dffu : lr->visible ? th->text : th->text_dim);
    if (k == L->selected && L->nrun > 1) {
        rounded_rect(o, bx + 3 * s + 0.5, y - 0.5, R->w + 2 * pad - 6 * s - 1, R->rh[k + 1] - 1, 3 * s, "selected");
        svg_put(o, " fill=\"none\" stroke-width=\"1\"");
        svg_paint(o, "stroke", th->text_dim);
        svg_put(o, "/>\n");
    }
    svg_put(o, "</g>\n");
}

/* The field's mark for undefined points: grey, hatched. */
static void legend_undefined(svg_out *o, svg_metrics *mt, const legend_rows *R, const scene_theme *th)
{
    float s = R->s, bx = R->bx, pad = R->pad, sw = R->sw, lh = R->lh;
    float y = R->ys[R->n - 1], hh = lh * 0.7f, y0 = y + (lh - hh) / 2;
    svg_put(o, "<g class=\"row undefined\">\n<rect class=\"swatch\" x=\"");
    svg_num(o, bx + pad);
    svg_put(o, "\" y=\"");
    svg_num(o, y0);
    svg_put(o, "\" width=\"");
    svg_num(o, sw);
    svg_put(o, "\" height=\"");
    svg_num(o, hh);
    svg_put(o, "\"");
    svg_paint(o, "fill", GFX_UNDEFINED_GREY);
    svg_put(o, "/>\n");
    for (float x = 0; x + hh <= sw; x += 5 * s) {
        svg_put(o, "<path class=\"hatch\" d=\"M");
        svg_pt(o, bx + pad + x, y0 + hh);
        svg_put(o, " L");
        svg_pt(o, bx + pad + x + hh, y0);
        svg_put(o, "\" stroke-width=\"");
        svg_num(o, 1.2 * s);
        svg_put(o, "\"");
        svg_paint(o, "stroke", GFX_UNDEFINED_HATCH);
        svg_put(o, "/>\n");
    }
    legend_text(o, mt, R, R->n - 1, th->text_dim);
    svg_put(o, "</g>\n");
}

void svg_write_legend(svg_out *o, svg_metrics *mt, const live *L, const scene_view *sv, const scene_theme *th,
                      int undefined)
{
    svg_put(o, "<g id=\"legend\">\n");
    legend_rows *R = malloc(sizeof *R);   /* 23 KB of wrapped text: not on a small stack */
    if (!R) {
        svg_put(o, "</g>\n");
        return;
    }
    legend_layout(R, mt, L, sv, undefined);
    float s = R->s, bx = R->bx, by = R->by, bw = R->bw, bh = R->bh;
    svg_put(o, "<clipPath id=\"legend-clip\"><rect x=\"");
    svg_num(o, bx);
    svg_put(o, "\" y=\"");
    svg_num(o, by);
    svg_put(o, "\" width=\"");
    svg_num(o, fmaxf(bw, 0));
    svg_put(o, "\" height=\"");
    svg_num(o, bh);
    svg_put(o, "\"/></clipPath>\n");
    rounded_rect(o, bx, by, bw, bh, 6 * s, "box");
    svg_paint(o, "fill", th->box);
    svg_put(o, "/>\n");
    rounded_rect(o, bx + 0.5, by + 0.5, bw - 1, bh - 1, 6 * s - 0.5, "box-edge");
    svg_put(o, " fill=\"none\" stroke-width=\"1\"");
    svg_paint(o, "stroke", th->box_edge);
    svg_put(o, "/>\n<g clip-path=\"url(#legend-clip)\">\n");
    for (int j = 0; j < R->nsub[0]; j++)
        svg_text_at(o, mt, bx + R->pad + (j > 0 ? 10 * s : 0), R->ys[0] + (float)j * R->lh * 0.87f, R->sub[0][j],
                    R->tp, th->text_dim, 0, "title");
    for (int k = 0; k < L->nrun; k++) legend_runner(o, mt, R, L, k, th);
    if (undefined) legend_undefined(o, mt, R, th);
    svg_put(o, "</g>\n</g>\n");
    free(R);
}

/* ---- the cross-section ---------------------------------------------------------- */

static void line(svg_out *o, double x0, double y0, double x1, double y1, double width, uint32_t rgba,
                 const char *cls)
{
    svg_put(o, "<path class=\"%s\" d=\"M", cls);
    svg_pt(o, x0, y0);
    svg_put(o, " L");
    svg_pt(o, x1, y1);
    svg_put(o, "\" fill=\"none\" stroke-width=\"");
    svg_num(o, width);
    svg_put(o, "\" stroke-linecap=\"round\"");
    svg_paint(o, "stroke", rgba);
    svg_put(o, "/>\n");
}

/* A minimum along the line: a ring with a halo, as the window draws it. */
static void section_ring(svg_out *o, double x, double y, double r, const scene_theme *th)
{
    svg_marker(o, GFX_RING, x, y, r + 1, th->halo, 0, 0, "halo");
    svg_marker(o, GFX_RING, x, y, r, th->text, 0, 0, "along-min");
}

static void section_end(svg_out *o, svg_metrics *mt, const char *s, double cx, double cy, float scale,
                        const scene_theme *th)
{
    float tp = 12 * scale, w = svg_text_width(mt, s, tp), h = svg_line_height(mt, tp), pad = 3 * scale;
    rounded_rect(o, cx - 0.5 * w - pad, cy - 0.5 * h - 1, w + 2 * pad, h + 2, 3 * scale, "end");
    svg_paint(o, "fill", th->box);
    svg_put(o, "/>\n");
    svg_text_at(o, mt, (float)(cx - 0.5 * w), (float)(cy - 0.5 * h), s, tp, th->text, 0, "end-label");
}

static float section_svg_width(void *user, const char *s, float px) { return svg_text_width(user, s, px); }

static void section_plot_mark_svg(svg_out *o, const section_plot_mark *m, float scale, const scene_theme *th)
{
    if (m->kind < 0) return;
    if (m->along) {
        section_ring(o, m->x, m->y, 7.5 * scale, th);
    } else {
        scene_crit_look cl = scene_crit_look_of(m->kind);
        svg_marker(o, cl.shape, m->x, m->y, LOOK_CRIT_R * scale * cl.size, cl.fill, LOOK_OUTLINE, LOOK_CRIT_OW * scale,
               cl.cls);
    }
}

static void section_plot_svg(svg_out *o, svg_metrics *mt, const live *L, const scene_view *sv,
                             const scene_theme *th, const section_info *si)
{
    float avoid[1][4], R[4], s = sv->scale;
    int navoid = 0;
    legend_rows *lr = L->disp.legend ? malloc(sizeof *lr) : NULL;
    if (lr) {
        legend_layout(lr, mt, L, sv, 0);
        avoid[0][0] = lr->bx, avoid[0][1] = lr->by, avoid[0][2] = lr->bw, avoid[0][3] = lr->bh;
        navoid = 1;
        free(lr);
    }
    /* clear of the legend, and of the critical points where it can be, as the window */
    float soft[LIVE_MAX_CRIT][4];
    int nc = 0;
    for (int i = 0; i < L->ncrit && L->disp.crit; i++) {
        double px, py;
        svg_to_px(sv, L->crit[i].x, L->crit[i].y, &px, &py);
        if (px < 0 || px > sv->w || py < 0 || py > sv->h) continue;
        section_crit_box(L->crit[i].kind, L->disp.saddle_arrows, (float)px, (float)py, s, soft[nc++]);
    }
    float canvas[4] = {0, 0, sv->w, sv->h};
    section_plot_place(canvas, s, (const float(*)[4])avoid, navoid, (const float(*)[4])soft, nc, R);
    if (R[2] < 60 || R[3] < 40) return;
    section_plot *p = malloc(sizeof *p);
    if (!p) return;
    section_plot_layout(p, si, R, s, section_svg_width, mt);
    svg_put(o, "<g id=\"section-plot\">\n<clipPath id=\"section-clip\"><rect x=\"");
    svg_num(o, R[0]);
    svg_put(o, "\" y=\"");
    svg_num(o, R[1]);
    svg_put(o, "\" width=\"");
    svg_num(o, R[2]);
    svg_put(o, "\" height=\"");
    svg_num(o, R[3]);
    svg_put(o, "\"/></clipPath>\n");
    rounded_rect(o, R[0], R[1], R[2], R[3], 6 * s, "box");
    svg_paint(o, "fill", th->box);
    svg_put(o, "/>\n");
    rounded_rect(o, R[0] + 0.5, R[1] + 0.5, R[2] - 1, R[3] - 1, 6 * s - 0.5, "box-edge");
    svg_put(o, " fill=\"none\" stroke-width=\"1\"");
    svg_paint(o, "stroke", th->box_edge);
    svg_put(o, "/>\n<g clip-path=\"url(#section-clip)\">\n");
    const float *A = p->ax;
    if (A[2] > 0) {
        if (isfinite(p->zero_y)) line(o, A[0], p->zero_y, A[0] + A[2], p->zero_y, 1, th->grid, "zero");
        line(o, A[0], A[1] + A[3], A[0] + A[2], A[1] + A[3], 1, th->text_dim, "axis");
        line(o, A[0], A[1], A[0], A[1] + A[3], 1, th->text_dim, "axis");
        svg_put(o, "<path class=\"section-curve\" d=\"");
        int pen = 0;
        for (int i = 0; i < p->npts; i++) {
            if (!isfinite(p->pts[2 * i + 1])) { pen = 0; continue; }
            svg_put(o, pen ? " L" : " M");
            svg_pt(o, p->pts[2 * i], p->pts[2 * i + 1]);
            pen = 1;
        }
        svg_put(o, "\" fill=\"none\" stroke-linejoin=\"round\" stroke-width=\"");
        svg_num(o, 1.8 * s);
        svg_put(o, "\"");
        svg_paint(o, "stroke", th->text);
        svg_put(o, "/>\n");
        for (int pass = 0; pass < 2; pass++)
            for (int k = 0; k < p->nmark; k++)
                if (p->mark[k].along == pass) section_plot_mark_svg(o, &p->mark[k], s, th);
    }
    for (int r = 0; r < p->nrow; r++) {
        section_plot_mark_svg(o, &p->row_mark[r], 0.8f * s, th);
        svg_text_at(o, mt, p->row[r].x, p->row[r].y, p->row[r].s, p->tp, th->text, 0, "mark-label");
    }
    for (int k = 0; k < p->ntext; k++)
        svg_text_at(o, mt, p->text[k].x, p->text[k].y, p->text[k].s, p->tp, p->text[k].dim ? th->text_dim : th->text,
                    0, "label");
    svg_put(o, "</g>\n</g>\n");
    free(p);
}

void svg_write_section(svg_out *o, svg_metrics *mt, const live *L, const scene_view *sv, const scene_theme *th,
                       int over)
{
    if (!scene_section_shown(L)) return;
    const double *seg = L->section.seg;
    double ax, ay, bx, by, s = sv->scale;
    svg_to_px(sv, seg[0], seg[1], &ax, &ay);
    svg_to_px(sv, seg[2], seg[3], &bx, &by);
    if (!over) {
        svg_put(o, "<g id=\"section\">\n");
        line(o, ax, ay, bx, by, 4.5 * s, th->halo, "halo");
        line(o, ax, ay, bx, by, 2 * s, th->text, "segment");
        svg_marker(o, GFX_CIRCLE, ax, ay, 4 * s, th->text, th->halo, 1.2 * s, "end");
        svg_marker(o, GFX_CIRCLE, bx, by, 4 * s, th->text, th->halo, 1.2 * s, "end");
        double dx = bx - ax, dy = by - ay, len = hypot(dx, dy), off = 13 * s;
        double ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
        section_end(o, mt, "A", ax - ux * off, ay - uy * off, (float)s, th);
        section_end(o, mt, "B", bx + ux * off, by + uy * off, (float)s, th);
        svg_put(o, "</g>\n");
        return;
    }
    section_info *si = malloc(sizeof *si);
    if (!si) return;
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    section_compute(si, &L->ls.fn, seg, L->crit, L->ncrit, SECTION_CROSS_PX * s * upp);
    svg_put(o, "<g id=\"section-minima\">\n");
    for (int k = 0; k < si->nmin; k++) {
        double x, y, px, py;
        section_point(seg, si->min[k].t, &x, &y);
        svg_to_px(sv, x, y, &px, &py);
        section_ring(o, px, py, 9.5 * s, th);
    }
    svg_put(o, "</g>\n");
    section_plot_svg(o, mt, L, sv, th, si);
    free(si);
}
