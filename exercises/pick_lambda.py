"""Exercise: pick the regularization rate with the lowest validation loss."""

from grader.spec import Case, ExerciseSpec, Mistake

RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


def _random_cases(rng):
    # Few distinct loss values, so that ties between rates come up; keys in random order.
    for i in range(8):
        rates = rng.sample(RATES, rng.randint(2, 7))
        results = {rate: round(rng.uniform(0.2, 0.3), 2) for rate in rates}
        yield Case(f"random search #{i + 1}", (results,))


EXERCISE = ExerciseSpec(
    id="pick-lambda",
    order=40,
    title="Pick λ on validation data",
    function="best_lambda",
    prompt="""\
You trained the same model with several regularization rates and measured each one's
loss on the validation data. Write `best_lambda(results)` that returns the rate to keep.

- `results` is a dict that maps each regularization rate (a real number) to its
  validation loss (a real number).
- Return the **rate** (not the loss) whose validation loss is lowest.
- On an exact tie, return the **larger** rate: more regularization, the simpler model,
  for the same validation loss. The order of the keys in the dict does not matter.
- An empty dict raises `ValueError`.

For example, `best_lambda({0.0: 0.5, 0.1: 0.3, 1.0: 0.3})` returns `1.0`: 0.1 and 1.0
tie at 0.3, and 1.0 is the larger rate.
""",
    starter='''\
def best_lambda(results):
    """Return the rate with the lowest validation loss; the larger rate on a tie."""
    ...
''',
    solution='''\
def best_lambda(results):
    """Return the rate with the lowest validation loss; the larger rate on a tie."""
    if not results:
        raise ValueError("results is empty")
    # Lowest loss first; among equal losses, the largest rate (-rate is smallest).
    return min(results, key=lambda rate: (results[rate], -rate))
''',
    hints=(
        "You are looking for a key of the dict, chosen by its value: loop over "
        "`results.items()` and remember the best rate so far.",
        "A rate beats the best so far if its loss is lower, or if its loss is equal and "
        "the rate itself is larger.",
        "You can also let `min` do the loop: give it a key that ranks rates by their "
        "loss first and, among equal losses, puts the larger rate first. Either way, an "
        "empty dict has no answer: raise `ValueError` for it.",
    ),
    returns="real",
    cases=(
        Case(
            "the example from the prompt",
            ({0.0: 0.5, 0.1: 0.3, 1.0: 0.3},),
            expected=1.0,
            example=True,
        ),
        Case("a clear winner", ({0.0: 0.42, 0.01: 0.35, 0.1: 0.31, 1.0: 0.48},), expected=0.1),
        Case("λ = 0 can be the best", ({0.0: 0.2, 0.1: 0.25, 1.0: 0.4},), expected=0.0),
        Case("a single rate", ({0.03: 0.7},), expected=0.03),
        Case(
            "a tie with the larger rate listed first",
            ({1.0: 0.3, 0.1: 0.3, 0.0: 0.5},),
            expected=1.0,
        ),
        Case(
            "a three-way tie",
            ({0.01: 0.25, 0.3: 0.25, 3.0: 0.25, 10.0: 0.9},),
            expected=3.0,
        ),
        Case("whole-number rates", ({0: 0.5, 1: 0.4, 10: 0.45},), expected=1.0),
        Case("an empty dict raises ValueError", ({},), raises=ValueError),
    ),
    random_cases=_random_cases,
    mistakes=(
        Mistake(
            "returns the loss",
            '''\
def best_lambda(results):
    return min(results.values())
''',
            "That is the lowest validation loss; return the rate that achieved it "
            "(the dict's key, not its value).",
            hint=(
                "`min(results.values())` finds the lowest loss but forgets which rate it belonged "
                "to: loop over `results.items()`, which gives (rate, loss) pairs, and keep the "
                "rate of the best pair."
            ),
        ),
        Mistake(
            "the smaller rate on ties",
            '''\
def best_lambda(results):
    return min(results, key=lambda rate: (results[rate], rate))
''',
            "On a tie you returned the smaller rate; prefer the larger one, since it "
            "gives the simpler model for the same validation loss.",
            hint=(
                "Among equal losses the larger rate must win: with `min` and a key, rank by "
                "`(loss, -rate)`; in a loop, also take a rate whose loss is equal to the best and "
                "whose rate is larger."
            ),
        ),
        Mistake(
            "the first rate in the dict on ties",
            '''\
def best_lambda(results):
    return min(results, key=results.get)
''',
            "On a tie you returned whichever rate comes first in the dict; ties must go "
            "to the larger rate, whatever the order of the keys.",
            hint=(
                "Try `{1.0: 0.3, 0.1: 0.3}` and `{0.1: 0.3, 1.0: 0.3}`: both must give 1.0. A "
                "plain `<` keeps whichever rate came first; break a tie by comparing the rates "
                "themselves."
            ),
        ),
        Mistake(
            "the highest loss",
            '''\
def best_lambda(results):
    return max(results, key=results.get)
''',
            "That is the rate with the highest validation loss; keep the one with the "
            "lowest.",
            hint=(
                "Check `max` against `min`, or `>` against `<`: the rate to keep is the one whose "
                "validation loss is the smallest."
            ),
        ),
    ),
)
