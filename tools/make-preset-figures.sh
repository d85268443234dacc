#!/usr/bin/env bash
# The lesson presets' pictures for the README (docs/presets/NAME.png, one per
# assets/scenes/NAME.scene), made by optiscape itself from the scene files.
# Usage: tools/make-preset-figures.sh [BUILD_DIR]
# A scene's "# figure-steps: N" comment sets how many steps its picture shows (the
# window itself always starts a preset at step 0); without it render's default is used.
# --scale 0.75: text and marks as on a 1000-px-wide figure, so the legend, the chart and
# the two caption lines fit in 800 px.
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build}/optiscape
out=docs/presets
mkdir -p "$out"
for f in assets/scenes/*.scene; do
    name=$(basename "$f" .scene)
    steps=$(sed -n 's/^# figure-steps: *\([0-9][0-9]*\).*/\1/p' "$f" | head -n 1)
    # scenes that open a view of their own get that view's picture
    if grep -q '^basins *= *on' "$f"; then
        "$bin" basins --scene "$f" --size 800x500 --out "$out/$name.png" --force
    elif grep -q '^init *= *on' "$f"; then
        "$bin" init --png "$out/$name.png" --size 800x500 --force >/dev/null
    else
        threed=""
        grep -q '^view3d *= *on' "$f" && threed="--3d"
        "$bin" render --scene "$f" ${steps:+--steps "$steps"} $threed --size 800x500 --scale 0.75 \
            --out "$out/$name.png" --force
    fi
done
ls -la "$out"
