/* scene_view: the canvas: world to pixels, the field, the minibatch's contours, the
 * explained step, and the order everything is drawn in (the marks, the boxes of
 * text and the chart are scene_view_marks.c, _text.c and _chart.c). Coordinates go
 * from world to pixels in double and are clamped to a generous box before they
 * become float, so a runner 1e12 away or a view 1e-6 wide draws without overflow
 * or jitter. */
#include "app/views/scene_view.h"
#include "app/views/scene_view_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contour.h"
#include "core/field.h"
#include "style/fieldmap.h"

#define PX_LIMIT 1.0e6

scene_view_cache *scene_view_cache_new(void)
{
    scene_view_cache *c = calloc(1, sizeof *c);
    if (c) c->batch.step = -1;   /* no batch's lines yet */
    return c;
}

void scene_view_cache_free(scene_view_cache *c)
{
    if (!c) return;
    free(c->batch.xy);
    free(c->batch.len);
    free(c->v3d.t);
    free(c);
}

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
    enum { GW = SCENE_BATCH_GW, GH = SCENE_BATCH_GH, MAXPTS = SCENE_BATCH_MAXPTS, MAXLINES = SCENE_BATCH_MAXLINES };
    scene_batch_cache *c = &sv->cache->batch;
    float *pts = c->pts;
    int sel = scene_overlay_runner(L);
    if (!L->disp.batch_contour || sel < 0 || !L->ls.data) return;
    const runner *r = &L->run[sel].r;
    if (r->batch_len <= 0 || !r->batch_idx || r->diverged) return;
    uint64_t hb = 1469598103934665603ull;   /* FNV-1a of the batch's sample indices */
    for (int i = 0; i < r->batch_len; i++) hb = (hb ^ (uint64_t)(unsigned)r->batch_idx[i]) * 1099511628211ull;
    hb ^= (uint64_t)r->batch_len;
    if (c->step != r->step || c->runner != sel || c->gen != L->ls_gen || c->batch != hb ||
        memcmp(c->view, sv->view, sizeof c->view) != 0) {
        c->step = r->step;
        c->runner = sel;
        c->gen = L->ls_gen;
        c->batch = hb;
        memcpy(c->view, sv->view, sizeof c->view);
        c->n = c->nl = 0;
        if (!c->xy) c->xy = malloc(MAXPTS * 2 * sizeof *c->xy);
        if (!c->len) c->len = malloc(MAXLINES * sizeof *c->len);
        char *src = c->src;
        float *grid = c->grid;
        expr_error ee;
        int sl = c->xy && c->len ? landscape_batch_expr(&L->ls, r->batch_idx, r->batch_len, src, sizeof c->src) : -1;
        expr *f = sl >= 0 && (size_t)sl < sizeof c->src ? expr_compile(src, NULL, 0, &ee) : NULL;
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
            c->mx = sv->view[0] + (sv->view[1] - sv->view[0]) * (imin % GW) / (GW - 1);
            c->my = sv->view[2] + (sv->view[3] - sv->view[2]) * (double)(imin / GW) / (GH - 1);
            double range = (double)hi - lo, floor_ = range * 1e-3;
            if (range > 0 && isfinite(range)) {
                /* levels log-spaced above the batch's own minimum, 8 a decade span */
                for (int i = 0; i < GW * GH; i++) grid[i] = (float)log10(grid[i] - lo + floor_);
                double u0 = log10(floor_), u1 = log10(range + floor_), step = (u1 - u0) / 10;
                collect_ctx ctx = {sv->view, GW, GH, c->xy, MAXPTS, &c->n, c->len, MAXLINES, &c->nl};
                for (int k = 1; k < 10; k++) contour_lines(grid, GW, GH, u0 + k * step, collect_line, &ctx);
            }
        }
    }
    uint32_t col = live_runner_color(L, sel);
    int at = 0;
    for (int i = 0; i < c->nl; i++) {
        if (c->len[i] >= 2) {
            for (int j = 0; j < c->len[i]; j++)
                scene_to_px(sv, c->xy[2 * (at + j)], c->xy[2 * (at + j) + 1], &pts[2 * j], &pts[2 * j + 1]);
            gfx_polyline(g, pts, c->len[i], 3.2f * sv->scale, NULL, 0x00000060u);
            gfx_polyline(g, pts, c->len[i], 1.4f * sv->scale, NULL, GFX_WITH_ALPHA(col, 0xe0));
        }
        at += c->len[i];
    }
    float px, py;
    scene_to_px(sv, c->mx, c->my, &px, &py);
    if (c->nl > 0) gfx_marker(g, GFX_PLUS, px, py, 7 * sv->scale, col, 0x000000a0u, 1.2f * sv->scale);
}

/* The last explained step beside its runner: the pieces of the step as arrows from
 * where the runner was (magnified together so the step is ~70 px), the formulas
 * with this step's numbers in a box. */
/* Where the explained step is drawn: from (x0, y0), world vectors v[i] scaled by
 * k (pixels per world unit 1 / upp); the labels placed so far. */
typedef struct explain_at {
    float x0, y0;
    double upp, k;
    const double *v[3];
    float placed[3][4];
    int np;
} explain_at;

/* A part's label beyond its arrow's tip (ex, ey), on the side the arrow points to;
 * where arrows coincide (plain GD: the step is -lr g) the next label moves to a
 * free place around the tip instead of printing over the first. */
static void explain_label(gfx *g, const scene_view *sv, const scene_theme *th, explain_at *at, const char *name,
                          uint32_t c, float ex, float ey, int right, float tp, float llh)
{
    float tw = gfx_text_width(g, name, -1, tp), m = 4 * sv->scale;
    float cand[6][2] = {
        {right ? ex + m : ex - m - tw, ey - llh * 0.6f},
        {right ? ex + m : ex - m - tw, ey - llh * 0.6f + llh},
        {right ? ex + m : ex - m - tw, ey - llh * 0.6f - llh},
        {right ? ex - m - tw : ex + m, ey - llh * 0.6f},
        {right ? ex + m : ex - m - tw, ey - llh * 0.6f + 2 * llh},
        {right ? ex + m : ex - m - tw, ey - llh * 0.6f - 2 * llh},
    };
    float (*placed)[4] = at->placed;
    int np = at->np, k = 0;
    for (; k < 6; k++) {
        int clash = 0;
        for (int q = 0; q < np && !clash; q++)
            clash = cand[k][0] < placed[q][0] + placed[q][2] && placed[q][0] < cand[k][0] + tw &&
                    cand[k][1] < placed[q][1] + placed[q][3] && placed[q][1] < cand[k][1] + llh;
        if (!clash) break;
    }
    if (k == 6) k = 4;
    placed[np][0] = cand[k][0], placed[np][1] = cand[k][1], placed[np][2] = tw, placed[np][3] = llh;
    at->np++;
    /* on a box of the theme's colour: readable over either colour map */
    gfx_rect(g, cand[k][0] - 2 * sv->scale, cand[k][1], tw + 4 * sv->scale, llh, 3 * sv->scale, th->box);
    gfx_text(g, cand[k][0], cand[k][1], name, -1, tp, c);
}

/* The formulas, beside the runner, kept inside the canvas: on the side the arrows
 * do not point to; where the canvas edge pushes it onto the arrows and their
 * labels, on the other side, below or above them. */
static void explain_formulas(gfx *g, const live_explain *e, const scene_view *sv, const scene_theme *th,
                             const explain_at *at, const double step[2], uint32_t col)
{
    float x0 = at->x0, y0 = at->y0;
    double upp = at->upp, k = at->k;
    float lp = 13 * sv->scale, lh = gfx_line_height(g, lp) * 1.08f, pad = 8 * sv->scale;
    float w = 0;
    for (int i = 0; i < e->nlines; i++) {
        float tw = gfx_text_width(g, e->lines[i], -1, lp);
        if (tw > w) w = tw;
    }
    char scale_note[64];
    snprintf(scale_note, sizeof scale_note, "arrows ×%.3g", k);
    float h = (e->nlines + 1) * lh + 2 * pad;
    float ax0 = x0, ax1 = x0, ay0 = y0, ay1 = y0;   /* the arrows and labels' box */
    for (int q = 0; q < at->np; q++) {
        ax0 = fminf(ax0, at->placed[q][0]), ax1 = fmaxf(ax1, at->placed[q][0] + at->placed[q][2]);
        ay0 = fminf(ay0, at->placed[q][1]), ay1 = fmaxf(ay1, at->placed[q][1] + at->placed[q][3]);
    }
    for (int i = 0; i < 3; i++) {
        double qx = x0 + at->v[i][0] / upp * k, qy = y0 - at->v[i][1] / upp * k;
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
    scene_draw_box(g, bx, by, w + 2 * pad, h, sv->scale, th);
    for (int i = 0; i < e->nlines; i++)
        gfx_text(g, bx + pad, by + pad + i * lh, e->lines[i], -1, lp, i == 0 ? col : th->text);
    gfx_text(g, bx + pad, by + pad + e->nlines * lh, scale_note, -1, lp * 0.9f, th->text_dim);
}

static void draw_explain(gfx *g, const live *L, const scene_view *sv, const scene_theme *th)
{
    const live_explain *e = &L->explain;
    if (!e->valid || e->step != L->step || L->playing || e->runner != L->selected || e->runner >= L->nrun)
        return;
    explain_at at = {.np = 0};
    float x1, y1;
    scene_to_px(sv, e->p0[0], e->p0[1], &at.x0, &at.y0);
    scene_to_px(sv, e->p1[0], e->p1[1], &x1, &y1);
    float x0 = at.x0, y0 = at.y0;
    double upp = (sv->view[1] - sv->view[0]) / (sv->w > 0 ? sv->w : 1);
    double len = hypot(e->p1[0] - e->p0[0], e->p1[1] - e->p0[1]) / upp;
    double k = len > 0 ? 70 * sv->scale / len : 1;
    if (k < 1) k = 1;   /* never shrink a step that is already large on screen */
    at.upp = upp;
    at.k = k;
    uint32_t col = live_runner_color(L, e->runner);
    struct { const double *v; uint32_t c; const char *name; } parts[3] = {
        {e->grad_step, L->disp.cmap == STYLE_CMAP_LIGHT ? 0x1a1d22ffu : 0xffffffffu, "−η·g"},
        {e->mom_step, L->disp.cmap == STYLE_CMAP_LIGHT ? 0xb0198fffu : 0xff4fd8ffu, "momentum"},
        {NULL, col, "Δθ"},
    };
    double step[2] = {e->p1[0] - e->p0[0], e->p1[1] - e->p0[1]};
    parts[2].v = step;
    for (int i = 0; i < 3; i++) at.v[i] = parts[i].v;
    float tp = 12 * sv->scale, llh = gfx_line_height(g, tp);
    for (int i = 0; i < 3; i++) {
        const double *v = parts[i].v;
        double px = v[0] / upp * k, py = -v[1] / upp * k;
        if (!(hypot(px, py) > 3 * sv->scale) || !isfinite(px) || !isfinite(py)) continue;
        float ex = x0 + (float)px, ey = y0 + (float)py;
        gfx_arrow(g, x0, y0, ex, ey, 4.5f * sv->scale, 11 * sv->scale, th->halo);
        gfx_arrow(g, x0, y0, ex, ey, 2.2f * sv->scale, 9 * sv->scale, parts[i].c);
        explain_label(g, sv, th, &at, parts[i].name, parts[i].c, ex, ey, px >= 0, tp, llh);
    }
    explain_formulas(g, e, sv, th, &at, step, col);
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
    scene_draw_ghosts(g, L, sv, &th);
    if (L->disp.trails) scene_draw_trails(g, L, sv, &th);
    draw_batch_contours(g, L, sv);
    scene_draw_section_line(g, L, sv, &th, 0);
    scene_draw_crit(g, L, sv, &th);
    scene_draw_start(g, L, sv, &th);
    scene_draw_runner_marks(g, L, sv, &th);
    scene_draw_offview(g, L, sv, &th);
    scene_draw_crit_labels(g, L, sv, &th);
    scene_draw_section_line(g, L, sv, &th, 1);
    scene_draw_legend(g, L, sv, sf, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    scene_draw_chart(g, L, sv, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    scene_draw_section_plot(g, L, sv, sf, &th);
    if (!sv->no_caption) scene_draw_caption_box(g, L, sv, &th);
    draw_explain(g, L, sv, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    scene_draw_hover(g, L, sv, &th);
    gfx_clip(g, 0, 0, -1, -1);
}

void scene_draw_overlays(gfx *g, const live *L, const scene_view *sv)
{
    scene_theme th = scene_theme_of(L);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    scene_draw_legend(g, L, sv, NULL, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    scene_draw_chart(g, L, sv, &th);
    gfx_clip(g, sv->x, sv->y, sv->w, sv->h);
    scene_draw_section_plot(g, L, sv, NULL, &th);
    if (!sv->no_caption) scene_draw_caption_box(g, L, sv, &th);
    gfx_clip(g, 0, 0, -1, -1);
}

