# %% [markdown]
# # 11 · When gradients misbehave
#
# **What you will learn.** Five ways in which backpropagation gives gradients that cannot train a network,
# why each happens (in the formulas of the backward pass), how to **see** each one with a few numbers per
# layer, and what cures it:
#
# 1. **vanishing gradients** — the first layers' gradients are many powers of ten smaller than the last ones';
# 2. **exploding gradients** — they are many powers of ten larger;
# 3. **symmetric initialisation** — hidden units that start equal stay equal forever;
# 4. **dead ReLUs** — units that output 0 for every example and never learn again;
# 5. **a learning rate that diverges** — steps so large that the loss blows up.
#
# **Where this sits.** Lesson 03 saw the product of logistic derivatives shrink with depth in a chain of
# single neurons and promised to come back to it. Lesson 08 drew per-layer gradient norms of random networks;
# lesson 09 trained on the digits and saw a learning rate that is too large make the loss explode; lesson 10
# showed that backpropagation is reverse-mode autodiff, so everything below happens just the same in any autodiff
# library. Here we take those symptoms apart, on networks trained on the same digits. This is the last lesson of
# the series.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np

import backprop as bp
from backprop import checks, data, train
from backprop import diagnostics as dg
from backprop import whole_network as wn
from backprop.play import misbehave

np.set_printoptions(precision=4, suppress=True, linewidth=100)

# %% [markdown]
# ## The data and the measuring tools
#
# Lesson 09's handwritten digits (same split), and a fixed batch of the first 256 training digits on which
# we measure gradients:

# %%
d = data.load_digits(seed=train.DIGITS_RECIPE["data_seed"])
X, y = d.X_train[:256], d.y_train[:256]
print(d.summary())
print("measuring batch:", X.shape, y.shape)

# %% [markdown]
# `backprop.diagnostics` (`dg`) measures a network on a batch, layer by layer, from one forward and one backward
# pass of the library (`bp.forward`, `bp.gradients`):
#
# * $\|\nabla_{W_k}\|$ and $\|\nabla_{A_k}\|$ — the size (square root of the sum of squares) of the gradient of
#   the mean batch loss with respect to $W_k$, and of the $(B, n_k)$ matrix of every example's $\nabla_{a_k}$;
# * the mean and standard deviation of $a_k$ and $h_k$ over the batch;
# * the fraction of **saturated** logistic or tanh values (within 0.01 of their bounds, where $g'$ is tiny), or
#   of **dead** ReLU units (below);
# * how many hidden units are **distinct** (below);
# * the **update ratio** $\eta \|\nabla_{W_k}\| / \|W_k\|$ for a learning rate $\eta$ (below).
#
# Here is lesson 09's healthy network (64–128–10, ReLU, Xavier initialisation) before training, measured with
# $\eta = 0.02$:

# %%
healthy = bp.Network.init([64, 128, 10], "relu", init="xavier", seed=0)
print(dg.diagnose(healthy, X, y, lr=0.02))

# %% [markdown]
# The gradient norms agree with lesson 08's `wn.gradient_norms`, and the dead-unit count with a plain loop:

# %%
report = dg.diagnose(healthy, X, y)
A1 = bp.forward(healthy, X).a[1]
dead_by_loop = sum(all(A1[r, i] <= 0 for r in range(A1.shape[0])) for i in range(A1.shape[1]))
print("norms equal lesson 08's:", np.allclose(report.grad_norms, wn.gradient_norms(healthy, X, y), rtol=1e-12))
print("dead units in layer 1: diagnose", round(report.stats[0]["dead"] * 128), ", loop", dead_by_loop)
assert np.allclose(report.grad_norms, wn.gradient_norms(healthy, X, y), rtol=1e-12)
assert round(report.stats[0]["dead"] * 128) == dead_by_loop

# %% [markdown]
# ## 1. Vanishing gradients
#
# ### Why
#
# Two lines of the backward pass (lesson 06) carry the gradient from layer $k$ down to layer $k-1$:
#
# $$\nabla_{a_k} \mathcal{L} = \nabla_{h_k} \mathcal{L} \odot g'(a_k), \qquad
# \nabla_{h_{k-1}} \mathcal{L} = W_k^\top \nabla_{a_k} \mathcal{L}.$$
#
# The first multiplies each entry by a $g'$; the second multiplies the vector by $W_k^\top$, which stretches no
# vector by more than $\|W_k\|_2$, the largest singular value of $W_k$ (its *spectral norm*). So each step down
# multiplies the size of the gradient by at most
#
# $$\frac{\|\nabla_{h_{k-1}} \mathcal{L}\|}{\|\nabla_{h_k} \mathcal{L}\|} \;\le\; \|W_k\|_2 \cdot \max g'(a_k),$$
#
# and from the last hidden layer down to the first the factors multiply:
#
# $$\|\nabla_{h_1} \mathcal{L}\| \;\le\; \prod_{k=2}^{L-1} \Big(\|W_k\|_2 \max g'(a_k)\Big)\; \|\nabla_{h_{L-1}} \mathcal{L}\|.$$
#
# For the **logistic**, $g' \le \tfrac14$ (lesson 03). Unless $\|W_k\|_2 > 4$, every factor is below 1 and the
# gradient shrinks geometrically with depth: it *vanishes*. Since $\nabla_{W_k} = \nabla_{a_k} h_{k-1}^\top$
# (lesson 07), the weights of the first layers then get tiny gradients and barely move.
#
# ### Seen
#
# A deep logistic network, 64–64×8–10 ($L = 9$), with small random weights $W_{kij} \sim \mathcal{N}(0, 0.1^2)$
# (`init="small"`, `scale=0.1`):

# %%
deep = [64] + [64] * 8 + [10]
small = bp.Network.init(deep, "logistic", init="small", scale=0.1, seed=0)
norms = dg.gradient_norms(small, X, y)
for k in range(1, small.L + 1):
    print(f"layer {k}: ||grad_W_{k}|| = {norms['W'][k - 1]:.2e}   ||grad_A_{k}|| = {norms['a'][k - 1]:.2e}")
print(f"||grad_W_1|| / ||grad_W_L|| = {norms['W'][0] / norms['W'][-1]:.1e}")

# %% [markdown]
# The first layer's gradient is about $3 \cdot 10^{-6}$ times the last layer's. With a learning rate that suits the
# last layer, $W_1$ would need hundreds of thousands of times longer to move as far.
#
# ### Check: the per-layer bound, and that the tiny numbers are real
#
# `dg.backward_factors` measures $\|\nabla_{H_{k-1}}\| / \|\nabla_{H_k}\|$ on the batch ($\nabla_{H_k}$ stacks every
# example's $\nabla_{h_k}$ as a row; $\|\cdot\|$ is again the square root of the sum of squares, over the whole matrix: the
# bound holds for every row, so for the whole matrix too) next to the bound $\|W_k\|_2 \max g'(a_k)$. And gradients of
# $10^{-6}$ could be rounding noise or a bug: the autodiff library `autograd` computes them independently.

# %%
f = dg.backward_factors(small, X, y)
for k, m, s, gm, b in zip(f["k"], f["measured"], f["spectral"], f["g_prime_max"], f["bound"]):
    print(f"k = {k}: measured {m:.3f} <= ||W_k||_2 {s:.3f} x max g' {gm:.4f} = {b:.3f}")
assert np.all(f["measured"] <= f["bound"]) and np.all(f["g_prime_max"] <= 0.25)
ag_W, _ = wn.autograd_gradients(small, X, y)
g = bp.gradients(small, X, y)
err = max(float(np.max(bp.relative_error(g.grad_W[k], ag_W[k]))) for k in range(1, small.L + 1))
print(f"backprop vs autograd, every grad_W_k: largest relative error {err:.0e}")
assert err < 1e-8

# %% [markdown]
# Every step down shrinks the gradient to about a fifth, well inside the bound ($\max g'$ is $\tfrac14$ to four
# digits, because the small weights keep some $a_k$ very near 0). Eight such steps make the $10^{-5}$ to
# $10^{-6}$ we saw, and autograd agrees to rounding: the gradients really are that small.
#
# ### The cures: a larger, scaled initialisation, and another activation
#
# `init="xavier"` draws $W_{kij}$ uniformly from $\pm\sqrt{6/(n_k + n_{k-1})}$, a scale chosen so that $a_k$ keeps
# roughly the same spread from layer to layer (exercise 11.4 derives the idea). It helps the logistic only a
# little: $g' \le \tfrac14$ remains. **tanh** has $g'(0) = 1$, and **ReLU** has $g' = 1$ for every active unit.
# Four networks of the same shape, each trained for 3 epochs with lesson 09's optimiser (momentum 0.9,
# $\eta = 0.02$):

# %%
setups = [("logistic", "small", "logistic, N(0, 0.1²)"), ("logistic", "xavier", "logistic, Xavier"),
          ("tanh", "xavier", "tanh, Xavier"), ("relu", "xavier", "ReLU, Xavier")]
curves = {}
for act, init, name in setups:
    net = bp.Network.init(deep, act, init=init, scale=0.1, seed=0)
    n = dg.gradient_norms(net, X, y)
    run = train.fit(net, d.X_train, d.y_train, epochs=3, lr=0.02, progress=False)
    curves[name] = n["W"]
    print(f"{name:<22} ||grad_W_1|| / ||grad_W_L|| = {n['W'][0] / n['W'][-1]:.1e}   "
          f"after 3 epochs: test accuracy {train.accuracy(run.net, d.X_test, d.y_test):.4f}")

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.4))
for (name, n), marker in zip(curves.items(), "osD^"):
    ax.semilogy(range(1, len(n) + 1), n, marker + "-", ms=4, label=name)
ax.set_xlabel("layer k (k = 9 is the output layer)")
ax.set_ylabel(r"$\|\nabla_{W_k}\|$ (log scale)")
ax.set_title("64–64×8–10 on 256 digits, before training", fontsize=10)
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Both logistic networks have gradients that fall by about five powers of ten from the output down to layer 1,
# and after 3 epochs they still guess (about 10% of the test digits right: one digit in ten). With tanh or ReLU the
# curves are level within a factor of two, and the same 3 epochs give 94% and 86%.
#
# ## 2. Exploding gradients
#
# The same bound read the other way: when $\|W_k\|_2 \max g'(a_k)$ is **above** 1, the gradient can grow at every
# step down. With weights drawn from $\mathcal{N}(0, \sigma^2)$, a $64 \times 64$ matrix has
# $\|W_k\|_2 \approx 2\sigma\sqrt{64} = 16\sigma$ (section 1's check measured 1.47 to 1.62 for $\sigma = 0.1$), so large initial weights make large factors. Two networks of the
# same shape with large weights, and the ReLU network with a medium-sized $\sigma = 0.1$ for comparison; "std a" is
# the spread (standard deviation) of $a_k$ in the first and in the last hidden layer:

# %%
for act, scale in (("relu", 0.1), ("relu", 0.5), ("tanh", 1.0)):
    net = bp.Network.init(deep, act, init="small", scale=scale, seed=0)
    rep = dg.diagnose(net, X, y)
    f = dg.backward_factors(net, X, y)
    kind = "dead" if act == "relu" else "saturated"
    print(f"{act:>4}, sigma = {scale}: ||grad_A_1|| / ||grad_A_L|| = {rep.grad_a_norms[0] / rep.grad_a_norms[-1]:8.1e}, "
          f"factor per step down {f['measured'].min():.2f}..{f['measured'].max():.2f}, "
          f"std a {rep.stats[0]['std_a']:.3g} -> {rep.stats[-1]['std_a']:.3g}, "
          f"{kind} in the last hidden layer {rep.stuck[-1]:.0%}")

# %% [markdown]
# With ReLU and $\sigma = 0.5$, every step down multiplies the gradient by about 3, and
# $\|\nabla_{A_1}\|$ is about 6600 times $\|\nabla_{A_L}\|$: the gradient **explodes** toward the input. The forward
# pass explodes too (the spread of $a_k$ grows from about 4 to about 7000), so every $\nabla_{W_k} = \nabla_{a_k}
# h_{k-1}^\top$ is huge. With tanh and $\sigma = 1$, 73% of the units are saturated, yet the gradient still grows by
# about 2 per layer: the few unsaturated units pass it on through large weights. With ReLU and $\sigma = 0.1$ it
# *shrinks* to about 0.6 per layer, and the spread of $a_k$ falls from 0.7 to 0.02: too small a scale vanishes
# even without a squashing $g$.
#
# What exploding gradients do to training: the learning rate of lesson 09 that trains the Xavier network well
# makes the $\sigma = 0.5$ network diverge in its first epoch (we catch `fit`'s warning; section 5 shows it):

# %%
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for act, init, scale in (("relu", "xavier", 0.1), ("relu", "small", 0.5)):
        net = bp.Network.init(deep, act, init=init, scale=scale, seed=0)
        run = train.fit(net, d.X_train, d.y_train, epochs=3, lr=0.02, progress=False)
        what = "Xavier" if init == "xavier" else f"sigma = {scale}"
        first = ", ".join(f"{v:.1e}" for v in run.history.step_loss[:3])
        print(f"ReLU, {what:<11}: diverged {run.diverged}, {run.steps:>3} steps, first minibatch losses {first}")
print(f"{len(caught)} TrainingDiverged warning(s)")

# %% [markdown]
# The cure is the same as for vanishing gradients: an initial scale that keeps $\|W_k\|_2 \max g'(a_k)$ near 1,
# like Xavier's. (During training, large steps can make large weights later; section 5.)
#
# ## 3. Symmetric initialisation
#
# ### Why
#
# Why start from *random* weights at all? Suppose units $i$ and $j$ of hidden layer $k$ start with the same incoming
# weights (row $i$ and row $j$ of $W_k$), the same bias and the same outgoing weights (columns $i$ and $j$ of
# $W_{k+1}$). Then for every example
#
# * $a_{ki} = a_{kj}$ and $h_{ki} = h_{kj}$ (same inputs, same weights);
# * $\nabla_{h_{ki}} = \sum_m W_{k+1,mi} \nabla_{a_{k+1,m}} = \nabla_{h_{kj}}$ (same outgoing column), so
#   $\nabla_{a_{ki}} = \nabla_{a_{kj}}$;
# * row $i$ of $\nabla_{W_k} = \nabla_{a_k} h_{k-1}^\top$ equals row $j$, $\nabla_{b_{ki}} = \nabla_{b_{kj}}$, and
#   column $i$ of $\nabla_{W_{k+1}} = \nabla_{a_{k+1}} h_k^\top$ equals column $j$.
#
# A gradient step changes both units by the same amount, so they are still copies afterwards, and by induction
# forever. If **every** weight starts at the same constant, each hidden layer behaves like a single unit. And if
# that constant is 0, tanh and ReLU units output $h = 0$, so $\nabla_{W_{k+1}} = \nabla_{a_{k+1}} h_k^\top = 0$ and
# $\nabla_{h_k} = W_{k+1}^\top \nabla_{a_{k+1}} = 0$: the hidden weights never move at all.
#
# ### Check, then seen in training
#
# `dg.distinct_units(net)` counts, for each hidden layer, the units that are not copies of each other (same
# incoming row, bias and outgoing column, up to rounding). First the gradient of a network whose weights are
# all 0.1: its rows are equal, as derived.

# %%
def constant_network(sizes, c, activation):
    W = [None] + [np.full((sizes[k], sizes[k - 1]), c) for k in range(1, len(sizes))]
    b = [None] + [np.zeros(sizes[k]) for k in range(1, len(sizes))]
    return bp.Network(W, b, activation)

sym_sizes = [64, 16, 16, 10]
const = constant_network(sym_sizes, 0.1, "tanh")
g = bp.gradients(const, X, y)
print("rows of grad_W_1 all equal:", bool(np.all(g.grad_W[1] == g.grad_W[1][0])),
      "  columns of grad_W_3 all equal:", bool(np.all(g.grad_W[3] == g.grad_W[3][:, :1])))
print("distinct hidden units at the start:", dg.distinct_units(const))
assert np.all(g.grad_W[1] == g.grad_W[1][0]) and np.all(g.grad_W[3] == g.grad_W[3][:, :1])

# %% [markdown]
# Now 5 epochs of training, from all weights 0.1, from all weights 0, and from random (Xavier) weights:

# %%
starts = {"all 0.1": constant_network(sym_sizes, 0.1, "tanh"), "all 0": constant_network(sym_sizes, 0.0, "tanh"),
          "random (Xavier)": bp.Network.init(sym_sizes, "tanh", init="xavier", seed=0)}
for name, net in starts.items():
    run = train.fit(net, d.X_train, d.y_train, epochs=5, lr=0.02, progress=False)
    moved = float(np.max(np.abs(run.net.W[1] - net.W[1])))
    print(f"{name:<16} distinct units per hidden layer {dg.distinct_units(run.net)} (of 16), "
          f"W_1 moved by up to {moved:.3f}, test accuracy {train.accuracy(run.net, d.X_test, d.y_test):.4f}")

# %% [markdown]
# From all 0.1, each hidden layer is still one unit copied 16 times after 5 epochs: the network is in effect
# 64–1–1–10 and gets only about 21% of the test digits right. From all 0, $W_1$ has not moved at all (only the
# output layer's bias learns something), and it guesses. Random weights break the symmetry: 16 different units in
# each layer, and 96%. Any random start breaks it; its *scale* is what sections 1 and 2 were about.
#
# ## 4. Dead ReLUs
#
# ### Why
#
# A ReLU unit with $a_{ki} \le 0$ outputs $h_{ki} = 0$ and has $g'(a_{ki}) = 0$. If that holds for **every**
# example, then $\nabla_{a_{ki}} = \nabla_{h_{ki}} \cdot 0 = 0$ for every example, so row $i$ of
# $\nabla_{W_k} = \nabla_{a_k} h_{k-1}^\top$ and $\nabla_{b_{ki}}$ are exactly 0: the unit's own weights never
# change. We call it **dead** (`dg.dead_units(A)`: the units whose column of $A_k$ is $\le 0$ in every row). In
# layer 1 its inputs are the fixed pixels, so it is dead forever; in a later layer, changes below it may bring it
# back. Two ways to kill units: a large negative bias, and a large step that throws the weights far away.
#
# ### Check: a dead unit's weights get exactly zero gradient

# %%
dying = bp.Network.init([64, 64, 64, 10], "relu", init="xavier", seed=0)
for k in (1, 2):
    dying.b[k][:] = -3.0
fwd = bp.forward(dying, d.X_train)
g = bp.gradients(dying, d.X_train, d.y_train)
for k in (1, 2):
    dead = dg.dead_units(fwd.a[k])
    print(f"layer {k}: {dead.sum()} of 64 units dead on all {len(d.y_train)} training digits; "
          f"their rows of grad_W_{k}: all exactly 0: {bool(np.all(g.grad_W[k][dead] == 0))}, "
          f"their grad_b_{k}: all 0: {bool(np.all(g.grad_b[k][dead] == 0))}")
    assert np.all(g.grad_W[k][dead] == 0) and np.all(g.grad_b[k][dead] == 0)

# %% [markdown]
# ### Seen: the dead fraction before and after training
#
# The network 64–64–64–10 with both hidden layers' biases set to 0, −1 and −3, trained for 10 epochs; the dead
# fractions are measured on all 1258 training digits:

# %%
for bias in (0.0, -1.0, -3.0):
    net = bp.Network.init([64, 64, 64, 10], "relu", init="xavier", seed=0)
    for k in (1, 2):
        net.b[k][:] = bias
    before = [s["dead"] for s in dg.activation_stats(net, d.X_train)]
    run = train.fit(net, d.X_train, d.y_train, epochs=10, lr=0.02, progress=False)
    after = [s["dead"] for s in dg.activation_stats(run.net, d.X_train)]
    print(f"bias {bias:+.0f}: dead fraction per hidden layer {np.round(before, 3)} -> {np.round(after, 3)}, "
          f"test accuracy {train.accuracy(run.net, d.X_test, d.y_test):.4f}")
    if bias == -3.0:
        dead1 = dg.dead_units(bp.forward(net, d.X_train).a[1])
        print(f"          the {dead1.sum()} dead units of layer 1 kept their weights exactly:",
              bool(np.array_equal(run.net.W[1][dead1], net.W[1][dead1])))

# %% [markdown]
# With bias −1, 17% of layer 2 starts dead, and training revives most of them (3% are left): layer 1 learns and
# moves their inputs. With bias −3, 73% of layer 2 starts dead and 61% stays dead; the living units are
# barely on, and the network learns nothing (10%, a guess). The dead units of layer 1 never changed a single weight.
#
# A learning rate that is too large kills units too: one wild step can push a unit's weights so that its $a$ is
# negative for every digit. Lesson 09's optimiser on the same network (bias 0) with growing $\eta$:

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", train.TrainingDiverged)
    for lr in (0.02, 0.1, 0.3):
        net = bp.Network.init([64, 64, 64, 10], "relu", init="xavier", seed=0)
        run = train.fit(net, d.X_train, d.y_train, epochs=5, lr=lr, progress=False)
        after = [s["dead"] for s in dg.activation_stats(run.net, d.X_train)]
        print(f"eta = {lr}: dead fraction after 5 epochs {np.round(after, 3)}, "
              f"test accuracy {train.accuracy(run.net, d.X_test, d.y_test):.4f}")

# %% [markdown]
# At $\eta = 0.3$ the whole second hidden layer is dead: no gradient reaches layer 1 any more, and the network
# answers the same for every digit. The cures: biases that start at 0 (or slightly positive), a smaller learning
# rate, and watching the dead fraction during training. (Variants such as the *leaky* ReLU, $g(a) = \max(0.01a, a)$,
# keep a small $g'$ for $a < 0$ so that no unit can die completely.)
#
# ## 5. A learning rate that diverges
#
# ### Why
#
# A gradient step $W_k \leftarrow W_k - \eta \nabla_{W_k} \mathcal{L}$ trusts the slope at $W_k$ over a distance
# $\eta \|\nabla_{W_k}\|$. Lesson 02 saw one weight overshoot its minimum when that distance is too large. In a
# network, an overshoot makes some $a_k$ larger, larger $a_k$ make larger gradients (section 2), and the next step
# is larger still, until the numbers overflow. A scale-free early warning is the **update ratio**
#
# $$r_k = \frac{\eta\, \|\nabla_{W_k} \mathcal{L}\|}{\|W_k\|},$$
#
# the size of one plain step relative to the weights it changes. A rule of thumb: around $10^{-3}$ is healthy; near
# $10^{-1}$ and above, each step changes the weights by a tenth of themselves or more. (With momentum $\mu = 0.9$ the
# steps grow to up to $1/(1-\mu) = 10$ times this, lesson 09.)
#
# ### Check: the ratio is the step that plain gradient descent takes
#
# One step of `train.Trainer` with plain SGD, and the relative change of each $W_k$, next to `dg.update_ratio`:

# %%
lr_net = bp.Network.init([64, 64, 64, 10], "relu", init="xavier", seed=0)
Xb, yb = d.X_train[:32], d.y_train[:32]
predicted = dg.update_ratio(lr_net, bp.gradients(lr_net, Xb, yb), lr=0.1)
stepped = lr_net.copy()
before = [w.copy() for w in stepped.W[1:]]
train.Trainer(stepped, lr=0.1, optimizer="sgd", batch_size=32).train_step(Xb, yb)
measured = np.array([np.linalg.norm(stepped.W[k] - before[k - 1]) / np.linalg.norm(before[k - 1]) for k in (1, 2, 3)])
print("update ratio r_k, predicted:", predicted)
print("relative change of W_k after one SGD step:", measured)
assert np.allclose(predicted, measured, rtol=1e-10)

# %% [markdown]
# ### Seen: the loss, step by step, for growing learning rates
#
# The same network, 5 epochs of lesson 09's optimiser with $\eta$ from 0.01 to 10; the update ratio is measured
# before the first step on a minibatch of 32. We catch `fit`'s warning to print it below:

# %%
rates = (0.01, 0.1, 1.0, 10.0)
runs = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for lr in rates:
        net = bp.Network.init([64, 64, 64, 10], "relu", init="xavier", seed=0)
        r_k = dg.update_ratio(net, bp.gradients(net, Xb, yb), lr)
        runs[lr] = train.fit(net, d.X_train, d.y_train, epochs=5, lr=lr, progress=False)
        h = runs[lr].history
        dead = [s["dead"] for s in dg.activation_stats(runs[lr].net, d.X_train)]
        print(f"eta = {lr:>5}: largest r_k at the start {r_k.max():.1e}; "
              + (f"DIVERGED after {runs[lr].steps} updates" if runs[lr].diverged
                 else f"train loss after 5 epochs {h.train_loss[-1]:.3f}, dead fraction per hidden layer {np.round(dead, 3)}"))

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.4))
TOP = 1e3                                     # losses above this (and inf, NaN) are drawn at the top edge
for lr in rates:
    loss = np.array(runs[lr].history.step_loss)
    shown = np.where(np.isfinite(loss), np.minimum(loss, TOP), TOP)
    ax.semilogy(np.arange(1, len(loss) + 1), shown, label=f"η = {lr}", lw=1)
    if runs[lr].diverged:
        ax.plot(len(loss), TOP, "x", color="k", ms=8)
ax.set_ylim(1e-3, 2 * TOP)
ax.axhline(np.log(10), color="0.5", ls=":", lw=1)
ax.text(200, np.log(10) * 1.3, "ln 10: guessing", ha="right", fontsize=8, color="0.4")
ax.set_xlabel("step (minibatch of 32)")
ax.set_ylabel("minibatch loss (log scale)")
ax.set_title("Lesson 09's optimiser on 64–64–64–10 ReLU; × = training stopped", fontsize=10)
ax.legend(fontsize=8)
plt.show()

# %%
stopped = [w for w in caught if issubclass(w.category, train.TrainingDiverged)]
print(f"{len(stopped)} warning(s) of type {stopped[0].category.__name__}:")
print(stopped[0].message)
assert len(stopped) == 1 and runs[10.0].diverged

# %% [markdown]
# Read the ratios with the curves. At $\eta = 0.01$ ($r \approx 2 \cdot 10^{-3}$) the loss falls steadily. At
# $\eta = 0.1$ ($r \approx 2 \cdot 10^{-2}$, and ten times more with momentum) it falls faster at first but jumps about, and
# after 5 epochs it ends higher (train loss 0.273 against 0.072). At
# $\eta = 1$ ($r \approx 0.2$) the first steps throw the weights so far that the whole second hidden layer dies
# (section 4) and the loss stays near $\ln 10 \approx 2.30$, a uniform guess, for good. At $\eta = 10$
# ($r \approx 2$: one step is larger than the weights themselves) the loss overflows within a dozen steps, and `fit`
# stops with the message above (losses above $10^3$ are drawn at the top edge).
# The ratio was computed before training started: it warned about both bad runs in advance.
#
# ## Play: depth, initial scale, activation and learning rate
#
# A network 64–32×depth–10 whose weights start as $W_{kij} \sim \mathcal{N}(0, \sigma^2)$ (biases 0), measured on the
# first 128 training digits; nothing is trained, so every move is instant.
#
# * **hidden layers** sets the depth $L - 1$ (1 to 10), so there are $L$ bars in the left and right charts.
# * **init scale σ** sets the spread of the initial weights, on a log slider from 0.01 to 10.
# * **activation g** chooses logistic, tanh or ReLU for the hidden layers.
# * **learning rate η** changes only the right chart: $r_k = \eta\,\|\nabla_{W_k}\| / \|W_k\|$, with a dashed line at
#   $10^{-3}$.
#
# The left chart is $\|\nabla_{W_k}\|$ per layer on a fixed log scale (red: the output layer); the middle chart the
# fraction of saturated (logistic, tanh) or dead (ReLU) units of each hidden layer. What to look for:
#
# * **Vanishing:** at the start (logistic, σ = 0.1, 6 hidden layers) the bars fall to the left by about a factor
#   of 5 per layer. Add layers and watch $\|\nabla_{W_1}\| / \|\nabla_{W_L}\|$ in the readout shrink. Switch to
#   tanh: level.
# * **Exploding and saturating:** tanh with 10 hidden layers and σ = 1: the middle chart fills up with saturated
#   units (up to about 70% of a layer), and the left bars *grow* toward the input. ReLU with σ = 0.5: every bar rises by powers of ten,
#   and so does the step ratio on the right.
# * **Just right:** σ = 0.178, about $1/\sqrt{32}$, keeps the bars of tanh and ReLU level even with 10 hidden layers
#   (exercise 11.4 says why $1/\sqrt{n}$).
# * **Dead units:** ReLU with 10 hidden layers of 32 loses units in the deeper layers (up to 41% of a layer). Moving σ
#   does not change that: the same seed draws the same weights, only multiplied by σ, and with biases 0 that
#   multiplies every $a_k$ by a positive number, so the same units are on and off. What protects the network is
#   **width**: with 32 units no layer dies completely, and the gradient still reaches layer 1 (the ratio
#   $\|\nabla_{W_1}\| / \|\nabla_{W_L}\|$ stays near 0.9 in the cell below), while lesson 08's network of 4 units per
#   layer lost every unit of a layer and passed no gradient at all.
# * **Learning rate:** find the η at which the right bars cross $10^{-1}$: from there on, training is in danger.

# %%
misbehave.panel()

# %% [markdown]
# The panel calls `misbehave.misbehave_state(depth, scale, activation, lr)`, a plain function. Its starting position,
# and each of the positions named above, with η = 0.01:

# %%
positions = [(6, 0.1, "logistic"), (10, 0.1, "logistic"), (6, 0.1, "tanh"), (10, 1.0, "tanh"), (10, 0.5, "relu"),
             (10, 10 ** -0.75, "tanh"), (10, 10 ** -0.75, "relu"), (10, 0.1, "relu"), (10, 3.0, "relu")]
for depth, scale, act in positions:
    s = misbehave.misbehave_state(depth, scale, act, 0.01)
    n = s["norms"]
    print(f"{act:>8}, {depth:>2} hidden, sigma = {scale:.3f}: ||grad_W_1|| / ||grad_W_L|| = {n[0] / n[-1]:.1e} "
          f"(per layer {(n[0] / n[-1]) ** (1 / depth):.2f}), largest ||grad_W_k|| {n.max():.1e}, "
          f"largest {s['stuck_kind']} fraction {s['stuck'].max():.2f}, largest r_k {s['ratio'].max():.1e}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and if not, which
# mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer (try first!).
#
# **Exercise 11.1.** A logistic network with $L = 8$ layers whose hidden weight matrices all have spectral norm
# $\|W_k\|_2 = w = 2$. Going down from $\nabla_{h_7}$ to $\nabla_{h_1}$, how large can the ratio
# $\|\nabla_{h_1}\| / \|\nabla_{h_7}\|$ be at most?

# %%
ex = checks.get("11.1")
L, w = ex.data.L, ex.data.w
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 11.2.** `A` (40, 20) holds the pre-activations $a_k$ of a ReLU layer of 20 units for a batch of 40
# examples (rows). What fraction of the layer's units are dead on this batch?

# %%
ex = checks.get("11.2")
A = ex.data.A
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 11.3** (not shown above). A tanh network with sizes [64, 12, 8, 10] starts with **random** weights
# $W_1$ (12, 64), but every entry of $W_2$ (8, 12) and of $W_3$ (10, 8) equal to 0.1 (biases 0). After training on the
# digits, how many **different** hidden units does each hidden layer have? Answer `[layer 1, layer 2]`. (Reason it
# out first; then you can check it with `train.fit` and `dg.distinct_units`.)

# %%
ex = checks.get("11.3")
sizes, W1, c = ex.data.sizes, ex.data.W1, ex.data.c
answer = ...        # your code here, e.g. [3, 4]
ex.check(answer)

# %% [markdown]
# **Exercise 11.4** (not shown above). A layer with $n_{\text{in}} = 200$ inputs and $n_{\text{out}} = 50$ units. Its
# inputs $h_{k-1,j}$ are independent with mean 0 and variance 1, its weights $W_{kij}$ independent draws from
# $\mathcal{N}(0, \sigma^2)$, its biases 0. Which $\sigma$ makes $\mathrm{Var}(a_{ki}) = 1$, the variance of the inputs?
# Derive it from $a_{ki} = \sum_j W_{kij} h_{k-1,j}$.

# %%
ex = checks.get("11.4")
n_in, n_out = ex.data.n_in, ex.data.n_out
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * Each step of the backward pass multiplies the gradient's size by at most $\|W_k\|_2 \max g'(a_k)$. Below 1 at
#   every layer (the logistic's $g' \le \tfrac14$, small weights) the first layers' gradients **vanish**; above 1
#   (large weights) they **explode**. See it in $\|\nabla_{W_k}\|$ and $\|\nabla_{A_k}\|$ per layer on a log scale.
#   Cure: tanh or ReLU, and an initial scale like Xavier's that keeps $a_k$ the same size from layer to layer.
# * Units that start equal (same incoming row, bias, outgoing column) get equal gradients and stay equal: a
#   **symmetric** start makes each layer one unit. See it with `dg.distinct_units`. Cure: random initial weights.
# * A ReLU unit with $a \le 0$ for every example gets zero gradient: **dead**. See it with `dg.dead_units` on a large
#   batch. Causes: a negative bias, a wild step. Cure: biases at 0, a smaller $\eta$, layers wide enough that
#   no layer dies completely.
# * A learning rate that is too large makes steps that feed on themselves until the loss overflows, and `fit` stops
#   with `TrainingDiverged`. See it in advance in the update ratio $\eta \|\nabla_{W_k}\| / \|W_k\|$: about
#   $10^{-3}$ is healthy.
#
# **Where to go from here.** This was the last lesson: you can now derive, implement, check, train and debug the
# backward pass of a feed-forward network. The same ideas carry on to the tools that train large networks:
# initialisations scaled to the layer's width and activation, normalisation layers that keep every $a_k$ at a
# healthy spread, residual connections that give the gradient a path around each layer, adaptive optimisers (the
# `'adam'` option of `train.fit`), and gradient clipping against explosions. Lesson 10 showed that reverse-mode
# automatic differentiation computes all of these gradients for any expression, which is what those libraries do.
