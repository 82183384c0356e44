"""Lesson 04's play: choose a weight of the lecture network, see every path from it to the loss
highlighted on the network and each path's contribution as a bar; their sum is the gradient.
Also the figure of the network with the paths of W_111 highlighted (04_paths_W111.svg)."""
from __future__ import annotations

import numpy as np

from .. import _validate, lecture, paths, widgets
from ..diagrams import draw_network, network_figure, positions
from ..figures import figure
from ..network import gradients

MAX_PATHS = 9
XLIM = 0.12
WEIGHTS = {widgets.symbol(f"W_{k}{i}{j}"): f"W_{k}{i}{j}" for k in (1, 2) for i in (1, 2, 3) for j in (1, 2, 3)}
"""Dropdown options: label (W₁₁₁) -> code name ('W_111'); every weight of layers 1 and 2."""


def parse_weight(name: str):
    """'W_123' -> (1, 2, 3): the layer k and the 1-based i, j of the weight W_kij."""
    if not isinstance(name, str):
        raise TypeError(f"weight must be a name like 'W_111' (W_kij, one digit each); got {_validate.describe(name)}")
    if len(name) != 5 or not name.startswith("W_") or not name[2:].isdigit():
        raise ValueError(f"weight must be named like 'W_111' (W_kij, one digit each); got {name!r}")
    return int(name[2]), int(name[3]), int(name[4])


def paths_state(weight: str = "W_111", shift: float = 0.0) -> dict:
    """The lecture network on the lecture example, with ``shift`` added to the weight ``weight``
    ('W_kij'); every path from that weight to the loss.

    Returns a dict: 'key' (k, i, j), 'value' (the weight's value now), 'net', 'paths'
    (list of :class:`backprop.paths.Path`), 'contributions' (n_paths,), 'sum' (their sum),
    'grad' (the library's backward pass, grad_W[k][i-1, j-1]), 'loss'.
    """
    net = lecture.network()
    k, i, j = paths._weight_index(net, *parse_weight(weight))
    x, label = lecture.example()
    net.W[k][i - 1, j - 1] += _validate.real(shift, "shift")
    ps = paths.enumerate_paths(net, x, label, k, i, j)
    contributions = np.array([p.contribution for p in ps])
    g = gradients(net, x, label)
    return {"key": (k, i, j), "value": float(net.W[k][i - 1, j - 1]), "net": net, "paths": ps,
            "contributions": contributions, "sum": float(contributions.sum()),
            "grad": float(g.grad_W[k][i - 1, j - 1]), "loss": g.loss}


def _style(lines, d):
    on = {e for p in d["paths"] for e in p.edges}
    for key, line in lines.items():
        if key == d["key"]:
            line.set_color("#d62728"), line.set_linewidth(3.2), line.set_alpha(1.0)
        elif key in on:
            line.set_color("black"), line.set_linewidth(2.0), line.set_alpha(1.0)
        else:
            line.set_color("0.82"), line.set_linewidth(0.8), line.set_alpha(0.8)


def draw(fig, d, art):
    """Left: the network, the chosen weight red and the edges of its paths black;
    right: one bar per path (its contribution) and the sum."""
    if not art:
        ax = fig.add_axes((0.0, 0.0, 0.5, 0.88))
        art["lines"] = draw_network(ax, lecture.SIZES, label_weights=False)
        for line in art["lines"].values():      # end the edges at the circles, so only the edges need redrawing
            (x0, x1), (y0, y1) = line.get_data()
            u = np.array([x1 - x0, y1 - y0]) / np.hypot(x1 - x0, y1 - y0) * 0.33
            line.set_data([x0 + u[0], x1 - u[0]], [y0 + u[1], y1 - u[1]])
        art["title"] = fig.text(0.25, 0.97, "", ha="center", va="top", fontsize=10)
        bx = fig.add_axes((0.66, 0.12, 0.32, 0.78))
        slots = np.arange(MAX_PATHS + 1)[::-1].astype(float)
        slots[-1] -= 0.5                                      # the sum sits a little apart
        art["slots"] = slots
        art["bars"] = bx.barh(slots, np.zeros(MAX_PATHS + 1), height=0.7, color="#999")
        art["bars"][-1].set_color("black")
        bx.axvline(0, color="0.3", lw=0.8)
        bx.set_xlim(-XLIM, XLIM)
        bx.set_ylim(-1.2, MAX_PATHS + 0.6)
        bx.set_yticks([])
        bx.tick_params(labelsize=7)
        bx.set_xlabel("contribution to ∂ℒ/∂W", fontsize=8)
        bx.set_title("one bar per path", fontsize=9)
        ytf = bx.get_yaxis_transform()
        art["names"] = [bx.text(-0.02, y, "", transform=ytf, ha="right", va="center", fontsize=9) for y in slots]
        art["dynamic"] = list(art["lines"].values()) + [art["title"]] + list(art["bars"]) + art["names"]
    _style(art["lines"], d)
    k, i, j = d["key"]
    art["title"].set_text(f"paths from {widgets.symbol(f'W_{k}{i}{j}')} = {d['value']:+.2f} to the loss")
    c = d["contributions"]
    n = len(c)
    slot_values = list(c) + [0.0] * (MAX_PATHS - n) + [d["sum"]]
    labels = [_pretty(p) for p in d["paths"]] + [""] * (MAX_PATHS - n) + ["sum"]
    for t, (bar, v, name) in enumerate(zip(art["bars"], slot_values, art["names"])):
        used = t < n or t == MAX_PATHS
        bar.set_visible(used)
        bar.set_width(float(np.clip(v, -XLIM, XLIM)))
        face = "black" if t == MAX_PATHS else ("#d62728" if v > 0 else "#1f77b4")
        clipped = abs(v) > XLIM                   # longer than the axis: hatched, its value is in the readout
        bar.set_facecolor(face)
        bar.set_edgecolor("white" if clipped else face)
        bar.set_hatch("////" if clipped else None)
        if hasattr(bar, "set_hatchcolor"):        # matplotlib >= 3.10: set_color also fixed the hatch colour
            bar.set_hatchcolor("white")
        name.set_text(labels[t] if used else "")


def _pretty(path) -> str:
    """The neurons a path visits after the weight: 'a₂₁ → a₃₂'."""
    return " → ".join(widgets.symbol(f"a_{k}{i}") for k, i in path.neurons[1:]) or "direct"


def readout(d) -> str:
    """The numbers under the figure: the number of paths, their sum, the library's gradient."""
    k, i, j = d["key"]
    w = widgets.symbol(f"W_{k}{i}{j}")
    each = ", ".join(f"{_pretty(p)}: {c:+.4f}" for p, c in zip(d["paths"], d["contributions"]))
    return (f"{w} = {d['value']:+.4f}&nbsp;&nbsp; loss = {d['loss']:.4f}&nbsp;&nbsp; {len(d['paths'])} paths&nbsp;&nbsp; "
            f"<b>sum over paths = {d['sum']:+.6f}</b>&nbsp;&nbsp; library backward pass ∂ℒ/∂{w} = {d['grad']:+.6f}"
            f"<br><span style='font-size:85%'>each path: {each}</span>")


def panel() -> widgets.Panel:
    """A dropdown choosing W_1ij or W_2ij, and a slider adding a shift to that weight."""
    controls = {
        "weight": widgets.dropdown("weight", WEIGHTS, "W_111", label="weight",
                                   tooltip="the weight whose paths to the loss are shown"),
        "shift": widgets.slider("shift", 0.0, -3, 3, 0.05, label="Δ weight",
                                tooltip="added to the chosen weight's value in the lecture network"),
    }
    return widgets.Panel(paths_state, controls, draw, readout, title="Many paths from one weight to the loss",
                         figsize=(9.0, 3.8), layout=None,
                         help="Choose a weight: its paths are drawn black, each bar is one path's product of local "
                              "derivatives (red > 0, blue < 0), the black bar is their sum: the gradient. A hatched "
                              "bar is longer than the axis; the readout gives its value.")


@figure("04_paths_W111.svg")
def paths_W111_figure():
    """The lecture network with the 9 paths from W_111 to the loss highlighted."""
    net = lecture.network()
    x, label = lecture.example()
    edges = {(1, 1, 1)} | {e for p in paths.enumerate_paths(net, x, label, 1, 1, 1) for e in p.edges}
    fig = network_figure(lecture.SIZES, highlight=sorted(edges))
    ax = fig.axes[0]
    for line in ax.lines:                      # the weight itself in red
        if np.allclose(line.get_xdata(), [0.0, 2.4]) and np.allclose(line.get_ydata(), [1.5, 1.5]):
            line.set_color("#d62728")
    return fig
