"""An independent reference: the same network's loss written for HIPS autograd.

Nothing here calls backprop's maths; autograd differentiates this code itself.
"""
import autograd.numpy as anp
from autograd import grad


def _g(name, a):
    if name == "logistic":
        return 0.5 * (anp.tanh(0.5 * a) + 1.0)   # = 1 / (1 + exp(-a)), written differently on purpose
    if name == "tanh":
        return anp.tanh(a)
    if name == "relu":
        return anp.maximum(a, 0.0)
    raise ValueError(name)


def loss_from_params(params, x, label, activation):
    """params = [W1, b1, W2, b2, ...]; mean cross-entropy of softmax outputs."""
    h = x
    L = len(params) // 2
    for k in range(L):
        W, b = params[2 * k], params[2 * k + 1]
        a = anp.dot(h, W.T) + b
        h = _g(activation, a) if k < L - 1 else a
    a = h
    if a.ndim == 1:
        m = anp.max(a)
        return -(a[label] - m - anp.log(anp.sum(anp.exp(a - m))))
    m = anp.max(a, axis=1, keepdims=True)
    logp = a - m - anp.log(anp.sum(anp.exp(a - m), axis=1, keepdims=True))
    picked = anp.array([logp[i, label[i]] for i in range(a.shape[0])])
    return -anp.mean(picked)


def autograd_gradients(net, x, label):
    """[(grad_W1, grad_b1), ...] from autograd, for a backprop.Network."""
    params = []
    for k in range(1, net.L + 1):
        params += [net.W[k], net.b[k]]
    g = grad(loss_from_params)(params, x, label, net.activation)
    return [(g[2 * k], g[2 * k + 1]) for k in range(net.L)]


def loss_from_pre_activation(params, a_k, k, label, activation):
    """Loss as a function of the pre-activation a_k of layer k (1-based): continue the forward pass from there."""
    L = len(params) // 2
    h = _g(activation, a_k) if k < L else None
    if k == L:
        a = a_k
    else:
        for j in range(k, L):
            W, b = params[2 * j], params[2 * j + 1]
            a = anp.dot(h, W.T) + b
            h = _g(activation, a) if j < L - 1 else a
        a = h
    return _ce(a, label)


def loss_from_activation(params, h_k, k, label, activation):
    """Loss as a function of h_k (k = 0 is the input x)."""
    L = len(params) // 2
    h = h_k
    for j in range(k, L):
        W, b = params[2 * j], params[2 * j + 1]
        a = anp.dot(h, W.T) + b
        h = _g(activation, a) if j < L - 1 else a
    return _ce(h, label)


def _ce(a, label):
    if a.ndim == 1:
        m = anp.max(a)
        return -(a[label] - m - anp.log(anp.sum(anp.exp(a - m))))
    m = anp.max(a, axis=1, keepdims=True)
    logp = a - m - anp.log(anp.sum(anp.exp(a - m), axis=1, keepdims=True))
    return -anp.mean(anp.array([logp[i, label[i]] for i in range(a.shape[0])]))


def params_of(net):
    params = []
    for k in range(1, net.L + 1):
        params += [net.W[k], net.b[k]]
    return params
