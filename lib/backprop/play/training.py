"""Lesson 09's play and figures: train on the digits with a button; curves, confusion matrix, mistakes.

:func:`train_state` is the panel's compute function, a plain function: it trains
a 64-``hidden``-10 ReLU network on the digits (the split of
:data:`backprop.train.DIGITS_RECIPE`) with learning rate ``lr`` for ``epochs``
epochs, minibatches of 32 and momentum 0.9, and returns the curves and the
test accuracy.  The figure functions below draw what the lesson shows.
"""
from __future__ import annotations

import warnings
from functools import lru_cache

import numpy as np

from .. import _validate, widgets
from ..network import Network
from ..train import DIGITS_RECIPE, TrainingDiverged, accuracy, fit

MAX_EPOCHS = 40
"""The epochs slider's largest value (the curves' x axis is fixed to 0..MAX_EPOCHS)."""
LOSS_MIN, LOSS_MAX = 1e-3, 10.0
"""The loss axis (log scale) runs from LOSS_MIN to LOSS_MAX (the loss before training is about ln 10 = 2.30);
values outside, and NaN or inf, are drawn at the edge."""
PANEL_DEFAULTS = {"lr": 0.01, "hidden": 32, "epochs": 10}
"""The panel's starting values: small, so that building the panel (which trains once) takes a fraction of a second."""


@lru_cache(maxsize=1)
def digits():
    """The digits split the lesson uses: ``load_digits(seed=DIGITS_RECIPE['data_seed'])`` (cached; do not modify)."""
    from ..data import load_digits
    return load_digits(seed=DIGITS_RECIPE["data_seed"])


def network(hidden: int) -> Network:
    """The panel's untrained network: sizes [64, hidden, 10], ReLU, Xavier, seed DIGITS_RECIPE['init_seed']."""
    hidden = _validate.positive_int(hidden, "hidden (units in the hidden layer)")
    return Network.init([64, hidden, 10], DIGITS_RECIPE["activation"], init=DIGITS_RECIPE["init"],
                        seed=DIGITS_RECIPE["init_seed"])


def train_state(lr, hidden, epochs) -> dict:
    """Train on the digits and return what the panel draws.

    ``lr`` > 0 the learning rate eta, ``hidden`` >= 1 the hidden layer's width,
    ``epochs`` >= 1.  Minibatches of DIGITS_RECIPE['batch_size'] (32), momentum
    0.9, shuffling seed 0: the same values always give the same run.

    Returns a dict: ``epoch`` (E+1,) ints 0..E (fewer if training diverged),
    ``train_loss``, ``val_loss``, ``train_acc``, ``val_acc`` (same length) floats,
    ``test_acc`` float (of the network after the last finite step), ``n_test``,
    ``n_correct`` ints, ``diverged`` bool, ``message`` str or None, ``net`` the
    trained :class:`Network`, and the arguments ``lr``, ``hidden``, ``epochs``.
    """
    lr = _validate.positive_float(lr, "lr (the learning rate)")
    hidden = _validate.positive_int(hidden, "hidden (units in the hidden layer)")
    epochs = _validate.positive_int(epochs, "epochs")
    d = digits()
    r = DIGITS_RECIPE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingDiverged)    # the readout says it instead
        res = fit(network(hidden), d.X_train, d.y_train, X_val=d.X_val, y_val=d.y_val, epochs=epochs,
                  batch_size=r["batch_size"], lr=lr, optimizer=r["optimizer"], momentum=r["momentum"],
                  seed=r["seed"], progress=False)
    h = res.history
    test_acc = accuracy(res.net, d.X_test, d.y_test)
    n_test = int(d.y_test.shape[0])
    return {
        "lr": lr, "hidden": hidden, "epochs": epochs,
        "epoch": np.array(h.epoch), "train_loss": np.array(h.train_loss), "val_loss": np.array(h.val_loss),
        "train_acc": np.array(h.train_acc), "val_acc": np.array(h.val_acc),
        "test_acc": test_acc, "n_test": n_test, "n_correct": int(round(test_acc * n_test)),
        "diverged": res.diverged, "message": res.message, "net": res.net,
    }


# ------------------------------------------------------------------ the panel
_STATE_KEYS = ("lr", "hidden", "epochs", "epoch", "train_loss", "val_loss", "train_acc", "val_acc",
               "test_acc", "n_test", "n_correct", "diverged", "message")


def _check_state(d):
    """``d`` must be the dict that :func:`train_state` returns."""
    if not isinstance(d, dict):
        raise TypeError(f"d must be the dict that train_state(lr, hidden, epochs) returns; got {_validate.describe(d)}")
    missing = [k for k in _STATE_KEYS if k not in d]
    if missing:
        raise ValueError(f"d must be the dict that train_state(lr, hidden, epochs) returns; it lacks the key(s) {missing}")
    return d


def _clipped(v):
    v = np.asarray(v, dtype=float)
    return np.where(np.isfinite(v), np.clip(v, LOSS_MIN, LOSS_MAX), LOSS_MAX)


def draw(fig, d, art):
    """Loss (left) and accuracy (right) per epoch, train and validation, on fixed axes."""
    _check_state(d)
    if not art:
        ax_l = fig.add_axes((0.08, 0.17, 0.38, 0.68))
        ax_a = fig.add_axes((0.58, 0.17, 0.38, 0.68))
        for ax in (ax_l, ax_a):
            ax.set_xlim(0, MAX_EPOCHS)
            ax.set_xlabel("epoch")
            ax.grid(alpha=0.3)
        ax_l.set_yscale("log")
        ax_l.set_ylim(LOSS_MIN, LOSS_MAX)
        ax_l.set_ylabel("mean cross-entropy loss (log)")
        ax_a.set_ylim(0, 1.02)
        ax_a.set_ylabel("accuracy")
        (art["tl"],) = ax_l.plot([], [], "-", color="C0", label="train")
        (art["vl"],) = ax_l.plot([], [], "--", color="C1", label="validation")
        (art["ta"],) = ax_a.plot([], [], "-", color="C0", label="train")
        (art["va"],) = ax_a.plot([], [], "--", color="C1", label="validation")
        art["test"] = ax_a.axhline(np.nan, color="C2", lw=1, label="test (end)")
        ax_l.legend(loc="lower left", fontsize=8)
        ax_a.legend(loc="lower right", fontsize=8)
        art["title"] = fig.text(0.5, 0.93, " ", ha="center", fontsize=10)
        art["note"] = ax_l.text(0.5, 0.55, "", transform=ax_l.transAxes, ha="center", va="center",
                                fontsize=9, color="#c44e52")
        art["dynamic"] = [art[k] for k in ("tl", "vl", "ta", "va", "test", "title", "note")]
    e = d["epoch"]
    art["tl"].set_data(e, _clipped(d["train_loss"]))
    art["vl"].set_data(e, _clipped(d["val_loss"]))
    art["ta"].set_data(e, d["train_acc"])
    art["va"].set_data(e, d["val_acc"])
    art["test"].set_ydata([d["test_acc"], d["test_acc"]])
    art["title"].set_text(f"64–{d['hidden']}–10 ReLU network, η = {d['lr']:.3g}, {d['epochs']} epochs "
                          f"(batch 32, momentum 0.9)")
    art["note"].set_text("loss became NaN/inf:\ntraining stopped (diverged)" if d["diverged"] else "")


def readout(d) -> str:
    """Test accuracy (and how many of the test digits), the final train/validation numbers, divergence."""
    _check_state(d)
    line = (f"<b>test accuracy = {100 * d['test_acc']:.2f}%</b> ({d['n_correct']} of {d['n_test']} test digits)"
            f"&nbsp;&nbsp; train acc = {100 * d['train_acc'][-1]:.2f}%, validation acc = {100 * d['val_acc'][-1]:.2f}%"
            f", final train loss = {d['train_loss'][-1]:.4g}")
    if d["diverged"]:
        line = (f"<b>test accuracy = {100 * d['test_acc']:.2f}%</b> ({d['n_correct']} of {d['n_test']} test digits), "
                f"with the last parameters whose loss was finite")
    if d["diverged"]:
        line += f"<br><span style='color:#b00'>{d['message']}</span>"
    return line


def panel() -> widgets.Panel:
    """Learning rate (log slider), hidden width and epochs; training runs when 'Train' is pressed."""
    controls = {
        "lr": widgets.log_slider("eta", PANEL_DEFAULTS["lr"], -3, 1.5, 0.1, fmt=".3g",
                                 tooltip="learning rate η, from 0.001 to about 30 (log scale)"),
        "hidden": widgets.int_slider("hidden", PANEL_DEFAULTS["hidden"], 2, 256, 2, label="hidden units",
                                     tooltip="units in the hidden layer: network 64-hidden-10"),
        "epochs": widgets.int_slider("epochs", PANEL_DEFAULTS["epochs"], 1, MAX_EPOCHS, label="epochs",
                                     tooltip="passes over the 1258 training digits"),
    }
    return widgets.Panel(lambda **v: train_state(**v), controls, draw, readout, button="Train",
                         title="Train a classifier on the digits", figsize=(8.0, 3.2), layout=None,
                         help="Set η, the hidden width and the number of epochs, then press Train. "
                              "Solid: training set; dashed: validation set; green: test accuracy at the end.")


# -------------------------------------------------------------- lesson figures
def plot_images(ax_grid, images, titles, cmap="gray_r"):
    """Show ``images`` (N, rows, cols) on the axes ``ax_grid`` (any shape, >= N axes) with ``titles`` (N strings)."""
    axes = np.asarray(ax_grid, dtype=object).reshape(-1)
    arr = np.asarray(images) if not isinstance(images, (str, bytes)) else None
    if arr is None or arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise TypeError(f"images must be an array of pixel values (N, rows, cols); got {_validate.describe(images)}")
    if arr.ndim != 3 or arr.shape[0] == 0:
        raise ValueError(f"images must have shape (N, rows, cols) with N >= 1 (for rows X use Dataset.images(X)); "
                         f"got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"images must be finite; got {int((~np.isfinite(arr)).sum())} NaN or inf pixel value(s)")
    if isinstance(titles, (str, bytes)) or not hasattr(titles, "__len__"):
        raise TypeError(f"titles must be a list of strings, one per image; got {_validate.describe(titles)}")
    if len(titles) != arr.shape[0]:
        raise ValueError(f"titles must hold one title per image, {arr.shape[0]}; got {len(titles)}")
    if axes.size < arr.shape[0]:
        raise ValueError(f"ax_grid must hold at least one axes per image, {arr.shape[0]}; got {axes.size}")
    images = arr
    for i, ax in enumerate(axes):
        ax.set_xticks([])
        ax.set_yticks([])
        if i < len(images):
            ax.imshow(images[i], cmap=cmap, vmin=0, vmax=16 if np.max(images) <= 16 else 255)
            ax.set_title(titles[i], fontsize=9)
        else:
            ax.axis("off")


def plot_curves(axes, history):
    """Loss (axes[0]) and accuracy (axes[1]) per epoch, train and validation, from a :class:`History`."""
    from ..train import History
    if not isinstance(history, History):
        raise TypeError(f"history must be a backprop.train.History (fit(...).history); got {_validate.describe(history)}")
    if not history.epoch:
        raise ValueError("history must hold at least one epoch; got an empty History")
    axes = list(np.asarray(axes, dtype=object).reshape(-1))
    if len(axes) != 2:
        raise ValueError(f"axes must be two axes (loss, accuracy); got {len(axes)}")
    ax_l, ax_a = axes
    ax_l.plot(history.epoch, history.train_loss, "-", label="train")
    ax_l.plot(history.epoch, history.val_loss, "--", label="validation")
    ax_l.set_yscale("log")
    ax_l.set_xlabel("epoch")
    ax_l.set_ylabel("mean cross-entropy loss (log scale)")
    ax_a.plot(history.epoch, history.train_acc, "-", label="train")
    ax_a.plot(history.epoch, history.val_acc, "--", label="validation")
    ax_a.set_ylim(0.9, 1.005)
    ax_a.set_xlabel("epoch")
    ax_a.set_ylabel("accuracy (from 0.9)")
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)


def plot_confusion(ax, C, class_names):
    """The confusion matrix ``C`` (n, n) as an image with its counts written in; rows true, columns predicted."""
    C = np.asarray(C)
    if C.dtype == bool or not np.issubdtype(C.dtype, np.integer):
        raise TypeError(f"C must hold integer counts (confusion_matrix(y_true, y_pred)); got {_validate.describe(C)}")
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] == 0:
        raise ValueError(f"C must be a square confusion matrix (n, n); got shape {C.shape}")
    if C.min() < 0:
        raise ValueError(f"C must hold counts >= 0; got {int(C.min())}")
    n = C.shape[0]
    if isinstance(class_names, (str, bytes)) or not hasattr(class_names, "__len__"):
        raise TypeError(f"class_names must be a list of n = {n} names; got {_validate.describe(class_names)}")
    if len(class_names) != n:
        raise ValueError(f"class_names must hold n = {n} names, one per row of C; got {len(class_names)}")
    ax.imshow(np.log1p(C), cmap="Blues")
    for i in range(n):
        for j in range(n):
            if C[i, j]:
                colour = "white" if i == j else "#b00"
                ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=8, color=colour,
                        fontweight="bold" if i != j else "normal")
    ax.set_xticks(range(n), class_names)
    ax.set_yticks(range(n), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class ℓ")
