/* embedded: lookup by basename in the table that tools/embed.py generates. A linear
 * scan: the table holds a handful of files and is searched only at start-up. */
#include "render/embedded.h"

#include <string.h>

const unsigned char *embedded_find(const char *name, size_t *size)
{
    if (!name) return NULL;
    for (size_t i = 0; i < embedded_count; i++) {
        if (strcmp(embedded_files[i].name, name) == 0) {
            if (size) *size = embedded_files[i].size;
            return embedded_files[i].data;
        }
    }
    if (size) *size = 0;
    return NULL;
}
