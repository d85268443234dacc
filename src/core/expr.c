/* expr: tokenizer, precedence parser, constant folding, register bytecode and the
 * three evaluators (values over blocks of points, first-order derivatives over
 * blocks, second-order jets at one point).
 *
 * Value semantics live in one place (apply_un / apply_bin) and derivative
 * semantics in another (un_partials), so the field, the swarm and the particles
 * can never disagree about what a formula means.
 *
 * Conventions at the edges, chosen to match what a careful user expects:
 * - a derivative that is exactly zero stays zero through any function ("structural
 *   zero"): sqrt(x) + y has d/dy = 1 at x = 0, not inf * 0 = NaN;
 * - abs'(0) = 0, min/max at a tie take the mean of both sides' derivatives (as
 *   torch.minimum/maximum do), min/max propagate NaN;
 * - `^` with a constant integer exponent is repeated multiplication (exact for small
 *   powers, defined for negative bases); any other power is pow(). */
#include "expr.h"
#include "spec.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POWI_MAX 64          /* larger integer exponents go through pow() */
#define BLOCK 256            /* points per evaluation block */

typedef enum op {
    /* unary */
    OP_NEG, OP_SIN, OP_COS, OP_TAN, OP_EXP, OP_LOG, OP_SQRT, OP_ABS, OP_TANH,
    OP_SINH, OP_COSH, OP_ATAN, OP_SQR, OP_POWI, OP_POWC,
    /* binary */
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW, OP_MIN, OP_MAX
} op;

#define OP_IS_BINARY(o) ((o) >= OP_ADD)

typedef enum node_kind { N_NUM, N_X, N_Y, N_OP } node_kind;

typedef struct node {
    unsigned char kind;
    unsigned char op;
    int a, b;              /* children (node indices), -1 when absent */
    int n;                 /* POWI exponent */
    double num;            /* N_NUM value; POWC exponent */
} node;

typedef enum opnd_kind { K_REG, K_X, K_Y, K_CONST } opnd_kind;

typedef struct opnd {
    unsigned char kind;
    int reg;
    double c;
} opnd;

typedef struct instr {
    unsigned char op;
    int dst;
    int n;                 /* POWI */
    double c;              /* POWC */
    opnd a, b;
    /* Fusions, in the value program only (see gen_node): the result squared,
     * operand b squared, operand a or b multiplied by a constant. Each performs the
     * same IEEE operations in the same order as the unfused program. */
    unsigned char post_sq, b_sq, a_mul, b_mul;
    double ma, mb;
} instr;

struct expr {
    char *src;
    node *nodes;
    int nnodes;
    int root;
    instr *code;           /* plain program: derivatives */
    int ncode;
    int nreg;
    opnd result;           /* a constant or x alone compile to no code */
    instr *vcode;          /* fused program: values only, fewer passes over a block */
    int nvcode;
    int nvreg;
    opnd vresult;
    int uses_x, uses_y;
};

/* ------------------------------------------------------------------------ */
/* Value semantics                                                           */

static inline double powi(double a, int n)
{
    int k = n < 0 ? -n : n;
    double r = 1.0;
    if (k > 0) {
        r = a;
        for (int i = 1; i < k; i++) r *= a;
    }
    return n < 0 ? 1.0 / r : r;
}

static inline double vmin(double a, double b)
{
    if (isnan(a) || isnan(b)) return NAN;
    return a < b ? a : b;
}

static inline double vmax(double a, double b)
{
    if (isnan(a) || isnan(b)) return NAN;
    return a > b ? a : b;
}

static inline double apply_un(int o, double a, int n, double c)
{
    switch (o) {
    case OP_NEG: return -a;
    case OP_SIN: return sin(a);
    case OP_COS: return cos(a);
    case OP_TAN: return tan(a);
    case OP_EXP: return exp(a);
    case OP_LOG: return log(a);
    case OP_SQRT: return sqrt(a);
    case OP_ABS: return fabs(a);
    case OP_TANH: return tanh(a);
    case OP_SINH: return sinh(a);
    case OP_COSH: return cosh(a);
    case OP_ATAN: return atan(a);
    case OP_SQR: return a * a;
    case OP_POWI: return powi(a, n);
    case OP_POWC: return pow(a, c);
    default: return NAN;
    }
}

static inline double apply_bin(int o, double a, double b)
{
    switch (o) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_POW: return pow(a, b);
    case OP_MIN: return vmin(a, b);
    case OP_MAX: return vmax(a, b);
    default: return NAN;
    }
}

/* f(u), f'(u), f''(u) for a unary op; f0 is passed in (already computed). */
static inline void un_partials(int o, double u, double f0, int n, double c, double *f1, double *f2)
{
    switch (o) {
    case OP_NEG: *f1 = -1; *f2 = 0; break;
    case OP_SIN: *f1 = cos(u); *f2 = -f0; break;
    case OP_COS: *f1 = -sin(u); *f2 = -f0; break;
    case OP_TAN: { double s = 1 + f0 * f0; *f1 = s; *f2 = 2 * f0 * s; break; }
    case OP_EXP: *f1 = f0; *f2 = f0; break;
    case OP_LOG: *f1 = 1 / u; *f2 = -1 / (u * u); break;
    case OP_SQRT: *f1 = 0.5 / f0; *f2 = -0.25 / (f0 * u); break;
    case OP_ABS: *f1 = u > 0 ? 1.0 : u < 0 ? -1.0 : (u == 0 ? 0.0 : NAN); *f2 = 0; break;
    case OP_TANH: { double s = 1 - f0 * f0; *f1 = s; *f2 = -2 * f0 * s; break; }
    case OP_SINH: *f1 = cosh(u); *f2 = f0; break;
    case OP_COSH: *f1 = sinh(u); *f2 = f0; break;
    case OP_ATAN: { double s = 1 / (1 + u * u); *f1 = s; *f2 = -2 * u * s * s; break; }
    case OP_SQR: *f1 = 2 * u; *f2 = 2; break;
    case OP_POWI:
        *f1 = n * powi(u, n - 1);
        *f2 = (double)n * (n - 1) * powi(u, n - 2);
        break;
    case OP_POWC:
        *f1 = c * pow(u, c - 1);
        *f2 = c * (c - 1) * pow(u, c - 2);
        break;
    default: *f1 = NAN; *f2 = NAN; break;
    }
}

/* a * b, except that an exactly-zero derivative b stays zero (structural zero). */
static inline double sz(double a, double b)
{
    return b == 0.0 ? 0.0 : a * b;
}

/* ------------------------------------------------------------------------ */
/* Tokenizer and parser                                                      */

typedef enum tok_kind { T_END, T_NUM, T_NAME, T_OP, T_LPAREN, T_RPAREN, T_COMMA, T_BAD } tok_kind;

typedef struct token {
    tok_kind kind;
    int col;               /* 1-based */
    int len;
    double num;
    char ch;               /* T_OP */
    char name[EXPR_MAX_NAME + 1];
} token;

typedef struct parser {
    const char *s;
    size_t pos;
    token tok;
    node *nodes;
    int nnodes, cap;
    int depth;
    const expr_const *consts;
    int nconsts;
    expr_error *err;
    int failed;
} parser;

static void fail(parser *p, int col, const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = 1;
    if (!p->err) return;
    p->err->column = col;
    va_list ap;
    va_start(ap, fmt);
    char msg[sizeof p->err->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* the column prefix and the message are both bounded; cut the message so the
     * whole line fits */
    if (col > 0) {
        char prefix[32];
        int k = snprintf(prefix, sizeof prefix, "column %d: ", col);
        size_t room = sizeof p->err->msg - (size_t)k;
        memcpy(p->err->msg, prefix, (size_t)k);
        size_t m = strnlen(msg, room - 1);
        memcpy(p->err->msg + k, msg, m);
        p->err->msg[(size_t)k + m] = 0;
    } else {
        memcpy(p->err->msg, msg, sizeof p->err->msg);
    }
}

static void describe_token(const token *t, char *buf, size_t len)
{
    switch (t->kind) {
    case T_END: snprintf(buf, len, "the end of the formula"); break;
    case T_NUM: snprintf(buf, len, "a number"); break;
    case T_NAME: snprintf(buf, len, "'%s'", t->name); break;
    case T_OP: snprintf(buf, len, "'%c'", t->ch); break;
    case T_LPAREN: snprintf(buf, len, "'('"); break;
    case T_RPAREN: snprintf(buf, len, "')'"); break;
    case T_COMMA: snprintf(buf, len, "','"); break;
    default: snprintf(buf, len, "an unexpected character"); break;
    }
}

/* A number at p->pos into t (T_NUM, or T_BAD with the parser failed). */
static void lex_number(parser *p, token *t)
{
    const char *s = p->s;
    size_t start = p->pos;
    while (isdigit((unsigned char)s[p->pos])) p->pos++;
    if (s[p->pos] == '.') {
        p->pos++;
        while (isdigit((unsigned char)s[p->pos])) p->pos++;
    }
    if (s[p->pos] == 'e' || s[p->pos] == 'E') {
        size_t save = p->pos;
        p->pos++;
        if (s[p->pos] == '+' || s[p->pos] == '-') p->pos++;
        if (!isdigit((unsigned char)s[p->pos])) {
            /* "2e" or "2ex": the e is not an exponent, but "2e" glued to a
             * name is still an error the user should see clearly */
            if (isalpha((unsigned char)s[save + 1]) || s[save + 1] == '_' || s[save + 1] == 0 ||
                s[save + 1] == '+' || s[save + 1] == '-') {
                fail(p, t->col, "malformed number: exponent has no digits");
                t->kind = T_BAD;
                return;
            }
        }
        while (isdigit((unsigned char)s[p->pos])) p->pos++;
    }
    size_t n = p->pos - start;
    char buf[64];
    if (n >= sizeof buf) {
        fail(p, t->col, "number too long (%zu characters)", n);
        t->kind = T_BAD;
        return;
    }
    memcpy(buf, s + start, n);
    buf[n] = 0;
    /* the one number policy (spec.h): 1e999 and 1e-400 are refused here too,
     * not turned into inf or 0 */
    char why[160];
    if (num_parse(buf, &t->num, why, sizeof why) != 0) {
        fail(p, t->col, "the number %s: %s", buf, why);
        t->kind = T_BAD;
        return;
    }
    t->kind = T_NUM;
    t->len = (int)n;
    if (n == 1 && buf[0] == '0' && (s[p->pos] == 'x' || s[p->pos] == 'X') &&
        isxdigit((unsigned char)s[p->pos + 1])) {
        fail(p, t->col, "hexadecimal is not accepted; numbers are plain decimals like 2, -1.5e-3, .5");
        t->kind = T_BAD;
        return;
    }
    if (isalpha((unsigned char)s[p->pos]) || s[p->pos] == '_') {
        fail(p, (int)p->pos + 1,
             "expected an operator after the number %s (write 2*x, not 2x)", buf);
        t->kind = T_BAD;
    }
}

/* A name at p->pos into t (T_NAME, or T_BAD when too long). */
static void lex_name(parser *p, token *t)
{
    const char *s = p->s;
    size_t start = p->pos;
    while (isalnum((unsigned char)s[p->pos]) || s[p->pos] == '_') p->pos++;
    size_t n = p->pos - start;
    if (n > EXPR_MAX_NAME) {
        fail(p, t->col, "name too long (%zu characters; at most %d)", n, EXPR_MAX_NAME);
        t->kind = T_BAD;
        return;
    }
    memcpy(t->name, s + start, n);
    t->name[n] = 0;
    t->kind = T_NAME;
    t->len = (int)n;
}

static void next_token(parser *p)
{
    const char *s = p->s;
    while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\n' || s[p->pos] == '\r')
        p->pos++;
    token *t = &p->tok;
    memset(t, 0, sizeof *t);
    t->col = (int)p->pos + 1;
    unsigned char c = (unsigned char)s[p->pos];
    if (c == 0) { t->kind = T_END; return; }
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[p->pos + 1]))) {
        lex_number(p, t);
        return;
    }
    if (isalpha(c) || c == '_') {
        lex_name(p, t);
        return;
    }
    p->pos++;
    t->len = 1;
    switch (c) {
    case '+': case '-': case '*': case '/': case '^':
        t->kind = T_OP; t->ch = (char)c; return;
    case '(': t->kind = T_LPAREN; return;
    case ')': t->kind = T_RPAREN; return;
    case ',': t->kind = T_COMMA; return;
    default:
        t->kind = T_BAD;
        if (c >= 0x20 && c < 0x7f)
            fail(p, t->col, "unexpected character '%c'", c);
        else
            fail(p, t->col, "unexpected byte 0x%02x", c);
        return;
    }
}

static int new_node(parser *p, node_kind kind, int o, int a, int b)
{
    if (p->failed) return -1;
    if (p->nnodes == p->cap) {
        int cap = p->cap ? p->cap * 2 : 64;
        node *nn = realloc(p->nodes, (size_t)cap * sizeof *nn);
        if (!nn) { fail(p, 0, "out of memory"); return -1; }
        p->nodes = nn;
        p->cap = cap;
    }
    node *n = &p->nodes[p->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = (unsigned char)kind;
    n->op = (unsigned char)o;
    n->a = a;
    n->b = b;
    return p->nnodes++;
}

static int num_node(parser *p, double v)
{
    int i = new_node(p, N_NUM, 0, -1, -1);
    if (i >= 0) p->nodes[i].num = v;
    return i;
}

static int is_num(parser *p, int i) { return i >= 0 && p->nodes[i].kind == N_NUM; }

/* Build an op node, folding it to a number when its operands are numbers. */
static int op_node(parser *p, int o, int a, int b)
{
    if (p->failed) return -1;
    if (!OP_IS_BINARY(o)) {
        if (is_num(p, a)) {
            const node *na = &p->nodes[a];
            return num_node(p, apply_un(o, na->num, 0, 0));
        }
        return new_node(p, N_OP, o, a, -1);
    }
    if (o == OP_POW && is_num(p, b)) {
        double e = p->nodes[b].num;
        if (e == floor(e) && fabs(e) <= POWI_MAX) {
            int n = (int)e;
            if (is_num(p, a)) return num_node(p, powi(p->nodes[a].num, n));
            if (n == 1) return a;
            if (n == 0) return num_node(p, 1.0);
            int i = new_node(p, N_OP, n == 2 ? OP_SQR : OP_POWI, a, -1);
            if (i >= 0) p->nodes[i].n = n;
            return i;
        }
        if (!is_num(p, a)) {
            int i = new_node(p, N_OP, OP_POWC, a, -1);
            if (i >= 0) p->nodes[i].num = e;
            return i;
        }
    }
    if (is_num(p, a) && is_num(p, b))
        return num_node(p, apply_bin(o, p->nodes[a].num, p->nodes[b].num));
    return new_node(p, N_OP, o, a, b);
}

static int parse_expr(parser *p);

static int enter(parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        fail(p, p->tok.col, "formula nested too deeply (more than %d levels)", EXPR_MAX_DEPTH);
        return 0;
    }
    return 1;
}

static void expect_operand_error(parser *p)
{
    char what[64];
    describe_token(&p->tok, what, sizeof what);
    fail(p, p->tok.col, "expected a number, x, y, a function or '(', got %s", what);
}

typedef struct fn_def { const char *name; int nargs; int o; } fn_def;

static const fn_def fns[] = {
    {"sin", 1, OP_SIN}, {"cos", 1, OP_COS}, {"tan", 1, OP_TAN}, {"exp", 1, OP_EXP},
    {"log", 1, OP_LOG}, {"sqrt", 1, OP_SQRT}, {"abs", 1, OP_ABS}, {"tanh", 1, OP_TANH},
    {"sinh", 1, OP_SINH}, {"cosh", 1, OP_COSH}, {"atan", 1, OP_ATAN},
    {"min", 2, OP_MIN}, {"max", 2, OP_MAX}, {"pow", 2, OP_POW},
};

static const fn_def *find_fn(const char *name)
{
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (strcmp(fns[i].name, name) == 0) return &fns[i];
    return NULL;
}

/* The arguments of a call of f (its name the token t, just read) and the call. */
static int parse_call(parser *p, const token *t, const fn_def *f)
{
    if (p->tok.kind != T_LPAREN) {
        fail(p, p->tok.col, "expected '(' after the function %s", t->name);
        return -1;
    }
    int lp = p->tok.col;
    next_token(p);
    int args[2] = {-1, -1};
    int nargs = 0;
    if (p->tok.kind == T_RPAREN) {
        fail(p, p->tok.col, "%s takes %d argument%s, got none", t->name, f->nargs,
             f->nargs == 1 ? "" : "s");
        return -1;
    }
    for (;;) {
        int a = parse_expr(p);
        if (p->failed) return -1;
        if (nargs < 2) args[nargs] = a;
        nargs++;
        if (p->tok.kind == T_COMMA) {
            if (nargs >= f->nargs) {
                fail(p, p->tok.col, "%s takes %d argument%s", t->name, f->nargs,
                     f->nargs == 1 ? "" : "s");
                return -1;
            }
            next_token(p);
            continue;
        }
        break;
    }
    if (p->tok.kind != T_RPAREN) {
        char what[64];
        describe_token(&p->tok, what, sizeof what);
        fail(p, p->tok.col, "expected ')' to close the '(' of %s at column %d, got %s",
             t->name, lp, what);
        return -1;
    }
    if (nargs != f->nargs) {
        fail(p, p->tok.col, "%s takes %d arguments, got %d", t->name, f->nargs, nargs);
        return -1;
    }
    next_token(p);
    return op_node(p, f->o, args[0], args[1]);
}

/* The name t (just read) as a constant: pi, e or one of the parser's. */
static int parse_constant(parser *p, const token *t)
{
    double v;
    int known = 1;
    if (strcmp(t->name, "pi") == 0) v = M_PI;
    else if (strcmp(t->name, "e") == 0) v = M_E;
    else {
        known = 0;
        v = 0;
        for (int i = 0; i < p->nconsts; i++)
            if (p->consts[i].name && strcmp(p->consts[i].name, t->name) == 0) {
                v = p->consts[i].value;
                known = 1;
                break;
            }
    }
    if (!known) {
        fail(p, t->col, "unknown name '%s' (the variables are x and y; constants pi and e; "
             "functions sin cos tan exp log sqrt abs tanh sinh cosh atan min max pow)", t->name);
        return -1;
    }
    if (p->tok.kind == T_LPAREN) {
        fail(p, p->tok.col, "'%s' is a constant, not a function", t->name);
        return -1;
    }
    return num_node(p, v);
}

static int parse_primary(parser *p)
{
    if (p->failed) return -1;
    token t = p->tok;
    switch (t.kind) {
    case T_NUM:
        next_token(p);
        return num_node(p, t.num);
    case T_LPAREN: {
        next_token(p);
        int e = parse_expr(p);
        if (p->failed) return -1;
        if (p->tok.kind != T_RPAREN) {
            char what[64];
            describe_token(&p->tok, what, sizeof what);
            fail(p, p->tok.col, "expected ')' to close the '(' at column %d, got %s", t.col, what);
            return -1;
        }
        next_token(p);
        return e;
    }
    case T_NAME: {
        next_token(p);
        if (strcmp(t.name, "x") == 0) return new_node(p, N_X, 0, -1, -1);
        if (strcmp(t.name, "y") == 0) return new_node(p, N_Y, 0, -1, -1);
        const fn_def *f = find_fn(t.name);
        return f ? parse_call(p, &t, f) : parse_constant(p, &t);
    }
    default:
        expect_operand_error(p);
        return -1;
    }
}

/* unary := ('-' | '+')* power,  power := primary ('^' unary)?
 * '^' is right-associative, binds tighter than a unary minus on its left
 * (-x^2 = -(x^2)) and accepts a sign on its right (x^-1). Both are loops, not
 * recursion: a chain of signs or powers as long as the formula costs no stack.
 * The chain s0 a0 ^ s1 a1 ^ ... ^ sk ak (s_i: the signs before a_i) is
 * s0 (a0 ^ (s1 (a1 ^ ... (sk ak)))), built from the right. */
typedef struct link { int negs, node; } link;

static int parse_unary(parser *p)
{
    link stack_links[8];
    link *links = stack_links;
    int nl = 0, cap = 8, r = -1;
    for (;;) {
        int negs = 0;
        while (p->tok.kind == T_OP && (p->tok.ch == '-' || p->tok.ch == '+')) {
            if (p->tok.ch == '-') negs++;
            next_token(p);
        }
        int a = parse_primary(p);
        if (p->failed) goto done;
        if (nl == cap) {
            link *nn = malloc((size_t)cap * 2 * sizeof *nn);
            if (!nn) { fail(p, 0, "out of memory"); goto done; }
            memcpy(nn, links, (size_t)nl * sizeof *nn);
            if (links != stack_links) free(links);
            links = nn;
            cap *= 2;
        }
        links[nl].negs = negs;
        links[nl].node = a;
        nl++;
        if (!(p->tok.kind == T_OP && p->tok.ch == '^')) break;
        next_token(p);
    }
    r = links[nl - 1].node;
    for (int i = nl - 1; i >= 0 && !p->failed; i--) {
        if (i < nl - 1) r = op_node(p, OP_POW, links[i].node, r);
        for (int k = 0; k < links[i].negs && !p->failed; k++) r = op_node(p, OP_NEG, r, -1);
    }
done:
    if (links != stack_links) free(links);
    return p->failed ? -1 : r;
}

/* operand (op operand)*, left-associative, for the two operators c1, c2 of one
 * precedence level (node kinds o1, o2) */
static int parse_left(parser *p, int (*operand)(parser *), char c1, int o1, char c2, int o2)
{
    int a = operand(p);
    while (!p->failed && p->tok.kind == T_OP && (p->tok.ch == c1 || p->tok.ch == c2)) {
        int o = p->tok.ch == c1 ? o1 : o2;
        next_token(p);
        int b = operand(p);
        a = op_node(p, o, a, b);
    }
    return a;
}

static int parse_term(parser *p)
{
    return parse_left(p, parse_unary, '*', OP_MUL, '/', OP_DIV);
}

static int parse_expr(parser *p)
{
    if (!enter(p)) return -1;
    int a = parse_left(p, parse_term, '+', OP_ADD, '-', OP_SUB);
    p->depth--;
    return a;
}

/* ------------------------------------------------------------------------ */
/* Code generation: post-order, registers used as a stack                    */

/* The tree can be as deep as the formula is long (a sum of 30 000 terms is a
 * left-deep chain of 30 000 additions), so every walk over it is a loop over an
 * explicit stack on the heap: no recursion depends on the formula. */

typedef struct fusion {
    unsigned char post_sq, b_sq, a_mul, b_mul;
    double ma, mb;
} fusion;

/* One pending instruction: its operands' nodes (bi = -1 for a unary op), the
 * operands generated so far, and what it emits. */
typedef struct gframe {
    int ai, bi;
    int state;             /* 0: first operand next, 1: second next, 2: ready to emit */
    int bfirst;            /* operand b is generated first (it needs more registers) */
    int o, n;
    double c;
    fusion f;
    int fused;
    opnd a, b;
} gframe;

typedef struct gen {
    const node *nodes;
    instr *code;
    int ncode;
    int top, max;
    int fuse;              /* build the value program with fused instructions */
    int uses_x, uses_y;
    gframe *stack;         /* nnodes + 1 frames: a path from the root is at most that long */
    const int *need;       /* registers each node's subtree needs (Sethi-Ullman) */
} gen;

static opnd emit(gen *g, int o, opnd a, opnd b, int n, double c, const fusion *f)
{
    int binary = OP_IS_BINARY(o);
    int dst;
    if (a.kind == K_REG && binary && b.kind == K_REG) {
        /* the two top registers, in either order (b may have been computed first) */
        dst = a.reg < b.reg ? a.reg : b.reg;
        g->top--;
    } else if (a.kind == K_REG) {
        dst = a.reg;
    } else if (binary && b.kind == K_REG) {
        dst = b.reg;
    } else {
        dst = g->top++;
        if (g->top > g->max) g->max = g->top;
    }
    instr *in = &g->code[g->ncode++];
    memset(in, 0, sizeof *in);
    in->op = (unsigned char)o;
    in->dst = dst;
    in->n = n;
    in->c = c;
    in->a = a;
    in->b = b;
    if (f) {
        in->post_sq = f->post_sq; in->b_sq = f->b_sq;
        in->a_mul = f->a_mul; in->b_mul = f->b_mul;
        in->ma = f->ma; in->mb = f->mb;
    }
    opnd r = {0};
    r.kind = K_REG;
    r.reg = dst;
    return r;
}

/* Is node i a product of a constant and something else? */
static int const_product(const node *nodes, int i, int *other, double *c)
{
    const node *n = &nodes[i];
    if (n->kind != N_OP || n->op != OP_MUL) return 0;
    if (nodes[n->a].kind == N_NUM && nodes[n->b].kind != N_NUM) { *c = nodes[n->a].num; *other = n->b; return 1; }
    if (nodes[n->b].kind == N_NUM && nodes[n->a].kind != N_NUM) { *c = nodes[n->b].num; *other = n->a; return 1; }
    return 0;
}

static int is_op(const node *nodes, int i, int o)
{
    return nodes[i].kind == N_OP && nodes[i].op == o;
}

/* A binary add, subtract or multiply in the value program, absorbing a squared or
 * constant-scaled operand, and squaring its result when post_sq. Loss formulas
 * are mostly sums of scaled squares of differences, so this halves the passes. */
static void plan_fused(const gen *g, int i, int post_sq, gframe *fr)
{
    const node *n = &g->nodes[i];
    int ai = n->a, bi = n->b, t;
    double c;
    fr->fused = 1;
    fr->f.post_sq = (unsigned char)post_sq;
    if (n->op == OP_ADD || n->op == OP_SUB) {
        if (is_op(g->nodes, bi, OP_SQR)) {
            fr->f.b_sq = 1;
            bi = g->nodes[bi].a;
        } else if (!post_sq && const_product(g->nodes, bi, &t, &c)) {
            fr->f.b_mul = 1; fr->f.mb = c; bi = t;
        } else if (!post_sq && const_product(g->nodes, ai, &t, &c)) {
            fr->f.a_mul = 1; fr->f.ma = c; ai = t;
        }
    }
    fr->ai = ai;
    fr->bi = bi;
    fr->o = n->op;
}

/* Operand b first when it needs more registers than a: values do not depend on
 * the order operands are computed in, but the register count does (a tower
 * sin(x)^sin(x)^... would hold one register per level, 9 000 of them). */
static void order_operands(const gen *g, gframe *fr)
{
    fr->bfirst = fr->bi >= 0 && g->need[fr->bi] > g->need[fr->ai];
}

static void deliver(gframe *fr, opnd r)
{
    int to_b = fr->bfirst ? fr->state == 0 : fr->state == 1;
    if (to_b) fr->b = r;
    else fr->a = r;
    fr->state = fr->bi >= 0 && fr->state == 0 ? 1 : 2;
}

/* What node i compiles to: an operand at once (a number, x, y: returns 1 with
 * *leaf set), or an instruction whose operands come first (returns 0, fr set). */
static int plan_node(gen *g, int i, gframe *fr, opnd *leaf)
{
    const node *n = &g->nodes[i];
    memset(leaf, 0, sizeof *leaf);
    switch (n->kind) {
    case N_NUM: leaf->kind = K_CONST; leaf->c = n->num; return 1;
    case N_X: leaf->kind = K_X; g->uses_x = 1; return 1;
    case N_Y: leaf->kind = K_Y; g->uses_y = 1; return 1;
    default: break;
    }
    memset(fr, 0, sizeof *fr);
    if (g->fuse) {
        if (n->op == OP_SQR && (is_op(g->nodes, n->a, OP_ADD) || is_op(g->nodes, n->a, OP_SUB) ||
                                is_op(g->nodes, n->a, OP_MUL))) {
            plan_fused(g, n->a, 1, fr);
            order_operands(g, fr);
            return 0;
        }
        if (n->op == OP_ADD || n->op == OP_SUB) {
            plan_fused(g, i, 0, fr);
            order_operands(g, fr);
            return 0;
        }
    }
    fr->ai = n->a;
    fr->bi = OP_IS_BINARY(n->op) ? n->b : -1;
    fr->o = n->op;
    fr->n = n->n;
    fr->c = n->num;
    order_operands(g, fr);
    return 0;
}

/* Post-order over the tree from root: operand a, then b, then the instruction, the
 * same order (and so the same registers) as the natural recursion. */
static opnd gen_tree(gen *g, int root)
{
    opnd r;
    int sp = 0;
    if (plan_node(g, root, &g->stack[0], &r)) return r;
    sp = 1;
    for (;;) {
        gframe *t = &g->stack[sp - 1];
        if (t->state == 2) {
            r = emit(g, t->o, t->a, t->b, t->n, t->c, t->fused ? &t->f : NULL);
            if (--sp == 0) return r;
            deliver(&g->stack[sp - 1], r);
            continue;
        }
        int child = (t->state == 0) != t->bfirst ? t->ai : t->bi;
        if (plan_node(g, child, &g->stack[sp], &r)) deliver(t, r);
        else sp++;
    }
}

/* The whole formula: its root node, or -1 with the parser failed. */
static int parse_formula(parser *p)
{
    next_token(p);
    if (!p->failed && p->tok.kind == T_END) {
        fail(p, 1, "the formula is empty");
    }
    int root = p->failed ? -1 : parse_expr(p);
    if (!p->failed && p->tok.kind != T_END) {
        char what[64];
        describe_token(&p->tok, what, sizeof what);
        if (p->tok.kind == T_RPAREN)
            fail(p, p->tok.col, "')' without a matching '('");
        else
            fail(p, p->tok.col, "expected an operator or the end of the formula, got %s", what);
    }
    return root;
}

/* e's two programs (scalar, and fused for rows) from the tree: 0, or -1 out of memory. */
static int generate(expr *e, const node *nodes, int nnodes, int root)
{
    gframe *stack = malloc((size_t)(nnodes + 1) * sizeof *stack);
    int *need = malloc((size_t)(nnodes > 0 ? nnodes : 1) * sizeof *need);
    if (!stack || !need) {
        free(stack);
        free(need);
        return -1;
    }
    /* Sethi-Ullman numbers, bottom-up: a node's operands are always older nodes */
    for (int i = 0; i < nnodes; i++) {
        const node *n = &nodes[i];
        if (n->kind != N_OP) { need[i] = 0; continue; }
        int l = need[n->a], r = OP_IS_BINARY(n->op) ? need[n->b] : 0;
        need[i] = l == r ? l + 1 : l > r ? l : r;
    }
    gen g = {.nodes = nodes, .code = e->code, .stack = stack, .need = need};
    e->result = gen_tree(&g, root);
    e->ncode = g.ncode;
    e->nreg = g.max;
    gen gv = {.nodes = nodes, .code = e->vcode, .fuse = 1, .stack = stack, .need = need};
    e->vresult = gen_tree(&gv, root);
    e->nvcode = gv.ncode;
    e->nvreg = gv.max;
    e->uses_x = g.uses_x;
    e->uses_y = g.uses_y;
    free(stack);
    free(need);
    return 0;
}

expr *expr_compile(const char *src, const expr_const *consts, int nconsts, expr_error *err)
{
    if (err) { err->column = 0; err->msg[0] = 0; }
    if (!src) {
        if (err) snprintf(err->msg, sizeof err->msg, "no formula given");
        return NULL;
    }
    size_t len = strnlen(src, EXPR_MAX_LEN + 1);
    if (len > EXPR_MAX_LEN) {
        if (err)
            snprintf(err->msg, sizeof err->msg,
                     "formula too long (more than %d characters)", EXPR_MAX_LEN);
        return NULL;
    }
    parser p = {0};
    p.s = src;
    p.consts = consts;
    p.nconsts = nconsts;
    p.err = err;
    int root = parse_formula(&p);
    if (p.failed || root < 0) {
        if (!p.failed && err) snprintf(err->msg, sizeof err->msg, "invalid formula");
        free(p.nodes);
        return NULL;
    }
    expr *e = calloc(1, sizeof *e);
    if (!e) { free(p.nodes); return NULL; }
    e->src = malloc(len + 1);
    e->code = malloc((size_t)(p.nnodes > 0 ? p.nnodes : 1) * sizeof *e->code);
    e->vcode = malloc((size_t)(p.nnodes > 0 ? p.nnodes : 1) * sizeof *e->vcode);
    if (!e->src || !e->code || !e->vcode) {
        free(p.nodes);
        expr_destroy(e);
        if (err) snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    memcpy(e->src, src, len + 1);
    e->nodes = p.nodes;
    e->nnodes = p.nnodes;
    e->root = root;
    if (generate(e, p.nodes, p.nnodes, root) != 0) {
        expr_destroy(e);
        if (err) snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    return e;
}

void expr_destroy(expr *e)
{
    if (!e) return;
    free(e->src);
    free(e->nodes);
    free(e->code);
    free(e->vcode);
    free(e);
}

const char *expr_source(const expr *e) { return e->src; }
int expr_registers(const expr *e) { return e->nreg > e->nvreg ? e->nreg : e->nvreg; }
int expr_uses_x(const expr *e) { return e->uses_x; }
int expr_uses_y(const expr *e) { return e->uses_y; }

/* ------------------------------------------------------------------------ */
/* Values over blocks                                                        */

/* An operand resolved for one block: an array, or a scalar broadcast. */
typedef struct vsrc {
    const double *p;       /* NULL: scalar s */
    double s;
} vsrc;

/* Registers whose value is the same for every point of the block (a row's y, or
 * anything computed from y and constants alone) are kept as one scalar: cos(2*y)
 * costs one call per row, not one per point. uni[r] != 0 marks them, with the value
 * in uval[r]. */
typedef struct vregs {
    double *arr;
    unsigned char *uni;
    double *uval;
} vregs;

static inline vsrc resolve_v(const opnd *o, const vregs *R, const double *xs, double xsc,
                             const double *ys, double ysc)
{
    vsrc r = {NULL, 0};
    switch (o->kind) {
    case K_REG:
        if (R->uni[o->reg]) r.s = R->uval[o->reg];
        else r.p = R->arr + (size_t)o->reg * BLOCK;
        break;
    case K_X: if (xs) r.p = xs; else r.s = xsc; break;
    case K_Y: if (ys) r.p = ys; else r.s = ysc; break;
    default: r.s = o->c; break;
    }
    return r;
}

#define VLOOP2(EXPR) do { \
    if (a.p && b.p) { for (int i = 0; i < n; i++) { double A = a.p[i], B = b.p[i]; d[i] = (EXPR); } } \
    else if (a.p) { double B = b.s; for (int i = 0; i < n; i++) { double A = a.p[i]; d[i] = (EXPR); } } \
    else if (b.p) { double A = a.s; for (int i = 0; i < n; i++) { double B = b.p[i]; d[i] = (EXPR); } } \
    else { double A = a.s, B = b.s; double r_ = (EXPR); for (int i = 0; i < n; i++) d[i] = r_; } \
} while (0)

#define VLOOP1(EXPR) do { \
    if (a.p) { for (int i = 0; i < n; i++) { double A = a.p[i]; d[i] = (EXPR); } } \
    else { double A = a.s; double r_ = (EXPR); for (int i = 0; i < n; i++) d[i] = r_; } \
} while (0)

static double scalar_instr(const instr *in, double A, double B)
{
    if (!OP_IS_BINARY(in->op)) return apply_un(in->op, A, in->n, in->c);
    if (in->a_mul) A = in->ma * A;
    if (in->b_mul) B = in->mb * B;
    if (in->b_sq) B = B * B;
    double r = apply_bin(in->op, A, B);
    return in->post_sq ? r * r : r;
}

static void run_values(const expr *e, const vregs *R, const double *xs, double xsc,
                       const double *ys, double ysc, double *out, int n)
{
    for (int k = 0; k < e->nvcode; k++) {
        const instr *in = &e->vcode[k];
        int last = k == e->nvcode - 1;
        vsrc a = resolve_v(&in->a, R, xs, xsc, ys, ysc);
        vsrc b = {NULL, 0};
        if (OP_IS_BINARY(in->op)) b = resolve_v(&in->b, R, xs, xsc, ys, ysc);
        if (!a.p && !b.p) {
            double v = scalar_instr(in, a.s, b.s);
            if (last) { for (int i = 0; i < n; i++) out[i] = v; return; }
            R->uni[in->dst] = 1;
            R->uval[in->dst] = v;
            continue;
        }
        R->uni[in->dst] = 0;
        /* the root is emitted last: it writes straight into out */
        double *d = last ? out : R->arr + (size_t)in->dst * BLOCK;
        switch (in->op) {
        case OP_ADD: case OP_SUB: case OP_MUL: {
            const double ma = in->ma, mb = in->mb;
            int fl = in->post_sq | in->b_sq << 1 | in->a_mul << 2 | in->b_mul << 3;
#define SQ(v) ((v) * (v))
            if (in->op == OP_MUL) {
                if (fl) VLOOP2(SQ(A * B)); else VLOOP2(A * B);
            } else if (in->op == OP_ADD) {
                switch (fl) {
                case 0: VLOOP2(A + B); break;
                case 1: VLOOP2(SQ(A + B)); break;
                case 2: VLOOP2(A + B * B); break;
                case 3: VLOOP2(SQ(A + B * B)); break;
                case 4: VLOOP2(ma * A + B); break;
                default: VLOOP2(A + mb * B); break;
                }
            } else {
                switch (fl) {
                case 0: VLOOP2(A - B); break;
                case 1: VLOOP2(SQ(A - B)); break;
                case 2: VLOOP2(A - B * B); break;
                case 3: VLOOP2(SQ(A - B * B)); break;
                case 4: VLOOP2(ma * A - B); break;
                default: VLOOP2(A - mb * B); break;
                }
            }
#undef SQ
            break;
        }
        case OP_DIV: VLOOP2(A / B); break;
        case OP_POW: case OP_MIN: case OP_MAX: {
            int o = in->op;
            VLOOP2(apply_bin(o, A, B));
            break;
        }
        case OP_NEG: VLOOP1(-A); break;
        case OP_SQR: VLOOP1(A * A); break;
        case OP_ABS: VLOOP1(fabs(A)); break;
        case OP_SQRT: VLOOP1(sqrt(A)); break;
        case OP_SIN: VLOOP1(sin(A)); break;
        case OP_COS: VLOOP1(cos(A)); break;
        case OP_EXP: VLOOP1(exp(A)); break;
        case OP_LOG: VLOOP1(log(A)); break;
        case OP_TANH: VLOOP1(tanh(A)); break;
        default: {
            int o = in->op, pn = in->n;
            double pc = in->c;
            VLOOP1(apply_un(o, A, pn, pc));
            break;
        }
        }
    }
    if (e->nvcode > 0) return;
    vsrc r = resolve_v(&e->vresult, R, xs, xsc, ys, ysc);
    if (r.p) memcpy(out, r.p, (size_t)n * sizeof *out);
    else for (int i = 0; i < n; i++) out[i] = r.s;
}

/* Register file: on the stack for ordinary formulas, on the heap for deep ones. */
#define STACK_REGS 8

static int vregs_open(const expr *e, vregs *R, double *stack_arr, unsigned char *stack_uni,
                      double *stack_uval)
{
    if (e->nvreg <= STACK_REGS) {
        R->arr = stack_arr; R->uni = stack_uni; R->uval = stack_uval;
        return 0;
    }
    size_t nr = (size_t)e->nvreg;
    R->arr = malloc(nr * BLOCK * sizeof *R->arr);
    R->uni = malloc(nr);
    R->uval = malloc(nr * sizeof *R->uval);
    if (!R->arr || !R->uni || !R->uval) {
        free(R->arr); free(R->uni); free(R->uval);
        return -1;
    }
    return 0;
}

static void vregs_close(vregs *R, const double *stack_arr)
{
    if (R->arr == stack_arr) return;
    free(R->arr); free(R->uni); free(R->uval);
}

void expr_eval_many(const expr *e, const double *x, const double *y, double *out, size_t n)
{
    double arr[STACK_REGS * BLOCK], uval[STACK_REGS];
    unsigned char uni[STACK_REGS];
    vregs R;
    if (vregs_open(e, &R, arr, uni, uval)) { for (size_t i = 0; i < n; i++) out[i] = NAN; return; }
    for (size_t i = 0; i < n; i += BLOCK) {
        int m = (int)(n - i < BLOCK ? n - i : BLOCK);
        run_values(e, &R, x + i, 0, y + i, 0, out + i, m);
    }
    vregs_close(&R, arr);
}

void expr_eval_row(const expr *e, double x0, double dx, double y, double *out, size_t n)
{
    double arr[STACK_REGS * BLOCK], uval[STACK_REGS];
    unsigned char uni[STACK_REGS];
    double xs[BLOCK];
    vregs R;
    if (vregs_open(e, &R, arr, uni, uval)) { for (size_t i = 0; i < n; i++) out[i] = NAN; return; }
    for (size_t i = 0; i < n; i += BLOCK) {
        int m = (int)(n - i < BLOCK ? n - i : BLOCK);
        for (int k = 0; k < m; k++) xs[k] = x0 + (double)(i + (size_t)k) * dx;
        run_values(e, &R, xs, 0, NULL, y, out + i, m);
    }
    vregs_close(&R, arr);
}

double expr_eval(const expr *e, double x, double y)
{
    double out;
    expr_eval_many(e, &x, &y, &out, 1);
    return out;
}

static jet2 jet_bin(int o, const jet2 *a, const jet2 *b);

/* ------------------------------------------------------------------------ */
/* First-order derivatives over blocks                                       */

/* A register holds three arrays of BLOCK: value, d/dx, d/dy. A constant operand
 * has no arrays (derivatives zero). */
typedef struct gsrc {
    const double *v, *dx, *dy;   /* NULL v: constant s */
    double s;
} gsrc;

static inline gsrc resolve_g(const opnd *o, double *regs, const double *xj, const double *yj)
{
    gsrc r = {NULL, NULL, NULL, 0};
    const double *base;
    switch (o->kind) {
    case K_REG: base = regs + (size_t)o->reg * 3 * BLOCK; break;
    case K_X: base = xj; break;
    case K_Y: base = yj; break;
    default: r.s = o->c; return r;
    }
    r.v = base;
    r.dx = base + BLOCK;
    r.dy = base + 2 * BLOCK;
    return r;
}

/* Values and gradients of n elements of a binary operation o. */
static void grads_binary(int o, const gsrc *a, const gsrc *b, int n, double *dv, double *ddx, double *ddy)
{
    if (!a->v && !b->v) {       /* cannot happen after folding, but be total */
        double r = apply_bin(o, a->s, b->s);
        for (int i = 0; i < n; i++) { dv[i] = r; ddx[i] = 0; ddy[i] = 0; }
        return;
    }
    switch (o) {
    case OP_ADD: case OP_SUB: {
        double sg = o == OP_ADD ? 1.0 : -1.0;
        if (a->v && b->v)
            for (int i = 0; i < n; i++) {
                double A = a->v[i], B = b->v[i];
                double adx = a->dx[i], ady = a->dy[i], bdx = b->dx[i], bdy = b->dy[i];
                dv[i] = o == OP_ADD ? A + B : A - B;
                ddx[i] = o == OP_ADD ? adx + bdx : adx - bdx;
                ddy[i] = o == OP_ADD ? ady + bdy : ady - bdy;
            }
        else if (a->v)
            for (int i = 0; i < n; i++) {
                dv[i] = o == OP_ADD ? a->v[i] + b->s : a->v[i] - b->s;
                ddx[i] = a->dx[i]; ddy[i] = a->dy[i];
            }
        else
            for (int i = 0; i < n; i++) {
                dv[i] = o == OP_ADD ? a->s + b->v[i] : a->s - b->v[i];
                ddx[i] = sg * b->dx[i]; ddy[i] = sg * b->dy[i];
            }
        break;
    }
    case OP_MUL:
        if (a->v && b->v)
            for (int i = 0; i < n; i++) {
                double A = a->v[i], B = b->v[i];
                double adx = a->dx[i], ady = a->dy[i], bdx = b->dx[i], bdy = b->dy[i];
                dv[i] = A * B;
                ddx[i] = A * bdx + B * adx;
                ddy[i] = A * bdy + B * ady;
            }
        else {
            const gsrc *v = a->v ? a : b;
            double c = a->v ? b->s : a->s;
            for (int i = 0; i < n; i++) {
                dv[i] = a->v ? v->v[i] * c : c * v->v[i];
                ddx[i] = c * v->dx[i];
                ddy[i] = c * v->dy[i];
            }
        }
        break;
    case OP_DIV:
        /* (a/b)' = (a' - (a/b) b') / b */
        if (a->v && b->v)
            for (int i = 0; i < n; i++) {
                double B = b->v[i], q = a->v[i] / B;
                double bdx = b->dx[i], bdy = b->dy[i];
                dv[i] = q;
                ddx[i] = (a->dx[i] - q * bdx) / B;
                ddy[i] = (a->dy[i] - q * bdy) / B;
            }
        else if (a->v)
            for (int i = 0; i < n; i++) {
                dv[i] = a->v[i] / b->s;
                ddx[i] = a->dx[i] / b->s;
                ddy[i] = a->dy[i] / b->s;
            }
        else
            for (int i = 0; i < n; i++) {
                double B = b->v[i], q = a->s / B;
                dv[i] = q;
                ddx[i] = -(q * b->dx[i]) / B;
                ddy[i] = -(q * b->dy[i]) / B;
            }
        break;
    default:
        /* pow, min, max: per element through the shared jet rule */
        for (int i = 0; i < n; i++) {
            jet2 ja = {a->v ? a->v[i] : a->s, a->v ? a->dx[i] : 0, a->v ? a->dy[i] : 0, 0, 0, 0};
            jet2 jb = {b->v ? b->v[i] : b->s, b->v ? b->dx[i] : 0, b->v ? b->dy[i] : 0, 0, 0, 0};
            jet2 r = jet_bin(o, &ja, &jb);
            dv[i] = r.v; ddx[i] = r.gx; ddy[i] = r.gy;
        }
        break;
    }
}

/* Values and gradients of n elements of the unary instruction in. */
static void grads_unary(const instr *in, const gsrc *a, int n, double *dv, double *ddx, double *ddy)
{
    int o = in->op;
    if (!a->v) {
        double r = apply_un(o, a->s, in->n, in->c);
        for (int i = 0; i < n; i++) { dv[i] = r; ddx[i] = 0; ddy[i] = 0; }
        return;
    }
    switch (o) {
    case OP_NEG:
        for (int i = 0; i < n; i++) { dv[i] = -a->v[i]; ddx[i] = -a->dx[i]; ddy[i] = -a->dy[i]; }
        break;
    case OP_SQR:
        for (int i = 0; i < n; i++) {
            double A = a->v[i], t = 2 * A;
            dv[i] = A * A; ddx[i] = t * a->dx[i]; ddy[i] = t * a->dy[i];
        }
        break;
    default: {
        int pn = in->n;
        double pc = in->c;
        for (int i = 0; i < n; i++) {
            double A = a->v[i], f0 = apply_un(o, A, pn, pc), f1, f2;
            un_partials(o, A, f0, pn, pc, &f1, &f2);
            dv[i] = f0;
            ddx[i] = sz(f1, a->dx[i]);
            ddy[i] = sz(f1, a->dy[i]);
        }
        break;
    }
    }
}

static void run_grads(const expr *e, double *regs, double *xj, double *yj, int n,
                      double *f, double *gx, double *gy)
{
    for (int k = 0; k < e->ncode; k++) {
        const instr *in = &e->code[k];
        double *dv = regs + (size_t)in->dst * 3 * BLOCK, *ddx = dv + BLOCK, *ddy = dv + 2 * BLOCK;
        gsrc a = resolve_g(&in->a, regs, xj, yj);
        int o = in->op;
        if (OP_IS_BINARY(o)) {
            gsrc b = resolve_g(&in->b, regs, xj, yj);
            grads_binary(o, &a, &b, n, dv, ddx, ddy);
            continue;
        }
        /* unary */
        grads_unary(in, &a, n, dv, ddx, ddy);
    }
    gsrc r = resolve_g(&e->result, regs, xj, yj);
    for (int i = 0; i < n; i++) {
        if (f) f[i] = r.v ? r.v[i] : r.s;
        gx[i] = r.v ? r.dx[i] : 0;
        gy[i] = r.v ? r.dy[i] : 0;
    }
}

void expr_grad_many(const expr *e, const double *x, const double *y,
                    double *f, double *gx, double *gy, size_t n)
{
    double stack_regs[4 * 3 * BLOCK];
    double xj[3 * BLOCK], yj[3 * BLOCK];
    double *regs = stack_regs;
    if (e->nreg > 4) {
        regs = malloc((size_t)e->nreg * 3 * BLOCK * sizeof *regs);
        if (!regs) {
            for (size_t i = 0; i < n; i++) { if (f) f[i] = NAN; gx[i] = gy[i] = NAN; }
            return;
        }
    }
    for (int i = 0; i < BLOCK; i++) {
        xj[BLOCK + i] = 1; xj[2 * BLOCK + i] = 0;
        yj[BLOCK + i] = 0; yj[2 * BLOCK + i] = 1;
    }
    for (size_t i = 0; i < n; i += BLOCK) {
        int m = (int)(n - i < BLOCK ? n - i : BLOCK);
        memcpy(xj, x + i, (size_t)m * sizeof *x);
        memcpy(yj, y + i, (size_t)m * sizeof *y);
        run_grads(e, regs, xj, yj, m, f ? f + i : NULL, gx + i, gy + i);
    }
    if (regs != stack_regs) free(regs);
}

/* ------------------------------------------------------------------------ */
/* Second-order jets at one point                                            */

static jet2 jet_un(int o, const jet2 *u, int n, double c)
{
    jet2 r;
    double f0 = apply_un(o, u->v, n, c), f1, f2;
    un_partials(o, u->v, f0, n, c, &f1, &f2);
    r.v = f0;
    r.gx = sz(f1, u->gx);
    r.gy = sz(f1, u->gy);
    /* H = f1 * H_u + f2 * g_u g_u^T */
    r.hxx = sz(f1, u->hxx) + sz(f2, u->gx * u->gx);
    r.hxy = sz(f1, u->hxy) + sz(f2, u->gx * u->gy);
    r.hyy = sz(f1, u->hyy) + sz(f2, u->gy * u->gy);
    return r;
}

/* Shared by the jet and the block-gradient evaluators (pow, min and max there). */
/* min(a, b) or max(a, b) (o) of two jets. */
static jet2 jet_minmax(int o, const jet2 *a, const jet2 *b)
{
    jet2 r;
    double A = a->v, B = b->v;
    if (isnan(A) || isnan(B)) {
        r.v = r.gx = r.gy = r.hxx = r.hxy = r.hyy = NAN;
        return r;
    }
    if (A == B) {
        /* a tie: the mean of both sides, as torch.maximum/minimum do */
        r.v = A;
        r.gx = 0.5 * (a->gx + b->gx); r.gy = 0.5 * (a->gy + b->gy);
        r.hxx = 0.5 * (a->hxx + b->hxx); r.hxy = 0.5 * (a->hxy + b->hxy);
        r.hyy = 0.5 * (a->hyy + b->hyy);
        return r;
    }
    int take_a = o == OP_MIN ? A < B : A > B;
    return take_a ? *a : *b;
}

/* a^b of two jets. */
static jet2 jet_pow(const jet2 *a, const jet2 *b)
{
    jet2 r;
    /* f = a^b. Partials: fa = b a^(b-1), fb = f ln a, faa = b(b-1) a^(b-2),
     * fab = a^(b-1) (1 + b ln a), fbb = f (ln a)^2. Terms whose direction has
     * an exactly-zero derivative vanish, so a constant base or exponent never
     * brings in ln of a negative number. */
    double A = a->v, Bv = b->v;
    double f = pow(A, Bv);
    int da = a->gx != 0 || a->gy != 0 || a->hxx != 0 || a->hxy != 0 || a->hyy != 0;
    int db = b->gx != 0 || b->gy != 0 || b->hxx != 0 || b->hxy != 0 || b->hyy != 0;
    double fa = 0, fb = 0, faa = 0, fab = 0, fbb = 0;
    if (da) {
        fa = Bv * pow(A, Bv - 1);
        faa = Bv * (Bv - 1) * pow(A, Bv - 2);
    }
    if (db) {
        double la = log(A);
        if (f == 0) { fb = 0; fbb = 0; }      /* 0^b for b > 0: torch masks these to 0 */
        else { fb = f * la; fbb = f * la * la; }
        if (da) {
            double p1 = pow(A, Bv - 1);
            fab = p1 == 0 ? 0 : p1 * (1 + Bv * la);   /* the limit a^(b-1) ln a -> 0 */
        }
    }
    r.v = f;
    r.gx = sz(fa, a->gx) + sz(fb, b->gx);
    r.gy = sz(fa, a->gy) + sz(fb, b->gy);
    r.hxx = sz(fa, a->hxx) + sz(fb, b->hxx) + sz(faa, a->gx * a->gx)
          + sz(fab, 2 * a->gx * b->gx) + sz(fbb, b->gx * b->gx);
    r.hxy = sz(fa, a->hxy) + sz(fb, b->hxy) + sz(faa, a->gx * a->gy)
          + sz(fab, a->gx * b->gy + a->gy * b->gx) + sz(fbb, b->gx * b->gy);
    r.hyy = sz(fa, a->hyy) + sz(fb, b->hyy) + sz(faa, a->gy * a->gy)
          + sz(fab, 2 * a->gy * b->gy) + sz(fbb, b->gy * b->gy);
    return r;
}

static jet2 jet_bin(int o, const jet2 *a, const jet2 *b)
{
    jet2 r;
    switch (o) {
    case OP_ADD:
        r.v = a->v + b->v; r.gx = a->gx + b->gx; r.gy = a->gy + b->gy;
        r.hxx = a->hxx + b->hxx; r.hxy = a->hxy + b->hxy; r.hyy = a->hyy + b->hyy;
        return r;
    case OP_SUB:
        r.v = a->v - b->v; r.gx = a->gx - b->gx; r.gy = a->gy - b->gy;
        r.hxx = a->hxx - b->hxx; r.hxy = a->hxy - b->hxy; r.hyy = a->hyy - b->hyy;
        return r;
    case OP_MUL:
        /* (ab)'' = a b'' + b a'' + a' b'^T + b' a'^T */
        r.v = a->v * b->v;
        r.gx = sz(a->v, b->gx) + sz(b->v, a->gx);
        r.gy = sz(a->v, b->gy) + sz(b->v, a->gy);
        r.hxx = sz(a->v, b->hxx) + sz(b->v, a->hxx) + 2 * a->gx * b->gx;
        r.hxy = sz(a->v, b->hxy) + sz(b->v, a->hxy) + a->gx * b->gy + a->gy * b->gx;
        r.hyy = sz(a->v, b->hyy) + sz(b->v, a->hyy) + 2 * a->gy * b->gy;
        return r;
    case OP_DIV: {
        /* q = a/b:  q' = (a' - q b')/b,  q'' = (a'' - q b'' - q' b'^T - b' q'^T)/b */
        double B = b->v;
        r.v = a->v / B;
        r.gx = (a->gx - sz(r.v, b->gx)) / B;
        r.gy = (a->gy - sz(r.v, b->gy)) / B;
        r.hxx = (a->hxx - sz(r.v, b->hxx) - 2 * r.gx * b->gx) / B;
        r.hxy = (a->hxy - sz(r.v, b->hxy) - r.gx * b->gy - r.gy * b->gx) / B;
        r.hyy = (a->hyy - sz(r.v, b->hyy) - 2 * r.gy * b->gy) / B;
        return r;
    }
    case OP_MIN: case OP_MAX:
        return jet_minmax(o, a, b);
    case OP_POW:
        return jet_pow(a, b);
    default:
        r.v = r.gx = r.gy = r.hxx = r.hxy = r.hyy = NAN;
        return r;
    }
}

static inline jet2 fetch_jet(const opnd *o, const jet2 *regs, double x, double y)
{
    jet2 j = {0, 0, 0, 0, 0, 0};
    switch (o->kind) {
    case K_REG: return regs[o->reg];
    case K_X: j.v = x; j.gx = 1; return j;
    case K_Y: j.v = y; j.gy = 1; return j;
    default: j.v = o->c; return j;
    }
}

jet2 expr_jet(const expr *e, double x, double y)
{
    jet2 stack_regs[32];
    jet2 *regs = stack_regs;
    if (e->nreg > 32) {
        regs = malloc((size_t)e->nreg * sizeof *regs);
        if (!regs) { jet2 bad = {NAN, NAN, NAN, NAN, NAN, NAN}; return bad; }
    }
    for (int k = 0; k < e->ncode; k++) {
        const instr *in = &e->code[k];
        jet2 a = fetch_jet(&in->a, regs, x, y);
        if (OP_IS_BINARY(in->op)) {
            jet2 b = fetch_jet(&in->b, regs, x, y);
            regs[in->dst] = jet_bin(in->op, &a, &b);
        } else {
            regs[in->dst] = jet_un(in->op, &a, in->n, in->c);
        }
    }
    jet2 r = fetch_jet(&e->result, regs, x, y);
    if (regs != stack_regs) free(regs);
    return r;
}

/* ------------------------------------------------------------------------ */
/* C source for the same function (the reference side of `bench field`)      */

typedef struct sbuf { char *p; size_t len, cap; int overflow; } sbuf;

static void sb_put(sbuf *b, const char *fmt, ...)
{
    if (b->overflow) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= b->cap - b->len) { b->overflow = 1; return; }
    b->len += (size_t)k;
}

static void c_number(sbuf *b, double v)
{
    if (isnan(v)) sb_put(b, "NAN");
    else if (isinf(v)) sb_put(b, v > 0 ? "HUGE_VAL" : "(-HUGE_VAL)");
    else sb_put(b, "(%.17g)", v);
}

/* The text before operand a, between a and b, and after the last operand. */
static void c_parts(sbuf *b, const node *n, int part)
{
    static const char *const un_name[] = {
        [OP_SIN] = "sin", [OP_COS] = "cos", [OP_TAN] = "tan", [OP_EXP] = "exp",
        [OP_LOG] = "log", [OP_SQRT] = "sqrt", [OP_ABS] = "fabs", [OP_TANH] = "tanh",
        [OP_SINH] = "sinh", [OP_COSH] = "cosh", [OP_ATAN] = "atan",
    };
    switch (n->op) {
    case OP_NEG: sb_put(b, part == 0 ? "(-" : ")"); return;
    case OP_SQR: sb_put(b, part == 0 ? "os_sqr(" : ")"); return;
    case OP_POWI:
        if (part == 0) sb_put(b, "os_powi(");
        else sb_put(b, ", %d)", n->n);
        return;
    case OP_POWC:
        if (part == 0) { sb_put(b, "pow("); return; }
        sb_put(b, ", ");
        c_number(b, n->num);
        sb_put(b, ")");
        return;
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
        if (part == 1) sb_put(b, " %c ", "+-*/"[n->op - OP_ADD]);
        else sb_put(b, part == 0 ? "(" : ")");
        return;
    case OP_POW: case OP_MIN: case OP_MAX:
        if (part == 0) sb_put(b, n->op == OP_POW ? "pow(" : n->op == OP_MIN ? "os_min(" : "os_max(");
        else sb_put(b, part == 1 ? ", " : ")");
        return;
    default:
        if (part == 0) sb_put(b, "%s(", un_name[n->op]);
        else sb_put(b, ")");
        return;
    }
}

static void c_leaf(sbuf *b, const node *n)
{
    if (n->kind == N_NUM) c_number(b, n->num);
    else sb_put(b, n->kind == N_X ? "x" : "y");
}

/* An operand: temporary t<r> (r >= 0) or the leaf node -1 - r. */
static void c_ref(sbuf *b, const node *nodes, int r)
{
    if (r >= 0) sb_put(b, "t%d", r);
    else c_leaf(b, &nodes[-1 - r]);
}

/* The tree as straight-line C, one temporary per operation in post-order (the
 * order the bytecode runs), so that neither this walk nor the C compiler nests as
 * deep as the tree: a 30 000-term sum is 30 000 short statements, not 30 000
 * nested parentheses (which crash cc itself). Writes the statements and
 * "return ...;". Returns -1 when out of memory. */
static int c_tree(sbuf *b, const node *nodes, int nnodes, int root)
{
    typedef struct cframe { int node, state, ta, tb; } cframe;
    if (nodes[root].kind != N_OP) {
        sb_put(b, "    return ");
        c_leaf(b, &nodes[root]);
        sb_put(b, ";\n");
        return 0;
    }
    cframe *st = malloc((size_t)(nnodes + 1) * sizeof *st);
    if (!st) return -1;
    int sp = 0, ntemp = 0, last = -1;
    st[sp++] = (cframe){root, 0, 0, 0};
    while (sp > 0 && !b->overflow) {
        cframe *t = &st[sp - 1];
        const node *n = &nodes[t->node];
        int binary = OP_IS_BINARY(n->op);
        if (t->state == 0 || (t->state == 1 && binary)) {
            int child = t->state == 0 ? n->a : n->b;
            if (nodes[child].kind != N_OP) {
                if (t->state == 0) t->ta = -1 - child;
                else t->tb = -1 - child;
                t->state++;
            } else {
                st[sp++] = (cframe){child, 0, 0, 0};
            }
            continue;
        }
        sb_put(b, "    const double t%d = ", ntemp);
        c_parts(b, n, 0);
        c_ref(b, nodes, t->ta);
        if (binary) {
            c_parts(b, n, 1);
            c_ref(b, nodes, t->tb);
        }
        c_parts(b, n, 2);
        sb_put(b, ";\n");
        last = ntemp++;
        if (--sp > 0) {
            cframe *p = &st[sp - 1];
            if (p->state == 0) p->ta = last;
            else p->tb = last;
            p->state++;
        }
    }
    free(st);
    sb_put(b, "    return t%d;\n", last);
    return 0;
}

int expr_to_c(const expr *e, const char *fname, char *buf, size_t len)
{
    sbuf b = {buf, 0, len, 0};
    if (len == 0) return -1;
    buf[0] = 0;
    sb_put(&b,
        "#include <math.h>\n"
        "static inline double os_sqr(double a) { return a * a; }\n"
        "static inline double os_powi(double a, int n) {\n"
        "    int k = n < 0 ? -n : n; double r = 1.0;\n"
        "    if (k > 0) { r = a; for (int i = 1; i < k; i++) r *= a; }\n"
        "    return n < 0 ? 1.0 / r : r; }\n"
        "static inline double os_min(double a, double b) { return (isnan(a) || isnan(b)) ? NAN : a < b ? a : b; }\n"
        "static inline double os_max(double a, double b) { return (isnan(a) || isnan(b)) ? NAN : a > b ? a : b; }\n"
        "static inline double os_f(double x, double y) {\n    (void)x; (void)y;\n");
    if (c_tree(&b, e->nodes, e->nnodes, e->root) != 0) return -1;
    sb_put(&b, "}\n"
        "void %s(double x0, double dx, double y, float *out, int n) {\n"
        "    for (int i = 0; i < n; i++) out[i] = (float)os_f(x0 + (double)i * dx, y);\n"
        "}\n", fname);
    return b.overflow ? -1 : (int)b.len;
}
