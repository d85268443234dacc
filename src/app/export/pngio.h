/* pngio: PNG files written safely: to a temporary name in the same directory, then
 * linked or renamed into place, so a failed write leaves no partial file and an
 * existing file is never replaced unless asked. */
#ifndef OPTISCAPE_PNGIO_H
#define OPTISCAPE_PNGIO_H

#include <stddef.h>
#include <stdio.h>

enum { PNGIO_OK = 0, PNGIO_EXISTS = -1, PNGIO_FAILED = -2 };

/* Any file written safely: safe_open makes a temporary file next to path (or says
 * PNGIO_EXISTS when path exists and force is 0); write through fp; safe_commit
 * flushes, syncs and puts it in place (ok = 1) or removes it (ok = 0). Without
 * force an existing file is never replaced, even one made in the meantime. */
typedef struct safe_file {
    FILE *fp;
    char tmp[4200];
    char path[4096];
    int force;
    int guard;                    /* progress.h's slot: removed on Ctrl+C */
} safe_file;

int safe_open(safe_file *sf, const char *path, int force, char *err, size_t errlen);
int safe_commit(safe_file *sf, int ok, char *err, size_t errlen);

/* A PNG written a band of rows at a time (pictures larger than memory would hold
 * at once), safely as above. pngio_stream_close(commit = 0) abandons it. */
typedef struct pngio_stream pngio_stream;
pngio_stream *pngio_stream_open(const char *path, int w, int h, const char *const *text, int force,
                              int *status, char *err, size_t errlen);
int pngio_stream_rows(pngio_stream *ps, const unsigned char *rgba, int n);
int pngio_stream_close(pngio_stream *ps, int commit, char *err, size_t errlen);

/* Write w x h RGBA8 pixels (rows top to bottom). text: NULL or key, value pairs
 * ending with NULL, stored as tEXt chunks. force: replace an existing file.
 * Returns PNGIO_OK, PNGIO_EXISTS (nothing written) or PNGIO_FAILED with a message. */
int pngio_save_rgba(const char *path, const unsigned char *rgba, int w, int h,
                    const char *const *text, int force, char *err, size_t errlen);

/* A fresh name "DIR/PREFIX-NNNN.png" that does not exist yet (NNNN from 0001). */
int pngio_next_name(const char *dir, const char *prefix, char *out, size_t outlen);
/* The same for any extension: "DIR/PREFIX-NNNN.EXT" (scene files, plane files). */
int pngio_next_name_ext(const char *dir, const char *prefix, const char *ext, char *out, size_t outlen);

#endif
