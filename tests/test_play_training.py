"""Lesson 09's panel, headless: the controls set the training run; the readout shows that run's test accuracy."""
from helpers import assert_refused
import numpy as np
import pytest

import backprop as bp
from backprop import data, train, widgets
from backprop.play import training


def _independent(lr, hidden, epochs):
    """The same run, set up here from the recipe's documented values (not through the panel's code)."""
    d = data.load_digits(seed=2)
    net = bp.Network.init([64, hidden, 10], "relu", init="xavier", seed=0)
    with pytest.warns(train.TrainingDiverged) if lr > 10 else _nothing():
        res = train.fit(net, d.X_train, d.y_train, X_val=d.X_val, y_val=d.y_val, epochs=epochs, batch_size=32,
                        lr=lr, momentum=0.9, seed=0, progress=False)
    return res, float(np.mean(train.predict(res.net, d.X_test) == d.y_test)), d


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def test_panel_trains_on_build_with_its_defaults():
    p = training.panel()
    assert p.error is None and p.button is not None
    v = training.PANEL_DEFAULTS
    _, acc, d = _independent(v["lr"], v["hidden"], v["epochs"])
    assert p.data["test_acc"] == acc
    assert f"test accuracy = {100 * acc:.2f}%" in p.readout.value
    assert f"({int(round(acc * len(d.y_test)))} of {len(d.y_test)} test digits)" in p.readout.value


@pytest.mark.parametrize("lr,hidden,epochs", [(0.02, 64, 12), (0.003, 8, 3), (0.1, 128, 5)])
def test_set_clicks_train_and_readout_matches_fit(lr, hidden, epochs):
    p = training.panel()
    p.set(lr=lr, hidden=hidden, epochs=epochs)
    res, acc, _ = _independent(lr, hidden, epochs)
    assert p.data["lr"] == pytest.approx(lr) and p.data["hidden"] == hidden and p.data["epochs"] == epochs
    assert p.data["test_acc"] == acc
    assert f"test accuracy = {100 * acc:.2f}%" in p.readout.value
    np.testing.assert_allclose(p.data["val_acc"], res.history.val_acc)
    np.testing.assert_allclose(p.data["train_loss"], res.history.train_loss)
    assert len(p.data["epoch"]) == epochs + 1 and not p.data["diverged"]


def test_a_huge_learning_rate_diverges_and_says_so():
    p = training.panel()
    p.set(lr=30.0, hidden=64, epochs=10)
    res, acc, _ = _independent(30.0, 64, 10)
    assert p.data["diverged"] and res.diverged
    assert p.data["test_acc"] == acc
    assert "training stopped" in p.readout.value and "smaller learning rate" in p.readout.value


def test_pressing_train_again_gives_the_same_run_and_latency():
    p = training.panel()
    first = p.data["test_acc"]
    p.button.click()
    assert p.data["test_acc"] == first
    times = widgets.latency(p, "epochs", [2, 5, 10])
    assert np.median(times) < 5.0      # a training run behind a button: seconds at most


def test_bad_values_are_refused():
    with pytest.raises(TypeError, match="hidden"):
        training.train_state(0.01, 3.5, 2)
    with pytest.raises(ValueError, match="learning rate"):
        training.train_state(-0.01, 8, 2)
    with pytest.raises(ValueError, match="epochs"):
        training.train_state(0.01, 8, 0)


# ---------------------------------------------------------------- found by the bad-input probe
def _axes(n):
    from matplotlib.figure import Figure
    return Figure().subplots(1, n)


@pytest.mark.parametrize("call,exc,words", [
    (lambda: training.train_state(float("nan"), 8, 2), ValueError, ["learning rate", "nan"]),
    (lambda: training.train_state(True, 8, 2), TypeError, ["learning rate", "True"]),
    (lambda: training.train_state(0.01, True, 2), TypeError, ["hidden", "True"]),
    (lambda: training.train_state(0.01, 8, 2.0), TypeError, ["epochs", "2.0"]),
    (lambda: training.network(0), ValueError, ["hidden", ">= 1", "0"]),
    (lambda: training.readout({}), ValueError, ["train_state", "test_acc"]),
    (lambda: training.readout(None), TypeError, ["train_state", "None"]),
    (lambda: training.plot_images(_axes(3), np.zeros((2, 8, 8)), ["a"]), ValueError, ["one title per image, 2", "got 1"]),
    (lambda: training.plot_images(_axes(3), np.zeros((2, 64)), ["a", "b"]), ValueError, ["(N, rows, cols)", "Dataset.images", "(2, 64)"]),
    (lambda: training.plot_images(_axes(3), np.full((2, 8, 8), np.nan), ["a", "b"]), ValueError, ["finite", "128 NaN"]),
    (lambda: training.plot_images(_axes(1), np.zeros((2, 8, 8)), ["a", "b"]), ValueError, ["at least one axes per image, 2", "got 1"]),
    (lambda: training.plot_images(_axes(3), np.zeros((0, 8, 8)), []), ValueError, ["N >= 1", "(0, 8, 8)"]),
    (lambda: training.plot_images(_axes(3), np.zeros((2, 8, 8), dtype=bool), ["a", "b"]), TypeError, ["pixel values", "bool"]),
    (lambda: training.plot_curves(_axes(2), {"epoch": [0]}), TypeError, ["History", "dict"]),
    (lambda: training.plot_curves(_axes(2), train.History()), ValueError, ["at least one epoch"]),
    (lambda: training.plot_curves(_axes(1), _history()), ValueError, ["two axes", "got 1"]),
    (lambda: training.plot_confusion(_axes(1), np.ones((2, 3), int), ["a", "b"]), ValueError, ["square", "(2, 3)"]),
    (lambda: training.plot_confusion(_axes(1), np.ones((3, 3), int), ["a", "b"]), ValueError, ["n = 3 names", "got 2"]),
    (lambda: training.plot_confusion(_axes(1), -np.ones((3, 3), int), list("abc")), ValueError, ["counts >= 0", "-1"]),
    (lambda: training.plot_confusion(_axes(1), np.ones((3, 3)), list("abc")), TypeError, ["integer counts", "float64"]),
])
def test_more_bad_values_are_refused(call, exc, words):
    assert_refused(call, exc, words)


def _history():
    h = train.History()
    h.epoch, h.train_loss, h.train_acc, h.val_loss, h.val_acc = [0, 1], [2.3, 1.0], [0.1, 0.6], [2.3, 1.1], [0.1, 0.5]
    return h


def test_figures_accept_what_the_lesson_gives_them():
    d = training.digits()
    training.plot_images(_axes(3), d.images(d.X_test[:3]), ["0", "1", "2"])
    training.plot_images(_axes(3).reshape(1, 3), np.zeros((2, 8, 8), dtype=np.uint8), ["0", "1"])   # raw pixels too
    training.plot_curves(_axes(2), _history())
    training.plot_confusion(_axes(1), train.confusion_matrix(d.y_test, d.y_test), d.class_names)
