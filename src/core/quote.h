/* quote: user text (a path, an option's value) quoted back in a one-line message:
 * control characters shown as '?', and anything longer than QUOTE_MAX characters cut
 * in the middle to its first and last characters around "...", so a 128 KiB
 * argument still gives a line one can read. */
#ifndef OPTISCAPE_QUOTE_H
#define OPTISCAPE_QUOTE_H

#include <stddef.h>

#define QUOTE_MAX 72

/* s as it may appear in a message, in buf (at least QUOTE_MAX + 1 bytes). Returns buf. */
char *quote_cut(const char *s, char *buf, size_t cap);

/* The same into one of a few rotating static buffers, for use inside one printf:
 * at most QUOTE_SLOTS calls per message. Not for threads. */
#define QUOTE_SLOTS 4
const char *quote(const char *s);

#endif
