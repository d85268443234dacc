#!/usr/bin/env bash
# optiscape render against its matplotlib peer (tools/bench_mpl_render.py), side by
# side: the Rosenbrock figure with six runners of 300 steps at 1600x1000, written as
# PNG. Wall clock of each whole process (start-up included), median of N runs.
# Usage: tools/bench-render.sh [BUILD_DIR] [N]   (needs Debian's python3-matplotlib)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ours=() peer=()
for i in $(seq "$n"); do
  t=$(now)
  "$build/optiscape" render --landscape rosenbrock --start -1.2,1 --view -2,2,-1,3 --steps 300 \
    --optimizer sgd:lr=0.001 --optimizer sgd:lr=0.001,momentum=0.9 \
    --optimizer sgd:lr=0.001,momentum=0.9,nesterov=1 --optimizer rmsprop:lr=0.01 \
    --optimizer adam:lr=0.05 --optimizer adam:lr=0.1,beta1=0.5 \
    --size 1600x1000 --out "$tmp/optiscape.png" --force
  ours+=("$(echo "$(now) - $t" | bc)")
  t=$(now)
  /usr/bin/python3 tools/bench_mpl_render.py "$tmp/mpl.png" >/dev/null
  peer+=("$(echo "$(now) - $t" | bc)")
done
mo=$(printf '%s\n' "${ours[@]}" | median)
mp=$(printf '%s\n' "${peer[@]}" | median)
printf 'render 1600x1000, rosenbrock, 6 runners x 300 steps, median of %d runs (wall clock)\n' "$n"
printf '  optiscape render   %.3f s\n  matplotlib peer    %.3f s\n  ratio              %.1fx faster\n' \
  "$mo" "$mp" "$(echo "$mp / $mo" | bc -l)"
