/* test_scenefile: scene files as a lecturer writes them and as the window saves
 * them. A table of malformed files, each refused with the right line and a word
 * that says what is wrong; good files with comments, CRLF, a BOM and trailing
 * comments; write -> parse -> write gives the same text; a live scene saved and
 * loaded back through --scene and scene_setup is the same scene, runner positions
 * bit for bit; the command-line options after --scene override it; a relative plane
 * file is found beside the scene file from another folder; and every preset in
 * assets/scenes loads and round-trips. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "check.h"
#include "app/cli.h"
#include "scene/live.h"
#include "app/scene_setup.h"
#include "scene/scenefile.h"
#include "core/expr.h"

#ifndef SCENES_DIR
#define SCENES_DIR ""
#endif

static const char *const good_text =
    "\xef\xbb\xbf# a lesson\r\n"
    "; another comment\r\n"
    "[scene]   ; trailing comment on a header\r\n"
    "title    = Escaping a saddle; slowly   # the comment goes\r\n"
    "caption  = Plain GD stalls where the gradient vanishes (λ ≈ 0).\r\n"
    "caption\t=\tThe red arrow is the way out\r\n"
    "landscape = quadratic:kappa=50,angle=30 ; a built-in\r\n"
    "view     = -2, 2, -1.5, 1.5\r\n"
    "start=0.001,1\r\n"
    "schedule = step:step_size=10,gamma=0.5\r\n"
    "noise    = 0.01\r\n"
    "seed     = 18446744073709551615\r\n"
    "\r\n"
    "[runner]\r\n"
    "optimizer = sgd:lr=0.01\r\n"
    "label     = plain GD\r\n"
    "[runner]\r\n"
    "optimizer = adam:lr=0.05,beta1=0.8\r\n"
    "schedule  = cosine:t_max=100,warmup=10\r\n"
    "noise     = 0\r\n"
    "seed      = 7\r\n"
    "visible   = off\r\n"
    "[play]\r\n"
    "speed = 60\r\n"
    "steps = 25\r\n"
    "playing = no\r\n"
    "selected = 2\r\n"
    "[display]\r\n"
    "theme = dark\r\n"
    "cmap = cividis\r\n"
    "hillshade = true\r\n"
    "legend = 0\r\n"
    "[class]\r\n"
    "controls = lr , momentum,speed\r\n";

static void test_good(void)
{
    scene_doc d;
    char err[512];
    int rc = scenefile_parse(good_text, strlen(good_text), "good.scene", &d, err, sizeof err);
    CHECK(rc == 0, "good file refused: %s", err);
    if (rc != 0) return;
    CHECK(strcmp(d.title, "Escaping a saddle; slowly") == 0, "title '%s'", d.title);
    CHECK(d.ncaption == 2, "two captions, got %d", d.ncaption);
    CHECK(strcmp(d.caption[0], "Plain GD stalls where the gradient vanishes (λ ≈ 0).") == 0, "caption 1 '%s'",
          d.caption[0]);
    CHECK(strcmp(d.caption[1], "The red arrow is the way out") == 0, "caption 2 '%s'", d.caption[1]);
    CHECK(d.have_landscape && d.ls.def && strcmp(d.ls.label, "quadratic:kappa=50,angle=30") == 0, "landscape");
    CHECK(d.have_view && d.view[0] == -2 && d.view[1] == 2 && d.view[2] == -1.5 && d.view[3] == 1.5, "view");
    CHECK(d.have_start && d.start[0] == 0.001 && d.start[1] == 1, "start");
    CHECK(d.o.has_sched && d.o.sched.kind == SCHED_STEP && d.o.sched.step_size == 10 && d.o.sched.gamma == 0.5, "schedule");
    CHECK(d.o.has_noise && d.o.noise == 0.01, "noise %g", d.o.noise);
    CHECK(d.o.has_seed && d.o.seed == UINT64_MAX, "seed %llu", (unsigned long long)d.o.seed);
    CHECK(d.nrun == 2, "two runners, got %d", d.nrun);
    CHECK(d.run[0].opt.kind == OPTIM_SGD && d.run[0].opt.lr == 0.01, "runner 1 sgd");
    CHECK(strcmp(d.run[0].label, "plain GD") == 0 && d.run[0].visible == 1, "runner 1 label, visible");
    CHECK(!d.run[0].o.has_sched && !d.run[0].o.has_noise && !d.run[0].o.has_seed, "runner 1 inherits");
    CHECK(d.run[1].opt.kind == OPTIM_ADAM && d.run[1].opt.beta1 == 0.8, "runner 2 adam");
    CHECK(d.run[1].o.has_sched && d.run[1].o.sched.kind == SCHED_COSINE && d.run[1].o.sched.warmup == 10, "runner 2 sched");
    CHECK(d.run[1].o.has_noise && d.run[1].o.noise == 0 && d.run[1].o.has_seed && d.run[1].o.seed == 7, "runner 2 noise, seed");
    CHECK(d.run[1].visible == 0, "runner 2 hidden");
    CHECK(d.has_speed && d.speed == 60 && d.has_steps && d.steps == 25, "speed, steps");
    CHECK(d.has_playing && d.playing == 0 && d.has_selected && d.selected == 1, "playing, selected");
    CHECK(d.disp_set[SCENE_DISP_THEME] && d.disp[SCENE_DISP_THEME] == 0, "theme dark");
    CHECK(d.disp_set[SCENE_DISP_CMAP] && d.disp[SCENE_DISP_CMAP] == 1, "cmap cividis");
    CHECK(d.disp_set[SCENE_DISP_HILLSHADE] && d.disp[SCENE_DISP_HILLSHADE] == 1, "hillshade");
    CHECK(d.disp_set[SCENE_DISP_LEGEND] && d.disp[SCENE_DISP_LEGEND] == 0, "legend off");
    CHECK(!d.disp_set[SCENE_DISP_ISO] && d.disp[SCENE_DISP_ISO] == 1, "iso unset, default on");
    CHECK(d.ncontrols == 3 && strcmp(d.controls[0], "lr") == 0 && strcmp(d.controls[1], "momentum") == 0 &&
          strcmp(d.controls[2], "speed") == 0, "controls");
    scene_doc_free(&d);

    /* the smallest scene: nothing but the section; a ';' or '#' without a blank
       before it belongs to the value */
    const char *small = "[scene]\nexpr = x^2+y^2\ntitle = a;b#c\n[display]\ntheme=light";
    rc = scenefile_parse(small, strlen(small), "small.scene", &d, err, sizeof err);
    CHECK(rc == 0, "small file refused: %s", err);
    CHECK(rc != 0 || strcmp(d.title, "a;b#c") == 0, "title '%s'", d.title);
    CHECK(rc != 0 || (d.have_landscape && !d.ls.def && strcmp(expr_source(d.ls.f), "x^2+y^2") == 0), "expr");
    CHECK(rc != 0 || (d.nrun == 0 && !d.has_steps && d.disp[SCENE_DISP_THEME] == 1), "defaults");
    scene_doc_free(&d);
    /* every command needs a landscape: a file without one is refused where [scene] is */
    rc = scenefile_parse("# nothing\n[scene]", 17, "min.scene", &d, err, sizeof err);
    CHECK(rc != 0, "a bare [scene] accepted");
    CHECK_STR_CONTAINS(err, "min.scene:2: [scene] has no landscape", "a bare [scene]");
    scene_doc_free(&d);
    rc = scenefile_parse("[scene]\nlandscape = booth", 25, "min.scene", &d, err, sizeof err);
    CHECK(rc == 0 && d.have_landscape && d.nrun == 0, "a landscape and nothing else: %s", err);
    scene_doc_free(&d);
}

typedef struct bad_case {
    const char *text;
    int line;
    const char *word;
} bad_case;

#define R17 "[runner]\noptimizer=sgd\n"
static const bad_case bad_cases[] = {
    /* [net]: each value judged where it is, the whole lab at its header */
    {"[scene]\n[net]\nnet = mlp:2,16,1,act=swish\n", 3, "act"},
    {"[scene]\n[net]\ndata = moons,n=20\n", 2, "unknown data set"},
    {"[scene]\n[net]\noptimizer = adam:lr=-1\n", 3, "optimizer"},
    {"[scene]\n[net]\nbatch = -2\n", 3, "batch"},
    {"[scene]\n[net]\nplane = sideways\n", 3, "params:I,J"},
    {"[scene]\n[net]\naxis = hours\n", 3, "updates, epochs or seconds"},
    {"[scene]\n[net]\ndevice = 0, 1\n", 3, "device"},
    {"[scene]\n[net]\nseeds = 0\n", 3, "seeds"},
    {"[scene]\n[net]\nseeds = 201\n", 3, "1 to 200 seeds"},
    {"[scene]\n[net]\nseeds = 5, 0\n", 3, "seeds"},
    {"[scene]\n[net]\nseeds = 5, 100, -1\n", 3, "GTOL"},
    {"[scene]\n[net]\n[net]\nseeds = 5\n", 4, "first [net] only"},
    {"[scene]\n[net]\nsteps = 1\nsteps = 2\n", 4, "duplicate"},
    {"[scene]\n[net]\n[net]\nplane = pca\n", 4, "first [net] only"},
    {"[scene]\n\n[net]\nnet = mlp:2,8,1,bn=before,loss=bce\nbatch = 1\n", 3, "batch statistics"},
    {"[scene]\n[net]\nnet = mlp:3,8,1\ndata = moons\n", 2, "3"},
    {"[scene]\n[net]\nplane = params:0,100000\n", 2, "plane"},
    {"[scene]\n[net]\n[net]\n[net]\n[net]\n[net]\n", 6, "more than 4"},
    {"[scene]\nlandscape = rosenbrock\n[stage]\n", 3, "unknown section"},
    {"[scene]\nlandscape = rosenbrock\n[class]\nchart = maybe\n", 4, "chart"},
    {"[scene]\nlandscape = rosenbrock\n[class]\nchart = on\nchart = off\n", 5, "duplicate"},
    {"[scene]\nlandscape = rosenbrock\ncolour = red\n", 3, "unknown key"},
    {"[scene]\nTitle = x\n", 2, "lower case"},
    {"[scene]\ntitle = a\n\ntitle = b\n", 4, "duplicate"},
    {"[scene]\n[runner]\noptimizer = sgd\nlabel = a\nlabel = b\n", 5, "duplicate"},
    {"[scene]\nexpr = x\n[runner]\noptimizer=sgd\n[scene]\n", 5, "second [scene]"},
    {"[scene]\n[play]\nspeed = 5\n[play]\n", 4, "second [play]"},
    {"[scene]\n[display]\n[class]\n[display]\n", 4, "second [display]"},
    {"[scene]\nlandscape rosenbrock\n", 2, "missing '='"},
    {"[scene]\n= rosenbrock\n", 2, "missing the key"},
    {"[scene\nlandscape = rosenbrock\n", 1, "without ']'"},
    {"[scene] extra\n", 1, "after ']'"},
    {"[scene]\nlandscape = rosenbrock\nexpr = x^2\n", 3, "both landscape and expr"},
    {"[scene]\nexpr = x^2\nlandscape = rosenbrock\n", 3, "both landscape and expr"},
    {"[scene]\n\n\nexpr = x^2 + (y\n", 4, "expr: column"},
    {"[scene]\nlandscape = nowhere\n", 2, "nowhere"},
    {"[scene]\nlandscape = quadratic:kappa=0\n", 2, "kappa"},
    {"[scene]\n[runner]\noptimizer = sgd:speed=1\n", 3, "speed"},
    {"[scene]\n[runner]\noptimizer = sgd:lr=-0.1\n", 3, "lr"},
    {"[scene]\n[runner]\noptimizer = gradient_descent\n", 3, "unknown optimizer"},
    {"[scene]\n" R17 R17 R17 R17 R17 R17 R17 R17 R17 R17 R17 R17 R17 R17 R17 R17 R17, 34, "more than 16"},
    {"[scene]\n[runner]\nlabel = lost\n[play]\n", 2, "without an optimizer"},
    {"[scene]\n[runner]\nlabel = lost\n", 2, "without an optimizer"},
    {"[scene]\n[runner]\noptimizer = sgd\nvisible = maybe\n", 4, "on or off"},
    {"[scene]\n[play]\nplaying = 2\n", 3, "on or off"},
    {"[scene]\ncaption = a\ncaption = b\ncaption = c\n", 4, "third"},
    {"[scene]\n[play]\nspeed = 0\n", 3, "speed"},
    {"[scene]\n[play]\nspeed = 10001\n", 3, "speed"},
    {"[scene]\n[play]\nsteps = 100001\n", 3, "steps"},
    {"[scene]\n[play]\nsteps = 2.5\n", 3, "steps"},
    {"[scene]\nexpr = x\n[play]\nselected = 3\n[runner]\noptimizer = sgd\n[runner]\noptimizer = adam\n", 4, "selected"},
    {"[scene]\n[play]\nselected = 6\n", 1, "no landscape"},
    {"[scene]\nexpr = x^2\n[play]\nselected = 6\n", 4, "default runners"},
    {"[scene]\nstart = 1e12, -1.0000000000001e12\n", 2, "within +-1e+12"},
    {"[scene]\nview = -1e308, 1, 0, 1\n", 2, "within +-1e+12"},
    {"[scene]\nstart = 0x10, 1\n", 2, "start"},
    {"[scene]\n[play]\nselected = 0\n", 3, "selected"},
    {"[scene]\nview = 1, 1, 0, 1\n", 2, "X0 < X1"},
    {"[scene]\nview = 0, 1, 2, -2\n", 2, "Y0 < Y1"},
    {"[scene]\nview = 0, 1, 2\n", 2, "view"},
    {"[scene]\nstart = 0, nan\n", 2, "start"},
    {"[scene]\nsection = 0, 0, 1\n", 2, "four numbers X0, Y0, X1, Y1"},
    {"[scene]\nsection = 1, 2, 1, 2\n", 2, "same point"},
    {"[scene]\nsection = 0, 0, 1, inf\n", 2, "section"},
    {"[scene]\nsection = 0, 0, 1, 2e12\n", 2, "within +-1e+12"},
    {"[scene]\nnoise = abc\n", 2, "noise"},
    {"[scene]\n[runner]\noptimizer=sgd\nnoise = -0.5\n", 4, "noise"},
    {"[scene]\nnoise = 1e999\n", 2, "noise"},
    {"[scene]\ntitle =\n", 2, "empty value"},
    {"[scene]\ntitle =    ; nothing but a comment\n", 2, "empty value"},
    {"[scene]\n[class]\ncontrols = lr, velocity\n", 3, "unknown control"},
    {"[scene]\n[class]\ncontrols = lr, lr\n", 3, "twice"},
    {"[scene]\n[class]\ncontrols = lr,,rho\n", 3, "empty name"},
    {"title = early\n[scene]\n", 1, "outside"},
    {"# only a comment\n[play]\nspeed = 5\n", 3, "no [scene]"},
    {"", 1, "no [scene]"},
    {"[scene]\n[display]\ntheme = blue\n", 3, "dark or light"},
    {"[scene]\n[display]\ncmap = jet\n", 3, "viridis or cividis"},
    {"[scene]\n[display]\nhover = yes please\n", 3, "on or off"},
    {"[scene]\n[display]\nhelp = on\n", 3, "unknown key"},
    {"[scene]\nseed = -1\n", 2, "seed"},
    {"[scene]\nseed = 18446744073709551616\n", 2, "seed"},
    {"[scene]\nseed = 0x10\n", 2, "seed"},
    {"[scene]\nschedule = cosine:t_max=0\n", 2, "schedule"},
    {"[scene]\ntitle = \xff\xfe\n", 2, "UTF-8"},
    {"[scene]\ncaption = over\xc0\xaflong\n", 2, "UTF-8"},
    {"[scene]\ntitle = bell\x07\n", 2, "control character"},
    {"[scene]\r\nlandscape = rosenbrock\r\nfoo = 1\r\n", 3, "unknown key"},
    {"\xef\xbb\xbf[scene]\nbar = 1\n", 2, "unknown key"},
    {"[scene]\n[runner]\noptimizer = sgd\nlabel = 0123456789012345678901234567890123456789012345678901234567890123\n",
     4, "bytes"},
};

static void test_bad(void)
{
    int n = (int)(sizeof bad_cases / sizeof bad_cases[0]);
    CHECK(n >= 25, "at least 25 malformed files (%d)", n);
    for (int i = 0; i < n; i++) {
        const bad_case *c = &bad_cases[i];
        scene_doc d;
        char err[512] = "";
        int rc = scenefile_parse(c->text, strlen(c->text), "bad.scene", &d, err, sizeof err);
        char want[64];
        snprintf(want, sizeof want, "bad.scene:%d: ", c->line);
        CHECK(rc == -1, "case %d accepted: %s", i, c->text);
        CHECK(strncmp(err, want, strlen(want)) == 0, "case %d: message '%s' should start with '%s'", i, err, want);
        CHECK_STR_CONTAINS(err, c->word, "case %d", i);
        CHECK(strchr(err, '\n') == NULL, "case %d: one line", i);
        CHECK(!d.have_landscape && d.nrun == 0, "case %d: the document is left empty", i);
        scene_doc_free(&d);
    }

    /* a title of exactly 200 bytes is fine, 201 is not */
    char t[400];
    memset(t, 'a', sizeof t);
    memcpy(t, "[scene]\nexpr=x\ntitle = ", 23);
    t[23 + 200] = 0;
    scene_doc d;
    char err[512];
    CHECK(scenefile_parse(t, strlen(t), "t.scene", &d, err, sizeof err) == 0, "200 bytes: %s", err);
    scene_doc_free(&d);
    t[23 + 200] = 'a';
    t[23 + 201] = 0;
    CHECK(scenefile_parse(t, strlen(t), "t.scene", &d, err, sizeof err) == -1, "201 bytes accepted");
    CHECK_STR_CONTAINS(err, "t.scene:3: title: 201 bytes", "too long a title");

    /* a NUL byte */
    const char nul[] = "[scene]\ntitle = a\0b\n";
    CHECK(scenefile_parse(nul, sizeof nul - 1, "nul.scene", &d, err, sizeof err) == -1, "NUL accepted");
    CHECK_STR_CONTAINS(err, "nul.scene:2: a NUL byte", "NUL");

    /* lines over 64 KiB, files over 1 MiB */
    size_t big = (1u << 20) + 2;
    char *b = malloc(big);
    if (!b) return;
    memset(b, ' ', big);
    memcpy(b, "[scene]\nexpr=x\n# ", 17);
    size_t line_end = 15 + (1u << 16) + 1;
    b[line_end] = '\n';
    CHECK(scenefile_parse(b, line_end + 1, "long.scene", &d, err, sizeof err) == -1, "long line accepted");
    CHECK_STR_CONTAINS(err, "long.scene:3: line longer than 64 KiB", "long line");
    CHECK(scenefile_parse(b, line_end - 1, "long.scene", &d, err, sizeof err) == 0, "64 KiB line: %s", err);
    scene_doc_free(&d);
    for (size_t i = 0; i + 1 < big; i += 64) b[i] = '\n';
    memcpy(b, "[scene]\nexpr=x\n", 15);
    CHECK(scenefile_parse(b, big, "big.scene", &d, err, sizeof err) == -1, "1 MiB + 2 accepted");
    CHECK_STR_CONTAINS(err, "larger than 1 MiB", "big file");
    CHECK(scenefile_parse(b, 1u << 20, "big.scene", &d, err, sizeof err) == 0, "1 MiB: %s", err);
    scene_doc_free(&d);
    char path[] = "/tmp/optiscape-big-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) {
        CHECK(write(fd, b, big) == (ssize_t)big, "write");
        close(fd);
        CHECK(scenefile_load(path, &d, err, sizeof err) == -1, "big file loaded");
        CHECK_STR_CONTAINS(err, "larger than 1 MiB", "big file from disk");
        unlink(path);
    }
    free(b);
    CHECK(scenefile_load("/nonexistent/x.scene", &d, err, sizeof err) == -1, "missing file");
    CHECK_STR_CONTAINS(err, "/nonexistent/x.scene: cannot open", "missing file");
    CHECK(scenefile_load("/tmp", &d, err, sizeof err) == -1, "a directory");
    CHECK_STR_CONTAINS(err, "/tmp: not a regular file (a directory)", "a directory");
    /* a FIFO is refused at once, not waited on for a writer */
#ifdef __EMSCRIPTEN__
    /* under node (NODERAWFS) mkfifo makes a regular file: there is no FIFO to refuse */
    printf("test_scenefile: the FIFO case skipped: node's file system has no FIFOs\n");
#else
    char fifo[] = "/tmp/optiscape-fifo-XXXXXX";
    int ffd = mkstemp(fifo);
    if (ffd >= 0) {
        close(ffd);
        unlink(fifo);
        if (mkfifo(fifo, 0600) == 0) {
            CHECK(scenefile_load(fifo, &d, err, sizeof err) == -1, "a FIFO loaded");
            CHECK_STR_CONTAINS(err, "not a regular file (a FIFO)", "a FIFO");
            unlink(fifo);
        }
    }
#endif
    CHECK(scenefile_load("/dev/null", &d, err, sizeof err) == -1, "a device");
    CHECK_STR_CONTAINS(err, "/dev/null: not a regular file (a device)", "a device");
    /* a path of any length is quoted cut to a readable length */
    char *longp = malloc(1 << 17);
    if (longp) {
        memset(longp, 'd', 1 << 17);
        memcpy(longp, "/nonexistent/", 13);
        memcpy(longp + (1 << 17) - 7, ".scene", 7);
        CHECK(scenefile_load(longp, &d, err, sizeof err) == -1, "a long path");
        CHECK(strlen(err) < 200 && strstr(err, "...") && strstr(err, "d.scene: "), "long path cut: %.300s", err);
        free(longp);
    }
}

/* Descriptions compared by their canonical text (exact: shortest round-trip
 * numbers), not memcmp, which would compare padding. */
static int same_opt(const optim_desc *a, const optim_desc *b)
{
    char x[512], y[512];
    optim_format(a, x, sizeof x);
    optim_format(b, y, sizeof y);
    return strcmp(x, y) == 0;
}

static int same_sched(const sched_desc *a, const sched_desc *b)
{
    return a->kind == b->kind && a->step_size == b->step_size && a->gamma == b->gamma && a->t_max == b->t_max &&
           a->eta_min == b->eta_min && a->warmup == b->warmup;
}

/* The text scenefile_write makes of d; free() it. */
static char *write_text(const scene_doc *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    CHECK(scenefile_write(f, d) == 0, "scenefile_write");
    fclose(f);
    return buf;
}

/* write -> parse -> write gives the same text, and the parse of the written text
 * takes no default where the first had a value. */
static void check_rewrite(const char *text, size_t len, const char *name)
{
    scene_doc a, b;
    char err[512];
    if (scenefile_parse(text, len, name, &a, err, sizeof err) != 0) {
        CHECK(0, "%s: %s", name, err);
        return;
    }
    char *t1 = write_text(&a);
    int rc = t1 ? scenefile_parse(t1, strlen(t1), name, &b, err, sizeof err) : -1;
    CHECK(rc == 0, "%s: the written text does not parse: %s\n%s", name, err, t1 ? t1 : "");
    if (rc == 0) {
        char *t2 = write_text(&b);
        CHECK(t2 && strcmp(t1, t2) == 0, "%s: write -> parse -> write differs:\n%s\n----\n%s", name, t1,
              t2 ? t2 : "");
        CHECK(b.nrun == a.nrun && b.ncaption == a.ncaption && strcmp(a.title, b.title) == 0, "%s: same doc", name);
        for (int k = 0; k < a.nrun; k++)
            CHECK(same_opt(&a.run[k].opt, &b.run[k].opt), "%s: runner %d", name, k);
        free(t2);
        scene_doc_free(&b);
    }
    free(t1);
    scene_doc_free(&a);
}

/* Class mode draws the loss chart where [class] chart says so, else where [display]
 * asks for the chart explicitly; a default chart stays out of class mode. Saving
 * keeps the choice. */
static void test_class_chart(void)
{
    static const struct { const char *text; int want; } cases[] = {
        {"[scene]\nlandscape = booth\n", 0},
        {"[scene]\nlandscape = booth\n[display]\nchart = on\n", 1},
        {"[scene]\nlandscape = booth\n[display]\nchart = on\n[class]\nchart = off\n", 0},
        {"[scene]\nlandscape = booth\n[class]\nchart = on\n", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        scene_doc d;
        char err[256] = "";
        if (scenefile_parse(cases[i].text, strlen(cases[i].text), "c.scene", &d, err, sizeof err) != 0) {
            CHECK(0, "case %zu: %s", i, err);
            continue;
        }
        live_display disp;
        live_display_defaults(&disp);
        scene_doc_apply_display(&d, &disp);
        CHECK(disp.class_chart == cases[i].want, "case %zu: class_chart %d, expected %d", i, disp.class_chart,
              cases[i].want);
        scene_doc_free(&d);
    }
}

static void test_rewrite(void)
{
    check_rewrite(good_text, strlen(good_text), "good.scene");
    const char *odd = "[scene]\nexpr = x^2 - y^2 + 0.1*y^4\nview = 0.1, 0.30000000000000004, -1e-300, 1e12\n"
                      "start = -0, 5e-324\nsection = -1.5, 0.1, 2, -0.30000000000000004\n[runner]\noptimizer = rmsprop:lr=0.003,alpha=0.9,centered=1\n"
                      "noise = 0.30000000000000004\n[display]\ntheme = light\n";
    check_rewrite(odd, strlen(odd), "odd.scene");
    scene_doc d;
    char err[512];
    CHECK(scenefile_parse(odd, strlen(odd), "odd.scene", &d, err, sizeof err) == 0, "%s", err);
    CHECK(d.view[1] == 0.30000000000000004 && d.view[2] == -1e-300 && d.start[1] == 5e-324, "exact numbers");
    CHECK(d.have_section && d.section[0] == -1.5 && d.section[1] == 0.1 && d.section[2] == 2 &&
          d.section[3] == -0.30000000000000004, "the section's ends");
    scene_doc_free(&d);
}

/* A cli_scene from a scene file, the way the subcommands make one. */
static int cli_from(cli_scene *sc, const char *const *args, char *err, size_t errlen)
{
    cli_scene_init(sc);
    int argc = 0;
    while (args[argc]) argc++;
    /* cli tells one argument vector from the next by its address: each call gets its
       own copy, since two callers' arrays on the stack may share one address */
    static const char *vectors[256][32];
    static int nvec;
    if (nvec >= 256 || argc >= 32) {
        snprintf(err, errlen, "cli_from: more calls or arguments than the test has room for");
        return -1;
    }
    const char **v = vectors[nvec++];
    memcpy(v, args, sizeof *args * (size_t)(argc + 1));
    for (int i = 0; i < argc; i++) {
        int r = cli_scene_option(sc, argc, (char **)v, &i, err, errlen);
        if (r <= 0) {
            if (r == 0) snprintf(err, errlen, "not a scene option: %s", args[i]);
            return -1;
        }
    }
    return 0;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static void test_live_round_trip(void)
{
    char path[] = "/tmp/optiscape-scene-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) { CHECK(0, "mkstemp"); return; }
    close(fd);
    const char *args0[] = {"--landscape", "himmelblau", "--optimizer", "sgd:lr=0.01,momentum=0.9",
                           "--optimizer", "adam:lr=0.05", "--optimizer", "rmsprop:lr=0.01",
                           "--optimizer", "escape:lr=0.02", "--schedule", "exp:gamma=0.999",
                           "--noise", "0.3", "--seed", "12345", "--start", "0.3,-0.7", NULL};
    cli_scene sc;
    char err[512];
    CHECK(cli_from(&sc, args0, err, sizeof err) == 0, "%s", err);
    live *A = calloc(1, sizeof *A), *B = calloc(1, sizeof *B);
    double fit[4];
    CHECK(scene_setup(A, &sc, fit, err, sizeof err) == 0, "%s", err);
    cli_scene_free(&sc);
    /* what a lesson does to the state: runner edits, a new runner, the clock, the
       display, the text */
    runner_desc d = A->run[2].r.d;
    d.noise = 0.05;
    d.sched = sched_defaults(SCHED_COSINE);
    d.sched.t_max = 50;
    live_set_desc(A, 2, &d);
    live_step(A, 137);
    live_remove(A, 0);
    runner_desc nd = A->run[0].r.d;
    nd.opt = optim_defaults(OPTIM_NADAM);
    nd.seed = 99;
    CHECK(live_add(A, &nd) == 3, "added");
    live_step(A, 63);
    A->run[1].visible = 0;
    snprintf(A->run[2].label, sizeof A->run[2].label, "escape ✓");
    snprintf(A->title, sizeof A->title, "Himmelblau: four minima");
    snprintf(A->caption[0], sizeof A->caption[0], "Which one do you reach?");
    A->ncaption = 1;
    snprintf(A->controls[0], sizeof A->controls[0], "lr");
    snprintf(A->controls[1], sizeof A->controls[1], "noise");
    A->ncontrols = 2;
    A->selected = 2;
    A->playing = 0;
    A->steps_per_sec = 37.5;
    A->disp.hillshade = 1;
    A->disp.iso = 0;
    A->disp.stab = 1;
    A->disp.cmap = STYLE_CMAP_CIVIDIS;
    A->section = (live_section){.on = 1, .set = 1, .seg = {-3.25, 0.1, 4.000000000000001, -2.5}};
    double view[4] = {-5.5, 5.25, -4.125, 6};

    scene_doc doc;
    CHECK(scene_doc_from_live(&doc, A, view) == 0, "scene_doc_from_live");
    FILE *f = fopen(path, "wb");
    CHECK(f && scenefile_write(f, &doc) == 0, "write %s", path);
    if (f) fclose(f);
    scene_doc_free(&doc);

    const char *args1[] = {"--scene", path, NULL};
    CHECK(cli_from(&sc, args1, err, sizeof err) == 0, "%s", err);
    double fit2[4];
    CHECK(scene_setup(B, &sc, fit2, err, sizeof err) == 0, "%s", err);
    cli_scene_free(&sc);
    CHECK(memcmp(fit2, view, sizeof view) == 0, "the view comes back");
    CHECK(strcmp(A->ls.label, B->ls.label) == 0 && B->ls.def == A->ls.def, "landscape %s", B->ls.label);
    CHECK(A->start[0] == B->start[0] && A->start[1] == B->start[1], "start");
    CHECK(A->step == B->step && B->step == 200, "clock %ld vs %ld", A->step, B->step);
    CHECK(A->nrun == B->nrun, "runners %d vs %d", A->nrun, B->nrun);
    for (int k = 0; k < A->nrun && k < B->nrun; k++) {
        const runner *ra = &A->run[k].r, *rb = &B->run[k].r;
        CHECK(same_opt(&ra->d.opt, &rb->d.opt), "runner %d optimizer", k);
        CHECK(same_sched(&ra->d.sched, &rb->d.sched), "runner %d schedule", k);
        CHECK(ra->d.noise == rb->d.noise && ra->d.seed == rb->d.seed, "runner %d noise %g %g seed %llu %llu", k,
              ra->d.noise, rb->d.noise, (unsigned long long)ra->d.seed, (unsigned long long)rb->d.seed);
        CHECK(ra->step == rb->step, "runner %d steps", k);
        CHECK(ra->p[0] == rb->p[0] && ra->p[1] == rb->p[1], "runner %d at (%.17g, %.17g), loaded at (%.17g, %.17g)",
              k, ra->p[0], ra->p[1], rb->p[0], rb->p[1]);
        CHECK(A->run[k].visible == B->run[k].visible, "runner %d visible", k);
        CHECK(strcmp(A->run[k].label, B->run[k].label) == 0, "runner %d label '%s'", k, B->run[k].label);
    }
    CHECK(memcmp(&A->disp, &B->disp, sizeof A->disp) == 0, "display");
    CHECK(A->playing == B->playing && A->steps_per_sec == B->steps_per_sec && A->selected == B->selected,
          "play state: playing %d speed %g selected %d", B->playing, B->steps_per_sec, B->selected);
    CHECK(strcmp(A->title, B->title) == 0 && B->ncaption == 1 && strcmp(A->caption[0], B->caption[0]) == 0,
          "title and caption");
    CHECK(B->ncontrols == 2 && strcmp(B->controls[1], "noise") == 0, "controls");
    CHECK(A->seed == B->seed && A->noise == B->noise, "scene seed and noise");
    CHECK(B->section.on && B->section.set && memcmp(A->section.seg, B->section.seg, sizeof A->section.seg) == 0,
          "the cross-section: on %d set %d (%.17g, %.17g) .. (%.17g, %.17g)", B->section.on, B->section.set,
          B->section.seg[0], B->section.seg[1], B->section.seg[2], B->section.seg[3]);

    /* a typed formula comes back as the same formula */
    live_free(B);
    landscape ls;
    CHECK(landscape_load_expr(&ls, "x^4 - 2*x^2 + y^2 + 0.3*x*y", err, sizeof err) == 0, "%s", err);
    live_set_landscape(A, &ls, -1, 1);
    live_step(A, 10);
    A->section.on = 0;   /* the tool off: its segment is not saved */
    CHECK(scene_doc_from_live(&doc, A, view) == 0, "from live (expr)");
    f = fopen(path, "wb");
    CHECK(f && scenefile_write(f, &doc) == 0, "write");
    if (f) fclose(f);
    scene_doc_free(&doc);
    CHECK(cli_from(&sc, args1, err, sizeof err) == 0, "%s", err);
    CHECK(scene_setup(B, &sc, fit2, err, sizeof err) == 0, "%s", err);
    cli_scene_free(&sc);
    CHECK(B->ls.def == NULL && strcmp(expr_source(B->ls.f), expr_source(A->ls.f)) == 0, "formula");
    CHECK(B->step == 10 && B->nrun == A->nrun, "clock and runners");
    CHECK(!B->section.on && !B->section.set, "no cross-section where the tool was off");
    for (int k = 0; k < A->nrun && k < B->nrun; k++)
        CHECK(A->run[k].r.p[0] == B->run[k].r.p[0] && A->run[k].r.p[1] == B->run[k].r.p[1], "runner %d", k);
    live_free(A);
    live_free(B);
    free(A);
    free(B);
    unlink(path);
}

/* Options after --scene override it; --scene is read like the options it stands for. */
static void test_cli_overrides(void)
{
    char path[] = "/tmp/optiscape-scene-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) { CHECK(0, "mkstemp"); return; }
    close(fd);
    CHECK(write_file(path, "[scene]\nlandscape = saddle\nstart = 0.5, 0.25\nview = -1, 1, -1, 1\n"
                           "schedule = exp:gamma=0.9\nnoise = 0.1\nseed = 3\n"
                           "[runner]\noptimizer = sgd:lr=0.1\nseed = 10\n"
                           "[runner]\noptimizer = adam\nschedule = invsqrt\nnoise = 0.2\n") == 0, "write");
    cli_scene sc;
    char err[512];
    const char *a1[] = {"--scene", path, NULL};
    CHECK(cli_from(&sc, a1, err, sizeof err) == 0, "%s", err);
    CHECK(sc.have_landscape && strcmp(sc.ls.label, "saddle") == 0 && sc.nopt == 2, "file's scene");
    runner_desc d0 = cli_runner_desc(&sc, 0), d1 = cli_runner_desc(&sc, 1);
    CHECK(d0.sched.kind == SCHED_EXP && d0.noise == 0.1 && d0.seed == 10, "runner 1 from [scene] + own seed");
    CHECK(d1.sched.kind == SCHED_INVSQRT && d1.noise == 0.2 && d1.seed == 3 + SCENE_SEED_STRIDE, "runner 2 own");
    cli_scene_free(&sc);

    const char *a2[] = {"--scene", path, "--optimizer", "nadam", "--landscape", "himmelblau", NULL};
    CHECK(cli_from(&sc, a2, err, sizeof err) == 0, "%s", err);
    CHECK(sc.nopt == 1 && sc.opt[0].kind == OPTIM_NADAM, "--optimizer replaces the runners (%d)", sc.nopt);
    CHECK(strcmp(sc.ls.label, "himmelblau") == 0, "--landscape replaces the file's");
    CHECK(!sc.have_start && !sc.have_view, "the file's start and view go with its landscape");
    d0 = cli_runner_desc(&sc, 0);
    CHECK(d0.sched.kind == SCHED_EXP && d0.noise == 0.1 && d0.seed == 3, "scene-wide values stay");
    cli_scene_free(&sc);

    const char *a3[] = {"--landscape", "rosenbrock", "--optimizer", "adagrad", "--scene", path, "--schedule",
                        "constant", "--noise", "0", "--seed", "5", "--start", "1,2", NULL};
    CHECK(cli_from(&sc, a3, err, sizeof err) == 0, "%s", err);
    CHECK(strcmp(sc.ls.label, "saddle") == 0 && sc.nopt == 2, "the file after the options wins");
    d0 = cli_runner_desc(&sc, 0);
    d1 = cli_runner_desc(&sc, 1);
    CHECK(d0.sched.kind == SCHED_CONSTANT && d1.sched.kind == SCHED_CONSTANT, "--schedule after overrides all");
    CHECK(d0.noise == 0 && d1.noise == 0 && d0.seed == 5 && d1.seed == 5 + SCENE_SEED_STRIDE, "--noise, --seed");
    CHECK(sc.start[0] == 1 && sc.start[1] == 2 && sc.have_view, "--start after; the file's view");
    cli_scene_free(&sc);

    const char *a4[] = {"--scene", path, "--scene", path, NULL};
    CHECK(cli_from(&sc, a4, err, sizeof err) == -1, "--scene twice");
    CHECK_STR_CONTAINS(err, "twice", "--scene twice");
    cli_scene_free(&sc);
    const char *a5[] = {"--scene", path, "--expr", "x^2", "--landscape", "saddle", NULL};
    CHECK(cli_from(&sc, a5, err, sizeof err) == -1, "two landscapes on the command line");
    cli_scene_free(&sc);

    CHECK(write_file(path, "[scene]\nlandscape = saddle\n\n[runner]\noptimizer = sgd:lr=-1\n") == 0, "write");
    CHECK(cli_from(&sc, a1, err, sizeof err) == -1, "bad file");
    char want[128];
    snprintf(want, sizeof want, "%s:5: optimizer", path);
    CHECK_STR_CONTAINS(err, want, "the message names the file and line");
    cli_scene_free(&sc);
    unlink(path);
}

/* A plane file named by a relative path lies beside the scene file: a scene in a
 * folder of its own, loaded from another folder, finds it there. The plane is a
 * linear model y = w x + b on the samples (1, 2), (2, 4), centre 0, d1 = w, d2 = b:
 * its loss is ((a + b - 2)^2 + (2a + b - 4)^2) / 2: 10 at (0, 0), 0 at (2, 0), 1/2 at (1, 1). */
static void test_plane_beside_scene(void)
{
    char root[] = "/tmp/optiscape-plane-XXXXXX", cwd[4096], p[4300], csv[4300], err[1024];
    if (!mkdtemp(root) || !getcwd(cwd, sizeof cwd)) { CHECK(0, "mkdtemp or getcwd"); return; }
    snprintf(p, sizeof p, "%s/lesson", root);
    CHECK(mkdir(p, 0700) == 0, "mkdir %s", p);
    snprintf(p, sizeof p, "%s/elsewhere", root);
    CHECK(mkdir(p, 0700) == 0, "mkdir %s", p);
    snprintf(csv, sizeof csv, "%s/lesson/train.csv", root);
    CHECK(write_file(csv, "1,2\n2,4\n") == 0, "write %s", csv);
    char plane[5000];
    snprintf(plane, sizeof plane, "optiscape-plane 1\nnet mlp:1,1,act=linear,loss=mse\ndata-file %s\n"
             "range 3\nstart 0 0\nparams 2\n0,1,0\n0,0,1\n", csv);
    snprintf(p, sizeof p, "%s/lesson/two.plane", root);
    CHECK(write_file(p, plane) == 0, "write %s", p);
    snprintf(p, sizeof p, "%s/lesson/two.scene", root);
    CHECK(write_file(p, "[scene]\ntitle = beside\nlandscape = plane:file=two.plane\n") == 0, "write %s", p);
    snprintf(p, sizeof p, "%s/lesson/missing.scene", root);
    CHECK(write_file(p, "[scene]\ntitle = missing\nlandscape = plane:file=nothere.plane\n") == 0, "write %s",
          p);
    snprintf(p, sizeof p, "%s/elsewhere", root);
    CHECK(chdir(p) == 0, "chdir %s", p);

    /* the scene named by a relative path and by an absolute one */
    char absscene[4300];
    snprintf(absscene, sizeof absscene, "%s/lesson/two.scene", root);
    const char *names[] = {"../lesson/two.scene", absscene};
    for (int i = 0; i < 2; i++) {
        cli_scene sc;
        const char *args[] = {"--scene", names[i], NULL};
        int rc = cli_from(&sc, args, err, sizeof err);
        CHECK(rc == 0, "%s from another folder: %s", names[i], err);
        if (rc == 0 && sc.have_landscape) {
            double v0 = lsfn_value(&sc.ls.fn, 0, 0), v1 = lsfn_value(&sc.ls.fn, 2, 0),
                   v2 = lsfn_value(&sc.ls.fn, 1, 1);
            CHECK(v0 == 10 && v1 == 0 && v2 == 0.5, "%s: the plane's loss %.17g %.17g %.17g, want 10 0 0.5",
                  names[i], v0, v1, v2);
            /* the label is the path found, so the field worker and a saved scene find it too */
            char want[4400];
            snprintf(want, sizeof want, "plane:file=%s/lesson/two.plane", root);
            CHECK_STR_CONTAINS(sc.ls.label, want, "the label names the plane file beside the scene");
            landscape probe;
            CHECK(landscape_load(&probe, sc.ls.label, err, sizeof err) == 0, "the label loads again: %s", err);
            landscape_free(&probe);
        }
        cli_scene_free(&sc);
    }
    /* a missing plane file: the scene's line, and the path that was looked for */
    {
        cli_scene sc;
        const char *args[] = {"--scene", "../lesson/missing.scene", NULL};
        CHECK(cli_from(&sc, args, err, sizeof err) != 0, "a missing plane file accepted");
        CHECK_STR_CONTAINS(err, "../lesson/missing.scene:3: ", "the message names the scene file and line");
        char want[4400];
        snprintf(want, sizeof want, "%s/lesson/nothere.plane", root);
        CHECK_STR_CONTAINS(err, want, "the message names the plane file looked for");
        cli_scene_free(&sc);
    }
    /* parsed from text, a relative path is the working folder's (no file, no folder) */
    {
        scene_doc d;
        const char *t = "[scene]\nlandscape = plane:file=two.plane\n";
        CHECK(scenefile_parse(t, strlen(t), "text.scene", &d, err, sizeof err) != 0, "two.plane found here");
        CHECK_STR_CONTAINS(err, "text.scene:2: two.plane", "a parsed text looks in the working folder");
        scene_doc_free(&d);
    }
    CHECK(chdir(cwd) == 0, "chdir back");
    const char *files[] = {"lesson/two.scene", "lesson/missing.scene", "lesson/two.plane", "lesson/train.csv",
                           "lesson", "elsewhere"};
    for (int i = 0; i < 6; i++) {
        snprintf(p, sizeof p, "%s/%s", root, files[i]);
        remove(p);
    }
    rmdir(root);
}

/* Every preset in assets/scenes loads, sets up, and round-trips. */
static void test_presets(void)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/assets/scenes", SCENES_DIR);
    DIR *dp = opendir(dir);
    if (!dp) {
        printf("test_scenefile: no %s, no presets checked\n", dir);
        return;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 7 || strcmp(e->d_name + len - 6, ".scene") != 0) continue;
        char path[2048], err[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        static char text[1 << 20];
        size_t tl = fread(text, 1, sizeof text, f);
        fclose(f);
        /* parsed from text, a relative plane file is the working folder's: the scenes' */
        char cwd[4096];
        if (getcwd(cwd, sizeof cwd) && chdir(dir) == 0) {
            check_rewrite(text, tl, path);
            CHECK(chdir(cwd) == 0, "chdir back");
        } else {
            CHECK(0, "chdir %s", dir);
        }
        cli_scene sc;
        const char *args[] = {"--scene", path, NULL};
        CHECK(cli_from(&sc, args, err, sizeof err) == 0, "%s", err);
        live *L = calloc(1, sizeof *L);
        double fit[4];
        CHECK(L && scene_setup(L, &sc, fit, err, sizeof err) == 0, "%s: %s", path, err);
        cli_scene_free(&sc);
        if (L) {
            CHECK(L->nrun > 0 && L->step >= 0, "%s: runners", path);
            live_free(L);
        }
        free(L);
        n++;
    }
    closedir(dp);
    printf("test_scenefile: %d presets checked\n", n);
}

/* [net] sections: every key read, written back and read again to the same labs;
   no landscape needed beside them. */
static void test_nets(void)
{
    const char *t = "[scene]\ntitle = race\n"
                    "[net]\nnet = mlp:2,8,8,1,act=relu,bn=after,loss=bce,momentum=0.01\n"
                    "data = circle:n=120,noise=0.05,split=0.25,shift=0.5,seed=3\noptimizer = sgd:lr=0.3,momentum=0.9\n"
                    "schedule = step:step_size=10,gamma=0.5\nbatch = 16\nshuffle = off\nseed = 42\nsteps = 500\n"
                    "label = batch 16\npretrain = 30\nplane = params:3,7\nrange = 0.30000000000000004\ngrid = 31\n"
                    "axis = seconds\ndevice = 32, 0.002\nspectrum = 10\nseeds = 12, 700, 0.0005\n"
                    "[net]\ndata = circle:n=120\nbatch = 0\nlabel = full\n";
    scene_doc d;
    char err[512];
    CHECK(scenefile_parse(t, strlen(t), "nets.scene", &d, err, sizeof err) == 0, "%s", err);
    CHECK(d.nnet == 2 && !d.have_landscape, "two nets, no landscape (%d)", d.nnet);
    const netlab_desc *a = &d.net[0].d;
    CHECK_STR_CONTAINS(a->net, "bn=after", "net");
    CHECK_STR_CONTAINS(a->net, "momentum=0.01", "BN momentum");
    CHECK(strcmp(a->data, "circle:n=120,noise=0.05,split=0.25,shift=0.5,seed=3") == 0, "data %s", a->data);
    CHECK_STR_CONTAINS(a->opt, "sgd", "optimizer %s", a->opt);
    CHECK_STR_CONTAINS(a->opt, "momentum=0.9", "optimizer %s", a->opt);
    CHECK(a->batch == 16 && a->no_shuffle == 1 && a->seed == 42 && a->steps == 500, "run keys");
    CHECK(strcmp(d.net[0].label, "batch 16") == 0 && d.net[0].pretrain == 30, "label, pretrain");
    CHECK(a->plane == NETLAB_PLANE_PARAMS && a->pi == 3 && a->pj == 7, "plane");
    CHECK(a->range == 0.30000000000000004 && a->grid == 31 && d.net[0].axis == SCENE_NET_AXIS_SECONDS, "view");
    CHECK(a->device_width == 32 && a->device_t1 == 0.002 && a->spectrum_every == 10, "device, spectrum");
    CHECK(d.net[1].d.batch == 0 && d.net[1].d.no_shuffle == 0 && strcmp(d.net[1].label, "full") == 0, "second");
    CHECK(d.net[0].seeds == 12 && d.net[0].seeds_steps == 700 && d.net[0].seeds_gtol == 0.0005 && d.net[1].seeds == 0,
          "seeds = K, STEPS, GTOL on the first");
    /* the labs compared run on the scene's one device */
    CHECK(d.net[1].d.device_width == 32 && d.net[1].d.device_t1 == 0.002, "the second lab's device is the first's");
    scene_doc_free(&d);
    check_rewrite(t, strlen(t), "nets.scene");
    /* written, read back: the same descriptions field by field */
    scene_doc x, y;
    CHECK(scenefile_parse(t, strlen(t), "nets.scene", &x, err, sizeof err) == 0, "%s", err);
    char *w = write_text(&x);
    CHECK(w && scenefile_parse(w, strlen(w), "w.scene", &y, err, sizeof err) == 0, "%s", err);
    if (w) {
        CHECK(y.nnet == x.nnet, "nets back");
        for (int k = 0; k < x.nnet && k < y.nnet; k++)
            CHECK(memcmp(&x.net[k], &y.net[k], sizeof x.net[k]) == 0, "net %d back bit for bit", k);
        scene_doc_free(&y);
    }
    free(w);
    scene_doc_free(&x);
}

int main(void)
{
    test_good();
    test_nets();
    test_bad();
    test_class_chart();
    test_rewrite();
    test_live_round_trip();
    test_cli_overrides();
    test_plane_beside_scene();
    test_presets();
    return check_done("test_scenefile");
}
