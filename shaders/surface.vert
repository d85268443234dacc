#version 330 core
// surface.vert: the loss field as a height field, for the 3D view. No vertex
// buffer: vertex k of an n x n grid comes from gl_VertexID (an index buffer makes
// the triangles). Its height is the field mapped exactly as the colour map maps it
// (fieldmap.glsl: log10 above vmin plus a floor, normalized to 0..1) times u_height, so the
// valleys the colour map shows are the valleys of the surface; its normal comes
// from central differences one grid step apart. u_mode 1 draws the slab's four
// sides instead: vertex pairs (top on the surface's edge, bottom on the floor).
// The light is computed here, a vertex at a time (ambient, Lambert from u_light, a
// small Blinn-Phong highlight towards the camera): on software GL a fragment is
// the expensive part, and the mesh is fine enough for the light to be smooth.

uniform mat4 u_mvp;
uniform vec4 u_box;       // grid [0,1]^2 -> box x0, y0, sx, sy
uniform vec4 u_tc;        // grid [0,1]^2 -> field texture u0, v0, du, dv
uniform int u_n;          // vertices a side
uniform int u_mode;       // 0 surface, 1 walls
uniform float u_floor_z;  // box z of the slab's bottom
uniform sampler2D u_field;
uniform float u_vmin;
uniform float u_floor;
uniform int u_log;
uniform float u_umin;
uniform float u_uscale;
uniform float u_height;
uniform vec3 u_eye;
uniform vec3 u_light;

out vec2 v_tc;
out float v_t;            // walls: the colour map's t up the side (0 at the floor)
out float v_shade;        // ambient + diffuse
out float v_spec;

float mapped_t(vec2 tc)
{
    float v = textureLod(u_field, tc, 0.0).r;
    return clamp(fieldmap_traw(fieldmap_u(v, u_vmin, u_floor, u_log), u_umin, u_uscale), 0.0, 1.0);
}

void main()
{
    float fn = float(u_n - 1);
    vec2 g;
    float top = 1.0;
    vec3 n = vec3(0.0, 0.0, 1.0);
    if (u_mode == 0) {
        g = vec2(float(gl_VertexID % u_n), float(gl_VertexID / u_n)) / fn;
    } else {
        int id = gl_VertexID;
        int bottom = id & 1;
        int k = (id >> 1) % u_n, s = (id >> 1) / u_n;
        float f = float(k) / fn;
        if (s == 0)      { g = vec2(f, 0.0);       n = vec3(0.0, -1.0, 0.0); }
        else if (s == 1) { g = vec2(1.0, f);       n = vec3(1.0, 0.0, 0.0); }
        else if (s == 2) { g = vec2(1.0 - f, 1.0); n = vec3(0.0, 1.0, 0.0); }
        else             { g = vec2(0.0, 1.0 - f); n = vec3(-1.0, 0.0, 0.0); }
        top = float(1 - bottom);
    }
    vec2 tc = u_tc.xy + g * u_tc.zw;
    float t = mapped_t(tc);
    vec3 p = vec3(u_box.xy + g * u_box.zw, mix(u_floor_z, t * u_height, top));
    float shine = 0.3;
    if (u_mode == 0) {
        vec2 dt = u_tc.zw / fn;
        float hx = (mapped_t(tc + vec2(dt.x, 0.0)) - mapped_t(tc - vec2(dt.x, 0.0))) * u_height /
                   (2.0 * u_box.z / fn);
        float hy = (mapped_t(tc + vec2(0.0, dt.y)) - mapped_t(tc - vec2(0.0, dt.y))) * u_height /
                   (2.0 * u_box.w / fn);
        n = normalize(vec3(-hx, -hy, 1.0));
        shine = 1.0;
    }
    vec3 l = normalize(u_light);
    vec3 e = normalize(u_eye - p);
    v_shade = 0.5 + 0.62 * max(dot(n, l), 0.0);
    v_spec = pow(max(dot(n, normalize(l + e)), 0.0), 40.0) * 0.18 * shine;
    v_tc = tc;
    v_t = top * t;
    gl_Position = u_mvp * vec4(p, 1.0);
}
