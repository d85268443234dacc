#!/bin/sh
# Builds the browser edition: the dependency sysroot (once; tools/web-sysroot.sh), then
# the meson cross build of the same sources to WebAssembly.
#
#   tools/web-build.sh [--test] [BUILD_DIR]     (BUILD_DIR defaults to build-web)
#
# --test also runs the build's tests as wasm under node (meson test).
# Extra meson options can be given in WEB_MESON_ARGS (e.g. -Dweb_threads=true).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TEST=0
if [ "${1:-}" = "--test" ]; then TEST=1; shift; fi
BUILD=${1:-$ROOT/build-web}
DEPS=${WEB_DEPS_DIR:-$ROOT/build-web-deps}

"$ROOT/tools/web-sysroot.sh" "$DEPS"

if [ ! -f "$BUILD/build.ninja" ]; then
    # shellcheck disable=SC2086
    meson setup "$BUILD" "$ROOT" --cross-file "$DEPS/sysroot.ini" \
        --cross-file "$ROOT/cross/wasm32-emscripten.ini" \
        --buildtype=release -Db_lto=false -Dwerror=true ${WEB_MESON_ARGS:-}
fi
ninja -C "$BUILD"
if [ $TEST = 1 ]; then
    meson test -C "$BUILD" --print-errorlogs
fi
