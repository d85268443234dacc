#!/usr/bin/env python3
"""The include graph of src/ points down the layers only (DESIGN.md "Layers").

Each folder may include its own headers and those of the folders listed for it; a
quoted include that reaches anywhere else (a layer above, or a sibling it must not
know) fails with FILE:LINE. System headers are checked for the layers that must stay
free of SDL and GL. The compiler enforces most of this through meson's dependencies;
this test also catches an include that happens to compile (a header-only use)."""
import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")

# folder -> the folders its files may include (besides itself)
ALLOWED = {
    "core": [],
    "ui": [],
    "style": [],
    "scene": ["core", "style"],
    "render": ["style", "ui"],      # ui_draw: the ui's command list drawn with gfx
    "app/views": ["core", "style", "scene", "render", "ui"],
    "app/export": ["core", "style", "scene", "render", "app/views", "app/platform", "app"],
    "app/platform": ["render"],
    "app/cmd": ["core", "style", "scene", "render", "ui", "app/views", "app/export", "app/platform", "app"],
    "app/window": ["core", "style", "scene", "render", "ui", "app/views", "app/export", "app/platform", "app"],
    "app": ["core", "style", "scene", "render", "ui", "app/views", "app/export", "app/platform",
            "app/window", "app/cmd"],
}
# the shared command-line plumbing at app/ may not reach the window or the commands
APP_ROOT_FORBIDDEN = {"cli.c", "cli.h", "scene_setup.c", "scene_setup.h", "progress.c", "progress.h"}
NO_SDL_GL = {"core", "ui", "style", "scene"}
SYSTEM_BANNED = re.compile(r"#\s*include\s*<(SDL|epoxy/|GL/|GLES|EGL/)")
QUOTED = re.compile(r'#\s*include\s*"([^"]+)"')


def main():
    bad = 0
    checked = 0
    for root, _, files in os.walk(SRC):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, SRC)
            layer = os.path.dirname(rel)
            if layer not in ALLOWED:
                print(f"{rel}: folder '{layer}' is not in the layer table")
                bad += 1
                continue
            with open(path, encoding="utf-8") as fh:
                for n, line in enumerate(fh, 1):
                    checked += 1
                    if layer in NO_SDL_GL and SYSTEM_BANNED.search(line):
                        print(f"{rel}:{n}: {layer} may not include SDL or GL: {line.strip()}")
                        bad += 1
                    m = QUOTED.search(line)
                    if not m:
                        continue
                    inc = m.group(1)
                    if "/" not in inc:       # a header beside the file, or the build's config
                        continue
                    target = os.path.dirname(inc)
                    allowed = [layer] + ALLOWED[layer]
                    if layer == "app" and f in APP_ROOT_FORBIDDEN:
                        allowed = [a for a in allowed if a not in ("app/window", "app/cmd", "app/export")]
                    if target not in allowed:
                        print(f"{rel}:{n}: {layer} includes {inc}, a layer it may not reach")
                        bad += 1
    print(f"test_layers: {checked} lines read, {bad} include(s) against the layers")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
