"""Lesson 11's exercises: the vanishing bound, dead ReLUs, a half-symmetric initialisation, and the variance-keeping init scale."""
import numpy as np

from ..checks import Exercise, Mistake, exercise

LOGISTIC_G_PRIME_MAX = 0.25


@exercise("11.1")
def vanishing_bound():
    L, w = 8, 2.0
    return Exercise(
        "11.1",
        "A network with L = 8 layers (hidden layers 1..7, logistic) whose hidden weight matrices all have spectral "
        "norm ‖W_k‖₂ = w = 2. Going down from ∇_{h_7} to ∇_{h_1}, how large can the ratio ‖∇_{h_1}‖ / ‖∇_{h_7}‖ be "
        "at most? (One number; `L` and `w` are given.)",
        data={"L": L, "w": w},
        # another way: multiply the factor of each layer k = L-1 .. 2, one at a time
        expected=lambda d: float(np.prod([d.w * LOGISTIC_G_PRIME_MAX for k in range(d.L - 1, 1, -1)])),
        solution=lambda d: (d.w / 4) ** (d.L - 2),
        mistakes=[
            Mistake("the 1/4 of g′ forgotten", "Each layer multiplies by ‖W_k‖₂ AND by g′(a_k), and the logistic's "
                                              "g′ is at most 1/4.",
                    lambda d: d.w ** (d.L - 2)),
            Mistake("the weights forgotten", "g′ ≤ 1/4 is only half of each factor: W_k^T can stretch the vector "
                                             "by up to ‖W_k‖₂ = w as well.",
                    lambda d: LOGISTIC_G_PRIME_MAX ** (d.L - 2)),
            Mistake("one layer too few", "From ∇_{h_7} down to ∇_{h_1} there is one step for each k = 7, 6, ..., 2: "
                                         "count them.",
                    lambda d: (d.w / 4) ** (d.L - 3)),
            Mistake("one layer too many", "Count the layers whose W_k and g′(a_k) stand between h_7 and h_1: "
                                          "∇_{h_(k−1)} comes from ∇_{h_k} for k = 7, 6, ..., 2.",
                    lambda d: (d.w / 4) ** (d.L - 1)),
            Mistake("every layer counted", "The output layer's W_8 and the first layer's W_1 are not between h_7 "
                                           "and h_1: k = 7, 6, ..., 2 only.",
                    lambda d: (d.w / 4) ** d.L),
            Mistake("g′ bounded by 1/2", "g′ = g(1 − g) is largest at g = 1/2, where it is 1/2 · 1/2 = 1/4.",
                    lambda d: (d.w / 2) ** (d.L - 2)),
        ],
        scalar=True,
        rtol=1e-9, atol=0.0,
        hint="How many steps down lead from ∇_{h_7} to ∇_{h_1}, and by how much can one step at most multiply the "
             "size (section 1's bound, with the logistic's largest g′)?",
    )


def _relu_batch():
    rng = np.random.default_rng(11)
    B, n = 40, 20
    A = rng.normal(0.3, 1.0, size=(B, n))
    dead = [2, 5, 11, 17]
    A[:, dead] = -np.abs(rng.normal(1.5, 1.0, size=(B, len(dead))))     # a <= 0 for every example
    A[:, 8] = -np.abs(A[:, 8]); A[3, 8] = 0.2                          # negative but for one example: alive
    return np.round(A, 3)


@exercise("11.2")
def dead_relu_fraction():
    return Exercise(
        "11.2",
        "`A` (40, 20) holds the pre-activations a_k of a ReLU layer of 20 units for a batch of 40 examples (rows). "
        "What fraction of the layer's units are dead on this batch? (One number between 0 and 1.)",
        data={"A": _relu_batch()},
        expected=lambda d: float(sum(all(v <= 0 for v in d.A[:, i]) for i in range(d.A.shape[1])) / d.A.shape[1]),
        solution=lambda d: (d.A <= 0).all(axis=0).mean(),
        mistakes=[
            Mistake("fraction of entries, not of units", "A unit is dead when its a ≤ 0 for EVERY example; counting "
                                                          "the entries a ≤ 0 mixes in units that are merely off for "
                                                          "some examples.",
                    lambda d: float((d.A <= 0).mean())),
            Mistake("'any' instead of 'every'", "A unit that is off for some examples still passes gradient for the "
                                                 "others. Dead means off for every example: .all, not .any.",
                    lambda d: float((d.A <= 0).any(axis=0).mean())),
            Mistake("the living fraction", "That is the fraction of units that are on for at least one example, "
                                           "the ones still alive. The question asks for the dead ones.",
                    lambda d: float((d.A > 0).any(axis=0).mean())),
            Mistake("a count, not a fraction", "You counted the dead units; divide by the number of units.",
                    lambda d: float((d.A <= 0).all(axis=0).sum())),
            Mistake("the wrong axis", "Units are the columns of A (axis 1), examples the rows: ask 'every example' "
                                      "along axis 0, for each unit.",
                    lambda d: float((d.A <= 0).all(axis=1).mean())),
        ],
        scalar=True,
        rtol=1e-9, atol=1e-12,
        hint="A unit is a column of A. Section 4 says when a unit is dead: look at its whole column.",
    )


def _half_symmetric_net():
    from ..network import Network
    sizes = [64, 12, 8, 10]
    net = Network.init(sizes, "tanh", init="xavier", seed=3)
    net.W[2][:] = 0.1
    net.W[3][:] = 0.1
    return net


def _trained_distinct(d):
    """Computed another way: train the network for 3 epochs on the digits and count its distinct units."""
    import warnings

    from ..diagnostics import distinct_units
    from ..play.training import digits
    from ..train import fit
    data = digits()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = fit(_half_symmetric_net(), data.X_train, data.y_train, epochs=3, lr=0.02, progress=False, seed=0)
    return np.array(distinct_units(r.net), dtype=float)


@exercise("11.3")
def half_symmetric():
    net = _half_symmetric_net()
    return Exercise(
        "11.3",
        "Not shown in the lesson: a tanh network with sizes [64, 12, 8, 10] starts with RANDOM weights W_1 (12, 64), "
        "but every entry of W_2 (8, 12) and of W_3 (10, 8) equal to 0.1 (biases 0). After training on the digits, "
        "how many DIFFERENT hidden units does each hidden layer have? Answer [layer 1, layer 2], e.g. [3, 4].",
        data={"sizes": [64, 12, 8, 10], "W1": net.W[1].copy(), "c": 0.1},
        expected=_trained_distinct,
        solution=lambda d: [12, 1],
        mistakes=[
            Mistake("every constant layer makes copies", "Layer 1's units have different incoming rows of W_1, so "
                                                           "they compute different h_1 and stay different, whatever "
                                                           "their outgoing weights.",
                    lambda d: [1, 1]),
            Mistake("random W_1 breaks every symmetry", "Look at one unit i of layer 2: a_2i = Σ_j W_2ij h_1j. "
                                                          "Its incoming row, its bias and its outgoing column "
                                                          "W_3[:, i] are the same for every i, so every unit of "
                                                          "layer 2 computes, and receives, the same.",
                    lambda d: [12, 8]),
            Mistake("the layers swapped", "Which units have equal INCOMING rows and bias? Those compute equal h; "
                                          "if their outgoing columns are equal too, they get equal gradients.",
                    lambda d: [1, 8]),
        ],
        rtol=0.0, atol=0.25,
        hint="Two units stay copies when they have the same incoming row of W_k, the same bias and the same "
             "outgoing column of W_(k+1). Check that for each hidden layer.",
    )


def _sampled_sigma(d):
    """Computed another way: sample a layer with sigma = 1, measure Var(a), and rescale sigma."""
    rng = np.random.default_rng(0)
    N = 20000
    H = rng.normal(size=(N, d.n_in))
    w = rng.normal(size=(N, d.n_in))          # a fresh weight row per sample: W_kij ~ Normal(0, 1)
    a = np.sum(w * H, axis=1)
    return float(1.0 / np.sqrt(a.var()))      # Var(a) scales with sigma^2


@exercise("11.4")
def variance_keeping_scale():
    return Exercise(
        "11.4",
        "Not shown in the lesson: a layer with n_in = 200 inputs and n_out = 50 units. Its inputs h_(k−1),j are "
        "independent with mean 0 and variance 1, its weights W_kij independent draws from Normal(0, σ²), its "
        "biases 0. Which σ makes Var(a_ki) = 1, the same as the inputs' variance? (One number; `n_in` and "
        "`n_out` are given.)",
        data={"n_in": 200, "n_out": 50},
        expected=_sampled_sigma,
        solution=lambda d: 1 / np.sqrt(d.n_in),
        mistakes=[
            Mistake("the variance given as σ", "n_in σ² = 1 gives σ² = 1/n_in; σ is its square root.",
                    lambda d: 1 / d.n_in),
            Mistake("Xavier's compromise", "2/(n_in + n_out) is Xavier's choice, which also cares about the backward "
                                            "pass. For the forward pass alone, only the n_in terms of the sum "
                                            "a_ki = Σ_j W_kij h_(k−1),j count.",
                    lambda d: np.sqrt(2 / (d.n_in + d.n_out))),
            Mistake("the ReLU rule", "σ² = 2/n_in is for ReLU inputs, half of which are 0. Here the inputs have mean 0 "
                                     "and variance 1.",
                    lambda d: np.sqrt(2 / d.n_in)),
            Mistake("upside down", "Var(a_ki) = n_in σ² grows with σ: more inputs need SMALLER weights, "
                                   "so σ shrinks as n_in grows.",
                    lambda d: np.sqrt(d.n_in)),
            Mistake("n_in + n_out", "Only the n_in terms of the sum a_ki = Σ_j W_kij h_(k−1),j count; n_out is the "
                                    "number of such sums, one per unit, and does not change any one of them.",
                    lambda d: 1 / np.sqrt(d.n_in + d.n_out)),
            Mistake("n_out instead of n_in", "a_ki sums over the n_in inputs j of unit i, not over the units.",
                    lambda d: 1 / np.sqrt(d.n_out)),
        ],
        scalar=True,
        rtol=0.01, atol=0.0,
        hint="a_ki = Σ_j W_kij h_(k−1),j is a sum of n_in independent terms with mean 0. The variance of a product of "
             "independent mean-0 factors is the product of their variances; variances of independent terms add.",
    )
