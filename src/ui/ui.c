/* ui: the immediate-mode widgets of ui.h. Every widget call lays itself out, hit
 * tests the frame's input, edits the caller's value in place and appends its draw
 * commands; what has to survive between frames (hot/active/focus ids, the one value
 * box or text box being edited, the one open popup, panel scroll offsets) lives in
 * the ui struct, keyed by hashed ids, so the caller keeps nothing but its values.
 * Hover and focus decisions that depend on the whole frame (which panel is on top,
 * where Up/Down go) use the previous frame's layout, as microui does: one frame of
 * lag is invisible and keeps every widget a single pass. */
#include "ui.h"

#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds that keep a runaway caller (a widget loop that never ends) from eating the
 * machine; past them commands and text are dropped, never written out of bounds. */
#define UI_ID_DEPTH 32
#define UI_PANELS 32
#define UI_ROW_MAX 16
#define UI_CMD_LIMIT (1 << 20)
#define UI_ARENA_LIMIT ((size_t)16 << 20)
#define UI_FOCUS_LIMIT 65536
/* slots kept free after every drawing command so that the clip resets that close a
 * panel or a text box can always be written: the list stays balanced even when full */
#define UI_CLIP_SPARE 16
#define UI_ERROR_LINES 4

typedef struct cmd_buf {
    ui_cmd *c;
    size_t *off;             /* TEXT: offset into the arena (it may move while growing) */
    int n, cap;
} cmd_buf;

typedef struct id_list {
    uint32_t *v;
    int n, cap;
} id_list;

typedef struct panel_state {
    uint32_t id;
    ui_rect r;
    float scroll, content_h;
    unsigned long seen;      /* frame it was last declared in */
    int order;               /* declaration order in that frame: later is on top */
} panel_state;

struct ui {
    ui_font font;
    ui_style style;
    ui_input in;             /* this frame's input; keys are cleared as they are used */
    unsigned long frame;

    cmd_buf cmds, pcmds;     /* pcmds: popups, appended last so they draw on top */
    int in_popup;
    char *arena;
    size_t arena_len, arena_cap;

    uint32_t ids[UI_ID_DEPTH];
    int id_depth;            /* may exceed UI_ID_DEPTH; deeper pushes reuse the top */

    panel_state panels[UI_PANELS];
    panel_state *panel;      /* the open panel */
    int panel_order, panel_hovered, mouse_over_panel;
    uint32_t hover_panel;    /* topmost panel under the mouse last frame */

    /* layout inside the open panel */
    float lx, lw, ly, ly_top, lmax_y;
    int row_n, row_i;
    float row_w[UI_ROW_MAX], row_x, row_h;
    ui_rect clip;            /* current clip of the main list; w < 0: none */
    ui_rect last;

    uint32_t hot, active, focus;
    int focus_seen, active_seen, edit_seen, popup_seen, focus_by_key;
    int press_taken, swallow;
    id_list order_prev, order_cur;

    /* the one text being edited: a text box, or a slider's value box */
    uint32_t edit_id;
    int edit_cursor, edit_fresh, edit_num;
    int edit_anchor;         /* the other end of the selection (== edit_cursor: none) */
    ui_clipboard clipboard;
    float edit_scroll;
    char num[64];
    /* a value box that lost the keyboard to a widget declared before it this frame:
       its text waits here until its slider commits it */
    uint32_t pending_id;
    char pending_num[64];

    /* the one open choice popup */
    uint32_t popup_id;
    ui_rect popup_r;
    float popup_scroll;
    int popup_reveal;

    int wants_mouse;
};

/* ---- small helpers ------------------------------------------------------------ */

static float clampf(float x, float lo, float hi) { return x < lo ? lo : x > hi ? hi : x; }

static int rect_has(ui_rect r, float x, float y)
{
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

static int mouse_in(const ui *u, ui_rect r) { return rect_has(r, u->in.mx, u->in.my); }

static ui_rect rect_intersect(ui_rect a, ui_rect b)
{
    if (a.w < 0) return b;
    if (b.w < 0) return a;
    float x0 = fmaxf(a.x, b.x), y0 = fmaxf(a.y, b.y);
    float x1 = fminf(a.x + a.w, b.x + b.w), y1 = fminf(a.y + a.h, b.y + b.h);
    return (ui_rect){x0, y0, fmaxf(0, x1 - x0), fmaxf(0, y1 - y0)};
}

static ui_rect rect_grow(ui_rect r, float d) { return (ui_rect){r.x - d, r.y - d, r.w + 2 * d, r.h + 2 * d}; }

static uint32_t with_alpha(uint32_t c, unsigned a) { return (c & 0xFFFFFF00u) | (a & 0xFFu); }

/* pixels per style unit: line widths and small marks follow the text size */
static float scale_of(const ui *u) { return u->style.px > 0 ? u->style.px / 14.0f : 1.0f; }

static float line_h(const ui *u) { return u->font.line_height(u->font.user, u->style.px); }

static float text_w(const ui *u, const char *s, int len)
{
    return len > 0 ? u->font.text_width(u->font.user, s, len, u->style.px) : 0.0f;
}

/* one-line widgets: a line of text with padding above and below */
static float item_h(const ui *u) { return line_h(u) + 1.5f * u->style.pad; }

/* "Reset##runner2" shows "Reset" and hashes the whole string (Dear ImGui's
   convention), so two widgets can share a visible label */
static int vis_len(const char *s)
{
    const char *p = strstr(s, "##");
    return p ? (int)(p - s) : (int)strlen(s);
}

/* ---- UTF-8 -------------------------------------------------------------------- */

static int is_cont(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

static int cp_prev(const char *s, int i)
{
    if (i <= 0) return 0;
    i--;
    while (i > 0 && is_cont(s[i])) i--;
    return i;
}

static int cp_next(const char *s, int len, int i)
{
    if (i >= len) return len;
    i++;
    while (i < len && is_cont(s[i])) i++;
    return i;
}

static int cp_snap(const char *s, int len, int i)
{
    if (i <= 0) return 0;
    if (i >= len) return len;
    while (i > 0 && is_cont(s[i])) i--;
    return i;
}

/* bytes in the sequence led by c; 0 for a byte that cannot lead one */
static int cp_len(unsigned char c)
{
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return 2;
    if (c >= 0xE0 && c <= 0xEF) return 3;
    if (c >= 0xF0 && c <= 0xF4) return 4;
    return 0;
}

/* ---- ids ---------------------------------------------------------------------- */

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * FNV_PRIME;
    return h;
}

static uint32_t id_seed(const ui *u)
{
    if (u->id_depth <= 0) return FNV_BASIS;
    return u->ids[(u->id_depth < UI_ID_DEPTH ? u->id_depth : UI_ID_DEPTH) - 1];
}

static uint32_t make_id(const ui *u, const char *label)
{
    uint32_t h = fnv(id_seed(u), label, strlen(label));
    return h ? h : 1;        /* 0 means "no widget" */
}

static void push_raw(ui *u, uint32_t h)
{
    if (u->id_depth < UI_ID_DEPTH) u->ids[u->id_depth] = h;
    u->id_depth++;
}

void ui_push_id(ui *u, int id)
{
    /* explicit little-endian bytes: ids are the same on every machine */
    unsigned x = (unsigned)id;
    unsigned char b[4] = {(unsigned char)x, (unsigned char)(x >> 8), (unsigned char)(x >> 16),
                          (unsigned char)(x >> 24)};
    push_raw(u, fnv(id_seed(u), b, 4));
}

void ui_pop_id(ui *u)
{
    assert(u->id_depth > 0 && "ui_pop_id without ui_push_id");
    if (u->id_depth > 0) u->id_depth--;
}

static void list_push(id_list *l, uint32_t id)
{
    if (l->n == l->cap) {
        if (l->cap >= UI_FOCUS_LIMIT) return;
        int cap = l->cap ? l->cap * 2 : 64;
        uint32_t *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v) return;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = id;
}

/* ---- command list ------------------------------------------------------------- */

static int buf_reserve(cmd_buf *b, int need)
{
    if (b->n + need <= b->cap) return 1;
    if (b->n + need > UI_CMD_LIMIT) return 0;
    int cap = b->cap ? b->cap : 256;
    while (cap < b->n + need) cap *= 2;
    if (cap > UI_CMD_LIMIT) cap = UI_CMD_LIMIT;
    ui_cmd *c = realloc(b->c, (size_t)cap * sizeof *c);
    if (!c) return 0;
    b->c = c;
    size_t *off = realloc(b->off, (size_t)cap * sizeof *off);
    if (!off) return 0;      /* c grew, off did not: cap stays, both still valid */
    b->off = off;
    b->cap = cap;
    return 1;
}

static ui_cmd *cmd_push(ui *u, ui_cmd_type t)
{
    cmd_buf *b = u->in_popup ? &u->pcmds : &u->cmds;
    if (t == UI_CMD_CLIP) {
        if (b->n >= b->cap && !buf_reserve(b, 1)) return NULL;
    } else if (!buf_reserve(b, 1 + UI_CLIP_SPARE)) {
        return NULL;
    }
    ui_cmd *c = &b->c[b->n];
    memset(c, 0, sizeof *c);
    c->type = t;
    b->off[b->n] = 0;
    b->n++;
    return c;
}

static int arena_put(ui *u, const char *s, int len, size_t *off)
{
    size_t need = u->arena_len + (size_t)len;
    if (need > u->arena_cap) {
        if (need > UI_ARENA_LIMIT) return 0;
        size_t cap = u->arena_cap ? u->arena_cap : 4096;
        while (cap < need) cap *= 2;
        if (cap > UI_ARENA_LIMIT) cap = UI_ARENA_LIMIT;
        char *p = realloc(u->arena, cap);
        if (!p) return 0;
        u->arena = p;
        u->arena_cap = cap;
    }
    *off = u->arena_len;
    if (len > 0) memcpy(u->arena + u->arena_len, s, (size_t)len);
    u->arena_len = need;
    return 1;
}

static void set_clip(ui *u, ui_rect r)
{
    ui_cmd *c = cmd_push(u, UI_CMD_CLIP);
    if (c) c->r = r.w < 0 ? (ui_rect){0, 0, -1, -1} : r;
    if (!u->in_popup) u->clip = r;
}

/* drawing outside the clip is skipped: a long scrolled panel costs only what shows */
static int visible(const ui *u, ui_rect r)
{
    ui_rect c = u->in_popup ? u->popup_r : u->clip;
    if (c.w < 0) return 1;
    return r.x < c.x + c.w && r.x + r.w > c.x && r.y < c.y + c.h && r.y + r.h > c.y;
}

/* A rectangle's command (NULL when it is empty, out of sight or there is no room). */
static ui_cmd *push_shape(ui *u, ui_cmd_type kind, ui_rect r, uint32_t color, float radius)
{
    if (r.w <= 0 || r.h <= 0 || !visible(u, r)) return NULL;
    ui_cmd *c = cmd_push(u, kind);
    if (!c) return NULL;
    c->r = r;
    c->color = color;
    c->radius = radius;
    return c;
}

static void draw_rect(ui *u, ui_rect r, uint32_t color, float radius)
{
    push_shape(u, UI_CMD_RECT, r, color, radius);
}

static void draw_box(ui *u, ui_rect r, uint32_t color, float radius, float width)
{
    ui_cmd *c = push_shape(u, UI_CMD_BOX, r, color, radius);
    if (c) c->width = width;
}

static void draw_text(ui *u, float x, float y, const char *s, int len, uint32_t color)
{
    if (len <= 0) return;
    float lh = line_h(u);
    ui_rect cr = u->in_popup ? u->popup_r : u->clip;
    if (cr.w >= 0 && (y >= cr.y + cr.h || y + lh <= cr.y)) return;
    size_t off;
    if (!arena_put(u, s, len, &off)) return;
    ui_cmd *c = cmd_push(u, UI_CMD_TEXT);
    if (!c) return;
    c->r = (ui_rect){x, y, text_w(u, s, len), lh};
    c->color = color;
    c->px = u->style.px;
    c->len = len;
    cmd_buf *b = u->in_popup ? &u->pcmds : &u->cmds;
    b->off[b->n - 1] = off;
}

/* longest prefix, in whole code points, no wider than maxw */
static int fit_prefix(const ui *u, const char *s, int len, float maxw)
{
    if (text_w(u, s, len) <= maxw) return len;
    int i = 0;
    while (i < len) {
        int j = cp_next(s, len, i);
        if (text_w(u, s, j) > maxw) break;
        i = j;
    }
    return i;
}

/* text cut to maxw with "..." where it does not fit (or always, with force: the
   last allowed line of a longer text): a narrow panel on a projector must still show
   where a label was cut rather than overflow into the next widget */
static void draw_text_cut(ui *u, float x, float y, const char *s, int len, float maxw, uint32_t color,
                          int force)
{
    if (len < 0 || maxw <= 0) return;
    if (!force && text_w(u, s, len) <= maxw) {
        draw_text(u, x, y, s, len, color);
        return;
    }
    static const char dots[] = "...";
    int n = fit_prefix(u, s, len, maxw - text_w(u, dots, 3));
    char small[256];
    if (n + 3 <= (int)sizeof small) {
        memcpy(small, s, (size_t)n);
        memcpy(small + n, dots, 3);
        draw_text(u, x, y, small, n + 3, color);
    } else {
        draw_text(u, x, y, s, n, color);
    }
}

static void draw_text_fit(ui *u, float x, float y, const char *s, int len, float maxw, uint32_t color)
{
    draw_text_cut(u, x, y, s, len, maxw, color, 0);
}

/* a filled triangle out of one-pixel slices: the font may have no arrow glyphs and
   the command list has no triangles; overlapping slices avoid anti-aliasing seams */
static void draw_triangle(ui *u, float cx, float cy, float size, int down, uint32_t color)
{
    int n = (int)ceilf(size * 0.75f);
    if (n < 3) n = 3;
    if (n > 32) n = 32;
    float depth = size * 0.75f, step = depth / (float)n;
    for (int i = 0; i < n; i++) {
        float len = size * (1.0f - ((float)i + 0.5f) / (float)n);
        if (down)
            draw_rect(u, (ui_rect){cx - len / 2, cy - depth / 2 + (float)i * step, len, step + 0.5f}, color, 0);
        else
            draw_rect(u, (ui_rect){cx - depth / 2 + (float)i * step, cy - len / 2, step + 0.5f, len}, color, 0);
    }
}

/* ---- word wrap ---------------------------------------------------------------- */

/* One line of s that fits maxw: breaks at a newline, else after the last space that
   fits, else inside a word (a formula has no spaces). Returns its length in bytes;
   *adv is where the next line starts. */
static int line_break(const ui *u, const char *s, int len, float maxw, int *adv)
{
    const char *nlp = memchr(s, '\n', (size_t)len);
    int nl = nlp ? (int)(nlp - s) : len;
    if (text_w(u, s, nl) <= maxw) {
        *adv = nl < len ? nl + 1 : len;
        return nl;
    }
    int best = -1;
    for (int i = 1; i < nl; i++) {
        if (s[i] != ' ') continue;
        if (text_w(u, s, i) > maxw) break;
        best = i;
    }
    if (best > 0) {
        int a = best;
        while (a < nl && s[a] == ' ') a++;
        *adv = a;
        return best;
    }
    int n = fit_prefix(u, s, nl, maxw);
    if (n == 0) n = cp_next(s, nl, 0);
    *adv = n;
    return n;
}

/* Lines of s within maxw, at most maxlines (0: any). When draw is set, they are drawn
   from (x, y), the last allowed line ending in "..." if text is left over. */
static int wrap_text(ui *u, const char *s, float x, float y, float maxw, int maxlines, uint32_t color,
                     int draw)
{
    int len = (int)strlen(s), pos = 0, lines = 0;
    float lh = line_h(u);
    if (maxw < 1) maxw = 1;
    do {
        int adv, n = line_break(u, s + pos, len - pos, maxw, &adv);
        lines++;
        int last = maxlines > 0 && lines == maxlines && pos + adv < len;
        if (draw) {
            if (last) {
                const char *nlp = memchr(s + pos, '\n', (size_t)(len - pos));
                int rest = nlp ? (int)(nlp - (s + pos)) : len - pos;
                draw_text_cut(u, x, y, s + pos, rest, maxw, color, 1);
            } else {
                draw_text(u, x, y, s + pos, n, color);
            }
        }
        y += lh;
        pos += adv;
        if (last) break;
    } while (pos < len);
    return lines;
}

/* ---- styles ------------------------------------------------------------------- */

/* The colours of the two themes, side by side so their contrasts can be compared.
 * Dark: a slate panel translucent over the landscape; text near white, dim text
 * still above 4.5:1 contrast so it reads on a washed-out projector. Light: for
 * print and bright rooms: a near-white panel, dark text, a saturated accent. */
enum { STYLE_DARK, STYLE_LIGHT };
static const struct {
    size_t off;
    uint32_t rgba[2];             /* dark, light */
} style_colours[] = {
    {offsetof(ui_style, panel), {0x1E2126EBu, 0xF6F7F9F2u}},
    {offsetof(ui_style, widget), {0x2F343CFFu, 0xE2E6EBFFu}},
    {offsetof(ui_style, widget_hot), {0x3B424CFFu, 0xD3D9E0FFu}},
    {offsetof(ui_style, widget_active), {0x48515EFFu, 0xC1C9D3FFu}},
    {offsetof(ui_style, accent), {0x4C9AFFFFu, 0x1F6FEBFFu}},
    {offsetof(ui_style, text), {0xECEFF3FFu, 0x1A1E23FFu}},
    {offsetof(ui_style, text_dim), {0xA3ACB7FFu, 0x56606BFFu}},
    {offsetof(ui_style, error), {0xFF7070FFu, 0xC62828FFu}},
    /* amber: the one thing on screen that says "keys go here" */
    {offsetof(ui_style, focus), {0xFFC24DFFu, 0xD97706FFu}},
    {offsetof(ui_style, popup), {0x272B32FCu, 0xFFFFFFFFu}},
};

static ui_style style_of(float scale, int theme)
{
    if (!(scale > 0) || !isfinite(scale)) scale = 1;
    ui_style s;
    memset(&s, 0, sizeof s);
    s.px = 14 * scale;
    s.pad = 6 * scale;
    s.spacing = 4 * scale;
    s.radius = 4 * scale;
    for (size_t k = 0; k < sizeof style_colours / sizeof style_colours[0]; k++)
        memcpy((char *)&s + style_colours[k].off, &style_colours[k].rgba[theme], sizeof(uint32_t));
    return s;
}

ui_style ui_style_dark(float scale)
{
    return style_of(scale, STYLE_DARK);
}

ui_style ui_style_light(float scale)
{
    return style_of(scale, STYLE_LIGHT);
}

/* ---- lifetime ----------------------------------------------------------------- */

ui *ui_create(const ui_font *font)
{
    assert(font && font->text_width && font->line_height);
    ui *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    u->font = *font;
    u->style = ui_style_dark(1);
    u->clip = (ui_rect){0, 0, -1, -1};
    if (!buf_reserve(&u->cmds, 256) || !buf_reserve(&u->pcmds, 64)) {
        ui_destroy(u);
        return NULL;
    }
    return u;
}

void ui_destroy(ui *u)
{
    if (!u) return;
    free(u->cmds.c);
    free(u->cmds.off);
    free(u->pcmds.c);
    free(u->pcmds.off);
    free(u->arena);
    free(u->order_prev.v);
    free(u->order_cur.v);
    free(u);
}

void ui_set_style(ui *u, const ui_style *s) { u->style = *s; }

void ui_set_clipboard(ui *u, const ui_clipboard *cb)
{
    if (cb) u->clipboard = *cb;
    else memset(&u->clipboard, 0, sizeof u->clipboard);
}

const ui_style *ui_get_style(const ui *u) { return &u->style; }

int ui_wants_mouse(const ui *u) { return u->wants_mouse; }

int ui_wants_keyboard(const ui *u) { return u->edit_id != 0; }

int ui_has_focus(const ui *u) { return u->focus != 0; }

ui_rect ui_last_rect(const ui *u) { return u->last; }

static int over_popup(const ui *u) { return u->popup_id && mouse_in(u, u->popup_r); }

/* ---- frame -------------------------------------------------------------------- */

static void focus_step(ui *u, int dir)
{
    const id_list *l = &u->order_prev;
    if (l->n == 0) return;
    int idx = -1;
    for (int i = 0; i < l->n; i++)
        if (l->v[i] == u->focus) { idx = i; break; }
    int next = idx < 0 ? (dir > 0 ? 0 : l->n - 1) : (idx + dir + l->n) % l->n;
    u->focus = l->v[next];
    u->focus_by_key = 1;
}

void ui_begin(ui *u, const ui_input *in)
{
    u->in = *in;
    u->in.text[sizeof u->in.text - 1] = '\0';
    u->frame++;
    u->cmds.n = u->pcmds.n = 0;
    u->arena_len = 0;
    u->in_popup = 0;
    u->id_depth = 0;
    u->panel = NULL;
    u->panel_order = 0;
    u->mouse_over_panel = 0;
    u->clip = (ui_rect){0, 0, -1, -1};
    u->last = (ui_rect){0, 0, 0, 0};
    u->hot = 0;
    u->focus_seen = u->active_seen = u->edit_seen = u->popup_seen = 0;
    u->press_taken = u->swallow = 0;
    u->focus_by_key = 0;

    id_list t = u->order_prev;
    u->order_prev = u->order_cur;
    u->order_cur = t;
    u->order_cur.n = 0;

    /* the panel drawn last is on top: it alone gets the hover */
    u->hover_panel = 0;
    int best = -1;
    for (int i = 0; i < UI_PANELS; i++) {
        const panel_state *p = &u->panels[i];
        if (p->id && p->seen + 1 == u->frame && mouse_in(u, p->r) && p->order > best) {
            best = p->order;
            u->hover_panel = p->id;
        }
    }

    /* a click outside an open popup only closes it: it must not also press the
       button that happens to lie under the pointer */
    if (u->popup_id && u->in.pressed && !mouse_in(u, u->popup_r)) {
        u->popup_id = 0;
        u->swallow = 1;
    }

    if (u->popup_id) {
        if (u->in.keys & UI_KEY_ESCAPE) {
            u->popup_id = 0;
            u->in.keys &= ~(unsigned)UI_KEY_ESCAPE;
        }
    } else if (!u->edit_id) {
        /* while a box edits, arrows move its cursor and Escape closes it */
        if (u->in.keys & UI_KEY_DOWN) focus_step(u, +1);
        else if (u->in.keys & UI_KEY_UP) focus_step(u, -1);
        u->in.keys &= ~(unsigned)(UI_KEY_UP | UI_KEY_DOWN);
        if ((u->in.keys & UI_KEY_ESCAPE) && u->focus) {
            u->focus = 0;
            u->in.keys &= ~(unsigned)UI_KEY_ESCAPE;
        }
    }
}

const ui_cmd *ui_end(ui *u, int *ncmd)
{
    assert(!u->panel && "ui_end inside a panel: ui_panel_end missing");
    if (u->panel) ui_panel_end(u);
    if (u->in.pressed && !u->press_taken && !u->swallow) u->focus = 0;
    if (!u->focus_seen) u->focus = 0;
    if (!u->active_seen || !u->in.down) u->active = 0;
    if (u->edit_id && (!u->edit_seen || u->edit_id != u->focus)) u->edit_id = 0;
    if (u->popup_id && !u->popup_seen) u->popup_id = 0;
    u->pending_id = 0;

    /* an open popup keeps the mouse: the next click anywhere only closes it */
    u->wants_mouse = u->mouse_over_panel || u->popup_id != 0 || u->active != 0;

    /* popups last, self-contained (their own clip set and reset), so dropping them
       whole when memory runs out keeps the list balanced */
    if (u->pcmds.n > 0 && buf_reserve(&u->cmds, u->pcmds.n)) {
        memcpy(u->cmds.c + u->cmds.n, u->pcmds.c, (size_t)u->pcmds.n * sizeof *u->cmds.c);
        memcpy(u->cmds.off + u->cmds.n, u->pcmds.off, (size_t)u->pcmds.n * sizeof *u->cmds.off);
        u->cmds.n += u->pcmds.n;
    }
    u->pcmds.n = 0;
    for (int i = 0; i < u->cmds.n; i++) {
        ui_cmd *c = &u->cmds.c[i];
        if (c->type == UI_CMD_TEXT) c->text = u->arena ? u->arena + u->cmds.off[i] : "";
    }
    if (ncmd) *ncmd = u->cmds.n;
    return u->cmds.c;
}

/* ---- panels and layout -------------------------------------------------------- */

static panel_state *panel_get(ui *u, uint32_t id)
{
    panel_state *victim = &u->panels[0];
    for (int i = 0; i < UI_PANELS; i++) {
        panel_state *p = &u->panels[i];
        if (p->id == id) return p;
        if (p->seen < victim->seen) victim = p;
    }
    memset(victim, 0, sizeof *victim);
    victim->id = id;
    return victim;
}

static float wheel_step(const ui *u) { return 3 * line_h(u); }

void ui_panel_begin(ui *u, const char *name, ui_rect r)
{
    assert(!u->panel && "panels do not nest");
    uint32_t id = make_id(u, name);
    push_raw(u, id);
    panel_state *p = panel_get(u, id);
    p->r = r;
    p->seen = u->frame;
    p->order = u->panel_order++;
    u->panel = p;
    int over = mouse_in(u, r);
    u->mouse_over_panel |= over;
    u->panel_hovered = over && (u->hover_panel == 0 || u->hover_panel == id);

    float maxs = fmaxf(0, p->content_h - r.h);
    if (u->panel_hovered && u->in.wheel != 0 && !over_popup(u)) p->scroll -= u->in.wheel * wheel_step(u);
    p->scroll = clampf(p->scroll, 0, maxs);

    set_clip(u, r);
    draw_rect(u, r, u->style.panel, 0);
    float pad = u->style.pad;
    u->lx = r.x + pad;
    u->lw = fmaxf(0, r.w - 2 * pad);
    u->ly = u->ly_top = u->lmax_y = r.y + pad - p->scroll;
    u->row_n = u->row_i = 0;
}

void ui_panel_end(ui *u)
{
    panel_state *p = u->panel;
    assert(p && "ui_panel_end without ui_panel_begin");
    if (!p) return;
    float pad = u->style.pad;
    p->content_h = u->lmax_y > u->ly_top ? u->lmax_y - u->ly_top + 2 * pad : 0;
    if (p->content_h > p->r.h) {
        /* a thumb only: it says "there is more below" and where we are */
        float s = scale_of(u), maxs = p->content_h - p->r.h;
        float th = fmaxf(p->r.h * p->r.h / p->content_h, 3 * pad);
        float ty = p->r.y + (p->r.h - th) * clampf(p->scroll / maxs, 0, 1);
        draw_rect(u, (ui_rect){p->r.x + p->r.w - 5 * s, ty, 3 * s, th}, with_alpha(u->style.text_dim, 0x90),
                  1.5f * s);
    }
    set_clip(u, (ui_rect){0, 0, -1, -1});
    ui_pop_id(u);
    u->panel = NULL;
}

/* Row widths: > 1 pixels, (0, 1] a fraction of what the pixel widths leave, <= 0 an
   equal share of what remains after both. */
void ui_row(ui *u, int n, const float *widths)
{
    assert(u->panel && "ui_row outside a panel");
    if (u->row_n > 0 && u->row_i > 0) {
        /* an unfinished row: close it so the new one starts below */
        u->ly += u->row_h + u->style.spacing;
    }
    u->row_n = u->row_i = 0;
    if (n <= 0) return;
    if (n > UI_ROW_MAX) n = UI_ROW_MAX;
    float sp = u->style.spacing, avail = fmaxf(0, u->lw - sp * (float)(n - 1));
    float fixed = 0;
    int nequal = 0;
    for (int i = 0; i < n; i++) {
        float w = widths ? widths[i] : 0;
        if (!(w > 0)) nequal++;
        else if (w > 1) fixed += w;
    }
    float left = fmaxf(0, avail - fixed), fracs = 0;
    for (int i = 0; i < n; i++) {
        float w = widths ? widths[i] : 0;
        if (w > 0 && w <= 1) fracs += w * left;
    }
    float share = nequal ? fmaxf(0, left - fracs) / (float)nequal : 0;
    for (int i = 0; i < n; i++) {
        float w = widths ? widths[i] : 0;
        u->row_w[i] = !(w > 0) ? share : w > 1 ? w : w * left;
    }
    u->row_n = n;
    u->row_x = u->lx;
    u->row_h = 0;
}

static float layout_peek_w(const ui *u) { return u->row_n ? u->row_w[u->row_i] : u->lw; }

ui_rect ui_layout_next(ui *u, float h)
{
    assert(u->panel && "widgets go inside a panel");
    if (!(h >= 0)) h = 0;
    ui_rect r;
    if (u->row_n) {
        r = (ui_rect){u->row_x, u->ly, u->row_w[u->row_i], h};
        u->row_x += r.w + u->style.spacing;
        if (h > u->row_h) u->row_h = h;
        if (++u->row_i == u->row_n) {
            u->ly += u->row_h + u->style.spacing;
            u->row_n = u->row_i = 0;
        }
    } else {
        r = (ui_rect){u->lx, u->ly, u->lw, h};
        u->ly += h + u->style.spacing;
    }
    if (r.y + r.h > u->lmax_y) u->lmax_y = r.y + r.h;
    u->last = r;
    return r;
}

/* ---- interaction -------------------------------------------------------------- */

enum { W_HOVER = 1, W_PRESS = 2, W_CLICK = 4, W_ACTIVE = 8 };

static int hoverable(const ui *u, ui_rect r)
{
    return u->panel_hovered && !over_popup(u) && mouse_in(u, r) && mouse_in(u, u->clip);
}

static void scroll_into_view(ui *u, ui_rect r)
{
    panel_state *p = u->panel;
    float pad = u->style.pad, top = p->r.y + pad, bottom = p->r.y + p->r.h - pad;
    if (r.y < top) p->scroll -= top - r.y;
    else if (r.y + r.h > bottom) p->scroll += r.y + r.h - bottom;
    /* clamped against the content height at the next ui_panel_begin */
}

/* microui's update_control: hover, press (takes active and focus), click = release
   over the widget that took the press. */
static int widget_update(ui *u, uint32_t id, ui_rect r)
{
    int st = 0;
    list_push(&u->order_cur, id);
    if (u->focus == id) u->focus_seen = 1;
    if (u->active == id) u->active_seen = 1;
    int over = hoverable(u, r);
    if (over && (u->active == 0 || u->active == id)) {
        st |= W_HOVER;
        u->hot = id;
    }
    if (over && u->in.pressed && !u->swallow && !u->press_taken && u->active == 0) {
        u->active = id;
        u->active_seen = 1;
        u->press_taken = 1;
        u->focus = id;
        u->focus_seen = 1;
        st |= W_PRESS;
    }
    if (u->active == id) {
        /* a frame with neither the button held nor its release (a lost release) does
           not drag: its mouse position says nothing about the drag */
        if (u->in.down || u->in.released) st |= W_ACTIVE;
        if (u->in.released || !u->in.down) {
            if (over && u->in.released) st |= W_CLICK;
            u->active = 0;
        }
    }
    if (u->focus == id && u->focus_by_key) scroll_into_view(u, r);
    return st;
}

static int take_key(ui *u, unsigned k)
{
    if (!(u->in.keys & k)) return 0;
    u->in.keys &= ~k;
    return 1;
}

static uint32_t bg_color(const ui *u, int st)
{
    return (st & W_ACTIVE) ? u->style.widget_active : (st & W_HOVER) ? u->style.widget_hot : u->style.widget;
}

static void focus_ring(ui *u, uint32_t id, ui_rect r)
{
    if (u->focus != id) return;
    float s = scale_of(u);
    draw_box(u, rect_grow(r, 2 * s), u->style.focus, u->style.radius + 2 * s, 2 * s);
}

static float text_y(const ui *u, ui_rect r) { return r.y + (r.h - line_h(u)) / 2; }

/* ---- text editing (text boxes and slider value boxes) ------------------------- */

/* id starts editing; a value box still open elsewhere (its slider comes later in
   this frame, or it would have seen the click and closed) keeps its typed text */
static void edit_take(ui *u, uint32_t id, int num)
{
    if (u->edit_id && u->edit_id != id && u->edit_num) {
        u->pending_id = u->edit_id;
        memcpy(u->pending_num, u->num, sizeof u->num);
    }
    u->edit_id = id;
    u->edit_num = num;
    u->edit_seen = 1;
    u->edit_fresh = 0;
    u->edit_scroll = 0;
}

enum { ED_CHANGED = 1, ED_SUBMIT = 2, ED_CANCEL = 4 };

static int edit_insert(char *buf, size_t cap, int *cursor, const char *t)
{
    int len = (int)strlen(buf), tl = (int)strlen(t), changed = 0;
    for (int i = 0; i < tl;) {
        unsigned char c = (unsigned char)t[i];
        int n = cp_len(c), ok = n > 0 && i + n <= tl;
        for (int k = 1; ok && k < n; k++) ok = is_cont(t[i + k]);
        if (!ok) { i++; continue; }        /* stray byte: skip, keep buf valid UTF-8 */
        if (n == 1 && (c < 0x20 || c == 0x7F)) { i++; continue; }
        if ((size_t)(len + n) >= cap) break;
        memmove(buf + *cursor + n, buf + *cursor, (size_t)(len - *cursor + 1));
        memcpy(buf + *cursor, t + i, (size_t)n);
        *cursor += n;
        len += n;
        changed = 1;
        i += n;
    }
    return changed;
}

/* The selected bytes [*a, *b) of the edited text (a == b: none); a fresh value box
   is selected whole. */
static void sel_range(const ui *u, int len, int *a, int *b)
{
    if (u->edit_fresh) { *a = 0; *b = len; return; }
    int x = u->edit_anchor < 0 ? 0 : u->edit_anchor > len ? len : u->edit_anchor, y = u->edit_cursor;
    *a = x < y ? x : y;
    *b = x < y ? y : x;
}

static int sel_delete(ui *u, char *buf)
{
    int len = (int)strlen(buf), a, b;
    sel_range(u, len, &a, &b);
    u->edit_fresh = 0;
    if (a == b) return 0;
    memmove(buf + a, buf + b, (size_t)(len - b + 1));
    u->edit_cursor = u->edit_anchor = a;
    return 1;
}

/* The selection of buf (len bytes) to the clipboard, and out of buf when cut: 1
 * when buf changed. */
static int edit_copy(ui *u, char *buf, int len, int cut)
{
    int a, b;
    sel_range(u, len, &a, &b);
    if (a < b && u->clipboard.set) {
        char *t = malloc((size_t)(b - a) + 1);
        if (t) {
            memcpy(t, buf + a, (size_t)(b - a));
            t[b - a] = '\0';
            u->clipboard.set(u->clipboard.user, t);
            free(t);
        }
    }
    if (!cut || a >= b) return 0;
    sel_delete(u, buf);
    return 1;
}

static int edit_keys(ui *u, char *buf, size_t cap)
{
    int res = 0, len = (int)strlen(buf);
    int *cur = &u->edit_cursor;
    *cur = cp_snap(buf, len, *cur);
    u->edit_anchor = cp_snap(buf, len, u->edit_anchor);
    unsigned k = u->in.keys;
    int shift = (u->in.mods & UI_MOD_SHIFT) != 0;
    if (k & UI_KEY_SELECT_ALL) {
        u->edit_fresh = 0;
        u->edit_anchor = 0;
        *cur = len;
    }
    if ((k & (UI_KEY_COPY | UI_KEY_CUT)) && edit_copy(u, buf, len, (k & UI_KEY_CUT) != 0)) {
        res |= ED_CHANGED;
        len = (int)strlen(buf);
    }
    const char *paste = (k & UI_KEY_PASTE) && u->clipboard.get ? u->clipboard.get(u->clipboard.user) : NULL;
    if (u->in.text[0] || (paste && paste[0])) {
        if (sel_delete(u, buf)) res |= ED_CHANGED;
        if (u->in.text[0] && edit_insert(buf, cap, cur, u->in.text)) res |= ED_CHANGED;
        if (paste && paste[0] && edit_insert(buf, cap, cur, paste)) res |= ED_CHANGED;
        u->edit_anchor = *cur;
        len = (int)strlen(buf);
    }
    if (k & (UI_KEY_BACKSPACE | UI_KEY_DELETE)) {
        int a, b;
        sel_range(u, len, &a, &b);
        if (a < b) {
            sel_delete(u, buf);
            res |= ED_CHANGED;
        } else if ((k & UI_KEY_BACKSPACE) && *cur > 0) {
            int p = cp_prev(buf, *cur);
            memmove(buf + p, buf + *cur, (size_t)(len - *cur + 1));
            *cur = p;
            res |= ED_CHANGED;
        } else if ((k & UI_KEY_DELETE) && *cur < len) {
            int q = cp_next(buf, len, *cur);
            memmove(buf + *cur, buf + q, (size_t)(len - q + 1));
            res |= ED_CHANGED;
        }
        u->edit_fresh = 0;
        u->edit_anchor = *cur;
        len = (int)strlen(buf);
    }
    if (k & (UI_KEY_LEFT | UI_KEY_RIGHT | UI_KEY_HOME | UI_KEY_END)) {
        int a, b;
        sel_range(u, len, &a, &b);
        if (shift && u->edit_fresh) u->edit_anchor = 0;
        int collapse = !shift && !u->edit_fresh && a < b;
        u->edit_fresh = 0;
        if (collapse && (k & UI_KEY_LEFT)) *cur = a;
        else if (collapse && (k & UI_KEY_RIGHT)) *cur = b;
        else {
            if (k & UI_KEY_LEFT) *cur = cp_prev(buf, *cur);
            if (k & UI_KEY_RIGHT) *cur = cp_next(buf, len, *cur);
        }
        if (k & UI_KEY_HOME) *cur = 0;
        if (k & UI_KEY_END) *cur = len;
        if (!shift) u->edit_anchor = *cur;
    }
    if (k & UI_KEY_ENTER) res |= ED_SUBMIT;
    if (k & UI_KEY_ESCAPE) res |= ED_CANCEL;
    u->in.keys &= ~(unsigned)(UI_KEY_LEFT | UI_KEY_RIGHT | UI_KEY_HOME | UI_KEY_END | UI_KEY_ENTER |
                              UI_KEY_ESCAPE | UI_KEY_BACKSPACE | UI_KEY_DELETE | UI_KEY_SELECT_ALL |
                              UI_KEY_COPY | UI_KEY_CUT | UI_KEY_PASTE);
    return res;
}

static ui_rect edit_inner(const ui *u, ui_rect box)
{
    float pad = u->style.pad;
    return (ui_rect){box.x + pad, box.y, fmaxf(0, box.w - 2 * pad), box.h};
}

/* the byte offset whose caret lies nearest to x (relative to the text start) */
static int cursor_from_x(const ui *u, const char *s, int len, float x)
{
    int best = 0;
    float bestd = fabsf(x);
    for (int i = 0; i < len;) {
        int j = cp_next(s, len, i);
        float w = text_w(u, s, j), d = fabsf(w - x);
        if (d < bestd) { bestd = d; best = j; }
        if (w > x) break;
        i = j;
    }
    return best;
}

/* Draws an edited (or idle) one-line text in box; the text scrolls horizontally so
   that the caret stays inside. */
static void edit_draw(ui *u, ui_rect box, const char *s, int editing, uint32_t color)
{
    float s1 = scale_of(u), lh = line_h(u);
    int len = (int)strlen(s);
    ui_rect in = edit_inner(u, box);
    float scroll = 0, ty = text_y(u, box);
    if (editing) {
        float cx = text_w(u, s, u->edit_cursor), tw = text_w(u, s, len);
        scroll = u->edit_scroll;
        if (cx - scroll > in.w) scroll = cx - in.w;
        if (cx - scroll < 0) scroll = cx;
        if (tw - scroll < in.w) scroll = fmaxf(0, tw - in.w);
        u->edit_scroll = scroll;
    }
    ui_rect saved = u->clip;
    set_clip(u, rect_intersect(saved, (ui_rect){in.x - 2 * s1, box.y, in.w + 4 * s1, box.h}));
    if (editing && len > 0) {
        int a, b;
        sel_range(u, len, &a, &b);
        if (a < b)
            draw_rect(u, (ui_rect){in.x - scroll + text_w(u, s, a), ty, text_w(u, s + a, b - a), lh},
                      with_alpha(u->style.accent, 0x70), 0);
    }
    draw_text(u, in.x - scroll, ty, s, len, color);
    if (editing) {
        float cx = text_w(u, s, u->edit_cursor);
        draw_rect(u, (ui_rect){in.x - scroll + cx - 0.75f * s1, ty, fmaxf(1, 1.5f * s1), lh}, u->style.text, 0);
    }
    set_clip(u, saved);
}

/* ---- widgets ------------------------------------------------------------------ */

int ui_header(ui *u, const char *label, int *open)
{
    assert(open);
    uint32_t id = make_id(u, label);
    ui_rect r = ui_layout_next(u, item_h(u));
    int st = widget_update(u, id, r);
    if ((st & W_CLICK) || (u->focus == id && take_key(u, UI_KEY_ENTER))) *open = !*open;
    float lh = line_h(u), pad = u->style.pad;
    draw_rect(u, r, bg_color(u, st), u->style.radius);
    draw_triangle(u, r.x + pad + lh * 0.3f, r.y + r.h / 2, lh * 0.55f, *open != 0, u->style.text);
    float tx = r.x + 2 * pad + lh * 0.6f;
    draw_text_fit(u, tx, text_y(u, r), label, vis_len(label), r.x + r.w - pad - tx, u->style.text);
    focus_ring(u, id, r);
    return *open != 0;
}

void ui_label(ui *u, const char *text, uint32_t color)
{
    const char *s = text ? text : "";
    float w = layout_peek_w(u);
    int lines = wrap_text(u, s, 0, 0, w, 0, 0, 0);
    ui_rect r = ui_layout_next(u, (float)lines * line_h(u));
    if (visible(u, r)) wrap_text(u, s, r.x, r.y, r.w, 0, color ? color : u->style.text, 1);
}

void ui_swatch_label(ui *u, uint32_t swatch, const char *text)
{
    const char *s = text ? text : "";
    float lh = line_h(u), sz = lh * 0.7f, pad = u->style.pad;
    ui_rect r = ui_layout_next(u, item_h(u));
    draw_rect(u, (ui_rect){r.x, r.y + (r.h - sz) / 2, sz, sz}, swatch, sz * 0.2f);
    float tx = r.x + sz + pad;
    draw_text_fit(u, tx, text_y(u, r), s, (int)strlen(s), r.x + r.w - tx, u->style.text);
}

int ui_button(ui *u, const char *label)
{
    uint32_t id = make_id(u, label);
    ui_rect r = ui_layout_next(u, item_h(u));
    int st = widget_update(u, id, r);
    int hit = (st & W_CLICK) || (u->focus == id && take_key(u, UI_KEY_ENTER));
    draw_rect(u, r, bg_color(u, st), u->style.radius);
    int n = vis_len(label);
    float pad = u->style.pad, tw = text_w(u, label, n), maxw = r.w - 2 * pad;
    float tx = tw < maxw ? r.x + (r.w - tw) / 2 : r.x + pad;
    draw_text_fit(u, tx, text_y(u, r), label, n, maxw, u->style.text);
    focus_ring(u, id, r);
    return hit;
}

int ui_checkbox(ui *u, const char *label, int *v)
{
    assert(v);
    uint32_t id = make_id(u, label);
    ui_rect r = ui_layout_next(u, item_h(u));
    int st = widget_update(u, id, r);
    int hit = (st & W_CLICK) || (u->focus == id && take_key(u, UI_KEY_ENTER));
    if (hit) *v = !*v;
    float lh = line_h(u), pad = u->style.pad, s = scale_of(u), bs = lh * 0.85f;
    ui_rect b = {r.x + 2 * s, r.y + (r.h - bs) / 2, bs, bs};
    if (*v) {
        draw_rect(u, b, u->style.accent, u->style.radius * 0.75f);
        float in = bs * 0.3f;
        draw_rect(u, (ui_rect){b.x + in, b.y + in, bs - 2 * in, bs - 2 * in}, 0xFFFFFFFFu, s);   /* white on the accent in both themes */
    } else {
        draw_rect(u, b, bg_color(u, st), u->style.radius * 0.75f);
        draw_box(u, b, u->style.text_dim, u->style.radius * 0.75f, 1.5f * s);
    }
    float tx = b.x + bs + pad;
    draw_text_fit(u, tx, text_y(u, r), label, vis_len(label), r.x + r.w - tx, u->style.text);
    focus_ring(u, id, r);
    return hit;
}

/* ---- slider ------------------------------------------------------------------- */

static double slider_fix(double v, double lo, double hi, unsigned flags)
{
    if (isnan(v)) v = lo;
    if (flags & UI_SLIDER_INT) {
        v = round(v);
        double a = ceil(lo), b = floor(hi);
        if (a <= b) {
            if (v < a) v = a;
            if (v > b) v = b;
            return v;
        }
    }
    return v < lo ? lo : v > hi ? hi : v;
}

/* how a slider maps t in [0, 1] to its value */
enum { MAP_LINEAR, MAP_LOG, MAP_LOG1M };

static double slider_from_t(double t, double lo, double hi, int lg)
{
    if (!(t > 0)) return lo;
    if (t >= 1) return hi;
    if (lg == MAP_LOG) return lo * pow(hi / lo, t);
    if (lg == MAP_LOG1M) return 1 - (1 - lo) * pow((1 - hi) / (1 - lo), t);
    double v = lo + t * (hi - lo);
    return isfinite(v) ? v : lo * (1 - t) + hi * t;   /* hi - lo overflowed */
}

static double slider_to_t(double v, double lo, double hi, int lg)
{
    if (!(hi > lo)) return 0;
    if (isnan(v)) return 0;
    if (v <= lo) return 0;
    if (v >= hi) return 1;
    double t = lg == MAP_LOG ? log(v / lo) / log(hi / lo)
             : lg == MAP_LOG1M ? log((1 - v) / (1 - lo)) / log((1 - hi) / (1 - lo))
             : (v - lo) / (hi - lo);
    return t < 0 ? 0 : t > 1 ? 1 : t;
}

/* 3 significant digits: what a drag gives (of 1 - v for MAP_LOG1M) */
static double round3(double v)
{
    if (v == 0 || !isfinite(v)) return v;
    char b[32];
    snprintf(b, sizeof b, "%.3g", v);
    return strtod(b, NULL);
}

static double slider_snap(double v, int lg)
{
    return lg == MAP_LOG1M ? 1 - round3(1 - v) : round3(v);
}

/* the shortest text that reads back as exactly v: Enter without typing keeps v */
static void format_exact(char *b, size_t n, double v, unsigned flags)
{
    if ((flags & UI_SLIDER_INT) || (v == floor(v) && fabs(v) < 1e15)) {
        snprintf(b, n, "%.0f", v);   /* 20000, not 2e+04 */
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(b, n, "%.*g", p, v);
        if (strtod(b, NULL) == v) return;
    }
}

/* fmt with its first conversion replaced by the text num, and tail appended */
static int fmt_with_text(char *out, size_t n, const char *fmt, const char *num, const char *tail)
{
    size_t o = 0;
    int done = 0;
    for (const char *p = fmt; *p && o + 1 < n; p++) {
        if (*p == '%' && p[1] == '%') { out[o++] = '%'; p++; continue; }
        if (*p == '%' && !done) {
            p++;
            while (*p && strchr("-+ #0123456789.l", *p)) p++;
            for (const char *q = num; *q && o + 1 < n; q++) out[o++] = *q;
            done = 1;
            if (!*p) break;
            continue;
        }
        out[o++] = *p;
    }
    for (const char *q = tail; *q && o + 1 < n; q++) out[o++] = *q;
    out[o] = '\0';
    return (int)o;
}

static int parse_number(const char *s, double *out)
{
    char *end;
    double x = strtod(s, &end);
    if (end == s) return 0;
    while (*end && isspace((unsigned char)*end)) end++;
    if (*end || !isfinite(x)) return 0;
    *out = x;
    return 1;
}

static void slider_step(ui *u, double *v, double lo, double hi, unsigned flags, int lg)
{
    unsigned k = u->in.keys;
    if (k & UI_KEY_HOME) { *v = slider_fix(lo, lo, hi, flags); }
    else if (k & UI_KEY_END) { *v = slider_fix(hi, lo, hi, flags); }
    else if (!(k & UI_KEY_LEFT) != !(k & UI_KEY_RIGHT)) {   /* both at once cancel */
        int dir = (k & UI_KEY_RIGHT) ? 1 : -1;
        /* Shift wins over Ctrl: the finer step is the safer one */
        double frac = (u->in.mods & UI_MOD_SHIFT) ? 1e-3 : (u->in.mods & UI_MOD_CTRL) ? 1e-1 : 1e-2;
        double nv;
        if (lg == MAP_LOG1M) {
            nv = slider_from_t(slider_to_t(*v, lo, hi, lg) + dir * frac, lo, hi, lg);
        } else if (lg) {
            nv = *v * pow(hi / lo, dir * frac);
        } else {
            double step = (hi - lo) * frac;
            if ((flags & UI_SLIDER_INT) && step < 1) step = 1;
            nv = *v + dir * step;
        }
        nv = slider_fix(nv, lo, hi, flags);
        /* an int slider whose step rounds away must still move */
        if ((flags & UI_SLIDER_INT) && nv == *v) nv = slider_fix(*v + dir, lo, hi, flags);
        *v = nv;
    }
    u->in.keys &= ~(unsigned)(UI_KEY_LEFT | UI_KEY_RIGHT | UI_KEY_HOME | UI_KEY_END);
}

static void slider_open_box(ui *u, uint32_t id, double v, unsigned flags)
{
    edit_take(u, id, 1);
    u->focus = id;
    u->focus_seen = 1;
    format_exact(u->num, sizeof u->num, v, flags);
    u->edit_cursor = u->edit_anchor = (int)strlen(u->num);
    u->edit_fresh = 1;   /* typing replaces the whole value, as if it were selected */
}

static void slider_commit(const char *text, double *v, double lo, double hi, unsigned flags)
{
    double x;
    if (parse_number(text, &x)) *v = slider_fix(x, lo, hi, flags);
}

/* The slider's box: its text box while one is open, else the bar at v, the label and
 * the value (exactly, when outside lo..hi). */
static void slider_draw(ui *u, uint32_t id, ui_rect r, int st, double v, double lo, double hi, int lg,
                        const char *label, const char *fmt)
{
    float pad = u->style.pad, s = scale_of(u);
    if (u->edit_id == id) {
        draw_rect(u, r, u->style.widget_active, u->style.radius);
        draw_box(u, r, u->style.accent, u->style.radius, 1.5f * s);
        edit_draw(u, r, u->num, 1, u->style.text);
    } else {
        draw_rect(u, r, bg_color(u, st), u->style.radius);
        double t = slider_to_t(v, lo, hi, lg);
        float fw = (float)(t * r.w), kw = 3 * s;
        draw_rect(u, (ui_rect){r.x, r.y, fw, r.h}, with_alpha(u->style.accent, 0x66), u->style.radius);
        draw_rect(u, (ui_rect){r.x + clampf(fw - kw / 2, 0, r.w - kw), r.y, kw, r.h}, u->style.accent, kw / 2);
        char val[96];
        int vn = snprintf(val, sizeof val, fmt, v);
        if (vn < 0) vn = 0;
        if (vn >= (int)sizeof val) vn = (int)sizeof val - 1;
        if (!(v >= lo && v <= hi)) {
            /* from the command line or a scene: shown exactly, with what it is */
            char ex[40];
            format_exact(ex, sizeof ex, v, 0);
            vn = fmt_with_text(val, sizeof val, fmt, ex, " out of range");
        }
        float ty = text_y(u, r), inner = r.w - 2 * pad;
        if (fmt[0] == '%' && fmt[1] != '%') {
            /* a bare number format: the label on the left, the value on the right */
            float vw = fminf(text_w(u, val, vn), inner);
            draw_text_fit(u, r.x + r.w - pad - vw, ty, val, vn, vw, u->style.text);
            draw_text_fit(u, r.x + pad, ty, label, vis_len(label), inner - vw - pad, u->style.text);
        } else {
            /* "lr %.3g": the format names the value itself */
            draw_text_fit(u, r.x + pad, ty, val, vn, inner, u->style.text);
        }
    }
}

int ui_slider(ui *u, const char *label, double *v, double lo, double hi, unsigned flags, const char *fmt)
{
    assert(v && !isnan(lo) && !isnan(hi));
    if (hi < lo) { double t = lo; lo = hi; hi = t; }
    int lg = (flags & UI_SLIDER_LOG) && lo > 0 && hi > lo && isfinite(hi / lo) ? MAP_LOG
           : (flags & UI_SLIDER_LOG1M) && hi < 1 && hi > lo && isfinite(lo) ? MAP_LOG1M
           : MAP_LINEAR;
    if (!fmt) fmt = (flags & UI_SLIDER_INT) ? "%.0f" : "%.4g";
    /* the caller's value is never changed by drawing it: only by the user */
    double old = *v;

    uint32_t id = make_id(u, label);
    ui_rect r = ui_layout_next(u, item_h(u));
    int st = widget_update(u, id, r);
    if (u->pending_id == id) {
        slider_commit(u->pending_num, v, lo, hi, flags);
        u->pending_id = 0;
    }

    if (u->edit_id == id) {
        u->edit_seen = 1;
        if (st & W_PRESS) {
            ui_rect in = edit_inner(u, r);
            u->edit_cursor = cursor_from_x(u, u->num, (int)strlen(u->num), u->in.mx - (in.x - u->edit_scroll));
            u->edit_anchor = u->edit_cursor;
            u->edit_fresh = 0;
        } else if (u->in.pressed && !mouse_in(u, r)) {
            slider_commit(u->num, v, lo, hi, flags);   /* clicking away keeps what was typed */
            u->edit_id = 0;
        }
        if (u->edit_id == id) {
            int res = edit_keys(u, u->num, sizeof u->num);
            if (res & ED_SUBMIT) slider_commit(u->num, v, lo, hi, flags);
            if (res & (ED_SUBMIT | ED_CANCEL)) u->edit_id = 0;
        }
    } else if ((st & W_PRESS) && u->in.double_click) {
        slider_open_box(u, id, *v, flags);
    } else {
        if (st & W_ACTIVE) {
            double t = r.w > 0 ? ((double)u->in.mx - r.x) / r.w : 0;
            double nv = slider_fix(slider_snap(slider_from_t(t, lo, hi, lg), lg), lo, hi, flags);
            /* a press that lands on the value shown keeps it exactly */
            if (!((st & W_PRESS) && !(*v < lo || *v > hi) && slider_snap(*v, lg) == nv)) *v = nv;
        }
        if (u->focus == id) {
            if (take_key(u, UI_KEY_ENTER)) slider_open_box(u, id, *v, flags);
            else slider_step(u, v, lo, hi, flags, lg);
        }
    }

    slider_draw(u, id, r, st, *v, lo, hi, lg, label, fmt);
    focus_ring(u, id, r);
    return !(*v == old || (isnan(*v) && isnan(old)));
}

/* ---- choice ------------------------------------------------------------------- */

static void popup_layout(ui *u, ui_rect r, int n, int sel)
{
    float ih = item_h(u), total = ih * (float)n, gap = 2 * scale_of(u);
    ui_rect b = u->panel->r;
    float below = b.y + b.h - (r.y + r.h) - gap, above = r.y - b.y - gap, y, ph;
    if (total <= below) { y = r.y + r.h + gap; ph = total; }
    else if (total <= above) { ph = total; y = r.y - gap - ph; }
    else if (below >= above) { y = r.y + r.h + gap; ph = fmaxf(below, fminf(ih, total)); }
    else { ph = fmaxf(above, fminf(ih, total)); y = r.y - gap - ph; }
    u->popup_r = (ui_rect){r.x, y, r.w, ph};
    float maxs = fmaxf(0, total - ph);
    if (u->popup_reveal) {
        /* keep the selected item in view (opened, or moved by keys) */
        float iy = ih * (float)sel;
        if (iy < u->popup_scroll) u->popup_scroll = iy;
        if (iy + ih > u->popup_scroll + ph) u->popup_scroll = iy + ih - ph;
        u->popup_reveal = 0;
    }
    if (u->in.wheel != 0 && mouse_in(u, u->popup_r)) u->popup_scroll -= u->in.wheel * ih;
    u->popup_scroll = clampf(u->popup_scroll, 0, maxs);
}

/* The open list of a choice below (or above) its box r: a click picks an entry and
 * closes it; otherwise it is drawn, *sel and the hovered entry marked. */
static void choice_popup(ui *u, uint32_t id, ui_rect r, int *sel, const char *const *names, int n)
{
    float pad = u->style.pad, s = scale_of(u);
    u->popup_seen = 1;
    popup_layout(u, r, n, *sel);
    float ih = item_h(u);
    ui_rect pr = u->popup_r;
    int first = (int)(u->popup_scroll / ih), hovered = -1;
    for (int i = first < 0 ? 0 : first; i < n; i++) {
        ui_rect ir = {pr.x, pr.y + (float)i * ih - u->popup_scroll, pr.w, ih};
        if (ir.y >= pr.y + pr.h) break;
        if (mouse_in(u, ir) && mouse_in(u, pr)) hovered = i;
    }
    if (hovered >= 0 && u->in.pressed && !u->swallow && !u->press_taken) {
        *sel = hovered;
        u->popup_id = 0;
        u->press_taken = 1;
        u->focus = id;
        u->focus_seen = 1;
    } else {
        u->in_popup = 1;
        set_clip(u, pr);
        draw_rect(u, pr, u->style.popup, u->style.radius);
        for (int i = first < 0 ? 0 : first; i < n; i++) {
            ui_rect ir = {pr.x, pr.y + (float)i * ih - u->popup_scroll, pr.w, ih};
            if (ir.y >= pr.y + pr.h) break;
            if (i == *sel) draw_rect(u, ir, with_alpha(u->style.accent, 0x80), 0);
            else if (i == hovered) draw_rect(u, ir, u->style.widget_hot, 0);
            const char *t = names[i] ? names[i] : "";
            draw_text_fit(u, ir.x + pad, text_y(u, ir), t, (int)strlen(t), ir.w - 2 * pad, u->style.text);
        }
        draw_box(u, pr, u->style.accent, u->style.radius, 1.5f * s);
        set_clip(u, (ui_rect){0, 0, -1, -1});
        u->in_popup = 0;
    }
}

int ui_choice(ui *u, const char *label, int *sel, const char *const *names, int n)
{
    assert(sel && (n <= 0 || names));
    int old = *sel;
    if (n > 0) {
        if (*sel < 0) *sel = 0;
        if (*sel >= n) *sel = n - 1;
    }
    uint32_t id = make_id(u, label);
    ui_rect r = ui_layout_next(u, item_h(u));
    int st = widget_update(u, id, r);
    if (n > 0) {
        if ((st & W_PRESS) && u->popup_id != id) {
            u->popup_id = id;
            u->popup_scroll = 0;
            u->popup_reveal = 1;
        }
        if (u->popup_id == id) {
            if (take_key(u, UI_KEY_UP) && *sel > 0) { (*sel)--; u->popup_reveal = 1; }
            if (take_key(u, UI_KEY_DOWN) && *sel < n - 1) { (*sel)++; u->popup_reveal = 1; }
            if (take_key(u, UI_KEY_ENTER)) u->popup_id = 0;
        }
        if (u->focus == id) {
            if (take_key(u, UI_KEY_LEFT)) *sel = (*sel + n - 1) % n;
            if (take_key(u, UI_KEY_RIGHT) || take_key(u, UI_KEY_ENTER)) *sel = (*sel + 1) % n;
            if (*sel != old) u->popup_reveal = 1;
        }
    }

    float pad = u->style.pad, lh = line_h(u);
    draw_rect(u, r, bg_color(u, st), u->style.radius);
    float mark = lh * 0.5f, right = r.x + r.w - pad - mark;
    draw_triangle(u, right + mark / 2, r.y + r.h / 2, mark, 1, u->style.text_dim);
    const char *name = n > 0 && names[*sel] ? names[*sel] : "-";
    int nl = (int)strlen(name), ll = vis_len(label);
    float ty = text_y(u, r), avail = right - pad - (r.x + pad);
    float nw = fminf(text_w(u, name, nl), ll ? avail * 0.65f : avail);
    if (ll) {
        draw_text_fit(u, r.x + pad, ty, label, ll, avail - nw - pad, u->style.text_dim);
        draw_text_fit(u, right - pad - nw, ty, name, nl, nw, u->style.text);
    } else {
        draw_text_fit(u, r.x + pad, ty, name, nl, avail, u->style.text);
    }
    focus_ring(u, id, r);

    if (n > 0 && u->popup_id == id) choice_popup(u, id, r, sel, names, n);
    return *sel != old;
}

/* ---- text box ----------------------------------------------------------------- */

int ui_textbox(ui *u, const char *label, char *buf, size_t cap, const char *error)
{
    assert(buf && cap > 0);
    if (!memchr(buf, '\0', cap)) buf[cap - 1] = '\0';
    uint32_t id = make_id(u, label);
    float pad = u->style.pad, h = item_h(u), w = layout_peek_w(u);
    int ll = vis_len(label);
    float lw = ll ? fminf(text_w(u, label, ll) + pad, w * 0.4f) : 0;
    int elines = error ? wrap_text(u, error, 0, 0, w - lw, UI_ERROR_LINES, 0, 0) : 0;
    ui_rect r = ui_layout_next(u, h + (float)elines * line_h(u));
    ui_rect line = {r.x, r.y, r.w, h}, box = {r.x + lw, r.y, r.w - lw, h};
    int st = widget_update(u, id, line);
    int res = 0, len = (int)strlen(buf);

    if (st & W_PRESS) {
        ui_rect in = edit_inner(u, box);
        if (u->edit_id != id) edit_take(u, id, 0);
        u->edit_cursor = u->edit_anchor = cursor_from_x(u, buf, len, u->in.mx - (in.x - u->edit_scroll));
        if (u->in.double_click) {
            u->edit_anchor = 0;
            u->edit_cursor = len;
        }
    } else if (u->edit_id == id && (st & W_ACTIVE) && u->in.down) {
        /* a drag selects from where it was pressed */
        ui_rect in = edit_inner(u, box);
        u->edit_cursor = cursor_from_x(u, buf, len, u->in.mx - (in.x - u->edit_scroll));
    } else if (u->edit_id == id && u->in.pressed && !mouse_in(u, line)) {
        u->edit_id = 0;
    } else if (u->edit_id != id && u->focus == id && (take_key(u, UI_KEY_ENTER) || u->in.text[0])) {
        edit_take(u, id, 0);
        u->edit_cursor = u->edit_anchor = len;
    }
    if (u->edit_id == id) {
        u->edit_seen = 1;
        int e = edit_keys(u, buf, cap);
        if (e & ED_CHANGED) res = UI_TEXT_CHANGED;
        /* Enter applies and keeps the keyboard: the next edit follows at once */
        if (e & ED_SUBMIT) res = UI_TEXT_SUBMIT;
        else if (e & ED_CANCEL) u->edit_id = 0;
    }

    float s = scale_of(u);
    int editing = u->edit_id == id;
    if (ll) draw_text_fit(u, r.x, text_y(u, line), label, ll, lw - pad, u->style.text_dim);
    draw_rect(u, box, editing ? u->style.widget_active : bg_color(u, st), u->style.radius);
    if (editing) draw_box(u, box, u->style.accent, u->style.radius, 1.5f * s);
    else if (error) draw_box(u, box, u->style.error, u->style.radius, 1.5f * s);
    edit_draw(u, box, buf, editing, u->style.text);
    if (error) wrap_text(u, error, box.x, r.y + h, box.w, UI_ERROR_LINES, u->style.error, 1);
    focus_ring(u, id, line);
    return res;
}
