# %% [markdown]
# # 08 · The whole network
#
# **What you will learn.** The lecture's backpropagation pseudocode, line by line next to the library's
# vectorised code that runs it for **any depth and any batch**; a gradient check of **every** parameter of
# several networks against finite differences and against an automatic-differentiation library; and why
# this is how networks are trained: the cost of all gradients by backprop grows **linearly** with the
# number of parameters $P$, by finite differences with $P^2$.
#
# **Where this sits.** Lessons 05–07 derived each line: $\nabla_{a_L} = -(e(\ell) - \hat y)$ (05, talking
# to the output layer), $\nabla_{h_{k-1}} = W_k^\top \nabla_{a_k}$ and $\nabla_{a_k} = \nabla_{h_k} \odot
# g'(a_k)$ (06, talking to the hidden units), $\nabla_{W_k} = \nabla_{a_k} h_{k-1}^\top$ and $\nabla_{b_k} =
# \nabla_{a_k}$ with the batch rules (07). Lesson 09 uses this code to train a network on handwritten digits.

# %%
import inspect

import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

import backprop as bp
from backprop import checks
from backprop import whole_network as wn
from backprop.play import whole_network

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## The pseudocode and the code
#
# The lecture's algorithm, after a forward pass that kept every $a_k$ and $h_k$:
#
# > $\nabla_{a_L} \leftarrow -(e(\ell) - \hat y)$<br>
# > **for** $k = L, L-1, \dots, 1$:<br>
# > $\quad \nabla_{W_k} \leftarrow \nabla_{a_k}\, h_{k-1}^\top$<br>
# > $\quad \nabla_{b_k} \leftarrow \nabla_{a_k}$<br>
# > $\quad \nabla_{h_{k-1}} \leftarrow W_k^\top \nabla_{a_k}$<br>
# > $\quad \nabla_{a_{k-1}} \leftarrow \nabla_{h_{k-1}} \odot g'(a_{k-1})$
#
# Here it is next to the lines of `backprop.network.backward` that run it for a batch (rows are examples,
# the loss is the mean). The table is made from the library (`wn.side_by_side()`), and the cell after it
# checks that every code line really is in `backward`'s source:

# %%
display(Markdown(wn.side_by_side()))

# %% [markdown]
# And the whole function. The `if fwd.batched` branch is the only difference between one example and a
# batch: the outer product becomes a matrix product over the rows, the bias gradient a sum over the rows.
# Nothing depends on the number of layers $L$ or on $B$: the same loop runs any depth and any batch.
# (The loop skips $\nabla_{h_0}$, the gradient with respect to the input, which no parameter needs.)

# %%
source = inspect.getsource(bp.backward)
print(source)
missing = [code for _, code, _ in wn.PSEUDOCODE if code not in source]
print("every line of the table is in backward's source:", not missing)
assert not missing

# %% [markdown]
# ## Check every parameter, on networks this course has not used yet
#
# For each network below we compute every $\nabla_{W_k}$ and $\nabla_{b_k}$ by backprop and compare them,
# array by array, with
#
# * **central differences**: $2P$ forward passes, one pair per parameter (lesson 01), and
# * **autograd**: an automatic-differentiation library that differentiates the forward pass written in its
#   own numpy (`wn.autograd_loss`, which shares no code with `backprop.network`; lesson 10 builds one).
#
# Each row is the largest relative error $|x - y| / \max(|x|, |y|, 10^{-8})$ within one parameter array.
# Central differences agree to better than $10^{-5}$: their own error is about $10^{-10}$ in absolute
# terms (truncation and rounding, lesson 01), which is a larger *relative* error on the tiniest entries,
# such as those of the wide network's $W_1$. Autograd agrees to rounding, $10^{-12}$ or better: the two
# computations are the same mathematics, done in a different order.

# %%
networks = [
    ([5, 7, 4], "tanh", 6),                 # one hidden layer, a batch of 6
    ([3, 6, 6, 6, 6, 2], "relu", 4),        # four hidden ReLU layers
    ([10, 16, 3], "logistic", 1),           # one example (no batch)
    ([20, 32, 10], "tanh", 8),              # wider: P = 1002
]
worst_fd, worst_ag = 0.0, 0.0
for sizes, activation, B in networks:
    net = bp.Network.init(sizes, activation=activation, seed=1)
    rng = np.random.default_rng(2)
    if B == 1:
        X, labels = rng.normal(size=sizes[0]), 1
    else:
        X, labels = rng.normal(size=(B, sizes[0])), rng.integers(0, sizes[-1], size=B)
    table = wn.gradient_check_table(net, X, labels)
    print(table, end="\n\n")
    worst_fd = max(worst_fd, max(r[2] for r in table.rows))
    worst_ag = max(worst_ag, max(r[3] for r in table.rows))
print(f"largest relative error over all {len(networks)} networks: {worst_fd:.0e} vs central differences, "
      f"{worst_ag:.0e} vs autograd")
assert worst_fd < 1e-5 and worst_ag < 1e-11

# %% [markdown]
# ## What it costs
#
# Count **multiply-adds** (a deterministic measure: the same on every machine). For a batch of $B$, the
# forward pass does one matrix product per layer:
#
# $$F = B \sum_{k=1}^{L} n_k\, n_{k-1} .$$
#
# The backward pass does **two** products of the same size per layer, $\nabla_{A_k}^\top H_{k-1}$ for
# $\nabla_{W_k}$ and $\nabla_{A_k} W_k$ for $\nabla_{h_{k-1}}$ (the second is not needed for $k = 1$); the
# elementwise $g'$ and the sums are cheaper. So **all** $P$ gradients cost about $3F$: a small constant
# number of forward passes.
#
# Central differences need 2 forward passes **per parameter**: $2P \cdot F$. Since $F$ itself grows like $P$
# (almost every parameter is a weight used once per example), that is $P^2$.
#
# Below: networks $[w, w, w, w]$ (two hidden layers of width $w$), one example ($B = 1$), for growing $w$;
# the slopes are fitted on the log-log scale (cost $\propto P^{\text{slope}}$).

# %%
family = wn.cost_family([4, 8, 16, 32, 64, 128], depth=2, B=1)
print(f"{'w':>4} {'P':>6} {'forward F':>10} {'backprop':>10} {'backprop/F':>11} {'finite diff.':>14} {'fin. diff./F':>13}")
for c in family:
    print(f"{c['width']:>4} {c['P']:>6} {c['forward']:>10} {c['backprop']:>10} {c['backprop_in_forwards']:>11.2f} "
          f"{c['finite_differences']:>14} {c['finite_differences'] // c['forward']:>13}")
P = [c["P"] for c in family]
slope_bp = wn.loglog_slope(P, [c["backprop"] for c in family])
slope_fd = wn.loglog_slope(P, [c["finite_differences"] for c in family])
print(f"fitted slopes: backprop {slope_bp:.1f}, finite differences {slope_fd:.1f}")
P512 = wn.n_params([512] * 4)
print(f"w = 512 (the largest network timed below): P = {P512}; central differences {2 * P512} forward passes, "
      f"backprop {wn.backprop_multiply_adds([512] * 4) / wn.forward_multiply_adds([512] * 4):.2f}")
net = bp.Network.init([4, 4, 4, 4], activation="tanh", seed=0)
_, _, n_forward = wn.finite_difference_gradients(net, np.ones(4), 0)
print(f"forward passes counted in a central-difference run on P = {net.n_params}: {n_forward} = 2P")
assert round(slope_bp, 1) == 1.0 and round(slope_fd, 1) == 2.0 and n_forward == 2 * net.n_params

# %% [markdown]
# Where $8/3$ comes from: these networks have $L = 3$ layers of the same size, so each matrix product costs
# $F/3$. The forward pass does 3 of them and the backward pass $2 \cdot 3 - 1 = 5$ (no $\nabla_{h_0}$):
# $8 \cdot F/3$. So backprop costs $8/3 \approx 2.67$ forward passes here, for **every** size; finite
# differences cost $2P$ forward passes, 120 for the smallest network and 99 072 for the largest (the last column).
#
# **Measured.** The plot times the same kind of networks (now with a batch of $B = 64$ and widths up to 512)
# on this machine: backprop (forward + backward), one forward pass times $2P$ (what central differences
# cost), and for the three smallest networks a full central-difference run, which lands close to that line. Timings
# change from run to run, so this cell's output is not compared by the tests. On the small networks at
# the left, the time is mostly Python's fixed cost per layer, and the curves are flatter than their
# slopes; once the matrices are large, the arithmetic dominates and they bend towards slopes 1 and 2.

# %% tags=["nbval-ignore-output"]
rows = wn.measure_costs([4, 8, 16, 32, 64, 128, 256, 512], depth=2, B=64, full_fd_max_params=900, repeats=3)
P_m = np.array([r["P"] for r in rows])
fig, ax = plt.subplots(figsize=(6.4, 3.8))
ax.loglog(P_m, [r["t_backprop"] for r in rows], "o-", label="backprop: every gradient (forward + backward)")
ax.loglog(P_m, [r["t_fd"] for r in rows], "s-", label="finite differences: 2P × one forward pass")
full = [(r["P"], r["t_fd_measured"]) for r in rows if r["t_fd_measured"] is not None]
ax.loglog(*zip(*full), "kx", ms=9, label="finite differences, full run timed")
ref = P_m / P_m[-1]
ax.loglog(P_m, rows[-1]["t_backprop"] * ref, ":", color="C0", alpha=0.6, label="slope 1")
ax.loglog(P_m, rows[-1]["t_fd"] * ref ** 2, ":", color="C1", alpha=0.6, label="slope 2")
ax.set_xlabel("number of parameters P")
ax.set_ylabel("seconds (this machine)")
ax.set_title("Cost of all P gradients, networks [w, w, w, w], batch of 64", fontsize=10)
ax.legend(fontsize=8)
plt.show()
print(f"measured slopes over the three largest networks: backprop {wn.loglog_slope(P_m[-3:], [r['t_backprop'] for r in rows][-3:]):.1f}, "
      f"finite differences {wn.loglog_slope(P_m[-3:], [r['t_fd'] for r in rows][-3:]):.1f}")

# %% [markdown]
# For the largest network, $P = 787\,968$: a central-difference gradient would need about 1.6 million
# forward passes, backprop needs the equivalent of about three. That ratio, not the accuracy, is why
# every deep-learning library computes gradients by backpropagation — and uses finite differences only to
# **check** them, on small networks, as we did above.
#
# ## Play: gradient norms, layer by layer
#
# A seeded random network (8 inputs, 4 classes, Xavier initialisation, biases 0) on a seeded batch of 32.
# Each bar is $\|\nabla_{W_k}\|$ (the square root of the sum of squares of the matrix's entries) for layer $k$;
# the red bar is the output layer $L$. The vertical axis is logarithmic and fixed, from $10^{-9}$ to $10$:
# each labelled tick is a factor 100.
#
# * **hidden layers** sets the depth $L - 1$ (so there are $L$ bars).
# * **width** sets the number of units in every hidden layer.
# * **activation g** chooses logistic, tanh or ReLU for the hidden layers.
#
# What to look for: with the **logistic**, every layer you add makes the first layer's gradient smaller by
# a factor of several (between 3 and 10 in the cell below), since each step down multiplies by
# $g'(a) \le 1/4$ and by the weights: lesson 03's vanishing gradients, now in a wide network. **tanh** ($g'(0) = 1$) keeps the bars far more even. **ReLU** passes
# the gradient unchanged through active units, but a narrow deep ReLU network can lose every unit of a layer
# (all $a \le 0$) and then *no* gradient gets through: try width 4 with 10 hidden layers. The chart is then
# empty, because every norm is exactly 0 and a log scale cannot draw 0; the figure and the line under it say
# so. Lesson 11 is about these problems and their cures.

# %%
whole_network.panel()

# %% [markdown]
# The panel calls `wn.norms_state(depth, width, activation)`, a plain function. With 10 hidden layers of 16
# units, the ratio $\|\nabla_{W_1}\| / \|\nabla_{W_L}\|$ for each activation, and the narrow ReLU network:

# %%
for activation in ("logistic", "tanh", "relu"):
    s = wn.norms_state(10, 16, activation)
    print(f"{activation:>8}: ||grad_W_1|| / ||grad_W_L|| = {s['norms'][0] / s['norms'][-1]:.1e}")
s = wn.norms_state(10, 4, "relu")
print("relu, 10 hidden layers of width 4: every ||grad_W_k|| =", s["norms"].max())
first = [wn.norms_state(d, 16, "logistic")["norms"][0] for d in (1, 2, 3, 4, 5)]
print("logistic, ||grad_W_1|| for 1..5 hidden layers of 16:", [f"{v:.1e}" for v in first])
print("factor lost per extra layer:", [f"{first[i] / first[i + 1]:.1f}" for i in range(4)])

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and if not,
# which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer (try first!).
#
# **Exercise 08.1.** A network for 28×28 images has sizes [784, 30, 10] (`sizes`). How many forward passes
# does a central-difference check of **every** parameter need?

# %%
ex = checks.get("08.1")
sizes = ex.data.sizes
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 08.2.** A 2-layer network (sizes [4, 5, 3], logistic hidden layer, softmax output) on a batch of
# $B = 6$. You have the forward pass `X` (6, 4), `A1` (6, 5), `H1` (6, 5), `Y_hat` (6, 3), the one-hot labels
# `E` (6, 3), and `W1` (5, 4), `W2` (3, 5). The batch loss is the mean. Write the backward pass down to layer 1
# and give $\nabla_{W_1}$, shape (5, 4). `bp.logistic_prime(a)` is $g'(a)$.

# %%
ex = checks.get("08.2")
X, A1, H1, Y_hat, E, W1, W2 = (ex.data.X, ex.data.A1, ex.data.H1, ex.data.Y_hat, ex.data.E, ex.data.W1, ex.data.W2)
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 08.3** (not shown above). Same network and batch: compute the gradient of the batch loss with
# respect to the **inputs**, $\nabla_X = \nabla_{h_0}$, shape (6, 4). Row $r$ says how the mean loss changes
# when the input of example $r$ moves; saliency maps and adversarial examples are made from it.

# %%
ex = checks.get("08.3")
X, A1, H1, Y_hat, E, W1, W2 = (ex.data.X, ex.data.A1, ex.data.H1, ex.data.Y_hat, ex.data.E, ex.data.W1, ex.data.W2)
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 08.4** (not shown above). **Weight decay.** Training often minimises the batch loss plus an
# L2 penalty on the weights (not on the biases), with a constant $\lambda > 0$:
#
# $$\mathcal{L}_\lambda = \frac{1}{B}\sum_{r=1}^{B} \mathrm{loss}_r + \frac{\lambda}{2} \sum_{k} \sum_{i,j} W_{kij}^2 .$$
#
# Same network and batch as 08.2, with $\lambda$ = `lam`. Compute $\nabla_{W_2} \mathcal{L}_\lambda$, shape (3, 5).
# The penalty is a second, separate path from each weight to $\mathcal{L}_\lambda$: work out its derivative, and add.

# %%
ex = checks.get("08.4")
Y_hat, E, H1, W2, lam = ex.data.Y_hat, ex.data.E, ex.data.H1, ex.data.W2, ex.data.lam
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * Backpropagation is six lines: $\nabla_{a_L} = -(e(\ell) - \hat y)$, then for $k = L..1$:
#   $\nabla_{W_k} = \nabla_{a_k} h_{k-1}^\top$, $\nabla_{b_k} = \nabla_{a_k}$,
#   $\nabla_{h_{k-1}} = W_k^\top \nabla_{a_k}$, $\nabla_{a_{k-1}} = \nabla_{h_{k-1}} \odot g'(a_{k-1})$.
#   With examples as rows, the same lines are matrix products and a sum over the rows, for any depth and batch.
# * Every gradient of every network we tried agrees with central differences (to better than $10^{-5}$) and
#   with autograd (to rounding).
# * All $P$ gradients by backprop cost about 3 forward passes; by finite differences $2P$ forward passes:
#   linear against quadratic in $P$.
# * The size of the gradient can change a lot from layer to layer; the activation decides how much.
#
# **Next: 09 · Training on real data.** With these gradients, gradient descent can train a network on
# handwritten digits: loss curves, accuracy and the mistakes it still makes.
