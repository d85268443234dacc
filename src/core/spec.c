/* spec: parsing of the "name:key=value,key=value" option language shared by
 * --optimizer, --landscape and --schedule, and the strict number, boolean and
 * integer parsers every piece of user input goes through.
 *
 * Everything here is bounded: the text is scanned once, words are copied only into
 * fixed buffers after their length has been checked, and a text of any length is
 * either parsed or refused with a one-line message; nothing can overflow. */
#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How much of the user's text is quoted back in a message: enough to recognise it,
 * short enough that a pasted megabyte does not become a megabyte of stderr. */
#define SPEC_QUOTE_MAX 72

/* Copy at most max characters of s[0..n) into buf for quoting in a message, with
 * control characters shown as '?' so a message stays on one line, and "..." when
 * the text was cut. */
static void quote_text(char *buf, size_t cap, const char *s, size_t n, size_t max)
{
    size_t i, o = 0;
    int cut = n > max;
    size_t take = cut ? max : n;
    if (cap == 0) return;
    for (i = 0; i < take && o + 1 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf[o++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
    }
    if (cut) {
        const char *dots = "...";
        while (*dots && o + 1 < cap) buf[o++] = *dots++;
    }
    buf[o] = '\0';
}

/* err = "<what> '<text>': <formatted message>". A NULL or zero-sized err is allowed:
 * callers that only want the status need not provide a buffer. */
static void set_err(char *err, size_t errlen, const char *what, const char *quoted,
                    const char *fmt, ...)
{
    int n;
    va_list ap;
    if (!err || errlen == 0) return;
    n = snprintf(err, errlen, "%s '%s': ", what ? what : "option", quoted ? quoted : "");
    if (n < 0) { err[0] = '\0'; return; }
    if ((size_t)n >= errlen) return;   /* truncated; still NUL-terminated */
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Trim blanks around s[*b..*e). Users quote "adam: lr = 0.1" on a shell line; the
 * blanks carry no meaning, so they are forgiven here rather than at every key. */
static void trim(const char *s, size_t *b, size_t *e)
{
    while (*b < *e && is_space(s[*b])) (*b)++;
    while (*e > *b && is_space(s[*e - 1])) (*e)--;
}

/* Copy s[b..e) into dst (capacity SPEC_MAX_WORD); 0, or -1 when it does not fit. */
static int copy_word(char *dst, const char *s, size_t b, size_t e)
{
    size_t n = e - b;
    if (n >= SPEC_MAX_WORD) return -1;
    memcpy(dst, s + b, n);
    dst[n] = '\0';
    return 0;
}

static int has_control(const char *s, size_t b, size_t e)
{
    size_t i;
    for (i = b; i < e; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f) return 1;
    }
    return 0;
}

/* The pair text[b..end) as out's next key and value: 0, or -1 with why in err. */
static int parse_pair(const char *text, size_t b, size_t end, const char *what, spec *out, char *err,
                      size_t errlen)
{
    size_t eq, kb, ke, vb, ve;
    int i;
    const char *q = out->text;
    char wq[SPEC_QUOTE_MAX + 8];
    for (eq = b; eq < end && text[eq] != '='; eq++) {}
    kb = b;
    ke = eq;
    trim(text, &kb, &ke);

    if (eq == end) {
        size_t pb = b, pe = end;
        trim(text, &pb, &pe);
        if (pb == pe) {
            set_err(err, errlen, what, q, "empty key=value pair (stray ',')");
        } else {
            quote_text(wq, sizeof wq, text + pb, pe - pb, 24);
            set_err(err, errlen, what, q, "expected key=value, got '%s'", wq);
        }
        return -1;
    }
    if (kb == ke) {
        set_err(err, errlen, what, q, "empty key before '='");
        return -1;
    }
    if (out->nkv == SPEC_MAX_KV) {
        set_err(err, errlen, what, q, "too many keys (at most %d)", SPEC_MAX_KV);
        return -1;
    }
    if (copy_word(out->kv[out->nkv].key, text, kb, ke) != 0) {
        quote_text(wq, sizeof wq, text + kb, ke - kb, 24);
        set_err(err, errlen, what, q, "key '%s' is too long (at most %d characters)",
                wq, SPEC_MAX_WORD - 1);
        return -1;
    }
    vb = eq + 1;
    ve = end;
    trim(text, &vb, &ve);
    if (vb == ve) {
        set_err(err, errlen, what, q, "%s: empty value", out->kv[out->nkv].key);
        return -1;
    }
    if (copy_word(out->kv[out->nkv].val, text, vb, ve) != 0) {
        set_err(err, errlen, what, q, "%s: value is too long (at most %d characters)",
                out->kv[out->nkv].key, SPEC_MAX_WORD - 1);
        return -1;
    }
    for (i = 0; i < out->nkv; i++) {
        if (strcmp(out->kv[i].key, out->kv[out->nkv].key) == 0) {
            set_err(err, errlen, what, q, "duplicate key '%s'", out->kv[i].key);
            return -1;
        }
    }
    out->nkv++;
    return 0;
}

int spec_parse(const char *text, const char *what, spec *out, char *err, size_t errlen)
{
    size_t len, b, e, colon;
    const char *q;
    char wq[SPEC_QUOTE_MAX + 8];

    if (!what) what = "option";
    memset(out, 0, sizeof *out);
    if (!text) {
        set_err(err, errlen, what, "", "missing value");
        return -1;
    }
    len = strlen(text);
    quote_text(out->text, sizeof out->text, text, len, SPEC_QUOTE_MAX);
    q = out->text;

    if (has_control(text, 0, len)) {
        set_err(err, errlen, what, q, "control character in the text");
        return -1;
    }

    /* name: everything up to the first ':' */
    for (colon = 0; colon < len && text[colon] != ':'; colon++) {}
    b = 0;
    e = colon;
    trim(text, &b, &e);
    if (b == e) {
        set_err(err, errlen, what, q, "empty name");
        return -1;
    }
    if (copy_word(out->name, text, b, e) != 0) {
        quote_text(wq, sizeof wq, text + b, e - b, 24);
        set_err(err, errlen, what, q, "name '%s' is too long (at most %d characters)",
                wq, SPEC_MAX_WORD - 1);
        return -1;
    }
    if (colon == len) return 0;

    /* "name:" with nothing after it is almost certainly a truncated command line */
    {
        size_t rb = colon + 1, re = len;
        trim(text, &rb, &re);
        if (rb == re) {
            set_err(err, errlen, what, q, "expected key=value after ':'");
            return -1;
        }
    }

    /* key=value pairs separated by ',' */
    b = colon + 1;
    for (;;) {
        size_t end = b;
        while (end < len && text[end] != ',') end++;
        if (parse_pair(text, b, end, what, out, err, errlen) != 0) return -1;
        if (end == len) break;
        b = end + 1;
    }
    return 0;
}

/* ---- numbers: one parser and one policy for every option and every file ---- */

static void set_why(char *why, size_t whylen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void set_why(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    if (!why || whylen == 0) return;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The checks every number shares: something there, no blank around it, not
 * hexadecimal, not a word. Returns 0, or -1 with why set. */
static int num_common(const char *s, char *why, size_t whylen)
{
    size_t n;
    const char *m;
    if (!s || !*s) {
        set_why(why, whylen, "empty");
        return -1;
    }
    n = strlen(s);
    if (isspace((unsigned char)s[0])) {
        set_why(why, whylen, "a blank before the number");
        return -1;
    }
    if (isspace((unsigned char)s[n - 1])) {
        set_why(why, whylen, "a blank after the number");
        return -1;
    }
    m = s + (s[0] == '+' || s[0] == '-');
    if (m[0] == '0' && (m[1] == 'x' || m[1] == 'X')) {
        set_why(why, whylen, "hexadecimal is not accepted; numbers are plain decimals like 2, -1.5e-3, .5");
        return -1;
    }
    if ((tolower((unsigned char)m[0]) == 'i' && tolower((unsigned char)m[1]) == 'n' &&
         tolower((unsigned char)m[2]) == 'f') ||
        (tolower((unsigned char)m[0]) == 'n' && tolower((unsigned char)m[1]) == 'a' &&
         tolower((unsigned char)m[2]) == 'n')) {
        set_why(why, whylen, "inf and nan are not accepted; numbers are finite decimals");
        return -1;
    }
    return 0;
}

int num_parse(const char *s, double *out, char *why, size_t whylen)
{
    const char *p;
    int digits = 0, nonzero = 0;
    double v;
    if (num_common(s, why, whylen) != 0) return -1;
    /* [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits], and nothing else */
    p = s + (s[0] == '+' || s[0] == '-');
    for (; is_digit(*p); p++) { digits++; nonzero |= *p != '0'; }
    if (*p == '.') {
        for (p++; is_digit(*p); p++) { digits++; nonzero |= *p != '0'; }
    }
    if (digits > 0 && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        if (*q == '+' || *q == '-') q++;
        if (is_digit(*q)) {
            while (is_digit(*q)) q++;
            p = q;
        }
    }
    if (digits == 0 || *p != '\0') {
        set_why(why, whylen, "not a decimal number like 2, -1.5e-3, .5");
        return -1;
    }
    errno = 0;
    v = strtod(s, NULL);
    if (!isfinite(v)) {
        set_why(why, whylen, "too large for a double (beyond 1.8e308)");
        return -1;
    }
    if (v == 0 && nonzero) {
        set_why(why, whylen, "too small for a double: it would be 0 (below 4.9e-324)");
        return -1;
    }
    *out = v;
    return 0;
}

int num_parse_int(const char *s, long lo, long hi, long *out, char *why, size_t whylen)
{
    const char *p;
    long v;
    if (num_common(s, why, whylen) != 0) return -1;
    p = s + (s[0] == '+' || s[0] == '-');
    if (!is_digit(*p)) {
        set_why(why, whylen, "not a whole number like 100");
        return -1;
    }
    while (is_digit(*p)) p++;
    if (*p != '\0') {
        set_why(why, whylen, "not a whole number like 100");
        return -1;
    }
    errno = 0;
    v = strtol(s, NULL, 10);
    if (errno == ERANGE || v < lo || v > hi) {
        if (hi == LONG_MAX)
            set_why(why, whylen, "out of range: must be >= %ld", lo);
        else
            set_why(why, whylen, "out of range: must be from %ld to %ld", lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int num_parse_list(const char *s, double *out, int n, char *why, size_t whylen)
{
    double tmp[16];
    int i = 0, count = 1;
    size_t b = 0, len;
    if (!s || n <= 0 || n > 16) {
        set_why(why, whylen, "empty");
        return -1;
    }
    len = strlen(s);
    for (size_t k = 0; k < len; k++) count += s[k] == ',';
    if (count != n) {
        set_why(why, whylen, "expected %d number%s separated by ',', got %d", n, n == 1 ? "" : "s",
                count);
        return -1;
    }
    for (;;) {
        char word[SPEC_MAX_WORD], one[160];
        size_t end = b, wb, we;
        while (end < len && s[end] != ',') end++;
        /* blanks are part of the separator: "1, 2" reads, " 1,2" and "1,2 " do not */
        wb = b;
        we = end;
        if (i > 0) while (wb < we && is_space(s[wb])) wb++;
        if (end < len) while (we > wb && is_space(s[we - 1])) we--;
        if (we - wb >= SPEC_MAX_WORD) {
            if (n == 1) set_why(why, whylen, "too long for a number");
            else set_why(why, whylen, "number %d of %d: too long for a number", i + 1, n);
            return -1;
        }
        memcpy(word, s + wb, we - wb);
        word[we - wb] = '\0';
        if (num_parse(word, &tmp[i], one, sizeof one) != 0) {
            if (n == 1) set_why(why, whylen, "%s", one);
            else set_why(why, whylen, "number %d of %d: %s", i + 1, n, one);
            return -1;
        }
        i++;
        if (end == len) break;
        b = end + 1;
    }
    memcpy(out, tmp, (size_t)n * sizeof *out);
    return 0;
}

int spec_number(const char *s, double *out)
{
    return num_parse(s, out, NULL, 0);
}

int spec_bool(const char *s, int *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    size_t i;
    if (!s) return -1;
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcmp(s, yes[i]) == 0) { *out = 1; return 0; }
        if (strcmp(s, no[i]) == 0) { *out = 0; return 0; }
    }
    return -1;
}

int spec_int(const char *s, long min, long max, long *out)
{
    return num_parse_int(s, min, max, out, NULL, 0);
}

static spec_kv *find_kv(spec *sp, const char *key)
{
    int i;
    for (i = 0; i < sp->nkv; i++)
        if (strcmp(sp->kv[i].key, key) == 0) return &sp->kv[i];
    return NULL;
}

/* The value of key, marked as used (NULL when absent). */
static spec_kv *take_kv(spec *sp, const char *key)
{
    spec_kv *kv = find_kv(sp, key);
    if (kv) kv->used = 1;
    return kv;
}

/* "KEY: expected KIND, got 'VALUE' (WHY)": -1. */
static int bad_value(const spec *sp, const char *what, const char *key, const char *kind, const char *val,
                     const char *why, char *err, size_t errlen)
{
    set_err(err, errlen, what, sp->text, "%s: expected %s, got '%s' (%s)", key, kind, val, why);
    return -1;
}

/* "KEY: must be >= LO", "<= HI" or "in [LO, HI]", got VAL: for a range without an
 * upper bound, without a lower one, or with both. */
static void range_err(const spec *sp, const char *what, const char *key, const char *lo, const char *hi,
                      int lo_bounded, int hi_bounded, const char *val, char *err, size_t errlen)
{
    if (!hi_bounded) set_err(err, errlen, what, sp->text, "%s: must be >= %s, got %s", key, lo, val);
    else if (!lo_bounded) set_err(err, errlen, what, sp->text, "%s: must be <= %s, got %s", key, hi, val);
    else set_err(err, errlen, what, sp->text, "%s: must be in [%s, %s], got %s", key, lo, hi, val);
}

int spec_get_number(spec *sp, const char *what, const char *key, double lo, double hi,
                    double *out, char *err, size_t errlen)
{
    double v;
    char why[160];
    spec_kv *kv = take_kv(sp, key);
    if (!kv) return 0;
    if (num_parse(kv->val, &v, why, sizeof why) != 0)
        return bad_value(sp, what, key, "a number", kv->val, why, err, errlen);
    if (!(v >= lo && v <= hi)) {
        char lt[32], ht[32];
        snprintf(lt, sizeof lt, "%.17g", lo);
        snprintf(ht, sizeof ht, "%.17g", hi);
        range_err(sp, what, key, lt, ht, !(isinf(lo) || lo <= -1.7e308), !(isinf(hi) || hi >= 1.7e308), kv->val,
                  err, errlen);
        return -1;
    }
    *out = v;
    return 1;
}

int spec_get_bool(spec *sp, const char *what, const char *key, int *out, char *err, size_t errlen)
{
    int v;
    spec_kv *kv = take_kv(sp, key);
    if (!kv) return 0;
    if (spec_bool(kv->val, &v) != 0) {
        set_err(err, errlen, what, sp->text, "%s: expected 0/1/true/false, got '%s'", key, kv->val);
        return -1;
    }
    *out = v;
    return 1;
}

int spec_get_int(spec *sp, const char *what, const char *key, long lo, long hi,
                 long *out, char *err, size_t errlen)
{
    long v;
    char why[160];
    spec_kv *kv = take_kv(sp, key);
    if (!kv) return 0;
    if (num_parse_int(kv->val, LONG_MIN, LONG_MAX, &v, why, sizeof why) != 0)
        return bad_value(sp, what, key, "an integer", kv->val, why, err, errlen);
    if (v < lo || v > hi) {
        char lt[32], ht[32];
        snprintf(lt, sizeof lt, "%ld", lo);
        snprintf(ht, sizeof ht, "%ld", hi);
        range_err(sp, what, key, lt, ht, 1, hi != LONG_MAX, kv->val, err, errlen);
        return -1;
    }
    *out = v;
    return 1;
}

int spec_write_start(spec_writer *w, char *buf, size_t len, const char *name)
{
    if (!buf || len == 0) return -1;
    buf[0] = '\0';
    if (!name) return -1;
    int n = snprintf(buf, len, "%s", name);
    if (n < 0 || (size_t)n >= len) return -1;
    *w = (spec_writer){buf, len, (size_t)n, 1};
    return 0;
}

int spec_write_key(spec_writer *w, const char *key, int klen, const char *val)
{
    int n = snprintf(w->buf + w->o, w->len - w->o, "%c%.*s=%s", w->first ? ':' : ',', klen, key, val);
    if (n < 0 || (size_t)n >= w->len - w->o) return -1;   /* cut, still terminated */
    w->o += (size_t)n;
    w->first = 0;
    return 0;
}

void spec_error(const spec *sp, const char *what, char *err, size_t errlen, const char *fmt, ...)
{
    int n;
    va_list ap;
    if (!err || errlen == 0) return;
    n = snprintf(err, errlen, "%s '%s': ", what ? what : "option", sp->text);
    if (n < 0) { err[0] = '\0'; return; }
    if ((size_t)n >= errlen) return;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

int spec_check_unused(const spec *sp, const char *what, const char *known, char *err, size_t errlen)
{
    int i;
    for (i = 0; i < sp->nkv; i++) {
        char list[256];
        size_t o = 0;
        const char *k;
        if (sp->kv[i].used) continue;
        /* "lr,beta1" -> "lr, beta1": the list reads as a sentence */
        for (k = known ? known : ""; *k && o + 3 < sizeof list; k++) {
            list[o++] = *k;
            if (*k == ',') list[o++] = ' ';
        }
        list[o] = '\0';
        if (o == 0)
            set_err(err, errlen, what, sp->text, "unknown key '%s' (%s takes no keys)",
                    sp->kv[i].key, sp->name);
        else
            set_err(err, errlen, what, sp->text, "unknown key '%s' (%s takes %s)",
                    sp->kv[i].key, sp->name, list);
        return -1;
    }
    return 0;
}

int spec_numbers(const char *s, double *out, int n)
{
    return num_parse_list(s, out, n, NULL, 0);
}

int spec_has_key(const char *keys, const char *key)
{
    size_t n = strlen(key);
    while (*keys) {
        size_t m = strcspn(keys, ",");
        if (m == n && strncmp(keys, key, n) == 0) return 1;
        keys += m;
        if (*keys == ',') keys++;
    }
    return 0;
}

void spec_format_number(double v, char *buf, size_t len)
{
    /* whole numbers as integers: %.1g would write 50 as "5e+01" */
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, len, "%.0f", v + 0.0);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, len, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}
