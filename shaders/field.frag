#version 330 core
// field.frag: the loss field as a contour map. Cheap enough for a full-HD window on
// llvmpipe: one bilinear fetch of the RG32F field (loss, largest Hessian
// eigenvalue), one unfiltered fetch from the colour-map table, a log and a few
// operations. The optional parts are compiled in or out (gfx.c prepends ISO, HILL,
// STAB defines) because llvmpipe runs both sides of a branch, even on a uniform.
//   mapping, colour map, iso-lines: fieldmap.glsl's (prepended by gl_program.c),
//     so the CPU's style/ computes the same colours; the iso-lines' levels per
//     pixel come from the screen-space derivative here;
//   hillshade: a soft relief from the screen-space slope of the normalized value;
//   stability: red hatching where stab_lr * lmax > 2, with its boundary line;
//   undefined: where the loss is not a number (the field's third channel, its
//     coverage once filtered) neutral grey with darker hatching, never a colour
//     of the map.

#ifndef ISO
#define ISO 1
#endif
#ifndef HILL
#define HILL 1
#endif
#ifndef STAB
#define STAB 1
#endif

in vec2 v_px;
in vec2 v_tc;

uniform sampler2D u_field;
uniform sampler2D u_lut;     // 1024 x 1 RGBA8
uniform int u_has_field;
uniform float u_vmin;
uniform float u_floor;
uniform int u_log;
uniform float u_umin;        // mapped coordinate at vmin, and 1 / (umax - umin)
uniform float u_uscale;
uniform float u_iso_inv;     // 1 / iso_step
uniform float u_iso_step;
uniform float u_iso_width;
uniform float u_iso_alpha;
uniform float u_iso_split;   // levels below this t get light lines, above dark ones
uniform vec3 u_iso_dark;
uniform vec3 u_iso_light;
uniform float u_stab_lr;     // 0: off
uniform int u_fill;          // 0: iso-lines alone over what is there (transparent figures)
uniform vec4 u_bg;           // straight alpha
uniform vec3 u_undef;        // undefined: grey and its hatching (GFX_UNDEFINED_*)
uniform vec3 u_undef_hatch;

out vec4 o_color;

void main()
{
    vec2 tc = v_tc;
    vec3 s3 = texture(u_field, tc).rgb;
    vec2 s = s3.rg;

    float u = fieldmap_u(s.r, u_vmin, u_floor, u_log);
    float traw = fieldmap_traw(u, u_umin, u_uscale);
    vec3 c = cmap_lut(u_lut, traw);

#if HILL
    {
        // Height = normalized value times a relief of ~200 px; light from the upper
        // left (window y is up here). Kept subtle: within -15% .. +10%.
        vec2 gt = vec2(dFdx(traw), dFdy(traw));
        vec3 n = normalize(vec3(-gt * 200.0, 1.0));
        const vec3 L = vec3(-0.57735027, 0.57735027, 0.57735027);
        float sh = dot(n, L) / L.z;
        c *= clamp(mix(1.0, sh, 0.3), 0.85, 1.1);
    }
#endif

    float ia = 0.0;              // iso-line coverage and colour, kept for u_fill = 0
    vec3 lc = vec3(0.0);
#if ISO
    {
        float f = u * u_iso_inv;
        float fw = length(vec2(dFdx(f), dFdy(f)));   // levels per pixel
        lc = fieldmap_level_t(f, u_iso_step, u_umin, u_uscale) < u_iso_split ? u_iso_light : u_iso_dark;
        ia = fieldmap_iso_cover(f, fw, u_iso_width, u_iso_alpha);
        c = mix(c, lc, ia);
    }
#endif

#if STAB
    {
        float x = u_stab_lr * s.g - 2.0;
        float xw = length(vec2(dFdx(x), dFdy(x)));
        float sd = x / max(xw, 1e-20);          // pixels into the unstable region
        float inside = clamp(sd + 0.5, 0.0, 1.0);
        const float sp = 7.0;                   // hatch spacing, pixels
        float h = abs(fract((v_px.x + v_px.y) / sp) - 0.5) * sp * 0.70710678;
        float ha = clamp(0.7 + 0.5 - h, 0.0, 1.0) * inside * 0.45;
        float ba = clamp(0.6 + 0.5 - abs(sd), 0.0, 1.0) * 0.85;
        const vec3 red = vec3(0.86, 0.11, 0.10);
        c = mix(c, red, xw < 1e20 ? max(ha, ba) : 0.0);
    }
#endif

    {
        // undefined: coverage from the filtered mask, sharp over about a pixel
        float uw = max(length(vec2(dFdx(s3.b), dFdy(s3.b))), 1e-6);
        float cov = clamp((s3.b - 0.5) / uw + 0.5, 0.0, 1.0);
        const float sp = 8.0;
        float h = abs(fract((v_px.x - v_px.y) / sp) - 0.5) * sp * 0.70710678;
        float ha = clamp(0.8 + 0.5 - h, 0.0, 1.0);
        c = mix(c, mix(u_undef, u_undef_hatch, ha), cov);
        ia *= 1.0 - cov;
    }

    bool in_tex = u_has_field != 0 && tc.x >= 0.0 && tc.x <= 1.0 && tc.y >= 0.0 && tc.y <= 1.0;
    vec4 inside = u_fill != 0 ? vec4(c, 1.0) : vec4(lc * ia, ia);
    o_color = in_tex ? inside : vec4(u_bg.rgb * u_bg.a, u_bg.a);
}
