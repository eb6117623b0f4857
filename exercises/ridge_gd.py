"""Exercise: fit ridge regression (squared loss plus L2 penalty) by gradient descent."""

from grader.spec import Array, Case, ExerciseSpec, Mistake

# Four points on y = x1 + 2·x2, features kept small so that every known wrong update
# (even the one without 1/n, whose steps are n times too big) stays finite.
X_ROWS = ((0.5, 1.0), (1.0, 0.5), (-0.5, 0.5), (0.0, -1.0))
Y = (2.5, 2.0, 0.5, -2.0)


def _random_cases(rng):
    for i in range(5):
        n = rng.randint(3, 6)
        d = rng.randint(1, 3)
        rows = [[round(rng.uniform(-1, 1), 2) for _ in range(d)] for _ in range(n)]
        true_w = [rng.uniform(-2, 2) for _ in range(d)]
        y = [
            round(sum(x * w for x, w in zip(row, true_w, strict=True)) + rng.uniform(-0.1, 0.1), 3)
            for row in rows
        ]
        lam = rng.choice((0.01, 0.05, 0.1, 0.5))
        learning_rate = rng.choice((0.02, 0.05))
        epochs = rng.randint(20, 80)
        yield Case(
            f"random data #{i + 1}",
            (Array(rows), Array(y), lam),
            {"learning_rate": learning_rate, "epochs": epochs},
            forbid_mutation=True,
        )


EXERCISE = ExerciseSpec(
    id="ridge-gd",
    order=70,
    title="Train ridge regression with gradient descent",
    function="fit_ridge",
    requires=("numpy",),
    prompt="""\
Put it all together: train a linear model y ≈ X · w by gradient descent on the mean
squared error plus λ times the L2 penalty,

    loss(w) = (1/n) · Σ (Xw − y)² + λ · Σ w²

Write `fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000)` with numpy. Start from
`w = 0` (d zeros) and repeat `epochs` times the step

    w ← w − learning_rate · ((2/n) · Xᵀ(Xw − y) + 2 · λ · w)

- `X` has n rows and d columns (a 2-D numpy array or a list of rows); `y` has n values
  (a list, a tuple or a 1-D numpy array). `lam` is the regularization rate λ.
- Return `w` as a 1-D array (or a list) of d floats. Don't change `X` or `y`.

For example, `fit_ridge([[1.0], [2.0]], [2.0, 4.0], 0.0, epochs=1)` takes one step from
w = 0: the gradient is (2/2) · (1·(−2) + 2·(−4)) = −10, so it returns `[1.0]`.
""",
    starter='''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    """Return the weights of ridge regression fitted by gradient descent."""
    ...
''',
    solution='''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    """Return the weights of ridge regression fitted by gradient descent."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        gradient = (2 / n) * X.T @ (X @ w - y) + 2 * lam * w
        w = w - learning_rate * gradient
    return w
''',
    hints=(
        "Work with float numpy arrays: convert `X` and `y` with `np.asarray`, read the "
        "number of examples n and of features d from the shape of `X`, and start from "
        "a weight vector of d zeros.",
        "The residuals are `X @ w - y`; `X.T @ residuals` sums each feature's share of "
        "the error over the n examples, so divide by n to get the mean.",
        "Each epoch is one step of the `l2_step` exercise, for all weights at once: the "
        "data gradient is (2/n) · Xᵀ(Xw − y), the penalty adds 2 · λ · w, and the step "
        "subtracts `learning_rate` times their sum. Repeat it `epochs` times.",
    ),
    returns="reals",
    rtol=1e-6,
    atol=1e-9,
    cases=(
        Case(
            "the one-step example from the prompt",
            ([[1.0], [2.0]], [2.0, 4.0], 0.0),
            {"epochs": 1},
            expected=[1.0],
            example=True,
        ),
        Case(
            "the one-step example, as numpy arrays",
            (Array([(1.0,), (2.0,)]), Array([2.0, 4.0]), 0.0),
            {"epochs": 1},
            expected=[1.0],
        ),
        Case(
            "two steps with λ = 0.5",
            (Array([(1.0,), (2.0,)]), Array([2.0, 4.0]), 0.5),
            {"learning_rate": 0.1, "epochs": 2},
            # Step 1 gives w = 1.0; step 2: 1.0 − 0.1 · (−5 + 2 · 0.5 · 1.0) = 1.4.
            expected=[1.4],
        ),
        Case(
            "no epochs leaves w at zero",
            (Array(X_ROWS), Array(Y), 0.1),
            {"epochs": 0},
            expected=[0.0, 0.0],
        ),
        Case(
            "two features, λ = 0.1, trained to the end",
            (Array(X_ROWS), Array(Y), 0.1),
            forbid_mutation=True,
        ),
        Case(
            "the same data with λ = 0: plain least squares",
            (Array(X_ROWS), Array(Y), 0.0),
            {"epochs": 300},
            # Without a penalty gradient descent finds the exact fit, w = (1, 2).
            expected=[1.0, 2.0],
        ),
        Case(
            "a strong λ = 1 pulls the weights toward 0",
            (Array(X_ROWS), Array(Y), 1.0),
            {"learning_rate": 0.05, "epochs": 200},
            forbid_mutation=True,
        ),
        Case(
            "X and y as Python lists",
            ([list(row) for row in X_ROWS], list(Y), 0.1),
            {"epochs": 50},
            forbid_mutation=True,
        ),
        Case(
            "y as a tuple",
            (Array(X_ROWS), Y, 0.1),
            {"learning_rate": 0.05, "epochs": 50},
            forbid_mutation=True,
        ),
    ),
    random_cases=_random_cases,
    mistakes=(
        Mistake(
            "regularization term missing",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        w = w - learning_rate * ((2 / n) * X.T @ (X @ w - y))
    return w
''',
            "Your weights are those of plain least squares: the gradient needs the "
            "penalty's part too, + 2 * lam * w.",
            hint=(
                "Each epoch's gradient has two parts: the data's, (2/n) · Xᵀ(Xw − y), and the "
                "penalty's, 2 · λ · w. Check that both are inside the step."
            ),
        ),
        Mistake(
            "sum instead of mean",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        w = w - learning_rate * (2 * X.T @ (X @ w - y) + 2 * lam * w)
    return w
''',
            "You used the sum of squared errors: its gradient must be divided by n "
            "(the loss is the mean), so use (2 / n) * X.T @ (X @ w - y).",
            hint=(
                "Look for n in your gradient: the mean squared error divides by n, so its gradient "
                "carries (2 / n). Without it each step is n times too big."
            ),
        ),
        Mistake(
            "λ instead of 2λ",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        w = w - learning_rate * ((2 / n) * X.T @ (X @ w - y) + lam * w)
    return w
''',
            "The penalty's gradient is missing its factor 2: the derivative of λ·Σw² is "
            "2 * lam * w.",
            hint=(
                "The penalty's gradient is 2 · lam · w, the same as in the `l2_step` exercise: "
                "check the factor in front of `lam`."
            ),
        ),
        Mistake(
            "penalty inside the 2/n",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        w = w - learning_rate * ((2 / n) * (X.T @ (X @ w - y) + lam * w))
    return w
''',
            "You put the penalty inside the (2/n): only the data loss is a mean over the n "
            "examples, so only its gradient gets 2/n. Add the penalty's gradient, "
            "2 * lam * w, outside it.",
            hint=(
                "Write the step as two separate terms added together, `(2 / n) * X.T @ (X @ w - "
                "y)` and `2 * lam * w`, then check your parentheses against them."
            ),
        ),
        Mistake(
            "1/n instead of 2/n",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        w = w - learning_rate * ((1 / n) * X.T @ (X @ w - y) + 2 * lam * w)
    return w
''',
            "The gradient of the mean squared error is (2/n) · Xᵀ(Xw − y): you left out "
            "its factor 2.",
            hint=(
                "The derivative of (Xw − y)² brings down a 2: the data gradient is `(2 / n) * X.T "
                "@ (X @ w - y)`."
            ),
        ),
        Mistake(
            "inputs not converted to arrays",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        w = w - learning_rate * ((2 / n) * X.T @ (X @ w - y) + 2 * lam * w)
    return w
''',
            "Your function works on numpy arrays but not on lists of rows: convert the "
            "inputs first with `X = np.asarray(X, dtype=float)` (and the same for y).",
            hint=(
                "Lists have no `.shape` and no `@`: begin with `X = np.asarray(X, dtype=float)` "
                "and `y = np.asarray(y, dtype=float)`."
            ),
        ),
        Mistake(
            "w as a column vector",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros((d, 1))
    for _ in range(epochs):
        w = w - learning_rate * ((2 / n) * X.T @ (X @ w - y) + 2 * lam * w)
    return w
''',
            "Your w is a column, `np.zeros((d, 1))`, so the answer comes back 2-D (and with a "
            "1-D y, `X @ w - y` quietly broadcasts to an n×n matrix): start from "
            "`np.zeros(d)`, a 1-D array of d zeros.",
            hint=(
                "Print `w.shape` inside your loop: it should be `(d,)`, not `(d, 1)`, and `(X @ w "
                "- y).shape` should be `(n,)`."
            ),
        ),
        Mistake(
            "one step short",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs - 1):
        w = w - learning_rate * ((2 / n) * X.T @ (X @ w - y) + 2 * lam * w)
    return w
''',
            "Your loop takes one step fewer than `epochs`: `range(epochs)` already runs "
            "exactly `epochs` times (0, 1, …, epochs − 1), so don't subtract 1.",
            hint=(
                "Count the steps for `epochs=1`: the prompt's example takes exactly one step, from "
                "w = 0 to w = [1.0], so your loop's body must run once."
            ),
        ),
        Mistake(
            "stops when the steps get small",
            '''\
import numpy as np


def fit_ridge(X, y, lam, learning_rate=0.1, epochs=1000):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        new_w = w - learning_rate * ((2 / n) * X.T @ (X @ w - y) + 2 * lam * w)
        if np.linalg.norm(new_w - w) < 1e-6:
            break
        w = new_w
    return w
''',
            "Your loop stops before `epochs` steps, once the weights barely move: this "
            "function takes exactly `epochs` steps, so remove the early `break` (deciding "
            "when to stop is the caller's job, as in early stopping).",
            hint=(
                "Let `for _ in range(epochs)` run to the end, with no `break` or `return` inside "
                "the loop: the caller chooses how long to train through `epochs`."
            ),
        ),
    ),
)
