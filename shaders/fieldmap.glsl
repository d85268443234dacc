// fieldmap.glsl: the field's log mapping, its iso-lines and the colour map's table,
// written once for the shaders; gl_program.c puts it in front of every shader (after
// the defines), so field.frag, surface.vert and surface.frag call these instead of
// keeping copies. The CPU side is src/style/fieldmap.c and src/style/cmap.c; tests/
// test_style.c checks that the two agree pixel for pixel. No derivatives here (a
// vertex shader uses it too): the callers pass the levels per pixel.

// u = log10(v - vmin + floor), the argument clamped below at 1e-30 (FIELDMAP_ARG_MIN);
// through log2, which is what the hardware (and llvmpipe) has. Without log: v itself.
float fieldmap_u(float v, float vmin, float floor_, int log_)
{
    return log_ != 0 ? log2(max(v - vmin + floor_, 1e-30)) * 0.30102999566398120 : v;
}

// t of the mapped u, 0 at vmin and 1 at vmax, not clamped (the hillshade's slope
// needs it unclamped). uscale is 1 / (umax - umin).
float fieldmap_traw(float u, float umin, float uscale)
{
    return (u - umin) * uscale;
}

// The colour map at t (clamped to 0..1) from its table of 1024 entries
// (STYLE_CMAP_LUT_N) at the nearest one, exactly as style_cmap_color computes it.
vec3 cmap_lut(sampler2D lut, float t)
{
    return texelFetch(lut, ivec2(int(clamp(t, 0.0, 1.0) * 1023.0 + 0.5), 0), 0).rgb;
}

// Coverage of the iso-line nearest to f (u in levels, f = u / iso_step) with fw levels
// a pixel: width pixels wide at any zoom, fading out where the levels crowd (more
// than ~1/4 level a pixel) instead of aliasing into mush; 0 where fw is not finite.
float fieldmap_iso_cover(float f, float fw, float width, float alpha)
{
    float dpx = abs(fract(f + 0.5) - 0.5) / max(fw, 1e-20);
    float a = clamp(width * 0.5 + 0.5 - dpx, 0.0, 1.0);
    a *= 1.0 - smoothstep(0.25, 0.5, fw);
    return fw < 1e20 ? a * alpha : 0.0;
}

// t of the iso level nearest to f (for choosing the line's colour).
float fieldmap_level_t(float f, float iso_step, float umin, float uscale)
{
    return fieldmap_traw(floor(f + 0.5) * iso_step, umin, uscale);
}
