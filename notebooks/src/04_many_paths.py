# %% [markdown]
# # 04 · Many paths
#
# **What you will learn.** In the lecture's network a weight reaches the loss along *several* roads at once.
# The multivariable chain rule says: follow every road, multiply the local derivatives along each one (as in
# lesson 03), and **add** the products. You will list every path from $W_{111}$ to the loss, print each path's
# contribution, and see their sum agree with the library's backward pass and with central differences. Then
# you will count the paths and see why listing them explodes with depth, while reusing shared parts does not.
#
# **Where this sits.** Lesson 01 (*derivative as responsibility*) measured $\partial \mathcal{L}/\partial W_{111}$ by nudging it;
# lesson 02 (*one weight, one chain*) computed it for one neuron by the chain rule; lesson 03 (*a deep, thin
# network*) multiplied local derivatives down a chain with one neuron per layer and reused the shared tail
# $\delta_k = \partial \mathcal{L}/\partial a_k$. Here the layers are 3 wide. Lesson 05 derives the last factor that we take as
# given here, $\partial \mathcal{L}/\partial a_3 = \hat y - e(\ell)$.

# %%
import itertools

import matplotlib.pyplot as plt
import numpy as np

import backprop as bp
from backprop import checks, lecture, paths
from backprop.play import many_paths

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## The multivariable chain rule
#
# If the loss depends on $u$ only through the numbers $v_1, \dots, v_n$, and each $v_m$ depends on $u$, then
# a small change $\Delta u$ moves every $v_m$ by about $\frac{\partial v_m}{\partial u}\Delta u$, and the loss adds up
# their effects:
#
# $$\frac{\partial \mathcal{L}}{\partial u} = \sum_{m=1}^{n} \frac{\partial \mathcal{L}}{\partial v_m}\,\frac{\partial v_m}{\partial u}.$$
#
# Applied again to each $\partial \mathcal{L}/\partial v_m$, this becomes a sum over *paths*: one product of local
# derivatives for every road from $u$ to the loss.
#
# ## The roads from $W_{111}$ in the lecture network
#
# The network of lesson 00: inputs $x_1, x_2, x_3$, two hidden layers of three logistic neurons, a softmax
# output over three classes, cross-entropy loss $-\log \hat y_\ell$. Follow $W_{111}$ forward:
#
# 1. $W_{111}$ appears only in $a_{11} = b_{11} + W_{111} x_1 + W_{112} x_2 + W_{113} x_3$: $\;\partial a_{11}/\partial W_{111} = x_1$.
# 2. $h_{11} = g(a_{11})$: $\;\partial h_{11}/\partial a_{11} = g'(a_{11})$.
# 3. $h_{11}$ feeds **every** neuron of layer 2, $a_{2m} = b_{2m} + \sum_j W_{2mj} h_{1j}$: $\;\partial a_{2m}/\partial h_{11} = W_{2m1}$, for $m = 1, 2, 3$.
# 4. $h_{2m} = g(a_{2m})$: $\;\partial h_{2m}/\partial a_{2m} = g'(a_{2m})$.
# 5. $h_{2m}$ feeds **every** output pre-activation $a_{3c}$: $\;\partial a_{3c}/\partial h_{2m} = W_{3cm}$, for $c = 1, 2, 3$.
# 6. The loss depends on every $a_{3c}$ (through the softmax): $\;\partial \mathcal{L}/\partial a_{3c} = \hat y_c - e(\ell)_c$.
#
# A path chooses one $m$ in step 3 and one $c$ in step 5, so there are $3 \cdot 3 = 9$ paths, and
#
# $$\frac{\partial \mathcal{L}}{\partial W_{111}} = \sum_{m=1}^{3} \sum_{c=1}^{3}
# \underbrace{x_1\; g'(a_{11})\; W_{2m1}\; g'(a_{2m})\; W_{3cm}\; (\hat y_c - e(\ell)_c)}_{\text{the path } W_{111} \to a_{11} \to h_{11} \to a_{2m} \to h_{2m} \to a_{3c} \to \mathcal{L}}.$$
#
# ![The lecture network with the 9 paths from W_111 to the loss drawn black, W_111 itself red](../figures/04_paths_W111.svg)
#
# **What we assume.** Step 6 is the one factor we do not derive here: $\partial \mathcal{L}/\partial a_3 = \hat y - e(\ell)$ is the
# fused gradient of softmax and cross-entropy, derived in lesson 05. (Between $a_{3c}$ and the loss there are more
# roads, through every $\hat y_{c'}$; lesson 05 adds them up.) We do not take it on faith: central differences on
# $a_3$ agree.

# %%
net = lecture.network()
x, label = lecture.example()
fwd = bp.forward(net, x)
grad_a3 = fwd.y_hat - bp.one_hot(label, 3)
numeric_a3 = bp.numerical_gradient(lambda a3: bp.cross_entropy(a3, label), fwd.a[3].copy())
print("y_hat - e(l)        =", grad_a3)
print("central differences =", numeric_a3)
print(f"largest difference {np.max(np.abs(grad_a3 - numeric_a3)):.1e}")
assert np.allclose(grad_a3, numeric_a3, atol=1e-8)

# %% [markdown]
# ## Every path, with its product
#
# `paths.enumerate_paths(net, x, label, k, i, j)` walks every road from $W_{kij}$ to the loss and keeps each
# local derivative. For $W_{111}$, each row below is one path (named by the neurons it visits after $a_{11}$), its
# six factors in the lecture's symbols, and their product:

# %%
ps = paths.enumerate_paths(net, x, label, 1, 1, 1)
print("the first path's factors:", " · ".join(f.formula for f in ps[0].factors))
print()
print(f"{'path':<14} {'x_1':>6} {'g′(a_11)':>9} {'W_2m1':>6} {'g′(a_2m)':>9} {'W_3cm':>6} {'ŷ_c−e(ℓ)_c':>11} {'product':>10}")
for p in ps:
    v = [f.value for f in p.factors]
    print(f"{p.label():<14} {v[0]:>+6.2f} {v[1]:>9.4f} {v[2]:>+6.2f} {v[3]:>9.4f} {v[4]:>+6.2f} {v[5]:>+11.4f} {p.contribution:>+10.6f}")
total = sum(p.contribution for p in ps)
print(f"{'sum of the ' + str(len(ps)) + ' paths':<67} {total:>+10.6f}")

# %% [markdown]
# The columns are the six local derivatives of steps 1–6 ($g'$ columns: the logistic's derivative at $a_{11}$ and
# $a_{2m}$). Some paths push the loss up, some down; the gradient is what is left after they are added up.
#
# ### Check: the sum over paths, the library's backward pass, central differences
#
# The library's backward pass (lessons 05–08) never lists paths; it multiplies matrices. Central differences
# nudge $W_{111}$ itself. All three must agree:

# %%
library = bp.gradients(net, x, label).grad_W[1][0, 0]
numeric = bp.numerical_gradient(lambda W1: bp.loss(bp.Network([None, W1, net.W[2], net.W[3]], net.b), x, label),
                                net.W[1].copy())[0, 0]
print(f"sum over the 9 paths     {total:+.10f}")
print(f"library grad_W[1][0, 0]  {library:+.10f}")
print(f"central differences      {numeric:+.10f}")
print(f"relative errors: paths vs library {bp.relative_error(total, library):.1e}, paths vs central diff. "
      f"{bp.relative_error(total, numeric):.1e}")
assert bp.relative_error(total, library) < 1e-12 and bp.relative_error(total, numeric) < 1e-6

# %% [markdown]
# The same holds for **every** weight. A weight of layer 2 has fewer roads (it feeds one $a_{2i}$, then every
# $a_{3c}$: 3 paths) and a weight of layer 3 only one:

# %%
worst = 0.0
grads = bp.gradients(net, x, label)
for k in (1, 2, 3):
    for i, j in itertools.product((1, 2, 3), repeat=2):
        worst = max(worst, bp.relative_error(paths.path_sum(net, x, label, k, i, j), grads.grad_W[k][i - 1, j - 1]))
print(f"all 27 weights: sum over paths vs library, largest relative error {worst:.1e}")
for k in (1, 2, 3):
    n = len(paths.enumerate_paths(net, x, label, k, 1, 1))
    print(f"a weight of layer {k}: {n} path{'s' if n > 1 else ''} "
          f"(path_count = {paths.path_count(net.sizes, k)})")
assert worst < 1e-10

# %% [markdown]
# ## Counting paths: why listing them explodes
#
# A path from a weight of layer $k$ chooses one neuron in each later layer $k+1, \dots, L$, so there are
#
# $$N_{\text{paths}}(k) = n_{k+1}\, n_{k+2} \cdots n_L$$
#
# of them (9 for a weight of layer 1 here). In a network of width 3 and depth $L$, a weight of layer 1 has
# $3^{L-1}$ paths, each a product of $2L$ factors ($2L-1$ multiplications). Every time we add a layer, the list
# triples. Below, deeper networks of width 3 are built and their paths listed, for depths where that is still
# quick, to check the count:

# %%
print(f"{'depth L':>7} {'paths from W_111':>17} {'listed':>7} {'multiplications to list them':>29}")
for L in range(2, 13):
    sizes = [3] * (L + 1)
    n = paths.path_count(sizes, 1)
    listed = ""
    if L <= 6:
        deep = bp.Network.init(sizes, seed=L)
        listed = len(paths.enumerate_paths(deep, x, label, 1, 1, 1))
        assert listed == n == 3 ** (L - 1)
    print(f"{L:>7} {n:>17} {listed!s:>7} {paths.enumeration_multiplications(sizes, 1):>29}")

# %% [markdown]
# At depth 12 one weight already has 177147 paths. Yet most of the work is shared, exactly as in lesson 03. Look
# at the sum again and pull out what does not depend on the path:
#
# $$\frac{\partial \mathcal{L}}{\partial W_{111}} = x_1\, g'(a_{11}) \sum_{m} W_{2m1}\,
# \underbrace{g'(a_{2m}) \underbrace{\sum_{c} W_{3cm}\,(\hat y_c - e(\ell)_c)}_{\partial \mathcal{L}/\partial h_{2m}}}_{\partial \mathcal{L}/\partial a_{2m}} .$$
#
# The inner sums, $\partial \mathcal{L}/\partial h_{2m}$ and $\partial \mathcal{L}/\partial a_{2m}$, are the same for **every** weight of layers 1
# and 2. Compute them once per layer (the library's `grad_h[2]` and `grad_a[2]`), and each layer costs the same
# work however deep the network is: linear in depth, not exponential. That reuse is backpropagation; lessons 05–07
# derive each of its lines.

# %%
g = bp.logistic_prime
grad_h2 = np.array([sum(net.W[3][c, m] * grad_a3[c] for c in range(3)) for m in range(3)])
grad_a2 = grad_h2 * g(fwd.a[2])
factored = x[0] * g(fwd.a[1])[0] * sum(net.W[2][m, 0] * grad_a2[m] for m in range(3))
print("dℒ/dh_2 (inner sums) =", grad_h2, "  library grad_h[2] =", grads.grad_h[2])
print("dℒ/da_2              =", grad_a2, "  library grad_a[2] =", grads.grad_a[2])
print(f"dℒ/dW_111 from the shared sums: {factored:+.10f}  (sum over paths {total:+.10f})")
assert np.allclose(grad_h2, grads.grad_h[2]) and np.allclose(grad_a2, grads.grad_a[2]) and np.isclose(factored, total)

# %% [markdown]
# ## Play: one weight, all its paths
#
# * **weight** chooses any weight $W_{1ij}$ or $W_{2ij}$. On the network it is drawn red, and every edge on one of
#   its paths black. Each bar on the right is one path's product (red: positive, so along that path raising the
#   weight raises the loss; blue: negative); the black bar is their sum, the gradient. A hatched bar is longer than the
#   axis shows (the readout has its value). The readout prints every path's value, the sum, and the library's backward pass.
# * **Δ weight** adds a shift to the chosen weight's value in the lecture network.
#
# Things to try: compare $W_{111}$ (9 paths) with $W_{211}$ (3 paths). For $W_{111}$, find the path with the
# largest bar and read its neurons: does it go through the output of the true class, $a_{33}$? Move Δ weight for
# $W_{111}$ far to the right: $a_{11}$ grows, $g'(a_{11})$ shrinks, and **every** bar shrinks together, because all
# 9 paths share the factor $g'(a_{11})$. And the sum always equals the library's gradient.

# %%
many_paths.panel()

# %% [markdown]
# The panel calls `many_paths.paths_state(weight, shift)`, a plain function. At its start, and with
# $W_{111}$ shifted by +3:

# %%
for shift in (0.0, 3.0):
    s = many_paths.paths_state("W_111", shift)
    top = max(s["paths"], key=lambda p: abs(p.contribution))
    print(f"shift {shift:+.0f}: W_111 = {s['value']:+.2f}, sum over paths {s['sum']:+.6f}, library {s['grad']:+.6f}, "
          f"largest path {top.label()} ({top.contribution:+.6f})")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell. `ex.hint()` gives a nudge; `ex.solution()` shows the answer.
#
# **Exercise 04.1.** For the lecture network and example, compute $\partial \mathcal{L}/\partial W_{132}$ as a sum over every path
# from $W_{132}$ to the loss. You have `x`, `a1`, `a2`, `W2`, `W3`, the logistic's derivative `g_prime` and
# `grad_a3` $= \partial \mathcal{L}/\partial a_3 = \hat y - e(\ell)$. (Python counts from 0: $W_{2m3}$ is `W2[m-1, 2]`.)

# %%
ex = checks.get("04.1")
x, a1, a2, W2, W3, g_prime, grad_a3 = (ex.data.x, ex.data.a1, ex.data.a2, ex.data.W2, ex.data.W3,
                                       ex.data.g_prime, ex.data.grad_a3)
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 04.2.** A network has layer sizes `sizes` $= [n_0, n_1, n_2, n_3, n_4] = [4, 5, 3, 6, 2]$. How many paths lead
# from one weight of layer 1 to the loss (ending at the output pre-activations $a_{4c}$)?

# %%
ex = checks.get("04.2")
sizes = ex.data.sizes
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 04.3** (not shown above). The input has a gradient too. Compute $\partial \mathcal{L}/\partial x_1$ for the lecture
# network and example as a sum over paths. $x_1$ feeds *every* $a_{1i}$ (through $W_{1i1}$), so now the paths
# choose a neuron in layer 1 as well. How many paths are there? You have `W1` as well.

# %%
ex = checks.get("04.3")
x, a1, a2, W1, W2, W3, g_prime, grad_a3 = (ex.data.x, ex.data.a1, ex.data.a2, ex.data.W1, ex.data.W2, ex.data.W3,
                                           ex.data.g_prime, ex.data.grad_a3)
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * When a weight reaches the loss along several paths, its derivative is the **sum over paths** of the product of
#   the local derivatives along each path (the multivariable chain rule).
# * $\partial \mathcal{L}/\partial W_{111}$ in the lecture network is a sum of $3 \cdot 3 = 9$ products of six factors:
#   $x_1\, g'(a_{11})\, W_{2m1}\, g'(a_{2m})\, W_{3cm}\, (\hat y_c - e(\ell)_c)$. It equals the library's backward pass and
#   central differences.
# * A weight of layer $k$ has $n_{k+1} \cdots n_L$ paths: exponential in depth. The paths share their tails,
#   $\partial \mathcal{L}/\partial a_{k}$; computing those once per layer (backpropagation) makes the work linear in depth.
#
# **Next: 05 · Talking to the output layer.** The one factor we took as given, $\partial \mathcal{L}/\partial a_L = \hat y - e(\ell)$:
# the softmax, the cross-entropy, and how the roads through every $\hat y_c$ add up to this short formula.
