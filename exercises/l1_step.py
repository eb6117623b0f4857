"""Exercise: one proximal-gradient (soft-thresholding) step on data loss plus lambda · L1."""

from exercises._shared import TABLE, list_or_tuple
from grader.spec import Case, ExerciseSpec, Mistake


def _random_cases(rng):
    # A quarter of the weights are exactly 0 and a quarter are small, so that many steps
    # end on 0, stay on 0, or would cross 0 without the clip.
    def weight():
        kind = rng.random()
        if kind < 0.25:
            return 0.0
        if kind < 0.5:
            return round(rng.uniform(-0.3, 0.3), 2)
        return round(rng.uniform(-3, 3), 2)

    for i in range(6):
        n = rng.randint(1, 8)
        weights = [weight() for _ in range(n)]
        gradient = [round(rng.uniform(-1, 1), 2) for _ in range(n)]
        learning_rate = rng.choice((0.01, 0.05, 0.1, 0.5))
        lam = rng.choice((0.01, 0.1, 0.5, 1.0))
        args = (list_or_tuple(i, weights), list_or_tuple(i, gradient), learning_rate, lam)
        yield Case(f"random step #{i + 1}", args, forbid_mutation=True)


# The plain subgradient step, the named mistake, in the two ways learners write sign().
_SUBGRADIENT = '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    new = []
    for w, g in zip(weights, gradient):
        sign = {sign}
        new.append(w - learning_rate * (g + lam * sign))
    return new
'''

# The right step but for one change, written where the reference writes the same line.
_PROXIMAL = '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    shrink = {shrink}
    new = []
    for w, g in zip(weights, gradient):
        z = {z}
        if z > shrink:
            new.append(z - shrink)
        elif z < -shrink:
            new.append(z + shrink)
        else:
            new.append(0.0)
    return new
'''

EXERCISE = ExerciseSpec(
    id="l1-step",
    order=25,
    title="One L1 step that lands on 0",
    function="l1_step",
    prompt="""\
L1 regularization adds **λ · Σ |w|** to the data loss. Its pull toward 0 has the same
size for every weight, however small. Training with it takes each step in two moves, for
every weight:

    zᵢ     = wᵢ − learning_rate · gᵢ                        (the data move)
    new wᵢ = sign(zᵢ) · max(|zᵢ| − learning_rate · λ, 0)    (the penalty move)

where gᵢ is the gradient of the data loss alone. The data move is an ordinary gradient
step without the penalty. The penalty move takes zᵢ toward 0 by learning_rate · λ, but
**stops at 0** instead of crossing it.

This is *soft-thresholding* (the proximal step of the L1 penalty), and it is what makes
L1 zero weights out. A small weight whose data pull is at most λ in size (|gᵢ| ≤ λ) lands
on exactly 0.0, and stays there: at 0, its data move, learning_rate · |gᵢ|, is shorter
than learning_rate · λ, so the penalty move takes it straight back to 0.
Proximal-gradient solvers take exactly this step, and scikit-learn's `Lasso` (coordinate
descent) soft-thresholds one weight at a time. The plain gradient step,
w − learning_rate · (g + λ · sign(w)), cannot do it: it does not stop at 0 but jumps
across, and at 0 it moves with the data gradient.

Write `l1_step(weights, gradient, learning_rate, lam)` that returns the new weights.

- `weights` and `gradient` are lists or tuples of real numbers. If their lengths
  differ, raise `ValueError`.
- Return a **new** list of floats, in the same order. Do not change `weights` or
  `gradient` in place.

For example, `l1_step([1.0, -2.0, 0.04], [0.5, -0.5, 0.1], 0.1, 0.5)` returns
`[0.9, -1.9, 0.0]`. The data move takes the weights to 0.95, −1.95 and 0.03; the
penalty move then takes each 0.1 · 0.5 = 0.05 toward 0, and 0.03, closer to 0 than
that, stops at 0.0.
""",
    starter='''\
def l1_step(weights, gradient, learning_rate, lam):
    """Return the weights after one soft-thresholding step on data loss + lam * sum(abs(w))."""
    ...
''',
    solution='''\
def l1_step(weights, gradient, learning_rate, lam):
    """Return the weights after one soft-thresholding step on data loss + lam * sum(abs(w))."""
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient must have the same length")
    shrink = learning_rate * lam  # how far the penalty moves a weight toward 0
    new = []
    for w, g in zip(weights, gradient):
        z = w - learning_rate * g  # the data move
        if z > shrink:
            new.append(float(z - shrink))
        elif z < -shrink:
            new.append(float(z + shrink))
        else:  # closer to 0 than the shrink: stop at 0 instead of crossing it
            new.append(0.0)
    return new
''',
    hints=(
        "Handle each weight in two moves. First the data move alone, z = w − "
        "learning_rate · g, with no penalty in it at all. Only then the penalty, applied "
        "to z, not to w.",
        "The penalty move takes z a distance learning_rate · λ toward 0. If z is closer "
        "to 0 than that distance, the full move would carry it past 0: the answer is then "
        "exactly 0.0. So the new size is max(|z| − learning_rate · λ, 0).",
        "Give that size back the sign of z: a positive z gives a positive weight or 0, a "
        "negative z a negative weight or 0. Three cases do it: z above the distance, z "
        "below minus the distance, and everything in between. Check the two lengths first, "
        "and build a new list.",
    ),
    returns="reals",
    cases=(
        Case(
            "the example from the prompt",
            ([1.0, -2.0, 0.04], [0.5, -0.5, 0.1], 0.1, 0.5),
            expected=[0.9, -1.9, 0.0],
            forbid_mutation=True,
            example=True,
        ),
        Case(
            "the example, as tuples",
            ((1.0, -2.0, 0.04), (0.5, -0.5, 0.1), 0.1, 0.5),
            expected=[0.9, -1.9, 0.0],
        ),
        Case(
            "a weight the data barely needs lands on exactly 0.0",
            ([0.3, 2.0], [0.1, 0.1], 0.5, 1.0),
            expected=[0.0, 1.45],
            forbid_mutation=True,
        ),
        Case(
            "a weight at 0 whose data pull is weaker than λ stays at 0",
            ([0.0, 0.0], [0.2, -0.4], 0.5, 1.0),
            expected=[0.0, 0.0],
            forbid_mutation=True,
        ),
        Case(
            "a weight at 0 leaves it when the data pulls harder than λ",
            ((0.0, 0.0), (1.5, -3.0), 0.5, 1.0),
            expected=[-0.25, 1.0],
        ),
        Case(
            "crossing 0 is clipped to 0, not jumped across",
            ([0.02, -0.03], [0.0, 0.0], 0.1, 0.5),
            expected=[0.0, 0.0],
            forbid_mutation=True,
        ),
        Case(
            "with no data gradient every weight moves 0.15 toward 0, and w6 stops at 0",
            (list(TABLE), [0.0] * 6, 0.1, 1.5),
            expected=[0.05, -0.35, 4.85, -1.05, 0.15, 0.0],
            forbid_mutation=True,
        ),
        Case(
            "the data move may carry a weight across 0; the shrink follows it",
            ((0.1, -0.1), (0.5, -0.5), 0.5, 0.1),
            expected=[-0.1, 0.1],
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
            "the plain subgradient step",
            _SUBGRADIENT.format(sign="1 if w > 0 else -1 if w < 0 else 0"),
            "That is the plain (subgradient) step, w − learning_rate · (g + λ·sign(w)). It "
            "never holds a weight at 0: at 0 it still moves by −learning_rate·g, and a "
            "weight closer to 0 than learning_rate·λ jumps across to the other side. Do "
            "the data move first, z = w − learning_rate·g, then take z toward 0 by "
            "learning_rate·λ and stop at 0 if it would cross.",
            hint=(
                "Split the step in two: first `z = w - learning_rate * g`, then move `z` "
                "toward 0 by `learning_rate * lam`, and if that would cross 0, the new weight "
                "is exactly `0.0`."
            ),
        ),
        Mistake(
            "the plain subgradient step, with sign(0) taken as 1",
            _SUBGRADIENT.format(sign="1 if w >= 0 else -1"),
            "That is the plain (subgradient) step, w − learning_rate · (g + λ·sign(w)), "
            "here even pushing a weight of 0 as if it were positive. No step of that form "
            "holds a weight at 0: a weight near 0 jumps across by learning_rate·λ. Do the "
            "data move first, z = w − learning_rate·g, then take z toward 0 by "
            "learning_rate·λ and stop at 0 if it would cross.",
            hint=(
                "Don't push by the sign of `w` at all: take `z = w - learning_rate * g`, then "
                "`max(abs(z) - learning_rate * lam, 0.0)` is the new size, with the sign of "
                "`z`."
            ),
        ),
        Mistake(
            "shrinking by λ instead of learning_rate · λ",
            _PROXIMAL.format(shrink="lam", z="w - learning_rate * g"),
            "The penalty move is a step too, so the learning rate scales it: take z toward "
            "0 by learning_rate · λ, not by λ.",
            hint=(
                "The distance toward 0 is `learning_rate * lam`: compute `shrink = "
                "learning_rate * lam` once and use it for every weight."
            ),
        ),
        Mistake(
            "the 2 of L2 kept",
            _PROXIMAL.format(shrink="2 * learning_rate * lam", z="w - learning_rate * g"),
            "The factor 2 belongs to L2, where the slope of w² is 2·w. The slope of |w| has "
            "size 1, so the penalty move is learning_rate · λ, not 2 · learning_rate · λ.",
            hint=(
                "The slope of |w| is ±1, so there is no 2: `shrink = learning_rate * lam`."
            ),
        ),
        Mistake(
            "gradient added instead of subtracted",
            _PROXIMAL.format(shrink="learning_rate * lam", z="w + learning_rate * g"),
            "Your data move goes up the gradient: it subtracts it, "
            "z = w − learning_rate · g.",
            hint=(
                "Gradient descent goes downhill: `z = w - learning_rate * g`, with a minus."
            ),
        ),
        Mistake(
            "thresholding before the data step",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    shrink = learning_rate * lam
    new = []
    for w, g in zip(weights, gradient):
        if w > shrink:
            w = w - shrink
        elif w < -shrink:
            w = w + shrink
        else:
            w = 0.0
        new.append(w - learning_rate * g)
    return new
''',
            "You shrank w first and took the data step after it, so the data step has the "
            "last word and a weight does not end on 0. The order matters: first the data "
            "move, z = w − learning_rate·g, then the penalty move on z, stopping at 0.",
            hint=(
                "Swap the two moves: compute `z = w - learning_rate * g` first, then shrink "
                "`z` toward 0 and stop at 0."
            ),
        ),
        Mistake(
            "no stop at 0",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    new = []
    for w, g in zip(weights, gradient):
        z = w - learning_rate * g
        sign = 1 if z > 0 else -1 if z < 0 else 0
        new.append(z - learning_rate * lam * sign)
    return new
''',
            "Your penalty move carries a weight that is closer to 0 than learning_rate · λ "
            "across to the other side. Stop it at exactly 0.0 instead: the new size is "
            "max(|z| − learning_rate · λ, 0).",
            hint=(
                "After `z = w - learning_rate * g`, the new size is `max(abs(z) - "
                "learning_rate * lam, 0.0)`: when that is 0, append exactly `0.0`."
            ),
        ),
        Mistake(
            "sign of z dropped",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    return [
        max(abs(w - learning_rate * g) - learning_rate * lam, 0.0)
        for w, g in zip(weights, gradient)
    ]
''',
            "max(|z| − learning_rate · λ, 0) is only the new size of the weight: your "
            "negative weights came out positive. Multiply it by the sign of z.",
            hint=(
                "Multiply the new size by the sign of z: `size if z > 0 else -size` (a size "
                "of 0 stays 0)."
            ),
        ),
        Mistake(
            "the L2 step used",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    return [w - learning_rate * (g + 2 * lam * w) for w, g in zip(weights, gradient)]
''',
            "That is the L2 step: its pull, 2·λ·w, grows with the weight and fades near 0, "
            "so no weight ends on 0. L1 takes every weight the same distance, "
            "learning_rate · λ, toward 0 after the data move, and stops at 0.",
            hint=(
                "Replace the pull `2 * lam * w` with a fixed move of `learning_rate * lam` "
                "toward 0, applied after the data move, stopping at 0."
            ),
        ),
        Mistake(
            "input mutated",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    if len(weights) != len(gradient):
        raise ValueError("weights and gradient differ in length")
    shrink = learning_rate * lam
    for i in range(len(weights)):
        z = weights[i] - learning_rate * gradient[i]
        weights[i] = max(abs(z) - shrink, 0.0) * (1 if z > 0 else -1)
    return weights
''',
            # Recognized by its outcomes (a TypeError on tuples), which assigning into a
            # slice copy (`new = weights[:]`) shares without changing a list in place.
            "Your function fails on tuples: it assigns items into the sequence it was "
            "given, or into a slice copy of it (for a tuple, `weights[:]` is a tuple too), "
            "and a tuple can't be changed. Done on the list it was given, that also changes "
            "the caller's weights. Build a new list (with `append`, or a list "
            "comprehension) and return it.",
            hint=(
                "Start with `new = []`, `append` each new weight to it, and return `new`; "
                "never assign into `weights`."
            ),
        ),
        Mistake(
            "lengths not checked",
            '''\
def l1_step(weights, gradient, learning_rate, lam):
    shrink = learning_rate * lam
    new = []
    for w, g in zip(weights, gradient):
        z = w - learning_rate * g
        new.append(max(abs(z) - shrink, 0.0) * (1 if z > 0 else -1))
    return new
''',
            "`zip` silently stops at the shorter sequence; when `weights` and `gradient` "
            "differ in length, raise ValueError instead.",
            hint=(
                "Before the loop: `if len(weights) != len(gradient): raise "
                'ValueError("weights and gradient differ in length")`.'
            ),
        ),
    ),
)
