#!/usr/bin/env bash
# The planes of the batch-normalization presets (assets/scenes/35-bn-off.plane and
# 36-bn-on.plane), made by optiscape itself: one hidden unit's two input weights
# (parameters 0 and 1) of mlp:2,1,1,act=linear,loss=mse on moons whose first input is
# 3 times the second's scale (xscale=3), without and with BN before the activation.
# The centre has both weights 0, so the plane's (a, b) are the weights themselves and
# its origin is the weight vector's; the output layer is 0.5 h + 0.5 (BN: gamma 1,
# beta 0, running mean 0, running variance 1). Deterministic: the same files each run.
# Usage: tools/make-bn-planes.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build}/optiscape
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=moons:n=200,xscale=3,seed=1
# state_dict order: weight (2), bias, [BN weight, bias, running_mean, running_var], out weight, out bias
printf '0\n0\n0\n0.5\n0.5\n' > "$tmp/off.init"
printf '0\n0\n0\n1\n0\n0\n1\n0.5\n0.5\n' > "$tmp/on.init"
"$bin" net slice --net mlp:2,1,1,act=linear,loss=mse --data "$data" --init "$tmp/off.init" \
    --dir params:0,1 --range 2 --grid 3 --plane-out assets/scenes/35-bn-off.plane --force >/dev/null
"$bin" net slice --net mlp:2,1,1,act=linear,bn=before,loss=mse --data "$data" --init "$tmp/on.init" \
    --dir params:0,1 --range 2 --grid 3 --plane-out assets/scenes/36-bn-on.plane --force >/dev/null
ls -la assets/scenes/35-bn-off.plane assets/scenes/36-bn-on.plane
