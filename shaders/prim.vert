#version 330 core
// prim.vert: every batched primitive (rects, lines, polylines, arrows, markers,
// glyphs) arrives as pixel-space triangles with local coordinates for the
// fragment shader's distance-based coverage.

layout(location = 0) in vec2 a_pos;   // pixels, top-left origin, y down
layout(location = 1) in vec2 a_uv;    // local coordinates (meaning depends on kind)
layout(location = 2) in vec4 a_p;     // per-kind parameters
layout(location = 3) in vec4 a_c0;    // straight-alpha colours
layout(location = 4) in vec4 a_c1;
layout(location = 5) in uint a_kind;

uniform vec2 u_fb;          // framebuffer size in pixels

out vec2 v_uv;
out vec4 v_p;
out vec4 v_c0;
out vec4 v_c1;
flat out uint v_kind;

void main()
{
    v_uv = a_uv;
    v_p = a_p;
    v_c0 = a_c0;
    v_c1 = a_c1;
    v_kind = a_kind;
    gl_Position = vec4(a_pos.x * 2.0 / u_fb.x - 1.0, 1.0 - a_pos.y * 2.0 / u_fb.y, 0.0, 1.0);
}
