/* gl: the one place that picks the OpenGL headers: libepoxy on the desktop (OpenGL 3.3
 * core), emscripten's OpenGL ES 3.0 headers on the web (WebGL2). Code that includes it
 * uses only the API the two share; the few names that differ are mapped here. */
#ifndef OPTISCAPE_RENDER_GL_H
#define OPTISCAPE_RENDER_GL_H

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
/* ES has no smooth points: the aliased range is the one point sprites have */
#define GL_POINT_SIZE_RANGE GL_ALIASED_POINT_SIZE_RANGE
#else
#include <epoxy/gl.h>
#endif

#endif
