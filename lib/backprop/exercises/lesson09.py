"""Lesson 09's exercises: accuracy from predicted probabilities, one momentum step, per-class recall, a weight-decay step."""
import numpy as np

from ..checks import LABELS_CONFUSED, SIGN, TRANSPOSED, Exercise, Mistake, exercise
from ..gradcheck import numerical_gradient
from ..losses import one_hot


def _probabilities():
    """Y_hat (20, 10): rows of a softmax, seeded; E (20, 10): one-hot true classes, 4 of 20 predicted wrongly."""
    rng = np.random.default_rng(90)
    N, n = 20, 10
    labels = np.arange(N) % n
    rng.shuffle(labels)
    logits = rng.normal(0.0, 1.0, size=(N, n))
    logits[np.arange(N), labels] += 4.5                 # mostly right ...
    wrong = [2, 7, 11, 16]                              # ... but not always
    for r in wrong:
        logits[r, (labels[r] + 3) % n] += 6.0
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    Y_hat = np.round(z / z.sum(axis=1, keepdims=True), 4)
    Y_hat /= Y_hat.sum(axis=1, keepdims=True)
    return Y_hat, one_hot(labels, n)


@exercise("09.1")
def accuracy_from_probabilities():
    Y_hat, E = _probabilities()

    def by_counting(d):
        right = 0
        for p, e in zip(d.Y_hat, d.E):
            guess = max(range(len(p)), key=lambda j: p[j])
            right += int(e[guess] == 1)
        return right / len(d.Y_hat)

    return Exercise(
        "09.1",
        "A network's predicted distributions ŷ for N = 20 examples are the rows of `Y_hat` (20, 10); the true "
        "classes are stored one-hot, as rows e(ℓ) of `E` (20, 10). What is the accuracy: the fraction (0..1) of "
        "examples whose predicted class (the most probable one) is the true class?",
        data={"Y_hat": Y_hat, "E": E},
        expected=by_counting,
        solution=lambda d: np.mean(d.Y_hat.argmax(axis=1) == d.E.argmax(axis=1)),
        mistakes=[
            Mistake(LABELS_CONFUSED, "You compared one-hot rows entry by entry, so the many matching zeros count as "
                                     "'right' too. Turn both into class indices ℓ first (argmax of each row), "
                                     "then compare one number per example.",
                    lambda d: np.mean((d.Y_hat == d.Y_hat.max(axis=1, keepdims=True)) == d.E)),
            Mistake("argmax over the wrong axis", "axis=0 picks, for each class, the example with the largest "
                                                  "value: 10 numbers, not one class per example. The classes run "
                                                  "along the rows: axis=1.",
                    lambda d: np.mean(d.Y_hat.argmax(axis=0) == d.E.argmax(axis=0))),
            Mistake("error rate", "That is the fraction of examples predicted WRONGLY; the accuracy is the other part.",
                    lambda d: np.mean(d.Y_hat.argmax(axis=1) != d.E.argmax(axis=1))),
            Mistake("probability of the true class", "The mean of ŷ_ℓ is a (soft) confidence, not the accuracy: "
                                                     "an example counts as right when its LARGEST ŷ is the true "
                                                     "class, however large that ŷ is.",
                    lambda d: np.mean(np.sum(d.Y_hat * d.E, axis=1))),
            Mistake("a percentage", "Give the fraction between 0 and 1, not a percentage.",
                    lambda d: 100 * np.mean(d.Y_hat.argmax(axis=1) == d.E.argmax(axis=1))),
            Mistake("a count, not a fraction", "That is how many examples are right (np.sum); the accuracy "
                                               "divides by the number of examples N (np.mean does both).",
                    lambda d: np.sum(d.Y_hat.argmax(axis=1) == d.E.argmax(axis=1))),
            Mistake("rounded ŷ compared entry by entry", "np.round(Y_hat) == E compares all 10 entries of every "
                                                          "row, and the many zeros agree whether the prediction is "
                                                          "right or not. Compare one class index per example: the "
                                                          "argmax of each row.",
                    lambda d: np.mean(np.round(d.Y_hat) == d.E)),
        ],
        scalar=True, rtol=0.0, atol=1e-9,
        hint="Each row of Y_hat gives one predicted class (its largest entry) and each row of E one true class.",
    )


ETA, MU = 0.1, 0.9
"""Learning rate and momentum of exercise 09.2."""


@exercise("09.2")
def momentum_step():
    rng = np.random.default_rng(91)
    W = np.round(rng.normal(0, 0.5, size=(3, 4)), 2)
    v = np.round(rng.normal(0, 0.3, size=(3, 4)), 2)
    grad = np.round(rng.normal(0, 0.4, size=(3, 4)), 2)

    def by_the_library(d):
        from ..minibatch import momentum_step as step
        return step(d.W, d.v, d.grad, d.eta, d.mu)[0]

    return Exercise(
        "09.2",
        "One step of gradient descent with momentum on the weight matrix W₂ (shape (3, 4), `W`). Its velocity "
        "from the previous steps is `v`, the gradient of the mean batch loss on this minibatch is `grad`, the "
        "learning rate η is `eta` and the momentum μ is `mu`. Give W₂ after the step.",
        data={"W": W, "v": v, "grad": grad, "eta": ETA, "mu": MU},
        expected=by_the_library,
        solution=lambda d: d.W - d.eta * (d.mu * d.v + d.grad),
        mistakes=[
            Mistake(SIGN, "Descent goes AGAINST the gradient: subtract η times the new velocity.",
                    lambda d: d.W + d.eta * (d.mu * d.v + d.grad)),
            Mistake("momentum forgotten", "That is a plain gradient-descent step. With momentum, the step is "
                                          "η times the new velocity, which also carries μ times the old one.",
                    lambda d: d.W - d.eta * d.grad),
            Mistake("old velocity used", "Update the velocity first (v ← μv + ∇), then step with the NEW velocity.",
                    lambda d: d.W - d.eta * d.v),
            Mistake("old velocity not decayed", "The old velocity is multiplied by μ before the gradient is added.",
                    lambda d: d.W - d.eta * (d.v + d.grad)),
            Mistake("running average of the gradient", "You used v ← μv + (1 − μ)∇ (a running average, as in Adam). "
                                                       "The lesson's velocity adds the whole gradient: v ← μv + ∇.",
                    lambda d: d.W - d.eta * (d.mu * d.v + (1 - d.mu) * d.grad)),
            Mistake("the velocity, not W", "That is the new velocity v; the question asks for W₂ after the step.",
                    lambda d: d.mu * d.v + d.grad),
            Mistake("η inside the velocity", "You used v ← μv + η∇, W ← W − v, another common way to write momentum, "
                                             "in which v already holds η. The lesson's (and this v's) velocity does not: "
                                             "v ← μv + ∇, then W ← W − η v, so η multiplies μv too.",
                    lambda d: d.W - (d.mu * d.v + d.eta * d.grad)),
        ],
        rtol=1e-9, atol=1e-12,
        hint="Two lines: first the new velocity from the old one and the gradient, then the step with it.",
    )


def _confusion():
    """A seeded 10x10 confusion matrix of 300 examples, rows = true class, columns = predicted; row and column sums differ."""
    rng = np.random.default_rng(92)
    n = 10
    counts = rng.integers(24, 37, size=n)
    C = np.zeros((n, n), dtype=np.int64)
    for i in range(n):
        wrong = rng.integers(0, 5)
        C[i, i] = counts[i] - wrong
        for _ in range(wrong):
            j = (i + rng.choice([1, 2, 3, 5, 7])) % n
            C[i, j] += 1
    C[4, 9] += 3      # a classic: 4s read as 9s
    C[7, 1] += 2
    return C


@exercise("09.3")
def recall_per_class():
    C = _confusion()

    def from_the_examples(d):
        # Expand the matrix back into (true, predicted) pairs and count per true class.
        pairs = [(i, j) for i in range(d.C.shape[0]) for j in range(d.C.shape[1]) for _ in range(d.C[i, j])]
        true = np.array([p[0] for p in pairs])
        pred = np.array([p[1] for p in pairs])
        return np.array([np.mean(pred[true == c] == c) for c in range(d.C.shape[0])])

    return Exercise(
        "09.3",
        "Not shown in the lesson: the RECALL of class c is the fraction of the examples of true class c that the "
        "network predicts as c. From the confusion matrix `C` (10, 10), where C[i, j] counts the examples of "
        "true class i predicted as class j, give the recall of every class: an array of shape (10,).",
        data={"C": C},
        expected=from_the_examples,
        solution=lambda d: np.diag(d.C) / d.C.sum(axis=1),
        mistakes=[
            Mistake(TRANSPOSED, "You divided by the COLUMN sums: that is the precision (of the examples "
                                "predicted as c, how many are c), the recall of the transposed matrix. Rows are "
                                "the true classes.",
                    lambda d: np.diag(d.C) / d.C.sum(axis=0)),
            Mistake("divided by all examples", "Divide by the number of examples of class c, not by all of them.",
                    lambda d: np.diag(d.C) / d.C.sum()),
            Mistake("error rate per class", "That is the fraction of class c that was MISSED; recall is the fraction found.",
                    lambda d: 1 - np.diag(d.C) / d.C.sum(axis=1)),
            Mistake("counts, not fractions", "np.diag(C) counts the right predictions; recall divides them by how many "
                                             "examples of that class there are.",
                    lambda d: np.diag(d.C).astype(float)),
            Mistake("integer division", "// rounds down to a whole number, so every recall below 1 becomes 0. "
                                        "Divide with /.",
                    lambda d: np.diag(d.C) // d.C.sum(axis=1)),
            Mistake("a percentage", "Give fractions between 0 and 1, not percentages.",
                    lambda d: 100 * np.diag(d.C) / d.C.sum(axis=1)),
            Mistake("row sums kept as a column", "C.sum(axis=1, keepdims=True) has shape (10, 1), and dividing the (10,) "
                                                 "diagonal by it broadcasts to a (10, 10) table. Drop keepdims: "
                                                 "(10,) divided by (10,), class by class.",
                    lambda d: np.diag(d.C) / d.C.sum(axis=1, keepdims=True)),
            Mistake("the accuracy, not per class", "np.trace(C) / C.sum() is the accuracy over all examples, one "
                                                   "number; recall is one number per class, shape (10,).",
                    lambda d: np.trace(d.C) / d.C.sum()),
        ],
        rtol=1e-9, atol=1e-12,
        hint="Which examples have true class c? Which of them were predicted correctly? Both are in C.",
    )


LAM = 0.01
"""The weight-decay constant λ of exercise 09.4."""


@exercise("09.4")
def weight_decay_step():
    rng = np.random.default_rng(93)
    W = np.round(rng.normal(0, 0.5, size=(4, 3)), 2)
    grad = np.round(rng.normal(0, 0.3, size=(4, 3)), 2)

    def by_differences(d):
        # The gradient of the penalised loss, by central differences on a surrogate whose data term has gradient `grad`.
        def penalised(Wv):
            return float(np.sum(d.grad * Wv)) + d.lam / 2 * float(np.sum(Wv ** 2))
        return d.W - d.eta * numerical_gradient(penalised, d.W.copy())

    return Exercise(
        "09.4",
        "Not shown in the lesson: one plain gradient-descent step (no momentum) on the loss with weight decay of "
        "exercise 08.4, ℒ_λ = (mean batch loss) + (λ/2) Σ W². For one weight matrix `W` (4, 3) you have `grad`, "
        "the gradient of the mean batch loss alone, the learning rate η (`eta`) and λ (`lam`). Give W after the step.",
        data={"W": W, "grad": grad, "eta": 0.2, "lam": LAM},
        expected=by_differences,
        solution=lambda d: d.W - d.eta * (d.grad + d.lam * d.W),
        mistakes=[
            Mistake("penalty forgotten", "That step only follows the batch loss. ℒ_λ also has the penalty, whose "
                                         "gradient (exercise 08.4) must be in the step too.",
                    lambda d: d.W - d.eta * d.grad),
            Mistake(SIGN, "The penalty pulls the weights TOWARDS 0: its gradient λW is subtracted (times η) like the rest.",
                    lambda d: d.W - d.eta * (d.grad - d.lam * d.W)),
            Mistake("η missing on the penalty", "The whole gradient of ℒ_λ, penalty included, is multiplied by η.",
                    lambda d: d.W - d.eta * d.grad - d.lam * d.W),
            Mistake("factor 2 kept", "d/dW (λ/2) W² = λ W: the 1/2 cancels the 2.",
                    lambda d: d.W - d.eta * (d.grad + 2 * d.lam * d.W)),
            Mistake("factor 1/2 kept", "d/dW (λ/2) W² = (λ/2) · 2W = λ W.",
                    lambda d: d.W - d.eta * (d.grad + d.lam / 2 * d.W)),
            Mistake("the penalty, not its gradient", "You added the penalty (λ/2) W² itself; the step needs its "
                                                     "gradient, d/dW (λ/2) W² = λ W.",
                    lambda d: d.W - d.eta * (d.grad + d.lam / 2 * d.W ** 2)),
        ],
        rtol=1e-7, atol=1e-9,
        hint="The gradient of ℒ_λ is the batch gradient plus the penalty's gradient (exercise 08.4); then the "
             "usual step W ← W − η ∇.",
    )
