# %% [markdown]
# # 01 · Derivative as responsibility
#
# **What you will learn.** What the derivative $\partial \mathcal{L}/\partial W_{kij}$ *means*: nudge one weight
# by a tiny amount $\delta$ and the loss moves by about $\frac{\partial \mathcal{L}}{\partial W_{kij}}\,\delta$.
# You will compute that ratio, see it approach the derivative as $\delta$ shrinks, and see it go wrong
# again when $\delta$ is *too* small. Then you will rank every weight and bias of the lecture network
# by how **responsible** it is for the loss.
#
# **Where this sits.** Lesson 00 fixed the notation and ran the forward pass of the lecture network.
# Here we only ever run that forward pass — nudging and re-running is the slow, honest way to get a
# derivative. Lessons 02–04 compute the same derivatives by the chain rule, which is exact and cheap;
# this lesson's nudges are how we will *check* them in every lesson that follows.

# %%
import matplotlib.pyplot as plt
import numpy as np

import backprop as bp
from backprop import checks, lecture
from backprop import responsibility as rsp
from backprop.play import responsibility as play

net = lecture.network()
x, label = lecture.example()
L0 = bp.loss(net, x, label)
w0 = rsp.get_value(net, "W_111")
print(f"lecture example: x = {x}, true class ℓ = {label + 1};  loss ℒ = {L0:.6f};  W_111 = {w0:.2f}")

# %% [markdown]
# ## Nudge one weight
#
# As in lesson 00, $\mathcal{L}$ is the loss $-\log \hat y_\ell$ (plain $L$ stays the number of layers), and $\mathcal{L}(w)$ is the loss as a function of one parameter $w$.
#
# Take $W_{111}$ (layer 1, into neuron 1, from input 1). Add a small $\delta$ to it, keep every other
# weight, run the forward pass again and compare the losses. `rsp.nudge(net, "W_111", delta)` returns a
# copy of the network with that one weight moved; `net` itself does not change.
#
# The ratio **change of the loss / size of the nudge** is the slope of the loss as a function of that
# one weight. As $\delta \to 0$ it becomes the **derivative**:
#
# $$\frac{\partial \mathcal{L}}{\partial W_{111}} = \lim_{\delta \to 0} \frac{\mathcal{L}(W_{111} + \delta) - \mathcal{L}(W_{111})}{\delta}.$$

# %%
for delta in [1e-1, 1e-2, 1e-3, 1e-4]:
    L_nudged = bp.loss(rsp.nudge(net, "W_111", delta), x, label)
    print(f"δ = {delta:.0e}:  Δℒ = {L_nudged - L0:+.3e}   Δℒ/δ = {(L_nudged - L0) / delta:+.8f}")

# %% [markdown]
# The change of the loss shrinks with $\delta$ — ten times smaller nudge, ten times smaller $\Delta \mathcal{L}$ —
# but the **ratio** settles down to about $-0.02835$. That number is the responsibility of $W_{111}$:
# to first order, moving $W_{111}$ by $\delta$ moves the loss by $-0.02835\,\delta$. Negative: increasing
# $W_{111}$ *decreases* the loss a little.
#
# ## Forward and central differences
#
# The ratio above is the **forward difference**. Nudging both ways gives the **central difference**:
#
# $$D_{\text{fwd}}(\delta) = \frac{\mathcal{L}(w + \delta) - \mathcal{L}(w)}{\delta}, \qquad
#   D_{\text{cen}}(\delta) = \frac{\mathcal{L}(w + \delta) - \mathcal{L}(w - \delta)}{2\delta}.$$
#
# Why is the central one better? Taylor's formula, $\mathcal{L}(w \pm \delta) = \mathcal{L} \pm \delta \mathcal{L}' + \frac{\delta^2}{2} \mathcal{L}''
# \pm \frac{\delta^3}{6} \mathcal{L}''' + \dots$, gives
#
# $$D_{\text{fwd}}(\delta) = \mathcal{L}' + \tfrac{\delta}{2} \mathcal{L}'' + \dots, \qquad D_{\text{cen}}(\delta) = \mathcal{L}' + \tfrac{\delta^2}{6} \mathcal{L}''' + \dots$$
#
# The central difference cancels the $\mathcal{L}''$ term: its **truncation error** shrinks like $\delta^2$
# instead of $\delta$.
#
# ### The reference: what is the true derivative?
#
# To measure an error we need the exact $\partial \mathcal{L}/\partial W_{111}$. We take it from the library's
# **backward pass**, `bp.gradients` — lessons 02–08 derive it line by line; for now it is a black box.
# So that you need not trust a black box, the next cell checks it against a number computed from loss
# values only: the central difference improved by **Richardson extrapolation**,
# $\big(4 D_{\text{cen}}(\delta/2) - D_{\text{cen}}(\delta)\big)/3$, which cancels the $\delta^2$ term too
# (its error shrinks like $\delta^4$).

# %%
reference = rsp.backprop_derivative(net, x, label, "W_111")
extrapolated = rsp.richardson(net, x, label, "W_111", delta=1e-3)
agreement = bp.relative_error(reference, extrapolated)
print(f"dℒ/dW_111 from the backward pass:  {reference:.12f}")
print(f"Richardson (loss values only):     {extrapolated:.12f}")
print(f"relative difference: {agreement:.0e}")
assert agreement < 1e-9

# %% [markdown]
# They agree to about ten digits, so we use the backward pass's value as the truth.
#
# ## How small should $\delta$ be?
#
# Now shrink $\delta$ all the way, from $1$ to $10^{-15}$, and print how far each ratio is from the
# reference:

# %%
deltas = 10.0 ** -np.arange(0, 16)
errors = rsp.difference_errors(net, x, label, "W_111", deltas, reference)
print("    δ      forward error   central error")
for d, ef, ec in zip(deltas, errors["forward"], errors["central"]):
    print(f"  {d:.0e}     {ef:.1e}         {ec:.1e}")
best_fwd = deltas[np.argmin(errors["forward"])]
best_cen = deltas[np.argmin(errors["central"])]
print(f"smallest forward error at δ = {best_fwd:.0e};  smallest central error at δ = {best_cen:.0e}")

# %% [markdown]
# The error first **falls** as $\delta$ shrinks — by a factor 10 per step for the forward difference and
# 100 for the central one, the $\delta$ and $\delta^2$ of the truncation error — and then **rises** again.
# Past a certain point a smaller nudge gives a *worse* answer.
#
# The reason is **round-off**. The computer stores each loss in float64 with a relative precision of
# $\varepsilon \approx 2.2 \times 10^{-16}$, so $\mathcal{L}(w+\delta)$ and $\mathcal{L}(w)$ each carry an error of about
# $\varepsilon |\mathcal{L}|$. Their difference is tiny when $\delta$ is tiny, but that rounding error is not:
# the leading digits cancel and what remains is mostly noise ("catastrophic cancellation").
# Dividing by $\delta$ turns it into an error of about $\varepsilon |\mathcal{L}| / \delta$ — **growing** like $1/\delta$.
#
# On a log-log plot the two regimes are straight lines: slope $+1$ (forward) or $+2$ (central) on the right,
# slope $-1$ on the left. The best $\delta$ is near where they cross. Setting $\frac{\delta}{2}|\mathcal{L}''| = \varepsilon|\mathcal{L}|/\delta$
# gives $\delta^* = \sqrt{2\varepsilon|\mathcal{L}|/|\mathcal{L}''|}$ for the forward difference, and $\frac{\delta^2}{6}|\mathcal{L}'''| = \varepsilon|\mathcal{L}|/\delta$
# gives $\delta^* = (6\varepsilon|\mathcal{L}|/|\mathcal{L}'''|)^{1/3}$ for the central one. When $\mathcal{L}$, $\mathcal{L}''$ and $\mathcal{L}'''$ are all about 1
# these are the rules of thumb $\sqrt{\varepsilon} \approx 10^{-8}$ and $\varepsilon^{1/3} \approx 10^{-5}$.
# In the figure the dashed lines are the two truncation errors and the dotted line the round-off estimate,
# with $\mathcal{L}''$ and $\mathcal{L}'''$ estimated from the loss:
#
# ![Error of forward and central differences against δ, log-log](../figures/01_nudge_errors.svg)
#
# ### Check: the slopes of the two regimes
#
# Fit a straight line to $\log(\text{error})$ against $\log \delta$ where truncation wins
# ($10^{-3} \le \delta \le 10^{-1}$), and print the predicted best nudges:

# %%
big = 10.0 ** np.linspace(-3, -1, 9)
e_big = rsp.difference_errors(net, x, label, "W_111", big, reference)
slope_fwd = np.polyfit(np.log10(big), np.log10(e_big["forward"]), 1)[0]
slope_cen = np.polyfit(np.log10(big), np.log10(e_big["central"]), 1)[0]
print(f"truncation regime: forward error ∝ δ^{slope_fwd:.2f}, central error ∝ δ^{slope_cen:.2f}")
model = rsp.error_model(net, x, label, "W_111", np.array([1.0]))
opt_fwd = np.sqrt(2 * rsp.EPS * abs(model["L"]) / abs(model["L2"]))
opt_cen = (6 * rsp.EPS * abs(model["L"]) / abs(model["L3"])) ** (1 / 3)
print(f"ℒ'' = {model['L2']:.4f}, ℒ''' = {model['L3']:.4f}")
print(f"predicted best δ: forward {opt_fwd:.0e}, central {opt_cen:.0e}")
assert abs(slope_fwd - 1) < 0.05 and abs(slope_cen - 2) < 0.05
assert best_fwd <= opt_fwd and best_cen <= opt_cen

# %% [markdown]
# The slopes are the $1$ and $2$ of the Taylor argument. The predicted best nudges ($2\times10^{-7}$ and
# $9\times10^{-5}$) are larger than the best ones in the table ($10^{-8}$ and $10^{-5}$), by a factor of 10 to 20:
# $\varepsilon|\mathcal{L}|/\delta$ is a *pessimistic* estimate of the round-off (each rounding error is usually smaller than
# a full $\varepsilon|\mathcal{L}|$, and the two partly cancel — the dotted line lies above the measured points), so the real
# crossing comes at a smaller $\delta$. What to remember is the shape: a V on a log-log plot, with a broad bottom.
#
# **In practice**, use central differences with $\delta \approx 10^{-5}$ to $10^{-6}$ (the library's
# `bp.numerical_gradient` uses $10^{-6}$): about ten correct digits, plenty to catch a wrong formula.
#
# ## Who is responsible for the loss?
#
# Every weight and bias has its own derivative. Its **size** $|\partial \mathcal{L}/\partial w|$ says how much the
# loss reacts when that parameter moves; its **sign** says which way. `rsp.rank_weights` computes all
# 36 of them by central differences and sorts them by size (weights are named $W_{kij}$, biases $b_{ki}$):

# %%
ranking = rsp.rank_weights(net, x, label)
print(f"{len(ranking)} parameters; the ten most responsible:")
for name, d in ranking[:10]:
    print(f"  {name:6s} dℒ/dw = {d:+.4f}")
print("the least responsible:", ranking[-1][0], f"{ranking[-1][1]:+.1e}")

# %%
names = [n for n, _ in ranking[:12]]
sizes = [abs(d) for _, d in ranking[:12]]
colours = ["#d62728" if d > 0 else "#1f77b4" for _, d in ranking[:12]]
fig, ax = plt.subplots(figsize=(7, 2.8))
ax.bar(range(12), sizes, color=colours)
ax.set_xticks(range(12), [n.replace("_", "") for n in names], rotation=45, fontsize=8)
ax.set_ylabel("|dℒ/dw|")
ax.set_title("The 12 most responsible parameters (red: dℒ/dw > 0, blue: dℒ/dw < 0)", fontsize=9)
plt.tight_layout()
plt.show()

# %% [markdown]
# The output layer dominates: its biases and weights act on the loss directly, while a layer-1 weight
# acts through two layers of logistic neurons, each of which damps a change (lessons 03 and 06 say by how
# much). The top one is $b_{33}$, the bias of the output neuron of the **true class** $\ell = 3$: raising it
# raises $\hat y_3$ and lowers the loss, hence the negative sign.
#
# ### Check: the ranking agrees with the backward pass

# %%
grads = bp.gradients(net, x, label)
from_backprop = {f"W_{k}{i + 1}{j + 1}": grads.grad_W[k][i, j] for k in range(1, net.L + 1)
                 for i in range(net.sizes[k]) for j in range(net.sizes[k - 1])}
from_backprop.update({f"b_{k}{i + 1}": grads.grad_b[k][i] for k in range(1, net.L + 1) for i in range(net.sizes[k])})
worst = max(bp.relative_error(d, from_backprop[n]) for n, d in ranking)
print(f"36 central differences vs the backward pass: largest relative error {worst:.0e}")
assert worst < 1e-6

# %% [markdown]
# ## Play: nudge a parameter yourself
#
# * **parameter** chooses which weight $W_{kij}$ or bias $b_{ki}$ you move (it starts on $W_{111}$). Switching it
#   keeps **w** where it is; the readout shows the parameter's lecture value, so you can slide back to it.
# * **w** sets that parameter's value; the blue curve on the left is the loss $\mathcal{L}(w)$ as a function of it,
#   everything else fixed. The black dot is where you are. The green line is the **tangent**: its slope is
#   the derivative. The red dashed line is the **secant** through $\mathcal{L}(w)$ and $\mathcal{L}(w+\delta)$: its slope is the
#   ratio $\Delta \mathcal{L}/\delta$.
# * **δ** (log scale) is the nudge. On the right, the error of both ratios for every $\delta$ at the
#   current $w$; the dotted vertical line marks your $\delta$.
#
# Things to try:
#
# * Make $\delta$ large (near 1): the secant visibly leaves the tangent. Shrink it: they merge.
# * Slide $\delta$ down to $10^{-12}$ and read the errors under the figure: round-off has taken over.
# * Choose $W_{333}$: a steep curve, a large derivative — it is highly responsible. Then choose $W_{123}$: the
#   y-axis adapts to each curve, so read its scale — the whole curve spans only about 0.04 of loss, and the
#   derivative in the readout is small.
# * Choose $b_{22}$ and move $w$ to about $-3.15$: the tangent is horizontal. There the derivative is 0 and $b_{22}$,
#   at that value, is responsible for nothing — it is the lowest loss along that one direction.
#
# (If you read this without running it, you see a still image of the starting position.)

# %%
play.panel()

# %% [markdown]
# The panel calls `play.nudge_state(name, w, delta)`, a plain function; at the start, and for the things to try above:

# %%
s = play.nudge_state("W_111", w0, 10 ** -0.5)
print(f"w = {s['w']:.2f}, δ = {s['delta']:.3f}: Δℒ/δ = {s['forward']:.6f}, dℒ/dw = {s['derivative']:.6f}, "
      f"error {s['forward_error']:.1e}")
s = play.nudge_state("W_123", 0.36, 1e-5)
print(f"W_123: the loss curve spans {s['curve'].max() - s['curve'].min():.4f}; dℒ/dW_123 = {s['derivative']:.4f}")
s = play.nudge_state("b_22", -3.15, 1e-5)
print(f"b_22 = -3.15: dℒ/db_22 = {s['derivative']:.1e}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and if not,
# which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer (try first!).
#
# **Exercise 01.1.** `grad_W3[i-1, j-1]` holds $\partial \mathcal{L}/\partial W_{3ij}$ for the lecture example.
# Which weight of layer 3 is the most responsible for the loss? Answer with its lecture indices as a pair
# `(i, j)`, counted from 1.

# %%
ex = checks.get("01.1")
grad_W3 = ex.data.grad_W3
answer = ...        # your code here, e.g. (i, j)
ex.check(answer)

# %% [markdown]
# **Exercise 01.2.** `L(w)` (the text's $\mathcal{L}(w)$) is the loss of the lecture example when $W_{212}$ is set to `w`; `w0` is
# $W_{212}$'s value in the lecture network. Estimate $\partial \mathcal{L}/\partial W_{212}$ at `w0` by a **central**
# difference with the nudge `delta` $= 10^{-3}$.

# %%
ex = checks.get("01.2")
L, w0, delta = ex.data.L, ex.data.w0, ex.data.delta
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 01.3** (not shown above). The truncation error of the forward difference is about
# $\frac{\delta}{2}|\mathcal{L}''|$. Estimate the **second** derivative $\mathcal{L}''(w_0) = \partial^2 \mathcal{L}/\partial W_{333}^2$ at
# $W_{333}$'s lecture value `w0`, using only values of `L(w)` (the loss as a function of $W_{333}$) and
# `delta` $= 10^{-2}$. Think of it as the slope just right of $w_0$ minus the slope just left of $w_0$,
# divided by $\delta$.

# %%
ex = checks.get("01.3")
L, w0, delta = ex.data.L, ex.data.w0, ex.data.delta
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * The derivative $\partial \mathcal{L}/\partial w$ is the limit of $\Delta \mathcal{L}/\delta$: nudge $w$ by $\delta$, the loss moves by
#   about $\frac{\partial \mathcal{L}}{\partial w}\delta$. Its size says how **responsible** $w$ is for the loss; its sign, which way.
# * Forward differences have error $\approx \frac{\delta}{2}|\mathcal{L}''|$, central differences $\approx \frac{\delta^2}{6}|\mathcal{L}'''|$;
#   both suffer round-off $\approx \varepsilon|\mathcal{L}|/\delta$. Best: central with $\delta \approx 10^{-5}$.
# * Finite differences cost two forward passes **per parameter** — fine for checking 36 parameters, hopeless
#   for millions. In the lecture network the output layer's parameters are the most responsible.
#
# **Next: 02 · One weight, one chain.** For a single sigmoid neuron we will get $\partial \mathcal{L}/\partial w$ exactly,
# by the chain rule, check it with this lesson's central differences, and use it to walk the weight downhill
# (gradient descent).
