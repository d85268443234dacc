/* embedded: files compiled into the binary at build time (shaders, the font) by
 * tools/embed.py, so optiscape runs from any directory. */
#ifndef OPTISCAPE_EMBEDDED_H
#define OPTISCAPE_EMBEDDED_H

#include <stddef.h>

typedef struct embedded_file {
    const char *name;            /* basename, e.g. "prim.frag" */
    const unsigned char *data;   /* followed by a NUL not counted in size */
    size_t size;
} embedded_file;

/* The table in the generated embedded_assets.c. */
extern const embedded_file embedded_files[];
extern const size_t embedded_count;

/* The bytes of the embedded file with this basename (NUL-terminated, *size
 * excluding the NUL), or NULL when there is none. */
const unsigned char *embedded_find(const char *name, size_t *size);

#endif
