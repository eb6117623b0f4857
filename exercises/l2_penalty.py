"""Exercise: the L2 penalty, the sum of squared weights."""

from exercises._shared import TABLE, TABLE_PENALTY, list_or_tuple
from grader.spec import Case, ExerciseSpec, Mistake


def _random_cases(rng):
    for i in range(6):
        n = rng.randint(2, 12)
        weights = [round(rng.uniform(-5, 5), 3) for _ in range(n)]
        yield Case(f"random weights #{i + 1}", (list_or_tuple(i, weights),))


EXERCISE = ExerciseSpec(
    id="l2-penalty",
    order=10,
    title="Compute the L2 penalty",
    function="l2_penalty",
    prompt="""\
Write `l2_penalty(weights)` that returns the L2 regularization term of a model: the
**sum of the squares** of its weights, w₁² + w₂² + … + wₙ².

- `weights` is a list or a tuple of real numbers.
- Return a real number (a `float`).
- A model with no weights has a penalty of `0.0`.

For example, `l2_penalty([3.0, -4.0])` returns `25.0`, and the six weights of the
lesson's table give its total: `l2_penalty([0.2, -0.5, 5.0, -1.2, 0.3, -0.1])` returns
`26.83`.
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
        "Square each weight, then add the squares up. Negative weights count too: their "
        "squares are positive.",
        "You need one running total that grows by w² for every weight w. A `for` loop "
        "does it; so does Python's built-in `sum` over the squares.",
        "Think about the edge cases before you submit: with no weights at all, the "
        "total should still be a number (0.0), and the result should be a `float` even "
        "when the weights are whole numbers.",
    ),
    returns="real",
    cases=(
        Case(
            "worked example from the table",
            (list(TABLE),),
            expected=TABLE_PENALTY,
            example=True,
        ),
        Case("the table's weights as a tuple", (TABLE,), expected=TABLE_PENALTY),
        Case("two weights, 3 and -4", ([3.0, -4.0],), expected=25.0, example=True),
        Case("no weights at all", ([],), expected=0.0),
        Case("a single negative weight", ([-3.0],), expected=9.0),
        Case("all weights zero", ((0.0, 0.0, 0.0),), expected=0.0),
        Case("whole-number weights", ([1, 2, 2],), expected=9.0),
    ),
    random_cases=_random_cases,
    mistakes=(
        Mistake(
            "L1 instead of L2",
            '''\
def l2_penalty(weights):
    return float(sum(abs(w) for w in weights))
''',
            "That is the L1 penalty (the sum of absolute values); "
            "L2 adds up the squares of the weights.",
            hint=(
                "Try `l2_penalty([3.0, -4.0])` by hand: the absolute values add up to 7, the "
                "squares to 9 + 16 = 25. A square is never negative, so `abs()` has no place here."
            ),
        ),
        Mistake(
            "square root of the sum",
            '''\
def l2_penalty(weights):
    return float(sum(w * w for w in weights)) ** 0.5
''',
            "That is the Euclidean norm, the square root of the sum of squares; the L2 "
            "penalty is its square, so drop the square root.",
            hint=(
                "Look for `** 0.5`, `math.sqrt` or `math.hypot` in your code: for [3.0, -4.0] they "
                "give 5.0, the length of the vector, while the penalty is 25.0."
            ),
        ),
        Mistake(
            "mean instead of sum",
            '''\
def l2_penalty(weights):
    return float(sum(w * w for w in weights)) / len(weights)
''',
            "You averaged the squares; the L2 penalty is their sum, so don't divide by "
            "the number of weights.",
            hint=(
                "For [3.0, -4.0] the penalty is 9 + 16 = 25.0, not (9 + 16) / 2: look for a `/ "
                "len(weights)` (`statistics.mean` divides too)."
            ),
        ),
        Mistake(
            "square of the sum",
            '''\
def l2_penalty(weights):
    return float(sum(weights)) ** 2
''',
            "You squared the sum of the weights; square each weight first, then add the "
            "squares up.",
            hint=(
                "Order matters: (3 + (−4))² = 1, but 3² + (−4)² = 25. Put the squaring inside the "
                "sum: `sum(w * w for w in weights)`."
            ),
        ),
        Mistake(
            "a factor of one half",
            '''\
def l2_penalty(weights):
    return 0.5 * float(sum(w * w for w in weights))
''',
            "Your answer is half the L2 penalty: the ½ that some textbooks put in front "
            "belongs to their own convention, not to this lesson; return the plain sum "
            "of squares.",
            hint=(
                "Look for a `0.5 *` or a `/ 2` in your code: the lesson's table adds 0.04 + 0.25 + "
                "25.0 + 1.44 + 0.09 + 0.01 = 26.83, with nothing in front."
            ),
        ),
        Mistake(
            "^ instead of **",
            '''\
def l2_penalty(weights):
    return float(sum(w ^ 2 for w in weights))
''',
            "In Python `^` is bitwise XOR, not a power, and it fails on floats; square a "
            "number with `w ** 2` or `w * w`.",
            hint=(
                "`3 ^ 2` is 1 in Python (the bits 11 and 10, XORed), and `3.0 ^ 2` raises "
                "TypeError. Python's power operator is `**`."
            ),
        ),
        Mistake(
            "total replaced instead of added to",
            '''\
def l2_penalty(weights):
    total = 0.0
    for w in weights:
        total = w ** 2
    return total
''',
            "You returned the square of the last weight only: `total = w ** 2` replaces the "
            "total on every pass of the loop; add to it instead, `total += w ** 2`.",
            hint=(
                "Follow your loop on [3.0, -4.0]: after the first pass the total should be 9.0, "
                "after the second 25.0. Set `total = 0.0` before the loop and grow it inside: "
                "`total = total + w ** 2`."
            ),
        ),
        Mistake(
            "rounded result",
            '''\
def l2_penalty(weights):
    return round(float(sum(w * w for w in weights)), 2)
''',
            "Your answer is rounded: the lesson's table shows 26.83 to two decimals, but "
            "the function must return the exact sum of squares; round only what you print.",
            hint=(
                "Look for `round(` in your function: two decimals are exact for the table, but for "
                "[0.123, 0.456] the sum of squares is 0.223065, which rounding turns into 0.22."
            ),
        ),
    ),
)
