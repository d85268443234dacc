/* ui: immediate-mode widgets in the model of microui. Each frame the caller passes
 * the input, calls widget functions that edit its values in place and say whether
 * they changed, and gets back a list of draw commands (rects, text, clips) that the
 * render layer draws. Text is measured through a callback, so tests run with a fake
 * font. No SDL, no GL, no globals.
 *
 * Keyboard: Up/Down move the focus through the focusable widgets, Left/Right change
 * the focused slider by 1/100 of its range (log sliders: of its decades; with Shift
 * by 1/1000; Ctrl: by 1/10), Home/End go to its ends, Enter toggles a checkbox,
 * presses a button, cycles a choice, and on a slider opens a box to type the exact
 * value (Enter accepts, Escape cancels). Escape drops the focus. A double click on
 * a slider also opens the box.
 *
 * Labels: the text before "##" is shown, the whole label is hashed into the id
 * ("Reset##2" shows "Reset"), so widgets can share a visible label. */
#ifndef OPTISCAPE_UI_H
#define OPTISCAPE_UI_H

#include <stddef.h>
#include <stdint.h>

typedef struct ui_rect { float x, y, w, h; } ui_rect;

typedef struct ui_font {
    void *user;
    /* width in pixels of s[0..len) at text size px */
    float (*text_width)(void *user, const char *s, int len, float px);
    /* height of a line box at text size px */
    float (*line_height)(void *user, float px);
} ui_font;

enum {
    UI_KEY_LEFT = 1u << 0, UI_KEY_RIGHT = 1u << 1, UI_KEY_UP = 1u << 2, UI_KEY_DOWN = 1u << 3,
    UI_KEY_HOME = 1u << 4, UI_KEY_END = 1u << 5, UI_KEY_ENTER = 1u << 6,
    UI_KEY_ESCAPE = 1u << 7, UI_KEY_BACKSPACE = 1u << 8, UI_KEY_DELETE = 1u << 9,
    /* editing commands (the caller maps Ctrl+A, Ctrl+C, Ctrl+X, Ctrl+V to them) */
    UI_KEY_SELECT_ALL = 1u << 10, UI_KEY_COPY = 1u << 11, UI_KEY_CUT = 1u << 12, UI_KEY_PASTE = 1u << 13
};
enum { UI_MOD_SHIFT = 1u << 0, UI_MOD_CTRL = 1u << 1 };

typedef struct ui_input {
    float mx, my;            /* mouse, pixels */
    int down;                /* left button held */
    int pressed, released;   /* left button went down / up this frame */
    int double_click;        /* the press this frame was a double click */
    float wheel;             /* wheel steps this frame, + = up */
    unsigned keys;           /* UI_KEY_* pressed (or repeated) this frame; several of one key
                                in a frame are several inputs, one ui_begin each, in order */
    unsigned mods;           /* UI_MOD_* held */
    char text[32];           /* UTF-8 typed this frame */
} ui_input;

/* The system clipboard, through the caller (the ui stays free of SDL): get returns
 * UTF-8 text or NULL (owned by the caller until the next call), set copies text. */
typedef struct ui_clipboard {
    void *user;
    const char *(*get)(void *user);
    void (*set)(void *user, const char *text);
} ui_clipboard;

typedef enum ui_cmd_type { UI_CMD_CLIP, UI_CMD_RECT, UI_CMD_BOX, UI_CMD_TEXT } ui_cmd_type;

typedef struct ui_cmd {
    ui_cmd_type type;
    ui_rect r;               /* CLIP: rect (w < 0: none); RECT: filled; BOX: outline;
                                TEXT: r.x, r.y top left of the line box */
    uint32_t color;          /* 0xRRGGBBAA */
    float radius;            /* corner radius (RECT, BOX) */
    float width;             /* outline width (BOX) */
    float px;                /* text size (TEXT) */
    const char *text;        /* TEXT: not NUL-terminated; valid until the next ui_begin */
    int len;
} ui_cmd;

typedef struct ui_style {
    float px;                /* text size */
    float pad;               /* inner padding */
    float spacing;           /* between widgets */
    float radius;
    uint32_t panel, widget, widget_hot, widget_active, accent, text, text_dim,
             error, focus, popup;
} ui_style;

/* The two themes, scaled (1 = 14 px text). */
ui_style ui_style_dark(float scale);
ui_style ui_style_light(float scale);

typedef struct ui ui;

ui *ui_create(const ui_font *font);
void ui_destroy(ui *u);
void ui_set_style(ui *u, const ui_style *s);
/* Paste and copy in text boxes go through cb (NULL or unset: no clipboard). */
void ui_set_clipboard(ui *u, const ui_clipboard *cb);
const ui_style *ui_get_style(const ui *u);

void ui_begin(ui *u, const ui_input *in);
/* The list of commands of the frame; valid until the next ui_begin. */
const ui_cmd *ui_end(ui *u, int *ncmd);

/* True when the last frame's mouse was over a panel or popup, or a widget is being
 * dragged: the canvas should not take the mouse.
 * (Also while a choice popup is open: the next click anywhere only closes it.) */
int ui_wants_mouse(const ui *u);
/* True while a text box (or a slider's value box) has the keyboard. */
int ui_wants_keyboard(const ui *u);
/* True while any widget has the keyboard focus (arrows belong to the ui). */
int ui_has_focus(const ui *u);

/* A panel: widgets are laid out top to bottom inside r, and the content scrolls
 * with the wheel when it is taller than r. */
void ui_panel_begin(ui *u, const char *name, ui_rect r);
void ui_panel_end(ui *u);

/* The next n widgets share one row, with widths in pixels (> 0) or fractions of
 * what is left (<= 0 means an equal share). widths NULL: equal shares.
 * Precisely: w > 1 is pixels, 0 < w <= 1 a fraction of what the pixel widths leave,
 * w <= 0 an equal share of the rest; n is capped at 16. */
void ui_row(ui *u, int n, const float *widths);

/* Ids are hashes of labels within the id stack; push an index for repeated
 * widgets (one set of sliders per runner). */
void ui_push_id(ui *u, int id);
void ui_pop_id(ui *u);

/* A collapsible section header; returns whether it is open. */
int ui_header(ui *u, const char *label, int *open);
void ui_label(ui *u, const char *text, uint32_t color);   /* color 0: style text */
/* A line of text with a small colour swatch in front (legend entries). */
void ui_swatch_label(ui *u, uint32_t swatch, const char *text);
int ui_button(ui *u, const char *label);
/* Returns 1 when toggled. */
int ui_checkbox(ui *u, const char *label, int *v);

/* UI_SLIDER_LOG: lo > 0, mapped by decades. UI_SLIDER_LOG1M: hi < 1, 1 - v mapped by
 * decades (momentum, betas: 0.9, 0.99, 0.999, 0.9999 evenly spaced). */
enum { UI_SLIDER_LOG = 1u << 0, UI_SLIDER_INT = 1u << 1, UI_SLIDER_LOG1M = 1u << 2 };
/* Value in [lo, hi], shown with fmt (printf, e.g. "%.4g"). Returns 1 on a frame that
 * changed *v; only the user changes it. A *v that comes in out of range (or NaN) is
 * left as it is, shown with its value and "out of range", and the handle sits at
 * the nearer end; the user's first drag or key brings it into the range.
 * A drag snaps to 3 significant digits (of 1 - v for UI_SLIDER_LOG1M), so the
 * values it gives are round; keys step by a fraction of the range from the value.
 * A fmt that starts with a conversion ("%.3g", "%.0f steps/s") is drawn on the
 * right with the label on the left; one with text first ("lr %.3g") names the value
 * itself and is drawn alone. fmt NULL: "%.4g" ("%.0f" for UI_SLIDER_INT). The
 * typed-value box accepts what strtod reads as a finite number (surrounding spaces
 * allowed), clamped to the range but otherwise exact (not snapped); anything else
 * keeps *v. */
int ui_slider(ui *u, const char *label, double *v, double lo, double hi, unsigned flags,
              const char *fmt);
/* One of n names; a click opens a list drawn above everything else, Left/Right
 * or Enter on the focused widget cycle. Returns 1 when *sel changed. */
int ui_choice(ui *u, const char *label, int *sel, const char *const *names, int n);

enum { UI_TEXT_CHANGED = 1, UI_TEXT_SUBMIT = 2 };
/* A one-line editable text in buf (capacity cap, always NUL-terminated). Returns
 * UI_TEXT_SUBMIT when Enter is pressed in it, UI_TEXT_CHANGED on an edit, else 0.
 * error, when not NULL, is shown under the box in the error colour. */
int ui_textbox(ui *u, const char *label, char *buf, size_t cap, const char *error);
/* (A frame with both an edit and Enter returns UI_TEXT_SUBMIT. The visible label, if
 * any, is drawn to the left of the box; the box takes the keyboard on a click, or on
 * Enter while focused, and keeps it after Enter, until Escape or a click elsewhere.
 * Editing: Shift with Left/Right/Home/End or a drag selects, a double click or
 * UI_KEY_SELECT_ALL selects everything, typing or pasting replaces the selection,
 * UI_KEY_COPY / UI_KEY_CUT / UI_KEY_PASTE use the clipboard of ui_set_clipboard.) */

/* The rectangle the next widget would get (for custom drawing by the caller, e.g. a
 * chart inside a panel), consuming it; height h in pixels. */
ui_rect ui_layout_next(ui *u, float h);

/* The rectangle of the last widget laid out (or ui_layout_next's), in pixels:
 * for a tooltip or a mark next to it, and for tests that click on a widget. */
ui_rect ui_last_rect(const ui *u);

#endif
