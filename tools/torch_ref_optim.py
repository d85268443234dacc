#!/usr/bin/python3
"""Reference trajectories of torch.optim (PyTorch 1.13) for tests/test_optim.c.

Runs each optimizer of the table below on a float64 tensor of two parameters with
a gradient written out by hand (the same expressions, in the same order, as in
test_optim.c, so both sides see bit-identical gradients), and writes
tests/torch_ref_optim.h: the point after every step, as %.17g literals.

    /usr/bin/python3 tools/torch_ref_optim.py > tests/torch_ref_optim.h

Use the system python3 that has torch 1.13. The script refuses to run on torch's
"default" CPU kernels (ATEN_CPU_CAPABILITY=default): those compute add(alpha) and
addcmul without fused multiply-add, unlike the AVX2/AVX-512 (and ARM) kernels every
current machine runs, and unlike optim.c.
"""
import sys

import torch

assert torch.__version__.startswith("1.13"), torch.__version__

config = torch.__config__.show()
capability = "unknown"
for line in config.splitlines():
    if "CPU capability usage" in line:
        capability = line.split(":", 1)[1].strip()
if capability.upper() == "DEFAULT":
    sys.exit("torch_ref_optim.py: torch runs its DEFAULT kernels (no FMA); unset ATEN_CPU_CAPABILITY")

# Gradients: must match grad_fn() in tests/test_optim.c operation for operation.
QA, QB, QC = 10.0, 3.0, 2.0


def grad(fn, x, y):
    if fn == 0:   # rosenbrock (1-x)^2 + 100 (y - x^2)^2
        t = y - x * x
        return -2.0 * (1.0 - x) - 400.0 * x * t, 200.0 * t
    if fn == 1:   # quadratic 0.5 (a x^2 + 2 b x y + c y^2)
        return QA * x + QB * y, QB * x + QC * y
    raise ValueError(fn)


FN_NAMES = {0: "rosenbrock", 1: "quadratic"}

CLASSES = {
    "sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "nadam": torch.optim.NAdam,
    "radam": torch.optim.RAdam, "adamax": torch.optim.Adamax, "adadelta": torch.optim.Adadelta,
}
# our default lr where torch has none
DEFAULT_LR = {"sgd": 1e-3}
BOOLS = {"nesterov", "centered", "amsgrad"}

# (spec, function, start, steps, lr_gamma): lr_gamma != 1 multiplies the learning
# rate by gamma after every step, the way ExponentialLR does (group['lr'] * gamma),
# to check that the per-step lr reaches every rule.
R0 = (-1.5, 2.0)
Q0 = (3.0, -2.0)
CASES = [
    ("sgd", 0, R0, 60, 1.0),
    ("sgd:lr=0.0005,momentum=0.9", 0, R0, 60, 1.0),
    ("sgd:lr=0.0005,momentum=0.9,nesterov=1", 0, R0, 60, 1.0),
    ("sgd:lr=0.0005,momentum=0.8,dampening=0.3,weight_decay=0.1", 0, R0, 60, 1.0),
    ("sgd:lr=0.05,momentum=0.5,weight_decay=0.01", 1, Q0, 60, 1.0),
    ("sgd:lr=0.0005,momentum=0.9", 0, R0, 60, 0.95),
    ("adagrad", 0, R0, 60, 1.0),
    ("adagrad:lr=0.5,lr_decay=0.01,weight_decay=0.05,initial_accumulator_value=0.1", 0, R0, 60, 1.0),
    ("adagrad:lr=0.3,eps=0.001", 1, Q0, 60, 1.0),
    ("adagrad:lr=0.5,lr_decay=0.1", 0, R0, 60, 0.95),
    ("rmsprop", 0, R0, 60, 1.0),
    ("rmsprop:lr=0.001,alpha=0.9,momentum=0.9", 0, R0, 60, 1.0),
    ("rmsprop:lr=0.003,centered=1", 0, R0, 60, 1.0),
    ("rmsprop:lr=0.002,centered=1,momentum=0.5,weight_decay=0.1,eps=1e-06", 0, R0, 60, 1.0),
    ("rmsprop:lr=0.05,alpha=0.5", 1, Q0, 60, 1.0),
    ("rmsprop:lr=0.01", 0, R0, 60, 0.95),
    ("adam", 0, R0, 60, 1.0),
    ("adam:lr=0.1", 0, R0, 60, 1.0),
    ("adam:lr=0.05,amsgrad=1", 0, R0, 60, 1.0),
    ("adam:lr=0.02,beta1=0.5,beta2=0.9,eps=0.0001,weight_decay=0.2", 0, R0, 60, 1.0),
    ("adam:lr=0.3,amsgrad=1,weight_decay=0.01", 1, Q0, 60, 1.0),
    ("adam:lr=0.1", 0, R0, 60, 0.95),
    ("adamw", 0, R0, 60, 1.0),
    ("adamw:lr=0.05,weight_decay=0.5,amsgrad=1", 0, R0, 60, 1.0),
    ("adamw:lr=0.2,beta1=0.8", 1, Q0, 60, 1.0),
    ("adamw:lr=0.05", 0, R0, 60, 0.95),
    ("nadam", 0, R0, 60, 1.0),
    ("nadam:lr=0.05,momentum_decay=0.01,weight_decay=0.1", 0, R0, 60, 1.0),
    ("nadam:lr=0.2,beta1=0.8", 1, Q0, 60, 1.0),
    ("nadam:lr=0.05", 0, R0, 60, 0.95),
    ("radam", 0, R0, 60, 1.0),
    ("radam:lr=0.0005,beta2=0.9,weight_decay=0.1", 0, R0, 60, 1.0),
    ("radam:lr=0.1", 1, Q0, 60, 1.0),
    ("radam:lr=0.002,beta1=0.5", 0, R0, 60, 0.95),
    ("adamax", 0, R0, 60, 1.0),
    ("adamax:lr=0.05,beta1=0.7,beta2=0.99,weight_decay=0.1", 0, R0, 60, 1.0),
    ("adamax:lr=0.3", 1, Q0, 60, 1.0),
    ("adamax:lr=0.05", 0, R0, 60, 0.95),
    ("adadelta", 0, R0, 60, 1.0),
    ("adadelta:lr=0.5,rho=0.5,eps=0.0001,weight_decay=0.1", 0, R0, 60, 1.0),
    ("adadelta:lr=2", 1, Q0, 60, 1.0),
    ("adadelta", 0, R0, 60, 0.95),
]


def torch_kwargs(spec):
    name, _, rest = spec.partition(":")
    kw = {}
    betas = [0.9, 0.999]
    has_betas = False
    for item in filter(None, rest.split(",")):
        k, v = item.split("=")
        if k == "beta1":
            betas[0] = float(v)
            has_betas = True
        elif k == "beta2":
            betas[1] = float(v)
            has_betas = True
        elif k in BOOLS:
            kw[k] = v in ("1", "true")
        else:
            kw[k] = float(v)
    if has_betas:
        kw["betas"] = tuple(betas)
    if "lr" not in kw and name in DEFAULT_LR:
        kw["lr"] = DEFAULT_LR[name]
    # the single-tensor implementation (already the CPU default in 1.13), explicitly
    kw["foreach"] = False
    return name, kw


def run(spec, fn, start, steps, gamma):
    name, kw = torch_kwargs(spec)
    p = torch.nn.Parameter(torch.tensor(list(start), dtype=torch.float64))
    opt = CLASSES[name]([p], **kw)
    traj = [tuple(start)]
    for _ in range(steps):
        x, y = (float(v) for v in p.detach())
        gx, gy = grad(fn, x, y)
        p.grad = torch.tensor([gx, gy], dtype=torch.float64)
        opt.step()
        if gamma != 1.0:
            for group in opt.param_groups:
                group["lr"] = group["lr"] * gamma
        traj.append(tuple(float(v) for v in p.detach()))
    return traj


def lit(v):
    r = "%.17g" % v
    if r in ("nan", "-nan"):
        return "NAN"
    if r in ("inf", "-inf"):
        return r.replace("inf", "INFINITY")
    return r


def main():
    out = sys.stdout
    out.write("/* torch_ref_optim: reference trajectories of torch.optim %s (CPU capability\n"
              " * %s), generated by tools/torch_ref_optim.py -- do not edit. Each case: the\n"
              " * spec, the gradient function (0 rosenbrock, 1 quadratic), the learning-rate\n"
              " * factor per step, and the point before the first and after every step. */\n"
              % (torch.__version__, capability))
    out.write("#ifndef OPTISCAPE_TORCH_REF_OPTIM_H\n#define OPTISCAPE_TORCH_REF_OPTIM_H\n\n")
    out.write("#include <math.h>\n\n")
    out.write("typedef struct torch_ref_case {\n    const char *spec;\n    int fn;\n"
              "    double lr_gamma;\n    int steps;\n    const double (*traj)[2];\n} torch_ref_case;\n\n")
    for i, (spec, fn, start, steps, gamma) in enumerate(CASES):
        traj = run(spec, fn, start, steps, gamma)
        out.write("/* %s on %s, lr x %g per step */\n" % (spec, FN_NAMES[fn], gamma))
        out.write("static const double torch_ref_traj_%d[%d][2] = {\n" % (i, len(traj)))
        for x, y in traj:
            out.write("    {%s, %s},\n" % (lit(x), lit(y)))
        out.write("};\n\n")
    out.write("static const torch_ref_case torch_ref_cases[] = {\n")
    for i, (spec, fn, start, steps, gamma) in enumerate(CASES):
        out.write('    {"%s", %d, %s, %d, torch_ref_traj_%d},\n' % (spec, fn, lit(gamma), steps, i))
    out.write("};\n\n#endif\n")


if __name__ == "__main__":
    main()
