/* The colour maps, written once for the CPU: key colours (sRGB) at equal spacing,
 * interpolated in linear RGB and encoded back to sRGB. The GPU reads the same map
 * from a table of STYLE_CMAP_LUT_N entries of style_cmap_exact at the nearest entry
 * (shaders/fieldmap.glsl, cmap_lut), and style_cmap_color is that same lookup, so a
 * legend, a colour bar or an SVG has the window's colours. */
#ifndef OPTISCAPE_STYLE_CMAP_H
#define OPTISCAPE_STYLE_CMAP_H

#include <stdint.h>

typedef enum style_cmap { STYLE_CMAP_VIRIDIS, STYLE_CMAP_CIVIDIS, STYLE_CMAP_LIGHT, STYLE_CMAP_COUNT } style_cmap;

/* The maps' names ("viridis", "cividis", "light"), and the map of a name (-1 when
 * it is none of them). */
const char *style_cmap_name(style_cmap cm);
int style_cmap_parse(const char *name);

/* Entries of the table the shaders read (their 1023.0 is STYLE_CMAP_LUT_N - 1). */
#define STYLE_CMAP_LUT_N 1024

/* The map itself at t in 0..1 (not clamped: callers pass table positions), as sRGB bytes. */
void style_cmap_exact(style_cmap cm, float t, uint8_t out[3]);
/* The map as the shader reads it at t (clamped to 0..1, NaN as 0): the table's nearest
 * entry, rounded like int(t * 1023.0 + 0.5). 0xRRGGBBff; an unknown map is viridis. */
uint32_t style_cmap_color(style_cmap cm, float t);
/* The level t below which iso-lines are drawn light (over the dark part of a map):
 * where the map's relative luminance crosses 0.3, in hundredths (the SVG divides by
 * 100.0, the shader's uniform is style_cmap_iso_split's float); -100 for the light
 * map (all dark). */
int style_cmap_iso_split_pct(style_cmap cm);
float style_cmap_iso_split(style_cmap cm);
/* The dark iso-lines' colour over this map (linear 0..1 floats as the shader takes
 * them), and the one colour of iso-lines drawn over nothing (no fill). */
void style_cmap_iso_dark(style_cmap cm, float rgb[3]);
extern const float style_iso_unfilled[3];

#endif
