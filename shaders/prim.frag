#version 330 core
// prim.frag: coverage from a signed distance in pixels (negative inside), with a
// one-pixel linear ramp: for an axis-aligned edge that is exactly the pixel's box
// coverage, so a 1px line on a pixel row is fully opaque on that row and absent on
// its neighbours. Output is premultiplied (blend ONE, ONE_MINUS_SRC_ALPHA).
//
// KINDS (a bit mask of the K_ values, prepended by gfx.c) compiles in only the kinds
// a draw contains: llvmpipe runs every side of a branch, so one shader for all
// kinds would make a plain rectangle pay for the star's distance function. A draw
// of a single kind needs no test at all.

#ifndef KINDS
#define KINDS 127
#endif
#define HAS(k) (((KINDS) >> (k)) & 1)
#define ONLY(k) ((KINDS) == (1 << (k)))

in vec2 v_uv;
in vec4 v_p;
in vec4 v_c0;
in vec4 v_c1;
flat in uint v_kind;

uniform sampler2D u_atlas;   // R8 glyph atlas, addressed in texels

out vec4 o_color;

const uint K_SOLID = 0u, K_TEXT = 1u, K_RRECT = 2u, K_LINE = 3u, K_POLY = 4u,
           K_MARKER = 5u, K_ARROW = 6u;

float cov(float d) { return clamp(0.5 - d, 0.0, 1.0); }
vec4 pm(vec4 c) { return vec4(c.rgb * c.a, c.a); }

float sd_box(vec2 p, vec2 b)
{
    vec2 q = abs(p) - b;
    return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0);
}

float sd_round_box(vec2 p, vec2 b, float r)
{
    return sd_box(p, b - vec2(r)) - r;
}

// Equilateral triangle pointing to -y (up on screen), centroid at the origin,
// half side r (after Inigo Quilez's exact distance).
float sd_tri(vec2 p, float r)
{
    const float k = 1.7320508;
    p.y = -p.y;
    p.x = abs(p.x) - r;
    p.y = p.y + r / k;
    if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) * 0.5;
    p.x -= clamp(p.x, -2.0 * r, 0.0);
    return -length(p) * sign(p.y);
}

// Five-pointed star, outer radius r, inner ratio rf, a point up on screen.
float sd_star5(vec2 p, float r, float rf)
{
    const vec2 k1 = vec2(0.809016994375, -0.587785252292);
    const vec2 k2 = vec2(-k1.x, k1.y);
    p.y = -p.y;
    p.x = abs(p.x);
    p -= 2.0 * max(dot(k1, p), 0.0) * k1;
    p -= 2.0 * max(dot(k2, p), 0.0) * k2;
    p.x = abs(p.x);
    p.y -= r;
    vec2 ba = rf * vec2(-k1.y, k1.x) - vec2(0.0, 1.0);
    float h = clamp(dot(p, ba) / dot(ba, ba), 0.0, r);
    return length(p - ba * h) * sign(p.y * ba.x - p.x * ba.y);
}

float sd_marker(vec2 p, float r, int shape)
{
    if (shape == 0) return length(p) - r;                               // circle
    if (shape == 1) return sd_box(p, vec2(r * 0.86));                   // square
    if (shape == 2) return (abs(p.x) + abs(p.y) - r) * 0.70710678;      // diamond
    if (shape == 3) return sd_tri(p, r * 0.95);                         // triangle up
    if (shape == 4) return sd_tri(vec2(p.x, -p.y), r * 0.95);           // triangle down
    if (shape == 5 || shape == 6) {                                     // cross, plus
        if (shape == 5) p = vec2(p.x + p.y, p.y - p.x) * 0.70710678;
        float t = max(r * 0.22, 0.75);
        return min(sd_box(p, vec2(r, t)), sd_box(p, vec2(t, r)));
    }
    if (shape == 7) return sd_star5(p, r, 0.45);                        // star
    return abs(length(p) - r * 0.75) - r * 0.25;                        // ring
}

void main()
{
    vec4 c = pm(v_c0);
    o_color = c;   // K_SOLID
#if HAS(1)
    if (ONLY(1) || v_kind == K_TEXT) {
        o_color = c * texelFetch(u_atlas, ivec2(v_uv), 0).r;
    }
#endif
#if HAS(2)
    if (ONLY(2) || v_kind == K_RRECT) {
        // p: half size, corner radius, outline width (0: filled)
        float d = sd_round_box(v_uv, v_p.xy, v_p.z);
        if (v_p.w > 0.0) d = abs(d + v_p.w * 0.5) - v_p.w * 0.5;
        o_color = c * cov(d);
    }
#endif
#if HAS(3)
    if (ONLY(3) || v_kind == K_LINE) {
        // uv: along, across; p: length, half width. Butt ends.
        float d = max(abs(v_uv.y) - v_p.y, max(-v_uv.x, v_uv.x - v_p.x));
        o_color = c * cov(d);
    }
#endif
#if HAS(4)
    if (ONLY(4) || v_kind == K_POLY) {
        // uv.x: signed distance across (exact: affine on each piece); p.x: half
        // width; p.y, p.z: distance from the start and to the end cap (large
        // away from the ends).
        float d = max(abs(v_uv.x) - v_p.x, max(-v_p.y, -v_p.z));
        o_color = c * cov(d);
    }
#endif
#if HAS(5)
    if (ONLY(5) || v_kind == K_MARKER) {
        // p: radius, shape, outline width. The outline is a band just inside the
        // shape's edge, so the marker's extent is r whatever the outline.
        float d = sd_marker(v_uv, v_p.x, int(v_p.y + 0.5));
        float all_ = cov(d);
        float inner = v_p.z > 0.0 ? cov(d + v_p.z) : all_;
        o_color = c * inner + pm(v_c1) * (all_ - inner);
    }
#endif
#if HAS(6)
    if (ONLY(6) || v_kind == K_ARROW) {
        // uv: along, across; p: length, shaft half width, head length, head half
        // width. One distance for shaft and head, so they join without a seam.
        float L = v_p.x, hl = v_p.z, hh = v_p.w;
        float shaft = max(abs(v_uv.y) - v_p.y, max(-v_uv.x, v_uv.x - (L - hl * 0.5)));
        vec2 n = normalize(vec2(hh, hl));
        float head = max(L - hl - v_uv.x, dot(vec2(v_uv.x - L, abs(v_uv.y)), n));
        o_color = c * cov(min(shaft, head));
    }
#endif
}
