# %% [markdown]
# # 03 · A deep, thin network
#
# **What you will learn.** In a network with one neuron per layer, the derivative of the loss with
# respect to a weight is a *product of local derivatives*, one factor per step from the weight to the
# loss. Computing every weight's gradient from scratch repeats the same multiplications again and
# again; keeping what is already computed and reusing it (backward accumulation, the heart of
# backpropagation) turns quadratic work into linear work. You will count both. And because each
# logistic factor is at most $\tfrac14$, the product shrinks fast with depth: the seed of *vanishing
# gradients*.
#
# **Where this sits.** Lesson 01 (*derivative as responsibility*) measured a derivative by nudging a
# weight; lesson 02 (*one weight, one chain*) took one sigmoid neuron and found $\partial \mathcal{L}/\partial w$ by
# the chain rule. Here we stack many such neurons in a chain. Lesson 04 lets a weight reach the loss
# through *many* paths; lesson 11 comes back to the shrinking products.

# %%
import matplotlib.pyplot as plt
import numpy as np

import backprop as bp
from backprop import chain, checks
from backprop.play import thin_chain

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## The chain
#
# One neuron per layer, so each $W_k$ is a $1\times 1$ matrix whose only weight is $W_{k11}$ (for layer 1,
# $W_{111}$, the same name as in the lecture network). With a single input $x = h_0$:
#
# $$a_k = b_k + W_{k11}\, h_{k-1}, \qquad h_k = g(a_k) = \frac{1}{1+e^{-a_k}}, \qquad k = 1, \dots, L .$$
#
# **The loss.** The lecture's softmax needs at least two outputs; this chain ends in one logistic unit
# $h_L \in (0, 1)$. We compare it with a target $y$ by the squared error
#
# $$\mathcal{L} = \tfrac12 (h_L - y)^2, \qquad \frac{\partial \mathcal{L}}{\partial h_L} = h_L - y .$$
#
# It is the simplest loss whose derivative is easy to read, so that everything interesting in this
# lesson happens *inside* the chain. (As always, $\mathcal{L}$ is the loss and plain $L$ the depth.) The biases are 0 here: `chain.forward` accepts them, and they would shift the
# $a_k$, but no bias appears as a factor in the products below.
#
# Our chain: depth $L = 4$, input $x = 1$, target $y = 0$, and these weights:

# %%
w = np.array([1.5, -2.0, 0.8, 1.2])          # W_111, W_211, W_311, W_411
c = chain.forward(w, x=1.0, y=0.0)
for k in range(1, c.L + 1):
    print(f"layer {k}:  W_{k}11 = {c.W(k):+.2f}   a_{k} = {c.a[k]:+.4f}   h_{k} = {c.h[k]:.4f}")
print(f"loss = 1/2 (h_4 - y)^2 = {c.loss:.6f}")

# %% [markdown]
# ## The gradient is a product of local derivatives
#
# $W_{111}$ reaches the loss along one road: $W_{111} \to a_1 \to h_1 \to a_2 \to h_2 \to \dots \to a_L \to h_L \to \mathcal{L}$.
# Each arrow has a *local derivative*, which only needs the numbers at its two ends:
#
# ![The thin chain, every arrow labelled with its local derivative](../figures/03_thin_chain.svg)
#
# * $\partial a_k / \partial h_{k-1} = W_{k11}$ (from $a_k = b_k + W_{k11} h_{k-1}$),
# * $\partial h_k / \partial a_k = g'(a_k) = g(a_k)\,(1 - g(a_k)) = h_k (1 - h_k)$ (the logistic's derivative; lesson 06 derives it),
# * $\partial a_1 / \partial W_{111} = h_0 = x$, and $\partial \mathcal{L} / \partial h_L = h_L - y$.
#
# The chain rule multiplies them, from the loss down to the weight:
#
# $$\frac{\partial \mathcal{L}}{\partial W_{111}} = \frac{\partial \mathcal{L}}{\partial h_L}
# \prod_{k=L}^{2} \left( \frac{\partial h_k}{\partial a_k} \frac{\partial a_k}{\partial h_{k-1}} \right)
# \frac{\partial h_1}{\partial a_1} \frac{\partial a_1}{\partial W_{111}}
# = (h_L - y)\; g'(a_L) W_{L11}\; g'(a_{L-1}) W_{L-1,11} \cdots g'(a_2) W_{211}\; g'(a_1)\; x .$$
#
# Here are the factors of our chain, in that order (`chain.local_factors` lists them):

# %%
factors = chain.local_factors(c, k=1)
product = 1.0
print(f"{'factor':<12} {'equals':<12} {'value':>9}   running product")
for f in factors:
    product *= f.value
    print(f"{f.name:<12} {f.formula:<12} {f.value:>+9.4f}   {product:+.6f}")
print(f"dℒ/dW_111 = {product:+.8f}  ({len(factors)} factors, {len(factors) - 1} multiplications)")

# %% [markdown]
# ### Check: the product against central differences
#
# Lesson 01's nudge, made symmetric: $\partial \mathcal{L}/\partial W_{111} \approx \big(\mathcal{L}(W_{111}+\delta) - \mathcal{L}(W_{111}-\delta)\big)/2\delta$
# (`bp.numerical_gradient`, with $\delta = 10^{-6}$, for all four weights at once).

# %%
numeric = bp.numerical_gradient(lambda v: chain.loss(v, x=1.0, y=0.0), w.copy())
print(f"chain rule        dℒ/dW_111 = {product:+.10f}")
print(f"central diff.     dℒ/dW_111 = {numeric[0]:+.10f}")
print(f"relative error {bp.relative_error(product, numeric[0]):.1e}")
assert bp.relative_error(product, numeric[0]) < 1e-6

# %% [markdown]
# ## Every weight's gradient, twice
#
# For the weight of layer $k$ the road is shorter: it starts at $a_k$.
#
# $$\frac{\partial \mathcal{L}}{\partial W_{k11}} = (h_L - y)\; g'(a_L) W_{L11} \cdots g'(a_{k+1}) W_{k+1,11}\; g'(a_k)\; h_{k-1} .$$
#
# **Naively**, we compute each of the $L$ gradients from scratch: for weight $k$ we multiply all of its
# factors anew. But look at the formulas for $k$ and $k-1$: they share every factor down to $g'(a_k)$.
# Call that shared part
#
# $$\delta_k = \frac{\partial \mathcal{L}}{\partial a_k} = (h_L - y)\; g'(a_L) W_{L11} \cdots W_{k+1,11}\; g'(a_k).$$
#
# Then
#
# $$\delta_L = (h_L - y)\, g'(a_L), \qquad \delta_{k-1} = \delta_k\, W_{k11}\, g'(a_{k-1}), \qquad
# \frac{\partial \mathcal{L}}{\partial W_{k11}} = \delta_k\, h_{k-1} .$$
#
# **Reusing** $\delta_k$, we walk down the chain *once*, from the loss to the input. That is backward
# accumulation; lessons 05–08 write $\delta_k$ as $\nabla_{a_k} \mathcal{L}$, `grad_a[k]`. (This $\delta_k$ is a
# gradient, not lesson 01's nudge $\delta$: the subscript tells them apart.) Both methods count their multiplications:

# %%
g_naive, n_naive = chain.naive_gradients(c)
g_reuse, n_reuse, delta = chain.reuse_gradients(c)
for k in range(1, c.L + 1):
    print(f"dℒ/dW_{k}11:  naive {g_naive[k - 1]:+.8f}   reuse {g_reuse[k - 1]:+.8f}   delta_{k} = dℒ/da_{k} = {delta[k]:+.6f}")
print(f"multiplications for all {c.L} gradients: naive {n_naive}, reuse {n_reuse}")

# %% [markdown]
# ### Check: every weight's gradient against central differences

# %%
err = bp.relative_error(g_reuse, numeric)
for k in range(1, c.L + 1):
    print(f"W_{k}11:  reuse {g_reuse[k - 1]:+.10f}   central diff. {numeric[k - 1]:+.10f}   rel. error {err[k - 1]:.1e}")
print(f"largest relative error {err.max():.1e}; naive and reuse differ by at most {np.max(np.abs(g_naive - g_reuse)):.1e}")
assert err.max() < 1e-6 and np.allclose(g_naive, g_reuse, rtol=1e-12, atol=0)

# %% [markdown]
# ## Counting the work
#
# **Naive.** Weight $k$ has $1$ factor $(h_L - y)$, $L-k+1$ factors $g'(a_m)$ ($m = L..k$), $L-k$ factors
# $W_{m11}$ ($m = L..k+1$) and the factor $h_{k-1}$: that is $2(L-k)+3$ factors, so $2(L-k)+2$
# multiplications. Adding up over $k = 1..L$ (put $j = L-k$):
#
# $$N_{\text{naive}}(L) = \sum_{j=0}^{L-1} (2j+2) = L(L-1) + 2L = L(L+1) \qquad \text{(quadratic)}.$$
#
# **Reuse.** $\delta_L$ takes 1 multiplication, each of $\delta_{L-1}, \dots, \delta_1$ takes 2, and each
# gradient $\delta_k h_{k-1}$ one more:
#
# $$N_{\text{reuse}}(L) = 1 + 2(L-1) + L = 3L - 1 \qquad \text{(linear)}.$$
#
# The library *counts* the multiplications that each method actually does; the closed forms must agree,
# for every depth from 1 to 50:

# %%
depths = list(range(1, 51))
counted = chain.counts(depths)
closed_naive = np.array([L * (L + 1) for L in depths])
closed_reuse = np.array([3 * L - 1 for L in depths])
assert np.array_equal(counted["naive"], closed_naive) and np.array_equal(counted["reuse"], closed_reuse)
print("counted == closed form for every depth 1..50: naive L(L+1), reuse 3L-1")
print(f"{'L':>3} {'naive':>7} {'reuse':>6} {'naive/reuse':>12}")
for L in (1, 2, 4, 10, 20, 50):
    n, r = counted["naive"][L - 1], counted["reuse"][L - 1]
    print(f"{L:>3} {n:>7} {r:>6} {n / r:>12.1f}")

# %%
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.plot(counted["L"], counted["naive"], "o", ms=3, color="#d62728", label="naive, counted")
ax.plot(counted["L"], closed_naive, "-", lw=1, color="#d62728", alpha=0.6, label="L(L+1)")
ax.plot(counted["L"], counted["reuse"], "o", ms=3, color="#1f77b4", label="reuse, counted")
ax.plot(counted["L"], closed_reuse, "-", lw=1, color="#1f77b4", alpha=0.6, label="3L − 1")
ax.set_xlabel("depth L")
ax.set_ylabel("multiplications for all L gradients")
ax.set_title("Recomputing from scratch is quadratic; reusing δ is linear")
ax.legend()
plt.show()

# %% [markdown]
# At depth 50 the naive method does 2550 multiplications and reuse does 149, about 17 times fewer, and the
# gap grows with $L$. A real network has many weights per layer, and the saving is the same in kind:
# lesson 08 shows that backpropagation costs about as much as a forward pass.
#
# ## The product shrinks: the seed of vanishing gradients
#
# The logistic's derivative $g'(a) = g(a)(1-g(a))$ is a product $p(1-p)$ with $p \in (0, 1)$, which is
# largest at $p = \tfrac12$: $g'(a) \le \tfrac14$, with equality only at $a = 0$. So
#
# $$\left|\prod_{k=1}^{L} g'(a_k)\right| \le 4^{-L}, \qquad
# \left|\frac{\partial \mathcal{L}}{\partial W_{111}}\right| \le |h_L - y|\; |x|\; 4^{-L} \prod_{k=2}^{L} |W_{k11}| .$$
#
# With weights of size about 1, the gradient of the *first* weight falls by a factor of at least 4 with every
# layer. Here are the chains of depth $d = 1..30$ with every weight 1 (each chain is the first $d$ layers of
# a long one):

# %%
sp = chain.sigma_prime_products(np.ones(30), x=1.0, y=0.0)
assert np.all(sp["sigma"] <= sp["bound"]) and np.all(sp["chain"] <= sp["weights_bound"])
for d in (1, 5, 10, 20, 30):
    print(f"depth {d:>2}: product of g'(a_k) = {sp['sigma'][d - 1]:.3e}   bound 4^-{d} = {sp['bound'][d - 1]:.3e}")

# %%
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogy(sp["d"], sp["sigma"], "o-", ms=3, label="∏ g'(aₖ), all weights 1")
ax.semilogy(sp["d"], sp["bound"], "--", color="0.4", label="bound 4⁻ᴸ")
sp3 = chain.sigma_prime_products(np.full(30, 3.0), x=1.0, y=0.0)
ax.semilogy(sp3["d"], sp3["chain"], "s-", ms=3, label="|∏ g'(aₖ) ∏ Wₖ₁₁|, all weights 3")
ax.semilogy(sp3["d"], sp3["weights_bound"], ":", color="#2ca02c", label="bound 4⁻ᴸ · 3ᴸ⁻¹")
ax.set_xlabel("depth L")
ax.set_ylabel("size of the product (log scale)")
ax.set_title("Products of logistic derivatives vanish with depth")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Larger weights lift the bound ($3/4$ per layer instead of $1/4$ with all weights 3), but they also push
# the $a_k$ away from 0, where $g'$ is far below $\tfrac14$: the orange squares fall even faster than the plain chain.
# A deep chain of logistic units learns its first layers very slowly, because their gradients are tiny.
# Lesson 11 measures this in full networks and shows what helps (other activations, careful initialisation).

# %% [markdown]
# ## Play: depth and weights of the chain
#
# The left chart shows the size of every local factor: orange $g'(a_k)$ (never above the dashed line at
# $\tfrac14$), blue $|W_{k11}|$, grey $|\partial \mathcal{L}/\partial h_L|$. The right chart shows
# $|\partial \mathcal{L}/\partial W_{k11}|$ for every weight, on a log scale; the number on each bar is the gradient
# with its sign. The gradient of weight $k$ multiplies the orange bars of layers $k..L$, the blue bars of layers
# $k+1..L$, the grey bar, and $h_{k-1}$ (so $W_{111}$ itself, which no product contains, has no blue bar).
#
# * **L** sets the depth (1 to 8). Add layers: the left-most green bar, $\partial \mathcal{L}/\partial W_{111}$, drops
#   by roughly a factor of 4 or more per layer, while the last weight's gradient hardly changes.
# * **W₁₁₁** is the first weight. Move it far from 0: $a_1$ grows, $g'(a_1)$ shrinks, and *only* the first
#   layer's factor moves much; every weight's gradient changes through $h_1$.
# * **Wₖ₁₁, k≥2** sets all the other weights to one value. Try 4: the blue bars now beat $\tfrac14$, but the
#   orange ones collapse (the $a_k$ are far from 0) and $\partial \mathcal{L}/\partial W_{111}$ is even smaller than with 1.
#   Now try $-4$: the $h_k$ stay small, so the $a_k = W_{k11} h_{k-1}$ stay moderate and $g'(a_k)$ stays not far
#   below $\tfrac14$ (the cell after the panel prints $a_8$ and $g'(a_8)$); the gradients shrink far less with depth. Big weights do not simply cure vanishing gradients (lesson 11).
# * **x** is the input. At $x = 0$ the first weight's gradient is exactly 0: its last factor is $h_0 = x$.
#
# The readout also counts the multiplications of both methods for the current depth.

# %%
thin_chain.panel()

# %% [markdown]
# The panel calls `thin_chain.chain_state(L, W_111, W_rest, x)`, a plain function. Its starting position,
# and depth 8 with the other weights at 1, 4 and −4:

# %%
state = thin_chain.chain_state(4, 1.0, 1.0, 1.0)
print("dℒ/dW_k11 for k = 1..4:", state["grads"])
print(f"multiplications: naive {state['n_naive']}, reuse {state['n_reuse']}")
for W_rest in (1.0, 4.0, -4.0):
    s8 = thin_chain.chain_state(8, 1.0, W_rest, 1.0)
    print(f"L = 8, W_k11 = {W_rest:+.0f} (k>=2): a_8 = {s8['chain'].a[8]:+.2f}, g'(a_8) = {s8['g_prime'][-1]:.3f}, "
          f"dℒ/dW_111 = {s8['grads'][0]:+.1e}, dℒ/dW_811 = {s8['grads'][-1]:+.1e}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right and, if not,
# which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer.
#
# **Exercise 03.1.** A chain of depth $L = 5$ has been run forward (`a[k]`, `h[k]`, `W[k]` for $k = 1..5$,
# indexed like the lecture) and the backward pass has stored `delta4` $= \delta_4 = \partial \mathcal{L}/\partial a_4$.
# Reuse it to compute $\partial \mathcal{L}/\partial W_{311}$ with as few multiplications as you can.
# `g_prime(a)` is the logistic's derivative.

# %%
ex = checks.get("03.1")
a, h, W, delta4, g_prime = ex.data.a, ex.data.h, ex.data.W, ex.data.delta4, ex.data.g_prime
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 03.2** (not shown above). The biases: $a_k = b_k + W_{k11} h_{k-1}$, so
# $\partial a_k / \partial b_k = 1$. If the naive method computes every $\partial \mathcal{L}/\partial b_k$ from scratch
# (and does not multiply by 1), how many multiplications does it need in all, for depth $L$? Derive a
# closed form, then give the counts for the depths in `Ls` as an array.

# %%
ex = checks.get("03.2")
Ls = ex.data.Ls
answer = ...        # your code here, e.g. an expression in Ls
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * In a chain, $\partial \mathcal{L}/\partial W_{k11}$ is the product of the local derivatives on the road from the
#   weight to the loss: $W_{m11}$ for every $a_m \leftarrow h_{m-1}$ step, $g'(a_m)$ for every $h_m \leftarrow a_m$
#   step, $h_L - y$ at the loss and $h_{k-1}$ at the weight.
# * The gradients of different weights share a long tail, $\delta_k = \partial \mathcal{L}/\partial a_k$. Reusing it
#   ($\delta_{k-1} = \delta_k W_{k11} g'(a_{k-1})$) costs $3L-1$ multiplications for all $L$ gradients; starting
#   from scratch each time costs $L(L+1)$.
# * $g' \le \tfrac14$ for the logistic, so the product shrinks like $4^{-L}$ times the weights: the gradients of
#   the first layers of a deep logistic chain vanish.
#
# **Next: 04 · Many paths.** In the lecture's network a weight reaches the loss along *many* roads at once.
# The chain rule then adds up one product per road, and counting those roads shows why reusing
# $\delta$ matters even more there.
