"""Exercise: early stopping, pick the epoch to keep from a validation-loss curve."""

from exercises._shared import list_or_tuple
from grader.spec import Case, ExerciseSpec, Mistake

# The prompt's example: the loss rises once after epoch 2, then falls to its lowest.
CURVE = (1.0, 0.8, 0.7, 0.75, 0.6)


def _random_cases(rng):
    # A noisy U-shaped curve rounded to two decimals, so that ties happen too.
    for i in range(8):
        n = rng.randint(3, 14)
        bottom = rng.randint(1, n - 1)
        losses = [
            round(0.3 + 0.04 * abs(epoch - bottom) + rng.uniform(-0.05, 0.05), 2)
            for epoch in range(n)
        ]
        patience = rng.randint(1, 3)
        yield Case(
            f"random curve #{i + 1}, patience {patience}",
            (list_or_tuple(i, losses),),
            {"patience": patience},
        )


EXERCISE = ExerciseSpec(
    id="early-stop",
    order=50,
    title="When to stop training",
    function="stop_epoch",
    prompt="""\
Early stopping ends training once the validation loss stops improving, and keeps the
model from the best epoch. Write `stop_epoch(val_losses, patience=1)`:

- `val_losses[i]` is the validation loss after epoch `i`, counting from **0**.
  `val_losses` is a list or a tuple of real numbers.
- Go through the epochs in order and remember the best one so far: the lowest loss.
  Only a **strictly** lower loss counts as an improvement; an equal loss does not.
- Count the epochs that do not improve on the best one. When `patience` of them have
  passed **in a row**, stop. (An improvement starts the count again from 0.)
- Return the index of the best epoch at the moment you stop, or at the end of the list
  if you never stop. An empty `val_losses` or a `patience` below 1 raises `ValueError`.

For example, with `[1.0, 0.8, 0.7, 0.75, 0.6]` the loss rises after epoch 2, so
`stop_epoch([1.0, 0.8, 0.7, 0.75, 0.6])` returns `2`. With a patience of 2 training goes
on and reaches 0.6: `stop_epoch([1.0, 0.8, 0.7, 0.75, 0.6], patience=2)` returns `4`.
""",
    starter='''\
def stop_epoch(val_losses, patience=1):
    """Return the index of the epoch to keep when stopping early."""
    ...
''',
    solution='''\
def stop_epoch(val_losses, patience=1):
    """Return the index of the epoch to keep when stopping early."""
    if len(val_losses) == 0:
        raise ValueError("val_losses is empty")
    if patience < 1:
        raise ValueError("patience must be at least 1")
    best = 0
    waited = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
            waited = 0
        else:
            waited += 1
            if waited == patience:
                return best
    return best
''',
    hints=(
        "Keep two numbers while you loop over the epochs: the index of the best epoch "
        "so far, and how many epochs in a row failed to beat it.",
        "Epoch 0 is the first best. From epoch 1 on, only a loss *strictly* below the "
        "best so far is an improvement; an equal loss counts as a wait.",
        "An improvement moves the best epoch and resets the count. When the count "
        "reaches `patience`, the answer is the best epoch, not the current one; if the "
        "list ends first, it is the best epoch too.",
    ),
    returns="index",
    cases=(
        Case("the example from the prompt", (list(CURVE),), expected=2, example=True),
        Case(
            "the example with patience=2",
            (list(CURVE),),
            {"patience": 2},
            expected=4,
            example=True,
        ),
        Case("the example as a tuple", (CURVE,), expected=2),
        Case("patience given by position", (CURVE, 2), expected=4),
        Case("a loss that keeps falling", ([0.9, 0.7, 0.5, 0.4],), expected=3),
        Case("a single epoch", ([0.5],), expected=0),
        Case("an equal loss is no improvement", ([1.0, 0.8, 0.8, 0.9],), expected=1),
        Case("a flat curve", ((0.5, 0.5, 0.5),), {"patience": 2}, expected=0),
        Case(
            "an improvement restarts the count",
            ([1.0, 1.1, 0.9, 1.0, 0.8],),
            {"patience": 2},
            expected=4,
        ),
        Case(
            "stopping with patience=2",
            ([1.0, 0.8, 0.9, 0.95, 0.5],),
            {"patience": 2},
            expected=1,
        ),
        Case(
            "a dip that is not a new best does not restart the count",
            ([1.0, 0.5, 0.9, 0.8, 0.85, 0.4],),
            {"patience": 2},
            expected=1,
        ),
        Case(
            "a dip, then a new best, then a rise",
            ([1.0, 0.5, 0.9, 0.8, 0.45, 0.6, 0.7, 0.3],),
            {"patience": 2},
            expected=1,
        ),
        Case(
            "stop as soon as patience runs out, not one epoch later",
            ([1.0, 0.8, 0.9, 0.7, 0.75, 0.76, 0.5],),
            expected=1,
        ),
        Case("an empty list raises ValueError", ([],), raises=ValueError),
        Case("patience=0 raises ValueError", (CURVE,), {"patience": 0}, raises=ValueError),
    ),
    random_cases=_random_cases,
    mistakes=(
        Mistake(
            "returns the epoch where the rise was seen",
            '''\
def stop_epoch(val_losses, patience=1):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
            waited = 0
        else:
            waited += 1
            if waited == patience:
                return epoch
    return best
''',
            "You returned the epoch where you noticed the loss going up; return the best "
            "epoch seen so far, the one whose model you would keep.",
            hint=(
                "When you stop, two epochs are in play: the current one, which did not improve, "
                "and the best one so far. Return the index you stored for the best, not the loop "
                "variable."
            ),
        ),
        Mistake(
            "ignores patience",
            '''\
def stop_epoch(val_losses, patience=1):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    return min(range(len(val_losses)), key=lambda i: val_losses[i])
''',
            "That is the epoch with the lowest loss over the whole run; early stopping "
            "can't see the future: stop after `patience` epochs without improvement and "
            "return the best epoch up to there.",
            hint=(
                "Walk the curve one epoch at a time, as training would, and stop inside the loop: "
                "with [1.0, 0.8, 0.7, 0.75, 0.6] and patience 1, training stops at epoch 3 and "
                "never sees the 0.6."
            ),
        ),
        Mistake(
            "stops at the first epoch without improvement",
            '''\
def stop_epoch(val_losses, patience=1):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
            waited = 0
        else:
            waited += 1
            if waited == 1:
                return best
    return best
''',
            "You stopped at the first epoch that didn't improve; wait until `patience` "
            "such epochs have passed in a row.",
            hint=(
                "Use `patience` in your stopping test: the count of epochs without improvement "
                "must reach `patience`, not 1. With patience 2, [1.0, 0.8, 0.7, 0.75, 0.6] goes on "
                "past the 0.75 and gives 4."
            ),
        ),
        Mistake(
            "waits one epoch too long",
            '''\
def stop_epoch(val_losses, patience=1):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
            waited = 0
        else:
            waited += 1
            if waited > patience:
                return best
    return best
''',
            "You waited one epoch too many: stop as soon as `patience` epochs in a row "
            "have not improved (`waited == patience`, not `waited > patience`).",
            hint=(
                "Follow [1.0, 0.8, 0.7, 0.75, 0.6] with patience 1: epoch 3 is the first without "
                "improvement, so the count is 1 there and training stops, keeping epoch 2."
            ),
        ),
        Mistake(
            "1-based epochs",
            '''\
def stop_epoch(val_losses, patience=1):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
            waited = 0
        else:
            waited += 1
            if waited == patience:
                return best + 1
    return best + 1
''',
            "Your answer is one too high: epochs are counted from 0, so the first loss "
            "belongs to epoch 0.",
            hint=(
                "Look for a `+ 1` or an `enumerate(..., start=1)`: the answer is the list index of "
                "the best loss, so for [1.0, 0.8, 0.7, 0.75, 0.6] it is 2, the index of 0.7."
            ),
        ),
        Mistake(
            "ties counted as improvements",
            '''\
def stop_epoch(val_losses, patience=1):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] <= val_losses[best]:
            best = epoch
            waited = 0
        else:
            waited += 1
            if waited == patience:
                return best
    return best
''',
            "An equal loss is not an improvement: only a strictly lower loss (`<`, not "
            "`<=`) should become the new best.",
            hint=(
                "Try [1.0, 0.8, 0.8, 0.9]: the second 0.8 is no better than the first, so the best "
                "epoch stays 1."
            ),
        ),
        Mistake(
            "count not reset after an improvement",
            '''\
def stop_epoch(val_losses, patience=1):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        else:
            waited += 1
            if waited == patience:
                return best
    return best
''',
            "The epochs without improvement must come in a row: set the count back to 0 "
            "whenever the loss improves.",
            hint=(
                "Try [1.0, 1.1, 0.9, 1.0, 0.8] with patience 2: epoch 1 waits, epoch 2 improves "
                "and starts the count over, so epoch 3 alone does not stop training; the answer is "
                "4."
            ),
        ),
        Mistake(
            "count reset on any dip",
            '''\
def stop_epoch(val_losses, patience=1):
    if len(val_losses) == 0 or patience < 1:
        raise ValueError("need losses and patience >= 1")
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
        if val_losses[epoch] < val_losses[epoch - 1]:
            waited = 0
        else:
            waited += 1
            if waited == patience:
                return best
    return best
''',
            "Only a new best restarts the count: a loss lower than the epoch before it "
            "but not lower than the best so far is still an epoch without improvement.",
            hint=(
                "Compare each loss with the best so far, not with the epoch before it: in [1.0, "
                "0.5, 0.9, 0.8, 0.85, 0.4] with patience 2, 0.8 is below 0.9 but not below 0.5, so "
                "training stops at epoch 3 and keeps epoch 1."
            ),
        ),
        Mistake(
            "empty list accepted",
            '''\
def stop_epoch(val_losses, patience=1):
    if patience < 1:
        raise ValueError("bad patience")
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
            waited = 0
        else:
            waited += 1
            if waited == patience:
                return best
    return best
''',
            "An empty list of losses has no best epoch: raise ValueError instead of "
            "returning 0.",
            hint=(
                "Check the list before the loop, first thing in the function: `if len(val_losses) "
                '== 0: raise ValueError("no losses")`.'
            ),
        ),
    ),
)
