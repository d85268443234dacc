#version 330 core
// field.vert: one quad over the clip rectangle, made from gl_VertexID (no vertex
// buffer). The texture coordinate is affine in the pixel position, so it is
// computed here once a corner rather than once a pixel.

uniform vec2 u_fb;     // framebuffer size in pixels
uniform vec4 u_rect;   // x, y, w, h in pixels, top-left origin
uniform vec4 u_dst;    // the rect the texture is stretched over (row 0 at its bottom)

out vec2 v_px;
out vec2 v_tc;

void main()
{
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));
    v_px = u_rect.xy + corner * u_rect.zw;
    v_tc = vec2((v_px.x - u_dst.x) / u_dst.z, 1.0 - (v_px.y - u_dst.y) / u_dst.w);
    gl_Position = vec4(v_px.x * 2.0 / u_fb.x - 1.0, 1.0 - v_px.y * 2.0 / u_fb.y, 0.0, 1.0);
}
