/* gfx_internal: what the drawing layer's other parts (surface.c, the 3D surface)
 * need of gfx.c's private state: its shader loading (embedded or --shader-dir), the
 * field and colour-map textures, the current target, and putting the 2D state back
 * after a pass of their own. Private to src/render. */
#ifndef OPTISCAPE_GFX_INTERNAL_H
#define OPTISCAPE_GFX_INTERNAL_H

#include <stddef.h>

#include "render/gl.h"

#include "render/gfx.h"

/* A program from two shader files, looked up like gfx's own (the embedded copy or
 * <shader_dir>/<name>), with fs_defines (or NULL) after the fragment shader's
 * #version; 0 with the compile or link log, file and line in err. */
GLuint gfx_internal_program(gfx *g, const char *vs_name, const char *fs_name, const char *fs_defines,
                            char *err, size_t errlen);
/* The field texture (RG32F: value, lmax), its size and its upload count; 0 when
 * nothing is uploaded. */
GLuint gfx_internal_field_texture(gfx *g, int *w, int *h, unsigned long *gen);
/* The colour-map table (LUT_N x 1 RGBA8) holding cm, uploaded if it held another. */
GLuint gfx_internal_lut(gfx *g, gfx_cmap cm);
/* The level t below which iso-lines are drawn light (as the field shader does). */
float gfx_internal_iso_split(gfx_cmap cm);
/* The current target's framebuffer object and size. */
void gfx_internal_target(gfx *g, GLuint *fbo, int *w, int *h);
/* Back to gfx's 2D state (viewport, blending, no depth test, the clip). */
void gfx_internal_restore(gfx *g);
/* The surface's own slot in gfx (its programs, mesh and buffers). */
void **gfx_internal_surface_slot(gfx *g);

/* surface.c: forget the programs (shaders reloaded) / free everything (gfx_destroy). */
void gfx_surface_reset(gfx *g);
void gfx_surface_release(gfx *g);

#endif
