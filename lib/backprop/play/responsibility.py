"""Lesson 01's play: nudge one parameter of the lecture network, compare the ratio with the derivative."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure

from .. import _validate, lecture, widgets
from .. import responsibility as rsp
from ..figures import figure

W_RANGE = (-4.0, 4.0)
"""The w slider's range and the x-range of the loss curve."""
DELTAS = 10.0 ** np.arange(-15.0, 0.01, 0.5)
"""Nudge sizes of the error plot, 1e-15 .. 1 (31 values)."""
FLOOR = 1e-17
"""Errors of exactly 0 are drawn at this height on the log scale."""


@lru_cache(maxsize=64)
def _curve(name: str) -> tuple:
    net = lecture.network()
    x, label = lecture.example()
    ws = np.linspace(*W_RANGE, 161)
    return ws, rsp.loss_as_function_of_weight(net, x, label, name, ws)


def nudge_state(name: str, w: float, delta: float) -> dict:
    """Everything the panel shows when parameter ``name`` of the lecture network is set to ``w`` and nudged by ``delta``.

    Returns a dict of floats: 'w', 'delta', 'loss' = L(w), 'loss_nudged' = L(w + delta),
    'forward' = (L(w+delta) - L(w)) / delta, 'central', 'derivative' (backward pass at w),
    'forward_error', 'central_error' (absolute); arrays: 'ws', 'curve' (161,) = L over W_RANGE,
    'deltas', 'forward_errors', 'central_errors' (31,); and 'name', 'value0' (the lecture value).
    """
    net = lecture.network()
    x, label = lecture.example()
    value0 = rsp.get_value(net, name)
    w = _validate.real(w, "w")
    delta = _validate.positive_float(delta, "delta")
    netw = rsp.nudge(net, name, w - value0)
    loss = rsp.loss_as_function_of_weight(netw, x, label, name, np.array([w, w + delta]))
    fwd = rsp.forward_difference(netw, x, label, name, delta)
    cen = rsp.central_difference(netw, x, label, name, delta)
    der = rsp.backprop_derivative(netw, x, label, name)
    errs = rsp.difference_errors(netw, x, label, name, DELTAS, der)
    ws, curve = _curve(name)
    return {"name": name, "value0": value0, "w": float(w), "delta": delta,
            "loss": float(loss[0]), "loss_nudged": float(loss[1]),
            "forward": fwd, "central": cen, "derivative": der,
            "forward_error": abs(fwd - der), "central_error": abs(cen - der),
            "ws": ws, "curve": curve, "deltas": DELTAS,
            "forward_errors": errs["forward"], "central_errors": errs["central"]}


def _ylim(curve):
    lo, hi = float(curve.min()), float(curve.max())
    pad = max(0.15 * (hi - lo), 0.02)
    return lo - pad, hi + pad


def draw(fig, d, art):
    """Left: L(w) with the tangent (slope = derivative) and the secant of the nudge; right: error against delta."""
    if not art:
        ax = fig.add_subplot(1, 2, 1)
        (art["curve"],) = ax.plot(d["ws"], d["curve"], color="#1f77b4", lw=1.8, label="ℒ(w)")
        (art["tangent"],) = ax.plot([], [], color="#2ca02c", lw=1.4, label="tangent: slope dℒ/dw")
        (art["secant"],) = ax.plot([], [], color="#d62728", lw=1.2, ls="--", label="secant: slope Δℒ/δ")
        (art["point"],) = ax.plot([], [], "o", color="black", ms=5)
        (art["nudged"],) = ax.plot([], [], "o", color="#d62728", ms=4)
        ax.set_xlim(*W_RANGE)
        ax.set_xlabel("value of the parameter w")
        ax.set_ylabel("loss ℒ")
        ax.legend(loc="best", fontsize=7, framealpha=0.8)
        art["ax"] = ax
        bx = fig.add_subplot(1, 2, 2)
        (art["ferr"],) = bx.loglog(d["deltas"], np.maximum(d["forward_errors"], FLOOR), "o-", ms=3, color="#ff7f0e",
                                   label="forward")
        (art["cerr"],) = bx.loglog(d["deltas"], np.maximum(d["central_errors"], FLOOR), "s-", ms=3, color="#9467bd",
                                   label="central")
        art["vline"] = bx.axvline(d["delta"], color="black", lw=0.8, ls=":")
        bx.set_xlim(3e-16, 3)
        bx.set_ylim(1e-16, 1e1)
        bx.set_xlabel("nudge δ")
        bx.set_ylabel("|ratio − dℒ/dw|")
        bx.set_title("error of the ratio", fontsize=9)
        bx.legend(loc="upper center", fontsize=7, frameon=False, ncol=2)
        art["name"] = None
        art["dynamic"] = [art[k] for k in ("tangent", "secant", "point", "nudged", "ferr", "cerr", "vline")]
        fig.subplots_adjust(left=0.09, right=0.985, bottom=0.15, top=0.9, wspace=0.32)   # fixed: tick widths vary
    ax = art["ax"]
    if art["name"] != d["name"]:           # another parameter: new curve, new y-range
        art["curve"].set_ydata(d["curve"])
        ax.set_ylim(*_ylim(d["curve"]))
        ax.set_title(f"ℒ as a function of {widgets.symbol(d['name'])}", fontsize=9)
        art["name"] = d["name"]
    w, L0, delta = d["w"], d["loss"], d["delta"]
    span = np.array([w - 1.5, w + 1.5])
    art["tangent"].set_data(span, L0 + d["derivative"] * (span - w))
    art["secant"].set_data(span, L0 + d["forward"] * (span - w))
    art["point"].set_data([w], [L0])
    art["nudged"].set_data([w + delta], [d["loss_nudged"]])
    art["ferr"].set_ydata(np.maximum(d["forward_errors"], FLOOR))
    art["cerr"].set_ydata(np.maximum(d["central_errors"], FLOOR))
    art["vline"].set_xdata([delta, delta])


def readout(d) -> str:
    """The numbers under the figure: loss, the ratio, the derivative and the errors."""
    s = widgets.symbol(d["name"])
    return (f"{s} = {d['w']:.3f} (lecture value {d['value0']:.2f}), δ = {d['delta']:.1e}&nbsp;&nbsp; "
            f"loss ℒ = {d['loss']:.6f}&nbsp;&nbsp; Δℒ/δ = {d['forward']:.8f}&nbsp;&nbsp; "
            f"central = {d['central']:.8f}<br><b>dℒ/d{s} = {d['derivative']:.8f}</b>&nbsp;&nbsp; "
            f"error forward {d['forward_error']:.1e}, central {d['central_error']:.1e}")


def panel() -> widgets.Panel:
    """Dropdown on the parameter, sliders on its value w and on the nudge δ (log scale)."""
    net = lecture.network()
    options = [(widgets.symbol(n), n) for n in rsp.parameter_names(net)]
    controls = {
        "name": widgets.dropdown("parameter", options, "W_111", label="parameter",
                                 tooltip="which weight W_kij or bias b_ki to move"),
        "w": widgets.slider("w", rsp.get_value(net, "W_111"), *W_RANGE, 0.01,
                            tooltip="the value given to the chosen parameter"),
        "delta": widgets.log_slider("delta", 10 ** -0.5, -14, 0, 0.25, tooltip="the size of the nudge"),
    }
    return widgets.Panel(nudge_state, controls, draw, readout, title="Nudge one parameter, watch the loss",
                         figsize=(8.4, 3.3), layout=None, full_redraw_on=["name"],
                         help="Green: the tangent, whose slope is the derivative. Red dashed: the secant through "
                              "ℒ(w) and ℒ(w + δ), whose slope is the ratio Δℒ/δ. Right: how far the ratio is "
                              "from the derivative for every δ; the dotted line is your δ.")


@figure("01_nudge_errors.svg")
def error_figure():
    """The error of forward and central differences against the nudge δ for W_111, with the two predicted regimes."""
    net = lecture.network()
    x, label = lecture.example()
    deltas = 10.0 ** np.arange(-15.0, 0.01, 0.25)
    ref = rsp.backprop_derivative(net, x, label, "W_111")
    errs = rsp.difference_errors(net, x, label, "W_111", deltas, ref)
    model = rsp.error_model(net, x, label, "W_111", deltas)
    fig = Figure(figsize=(6.4, 4.0), dpi=100, layout="constrained")
    ax = fig.add_subplot(111)
    ax.loglog(deltas, np.maximum(errs["forward"], FLOOR), "o-", ms=3, color="#ff7f0e", label="forward difference")
    ax.loglog(deltas, np.maximum(errs["central"], FLOOR), "s-", ms=3, color="#9467bd", label="central difference")
    ax.loglog(deltas, model["forward_truncation"], color="#ff7f0e", lw=0.9, ls="--", label="δ |ℒ''| / 2  (∝ δ)")
    ax.loglog(deltas, model["central_truncation"], color="#9467bd", lw=0.9, ls="--", label="δ² |ℒ'''| / 6  (∝ δ²)")
    ax.loglog(deltas, model["round_off"], color="black", lw=0.9, ls=":", label="ε |ℒ| / δ  (round-off, ∝ 1/δ)")
    ax.set_xlim(5e-16, 2)
    ax.set_ylim(1e-16, 1e1)
    ax.set_xlabel("nudge δ")
    ax.set_ylabel("|ratio − dℒ/dW₁₁₁|")
    ax.set_title("Too big: truncation error. Too small: round-off error.", fontsize=10)
    ax.text(3e-14, 1e-10, "round-off\nwins", fontsize=9, ha="center")
    ax.text(3e-2, 1e-9, "truncation\nwins", fontsize=9, ha="center")
    ax.legend(loc="lower left", fontsize=7.5, frameon=False)
    return fig
