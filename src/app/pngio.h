/* pngio: PNG files written safely: to a temporary name in the same directory, then
 * linked or renamed into place, so a failed write leaves no partial file and an
 * existing file is never replaced unless asked. */
#ifndef OPTISCAPE_PNGIO_H
#define OPTISCAPE_PNGIO_H

#include <stddef.h>

enum { PNGIO_OK = 0, PNGIO_EXISTS = -1, PNGIO_FAILED = -2 };

/* Write w x h RGBA8 pixels (rows top to bottom). text: NULL or key, value pairs
 * ending with NULL, stored as tEXt chunks. force: replace an existing file.
 * Returns PNGIO_OK, PNGIO_EXISTS (nothing written) or PNGIO_FAILED with a message. */
int png_save_rgba(const char *path, const unsigned char *rgba, int w, int h,
                  const char *const *text, int force, char *err, size_t errlen);

/* A fresh name "DIR/PREFIX-NNNN.png" that does not exist yet (NNNN from 0001). */
int png_next_name(const char *dir, const char *prefix, char *out, size_t outlen);

#endif
