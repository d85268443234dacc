#!/usr/bin/env bash
# The whole test suite, headless, from a fresh Debian/Ubuntu machine: installs the
# dependencies, builds twice (release with warnings as errors; AddressSanitizer +
# UndefinedBehaviorSanitizer, with a longer fuzz run), runs every meson test in both,
# then builds the browser edition (WebAssembly; its dependency sysroot is cached in
# build-web-deps/), runs its C tests as wasm under node and its page in headless
# Chromium against the release binary, and ends with one line "N passed, N failed"
# counted from the test logs. OPTISCAPE_SKIP_WEB=1 leaves the browser edition out.
set -u
cd "$(dirname "$0")/.."

DEPS="build-essential meson ninja-build pkg-config python3 libsdl2-dev libsdl2-ttf-dev libcglm-dev
      libepoxy-dev libpng-dev libgl1-mesa-dri libegl-mesa0 libegl1 xvfb xauth xdotool"
# the browser edition: emscripten, the sources of its dependencies (apt-get source),
# cmake for them, and Chromium for the page's tests
WEB_DEPS="emscripten cmake chromium dpkg-dev xz-utils"
WEB=1
[ "${OPTISCAPE_SKIP_WEB:-0}" = 1 ] && WEB=0
if [ "${OPTISCAPE_SKIP_INSTALL:-0}" != 1 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >/dev/null || { echo "apt-get update failed"; exit 1; }
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -q $DEPS >/dev/null || { echo "apt-get install failed"; exit 1; }
  if [ $WEB = 1 ]; then
    # node and npm may come from elsewhere than Debian (a newer node bundles npm)
    command -v node >/dev/null || WEB_DEPS="$WEB_DEPS nodejs"
    command -v npm >/dev/null || WEB_DEPS="$WEB_DEPS npm"
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -q $WEB_DEPS >/dev/null || { echo "apt-get install (browser edition) failed"; exit 1; }
  fi
fi

export SDL_VIDEODRIVER=offscreen
# the GL tests may skip (exit 77) on a machine with no GL at all; here Mesa is installed, so a skip is a failure
export OPTISCAPE_REQUIRE_GL=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0

run_suite() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" || return 1
  else
    meson configure "$dir" "$@" >/dev/null || return 1
  fi
  ninja -C "$dir" || return 1
  rm -f "$dir/meson-logs/testlog.json"
  meson test -C "$dir" --print-errorlogs --num-processes 2
}

echo "== release build, -Wall -Wextra -Werror"
run_suite build-ci --buildtype=release -Dwerror=true -Dfuzz_seconds=5 || status=1
echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
run_suite build-san --buildtype=debugoptimized -Dwerror=true -Db_sanitize=address,undefined \
  -Db_lundef=false -Dfuzz_seconds=60 || status=1

LOGS="build-ci build-san"
if [ $WEB = 1 ]; then
  echo "== browser edition: WebAssembly build, its tests under node, the page in headless Chromium"
  # its own environment: the page's Chromium needs no SDL driver or GL requirement
  env -u SDL_VIDEODRIVER -u OPTISCAPE_REQUIRE_GL tools/web-test.sh build-ci/optiscape build-web-ci || status=1
  LOGS="$LOGS build-web-ci build-web-ci/test-page"
fi

# Count from the machine-readable logs of every run.
# shellcheck disable=SC2086
python3 - $LOGS <<'PY'
import json, sys, os
passed = failed = skipped = 0
for d in sys.argv[1:]:
    path = os.path.join(d, "meson-logs", "testlog.json")
    if not os.path.exists(path):
        failed += 1          # a build that never got to its tests counts as a failure
        continue
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        r = json.loads(line).get("result", "")
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
            # named again here, at the end, where a log cut to its tail still shows it
            rec = json.loads(line)
            text = (rec.get("stdout") or "") + "\n" + (rec.get("stderr") or "")
            tail = [l for l in text.splitlines() if l.strip()][-6:]
            print(f"FAILED {d}: {rec.get('name')} ({r}, {rec.get('duration', 0):.0f} s)")
            for l in tail:
                print("    " + l[:400])
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
[ $? -ne 0 ] && status=1
exit $status
