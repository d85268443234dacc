/* fileio: opening a user's input file for reading without surprises. A FIFO would
 * block the process on open, a device or a folder never ends or cannot be read as
 * text, and a file far larger than any real input would take all memory; each is
 * refused with a reason before a byte is read. */
#ifndef OPTISCAPE_FILEIO_H
#define OPTISCAPE_FILEIO_H

#include <stdio.h>

/* the largest data, parameter or plane file read: far beyond any real input */
#define FILEIO_INPUT_MAX (64LL << 20)

/* The file at path opened for reading when it is a regular file of at most max_bytes;
 * else NULL with a short reason in why ("not a regular file (a FIFO)", "larger than
 * 64 MiB", or the system's words for a missing or unreadable file). */
FILE *fileio_open_read(const char *path, long long max_bytes, char *why, size_t whylen);

#endif
