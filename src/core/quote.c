/* quote: see quote.h. */
#include "core/quote.h"

#include <string.h>

char *quote_cut(const char *s, char *buf, size_t cap)
{
    if (!cap) return buf;
    if (!s) s = "";
    size_t n = strlen(s), o = 0;
    size_t max = cap - 1 < QUOTE_MAX ? cap - 1 : QUOTE_MAX;
    size_t head = n, tail = 0;
    if (n > max) {
        /* what a path is most recognised by: its start and its file name */
        size_t keep = max > 3 ? max - 3 : 0;
        head = keep / 2;
        tail = keep - head;
        /* neither end cut inside a UTF-8 sequence */
        while (head > 0 && ((unsigned char)s[head] & 0xc0) == 0x80) head--;
    }
    for (size_t i = 0; i < head && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (n > max) {
        for (const char *d = "..."; *d && o + 1 < cap; d++) buf[o++] = *d;
        size_t t = n - tail;
        while (t < n && ((unsigned char)s[t] & 0xc0) == 0x80) t++;
        for (size_t i = t; i < n && o + 1 < cap; i++) {
            unsigned char c = (unsigned char)s[i];
            buf[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        }
    }
    buf[o] = 0;
    return buf;
}

const char *quote(const char *s)
{
    static char slots[QUOTE_SLOTS][QUOTE_MAX + 1];
    static unsigned next;
    char *b = slots[next++ % QUOTE_SLOTS];
    return quote_cut(s, b, QUOTE_MAX + 1);
}
