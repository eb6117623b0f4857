"""The lesson's teaching claims: quoted numbers, worked arithmetic, hints, order, pages.

Every number a page or a question quotes about the running example is rebuilt here from
``docs/assets/figures/figures.json``; every fresh-number question is recomputed, with the
exercises' own reference solutions where there is one. tests/test_figures.py checks the
figures themselves; this file checks what the text says about them.
"""

from __future__ import annotations

import json
import math
import re
import sys

import pytest
from conftest import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from grader import all_exercises, get_exercise
from hooks import markers
from hooks.progress import course_map, plain_label
from hooks.questions import load_questions
from hooks.reading import count_words, page_time

DOCS = ROOT / "docs"
NUMBERS = json.loads((DOCS / "assets/figures/figures.json").read_text(encoding="utf-8"))
QUESTIONS = load_questions(ROOT / "exercises" / "questions.yml")
QUESTIONS_TEXT = (ROOT / "exercises" / "questions.yml").read_text(encoding="utf-8")
TABLE = (0.2, -0.5, 5.0, -1.2, 0.3, -0.1)  # the source lesson's six weights


def nav_pages() -> list[str]:
    """The docs pages in navigation order, read from mkdocs.yml's nav list."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = text[text.index("\nnav:") :]
    return re.findall(r"^  - (\S+\.md)$", nav, re.MULTILINE)


def flat(text: str) -> str:
    """Text with every run of whitespace made one space: line breaks in prose do not count."""
    return " ".join(text.split())


def page(name: str) -> str:
    return flat((DOCS / name).read_text(encoding="utf-8"))


def fmt(x: float) -> str:
    return f"{x:g}"


def solution(exercise_id: str):
    """The reference solution of an exercise, as a Python function."""
    spec = get_exercise(exercise_id)
    namespace: dict = {}
    exec(compile(spec.solution, f"<{exercise_id} solution>", "exec"), namespace)
    return namespace[spec.function]


def correct_texts(qid: str) -> list[str]:
    return [option.text for option in QUESTIONS[qid].options if option.correct]


def option_texts(qid: str) -> list[str]:
    return [option.text for option in QUESTIONS[qid].options]


# --- numbers the pages quote ------------------------------------------------------------

ES, SWEEP, HIST = NUMBERS["early_stopping"], NUMBERS["lambda_sweep"], NUMBERS["histograms"]
RATES = {row["learning_rate"]: row for row in NUMBERS["balance"]["by_learning_rate"]}
VAL = dict(zip(SWEEP["lambdas"], SWEEP["validation_loss"], strict=True))


def test_l2_page_nudges_both_weights_by_the_same_amount():
    w3, w6 = TABLE[2], TABLE[5]
    saved_big = w3**2 - (w3 - 0.1) ** 2
    saved_small = w6**2 - 0.0**2
    assert math.isclose(saved_big, 0.99) and math.isclose(saved_small, 0.01)
    text = page("l2-regularization.md")
    assert f"{w3**2:g} - {(w3 - 0.1) ** 2:g} = {saved_big:.2f}" in text
    assert f"lowers it by ${saved_small:.2f}$" in text
    assert f"{round(saved_big / saved_small)} times as much" in text
    # Squaring squares the ratios: 5.0 is 50 times 0.1 in size, and 25 is 2,500 times 0.01.
    ratio = round(abs(w3 / w6))
    assert f"is {ratio} times" in text and f"{ratio**2:,} times" in text
    # The slope 2w at each weight.
    assert f"{2 * abs(w3):g} at $w_3$" in text and f"only {2 * abs(w6):g} in size" in text


def test_histogram_prediction_quotes_the_trained_spreads():
    text = page("regularization-rate.md")
    lam_ratio = HIST["lambda_high"] / HIST["lambda_low"]
    spread_ratio = HIST["std_low"] / HIST["std_high"]
    assert (
        f"λ = {fmt(HIST['lambda_high'])} is {lam_ratio:,.0f} times λ = {fmt(HIST['lambda_low'])}"
        in text
    )
    low, high = f"{HIST['std_low']:.2f}", f"{HIST['std_high']:.2f}"
    assert f"falls from {low} to {high}, about {spread_ratio:.1f} times" in text


def test_regularization_rate_page_traces_the_shapes_to_the_data():
    text = page("regularization-rate.md")
    true = NUMBERS["true_weights"]
    low, high = true["low"], true["high"]
    span = f"{fmt(low)} to {fmt(high)}".replace("-", "−")
    drawn = f"drew the true weights evenly from {span} (standard deviation {true['std']:.2f})"
    assert drawn in text
    # The Gaussian-prior λ: noise variance / (n · variance of the true weights).
    noise, n = NUMBERS["data"]["noise_sd"], NUMBERS["data"]["train_examples"]
    variance = (high - low) ** 2 / 12
    assert variance == pytest.approx(1 / 3) and noise**2 == 4
    assert true["prior_lambda"] == pytest.approx(noise**2 / (n * variance), rel=0.01)
    assert f"noise (standard deviation {fmt(noise)}), its {n} training examples" in text
    assert f"$4 / ({n} \\times 1/3) = {fmt(true['prior_lambda'])}$" in text
    assert "*Gaussian prior*" in text
    assert 0.5 < true["prior_lambda"] / SWEEP["best_lambda"] < 2  # "close to the best rate"
    # The slider's range, said in words, is the explorable's grid.
    fine = json.loads((DOCS / "assets/figures/explore-lambda.json").read_text(encoding="utf-8"))
    first, last = fine["lambdas"][0], fine["lambdas"][-1]
    assert f"The slider below goes from {fmt(first)} to {fmt(last)}" in text
    assert last / HIST["lambda_high"] == 5 and "five times past the high rate" in text
    assert "Every other rate lies between" not in text
    assert "dashed outline shows the 100 true weights" in text


def test_log_grid_paragraph_quotes_the_sweep():
    text = page("picking-lambda.md")
    first_decade = VAL[0.001] - VAL[0.01]
    later_decade = VAL[1.0] - VAL[0.1]
    assert first_decade > 0 and later_decade > 0  # one falls, the other rises
    assert f"falls by {first_decade:.1f}; from 0.1 to 1 it rises by {later_decade:.1f}" in text
    best = SWEEP["lambdas"].index(SWEEP["best_lambda"])
    assert 0 < best < len(SWEEP["lambdas"]) - 1, "the page says the best rate is in the middle"
    assert f"The best rate is in the middle, λ = {fmt(SWEEP['best_lambda'])}" in text


def test_early_stopping_ties_with_the_best_lambda():
    text = page("early-stopping.md")
    gap = NUMBERS["stopping_vs_ridge"]
    test_es, test_l2 = ES["test_loss_at_best"], SWEEP["test_loss_at_best"]
    # The page calls the gap "smaller than its standard error": a tie.
    assert 0 < gap["test_gap"] < gap["test_gap_standard_error"]
    assert f"Their test losses are {fmt(test_es)} and {fmt(test_l2)}" in text
    assert f"same {gap['test_examples']:,} test examples" in text
    standard_error = f"{gap['test_gap_standard_error']:.2f}"
    assert (
        f"differences average {fmt(gap['test_gap'])} in early stopping's favour, "
        f"with a standard error of {standard_error}"
    ) in text
    assert f"a gap smaller than its standard error of {standard_error}" in text  # takeaways
    val = f"{fmt(ES['validation_loss_at_best'])} against {fmt(SWEEP['validation_loss_at_best'])}"
    assert f"validation losses, {val}, are no fairer" in text
    # The prediction box before Figure 3.
    assert f"bottoms out after epoch {ES['best_epochs_completed']}" in text
    assert f"for all {ES['epochs']} epochs" in text
    # The recap and the question repeat the tie, not a win.
    recap = page("recap.md")
    assert f"level with the tuned λ's {fmt(test_l2)}" in recap
    why = flat(QUESTIONS["early-stopping-tradeoffs"].options[0].why)
    assert "the two tie" in why


def test_early_stopping_page_reads_stopping_time_as_one_over_lambda():
    text = page("early-stopping.md")
    near = NUMBERS["stopping_vs_ridge"]
    eta, tau = ES["learning_rate"], ES["best_epochs_completed"]
    assert near["stop_epochs"] == tau
    rule = 1 / (2 * eta * tau)
    assert near["lambda_from_stop_time"] == pytest.approx(rule, abs=0.005)
    assert f"1/(2 × {fmt(eta)} × {tau}) ≈ {fmt(near['lambda_from_stop_time'])}" in text
    assert f"epoch {tau} is the one at λ ≈ {fmt(near['nearest_ridge_lambda'])}" in text
    # "the tuned strength itself": the sweep's best λ and the finer grid's bracket it.
    fine = json.loads((DOCS / "assets/figures/explore-lambda.json").read_text(encoding="utf-8"))
    fine_best = fine["lambdas"][fine["best_index"]]
    assert SWEEP["best_lambda"] < near["nearest_ridge_lambda"] < fine_best
    assert f"the sweep found {fmt(SWEEP['best_lambda'])}, the finer grid {fmt(fine_best)}" in text
    assert 1.5 < near["lambda_from_stop_time"] / near["nearest_ridge_lambda"] < 2.5
    assert "about twice too high" in text
    # The weights widen epoch by epoch, as they do when λ falls.
    spread = ES["weight_std_by_epoch"]  # the full-batch run of Figure 3
    assert all(a <= b for a, b in zip(spread, spread[1:], strict=False))
    assert (
        f"from {spread[0]:.2f} after epoch 1 to {spread[tau - 1]:.2f} at epoch {tau} "
        f"and {spread[-1]:.2f} by epoch {ES['epochs']}"
    ) in text
    assert f"({HIST['std_low']:.2f} at λ = {fmt(HIST['lambda_low'])})" in text
    assert "λ ≈ 1/(2ητ)" in page("recap.md")


def test_learning_rate_page_reads_figure_4_as_trained():
    text = page("learning-rate-balance.md")
    slow, mid, fast = RATES[0.01], RATES[0.03], RATES[0.1]
    # η = 0.03 and 0.1 reach the same size at λ = 1 (the exact minimum); η = 0.01 falls short.
    assert mid["weight_norm_at_largest_lambda"] == fast["weight_norm_at_largest_lambda"]
    assert slow["weight_norm_at_largest_lambda"] < fast["weight_norm_at_largest_lambda"]
    assert f"both end at {fmt(fast['weight_norm_at_largest_lambda'])}" in text
    # ... and that is the exact ridge minimum at the largest λ, which η = 0.01 falls short of.
    exact = NUMBERS["balance"]["exact_norm_at_largest_lambda"]
    assert fmt(fast["weight_norm_at_largest_lambda"]) == fmt(round(exact, 2))
    assert slow["weight_norm_at_largest_lambda"] < round(exact, 2)
    # η = 0.03: the best λ and the next one on the grid are "about the same" (a few
    # hundredths apart); η = 0.01: validation loss only rises with λ (best at the edge).
    lambdas = NUMBERS["balance"]["lambdas"]
    mid_losses = mid["validation_losses"]
    best = lambdas.index(mid["best_lambda"])
    assert 0 < mid_losses[best + 1] - mid_losses[best] < 0.1
    assert "about the same" in text and "a few hundredths" in text
    slow_losses = slow["validation_losses"]
    assert all(a < b for a, b in zip(slow_losses, slow_losses[1:], strict=False))
    assert "only rises from there" in text
    assert f"still on its way, at {fmt(slow['weight_norm_at_largest_lambda'])}" in text
    # The best λ for η = 0.01 is the smallest on the grid: the page says to extend it.
    assert slow["best_lambda"] == min(RATES[r]["best_lambda"] for r in RATES)
    assert f"the smallest one, {fmt(slow['best_lambda'])}" in text
    assert "extend the grid" in text
    assert f"η = 0.03 the best λ is {fmt(mid['best_lambda'])}" in text
    # The prediction box before Figure 4.
    assert (
        f"({fmt(fast['weight_norm_at_smallest_lambda'])} in size, against "
        f"{fmt(slow['weight_norm_at_smallest_lambda'])} for η = 0.01)"
    ) in text
    assert f"largest of the three, {fmt(fast['best_lambda'])}" in text
    # The ηλ shortcut: the best λ went up while η went up.
    assert fast["best_lambda"] > slow["best_lambda"]
    went = f"from {fmt(slow['best_lambda'])} to {fmt(fast['best_lambda'])}"
    assert f"{went}, when η went from 0.01 to 0.1" in text


def test_l1_paragraph_quotes_the_zero_weights_of_both_steps():
    l1, features = NUMBERS["l1_sparsity"], NUMBERS["data"]["features"]
    # The page's claim: the plain step holds no weight at 0, the proximal step holds many.
    assert l1["zero_weights_subgradient"] == 0 < l1["zero_weights_proximal"] < features
    text = page("l2-regularization.md")
    run = f"with λ = {fmt(l1['lambda'])} and η = {fmt(l1['learning_rate'])} for {l1['steps']:,}"
    assert f"{run} steps from $w = 0$" in text
    assert (
        f"the plain step leaves {l1['zero_weights_subgradient']} of the {features} weights at "
        f"exactly 0. The proximal step leaves {l1['zero_weights_proximal']} there"
    ) in text
    # The same run is the early-stopping run's learning rate, as the script says.
    assert l1["learning_rate"] == ES["learning_rate"]


def test_learning_rate_page_says_eta_scales_both_pulls_and_training_stops():
    raw = (DOCS / "learning-rate-balance.md").read_text(encoding="utf-8")
    text = flat(raw)
    # The fixed point g = -2λw has no η in it; the text says so, and so does the question.
    assert "$g_i = -2\\lambda w_i$, and η does not appear there at all" in text
    why = flat(QUESTIONS["opposite-pulls"].options[1].why)
    assert "$g = -2\\lambda w$, $\\eta$ does not appear" in why
    # The budget of epochs is the mechanism, in the text, not in a collapsed tip.
    assert '??? tip "Why the learning rate matters at all"' not in raw
    assert "Why does the learning rate matter at all" in text
    assert "it holds because training stops early" in text
    # "Does not depend on η" only with its conditions, and the coupling cited.
    assert "It needs a convex loss with a single minimum" in text
    assert "full-batch gradient descent run until it converges" in text
    assert "Loshchilov and Hutter" in text
    assert "full-batch gradient descent" in shortcut_why()
    assert "does not depend on it at all" not in page("early-stopping.md")
    # Decoupled weight decay: η·a is the per-step decay, the factor the practice page gives.
    assert "the product $\\eta\\,a$ *is* the per-step decay" in text
    assert "by a factor $1 - \\eta\\,a$" in page("in-practice.md")


def shortcut_why() -> str:
    """The explanation of the ηλ-shortcut option of retune-after-lr-change."""
    [option] = [
        o for o in QUESTIONS["retune-after-lr-change"].options if "product ηλ" in o.text
    ]
    assert not option.correct
    return flat(option.why)


def test_learning_rate_page_quotes_the_stability_limit():
    text = page("learning-rate-balance.md")
    stability = NUMBERS["stability"]
    h_max = stability["hessian_max_eigenvalue"]
    limit = stability["largest_stable_learning_rate"]
    assert f"$h_{{\\max}} \\approx {fmt(h_max)}$" in text
    assert f"$2 / {fmt(h_max)} \\approx {fmt(limit)}$" in text
    assert "$\\eta\\,(2\\lambda + h_{\\max}) < 2$" in text
    lam = max(NUMBERS["balance"]["lambdas"])
    at_lam = 2 / (2 * lam + h_max)
    assert f"at λ = {fmt(lam)} the limit falls to $2 / ({fmt(2 * lam)} + {fmt(h_max)}) " in text
    assert f"\\approx {at_lam:.2f}$" in text
    # Figure 4's fastest rate trains safely even at its largest λ.
    assert max(RATES) < at_lam


def test_practice_page_converts_the_best_lambda():
    text = page("in-practice.md")
    lam, n = SWEEP["best_lambda"], NUMBERS["data"]["train_examples"]
    assert f"λ = {fmt(lam)} with {n} training examples" in text
    assert f"`l2({fmt(lam)})` in Keras, `weight_decay={fmt(2 * lam)}` in PyTorch" in text
    assert f"`alpha={fmt(n * lam)}` in scikit-learn" in text
    assert f"patience={ES['patience']}," in text and f"epochs={ES['epochs']}," in text
    # The table's assumptions, and how other scikit-learn estimators scale alpha.
    assert "`Ridge(alpha=a, fit_intercept=False)`" in text
    assert '(`reduction="mean"`)' in text and '(`reduction="sum"`)' in text
    assert "`SGDRegressor` minimizes half the mean squared error" in text
    assert "so there `alpha = λ`" in text and "so `alpha = nλ` for a batch of $n$" in text
    assert "`Lasso`'s `alpha` multiplies an L1 penalty" in text
    # Momentum already tells L2 from weight decay; the optimizers that decouple it.
    assert "With plain gradient descent, without momentum," in text
    assert "Momentum already separates them" in text
    assert "`decoupled_weight_decay=True`" in text
    assert "every optimizer takes a `weight_decay` argument, and it is always the decoupled" in text
    # The matching question uses the same numbers.
    assert correct_texts("framework-weight-decay") == [f"`wd = {fmt(2 * lam)}`"]
    assert f"`wd = {fmt(n * lam)}`" in option_texts("framework-weight-decay")
    assert f"$n = {n}$" in flat(QUESTIONS_TEXT)


def test_recap_summary_quotes_the_course_numbers():
    text = page("recap.md")
    total = sum(x * x for x in TABLE)
    assert f"penalty of {total:.2f}" in text and f"about {round(100 * 25 / total)} %" in text
    low, high = HIST["lambda_low"], HIST["lambda_high"]
    spreads = f"fell from {HIST['std_low']:.2f} at λ = {fmt(low)}"
    assert f"{spreads} to {HIST['std_high']:.2f} at λ = {fmt(high)}" in text
    best = f"λ = {fmt(SWEEP['best_lambda'])}"
    losses = f"validation loss of {fmt(SWEEP['validation_loss_at_best'])}"
    assert f"{best}, with a {losses} and a test loss of {fmt(SWEEP['test_loss_at_best'])}" in text
    assert f"weights of epoch {ES['best_epochs_completed']}" in text
    assert f"from {fmt(ES['test_loss_at_end'])} to {fmt(ES['test_loss_at_best'])}" in text


# --- fresh numbers in the questions -----------------------------------------------------


def test_dominant_weight_question_tests_the_slope_not_the_sum():
    # The sum of squares is drilled by the l2-penalty exercise; this check is about which
    # weight a small step toward zero pays off on, the slope 2w of the page's prose.
    weights = (0.1, -3.0, 0.5, 0.4)
    assert "w = (0.1, -3.0, 0.5, 0.4)" in QUESTIONS["dominant-weight"].prompt
    savings = {w: w * w - (abs(w) - 0.1) ** 2 for w in weights}
    largest = max(savings, key=savings.get)
    assert largest == -3.0
    [correct] = correct_texts("dominant-weight")
    assert f"about {savings[largest]:.2f}" in correct
    texts = option_texts("dominant-weight")
    assert any("each move of 0.1 saves 0.1" in text for text in texts)  # L1's steady slope
    assert any(f"about {0.1 ** 2:.2f}" in text for text in texts)  # the square of the step
    assert not any("%" in text for text in texts)  # no longer a share of the sum


def test_weight_decay_question_uses_new_numbers():
    prompt = QUESTIONS["weight-decay-factor"].prompt
    eta, lam = 0.05, 2
    assert f"\\eta = {eta}" in prompt and f"\\lambda = {lam}" in prompt
    page_text = page("learning-rate-balance.md")
    assert f"η = {eta} and λ = {lam}" not in page_text  # not the worked numbers of the page
    assert correct_texts("weight-decay-factor") == [f"{1 - 2 * eta * lam:g}"]
    wrong = {f"{1 - eta * lam:g}", f"{1 - 2 * lam:g}".replace("-", "−"), f"{1 + 2 * eta * lam:g}"}
    assert wrong <= set(option_texts("weight-decay-factor"))


def test_l2_never_removes_question_quotes_the_smallest_weight():
    prompt = flat(QUESTIONS["l2-removes-features"].prompt)
    assert f"λ = {fmt(HIST['lambda_high'])}" in prompt
    assert f"the smallest is about {fmt(HIST['min_abs_high'])}" in prompt
    assert QUESTIONS["l2-removes-features"].select == "many"


def test_l1_zeros_question_quotes_both_steps():
    l1 = NUMBERS["l1_sparsity"]
    prompt = flat(QUESTIONS["l1-exact-zeros"].prompt)
    assert f"λ = {fmt(l1['lambda'])}, for {l1['steps']:,} steps" in prompt
    assert f"{l1['zero_weights_proximal']} of the {NUMBERS['data']['features']} do" in prompt
    assert l1["zero_weights_subgradient"] == 0 and "no weight ends at exactly 0" in prompt


def test_noisy_curve_question_quotes_the_minibatch_run():
    run = json.loads(
        (DOCS / "assets/figures/explore-early-stopping.json").read_text(encoding="utf-8")
    )
    losses = run["validation_loss"]
    first, stop1, last = run["best_index"][0], run["stopped_index"][0], run["best_index"][-1]
    prompt = flat(QUESTIONS["noisy-validation-curve"].prompt)
    assert f"stops after step {stop1 + 1} and keeps step {first + 1}" in prompt
    assert f"validation loss of {losses[first]:.2f}" in prompt
    kept = f"it keeps step {last + 1}, with {losses[last]:.2f}"
    assert f"patience of {run['patience'][-1]} {kept}" in prompt
    assert f"each step sees only {run['batch']} of the" in flat(
        " ".join(o.why for o in QUESTIONS["noisy-validation-curve"].options)
    )


def test_patience_question_with_the_reference_stop_epoch():
    losses = [4.0, 3.2, 2.9, 3.0, 2.7, 2.6]
    question = QUESTIONS["early-stop-signal"]
    assert ", ".join(map(str, losses)) in question.prompt
    stop = solution("early-stop")
    assert stop(losses, patience=1) == 2 and stop(losses, patience=3) == 5
    assert "training stops after epoch 3 and keeps epoch 2" in flat(question.prompt)
    assert "(5, loss 2.6)" in correct_texts("early-stop-signal")[0]


def test_imbalance_question_names_the_underfit_run():
    runs = {"A": (0.9, 14), "B": (2.0, 8.8), "C": (25, 27)}
    prompt = flat(QUESTIONS["imbalance-diagnosis"].prompt)
    (a_train, a_val), (b_train, b_val), (c_train, c_val) = runs.values()
    assert f"run A has training loss {a_train} and validation loss {a_val};" in prompt
    assert f"run B {b_train} and {b_val}; run C {c_train} and {c_val}," in prompt
    underfit = max(runs, key=lambda k: runs[k][0])  # poor on training data too
    assert correct_texts("imbalance-diagnosis")[0].startswith(f"Run {underfit}:")
    best = min(runs, key=lambda k: runs[k][1])
    assert best == "B" and "lowest validation loss of the three" in flat(
        " ".join(o.why for o in QUESTIONS["imbalance-diagnosis"].options)
    )


def test_recap_which_model():
    a, b = (1.2, 40), (2.0, 10)
    prompt = flat(QUESTIONS["recap-which-model"].prompt)
    assert "data loss of 1.2 and an L2 penalty of 40" in prompt
    assert "data loss of 2.0 and a penalty of 10" in prompt

    def winner(lam):
        return "A" if a[0] + lam * a[1] < b[0] + lam * b[1] else "B"

    [right] = correct_texts("recap-which-model")
    assert right == f"{winner(0.01)} at λ = 0.01, {winner(0.05)} at λ = 0.05."


def test_recap_one_step_with_the_reference_l2_step():
    w, g, eta, lam = 2.0, 0.5, 0.2, 0.25
    prompt = QUESTIONS["recap-one-step"].prompt
    assert all(s in prompt for s in ("w = 2.0", "g = 0.5", "\\eta = 0.2", "\\lambda = 0.25"))
    [new] = solution("l2-step")([w], [g], eta, lam)
    assert correct_texts("recap-one-step") == [f"{new:g}"]
    mistakes = {
        w - eta * (g + lam * w),  # the factor 2 missing
        w - eta * g,  # no penalty
        w + eta * (g + 2 * lam * w),  # gradient added
    }
    assert {f"{m:g}" for m in mistakes} <= set(option_texts("recap-one-step"))


def test_recap_stop_epoch_with_the_reference_stop_epoch():
    losses = [5.0, 4.2, 3.9, 4.0, 3.9, 3.7, 3.8, 3.9]
    assert ", ".join(map(str, losses)) in QUESTIONS["recap-stop-epoch"].prompt
    best = solution("early-stop")(losses, patience=2)
    assert correct_texts("recap-stop-epoch") == [f"Epoch {best}"]
    texts = option_texts("recap-stop-epoch")
    assert f"Epoch {losses.index(min(losses))}" in texts  # the global minimum
    assert f"Epoch {best + 1}" in texts  # counted from 1


# --- wording and teaching habits --------------------------------------------------------

STOCK_PHRASES = (
    "two shapes, two stories",
    "tell different stories",
    "in one picture",
    "a loud voice",
    "a whisper",
)
RETIRED_CLAIMS = (
    "multiplying a non-zero number by a non-zero factor",  # the data step can hit 0
    "matters about as much as",  # the sweep shows decades differ
    "bell-shaped weight histogram",  # the shape comes from the data, not from L2
    "there is no such shortcut",  # keeping ηλ keeps the decay factor
    "exactly what the tests prove",
    "early stopping comes out ahead",  # a gap smaller than its standard error is a tie
    "early stopping wins",
    "mild l2 penalty",  # the stopped weights match the tuned λ
    "the learning rate pushes weights out",  # η scales both pulls alike
    "well below 1",  # stability needs η·(2λ + h_max) < 2
    "the weight of a useless feature shrinks",  # only if its data gradient is exactly 0
)


@pytest.mark.parametrize("phrase", STOCK_PHRASES + RETIRED_CLAIMS)
def test_no_stock_phrase_or_retired_claim(phrase):
    texts = {p.name: flat(p.read_text(encoding="utf-8")) for p in DOCS.glob("*.md")}
    texts["questions.yml"] = flat(QUESTIONS_TEXT)
    for name, text in texts.items():
        assert phrase not in text.lower(), f"{name} still says {phrase!r}"


def _solution_lines(spec) -> list[str]:
    lines = []
    for line in spec.solution.splitlines():
        code = line.strip()
        if len(code) < 12 or code.startswith(("def ", '"""', "#", "import ", "return w")):
            continue
        lines.append(code)
    return lines


@pytest.mark.parametrize("exercise_id", list(all_exercises()))
def test_hints_lead_to_the_idea_not_the_solution(exercise_id):
    spec = get_exercise(exercise_id)
    hints = " ".join(spec.hints)
    for line in _solution_lines(spec):
        assert line not in hints, f"a hint of {exercise_id} gives away `{line}`"


def _markers_in_nav_order() -> list[tuple[str, str, str]]:
    found = []
    for name in nav_pages():
        text = (DOCS / name).read_text(encoding="utf-8")
        found += [(name, m.kind, m.arg) for m in markers.find_markers(text)]
    return found


def test_exercises_come_in_page_order_and_ridge_gd_has_a_capstone_page():
    placed = [(name, arg) for name, kind, arg in _markers_in_nav_order() if kind == "exercise"]
    in_pages = [arg for _, arg in placed]
    catalogue = [eid for eid in all_exercises() if eid in in_pages]
    assert catalogue == in_pages, "order= of the exercises should follow the pages"
    pages = dict((arg, name) for name, arg in placed)
    # ridge-gd is alone on the page right after the one with the step it repeats.
    assert pages["ridge-gd"] == "ridge-regression.md"
    assert [a for n, a in placed if n == "ridge-regression.md"] == ["ridge-gd"]
    nav = nav_pages()
    assert nav.index("ridge-regression.md") == nav.index(pages["l2-step"]) + 1
    between = in_pages[in_pages.index("l2-step") + 1 : in_pages.index("ridge-gd")]
    assert between == []


def test_l1_step_follows_the_l1_text_that_it_builds():
    [name] = [n for n, kind, arg in _markers_in_nav_order() if arg == "l1-step"]
    assert name == "l2-regularization.md"
    text = page(name)
    section = text.index("## How L1 differs")
    assert section < text.index("**proximal step**") < text.index("<!-- md:exercise l1-step -->")


def test_ridge_regression_is_defined_where_its_exercise_is():
    [name] = [n for n, kind, arg in _markers_in_nav_order() if arg == "ridge-gd"]
    text = page(name)
    definition = text.index("is called **ridge regression**")
    assert definition < text.index("<!-- md:exercise ridge-gd -->")


PREDICT = re.compile(
    r'<div class="l2-predict" data-explorable="predict" data-answer="(\d+)" markdown="1">\n'
    r'<p class="l2-predict-question">(?P<q>.*?)</p>\n\n(?P<options>(?:\d+\. .*\n)+)\n'
    r'<div class="l2-predict-reveal" markdown="1">\n(?P<reveal>.*?)\n</div>\n</div>',
    re.DOTALL,
)


def test_every_figure_is_revealed_by_a_prediction():
    for path in DOCS.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        blocks = list(PREDICT.finditer(text))
        for match in re.finditer(r"!\[[^\]]*\]\(assets/figures/[^)]+\.svg\)", text):
            inside = [b for b in blocks if b.start("reveal") <= match.start() < b.end("reveal")]
            assert inside, f"{path.name}: {match.group(0)[-40:]} is not behind a prediction"
        for block in blocks:
            options = block["options"].strip().splitlines()
            assert 3 <= len(options) <= 5, path.name
            assert 1 <= int(block[1]) <= len(options), f"{path.name}: data-answer out of range"
            assert "Predict before you look" in block["q"]
        assert '??? question "Predict before you look' not in text, path.name


def test_badges_and_course_map_say_the_computed_minutes():
    sys.path.insert(0, str(ROOT / "scripts"))
    import count_words

    pages = nav_pages()
    for name, text in count_words.filled(DOCS, pages).items():
        assert (DOCS / name).read_text(encoding="utf-8") == text, (
            f"{name}: its minutes are out of date; run python scripts/count_words.py --write"
        )


def test_core_path_is_the_source_lesson_in_half_an_hour():
    times = {name: page_time((DOCS / name).read_text(encoding="utf-8")) for name in nav_pages()}
    core = sum(t.minutes(core_only=True) for t in times.values())
    items = [kind for t in times.values() for kind, _ in t.core_items]
    assert 25 <= core <= 30, f"the core path takes {core:.1f} minutes"
    assert 6 <= items.count("question") <= 8 and 2 <= items.count("exercise") <= 3
    assert "about half an hour" in page("index.md")
    say = {2: "two", 3: "three", 6: "six", 7: "seven", 8: "eight"}
    counted = f"{say[items.count('question')]} checks and {say[items.count('exercise')]} short"
    assert counted in page("index.md")
    # Every page with a core path says so with a badge; every other page is go-deeper.
    for name, t in times.items():
        raw = (DOCS / name).read_text(encoding="utf-8")
        if t.core_items or t.core_words > 20:
            assert '<span class="l2-path-badge">Core</span>' in raw, name
        assert "Go deeper</span>" in raw, f"{name}: nothing marked go deeper"


def test_words_are_counted_as_read():
    text = "A *b* `c` [d](e.md) ![alt](x.svg) <!-- md:question q --> <b>f</b> | --- | $w^2$"
    assert count_words(text) == 6  # A b c d f w^2
    sample = '<div class="l2-deeper" markdown>\n<div>x</div>\n\nin\n\n</div>\n\nout\n'
    t = page_time(sample)
    assert (t.core_words, t.deeper_words) == (1, 2)


# --- the course map the progress page reads ---------------------------------------------


def test_question_labels_are_plain_one_line_text():
    for qid, question in QUESTIONS.items():
        label = plain_label(question.prompt)
        assert label and len(label) <= 140, qid
        assert not re.search(r"[$\\*`\n|]", label), f"{qid}: {label!r}"
        # A comma only where the prompt has one: TeX's thin space \, is a space, not a comma.
        first = question.prompt.strip().split("\n\n", 1)[0]
        assert label.count(",") <= first.replace("\\,", "").count(","), f"{qid}: {label!r}"


@pytest.mark.parametrize(
    ("prompt", "label"),
    [
        (r"In $(1 - 2\eta\lambda)\,w - \eta\,g$, what?", "In (1 - 2ηλ) w - η g, what?"),
        (r"Is $93\,\%$ of it one weight?", "Is 93 % of it one weight?"),
        (r"Spaced $a\;b\quad c\ d\!e$?", "Spaced a b c de?"),
    ],
)
def test_question_labels_read_tex_spacing_as_spaces(prompt, label):
    assert plain_label(prompt) == label


def test_course_map_lists_widgets_in_page_order():
    exercise = get_exercise("l2-penalty")
    question = QUESTIONS["recap-which-model"]
    placed = {
        ("question", question.id): "a.md:30",
        ("exercise", exercise.id): "a.md:9",
        ("question", "overfitting-symptom"): "index.md:4",
    }
    pages = [("index.md", "", "Home"), ("a.md", "a/", "A"), ("b.md", "b/", "B")]
    data = course_map(pages, placed, {exercise.id: exercise}, QUESTIONS)
    assert [p["url"] for p in data["pages"]] == ["", "a/", "b/"]
    items = data["pages"][1]["items"]
    assert [(i["kind"], i["id"]) for i in items] == [
        ("exercise", "l2-penalty"),
        ("question", "recap-which-model"),
    ]
    assert items[0]["version"] == exercise.version and items[0]["label"] == exercise.title
    assert items[1]["options"] == len(question.options)  # work files' answers are checked
    assert data["pages"][2]["items"] == []
    assert "minutes" not in data["pages"][0]  # no docs folder given: no minutes


def test_course_map_gives_each_page_its_minutes(tmp_path):
    (tmp_path / "a.md").write_text(
        "# A\n\n" + "word " * 460 + '\n\n<div class="l2-deeper" markdown>\n\n'
        "<!-- md:question overfitting-symptom -->\n\n</div>\n",
        encoding="utf-8",
    )
    placed = {("question", "overfitting-symptom"): "a.md:7"}
    data = course_map([("a.md", "a/", "A")], placed, {}, QUESTIONS, tmp_path)
    # 462 words at 230 a minute is 2 minutes; the go-deeper question adds one.
    assert data["pages"][0]["minutes"] == {"core": 2, "all": 3}


def test_finer_grid_paragraph_quotes_the_explorable_data():
    text = page("picking-lambda.md")
    fine = json.loads((DOCS / "assets/figures/explore-lambda.json").read_text(encoding="utf-8"))
    best = fine["best_index"]
    lam, loss = fine["lambdas"][best], fine["validation_loss"][best]
    assert loss < SWEEP["validation_loss_at_best"]  # the finer grid really does better
    assert f"lowest\nvalidation loss is at λ = {fmt(lam)} ({fmt(loss)} against".replace(
        "\n", " "
    ) in text
    assert f"{fmt(SWEEP['validation_loss_at_best'])})" in text


def test_l2_transfer_question_has_one_shrunk_answer():
    prompt = QUESTIONS["l2-shrinks-transfer"].prompt
    start = (4, -3, 0.5)
    assert "w = (4, -3, 0.5)" in prompt

    def weights(text: str) -> tuple[float, ...]:
        plain = text.replace("−", "-")  # options are plain text, with true minus signs
        return tuple(float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", plain))

    def shrunk(w: tuple[float, ...]) -> bool:  # toward 0, same sign, none at 0
        return all(0 < abs(b) < abs(a) and a * b > 0 for a, b in zip(start, w, strict=True))

    for option in QUESTIONS["l2-shrinks-transfer"].options:
        assert shrunk(weights(option.text)) == option.correct, option.text
