/* figure: see figure.h. */
#include "app/export/figure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "optiscape_config.h"
#include "app/cli.h"
#include "app/platform/glctx.h"
#include "app/export/pngio.h"

void figure_command_line(char *buf, size_t len, const char *cmd, int argc, char **argv)
{
    size_t n = (size_t)snprintf(buf, len, "optiscape %s", cmd);
    for (int i = 0; i < argc && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, strpbrk(argv[i], " '\"*()^|&;<>$") ? " '%s'" : " %s", argv[i]);
}

int figure_png(const char *cmd, int w, int h, uint32_t background, figure_draw_fn draw, void *user,
               const char *desc, int argc, char **argv, const char *path, int force)
{
    glctx gl;
    int st = glctx_open(&gl, &(glctx_desc){.offscreen = 1});
    if (st == GLCTX_NO_VIDEO) {
        fprintf(stderr, "optiscape %s: cannot start offscreen drawing: %s\n"
                "  (install Mesa's EGL: libegl-mesa0 libgl1-mesa-dri)\n", cmd, gl.why);
        return EXIT_RUNTIME;
    }
    char err[4400] = "";
    gfx *g = NULL;
    gfx_target *t = NULL;
    unsigned char *px = NULL;
    int rc = EXIT_RUNTIME;
    if (st != GLCTX_OK) {
        fprintf(stderr, "optiscape %s: OpenGL 3.3 core is not available here (%s)\n", cmd, gl.why);
        goto done;
    }
    g = gfx_create(&(gfx_desc){0}, err, sizeof err);
    if (g && (w > gfx_max_size(g) || h > gfx_max_size(g)))
        snprintf(err, sizeof err, "%dx%d is beyond this GL's limit of %d", w, h, gfx_max_size(g));
    else if (g)
        t = gfx_target_create(g, w, h, err, sizeof err);
    px = malloc((size_t)w * (size_t)h * 4);
    if (!t || !px) {
        fprintf(stderr, "optiscape %s: %s\n", cmd, px ? err : "out of memory");
        goto done;
    }
    gfx_target_bind(g, t);
    gfx_begin(g, w, h);
    gfx_clear(g, background);
    draw(g, user, w, h);
    gfx_end(g);
    gfx_read_pixels(g, 0, 0, w, h, px);
    if (gfx_gl_errors(g, cmd) > 0) goto done;
    char line[4096];
    figure_command_line(line, sizeof line, cmd, argc, argv);
    const char *text[] = {"Software", "optiscape " OPTISCAPE_VERSION, "Description", desc, "Source", line, NULL};
    int pr = pngio_save_rgba(path, px, w, h, text, force, err, sizeof err);
    if (pr != PNGIO_OK) {
        fprintf(stderr, "optiscape %s: %s\n", cmd, err);
        rc = pr == PNGIO_EXISTS ? EXIT_BAD_INPUT : EXIT_RUNTIME;
        goto done;
    }
    rc = EXIT_OK;
done:
    free(px);
    if (t) gfx_target_destroy(g, t);
    if (g) gfx_destroy(g);
    glctx_close(&gl);
    return rc;
}
