"""The shared interactive figure: a broken callback fails the test; the figure is one, updated in place."""
import logging

import numpy as np
import pytest

from backprop import widgets


def _panel(compute):
    def draw(fig, d, art):
        if not art:
            ax = fig.add_subplot(111)
            (art["line"],) = ax.plot(d["x"], d["y"])
            ax.set_ylim(-5, 5)
            art["dynamic"] = [art["line"]]
        else:
            art["line"].set_ydata(d["y"])
    return widgets.Panel(compute, {"w": widgets.slider("W_111", 0.5, -2, 2)}, draw,
                         lambda d: f"loss = {d['y'][0]:.4f}", title="t")


def test_set_updates_data_and_readout():
    p = _panel(lambda w: {"x": np.arange(3.0), "y": w * np.arange(3.0) + 1})
    fig = p.figure
    p.set(w=1.5)
    assert p.data["y"].tolist() == [1.0, 2.5, 4.0]
    assert p.readout.value == "loss = 1.0000"
    assert p.figure is fig and p.png().startswith(b"\x89PNG")


def test_a_raising_callback_fails_the_test_and_is_shown(caplog):
    def compute(w):
        if w > 1:
            raise ValueError("w too large")
        return {"x": np.arange(3.0), "y": np.zeros(3)}
    p = _panel(compute)
    with caplog.at_level(logging.ERROR, logger="backprop.widgets"):
        with pytest.raises(ValueError, match="w too large"):
            p.set(w=1.5)
    assert "w too large" in p.error_box.value
    assert any("w too large" in r.getMessage() for r in caplog.records)
    p.set(w=0.0)                  # recovers
    assert p.error is None and p.error_box.value == ""


def test_symbols():
    assert widgets.symbol("W_111") == "W₁₁₁"
    assert widgets.symbol("y_hat") == "ŷ"
    assert widgets.symbol("eta") == "η"
    assert widgets.symbol("a_2") == "a₂"


def test_text_repr_is_stable_and_png_fallback_is_offered():
    p = _panel(lambda w: {"x": np.arange(3.0), "y": np.ones(3) * w})
    bundle = p._repr_mimebundle_()
    assert bundle["text/plain"].startswith("[interactive figure: t")
    assert "image/png" in bundle


def test_full_redraw_on_redraws_the_static_part():
    def draw(fig, d, art):
        if not art:
            ax = fig.add_subplot(111)
            (art["line"],) = ax.plot([0, 1], [0, 0])
            art["ax"] = ax
            art["dynamic"] = [art["line"]]
        art["ax"].set_ylim(0, d["top"])         # static part: changes only with "top"
        art["line"].set_ydata([0, d["w"]])
    p = widgets.Panel(lambda w, top: {"w": w, "top": top},
                      {"w": widgets.slider("w", 0.5, 0, 1), "top": widgets.dropdown("top", [1.0, 10.0], 1.0)},
                      draw, full_redraw_on=["top"])
    bg = p._background
    p.set(w=0.7)
    assert p._background is bg                   # a slider move blits
    p.set(top=10.0)
    assert p._background is not bg               # the dropdown redrew everything
    with pytest.raises(KeyError):
        widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, full_redraw_on=["nope"])


@pytest.mark.parametrize("call,exc,words", [
    (lambda: widgets.symbol(3), TypeError, ["name", "int 3"]),
    (lambda: widgets.slider(None, 0.5, 0, 1), TypeError, ["name", "None"]),
    (lambda: widgets.slider("w", "0.5", 0, 1), TypeError, ["value", "str"]),
    (lambda: widgets.slider("w", float("nan"), 0, 1), ValueError, ["value", "finite", "nan"]),
    (lambda: widgets.slider("w", True, 0, 1), TypeError, ["value", "True"]),
    (lambda: widgets.slider("w", 0.5, 1, 0), ValueError, ["min < max"]),
    (lambda: widgets.slider("w", 0.5, 0, 1, step=-0.1), ValueError, ["step", "> 0"]),
    (lambda: widgets.slider("w", 0.5, 0, 1, step=0), ValueError, ["step", "> 0"]),
    (lambda: widgets.slider("w", 0.5, 0, float("inf")), ValueError, ["max", "finite"]),
    (lambda: widgets.int_slider("k", 1.5, 1, 3), TypeError, ["value", "integer", "1.5"]),
    (lambda: widgets.int_slider("k", 1, 1, 3, step=0), ValueError, ["step", ">= 1"]),
    (lambda: widgets.log_slider("eta", 0.0, -3, 1), ValueError, ["value", "> 0"]),
    (lambda: widgets.log_slider("eta", 0.1, -3, 400), ValueError, ["exponents", "400"]),
    (lambda: widgets.log_slider("eta", 0.1, 1, -3), ValueError, ["min_exp < max_exp"]),
    (lambda: widgets.dropdown("g", "abc"), TypeError, ["options", "str"]),
    (lambda: widgets.dropdown("g", []), TypeError, ["options", "non-empty"]),
    (lambda: widgets.dropdown("g", ["a", "b"], value="c"), ValueError, ["['a', 'b']", "'c'"]),
    (lambda: widgets.dropdown("g", [("ℓ = 1", 0), ("ℓ = 2", 1)], value=2), ValueError, ["[0, 1]", "2"]),
    (lambda: widgets.Panel("f", {"w": widgets.slider("w", 0.5, 0, 1)}), TypeError, ["compute", "str"]),
    (lambda: widgets.Panel(lambda w: {}, [widgets.slider("w", 0.5, 0, 1)]), TypeError, ["controls", "dict"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": 0.5}), TypeError, ["controls", "dict"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, draw="x"), TypeError, ["draw", "str"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, title=None), TypeError, ["title", "None"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, button=True), TypeError, ["button", "True"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, figsize=7.0), TypeError, ["figsize", "7.0"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, figsize=(7.0, -1)), ValueError, ["figsize[1]", "-1"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, dpi=0), ValueError, ["dpi", "0"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, dpi=1e9), TypeError, ["dpi"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, full_redraw_on="w"), TypeError, ["full_redraw_on", "str"]),
    (lambda: widgets.Panel(lambda w: {}, {"w": widgets.slider("w", 0.5, 0, 1)}, full_redraw_on=["nope"]), ValueError, ["nope", "['w']"]),
])
def test_bad_widget_arguments_name_expected_and_given(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_control_values_cover_each_kind_of_control():
    assert widgets.control_values(widgets.slider("w", 0.0, -1, 1), 3) == [-1.0, 0.0, 1.0]
    assert widgets.control_values(widgets.int_slider("L", 2, 1, 3), 5) == [1, 2, 3]
    assert np.allclose(widgets.control_values(widgets.log_slider("eta", 0.1, -2, 0), 3), [0.01, 0.1, 1.0])
    assert widgets.control_values(widgets.dropdown("g", [("logistic", "logistic"), ("tanh", "tanh")])) == ["logistic", "tanh"]
