"""The explorables on the real site (issue 11), driven through Chromium with the keyboard.

Each control is moved with arrow keys (Home/End too), and the readout, the slider's
aria-valuetext and the drawing must change to the values in the shipped data (or, for
the L1 vs L2 picture, to the closed-form answers). They also survive Material's instant
navigation, fit a 390 px screen, keep AA contrast in the light and dark schemes, and load
only on their pages. Fixtures (site_url, site_dir, page, network) are in conftest.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .helpers import away_and_back

# Nothing here needs Python: the pages' exercises get none (see no_python in conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_python")]

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips (or fails on CI) with the reason
    expect = None

PAGES = {
    "lambda": "regularization-rate/",
    "l1-l2": "l2-regularization/",
    "early-stopping": "early-stopping/",
}


def js(value: float) -> str:
    """A number as the page writes it: JavaScript's String(), with a true minus sign."""
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    return text.replace("-", "−")


def shipped(site_dir: Path, name: str) -> dict:
    return json.loads((site_dir / "assets" / "figures" / name).read_text(encoding="utf-8"))


def open_explorable(page, site_url: str, name: str):
    page.goto(site_url + PAGES[name])
    root = page.locator(f'.l2-explorable[data-explorable="{name}"]')
    expect(root).to_have_attribute("data-l2-mounted", "yes")
    return root


def press(slider, key: str, times: int = 1) -> None:
    slider.focus()
    for _ in range(times):
        slider.press(key)


def values(root, selector: str, attribute: str) -> list[str]:
    return root.locator(selector).evaluate_all(
        f"(nodes) => nodes.map((n) => n.getAttribute('{attribute}'))"
    )


def centre(locator) -> tuple[float, float]:
    """Where a mark is drawn (any shape), in SVG pixels."""
    return tuple(
        locator.evaluate(
            "(n) => { const b = n.getBBox(); return [b.x + b.width / 2, b.y + b.height / 2]; }"
        )
    )


def bar_heights(root, panel: str) -> list[tuple[int, float]]:
    return root.locator(f'[data-panel="{panel}"] .l2-x-bars rect').evaluate_all(
        "(rects) => rects.map((r) => [Number(r.dataset.count), r.getBBox().height])"
    )


def assert_bars_draw(root, panel: str, counts: list[int]) -> None:
    """The bars carry the data's counts, and their heights are proportional to them."""
    drawn = bar_heights(root, panel)
    assert [count for count, _ in drawn] == counts
    unit = max(h for _, h in drawn) / max(counts)
    for count, height in drawn:
        assert abs(height - count * unit) < 0.25, (count, height, unit)


def assert_true_weights_outlined(root, data: dict) -> None:
    """The true weights' outline carries their counts, on the same scale as the bars."""
    panel = root.locator('[data-panel="histogram"]')
    expect(panel.locator("svg")).to_have_attribute("aria-label", re.compile("true weights"))
    expect(panel.locator("text", has_text="true weights")).to_have_count(1)  # the key
    outline = panel.locator("path.l2-x-true")
    true_counts = data["true_counts"]
    assert outline.get_attribute("data-counts") == " ".join(map(str, true_counts))
    drawn = bar_heights(root, "histogram")
    unit = max(h for _, h in drawn) / max(count for count, _ in drawn)
    height = outline.evaluate("(n) => n.getBBox().height")
    assert abs(height - max(true_counts) * unit) < 0.5, (height, unit)


def test_lambda_slider_moves_text_and_drawing_to_the_data(page, site_url, site_dir):
    data = shipped(site_dir, "explore-lambda.json")
    root = open_explorable(page, site_url, "lambda")
    slider = root.get_by_role("slider", name="Regularization rate λ")
    readout = root.locator(".l2-x-readout")
    start = next(i for i, lam in enumerate(data["lambdas"]) if lam >= 0.01)

    def check(i: int) -> None:
        lam = js(data["lambdas"][i])
        expect(slider).to_have_value(str(i))
        for fragment in (
            f"λ = {lam}:",
            f"training loss {js(data['train_loss'][i])},",
            f"validation loss {js(data['validation_loss'][i])},",
            f"‖w‖ = {js(data['weight_norm'][i])},",
            f"weights {js(data['weight_std'][i])}, against",
            f"{js(data['true_weight_std'])} for the true weights.",
        ):
            expect(readout).to_contain_text(fragment)
        best = " (the lowest validation loss on this grid)" if i == data["best_index"] else ""
        valuetext = (
            f"λ = {lam}: training loss {js(data['train_loss'][i])}, validation loss "
            f"{js(data['validation_loss'][i])}{best}, norm of the weights "
            f"{js(data['weight_norm'][i])}"
        )
        expect(slider).to_have_attribute("aria-valuetext", valuetext)
        assert values(root, ".l2-x-point", "data-value") == [
            js(data["train_loss"][i]).replace("−", "-"),
            js(data["validation_loss"][i]).replace("−", "-"),
        ]
        assert values(root, ".l2-x-meter", "data-value") == [str(data["weight_norm"][i])]
        assert_bars_draw(root, "histogram", data["counts"][i])
        assert_true_weights_outlined(root, data)

    check(start)
    _, validation_y = centre(root.locator(".l2-x-point").nth(1))
    press(slider, "ArrowRight", 3)
    check(start + 3)
    # Validation loss fell, so its point moved down the screen toward the axis.
    assert centre(root.locator(".l2-x-point").nth(1))[1] > validation_y
    press(slider, "ArrowLeft")
    check(start + 2)
    press(slider, "End")
    check(len(data["lambdas"]) - 1)
    press(slider, "Home")
    check(0)
    for _ in range(data["best_index"]):
        slider.press("ArrowRight")
    check(data["best_index"])
    expect(readout).to_contain_text("lowest validation loss on the grid")


def test_l1_reaches_exactly_zero_while_l2_only_shrinks(page, site_url):
    root = open_explorable(page, site_url, "l1-l2")
    lam = root.get_by_role("slider", name="Regularization rate λ")
    pull = root.get_by_role("slider", name="Pull of the data a")
    readout = root.locator(".l2-x-readout")
    points = root.locator("[data-panel='objectives'] .l2-x-point")

    def check(a: float, lam_value: float) -> None:
        l2, l1 = a / (a + lam_value), max(0.0, 1 - lam_value / (2 * a))
        drawn = [
            float(v) for v in values(root, "[data-panel='objectives'] .l2-x-point", "data-value")
        ]
        assert drawn == pytest.approx([l2, l1], abs=1e-9)
        expect(readout).to_contain_text(f"a/(a + λ) = {l2:.3f}")
        if l1 == 0:
            expect(readout).to_contain_text("exactly 0, because λ ≥ 2a")
        else:
            expect(readout).to_contain_text(f"1 − λ/(2a) = {l1:.3f}")

    check(1.0, 0.5)
    l2_x, _ = centre(points.first)
    press(lam, "ArrowRight", 30)  # λ = 0.5 + 30 × 0.05 = 2 = 2a: L1 is exactly 0
    expect(lam).to_have_attribute("aria-valuetext", "λ = 2.00: L2 puts w at 0.333, L1 at 0.000")
    check(1.0, 2.0)
    assert centre(points.first)[0] < l2_x, "the L2 weight moved toward 0"
    assert centre(points.nth(1))[0] < centre(points.first)[0], "L1 is left of L2, at 0"
    press(pull, "ArrowRight", 10)  # a = 1.5: the data pulls harder, L1 leaves 0 again
    expect(pull).to_have_value("1.5")
    check(1.5, 2.0)
    press(lam, "Home")
    check(1.5, 0.0)
    expect(readout).to_contain_text("100.0 % of it")


def test_early_stopping_scrubber_follows_the_run_and_the_rule(page, site_url, site_dir):
    data = shipped(site_dir, "explore-early-stopping.json")
    root = open_explorable(page, site_url, "early-stopping")
    epochs = root.get_by_role("slider", name="Epochs completed")
    patience = root.get_by_role("slider", name="Patience")
    readout = root.locator(".l2-x-readout")
    best = data["best_index"][4]  # patience 5 at the start

    def check_epoch(e: int) -> None:
        i = e - 1
        expect(epochs).to_have_value(str(e))
        expect(readout).to_contain_text(
            f"After epoch {e}: training loss {js(data['train_loss'][i])}, "
            f"validation loss {js(data['validation_loss'][i])}."
        )
        assert values(root, ".l2-x-cursor[data-epoch]", "data-epoch") == [str(e)]
        drawn = values(root, ".l2-x-point", "data-value")
        assert drawn == [str(data["train_loss"][i]), str(data["validation_loss"][i])]
        assert_bars_draw(root, "histogram", data["counts"][i])
        expect(root).to_contain_text(f"spread (std) {js(data['weight_std'][i])}")

    check_epoch(1)
    press(epochs, "ArrowRight", best + 2)  # two epochs past the best one
    check_epoch(best + 3)
    expect(readout).to_contain_text(
        f"Best so far: epoch {best + 1} ({js(data['validation_loss'][best])}); "
        "2 epochs without improvement, patience 5: training goes on."
    )
    assert values(root, ".l2-x-kept[data-epoch]", "data-epoch") == [str(best + 1)]

    for p in (5, 8, 1, 10):
        press(patience, "Home")
        press(patience, "ArrowRight", p - 1)
        k = data["patience"].index(p)
        stopped, kept = data["stopped_index"][k], data["best_index"][k]
        expect(patience).to_have_attribute(
            "aria-valuetext",
            f"patience {p}: stops after epoch {stopped + 1}, keeps epoch {kept + 1}",
        )
        assert values(root, ".l2-x-stop", "data-epoch") == [str(stopped + 1)]
        expect(root).to_contain_text(f"stop (patience {p})")

    press(epochs, "End")
    check_epoch(len(data["train_loss"]))
    k = data["patience"].index(10)
    expect(readout).to_contain_text(
        f"With patience 10, training stopped after epoch {data['stopped_index'][k] + 1} "
        f"and kept the weights of epoch {data['best_index'][k] + 1}"
    )


def test_explorables_survive_instant_navigation(page, site_url, site_dir):
    data = shipped(site_dir, "explore-lambda.json")
    root = open_explorable(page, site_url, "lambda")
    page.evaluate("window.__sameDocument = true")
    away_and_back(page)
    root = page.locator('.l2-explorable[data-explorable="lambda"]')
    expect(root).to_have_attribute("data-l2-mounted", "yes")
    assert page.evaluate("window.__sameDocument") is True, "navigation reloaded the page"
    expect(root.locator("svg")).to_have_count(2)  # mounted once, not twice
    slider = root.get_by_role("slider", name="Regularization rate λ")
    press(slider, "Home")
    expect(root.locator(".l2-x-readout")).to_contain_text(
        f"validation loss {js(data['validation_loss'][0])},"
    )
    # Straight to another explorable's page by instant navigation: it mounts there too.
    page.locator(f'a.md-nav__link[href$="{PAGES["early-stopping"]}"]').first.click()
    other = page.locator('.l2-explorable[data-explorable="early-stopping"]')
    expect(other).to_have_attribute("data-l2-mounted", "yes")
    assert page.evaluate("window.__sameDocument") is True


def test_explorable_code_and_data_load_only_where_used(page, site_url, network):
    page.goto(site_url + "about/")
    page.wait_for_load_state("networkidle")
    loaded = [u for u in network.requests if "explor" in u]
    assert not loaded, f"explorable styles or data on a page without one: {loaded}"
    before = {u for u in network.requests if "/assets/course/chunk-" in u}
    page.goto(site_url + PAGES["lambda"])
    expect(page.locator(".l2-explorable")).to_have_attribute("data-l2-mounted", "yes")
    names = {u.rsplit("/", 1)[1] for u in network.requests if "explor" in u}
    assert {"explore-lambda.json", "explorables.css"} <= names
    assert "explore-early-stopping.json" not in names
    # The explorable's code is a chunk of the bundle that the plain page did not load.
    after = {u for u in network.requests if "/assets/course/chunk-" in u}
    assert after - before, "no code chunk loaded for the explorable"


CONTRAST = """(root) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const bg = rgb(getComputedStyle(document.body).backgroundColor);
  const over = ([r, g, b, a = 1]) => [r, g, b].map((c, i) => c * a + bg[i] * (1 - a));
  const lum = (c) => {
    const [r, g, b] = c.map((v) => v / 255).map((v) =>
      v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (c) => {
    const [a, b] = [lum(over(rgb(c))), lum(bg)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  };
  const name = (n) => n.textContent.slice(0, 30) || n.getAttribute("class");
  const low = (nodes, prop, need) => nodes
    .map((n) => [name(n), ratio(getComputedStyle(n)[prop])])
    .filter(([, r]) => r < need);
  const lines = ".l2-x-a:not(.l2-x-marker), .l2-x-b:not(.l2-x-marker)";
  return [
    ...low([...root.querySelectorAll("svg text")], "fill", 4.5),
    ...low([...root.querySelectorAll("label, output, .l2-x-readout")], "color", 4.5),
    ...low([...root.querySelectorAll(lines)], "stroke", 3),
  ];
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_readable_at_390px_in_light_and_dark(page, site_url, scheme):
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme=scheme)
    for name in PAGES:
        root = open_explorable(page, site_url, name)
        expected = "slate" if scheme == "dark" else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
        root.scroll_into_view_if_needed()
        sizes = root.evaluate(
            "(r) => [r.scrollWidth, r.clientWidth, document.documentElement.scrollWidth,"
            " ...[...r.querySelectorAll('svg')].map((s) => s.getBoundingClientRect().right),"
            " r.getBoundingClientRect().right]"
        )
        scroll, client, page_width, *svg_rights, right = sizes
        assert scroll <= client and page_width <= 390, (name, sizes)
        assert all(x <= right + 0.5 for x in svg_rights), (name, sizes)
        assert root.evaluate(CONTRAST) == [], f"{name} ({scheme}): low contrast"
        # The sliders are big enough to touch.
        for box in root.locator("input[type=range]").evaluate_all(
            "(inputs) => inputs.map((i) => i.getBoundingClientRect().height)"
        ):
            assert box >= 24, name
