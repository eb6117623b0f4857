"""Exercise: each weight's share of the L2 penalty."""

from exercises._shared import TABLE, TABLE_PENALTY, TABLE_SQUARES, list_or_tuple
from grader.spec import Case, ExerciseSpec, Mistake

# The lesson's table, last column: each square over the total (w3 holds about 93 %).
TABLE_SHARES = [square / TABLE_PENALTY for square in TABLE_SQUARES]


def _random_cases(rng):
    for i in range(6):
        n = rng.randint(2, 10)
        weights = [round(rng.uniform(-3, 3), 2) for _ in range(n)]
        yield Case(f"random weights #{i + 1}", (list_or_tuple(i, weights),))


EXERCISE = ExerciseSpec(
    id="weight-share",
    order=20,
    title="Which weights dominate the penalty?",
    function="weight_share",
    prompt="""\
Write `weight_share(weights)` that returns each weight's **share of the L2 penalty**:
the weight's square divided by the sum of all the squares, wᵢ² / (w₁² + … + wₙ²).

- `weights` is a list or a tuple of real numbers.
- Return a list of floats with one share per weight, in the same order. The shares are
  fractions between 0 and 1 (not percentages) and add up to 1.
- If the sum of squares is 0 (all weights are zero, or there are none), return a list of
  zeros of the same length: `[]` for no weights.

For example, `weight_share([3.0, -4.0])` returns `[0.36, 0.64]`. For the lesson's table,
`[0.2, -0.5, 5.0, -1.2, 0.3, -0.1]`, the share of w₃ = 5.0 is 25.0 / 26.83 ≈ 0.93.
""",
    starter='''\
def weight_share(weights):
    """Return each weight's fraction of the sum of squared weights."""
    ...
''',
    solution='''\
def weight_share(weights):
    """Return each weight's fraction of the sum of squared weights."""
    squares = [float(w) ** 2 for w in weights]
    total = sum(squares)
    if total == 0:
        return [0.0] * len(squares)
    return [square / total for square in squares]
''',
    hints=(
        "First compute the L2 penalty (the sum of the squares), then divide each "
        "weight's square by it.",
        "You need the squares twice, once for the total and once for each share: "
        "compute them once and keep them in a list.",
        "One input has no sensible share: when every weight is 0 (or there are none), "
        "the total is 0 and you cannot divide by it. Decide that case before you "
        "divide; the prompt says what to return.",
    ),
    returns="reals",
    cases=(
        Case("worked example from the table", (list(TABLE),), expected=TABLE_SHARES),
        Case("the table's weights as a tuple", (TABLE,), expected=TABLE_SHARES),
        Case("two weights, 3 and -4", ([3.0, -4.0],), expected=[0.36, 0.64], example=True),
        Case("a single weight holds everything", ([-2.5],), expected=[1.0]),
        Case("no weights at all", ([],), expected=[]),
        Case("all weights zero", ([0.0, 0.0, 0.0],), expected=[0.0, 0.0, 0.0]),
        Case("a zero weight among others", ((0.0, 1.0, -1.0),), expected=[0.0, 0.5, 0.5]),
    ),
    random_cases=_random_cases,
    mistakes=(
        Mistake(
            "shares of |w|",
            '''\
def weight_share(weights):
    total = sum(abs(w) for w in weights)
    if total == 0:
        return [0.0] * len(weights)
    return [abs(w) / total for w in weights]
''',
            "Those are shares of the absolute values (the L1 penalty); the L2 share of a "
            "weight is its square over the sum of squares.",
            hint=(
                "Try [3.0, -4.0]: the squares are 9 and 16, so the shares are 9/25 = 0.36 and "
                "16/25 = 0.64, not 3/7 and 4/7. Square each weight, both for the total and for its "
                "own share."
            ),
        ),
        Mistake(
            "percentages",
            '''\
def weight_share(weights):
    total = sum(w * w for w in weights)
    if total == 0:
        return [0.0] * len(weights)
    return [100 * w * w / total for w in weights]
''',
            "Those are percentages; return fractions between 0 and 1 instead "
            "(don't multiply by 100).",
            hint=(
                "Shares add up to 1, not 100: for [3.0, -4.0] they are 0.36 and 0.64. Look for a "
                "`* 100` and remove it."
            ),
        ),
        Mistake(
            "shares of w",
            '''\
def weight_share(weights):
    total = sum(weights)
    if total == 0:
        return [0.0] * len(weights)
    return [w / total for w in weights]
''',
            "You divided the weights themselves by their sum; square them first: each "
            "share is w² over the sum of the squares.",
            hint=(
                "Negative weights give it away: for [3.0, -4.0] you divide by 3 + (−4) = −1. The "
                "squares are 9 and 16, and each share is w² / 25."
            ),
        ),
        Mistake(
            "no guard for a zero total",
            '''\
def weight_share(weights):
    total = sum(w * w for w in weights)
    return [w * w / total for w in weights]
''',
            "When every weight is 0 the sum of squares is 0 and the division fails; "
            "in that case return a list of zeros, one per weight.",
            hint=(
                "Compute the total first and test it before any division: `if total == 0: return "
                "[0.0] * len(weights)` (an empty list then gives an empty list)."
            ),
        ),
    ),
)
