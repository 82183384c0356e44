"""backprop: the library behind the course "Backpropagation, from one weight to the whole network".

The notebooks in ``notebooks/`` derive each piece; this package holds the code
they call, in the lecture's notation (see COURSE.md and each module's docstring).
"""
from .activations import logistic, logistic_prime, relu, relu_prime, tanh, tanh_prime
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .losses import cross_entropy, cross_entropy_grad, log_softmax, one_hot, softmax, softmax_jacobian
from .network import Forward, Gradients, Network, backward, forward, gradients, loss

__version__ = "0.1.0"

__all__ = [
    "Network", "Forward", "Gradients", "forward", "backward", "gradients", "loss",
    "logistic", "logistic_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "softmax", "log_softmax", "cross_entropy", "cross_entropy_grad", "one_hot", "softmax_jacobian",
    "check_gradients", "numerical_gradient", "relative_error",
]
