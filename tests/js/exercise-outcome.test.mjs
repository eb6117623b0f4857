// Every runtime outcome becomes the panel the learner reads (web/exercise-outcome.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import "./contract.mjs";

const { describeOutcome, describePending, describeSaved, announcement } = await import("../../web/exercise-outcome.js");
const { message, LIMITS, secondsText } = await import("../../web/contract.js");

const result = (fields) => ({
  exercise: "l2-penalty",
  status: "fail",
  score: 0,
  feedback: "That is the L1 penalty.",
  checks: [],
  error: null,
  stdout: "",
  ...fields,
});
const checks = [
  { name: "worked example", passed: false, message: "expected `6.0`" },
  { name: "empty list", passed: true, message: "" },
  { name: "negative weights", passed: false, message: "raised", line: 3 },
];

test("a failed submission: verdict, headline, checks split, line of the raising check", () => {
  const d = describeOutcome("grade", { outcome: "result", result: result({ checks }) }, "l2-penalty");
  assert.equal(d.verdict, "fail");
  assert.equal(d.run, null);
  assert.equal(d.word, message("verdict.fail"));
  assert.equal(d.headline, "That is the L1 penalty.");
  assert.deepEqual(
    d.checks.failed.map((c) => c.name),
    ["worked example", "negative weights"],
  );
  assert.deepEqual(
    d.checks.passed.map((c) => c.name),
    ["empty list"],
  );
  assert.equal(d.checks.total, 3);
  assert.equal(d.line, 3);
  assert.deepEqual(d.record, { verdict: "fail", feedback: "That is the L1 penalty.", failure: true });
});

test("the announcement is the verdict and the headline only, never the details", () => {
  const d = describeOutcome("grade", { outcome: "result", result: result({ checks, stdout: "x" }) }, "e");
  assert.equal(announcement(d), `${message("verdict.fail")} That is the L1 penalty.`);
  assert.ok(!announcement(d).includes("worked example"));
});

test("a pass is recorded and not a failure", () => {
  const d = describeOutcome(
    "grade",
    { outcome: "result", result: result({ status: "pass", feedback: "All good." }) },
    "e",
  );
  assert.equal(d.verdict, "pass");
  assert.equal(d.record.failure, false);
  assert.equal(d.checks, null);
  assert.equal(d.line, null);
});

test("an error result points at the learner's line", () => {
  const error = { type: "SyntaxError", message: "expected ':'", line: 3, traceback: "" };
  const d = describeOutcome("grade", { outcome: "result", result: result({ status: "error", error }) }, "e");
  assert.equal(d.verdict, "error");
  assert.equal(d.error, error);
  assert.equal(d.line, 3);
});

test("a time-out counts as a failed submission and says the limit", () => {
  const d = describeOutcome("grade", { outcome: "timeout" }, "e");
  const sentence = message("timeout", { seconds: secondsText(LIMITS.time_limit_s) });
  assert.equal(d.verdict, "timeout");
  assert.equal(d.headline, sentence);
  assert.deepEqual(d.record, { verdict: "timeout", feedback: sentence, failure: true });
});

test("Stop is shown as a time-out but is not a failure", () => {
  const d = describeOutcome("grade", { outcome: "stopped" }, "e");
  assert.equal(d.verdict, "timeout");
  assert.equal(d.headline, message("stopped"));
  assert.equal(d.record.failure, false);
});

test("a crashed worker is an error that counts as a failure", () => {
  const d = describeOutcome("grade", { outcome: "crashed" }, "e");
  assert.equal(d.verdict, "error");
  assert.equal(d.headline, message("crashed"));
  assert.equal(d.record.failure, true);
  const run = describeOutcome("run", { outcome: "crashed" }, "e");
  assert.equal(run.verdict, null);
  assert.equal(run.run, "error");
  assert.equal(run.record, null);
});

test("packages that cannot be fetched: the URL, how to check offline, nothing recorded", () => {
  const outcome = { outcome: "packages", packages: ["numpy"], url: "https://mirror/", message: "x" };
  const d = describeOutcome("grade", outcome, "ridge-gd", ["numpy"]);
  assert.equal(d.verdict, "error");
  assert.equal(d.headline, message("packages", { packages: "numpy", url: "https://mirror/" }));
  assert.match(d.headline, /^This exercise needs numpy/);
  assert.deepEqual(d.details, [message("packages.detail", { exercise: "ridge-gd" })]);
  assert.match(d.details[0], /python -m grader check ridge-gd FILE/);
  assert.equal(d.record, null);
});

test("a package only the learner's import asks for: their code imports it, plain Python will do", () => {
  const outcome = { outcome: "packages", packages: ["numpy"], url: "https://mirror/", message: "x" };
  for (const kind of ["grade", "run"]) {
    const d = describeOutcome(kind, outcome, "l2-penalty", []);
    assert.equal(d.headline, message("packages.imported", { packages: "numpy", url: "https://mirror/" }));
    assert.match(d.headline, /^Your code imports numpy, .* needs only plain Python\.$/);
    assert.doesNotMatch(d.headline, /exercise needs numpy/);
    assert.deepEqual(d.details, [message("packages.imported.detail", { exercise: "l2-penalty" })]);
  }
  assert.equal(describeOutcome("grade", outcome, "l2-penalty").record, null);
});

test("Python failing to start is an error with the reason, not recorded", () => {
  const d = describeOutcome("grade", { outcome: "failed", message: "no network." }, "e");
  assert.equal(d.verdict, "error");
  assert.equal(d.headline, message("startup", { reason: "no network." }));
  assert.equal(d.record, null);
});

test("a failure while loading says Python was restarted, with the reason, not recorded", () => {
  const d = describeOutcome("grade", { outcome: "load-failed", message: "TypeError: x" }, "e");
  assert.equal(d.verdict, "error");
  assert.equal(d.headline, message("load_failed", { reason: "TypeError: x" }));
  assert.match(d.headline, /restarted/);
  assert.equal(d.record, null);
});

test("a run has no verdict: it says how it ended and shows the output", () => {
  const ok = describeOutcome("run", { outcome: "result", result: { status: "ok", stdout: "hi\n", error: null } }, "e");
  assert.equal(ok.verdict, null);
  assert.equal(ok.run, "ok");
  assert.equal(ok.stdout, "hi\n");
  assert.equal(ok.note, "");
  assert.equal(ok.record, null);
  const silent = describeOutcome("run", { outcome: "result", result: { status: "ok", stdout: "", error: null } }, "e");
  assert.notEqual(silent.note, "");
  const error = { type: "NameError", message: "x", line: 2, traceback: "" };
  const bad = describeOutcome("run", { outcome: "result", result: { status: "error", stdout: "", error } }, "e");
  assert.equal(bad.run, "error");
  assert.equal(bad.line, 2);
  const slow = describeOutcome("run", { outcome: "timeout" }, "e");
  assert.equal(slow.run, "timeout");
  assert.equal(slow.verdict, null);
});

test("pending and saved descriptions", () => {
  const pending = describePending(message("checking"));
  assert.equal(pending.verdict, null);
  assert.equal(pending.headline, message("checking"));
  assert.equal(announcement(pending), message("checking"));
  const saved = describeSaved("fail", "That is the L1 penalty.");
  assert.equal(saved.verdict, "fail");
  assert.equal(saved.record, null);
  assert.match(saved.note, /last submission \(not yet\)/);
});

test("every outcome the runtime can give is described with a verdict for a submission", () => {
  const outcomes = [
    { outcome: "result", result: result({}) },
    { outcome: "timeout" },
    { outcome: "stopped" },
    { outcome: "packages", packages: ["numpy"], url: "u", message: "m" },
    { outcome: "crashed" },
    { outcome: "failed", message: "m" },
  ];
  for (const outcome of outcomes) {
    const d = describeOutcome("grade", outcome, "e");
    assert.ok(["pass", "fail", "error", "timeout"].includes(d.verdict), outcome.outcome);
    assert.ok(d.headline && !d.headline.includes("{"), outcome.outcome);
  }
});
