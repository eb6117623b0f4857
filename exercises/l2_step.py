"""Exercise: one gradient-descent step on data loss plus lambda times the L2 penalty."""

from exercises._shared import TABLE, list_or_tuple
from grader.spec import Case, ExerciseSpec, Mistake


def _random_cases(rng):
    for i in range(6):
        n = rng.randint(1, 8)
        weights = [round(rng.uniform(-3, 3), 2) for _ in range(n)]
        gradient = [round(rng.uniform(-1, 1), 2) for _ in range(n)]
        learning_rate = rng.choice((0.01, 0.05, 0.1, 0.5))
        lam = rng.choice((0.01, 0.1, 0.5, 1.0))
        args = (list_or_tuple(i, weights), list_or_tuple(i, gradient), learning_rate, lam)
        yield Case(f"random step #{i + 1}", args, forbid_mutation=True)


EXERCISE = ExerciseSpec(
    id="l2-step",
    order=60,
    title="One regularized gradient step",
    function="l2_step",
    prompt="""\
Gradient descent on **data_loss + λ · Σ w²** moves every weight against the gradient of
both terms. The penalty λ · wᵢ² has the gradient 2 · λ · wᵢ, so one step is

    new wᵢ = wᵢ − learning_rate · (gᵢ + 2 · λ · wᵢ)

where gᵢ is the gradient of the data loss alone. Write
`l2_step(weights, gradient, learning_rate, lam)` that returns the new weights.

- `weights` and `gradient` are lists or tuples of real numbers. If their lengths
  differ, raise `ValueError`.
- Return a **new** list of floats, in the same order. Do not change `weights` or
  `gradient` in place: the caller may still need the old weights.

For example, `l2_step([1.0, -2.0], [0.5, 0.5], 0.1, 0.5)` returns `[0.85, -1.85]`:
1.0 − 0.1 · (0.5 + 2 · 0.5 · 1.0) = 0.85.
""",
    starter='''\
def l2_step(weights, gradient, learning_rate, lam):
    """Return the weights after one gradient step on data loss + lam * sum(w**2)."""
    ...
''',
    solution='''\
def l2_step(weights, gradient, learning_rate, lam):
    """Return the weights after one gradient step on data loss + lam * sum(w**2)."""
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient must have the same length")
    return [
        float(w - learning_rate * (g + 2 * lam * w))
        for w, g in zip(weights, gradient)
    ]
''',
    hints=(
        "Each new weight depends only on its own old weight and its own gradient entry: "
        "walk through both sequences together with `zip(weights, gradient)`.",
        "The full gradient of one weight is its data gradient plus the penalty's "
        "gradient, 2 · λ · w. A descent step moves *against* the gradient, by "
        "`learning_rate` times it.",
        "Build a new list rather than changing `weights` in place: the caller may still "
        "need the old weights. And compare the two lengths first: `zip` would silently "
        "drop the extra entries.",
    ),
    returns="reals",
    cases=(
        Case(
            "the example from the prompt",
            ([1.0, -2.0], [0.5, 0.5], 0.1, 0.5),
            expected=[0.85, -1.85],
            forbid_mutation=True,
            example=True,
        ),
        Case(
            "the example, as tuples",
            ((1.0, -2.0), (0.5, 0.5), 0.1, 0.5),
            expected=[0.85, -1.85],
        ),
        Case(
            "a zero data gradient only shrinks the weights",
            (list(TABLE), [0.0] * 6, 0.1, 1.0),
            expected=[0.8 * w for w in TABLE],
            forbid_mutation=True,
        ),
        Case(
            "λ = 0 is a plain gradient step",
            ([1.0, 2.0, 3.0], [1.0, -1.0, 0.5], 0.5, 0.0),
            expected=[0.5, 2.5, 2.75],
            forbid_mutation=True,
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
            "gradient added instead of subtracted",
            '''\
def l2_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    return [w + learning_rate * (g + 2 * lam * w) for w, g in zip(weights, gradient)]
''',
            "You stepped up the gradient: gradient descent subtracts it, "
            "w − learning_rate · (g + 2·λ·w).",
            hint=(
                "Gradient descent goes downhill: the new weight is the old one *minus* the "
                "learning rate times the gradient. Check the sign in front of `learning_rate`."
            ),
        ),
        Mistake(
            "the factor 2 missing",
            '''\
def l2_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    return [w - learning_rate * (g + lam * w) for w, g in zip(weights, gradient)]
''',
            "The penalty's gradient is missing its factor 2: the derivative of λ·w² is "
            "2·λ·w, so use g + 2 * lam * w.",
            hint=(
                "Differentiate λ·w² again: the exponent comes down in front, 2·λ·w. So one "
                "weight's whole gradient is `g + 2 * lam * w`."
            ),
        ),
        Mistake(
            "learning rate not applied to the penalty",
            '''\
def l2_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    return [w - learning_rate * g - 2 * lam * w for w, g in zip(weights, gradient)]
''',
            "The learning rate scales the whole gradient, the penalty's part included: "
            "w − learning_rate · (g + 2·λ·w).",
            hint=(
                "Put parentheses around the whole gradient: `w - learning_rate * (g + 2 * lam * "
                "w)`; without them the learning rate scales `g` alone."
            ),
        ),
        Mistake(
            "lengths not checked",
            '''\
def l2_step(weights, gradient, learning_rate, lam):
    return [w - learning_rate * (g + 2 * lam * w) for w, g in zip(weights, gradient)]
''',
            "`zip` silently stops at the shorter sequence; when `weights` and `gradient` "
            "differ in length, raise ValueError instead.",
            hint=(
                "Compare `len(weights)` and `len(gradient)` before the loop, and raise ValueError "
                "when they differ."
            ),
        ),
        Mistake(
            "rounded weights",
            '''\
def l2_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    return [round(w - learning_rate * (g + 2 * lam * w), 2) for w, g in zip(weights, gradient)]
''',
            "Your new weights are rounded: a gradient step moves each weight by a small "
            "amount that rounding can wipe out, so return the exact values and round only "
            "what you print.",
            hint=(
                "Look for `round(` in your function: with a small learning rate a step may move a "
                "weight by 0.001, which `round(w, 2)` can undo entirely."
            ),
        ),
        Mistake(
            "input mutated",
            '''\
def l2_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    for i in range(len(weights)):
        weights[i] -= learning_rate * (gradient[i] + 2 * lam * weights[i])
    return weights
''',
            # Outputs reveal this one (tuples can't be changed in place), so it gets its
            # own message; mutating without failing on tuples is caught by the checks.
            "Your function changes the sequence it was given in place, which is also why "
            "it fails on tuples (they can't be changed). Leave `weights` and `gradient` "
            "as they are, and build and return a new list.",
            hint=(
                "Build a new list, `[... for w, g in zip(weights, gradient)]` or an empty list you "
                "append to, instead of assigning to `weights[i]`."
            ),
        ),
    ),
)
