"""A small reverse-mode automatic differentiation engine over numpy arrays (lesson 10).

Every number the forward pass computes becomes a node, a :class:`Tensor`, that remembers

    data       the value, a float64 array of any shape (shape () for a scalar)
    parents    the nodes it was computed from
    op         the operation's name ('*', 'exp', '@', ...)
    rule       its LOCAL backward rule: given g = dL/d(this node), the contribution
               g * d(this node)/d(parent) for each parent, computed from the node's own
               inputs and output only
    grad       dL/d(this node), same shape as data, filled by backward()

``loss.backward()`` (``loss`` a scalar node) puts the nodes in topological order, sets
``loss.grad = 1`` and walks the order backwards: each node hands its gradient to its parents
through its local rule, and a parent ADDS every contribution it receives,

    parent.grad += contribution            (never '=': a node used twice gets two contributions)

That one '+=' is lesson 04's sum over paths.  The topological order guarantees that a node's
gradient is complete (every path through it added up) before it is passed on: lesson 03's
reuse of delta_k = dL/da_k.  Backpropagation (lesson 08) is exactly this, with the local
rules of a network's operations.

Broadcasting is deliberately narrow.  Two operands of an elementwise operation (+ - *) must
have the same shape, or one of them is a scalar (), or a row (n,) is added to every row of a
batch (B, n), as the bias b_k is to A_k.  Anything else, for example (n,) against (n, 1),
raises a ValueError instead of silently making an (n, n) matrix.  A broadcast operand is used
once per row, so its gradient is the sum of the rows' contributions (lesson 07's bias
gradient, summed over the batch).

Operations: ``+ - * @`` (and unary ``-``), ``.T``, :func:`exp`, :func:`log`, :func:`tanh`,
:func:`logistic`, :func:`relu`, :meth:`Tensor.sum`, :meth:`Tensor.mean`, :func:`log_softmax`,
and :func:`cross_entropy`, composed from log_softmax, * and sum (so its gradient
-(e(l) - y_hat) is found by the engine, not written in).
"""
from __future__ import annotations

import numbers

import numpy as np

from . import _validate

# ----------------------------------------------------------------------------- the node


class Tensor:
    """A node of the computational graph.

    ``data``: float array of any shape (a Python float for a scalar); ``name``: a label for
    printing and drawing (e.g. 'w', 'W[1]'); ``requires_grad``: False for data and constants
    (inputs x, targets y, 1/2), whose gradient nobody needs: backward() skips them.
    ``.grad`` has the shape of ``.data`` after :meth:`backward` (None before, and for nodes
    that do not require a gradient).
    """

    __array_priority__ = 1000        # np.float64(2.0) * t calls t.__rmul__, not numpy's broadcasting

    def __init__(self, data, name: str | None = None, *, requires_grad: bool = True, _parents=(), _op: str = "",
                 _rule=None, _cost=(0, 0)):
        self.data = _validate.float_array(data, name or "data", allow_scalar=True)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a string such as 'w' or 'W[1]'; got {_validate.describe(name)}")
        self.name = name
        self.requires_grad = _validate.flag(requires_grad, "requires_grad")
        self.parents = tuple(_parents)
        self.op = _op
        self.rule = _rule            # function(g) -> one contribution per parent (None where not needed)
        self.cost = _cost            # (forward, backward) operations, see count_operations
        self.grad = None

    # -- display
    @property
    def shape(self):
        return self.data.shape

    def label(self) -> str:
        """The name if it has one, else the operation (an unnamed leaf: 'constant' or 'tensor')."""
        if self.name is not None:
            return self.name
        return self.op or ("tensor" if self.requires_grad else "constant")

    def __repr__(self) -> str:
        what = f"{self.data:.6g}" if self.data.ndim == 0 else f"shape {self.data.shape}"
        return f"Tensor({self.label()!r}, {what}{', grad' if self.grad is not None else ''})"

    def item(self) -> float:
        """The value of a scalar node as a float."""
        if self.data.ndim != 0:
            raise ValueError(f"item() needs a scalar node (shape ()); got shape {self.data.shape}")
        return float(self.data)

    # -- operators: each builds a node with its local rule
    def __add__(self, other):
        return _add(self, _as_tensor(other, "the right operand of +"))

    def __radd__(self, other):
        return _add(_as_tensor(other, "the left operand of +"), self)

    def __sub__(self, other):
        return _sub(self, _as_tensor(other, "the right operand of -"))

    def __rsub__(self, other):
        return _sub(_as_tensor(other, "the left operand of -"), self)

    def __neg__(self):
        return _node(-self.data, (self,), "neg", lambda g: (-g,), cost=(self.data.size, self.data.size))

    def __mul__(self, other):
        return _mul(self, _as_tensor(other, "the right operand of *"))

    def __rmul__(self, other):
        return _mul(_as_tensor(other, "the left operand of *"), self)

    def __matmul__(self, other):
        return matmul(self, other)

    def __rmatmul__(self, other):
        return matmul(other, self)

    def __truediv__(self, other):
        raise TypeError("this small engine has no division node (exercise 10.4 writes its rule); "
                        "multiply by a constant instead: t * (1 / 3.0)")

    __rtruediv__ = __truediv__

    def __pow__(self, other):
        raise TypeError("this small engine has no power node; write t * t for a square")

    @property
    def T(self):
        """The transpose of a matrix (2 dimensions). Local rule: the gradient is transposed back."""
        if self.data.ndim != 2:
            raise ValueError(f".T needs a matrix (2 dimensions); got shape {self.data.shape}")
        return _node(self.data.T, (self,), "T", lambda g: (g.T,))

    def sum(self, axis=None):
        """Sum of all entries (axis=None) -> shape (), or along ``axis`` (an int).

        Local rule: every entry contributed with weight 1, so each gets the incoming gradient.
        """
        axis = _axis(axis, self.data.ndim)
        out = self.data.sum(axis=axis)
        shape = self.data.shape
        rule = (lambda g: (np.broadcast_to(g, shape).copy(),)) if axis is None else \
               (lambda g: (np.broadcast_to(np.expand_dims(g, axis), shape).copy(),))
        return _node(out, (self,), "sum", rule, cost=(self.data.size, self.data.size))

    def mean(self, axis=None):
        """Mean of all entries (axis=None) -> shape (), or along ``axis``. Local rule: each entry gets g / n."""
        axis = _axis(axis, self.data.ndim)
        n = self.data.size if axis is None else self.data.shape[axis]
        out = self.data.mean(axis=axis)
        shape = self.data.shape
        rule = (lambda g: (np.broadcast_to(g / n, shape).copy(),)) if axis is None else \
               (lambda g: (np.broadcast_to(np.expand_dims(g / n, axis), shape).copy(),))
        return _node(out, (self,), "mean", rule, cost=(self.data.size, self.data.size))

    # -- the backward pass
    def backward(self, grad=None, trace: bool = False):
        """Fill ``.grad`` of every node this one depends on with d(self)/d(node).

        ``self`` must be a scalar (the loss), unless ``grad`` (same shape as self) is given.
        Gradients are reset first, so calling backward twice gives the same result.
        ``trace=True`` returns the list of steps (node, parent, contribution) in the order
        they were added, to watch the sum over paths happen.
        """
        if grad is None:
            if self.data.ndim != 0:
                raise ValueError(f"backward() starts from a scalar loss (shape ()); got shape {self.data.shape}: "
                                 f"call .sum() or .mean() first, or pass grad= of shape {self.data.shape}")
            grad = np.ones(())
        else:
            grad = _validate.float_array(grad, "grad", shape=self.data.shape, allow_scalar=True)
        order = topological_order(self)
        for node in order:
            node.grad = np.zeros_like(node.data) if node.requires_grad else None
        if not self.requires_grad:
            raise ValueError("backward() from a node that depends on no parameter: every leaf was made with "
                             "requires_grad=False, so there is no gradient to compute")
        self.grad = self.grad + grad
        steps = [] if trace else None
        for node in reversed(order):                    # the loss first, the leaves last
            if node.rule is None or node.grad is None:
                continue                                # a leaf, or nothing upstream needs a gradient
            contributions = node.rule(node.grad)
            for parent, c in zip(node.parents, contributions):
                if parent.requires_grad:
                    c = _unbroadcast(c, parent.data.shape)
                    parent.grad += c                    # ADD: the sum over paths (lesson 04)
                    if trace:
                        steps.append((node, parent, c))
        return steps


def _as_tensor(x, what: str) -> Tensor:
    """A Tensor stays itself; a number or an array becomes a constant (no gradient)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, numbers.Number) and not isinstance(x, bool):
        return Tensor(x, f"{float(x):g}", requires_grad=False)
    return Tensor(_validate.float_array(x, what, allow_scalar=True), requires_grad=False)


def constant(data, name: str | None = None) -> Tensor:
    """A node whose gradient is not needed (inputs x, labels' one-hot rows, targets y): Tensor(..., requires_grad=False)."""
    return Tensor(data, name, requires_grad=False)


def _node(data, parents, op, rule, cost=None) -> Tensor:
    data = np.asarray(data, dtype=np.float64)
    if not np.all(np.isfinite(data)):
        raise ValueError(f"the operation {op!r} on {', '.join(p.label() for p in parents)} overflowed to inf/NaN; "
                         f"expected inputs that keep the values finite (largest |input| = "
                         f"{max(float(np.max(np.abs(p.data))) for p in parents):.3g})")
    needs = any(p.requires_grad for p in parents)
    if cost is None:
        cost = (data.size, data.size)
    return Tensor(data, requires_grad=needs, _parents=parents, _op=op, _rule=rule if needs else None, _cost=cost)


def _axis(axis, ndim):
    """None, or an int in -ndim..ndim-1 (returned as 0..ndim-1)."""
    if axis is None:
        return None
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"axis must be None or an integer; got {_validate.describe(axis)}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis must be None or in {-ndim}..{ndim - 1} for an array of {ndim} dimensions; got {axis}")
    return int(axis) % ndim


# ----------------------------------------------------------------------------- broadcasting


def _check_broadcast(a: Tensor, b: Tensor, op: str):
    """Allowed: equal shapes, a scalar () with anything, a row (n,) with a batch (B, n)."""
    sa, sb = a.data.shape, b.data.shape
    if sa == sb or sa == () or sb == ():
        return
    if (len(sa), len(sb)) in ((2, 1), (1, 2)) and sa[-1] == sb[-1]:
        return
    extra = ""
    if sorted([len(sa), len(sb)]) == [1, 2] and max(sa, sb, key=len)[0] == min(sa, sb, key=len)[0]:
        extra = (" A column (n, 1) and a vector (n,) would silently broadcast to an (n, n) matrix in numpy; "
                 "reshape one of them so that both have the same shape.")
    raise ValueError(f"{a.label()} {op} {b.label()}: the shapes {sa} and {sb} do not match; expected equal shapes, a "
                     f"scalar (), or a row (n,) with a batch (B, n).{extra}")


def _unbroadcast(g, shape):
    """A contribution of the broadcast shape, summed back to the operand's ``shape``.

    A scalar or a row used for every entry/row gets the sum of their contributions: sum over paths.
    """
    if g.shape == shape:
        return g
    if shape == ():
        return np.asarray(g.sum())
    return g.sum(axis=0)          # a row (n,) added to every row of (B, n)


def _add(a: Tensor, b: Tensor) -> Tensor:
    _check_broadcast(a, b, "+")
    # local rule: d(a + b)/da = 1, d(a + b)/db = 1: pass g on unchanged
    return _node(a.data + b.data, (a, b), "+", lambda g: (g, g), cost=(max(a.data.size, b.data.size), 0))


def _sub(a: Tensor, b: Tensor) -> Tensor:
    _check_broadcast(a, b, "-")
    # local rule: d(a - b)/da = 1, d(a - b)/db = -1
    n = max(a.data.size, b.data.size)
    return _node(a.data - b.data, (a, b), "-", lambda g: (g, -g), cost=(n, n))


def _mul(a: Tensor, b: Tensor) -> Tensor:
    _check_broadcast(a, b, "*")
    ad, bd = a.data, b.data
    # local rule: d(a b)/da = b, d(a b)/db = a
    n = max(ad.size, bd.size)
    return _node(ad * bd, (a, b), "*", lambda g: (g * bd, g * ad), cost=(n, 2 * n))


# ----------------------------------------------------------------------------- matrix product


def matmul(A, B) -> Tensor:
    """A @ B for A (m, n) or (n,) and B (n, p) or (n,).

    Local rule (G = dL/dC of the result C = A @ B):  dL/dA = G B^T,  dL/dB = A^T G
    (for vectors the same with outer products).  Costs m n p multiply-adds forward, and as
    many again for each operand that needs a gradient.
    """
    A = _as_tensor(A, "the left operand of @")
    B = _as_tensor(B, "the right operand of @")
    a, b = A.data, B.data
    if a.ndim not in (1, 2) or b.ndim not in (1, 2):
        raise ValueError(f"{A.label()} @ {B.label()}: expected vectors (n,) or matrices (m, n); got shapes {a.shape} and {b.shape}")
    if a.shape[-1] != b.shape[0]:
        raise ValueError(f"{A.label()} @ {B.label()}: the inner sizes must agree, (m, n) @ (n, p); got {a.shape} @ {b.shape}")

    def rule(G):
        if a.ndim == 2 and b.ndim == 2:
            return G @ b.T, a.T @ G
        if a.ndim == 2:                          # (m, n) @ (n,) -> (m,)
            return np.outer(G, b), a.T @ G
        if b.ndim == 2:                          # (n,) @ (n, p) -> (p,)
            return b @ G, np.outer(a, G)
        return G * b, G * a                      # (n,) @ (n,) -> ()

    mnp = a.size * (b.shape[1] if b.ndim == 2 else 1)
    n_back = mnp * (int(A.requires_grad) + int(B.requires_grad))
    return _node(a @ b, (A, B), "@", rule, cost=(mnp, n_back))


# ----------------------------------------------------------------------------- elementwise functions


def exp(t) -> Tensor:
    """e^t, elementwise. Local rule: d e^t / dt = e^t, the node's own output."""
    t = _as_tensor(t, "exp's input")
    with np.errstate(over="ignore"):
        out = np.exp(t.data)
    return _node(out, (t,), "exp", lambda g: (g * out,), cost=(t.data.size, t.data.size))


def log(t) -> Tensor:
    """Natural log, elementwise, for positive entries. Local rule: d log t / dt = 1 / t."""
    t = _as_tensor(t, "log's input")
    if np.any(t.data <= 0):
        raise ValueError(f"log needs positive inputs; got {int((t.data <= 0).sum())} entries <= 0 "
                         f"(the smallest {float(t.data.min()):.3g}) in {t.label()}")
    x = t.data
    return _node(np.log(x), (t,), "log", lambda g: (g / x,), cost=(x.size, x.size))


def tanh(t) -> Tensor:
    """tanh, elementwise. Local rule: 1 - tanh(t)^2, from the output (lesson 06)."""
    t = _as_tensor(t, "tanh's input")
    out = np.tanh(t.data)
    return _node(out, (t,), "tanh", lambda g: (g * (1.0 - out * out),), cost=(t.data.size, 3 * t.data.size))


def logistic(t) -> Tensor:
    """The logistic sigmoid, elementwise. Local rule: g(t) (1 - g(t)), from the output (lesson 06)."""
    from .activations import logistic as _g

    t = _as_tensor(t, "logistic's input")
    out = _g(t.data)
    return _node(out, (t,), "logistic", lambda g: (g * out * (1.0 - out),), cost=(t.data.size, 3 * t.data.size))


def relu(t) -> Tensor:
    """max(0, t), elementwise. Local rule: 1 where t > 0, else 0 (lesson 06)."""
    t = _as_tensor(t, "relu's input")
    on = t.data > 0
    return _node(np.where(on, t.data, 0.0), (t,), "relu", lambda g: (g * on,), cost=(t.data.size, t.data.size))


def log_softmax(t) -> Tensor:
    """log softmax along the last axis: (k,) or (B, k) -> same shape (stable: log-sum-exp).

    Local rule (y_hat = softmax(t), g the incoming gradient, per row):
    dL/dt = g - y_hat * sum(g)  — the softmax Jacobian of lesson 05, applied to g.
    """
    t = _as_tensor(t, "log_softmax's input")
    a = t.data
    if a.ndim not in (1, 2) or a.shape[-1] < 2:
        raise ValueError(f"log_softmax needs k >= 2 scores along the last axis, (k,) or (B, k); got shape {a.shape}")
    z = a - a.max(axis=-1, keepdims=True)
    out = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    y_hat = np.exp(out)
    return _node(out, (t,), "log_softmax", lambda g: (g - y_hat * g.sum(axis=-1, keepdims=True),),
                 cost=(5 * a.size, 3 * a.size))


def cross_entropy(logits, label) -> Tensor:
    """The loss -log y_hat_l, composed of nodes: -(e(l) * log_softmax(a_L)).sum(), divided by B for a batch.

    ``logits``: a Tensor (k,) with ``label`` an int, or (B, k) with ``label`` an int array (B,)
    -> a scalar node (the mean over the rows for a batch).  The engine finds dL/da_L = -(e(l) - y_hat)
    by itself from the local rules of *, sum and log_softmax.
    """
    from .losses import one_hot

    if not isinstance(logits, Tensor):
        raise TypeError(f"logits must be a Tensor (the node a_L); got {_validate.describe(logits)}")
    a = logits.data
    if a.ndim not in (1, 2) or a.shape[-1] < 2:
        raise ValueError(f"logits must be (k,) or (B, k) with k >= 2 classes; got shape {a.shape}")
    B = None if a.ndim == 1 else a.shape[0]
    label = _validate.labels(label, "label", n_classes=a.shape[-1], batch=B)
    E = constant(one_hot(label, a.shape[-1]), "e(ℓ)")
    total = -(E * log_softmax(logits)).sum()
    return total if B is None else total * (1.0 / B)


# ----------------------------------------------------------------------------- graph utilities


def topological_order(root: Tensor) -> list:
    """Every node ``root`` depends on, each after all of its parents (leaves first, ``root`` last).

    Depth-first, without recursion (deep graphs are fine).  A node reached along several
    paths appears once.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"root must be a Tensor; got {_validate.describe(root)}")
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for p in reversed(node.parents):
            if id(p) not in seen:
                stack.append((p, False))
    return order


def count_operations(root: Tensor) -> dict:
    """Arithmetic of the forward and the backward pass of ``root``'s graph, by a simple model.

    One operation per entry for an elementwise step (a few for tanh, logistic, log_softmax),
    m n p multiply-adds for a matrix product (and as many again per operand that needs a
    gradient in the backward pass).  Returns {'forward', 'backward', 'ratio',
    'matmul_forward', 'matmul_backward', 'nodes'}.
    """
    order = topological_order(root)
    fwd = sum(n.cost[0] for n in order)
    bwd = sum(n.cost[1] for n in order if n.rule is not None)
    mm = [n for n in order if n.op == "@"]
    return {"forward": fwd, "backward": bwd, "ratio": bwd / fwd if fwd else 0.0,
            "matmul_forward": sum(n.cost[0] for n in mm),
            "matmul_backward": sum(n.cost[1] for n in mm if n.rule is not None), "nodes": len(order)}


# ----------------------------------------------------------------------------- lesson 08's network


def network_loss(net, X, labels):
    """Lesson 08's forward pass built from nodes: returns (loss, W, b) with W[k], b[k] the parameter nodes.

    ``net``: a backprop.Network; ``X``: (n_0,) or (B, n_0); ``labels``: int or (B,) ints.
    The loss is the mean cross-entropy over the rows for a batch.
    """
    from .network import _check_input

    X = _check_input(net, X)
    g = {"logistic": logistic, "tanh": tanh, "relu": relu}[net.activation]
    W = [None] + [Tensor(net.W[k], f"W[{k}]") for k in range(1, net.L + 1)]
    b = [None] + [Tensor(net.b[k], f"b[{k}]") for k in range(1, net.L + 1)]
    h = constant(X, "x")                                # h_0 = x: data, no gradient needed
    for k in range(1, net.L + 1):
        a = (h @ W[k].T if X.ndim == 2 else W[k] @ h) + b[k]   # a_k = b_k + W_k h_{k-1}
        h = g(a) if k < net.L else a
    return cross_entropy(a, labels), W, b


def network_gradients(net, X, labels):
    """(loss, grad_W, grad_b) of ``net`` by this engine: lists indexed like net.W (index 0 None)."""
    loss, W, b = network_loss(net, X, labels)
    loss.backward()
    return loss.item(), [None] + [w.grad for w in W[1:]], [None] + [v.grad for v in b[1:]]
