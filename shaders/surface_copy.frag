#version 330 core
// surface_copy.frag: lays the 3D surface's picture (surface.c's own buffer) over
// the canvas: u_src is the part of the buffer that holds it, in texture
// coordinates, stretched over field.vert's rectangle. At full size that is pixel
// for pixel; a draft, drawn at half size while the camera moves, is scaled up.

in vec2 v_px;
in vec2 v_tc;

uniform sampler2D u_tex;
uniform vec4 u_src;

out vec4 o_color;

void main()
{
    o_color = texture(u_tex, u_src.xy + v_tc * u_src.zw);
}
