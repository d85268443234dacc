#!/usr/bin/python3
"""The work of `optiscape net bench` in torch (PyTorch 1.13, float64, one thread),
timed side by side with optiscape in one run, printed as ratios (torch time /
optiscape time: above 1, optiscape is faster).

    /usr/bin/python3 tools/net_bench.py build/optiscape [--steps N] [--grid N] [--threads T]

The three measurements, the same in both:
  train    N full-batch Adam steps of mlp:2,16,16,1 (tanh, BCE with logits) on 200 points
  hessian  the full Hessian of mlp:2,30,30,1 (1051 parameters, tanh, BCE) on 200 points
           (torch.autograd.functional.hessian, vectorize=True: its fastest)
  slice    the loss at grid x grid points of a plane through that network's parameters
           (optiscape uses --threads T, default 2; torch one thread)
"""
import argparse
import subprocess
import time

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


def data(n=200):
    g = torch.Generator().manual_seed(0)
    t = torch.rand(n, generator=g) * 3.14159
    c = (torch.arange(n) % 2).double()
    x = torch.stack([torch.where(c > 0, 1 - torch.cos(t), torch.cos(t)),
                     torch.where(c > 0, 0.5 - torch.sin(t), torch.sin(t))], 1)
    return x + 0.1 * torch.randn(n, 2, generator=g), c


def mlp(widths):
    layers = []
    for i in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[i], widths[i + 1]))
        if i < len(widths) - 2:
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def bench_train(steps):
    X, t = data()
    model = mlp([2, 16, 16, 1])
    opt = torch.optim.Adam(model.parameters())
    t0 = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad()
        F.binary_cross_entropy_with_logits(model(X)[:, 0], t).backward()
        opt.step()
    return time.perf_counter() - t0


def functional(theta, X, t, widths):
    o, h = 0, X
    for i in range(len(widths) - 1):
        a, b = widths[i], widths[i + 1]
        W = theta[o:o + a * b].reshape(b, a); o += a * b
        c = theta[o:o + b]; o += b
        h = F.linear(h, W, c)
        if i < len(widths) - 2:
            h = torch.tanh(h)
    return F.binary_cross_entropy_with_logits(h[:, 0], t)


def bench_big(grid):
    X, t = data()
    widths = [2, 30, 30, 1]
    model = mlp(widths)
    theta = torch.cat([p.detach().reshape(-1) for p in model.parameters()])
    t0 = time.perf_counter()
    torch.autograd.functional.hessian(lambda p: functional(p, X, t, widths), theta, vectorize=True)
    th = time.perf_counter() - t0
    d1, d2 = torch.randn_like(theta), torch.randn_like(theta)
    t0 = time.perf_counter()
    with torch.no_grad():
        for j in range(grid):
            for i in range(grid):
                a, b = -1 + 2 * i / (grid - 1), -1 + 2 * j / (grid - 1)
                functional(theta + a * d1 + b * d2, X, t, widths)
    return th, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("optiscape")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--grid", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    out = subprocess.run([a.optiscape, "net", "bench", "--steps", str(a.steps), "--grid", str(a.grid),
                          "--threads", str(a.threads)], check=True, capture_output=True, text=True).stdout
    ours = dict((k, float(v)) for k, v in (line.split(",") for line in out.split()))
    torch_train = bench_train(a.steps)
    torch_hess, torch_slice = bench_big(a.grid)
    print("what,optiscape_s,torch_s,ratio")
    for name, tt in (("train", torch_train), ("hessian", torch_hess), ("slice", torch_slice)):
        o = ours[name + "_s"]
        print("%s,%.4g,%.4g,%.1f" % (name, o, tt, tt / o))


if __name__ == "__main__":
    main()
