/* spec: the small "name:key=value,key=value" language shared by --optimizer,
 * --landscape and --schedule, and strict number/boolean parsing for user input. */
#ifndef OPTISCAPE_SPEC_H
#define OPTISCAPE_SPEC_H

#include <stddef.h>

#define SPEC_MAX_KV 24
#define SPEC_MAX_WORD 64

typedef struct spec_kv {
    char key[SPEC_MAX_WORD];
    char val[SPEC_MAX_WORD];
    int used;               /* set by the consumer; unused keys are reported */
} spec_kv;

typedef struct spec {
    char text[80];          /* the text as given (cut, control chars as '?'), for messages */
    char name[SPEC_MAX_WORD];
    spec_kv kv[SPEC_MAX_KV];
    int nkv;
} spec;

/* Parse "name" or "name:k=v,k=v". what names the option in messages ("optimizer").
 * Returns 0, or -1 with a one-line message in err. */
int spec_parse(const char *text, const char *what, spec *out, char *err, size_t errlen);

/* Numbers: one parser and one policy for every option and every file.
 * A number is a plain decimal: an optional sign, digits with an optional point, an
 * optional exponent (2, -1.5e-3, .5, 3., +4E2). Refused: an empty text, a blank
 * before or after it, hexadecimal (0x10), inf and nan in any spelling, anything
 * else around it (2x, 1,5), and values a double cannot hold: overflow (1e999) and
 * a nonzero number that would round to 0 (1e-400).
 * Each returns 0 with *out set, or -1 with *out untouched and, when why is not
 * NULL, a short reason in why that does not repeat the text ("hexadecimal is not
 * accepted; ..."), for a message such as
 *     "--lr: expected a number, got '0x10' (%s)"                            */
int num_parse(const char *s, double *out, char *why, size_t whylen);
/* A whole number in [lo, hi], the same policy (no point, no exponent). */
int num_parse_int(const char *s, long lo, long hi, long *out, char *why, size_t whylen);
/* Exactly n comma-separated numbers ("X,Y", "X0,X1,Y0,Y1"), 1 <= n <= 16. Blanks
 * next to a comma belong to the separator ("1, 2" reads; " 1,2" and "1,2 " do not).
 * why names the item: "number 2 of 2: hexadecimal is not accepted; ...". */
int num_parse_list(const char *s, double *out, int n, char *why, size_t whylen);

/* The same parsers without the reason (kept for existing callers). */
int spec_number(const char *s, double *out);
int spec_bool(const char *s, int *out);       /* 0/1/true/false/yes/no/on/off */
int spec_int(const char *s, long min, long max, long *out);

/* Look up key in sp, mark it used and parse it. Returns 1 if present and parsed,
 * 0 if absent, -1 (with err filled) if present but malformed or outside [lo, hi]. */
int spec_get_number(spec *sp, const char *what, const char *key, double lo, double hi,
                    double *out, char *err, size_t errlen);
int spec_get_bool(spec *sp, const char *what, const char *key, int *out, char *err, size_t errlen);
int spec_get_int(spec *sp, const char *what, const char *key, long lo, long hi,
                 long *out, char *err, size_t errlen);

/* err = "<what> '<text>': <printf message>", for checks that involve several keys
 * (nesterov needs momentum) or ranges that are not closed intervals (beta1 < 1). */
void spec_error(const spec *sp, const char *what, char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* -1 with a message naming the first key nobody consumed; 0 when all were used. */
int spec_check_unused(const spec *sp, const char *what, const char *known, char *err, size_t errlen);

/* num_parse_list without the reason: 0, or -1 with out untouched. */
int spec_numbers(const char *s, double *out, int n);

/* Is key one of the comma-separated keys? */
int spec_has_key(const char *keys, const char *key);

/* A spec written back as text: "name", then ":key=value,key=value...", cut (and
 * still terminated) where buf ends. */
typedef struct spec_writer {
    char *buf;
    size_t len, o;                /* o: the bytes written */
    int first;                    /* no key yet */
} spec_writer;
/* Starts with name: 0, or -1 when there is nothing more to write (no buffer, no
 * name: buf is "" then; or the name filled it). */
int spec_write_start(spec_writer *w, char *buf, size_t len, const char *name);
/* ":key=val" or ",key=val" (key klen bytes): 0, or -1 when buf is full. */
int spec_write_key(spec_writer *w, const char *key, int klen, const char *val);

/* The shortest text that reads back as the same double ("0.1", "50", not
 * "0.10000000000000001" or "5e+01"), so formatted specs are short and exact. */
void spec_format_number(double v, char *buf, size_t len);

#endif
