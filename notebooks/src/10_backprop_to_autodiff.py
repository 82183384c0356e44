# %% [markdown]
# # 10 · From backprop to autodiff
#
# **What you will learn.** How a program can find the gradient of *any* expression built from a few
# operations, without anyone deriving it: **reverse-mode automatic differentiation**. You will build
# expressions from nodes of a small engine (`backprop.autodiff`, a few hundred lines), watch the backward
# pass hand gradients from node to node, and see that the engine, given only lesson 08's *forward*
# pass, returns exactly lesson 08's gradients. Backpropagation *is* reverse-mode differentiation,
# applied to a network.
#
# **Where this sits.** Lesson 03 (*a deep, thin network*) reused $\delta_k = \partial\mathcal{L}/\partial a_k$
# instead of recomputing it; lesson 04 (*many paths*) added up one product per path; lessons 05–08 derived
# one local formula per layer and chained them by hand. Here the chaining is done by a program that only
# knows the local rule of each operation. Lesson 09 trained with the hand-derived gradients; lesson 11
# looks at what goes wrong when gradients misbehave. (As everywhere, $\mathcal{L}$ is the loss and plain
# $L$ the number of layers.)

# %%
import inspect

import numpy as np

import backprop as bp
from backprop import autodiff as ad
from backprop import checks, lecture
from backprop import whole_network as wn
from backprop.play import autodiff_graph

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## Every number becomes a node
#
# A forward pass is a sequence of small operations: multiply, add, apply $\sigma$, take a log... The engine
# records each one as a **node** (`ad.Tensor`) that keeps
#
# * `data`: its value (a number, or a numpy array of any shape),
# * `parents`: the nodes it was computed from,
# * its **local backward rule**: if $g = \partial \mathcal{L}/\partial(\text{this node})$ is known, the rule
#   returns $g \cdot \partial(\text{this node})/\partial(\text{parent})$ for each parent, using only the node's
#   own inputs and output,
# * `grad`: $\partial \mathcal{L}/\partial(\text{this node})$, filled in by the backward pass.
#
# The local rules are the derivatives you know (for arrays, $G$ is the incoming gradient, of the node's shape):
#
# | node | contribution to each parent ($g$ arrives from above; out is the node's own value) |
# |---|---|
# | $a + b$ | $g$ to $a$, $g$ to $b$ |
# | $a - b$ | $g$ to $a$, $-g$ to $b$ |
# | $a \cdot b$ (elementwise) | $g\,b$ to $a$, $g\,a$ to $b$ |
# | $A\,B$ (`A @ B`) | $G B^\top$ to $A$, $A^\top G$ to $B$ (lesson 07's outer products) |
# | $A^\top$ (`A.T`) | $G^\top$ to $A$ |
# | $e^a$ | $g \cdot \text{out}$ |
# | $\log a$ | $g / a$ |
# | $\tanh a$ | $g\,(1 - \text{out}^2)$ (lesson 06) |
# | $\sigma(a)$ | $g\,\text{out}\,(1-\text{out})$ (lesson 06) |
# | $\mathrm{relu}(a)$ | $g \cdot [a > 0]$ (lesson 06) |
# | $\sum_i a_i$ / $\frac1n \sum_i a_i$ | $g$ / $g/n$ to every entry |
# | $\log \mathrm{softmax}(a)$ | $g - \hat y \sum_c g_c$ with $\hat y = e^{\text{out}}$ (lesson 05's Jacobian applied to $g$) |
#
# The cross-entropy is not a node of its own: `ad.cross_entropy(a, ℓ)` is built from nodes,
# $-\sum_c e(\ell)_c \log \mathrm{softmax}(a)_c$ (divided by $B$ for a batch).
#
# **The backward pass.** Put the nodes in *topological order* (every node after the nodes it was computed from),
# set $\partial\mathcal{L}/\partial\mathcal{L} = 1$ at the loss, and walk the order **backwards**: each node passes its
# gradient through its local rule, and each parent **adds** what it receives:
#
# $$\texttt{parent.grad} \mathrel{+}= g \cdot \frac{\partial\, \text{node}}{\partial\, \text{parent}} .$$
#
# Here is the rule of `*` and the backward pass, as the library has them:

# %%
print(inspect.getsource(ad._mul))
source = inspect.getsource(ad.Tensor.backward)
print(source[source.index("        order = "):])

# %% [markdown]
# (In `_mul`, `_check_broadcast` refuses operands whose shapes the engine does not combine, such as a column
# $(n, 1)$ with a vector $(n,)$, and `cost` feeds the operation count at the end of the lesson. In `backward`,
# `_unbroadcast` adds up the contributions of an operand that was used for every row, like a bias.)
#
# Two lines carry the ideas of lessons 03 and 04:
#
# * `parent.grad += c` adds: a node used by several later nodes (several paths to the loss) gets one
#   contribution per path, and their **sum** is its gradient. That is lesson 04's sum over paths.
# * `for node in reversed(order)`: when a node passes its gradient on, every node computed from it has already
#   passed *its* gradient back, so `node.grad` is complete. It is computed once and reused by all of the node's
#   parents. That is lesson 03's reuse of $\delta_k$.
#
# ## A first graph: lesson 02's neuron
#
# One logistic neuron, input $x = 2$, weight $w = -1$, bias $b = 0$, target $y = 0.8$, squared error
# $\mathcal{L} = \tfrac12(\sigma(w x + b) - y)^2$ (lesson 02). The square is written `d * d`, so the node `d` is used
# twice. The target $y$ is data: `ad.constant` makes a node whose gradient is not needed.

# %%
w, x, b = ad.Tensor(-1.0, "w"), ad.Tensor(2.0, "x"), ad.Tensor(0.0, "b")
y = ad.constant(0.8, "y")
a = w * x + b
y_hat = ad.logistic(a)
d = y_hat - y
loss = 0.5 * (d * d)
print(f"a = {a.item():.4f}, y_hat = {y_hat.item():.6f}, d = {d.item():.6f}, loss = {loss.item():.6f}")
tag = lambda n: f"{autodiff_graph.node_text(n)}[{n.item():+.3f}]"      # a node's symbol and its value
print("nodes in topological order:", ", ".join(tag(n) for n in ad.topological_order(loss)))

# %% [markdown]
# Each node is printed as its symbol and its value: `×[+0.463]` is `d * d`. The constants `0.5` and `y` come first
# only because the order lists every node after its parents, and constants have none.
#
# Now the backward pass. `trace=True` returns every `+=` in the order it happened: which node handed how much
# to which parent.

# %%
steps = loss.backward(trace=True)
for node, parent, c in steps:
    print(f"{tag(node):>12} -> {tag(parent):<12} += {float(c):+.6f}")
print(f"\nd received two contributions, {float(steps[1][2]):+.6f} and {float(steps[2][2]):+.6f}: d.grad = {float(d.grad):+.6f}")
print(f"dℒ/dw = {float(w.grad):+.8f}   dℒ/dx = {float(x.grad):+.8f}   dℒ/db = {float(b.grad):+.8f}")

# %% [markdown]
# The picture, drawn by `autodiff_graph.graph_figure` from the same nodes: every box shows the node, its value
# (black) and its gradient $\partial\mathcal{L}/\partial\text{node}$ (red). Forward runs left to right; the backward pass
# runs right to left. The two arrows from `−` to `×` are the two uses of $d$: the `×` box's gradient $0.5$ comes
# back along both, each time multiplied by the other operand $d = -0.681$, and the two halves add up to $-0.681$.
#
# ![The graph of ½(σ(w·x + b) − y)² with each node's value and gradient](../figures/10_graph.svg)
#
# ### Check: the engine against lesson 02's chain rule and central differences
#
# Lesson 02 derived $\partial\mathcal{L}/\partial w = (\hat y - y)\,\hat y(1-\hat y)\,x$, and in the same way
# $\partial\mathcal{L}/\partial b = (\hat y - y)\,\hat y(1-\hat y)$ and $\partial\mathcal{L}/\partial x = (\hat y - y)\,\hat y(1-\hat y)\,w$.

# %%
yh = 1 / (1 + np.exp(-(-1.0 * 2.0 + 0.0)))
closed = (yh - 0.8) * yh * (1 - yh) * np.array([2.0, -1.0, 1.0])          # w, x, b
f = lambda v: 0.5 * (1 / (1 + np.exp(-(v[0] * v[1] + v[2]))) - 0.8) ** 2
numeric = bp.numerical_gradient(f, np.array([-1.0, 2.0, 0.0]))
engine = np.array([float(w.grad), float(x.grad), float(b.grad)])
print("engine             ", engine)
print("closed form        ", closed)
print("central differences", numeric)
print(f"largest relative error: vs closed form {bp.relative_error(engine, closed).max():.0e}, "
      f"vs central differences {bp.relative_error(engine, numeric).max():.0e}")
assert np.allclose(engine, closed, rtol=1e-12) and bp.relative_error(engine, numeric).max() < 1e-7

# %% [markdown]
# ### What `=` instead of `+=` would do
#
# If a parent *overwrote* its gradient instead of adding to it, $d$ would keep only the last of its two
# contributions, half of the true gradient, and everything below $d$ would be halved with it:

# %%
last_only = float(steps[2][2])                  # the last contribution d received
print(f"d.grad with '=': {last_only:+.6f}   with '+=': {float(d.grad):+.6f}")
print(f"dℒ/dw would be {float(w.grad) * last_only / float(d.grad):+.8f} instead of {float(w.grad):+.8f}")

# %% [markdown]
# This is a classic bug in hand-written autodiff engines (exercise 10.2 asks you to spot it).
#
# ## Lesson 08's network, differentiated by the engine
#
# The engine knows nothing about layers. Give it lesson 08's forward pass, written with nodes, and call
# `backward()`:

# %%
print(inspect.getsource(ad.network_loss))

# %% [markdown]
# First the output layer alone. Lesson 05 derived $\nabla_{a_L}\mathcal{L} = -(e(\ell) - \hat y)$ by hand; the engine
# composes the rules of `log_softmax`, `*` and `sum` and gets the same vector for the lecture example:

# %%
net = lecture.network()
x_ex, label = lecture.example()
fwd = bp.forward(net, x_ex)
a_L = ad.Tensor(fwd.a[net.L], "a_L")
ad.cross_entropy(a_L, label).backward()
print("engine:     dℒ/da_L =", a_L.grad)
print("lesson 05: -(e(ℓ) - ŷ) =", -(bp.one_hot(label, 3) - fwd.y_hat))
assert np.allclose(a_L.grad, fwd.y_hat - bp.one_hot(label, 3), rtol=1e-13, atol=1e-15)

# %% [markdown]
# ### Check: every gradient equals `backprop.gradients` and autograd
#
# On the lecture network and example, and on a deeper ReLU network and a tanh network with batches (the loss is
# the mean over the batch). Each line is the largest relative error over all $\nabla_{W_k}$ and $\nabla_{b_k}$,
# against lesson 08's `bp.gradients` and against the autodiff library autograd (`wn.autograd_gradients`).

# %%
rng = np.random.default_rng(10)
cases = [("lecture network, one example", net, x_ex, label)]
for sizes, activation, B in [([6, 8, 8, 8, 4], "relu", 5), ([10, 16, 16, 16, 16, 3], "tanh", 8)]:
    deep = bp.Network.init(sizes, activation=activation, seed=10)
    cases.append((f"{sizes} {activation}, batch of {B}", deep, rng.normal(size=(B, sizes[0])),
                  rng.integers(0, sizes[-1], size=B)))
worst = 0.0
for title, n, X, labels in cases:
    loss_ad, gW, gb = ad.network_gradients(n, X, labels)
    ref = bp.gradients(n, X, labels)
    aW, ab = wn.autograd_gradients(n, X, labels)
    vs_bp = max(bp.relative_error(g1, g2).max() for k in range(1, n.L + 1)
                for g1, g2 in ((gW[k], ref.grad_W[k]), (gb[k], ref.grad_b[k])))
    vs_ag = max(bp.relative_error(g1, g2).max() for k in range(1, n.L + 1)
                for g1, g2 in ((gW[k], aW[k]), (gb[k], ab[k])))
    print(f"{title:<42} loss {loss_ad:.6f} (backprop {ref.loss:.6f})   vs backprop {vs_bp:.0e}   vs autograd {vs_ag:.0e}")
    worst = max(worst, vs_bp, vs_ag)
print(f"largest relative error over all: below 1e-12: {worst < 1e-12}")
assert worst < 1e-12

# %% [markdown]
# Agreement to rounding: the engine multiplies the same matrices as lesson 08's backward pass, sometimes in a
# different order. Compare the rules with lesson 08's pseudocode: the rule of `@` with its `.T` gives
# $\nabla_{W_k} = \nabla_{a_k} h_{k-1}^\top$ and $\nabla_{h_{k-1}} = W_k^\top \nabla_{a_k}$; the rule of `+` with a
# broadcast bias sums the rows, $\nabla_{b_k} = \sum_r \nabla_{a_k}$ (the bias is used once per example: a sum over
# paths again); the rules of $\sigma$, tanh and relu give $\odot\, g'(a_{k})$. **Backpropagation is reverse-mode
# automatic differentiation of the network's forward pass.**
#
# ## What it costs
#
# `ad.count_operations` adds up the arithmetic of each pass by a simple model: one operation per entry of an
# elementwise step (a few for tanh, $\sigma$, log-softmax), and $m n p$ multiply-adds for a product of an $(m, n)$ and
# an $(n, p)$ matrix. Its matrix-product part must equal lesson 08's count exactly.

# %%
ratios = []
print(f"{'network':<24} {'B':>3} {'nodes':>6} {'forward':>9} {'backward':>9} {'backward/forward':>17}")
for sizes, B in [([3, 3, 3, 3], 1), ([64, 128, 10], 32), ([784, 256, 128, 10], 64), ([20, 50, 50, 50, 50, 10], 16)]:
    n = bp.Network.init(sizes, activation="tanh", seed=0)
    X = np.zeros((B, sizes[0])) if B > 1 else np.zeros(sizes[0])
    lab = np.zeros(B, dtype=int) if B > 1 else 0
    root, _, _ = ad.network_loss(n, X, lab)
    c = ad.count_operations(root)
    assert c["matmul_forward"] == wn.forward_multiply_adds(sizes, B)
    assert c["matmul_backward"] == wn.backward_multiply_adds(sizes, B)
    print(f"{str(sizes):<24} {B:>3} {c['nodes']:>6} {c['forward']:>9} {c['backward']:>9} {c['ratio']:>17.2f}")
    ratios.append(c["ratio"])
print("matrix products: forward and backward equal lesson 08's counts for every network")
print(f"backward / forward between {min(ratios):.1f} and {max(ratios):.1f}")

# %% [markdown]
# One backward pass gives **all** $P$ gradients for between 1.1 and 1.8 times the work of the forward pass. (Lesson 08's
# backward pass did 2 matrix products per layer; the first layer needs only 1, because nobody needs
# $\nabla_{h_0}$, the gradient of the input. Where the first layer holds most of the weights, the ratio is near 1.)
# That is why reverse mode suits training: **one** scalar loss, **many** parameters. The other way round,
# *forward-mode* differentiation carries the derivative with respect to **one** input along with the forward
# pass, so the $P$ gradients need $P$ such passes, each about as costly as a forward pass: exact, unlike finite
# differences, but with the same $P$-fold cost. Forward mode pays off only when there are few inputs and many outputs.
#
# ## Play: build an expression, see its graph
#
# * **expression** chooses a formula from the menu; the graph is redrawn with its nodes.
# * The three sliders set the expression's inputs; their labels change with the expression ($w, x, b$ for a
#   neuron, $a_1, a_2, a_3$ for the logits of the cross-entropy).
#
# Each box shows a node's value (black) and the gradient of the output with respect to it (red); the line under the
# picture prints the inputs' gradients next to the closed form and to central differences. What to look for:
#
# * **x·y + x·z**: $x$ has two arrows out, and its gradient is the sum of what comes back along them, $y + z$.
# * **½(σ(w·x + b) − y)²**: make $w x + b$ large (say $w = 3$, $x = 2$): $\sigma$'s box passes almost nothing back,
#   every gradient before it shrinks (the vanishing gradients of lesson 03).
# * **cross-entropy** (in the menu: $\log(e^{a_1} + e^{a_2} + e^{a_3}) - a_1$, which is $-\log \hat y_1$ for true class
#   $\ell = 1$): the gradients of $a_1, a_2, a_3$ are $\hat y - e(1)$; they always add up to 0. $a_1$ is used
#   twice (in its exp and at the end), so its gradient is a sum of two paths: $\hat y_1$ and $-1$.
# * **relu(w·x + b)**: at the start values $w x + b = -2 < 0$: the relu box passes back 0, and every gradient is 0.
#   Move $b$ above 2 and the gradients come back. At exactly
#   $w x + b = 0$ the central difference straddles the kink and shows half the slope; the engine uses 0 there (lesson 06).

# %%
autodiff_graph.panel()

# %% [markdown]
# The panel calls `autodiff_graph.expression_state(expression, v1, v2, v3)`, a plain function. Its start, and
# the menu's cross-entropy (true class $\ell = 1$) at the lecture example's logits $a_L$ (rounded), the neuron
# pushed far into $\sigma$'s flat part, and the ReLU neuron off, on, and at its kink:

# %%
s = autodiff_graph.expression_state("squared", -1.0, 2.0, 0.0)
print(s["formula"], "at w, x, b = -1, 2, 0:  gradients", s["grads"], "  closed form", s["closed"])
a3 = np.round(fwd.a[3], 2)
s = autodiff_graph.expression_state("cross_entropy", *a3)
print(f"cross-entropy at a = {a3}: gradients {s['grads']}, adding up to 0: {abs(s['grads'].sum()) < 1e-12}")
print("ŷ - e(1) =", bp.softmax(a3) - bp.one_hot(0, 3))
s = autodiff_graph.expression_state("squared", 3.0, 2.0, 0.0)
print(f"w = 3, x = 2: dℒ/dw = {s['grads'][0]:+.2e} (sigma'(a) = {1 / (1 + np.exp(-6)) * (1 - 1 / (1 + np.exp(-6))):.4f})")
for b_relu in (0.0, 2.5, 2.0):
    s = autodiff_graph.expression_state("relu", -1.0, 2.0, b_relu)
    print(f"relu at w, x, b = -1, 2, {b_relu}: w x + b = {-2.0 + b_relu:+.1f}, engine {s['grads'] + 0.0}, central diff. {np.round(s['numeric'], 6) + 0.0}")

# %% [markdown]
# ## Exercises
#
# Replace each `...` with your answer and run the cell: the check says whether you are right, and if not,
# which mistake it looks like. `ex.hint()` gives a nudge; `ex.solution()` shows the answer (try first!).
#
# **Exercise 10.1.** A new node for the engine: $\text{out} = \sqrt{x}$, elementwise, $x > 0$. Write its local
# backward rule: given the incoming gradient `g` $= \partial\mathcal{L}/\partial\,\text{out}$ and the input `x` (both of
# shape (4,)), give the contribution to `x.grad`, $\partial\mathcal{L}/\partial x$.

# %%
ex = checks.get("10.1")
x, g = ex.data.x, ex.data.g
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 10.2.** The node $p = x \cdot x$ multiplies $x$ by itself. The rule of `*` hands $g\,b$ to its left
# operand $a$ and $g\,a$ to its right operand $b$; here $a$ and $b$ are the same node $x$, whose `grad` is 0 before
# this step. Given `x` and the incoming gradient `g` $= \partial\mathcal{L}/\partial p$ (shape (3,) each), what does
# `x.grad` hold after $p$'s backward step?

# %%
ex = checks.get("10.2")
x, g = ex.data.x, ex.data.g
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 10.3.** In `network_loss` the batch pre-activation $H W^\top$ is two nodes: `Wt = W.T`, then
# `C = H @ Wt`. With `H` (5, 3), `W` (4, 3) and the incoming gradient `G` $= \partial\mathcal{L}/\partial C$ (5, 4),
# apply the two local rules from the table (`@` first, then `.T`) to get $\partial\mathcal{L}/\partial W$, shape (4, 3).

# %%
ex = checks.get("10.3")
H, W, G = ex.data.H, ex.data.W, ex.data.G
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# **Exercise 10.4** (not shown above). The engine has no division. Derive the local rule of $q = u / v$
# (elementwise, $v \ne 0$): given `u`, `v` and the incoming gradient `g` $= \partial\mathcal{L}/\partial q$ (shape (3,)
# each), give both contributions stacked as one array of shape (2, 3): row 0 is $\partial\mathcal{L}/\partial u$,
# row 1 is $\partial\mathcal{L}/\partial v$.

# %%
ex = checks.get("10.4")
u, v, g = ex.data.u, ex.data.v, ex.data.g
answer = ...        # your code here
ex.check(answer)

# %% [markdown]
# ## Summary
#
# * A reverse-mode autodiff engine records the forward pass as a graph of nodes, each with a **local** backward
#   rule: the derivative of that one operation, times the gradient arriving from above.
# * `backward()` walks the nodes in reverse topological order. Each node's gradient is complete before it is passed
#   on (lesson 03's reuse); a node used several times **adds** its contributions, `grad += ...` (lesson 04's sum
#   over paths). Overwriting instead of adding is the classic bug.
# * Given only lesson 08's forward pass, the engine returns lesson 08's gradients (and autograd's) to rounding,
#   and finds $\nabla_{a_L}\mathcal{L} = -(e(\ell) - \hat y)$ by itself: **backpropagation is reverse-mode
#   automatic differentiation**.
# * One backward pass costs a small constant times the forward pass (here 1.1 to 1.8) and gives all $P$ gradients;
#   forward mode would need $P$ passes. One scalar loss, many parameters: reverse mode.
#
# **Next: 11 · When gradients misbehave.** Vanishing and exploding gradients, symmetric initialisation, dead
# ReLUs and a learning rate that diverges: what they look like, and how to see each one in the gradients.
