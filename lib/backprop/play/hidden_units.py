"""Lesson 06's play and figures: an activation g, its derivative g', and the paths into a hidden unit."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import _validate, activations, lecture, widgets
from ..diagrams import draw_network, positions
from ..figures import figure

A_RANGE = (-4.0, 4.0)
"""x-range of the plots; the slider moves a within SLIDER_RANGE."""
SLIDER_RANGE = (-3.5, 3.5)
G_YLIM = (-1.3, 2.6)
GP_YLIM = (-0.08, 1.15)
NAMES = ("logistic", "tanh", "relu")
_XS = np.linspace(*A_RANGE, 321)


def activation_state(activation: str, a: float) -> dict:
    """g and g' of ``activation`` around the pre-activation ``a`` (a float).

    Returns a dict: 'activation' (str), 'a' (float), 'g' = g(a) = h, 'g_prime' = g'(a) (the right
    slope), 'g_prime_of_h' = g'(h) (the classic mistake: g' applied to h instead of a),
    'xs' (321,) grid on A_RANGE, 'g_curve' and 'g_prime_curve' (321,) = g(xs), g'(xs),
    'tangent' (321,) = g(a) + g'(a) (xs - a), the tangent line at a.
    """
    g, g_prime = activations.get(activation)
    a = _validate.real(a, "a")
    h = float(g(a))
    slope = float(g_prime(a))
    return {"activation": activation, "a": a, "g": h, "g_prime": slope, "g_prime_of_h": float(g_prime(h)),
            "xs": _XS, "g_curve": g(_XS), "g_prime_curve": g_prime(_XS), "tangent": h + slope * (_XS - a)}


def draw(fig, d, art):
    """Left: g with the point (a, g(a)) and its tangent; right: g' with the right slope g'(a) and the wrong g'(h)."""
    if not art:
        ax_g = fig.add_axes((0.07, 0.16, 0.4, 0.72))
        ax_p = fig.add_axes((0.57, 0.16, 0.4, 0.72))
        for ax in (ax_g, ax_p):
            ax.axhline(0, color="0.7", lw=0.8)
            ax.axvline(0, color="0.7", lw=0.8)
            ax.set_xlim(*A_RANGE)
            ax.set_xlabel("pre-activation a", fontsize=8)
            ax.tick_params(labelsize=8)
        ax_g.set_ylim(*G_YLIM)
        ax_p.set_ylim(*GP_YLIM)
        ax_g.set_title("g(a) and its tangent at a", fontsize=9)
        ax_p.set_title("derivative g′(a)", fontsize=9)
        (art["g"],) = ax_g.plot(d["xs"], d["g_curve"], color="#1f77b4", lw=2, label="g(a)")
        (art["tan"],) = ax_g.plot(d["xs"], d["tangent"], color="#ff7f0e", lw=1.3, ls="--", label="tangent, slope g′(a)")
        (art["pt"],) = ax_g.plot([d["a"]], [d["g"]], "o", color="black", ms=6)
        (art["gp"],) = ax_p.plot(d["xs"], d["g_prime_curve"], color="#2ca02c", lw=2, label="g′(a)")
        (art["gp_pt"],) = ax_p.plot([d["a"]], [d["g_prime"]], "o", color="black", ms=6, label="g′(a): right")
        (art["wrong"],) = ax_p.plot([d["g"]], [d["g_prime_of_h"]], "x", color="#d62728", ms=8, mew=2,
                                    label="g′(h): wrong")
        (art["vline"],) = ax_p.plot([d["a"], d["a"]], list(GP_YLIM), color="0.5", lw=0.8, ls=":")
        ax_g.legend(loc="upper left", fontsize=7.5, frameon=False)
        ax_p.legend(loc="upper left", fontsize=7.5, frameon=False)
        art["dynamic"] = [art["g"], art["tan"], art["pt"], art["gp"], art["gp_pt"], art["wrong"], art["vline"]]
    art["g"].set_ydata(d["g_curve"])
    art["tan"].set_ydata(d["tangent"])
    art["pt"].set_data([d["a"]], [d["g"]])
    art["gp"].set_ydata(d["g_prime_curve"])
    art["gp_pt"].set_data([d["a"]], [d["g_prime"]])
    art["wrong"].set_data([d["g"]], [d["g_prime_of_h"]])
    art["vline"].set_xdata([d["a"], d["a"]])


def readout(d) -> str:
    """The numbers: g(a), the right g'(a) and the wrong g'(h)."""
    same = " (the same here)" if np.isclose(d["g_prime"], d["g_prime_of_h"]) else ""
    return (f"{d['activation']}: a = {d['a']:+.2f}&nbsp;&nbsp; h = g(a) = {d['g']:.4f}&nbsp;&nbsp; "
            f"<b>g′(a) = {d['g_prime']:.4f}</b>&nbsp;&nbsp; "
            f"<span style='color:#b00'>wrong: g′(h) = {d['g_prime_of_h']:.4f}</span>{same}")


def panel() -> widgets.Panel:
    """A dropdown for the activation and a slider for the pre-activation a."""
    controls = {
        "activation": widgets.dropdown("g", list(NAMES), "logistic", tooltip="the activation function g"),
        "a": widgets.slider("a", 1.0, *SLIDER_RANGE, 0.05, tooltip="the pre-activation a of one hidden unit"),
    }
    return widgets.Panel(activation_state, controls, draw, readout,
                         title="An activation g and its derivative g′", figsize=(8.0, 3.2), layout=None,
                         help="Move a: the dot and the tangent follow g; its slope is g′(a), the black dot on the right. "
                              "The red cross is g′ evaluated at h = g(a) instead: the classic mistake.")


# ---------------------------------------------------------------------------------------------- figures
@figure("06_activations.svg")
def activations_figure() -> Figure:
    """logistic, tanh and ReLU, each with its derivative."""
    fig = Figure(figsize=(9.0, 2.7), dpi=100, layout="constrained")
    axes = fig.subplots(1, 3)
    formulas = {"logistic": "g′ = g (1 − g)", "tanh": "g′ = 1 − g²", "relu": "g′ = 0 (a < 0), 1 (a > 0)"}
    for ax, name in zip(axes, NAMES):
        g, gp = activations.get(name)
        ax.axhline(0, color="0.75", lw=0.8)
        ax.axvline(0, color="0.75", lw=0.8)
        ax.plot(_XS, g(_XS), color="#1f77b4", lw=2, label="g(a)")
        if name == "relu":
            left, right = _XS < 0, _XS > 0
            ax.plot(_XS[left], gp(_XS[left]), color="#2ca02c", lw=2, label="g′(a)")
            ax.plot(_XS[right], gp(_XS[right]), color="#2ca02c", lw=2)
            ax.plot([0], [0], "o", color="#2ca02c", ms=5)
            ax.plot([0], [1], "o", mfc="white", mec="#2ca02c", ms=5)
            ax.annotate("kink: g′(0) := 0", (0, 0), (1.2, 0.35), fontsize=8, arrowprops=dict(arrowstyle="->", lw=0.8))
        else:
            ax.plot(_XS, gp(_XS), color="#2ca02c", lw=2, label="g′(a)")
        ax.set_xlim(*A_RANGE)
        ax.set_ylim(-1.15, 2.2)
        ax.set_title(f"{name}:  {formulas[name]}", fontsize=9.5)
        ax.set_xlabel("a", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


@figure("06_paths.svg")
def paths_figure() -> Figure:
    """The lecture network with the three paths from h_21 into a_31, a_32, a_33 highlighted."""
    sizes = lecture.SIZES
    fig = Figure(figsize=(7.8, 4.2), dpi=100)
    ax = fig.add_axes((0, 0, 1, 0.92))
    edges = [(3, i, 1) for i in (1, 2, 3)]
    draw_network(ax, sizes, highlight=edges, label_weights=False)
    pos = positions(sizes)
    for (k, i, j), t in zip(edges, (0.5, 0.62, 0.62)):
        (x0, y0), (x1, y1) = pos[k - 1][j - 1], pos[k][i - 1]
        ax.text(x0 + t * (x1 - x0) + (0.0 if i == 1 else 0.42), y0 + t * (y1 - y0) + (0.12 if i == 1 else 0.0), f"$W_{{{k}{i}{j}}}$", fontsize=10, ha="center",
                va="bottom", bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.9), zorder=6)
    fig.suptitle("$h_{21}$ reaches the loss through $a_{31}, a_{32}, a_{33}$: three paths, weights $W_{311}, W_{321}, W_{331}$ "
                 "(column 1 of $W_3$)", fontsize=10)
    return fig
