# %% [markdown]
# # 07 · Talking to the weights and biases
#
# **What you will learn.** How the gradient that has reached a layer's pre-activation, $\nabla_{a_k}$,
# becomes the gradient of its weights and biases: first for one weight $W_{kij}$, then for the whole
# matrix $W_k$ at once (an *outer product*), then for a **batch** of examples, where the bias gradient is
# summed over the rows and everything carries a factor $1/B$.
#
# **Where this sits.** Lesson 05 (talking to the output layer) gave $\nabla_{a_L} = -(e(\ell) - \hat y)$;
# lesson 06 (talking to the hidden units) carried it down the layers:
# $\nabla_{h_{k-1}} = W_k^\top \nabla_{a_k}$ and $\nabla_{a_k} = \nabla_{h_k} \odot g'(a_k)$. So we may take
# $\nabla_{a_k}$ as known for every layer $k$. What we actually *change* when we train are the weights
# and biases: this lesson finishes the job. Lesson 08 puts every line together for the whole network.
#
# **Shorter notation.** From here on $\nabla_{a_k}$ is short for $\nabla_{a_k} \mathcal{L}$, the gradient of the loss
# with respect to $a_k$ (lessons 05 and 06 wrote the $\mathcal{L}$); in code it is `grad_a[k]`, and likewise
# $\nabla_{W_k}$, $\nabla_{b_k}$, $\nabla_{h_k}$. Its $i$-th entry is $\nabla_{a_k,i} = \partial \mathcal{L} / \partial a_{ki}$.

# %%
import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np
from autograd import grad

import backprop as bp
from backprop import checks, lecture
from backprop import weight_grads as wg
from backprop.play import weight_grads

np.set_printoptions(precision=4, suppress=True)

net = lecture.network()
x, label = lecture.example()
fwd = bp.forward(net, x)
g = bp.backward(net, fwd, label)        # the backward pass of lessons 05-06 (and this one)
for k in range(1, net.L + 1):
    print(f"grad_a[{k}] =", g.grad_a[k], f"  h[{k - 1}] =", fwd.h[k - 1])

# %% [markdown]
# ## One weight
#
# The weight $W_{kij}$ (layer $k$, to neuron $i$, from input $j$) appears in exactly **one** place of the
# forward pass: the pre-activation of neuron $i$ of layer $k$,
#
# $$a_{ki} = b_{ki} + \sum_{j'} W_{kij'}\, h_{k-1,j'} .$$
#
# Every other pre-activation of layer $k$ uses other weights, and every later layer sees $W_{kij}$ only
# through $a_{ki}$. So there is a single path from $W_{kij}$ to the loss, through $a_{ki}$, and the chain
# rule has one term. In the sum above only the term $j' = j$ contains $W_{kij}$, so
# $\partial a_{ki} / \partial W_{kij} = h_{k-1,j}$, and
#
# $$\frac{\partial \mathcal{L}}{\partial W_{kij}} = \frac{\partial \mathcal{L}}{\partial a_{ki}}\,\frac{\partial a_{ki}}{\partial W_{kij}}
# = \nabla_{a_k,i}\; h_{k-1,j} .$$
#
# In words: **the error signal at the neuron the weight feeds, times the activity at the input it comes
# from.** The bias enters with a factor 1 ($\partial a_{ki}/\partial b_{ki} = 1$), so
# $\partial \mathcal{L}/\partial b_{ki} = \nabla_{a_k,i}$.
#
# ![W_213 carries h_13 forward into a_21; the gradient grad_a_21 comes back](../figures/07_one_weight.svg)
#
# For $W_{213}$ of the lecture network that is $\nabla_{a_2,1}\, h_{13}$, in code `grad_a[2][0] * h[1][2]`.
# We check it against central differences (nudge that one weight, lesson 01) and against the automatic
# differentiation library `autograd`, which differentiates the forward pass written below by itself
# (lesson 10 shows how such a library works).

# %%
def loss_autograd(params, x, label):
    """The lecture network's loss in autograd's numpy: params = [W1, b1, W2, b2, W3, b3]."""
    h = x
    for k in range(3):
        a = anp.dot(h, params[2 * k].T) + params[2 * k + 1]
        h = 1 / (1 + anp.exp(-a)) if k < 2 else a
    log_y_hat = h - anp.log(anp.sum(anp.exp(h), axis=-1, keepdims=True))
    if log_y_hat.ndim == 1:
        return -log_y_hat[label]
    return -anp.mean(anp.sum(log_y_hat * bp.one_hot(label, 3), axis=1))   # batch: the mean of the B losses


params = [p for k in range(1, 4) for p in (net.W[k], net.b[k])]
auto = grad(loss_autograd)(params, x, label)          # auto[2k-2] is grad_W_k, auto[2k-1] is grad_b_k

formula = wg.weight_grad(g.grad_a[2], fwd.h[1], i=1, j=3)
work = net.copy()
numeric = bp.numerical_gradient(lambda _: bp.loss(work, x, label), work.W[2])[0, 2]
print(f"dℒ/dW_213 = grad_a_21 * h_13 = {g.grad_a[2][0]:.6f} * {fwd.h[1][2]:.6f} = {formula:.8f}")
print(f"central differences:                              {numeric:.8f}")
print(f"autograd:                                         {auto[2][0, 2]:.8f}")
print(f"relative errors: {bp.relative_error(formula, numeric):.1e} (differences), "
      f"{bp.relative_error(formula, auto[2][0, 2]):.1e} (autograd)")
assert bp.relative_error(formula, numeric) < 1e-6 and bp.relative_error(formula, auto[2][0, 2]) < 1e-12

# %% [markdown]
# ## From one weight to the whole layer: an outer product
#
# Write the formula for every pair $(i, j)$ at once. Entry $(i, j)$ of the matrix $\nabla_{W_k}$ (same shape
# as $W_k$, $(n_k, n_{k-1})$) is $\nabla_{a_k,i}\, h_{k-1,j}$: row $i$ is the number $\nabla_{a_k,i}$ times the
# whole row vector $h_{k-1}^\top$. That is the **outer product** of a column and a row,
#
# $$\nabla_{W_k} = \nabla_{a_k}\, h_{k-1}^\top
# \qquad (n_k \times 1)\,(1 \times n_{k-1}) = (n_k \times n_{k-1}),
# \qquad\qquad \nabla_{b_k} = \nabla_{a_k} .$$
#
# In numpy: `np.outer(grad_a[k], h[k-1])`, or `grad_a[k][:, None] * h[k-1][None, :]`. The order matters:
# $h_{k-1} \nabla_{a_k}^\top$ would be the transpose, with rows for the inputs instead of the neurons.
#
# **Check**, for every layer of the lecture network: the loops over $(i, j)$ of the one-weight formula, the
# outer product, the library's backward pass, central differences and autograd must all agree.

# %%
print(f"{'layer':<6}{'loops vs outer':>16}{'vs library':>12}{'vs differences':>16}{'vs autograd':>13}   grad_b vs differences")
for k in range(1, net.L + 1):
    n_k, n_prev = net.W[k].shape
    loops = np.array([[wg.weight_grad(g.grad_a[k], fwd.h[k - 1], i, j) for j in range(1, n_prev + 1)]
                      for i in range(1, n_k + 1)])
    outer = wg.layer_weight_grad(g.grad_a[k], fwd.h[k - 1])
    work = net.copy()
    num_W = bp.numerical_gradient(lambda _: bp.loss(work, x, label), work.W[k])
    num_b = bp.numerical_gradient(lambda _: bp.loss(work, x, label), work.b[k])
    e = [np.max(bp.relative_error(outer, ref)) for ref in (loops, g.grad_W[k], num_W, auto[2 * k - 2])]
    e_b = np.max(bp.relative_error(g.grad_a[k], num_b))
    print(f"W_{k}   {e[0]:>14.1e}{e[1]:>12.1e}{e[2]:>16.1e}{e[3]:>13.1e}   {e_b:.1e}")
    assert e[0] == 0 and e[1] < 1e-12 and e[2] < 1e-6 and e[3] < 1e-12 and e_b < 1e-6

# %% [markdown]
# What the outer product says:
#
# * **Column $j$ is proportional to $h_{k-1,j}$.** An input that is 0 gives its whole column of weights a
#   zero gradient: those weights had no effect on this example, so they are not responsible for its loss.
# * **Row $i$ is proportional to $\nabla_{a_k,i}$.** A neuron whose pre-activation barely matters for the
#   loss passes almost nothing to its incoming weights.
# * For one example, $\nabla_{W_k}$ has **rank 1**: $n_k n_{k-1}$ numbers made of only $n_k + n_{k-1}$.
#
# Here is $\nabla_{W_1}$ for the lecture example, $x = (0.5, -1, 2)$: the columns are in the ratio
# $0.5 : -1 : 2$.

# %%
print("grad_W[1] =\n", g.grad_W[1])
print("column 2 / column 1 =", g.grad_W[1][:, 1] / g.grad_W[1][:, 0], "  column 3 / column 1 =", g.grad_W[1][:, 2] / g.grad_W[1][:, 0])
print("ranks of grad_W[1], grad_W[2], grad_W[3]:", [int(np.linalg.matrix_rank(g.grad_W[k])) for k in (1, 2, 3)])

# %% [markdown]
# ## A batch of examples
#
# With $B$ examples as the rows of $X$, the forward pass computes $A_k = H_{k-1} W_k^\top + b_k$: row $r$
# is $a_k^{(r)} = b_k + W_k h_{k-1}^{(r)}$ for example $r$, **with the same $W_k$ and $b_k$ in every row**.
# The batch loss is the mean,
#
# $$\mathcal{L} = \frac{1}{B} \sum_{r=1}^{B} \mathrm{loss}_r .$$
#
# **Step 1: each row of $\nabla_{A_k}$ carries $1/B$.** The pre-activation $a_k^{(r)}$ of row $r$ only
# influences $\mathrm{loss}_r$ (the examples do not mix), so
# $\partial \mathcal{L} / \partial a_k^{(r)} = \frac1B\, \partial \mathrm{loss}_r / \partial a_k^{(r)}$:
# row $r$ of `grad_A[k]` is example $r$'s own $\nabla_{a_k}$ divided by $B$. The library puts the $1/B$ in
# at the top, in $\nabla_{A_L}$, and the backward pass carries it down unchanged.
#
# **Step 2: shared parameters add up their rows.** $W_{kij}$ appears in row $r$'s $a_{ki}^{(r)}$ for *every*
# $r$: that is $B$ paths to the loss, and (lesson 04) the paths add:
#
# $$\frac{\partial \mathcal{L}}{\partial W_{kij}} = \sum_{r=1}^{B} \nabla_{A_k}[r, i]\; H_{k-1}[r, j]
# = \big(\nabla_{A_k}^\top H_{k-1}\big)_{ij},
# \qquad
# \frac{\partial \mathcal{L}}{\partial b_{ki}} = \sum_{r=1}^{B} \nabla_{A_k}[r, i] .$$
#
# So `grad_W[k] = grad_A[k].T @ H[k-1]` and `grad_b[k] = grad_A[k].sum(axis=0)`, the **sum over the rows**
# (axis 0), not over the neurons. Together with Step 1, both are the **mean over the examples of the
# per-example gradients**.
#
# To see which axis is which, we use a network whose sizes are all different: $n_0 = 4$, $n_1 = 5$,
# $n_2 = 3$, and a batch of $B = 6$ (with the lecture network every size is 3 and the shapes cannot
# tell a row from a column).

# %%
net_b = bp.Network.init([4, 5, 3], activation="tanh", seed=3)
rng = np.random.default_rng(3)
X = np.round(rng.normal(size=(6, 4)), 2)
labels = rng.integers(0, 3, size=6)
B = X.shape[0]
fb = bp.forward(net_b, X)
gb = bp.backward(net_b, fb, labels)
for k in (2, 1):
    n_k, n_prev = net_b.W[k].shape
    print(f"layer k = {k}:  B = {B}, n_{k} = {n_k}, n_{k - 1} = {n_prev}")
    print(f"  grad_A[{k}]               {gb.grad_a[k].shape}  = (B, n_{k})")
    print(f"  H[{k - 1}]                   {fb.h[k - 1].shape}  = (B, n_{k - 1})")
    print(f"  grad_A[{k}].T @ H[{k - 1}]      {gb.grad_a[k].T.shape} @ {fb.h[k - 1].shape} -> {wg.batch_weight_grad(gb.grad_a[k], fb.h[k - 1]).shape}"
          f"  = (n_{k}, n_{k - 1}) = W[{k}].shape {net_b.W[k].shape}")
    print(f"  grad_A[{k}].sum(axis=0)   {gb.grad_a[k].shape} -> {wg.batch_bias_grad(gb.grad_a[k]).shape}"
          f"  = (n_{k},) = b[{k}].shape {net_b.b[k].shape}")
    print(f"  (the wrong axis, grad_A[{k}].sum(axis=1), would give {gb.grad_a[k].sum(axis=1).shape} = (B,): one number per example)")

# %% [markdown]
# **Check.** (1) Row $r$ of $\nabla_{A_2}$ is example $r$'s own $\nabla_{a_2}$ divided by $B$. (2) The batch
# gradients equal the **mean** of the six per-example gradients (`wg.per_example_gradients` runs the
# backward pass one example at a time). (3) They equal central differences of the batch mean loss,
# and (4) autograd's gradient of the same loss.

# %%
per_W, per_b = wg.per_example_gradients(net_b, X, labels)
own_grad_a2 = np.stack([bp.gradients(net_b, X[r], int(labels[r])).grad_a[2] for r in range(B)])
print(f"(1) grad_A[2] vs own grad_a_2 / B:     largest difference {np.max(np.abs(gb.grad_a[2] - own_grad_a2 / B)):.1e}")
work = net_b.copy()
for k in (1, 2):
    num_W = bp.numerical_gradient(lambda _: bp.loss(work, X, labels), work.W[k])
    num_b = bp.numerical_gradient(lambda _: bp.loss(work, X, labels), work.b[k])
    e_mean = max(np.max(bp.relative_error(gb.grad_W[k], per_W[k].mean(axis=0))),
                 np.max(bp.relative_error(gb.grad_b[k], per_b[k].mean(axis=0))))
    e_num = max(np.max(bp.relative_error(gb.grad_W[k], num_W)), np.max(bp.relative_error(gb.grad_b[k], num_b)))
    print(f"layer {k}: (2) vs mean of per-example {e_mean:.1e}   (3) vs central differences {e_num:.1e}")
    assert e_mean < 1e-12 and e_num < 1e-6

# (4) autograd on the lecture network with a batch of 5
Xl, labels_l = lecture.batch(5)
gl = bp.gradients(net, Xl, labels_l)
auto_b = grad(loss_autograd)(params, Xl, labels_l)
e_auto = max(max(np.max(bp.relative_error(gl.grad_W[k], auto_b[2 * k - 2])),
                 np.max(bp.relative_error(gl.grad_b[k], auto_b[2 * k - 1]))) for k in (1, 2, 3))
print(f"(4) lecture network, batch of 5: largest relative error vs autograd {e_auto:.1e}")
assert np.max(np.abs(gb.grad_a[2] - own_grad_a2 / B)) < 1e-15 and e_auto < 1e-12

# %% [markdown]
# ### Two classic slips, and why they matter
#
# * **Forgetting the $1/B$** (adding the per-example gradients instead of averaging them) makes the
#   gradient $B$ times too large. Nothing crashes, but a learning rate tuned for one batch size is then too
#   large for every bigger batch (by the ratio of the batch sizes): training with the sum behaves
#   differently for every batch size.
# * **Summing the bias gradient over the wrong axis** gives one number per *example* instead of per
#   *neuron*. Numpy does not complain; the shape does: $(B,)$ instead of $(n_k,)$. That is why we used a
#   batch size different from every layer width.

# %%
summed = per_W[2].sum(axis=0)
print(f"sum of per-example grad_W_2 / mean = {np.mean(summed / gb.grad_W[2]):.1f}  (= B = {B})")
print("bias gradient shapes: right", gb.grad_a[2].sum(axis=0).shape, "  wrong axis", gb.grad_a[2].sum(axis=1).shape,
      "  not summed", gb.grad_a[2].shape)

# %% [markdown]
# ## Play: the heat map of $\nabla_{W_k}$
#
# The big square is $\nabla_{W_k}$ for the lecture network on one example; each cell is named $W_{kij}$ and
# shows $\partial \mathcal{L}/\partial W_{kij}$ (red positive, blue negative; the colour scale is fixed from $-0.5$ to
# $+0.5$, so colours can be compared between layers and settings). On its left is the column $\nabla_{a_k}$,
# on top the row $h_{k-1}^\top$: **every cell is the number at the left of its row times the number above
# its column**. The line under the figure names the largest entry.
#
# * **layer k** chooses which matrix you see: $W_1$ (input to $h_1$), $W_2$ or $W_3$ (into the output).
# * **true class** sets $\ell$. Change it with layer 3 chosen: the row of the true class turns blue
#   (increasing its weights would *lower* the loss), the other rows red.
# * **x₁, x₂, x₃** move the input. With layer 1 chosen, set $x_1 = 0$: the whole first column turns white,
#   since those weights multiply $x_1$. With layers 2 and 3 the columns never vanish, since the logistic
#   $h$ is never exactly 0.
#
# Which layer has the largest gradients here? (If you read this without running it, you see a still image of
# the starting position.)

# %%
weight_grads.panel()

# %% [markdown]
# The panel calls `weight_grads.layer_gradient_state`, a plain function. At the start (layer 1) the largest
# entry is $\partial \mathcal{L}/\partial W_{113}$, and with $x_1 = 0$ the first column of $\nabla_{W_1}$ is exactly zero:

# %%
s = weight_grads.layer_gradient_state(1, *x, label=label)
print("largest entry at the start:", s["largest"][0], f"= {s['largest'][3]:.4f}")
s0 = weight_grads.layer_gradient_state(1, 0.0, x[1], x[2], label=label)
print("with x_1 = 0, column 1 of grad_W_1 =", s0["grad_W"][:, 0] + 0.0)   # + 0.0 turns -0.0 into 0.0
print("largest |entry| per layer:", [f"{np.abs(weight_grads.layer_gradient_state(k, *x)['grad_W']).max():.3f}" for k in (1, 2, 3)])

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and if not,
# which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer (try first!).
#
# **Exercise 07.1.** For the lecture example, `grad_a2` is $\nabla_{a_2}$, `h1` is $h_1$, `h2` is $h_2$.
# Compute $\partial \mathcal{L}/\partial W_{213}$ (layer 2, to neuron 1, from input 3) — one number.

# %%
ex = checks.get("07.1")
grad_a2, h1, h2 = ex.data.grad_a2, ex.data.h1, ex.data.h2
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 07.2.** A network with sizes [4, 5, 3], one example: from `grad_a2` (shape (3,)), `h1` (shape (5,))
# and `h2` (shape (3,)), compute the whole matrix $\nabla_{W_2}$, shape (3, 5), in one line.

# %%
ex = checks.get("07.2")
grad_a2, h1, h2 = ex.data.grad_a2, ex.data.h1, ex.data.h2
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 07.3.** A batch of $B = 5$ through the lecture network. `grad_A2` (shape (5, 3)) is $\nabla_{A_2}$
# of the batch loss (the mean), so each row already carries $1/B$. Compute $\nabla_{b_2}$, shape (3,).

# %%
ex = checks.get("07.3")
grad_A2 = ex.data.grad_A2
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 07.4.** Sizes [4, 5, 3], a batch of $B = 6$. Row $r$ of `G` (shape (6, 3)) is example $r$'s **own**
# output gradient $-(e(\ell_r) - \hat y_r)$, with no $1/B$; `H1` (shape (6, 5)) holds $h_1$ for each row.
# The batch loss is the mean. Compute $\nabla_{W_2}$ of the batch loss, shape (3, 5), without a loop.

# %%
ex = checks.get("07.4")
G, H1, B = ex.data.G, ex.data.H1, ex.data.B
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 07.5** (not shown above). Suppose layer 2 had **one shared bias** $\beta$ instead of a vector
# $b_2$: $a_{2i} = \beta + \sum_j W_{2ij} h_{1j}$ for every neuron $i$. Row $r$ of `G` (shape (5, 3)) is example
# $r$'s own $\nabla_{a_2}$ (no $1/B$). For the batch loss (the mean over $B = 5$), compute
# $\partial \mathcal{L}/\partial \beta$ — one number.

# %%
ex = checks.get("07.5")
G, B = ex.data.G, ex.data.B
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * One weight: $\partial \mathcal{L}/\partial W_{kij} = \nabla_{a_k,i}\, h_{k-1,j}$ — the error at the neuron it feeds
#   times the activity it carries. One bias: $\partial \mathcal{L}/\partial b_{ki} = \nabla_{a_k,i}$.
# * A whole layer: the outer product $\nabla_{W_k} = \nabla_{a_k} h_{k-1}^\top$, shape $(n_k, n_{k-1})$ like
#   $W_k$; and $\nabla_{b_k} = \nabla_{a_k}$.
# * A batch (rows are examples, the loss is the mean): every row of $\nabla_{A_k}$ carries $1/B$, and the
#   shared parameters add the rows: $\nabla_{W_k} = \nabla_{A_k}^\top H_{k-1}$, $\nabla_{b_k} =$
#   `grad_A.sum(axis=0)` — the mean of the per-example gradients.
#
# **Next: 08 · The whole network.** We now have every line of the backward pass. Lesson 08 puts them
# together for any depth and batch, checks every parameter of several networks against finite differences
# and autograd, and measures why backprop, not finite differences, is how networks are trained.
