#version 330 core
// points.frag: a disc of radius u_r with a one-pixel coverage ramp, premultiplied.

uniform float u_r;
uniform vec4 u_color;   // straight alpha

out vec4 o_color;

void main()
{
    vec2 p = (gl_PointCoord * 2.0 - 1.0) * (u_r + 1.0);
    float a = clamp(0.5 - (length(p) - u_r), 0.0, 1.0);
    o_color = vec4(u_color.rgb * u_color.a, u_color.a) * a;
}
