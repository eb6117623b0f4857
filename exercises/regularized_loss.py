"""Exercise: the training objective, data loss plus lambda times the L2 penalty."""

from exercises._shared import TABLE, TABLE_PENALTY, list_or_tuple
from grader.spec import Case, ExerciseSpec, Mistake

# The lesson's table with a data loss of 0.5 and λ = 0.1: 0.5 + 0.1 · 26.83.
TABLE_LOSS = 0.5 + 0.1 * TABLE_PENALTY


def _random_cases(rng):
    for i in range(6):
        n = rng.randint(1, 8)
        weights = [round(rng.uniform(-3, 3), 2) for _ in range(n)]
        data_loss = round(rng.uniform(0.05, 2.0), 3)
        lam = rng.choice((0.001, 0.01, 0.03, 0.1, 0.3, 3.0))
        yield Case(f"random model #{i + 1}", (data_loss, list_or_tuple(i, weights), lam))


EXERCISE = ExerciseSpec(
    id="regularized-loss",
    order=30,
    title="Add the penalty to the loss",
    function="regularized_loss",
    prompt="""\
Training with L2 regularization minimizes **loss + λ · complexity**, where the complexity
is the L2 penalty (the sum of the squared weights) and λ (`lam`) is the regularization
rate. Write `regularized_loss(data_loss, weights, lam)` that returns

    data_loss + lam * (w₁² + w₂² + … + wₙ²)

- `data_loss` is a real number, the model's loss on the training data.
- `weights` is a list or a tuple of real numbers (possibly empty).
- `lam` is a real number. `lam = 0` turns regularization off, so the result is just
  `data_loss`. A negative `lam` makes no sense: raise `ValueError`.

For example, `regularized_loss(1.0, [3.0, -4.0], 0.1)` returns `1.0 + 0.1 * 25.0 = 3.5`.
""",
    starter='''\
def regularized_loss(data_loss, weights, lam):
    """Return data_loss plus lam times the sum of the squared weights."""
    ...
''',
    solution='''\
def regularized_loss(data_loss, weights, lam):
    """Return data_loss plus lam times the sum of the squared weights."""
    if lam < 0:
        raise ValueError("the regularization rate lam must not be negative")
    penalty = sum(w * w for w in weights)
    return float(data_loss + lam * penalty)
''',
    hints=(
        "Only the complexity is scaled by λ: compute the L2 penalty, multiply it by "
        "`lam`, then add the data loss as it is.",
        "A negative rate would reward large weights, so the function refuses it: test "
        "`lam` before computing anything. A rate of exactly 0 is allowed.",
        "Check yourself on the page's table: with a data loss of 2.0, a penalty of 26.83 "
        "and λ = 0.01, the objective is 2.2683. 28.83 means λ is missing; 0.2883 means λ "
        "scales the data loss too.",
    ),
    returns="real",
    cases=(
        Case(
            "two weights, 3 and -4, with λ = 0.1",
            (1.0, [3.0, -4.0], 0.1),
            expected=3.5,
            example=True,
        ),
        Case("the table's weights with λ = 0.1", (0.5, list(TABLE), 0.1), expected=TABLE_LOSS),
        Case("the table's weights as a tuple", (0.5, TABLE, 0.1), expected=TABLE_LOSS),
        Case("λ = 0 leaves the data loss alone", (0.75, [3.0, -4.0], 0.0), expected=0.75),
        Case("a strong λ = 2", (0.2, (1.0, -0.5), 2), expected=2.7),
        Case("no weights at all", (0.4, [], 0.5), expected=0.4),
        Case("a negative λ raises ValueError", (1.0, [1.0, 2.0], -0.1), raises=ValueError),
    ),
    random_cases=_random_cases,
    mistakes=(
        Mistake(
            "λ multiplies the data loss too",
            '''\
def regularized_loss(data_loss, weights, lam):
    if lam < 0:
        raise ValueError("lam must not be negative")
    return lam * (data_loss + sum(w * w for w in weights))
''',
            "λ scales only the complexity term; add the data loss unscaled: "
            "data_loss + lam * (sum of squares).",
            hint=(
                "Look at where your parentheses put `lam`: `lam * (data_loss + penalty)` scales "
                "both, `data_loss + lam * penalty` only the penalty. With λ = 0 the answer must be "
                "the data loss itself."
            ),
        ),
        Mistake(
            "λ forgotten",
            '''\
def regularized_loss(data_loss, weights, lam):
    if lam < 0:
        raise ValueError("lam must not be negative")
    return data_loss + sum(w * w for w in weights)
''',
            "You added the penalty without the regularization rate; multiply the sum of "
            "squares by `lam` before adding it.",
            hint=(
                "Try λ = 0: regularization is off, so the answer must equal `data_loss`. If yours "
                "still adds the penalty, `lam` is missing from your formula."
            ),
        ),
        Mistake(
            "L1 used",
            '''\
def regularized_loss(data_loss, weights, lam):
    if lam < 0:
        raise ValueError("lam must not be negative")
    return data_loss + lam * sum(abs(w) for w in weights)
''',
            "That uses the L1 penalty (the sum of absolute values); the L2 penalty is the "
            "sum of the squared weights.",
            hint=(
                "Square each weight, with `w * w` or `w ** 2`, rather than taking `abs(w)`: for "
                "the weights [3.0, -4.0] the L2 penalty is 25.0, the L1 one 7.0."
            ),
        ),
        Mistake(
            "data loss left out",
            '''\
def regularized_loss(data_loss, weights, lam):
    if lam < 0:
        raise ValueError("lam must not be negative")
    return lam * sum(w * w for w in weights)
''',
            "That is only the penalty term; the regularized loss is the data loss plus it.",
            hint=(
                "The function's first argument is part of the answer: return `data_loss + lam * "
                "penalty`, not the penalty alone."
            ),
        ),
        Mistake(
            "negative λ accepted",
            '''\
def regularized_loss(data_loss, weights, lam):
    return data_loss + lam * sum(w * w for w in weights)
''',
            "The values are right, but a negative λ must be refused: "
            "`raise ValueError` when `lam < 0`.",
            hint=(
                "Check `lam` first thing in the function, before any arithmetic: `if lam < 0: "
                'raise ValueError("lam must not be negative")`.'
            ),
        ),
        Mistake(
            "λ = 0 refused",
            '''\
def regularized_loss(data_loss, weights, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    return data_loss + lam * sum(w * w for w in weights)
''',
            "λ = 0 is allowed (it simply turns regularization off); raise ValueError only "
            "when `lam < 0`.",
            hint=(
                "Check your comparison: `lam <= 0` refuses 0 too, while `lam < 0` refuses only the "
                "negative rates."
            ),
        ),
    ),
)
