"""Lesson 10's play: choose an expression, set its inputs, see its computational graph with every
node's value and gradient (from the engine in :mod:`backprop.autodiff`).

* :func:`graph_layout` places the nodes of a graph: leaves on the left, the output on the right.
* :func:`draw_graph` draws it on matplotlib axes, each node with its value and gradient.
* :func:`expression_state` is the panel's compute function (a plain function: tests call it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import _validate, widgets
from .. import autodiff as ad
from ..figures import figure

# ----------------------------------------------------------------------------- the menu


def _logistic(a):
    return 1.0 / (1.0 + np.exp(-a))


@dataclass(frozen=True)
class Expression:
    """One entry of the menu: its formula (text), the names of its three inputs, the graph builder
    ``build(u, v, w) -> Tensor`` and the gradient in closed form ``closed(u, v, w) -> (3,)``."""
    key: str
    formula: str
    names: tuple
    build: Callable
    closed: Callable
    remark: str


EXPRESSIONS = {
    e.key: e for e in [
        Expression(
            "neuron", "f = tanh(w·x + b)", ("w", "x", "b"),
            lambda w, x, b: ad.tanh(w * x + b),
            lambda w, x, b: (1 - np.tanh(w * x + b) ** 2) * np.array([x, w, 1.0]),
            "a tanh neuron: the gradient reaching a = w·x + b is (1 − f²) times the incoming 1"),
        Expression(
            "twice", "f = x·y + x·z", ("x", "y", "z"),
            lambda x, y, z: x * y + x * z,
            lambda x, y, z: np.array([y + z, x, x]),
            "x is used twice: its gradient is the sum of two paths, y + z"),
        Expression(
            "squared", "ℒ = ½ (σ(w·x + b) − y)²,  y = 0.8", ("w", "x", "b"),
            lambda w, x, b: _squared_error(w, x, b),
            lambda w, x, b: ((_logistic(w * x + b) - 0.8) * _logistic(w * x + b) * (1 - _logistic(w * x + b)))
            * np.array([x, w, 1.0]),
            "lesson 02's neuron; the square is d·d, so d is used twice"),
        Expression(
            "cross_entropy", "ℒ = log(exp a₁ + exp a₂ + exp a₃) − a₁", ("a_1", "a_2", "a_3"),
            lambda a1, a2, a3: ad.log(ad.exp(a1) + ad.exp(a2) + ad.exp(a3)) - a1,
            lambda a1, a2, a3: np.exp([a1, a2, a3]) / np.exp([a1, a2, a3]).sum() - np.array([1.0, 0, 0]),
            "−log ŷ₁ of a softmax over 3 classes, true class ℓ = 1: the gradient is ŷ − e(ℓ) (lesson 05)"),
        Expression(
            "relu", "f = relu(w·x + b)", ("w", "x", "b"),
            lambda w, x, b: ad.relu(w * x + b),
            lambda w, x, b: float(w * x + b > 0) * np.array([x, w, 1.0]),
            "a ReLU neuron: when w·x + b ≤ 0 nothing gets through, every gradient is 0"),
    ]
}
"""The panel's menu, by key."""


def _squared_error(w, x, b):
    d = ad.logistic(w * x + b) - ad.constant(0.8, "y")
    return 0.5 * (d * d)


def build(expression: str, u: float, v: float, w: float):
    """The graph of the menu entry ``expression`` at inputs (u, v, w): (output node, [three input nodes])."""
    e = EXPRESSIONS[_validate.choice(expression, "expression", tuple(EXPRESSIONS))]
    inputs = [ad.Tensor(_validate.real(val, name), name) for val, name in zip((u, v, w), e.names)]
    return e.build(*inputs), inputs


def evaluate(expression: str, u: float, v: float, w: float) -> float:
    """The value of the expression at (u, v, w), a float (for central differences)."""
    return build(expression, u, v, w)[0].item()


def expression_state(expression: str, v1: float, v2: float, v3: float) -> dict:
    """Build the chosen expression at inputs (v1, v2, v3), run backward, return what the panel shows.

    Returns a dict: 'expression' (key), 'formula', 'names' (3 input names), 'values' (3,),
    'f' (float, the output), 'grads' (3,) from the engine, 'closed' (3,) closed-form gradients,
    'numeric' (3,) central differences, 'nodes' (topological order, leaves first), 'root'.
    """
    e = EXPRESSIONS[_validate.choice(expression, "expression", tuple(EXPRESSIONS))]
    values = np.array([_validate.real(v, f"v{i + 1} ({e.names[i]})") for i, v in enumerate((v1, v2, v3))])
    root, inputs = build(expression, *values)
    root.backward()
    grads = np.array([float(t.grad) for t in inputs])
    eps = 1e-6
    numeric = np.empty(3)
    for i in range(3):
        up, down = values.copy(), values.copy()
        up[i] += eps
        down[i] -= eps
        numeric[i] = (evaluate(expression, *up) - evaluate(expression, *down)) / (2 * eps)
    return {"expression": expression, "formula": e.formula, "names": e.names, "remark": e.remark,
            "values": values, "f": root.item(), "grads": grads, "closed": np.asarray(e.closed(*values), dtype=float),
            "numeric": numeric, "nodes": ad.topological_order(root), "root": root}


# ----------------------------------------------------------------------------- layout and drawing

_OPS = {"*": "×", "+": "+", "-": "−", "neg": "−(·)", "exp": "exp", "log": "log", "tanh": "tanh",
        "logistic": "σ", "relu": "relu", "sum": "Σ", "mean": "mean", "@": "@", "T": "ᵀ", "log_softmax": "log softmax"}


def node_text(node) -> str:
    """The label drawn in a node: an input's name (a_1 -> a₁), a constant's value, or the operation's symbol."""
    if node.name is not None:
        return widgets.symbol(node.name) if node.name.replace("_", "").isalnum() else node.name
    return _OPS.get(node.op, node.op)


def graph_layout(root) -> tuple[list, np.ndarray, list]:
    """Positions of the nodes of ``root``'s graph: (nodes, xy, edges).

    ``nodes``: topological order (leaves first); ``xy``: (n, 2) array, x the column (leaves left,
    ``root`` right), y the row; ``edges``: list of (parent index, child index).
    """
    nodes = ad.topological_order(root)
    index = {id(n): i for i, n in enumerate(nodes)}
    level = np.zeros(len(nodes), dtype=int)
    for i, n in enumerate(nodes):
        if n.parents:
            level[i] = 1 + max(level[index[id(p)]] for p in n.parents)
    children = [[] for _ in nodes]
    edges = []
    for i, n in enumerate(nodes):
        for p in n.parents:
            children[index[id(p)]].append(i)
            edges.append((index[id(p)], i))
    for i, n in enumerate(nodes):       # a leaf sits just before its first use
        if not n.parents and children[i]:
            level[i] = min(level[c] for c in children[i]) - 1
    # rows: leaves in the order a depth-first walk from the root meets them (top to bottom),
    # an operation at the mean of its inputs' rows, then pushed apart within its column
    y = np.full(len(nodes), np.nan)
    slot = [0.0]

    def place(i, seen):
        if i in seen:
            return
        seen.add(i)
        for p in nodes[i].parents:
            place(index[id(p)], seen)
        if not nodes[i].parents:
            y[i] = -slot[0]
            slot[0] += 1.0

    place(len(nodes) - 1, set())
    for i, n in enumerate(nodes):
        if n.parents:
            y[i] = np.mean([y[index[id(p)]] for p in n.parents])
    for lv in np.unique(level):
        col = sorted(np.flatnonzero(level == lv), key=lambda i: -y[i])
        for a, b in zip(col, col[1:]):
            if y[a] - y[b] < 1.0:
                y[b] = y[a] - 1.0
    xy = np.column_stack([1.7 * (level - level.min()), 1.05 * y])
    return nodes, xy, edges


def _fmt(v: float, digits: int = 3) -> str:
    """A signed number; -0.000 is shown as +0.000."""
    return f"{round(v, digits) + 0.0:+.{digits}f}" if abs(v) < 100 else f"{v:+.2e}"


def value_text(node) -> str:
    """'= +0.231' for a scalar, the shape for an array ('' for a constant named by its value, such as 0.5)."""
    if not node.requires_grad and not node.parents and node.name == f"{float(node.data):g}":
        return ""
    return f"= {_fmt(float(node.data))}" if node.data.ndim == 0 else f"shape {node.data.shape}"


def grad_text(node) -> str:
    """'∂ = −0.143' for a scalar node's gradient, its norm for an array; '' for a node without a gradient."""
    if node.grad is None:
        return ""
    if node.data.ndim == 0:
        return f"grad {_fmt(float(node.grad))}"
    return f"|grad| {np.linalg.norm(node.grad):.2e}"


def draw_graph(ax, root, *, title: str | None = None) -> list:
    """Draw the computational graph of ``root`` on ``ax``: every node a box with its label, its value
    (black) and its gradient (red, after ``root.backward()``); arrows go from inputs to results.

    Returns, for every node in topological order, the pair (value Text, gradient Text), so a panel
    can update them in place.
    """
    if not isinstance(root, ad.Tensor):
        raise TypeError(f"root must be a backprop.autodiff.Tensor; got {_validate.describe(root)}")
    nodes, xy, edges = graph_layout(root)
    w, h = 1.18, 0.82
    seen = {}
    for p, c in edges:
        (x0, y0), (x1, y1) = xy[p], xy[c]
        repeat = seen.get((p, c), 0)          # a node used twice by one operation (d * d): two arrows
        seen[(p, c)] = repeat + 1
        twice = edges.count((p, c)) > 1
        long = x1 - x0 > 2.0                  # skips a column: bend it around the boxes in between
        rad = (0.35 if repeat else -0.35) if twice else (-0.25 if long else 0.0)
        ax.add_patch(FancyArrowPatch((x0 + w / 2, y0), (x1 - w / 2, y1), arrowstyle="-|>", mutation_scale=9,
                                     color="#777", lw=0.9, shrinkA=0, shrinkB=1, zorder=1,
                                     connectionstyle=f"arc3,rad={rad}"))
    texts = []
    for n, (x, y) in zip(nodes, xy):
        leaf, const = not n.parents, not n.requires_grad
        face = "#eeeeee" if const else ("#dbe9f6" if leaf else "#fdf3d8")
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.1",
                                    facecolor=face, edgecolor="#555" if n is not root else "#000",
                                    lw=0.8 if n is not root else 1.6, zorder=2))
        plain = not value_text(n) and not grad_text(n)       # a constant such as 0.5: its label says it all
        ax.text(x, y if plain else y + 0.22, node_text(n), ha="center", va="center", fontsize=9,
                fontweight="bold" if leaf else "normal", zorder=3)
        tv = ax.text(x, y - 0.02, value_text(n), ha="center", va="center", fontsize=7.5, color="#111", zorder=3)
        tg = ax.text(x, y - 0.24, grad_text(n), ha="center", va="center", fontsize=7.5, color="#c0392b", zorder=3)
        texts.append((tv, tg))
    ax.set_xlim(xy[:, 0].min() - 0.75, xy[:, 0].max() + 0.75)
    ax.set_ylim(xy[:, 1].min() - 0.65, xy[:, 1].max() + 0.65)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return texts


def graph_figure(root, title: str | None = None, scale: float = 1.0) -> Figure:
    """A Figure with the graph of ``root`` (see :func:`draw_graph`), sized to the graph."""
    nodes, xy, _ = graph_layout(root)
    width = (np.ptp(xy[:, 0]) + 1.5) * 0.95 * scale
    height = (np.ptp(xy[:, 1]) + 1.3) * 0.95 * scale + (0.35 if title else 0)
    fig = Figure(figsize=(max(width, 3.0), max(height, 1.5)))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0 if not title else 1 - 0.35 / height))
    draw_graph(ax, root)
    if title:
        fig.suptitle(title, fontsize=10, y=0.995, va="top")
    return fig


# ----------------------------------------------------------------------------- the panel


def draw(fig, d, art):
    """The graph of the chosen expression; the value and gradient texts are the only artists that change."""
    if art.get("expression") != d["expression"]:
        fig.clear()
        ax = fig.add_axes((0.01, 0.09, 0.98, 0.83))
        art["texts"] = draw_graph(ax, d["root"])
        fig.texts.clear()
        fig.text(0.5, 0.975, d["formula"], ha="center", va="top", fontsize=11)
        fig.text(0.5, 0.015, "each box: the node, its value (black) and its gradient ∂f/∂node (red); "
                             "blue: inputs, grey: constants", ha="center", va="bottom", fontsize=8, color="#444")
        art["expression"] = d["expression"]
        art["dynamic"] = [t for pair in art["texts"] for t in pair]
    for n, (tv, tg) in zip(d["nodes"], art["texts"]):
        tv.set_text(value_text(n))
        tg.set_text(grad_text(n))


def readout(d) -> str:
    """The inputs' gradients from the engine, next to the closed form and central differences."""
    f = "ℒ" if d["formula"].startswith("ℒ") else "f"
    parts = []
    for name, v, g, c, n in zip(d["names"], d["values"], d["grads"], d["closed"], d["numeric"]):
        s = widgets.symbol(name)
        parts.append(f"<b>∂{f}/∂{s} = {_fmt(g, 6)}</b> (closed form {_fmt(c, 6)}, central diff. {_fmt(n, 6)})")
    return (f"{d['formula']}:  <b>{f} = {d['f']:.6f}</b> at " + ", ".join(f"{widgets.symbol(n)} = {v:.2f}" for n, v in zip(d["names"], d["values"]))
            + "<br>" + "<br>".join(parts) + f"<br><span style='color:#555'>{d['remark']}</span>")


START = (-1.0, 2.0, 0.0)
"""The sliders' start: lesson 02's neuron, w = -1, x = 2, b = 0."""


def panel() -> widgets.Panel:
    """A menu of expressions and three sliders for its inputs (relabelled with the expression's names)."""
    options = [(e.formula, e.key) for e in EXPRESSIONS.values()]
    first = EXPRESSIONS["squared"]
    controls = {
        "expression": widgets.dropdown("expression", options, "squared", label="expression",
                                       tooltip="which expression to build as a graph"),
        "v1": widgets.slider("v1", START[0], -3, 3, 0.05, label=widgets.symbol(first.names[0]),
                             tooltip="the expression's first input"),
        "v2": widgets.slider("v2", START[1], -3, 3, 0.05, label=widgets.symbol(first.names[1]),
                             tooltip="the expression's second input"),
        "v3": widgets.slider("v3", START[2], -3, 3, 0.05, label=widgets.symbol(first.names[2]),
                             tooltip="the expression's third input"),
    }
    p = widgets.Panel(expression_state, controls, draw, readout, title="An expression as a graph: values and gradients",
                      figsize=(9.0, 4.2), layout=None, full_redraw_on=["expression"],
                      help="Pick an expression, move its inputs: every box shows the node's value (black) and "
                           "the gradient of the output with respect to it (red), computed by one backward pass.")

    def relabel(change):
        names = EXPRESSIONS[change["new"]].names
        for key, name in zip(("v1", "v2", "v3"), names):
            p.controls[key].description = widgets.symbol(name)

    controls["expression"].observe(relabel, names="value")
    return p


@figure("10_graph.svg")
def graph_svg():
    """Lesson 02's neuron with squared error, ℒ = ½(σ(w x + b) − y)², at w = -1, x = 2, b = 0, y = 0.8,
    after one backward pass: every node's value and gradient."""
    root, _ = build("squared", *START)
    root.backward()
    return graph_figure(root, title="ℒ = ½ (σ(w·x + b) − y)² at w = −1, x = 2, b = 0, y = 0.8")
