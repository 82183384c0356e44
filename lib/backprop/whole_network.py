"""The whole network (lesson 08): the pseudocode next to the code, every gradient checked, what it costs.

* :data:`PSEUDOCODE` pairs each line of the lecture's pseudocode with the line of
  :func:`backprop.network.backward` that implements it for a batch (the table the lesson shows;
  tests/test_whole_network.py checks every code line is really in ``backward``'s source).
* :func:`gradient_check_table`: every parameter array's largest relative error against central
  differences AND against the autodiff library ``autograd`` (a test/extra dependency).
* Costs, counted in multiply-adds (deterministic, unlike timings):
  one forward pass of a batch of B costs F = B * sum_k n_k n_{k-1};
  backprop (forward + backward) costs about 3 F: the backward pass does two matrix products per
  layer (grad_W_k and grad_h_{k-1}) of the same size as the forward one;
  central differences need 2 forward passes per parameter, 2 P F in all: with F growing like P,
  that is P^2.
* :func:`gradient_norms` and :func:`norms_state`: per-layer gradient norms for the play panel.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import _validate
from .gradcheck import relative_error
from .network import Network, backward, forward, gradients, loss

PSEUDOCODE = [
    ("$\\nabla_{a_L} = -(e(\\ell) - \\hat y)$", "grad_a[L] = losses.cross_entropy_grad(aL, label)",
     "the fused softmax + cross-entropy gradient; for a batch each row is divided by B (lesson 05)"),
    ("for $k = L, \\dots, 1$:", "for k in range(L, 0, -1):", "walk the layers backwards"),
    ("$\\quad \\nabla_{W_k} = \\nabla_{a_k} h_{k-1}^\\top$", "grad_W[k] = grad_a[k].T @ fwd.h[k - 1]",
     "outer product; batch: the rows' outer products added (lesson 07)"),
    ("$\\quad \\nabla_{b_k} = \\nabla_{a_k}$", "grad_b[k] = grad_a[k].sum(axis=0)", "batch: summed over the rows (lesson 07)"),
    ("$\\quad \\nabla_{h_{k-1}} = W_k^\\top \\nabla_{a_k}$", "grad_h[k - 1] = grad_a[k] @ net.W[k]",
     "one row per example: $(W_k^\\top g)^\\top = g^\\top W_k$ (lesson 06)"),
    ("$\\quad \\nabla_{a_{k-1}} = \\nabla_{h_{k-1}} \\odot g'(a_{k-1})$",
     "grad_a[k - 1] = grad_h[k - 1] * g_prime(fwd.a[k - 1])", "elementwise, $g'$ of $a$ (not of $h$) (lesson 06)"),
]
"""(pseudocode line in LaTeX, the line of ``backward`` that implements it for a batch, a remark)."""


def side_by_side() -> str:
    """The pseudocode and the library's batch code, line by line, as a Markdown table (str)."""
    rows = ["| lecture pseudocode | `backprop.network.backward` (batch: rows are examples) | note |", "|---|---|---|"]
    for pseudo, code, note in PSEUDOCODE:
        rows.append(f"| {pseudo} | `{code}` | {note} |")
    return "\n".join(rows)


# ---------------------------------------------------------------------------- reference gradients
def _check_label(net: Network, x, label):
    x = np.asarray(forward(net, x).h[0])
    if x.ndim == 1:
        return x, _validate.labels(label, "label", n_classes=net.sizes[-1], batch=None)
    return x, _validate.labels(label, "label", n_classes=net.sizes[-1], batch=x.shape[0])


def autograd_loss(params, x, label, activation: str):
    """The network's loss written in ``autograd.numpy``, for autograd to differentiate by itself.

    ``params``: [W_1, b_1, ..., W_L, b_L]; ``x``: (n_0,) or (B, n_0); ``label``: int or (B,) ints.
    Returns the cross-entropy (the mean over the rows for a batch).  Shares no code with
    :mod:`backprop.network`.
    """
    import autograd.numpy as anp

    g = {"logistic": lambda a: 1.0 / (1.0 + anp.exp(-a)), "tanh": anp.tanh,
         "relu": lambda a: anp.maximum(a, 0.0)}[activation]
    L = len(params) // 2
    h = x
    for k in range(L):
        a = anp.dot(h, params[2 * k].T) + params[2 * k + 1]
        h = g(a) if k < L - 1 else a
    m = anp.max(h, axis=-1, keepdims=True)
    logp = h - m - anp.log(anp.sum(anp.exp(h - m), axis=-1, keepdims=True))
    if logp.ndim == 1:
        return -logp[label]
    onehot = np.eye(logp.shape[1])[label]
    return -anp.mean(anp.sum(logp * onehot, axis=1))


def autograd_gradients(net: Network, x, label):
    """grad_W and grad_b from the autodiff library autograd (lists indexed like ``net.W``, index 0 None).

    ``x``: (n_0,) or (B, n_0); ``label``: int or (B,) ints.  Needs the package ``autograd``
    (in the course's test extra and environment.yml).
    """
    try:
        from autograd import grad
    except ImportError as exc:  # pragma: no cover - autograd is installed with the course
        raise ImportError("autograd is needed for this check: pip install autograd (it is in the course's "
                          "'test' extra and environment.yml)") from exc
    x, label = _check_label(net, x, label)
    params = [p for k in range(1, net.L + 1) for p in (net.W[k], net.b[k])]
    g = grad(autograd_loss)(params, x, label, net.activation)
    return [None] + [g[2 * k] for k in range(net.L)], [None] + [g[2 * k + 1] for k in range(net.L)]


def finite_difference_gradients(net: Network, x, label, eps: float = 1e-6):
    """Central differences for every parameter: (grad_W, grad_b, n_forward) with 2 forward passes per parameter.

    ``x``: (n_0,) or (B, n_0); ``label``: int or (B,) ints.  ``n_forward`` = 2 P, the number of
    forward passes it ran (counted, not assumed).
    """
    eps = _validate.positive_float(eps, "eps")
    x, label = _check_label(net, x, label)
    work = net.copy()
    n_forward = 0
    out_W, out_b = [None], [None]
    for k in range(1, net.L + 1):
        for arr, out in ((work.W[k], out_W), (work.b[k], out_b)):
            grad = np.zeros_like(arr)
            flat, gflat = arr.reshape(-1), grad.reshape(-1)
            for i in range(flat.size):
                old = flat[i]
                flat[i] = old + eps
                plus = loss(work, x, label)
                flat[i] = old - eps
                minus = loss(work, x, label)
                flat[i] = old
                gflat[i] = (plus - minus) / (2 * eps)
                n_forward += 2
            out.append(grad)
    return out_W, out_b, n_forward


@dataclass
class GradientCheckTable:
    """Per parameter array: (name, shape, max rel. error vs finite differences, vs autograd)."""
    rows: list
    description: str = ""

    @property
    def max_error(self) -> float:
        """The largest relative error in the table (either reference)."""
        return max(max(r[2], r[3]) for r in self.rows)

    def __str__(self) -> str:
        head = f"{self.description}\n" if self.description else ""
        lines = [f"{'parameter':<10} {'shape':<10} {'vs finite diff.':>16} {'vs autograd':>12}"]
        for name, shape, fd, ag in self.rows:
            lines.append(f"{name:<10} {str(shape):<10} {fd:>16.0e} {ag:>12.0e}")
        return head + "\n".join(lines)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def gradient_check_table(net: Network, x, label, eps: float = 1e-6, floor: float = 1e-8) -> GradientCheckTable:
    """Check every grad_W[k], grad_b[k] of backprop against central differences and against autograd.

    ``x``: (n_0,) or (B, n_0); ``label``: int or (B,) ints.  Each row holds the largest relative
    error (:func:`backprop.relative_error` with ``floor``) of one parameter array.
    """
    g = gradients(net, x, label)
    fd_W, fd_b, _ = finite_difference_gradients(net, x, label, eps)
    ag_W, ag_b = autograd_gradients(net, x, label)
    rows = []
    for k in range(1, net.L + 1):
        for name, mine, fd, ag in ((f"W[{k}]", g.grad_W[k], fd_W[k], ag_W[k]), (f"b[{k}]", g.grad_b[k], fd_b[k], ag_b[k])):
            rows.append((name, mine.shape, float(np.max(relative_error(mine, fd, floor))),
                         float(np.max(relative_error(mine, ag, floor)))))
    B = np.shape(x)[0] if np.ndim(x) == 2 else 1
    return GradientCheckTable(rows, f"sizes {net.sizes}, {net.activation}, batch B = {B}, P = {net.n_params}")


# ---------------------------------------------------------------------------- cost
def _sizes(sizes) -> list[int]:
    return _validate.sizes(sizes)


def n_params(sizes) -> int:
    """P = sum_k (n_k n_{k-1} + n_k) for ``sizes`` = [n_0, ..., n_L]."""
    s = _sizes(sizes)
    return sum(s[k] * s[k - 1] + s[k] for k in range(1, len(s)))


def forward_multiply_adds(sizes, B: int = 1) -> int:
    """Multiply-adds of one forward pass of a batch of B: B * sum_k n_k n_{k-1} (the matrix products)."""
    s = _sizes(sizes)
    B = _validate.positive_int(B, "B")
    return B * sum(s[k] * s[k - 1] for k in range(1, len(s)))


def backward_multiply_adds(sizes, B: int = 1) -> int:
    """Multiply-adds of the backward pass: grad_W_k for every k, grad_h_{k-1} for k >= 2 (grad_h_0 is not needed)."""
    s = _sizes(sizes)
    B = _validate.positive_int(B, "B")
    return B * (sum(s[k] * s[k - 1] for k in range(1, len(s))) + sum(s[k] * s[k - 1] for k in range(2, len(s))))


def backprop_multiply_adds(sizes, B: int = 1) -> int:
    """Forward + backward: the cost of every gradient by backprop (about 3 forward passes)."""
    return forward_multiply_adds(sizes, B) + backward_multiply_adds(sizes, B)


def finite_difference_multiply_adds(sizes, B: int = 1) -> int:
    """Central differences: 2 forward passes per parameter, 2 P F multiply-adds."""
    return 2 * n_params(sizes) * forward_multiply_adds(sizes, B)


def _int_to_float(v):
    """Counts (ints) become floats; anything else is left for float_array to judge (bools and complex refused)."""
    try:
        arr = np.asarray(v)
    except (ValueError, TypeError):
        return v
    return arr.astype(float) if arr.dtype != bool and np.issubdtype(arr.dtype, np.integer) else v


def loglog_slope(x, y) -> float:
    """Least-squares slope of log y against log x (cost ~ P^slope). ``x``, ``y``: (m,) positive, m >= 2."""
    x = _validate.float_array(_int_to_float(x), "x", ndim=1)
    y = _validate.float_array(_int_to_float(y), "y", shape=(x.shape[0],))
    if x.shape[0] < 2 or np.any(x <= 0) or np.any(y <= 0):
        raise ValueError(f"loglog_slope needs at least 2 positive points; got x = {x}, y = {y}")
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def cost_family(widths, depth: int = 2, B: int = 1):
    """Networks [w, w, ..., w] with ``depth`` hidden layers for each width w: rows of counted costs.

    Returns a list of dicts with 'width', 'sizes', 'P', 'forward', 'backprop', 'finite_differences'
    (multiply-adds) and 'backprop_in_forwards' (backprop / forward).
    """
    depth = _validate.positive_int(depth, "depth")
    widths = _validate.int_list(widths, "widths")
    rows = []
    for w in widths:
        w = _validate.positive_int(w, "width")
        sizes = [w] * (depth + 2)
        F = forward_multiply_adds(sizes, B)
        rows.append({"width": w, "sizes": sizes, "P": n_params(sizes), "forward": F,
                     "backprop": backprop_multiply_adds(sizes, B),
                     "finite_differences": finite_difference_multiply_adds(sizes, B),
                     "backprop_in_forwards": backprop_multiply_adds(sizes, B) / F})
    return rows


def _best_time(fn, repeats: int, calls: int = 1) -> float:
    """Seconds per call: the best over ``repeats`` of the mean over ``calls`` calls in a row."""
    best = np.inf
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - t) / calls)
    return best


def measure_costs(widths, depth: int = 2, B: int = 32, full_fd_max_params: int = 1000, repeats: int = 5,
                  activation: str = "tanh", seed: int = 0):
    """Measured seconds for the networks of :func:`cost_family` (best of ``repeats``).

    For each width: 'P', 't_forward' (one forward pass and loss of a batch of B), 't_backprop' (all
    gradients by forward + backward), 't_fd' = 2 P * t_forward (central differences: 2P forward passes)
    and 't_fd_measured' (the full central-difference run, timed, for networks with P <=
    ``full_fd_max_params``; None above).  Timings vary from run to run and machine to machine:
    never print them in a cell that nbval compares.
    """
    repeats = _validate.positive_int(repeats, "repeats")
    full_fd_max_params = _validate.positive_int(full_fd_max_params, "full_fd_max_params", minimum=0)
    seed = _validate.seed(seed)
    try:   # one BLAS thread: a fair comparison, and no jumps where the library switches to threads
        from threadpoolctl import threadpool_limits
        limit = threadpool_limits(1)
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        limit = None
    try:
        return _measure(widths, depth, B, full_fd_max_params, repeats, activation, seed)
    finally:
        if limit is not None:
            limit.restore_original_limits()


def _measure(widths, depth, B, full_fd_max_params, repeats, activation, seed):
    rows = []
    for c in cost_family(widths, depth, B):
        net = Network.init(c["sizes"], activation=activation, seed=seed)
        rng = np.random.default_rng(seed)
        X = rng.normal(size=(B, c["sizes"][0]))
        labels = rng.integers(0, c["sizes"][-1], size=B)
        t_f = _best_time(lambda: loss(net, X, labels), repeats, calls=10)
        t_b = _best_time(lambda: backward(net, forward(net, X), labels), repeats)
        t_fd = None
        if c["P"] <= full_fd_max_params:
            t_fd = _best_time(lambda: finite_difference_gradients(net, X, labels), 1)
        rows.append({"width": c["width"], "P": c["P"], "t_forward": t_f, "t_backprop": t_b,
                     "t_fd": 2 * c["P"] * t_f, "t_fd_measured": t_fd})
    return rows


# ---------------------------------------------------------------------------- per-layer norms
def gradient_norms(net: Network, x, label) -> np.ndarray:
    """||grad_W_k|| (Frobenius norm) for k = 1..L. ``x``: (n_0,) or (B, n_0) -> (L,) array, entry k-1 for layer k."""
    g = gradients(net, x, label)
    return np.array([np.linalg.norm(g.grad_W[k]) for k in range(1, net.L + 1)])


N_IN, N_CLASSES, BATCH = 8, 4, 32
"""The play panel's fixed input size, number of classes and batch size."""


def norms_state(depth: int, width: int, activation: str, seed: int = 0) -> dict:
    """Per-layer gradient norms of a seeded random network with ``depth`` hidden layers of ``width`` units.

    Sizes [8, width x depth, 4], Xavier init with ``seed``, a seeded standard-normal batch of
    B = 32 inputs with random labels.  Returns a dict: 'sizes', 'activation', 'norms' (L,)
    = ||grad_W_k||, 'bias_norms' (L,) = ||grad_b_k||, 'loss', 'P'.
    """
    depth = _validate.positive_int(depth, "depth")
    width = _validate.positive_int(width, "width")
    seed = _validate.seed(seed)
    sizes = [N_IN] + [width] * depth + [N_CLASSES]
    net = Network.init(sizes, activation=activation, seed=seed)
    rng = np.random.default_rng(seed + 1)
    X = rng.normal(size=(BATCH, N_IN))
    labels = rng.integers(0, N_CLASSES, size=BATCH)
    g = gradients(net, X, labels)
    return {"sizes": sizes, "activation": net.activation, "P": net.n_params, "loss": g.loss,
            "norms": np.array([np.linalg.norm(g.grad_W[k]) for k in range(1, net.L + 1)]),
            "bias_norms": np.array([np.linalg.norm(g.grad_b[k]) for k in range(1, net.L + 1)])}
