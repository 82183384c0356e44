"""Lesson 08's play: depth, width and activation of a seeded random network; the per-layer gradient norms ||grad_W_k||."""
from __future__ import annotations

import matplotlib.ticker
import numpy as np

from .. import widgets
from ..whole_network import BATCH, N_CLASSES, N_IN, norms_state

MAX_DEPTH = 10
"""The depth slider's largest number of hidden layers (so at most L = 11 layers)."""
Y_MIN, Y_MAX = 1e-9, 1e1
"""Fixed log-scale limits of the bar chart; a norm below Y_MIN (e.g. exactly 0, dead ReLUs) is drawn at Y_MIN."""


def draw(fig, d, art):
    """One bar per layer k = 1..L: ||grad_W_k|| on a log scale with fixed axes; unused positions hidden."""
    L = len(d["norms"])
    if not art:
        ax = fig.add_axes((0.12, 0.15, 0.85, 0.76))
        ks = np.arange(1, MAX_DEPTH + 2)
        art["bars"] = ax.bar(ks, np.full(ks.size, 1.0), bottom=Y_MIN, color="#4c72b0", width=0.7)
        ax.set_yscale("log")
        ax.set_ylim(Y_MIN, Y_MAX)
        ax.set_yticks([10.0 ** e for e in range(-9, 2, 2)])
        ax.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        ax.set_xlim(0.4, MAX_DEPTH + 1.6)
        ax.set_xticks(ks, [str(k) for k in ks])
        ax.set_xlabel("layer k (k = L is the output layer)")
        ax.set_ylabel(r"$\|\nabla_{W_k}\|$ (log scale)")
        ax.grid(axis="y", which="major", alpha=0.3)
        art["title"] = ax.set_title(" ", fontsize=9)
        art["note"] = ax.text(0.5, 0.55, "", transform=ax.transAxes, ha="center", va="center", fontsize=9,
                              color="#c44e52")
        art["dynamic"] = list(art["bars"]) + [art["title"], art["note"]]
    for k, bar in enumerate(art["bars"], start=1):
        if k <= L:
            v = float(d["norms"][k - 1])
            shown = max(v, Y_MIN * 1.0001)
            bar.set_visible(True)
            bar.set_height(shown - Y_MIN)
            bar.set_color("#c44e52" if k == L else "#4c72b0")
        else:
            bar.set_visible(False)
    zero = [k for k, v in enumerate(d["norms"], start=1) if v == 0]
    if len(zero) == L:
        note = "every ‖∇W_k‖ is exactly 0 (dead ReLUs):\nno bar, since a log scale cannot show 0"
    elif zero:
        note = f"‖∇W_k‖ is exactly 0 for k = {', '.join(map(str, zero))}: no bar (a log scale cannot show 0)"
    else:
        note = ""
    art["note"].set_text(note)
    art["title"].set_text(f"sizes {d['sizes'][0]}–{d['sizes'][1]}×{len(d['sizes']) - 2}–{d['sizes'][-1]}, "
                          f"{d['activation']}, batch B = {BATCH}, P = {d['P']}")


def readout(d) -> str:
    """The norms, first to last layer, and how much smaller the first layer's is than the last's."""
    norms = d["norms"]
    parts = ", ".join(f"‖∇{widgets.symbol(f'W_{k}')}‖ = {v:.2e}" for k, v in enumerate(norms, start=1))
    if norms[-1] > 0:
        ratio = f"<b>‖∇W₁‖ / ‖∇W_L‖ = {norms[0] / norms[-1]:.2e}</b>"
    else:
        ratio = "<b>‖∇W_L‖ = 0: every unit of the last hidden layer is 0 (dead), so no gradient reaches any weight</b>"
    return f"{parts}<br>{ratio}&nbsp;&nbsp; loss = {d['loss']:.4f}"


def panel() -> widgets.Panel:
    """Sliders on the number of hidden layers and their width, a dropdown for the activation."""
    controls = {
        "depth": widgets.int_slider("depth", 3, 1, MAX_DEPTH, label="hidden layers",
                                    tooltip="number of hidden layers L - 1"),
        "width": widgets.int_slider("width", 16, 2, 64, label="width", tooltip="units in every hidden layer"),
        "activation": widgets.dropdown("g", ["logistic", "tanh", "relu"], value="logistic", label="activation g",
                                       tooltip="the hidden layers' activation"),
    }
    return widgets.Panel(lambda **v: norms_state(**v), controls, draw, readout,
                         title="Gradient norms layer by layer", figsize=(7.0, 3.4), layout=None,
                         help=f"A seeded random network ({N_IN} inputs, {N_CLASSES} classes, Xavier initialisation) "
                              f"on a seeded batch of {BATCH}. Each bar is ‖∇W_k‖; the red bar is the output layer.")
