"""Lesson 11's play: depth, initial weight scale, activation and learning rate of a network on the digits.

:func:`misbehave_state` is the panel's compute function, a plain function: a network
[64, WIDTH x depth, 10] whose weights start as Normal(0, scale^2) (``Network.init(init='small')``,
biases 0, seed 0), on a fixed batch of the first :data:`BATCH` training digits of lesson 09's
split.  It returns what :func:`backprop.diagnostics.diagnose` measures: the per-layer gradient
norms ||grad_W_k||, the fraction of saturated (logistic, tanh) or dead (ReLU) units of every
hidden layer, and the relative step size eta ||grad_W_k|| / ||W_k|| for the learning rate.
"""
from __future__ import annotations

from functools import lru_cache

import matplotlib.ticker
import numpy as np

from .. import _validate, widgets
from ..diagnostics import diagnose
from ..network import Network

WIDTH = 32
"""Units in every hidden layer of the panel's network."""
BATCH = 128
"""The panel's batch: the first BATCH training digits (lesson 09's split)."""
MAX_DEPTH = 10
"""The depth slider's largest number of hidden layers."""
VARIANCE_KEEPING_SCALE = 1 / np.sqrt(WIDTH)
"""sigma = 1/sqrt(n): the scale that keeps Var(a_k) = Var(h_{k-1}) for a layer with n = WIDTH inputs."""
NORM_MIN, NORM_MAX = 1e-12, 1e9
RATIO_MIN, RATIO_MAX = 1e-8, 1e4
HEALTHY_RATIO = 1e-3
"""The rule of thumb drawn on the update-ratio chart: a step of about a thousandth of the weights."""


@lru_cache(maxsize=1)
def batch():
    """(X (BATCH, 64), labels (BATCH,)): the first BATCH training digits of lesson 09's split (cached; do not modify)."""
    from .training import digits
    d = digits()
    return d.X_train[:BATCH], d.y_train[:BATCH]


def network(depth: int, scale: float, activation: str) -> Network:
    """The panel's network: sizes [64, WIDTH x depth, 10], W_k ~ Normal(0, scale^2), biases 0, seed 0."""
    depth = _validate.positive_int(depth, "depth (number of hidden layers)")
    scale = _validate.positive_float(scale, "scale (the initial weights' standard deviation)")
    return Network.init([64] + [WIDTH] * depth + [10], activation, init="small", scale=scale, seed=0)


def misbehave_state(depth, scale, activation, lr) -> dict:
    """What the panel shows for ``depth`` hidden layers, initial scale ``scale``, ``activation``, learning rate ``lr``.

    Returns a dict: 'sizes', 'activation', 'depth', 'scale', 'lr', 'loss'; 'norms' (L,) =
    ||grad_W_k||; 'stuck' (L-1,) the saturated (logistic/tanh) or dead (ReLU) fraction per hidden
    layer and 'stuck_kind' ('saturated' or 'dead'); 'ratio' (L,) = lr ||grad_W_k|| / ||W_k||;
    'std_a' (L-1,) the standard deviation of a_k over the batch; 'diagnosis' the full
    :class:`backprop.diagnostics.Diagnosis`.
    """
    lr = _validate.positive_float(lr, "lr (the learning rate)")
    net = network(depth, scale, activation)
    X, labels = batch()
    dg = diagnose(net, X, labels, lr=lr)
    return {"sizes": net.sizes, "activation": net.activation, "depth": net.L - 1, "scale": float(scale), "lr": lr,
            "loss": dg.loss, "norms": dg.grad_norms, "stuck": dg.stuck,
            "stuck_kind": "dead" if net.activation == "relu" else "saturated",
            "ratio": dg.update_ratio, "std_a": np.array([s["std_a"] for s in dg.stats]), "diagnosis": dg}


def _bars(ax, n, bottom, color):
    ks = np.arange(1, n + 1)
    return ax.bar(ks, np.ones(n), bottom=bottom, color=color, width=0.7)


def _set_bars(bars, values, bottom, top=None):
    for k, bar in enumerate(bars, start=1):
        if k <= len(values):
            v = float(values[k - 1])
            if bottom > 0:       # log axis: 0 cannot be drawn, clip into the axis
                v = min(max(v, bottom * 1.0001), top) if np.isfinite(v) else top
            bar.set_visible(True)
            bar.set_height(v - bottom)
        else:
            bar.set_visible(False)


def draw(fig, d, art):
    """Three charts with fixed axes: ||grad_W_k|| (log), stuck fraction per hidden layer, step / weight ratio (log)."""
    if not art:
        axes = [fig.add_axes((0.07 + 0.33 * i, 0.16, 0.25, 0.68)) for i in range(3)]
        n_layers = MAX_DEPTH + 1
        ax_n, ax_s, ax_r = axes
        art["norm_bars"] = _bars(ax_n, n_layers, NORM_MIN, "#4c72b0")
        ax_n.set_yscale("log")
        ax_n.set_ylim(NORM_MIN, NORM_MAX)
        ax_n.set_yticks([10.0 ** e for e in range(-12, 10, 3)])
        ax_n.set_ylabel(r"$\|\nabla_{W_k}\|$ (log scale)")
        art["stuck_bars"] = _bars(ax_s, MAX_DEPTH, 0.0, "#c44e52")
        ax_s.set_ylim(0, 1.02)
        ax_s.set_ylabel("fraction of units")
        art["ratio_bars"] = _bars(ax_r, n_layers, RATIO_MIN, "#55a868")
        ax_r.set_yscale("log")
        ax_r.set_ylim(RATIO_MIN, RATIO_MAX)
        ax_r.set_yticks([10.0 ** e for e in range(-8, 5, 2)])
        ax_r.axhline(HEALTHY_RATIO, color="0.3", ls="--", lw=1)
        ax_r.text(0.03, 0.97, "dashed: about healthy (10⁻³)", transform=ax_r.transAxes, ha="left", va="top",
                  fontsize=8, color="0.3")
        ax_r.set_ylabel(r"$\eta\,\|\nabla_{W_k}\| \,/\, \|W_k\|$ (log)")
        for ax, last in ((ax_n, n_layers), (ax_s, MAX_DEPTH), (ax_r, n_layers)):
            ax.set_xlim(0.4, last + 0.6)
            ax.set_xticks(range(1, last + 1), [str(k) if k % 2 or last < 8 else "" for k in range(1, last + 1)])
            ax.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
            ax.set_xlabel("layer k")
            ax.grid(axis="y", alpha=0.3)
        ax_n.set_title("gradient size per layer", fontsize=9)
        art["stuck_title"] = ax_s.set_title(" ", fontsize=9)
        ax_r.set_title("one step, relative to the weights", fontsize=9)
        art["title"] = fig.text(0.5, 0.94, " ", ha="center", fontsize=9)
        art["dynamic"] = (list(art["norm_bars"]) + list(art["stuck_bars"]) + list(art["ratio_bars"])
                          + [art["stuck_title"], art["title"]])
    _set_bars(art["norm_bars"], d["norms"], NORM_MIN, NORM_MAX)
    _set_bars(art["stuck_bars"], d["stuck"], 0.0)
    _set_bars(art["ratio_bars"], d["ratio"], RATIO_MIN, RATIO_MAX)
    L = len(d["norms"])
    for k, bar in enumerate(art["norm_bars"], start=1):
        bar.set_color("#c44e52" if k == L else "#4c72b0")
    art["stuck_title"].set_text(f"{d['stuck_kind']} units per hidden layer")
    art["title"].set_text(f"sizes 64–{WIDTH}×{d['depth']}–10, {d['activation']}, W ~ Normal(0, {d['scale']:.3g}²), "
                          f"η = {d['lr']:.3g}, batch of {BATCH} digits")


def readout(d) -> str:
    """The first and last layer's gradient norm and their ratio, the stuck fractions, the largest step ratio."""
    n = d["norms"]
    ratio = f"{n[0] / n[-1]:.2e}" if n[-1] > 0 else "undefined (‖∇W_L‖ = 0)"
    stuck = ", ".join(f"{v:.0%}" for v in d["stuck"])
    return (f"‖∇W₁‖ = {n[0]:.2e}, ‖∇W_L‖ = {n[-1]:.2e}, <b>‖∇W₁‖ / ‖∇W_L‖ = {ratio}</b>; loss = {d['loss']:.4f}<br>"
            f"{d['stuck_kind']} units, layers 1..{len(d['stuck'])}: {stuck}<br>"
            f"largest η‖∇W_k‖/‖W_k‖ = {np.max(d['ratio']):.2e}; std of a_k: first layer {d['std_a'][0]:.3g}, "
            f"last hidden layer {d['std_a'][-1]:.3g}")


def panel() -> widgets.Panel:
    """Sliders on depth, initial weight scale (log) and learning rate (log); a dropdown for the activation."""
    controls = {
        "depth": widgets.int_slider("depth", 6, 1, MAX_DEPTH, label="hidden layers",
                                    tooltip="number of hidden layers L - 1, each of 32 units"),
        "scale": widgets.log_slider("scale", 0.1, -2, 1, step=0.05, label="init scale σ", fmt=".3f",
                                    tooltip="initial weights W_kij ~ Normal(0, σ²)"),
        "activation": widgets.dropdown("g", ["logistic", "tanh", "relu"], value="logistic", label="activation g",
                                       tooltip="the hidden layers' activation"),
        "lr": widgets.log_slider("eta", 0.01, -3, 1, step=0.1, label="learning rate η", fmt=".3f",
                                 tooltip="only the right chart depends on it"),
    }
    return widgets.Panel(lambda **v: misbehave_state(**v), controls, draw, readout,
                         title="Where gradients misbehave", figsize=(9.6, 3.4), layout=None,
                         help=f"A network 64–{WIDTH}×depth–10 with weights drawn from Normal(0, σ²) (seed 0), on "
                              f"{BATCH} training digits. Left: ‖∇W_k‖ per layer (red: the output layer). Middle: "
                              f"saturated (logistic, tanh) or dead (ReLU) units. Right: the size of one gradient step "
                              f"relative to the weights.")
