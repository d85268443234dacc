#!/usr/bin/env python3
"""The matplotlib peer of `optiscape render` (issue: render at least 10x faster).

Draws what `tools/bench-render.sh` asks optiscape for: Rosenbrock at 1600x1000, filled
contours of log10(f + floor) with viridis, contour lines over them, six optimizer
paths of 300 steps each with their start, and a legend; saved as PNG. The paths are
computed here with the same update rules (plain Python, a negligible part of the
time). Run with Debian's python3 and python3-matplotlib:

    /usr/bin/python3 tools/bench_mpl_render.py OUT.png

It prints the wall-clock seconds from the first import to the written file.
"""
import sys
import time

t0 = time.perf_counter()
import math  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def f(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def grad(x, y):
    return (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))


def sgd(lr, momentum=0.0, nesterov=False):
    def run(p, steps):
        x, y = p
        bx = by = None
        path = [(x, y)]
        for _ in range(steps):
            gx, gy = grad(x, y)
            if momentum:
                bx = gx if bx is None else momentum * bx + gx
                by = gy if by is None else momentum * by + gy
                if nesterov:
                    gx, gy = gx + momentum * bx, gy + momentum * by
                else:
                    gx, gy = bx, by
            x, y = x - lr * gx, y - lr * gy
            path.append((x, y))
        return path
    return run


def rmsprop(lr, alpha=0.99, eps=1e-8):
    def run(p, steps):
        x, y = p
        vx = vy = 0.0
        path = [(x, y)]
        for _ in range(steps):
            gx, gy = grad(x, y)
            vx = alpha * vx + (1 - alpha) * gx * gx
            vy = alpha * vy + (1 - alpha) * gy * gy
            x -= lr * gx / (math.sqrt(vx) + eps)
            y -= lr * gy / (math.sqrt(vy) + eps)
            path.append((x, y))
        return path
    return run


def adam(lr, b1=0.9, b2=0.999, eps=1e-8):
    def run(p, steps):
        x, y = p
        mx = my = vx = vy = 0.0
        path = [(x, y)]
        for t in range(1, steps + 1):
            gx, gy = grad(x, y)
            mx = b1 * mx + (1 - b1) * gx
            my = b1 * my + (1 - b1) * gy
            vx = b2 * vx + (1 - b2) * gx * gx
            vy = b2 * vy + (1 - b2) * gy * gy
            c1, c2 = 1 - b1 ** t, 1 - b2 ** t
            x -= lr * (mx / c1) / (math.sqrt(vx / c2) + eps)
            y -= lr * (my / c1) / (math.sqrt(vy / c2) + eps)
            path.append((x, y))
        return path
    return run


RUNNERS = [
    ("sgd lr=0.001", sgd(0.001)),
    ("momentum lr=0.001 μ=0.9", sgd(0.001, 0.9)),
    ("nesterov lr=0.001 μ=0.9", sgd(0.001, 0.9, True)),
    ("rmsprop lr=0.01", rmsprop(0.01)),
    ("adam lr=0.05", adam(0.05)),
    ("adam lr=0.1 β1=0.5", adam(0.1, 0.5)),
]
COLOURS = ["#e69f00", "#56b4e9", "#cc79a7", "#d55e00", "#009e73", "#0072b2"]


def main(out):
    x0, x1, y0, y1 = -2.0, 2.0, -1.0, 3.0
    xs = np.linspace(x0, x1, 800)
    ys = np.linspace(y0, y1, 500)
    X, Y = np.meshgrid(xs, ys)
    Z = f(X, Y)
    floor = (Z.max() - Z.min()) * 1e-3
    L = np.log10(Z - Z.min() + floor)
    fig = plt.figure(figsize=(16, 10), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.contourf(X, Y, L, levels=64, cmap="viridis")
    ax.contour(X, Y, L, levels=16, colors="white", linewidths=0.8, alpha=0.5)
    start = (-1.2, 1.0)
    for (label, run), c in zip(RUNNERS, COLOURS):
        p = np.array(run(start, 300))
        ax.plot(p[:, 0], p[:, 1], color=c, lw=2, label=label)
        ax.plot(p[-1, 0], p[-1, 1], "o", color=c, mec="black")
    ax.plot(*start, "*", color="white", mec="black", ms=12)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.legend(loc="upper left")
    fig.savefig(out)
    return time.perf_counter() - t0


if __name__ == "__main__":
    print(f"{main(sys.argv[1] if len(sys.argv) > 1 else 'mpl.png'):.3f}")
