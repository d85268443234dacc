#!/usr/bin/env bash
# The README's figures, made by optiscape itself. Usage: tools/make-figures.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build}/optiscape
out=docs/figures
mkdir -p "$out"
# render with the figures' default size unless the call gives its own (render takes --size once)
r() {
    case " $* " in *" --size "*) "$bin" render --force "$@" ;; *) "$bin" render --force --size 1000x625 "$@" ;; esac
}

# five optimizers racing down Rosenbrock's valley (the window's default scene)
r --landscape rosenbrock --steps 400 --out "$out/race.png"
# Himmelblau: four minima, four saddles with the way out, one maximum (print theme)
r --landscape himmelblau --view -6,6,-6,6 --steps 300 --theme light --size 1000x800 \
  --optimizer sgd:lr=0.01 --optimizer sgd:lr=0.005,momentum=0.9 --optimizer adam:lr=0.1 \
  --start -0.3,-0.9 --out "$out/saddles.png"
# the ravine: plain gradient descent zig-zags, momentum rolls along the floor
r --landscape quadratic:kappa=50,angle=30 --steps 60 --start -4,-1 --view -6,6,-4,4 \
  --optimizer sgd:lr=0.035 --optimizer sgd:lr=0.01,momentum=0.9 --out "$out/ravine.png"
# Adam's beta1 from 0 (RMSProp-like) to 0.99 (heavy momentum)
r --landscape rosenbrock --steps 300 --start 1.8,0.2 \
  --optimizer adam:lr=0.1,beta1=0 --optimizer adam:lr=0.1,beta1=0.5 \
  --optimizer adam:lr=0.1,beta1=0.9 --optimizer adam:lr=0.1,beta1=0.99 --out "$out/adam-betas.png"
# the same saddles as vectors
r --landscape himmelblau --view -6,6,-6,6 --steps 300 --theme light --size 800x640 \
  --optimizer sgd:lr=0.01 --optimizer adam:lr=0.1 --start -0.3,-0.9 --out "$out/saddles.svg"
# a swarm of momentum from a grid of starts (the window, offscreen) and three optimizers' basins
SDL_VIDEODRIVER=offscreen "$bin" --landscape himmelblau --view -6,6,-6,6 --class --size 1000x640 \
  --optimizer sgd:lr=0.004,momentum=0.9 --optimizer sgd:lr=0.01 --swarm 20000 --frames 22 \
  --screenshot "$out/swarm.png" --force
"$bin" basins --landscape himmelblau --view -6,6,-6,6 --optimizer sgd:lr=0.01 \
  --optimizer sgd:lr=0.01,momentum=0.9 --optimizer adam:lr=0.1 --grid 300 --theme light \
  --out "$out/basins.png" --force
# the seeds' batch size and time: seconds per update and per epoch on a device of width 1000
"$bin" bench batchtime --n 60000 --width 1000 --t1 0.001 --size 1000x600 --out "$out/batchtime.png" --force
# the network lab's four panels (what J shows in the window) after 300 updates
"$bin" net train --net mlp:2,16,16,1,act=tanh,loss=bce --data moons:noise=0.1 --optimizer adam:lr=0.01 \
    --steps 300 --size 1280x800 --out "$out/netlab.png" --force >/dev/null
ls -la "$out"
