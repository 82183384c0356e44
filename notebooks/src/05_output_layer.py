# %% [markdown]
# # 05 · Talking to the output layer
#
# **What you will learn.** How the loss "talks back" to the last layer of the network: the
# gradient of the cross-entropy loss with respect to the logits $a_L$. You will derive it in
# two steps, through the softmax's Jacobian, and see the two steps collapse into one short formula,
#
# $$\nabla_{a_L} \mathcal{L} = -\big(e(\ell) - \hat y\big).$$
#
# You will also see why the softmax and its logarithm must be computed in a *stable* way, or
# large logits turn them into `nan` and `inf`.
#
# **Where this sits.** Lesson 01 (*derivative as responsibility*) measured a derivative by
# nudging; 02 (*one weight, one chain*) and 03 (*a deep, thin network*) multiplied local
# derivatives along a chain; 04 (*many paths*) summed over paths. All of them needed, at the very
# end of the chain, "how does the loss change when the output layer changes?". This lesson answers
# that once and for all. Lesson 06 then carries the gradient back to the hidden units, 07 to the
# weights.
#
# From this lesson on, every check compares with central differences **and** with an automatic
# differentiation library, [`autograd`](https://github.com/HIPS/autograd), which differentiates
# numpy code by itself.

# %%
import autograd
import autograd.numpy as anp
import numpy as np

import backprop as bp
from backprop import checks, lecture, output_layer
from backprop.play import output_layer as play_output

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## The output layer of the lecture network
#
# The lecture network has $L = 3$ layers, so its output layer's pre-activation is $a_L = a_3$,
# one number per class (these numbers are often called **logits**). The output is
#
# $$\hat y = \mathrm{softmax}(a_L), \qquad \hat y_c = \frac{e^{a_{Lc}}}{\sum_{c'} e^{a_{Lc'}}}, \qquad \mathcal{L} = -\log \hat y_\ell ,$$
#
# where $\ell$ is the true class. (The loss is $\mathcal{L}$, the plain $L$ the number of layers; in code the loss is `loss`.)

# %%
net = lecture.network()
x, label = lecture.example()
fwd = bp.forward(net, x)
a_L = fwd.a[net.L]
y_hat = fwd.y_hat
print("a_L = a_3 =", a_L)
print("y_hat     =", y_hat, " true class ℓ =", label + 1, f"(label = {label})")
print(f"loss = -log y_hat_ℓ = {bp.cross_entropy(a_L, label):.6f}")

# %% [markdown]
# The loss depends on $a_L$ only **through** $\hat y$: $a_L \to \hat y \to \mathcal{L}$. So the chain rule
# has two factors: how $\mathcal{L}$ changes with $\hat y$, and how $\hat y$ changes with $a_L$.
#
# ## Step 1: $\partial \mathcal{L} / \partial \hat y$
#
# $\mathcal{L} = -\log \hat y_\ell$ contains only **one** of the outputs, $\hat y_\ell$. So
#
# $$\frac{\partial \mathcal{L}}{\partial \hat y_c} = \begin{cases} -\dfrac{1}{\hat y_\ell} & c = \ell \\[4pt] 0 & c \ne \ell \end{cases}
# \qquad\text{that is}\qquad \frac{\partial \mathcal{L}}{\partial \hat y} = -\frac{1}{\hat y_\ell}\, e(\ell).$$
#
# The library's `output_layer.loss_grad_y_hat` computes this vector. **Check**: treat $\mathcal{L}$ as a
# function of $\hat y$ alone, $f(\hat y) = -\log \hat y_\ell$, and differentiate it by central
# differences and by autograd.

# %%
grad_y_hat = output_layer.loss_grad_y_hat(y_hat, label)
fd = bp.numerical_gradient(lambda y: -np.log(y[label]), y_hat.copy())
ag = autograd.grad(lambda y: -anp.log(y[label]))(y_hat)
print("formula           :", grad_y_hat)
print("central difference:", fd)
print("autograd          :", ag)
err = max(np.max(bp.relative_error(grad_y_hat, fd)), np.max(bp.relative_error(grad_y_hat, ag)))
print(f"largest relative error {err:.1e}")
assert err < 1e-7

# %% [markdown]
# ## Step 2: the softmax Jacobian $\partial \hat y / \partial a_L$
#
# Every $\hat y_c$ depends on **every** logit, because all of them appear in the denominator.
# So $\partial \hat y / \partial a_L$ is a $k \times k$ matrix, the **Jacobian**: entry $(c, c')$ is
# $\partial \hat y_c / \partial a_{Lc'}$ (row $c$: which output moves; column $c'$: which logit we nudge).
#
# Write $S = \sum_{c''} e^{a_{Lc''}}$, so $\hat y_c = e^{a_{Lc}} / S$, and note $\partial S / \partial a_{Lc'} = e^{a_{Lc'}}$.
# The quotient rule gives, entry by entry:
#
# * **on the diagonal**, $c = c'$: the numerator depends on $a_{Lc}$ too,
#   $$\frac{\partial \hat y_c}{\partial a_{Lc}} = \frac{e^{a_{Lc}} S - e^{a_{Lc}} e^{a_{Lc}}}{S^2} = \hat y_c - \hat y_c^2 = \hat y_c (1 - \hat y_c);$$
# * **off the diagonal**, $c \ne c'$: only the denominator depends on $a_{Lc'}$,
#   $$\frac{\partial \hat y_c}{\partial a_{Lc'}} = \frac{0 \cdot S - e^{a_{Lc}} e^{a_{Lc'}}}{S^2} = -\hat y_c \hat y_{c'}.$$
#
# Both cases in one line, with $\mathbb 1[c = c']$ being 1 on the diagonal and 0 elsewhere:
#
# $$\frac{\partial \hat y_c}{\partial a_{Lc'}} = \hat y_c\big(\mathbb 1[c = c'] - \hat y_{c'}\big),
# \qquad\text{as a matrix}\qquad \frac{\partial \hat y}{\partial a_L} = \mathrm{diag}(\hat y) - \hat y \hat y^\top .$$
#
# `output_layer.softmax_jacobian_by_entries` fills the matrix with two loops, exactly as in the
# one-line formula; `bp.softmax_jacobian` uses the matrix form.

# %%
J_entries = output_layer.softmax_jacobian_by_entries(y_hat)
J = bp.softmax_jacobian(y_hat)
print("dy_hat/da_L, entry by entry:\n", J_entries)
print(f"matrix form diag(y_hat) - y_hat y_hat^T differs by {np.max(np.abs(J - J_entries)):.1e}")
assert np.allclose(J, J_entries)

# %% [markdown]
# **Check** against central differences (nudge one logit $a_{Lc'}$ at a time and watch all of
# $\hat y$ move: that is column $c'$) and against `autograd.jacobian` of a softmax written in
# autograd's numpy:

# %%
J_fd = output_layer.numerical_jacobian(bp.softmax, a_L)
J_ag = autograd.jacobian(lambda a: anp.exp(a - anp.max(a)) / anp.sum(anp.exp(a - anp.max(a))))(a_L)
err_fd = np.max(np.abs(J - J_fd))
err_ag = np.max(np.abs(J - J_ag))
print(f"largest difference from central differences {err_fd:.1e}, from autograd {err_ag:.1e}")
assert err_fd < 1e-8 and err_ag < 1e-12
print(f"each column sums to 0 (largest |sum| {np.max(np.abs(J.sum(axis=0))):.1e}): ŷ always sums to 1, so nudging a logit cannot change the total")

# %% [markdown]
# The diagonal is positive (raising a class's own logit raises its probability) and everything off
# the diagonal is negative (it takes probability away from the others). A classic mistake is to keep
# only the diagonal $\hat y_c(1 - \hat y_c)$, as if each output depended on its own logit alone;
# exercise 05.1 recognises it.
#
# ## Step 3: multiply — $\nabla_{a_L} \mathcal{L} = -(e(\ell) - \hat y)$
#
# The chain rule for a vector in the middle sums over every $\hat y_c$ that $a_{Lc'}$ influences
# (lesson 04's sum over paths — here the paths go through $\hat y_1, \dots, \hat y_k$):
#
# $$\frac{\partial \mathcal{L}}{\partial a_{Lc'}} = \sum_c \frac{\partial \mathcal{L}}{\partial \hat y_c}\,\frac{\partial \hat y_c}{\partial a_{Lc'}},
# \qquad\text{that is}\qquad \nabla_{a_L} \mathcal{L} = \Big(\frac{\partial \hat y}{\partial a_L}\Big)^{\!\top} \frac{\partial \mathcal{L}}{\partial \hat y}.$$
#
# Now simplify, one step at a time:
#
# 1. $\partial \mathcal{L} / \partial \hat y_c$ is zero except at $c = \ell$, so the sum keeps a single term:
#    $$\frac{\partial \mathcal{L}}{\partial a_{Lc'}} = \frac{\partial \mathcal{L}}{\partial \hat y_\ell}\,\frac{\partial \hat y_\ell}{\partial a_{Lc'}} = -\frac{1}{\hat y_\ell}\,\frac{\partial \hat y_\ell}{\partial a_{Lc'}}.$$
# 2. Insert the Jacobian's row $\ell$, $\partial \hat y_\ell / \partial a_{Lc'} = \hat y_\ell(\mathbb 1[\ell = c'] - \hat y_{c'})$:
#    $$\frac{\partial \mathcal{L}}{\partial a_{Lc'}} = -\frac{1}{\hat y_\ell}\,\hat y_\ell\big(\mathbb 1[\ell = c'] - \hat y_{c'}\big).$$
# 3. $\hat y_\ell$ cancels:
#    $$\frac{\partial \mathcal{L}}{\partial a_{Lc'}} = -\big(\mathbb 1[\ell = c'] - \hat y_{c'}\big).$$
# 4. $\mathbb 1[\ell = c']$ is entry $c'$ of the one-hot vector $e(\ell)$; for all $c'$ at once:
#    $$\boxed{\nabla_{a_L} \mathcal{L} = -\big(e(\ell) - \hat y\big) = \hat y - e(\ell).}$$
#
# The division by $\hat y_\ell$ from step 1 is gone: the fused gradient stays between $-1$ and $1$
# in every entry, however small $\hat y_\ell$ is. Its entries add up to $0$; the true class's entry
# is $\hat y_\ell - 1 < 0$ (raise that logit to lower the loss) and every other entry is
# $\hat y_c > 0$ (lower those).
#
# `output_layer.chain` computes each factor and their product $J^\top \partial \mathcal{L} / \partial \hat y$;
# the boxed formula is `bp.cross_entropy_grad`.

# %%
ch = output_layer.chain(a_L, label)
fused = -(bp.one_hot(label, 3) - y_hat)
print("J^T dℒ/dy_hat           :", ch.grad_a_L)
print("-(e(ℓ) - y_hat)         :", fused)
print("bp.cross_entropy_grad   :", bp.cross_entropy_grad(a_L, label))
print("sum of the entries      :", f"{ch.grad_a_L.sum():.1e}")
print(f"true-class entry {ch.grad_a_L[label]:.6f} = y_hat_ℓ - 1 = {y_hat[label] - 1:.6f}")

# %% [markdown]
# ### Check: the boxed formula against central differences and autograd
#
# Now differentiate the loss as a function of the logits directly: by nudging each $a_{Lc}$
# (central differences on `bp.cross_entropy`) and by autograd on a cross-entropy written
# independently in autograd's numpy. The full backward pass `bp.gradients` starts from the same
# vector (`grad_a[3]`).

# %%
def ce_autograd(a, label):
    m = anp.max(a)
    return -(a[label] - m - anp.log(anp.sum(anp.exp(a - m))))


fd = bp.numerical_gradient(lambda a: bp.cross_entropy(a, label), a_L.copy())
ag = autograd.grad(ce_autograd)(a_L, label)
lib = bp.cross_entropy_grad(a_L, label)
net_grad = bp.gradients(net, x, label).grad_a[net.L]
for name, other in [("central differences", fd), ("autograd", ag), ("J^T dℒ/dy_hat", ch.grad_a_L),
                    ("bp.gradients(...).grad_a[3]", net_grad)]:
    print(f"-(e(ℓ) - y_hat) vs {name:<28} largest relative error {np.max(bp.relative_error(fused, other)):.1e}")
assert np.allclose(fused, fd, rtol=1e-7, atol=1e-9) and np.allclose(fused, ag, rtol=1e-12)
assert np.allclose(fused, lib) and np.allclose(fused, ch.grad_a_L) and np.allclose(fused, net_grad)

# %% [markdown]
# One more check on logits that are not the lecture's: 200 random logit vectors with 5 classes,
# some of them large.

# %%
rng = np.random.default_rng(0)
worst = 0.0
for _ in range(200):
    a = rng.normal(0, 3, size=5)
    l = int(rng.integers(5))
    worst = max(worst, np.max(np.abs(bp.cross_entropy_grad(a, l) - autograd.grad(ce_autograd)(a, l))))
print(f"200 random cases: largest difference from autograd {worst:.1e}")
assert worst < 1e-12

# %% [markdown]
# ## Large logits: why the softmax must be computed with care
#
# The formula $\hat y_c = e^{a_c} / \sum_{c'} e^{a_{c'}}$ is right, but computing it *as written* fails
# for large logits: `np.exp(1000.0)` is larger than the largest float64 (about $1.8 \times 10^{308}$),
# so it becomes `inf`, and `inf / inf` is `nan`. Very negative logits fail the other way: every
# $e^{a_c}$ underflows to 0 and $0/0$ is `nan` again. `output_layer.naive_softmax` and
# `naive_log_softmax` are written exactly like that, on purpose. (numpy warns when this happens;
# `np.errstate` silences the warnings here so the output stays readable.)

# %%
cases = {"(1000, 0, -1000)": np.array([1000.0, 0.0, -1000.0]),
         "(1e4, 0, -1e4)": np.array([1e4, 0.0, -1e4]),
         "(-1e4, -1e4+1, -1e4+2)": np.array([-1e4, -1e4 + 1, -1e4 + 2])}
with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
    print(f"largest float64 {np.finfo(float).max:.2e};  np.exp(1000.0) = {np.exp(1000.0)};  np.exp(-1000.0) = {np.exp(-1000.0)}")
    for name, a in cases.items():
        print(f"a = {name:<24} naive softmax {output_layer.naive_softmax(a)}   "
              f"naive log softmax {output_layer.naive_log_softmax(a)}")

# %% [markdown]
# A `nan` in $\hat y$ poisons everything after it: the loss, the gradient, and after one training
# step every weight. The stable forms give the right answers for the same logits:

# %%
for name, a in cases.items():
    print(f"a = {name:<24} bp.softmax {bp.softmax(a)}   bp.log_softmax {bp.log_softmax(a)}")

# %% [markdown]
# The loss is where it matters most. With $a = (1000, 0, -1000)$ and true class $\ell = 2$, the exact
# loss is $-\log \hat y_2 = 1000$ (up to a term of about $e^{-1000}$). The naive way gets $\hat y_2 = 0$
# and then $-\log 0 = \infty$; `bp.cross_entropy` (log-sum-exp) gets 1000 exactly.

# %%
a = cases["(1000, 0, -1000)"]
with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
    print("naive: -log(naive_softmax(a))[1] =", -np.log(output_layer.naive_softmax(a))[1])
print("stable: bp.cross_entropy(a, 1)     =", bp.cross_entropy(a, 1))
print("and its gradient -(e(ℓ) - y_hat)   =", bp.cross_entropy_grad(a, 1))

# %% [markdown]
# ### Why subtracting the max changes nothing — and fixes everything
#
# For any number $m$, multiply numerator and denominator by $e^{-m}$:
#
# $$\frac{e^{a_c - m}}{\sum_{c'} e^{a_{c'} - m}} = \frac{e^{-m}\, e^{a_c}}{e^{-m} \sum_{c'} e^{a_{c'}}} = \frac{e^{a_c}}{\sum_{c'} e^{a_{c'}}} = \hat y_c .$$
#
# So $\mathrm{softmax}(a - m) = \mathrm{softmax}(a)$ **exactly**, for every shift $m$. Choosing
# $m = \max_c a_c$ makes the largest exponent $e^0 = 1$: nothing can overflow, and the denominator is
# at least 1, so it cannot be 0. The logarithm is taken *before* dividing (**log-sum-exp**):
#
# $$\log \hat y_c = (a_c - m) - \log \sum_{c'} e^{a_{c'} - m},$$
#
# which never computes $\log 0$. This is what `bp.softmax` and `bp.log_softmax` do. **Check** that
# the shift really changes nothing, for moderate logits where the naive softmax still works:

# %%
a = np.array([2.0, -1.0, 0.5, 3.0])
for m in [0.0, a.max(), -50.0, 100.0]:
    print(f"shift m = {m:7.1f}: softmax(a - m) - naive softmax(a), largest {np.max(np.abs(output_layer.naive_softmax(a - m) - output_layer.naive_softmax(a))):.1e}")
assert all(np.allclose(output_layer.naive_softmax(a - m), output_layer.naive_softmax(a)) for m in [a.max(), -50.0, 100.0])
print(f"log_softmax vs log(naive softmax): largest difference {np.max(np.abs(bp.log_softmax(a) - np.log(output_layer.naive_softmax(a)))):.1e}")

# %% [markdown]
# ## A batch: the mean loss divides the gradient by $B$
#
# For a batch of $B$ examples (rows of $A_L$, shape $(B, k)$) the loss is the **mean** of the $B$
# losses. Row $r$ of $A_L$ appears only in loss $r$, and that loss is multiplied by $1/B$, so
#
# $$\nabla_{A_L} \mathcal{L} = \frac{1}{B}\big(\hat Y - E\big), \qquad \text{row } r:\ \frac{1}{B}\big(\hat y_r - e(\ell_r)\big),$$
#
# with $E$ holding the one-hot rows $e(\ell_r)$. `bp.cross_entropy_grad` takes a batch and already
# divides by $B$. (Lesson 07 follows this $1/B$ into the weights and biases.) **Check**:

# %%
X, labels = lecture.batch(4)
A_L = bp.forward(net, X).a[net.L]
G = bp.cross_entropy_grad(A_L, labels)
G_fd = bp.numerical_gradient(lambda A: bp.cross_entropy(A, labels), A_L.copy())
print("labels =", labels, "  A_L:", A_L.shape, " gradient:", G.shape)
print(f"vs central differences of the mean loss: largest difference {np.max(np.abs(G - G_fd)):.1e}")
print(f"vs (Y_hat - E) / B written out:          largest difference {np.max(np.abs(G - (bp.softmax(A_L) - bp.one_hot(labels, 3)) / 4)):.1e}")
assert np.allclose(G, G_fd, atol=1e-9) and np.allclose(G, (bp.softmax(A_L) - bp.one_hot(labels, 3)) / 4)

# %% [markdown]
# ## Play: logits, the true class, and the gradient
#
# The three sliders are the logits $a_{31}, a_{32}, a_{33}$ of the lecture network's output layer
# ($a_L = a_3$, starting at the lecture example's values rounded to two decimals); the dropdown
# chooses the true class $\ell$. Left: $\hat y$. Middle: the loss $-\log \hat y_\ell$. Right: the
# gradient $-(e(\ell) - \hat y)$. The true class is red in both bar charts. The numbers are under
# the figure.
#
# * Drag the true class's logit up: $\hat y_\ell$ grows, the loss falls towards 0, and the whole
#   gradient shrinks towards 0 — a confident, right network has little to learn.
# * Drag it down to $-6$: the loss grows, the red gradient bar approaches $-1$ but never passes
#   it, and the other bars share $+1$ between them. However wrong the network is, no entry
#   exceeds 1 in size.
# * Look at the red bar and the grey bars together: they always add up to 0.
# * Move all three sliders by the same amount: nothing changes (that is the shift by $m$ above).
#
# (If you read this without running it, you see a still image of the starting position.)

# %%
play_output.panel()

# %% [markdown]
# The panel calls the plain function `play_output.output_state`, which you can call too. At the
# starting position, and with the true class's logit pushed to $+6$:

# %%
start = play_output.output_state(*np.round(fwd.a[3], 2), label=2)
print(f"start:       loss = {start['loss']:.4f}, gradient = {start['grad_a_L']}")
pushed = play_output.output_state(*np.round(fwd.a[3][:2], 2), 6.0, label=2)
print(f"a_33 = 6:    loss = {pushed['loss']:.4f}, gradient = {pushed['grad_a_L']}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and
# if not, which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer.
#
# **Exercise 05.1.** For the logits `a` (4 classes) and `y_hat = softmax(a)`, compute the softmax
# Jacobian $\partial \hat y / \partial a$, a (4, 4) matrix with entry $(c, c')$ equal to $\partial \hat y_c / \partial a_{c'}$.

# %%
ex = checks.get("05.1")
a, y_hat = ex.data.a, ex.data.y_hat
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 05.2.** For the logits `a_L` and the true class `label`, compute $\nabla_{a_L} \mathcal{L}$ for
# $\mathcal{L} = -\log \hat y_\ell$ (shape (3,)). `softmax` and `one_hot` are given.

# %%
ex = checks.get("05.2")
a_L, label, softmax, one_hot = ex.data.a_L, ex.data.label, ex.data.softmax, ex.data.one_hot
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 05.3.** A batch of $B = 4$: logits `A_L` of shape (4, 3) and integer class indices
# `labels` of shape (4,). The batch loss is the **mean** of the 4 losses. Compute its gradient with
# respect to `A_L`, shape (4, 3). You need the one-hot rows $e(\ell_r)$: build them yourself.

# %%
ex = checks.get("05.3")
A_L, labels, softmax = ex.data.A_L, ex.data.labels, ex.data.softmax
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 05.4** (not shown above). A softmax with a **temperature** $T > 0$ divides the logits
# first: $\hat y = \mathrm{softmax}(a_L / T)$, and the loss is still $-\log \hat y_\ell$. Derive
# $\nabla_{a_L} \mathcal{L}$ and compute it for `a_L`, `label` and `T` (shape (3,)).

# %%
ex = checks.get("05.4")
a_L, label, T, softmax, one_hot = ex.data.a_L, ex.data.label, ex.data.T, ex.data.softmax, ex.data.one_hot
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * $\partial \mathcal{L} / \partial \hat y = -\frac{1}{\hat y_\ell} e(\ell)$: the loss sees only the true class's output.
# * The softmax Jacobian is $\partial \hat y / \partial a_L = \mathrm{diag}(\hat y) - \hat y \hat y^\top$,
#   entry $(c, c')$ being $\hat y_c(\mathbb 1[c = c'] - \hat y_{c'})$; it is not diagonal, because every
#   output shares the denominator.
# * Their product collapses: $\nabla_{a_L} \mathcal{L} = -(e(\ell) - \hat y)$. Every entry lies between $-1$
#   and $1$ and the entries sum to $0$. For a batch with the mean loss, each row is divided by $B$.
# * Compute the softmax by subtracting the max (it changes nothing mathematically) and its
#   logarithm by log-sum-exp; the formulas as written overflow to `nan` and `inf`.
#
# **Next: 06 · Talking to the hidden units.** We now have $\nabla_{a_L} \mathcal{L}$. The next lesson carries
# it back through $W_L$ to the hidden layer before, $\nabla_{h_{L-1}} \mathcal{L} = W_L^\top \nabla_{a_L} \mathcal{L}$,
# and through the activation, $\nabla_{a_{L-1}} \mathcal{L} = \nabla_{h_{L-1}} \mathcal{L} \odot g'(a_{L-1})$ — and then
# the same two steps again, layer after layer.
