#version 330 core
// surface.frag: the 3D surface's colour: the colour map and log-spaced iso-lines of
// field.frag (fieldmap.glsl's), read from the field texture a fragment at a time (finer than the
// mesh), times the light surface.vert computed. Iso-lines are a constant width in
// pixels through the screen-space derivative, and fade out where the levels crowd
// (a slope seen edge-on). WALLS (defined by surface.c for the slab's sides): the
// colour map up their height, darkened from u_wall.x at the floor to u_wall.y at
// the top, so the slab reads as a cut through the landscape.

#ifndef WALLS
#define WALLS 0
#endif

in vec2 v_tc;
in float v_t;
in float v_shade;
in float v_spec;

uniform sampler2D u_field;
uniform sampler2D u_lut;
uniform float u_vmin;
uniform float u_floor;
uniform int u_log;
uniform float u_umin;
uniform float u_uscale;
uniform float u_iso_inv;      // 0: no iso-lines
uniform float u_iso_step;
uniform float u_iso_width;
uniform float u_iso_alpha;
uniform float u_iso_split;
uniform vec3 u_iso_dark;
uniform vec3 u_iso_light;
uniform vec2 u_wall;

out vec4 o_color;

void main()
{
#if WALLS
    vec3 c = cmap_lut(u_lut, v_t) * mix(u_wall.x, u_wall.y, v_t);
#else
    float v = texture(u_field, v_tc).r;
    float u = fieldmap_u(v, u_vmin, u_floor, u_log);
    vec3 c = cmap_lut(u_lut, fieldmap_traw(u, u_umin, u_uscale));
    if (u_iso_inv > 0.0) {
        float f = u * u_iso_inv;
        float fw = length(vec2(dFdx(f), dFdy(f)));
        vec3 lc = fieldmap_level_t(f, u_iso_step, u_umin, u_uscale) < u_iso_split ? u_iso_light : u_iso_dark;
        c = mix(c, lc, fieldmap_iso_cover(f, fw, u_iso_width, u_iso_alpha));
    }
    // where the loss is not a number (the field's third channel): neutral grey,
    // GFX_UNDEFINED_GREY (0x7a7e86), as on the map; never a colour of the map
    float und = texture(u_field, v_tc).b;
    c = mix(c, vec3(0.478, 0.494, 0.525), smoothstep(0.35, 0.65, und));
#endif
    o_color = vec4(c * v_shade + vec3(v_spec), 1.0);
}
