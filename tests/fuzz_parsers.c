/* fuzz_parsers: a fuzz target for everything that reads user text: the formula
 * compiler (then all three evaluators on whatever compiles), and the optimizer,
 * schedule and landscape spec parsers. Run under AddressSanitizer and UBSan.
 *
 * Built two ways (see fuzz_driver.h); the driver mixes grammar-aware generation
 * with byte mutations of a corpus:  fuzz_parsers [--seconds S] [--seed N] */
#include "fuzz_driver.h"

#include <math.h>
#include <pthread.h>

#include "core/expr.h"
#include "core/landscape.h"
#include "core/optim.h"
#include "core/sched.h"
#include "core/spec.h"

static int same_value(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

static void fuzz_expr(const char *s)
{
    expr_error err;
    expr_const k[] = {{"kappa", 3.0}, {"a", -1.5}};
    expr *e = expr_compile(s, k, 2, &err);
    if (!e) {
        /* a refusal always explains itself */
        if (err.msg[0] == 0) abort();
        return;
    }
    const double pts[][2] = {{0, 0}, {1.5, -2}, {-1e300, 1e-300}, {3, 1e10}};
    double xs[4], ys[4], v[4], f[4], gx[4], gy[4];
    jet2 j[4];
    for (int i = 0; i < 4; i++) {
        xs[i] = pts[i][0];
        ys[i] = pts[i][1];
        j[i] = expr_jet(e, xs[i], ys[i]);
    }
    expr_eval_many(e, xs, ys, v, 4);
    expr_grad_many(e, xs, ys, f, gx, gy, 4);
    /* the three evaluators run the same IEEE operations in the same order (the
     * value program's fusions included): their values agree to the bit */
    for (int i = 0; i < 4; i++)
        if (!same_value(v[i], j[i].v) || !same_value(f[i], j[i].v)) abort();
    double row[4], rx[4], ry[4] = {2, 2, 2, 2}, rv[4];
    expr_eval_row(e, -1, 0.5, 2, row, 4);
    for (int i = 0; i < 4; i++) rx[i] = -1 + (double)i * 0.5;
    expr_eval_many(e, rx, ry, rv, 4);
    for (int i = 0; i < 4; i++)
        if (!same_value(row[i], rv[i])) abort();
    char c[4096];
    (void)expr_to_c(e, "f", c, sizeof c);
    expr_destroy(e);
}

static void fuzz_specs(const char *s)
{
    char msg[512];
    optim_desc od;
    if (optim_parse(s, &od, msg, sizeof msg) == 0) {
        char buf[512];
        optim_format(&od, buf, sizeof buf);
        optim_desc back;
        if (optim_parse(buf, &back, msg, sizeof msg) != 0) abort();   /* format must round-trip */
        optim_clock clk;
        optim_state st;
        optim_clock_init(&od, &clk);
        optim_state_init(&od, &st);
        double p[2] = {1, -1}, g[2] = {0.5, -3}, h[3] = {2, 0.5, -1};
        for (int i = 0; i < 3; i++) {
            optim_clock_tick(&od, &clk, od.lr);
            optim_update(&od, &clk, &st, p, g, h);
        }
    } else if (msg[0] == 0) {
        abort();
    }
    sched_desc sd;
    if (sched_parse(s, &sd, msg, sizeof msg) == 0) {
        sched_state ss;
        sched_start(&ss, &sd, 0.1);
        for (int i = 0; i < 50; i++) {
            double lr = sched_next(&ss);
            /* the warm-up's recursion stays on its line base (t + 1) / W */
            if (i < sd.warmup && !(fabs(lr - 0.1 * (i + 1) / (double)sd.warmup) <= 1e-13 * 0.1)) abort();
        }
    } else if (msg[0] == 0) {
        abort();
    }
    landscape ls;
    if (landscape_load(&ls, s, msg, sizeof msg) == 0) landscape_free(&ls);
    else if (msg[0] == 0) abort();
}

/* The one number policy: whatever num_parse accepts is a finite plain decimal
 * (no blank, no hexadecimal, no inf/nan word) that reads back from its shortest
 * formatting; a refusal always says why. */
static void fuzz_numbers(const char *s)
{
    double v;
    char why[160] = "";
    if (num_parse(s, &v, why, sizeof why) == 0) {
        if (!isfinite(v)) abort();
        for (const char *p = s; *p; p++)
            if (!strchr("0123456789+-.eE", *p)) abort();
        char buf[64];
        double back;
        spec_format_number(v, buf, sizeof buf);
        if (num_parse(buf, &back, NULL, 0) != 0 || back != v) abort();
    } else if (why[0] == 0) {
        abort();
    }
    long l;
    why[0] = 0;
    if (num_parse_int(s, -1000, 1000, &l, why, sizeof why) == 0) {
        if (l < -1000 || l > 1000) abort();
    } else if (why[0] == 0) {
        abort();
    }
    double xy[4];
    why[0] = 0;
    if (num_parse_list(s, xy, 2, why, sizeof why) != 0 && why[0] == 0) abort();
}

static void fuzz_one(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (!s) return;
    memcpy(s, data, n);
    s[n] = 0;
    fuzz_expr(s);
    fuzz_specs(s);
    fuzz_numbers(s);
    free(s);
}

#ifndef OPTISCAPE_LIBFUZZER

static const char *corpus[] = {
    "(1 - x)^2 + 100*(y - x^2)^2", "sin(x)*cos(y)", "x^y", "max(x, y) - min(x, -y)",
    "-20*exp(-0.2*sqrt(0.5*(x^2+y^2))) - exp(0.5*(cos(2*pi*x)+cos(2*pi*y))) + e + 20",
    "pow(abs(x), 0.5) + log(y)", "kappa*x^2 + a*y^-3", "tanh(sinh(cosh(atan(tan(x)))))",
    "adam:lr=0.01,beta1=0.8,beta2=0.99,amsgrad=1", "sgd:lr=0.1,momentum=0.9,nesterov=true",
    "rmsprop:centered=1,momentum=0.5", "adagrad:mode=mean,lr_decay=0.01", "nadam:momentum_decay=0.004",
    "adam:bias_correction=0", "newton:damping=0.1", "sfn", "escape:tol=0.01", "adadelta:rho=0.95",
    "step:step_size=10,gamma=0.5", "cosine:t_max=100,eta_min=0.001,warmup=5", "invsqrt", "exp:gamma=0.99",
    "quadratic:kappa=50,angle=30", "rosenbrock", "rastrigin", "sharp_flat",
    "-1.5e-3", ".5", "3.", "0x10", "-0x1p-3", "1e999", "1e-400", " 1", "1 ", "+4E2", "2.5e-320",
    "1, 2", "-2,2,-1,3", "sgd:lr=0x10", "step:step_size=1e3",
};

static const char *atoms[] = {
    "x", "y", "1", "0", "-", "+", "*", "/", "^", "(", ")", ",", "pi", "e", "sin(", "log(", "sqrt(",
    "pow(", "max(", "min(", "abs(", "2.5e-3", "1e308", "0.0", ":", "=", "lr", "beta1", "adam", "sgd",
    "quadratic", "kappa", "1e-300", "nan", "inf", " ", "x^-1", "^x^y", "((", "))",
    "0x", "1e999", "1e-400", ".", "e", "E-", "\t",
};

static size_t generate(char *buf, size_t cap)
{
    size_t n = 0;
    uint64_t mode = fuzz_next() % 5;
    if (mode == 4) {
        /* a long chain of one operation, up to the length limit: sums, products,
         * quotients, fused squares, runs of signs, power towers, nested in a few
         * parentheses or function calls (the compiler must not recurse per term) */
        static const char *const units[] = {
            "+x", "-y", "*x", "/y", "+(x-y)^2", "+2*x", "-", "+", "^x", "^-y", "*-x", "+sin(x)",
            "^2", "+1", "*0.5",
        };
        static const char *const heads[] = {"x", "", "(", "sin(", "max(x,", "-(", "2^"};
        const char *head = heads[fuzz_next() % (sizeof heads / sizeof heads[0])];
        const char *unit = units[fuzz_next() % (sizeof units / sizeof units[0])];
        size_t hl = strlen(head), ul = strlen(unit);
        size_t want = (size_t)(fuzz_next() % (EXPR_MAX_LEN + 64));
        if (want >= cap - 64) want = cap - 64;
        memcpy(buf, head, hl);
        n = hl;
        while (n + ul + 8 < want) { memcpy(buf + n, unit, ul); n += ul; }
        if (n == 0 || strchr("+-*/^(,", buf[n - 1])) buf[n++] = 'x';   /* an operand to end on */
        if (strchr(head, '(')) buf[n++] = ')';
        buf[n] = 0;
        return n;
    }
    if (mode == 0) {
        /* grammar-ish: a random sequence of atoms */
        int k = (int)(fuzz_next() % 40);
        for (int i = 0; i < k; i++) {
            const char *a = atoms[fuzz_next() % (sizeof atoms / sizeof atoms[0])];
            size_t l = strlen(a);
            if (n + l >= cap) break;
            memcpy(buf + n, a, l);
            n += l;
        }
    } else {
        /* a corpus entry with byte mutations */
        const char *c = corpus[fuzz_next() % (sizeof corpus / sizeof corpus[0])];
        n = strlen(c);
        if (n >= cap) n = cap - 1;
        memcpy(buf, c, n);
        int muts = 1 + (int)(fuzz_next() % 6);
        for (int m = 0; m < muts; m++) {
            uint64_t r = fuzz_next();
            size_t at = n ? (size_t)(r >> 8) % n : 0;
            switch (r % 5) {
            case 0: if (n) buf[at] = (char)(fuzz_next() & 0xff); break;                  /* flip */
            case 1: if (n) { memmove(buf + at, buf + at + 1, n - at - 1); n--; } break;  /* delete */
            case 2: if (n + 1 < cap) { memmove(buf + at + 1, buf + at, n - at); buf[at] = (char)(32 + fuzz_next() % 95); n++; } break;
            case 3: { /* duplicate a slice: grows nesting */
                size_t len = n ? 1 + (size_t)(fuzz_next() % (n - at)) : 0;
                if (n + len < cap) { memmove(buf + at + len, buf + at, n - at); n += len; }
                break;
            }
            default: { /* deep nesting */
                size_t d = (size_t)(fuzz_next() % 400);
                if (n + 2 * d + 1 < cap) {
                    memmove(buf + d, buf, n);
                    memset(buf, '(', d);
                    memset(buf + d + n, ')', d);
                    n += 2 * d;
                }
                break;
            }
            }
        }
        if (mode == 3 && n + 1 < cap) {
            /* sometimes a long flat tail */
            size_t extra = (size_t)(fuzz_next() % 3000);
            for (size_t i = 0; i + 2 < extra && n + 2 < cap; i += 2) { buf[n++] = '+'; buf[n++] = 'x'; }
        }
    }
    buf[n] = 0;
    return n;
}

typedef struct fuzz_args { int argc; char **argv; long iters; } fuzz_args;

static void *fuzz_thread(void *arg)
{
    static char buf[EXPR_MAX_LEN + 256];
    fuzz_args *a = arg;
    a->iters = fuzz_run(a->argc, a->argv, "fuzz_parsers", corpus, sizeof corpus / sizeof corpus[0], generate,
                        buf, sizeof buf);
    return NULL;
}

/* The fuzzing runs on a 1 MiB stack (as under `ulimit -s 1024`), so a recursion
 * that grows with the input crashes here rather than only on a smaller machine. */
int main(int argc, char **argv)
{
    fuzz_args a = {argc, argv, 0};
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
    /* the single-threaded web build cannot start a thread: the fuzzing runs on the
       calling thread's stack, without the 1 MiB bound */
    printf("fuzz_parsers: no threads in this build: on the main stack, 1 MiB stack bound skipped\n");
    fuzz_thread(&a);
#else
    pthread_attr_t attr;
    pthread_t th;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)1 << 20);
    if (pthread_create(&th, &attr, fuzz_thread, &a) != 0) {
        fprintf(stderr, "fuzz_parsers: cannot start a thread\n");
        return 1;
    }
    pthread_join(th, NULL);
    pthread_attr_destroy(&attr);
#endif
    printf("fuzz_parsers: %ld inputs, no crash\n", a.iters);
    return 0;
}
#endif
