#version 330 core
// points.vert: swarms of round points as GL_POINTS, one 8-byte vertex a particle;
// the point sprite is the quad, so the rasterizer does the expansion.

layout(location = 0) in vec2 a_pos;   // pixels, top-left origin, y down

uniform vec2 u_fb;
uniform float u_r;

void main()
{
    gl_Position = vec4(a_pos.x * 2.0 / u_fb.x - 1.0, 1.0 - a_pos.y * 2.0 / u_fb.y, 0.0, 1.0);
    gl_PointSize = 2.0 * (u_r + 1.0);   // one pixel of margin for the AA edge
}
