# %% [markdown]
# # 09 · Training on real data
#
# **What you will learn.** How the gradients of lesson 08 train a real classifier: *minibatch gradient
# descent* and *momentum*, written in the lecture's notation and checked; how to split and scale real data
# without cheating; how to read loss and accuracy curves, a confusion matrix and the mistakes a trained
# network still makes; what a learning rate that is too large does; and what changes for MNIST or
# Fashion-MNIST.
#
# **Where this sits.** Lesson 08 put the whole backward pass together: for any depth and any batch it gives
# $\nabla_{W_k}$ and $\nabla_{b_k}$ of the mean batch loss, checked against finite differences and autograd.
# So far the networks were random and nothing was learnt. Here the same gradients, followed downhill step
# after step, turn a random 64–128–10 network into a classifier of handwritten digits that is right on more
# than 97% of digits it has never seen, in seconds. Lesson 10 then looks at backprop from the other side, as
# reverse-mode automatic differentiation, and lesson 11 at what goes wrong when gradients misbehave.

# %%
import inspect
import warnings

import matplotlib.pyplot as plt
import numpy as np

import backprop as bp
from backprop import checks, data, train
from backprop import minibatch as mb
from backprop.play import training

np.set_printoptions(precision=4, suppress=True, linewidth=100)

# %% [markdown]
# ## The data: handwritten digits
#
# scikit-learn ships a small set of **1797 handwritten digits**, each an 8×8 image with gray levels 0 to 16
# (it is on your disk already: nothing is downloaded). Each image becomes one input vector $x = h_0$ of
# $n_0 = 64$ numbers, and its digit is the true class $\ell \in \{0, \dots, 9\}$, so the network has
# $n_L = 10$ outputs and $\hat y = \mathrm{softmax}(a_L)$ is a distribution over the ten digits.
#
# `data.load_digits(seed)` splits the examples, at random but the same for the same seed, into three parts
# with the same proportion of each digit:
#
# * **train** — the examples the gradients are computed on;
# * **validation** — examples to watch during training and to choose settings with (learning rate, size,
#   number of epochs);
# * **test** — examples looked at *once*, at the end, to say how well the network does on digits it has
#   never seen. Choosing settings by their test accuracy would make that number optimistic.
#
# As in lesson 07, examples are rows: `X_train` has shape $(N, n_0)$ and `y_train` holds the integer labels
# $\ell$ (not one-hot vectors).

# %%
d = data.load_digits(seed=train.DIGITS_RECIPE["data_seed"])
print(d.summary())
for part in ("train", "val", "test"):
    X, y = getattr(d, f"X_{part}"), getattr(d, f"y_{part}")
    print(f"X_{part:<5} {str(X.shape):>10} {X.dtype}   y_{part:<5} {str(y.shape):>7} {y.dtype}   "
          f"examples per digit: {np.bincount(y, minlength=10)}")

# %% [markdown]
# Ten training digits, the first of each class, with their labels (`d.images` turns rows back into 8×8
# pixel images):

# %%
first = [int(np.flatnonzero(d.y_train == c)[0]) for c in range(10)]
fig, axes = plt.subplots(1, 10, figsize=(9, 1.4))
training.plot_images(axes, d.images(d.X_train[first]), [f"ℓ = {d.y_train[i]}" for i in first])
plt.show()

# %% [markdown]
# ### Scaling, fitted on the training part only
#
# The raw gray levels run from 0 to 16, and some pixels (the corners) are almost always 0. Inputs of very
# different sizes make some weights' gradients (which contain $h_{0,j}$, lesson 07) much larger than others,
# and one learning rate cannot suit them all. So each pixel $j$ is **standardised**:
#
# $$x_j = \frac{\text{pixel}_j - m_j}{s_j}, \qquad m_j, s_j = \text{mean and standard deviation of pixel } j
# \text{ over the } \textbf{training} \text{ images}$$
#
# (a pixel that is constant in the training images gets $s_j = 1$: only shifted, never divided by 0).
# The validation and test images are transformed with the **same** $m_j, s_j$. Fitting them on all 1797
# images would let the test images shape the inputs of training: a small leak of exactly the information
# the test is meant to hold back. And a digit that arrives after training must be transformed with numbers
# that exist already. The check: the stored statistics are the raw training pixels' mean and standard
# deviation; training columns have mean 0, test columns do not quite.

# %%
from sklearn.datasets import load_digits as sklearn_digits   # the raw 0..16 pixels, to check against

raw = sklearn_digits().data
raw_train = d.images(d.X_train).reshape(-1, 64)                # undo the scaling: back to 0..16
print("undoing the scaling gives whole gray levels:", np.allclose(raw_train, np.round(raw_train)),
      f"from {int(round(raw_train.min()))} to {int(round(raw_train.max()))}")
std_train = raw_train.std(axis=0)
print("shift = mean of the raw TRAIN pixels:", np.allclose(d.shift, raw_train.mean(axis=0)))
print("scale = their std (1 where constant):", np.allclose(d.scale, np.where(std_train > 0, std_train, 1.0)))
print("pixels constant in the training images:", int(np.sum(std_train == 0)))
print(f"largest |mean| of a column: train below 1e-12: {np.abs(d.X_train.mean(axis=0)).max() < 1e-12}, "
      f"test {np.abs(d.X_test.mean(axis=0)).max():.2f}")
print("statistics of ALL 1797 images would differ:", not np.allclose(d.shift, raw.mean(axis=0)))
assert np.allclose(d.shift, raw_train.mean(axis=0)) and np.abs(d.X_train.mean(axis=0)).max() < 1e-12

# %% [markdown]
# ## The gradients are lesson 08's
#
# Training computes $\nabla_{W_k}$ and $\nabla_{b_k}$ of the mean loss of a minibatch, thousands of times.
# `train.Trainer` does it with the lines of lesson 08's pseudocode, only faster: its arrays are allocated once
# and reused, the softmax and cross-entropy gradient is the fused $\nabla_{a_L} = \hat y - e(\ell)$ (divided
# by $B$ for the mean), and $\nabla_{h_0}$ is skipped. Fast code is where bugs hide, so we check it: on a
# batch of 32 training digits its gradients must equal `bp.gradients` (lesson 08) to rounding, and on a
# small network both must agree with central differences for **every** parameter.

# %%
net = bp.Network.init([64, 128, 10], "relu", init="xavier", seed=0)
Xb, yb = d.X_train[:32], d.y_train[:32]
g08 = bp.gradients(net, Xb, yb)                                 # lesson 08
fast = train.Trainer(net.copy(), batch_size=32).gradients(Xb, yb)   # what training uses
worst = max(float(np.max(bp.relative_error(fast_g, g_08)))
            for k in (1, 2) for fast_g, g_08 in ((fast.grad_W[k], g08.grad_W[k]), (fast.grad_b[k], g08.grad_b[k])))
print(f"batch loss: lesson 08 {g08.loss:.10f}, Trainer {fast.loss:.10f}")
print(f"Trainer vs lesson 08, all {net.n_params} gradients: largest relative error below 1e-10 "
      f"(rounding only): {worst < 1e-10}")
assert worst < 1e-10

small = bp.Network.init([64, 5, 10], "relu", init="xavier", seed=1)
report = bp.check_gradients(small, d.X_train[:8], d.y_train[:8])     # central differences, every parameter
fast_small = train.Trainer(small.copy(), batch_size=8).gradients(d.X_train[:8], d.y_train[:8])
worst_fd = max(float(np.max(bp.relative_error(arr, report.numeric[f"{kind}[{k}]"], floor=1e-6)))
               for k in (1, 2) for kind, arr in (("W", fast_small.grad_W[k]), ("b", fast_small.grad_b[k])))
print(f"network 64-5-10, batch of 8: largest relative error of the Trainer's {small.n_params} gradients "
      f"vs central differences: {worst_fd:.0e}")
assert worst_fd < 1e-5

# %% [markdown]
# (The floor $10^{-6}$ in the relative error keeps gradients that are exactly 0 — weights from a pixel that is
# 0 in all 8 images — from dividing by nothing.)
#
# ## Minibatch gradient descent
#
# Lesson 02 moved one weight downhill: $w \leftarrow w - \eta\, \partial \mathcal{L} / \partial w$. Here every parameter
# moves at once, and the loss is not that of one example but the **mean over a minibatch** of $B$ examples:
#
# $$\mathcal{L}_B = \frac{1}{B} \sum_{r=1}^{B} -\log \hat y_{r, \ell_r}, \qquad
# W_k \leftarrow W_k - \eta\, \nabla_{W_k} \mathcal{L}_B, \qquad b_k \leftarrow b_k - \eta\, \nabla_{b_k} \mathcal{L}_B
# \qquad (k = 1, \dots, L).$$
#
# Why minibatches? The loss we care about is the mean over **all** $N$ training examples, but its gradient
# costs $N$ examples' work. The mean over a random handful of $B$ examples is a noisy estimate of it — right
# on average — that costs $B$. With $B = 32$ and $N = 1258$, one pass over the training set (an **epoch**)
# makes $\lceil 1258 / 32 \rceil = 40$ steps instead of one. Each epoch shuffles the rows anew (seeded), so the
# minibatches differ from epoch to epoch.
#
# **Momentum.** Each parameter array $W_k$ keeps a *velocity* $v_k$ of its own shape, zero at the start:
#
# $$v_k \leftarrow \mu\, v_k + \nabla_{W_k} \mathcal{L}_B, \qquad W_k \leftarrow W_k - \eta\, v_k \qquad (0 \le \mu < 1),$$
#
# and the same for $b_k$. The velocity is a sum of past gradients, the older ones faded by powers of $\mu$.
# Where successive gradients agree (a long gentle slope), the steps add up: with a constant gradient $g$,
# $v_k \to g / (1 - \mu)$, so the step grows to $\eta\, g / (1 - \mu)$, ten times a plain step for $\mu = 0.9$.
# Where they flip sign from step to step (a narrow valley, noisy minibatches), they cancel. With $\mu = 0$ it is
# plain gradient descent. (This is PyTorch's `SGD(momentum=μ)`.) The check with a constant gradient $g = 1$:

# %%
eta, mu = 0.01, 0.9
W, v = np.zeros(1), np.zeros(1)
for t in range(1, 101):
    W_new, v = mb.momentum_step(W, v, np.ones(1), eta, mu)
    step = W[0] - W_new[0]
    if t in (1, 2, 10, 100):
        print(f"step {t:>3}: W moved by {step:.6f}")
    W = W_new
print(f"eta * g / (1 - mu) = {eta / (1 - mu):.6f}")
assert abs(step - eta / (1 - mu)) < 1e-5

# %% [markdown]
# `mb.train_plainly` is minibatch gradient descent with momentum in a dozen plain lines, built on lesson 08's
# `bp.gradients` and the update above:

# %%
source = inspect.getsource(mb.train_plainly)
print(source[source.index("    net = net.copy()"):])      # the body, after the docstring and the input checks

# %% [markdown]
# `train.fit` is what we train with: the same algorithm with the fast step. Two epochs of both, from the same
# network with the same shuffling seed, must end with the same parameters:

# %%
start = bp.Network.init([64, 128, 10], "relu", init="xavier", seed=0)
plain, plain_losses = mb.train_plainly(start, d.X_train, d.y_train, epochs=2, batch_size=32, eta=0.02, mu=0.9, seed=0)
fitted = train.fit(start, d.X_train, d.y_train, epochs=2, batch_size=32, lr=0.02, momentum=0.9, seed=0,
                   progress=False)
diff = max(float(np.max(np.abs(a - b))) for k in (1, 2)
           for a, b in ((plain.W[k], fitted.net.W[k]), (plain.b[k], fitted.net.b[k])))
print(f"{len(plain_losses)} steps; minibatch loss at the first step {plain_losses[0]:.4f}, at the last "
      f"{plain_losses[-1]:.4f}")
print(f"parameters of the plain loop and of fit: largest difference below 1e-10 (rounding only): {diff < 1e-10}")
assert diff < 1e-10 and np.allclose(plain_losses, fitted.history.step_loss, rtol=1e-12)

# %% [markdown]
# ## Train the network
#
# The lesson's recipe, `train.DIGITS_RECIPE`: a 64–128–10 network with ReLU hidden units (lesson 06), Xavier
# initialisation, minibatches of $B = 32$, learning rate $\eta = 0.02$, momentum $\mu = 0.9$, 30 epochs.
# `train.train_digits` builds the network and calls `fit`, which evaluates the loss and accuracy on the
# whole training and validation sets after every epoch. (`fit` shows a progress bar unless
# `progress=False`; we turn it off so that the stored notebook is the same on every run.)

# %%
print(train.DIGITS_RECIPE)
result = train.train_digits(d, progress=False)
trained = result.net
h = result.history
test_loss, test_acc = train.evaluate(trained, d.X_test, d.y_test)
n_right = int(np.sum(train.predict(trained, d.X_test) == d.y_test))
print(f"{len(h.epoch) - 1} epochs, {result.steps} steps")
print(f"train accuracy {h.train_acc[-1]:.4f}, validation accuracy {h.val_acc[-1]:.4f}")
print(f"TEST accuracy {test_acc:.4f} ({n_right} of {len(d.y_test)} test digits), test loss {test_loss:.4f}")
assert test_acc >= 0.97

# %% [markdown]
# How long it took on this machine (timings vary, so this one output is not compared by the tests):

# %% tags=["nbval-ignore-output"]
print(f"training took {'less than a second' if result.seconds < 1 else f'about {result.seconds:.0f} s'} for {result.steps} steps")

# %% [markdown]
# ## Loss and accuracy curves
#
# After each epoch: the mean loss and the accuracy on the training set (solid) and on the validation set
# (dashed). Epoch 0 is the random network: its loss is close to $\ln 10 \approx 2.30$, the loss of a uniform
# guess, and it is right on fewer than one digit in five, not far from guessing (one in ten).

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 3.3), layout="constrained")
training.plot_curves(axes, h)
plt.show()
for e in (0, 1, 5, 10, 30):
    print(f"epoch {e:>2}: train loss {h.train_loss[e]:.4f} acc {h.train_acc[e]:.4f}   "
          f"validation loss {h.val_loss[e]:.4f} acc {h.val_acc[e]:.4f}")
best = int(np.argmin(h.val_loss))
all_right = next(e for e in h.epoch if all(a == 1.0 for a in h.train_acc[e:]))
print(f"training accuracy 1.0000 from epoch {all_right} on; lowest validation loss at epoch {best}; "
      f"validation loss / training loss at the end: {h.val_loss[-1] / h.train_loss[-1]:.1f}")

# %% [markdown]
# What the curves say. The training loss keeps falling, and every training digit is classified correctly from
# epoch 7 on: the network can fit its training set. The validation loss falls fast at first and then barely
# moves, about twenty times above the training loss at the end, and the validation accuracy stays near 97%.
# That gap is the difference between **fitting** the examples you were shown and **generalising** to new
# ones. Had the validation loss started to climb, stopping earlier would have given a better network; the
# validation set, not the test set, is what tells us when.
#
# ## The confusion matrix
#
# $C_{ij}$ = the number of test digits of true class $i$ that the network predicted as class $j$. Correct
# predictions are on the diagonal; every other number is a kind of mistake.

# %%
y_pred = train.predict(trained, d.X_test)
C = train.confusion_matrix(d.y_test, y_pred, n_classes=10)
fig, ax = plt.subplots(figsize=(4.6, 4.2), layout="constrained")
training.plot_confusion(ax, C, d.class_names)
ax.set_title("test digits: rows true ℓ, columns predicted", fontsize=10)
plt.show()
print(C)
i, j, count = mb.most_confused(C)
print(f"on the diagonal: {np.trace(C)} of {C.sum()}; mistakes: {C.sum() - np.trace(C)}")
print(f"the most frequent mistake: a true {i} predicted as {j}, {count} times")
assert np.trace(C) == n_right

# %% [markdown]
# ## The digits it gets wrong
#
# Every misclassified test digit, with its true class $\ell$, the predicted class and the probability
# $\hat y$ the network gave to its prediction. Several are hard even for a person at 8×8 pixels.

# %%
wrong = np.flatnonzero(y_pred != d.y_test)
P = train.predict_proba(trained, d.X_test[wrong])
titles = [f"ℓ={d.y_test[r]} → {y_pred[r]}\nŷ={P[n, y_pred[r]]:.2f}" for n, r in enumerate(wrong)]
cols = min(8, len(wrong))
fig, axes = plt.subplots(-(-len(wrong) // cols), cols, figsize=(8, 1.45 * -(-len(wrong) // cols)),
                         layout="constrained", squeeze=False)
training.plot_images(axes, d.images(d.X_test[wrong]), titles)
plt.show()
for n, r in enumerate(wrong):
    print(f"test digit {r:>3}: true {d.y_test[r]}, predicted {y_pred[r]} with y_hat = {P[n, y_pred[r]]:.3f}")

# %% [markdown]
# ## A learning rate that is too large
#
# Lesson 02 showed one weight overshooting the minimum when $\eta$ is too large. With many weights and ReLU
# units it is worse: a big step makes some $a_k$ large, the next gradients larger still, and within a few
# steps the numbers overflow and the loss becomes `inf` or `NaN`. Below: the same network and recipe for 10
# epochs, with $\eta$ from 0.002 to 20.

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for lr in (0.002, 0.02, 0.2, 2.0, 20.0):
        r = train.train_digits(d, progress=False, lr=lr, epochs=10)
        acc = train.accuracy(r.net, d.X_test, d.y_test)
        state = "DIVERGED" if r.diverged else "finite"
        print(f"eta = {lr:>6}: {state:>8}, {r.steps:>4} steps, final train loss {r.history.train_loss[-1]:9.3g}, "
              f"test accuracy {acc:.4f}")

# %% [markdown]
# $\eta = 0.002$ is too timid for 10 epochs and $0.02$ is good. $0.2$ and $2$ make wild steps: the training
# loss explodes (to about $10^3$ and $10^{115}$) while 90% and 29% of the test digits are still classified
# correctly, because a few examples are now predicted wrongly with enormous confidence, and $-\log \hat y_\ell$ of a
# $\hat y_\ell$ near 0 is enormous. At $\eta = 20$ the loss stops being a number. `fit` does not carry on computing with
# NaN: it stops at the first minibatch whose loss is not finite, keeps the last parameters whose loss was
# finite, and warns with a `train.TrainingDiverged` that says where it happened and what to try:

# %%
diverged = [w for w in caught if issubclass(w.category, train.TrainingDiverged)]
print(f"{len(diverged)} warning(s) of type {diverged[0].category.__name__}:")
print(diverged[0].message)
assert len(diverged) == 1 and "training stopped" in str(diverged[0].message)

# %% [markdown]
# ## Play: train it yourself
#
# The panel trains a 64–(hidden)–10 ReLU network on the same digits, with minibatches of 32 and momentum
# 0.9, when you press **Train** (each run takes well under a second to a few seconds; it trained once with
# its starting values when it was built):
#
# * **η** sets the learning rate, on a logarithmic slider from 0.001 to about 30.
# * **hidden units** sets the width of the hidden layer (2 to 256).
# * **epochs** sets how many passes over the 1258 training digits (1 to 40).
#
# The left plot shows the loss on a log scale, the right one the accuracy; solid lines are the training set,
# dashed lines the validation set, and the green line is the test accuracy at the end, which the line under
# the plot prints. What to look for: with **2 hidden units** the network cannot even fit its training set
# (both accuracies stay near 50–60%, even after 40 epochs); with 32 or more and enough epochs (40 at
# $\eta = 0.01$), the training accuracy reaches 100% and the validation accuracy stops near 97%. Raise **η** step by step: from about 0.2 on the training loss shoots up and the accuracy
# drops, and at about 5 the training stops with the divergence message. Try a small η with few epochs (too slow) and
# then more epochs.

# %%
training.panel()

# %% [markdown]
# The panel calls `training.train_state(lr, hidden, epochs)`, a plain function. Its starting values, more
# epochs, a wider and a much narrower hidden layer, and larger learning rates (on the slider's grid,
# $10^{0.7} \approx 5$):

# %%
for lr, hidden, epochs in ((0.01, 32, 10), (0.01, 32, 40), (0.01, 128, 10), (0.01, 2, 10), (0.01, 2, 40),
                           (0.1, 32, 10), (10 ** -0.7, 32, 10), (10 ** 0.5, 32, 10), (10 ** 0.7, 32, 10)):
    s = training.train_state(lr, hidden, epochs)
    print(f"eta = {lr:5.3g}, hidden = {hidden:>3}, epochs = {epochs:>2}: test acc {s['test_acc']:.4f} "
          f"({s['n_correct']:>3} of {s['n_test']}), train acc {s['train_acc'][-1]:.4f}, "
          f"validation acc {s['val_acc'][-1]:.4f}, final train loss {s['train_loss'][-1]:8.3g}"
          + ("  DIVERGED" if s["diverged"] else ""))

# %% [markdown]
# ## MNIST and Fashion-MNIST
#
# The 8×8 digits are a small version of **MNIST**: 70 000 handwritten digits of 28×28 pixels (60 000 for
# training, 10 000 for testing). **Fashion-MNIST** has the same format and sizes, with photos of ten kinds of
# clothing (T-shirt, trouser, ..., ankle boot) and is harder. To train on them, change only:
#
# * the input size: $n_0 = 28 \cdot 28 = 784$ (`d.n_features` tells you); still 10 classes;
# * bigger hidden layers, e.g. 784–256–128–10 (the size used in the course's speed benchmark);
# * more time: one sixth of the 60 000 training images is split off for validation, so an epoch of the
#   other 50 000 makes 391 steps with $B = 128$, each step about a hundred times the arithmetic of a digits
#   step (below); five epochs take seconds to a minute, depending on the machine. `max_train=...` keeps a
#   random subset for quicker runs.
#
# The course never downloads anything. If you have the four IDX files (`train-images-idx3-ubyte`,
# `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, gzipped with `.gz` or not),
# put them in a folder and give it to `data.load_idx_folder(folder, kind="mnist")` (or
# `kind="fashion-mnist"`). It splits a validation part off the training file and scales the pixels by the
# training maximum, 255. The cell below does that if the folder `data/mnist` (next to this notebook) holds
# the files; otherwise it prints the loader's explanation and trains nothing.

# %%
B = 128
n_train = 60_000 - 60_000 // 6                      # the validation part, 1/6, is split off the training file
print(f"MNIST: {n_train} training images, {-(-n_train // B)} steps per epoch with B = {B}")
n_digits = bp.Network.init([64, 128, 10], "relu", seed=0).n_params
n_mnist = bp.Network.init([784, 256, 128, 10], "relu", seed=0).n_params
print(f"parameters: {n_digits} (64-128-10) and {n_mnist} (784-256-128-10), {n_mnist / n_digits:.0f} times as many;"
      f" with B = {B} instead of 32 a step is about {n_mnist / n_digits * B / 32:.0f} times the arithmetic")

# %%
MNIST_FOLDER = "data/mnist"       # put your four IDX files here, or change the path
try:
    mnist = data.load_idx_folder(MNIST_FOLDER, kind="mnist")
except FileNotFoundError as err:
    print("No MNIST here, so nothing to train. The loader says:")
    print(f"  {err}")
else:
    print(mnist.summary())
    big = bp.Network.init([mnist.n_features, 256, 128, 10], "relu", init="xavier", seed=0)
    run = train.fit(big, mnist.X_train, mnist.y_train, X_val=mnist.X_val, y_val=mnist.y_val,
                    epochs=5, batch_size=B, lr=0.02, momentum=0.9, progress=True)
    print(f"test accuracy {train.accuracy(run.net, mnist.X_test, mnist.y_test):.4f}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and if not,
# which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer (try first!).
#
# **Exercise 09.1.** The predicted distributions $\hat y$ of $N = 20$ examples are the rows of `Y_hat`
# (20, 10), and the true classes are stored **one-hot**, as rows $e(\ell)$ of `E` (20, 10). What is the
# accuracy (a fraction between 0 and 1)?

# %%
ex = checks.get("09.1")
Y_hat, E = ex.data.Y_hat, ex.data.E
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 09.2.** One step of gradient descent with momentum on a weight matrix `W` (3, 4): its velocity
# from the previous steps is `v`, the gradient of the mean batch loss is `grad`, the learning rate is
# $\eta$ = `eta` and the momentum $\mu$ = `mu`. Give `W` after the step.

# %%
ex = checks.get("09.2")
W, v, grad, eta, mu = ex.data.W, ex.data.v, ex.data.grad, ex.data.eta, ex.data.mu
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 09.3** (not shown above). The **recall** of class $c$ is the fraction of the examples of true
# class $c$ that the network predicts as $c$. From a confusion matrix `C` (10, 10) — rows true class, columns
# predicted, as above — compute the recall of every class, shape (10,).

# %%
ex = checks.get("09.3")
C = ex.data.C
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 09.4** (not shown above). Training with **weight decay** minimises exercise 08.4's loss
# $\mathcal{L}_\lambda = \mathcal{L}_B + \frac{\lambda}{2} \sum W^2$. For one weight matrix `W` (4, 3) you have `grad`
# $= \nabla_W \mathcal{L}_B$ (the batch loss alone), $\eta$ = `eta` and $\lambda$ = `lam`. Give `W` after one plain
# gradient-descent step (no momentum) on $\mathcal{L}_\lambda$. Then look at your formula: why is it called *decay*?

# %%
ex = checks.get("09.4")
W, grad, eta, lam = ex.data.W, ex.data.grad, ex.data.eta, ex.data.lam
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * Training is lesson 08's backward pass in a loop: for each minibatch, the gradients of the **mean** batch
#   loss $\mathcal{L}_B$, then $W_k \leftarrow W_k - \eta \nabla_{W_k} \mathcal{L}_B$ (and $b_k$); with momentum,
#   $v_k \leftarrow \mu v_k + \nabla_{W_k} \mathcal{L}_B$, $W_k \leftarrow W_k - \eta v_k$. The fast training code gives
#   the same gradients and the same parameters as the plain loop, checked above.
# * Split the data into train / validation / test, and fit the input scaling on the training part only.
# * A 64–128–10 ReLU network trained for 30 epochs is right on more than 97% of test digits; the confusion
#   matrix and the misclassified images show what it still gets wrong.
# * The training curves show fitting (training loss) against generalising (validation loss); a learning rate
#   that is too large makes the loss explode, and `fit` stops and says so.
# * For MNIST or Fashion-MNIST: 784 inputs, bigger hidden layers, more time; `data.load_idx_folder`.
#
# **Coming next.** Lesson **10 · From backprop to autodiff** builds a small reverse-mode automatic
# differentiation, like the `autograd` library used in the checks, and shows that it reproduces lesson 08's
# gradients: backprop is reverse-mode differentiation. Lesson **11 · When gradients misbehave** looks at
# vanishing and exploding gradients, symmetric initialisation, dead ReLUs and diverging learning rates, and at
# how to see each of them in a training run like this one.
