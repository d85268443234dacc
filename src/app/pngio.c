/* pngio: libpng writer with tEXt chunks and the temp-then-link dance. link(2)
 * fails with EEXIST where the target exists, which makes "never overwrite"
 * atomic, with no window between a check and the write. */
#include "pngio.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void dir_of(const char *path, char *dir, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(dir, len, ".");
    else if (slash == path) snprintf(dir, len, "/");
    else snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* libpng reports errors through longjmp; keep the jmp_buf use in one function. */
static int write_png(FILE *fp, const unsigned char *rgba, int w, int h,
                     const char *const *text, char *err, size_t errlen)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (!png) { snprintf(err, errlen, "out of memory"); return -1; }
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        snprintf(err, errlen, "%s", errno ? strerror(errno) : "libpng failed");
        return -1;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGBA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 6);
    int nt = 0;
    while (text && text[2 * nt]) nt++;
    if (nt > 0) {
        png_text t[16];
        if (nt > 16) nt = 16;
        for (int i = 0; i < nt; i++) {
            memset(&t[i], 0, sizeof t[i]);
            t[i].compression = PNG_TEXT_COMPRESSION_NONE;
            t[i].key = (png_charp)text[2 * i];
            t[i].text = (png_charp)text[2 * i + 1];
        }
        png_set_text(png, info, t, nt);
    }
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, (png_const_bytep)(rgba + (size_t)y * (size_t)w * 4));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int png_save_rgba(const char *path, const unsigned char *rgba, int w, int h,
                  const char *const *text, int force, char *err, size_t errlen)
{
    if (!force && access(path, F_OK) == 0) {
        snprintf(err, errlen, "%s exists (use --force to replace it)", path);
        return PNGIO_EXISTS;
    }
    char dir[4096], tmp[4200];
    dir_of(path, dir, sizeof dir);
    snprintf(tmp, sizeof tmp, "%s/.optiscape-XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write in %s: %s", dir, strerror(errno));
        return PNGIO_FAILED;
    }
    FILE *fp = fdopen(fd, "wb");
    if (!fp) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        return PNGIO_FAILED;
    }
    errno = 0;
    char perr[200];
    int rc = write_png(fp, rgba, w, h, text, perr, sizeof perr);
    if (fflush(fp) != 0 && rc == 0) { rc = -1; snprintf(perr, sizeof perr, "%s", strerror(errno)); }
    if (fsync(fileno(fp)) != 0 && rc == 0 && errno != EINVAL) {
        rc = -1;
        snprintf(perr, sizeof perr, "%s", strerror(errno));
    }
    if (fclose(fp) != 0 && rc == 0) { rc = -1; snprintf(perr, sizeof perr, "%s", strerror(errno)); }
    if (rc != 0) {
        unlink(tmp);
        snprintf(err, errlen, "cannot write %s: %s", path, perr);
        return PNGIO_FAILED;
    }
    /* mkstemp makes the file 0600; a figure should have the usual permissions */
    mode_t um = umask(0);
    umask(um);
    chmod(tmp, 0666 & ~um);
    if (force) {
        if (rename(tmp, path) != 0) {
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
            unlink(tmp);
            return PNGIO_FAILED;
        }
        return PNGIO_OK;
    }
    if (link(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        if (e == EEXIST) {
            snprintf(err, errlen, "%s exists (use --force to replace it)", path);
            return PNGIO_EXISTS;
        }
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
        return PNGIO_FAILED;
    }
    unlink(tmp);
    return PNGIO_OK;
}

int png_next_name(const char *dir, const char *prefix, char *out, size_t outlen)
{
    for (int i = 1; i < 100000; i++) {
        snprintf(out, outlen, "%s/%s-%04d.png", dir && *dir ? dir : ".", prefix, i);
        if (access(out, F_OK) != 0) return 0;
    }
    return -1;
}
