#!/bin/sh
# Builds the browser edition: the dependency sysroot (once; tools/web-sysroot.sh), then
# the meson cross build of the same sources to WebAssembly.
#
#   tools/web-build.sh [--test] [BUILD_DIR]     (BUILD_DIR defaults to build-web)
#
# BUILD_DIR/site is then the static folder to serve (index.html, page.js, optiscape.js,
# .wasm and .data): any static web server, e.g. python3 -m http.server -d BUILD_DIR/site
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
# the presets are listed when meson configures (web/meson.build): one added or
# removed since asks for a new configuration, so that the data file holds them all
LIST=$(ls "$ROOT/assets/scenes")
if [ -f "$BUILD/scenes.list" ] && [ "$(cat "$BUILD/scenes.list")" != "$LIST" ]; then
    meson setup --reconfigure "$BUILD" "$ROOT"
fi
ninja -C "$BUILD"
printf '%s\n' "$LIST" >"$BUILD/scenes.list"
# the static folder: the page, its glue and the program
SITE=$BUILD/site
rm -rf "$SITE.tmp"
mkdir -p "$SITE.tmp"
for f in index.html page.js optiscape.js optiscape.wasm optiscape.data; do
    cp "$BUILD/web/$f" "$SITE.tmp/"
done
rm -rf "$SITE"
mv "$SITE.tmp" "$SITE"
echo "web-build: $SITE ($(cat "$SITE"/* | wc -c) bytes, $(for f in "$SITE"/*; do gzip -9c "$f"; done | wc -c) gzipped)"
if [ $TEST = 1 ]; then
    meson test -C "$BUILD" --print-errorlogs
fi
