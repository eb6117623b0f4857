"""Exercise: the L2 penalty, the sum of squared weights."""

from grader.spec import Array, Case, ExerciseSpec, Mistake

TABLE = (0.2, -0.5, 5.0, -1.2, 0.3, -0.1)


def _random_cases(rng):
    for i in range(6):
        n = rng.randint(1, 12)
        weights = [round(rng.uniform(-5, 5), 3) for _ in range(n)]
        yield Case(f"random weights #{i + 1}", (weights,))


EXERCISE = ExerciseSpec(
    id="l2-penalty",
    order=10,
    title="Compute the L2 penalty",
    function="l2_penalty",
    prompt="""\
Write `l2_penalty(weights)` that returns the L2 regularization term of a model: the sum
of the squares of its weights. `weights` is a list, a tuple or a 1-D numpy array of real
numbers. A model with no weights has a penalty of `0.0`.
""",
    starter='''\
def l2_penalty(weights):
    """Return the sum of the squared weights."""
    ...
''',
    solution='''\
def l2_penalty(weights):
    """Return the sum of the squared weights."""
    return float(sum(w * w for w in weights))
''',
    hints=(
        "Square each weight, then add the squares up.",
        "A generator expression does both at once: `sum(w ** 2 for w in weights)`.",
        "`sum` of nothing is `0`; wrap the result in `float(...)` to always return a float.",
    ),
    returns="real",
    cases=(
        Case("worked example from the table", (list(TABLE),), expected=26.83),
        Case("the table's weights as a tuple", (TABLE,), expected=26.83),
        Case("the table's weights as a numpy array", (Array(TABLE),), expected=26.83),
        Case("no weights at all", ([],), expected=0.0),
        Case("a single negative weight", ([-3.0],), expected=9.0),
        Case("all weights zero", ([0.0, 0.0, 0.0],), expected=0.0),
    ),
    random_cases=_random_cases,
    mistakes=(
        Mistake(
            "L1 instead of L2",
            "def l2_penalty(weights):\n    return float(sum(abs(w) for w in weights))\n",
            "That is the L1 penalty (the sum of absolute values); "
            "L2 adds up the squares of the weights.",
        ),
    ),
)
