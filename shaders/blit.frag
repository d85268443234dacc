#version 330 core
// blit.frag: copies the cached, already shaded field (a texture the size of the
// framebuffer, premultiplied) pixel for pixel. With field.vert's quad over the same
// rectangle it covers exactly the pixels the field program would have, so a cached
// frame is bit-identical to a freshly shaded one.

uniform sampler2D u_tex;

out vec4 o_color;

void main()
{
    o_color = texelFetch(u_tex, ivec2(gl_FragCoord.xy), 0);
}
