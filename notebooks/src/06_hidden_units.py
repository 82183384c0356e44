# %% [markdown]
# # 06 · Talking to the hidden units
#
# **What you will learn.** How the gradient travels from one layer to the layer before it. Two
# short formulas do it, and repeated layer after layer they *are* backpropagation for the hidden units:
#
# $$\nabla_{h_{k-1}} \mathcal{L} = W_k^\top\, \nabla_{a_k} \mathcal{L}, \qquad \nabla_{a_k} \mathcal{L} = \nabla_{h_k} \mathcal{L} \odot g'(a_k).$$
#
# You will derive both, check them on the lecture network against central differences and autograd,
# derive $g'$ for the logistic, tanh and ReLU, and see the classic bug — $g'$ applied to $h$ instead
# of $a$ — caught by a gradient check.
#
# **Where this sits.** Lesson 04 (*many paths*) showed that a quantity which reaches the loss along
# several paths gets the **sum** of the paths' contributions. Lesson 05 (*talking to the output
# layer*) gave the start of every backward pass, $\nabla_{a_L} \mathcal{L} = -(e(\ell) - \hat y)$. Here we take
# that gradient one layer back, then another. Lesson 07 turns the $\nabla_{a_k} \mathcal{L}$ computed here into
# the gradients of the weights and biases.

# %%
import autograd
import autograd.numpy as anp
import matplotlib.pyplot as plt
import numpy as np

import backprop as bp
from backprop import checks, hidden_units, lecture
from backprop.play import hidden_units as play_hidden

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## From the sum over paths to $W_k^\top$
#
# Take one hidden unit, $h_{k-1,j}$. It feeds **every** neuron of layer $k$: neuron $i$ receives it
# with the weight $W_{kij}$, in
#
# $$a_{ki} = b_{ki} + \sum_{j'} W_{kij'}\, h_{k-1,j'}, \qquad\text{so}\qquad \frac{\partial a_{ki}}{\partial h_{k-1,j}} = W_{kij}.$$
#
# So $h_{k-1,j}$ reaches the loss along $n_k$ paths, one through each $a_{ki}$. In the lecture
# network, $h_{21}$ reaches the loss through $a_{31}, a_{32}, a_{33}$:
#
# ![The three paths from h_21 into the output layer, with the weights W_311, W_321, W_331](../figures/06_paths.svg)
#
# Lesson 04's rule: add the contributions of all paths, each being the product of the local
# derivatives along it,
#
# $$\frac{\partial \mathcal{L}}{\partial h_{k-1,j}} = \sum_{i=1}^{n_k} \frac{\partial \mathcal{L}}{\partial a_{ki}}\,\frac{\partial a_{ki}}{\partial h_{k-1,j}} = \sum_{i=1}^{n_k} W_{kij}\, \big(\nabla_{a_k} \mathcal{L}\big)_i .$$
#
# The sum runs over the first index $i$ of $W_{kij}$ with $j$ fixed: it walks down **column** $j$ of
# $W_k$. A matrix-vector product $W_k v$ walks along *rows* ($\sum_j W_{kij} v_j$); walking along
# columns is the product with the **transpose**, $(W_k^\top v)_j = \sum_i W_{kij} v_i$. For all $j$ at once:
#
# $$\boxed{\nabla_{h_{k-1}} \mathcal{L} = W_k^\top\, \nabla_{a_k} \mathcal{L}.}$$
#
# The forward pass sends $h_{k-1}$ through $W_k$; the backward pass sends the gradient back through
# $W_k^\top$, along the same wires in the other direction.
#
# ### In code, on the lecture network
#
# Start from lesson 05's gradient at the output, $\nabla_{a_3} \mathcal{L}$, and go back to $h_2$: once with the
# paths written as loops (`hidden_units.grad_h_prev_by_paths`), once with the transpose
# (`hidden_units.grad_h_prev`).

# %%
net = lecture.network()
x, label = lecture.example()
fwd = bp.forward(net, x)
grad_a3 = bp.cross_entropy_grad(fwd.a[3], label)          # lesson 05: -(e(ℓ) - y_hat)
print("grad_a_3 =", grad_a3)
print("W_3 =\n", net.W[3])
grad_h2_paths = hidden_units.grad_h_prev_by_paths(net.W[3], grad_a3)
grad_h2 = hidden_units.grad_h_prev(net.W[3], grad_a3)
print("sum over paths, loops:", grad_h2_paths)
print("W_3^T grad_a_3       :", grad_h2)
print(f"dℒ/dh_21 = W_311 ({grad_a3[0]:.4f}) + W_321 ({grad_a3[1]:.4f}) + W_331 ({grad_a3[2]:.4f})"
      f" = {net.W[3][0, 0]} ({grad_a3[0]:.4f}) + {net.W[3][1, 0]} ({grad_a3[1]:.4f}) + {net.W[3][2, 0]} ({grad_a3[2]:.4f})"
      f" = {grad_h2[0]:.6f}")
assert np.allclose(grad_h2_paths, grad_h2)

# %% [markdown]
# ### Check: central differences and autograd
#
# Treat the loss as a function of $h_2$ alone: nudge one $h_{2j}$, run the rest of the forward pass
# (`hidden_units.loss_from_h`), and see how the loss moves. For autograd, the rest of the forward pass
# is written again below in autograd's numpy (its own logistic and log-softmax, so nothing of the
# library is reused).

# %%
def g_autograd(a):
    return 0.5 * (anp.tanh(0.5 * a) + 1.0)          # the logistic, written another way


def loss_after(v, k, start, label):
    """Autograd's version of the loss as a function of h_k (start='h') or of a_k (start='a')."""
    h = g_autograd(v) if start == "a" and k < net.L else v
    a = v if start == "a" and k == net.L else None
    for j in range(k + 1, net.L + 1):
        a = anp.dot(net.W[j], h) + net.b[j]
        h = g_autograd(a)
    m = anp.max(a)
    return -(a[label] - m - anp.log(anp.sum(anp.exp(a - m))))


fd = bp.numerical_gradient(lambda h: hidden_units.loss_from_h(net, 2, h, label), fwd.h[2].copy())
ag = autograd.grad(loss_after)(fwd.h[2], 2, "h", label)
print("central differences:", fd)
print("autograd           :", ag)
err = max(np.max(bp.relative_error(grad_h2, fd)), np.max(bp.relative_error(grad_h2, ag)))
print(f"W_3^T grad_a_3 vs both: largest relative error {err:.1e}")
assert err < 1e-7

# %% [markdown]
# And the tempting wrong version, $W_3\, \nabla_{a_3} \mathcal{L}$ (rows instead of columns), is not the gradient:

# %%
wrong = net.W[3] @ grad_a3
print("W_3 grad_a_3 (wrong):", wrong, f"  largest relative error {np.max(bp.relative_error(wrong, fd)):.2f}")

# %% [markdown]
# ## Through the activation: $\nabla_{a_k} \mathcal{L} = \nabla_{h_k} \mathcal{L} \odot g'(a_k)$
#
# Now from $h_k$ to $a_k$. Each $h_{kj} = g(a_{kj})$ depends on its **own** pre-activation only: one
# path, with local derivative $g'(a_{kj})$, and no sum:
#
# $$\frac{\partial \mathcal{L}}{\partial a_{kj}} = \frac{\partial \mathcal{L}}{\partial h_{kj}}\, g'(a_{kj}),
# \qquad\text{for all } j:\qquad \boxed{\nabla_{a_k} \mathcal{L} = \nabla_{h_k} \mathcal{L} \odot g'(a_k),}$$
#
# where $\odot$ multiplies entry by entry (`*` in numpy). Then the first formula takes us from $a_k$
# to $h_{k-1}$, and so on down to layer 1: `hidden_units.grad_a` and `grad_h_prev`, alternately.

# %%
grad_a2 = hidden_units.grad_a(grad_h2, fwd.a[2], "logistic")
grad_h1 = hidden_units.grad_h_prev(net.W[2], grad_a2)
grad_a1 = hidden_units.grad_a(grad_h1, fwd.a[1], "logistic")
ours = {1: grad_a1, 2: grad_a2}
for k in (2, 1):
    print(f"grad_a_{k} =", ours[k])

# %% [markdown]
# **Check**, for $k = 2$ and $k = 1$: central differences on the loss as a function of $a_k$
# (`hidden_units.loss_from_a`), autograd, and the library's full backward pass `bp.gradients`.

# %%
lib = bp.gradients(net, x, label)
for k in (2, 1):
    fd = bp.numerical_gradient(lambda a: hidden_units.loss_from_a(net, k, a, label), fwd.a[k].copy())
    ag = autograd.grad(loss_after)(fwd.a[k], k, "a", label)
    e_fd = np.max(bp.relative_error(ours[k], fd))
    e_ag = np.max(bp.relative_error(ours[k], ag))
    e_lib = np.max(bp.relative_error(ours[k], lib.grad_a[k]))
    print(f"grad_a_{k}: vs central differences {e_fd:.1e}, vs autograd {e_ag:.1e}, vs bp.gradients {e_lib:.1e}")
    assert e_fd < 1e-6 and e_ag < 1e-12 and e_lib < 1e-12

# %% [markdown]
# ## The derivatives of the activations
#
# $g'$ is the only new ingredient; here it is for the three activations of the course.
#
# **Logistic**, $g(a) = \dfrac{1}{1 + e^{-a}}$. By the chain rule,
# $$g'(a) = \frac{e^{-a}}{(1 + e^{-a})^2} = \frac{1}{1 + e^{-a}} \cdot \frac{e^{-a}}{1 + e^{-a}} = g(a)\,\big(1 - g(a)\big),$$
# because $1 - g(a) = \dfrac{1 + e^{-a} - 1}{1 + e^{-a}} = \dfrac{e^{-a}}{1 + e^{-a}}$. At most $\tfrac14$, at $a = 0$.
#
# **tanh**, $g(a) = \dfrac{\sinh a}{\cosh a}$, with $\sinh' = \cosh$ and $\cosh' = \sinh$. The quotient rule:
# $$g'(a) = \frac{\cosh^2 a - \sinh^2 a}{\cosh^2 a} = 1 - \tanh^2 a = 1 - g(a)^2 .$$
# At most 1, at $a = 0$.
#
# **ReLU**, $g(a) = \max(0, a)$: the line $0$ for $a < 0$ and the line $a$ for $a > 0$, so
# $$g'(a) = \begin{cases} 0 & a < 0 \\ 1 & a > 0 \end{cases}$$
# At $a = 0$ the graph has a **kink**: the slope from the left is 0, from the right 1, and there is no
# derivative. Any value in $[0, 1]$ is a valid *subgradient*; the library uses $g'(0) = 0$
# (`bp.relu_prime`). It rarely matters: a float pre-activation is almost never exactly 0.
#
# Each activation (blue) with its derivative (green):
#
# ![logistic, tanh and ReLU with their derivatives](../figures/06_activations.svg)
#
# Note that the logistic's and tanh's derivatives are written with $g(a)$ itself: a backward pass can
# compute them from the $h_k = g(a_k)$ stored by the forward pass, as $h_k(1 - h_k)$ or $1 - h_k^2$.
#
# **Check** each $g'$ against central differences $\big(g(a + \varepsilon) - g(a - \varepsilon)\big) / 2\varepsilon$ on
# a grid of 400 points in $[-4, 4]$ (the grid avoids $a = 0$, ReLU's kink), and the closed forms above:

# %%
grid = np.linspace(-4, 4, 400)                 # an even number of points: 0 is not on the grid
closed = {"logistic": lambda a: bp.logistic(a) * (1 - bp.logistic(a)),
          "tanh": lambda a: 1 - np.tanh(a) ** 2,
          "relu": lambda a: (a > 0).astype(float)}
for name in ("logistic", "tanh", "relu"):
    g, g_prime = bp.activations.get(name)
    fd = hidden_units.central_difference(g, grid)
    e_fd = np.max(np.abs(g_prime(grid) - fd))
    e_closed = np.max(np.abs(g_prime(grid) - closed[name](grid)))
    print(f"{name:<8}: g' vs central differences, largest difference {e_fd:.1e}; vs the closed form {e_closed:.1e}")
    assert e_fd < 1e-8 and e_closed < 1e-15

# %% [markdown]
# At the kink itself, central differences average the two slopes; the library's convention says 0:

# %%
print("ReLU at a = 0: central difference", hidden_units.central_difference(bp.relu, 0.0),
      "  library g'(0) =", bp.relu_prime(0.0))

# %% [markdown]
# ## The classic mistake: $g'(h)$ instead of $g'(a)$
#
# The backward pass has both $a_k$ and $h_k = g(a_k)$ at hand, and it is easy to pass the wrong one to
# $g'$. Here is $\nabla_{a_2} \mathcal{L}$ computed with `g_prime(h2)` instead of `g_prime(a2)`. The gradient
# check catches it at once:

# %%
g_prime = bp.logistic_prime
grad_a2_wrong = grad_h2 * g_prime(fwd.h[2])             # BUG: g' of h instead of a
fd_a2 = bp.numerical_gradient(lambda a: hidden_units.loss_from_a(net, 2, a, label), fwd.a[2].copy())
print("right, g'(a_2):", grad_a2)
print("wrong, g'(h_2):", grad_a2_wrong)
print("central diff. :", fd_a2)
print(f"largest relative error: right {np.max(bp.relative_error(grad_a2, fd_a2)):.1e}, "
      f"wrong {np.max(bp.relative_error(grad_a2_wrong, fd_a2)):.2f}")
print(f"first entry: wrong / right = {grad_a2_wrong[0] / grad_a2[0]:.2f}")
assert np.max(bp.relative_error(grad_a2_wrong, fd_a2)) > 0.1

# %% [markdown]
# An error of that size is no rounding: the wrong gradient is off by a factor of about 1.5 in its first
# entry, and the error is carried into every layer below. Nothing crashes and the shapes are right, so
# only a gradient check shows it — which is why every lesson runs one.
#
# Careful with the *formula* versus the *function*: $h(1 - h)$ **is** the right logistic derivative,
# because it is $g(a)(1 - g(a))$ written with the stored $h$. What is wrong is to evaluate the
# function $g'$ at $h$, which computes $g(h)(1 - g(h))$ — $g$ applied twice.
#
# (For ReLU the mistake happens to be harmless: $h > 0$ exactly when $a > 0$, so $g'(h) = g'(a)$. For
# the logistic and tanh it is not. The panel below shows both.)
#
# ## A batch, and shapes
#
# With a batch, $\nabla_{A_k} \mathcal{L}$ has one row per example, shape $(B, n_k)$; each row goes back through
# $W_k^\top$, which for rows reads $\nabla_{H_{k-1}} \mathcal{L} = \nabla_{A_k} \mathcal{L}\; W_k$, shape $(B, n_{k-1})$. The
# $1/B$ of the mean loss is already in $\nabla_{A_L} \mathcal{L}$ (lesson 05), so nothing more is divided here.
# `grad_h_prev` takes both shapes and refuses a gradient that does not match $W_k$:

# %%
X, labels = lecture.batch(4)
fwd_b = bp.forward(net, X)
G_a3 = bp.cross_entropy_grad(fwd_b.a[3], labels)        # (4, 3), already divided by B
G_h2 = hidden_units.grad_h_prev(net.W[3], G_a3)
G_a2 = hidden_units.grad_a(G_h2, fwd_b.a[2], "logistic")
fd = bp.numerical_gradient(lambda A: hidden_units.loss_from_a(net, 2, A, labels), fwd_b.a[2].copy())
print("grad_A_3:", G_a3.shape, " grad_H_2:", G_h2.shape, " grad_A_2:", G_a2.shape)
print(f"grad_A_2 vs central differences of the mean loss: largest relative error {np.max(bp.relative_error(G_a2, fd)):.1e}")
assert np.allclose(G_a2, fd, rtol=1e-6, atol=1e-10)
try:
    hidden_units.grad_h_prev(net.W[3], G_a3[:, :2])
except ValueError as e:
    print("ValueError:", e)

# %% [markdown]
# ## Play: an activation and its derivative
#
# The dropdown chooses the activation $g$ (logistic, tanh or ReLU); the slider moves the
# pre-activation $a$ of one hidden unit. Left: $g$, the point $(a, g(a))$ and the tangent there, whose
# slope is $g'(a)$. Right: $g'$; the black dot is the right value $g'(a)$, the red cross the wrong
# $g'(h)$ from the classic mistake (drawn at $h$, where the mistake evaluates $g'$). The numbers are
# under the figure.
#
# * Logistic: move $a$ to 0. The tangent is steepest there, but its slope is only 0.25. Every logistic
#   layer multiplies the gradient by at most $\tfrac14$ — lesson 03's vanishing gradients.
# * Move $a$ to $\pm 3$: the curve flattens (it *saturates*), $g'$ is nearly 0, and a unit there learns
#   almost nothing.
# * Switch to tanh: the slope at 0 is 1, four times the logistic's.
# * Switch to ReLU: the slope is exactly 0 or 1; for $a < 0$ nothing passes back at all. Move through 0
#   and watch the jump. The red cross now sits on the black dot's value: for ReLU, $g'(h) = g'(a)$.
#
# (If you read this without running it, you see a still image of the starting position.)

# %%
play_hidden.panel()

# %% [markdown]
# The panel calls the plain function `play_hidden.activation_state`. The claims above, in numbers:

# %%
for name, a in [("logistic", 0.0), ("logistic", 3.0), ("tanh", 0.0), ("logistic", 1.0), ("relu", 1.0), ("relu", -1.0)]:
    s = play_hidden.activation_state(name, a)
    print(f"{name:<8} a = {a:+.1f}: g(a) = {s['g']:.4f}, g'(a) = {s['g_prime']:.4f}, wrong g'(h) = {s['g_prime_of_h']:.4f}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and
# if not, which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer.
#
# **Exercise 06.1.** For the lecture network and example, `grad_a2` is $\nabla_{a_2} \mathcal{L}$ and `W2` is $W_2$.
# Compute $\nabla_{h_1} \mathcal{L}$, shape (3,).

# %%
ex = checks.get("06.1")
W2, grad_a2 = ex.data.W2, ex.data.grad_a2
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 06.2.** The lecture network with **tanh** hidden units. Given `grad_h2` $= \nabla_{h_2} \mathcal{L}$,
# the pre-activations `a2` and the activations `h2` $= \tanh(a_2)$, compute $\nabla_{a_2} \mathcal{L}$ (shape (3,)).
# `tanh_prime` takes the pre-activation.

# %%
ex = checks.get("06.2")
grad_h2, a2, h2, tanh_prime = ex.data.grad_h2, ex.data.a2, ex.data.h2, ex.data.tanh_prime
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 06.3** (not shown above). The **softplus** activation $g(a) = \log(1 + e^{a})$ is a smooth
# ReLU. Derive $g'(a)$, then compute $\nabla_a \mathcal{L} = \nabla_h \mathcal{L} \odot g'(a)$ for the pre-activations `a`
# and `grad_h` $= \nabla_h \mathcal{L}$ (shape (5,)). `h` $=$ softplus(`a`) and `logistic` are given.

# %%
ex = checks.get("06.3")
a, grad_h, h, logistic = ex.data.a, ex.data.grad_h, ex.data.h, ex.data.logistic
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * A hidden unit $h_{k-1,j}$ reaches the loss through every neuron of layer $k$; summing the paths
#   walks down column $j$ of $W_k$: $\nabla_{h_{k-1}} \mathcal{L} = W_k^\top \nabla_{a_k} \mathcal{L}$ (for a batch of rows,
#   $\nabla_{A_k} \mathcal{L}\, W_k$).
# * Through the activation there is one path per unit: $\nabla_{a_k} \mathcal{L} = \nabla_{h_k} \mathcal{L} \odot g'(a_k)$.
# * Logistic $g' = g(1 - g) \le \tfrac14$; tanh $g' = 1 - g^2 \le 1$; ReLU $g' = 0$ or 1, with a kink at
#   0 where the library uses $g'(0) = 0$.
# * $g'$ takes the pre-activation $a$. Evaluating it at $h$ gives a plausible, wrong gradient; a
#   gradient check finds it.
#
# **Next: 07 · Talking to the weights and biases.** We can now compute $\nabla_{a_k} \mathcal{L}$ for every layer.
# One more step turns it into what training needs: $\partial \mathcal{L} / \partial W_{kij} = (\nabla_{a_k} \mathcal{L})_i\, h_{k-1,j}$,
# a whole layer at once as an outer product, the biases, and batches.
