/* fuzz_scenefile: a fuzz target for the scene file parser. Whatever the bytes, the
 * parser returns; a refusal is one line "NAME:LINE: ..." with a line inside the
 * text, and a document it accepts writes out as text that parses back and writes
 * out the same again. Run under AddressSanitizer and UBSan. Built two ways (see
 * fuzz_driver.h); the driver mutates a corpus of scene files line by line and byte
 * by byte:  fuzz_scenefile [--seconds S] [--seed N]
 * Also: an accepted document has a landscape and its start and view lie within the
 * divergence box; every 64th input is also written to a file and loaded from there
 * (the same verdict), and FIFOs, folders, devices and names of any length given as
 * the file are refused at once, in one line of bounded length. */
#include "fuzz_driver.h"

#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scene/scenefile.h"
#include "core/sim.h"

static char *write_text(const scene_doc *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    if (scenefile_write(f, d) != 0) abort();
    fclose(f);
    return buf;
}

static long accepted, loaded;

static int in_box(double v) { return fabs(v) <= SIM_DIVERGE_BOX; }

/* The same bytes from a file: the same verdict, one line. */
static void via_file(const uint8_t *data, size_t n, int want_rc)
{
    char path[] = "/tmp/optiscape-fuzz-scene-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return;
    int ok = write(fd, data, n) == (ssize_t)n;
    close(fd);
    if (ok) {
        scene_doc d;
        char err[512];
        int rc = scenefile_load(path, &d, err, sizeof err);
        if (rc != want_rc) {
            fprintf(stderr, "fuzz_scenefile: loaded from a file %s, parsed %s (%s)\n", rc ? "refused" : "accepted",
                    want_rc ? "refused" : "accepted", rc ? err : "");
            abort();
        }
        if (rc != 0 && (strchr(err, '\n') || strncmp(err, path, strlen(path)) != 0)) abort();
        if (rc == 0) scene_doc_free(&d);
        loaded++;
    }
    unlink(path);
}

static void fuzz_one(const uint8_t *data, size_t n)
{
    static unsigned count;
    int file = ++count % 64 == 0;
    scene_doc d;
    char err[512];
    size_t lines = 1;
    for (size_t i = 0; i < n; i++) lines += data[i] == '\n';
    if (scenefile_parse((const char *)data, n, "f.scene", &d, err, sizeof err) != 0) {
        if (file) via_file(data, n, -1);
        /* one line, naming the file and a line that exists */
        long line = -1;
        if (strncmp(err, "f.scene:", 8) != 0 || strchr(err, '\n')) abort();
        if (err[8] >= '0' && err[8] <= '9' && sscanf(err + 8, "%ld", &line) == 1 &&
            (line < 1 || (size_t)line > lines))
            abort();
        if (d.have_landscape || d.nrun != 0) abort();
        return;
    }
    accepted++;
    if (file) via_file(data, n, 0);
    /* what every command needs, and where runners still count as alive */
    if (!d.have_landscape) abort();
    if (d.have_start && !(in_box(d.start[0]) && in_box(d.start[1]))) abort();
    if (d.have_view && !(in_box(d.view[0]) && in_box(d.view[1]) && in_box(d.view[2]) && in_box(d.view[3])))
        abort();
    char *t1 = write_text(&d);
    scene_doc_free(&d);
    if (!t1) return;
    scene_doc b;
    if (scenefile_parse(t1, strlen(t1), "w.scene", &b, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_scenefile: written text refused: %s\n%s\n", err, t1);
        abort();
    }
    char *t2 = write_text(&b);
    scene_doc_free(&b);
    if (t2 && strcmp(t1, t2) != 0) {
        fprintf(stderr, "fuzz_scenefile: write -> parse -> write differs:\n%s\n----\n%s\n", t1, t2);
        abort();
    }
    free(t1);
    free(t2);
}

#ifndef OPTISCAPE_LIBFUZZER

static const char *corpus[] = {
    "# Lines starting with # or ; are comments.\n[scene]\ntitle    = Escaping a saddle\n"
    "caption  = Plain gradient descent stalls where the gradient vanishes.\n"
    "caption  = The negative-curvature eigenvector (red arrow) is the way out.\n"
    "landscape = saddle                ; a built-in\nview     = -2, 2, -1.5, 1.5\nstart    = 0.001, 1\n"
    "schedule = constant\nnoise    = 0\nseed     = 0\n\n[runner]\noptimizer = sgd:lr=0.1\nlabel     = plain GD\n"
    "[runner]\noptimizer = escape:lr=0.1\nschedule  = cosine:t_max=100,warmup=10\nnoise     = 0.05\nseed = 7\n"
    "visible   = on\n\n[play]\nspeed   = 60\nsteps   = 0\nplaying = on\nselected = 1\n\n[display]\n"
    "theme = dark\ncmap  = viridis\niso = on\nhillshade = off\ncritical = on\nsaddle_arrows = on\n"
    "grad_arrows = off\nupdate_arrows = off\nstability = off\nhover = on\nlegend = on\nchart = on\n"
    "trails = on\npanel = on\n\n[class]\ncontrols = lr, momentum\n",
    "\xef\xbb\xbf[scene]\r\nexpr = x^4 - 2*x^2 + y^2\r\n[runner]\r\noptimizer = adam:lr=0.05,beta1=0.5\r\n",
    "[scene]\nlandscape = quadratic:kappa=50,angle=30\n[runner]\noptimizer=sgd:lr=0.035\n"
    "[runner]\noptimizer=sgd:lr=0.01,momentum=0.9,nesterov=1\n[play]\nsteps=300\nselected=2\n",
    "[scene]\ntitle = λ < 0: the way out ✓\nlandscape = himmelblau\nnoise = 1e-3\nseed = 18446744073709551615\n"
    "[display]\ntheme = light\ncmap = cividis\n[class]\ncontrols = lr,beta1,beta2,eps,speed,noise\n",
    "[scene]\nlandscape = rosenbrock\n[runner]\noptimizer = rmsprop:centered=1,momentum=0.5\n"
    "[runner]\noptimizer = adagrad:mode=mean\nschedule = step:step_size=10,gamma=0.5\n[runner]\n"
    "optimizer = nadam\n[runner]\noptimizer = newton:damping=0.1\nvisible = off\n[play]\nspeed = 10000\n",
};

static const char *atoms[] = {
    "[scene]\n", "[runner]\n", "[play]\n", "[display]\n", "[class]\n", "[", "]", "=", " ; c", " # c", "\r\n",
    "\n", "title = ", "caption = ", "landscape = ", "expr = ", "view = ", "start = ", "schedule = ", "noise = ",
    "seed = ", "optimizer = ", "label = ", "visible = ", "speed = ", "steps = ", "playing = ", "selected = ",
    "theme = ", "cmap = ", "controls = ", "on", "off", "1e308", "-1", "0", "16", "17", "100001", "nan",
    "0x10", "0x1p3", "1e12", "-1e12", "1.0000001e12", "inf", "-Infinity", " 1", "1e-400", "1e999", "+.5", "5.",
    "sgd:lr=0.1", "adam", "cosine:t_max=10", "x^2 - y^2", "sin(x", "saddle", "quadratic:kappa=", "lr, rho",
    ",", "\xef\xbb\xbf", "\xff", "\xc3\xa9", "\t", " ", "\0",
};

static size_t put(char *buf, size_t n, size_t cap, const char *s, size_t l)
{
    if (n + l >= cap) return n;
    memcpy(buf + n, s, l);
    return n + l;
}

/* [*b, *e): the line of buf[0 .. n) that holds byte at, with its newline */
static void line_around(const char *buf, size_t n, size_t at, size_t *b, size_t *e)
{
    *b = *e = at;
    while (*b > 0 && buf[*b - 1] != '\n') (*b)--;
    while (*e < n && buf[*e] != '\n') (*e)++;
    if (*e < n) (*e)++;
}

static size_t generate(char *buf, size_t cap)
{
    size_t n = 0;
    const size_t natoms = sizeof atoms / sizeof atoms[0], ncorpus = sizeof corpus / sizeof corpus[0];
    uint64_t mode = fuzz_next() % 4;
    if (mode == 0) {
        int k = (int)(fuzz_next() % 60);
        for (int i = 0; i < k; i++) {
            uint64_t a = fuzz_next() % natoms;
            n = put(buf, n, cap, atoms[a], a == natoms - 1 ? 1 : strlen(atoms[a]));
        }
        return n;
    }
    const char *c = corpus[fuzz_next() % ncorpus];
    n = put(buf, 0, cap, c, strlen(c));
    int muts = 1 + (int)(fuzz_next() % 8);
    for (int m = 0; m < muts; m++) {
        uint64_t r = fuzz_next();
        size_t at = n ? (size_t)(r >> 8) % n : 0;
        switch (r % 6) {
        case 0: if (n) buf[at] = (char)(fuzz_next() & 0xff); break;                        /* a byte */
        case 1: if (n) { memmove(buf + at, buf + at + 1, n - at - 1); n--; } break;   /* delete */
        case 2: {                                                                     /* an atom */
            uint64_t a = fuzz_next() % natoms;
            size_t l = a == natoms - 1 ? 1 : strlen(atoms[a]);
            if (n + l < cap) {
                memmove(buf + at + l, buf + at, n - at);
                memcpy(buf + at, atoms[a], l);
                n += l;
            }
            break;
        }
        case 3: {                                                                     /* a line twice */
            size_t b, e;
            line_around(buf, n, at, &b, &e);
            size_t l = e - b;
            if (n + l < cap) {
                memmove(buf + e + l, buf + e, n - e);
                memcpy(buf + e, buf + b, l);
                n += l;
            }
            break;
        }
        case 4: {                                                                     /* a line gone */
            size_t b, e;
            line_around(buf, n, at, &b, &e);
            memmove(buf + b, buf + e, n - e);
            n -= e - b;
            break;
        }
        default: {                                                                    /* a long line */
            size_t l = (size_t)(fuzz_next() % 70000);
            if (n + l < cap) {
                memmove(buf + at + l, buf + at, n - at);
                memset(buf + at, fuzz_next() % 2 ? 'x' : ' ', l);
                n += l;
            }
            break;
        }
        }
    }
    return n;
}

/* Not regular files, and names of any length: refused at once, in one short line. */
static void not_files(void)
{
    scene_doc d;
    char err[512];
    char dir[] = "/tmp/optiscape-fuzz-dir-XXXXXX";
    if (!mkdtemp(dir)) return;
    char fifo[600];
    snprintf(fifo, sizeof fifo, "%s/lesson.scene", dir);
    const char *paths[] = {dir, "/dev/null", "/dev/zero", fifo};
#ifdef __EMSCRIPTEN__
    /* under node (NODERAWFS) mkfifo makes a regular file: there is no FIFO to refuse */
    int have_fifo = 0;
    printf("fuzz_scenefile: the FIFO case skipped: node's file system has no FIFOs\n");
#else
    int have_fifo = mkfifo(fifo, 0600) == 0;
#endif
    for (int i = 0; i < 4; i++) {
        if (i == 3 && !have_fifo) break;
        if (scenefile_load(paths[i], &d, err, sizeof err) == 0 || !strstr(err, "not a regular file") ||
            strchr(err, '\n')) {
            fprintf(stderr, "fuzz_scenefile: %s: %s\n", paths[i], err);
            abort();
        }
    }
    unlink(fifo);
    rmdir(dir);
    static char name[100000];
    for (int k = 0; k < 200; k++) {
        size_t len = 1 + (size_t)(fuzz_next() % (sizeof name - 1));
        for (size_t i = 0; i < len; i++) name[i] = (char)(1 + fuzz_next() % 255);
        name[len] = 0;
        const char *text = "[scene]\nlandscape = nowhere\n";
        /* the name is cut: the message is the quoted name and at most the reason */
        if (scenefile_parse(text, strlen(text), name, &d, err, sizeof err) == 0 || strchr(err, '\n') ||
            strlen(err) > 500 || !strstr(err, "nowhere")) {
            fprintf(stderr, "fuzz_scenefile: a name of %zu bytes: %s\n", len, err);
            abort();
        }
        if (scenefile_load(name, &d, err, sizeof err) == 0 || strchr(err, '\n') || strlen(err) > 200) {
            fprintf(stderr, "fuzz_scenefile: loading a name of %zu bytes: %s\n", len, err);
            abort();
        }
    }
}

int main(int argc, char **argv)
{
    static char buf[1 << 18];
    fuzz_state = 12345;
    not_files();
    long iters = fuzz_run(argc, argv, "fuzz_scenefile", corpus, sizeof corpus / sizeof corpus[0], generate, buf,
                          sizeof buf);
    printf("fuzz_scenefile: %ld inputs (%ld accepted and round-tripped, %ld also loaded from a file), no crash\n",
           iters, accepted, loaded);
    return 0;
}
#endif
