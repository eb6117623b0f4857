// The result panel (web/exercise-result.js): failures grouped by message in view, every
// check behind a disclosure, the first failing case whole.
import assert from "node:assert/strict";
import { test } from "node:test";
import "./contract.mjs";
import "./fake-dom.mjs";

const { createResultPanel } = await import("../../web/exercise-result.js");
const { describeOutcome, groupFailures } = await import("../../web/exercise-outcome.js");
const { message } = await import("../../web/contract.js");

const NONE = "l2_penalty() returned None (is a `return` statement missing?); it should be a number.";
const checks = [
  {
    name: "worked example",
    passed: false,
    message: "l2_penalty([0.2, -0.5, 5.0, -1.2, 0.3, -0.1]) returned 6.0; expected 26.83.",
  },
  { name: "empty list", passed: true, message: "" },
  { name: "a tuple", passed: false, message: NONE },
  { name: "random #1", passed: false, message: NONE },
  { name: "random #2", passed: false, message: NONE },
];

function shown(list) {
  const panel = createResultPanel();
  const result = {
    exercise: "l2-penalty",
    status: "fail",
    score: 0.2,
    feedback: "Not it.",
    checks: list,
    error: null,
    stdout: "",
  };
  panel.show(describeOutcome("grade", { outcome: "result", result }, "l2-penalty"));
  return panel.element;
}

test("failed checks are grouped by message, in the order of their first failure", () => {
  const groups = groupFailures(checks);
  assert.deepEqual(
    groups.map((g) => g.first.name),
    ["worked example", "a tuple"],
  );
  assert.deepEqual(groups[0].others, []);
  assert.deepEqual(
    groups[1].others.map((c) => c.name),
    ["random #1", "random #2"],
  );
  assert.deepEqual(groupFailures([{ name: "x", passed: true, message: "" }]), []);
});

test("the panel shows one row per way of failing, and says how many more failed so", () => {
  const panel = shown(checks);
  const [failures] = panel.byClass("l2-ex__failures");
  const rows = failures.children;
  assert.equal(rows.length, 2);
  assert.match(rows[0].textContent, /failed: worked example/);
  // The first failing case, whole, as the grader wrote it.
  assert.ok(rows[0].textContent.includes(checks[0].message));
  assert.ok(rows[1].textContent.includes("returned None"));
  const [more] = rows[1].byClass("l2-ex__check-more");
  assert.equal(more.textContent, message("panel.same", { count: 2, names: "random #1, random #2" }));
  assert.equal(rows[0].byClass("l2-ex__check-more").length, 0);
});

test("every check, passed or not, is listed one by one behind a disclosure", () => {
  const panel = shown(checks);
  const [fold] = panel.byClass("l2-ex__all-checks");
  assert.equal(fold.tagName, "DETAILS");
  const [summary] = fold.byTag("summary");
  assert.equal(summary.textContent, message("panel.all", { total: 5 }));
  const items = fold.byClass("l2-ex__check");
  const names = items.map((item) => item.byClass("l2-ex__check-name")[0].textContent);
  assert.deepEqual(names, ["worked example", "empty list", "a tuple", "random #1", "random #2"]);
  assert.equal(items.filter((i) => i.classList.contains("is-fail")).length, 4);
});

test("a pass has no failure rows, only the folded list", () => {
  const panel = shown([{ name: "a", passed: true, message: "" }]);
  assert.equal(panel.byClass("l2-ex__failures").length, 0);
  assert.equal(panel.byClass("l2-ex__all-checks").length, 1);
});
