"""The lesson's figures match the code that trains them, and show what the text claims.

Regenerating into a temporary directory must give byte-identical files, so a change to
``scripts/make_figures.py`` without re-running it (or a hand-edited SVG) fails here. The
other tests check the trained models themselves, and that the pages quote the current
numbers from ``figures.json``.
"""

from __future__ import annotations

import importlib.util
import json
import sys

import numpy as np
import pytest
from conftest import ROOT

COMMITTED = ROOT / "docs" / "assets" / "figures"
DOCS = ROOT / "docs"


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


def test_committed_figures_are_exactly_what_the_script_makes(generated):
    out, _ = generated
    made = sorted(p.name for p in out.iterdir())
    committed = sorted(p.name for p in COMMITTED.iterdir())
    assert made == committed, "run `python scripts/make_figures.py` and commit its output"
    for name in made:
        assert (out / name).read_bytes() == (COMMITTED / name).read_bytes(), (
            f"{name} differs from the committed copy: run `python scripts/make_figures.py`"
        )


def test_script_runs_from_the_command_line(tmp_path):
    assert make_figures.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "figures.json").is_file()
    assert len(list(tmp_path.glob("*.svg"))) == 4


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
        "l2-regularization.md": [f"about {hist['min_abs_high']:g}"],
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


def test_every_figure_is_used_with_alt_text():
    pages = _pages()
    for svg in COMMITTED.glob("*.svg"):
        assert f"](assets/figures/{svg.name})" in pages, f"{svg.name} is not shown on any page"
        assert f"![](assets/figures/{svg.name})" not in pages, f"{svg.name} has no alt text"
