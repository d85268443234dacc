#!/usr/bin/python3
"""Reference numbers of torch.nn / torch.optim (PyTorch 1.13, float64) for tests/test_net.c.

For each network case: the state_dict (in order, num_batches_tracked left out) of a
torch-initialized nn.Sequential, a small data set, the train-mode loss and gradient
(BatchNorm on batch statistics), the running statistics after that forward, the
eval-mode loss with them, the full Hessian of the train-mode loss over the
trainable parameters (torch.autograd.functional.hessian of a functional copy of
the network, checked against the module's own loss and gradient here), and its
eigenvalues (numpy.linalg.eigvalsh).

For each training case: the per-step rows of `optiscape net train` as torch
computes them: the full-training-set loss in train mode (batch statistics, running
statistics untouched), the test loss in eval mode (running statistics of the
updates so far), the full-set gradient norm and the lr of the next update; then
one update with torch.optim on the next minibatch (in order, the last one smaller,
as a DataLoader without shuffling) with the module in train mode; and the final
state_dict.

Also a random symmetric matrix and its numpy eigenvalues for tests/test_eig.c.

    /usr/bin/python3 tools/net_ref.py > tests/net_ref.h
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

assert torch.__version__.startswith("1.13"), torch.__version__
torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

ACTS = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "linear": torch.nn.Identity}
FACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda x: x}


def parse(spec):
    body = spec.split(":", 1)[1].split(",")
    widths = [int(t) for t in body if "=" not in t]
    kv = dict(t.split("=") for t in body if "=" in t)
    return widths, kv.get("act", "relu"), kv.get("bn", "off"), kv.get("loss", "mse")


def module(spec):
    widths, act, bn, _ = parse(spec)
    layers = []
    for l in range(len(widths) - 1):
        layers.append(torch.nn.Linear(widths[l], widths[l + 1]))
        if l == len(widths) - 2:
            break
        if bn == "before":
            layers.append(torch.nn.BatchNorm1d(widths[l + 1]))
        layers.append(ACTS[act]())
        if bn == "after":
            layers.append(torch.nn.BatchNorm1d(widths[l + 1]))
    return torch.nn.Sequential(*layers)


def loss_of(kind, out, t):
    if kind == "mse":
        return F.mse_loss(out[:, 0], t)
    if kind == "bce":
        return F.binary_cross_entropy_with_logits(out[:, 0], t)
    return F.cross_entropy(out, t.long())


def functional(spec, theta, X, t):
    """The train-mode loss as a function of the flat parameter vector (parameters() order)."""
    widths, act, bn, loss = parse(spec)
    o, h = 0, X
    for l in range(len(widths) - 1):
        i, n = widths[l], widths[l + 1]
        W = theta[o:o + i * n].reshape(n, i); o += i * n
        b = theta[o:o + n]; o += n
        h = F.linear(h, W, b)
        if l == len(widths) - 2:
            break
        g = be = None
        if bn != "off":
            g = theta[o:o + n]; o += n
            be = theta[o:o + n]; o += n
        if bn == "before":
            h = F.batch_norm(h, None, None, g, be, training=True, eps=1e-5)
        h = FACT[act](h)
        if bn == "after":
            h = F.batch_norm(h, None, None, g, be, training=True, eps=1e-5)
    return loss_of(loss, h, t)


def state(model):
    return torch.cat([v.reshape(-1) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")])


def flat_params(model):
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()])


def data(n, d, kind, k, seed):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=g)
    if kind == "mse":
        t = torch.sin(2 * X[:, 0]) + 0.1 * torch.randn(n, generator=g)
    elif kind == "bce":
        t = ((X[:, 0] * X[:, -1]) > 0).double()
    else:
        t = torch.arange(n) % k
        X = X + torch.stack([torch.cos(2 * math.pi * t / k), torch.sin(2 * math.pi * t / k)][:d], 1)
        t = t.double()
    return X, t


def fmt(v):
    return ",".join("%.17g" % x for x in v)


def emit(name, v, out):
    out.append("static const double %s[%d] = {%s};" % (name, len(v), fmt(v)))


NET_CASES = [
    ("mlp:2,5,4,1,act=tanh,bn=off,loss=mse", 10),
    ("mlp:2,5,4,1,act=relu,bn=off,loss=bce", 12),
    ("mlp:2,5,4,3,act=sigmoid,bn=off,loss=ce", 12),
    ("mlp:2,5,4,1,act=tanh,bn=before,loss=bce", 10),
    ("mlp:2,5,4,3,act=relu,bn=after,loss=ce", 12),
    ("mlp:1,6,1,act=sigmoid,bn=before,loss=mse", 9),
    ("mlp:2,4,3,1,act=linear,bn=after,loss=mse", 8),
    ("mlp:2,3,3,3,2,act=tanh,bn=after,loss=ce", 10),
]


def net_case(ci, spec, n, out):
    widths, _, bn, loss = parse(spec)
    torch.manual_seed(100 + ci)
    model = module(spec)
    st0 = state(model)
    X, t = data(n, widths[0], loss, widths[-1], 200 + ci)
    model.train()
    L = loss_of(loss, model(X), t)
    L.backward()
    grad = torch.cat([p.grad.reshape(-1) for p in model.parameters()])
    st1 = state(model)                     # running statistics after one train forward
    model.eval()
    with torch.no_grad():
        Le = loss_of(loss, model(X), t)
    theta = flat_params(model)
    Lf = functional(spec, theta, X, t)
    th = theta.clone().requires_grad_(True)
    gf = torch.autograd.grad(functional(spec, th, X, t), th)[0]
    assert abs(Lf.item() - L.item()) <= 1e-14 * abs(L.item()), (spec, Lf.item(), L.item())
    assert torch.allclose(gf, grad, rtol=1e-12, atol=1e-14), spec
    H = torch.autograd.functional.hessian(lambda p: functional(spec, p, X, t), theta)
    ev = np.linalg.eigvalsh(H.numpy())
    p = "nc%d_" % ci
    emit(p + "state0", st0.tolist(), out)
    emit(p + "x", X.reshape(-1).tolist(), out)
    emit(p + "t", t.tolist(), out)
    emit(p + "grad", grad.tolist(), out)
    emit(p + "state1", st1.tolist(), out)
    emit(p + "hess", H.reshape(-1).tolist(), out)
    emit(p + "eig", ev.tolist(), out)
    return '    {"%s", %d, %d, %s, %sstate0, %sx, %st, %.17g, %sgrad, %sstate1, %.17g, %shess, %seig},' % (
        spec, n, len(st0), len(theta), p, p, p, L.item(), p, p, Le.item(), p, p)


def optimizer(spec, params):
    name, _, rest = spec.partition(":")
    kw = {}
    for item in filter(None, rest.split(",")):
        k, v = item.split("=")
        kw[k] = bool(int(v)) if k in ("nesterov", "centered", "amsgrad") else float(v)
    if "beta1" in kw or "beta2" in kw:
        kw["betas"] = (kw.pop("beta1", 0.9), kw.pop("beta2", 0.999))
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW,
           "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad, "nadam": torch.optim.NAdam,
           "radam": torch.optim.RAdam, "adamax": torch.optim.Adamax, "adadelta": torch.optim.Adadelta}[name]
    return cls(params, **kw)


def scheduler(spec, opt):
    if spec == "constant":
        return None
    name, _, rest = spec.partition(":")
    kw = dict(item.split("=") for item in rest.split(",")) if rest else {}
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(opt, int(kw["step_size"]), float(kw.get("gamma", 0.1)))
    if name == "exp":
        return torch.optim.lr_scheduler.ExponentialLR(opt, float(kw["gamma"]))
    raise ValueError(spec)


# (net, optimizer, schedule, batch (0: full), steps, train n, test n)
TRAIN_CASES = [
    ("mlp:2,6,5,1,act=tanh,bn=off,loss=bce", "sgd:lr=0.5,momentum=0.9,nesterov=1", "constant", 0, 40, 20, 8),
    ("mlp:2,6,5,1,act=tanh,bn=off,loss=mse", "adam:lr=0.05", "constant", 5, 40, 20, 8),
    ("mlp:2,6,5,3,act=relu,bn=off,loss=ce", "rmsprop:lr=0.01,centered=1,momentum=0.5", "step:step_size=10,gamma=0.5", 0, 40, 21, 9),
    ("mlp:2,6,5,1,act=tanh,bn=before,loss=bce", "adamw:lr=0.02,weight_decay=0.1", "constant", 0, 40, 20, 8),
    ("mlp:2,6,5,1,act=relu,bn=after,loss=mse", "sgd:lr=0.05,momentum=0.5,weight_decay=0.01", "constant", 6, 40, 20, 8),
    ("mlp:2,6,5,3,act=sigmoid,bn=before,loss=ce", "nadam:lr=0.02", "exp:gamma=0.97", 7, 40, 21, 9),
    ("mlp:2,6,1,act=tanh,bn=off,loss=bce", "adagrad:lr=0.1", "constant", 0, 30, 20, 8),
    ("mlp:2,6,1,act=sigmoid,bn=off,loss=mse", "radam:lr=0.05", "constant", 4, 30, 20, 8),
    ("mlp:2,6,1,act=tanh,bn=after,loss=bce", "adamax:lr=0.05", "constant", 5, 30, 20, 8),
    ("mlp:2,6,1,act=relu,bn=off,loss=mse", "adadelta:lr=1", "constant", 0, 30, 20, 8),
    ("mlp:2,6,5,1,act=tanh,bn=before,loss=mse", "adam:lr=0.01,amsgrad=1", "constant", 5, 40, 20, 8),
]


def bn_layers(model):
    return [m for m in model if isinstance(m, torch.nn.BatchNorm1d)]


def full_loss_grad(spec, model, X, t):
    th = flat_params(model).requires_grad_(True)
    L = functional(spec, th, X, t)
    g = torch.autograd.grad(L, th)[0]
    return L.item(), g.norm().item()


def train_case(ci, case, out):
    spec, ospec, sspec, batch, steps, ntr, nte = case
    widths, _, _, loss = parse(spec)
    torch.manual_seed(300 + ci)
    model = module(spec)
    st0 = state(model)
    X, t = data(ntr + nte, widths[0], loss, widths[-1], 400 + ci)
    Xtr, ttr, Xte, tte = X[:ntr], t[:ntr], X[ntr:], t[ntr:]
    opt = optimizer(ospec, model.parameters())
    sch = scheduler(sspec, opt)
    rows = []
    pos = 0
    for k in range(steps + 1):
        Ltr, gn = full_loss_grad(spec, model, Xtr, ttr)
        model.eval()
        with torch.no_grad():
            Lte = loss_of(loss, model(Xte), tte).item()
        rows += [Ltr, Lte, gn, opt.param_groups[0]["lr"]]
        if k == steps:
            break
        b = ntr if batch == 0 else batch
        if pos >= ntr:
            pos = 0
        idx = slice(pos, min(pos + b, ntr))
        pos = min(pos + b, ntr)
        model.train()
        opt.zero_grad()
        loss_of(loss, model(Xtr[idx]), ttr[idx]).backward()
        opt.step()
        if sch:
            sch.step()
    p = "tc%d_" % ci
    emit(p + "state0", st0.tolist(), out)
    emit(p + "x", X.reshape(-1).tolist(), out)
    emit(p + "t", t.tolist(), out)
    emit(p + "rows", rows, out)
    emit(p + "final", state(model).tolist(), out)
    return '    {"%s", "%s", "%s", %d, %d, %d, %d, %d, %sstate0, %sx, %st, %srows, %sfinal},' % (
        spec, ospec, sspec, batch, steps, ntr, nte, len(st0), p, p, p, p, p)


def main():
    out = ["/* Generated by tools/net_ref.py (PyTorch %s, float64): do not edit. */" % torch.__version__,
           "#ifndef NET_REF_H", "#define NET_REF_H", ""]
    rows = [net_case(i, s, n, out) for i, (s, n) in enumerate(NET_CASES)]
    out += ["", "typedef struct net_ref_case {", "    const char *spec;", "    int n, nstate, np;",
            "    const double *state0, *x, *t;", "    double loss;", "    const double *grad, *state1;",
            "    double eval_loss;", "    const double *hess, *eig;", "} net_ref_case;", "",
            "static const net_ref_case net_ref_cases[] = {"] + rows + ["};", ""]
    trows = [train_case(i, c, out) for i, c in enumerate(TRAIN_CASES)]
    out += ["", "typedef struct net_ref_train {", "    const char *net, *opt, *sched;",
            "    int batch, steps, ntrain, ntest, nstate;", "    const double *state0, *x, *t, *rows, *final;",
            "} net_ref_train;", "", "static const net_ref_train net_ref_trains[] = {"] + trows + ["};", ""]
    # a slice through net case 3 along parameters 2 and 40 (3 x 3 grid, range 0.5)
    spec, n = NET_CASES[3]
    widths, _, _, loss = parse(spec)
    torch.manual_seed(103)
    model = module(spec)
    X, t = data(n, widths[0], loss, widths[-1], 203)
    theta = flat_params(model)
    sl = []
    for j in range(3):
        for i in range(3):
            q = theta.clone()
            q[2] += -0.5 + 0.5 * i
            q[40] += -0.5 + 0.5 * j
            sl.append(functional(spec, q, X, t).item())
    emit("slice_nc3", sl, out)
    # the same net along given directions d1_k = sin(k + 1), d2_k = cos(2 k) (3 x 3, range 0.3)
    k = torch.arange(len(theta), dtype=torch.float64)
    d1, d2 = torch.sin(k + 1), torch.cos(2 * k)
    sl = []
    for j in range(3):
        for i in range(3):
            sl.append(functional(spec, theta + (-0.3 + 0.3 * i) * d1 + (-0.3 + 0.3 * j) * d2, X, t).item())
    emit("slice_nc3_dirs", sl, out)
    rs = np.random.RandomState(7)
    for n in (1, 2, 5, 40):
        A = rs.randn(n, n)
        A = A + A.T
        if n == 40:
            A[:10, :] = 0.0       # a zero block: repeated eigenvalue 0 (needs exact deflation)
            A[:, :10] = 0.0
        emit("eig_a%d" % n, A.reshape(-1).tolist(), out)
        emit("eig_w%d" % n, np.linalg.eigvalsh(A).tolist(), out)
    out += ["", "#endif", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
