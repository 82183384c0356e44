"""backprop.train: the fast step equals network.backward, fit, divergence, helpers, the digits recipe."""
from helpers import assert_refused
import warnings

import numpy as np
import pytest

import backprop as bp
from backprop import data, train


def _problem(sizes, activation, B, seed=0):
    rng = np.random.default_rng(seed)
    net = bp.Network.init(sizes, activation, seed=seed)
    for k in range(1, net.L + 1):     # non-zero biases, so bias bugs show
        net.b[k] = rng.normal(scale=0.3, size=net.b[k].shape)
    X = rng.normal(size=(B, sizes[0]))
    y = rng.integers(sizes[-1], size=B)
    return net, X, y


CASES = [([784, 256, 128, 10], "tanh", 128), ([64, 128, 10], "relu", 32), ([5, 7, 6, 3], "logistic", 9),
         ([4, 3, 2], "identity", 5), ([6, 8, 8, 8, 4], "tanh", 1)]


@pytest.mark.parametrize("sizes,activation,B", CASES)
def test_fast_gradients_equal_network_backward(sizes, activation, B):
    net, X, y = _problem(sizes, activation, B)
    ref = bp.backward(net, bp.forward(net, X), y)
    fast = train.Trainer(net.copy(), batch_size=max(B, 16)).gradients(X, y)   # batch smaller than the buffers too
    assert fast.loss == pytest.approx(ref.loss, rel=1e-13, abs=1e-15)
    for k in range(1, net.L + 1):
        np.testing.assert_allclose(fast.grad_W[k], ref.grad_W[k], rtol=1e-11, atol=1e-15)
        np.testing.assert_allclose(fast.grad_b[k], ref.grad_b[k], rtol=1e-11, atol=1e-15)
        np.testing.assert_allclose(fast.grad_a[k], ref.grad_a[k], rtol=1e-11, atol=1e-15)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_train_step_is_the_update_of_network_backward(optimizer):
    net, X, y = _problem([20, 16, 12, 5], "tanh", 8, seed=3)
    lr, mu, (b1, b2), eps = 0.1, 0.9, (0.9, 0.999), 1e-8
    tr = train.Trainer(net.copy(), lr=lr, optimizer=optimizer, momentum=mu, batch_size=8)
    ref = net.copy()
    params = lambda n: [p for _, p in n.parameters()]
    state = [np.zeros_like(p) for p in params(ref)]
    state2 = [np.zeros_like(p) for p in params(ref)]
    rng = np.random.default_rng(0)
    for t in range(1, 4):
        Xt = X + 0.1 * rng.normal(size=X.shape)
        g = bp.gradients(ref, Xt, y)
        grads = [q for k in range(1, ref.L + 1) for q in (g.grad_W[k], g.grad_b[k])]
        new = []
        for i, (p, gr) in enumerate(zip(params(ref), grads)):
            if optimizer == "sgd":
                new.append(p - lr * gr)
            elif optimizer == "momentum":
                state[i] = mu * state[i] + gr
                new.append(p - lr * state[i])
            else:
                state[i] = b1 * state[i] + (1 - b1) * gr
                state2[i] = b2 * state2[i] + (1 - b2) * gr * gr
                mhat, shat = state[i] / (1 - b1 ** t), state2[i] / (1 - b2 ** t)
                new.append(p - lr * mhat / (np.sqrt(shat) + eps))
        ref = bp.Network([None] + new[0::2], [None] + new[1::2], "tanh")
        loss = tr.train_step(np.ascontiguousarray(Xt), y)
        assert loss == pytest.approx(g.loss, rel=1e-13)
        for (name, a), (_, b) in zip(tr.net.parameters(), ref.parameters()):
            np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-14, err_msg=f"{optimizer} step {t} {name}")


def test_trainer_restore_previous():
    net, X, y = _problem([6, 5, 3], "tanh", 4)
    tr = train.Trainer(net, lr=0.5, batch_size=4)
    assert tr.restore_previous() is False
    before = [p.copy() for _, p in net.parameters()]
    tr.train_step(X, y)
    assert not np.allclose(net.W[1], before[0])
    assert tr.restore_previous() is True
    for (_, p), q in zip(net.parameters(), before):
        assert np.array_equal(p, q)


def test_fit_reaches_97_percent_on_the_digits():
    d = data.load_digits(seed=train.DIGITS_RECIPE["data_seed"])
    result = train.train_digits(d, progress=False)
    assert not result.diverged and result.message is None
    acc = train.accuracy(result.net, d.X_test, d.y_test)
    assert acc >= 0.97, f"test accuracy {acc:.4f}"
    h = result.history
    E = train.DIGITS_RECIPE["epochs"]
    assert h.epoch == list(range(E + 1))
    assert len(h.train_loss) == len(h.train_acc) == len(h.val_loss) == len(h.val_acc) == E + 1
    assert len(h.step_loss) == E * -(-d.X_train.shape[0] // train.DIGITS_RECIPE["batch_size"]) == result.steps
    assert h.train_loss[-1] < h.train_loss[0] / 10
    # fit trains a copy: a network given to fit is unchanged
    net = bp.Network.init([64, 8, 10], "relu", seed=0)
    W1 = net.W[1].copy()
    train.fit(net, d.X_train, d.y_train, epochs=1, progress=False)
    assert np.array_equal(net.W[1], W1)


def test_fit_is_seeded():
    d = data.load_digits(seed=1)
    net = bp.Network.init([64, 16, 10], "tanh", seed=0)
    kw = dict(X_val=d.X_val, y_val=d.y_val, epochs=2, batch_size=50, progress=False)
    a = train.fit(net, d.X_train, d.y_train, seed=5, **kw)
    b = train.fit(net, d.X_train, d.y_train, seed=5, **kw)
    c = train.fit(net, d.X_train, d.y_train, seed=6, **kw)
    assert a.history.step_loss == b.history.step_loss and np.array_equal(a.net.W[1], b.net.W[1])
    assert a.history.step_loss != c.history.step_loss


def test_progress_bar_can_be_on(capsys):
    d = data.load_digits()
    net = bp.Network.init([64, 8, 10], "tanh", seed=0)
    seen = []
    train.fit(net, d.X_train[:100], d.y_train[:100], epochs=2, progress=True, on_epoch=lambda e, h: seen.append(e))
    assert seen == [1, 2]
    assert "training" in capsys.readouterr().err


@pytest.mark.parametrize("lr,where", [(1e3, "step"), (1e4, "end of epoch")])
def test_divergence_stops_and_keeps_the_last_finite_parameters(lr, where):
    # lr = 1e3: a minibatch loss becomes NaN mid-epoch.  lr = 1e4: every minibatch loss of epoch 1 is finite, but
    # the parameters after its last update (seen first by the end-of-epoch loss over the whole training set) are not.
    d = data.load_digits(seed=0)
    net = bp.Network.init([64, 32, 10], "relu", seed=0)
    kw = dict(epochs=5, batch_size=32, lr=lr, momentum=0.9, seed=0, progress=False)
    with pytest.warns(train.TrainingDiverged) as rec:
        result = train.fit(net, d.X_train, d.y_train, **kw)
    assert result.diverged
    msg = result.message
    assert str(rec[0].message) == msg
    import re
    if where == "step":
        m = re.search(r"at epoch (\d+), step (\d+) \(of (\d+) per epoch", msg)
    else:
        m = re.search(r"whole training set became NaN at the end of epoch (\d+), after step (\d+) \(of (\d+) per epoch", msg)
    assert m, msg
    epoch, step, per_epoch = map(int, m.groups())
    assert "smaller learning rate" in msg and f"lr = {lr:g}" in msg and f"lr = {lr / 10:g}." in msg
    # the loss of the parameters after update n is seen at minibatch n + 1 (or at the end of the epoch, after
    # update n = the epoch's last); the kept ones are one update earlier
    seen = (epoch - 1) * per_epoch + (step - 1 if where == "step" else step)
    assert result.steps == seen - 1
    assert f"after {result.steps} updates" in msg
    assert len(result.history.epoch) == epoch          # epochs 0 .. epoch-1 were completed
    assert all(np.isfinite(result.history.train_loss))
    for _, p in result.net.parameters():
        assert np.all(np.isfinite(p))
    if where == "step":
        assert not np.isfinite(result.history.step_loss[-1])
        assert all(np.isfinite(result.history.step_loss[:-1]))
    else:
        assert len(result.history.step_loss) == seen and all(np.isfinite(result.history.step_loss))
    # The network kept is the last one whose loss was finite, i.e. after result.steps updates: replay
    # exactly those minibatches with a Trainer and compare; its next loss is finite, the one after is not.
    replay = train.Trainer(net.copy(), lr=lr, momentum=0.9, batch_size=32)
    rng = np.random.default_rng(0)
    N = d.X_train.shape[0]
    batches = [o[s:s + 32] for _ in range(epoch) for o in [rng.permutation(N)] for s in range(0, N, 32)]
    for idx in batches[:result.steps]:
        assert np.isfinite(replay.train_step(np.ascontiguousarray(d.X_train[idx]), d.y_train[idx]))
    for (_, a), (_, b) in zip(result.net.parameters(), replay.net.parameters()):
        assert np.array_equal(a, b)
    idx = batches[result.steps]
    assert np.isfinite(replay.train_step(np.ascontiguousarray(d.X_train[idx]), d.y_train[idx]))
    if where == "step":
        idx = batches[result.steps + 1]
        assert not np.isfinite(replay.train_step(np.ascontiguousarray(d.X_train[idx]), d.y_train[idx]))
    else:
        with pytest.raises(ValueError, match="overflowed"):
            train.evaluate(replay.net, d.X_train, d.y_train)


def test_divergence_at_the_first_step_keeps_the_initial_parameters():
    net = bp.Network.init([2, 3, 2], "tanh", seed=0)
    net.W[2] = net.W[2] * 1e308            # logits overflow: the very first loss is not finite
    X = np.ones((4, 2))
    y = np.array([0, 1, 0, 1])
    with pytest.warns(train.TrainingDiverged, match="epoch 1, step 1"):
        result = train.fit(net, X, y, epochs=3, progress=False)
    assert result.diverged and result.steps == 0
    assert np.array_equal(result.net.W[2], net.W[2])


def test_predict_accuracy_confusion():
    net, X, y = _problem([5, 7, 3], "tanh", 40)
    proba = train.predict_proba(net, X)
    np.testing.assert_allclose(proba, bp.forward(net, X).y_hat, rtol=1e-12)
    pred = train.predict(net, X)
    assert pred.dtype == np.int64 and np.array_equal(pred, proba.argmax(axis=1))
    assert train.accuracy(net, X, y) == pytest.approx(np.mean(pred == y))
    loss, acc = train.evaluate(net, X, y)
    assert loss == pytest.approx(bp.loss(net, X, y), rel=1e-12) and acc == train.accuracy(net, X, y)
    C = train.confusion_matrix(y, pred, n_classes=3)
    assert C.shape == (3, 3) and C.dtype == np.int64 and C.sum() == 40
    assert np.trace(C) == np.sum(pred == y)
    assert np.array_equal(C.sum(axis=1), np.bincount(y, minlength=3))
    assert np.array_equal(train.confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2]),
                          [[1, 0, 0], [0, 1, 1], [0, 0, 1]])


@pytest.mark.parametrize("call,exc,words", [
    (lambda n, X, y: train.fit("net", X, y), TypeError, "backprop.Network"),
    (lambda n, X, y: train.fit(n, X[:, :4], y), ValueError, r"shape \(N, 5\)"),
    (lambda n, X, y: train.fit(n, X.astype(int), y), TypeError, "floating-point"),
    (lambda n, X, y: train.fit(n, X, y.astype(float)), TypeError, "integer class indices"),
    (lambda n, X, y: train.fit(n, X, y + 3), ValueError, "0..2"),
    (lambda n, X, y: train.fit(n, X, y[:-1]), ValueError, r"shape \(40,\)"),
    (lambda n, X, y: train.fit(n, X, y, X_val=X), ValueError, "together"),
    (lambda n, X, y: train.fit(n, X, y, epochs=0), ValueError, "epochs"),
    (lambda n, X, y: train.fit(n, X, y, epochs=2.0), TypeError, "epochs"),
    (lambda n, X, y: train.fit(n, X, y, batch_size=-1), ValueError, "batch_size"),
    (lambda n, X, y: train.fit(n, X, y, lr=0), ValueError, "lr"),
    (lambda n, X, y: train.fit(n, X, y, lr=float("nan")), ValueError, "lr"),
    (lambda n, X, y: train.fit(n, X, y, lr="0.1"), TypeError, "lr"),
    (lambda n, X, y: train.fit(n, X, y, optimizer="rmsprop"), ValueError, "optimizer"),
    (lambda n, X, y: train.fit(n, X, y, momentum=1.0), ValueError, "momentum"),
    (lambda n, X, y: train.fit(n, X, y, betas=0.9), TypeError, "betas"),
    (lambda n, X, y: train.fit(n, X, y, seed=-2), ValueError, "seed"),
    (lambda n, X, y: train.fit(n, X, y, progress="no"), TypeError, "progress"),
    (lambda n, X, y: train.fit(n, X, y, on_epoch=3), TypeError, "on_epoch"),
    (lambda n, X, y: train.fit(n, np.full_like(X, np.nan), y), ValueError, "finite"),
    (lambda n, X, y: train.Trainer(n, batch_size=4).gradients(X, y), ValueError, "batch_size = 4"),
    (lambda n, X, y: train.predict(n, X[:, :2]), ValueError, "n_0 = 5"),
    (lambda n, X, y: train.accuracy(n, X, y[:3]), ValueError, "shape"),
    (lambda n, X, y: train.confusion_matrix(y, y, n_classes=2), ValueError, "0..1"),
    (lambda n, X, y: train.confusion_matrix(y, y.astype(float)), TypeError, "integer"),
    (lambda n, X, y: train.train_digits(progress=False, hidden=3), TypeError, "unknown setting"),
    (lambda n, X, y: train.train_digits(data=(X, y), progress=False), TypeError, "Dataset"),
])
def test_bad_arguments(call, exc, words):
    net, X, y = _problem([5, 7, 3], "tanh", 40)
    with pytest.raises(exc, match=words):
        call(net, X, y)


def test_no_runtime_warnings_when_diverging():
    net = bp.Network.init([64, 32, 10], "relu", seed=0)
    d = data.load_digits()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(train.TrainingDiverged):
            train.fit(net, d.X_train, d.y_train, lr=1e6, epochs=3, progress=False)


# ---------------------------------------------------------------- found by the bad-input probe
@pytest.mark.parametrize("optimizer,lr,epochs", [("sgd", 50.0, 3), ("momentum", 30.0, 3), ("momentum", 1e3, 2),
                                                  ("adam", 1e160, 1), ("sgd", 1e300, 1), ("momentum", 1e300, 1)])
@pytest.mark.parametrize("with_val", [False, True])
def test_divergence_in_the_last_epoch_stops_cleanly_for_every_optimizer(optimizer, lr, epochs, with_val):
    # each lr diverges in epoch `epochs` (the last one): mid-epoch, at its end, or at the first update
    d = data.load_digits(seed=0)
    net = bp.Network.init([64, 32, 10], "relu", seed=0)
    val = dict(X_val=d.X_val, y_val=d.y_val) if with_val else {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(train.TrainingDiverged, match="training stopped") as rec:
            result = train.fit(net, d.X_train, d.y_train, epochs=epochs, lr=lr, optimizer=optimizer, seed=0,
                               progress=False, **val)
    assert result.diverged and str(rec[0].message) == result.message and f"epoch {epochs}" in result.message
    assert len(result.history.epoch) == epochs and len(result.history.val_acc) == (epochs if with_val else 0)
    h = result.history
    assert all(np.isfinite(h.train_loss)) and all(np.isfinite(h.val_loss))
    for _, p in result.net.parameters():
        assert np.all(np.isfinite(p))
    if lr == 1e300:                                   # the first update already overflows: the initial parameters are kept
        assert result.steps == 0 and "after 0 updates" in result.message
        for (_, a), (_, b) in zip(result.net.parameters(), net.parameters()):
            assert np.array_equal(a, b)


def _nan_weight_net():
    net = bp.Network.init([5, 7, 3], "tanh", seed=0)
    net.W[1] = net.W[1].copy()
    net.W[1][2, 3] = np.nan                            # a learner's edit after the Network was made
    return net


def _big_net():
    net = bp.Network.init([5, 7, 3], "identity", seed=0)
    net.W[1] = np.full((7, 5), 1e10) * np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0])[:, None]
    return net


def _reshaped_net():
    net = bp.Network.init([5, 7, 3], "tanh", seed=0)
    net.W[2] = np.ones((3, 6))
    return net


@pytest.mark.parametrize("call,exc,words", [
    (lambda n, X, y: train.fit(_nan_weight_net(), X, y, progress=False), ValueError, ["net.W[1]", "finite"]),
    (lambda n, X, y: train.predict(_nan_weight_net(), X), ValueError, ["net.W[1]", "finite"]),
    (lambda n, X, y: train.evaluate(_nan_weight_net(), X, y), ValueError, ["net.W[1]", "finite"]),
    (lambda n, X, y: train.predict_proba(_reshaped_net(), X), ValueError, ["net.W[2]", "(any, 7)", "(3, 6)"]),
    (lambda n, X, y: train.predict_proba(_big_net(), np.full_like(X, 1e300)), ValueError, ["overflowed", "largest |X| = 1e+300"]),
    (lambda n, X, y: train.predict(_big_net(), np.full_like(X, 1e300)), ValueError, ["overflowed", "largest |W[k]| = 1e+10"]),
    (lambda n, X, y: train.Trainer(n, optimizer="Adam"), ValueError, ["optimizer", "'sgd'", "'Adam'"]),
    (lambda n, X, y: train.Trainer(n, optimizer=None), TypeError, ["optimizer", "None"]),
    (lambda n, X, y: train.fit(n, X, y, X_val=X[:, :4], y_val=y), ValueError, ["X_val", "(N, 5)", "(40, 4)"]),
    (lambda n, X, y: train.fit(n, X, y, X_val=X, y_val=y[:, None]), ValueError, ["y_val", "(40,)", "(40, 1)"]),
    (lambda n, X, y: train.fit(n, X, y, y_val=y), ValueError, ["together", "y_val"]),
    (lambda n, X, y: train.fit(n, X, y, batch_size=True), TypeError, ["batch_size", "True"]),
    (lambda n, X, y: train.fit(n, X, y, momentum=1.5), ValueError, ["momentum", "[0, 1)", "1.5"]),
    (lambda n, X, y: train.fit(n, X, y, lr=-0.1), ValueError, ["lr", "> 0", "-0.1"]),
    (lambda n, X, y: train.fit(n, X, y, seed=None), TypeError, ["seed", "None"]),
    (lambda n, X, y: train.fit(n, X[:0], y[:0]), ValueError, ["empty"]),
    (lambda n, X, y: train.confusion_matrix(np.array([], int), np.array([], int)), ValueError, ["empty"]),
    (lambda n, X, y: train.confusion_matrix(y, y, n_classes=True), TypeError, ["n_classes", "True"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:8].tolist(), y[:8]), TypeError, ["float64", "list"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(np.ones((8, 5), int), y[:8]), TypeError, ["float64", "int64"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:8, :4], y[:8]), ValueError, ["(b, 5)", "(8, 4)"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:0], y[:0]), ValueError, ["at least one", "(0, 5)"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:9], y[:9]), ValueError, ["9 rows", "batch_size = 8"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:8], y[:8, None]), ValueError, ["(8,)", "(8, 1)"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:8], y[:4]), ValueError, ["(8,)", "(4,)"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:8], y[:8].astype(float)), TypeError, ["integer", "float64"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:8], np.full(8, 3)), ValueError, ["0..2", "3"]),
    (lambda n, X, y: train.Trainer(n, batch_size=8).train_step(X[:8], np.full(8, -7)), ValueError, ["0..2", "-7"]),
])
def test_more_bad_arguments(call, exc, words):
    net, X, y = _problem([5, 7, 3], "tanh", 40)
    assert_refused(lambda: call(net, X, y), exc, words)


def test_evaluate_refuses_an_overflowing_loss_but_accuracy_still_answers():
    # finite logits so far apart that -log y_hat[l] overflows: evaluate says so instead of returning inf
    net = bp.Network([None, np.array([[1e308], [-1e308]])], [None, np.zeros(2)], "tanh")
    X, y = np.array([[1.0], [1.0]]), np.array([1, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="overflowed.*accuracy is 0.5000"):
            train.evaluate(net, X, y)
        assert train.accuracy(net, X, y) == 0.5


def test_train_step_on_valid_input_is_unchanged_by_the_checks():
    net, X, y = _problem([5, 7, 3], "tanh", 8)
    a = train.Trainer(net.copy(), batch_size=8)
    assert a.train_step(X, y) == pytest.approx(bp.loss(net, X, y), rel=1e-13)
    b = train.Trainer(net.copy(), batch_size=8)
    assert b.train_step(X, y.astype(np.int32)) == pytest.approx(bp.loss(net, X, y), rel=1e-13)   # any integer dtype


def test_train_step_refuses_negative_labels():
    """A label of -1 would index the last class silently; the fast step refuses it."""
    import numpy as np
    import pytest

    import backprop as bp
    from backprop import train

    tr = train.Trainer(bp.Network.init([4, 5, 3], seed=0), batch_size=8)
    X = np.random.default_rng(0).normal(size=(8, 4))
    with pytest.raises(ValueError, match=r"0\.\.2.*-1"):
        tr.train_step(X, np.array([0, 1, 2, -1, 0, 1, 2, 0]))
    assert tr.steps == 0
