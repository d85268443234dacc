#!/usr/bin/env python3
"""The reference for `optiscape bench swarm`: torch.optim.Adam (PyTorch 1.13, one
thread, float64) on N Rosenbrock particles (an N x 2 tensor, loss summed so each
particle gets its own gradient), started on the same grid as optiscape's swarm.
Prints particle-steps per second.

    /usr/bin/python3 tools/bench_torch_swarm.py [--particles 100000] [--steps 100]
"""
import argparse
import math
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--particles", type=int, default=100000)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--lr", type=float, default=1e-3)
    args = ap.parse_args()
    torch.set_num_threads(1)
    n = args.particles
    side = math.ceil(math.sqrt(n))
    # rosenbrock's default view in optiscape: x in [-2, 2], y in [-1, 3]
    xs = torch.tensor([-2 + 4 * (i + 0.5) / side for i in range(side)], dtype=torch.float64)
    ys = torch.tensor([-1 + 4 * (j + 0.5) / side for j in range(side)], dtype=torch.float64)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    p = torch.stack([gx.reshape(-1)[:n], gy.reshape(-1)[:n]], dim=1).clone().requires_grad_(True)
    opt = torch.optim.Adam([p], lr=args.lr)
    t0 = time.perf_counter()
    for _ in range(args.steps):
        opt.zero_grad()
        x, y = p[:, 0], p[:, 1]
        loss = ((1 - x) ** 2 + 100 * (y - x ** 2) ** 2).sum()
        loss.backward()
        opt.step()
    dt = time.perf_counter() - t0
    print(f"torch {torch.__version__} Adam, {n} particles x {args.steps} steps, 1 thread: "
          f"{dt:.3f} s, {n * args.steps / dt / 1e6:.2f} M particle-steps/s")


if __name__ == "__main__":
    main()
