"""Exercise: one gradient-descent step on data loss plus lambda times the L1 penalty."""

from exercises._shared import TABLE, list_or_tuple
from grader.spec import Case, ExerciseSpec, Mistake


def _random_cases(rng):
    # About one weight in four is exactly 0, where sign(0) = 0 matters.
    for i in range(6):
        n = rng.randint(1, 8)
        weights = [0.0 if rng.random() < 0.25 else round(rng.uniform(-3, 3), 2) for _ in range(n)]
        gradient = [round(rng.uniform(-1, 1), 2) for _ in range(n)]
        learning_rate = rng.choice((0.01, 0.05, 0.1, 0.5))
        lam = rng.choice((0.01, 0.1, 0.5, 1.0))
        args = (list_or_tuple(i, weights), list_or_tuple(i, gradient), learning_rate, lam)
        yield Case(f"random step #{i + 1}", args, forbid_mutation=True)


EXERCISE = ExerciseSpec(
    id="l1-step",
    order=65,
    title="One L1 gradient step",
    function="l1_step",
    prompt="""\
L1 regularization penalizes **λ · Σ |w|**, the sum of the weights' absolute values. The
slope of |w| is the sign of w: +1 for a positive weight, −1 for a negative one, and 0 for
a weight that is exactly 0. One gradient-descent step on data_loss + λ · Σ |w| is

    new wᵢ = wᵢ − learning_rate · (gᵢ + λ · sign(wᵢ))

where gᵢ is the gradient of the data loss alone. Write
`l1_step(weights, gradient, learning_rate, lam)` that returns the new weights.

- `weights` and `gradient` are lists or tuples of real numbers. If their lengths
  differ, raise `ValueError`.
- sign(0) is 0: the penalty does not push a weight that is already 0.
- Return a **new** list of floats, in the same order. Do not change `weights` or
  `gradient` in place.

For example, `l1_step([1.0, -2.0, 0.0], [0.5, 0.5, 0.5], 0.1, 0.5)` returns
`[0.9, -2.0, -0.05]`: the penalty pulls 1.0 down and −2.0 up by the same
0.1 · 0.5 = 0.05, whatever their size, and leaves 0.0 to its data gradient.
""",
    starter='''\
def l1_step(weights, gradient, learning_rate, lam):
    """Return the weights after one gradient step on data loss + lam * sum(abs(w))."""
    ...
''',
    solution='''\
def sign(x):
    """+1 for a positive number, -1 for a negative one, 0 for 0."""
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0


def l1_step(weights, gradient, learning_rate, lam):
    """Return the weights after one gradient step on data loss + lam * sum(abs(w))."""
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient must have the same length")
    return [
        float(w - learning_rate * (g + lam * sign(w)))
        for w, g in zip(weights, gradient)
    ]
''',
    hints=(
        "It is the L2 step with another penalty: each new weight still depends only on "
        "its own old weight and its own gradient entry. Only the penalty's part of the "
        "gradient changes.",
        "The L1 pull does not grow with the weight: it has the same size, λ, for every "
        "nonzero weight, and points toward 0. What should it be for a weight that is "
        "already 0?",
        "Python has no built-in sign function for numbers: write a small one that compares "
        "its argument with 0. Check the two lengths first, and build a new list rather "
        "than changing the one you were given.",
    ),
    returns="reals",
    cases=(
        Case(
            "the example from the prompt",
            ([1.0, -2.0, 0.0], [0.5, 0.5, 0.5], 0.1, 0.5),
            expected=[0.9, -2.0, -0.05],
            forbid_mutation=True,
            example=True,
        ),
        Case(
            "the example, as tuples",
            ((1.0, -2.0, 0.0), (0.5, 0.5, 0.5), 0.1, 0.5),
            expected=[0.9, -2.0, -0.05],
        ),
        Case(
            "a zero data gradient moves every nonzero weight by the same amount",
            (list(TABLE), [0.0] * 6, 0.1, 1.0),
            expected=[0.1, -0.4, 4.9, -1.1, 0.2, 0.0],
            forbid_mutation=True,
        ),
        Case(
            "weights at exactly 0 feel no pull from the penalty",
            ([0.0, 0.0], [0.2, -0.4], 0.5, 1.0),
            expected=[-0.1, 0.2],
            forbid_mutation=True,
        ),
        Case(
            "a small weight can step past 0",
            ([0.02, -0.03], [0.0, 0.0], 0.1, 0.5),
            expected=[-0.03, 0.02],
            forbid_mutation=True,
        ),
        Case(
            "λ = 0 is a plain gradient step",
            ((1.0, 2.0, 3.0), (1.0, -1.0, 0.5), 0.5, 0.0),
            expected=[0.5, 2.5, 2.75],
        ),
        Case("no weights at all", ([], [], 0.1, 0.5), expected=[]),
        Case(
            "weights longer than the gradient raise ValueError",
            ([1.0, 2.0, 3.0], [0.1, 0.2], 0.1, 0.5),
            raises=ValueError,
        ),
        Case(
            "a gradient longer than the weights raises ValueError",
            ([1.0], [0.1, 0.2], 0.1, 0.5),
            raises=ValueError,
        ),
    ),
    random_cases=_random_cases,
    mistakes=(
        Mistake(
            "the 2 of L2 kept",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    new = []
    for w, g in zip(weights, gradient):
        sign = 1 if w > 0 else -1 if w < 0 else 0
        new.append(w - learning_rate * (g + 2 * lam * sign))
    return new
''',
            "The factor 2 belongs to L2, where the slope of w² is 2·w. The slope of |w| is "
            "just sign(w), so the penalty's part of the gradient is λ·sign(w), not "
            "2·λ·sign(w).",
        ),
        Mistake(
            "sign(0) taken as 1",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    new = []
    for w, g in zip(weights, gradient):
        sign = 1 if w >= 0 else -1
        new.append(w - learning_rate * (g + lam * sign))
    return new
''',
            "A weight that is exactly 0 must not be pushed by the penalty: sign(0) is 0, "
            "so such a weight moves by its data gradient alone.",
        ),
        Mistake(
            "gradient added instead of subtracted",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    new = []
    for w, g in zip(weights, gradient):
        sign = 1 if w > 0 else -1 if w < 0 else 0
        new.append(w + learning_rate * (g + lam * sign))
    return new
''',
            "You stepped up the gradient: gradient descent subtracts it, "
            "w − learning_rate · (g + λ·sign(w)).",
        ),
        Mistake(
            "input mutated",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    for i, (w, g) in enumerate(zip(weights, gradient)):
        sign = 1 if w > 0 else -1 if w < 0 else 0
        weights[i] = w - learning_rate * (g + lam * sign)
    return weights
''',
            # Tuples reveal this one (they can't be changed in place), so it gets its own
            # message; on lists the checks' mutation test fails it too.
            "Your function changes the sequence it was given in place, which is also why "
            "it fails on tuples (they can't be changed). Leave `weights` and `gradient` "
            "as they are, and build and return a new list.",
        ),
        Mistake(
            "the L2 gradient used",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    return [w - learning_rate * (g + 2 * lam * w) for w, g in zip(weights, gradient)]
''',
            "That is the L2 step: its penalty's gradient, 2·λ·w, grows with the weight. "
            "The L1 penalty λ·|w| has the gradient λ·sign(w), the same size for every "
            "nonzero weight.",
        ),
        Mistake(
            "|w| instead of sign(w)",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    return [w - learning_rate * (g + lam * abs(w)) for w, g in zip(weights, gradient)]
''',
            "λ·|w| is the penalty itself, not its gradient: the slope of |w| is sign(w) "
            "(+1 for a positive weight, −1 for a negative one, 0 at 0).",
        ),
        Mistake(
            "learning rate not applied to the penalty",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    new = []
    for w, g in zip(weights, gradient):
        sign = 1 if w > 0 else -1 if w < 0 else 0
        new.append(w - learning_rate * g - lam * sign)
    return new
''',
            "The learning rate scales the whole gradient, the penalty's part included: "
            "w − learning_rate · (g + λ·sign(w)).",
        ),
        Mistake(
            "soft-thresholding",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    shrink = learning_rate * lam
    new = []
    for w, g in zip(weights, gradient):
        z = w - learning_rate * g
        if z > shrink:
            new.append(z - shrink)
        elif z < -shrink:
            new.append(z + shrink)
        else:
            new.append(0.0)
    return new
''',
            "That is the soft-thresholding (proximal) step, which snaps small weights to "
            "exactly 0. This exercise asks for the plain gradient step, "
            "w − learning_rate · (g + λ·sign(w)), with the sign of the weight before the "
            "step, even when the step crosses 0.",
        ),
        Mistake(
            "lengths not checked",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    new = []
    for w, g in zip(weights, gradient):
        sign = 1 if w > 0 else -1 if w < 0 else 0
        new.append(w - learning_rate * (g + lam * sign))
    return new
''',
            "`zip` silently stops at the shorter sequence; when `weights` and `gradient` "
            "differ in length, raise ValueError instead.",
        ),
    ),
)
