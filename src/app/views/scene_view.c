/* scene_view: the canvas. Coordinates go from world to pixels in double and are
 * clamped to a generous box before they become float, so a runner 1e12 away or a
 * view 1e-6 wide draws without overflow or jitter. */
#include "app/views/scene_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contour.h"
#include "core/expr.h"
#include "core/field.h"
#include "core/linalg2.h"
#include "core/optim.h"
#include "style/fieldmap.h"
#include "style/look.h"

#define PX_LIMIT 1.0e6

void scene_to_px(const scene_view *sv, double x, double y, float *px, float *py)
{
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    double X = sv->x + (x - sv->view[0]) / upp;
    double Y = sv->y + (sv->view[3] - y) / upp;
    if (!(X > -PX_LIMIT)) X = -PX_LIMIT;
    if (!(X < PX_LIMIT)) X = PX_LIMIT;
    if (!(Y > -PX_LIMIT)) Y = -PX_LIMIT;
    if (!(Y < PX_LIMIT)) Y = PX_LIMIT;
    *px = (float)X;
    *py = (float)Y;
}

void scene_from_px(const scene_view *sv, float px, float py, double *x, double *y)
{
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    *x = sv->view[0] + ((double)px - sv->x) * upp;
    *y = sv->view[3] - ((double)py - sv->y) * upp;
}

void scene_field_upload(gfx *g, scene_field *sf, const field_result *r)
{
    gfx_field_upload(g, r->loss, r->lmax && r->lw > 0 ? r->lmax : NULL, r->w, r->h);
    sf->valid = 1;
    memcpy(sf->view, r->view, sizeof sf->view);
    sf->vmin = r->vmin;
    sf->vmax = r->vmax;
    sf->offset = r->offset;
    sf->has_lmax = r->lmax && r->lw > 0;
    sf->has_nan = 0;
    for (size_t i = 0, n = (size_t)r->w * (size_t)r->h; r->loss && i < n && !sf->has_nan; i++)
        sf->has_nan = r->loss[i] != r->loss[i];
    sf->gen = r->gen;
}

scene_theme scene_theme_of(const live *L)
{
    if (L->disp.cmap == STYLE_CMAP_LIGHT)
        return (scene_theme){
            .bg = 0xffffffffu, .text = 0x1a1d22ffu, .text_dim = 0x5a6270ffu,
            .box = 0xfffffff2u, .box_edge = 0x2a2f3840u, .halo = 0xffffffd0u,
            .start = 0x1a1d22ffu, .grid = 0x1a1d2230u,
        };
    return (scene_theme){
        .bg = 0x14161affu, .text = 0xf2f4f8ffu, .text_dim = 0xaab2c0ffu,
        .box = 0x14161aeeu, .box_edge = 0xffffff30u, .halo = 0x000000a0u,
        .start = 0xffffffffu, .grid = 0xffffff30u,
    };
}

/* ---- labels ------------------------------------------------------------------ */

static const char *pretty_key(const char *k, size_t n)
{
    static const struct { const char *key, *shown; } names[] = {
        {"beta1", "β1"}, {"beta2", "β2"}, {"eps", "ε"}, {"weight_decay", "wd"},
        {"momentum", "μ"}, {"dampening", "damp"}, {"alpha", "α"}, {"rho", "ρ"},
        {"momentum_decay", "ψ"}, {"initial_accumulator_value", "acc0"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i].key) == n && strncmp(names[i].key, k, n) == 0) return names[i].shown;
    return NULL;
}

/* "k=v,k=v" with every number v at most 4 significant digits. */
static void short_values(const char *in, char *out, size_t len)
{
    size_t o = 0;
    if (!len) return;
    while (*in && o + 1 < len) {
        if (*in == '=') {
            char *e;
            double x = strtod(in + 1, &e);
            if (e != in + 1 && (*e == 0 || *e == ',' || *e == ']' || *e == ' ') && isfinite(x)) {
                int n = snprintf(out + o, len - o, "=%.4g", x);
                if (n < 0 || (size_t)n >= len - o) break;
                o += (size_t)n;
                in = e;
                continue;
            }
        }
        out[o++] = *in++;
    }
    out[o] = 0;
}

void scene_runner_label(const runner *r, char *buf, size_t len)
{
    char spec[256];
    optim_format(&r->d.opt, spec, sizeof spec);
    const optim_info *info = optim_info_of(r->d.opt.kind);
    const char *name = info ? info->name : "?";
    size_t o = 0;
    int n;
    /* a readable name for the SGD family, which differ only by flags */
    const char *shown = name;
    if (r->d.opt.kind == OPTIM_SGD && r->d.opt.momentum > 0)
        shown = r->d.opt.nesterov ? "nesterov" : "momentum";
    n = snprintf(buf, len, "%s  lr=%.4g", shown, r->d.opt.lr);
    if (n < 0 || (size_t)n >= len) return;
    o = (size_t)n;
    if (r->d.opt.kind == OPTIM_ADAM || r->d.opt.kind == OPTIM_ADAMW ||
        r->d.opt.kind == OPTIM_NADAM || r->d.opt.kind == OPTIM_RADAM ||
        r->d.opt.kind == OPTIM_ADAMAX) {
        n = snprintf(buf + o, len - o, " β1=%.4g β2=%.4g", r->d.opt.beta1, r->d.opt.beta2);
        if (n < 0 || (size_t)n >= len - o) return;
        o += (size_t)n;
    }
    /* then everything else that differs from torch's defaults */
    const char *p = strchr(spec, ':');
    while (p && *p) {
        p++;
        const char *eq = strchr(p, '=');
        if (!eq) break;
        const char *end = strchr(eq, ',');
        if (!end) end = eq + strlen(eq);
        size_t kn = (size_t)(eq - p);
        int skip = (kn == 2 && strncmp(p, "lr", 2) == 0) ||
                   (kn == 5 && (strncmp(p, "beta1", 5) == 0 || strncmp(p, "beta2", 5) == 0)) ||
                   (kn == 8 && strncmp(p, "nesterov", 8) == 0 && r->d.opt.kind == OPTIM_SGD);
        if (!skip) {
            /* numbers with at most 4 significant digits (a dragged slider's value
               has 16); flags and names as they are */
            const char *pk = pretty_key(p, kn);
            char val[48], *vend;
            int vn = (int)(end - eq - 1);
            snprintf(val, sizeof val, "%.*s", vn < 47 ? vn : 47, eq + 1);
            double x = strtod(val, &vend);
            if (vend != val && *vend == 0 && isfinite(x)) snprintf(val, sizeof val, "%.4g", x);
            if (pk) n = snprintf(buf + o, len - o, " %s=%s", pk, val);
            else n = snprintf(buf + o, len - o, " %.*s=%s", (int)kn, p, val);
            if (n < 0 || (size_t)n >= len - o) return;
            o += (size_t)n;
        }
        p = end;
    }
    if (r->d.sched.kind != SCHED_CONSTANT || r->d.sched.warmup > 0) {
        char s[128], ss[128];
        sched_format(&r->d.sched, s, sizeof s);
        short_values(s, ss, sizeof ss);
        n = snprintf(buf + o, len - o, "  [%s → lr %.4g]", ss, r->next_lr);
        if (n < 0 || (size_t)n >= len - o) return;
        o += (size_t)n;
    }
    if (r->d.noise > 0) {
        n = snprintf(buf + o, len - o, " σ=%.4g", r->d.noise);
        if (n < 0 || (size_t)n >= len - o) return;
        o += (size_t)n;
    }
    if (r->d.data && r->d.batch > 0)
        snprintf(buf + o, len - o, " batch=%d%s", r->d.batch, r->d.shuffle ? "" : " unshuffled");
}

/* ---- pieces ------------------------------------------------------------------ */

int scene_overlay_runner(const live *L)
{
    return L->nrun > 0 && L->selected >= 0 && L->selected < L->nrun ? L->selected : -1;
}

int scene_wants_lmax(const live *L) { return L->disp.stab && scene_overlay_runner(L) >= 0; }

static void draw_field(gfx *g, const live *L, const scene_field *sf, const scene_view *sv,
                       const scene_theme *th)
{
    if (!sf->valid) {
        /* the field paints its own background; before the first one, the theme's */
        if (!sv->transparent) gfx_rect(g, sv->x, sv->y, sv->w, sv->h, 0, th->bg);
        return;
    }
    float x0, y0, x1, y1;
    scene_to_px(sv, sf->view[0], sf->view[3], &x0, &y0);
    scene_to_px(sv, sf->view[1], sf->view[2], &x1, &y1);
    fieldmap fm = fieldmap_of(sf->vmin, sf->vmax);
    float stab = 0;
    int sel = scene_overlay_runner(L);
    if (L->disp.stab && sf->has_lmax && sel >= 0) stab = (float)L->run[sel].r.next_lr;
    gfx_field_style st = {
        .dst = {x0, y0, x1 - x0, y1 - y0},
        .clip = {sv->x, sv->y, sv->w, sv->h},
        .cmap = L->disp.cmap,
        .vmin = sf->vmin, .vmax = sf->vmax,
        .log_scale = 1, .log_floor = fm.floor_,
        .iso = L->disp.iso,
        .iso_step = (float)fm.iso_step,
        .iso_width = 1.1f * sv->scale,
        .iso_alpha = L->disp.cmap == STYLE_CMAP_LIGHT ? 0.55f : 0.45f,
        .hillshade = L->disp.hillshade,
        .stab_lr = stab,
        .background = sv->transparent ? 0 : th->bg,
        .no_fill = sv->transparent,
    };
    gfx_field_draw(g, &st);
}

/* A runner's trail, oldest to newest, as drawn: the newest points exact (closer
 * than half a pixel skipped), older ones no closer than the line is wide, so a
 * trail crawling a valley for 50 000 steps costs what a short one does (the trail
 * itself, for rewind, is untouched); the alpha fades with age so the present
 * stands out. */
static float *trail_buf;
static uint32_t *trail_col;
static int trail_bufcap;

#define TRAIL_EXACT 48   /* newest points drawn at half-pixel spacing */

static int trail_points(const runner *r, const scene_view *sv, uint32_t color, int fade, int light,
                        int *nout)
{
    int n = r->trail_len;
    if (n > trail_bufcap) {
        float *b = realloc(trail_buf, (size_t)n * 2 * sizeof *b);
        uint32_t *c = realloc(trail_col, (size_t)n * sizeof *c);
        if (b) trail_buf = b;
        if (c) trail_col = c;
        if (!b || !c) return -1;
        trail_bufcap = n;
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
        trail_buf[2 * m] = px;
        trail_buf[2 * m + 1] = py;
        trail_col[m] = GFX_WITH_ALPHA(color, (uint32_t)(a * (float)(color & 0xff)));
        lx = px;
        ly = py;
        m++;
    }
    *nout = m;
    return 0;
}

static void draw_trails(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible) continue;
        uint32_t c = live_runner_color(L, k);
        int m, light = L->disp.cmap == STYLE_CMAP_LIGHT;
        if (trail_points(&lr->r, sv, th->halo, L->disp.fade, light, &m) != 0 || m < 2) continue;
        gfx_polyline(g, trail_buf, m, LOOK_F(LOOK_TRAIL_HALO_W) * sv->scale, trail_col, 0);
        trail_points(&lr->r, sv, c, L->disp.fade, light, &m);
        gfx_polyline(g, trail_buf, m, LOOK_F(LOOK_TRAIL_W) * sv->scale, trail_col, 0);
    }
}

static void draw_ghosts(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!sv->dragging_start || !L->ghost_on) return;
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible) continue;
        uint32_t c = GFX_WITH_ALPHA(live_runner_color(L, k), 0xc0);
        int m;
        if (trail_points(&lr->ghost, sv, th->halo, 0, 0, &m) != 0 || m < 2) continue;
        for (int i = 0; i < m; i++) trail_col[i] = GFX_WITH_ALPHA(th->halo, 0x60);
        gfx_polyline(g, trail_buf, m, 3.5f * sv->scale, trail_col, 0);
        gfx_polyline(g, trail_buf, m, 1.5f * sv->scale, NULL, c);
        float ex = trail_buf[2 * (m - 1)], ey = trail_buf[2 * (m - 1) + 1];
        gfx_marker(g, GFX_CIRCLE, ex, ey, 3.5f * sv->scale, c, th->halo, 1);
    }
}

static float rect_overlap(const float a[4], const float b[4])
{
    float w = fminf(a[0] + a[2], b[0] + b[2]) - fmaxf(a[0], b[0]);
    float h = fminf(a[1] + a[3], b[1] + b[3]) - fmaxf(a[1], b[1]);
    return w > 0 && h > 0 ? w * h : 0;
}

/* Eigenvector arrows at a point: positive curvature pointing in (the point attracts
 * along it), negative pointing out (the way off a saddle), length by |lambda|. */
static void eigen_arrows(gfx *g, float cx, float cy, const double l[2], double v[2][2],
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
static void draw_crit_labels(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
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
        for (int q = 0; q < nd && !clash; q++) clash = rect_overlap(r, done[q]) > 0;
        if (clash) continue;
        memcpy(done[nd++], r, sizeof r);
        float pad = 3 * sv->scale;
        gfx_rect(g, r[0], r[1], r[2], r[3], 3 * sv->scale, th->box);
        gfx_text(g, r[0] + pad, r[1] + pad, "way out", -1, LOOK_F(LOOK_WAY_OUT_PX) * sv->scale,
                 L->disp.cmap == STYLE_CMAP_LIGHT ? 0xc0391bffu : 0xff7a5cffu);
    }
}

static void draw_crit(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
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
            eigen_arrows(g, px, py, l, v, LOOK_F(LOOK_EIG_LEN) * sv->scale, sv->scale, 1, th);
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

static void draw_runner_marks(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
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
static void draw_offview(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
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

static void draw_start(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    float px, py;
    scene_to_px(sv, L->start[0], L->start[1], &px, &py);
    gfx_marker(g, GFX_STAR, px, py, LOOK_F(LOOK_START_R) * sv->scale, th->start, LOOK_OUTLINE,
               LOOK_F(LOOK_START_OW) * sv->scale);
}

static void fmt_num(char *b, size_t n, double v)
{
    if (v == 0) snprintf(b, n, "0");
    else snprintf(b, n, "%.4g", v);
    /* a real minus sign reads better on a projector */
    if (b[0] == '-') {
        memmove(b + 3, b + 1, strlen(b));
        memcpy(b, "\xe2\x88\x92", 3);
    }
}

static void draw_box(gfx *g, float x, float y, float w, float h, float scale, const scene_theme *th)
{
    gfx_rect(g, x, y, w, h, 6 * scale, th->box);
    gfx_rect_outline(g, x, y, w, h, 6 * scale, 1, th->box_edge);
}

/* The read-out's lines at the pointer; how many. */
static int hover_lines(const live *L, const scene_view *sv, char lines[7][160], jet2 *jo, eig2 *eo)
{
    jet2 j = lsfn_jet(&L->ls.fn, sv->hx, sv->hy);
    eig2 e = eig2_sym(j.hxx, j.hxy, j.hyy);
    char a[40], b[40], c[40];
    int n = 0;
    fmt_num(a, sizeof a, sv->hx);
    fmt_num(b, sizeof b, sv->hy);
    snprintf(lines[n++], 160, "x = %s   y = %s", a, b);
    fmt_num(a, sizeof a, j.v);
    snprintf(lines[n++], 160, "f = %s", a);
    fmt_num(a, sizeof a, j.gx);
    fmt_num(b, sizeof b, j.gy);
    fmt_num(c, sizeof c, hypot(j.gx, j.gy));
    snprintf(lines[n++], 160, "∇f = (%s, %s)   |∇f| = %s", a, b, c);
    fmt_num(a, sizeof a, e.l1);
    snprintf(lines[n++], 160, "λ1 = %s   v1 = (%.3f, %.3f)", a, e.v1[0], e.v1[1]);
    fmt_num(a, sizeof a, e.l2);
    snprintf(lines[n++], 160, "λ2 = %s   v2 = (%.3f, %.3f)", a, e.v2[0], e.v2[1]);
    const char *shape = !(isfinite(e.l1) && isfinite(e.l2)) ? "curvature undefined here"
                        : e.l1 > 0 ? "curves up both ways (bowl)"
                        : e.l2 < 0 ? "curves down both ways (cap)"
                        : e.l1 < 0 && e.l2 > 0 ? "curves up and down (saddle-like)"
                                               : "flat in one direction";
    snprintf(lines[n++], 160, "%s", shape);
    if (L->nrun > 0 && L->selected < L->nrun && isfinite(e.l2) && e.l2 > 0) {
        fmt_num(a, sizeof a, 2.0 / e.l2);
        snprintf(lines[n++], 160, "GD stable here for lr < 2/λmax = %s", a);
    }
    if (jo) *jo = j;
    if (eo) *eo = e;
    return n;
}

/* The boxes drawn over the map that the read-out keeps off: the caption, the
 * legend, the chart and its timeline; how many. */
static int hover_obstacles(gfx *g, const live *L, const scene_view *sv, float ob[4][4])
{
    int n = 0;
    if (scene_caption_rect(g, L, sv, ob[n])) n++;
    if (scene_legend_rect(g, L, sv, NULL, ob[n])) n++;
    if (scene_chart_shown(L)) {
        scene_chart_rect(sv, ob[n]);
        n++;
        float T[4];
        if (scene_timeline_rect(L, sv, T)) {
            ob[n][0] = T[0], ob[n][1] = T[1], ob[n][2] = T[2];
            ob[n][3] = T[3] + gfx_line_height(g, 11 * sv->scale) + 4 * sv->scale;
            n++;
        }
    }
    return n;
}

static int hover_layout(gfx *g, const live *L, const scene_view *sv, int nlines, char lines[7][160], float out[4])
{
    if (!sv->hover || !L->disp.hover || sv->scrubbing) return 0;
    float px, py;
    scene_to_px(sv, sv->hx, sv->hy, &px, &py);
    float ob[4][4];
    int nob = hover_obstacles(g, L, sv, ob);
    /* the pointer on a box: the box is what is looked at, not the map */
    for (int i = 0; i < nob; i++)
        if (px >= ob[i][0] && px <= ob[i][0] + ob[i][2] && py >= ob[i][1] && py <= ob[i][1] + ob[i][3]) return 0;
    float s = sv->scale, tp = 13 * s, lh = gfx_line_height(g, tp), pad = 8 * s, w = 0;
    for (int i = 0; i < nlines; i++) w = fmaxf(w, gfx_text_width(g, lines[i], -1, tp));
    float bw = w + 2 * pad, bh = nlines * lh + 2 * pad, d = 18 * s, m = 4 * s;
    /* beside the pointer first; where every such place covers a critical point, a
       free corner of the canvas */
    float cand[12][2] = {
        {px + d, py + d}, {px + d, py - d - bh}, {px - d - bw, py + d}, {px - d - bw, py - d - bh},
        {px - bw / 2, py - d - bh}, {px - bw / 2, py + d}, {px + d, py - bh / 2}, {px - d - bw, py - bh / 2},
        {sv->x + sv->w, sv->y}, {sv->x + sv->w, sv->y + sv->h}, {sv->x, sv->y}, {sv->x, sv->y + sv->h},
    };
    float best = INFINITY;
    for (int c = 0; c < 12; c++) {
        float r[4] = {cand[c][0], cand[c][1], bw, bh};
        if (r[0] + bw > sv->x + sv->w - m) r[0] = sv->x + sv->w - m - bw;
        if (r[1] + bh > sv->y + sv->h - m) r[1] = sv->y + sv->h - m - bh;
        if (r[0] < sv->x + m) r[0] = sv->x + m;
        if (r[1] < sv->y + m) r[1] = sv->y + m;
        float score = c < 8 ? (float)c : 100.0f + (float)c;   /* the nearer, plainer places first */
        for (int i = 0; i < nob; i++) score += 100.0f * rect_overlap(r, ob[i]);
        /* never over the pointer itself (a clamp can push it there) */
        float pr[4] = {px - 6 * s, py - 6 * s, 12 * s, 12 * s};
        if (rect_overlap(r, pr) > 0) score += 1e7f;
        if (L->disp.crit)
            for (int i = 0; i < L->ncrit; i++) {
                float cx, cy;
                scene_to_px(sv, L->crit[i].x, L->crit[i].y, &cx, &cy);
                float cr[4] = {cx - 8 * s, cy - 8 * s, 16 * s, 16 * s};
                if (rect_overlap(r, cr) > 0) score += 2000;
            }
        if (score < best) {
            best = score;
            memcpy(out, r, sizeof r);
        }
    }
    return 1;
}

int scene_hover_rect(gfx *g, const live *L, const scene_view *sv, float out[4])
{
    char lines[7][160];
    int n = hover_lines(L, sv, lines, NULL, NULL);
    return hover_layout(g, L, sv, n, lines, out);
}

static void draw_hover(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!sv->hover || !L->disp.hover || sv->scrubbing) return;
    char lines[7][160];
    jet2 j;
    eig2 e;
    int n = hover_lines(L, sv, lines, &j, &e);
    float R[4];
    if (!hover_layout(g, L, sv, n, lines, R)) return;
    float px, py;
    scene_to_px(sv, sv->hx, sv->hy, &px, &py);
    if (isfinite(e.l1) && isfinite(e.l2)) {
        double l[2] = {e.l1, e.l2};
        double v[2][2] = {{e.v1[0], e.v1[1]}, {e.v2[0], e.v2[1]}};
        eigen_arrows(g, px, py, l, v, 34 * sv->scale, sv->scale, 0, th);
    }
    float tp = 13 * sv->scale, lh = gfx_line_height(g, tp), pad = 8 * sv->scale;
    draw_box(g, R[0], R[1], R[2], R[3], sv->scale, th);
    for (int i = 0; i < n; i++)
        gfx_text(g, R[0] + pad, R[1] + pad + i * lh, lines[i], -1, tp, i == 0 ? th->text_dim : th->text);
}

typedef struct cap_line { const char *s; int len; int title; } cap_line;

/* Greedy word wrap of s into lines no wider than w at px; how many lines (at most
 * room); *fits 0 when a single word is wider than w (it has a line of its own). */
static int wrap_lines(gfx *g, const char *s, float px, float w, int title, cap_line *out, int room, int *fits)
{
    int n = 0, len = (int)strlen(s), at = 0;
    *fits = 1;
    /* a line breaks at a space (dropped) or after a comma (kept: a landscape's
       "linreg2:n=100,scale1=1,..." has no spaces) */
#define WRAP_END(i) (s[i] == ' ' || (s[i] == ',' && i + 1 < len && s[i + 1] != ' '))
    while (at < len && n < room) {
        while (at < len && s[at] == ' ') at++;
        if (at >= len) break;
        int best = -1;   /* end of the longest prefix that fits, at a break */
        int end = at;
        while (end <= len) {
            int e = end;
            while (e < len && !WRAP_END(e)) e++;
            int stop = e < len && s[e] == ',' ? e + 1 : e;   /* the comma stays on the line */
            if (gfx_text_width(g, s + at, stop - at, px) > w) break;
            best = stop;
            if (e >= len) break;
            end = e + 1;
        }
        if (best < 0) {
            /* one word wider than the box: it gets a line of its own */
            *fits = 0;
            best = at;
            while (best < len && !WRAP_END(best)) best++;
            if (best < len && s[best] == ',') best++;
        }
        out[n++] = (cap_line){s + at, best - at, title};
        at = best;
    }
#undef WRAP_END
    return n;
}

static int wrap_text(gfx *g, const char *s, float px, float w, int title, cap_line *out, int room)
{
    int fits, n = wrap_lines(g, s, px, w, title, out, room, &fits);
    return fits ? n : -1;
}

int scene_wrap(gfx *g, const char *s, float px, float w, int *start, int *len, int room)
{
    cap_line l[32];
    int fits, n = wrap_lines(g, s, px, w, 0, l, room < 32 ? room : 32, &fits);
    for (int i = 0; i < n; i++) {
        start[i] = (int)(l[i].s - s);
        len[i] = l[i].len;
    }
    return n;
}

/* The legend: the landscape, then one row per runner (swatch, label, its
 * hyperparameters), then "undefined" when the field has points where the loss is
 * not a number. A row too long for the canvas is wrapped (after type up to 15%
 * smaller), never cut. */
#define LEG_SUB 4   /* wrapped lines a row may take */
typedef struct leg_layout {
    float tp, lh, pad, sw, bx, by, bw, bh;
    int nrow, undefined;
    int nsub[LIVE_MAX_RUNNERS + 2];
    cap_line sub[LIVE_MAX_RUNNERS + 2][LEG_SUB];
    char text[LIVE_MAX_RUNNERS + 2][400];
} leg_layout;

static void legend_layout(gfx *g, const live *L, const scene_view *sv, int undefined, leg_layout *lg)
{
    float s = sv->scale;
    lg->pad = 9 * s;
    lg->sw = 26 * s;
    lg->undefined = undefined;
    int n = 0;
    snprintf(lg->text[n++], sizeof lg->text[0], "%s", L->ls.label);
    for (int k = 0; k < L->nrun; k++) {
        const runner *r = &L->run[k].r;
        char hp[256], lab[330];
        scene_runner_label(r, hp, sizeof hp);
        if (L->run[k].label[0]) snprintf(lab, sizeof lab, "%s   %s", L->run[k].label, hp);
        else snprintf(lab, sizeof lab, "%s", hp);
        /* no-break spaces (U+00A0): "diverged at step 7" wraps as one word */
        if (r->diverged)
            snprintf(lg->text[n++], sizeof lg->text[0], "%s   diverged\u00a0at\u00a0step\u00a0%ld", lab, r->diverged_at);
        else snprintf(lg->text[n++], sizeof lg->text[0], "%s", lab);
    }
    if (undefined) snprintf(lg->text[n++], sizeof lg->text[0], "loss undefined here (not a number)");
    lg->nrow = n;
    float maxw = sv->w - 2 * lg->pad - 20 * s;
    static const float f[] = {1.0f, 0.93f, 0.85f};
    for (int t = 0; t < 3; t++) {
        lg->tp = 14 * s * f[t];
        float w = 0;
        for (int i = 0; i < n; i++)
            w = fmaxf(w, gfx_text_width(g, lg->text[i], -1, lg->tp) + (i > 0 ? lg->sw + 6 * s : 0));
        if (w <= maxw || t == 2) {
            for (int i = 0; i < n; i++) {
                float room = maxw - (i > 0 ? lg->sw + 6 * s : 0);
                int m = w <= maxw ? 0 : wrap_text(g, lg->text[i], lg->tp, room, 0, lg->sub[i], LEG_SUB);
                if (m <= 0) {
                    /* fits whole (or a word wider than the canvas: clipped) */
                    lg->sub[i][0] = (cap_line){lg->text[i], (int)strlen(lg->text[i]), 0};
                    m = 1;
                }
                lg->nsub[i] = m;
            }
            lg->bw = fminf(w, maxw) + 2 * lg->pad;
            break;
        }
    }
    lg->lh = gfx_line_height(g, lg->tp) * 1.15f;
    float rows = 0;
    for (int i = 0; i < n; i++) rows += lg->nsub[i] > 1 ? 1 + (lg->nsub[i] - 1) * 0.87f : 1;
    lg->bx = sv->x + 10 * s;
    lg->by = sv->y + 10 * s;
    lg->bh = rows * lg->lh + 2 * lg->pad;
    /* the box as wide as its widest line as drawn */
    float w = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < lg->nsub[i]; j++)
            w = fmaxf(w, gfx_text_width(g, lg->sub[i][j].s, lg->sub[i][j].len, lg->tp) + (i > 0 ? lg->sw + 6 * s : 0));
    lg->bw = fminf(w, maxw) + 2 * lg->pad;
}

/* The field's undefined points are shown with a legend entry: whether there are. */
static int legend_undefined(const scene_field *sf) { return sf && sf->valid && sf->has_nan; }

int scene_legend_rect(gfx *g, const live *L, const scene_view *sv, const scene_field *sf, float out[4])
{
    if (!L->disp.legend) return 0;
    static leg_layout lg;
    legend_layout(g, L, sv, legend_undefined(sf), &lg);
    out[0] = lg.bx, out[1] = lg.by, out[2] = lg.bw, out[3] = lg.bh;
    return 1;
}

static void draw_legend(gfx *g, const live *L, const scene_view *sv, const scene_field *sf, const scene_theme *th)
{
    if (!L->disp.legend) return;
    static leg_layout lg;
    legend_layout(g, L, sv, legend_undefined(sf), &lg);
    float s = sv->scale, pad = lg.pad, sw = lg.sw, lh = lg.lh, tp = lg.tp;
    float bx = lg.bx, by = lg.by;
    draw_box(g, bx, by, lg.bw, lg.bh, s, th);
    gfx_clip(g, bx, by, lg.bw, lg.bh);
    float y = by + pad;
    for (int i = 0; i < lg.nrow; i++) {
        int k = i - 1;   /* the runner, for rows 1 .. nrun */
        int is_run = k >= 0 && k < L->nrun, is_undef = lg.undefined && i == lg.nrow - 1;
        float tx = bx + pad + (i > 0 ? sw + 6 * s : 0);
        uint32_t tc = th->text_dim;
        float my = y + lh * 0.45f;
        if (is_run) {
            const live_runner *lr = &L->run[k];
            uint32_t c = live_runner_color(L, k);
            if (!lr->visible) c = GFX_WITH_ALPHA(c, 0x50);
            gfx_line(g, bx + pad, my, bx + pad + sw, my, 3 * s, c);
            if (lr->r.diverged)
                gfx_marker(g, GFX_CROSS, bx + pad + sw / 2, my, LOOK_F(LOOK_LEGEND_CROSS_R) * s, c, 0, 0);
            else
                gfx_marker(g, GFX_CIRCLE, bx + pad + sw / 2, my, LOOK_F(LOOK_LEGEND_DOT_R) * s, c, LOOK_OUTLINE,
                           LOOK_F(LOOK_LEGEND_DOT_OW) * s);
            tc = lr->r.diverged ? (L->disp.cmap == STYLE_CMAP_LIGHT ? 0xc0300cffu : 0xff6a4dffu)
                 : lr->visible ? th->text : th->text_dim;
        } else if (is_undef) {
            /* the field's own mark for undefined points: neutral grey, hatched */
            float h = lh * 0.7f, y0 = y + (lh - h) / 2;
            gfx_rect(g, bx + pad, y0, sw, h, 2 * s, GFX_UNDEFINED_GREY);
            gfx_clip(g, bx + pad, y0, sw, h);
            for (float x = -h; x < sw; x += 5 * s)
                gfx_line(g, bx + pad + x, y0 + h, bx + pad + x + h, y0, 1.2f * s, GFX_UNDEFINED_HATCH);
            gfx_clip(g, bx, by, lg.bw, lg.bh);
        }
        float y1 = y;
        for (int j = 0; j < lg.nsub[i]; j++) {
            gfx_text(g, tx + (j > 0 ? 10 * s : 0), y1, lg.sub[i][j].s, lg.sub[i][j].len, tp, tc);
            y1 += lh * (j == 0 ? 1.0f : 0.87f);
        }
        float rh = lg.nsub[i] > 1 ? lh * (1 + (lg.nsub[i] - 1) * 0.87f) : lh;
        if (is_run && k == L->selected && L->nrun > 1)
            gfx_rect_outline(g, bx + 3 * s, y - 1, lg.bw - 6 * s, rh, 3 * s, 1, th->text_dim);
        y += rh;
    }
    gfx_clip(g, 0, 0, -1, -1);
}

#define TIMELINE_H 16   /* the rewind strip under the chart, at scale 1 */

void scene_chart_rect(const scene_view *sv, float out[4])
{
    float w = sv->w * 0.34f, h = sv->h * 0.28f;
    float below = (TIMELINE_H + 16) * sv->scale;
    /* large text widens the chart, but never past half the canvas's width or a third
       of its height: the map stays the lesson */
    float wmin = fminf(260 * sv->scale, sv->w * 0.5f), hmin = fminf(150 * sv->scale, sv->h * 0.33f);
    if (w < wmin) w = wmin;
    if (h < hmin) h = hmin;
    if (w > sv->w - 20 * sv->scale) w = sv->w - 20 * sv->scale;
    if (h > sv->h - 20 * sv->scale - below) h = sv->h - 20 * sv->scale - below;
    if (h < 1) h = 1;
    out[0] = sv->x + 10 * sv->scale;
    out[1] = sv->y + sv->h - h - 10 * sv->scale - below;
    out[2] = w;
    out[3] = h;
}

int scene_chart_shown(const live *L)
{
    return L->disp.chart && (!L->disp.class_mode || L->disp.class_chart) && L->nrun > 0;
}

int scene_timeline_rect(const live *L, const scene_view *sv, float out[4])
{
    if (!scene_chart_shown(L) || sv->figure) return 0;
    float R[4];
    scene_chart_rect(sv, R);
    out[0] = R[0];
    out[1] = R[1] + R[3] + 8 * sv->scale;
    out[2] = R[2];
    out[3] = TIMELINE_H * sv->scale;
    return 1;
}

long scene_timeline_step(const live *L, const scene_view *sv, float mx)
{
    float R[4];
    if (!scene_timeline_rect(L, sv, R) || !(R[2] > 0)) return L->step;
    double t = (mx - R[0]) / R[2];
    if (!(t > 0)) t = 0;
    if (t > 1) t = 1;
    return (long)llround(t * (double)L->step_max);
}

/* The rewind strip: the run so far (0 .. step_max) with the present as a handle. */
static void draw_timeline(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    float T[4];
    if (!scene_timeline_rect(L, sv, T)) return;
    float r = T[3] / 2;
    draw_box(g, T[0], T[1], T[2], T[3], sv->scale, th);
    double f = L->step_max > 0 ? (double)L->step / (double)L->step_max : 1;
    float x = T[0] + (float)f * T[2];
    gfx_rect(g, T[0], T[1] + r - 2 * sv->scale, x - T[0], 4 * sv->scale, 2 * sv->scale,
             GFX_WITH_ALPHA(th->text, 0x90));
    gfx_marker(g, GFX_CIRCLE, x, T[1] + r, r * 0.8f, th->text, th->halo, 1.2f * sv->scale);
    char b[96];
    float tp = 11 * sv->scale;
    if (L->step < L->step_max)
        snprintf(b, sizeof b, "step %ld of %ld: drag to rewind, Space resumes", L->step, L->step_max);
    else
        snprintf(b, sizeof b, "step %ld: drag back to rewind", L->step);
    /* on a box of its own: over the bright end of the colour map it was unreadable */
    float tw = gfx_text_width(g, b, -1, tp), th_ = gfx_line_height(g, tp), pad = 4 * sv->scale;
    float by = T[1] + T[3] + 2 * sv->scale;
    if (tw > T[2] - 2 * pad) tw = T[2] - 2 * pad;
    gfx_rect(g, T[0], by, tw + 2 * pad, th_ + 2, 3 * sv->scale, th->box);
    gfx_clip(g, T[0], by, tw + 2 * pad, th_ + 2);
    gfx_text(g, T[0] + pad, by + 1, b, -1, tp, th->text_dim);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
}

static void draw_chart(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    if (!scene_chart_shown(L)) return;
    draw_timeline(g, L, sv, th);
    float R[4];
    scene_chart_rect(sv, R);
    if (R[2] < 60 || R[3] < 40) return;
    float tp = 11.5f * sv->scale, lh = gfx_line_height(g, tp);
    draw_box(g, R[0], R[1], R[2], R[3], sv->scale, th);
    float px0 = R[0] + 44 * sv->scale, px1 = R[0] + R[2] - 40 * sv->scale;
    float py0 = R[1] + lh + 8 * sv->scale, py1 = R[1] + R[3] - lh - 8 * sv->scale;
    if (px1 - px0 < 20 || py1 - py0 < 20) return;
    /* the y range: log10 of the loss, or of the loss above the lowest value seen
       when some loss is not positive */
    /* the axis follows the runners still running: one that diverged (its loss at
       1e38 before it was stopped) would squash every other line into the floor; it
       is drawn up to the top and marked there. Only when every runner diverged do
       they set the axis. */
    int any_ok = 0;
    for (int k = 0; k < L->nrun; k++) any_ok |= L->run[k].visible && !L->run[k].r.diverged;
#define CHART_SETS_AXIS(lr) ((lr)->visible && (!any_ok || !(lr)->r.diverged))
    double lo = INFINITY, hi = -INFINITY, fmin = INFINITY;
    long smax = 1;
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible) continue;
        long s = (long)(lr->hist.len - 1) * lr->hist.stride;
        if (s > smax) smax = s;
        if (!CHART_SETS_AXIS(lr)) continue;
        for (int i = 0; i < lr->hist.len; i++) {
            double v = lr->hist.loss[i];
            if (isfinite(v) && v < fmin) fmin = v;
        }
    }
    if (!isfinite(fmin)) return;
    double shift = 0;
    int shifted = fmin <= 0;
    if (shifted) {
        double top = -INFINITY;
        for (int k = 0; k < L->nrun; k++) {
            if (!CHART_SETS_AXIS(&L->run[k])) continue;
            for (int i = 0; i < L->run[k].hist.len; i++)
                if (isfinite(L->run[k].hist.loss[i]) && L->run[k].hist.loss[i] > top)
                    top = L->run[k].hist.loss[i];
        }
        shift = fmin - fmax((top - fmin) * 1e-9, 1e-300);
    }
    int ntest = L->test_f ? 2 : 1;   /* train, and test where the scene has a test set */
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!CHART_SETS_AXIS(lr)) continue;
        for (int t = 0; t < ntest; t++)
            for (int i = 0; i < lr->hist.len; i++) {
                double v = lr->hist.loss[t * LIVE_HIST_CAP + i] - shift;
                if (!(v > 0) || !isfinite(v)) continue;
                double lv = log10(v);
                if (lv < lo) lo = lv;
                if (lv > hi) hi = lv;
            }
    }
#undef CHART_SETS_AXIS
    if (!(lo <= hi)) return;
    lo = floor(lo);
    hi = ceil(hi);
    if (hi - lo < 1) hi = lo + 1;
    /* grid and decade labels */
    int step = (int)ceil((hi - lo) / 5.0);
    if (step < 1) step = 1;
    for (double d = lo; d <= hi + 1e-9; d += step) {
        float y = py1 - (float)((d - lo) / (hi - lo)) * (py1 - py0);
        gfx_line(g, px0, y, px1, y, 1, th->grid);
        char b[32];
        snprintf(b, sizeof b, "1e%d", (int)d);
        gfx_text(g, px0 - gfx_text_width(g, b, -1, tp) - 4 * sv->scale, y - lh / 2, b, -1, tp, th->text_dim);
    }
    char b[64];
    snprintf(b, sizeof b, "%ld", smax);
    gfx_text(g, px1 - gfx_text_width(g, b, -1, tp), py1 + 3 * sv->scale, b, -1, tp, th->text_dim);
    gfx_text(g, px0, py1 + 3 * sv->scale, "0", -1, tp, th->text_dim);
    const char *title = L->test_f ? (shifted ? "train (thick), test (thin) − min (log)   step →"
                                             : "train loss (thick), test (thin), log   step →")
                        : shifted ? "loss − min seen (log)   step →" : "loss (log)   step →";
    /* inside the chart's box whatever the text size: a shorter title, then smaller */
    float room = R[0] + R[2] - px0 - 6 * sv->scale, ttp = tp;
    if (gfx_text_width(g, title, -1, ttp) > room) title = L->test_f ? "train, test (thin), log" : shifted ? "loss − min (log)" : "loss (log)";
    while (gfx_text_width(g, title, -1, ttp) > room && ttp > tp * 0.7f) ttp *= 0.9f;
    gfx_text(g, px0, R[1] + 4 * sv->scale, title, -1, ttp, th->text_dim);

    /* learning rate of the selected runner, on its own linear axis at the right */
    if (L->selected >= 0 && L->selected < L->nrun) {
        const runner *r = &L->run[L->selected].r;
        enum { np = 200 };
        float pts[2 * np];
        /* the schedule walked to smax once per schedule, rate and length, not every
           frame (50 000 steps of it at step 50 000) */
        static struct { sched_desc d; double lr0; long smax; double lrs[np], lmax; int valid; } lc;
        if (!lc.valid || memcmp(&lc.d, &r->d.sched, sizeof lc.d) != 0 || lc.lr0 != r->d.opt.lr || lc.smax != smax) {
            sched_state ss;
            sched_start(&ss, &r->d.sched, r->d.opt.lr);
            lc.lmax = 0;
            long at = 0;
            for (int i = 0; i < np; i++) {
                long s = (long)((double)smax * i / (np - 1));
                double v = ss.lr;
                while (at <= s) { v = sched_next(&ss); at++; }
                lc.lrs[i] = v;
                if (v > lc.lmax) lc.lmax = v;
            }
            memcpy(&lc.d, &r->d.sched, sizeof lc.d);
            lc.lr0 = r->d.opt.lr;
            lc.smax = smax;
            lc.valid = 1;
        }
        const double *lrs = lc.lrs;
        double lmax = lc.lmax;
        if (lmax > 0) {
            for (int i = 0; i < np; i++) {
                pts[2 * i] = px0 + (px1 - px0) * i / (np - 1);
                pts[2 * i + 1] = py1 - (float)(lrs[i] / lmax) * (py1 - py0) * 0.95f;
            }
            /* named at the top right of the plot, inside the chart's box, in the
               theme's text colour (no runner has it); drawn only with its name and
               dashed, so it never reads as a loss line or a grid line */
            snprintf(b, sizeof b, "lr (max %.2g), dashed", lmax);
            float lw = gfx_text_width(g, b, -1, tp);
            if (px1 - lw > px0 + gfx_text_width(g, title, -1, ttp) + 8 * sv->scale) {
                uint32_t c = GFX_WITH_ALPHA(th->text, 0xc0);
                gfx_text(g, px1 - lw, R[1] + 4 * sv->scale, b, -1, tp, th->text);
                float dash = 6 * sv->scale, gap = 4 * sv->scale, run = 0;
                int on = 1, i0 = 0;
                for (int i = 1; i < np; i++) {
                    run += hypotf(pts[2 * i] - pts[2 * i - 2], pts[2 * i + 1] - pts[2 * i - 1]);
                    if (run >= (on ? dash : gap) || i == np - 1) {
                        if (on && i > i0) gfx_polyline(g, pts + 2 * i0, i - i0 + 1, 1.4f * sv->scale, NULL, c);
                        on = !on;
                        run = 0;
                        i0 = i;
                    }
                }
            }
        }
    }
    gfx_clip(g, px0, py0 - 2, px1 - px0, py1 - py0 + 4);
    static float pts[2 * LIVE_HIST_CAP];
    float mark_x[LIVE_MAX_RUNNERS];
    int marked[LIVE_MAX_RUNNERS] = {0};
    for (int t = ntest - 1; t >= 0; t--)   /* test lines first, thin and faint, under the train ones */
    for (int k = 0; k < L->nrun; k++) {
        const live_runner *lr = &L->run[k];
        if (!lr->visible || lr->hist.len < 1) continue;
        uint32_t col = live_runner_color(L, k);
        float width = 1.8f * sv->scale;
        if (t == 1) {
            col = GFX_WITH_ALPHA(col, 0x90);
            width = 1.1f * sv->scale;
        }
        const float *h = lr->hist.loss + t * LIVE_HIST_CAP;
        /* one pixel column holds what a line can show of it: its lowest and highest
           value, the one nearer the line so far first; so a 50 000-step history
           (or an oscillating one, a spike a point) costs what a short one does */
        int m = 0, topped = 0, cn = 0;
        float lx = 0, ly = 0, tx = 0, ccol = 0, cx = 0, cy = 0, cmin = 0, cmax = 0;
#define CHART_FLUSH()                                                                  \
        do {                                                                           \
            if (cn == 1) {                                                             \
                pts[2 * m] = cx, pts[2 * m + 1] = cy, m++;                             \
            } else if (cn > 1) {                                                       \
                float ya = cmin, yb = cmax;                                            \
                if (m > 0 && fabsf(ly - cmax) < fabsf(ly - cmin)) ya = cmax, yb = cmin; \
                pts[2 * m] = cx, pts[2 * m + 1] = ya, m++;                             \
                if (yb != ya) pts[2 * m] = cx, pts[2 * m + 1] = yb, m++;               \
            }                                                                          \
            if (m > 0) lx = pts[2 * m - 2], ly = pts[2 * m - 1];                       \
            cn = 0;                                                                    \
        } while (0)
        for (int i = 0; i < lr->hist.len && !topped; i++) {
            double v = h[i] - shift;
            if (!(v > 0) || !isfinite(v)) {
                CHART_FLUSH();
                if (lr->r.diverged && i > 0 && m > 0) { topped = 1; tx = lx; }
                if (m >= 2) gfx_polyline(g, pts, m, width, NULL, col);
                m = 0;
                continue;
            }
            double s = (double)i * (double)lr->hist.stride;
            float x = px0 + (float)(s / (double)smax) * (px1 - px0);
            double u = (log10(v) - lo) / (hi - lo);
            if (u > 1) {
                /* off the top (a diverging runner): up to the edge, then the mark */
                u = 1;
                topped = 1;
                tx = x;
            }
            float y = py1 - (float)u * (py1 - py0);
            float column = floorf(x);
            if (cn > 0 && column != ccol) CHART_FLUSH();
            if (i + 1 == lr->hist.len || topped) {
                /* the present (or where it left the axis): exactly where it is */
                CHART_FLUSH();
                pts[2 * m] = x, pts[2 * m + 1] = y, m++;
                lx = x, ly = y;
                continue;
            }
            if (cn == 0) {
                ccol = column, cx = x, cy = y, cmin = cmax = y;
            } else {
                if (y < cmin) cmin = y;
                if (y > cmax) cmax = y;
            }
            cn++;
        }
        CHART_FLUSH();
#undef CHART_FLUSH
        if (m >= 2) gfx_polyline(g, pts, m, width, NULL, col);
        else if (m == 1) gfx_marker(g, GFX_CIRCLE, pts[0], pts[1], 2.5f * sv->scale, col, 0, 0);
        if (t == 0 && lr->r.diverged) {
            if (!topped) tx = m > 0 ? lx : px0;
            mark_x[k] = tx;
            marked[k] = 1;
        }
    }
    gfx_clip(g, 0, 0, -1, -1);
    /* a diverged runner: a cross at the top of the plot, above the step it left */
    for (int k = 0; k < L->nrun; k++) {
        if (!marked[k]) continue;
        float x = mark_x[k] < px0 + 6 * sv->scale ? px0 + 6 * sv->scale : mark_x[k];
        gfx_marker(g, GFX_CROSS, x, py0 + 3 * sv->scale, 6 * sv->scale, live_runner_color(L, k), 0, 0);
    }
    gfx_line(g, px0, py1, px1, py1, 1, th->text_dim);
    gfx_line(g, px0, py0, px0, py1, 1, th->text_dim);
}

/* Contour polylines (grid index coordinates) gathered as world points. */
typedef struct collect_ctx {
    const double *view;
    int gw, gh;
    double *xy;
    int cap;
    int *n;
    int *len;
    int lcap;
    int *nl;
} collect_ctx;

static void collect_line(void *user, const double *xy, int n, int closed)
{
    collect_ctx *c = user;
    int m = n + (closed ? 1 : 0);
    if (*c->nl >= c->lcap || *c->n + m > c->cap) return;
    const double *v = c->view;
    for (int i = 0; i < m; i++) {
        const double *q = xy + 2 * (i % n);
        c->xy[2 * (*c->n + i)] = v[0] + (v[1] - v[0]) * q[0] / (c->gw - 1);
        c->xy[2 * (*c->n + i) + 1] = v[2] + (v[3] - v[2]) * q[1] / (c->gh - 1);
    }
    *c->n += m;
    c->len[(*c->nl)++] = m;
}

/* The selected runner's last minibatch as a landscape of its own: its iso-lines (at
 * the full field's spacing) and its minimum, in the runner's colour, over the
 * full-batch field, so each batch's surface is seen to differ and move. Recomputed
 * when the batch, the landscape or the view changes (a 160x100 grid: well under a
 * millisecond); kept in world coordinates, so every tile of a large figure and every
 * canvas offset draws the same lines. */
static void draw_batch_contours(gfx *g, const live *L, const scene_view *sv)
{
    enum { GW = 160, GH = 100, MAXPTS = 60000, MAXLINES = 2000 };
    static struct { long step; int runner; unsigned gen; uint64_t batch; double view[4]; int n; double *xy;
                    int *len; int nl; double mx, my; } c = {.step = -1};
    static float pts[2 * MAXPTS];
    int sel = scene_overlay_runner(L);
    if (!L->disp.batch_contour || sel < 0 || !L->ls.data) return;
    const runner *r = &L->run[sel].r;
    if (r->batch_len <= 0 || !r->batch_idx || r->diverged) return;
    uint64_t hb = 1469598103934665603ull;   /* FNV-1a of the batch's sample indices */
    for (int i = 0; i < r->batch_len; i++) hb = (hb ^ (uint64_t)(unsigned)r->batch_idx[i]) * 1099511628211ull;
    hb ^= (uint64_t)r->batch_len;
    if (c.step != r->step || c.runner != sel || c.gen != L->ls_gen || c.batch != hb ||
        memcmp(c.view, sv->view, sizeof c.view) != 0) {
        c.step = r->step;
        c.runner = sel;
        c.gen = L->ls_gen;
        c.batch = hb;
        memcpy(c.view, sv->view, sizeof c.view);
        c.n = c.nl = 0;
        if (!c.xy) c.xy = malloc(MAXPTS * 2 * sizeof *c.xy);
        if (!c.len) c.len = malloc(MAXLINES * sizeof *c.len);
        static char src[1 << 16];
        static float grid[GW * GH];
        expr_error ee;
        int sl = c.xy && c.len ? landscape_batch_expr(&L->ls, r->batch_idx, r->batch_len, src, sizeof src) : -1;
        expr *f = sl >= 0 && (size_t)sl < sizeof src ? expr_compile(src, NULL, 0, &ee) : NULL;
        if (f) {
            field_compute(f, sv->view, GW, GH, grid, 1);
            expr_destroy(f);
            float lo = INFINITY, hi = -INFINITY;
            int imin = 0;
            for (int i = 0; i < GW * GH; i++) {
                if (!isfinite(grid[i])) continue;
                if (grid[i] < lo) { lo = grid[i]; imin = i; }
                if (grid[i] > hi) hi = grid[i];
            }
            c.mx = sv->view[0] + (sv->view[1] - sv->view[0]) * (imin % GW) / (GW - 1);
            c.my = sv->view[2] + (sv->view[3] - sv->view[2]) * (double)(imin / GW) / (GH - 1);
            double range = (double)hi - lo, floor_ = range * 1e-3;
            if (range > 0 && isfinite(range)) {
                /* levels log-spaced above the batch's own minimum, 8 a decade span */
                for (int i = 0; i < GW * GH; i++) grid[i] = (float)log10(grid[i] - lo + floor_);
                double u0 = log10(floor_), u1 = log10(range + floor_), step = (u1 - u0) / 10;
                collect_ctx ctx = {sv->view, GW, GH, c.xy, MAXPTS, &c.n, c.len, MAXLINES, &c.nl};
                for (int k = 1; k < 10; k++) contour_lines(grid, GW, GH, u0 + k * step, collect_line, &ctx);
            }
        }
    }
    uint32_t col = live_runner_color(L, sel);
    int at = 0;
    for (int i = 0; i < c.nl; i++) {
        if (c.len[i] >= 2) {
            for (int j = 0; j < c.len[i]; j++)
                scene_to_px(sv, c.xy[2 * (at + j)], c.xy[2 * (at + j) + 1], &pts[2 * j], &pts[2 * j + 1]);
            gfx_polyline(g, pts, c.len[i], 3.2f * sv->scale, NULL, 0x00000060u);
            gfx_polyline(g, pts, c.len[i], 1.4f * sv->scale, NULL, GFX_WITH_ALPHA(col, 0xe0));
        }
        at += c.len[i];
    }
    float px, py;
    scene_to_px(sv, c.mx, c.my, &px, &py);
    if (c.nl > 0) gfx_marker(g, GFX_PLUS, px, py, 7 * sv->scale, col, 0x000000a0u, 1.2f * sv->scale);
}

/* The lesson's title and caption, centred at the bottom of the canvas: to the
 * right of the loss chart when there is room for it there, else across the canvas
 * above the chart. Lines too long for the box are wrapped at spaces (a little
 * smaller type first, when that is all it takes), never cut; text grows with the
 * scale (Ctrl +/-, class mode) and the layout follows. */
#define CAP_MAX_LINES 24
#define CAP_MAX_SHARE 0.25f   /* of the canvas's height */
#define CAP_MIN_PX 12.0f
typedef struct cap_layout {
    float tp, cp, lt, lc, pad;
    float bx, by, bw, bh;
    int n;
    cap_line line[CAP_MAX_LINES];
} cap_layout;


/* The height of c's box with its lines in title type tp and caption type cp. */
static float cap_height(gfx *g, const cap_layout *c, float tp, float cp)
{
    float h = 2 * c->pad;
    for (int i = 0; i < c->n; i++) h += c->line[i].title ? gfx_line_height(g, tp) : gfx_line_height(g, cp) * 1.1f;
    return h;
}

/* The ns source lines wrapped into inner, in the first of the nwrap type sizes whose
 * box fits between top and bottom (the smallest where none does). */
static void cap_wrap(gfx *g, cap_layout *c, const char *const *src, const int *title, int ns, float inner,
                     float top, float bottom, const float *wrapped, int nwrap, float s)
{
    for (int t = 0; t < nwrap; t++) {
        float f = wrapped[t], tp = 17 * s * f, cp = 14 * s * f;
        int n = 0, ok = 1;
        for (int i = 0; i < ns && ok; i++) {
            int m = wrap_text(g, src[i], title[i] ? tp : cp, inner, title[i], c->line + n, CAP_MAX_LINES - n);
            if (m < 0) { ok = 0; m = 0; }
            n += m;
        }
        c->tp = tp, c->cp = cp, c->n = n;
        if (ok && bottom - cap_height(g, c, tp, cp) >= top) return;
    }
}

static int caption_layout(gfx *g, const live *L, const scene_view *sv, cap_layout *c)
{
    if (!L->disp.caption || (!L->title[0] && L->ncaption == 0)) return 0;
    float s = sv->scale;
    c->pad = 10 * s;
    float x0 = sv->x, x1 = sv->x + sv->w, bottom = sv->y + sv->h - 10 * s;
    /* the top the box may reach: below the legend */
    float top = sv->y + 10 * s;
    float LR[4];
    if (scene_legend_rect(g, L, sv, NULL, LR)) top = LR[1] + LR[3] + 10 * s;
    /* the caption takes at most a quarter of the canvas's height: the lesson is
       the map (smaller type, down to a readable minimum, then more lines) */
    if (top < bottom - CAP_MAX_SHARE * sv->h) top = bottom - CAP_MAX_SHARE * sv->h;
    int column = 0;   /* above the chart, as wide as it: the middle of the canvas stays clear */
    float R[4];
    if (scene_chart_shown(L)) {
        scene_chart_rect(sv, R);
        float beside = x1 - (R[0] + R[2]) - 20 * s;
        if (beside >= fmaxf(0.42f * sv->w, 300 * s)) {
            x0 = R[0] + R[2];
        } else {
            /* too narrow beside the chart: above it, in the chart's column when the
               lines fit there, else across the canvas */
            bottom = R[1] - 10 * s;
            x1 = R[0] + R[2] + 10 * s;
            column = 1;
        }
    }
    float inner = x1 - x0 - 20 * s - 2 * c->pad;
    if (!(inner > 20 * s)) return 0;
    const char *src[3];
    int title[3], ns = 0;
    if (L->title[0]) { src[ns] = L->title; title[ns++] = 1; }
    for (int i = 0; i < L->ncaption && i < 2; i++) { src[ns] = L->caption[i]; title[ns++] = 0; }
    static const float shrink[] = {1.0f, 0.95f, 0.9f, 0.85f};
    static const float wrapped[] = {1.0f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f};
    /* the smallest type tried: a readable minimum (12 px, and at large scales at
       least half the normal size, for the caption's lines) */
    int nwrap = 1;
    while (nwrap < 6 && 14 * s * wrapped[nwrap] >= fmaxf(CAP_MIN_PX, 7.5f * s)) nwrap++;
    int done = 0;
    /* whole lines, in type up to 15% smaller */
    for (int t = 0; t < 4 && !done; t++) {
        float f = shrink[t], tp = 17 * s * f, cp = 14 * s * f, w = 0;
        for (int i = 0; i < ns; i++) w = fmaxf(w, gfx_text_width(g, src[i], -1, title[i] ? tp : cp));
        if (w <= inner) {
            c->tp = tp, c->cp = cp, c->n = 0;
            for (int i = 0; i < ns; i++) c->line[c->n++] = (cap_line){src[i], (int)strlen(src[i]), title[i]};
            done = 1;
        }
    }
    /* else wrapped, smaller only if the wrapped box would not fit between the
       legend and the bottom */
    if (!done) cap_wrap(g, c, src, title, ns, inner, top, bottom, wrapped, nwrap, s);
    if (column && (bottom - cap_height(g, c, c->tp, c->cp) < top || c->tp < 17 * s * 0.85f)) {
        /* not in the column: across the canvas, above the chart */
        x1 = sv->x + sv->w;
        inner = x1 - x0 - 20 * s - 2 * c->pad;
        cap_wrap(g, c, src, title, ns, inner, top, bottom, wrapped, nwrap, s);
    }
    c->lt = gfx_line_height(g, c->tp);
    c->lc = gfx_line_height(g, c->cp) * 1.1f;
    float w = 0, h = 2 * c->pad;
    for (int i = 0; i < c->n; i++) {
        w = fmaxf(w, gfx_text_width(g, c->line[i].s, c->line[i].len, c->line[i].title ? c->tp : c->cp));
        h += c->line[i].title ? c->lt : c->lc;
    }
    if (w > inner) w = inner;
    if (!(w > 0)) return 0;
    c->bw = w + 2 * c->pad;
    c->bh = h;
    c->bx = x0 + (x1 - x0 - c->bw) / 2;
    c->by = bottom - h;
    return 1;
}

int scene_caption_rect(gfx *g, const live *L, const scene_view *sv, float out[4])
{
    cap_layout c;
    if (!caption_layout(g, L, sv, &c)) return 0;
    out[0] = c.bx, out[1] = c.by, out[2] = c.bw, out[3] = c.bh;
    return 1;
}

static void draw_caption(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    cap_layout c;
    if (!caption_layout(g, L, sv, &c)) return;
    draw_box(g, c.bx, c.by, c.bw, c.bh, sv->scale, th);
    gfx_clip(g, c.bx, c.by, c.bw, c.bh);
    float y = c.by + c.pad;
    for (int i = 0; i < c.n; i++) {
        const cap_line *l = &c.line[i];
        gfx_text(g, c.bx + c.pad, y, l->s, l->len, l->title ? c.tp : c.cp, l->title ? th->text : th->text_dim);
        y += l->title ? c.lt : c.lc;
    }
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
}

void scene_draw_caption(gfx *g, const live *L, const scene_view *sv)
{
    scene_theme th = scene_theme_of(L);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    draw_caption(g, L, sv, &th);
    gfx_clip(g, 0, 0, -1, -1);
}

/* The last explained step beside its runner: the pieces of the step as arrows from
 * where the runner was (magnified together so the step is ~70 px), the formulas
 * with this step's numbers in a box. */
static void draw_explain(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    const live_explain *e = &L->explain;
    if (!e->valid || e->step != L->step || L->playing || e->runner != L->selected || e->runner >= L->nrun)
        return;
    float x0, y0, x1, y1;
    scene_to_px(sv, e->p0[0], e->p0[1], &x0, &y0);
    scene_to_px(sv, e->p1[0], e->p1[1], &x1, &y1);
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    double len = hypot(e->p1[0] - e->p0[0], e->p1[1] - e->p0[1]) / upp;
    double k = len > 0 ? 70 * sv->scale / len : 1;
    if (k < 1) k = 1;   /* never shrink a step that is already large on screen */
    uint32_t col = live_runner_color(L, e->runner);
    struct { const double *v; uint32_t c; const char *name; } parts[3] = {
        {e->grad_step, L->disp.cmap == STYLE_CMAP_LIGHT ? 0x1a1d22ffu : 0xffffffffu, "−η·g"},
        {e->mom_step, L->disp.cmap == STYLE_CMAP_LIGHT ? 0xb0198fffu : 0xff4fd8ffu, "momentum"},
        {NULL, col, "Δθ"},
    };
    double step[2] = {e->p1[0] - e->p0[0], e->p1[1] - e->p0[1]};
    parts[2].v = step;
    float tp = 12 * sv->scale, llh = gfx_line_height(g, tp);
    float placed[3][4];
    int np = 0;
    for (int i = 0; i < 3; i++) {
        const double *v = parts[i].v;
        double px = v[0] / upp * k, py = -v[1] / upp * k;
        if (!(hypot(px, py) > 3 * sv->scale) || !isfinite(px) || !isfinite(py)) continue;
        float ex = x0 + (float)px, ey = y0 + (float)py;
        gfx_arrow(g, x0, y0, ex, ey, 4.5f * sv->scale, 11 * sv->scale, th->halo);
        gfx_arrow(g, x0, y0, ex, ey, 2.2f * sv->scale, 9 * sv->scale, parts[i].c);
        /* the label beyond the tip, on the side the arrow points to; where arrows
           coincide (plain GD: the step is -lr g) the next label moves to a free
           place around the tip instead of printing over the first */
        float tw = gfx_text_width(g, parts[i].name, -1, tp), m = 4 * sv->scale;
        int right = px >= 0;
        float cand[6][2] = {
            {right ? ex + m : ex - m - tw, ey - llh * 0.6f},
            {right ? ex + m : ex - m - tw, ey - llh * 0.6f + llh},
            {right ? ex + m : ex - m - tw, ey - llh * 0.6f - llh},
            {right ? ex - m - tw : ex + m, ey - llh * 0.6f},
            {right ? ex + m : ex - m - tw, ey - llh * 0.6f + 2 * llh},
            {right ? ex + m : ex - m - tw, ey - llh * 0.6f - 2 * llh},
        };
        int c = 0;
        for (; c < 6; c++) {
            int clash = 0;
            for (int q = 0; q < np && !clash; q++)
                clash = cand[c][0] < placed[q][0] + placed[q][2] && placed[q][0] < cand[c][0] + tw &&
                        cand[c][1] < placed[q][1] + placed[q][3] && placed[q][1] < cand[c][1] + llh;
            if (!clash) break;
        }
        if (c == 6) c = 4;
        placed[np][0] = cand[c][0], placed[np][1] = cand[c][1], placed[np][2] = tw, placed[np][3] = llh;
        np++;
        /* on a box of the theme's colour: readable over either colour map */
        gfx_rect(g, cand[c][0] - 2 * sv->scale, cand[c][1], tw + 4 * sv->scale, llh, 3 * sv->scale, th->box);
        gfx_text(g, cand[c][0], cand[c][1], parts[i].name, -1, tp, parts[i].c);
    }
    /* the formulas, beside the runner, kept inside the canvas */
    float lp = 13 * sv->scale, lh = gfx_line_height(g, lp) * 1.08f, pad = 8 * sv->scale;
    float w = 0;
    for (int i = 0; i < e->nlines; i++) {
        float tw = gfx_text_width(g, e->lines[i], -1, lp);
        if (tw > w) w = tw;
    }
    char scale_note[64];
    snprintf(scale_note, sizeof scale_note, "arrows ×%.3g", k);
    float h = (e->nlines + 1) * lh + 2 * pad;
    /* on the side the arrows do not point to; where the canvas edge pushes it onto
       the arrows and their labels, on the other side, below or above them */
    float ax0 = x0, ax1 = x0, ay0 = y0, ay1 = y0;   /* the arrows and labels' box */
    for (int q = 0; q < np; q++) {
        ax0 = fminf(ax0, placed[q][0]), ax1 = fmaxf(ax1, placed[q][0] + placed[q][2]);
        ay0 = fminf(ay0, placed[q][1]), ay1 = fmaxf(ay1, placed[q][1] + placed[q][3]);
    }
    for (int i = 0; i < 3; i++) {
        double qx = x0 + parts[i].v[0] / upp * k, qy = y0 - parts[i].v[1] / upp * k;
        if (!isfinite(qx) || !isfinite(qy)) continue;
        ax0 = fminf(ax0, (float)qx), ax1 = fmaxf(ax1, (float)qx);
        ay0 = fminf(ay0, (float)qy), ay1 = fmaxf(ay1, (float)qy);
    }
    int right = !(step[0] > 0 || e->grad_step[0] > 0);
    float bw = w + 2 * pad, gap = 12 * sv->scale, bx = 0, by = 0;
    float cands[4][2] = {
        {right ? ax1 + gap : ax0 - gap - bw, y0 - h / 2},
        {right ? ax0 - gap - bw : ax1 + gap, y0 - h / 2},
        {x0 - bw / 2, ay1 + gap},
        {x0 - bw / 2, ay0 - gap - h},
    };
    for (int c = 0; c < 5; c++) {
        int pick = c < 4 ? c : 0;
        bx = cands[pick][0], by = cands[pick][1];
        if (bx + bw > sv->x + sv->w - 6 * sv->scale) bx = sv->x + sv->w - 6 * sv->scale - bw;
        if (bx < sv->x + 6 * sv->scale) bx = sv->x + 6 * sv->scale;
        if (by + h > sv->y + sv->h - 6 * sv->scale) by = sv->y + sv->h - 6 * sv->scale - h;
        if (by < sv->y + 6 * sv->scale) by = sv->y + 6 * sv->scale;
        int hits = bx < ax1 && ax0 < bx + bw && by < ay1 && ay0 < by + h;
        if (!hits || c == 4) break;
    }
    draw_box(g, bx, by, w + 2 * pad, h, sv->scale, th);
    for (int i = 0; i < e->nlines; i++)
        gfx_text(g, bx + pad, by + pad + i * lh, e->lines[i], -1, lp, i == 0 ? col : th->text);
    gfx_text(g, bx + pad, by + pad + e->nlines * lh, scale_note, -1, lp * 0.9f, th->text_dim);
}

void scene_draw(gfx *g, const live *L, const scene_field *sf, const scene_view *sv)
{
    scene_theme th = scene_theme_of(L);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    draw_field(g, L, sf, sv, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    if (sv->under) {
        sv->under(g, sv, sv->under_user);
        gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    }
    draw_ghosts(g, L, sv, &th);
    if (L->disp.trails) draw_trails(g, L, sv, &th);
    draw_batch_contours(g, L, sv);
    draw_crit(g, L, sv, &th);
    draw_start(g, L, sv, &th);
    draw_runner_marks(g, L, sv, &th);
    draw_offview(g, L, sv, &th);
    draw_crit_labels(g, L, sv, &th);
    draw_legend(g, L, sv, sf, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    draw_chart(g, L, sv, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    if (!sv->no_caption) draw_caption(g, L, sv, &th);
    draw_explain(g, L, sv, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    draw_hover(g, L, sv, &th);
    gfx_clip(g, 0, 0, -1, -1);
}

void scene_draw_overlays(gfx *g, const live *L, const scene_view *sv)
{
    scene_theme th = scene_theme_of(L);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    draw_legend(g, L, sv, NULL, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    draw_chart(g, L, sv, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    if (!sv->no_caption) draw_caption(g, L, sv, &th);
    gfx_clip(g, 0, 0, -1, -1);
}

void scene_view_release(void)
{
    free(trail_buf);
    free(trail_col);
    trail_buf = NULL;
    trail_col = NULL;
    trail_bufcap = 0;
}
