"""Lesson 03's panel, headless: the sliders change what the library computes, and nothing else."""
import numpy as np
import pytest

from backprop import chain, widgets
from backprop.play import thin_chain


def test_panel_follows_its_sliders():
    p = thin_chain.panel()
    p.set(L=6, W_111=-1.5, W_rest=2.0, x=0.5)
    w = np.array([-1.5, 2.0, 2.0, 2.0, 2.0, 2.0])
    c = chain.forward(w, 0.5, 0.0)
    num = np.array([(chain.loss(w + e, 0.5, 0.0) - chain.loss(w - e, 0.5, 0.0)) / 2e-6 for e in np.eye(6) * 1e-6])
    assert p.data["L"] == 6 and np.allclose(p.data["w"], w)
    assert np.allclose(p.data["grads"], num, rtol=1e-5)
    assert np.allclose(p.data["g_prime"], [c.h[k] * (1 - c.h[k]) for k in range(1, 7)])
    assert p.data["n_naive"] == 42 and p.data["n_reuse"] == 17
    assert f"∂ℒ/∂W₁₁₁ = {num[0]:.3e}" in p.readout.value
    assert "from scratch 42, reusing 17" in p.readout.value
    assert f"loss ℒ = ½(h<sub>L</sub> − y)² = {c.loss:.4f}" in p.readout.value


def test_first_gradient_is_zero_at_x_zero_and_every_depth_draws():
    p = thin_chain.panel()
    p.set(x=0.0)
    assert p.data["grads"][0] == 0.0
    for L in range(1, thin_chain.MAX_DEPTH + 1):
        p.set(L=L)
        assert len(p.data["grads"]) == L
    assert p.png().startswith(b"\x89PNG")


def test_bad_depth_is_refused():
    with pytest.raises(ValueError, match="depth"):
        thin_chain.chain_state(9, 1.0, 1.0, 1.0)


def test_latency():
    p = thin_chain.panel()
    times = widgets.latency(p, "W_111", np.linspace(-3, 3, 13))
    assert np.median(times) < 0.2


_VALID_BAD = dict(L=3, W_111=1.0, W_rest=1.0, x=1.0)


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(W_111="1"), TypeError, ["W_111", "str"]),
    (dict(W_rest=[1.0]), TypeError, ["W_rest", "list"]),
    (dict(x=float("nan")), ValueError, ["x", "finite"]),
    (dict(L=0), ValueError, ["L", ">= 1", "0"]),
    (dict(L=2.0), TypeError, ["L", "2.0"]),
])
def test_compute_refuses_bad_input_by_name(kwargs, exc, words):
    with pytest.raises(exc) as info:
        thin_chain.chain_state(**dict(_VALID_BAD, **kwargs))
    for w in words:
        assert w in str(info.value), (w, str(info.value))
