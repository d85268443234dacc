/* test_spec: the option language (name:key=value,...) and the strict number,
 * boolean and integer parsers: good inputs, every kind of bad input with the
 * fragment its message must contain, and inputs of any length. */
#include <float.h>
#include <limits.h>
#include <stdlib.h>

#include "check.h"
#include "core/spec.h"

typedef struct number_case {
    const char *text;
    int ok;
    double value;
} number_case;

static const number_case number_cases[] = {
    {"0", 1, 0.0},
    {"1", 1, 1.0},
    {"-2.5", 1, -2.5},
    {"+3", 1, 3.0},
    {"1e-3", 1, 1e-3},
    {"1E3", 1, 1e3},
    {".5", 1, 0.5},
    {"5.", 1, 5.0},
    {"0.1", 1, 0.1},
    {"1.7976931348623157e308", 1, DBL_MAX},
    {"4.9406564584124654e-324", 1, 4.9406564584124654e-324},
    {"-0", 1, -0.0},
    {"0e-999", 1, 0.0},          /* zero written with any exponent is zero */
    {"2.5e-320", 1, 2.5e-320},   /* a subnormal is kept */
    {"1e-400", 0, 0},            /* a nonzero number that would round to 0 */
    {"0x10", 0, 0},
    {"-0X1p3", 0, 0},
    {"0x", 0, 0},
    {"Inf", 0, 0},
    {"+nan(1)", 0, 0},
    {"1e", 0, 0},
    {"1e+", 0, 0},
    {"\t1", 0, 0},
    {"1\n", 0, 0},
    {"1 2", 0, 0},
    {"", 0, 0},
    {" 1", 0, 0},
    {"1 ", 0, 0},
    {"abc", 0, 0},
    {"1x", 0, 0},
    {"1,2", 0, 0},
    {"inf", 0, 0},
    {"-inf", 0, 0},
    {"nan", 0, 0},
    {"NaN", 0, 0},
    {"infinity", 0, 0},
    {"1e999", 0, 0},
    {"-1e999", 0, 0},
    {"--1", 0, 0},
    {"e5", 0, 0},
    {".", 0, 0},
    {"-", 0, 0},
};

static void test_numbers(void)
{
    size_t i;
    for (i = 0; i < sizeof number_cases / sizeof number_cases[0]; i++) {
        const number_case *c = &number_cases[i];
        double v = 12345.0;
        int rc = spec_number(c->text, &v);
        CHECK(rc == (c->ok ? 0 : -1), "spec_number('%s') returned %d", c->text, rc);
        if (c->ok)
            CHECK(v == c->value, "spec_number('%s') = %.17g, expected %.17g", c->text, v, c->value);
        else
            CHECK(v == 12345.0, "spec_number('%s') wrote %.17g on failure", c->text, v);
    }
    CHECK(spec_number(NULL, &(double){0}) == -1, "NULL is refused");
}

typedef struct bool_case {
    const char *text;
    int ok, value;
} bool_case;

static const bool_case bool_cases[] = {
    {"0", 1, 0}, {"1", 1, 1}, {"true", 1, 1}, {"false", 1, 0},
    {"yes", 1, 1}, {"no", 1, 0}, {"on", 1, 1}, {"off", 1, 0},
    {"", 0, 0}, {"2", 0, 0}, {"TRUE", 0, 0}, {"t", 0, 0}, {" 1", 0, 0}, {"1 ", 0, 0},
    {"01", 0, 0}, {"maybe", 0, 0},
};

static void test_bools(void)
{
    size_t i;
    for (i = 0; i < sizeof bool_cases / sizeof bool_cases[0]; i++) {
        const bool_case *c = &bool_cases[i];
        int v = 7;
        int rc = spec_bool(c->text, &v);
        CHECK(rc == (c->ok ? 0 : -1), "spec_bool('%s') returned %d", c->text, rc);
        if (c->ok) CHECK(v == c->value, "spec_bool('%s') = %d", c->text, v);
        else CHECK(v == 7, "spec_bool('%s') wrote on failure", c->text);
    }
}

typedef struct int_case {
    const char *text;
    long min, max;
    int ok;
    long value;
} int_case;

static const int_case int_cases[] = {
    {"0", 0, 10, 1, 0},
    {"10", 0, 10, 1, 10},
    {"-5", -10, 10, 1, -5},
    {"+7", 0, 10, 1, 7},
    {"11", 0, 10, 0, 0},
    {"-1", 0, 10, 0, 0},
    {"1.5", 0, 10, 0, 0},
    {"1e3", 0, 10000, 0, 0},
    {"", 0, 10, 0, 0},
    {" 1", 0, 10, 0, 0},
    {"1 ", 0, 10, 0, 0},
    {"0x10", 0, 100, 0, 0},
    {"1,5", 0, 100, 0, 0},
    {"-", 0, 100, 0, 0},
    {"+", 0, 100, 0, 0},
    {"007", 0, 100, 1, 7},
    {"99999999999999999999999", LONG_MIN, LONG_MAX, 0, 0},
    {"-99999999999999999999999", LONG_MIN, LONG_MAX, 0, 0},
};

static void test_ints(void)
{
    size_t i;
    for (i = 0; i < sizeof int_cases / sizeof int_cases[0]; i++) {
        const int_case *c = &int_cases[i];
        long v = 4242;
        int rc = spec_int(c->text, c->min, c->max, &v);
        CHECK(rc == (c->ok ? 0 : -1), "spec_int('%s') returned %d", c->text, rc);
        if (c->ok) CHECK(v == c->value, "spec_int('%s') = %ld", c->text, v);
        else CHECK(v == 4242, "spec_int('%s') wrote on failure", c->text);
    }
}

/* A good spec and what it must parse into. */
typedef struct parse_case {
    const char *text;
    const char *name;
    int nkv;
    const char *kv[4][2];
} parse_case;

static const parse_case parse_good[] = {
    {"adam", "adam", 0, {{0, 0}}},
    {"adam:lr=0.01", "adam", 1, {{"lr", "0.01"}}},
    {"adam:lr=0.01,beta1=0.8", "adam", 2, {{"lr", "0.01"}, {"beta1", "0.8"}}},
    {" adam : lr = 0.01 , beta1= 0.8 ", "adam", 2, {{"lr", "0.01"}, {"beta1", "0.8"}}},
    {"sgd:nesterov=true,momentum=0.9,lr=1e-2", "sgd", 3,
     {{"nesterov", "true"}, {"momentum", "0.9"}, {"lr", "1e-2"}}},
    {"quadratic:kappa=50,angle=-30", "quadratic", 2, {{"kappa", "50"}, {"angle", "-30"}}},
    {"x:k=a=b", "x", 1, {{"k", "a=b"}}},   /* the value is everything after the first '=' */
};

/* A bad spec and a fragment its message must contain. */
typedef struct bad_case {
    const char *text;
    const char *fragment;
} bad_case;

static const bad_case parse_bad[] = {
    {"", "empty name"},
    {"   ", "empty name"},
    {":lr=1", "empty name"},
    {"adam:", "expected key=value after ':'"},
    {"adam:  ", "expected key=value after ':'"},
    {"adam:lr", "expected key=value, got 'lr'"},
    {"adam:lr=1,", "empty key=value pair"},
    {"adam:,lr=1", "empty key=value pair"},
    {"adam:lr=1,,beta1=2", "empty key=value pair"},
    {"adam:=1", "empty key"},
    {"adam: =1", "empty key"},
    {"adam:lr=", "lr: empty value"},
    {"adam:lr= ", "lr: empty value"},
    {"adam:lr=1,lr=2", "duplicate key 'lr'"},
    {"adam:lr=1\n", "control character"},
    {"adam\t:lr=1\x01", "control character"},
};

static void test_parse(void)
{
    size_t i;
    int j;
    char err[256];
    for (i = 0; i < sizeof parse_good / sizeof parse_good[0]; i++) {
        const parse_case *c = &parse_good[i];
        spec sp;
        int rc;
        err[0] = '\0';
        rc = spec_parse(c->text, "optimizer", &sp, err, sizeof err);
        CHECK(rc == 0, "spec_parse('%s') failed: %s", c->text, err);
        if (rc != 0) continue;
        CHECK(strcmp(sp.name, c->name) == 0, "'%s': name '%s'", c->text, sp.name);
        CHECK(sp.nkv == c->nkv, "'%s': %d keys, expected %d", c->text, sp.nkv, c->nkv);
        for (j = 0; j < c->nkv && j < sp.nkv; j++) {
            CHECK(strcmp(sp.kv[j].key, c->kv[j][0]) == 0, "'%s': key %d '%s'", c->text, j, sp.kv[j].key);
            CHECK(strcmp(sp.kv[j].val, c->kv[j][1]) == 0, "'%s': value %d '%s'", c->text, j, sp.kv[j].val);
            CHECK(sp.kv[j].used == 0, "'%s': fresh keys are unused", c->text);
        }
    }
    for (i = 0; i < sizeof parse_bad / sizeof parse_bad[0]; i++) {
        const bad_case *c = &parse_bad[i];
        spec sp;
        int rc;
        err[0] = '\0';
        rc = spec_parse(c->text, "optimizer", &sp, err, sizeof err);
        CHECK(rc == -1, "spec_parse('%s') accepted bad input", c->text);
        CHECK_STR_CONTAINS(err, c->fragment, "message for '%s'", c->text);
        CHECK_STR_CONTAINS(err, "optimizer '", "message names the option");
        CHECK(strchr(err, '\n') == NULL, "message is one line: %s", err);
    }
    CHECK(spec_parse(NULL, "optimizer", &(spec){0}, err, sizeof err) == -1, "NULL refused");
    /* a NULL error buffer is allowed */
    CHECK(spec_parse("adam:", "optimizer", &(spec){0}, NULL, 0) == -1, "status without message");
}

/* Words and key counts at and beyond the limits, and texts far longer than any
 * buffer: refused cleanly (ASan/UBSan runs of this test catch any overflow). */
static void test_limits(void)
{
    char err[256];
    char small[4];
    spec sp;
    size_t i, n;
    char *big;
    char word[SPEC_MAX_WORD + 8];

    /* a name of exactly SPEC_MAX_WORD - 1 characters fits, one more does not */
    memset(word, 'a', SPEC_MAX_WORD - 1);
    word[SPEC_MAX_WORD - 1] = '\0';
    CHECK(spec_parse(word, "optimizer", &sp, err, sizeof err) == 0, "longest name: %s", err);
    CHECK(strlen(sp.name) == SPEC_MAX_WORD - 1, "longest name kept whole");
    word[SPEC_MAX_WORD - 1] = 'a';
    word[SPEC_MAX_WORD] = '\0';
    CHECK(spec_parse(word, "optimizer", &sp, err, sizeof err) == -1, "name too long");
    CHECK_STR_CONTAINS(err, "too long", "long name message");

    /* key too long, value too long */
    n = 200;
    big = malloc(4 * n + 16);
    CHECK(big != NULL, "malloc");
    if (!big) return;
    strcpy(big, "adam:");
    memset(big + 5, 'k', n);
    strcpy(big + 5 + n, "=1");
    CHECK(spec_parse(big, "optimizer", &sp, err, sizeof err) == -1, "key too long");
    CHECK_STR_CONTAINS(err, "key 'kkkk", "long key message");
    CHECK_STR_CONTAINS(err, "too long", "long key message");
    CHECK(strlen(err) < 200, "message stays short: %zu", strlen(err));
    strcpy(big, "adam:lr=");
    memset(big + 8, '1', n);
    big[8 + n] = '\0';
    CHECK(spec_parse(big, "optimizer", &sp, err, sizeof err) == -1, "value too long");
    CHECK_STR_CONTAINS(err, "lr: value is too long", "long value message");
    free(big);

    /* SPEC_MAX_KV keys fit, one more does not */
    {
        char text[1024];
        size_t o = (size_t)sprintf(text, "x:");
        for (i = 0; i < SPEC_MAX_KV; i++)
            o += (size_t)sprintf(text + o, "%sk%zu=%zu", i ? "," : "", i, i);
        CHECK(spec_parse(text, "landscape", &sp, err, sizeof err) == 0, "max keys: %s", err);
        CHECK(sp.nkv == SPEC_MAX_KV, "max keys parsed: %d", sp.nkv);
        sprintf(text + o, ",extra=1");
        CHECK(spec_parse(text, "landscape", &sp, err, sizeof err) == -1, "too many keys");
        CHECK_STR_CONTAINS(err, "too many keys", "too many keys message");
    }

    /* a megabyte of input of several shapes */
    n = 1u << 20;
    big = malloc(n + 1);
    CHECK(big != NULL, "malloc");
    if (!big) return;
    memset(big, 'a', n);
    big[n] = '\0';
    CHECK(spec_parse(big, "optimizer", &sp, err, sizeof err) == -1, "1 MB name");
    CHECK(strlen(err) < 200, "message quoted with a cut: %zu", strlen(err));
    CHECK_STR_CONTAINS(err, "...'", "cut shown");
    for (i = 0; i + 4 < n; i += 4) memcpy(big + i, "a=1,", 4);
    big[1] = ':';
    CHECK(spec_parse(big, "optimizer", &sp, err, sizeof err) == -1, "1 MB of pairs");
    for (i = 0; i < n; i++) big[i] = (i % 2) ? ',' : ':';
    CHECK(spec_parse(big, "optimizer", &sp, err, sizeof err) == -1, "1 MB of separators");
    CHECK(spec_number(big, &(double){0}) == -1, "1 MB number");
    memset(big, '1', n);
    CHECK(spec_number(big, &(double){0}) == -1, "a million digits overflow to inf");
    CHECK(spec_numbers(big, (double[2]){0}, 2) == -1, "spec_numbers on 1 MB");
    free(big);

    /* a tiny error buffer is filled safely */
    CHECK(spec_parse("adam:lr", "optimizer", &sp, small, sizeof small) == -1, "tiny err");
    CHECK(strlen(small) == 3, "tiny err is terminated: '%s'", small);
}

static void test_get(void)
{
    char err[256];
    spec sp;
    double v;
    int b;
    long l;

    CHECK(spec_parse("adam:lr=abc", "optimizer", &sp, err, sizeof err) == 0, "parse");
    CHECK(spec_get_number(&sp, "optimizer", "lr", 0, HUGE_VAL, &v, err, sizeof err) == -1, "bad lr");
    CHECK(strcmp(err, "optimizer 'adam:lr=abc': lr: expected a number, got 'abc' "
                      "(not a decimal number like 2, -1.5e-3, .5)") == 0,
          "exact message: %s", err);
    CHECK(spec_parse("sgd:lr=0x10", "optimizer", &sp, err, sizeof err) == 0, "parse");
    CHECK(spec_get_number(&sp, "optimizer", "lr", 0, HUGE_VAL, &v, err, sizeof err) == -1, "hex lr");
    CHECK_STR_CONTAINS(err, "lr: expected a number, got '0x10' (hexadecimal is not accepted",
                       "hex message");

    CHECK(spec_parse("adam:lr=-1", "optimizer", &sp, err, sizeof err) == 0, "parse");
    CHECK(spec_get_number(&sp, "optimizer", "lr", 0, HUGE_VAL, &v, err, sizeof err) == -1, "neg lr");
    CHECK_STR_CONTAINS(err, "lr: must be >= 0, got -1", "range message");

    CHECK(spec_parse("x:a=2", "landscape", &sp, err, sizeof err) == 0, "parse");
    CHECK(spec_get_number(&sp, "landscape", "a", 0, 1, &v, err, sizeof err) == -1, "range");
    CHECK_STR_CONTAINS(err, "a: must be in [0, 1], got 2", "interval message");
    CHECK(spec_get_number(&sp, "landscape", "a", -HUGE_VAL, 1, &v, err, sizeof err) == -1, "range");
    CHECK_STR_CONTAINS(err, "a: must be <= 1, got 2", "upper bound message");

    CHECK(spec_parse("adam:lr=0.5,amsgrad=yes,foo=1", "optimizer", &sp, err, sizeof err) == 0, "parse");
    v = 0;
    CHECK(spec_get_number(&sp, "optimizer", "lr", 0, HUGE_VAL, &v, err, sizeof err) == 1, "lr");
    CHECK(v == 0.5, "lr value");
    CHECK(spec_get_number(&sp, "optimizer", "eps", 0, HUGE_VAL, &v, err, sizeof err) == 0, "absent");
    CHECK(v == 0.5, "absent key leaves the value");
    CHECK(spec_get_bool(&sp, "optimizer", "amsgrad", &b, err, sizeof err) == 1 && b == 1, "bool");
    CHECK(spec_check_unused(&sp, "optimizer", "lr,beta1,beta2", err, sizeof err) == -1, "foo unused");
    CHECK(strcmp(err, "optimizer 'adam:lr=0.5,amsgrad=yes,foo=1': unknown key 'foo' "
                      "(adam takes lr, beta1, beta2)") == 0, "exact message: %s", err);
    CHECK(spec_check_unused(&sp, "optimizer", "", err, sizeof err) == -1, "no keys");
    CHECK_STR_CONTAINS(err, "(adam takes no keys)", "no keys message");
    sp.kv[2].used = 1;
    CHECK(spec_check_unused(&sp, "optimizer", "lr", err, sizeof err) == 0, "all used");

    CHECK(spec_parse("sgd:nesterov=maybe", "optimizer", &sp, err, sizeof err) == 0, "parse");
    CHECK(spec_get_bool(&sp, "optimizer", "nesterov", &b, err, sizeof err) == -1, "bad bool");
    CHECK_STR_CONTAINS(err, "nesterov: expected 0/1/true/false, got 'maybe'", "bool message");

    CHECK(spec_parse("step:step_size=2.5", "schedule", &sp, err, sizeof err) == 0, "parse");
    CHECK(spec_get_int(&sp, "schedule", "step_size", 1, LONG_MAX, &l, err, sizeof err) == -1, "int");
    CHECK_STR_CONTAINS(err, "schedule 'step:step_size=2.5': step_size: expected an integer, got '2.5'",
                       "int message");
    CHECK(spec_parse("step:step_size=0", "schedule", &sp, err, sizeof err) == 0, "parse");
    CHECK(spec_get_int(&sp, "schedule", "step_size", 1, LONG_MAX, &l, err, sizeof err) == -1, "int");
    CHECK_STR_CONTAINS(err, "step_size: must be >= 1, got 0", "int range message");
    CHECK(spec_parse("step:step_size=30", "schedule", &sp, err, sizeof err) == 0, "parse");
    CHECK(spec_get_int(&sp, "schedule", "step_size", 1, LONG_MAX, &l, err, sizeof err) == 1 && l == 30,
          "int value");

    spec_error(&sp, "schedule", err, sizeof err, "custom %d", 42);
    CHECK(strcmp(err, "schedule 'step:step_size=30': custom 42") == 0, "spec_error: %s", err);
}

typedef struct numbers_case {
    const char *text;
    int n, ok;
    double v[4];
} numbers_case;

static const numbers_case numbers_cases[] = {
    {"1,2", 2, 1, {1, 2}},
    {"-1.5, 2e3", 2, 1, {-1.5, 2e3}},
    {"-1.5 ,2e3", 2, 1, {-1.5, 2e3}},
    {" 1,2", 2, 0, {0}},
    {"1,2 ", 2, 0, {0}},
    {"0x1,2", 2, 0, {0}},
    {"-2,2,-1,3", 4, 1, {-2, 2, -1, 3}},
    {"1", 2, 0, {0}},
    {"1,2,3", 2, 0, {0}},
    {"1,", 2, 0, {0}},
    {",1", 2, 0, {0}},
    {"1,,2", 2, 0, {0}},
    {"a,b", 2, 0, {0}},
    {"1,inf", 2, 0, {0}},
    {"", 2, 0, {0}},
    {"1,2,3", 4, 0, {0}},
};

/* The reason each refusal gives (the policy README states), and that it fits on
 * one line without repeating the text. */
typedef struct why_case {
    const char *text;
    const char *why;
} why_case;

static const why_case why_cases[] = {
    {"", "empty"},
    {" 1", "a blank before the number"},
    {"1\t", "a blank after the number"},
    {"0x10", "hexadecimal is not accepted"},
    {"-0x1p-3", "hexadecimal is not accepted"},
    {"inf", "inf and nan are not accepted"},
    {"-Infinity", "inf and nan are not accepted"},
    {"NaN", "inf and nan are not accepted"},
    {"1e999", "too large for a double"},
    {"-1e309", "too large for a double"},
    {"1e-400", "too small for a double: it would be 0"},
    {"2x", "not a decimal number like 2, -1.5e-3, .5"},
    {"1,5", "not a decimal number"},
    {"e5", "not a decimal number"},
    {"..5", "not a decimal number"},
};

static const why_case why_int_cases[] = {
    {"", "empty"},
    {" 3", "a blank before the number"},
    {"0x10", "hexadecimal is not accepted"},
    {"1.5", "not a whole number"},
    {"1e3", "not a whole number"},
    {"nan", "inf and nan are not accepted"},
    {"101", "out of range: must be from 0 to 100"},
    {"99999999999999999999999", "out of range: must be from 0 to 100"},
};

static const why_case why_list_cases[] = {
    {"1", "expected 2 numbers separated by ',', got 1"},
    {"1,2,3", "expected 2 numbers separated by ',', got 3"},
    {"1,0x10", "number 2 of 2: hexadecimal is not accepted"},
    {"1e999,0", "number 1 of 2: too large for a double"},
    {" 1,2", "number 1 of 2: a blank before the number"},
    {"1,2 ", "number 2 of 2: a blank after the number"},
    {"1,", "number 2 of 2: empty"},
};

static void test_why(void)
{
    size_t i;
    for (i = 0; i < sizeof why_cases / sizeof why_cases[0]; i++) {
        char why[160] = "";
        double v = 5;
        CHECK(num_parse(why_cases[i].text, &v, why, sizeof why) == -1 && v == 5, "'%s' refused",
              why_cases[i].text);
        CHECK_STR_CONTAINS(why, why_cases[i].why, "why '%s'", why_cases[i].text);
        CHECK(strchr(why, '\n') == NULL && strlen(why) < 100, "one short line: %s", why);
    }
    for (i = 0; i < sizeof why_int_cases / sizeof why_int_cases[0]; i++) {
        char why[160] = "";
        long v = 5;
        CHECK(num_parse_int(why_int_cases[i].text, 0, 100, &v, why, sizeof why) == -1 && v == 5,
              "'%s' refused", why_int_cases[i].text);
        CHECK_STR_CONTAINS(why, why_int_cases[i].why, "why int '%s'", why_int_cases[i].text);
    }
    for (i = 0; i < sizeof why_list_cases / sizeof why_list_cases[0]; i++) {
        char why[160] = "";
        double v[2] = {5, 5};
        CHECK(num_parse_list(why_list_cases[i].text, v, 2, why, sizeof why) == -1 && v[0] == 5 && v[1] == 5,
              "'%s' refused", why_list_cases[i].text);
        CHECK_STR_CONTAINS(why, why_list_cases[i].why, "why list '%s'", why_list_cases[i].text);
    }
    {
        double v[4];
        char why[160];
        CHECK(num_parse_list("-2, 2,\t-1 ,3", v, 4, why, sizeof why) == 0 && v[0] == -2 && v[1] == 2 &&
              v[2] == -1 && v[3] == 3, "blanks next to the commas");
        CHECK(num_parse("-1.5e-3", &v[0], NULL, 0) == 0 && v[0] == -1.5e-3, "no why buffer needed");
        CHECK(num_parse("x", &v[0], why, 4) == -1 && strlen(why) == 3, "a small why buffer is cut: '%s'", why);
    }
}

static void test_numbers_list(void)
{
    size_t i;
    int j;
    for (i = 0; i < sizeof numbers_cases / sizeof numbers_cases[0]; i++) {
        const numbers_case *c = &numbers_cases[i];
        double v[4] = {-7, -7, -7, -7};
        int rc = spec_numbers(c->text, v, c->n);
        CHECK(rc == (c->ok ? 0 : -1), "spec_numbers('%s', %d) returned %d", c->text, c->n, rc);
        for (j = 0; j < c->n; j++) {
            if (c->ok) CHECK(v[j] == c->v[j], "'%s'[%d] = %g", c->text, j, v[j]);
            else CHECK(v[j] == -7, "'%s': out untouched on failure", c->text);
        }
    }
}

int main(void)
{
    test_numbers();
    test_bools();
    test_ints();
    test_parse();
    test_limits();
    test_get();
    test_numbers_list();
    test_why();
    return check_done("spec");
}
