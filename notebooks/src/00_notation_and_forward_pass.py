# %% [markdown]
# # 00 · Notation and the forward pass
#
# **What you will learn.** How the network of the lecture is written down: the weight
# $W_{kij}$, the pre-activation $a_k$, the activation $h_k$ and the output $\hat y$.
# You will run the forward pass of a small network by hand and with the course's library,
# and move its inputs and one weight with sliders.
#
# **Where this sits.** This is the first lesson of twelve. Lessons 01–04 ask how much each
# weight is *responsible* for the loss (its derivative), first for one weight and then for
# many paths; 05–07 derive the gradient for the output layer, the hidden units and the
# weights; 08 puts it together for the whole network; 09 trains a network with it on real handwritten
# digits; 10 rebuilds backpropagation as reverse-mode automatic differentiation; 11 looks at gradients
# that misbehave (vanishing, exploding, dead units, a learning rate that diverges). Everything later
# builds on the notation fixed here.
#
# **How to use the series.** Run the cells from top to bottom (*Run → Run All Cells*, or
# Shift+Enter one at a time). Each lesson has the same shape: the idea, the derivation,
# the code, a **check** that compares the formula with a number computed another way, a
# **play** section with sliders, and **exercises** that check your answer and name the
# mistake if they recognise it.

# %%
import numpy as np

import backprop as bp
from backprop import checks, lecture
from backprop.play import forward_pass

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## The notation
#
# | symbol | meaning | in code |
# |---|---|---|
# | $x = h_0$ | the input, a vector in $\mathbb{R}^n$ | `x`, `fwd.h[0]` |
# | $L$ | number of layers: $1..L-1$ hidden, $L$ the output | `net.L` |
# | $W_k,\ b_k$ | weights and biases of layer $k$; $W_k$ has shape $(n_k, n_{k-1})$ | `net.W[k]`, `net.b[k]` |
# | $W_{kij}$ | weight of layer $k$ from input $j$ to neuron $i$ | `net.W[k][i-1, j-1]` |
# | $a_k = b_k + W_k h_{k-1}$ | pre-activation of layer $k$ | `fwd.a[k]` |
# | $h_k = g(a_k)$ | activation of hidden layer $k$ ($g$ is logistic here) | `fwd.h[k]` |
# | $\hat y = \mathrm{softmax}(a_L)$ | the output: a probability for each class | `fwd.y_hat` |
# | $\ell$ | the true class | `label` (counted from 0: class $\ell$ is `label = ℓ - 1`) |
# | $e(\ell)$ | the one-hot vector of the true class | `bp.one_hot(label, k)` |
# | $\mathcal{L} = -\log \hat y_\ell$ | the cross-entropy loss of one example (curly $\mathcal{L}$; plain $L$ is the number of layers) | `bp.loss(net, x, label)` |
#
# The lists in code start at index 1 like the formulas: `net.W[1]` is $W_1$ and `net.W[0]` is `None`.
# Neurons and inputs are counted from 1 in the lecture and from 0 in Python, which is why
# $W_{kij}$ is `W[k][i-1, j-1]`.
#
# ## The lecture's network
#
# Three inputs, two hidden layers of three logistic neurons, and a softmax output over three classes:
#
# ![The lecture network with every weight labelled W_kij](../figures/00_network.svg)
#
# Every line is one weight. The line from input $x_j$ to neuron $i$ of layer $k$ carries $W_{kij}$:
# the first index after the layer is where the signal *goes*, the second where it *comes from*.

# %%
net = lecture.network()
x, label = lecture.example()
print(net)
print("layers L =", net.L, "  sizes n_0..n_L =", net.sizes, "  parameters:", net.n_params)
print("x =", x, "  true class ℓ =", label + 1, f"(label = {label} in code)")

# %% [markdown]
# ### $W_{kij}$ on the matrices
#
# Row $i$ of $W_k$ holds the weights *into* neuron $i$; column $j$ the weights *out of* input $j$.
# Here is $W_1$ with every entry named:

# %%
print(lecture.matrix_table(net.W[1], k=1))
print()
print("W_111 = net.W[1][0, 0] =", net.W[1][0, 0])
print("W_123 = net.W[1][1, 2] =", net.W[1][1, 2])

# %% [markdown]
# ## The forward pass
#
# Layer by layer, starting from $h_0 = x$:
#
# $$a_k = b_k + W_k\, h_{k-1}, \qquad\text{that is}\qquad a_{ki} = b_{ki} + \sum_j W_{kij}\, h_{k-1,j},$$
#
# $$h_k = g(a_k) \quad (k = 1, \dots, L-1), \qquad g(a) = \frac{1}{1 + e^{-a}} \text{ (the logistic)},$$
#
# and at the output the softmax turns the $L$-th pre-activation into probabilities:
#
# $$\hat y = \mathrm{softmax}(a_L), \qquad \hat y_c = \frac{e^{a_{Lc}}}{\sum_{c'} e^{a_{Lc'}}}, \qquad \text{loss } \mathcal{L} = -\log \hat y_\ell .$$
#
# The loss is small when the true class gets a high probability. We write $\mathcal{L}$ (a curly L) for it,
# because the plain $L$ already counts the layers.
#
# The library's `bp.forward` keeps every $a_k$ and $h_k$, because the backward pass (lessons 05–08)
# needs all of them.

# %%
fwd = bp.forward(net, x)
for k in range(1, net.L + 1):
    print(f"a_{k} =", fwd.a[k])
    if k < net.L:
        print(f"h_{k} =", fwd.h[k])
print("y_hat =", fwd.y_hat, "  (sums to", fwd.y_hat.sum().round(12), ")")
loss = bp.loss(net, x, label)
print(f"loss = -log y_hat_{label + 1} = {loss:.6f}")

# %% [markdown]
# ### Check: the formulas, computed another way
#
# The library multiplies matrices. Here the same numbers come from the sums in the formulas above,
# written as plain loops, one neuron at a time. They must agree.

# %%
h = x
for k in range(1, net.L + 1):
    a_loop = np.array([net.b[k][i] + sum(net.W[k][i, j] * h[j] for j in range(len(h))) for i in range(net.sizes[k])])
    if k < net.L:
        h = np.array([1 / (1 + np.exp(-a_i)) for a_i in a_loop])
    print(f"a_{k}: loops vs library, largest difference {np.max(np.abs(a_loop - fwd.a[k])):.1e}")
y_loop = np.exp(a_loop) / np.exp(a_loop).sum()
print(f"y_hat: largest difference {np.max(np.abs(y_loop - fwd.y_hat)):.1e}")
print(f"loss: -log y_hat_l = {-np.log(y_loop[label]):.6f}, library {loss:.6f}")
assert np.allclose(y_loop, fwd.y_hat) and np.isclose(-np.log(y_loop[label]), loss)

# %% [markdown]
# ### Many examples at once: a batch as rows
#
# With $B$ examples we store them as the **rows** of a matrix $X$ of shape $(B, n_0)$. Each row then
# meets $W_k$ transposed, $A_k = H_{k-1} W_k^\top + b_k$ (the bias is added to every row), and every
# $A_k$, $H_k$ has one row per example. The loss of a batch is the **mean** of the $B$ losses.

# %%
X, labels = lecture.batch(4)
fwd_batch = bp.forward(net, X)
print("X:", X.shape, " A_1:", fwd_batch.a[1].shape, " y_hat:", fwd_batch.y_hat.shape)
print("row 0 of the batch equals the single example's pass:",
      np.allclose(fwd_batch.a[1][0], bp.forward(net, X[0]).a[1]))
print(f"batch loss (mean of 4) = {bp.loss(net, X, labels):.6f}")
print(f"mean of the 4 single losses = {np.mean([bp.loss(net, X[r], int(labels[r])) for r in range(4)]):.6f}")

# %% [markdown]
# ## Play: move the inputs and $W_{111}$
#
# Drag a slider and watch the numbers under each neuron: $a$ is the pre-activation, $h$ the
# activation. The bar chart is $\hat y$; the red bar is the true class $\ell = 3$, and the loss is
# $-\log$ of its height.
#
# * Move $W_{111}$ (the bold line): only $h_{11}$ changes in the first hidden layer, but then
#   *everything* after it changes. That is why the derivative of the loss with respect to one
#   weight has to follow every path from that weight to the output (lesson 04).
# * Move $x_1$ to 0: $W_{111}$ stops mattering, because it multiplies $x_1$. Try it.
# * How low can you get the loss with the sliders? (Not below about 1.10: these weights were never
#   trained for this example, and four sliders cannot make up for that. Setting all the weights from
#   examples is training, which lesson 09 does.)
#
# (If you read this without running it, you see a still image of the starting position.)

# %%
forward_pass.panel()

# %% [markdown]
# The numbers the panel starts from are the lecture example's (the panel calls
# `forward_pass.forward_state`, a plain function you can call too):

# %%
state = forward_pass.forward_state(*x, W_111=net.W[1][0, 0])
print(f"loss at the start = {state['loss']:.6f}")
state0 = forward_pass.forward_state(0.0, x[1], x[2], W_111=net.W[1][0, 0])
state0b = forward_pass.forward_state(0.0, x[1], x[2], W_111=2.5)
print("with x_1 = 0, changing W_111 changes the loss by", abs(state0["loss"] - state0b["loss"]))
low = forward_pass.forward_state(3.0, -2.55, -3.0, W_111=3.0)
print(f"one of the lowest slider positions, x = (3, -2.55, -3), W_111 = 3: loss = {low['loss']:.4f}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and
# if not, which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer
# (try first!).
#
# **Exercise 00.1.** Give the value of the weight $W_{231}$ (layer 2, to neuron 3, from input 1) of `net`.

# %%
ex = checks.get("00.1")
answer = ...        # your code here, for example net.W[?][?, ?]
ex.check(answer)

# %% [markdown]
# **Exercise 00.2.** Using only `h1` ($= h_1$ for the lecture example), `W2` and `b2`, compute the
# pre-activation $a_2$ of the second hidden layer, a vector of shape (3,).

# %%
ex = checks.get("00.2")
h1, W2, b2 = ex.data.h1, ex.data.W2, ex.data.b2
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 00.3** (the batch formula above, in your own code). With 4 examples stored as the
# **rows** of `X` (shape (4, 3)), compute the pre-activations of layer 1 for all of them at once:
# `A1` of shape (4, 3), row $r$ being $a_1$ for example $r$. One line, no loop.

# %%
ex = checks.get("00.3")
X, W1, b1 = ex.data.X, ex.data.W1, ex.data.b1
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 00.4** (not shown above). How many weights and biases does a network with sizes
# $n_0, \dots, n_L$ = `[784, 256, 128, 10]` have? That is the size lesson 09 suggests for MNIST's 28×28
# images. Find the formula in terms of the $n_k$ first (the lecture network's 36 parameters are a check),
# then compute it.

# %%
ex = checks.get("00.4")
sizes = ex.data.sizes
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * $W_{kij}$ is the weight of layer $k$ into neuron $i$ from input $j$: `W[k][i-1, j-1]`.
# * The forward pass: $a_k = b_k + W_k h_{k-1}$, $h_k = g(a_k)$, $\hat y = \mathrm{softmax}(a_L)$,
#   loss $\mathcal{L} = -\log \hat y_\ell$. A batch stores examples as rows and averages the losses.
# * One weight influences the loss through every neuron downstream of it.
#
# **Next: 01 · Derivative as responsibility.** If we nudge $W_{111}$ a tiny bit, by how much does the
# loss move? That ratio is the derivative, and it tells us which weights are most *responsible* for
# the loss.
