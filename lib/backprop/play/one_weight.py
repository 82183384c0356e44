"""Lesson 02's play: gradient descent on the one weight of a sigmoid neuron, drawn on L(w)."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import neuron, widgets
from ..figures import figure

X, Y = 2.0, 0.8
"""The panel's training example: input x = 2, target y = 0.8 (so the best weight, at b = 0, is ln 4 / 2 = 0.693)."""
W_RANGE = (-4.0, 6.0)                 # wide enough on the right to show where η = 40 throws the weight (4.72)
YLIM = {"squared": (0.0, 0.34), "cross_entropy": (0.0, 5.0)}
LOSS_NAMES = {"squared": "squared error ½(ŷ − y)²", "cross_entropy": "cross-entropy −[y log ŷ + (1−y) log(1−ŷ)]"}
MAX_STEPS = 50


def descent_state(loss: str, w0: float, b: float, eta: float, steps: int) -> dict:
    """What the panel shows: gradient descent on w from ``w0`` with learning rate ``eta`` for ``steps`` steps.

    The example is (X, Y) = (2, 0.8); the bias ``b`` stays fixed.  Returns a dict: 'ws' (201,) and
    'curve' (201,) = L(w) over W_RANGE; 'path' = :func:`backprop.neuron.gradient_descent`'s dict
    (arrays of shape (steps + 1,)); floats 'w_best' (where y_hat = y), 'loss_best', 'w_final',
    'loss_final', 'eta', 'eta_critical' = 2 / L''(w_best); and 'loss', 'steps'.
    """
    ws = np.linspace(*W_RANGE, 201)
    path = neuron.gradient_descent(w0, b, X, Y, eta, steps, loss)
    w_best = neuron.best_weight(b, X, Y)
    c = neuron.chain(w_best, b, X, Y, loss)
    # L''(w_best): squared error (sigma' x)^2, cross-entropy sigma' x^2 (both since y_hat = y there)
    curvature = (c.dyhat_da * X) ** 2 if loss == "squared" else c.dyhat_da * X**2
    return {"loss": loss, "steps": int(steps), "eta": float(eta), "ws": ws, "curve": neuron.loss_of_w(ws, b, X, Y, loss),
            "path": path, "w_best": w_best, "loss_best": c.loss, "w_final": float(path["w"][-1]),
            "loss_final": float(path["loss"][-1]), "eta_critical": 2.0 / curvature}


def draw(fig, d, art):
    """Left: L(w) with the steps drawn on it; right: the loss after each step."""
    if not art:
        ax = fig.add_subplot(1, 2, 1)
        (art["curve"],) = ax.plot(d["ws"], d["curve"], color="#1f77b4", lw=1.8)
        (art["path"],) = ax.plot([], [], "-", color="#d62728", lw=0.9, alpha=0.8)
        (art["dots"],) = ax.plot([], [], "o", color="#d62728", ms=3.5)
        (art["start"],) = ax.plot([], [], "o", color="black", ms=6)
        (art["best"],) = ax.plot([], [], "*", color="#2ca02c", ms=10)
        ax.set_xlim(*W_RANGE)
        ax.set_xlabel("weight w")
        ax.set_ylabel("loss ℒ(w)")
        art["ax"] = ax
        bx = fig.add_subplot(1, 2, 2)
        (art["steps"],) = bx.plot([], [], "o-", color="#d62728", ms=3, lw=1)
        (art["floor"],) = bx.plot([], [], ":", color="#2ca02c", lw=1)
        bx.set_xlim(-0.5, MAX_STEPS + 0.5)
        bx.set_xlabel("step t")
        bx.set_ylabel("loss after t steps")
        art["bx"] = bx
        art["kind"] = None
        art["dynamic"] = [art[k] for k in ("curve", "path", "dots", "start", "best", "steps", "floor")]
        fig.subplots_adjust(left=0.08, right=0.985, bottom=0.15, top=0.9, wspace=0.3)   # fixed: tick widths vary
    if art["kind"] != d["loss"]:             # another loss: new y-range (redrawn with the background)
        for axis in (art["ax"], art["bx"]):
            axis.set_ylim(*YLIM[d["loss"]])
        art["ax"].set_title(LOSS_NAMES[d["loss"]], fontsize=9)
        art["bx"].set_title("loss after each step (dotted: the minimum)", fontsize=9)
        art["kind"] = d["loss"]
    p = d["path"]
    art["curve"].set_data(d["ws"], d["curve"])
    art["path"].set_data(p["w"], p["loss"])
    art["dots"].set_data(p["w"][1:], p["loss"][1:])
    art["start"].set_data(p["w"][:1], p["loss"][:1])
    art["best"].set_data([d["w_best"]], [d["loss_best"]])
    art["steps"].set_data(np.arange(len(p["loss"])), p["loss"])
    art["floor"].set_data([0, MAX_STEPS], [d["loss_best"]] * 2)


def readout(d) -> str:
    """The numbers under the figure: where the descent ended and the critical learning rate."""
    p = d["path"]
    first = ", ".join(f"{v:.4f}" for v in p["loss"][:5])
    verdict = "converges (η < 2/ℒ″)" if d["eta"] < d["eta_critical"] else "too large: η > 2/ℒ″ at the minimum, it cannot settle there"
    return (f"after {d['steps']} steps: w = {d['w_final']:.4f}, ℒ = {d['loss_final']:.6f}&nbsp;&nbsp; "
            f"(minimum ℒ = {d['loss_best']:.6f} at w = {d['w_best']:.4f})<br>first losses: {first}&nbsp;&nbsp; "
            f"η = {d['eta']:.3g}, 2/ℒ″ = {d['eta_critical']:.3g}: {verdict}")


def panel() -> widgets.Panel:
    """Controls: the loss, the starting weight w₀, the bias b, the learning rate η (log) and the number of steps."""
    controls = {
        "loss": widgets.dropdown("loss", [("cross-entropy", "cross_entropy"), ("squared error", "squared")],
                                 "cross_entropy", tooltip="which loss to descend"),
        "w0": widgets.slider("w_0", -3.0, *W_RANGE, 0.05, tooltip="the weight the descent starts from"),
        "b": widgets.slider("b", 0.0, -2.0, 2.0, 0.05, tooltip="the bias (fixed during the descent)"),
        "eta": widgets.log_slider("eta", 1.0, -2, 2, 0.05, tooltip="the learning rate"),
        "steps": widgets.int_slider("steps", 10, 0, MAX_STEPS, tooltip="how many steps of gradient descent"),
    }
    return widgets.Panel(descent_state, controls, draw, readout, title="Gradient descent on one weight (x = 2, y = 0.8)",
                      figsize=(8.4, 3.2), layout=None, full_redraw_on=["loss"],
                      help="Black dot: the start w₀. Each red dot is one step w ← w − η dℒ/dw. The green star is the minimum (ŷ = y). "
                           "Above η = 2/ℒ″ the steps overshoot the minimum by more than they approach it.")


def chain_figure() -> Figure:
    """The computational graph w -> a -> y_hat -> L with the local derivative under every arrow."""
    fig = Figure(figsize=(7.6, 3.0), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.0)
    ax.axis("off")
    nodes = {"w": (0.7, 2.3, 0.32), "x": (2.9, 3.55, 0.32), "b": (4.3, 3.55, 0.32), "a": (3.6, 2.3, 0.85),
             "yhat": (6.3, 2.3, 0.85), "y": (7.8, 3.55, 0.32), "L": (9.1, 2.3, 0.32)}
    text = {"w": "$w$", "x": "$x$", "b": "$b$", "a": "$a = wx + b$", "yhat": "$\\hat y = \\sigma(a)$", "y": "$y$",
            "L": "$\\mathcal{L}$"}
    colour = {"w": "#fde0c5", "x": "#dbe9f6", "b": "#fde0c5", "a": "#e2f0d9", "yhat": "#e2f0d9", "y": "#dbe9f6",
              "L": "#f4cccc"}
    box = {}
    for key, (cx, cy, half) in nodes.items():
        box[key] = FancyBboxPatch((cx - half, cy - 0.25), 2 * half, 0.5, boxstyle="round,pad=0.05",
                                  fc=colour[key], ec="black", lw=1)
        ax.add_patch(box[key])
        ax.text(cx, cy, text[key], ha="center", va="center", fontsize=12)

    def arrow(src, dst, label=None, main=True):
        (x0, y0, _), (x1, y1, _) = nodes[src], nodes[dst]
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), patchA=box[src], patchB=box[dst], arrowstyle="-|>",
                                     mutation_scale=12, lw=1.8 if main else 0.9, color="black" if main else "0.5",
                                     shrinkA=2, shrinkB=2))
        if label:
            ax.text((x0 + x1) / 2 + (0.2 if src == "w" else 0.0), y0 - 0.45, label, ha="center", va="top",
                    fontsize=11, color="#9c2a00")

    arrow("w", "a", "$\\frac{\\partial a}{\\partial w} = x$")
    arrow("x", "a", main=False)
    arrow("b", "a", main=False)
    arrow("a", "yhat", "$\\frac{\\partial \\hat y}{\\partial a} = \\hat y(1-\\hat y)$")
    arrow("yhat", "L", "$\\frac{\\partial \\mathcal{L}}{\\partial \\hat y}$")
    arrow("y", "L", main=False)
    ax.text(0.25, 3.6, "forward: left to right", fontsize=8.5, color="0.35", va="center")
    ax.text(0.25, 0.95, "backward: multiply the local factors", fontsize=8.5, color="0.35", va="center")
    ax.text(0.25, 0.42, "$\\frac{\\partial \\mathcal{L}}{\\partial w} = \\frac{\\partial \\mathcal{L}}{\\partial \\hat y}\\,"
                        "\\frac{\\partial \\hat y}{\\partial a}\\,\\frac{\\partial a}{\\partial w}$",
            fontsize=12, va="center")
    ax.text(4.3, 0.95, "squared error:  $\\frac{\\partial \\mathcal{L}}{\\partial \\hat y} = \\hat y - y$,   "
                       "$\\frac{\\partial \\mathcal{L}}{\\partial w} = (\\hat y - y)\\,\\hat y(1-\\hat y)\\,x$",
            fontsize=9.5, va="center")
    ax.text(4.3, 0.38, "cross-entropy:  $\\frac{\\partial \\mathcal{L}}{\\partial \\hat y} = \\frac{\\hat y - y}{\\hat y(1-\\hat y)}$,   "
                       "$\\frac{\\partial \\mathcal{L}}{\\partial w} = (\\hat y - y)\\,x$", fontsize=9.5, va="center")
    return fig


figure("02_chain.svg")(chain_figure)
