# %% [markdown]
# # 02 · One weight, one chain
#
# **What you will learn.** How to get $\partial \mathcal{L}/\partial w$ *exactly*, without nudging: for a single sigmoid
# neuron, by the **chain rule**, one local factor at a time — for the squared error and for the cross-entropy,
# where the factors simplify beautifully to $(\hat y - y)\,x$. Then you will use that derivative to walk the
# weight downhill (**gradient descent**) and see what a too-large learning rate does.
#
# **Where this sits.** Lesson 01 measured derivatives by nudging a weight and re-running the forward pass:
# honest, but two forward passes per weight, and never exact. Here the network is as small as it gets — one
# input, one weight, one bias, one neuron — so the whole chain fits on one line. Lesson 03 makes the chain
# longer (a deep, thin network), lesson 04 lets it branch (many paths).

# %%
import numpy as np

import backprop as bp
from backprop import checks, neuron
from backprop.play import one_weight

# %% [markdown]
# ## The neuron
#
# One input $x$, one weight $w$, one bias $b$, the logistic of lesson 00 (there called $g$; for a single neuron we write $\sigma$), and a target $y \in [0, 1]$:
#
# $$a = w x + b, \qquad \hat y = \sigma(a) = \frac{1}{1 + e^{-a}}.$$
#
# $\hat y$ is the neuron's probability that the example is of class 1; the target $y$ is the true probability
# ($y = 1$ or $0$ for a plain label). We measure the error with either of two losses:
#
# $$\text{squared error } \mathcal{L} = \tfrac12 (\hat y - y)^2, \qquad
#   \text{cross-entropy } \mathcal{L} = -\big[\, y \log \hat y + (1 - y) \log(1 - \hat y) \,\big].$$
#
# Our example: $x = 2$, target $y = 0.8$, and the neuron starts at $w = -1$, $b = 0$. (A target of $0.8$ rather
# than $1$ gives both losses a minimum at a finite weight, where $\hat y = 0.8$; with $y = 1$ the best weight
# would be $w = +\infty$.)

# %%
x, y = 2.0, 0.8
w, b = -1.0, 0.0
a, y_hat = neuron.forward(w, b, x)
print(f"a = w x + b = {a:.4f},  y_hat = σ(a) = {y_hat:.6f}")
print(f"squared error ℒ = {neuron.neuron_loss(w, b, x, y, 'squared'):.6f}")
print(f"cross-entropy ℒ = {neuron.neuron_loss(w, b, x, y, 'cross_entropy'):.6f}")

# %% [markdown]
# ## The chain rule, one link at a time
#
# The weight reaches the loss along a chain: $w$ changes $a$, $a$ changes $\hat y$, $\hat y$ changes $\mathcal{L}$.
# Each link has its own **local derivative**, and the chain rule says the derivative along the whole chain is
# their **product**:
#
# ![The chain w → a → ŷ → ℒ with the local derivative under each arrow](../figures/02_chain.svg)
#
# $$\frac{\partial \mathcal{L}}{\partial w} = \frac{\partial \mathcal{L}}{\partial \hat y}\cdot\frac{\partial \hat y}{\partial a}\cdot\frac{\partial a}{\partial w}.$$
#
# Read it as lesson 01's nudges passed along: nudge $w$ by $\delta$, then $a$ moves by $x\,\delta$, then $\hat y$ by
# $\sigma'(a)\,x\,\delta$, then $\mathcal{L}$ by $\frac{\partial \mathcal{L}}{\partial \hat y}\sigma'(a)\,x\,\delta$.
#
# The three local factors:
#
# * $\dfrac{\partial a}{\partial w} = x$, because $a = wx + b$ (and $\dfrac{\partial a}{\partial b} = 1$);
# * $\dfrac{\partial \hat y}{\partial a} = \sigma'(a) = \sigma(a)\big(1 - \sigma(a)\big) = \hat y(1 - \hat y)$
#   (lesson 06 derives it; the check below confirms it);
# * $\dfrac{\partial \mathcal{L}}{\partial \hat y}$ depends on the loss.
#
# ### Squared error
#
# $\dfrac{\partial \mathcal{L}}{\partial \hat y} = \hat y - y$, so
#
# $$\frac{\partial \mathcal{L}}{\partial w} = (\hat y - y)\;\hat y(1 - \hat y)\;x, \qquad \frac{\partial \mathcal{L}}{\partial b} = (\hat y - y)\;\hat y(1 - \hat y).$$
#
# `neuron.chain` returns every factor and every product:

# %%
c = neuron.chain(w, b, x, y, "squared")
print(f"dℒ/dy_hat = y_hat - y        = {c.dL_dyhat:+.6f}")
print(f"dy_hat/da = y_hat (1 - y_hat) = {c.dyhat_da:+.6f}")
print(f"da/dw     = x                = {c.da_dw:+.6f}")
print(f"dℒ/dw = product              = {c.dL_dw:+.6f}")
print(f"dℒ/db = dℒ/dy_hat * dy_hat/da = {c.dL_db:+.6f}")

# %% [markdown]
# ### Cross-entropy
#
# Now $\mathcal{L} = -[y \log \hat y + (1-y)\log(1-\hat y)]$ and
#
# $$\frac{\partial \mathcal{L}}{\partial \hat y} = -\frac{y}{\hat y} + \frac{1-y}{1-\hat y} = \frac{\hat y - y}{\hat y(1 - \hat y)}.$$
#
# Multiply by the next factor, $\hat y(1 - \hat y)$, and the denominator **cancels**:
#
# $$\frac{\partial \mathcal{L}}{\partial a} = \hat y - y, \qquad \frac{\partial \mathcal{L}}{\partial w} = (\hat y - y)\,x, \qquad \frac{\partial \mathcal{L}}{\partial b} = \hat y - y.$$
#
# The derivative of the sigmoid has disappeared. That is not luck: the cross-entropy is the loss that "undoes"
# the sigmoid's exponential. It is also the course's loss in disguise: the binary cross-entropy is the softmax
# cross-entropy $-\log \hat y_\ell$ of lesson 00 with $k = 2$ classes and logits $(a, 0)$, since
# $\mathrm{softmax}(a, 0) = (\sigma(a), 1 - \sigma(a))$; and $\hat y - y$ is the first entry of the lecture's
# $\nabla_{a_L} \mathcal{L} = -(e(\ell) - \hat y)$, which lesson 05 derives for any $k$.

# %%
c_ce = neuron.chain(w, b, x, y, "cross_entropy")
print(f"dℒ/dy_hat = (y_hat - y) / (y_hat (1 - y_hat)) = {c_ce.dL_dyhat:+.6f}")
print(f"dy_hat/da = y_hat (1 - y_hat)                 = {c_ce.dyhat_da:+.6f}")
print(f"product dℒ/dy_hat * dy_hat/da = {c_ce.dL_dyhat * c_ce.dyhat_da:+.6f}   y_hat - y = {y_hat - y:+.6f}")
print(f"dℒ/dw = (y_hat - y) x = {c_ce.dL_dw:+.6f}")

# %% [markdown]
# ### Check: the chain rule against finite differences
#
# Lesson 01's central difference, $\frac{\mathcal{L}(w+\delta) - \mathcal{L}(w-\delta)}{2\delta}$ with $\delta = 10^{-6}$, for $\partial \mathcal{L}/\partial w$ and
# $\partial \mathcal{L}/\partial b$ at 25 points $(w, b)$, for both losses. First, the link to the softmax cross-entropy (true class 1, i.e. $y = 1$):

# %%
c1 = neuron.chain(w, b, x, 1.0, "cross_entropy")
logits = np.array([a, 0.0])
print(f"binary CE with y = 1: {c1.loss:.10f};  softmax CE of (a, 0), class 1: {bp.cross_entropy(logits, 0):.10f}")
print(f"dℒ/da = y_hat - y: {c1.dL_da:+.10f};  lecture's grad_a_L[0]: {bp.cross_entropy_grad(logits, 0)[0]:+.10f}")
assert np.isclose(c1.loss, bp.cross_entropy(logits, 0)) and np.isclose(c1.dL_da, bp.cross_entropy_grad(logits, 0)[0])

worst = 0.0
for kind in neuron.LOSSES:
    for w_ in np.linspace(-3, 3, 5):
        for b_ in np.linspace(-1, 1, 5):
            ch = neuron.chain(w_, b_, x, y, kind)
            f_w = lambda v: neuron.neuron_loss(v[0], b_, x, y, kind)
            f_b = lambda v: neuron.neuron_loss(w_, v[0], x, y, kind)
            num_w = bp.numerical_gradient(f_w, np.array([w_]))[0]
            num_b = bp.numerical_gradient(f_b, np.array([b_]))[0]
            worst = max(worst, bp.relative_error(ch.dL_dw, num_w), bp.relative_error(ch.dL_db, num_b))
print(f"chain rule vs central differences, 2 losses × 25 points × (w, b): largest relative error {worst:.0e}")
assert worst < 1e-7

# %% [markdown]
# ### Why the missing $\sigma'$ matters: a saturated neuron
#
# Start at $w = -3$: then $a = -6$, $\hat y = \sigma(-6) \approx 0.0025$, badly wrong, and the sigmoid is nearly flat there:
# $\sigma'(-6) \approx 0.0025$. The squared error's derivative carries that tiny factor; the cross-entropy's does not.

# %%
for kind in neuron.LOSSES:
    ch = neuron.chain(-3.0, 0.0, x, y, kind)
    print(f"{kind:14s}: y_hat = {ch.y_hat:.4f}, σ'(a) = {ch.dyhat_da:.4f}, dℒ/dw = {ch.dL_dw:+.6f}")
ratio = neuron.chain(-3.0, 0.0, x, y, "cross_entropy").dL_dw / neuron.chain(-3.0, 0.0, x, y, "squared").dL_dw
print(f"cross-entropy's gradient / squared error's: {ratio:.0f}")

# %% [markdown]
# The neuron is as wrong as it can be, yet under squared error the gradient is about 400 times smaller than under
# cross-entropy: squared error learns *slowest* exactly when it is *most* wrong. You will see it in the descent below.
#
# ## Gradient descent on one weight
#
# The derivative says which way is downhill and how steep. **Gradient descent** takes a step against it, of a
# size set by the **learning rate** $\eta > 0$:
#
# $$w_{t+1} = w_t - \eta\,\frac{\partial \mathcal{L}}{\partial w}(w_t).$$
#
# Near the minimum $w^*$ (where $\frac{\partial \mathcal{L}}{\partial w} = 0$), $\frac{\partial \mathcal{L}}{\partial w}(w) \approx \mathcal{L}''(w^*)\,(w - w^*)$, so
#
# $$w_{t+1} - w^* \approx \big(1 - \eta\, \mathcal{L}''(w^*)\big)\,(w_t - w^*).$$
#
# The distance to the minimum is multiplied by $1 - \eta \mathcal{L}''$ at every step: it shrinks if $|1 - \eta \mathcal{L}''| < 1$,
# that is if $\eta < 2/\mathcal{L}''(w^*)$. Above that, each step **overshoots** the minimum by more than it started from, and
# the weight cannot settle there. For cross-entropy at $\hat y = y$, $\mathcal{L}''(w^*) = \hat y(1-\hat y)\,x^2 = 0.8 \cdot 0.2 \cdot 4 = 0.64$
# (differentiate $(\hat y - y)\,x$ once more), so the critical learning rate is $2/0.64 = 3.125$. Check it:

# %%
w_star = neuron.best_weight(b, x, y)
L2_formula = 0.8 * 0.2 * x**2
L2_numeric = bp.numerical_gradient(lambda v: neuron.chain(v[0], b, x, y, "cross_entropy").dL_dw, np.array([w_star]))[0]
print(f"w* = (logit(0.8) - b) / x = {w_star:.6f};  ℒ''(w*) = {L2_formula:.4f} (formula), {L2_numeric:.4f} (numerically)")
print(f"critical learning rate 2 / ℒ'' = {2 / L2_formula:.4f}")
assert np.isclose(L2_formula, L2_numeric)

# %% [markdown]
# Now descend from $w_0 = -1$ with a good learning rate, $\eta = 1$, and with a too-large one, $\eta = 4$:

# %%
good = neuron.gradient_descent(-1.0, b, x, y, eta=1.0, steps=30, loss="cross_entropy")
bad = neuron.gradient_descent(-1.0, b, x, y, eta=4.0, steps=200, loss="cross_entropy")
print("η = 1, losses of the first steps:", np.round(good["loss"][:6], 4), f"... after 30 steps {good['loss'][-1]:.6f}")
print("η = 4, losses of the first steps:", np.round(bad["loss"][:6], 4))
print("η = 4, weights of the first steps:", np.round(bad["w"][:6], 3))
print("η = 4, weights at steps 197..200:", np.round(bad["w"][-4:], 3), f" (w* = {w_star:.3f})")
print(f"minimum loss {neuron.neuron_loss(w_star, b, x, y, 'cross_entropy'):.6f}")

# %% [markdown]
# With $\eta = 1$ the loss falls at every step and reaches the minimum, $0.500402$ (the cross-entropy of $y = 0.8$
# with itself, not 0). With $\eta = 4 > 3.125$ the very first step **raises** the loss ($1.7269 \to 1.7787$): the step
# jumps right over the valley to $w = 4.45$. After that the weight never settles: it keeps jumping from one side of
# $w^* = 0.693$ to the other, and even after 200 steps it alternates between $0.295$ and $1.549$ (a
# two-step cycle), the loss going up and down with it. The sigmoid keeps this from blowing up to infinity (the
# gradient is never larger than $|x|$), but it never converges.
#
# Squared error fails differently. Its $\mathcal{L}''(w^*) = (\sigma'(a^*)\,x)^2 = 0.1024$ allows $\eta$ up to about $19.5$; with
# $\eta = 40$ the first step throws the weight far out onto the flat part of the curve, where $\sigma' \approx 0$:

# %%
c_star = neuron.chain(w_star, b, x, y, "squared")
L2_squared = (c_star.dyhat_da * x) ** 2
print(f"squared error: ℒ''(w*) = {L2_squared:.4f}, critical learning rate 2 / ℒ'' = {2 / L2_squared:.1f}")
thrown = neuron.gradient_descent(-1.0, b, x, y, eta=40.0, steps=200, loss="squared")
print("squared error, η = 40: w =", np.round(thrown["w"][:4], 3), f"... w after 200 steps = {thrown['w'][-1]:.3f}")
print(f"loss after 1 step {thrown['loss'][1]:.4f}, after 200 steps {thrown['loss'][-1]:.4f} (minimum 0)")
print(f"dℒ/dw after the first step: {thrown['grad'][1]:.1e}")

# %% [markdown]
# It lands at $w = 4.72$, where $\hat y \approx 1$ and the gradient is $3 \times 10^{-5}$: the loss drops to $0.0200$
# and then stays there — after 200 steps the weight has only crept back to $4.37$. Too large a step does not always
# show as a loss that explodes; here it shows as a loss that stops improving long before the minimum.
#
# ## Play: gradient descent on one weight
#
# The example is the one above: $x = 2$, $y = 0.8$.
#
# * **loss** switches between cross-entropy and squared error.
# * **w₀** is where the descent starts (the black dot); **b** moves the bias (fixed during the descent), which
#   shifts the curve and the minimum (green star).
# * **η** is the learning rate (log scale, from 0.01 to 100) and **steps** the number of steps. The red dots are
#   the weights visited; on the right, the loss after each step.
#
# Things to try:
#
# * Cross-entropy, $w_0 = -3$: raise $\eta$ past $3.1$ (the readout prints $2/\mathcal{L}''$) and watch the dots jump across
#   the valley instead of settling; the loss on the right zig-zags.
# * Cross-entropy, $\eta = 0.05$: the steps are tiny; 50 of them do not reach the minimum.
# * Squared error, $w_0 = -3$, $\eta = 1$: the neuron is saturated and barely moves — then switch to cross-entropy.
# * Squared error, $w_0 = -1$, $\eta = 40$: one step throws the weight onto the flat right-hand shelf.
#
# (If you read this without running it, you see a still image of the starting position.)

# %%
one_weight.panel()

# %% [markdown]
# The panel calls `one_weight.descent_state(loss, w0, b, eta, steps)`, a plain function; at its start, and for two of
# the things to try:

# %%
s = one_weight.descent_state("cross_entropy", -3.0, 0.0, 1.0, 10)
print(f"after 10 steps: w = {s['w_final']:.4f}, loss = {s['loss_final']:.6f};  2/ℒ'' = {s['eta_critical']:.3f}")
s = one_weight.descent_state("cross_entropy", -3.0, 0.0, 0.05, 50)
print(f"cross-entropy, η = 0.05: after 50 steps w = {s['w_final']:.4f} (minimum at {s['w_best']:.4f})")
s = one_weight.descent_state("squared", -3.0, 0.0, 1.0, 50)
print(f"squared error, w0 = -3, η = 1: after 50 steps w = {s['w_final']:.4f}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and if not, which
# mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer (try first!).
# `bp.logistic(a)` is $\sigma(a)$.
#
# **Exercise 02.1.** A sigmoid neuron with **squared error**. For the given `w`, `b`, `x`, `y`, compute
# $\partial \mathcal{L}/\partial w$ by the chain rule.

# %%
ex = checks.get("02.1")
w, b, x, y = ex.data.w, ex.data.b, ex.data.x, ex.data.y
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 02.2.** The same kind of neuron with the **cross-entropy**. Compute $\partial \mathcal{L}/\partial w$.

# %%
ex = checks.get("02.2")
w, b, x, y = ex.data.w, ex.data.b, ex.data.x, ex.data.y
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 02.3** (not shown above). With **squared error**, compute the derivative with respect to the **input**,
# $\partial \mathcal{L}/\partial x$. In a deeper network the input of one neuron is the output of another, so this is the
# number that would be passed back to it — lesson 03 is built on it.

# %%
ex = checks.get("02.3")
w, b, x, y = ex.data.w, ex.data.b, ex.data.x, ex.data.y
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * Chain rule: $\frac{\partial \mathcal{L}}{\partial w} = \frac{\partial \mathcal{L}}{\partial \hat y}\,\frac{\partial \hat y}{\partial a}\,\frac{\partial a}{\partial w}$,
#   one local factor per link of $w \to a \to \hat y \to \mathcal{L}$, with $\frac{\partial a}{\partial w} = x$ and $\sigma'(a) = \hat y(1 - \hat y)$.
# * Squared error: $(\hat y - y)\,\hat y(1-\hat y)\,x$ — small when the neuron is saturated, however wrong it is.
#   Cross-entropy: $(\hat y - y)\,x$ — the $\sigma'$ cancels; it is the $k = 2$ case of the lecture's softmax cross-entropy.
# * Gradient descent $w \leftarrow w - \eta\,\partial \mathcal{L}/\partial w$ converges near a minimum when $\eta < 2/\mathcal{L}''$; above that it
#   overshoots and keeps oscillating (cross-entropy, $\eta = 4$), or a huge step strands the weight on a flat part (squared error, $\eta = 40$).
#
# **Next: 03 · A deep, thin network.** Put several such neurons in a row. The chain gets longer — one more factor
# per layer — and we will see how to reuse the products already computed instead of starting again for every weight,
# and why long chains of $\sigma'$ factors (each at most $1/4$) make gradients vanish.
