"""Train the small models behind the lesson's figures, then draw them as SVG.

Every figure in the lesson comes from a model this script actually trains on one
synthetic regression problem (the "running example"): 100 features, 150 training
examples, with noise, so an unregularized linear model overfits. The numbers that the
pages quote are written next to the figures in ``figures.json``.

    python scripts/make_figures.py [--out DIR]      # default: docs/assets/figures

The output is reproducible on any machine up to the last bit of a float: a fixed seed, no
date in the metadata, ids numbered in order (not hashed from coordinates) and coordinates
rounded to 1/100 pt. ``tests/test_figures.py`` regenerates everything and compares it with
the committed files, numbers within a tolerance and all other text exactly.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "assets" / "figures"

SEED = 1
N_FEATURES = 100
TRUE_WEIGHT_RANGE = (-1.0, 1.0)  # the true weights are drawn uniformly from this range
N_TRAIN, N_VALIDATION, N_TEST = 150, 400, 1000
NOISE_SD = 2.0

# A grid a practitioner would try: roughly 1-2-5 steps per decade.
LAMBDA_GRID = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
LAMBDA_LOW, LAMBDA_HIGH = 0.001, 2.0

# Early stopping: plain gradient descent, no regularization, full batch (1 step = 1 epoch).
ES_LEARNING_RATE, ES_EPOCHS, ES_PATIENCE = 0.05, 300, 20

# Learning rate vs regularization rate: a fixed budget of epochs, as in real training.
BALANCE_EPOCHS = 100
BALANCE_LEARNING_RATES = (0.01, 0.03, 0.1)
BALANCE_LAMBDAS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)

# L1 with the plain subgradient step and with the proximal step of the ``l1-step``
# exercise, at the learning rate of the early-stopping run (ES_LEARNING_RATE).
L1_LAMBDA, L1_STEPS = 0.3, 3000

# Every series differs by marker and dash style as well as hue, so the figures read in
# greyscale and with any colour vision; hues are at least 3:1 on the white card, and all
# text is #202124 or #3c4043 (at least 10:1), so the figures read the same on the light and
# the dark page (tests/test_figures.py checks both).
COLORS = {"train": "#1a73e8", "validation": "#e8710a", "mark": "#202124"}
SERIES = {
    "train": {"color": COLORS["train"], "marker": "o", "linestyle": "-"},
    "validation": {"color": COLORS["validation"], "marker": "s", "linestyle": "--"},
}
RATE_SERIES = (
    {"color": "#1a73e8", "marker": "o", "linestyle": "-"},
    {"color": "#e8710a", "marker": "s", "linestyle": "--"},
    {"color": "#188038", "marker": "^", "linestyle": ":"},
)


@dataclass(frozen=True)
class Split:
    X: np.ndarray
    y: np.ndarray


@dataclass(frozen=True)
class Problem:
    true_weights: np.ndarray
    train: Split
    validation: Split
    test: Split


def make_problem(seed: int = SEED) -> Problem:
    """The running example: y = X·w_true + noise, with w_true uniform on [-1, 1]."""
    rng = np.random.default_rng(seed)
    true_weights = rng.uniform(*TRUE_WEIGHT_RANGE, N_FEATURES)

    def split(n: int) -> Split:
        X = rng.normal(size=(n, N_FEATURES))
        return Split(X, X @ true_weights + rng.normal(scale=NOISE_SD, size=n))

    return Problem(true_weights, split(N_TRAIN), split(N_VALIDATION), split(N_TEST))


def mse(split: Split, w: np.ndarray) -> float:
    """Mean squared error of the linear model ``w`` on one split."""
    return float(np.mean((split.X @ w - split.y) ** 2))


def fit_ridge_exact(split: Split, lam: float) -> np.ndarray:
    """Minimize mean squared error + lam · Σw² exactly (where gradient descent ends up)."""
    n, d = split.X.shape
    return np.linalg.solve(split.X.T @ split.X / n + lam * np.eye(d), split.X.T @ split.y / n)


def gradient_descent(split: Split, lam: float, learning_rate: float, epochs: int):
    """Full-batch gradient descent from w = 0 on MSE + lam · Σw²; yields w after each epoch."""
    n, d = split.X.shape
    w = np.zeros(d)
    for _ in range(epochs):
        gradient = (2 / n) * split.X.T @ (split.X @ w - split.y)
        w = w - learning_rate * (gradient + 2 * lam * w)
        yield w


def subgradient_step(w: np.ndarray, gradient: np.ndarray, learning_rate: float, lam: float):
    """The plain step on data loss + lam · Σ|w|, with sign(0) = 0: it never rests at 0."""
    return w - learning_rate * (gradient + lam * np.sign(w))


def proximal_step(w: np.ndarray, gradient: np.ndarray, learning_rate: float, lam: float):
    """The ``l1-step`` exercise's soft-thresholding step: the data move, then a shrink by
    learning_rate · lam that stops at 0."""
    z = w - learning_rate * gradient
    return np.sign(z) * np.maximum(np.abs(z) - learning_rate * lam, 0.0)


def l1_descent(split: Split, lam: float, learning_rate: float, steps: int, step) -> np.ndarray:
    """Full-batch descent from w = 0 on MSE + lam · Σ|w| with one of the two steps above."""
    n, d = split.X.shape
    w = np.zeros(d)
    for _ in range(steps):
        w = step(w, (2 / n) * split.X.T @ (split.X @ w - split.y), learning_rate, lam)
    return w


def stop_point(val_losses: Sequence[float], patience: int = 1) -> tuple[int, int]:
    """The early-stopping rule of the ``early-stop`` exercise: (best epoch, last epoch run)."""
    best, waited = 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best, waited = epoch, 0
        else:
            waited += 1
            if waited == patience:
                return best, epoch
    return best, len(val_losses) - 1


def stop_epoch(val_losses: Sequence[float], patience: int = 1) -> int:
    """The ``early-stop`` exercise's answer: the best epoch at the moment training stops."""
    return stop_point(val_losses, patience)[0]


def sig(x: float, digits: int = 4) -> float:
    """Round to a few significant digits, so the JSON holds the numbers the pages quote."""
    return float(f"{x:.{digits}g}")


# ---------------------------------------------------------------------------- training


def train_histograms(problem: Problem) -> dict:
    weights = {lam: fit_ridge_exact(problem.train, lam) for lam in (LAMBDA_LOW, LAMBDA_HIGH)}
    summary = {
        "lambda_low": LAMBDA_LOW,
        "lambda_high": LAMBDA_HIGH,
        "std_low": sig(weights[LAMBDA_LOW].std(), 3),
        "std_high": sig(weights[LAMBDA_HIGH].std(), 3),
        "max_abs_low": sig(np.abs(weights[LAMBDA_LOW]).max(), 3),
        "max_abs_high": sig(np.abs(weights[LAMBDA_HIGH]).max(), 3),
        "min_abs_high": sig(np.abs(weights[LAMBDA_HIGH]).min(), 2),
        "mean_high": sig(weights[LAMBDA_HIGH].mean(), 2),
    }
    return {"weights": weights, "summary": summary}


def train_early_stopping(problem: Problem) -> dict:
    train_loss, val_loss, test_loss, weights = [], [], [], []
    for w in gradient_descent(problem.train, 0.0, ES_LEARNING_RATE, ES_EPOCHS):
        weights.append(w)
        train_loss.append(mse(problem.train, w))
        val_loss.append(mse(problem.validation, w))
        test_loss.append(mse(problem.test, w))
    best = stop_epoch(val_loss, ES_PATIENCE)
    summary = {
        "learning_rate": ES_LEARNING_RATE,
        "epochs": ES_EPOCHS,
        "patience": ES_PATIENCE,
        "best_index": best,
        "best_epochs_completed": best + 1,
        "stopped_after_epochs": best + 1 + ES_PATIENCE,
        "train_loss_at_best": sig(train_loss[best], 3),
        "train_loss_at_end": sig(train_loss[-1], 3),
        "validation_loss_at_best": sig(val_loss[best], 3),
        "validation_loss_at_end": sig(val_loss[-1], 3),
        "test_loss_at_best": sig(test_loss[best], 3),
        "test_loss_at_end": sig(test_loss[-1], 3),
    }
    curves = {"train": np.array(train_loss), "validation": np.array(val_loss)}
    return {"curves": curves, "weights": weights, "best": best, "summary": summary}


def train_lambda_sweep(problem: Problem) -> dict:
    train_loss, val_loss = [], []
    for lam in LAMBDA_GRID:
        w = fit_ridge_exact(problem.train, lam)
        train_loss.append(mse(problem.train, w))
        val_loss.append(mse(problem.validation, w))
    best = int(np.argmin(val_loss))
    test_at_best = mse(problem.test, fit_ridge_exact(problem.train, LAMBDA_GRID[best]))
    summary = {
        "lambdas": list(LAMBDA_GRID),
        "validation_loss": [sig(v, 3) for v in val_loss],
        "train_loss": [sig(v, 3) for v in train_loss],
        "best_lambda": LAMBDA_GRID[best],
        "validation_loss_at_best": sig(val_loss[best], 3),
        "test_loss_at_best": sig(test_at_best, 3),
    }
    curves = {"train": np.array(train_loss), "validation": np.array(val_loss)}
    return {"curves": curves, "best": best, "summary": summary}


def train_balance(problem: Problem) -> dict:
    rows, summary = [], []
    for rate in BALANCE_LEARNING_RATES:
        norms, val_loss = [], []
        for lam in BALANCE_LAMBDAS:
            *_, w = gradient_descent(problem.train, lam, rate, BALANCE_EPOCHS)
            norms.append(float(np.linalg.norm(w)))
            val_loss.append(mse(problem.validation, w))
        best = int(np.argmin(val_loss))
        rows.append({"rate": rate, "norms": norms, "validation": val_loss, "best": best})
        summary.append(
            {
                "learning_rate": rate,
                "best_lambda": BALANCE_LAMBDAS[best],
                "validation_loss_at_best": sig(val_loss[best], 3),
                "weight_norm_at_smallest_lambda": sig(norms[0], 3),
                "weight_norm_at_largest_lambda": sig(norms[-1], 3),
                # the whole row, so the page's "about the same" and "rises steadily"
                # claims can be checked, not only the best value
                "validation_losses": [sig(v, 4) for v in val_loss],
            }
        )
    exact = fit_ridge_exact(problem.train, BALANCE_LAMBDAS[-1])
    return {
        "rows": rows,
        "summary": {
            "epochs": BALANCE_EPOCHS,
            "lambdas": list(BALANCE_LAMBDAS),
            # where every run would end if trained to convergence at the largest λ
            "exact_norm_at_largest_lambda": sig(float(np.linalg.norm(exact)), 4),
            "by_learning_rate": summary,
        },
    }


def train_l1(problem: Problem) -> dict:
    weights = {
        name: l1_descent(problem.train, L1_LAMBDA, ES_LEARNING_RATE, L1_STEPS, step)
        for name, step in (("subgradient", subgradient_step), ("proximal", proximal_step))
    }
    summary = {
        "lambda": L1_LAMBDA,
        "learning_rate": ES_LEARNING_RATE,
        "steps": L1_STEPS,
        "zero_weights_subgradient": int(np.sum(weights["subgradient"] == 0)),
        "zero_weights_proximal": int(np.sum(weights["proximal"] == 0)),
    }
    return {"weights": weights, "summary": summary}


# 200 steps per decade: fine enough to read the nearest ridge λ to two digits.
NEAREST_RIDGE_LAMBDAS = tuple(np.geomspace(0.001, 10.0, 801))


def compare_stopping_with_ridge(problem: Problem, early: dict, sweep: dict) -> dict:
    """Early stopping against the tuned ridge fit: the test-set gap and its noise, and
    which ridge fit the stopped weights resemble (Goodfellow et al., Deep Learning, §7.8)."""
    stopped = early["weights"][early["best"]]
    ridge = fit_ridge_exact(problem.train, LAMBDA_GRID[sweep["best"]])
    X, y = problem.test.X, problem.test.y
    # One paired difference per test example: both models are scored on the same points.
    gaps = (X @ ridge - y) ** 2 - (X @ stopped - y) ** 2
    distances = [
        float(np.linalg.norm(fit_ridge_exact(problem.train, lam) - stopped))
        for lam in NEAREST_RIDGE_LAMBDAS
    ]
    nearest = int(np.argmin(distances))
    epochs = early["best"] + 1
    return {
        "summary": {
            "ridge_lambda": LAMBDA_GRID[sweep["best"]],
            "stop_epochs": epochs,
            "test_examples": len(y),
            "test_gap": sig(float(gaps.mean()), 2),
            "test_gap_standard_error": sig(float(gaps.std(ddof=1) / np.sqrt(len(gaps))), 2),
            "nearest_ridge_lambda": sig(NEAREST_RIDGE_LAMBDAS[nearest], 2),
            "nearest_ridge_distance": sig(distances[nearest], 2),
            "weight_norm_at_stop": sig(float(np.linalg.norm(stopped)), 2),
            # λ ≈ 1/(2ητ): the book's α ≈ 1/(τε), with α = 2λ for a penalty λ·Σw²
            "lambda_from_stop_time": sig(1 / (2 * ES_LEARNING_RATE * epochs), 2),
        }
    }


def gradient_descent_stability(problem: Problem) -> dict:
    """The largest curvature of the training MSE, which caps the learning rate."""
    n = problem.train.X.shape[0]
    hessian = (2 / n) * problem.train.X.T @ problem.train.X
    h_max = float(np.linalg.eigvalsh(hessian).max())
    return {
        "summary": {
            "hessian_max_eigenvalue": sig(h_max, 3),
            # η·(2λ + h_max) < 2, at λ = 0
            "largest_stable_learning_rate": sig(2 / h_max, 3),
        }
    }


def describe_true_weights(problem: Problem) -> dict:
    """The weights the data was made from, and the λ the Gaussian-prior reading of L2 gives."""
    low, high = TRUE_WEIGHT_RANGE
    variance = (high - low) ** 2 / 12  # of the uniform distribution the weights come from
    return {
        "summary": {
            "low": low,
            "high": high,
            "std": sig(float(problem.true_weights.std()), 3),
            "min": sig(float(problem.true_weights.min()), 3),
            "max": sig(float(problem.true_weights.max()), 3),
            # MAP with a N(0, variance) prior on each weight: noise² / (n · variance)
            "prior_lambda": sig(NOISE_SD**2 / (N_TRAIN * variance), 2),
        }
    }


def train_all(seed: int = SEED) -> dict:
    """Train every model the figures show; returns arrays for plotting and a JSON summary."""
    problem = make_problem(seed)
    trained = {
        "histograms": train_histograms(problem),
        "early_stopping": train_early_stopping(problem),
        "lambda_sweep": train_lambda_sweep(problem),
        "balance": train_balance(problem),
        "l1_sparsity": train_l1(problem),
    }
    # Numbers the pages quote that no figure draws.
    trained["stopping_vs_ridge"] = compare_stopping_with_ridge(
        problem, trained["early_stopping"], trained["lambda_sweep"]
    )
    trained["stability"] = gradient_descent_stability(problem)
    trained["true_weights"] = describe_true_weights(problem)
    return trained


# ------------------------------------------------------------------- explorables' data
# web/explorable-*.js draw these in the browser: the same runs, on a finer grid.

# 20 steps per decade, to two significant digits (so 0.002, 0.005, 0.1, 2 are on it).
EXPLORE_LAMBDAS = tuple(sig(10 ** (k / 20), 2) for k in range(-60, 21))  # 0.001 to 10
EXPLORE_BIN_WIDTH = 0.1
EXPLORE_PATIENCES = tuple(range(1, 11))


def _histograms(weight_sets: Sequence[np.ndarray]) -> dict:
    """Counts of each weight vector on one set of bins (0.1 wide, symmetric about 0)."""
    widest = max(float(np.abs(w).max()) for w in weight_sets)
    count = 2 * int(np.ceil(widest / EXPLORE_BIN_WIDTH))
    edges = (np.arange(count + 1) - count / 2) * EXPLORE_BIN_WIDTH
    return {
        "bin_start": sig(edges[0], 6),
        "bin_width": EXPLORE_BIN_WIDTH,
        "counts": [[int(c) for c in np.histogram(w, edges)[0]] for w in weight_sets],
    }


def explore_lambda(problem: Problem) -> dict:
    """Exact ridge fits on EXPLORE_LAMBDAS: losses (as the pages round them), ‖w‖, weights,
    and the true weights on the same bins (drawn behind the trained ones)."""
    fits = [fit_ridge_exact(problem.train, lam) for lam in EXPLORE_LAMBDAS]
    validation = [mse(problem.validation, w) for w in fits]
    histograms = _histograms([*fits, problem.true_weights])
    *counts, true_counts = histograms["counts"]
    return {
        "about": "Ridge fits of the running example, one per λ (scripts/make_figures.py)",
        "lambdas": list(EXPLORE_LAMBDAS),
        "train_loss": [sig(mse(problem.train, w), 3) for w in fits],
        "validation_loss": [sig(v, 3) for v in validation],
        "weight_norm": [sig(float(np.linalg.norm(w)), 3) for w in fits],
        "weight_std": [sig(float(w.std()), 3) for w in fits],
        "best_index": int(np.argmin(validation)),
        **histograms,
        "counts": counts,
        "true_counts": true_counts,
        "true_weight_std": sig(float(problem.true_weights.std()), 3),
    }


def explore_early_stopping(result: dict) -> dict:
    """Every epoch of the early-stopping run, and where the rule stops for each patience."""
    # Four digits, not the pages' three: at three, five epochs round to the same minimum
    # and the rule (only a strictly lower loss improves) would pick the first of them.
    validation = [sig(v, 4) for v in result["curves"]["validation"]]
    stops = [stop_point(validation, patience) for patience in EXPLORE_PATIENCES]
    return {
        "about": "Gradient descent on the running example, no regularization (make_figures.py)",
        "learning_rate": ES_LEARNING_RATE,
        "train_loss": [sig(v, 4) for v in result["curves"]["train"]],
        "validation_loss": validation,
        "weight_std": [sig(float(w.std()), 3) for w in result["weights"]],
        "patience": list(EXPLORE_PATIENCES),
        "best_index": [best for best, _ in stops],
        "stopped_index": [stopped for _, stopped in stops],
        **_histograms(result["weights"]),
    }


def _write_compact(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", "utf-8")


# ---------------------------------------------------------------------------- drawing


def _style() -> None:
    plt.rcParams.update(
        {
            "svg.hashsalt": "l2-course",
            "svg.fonttype": "none",  # real text: smaller files, selectable, searchable
            "font.family": "sans-serif",
            "font.size": 11,
            # A white card reads well on both the light and the dark site palette.
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "text.color": "#202124",
            "axes.labelcolor": "#202124",
            "xtick.color": "#3c4043",
            "ytick.color": "#3c4043",
            "axes.edgecolor": "#5f6368",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#e8eaed",
            "legend.frameon": False,
        }
    )


# matplotlib names clip paths and markers by a hash of their coordinates, so a last-bit
# difference between CPUs renames them: number them in order of appearance instead.
_HASHED_ID = re.compile(r'id="([pmh])([0-9a-f]{10})"')
# Geometry attributes; text, comments and styles keep every character.
_GEOMETRY = re.compile(r'\b(d|x|y|width|height|transform)="([^"]*)"')
_NUMBER = re.compile(r"-?\d+\.\d+")


def _round_number(match: re.Match) -> str:
    text = f"{float(match.group()):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def tidy_svg(text: str) -> str:
    """Sequential ids and coordinates to 1/100 pt: stable across CPUs, and a third smaller."""
    names: dict[str, str] = {}
    for prefix, digest in _HASHED_ID.findall(text):
        names.setdefault(prefix + digest, f"{prefix}{len(names) + 1}")
    for old, new in names.items():
        text = text.replace(old, new)
    return _GEOMETRY.sub(lambda m: f'{m.group(1)}="{_NUMBER.sub(_round_number, m.group(2))}"', text)


def _save(fig, out: Path, name: str) -> None:
    path = out / name
    fig.savefig(path, format="svg", metadata={"Date": None})
    plt.close(fig)
    path.write_text(tidy_svg(path.read_text(encoding="utf-8")), encoding="utf-8")


@dataclass(frozen=True)
class Layout:
    """One drawing of a figure: for the wide content column, or narrower for a phone."""

    suffix: str  # added to the file name (hooks/figures.py offers "-narrow" to phones)
    width: float  # inches: the SVG's viewBox is 72 units per inch
    stacked: bool  # two panels one above the other, not side by side


# Shown at the column's width, the smallest text (NOTE_SIZE) is 11 px or more: the wide
# drawing from a 688 px column up, the narrow one on a 390 px phone (a 358 px column).
WIDE = Layout("", 8.0, stacked=False)
NARROW = Layout("-narrow", 4.0, stacked=True)
LAYOUTS = (WIDE, NARROW)
NOTE_SIZE = 9.5  # pt: the labels beside the stars; all other text is 11 pt or larger


def _plain_log_ticks(ax) -> None:
    """Tick labels 0.001, 0.01, ... as the text writes λ, not 10⁻³ in a small superscript."""
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())


def draw_histograms(result: dict, out: Path) -> None:
    weights = result["weights"]
    edge = np.ceil(max(np.abs(w).max() for w in weights.values()) * 10) / 10
    bins = np.linspace(-edge, edge, 33)
    panels = (
        (LAMBDA_HIGH, "High regularization rate", COLORS["train"]),
        (LAMBDA_LOW, "Low regularization rate", COLORS["validation"]),
    )
    for layout in LAYOUTS:
        shape, size = ((2, 1), (layout.width, 5.6)) if layout.stacked else ((1, 2), (8, 3.4))
        fig, axes = plt.subplots(
            *shape, figsize=size, sharex=True, sharey=True, layout="constrained"
        )
        for ax, (lam, title, color) in zip(axes, panels, strict=True):
            ax.hist(weights[lam], bins=bins, color=color, edgecolor="white", linewidth=0.6)
            ax.set_title(f"{title} (λ = {lam:g})")
            ax.text(
                0.03,
                0.95,
                f"spread (std): {weights[lam].std():.2f}",
                transform=ax.transAxes,
                verticalalignment="top",
            )
            ax.axvline(0, color=COLORS["mark"], linewidth=0.8)
            ax.set_ylabel("number of weights")
            if not layout.stacked or ax is axes[-1]:
                ax.set_xlabel("weight value")
            else:
                ax.tick_params(labelbottom=True)  # each panel reads on its own
        if not layout.stacked:
            axes[1].set_ylabel("")
        _save(fig, out, f"weight-histograms{layout.suffix}.svg")


def draw_early_stopping(result: dict, out: Path) -> None:
    curves, best = result["curves"], result["best"]
    epochs = np.arange(1, len(curves["train"]) + 1)
    stopped = best + 1 + ES_PATIENCE
    for layout in LAYOUTS:
        fig, ax = plt.subplots(
            figsize=(layout.width, 4.6 if layout.stacked else 3.8), layout="constrained"
        )
        for name, label in (("train", "training loss"), ("validation", "validation loss")):
            ax.plot(
                epochs, curves[name], **SERIES[name], markevery=(14, 30), linewidth=2, label=label
            )
        ax.axvspan(
            best + 1,
            stopped,
            color="#fce8b2",
            alpha=0.8,
            linewidth=0,
            label=f"patience: {ES_PATIENCE} epochs without improvement",
        )
        ax.axvline(best + 1, color=COLORS["mark"], linewidth=1.2)
        ax.plot([best + 1], [curves["validation"][best]], "o", color=COLORS["mark"])
        ax.annotate(
            f"lowest validation loss:\nkeep the weights from epoch {best + 1}",
            xy=(best + 1, curves["validation"][best]),
            xytext=(best + 1 + (25 if layout.stacked else 40), curves["validation"][best] + 9),
            arrowprops={"arrowstyle": "->", "color": COLORS["mark"]},
        )
        ax.set_xlim(0, len(epochs))
        ax.set_ylim(0, None)
        ax.set_xlabel("epochs completed")
        ax.set_ylabel("loss (mean squared error)")
        if layout.stacked:  # under the plot: inside, it would cover the curves
            fig.legend(loc="outside lower center", handlelength=3)
        else:
            ax.legend(loc="upper right", handlelength=3)
        _save(fig, out, f"early-stopping{layout.suffix}.svg")


def draw_lambda_sweep(result: dict, out: Path) -> None:
    curves, best = result["curves"], result["best"]
    lambdas = np.array(LAMBDA_GRID)
    for layout in LAYOUTS:
        fig, ax = plt.subplots(
            figsize=(layout.width, 3.9 if layout.stacked else 3.8), layout="constrained"
        )
        ax.plot(lambdas, curves["train"], **SERIES["train"], label="training loss")
        ax.plot(lambdas, curves["validation"], **SERIES["validation"], label="validation loss")
        ax.axvline(lambdas[best], color=COLORS["mark"], linewidth=1.2)
        ax.annotate(
            f"best λ = {lambdas[best]:g}",
            xy=(lambdas[best], curves["validation"][best]),
            xytext=(lambdas[best] * 1.15, curves["validation"].max() * 0.9),
        )
        ax.set_xscale("log")
        _plain_log_ticks(ax)
        ax.set_ylim(0, None)
        ax.set_xlabel("regularization rate λ (log scale)")
        ax.set_ylabel("loss (mean squared error)")
        if layout.stacked:  # under the plot: inside, it would run into the best λ's label
            fig.legend(loc="outside lower center", ncols=2, handlelength=3)
        else:
            ax.legend(loc="upper left", handlelength=3)
        _save(fig, out, f"validation-loss-vs-lambda{layout.suffix}.svg")


def draw_balance(result: dict, out: Path) -> None:
    lambdas = np.array(BALANCE_LAMBDAS)
    for layout in LAYOUTS:
        shape, size = ((2, 1), (layout.width, 6.6)) if layout.stacked else ((1, 2), (8, 3.6))
        fig, (left, right) = plt.subplots(*shape, figsize=size, sharex=True, layout="constrained")
        # Each star is named in words too: stars of close λ would otherwise differ by hue only.
        star_labels = ((8, 6, "left"), (-9, 6, "right"), (7, -16, "left"))
        for row, style, (dx, dy, align) in zip(
            result["rows"], RATE_SERIES, star_labels, strict=True
        ):
            label = f"learning rate η = {row['rate']:g}"
            left.plot(lambdas, row["norms"], **style, label=label, markersize=5)
            right.plot(lambdas, row["validation"], **style, label=label, markersize=5)
            best = row["best"]
            right.plot(
                [lambdas[best]],
                [row["validation"][best]],
                "*",
                color=style["color"],
                markersize=15,
                markeredgecolor=COLORS["mark"],
                markeredgewidth=0.7,
            )
            right.annotate(
                f"η = {row['rate']:g}",
                xy=(lambdas[best], row["validation"][best]),
                xytext=(dx, dy),
                textcoords="offset points",
                horizontalalignment=align,
                fontsize=NOTE_SIZE,
            )
        left.set_title("size of the weights, ‖w‖")
        right.set_title("validation loss (★ = best λ for that η)")
        for ax in (left, right):
            ax.set_xscale("log")
            _plain_log_ticks(ax)
            if not layout.stacked or ax is right:
                ax.set_xlabel("regularization rate λ (log scale)")
            else:
                ax.tick_params(labelbottom=True)  # each panel reads on its own
        left.set_ylim(0, None)
        lowest = min(min(row["validation"]) for row in result["rows"])
        highest = max(max(row["validation"]) for row in result["rows"])
        right.set_ylim(lowest - 0.1 * (highest - lowest), None)  # room for a label under a star
        left.legend(loc="lower left", handlelength=3)
        _save(fig, out, f"learning-rate-vs-lambda{layout.suffix}.svg")


def write_all(out: Path = DEFAULT_OUT, seed: int = SEED) -> dict:
    """Train, draw every figure into ``out`` and write ``figures.json``; returns the training."""
    out.mkdir(parents=True, exist_ok=True)
    _style()
    trained = train_all(seed)
    draw_histograms(trained["histograms"], out)
    draw_early_stopping(trained["early_stopping"], out)
    draw_lambda_sweep(trained["lambda_sweep"], out)
    draw_balance(trained["balance"], out)
    numbers = {
        "data": {
            "seed": seed,
            "features": N_FEATURES,
            "train_examples": N_TRAIN,
            "validation_examples": N_VALIDATION,
            "test_examples": N_TEST,
            "noise_sd": NOISE_SD,
        },
        **{name: part["summary"] for name, part in trained.items()},
    }
    (out / "figures.json").write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")
    _write_compact(out / "explore-lambda.json", explore_lambda(make_problem(seed)))
    _write_compact(
        out / "explore-early-stopping.json", explore_early_stopping(trained["early_stopping"])
    )
    return trained


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    write_all(args.out)
    print(f"wrote figures to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
