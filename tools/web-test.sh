#!/bin/sh
# Builds the browser edition and tests it: its pure-C tests as wasm under node, then
# the page in headless Chromium (web/test_page.js), served from 127.0.0.1.
#
#   tools/web-test.sh [NATIVE_OPTISCAPE] [BUILD_DIR]
#
# NATIVE_OPTISCAPE (default build/optiscape) is the native binary whose trace and
# render the page is compared with. puppeteer-core and pngjs (web/package.json) are
# installed from npm once into build-web-deps/node. Needs chromium (Debian's).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
NATIVE=${1:-$ROOT/build/optiscape}
BUILD=${2:-$ROOT/build-web}
DEPS=${WEB_DEPS_DIR:-$ROOT/build-web-deps}
[ -x "$NATIVE" ] || { echo "web-test: no native optiscape at $NATIVE (build it, or name it)" >&2; exit 1; }
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
[ -n "$CHROMIUM" ] || { echo "web-test: chromium not found (apt-get install chromium)" >&2; exit 1; }

"$ROOT/tools/web-build.sh" "$BUILD"
# the pure-C tests as wasm; the page's tests run whatever they say
rc=0
meson test -C "$BUILD" --print-errorlogs || rc=1

NODE_DIR=$DEPS/node
mkdir -p "$NODE_DIR"
if ! cmp -s "$ROOT/web/package.json" "$NODE_DIR/package.json" || [ ! -d "$NODE_DIR/node_modules/puppeteer-core" ]; then
    cp "$ROOT/web/package.json" "$NODE_DIR/package.json"
    (cd "$NODE_DIR" && npm install --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$BUILD/test-page"
# the page's result as one record of meson's testlog.json, so that a summary counting
# meson's logs (tools/test-all.sh) counts it too
LOG=$BUILD/test-page/meson-logs
mkdir -p "$LOG"
rm -f "$LOG/testlog.json"
start=$(date +%s)
page=OK
CHROMIUM=$CHROMIUM NODE_PATH=$NODE_DIR/node_modules \
    node "$ROOT/web/test_page.js" "$BUILD/site" "$NATIVE" "$ROOT/assets/scenes" "$BUILD/test-page" \
    >"$LOG/page.out" 2>&1 || page=FAIL
cat "$LOG/page.out"
[ $page = OK ] || rc=1
python3 - "$LOG/page.out" "$page" $(( $(date +%s) - start )) >"$LOG/testlog.json" <<'PY'
import json, sys
out = open(sys.argv[1], errors="replace").read()
print(json.dumps({"name": "browser page (web/test_page.js)", "result": sys.argv[2],
                  "duration": float(sys.argv[3]), "stdout": out[-4000:], "stderr": ""}))
PY
exit $rc
