/* The colour maps (cmap.h): one definition for the CPU and for the shaders' table. */
#include "style/cmap.h"

#include <math.h>
#include <string.h>

/* viridis and cividis: the matplotlib maps sampled at 10 points. light: a print
 * theme, white through a pale blue-grey to a soft warm tone, for dark iso-lines. */
static const uint32_t cmap_keys[STYLE_CMAP_COUNT][10] = {
    {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725},
    {0x00224e, 0x123570, 0x3b496c, 0x575d6d, 0x707173, 0x8a8678, 0xa59c74, 0xc3b369, 0xe1cc55, 0xfee838},
    {0xffffff, 0xf3f6f9, 0xe6ecf2, 0xdde4ec, 0xe0e1e4, 0xe8ddd3, 0xf0d8c2, 0xf3cfad},
};
static const int cmap_nkeys[STYLE_CMAP_COUNT] = {10, 10, 8};

const float style_iso_unfilled[3] = {0.16f, 0.20f, 0.27f};

static const char *const cmap_names[STYLE_CMAP_COUNT] = {"viridis", "cividis", "light"};

static style_cmap known(style_cmap cm)
{
    return ((int)cm >= 0 && cm < STYLE_CMAP_COUNT) ? cm : STYLE_CMAP_VIRIDIS;
}

const char *style_cmap_name(style_cmap cm)
{
    return cmap_names[known(cm)];
}

int style_cmap_parse(const char *name)
{
    for (int i = 0; name && i < STYLE_CMAP_COUNT; i++)
        if (strcmp(name, cmap_names[i]) == 0) return i;
    return -1;
}

static float srgb_decode(float c)
{
    return c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f);
}

static float srgb_encode(float c)
{
    c = c < 0.0f ? 0.0f : c > 1.0f ? 1.0f : c;
    return c < 0.0031308f ? c * 12.92f : 1.055f * powf(c, 1.0f / 2.4f) - 0.055f;
}

static void cmap_linear_keys(style_cmap cm, float out[10][3])
{
    for (int i = 0; i < cmap_nkeys[cm]; i++)
        for (int k = 0; k < 3; k++)
            out[i][k] = srgb_decode((float)(cmap_keys[cm][i] >> (16 - 8 * k) & 0xff) / 255.0f);
}

void style_cmap_exact(style_cmap cm, float t, uint8_t out[3])
{
    cm = known(cm);
    float keys[10][3];
    cmap_linear_keys(cm, keys);
    int n = cmap_nkeys[cm];
    float x = t * (float)(n - 1);
    int i = (int)x;
    if (i > n - 2) i = n - 2;
    float f = x - (float)i;
    for (int k = 0; k < 3; k++) {
        float lin = keys[i][k] + (keys[i + 1][k] - keys[i][k]) * f;
        out[k] = (uint8_t)lrintf(srgb_encode(lin) * 255.0f);
    }
}

uint32_t style_cmap_color(style_cmap cm, float t)
{
    cm = known(cm);
    if (!(t >= 0.0f)) t = 0.0f;   /* NaN too */
    if (t > 1.0f) t = 1.0f;
    int i = (int)(t * (float)(STYLE_CMAP_LUT_N - 1) + 0.5f);
    uint8_t c[3];
    style_cmap_exact(cm, (float)i / (float)(STYLE_CMAP_LUT_N - 1), c);
    return (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | 0xffu;
}

int style_cmap_iso_split_pct(style_cmap cm)
{
    if (cm == STYLE_CMAP_LIGHT) return -100;
    for (int i = 0; i <= 100; i++) {
        uint32_t c = style_cmap_color(cm, (float)i / 100.0f);
        float r = srgb_decode((float)(c >> 24) / 255.0f), gr = srgb_decode((float)(c >> 16 & 0xff) / 255.0f),
              b = srgb_decode((float)(c >> 8 & 0xff) / 255.0f);
        if (0.2126f * r + 0.7152f * gr + 0.0722f * b > 0.3f) return i;
    }
    return 200;
}

float style_cmap_iso_split(style_cmap cm)
{
    return (float)style_cmap_iso_split_pct(cm) / 100.0f;
}

void style_cmap_iso_dark(style_cmap cm, float rgb[3])
{
    static const float dark[3] = {0.05f, 0.06f, 0.10f};
    const float *c = cm == STYLE_CMAP_LIGHT ? style_iso_unfilled : dark;
    for (int k = 0; k < 3; k++) rgb[k] = c[k];
}
