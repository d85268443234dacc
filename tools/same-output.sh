#!/usr/bin/env bash
# Records what a build of optiscape prints and draws for every preset, so that a
# refactoring can be checked to change nothing:
#   tools/same-output.sh BINARY OUTDIR        record into OUTDIR
#   cmp -r OLD NEW  (or: tools/same-output.sh --compare OLD NEW)
# Per preset: trace CSV, render PNG and SVG (1024x768), and window screenshots after
# 40 deterministic frames at 1024x768 and 1920x1080, plain and in class mode. Plus
# critical points of every built-in landscape and the lists.
set -u
if [ "${1:-}" = --compare ]; then
  old=$2 new=$3 bad=0 n=0
  for f in "$old"/*; do
    n=$((n + 1))
    b=$(basename "$f")
    if [ ! -e "$new/$b" ]; then echo "missing: $b"; bad=$((bad + 1)); continue; fi
    case $b in
      *.png)  # pixels only: the metadata carries the time
        [ "$(convert "$f" rgba:- | md5sum)" = "$(convert "$new/$b" rgba:- | md5sum)" ] ||
          { echo "differs: $b"; bad=$((bad + 1)); } ;;
      *) cmp -s "$f" "$new/$b" || { echo "differs: $b"; bad=$((bad + 1)); } ;;
    esac
  done
  echo "$((n - bad)) of $n outputs identical"
  [ "$bad" -eq 0 ]
  exit
fi
bin=$(readlink -f "$1") out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
export SDL_VIDEODRIVER=offscreen
for s in "$here"/assets/scenes/*.scene; do
  p=$(basename "$s" .scene)
  "$bin" trace --scene "$s" --steps 300 > "$out/$p.trace.csv" 2> "$out/$p.trace.err"
  echo "rc=$?" >> "$out/$p.trace.err"
  "$bin" render --scene "$s" --steps 200 --size 1024x768 --out "$out/$p.render.png" --force > /dev/null 2> "$out/$p.render.err"
  "$bin" render --scene "$s" --steps 200 --size 1024x768 --out "$out/$p.render.svg" --force > /dev/null 2>> "$out/$p.render.err"
  for sz in 1024x768 1920x1080; do
    "$bin" --scene "$s" --size $sz --frames 40 --screenshot "$out/$p.win-$sz.png" --force --print-state \
      > "$out/$p.win-$sz.state" 2> /dev/null
    "$bin" --scene "$s" --class --size $sz --frames 40 --screenshot "$out/$p.class-$sz.png" --force \
      > /dev/null 2> /dev/null
  done
done
"$bin" list landscapes > "$out/list-landscapes.txt"
"$bin" list optimizers > "$out/list-optimizers.txt"
"$bin" list schedules > "$out/list-schedules.txt"
"$bin" list landscapes | awk '/^[a-z]/ {print $1}' | while read -r l; do
  [ -n "$l" ] && "$bin" critical --landscape "$l" > "$out/critical-$l.csv" 2>&1
done
echo "recorded $(ls "$out" | wc -l) outputs in $out"
