"""The lesson's figures match the code that trains them, and show what the text claims.

Regenerating into a temporary directory must give the committed files up to the last
digits of their numbers (numpy's results differ in the last bit from CPU to CPU), so a
change to ``scripts/make_figures.py`` without re-running it, or a hand-edited file, fails
here on any machine. The other tests check the trained models themselves, and that the
pages quote the current numbers from ``figures.json``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

COMMITTED = ROOT / "docs" / "assets" / "figures"
DOCS = ROOT / "docs"
EXPLORABLE_DATA = {"explore-lambda.json", "explore-early-stopping.json"}


def _load_script():
    spec = importlib.util.spec_from_file_location("make_figures", ROOT / "scripts/make_figures.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


make_figures = _load_script()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    trained = make_figures.write_all(out)
    return out, trained


# ------------------------------------------------------------------ same figures, any CPU

# SVG coordinates are written to 1/100 pt: a last-bit difference can flip the last digit.
SVG_TOLERANCE = 0.011
_SVG_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def svg_differences(made: str, committed: str) -> list[str]:
    """Where two SVGs differ: any text but numbers exactly, numbers within SVG_TOLERANCE."""
    made_parts, committed_parts = _SVG_NUMBER.split(made), _SVG_NUMBER.split(committed)
    made_numbers, committed_numbers = _SVG_NUMBER.findall(made), _SVG_NUMBER.findall(committed)
    if made_parts != committed_parts:
        at = next(
            (
                i
                for i, (a, b) in enumerate(zip(made_parts, committed_parts, strict=False))
                if a != b
            ),
            min(len(made_parts), len(committed_parts)),
        )
        context = "".join(committed_parts[max(0, at - 2) : at + 1])[-80:]
        return [f"the text differs (not only numbers) after {context!r}"]
    return [
        f"number {i}: {a} made, {b} committed"
        for i, (a, b) in enumerate(zip(made_numbers, committed_numbers, strict=True))
        if abs(float(a) - float(b)) > SVG_TOLERANCE
    ][:5]


def _last_digit_unit(value: float) -> float:
    """One unit in the last digit that the JSON prints: 3.14 -> 0.01, 1200.0 -> 100."""
    mantissa, _, exponent = repr(abs(value)).lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0")
    places = len(fraction) if fraction else -(len(whole) - len(whole.rstrip("0")))
    return 10.0 ** (int(exponent or 0) - places)


def numbers_close(made: float, committed: float) -> bool:
    """Equal, or a rounding flip: one unit in the committed value's last digit, at most 1 %."""
    if made == committed:
        return True
    tolerance = min(_last_digit_unit(committed), 0.01 * abs(committed))
    return abs(made - committed) <= tolerance * (1 + 1e-9)


def json_differences(made, committed, where: str = "") -> list[str]:
    """Where two parsed JSON values differ: structure, keys, strings and ints exactly."""
    if isinstance(committed, dict) and isinstance(made, dict):
        if made.keys() != committed.keys():
            return [f"{where or 'top'}: keys {sorted(made)} made, {sorted(committed)} committed"]
        return [
            d for k in committed for d in json_differences(made[k], committed[k], f"{where}.{k}")
        ]
    if isinstance(committed, list) and isinstance(made, list):
        if len(made) != len(committed):
            return [f"{where}: {len(made)} items made, {len(committed)} committed"]
        return [
            d
            for i, (a, b) in enumerate(zip(made, committed, strict=True))
            for d in json_differences(a, b, f"{where}[{i}]")
        ]
    both_float = isinstance(made, float) and isinstance(committed, float)
    if both_float and math.isfinite(made) and numbers_close(made, committed):
        return []
    if type(made) is type(committed) and made == committed:
        return []
    return [f"{where}: {made!r} made, {committed!r} committed"]


def figure_differences(made_dir: Path, committed_dir: Path) -> list[str]:
    """Every way the files in ``made_dir`` differ from those in ``committed_dir``."""
    made = sorted(p.name for p in made_dir.iterdir())
    committed = sorted(p.name for p in committed_dir.iterdir())
    if made != committed:
        return [f"files {made} made, {committed} committed"]
    problems = []
    for name in made:
        a = (made_dir / name).read_text(encoding="utf-8")
        b = (committed_dir / name).read_text(encoding="utf-8")
        if name.endswith(".json"):
            found = json_differences(json.loads(a), json.loads(b))
        else:
            found = svg_differences(a, b)
        problems += [f"{name}: {problem}" for problem in found]
    return problems


def test_committed_figures_are_what_the_script_makes(generated):
    out, _ = generated
    problems = figure_differences(out, COMMITTED)
    assert not problems, (
        "run `python scripts/make_figures.py` and commit its output:\n" + "\n".join(problems)
    )


def _copy(source: Path, target: Path) -> Path:
    target.mkdir()
    for path in source.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def test_last_digit_noise_is_tolerated(generated, tmp_path):
    """What another CPU may write: last digits off by one, in both SVGs and JSON."""
    out, _ = generated
    noisy = _copy(out, tmp_path / "noisy")
    svg = noisy / "learning-rate-vs-lambda.svg"
    text = svg.read_text(encoding="utf-8")
    # One unit more in the last digit of every tenth two-decimal coordinate.
    count = iter(range(10**9))
    text = re.sub(
        r"\d+\.\d\d(?=[ \"])",
        lambda m: f"{float(m.group()) + 0.01:.2f}" if next(count) % 10 == 0 else m.group(),
        text,
    )
    assert text != svg.read_text(encoding="utf-8")
    svg.write_text(text, encoding="utf-8")
    numbers = json.loads((noisy / "figures.json").read_text(encoding="utf-8"))
    es = numbers["early_stopping"]
    es["train_loss_at_best"] = es["train_loss_at_best"] + _last_digit_unit(es["train_loss_at_best"])
    (noisy / "figures.json").write_text(json.dumps(numbers), encoding="utf-8")
    assert figure_differences(noisy, out) == []


def test_a_hand_edit_of_a_committed_number_is_caught(generated, tmp_path):
    out, _ = generated
    edited = _copy(out, tmp_path / "edited")
    numbers = json.loads((edited / "figures.json").read_text(encoding="utf-8"))
    numbers["lambda_sweep"]["validation_loss_at_best"] *= 1.05
    numbers["early_stopping"]["best_index"] += 1
    (edited / "figures.json").write_text(json.dumps(numbers), encoding="utf-8")
    svg = edited / "early-stopping.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("#e8710a", "#e8710b"), encoding="utf-8")
    problems = "\n".join(figure_differences(out, edited))
    assert "validation_loss_at_best" in problems and "best_index" in problems
    assert "early-stopping.svg: the text differs" in problems


@pytest.mark.parametrize(
    ("setting", "value"),
    [("NOISE_SD", 2.05), ("ES_LEARNING_RATE", 0.049), ("BALANCE_EPOCHS", 101)],
)
def test_a_meaningful_change_to_the_script_is_caught(
    generated, tmp_path, monkeypatch, setting, value
):
    """Changing what the script trains, without re-running it, fails the comparison."""
    out, _ = generated
    monkeypatch.setattr(make_figures, setting, value)
    changed = tmp_path / "changed"
    make_figures.write_all(changed)
    assert figure_differences(changed, out), f"{setting} = {value} went unnoticed"


def test_script_runs_from_the_command_line(tmp_path):
    assert make_figures.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "figures.json").is_file()
    assert len(list(tmp_path.glob("*.svg"))) == 8  # four figures, each wide and narrow
    assert {p.name for p in tmp_path.glob("explore-*.json")} == EXPLORABLE_DATA


def test_svgs_are_deterministic_and_undated(generated):
    out, _ = generated
    for svg in out.glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "<dc:date>" not in text, svg.name


def test_high_lambda_weights_have_a_much_smaller_spread(generated):
    _, trained = generated
    weights = trained["histograms"]["weights"]
    low, high = weights[make_figures.LAMBDA_LOW], weights[make_figures.LAMBDA_HIGH]
    assert high.std() < low.std() / 3
    assert np.abs(high).max() < np.abs(low).max() / 2
    # Centred on zero: the mean is small next to the spread.
    assert abs(high.mean()) < 0.1 * high.std()
    # L2 shrinks but never zeroes: every weight is still non-zero.
    assert np.all(high != 0)


def test_validation_loss_bottoms_out_before_the_last_epoch(generated):
    _, trained = generated
    result = trained["early_stopping"]
    val, train = result["curves"]["validation"], result["curves"]["train"]
    best = result["best"]
    assert best == int(np.argmin(val)), "the marked epoch is the lowest validation loss"
    assert best < len(val) - 1 - make_figures.ES_PATIENCE
    # The patience rule stops exactly here: every later epoch in the window is no better.
    window = val[best + 1 : best + 1 + make_figures.ES_PATIENCE]
    assert np.all(window >= val[best])
    # Overfitting: training loss keeps falling while validation loss climbs.
    assert train[-1] < train[best] and val[-1] > val[best]


def test_stop_epoch_follows_the_exercise_examples():
    assert make_figures.stop_epoch([1.0, 0.8, 0.7, 0.75, 0.6]) == 2
    assert make_figures.stop_epoch([1.0, 0.8, 0.7, 0.75, 0.6], patience=2) == 4
    assert make_figures.stop_epoch([1.0, 1.0, 1.0], patience=1) == 0


def test_best_lambda_is_inside_the_grid(generated):
    _, trained = generated
    result = trained["lambda_sweep"]
    val = result["curves"]["validation"]
    best = result["best"]
    assert 0 < best < len(make_figures.LAMBDA_GRID) - 1
    assert val[best] < val[0] and val[best] < val[-1]
    # Training loss only grows with λ: it cannot be what picks λ.
    assert np.all(np.diff(result["curves"]["train"]) > 0)


def test_bigger_learning_rate_bigger_weights_and_bigger_best_lambda(generated):
    _, trained = generated
    rows = trained["balance"]["rows"]
    weakest_lambda_norms = [row["norms"][0] for row in rows]
    assert weakest_lambda_norms == sorted(weakest_lambda_norms)
    best_lambdas = [make_figures.BALANCE_LAMBDAS[row["best"]] for row in rows]
    assert best_lambdas == sorted(best_lambdas) and best_lambdas[0] < best_lambdas[-1]
    for row in rows:  # λ pulls toward zero at every learning rate
        assert row["norms"][-1] < row["norms"][0]


def _exercise_function(module: str):
    """An exercise's own reference solution, as learners' code is run."""
    spec = importlib.import_module(f"exercises.{module}").EXERCISE
    namespace: dict = {}
    exec(compile(spec.solution, f"{module}_solution", "exec"), namespace)
    return namespace[spec.function]


def test_the_scripts_l1_steps_are_the_exercises_answer_and_its_named_mistake():
    from exercises.l1_step import _SUBGRADIENT

    reference = _exercise_function("l1_step")
    mistake: dict = {}
    exec(_SUBGRADIENT.format(sign="1 if w > 0 else -1 if w < 0 else 0"), mistake)
    rng = np.random.default_rng(0)
    for _ in range(20):
        w = rng.choice([0.0, 0.01, -0.02, 0.5, -1.5], size=8)
        g = rng.uniform(-1, 1, size=8)
        lr, lam = rng.choice([0.05, 0.1, 0.5]), rng.choice([0.1, 0.3, 1.0])
        expected = reference(list(w), list(g), lr, lam)
        assert make_figures.proximal_step(w, g, lr, lam) == pytest.approx(expected, abs=1e-12)
        plain = mistake["l1_step"](list(w), list(g), lr, lam)
        assert make_figures.subgradient_step(w, g, lr, lam) == pytest.approx(plain, abs=1e-12)


def test_l1_proximal_run_ends_at_the_minimum_with_its_zeros(generated):
    _, trained = generated
    part, train = trained["l1_sparsity"], make_figures.make_problem().train
    lam = part["summary"]["lambda"]
    n = len(train.y)
    proximal, plain = part["weights"]["proximal"], part["weights"]["subgradient"]
    zero = proximal == 0
    assert zero.sum() == part["summary"]["zero_weights_proximal"] > 0
    slope = (2 / n) * train.X.T @ (train.X @ proximal - train.y)
    # The minimum of MSE + λ·Σ|w|: slope = −λ·sign(w) where w ≠ 0, |slope| ≤ λ where w = 0,
    # with room to spare, so another CPU's last bits cannot move a weight across.
    assert np.abs(slope[~zero] + lam * np.sign(proximal[~zero])).max() < 1e-9
    assert np.abs(slope[zero]).max() < lam - 1e-3
    # The plain step leaves the same weights small, on either side of 0, but never at 0.
    assert part["summary"]["zero_weights_subgradient"] == int(np.sum(plain == 0)) == 0
    assert np.abs(plain[zero]).max() < 0.1 < np.abs(proximal[~zero]).mean()


def test_early_stopping_ties_with_the_tuned_ridge_fit(generated):
    _, trained = generated
    gap = trained["stopping_vs_ridge"]["summary"]
    es, sweep = trained["early_stopping"]["summary"], trained["lambda_sweep"]["summary"]
    assert gap["test_examples"] == make_figures.N_TEST
    # The mean of the paired gaps is the gap between the two test losses (up to rounding) ...
    assert gap["test_gap"] == pytest.approx(
        sweep["test_loss_at_best"] - es["test_loss_at_best"], abs=0.011
    )
    # ... and it lies within two standard errors of zero: a tie, not a win.
    assert abs(gap["test_gap"]) < 2 * gap["test_gap_standard_error"]


def test_stopped_weights_resemble_the_tuned_ridge_fit(generated):
    _, trained = generated
    near = trained["stopping_vs_ridge"]["summary"]
    grid = make_figures.NEAREST_RIDGE_LAMBDAS
    assert grid[0] < near["nearest_ridge_lambda"] < grid[-1], "a minimum inside the grid"
    # Near the tuned λ of the sweep, not a mild one: the ridge fit at λ = 0.001 is far off.
    best = trained["lambda_sweep"]["summary"]["best_lambda"]
    assert 0.5 * best < near["nearest_ridge_lambda"] < 2 * best
    assert near["nearest_ridge_distance"] < 0.15 * near["weight_norm_at_stop"]
    early = trained["early_stopping"]
    stopped = early["weights"][early["best"]]
    mild = make_figures.fit_ridge_exact(make_figures.make_problem().train, 0.001)
    assert np.linalg.norm(mild - stopped) > 3 * near["nearest_ridge_distance"]
    # The rough rule λ ≈ 1/(2ητ) lands at about twice the nearest ridge λ.
    assert 1.5 < near["lambda_from_stop_time"] / near["nearest_ridge_lambda"] < 2.5


def test_learning_rate_above_the_curvature_limit_diverges(generated):
    _, trained = generated
    limit = trained["stability"]["summary"]["largest_stable_learning_rate"]
    h_max = trained["stability"]["summary"]["hessian_max_eigenvalue"]
    assert limit == pytest.approx(2 / h_max, rel=0.01)
    train = make_figures.make_problem().train
    sizes = {}
    for factor in (0.95, 1.05):
        *_, w = make_figures.gradient_descent(train, 0.0, factor * limit, 300)
        sizes[factor] = float(np.linalg.norm(w))
    assert sizes[0.95] < 10 and sizes[1.05] > 1e6, sizes
    # Every run in the figures uses a learning rate well inside the limit.
    rates = (*make_figures.BALANCE_LEARNING_RATES, make_figures.ES_LEARNING_RATE)
    assert max(rates) < limit / 2


def test_true_weights_are_flat_over_their_range(generated):
    _, trained = generated
    true = trained["true_weights"]["summary"]
    low, high = make_figures.TRUE_WEIGHT_RANGE
    assert (true["low"], true["high"]) == (low, high)
    assert low <= true["min"] < true["max"] <= high
    assert true["std"] == pytest.approx((high - low) / np.sqrt(12), rel=0.1)  # uniform's std
    # The Gaussian-prior λ, noise² / (n · prior variance), near the tuned one.
    variance = (high - low) ** 2 / 12
    prior = make_figures.NOISE_SD**2 / (make_figures.N_TRAIN * variance)
    assert true["prior_lambda"] == pytest.approx(prior, rel=0.01)
    best = trained["lambda_sweep"]["summary"]["best_lambda"]
    assert 0.5 * best < true["prior_lambda"] < 2 * best
    # The explorable's outline of the true weights: on its bins, flat inside the range.
    data = _explorable("explore-lambda.json")
    counts = np.array(data["true_counts"])
    edges = data["bin_start"] + data["bin_width"] * np.arange(len(counts) + 1)
    weights = make_figures.make_problem().true_weights
    assert counts.tolist() == np.histogram(weights, edges)[0].tolist()
    inside = (edges[:-1] >= low - 1e-9) & (edges[1:] <= high + 1e-9)
    assert counts[~inside].sum() == 0 and counts.sum() == make_figures.N_FEATURES
    assert counts[inside].max() <= 3 * counts[inside].mean(), "no pile in the middle"
    assert data["true_weight_std"] == true["std"]


def test_l2_leaves_a_useless_feature_a_small_nonzero_weight():
    """A feature that plays no part in y still gets a weight (it lines up with the noise by
    chance); only one whose data gradient is exactly 0, here a column of zeros, gets 0."""
    train = make_figures.make_problem().train
    rng = np.random.default_rng(0)
    useless = rng.normal(size=(len(train.y), 1))
    X = np.hstack([train.X, useless, np.zeros((len(train.y), 1))])
    w = make_figures.fit_ridge_exact(make_figures.Split(X, train.y), make_figures.LAMBDA_HIGH)
    gradient_at_zero = (2 / len(train.y)) * useless[:, 0] @ (train.X @ w[:-2] - train.y)
    assert abs(gradient_at_zero) > 1e-3
    assert 1e-3 < abs(w[-2]) < np.abs(w[:-2]).max()
    assert w[-1] == 0


def _pages() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))


def test_pages_quote_the_current_numbers():
    numbers = json.loads((COMMITTED / "figures.json").read_text(encoding="utf-8"))
    texts = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    texts["questions.yml"] = (ROOT / "exercises" / "questions.yml").read_text(encoding="utf-8")
    es, sweep, hist = numbers["early_stopping"], numbers["lambda_sweep"], numbers["histograms"]
    rates = numbers["balance"]["by_learning_rate"]
    by_lambda = dict(zip(sweep["lambdas"], sweep["validation_loss"], strict=True))
    expected = {
        "early-stopping.md": [
            f"epoch {es['best_epochs_completed']}",
            f"index {es['best_index']}",
            f"after epoch {es['stopped_after_epochs']}",
            f"patience of {es['patience']}",
            f"learning rate of {es['learning_rate']:g}",
            f"**{es['validation_loss_at_best']:g}**",
            f"**{es['validation_loss_at_end']:g}**",
            f"| Training loss | {es['train_loss_at_best']:g} | {es['train_loss_at_end']:g} |",
            f"| Test loss | {es['test_loss_at_best']:g} | {es['test_loss_at_end']:g} |",
            f"{sweep['validation_loss_at_best']:g}",
            f"{sweep['test_loss_at_best']:g}",
        ],
        "picking-lambda.md": [
            f"**λ = {sweep['best_lambda']:g}**",
            f"**{sweep['validation_loss_at_best']:g}**",
            f"loss of\n{sweep['test_loss_at_best']:g}",
            *(
                f"| {lam:g} | {train:g} | {val:g} |"
                for lam, train, val in zip(
                    sweep["lambdas"], sweep["train_loss"], sweep["validation_loss"], strict=True
                )
            ),
        ],
        "regularization-rate.md": [
            f"**{hist['std_high']:.2f}**",
            f"**{hist['std_low']:.2f}**",
            f"λ = {hist['lambda_high']:g}",
            f"λ = {hist['lambda_low']:g}",
            f"about {hist['max_abs_high']:g}",
            f"about {hist['max_abs_low']:g}",
            f"{by_lambda[hist['lambda_high']]:.1f} and {by_lambda[hist['lambda_low']]:.1f}",
        ],
        "learning-rate-balance.md": [
            f"**{numbers['balance']['epochs']} epochs**",
            *(
                f"{r['weight_norm_at_smallest_lambda']:g} for η = {r['learning_rate']:g}"
                for r in rates
            ),
            *(f"is {r['best_lambda']:g}" for r in rates[1:]),
            f"smallest one, {rates[0]['best_lambda']:g}",
            f"({min(r['weight_norm_at_largest_lambda'] for r in rates):g} to "
            f"{max(r['weight_norm_at_largest_lambda'] for r in rates):g})",
        ],
        "questions.yml": [
            f"the smallest is about {hist['min_abs_high']:g}",  # l2-removes-features
            f"epoch {es['best_epochs_completed']} instead of {es['epochs']}",
            f"from {es['test_loss_at_end']:g} to {es['test_loss_at_best']:g}",
            f"from {rates[0]['weight_norm_at_smallest_lambda']:g} to "
            f"{rates[-1]['weight_norm_at_smallest_lambda']:g}",
            f"from {rates[0]['best_lambda']:g} to {rates[-1]['best_lambda']:g}",
        ],
    }
    for name, needles in expected.items():
        text = " ".join(texts[name].split())  # line breaks in prose do not matter
        for needle in needles:
            assert " ".join(needle.split()) in text, f"{name} should quote {needle!r}"


NARROW = "-narrow.svg"  # a figure's drawing for phones (hooks/figures.py offers it)


def test_every_figure_is_used_with_alt_text():
    pages = _pages()
    for svg in COMMITTED.glob("*.svg"):
        if svg.name.endswith(NARROW):  # shown, with the alt text, in place of its wide one
            assert (COMMITTED / svg.name.replace(NARROW, ".svg")).is_file(), svg.name
            continue
        assert f"](assets/figures/{svg.name})" in pages, f"{svg.name} is not shown on any page"
        assert f"![](assets/figures/{svg.name})" not in pages, f"{svg.name} has no alt text"


def test_every_figure_has_a_drawing_for_phones():
    wide = [svg for svg in COMMITTED.glob("*.svg") if not svg.name.endswith(NARROW)]
    assert wide
    for svg in wide:
        assert (COMMITTED / svg.name.replace(".svg", NARROW)).is_file(), svg.name


# The content column a drawing is shown in, in px: a 390 px phone's for the narrow one; for
# the wide one, its narrowest above hooks/figures.py's NARROW_MEDIA (tests/browser/
# test_small_screens.py measures the real page).
COLUMN_PX = {"narrow": 358, "wide": 688}


def test_figure_text_is_at_least_11_px_in_its_column():
    for svg in COMMITTED.glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        view_width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', text)[1])
        smallest = min(float(size) for size in re.findall(r"font-size: ([\d.]+)px", text))
        column = COLUMN_PX["narrow" if svg.name.endswith(NARROW) else "wide"]
        assert smallest * column / view_width >= 11, f"{svg.name}: {smallest} of {view_width}"


# ------------------------------------------------------------ readable without colour


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_wcag():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


def test_figures_are_opaque_white_cards_with_aa_text():
    """The same SVG sits on Material's light and dark pages: its own white card behind all
    text makes the contrast independent of the scheme."""
    for svg in COMMITTED.glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        card = re.search(
            r'<g id="patch_1">\s*<path d="[^"]*"\s+style="fill: (#[0-9a-f]{6})"/>', text
        )
        assert card and card.group(1) == "#ffffff", f"{svg.name} has no opaque white background"
        text_colours = set(re.findall(r"<(?:text|tspan)\b[^>]*fill: (#[0-9a-f]{6})", text))
        assert text_colours, svg.name
        for colour in text_colours:
            assert contrast(colour, "#ffffff") >= 4.5, f"{svg.name}: text in {colour}"


def test_series_differ_by_marker_and_dash_not_only_by_hue():
    for group in (list(make_figures.SERIES.values()), list(make_figures.RATE_SERIES)):
        for key in ("marker", "linestyle", "color"):
            values = [style[key] for style in group]
            assert len(set(values)) == len(values), f"two series share a {key}: {values}"
        for style in group:  # lines and markers are graphics: 3:1 on the white card
            assert contrast(style["color"], "#ffffff") >= 3, style
    # The drawings use them: one dash pattern per series besides the solid one.
    expected = {
        "early-stopping.svg": 1,
        "validation-loss-vs-lambda.svg": 1,
        "learning-rate-vs-lambda.svg": 2,
    }
    for name, patterns in expected.items():
        for drawing in (name, name.replace(".svg", NARROW)):
            text = (COMMITTED / drawing).read_text(encoding="utf-8")
            dashes = set(re.findall(r"stroke-dasharray: ([^;\"]+)", text))
            assert len(dashes) == patterns, drawing


@pytest.mark.parametrize("suffix", [".svg", NARROW])
def test_each_best_lambda_star_is_named_in_words(suffix):
    name = "learning-rate-vs-lambda" + suffix
    text = (COMMITTED / name).read_text(encoding="utf-8")
    for rate in make_figures.BALANCE_LEARNING_RATES:
        # once in the legend, once beside its star
        assert text.count(f"η = {rate:g}<") == 2, rate


# ------------------------------------------------------------------- explorables' data


def _explorable(name: str) -> dict:
    return json.loads((COMMITTED / name).read_text(encoding="utf-8"))


def _check_histograms(data: dict, rows: int) -> None:
    counts = data["counts"]
    assert len(counts) == rows
    assert all(sum(row) == make_figures.N_FEATURES for row in counts)
    assert len({len(row) for row in counts}) == 1
    assert data["bin_start"] == pytest.approx(-len(counts[0]) / 2 * data["bin_width"])


def test_lambda_explorable_agrees_with_the_figures_and_the_pages():
    data = _explorable("explore-lambda.json")
    numbers = json.loads((COMMITTED / "figures.json").read_text(encoding="utf-8"))
    lambdas = data["lambdas"]
    assert lambdas == sorted(lambdas) and lambdas[0] == 0.001 and lambdas[-1] == 10
    steps = np.diff(np.log10(lambdas))
    assert np.all(np.abs(steps - 0.05) < 0.025), "a near-even log grid, 20 steps a decade"
    n = len(lambdas)
    for key in ("train_loss", "validation_loss", "weight_norm", "weight_std"):
        assert len(data[key]) == n, key
    _check_histograms(data, n)
    # The practitioner's grid of Figure 2 lies on it, with the numbers its table quotes.
    sweep = numbers["lambda_sweep"]
    for lam, train, val in zip(
        sweep["lambdas"], sweep["train_loss"], sweep["validation_loss"], strict=True
    ):
        i = lambdas.index(lam)
        assert (data["train_loss"][i], data["validation_loss"][i]) == (train, val), lam
    hist = numbers["histograms"]
    assert data["weight_std"][lambdas.index(hist["lambda_low"])] == hist["std_low"]
    assert data["weight_std"][lambdas.index(hist["lambda_high"])] == hist["std_high"]
    # The U-curve: its lowest point is inside the grid; ‖w‖ only shrinks as λ grows.
    best = data["best_index"]
    assert 0 < best < n - 1 and data["validation_loss"][best] == min(data["validation_loss"])
    assert all(a >= b for a, b in pairwise(data["weight_norm"]))


def _exercise_stop_epoch():
    """The ``early-stop`` exercise's own reference solution, as learners' code is run."""
    return _exercise_function("early_stop")


def test_early_stopping_explorable_stops_where_the_exercise_rule_does():
    data = _explorable("explore-early-stopping.json")
    steps = make_figures.MB_STEPS
    for key in ("train_loss", "validation_loss", "test_loss", "weight_std"):
        assert len(data[key]) == steps, key
    _check_histograms(data, steps)
    assert data["patience"] == list(range(1, make_figures.ES_PATIENCE + 1))
    reference = _exercise_stop_epoch()
    for patience, best, stopped in zip(
        data["patience"], data["best_index"], data["stopped_index"], strict=True
    ):
        # The exercise's answer on the shipped (as shown) curve; where the rule ends.
        assert reference(data["validation_loss"], patience) == best
        assert make_figures.stop_point(data["validation_loss"], patience) == (best, stopped)
    # A noisy run: patience 1 stops at a false minimum, well above the run's lowest loss,
    # and the figure's patience of 20 reaches that lowest loss.
    losses, lowest = data["validation_loss"], data["lowest_index"]
    assert losses[lowest] == min(losses)
    first = data["best_index"][0]
    assert first < lowest and losses[first] > losses[lowest] + 1
    assert data["best_index"][-1] == lowest
    assert len(set(data["best_index"])) >= 3, "patience changes where training stops"


def test_minibatch_run_is_reproducible():
    problem = make_figures.make_problem()
    again = make_figures.explore_early_stopping(problem)
    shipped = _explorable("explore-early-stopping.json")
    assert again["best_index"] == shipped["best_index"]
    assert again["validation_loss"] == pytest.approx(shipped["validation_loss"], rel=1e-3)


def test_stop_point_reports_where_training_ends():
    assert make_figures.stop_point([1.0, 0.8, 0.7, 0.75, 0.6]) == (2, 3)
    assert make_figures.stop_point([1.0, 0.8, 0.7, 0.75, 0.6], patience=2) == (4, 4)
    assert make_figures.stop_point([3.0, 2.0, 1.0], patience=1) == (2, 2)
