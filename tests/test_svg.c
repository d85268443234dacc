/* test_svg: the SVG figure read back by a real XML parser (python3's ElementTree):
 * it parses; the groups hold what the scene has (iso-lines, two paths per visible
 * trail, Himmelblau's 4 minima, 4 saddles with their "way out" arrows and 1 maximum,
 * one legend row per runner); the raster layer is a PNG of the field's size, absent
 * from a transparent figure; labels are escaped; a failed write is reported. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "scene/field_worker.h"
#include "scene/live.h"
#include "app/views/scene_view.h"
#include "app/export/svg.h"

/* Prints "key value" lines about the SVG named by argv[1]. */
static const char *const checker =
    "import sys, base64, struct, xml.etree.ElementTree as ET\n"
    "NS = '{http://www.w3.org/2000/svg}'\n"
    "root = ET.parse(sys.argv[1]).getroot()\n"
    "print('root', int(root.tag == NS + 'svg'))\n"
    "print('width', root.get('width'))\n"
    "print('height', root.get('height'))\n"
    "groups = {g.get('id'): g for g in root.iter(NS + 'g') if g.get('id')}\n"
    "def count(g, c):\n"
    "    return sum(1 for e in g.iter() if c.split() == (e.get('class') or '').split()[:len(c.split())])\n"
    "for gid in ['iso', 'trails', 'critical', 'start', 'runners', 'legend']:\n"
    "    g = groups.get(gid)\n"
    "    print('group_' + gid, int(g is not None))\n"
    "    print('paths_' + gid, -1 if g is None else sum(1 for e in g.iter(NS + 'path')))\n"
    "g = groups.get('critical')\n"
    "for k in ['min', 'max', 'saddle', 'degenerate']:\n"
    "    print('crit_' + k, -1 if g is None else count(g, 'crit ' + k))\n"
    "print('arrows_out', -1 if g is None else count(g, 'arrow out'))\n"
    "print('arrows_in', -1 if g is None else count(g, 'arrow in'))\n"
    "print('way_out', sum(1 for t in root.iter(NS + 'text') if t.text == 'way out'))\n"
    "g = groups.get('trails')\n"
    "print('trail_groups', -1 if g is None else count(g, 'runner'))\n"
    "g = groups.get('runners')\n"
    "print('runner_marks', -1 if g is None else count(g, 'runner'))\n"
    "g = groups.get('legend')\n"
    "texts = [] if g is None else [t.text or '' for t in g.iter(NS + 'text')]\n"
    "print('legend_rows', -1 if g is None else count(g, 'row'))\n"
    "print('legend_beta', int(any('\\u03b21=' in t for t in texts)))\n"
    "print('legend_mu', int(any('\\u03bc=' in t for t in texts)))\n"
    "title = root.find(NS + 'title')\n"
    "print('title_escaped', int(title is not None and title.text ==\n"
    "      'optiscape: a<b & \"c\" \\'d\\' \\ufffd \\u03b2'))\n"
    "print('background', sum(1 for e in root.iter(NS + 'rect') if e.get('id') == 'background'))\n"
    "bg = [e.get('fill') for e in root.iter(NS + 'rect') if e.get('id') == 'background']\n"
    "print('background_white', int(bg == ['#ffffff']))\n"
    "iso = groups.get('iso')\n"
    "strokes = set() if iso is None else {e.get('stroke') for e in iso if e.get('stroke')}\n"
    "print('iso_light_and_dark', int(strokes == {'#ffffff', '#0d0f1a'}))\n"
    "print('iso_only_dark_light_map', int(strokes == {'#293345'}))\n"
    "print('iso_transparent', int(strokes == {'#293345', '#0d0f1a'}))\n"
    "images = list(root.iter(NS + 'image'))\n"
    "print('images', len(images))\n"
    "for im in images:\n"
    "    href = im.get('{http://www.w3.org/1999/xlink}href') or im.get('href')\n"
    "    head, data = href.split(',', 1)\n"
    "    data = base64.b64decode(data, validate=True)\n"
    "    print('png_sig', int(head == 'data:image/png;base64' and data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'))\n"
    "    w, h = struct.unpack('>II', data[16:24])\n"
    "    print('png_w', w)\n"
    "    print('png_h', h)\n"
    "print('done', 1)\n";

#define MAX_KEYS 64

typedef struct facts {
    char key[MAX_KEYS][48];
    long val[MAX_KEYS];
    int n;
    char dir[64];
} facts;

static long fact(const facts *F, const char *key)
{
    for (int i = 0; i < F->n; i++)
        if (strcmp(F->key[i], key) == 0) return F->val[i];
    return -999;
}

static runner_desc desc_of(const char *spec)
{
    runner_desc d;
    memset(&d, 0, sizeof d);
    char err[256];
    CHECK(optim_parse(spec, &d.opt, err, sizeof err) == 0, "%s", err);
    d.sched = sched_defaults(SCHED_CONSTANT);
    return d;
}

/* A scene on a landscape with runners, stepped, with the field of an 800 x 600 view. */
static void scene(live *L, field_result *fr, scene_view *sv, const char *ls_spec, const double view[4],
                  const char *const *runners, int nrun, long steps)
{
    landscape ls;
    char err[256];
    CHECK(landscape_load(&ls, ls_spec, err, sizeof err) == 0, "%s", err);
    live_init(L, &ls, 0);
    live_display_defaults(&L->disp);
    for (int k = 0; k < nrun; k++) {
        runner_desc d = desc_of(runners[k]);
        CHECK(live_add(L, &d) == k, "add %s", runners[k]);
    }
    live_step(L, steps);
    live_fit(L, view, 800, 600);
    *sv = (scene_view){.x = 0, .y = 0, .w = 800, .h = 600, .scale = 1};
    live_view(L, 800, 600, sv->view);
    memset(fr, 0, sizeof *fr);
    CHECK(field_result_compute(fr, ls_spec, 0, L->ls_gen, sv->view, 800, 600, 0, 1, 4, err, sizeof err) == 0,
          "%s", err);
    L->ncrit = fr->ncrit > LIVE_MAX_CRIT ? LIVE_MAX_CRIT : fr->ncrit;
    memcpy(L->crit, fr->crit, (size_t)L->ncrit * sizeof *L->crit);
}

/* Write the SVG to a temporary file and read it back with the checker. */
static int write_and_parse(const live *L, const field_result *fr, const scene_view *sv, int transparent,
                           facts *F)
{
    F->n = 0;
    static int serial;
    char path[128];
    snprintf(path, sizeof path, "%s/scene-%d.svg", F->dir, ++serial);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL, "open %s", path);
    if (!f) return -1;
    char err[256] = "";
    int rc = svg_write_scene(f, L, fr, sv, transparent, err, sizeof err);
    CHECK(rc == 0, "svg_write_scene: %s", err);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "python3 %s/check.py %s 2>&1", F->dir, path);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL, "popen python3");
    if (!p) return -1;
    char line[512];
    while (fgets(line, sizeof line, p)) {
        char k[48];
        long v;
        if (F->n < MAX_KEYS && sscanf(line, "%47s %ld", k, &v) == 2) {
            strcpy(F->key[F->n], k);
            F->val[F->n++] = v;
        } else {
            fprintf(stderr, "checker: %s", line);
        }
    }
    int status = pclose(p);
    CHECK(status == 0 && fact(F, "done") == 1, "the XML parser reads the file (status %d)", status);
    return 0;
}

static void test_himmelblau(facts *F)
{
    static const char *const runners[] = {"sgd:lr=0.01", "sgd:lr=0.005,momentum=0.9", "adam:lr=0.1",
                                          "rmsprop:lr=0.01"};
    live L;
    field_result fr;
    scene_view sv;
    double view[4] = {-6, 6, -6, 6};
    scene(&L, &fr, &sv, "himmelblau", view, runners, 4, 150);
    CHECK(L.ncrit == 9, "himmelblau has 9 critical points in view, got %d", L.ncrit);
    L.run[3].visible = 0;
    L.selected = 1;
    /* escaping: markup characters, a control character, invalid UTF-8, a Greek letter */
    snprintf(L.ls.label, sizeof L.ls.label, "a<b & \"c\" 'd' \x01\xff \xce\xb2");

    if (write_and_parse(&L, &fr, &sv, 0, F) == 0) {
        CHECK(fact(F, "root") == 1, "an <svg> root");
        CHECK(fact(F, "width") == 800 && fact(F, "height") == 600, "800 x 600");
        CHECK(fact(F, "title_escaped") == 1, "title text survives escaping");
        CHECK(fact(F, "paths_iso") > 10, "iso-lines: %ld paths", fact(F, "paths_iso"));
        CHECK(fact(F, "iso_light_and_dark") == 1, "viridis: light lines low, dark lines high");
        CHECK(fact(F, "trail_groups") == 3, "3 visible trails, got %ld", fact(F, "trail_groups"));
        CHECK(fact(F, "paths_trails") == 6, "2 paths per visible trail, got %ld", fact(F, "paths_trails"));
        CHECK(fact(F, "crit_min") == 4, "4 minima, got %ld", fact(F, "crit_min"));
        CHECK(fact(F, "crit_saddle") == 4, "4 saddles, got %ld", fact(F, "crit_saddle"));
        CHECK(fact(F, "crit_max") == 1, "1 maximum, got %ld", fact(F, "crit_max"));
        CHECK(fact(F, "crit_degenerate") == 0, "no degenerate points, got %ld", fact(F, "crit_degenerate"));
        CHECK(fact(F, "arrows_out") == 8 && fact(F, "arrows_in") == 8,
              "two arrows out and two in per saddle, got %ld, %ld", fact(F, "arrows_out"), fact(F, "arrows_in"));
        CHECK(fact(F, "way_out") == 4, "'way out' at each saddle, got %ld", fact(F, "way_out"));
        CHECK(fact(F, "paths_start") == 1, "the start star");
        CHECK(fact(F, "runner_marks") == 3, "a mark per visible runner, got %ld", fact(F, "runner_marks"));
        CHECK(fact(F, "legend_rows") == 4, "a legend row per runner, got %ld", fact(F, "legend_rows"));
        CHECK(fact(F, "legend_beta") == 1 && fact(F, "legend_mu") == 1, "β1 and μ in the legend");
        CHECK(fact(F, "background") == 1, "a background");
        CHECK(fact(F, "images") == 1, "one raster layer, got %ld", fact(F, "images"));
        CHECK(fact(F, "png_sig") == 1, "a PNG data URI");
        CHECK(fact(F, "png_w") == 800 && fact(F, "png_h") == 600, "the field's size, got %ld x %ld",
              fact(F, "png_w"), fact(F, "png_h"));
    }
    /* transparent: lines and marks over nothing */
    if (write_and_parse(&L, &fr, &sv, 1, F) == 0) {
        CHECK(fact(F, "images") == 0, "transparent: no raster, got %ld", fact(F, "images"));
        CHECK(fact(F, "background") == 0, "transparent: no background");
        CHECK(fact(F, "paths_iso") > 10, "transparent: iso-lines kept");
        CHECK(fact(F, "iso_transparent") == 1, "transparent: light lines drawn dark, as the window");
        CHECK(fact(F, "crit_min") == 4, "transparent: marks kept");
    }
    /* the light theme; no legend, no critical points */
    L.disp.cmap = STYLE_CMAP_LIGHT;
    L.disp.legend = 0;
    L.disp.crit = 0;
    if (write_and_parse(&L, &fr, &sv, 0, F) == 0) {
        CHECK(fact(F, "background_white") == 1, "light theme: white background");
        CHECK(fact(F, "iso_only_dark_light_map") == 1, "light map: dark lines only");
        CHECK(fact(F, "group_legend") == 0, "legend off");
        CHECK(fact(F, "crit_min") == 0 && fact(F, "way_out") == 0, "critical points off");
    }
    /* no field at all: still a document */
    if (write_and_parse(&L, NULL, &sv, 0, F) == 0) {
        CHECK(fact(F, "images") == 0 && fact(F, "group_iso") == 0, "no field: no raster, no iso-lines");
        CHECK(fact(F, "trail_groups") == 3, "no field: trails");
    }
    /* a failed write is reported */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        char err[256] = "";
        CHECK(svg_write_scene(full, &L, &fr, &sv, 0, err, sizeof err) == -1, "writing to /dev/full fails");
        CHECK_STR_CONTAINS(err, "write failed", "the message says so");
        fclose(full);
    }
    field_result_free(&fr);
    live_free(&L);
}

static void test_rosenbrock(facts *F)
{
    live L;
    field_result fr;
    scene_view sv;
    double view[4] = {-2, 2, -1, 3};
    scene(&L, &fr, &sv, "rosenbrock", view, live_default_runners, LIVE_DEFAULT_RUNNERS, 400);
    /* a runner far off course: it diverges and is marked where it left */
    runner_desc d = desc_of("sgd:lr=0.05");
    CHECK(live_add(&L, &d) == LIVE_DEFAULT_RUNNERS, "add a diverging runner");
    live_step(&L, 50);
    CHECK(L.run[LIVE_DEFAULT_RUNNERS].r.diverged, "sgd lr=0.05 diverges on rosenbrock");
    sv.scale = 2;
    if (write_and_parse(&L, &fr, &sv, 0, F) == 0) {
        CHECK(fact(F, "crit_min") == 1, "rosenbrock: 1 minimum, got %ld", fact(F, "crit_min"));
        CHECK(fact(F, "legend_rows") == LIVE_DEFAULT_RUNNERS + 1, "a row per runner");
        CHECK(fact(F, "paths_trails") == 2 * (LIVE_DEFAULT_RUNNERS + 1), "2 paths per trail, got %ld",
              fact(F, "paths_trails"));
        CHECK(fact(F, "paths_iso") > 10, "iso-lines");
    }
    field_result_free(&fr);
    live_free(&L);
}

int main(void)
{
    facts F;
    snprintf(F.dir, sizeof F.dir, "/tmp/test_svg.XXXXXX");
    if (!mkdtemp(F.dir)) {
        perror("mkdtemp");
        return 1;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/check.py", F.dir);
    FILE *f = fopen(path, "w");
    if (!f || fputs(checker, f) < 0 || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    test_himmelblau(&F);
    test_rosenbrock(&F);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", F.dir);
    if (getenv("TEST_SVG_KEEP")) printf("kept %s\n", F.dir);
    else if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", F.dir);
    return check_done("test_svg");
}
